//! The paper report and coverage warnings for JavaScript (see [`crate::session`]'s paper
//! methods); parsing and conversion only.

use super::{WasmSession, err, from_js, to_js, whole};
use crate::algo::config::AlgoParams;
use crate::report::stepper::ReportRequest;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(js_class = Session)]
impl WasmSession {
    /// Starts the paper report of the loaded table.
    #[wasm_bindgen(js_name = paperStart, unchecked_return_type = "ReportProgress")]
    pub fn paper_start(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "ReportRequest")] request: JsValue,
    ) -> Result<JsValue, JsValue> {
        let request: ReportRequest = from_js(request, "report request")?;
        to_js(&self.inner.paper_start(&request).map_err(err)?)
    }

    /// Does up to `max_units` units of the report's work.
    #[wasm_bindgen(js_name = paperStep, unchecked_return_type = "ReportProgress")]
    pub fn paper_step(&mut self, max_units: f64) -> Result<JsValue, JsValue> {
        let units = whole(max_units, "the work units")?;
        to_js(&self.inner.paper_step(units).map_err(err)?)
    }

    /// The finished report: its data, HTML, Markdown and figures.
    #[wasm_bindgen(js_name = paperResult, unchecked_return_type = "PaperPage")]
    pub fn paper_result(&mut self) -> Result<JsValue, JsValue> {
        to_js(&self.inner.paper_result().map_err(err)?)
    }

    /// Drops the report in progress.
    #[wasm_bindgen(js_name = paperCancel)]
    pub fn paper_cancel(&mut self) {
        self.inner.paper_cancel();
    }

    /// What to say before a run of `params`: its objectives that score only part of the
    /// loaded table.
    #[wasm_bindgen(unchecked_return_type = "string[]")]
    pub fn coverage(
        &self,
        #[wasm_bindgen(unchecked_param_type = "AlgoParams")] params: JsValue,
    ) -> Result<JsValue, JsValue> {
        let params: AlgoParams = from_js(params, "algorithm parameters")?;
        to_js(&self.inner.coverage(&params).map_err(err)?)
    }
}
