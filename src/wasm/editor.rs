//! The wasm face of the cell editor's data ([`crate::session`]'s `editor` module):
//! conversions only.

use super::{WasmSession, err, to_js, whole};
use wasm_bindgen::prelude::*;

#[wasm_bindgen(js_class = Session)]
impl WasmSession {
    /// The NB201 cell with id `id` (its index) in the landscape of `metric`.
    #[wasm_bindgen(js_name = cellLandscape, unchecked_return_type = "CellLandscape")]
    pub fn cell_landscape(&mut self, id: f64, metric: &str) -> Result<JsValue, JsValue> {
        let id = whole(id, "the architecture id")?;
        to_js(&self.inner.cell_landscape(id, metric).map_err(err)?)
    }
}
