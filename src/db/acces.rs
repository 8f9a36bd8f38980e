//! The audit trail: who read or wrote which dossier, when, with which command. Each entry
//! is chained to the previous one by SHA-256; pruning old entries keeps the hash of the
//! last one removed as the anchor of the chain.

use anyhow::Result;
use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::meta;

/// Meta key of the hash the first remaining entry is chained to.
const ANCRE: &str = "acces_ancre";
const ORIGINE: &str = "0000000000000000000000000000000000000000000000000000000000000000";

#[derive(Debug, Clone, Serialize)]
pub struct Entree {
    pub id: i64,
    pub horodatage: String,
    pub agent: String,
    pub commande: String,
    pub dossier: Option<i64>,
    #[serde(skip)]
    pub empreinte: String,
}

fn empreinte(precedente: &str, horodatage: &str, agent: &str, commande: &str, dossier: Option<i64>) -> String {
    let dossier = dossier.map_or(String::new(), |d| d.to_string());
    let texte = format!("{precedente}|{horodatage}|{agent}|{commande}|{dossier}");
    Sha256::digest(texte.as_bytes())
        .iter()
        .map(|o| format!("{o:02x}"))
        .collect()
}

fn ancre(conn: &Connection) -> Result<String> {
    Ok(meta::lire(conn, ANCRE)?.unwrap_or_else(|| ORIGINE.to_owned()))
}

/// Appends an entry, chained to the last one.
pub fn consigner(conn: &Connection, horodatage: &str, agent: &str, commande: &str, dossier: Option<i64>) -> Result<()> {
    let precedente: Option<String> = conn
        .prepare_cached("SELECT empreinte FROM acces ORDER BY id DESC LIMIT 1")?
        .query_row([], |r| r.get(0))
        .optional()?;
    let precedente = match precedente {
        Some(p) => p,
        None => ancre(conn)?,
    };
    let e = empreinte(&precedente, horodatage, agent, commande, dossier);
    conn.prepare_cached(
        "INSERT INTO acces (horodatage, agent, commande, dossier, empreinte) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![horodatage, agent, commande, dossier, e])?;
    Ok(())
}

/// The entries, oldest first, of one dossier or of all.
pub fn entrees(conn: &Connection, dossier: Option<i64>) -> Result<Vec<Entree>> {
    let lignes = conn
        .prepare("SELECT id, horodatage, agent, commande, dossier, empreinte FROM acces WHERE ?1 IS NULL OR dossier = ?1 ORDER BY id")?
        .query_map([dossier], |r| {
            Ok(Entree {
                id: r.get(0)?,
                horodatage: r.get(1)?,
                agent: r.get(2)?,
                commande: r.get(3)?,
                dossier: r.get(4)?,
                empreinte: r.get(5)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(lignes)
}

/// An entry of the trail on a dossier the agent `referent` is the référent of now.
#[derive(Debug, Clone)]
pub struct EntreeSuivie {
    pub dossier: i64,
    /// Given name and name.
    pub personne: String,
    pub horodatage: String,
    pub agent: String,
    pub commande: String,
}

/// The entries since `depuis` whose command holds `marque`, on the dossiers whose open
/// parcours has `referent` as référent, newest first.
pub fn marquees_chez(conn: &Connection, referent: i64, depuis: NaiveDate, marque: &str) -> Result<Vec<EntreeSuivie>> {
    let lignes = conn
        .prepare_cached(
            "SELECT ac.dossier, pe.prenom || ' ' || pe.nom, ac.horodatage, ac.agent, ac.commande
             FROM referent r
             JOIN parcours pa ON pa.id = r.parcours_id AND pa.sortie IS NULL
             JOIN personne pe ON pe.dossier = pa.dossier
             JOIN acces ac ON ac.dossier = pa.dossier
             WHERE r.agent_id = ?1 AND r.fin IS NULL AND ac.horodatage >= ?2 AND instr(ac.commande, ?3) > 0
             ORDER BY ac.id DESC",
        )?
        .query_map(params![referent, depuis.to_string(), marque], |r| {
            Ok(EntreeSuivie {
                dossier: r.get(0)?,
                personne: r.get(1)?,
                horodatage: r.get(2)?,
                agent: r.get(3)?,
                commande: r.get(4)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(lignes)
}

/// The first entry whose hash does not follow from the previous one, as a French
/// sentence: an entry edited, removed, inserted or moved.
pub fn verifier(conn: &Connection) -> Result<Option<String>> {
    let mut precedente = ancre(conn)?;
    for (position, e) in entrees(conn, None)?.iter().enumerate() {
        let attendue = empreinte(&precedente, &e.horodatage, &e.agent, &e.commande, e.dossier);
        if attendue != e.empreinte {
            return Ok(Some(format!(
                "journal des accès rompu à la position {} (entrée n° {}) : entrée modifiée, ou entrée précédente supprimée ou déplacée",
                position + 1,
                e.id
            )));
        }
        precedente = e.empreinte.clone();
    }
    Ok(None)
}

/// Removes the entries before `avant` (an ISO date); the chain stays verifiable from the
/// hash of the last entry removed. Returns the number removed.
pub fn elaguer(conn: &Connection, avant: &str) -> Result<usize> {
    let derniere: Option<(i64, String)> = conn
        .query_row(
            "SELECT id, empreinte FROM acces WHERE horodatage < ?1 ORDER BY id DESC LIMIT 1",
            [avant],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let Some((id, empreinte)) = derniere else { return Ok(0) };
    let n = conn.execute("DELETE FROM acces WHERE id <= ?1", [id])?;
    meta::ecrire(conn, ANCRE, &empreinte)?;
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> Connection {
        let mut conn = Connection::open_in_memory().unwrap();
        super::super::migrations::a_jour(&mut conn).unwrap();
        conn
    }

    #[test]
    fn the_chain_detects_edits_removals_and_moves_and_survives_pruning() {
        let conn = base();
        for (i, jour) in ["2025-01-10", "2025-06-01", "2026-02-01", "2026-11-01"]
            .iter()
            .enumerate()
        {
            consigner(
                &conn,
                &format!("{jour}T10:00:00"),
                "m.durand",
                "parcours voir",
                Some(i as i64 + 1),
            )
            .unwrap();
        }
        assert_eq!(verifier(&conn).unwrap(), None);
        conn.execute("UPDATE acces SET dossier = 9 WHERE id = 2", []).unwrap();
        assert!(verifier(&conn).unwrap().unwrap().contains("position 2"));
        conn.execute("UPDATE acces SET dossier = 2 WHERE id = 2", []).unwrap();
        assert_eq!(verifier(&conn).unwrap(), None);
        assert_eq!(elaguer(&conn, "2025-11-26").unwrap(), 2);
        assert_eq!(verifier(&conn).unwrap(), None, "l'élagage ne rompt pas la chaîne");
        consigner(&conn, "2026-11-02T09:00:00", "admin", "parcours clore", Some(3)).unwrap();
        conn.execute("DELETE FROM acces WHERE id = 3", []).unwrap();
        assert!(verifier(&conn).unwrap().unwrap().contains("position 1"));
    }
}
