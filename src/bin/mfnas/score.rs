//! `mfnas score` (feature `companion`): real zero-cost proxies of one NB201 cell on the
//! benchmark's network and a seeded batch of real CIFAR-10 images — the numbers the
//! explorer's "Real proxies" panel computes in the browser for the same cell and seed.

use crate::experiment::Format;
use mfnas::companion::lab::score::{DEFAULT_BATCH, LabScorer, parse_arch, parse_proxies};
use mfnas::companion::lab::{LabImageSpec, LabImages};
use mfnas::{Error, Result};
use std::path::PathBuf;

/// Arguments of `mfnas score`.
#[derive(Debug, Clone, clap::Args)]
pub struct ScoreArgs {
    /// The cell: arch string, NB201 index (9930 or #9930), 6-digit genotype or NASLib tuple.
    #[arg(long)]
    pub arch: String,
    /// Proxies separated by commas, `page` (params,flops,synflow,nwot: what the page
    /// computes) or `all` (the 13 of NAS-Bench-Suite-Zero).
    #[arg(long, default_value = "page")]
    pub proxies: String,
    /// Seed of the batch draw and of the network's initial weights (the page's seed).
    #[arg(long, default_value_t = 0)]
    pub seed: u64,
    /// Images in the proxy batch.
    #[arg(long, default_value_t = DEFAULT_BATCH)]
    pub batch: usize,
    /// The lab image file the page ships (www/dist/lab/cifar10-lab.bin); without it the
    /// same images are taken from the CIFAR-10 JPEG shards under --data-dir.
    #[arg(long)]
    pub images: Option<PathBuf>,
    /// The shared data folder (the one holding images/cifar10-jpg/).
    #[arg(long, env = "MFNAS_DATA", default_value = "../shared/data")]
    pub data_dir: PathBuf,
    /// Output format: a table, or one JSON object (csv is not offered).
    #[arg(long, value_enum, default_value_t = Format::Table)]
    pub format: Format,
    #[command(flatten)]
    pub device: crate::companion::DeviceArgs,
}

#[derive(serde::Serialize)]
struct Scored {
    index: u32,
    arch_string: String,
    seed: u64,
    batch: usize,
    images: String,
    scores: Vec<mfnas::companion::proxies::ProxyScore>,
}

/// Runs `mfnas score`.
pub fn run(a: &ScoreArgs) -> Result<()> {
    let arch = parse_arch(&a.arch)?;
    let names = parse_proxies(&a.proxies)?;
    if a.format == Format::Csv {
        return Err(Error::param(
            "mfnas score prints a table or json; choose --format table or json",
        ));
    }
    let images = match &a.images {
        Some(path) => {
            let bytes = std::fs::read(path).map_err(|e| Error::from(e).context(path.display()))?;
            LabImages::decode(&bytes).map_err(|e| e.context(path.display()))?
        }
        None => LabImages::from_cifar10_jpg(
            &a.data_dir.join("images/cifar10-jpg"),
            LabImageSpec::default(),
        )?,
    };
    let device = a.device.open()?.device.autodiff();
    let scorer = LabScorer::new(&images, a.batch, a.seed, &device)?;
    let scores = names
        .iter()
        .map(|n| scorer.score(arch, n))
        .collect::<Result<Vec<_>>>()?;
    let out = Scored {
        index: arch.index(),
        arch_string: arch.arch_string(),
        seed: a.seed,
        batch: a.batch,
        images: images.source.clone(),
        scores,
    };
    match a.format {
        Format::Json => outln!(
            "{}",
            serde_json::to_string_pretty(&out).expect("serialisable")
        ),
        _ => {
            outln!(
                "NB201 #{} {}\nnetwork C=16, N=5, {} classes; batch of {} images ({}), seed {}",
                out.index,
                out.arch_string,
                images.proxy.classes.len(),
                out.batch,
                out.images,
                out.seed
            );
            outln!("{:<10} {:>22} {:>10}", "proxy", "score", "ms");
            for s in &out.scores {
                outln!(
                    "{:<10} {:>22} {:>10.1}",
                    s.name,
                    format!("{}", s.score),
                    s.seconds * 1e3
                );
            }
        }
    }
    Ok(())
}
