//! The keys of an encrypted base, an administrator's work: the first ones (`base init`,
//! `base chiffrer`), and the recovery code that opens the base when every administrator's
//! passphrase is forgotten (`base recuperer`).

use std::path::{Path, PathBuf};

use age::secrecy::{ExposeSecret, SecretString};
use anyhow::Result;
use serde::Serialize;

use crate::db;
use crate::db::chiffrement::Cle;
use crate::db::trousseau::{Emplacement, Trousseau};
use crate::domain::agent::Role;
use crate::domain::connexion::{code_de_secours, normaliser_code, phrase_solide};
use crate::error::erreur;
use crate::ops::connexion::{consigner, ouvrir_par};

/// A new base key, the key slots of its first administrator `agent` (opened by `phrase`)
/// and of the recovery code, and that code.
pub(crate) fn premieres(agent: &str, phrase: &SecretString) -> Result<(Cle, Trousseau, String)> {
    let cle = Cle::generer()?;
    let (secours, code) = secours(&cle)?;
    let mut trousseau = Trousseau::nouveau(secours)?;
    trousseau
        .agents
        .insert(agent.to_owned(), Emplacement::nouveau(phrase, &cle, false)?);
    Ok((cle, trousseau, code))
}

/// A new recovery slot holding `cle`, and its code.
fn secours(cle: &Cle) -> Result<(Emplacement, String)> {
    let mut octets = [0u8; 20];
    getrandom::fill(&mut octets).map_err(|e| anyhow::anyhow!("générateur aléatoire du système : {e}"))?;
    let code = code_de_secours(&octets);
    let emplacement = Emplacement::nouveau(&SecretString::from(code.clone()), cle, false)?;
    Ok((emplacement, code))
}

#[derive(Serialize)]
pub struct Chiffree {
    pub base: String,
    pub agent: String,
    pub code_de_secours: String,
}

/// `base chiffrer`: encrypts the plain base `base` in place, the administrator `agent`
/// holding its first key slot (opened by `phrase`). Outside any session: a plain base
/// identifies nobody, and whoever may read its file may read its data already.
pub fn chiffrer(base: &Path, agent: &str, phrase: &SecretString) -> Result<Chiffree> {
    if db::chiffree(base) {
        return Err(erreur(format!("la base {} est déjà chiffrée", base.display())).into());
    }
    let trousseau_existant = db::trousseau::chemin(base);
    if trousseau_existant.exists() {
        return Err(
            erreur(format!("le fichier {} existe déjà", trousseau_existant.display()))
                .aide("il appartient à une autre base : déplacez-le avant de chiffrer celle-ci")
                .into(),
        );
    }
    {
        let conn = db::ouvrir(base)?;
        // Its dates may have been set by hand (SPIE_DATE): it stays what it is.
        if db::meta::essai(&conn)? {
            return Err(erreur(
                "une base d'essai ou de démonstration reste en clair : elle ne contient que des personnes \
                 fictives, et SPIE_DATE a pu y fixer les dates",
            )
            .aide("créez la base de votre structure avec `spie base init`")
            .into());
        }
        let admin = db::agent::trouver_agent(&conn, agent)?;
        if admin.is_none_or(|a| a.role != Role::Admin) {
            return Err(erreur(format!("« {agent} » n'est pas un administrateur de cette base"))
                .aide("indiquez un administrateur avec --agent (voir `spie agent liste`)")
                .into());
        }
    }
    phrase_solide(phrase.expose_secret(), agent).map_err(erreur)?;
    let (cle, trousseau, code) = premieres(agent, phrase)?;
    trousseau.ecrire(base, true)?;
    if let Err(e) = db::chiffrer_sur_place(base, &cle) {
        let _ = std::fs::remove_file(db::trousseau::chemin(base));
        return Err(e);
    }
    let mut conn = db::ouvrir_avec(base, Some(&cle))?;
    consigner(&mut conn, agent, "base chiffrer")?;
    Ok(Chiffree {
        base: base.display().to_string(),
        agent: agent.to_owned(),
        code_de_secours: code,
    })
}

pub struct Recuperation {
    pub base: PathBuf,
    /// The recovery code as typed.
    pub code: SecretString,
    /// The administrator who gets a new one-time passphrase.
    pub agent: String,
    pub phrase: SecretString,
}

#[derive(Serialize)]
pub struct Recuperee {
    pub agent: String,
    /// The new recovery code: the one used may have been seen.
    pub code_de_secours: String,
}

/// `base recuperer`: the recovery code opens the base; the administrator `agent` gets a
/// new one-time passphrase, the base a new recovery code, and the audit trail the event.
pub fn recuperer(r: Recuperation) -> Result<Recuperee> {
    if !db::chiffree(&r.base) {
        db::ouvrir(&r.base)?;
        return Err(erreur("cette base n'est pas chiffrée : elle n'a pas de code de secours").into());
    }
    let mut trousseau = Trousseau::lire(&r.base)?;
    let code = SecretString::from(normaliser_code(r.code.expose_secret()));
    let identite = trousseau.secours.ouvrir(&code)?.ok_or_else(|| {
        erreur("code de secours incorrect")
            .aide("il a été affiché une fois, à la création ou au chiffrement de la base")
    })?;
    let (mut conn, cle) = ouvrir_par(&r.base, trousseau.secours.cles(&identite)?)?;
    let admin = db::agent::trouver_agent(&conn, &r.agent)?;
    if admin.is_none_or(|a| a.role != Role::Admin) {
        return Err(
            erreur(format!("« {} » n'est pas un administrateur de cette base", r.agent))
                .aide("le code de secours redonne l'accès à un administrateur : indiquez-le avec --agent")
                .into(),
        );
    }
    phrase_solide(r.phrase.expose_secret(), &r.agent).map_err(erreur)?;
    let (secours, nouveau_code) = secours(&cle)?;
    trousseau.secours = secours;
    trousseau
        .agents
        .insert(r.agent.clone(), Emplacement::nouveau(&r.phrase, &cle, true)?);
    trousseau.ecrire(&r.base, false)?;
    consigner(&mut conn, &r.agent, "base recuperer — code de secours")?;
    Ok(Recuperee {
        agent: r.agent,
        code_de_secours: nouveau_code,
    })
}
