//! Flags shared by every command that runs a search, and table loading.

use crate::tables;
use clap::Args;
use mfnas::algo::config::{Algo, AlgoParams, Plan};
use mfnas::params;
use mfnas::table::Table;
use mfnas::{Error, Result};
use std::path::PathBuf;

/// Where tables come from.
#[derive(Args, Debug, Clone)]
pub struct TableArgs {
    /// Dataset: cifar10, cifar100, ImageNet16-120, cifar10-curves200 (the 200-architecture
    /// sample with full curves) or synthetic; another space's packed table with --table.
    #[arg(long, default_value = "cifar10", conflicts_with = "table")]
    pub dataset: String,
    /// Folder with packed tables (made by `mfnas pack`).
    #[arg(long, default_value = "tables", env = "MFNAS_TABLES")]
    pub tables: PathBuf,
    /// A packed table file to use instead of --dataset/--tables.
    #[arg(long)]
    pub table: Option<PathBuf>,
}

impl TableArgs {
    /// The table file the flags name; `None` for the synthetic table.
    pub fn path(&self) -> Result<Option<PathBuf>> {
        match &self.table {
            Some(p) => Ok(Some(p.clone())),
            None if self.dataset == "synthetic" => Ok(None),
            None => tables::dataset_file(&self.tables, &self.dataset).map(Some),
        }
    }
    /// Loads the table with only the columns a run of `params` reads, and the checked plan.
    pub fn load_for_plan(&self, params: &AlgoParams) -> Result<(Table, Plan)> {
        match self.path()? {
            Some(p) => tables::load_for_plan(&p, params),
            None => {
                let t = mfnas::table::synthetic::nb201_full_curves(1);
                let plan = params.check(&t)?;
                Ok((t, plan))
            }
        }
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
    /// Where local search starts (ls, bls, and mf-nas with stage 1 fls or bls): an
    /// architecture id (NB201: the benchmark index, e.g. 123 or #123) or an arch string.
    /// Default: a random architecture.
    #[arg(long, value_name = "ID or ARCH")]
    pub start: Option<String>,
}

/// Which algorithms each option applies to (the algorithm's own flags).
const APPLIES: [(&str, &[Algo]); 11] = [
    ("zc", &[Algo::MfNas, Algo::ReaW]),
    (
        "fidelity",
        &[Algo::Rs, Algo::Ls, Algo::Bls, Algo::Rea, Algo::ReaW],
    ),
    ("stage1", &[Algo::MfNas]),
    ("stage1-evals", &[Algo::MfNas]),
    ("candidates", &[Algo::Sh, Algo::MfNas]),
    ("ladder", &[Algo::Sh, Algo::MfNas]),
    ("keep", &[Algo::Sh, Algo::MfNas]),
    ("stage2-metric", &[Algo::Sh, Algo::MfNas]),
    ("population", &[Algo::Rea, Algo::ReaW, Algo::FreeRea]),
    ("tournament", &[Algo::Rea, Algo::ReaW, Algo::FreeRea]),
    ("start", &[Algo::Ls, Algo::Bls, Algo::MfNas]),
];

impl AlgoArgs {
    /// The options given that `algo` does not use: an error naming them and what uses them.
    fn check_applicable(&self, algo: Algo) -> Result<()> {
        let given = [
            ("zc", self.zc.is_some()),
            ("fidelity", self.fidelity.is_some()),
            ("stage1", self.stage1.is_some()),
            ("stage1-evals", self.stage1_evals.is_some()),
            ("candidates", self.candidates.is_some()),
            ("ladder", self.ladder.is_some()),
            ("keep", self.keep.is_some()),
            ("stage2-metric", self.stage2_metric.is_some()),
            ("population", self.population.is_some()),
            ("tournament", self.tournament.is_some()),
            ("start", self.start.is_some()),
        ];
        for (flag, set) in given {
            let users = APPLIES
                .iter()
                .find(|(f, _)| *f == flag)
                .map(|(_, a)| *a)
                .expect("every flag is listed");
            if set && !users.contains(&algo) {
                return Err(Error::param(format!(
                    "--{flag} does not apply to --algo {}: only {} use{} it; remove it",
                    algo.name(),
                    users
                        .iter()
                        .map(|a| a.name())
                        .collect::<Vec<_>>()
                        .join(", "),
                    if users.len() == 1 { "s" } else { "" }
                )));
            }
        }
        Ok(())
    }

    /// The unchecked parameters these flags describe; an option the algorithm does not
    /// use is an error.
    pub fn params(&self) -> Result<AlgoParams> {
        let algo = Algo::parse(&self.algo)?;
        self.check_applicable(algo)?;
        let mut p = AlgoParams::new(algo);
        // Parsed by the engine's parsers, which the explorer uses too.
        let flag = |name: &'static str| move |e: Error| e.context(format!("--{name}"));
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
        p.start = self.start.clone();
        Ok(p)
    }
}
