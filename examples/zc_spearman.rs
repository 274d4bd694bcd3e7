//! Spearman agreement of every companion proxy with the published NAS-Bench-Suite-Zero
//! scores, on a seeded sample of the 1,562 CIFAR-10 architectures of the sample file.
//!
//! `cargo run --features companion --example zc_spearman -- [SAMPLE] [SEED] [PROXIES]`
//! (defaults 50, 7 and all), prints a Markdown table (the one in docs/COMPANION.md).

use mfnas::companion::data::load_jpeg_tar;
use mfnas::companion::net::{NetConfig, cpu};
use mfnas::companion::proxies::{self, ProxyEvaluator, batch_from};
use mfnas::companion::report::{compare, load_published, markdown};
use std::path::PathBuf;

fn main() -> mfnas::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let sample: usize = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(50);
    let seed: u64 = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(7);
    let names: Vec<String> = match args.get(3) {
        Some(list) => list.split(',').map(str::to_string).collect(),
        None => proxies::ALL.iter().map(|s| s.to_string()).collect(),
    };
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    let data = std::env::var_os("MFNAS_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/data"));
    let set = load_jpeg_tar(
        &data.join("images/cifar10-jpg/cifar10_train_jpg.tar.gz"),
        Some(100),
    )?;
    let device = cpu().autodiff();
    let norm = set.channel_stats();
    // NAS-Bench-Suite-Zero scored each network on one batch of 64 training images.
    let batch = batch_from(&set, &norm, 64, 0, &device)?;
    let eval = ProxyEvaluator::new(NetConfig::nb201(10), batch, 0, &device);
    let published = load_published(&data.join("nb201/pprp_ArchVizD3/zc_nasbench201_20p.json"))?;
    let rows = compare(&eval, &published, &names, sample, seed, |d| {
        eprint!("\r{d}/{sample} architectures");
    })?;
    eprintln!();
    println!("{}", markdown(&rows));
    Ok(())
}
