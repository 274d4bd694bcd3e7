//! NB101 packers on the shared fragments, and MF-NAS end to end on the fragment table.
#![cfg(feature = "cli")]

mod common;

use mfnas::algo::config::{Algo, AlgoParams, Stage1Kind};
use mfnas::experiment;
use mfnas::sources::nb101::{self as pack_nb101, FRAGMENT_SLICE};
use mfnas::space::SearchSpace;
use mfnas::space::nb101::Nb101;
use mfnas::space::subset::Subset;
use mfnas::table::{Fidelity, Role, Table};

fn fid108() -> Fidelity {
    Fidelity::new(108, "nb101")
}

#[test]
fn the_slice_table_has_30_cells_and_the_published_best_mean_test_accuracy() {
    let Some(dir) = common::data_dir(FRAGMENT_SLICE) else {
        return;
    };
    let t = pack_nb101::pack_slice(&dir).unwrap();
    assert_eq!(t.n_rows(), 30);
    let test = t.col(t.test_column().unwrap());
    assert_eq!(test.spec.fidelity, Some(fid108()));
    let best = test.raw().iter().copied().fold(f64::MIN, f64::max);
    // PROVENANCE.md: best 3-seed mean final test accuracy 92.97 %.
    assert_eq!((best * 100.0).round() / 100.0, 92.97);
    assert_eq!(
        t.fidelities(Role::ValAcc),
        vec![Fidelity::new(54, "nb101-108"), fid108()]
    );
}

#[test]
fn the_slice_packs_to_the_same_table_from_json_pickle_and_csv() {
    let Some(dir) = common::data_dir("nb101/NASLib/nb101_dummy.pkl") else {
        return;
    };
    let json = std::fs::read_to_string(dir.join(FRAGMENT_SLICE)).unwrap();
    let from_json = pack_nb101::read_official_json(&json).unwrap();
    let from_pickle = pack_nb101::read_official_pickle(
        &std::fs::read(dir.join("nb101/NASLib/nb101_dummy.pkl")).unwrap(),
    )
    .unwrap();
    let csv = pack_nb101::write_official_csv(&from_json).unwrap();
    let from_csv = pack_nb101::read_official_csv(&csv).unwrap();
    let key = |r: &pack_nb101::OfficialRecord| r.hash.clone();
    let mut a = from_json.clone();
    let mut b = from_pickle;
    let mut c = from_csv;
    a.sort_by_key(key);
    b.sort_by_key(key);
    c.sort_by_key(key);
    assert_eq!(a, b);
    assert_eq!(a, c);
}

fn fragment(dir: &std::path::Path) -> Table {
    pack_nb101::pack_fragment(dir).unwrap()
}

#[test]
fn the_fragment_table_has_one_row_per_distinct_network_labelled_as_a_fragment() {
    let Some(dir) = common::data_dir(pack_nb101::FRAGMENT_ZC) else {
        return;
    };
    let t = fragment(&dir);
    assert_eq!(t.n_rows(), 292);
    assert!(t.meta.title.contains("FRAGMENT"));
    for k in t.keys() {
        assert!(
            Nb101.from_key(*k).is_some(),
            "every key is a canonical NB101 cell"
        );
    }
    let syn = t.col(t.find_proxy("synflow").unwrap());
    assert_eq!(syn.count_present(), 292);
    let val = t.col(t.find_training(Role::ValAcc, &fid108()).unwrap());
    assert_eq!(val.count_present(), 292);
    let time = t.col(t.find_proxy_time("synflow").unwrap());
    assert_eq!(time.spec.missing_cost, Some(1.4356617034300945));
    let records = t.col(t.column_index("suite_zero_records").unwrap());
    assert_eq!(records.raw().iter().sum::<f64>(), 500.0);
    assert!(
        t.test_column().is_err(),
        "the fragment has no test accuracy"
    );
}

#[test]
fn mf_nas_runs_end_to_end_on_the_fragment_and_returns_the_best_validated_candidate() {
    let Some(dir) = common::data_dir(pack_nb101::FRAGMENT_ZC) else {
        return;
    };
    let t = fragment(&dir);
    let space = Subset::new(Nb101, t.keys()).unwrap();
    let mut p = AlgoParams::new(Algo::MfNas);
    p.zc = Some("synflow".into());
    p.stage1 = Some(Stage1Kind::Rs);
    p.stage1_evals = Some(2000);
    p.candidates = Some(16);
    p.fidelity = Some(fid108());
    p.ladder = Some(vec![fid108()]);
    p.budget_s = Some(100_000.0);
    let plan = p.check(&t).unwrap();
    let (out, events) = experiment::run_once(&space, &t, &plan, 0, true).unwrap();
    assert!(!events.is_empty());
    assert_eq!(out.test_acc, None, "the fragment has no test accuracy");
    // Stage 2 with one rung trains every candidate for 108 epochs and keeps the best:
    // the returned cell must have the best val_acc@108 among the evaluated candidates.
    let val = t.col(t.find_training(Role::ValAcc, &fid108()).unwrap());
    let evaluated: Vec<u64> = events
        .iter()
        .filter_map(|e| match e {
            mfnas::event::Event::Evaluated {
                arch, objective, ..
            } if objective.starts_with("val_acc") => Some(*arch),
            _ => None,
        })
        .collect();
    assert_eq!(evaluated.len(), 16);
    let best = evaluated
        .iter()
        .map(|&k| val.get(t.row(k).unwrap()).unwrap())
        .fold(f64::MIN, f64::max);
    assert_eq!(out.score, best);
    println!(
        "MF-NAS on {}: {} val_acc@108 {:.2} %, cost {:.0} s, {} epochs",
        t.meta.title, out.arch_string, out.score, out.cost_s, out.epochs
    );
}
