//! Live MF-NAS: the same ask/tell searchers as on tables, with every evaluation computed for
//! real — proxies on a mini-batch, training on images with checkpoints so that successive
//! halving continues a candidate from its previous rung. Costs are measured wall seconds.
//!
//! The algorithm code is untouched: [`live_schema`] makes an empty table that only declares
//! the live proxy and the ladder's fidelities, so [`crate::algo::config::AlgoParams::check`]
//! validates a live plan exactly as it validates a table-backed one.

use super::data::Dataset;
use super::executor::{Executor, Jobs};
use super::proxies::{ProxyEvaluator, check_name};
use super::task::{TaskResult, TrainTask};
use super::train::EpochReport;
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
use std::cell::RefCell;
use std::collections::VecDeque;
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

/// Checks that live training measures `role`: validation accuracy or loss (on images held
/// out of the training images) or training loss. A test split is never read, so
/// `valtest_acc` is refused.
pub fn check_metric(role: Role) -> Result<()> {
    if role == Role::ValTestAcc {
        return Err(Error::param(
            "live search never reads a test split, so valtest_acc (the test set used as validation) does not exist here; use val_acc, measured on validation images held out of the training images",
        ));
    }
    if !matches!(role, Role::ValAcc | Role::ValLoss | Role::TrainLoss) {
        return Err(Error::param(format!(
            "live training measures val_acc, val_loss and train_loss, not {}",
            role.as_str()
        )));
    }
    Ok(())
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

/// Computes objectives for real: proxies in this process, trainings by [`Jobs`] (in this
/// process, in worker processes or on Slurm; the results are the same).
pub struct LiveEvaluator<'d> {
    data: &'d Dataset,
    proxies: ProxyEvaluator,
    jobs: Jobs,
    device: Device,
    objectives: Vec<Objective>,
    /// Proxy scores already computed: (arch, objective id, score, measured seconds).
    proxy_cache: Vec<(Nb201Arch, usize, f64, f64)>,
    /// Schedule lengths by name: the largest epoch count the ladder asks of that schedule.
    schedules: Vec<(String, u32)>,
    /// Wall seconds of the evaluations not yet reported, in ask order.
    walls: RefCell<VecDeque<f64>>,
}

