//! The checks every packed table passes before it is written: each value lies in its
//! column's [`Domain`] and each column reaches the coverage its source publishes. The
//! readers check values where they read them (with file, row and column); these checks see
//! the finished table, so they also cover derived values (means, unit conversions).

use super::error;
use crate::error::Result;
use crate::table::{Domain, Role, Table};

/// A column must hold at least `at_least` values: what its source publishes.
#[derive(Debug, Clone, PartialEq)]
pub struct Coverage {
    /// The column's name.
    pub column: String,
    /// The fewest present values accepted.
    pub at_least: usize,
    /// Where the number comes from, e.g. "NAS-Bench-Suite-Zero scores 9,445 cells".
    pub why: String,
}

impl Coverage {
    /// A promise of `at_least` values in `column`, because of `why`.
    pub fn new(column: &str, at_least: usize, why: &str) -> Self {
        Self {
            column: column.to_string(),
            at_least,
            why: why.to_string(),
        }
    }
}

/// A value outside its column's domain, where it was read: `where_` names the file, row
/// and column.
pub fn check_value(domain: Domain, v: f64, where_: impl FnOnce() -> String) -> Result<()> {
    if v.is_nan() || domain.contains(v) {
        Ok(())
    } else {
        Err(error(format!(
            "{}: {v} is impossible here: the value must be {}",
            where_(),
            domain.describe()
        )))
    }
}

/// Checks every present value of `table` against its column's domain, every column against
/// `coverage`, and that no column is empty except time columns (benchmarks that publish no
/// times document in the column what is charged instead).
pub fn check_table(table: &Table, coverage: &[Coverage]) -> Result<()> {
    for c in table.columns() {
        let domain = c.spec.role.domain();
        if let Some((row, &v)) = c
            .raw()
            .iter()
            .enumerate()
            .find(|(_, v)| !v.is_nan() && !domain.contains(**v))
        {
            return Err(error(format!(
                "table {}: column {} has {v} for architecture key {} (row {row}), but its values must be {} \
                 (the column's source: {})",
                table.meta.title,
                c.spec.name,
                table.keys()[row],
                domain.describe(),
                c.spec.description
            )));
        }
    }
    for p in coverage {
        let c = table.column(&p.column)?;
        let n = c.count_present();
        if n < p.at_least {
            return Err(error(format!(
                "table {}: column {} has {n} values, fewer than the {} its source publishes ({}); \
                 the source file is incomplete or cut short — refusing to write a table that would \
                 quietly change every result that reads it",
                table.meta.title, p.column, p.at_least, p.why
            )));
        }
    }
    for c in table.columns() {
        // A time column may be empty by design (its description says how it is charged,
        // or that searching on its proxy is refused); any other column may not.
        let is_time = matches!(c.spec.role, Role::ZcTime | Role::TrainTimePerEpoch);
        if table.n_rows() > 0 && c.count_present() == 0 && !is_time {
            return Err(error(format!(
                "table {}: column {} has no value at all; its source file is empty or lacks the column \
                 (the column's source: {})",
                table.meta.title, c.spec.name, c.spec.description
            )));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ErrorKind;
    use crate::table::{Column, ColumnSpec, Role, TableMeta};

    fn table(values: Vec<Option<f64>>) -> Table {
        let n = values.len();
        let spec = ColumnSpec::new(Role::TrainTimePerEpoch, None, None, None, "s", "t.csv");
        Table::new(
            TableMeta {
                space: "nb201".into(),
                dataset: "x".into(),
                title: "T".into(),
                notes: vec![],
            },
            (0..n as u64).collect(),
            vec![Column::from_options(spec, values)],
        )
        .unwrap()
    }

    #[test]
    fn a_negative_time_is_refused_with_its_column_and_row() {
        let e = check_table(&table(vec![Some(3.0), Some(-12345.5)]), &[]).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::SourceData);
        assert!(e.message().contains("train_time_per_epoch"), "{e}");
        assert!(
            e.message().contains("-12345.5") && e.message().contains("row 1"),
            "{e}"
        );
    }

    #[test]
    fn a_column_below_its_published_coverage_is_refused() {
        let t = table(vec![Some(3.0), None, None]);
        let promise = [Coverage::new(
            "train_time_per_epoch",
            3,
            "every cell is timed",
        )];
        let e = check_table(&t, &promise).unwrap_err();
        assert!(e.message().contains("1 values, fewer than the 3"), "{e}");
        assert!(check_table(&table(vec![Some(1.0); 3]), &promise).is_ok());
    }

    #[test]
    fn an_empty_column_is_refused_unless_it_holds_times() {
        let spec = ColumnSpec::new(Role::TestAcc, None, None, None, "%", "acc.csv");
        let mut t = table(vec![None, None]);
        assert!(
            check_table(&t, &[]).is_ok(),
            "a time column may be empty by design"
        );
        t = Table::new(
            t.meta.clone(),
            t.keys().to_vec(),
            vec![Column::from_options(spec, vec![None, None])],
        )
        .unwrap();
        let e = check_table(&t, &[]).unwrap_err();
        assert!(e.message().contains("no value at all"), "{e}");
    }

    #[test]
    fn infinite_accuracies_and_positive_infinite_scores_are_outside_their_domains() {
        assert!(!Role::TestAcc.domain().contains(f64::INFINITY));
        assert!(!Role::ValAcc.domain().contains(-0.5));
        assert!(!Role::ValAcc.domain().contains(100.5));
        assert!(Role::ZcScore.domain().contains(f64::NEG_INFINITY));
        assert!(!Role::ZcScore.domain().contains(f64::INFINITY));
        assert!(Role::ZcTime.domain().contains(0.0));
    }
}
