//! `offre prescription ID STATUT`: the partner's answer to a prescription (an action of
//! the plan that uses an offer), dated; the action's own status follows.

use anyhow::Result;
use chrono::NaiveDate;

use crate::db;
use crate::domain::habilitation;
use crate::domain::parcours::date_evenement;
use crate::domain::prescription::{StatutPrescription, passage};
use crate::domain::texte::champ_facultatif;
use crate::error::erreur;
use crate::ops::parcours::commun::parcours_ouvert_de;
use crate::ops::{Element, Session};

pub struct Reponse {
    /// The prescription's number (its action's).
    pub id: i64,
    pub statut: StatutPrescription,
    pub motif: Option<String>,
    /// Today if `None`.
    pub date: Option<NaiveDate>,
}

pub struct Repondue {
    pub dossier: i64,
    pub jour: NaiveDate,
    /// The status it had, as seen today (`sans-reponse` after 15 days).
    pub avant: StatutPrescription,
}

pub fn repondre(session: &mut Session, r: Reponse) -> Result<Repondue> {
    let motif = champ_facultatif("--motif", r.motif.as_deref(), 300).map_err(erreur)?;
    let dossier = session.dossier_de(Element::Action(r.id))?;
    session.dossier(dossier, habilitation::Action::Ecrire, None, |d| {
        let action = db::suivi::action(d.tx, r.id)?.ok_or_else(|| crate::ops::Element::Action(r.id).inconnu())?;
        if action.offre.is_none() {
            return Err(erreur(format!(
                "l'action {} n'est pas une prescription : elle n'utilise aucune offre",
                r.id
            ))
            .aide(format!(
                "son statut se change avec : spie parcours action statut {} STATUT",
                r.id
            ))
            .into());
        }
        parcours_ouvert_de(d.tx, dossier, action.parcours_id, &format!("la prescription {}", r.id))?;
        let (statut, depuis) =
            db::contrat::statut_prescription(d.tx, r.id)?.unwrap_or((StatutPrescription::Proposee, action.cree_le));
        let avant = statut.au(depuis, d.aujourdhui);
        passage(r.id, avant, r.statut, motif.is_some()).map_err(erreur)?;
        let jour = date_evenement(
            &format!("la réponse à la prescription {}", r.id),
            r.date.unwrap_or(d.aujourdhui),
            d.aujourdhui,
            Some((depuis, "son statut actuel")),
        )
        .map_err(erreur)?;
        db::contrat::repondre(d.tx, r.id, r.statut, jour, motif.as_deref(), d.agent.id)?;
        if let Some(statut_action) = r.statut.statut_action().filter(|s| *s != action.statut) {
            db::suivi::changer_statut_action(d.tx, r.id, statut_action, jour, d.agent.id)?;
        }
        Ok(Repondue { dossier, jour, avant })
    })
}
