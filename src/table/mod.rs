//! Benchmark tables: one row per architecture, named columns of numbers with explicit
//! missing values, each column described by a [`ColumnSpec`] (what it measures, its unit,
//! the fidelity it was measured at).
//!
//! A table never guesses: asking for a column or fidelity it does not have is an error,
//! and a missing cell stays missing ([`Column::get`] returns `None`).

//!
//! This module is the table model and its file format ([`codec`]), all that the browser
//! needs; the readers of public benchmark files that produce tables live in
//! [`crate::sources`] (command line only).

pub mod codec;
pub mod synthetic;

use crate::error::{Error, Result};
use serde::{Deserialize, Serialize};
use std::sync::{Arc, OnceLock};

/// The 13 zero-cost proxies of NAS-Bench-Suite-Zero, by their Suite-Zero names, in its
/// (alphabetical) order.
pub const SUITE_ZERO_PROXIES: [&str; 13] = [
    "epe_nas",
    "fisher",
    "flops",
    "grad_norm",
    "grasp",
    "jacov",
    "l2_norm",
    "nwot",
    "params",
    "plain",
    "snip",
    "synflow",
    "zen",
];

/// A training fidelity: how many epochs, and of which training schedule.
///
/// Epochs of the same schedule are points on one learning curve, so training can continue
/// from one to the next; different schedules (NB201's separate 12-epoch run "hp12" and
/// the 200-epoch run "hp200") are separate trainings.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Fidelity {
    /// Epochs trained.
    pub epochs: u32,
    /// The schedule the epochs belong to, e.g. `"hp200"`.
    pub schedule: String,
}

impl Fidelity {
    /// A fidelity of `epochs` on `schedule`.
    pub fn new(epochs: u32, schedule: &str) -> Self {
        Self {
            epochs,
            schedule: schedule.to_string(),
        }
    }
    /// Parses `"200"` (schedule hp200), `"hp12"` (12 epochs of schedule hp12) or `"25@hp200"`.
    /// Epochs are decimal digits (at most 4294967295); a schedule is letters, digits, `_` and
    /// `-`. The page parses the same grammar (`www/src/state.ts`); both are checked against
    /// `tests/data/fidelity_labels.json`.
    pub fn parse(text: &str) -> Result<Self> {
        let t = text.trim();
        let bad = || {
            Error::param(format!(
                "{t:?} is not a fidelity: write epochs (\"200\"), a schedule name (\"hp12\") or epochs@schedule (\"25@hp200\")"
            ))
        };
        let epochs = |e: &str| {
            if e.is_empty() || !e.bytes().all(|b| b.is_ascii_digit()) {
                return None;
            }
            e.parse::<u32>().ok()
        };
        let schedule = |s: &str| {
            !s.is_empty()
                && s.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
        };
        if let Some((e, s)) = t.split_once('@') {
            return match epochs(e) {
                Some(n) if schedule(s) => Ok(Self::new(n, s)),
                _ => Err(bad()),
            };
        }
        if let Some(n) = epochs(t) {
            return Ok(Self::new(n, "hp200"));
        }
        match t.strip_prefix("hp").and_then(epochs) {
            Some(n) => Ok(Self::new(n, t)),
            None => Err(bad()),
        }
    }
    /// The short label used in column names and reports: `"200"` for hp200, else `"12@hp12"`.
    pub fn label(&self) -> String {
        if self.schedule == "hp200" {
            self.epochs.to_string()
        } else {
            format!("{}@{}", self.epochs, self.schedule)
        }
    }
}

/// What a column measures.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Validation accuracy (%) at a fidelity. Maximised.
    ValAcc,
    /// Validation loss at a fidelity. Minimised.
    ValLoss,
    /// Training accuracy (%) at a fidelity.
    TrainAcc,
    /// Training loss at a fidelity. Minimised.
    TrainLoss,
    /// Accuracy on the whole test set used as validation by some reference code ("valtest").
    /// One spelling everywhere, `valtest_acc`; `val_test_acc` is still read.
    #[serde(rename = "valtest_acc", alias = "val_test_acc")]
    ValTestAcc,
    /// Test accuracy (%): the reported outcome, never shown to a search algorithm.
    TestAcc,
    /// Seconds to train one epoch.
    TrainTimePerEpoch,
    /// A zero-cost proxy score (maximised raw).
    ZcScore,
    /// The seconds a zero-cost proxy took to compute.
    ZcTime,
    /// Validation phoneme error rate (fraction) at a fidelity (NB-ASR). Minimised.
    ValPer,
    /// Test phoneme error rate (fraction): NB-ASR's reported outcome. Minimised.
    TestPer,
    /// Anything else kept for reference (hardware latency, robustness, ...).
    Other,
}

