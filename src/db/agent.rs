//! Structures and the agents who belong to them.

use anyhow::Result;
use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, Row, params};
use serde::Serialize;

use crate::domain::agent::Role;
use crate::domain::texte::normaliser;
use crate::error::erreur;

#[derive(Debug, Clone, Serialize)]
pub struct Structure {
    pub id: i64,
    pub nom: String,
    pub siret: Option<String>,
    pub typologie: Option<String>,
    /// INSEE code.
    pub commune: Option<String>,
    pub agents: i64,
}

pub struct NouvelleStructure<'a> {
    pub nom: &'a str,
    pub siret: Option<&'a str>,
    pub typologie: Option<&'a str>,
    pub commune: Option<&'a str>,
}

pub fn ajouter_structure(conn: &Connection, s: &NouvelleStructure, jour: NaiveDate) -> Result<i64> {
    if trouver_structure(conn, s.nom)?.is_some() {
        return Err(erreur(format!("la structure « {} » existe déjà", s.nom))
            .aide("`spie structure liste` montre les structures enregistrées")
            .into());
    }
    if let Some(siret) = s.siret {
        let deja: Option<String> = conn
            .query_row("SELECT nom FROM structure WHERE siret = ?1", [siret], |r| r.get(0))
            .optional()?;
        if let Some(nom) = deja {
            return Err(erreur(format!("le SIRET {siret} est déjà celui de la structure « {nom} »")).into());
        }
    }
    conn.execute(
        "INSERT INTO structure (nom, nom_norm, siret, typologie, commune, cree_le) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![s.nom, normaliser(s.nom), s.siret, s.typologie, s.commune, jour],
    )?;
    Ok(conn.last_insert_rowid())
}

const SELECT_STRUCTURE: &str = "SELECT s.id, s.nom, s.siret, s.typologie, s.commune,
        (SELECT count(*) FROM agent a WHERE a.structure_id = s.id)
    FROM structure s";

fn structure_de(r: &Row) -> rusqlite::Result<Structure> {
    Ok(Structure {
        id: r.get(0)?,
        nom: r.get(1)?,
        siret: r.get(2)?,
        typologie: r.get(3)?,
        commune: r.get(4)?,
        agents: r.get(5)?,
    })
}

pub fn structures(conn: &Connection) -> Result<Vec<Structure>> {
    let mut stmt = conn.prepare(&format!("{SELECT_STRUCTURE} ORDER BY s.nom_norm"))?;
    let lignes = stmt.query_map([], structure_de)?.collect::<rusqlite::Result<_>>()?;
    Ok(lignes)
}

/// A structure named by its name (accent- and case-insensitive) or its id.
pub fn trouver_structure(conn: &Connection, nom_ou_id: &str) -> Result<Option<Structure>> {
    let sql = format!("{SELECT_STRUCTURE} WHERE s.nom_norm = ?1 OR CAST(s.id AS TEXT) = ?2");
    Ok(conn
        .query_row(&sql, params![normaliser(nom_ou_id), nom_ou_id.trim()], structure_de)
        .optional()?)
}

/// Like [`trouver_structure`], with an error listing the known structures.
pub fn structure(conn: &Connection, nom_ou_id: &str) -> Result<Structure> {
    if let Some(s) = trouver_structure(conn, nom_ou_id)? {
        return Ok(s);
    }
    let noms: Vec<String> = structures(conn)?.into_iter().map(|s| s.nom).collect();
    Err(erreur(format!("structure inconnue : « {} »", nom_ou_id.trim()))
        .aide(if noms.is_empty() {
            "ajoutez-la avec `spie structure ajouter NOM`".to_string()
        } else {
            format!(
                "structures enregistrées : {} ; ou ajoutez-la avec `spie structure ajouter`",
                noms.join(", ")
            )
        })
        .into())
}

#[derive(Debug, Clone, Serialize)]
pub struct Agent {
    #[serde(skip)]
    pub id: i64,
    pub identifiant: String,
    pub nom: String,
    #[serde(skip)]
    pub structure_id: i64,
    pub structure: String,
    pub role: Role,
}

const SELECT_AGENT: &str = "SELECT a.id, a.identifiant, a.nom, a.structure_id, s.nom, a.role
    FROM agent a JOIN structure s ON s.id = a.structure_id";

fn agent_de(r: &Row) -> rusqlite::Result<Agent> {
    let role: String = r.get(5)?;
    Ok(Agent {
        id: r.get(0)?,
        identifiant: r.get(1)?,
        nom: r.get(2)?,
        structure_id: r.get(3)?,
        structure: r.get(4)?,
        role: Role::depuis_code(&role).unwrap_or(Role::Accueil),
    })
}

pub fn ajouter_agent(
    conn: &Connection,
    identifiant: &str,
    nom: &str,
    structure_id: i64,
    role: Role,
    jour: NaiveDate,
) -> Result<i64> {
    let existe: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM agent WHERE identifiant = ?1)",
        [identifiant],
        |r| r.get(0),
    )?;
    if existe {
        return Err(
            erreur(format!("l'agent « {identifiant} » existe déjà (ou a été retiré)"))
                .aide("`spie agent liste` montre les agents enregistrés")
                .into(),
        );
    }
    conn.execute(
        "INSERT INTO agent (identifiant, nom, structure_id, role, cree_le) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![identifiant, nom, structure_id, role.code(), jour],
    )?;
    Ok(conn.last_insert_rowid())
}

/// The agents at work (not removed).
pub fn agents(conn: &Connection) -> Result<Vec<Agent>> {
    let mut stmt = conn.prepare(&format!(
        "{SELECT_AGENT} WHERE a.retire_le IS NULL ORDER BY s.nom_norm, a.identifiant"
    ))?;
    let lignes = stmt.query_map([], agent_de)?.collect::<rusqlite::Result<_>>()?;
    Ok(lignes)
}

/// The agent `identifiant`, unless unknown or removed.
pub fn trouver_agent(conn: &Connection, identifiant: &str) -> Result<Option<Agent>> {
    Ok(conn
        .prepare_cached(&format!(
            "{SELECT_AGENT} WHERE a.identifiant = ?1 AND a.retire_le IS NULL"
        ))?
        .query_row([identifiant.trim()], agent_de)
        .optional()?)
}

/// An agent named on the command line (`--referent`, `parcours referent N AGENT`).
pub fn agent(conn: &Connection, identifiant: &str) -> Result<Agent> {
    trouver_agent(conn, identifiant)?.ok_or_else(|| {
        erreur(format!("agent inconnu : « {} »", identifiant.trim()))
            .aide("`spie agent liste` montre les agents de la base")
            .into()
    })
}

/// Whether the agent `identifiant` was removed from the base.
pub fn retire(conn: &Connection, identifiant: &str) -> Result<bool> {
    Ok(conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM agent WHERE identifiant = ?1 AND retire_le IS NOT NULL)",
        [identifiant.trim()],
        |r| r.get(0),
    )?)
}

/// Removes the agent from the base on `jour`: they no longer work in it, what they did
/// stays theirs.
pub fn retirer(conn: &Connection, identifiant: &str, jour: NaiveDate) -> Result<()> {
    conn.execute(
        "UPDATE agent SET retire_le = ?2 WHERE identifiant = ?1 AND retire_le IS NULL",
        params![identifiant, jour],
    )?;
    Ok(())
}

/// How many administrators are at work.
pub fn administrateurs(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row(
        "SELECT count(*) FROM agent WHERE role = 'admin' AND retire_le IS NULL",
        [],
        |r| r.get(0),
    )?)
}
