//! Proxy tables: compute zero-cost proxies for many architectures (resumable, in parallel)
//! and assemble a [`Table`] that the explorer and the engine load like any other.
//!
//! Progress is appended to `<out>.partial.jsonl`, one architecture per line, so an
//! interrupted job resumes where it stopped.

use super::data::ImageSet;
use super::net::NetConfig;
use super::proxies::{ProxyEvaluator, batch_from};
use crate::error::{Error, ErrorKind, Result};
use crate::space::nb201::{N_ARCHS, Nb201Arch};
use crate::table::{Column, ColumnSpec, Role, Table, TableMeta};
use burn::tensor::Device;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// Parses "all", "connected" (cells with a path from input to output that avoids `none`) or
/// NB201 index ranges "0-99,200" into architectures in index order.
pub fn parse_arch_range(text: &str) -> Result<Vec<Nb201Arch>> {
    let t = text.trim();
    let all = || (0..N_ARCHS as u32).map(|i| Nb201Arch::from_index(i).expect("in range"));
    match t {
        "all" => return Ok(all().collect()),
        "connected" => return Ok(all().filter(|a| a.is_connected()).collect()),
        _ => {}
    }
    let bad = || {
        Error::param(format!(
            "{t:?} is not an architecture selection: use all, connected, or NB201 index ranges like 0-99,200"
        ))
    };
    let mut out = Vec::new();
    for part in t.split(',') {
        let part = part.trim();
        let (a, b) = match part.split_once('-') {
            Some((a, b)) => (a.trim(), b.trim()),
            None => (part, part),
        };
        let a: u32 = a.parse().map_err(|_| bad())?;
        let b: u32 = b.parse().map_err(|_| bad())?;
        if a > b {
            return Err(bad());
        }
        for i in a..=b {
            out.push(Nb201Arch::from_index(i)?);
        }
    }
    out.sort_by_key(|a| a.index());
    out.dedup();
    Ok(out)
}

/// One row of progress.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
struct Row {
    index: u32,
    scores: Vec<(String, f64, f64)>,
}

/// A proxy-table job.
#[derive(Debug, Clone)]
pub struct ZcTableJob {
    /// Dataset name for the table's metadata.
    pub dataset: String,
    /// Network shape.
    pub net: NetConfig,
    /// Proxy names.
    pub proxies: Vec<String>,
    /// Architectures to score.
    pub archs: Vec<Nb201Arch>,
    /// Images in the mini-batch.
    pub batch_size: usize,
    /// Seed of the batch and initialisations.
    pub seed: u64,
    /// Worker threads.
    pub jobs: usize,
    /// The device the proxies compute on (without autodiff: `cpu()`, or an opened GPU).
    pub device: Device,
}

fn partial_path(out: &Path) -> PathBuf {
    let mut p = out.as_os_str().to_owned();
    p.push(".partial.jsonl");
    PathBuf::from(p)
}

