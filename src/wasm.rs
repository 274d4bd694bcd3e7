//! The wasm face: a thin [`Session`] wrapper for JavaScript (the explorer's Web Worker).
//!
//! It parses, calls the core and converts; nothing is computed here. Structured values cross
//! with serde-wasm-bindgen as plain objects whose TypeScript types `tsify` generates from the
//! Rust types into `pkg/mfnas.d.ts`. Errors are thrown as JS `Error`s with the core's message
//! and a `kind` property; a panic is handed to `self.onmfnaspanic(message)` when the worker
//! has set it, because the instance cannot be trusted after one.

use crate::algo::config::AlgoParams;
use crate::error::Error;
use crate::session::Session;
use serde::Serialize;
use wasm_bindgen::prelude::*;

mod figures;
mod paper;

fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, JsValue> {
    // Maps as plain objects (snapshots are JSON); `None` as `undefined`, as tsify types it.
    let ser = serde_wasm_bindgen::Serializer::new().serialize_maps_as_objects(true);
    value
        .serialize(&ser)
        .map_err(|e| js_error("internal", &e.to_string()))
}

fn js_error(kind: &str, message: &str) -> JsValue {
    let e = js_sys::Error::new(message);
    e.set_name("MfnasError");
    let _ = js_sys::Reflect::set(&e, &"kind".into(), &kind.into());
    e.into()
}

fn err(e: Error) -> JsValue {
    let kind = serde_json::to_value(e.kind())
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default();
    js_error(&kind, e.message())
}

fn from_js<T: serde::de::DeserializeOwned>(value: JsValue, what: &str) -> Result<T, JsValue> {
    serde_wasm_bindgen::from_value(value)
        .map_err(|e| js_error("invalid_parameter", &format!("{what}: {e}")))
}

/// The parameters and seed of a run, as JavaScript passes them.
fn run_args(params: JsValue, seed: f64) -> Result<(AlgoParams, u64), JsValue> {
    Ok((
        from_js(params, "algorithm parameters")?,
        whole(seed, "the seed")?,
    ))
}

/// Seeds and keys cross as JS numbers; they must be exact non-negative integers.
fn whole(value: f64, what: &str) -> Result<u64, JsValue> {
    if value.is_finite() && value >= 0.0 && value.fract() == 0.0 && value <= 9_007_199_254_740_991.0
    {
        Ok(value as u64)
    } else {
        Err(js_error(
            "invalid_parameter",
            &format!("{what} is {value}, but must be a whole number from 0 to 2^53 - 1"),
        ))
    }
}

#[wasm_bindgen(start)]
fn start() {
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        let global = js_sys::global();
        if let Ok(f) = js_sys::Reflect::get(&global, &"onmfnaspanic".into())
            && let Some(f) = f.dyn_ref::<js_sys::Function>()
        {
            let _ = f.call1(&global, &info.to_string().into());
        }
    }));
}

/// The explorer's engine: one table, one run being stepped, one experiment.
#[wasm_bindgen(js_name = Session)]
pub struct WasmSession {
    inner: Session,
}

#[wasm_bindgen(js_class = Session)]
impl WasmSession {
    /// An empty session.
    #[wasm_bindgen(constructor)]
    pub fn new() -> WasmSession {
        WasmSession {
            inner: Session::new(),
        }
    }

    /// Loads a packed table from its `.mfnt` bytes.
    #[wasm_bindgen(js_name = loadTable, unchecked_return_type = "TableInfo")]
    pub fn load_table(&mut self, bytes: &[u8]) -> Result<JsValue, JsValue> {
        to_js(&self.inner.load_table(bytes).map_err(err)?)
    }

    /// Loads the synthetic NB201 table made from `seed` (demos and tests; not real data).
    #[wasm_bindgen(js_name = loadSyntheticTable, unchecked_return_type = "TableInfo")]
    pub fn load_synthetic_table(&mut self, seed: f64) -> Result<JsValue, JsValue> {
        let seed = whole(seed, "the table seed")?;
        to_js(&self.inner.load_synthetic(seed).map_err(err)?)
    }

    /// Describes the loaded table.
    #[wasm_bindgen(js_name = tableInfo, unchecked_return_type = "TableInfo")]
    pub fn table_info(&self) -> Result<JsValue, JsValue> {
        to_js(&self.inner.table_info().map_err(err)?)
    }

