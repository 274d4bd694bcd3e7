//! Packs NAS-Bench-ASR tables (space `nbasr`, dataset TIMIT) from the benchmark's pickles.
//!
//! The release files (`nb-asr-e40-<seed>.pickle`, `nb-asr-e10-1234.pickle`,
//! `nb-asr-e5-1234.pickle`, `nb-asr-info.pickle`, `nb-asr-bench-<device>.pickle`) each hold
//! two pickles: a header dict (`dataset_type` training / static / benchmarking, `columns`,
//! `version`, `search_space`, and `seed` or `device`) and a list of rows following
//! `columns`. Training rows are `model_hash, val_per (one per epoch), test_per, …, arch`;
//! static rows `model_hash, params[, flops]`; benchmarking rows `model_hash, latency`.
//! Every training row's hash is recomputed from its architecture and must match.
//!
//! Columns: `val_per` per epoch (`Fidelity::new(e, "asr")`, e = 1..=40, mean over the
//! seeds and per seed), `test_per` at the end of training, both fractions and minimised
//! ([`Role::ValPer`], [`Role::TestPer`]); shorter trainings (e10, e5) get their own
//! schedules `asr-e10`, `asr-e5`. Params and FLOPs become proxies `params` and `flops`.
//! NB-ASR records no training or proxy compute times: as in the reference MF-NAS
//! (`problems/nbasr.py`), both cost 0 s, which the time columns document.

use super::builder::{TableBuilder, mean};
use super::error as src;
use super::pickle::{self, Value};
use crate::error::{Error, Result};
use crate::space::SearchSpace;
use crate::space::nbasr::{NbAsr, NbAsrArch, OP_NAMES};
use crate::table::{ColumnSpec, Fidelity, Role, Table, TableMeta};
use std::collections::BTreeMap;
use std::path::Path;

/// The schedule of the full 40-epoch trainings.
pub const SCHEDULE: &str = "asr";
/// The one-architecture fragment (from the benchmark's README), relative to the data folder.
pub const FRAGMENT: &str = "nbasr/nb-asr-README/example_arch_36855332.json";
/// Where the release pickles are looked for, relative to the data folder.
pub const FULL_DIR: &str = "nbasr/full";

/// A release-pickle row as its items and the model hash it starts with.
fn hashed_row(row: &Value) -> Result<(&[Value], &str)> {
    let items = row
        .as_seq()
        .ok_or_else(|| src("an NB-ASR row is not a list"))?;
    let hash = items
        .first()
        .and_then(Value::as_str)
        .ok_or_else(|| src("an NB-ASR row does not start with a model hash"))?;
    Ok((items, hash))
}

/// One training file: a seed's runs of every model.
#[derive(Debug, Clone, PartialEq)]
pub struct TrainingRun {
    /// The initialisation seed.
    pub seed: i64,
    /// Epochs trained.
    pub epochs: u32,
    /// One row per model.
    pub rows: Vec<TrainingRow>,
}

/// One model's training record.
#[derive(Debug, Clone, PartialEq)]
pub struct TrainingRow {
    /// The benchmark's model hash.
    pub hash: String,
    /// The architecture.
    pub arch: NbAsrArch,
    /// Validation PER after each epoch (fractions).
    pub val_per: Vec<f64>,
    /// Test PER at the end (fraction).
    pub test_per: Option<f64>,
}

/// Static facts of one model.
#[derive(Debug, Clone, PartialEq)]
pub struct StaticRow {
    /// The model hash.
    pub hash: String,
    /// Parameters.
    pub params: Option<f64>,
    /// FLOPs (file version ≥ 2).
    pub flops: Option<f64>,
}

/// Everything read from the sources.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Sources {
    /// Training files.
    pub runs: Vec<TrainingRun>,
    /// Static info rows.
    pub statics: Vec<StaticRow>,
    /// Per device, (model hash, latency in seconds).
    pub latencies: Vec<(String, Vec<(String, f64)>)>,
}

