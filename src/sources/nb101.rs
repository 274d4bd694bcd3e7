//! Packs NAS-Bench-101 tables (space `nb101`, dataset cifar10) from the public formats.
//!
//! **Official records** — the nasbench API's own layout, one record per graph hash:
//! `module_adjacency`, `module_operations`, `trainable_parameters` and, per epoch budget
//! (4, 12, 36, 108), three repeats of `halfway_`/`final_` × `training_time`,
//! `train_accuracy`, `validation_accuracy`, `test_accuracy` (fractions). Read from
//! - JSON `{hash: {module_adjacency, module_operations, trainable_parameters,
//!   computed_metrics: {"108": [run, run, run], ...}}}` (as NASLib's test slice), which
//!   the official `nasbench_full.tfrecord` exports to with the nasbench API:
//!   ```text
//!   nb = api.NASBench('nasbench_full.tfrecord'); out = {}
//!   for h in nb.hash_iterator():
//!       f, c = nb.get_metrics_from_hash(h)
//!       out[h] = dict(module_adjacency=f['module_adjacency'].tolist(),
//!                     module_operations=f['module_operations'],
//!                     trainable_parameters=int(f['trainable_parameters']),
//!                     computed_metrics={str(e): r for e, r in c.items()})
//!   json.dump(out, open('nasbench_full.json', 'w'))
//!   ```
//! - a pickle of `{hash: (fixed, computed)}` (NASLib's NB101 data files), or
//! - CSV, one line per (hash, epochs, run): `hash,epochs,run,module_adjacency,
//!   module_operations,trainable_parameters,` then the 8 metrics; the adjacency as its
//!   n×n digits row-major, the ops joined by `|` ([`write_official_csv`] writes it).
//!
//! Every record's hash is recomputed from its spec and must match.
//!
//! **NAS-Bench-Suite-Zero** `zc_nasbench101.json`: `{"nasbench101": {"cifar10": {tuple:
//! {proxy: score or {"score", "time"}, ..., "val_accuracy": %}}}}`, keyed by NASLib tuples
//! of raw (unpruned) specs. Several raw specs can be one network; the record with the
//! smallest tuple string is kept and the count of records is kept as a column.
//!
//! Fidelities are `Fidelity::new(e, "nb101")` for the four budgets (each budget is its own
//! training run; the cost model charges their difference, as the reference MF-NAS does),
//! and `Fidelity::new(e / 2, "nb101-<e>")` for the halfway point of budget `e`.

use super::builder::{TableBuilder, mean, median_present};
use super::error as src;
use super::pickle::{self, Value};
use crate::error::{Error, ErrorKind, Result};
use crate::space::SearchSpace;
use crate::space::nb101::{Nb101, Nb101Arch};
use crate::table::{ColumnSpec, Fidelity, Role, Table, TableMeta};
use std::collections::BTreeMap;
use std::path::Path;

/// The schedule name of the four epoch budgets.
pub const SCHEDULE: &str = "nb101";
/// The epoch budgets NB101 trained every cell for.
pub const BUDGETS: [u32; 4] = [4, 12, 36, 108];
/// The Suite-Zero fragment (500 records), relative to the data folder.
pub const FRAGMENT_ZC: &str = "nb101/NASLib/zc_nasbench101.json";
/// The 30-cell official slice, relative to the data folder.
pub const FRAGMENT_SLICE: &str = "nb101/NASLib/nb101_dummy.json";
/// Where the full official records are looked for, in this order.
pub const FULL_OFFICIAL: [&str; 3] = [
    "nb101/full/nasbench_full.json",
    "nb101/full/nasbench_full.pkl",
    "nb101/full/nasbench_full.csv",
];
/// Where the full Suite-Zero file is looked for.
pub const FULL_ZC: &str = "nb101/full/zc_nasbench101.json";
/// The metrics of one training run, in the official order.
pub const RUN_METRICS: [&str; 8] = [
    "halfway_training_time",
    "halfway_train_accuracy",
    "halfway_validation_accuracy",
    "halfway_test_accuracy",
    "final_training_time",
    "final_train_accuracy",
    "final_validation_accuracy",
    "final_test_accuracy",
];

