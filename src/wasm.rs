//! The wasm face: a thin [`Session`] wrapper for JavaScript (the explorer's Web Worker).
//!
//! It parses, calls the core and converts; nothing is computed here. Structured values cross
//! with serde-wasm-bindgen as plain objects whose TypeScript types `tsify` generates from the
//! Rust types into `pkg/mfnas.d.ts`. Errors are thrown as JS `Error`s with the core's message
//! and a `kind` property; a panic is handed to `self.onmfnaspanic(message)` when the worker
//! has set it, because the instance cannot be trusted after one.

use crate::algo::config::AlgoParams;
use crate::error::Error;
use crate::params;
use crate::session::Session;
use crate::table::Fidelity;
use serde::Serialize;
use wasm_bindgen::prelude::*;

mod editor;
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

/// Seeds and ids cross as JS numbers; they must be exact non-negative integers (the
/// engine's seed range is exactly the integers a JS number holds).
fn whole(value: f64, what: &str) -> Result<u64, JsValue> {
    crate::limits::seed_from_f64(value, what).map_err(err)
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

    /// The algorithm's state for the views (also in every `StepBatch`).
    #[wasm_bindgen(unchecked_return_type = "Snapshot")]
    pub fn snapshot(&self) -> Result<JsValue, JsValue> {
        to_js(&self.inner.snapshot().map_err(err)?)
    }

    /// Describes the architecture with id `id` (NB201: the benchmark index).
    #[wasm_bindgen(unchecked_return_type = "ArchInfo")]
    pub fn arch(&self, id: f64) -> Result<JsValue, JsValue> {
        let id = whole(id, "the architecture id")?;
        to_js(&self.inner.arch(id).map_err(err)?)
    }

    /// The id of an architecture given by its id (`9930`, `#9930`) or in any notation of
    /// the table's space.
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

/// The engine's parsers and ranges, so that the page checks what it reads (URLs, forms)
/// exactly as the command line does, with the same messages. They need no table.
#[wasm_bindgen(js_class = Session)]
impl WasmSession {
    /// Parses a fidelity: `"200"`, `"hp12"` or `"25@hp200"`.
    #[wasm_bindgen(js_name = parseFidelity, unchecked_return_type = "Fidelity")]
    pub fn parse_fidelity(&self, text: &str) -> Result<JsValue, JsValue> {
        to_js(&params::fidelity(text).map_err(err)?)
    }

    /// The label of a fidelity as the engine writes it (`"200"`, `"12@hp12"`).
    #[wasm_bindgen(js_name = fidelityLabel)]
    pub fn fidelity_label(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Fidelity")] fidelity: JsValue,
    ) -> Result<String, JsValue> {
        let f: Fidelity = from_js(fidelity, "fidelity")?;
        Ok(f.label())
    }

    /// Parses a successive-halving ladder: `"12,25,50,100,200"` or `"12@hp12,200"`.
    #[wasm_bindgen(js_name = parseLadder, unchecked_return_type = "Fidelity[]")]
    pub fn parse_ladder(&self, text: &str) -> Result<JsValue, JsValue> {
        to_js(&params::ladder(text).map_err(err)?)
    }

    /// Parses the survivors per rung: `"4"` or `"16,8,4,2"`.
    #[wasm_bindgen(js_name = parseKeep)]
    pub fn parse_keep(&self, text: &str) -> Result<Vec<u32>, JsValue> {
        params::keep(text)
            .map(|k| {
                k.into_iter()
                    .map(|n| n.min(u32::MAX as usize) as u32)
                    .collect()
            })
            .map_err(err)
    }

    /// Parses a stage-2 metric (`val_test_acc` is read as `valtest_acc`).
    #[wasm_bindgen(js_name = parseStage2Metric, unchecked_return_type = "Role")]
    pub fn parse_stage2_metric(&self, text: &str) -> Result<JsValue, JsValue> {
        to_js(&params::stage2_metric(text).map_err(err)?)
    }

    /// The metrics successive halving can rank by, by their one spelling.
    #[wasm_bindgen(js_name = stage2Metrics, unchecked_return_type = "Role[]")]
    pub fn stage2_metrics(&self) -> Result<JsValue, JsValue> {
        to_js(&params::STAGE2_METRICS)
    }

    /// Parses MF-NAS's stage-1 optimiser: `fls`, `bls` or `rs`.
    #[wasm_bindgen(js_name = parseStage1, unchecked_return_type = "Stage1Kind")]
    pub fn parse_stage1(&self, text: &str) -> Result<JsValue, JsValue> {
        to_js(&params::stage1(text).map_err(err)?)
    }

    /// Checks a seed against the one seed range (the message states the range).
    #[wasm_bindgen(js_name = checkSeed)]
    pub fn check_seed(&self, seed: f64) -> Result<f64, JsValue> {
        whole(seed, "the seed").map(|s| s as f64)
    }

    /// Every parameter's documented range.
    #[wasm_bindgen(unchecked_return_type = "ParamRange[]")]
    pub fn limits(&self) -> Result<JsValue, JsValue> {
        to_js(&crate::limits::ranges())
    }
}

impl Default for WasmSession {
    fn default() -> Self {
        Self::new()
    }
}

/// The paper's published NB201 results (`crate::paper`), quoted for comparison.
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
