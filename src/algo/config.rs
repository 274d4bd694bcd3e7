//! Algorithm parameters: unchecked [`AlgoParams`] (from the command line, a URL or JSON),
//! [`AlgoParams::check`]ed against a table into a [`Plan`] that builds the searcher.
//! Every default is the paper's; every error says what to change.

use super::Searcher;
use super::evolution::{Rea, ReaParams};
use super::free_rea::{FreeRea, FreeReaParams};
use super::halving::{Keep, SuccessiveHalving};
use super::hill_climb::LocalSearch;
use super::mf_nas::MfNas;
use super::random::RandomSearch;
use crate::budget::Budget;
use crate::error::{Error, Result};
use crate::limits;
use crate::objective::{Objective, ObjectiveRegistry};
use crate::space::SearchSpace;
use crate::table::{Fidelity, Role, Table};
use serde::{Deserialize, Serialize};

/// The algorithms.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Algo {
    /// Random search.
    Rs,
    /// First-improvement local search with escape.
    Ls,
    /// Sweep-all local search with escape.
    Bls,
    /// Successive halving of random candidates.
    Sh,
    /// Regularised evolution.
    Rea,
    /// REA with a zero-cost warm start.
    ReaW,
    /// FreeREA (training-free).
    FreeRea,
    /// MF-NAS.
    MfNas,
}

impl Algo {
    /// All algorithms, in the order of the paper's table.
    pub const ALL: [Algo; 8] = [
        Algo::Rs,
        Algo::Ls,
        Algo::Bls,
        Algo::Sh,
        Algo::Rea,
        Algo::ReaW,
        Algo::FreeRea,
        Algo::MfNas,
    ];
    /// The command-line name.
    pub fn name(self) -> &'static str {
        match self {
            Algo::Rs => "rs",
            Algo::Ls => "ls",
            Algo::Bls => "bls",
            Algo::Sh => "sh",
            Algo::Rea => "rea",
            Algo::ReaW => "rea-w",
            Algo::FreeRea => "free-rea",
            Algo::MfNas => "mf-nas",
        }
    }
    /// Parses [`Algo::name`].
    pub fn parse(text: &str) -> Result<Algo> {
        Algo::ALL
            .into_iter()
            .find(|a| a.name() == text.trim().to_ascii_lowercase())
            .ok_or_else(|| {
                Error::param(format!(
                    "unknown algorithm {text:?}; choose one of {}",
                    Algo::ALL.map(Algo::name).join(", ")
                ))
            })
    }
}

/// Stage 1 optimiser of MF-NAS.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Stage1Kind {
    /// First-improvement local search (the paper's choice).
    Fls,
    /// Sweep-all local search.
    Bls,
    /// Random search (paper Table 1 variant).
    Rs,
}

/// Unchecked parameters. `None` means "the paper's default for this table".
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct AlgoParams {
    /// The algorithm (required).
    pub algo: Option<Algo>,
    /// Budget in simulated seconds (default: the paper's for the dataset).
    pub budget_s: Option<f64>,
    /// Proxy of MF-NAS stage 1 and of REA+W's warm start (default synflow).
    pub zc: Option<String>,
    /// Fidelity of the objective of RS, LS, BLS and REA (default: 12 epochs).
    pub fidelity: Option<Fidelity>,
    /// MF-NAS stage-1 optimiser (default FLS).
    pub stage1: Option<Stage1Kind>,
    /// MF-NAS stage-1 evaluations M (default 2000).
    pub stage1_evals: Option<u64>,
    /// Candidates of successive halving k (default 32).
    pub candidates: Option<usize>,
    /// The successive-halving ladder (default: 12/25/50/100/200 where the table has it,
    /// else hp12 → 200).
    pub ladder: Option<Vec<Fidelity>>,
    /// Survivors after each rung (default: halving on the paper ladder, top 4 on hp12 → 200).
    pub keep: Option<Vec<usize>>,
    /// Metric of successive halving (default val_acc; train_loss, val_loss or valtest_acc).
    pub stage2_metric: Option<Role>,
    /// Population of REA/FreeREA (default 10 / 100).
    pub population: Option<usize>,
    /// Tournament size (default 10 / 25).
    pub tournament: Option<usize>,
    /// Expected positions changed per REA mutation (default 1.0).
    pub mutation_rate: Option<f64>,
    /// REA+W warm-up samples (default 2000).
    pub warmup_samples: Option<usize>,
    /// Where local search starts (LS, BLS and MF-NAS with an FLS or BLS stage 1): an
    /// architecture id (`123` or `#123`; NB201: the benchmark index) or the space's notation
    /// (an NB201 arch string). Default: a random architecture. Checked against the table's
    /// space when the searcher is built ([`Plan::build`]).
    pub start: Option<String>,
}