/// Seconds per proxy evaluation in the reference MF-NAS (`problems/nb101.py`,
/// `time_dict`), charged where a file has no measured times. Suite-Zero names.
pub const REFERENCE_ZC_SECONDS: [(&str, f64); 8] = [
    ("synflow", 1.4356617034300945),
    ("params", 0.30215823150349097),
    ("grad_norm", 2.035946015246093),
    ("grasp", 5.570546795804546),
    ("jacov", 2.5207841626097856),
    ("snip", 2.028758352457235),
    ("fisher", 2.610283957422675),
    ("flops", 0.30215823150349097),
];

/// One training repeat's metrics by name ([`RUN_METRICS`]).
pub type Run = BTreeMap<String, f64>;

/// One official record.
#[derive(Debug, Clone, PartialEq)]
pub struct OfficialRecord {
    /// The benchmark's graph hash.
    pub hash: String,
    /// The spec.
    pub arch: Nb101Arch,
    /// Trainable parameters.
    pub params: Option<f64>,
    /// Per epoch budget, the repeats' metrics by name ([`RUN_METRICS`]).
    pub runs: BTreeMap<u32, Vec<Run>>,
}

impl OfficialRecord {
    fn new(
        hash: &str,
        matrix: Vec<Vec<u8>>,
        ops: Vec<String>,
        params: Option<f64>,
        runs: BTreeMap<u32, Vec<Run>>,
    ) -> Result<Self> {
        let ops: Vec<&str> = ops.iter().map(String::as_str).collect();
        let arch = Nb101Arch::from_matrix(&matrix, &ops)
            .map_err(|e| src(format!("record {hash}: {}", e.message())))?;
        if arch.hash() != hash {
            return Err(src(format!(
                "record {hash}: its spec hashes to {}; the file does not use NB101's encoding",
                arch.hash()
            )));
        }
        Ok(Self {
            hash: hash.to_string(),
            arch,
            params,
            runs,
        })
    }
}

fn runs_from_json(hash: &str, v: &serde_json::Value) -> Result<BTreeMap<u32, Vec<Run>>> {
    let obj = v
        .as_object()
        .ok_or_else(|| src(format!("record {hash}: computed_metrics is not an object")))?;
    let mut out = BTreeMap::new();
    for (e, runs) in obj {
        let epochs: u32 = e
            .parse()
            .map_err(|_| src(format!("record {hash}: epoch budget {e:?} is not a number")))?;
        let runs = runs
            .as_array()
            .ok_or_else(|| src(format!("record {hash}: runs of budget {e} are not a list")))?;
        let parsed = runs
            .iter()
            .map(|r| {
                RUN_METRICS
                    .iter()
                    .filter_map(|&m| {
                        r.get(m)
                            .and_then(|x| x.as_f64())
                            .map(|x| (m.to_string(), x))
                    })
                    .collect()
            })
            .collect();
        out.insert(epochs, parsed);
    }
    Ok(out)
}

/// Reads official records from the JSON layout.
pub fn read_official_json(text: &str) -> Result<Vec<OfficialRecord>> {
    let all: serde_json::Map<String, serde_json::Value> = serde_json::from_str(text)
        .map_err(|e| src(format!("NB101 official JSON does not parse: {e}")))?;
    all.iter()
        .map(|(hash, r)| {
            let matrix: Vec<Vec<u8>> = serde_json::from_value(r["module_adjacency"].clone())
                .map_err(|e| src(format!("record {hash}: module_adjacency: {e}")))?;
            let ops: Vec<String> = serde_json::from_value(r["module_operations"].clone())
                .map_err(|e| src(format!("record {hash}: module_operations: {e}")))?;
            let runs = runs_from_json(hash, &r["computed_metrics"])?;
            OfficialRecord::new(hash, matrix, ops, r["trainable_parameters"].as_f64(), runs)
        })
        .collect()
}

