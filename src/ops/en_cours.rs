//! The open parcours of a dossier, where new records (diagnostic, prescription…) go, and
//! the date such a record may carry.

use anyhow::Result;
use chrono::NaiveDate;
use rusqlite::Connection;

use crate::db;
use crate::db::parcours::Parcours;
use crate::domain::parcours::date_evenement;
use crate::error::erreur;

/// The open parcours of `dossier`, or an error telling how to reopen it.
pub fn parcours_ouvert(conn: &Connection, dossier: i64) -> Result<Parcours> {
    db::parcours::ouvert(conn, dossier)?.ok_or_else(|| {
        erreur(format!("le dossier {dossier} n'a pas de parcours ouvert"))
            .aide(format!("pour reprendre le suivi : spie parcours rouvrir {dossier}"))
            .into()
    })
}

/// The date of `quoi`, a record of the parcours: `date` or today, not in the future, not
/// before the entry.
pub fn date_dans(quoi: &str, date: Option<NaiveDate>, aujourdhui: NaiveDate, parcours: &Parcours) -> Result<NaiveDate> {
    let borne = Some((parcours.entree, "l'entrée dans le parcours"));
    Ok(date_evenement(quoi, date.unwrap_or(aujourdhui), aujourdhui, borne).map_err(erreur)?)
}
