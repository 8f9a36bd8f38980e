//! `diagnostic erreur`: a diagnostic entered by mistake (wrong dossier, a test) is kept,
//! marked with the day and the reason, and left out of statistics, comparisons and the
//! dossier's latest diagnostic.

use anyhow::Result;

use crate::db;
use crate::domain::habilitation::Action;
use crate::domain::texte::champ_libre;
use crate::error::{UserError, erreur};
use crate::ops::{Element, Session};

/// Marks the diagnostic `id`; returns its dossier.
pub fn marquer_erreur(session: &mut Session, id: i64, motif: &str) -> Result<i64> {
    let motif = champ_libre("--motif", motif, 300).map_err(erreur)?;
    if motif.is_empty() {
        return Err(UserError::usage("--motif : écrivez pourquoi le diagnostic est une erreur de saisie").into());
    }
    let dossier = session.dossier_de(Element::Diagnostic(id))?;
    session.dossier(dossier, Action::Ecrire, None, |d| {
        if !db::diagnostic::marquer_erreur(d.tx, id, d.aujourdhui, &motif)? {
            return Err(erreur(format!("le diagnostic {id} est déjà marqué « saisi par erreur »")).into());
        }
        Ok(dossier)
    })
}
