//! An agent's caseload: the open parcours they follow (référent or team member), with
//! what the day's work needs. Read from the agent's own rows (indexes on `referent` and
//! `membre` by agent): the cost follows the caseload, not the base.

use anyhow::Result;
use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::{Connection, params};
use serde::Serialize;

use super::habilitation::{Lecteur, condition_visible};
use super::suivi::dernier_contact;

/// A dossier of the caseload.
#[derive(Debug, Clone, Serialize)]
pub struct Suivi {
    pub dossier: i64,
    pub nom: String,
    pub prenom: String,
    pub entree: NaiveDate,
    /// The last contact (journal entry of a contact type, or appointment attended).
    pub dernier_contact: Option<NaiveDate>,
    /// The next planned appointment, from today on.
    pub prochain_rdv: Option<NaiveDateTime>,
    /// The earliest due date of the plan's open actions.
    pub prochaine_echeance: Option<NaiveDate>,
    /// The orientation decided last.
    pub orientation: Option<String>,
    /// Whether the agent is the référent (else a team member).
    pub referent: bool,
    /// The référent's name, and structure when it is not the agent's.
    pub referent_nom: Option<String>,
}

pub fn suivis(conn: &Connection, lecteur: Lecteur, aujourdhui: NaiveDate) -> Result<Vec<Suivi>> {
    let sql = format!(
        "WITH ids AS MATERIALIZED (
            SELECT parcours_id AS id, 1 AS referent FROM referent WHERE agent_id = ?1 AND fin IS NULL
            UNION SELECT parcours_id, 0 FROM membre WHERE agent_id = ?1 AND fin IS NULL
         )
         SELECT pa.dossier, pe.nom, pe.prenom, pa.entree, {contact},
                (SELECT min(r.debut) FROM rdv r WHERE r.parcours_id = pa.id AND r.statut = 'prevu' AND r.debut >= ?2),
                (SELECT min(ac.echeance) FROM action ac WHERE ac.parcours_id = pa.id
                   AND (ac.statut = 'proposee' OR ac.statut = 'en-cours')),
                (SELECT o.orientation FROM orientation o WHERE o.parcours_id = pa.id ORDER BY o.date DESC, o.id DESC LIMIT 1),
                max(ids.referent),
                (SELECT {referent} FROM referent r WHERE r.parcours_id = pa.id AND r.fin IS NULL)
         FROM ids JOIN parcours pa ON pa.id = ids.id JOIN personne pe ON pe.dossier = pa.dossier
         WHERE pa.sortie IS NULL AND {visible}
         GROUP BY pa.id",
        contact = dernier_contact("pa"),
        visible = condition_visible("pa.dossier", lecteur),
        referent = super::agent::nom_vu("r.agent_id", Some(lecteur.structure_id)),
    );
    Ok(conn
        .prepare_cached(&sql)?
        .query_map(params![lecteur.agent_id, aujourdhui.to_string()], |r| {
            let rdv: Option<String> = r.get(5)?;
            Ok(Suivi {
                dossier: r.get(0)?,
                nom: r.get(1)?,
                prenom: r.get(2)?,
                entree: r.get(3)?,
                dernier_contact: r.get(4)?,
                prochain_rdv: rdv.and_then(|t| NaiveDateTime::parse_from_str(&t, super::rdv::FORMAT).ok()),
                prochaine_echeance: r.get(6)?,
                orientation: r.get(7)?,
                referent: r.get(8)?,
                referent_nom: r.get(9)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?)
}
