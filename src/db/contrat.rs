//! Contracts of a parcours (CER, PPAE, CEJ, PACEA) and the answers to prescriptions:
//! dated records, and the facts the to-do list needs.

use anyhow::Result;
use chrono::{Days, NaiveDate};
use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;

use super::habilitation::{Lecteur, condition_visible};
use crate::domain::date::fr;
use crate::domain::prescription::{JOURS_SANS_REPONSE, StatutPrescription};
use crate::domain::rdv::TypeContrat;
use crate::domain::suivi::Correction;

pub use crate::domain::contrat::Contrat;

pub fn ajouter(
    conn: &Connection,
    parcours_id: i64,
    type_: TypeContrat,
    debut: NaiveDate,
    fin: NaiveDate,
    jour: NaiveDate,
    agent_id: i64,
) -> Result<i64> {
    conn.prepare_cached(
        "INSERT INTO contrat (parcours_id, type, debut, fin, cree_le, agent_id) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![parcours_id, type_.code(), debut, fin, jour, agent_id])?;
    Ok(conn.last_insert_rowid())
}

fn contrat_de(r: &rusqlite::Row, k: usize) -> rusqlite::Result<Contrat> {
    let type_: String = r.get(k + 1)?;
    Ok(Contrat {
        id: r.get(k)?,
        type_: TypeContrat::depuis_code(&type_).unwrap_or(TypeContrat::Cer),
        debut: r.get(k + 2)?,
        fin: r.get(k + 3)?,
    })
}

/// The contracts of a dossier (all its parcours), oldest first.
pub fn du_dossier(conn: &Connection, dossier: i64) -> Result<Vec<Contrat>> {
    Ok(conn
        .prepare_cached(
            "SELECT c.id, c.type, c.debut, c.fin FROM contrat c JOIN parcours pa ON pa.id = c.parcours_id
             WHERE pa.dossier = ?1 AND c.retire = 0 ORDER BY c.debut, c.id",
        )?
        .query_map([dossier], |r| contrat_de(r, 0))?
        .collect::<rusqlite::Result<_>>()?)
}

/// A contract by its number: its parcours, the contract, whether it was withdrawn.
pub fn contrat(conn: &Connection, id: i64) -> Result<Option<(i64, Contrat, bool)>> {
    Ok(conn
        .prepare_cached("SELECT parcours_id, id, type, debut, fin, retire FROM contrat WHERE id = ?1")?
        .query_row([id], |r| Ok((r.get(0)?, contrat_de(r, 1)?, r.get(5)?)))
        .optional()?)
}

/// Gives the contract `id` new dates (`None`: withdrawn), the previous ones kept in
/// `contrat_correction` with the day, the reason and the agent.
pub fn corriger(
    conn: &Connection,
    id: i64,
    dates: Option<(NaiveDate, NaiveDate)>,
    motif: &str,
    jour: NaiveDate,
    agent_id: i64,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO contrat_correction (contrat_id, date, ancien_debut, ancien_fin, retrait, motif, agent_id)
         SELECT id, ?2, debut, fin, ?3, ?4, ?5 FROM contrat WHERE id = ?1",
    )?
    .execute(params![id, jour, dates.is_none(), motif, agent_id])?;
    match dates {
        Some((debut, fin)) => conn
            .prepare_cached("UPDATE contrat SET debut = ?2, fin = ?3 WHERE id = ?1")?
            .execute(params![id, debut, fin])?,
        None => conn
            .prepare_cached("UPDATE contrat SET retire = 1 WHERE id = ?1")?
            .execute([id])?,
    };
    Ok(())
}

