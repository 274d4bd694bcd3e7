//! Assembles a [`Table`] from values set one (row key, column) at a time, as packers read
//! records: columns appear in the order first set, rows in the order first seen, and
//! every cell never set stays missing.

use crate::error::{Error, ErrorKind, Result};
use crate::table::{Column, ColumnSpec, Table, TableMeta};
use std::collections::BTreeMap;

/// A table under construction.
#[derive(Debug, Default)]
pub struct TableBuilder {
    keys: Vec<u64>,
    rows: BTreeMap<u64, usize>,
    specs: Vec<ColumnSpec>,
    cols: BTreeMap<String, usize>,
    values: Vec<Vec<f64>>,
}

impl TableBuilder {
    /// An empty builder.
    pub fn new() -> Self {
        Self::default()
    }
    /// The row of `key`, added if new.
    pub fn row(&mut self, key: u64) -> usize {
        if let Some(&r) = self.rows.get(&key) {
            return r;
        }
        self.keys.push(key);
        for v in &mut self.values {
            v.push(f64::NAN);
        }
        self.rows.insert(key, self.keys.len() - 1);
        self.keys.len() - 1
    }
    /// Whether `key` has a row.
    pub fn has_row(&self, key: u64) -> bool {
        self.rows.contains_key(&key)
    }
    /// The column of `spec` (by name), added if new.
    pub fn column(&mut self, spec: ColumnSpec) -> usize {
        if let Some(&c) = self.cols.get(&spec.name) {
            return c;
        }
        self.cols.insert(spec.name.clone(), self.specs.len());
        self.specs.push(spec);
        self.values.push(vec![f64::NAN; self.keys.len()]);
        self.specs.len() - 1
    }
    /// The spec of column `c`, to adjust (e.g. its missing cost).
    pub fn spec_mut(&mut self, c: usize) -> &mut ColumnSpec {
        &mut self.specs[c]
    }
    /// The values of column `c` so far (`NaN` missing).
    pub fn values(&self, c: usize) -> &[f64] {
        &self.values[c]
    }
    /// Sets the value of column `c` in the row of `key`. A second, different value for the
    /// same cell is an error (two records disagree about one architecture).
    pub fn set(&mut self, key: u64, c: usize, value: f64) -> Result<()> {
        let r = self.row(key);
        let cell = &mut self.values[c][r];
        if !cell.is_nan() && *cell != value {
            return Err(Error::new(
                ErrorKind::SourceData,
                format!(
                    "two records give column {} of architecture key {key} different values ({} and {value})",
                    self.specs[c].name, *cell
                ),
            ));
        }
        *cell = value;
        Ok(())
    }
    /// Number of rows so far.
    pub fn n_rows(&self) -> usize {
        self.keys.len()
    }
    /// The finished table, its values checked against their columns' domains and no
    /// column left empty ([`super::validate::check_table`]).
    pub fn build(self, meta: TableMeta) -> Result<Table> {
        let columns = self
            .specs
            .into_iter()
            .zip(self.values)
            .map(|(s, v)| Column::from_raw(s, v))
            .collect();
        let table = Table::new(meta, self.keys, columns)?;
        super::validate::check_table(&table, &[])?;
        Ok(table)
    }
}

/// The median of the present (non-NaN) values, if any.
pub fn median_present(values: &[f64]) -> Option<f64> {
    let mut v: Vec<f64> = values.iter().copied().filter(|x| !x.is_nan()).collect();
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    let n = v.len();
    Some(if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    })
}

/// The mean of `values` in their order (deterministic), `None` when empty.
pub fn mean(values: &[f64]) -> Option<f64> {
    (!values.is_empty()).then(|| values.iter().sum::<f64>() / values.len() as f64)
}
