//! Parcours (periods of follow-up) and their référents over time.

use super::habilitation::Lecteur;
use anyhow::Result;
use chrono::NaiveDate;
use rusqlite::types::ToSql;
use rusqlite::{Connection, OptionalExtension, params};

use crate::domain::parcours::{LigneDossier, MotifSortie, Parcours, PeriodeReferent};

pub fn ouvrir(conn: &Connection, dossier: i64, structure_id: i64, entree: NaiveDate) -> Result<i64> {
    conn.prepare_cached("INSERT INTO parcours (dossier, structure_id, entree) VALUES (?1, ?2, ?3)")?
        .execute(params![dossier, structure_id, entree])?;
    Ok(conn.last_insert_rowid())
}

/// Closes the parcours; its active référent's period ends on the same day.
pub fn clore(conn: &Connection, parcours_id: i64, sortie: NaiveDate, motif: MotifSortie) -> Result<()> {
    conn.prepare_cached("UPDATE parcours SET sortie = ?2, motif_sortie = ?3 WHERE id = ?1")?
        .execute(params![parcours_id, sortie, motif.code()])?;
    conn.prepare_cached("UPDATE referent SET fin = ?2 WHERE parcours_id = ?1 AND fin IS NULL")?
        .execute(params![parcours_id, sortie])?;
    Ok(())
}

/// Makes `agent_id` the référent from `debut`; the previous one's period ends that day.
pub fn designer_referent(conn: &Connection, parcours_id: i64, agent_id: i64, debut: NaiveDate) -> Result<()> {
    conn.prepare_cached("UPDATE referent SET fin = ?2 WHERE parcours_id = ?1 AND fin IS NULL")?
        .execute(params![parcours_id, debut])?;
    conn.prepare_cached("INSERT INTO referent (parcours_id, agent_id, debut) VALUES (?1, ?2, ?3)")?
        .execute(params![parcours_id, agent_id, debut])?;
    Ok(())
}

