//! Appointments: planned, their outcome, an agent's agenda, and the facts the to-do list
//! and the statistics need. Facts only: the caller words them.

use anyhow::Result;
use chrono::{NaiveDate, NaiveDateTime};
use rusqlite::{Connection, OptionalExtension, Row, params};

use super::habilitation::{Lecteur, condition_visible};
use crate::domain::personne::Sexe;
use crate::domain::rdv::{Rdv, StatutRdv, TypeRdv};
use crate::domain::suivi::Correction;

/// How a moment is stored: local time to the minute, sorting as text.
pub const FORMAT: &str = "%Y-%m-%dT%H:%M";

pub fn texte(moment: NaiveDateTime) -> String {
    moment.format(FORMAT).to_string()
}

fn moment(r: &Row, i: usize) -> rusqlite::Result<NaiveDateTime> {
    let t: String = r.get(i)?;
    NaiveDateTime::parse_from_str(&t, FORMAT)
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(i, rusqlite::types::Type::Text, Box::new(e)))
}

pub struct NouveauRdv<'a> {
    pub parcours_id: i64,
    pub agent_id: i64,
    pub debut: NaiveDateTime,
    pub type_: TypeRdv,
    pub lieu: Option<&'a str>,
}

pub fn planifier(conn: &Connection, n: &NouveauRdv, jour: NaiveDate, cree_par: i64) -> Result<i64> {
    conn.prepare_cached(
        "INSERT INTO rdv (parcours_id, agent_id, debut, type, lieu, statut, cree_le, cree_par)
         VALUES (?1, ?2, ?3, ?4, ?5, 'prevu', ?6, ?7)",
    )?
    .execute(params![
        n.parcours_id,
        n.agent_id,
        texte(n.debut),
        n.type_.code(),
        n.lieu,
        jour,
        cree_par
    ])?;
    Ok(conn.last_insert_rowid())
}

/// Records the outcome of a planned appointment.
pub fn issue(conn: &Connection, id: i64, statut: StatutRdv, jour: NaiveDate, motif: Option<&str>) -> Result<()> {
    conn.prepare_cached("UPDATE rdv SET statut = ?2, statut_le = ?3, motif = ?4 WHERE id = ?1 AND statut = 'prevu'")?
        .execute(params![id, statut.code(), jour, motif])?;
    Ok(())
}

/// The appointments of the parcours still planned on or after `jour`, with whether a
/// convocation was written for each.
pub fn prevus_depuis(conn: &Connection, parcours_id: i64, jour: NaiveDate) -> Result<Vec<(i64, bool)>> {
    Ok(conn
        .prepare_cached(
            "SELECT id, convoque_le IS NOT NULL FROM rdv WHERE parcours_id = ?1 AND statut = 'prevu'
             AND substr(debut, 1, 10) >= ?2 ORDER BY debut, id",
        )?
        .query_map(params![parcours_id, jour], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?)
}

/// Replaces the outcome already recorded by `statut`, keeping the previous one (its
/// date and reason) in `rdv_correction` with the reason of the correction.
pub fn corriger_issue(
    conn: &Connection,
    id: i64,
    statut: StatutRdv,
    jour: NaiveDate,
    motif: &str,
    agent_id: i64,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO rdv_correction (rdv_id, date, ancien, ancien_le, ancien_motif, motif, agent_id)
         SELECT id, ?2, statut, statut_le, motif, ?3, ?4 FROM rdv WHERE id = ?1 AND statut <> 'prevu'",
    )?
    .execute(params![id, jour, motif, agent_id])?;
    conn.prepare_cached("UPDATE rdv SET statut = ?2, statut_le = ?3, motif = NULL WHERE id = ?1")?
        .execute(params![id, statut.code(), jour])?;
    Ok(())
}

