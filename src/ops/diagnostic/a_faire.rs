//! `diagnostic a-faire`: the open parcours still without diagnostic after the delay.

use anyhow::Result;

use crate::db;
use crate::db::diagnostic::SansDiagnostic;
use crate::domain::habilitation::Action;
use crate::ops::session::par_lien;
use crate::ops::{Exigence, Session};

/// The parcours opened more than `delai` days ago without diagnostic, among the dossiers
/// the agent may read; only those of `referent` if given. Each dossier shown is audited.
pub fn a_faire(session: &mut Session, delai: u32, referent: Option<&str>) -> Result<Vec<SansDiagnostic>> {
    let aujourdhui = session.aujourdhui;
    session.dossiers(Exigence::Agent, false, |tx, agent| {
        if let Some(r) = referent {
            db::agent::agent(tx, r)?;
        }
        let mut lignes = Vec::new();
        for l in db::diagnostic::a_faire(tx, aujourdhui, delai)? {
            if referent.is_none_or(|r| l.referent.as_deref() == Some(r.trim()))
                && par_lien(tx, agent, l.dossier, Action::Lire)?
            {
                lignes.push(l);
            }
        }
        let dossiers = lignes.iter().map(|l| l.dossier).collect();
        Ok((lignes, dossiers))
    })
}
