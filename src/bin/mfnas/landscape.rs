//! `mfnas landscape`: local optima networks of any metric, the whole grid, the paper's
//! findings checked, and network exports for graph tools and the explorer.

use crate::interrupt;
use indicatif::{ProgressBar, ProgressStyle};
use mfnas::files::Output;
use mfnas::lon::export::{self, ExportFormat, GraphKind};
use mfnas::lon::landscape::{Landscape, Summary};
use mfnas::lon::report::{self, DatasetTrend, Grid};
use mfnas::lon::trend::{Trend, TrendParams, search_trend};
use mfnas::space::nb201::Nb201;
use mfnas::table::{Table, synthetic};
use mfnas::{Error, Result};
use rayon::prelude::*;
use serde::Serialize;
use std::path::{Path, PathBuf};

/// The NB201 datasets `--all` looks for, in report order.
pub const DATASETS: [&str; 3] = ["cifar10", "cifar100", "ImageNet16-120"];

/// Fitness-landscape analysis (local optima networks) of a metric over all of NB201.
#[derive(clap::Args, Debug, Clone)]
pub struct LandscapeArgs {
    /// Dataset: cifar10, cifar100 or ImageNet16-120 (reads <tables>/nb201-<dataset>.mfnt).
    #[arg(long, default_value = "cifar10", conflicts_with_all = ["all", "synthetic"])]
    pub dataset: String,
    /// The metric as fitness: a proxy name (nwot) or a column name (val_acc@200,
    /// val_acc@12@hp12, train_loss@200, test_acc@200).
    #[arg(long, required_unless_present = "all")]
    pub metric: Option<String>,
    /// Analyse every metric of every dataset whose table is present (one JSON report).
    #[arg(long, conflicts_with_all = ["metric", "export"])]
    pub all: bool,
    /// With --all: print which of the paper's landscape findings hold on these tables.
    #[arg(long, requires = "all")]
    pub report: bool,
    /// Output format: text or json.
    #[arg(long, default_value = "text")]
    pub format: String,
    /// Write the network as graphml, gexf, json (the explorer's shape) or csv.
    #[arg(long)]
    pub export: Option<String>,
    /// Which network to export: lon, mlon (default) or cmlon.
    #[arg(long, requires = "export")]
    pub kind: Option<String>,
    /// Leave unscored optima (fitness missing) and their edges out of the export.
    #[arg(long, requires = "export")]
    pub scored_only: bool,
    /// Output file for --export (default lon-<dataset>-<metric>-<kind>.<ext>; csv writes
    /// <stem>.nodes.csv and <stem>.edges.csv) or for the --all report (default stdout).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Replace the output files if they exist.
    #[arg(long)]
    pub force: bool,
    /// Folder with the packed tables (`mfnas pack` writes them).
    #[arg(long, default_value = "tables")]
    pub tables: PathBuf,
    /// Use the synthetic table of this seed instead of packed tables (demos, tests).
    #[arg(long, conflicts_with = "tables")]
    pub synthetic: Option<u64>,
    /// Also run the search-trend experiment (paper Fig. 4): first-improvement local search
    /// with escape, mean test accuracy of the best-so-far after each evaluation.
    #[arg(long)]
    pub trend: bool,
    /// Evaluations per trend run (default 5,000).
    #[arg(long, requires = "trend")]
    pub evals: Option<u64>,
    /// Trend runs, seeds seed..seed+repeats (default 500).
    #[arg(long, requires = "trend")]
    pub repeats: Option<u64>,
    /// First trend seed (default 1).
    #[arg(long, requires = "trend")]
    pub seed: Option<u64>,
}

/// Where the packed table of `dataset` lives.
pub fn table_path(tables: &Path, dataset: &str) -> PathBuf {
    tables.join(format!("nb201-{dataset}.mfnt"))
}

/// Loads the packed NB201 table of `dataset` (one of [`DATASETS`]) from `tables`.
pub fn load_table(tables: &Path, dataset: &str) -> Result<Table> {
    if !DATASETS.contains(&dataset) {
        return Err(Error::param(format!(
            "unknown dataset {dataset:?} for a landscape; choose one of {} (landscapes need all \
             15,625 NB201 architectures), or --synthetic SEED",
            DATASETS.join(", ")
        )));
    }
    crate::tables::load_file(&crate::tables::dataset_file(tables, dataset)?)
}