/// Checked parameters, ready to build a searcher for one table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Plan {
    /// The algorithm.
    pub algo: Algo,
    /// The run budget.
    pub budget: Budget,
    /// A one-line description of the configuration, for labels.
    pub label: String,
    /// The table's title.
    pub table: String,
    /// The ladder used by SH / MF-NAS, as labels.
    pub ladder: Vec<String>,
    proxy: String,
    fidelity: Fidelity,
    val_role: Role,
    stage1: Stage1Kind,
    stage1_evals: u64,
    candidates: usize,
    rungs: Vec<Objective>,
    keep: Keep,
    population: usize,
    tournament: usize,
    mutation_rate: f64,
    warmup_samples: usize,
    free_rea_proxies: Vec<String>,
    start: Option<String>,
}

/// The paper's budget for a dataset, in seconds (see `docs/COST_MODEL.md`, "The budget").
pub fn default_budget(dataset: &str) -> Option<f64> {
    match dataset {
        "cifar10" | "cifar10-valid" => Some(20_000.0),
        "cifar100" => Some(40_000.0),
        "ImageNet16-120" => Some(120_000.0),
        _ => None,
    }
}

fn paper_ladder() -> Vec<Fidelity> {
    [12, 25, 50, 100, 200]
        .into_iter()
        .map(|e| Fidelity::new(e, "hp200"))
        .collect()
}

impl AlgoParams {
    /// Parameters for `algo` with every other value at its default.
    pub fn new(algo: Algo) -> Self {
        Self {
            algo: Some(algo),
            ..Self::default()
        }
    }

