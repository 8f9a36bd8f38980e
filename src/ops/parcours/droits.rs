//! The person's rights on their dossier: `parcours exporter` (access: everything held, as
//! one JSON document) and `parcours effacer` (erasure at their request).

use std::collections::BTreeMap;

use anyhow::Result;

use crate::db;
use crate::domain::habilitation::Action;
use crate::error::erreur;
use crate::ops::Session;

/// Everything the base holds on the person of `dossier`.
pub fn exporter(session: &mut Session, dossier: i64) -> Result<serde_json::Value> {
    session.dossier(dossier, Action::Lire, None, |d| {
        crate::ops::dossier::personne(d.tx, dossier)?;
        db::droits::exporter(d.tx, dossier, d.aujourdhui)
    })
}

/// Erases every row about the person of `dossier`, whose parcours must be closed; what
/// they counted in past months' figures stays as anonymous counts. Returns the number of
/// rows deleted by table.
pub fn effacer(session: &mut Session, dossier: i64) -> Result<BTreeMap<String, usize>> {
    session.effacer(dossier, |d| {
        crate::ops::dossier::personne(d.tx, dossier)?;
        if db::parcours::a_un_parcours_ouvert(d.tx, dossier)? {
            return Err(erreur(format!("le dossier {dossier} a un parcours ouvert"))
                .aide(format!("clôturez-le d'abord : spie parcours clore {dossier} --motif …"))
                .into());
        }
        db::droits::effacer(d.tx, dossier, d.aujourdhui)
    })
}
