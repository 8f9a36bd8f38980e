//! The facts the habilitation rule needs: what an agent is to a dossier, one dossier at a
//! time ([`relation`]) or as a condition on many ([`condition_visible`]), both written
//! from the same SQL pieces.

use anyhow::Result;
use rusqlite::{Connection, OptionalExtension, named_params};

use crate::domain::agent::Agent;
use crate::domain::habilitation::Relation;

/// The agent at work, for a condition on many dossiers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lecteur {
    pub agent_id: i64,
    pub structure_id: i64,
}

impl Lecteur {
    pub fn de(agent: &Agent) -> Lecteur {
        Lecteur {
            agent_id: agent.id,
            structure_id: agent.structure_id,
        }
    }
}

/// The dossier `h_pe`, the agent who created it `h_cr` and its last parcours `h_pa`
/// (NULL without one). Aliases of their own, so that the pieces can sit inside any query.
const DEPUIS: &str = "FROM personne h_pe
     JOIN agent h_cr ON h_cr.id = h_pe.cree_par
     LEFT JOIN parcours h_pa ON h_pa.id =
         (SELECT p.id FROM parcours p WHERE p.dossier = h_pe.dossier ORDER BY p.entree DESC, p.id DESC LIMIT 1)";
/// The facts of [`Relation`], in its order, over `DEPUIS`, for `:agent` of `:structure`.
const PORTEUSE: &str = "coalesce(h_pa.structure_id, h_cr.structure_id) = :structure";
const REFERENT: &str =
    "EXISTS (SELECT 1 FROM referent r WHERE r.parcours_id = h_pa.id AND r.agent_id = :agent AND r.fin IS NULL)";
const MEMBRE: &str =
    "EXISTS (SELECT 1 FROM membre m WHERE m.parcours_id = h_pa.id AND m.agent_id = :agent AND m.fin IS NULL)";
const CONSENTEMENT: &str =
    "(SELECT c.partage FROM consentement c WHERE c.dossier = h_pe.dossier ORDER BY c.date DESC, c.id DESC LIMIT 1)";

/// What the agent `agent_id` of the structure `structure_id` is to the dossier's last
/// parcours (or, without one, to the dossier its structure created); `None` when there is
/// no such dossier.
pub fn relation(conn: &Connection, dossier: i64, agent_id: i64, structure_id: i64) -> Result<Option<Relation>> {
    let sql = format!("SELECT {PORTEUSE}, {REFERENT}, {MEMBRE}, {CONSENTEMENT} {DEPUIS} WHERE h_pe.dossier = :dossier");
    Ok(conn
        .prepare_cached(&sql)?
        .query_row(
            named_params! {":dossier": dossier, ":agent": agent_id, ":structure": structure_id},
            |r| {
                Ok(Relation {
                    structure_porteuse: r.get(0)?,
                    referent: r.get(1)?,
                    membre: r.get(2)?,
                    consentement: r.get(3)?,
                })
            },
        )
        .optional()?)
}