    /// Checks the parameters against `table` and fills in defaults.
    pub fn check(&self, table: &Table) -> Result<Plan> {
        let algo = self.algo.ok_or_else(|| {
            Error::param(
                "no algorithm given; choose one of rs, ls, bls, sh, rea, rea-w, free-rea, mf-nas",
            )
        })?;
        // Tables that report error rates (NB-ASR) validate on phoneme error rate instead.
        let val_role = if table.fidelities(Role::ValAcc).is_empty()
            && !table.fidelities(Role::ValPer).is_empty()
        {
            Role::ValPer
        } else {
            Role::ValAcc
        };
        let has_val = |f: &Fidelity| table.find_training(val_role, f).is_ok();
        let fidelity = match &self.fidelity {
            Some(f) => f.clone(),
            None if has_val(&Fidelity::new(12, "hp200")) => Fidelity::new(12, "hp200"),
            None if has_val(&Fidelity::new(12, "hp12")) => Fidelity::new(12, "hp12"),
            None => {
                return Err(Error::missing(format!(
                    "table {} has {} neither at epoch 12 nor from the 12-epoch schedule; pass a fidelity it has: {}",
                    table.meta.title,
                    val_role.as_str(),
                    table
                        .fidelities(val_role)
                        .iter()
                        .map(Fidelity::label)
                        .collect::<Vec<_>>()
                        .join(", ")
                )));
            }
        };
        let budget_s = match self.budget_s {
            Some(b) if !(b > 0.0 && b.is_finite()) => {
                return Err(Error::param(format!(
                    "budget is {b} s, but must be a positive number of seconds"
                )));
            }
            Some(b) => b,
            None if algo == Algo::FreeRea => 45.0,
            None => default_budget(&table.meta.dataset).ok_or_else(|| {
                Error::param(format!(
                    "no default budget for dataset {:?}; pass one in seconds",
                    table.meta.dataset
                ))
            })?,
        };
        let proxy = self.zc.clone().unwrap_or_else(|| "synflow".into());
        if matches!(algo, Algo::MfNas | Algo::ReaW) {
            table.find_proxy(&proxy)?;
        }
        let stage2_metric = self.stage2_metric.unwrap_or(val_role);
        if !matches!(
            stage2_metric,
            Role::ValAcc | Role::ValLoss | Role::TrainLoss | Role::ValTestAcc | Role::ValPer
        ) {
            return Err(Error::param(format!(
                "stage-2 metric {} is not a training metric; use val_acc, val_loss, train_loss, valtest_acc or val_per",
                stage2_metric.as_str()
            )));
        }
        let paper = paper_ladder();
        let (ladder, keep) = match (&self.ladder, &self.keep) {
            (Some(l), k) => (
                l.clone(),
                k.clone().map(Keep::Counts).unwrap_or(Keep::Halve),
            ),
            (None, k)
                if paper
                    .iter()
                    .all(|f| table.find_training(stage2_metric, f).is_ok()) =>
            {
                (paper, k.clone().map(Keep::Counts).unwrap_or(Keep::Halve))
            }
            (None, k) => (
                vec![Fidelity::new(12, "hp12"), Fidelity::new(200, "hp200")],
                Keep::Counts(k.clone().unwrap_or_else(|| vec![4])),
            ),
        };
        if ladder.is_empty() {
            return Err(Error::param(
                "the ladder is empty; give at least one fidelity",
            ));
        }
        if ladder
            .windows(2)
            .any(|w| w[0].schedule == w[1].schedule && w[0].epochs >= w[1].epochs)
        {
            return Err(Error::param(
                "ladder epochs must increase within a schedule, e.g. 12,25,50,100,200",
            ));
        }
        if let Keep::Counts(c) = &keep
            && c.contains(&0)
        {
            return Err(Error::param("every rung must keep at least 1 candidate"));
        }
        // Where the reference's "valtest" is asked for, rungs without it use val_acc, labelled.
        let rungs: Vec<Objective> = ladder
            .iter()
            .map(|f| {
                let role = if stage2_metric == Role::ValTestAcc
                    && table.find_training(Role::ValTestAcc, f).is_err()
                {
                    Role::ValAcc
                } else {
                    stage2_metric
                };
                Objective::training(role, f.clone())
            })
            .collect();
        // Sizes are bounded by what the table holds (a table smaller than the default takes
        // the default, which the algorithms clip): more would only repeat architectures, and
        // once asked for more memory than any machine has.
        let n_archs = table.n_rows() as u64;
        let candidates = self.candidates.unwrap_or(32);
        limits::check_count(
            "candidates",
            candidates as u64,
            1,
            n_archs.max(32),
            "the paper uses 32; at most the architectures the table holds",
        )?;
        let stage1_evals = self.stage1_evals.unwrap_or(2000);
        limits::check_count(
            "stage-1 evaluations",
            stage1_evals,
            1,
            limits::MAX_PROXY_EVALS,
            "the paper uses 2000",
        )?;
        let (pop_default, tour_default) = if algo == Algo::FreeRea {
            (100, 25)
        } else {
            (10, 10)
        };
        let population = self.population.unwrap_or(pop_default);
        let tournament = self.tournament.unwrap_or(tour_default);
        limits::check_count(
            "population",
            population as u64,
            2,
            n_archs.max(pop_default as u64),
            "at most the architectures the table holds",
        )?;
        if tournament < 1 || tournament > population {
            return Err(Error::param(format!(
                "tournament is {tournament}, but must be between 1 and the population ({population})"
            )));
        }
        let mutation_rate = self.mutation_rate.unwrap_or(1.0);
        if !(mutation_rate > 0.0 && mutation_rate.is_finite()) {
            return Err(Error::param(format!(
                "mutation rate is {mutation_rate}, but must be positive"
            )));
        }
        let warmup_samples = self.warmup_samples.unwrap_or(2000);
        limits::check_count(
            "warm-up samples",
            warmup_samples as u64,
            0,
            limits::MAX_PROXY_EVALS,
            "the paper uses 2000",
        )?;
        let free_rea_proxies = vec![
            "freerea_logsynflow".to_string(),
            "freerea_naswot".to_string(),
            "skip".to_string(),
        ];
        if algo == Algo::FreeRea {
            for p in &free_rea_proxies {
                table.find_proxy(p)?;
            }
        }
        let stage1 = self.stage1.unwrap_or(Stage1Kind::Fls);
        let start = self.start.as_deref().map(str::trim);
        if let Some(text) = start {
            if text.is_empty() {
                return Err(Error::param(
                    "the start architecture is empty; give an id (e.g. 123) or an arch string, \
                     or leave it out for a random start",
                ));
            }
            let local = matches!(algo, Algo::Ls | Algo::Bls)
                || (algo == Algo::MfNas && stage1 != Stage1Kind::Rs);
            if !local {
                return Err(Error::param(format!(
                    "a start architecture applies to local search only (ls, bls, and mf-nas \
                     with stage 1 fls or bls); {} {}has no start: remove it",
                    algo.name(),
                    if algo == Algo::MfNas {
                        "with stage 1 rs "
                    } else {
                        ""
                    }
                )));
            }
        }
        let ladder_labels: Vec<String> = rungs.iter().map(Objective::label).collect();
        let label = match algo {
            Algo::MfNas => format!(
                "MF-NAS ({} on zc:{proxy}, M={stage1_evals}; SH top {candidates} on {})",
                match stage1 {
                    Stage1Kind::Fls => "FLS",
                    Stage1Kind::Bls => "BLS",
                    Stage1Kind::Rs => "RS",
                },
                ladder_labels.join(" → ")
            ),
            Algo::Sh => format!("SH ({candidates} random on {})", ladder_labels.join(" → ")),
            Algo::ReaW => format!(
                "REA+W (val_acc@{}, warm start by zc:{proxy})",
                fidelity.label()
            ),
            Algo::FreeRea => "FreeREA (freerea_logsynflow + freerea_naswot + skip)".to_string(),
            a => format!("{} (val_acc@{})", a.name().to_uppercase(), fidelity.label()),
        };
        let label = match start {
            Some(text) => format!("{label}, local search from {text}"),
            None => label,
        };
        Ok(Plan {
            algo,
            budget: Budget {
                seconds: Some(budget_s),
                evals: None,
            },
            label,
            table: table.meta.title.clone(),
            ladder: if matches!(algo, Algo::Sh | Algo::MfNas) {
                ladder_labels
            } else {
                Vec::new()
            },
            proxy,
            fidelity,
            val_role,
            stage1,
            stage1_evals,
            candidates,
            rungs,
            keep,
            population,
            tournament,
            mutation_rate,
            warmup_samples,
            free_rea_proxies,
            start: start.map(str::to_string),
        })
    }
}