/// The corrected outcomes of a dossier's appointments, oldest first, as history lines;
/// their author as named to a reader of the structure `lecteur`.
pub fn corrections(conn: &Connection, dossier: i64, lecteur: i64) -> Result<Vec<Correction>> {
    Ok(conn
        .prepare_cached(&format!(
            "SELECT c.date, c.rdv_id, c.ancien, c.motif, {} FROM rdv_correction c
             JOIN rdv r ON r.id = c.rdv_id JOIN parcours pa ON pa.id = r.parcours_id
             WHERE pa.dossier = ?1 ORDER BY c.date, c.id",
            super::agent::nom_vu("c.agent_id", Some(lecteur))
        ))?
        .query_map([dossier], |r| {
            let ancien: String = r.get(2)?;
            Ok(Correction {
                date: r.get(0)?,
                element: format!("rendez-vous {}", r.get::<_, i64>(1)?),
                ancien: StatutRdv::depuis_code(&ancien).map_or(ancien, |s| s.mot().to_owned()),
                retrait: false,
                motif: r.get(3)?,
                agent: r.get(4)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?)
}

/// Notes that a convocation of the appointment was written on `jour`.
pub fn convoque(conn: &Connection, id: i64, jour: NaiveDate) -> Result<()> {
    conn.prepare_cached("UPDATE rdv SET convoque_le = ?2 WHERE id = ?1")?
        .execute(params![id, jour])?;
    Ok(())
}

/// Whether a convocation of the appointment was written.
pub fn a_ete_convoque(conn: &Connection, id: i64) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT convoque_le IS NOT NULL FROM rdv WHERE id = ?1")?
        .query_row([id], |r| r.get(0))
        .optional()?
        .unwrap_or(false))
}

/// The columns of an appointment, its agent named for a reader of the structure `lecteur`
/// (see [`super::agent::nom_vu`]); its place is the holding structure's address when none
/// was given.
fn select(lecteur: Option<i64>) -> String {
    format!(
        "SELECT r.id, pa.dossier, pe.prenom || ' ' || pe.nom, r.debut, r.type,
            coalesce(r.lieu, (SELECT s.adresse FROM structure s WHERE s.id = pa.structure_id)), a.identifiant,
            r.statut, r.statut_le, r.motif, {} AS agent_nom
        FROM rdv r JOIN parcours pa ON pa.id = r.parcours_id JOIN personne pe ON pe.dossier = pa.dossier
        JOIN agent a ON a.id = r.agent_id",
        super::agent::nom_vu("r.agent_id", lecteur)
    )
}

fn rdv_de(r: &Row) -> rusqlite::Result<Rdv> {
    rdv_depuis(r, 0)
}

/// The appointment whose `SELECT` columns start at column `k`.
fn rdv_depuis(r: &Row, k: usize) -> rusqlite::Result<Rdv> {
    let type_: String = r.get(k + 4)?;
    let statut: String = r.get(k + 7)?;
    Ok(Rdv {
        id: r.get(k)?,
        dossier: r.get(k + 1)?,
        personne: r.get(k + 2)?,
        debut: moment(r, k + 3)?,
        type_: TypeRdv::depuis_code(&type_).unwrap_or(TypeRdv::Suivi),
        lieu: r.get(k + 5)?,
        agent: r.get(k + 6)?,
        agent_nom: r.get(k + 10)?,
        statut: StatutRdv::depuis_code(&statut).unwrap_or(StatutRdv::Prevu),
        statut_le: r.get(k + 8)?,
        motif: r.get(k + 9)?,
    })
}

pub fn rdv(conn: &Connection, id: i64) -> Result<Option<Rdv>> {
    Ok(conn
        .prepare_cached(&format!("{} WHERE r.id = ?1", select(None)))?
        .query_row([id], rdv_de)
        .optional()?)
}

/// The dossier of an appointment, to check the agent's habilitation before anything else.
pub fn dossier_du_rdv(conn: &Connection, id: i64) -> Result<Option<i64>> {
    Ok(conn
        .prepare_cached("SELECT pa.dossier FROM rdv r JOIN parcours pa ON pa.id = r.parcours_id WHERE r.id = ?1")?
        .query_row([id], |r| r.get(0))
        .optional()?)
}

/// The appointments of a dossier (all its parcours), in time order, for a reader of the
/// structure `lecteur`.
pub fn du_dossier(conn: &Connection, dossier: i64, lecteur: i64) -> Result<Vec<Rdv>> {
    Ok(conn
        .prepare_cached(&format!(
            "{} WHERE pa.dossier = ?1 ORDER BY r.debut, r.id",
            select(Some(lecteur))
        ))?
        .query_map([dossier], rdv_de)?
        .collect::<rusqlite::Result<_>>()?)
}

/// The appointments of `agent_id` from `de` (included) to `a` (excluded), of the dossiers
/// `lecteur` may see, in time order. Read through the index `rdv_agent`: the cost follows
/// the agent's appointments of the period, not the base.
pub fn agenda(conn: &Connection, agent_id: i64, de: NaiveDate, a: NaiveDate, lecteur: Lecteur) -> Result<Vec<Rdv>> {
    let sql = format!(
        "{} WHERE r.agent_id = ?1 AND r.debut >= ?2 AND r.debut < ?3 AND {}
         ORDER BY r.debut, r.id",
        select(Some(lecteur.structure_id)),
        condition_visible("pa.dossier", lecteur)
    );
    Ok(conn
        .prepare_cached(&sql)?
        .query_map(params![agent_id, de.to_string(), a.to_string()], rdv_de)?
        .collect::<rusqlite::Result<_>>()?)
}

/// The outcomes of the parcours' last appointments that have one (cancelled ones aside),
/// newest first.
pub fn dernieres_issues(conn: &Connection, parcours_id: i64, n: usize) -> Result<Vec<StatutRdv>> {
    Ok(conn
        .prepare_cached(
            "SELECT statut FROM rdv WHERE parcours_id = ?1 AND statut IN ('honore', 'absent', 'excuse')
             ORDER BY debut DESC, id DESC LIMIT ?2",
        )?
        .query_map(params![parcours_id, n as i64], |r| {
            let s: String = r.get(0)?;
            Ok(StatutRdv::depuis_code(&s).unwrap_or(StatutRdv::Prevu))
        })?
        .collect::<rusqlite::Result<_>>()?)
}

/// A fact of the to-do list about appointments.
#[derive(Debug, PartialEq, Eq)]
pub enum FaitRdv {
    /// Planned today with the agent.
    DuJour,
    /// Past, still without outcome.
    SansIssue,
    /// The last two outcomes of the parcours are absences: the appointment is the last one.
    DeuxAbsences,
}

/// The appointments to see to for `lecteur`: today's with them, past ones without outcome
/// (theirs, or of the parcours they follow), and the parcours they follow whose last two
/// appointments were missed. `tous`: of every dossier they may see.
pub fn a_faire(conn: &Connection, aujourdhui: NaiveDate, lecteur: Lecteur, tous: bool) -> Result<Vec<(FaitRdv, Rdv)>> {
    let demain = aujourdhui.succ_opt().unwrap_or(aujourdhui);
    let visible = condition_visible("pa.dossier", lecteur);
    let colonnes = select(Some(lecteur.structure_id));
    // Each part reads the agent's rows through the indexes (`rdv_agent`, `referent_agent`,
    // `membre_agent`, then by parcours); with `tous`, every open parcours. Two statements
    // rather than `?1 IS NULL OR …`, which would read the whole base in both cases.
    let (du_jour, sans_issue, parcours) = if tous {
        (
            "SELECT id FROM rdv WHERE debut >= ?2 AND debut < ?3",
            "SELECT id FROM rdv WHERE statut = 'prevu' AND debut < ?2",
            "SELECT id FROM parcours WHERE sortie IS NULL",
        )
    } else {
        (
            "SELECT id FROM rdv WHERE agent_id = ?1 AND debut >= ?2 AND debut < ?3",
            "SELECT id FROM rdv WHERE agent_id = ?1 AND debut < ?2 AND statut = 'prevu'
             UNION SELECT x.id FROM rdv x WHERE x.parcours_id IN (SELECT parcours_id FROM suivis)
                AND x.debut < ?2 AND x.statut = 'prevu'",
            "SELECT parcours_id FROM suivis",
        )
    };
    let sql = format!(
        "WITH suivis AS MATERIALIZED (
            -- The parcours the agent follows: référent or team member.
            SELECT parcours_id FROM referent WHERE agent_id = ?1 AND fin IS NULL
            UNION SELECT parcours_id FROM membre WHERE agent_id = ?1 AND fin IS NULL)
         SELECT 0, r.* FROM ({colonnes} WHERE r.id IN ({du_jour}) AND r.statut = 'prevu' AND {visible}) r
         UNION ALL
         SELECT 1, r.* FROM ({colonnes} WHERE r.id IN ({sans_issue}) AND pa.sortie IS NULL AND {visible}) r
         UNION ALL
         SELECT 2, r.* FROM ({colonnes} WHERE r.id IN (
              SELECT (SELECT x.id FROM rdv x WHERE x.parcours_id = pa2.id
                        AND x.statut IN ('honore', 'absent', 'excuse') ORDER BY x.debut DESC, x.id DESC LIMIT 1)
              FROM parcours pa2
              WHERE pa2.id IN ({parcours}) AND pa2.sortie IS NULL
                AND (SELECT count(*) FROM (SELECT x.statut FROM rdv x WHERE x.parcours_id = pa2.id
                        AND x.statut IN ('honore', 'absent', 'excuse') ORDER BY x.debut DESC, x.id DESC LIMIT 2)
                     WHERE statut = 'absent') = 2)
              AND {visible}) r"
    );
    let faits = conn
        .prepare_cached(&sql)?
        .query_map(
            params![lecteur.agent_id, aujourdhui.to_string(), demain.to_string()],
            |r| {
                let fait = match r.get::<_, i64>(0)? {
                    0 => FaitRdv::DuJour,
                    1 => FaitRdv::SansIssue,
                    _ => FaitRdv::DeuxAbsences,
                };
                Ok((fait, rdv_depuis(r, 1)?))
            },
        )?
        .collect::<rusqlite::Result<_>>()?;
    Ok(faits)
}

/// What a convocation prints of the structure that holds the appointment's parcours: its
/// name, postal address, telephone and commune (INSEE code), the name of the agent who
/// receives, and what the envelope's window shows of the person.
pub struct Entete {
    pub structure: String,
    pub adresse: Option<String>,
    pub telephone: Option<String>,
    pub commune: Option<String>,
    /// Who receives the person, with their structure when it is not the letter's
    /// (a partner of the team): « Léa Roux (Mission locale) ».
    pub agent: String,
    pub destinataire: Destinataire,
}

/// The person as a letter addresses them: their sex (for « Madame » or « Monsieur »),
/// postal address and commune of residence (INSEE code).
pub struct Destinataire {
    pub sexe: Option<Sexe>,
    /// As the address block writes it: « Madame Lucie MARTIN ».
    pub prenom: String,
    pub nom: String,
    pub adresse: Option<String>,
    pub commune: String,
}

pub fn entete(conn: &Connection, id: i64) -> Result<Entete> {
    Ok(conn
        .prepare_cached(
            "SELECT s.nom, s.adresse, s.commune,
                    a.nom || CASE WHEN a.structure_id = s.id THEN '' ELSE ' (' || sa.nom || ')' END,
                    s.telephone, pe.sexe, pe.adresse, pe.commune, pe.prenom, pe.nom
             FROM rdv r JOIN parcours pa ON pa.id = r.parcours_id
             JOIN structure s ON s.id = pa.structure_id JOIN agent a ON a.id = r.agent_id
             JOIN structure sa ON sa.id = a.structure_id
             JOIN personne pe ON pe.dossier = pa.dossier WHERE r.id = ?1",
        )?
        .query_row([id], |r| {
            let sexe: Option<String> = r.get(5)?;
            Ok(Entete {
                structure: r.get(0)?,
                adresse: r.get(1)?,
                commune: r.get(2)?,
                agent: r.get(3)?,
                telephone: r.get(4)?,
                destinataire: Destinataire {
                    sexe: sexe.as_deref().and_then(Sexe::depuis_code),
                    prenom: r.get(8)?,
                    nom: r.get(9)?,
                    adresse: r.get(6)?,
                    commune: r.get(7)?,
                },
            })
        })?)
}
