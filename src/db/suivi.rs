//! The shared follow-up of a parcours: team, consent, plan and journal.

use anyhow::Result;
use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, Row, params};

use crate::domain::suivi::{
    Action, ChangementStatut, Consentement, Correction, Membre, Note, Objectif, StatutAction, StatutObjectif, TypeNote,
    contact,
};

/// Every membership of a parcours, oldest first.
pub fn membres(conn: &Connection, parcours_id: i64) -> Result<Vec<Membre>> {
    let lignes = conn
        .prepare_cached(
            "SELECT a.identifiant, a.nom, s.nom, s.id, m.debut, m.fin, m.motif_sans_consentement
             FROM membre m JOIN agent a ON a.id = m.agent_id JOIN structure s ON s.id = a.structure_id
             WHERE m.parcours_id = ?1 ORDER BY m.debut, m.id",
        )?
        .query_map([parcours_id], |r| {
            Ok(Membre {
                agent: r.get(0)?,
                nom: r.get(1)?,
                structure: r.get(2)?,
                structure_id: r.get(3)?,
                debut: r.get(4)?,
                fin: r.get(5)?,
                motif_sans_consentement: r.get(6)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(lignes)
}

pub fn ajouter_membre(
    conn: &Connection,
    parcours_id: i64,
    agent_id: i64,
    debut: NaiveDate,
    motif_sans_consentement: Option<&str>,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO membre (parcours_id, agent_id, debut, motif_sans_consentement) VALUES (?1, ?2, ?3, ?4)",
    )?
    .execute(params![parcours_id, agent_id, debut, motif_sans_consentement])?;
    Ok(())
}

/// Ends the active membership; false if the agent was not an active member.
pub fn retirer_membre(conn: &Connection, parcours_id: i64, agent_id: i64, fin: NaiveDate) -> Result<bool> {
    let n = conn
        .prepare_cached("UPDATE membre SET fin = ?3 WHERE parcours_id = ?1 AND agent_id = ?2 AND fin IS NULL")?
        .execute(params![parcours_id, agent_id, fin])?;
    Ok(n > 0)
}

pub fn consentir(conn: &Connection, dossier: i64, date: NaiveDate, partage: bool, agent_id: i64) -> Result<()> {
    conn.prepare_cached("INSERT INTO consentement (dossier, date, partage, agent_id) VALUES (?1, ?2, ?3, ?4)")?
        .execute(params![dossier, date, partage, agent_id])?;
    Ok(())
}

/// The consents of a person, oldest first; the last one dated on or before a day counts.
pub fn consentements(conn: &Connection, dossier: i64) -> Result<Vec<Consentement>> {
    let lignes = conn
        .prepare_cached(
            "SELECT c.date, c.partage, a.identifiant FROM consentement c JOIN agent a ON a.id = c.agent_id
             WHERE c.dossier = ?1 ORDER BY c.date, c.id",
        )?
        .query_map([dossier], |r| {
            Ok(Consentement {
                date: r.get(0)?,
                partage: r.get(1)?,
                agent: r.get(2)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(lignes)
}

const SELECT_OBJECTIF: &str = "SELECT id, parcours_id, thematique, libelle, statut, statut_le, cree_le FROM objectif";

fn objectif_de(r: &Row) -> rusqlite::Result<Objectif> {
    let statut: String = r.get(4)?;
    Ok(Objectif {
        id: r.get(0)?,
        parcours_id: r.get(1)?,
        thematique: r.get(2)?,
        libelle: r.get(3)?,
        statut: StatutObjectif::depuis_code(&statut).unwrap_or(StatutObjectif::EnCours),
        statut_le: r.get(5)?,
        cree_le: r.get(6)?,
    })
}

pub fn ajouter_objectif(
    conn: &Connection,
    parcours_id: i64,
    thematique: &str,
    libelle: Option<&str>,
    jour: NaiveDate,
    agent_id: i64,
) -> Result<i64> {
    conn.prepare_cached(
        "INSERT INTO objectif (parcours_id, thematique, libelle, statut, statut_le, cree_le, agent_id)
         VALUES (?1, ?2, ?3, 'en-cours', ?4, ?4, ?5)",
    )?
    .execute(params![parcours_id, thematique, libelle, jour, agent_id])?;
    Ok(conn.last_insert_rowid())
}

pub fn objectif(conn: &Connection, id: i64) -> Result<Option<Objectif>> {
    Ok(conn
        .prepare_cached(&format!("{SELECT_OBJECTIF} WHERE id = ?1"))?
        .query_row([id], objectif_de)
        .optional()?)
}

pub fn objectifs(conn: &Connection, parcours_id: i64) -> Result<Vec<Objectif>> {
    let lignes = conn
        .prepare_cached(&format!(
            "{SELECT_OBJECTIF} WHERE parcours_id = ?1 ORDER BY cree_le, id"
        ))?
        .query_map([parcours_id], objectif_de)?
        .collect::<rusqlite::Result<_>>()?;
    Ok(lignes)
}

pub fn statut_objectif(conn: &Connection, id: i64, statut: StatutObjectif, jour: NaiveDate) -> Result<()> {
    conn.prepare_cached("UPDATE objectif SET statut = ?2, statut_le = ?3 WHERE id = ?1")?
        .execute(params![id, statut.code(), jour])?;
    Ok(())
}

pub struct NouvelleAction<'a> {
    pub parcours_id: i64,
    pub objectif_id: Option<i64>,
    pub libelle: &'a str,
    pub thematique: Option<&'a str>,
    pub structure_id: Option<i64>,
    pub echeance: Option<NaiveDate>,
    /// The offer of the catalogue the action uses.
    pub offre_id: Option<i64>,
}

pub fn ajouter_action(conn: &Connection, a: &NouvelleAction, jour: NaiveDate, agent_id: i64) -> Result<i64> {
    conn.prepare_cached(
        "INSERT INTO action (parcours_id, objectif_id, libelle, thematique, structure_id, echeance, statut, cree_le, agent_id, offre_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'proposee', ?7, ?8, ?9)",
    )?
    .execute(params![a.parcours_id, a.objectif_id, a.libelle, a.thematique, a.structure_id, a.echeance, jour, agent_id, a.offre_id])?;
    let id = conn.last_insert_rowid();
    conn.prepare_cached(
        "INSERT INTO action_statut (action_id, date, statut, agent_id) VALUES (?1, ?2, 'proposee', ?3)",
    )?
    .execute(params![id, jour, agent_id])?;
    Ok(id)
}

pub fn changer_statut_action(
    conn: &Connection,
    id: i64,
    statut: StatutAction,
    jour: NaiveDate,
    agent_id: i64,
) -> Result<()> {
    conn.prepare_cached("UPDATE action SET statut = ?2 WHERE id = ?1")?
        .execute(params![id, statut.code()])?;
    conn.prepare_cached("INSERT INTO action_statut (action_id, date, statut, agent_id) VALUES (?1, ?2, ?3, ?4)")?
        .execute(params![id, jour, statut.code(), agent_id])?;
    Ok(())
}

const SELECT_ACTION: &str = "SELECT ac.id, ac.parcours_id, ac.objectif_id, ac.libelle, ac.thematique, s.nom,
        ac.echeance, ac.statut, ac.cree_le, ac.offre_id
    FROM action ac LEFT JOIN structure s ON s.id = ac.structure_id";

fn actions_ou(conn: &Connection, condition: &str, valeur: i64) -> Result<Vec<Action>> {
    let mut actions: Vec<Action> = conn
        .prepare_cached(&format!("{SELECT_ACTION} WHERE {condition} ORDER BY ac.cree_le, ac.id"))?
        .query_map([valeur], |r| {
            let statut: String = r.get(7)?;
            Ok(Action {
                id: r.get(0)?,
                parcours_id: r.get(1)?,
                objectif: r.get(2)?,
                libelle: r.get(3)?,
                thematique: r.get(4)?,
                structure: r.get(5)?,
                offre: r.get(9)?,
                echeance: r.get(6)?,
                statut: StatutAction::depuis_code(&statut).unwrap_or(StatutAction::Proposee),
                cree_le: r.get(8)?,
                historique: Vec::new(),
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut historique = conn.prepare_cached(
        "SELECT st.date, st.statut, a.identifiant FROM action_statut st JOIN agent a ON a.id = st.agent_id
         WHERE st.action_id = ?1 ORDER BY st.date, st.id",
    )?;
    for action in &mut actions {
        action.historique = historique
            .query_map([action.id], |r| {
                let statut: String = r.get(1)?;
                Ok(ChangementStatut {
                    date: r.get(0)?,
                    statut: StatutAction::depuis_code(&statut).unwrap_or(StatutAction::Proposee),
                    agent: r.get(2)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
    }
    Ok(actions)
}

pub fn action(conn: &Connection, id: i64) -> Result<Option<Action>> {
    Ok(actions_ou(conn, "ac.id = ?1", id)?.pop())
}

pub fn actions(conn: &Connection, parcours_id: i64) -> Result<Vec<Action>> {
    actions_ou(conn, "ac.parcours_id = ?1", parcours_id)
}

pub fn noter(
    conn: &Connection,
    parcours_id: i64,
    date: NaiveDate,
    type_: TypeNote,
    texte: &str,
    agent_id: i64,
) -> Result<i64> {
    conn.prepare_cached("INSERT INTO journal (parcours_id, date, type, texte, agent_id) VALUES (?1, ?2, ?3, ?4, ?5)")?
        .execute(params![parcours_id, date, type_.code(), texte, agent_id])?;
    Ok(conn.last_insert_rowid())
}

/// The journal of a dossier (all its parcours), newest first; each author named for a
/// reader of the structure `lecteur` (see [`super::agent::nom_vu`]); a note received from
/// a partner is its author's, as the file named them.
pub fn journal(conn: &Connection, dossier: i64, lecteur: i64) -> Result<Vec<Note>> {
    let lignes = conn
        .prepare_cached(&format!(
            "SELECT j.id, j.date, j.type, j.texte, coalesce(e.auteur, a.identifiant), j.retiree,
                    EXISTS (SELECT 1 FROM correction c WHERE c.journal_id = j.id), coalesce(e.auteur, {}),
                    s.nom, CASE WHEN e.uid IS NOT NULL THEN a.identifiant END
             FROM journal j JOIN parcours p ON p.id = j.parcours_id JOIN agent a ON a.id = j.agent_id
                  LEFT JOIN echange_element e ON e.nature = 'journal' AND e.local_id = j.id
                  LEFT JOIN structure s ON s.id = e.origine
             WHERE p.dossier = ?1 AND {} ORDER BY j.date DESC, j.id DESC",
            super::agent::nom_vu("j.agent_id", Some(lecteur)),
            lisible("j", lecteur)
        ))?
        .query_map([dossier], |r| {
            let t: String = r.get(2)?;
            Ok(Note {
                id: r.get(0)?,
                date: r.get(1)?,
                type_: TypeNote::depuis_code(&t).unwrap_or(TypeNote::Note),
                texte: r.get(3)?,
                agent: r.get(4)?,
                agent_nom: r.get(7)?,
                recue_de: r.get(8)?,
                recue_par: r.get(9)?,
                retiree: r.get(5)?,
                corrigee: r.get(6)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(lignes)
}

/// A SQL condition on the journal entry `j`: true unless it is a private note
/// (`--prive`) written by an agent of another structure than `lecteur`, the reader's.
/// A private note stays with its structure, in this base as in the exchanges.
fn lisible(j: &str, lecteur: i64) -> String {
    format!("({j}.prive = 0 OR (SELECT structure_id FROM agent WHERE id = {j}.agent_id) = {lecteur})")
}

/// A journal entry as stored: its parcours, its text, whether it was withdrawn.
pub fn note(conn: &Connection, id: i64) -> Result<Option<(i64, String, bool)>> {
    Ok(conn
        .prepare_cached("SELECT parcours_id, texte, retiree FROM journal WHERE id = ?1")?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()?)
}

/// What is corrected: a journal note or the label of an action.
#[derive(Debug, Clone, Copy)]
pub enum Corrige {
    Note(i64),
    Action(i64),
}

/// Replaces the text of a note or the label of an action (`None`: the note is withdrawn),
/// the previous text kept in `correction` with the day, the reason and the agent.
pub fn corriger(
    conn: &Connection,
    cible: Corrige,
    nouveau: Option<&str>,
    motif: Option<&str>,
    effacer: bool,
    jour: NaiveDate,
    agent_id: i64,
) -> Result<()> {
    let (colonne, table, champ, id) = match cible {
        Corrige::Note(id) => ("journal_id", "journal", "texte", id),
        Corrige::Action(id) => ("action_id", "action", "libelle", id),
    };
    conn.prepare_cached(&format!(
        "INSERT INTO correction ({colonne}, date, ancien, retrait, motif, agent_id)
         SELECT id, ?2, CASE WHEN ?6 THEN '' ELSE {champ} END, ?3, ?4, ?5 FROM {table} WHERE id = ?1"
    ))?
    .execute(params![id, jour, nouveau.is_none(), motif, agent_id, effacer])?;
    match (cible, nouveau) {
        (Corrige::Note(_), None) => conn
            .prepare_cached("UPDATE journal SET texte = '', retiree = 1 WHERE id = ?1")?
            .execute([id])?,
        (_, Some(texte)) => conn
            .prepare_cached(&format!("UPDATE {table} SET {champ} = ?2 WHERE id = ?1"))?
            .execute(params![id, texte])?,
        (Corrige::Action(_), None) => 0,
    };
    Ok(())
}

/// Every correction of a dossier's notes and action labels, oldest first; their author as
/// named to a reader of the structure `lecteur`.
pub fn corrections(conn: &Connection, dossier: i64, lecteur: i64) -> Result<Vec<Correction>> {
    let lignes = conn
        .prepare_cached(&format!(
            "SELECT c.date, c.journal_id, c.action_id, c.ancien, c.retrait, c.motif, {}
             FROM correction c
             LEFT JOIN journal j ON j.id = c.journal_id LEFT JOIN action ac ON ac.id = c.action_id
             JOIN parcours p ON p.id = coalesce(j.parcours_id, ac.parcours_id)
             WHERE p.dossier = ?1 AND (j.id IS NULL OR {}) ORDER BY c.date, c.id",
            super::agent::nom_vu("c.agent_id", Some(lecteur)),
            lisible("j", lecteur)
        ))?
        .query_map([dossier], |r| {
            let note: Option<i64> = r.get(1)?;
            let action: Option<i64> = r.get(2)?;
            Ok(Correction {
                date: r.get(0)?,
                element: match (note, action) {
                    (Some(n), _) => format!("note {n}"),
                    (_, a) => format!("action {}", a.unwrap_or_default()),
                },
                ancien: r.get(3)?,
                retrait: r.get(4)?,
                motif: r.get(5)?,
                agent: r.get(6)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(lignes)
}

/// SQL: the date of the last contact with the person in the parcours whose alias is
/// `parcours`, as the domain defines it ([`contact`]): a journal entry of a contact type
/// not withdrawn, or an appointment with an outcome that is a contact.
pub fn dernier_contact(parcours: &str) -> String {
    dernier_contact_jusqu_a(parcours, None)
}

/// Like [`dernier_contact`], counting only the contacts on or before the day `jusqu_a`
/// (an SQL expression: a parameter, a column).
pub fn dernier_contact_jusqu_a(parcours: &str, jusqu_a: Option<&str>) -> String {
    let (note, rdv) = match jusqu_a {
        Some(jour) => (
            format!(" AND j.date <= {jour}"),
            format!(" AND substr(r.debut, 1, 10) <= {jour}"),
        ),
        None => Default::default(),
    };
    let statuts = contact::STATUTS_RDV
        .iter()
        .map(|s| format!("'{}'", s.code()))
        .collect::<Vec<_>>()
        .join(", ");
    format!(
        "(SELECT max(d) FROM (
            SELECT max(j.date) AS d FROM journal j
                WHERE j.parcours_id = {parcours}.id AND j.type IN ({}) AND j.retiree = 0{note}
            UNION ALL
            SELECT max(substr(r.debut, 1, 10)) FROM rdv r
                WHERE r.parcours_id = {parcours}.id AND r.statut IN ({statuts}){rdv}))",
        types_contact()
    )
}

/// The last contact with the person in any parcours of the dossier.
pub fn dernier_contact_du_dossier(conn: &Connection, dossier: i64) -> Result<Option<NaiveDate>> {
    let sql = format!(
        "SELECT max({}) FROM parcours p WHERE p.dossier = ?1",
        dernier_contact("p")
    );
    Ok(conn.prepare_cached(&sql)?.query_row([dossier], |r| r.get(0))?)
}

/// SQL: the journal types that are contacts, as a list of literals.
fn types_contact() -> String {
    TypeNote::codes_contact()
        .iter()
        .map(|c| format!("'{c}'"))
        .collect::<Vec<_>>()
        .join(", ")
}
