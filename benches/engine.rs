//! Engine speed: one MF-NAS run and 500 runs on one core, one LS and one REA run, with the quality figure printed
//! beside the time so a faster but different result is noticed.
//!
//! The group "mf-nas stage 1" puts the engine beside what it is measured against: MF-NAS's
//! stage 1 (first-improvement local search, 2,000 proxy evaluations) run by the engine; the
//! same search written as one plain loop over the table's columns; and that loop written as
//! an `async fn` that awaits each score, which can also be stepped one evaluation at a time
//! (what the engine's ask/tell exchange exists for), timed both run to the end and stepped.
//! Two more put that `async fn` where the engine's local search is, with what the engine
//! keeps besides (the state views read, the best so far, events, the run's charge and
//! budget): run to the end with the run's parts borrowed for the whole run, and stepped
//! behind the engine's `Searcher` trait, as the engine's own searcher is. They size what
//! rewriting the algorithms as `async fn`s would gain. All of them make the same random
//! draws and are checked to evaluate the same architectures in the same order before
//! timing.
//!
//! Uses the packed cifar10 table when `tables/nb201-cifar10.mfnt` exists (run `mfnas pack`
//! first), else the synthetic table.

use criterion::{Criterion, black_box, criterion_group, criterion_main};
use mfnas::algo::config::{Algo, AlgoParams};
use mfnas::algo::hill_climb::LocalSearch;
use mfnas::algo::mf_nas::KeepsHistory;
use mfnas::algo::snapshot::{LocalSearchSnapshot, Phase, Scored};
use mfnas::algo::{Ask, EvalRequest, Searcher, Snapshot, Told};
use mfnas::budget::{Budget, Cost, Spent};
use mfnas::event::{Event, Events};
use mfnas::experiment::{run_once, run_seeds, summarize};
use mfnas::objective::{Objective, ObjectiveId, ObjectiveRegistry};
use mfnas::rng::Rng;
use mfnas::runner::space::TableSpace;
use mfnas::runner::{Evaluator, Run, TableEvaluator};
use mfnas::space::SearchSpace;
use mfnas::space::nb201::{Nb201, Nb201Arch};
use mfnas::table::Table;
use std::cell::RefCell;
use std::future::Future;
use std::pin::{Pin, pin};
use std::rc::Rc;
use std::task::{Context, Poll, Waker};

fn table() -> Table {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tables/nb201-cifar10.mfnt");
    match mfnas::table::load(&path) {
        Ok(t) => t,
        Err(_) => {
            eprintln!(
                "({} not found: benchmarking on the synthetic table)",
                path.display()
            );
            mfnas::table::synthetic::nb201_full_curves(1)
        }
    }
}

fn bench_mf_nas(c: &mut Criterion) {
    let table = table();
    let mut params = AlgoParams::new(Algo::MfNas);
    params.zc = Some("params".into());
    params.budget_s = Some(20_000.0);
    let plan = params.check(&table).expect("valid plan");
    let space = TableSpace::of(&table).expect("an NB201 table");
    let outcomes = run_seeds(&space, &table, &plan, 1, 500, |_| {}).expect("runs");
    let s = summarize(&plan, &outcomes, 1);
    eprintln!(
        "quality on {}: {:.2} ± {:.2} % over 500 runs, {:.0} s mean cost",
        s.table, s.mean, s.std, s.cost_s
    );

    c.bench_function("mf-nas (params) one run", |b| {
        b.iter(|| run_once(&Nb201, &table, &plan, black_box(7), false).unwrap())
    });
    let mut group = c.benchmark_group("mf-nas 500 runs");
    group.sample_size(10);
    group.bench_function("one core", |b| {
        b.iter(|| run_seeds(&space, &table, &plan, black_box(1), 500, |_| {}).unwrap())
    });
    group.finish();
    let ls = AlgoParams {
        budget_s: Some(20_000.0),
        ..AlgoParams::new(Algo::Ls)
    }
    .check(&table)
    .expect("valid plan");
    c.bench_function("ls one run", |b| {
        b.iter(|| run_once(&Nb201, &table, &ls, black_box(7), false).unwrap())
    });
    let rea = AlgoParams {
        budget_s: Some(20_000.0),
        ..AlgoParams::new(Algo::Rea)
    }
    .check(&table)
    .expect("valid plan");
    c.bench_function("rea one run", |b| {
        b.iter(|| run_once(&Nb201, &table, &rea, black_box(7), false).unwrap())
    });
    // The runs above repeat seed 7, as every figure before these did; the processor's branch
    // predictor learns that run's branches. Runs of 100 seeds in turn are what 500 seeds cost.
    let mut group = c.benchmark_group("one run, seeds 0-99 in turn");
    for (name, plan) in [("mf-nas (params)", &plan), ("ls", &ls), ("rea", &rea)] {
        let mut seeds = (0..100u64).cycle();
        group.bench_function(name, |b| {
            b.iter(|| {
                run_once(
                    &Nb201,
                    &table,
                    plan,
                    black_box(seeds.next().unwrap()),
                    false,
                )
                .unwrap()
            })
        });
    }
    group.finish();
}

