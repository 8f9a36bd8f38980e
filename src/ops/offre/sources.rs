//! `offre sources`: the catalogue's sources, and which of them another producer
//! publishes (changed by administrators only).

use anyhow::Result;

use crate::db;
use crate::db::offre::ResumeSource;
use crate::error::UserError;
use crate::ops::{Exigence, Session};

/// Marks `externes` as published by another producer and `propres` as the structure's
/// own (by an administrator, when either is given), then lists every source.
pub fn sources(session: &mut Session, externes: &[String], propres: &[String]) -> Result<Vec<ResumeSource>> {
    if let Some(nom) = externes.iter().find(|n| propres.iter().any(|p| p.trim() == n.trim())) {
        return Err(UserError::usage(format!(
            "la source « {} » ne peut pas être à la fois --externe et --propre",
            crate::domain::texte::apercu(nom.trim(), crate::domain::texte::APERCU)
        ))
        .into());
    }
    let marquer = !(externes.is_empty() && propres.is_empty());
    let exigence = if marquer { Exigence::Admin } else { Exigence::Agent };
    let aujourdhui = session.aujourdhui;
    session.base(exigence, marquer, |tx, _| {
        for (noms, externe) in [(externes, true), (propres, false)] {
            for nom in noms {
                if !db::offre::marquer_externe(tx, nom.trim(), externe)? {
                    return Err(super::source_inconnue(tx, nom.trim())?.into());
                }
            }
        }
        db::offre::sources(tx, aujourdhui)
    })
}
