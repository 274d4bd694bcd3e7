//! What scores architectures for the run loop: a table, the companion's live training, a
//! fitness vector of the landscape analysis, or a test's script.

use crate::algo::EvalRequest;
use crate::budget::Cost;
use crate::error::Result;
use crate::space::SearchSpace;

/// The result of one evaluation, before the run loop charges it and tells the algorithm.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Evaluation {
    /// Oriented score (larger is better; losses negated), `None` where there is no value
    /// (the algorithm then sees `-inf`).
    pub score: Option<f64>,
    /// What the evaluation costs if it is charged.
    pub cost: Cost,
}

/// Scores architectures on the objectives a run registered.
///
/// The run loop ([`crate::runner::Run`]) decides what is charged, when the budget is used
/// up and what is refunded; an evaluator only says what each evaluation costs.
pub trait Evaluator<S: SearchSpace> {
    /// Scores `ask.arch` on `ask.objective`. `ask.charge` false (a free warm-up
    /// evaluation) must leave any training state untouched.
    fn evaluate(&mut self, space: &S, ask: &EvalRequest<S::Arch>) -> Result<Evaluation>;

    /// Whether the loop should hand this evaluator independent asks in batches
    /// ([`Evaluator::evaluate_batch`]). Off by default: batches only pay where evaluations
    /// can run side by side (training jobs). The same answer for the whole run.
    fn wants_batches(&self) -> bool {
        false
    }

    /// Scores independent asks (the candidates of a successive-halving rung), returning one
    /// evaluation per ask in ask order, exactly as [`Evaluator::evaluate`] would one by one.
    fn evaluate_batch(
        &mut self,
        space: &S,
        asks: &[EvalRequest<S::Arch>],
    ) -> Result<Vec<Evaluation>> {
        asks.iter().map(|a| self.evaluate(space, a)).collect()
    }

    /// The last charged evaluation crossed the budget and the algorithm discarded it: undo
    /// whatever state it left (training progress the next rung would continue from).
    fn refund(&mut self) {}

    /// The test accuracy of `arch` (the reported outcome, never shown to the algorithm),
    /// where known.
    fn test_acc(&self, space: &S, arch: S::Arch) -> Option<f64> {
        let _ = (space, arch);
        None
    }
}
