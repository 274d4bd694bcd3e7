//! The paper report on the real NAS-Bench-201 tables, exactly as `mfnas paper` computes it
//! (500 runs, seeds 1..500, trends of 500 × 5,000 evaluations): its numbers are pinned by
//! `tests/golden/paper_report.json`, and every cause stands exactly where a difference
//! exceeds its standard error.
//!
//! Needs the packed tables (`mfnas pack`, found through MFNAS_TABLES or `tables/`); without
//! them it says it did not run (and fails under MFNAS_REQUIRE_DATA=1, as in CI). After a deliberate change of the numbers, regenerate the
//! golden file with `MFNAS_BLESS=1 cargo test --test paper_report_real` and review its diff.

mod common;
mod paper_common;

use mfnas::report::render::TREND_POINTS;
use mfnas::report::stepper::{ReportJob, ReportRequest};
use mfnas::report::{self, PaperReport, Section};
use mfnas::table::Table;
use paper_common::{check_causes, column, row, table};
use serde_json::{Value, json};
use std::path::PathBuf;
use std::sync::OnceLock;

const RUNS: usize = 500;

/// The packed table of `dataset`; `None` (said by `common::skip`) without it.
fn load(dataset: &str) -> Option<Table> {
    let path = common::packed_table(&format!("nb201-{dataset}.mfnt"))?;
    Some(mfnas::table::load(&path).expect("a packed table that exists must load"))
}