#[derive(Serialize)]
struct SingleReport<'a> {
    #[serde(flatten)]
    summary: &'a Summary,
    #[serde(skip_serializing_if = "Option::is_none")]
    trend: Option<&'a Trend>,
}

/// Runs `mfnas landscape`.
pub fn run(args: &LandscapeArgs) -> Result<()> {
    let json = match args.format.as_str() {
        "json" => true,
        "text" => false,
        other => {
            return Err(Error::param(format!(
                "--format {other:?}: choose text or json"
            )));
        }
    };
    let trend = args.trend.then_some(TrendParams {
        evals: args.evals.unwrap_or(5_000),
        repeats: args.repeats.unwrap_or(500),
        first_seed: args.seed.unwrap_or(1),
    });
    if let Some(t) = &trend {
        t.check()?;
    }
    // (clap's `requires` is met by a flag's default value, so these are checked here.)
    if args.report && !args.all {
        return Err(Error::param(
            "--report prints the findings of the whole grid: add --all",
        ));
    }
    if !args.trend && (args.evals.is_some() || args.repeats.is_some() || args.seed.is_some()) {
        return Err(Error::param(
            "--evals, --repeats and --seed set up the search trend: add --trend, or remove them",
        ));
    }
    if args.all {
        return run_all(args, json, trend);
    }
    if args.out.is_some() && args.export.is_none() {
        return Err(Error::param(
            "--out names the file of --export (or of the --all report); add --export FORMAT, or --all",
        ));
    }
    let export_format = args
        .export
        .as_deref()
        .map(ExportFormat::parse)
        .transpose()?;
    let kind = GraphKind::parse(args.kind.as_deref().unwrap_or("mlon"))?;
    if let (Some(format), Some(out)) = (export_format, &args.out) {
        // Checked before any work; the default name is checked once the metric is known.
        export_paths(out, format)
            .iter()
            .try_for_each(|p| Output::new(p, args.force).map(|_| ()))?;
    }
    let table = match args.synthetic {
        Some(seed) => synthetic::nb201_full_curves(seed),
        None => load_table(&args.tables, &args.dataset)?,
    };
    let metric = args
        .metric
        .as_deref()
        .expect("clap requires --metric without --all");
    let land = Landscape::new(&Nb201, &table)?;
    let res = land.analyse(metric)?;
    // The export is computed and its files checked before the (long) trend runs.
    let export = match export_format {
        Some(format) => {
            let mut x = export::export(&land, &res, kind);
            if args.scored_only {
                x = x.without_unscored();
            }
            let path = args.out.clone().unwrap_or_else(|| {
                PathBuf::from(format!("{}.{}", default_stem(&x), format.extension()))
            });
            let outputs = export_paths(&path, format)
                .into_iter()
                .map(|p| Output::new(p, args.force))
                .collect::<Result<Vec<_>>>()?;
            Some((x, format, outputs))
        }
        None => None,
    };
    let trend = match trend {
        Some(p) => Some(search_trend(
            &Nb201,
            &land.nb,
            &res.metric.name,
            &res.fitness.values,
            res.fitness.n_missing,
            &land.test,
            p,
        )?),
        None => None,
    };
    if let Some((x, format, outputs)) = export {
        write_export(&x, format, &outputs)?;
        for o in &outputs {
            eprintln!(
                "wrote {} ({} nodes, {} edges, {} architectures without a value)",
                o.path().display(),
                x.nodes.len(),
                x.edges.len(),
                x.n_missing
            );
        }
    }
    if json {
        let r = SingleReport {
            summary: &res.summary,
            trend: trend.as_ref(),
        };
        outln!(
            "{}",
            serde_json::to_string_pretty(&r).expect("serialisable")
        );
    } else {
        out!("{}", summary_text(&res.summary));
        if let Some(t) = &trend {
            out!("{}", trend_text(t));
        }
    }
    Ok(())
}

