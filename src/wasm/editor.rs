//! The wasm face of the cell editor's data ([`crate::session`]'s `editor` module):
//! conversions only.

use super::{WasmSession, err, to_js, whole};
use wasm_bindgen::prelude::*;

#[wasm_bindgen(js_class = Session)]
impl WasmSession {
    /// The cell with table key `key` in the landscape of `metric`.
    #[wasm_bindgen(js_name = cellLandscape, unchecked_return_type = "CellLandscape")]
    pub fn cell_landscape(&mut self, key: f64, metric: &str) -> Result<JsValue, JsValue> {
        let key = whole(key, "the architecture key")?;
        to_js(&self.inner.cell_landscape(key, metric).map_err(err)?)
    }
}
