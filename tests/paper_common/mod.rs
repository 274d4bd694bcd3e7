//! What the paper-report tests share: finding tables and rows, and the check that causes
//! stand exactly where differences exceed their standard error.
#![allow(dead_code)]

use mfnas::report::{PaperReport, ReportRow, ReportTable, Section};

/// The table of `section`.
pub fn table(r: &PaperReport, section: Section) -> &ReportTable {
    r.tables
        .iter()
        .find(|t| t.section == section)
        .unwrap_or_else(|| panic!("the report has no {section:?}"))
}

/// The row labelled `label`.
pub fn row<'a>(t: &'a ReportTable, label: &str) -> &'a ReportRow {
    t.rows
        .iter()
        .find(|r| r.label == label)
        .unwrap_or_else(|| panic!("{} has no row {label}", t.title))
}

/// The index of the column of the paper's `dataset`.
pub fn column(r: &PaperReport, dataset: &str) -> usize {
    r.columns
        .iter()
        .position(|c| c.dataset == dataset)
        .unwrap_or_else(|| panic!("the report has no {dataset} column"))
}

/// Asserts that every cell has causes exactly when its difference exceeds its standard
/// error; returns how many compared cells are beyond and within it.
pub fn check_causes(r: &PaperReport) -> (usize, usize) {
    let (mut beyond, mut within) = (0, 0);
    for t in &r.tables {
        for row in &t.rows {
            for c in row.cells.iter().flatten() {
                let exceeds = c.difference.is_some_and(|d| d.exceeds);
                assert_eq!(
                    !c.causes.is_empty(),
                    exceeds,
                    "{} {}: causes {:?}, difference {:?}",
                    t.title,
                    row.label,
                    c.causes,
                    c.difference
                );
                match c.difference {
                    Some(d) if d.exceeds => beyond += 1,
                    Some(_) => within += 1,
                    None => {}
                }
            }
        }
    }
    (beyond, within)
}
