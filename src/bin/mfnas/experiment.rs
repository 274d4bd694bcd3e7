//! `mfnas experiment`, `mfnas run` and `mfnas reproduce`.

use crate::config_args::{AlgoArgs, TableArgs};
use crate::interrupt;
use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use mfnas::algo::config::Plan;
use mfnas::event::Event;
use mfnas::experiment::{Summary, run_once, summarize};
use mfnas::files::{AtomicFile, Output};
use mfnas::objective::ObjectiveRegistry;
use mfnas::runner::{Outcome, Run, SpaceFn, TableEvaluator, TableSpace};
use mfnas::space::SearchSpace;
use mfnas::table::Table;
use mfnas::{Error, Result};
use rayon::prelude::*;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Output formats of summaries.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// A human-readable table.
    Table,
    /// One JSON object.
    Json,
    /// CSV with a header line.
    Csv,
}

#[derive(Args, Debug)]
pub struct ExperimentArgs {
    #[command(flatten)]
    table: TableArgs,
    #[command(flatten)]
    algo: AlgoArgs,
    /// Number of runs (seeds seed-start .. seed-start + runs - 1).
    #[arg(long, default_value_t = 500)]
    runs: usize,
    /// First seed.
    #[arg(long, default_value_t = 1)]
    seed_start: u64,
    /// Output format on standard output.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
    /// Also write every run's outcome (and, in JSON, the summary) to this file (.json or
    /// .csv), written as the runs finish and complete even after Ctrl-C.
    #[arg(long)]
    out: Option<PathBuf>,
    /// Replace the --out file if it exists.
    #[arg(long, requires = "out")]
    force: bool,
    /// Hide the progress bar.
    #[arg(long)]
    quiet: bool,
}

#[derive(Args, Debug)]
pub struct RunArgs {
    #[command(flatten)]
    table: TableArgs,
    #[command(flatten)]
    algo: AlgoArgs,
    /// The seed.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Write the event stream to this file as JSON Lines, as the run goes.
    #[arg(long)]
    events: Option<PathBuf>,
    /// Replace the --events file if it exists.
    #[arg(long, requires = "events")]
    force: bool,
    /// Output format of the outcome (table = text).
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
}

#[derive(Args, Debug)]
pub struct ReproduceArgs {
    /// Folder with packed tables.
    #[arg(long, default_value = "tables", env = "MFNAS_TABLES")]
    tables: PathBuf,
    /// Runs per configuration.
    #[arg(long, default_value_t = 500)]
    runs: usize,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
    /// Hide progress bars.
    #[arg(long)]
    quiet: bool,
}

/// Calls `f` with the search space of `table` (the whole NB201 space, or the cells of
/// NB201, NB101 or NB-ASR that the table covers, so searches never leave it).
fn on_space<F: SpaceFn<Output = Result<O>>, O>(table: &Table, f: F) -> Result<O> {
    TableSpace::of(table)?.apply(f)
}

/// Seeds run in parallel per chunk: results are kept in seed order, so they do not depend
/// on the thread count, and a chunk bounds what is held before it is written.
const CHUNK: usize = 4096;

/// Runs a range of seeds in parallel.
struct Seeds<'a> {
    table: &'a Table,
    plan: &'a Plan,
    seeds: std::ops::Range<u64>,
    bar: &'a ProgressBar,
}

impl SpaceFn for Seeds<'_> {
    type Output = Result<Vec<Outcome>>;
    fn call<S: SearchSpace + Clone + 'static>(self, space: &S) -> Result<Vec<Outcome>> {
        self.seeds
            .into_par_iter()
            .map(|seed| {
                let r = run_once(space, self.table, self.plan, seed, false).map(|(o, _)| o);
                self.bar.inc(1);
                r
            })
            .collect()
    }
}

/// What a sweep of seeds did: every outcome in seed order, and whether Ctrl-C cut it short.
struct Sweep {
    outcomes: Vec<Outcome>,
    interrupted: bool,
}