/// Reads official records from a pickle of `{hash: (fixed, computed)}`.
pub fn read_official_pickle(bytes: &[u8]) -> Result<Vec<OfficialRecord>> {
    let v = pickle::load(bytes)?;
    let Value::Dict(items) = v else {
        return Err(src(
            "the NB101 pickle is not a dict of hash → (fixed, computed)",
        ));
    };
    items
        .iter()
        .map(|(k, rec)| {
            let hash = k
                .as_str()
                .ok_or_else(|| src("an NB101 pickle key is not a hash string"))?;
            let bad = |what: &str| src(format!("record {hash}: {what}"));
            let [fixed, computed] = rec
                .as_seq()
                .ok_or_else(|| bad("not a (fixed, computed) pair"))?
            else {
                return Err(bad("not a (fixed, computed) pair"));
            };
            let matrix = match fixed.get("module_adjacency") {
                Some(Value::Array { shape, data }) if shape.len() == 2 && shape[0] == shape[1] => {
                    data.chunks(shape[1].max(1))
                        .map(|r| r.iter().map(|&x| x as u8).collect())
                        .collect()
                }
                Some(other) => other
                    .as_seq()
                    .ok_or_else(|| bad("module_adjacency is not a matrix"))?
                    .iter()
                    .map(|r| r.as_f64_vec().map(|r| r.iter().map(|&x| x as u8).collect()))
                    .collect::<Option<Vec<Vec<u8>>>>()
                    .ok_or_else(|| bad("module_adjacency is not a matrix"))?,
                None => return Err(bad("no module_adjacency")),
            };
            let ops: Vec<String> = fixed
                .get("module_operations")
                .and_then(Value::as_seq)
                .and_then(|o| o.iter().map(|x| x.as_str().map(str::to_string)).collect())
                .ok_or_else(|| bad("module_operations is not a list of names"))?;
            let params = fixed.get("trainable_parameters").and_then(Value::as_f64);
            let Value::Dict(budgets) = computed else {
                return Err(bad("computed metrics are not a dict"));
            };
            let mut runs = BTreeMap::new();
            for (e, list) in budgets {
                let epochs = e
                    .as_i64()
                    .ok_or_else(|| bad("an epoch budget is not an integer"))?
                    as u32;
                let list = list.as_seq().ok_or_else(|| bad("runs are not a list"))?;
                runs.insert(
                    epochs,
                    list.iter()
                        .map(|r| {
                            RUN_METRICS
                                .iter()
                                .filter_map(|&m| {
                                    r.get(m).and_then(Value::as_f64).map(|x| (m.to_string(), x))
                                })
                                .collect()
                        })
                        .collect(),
                );
            }
            OfficialRecord::new(hash, matrix, ops, params, runs)
        })
        .collect()
}

const CSV_HEAD: [&str; 6] = [
    "hash",
    "epochs",
    "run",
    "module_adjacency",
    "module_operations",
    "trainable_parameters",
];

/// Writes records in the CSV layout [`read_official_csv`] reads.
pub fn write_official_csv(records: &[OfficialRecord]) -> Result<String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let head: Vec<&str> = CSV_HEAD.iter().chain(RUN_METRICS.iter()).copied().collect();
    let io = |e: csv::Error| Error::new(ErrorKind::Io, e.to_string());
    w.write_record(&head).map_err(io)?;
    for r in records {
        let d = r.arch.pruned().expect("valid");
        let n = d.n;
        let adjacency: String = (0..n * n)
            .map(|k| if d.has_edge(k / n, k % n) { '1' } else { '0' })
            .collect();
        let ops: Vec<&str> = (0..n)
            .map(|i| match d.labels[i] {
                -1 => "input",
                -2 => "output",
                op => crate::space::nb101::OP_NAMES[op as usize],
            })
            .collect();
        for (e, runs) in &r.runs {
            for (k, run) in runs.iter().enumerate() {
                let mut row = vec![
                    r.hash.clone(),
                    e.to_string(),
                    k.to_string(),
                    adjacency.clone(),
                    ops.join("|"),
                    r.params.map(|p| p.to_string()).unwrap_or_default(),
                ];
                row.extend(
                    RUN_METRICS
                        .iter()
                        .map(|m| run.get(*m).map(|x| x.to_string()).unwrap_or_default()),
                );
                w.write_record(&row).map_err(io)?;
            }
        }
    }
    String::from_utf8(
        w.into_inner()
            .map_err(|e| Error::new(ErrorKind::Io, e.to_string()))?,
    )
    .map_err(|e| Error::new(ErrorKind::Io, e.to_string()))
}