/// MF-NAS's stage-1 evaluations.
const STAGE1_EVALS: usize = 2_000;

/// The proxy's scores and compute times in key order, as the engine's table evaluator reads
/// them (a missing score is `-inf`, a missing time the column's documented cost).
struct ProxyColumns {
    score: Vec<f64>,
    time: Vec<f64>,
}

impl ProxyColumns {
    fn of(table: &Table, proxy: &str) -> Self {
        let score = table.find_proxy(proxy).expect("the proxy's scores");
        let time = table.find_proxy_time(proxy).expect("the proxy's times");
        let missing = table.col(time).spec.missing_cost.unwrap_or(0.0);
        let by_key = |c| table.by_key(c).expect("an NB201 table readable by key");
        Self {
            score: by_key(score)
                .iter()
                .map(|&v| if v.is_nan() { f64::NEG_INFINITY } else { v })
                .collect(),
            time: by_key(time)
                .iter()
                .map(|&v| if v.is_nan() { missing } else { v })
                .collect(),
        }
    }
}

type Stage1Run<'t> = Run<Nb201, TableEvaluator<&'t Table>, LocalSearch<Nb201Arch>>;

/// The engine's stage 1: a run of first-improvement local search on the proxy, stopped after
/// [`STAGE1_EVALS`] evaluations (its history, what it evaluated in order, is in the
/// searcher).
fn engine_stage1<'t>(table: &'t Table, proxy: &str, seed: u64) -> Stage1Run<'t> {
    stage1_run(table, proxy, seed, |zc| {
        let mut ls = LocalSearch::new(zc, true, Some(STAGE1_EVALS as u64), false);
        ls.keep_history();
        ls
    })
}

/// A run to the end of the stage-1 searcher that `searcher` builds on the proxy's objective.
fn stage1_run<'t, Q: Searcher<Nb201>>(
    table: &'t Table,
    proxy: &str,
    seed: u64,
    searcher: impl FnOnce(ObjectiveId) -> Q,
) -> Run<Nb201, TableEvaluator<&'t Table>, Q> {
    let mut registry = ObjectiveRegistry::new();
    let zc = registry.id(Objective::proxy(proxy));
    let evaluator = TableEvaluator::new(table, &registry).expect("the proxy's columns");
    let mut run = Run::new(
        Nb201,
        Box::new(searcher(zc)),
        evaluator,
        registry.labels(),
        Budget::seconds(20_000.0),
        seed,
        false,
    );
    run.finish().expect("a run");
    run
}

/// The positions of a sweep not tried yet, four bits each, as the engine keeps them.
struct Positions {
    left: u64,
    n: usize,
}

impl Positions {
    fn all(n: usize) -> Self {
        let left = (0..n as u64).rev().fold(0, |set, p| set << 4 | p);
        Self { left, n }
    }
    fn take(&mut self, rng: &mut Rng) -> usize {
        let i = rng.below(self.n) as u32;
        let position = (self.left >> (4 * i)) & 0xf;
        let below = self.left & ((1u64 << (4 * i)) - 1);
        let above = (self.left >> (4 * i) >> 4) << (4 * i);
        self.left = below | above;
        self.n -= 1;
        position as usize
    }
    /// Takes a random position and puts `current`'s neighbours there in `queue`, shuffled.
    #[inline(always)]
    fn queue_next(&mut self, current: Nb201Arch, queue: &mut Vec<Nb201Arch>, rng: &mut Rng) {
        let p = self.take(rng);
        queue.clear();
        Nb201.position_neighbours(current, p, queue);
        rng.shuffle(queue);
    }
}

