//! What a run may spend and what it has spent: plain numbers shared by the algorithms
//! ([`crate::algo`]) and the run loop ([`crate::runner`]), kept in a leaf module so that
//! neither imports the other. The rules that charge and refund them live in one place, the
//! run loop; `docs/COST_MODEL.md` describes them.

use serde::{Deserialize, Serialize};

/// Limits of a run. The time budget is in simulated seconds (measured seconds for a live
/// run).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Budget {
    /// Seconds of cost; `None` for no limit.
    pub seconds: Option<f64>,
    /// Charged evaluations; `None` for no limit.
    pub evals: Option<u64>,
}

impl Budget {
    /// A budget of `seconds` and no limit on evaluations.
    pub fn seconds(seconds: f64) -> Self {
        Self {
            seconds: Some(seconds),
            evals: None,
        }
    }

    /// Whether `spent` has reached either limit.
    #[inline]
    pub fn is_used_up(&self, spent: &Spent) -> bool {
        self.seconds.is_some_and(|b| spent.seconds >= b)
            || self.evals.is_some_and(|b| spent.evals >= b)
    }
}

/// The cost of one evaluation.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct Cost {
    /// Seconds.
    pub seconds: f64,
    /// Epochs trained (0 for a proxy).
    pub epochs: u32,
}

/// What has been spent so far.
#[cfg_attr(target_arch = "wasm32", derive(tsify::Tsify))]
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct Spent {
    /// Seconds.
    pub seconds: f64,
    /// Epochs trained.
    pub epochs: u64,
    /// Charged evaluations.
    pub evals: u64,
}

impl Spent {
    /// Adds one charged evaluation of `cost`.
    #[inline]
    pub fn charge(&mut self, cost: Cost) {
        self.seconds += cost.seconds;
        self.epochs += cost.epochs as u64;
        self.evals += 1;
    }

    /// Takes back one charged evaluation of `cost` (a refund).
    #[inline]
    pub fn refund(&mut self, cost: Cost) {
        self.seconds -= cost.seconds;
        self.epochs -= cost.epochs as u64;
        self.evals -= 1;
    }
}