/// A SQL condition, true when the dossier numbered by the expression `dossier` is one
/// the agent works on: [`Relation::lien`] written in SQL (the holding structure, or its
/// référent or team member while the last consent is not a refusal). Lists and searches
/// show only those. The ids are numbers, written in the text.
pub fn condition_visible(dossier: &str, lecteur: Lecteur) -> String {
    format!(
        "EXISTS (SELECT 1 {DEPUIS} WHERE h_pe.dossier = {dossier}
             AND ({PORTEUSE} OR (({REFERENT} OR {MEMBRE}) AND {CONSENTEMENT} IS NOT 0)))"
    )
    .replace(":agent", &lecteur.agent_id.to_string())
    .replace(":structure", &lecteur.structure_id.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use rusqlite::params;

    /// Two structures, two agents in each, and dossiers in every relation to them: held
    /// by one or the other, with or without a parcours, a référent or member from the
    /// other structure, consent never asked, given, then withdrawn.
    fn base() -> Connection {
        let mut conn = Connection::open_in_memory().unwrap();
        crate::db::migrations::a_jour(&mut conn).unwrap();
        conn.execute_batch(
            "INSERT INTO structure (id, nom, nom_norm, cree_le) VALUES (1, 'A', 'a', '2026-01-01'), (2, 'B', 'b', '2026-01-01');
             INSERT INTO agent (id, identifiant, nom, structure_id, role, cree_le) VALUES
                 (1, 'a1', 'A1', 1, 'referent', '2026-01-01'), (2, 'a2', 'A2', 1, 'accueil', '2026-01-01'),
                 (3, 'b1', 'B1', 2, 'referent', '2026-01-01'), (4, 'b2', 'B2', 2, 'admin', '2026-01-01');",
        )
        .unwrap();
        let mut dossier = 0;
        for createur in [1, 3] {
            for avec_parcours in [false, true] {
                for equipe in [None, Some(("referent", 3)), Some(("membre", 3)), Some(("membre", 1))] {
                    for consentements in [&[][..], &[true], &[true, false], &[false, true]] {
                        dossier += 1;
                        peupler(&conn, dossier, createur, avec_parcours, equipe, consentements);
                    }
                }
            }
        }
        conn
    }

    fn peupler(
        conn: &Connection,
        dossier: i64,
        createur: i64,
        avec_parcours: bool,
        equipe: Option<(&str, i64)>,
        consentements: &[bool],
    ) {
        conn.execute(
            "INSERT INTO personne (dossier, nom, prenom, naissance, commune, nom_norm, prenom_norm, cree_par, cree_le)
             VALUES (?1, 'N', 'P', '1980-01-01', '55545', 'n', 'p', ?2, '2026-01-01')",
            params![dossier, createur],
        )
        .unwrap();
        for (i, partage) in consentements.iter().enumerate() {
            conn.execute(
                "INSERT INTO consentement (dossier, date, partage, agent_id) VALUES (?1, ?2, ?3, 1)",
                params![dossier, format!("2026-01-0{}", i + 1), partage],
            )
            .unwrap();
        }
        if !avec_parcours {
            return;
        }
        let structure = if createur == 1 { 1 } else { 2 };
        conn.execute(
            "INSERT INTO parcours (dossier, structure_id, entree) VALUES (?1, ?2, '2026-01-01')",
            params![dossier, structure],
        )
        .unwrap();
        let parcours = conn.last_insert_rowid();
        if let Some((table, agent)) = equipe {
            conn.execute(
                &format!("INSERT INTO {table} (parcours_id, agent_id, debut) VALUES (?1, ?2, '2026-01-01')"),
                params![parcours, agent],
            )
            .unwrap();
        }
    }

    #[test]
    fn the_sql_condition_agrees_with_the_rule_on_every_dossier() {
        let conn = base();
        let dossiers: Vec<i64> = conn
            .prepare("SELECT dossier FROM personne ORDER BY dossier")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert!(dossiers.len() >= 60, "{}", dossiers.len());
        let mut vus = 0;
        for (agent_id, structure_id) in [(1, 1), (2, 1), (3, 2), (4, 2)] {
            let lecteur = Lecteur { agent_id, structure_id };
            let sql = format!(
                "SELECT p.dossier FROM personne p WHERE {} ORDER BY p.dossier",
                condition_visible("p.dossier", lecteur)
            );
            let visibles: Vec<i64> = conn
                .prepare(&sql)
                .unwrap()
                .query_map([], |r| r.get(0))
                .unwrap()
                .collect::<rusqlite::Result<_>>()
                .unwrap();
            let selon_la_regle: Vec<i64> = dossiers
                .iter()
                .copied()
                .filter(|d| relation(&conn, *d, agent_id, structure_id).unwrap().unwrap().lien())
                .collect();
            assert_eq!(visibles, selon_la_regle, "agent {agent_id}");
            vus += visibles.len();
        }
        // The base is not trivial: some dossiers are seen, not all.
        assert!(vus > 0 && vus < 4 * dossiers.len(), "{vus}");
    }

    #[test]
    fn a_partner_sees_a_dossier_until_consent_is_withdrawn() {
        let conn = base();
        let b1 = Lecteur {
            agent_id: 3,
            structure_id: 2,
        };
        let visible = |d: i64| -> bool {
            conn.query_row(&format!("SELECT {}", condition_visible(&d.to_string(), b1)), [], |r| {
                r.get(0)
            })
            .unwrap()
        };
        // Dossiers of structure A with a parcours and b1 as référent: 21..=24
        // (no consent, given, given then withdrawn, refused then given).
        assert_eq!([21, 22, 23, 24].map(visible), [true, true, false, true]);
        // A dossier of structure A where b1 has no part.
        assert!(!visible(17));
    }
}
