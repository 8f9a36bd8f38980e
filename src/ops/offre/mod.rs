//! The use cases of `spie offre …` that need the base (the thematiques are reference
//! data: see the cli).

mod chercher;
mod exporter;
mod importer;
mod prescrire;
mod proposer;
mod remarques;
mod sources;
mod voir;

pub use chercher::{LigneOffre, Recherche, chercher};
pub use exporter::{Export, Exportees, exporter};
pub use importer::{Bilan, Etendue, Import, Importe, importer};
pub use prescrire::{Prescription, Prescrite, prescrire, thematique_de_l_offre};
pub use proposer::{Demande, Proposition, proposer};
pub use remarques::Remarques;
pub use sources::sources;
pub use voir::voir;