fn arch_from(v: &Value, hash: &str) -> Result<NbAsrArch> {
    let bad = || {
        src(format!(
            "model {hash}: the architecture is not an arch_vec [[op, s], [op, s, s], [op, s, s, s]]"
        ))
    };
    let nodes = v.as_seq().ok_or_else(bad)?;
    let mut flat = Vec::new();
    for n in nodes {
        for x in n.as_seq().ok_or_else(bad)? {
            flat.push(
                x.as_i64()
                    .filter(|&x| (0..6).contains(&x))
                    .ok_or_else(bad)? as u8,
            );
        }
    }
    if nodes.len() != 3 || flat.len() != 9 {
        return Err(bad());
    }
    let arch = NbAsrArch::from_positions(flat.try_into().expect("9 values"))
        .map_err(|e| src(format!("model {hash}: {}", e.message())))?;
    if arch.hash() != hash {
        return Err(src(format!(
            "model {hash}: its architecture {} hashes to {}; the file does not use NB-ASR's encoding",
            arch.arch_vec_string(),
            arch.hash()
        )));
    }
    Ok(arch)
}

fn header_and_rows(bytes: &[u8], kind: &str) -> Result<(Value, Vec<Value>)> {
    let mut parts = pickle::load_all(bytes)?.into_iter();
    let (Some(header), Some(rows)) = (parts.next(), parts.next()) else {
        return Err(src(
            "an NB-ASR file holds a header and a list of rows; this one is shorter",
        ));
    };
    let t = header.get("dataset_type").and_then(Value::as_str);
    if t != Some(kind) {
        return Err(src(format!(
            "expected an NB-ASR {kind} file, found dataset_type {t:?}"
        )));
    }
    if let Some(ops) = header
        .get("search_space")
        .and_then(|s| s.get("ops"))
        .and_then(Value::as_seq)
    {
        let names: Vec<&str> = ops.iter().filter_map(Value::as_str).collect();
        if names != OP_NAMES {
            return Err(src(format!(
                "the file's search space has ops {names:?}, not NB-ASR's {OP_NAMES:?}"
            )));
        }
    }
    let Value::List(rows) = rows else {
        return Err(src("the rows of an NB-ASR file are not a list"));
    };
    Ok((header, rows))
}