/// Runs seeds `seed_start..seed_start + runs` chunk by chunk, handing each chunk to
/// `each_chunk` (to be written) before the next starts; stops early on Ctrl-C.
fn run_sweep(
    table: &Table,
    plan: &Plan,
    seed_start: u64,
    runs: usize,
    quiet: bool,
    mut each_chunk: impl FnMut(&[Outcome]) -> Result<()>,
) -> Result<Sweep> {
    let bar = if quiet {
        ProgressBar::hidden()
    } else {
        ProgressBar::new(runs as u64)
    };
    bar.set_style(
        ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len} runs ({elapsed}, ETA {eta})")
            .expect("valid template")
            .progress_chars("=> "),
    );
    bar.set_message(plan.label.clone());
    let mut outcomes: Vec<Outcome> = Vec::with_capacity(runs.min(CHUNK));
    let mut done = 0usize;
    while done < runs {
        if interrupt::requested() {
            break;
        }
        let n = CHUNK.min(runs - done);
        let first = seed_after(seed_start, done)?;
        let last = seed_after(first, n)?;
        let mut chunk = on_space(
            table,
            Seeds {
                table,
                plan,
                seeds: first..last,
                bar: &bar,
            },
        )?;
        each_chunk(&chunk)?;
        // Only the numbers the summary needs are kept past the chunk.
        for o in &mut chunk {
            o.arch_string = String::new();
        }
        outcomes.append(&mut chunk);
        done += n;
    }
    bar.finish_and_clear();
    Ok(Sweep {
        interrupted: outcomes.len() < runs,
        outcomes,
    })
}

/// `seed + k` (the seed range is checked against the engine's before any run).
fn seed_after(seed: u64, k: usize) -> Result<u64> {
    seed.checked_add(k as u64)
        .ok_or_else(|| Error::param(format!("seed {seed} + {k} does not fit in 64 bits")))
}

/// One run, its events written to `events` as they happen.
struct Streamed<'a> {
    table: &'a Table,
    plan: &'a Plan,
    seed: u64,
    events: Option<&'a mut AtomicFile>,
}

/// Events are written every this many steps, so memory holds at most this many.
const EVENT_BATCH: usize = 1024;

impl SpaceFn for Streamed<'_> {
    type Output = Result<Option<Outcome>>;
    fn call<S: SearchSpace + Clone + 'static>(mut self, space: &S) -> Result<Option<Outcome>> {
        mfnas::limits::check_seed(self.seed)?;
        let mut objectives = ObjectiveRegistry::new();
        let searcher = self.plan.build(space, &mut objectives)?;
        let evaluator = TableEvaluator::new(self.table, &objectives)?;
        let mut run = Run::new(
            space.clone(),
            searcher,
            evaluator,
            objectives.labels(),
            self.plan.budget,
            self.seed,
            self.events.is_some(),
        );
        let bar = ProgressBar::new_spinner();
        bar.set_style(
            ProgressStyle::with_template("{spinner} {msg} ({elapsed})").expect("valid template"),
        );
        let mut steps = 0usize;
        loop {
            let more = run.step()?;
            steps += 1;
            if !more || steps.is_multiple_of(EVENT_BATCH) {
                if let Some(f) = self.events.as_deref_mut() {
                    write_events(f, &run.drain_events())?;
                }
                let spent = run.spent();
                bar.set_message(format!(
                    "{} evaluations, {:.0} s simulated",
                    spent.evals, spent.seconds
                ));
            }
            if !more {
                break;
            }
            if interrupt::requested() {
                bar.finish_and_clear();
                return Ok(None);
            }
        }
        bar.finish_and_clear();
        Ok(run.outcome().cloned())
    }
}

fn write_events(f: &mut AtomicFile, events: &[Event]) -> Result<()> {
    for e in events {
        serde_json::to_writer(&mut *f, e).map_err(|e| f.error(e))?;
        f.write_all(b"\n").map_err(|e| f.error(e))?;
    }
    Ok(())
}

/// Says, before a run, which of its objectives score only part of the table. Only then is
/// the whole table read again (the run's own holds just its columns), to name a proxy of the
/// same definition that scores every architecture.
fn warn_coverage(args: &TableArgs, table: &Table, plan: &Plan) -> Result<()> {
    use mfnas::report::coverage::plan_coverage;
    if plan_coverage(table, plan).is_empty() {
        return Ok(());
    }
    let full = args
        .path()?
        .map(|p| crate::tables::load_file(&p))
        .transpose()?;
    for w in plan_coverage(full.as_ref().unwrap_or(table), plan) {
        eprintln!("warning: {}", w.message());
    }
    Ok(())
}

fn fmt_opt(v: Option<f64>) -> String {
    v.map(|x| format!("{x:.2}")).unwrap_or_else(|| "-".into())
}

