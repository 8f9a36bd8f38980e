//! `parcours contrat`: a contract of the open parcours (CER, PPAE, CEJ, PACEA), dated;
//! its dates corrected or the contract withdrawn, the previous dates kept.

use anyhow::Result;
use chrono::NaiveDate;

use super::commun::parcours_ouvert;
use crate::db;
use crate::domain::contrat::{
    Recouvrement, avertissement, avertissement_chevauchement, avertissement_entree, recouvrement,
};
use crate::domain::date::fr;
use crate::domain::habilitation::Action;
use crate::domain::rdv::TypeContrat;
use crate::domain::texte::champ_libre;
use crate::error::erreur;
use crate::ops::Session;
use crate::ops::session::{Element, SurDossier};

pub struct NouveauContrat {
    pub dossier: i64,
    pub type_: TypeContrat,
    pub debut: NaiveDate,
    pub fin: NaiveDate,
}

pub struct Contracte {
    pub id: i64,
    /// What the caseworker should check, in words (the contract is recorded all the same):
    /// the person does not seem eligible, it overlaps another one of its type, it starts
    /// before the entry in the parcours.
    pub avertissements: Vec<String>,
}

/// The dates of a contract, or why they cannot be.
fn verifier_dates(debut: NaiveDate, fin: NaiveDate) -> Result<()> {
    if fin < debut {
        return Err(erreur(format!(
            "--fin : le {} est avant le début du contrat ({})",
            fr(fin),
            fr(debut)
        ))
        .into());
    }
    if fin > debut + chrono::Months::new(36) {
        return Err(erreur(format!(
            "--fin : un contrat du {} au {} durerait plus de 3 ans",
            fr(debut),
            fr(fin)
        ))
        .aide("un contrat se renouvelle : enregistrez le suivant à son tour")
        .into());
    }
    Ok(())
}

/// Refuses the very same contract as another one of the dossier (`sauf` excepted); returns
/// the warnings its dates call for.
fn comparer(
    d: &SurDossier<'_>,
    dossier: i64,
    sauf: Option<i64>,
    type_: TypeContrat,
    (debut, fin): (NaiveDate, NaiveDate),
) -> Result<Vec<String>> {
    let mut autres = db::contrat::du_dossier(d.tx, dossier)?;
    autres.retain(|c| Some(c.id) != sauf);
    let mut avertissements = Vec::new();
    match recouvrement(type_, debut, fin, &autres) {
        Some(Recouvrement::Identique(id)) => {
            return Err(erreur(format!(
                "le contrat {} n° {id} du {} au {} est déjà enregistré",
                type_.mot(),
                fr(debut),
                fr(fin)
            ))
            .aide(format!(
                "pour en changer les dates : `spie parcours contrat corriger {id} --debut … --fin … --motif \"…\"`"
            ))
            .into());
        }
        Some(Recouvrement::Chevauche(ids)) => avertissements.push(avertissement_chevauchement(type_, &ids)),
        None => {}
    }
    let entree = db::parcours::du_dossier(d.tx, dossier)?.last().map(|p| p.entree);
    avertissements.extend(entree.and_then(|e| avertissement_entree(debut, e)));
    Ok(avertissements)
}

/// Records the contract; returns its number and what the caseworker should check.
pub fn contracter(session: &mut Session, c: NouveauContrat) -> Result<Contracte> {
    verifier_dates(c.debut, c.fin)?;
    session.dossier(c.dossier, Action::Ecrire, None, |d| {
        let parcours = parcours_ouvert(d.tx, c.dossier)?;
        let personne = crate::ops::dossier::personne(d.tx, c.dossier)?;
        let mut avertissements = comparer(d, c.dossier, None, c.type_, (c.debut, c.fin))?;
        avertissements.extend(avertissement(c.type_, &personne.identite, c.debut));
        let id = db::contrat::ajouter(d.tx, parcours.id, c.type_, c.debut, c.fin, d.aujourdhui, d.agent.id)?;
        Ok(Contracte { id, avertissements })
    })
}

/// A contract's dates corrected (one of them at least), or the contract withdrawn (both
/// `None` and `retrait`); a reason is required.
pub struct CorrectionContrat {
    pub id: i64,
    pub debut: Option<NaiveDate>,
    pub fin: Option<NaiveDate>,
    pub retrait: bool,
    pub motif: String,
}

pub struct ContratCorrige {
    pub dossier: i64,
    pub jour: NaiveDate,
    /// The contract as it now stands (its dates unchanged when withdrawn).
    pub contrat: crate::domain::contrat::Contrat,
    pub avertissements: Vec<String>,
}

/// Corrects or withdraws a contract: the previous dates stay in the dossier's corrections;
/// a withdrawn contract no longer falls due nor counts in the indicators.
pub fn corriger_contrat(session: &mut Session, c: CorrectionContrat) -> Result<ContratCorrige> {
    let motif = champ_libre("--motif", &c.motif, 300).map_err(erreur)?;
    if motif.is_empty() {
        return Err(erreur("--motif : écrivez pourquoi le contrat est corrigé ou retiré").into());
    }
    if !c.retrait && c.debut.is_none() && c.fin.is_none() {
        return Err(crate::error::UserError::usage("rien à corriger : donnez --debut, --fin ou les deux").into());
    }
    let dossier = session.dossier_de(Element::Contrat(c.id))?;
    session.dossier(dossier, Action::Ecrire, None, |d| {
        let (_, mut contrat, retire) =
            db::contrat::contrat(d.tx, c.id)?.ok_or_else(|| Element::Contrat(c.id).inconnu())?;
        if retire {
            return Err(erreur(format!("le contrat {} est déjà retiré", c.id)).into());
        }
        let mut avertissements = Vec::new();
        if c.retrait {
            db::contrat::corriger(d.tx, c.id, None, &motif, d.aujourdhui, d.agent.id)?;
        } else {
            let dates = (c.debut.unwrap_or(contrat.debut), c.fin.unwrap_or(contrat.fin));
            if dates == (contrat.debut, contrat.fin) {
                return Err(erreur(format!(
                    "contrat {} inchangé : du {} au {}, les dates enregistrées",
                    c.id,
                    fr(dates.0),
                    fr(dates.1)
                ))
                .into());
            }
            verifier_dates(dates.0, dates.1)?;
            avertissements = comparer(d, dossier, Some(c.id), contrat.type_, dates)?;
            db::contrat::corriger(d.tx, c.id, Some(dates), &motif, d.aujourdhui, d.agent.id)?;
            (contrat.debut, contrat.fin) = dates;
        }
        Ok(ContratCorrige {
            dossier,
            jour: d.aujourdhui,
            contrat,
            avertissements,
        })
    })
}
