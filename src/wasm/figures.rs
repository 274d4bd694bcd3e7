//! The wasm face of the teaching figures' data ([`crate::session`]'s `figures` module):
//! conversions only.

use super::{WasmSession, err, run_args, to_js, whole};
use wasm_bindgen::prelude::*;

#[wasm_bindgen(js_class = Session)]
impl WasmSession {
    /// `metric` over the whole space on the map's fixed grid.
    #[wasm_bindgen(js_name = spaceMap, unchecked_return_type = "SpaceMap")]
    pub fn space_map(&mut self, metric: &str) -> Result<JsValue, JsValue> {
        to_js(&self.inner.space_map(metric).map_err(err)?)
    }

    /// The funnel picture's data for `metric`.
    #[wasm_bindgen(unchecked_return_type = "Funnel")]
    pub fn funnel(&mut self, metric: &str) -> Result<JsValue, JsValue> {
        to_js(&self.inner.funnel(metric).map_err(err)?)
    }

    /// The 24 neighbours of the NB201 cell with id `id` (the benchmark index).
    #[wasm_bindgen(unchecked_return_type = "Neighbour[]")]
    pub fn neighbours(&self, id: f64) -> Result<JsValue, JsValue> {
        let id = whole(id, "the architecture id")?;
        to_js(&self.inner.neighbours(id).map_err(err)?)
    }

    /// A run of `params` with `seed` played to its end, leaving the stepped run as it was.
    #[wasm_bindgen(js_name = wholeRun, unchecked_return_type = "WholeRun")]
    pub fn whole_run(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "AlgoParams")] params: JsValue,
        seed: f64,
    ) -> Result<JsValue, JsValue> {
        let (params, seed) = run_args(params, seed)?;
        to_js(&self.inner.whole_run(&params, seed).map_err(err)?)
    }
}