    /// Starts a run of `params` with `seed`, dropping any earlier run.
    #[wasm_bindgen(js_name = startRun, unchecked_return_type = "RunInfo")]
    pub fn start_run(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "AlgoParams")] params: JsValue,
        seed: f64,
    ) -> Result<JsValue, JsValue> {
        let (params, seed) = run_args(params, seed)?;
        to_js(&self.inner.start_run(&params, seed).map_err(err)?)
    }

    /// Takes up to `max_steps` steps of the run.
    #[wasm_bindgen(unchecked_return_type = "StepBatch")]
    pub fn step(&mut self, max_steps: u32) -> Result<JsValue, JsValue> {
        to_js(&self.inner.step(max_steps).map_err(err)?)
    }

    /// The algorithm's state for the views, as a plain object.
    #[wasm_bindgen(unchecked_return_type = "unknown")]
    pub fn snapshot(&self) -> Result<JsValue, JsValue> {
        to_js(&self.inner.snapshot().map_err(err)?)
    }

    /// Describes the architecture with table key `key`.
    #[wasm_bindgen(unchecked_return_type = "ArchInfo")]
    pub fn arch(&self, key: f64) -> Result<JsValue, JsValue> {
        let key = whole(key, "the architecture key")?;
        to_js(&self.inner.arch(key).map_err(err)?)
    }

    /// The key of an architecture written in any NB201 notation.
    #[wasm_bindgen(js_name = parseArch)]
    pub fn parse_arch(&self, text: &str) -> Result<f64, JsValue> {
        self.inner.parse_arch(text).map(|k| k as f64).map_err(err)
    }

    /// Starts an experiment of every configuration over `runs` seeds from `seed_start`;
    /// returns the number of runs in all.
    #[wasm_bindgen(js_name = startExperiment)]
    pub fn start_experiment(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "AlgoParams[]")] params: JsValue,
        seed_start: f64,
        runs: u32,
    ) -> Result<u32, JsValue> {
        let params: Vec<AlgoParams> = from_js(params, "algorithm parameters")?;
        let seed_start = whole(seed_start, "the first seed")?;
        self.inner
            .start_experiment(&params, seed_start, runs as usize)
            .map(|n| n as u32)
            .map_err(err)
    }

    /// Does up to `max_runs` runs of the experiment.
    #[wasm_bindgen(js_name = experimentStep, unchecked_return_type = "ExperimentProgress")]
    pub fn experiment_step(&mut self, max_runs: u32) -> Result<JsValue, JsValue> {
        to_js(&self.inner.experiment_step(max_runs as usize).map_err(err)?)
    }

    /// Drops the experiment in progress.
    #[wasm_bindgen(js_name = cancelExperiment)]
    pub fn cancel_experiment(&mut self) {
        self.inner.cancel_experiment();
    }
}

#[wasm_bindgen(js_class = Session)]
impl WasmSession {
    /// The metrics whose landscape can be analysed on this table.
    #[wasm_bindgen(js_name = landscapeMetrics)]
    pub fn landscape_metrics(&self) -> Result<Vec<String>, JsValue> {
        self.inner.landscape_metrics().map_err(err)
    }

    /// The local optima network of `metric`; `kind` is "lon", "mlon" or "cmlon".
    #[wasm_bindgen(unchecked_return_type = "LonExport")]
    pub fn landscape(&mut self, metric: &str, kind: &str) -> Result<JsValue, JsValue> {
        to_js(&self.inner.landscape(metric, kind).map_err(err)?)
    }

    /// The landscape numbers of `metric`.
    #[wasm_bindgen(js_name = landscapeSummary, unchecked_return_type = "LandscapeSummary")]
    pub fn landscape_summary(&mut self, metric: &str) -> Result<JsValue, JsValue> {
        to_js(&self.inner.landscape_summary(metric).map_err(err)?)
    }
}

impl Default for WasmSession {
    fn default() -> Self {
        Self::new()
    }
}

/// The paper's published NB201 results (SPEC §7), quoted for comparison.
#[wasm_bindgen(js_name = paperNumbers, unchecked_return_type = "PaperResult[]")]
pub fn paper_numbers() -> Result<JsValue, JsValue> {
    to_js(&crate::session::paper_results())
}

/// Panics on purpose, so tests (and the page's `?debug=panic`) can check that a crash is
/// reported and the session restarted.
#[wasm_bindgen(js_name = debugPanic)]
pub fn debug_panic() {
    panic!("deliberate panic requested by debugPanic()");
}