impl Role {
    /// The snake_case name used in column names.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::ValAcc => "val_acc",
            Role::ValLoss => "val_loss",
            Role::TrainAcc => "train_acc",
            Role::TrainLoss => "train_loss",
            Role::ValTestAcc => "valtest_acc",
            Role::TestAcc => "test_acc",
            Role::TrainTimePerEpoch => "train_time_per_epoch",
            Role::ZcScore => "zc",
            Role::ZcTime => "zc_time",
            Role::ValPer => "val_per",
            Role::TestPer => "test_per",
            Role::Other => "other",
        }
    }
    /// Parses [`Role::as_str`] (and `val_test_acc`, an older spelling of `valtest_acc`).
    pub fn parse(text: &str) -> Option<Role> {
        if text == "val_test_acc" {
            return Some(Role::ValTestAcc);
        }
        [
            Role::ValAcc,
            Role::ValLoss,
            Role::TrainAcc,
            Role::TrainLoss,
            Role::ValTestAcc,
            Role::TestAcc,
            Role::TrainTimePerEpoch,
            Role::ZcScore,
            Role::ZcTime,
            Role::ValPer,
            Role::TestPer,
            Role::Other,
        ]
        .into_iter()
        .find(|r| r.as_str() == text)
    }
    /// Whether lower values are better (losses).
    pub fn minimised(self) -> bool {
        matches!(
            self,
            Role::ValLoss | Role::TrainLoss | Role::ValPer | Role::TestPer
        )
    }
    /// The values a column of this role may hold.
    pub fn domain(self) -> Domain {
        match self {
            Role::ValAcc | Role::TrainAcc | Role::ValTestAcc | Role::TestAcc => Domain::Percent,
            Role::ValLoss
            | Role::TrainLoss
            | Role::ValPer
            | Role::TestPer
            | Role::TrainTimePerEpoch
            | Role::ZcTime => Domain::NonNegative,
            Role::ZcScore => Domain::Score,
            Role::Other => Domain::Finite,
        }
    }
}

/// The values a column may hold ([`Role::domain`]); `mfnas pack` refuses a source value
/// outside its column's domain, and the cost a schema documents for a missing time
/// ([`ColumnSpec::missing_cost`]) must be [`Domain::NonNegative`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Domain {
    /// A percentage: finite, in \[0, 100\].
    Percent,
    /// Finite and not negative: losses, error rates, seconds (0 s is allowed: a proxy
    /// computed from the cell, or a benchmark that records no times, costs nothing).
    NonNegative,
    /// A zero-cost proxy score: finite, or `-inf` where a published file has it (a score
    /// as bad as possible); `+inf` is refused.
    Score,
    /// Any finite number.
    Finite,
}

impl Domain {
    /// Whether `v` (never NaN: NaN is "missing") lies in the domain.
    pub fn contains(self, v: f64) -> bool {
        match self {
            Domain::Percent => (0.0..=100.0).contains(&v),
            Domain::NonNegative => v.is_finite() && v >= 0.0,
            Domain::Score => v.is_finite() || v == f64::NEG_INFINITY,
            Domain::Finite => v.is_finite(),
        }
    }
    /// What the domain allows, to complete "must be …".
    pub fn describe(self) -> &'static str {
        match self {
            Domain::Percent => "a percentage in [0, 100]",
            Domain::NonNegative => "finite and not negative",
            Domain::Score => "finite (or -inf, a score as bad as possible)",
            Domain::Finite => "finite",
        }
    }
}

