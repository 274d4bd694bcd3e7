//! `mfnas landscape`: local optima networks of any metric, the whole grid, the paper's
//! findings checked, and network exports for graph tools and the explorer.

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
    #[arg(long, default_value = "cifar10")]
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
    /// Which network to export: lon, mlon or cmlon.
    #[arg(long, default_value = "mlon")]
    pub kind: String,
    /// Leave unscored optima (fitness missing) and their edges out of the export.
    #[arg(long)]
    pub scored_only: bool,
    /// Output file for --export (default lon-<dataset>-<metric>-<kind>.<ext>; csv writes
    /// <stem>.nodes.csv and <stem>.edges.csv) or for the --all report (default stdout).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Folder with the packed tables (`mfnas pack` writes them).
    #[arg(long, default_value = "tables")]
    pub tables: PathBuf,
    /// Use the synthetic table of this seed instead of packed tables (demos, tests).
    #[arg(long)]
    pub synthetic: Option<u64>,
    /// Also run the search-trend experiment (paper Fig. 4): first-improvement local search
    /// with escape, mean test accuracy of the best-so-far after each evaluation.
    #[arg(long)]
    pub trend: bool,
    /// Evaluations per trend run.
    #[arg(long, default_value_t = 5_000)]
    pub evals: u64,
    /// Trend runs (seeds seed..seed+repeats).
    #[arg(long, default_value_t = 500)]
    pub repeats: u64,
    /// First trend seed.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
}

/// Where the packed table of `dataset` lives.
pub fn table_path(tables: &Path, dataset: &str) -> PathBuf {
    tables.join(format!("nb201-{dataset}.mfnt"))
}

/// Loads the packed NB201 table of `dataset` from `tables`. The one place that knows the
/// table file format: adapt it here if the codec's entry point changes.
pub fn load_table(tables: &Path, dataset: &str) -> Result<Table> {
    let path = table_path(tables, dataset);
    let bytes = std::fs::read(&path).map_err(|e| {
        Error::new(
            mfnas::ErrorKind::Io,
            format!(
                "cannot read {}: {e}; build the tables with `mfnas pack` or point --tables at them",
                path.display()
            ),
        )
    })?;
    decode_table(&bytes).map_err(|e| e.context(path.display()))
}

/// Decodes packed table bytes.
fn decode_table(bytes: &[u8]) -> Result<Table> {
    mfnas::table::codec::decode(bytes)
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
        evals: args.evals,
        repeats: args.repeats,
        first_seed: args.seed,
    });
    if args.all {
        return run_all(args, json, trend);
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
    if let Some(format) = &args.export {
        let format = ExportFormat::parse(format)?;
        let kind = GraphKind::parse(&args.kind)?;
        let mut x = export::export(&land, &res, kind);
        if args.scored_only {
            x = x.without_unscored();
        }
        for path in write_export(&x, format, args.out.as_deref())? {
            eprintln!(
                "wrote {} ({} nodes, {} edges, {} architectures without a value)",
                path.display(),
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
        println!(
            "{}",
            serde_json::to_string_pretty(&r).expect("serialisable")
        );
    } else {
        print!("{}", summary_text(&res.summary));
        if let Some(t) = &trend {
            print!("{}", trend_text(t));
        }
    }
    Ok(())
}

fn run_all(args: &LandscapeArgs, json: bool, trend: Option<TrendParams>) -> Result<()> {
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
    let grid = grid_parallel(&refs, trend)?;
    if let Some(out) = &args.out {
        std::fs::write(
            out,
            serde_json::to_string_pretty(&grid).expect("serialisable"),
        )
        .map_err(|e| Error::new(mfnas::ErrorKind::Io, format!("{}: {e}", out.display())))?;
        eprintln!(
            "wrote {} ({} landscapes over {})",
            out.display(),
            grid.landscapes.len(),
            grid.datasets.join(", ")
        );
    }
    if args.report {
        if json {
            println!(
                "{}",
                serde_json::to_string_pretty(&grid.findings).expect("serialisable")
            );
        } else {
            print!("{}", grid_text(&grid));
            println!();
            print!("{}", report::findings_text(&grid.findings));
        }
    } else if args.out.is_none() {
        println!(
            "{}",
            serde_json::to_string_pretty(&grid).expect("serialisable")
        );
    }
    Ok(())
}

/// The grid with every (dataset, metric) analysed in parallel; the same result as
/// [`report::grid`] (cells are independent and assembled in job order).
pub fn grid_parallel(tables: &[&Table], trend: Option<TrendParams>) -> Result<Grid> {
    let lands = tables
        .iter()
        .map(|t| Landscape::new(&Nb201, t))
        .collect::<Result<Vec<_>>>()?;
    let jobs = report::grid_jobs(tables);
    let cells: Vec<(Summary, Option<DatasetTrend>)> = jobs
        .par_iter()
        .map(|(i, m)| report::grid_job(&lands[*i], m, trend))
        .collect::<Result<_>>()?;
    let (summaries, trends): (Vec<Summary>, Vec<Option<DatasetTrend>>) = cells.into_iter().unzip();
    Ok(report::assemble(
        &Nb201,
        tables,
        summaries,
        trends.into_iter().flatten().collect(),
    ))
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

fn write_file(path: &Path, text: &str) -> Result<()> {
    std::fs::write(path, text)
        .map_err(|e| Error::new(mfnas::ErrorKind::Io, format!("{}: {e}", path.display())))
}

/// Writes an export; returns the paths written.
pub fn write_export(
    x: &export::LonExport,
    format: ExportFormat,
    out: Option<&Path>,
) -> Result<Vec<PathBuf>> {
    let path = out
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from(format!("{}.{}", default_stem(x), format.extension())));
    match format {
        ExportFormat::Csv => {
            let stem = path.with_extension("");
            let (n, e) = export::to_csv(x);
            let np = PathBuf::from(format!("{}.nodes.csv", stem.display()));
            let ep = PathBuf::from(format!("{}.edges.csv", stem.display()));
            write_file(&np, &n)?;
            write_file(&ep, &e)?;
            Ok(vec![np, ep])
        }
        ExportFormat::Json => {
            write_file(&path, &export::to_json(x))?;
            Ok(vec![path])
        }
        ExportFormat::Graphml => {
            write_file(&path, &export::to_graphml(x))?;
            Ok(vec![path])
        }
        ExportFormat::Gexf => {
            write_file(&path, &export::to_gexf(x))?;
            Ok(vec![path])
        }
    }
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