fn columns(header: &Value) -> Vec<String> {
    header
        .get("columns")
        .and_then(Value::as_seq)
        .map(|c| {
            c.iter()
                .filter_map(|x| x.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// Reads a training pickle (`nb-asr-e<epochs>-<seed>.pickle`).
pub fn read_training_pickle(bytes: &[u8]) -> Result<TrainingRun> {
    let (header, rows) = header_and_rows(bytes, "training")?;
    let cols = columns(&header);
    if cols.len() < 3 || cols[..3] != ["model_hash", "val_per", "test_per"] {
        return Err(src(format!(
            "an NB-ASR training file's columns must start model_hash, val_per, test_per; found {cols:?}"
        )));
    }
    let seed = header
        .get("seed")
        .and_then(Value::as_i64)
        .ok_or_else(|| src("an NB-ASR training file's header has no seed"))?;
    let rows: Vec<TrainingRow> =
        rows.iter()
            .map(|r| {
                let (r, hash) = hashed_row(r)?;
                let val_per = r.get(1).and_then(Value::as_f64_vec).ok_or_else(|| {
                    src(format!("model {hash}: val_per is not a list of numbers"))
                })?;
                let test_per = r.get(2).and_then(Value::as_f64);
                let arch = arch_from(r.last().expect("checked above"), hash)?;
                Ok(TrainingRow {
                    hash: hash.to_string(),
                    arch,
                    val_per,
                    test_per,
                })
            })
            .collect::<Result<_>>()?;
    let epochs = header
        .get("epochs")
        .and_then(Value::as_i64)
        .map(|e| e as u32)
        .or_else(|| rows.iter().map(|r| r.val_per.len() as u32).max())
        .unwrap_or(0);
    Ok(TrainingRun { seed, epochs, rows })
}

/// Reads the static-info pickle (`nb-asr-info.pickle`).
pub fn read_static_pickle(bytes: &[u8]) -> Result<Vec<StaticRow>> {
    let (header, rows) = header_and_rows(bytes, "static")?;
    let cols = columns(&header);
    let params_at = cols.iter().position(|c| c == "params");
    let flops_at = cols.iter().position(|c| c == "flops");
    rows.iter()
        .map(|r| {
            let (r, hash) = hashed_row(r)?;
            Ok(StaticRow {
                hash: hash.to_string(),
                params: params_at.and_then(|i| r.get(i)).and_then(Value::as_f64),
                flops: flops_at.and_then(|i| r.get(i)).and_then(Value::as_f64),
            })
        })
        .collect()
}

/// Reads a benchmarking pickle (`nb-asr-bench-<device>.pickle`): the device and latencies.
pub fn read_benchmark_pickle(bytes: &[u8]) -> Result<(String, Vec<(String, f64)>)> {
    let (header, rows) = header_and_rows(bytes, "benchmarking")?;
    let device = header
        .get("device")
        .and_then(Value::as_str)
        .ok_or_else(|| src("an NB-ASR benchmarking file's header has no device"))?
        .to_string();
    let lat = rows
        .iter()
        .map(|r| {
            let r = r
                .as_seq()
                .ok_or_else(|| src("an NB-ASR row is not a list"))?;
            let hash = r.first().and_then(Value::as_str);
            let latency = r
                .get(1)
                .and_then(|l| l.as_f64().or_else(|| l.as_seq()?.first()?.as_f64()));
            match (hash, latency) {
                (Some(h), Some(l)) => Ok((h.to_string(), l)),
                _ => Err(src(
                    "an NB-ASR benchmarking row is not (model_hash, latency, ...)",
                )),
            }
        })
        .collect::<Result<_>>()?;
    Ok((device, lat))
}

/// Reads the README example fragment (one architecture, JSON).
pub fn read_readme_example(text: &str) -> Result<Sources> {
    let v: serde_json::Value = serde_json::from_str(text)
        .map_err(|e| src(format!("the NB-ASR example does not parse: {e}")))?;
    let hash = v["model_hash"]
        .as_str()
        .ok_or_else(|| src("the NB-ASR example has no model_hash"))?;
    let arch = NbAsrArch::parse_arch_vec(&v["arch_vec"].to_string())
        .map_err(|e| src(format!("the NB-ASR example: {}", e.message())))?;
    if arch.hash() != hash {
        return Err(src(format!(
            "the NB-ASR example's arch hashes to {}, not {hash}",
            arch.hash()
        )));
    }
    let mut s = Sources::default();
    let runs = v["runs"]
        .as_object()
        .ok_or_else(|| src("the NB-ASR example has no runs"))?;
    for (name, r) in runs {
        // "e40-1234": epochs, seed.
        let (e, seed) = name
            .strip_prefix('e')
            .and_then(|x| x.split_once('-'))
            .and_then(|(e, s)| Some((e.parse::<u32>().ok()?, s.parse::<i64>().ok()?)))
            .ok_or_else(|| src(format!("run name {name:?} is not e<epochs>-<seed>")))?;
        let val_per: Vec<f64> = serde_json::from_value(r["val_per"].clone())
            .map_err(|e| src(format!("run {name}: val_per: {e}")))?;
        s.runs.push(TrainingRun {
            seed,
            epochs: e,
            rows: vec![TrainingRow {
                hash: hash.to_string(),
                arch,
                val_per,
                test_per: r["test_per"].as_f64(),
            }],
        });
    }
    s.statics.push(StaticRow {
        hash: hash.to_string(),
        params: v["params"].as_f64(),
        flops: v["flops"].as_f64(),
    });
    if let Some(lat) = v["latency_seconds"].as_object() {
        for (device, l) in lat {
            if let Some(l) = l.as_f64() {
                s.latencies
                    .push((device.clone(), vec![(hash.to_string(), l)]));
            }
        }
    }
    Ok(s)
}

fn schedule(epochs: u32) -> String {
    if epochs == 40 {
        SCHEDULE.to_string()
    } else {
        format!("{SCHEDULE}-e{epochs}")
    }
}

/// Builds the table from what was read.
pub fn build_table(s: &Sources, meta: TableMeta) -> Result<Table> {
    let mut b = TableBuilder::new();
    let mut key_of: BTreeMap<&str, u64> = BTreeMap::new();
    // Group the training files by length: seeds of one length share columns.
    let mut by_epochs: BTreeMap<u32, Vec<&TrainingRun>> = BTreeMap::new();
    for r in &s.runs {
        by_epochs.entry(r.epochs).or_default().push(r);
    }
    for (epochs, mut files) in by_epochs {
        files.sort_by_key(|f| f.seed);
        let sched = schedule(epochs);
        // model hash → per seed (val curve, test)
        let mut per_model: BTreeMap<&str, Vec<&TrainingRow>> = BTreeMap::new();
        for f in &files {
            for row in &f.rows {
                let key = NbAsr.key(row.arch);
                key_of.insert(&row.hash, key);
                per_model.entry(&row.hash).or_default().push(row);
            }
        }
        for (hash, rows) in per_model {
            let key = key_of[hash];
            b.row(key);
            for e in 1..=epochs {
                let fid = Fidelity::new(e, &sched);
                let vals: Vec<f64> = rows
                    .iter()
                    .filter_map(|r| r.val_per.get(e as usize - 1))
                    .copied()
                    .collect();
                if vals.len() == files.len() {
                    let c = b.column(ColumnSpec::new(
                        Role::ValPer,
                        None,
                        Some(fid.clone()),
                        None,
                        "fraction",
                        &format!("validation phoneme error rate after epoch {e} of {epochs}, mean over the {} seeds", files.len()),
                    ));
                    b.set(key, c, mean(&vals).expect("non-empty"))?;
                }
            }
            let tests: Vec<f64> = rows.iter().filter_map(|r| r.test_per).collect();
            if tests.len() == files.len() {
                let c = b.column(ColumnSpec::new(
                    Role::TestPer,
                    None,
                    Some(Fidelity::new(epochs, &sched)),
                    None,
                    "fraction",
                    &format!(
                        "test phoneme error rate after {epochs} epochs, mean over the {} seeds",
                        files.len()
                    ),
                ));
                b.set(key, c, mean(&tests).expect("non-empty"))?;
            }
        }
        for f in &files {
            let seed = u32::try_from(f.seed).ok();
            for row in &f.rows {
                let key = key_of[row.hash.as_str()];
                for (i, &v) in row.val_per.iter().enumerate() {
                    let c = b.column(ColumnSpec::new(
                        Role::ValPer,
                        None,
                        Some(Fidelity::new(i as u32 + 1, &sched)),
                        seed,
                        "fraction",
                        &format!("validation PER of seed {}", f.seed),
                    ));
                    b.set(key, c, v)?;
                }
                if let Some(t) = row.test_per {
                    let c = b.column(ColumnSpec::new(
                        Role::TestPer,
                        None,
                        Some(Fidelity::new(epochs, &sched)),
                        seed,
                        "fraction",
                        &format!("test PER of seed {}", f.seed),
                    ));
                    b.set(key, c, t)?;
                }
            }
        }
    }
    let time = b.column(ColumnSpec::new(
        Role::TrainTimePerEpoch,
        None,
        None,
        None,
        "s",
        "NB-ASR records no training time: training is charged 0 s, as in the reference MF-NAS (problems/nbasr.py); budgets on this table bound evaluations, not seconds",
    ));
    b.spec_mut(time).missing_cost = Some(0.0);
    let mut unknown = 0;
    for st in &s.statics {
        let Some(&key) = key_of.get(st.hash.as_str()) else {
            unknown += 1;
            continue;
        };
        for (name, v) in [("params", st.params), ("flops", st.flops)] {
            if let Some(v) = v {
                let c = b.column(ColumnSpec::new(
                    Role::ZcScore,
                    Some(name),
                    None,
                    None,
                    "count",
                    &format!("{name} of the model (nb-asr-info), used as a zero-cost proxy"),
                ));
                b.set(key, c, v)?;
                let tc = b.column(ColumnSpec::new(
                    Role::ZcTime,
                    Some(name),
                    None,
                    None,
                    "s",
                    "no compute time recorded: charged 0 s, as in the reference MF-NAS",
                ));
                b.spec_mut(tc).missing_cost = Some(0.0);
            }
        }
    }
    for (device, rows) in &s.latencies {
        for (hash, l) in rows {
            let Some(&key) = key_of.get(hash.as_str()) else {
                unknown += 1;
                continue;
            };
            let c = b.column(ColumnSpec::new(
                Role::Other,
                Some(&format!("latency:{device}")),
                None,
                None,
                "s",
                &format!("inference latency on {device} (NB-ASR benchmarking file)"),
            ));
            b.set(key, c, *l)?;
        }
    }
    let mut meta = meta;
    if unknown > 0 {
        meta.notes.push(format!(
            "{unknown} static/latency rows name models without a training record and were skipped."
        ));
    }
    b.build(meta)
}

/// The one-architecture fragment as a table.
pub fn pack_fragment(data_dir: &Path) -> Result<Table> {
    let text = super::read_text(
        &data_dir.join(FRAGMENT),
        "the NB-ASR fragment",
        Some(&data_dir.join("nbasr/PROVENANCE.md")),
    )?;
    let s = read_readme_example(&text)?;
    build_table(
        &s,
        TableMeta {
            space: "nbasr".into(),
            dataset: "TIMIT".into(),
            title: "NB-ASR TIMIT FRAGMENT (1 architecture from the benchmark's README)".into(),
            notes: vec![format!(
                "Source: {FRAGMENT}, parsed from the usage examples of SamsungLabs/nb-asr's README. A format fixture, not the benchmark."
            )],
        },
    )
}

/// The full table from the release pickles in `nbasr/full/`.
pub fn pack_full(data_dir: &Path) -> Result<Table> {
    let dir = data_dir.join(FULL_DIR);
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .map(|d| {
            d.filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.starts_with("nb-asr-") && n.ends_with(".pickle"))
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    if !names.iter().any(|n| n.starts_with("nb-asr-e40-")) {
        return Err(src(format!(
            "the full NB-ASR data is not in {}: expected nb-asr-e40-1234.pickle, nb-asr-e40-1235.pickle, \
             nb-asr-e40-1236.pickle (required, at least one), and optionally nb-asr-e10-1234.pickle, \
             nb-asr-e5-1234.pickle, nb-asr-info.pickle, nb-asr-bench-gtx-1080ti-fp32.pickle, \
             nb-asr-bench-jetson-nano-fp32.pickle: the release assets of SamsungLabs/nb-asr (v1.1.0). \
             Until then, pack the fragment (`nbasr-fragment`).",
            dir.display()
        )));
    }
    let mut s = Sources::default();
    for n in &names {
        let bytes = super::read(&dir.join(n), "the full NB-ASR table", None)?;
        let ctx = |e: Error| e.context(n);
        if n.starts_with("nb-asr-e") {
            s.runs.push(read_training_pickle(&bytes).map_err(ctx)?);
        } else if n == "nb-asr-info.pickle" {
            s.statics = read_static_pickle(&bytes).map_err(ctx)?;
        } else if n.starts_with("nb-asr-bench-") {
            s.latencies
                .push(read_benchmark_pickle(&bytes).map_err(ctx)?);
        }
    }
    build_table(
        &s,
        TableMeta {
            space: "nbasr".into(),
            dataset: "TIMIT".into(),
            title: "NB-ASR TIMIT".into(),
            notes: vec![format!("Release pickles: {}.", names.join(", "))],
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;

    #[test]
    fn missing_full_files_are_named_in_the_error() {
        let e = pack_full(Path::new("/nonexistent-data-dir")).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::SourceData);
        assert!(e.message().contains("nb-asr-e40-1234.pickle"));
    }

    #[test]
    fn a_training_file_of_the_wrong_kind_is_refused() {
        // pickle.dumps({'dataset_type': 'static'}, 2) + pickle.dumps([], 2)
        let bytes: &[u8] = b"\x80\x02}q\x00X\x0c\x00\x00\x00dataset_typeq\x01X\x06\x00\x00\x00staticq\x02s.\x80\x02]q\x00.";
        let e = read_training_pickle(bytes).unwrap_err();
        assert!(e.message().contains("training"), "{}", e.message());
    }
}