impl ZcTableJob {
    /// Scores every architecture not yet in the progress file, then writes the table to `out`
    /// (the crate's table format, loadable with [`crate::table::load`]) and returns it. `progress(done)` is called after
    /// each architecture.
    pub fn run(
        &self,
        images: &ImageSet,
        out: &Path,
        progress: impl Fn(usize) + Sync,
    ) -> Result<Table> {
        let partial = partial_path(out);
        let mut rows: Vec<Row> = Vec::new();
        if let Ok(text) = std::fs::read_to_string(&partial) {
            for (i, line) in text.lines().enumerate() {
                // A line cut off by an interruption is simply computed again.
                match serde_json::from_str::<Row>(line) {
                    Ok(r) => rows.push(r),
                    Err(_) if i + 1 == text.lines().count() => {}
                    Err(e) => {
                        return Err(Error::new(
                            ErrorKind::CorruptTable,
                            format!(
                                "{} line {}: {e}; delete the file to start over",
                                partial.display(),
                                i + 1
                            ),
                        ));
                    }
                }
            }
        }
        let done: Vec<u32> = rows.iter().map(|r| r.index).collect();
        let todo: Vec<Nb201Arch> = self
            .archs
            .iter()
            .copied()
            .filter(|a| !done.contains(&a.index()))
            .collect();
        let norm = images.channel_stats();
        let file = Mutex::new(
            std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(&partial)
                .map_err(|e| Error::from(e).context(partial.display()))?,
        );
        let results = Mutex::new(rows);
        let next = Mutex::new(0usize);
        let failure: Mutex<Option<Error>> = Mutex::new(None);
        let names: Vec<&str> = self.proxies.iter().map(String::as_str).collect();
        std::thread::scope(|s| {
            for _ in 0..self.jobs.max(1) {
                s.spawn(|| {
                    let device = self.device.clone().autodiff();
                    let batch = match batch_from(images, &norm, self.batch_size, self.seed, &device)
                    {
                        Ok(b) => b,
                        Err(e) => {
                            *failure.lock().expect("lock") = Some(e);
                            return;
                        }
                    };
                    let eval = ProxyEvaluator::new(self.net, batch, self.seed, &device);
                    loop {
                        let i = {
                            let mut n = next.lock().expect("lock");
                            if *n >= todo.len() || failure.lock().expect("lock").is_some() {
                                return;
                            }
                            *n += 1;
                            *n - 1
                        };
                        let arch = todo[i];
                        let row = match eval.scores(arch, &names) {
                            Ok(sc) => Row {
                                index: arch.index(),
                                scores: sc
                                    .into_iter()
                                    .map(|p| (p.name, p.score, p.seconds))
                                    .collect(),
                            },
                            Err(e) => {
                                *failure.lock().expect("lock") = Some(e);
                                return;
                            }
                        };
                        let line = serde_json::to_string(&row).expect("serialisable");
                        let mut rs = results.lock().expect("lock");
                        if let Err(e) = writeln!(file.lock().expect("lock"), "{line}") {
                            *failure.lock().expect("lock") = Some(Error::from(e));
                            return;
                        }
                        rs.push(row);
                        progress(rs.len());
                    }
                });
            }
        });
        if let Some(e) = failure.into_inner().expect("lock") {
            return Err(e);
        }
        let mut rows = results.into_inner().expect("lock");
        rows.retain(|r| self.archs.iter().any(|a| a.index() == r.index));
        rows.sort_by_key(|r| r.index);
        let table = self.assemble(&rows)?;
        crate::table::save(&table, out)?;
        Ok(table)
    }

    fn assemble(&self, rows: &[Row]) -> Result<Table> {
        let keys: Vec<u64> = rows
            .iter()
            .map(|r| Nb201Arch::from_index(r.index).map(|a| a.0 as u64))
            .collect::<Result<_>>()?;
        let mut cols = Vec::new();
        let desc = format!(
            "computed by mfnas zc-table on a {}-image batch, C={}, N={}, seed {}",
            self.batch_size, self.net.channels, self.net.cells_per_stage, self.seed
        );
        for name in &self.proxies {
            let get = |r: &Row, time: bool| {
                r.scores
                    .iter()
                    .find(|(n, _, _)| n == name)
                    .map(|&(_, s, t)| if time { t } else { s })
                    .filter(|v| v.is_finite())
            };
            let scores: Vec<Option<f64>> = rows.iter().map(|r| get(r, false)).collect();
            let times: Vec<Option<f64>> = rows.iter().map(|r| get(r, true)).collect();
            let mut sorted: Vec<f64> = times.iter().flatten().copied().collect();
            sorted.sort_by(f64::total_cmp);
            let median = sorted.get(sorted.len() / 2).copied();
            cols.push(Column::from_options(
                ColumnSpec::new(Role::ZcScore, Some(name), None, None, "", &desc),
                scores,
            ));
            let mut spec = ColumnSpec::new(Role::ZcTime, Some(name), None, None, "s", &desc);
            spec.missing_cost = median;
            cols.push(Column::from_options(spec, times));
        }
        Table::new(
            TableMeta {
                space: "nb201".into(),
                dataset: self.dataset.clone(),
                title: format!("NB201 {} live proxies", self.dataset),
                notes: vec![desc],
            },
            keys,
            cols,
        )
    }
}
