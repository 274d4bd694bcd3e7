//! Companion throughput on this machine: training images per second (reduced and full NB201
//! networks) and milliseconds per proxy per architecture (full network, batch of 64).
//! Needs the CIFAR-10 JPEG shards (`MFNAS_DATA` or ../shared/data).

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use mfnas::companion::data::{Batcher, load_jpeg_tar};
use mfnas::companion::net::{NetConfig, cpu};
use mfnas::companion::proxies::{self, ProxyEvaluator, batch_from};
use mfnas::companion::train::{TrainConfig, Trainer};
use mfnas::rng::Rng;
use mfnas::space::nb201::Nb201Arch;
use std::path::PathBuf;

fn shards() -> Option<PathBuf> {
    let base = std::env::var_os("MFNAS_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/data"));
    let p = base.join("images/cifar10-jpg/cifar10_train_jpg.tar.gz");
    p.is_file().then_some(p)
}

fn training(c: &mut Criterion) {
    let Some(path) = shards() else {
        eprintln!("no CIFAR-10 shards: skipping");
        return;
    };
    let set = load_jpeg_tar(&path, Some(26)).unwrap();
    let norm = set.channel_stats();
    let device = cpu().autodiff();
    let arch = Nb201Arch::from_index(9930).unwrap();
    let mut g = c.benchmark_group("train_step");
    g.sample_size(10);
    for (label, channels, cells, batch) in [
        ("reduced_C8_N1_b64", 8, 1, 64),
        ("full_C16_N5_b64", 16, 5, 64),
    ] {
        let net = NetConfig {
            channels,
            cells_per_stage: cells,
            num_classes: 10,
            in_channels: 3,
        };
        let mut cfg = TrainConfig::nb201(net, 1);
        cfg.batch_size = batch;
        g.throughput(Throughput::Elements(batch as u64));
        let mut trainer = Trainer::new(arch, cfg, norm.clone(), &device).unwrap();
        let idx: Vec<usize> = (0..batch).collect();
        let batcher = Batcher::nb201(norm.clone());
        let mut rng = Rng::new(1);
        g.bench_function(label, |b| {
            b.iter(|| {
                let (x, y) = batcher.batch(&set, &idx, Some(&mut rng), &device);
                trainer.step(x, y, 0.05)
            })
        });
    }
    g.finish();
}

fn proxies_per_arch(c: &mut Criterion) {
    let Some(path) = shards() else { return };
    let set = load_jpeg_tar(&path, Some(10)).unwrap();
    let device = cpu().autodiff();
    let norm = set.channel_stats();
    let batch = batch_from(&set, &norm, 64, 0, &device).unwrap();
    let eval = ProxyEvaluator::new(NetConfig::nb201(10), batch, 0, &device);
    let arch = Nb201Arch::from_index(9930).unwrap();
    let mut g = c.benchmark_group("proxy_full_net_b64");
    g.sample_size(10);
    for name in proxies::ALL {
        g.bench_function(name, |b| b.iter(|| eval.score(arch, name).unwrap().score));
    }
    g.finish();
}

criterion_group!(benches, training, proxies_per_arch);
criterion_main!(benches);
