//! `mfnas paper`: every NAS-Bench-201 experiment of the MF-NAS paper that the tables support,
//! on all cores, written as one report (Markdown + SVG figures, a static HTML page and JSON).

use crate::interrupt;
use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use mfnas::algo::config::{AlgoParams, Plan};
use mfnas::experiment::run_once;
use mfnas::files::Output;
use mfnas::lon::landscape::Landscape;
use mfnas::lon::report::grid_job;
use mfnas::lon::trend::TrendParams;
use mfnas::report::configs::{self, configurations, finish, prepare};
use mfnas::report::figures::{LANDSCAPE_FIGURES, trend_stem};
use mfnas::report::stepper::{coverage_notes, landscape_items, landscape_units};
use mfnas::report::{self, ConfigResult, DatasetResults, PaperReport, Section, render};
use mfnas::runner::Outcome;
use mfnas::space::nb201::{N_ARCHS, Nb201};
use mfnas::table::{Table, synthetic};
use mfnas::{Error, Result};
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::time::Instant;

#[derive(Args, Debug)]
pub struct PaperArgs {
    /// Folder with the packed tables (`mfnas pack` writes them).
    #[arg(long, default_value = "tables", env = "MFNAS_TABLES")]
    tables: PathBuf,
    /// Datasets, comma separated (default: the paper's three).
    #[arg(long, value_delimiter = ',', default_values_t = mfnas::paper::DATASETS.map(String::from))]
    datasets: Vec<String>,
    /// Sections, comma separated: table2, table1, table4, table5, table6, landscapes, trends
    /// (default: all).
    #[arg(long, value_delimiter = ',')]
    sections: Vec<String>,
    /// Runs per configuration (seeds seed-start .. seed-start + runs - 1).
    #[arg(long, default_value_t = 500)]
    runs: usize,
    /// First seed.
    #[arg(long, default_value_t = 1)]
    seed_start: u64,
    /// Evaluations per search-trend run (Figs. 4 and 8).
    #[arg(long, default_value_t = 5_000)]
    trend_evals: u64,
    /// Search-trend runs per metric (default: --runs).
    #[arg(long)]
    trend_runs: Option<u64>,
    /// Folder the report is written to (created if needed).
    #[arg(long, default_value = "report")]
    out: PathBuf,
    /// Replace report files already in the folder.
    #[arg(long)]
    force: bool,
    /// Use synthetic tables (seeds 1, 2, 3) in place of the datasets: a demo of the report
    /// that says nothing about the paper.
    #[arg(long)]
    synthetic: bool,
    /// Hide the progress bar and the coverage notes.
    #[arg(long)]
    quiet: bool,
}

/// A table and the paper dataset it stands for.
struct Column {
    dataset: String,
    table: Table,
}

fn load_columns(a: &PaperArgs) -> Result<Vec<Column>> {
    a.datasets
        .iter()
        .enumerate()
        .map(|(i, d)| {
            if !mfnas::paper::DATASETS.contains(&d.as_str()) {
                return Err(Error::param(format!(
                    "--datasets: {d:?} is not one of the paper's datasets ({})",
                    mfnas::paper::DATASETS.join(", ")
                )));
            }
            let table = if a.synthetic {
                synthetic::nb201_full_curves(i as u64 + 1)
            } else {
                crate::landscape::load_table(&a.tables, d)?
            };
            if table.n_rows() != N_ARCHS {
                return Err(Error::param(format!(
                    "the paper report needs tables of the whole NB201 space; {} has {} architectures",
                    table.meta.title,
                    table.n_rows()
                )));
            }
            Ok(Column {
                dataset: d.clone(),
                table,
            })
        })
        .collect()
}

fn sections(a: &PaperArgs) -> Result<Vec<Section>> {
    if a.sections.is_empty() {
        return Ok(Section::ALL.to_vec());
    }
    a.sections.iter().map(|s| Section::parse(s)).collect()
}

/// The files the report will have: its figures, then the JSON, HTML and Markdown.
fn report_files(columns: &[Column], sections: &[Section]) -> Vec<String> {
    let mut names = Vec::new();
    if sections.contains(&Section::Landscapes) {
        names.extend(LANDSCAPE_FIGURES.iter().map(|f| format!("{}.svg", f.stem)));
    }
    if sections.contains(&Section::Trends) {
        names.extend(columns.iter().map(|c| {
            let name = if configs::is_real(&c.table) {
                c.table.meta.dataset.clone()
            } else {
                c.table.meta.title.clone()
            };
            format!("{}.svg", trend_stem(&name))
        }));
    }
    names.extend(["paper.json", "paper.html", "paper.md"].map(String::from));
    names
}