/// Reads official records from the CSV layout (see the module docs).
pub fn read_official_csv(text: &str) -> Result<Vec<OfficialRecord>> {
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let head: Vec<String> = r
        .headers()
        .map_err(|e| src(format!("NB101 CSV header: {e}")))?
        .iter()
        .map(str::to_string)
        .collect();
    let col = |name: &str| {
        head.iter().position(|h| h == name).ok_or_else(|| {
            src(format!(
                "NB101 CSV has no column {name:?}; it needs {}",
                CSV_HEAD.join(", ")
            ))
        })
    };
    let idx: Vec<usize> = CSV_HEAD.iter().map(|h| col(h)).collect::<Result<_>>()?;
    let metric_idx: Vec<Option<usize>> = RUN_METRICS
        .iter()
        .map(|m| head.iter().position(|h| h == m))
        .collect();
    let mut specs: BTreeMap<String, (String, String, Option<f64>)> = BTreeMap::new();
    // hash → epochs → run → metrics
    let mut runs: BTreeMap<String, BTreeMap<u32, BTreeMap<u32, Run>>> = BTreeMap::new();
    for (line, rec) in r.records().enumerate() {
        let rec = rec.map_err(|e| src(format!("NB101 CSV line {}: {e}", line + 2)))?;
        let f = |i: usize| rec.get(i).unwrap_or("");
        let bad = |what: &str| src(format!("NB101 CSV line {}: {what}", line + 2));
        let hash = f(idx[0]).to_string();
        let epochs: u32 = f(idx[1])
            .parse()
            .map_err(|_| bad("epochs is not a number"))?;
        let run: u32 = f(idx[2]).parse().map_err(|_| bad("run is not a number"))?;
        let params = match f(idx[5]) {
            "" => None,
            p => Some(
                p.parse::<f64>()
                    .map_err(|_| bad("trainable_parameters is not a number"))?,
            ),
        };
        specs
            .entry(hash.clone())
            .or_insert((f(idx[3]).to_string(), f(idx[4]).to_string(), params));
        let mut m = BTreeMap::new();
        for (k, name) in RUN_METRICS.iter().enumerate() {
            if let Some(i) = metric_idx[k]
                && !f(i).is_empty()
            {
                let x: f64 = f(i)
                    .parse()
                    .map_err(|_| bad(&format!("{name} is not a number")))?;
                m.insert(name.to_string(), x);
            }
        }
        runs.entry(hash)
            .or_default()
            .entry(epochs)
            .or_default()
            .insert(run, m);
    }
    specs
        .into_iter()
        .map(|(hash, (adj, ops, params))| {
            let n = (2..=7).find(|n| n * n == adj.len()).ok_or_else(|| {
                src(format!(
                    "record {hash}: module_adjacency {adj:?} is not n×n digits"
                ))
            })?;
            let matrix: Vec<Vec<u8>> = adj
                .as_bytes()
                .chunks(n)
                .map(|row| row.iter().map(|c| c.wrapping_sub(b'0')).collect())
                .collect();
            let ops: Vec<String> = ops.split('|').map(str::to_string).collect();
            let r = runs
                .remove(&hash)
                .unwrap_or_default()
                .into_iter()
                .map(|(e, by_run)| (e, by_run.into_values().collect()))
                .collect();
            OfficialRecord::new(&hash, matrix, ops, params, r)
        })
        .collect()
}

