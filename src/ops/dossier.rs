//! What a use case says of a dossier the base does not hold: never given, or erased.

use anyhow::Result;
use rusqlite::Connection;

use crate::db;
use crate::domain::personne::Personne;
use crate::error::{UserError, erreur};

/// The person of dossier `dossier`, or the French error that says why there is none.
pub fn personne(conn: &Connection, dossier: i64) -> Result<Personne> {
    match db::personne::personne(conn, dossier)? {
        Some(p) => Ok(p),
        None => Err(absent(conn, dossier)?.into()),
    }
}

/// Why the base holds no dossier `dossier`: erased (and when), or unknown.
pub fn absent(conn: &Connection, dossier: i64) -> Result<UserError> {
    Ok(match db::droits::efface_le(conn, dossier)? {
        Some(jour) => erreur(format!(
            "le dossier {dossier} a été effacé le {}",
            crate::domain::date::fr(jour)
        ))
        .aide(
            "l'effacement est définitif : plus rien de ce dossier ne peut être affiché ; si la personne \
             revient, ouvrez-lui un nouveau dossier (spie parcours ouvrir)",
        ),
        None => erreur(format!("dossier inconnu : {dossier}"))
            .aide("`spie parcours chercher NOM` retrouve un dossier par le nom ou la date de naissance"),
    })
}
