//! How much of a table's space an objective scores, said before a run and marked in reports.
//!
//! A search whose objective has no value for some architectures treats them as the worst
//! (the engine's missing-value policy), so it runs on a smaller space than its table's. That
//! is harmless when the unscored cells are poor anyway (NB201's disconnected cells on
//! cifar10) and changes the result when they are not (cifar100's proxies, which cover 725 of
//! 15,625 cells). A [`CoverageWarning`] gives the numbers to tell the two apart, and names a
//! column of the same proxy that scores every cell, where the table has one.

use crate::algo::config::Plan;
use crate::objective::{Objective, ObjectiveRegistry};
use crate::space::nb201::Nb201;
use crate::table::{Role, Table};
use serde::{Deserialize, Serialize};

/// Proxies that a table may hold twice, computed by two sources: (Suite-Zero name, the
/// column of FreeREA's own computation of the same definition).
pub const SAME_PROXY: [(&str, &str); 2] =
    [("synflow", "freerea_synflow"), ("nwot", "freerea_naswot")];

/// An objective that scores only part of the table.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CoverageWarning {
    /// The objective, e.g. `"zc:synflow"`.
    pub objective: String,
    /// Architectures with a value.
    pub scored: usize,
    /// Architectures in the table.
    pub total: usize,
    /// The best test accuracy among the unscored architectures (where the table has one).
    pub best_unscored_test_acc: Option<f64>,
    /// The best test accuracy among the scored ones.
    pub best_scored_test_acc: Option<f64>,
    /// A proxy of the same definition with a value for every architecture, if the table has one.
    pub full_coverage_proxy: Option<String>,
}

impl CoverageWarning {
    /// Architectures without a value.
    pub fn unscored(&self) -> usize {
        self.total - self.scored
    }

    /// Whether the unscored cells hide an architecture more accurate than every scored one,
    /// i.e. the objective cannot reach the best of its table.
    pub fn hides_the_best(&self) -> bool {
        match (self.best_unscored_test_acc, self.best_scored_test_acc) {
            (Some(u), Some(s)) => u > s,
            (Some(_), None) => true,
            _ => false,
        }
    }

    /// One paragraph for the command line and the page.
    pub fn message(&self) -> String {
        let twins: Vec<(String, String)> = self
            .full_coverage_proxy
            .iter()
            .map(|p| (self.objective.clone(), p.clone()))
            .collect();
        describe(std::slice::from_ref(&self.objective), self, &twins)
    }
}

/// The paragraph of warnings that share their numbers (`w`'s), for `names`.
fn describe(names: &[String], w: &CoverageWarning, twins: &[(String, String)]) -> String {
    let (who, verb, ones) = if names.len() == 1 {
        (names[0].clone(), "scores", "ones")
    } else {
        (
            format!("{} ({} objectives)", names.join(", "), names.len()),
            "score",
            "ones",
        )
    };
    let mut m = format!(
        "{who} {verb} {} of {} architectures; the {} unscored {ones} rank below every scored one (all tied)",
        thousands(w.scored),
        thousands(w.total),
        thousands(w.unscored()),
    );
    match (w.best_unscored_test_acc, w.best_scored_test_acc) {
        (Some(u), Some(s)) => m.push_str(&format!(
            ". The most accurate unscored architecture reaches {u:.2} % test accuracy, the most accurate scored one {s:.2} %{}",
            if u > s {
                ": the search cannot reach the best of this table"
            } else {
                ""
            }
        )),
        (Some(u), None) => {
            m.push_str(&format!(". The most accurate unscored architecture reaches {u:.2} %"))
        }
        _ => {}
    }
    m.push('.');
    if !twins.is_empty() {
        let list: Vec<String> = twins
            .iter()
            .map(|(o, p)| format!("{p} (for {})", o.trim_start_matches("zc:")))
            .collect();
        // Words that fit the page's proxy menu as well as the command line's --zc.
        m.push_str(&format!(
            " The same proxy scored on every architecture is also in the table: choose {} as the proxy.",
            list.join(", ")
        ));
    }
    m
}

/// Warnings that share their numbers (the same cells scored, the same best accuracies) told
/// once: one paragraph per group, in order of first appearance.
pub fn grouped_messages(warnings: &[CoverageWarning]) -> Vec<String> {
    // (objectives, the warning whose numbers they share, their full-coverage twins)
    type Group<'a> = (Vec<String>, &'a CoverageWarning, Vec<(String, String)>);
    let mut groups: Vec<Group> = Vec::new();
    for w in warnings {
        let same = |g: &CoverageWarning| {
            (
                g.scored,
                g.total,
                g.best_unscored_test_acc,
                g.best_scored_test_acc,
            ) == (
                w.scored,
                w.total,
                w.best_unscored_test_acc,
                w.best_scored_test_acc,
            )
        };
        let i = match groups.iter().position(|g| same(g.1)) {
            Some(i) => i,
            None => {
                groups.push((Vec::new(), w, Vec::new()));
                groups.len() - 1
            }
        };
        let g = &mut groups[i];
        if !g.0.contains(&w.objective) {
            g.0.push(w.objective.clone());
            if let Some(p) = &w.full_coverage_proxy {
                g.2.push((w.objective.clone(), p.clone()));
            }
        }
    }
    groups
        .iter()
        .map(|(names, w, twins)| describe(names, w, twins))
        .collect()
}

/// Formats a count with thousands separators, e.g. `15,625`.
pub fn thousands(n: usize) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The column index behind `objective` on `table`, if it has one.
fn column_of(table: &Table, objective: &Objective) -> Option<usize> {
    match objective {
        Objective::Proxy { name } => table.find_proxy(name).ok(),
        Objective::Training { role, fidelity } => table.find_training(*role, fidelity).ok(),
    }
}