fn run_all(args: &LandscapeArgs, json: bool, trend: Option<TrendParams>) -> Result<()> {
    // The report's file is checked before any work.
    let out = args
        .out
        .as_deref()
        .map(|p| Output::new(p, args.force))
        .transpose()?;
    let tables: Vec<Table> = match args.synthetic {
        Some(seed) => vec![synthetic::nb201_full_curves(seed)],
        None => {
            let mut found = Vec::new();
            for d in DATASETS {
                if table_path(&args.tables, d).exists() {
                    found.push(load_table(&args.tables, d)?);
                } else {
                    eprintln!(
                        "note: no table for {d} at {}; it is left out of the grid",
                        table_path(&args.tables, d).display()
                    );
                }
            }
            if found.is_empty() {
                return Err(Error::missing(format!(
                    "no packed NB201 table in {} (looked for nb201-{{{}}}.mfnt); build them with \
                     `mfnas pack` or use --synthetic SEED",
                    args.tables.display(),
                    DATASETS.join(",")
                )));
            }
            found
        }
    };
    let refs: Vec<&Table> = tables.iter().collect();
    let Some(grid) = grid_parallel(&refs, trend)? else {
        eprintln!("interrupted: no report was written");
        return Ok(());
    };
    if let Some(out) = &out {
        out.write(
            serde_json::to_string_pretty(&grid)
                .expect("serialisable")
                .as_bytes(),
        )?;
        eprintln!(
            "wrote {} ({} landscapes over {})",
            out.path().display(),
            grid.landscapes.len(),
            grid.datasets.join(", ")
        );
    }
    if args.report {
        if json {
            outln!(
                "{}",
                serde_json::to_string_pretty(&grid.findings).expect("serialisable")
            );
        } else {
            out!("{}", grid_text(&grid));
            outln!();
            out!("{}", report::findings_text(&grid.findings));
        }
    } else if args.out.is_none() {
        outln!(
            "{}",
            serde_json::to_string_pretty(&grid).expect("serialisable")
        );
    }
    Ok(())
}

/// The grid with every (dataset, metric) analysed in parallel; the same result as
/// [`report::grid`] (cells are independent and assembled in job order). Shows progress;
/// `None` if Ctrl-C stopped it.
pub fn grid_parallel(tables: &[&Table], trend: Option<TrendParams>) -> Result<Option<Grid>> {
    let lands = tables
        .iter()
        .map(|t| Landscape::new(&Nb201, t))
        .collect::<Result<Vec<_>>>()?;
    let jobs = report::grid_jobs(tables);
    let bar = ProgressBar::new(jobs.len() as u64);
    bar.set_style(
        ProgressStyle::with_template("landscapes [{bar:30}] {pos}/{len} ({elapsed}, ETA {eta})")
            .expect("valid template")
            .progress_chars("=> "),
    );
    let cells: Vec<Option<(Summary, Option<DatasetTrend>)>> = jobs
        .par_iter()
        .map(|(i, m)| {
            if interrupt::requested() {
                return Ok(None);
            }
            let cell = report::grid_job(&lands[*i], m, trend)?;
            bar.inc(1);
            Ok(Some(cell))
        })
        .collect::<Result<_>>()?;
    bar.finish_and_clear();
    let Some(cells) = cells.into_iter().collect::<Option<Vec<_>>>() else {
        return Ok(None);
    };
    let (summaries, trends): (Vec<Summary>, Vec<Option<DatasetTrend>>) = cells.into_iter().unzip();
    Ok(Some(report::assemble(
        &Nb201,
        tables,
        summaries,
        trends.into_iter().flatten().collect(),
    )))
}

fn default_stem(x: &export::LonExport) -> String {
    let clean: String = x
        .metric
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    format!("lon-{}-{}-{}", x.dataset, clean, x.kind.as_str())
}

/// The files an export to `path` writes: csv writes `<stem>.nodes.csv` and
/// `<stem>.edges.csv`, the other formats `path` itself.
pub fn export_paths(path: &Path, format: ExportFormat) -> Vec<PathBuf> {
    match format {
        ExportFormat::Csv => {
            let stem = path.with_extension("");
            vec![
                PathBuf::from(format!("{}.nodes.csv", stem.display())),
                PathBuf::from(format!("{}.edges.csv", stem.display())),
            ]
        }
        _ => vec![path.to_path_buf()],
    }
}

