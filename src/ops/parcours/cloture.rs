//! `parcours clore` and `parcours rouvrir`: the end of a parcours, and a new one for a
//! known person (the old ones stay).

use anyhow::Result;
use chrono::NaiveDate;

use super::commun::{agent_referent, parcours_ouvert};
use crate::db;
use crate::db::rdv::Entete;
use crate::domain::habilitation::Action;
use crate::domain::parcours::{MotifSortie, date_evenement};
use crate::domain::rdv::{Rdv, StatutRdv};
use crate::error::erreur;
use crate::ops::Session;

/// The reason recorded on the appointments a closure cancels.
pub const MOTIF_RDV_ANNULE: &str = "parcours clos";

pub struct Clos {
    pub sortie: NaiveDate,
    /// The appointments still planned from the day of closure, now cancelled.
    pub annules: usize,
    /// Those of them that had a convocation: the appointment and what its cancellation
    /// prints.
    pub convoques: Vec<(Rdv, Entete)>,
}

/// Closes the open parcours of `dossier` on `date` (today if `None`); the appointments
/// still planned from that day are cancelled (« parcours clos »).
pub fn clore(session: &mut Session, dossier: i64, motif: MotifSortie, date: Option<NaiveDate>) -> Result<Clos> {
    session.dossier(dossier, Action::Clore, None, |d| {
        let parcours = parcours_ouvert(d.tx, dossier)?;
        let borne = match parcours.referent_actif() {
            Some(r) if r.debut > parcours.entree => (r.debut, "la désignation du référent actuel"),
            _ => (parcours.entree, "l'entrée dans le parcours"),
        };
        let sortie =
            date_evenement("la sortie", date.unwrap_or(d.aujourdhui), d.aujourdhui, Some(borne)).map_err(erreur)?;
        db::parcours::clore(d.tx, parcours.id, sortie, motif)?;
        let prevus = db::rdv::prevus_depuis(d.tx, parcours.id, sortie)?;
        let mut convoques = Vec::new();
        for &(id, convoque) in &prevus {
            db::rdv::issue(d.tx, id, StatutRdv::Annule, d.aujourdhui, Some(MOTIF_RDV_ANNULE))?;
            if convoque && let Some(rdv) = db::rdv::rdv(d.tx, id)? {
                convoques.push((rdv, db::rdv::entete(d.tx, id)?));
            }
        }
        Ok(Clos {
            sortie,
            annules: prevus.len(),
            convoques,
        })
    })
}

/// Opens a new parcours of `dossier`, held by the agent's structure, on `date` (today if
/// `None`), with `referent` if given; returns the day of entry.
pub fn rouvrir(
    session: &mut Session,
    dossier: i64,
    referent: Option<&str>,
    date: Option<NaiveDate>,
) -> Result<NaiveDate> {
    session.dossier(dossier, Action::Clore, None, |d| {
        let parcours = db::parcours::du_dossier(d.tx, dossier)?;
        if parcours.iter().any(|p| p.est_ouvert()) {
            return Err(erreur(format!("le dossier {dossier} a déjà un parcours ouvert"))
                .aide(format!("consultez-le avec `spie parcours voir {dossier}`"))
                .into());
        }
        let derniere_sortie = parcours.iter().filter_map(|p| p.sortie).max();
        let borne = derniere_sortie.map(|s| (s, "la sortie du parcours précédent"));
        let entree = date_evenement("l'entrée", date.unwrap_or(d.aujourdhui), d.aujourdhui, borne).map_err(erreur)?;
        let referent = referent
            .map(|r| agent_referent(d.tx, r, d.agent.structure_id, Some(dossier)))
            .transpose()?;
        let id = db::parcours::ouvrir(d.tx, dossier, d.agent.structure_id, entree)?;
        if let Some(r) = &referent {
            db::parcours::designer_referent(d.tx, id, r.id, entree)?;
        }
        Ok(entree)
    })
}
