//! `parcours consentement`: the person's consent to share the dossier with other
//! structures, dated, recorded by the référent or the holding structure; the history is
//! kept. A refusal ends the partners' access (see [`crate::domain::habilitation`]).

use anyhow::Result;
use chrono::NaiveDate;

use crate::db;
use crate::domain::habilitation::Action;
use crate::domain::parcours::date_evenement;
use crate::error::erreur;
use crate::ops::Session;

pub struct Recueil {
    pub jour: NaiveDate,
    /// After a refusal: the agents of other structures still in the team.
    pub externes: Vec<String>,
}

/// `date`: the day the consent was given or refused, today if `None`.
pub fn consentir(session: &mut Session, dossier: i64, partage: bool, date: Option<NaiveDate>) -> Result<Recueil> {
    session.dossier(dossier, Action::Gerer, None, |d| {
        let jour =
            date_evenement("le consentement", date.unwrap_or(d.aujourdhui), d.aujourdhui, None).map_err(erreur)?;
        db::suivi::consentir(d.tx, dossier, jour, partage, d.agent.id)?;
        let externes = match db::parcours::ouvert(d.tx, dossier)? {
            Some(p) if !partage => db::suivi::membres(d.tx, p.id)?
                .into_iter()
                .filter(|m| m.fin.is_none() && m.structure_id != p.structure_id)
                .map(|m| m.agent)
                .collect(),
            _ => Vec::new(),
        };
        Ok(Recueil { jour, externes })
    })
}
