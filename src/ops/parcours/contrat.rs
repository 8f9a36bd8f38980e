//! `parcours contrat`: a contract of the open parcours (CER, PPAE, CEJ, PACEA), dated.

use anyhow::Result;
use chrono::NaiveDate;

use super::commun::parcours_ouvert;
use crate::db;
use crate::domain::date::fr;
use crate::domain::habilitation::Action;
use crate::domain::rdv::TypeContrat;
use crate::error::erreur;
use crate::ops::Session;

pub struct NouveauContrat {
    pub dossier: i64,
    pub type_: TypeContrat,
    pub debut: NaiveDate,
    pub fin: NaiveDate,
}

pub struct Contracte {
    pub id: i64,
    /// The recorded data says the person is not eligible: the rule, in words (the contract
    /// is recorded all the same).
    pub avertissement: Option<String>,
}

/// Records the contract; returns its number and, when the person does not seem eligible,
/// why.
pub fn contracter(session: &mut Session, c: NouveauContrat) -> Result<Contracte> {
    if c.fin < c.debut {
        return Err(erreur(format!(
            "--fin : le {} est avant le début du contrat ({})",
            fr(c.fin),
            fr(c.debut)
        ))
        .into());
    }
    if c.fin > c.debut + chrono::Months::new(36) {
        return Err(erreur(format!(
            "--fin : un contrat du {} au {} durerait plus de 3 ans",
            fr(c.debut),
            fr(c.fin)
        ))
        .aide("un contrat se renouvelle : enregistrez le suivant à son tour")
        .into());
    }
    session.dossier(c.dossier, Action::Ecrire, None, |d| {
        let parcours = parcours_ouvert(d.tx, c.dossier)?;
        let personne = crate::ops::dossier::personne(d.tx, c.dossier)?;
        let id = db::contrat::ajouter(d.tx, parcours.id, c.type_, c.debut, c.fin, d.aujourdhui, d.agent.id)?;
        Ok(Contracte {
            id,
            avertissement: crate::domain::contrat::avertissement(c.type_, &personne.identite, c.debut),
        })
    })
}
