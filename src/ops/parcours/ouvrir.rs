//! `parcours ouvrir`: a new dossier and its first parcours, held by the agent's structure.

use anyhow::Result;
use chrono::NaiveDate;

use super::commun::agent_referent;
use crate::db;
use crate::db::personne::Ressemblance;
use crate::domain::habilitation::Action;
use crate::domain::parcours::date_evenement;
use crate::domain::personne::Identite;
use crate::error::erreur;
use crate::ops::Session;
use crate::ops::session::{Cree, RefusSur, par_lien};

pub struct Ouverture {
    pub identite: Identite,
    /// The référent from the entry on.
    pub referent: Option<String>,
    /// The day of entry; today if `None`.
    pub date: Option<NaiveDate>,
    /// Open even beside a dossier with the same name, given name and birth date.
    pub forcer: bool,
}

pub struct DossierOuvert {
    pub dossier: i64,
    pub entree: NaiveDate,
    /// The structure that holds the parcours: the agent's.
    pub structure: String,
    /// The référent, as named to the agent at work.
    pub referent: Option<String>,
    /// Dossiers that look like the same person, opened anyway.
    /// Similar people: their dossier's number, or `None` for another structure's dossier.
    pub doublons: Vec<(Option<i64>, Ressemblance)>,
}

pub fn ouvrir(session: &mut Session, o: Ouverture) -> Result<DossierOuvert> {
    let aujourdhui = session.aujourdhui;
    let entree = date_evenement("l'entrée", o.date.unwrap_or(aujourdhui), aujourdhui, None).map_err(erreur)?;
    let (_, ouvert) = session.creer_dossier(|tx, agent| {
        let referent = o
            .referent
            .as_deref()
            .map(|r| agent_referent(tx, r, agent.structure_id, None))
            .transpose()?;
        let doublons = db::personne::ressemblants(tx, &o.identite, None)?;
        if !o.forcer
            && let Some((autre, _)) = doublons.iter().find(|(_, r)| *r == Ressemblance::Identique)
        {
            // Another structure's dossier: said, but not numbered (its number would lead to
            // a dossier the agent may not see).
            if !par_lien(tx, agent, *autre, Action::Identite)? {
                let erreur = erreur("cette personne a déjà un dossier, que porte une autre structure").aide(
                    "prenez contact avec la structure qui la suit : avec le consentement de la personne, elle peut \
                     vous ajouter à son équipe ; s'il s'agit d'un homonyme né le même jour, relancez avec --forcer",
                );
                return Err(RefusSur {
                    dossier: Some(*autre),
                    erreur,
                }
                .into());
            }
            return Err(deja_la(*autre, db::parcours::a_un_parcours_ouvert(tx, *autre)?));
        }
        let signales = doublons.iter().map(|(autre, _)| *autre).collect();
        let mut connus = Vec::with_capacity(doublons.len());
        for (autre, ressemblance) in doublons {
            connus.push((
                par_lien(tx, agent, autre, Action::Identite)?.then_some(autre),
                ressemblance,
            ));
        }
        let doublons = connus;
        let dossier = db::personne::inserer(tx, &o.identite, agent.id, aujourdhui)?;
        let parcours = db::parcours::ouvrir(tx, dossier, agent.structure_id, entree)?;
        if let Some(r) = &referent {
            db::parcours::designer_referent(tx, parcours, r.id, entree)?;
        }
        let ouvert = DossierOuvert {
            dossier,
            entree,
            structure: agent.structure.clone(),
            referent: referent.map(|r| r.nom_vu(agent.structure_id)),
            doublons,
        };
        Ok(Cree {
            dossier,
            signales,
            resultat: ouvert,
        })
    })?;
    Ok(ouvert)
}

/// The person already has a dossier: say which, and how to go on.
fn deja_la(autre: i64, ouvert: bool) -> anyhow::Error {
    let (message, aide) = if ouvert {
        (
            format!("cette personne a déjà un parcours ouvert : dossier {autre}"),
            format!(
                "consultez-le avec `spie parcours voir {autre}` ; s'il s'agit d'un homonyme né le même jour, relancez avec --forcer"
            ),
        )
    } else {
        (
            format!("cette personne a déjà un dossier : {autre} (parcours clos)"),
            format!(
                "pour reprendre son suivi : `spie parcours rouvrir {autre}` ; s'il s'agit d'un homonyme né le même jour, relancez avec --forcer"
            ),
        )
    };
    erreur(message).aide(aide).into()
}
