//! Parameters as people write them (command-line flags, the explorer's URL and forms): the
//! one set of parsers both faces use, with errors that say what to write instead.

use crate::algo::config::Stage1Kind;
use crate::error::{Error, Result};
use crate::table::{Fidelity, Role};

/// The metrics successive halving (and MF-NAS's stage 2) can rank by, by their one spelling.
pub const STAGE2_METRICS: [Role; 5] = [
    Role::ValAcc,
    Role::TrainLoss,
    Role::ValLoss,
    Role::ValTestAcc,
    Role::ValPer,
];

/// Parses a fidelity: `"200"` (epochs of the 200-epoch schedule hp200), `"hp12"` (the
/// whole 12-epoch schedule) or `"25@hp200"`.
pub fn fidelity(text: &str) -> Result<Fidelity> {
    Fidelity::parse(text)
}

/// Parses a successive-halving ladder: fidelities separated by commas, e.g.
/// `"12,25,50,100,200"` or `"12@hp12,200"`.
pub fn ladder(text: &str) -> Result<Vec<Fidelity>> {
    list(text, "ladder", fidelity)
}

/// Parses the survivors per rung: whole numbers of at least 1 separated by commas, e.g.
/// `"4"` or `"16,8,4,2"`.
pub fn keep(text: &str) -> Result<Vec<usize>> {
    list(text, "keep", |s| match s.parse::<usize>() {
        Ok(n) if n >= 1 => Ok(n),
        _ => Err(Error::param(format!(
            "{s:?} is not a count of survivors: write a whole number of at least 1"
        ))),
    })
}

/// Parses a role by its name (`val_acc`, `valtest_acc`, ...; `val_test_acc` is read as
/// `valtest_acc` so that older links and scripts keep working).
pub fn role(text: &str) -> Result<Role> {
    Role::parse(text.trim()).ok_or_else(|| {
        Error::param(format!(
            "{text:?} is not a metric; choose one of {}",
            STAGE2_METRICS.map(Role::as_str).join(", ")
        ))
    })
}

/// Parses a stage-2 metric: a role successive halving can rank by.
pub fn stage2_metric(text: &str) -> Result<Role> {
    match role(text) {
        Ok(r) if STAGE2_METRICS.contains(&r) => Ok(r),
        _ => Err(Error::param(format!(
            "{text:?} is not a stage-2 metric; choose one of {}",
            STAGE2_METRICS.map(Role::as_str).join(", ")
        ))),
    }
}

/// Parses MF-NAS's stage-1 optimiser: `fls`, `bls` or `rs`.
pub fn stage1(text: &str) -> Result<Stage1Kind> {
    match text.trim().to_ascii_lowercase().as_str() {
        "fls" => Ok(Stage1Kind::Fls),
        "bls" => Ok(Stage1Kind::Bls),
        "rs" => Ok(Stage1Kind::Rs),
        _ => Err(Error::param(format!(
            "{text:?} is not a stage-1 optimiser; choose fls, bls or rs"
        ))),
    }
}

fn list<T>(text: &str, what: &str, parse: impl Fn(&str) -> Result<T>) -> Result<Vec<T>> {
    if text.trim().is_empty() {
        return Err(Error::param(format!(
            "the {what} is empty; give at least one value"
        )));
    }
    text.split(',')
        .map(|s| parse(s.trim()))
        .collect::<Result<Vec<T>>>()
        .map_err(|e| e.context(format!("{what} {text:?}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_ladder_is_read_as_fidelities_in_order() {
        let l = ladder("12@hp12, 200").unwrap();
        assert_eq!(
            l,
            vec![Fidelity::new(12, "hp12"), Fidelity::new(200, "hp200")]
        );
    }

    #[test]
    fn a_bad_ladder_entry_is_named_with_how_to_write_one() {
        let e = ladder("12,x").unwrap_err();
        assert!(e.message().contains("\"x\""), "{e}");
        assert!(e.message().contains("25@hp200"), "{e}");
    }

    #[test]
    fn zero_survivors_are_refused() {
        assert!(keep("4,0").is_err());
        assert_eq!(keep("16,8").unwrap(), vec![16, 8]);
    }

    #[test]
    fn both_spellings_of_the_valtest_role_are_read_as_one() {
        assert_eq!(role("val_test_acc").unwrap(), Role::ValTestAcc);
        assert_eq!(role("valtest_acc").unwrap(), Role::ValTestAcc);
        assert_eq!(Role::ValTestAcc.as_str(), "valtest_acc");
    }

    #[test]
    fn the_role_is_written_with_the_one_spelling_in_json_and_read_with_either() {
        assert_eq!(
            serde_json::to_string(&Role::ValTestAcc).unwrap(),
            "\"valtest_acc\""
        );
        let old: Role = serde_json::from_str("\"val_test_acc\"").unwrap();
        assert_eq!(old, Role::ValTestAcc);
    }

    #[test]
    fn a_test_metric_is_not_a_stage2_metric() {
        let e = stage2_metric("test_acc").unwrap_err();
        assert!(e.message().contains("val_acc"), "{e}");
    }
}
