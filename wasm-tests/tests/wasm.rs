//! Browser tests of the wasm face, run in a dedicated Web Worker as the explorer runs it:
//! `wasm-pack test --headless --chrome wasm-tests`.
#![cfg(target_arch = "wasm32")]

// The runs and fixture the native test `tests/parity_native.rs` checks too.
#[path = "../../tests/parity/mod.rs"]
mod parity;

use mfnas::algo::config::{Algo, AlgoParams};
use mfnas::session::{ArchInfo, ExperimentProgress, RunInfo, StepBatch, TableInfo};
use mfnas::wasm::WasmSession as Session;
use wasm_bindgen::JsValue;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_dedicated_worker);

fn params(algo: Algo) -> JsValue {
    let mut p = AlgoParams::new(algo);
    p.budget_s = Some(20_000.0);
    serde_wasm_bindgen::to_value(&p).unwrap()
}

#[wasm_bindgen_test]
fn the_same_seed_gives_the_same_runs_in_wasm_as_natively() {
    assert_eq!(parity::digests_json(), parity::FIXTURE);
}

#[wasm_bindgen_test]
fn a_run_stepped_through_the_js_face_ends_with_the_fixture_outcome() {
    let expected = parity::fixture_digest(Algo::MfNas, 7);
    let mut s = Session::new();
    let info: TableInfo =
        serde_wasm_bindgen::from_value(s.load_synthetic_table(3.0).unwrap()).unwrap();
    assert_eq!(info.n_rows, 15_625);
    let run: RunInfo =
        serde_wasm_bindgen::from_value(s.start_run(params(Algo::MfNas), 7.0).unwrap()).unwrap();
    assert_eq!(run.seed, 7);
    let mut n_events = 0;
    let outcome = loop {
        let b: StepBatch = serde_wasm_bindgen::from_value(s.step(500).unwrap()).unwrap();
        n_events += b.events.len();
        if let Some(o) = b.outcome {
            break o;
        }
    };
    assert_eq!((outcome, n_events), (expected.outcome, expected.n_events));
}

#[wasm_bindgen_test]
fn bad_parameters_throw_an_error_with_the_core_message() {
    let mut s = Session::new();
    s.load_synthetic_table(3.0).unwrap();
    let mut p = AlgoParams::new(Algo::MfNas);
    p.budget_s = Some(20_000.0);
    p.zc = Some("nope".into());
    let e = s
        .start_run(serde_wasm_bindgen::to_value(&p).unwrap(), 1.0)
        .unwrap_err();
    let e: js_sys::Error = e.into();
    assert!(String::from(e.message()).contains("synflow"));
}

#[wasm_bindgen_test]
fn an_unknown_parameter_name_is_refused() {
    let mut s = Session::new();
    s.load_synthetic_table(3.0).unwrap();
    let obj = js_sys::Object::new();
    js_sys::Reflect::set(&obj, &"algo".into(), &"rs".into()).unwrap();
    js_sys::Reflect::set(&obj, &"budget".into(), &1.0.into()).unwrap();
    assert!(s.start_run(obj.into(), 1.0).is_err());
}

#[wasm_bindgen_test]
fn a_fractional_seed_is_refused() {
    let mut s = Session::new();
    s.load_synthetic_table(3.0).unwrap();
    assert!(s.start_run(params(Algo::Rs), 1.5).is_err());
}

#[wasm_bindgen_test]
fn an_experiment_runs_to_the_end_through_the_js_face() {
    let mut s = Session::new();
    s.load_synthetic_table(3.0).unwrap();
    let list = serde_wasm_bindgen::to_value(&vec![AlgoParams {
        budget_s: Some(20_000.0),
        ..AlgoParams::new(Algo::MfNas)
    }])
    .unwrap();
    assert_eq!(s.start_experiment(list, 1.0, 20).unwrap(), 20);
    let p = loop {
        let p: ExperimentProgress =
            serde_wasm_bindgen::from_value(s.experiment_step(7).unwrap()).unwrap();
        if p.finished {
            break p;
        }
    };
    assert_eq!(p.entries[0].summary.runs, 20);
}

#[wasm_bindgen_test]
fn an_architecture_is_described_through_the_js_face() {
    let mut s = Session::new();
    s.load_synthetic_table(3.0).unwrap();
    // Ids are NB201's benchmark indices: index 0 is the published first architecture.
    let a: ArchInfo = serde_wasm_bindgen::from_value(s.arch(0.0).unwrap()).unwrap();
    assert_eq!(
        a.arch_string,
        "|avg_pool_3x3~0|+|nor_conv_1x1~0|skip_connect~1|+|nor_conv_1x1~0|skip_connect~1|skip_connect~2|"
    );
    let none = "|none~0|+|none~0|none~1|+|none~0|none~1|none~2|";
    let id = s.parse_arch(none).unwrap();
    let b: ArchInfo = serde_wasm_bindgen::from_value(s.arch(id).unwrap()).unwrap();
    assert_eq!((b.id as f64, b.arch_string.as_str()), (id, none));
}
