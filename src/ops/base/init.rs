//! `base init`: a new base, whose first agent is its administrator. Outside any session:
//! there is no base to open, nor agent to identify, yet.

use std::path::PathBuf;

use age::secrecy::{ExposeSecret, SecretString};
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
    /// The administrator's name as typed; the identifier if none.
    pub nom: Option<String>,
    /// Checked by the caller: not empty.
    pub structure: String,
    pub departement: String,
    pub aujourdhui: NaiveDate,
    /// A base for tests and training (`--essai`): `SPIE_DATE` is honoured there, and it
    /// says so everywhere. It stays plain: it holds no real person.
    pub essai: bool,
    /// The administrator's passphrase, for a real (encrypted) base; none for a test base.
    pub phrase: Option<SecretString>,
}

#[derive(Serialize)]
pub struct BaseCreee {
    pub base: String,
    pub departement: String,
    pub structure: String,
    pub agent: String,
    pub essai: bool,
    pub chiffree: bool,
    /// The recovery code of an encrypted base, shown once.
    pub code_de_secours: Option<String>,
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
    for fichier in [base.to_path_buf(), db::trousseau::chemin(base)] {
        if fichier.exists() {
            return Err(erreur(format!("le fichier {} existe déjà", fichier.display()))
                .aide("spie ne remplace jamais une base existante ; choisissez un autre fichier avec --base")
                .into());
        }
    }
    crate::domain::agent::identifiant(agent).map_err(|e| erreur(e).aide("choisissez l'identifiant avec --agent"))?;
    Ok(departement)
}

pub fn init(i: Init) -> Result<BaseCreee> {
    let departement = verifier(&i.base, &i.departement, &i.agent)?;
    let nom = match &i.nom {
        Some(nom) => crate::domain::personne::nom("--nom", nom).map_err(erreur)?,
        None => i.agent.clone(),
    };
    let chiffrement = match (&i.phrase, i.essai) {
        (_, true) => None,
        (Some(phrase), false) => {
            crate::domain::connexion::phrase_solide(phrase.expose_secret(), &i.agent).map_err(erreur)?;
            Some(super::cles::premieres(&i.agent, phrase)?)
        }
        (None, false) => {
            return Err(UserError::usage(
                "une base réelle est chiffrée : la phrase de passe de l'administrateur manque",
            )
            .aide("donnez-la avec --phrase-fichier FICHIER (droits 0600), ou lancez la commande sur un terminal")
            .into());
        }
    };
    if let Some((_, trousseau, _)) = &chiffrement {
        trousseau.ecrire(&i.base, true)?;
    }
    let creee = db::creer_avec(&i.base, chiffrement.as_ref().map(|(cle, _, _)| cle), false, |tx| {
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
        db::agent::ajouter_agent(tx, &i.agent, &nom, id, Role::Admin, i.aujourdhui)?;
        Ok(())
    });
    if let Err(e) = creee {
        if chiffrement.is_some() {
            let _ = std::fs::remove_file(db::trousseau::chemin(&i.base));
        }
        return Err(e);
    }
    Ok(BaseCreee {
        base: i.base.display().to_string(),
        departement,
        structure: i.structure,
        agent: i.agent,
        essai: i.essai,
        chiffree: chiffrement.is_some(),
        code_de_secours: chiffrement.map(|(_, _, code)| code),
    })
}
