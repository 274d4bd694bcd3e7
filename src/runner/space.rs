//! The search space of a table, as one value: the one place that knows which spaces exist
//! and which part of a space a table covers.
//!
//! A table that covers its whole space (NB201's 15,625 cells) is searched over that space;
//! one that covers only part of it (the 200-architecture learning-curve sample, the NB101
//! and NB-ASR tables) is searched over the cells it has ([`Subset`]), so searches never ask
//! for a cell the table lacks. Code generic over [`SearchSpace`] runs on a table's space
//! through [`TableSpace::apply`].

use crate::error::{Error, Result};
use crate::space::SearchSpace;
use crate::space::nb101::Nb101;
use crate::space::nb201::{N_ARCHS, Nb201};
use crate::space::nbasr::NbAsr;
use crate::space::subset::Subset;
use crate::table::Table;

/// Code to run on a search space, whichever it is.
pub trait SpaceFn {
    /// What the code returns.
    type Output;
    /// Runs on `space`.
    fn call<S: SearchSpace + Clone + 'static>(self, space: &S) -> Self::Output;
}

/// The space a table's searches run over.
#[derive(Debug, Clone)]
pub enum TableSpace {
    /// The whole NB201 space.
    Nb201(Nb201),
    /// The NB201 cells of a partial table.
    Nb201Subset(Subset<Nb201>),
    /// The NB101 cells of a table.
    Nb101(Subset<Nb101>),
    /// The NB-ASR cells of a table.
    NbAsr(Subset<NbAsr>),
}

/// The spaces a table may declare.
pub const SPACE_NAMES: [&str; 3] = ["nb201", "nb101", "nbasr"];

impl TableSpace {
    /// The space of `table`, from its schema.
    pub fn of(table: &Table) -> Result<Self> {
        Ok(match table.meta.space.as_str() {
            "nb201" if table.n_rows() == N_ARCHS => TableSpace::Nb201(Nb201),
            "nb201" => TableSpace::Nb201Subset(Subset::new(Nb201, table.keys())?),
            "nb101" => TableSpace::Nb101(Subset::new(Nb101, table.keys())?),
            "nbasr" => TableSpace::NbAsr(Subset::new(NbAsr, table.keys())?),
            other => {
                return Err(Error::corrupt(format!(
                    "table {} is of search space {other:?}, which this version does not know ({})",
                    table.meta.title,
                    SPACE_NAMES.join(", ")
                )));
            }
        })
    }

    /// Runs `f` on the space.
    pub fn apply<F: SpaceFn>(&self, f: F) -> F::Output {
        match self {
            TableSpace::Nb201(s) => f.call(s),
            TableSpace::Nb201Subset(s) => f.call(s),
            TableSpace::Nb101(s) => f.call(s),
            TableSpace::NbAsr(s) => f.call(s),
        }
    }

    /// The space's name, e.g. `"nb201"`.
    pub fn name(&self) -> &'static str {
        match self {
            TableSpace::Nb201(s) => s.name(),
            TableSpace::Nb201Subset(s) => s.name(),
            TableSpace::Nb101(s) => s.name(),
            TableSpace::NbAsr(s) => s.name(),
        }
    }

    /// How many architectures searches may visit.
    pub fn size(&self) -> usize {
        match self {
            TableSpace::Nb201(_) => N_ARCHS,
            TableSpace::Nb201Subset(s) => s.len(),
            TableSpace::Nb101(s) => s.len(),
            TableSpace::NbAsr(s) => s.len(),
        }
    }
}
