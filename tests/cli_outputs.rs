//! The command line's inputs and outputs under adversarial use: options that do not apply
//! are refused with the reason, outputs are checked before any work and written atomically
//! (nothing a user had is lost, a full disk leaves no truncated file, errors name the
//! path), table reads refuse devices and pipes, and event streams are written as they
//! happen in bounded memory. Each test is one finding of issue #12 (its exact command).
//! Runs on the synthetic table where it can; the tests that need the packed tables say so.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::Duration;

mod common;

fn mfnas() -> Command {
    Command::new(env!("CARGO_BIN_EXE_mfnas"))
}

fn run(args: &[&str]) -> Output {
    mfnas().args(args).output().expect("the binary runs")
}

/// `mfnas run --dataset synthetic` followed by `extra`.
fn run_synthetic(extra: &[&str]) -> Output {
    run(&[&["run", "--dataset", "synthetic"], extra].concat())
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A fresh folder for one test under the system's temporary folder, removed when the test
/// ends (some tests write tens of megabytes).
struct Scratch(PathBuf);

impl std::ops::Deref for Scratch {
    type Target = Path;
    fn deref(&self) -> &Path {
        &self.0
    }
}

impl AsRef<std::ffi::OsStr> for Scratch {
    fn as_ref(&self) -> &std::ffi::OsStr {
        self.0.as_os_str()
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn scratch(name: &str) -> Scratch {
    let d = std::env::temp_dir().join(format!("mfnas-cli-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    Scratch(d)
}

fn files_in(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

/// Asserts a clean failure: exit status 1 or 2 (clap), no panic, a message with `needles`.
fn assert_refused(o: &Output, needles: &[&str]) {
    let err = stderr(o);
    assert!(!o.status.success(), "succeeded: {err}");
    assert!(
        matches!(o.status.code(), Some(1 | 2)),
        "status {:?}: {err}",
        o.status
    );
    assert!(!err.contains("panicked"), "{err}");
    for n in needles {
        assert!(err.contains(n), "{n:?} not in: {err}");
    }
}

// ---------------------------------------------------------------------------------------
// Flags that do not apply

#[test]
fn zc_with_random_search_is_refused_naming_the_algorithms_that_use_it() {
    let o = run_synthetic(&["--algo", "rs", "--zc", "params"]);
    assert_refused(&o, &["--zc does not apply to --algo rs", "mf-nas, rea-w"]);
}

#[test]
fn a_table_file_with_a_dataset_is_a_conflict() {
    let o = run(&["run", "--table", "x.mfnt", "--dataset", "cifar10"]);
    assert_refused(&o, &["--table", "--dataset"]);
}

#[test]
fn a_mistyped_dataset_lists_the_datasets_instead_of_asking_to_pack() {
    let o = run(&["run", "--dataset", "cifar1", "--algo", "rs"]);
    assert_refused(
        &o,
        &["unknown dataset \"cifar1\"", "cifar100", "ImageNet16-120"],
    );
    assert!(!stderr(&o).contains("pack the tables first"));
}

#[test]
fn landscape_out_without_export_is_refused() {
    let o = run(&[
        "landscape",
        "--synthetic",
        "1",
        "--metric",
        "synflow",
        "--out",
        "x.json",
    ]);
    assert_refused(&o, &["--out", "--export"]);
}

#[test]
fn landscape_report_without_all_is_refused() {
    let o = run(&[
        "landscape",
        "--synthetic",
        "1",
        "--metric",
        "synflow",
        "--report",
    ]);
    assert_refused(&o, &["--report", "--all"]);
}

#[test]
fn trend_options_without_trend_are_refused() {
    let o = run(&[
        "landscape",
        "--synthetic",
        "1",
        "--metric",
        "synflow",
        "--evals",
        "10",
    ]);
    assert_refused(&o, &["--evals", "--trend"]);
}

#[test]
fn a_run_charged_past_its_budget_says_how_far_and_by_which_rule() {
    let rea = [
        "--algo",
        "rea",
        "--population",
        "15625",
        "--budget",
        "20000",
    ];
    let o = run_synthetic(&rea);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(
        text.contains("over budget")
            && text.contains("over the 20000 s budget")
            && text.contains("initial population"),
        "{text}"
    );
    let o = run_synthetic(&[&rea[..], &["--format", "json"]].concat());
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(
        json["over_budget"]
            .as_str()
            .is_some_and(|s| s.contains("initial population")),
        "{json}"
    );
    let o = run_synthetic(&["--algo", "rs", "--budget", "1e-300"]);
    assert!(
        String::from_utf8_lossy(&o.stdout).contains("checks the budget before each evaluation")
    );
}

#[test]
fn an_experiment_says_how_many_runs_went_over_the_budget_and_by_how_much_at_most() {
    let args = [
        "experiment",
        "--dataset",
        "synthetic",
        "--algo",
        "ls",
        "--budget",
        "5000",
        "--runs",
        "6",
        "--quiet",
    ];
    let o = run(&[&args[..], &["--format", "json"]].concat());
    assert!(o.status.success(), "{}", stderr(&o));
    let summary: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    // The runs themselves, to compare with.
    let mut overs = Vec::new();
    for seed in 1..=6 {
        let seed = seed.to_string();
        let o = run_synthetic(&[
            "--algo", "ls", "--budget", "5000", "--seed", &seed, "--format", "json",
        ]);
        let cost = serde_json::from_slice::<serde_json::Value>(&o.stdout).unwrap()["cost_s"]
            .as_f64()
            .unwrap();
        if cost > 5000.0 {
            overs.push(cost - 5000.0);
        }
    }
    assert!(
        !overs.is_empty(),
        "local search with a small budget finishes its sweep past it"
    );
    assert_eq!(
        summary["over_budget"].as_u64().unwrap() as usize,
        overs.len(),
        "{summary}"
    );
    let max = overs.iter().copied().fold(f64::MIN, f64::max);
    assert!(
        (summary["max_over_budget_s"].as_f64().unwrap() - max).abs() < 1e-6,
        "{summary}"
    );
    let o = run(&args);
    let text = String::from_utf8_lossy(&o.stdout);
    assert!(
        text.contains(&format!(
            "{} of 6 runs charged more than the budget",
            overs.len()
        )) && text.contains("between sweeps"),
        "{text}"
    );
}

#[test]
fn a_run_within_its_budget_has_no_over_budget_line() {
    let o = run_synthetic(&["--algo", "sh", "--budget", "20000", "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert!(json["cost_s"].as_f64().unwrap() <= 20000.0, "{json}");
    assert!(json.get("over_budget").is_none(), "{json}");
}

#[test]
fn reproduce_with_zero_runs_is_refused_instead_of_printing_nan() {
    let o = run(&["reproduce", "--runs", "0"]);
    assert_refused(&o, &["--runs must be at least 1"]);
}

#[test]
fn an_out_file_of_unknown_format_is_refused_before_any_run() {
    let d = scratch("ext");
    let p = d.join("results.txt");
    let o = run(&[
        "experiment",
        "--dataset",
        "synthetic",
        "--algo",
        "rs",
        "--runs",
        "2",
        "--quiet",
        "--out",
        p.to_str().unwrap(),
    ]);
    assert_refused(&o, &[".csv or .json"]);
    assert!(files_in(&d).is_empty());
}

// ---------------------------------------------------------------------------------------
// Atomic, checked outputs

#[test]
fn an_existing_output_is_kept_without_force_and_replaced_with_it() {
    let d = scratch("force");
    let p = d.join("events.jsonl");
    std::fs::write(&p, "my precious notes\n").unwrap();
    let args = [
        "run",
        "--dataset",
        "synthetic",
        "--algo",
        "rs",
        "--budget",
        "2000",
        "--events",
        p.to_str().unwrap(),
    ];
    let o = run(&args);
    assert_refused(&o, &[p.to_str().unwrap(), "--force"]);
    assert_eq!(std::fs::read_to_string(&p).unwrap(), "my precious notes\n");
    let o = mfnas().args(args).arg("--force").output().unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let text = std::fs::read_to_string(&p).unwrap();
    assert!(text.lines().count() > 1);
    for line in text.lines() {
        serde_json::from_str::<serde_json::Value>(line).expect("every line is an event");
    }
    assert_eq!(files_in(&d), ["events.jsonl"], "no temporary file is left");
}

#[test]
fn an_unwritable_out_folder_fails_before_the_work_and_names_the_path() {
    // 10 million runs would take hours: failing at once shows the check comes first.
    let o = run(&[
        "experiment",
        "--dataset",
        "synthetic",
        "--algo",
        "rs",
        "--runs",
        "10000000",
        "--quiet",
        "--out",
        "/nonexistent-mfnas-dir/results.json",
    ]);
    assert_refused(
        &o,
        &["/nonexistent-mfnas-dir/results.json", "does not exist"],
    );
}

#[test]
fn landscape_all_fails_before_the_grid_when_its_out_file_cannot_be_written() {
    let o = run(&[
        "landscape",
        "--all",
        "--synthetic",
        "1",
        "--out",
        "/nonexistent-mfnas-dir/grid.json",
    ]);
    assert_refused(&o, &["/nonexistent-mfnas-dir/grid.json"]);
}

#[test]
fn a_full_disk_leaves_the_previous_file_whole_and_no_temporary_file() {
    // RLIMIT_FSIZE makes writes past 4 KiB fail as on a full disk (SIGXFSZ ignored, so the
    // write returns an error the program must handle).
    let d = scratch("full");
    let p = d.join("runs.json");
    std::fs::write(&p, "{\"earlier\": \"results\"}").unwrap();
    let cmd = format!(
        "trap '' XFSZ; exec prlimit --fsize=4096 -- {} experiment --dataset synthetic --algo rs \
         --budget 2000 --runs 200 --quiet --force --out {}",
        env!("CARGO_BIN_EXE_mfnas"),
        p.display()
    );
    let o = Command::new("sh").args(["-c", &cmd]).output().unwrap();
    assert_refused(&o, &[p.to_str().unwrap()]);
    assert_eq!(
        std::fs::read_to_string(&p).unwrap(),
        "{\"earlier\": \"results\"}"
    );
    assert_eq!(files_in(&d), ["runs.json"]);
}

#[test]
fn the_experiment_out_file_holds_every_run_and_the_summary() {
    let d = scratch("outjson");
    let p = d.join("r.json");
    let o = run(&[
        "experiment",
        "--dataset",
        "synthetic",
        "--algo",
        "rs",
        "--budget",
        "2000",
        "--runs",
        "5",
        "--quiet",
        "--out",
        p.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&std::fs::read(&p).unwrap()).unwrap();
    assert_eq!(v["runs"].as_array().unwrap().len(), 5);
    assert_eq!(v["summary"]["runs"], 5);
    assert_eq!(v["interrupted"], false);
    let c = d.join("r.csv");
    let o = run(&[
        "experiment",
        "--dataset",
        "synthetic",
        "--algo",
        "rs",
        "--budget",
        "2000",
        "--runs",
        "5",
        "--quiet",
        "--out",
        c.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(std::fs::read_to_string(&c).unwrap().lines().count(), 6);
}

// ---------------------------------------------------------------------------------------
// Table reads

#[test]
fn dev_zero_as_a_table_is_refused_at_once() {
    let o = run(&["run", "--table", "/dev/zero", "--algo", "rs"]);
    assert_refused(&o, &["/dev/zero", "not a regular file"]);
}

#[test]
fn a_fifo_as_a_table_is_refused_instead_of_blocking() {
    let d = scratch("fifo");
    let fifo = d.join("t.mfnt");
    let made = Command::new("mkfifo").arg(&fifo).status().unwrap();
    assert!(made.success());
    let mut child = mfnas()
        .args(["run", "--algo", "rs", "--table"])
        .arg(&fifo)
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    for _ in 0..200 {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let Some(status) = child.try_wait().unwrap() else {
        child.kill().unwrap();
        panic!("mfnas blocked on a FIFO for 10 s");
    };
    assert!(!status.success());
    let o = child.wait_with_output().unwrap();
    assert!(stderr(&o).contains("not a regular file"), "{}", stderr(&o));
}

#[test]
fn a_folder_as_a_table_is_refused_naming_it() {
    let d = scratch("folder");
    let o = mfnas()
        .args(["run", "--algo", "rs", "--table"])
        .arg(&d)
        .output()
        .unwrap();
    assert_refused(&o, &[d.to_str().unwrap(), "a folder"]);
}

// ---------------------------------------------------------------------------------------
// Streaming and bounded memory

/// The peak resident memory (VmHWM, KiB) of a child, sampled until it exits.
fn peak_rss_kib(mut cmd: Command) -> (Output, u64) {
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let status_file = format!("/proc/{}/status", child.id());
    let mut peak = 0;
    while child.try_wait().unwrap().is_none() {
        if let Ok(s) = std::fs::read_to_string(&status_file)
            && let Some(kb) = s
                .lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        {
            peak = peak.max(kb);
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    (child.wait_with_output().unwrap(), peak)
}

#[test]
fn a_long_event_stream_is_written_as_it_happens_in_bounded_memory() {
    // 400,000 stage-1 evaluations: about 200 bytes each held in memory would be 80 MB.
    let d = scratch("stream");
    let p = d.join("events.jsonl");
    let mut cmd = mfnas();
    cmd.args([
        "run",
        "--dataset",
        "synthetic",
        "--algo",
        "mf-nas",
        "--zc",
        "synflow",
        "--stage1",
        "rs",
        "--stage1-evals",
        "400000",
        "--budget",
        "1e12",
        "--events",
    ])
    .arg(&p);
    let (o, peak) = peak_rss_kib(cmd);
    assert!(o.status.success(), "{}", stderr(&o));
    let lines = std::fs::read_to_string(&p).unwrap().lines().count();
    assert!(lines > 400_000, "{lines} events");
    assert!(
        peak < 48 * 1024,
        "peak memory {peak} KiB for {lines} events: they are not streamed"
    );
}

#[test]
fn a_reader_that_stops_early_ends_the_program_quietly_with_the_sigpipe_status() {
    for format in ["json", "table", "csv"] {
        let mut child = mfnas()
            .args([
                "run",
                "--dataset",
                "synthetic",
                "--algo",
                "mf-nas",
                "--zc",
                "synflow",
                "--budget",
                "20000",
                "--format",
                format,
            ])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the binary runs");
        // Closing the read end before the program writes makes its first write fail.
        drop(child.stdout.take());
        let o = child.wait_with_output().unwrap();
        assert_eq!(o.status.code(), Some(141), "{format}: {}", stderr(&o));
        assert!(stderr(&o).is_empty(), "{format}: {}", stderr(&o));
    }
}
