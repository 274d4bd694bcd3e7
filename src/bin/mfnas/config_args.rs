//! Flags shared by every command that runs a search, and table loading.

use clap::Args;
use mfnas::algo::config::{Algo, AlgoParams};
use mfnas::params;
use mfnas::table::Table;
use mfnas::{Error, Result};
use std::path::PathBuf;

/// Where tables come from.
#[derive(Args, Debug, Clone)]
pub struct TableArgs {
    /// Dataset: cifar10, cifar100, ImageNet16-120, cifar10-curves200 (the 200-architecture
    /// sample with full curves) or synthetic; another space's packed table with --table.
    #[arg(long, default_value = "cifar10")]
    pub dataset: String,
    /// Folder with packed tables (made by `mfnas pack`).
    #[arg(long, default_value = "tables", env = "MFNAS_TABLES")]
    pub tables: PathBuf,
    /// A packed table file to use instead of --dataset/--tables.
    #[arg(long)]
    pub table: Option<PathBuf>,
}

impl TableArgs {
    /// Loads the table the flags name.
    pub fn load(&self) -> Result<Table> {
        if self.table.is_none() && self.dataset == "synthetic" {
            return Ok(mfnas::table::synthetic::nb201_full_curves(1));
        }
        let path = match &self.table {
            Some(p) => p.clone(),
            None => self.tables.join(format!("nb201-{}.mfnt", self.dataset)),
        };
        mfnas::table::load(&path).map_err(|e| {
            if e.kind() == mfnas::ErrorKind::Io {
                Error::new(
                    e.kind(),
                    format!("cannot read table {}: {e}. Pack the tables first: `mfnas pack --data-dir ../shared/data --out {}`", path.display(), self.tables.display()),
                )
            } else {
                e.context(path.display())
            }
        })
    }
}

/// The algorithm and its parameters.
#[derive(Args, Debug, Clone)]
pub struct AlgoArgs {
    /// Algorithm: rs, ls, bls, sh, rea, rea-w, free-rea, mf-nas.
    #[arg(long, default_value = "mf-nas")]
    pub algo: String,
    /// Zero-cost proxy of MF-NAS stage 1 / REA+W warm start (any proxy of the table).
    #[arg(long)]
    pub zc: Option<String>,
    /// Budget in simulated seconds (default: 20,000 / 40,000 / 120,000 by dataset).
    #[arg(long)]
    pub budget: Option<f64>,
    /// Fidelity of the objective of RS/LS/BLS/REA, e.g. "12@hp12" or "12".
    #[arg(long)]
    pub fidelity: Option<String>,
    /// MF-NAS stage-1 optimiser: fls, bls or rs.
    #[arg(long)]
    pub stage1: Option<String>,
    /// MF-NAS stage-1 evaluations (M).
    #[arg(long)]
    pub stage1_evals: Option<u64>,
    /// Candidates of successive halving (k).
    #[arg(long)]
    pub candidates: Option<usize>,
    /// Successive-halving ladder, comma separated, e.g. "12,25,50,100,200" or "12@hp12,200".
    #[arg(long)]
    pub ladder: Option<String>,
    /// Survivors after each rung, comma separated, e.g. "4" (default: halve).
    #[arg(long)]
    pub keep: Option<String>,
    /// Stage-2 metric: val_acc, val_loss, train_loss or valtest_acc (reference reproduction only).
    #[arg(long)]
    pub stage2_metric: Option<String>,
    /// Population of REA / FreeREA.
    #[arg(long)]
    pub population: Option<usize>,
    /// Tournament size of REA / FreeREA.
    #[arg(long)]
    pub tournament: Option<usize>,
}

impl AlgoArgs {
    /// The unchecked parameters these flags describe (parsed by the engine's parsers, which
    /// the explorer uses too).
    pub fn params(&self) -> Result<AlgoParams> {
        let flag = |name: &'static str| move |e: Error| e.context(format!("--{name}"));
        let mut p = AlgoParams::new(Algo::parse(&self.algo)?);
        p.zc = self.zc.clone();
        p.budget_s = self.budget;
        p.fidelity = self
            .fidelity
            .as_deref()
            .map(params::fidelity)
            .transpose()
            .map_err(flag("fidelity"))?;
        p.stage1 = self
            .stage1
            .as_deref()
            .map(params::stage1)
            .transpose()
            .map_err(flag("stage1"))?;
        p.stage1_evals = self.stage1_evals;
        p.candidates = self.candidates;
        p.ladder = self.ladder.as_deref().map(params::ladder).transpose()?;
        p.keep = self.keep.as_deref().map(params::keep).transpose()?;
        p.stage2_metric = self
            .stage2_metric
            .as_deref()
            .map(params::stage2_metric)
            .transpose()
            .map_err(flag("stage2-metric"))?;
        p.population = self.population;
        p.tournament = self.tournament;
        Ok(p)
    }
}
