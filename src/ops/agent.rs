//! `agent …`: the professionals who use the base; only an administrator adds one.

use anyhow::Result;
use rusqlite::Connection;

use crate::db;
use crate::domain::agent::{Agent, Role, identifiant};
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
}

/// Adds the agent; returns its checked identifier and its structure.
pub fn ajouter(session: &mut Session, n: NouvelAgent) -> Result<(String, Structure)> {
    let id = identifiant(&n.identifiant).map_err(erreur)?;
    let nom = nom("nom", &n.nom).map_err(erreur)?;
    let aujourdhui = session.aujourdhui;
    session.base(Exigence::Admin, true, |tx, _| {
        let s = super::structure::structure(tx, &n.structure)?;
        if db::agent::trouver_agent(tx, &id)?.is_some() {
            return Err(erreur(format!("l'agent « {id} » existe déjà"))
                .aide("`spie agent liste` montre les agents enregistrés")
                .into());
        }
        db::agent::ajouter_agent(tx, &id, &nom, s.id, n.role, aujourdhui)?;
        Ok((id, s))
    })
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