/// The corrections and withdrawals of a dossier's contracts, oldest first, as history
/// lines (the previous type and dates in words).
pub fn corrections(conn: &Connection, dossier: i64, lecteur: i64) -> Result<Vec<Correction>> {
    Ok(conn
        .prepare_cached(&format!(
            "SELECT k.date, c.id, c.type, k.ancien_debut, k.ancien_fin, k.retrait, k.motif, {}
             FROM contrat_correction k JOIN contrat c ON c.id = k.contrat_id
             JOIN parcours pa ON pa.id = c.parcours_id
             WHERE pa.dossier = ?1 ORDER BY k.date, k.id",
            super::agent::nom_vu("k.agent_id", Some(lecteur))
        ))?
        .query_map([dossier], |r| {
            let type_: String = r.get(2)?;
            let mot = TypeContrat::depuis_code(&type_).map_or(type_.clone(), |t| t.mot().to_owned());
            Ok(Correction {
                date: r.get(0)?,
                element: format!("contrat {}", r.get::<_, i64>(1)?),
                ancien: format!("{mot} du {} au {}", fr(r.get(3)?), fr(r.get(4)?)),
                retrait: r.get(5)?,
                motif: r.get(6)?,
                agent: r.get(7)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?)
}

/// The open parcours the to-do list looks at: those `lecteur` follows (référent or team
/// member), or, with `tous`, every open one; the dossiers they may see.
fn suivis(lecteur: Lecteur, tous: bool) -> String {
    let ids = if tous {
        "SELECT id FROM parcours WHERE sortie IS NULL".to_owned()
    } else {
        format!(
            "SELECT parcours_id FROM referent WHERE agent_id = {a} AND fin IS NULL
             UNION SELECT parcours_id FROM membre WHERE agent_id = {a} AND fin IS NULL",
            a = lecteur.agent_id
        )
    };
    format!(
        "pa.sortie IS NULL AND pa.id IN ({ids}) AND {}",
        condition_visible("pa.dossier", lecteur)
    )
}

/// A fact of the to-do list: the dossier, the person (given name and name) and the thing.
pub struct Echeance<T> {
    pub dossier: i64,
    pub personne: String,
    pub objet: T,
}

/// The last contract of each followed parcours, when it ends within 30 days of
/// `aujourdhui` or has ended without a new one.
pub fn a_echeance(
    conn: &Connection,
    aujourdhui: NaiveDate,
    lecteur: Lecteur,
    tous: bool,
) -> Result<Vec<Echeance<Contrat>>> {
    let sql = format!(
        "SELECT pa.dossier, pe.prenom || ' ' || pe.nom, c.id, c.type, c.debut, c.fin
         FROM parcours pa JOIN personne pe ON pe.dossier = pa.dossier
         JOIN contrat c ON c.id = (SELECT x.id FROM contrat x WHERE x.parcours_id = pa.id AND x.retire = 0 ORDER BY x.fin DESC, x.id DESC LIMIT 1)
         WHERE c.fin <= ?1 AND {}",
        suivis(lecteur, tous)
    );
    let dans_30_jours = aujourdhui + Days::new(30);
    Ok(conn
        .prepare_cached(&sql)?
        .query_map([dans_30_jours], |r| {
            Ok(Echeance {
                dossier: r.get(0)?,
                personne: r.get(1)?,
                objet: contrat_de(r, 2)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?)
}

/// A prescription sent without answer: its action's number, label and day sent.
pub struct SansReponse {
    pub action: i64,
    pub libelle: String,
    pub envoyee_le: NaiveDate,
}

/// The prescriptions of followed parcours sent at least 15 days before `aujourdhui`
/// without any answer since.
pub fn sans_reponse(
    conn: &Connection,
    aujourdhui: NaiveDate,
    lecteur: Lecteur,
    tous: bool,
) -> Result<Vec<Echeance<SansReponse>>> {
    let sql = format!(
        "SELECT pa.dossier, pe.prenom || ' ' || pe.nom, ac.id, ac.libelle, st.date
         FROM parcours pa JOIN personne pe ON pe.dossier = pa.dossier
         JOIN action ac ON ac.parcours_id = pa.id AND ac.offre_id IS NOT NULL
         JOIN prescription_statut st ON st.id =
             (SELECT x.id FROM prescription_statut x WHERE x.action_id = ac.id ORDER BY x.date DESC, x.id DESC LIMIT 1)
         WHERE st.statut = 'envoyee' AND st.date <= ?1 AND {}",
        suivis(lecteur, tous)
    );
    let limite = aujourdhui - Days::new(JOURS_SANS_REPONSE);
    Ok(conn
        .prepare_cached(&sql)?
        .query_map([limite], |r| {
            Ok(Echeance {
                dossier: r.get(0)?,
                personne: r.get(1)?,
                objet: SansReponse {
                    action: r.get(2)?,
                    libelle: r.get(3)?,
                    envoyee_le: r.get(4)?,
                },
            })
        })?
        .collect::<rusqlite::Result<_>>()?)
}

/// The last recorded answer to the prescription (action) `action`: status and date;
/// `None` while it is proposee.
pub fn statut_prescription(conn: &Connection, action: i64) -> Result<Option<(StatutPrescription, NaiveDate)>> {
    Ok(conn
        .prepare_cached(
            "SELECT statut, date FROM prescription_statut WHERE action_id = ?1 ORDER BY date DESC, id DESC LIMIT 1",
        )?
        .query_row([action], |r| {
            let s: String = r.get(0)?;
            Ok((
                StatutPrescription::depuis_code(&s).unwrap_or(StatutPrescription::Proposee),
                r.get(1)?,
            ))
        })
        .optional()?)
}

pub fn repondre(
    conn: &Connection,
    action: i64,
    statut: StatutPrescription,
    date: NaiveDate,
    motif: Option<&str>,
    agent_id: i64,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO prescription_statut (action_id, date, statut, motif, agent_id) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![action, date, statut.code(), motif, agent_id])?;
    Ok(())
}

/// A step of a prescription's history.
#[derive(Debug, Clone, Serialize)]
pub struct EtapePrescription {
    pub date: NaiveDate,
    pub statut: StatutPrescription,
    pub motif: Option<String>,
    pub agent: String,
}

pub fn historique_prescription(conn: &Connection, action: i64) -> Result<Vec<EtapePrescription>> {
    Ok(conn
        .prepare_cached(
            "SELECT st.date, st.statut, st.motif, a.identifiant FROM prescription_statut st
             JOIN agent a ON a.id = st.agent_id WHERE st.action_id = ?1 ORDER BY st.date, st.id",
        )?
        .query_map([action], |r| {
            let s: String = r.get(1)?;
            Ok(EtapePrescription {
                date: r.get(0)?,
                statut: StatutPrescription::depuis_code(&s).unwrap_or(StatutPrescription::Proposee),
                motif: r.get(2)?,
                agent: r.get(3)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?)
}
