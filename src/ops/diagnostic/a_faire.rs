//! `diagnostic a-faire`: the open parcours still without diagnostic after the delay.

use anyhow::Result;

use crate::db;
use crate::db::habilitation::Lecteur;
use crate::domain::date::jours_avant;
use crate::domain::diagnostic::SansDiagnostic;
use crate::domain::habilitation::Action;
use crate::error::UserError;
use crate::ops::{Exigence, Session};

/// The parcours opened more than `delai` days ago without diagnostic, among the dossiers
/// the agent may read (a role that never reads a diagnostic is refused); only those of
/// `referent` if given. Each dossier shown is audited.
pub fn a_faire(session: &mut Session, delai: u32, referent: Option<&str>) -> Result<Vec<SansDiagnostic>> {
    let aujourdhui = session.aujourdhui;
    let limite = jours_avant(aujourdhui, delai).map_err(UserError::usage)?;
    session.dossiers(Exigence::Role(Action::Lire), false, |tx, agent| {
        let referent = match referent {
            Some(r) => Some(crate::ops::agent::agent(tx, r)?.identifiant),
            None => None,
        };
        let lignes = db::diagnostic::a_faire(tx, aujourdhui, limite, Lecteur::de(agent), referent.as_deref())?;
        let dossiers = lignes.iter().map(|l| l.dossier).collect();
        Ok((lignes, dossiers))
    })
}