/// Stage 1 as one plain loop: the same draws as the engine's local search, nothing else.
/// Fills `history` and returns the seconds spent.
fn plain_stage1(cols: &ProxyColumns, seed: u64, history: &mut Vec<(Nb201Arch, f64)>) -> f64 {
    let (space, mut rng, mut queue) = (Nb201, Rng::new(seed), Vec::with_capacity(8));
    history.clear();
    let mut spent = 0.0;
    let mut evaluate = |arch: Nb201Arch, history: &mut Vec<(Nb201Arch, f64)>| {
        let key = space.key(arch) as usize;
        spent += cols.time[key];
        history.push((arch, cols.score[key]));
        cols.score[key]
    };
    let mut current = space.sample(&mut rng);
    let mut current_score = evaluate(current, history);
    'search: loop {
        let mut positions = Positions::all(space.n_positions());
        let mut moved = false;
        'sweep: while positions.n != 0 {
            positions.queue_next(current, &mut queue, &mut rng);
            for &arch in &queue {
                if history.len() == STAGE1_EVALS {
                    break 'search;
                }
                let score = evaluate(arch, history);
                if score >= current_score {
                    (current, current_score, moved) = (arch, score, true);
                    break 'sweep;
                }
            }
        }
        if history.len() == STAGE1_EVALS {
            break;
        }
        if !moved {
            current = space.random_2opt(current, &mut rng);
            current_score = evaluate(current, history);
        }
    }
    spent
}

/// What stage 1 written as an `async fn` awaits for each evaluation: the score, with the
/// cost and the history kept by the implementor.
trait AwaitScore {
    fn score(&mut self, arch: Nb201Arch) -> impl Future<Output = f64>;
    fn evals(&self) -> usize;
}

/// Answers at once (a future that is ready when made): a run to the end.
struct ReadyScores<'c> {
    cols: &'c ProxyColumns,
    spent: f64,
    history: Vec<(Nb201Arch, f64)>,
}

impl ReadyScores<'_> {
    /// Forgets the last run: nothing spent, nothing evaluated.
    fn restart(&mut self) {
        self.spent = 0.0;
        self.history.clear();
    }
}

impl AwaitScore for ReadyScores<'_> {
    #[inline(always)]
    fn score(&mut self, arch: Nb201Arch) -> impl Future<Output = f64> {
        let key = Nb201.key(arch) as usize;
        self.spent += self.cols.time[key];
        self.history.push((arch, self.cols.score[key]));
        std::future::ready(self.cols.score[key])
    }
    fn evals(&self) -> usize {
        self.history.len()
    }
}

/// Suspends once before each answer: a run stepped one evaluation at a time, as the
/// explorer steps it.
struct SteppedScores<'c>(ReadyScores<'c>);

/// Pending on its first poll, ready on the next.
struct SuspendOnce(bool);

impl Future for SuspendOnce {
    type Output = ();
    fn poll(mut self: Pin<&mut Self>, _: &mut Context) -> Poll<()> {
        if std::mem::replace(&mut self.0, true) {
            Poll::Ready(())
        } else {
            Poll::Pending
        }
    }
}

impl AwaitScore for SteppedScores<'_> {
    fn score(&mut self, arch: Nb201Arch) -> impl Future<Output = f64> {
        let score = self.0.score(arch);
        async move {
            SuspendOnce(false).await;
            score.await
        }
    }
    fn evals(&self) -> usize {
        self.0.evals()
    }
}