/// The coverage warning of one objective on `table`, `None` when it scores every architecture.
pub fn objective_coverage(table: &Table, objective: &Objective) -> Option<CoverageWarning> {
    let col = table.col(column_of(table, objective)?);
    let total = table.n_rows();
    let scored = col.count_present();
    if scored == total {
        return None;
    }
    let test = table.test_column().ok().map(|c| table.col(c));
    let best = |want_scored: bool| {
        test.and_then(|t| {
            (0..total)
                .filter(|&r| col.get(r).is_some() == want_scored)
                .filter_map(|r| t.get(r))
                .reduce(f64::max)
        })
    };
    let full_coverage_proxy = match objective {
        Objective::Proxy { name } => SAME_PROXY
            .iter()
            .find(|(a, _)| a == name)
            .map(|(_, b)| *b)
            .filter(|b| {
                table
                    .find_proxy(b)
                    .is_ok_and(|c| table.col(c).count_present() == total)
            })
            .map(str::to_string),
        Objective::Training { .. } => None,
    };
    Some(CoverageWarning {
        objective: objective.label(),
        scored,
        total,
        best_unscored_test_acc: best(false),
        best_scored_test_acc: best(true),
        full_coverage_proxy,
    })
}

/// The objectives a plan's searcher registers (every one it may evaluate on).
pub fn plan_objectives(plan: &Plan) -> Vec<Objective> {
    let mut reg = ObjectiveRegistry::new();
    let _ = plan.build(&Nb201, &mut reg);
    reg.all().to_vec()
}

/// Coverage warnings for every objective of `plan` that scores less than the whole table.
/// Training metrics and the test column are included too: a table that lacks a validation
/// accuracy for some cells is warned about the same way.
pub fn plan_coverage(table: &Table, plan: &Plan) -> Vec<CoverageWarning> {
    plan_objectives(plan)
        .iter()
        .filter(|o| {
            !matches!(
                o,
                Objective::Training {
                    role: Role::TestAcc,
                    ..
                }
            )
        })
        .filter_map(|o| objective_coverage(table, o))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::algo::config::{Algo, AlgoParams};
    use crate::table::synthetic::nb201_full_curves;
    use crate::table::{Column, Table};

    /// The synthetic table with synflow scored only on the first `n` rows.
    fn partial_synflow(n: usize) -> Table {
        let t = nb201_full_curves(2);
        let cols = t
            .columns()
            .iter()
            .map(|c| {
                if c.spec.name != "zc:synflow" {
                    return c.clone();
                }
                let v = (0..t.n_rows())
                    .map(|r| c.get(r).filter(|_| r < n))
                    .collect();
                Column::from_options(c.spec.clone(), v)
            })
            .collect();
        Table::new(t.meta.clone(), t.keys().to_vec(), cols).unwrap()
    }

    fn mf_nas(zc: &str) -> AlgoParams {
        AlgoParams {
            zc: Some(zc.into()),
            budget_s: Some(20_000.0),
            ..AlgoParams::new(Algo::MfNas)
        }
    }

    #[test]
    fn a_proxy_that_scores_every_cell_gets_no_warning() {
        let t = nb201_full_curves(2);
        let plan = mf_nas("synflow").check(&t).unwrap();
        assert!(plan_coverage(&t, &plan).is_empty());
    }

    #[test]
    fn a_partial_proxy_is_counted_and_its_full_coverage_twin_named() {
        let t = partial_synflow(725);
        let plan = mf_nas("synflow").check(&t).unwrap();
        let w = plan_coverage(&t, &plan);
        assert_eq!(w.len(), 1);
        assert_eq!((w[0].scored, w[0].total), (725, 15_625));
        assert_eq!(w[0].objective, "zc:synflow");
        // The synthetic table has no freerea_synflow: no twin is invented.
        assert_eq!(w[0].full_coverage_proxy, None);
        assert!(w[0].message().contains("725 of 15,625"));
    }

    #[test]
    fn warnings_with_the_same_numbers_are_told_once() {
        let t = partial_synflow(725);
        let mut a = objective_coverage(&t, &Objective::proxy("synflow")).unwrap();
        let mut b = a.clone();
        b.objective = "zc:other".into();
        a.full_coverage_proxy = Some("twin".into());
        let m = grouped_messages(&[a.clone(), b, a]);
        assert_eq!(m.len(), 1);
        assert!(
            m[0].starts_with("zc:synflow, zc:other (2 objectives) score 725"),
            "{}",
            m[0]
        );
        assert!(m[0].contains("choose twin (for synflow)"), "{}", m[0]);
    }

    #[test]
    fn the_best_unscored_cell_is_compared_with_the_best_scored_one() {
        let t = partial_synflow(725);
        let w = objective_coverage(&t, &Objective::proxy("synflow")).unwrap();
        let test = t.col(t.test_column().unwrap());
        let best_all = (0..t.n_rows()).filter_map(|r| test.get(r)).reduce(f64::max);
        let best_of_both = w
            .best_unscored_test_acc
            .unwrap()
            .max(w.best_scored_test_acc.unwrap());
        assert_eq!(Some(best_of_both), best_all);
        assert_eq!(
            w.hides_the_best(),
            w.best_unscored_test_acc > w.best_scored_test_acc
        );
    }

    #[test]
    fn thousands_are_separated() {
        assert_eq!(thousands(15_625), "15,625");
        assert_eq!(thousands(725), "725");
        assert_eq!(thousands(1_000_000), "1,000,000");
    }
}
