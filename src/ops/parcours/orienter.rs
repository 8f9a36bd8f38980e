//! `parcours orienter`: the agent's decision. The diagnostic only suggests; the decision,
//! its date and whether it follows the suggestion are kept.

use anyhow::Result;
use chrono::NaiveDate;

use super::commun::{date_dans, parcours_ouvert};
use crate::db;
use crate::domain::date::fr;
use crate::domain::diagnostic::{Decision, Orientation};
use crate::domain::habilitation::Action;
use crate::domain::texte::champ_libre;
use crate::error::erreur;
use crate::ops::Session;

pub struct Decider {
    pub dossier: i64,
    pub orientation: Orientation,
    /// Required when the decision departs from the diagnostic's suggestion.
    pub motif: Option<String>,
    /// The day of the decision; today if `None`.
    pub date: Option<NaiveDate>,
}

pub struct Oriente {
    pub decision: Decision,
    /// Whether the parcours has a diagnostic to compare with.
    pub avec_diagnostic: bool,
}

pub fn orienter(session: &mut Session, o: Decider) -> Result<Oriente> {
    let motif = o
        .motif
        .as_deref()
        .map(|m| champ_libre("motif", m, 2000))
        .transpose()
        .map_err(erreur)?
        .filter(|m| !m.is_empty());
    session.dossier(o.dossier, Action::Ecrire, None, |d| {
        let parcours = parcours_ouvert(d.tx, o.dossier)?;
        let jour = date_dans("la décision", o.date, d.aujourdhui, &parcours)?;
        // The suggestion in force on that day: the last diagnostic of this parcours before it.
        let diagnostic = db::diagnostic::du_dossier(d.tx, o.dossier)?
            .into_iter()
            .rfind(|diag| diag.parcours_id == parcours.id && diag.date <= jour);
        let suggestion = diagnostic.as_ref().map(|diag| diag.suggestion.orientation);
        let decision = Decision::new(jour, o.orientation, motif, d.agent.identifiant.clone(), suggestion);
        if let Some(diag) = &diagnostic
            && decision.conforme == Some(false)
            && decision.motif.is_none()
        {
            return Err(erreur(format!(
                "la décision ({}) s'écarte de la suggestion du diagnostic du {} ({}, règle {})",
                o.orientation.code(),
                fr(diag.date),
                diag.suggestion.orientation.code(),
                diag.suggestion.regle
            ))
            .aide("c'est possible : donnez-en la raison avec --motif \"…\"")
            .into());
        }
        db::diagnostic::orienter(
            d.tx,
            parcours.id,
            &decision,
            d.agent.id,
            diagnostic.as_ref().map(|diag| diag.id),
        )?;
        Ok(Oriente {
            decision,
            avec_diagnostic: diagnostic.is_some(),
        })
    })
}
