//! Engine speed: one MF-NAS run and 500 runs on one core, one LS and one REA run, with the quality figure printed
//! beside the time so a faster but different result is noticed.
//!
//! The group "mf-nas stage 1" puts the engine beside what it is measured against: MF-NAS's
//! stage 1 (first-improvement local search, 2,000 proxy evaluations) run by the engine; the
//! same search written as one plain loop over the table's columns; and that loop written as
//! an `async fn` that awaits each score, which can also be stepped one evaluation at a time
//! (what the engine's ask/tell exchange exists for), timed both run to the end and stepped.
//! All of them make the same random draws and are checked to evaluate the same
//! architectures in the same order before timing.
//!
//! Uses the packed cifar10 table when `tables/nb201-cifar10.mfnt` exists (run `mfnas pack`
//! first), else the synthetic table.

use criterion::{Criterion, black_box, criterion_group, criterion_main};
use mfnas::algo::config::{Algo, AlgoParams};
use mfnas::algo::hill_climb::LocalSearch;
use mfnas::algo::mf_nas::KeepsHistory;
use mfnas::budget::Budget;
use mfnas::experiment::{run_once, run_seeds, summarize};
use mfnas::objective::{Objective, ObjectiveRegistry};
use mfnas::rng::Rng;
use mfnas::runner::space::TableSpace;
use mfnas::runner::{Run, TableEvaluator};
use mfnas::space::SearchSpace;
use mfnas::space::nb201::{Nb201, Nb201Arch};
use mfnas::table::Table;
use std::future::Future;
use std::pin::{Pin, pin};
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
    let mut registry = ObjectiveRegistry::new();
    let zc = registry.id(Objective::proxy(proxy));
    let mut ls = LocalSearch::new(zc, true, Some(STAGE1_EVALS as u64), false);
    ls.keep_history();
    let evaluator = TableEvaluator::new(table, &registry).expect("the proxy's columns");
    let mut run = Run::new(
        Nb201,
        Box::new(ls),
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
    group.finish();
}

criterion_group!(benches, bench_mf_nas, bench_stage1_floor);
criterion_main!(benches);
