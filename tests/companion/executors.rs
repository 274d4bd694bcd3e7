//! `mfnas search --live` with its trainings in worker processes and on a real Slurm cluster
//! (one node, started by `scripts/slurm-cluster.sh`): the outcome equals the in-process one;
//! a driver killed mid-search and started again reuses every finished training; a training
//! that keeps failing is retried, then reported with its architecture and log file.
//!
//! Every search here reads a data folder whose CIFAR-10 test shard is not an archive at all:
//! live search never opens a test split, or these runs would fail.

use super::companion_common::{self, skip};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

const MFNAS: &str = env!("CARGO_BIN_EXE_mfnas");

/// A fresh scratch folder.
fn scratch(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("mfnas-exec-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// The CIFAR-10 training shard beside a "test shard" that cannot be read.
fn train_only_data() -> Option<PathBuf> {
    static DIR: OnceLock<Option<PathBuf>> = OnceLock::new();
    DIR.get_or_init(|| {
        let real = companion_common::cifar_jpg()?;
        let d = scratch("data");
        std::os::unix::fs::symlink(
            real.join("cifar10_train_jpg.tar.gz"),
            d.join("cifar10_train_jpg.tar.gz"),
        )
        .unwrap();
        std::fs::write(d.join("cifar10_test_jpg.tar.gz"), b"not an archive").unwrap();
        Some(d)
    })
    .clone()
}

/// `mfnas search --live` on a tiny setting: 6 synflow evaluations, 4 candidates, ladder
/// 1 -> 2 epochs, C = 4, N = 1, 200 training and 100 validation images.
fn search(data: &Path, work: &Path, executor: &[&str]) -> Command {
    let mut c = Command::new(MFNAS);
    c.args(["search", "--live", "--data"])
        .arg(data)
        .args([
            "--train-images",
            "200",
            "--val-images",
            "100",
            "--channels",
            "4",
            "--cells",
            "1",
            "--batch-size",
            "64",
            "--proxy-batch",
            "16",
            "--zc",
            "synflow",
            "--stage1-evals",
            "6",
            "--candidates",
            "4",
            "--ladder",
            "1@live,2@live",
            "--budget",
            "1e9",
            "--seed",
            "1",
            "--work-dir",
        ])
        .arg(work)
        .args(["--executor"])
        .args(executor)
        .stdin(Stdio::null());
    c
}

/// The outcome a finished search printed.
fn outcome(out: &Output, what: &str) -> Value {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{what} failed:\n{stderr}");
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{what}: {e}\n{stderr}"))
}

/// The fields that must not depend on who trained (wall seconds do).
fn decision(v: &Value) -> Value {
    let mut d = serde_json::Map::new();
    for k in [
        "arch",
        "arch_string",
        "score",
        "epochs",
        "evals",
        "n_candidates",
    ] {
        d.insert(k.into(), v[k].clone());
    }
    d.insert(
        "validation_images".into(),
        v["validation"]["images"].clone(),
    );
    Value::Object(d)
}

/// The in-process search (data folder, work folder, outcome), run once.
fn reference() -> Option<&'static (PathBuf, PathBuf, Value)> {
    static REF: OnceLock<Option<(PathBuf, PathBuf, Value)>> = OnceLock::new();
    REF.get_or_init(|| {
        let data = train_only_data()?;
        let work = scratch("in-process");
        let t = Instant::now();
        let out = search(&data, &work, &["in-process"]).output().unwrap();
        let v = outcome(&out, "the in-process search");
        eprintln!("in-process live search: {:.1} s", t.elapsed().as_secs_f64());
        assert_eq!(v["validation"]["test_images_read"], 0);
        assert_eq!(v["validation"]["images"], 100);
        Some((data, work, v))
    })
    .as_ref()
}

/// The result files of a work folder, by name.
fn results(work: &Path) -> Vec<(String, Vec<u8>)> {
    let mut v: Vec<(String, Vec<u8>)> = std::fs::read_dir(work.join("results"))
        .map(|d| {
            d.filter_map(|e| e.ok())
                .filter(|e| e.file_name().to_string_lossy().ends_with(".json"))
                .map(|e| {
                    (
                        e.file_name().to_string_lossy().into_owned(),
                        std::fs::read(e.path()).unwrap(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

/// Plants an unreadable checkpoint after epoch 1 for the reference's first candidate in
/// `work`, so that its rung-1 training fails every time; returns its arch string and the
/// name of its log file.
fn plant_broken_checkpoint(reference_work: &Path, work: &Path) -> (String, String) {
    let (name, bytes) = results(reference_work)
        .into_iter()
        .find(|(n, _)| n.ends_with("-e1.json"))
        .expect("rung-1 results");
    let r: Value = serde_json::from_slice(&bytes).unwrap();
    let key = name.trim_end_matches(".json");
    let run = key.trim_end_matches("-e1");
    let ck = work.join("checkpoints").join(run).join("epoch-0001");
    std::fs::create_dir_all(&ck).unwrap();
    std::fs::write(ck.join("state.json"), b"{ this is not a checkpoint").unwrap();
    std::fs::write(ck.join("model.bpk"), b"").unwrap();
    (
        r["arch"].as_str().unwrap().to_string(),
        format!("{key}.log"),
    )
}

/// Checks a search that failed on the planted checkpoint: the error names the architecture,
/// the number of attempts and the log, which holds every attempt.
fn check_reported_failure(out: &Output, arch: &str, log: &str, work: &Path, attempts: usize) {
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "the search should fail:\n{stderr}");
    assert!(stderr.contains(arch), "names the architecture:\n{stderr}");
    assert!(
        stderr.contains(&format!("failed {attempts} time(s)")),
        "says how often it was tried:\n{stderr}"
    );
    assert!(stderr.contains(log), "names the log file:\n{stderr}");
    let text = std::fs::read_to_string(work.join("logs").join(log)).unwrap();
    assert_eq!(
        text.matches("== attempt").count(),
        attempts,
        "one log section per attempt:\n{text}"
    );
    assert!(
        text.contains("not a checkpoint state"),
        "the log says why:\n{text}"
    );
}

#[test]
fn local_workers_give_the_in_process_outcome_and_report_a_failing_training() {
    let Some((data, ref_work, reference)) = reference() else {
        return;
    };
    let work = scratch("local");
    let t = Instant::now();
    let out = search(data, &work, &["local", "--jobs", "2"])
        .output()
        .unwrap();
    let v = outcome(&out, "the search with local workers");
    eprintln!(
        "local --jobs 2 live search: {:.1} s",
        t.elapsed().as_secs_f64()
    );
    assert_eq!(decision(&v), decision(reference));
    // The same trainings, with the same figures, whoever ran them.
    let strip = |files: Vec<(String, Vec<u8>)>| -> Vec<(String, Value)> {
        files
            .into_iter()
            .map(|(n, b)| {
                let r: Value = serde_json::from_slice(&b).unwrap();
                (n, r["report"]["val_acc"].clone())
            })
            .collect()
    };
    assert_eq!(strip(results(&work)), strip(results(ref_work)));

    let broken = scratch("local-broken");
    let (arch, log) = plant_broken_checkpoint(ref_work, &broken);
    let out = search(data, &broken, &["local", "--jobs", "2", "--retries", "1"])
        .output()
        .unwrap();
    check_reported_failure(&out, &arch, &log, &broken, 2);
    for d in [&work, &broken] {
        let _ = std::fs::remove_dir_all(d);
    }
}

/// Waits until `ready` holds while `driver` still runs (at most 300 s, saying `waiting_for`),
/// then kills it with SIGKILL: the search gets no chance to stop anything itself.
fn kill_once(driver: &mut std::process::Child, waiting_for: &str, ready: impl Fn() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(300);
    while !ready() {
        assert!(Instant::now() < deadline, "{waiting_for}: not in 300 s");
        assert!(
            driver.try_wait().unwrap().is_none(),
            "the search ended before it was killed ({waiting_for})"
        );
        std::thread::sleep(Duration::from_millis(10));
    }
    driver.kill().unwrap();
    driver.wait().unwrap();
}

/// The processes (other than this test's) whose command line is a training worker of the
/// search in `work`.
fn workers_of(work: &Path) -> Vec<u32> {
    let work = work.display().to_string();
    let Ok(entries) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    entries
        .filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| {
            let cmd = std::fs::read(format!("/proc/{pid}/cmdline")).unwrap_or_default();
            let cmd = String::from_utf8_lossy(&cmd);
            cmd.contains("--until") && cmd.contains(&work)
        })
        .collect()
}

#[test]
fn the_local_workers_of_a_killed_search_stop_with_it() {
    // Without the images, `cifar_jpg` has recorded the skip (a failure under MFNAS_REQUIRE_DATA=1).
    let Some(data) = train_only_data() else {
        return;
    };
    let work = scratch("local-killed");
    let mut driver = search(&data, &work, &["local", "--jobs", "2"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    kill_once(&mut driver, "a worker running", || {
        !workers_of(&work).is_empty()
    });
    let killed = Instant::now();
    while !workers_of(&work).is_empty() {
        assert!(
            killed.elapsed() < Duration::from_secs(10),
            "workers {:?} still run 10 s after their search was killed",
            workers_of(&work)
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    eprintln!(
        "the workers of a killed local search stopped {:.2} s after it",
        killed.elapsed().as_secs_f64()
    );
    // They stopped because their search had ended, not because their trainings were done.
    let logs: String = std::fs::read_dir(work.join("logs"))
        .unwrap()
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap_or_default())
        .collect();
    assert!(
        logs.contains("has ended: stopping") || logs.contains("has already ended: stopping"),
        "no worker says it stopped because its search ended; their logs:\n{logs}"
    );
    let _ = std::fs::remove_dir_all(&work);
}

/// Whether a Slurm cluster answers; otherwise a recorded skip (a failure under
/// MFNAS_REQUIRE_DATA=1) that says why.
fn slurm_cluster() -> bool {
    // Looked up on the PATH, not run: Slurm's commands retry a missing configuration for a
    // minute, even for --version.
    let installed = std::env::var_os("PATH")
        .is_some_and(|path| std::env::split_paths(&path).any(|d| d.join("sinfo").is_file()));
    let why = if !installed {
        "Slurm is not installed here (no sinfo on the PATH): apt-get install slurmd slurmctld slurm-client munge, then scripts/slurm-cluster.sh start".to_string()
    } else {
        let conf = std::env::var_os("SLURM_CONF")
            .map(PathBuf::from)
            .unwrap_or_else(|| PathBuf::from("/etc/slurm/slurm.conf"));
        if !conf.is_file() {
            // Slurm's commands would retry a missing configuration for a minute.
            format!(
                "no Slurm configuration at {} (SLURM_CONF): start a cluster with scripts/slurm-cluster.sh start and export SLURM_CONF",
                conf.display()
            )
        } else {
            match Command::new("timeout")
                .args(["20", "sinfo", "-h", "-o", "%T"])
                .output()
            {
                Ok(o) if o.status.success() && !o.stdout.is_empty() => return true,
                Ok(o) => format!(
                    "no Slurm cluster answers (sinfo: {}): start one with scripts/slurm-cluster.sh start and export SLURM_CONF",
                    String::from_utf8_lossy(&o.stderr)
                        .lines()
                        .next()
                        .unwrap_or("no answer in 20 s")
                ),
                Err(e) => format!("cannot run timeout/sinfo: {e}"),
            }
        }
    };
    eprintln!("!!! {why}");
    skip(&why);
    false
}

#[test]
fn slurm_job_arrays_give_the_in_process_outcome_resume_a_killed_driver_and_report_failures() {
    let Some((data, ref_work, reference)) = reference() else {
        return;
    };
    if !slurm_cluster() {
        return;
    }
    // Uninterrupted.
    let plain = scratch("slurm");
    let t = Instant::now();
    let out = search(data, &plain, &["slurm"]).output().unwrap();
    let v = outcome(&out, "the search on Slurm");
    eprintln!("slurm live search: {:.1} s", t.elapsed().as_secs_f64());
    assert_eq!(decision(&v), decision(reference));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("submitted as Slurm job array"), "{stderr}");
    assert!(
        stderr.contains(
            "stage 2 ranks by val_acc: the accuracy on the 100 validation images held out of the training images (seed 0)"
        ),
        "{stderr}"
    );

    // Killed once the first training has finished, then started again.
    let t = Instant::now();
    let work = scratch("slurm-killed");
    let killed_log = work.with_extension("first.log");
    let log = std::fs::File::create(&killed_log).unwrap();
    let mut driver = search(data, &work, &["slurm"])
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .unwrap();
    kill_once(&mut driver, "a training finished", || {
        !results(&work).is_empty()
    });
    let finished = results(&work);
    let out = search(data, &work, &["slurm"]).output().unwrap();
    let v = outcome(&out, "the search started again");
    eprintln!(
        "slurm live search killed after {} finished training(s) and started again: {:.1} s",
        finished.len(),
        t.elapsed().as_secs_f64()
    );
    assert_eq!(decision(&v), decision(reference));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("results are reused"), "{stderr}");
    // Finished trainings were not run again: their result files (which name the Slurm job
    // that wrote them) are untouched.
    let after = results(&work);
    for (name, bytes) in &finished {
        let now = after.iter().find(|(n, _)| n == name).expect("kept");
        assert_eq!(&now.1, bytes, "{name} was rewritten");
    }
    assert_eq!(after.len(), results(ref_work).len());

    // A training that keeps failing: tried 1 + 1 times, then reported.
    let t = Instant::now();
    let broken = scratch("slurm-broken");
    let (arch, log) = plant_broken_checkpoint(ref_work, &broken);
    let out = search(data, &broken, &["slurm", "--retries", "1"])
        .output()
        .unwrap();
    check_reported_failure(&out, &arch, &log, &broken, 2);
    eprintln!(
        "slurm live search with a failing training (1 retry): {:.1} s",
        t.elapsed().as_secs_f64()
    );
    for d in [&plain, &work, &broken] {
        let _ = std::fs::remove_dir_all(d);
    }
    let _ = std::fs::remove_file(killed_log);
}

#[test]
fn the_slurm_executor_without_a_reachable_cluster_fails_before_any_work() {
    let Some(data) = train_only_data() else {
        return;
    };
    let work = scratch("no-cluster");
    let out = search(&data, &work, &["slurm"])
        .env("SLURM_CONF", work.join("no-such-slurm.conf"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{stderr}");
    assert!(stderr.contains("the slurm executor needs"), "{stderr}");
    assert!(
        !stderr.contains("zc:synflow"),
        "failed only after stage 1:\n{stderr}"
    );
    let _ = std::fs::remove_dir_all(work);
}
