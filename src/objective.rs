//! What an algorithm asks to be evaluated on, and the registry that names objectives by
//! small ids so the hot path never compares strings.

use crate::table::{Fidelity, Role};
use serde::{Deserialize, Serialize};

/// Something an architecture can be scored on.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Objective {
    /// A zero-cost proxy score; costs the proxy's compute time.
    Proxy {
        /// Proxy name, e.g. `"synflow"`.
        name: String,
    },
    /// A training-based metric at a fidelity; costs training time.
    Training {
        /// Which metric (validation accuracy, training loss, ...).
        role: Role,
        /// At which fidelity.
        fidelity: Fidelity,
    },
}

impl Objective {
    /// A proxy objective.
    pub fn proxy(name: &str) -> Self {
        Objective::Proxy {
            name: name.to_string(),
        }
    }
    /// A training objective.
    pub fn training(role: Role, fidelity: Fidelity) -> Self {
        Objective::Training { role, fidelity }
    }
    /// A short label, e.g. `"zc:synflow"` or `"val_acc@12@hp12"`.
    pub fn label(&self) -> String {
        match self {
            Objective::Proxy { name } => format!("zc:{name}"),
            Objective::Training { role, fidelity } => {
                format!("{}@{}", role.as_str(), fidelity.label())
            }
        }
    }
}

/// A small id for an objective registered with an [`ObjectiveRegistry`].
pub type ObjectiveId = usize;

/// The objectives of one run. Algorithms register what they need when they are built; the
/// runner resolves every objective against the table once.
#[derive(Debug, Clone, Default)]
pub struct ObjectiveRegistry {
    list: Vec<Objective>,
}

impl ObjectiveRegistry {
    /// An empty registry.
    pub fn new() -> Self {
        Self::default()
    }
    /// The id of `objective`, registering it if new.
    pub fn id(&mut self, objective: Objective) -> ObjectiveId {
        if let Some(i) = self.list.iter().position(|o| *o == objective) {
            return i;
        }
        self.list.push(objective);
        self.list.len() - 1
    }
    /// All registered objectives, by id.
    pub fn all(&self) -> &[Objective] {
        &self.list
    }
    /// Every objective's label, by id.
    pub fn labels(&self) -> Vec<String> {
        self.list.iter().map(Objective::label).collect()
    }
}
