//! An agent's caseload: the open parcours they follow (référent or team member), with
//! what the day's work needs. Read from the agent's own rows (indexes on `referent` and
//! `membre` by agent): the cost follows the caseload, not the base.

use anyhow::Result;
use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::{Connection, params};
use serde::Serialize;

use super::habilitation::{Lecteur, condition_visible};
use super::suivi::dernier_contact;
use crate::domain::rdv::TypeContrat;
use crate::domain::suivi::{ObjetEcheance, prochaine_echeance};

/// Reads `"AAAA-MM-JJ x"` (a date and what it belongs to) with `lire` for `x`.
fn date_et<T>(lire: impl Fn(&str) -> Option<T>) -> impl Fn(&str) -> Option<(NaiveDate, T)> {
    move |texte| {
        let (date, x) = texte.split_once(' ')?;
        Some((date.parse().ok()?, lire(x)?))
    }
}

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
    /// The soonest of the plan's open actions' due dates and the end of the parcours'
    /// last contract (see [`prochaine_echeance`]).
    pub prochaine_echeance: Option<NaiveDate>,
    /// What falls due then.
    pub echeance_objet: Option<ObjetEcheance>,
    /// The orientation decided last.
    pub orientation: Option<String>,
    /// Whether the agent is the référent (else a team member).
    pub vous_etes_referent: bool,
    /// The référent's identifier.
    pub referent: Option<String>,
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
                (SELECT ac.echeance || ' ' || ac.id FROM action ac WHERE ac.parcours_id = pa.id
                   AND (ac.statut = 'proposee' OR ac.statut = 'en-cours') AND ac.echeance IS NOT NULL
                   ORDER BY ac.echeance, ac.id LIMIT 1),
                (SELECT o.orientation FROM orientation o WHERE o.parcours_id = pa.id ORDER BY o.date DESC, o.id DESC LIMIT 1),
                max(ids.referent),
                (SELECT {referent} FROM referent r WHERE r.parcours_id = pa.id AND r.fin IS NULL),
                (SELECT c.fin || ' ' || c.type FROM contrat c WHERE c.parcours_id = pa.id AND c.retire = 0
                   ORDER BY c.fin DESC, c.id DESC LIMIT 1),
                (SELECT a.identifiant FROM referent r JOIN agent a ON a.id = r.agent_id
                   WHERE r.parcours_id = pa.id AND r.fin IS NULL)
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
            let (action, contrat): (Option<String>, Option<String>) = (r.get(6)?, r.get(10)?);
            let echeance = prochaine_echeance(
                action.as_deref().and_then(date_et(|id| id.parse().ok())),
                contrat.as_deref().and_then(date_et(TypeContrat::depuis_code)),
            );
            Ok(Suivi {
                dossier: r.get(0)?,
                nom: r.get(1)?,
                prenom: r.get(2)?,
                entree: r.get(3)?,
                dernier_contact: r.get(4)?,
                prochain_rdv: rdv.and_then(|t| NaiveDateTime::parse_from_str(&t, super::rdv::FORMAT).ok()),
                prochaine_echeance: echeance.map(|(d, _)| d),
                echeance_objet: echeance.map(|(_, o)| o),
                orientation: r.get(7)?,
                vous_etes_referent: r.get(8)?,
                referent: r.get(11)?,
                referent_nom: r.get(9)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?)
}