impl<'d> LiveEvaluator<'d> {
    /// An evaluator for `objectives` that computes proxies with `proxies` and has `jobs`
    /// train on `data` (loaded from `jobs.settings.data`) with the recipe
    /// `jobs.settings.train`, whose `schedule_epochs` is replaced per schedule by the
    /// ladder's largest epoch count. Validation scores are on `data.val`, held out of the
    /// training images; no test image is ever read.
    pub fn new(
        data: &'d Dataset,
        proxies: ProxyEvaluator,
        jobs: Jobs,
        device: &Device,
        objectives: &ObjectiveRegistry,
    ) -> Result<Self> {
        let mut schedules: Vec<(String, u32)> = Vec::new();
        for o in objectives.all() {
            match o {
                Objective::Proxy { name } => check_name(name)?,
                Objective::Training { role, fidelity } => {
                    check_metric(*role)?;
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
            jobs,
            device: device.clone(),
            objectives: objectives.all().to_vec(),
            proxy_cache: Vec::new(),
            schedules,
            walls: RefCell::new(VecDeque::new()),
        })
    }

    /// The training task objective `id` asks of `arch`, or `None` for a proxy.
    fn task(&self, arch: Nb201Arch, id: usize) -> Option<TrainTask> {
        match &self.objectives[id] {
            Objective::Proxy { .. } => None,
            Objective::Training { fidelity, .. } => Some(TrainTask {
                arch,
                schedule: fidelity.schedule.clone(),
                schedule_epochs: self
                    .schedules
                    .iter()
                    .find(|(s, _)| *s == fidelity.schedule)
                    .map(|(_, e)| *e)
                    .expect("registered"),
                until: fidelity.epochs,
            }),
        }
    }

    /// The oriented score objective `id` reads from an epoch's report.
    fn score(&self, id: usize, report: &EpochReport) -> f64 {
        match &self.objectives[id] {
            Objective::Training {
                role: Role::ValAcc, ..
            } => report.val_acc,
            Objective::Training {
                role: Role::ValLoss,
                ..
            } => -report.val_loss,
            _ => -report.train_loss,
        }
    }

    /// The evaluation of objective `id` from a training's result, and its wall seconds
    /// here (0 for a result reused from an earlier run, which is charged what it took).
    fn evaluation_of(&self, id: usize, r: &TaskResult, wall: f64) -> (Evaluation, f64) {
        if !r.reused && r.epochs_trained > 0 {
            (self.jobs.notes)(&format!(
                "trained {} to epoch {}: {:.0} img/s in its last epoch on {}",
                r.arch,
                r.until,
                r.report.images_per_s,
                self.jobs.device.name()
            ));
        }
        let ev = Evaluation {
            score: Some(self.score(id, &r.report)),
            cost: Cost {
                seconds: r.seconds,
                epochs: r.epochs_trained,
            },
        };
        (ev, if r.reused { 0.0 } else { wall })
    }

    /// Scores `arch` on objective `id`: (oriented score, seconds to charge, wall seconds,
    /// epochs newly trained).
    pub fn compute(&mut self, arch: Nb201Arch, id: usize) -> Result<(f64, f64, f64, u32)> {
        let start = Instant::now();
        let Some(task) = self.task(arch, id) else {
            let Objective::Proxy { name } = self.objectives[id].clone() else {
                unreachable!("not a training")
            };
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
            return Ok((score, p.seconds, p.seconds, 0));
        };
        let r = match self.jobs.executor {
            Executor::InProcess => self.jobs.run_here(&task, self.data, &self.device)?,
            _ => self
                .jobs
                .run_batch(std::slice::from_ref(&task))?
                .pop()
                .expect("one result per task"),
        };
        let (ev, wall) = self.evaluation_of(id, &r, start.elapsed().as_secs_f64());
        Ok((
            ev.score.expect("set"),
            ev.cost.seconds,
            wall,
            ev.cost.epochs,
        ))
    }
}

impl Evaluator<Nb201> for LiveEvaluator<'_> {
    fn evaluate(&mut self, _space: &Nb201, ask: &EvalRequest<Nb201Arch>) -> Result<Evaluation> {
        let (score, cost, wall, epochs) = self.compute(ask.arch, ask.objective)?;
        self.walls.borrow_mut().push_back(wall);
        Ok(Evaluation {
            score: Some(score),
            cost: Cost {
                seconds: cost,
                epochs,
            },
        })
    }

    /// Trainings in worker processes or on Slurm run a rung side by side.
    fn wants_batches(&self) -> bool {
        self.jobs.executor != Executor::InProcess
    }

    /// Proxies are computed here one by one; the trainings go to the workers as one batch
    /// (one Slurm job array).
    fn evaluate_batch(
        &mut self,
        space: &Nb201,
        asks: &[EvalRequest<Nb201Arch>],
    ) -> Result<Vec<Evaluation>> {
        let tasks: Vec<(usize, TrainTask)> = asks
            .iter()
            .enumerate()
            .filter_map(|(i, a)| self.task(a.arch, a.objective).map(|t| (i, t)))
            .collect();
        let start = Instant::now();
        let list: Vec<TrainTask> = tasks.iter().map(|(_, t)| t.clone()).collect();
        let results = if list.is_empty() {
            Vec::new()
        } else {
            self.jobs.run_batch(&list)?
        };
        let wall = start.elapsed().as_secs_f64();
        let mut trained = tasks.iter().map(|(i, _)| *i).zip(results).peekable();
        let mut out = Vec::with_capacity(asks.len());
        for (i, ask) in asks.iter().enumerate() {
            if trained.peek().is_some_and(|(j, _)| *j == i) {
                let (_, r) = trained.next().expect("peeked");
                // The batch's wall time is reported once, with its first training.
                let here = if out.is_empty() { wall } else { 0.0 };
                let (ev, w) = self.evaluation_of(ask.objective, &r, here);
                self.walls.borrow_mut().push_back(w);
                out.push(ev);
            } else {
                out.push(self.evaluate(space, ask)?);
            }
        }
        Ok(out)
    }

    fn refund(&mut self) {
        // A refund keeps the checkpoint on disk (training cannot be undone); the run loop
        // takes back only the charge. Evaluations done ahead are dropped with it.
        self.walls.borrow_mut().clear();
    }
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
                    wall_s: run
                        .evaluator()
                        .walls
                        .borrow_mut()
                        .pop_front()
                        .unwrap_or(0.0),
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