/// Every parcours of a dossier, oldest first, with their référents.
pub fn du_dossier(conn: &Connection, dossier: i64) -> Result<Vec<Parcours>> {
    let mut parcours: Vec<Parcours> = conn
        .prepare_cached(
            "SELECT pa.id, pa.dossier, s.nom, pa.entree, pa.sortie, pa.motif_sortie, s.id
             FROM parcours pa JOIN structure s ON s.id = pa.structure_id
             WHERE pa.dossier = ?1 ORDER BY pa.entree, pa.id",
        )?
        .query_map([dossier], |r| {
            let motif: Option<String> = r.get(5)?;
            Ok(Parcours {
                id: r.get(0)?,
                dossier: r.get(1)?,
                structure_id: r.get(6)?,
                structure: r.get(2)?,
                entree: r.get(3)?,
                sortie: r.get(4)?,
                motif_sortie: motif.as_deref().and_then(MotifSortie::depuis_code),
                referents: Vec::new(),
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut stmt = conn.prepare_cached(
        "SELECT a.identifiant, a.nom, r.debut, r.fin FROM referent r JOIN agent a ON a.id = r.agent_id
         WHERE r.parcours_id = ?1 ORDER BY r.debut, r.id",
    )?;
    for p in &mut parcours {
        p.referents = stmt
            .query_map([p.id], |r| {
                Ok(PeriodeReferent {
                    agent: r.get(0)?,
                    nom: r.get(1)?,
                    debut: r.get(2)?,
                    fin: r.get(3)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
    }
    Ok(parcours)
}

/// The open parcours of a dossier, if any.
pub fn ouvert(conn: &Connection, dossier: i64) -> Result<Option<Parcours>> {
    Ok(du_dossier(conn, dossier)?.into_iter().find(Parcours::est_ouvert))
}

/// Whether the dossier has an open parcours (one indexed lookup).
pub fn a_un_parcours_ouvert(conn: &Connection, dossier: i64) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM parcours WHERE dossier = ?1 AND sortie IS NULL")?
        .query_row([dossier], |_| Ok(()))
        .optional()?
        .is_some())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Statut {
    Ouvert,
    Clos,
}

/// Which dossiers to list; every field narrows the list.
#[derive(Debug, Default)]
pub struct Filtre {
    pub statut: Option<Statut>,
    pub referent: Option<String>,
    /// INSEE codes of the communes to keep.
    pub communes: Option<Vec<String>>,
    pub dossiers: Option<Vec<i64>>,
    /// Open parcours whose last contact (or entry, without contact) is before this day.
    pub sans_contact_avant: Option<NaiveDate>,
    pub limite: Option<usize>,
    /// Only the dossiers this agent may see (see [`super::habilitation::condition_visible`]).
    pub lecteur: Option<Lecteur>,
}

/// Dossiers with their latest parcours and its (last) référent, sorted by name.
pub fn lignes(conn: &Connection, filtre: &Filtre) -> Result<Vec<LigneDossier>> {
    let mut conditions: Vec<&str> = Vec::new();
    let mut valeurs: Vec<Box<dyn ToSql>> = Vec::new();
    match filtre.statut {
        Some(Statut::Ouvert) => conditions.push("pa.sortie IS NULL"),
        Some(Statut::Clos) => conditions.push("pa.sortie IS NOT NULL"),
        None => {}
    }
    if let Some(referent) = &filtre.referent {
        // The first condition narrows the scan to the agent's dossiers (index on
        // referent.agent_id); the second keeps those whose last référent they are.
        conditions.push(
            "p.dossier IN (SELECT pa2.dossier FROM referent r2 JOIN parcours pa2 ON pa2.id = r2.parcours_id
                           WHERE r2.agent_id = (SELECT id FROM agent WHERE identifiant = ?))",
        );
        conditions.push("a.identifiant = ?");
        valeurs.push(Box::new(referent.clone()));
        valeurs.push(Box::new(referent.clone()));
    }
    if let Some(communes) = &filtre.communes {
        conditions.push("p.commune IN (SELECT value FROM json_each(?))");
        valeurs.push(Box::new(serde_json::to_string(communes)?));
    }
    if let Some(dossiers) = &filtre.dossiers {
        conditions.push("p.dossier IN (SELECT value FROM json_each(?))");
        valeurs.push(Box::new(serde_json::to_string(dossiers)?));
    }
    let visible;
    if let Some(lecteur) = filtre.lecteur {
        visible = super::habilitation::condition_visible("p.dossier", lecteur);
        conditions.push(&visible);
    }
    let contact;
    let mut dernier_contact = "NULL".to_owned();
    if let Some(limite) = filtre.sans_contact_avant {
        dernier_contact = super::suivi::dernier_contact("pa");
        contact = format!("pa.sortie IS NULL AND coalesce({dernier_contact}, pa.entree) < ?");
        conditions.push(&contact);
        valeurs.push(Box::new(limite));
    }
    let clause = if conditions.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", conditions.join(" AND "))
    };
    let limite = filtre.limite.map(|l| format!("LIMIT {l}")).unwrap_or_default();
    let sql = format!(
        "SELECT p.dossier, p.nom, p.prenom, p.naissance, p.commune, pa.entree, pa.sortie, pa.motif_sortie, a.identifiant,
                {}, {dernier_contact}
         FROM personne p
         JOIN parcours pa ON pa.id = (SELECT max(id) FROM parcours WHERE dossier = p.dossier)
         LEFT JOIN referent r ON r.id = (SELECT id FROM referent WHERE parcours_id = pa.id ORDER BY debut DESC, id DESC LIMIT 1)
         LEFT JOIN agent a ON a.id = r.agent_id
         {clause}
         ORDER BY p.nom_norm, p.prenom_norm, p.dossier {limite}",
        super::agent::nom_vu("a.id", filtre.lecteur.map(|l| l.structure_id))
    );
    let mut stmt = conn.prepare(&sql)?;
    let lignes = stmt
        .query_map(rusqlite::params_from_iter(valeurs.iter()), |r| {
            Ok(LigneDossier {
                dossier: r.get(0)?,
                nom: r.get(1)?,
                prenom: r.get(2)?,
                naissance: r.get(3)?,
                commune: r.get(4)?,
                entree: r.get(5)?,
                sortie: r.get(6)?,
                motif_sortie: r.get(7)?,
                referent: r.get(8)?,
                referent_nom: r.get(9)?,
                dernier_contact: r.get(10)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(lignes)
}

/// The dossier a parcours belongs to.
pub fn dossier_du_parcours(conn: &Connection, parcours_id: i64) -> Result<i64> {
    Ok(conn
        .prepare_cached("SELECT dossier FROM parcours WHERE id = ?1")?
        .query_row([parcours_id], |r| r.get(0))?)
}
