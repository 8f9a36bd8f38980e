//! The facts the habilitation rule needs: what an agent is to a dossier.

use anyhow::Result;
use rusqlite::{Connection, OptionalExtension};

use crate::domain::habilitation::Relation;

/// What the agent `agent_id` of the structure `structure_id` is to the dossier's last
/// parcours (or, without one, to the dossier its structure created); `None` when there is
/// no such dossier.
pub fn relation(conn: &Connection, dossier: i64, agent_id: i64, structure_id: i64) -> Result<Option<Relation>> {
    Ok(conn
        .prepare_cached(
            "SELECT
                 coalesce(pa.structure_id, cr.structure_id) = ?3,
                 EXISTS (SELECT 1 FROM referent r WHERE r.parcours_id = pa.id AND r.agent_id = ?2 AND r.fin IS NULL),
                 EXISTS (SELECT 1 FROM membre m WHERE m.parcours_id = pa.id AND m.agent_id = ?2 AND m.fin IS NULL),
                 (SELECT c.partage FROM consentement c WHERE c.dossier = pe.dossier ORDER BY c.date DESC, c.id DESC LIMIT 1)
             FROM personne pe
             JOIN agent cr ON cr.id = pe.cree_par
             LEFT JOIN parcours pa ON pa.id =
                 (SELECT p.id FROM parcours p WHERE p.dossier = pe.dossier ORDER BY p.entree DESC, p.id DESC LIMIT 1)
             WHERE pe.dossier = ?1",
        )?
        .query_row(rusqlite::params![dossier, agent_id, structure_id], |r| {
            Ok(Relation {
                structure_porteuse: r.get(0)?,
                referent: r.get(1)?,
                membre: r.get(2)?,
                consentement: r.get(3)?,
            })
        })
        .optional()?)
}