/// The whole report, one thread per dataset.
fn report() -> Option<&'static PaperReport> {
    static R: OnceLock<Option<PaperReport>> = OnceLock::new();
    R.get_or_init(|| {
        let tables: Vec<(String, Table)> = mfnas::paper::DATASETS
            .iter()
            .map(|d| load(d).map(|t| (d.to_string(), t)))
            .collect::<Option<_>>()?;
        let request = ReportRequest {
            sections: Section::ALL.to_vec(),
            runs: RUNS,
            seed_start: 1,
            trend_runs: None,
            trend_evals: None,
        };
        let datasets = std::thread::scope(|s| {
            let handles: Vec<_> = tables
                .iter()
                .map(|(d, t)| {
                    let request = &request;
                    s.spawn(move || {
                        let mut job = ReportJob::new(t, d, request).expect("the request is valid");
                        while !job.step(t, 10_000).expect("the report runs").finished {}
                        job.dataset_results(t)
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().unwrap())
                .collect::<Vec<_>>()
        });
        Some(report::build(&datasets, &Section::ALL, RUNS, 1))
    })
    .as_ref()
}

/// Whether the tables are missing (already said by `common::skip`, which fails the test
/// under MFNAS_REQUIRE_DATA=1).
fn skipped() -> bool {
    report().is_none()
}

fn stat(s: &Option<mfnas::report::Stat>) -> Value {
    match s {
        Some(s) => json!([s.mean, s.std, s.n]),
        None => Value::Null,
    }
}

/// The numbers the golden file pins: every cell, the landscape numbers and the trends at
/// a few evaluation counts.
fn digest(r: &PaperReport) -> Value {
    let tables: Vec<Value> = r
        .tables
        .iter()
        .map(|t| {
            let rows: Vec<Value> = t
                .rows
                .iter()
                .map(|row| {
                    let cells: Vec<Value> = row
                        .cells
                        .iter()
                        .flatten()
                        .map(|c| {
                            json!({
                                "ours": stat(&c.ours),
                                "exceeds": c.difference.map(|d| d.exceeds),
                                "causes": c.causes,
                                "unavailable": c.unavailable.as_ref().map(|u| &u.reason),
                                "full_coverage": c.full_coverage.as_ref().map(|f| json!([f.proxy, f.ours.mean, f.ours.std])),
                            })
                        })
                        .collect();
                    json!({ "row": row.label, "cells": cells })
                })
                .collect();
            json!({ "table": t.title, "rows": rows })
        })
        .collect();
    let landscapes: Vec<Value> = r
        .landscapes
        .iter()
        .flat_map(|d| {
            d.summaries.iter().map(move |s| {
                json!([
                    d.name,
                    s.metric,
                    s.n_optima,
                    s.global_optima_mean_test_acc,
                    s.spearman,
                    s.top1_overlap
                ])
            })
        })
        .collect();
    let trends: Vec<Value> = r
        .trends
        .iter()
        .flat_map(|d| {
            d.trends.iter().map(move |t| {
                let at: Vec<Option<f64>> = TREND_POINTS
                    .iter()
                    .map(|&n| t.mean_test_acc.get(n - 1).copied().flatten())
                    .collect();
                json!([d.name, t.metric, at])
            })
        })
        .collect();
    json!({ "runs": r.runs, "tables": tables, "landscapes": landscapes, "trends": trends })
}

/// Compares two JSON values, numbers to 1e-9 relative; returns the first difference.
fn first_difference(path: &str, got: &Value, want: &Value) -> Option<String> {
    match (got, want) {
        (Value::Number(a), Value::Number(b)) => {
            let (a, b) = (a.as_f64().unwrap(), b.as_f64().unwrap());
            ((a - b).abs() > 1e-9 * b.abs().max(1.0))
                .then(|| format!("{path}: {a} now, {b} in the golden file"))
        }
        (Value::Array(a), Value::Array(b)) => {
            if a.len() != b.len() {
                return Some(format!(
                    "{path}: {} entries now, {} in the golden file",
                    a.len(),
                    b.len()
                ));
            }
            a.iter()
                .zip(b)
                .enumerate()
                .find_map(|(i, (x, y))| first_difference(&format!("{path}[{i}]"), x, y))
        }
        (Value::Object(a), Value::Object(b)) => {
            let keys: Vec<&String> = a.keys().chain(b.keys()).collect();
            keys.into_iter().find_map(|k| {
                first_difference(
                    &format!("{path}.{k}"),
                    a.get(k).unwrap_or(&Value::Null),
                    b.get(k).unwrap_or(&Value::Null),
                )
            })
        }
        (a, b) => (a != b).then(|| format!("{path}: {a} now, {b} in the golden file")),
    }
}

#[test]
fn the_real_data_report_matches_its_golden_file() {
    if skipped() {
        return;
    }
    let got = digest(report().unwrap());
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/golden/paper_report.json");
    if std::env::var_os("MFNAS_BLESS").is_some() {
        std::fs::write(&path, serde_json::to_string_pretty(&got).unwrap() + "\n").unwrap();
        eprintln!("wrote {}", path.display());
        return;
    }
    let want: Value = serde_json::from_str(
        &std::fs::read_to_string(&path).expect("tests/golden/paper_report.json exists"),
    )
    .expect("the golden file is JSON");
    if let Some(d) = first_difference("report", &got, &want) {
        panic!("the report changed: {d}. If on purpose, regenerate with MFNAS_BLESS=1.");
    }
}

#[test]
fn on_the_real_tables_a_cause_stands_exactly_where_a_difference_exceeds_its_standard_error() {
    if skipped() {
        return;
    }
    let (beyond, within) = check_causes(report().unwrap());
    assert!(beyond > 0 && within > 0, "{beyond} beyond, {within} within");
}

#[test]
fn mf_nas_with_params_matches_the_paper_on_every_dataset() {
    if skipped() {
        return;
    }
    let r = report().unwrap();
    let t6 = table(r, Section::Table6);
    let params = row(t6, "params");
    for (c, col) in params.cells.iter().zip(&r.columns) {
        let d = c[0].difference.unwrap();
        assert!(!d.exceeds, "{}: {d:?}", col.dataset);
    }
}

#[test]
fn cifar100s_partial_synflow_is_marked_with_its_full_coverage_twin() {
    if skipped() {
        return;
    }
    let r = report().unwrap();
    let col = column(r, "cifar100");
    let t6 = table(r, Section::Table6);
    let synflow = &row(t6, "synflow").cells[col][0];
    assert!(synflow.partial_coverage);
    let twin = synflow
        .full_coverage
        .as_ref()
        .expect("freerea_synflow scores every cell");
    assert_eq!(twin.proxy, "freerea_synflow");
    assert!(
        synflow.causes.iter().any(|c| c.contains("725/15,625")),
        "{:?}",
        synflow.causes
    );
}

#[test]
fn table_5s_training_loss_is_not_in_the_public_data() {
    if skipped() {
        return;
    }
    let r = report().unwrap();
    let t5 = table(r, Section::Table5);
    for row in &t5.rows {
        for (c, col) in row.cells.iter().zip(&r.columns) {
            let loss = &c[1];
            assert!(loss.ours.is_none(), "{} {}", row.label, col.dataset);
            let u = loss.unavailable.as_ref().expect("why it did not run");
            assert!(u.public_data);
            if row.label != "zen" || col.dataset != "cifar100" {
                assert!(
                    u.needed.contains("train_loss at epochs 12, 25, 50, 100"),
                    "{}",
                    u.needed
                );
            }
        }
    }
}
