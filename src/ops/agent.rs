//! `agent …`: the professionals who use the base; only an administrator adds, removes or
//! gives a new passphrase to one. On an encrypted base each agent has a key slot.

use age::secrecy::{ExposeSecret, SecretString};
use anyhow::Result;
use rusqlite::Connection;

use crate::db;
use crate::db::chiffrement::Cle;
use crate::db::trousseau::{Emplacement, Trousseau};
use crate::domain::agent::{Agent, Role, identifiant};
use crate::domain::connexion::phrase_solide;
use crate::domain::personne::nom;
use crate::domain::structure::Structure;
use crate::error::erreur;
use crate::ops::{Exigence, Session};

pub struct NouvelAgent {
    pub identifiant: String,
    pub nom: String,
    /// The structure's name or number.
    pub structure: String,
    pub role: Role,
    /// On an encrypted base: the one-time passphrase the administrator gives the agent.
    pub phrase: Option<SecretString>,
}

/// Adds the agent; returns its checked identifier and its structure.
pub fn ajouter(session: &mut Session, n: NouvelAgent) -> Result<(String, Structure)> {
    let id = identifiant(&n.identifiant).map_err(erreur)?;
    let nom = nom("nom", &n.nom).map_err(erreur)?;
    let emplacement = emplacement_provisoire(session, &id, n.phrase.as_ref())?;
    let aujourdhui = session.aujourdhui;
    let base = session.chemin().to_path_buf();
    session.base(Exigence::Admin, true, |tx, _| {
        let s = super::structure::structure(tx, &n.structure)?;
        if db::agent::trouver_agent(tx, &id)?.is_some() {
            return Err(erreur(format!("l'agent « {id} » existe déjà (ou a été retiré)"))
                .aide("`spie agent liste` montre les agents enregistrés")
                .into());
        }
        db::agent::ajouter_agent(tx, &id, &nom, s.id, n.role, aujourdhui)?;
        if let Some(e) = emplacement {
            let mut trousseau = Trousseau::lire(&base)?;
            trousseau.agents.insert(id.clone(), e);
            trousseau.ecrire(&base, false)?;
        }
        Ok((id, s))
    })
}

/// On an encrypted base, the key slot of `agent` opened by the one-time `phrase`; on a
/// plain one, nothing (and no passphrase may be given).
fn emplacement_provisoire(
    session: &Session,
    agent: &str,
    phrase: Option<&SecretString>,
) -> Result<Option<Emplacement>> {
    match (session.cle(), phrase) {
        (None, None) => Ok(None),
        (None, Some(_)) => Err(
            erreur("cette base n'est pas chiffrée : ses agents n'ont pas de phrase de passe")
                .aide("retirez --phrase-fichier ; sur une base d'essai, l'agent est donné par --agent")
                .into(),
        ),
        (Some(_), None) => Err(erreur("la phrase de passe provisoire de l'agent manque")
            .aide("donnez-la avec --phrase-fichier FICHIER (droits 0600), ou lancez la commande sur un terminal")
            .into()),
        (Some(cle), Some(phrase)) => {
            phrase_solide(phrase.expose_secret(), agent).map_err(erreur)?;
            Ok(Some(Emplacement::nouveau(phrase, cle, true)?))
        }
    }
}

pub fn liste(session: &mut Session) -> Result<Vec<Agent>> {
    session.base(Exigence::Agent, false, |tx, _| db::agent::agents(tx))
}

/// An agent named on the command line (`--referent`, `parcours referent N AGENT`).
pub fn agent(conn: &Connection, identifiant: &str) -> Result<Agent> {
    db::agent::trouver_agent(conn, identifiant)?.ok_or_else(|| {
        erreur(format!("agent inconnu : « {} »", identifiant.trim()))
            .aide("`spie agent liste` montre les agents de la base")
            .into()
    })
}

/// `agent retirer`: the agent no longer works in the base. On an encrypted base their key
/// slot is removed and the base rekeyed, the new key wrapped to the remaining slots: what
/// the agent knew or kept (passphrase, slot, session, old key) opens it no more.
pub fn retirer(session: &mut Session, agent: &str) -> Result<()> {
    let agent = identifiant(agent).map_err(erreur)?;
    session.preciser(&format!(" {agent}"));
    let aujourdhui = session.aujourdhui;
    session.base(Exigence::Admin, true, |tx, admin| {
        if admin.identifiant == agent {
            return Err(erreur("un administrateur ne se retire pas lui-même")
                .aide("un autre administrateur le fait")
                .into());
        }
        let retire = self::agent(tx, &agent)?;
        db::agent::retirer(tx, &agent, aujourdhui)?;
        if retire.role == Role::Admin && db::agent::administrateurs(tx)? == 0 {
            return Err(erreur("la base doit garder un administrateur").into());
        }
        Ok(())
    })?;
    if session.chiffree() {
        changer_de_cle(session, &agent)?;
    }
    Ok(())
}

/// Gives the base a new key, in three steps that each leave a base its slots open: the
/// new key is added to every remaining slot (the retired one removed), the base rekeyed,
/// then the old key dropped from the slots. The session goes on under the new key.
fn changer_de_cle(session: &mut Session, retire: &str) -> Result<()> {
    let base = session.chemin().to_path_buf();
    let mut trousseau = Trousseau::lire(&base)?;
    trousseau.agents.remove(retire);
    let nouvelle = Cle::generer()?;
    trousseau.envelopper_partout(&nouvelle)?;
    trousseau.ecrire(&base, false)?;
    session.hors_transaction(Exigence::Admin, |conn, _| {
        db::chiffrement::changer_de_cle(conn, &nouvelle)
    })?;
    trousseau.garder_seulement(&nouvelle)?;
    trousseau.ecrire(&base, false)?;
    let mut jeton = crate::ops::connexion::en_cours(&base)?;
    jeton.cle = nouvelle.clone();
    jeton.ecrire(&base)?;
    session.nouvelle_cle(nouvelle);
    Ok(())
}

/// `agent reinitialiser`: a new one-time passphrase for an agent who forgot theirs (a new
/// identity, holding the base's key).
pub fn reinitialiser(session: &mut Session, agent: &str, phrase: Option<SecretString>) -> Result<()> {
    let agent = identifiant(agent).map_err(erreur)?;
    let emplacement = emplacement_provisoire(session, &agent, phrase.as_ref())?.ok_or_else(|| {
        erreur("cette base n'est pas chiffrée : ses agents n'ont pas de phrase de passe")
            .aide("sur une base d'essai, l'agent est donné par --agent")
    })?;
    session.preciser(&format!(" {agent}"));
    let base = session.chemin().to_path_buf();
    session.base(Exigence::Admin, true, |tx, _| {
        self::agent(tx, &agent)?;
        let mut trousseau = Trousseau::lire(&base)?;
        trousseau.agents.insert(agent.clone(), emplacement);
        trousseau.ecrire(&base, false)
    })
}