impl Plan {
    /// Why a run of this plan may be charged more than its budget: the rule the algorithm
    /// follows (`docs/COST_MODEL.md`), in words for a reader of the outcome.
    pub fn budget_rule(&self) -> &'static str {
        match self.algo {
            Algo::Rs => {
                "random search checks the budget before each evaluation, so the last one may cross it"
            }
            Algo::Ls | Algo::Bls => {
                "local search checks the budget between sweeps of the neighbourhood and finishes the sweep under way"
            }
            Algo::Sh => "successive halving refunds the evaluation that crosses the budget",
            Algo::Rea | Algo::ReaW | Algo::FreeRea => {
                "evolution evaluates its whole initial population first, then checks the budget before each evaluation, so the last one may cross it"
            }
            Algo::MfNas => {
                "MF-NAS always makes its stage-1 proxy evaluations; stage 2 refunds the evaluation that crosses the budget"
            }
        }
    }

    /// What to tell the reader of `cost_s` charged by a run of this plan: `None` within the
    /// budget, else how far over it and why ([`Plan::budget_rule`]).
    pub fn overrun(&self, cost_s: f64) -> Option<String> {
        let budget = self.budget.seconds?;
        (cost_s > budget).then(|| {
            format!(
                "{:.0} s over the {budget} s budget ({:.2} times it): {}",
                cost_s - budget,
                cost_s / budget,
                self.budget_rule()
            )
        })
    }

    fn rung_labels(&self) -> Vec<String> {
        self.rungs.iter().map(Objective::label).collect()
    }

    /// Builds a fresh searcher over `space` and registers the objectives it needs. Fails
    /// only on a start architecture that is not one of `space` (nothing is registered then).
    pub fn build<S: SearchSpace>(
        &self,
        space: &S,
        objectives: &mut ObjectiveRegistry,
    ) -> Result<Box<dyn Searcher<S>>>
    where
        S::Arch: 'static,
    {
        self.build_into(space, objectives, Boxed)
    }

    /// Builds a fresh searcher over `space` as in [`Plan::build`], registers the objectives it
    /// needs and hands it, as its own type, to `user`.
    pub fn build_into<S: SearchSpace, U: UseSearcher<S>>(
        &self,
        space: &S,
        objectives: &mut ObjectiveRegistry,
        user: U,
    ) -> Result<U::Output>
    where
        S::Arch: 'static,
    {
        let start = self.start_in(space)?;
        Ok(self.build_from(start, objectives, user))
    }

    /// The objectives a run of this plan reads, in registration order (the same for every
    /// space and start).
    pub fn objectives(&self) -> Vec<Objective> {
        let mut registry = ObjectiveRegistry::new();
        let _ = self.build_from::<crate::space::nb201::Nb201, _>(None, &mut registry, Boxed);
        registry.all().to_vec()
    }

    /// The start architecture in `space`, if one was given: an id or the space's notation
    /// ([`SearchSpace::parse_arch`]), which must be in the space (a partial table's space
    /// holds only its own architectures).
    pub fn start_in<S: SearchSpace>(&self, space: &S) -> Result<Option<S::Arch>> {
        let Some(text) = &self.start else {
            return Ok(None);
        };
        let arch = space.parse_arch(text).map_err(|e| {
            e.context(format!(
                "start architecture {text:?} for table {}",
                self.table
            ))
        })?;
        if space.from_id(space.id(arch)).is_none() {
            return Err(Error::arch(format!(
                "start architecture {text:?} is not in table {} ({} space); pick one of its \
                 architectures",
                self.table,
                space.name()
            )));
        }
        Ok(Some(arch))
    }

    fn build_from<S: SearchSpace, U: UseSearcher<S>>(
        &self,
        start: Option<S::Arch>,
        objectives: &mut ObjectiveRegistry,
        user: U,
    ) -> U::Output
    where
        S::Arch: 'static,
    {
        let val = objectives.id(Objective::training(self.val_role, self.fidelity.clone()));
        let rung_ids = |o: &mut ObjectiveRegistry| {
            self.rungs
                .iter()
                .map(|r| o.id(r.clone()))
                .collect::<Vec<_>>()
        };
        match self.algo {
            Algo::Rs => user.take(RandomSearch::new(val, None, true), objectives),
            Algo::Ls => user.take(
                LocalSearch::new(val, true, None, true).starting_at(start),
                objectives,
            ),
            Algo::Bls => user.take(
                LocalSearch::new(val, false, None, true).starting_at(start),
                objectives,
            ),
            Algo::Sh => {
                let sh = SuccessiveHalving::sampled(
                    self.candidates,
                    rung_ids(objectives),
                    self.keep.clone(),
                    self.rung_labels(),
                );
                user.take(sh, objectives)
            }
            Algo::Rea | Algo::ReaW => {
                let warmup = (self.algo == Algo::ReaW).then(|| {
                    (
                        objectives.id(Objective::proxy(&self.proxy)),
                        self.warmup_samples,
                    )
                });
                let rea = Rea::new(
                    val,
                    ReaParams {
                        population: self.population,
                        tournament: self.tournament,
                        mutation_rate: self.mutation_rate,
                        warmup,
                    },
                );
                user.take(rea, objectives)
            }
            Algo::FreeRea => {
                let proxies = self
                    .free_rea_proxies
                    .iter()
                    .map(|p| objectives.id(Objective::proxy(p)))
                    .collect();
                let free_rea = FreeRea::new(FreeReaParams {
                    population: self.population,
                    tournament: self.tournament,
                    proxies,
                });
                user.take(free_rea, objectives)
            }
            Algo::MfNas => {
                let zc = objectives.id(Objective::proxy(&self.proxy));
                let m = Some(self.stage1_evals);
                let name = match self.stage1 {
                    Stage1Kind::Fls => "FLS",
                    Stage1Kind::Bls => "BLS",
                    Stage1Kind::Rs => "RS",
                };
                let label = format!(
                    "{name} on zc:{} for {} evaluations",
                    self.proxy, self.stage1_evals
                );
                let (k, rungs, keep, labels) = (
                    self.candidates,
                    rung_ids(objectives),
                    self.keep.clone(),
                    self.rung_labels(),
                );
                match self.stage1 {
                    Stage1Kind::Fls => {
                        let stage1 = LocalSearch::new(zc, true, m, false).starting_at(start);
                        user.take(
                            MfNas::new(stage1, label, k, rungs, keep, labels),
                            objectives,
                        )
                    }
                    Stage1Kind::Bls => {
                        let stage1 = LocalSearch::new(zc, false, m, false).starting_at(start);
                        user.take(
                            MfNas::new(stage1, label, k, rungs, keep, labels),
                            objectives,
                        )
                    }
                    Stage1Kind::Rs => {
                        let stage1 = RandomSearch::new(zc, m, false);
                        user.take(
                            MfNas::new(stage1, label, k, rungs, keep, labels),
                            objectives,
                        )
                    }
                }
            }
        }
    }
}

/// What receives the searcher [`Plan::build_into`] builds, as the algorithm's own type:
/// a run to the end over it is then compiled for that algorithm, with no dynamic call per
/// evaluation.
pub trait UseSearcher<S: SearchSpace> {
    /// What using the searcher gives.
    type Output;
    /// Uses `searcher`, whose objectives are registered in `objectives`.
    fn take<Q: Searcher<S> + 'static>(
        self,
        searcher: Q,
        objectives: &ObjectiveRegistry,
    ) -> Self::Output;
}

/// Boxes the searcher behind `dyn Searcher` ([`Plan::build`]).
struct Boxed;

impl<S: SearchSpace> UseSearcher<S> for Boxed {
    type Output = Box<dyn Searcher<S>>;
    fn take<Q: Searcher<S> + 'static>(self, searcher: Q, _: &ObjectiveRegistry) -> Self::Output {
        Box::new(searcher)
    }
}