/// Writes an export to `outputs` (from [`export_paths`]): every file complete in its
/// temporary file before any replaces its destination.
pub fn write_export(x: &export::LonExport, format: ExportFormat, outputs: &[Output]) -> Result<()> {
    let texts = match format {
        ExportFormat::Csv => {
            let (n, e) = export::to_csv(x);
            vec![n, e]
        }
        ExportFormat::Json => vec![export::to_json(x)],
        ExportFormat::Graphml => vec![export::to_graphml(x)],
        ExportFormat::Gexf => vec![export::to_gexf(x)],
    };
    let mut files = Vec::with_capacity(texts.len());
    for (o, text) in outputs.iter().zip(&texts) {
        let mut f = o.create()?;
        f.write_bytes(text.as_bytes())?;
        files.push(f);
    }
    files.into_iter().try_for_each(|f| f.commit())
}

fn opt(v: Option<f64>, digits: usize) -> String {
    v.map(|v| format!("{v:.digits$}"))
        .unwrap_or_else(|| "n/a".into())
}

/// A human-readable summary of one landscape.
pub fn summary_text(s: &Summary) -> String {
    let tests: Vec<String> = s
        .global_optima_test_acc
        .iter()
        .map(|t| opt(*t, 2))
        .collect();
    format!(
        "landscape of {metric} on {table}{neg}\n\
         architectures        {n} ({missing} without a value: scored below every value, all tied)\n\
         local optima         {opt} scored, {unscored} unscored (in the networks only), largest basin {basin}\n\
         global optima        {ng}: {archs}\n\
         their test accuracy  {tests} (mean of all scored optima {omean})\n\
         LON / MLON edges     {le} / {me}\n\
         compressed MLON      {cn} plateaus, {ce} edges, {sinks} sinks\n\
         funnel share         {funnel:.3} of the scored optima reach a global optimum in the MLON\n\
         rank correlation     Spearman {sp}, Kendall tau-b {kt} over {scored} architectures\n\
         top-1% overlap       {ov} of the {k} most accurate are in the metric's top {k}\n",
        metric = s.metric,
        table = s.table,
        neg = if s.negated {
            " (negated: lower is better)"
        } else {
            ""
        },
        n = s.n_archs,
        missing = s.n_missing,
        opt = s.n_optima,
        unscored = s.n_unscored_optima,
        basin = s.largest_basin,
        ng = s.n_global_optima,
        archs = s.global_optima_arch.join(" "),
        tests = tests.join(" "),
        omean = opt(s.optima_mean_test_acc, 2),
        le = s.n_lon_edges,
        me = s.n_mlon_edges,
        cn = s.n_cmlon_nodes,
        ce = s.n_cmlon_edges,
        sinks = s.n_sinks,
        funnel = s.funnel_share,
        sp = opt(s.spearman, 3),
        kt = opt(s.kendall, 3),
        scored = s.n_scored,
        ov = s.top1_overlap,
        k = s.top1_k,
    )
}

fn trend_text(t: &Trend) -> String {
    let mut s = format!(
        "search trend         FLS with escape, {} runs from seed {}, mean test acc of the best-so-far:\n",
        t.params.repeats, t.params.first_seed
    );
    let n = t.mean_test_acc.len();
    let mut marks: Vec<usize> = [1, 10, 100, 500, 1000, 2000, 5000, n]
        .into_iter()
        .filter(|&e| e <= n)
        .collect();
    marks.sort_unstable();
    marks.dedup();
    for e in marks {
        s.push_str(&format!(
            "    {e:>5} evals  {}\n",
            opt(t.mean_test_acc[e - 1], 2)
        ));
    }
    s
}

/// The grid as a table: one line per (dataset, metric).
pub fn grid_text(g: &Grid) -> String {
    let mut s = format!(
        "{:<16} {:<28} {:>7} {:>7} {:>8} {:>6} {:>8} {:>8} {:>8} {:>6} {:>7}\n",
        "dataset",
        "metric",
        "missing",
        "optima",
        "unscored",
        "global",
        "gopt_acc",
        "spearman",
        "kendall",
        "top1%",
        "funnel"
    );
    for l in &g.landscapes {
        s.push_str(&format!(
            "{:<16} {:<28} {:>7} {:>7} {:>8} {:>6} {:>8} {:>8} {:>8} {:>6} {:>7.3}\n",
            l.dataset,
            l.metric,
            l.n_missing,
            l.n_optima,
            l.n_unscored_optima,
            l.n_global_optima,
            opt(l.global_optima_mean_test_acc, 2),
            opt(l.spearman, 3),
            opt(l.kendall, 3),
            l.top1_overlap,
            l.funnel_share
        ));
    }
    s
}
