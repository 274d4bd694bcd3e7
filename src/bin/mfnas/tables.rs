//! Loading tables for the command line: which file a dataset name means (a mistyped name
//! lists the names there are), and decoding only the columns a run reads.
//!
//! A run reads a handful of a table's columns (MF-NAS on cifar10: its proxy's score and
//! time, two validation fidelities, the training time and the test accuracy: 8 of 46), so
//! `mfnas run` and `mfnas experiment` check the plan against the table's schema first, then
//! decode just those columns (`runner::table::reads`). The result is the same run:
//! `tests/cli_tables.rs` compares outcomes and event streams with full decoding.

use mfnas::algo::config::{AlgoParams, Plan};
use mfnas::runner::table as table_eval;
use mfnas::table::Table;
use mfnas::table::codec::{self, TableFile};
use mfnas::{Error, ErrorKind, Result};
use std::path::{Path, PathBuf};

/// The NB201 datasets `mfnas pack` writes, by the names `--dataset` takes.
pub const DATASETS: [&str; 4] = ["cifar10", "cifar100", "ImageNet16-120", "cifar10-curves200"];

/// The file of `dataset` in the folder `tables`: an error listing the datasets if the
/// name is not one of them, or telling how to pack it if the file is absent.
pub fn dataset_file(tables: &Path, dataset: &str) -> Result<PathBuf> {
    if !DATASETS.contains(&dataset) {
        let close = DATASETS
            .iter()
            .find(|d| d.eq_ignore_ascii_case(dataset))
            .map(|d| format!(" (did you mean {d}?)"))
            .unwrap_or_default();
        return Err(Error::param(format!(
            "unknown dataset {dataset:?}{close}; choose one of {}, or synthetic; \
             for another search space pass its packed table with --table",
            DATASETS.join(", ")
        )));
    }
    let path = tables.join(format!("nb201-{dataset}.{}", codec::EXTENSION));
    if !path.exists() {
        return Err(Error::new(
            ErrorKind::Io,
            format!(
                "no table for {dataset} at {}: pack the tables first (`mfnas pack --data-dir ../shared/data \
                 --out {}`) or point --tables at the folder that has them",
                path.display(),
                tables.display()
            ),
        ));
    }
    Ok(path)
}

/// Reads and decodes a whole table file.
pub fn load_file(path: &Path) -> Result<Table> {
    mfnas::table::load(path)
}

/// Reads the table file `path`, checks `params` against it and decodes only the columns
/// the resulting plan reads. Errors come from a check against the whole table, so they
/// list every column and fidelity there is.
pub fn load_for_plan(path: &Path, params: &AlgoParams) -> Result<(Table, Plan)> {
    let bytes = codec::read_file(path)?;
    let in_file = |e: Error| e.context(format!("table {}", path.display()));
    let file = TableFile::parse(&bytes).map_err(in_file)?;
    let schema = Table::empty(file.meta().clone(), file.specs().to_vec()).map_err(in_file)?;
    let table = match params.check(&schema) {
        Ok(plan) => {
            let objectives = table_eval::objectives(&plan);
            file.decode(|spec| table_eval::reads(spec, &objectives))
        }
        // Let the whole table give the error (or, if the error came from the empty
        // schema table only, the plan).
        Err(_) => file.decode(|_| true),
    }
    .map_err(in_file)?;
    let plan = params.check(&table)?;
    Ok((table, plan))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_mistyped_dataset_lists_the_datasets() {
        let e = dataset_file(Path::new("tables"), "cifar1").unwrap_err();
        assert_eq!(e.kind(), ErrorKind::InvalidParameter);
        assert!(e.message().contains("cifar100") && e.message().contains("ImageNet16-120"));
        let e = dataset_file(Path::new("tables"), "imagenet16-120").unwrap_err();
        assert!(e.message().contains("did you mean ImageNet16-120"), "{e}");
    }
}
