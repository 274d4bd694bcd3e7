//! Live MF-NAS: the same ask/tell searchers as on tables, with every evaluation computed for
//! real — proxies on a mini-batch, training on images with checkpoints so that successive
//! halving continues a candidate from its previous rung. Costs are measured wall seconds.
//!
//! The algorithm code is untouched: [`live_schema`] makes an empty table that only declares
//! the live proxy and the ladder's fidelities, so [`crate::algo::config::AlgoParams::check`]
//! validates a live plan exactly as it validates a table-backed one.

use super::data::Dataset;
use super::proxies::{ProxyEvaluator, check_name};
use super::train::{TrainConfig, Trainer};
use crate::algo::EvalRequest;
use crate::algo::config::Plan;
use crate::budget::Cost;
use crate::error::{Error, Result};
use crate::event::Event;
use crate::objective::{Objective, ObjectiveRegistry};
use crate::runner::{Evaluation, Evaluator, Outcome, Run};
use crate::space::SearchSpace;
use crate::space::nb201::{Nb201, Nb201Arch};
use crate::table::{Column, ColumnSpec, Fidelity, Role, Table, TableMeta};
use burn::tensor::Device;
use std::path::PathBuf;
use std::time::Instant;

/// A table with no rows that declares `proxy` and validation accuracy at `ladder`, so that
/// a plan can be checked and built for live evaluation.
pub fn live_schema(proxy: &str, ladder: &[Fidelity]) -> Result<Table> {
    check_name(proxy)?;
    let mut cols = vec![
        Column::from_raw(
            ColumnSpec::new(Role::ZcScore, Some(proxy), None, None, "", "computed live"),
            Vec::new(),
        ),
        Column::from_raw(
            ColumnSpec::new(Role::ZcTime, Some(proxy), None, None, "s", "measured live"),
            Vec::new(),
        ),
    ];
    for f in ladder {
        for role in [Role::ValAcc, Role::ValLoss, Role::TrainLoss] {
            cols.push(Column::from_raw(
                ColumnSpec::new(role, None, Some(f.clone()), None, "", "trained live"),
                Vec::new(),
            ));
        }
    }
    Table::new(
        TableMeta {
            space: "nb201".into(),
            dataset: "live".into(),
            title: "live evaluation".into(),
            notes: vec!["no stored values: every evaluation is computed".into()],
        },
        Vec::new(),
        cols,
    )
}

/// One live evaluation, as reported to a progress callback.
#[derive(Debug, Clone, serde::Serialize)]
pub struct LiveEvent {
    /// Charged evaluations so far.
    pub evals: u64,
    /// The architecture string.
    pub arch: String,
    /// The objective's label.
    pub objective: String,
    /// Its score (larger is better; losses negated).
    pub score: f64,
    /// Wall seconds this evaluation took (0 for a cached proxy score charged at its
    /// measured time; see `cost_s`).
    pub wall_s: f64,
    /// Seconds charged.
    pub cost_s: f64,
    /// Seconds charged so far in the run.
    pub total_s: f64,
}

/// Computes objectives for real.
pub struct LiveEvaluator<'d> {
    data: &'d Dataset,
    proxies: ProxyEvaluator,
    train: TrainConfig,
    checkpoints: PathBuf,
    device: Device,
    objectives: Vec<Objective>,
    /// Proxy scores already computed: (arch, objective id, score, measured seconds).
    proxy_cache: Vec<(Nb201Arch, usize, f64, f64)>,
    /// Schedule lengths by name: the largest epoch count the ladder asks of that schedule.
    schedules: Vec<(String, u32)>,
    /// Wall seconds of the last evaluation.
    last_wall_s: f64,
}

impl<'d> LiveEvaluator<'d> {
    /// An evaluator for `objectives` that computes proxies with `proxies`, trains with the
    /// recipe `train` (its `schedule_epochs` is replaced per schedule by the ladder's largest
    /// epoch count) on `data`, and keeps checkpoints under `checkpoints`.
    pub fn new(
        data: &'d Dataset,
        proxies: ProxyEvaluator,
        train: TrainConfig,
        checkpoints: PathBuf,
        device: &Device,
        objectives: &ObjectiveRegistry,
    ) -> Result<Self> {
        let mut schedules: Vec<(String, u32)> = Vec::new();
        for o in objectives.all() {
            match o {
                Objective::Proxy { name } => check_name(name)?,
                Objective::Training { role, fidelity } => {
                    if !matches!(role, Role::ValAcc | Role::ValLoss | Role::TrainLoss) {
                        return Err(Error::param(format!(
                            "live training measures val_acc, val_loss and train_loss, not {}",
                            role.as_str()
                        )));
                    }
                    match schedules.iter_mut().find(|(s, _)| *s == fidelity.schedule) {
                        Some((_, e)) => *e = (*e).max(fidelity.epochs),
                        None => schedules.push((fidelity.schedule.clone(), fidelity.epochs)),
                    }
                }
            }
        }
        Ok(Self {
            data,
            proxies,
            train,
            checkpoints,
            device: device.clone(),
            objectives: objectives.all().to_vec(),
            proxy_cache: Vec::new(),
            schedules,
            last_wall_s: 0.0,
        })
    }