/// Checks every destination before any work: the folder (created if needed) is writable and
/// no report file would be replaced without --force.
fn outputs(out: &Path, names: &[String], force: bool) -> Result<Vec<Output>> {
    std::fs::create_dir_all(out).map_err(|e| Error::from(e).context(out.display()))?;
    names
        .iter()
        .map(|n| Output::new(out.join(n), force))
        .collect()
}

fn bar(quiet: bool, len: u64) -> ProgressBar {
    let bar = if quiet {
        ProgressBar::hidden()
    } else {
        ProgressBar::new(len)
    };
    bar.set_style(
        ProgressStyle::with_template(
            "{msg:<34} [{bar:30}] {percent:>3}% ({elapsed}, about {eta} left)",
        )
        .expect("valid template")
        .progress_chars("=> "),
    );
    bar
}

pub fn run(a: &PaperArgs) -> Result<()> {
    if a.runs == 0 {
        return Err(Error::param("--runs must be at least 1"));
    }
    let started = Instant::now();
    let sections = sections(a)?;
    let columns = load_columns(a)?;
    let outputs = outputs(&a.out, &report_files(&columns, &sections), a.force)?;
    let trend_params = TrendParams {
        evals: a.trend_evals,
        repeats: a.trend_runs.unwrap_or(a.runs as u64),
        first_seed: a.seed_start,
    };
    if sections.contains(&Section::Trends) && (trend_params.evals == 0 || trend_params.repeats == 0)
    {
        return Err(Error::param(
            "--trend-evals and --trend-runs must be at least 1",
        ));
    }

    // What every table needs, checked up front: a plan, or why the table cannot run it.
    let mut jobs = Vec::new(); // (column, params, plan)
    let mut results: Vec<Vec<ConfigResult>> = columns.iter().map(|_| Vec::new()).collect();
    for (ci, col) in columns.iter().enumerate() {
        for params in configurations(&col.table, &sections) {
            match prepare(&col.table, &col.dataset, &params) {
                Ok(plan) => jobs.push((ci, params, plan)),
                Err(unavailable) => results[ci].push(*unavailable),
            }
        }
    }
    if !a.quiet {
        print_coverage(&columns, &jobs);
    }

    let land_jobs: Vec<(usize, String, bool)> = columns
        .iter()
        .enumerate()
        .flat_map(|(ci, c)| {
            landscape_items(&c.table, &sections)
                .into_iter()
                .map(move |(m, t)| (ci, m, t))
        })
        .collect();

    let n_runs = jobs.len() * a.runs;
    let units = n_runs as u64
        + land_jobs
            .iter()
            .map(|(_, _, t)| landscape_units(*t, &trend_params))
            .sum::<u64>();
    let progress = bar(a.quiet, units);

    // Every (configuration, seed) in parallel, kept in order: the result does not depend on
    // the number of threads because every run owns its random stream.
    progress.set_message(format!("{} configurations × {} runs", jobs.len(), a.runs));
    let outcomes: Vec<Outcome> = (0..n_runs)
        .into_par_iter()
        .map(|i| {
            if interrupt::requested() {
                return Ok(None);
            }
            let (ci, _, plan) = &jobs[i / a.runs];
            let seed = a.seed_start + (i % a.runs) as u64;
            let r = run_once(&Nb201, &columns[*ci].table, plan, seed, false).map(|(o, _)| Some(o));
            progress.inc(1);
            r
        })
        .collect::<Result<Option<Vec<_>>>>()?
        .unwrap_or_default();
    if interrupt::requested() {
        progress.finish_and_clear();
        eprintln!("interrupted: no report written (a report of part of the runs would mislead)");
        return Ok(());
    }
    let finished: Vec<(usize, ConfigResult)> = jobs
        .par_iter()
        .zip(outcomes.par_chunks(a.runs))
        .map(|((ci, params, plan), outs)| {
            finish(&columns[*ci].table, params, plan, outs, a.seed_start).map(|r| (*ci, r))
        })
        .collect::<Result<Vec<_>>>()?;
    for (ci, r) in finished {
        results[ci].push(r);
    }

    // Landscapes and trends, one (dataset, metric) per task.
    progress.set_message("landscapes and search trends".to_string());
    let lands: Vec<Landscape<'_, Nb201>> = columns
        .par_iter()
        .map(|c| Landscape::new(&Nb201, &c.table))
        .collect::<Result<Vec<_>>>()?;
    let land_results = land_jobs
        .par_iter()
        .map(|(ci, m, t)| {
            if interrupt::requested() {
                return Ok(None);
            }
            let r = grid_job(&lands[*ci], m, t.then_some(trend_params)).map(Some);
            progress.inc(landscape_units(*t, &trend_params));
            r
        })
        .collect::<Result<Option<Vec<_>>>>()?
        .unwrap_or_default();
    progress.finish_and_clear();
    if interrupt::requested() {
        eprintln!("interrupted: no report written (a report of part of the runs would mislead)");
        return Ok(());
    }

    let datasets: Vec<DatasetResults> = columns
        .iter()
        .zip(results)
        .enumerate()
        .map(|(ci, (c, configs))| {
            let mine = land_jobs
                .iter()
                .zip(&land_results)
                .filter(|((j, _, _), _)| *j == ci);
            let landscapes = if sections.contains(&Section::Landscapes) {
                mine.clone().map(|(_, (s, _))| s.clone()).collect()
            } else {
                Vec::new()
            };
            let trends = mine
                .filter_map(|(_, (_, t))| t.clone().map(|t| t.trend))
                .collect();
            DatasetResults::new(&c.table, &c.dataset, configs, landscapes, trends)
        })
        .collect();
    let report = report::build(&datasets, &sections, a.runs, a.seed_start);
    let files = write_report(&outputs, &report)?;
    eprintln!(
        "wrote {} ({}) in {:.1} s on {} threads",
        a.out.display(),
        files.join(", "),
        started.elapsed().as_secs_f64(),
        rayon::current_num_threads()
    );
    print_summary(&report);
    Ok(())
}