/// Describes one column: its name, what it measures, at which fidelity, in which unit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ColumnSpec {
    /// Unique name within the table, e.g. `"val_acc@200"` or `"zc:synflow"`.
    pub name: String,
    /// What the column measures.
    pub role: Role,
    /// The proxy name for [`Role::ZcScore`] and [`Role::ZcTime`] columns.
    pub proxy: Option<String>,
    /// The fidelity for training-based columns.
    pub fidelity: Option<Fidelity>,
    /// Which training seed the column holds; `None` for a mean over seeds.
    pub seed: Option<u32>,
    /// The unit, e.g. `"%"`, `"s"`, `"M"`.
    pub unit: String,
    /// Where the numbers come from and anything a user must know.
    pub description: String,
    /// For [`Role::ZcTime`] and [`Role::TrainTimePerEpoch`] columns: the documented cost
    /// charged for a row whose time is missing (e.g. the median of the measured times,
    /// computed when the table was packed; the description says where it comes from).
    pub missing_cost: Option<f64>,
}

impl ColumnSpec {
    /// A spec with the conventional name for its role, proxy, fidelity and seed.
    pub fn new(
        role: Role,
        proxy: Option<&str>,
        fidelity: Option<Fidelity>,
        seed: Option<u32>,
        unit: &str,
        description: &str,
    ) -> Self {
        let mut name = match (role, proxy) {
            (Role::ZcScore, Some(p)) => format!("zc:{p}"),
            (Role::ZcTime, Some(p)) => format!("zc_time:{p}"),
            (Role::Other, Some(p)) => p.to_string(),
            _ => role.as_str().to_string(),
        };
        if let Some(s) = seed {
            name.push_str(&format!("_seed{s}"));
        }
        if let Some(f) = &fidelity {
            name.push('@');
            name.push_str(&f.label());
        }
        Self {
            name,
            role,
            proxy: proxy.map(str::to_string),
            fidelity,
            seed,
            unit: unit.to_string(),
            description: description.to_string(),
            missing_cost: None,
        }
    }
}

/// One column: a spec and one value per row, `NaN` standing for "missing".
#[derive(Debug, Clone, PartialEq)]
pub struct Column {
    /// What the column holds.
    pub spec: ColumnSpec,
    values: Vec<f64>,
}

impl Column {
    /// A column from values where `None` is missing.
    pub fn from_options(spec: ColumnSpec, values: Vec<Option<f64>>) -> Self {
        Self {
            spec,
            values: values.into_iter().map(|v| v.unwrap_or(f64::NAN)).collect(),
        }
    }
    /// A column from raw values where `NaN` is missing.
    pub fn from_raw(spec: ColumnSpec, values: Vec<f64>) -> Self {
        Self { spec, values }
    }
    /// The value of `row`, or `None` when it is missing.
    #[inline]
    pub fn get(&self, row: usize) -> Option<f64> {
        let v = self.values[row];
        if v.is_nan() { None } else { Some(v) }
    }
    /// All values, `NaN` where missing.
    pub fn raw(&self) -> &[f64] {
        &self.values
    }
    /// How many rows have a value.
    pub fn count_present(&self) -> usize {
        self.values.iter().filter(|v| !v.is_nan()).count()
    }
}

/// Facts about a table as a whole.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TableMeta {
    /// The search space, e.g. `"nb201"`.
    pub space: String,
    /// The dataset, e.g. `"cifar10"`.
    pub dataset: String,
    /// A short title for displays, e.g. `"NB201 cifar10 (shipped)"`.
    pub title: String,
    /// Provenance and policies, one paragraph per entry.
    pub notes: Vec<String>,
}

/// A benchmark table.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// Facts about the table.
    pub meta: TableMeta,
    keys: Vec<u64>,
    dense_rows: Vec<u32>,
    sorted_keys: Vec<(u64, u32)>,
    columns: Vec<Column>,
    by_key: ByKey,
}

const NO_ROW: u32 = u32::MAX;

/// The columns copied into key order ([`Table::by_key`]), each made the first time it is
/// asked for. Derived from the columns, so two tables with the same columns are equal
/// whatever copies each has made.
#[derive(Debug, Clone, Default)]
struct ByKey {
    columns: Vec<OnceLock<Arc<[f64]>>>,
    /// [`Table::proxy_by_key`]'s copies, under the score column, with their time column.
    proxies: Vec<OnceLock<(usize, ScoresAndCosts)>>,
}

