//! The use cases of `spie offre …` that need the base (the thematiques are reference
//! data: see the cli).

mod chercher;
mod exporter;
mod importer;
mod prescription;
mod prescrire;
mod proposer;
mod remarques;
mod sources;
mod voir;

pub use chercher::{LigneOffre, Recherche, chercher};
pub use exporter::{Export, Exportees, exporter};
pub use importer::{Bilan, Etendue, Import, Importe, importer};
pub use prescription::{Repondue, Reponse, repondre};
pub use prescrire::{Prescription, Prescrite, prescrire, thematique_de_l_offre};
pub use proposer::{Demande, Proposition, Propositions, proposer};
pub use remarques::{Avertissement, Rejet, Remarques};
pub use sources::sources;
pub use voir::voir;

use anyhow::Result;
use rusqlite::Connection;

use crate::db;
use crate::db::offre::OffreStockee;
use crate::error::erreur;

/// The offer `id`, which an action may use: known and not withdrawn.
pub fn active(conn: &Connection, id: i64) -> Result<OffreStockee> {
    let offre = db::offre::lire(conn, id)?.ok_or_else(|| {
        erreur(format!("offre inconnue : {id}")).aide("`spie offre chercher` donne le numéro des offres du catalogue")
    })?;
    if offre.retiree_le.is_some() {
        return Err(erreur(format!("l'offre {id} a été retirée du catalogue de sa source"))
            .aide("`spie offre chercher` ou `spie offre proposer DOSSIER` donnent les offres encore actives")
            .into());
    }
    Ok(offre)
}

/// A source the base does not have (a usage error), with those it has.
fn source_inconnue(conn: &Connection, nom: &str) -> Result<crate::error::UserError> {
    let connues: Vec<String> = db::offre::sources_et_editeurs(conn)?
        .into_iter()
        .map(|(n, _)| n)
        .collect();
    Ok(
        crate::error::UserError::usage(crate::domain::texte::inconnue("source", nom)).aide(if connues.is_empty() {
            "aucune source : importez d'abord une liste avec `spie offre importer`".to_owned()
        } else {
            format!(
                "sources de la base : {} (ou `toutes` pour un export)",
                connues.join(", ")
            )
        }),
    )
}
