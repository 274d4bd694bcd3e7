//! Proxy tables: written in the crate's table format, loadable like any other, resumable.

use super::companion_common;

use mfnas::companion::data::load_jpeg_tar;
use mfnas::companion::net::{NetConfig, cpu};
use mfnas::companion::zc_table::{ZcTableJob, parse_arch_range};
use std::sync::atomic::{AtomicUsize, Ordering};

/// A network small enough for tests (C = 4, one cell per stage, CIFAR-10's classes).
fn small_net() -> NetConfig {
    NetConfig {
        channels: 4,
        cells_per_stage: 1,
        num_classes: 10,
        in_channels: 3,
    }
}

#[test]
fn a_proxy_table_resumes_and_loads_back_with_every_requested_row() {
    let Some(dir) = companion_common::cifar_jpg() else {
        return;
    };
    let images = load_jpeg_tar(&dir.join("cifar10_test_jpg.tar.gz"), Some(3)).unwrap();
    let out = std::env::temp_dir().join(format!("mfnas-zc-{}.mfnt", std::process::id()));
    let partial = std::path::PathBuf::from(format!("{}.partial.jsonl", out.display()));
    let _ = std::fs::remove_file(&partial);
    let mut job = ZcTableJob {
        dataset: "cifar10".into(),
        net: small_net(),
        proxies: vec!["params".into(), "synflow".into()],
        archs: parse_arch_range("0-2").unwrap(),
        batch_size: 8,
        seed: 0,
        jobs: 2,
        device: cpu(),
    };
    job.run(&images, &out, |_| {}).unwrap();
    // Asking for more architectures computes only the new ones.
    job.archs = parse_arch_range("0-4").unwrap();
    let computed = AtomicUsize::new(0);
    let table = job
        .run(&images, &out, |_| {
            computed.fetch_add(1, Ordering::Relaxed);
        })
        .unwrap();
    assert_eq!(computed.load(Ordering::Relaxed), 2);
    assert_eq!(table.n_rows(), 5);
    let back = mfnas::table::load(&out).unwrap();
    assert_eq!(back.n_rows(), 5);
    let col = back.find_proxy("synflow").unwrap();
    assert_eq!(back.col(col).count_present(), 5);
    assert!(back.find_proxy_time("params").is_some());
    let _ = std::fs::remove_file(&partial);
    let _ = std::fs::remove_file(&out);
}

#[test]
fn arch_selections_parse_ranges_and_reject_nonsense() {
    assert_eq!(parse_arch_range("3-5,1").unwrap().len(), 4);
    let connected = parse_arch_range("connected").unwrap();
    assert!(connected.iter().all(|a| a.is_connected()));
    assert!(!connected.contains(&mfnas::space::nb201::Nb201Arch::from_genotype([0; 6]).unwrap()));
    assert!(parse_arch_range("5-3").is_err());
    assert!(parse_arch_range("lots").is_err());
}

#[test]
fn a_proxy_table_is_the_same_bit_for_bit_with_one_or_three_worker_threads() {
    let Some(dir) = companion_common::cifar_jpg() else {
        return;
    };
    let images = load_jpeg_tar(&dir.join("cifar10_test_jpg.tar.gz"), Some(3)).unwrap();
    let table = |jobs: usize| {
        let out =
            std::env::temp_dir().join(format!("mfnas-zc-jobs{jobs}-{}.mfnt", std::process::id()));
        let partial = std::path::PathBuf::from(format!("{}.partial.jsonl", out.display()));
        let _ = std::fs::remove_file(&partial);
        let job = ZcTableJob {
            dataset: "cifar10".into(),
            net: small_net(),
            // Proxies that draw random numbers after building (zen) or depend on every weight.
            proxies: vec!["snip".into(), "synflow".into(), "nwot".into(), "zen".into()],
            archs: parse_arch_range("10-15").unwrap(),
            batch_size: 8,
            seed: 3,
            jobs,
            device: cpu(),
        };
        let t = job.run(&images, &out, |_| {}).unwrap();
        let _ = std::fs::remove_file(&partial);
        let _ = std::fs::remove_file(&out);
        job.proxies
            .iter()
            .map(|p| {
                let c = t.find_proxy(p).unwrap();
                (0..t.n_rows())
                    .map(|r| t.col(c).get(r).map(f64::to_bits))
                    .collect::<Vec<_>>()
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(table(1), table(3));
}
