//! `parcours membre ajouter|retirer`: the team around the référent. An agent of another
//! structure joins only with the person's consent to share, or with a written reason
//! that is kept.

use anyhow::Result;
use chrono::NaiveDate;

use super::commun::{date_dans, parcours_ouvert};
use crate::db;
use crate::domain::date::fr;
use crate::domain::habilitation::Action;
use crate::domain::parcours::date_evenement;
use crate::domain::texte::champ_libre;
use crate::error::{UserError, erreur};
use crate::ops::Session;

pub struct Ajout {
    pub dossier: i64,
    /// The agent's identifier.
    pub membre: String,
    /// The written reason to add an agent of another structure without consent.
    pub sans_consentement: Option<String>,
    /// The day of arrival; today if `None`.
    pub date: Option<NaiveDate>,
}

pub struct Arrivee {
    /// The new member's name (their structure is the next field).
    pub membre: String,
    pub structure: String,
    pub jour: NaiveDate,
    /// Added without the person's consent: the reason was recorded.
    pub sans_consentement: bool,
}

pub fn ajouter(session: &mut Session, a: Ajout) -> Result<Arrivee> {
    let motif = match &a.sans_consentement {
        Some(m) => Some(champ_libre("motif", m, 2000).map_err(erreur)?),
        None => None,
    };
    if motif.as_deref().is_some_and(str::is_empty) {
        return Err(UserError::usage("--sans-consentement demande une raison écrite : --motif \"…\"").into());
    }
    session.dossier(a.dossier, Action::Ecrire, None, |d| {
        let parcours = parcours_ouvert(d.tx, a.dossier)?;
        let membre = crate::ops::agent::agent(d.tx, &a.membre)?;
        let jour = date_dans("l'arrivée dans l'équipe", a.date, d.aujourdhui, &parcours)?;
        if db::suivi::membres(d.tx, parcours.id)?
            .iter()
            .any(|m| m.agent == membre.identifiant && m.fin.is_none())
        {
            return Err(erreur(format!(
                "{} fait déjà partie de l'équipe du dossier {}",
                membre.identifiant, a.dossier
            ))
            .into());
        }
        if parcours.referent_actif().is_some_and(|r| r.agent == membre.identifiant) {
            return Err(erreur(format!(
                "{} est le référent du dossier {} : il fait déjà partie de l'équipe",
                membre.identifiant, a.dossier
            ))
            .into());
        }
        let autre_structure = membre.structure_id != parcours.structure_id;
        let consentement = db::suivi::consentements(d.tx, a.dossier)?
            .into_iter()
            .rfind(|c| c.date <= jour);
        let partage = consentement.as_ref().is_some_and(|c| c.partage);
        let motif_enregistre = if autre_structure && !partage {
            let Some(motif) = motif.as_deref() else {
                let etat = match &consentement {
                    Some(c) => format!("la personne a refusé le partage le {}", fr(c.date)),
                    None => "aucun consentement au partage n'est enregistré".to_string(),
                };
                return Err(erreur(format!(
                    "{} appartient à une autre structure ({}) et {etat}",
                    membre.identifiant, membre.structure
                ))
                .aide(format!(
                    "recueillez l'accord de la personne puis : spie parcours consentement {} --partage oui ; \
                     à défaut, et seulement si c'est nécessaire : --sans-consentement --motif \"…\"",
                    a.dossier
                ))
                .into());
            };
            Some(motif)
        } else {
            None
        };
        db::suivi::ajouter_membre(d.tx, parcours.id, membre.id, jour, motif_enregistre)?;
        Ok(Arrivee {
            membre: membre.nom,
            structure: membre.structure,
            jour,
            sans_consentement: motif_enregistre.is_some(),
        })
    })
}

/// The agent `membre` leaves the team of the dossier's open parcours on `date` (today if
/// `None`); returns the day.
pub fn retirer(session: &mut Session, dossier: i64, membre: &str, date: Option<NaiveDate>) -> Result<NaiveDate> {
    session.dossier(dossier, Action::Ecrire, None, |d| {
        let parcours = parcours_ouvert(d.tx, dossier)?;
        let membre = crate::ops::agent::agent(d.tx, membre)?;
        let actif = db::suivi::membres(d.tx, parcours.id)?
            .into_iter()
            .find(|m| m.agent == membre.identifiant && m.fin.is_none());
        let Some(actif) = actif else {
            return Err(erreur(format!(
                "{} ne fait pas partie de l'équipe du dossier {dossier}",
                membre.identifiant
            ))
            .aide(format!(
                "l'équipe est dans la section « Équipe » de `spie parcours voir {dossier}`"
            ))
            .into());
        };
        let jour = date_evenement(
            "le départ de l'équipe",
            date.unwrap_or(d.aujourdhui),
            d.aujourdhui,
            Some((actif.debut, "son arrivée")),
        )
        .map_err(erreur)?;
        db::suivi::retirer_membre(d.tx, parcours.id, membre.id, jour)?;
        Ok(jour)
    })
}