/// A proxy's `[score, cost]` per key ([`Table::proxy_by_key`]).
pub type ScoresAndCosts = Arc<[[f64; 2]]>;

impl PartialEq for ByKey {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

/// Checks the column specs of one table: names are unique, no two columns hold the same
/// measurement (role, proxy, fidelity and seed), and a documented missing cost is finite
/// and not negative.
pub fn check_specs<'a>(specs: impl IntoIterator<Item = &'a ColumnSpec>) -> Result<()> {
    let specs: Vec<&ColumnSpec> = specs.into_iter().collect();
    for (i, c) in specs.iter().enumerate() {
        if let Some(m) = c.missing_cost
            && !Domain::NonNegative.contains(m)
        {
            return Err(Error::corrupt(format!(
                "column {} documents a missing cost of {m} s, but a cost must be {}",
                c.name,
                Domain::NonNegative.describe()
            )));
        }
        for d in &specs[..i] {
            if d.name == c.name {
                return Err(Error::corrupt(format!(
                    "column name {} appears twice",
                    c.name
                )));
            }
            if d.role == c.role
                && d.proxy == c.proxy
                && d.fidelity == c.fidelity
                && d.seed == c.seed
            {
                return Err(Error::corrupt(format!(
                    "columns {} and {} hold the same measurement ({}{}{}{}): a search could not tell which to read",
                    d.name,
                    c.name,
                    c.role.as_str(),
                    c.proxy
                        .as_deref()
                        .map(|p| format!(" of {p}"))
                        .unwrap_or_default(),
                    c.fidelity
                        .as_ref()
                        .map(|f| format!(" at {}", f.label()))
                        .unwrap_or_default(),
                    c.seed.map(|s| format!(" seed {s}")).unwrap_or_default(),
                )));
            }
        }
    }
    Ok(())
}

impl Table {
    /// Builds a table, checking that keys are unique, columns have one value per row and
    /// their specs pass [`check_specs`].
    pub fn new(meta: TableMeta, keys: Vec<u64>, columns: Vec<Column>) -> Result<Self> {
        let n = keys.len();
        for c in &columns {
            if c.values.len() != n {
                return Err(Error::corrupt(format!(
                    "column {} has {} values but the table has {n} rows",
                    c.spec.name,
                    c.values.len()
                )));
            }
        }
        check_specs(columns.iter().map(|c| &c.spec))?;
        let twice = |k: u64| Error::corrupt(format!("architecture key {k} appears in two rows"));
        // Small key spaces (NB201) get a direct lookup array: the hot path of every
        // evaluation. Larger ones are searched in sorted order.
        let max_key = keys.iter().copied().max().unwrap_or(0);
        let (dense_rows, sorted_keys) = if max_key < 1 << 20 {
            let mut d = vec![NO_ROW; max_key as usize + 1];
            for (r, &k) in keys.iter().enumerate() {
                let slot = &mut d[k as usize];
                if *slot != NO_ROW {
                    return Err(twice(k));
                }
                *slot = r as u32;
            }
            (d, Vec::new())
        } else {
            let mut sorted: Vec<(u64, u32)> = keys
                .iter()
                .enumerate()
                .map(|(r, &k)| (k, r as u32))
                .collect();
            sorted.sort_unstable();
            if let Some(w) = sorted.windows(2).find(|w| w[0].0 == w[1].0) {
                return Err(twice(w[0].0));
            }
            (Vec::new(), sorted)
        };
        let by_key = ByKey {
            columns: columns.iter().map(|_| OnceLock::new()).collect(),
            proxies: columns.iter().map(|_| OnceLock::new()).collect(),
        };
        Ok(Self {
            meta,
            keys,
            dense_rows,
            sorted_keys,
            columns,
            by_key,
        })
    }

