//! The paper report in the explorer: the report of the loaded table, computed in slices
//! between which the worker answers cancel, with the same numbers as `mfnas paper`.

use super::Session;
use crate::algo::config::AlgoParams;
use crate::error::{Error, Result};
use crate::report::stepper::{
    ReportJob, ReportProgress, ReportRequest, coverage_notes, paper_dataset,
};
use crate::report::{PaperReport, render};
use crate::space::nb201::N_ARCHS;
use crate::table::Table;
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// A finished report for the page: its data and the same HTML the static page has.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PaperPage {
    /// The report.
    pub report: PaperReport,
    /// Its body as HTML, figures inline, headings from `<h3>` (under the page's own).
    pub html: String,
    /// The same as a self-contained static page (what `mfnas paper` writes to paper.html).
    pub page: String,
    /// The file names and SVG of its figures, for download.
    pub figures: Vec<(String, String)>,
    /// The report as Markdown (what `mfnas paper` writes to paper.md).
    pub markdown: String,
}

impl Session {
    /// Starts the report of the loaded table (standing for its own dataset, or cifar10 for the
    /// synthetic table), dropping any report in progress.
    pub fn paper_start(&mut self, request: &ReportRequest) -> Result<ReportProgress> {
        let table = self.paper_table()?;
        self.paper = None;
        let job = ReportJob::new(&table, &paper_dataset(&table), request)?;
        let progress = job.progress();
        self.paper = Some(job);
        Ok(progress)
    }

    /// Does up to `max_units` units of the report's work.
    pub fn paper_step(&mut self, max_units: u64) -> Result<ReportProgress> {
        let table = self.paper_table()?;
        let job = self
            .paper
            .as_mut()
            .ok_or_else(|| Error::param("no report is started; start one first"))?;
        job.step(&table, max_units)
    }

    /// The finished report (the job is dropped).
    pub fn paper_result(&mut self) -> Result<PaperPage> {
        let table = self.paper_table()?;
        let job = self
            .paper
            .as_ref()
            .ok_or_else(|| Error::param("no report is started; start one first"))?;
        let report = job.report(&table)?;
        self.paper = None;
        Ok(PaperPage {
            html: render::html_fragment(&report, 3),
            page: render::html_page(&report),
            figures: render::figures(&report),
            markdown: render::markdown(&report),
            report,
        })
    }

    /// Drops the report in progress, if any.
    pub fn paper_cancel(&mut self) {
        self.paper = None;
    }

    /// What to say before a run of `params`: its objectives that score only part of the
    /// loaded table (one paragraph per group with the same coverage; empty when none).
    pub fn coverage(&self, params: &AlgoParams) -> Result<Vec<String>> {
        let table = &self.loaded()?.table;
        Ok(coverage_notes(table, [&params.check(table)?]))
    }

    /// The loaded table, if the paper's experiments can run on it: the whole NB201 space.
    fn paper_table(&self) -> Result<Arc<Table>> {
        let table = &self.loaded()?.table;
        if table.meta.space != "nb201" || table.n_rows() != N_ARCHS {
            return Err(Error::param(format!(
                "the paper's experiments need a whole NAS-Bench-201 table (15,625 architectures); \
                 {} is a {} table of {} architectures: load cifar10, cifar100 or ImageNet16-120",
                table.meta.title,
                table.meta.space,
                table.n_rows()
            )));
        }
        Ok(Arc::clone(table))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::Section;

    fn table6(runs: usize) -> ReportRequest {
        ReportRequest {
            sections: vec![Section::Table6],
            runs,
            seed_start: 1,
            trend_runs: None,
            trend_evals: None,
        }
    }

    #[test]
    fn the_page_gets_the_numbers_of_a_straight_run() {
        let mut s = Session::new();
        s.load_synthetic(1).unwrap();
        let request = table6(4);
        let first = s.paper_start(&request).unwrap();
        assert!(first.total > 0 && !first.finished);
        while !s.paper_step(7).unwrap().finished {}
        let page = s.paper_result().unwrap();
        let table = crate::table::synthetic::nb201_full_curves(1);
        let params = crate::report::configs::mf_nas("params", None, None);
        let straight =
            crate::report::configs::run_config(&table, "cifar10", &params, 1, 4).unwrap();
        let row = page.report.tables[0]
            .rows
            .iter()
            .find(|r| r.label == "params")
            .unwrap();
        assert_eq!(row.cells[0][0].ours, straight.stats.unwrap().test);
        assert!(page.html.contains("<h3>MF-NAS on NAS-Bench-201"));
        assert!(page.page.starts_with("<!doctype html>"));
        assert!(s.paper_step(1).is_err(), "the finished job is dropped");
    }

    #[test]
    fn loading_another_table_drops_the_report_in_progress() {
        let mut s = Session::new();
        s.load_synthetic(1).unwrap();
        let request = table6(2);
        s.paper_start(&request).unwrap();
        s.load_synthetic(2).unwrap();
        assert!(s.paper_step(1).is_err());
    }

    #[test]
    fn coverage_is_empty_for_a_proxy_that_scores_everything() {
        let mut s = Session::new();
        s.load_synthetic(1).unwrap();
        let mut p = AlgoParams::new(crate::algo::config::Algo::MfNas);
        p.zc = Some("synflow".into());
        p.budget_s = Some(20_000.0);
        assert!(s.coverage(&p).unwrap().is_empty());
    }
}