/// [`plain_stage1`] written as an `async fn`: deliberately the same lines, each evaluation
/// awaited instead of called; what the awaits cost is what the bench measures.
async fn async_stage1(scores: &mut impl AwaitScore, seed: u64) {
    let (space, mut rng, mut queue) = (Nb201, Rng::new(seed), Vec::with_capacity(8));
    let mut current = space.sample(&mut rng);
    let mut current_score = scores.score(current).await;
    'search: loop {
        let mut positions = Positions::all(space.n_positions());
        let mut moved = false;
        'sweep: while positions.n != 0 {
            positions.queue_next(current, &mut queue, &mut rng);
            for &arch in &queue {
                if scores.evals() == STAGE1_EVALS {
                    break 'search;
                }
                let score = scores.score(arch).await;
                if score >= current_score {
                    (current, current_score, moved) = (arch, score, true);
                    break 'sweep;
                }
            }
        }
        if scores.evals() == STAGE1_EVALS {
            break;
        }
        if !moved {
            current = space.random_2opt(current, &mut rng);
            current_score = scores.score(current).await;
        }
    }
}

/// Polls `future` until it is done; returns how many times it suspended.
fn poll_to_end(future: impl Future<Output = ()>) -> usize {
    let mut future = pin!(future);
    let mut context = Context::from_waker(Waker::noop());
    let mut suspended = 0;
    while future.as_mut().poll(&mut context).is_pending() {
        suspended += 1;
    }
    suspended
}

/// Stage 1 as an `async fn`, run to the end; returns the seconds spent.
fn async_stage1_to_end(scores: &mut ReadyScores, seed: u64) -> f64 {
    scores.restart();
    poll_to_end(async_stage1(scores, seed));
    scores.spent
}

/// What an algorithm written as an `async fn` reaches through while it runs: the run's
/// random stream, the state a view reads, the events, and the evaluations it awaits. Two
/// kinds, one body: [`SharedExchange`] suspends at every evaluation so that the engine's
/// ask/tell [`Searcher`] trait can step it; [`ReadyExchange`] borrows the run's parts for the
/// whole run and answers at once, with the run loop's bookkeeping (charge, budget, told).
trait Exchange {
    fn with<R>(&mut self, f: impl FnOnce(&mut Rng, &mut LsView, &mut Events) -> R) -> R;
    fn evaluate(&mut self, arch: Nb201Arch) -> impl Future<Output = Told>;
}

/// The state views read of the stage-1 local search.
#[derive(Default)]
struct LsView {
    current: Option<(Nb201Arch, f64)>,
    best: Option<(Nb201Arch, f64)>,
    history: Vec<(Nb201Arch, f64)>,
    over: bool,
}

impl LsView {
    /// Records an evaluation as the engine's local search does: history, best, events.
    #[inline(always)]
    fn record(&mut self, events: &mut Events, arch: Nb201Arch, told: Told) {
        self.over = told.over_budget;
        self.history.push((arch, told.score));
        if self.best.is_none_or(|(_, s)| told.score > s) {
            self.best = Some((arch, told.score));
            events.push(|| Event::NewBest {
                arch: Nb201.id(arch),
                score: told.score,
            });
        }
    }
}

/// [`async_stage1`] with what the engine's local search keeps besides: the state views
/// read, the best so far, the events, the run's answer (score, budget, cost).
async fn exchanged_stage1(x: &mut impl Exchange) {
    let (space, mut queue) = (Nb201, Vec::with_capacity(8));
    let evals = |x: &mut _| Exchange::with(x, |_, v, _| v.history.len());
    let mut current = x.with(|rng, _, _| space.sample(rng));
    let told = x.evaluate(current).await;
    let mut current_score = told.score;
    x.with(|_, v, e| {
        v.record(e, current, told);
        v.current = Some((current, current_score));
    });
    'search: loop {
        let mut positions = Positions::all(space.n_positions());
        let mut moved = false;
        'sweep: while positions.n != 0 {
            x.with(|rng, _, _| positions.queue_next(current, &mut queue, rng));
            for &arch in &queue {
                if evals(x) == STAGE1_EVALS {
                    break 'search;
                }
                let told = x.evaluate(arch).await;
                let accept = told.score >= current_score;
                x.with(|_, v, e| {
                    v.record(e, arch, told);
                    if accept {
                        v.current = Some((arch, told.score));
                        e.push(|| Event::Moved {
                            from: space.id(current),
                            to: space.id(arch),
                            score: told.score,
                        });
                    }
                });
                if accept {
                    (current, current_score, moved) = (arch, told.score, true);
                    break 'sweep;
                }
            }
        }
        if evals(x) == STAGE1_EVALS {
            break;
        }
        if !moved {
            current = x.with(|rng, _, _| space.random_2opt(current, rng));
            let told = x.evaluate(current).await;
            current_score = told.score;
            x.with(|_, v, e| {
                v.record(e, current, told);
                v.current = Some((current, current_score));
            });
        }
    }
}