/// Adds official records' columns to `b`.
fn add_official(b: &mut TableBuilder, records: &[OfficialRecord]) -> Result<()> {
    let budgets: Vec<u32> = {
        let mut e: Vec<u32> = records
            .iter()
            .flat_map(|r| r.runs.keys().copied())
            .collect();
        e.sort_unstable();
        e.dedup();
        e
    };
    let params = b.column(ColumnSpec::new(
        Role::Other,
        Some("params"),
        None,
        None,
        "count",
        "trainable parameters (official record)",
    ));
    let time = b.column(ColumnSpec::new(
        Role::TrainTimePerEpoch,
        None,
        None,
        None,
        "s",
        "mean over repeats of the final training time of the longest budget, divided by its epochs",
    ));
    let longest = budgets.last().copied();
    let acc_roles = [
        ("validation_accuracy", Role::ValAcc),
        ("test_accuracy", Role::TestAcc),
        ("train_accuracy", Role::TrainAcc),
    ];
    for r in records {
        let key = Nb101.key(r.arch);
        if let Some(p) = r.params {
            b.set(key, params, p)?;
        } else {
            b.row(key);
        }
        for (&e, runs) in &r.runs {
            let full = Fidelity::new(e, SCHEDULE);
            let half = Fidelity::new(e / 2, &format!("{SCHEDULE}-{e}"));
            for (stage, fid) in [("final", &full), ("halfway", &half)] {
                for (metric, role) in acc_roles {
                    let name = format!("{stage}_{metric}");
                    let vals: Vec<f64> = runs
                        .iter()
                        .filter_map(|m| m.get(&name))
                        .map(|x| x * 100.0)
                        .collect();
                    if let Some(m) = mean(&vals).filter(|_| vals.len() == runs.len()) {
                        let c = b.column(ColumnSpec::new(
                            role,
                            None,
                            Some(fid.clone()),
                            None,
                            "%",
                            &format!("mean over the repeats of {name} (official record, × 100)"),
                        ));
                        b.set(key, c, m)?;
                    }
                    if stage == "final" && role != Role::TrainAcc {
                        for (k, m) in runs.iter().enumerate() {
                            if let Some(x) = m.get(&name) {
                                let c = b.column(ColumnSpec::new(
                                    role,
                                    None,
                                    Some(fid.clone()),
                                    Some(k as u32),
                                    "%",
                                    &format!("{name} of repeat {k} (official record, × 100)"),
                                ));
                                b.set(key, c, x * 100.0)?;
                            }
                        }
                    }
                }
                let tname = format!("{stage}_training_time");
                let times: Vec<f64> = runs.iter().filter_map(|m| m.get(&tname)).copied().collect();
                if let Some(t) = mean(&times).filter(|_| times.len() == runs.len()) {
                    let c = b.column(ColumnSpec::new(
                        Role::Other,
                        Some("train_time_s"),
                        Some(fid.clone()),
                        None,
                        "s",
                        &format!("mean over the repeats of {tname} (seconds to this point)"),
                    ));
                    b.set(key, c, t)?;
                    if stage == "final" && Some(e) == longest {
                        b.set(key, time, t / e as f64)?;
                    }
                }
            }
        }
    }
    Ok(())
}

/// One Suite-Zero record.
#[derive(Debug, Clone, PartialEq)]
pub struct ZcRecord {
    /// The NASLib tuple it is keyed by.
    pub tuple: String,
    /// The spec.
    pub arch: Nb101Arch,
    /// (proxy, score, seconds if measured), in file order.
    pub proxies: Vec<(String, f64, Option<f64>)>,
    /// `val_accuracy` (%), where present.
    pub val_accuracy: Option<f64>,
}

