//! Structures and the agents who belong to them.

use anyhow::Result;
use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, Row, params};

use crate::domain::agent::{Agent, Role};
use crate::domain::structure::Structure;
use crate::domain::texte::normaliser;

pub struct NouvelleStructure<'a> {
    pub nom: &'a str,
    pub siret: Option<&'a str>,
    pub typologie: Option<&'a str>,
    pub commune: Option<&'a str>,
}

pub fn ajouter_structure(conn: &Connection, s: &NouvelleStructure, jour: NaiveDate) -> Result<i64> {
    conn.execute(
        "INSERT INTO structure (nom, nom_norm, siret, typologie, commune, cree_le) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![s.nom, normaliser(s.nom), s.siret, s.typologie, s.commune, jour],
    )?;
    Ok(conn.last_insert_rowid())
}

/// The name of the structure whose SIRET is `siret`, if any.
pub fn structure_du_siret(conn: &Connection, siret: &str) -> Result<Option<String>> {
    Ok(conn
        .query_row("SELECT nom FROM structure WHERE siret = ?1", [siret], |r| r.get(0))
        .optional()?)
}

const SELECT_STRUCTURE: &str = "SELECT s.id, s.nom, s.siret, s.typologie, s.commune,
        (SELECT count(*) FROM agent a WHERE a.structure_id = s.id), s.adresse, s.telephone
    FROM structure s";

fn structure_de(r: &Row) -> rusqlite::Result<Structure> {
    Ok(Structure {
        id: r.get(0)?,
        nom: r.get(1)?,
        siret: r.get(2)?,
        typologie: r.get(3)?,
        commune: r.get(4)?,
        agents: r.get(5)?,
        adresse: r.get(6)?,
        telephone: r.get(7)?,
    })
}

/// SQL: the name of the agent whose id is the expression `agent_id`, as shown to a reader
/// of the structure `lecteur`: the name alone for an agent of that structure, followed by
/// their structure's in parentheses otherwise (`Léa Roux (Mission locale)`); the name
/// alone without reader.
pub fn nom_vu(agent_id: &str, lecteur: Option<i64>) -> String {
    nom_vu_ou(&format!("nv_a.id = {agent_id}"), lecteur)
}

/// Like [`nom_vu`], for the agent whose identifier is the expression `identifiant` (the
/// audit trail names agents so); `NULL` for an identifier no agent has.
pub fn nom_vu_de(identifiant: &str, lecteur: Option<i64>) -> String {
    nom_vu_ou(&format!("nv_a.identifiant = {identifiant}"), lecteur)
}

fn nom_vu_ou(condition: &str, lecteur: Option<i64>) -> String {
    match lecteur {
        Some(structure) => format!(
            "(SELECT nv_a.nom || CASE WHEN nv_a.structure_id = {structure} THEN '' ELSE ' (' || nv_s.nom || ')' END
              FROM agent nv_a JOIN structure nv_s ON nv_s.id = nv_a.structure_id WHERE {condition})"
        ),
        None => format!("(SELECT nv_a.nom FROM agent nv_a WHERE {condition})"),
    }
}

/// Each agent's identifier (retired ones included) and their name as shown to a reader of
/// the structure `lecteur` ([`nom_vu`]).
pub fn noms_vus(conn: &Connection, lecteur: i64) -> Result<std::collections::HashMap<String, String>> {
    let sql = format!("SELECT a.identifiant, {} FROM agent a", nom_vu("a.id", Some(lecteur)));
    let noms = conn
        .prepare(&sql)?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(noms)
}

/// Sets (or, with `None`, removes) the postal address and the telephone of the structure
/// `id`, printed on its convocations.
pub fn modifier_coordonnees(conn: &Connection, id: i64, adresse: Option<&str>, telephone: Option<&str>) -> Result<()> {
    conn.execute(
        "UPDATE structure SET adresse = ?2, telephone = ?3 WHERE id = ?1",
        params![id, adresse, telephone],
    )?;
    Ok(())
}

pub fn structures(conn: &Connection) -> Result<Vec<Structure>> {
    let mut stmt = conn.prepare(&format!("{SELECT_STRUCTURE} ORDER BY s.nom_norm"))?;
    let lignes = stmt.query_map([], structure_de)?.collect::<rusqlite::Result<_>>()?;
    Ok(lignes)
}

/// The base's own structure (the first created), by name.
pub fn structure_de_la_base(conn: &Connection) -> Result<Option<String>> {
    Ok(conn
        .query_row("SELECT nom FROM structure ORDER BY id LIMIT 1", [], |r| r.get(0))
        .optional()?)
}

/// A structure named by its name (accent- and case-insensitive) or its id.
pub fn trouver_structure(conn: &Connection, nom_ou_id: &str) -> Result<Option<Structure>> {
    let sql = format!("{SELECT_STRUCTURE} WHERE s.nom_norm = ?1 OR CAST(s.id AS TEXT) = ?2");
    Ok(conn
        .query_row(&sql, params![normaliser(nom_ou_id), nom_ou_id.trim()], structure_de)
        .optional()?)
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

/// The agent `identifiant`, unless unknown or removed; identifiers are lower case, so
/// `C.Mercier` finds `c.mercier`.
pub fn trouver_agent(conn: &Connection, identifiant: &str) -> Result<Option<Agent>> {
    Ok(conn
        .prepare_cached(&format!(
            "{SELECT_AGENT} WHERE a.identifiant = ?1 AND a.retire_le IS NULL"
        ))?
        .query_row([identifiant.trim().to_lowercase()], agent_de)
        .optional()?)
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
/// The active administrators of the structure `structure_id`.
pub fn administrateurs_de(conn: &Connection, structure_id: i64) -> Result<i64> {
    Ok(conn.query_row(
        "SELECT count(*) FROM agent WHERE role = 'admin' AND retire_le IS NULL AND structure_id = ?1",
        [structure_id],
        |r| r.get(0),
    )?)
}

pub fn administrateurs(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row(
        "SELECT count(*) FROM agent WHERE role = 'admin' AND retire_le IS NULL",
        [],
        |r| r.get(0),
    )?)
}
