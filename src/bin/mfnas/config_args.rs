//! Flags shared by every command that runs a search, and table loading.

use clap::Args;
use mfnas::algo::config::{Algo, AlgoParams, Stage1Kind};
use mfnas::table::{Fidelity, Role, Table};
use mfnas::{Error, Result};
use std::path::PathBuf;

/// Where tables come from.
#[derive(Args, Debug, Clone)]
pub struct TableArgs {
    /// Dataset: cifar10, cifar100, ImageNet16-120, cifar10-curves200 (the 200-architecture
    /// sample with full curves) or synthetic.
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

fn parse_list<T>(text: &str, what: &str, parse: impl Fn(&str) -> Result<T>) -> Result<Vec<T>> {
    text.split(',')
        .map(|s| parse(s.trim()))
        .collect::<Result<Vec<T>>>()
        .map_err(|e| e.context(format!("--{what}")))
}

impl AlgoArgs {
    /// The unchecked parameters these flags describe.
    pub fn params(&self) -> Result<AlgoParams> {
        let mut p = AlgoParams::new(Algo::parse(&self.algo)?);
        p.zc = self.zc.clone();
        p.budget_s = self.budget;
        p.fidelity = self.fidelity.as_deref().map(Fidelity::parse).transpose()?;
        p.stage1 = match self.stage1.as_deref() {
            None => None,
            Some("fls") => Some(Stage1Kind::Fls),
            Some("bls") => Some(Stage1Kind::Bls),
            Some("rs") => Some(Stage1Kind::Rs),
            Some(o) => {
                return Err(Error::param(format!(
                    "--stage1 {o:?}: choose fls, bls or rs"
                )));
            }
        };
        p.stage1_evals = self.stage1_evals;
        p.candidates = self.candidates;
        p.ladder = self
            .ladder
            .as_deref()
            .map(|l| parse_list(l, "ladder", Fidelity::parse))
            .transpose()?;
        p.keep = self
            .keep
            .as_deref()
            .map(|k| {
                parse_list(k, "keep", |s| {
                    s.parse::<usize>()
                        .map_err(|_| Error::param(format!("{s:?} is not a count")))
                })
            })
            .transpose()?;
        p.stage2_metric = self
            .stage2_metric
            .as_deref()
            .map(|m| {
                Role::parse(m).ok_or_else(|| {
                    Error::param(format!(
                        "--stage2-metric {m:?}: choose val_acc, val_loss, train_loss or valtest_acc"
                    ))
                })
            })
            .transpose()?;
        p.population = self.population;
        p.tournament = self.tournament;
        Ok(p)
    }
}