fn print_summary(s: &Summary, plan: &Plan, format: Format) -> Result<()> {
    match format {
        Format::Json => outln!(
            "{}",
            serde_json::to_string_pretty(s).map_err(|e| Error::param(e.to_string()))?
        ),
        Format::Csv => {
            outln!(
                "label,table,mean,std,cost_s,epochs,evals,runs,seed_start,stopped_by_budget,candidates_best_test_acc,rank_among_candidates"
            );
            let opt = |v: Option<f64>| v.map(|x| format!("{x:.4}")).unwrap_or_default();
            outln!(
                "\"{}\",\"{}\",{:.4},{:.4},{:.1},{:.1},{:.1},{},{},{},{},{}",
                s.label,
                s.table,
                s.mean,
                s.std,
                s.cost_s,
                s.epochs,
                s.evals,
                s.runs,
                s.seed_start,
                s.stopped_by_budget,
                opt(s.candidates_best_test_acc),
                opt(s.rank_among_candidates)
            );
        }
        Format::Table => {
            outln!("{}", s.label);
            outln!("  table      {}", s.table);
            if !s.ladder.is_empty() {
                outln!("  ladder     {}", s.ladder.join(" → "));
            }
            outln!(
                "  test acc   {:.2} ± {:.2} %  (mean ± population std over {} runs, seeds {}..{})",
                s.mean,
                s.std,
                s.runs,
                s.seed_start,
                s.seed_start + s.runs as u64 - 1
            );
            outln!(
                "  cost       {:.0} s, {:.0} epochs, {:.0} evaluations (means)",
                s.cost_s,
                s.epochs,
                s.evals
            );
            if let (Some(best), Some(rank)) = (s.candidates_best_test_acc, s.rank_among_candidates)
            {
                outln!(
                    "  candidates best test acc among them {best:.2} % (mean); the returned one ranks {rank:.1} on average (1 = best)"
                );
            }
            if s.stopped_by_budget > 0 && !s.ladder.is_empty() {
                outln!(
                    "  budget     cut successive halving short in {} of {} runs",
                    s.stopped_by_budget,
                    s.runs
                );
            }
            if let Some(max) = s.max_over_budget_s {
                outln!(
                    "  budget     {} of {} runs charged more than the budget, at most {max:.0} s more: {}",
                    s.over_budget,
                    s.runs,
                    plan.budget_rule()
                );
            }
            if s.missing_test > 0 {
                outln!(
                    "  note       {} runs returned an architecture without test accuracy (left out of the mean)",
                    s.missing_test
                );
            }
        }
    }
    Ok(())
}

/// The per-run output of `experiment --out`: CSV or JSON by the file's extension, written
/// chunk by chunk into a temporary file that becomes the destination when complete.
struct RunsFile {
    file: AtomicFile,
    csv: bool,
    first: bool,
}

impl RunsFile {
    /// Checks the destination (before any run starts) and opens its temporary file.
    fn create(path: &Path, force: bool) -> Result<Self> {
        let csv = match path.extension().and_then(|e| e.to_str()) {
            Some("csv") => true,
            Some("json") => false,
            _ => {
                return Err(Error::param(format!(
                    "--out {}: the file name must end in .csv or .json (the format)",
                    path.display()
                )));
            }
        };
        let mut file = Output::new(path, force)?.create()?;
        let head: &[u8] = if csv {
            b"seed,arch,arch_string,score,test_acc,cost_s,epochs,evals,stopped_by_budget,n_candidates,candidates_best_test_acc,rank_among_candidates\n"
        } else {
            b"{\"runs\": ["
        };
        file.write_bytes(head)?;
        Ok(Self {
            file,
            csv,
            first: true,
        })
    }
    fn write_chunk(&mut self, outcomes: &[Outcome]) -> Result<()> {
        let f = &mut self.file;
        for o in outcomes {
            if self.csv {
                let opt = |v: Option<f64>| v.map(|t| t.to_string()).unwrap_or_default();
                writeln!(
                    f,
                    "{},{},\"{}\",{},{},{},{},{},{},{},{},{}",
                    o.seed,
                    o.arch,
                    o.arch_string,
                    o.score,
                    opt(o.test_acc),
                    o.cost_s,
                    o.epochs,
                    o.evals,
                    o.stopped_by_budget,
                    o.n_candidates.map(|n| n.to_string()).unwrap_or_default(),
                    opt(o.candidates_best_test_acc),
                    o.rank_among_candidates
                        .map(|r| r.to_string())
                        .unwrap_or_default()
                )
                .map_err(|e| f.error(e))?;
            } else {
                if !self.first {
                    f.write_all(b",").map_err(|e| f.error(e))?;
                }
                f.write_all(b"\n  ").map_err(|e| f.error(e))?;
                serde_json::to_writer(&mut *f, o).map_err(|e| f.error(e))?;
            }
            self.first = false;
        }
        Ok(())
    }
    /// Ends the file (JSON: the summary after the runs) and makes it the destination.
    fn finish(mut self, summary: &Summary, interrupted: bool) -> Result<()> {
        if !self.csv {
            let tail = format!(
                "\n],\n\"interrupted\": {interrupted},\n\"summary\": {}}}\n",
                serde_json::to_string_pretty(summary).map_err(|e| self.file.error(e))?
            );
            self.file.write_bytes(tail.as_bytes())?;
        }
        let path = self.file.path().to_path_buf();
        self.file.commit()?;
        if interrupted {
            eprintln!(
                "wrote {} with the {} completed runs",
                path.display(),
                summary.runs
            );
        }
        Ok(())
    }
}

