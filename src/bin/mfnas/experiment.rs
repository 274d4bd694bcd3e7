//! `mfnas experiment`, `mfnas run` and `mfnas reproduce`.

use crate::config_args::{AlgoArgs, TableArgs};
use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use mfnas::algo::config::Plan;
use mfnas::event::Event;
use mfnas::experiment::{Summary, run_once, summarize};
use mfnas::runner::Outcome;
use mfnas::space::nb101::Nb101;
use mfnas::space::nb201::{N_ARCHS, Nb201};
use mfnas::space::nbasr::NbAsr;
use mfnas::space::subset::Subset;
use mfnas::table::Table;
use mfnas::{Error, Result};
use rayon::prelude::*;
use std::io::Write;
use std::path::PathBuf;

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
    /// Also write the summary and every run's outcome to this file (.json or .csv).
    #[arg(long)]
    out: Option<PathBuf>,
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
    /// Write the event stream to this file as JSON Lines.
    #[arg(long)]
    events: Option<PathBuf>,
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

/// One run on the table's space (NB201, NB101 or NB-ASR, from the table's schema). A
/// table that covers only part of its space (the 200-architecture learning-curve sample,
/// the NB101 fragment) is searched over the subset it covers, so searches never leave it.
fn run_on_table(
    table: &Table,
    plan: &Plan,
    seed: u64,
    record_events: bool,
) -> Result<(Outcome, Vec<Event>)> {
    match table.meta.space.as_str() {
        "nb201" if table.n_rows() == N_ARCHS => run_once(&Nb201, table, plan, seed, record_events),
        "nb201" => run_once(
            &Subset::new(Nb201, table.keys())?,
            table,
            plan,
            seed,
            record_events,
        ),
        "nb101" => run_once(
            &Subset::new(Nb101, table.keys())?,
            table,
            plan,
            seed,
            record_events,
        ),
        "nbasr" => run_once(
            &Subset::new(NbAsr, table.keys())?,
            table,
            plan,
            seed,
            record_events,
        ),
        other => Err(Error::param(format!(
            "table {} is of search space {other:?}, which this command line does not know (nb201, nb101, nbasr)",
            table.meta.title
        ))),
    }
}

/// Runs seeds in parallel; the result does not depend on the thread count because every
/// run owns its random stream and results are kept in seed order.
fn run_parallel(
    table: &Table,
    plan: &Plan,
    seed_start: u64,
    runs: usize,
    quiet: bool,
) -> Result<Vec<Outcome>> {
    let bar = if quiet {
        ProgressBar::hidden()
    } else {
        ProgressBar::new(runs as u64)
    };
    bar.set_style(
        ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len} runs ({elapsed})")
            .expect("valid template")
            .progress_chars("=> "),
    );
    bar.set_message(plan.label.clone());
    let out: Result<Vec<Outcome>> = (0..runs as u64)
        .into_par_iter()
        .map(|i| {
            let r = run_on_table(table, plan, seed_start + i, false).map(|(o, _)| o);
            bar.inc(1);
            r
        })
        .collect();
    bar.finish_and_clear();
    out
}

/// Says, before a run, which of its objectives score only part of the table.
fn warn_coverage(table: &Table, plan: &Plan) {
    for w in mfnas::report::coverage::plan_coverage(table, plan) {
        eprintln!("warning: {}", w.message());
    }
}

fn fmt_opt(v: Option<f64>) -> String {
    v.map(|x| format!("{x:.2}")).unwrap_or_else(|| "-".into())
}

fn print_summary(s: &Summary, format: Format) -> Result<()> {
    match format {
        Format::Json => println!(
            "{}",
            serde_json::to_string_pretty(s).map_err(|e| Error::param(e.to_string()))?
        ),
        Format::Csv => {
            println!(
                "label,table,mean,std,cost_s,epochs,evals,runs,seed_start,stopped_by_budget,candidates_best_test_acc,rank_among_candidates"
            );
            let opt = |v: Option<f64>| v.map(|x| format!("{x:.4}")).unwrap_or_default();
            println!(
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
            println!("{}", s.label);
            println!("  table      {}", s.table);
            if !s.ladder.is_empty() {
                println!("  ladder     {}", s.ladder.join(" → "));
            }
            println!(
                "  test acc   {:.2} ± {:.2} %  (mean ± population std over {} runs, seeds {}..{})",
                s.mean,
                s.std,
                s.runs,
                s.seed_start,
                s.seed_start + s.runs as u64 - 1
            );
            println!(
                "  cost       {:.0} s, {:.0} epochs, {:.0} evaluations (means)",
                s.cost_s, s.epochs, s.evals
            );
            if let (Some(best), Some(rank)) = (s.candidates_best_test_acc, s.rank_among_candidates)
            {
                println!(
                    "  candidates best test acc among them {best:.2} % (mean); the returned one ranks {rank:.1} on average (1 = best)"
                );
            }
            if s.stopped_by_budget > 0 && !s.ladder.is_empty() {
                println!(
                    "  budget     cut successive halving short in {} of {} runs",
                    s.stopped_by_budget, s.runs
                );
            }
            if s.missing_test > 0 {
                println!(
                    "  note       {} runs returned an architecture without test accuracy (left out of the mean)",
                    s.missing_test
                );
            }
        }
    }
    Ok(())
}

fn write_out(path: &PathBuf, summary: &Summary, outcomes: &[Outcome]) -> Result<()> {
    let mut f = std::fs::File::create(path).map_err(|e| Error::from(e).context(path.display()))?;
    if path.extension().is_some_and(|e| e == "csv") {
        writeln!(
            f,
            "seed,arch,arch_string,score,test_acc,cost_s,epochs,evals,stopped_by_budget,n_candidates,candidates_best_test_acc,rank_among_candidates"
        )?;
        let opt = |v: Option<f64>| v.map(|t| t.to_string()).unwrap_or_default();
        for o in outcomes {
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
            )?;
        }
    } else {
        let v = serde_json::json!({ "summary": summary, "runs": outcomes });
        serde_json::to_writer_pretty(&mut f, &v).map_err(|e| Error::param(e.to_string()))?;
    }
    Ok(())
}

