//! The use cases of `spie offre …` that need the base (the thematiques are reference
//! data: see the cli).

mod chercher;
mod exporter;
mod prescrire;
mod proposer;
mod sources;
mod voir;

pub use chercher::{LigneOffre, Recherche, chercher};
pub use exporter::{Export, Exportees, exporter};
pub use prescrire::{Prescription, Prescrite, prescrire, thematique_de_l_offre};
pub use proposer::{Demande, Proposition, proposer};
pub use sources::sources;
pub use voir::voir;