pub fn run_experiment(a: &ExperimentArgs) -> Result<()> {
    if a.runs == 0 {
        return Err(Error::param("--runs must be at least 1"));
    }
    mfnas::limits::check_seeds(a.seed_start, a.runs as u64)?;
    let params = a.algo.params()?;
    // The output is checked before any work.
    let mut out = a
        .out
        .as_deref()
        .map(|p| RunsFile::create(p, a.force))
        .transpose()?;
    let (table, plan) = a.table.load_for_plan(&params)?;
    warn_coverage(&a.table, &table, &plan)?;
    let sweep = run_sweep(&table, &plan, a.seed_start, a.runs, a.quiet, |chunk| {
        out.as_mut().map_or(Ok(()), |o| o.write_chunk(chunk))
    })?;
    if sweep.outcomes.is_empty() {
        return Ok(()); // interrupted before the first chunk: nothing to summarise
    }
    let summary = summarize(&plan, &sweep.outcomes, a.seed_start);
    if sweep.interrupted {
        eprintln!(
            "interrupted: the summary covers the first {} of {} runs",
            sweep.outcomes.len(),
            a.runs
        );
    }
    print_summary(&summary, &plan, a.format)?;
    if let Some(o) = out {
        o.finish(&summary, sweep.interrupted)?;
    }
    Ok(())
}

pub fn run_single(a: &RunArgs) -> Result<()> {
    let params = a.algo.params()?;
    let mut events = a
        .events
        .as_deref()
        .map(|p| Output::new(p, a.force)?.create())
        .transpose()?;
    let (table, plan) = a.table.load_for_plan(&params)?;
    warn_coverage(&a.table, &table, &plan)?;
    let outcome = on_space(
        &table,
        Streamed {
            table: &table,
            plan: &plan,
            seed: a.seed,
            events: events.as_mut(),
        },
    )?;
    if let Some(f) = events {
        let path = f.path().to_path_buf();
        f.commit()?;
        if outcome.is_none() {
            eprintln!(
                "interrupted: {} holds the events up to the interruption",
                path.display()
            );
        }
    }
    let Some(outcome) = outcome else {
        return Ok(());
    };
    match a.format {
        Format::Json => {
            // The outcome, and where the run was charged more than its budget, by how much
            // and why (`over_budget`).
            let mut json =
                serde_json::to_value(&outcome).map_err(|e| Error::param(e.to_string()))?;
            if let (Some(over), Some(map)) = (plan.overrun(outcome.cost_s), json.as_object_mut()) {
                map.insert("over_budget".into(), over.into());
            }
            outln!(
                "{}",
                serde_json::to_string_pretty(&json).map_err(|e| Error::param(e.to_string()))?
            )
        }
        Format::Csv => {
            outln!(
                "seed,arch,arch_string,score,test_acc,cost_s,epochs,evals,stopped_by_budget,n_candidates,candidates_best_test_acc,rank_among_candidates"
            );
            outln!(
                "{},{},\"{}\",{},{},{},{},{},{},{},{},{}",
                outcome.seed,
                outcome.arch,
                outcome.arch_string,
                outcome.score,
                fmt_opt(outcome.test_acc),
                outcome.cost_s,
                outcome.epochs,
                outcome.evals,
                outcome.stopped_by_budget,
                outcome
                    .n_candidates
                    .map(|n| n.to_string())
                    .unwrap_or_default(),
                fmt_opt(outcome.candidates_best_test_acc),
                outcome
                    .rank_among_candidates
                    .map(|r| r.to_string())
                    .unwrap_or_default()
            );
        }
        Format::Table => {
            outln!("{} — seed {}", plan.label, outcome.seed);
            outln!("  architecture  #{} {}", outcome.arch, outcome.arch_string);
            outln!("  test acc      {} %", fmt_opt(outcome.test_acc));
            outln!(
                "  cost          {:.0} s, {} epochs, {} evaluations",
                outcome.cost_s,
                outcome.epochs,
                outcome.evals
            );
            if let Some(over) = plan.overrun(outcome.cost_s) {
                outln!("  over budget   {over}");
            }
            if let (Some(n), Some(best)) = (outcome.n_candidates, outcome.candidates_best_test_acc)
            {
                outln!(
                    "  candidates    best test acc of the {n} candidates {best:.2} %; the returned one ranks {}",
                    outcome
                        .rank_among_candidates
                        .map(|r| r.to_string())
                        .unwrap_or_else(|| "- (not among them)".into())
                );
            }
        }
    }
    Ok(())
}