/// Reads a NAS-Bench-Suite-Zero `zc_nasbench101.json` (either layout of proxy values).
pub fn read_zc_json(text: &str) -> Result<Vec<ZcRecord>> {
    let v: serde_json::Value = serde_json::from_str(text)
        .map_err(|e| src(format!("zc_nasbench101.json does not parse: {e}")))?;
    let by_dataset = v
        .get("nasbench101")
        .and_then(|x| x.as_object())
        .ok_or_else(|| src("zc_nasbench101.json has no \"nasbench101\" object"))?;
    let cells = by_dataset
        .get("cifar10")
        .and_then(|x| x.as_object())
        .ok_or_else(|| src("zc_nasbench101.json has no cifar10 records"))?;
    let mut out = Vec::with_capacity(cells.len());
    for (tuple, m) in cells {
        let arch = Nb101Arch::parse_naslib(tuple)
            .map_err(|e| src(format!("Suite-Zero key: {}", e.message())))?;
        let m = m
            .as_object()
            .ok_or_else(|| src(format!("Suite-Zero record {tuple} is not an object")))?;
        let mut proxies = Vec::new();
        let mut val_accuracy = None;
        for (name, x) in m {
            match (name.as_str(), x) {
                ("val_accuracy", x) => val_accuracy = x.as_f64(),
                ("id", _) => {}
                (_, serde_json::Value::Number(n)) => {
                    proxies.push((name.clone(), n.as_f64().unwrap_or(f64::NAN), None))
                }
                (_, serde_json::Value::Object(o)) => {
                    if let Some(s) = o.get("score").and_then(|s| s.as_f64()) {
                        proxies.push((name.clone(), s, o.get("time").and_then(|t| t.as_f64())));
                    }
                }
                _ => {}
            }
        }
        out.push(ZcRecord {
            tuple: tuple.clone(),
            arch,
            proxies,
            val_accuracy,
        });
    }
    // One record per network: the smallest tuple string (a documented, order-free choice).
    out.sort_by(|a, b| a.tuple.cmp(&b.tuple));
    Ok(out)
}

/// Adds Suite-Zero columns. With `only_rows`, records of networks without a row are
/// skipped and counted. Returns (records used, networks, skipped).
fn add_zc(
    b: &mut TableBuilder,
    records: &[ZcRecord],
    only_rows: bool,
    with_val: bool,
) -> Result<(usize, usize)> {
    let mut first: BTreeMap<u64, usize> = BTreeMap::new();
    let mut count: BTreeMap<u64, usize> = BTreeMap::new();
    let mut skipped = 0;
    for (i, r) in records.iter().enumerate() {
        let key = Nb101.key(r.arch);
        if only_rows && !b.has_row(key) {
            skipped += 1;
            continue;
        }
        first.entry(key).or_insert(i);
        *count.entry(key).or_insert(0) += 1;
    }
    let n_records = b.column(ColumnSpec::new(
        Role::Other,
        Some("suite_zero_records"),
        None,
        None,
        "count",
        "how many Suite-Zero records (raw specs) are this network; the one with the smallest NASLib tuple gives the values",
    ));
    let mut time_cols: BTreeMap<String, usize> = BTreeMap::new();
    for (&key, &i) in &first {
        let r = &records[i];
        b.set(key, n_records, count[&key] as f64)?;
        for (name, score, time) in &r.proxies {
            let c = b.column(ColumnSpec::new(
                Role::ZcScore,
                Some(name),
                None,
                None,
                "",
                &format!(
                    "NAS-Bench-Suite-Zero {name} score (NASLib implementation, CIFAR-10 minibatch)"
                ),
            ));
            if !score.is_nan() {
                b.set(key, c, *score)?;
            }
            let tc = *time_cols.entry(name.clone()).or_insert_with(|| {
                b.column(ColumnSpec::new(
                    Role::ZcTime,
                    Some(name),
                    None,
                    None,
                    "s",
                    &format!("seconds to compute {name}"),
                ))
            });
            if let Some(t) = time {
                b.set(key, tc, *t)?;
            }
        }
        if with_val && let Some(v) = r.val_accuracy {
            let c = b.column(ColumnSpec::new(
                    Role::ValAcc,
                    None,
                    Some(Fidelity::new(108, SCHEDULE)),
                    None,
                    "%",
                    "Suite-Zero val_accuracy: 108-epoch validation accuracy of ONE repeat drawn at random by NASLib's query, not the mean of the three",
                ));
            b.set(key, c, v)?;
        }
    }
    // Missing times: the median of the measured ones, else the reference's constant, else
    // none (the proxy then cannot be charged, and searching on it is refused).
    for (name, &tc) in &time_cols {
        let measured = median_present(b.values(tc));
        let reference = REFERENCE_ZC_SECONDS
            .iter()
            .find(|(p, _)| p == name)
            .map(|&(_, s)| s);
        let spec = b.spec_mut(tc);
        match (measured, reference) {
            (Some(m), _) => {
                spec.missing_cost = Some(m);
                spec.description
                    .push_str("; missing times are charged the median of the measured ones");
            }
            (None, Some(s)) => {
                spec.missing_cost = Some(s);
                spec.description = format!(
                    "no measured times in the file: every evaluation is charged {s} s, the reference MF-NAS's constant for {name} (problems/nb101.py)"
                );
            }
            (None, None) => {
                spec.description = format!(
                    "no measured times and no reference constant for {name}: evaluations cannot be charged"
                );
            }
        }
    }
    Ok((first.len(), skipped))
}

