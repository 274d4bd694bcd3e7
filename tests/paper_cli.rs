//! `mfnas paper` as a user runs it: the files it writes, the same report as the explorer's
//! stepper for the same seeds, and clear errors for bad input.

use mfnas::report::stepper::{ReportJob, ReportRequest};
use mfnas::report::{self, PaperReport, Section};
use mfnas::table::synthetic::nb201_full_curves;
use std::path::PathBuf;
use std::process::Command;

fn mfnas() -> Command {
    Command::new(env!("CARGO_BIN_EXE_mfnas"))
}

fn out_dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("mfnas-paper-cli-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    d
}

/// Runs `mfnas paper ARGS extra --out <fresh folder>`; returns the folder and the report.
fn paper(name: &str, args: &[&str]) -> (PathBuf, PaperReport) {
    let out = out_dir(name);
    let st = mfnas()
        .arg("paper")
        .args(args)
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert!(
        st.status.success(),
        "{}",
        String::from_utf8_lossy(&st.stderr)
    );
    let json = std::fs::read_to_string(out.join("paper.json")).unwrap();
    (out, serde_json::from_str(&json).unwrap())
}

const ARGS: [&str; 8] = [
    "--synthetic",
    "--runs",
    "5",
    "--trend-runs",
    "2",
    "--trend-evals",
    "150",
    "--quiet",
];

#[test]
fn the_command_writes_markdown_html_json_and_every_figure() {
    let (out, _) = paper("files", &ARGS);
    for f in [
        "paper.md",
        "paper.html",
        "paper.json",
        "fig2a-optima.svg",
        "fig2b-global-optima.svg",
        "fig2c-spearman.svg",
        "fig3-top1.svg",
    ] {
        assert!(out.join(f).is_file(), "{f} is missing");
    }
    let trends = std::fs::read_dir(&out)
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .file_name()
                .to_string_lossy()
                .starts_with("trend-")
        })
        .count();
    assert_eq!(trends, 3);
    let leftovers: Vec<_> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "temporary files left: {leftovers:?}");
    let _ = std::fs::remove_dir_all(&out);
}

#[test]
fn the_command_line_and_the_explorers_stepper_give_the_same_report() {
    let (out, cli) = paper("same", &ARGS);
    let request = ReportRequest {
        sections: Section::ALL.to_vec(),
        runs: 5,
        seed_start: 1,
        trend_runs: Some(2),
        trend_evals: Some(150),
    };
    let datasets: Vec<_> = mfnas::paper::DATASETS
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let t = nb201_full_curves(i as u64 + 1);
            let mut job = ReportJob::new(&t, d, &request).unwrap();
            while !job.step(&t, 37).unwrap().finished {}
            job.dataset_results(&t)
        })
        .collect();
    let stepped = report::build(&datasets, &Section::ALL, 5, 1);
    assert_eq!(cli, stepped);
    let _ = std::fs::remove_dir_all(&out);
}

#[test]
fn one_section_of_one_dataset_can_be_asked_for() {
    let (out, r) = paper(
        "one",
        &[
            "--synthetic",
            "--runs",
            "3",
            "--quiet",
            "--datasets",
            "cifar100",
            "--sections",
            "table6",
        ],
    );
    assert_eq!(r.tables.len(), 1);
    assert_eq!(r.tables[0].section, Section::Table6);
    assert_eq!(r.columns.len(), 1);
    assert_eq!(r.columns[0].dataset, "cifar100");
    assert!(r.trends.is_empty() && r.landscapes.is_empty());
    let _ = std::fs::remove_dir_all(&out);
}

fn fails_with(args: &[&str], needle: &str) {
    let st = mfnas().arg("paper").args(args).output().unwrap();
    assert!(!st.status.success(), "{args:?} succeeded");
    let err = String::from_utf8_lossy(&st.stderr);
    assert!(err.contains(needle), "{args:?}: {err}");
}

#[test]
fn an_existing_report_is_replaced_only_with_force() {
    let (out, _) = paper(
        "force",
        &[
            "--synthetic",
            "--runs",
            "2",
            "--quiet",
            "--sections",
            "table2",
        ],
    );
    let before = std::fs::read(out.join("paper.md")).unwrap();
    let again = |extra: &[&str]| {
        mfnas()
            .args(["paper", "--synthetic", "--runs", "3", "--quiet"])
            .args(["--sections", "table2"])
            .args(extra)
            .arg("--out")
            .arg(&out)
            .output()
            .unwrap()
    };
    let st = again(&[]);
    assert!(!st.status.success());
    assert!(
        String::from_utf8_lossy(&st.stderr).contains("--force"),
        "{}",
        String::from_utf8_lossy(&st.stderr)
    );
    assert_eq!(
        std::fs::read(out.join("paper.md")).unwrap(),
        before,
        "nothing was touched"
    );
    let st = again(&["--force"]);
    assert!(
        st.status.success(),
        "{}",
        String::from_utf8_lossy(&st.stderr)
    );
    assert_ne!(std::fs::read(out.join("paper.md")).unwrap(), before);
    let _ = std::fs::remove_dir_all(&out);
}

#[test]
fn bad_input_gets_an_error_that_says_what_to_change() {
    fails_with(
        &["--synthetic", "--datasets", "mnist"],
        "not one of the paper's datasets",
    );
    fails_with(&["--synthetic", "--sections", "table3"], "unknown section");
    fails_with(&["--synthetic", "--runs", "0"], "--runs must be at least 1");
    fails_with(
        &["--tables", "/nonexistent/tables", "--datasets", "cifar10"],
        "mfnas pack",
    );
}