/// The stepped kind: shared with the [`Searcher`] that polls the body, which lends it the
/// run's random stream and events for the length of each poll.
struct Shared {
    rng: Rng,
    events: Events,
    view: LsView,
    asked: Option<Ask<Nb201Arch>>,
    told: Option<Told>,
}

struct SharedExchange {
    shared: Rc<RefCell<Shared>>,
    objective: ObjectiveId,
}

/// One evaluation asked for: suspends with the request in the exchange, resumes with what
/// the run told.
struct Evaluate<'x> {
    shared: &'x RefCell<Shared>,
    ask: Option<Ask<Nb201Arch>>,
}

impl Future for Evaluate<'_> {
    type Output = Told;
    fn poll(self: Pin<&mut Self>, _: &mut Context) -> Poll<Told> {
        let this = self.get_mut();
        let mut x = this.shared.borrow_mut();
        match this.ask.take() {
            Some(ask) => {
                x.asked = Some(ask);
                Poll::Pending
            }
            None => Poll::Ready(x.told.take().expect("told before resumed")),
        }
    }
}

impl Exchange for SharedExchange {
    #[inline(always)]
    fn with<R>(&mut self, f: impl FnOnce(&mut Rng, &mut LsView, &mut Events) -> R) -> R {
        let x = &mut *self.shared.borrow_mut();
        f(&mut x.rng, &mut x.view, &mut x.events)
    }
    fn evaluate(&mut self, arch: Nb201Arch) -> impl Future<Output = Told> {
        Evaluate {
            shared: &self.shared,
            ask: Some(Ask::Evaluate {
                arch,
                objective: self.objective,
                charge: true,
            }),
        }
    }
}

/// The ready kind: the run's parts borrowed for the whole run, and the run loop's rules for
/// an evaluation (score, charge, budget check) applied on the spot.
struct ReadyExchange<'r, 't> {
    rng: &'r mut Rng,
    events: &'r mut Events,
    view: &'r mut LsView,
    evaluator: &'r mut TableEvaluator<&'t Table>,
    spent: &'r mut Spent,
    last_charged: &'r mut Option<Cost>,
    stopped_by_budget: &'r mut bool,
    budget: Budget,
    objective: ObjectiveId,
}

impl Exchange for ReadyExchange<'_, '_> {
    #[inline(always)]
    fn with<R>(&mut self, f: impl FnOnce(&mut Rng, &mut LsView, &mut Events) -> R) -> R {
        f(self.rng, self.view, self.events)
    }
    #[inline(always)]
    fn evaluate(&mut self, arch: Nb201Arch) -> impl Future<Output = Told> {
        let ask = EvalRequest {
            arch,
            objective: self.objective,
            charge: true,
        };
        let ev = self.evaluator.evaluate(&Nb201, &ask).expect("a score");
        let cost = ev.cost;
        self.spent.charge(cost);
        *self.last_charged = Some(cost);
        let over_budget = self.budget.is_used_up(self.spent);
        *self.stopped_by_budget |= over_budget;
        std::future::ready(Told {
            score: ev.score.unwrap_or(f64::NEG_INFINITY),
            over_budget,
            cost,
        })
    }
}

