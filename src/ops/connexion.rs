//! `connexion` and `deconnexion`: an agent proves who they are with their passphrase,
//! which opens their key slot, which opens the base; the key is then kept in a work
//! session of the OS user (see [`super::jeton`]) until it ends.

use std::path::{Path, PathBuf};

use age::secrecy::{ExposeSecret, SecretString};
use anyhow::Result;
use rusqlite::Connection;
use serde::Serialize;

use super::jeton::{Jeton, maintenant};
use crate::db;
use crate::db::chiffrement::Cle;
use crate::db::trousseau::Trousseau;
use crate::domain::connexion::{fin, phrase_solide};
use crate::error::erreur;

pub struct Connexion<'a> {
    pub base: PathBuf,
    pub agent: String,
    pub phrase: SecretString,
    /// Asked only when the passphrase is a one-time one, which must be replaced.
    pub nouvelle: &'a dyn Fn() -> Result<SecretString>,
    /// Minutes of idle time before the session ends.
    pub inactivite: u32,
}

#[derive(Serialize)]
pub struct Connecte {
    pub agent: String,
    /// The one-time passphrase was replaced.
    pub phrase_changee: bool,
    pub inactivite_minutes: u32,
}

/// That the base at `base` is encrypted: a plain base (or none) has no session to open.
pub fn verifier_chiffree(base: &Path) -> Result<()> {
    if !db::chiffree(base) {
        db::ouvrir(base)?;
        return Err(
            erreur("cette base n'est pas chiffrée : il n'y a pas de connexion à ouvrir")
                .aide("sur une base d'essai ou de démonstration, l'agent est donné par --agent ou SPIE_AGENT")
                .into(),
        );
    }
    Ok(())
}

/// Opens a work session on the encrypted base `c.base` for the agent `c.agent`.
pub fn connexion(c: Connexion<'_>) -> Result<Connecte> {
    verifier_chiffree(&c.base)?;
    // A connexion that could not keep its session must neither change a passphrase nor
    // be audited as made.
    Jeton::verifier_emplacement(&c.base)?;
    let mut trousseau = Trousseau::lire(&c.base)?;
    let emplacement = trousseau.agents.get(&c.agent).ok_or_else(|| {
        erreur(format!("l'agent « {} » n'a pas de clé pour cette base", c.agent))
            .aide("vérifiez l'identifiant (--agent) ; un administrateur ajoute un agent avec `spie agent ajouter`")
    })?;
    let identite = emplacement
        .ouvrir(&c.phrase)?
        .ok_or_else(|| erreur("phrase de passe incorrecte").aide(AIDE_PHRASE))?;
    let (mut conn, cle) = ouvrir_par(&c.base, emplacement.cles(&identite)?)?;
    if db::agent::trouver_agent(&conn, &c.agent)?.is_none() {
        return Err(erreur(format!("l'agent « {} » n'est plus enregistré dans cette base", c.agent)).into());
    }
    let provisoire = emplacement.provisoire;
    if provisoire {
        let nouvelle = (c.nouvelle)()?;
        phrase_solide(nouvelle.expose_secret(), &c.agent).map_err(erreur)?;
        if nouvelle.expose_secret() == c.phrase.expose_secret() {
            return Err(erreur("la nouvelle phrase de passe doit différer de la phrase provisoire").into());
        }
        if let Some(e) = trousseau.agents.get_mut(&c.agent) {
            e.changer_de_phrase(&identite, &nouvelle)?;
        }
        trousseau.ecrire(&c.base, false)?;
    }
    consigner(
        &mut conn,
        &c.agent,
        if provisoire {
            "connexion — phrase changée"
        } else {
            "connexion"
        },
    )?;
    let maintenant = maintenant();
    Jeton {
        base: trousseau.base.clone(),
        agent: c.agent.clone(),
        cle,
        ouverte: maintenant,
        activite: maintenant,
        inactivite: c.inactivite,
    }
    .ecrire(&c.base)?;
    Ok(Connecte {
        agent: c.agent,
        phrase_changee: provisoire,
        inactivite_minutes: c.inactivite,
    })
}

const AIDE_PHRASE: &str = "retapez-la ; oubliée, un administrateur vous en donne une nouvelle avec `spie agent \
     reinitialiser` (ou, si aucun administrateur ne s'en souvient, avec le code de secours : `spie base recuperer`)";

/// Whether the work session of the base at `base` was ended (`false`: there was none).
pub fn deconnexion(base: &Path) -> Result<bool> {
    Jeton::effacer(base)
}

/// The work session open on the base at `base`, if it has not ended (an ended one is
/// removed).
pub fn en_cours(base: &Path) -> Result<Jeton> {
    let trousseau = Trousseau::lire(base)?;
    let aucune = || {
        erreur("aucune session ouverte sur cette base chiffrée")
            .aide("ouvrez-en une : spie connexion --agent IDENTIFIANT (votre phrase de passe vous est demandée)")
    };
    let jeton = Jeton::lire(base)?
        .filter(|j| j.base == trousseau.base)
        .ok_or_else(aucune)?;
    if let Some(f) = fin(jeton.ouverte, jeton.activite, jeton.inactivite, maintenant()) {
        Jeton::effacer(base)?;
        return Err(erreur(f.message())
            .aide("reconnectez-vous : spie connexion --agent IDENTIFIANT")
            .into());
    }
    Ok(jeton)
}

/// Records that the session was used now: its idle time starts again. Within a minute of
/// the last record the file is left as it is (the idle time is counted to the minute).
pub fn prolonger(base: &Path, mut jeton: Jeton) -> Result<()> {
    let maintenant = maintenant();
    if maintenant - jeton.activite < chrono::TimeDelta::minutes(1) {
        return Ok(());
    }
    jeton.activite = maintenant;
    jeton.ecrire(base)
}

/// Opens the base with whichever of `cles` is its key.
pub(crate) fn ouvrir_par(base: &Path, cles: Vec<Cle>) -> Result<(Connection, Cle)> {
    let mut erreur_vue = None;
    for cle in cles {
        match db::ouvrir_avec(base, Some(&cle)) {
            Ok(conn) => return Ok((conn, cle)),
            Err(e) => erreur_vue = Some(e),
        }
    }
    Err(erreur_vue.unwrap_or_else(|| anyhow::anyhow!("emplacement de clé vide")))
}

/// An entry of the audit trail outside any command's session (a connexion, a recovery).
pub(crate) fn consigner(conn: &mut Connection, agent: &str, commande: &str) -> Result<()> {
    let tx = db::consultation(conn)?;
    db::acces::consigner(&tx, &db::acces::maintenant(), agent, commande, None)?;
    Ok(tx.commit()?)
}
