//! The use cases of `spie diagnostic …` (the grid itself needs no base: see the cli).

mod a_faire;
mod comparer;
mod erreur;
mod nouveau;
mod voir;

pub use a_faire::a_faire;
pub use comparer::{Avant, Changement, Comparaison, Repere, comparer};
pub use erreur::marquer_erreur;
pub use nouveau::{Nouveau, enregistrer, preparer};
pub use voir::diagnostics;
