//! `parcours referent`: the one agent responsible for the open parcours; the history is
//! kept.

use anyhow::Result;
use chrono::NaiveDate;

use super::commun::{agent_referent, parcours_ouvert};
use crate::db;
use crate::domain::habilitation::Action;
use crate::domain::parcours::date_evenement;
use crate::error::erreur;
use crate::ops::Session;

pub struct Designe {
    /// The new référent, as named to the agent at work.
    pub referent: String,
    pub jour: NaiveDate,
    /// The référent replaced, as named to the agent at work.
    pub precedent: Option<String>,
}

/// `nouveau`: the agent's identifier; `date`: the day of the change, today if `None`.
pub fn designer(session: &mut Session, dossier: i64, nouveau: &str, date: Option<NaiveDate>) -> Result<Designe> {
    session.dossier(dossier, Action::Clore, None, |d| {
        let parcours = parcours_ouvert(d.tx, dossier)?;
        let nouveau = agent_referent(d.tx, nouveau, parcours.structure_id, Some(dossier))?;
        let actuel = parcours.referent_actif();
        if actuel.is_some_and(|r| r.agent == nouveau.identifiant) {
            return Err(erreur(format!(
                "{} est déjà le référent du dossier {dossier}",
                nouveau.nom_vu(d.agent.structure_id)
            ))
            .into());
        }
        let borne = match actuel {
            Some(r) => (r.debut, "la désignation du référent actuel"),
            None => (parcours.entree, "l'entrée dans le parcours"),
        };
        let jour = date_evenement(
            "la désignation",
            date.unwrap_or(d.aujourdhui),
            d.aujourdhui,
            Some(borne),
        )
        .map_err(erreur)?;
        db::parcours::designer_referent(d.tx, parcours.id, nouveau.id, jour)?;
        let lecteur = d.agent.structure_id;
        let precedent = match actuel {
            Some(r) => {
                Some(db::agent::trouver_agent(d.tx, &r.agent)?.map_or_else(|| r.nom.clone(), |a| a.nom_vu(lecteur)))
            }
            None => None,
        };
        Ok(Designe {
            referent: nouveau.nom_vu(lecteur),
            jour,
            precedent,
        })
    })
}