/// Stage 1 run to the end through the ready kind; returns the seconds spent.
fn ready_exchange_stage1(table: &Table, proxy: &str, seed: u64, view: &mut LsView) -> f64 {
    let mut registry = ObjectiveRegistry::new();
    let objective = registry.id(Objective::proxy(proxy));
    let mut evaluator = TableEvaluator::new(table, &registry).expect("the proxy's columns");
    let (mut rng, mut events) = (Rng::new(seed), Events::new(false));
    let (mut spent, mut last_charged, mut stopped) = (Spent::default(), None, false);
    // A new run keeps only the room for its history.
    let mut history = std::mem::take(&mut view.history);
    history.clear();
    *view = LsView {
        history,
        ..LsView::default()
    };
    let mut x = ReadyExchange {
        rng: &mut rng,
        events: &mut events,
        view,
        evaluator: &mut evaluator,
        spent: &mut spent,
        last_charged: &mut last_charged,
        stopped_by_budget: &mut stopped,
        budget: Budget::seconds(20_000.0),
        objective,
    };
    poll_to_end(exchanged_stage1(&mut x));
    spent.seconds
}

/// The body behind the engine's [`Searcher`] trait through the shared kind: each tell
/// resumes the body until it asks again, so a run to the end polls once per evaluation.
struct ExchangedSearcher {
    shared: Rc<RefCell<Shared>>,
    body: Pin<Box<dyn Future<Output = ()>>>,
    next: Option<Ask<Nb201Arch>>,
    done: bool,
}

impl ExchangedSearcher {
    fn new(objective: ObjectiveId) -> Self {
        let shared = Rc::new(RefCell::new(Shared {
            rng: Rng::new(0),
            events: Events::new(false),
            view: LsView {
                history: Vec::with_capacity(STAGE1_EVALS),
                ..LsView::default()
            },
            asked: None,
            told: None,
        }));
        let mut x = SharedExchange {
            shared: shared.clone(),
            objective,
        };
        let body = Box::pin(async move { exchanged_stage1(&mut x).await });
        Self {
            shared,
            body,
            next: None,
            done: false,
        }
    }
    /// Resumes the body with the run's random stream and events until it asks again.
    #[inline(always)]
    fn resume(&mut self, rng: &mut Rng, events: &mut Events) -> Ask<Nb201Arch> {
        if self.done {
            return Ask::Done;
        }
        {
            let x = &mut *self.shared.borrow_mut();
            std::mem::swap(&mut x.rng, rng);
            std::mem::swap(&mut x.events, events);
        }
        let mut context = Context::from_waker(Waker::noop());
        self.done = self.body.as_mut().poll(&mut context).is_ready();
        let x = &mut *self.shared.borrow_mut();
        std::mem::swap(&mut x.rng, rng);
        std::mem::swap(&mut x.events, events);
        match x.asked.take() {
            Some(ask) if !self.done => ask,
            _ => Ask::Done,
        }
    }
}

impl Searcher<Nb201> for ExchangedSearcher {
    #[inline(always)]
    fn ask(&mut self, _: &Nb201, rng: &mut Rng, events: &mut Events) -> Ask<Nb201Arch> {
        match self.next.take() {
            Some(ask) => ask,
            None => self.resume(rng, events),
        }
    }
    #[inline(always)]
    fn tell(&mut self, _: &Nb201, told: Told, rng: &mut Rng, events: &mut Events) {
        self.shared.borrow_mut().told = Some(told);
        self.next = Some(self.resume(rng, events));
    }
    fn best(&self) -> Option<(Nb201Arch, f64)> {
        self.shared.borrow().view.best
    }
    fn snapshot(&self, _: &Nb201, labels: &[String]) -> Snapshot {
        let x = self.shared.borrow();
        let scored = |(a, s): (Nb201Arch, f64)| Scored::new(Nb201.id(a), s);
        Snapshot::LocalSearch(LocalSearchSnapshot {
            first_improvement: true,
            objective: labels[0].clone(),
            phase: if self.done {
                Phase::Done
            } else {
                Phase::Sweeping
            },
            current: x.view.current.map(scored),
            best: x.view.best.map(scored),
            tried: Vec::new(),
            evals: x.view.history.len() as u64,
        })
    }
}

type ExchangedRun<'t> = Run<Nb201, TableEvaluator<&'t Table>, ExchangedSearcher>;

/// [`engine_stage1`] with the `async fn` behind the engine's exchange.
fn exchanged_engine_stage1<'t>(table: &'t Table, proxy: &str, seed: u64) -> ExchangedRun<'t> {
    stage1_run(table, proxy, seed, ExchangedSearcher::new)
}

