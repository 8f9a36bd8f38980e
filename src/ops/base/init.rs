//! `base init`: a new base, whose first agent is its administrator. Outside any session:
//! there is no base to open, nor agent to identify, yet.

use std::path::PathBuf;

use anyhow::Result;
use chrono::NaiveDate;
use serde::Serialize;

use crate::db;
use crate::db::agent::NouvelleStructure;
use crate::domain::agent::Role;
use crate::error::{UserError, erreur};
use crate::referentiel::communes;

pub struct Init {
    pub base: PathBuf,
    /// Checked by [`crate::domain::agent::identifiant`].
    pub agent: String,
    /// Checked by the caller: not empty.
    pub structure: String,
    pub departement: String,
    pub aujourdhui: NaiveDate,
    /// A base for tests and training (`--essai`): `SPIE_DATE` is honoured there, and it
    /// says so everywhere.
    pub essai: bool,
}

#[derive(Serialize)]
pub struct BaseCreee {
    pub base: String,
    pub departement: String,
    pub structure: String,
    pub agent: String,
    pub essai: bool,
}

/// Checks what can be before anything is asked: the département, that no file is there,
/// the agent's identifier.
pub fn verifier(base: &std::path::Path, departement: &str, agent: &str) -> Result<String> {
    let departement = departement.trim().to_uppercase();
    if !communes::departement_existe(&departement) {
        return Err(UserError::usage(format!("département inconnu : « {departement} »"))
            .aide("donnez son code : 55, 2A, 971…")
            .into());
    }
    if base.exists() {
        return Err(erreur(format!("le fichier {} existe déjà", base.display()))
            .aide("spie ne remplace jamais une base existante ; choisissez un autre fichier avec --base")
            .into());
    }
    crate::domain::agent::identifiant(agent).map_err(|e| erreur(e).aide("choisissez l'identifiant avec --agent"))?;
    Ok(departement)
}

pub fn init(i: Init) -> Result<BaseCreee> {
    let departement = verifier(&i.base, &i.departement, &i.agent)?;
    db::creer(&i.base, false, |tx| {
        db::meta::ecrire(tx, db::meta::DEPARTEMENT, &departement)?;
        if i.essai {
            db::meta::ecrire(tx, db::meta::ESSAI, "oui")?;
        }
        let nouvelle = NouvelleStructure {
            nom: &i.structure,
            siret: None,
            typologie: None,
            commune: None,
        };
        let id = db::agent::ajouter_structure(tx, &nouvelle, i.aujourdhui)?;
        db::agent::ajouter_agent(tx, &i.agent, &i.agent, id, Role::Admin, i.aujourdhui)?;
        Ok(())
    })?;
    Ok(BaseCreee {
        base: i.base.display().to_string(),
        departement,
        structure: i.structure,
        agent: i.agent,
        essai: i.essai,
    })
}
