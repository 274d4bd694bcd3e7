//! The paper report on synthetic tables (three seeds standing for the paper's three
//! datasets): every section is present, every published value is shown beside ours, and a
//! cause is given exactly where a difference exceeds its standard error.

mod paper_common;

use mfnas::paper::numbers;
use mfnas::report::stepper::{ReportJob, ReportRequest};
use mfnas::report::{self, DatasetResults, PaperReport, Section, render};
use mfnas::table::Table;
use mfnas::table::synthetic::nb201_full_curves;
use paper_common::{check_causes, column, row, table};
use std::sync::OnceLock;

const RUNS: usize = 12;

fn tables() -> &'static Vec<(String, Table)> {
    static T: OnceLock<Vec<(String, Table)>> = OnceLock::new();
    T.get_or_init(|| {
        mfnas::paper::DATASETS
            .iter()
            .enumerate()
            .map(|(i, d)| (d.to_string(), nb201_full_curves(i as u64 + 1)))
            .collect()
    })
}

/// The report of every section, computed with the stepper (as the explorer does).
fn report() -> &'static PaperReport {
    static R: OnceLock<PaperReport> = OnceLock::new();
    R.get_or_init(|| {
        let request = ReportRequest {
            sections: Section::ALL.to_vec(),
            runs: RUNS,
            seed_start: 1,
            trend_runs: Some(3),
            trend_evals: Some(300),
        };
        let datasets: Vec<DatasetResults> = tables()
            .iter()
            .map(|(d, t)| {
                let mut job = ReportJob::new(t, d, &request).unwrap();
                while !job.step(t, 500).unwrap().finished {}
                let one = job.report(t).unwrap();
                assert_eq!(one.columns.len(), 1);
                // Re-assemble the three columns from the same results.
                job.dataset_results(t)
            })
            .collect();
        report::build(&datasets, &Section::ALL, RUNS, 1)
    })
}

#[test]
fn every_table_section_of_the_paper_is_in_the_report() {
    let r = report();
    let sections: Vec<Section> = r.tables.iter().map(|t| t.section).collect();
    assert_eq!(
        sections,
        vec![
            Section::Table2,
            Section::Table1,
            Section::Table4,
            Section::Table5,
            Section::Table6
        ]
    );
    let md = render::markdown(r);
    for heading in [
        "## Table 2",
        "## Table 1",
        "## Table 4",
        "## Table 5",
        "## Table 6",
        "## Figs. 2 and 3",
        "## Figs. 4 and 8",
        "## Causes of the differences",
        "SYNTHETIC TABLES",
    ] {
        assert!(md.contains(heading), "the report lacks {heading:?}");
    }
}

#[test]
fn every_figure_is_written_and_linked() {
    let r = report();
    let figs = render::figures(r);
    let names: Vec<&str> = figs.iter().map(|(n, _)| n.as_str()).collect();
    for stem in [
        "fig2a-optima",
        "fig2b-global-optima",
        "fig2c-spearman",
        "fig3-top1",
    ] {
        assert!(
            names.contains(&format!("{stem}.svg").as_str()),
            "{stem} missing"
        );
    }
    assert_eq!(names.iter().filter(|n| n.starts_with("trend-")).count(), 3);
    let md = render::markdown(r);
    let html = render::html_body(r);
    for (name, svg) in &figs {
        assert!(svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"));
        assert!(md.contains(&format!("]({name})")), "{name} is not linked");
    }
    assert_eq!(
        html.matches("<svg").count(),
        figs.len(),
        "the page inlines every figure"
    );
}

#[test]
fn every_published_number_is_shown_beside_ours() {
    let r = report();
    let n = numbers();
    let row_count = |id: Section| match id {
        Section::Table2 => n.table2.rows.len() + 2, // MF-NAS is one published row for three of ours
        Section::Table1 => n.table1.rows.len(),
        Section::Table4 => n.table4.rows.len(),
        Section::Table5 => n.table5.rows.len(),
        Section::Table6 => n.table6.rows.len(),
        _ => 0,
    };
    for t in &r.tables {
        assert_eq!(t.rows.len(), row_count(t.section), "{}", t.title);
        for (col, c) in r.columns.iter().enumerate() {
            let grid = render::table_grid(t, col);
            for (row, g) in t.rows.iter().zip(&grid.rows) {
                for (m, cell) in row.cells[col].iter().enumerate() {
                    let p = cell.paper.unwrap_or_else(|| {
                        panic!(
                            "{} {} {}: no published value",
                            t.title, c.dataset, row.label
                        )
                    });
                    let shown = &g[2 + 3 * m].text;
                    let want = format!("{:.d$}", p.mean, d = cell.decimals as usize);
                    assert!(
                        shown.starts_with(&want),
                        "{} {} {}: shows {shown:?}, published {want}",
                        t.title,
                        c.dataset,
                        row.label
                    );
                }
            }
        }
    }
}

#[test]
fn the_published_values_are_the_papers_own() {
    let r = report();
    let t6 = table(r, Section::Table6);
    let jacov = row(t6, "jacov");
    let c100 = column(r, "cifar100");
    let p = jacov.cells[c100][0].paper.unwrap();
    assert_eq!((p.mean, p.std), (71.73, Some(0.67)));
    let t4 = table(r, Section::Table4);
    let zen = row(t4, "zen");
    assert_eq!(zen.cells[0][2].paper.unwrap().mean, 20.8);
}

#[test]
fn a_cause_is_given_exactly_where_a_difference_exceeds_its_standard_error() {
    let (beyond, _) = check_causes(report());
    assert!(
        beyond > 0,
        "a synthetic table should differ from the paper somewhere"
    );
}

#[test]
fn proxies_the_synthetic_table_lacks_are_marked_not_estimated() {
    let r = report();
    let t6 = table(r, Section::Table6);
    let jacov = row(t6, "jacov");
    let cell = &jacov.cells[0][0];
    assert!(cell.ours.is_none());
    let u = cell.unavailable.as_ref().unwrap();
    assert!(!u.public_data);
    assert!(u.needed.contains("jacov"));
    let g = render::table_grid(t6, 0);
    let row = g.rows.iter().find(|r| r[0].text == "jacov").unwrap();
    assert_eq!(row[1].text, "not in this table");
}

#[test]
fn a_synthetic_table_with_full_curves_runs_table_5s_training_loss() {
    let r = report();
    let t5 = table(r, Section::Table5);
    let params = row(t5, "params");
    let loss = &params.cells[0][1];
    assert!(loss.ours.is_some(), "{loss:?}");
    assert!(loss.config.as_deref().unwrap().contains("train_loss"));
}

#[test]
fn the_stepper_gives_the_numbers_of_a_straight_run() {
    let (d, t) = &tables()[0];
    let params = report::configs::mf_nas("synflow", None, None);
    let straight = report::configs::run_config(t, d, &params, 1, RUNS).unwrap();
    let r = report();
    let t6 = table(r, Section::Table6);
    let synflow = row(t6, "synflow");
    assert_eq!(synflow.cells[0][0].ours, straight.stats.unwrap().test);
}