fn bench_stage1_floor(c: &mut Criterion) {
    let table = table();
    let proxy = "params";
    if table.find_proxy(proxy).is_err() || table.by_key(0).is_none() {
        eprintln!("(the table has no {proxy} proxy readable by key: no stage-1 floor)");
        return;
    }
    let cols = ProxyColumns::of(&table, proxy);
    // The floor means something only for the same search: same architectures, same order.
    let mut history = Vec::with_capacity(STAGE1_EVALS);
    for seed in 0..20 {
        let run = engine_stage1(&table, proxy, seed);
        let want = run.searcher().history();
        plain_stage1(&cols, seed, &mut history);
        assert_eq!(
            history, want,
            "the plain loop differs from the engine (seed {seed})"
        );
        let mut ready = ReadyScores {
            cols: &cols,
            spent: 0.0,
            history: Vec::new(),
        };
        async_stage1_to_end(&mut ready, seed);
        assert_eq!(
            ready.history, want,
            "the async fn differs from the engine (seed {seed})"
        );
        let mut stepped = SteppedScores(ReadyScores {
            cols: &cols,
            spent: 0.0,
            history: Vec::new(),
        });
        let exchanged = exchanged_engine_stage1(&table, proxy, seed);
        assert_eq!(
            exchanged.searcher().shared.borrow().view.history,
            want,
            "behind the exchange, the async fn differs (seed {seed})"
        );
        let mut view = LsView::default();
        let spent = ready_exchange_stage1(&table, proxy, seed, &mut view);
        assert_eq!(view.history, want, "the ready kind differs (seed {seed})");
        assert_eq!(
            spent,
            run.spent().seconds,
            "the ready kind's cost differs (seed {seed})"
        );
        let steps = poll_to_end(async_stage1(&mut stepped, seed));
        assert_eq!(steps, STAGE1_EVALS, "one step per evaluation");
        assert_eq!(
            stepped.0.history, want,
            "stepped, the async fn differs (seed {seed})"
        );
    }
    // Each iteration runs the next of 100 seeds: with one seed repeated, the processor's
    // branch predictor learns that run's branches, which flatters the plainest code most.
    let mut seeds = (0..100u64).cycle();
    let mut ready = ReadyScores {
        cols: &cols,
        spent: 0.0,
        history: Vec::with_capacity(STAGE1_EVALS),
    };
    let mut group = c.benchmark_group("mf-nas stage 1");
    group.bench_function("engine", |b| {
        b.iter(|| {
            engine_stage1(&table, proxy, black_box(seeds.next().unwrap()))
                .spent()
                .seconds
        })
    });
    group.bench_function("plain loop", |b| {
        b.iter(|| plain_stage1(&cols, black_box(seeds.next().unwrap()), &mut history))
    });
    group.bench_function("async fn", |b| {
        b.iter(|| async_stage1_to_end(&mut ready, black_box(seeds.next().unwrap())))
    });
    // The same `async fn` suspended before every answer and polled again, as a run stepped
    // one evaluation at a time (or an ask/tell exchange built on it) would drive it.
    let mut stepped = SteppedScores(ReadyScores {
        cols: &cols,
        spent: 0.0,
        history: Vec::with_capacity(STAGE1_EVALS),
    });
    group.bench_function("async fn, stepped", |b| {
        b.iter(|| {
            stepped.0.restart();
            poll_to_end(async_stage1(&mut stepped, black_box(seeds.next().unwrap())))
        })
    });
    let mut view = LsView::default();
    group.bench_function(
        "async fn with the engine's bookkeeping, run to the end",
        |b| {
            b.iter(|| {
                ready_exchange_stage1(&table, proxy, black_box(seeds.next().unwrap()), &mut view)
            })
        },
    );
    group.bench_function("async fn, behind the engine's exchange", |b| {
        b.iter(|| {
            exchanged_engine_stage1(&table, proxy, black_box(seeds.next().unwrap()))
                .spent()
                .seconds
        })
    });
    group.finish();
}

criterion_group!(benches, bench_mf_nas, bench_stage1_floor);
criterion_main!(benches);
