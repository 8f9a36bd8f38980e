//! `base journal`: who read or changed which dossier, when, by which command; reading it
//! is logged too. Pruning drops the entries older than 12 months, the chain still
//! verifiable.

use anyhow::Result;
use chrono::NaiveDate;

use crate::db;
use crate::db::acces::Ancre;
use crate::domain::acces::Entree;
use crate::ops::{Exigence, Session};

pub enum Journal {
    Entrees(Vec<Entree>),
    /// How many entries before `avant` were pruned.
    Elague {
        supprimees: usize,
        avant: NaiveDate,
    },
    /// The head of the chain, to keep outside the base.
    Ancre(Option<Ancre>),
}

/// What `base journal` is asked.
pub enum Demande {
    Entrees(Option<i64>),
    Elaguer,
    Ancre,
}

/// The entries (about one dossier, if given), the pruning, or the head of the chain.
pub fn journal(session: &mut Session, demande: Demande) -> Result<Journal> {
    let elaguer = matches!(demande, Demande::Elaguer);
    session.base(Exigence::Admin, elaguer, |tx, _| {
        Ok(match demande {
            Demande::Elaguer => {
                // The system's date: `SPIE_DATE` set in the future must not prune the whole
                // trail.
                let avant = chrono::Local::now().date_naive() - chrono::Months::new(12);
                let supprimees = db::acces::elaguer(tx, &avant.to_string())?;
                Journal::Elague { supprimees, avant }
            }
            Demande::Ancre => Journal::Ancre(db::acces::tete(tx)?),
            Demande::Entrees(dossier) => Journal::Entrees(db::acces::entrees(tx, dossier)?),
        })
    })
}
