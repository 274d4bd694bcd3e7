//! NB-ASR packers on the shared fragment, and a round trip through the release pickle format.
#![cfg(feature = "cli")]

mod common;

use mfnas::algo::config::{Algo, AlgoParams, Stage1Kind};
use mfnas::experiment;
use mfnas::sources::nbasr::{self as pack_nbasr, FRAGMENT};
use mfnas::space::SearchSpace;
use mfnas::space::nbasr::{NbAsr, NbAsrArch, OP_NAMES};
use mfnas::space::subset::Subset;
use mfnas::table::{Fidelity, Role};
use serde_json::{Value, json};

/// A protocol-2 pickle of a JSON value (ints stay ints, other numbers become floats).
fn pickle(v: &Value, out: &mut Vec<u8>) {
    match v {
        Value::Null => out.push(b'N'),
        Value::Bool(b) => out.push(if *b { 0x88 } else { 0x89 }),
        Value::Number(n) if n.is_i64() && i32::try_from(n.as_i64().unwrap()).is_ok() => {
            out.push(b'J');
            out.extend((n.as_i64().unwrap() as i32).to_le_bytes());
        }
        Value::Number(n) => {
            out.push(b'G');
            out.extend(n.as_f64().unwrap().to_be_bytes());
        }
        Value::String(s) => {
            out.push(b'X');
            out.extend((s.len() as u32).to_le_bytes());
            out.extend(s.as_bytes());
        }
        Value::Array(items) => {
            out.extend(b"](");
            items.iter().for_each(|x| pickle(x, out));
            out.push(b'e');
        }
        Value::Object(m) => {
            out.extend(b"}(");
            for (k, x) in m {
                pickle(&Value::String(k.clone()), out);
                pickle(x, out);
            }
            out.push(b'u');
        }
    }
}

fn file(header: Value, rows: Value) -> Vec<u8> {
    let mut out = Vec::new();
    for v in [header, rows] {
        out.extend(b"\x80\x02");
        pickle(&v, &mut out);
        out.push(b'.');
    }
    out
}

#[test]
fn the_fragment_table_holds_the_readme_architecture_with_its_seed_means() {
    let Some(dir) = common::data_dir(FRAGMENT) else {
        return;
    };
    let t = pack_nbasr::pack_fragment(&dir).unwrap();
    assert_eq!(t.n_rows(), 1);
    assert!(t.meta.title.contains("FRAGMENT"));
    let a = NbAsrArch::parse_arch_vec("[[1,0],[1,0,0],[1,0,0,0]]").unwrap();
    assert_eq!(t.keys(), &[NbAsr.key(a)]);
    let test = t.col(t.test_column().unwrap());
    assert_eq!(test.spec.role, Role::TestPer);
    // PROVENANCE.md: test PER 0.23396 / 0.24269 / 0.23728, mean 0.23798.
    assert_eq!((test.get(0).unwrap() * 1e5).round() / 1e5, 0.23798);
    let v40 = t.col(
        t.find_training(Role::ValPer, &Fidelity::new(40, "asr"))
            .unwrap(),
    );
    assert_eq!(
        v40.get(0).unwrap(),
        (0.22056186 + 0.22202298 + 0.22228864) / 3.0
    );
    assert_eq!(t.fidelities(Role::ValPer).len(), 40 + 5);
    assert_eq!(
        t.col(t.find_proxy("params").unwrap()).get(0),
        Some(26_338_848.0)
    );
}

#[test]
fn the_fragment_written_as_release_pickles_packs_to_the_same_table() {
    let Some(dir) = common::data_dir(FRAGMENT) else {
        return;
    };
    let ex: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join(FRAGMENT)).unwrap()).unwrap();
    let tmp = std::env::temp_dir().join(format!("mfnas-nbasr-{}", std::process::id()));
    let full = tmp.join("nbasr/full");
    std::fs::create_dir_all(&full).unwrap();
    let space = json!({"ops": OP_NAMES, "nodes": 3, "shape": [[6, 2], [6, 2, 2], [6, 2, 2, 2]]});
    for (name, run) in ex["runs"].as_object().unwrap() {
        let (e, seed) = name[1..].split_once('-').unwrap();
        let header = json!({"dataset_type": "training", "version": 1, "seed": seed.parse::<i64>().unwrap(),
            "epochs": e.parse::<i64>().unwrap(), "search_space": space,
            "columns": ["model_hash", "val_per", "test_per", "arch_vec"]});
        let rows = json!([[
            ex["model_hash"],
            run["val_per"],
            run["test_per"],
            ex["arch_vec"]
        ]]);
        std::fs::write(
            full.join(format!("nb-asr-{name}.pickle")),
            file(header, rows),
        )
        .unwrap();
    }
    let info = json!({"dataset_type": "static", "version": 1, "search_space": space, "columns": ["model_hash", "params"]});
    std::fs::write(
        full.join("nb-asr-info.pickle"),
        file(info, json!([[ex["model_hash"], ex["params"]]])),
    )
    .unwrap();
    for (device, l) in ex["latency_seconds"].as_object().unwrap() {
        let h = json!({"dataset_type": "benchmarking", "version": 1, "device": device, "search_space": space,
            "columns": ["model_hash", "latency"]});
        std::fs::write(
            full.join(format!("nb-asr-bench-{device}.pickle")),
            file(h, json!([[ex["model_hash"], l]])),
        )
        .unwrap();
    }
    let from_pickles = pack_nbasr::pack_full(&tmp).unwrap();
    let from_json = pack_nbasr::pack_fragment(&dir).unwrap();
    std::fs::remove_dir_all(&tmp).unwrap();
    assert_eq!(from_pickles.keys(), from_json.keys());
    // Compare bit for bit (a missing value is NaN, which is never == itself).
    let bits = |t: &mfnas::table::Table| -> Vec<(mfnas::table::ColumnSpec, Vec<u64>)> {
        t.columns()
            .iter()
            .map(|c| {
                (
                    c.spec.clone(),
                    c.raw().iter().map(|v| v.to_bits()).collect(),
                )
            })
            .collect()
    };
    assert_eq!(bits(&from_pickles), bits(&from_json));
}

#[test]
fn mf_nas_runs_on_the_asr_fragment_selecting_by_validation_per() {
    let Some(dir) = common::data_dir(FRAGMENT) else {
        return;
    };
    let t = pack_nbasr::pack_fragment(&dir).unwrap();
    let space = Subset::new(NbAsr, t.keys()).unwrap();
    let mut p = AlgoParams::new(Algo::MfNas);
    p.zc = Some("params".into());
    p.stage1 = Some(Stage1Kind::Rs);
    p.stage1_evals = Some(10);
    p.fidelity = Some(Fidelity::new(40, "asr"));
    p.ladder = Some(vec![Fidelity::new(40, "asr")]);
    p.budget_s = Some(1.0);
    let plan = p.check(&t).unwrap();
    let (out, _) = experiment::run_once(&space, &t, &plan, 3, false).unwrap();
    let v40 = t.col(
        t.find_training(Role::ValPer, &Fidelity::new(40, "asr"))
            .unwrap(),
    );
    // Scores are oriented (larger is better): a minimised PER comes back negated.
    assert_eq!(out.score, -v40.get(0).unwrap());
    assert_eq!(out.test_acc, t.col(t.test_column().unwrap()).get(0));
}
