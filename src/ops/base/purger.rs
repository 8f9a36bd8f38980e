//! `base purger`: the retention rule. Closed dossiers without contact for the duration
//! are erased, keeping the anonymous residue so that past statistics do not change; each
//! erasure is audited.

use anyhow::Result;
use chrono::NaiveDate;

use crate::db;
use crate::domain::parcours::APurger;
use crate::error::UserError;
use crate::ops::{Exigence, Session};

pub struct Purge {
    /// The dossiers erased, or to erase.
    pub dossiers: Vec<APurger>,
    /// Without contact since this day.
    pub avant: NaiveDate,
}

/// The dossiers closed without contact for `duree_mois`; erased when `appliquer`.
pub fn purger(session: &mut Session, duree_mois: u32, appliquer: bool) -> Result<Purge> {
    let aujourdhui = session.aujourdhui;
    let avant = crate::domain::date::mois_avant(aujourdhui, duree_mois).map_err(UserError::usage)?;
    let dossiers = session.dossiers(Exigence::Admin, appliquer, |tx, _| {
        let dossiers = db::droits::a_purger(tx, avant)?;
        if !appliquer {
            return Ok((dossiers, Vec::new()));
        }
        db::controle::effacement_sur(tx)?;
        for d in &dossiers {
            db::droits::effacer(tx, d.dossier, aujourdhui)?;
        }
        let effaces = dossiers.iter().map(|d| d.dossier).collect();
        Ok((dossiers, effaces))
    })?;
    if appliquer {
        session.compacter()?;
    }
    Ok(Purge { dossiers, avant })
}
