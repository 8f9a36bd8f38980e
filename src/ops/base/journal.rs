//! `base journal`: who read or changed which dossier, when, by which command; reading it
//! is logged too. Pruning drops the entries older than 12 months, the chain still
//! verifiable.

use anyhow::Result;
use chrono::NaiveDate;

use crate::db;
use crate::db::acces::Entree;
use crate::ops::{Exigence, Session};

pub enum Journal {
    Entrees(Vec<Entree>),
    /// How many entries before `avant` were pruned.
    Elague {
        supprimees: usize,
        avant: NaiveDate,
    },
}

/// The entries (about `dossier` only, if given), or, with `elaguer`, the pruning.
pub fn journal(session: &mut Session, dossier: Option<i64>, elaguer: bool) -> Result<Journal> {
    session.base(Exigence::Admin, elaguer, |tx, _| {
        if elaguer {
            // The system's date: `SPIE_DATE` set in the future must not prune the whole trail.
            let avant = chrono::Local::now().date_naive() - chrono::Months::new(12);
            let supprimees = db::acces::elaguer(tx, &avant.to_string())?;
            return Ok(Journal::Elague { supprimees, avant });
        }
        Ok(Journal::Entrees(db::acces::entrees(tx, dossier)?))
    })
}