    /// A table with the columns `specs` and no row: what a plan is checked against to
    /// learn which columns it reads before they are decoded
    /// ([`codec::decode_selected`]); any row lookup finds nothing.
    pub fn empty(meta: TableMeta, specs: Vec<ColumnSpec>) -> Result<Self> {
        let columns = specs
            .into_iter()
            .map(|s| Column::from_raw(s, Vec::new()))
            .collect();
        Self::new(meta, Vec::new(), columns)
    }

    /// Number of rows (architectures).
    pub fn n_rows(&self) -> usize {
        self.keys.len()
    }
    /// The architecture key of every row.
    pub fn keys(&self) -> &[u64] {
        &self.keys
    }
    /// The row holding architecture `key`.
    #[inline]
    pub fn row(&self, key: u64) -> Option<usize> {
        if !self.dense_rows.is_empty() {
            return self
                .dense_rows
                .get(key as usize)
                .filter(|&&r| r != NO_ROW)
                .map(|&r| r as usize);
        }
        self.sorted_keys
            .binary_search_by_key(&key, |p| p.0)
            .ok()
            .map(|i| self.sorted_keys[i].1 as usize)
    }
    /// All columns.
    pub fn columns(&self) -> &[Column] {
        &self.columns
    }
    /// The column called `name`, or an error listing the names there are.
    pub fn column(&self, name: &str) -> Result<&Column> {
        self.columns
            .iter()
            .find(|c| c.spec.name == name)
            .ok_or_else(|| {
                Error::missing(format!(
                    "table {} has no column {name:?}; it has: {}",
                    self.meta.title,
                    self.columns
                        .iter()
                        .map(|c| c.spec.name.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ))
            })
    }
    /// The index of the column called `name`.
    pub fn column_index(&self, name: &str) -> Result<usize> {
        let c = self.column(name)?;
        Ok(self
            .columns
            .iter()
            .position(|d| std::ptr::eq(d, c))
            .expect("found above"))
    }
    /// The seed-mean column of `role` at `fidelity` (the one search algorithms read).
    pub fn find_training(&self, role: Role, fidelity: &Fidelity) -> Result<usize> {
        self.columns
            .iter()
            .position(|c| {
                c.spec.role == role
                    && c.spec.seed.is_none()
                    && c.spec.fidelity.as_ref() == Some(fidelity)
            })
            .ok_or_else(|| {
                let have = self.fidelities(role);
                Error::missing(format!(
                    "table {} has no {} at fidelity {}; it has {} at: {}. \
                     The table never estimates a missing fidelity: choose one it has.",
                    self.meta.title,
                    role.as_str(),
                    fidelity.label(),
                    role.as_str(),
                    if have.is_empty() {
                        "none".to_string()
                    } else {
                        have.iter()
                            .map(Fidelity::label)
                            .collect::<Vec<_>>()
                            .join(", ")
                    }
                ))
            })
    }
    /// The fidelities at which the table has a seed-mean column of `role`, sorted.
    pub fn fidelities(&self, role: Role) -> Vec<Fidelity> {
        let mut f: Vec<Fidelity> = self
            .columns
            .iter()
            .filter(|c| c.spec.role == role && c.spec.seed.is_none())
            .filter_map(|c| c.spec.fidelity.clone())
            .collect();
        f.sort();
        f.dedup();
        f
    }
    /// The column of a role without fidelity and proxy (test accuracy, train time).
    pub fn find_plain(&self, role: Role) -> Result<usize> {
        self.columns
            .iter()
            .position(|c| c.spec.role == role && c.spec.seed.is_none() && c.spec.proxy.is_none())
            .ok_or_else(|| {
                Error::missing(format!(
                    "table {} has no {} column",
                    self.meta.title,
                    role.as_str()
                ))
            })
    }
    /// The test-accuracy column (the reported outcome): the one at the highest fidelity.
    /// Tables without test accuracy that report a test error rate (NB-ASR's test PER)
    /// give that column instead; its role says which it is.
    pub fn test_column(&self) -> Result<usize> {
        let role = if self.columns.iter().any(|c| c.spec.role == Role::TestAcc) {
            Role::TestAcc
        } else {
            Role::TestPer
        };
        self.columns
            .iter()
            .enumerate()
            .filter(|(_, c)| c.spec.role == role && c.spec.seed.is_none())
            .max_by_key(|(_, c)| c.spec.fidelity.as_ref().map(|f| f.epochs).unwrap_or(0))
            .map(|(i, _)| i)
            .ok_or_else(|| {
                Error::missing(format!("table {} has no test_acc column", self.meta.title))
            })
    }
    /// The score column of zero-cost proxy `proxy`.
    pub fn find_proxy(&self, proxy: &str) -> Result<usize> {
        self.columns
            .iter()
            .position(|c| c.spec.role == Role::ZcScore && c.spec.proxy.as_deref() == Some(proxy))
            .ok_or_else(|| {
                Error::missing(format!(
                    "table {} has no zero-cost proxy {proxy:?}; it has: {}",
                    self.meta.title,
                    self.proxies().join(", ")
                ))
            })
    }
    /// The time column of zero-cost proxy `proxy`, if the table has one.
    pub fn find_proxy_time(&self, proxy: &str) -> Option<usize> {
        self.columns
            .iter()
            .position(|c| c.spec.role == Role::ZcTime && c.spec.proxy.as_deref() == Some(proxy))
    }
    /// The names of the zero-cost proxies the table has scores for.
    pub fn proxies(&self) -> Vec<String> {
        self.columns
            .iter()
            .filter(|c| c.spec.role == Role::ZcScore)
            .filter_map(|c| c.spec.proxy.clone())
            .collect()
    }
    /// Column `index`.
    #[inline]
    pub fn col(&self, index: usize) -> &Column {
        &self.columns[index]
    }

    /// Column `index` in key order: the value of architecture `key` at `[key]`, `NaN` where
    /// it is missing or the table has no such architecture. Only for tables whose keys are
    /// small and packed (NB201's 15,625 cells: at most four slots per row); `None` for the
    /// others. An evaluation then reads one value instead of looking up the row first: the
    /// row lookup and the value are two dependent cache misses in a table of 15,625 rows.
    /// The copy is made the first time it is asked for and shared after that.
    pub fn by_key(&self, index: usize) -> Option<Arc<[f64]>> {
        let packed = !self.dense_rows.is_empty() && self.dense_rows.len() <= 4 * self.keys.len();
        if !packed {
            return None;
        }
        let copy = self.by_key.columns[index].get_or_init(|| {
            let mut copy = vec![f64::NAN; self.dense_rows.len()];
            for (&k, &v) in self.keys.iter().zip(&self.columns[index].values) {
                copy[k as usize] = v;
            }
            copy.into()
        });
        Some(copy.clone())
    }

    /// A proxy's score column `score` and its compute-time column `time` side by side in key
    /// order: `[score, cost]` of architecture `key` at `[key]`, the cost being the time or,
    /// where the row has none, the time column's documented missing cost (`NaN` where there
    /// is neither, and both `NaN` where the table has no such architecture). An evaluation
    /// of a proxy then reads one cache line instead of two. Tables as for [`Table::by_key`];
    /// made the first time it is asked for and shared after that.
    pub fn proxy_by_key(&self, score: usize, time: usize) -> Option<ScoresAndCosts> {
        let make = || -> Option<ScoresAndCosts> {
            let (scores, times) = (self.by_key(score)?, self.by_key(time)?);
            let missing = self.columns[time].spec.missing_cost.unwrap_or(f64::NAN);
            let present = |k: usize| self.dense_rows[k] != NO_ROW;
            Some(
                (0..scores.len())
                    .map(|k| match present(k) {
                        true if times[k].is_nan() => [scores[k], missing],
                        true => [scores[k], times[k]],
                        false => [f64::NAN; 2],
                    })
                    .collect(),
            )
        };
        let (cached_time, copy) = match self.by_key.proxies[score].get() {
            Some(cached) => cached,
            None => {
                let copy = make()?;
                self.by_key.proxies[score].get_or_init(|| (time, copy))
            }
        };
        // A score column has one time column; another pairing is made but not kept.
        if *cached_time == time {
            Some(copy.clone())
        } else {
            make()
        }
    }
}

#[cfg(not(target_arch = "wasm32"))]
pub use codec::{load, save};