    /// Scores `arch` on objective `id`: (oriented score, seconds to charge, wall seconds,
    /// epochs newly trained).
    pub fn compute(&mut self, arch: Nb201Arch, id: usize) -> Result<(f64, f64, f64, u32)> {
        let start = Instant::now();
        match self.objectives[id].clone() {
            Objective::Proxy { name } => {
                if let Some(&(_, _, s, t)) = self
                    .proxy_cache
                    .iter()
                    .find(|(a, o, _, _)| *a == arch && *o == id)
                {
                    return Ok((s, t, 0.0, 0));
                }
                let p = self.proxies.score(arch, &name)?;
                let score = if p.score.is_finite() {
                    p.score
                } else {
                    f64::NEG_INFINITY
                };
                self.proxy_cache.push((arch, id, score, p.seconds));
                Ok((score, p.seconds, p.seconds, 0))
            }
            Objective::Training { role, fidelity } => {
                let schedule_epochs = self
                    .schedules
                    .iter()
                    .find(|(s, _)| *s == fidelity.schedule)
                    .map(|(_, e)| *e)
                    .expect("registered");
                let dir = self.checkpoints.join(format!(
                    "{}-{}",
                    arch.genotype_string(),
                    fidelity.schedule
                ));
                let mut trainer = if Trainer::has_checkpoint(&dir) {
                    Trainer::load(&dir, &self.device)?
                } else {
                    let mut cfg = self.train.clone();
                    cfg.schedule_epochs = schedule_epochs;
                    let norm = self.data.train.channel_stats();
                    Trainer::new(arch, cfg, norm, &self.device)?
                };
                let before = trainer.epochs_done();
                trainer.train_until(self.data, fidelity.epochs, |_| {}, |_, _| {})?;
                if trainer.epochs_done() > before {
                    trainer.save(&dir)?;
                }
                let report = trainer
                    .history()
                    .iter()
                    .find(|r| r.epoch == fidelity.epochs)
                    .cloned()
                    .ok_or_else(|| {
                        Error::missing(format!(
                            "checkpoint {} has no record of epoch {}",
                            dir.display(),
                            fidelity.epochs
                        ))
                    })?;
                let score = match role {
                    Role::ValAcc => report.val_acc,
                    Role::ValLoss => -report.val_loss,
                    _ => -report.train_loss,
                };
                let wall = start.elapsed().as_secs_f64();
                Ok((
                    score,
                    wall,
                    wall,
                    trainer.epochs_done().saturating_sub(before),
                ))
            }
        }
    }
}

impl Evaluator<Nb201> for LiveEvaluator<'_> {
    fn evaluate(&mut self, _space: &Nb201, ask: &EvalRequest<Nb201Arch>) -> Result<Evaluation> {
        let (score, cost, wall, epochs) = self.compute(ask.arch, ask.objective)?;
        self.last_wall_s = wall;
        Ok(Evaluation {
            score: Some(score),
            cost: Cost {
                seconds: cost,
                epochs,
            },
        })
    }
    // A refund keeps the checkpoint on disk (training cannot be undone); the run loop takes
    // back only the charge.
}

/// Runs `plan` (built against [`live_schema`]) with live evaluations in the engine's run
/// loop, calling `on_event` after each one. The budget is in measured seconds.
pub fn run_live<'d>(
    plan: &Plan,
    evaluator_for: impl FnOnce(&ObjectiveRegistry) -> Result<LiveEvaluator<'d>>,
    seed: u64,
    mut on_event: impl FnMut(&LiveEvent),
) -> Result<Outcome> {
    let mut objectives = ObjectiveRegistry::new();
    let searcher = plan.build(&Nb201, &mut objectives)?;
    let evaluator = evaluator_for(&objectives)?;
    let mut run = Run::new(
        Nb201,
        searcher,
        evaluator,
        objectives.labels(),
        plan.budget,
        seed,
        true,
    );
    loop {
        let more = run.step().map_err(|e| match e.kind() {
            crate::ErrorKind::InvalidParameter if e.message().contains("before evaluating") => {
                Error::param(
                    "the live run ended before evaluating any architecture: raise the budget",
                )
            }
            _ => e,
        })?;
        for event in run.drain_events() {
            if let Event::Evaluated {
                evals,
                arch,
                objective,
                score,
                cost_s,
                total_s,
                ..
            } = event
            {
                let arch = Nb201.from_id(arch).expect("ids come from the space");
                on_event(&LiveEvent {
                    evals,
                    arch: arch.arch_string(),
                    objective,
                    score: score.unwrap_or(f64::NEG_INFINITY),
                    wall_s: run.evaluator().last_wall_s,
                    cost_s,
                    total_s,
                });
            }
        }
        if !more {
            return Ok(run
                .outcome()
                .cloned()
                .expect("a finished run has an outcome"));
        }
    }
}