/// The bytes of the source file `rel` under `data_dir`.
fn read(data_dir: &Path, rel: &str, needed_for: &str) -> Result<Vec<u8>> {
    let help = data_dir.join("nb101/PROVENANCE.md");
    super::read(&data_dir.join(rel), needed_for, Some(&help))
}

/// The text of the source file `rel` under `data_dir`.
fn read_text(data_dir: &Path, rel: &str, needed_for: &str) -> Result<String> {
    let help = data_dir.join("nb101/PROVENANCE.md");
    super::read_text(&data_dir.join(rel), needed_for, Some(&help))
}

fn text(bytes: Vec<u8>, rel: &str) -> Result<String> {
    String::from_utf8(bytes).map_err(|_| src(format!("{rel} is not UTF-8 text")))
}

/// The 30-cell official slice as a table (108 epochs, three repeats).
pub fn pack_slice(data_dir: &Path) -> Result<Table> {
    let records = read_official_json(&read_text(data_dir, FRAGMENT_SLICE, "the NB101 slice")?)?;
    let mut b = TableBuilder::new();
    add_official(&mut b, &records)?;
    b.build(TableMeta {
        space: "nb101".into(),
        dataset: "cifar10".into(),
        title: format!("NB101 cifar10 FRAGMENT ({} official cells, 108 epochs only)", records.len()),
        notes: vec![
            format!("Source: {FRAGMENT_SLICE} (NASLib test asset; a contiguous run of sorted official hashes). Not the benchmark: a format and test fixture."),
        ],
    })
}