pub fn run_reproduce(a: &ReproduceArgs) -> Result<()> {
    if a.runs == 0 {
        return Err(Error::param("--runs must be at least 1"));
    }
    let mut rows = Vec::new();
    // Every table is found before any run starts.
    let paths = mfnas::paper::DATASETS
        .iter()
        .map(|d| crate::tables::dataset_file(&a.tables, d))
        .collect::<Result<Vec<_>>>()?;
    'datasets: for (dataset, path) in mfnas::paper::DATASETS.iter().zip(paths) {
        let table = crate::tables::load_file(&path)?;
        for (name, p) in mfnas::experiment::paper_grid(&table) {
            let algo = p.algo.expect("grid entries name their algorithm");
            let plan = p.check(&table)?;
            let sweep = run_sweep(&table, &plan, 1, a.runs, a.quiet, |_| Ok(()))?;
            if sweep.interrupted {
                eprintln!("interrupted: the table below stops at the last complete configuration");
                break 'datasets;
            }
            let s = summarize(&plan, &sweep.outcomes, 1);
            let published = mfnas::paper::published(algo.name(), dataset);
            rows.push(serde_json::json!({
                "dataset": dataset, "algorithm": name, "label": s.label, "table": s.table,
                "mean": s.mean, "std": s.std, "cost_s": s.cost_s, "epochs": s.epochs, "runs": s.runs,
                "paper_mean": published.map(|p| p.mean), "paper_std": published.map(|p| p.std),
            }));
        }
    }
    match a.format {
        Format::Json => outln!(
            "{}",
            serde_json::to_string_pretty(&rows).map_err(|e| Error::param(e.to_string()))?
        ),
        Format::Csv => {
            outln!("dataset,algorithm,mean,std,cost_s,epochs,paper_mean,paper_std");
            for r in &rows {
                outln!(
                    "{},{},{:.4},{:.4},{:.1},{:.1},{},{}",
                    r["dataset"].as_str().unwrap_or(""),
                    r["algorithm"].as_str().unwrap_or(""),
                    r["mean"].as_f64().unwrap_or(f64::NAN),
                    r["std"].as_f64().unwrap_or(f64::NAN),
                    r["cost_s"].as_f64().unwrap_or(f64::NAN),
                    r["epochs"].as_f64().unwrap_or(f64::NAN),
                    r["paper_mean"],
                    r["paper_std"]
                );
            }
        }
        Format::Table => {
            outln!(
                "{:<16} {:<18} {:>15} {:>15} {:>10} {:>8}",
                "dataset",
                "algorithm",
                "ours",
                "paper",
                "cost (s)",
                "epochs"
            );
            for r in &rows {
                let paper = match (r["paper_mean"].as_f64(), r["paper_std"].as_f64()) {
                    (Some(m), Some(s)) => format!("{m:.2} ± {s:.2}"),
                    _ => "-".into(),
                };
                outln!(
                    "{:<16} {:<18} {:>15} {:>15} {:>10.0} {:>8.0}",
                    r["dataset"].as_str().unwrap_or(""),
                    r["algorithm"].as_str().unwrap_or(""),
                    format!(
                        "{:.2} ± {:.2}",
                        r["mean"].as_f64().unwrap_or(f64::NAN),
                        r["std"].as_f64().unwrap_or(f64::NAN)
                    ),
                    paper,
                    r["cost_s"].as_f64().unwrap_or(f64::NAN),
                    r["epochs"].as_f64().unwrap_or(f64::NAN)
                );
            }
        }
    }
    Ok(())
}