/// Says, before running, which objectives score only part of their table.
fn print_coverage(columns: &[Column], jobs: &[(usize, AlgoParams, Plan)]) {
    for (ci, c) in columns.iter().enumerate() {
        let plans = jobs.iter().filter(|j| j.0 == ci).map(|(_, _, plan)| plan);
        for m in coverage_notes(&c.table, plans) {
            eprintln!("coverage ({}): {m}", c.dataset);
        }
    }
}

/// Writes the report's files to the checked `outputs` (one per file [`report_files`]
/// names); returns their names.
pub fn write_report(outputs: &[Output], report: &PaperReport) -> Result<Vec<String>> {
    let json = serde_json::to_string_pretty(report).map_err(|e| Error::param(e.to_string()))?;
    let mut contents: Vec<(String, String)> = render::figures(report);
    contents.push(("paper.json".into(), json));
    contents.push(("paper.html".into(), render::html_page(report)));
    contents.push(("paper.md".into(), render::markdown(report)));
    let mut names = Vec::new();
    for (name, text) in contents {
        let out = outputs
            .iter()
            .find(|o| {
                o.path()
                    .file_name()
                    .is_some_and(|f| f.to_string_lossy() == name)
            })
            .ok_or_else(|| Error::param(format!("internal: no checked destination for {name}")))?;
        out.write(text.as_bytes())?;
        names.push(name);
    }
    Ok(names)
}

/// A few lines on standard output: how many cells differ, and how many are unavailable.
fn print_summary(r: &PaperReport) {
    for t in &r.tables {
        let cells: Vec<&report::Cell> = t
            .rows
            .iter()
            .flat_map(|row| row.cells.iter().flatten())
            .collect();
        let compared = cells.iter().filter(|c| c.difference.is_some()).count();
        let exceed = cells
            .iter()
            .filter(|c| c.difference.is_some_and(|d| d.exceeds))
            .count();
        let unavailable = cells.iter().filter(|c| c.unavailable.is_some()).count();
        outln!(
            "{:<72} {compared:>3} compared, {exceed:>3} beyond their standard error, {unavailable:>3} not runnable",
            t.title
        );
    }
}