/// The Suite-Zero fragment as a table: its distinct networks with proxies and one-repeat
/// 108-epoch validation accuracy. No test accuracy exists for these cells. No training
/// time either: every cell is charged the median per-epoch time of the 30-cell official
/// slice (documented on the column).
pub fn pack_fragment(data_dir: &Path) -> Result<Table> {
    let zc = read_zc_json(&read_text(
        data_dir,
        FRAGMENT_ZC,
        "the NB101 Suite-Zero fragment",
    )?)?;
    let slice = read_official_json(&read_text(
        data_dir,
        FRAGMENT_SLICE,
        "the per-epoch time charged on the NB101 fragment",
    )?)?;
    let per_epoch: Vec<f64> = slice
        .iter()
        .filter_map(|r| {
            let runs = r.runs.get(&108)?;
            let t: Vec<f64> = runs
                .iter()
                .filter_map(|m| m.get("final_training_time"))
                .copied()
                .collect();
            mean(&t).map(|t| t / 108.0)
        })
        .collect();
    let charge = median_present(&per_epoch)
        .ok_or_else(|| src(format!("{FRAGMENT_SLICE} has no 108-epoch training times")))?;
    let mut b = TableBuilder::new();
    let (networks, _) = add_zc(&mut b, &zc, false, true)?;
    let tc = b.column(ColumnSpec::new(
        Role::TrainTimePerEpoch,
        None,
        None,
        None,
        "s",
        "",
    ));
    let spec = b.spec_mut(tc);
    spec.missing_cost = Some(charge);
    spec.description = format!(
        "no cell of this fragment has a measured training time: every epoch is charged {charge:.4} s, the median per-epoch 108-epoch training time of the {} cells of the official slice ({FRAGMENT_SLICE})",
        per_epoch.len()
    );
    b.build(TableMeta {
        space: "nb101".into(),
        dataset: "cifar10".into(),
        title: format!("NB101 cifar10 FRAGMENT ({networks} cells of Suite-Zero's 500-record file)"),
        notes: vec![
            format!("Source: {FRAGMENT_ZC} (NASLib commit 22280f7, the early 500-record NAS-Bench-Suite-Zero file). Not the benchmark: {} raw specs, {networks} distinct networks.", zc.len()),
            "Validation accuracy is one randomly drawn repeat at 108 epochs; there is no test accuracy and no 4/12/36-epoch data, so runs report no test outcome.".into(),
            format!("Training time is not in the file: each epoch is charged {charge:.4} s (median of the official slice)."),
        ],
    })
}

/// The full NB101 table from the official records (`nb101/full/nasbench_full.{json,pkl,csv}`)
/// plus, when present, the full Suite-Zero proxies (`nb101/full/zc_nasbench101.json`).
pub fn pack_full(data_dir: &Path) -> Result<Table> {
    let Some(rel) = FULL_OFFICIAL.iter().find(|r| data_dir.join(r).exists()) else {
        return Err(src(format!(
            "the full NB101 data is not in {}: expected one of {} (the official records: export \
             nasbench_full.tfrecord of google-research/nasbench with the script in the mfnas::sources::nb101 docs, \
             or use NASLib's NB101 pickle, which has the same layout); optionally {FULL_ZC} \
             (NAS-Bench-Suite-Zero's full file, 9,781 cells, from automl/NASLib). \
             Until then, pack the fragment (`nb101-fragment`).",
            data_dir.display(),
            FULL_OFFICIAL.join(", ")
        )));
    };
    let bytes = read(data_dir, rel, "the full NB101 table")?;
    let records = if rel.ends_with(".json") {
        read_official_json(&text(bytes, rel)?)?
    } else if rel.ends_with(".pkl") {
        read_official_pickle(&bytes)?
    } else {
        read_official_csv(&text(bytes, rel)?)?
    };
    let mut b = TableBuilder::new();
    add_official(&mut b, &records)?;
    let mut notes = vec![format!(
        "Official records: {rel} ({} cells).",
        records.len()
    )];
    if data_dir.join(FULL_ZC).exists() {
        let zc = read_zc_json(&read_text(data_dir, FULL_ZC, "NB101 proxies")?)?;
        let (networks, skipped) = add_zc(&mut b, &zc, true, false)?;
        notes.push(format!(
            "Zero-cost proxies: {FULL_ZC}, {networks} cells ({skipped} records of cells without an official record skipped)."
        ));
    }
    b.build(TableMeta {
        space: "nb101".into(),
        dataset: "cifar10".into(),
        title: "NB101 cifar10".into(),
        notes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_whose_hash_does_not_match_its_spec_is_refused() {
        let json = r#"{"00000000000000000000000000000000": {"module_adjacency": [[0,1],[0,0]],
            "module_operations": ["input","output"], "trainable_parameters": 1, "computed_metrics": {}}}"#;
        let e = read_official_json(json).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::SourceData);
        assert!(e.message().contains("hashes to"));
    }

    #[test]
    fn missing_full_files_are_named_in_the_error() {
        let e = pack_full(Path::new("/nonexistent-data-dir")).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::SourceData);
        assert!(e.message().contains("nasbench_full.json"));
        assert!(e.message().contains("zc_nasbench101.json"));
    }
}