pub fn run_experiment(a: &ExperimentArgs) -> Result<()> {
    if a.runs == 0 {
        return Err(Error::param("--runs must be at least 1"));
    }
    let table = a.table.load()?;
    let plan = a.algo.params()?.check(&table)?;
    warn_coverage(&table, &plan);
    let outcomes = run_parallel(&table, &plan, a.seed_start, a.runs, a.quiet)?;
    let summary = summarize(&plan, &outcomes, a.seed_start);
    print_summary(&summary, a.format)?;
    if let Some(p) = &a.out {
        write_out(p, &summary, &outcomes)?;
    }
    Ok(())
}

pub fn run_single(a: &RunArgs) -> Result<()> {
    let table = a.table.load()?;
    let plan = a.algo.params()?.check(&table)?;
    warn_coverage(&table, &plan);
    let (outcome, events) = run_on_table(&table, &plan, a.seed, a.events.is_some())?;
    if let Some(p) = &a.events {
        let mut f = std::io::BufWriter::new(
            std::fs::File::create(p).map_err(|e| Error::from(e).context(p.display()))?,
        );
        for e in &events {
            serde_json::to_writer(&mut f, e).map_err(|e| Error::param(e.to_string()))?;
            writeln!(f)?;
        }
    }
    match a.format {
        Format::Json => println!(
            "{}",
            serde_json::to_string_pretty(&outcome).map_err(|e| Error::param(e.to_string()))?
        ),
        Format::Csv => {
            println!(
                "seed,arch,arch_string,score,test_acc,cost_s,epochs,evals,stopped_by_budget,n_candidates,candidates_best_test_acc,rank_among_candidates"
            );
            println!(
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
            println!("{} — seed {}", plan.label, outcome.seed);
            println!("  architecture  {}", outcome.arch_string);
            println!("  test acc      {} %", fmt_opt(outcome.test_acc));
            println!(
                "  cost          {:.0} s, {} epochs, {} evaluations",
                outcome.cost_s, outcome.epochs, outcome.evals
            );
            if let (Some(n), Some(best)) = (outcome.n_candidates, outcome.candidates_best_test_acc)
            {
                println!(
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
    let mut rows = Vec::new();
    for dataset in mfnas::paper::DATASETS {
        let targs = TableArgs {
            dataset: dataset.to_string(),
            tables: a.tables.clone(),
            table: None,
        };
        let table = targs.load()?;
        for (name, p) in mfnas::experiment::paper_grid(&table) {
            let algo = p.algo.expect("grid entries name their algorithm");
            let plan = p.check(&table)?;
            let outcomes = run_parallel(&table, &plan, 1, a.runs, a.quiet)?;
            let s = summarize(&plan, &outcomes, 1);
            let published = mfnas::paper::published(algo.name(), dataset);
            rows.push(serde_json::json!({
                "dataset": dataset, "algorithm": name, "label": s.label, "table": s.table,
                "mean": s.mean, "std": s.std, "cost_s": s.cost_s, "epochs": s.epochs, "runs": s.runs,
                "paper_mean": published.map(|p| p.mean), "paper_std": published.map(|p| p.std),
            }));
        }
    }
    match a.format {
        Format::Json => println!(
            "{}",
            serde_json::to_string_pretty(&rows).map_err(|e| Error::param(e.to_string()))?
        ),
        Format::Csv => {
            println!("dataset,algorithm,mean,std,cost_s,epochs,paper_mean,paper_std");
            for r in &rows {
                println!(
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
            println!(
                "{:<16} {:<18} {:>15} {:>15} {:>10} {:>8}",
                "dataset", "algorithm", "ours", "paper", "cost (s)", "epochs"
            );
            for r in &rows {
                let paper = match (r["paper_mean"].as_f64(), r["paper_std"].as_f64()) {
                    (Some(m), Some(s)) => format!("{m:.2} ± {s:.2}"),
                    _ => "-".into(),
                };
                println!(
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
