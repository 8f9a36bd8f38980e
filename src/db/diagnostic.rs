//! Diagnostics (never edited) and orientation decisions.

use anyhow::Result;
use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, params};

use super::habilitation::{Lecteur, condition_visible};
use crate::domain::diagnostic::{
    Contrainte, Decision, Diagnostic, Orientation, Reponses, SaisieErronee, SansDiagnostic, Suggestion,
};
use crate::domain::grille::{Dimension, Niveau, NiveauFormation, Projet};

pub fn inserer(
    conn: &Connection,
    parcours_id: i64,
    date: NaiveDate,
    agent_id: i64,
    r: &Reponses,
    s: &Suggestion,
) -> Result<i64> {
    conn.prepare_cached(
        "INSERT INTO diagnostic (parcours_id, date, agent_id, activite_24_mois, projet, niveau_formation,
                                 complet, orientation_suggeree, regle, explication)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?
    .execute(params![
        parcours_id,
        date,
        agent_id,
        r.activite_24_mois,
        r.projet.map(Projet::code),
        r.niveau_formation.map(NiveauFormation::code),
        r.complet(),
        s.orientation.code(),
        s.regle,
        s.explication
    ])?;
    let id = conn.last_insert_rowid();
    let mut contrainte = conn.prepare_cached(
        "INSERT INTO diagnostic_contrainte (diagnostic_id, dimension, niveau, situations, commentaire)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    for d in Dimension::TOUS {
        let c = r.contraintes.get(d).cloned().unwrap_or_default();
        contrainte.execute(params![
            id,
            d.code(),
            c.niveau().code(),
            c.situations.join(","),
            c.commentaire
        ])?;
    }
    let mut besoin =
        conn.prepare_cached("INSERT OR IGNORE INTO diagnostic_besoin (diagnostic_id, thematique) VALUES (?1, ?2)")?;
    for b in &r.besoins {
        besoin.execute(params![id, b])?;
    }
    Ok(id)
}

/// Marks a diagnostic as entered by mistake; false if it already was.
pub fn marquer_erreur(conn: &Connection, id: i64, jour: NaiveDate, motif: &str) -> Result<bool> {
    let n = conn
        .prepare_cached("UPDATE diagnostic SET erreur_le = ?2, erreur_motif = ?3 WHERE id = ?1 AND erreur_le IS NULL")?
        .execute(params![id, jour, motif])?;
    Ok(n > 0)
}

/// The parcours of a diagnostic.
pub fn parcours_du_diagnostic(conn: &Connection, id: i64) -> Result<Option<i64>> {
    Ok(conn
        .prepare_cached("SELECT parcours_id FROM diagnostic WHERE id = ?1")?
        .query_row([id], |r| r.get(0))
        .optional()?)
}

/// Every diagnostic of a dossier (all its parcours), oldest first.
pub fn du_dossier(conn: &Connection, dossier: i64) -> Result<Vec<Diagnostic>> {
    let ids: Vec<i64> = conn
        .prepare_cached(
            "SELECT d.id FROM diagnostic d JOIN parcours p ON p.id = d.parcours_id
             WHERE p.dossier = ?1 ORDER BY d.date, d.id",
        )?
        .query_map([dossier], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    ids.into_iter().map(|id| lire(conn, id)).collect()
}

/// The most recent diagnostic of a dossier.
pub fn dernier(conn: &Connection, dossier: i64) -> Result<Option<Diagnostic>> {
    let id: Option<i64> = conn
        .prepare_cached(
            "SELECT d.id FROM diagnostic d JOIN parcours p ON p.id = d.parcours_id
             WHERE p.dossier = ?1 AND d.erreur_le IS NULL ORDER BY d.date DESC, d.id DESC LIMIT 1",
        )?
        .query_row([dossier], |r| r.get(0))
        .optional()?;
    id.map(|id| lire(conn, id)).transpose()
}

fn lire(conn: &Connection, id: i64) -> Result<Diagnostic> {
    let mut d = conn
        .prepare_cached(
            "SELECT d.parcours_id, d.date, a.identifiant, d.activite_24_mois, d.projet, d.niveau_formation,
                    d.complet, d.orientation_suggeree, d.regle, d.explication, d.erreur_le, d.erreur_motif,
                    coalesce(e.auteur, a.nom)
             FROM diagnostic d JOIN agent a ON a.id = d.agent_id
                  LEFT JOIN echange_element e ON e.nature = 'diagnostic' AND e.local_id = d.id
             WHERE d.id = ?1",
        )?
        .query_row([id], |r| {
            let projet: Option<String> = r.get(4)?;
            let formation: Option<String> = r.get(5)?;
            let orientation: String = r.get(7)?;
            let erreur_le: Option<NaiveDate> = r.get(10)?;
            let motif: Option<String> = r.get(11)?;
            Ok(Diagnostic {
                id,
                parcours_id: r.get(0)?,
                date: r.get(1)?,
                agent: r.get(2)?,
                agent_nom: r.get(12)?,
                reponses: Reponses {
                    activite_24_mois: r.get(3)?,
                    projet: projet.as_deref().and_then(Projet::depuis_code),
                    niveau_formation: formation.as_deref().and_then(NiveauFormation::depuis_code),
                    ..Reponses::default()
                },
                complet: r.get(6)?,
                suggestion: Suggestion {
                    orientation: Orientation::depuis_code(&orientation).unwrap_or(Orientation::Pro),
                    regle: r.get(8)?,
                    explication: r.get(9)?,
                },
                saisi_par_erreur: erreur_le.map(|le| SaisieErronee {
                    le,
                    motif: motif.unwrap_or_default(),
                }),
            })
        })?;
    let mut contraintes = conn.prepare_cached(
        "SELECT dimension, niveau, situations, commentaire FROM diagnostic_contrainte WHERE diagnostic_id = ?1",
    )?;
    let lignes = contraintes.query_map([id], |r| {
        let (dimension, niveau, situations): (String, String, String) = (r.get(0)?, r.get(1)?, r.get(2)?);
        Ok((dimension, niveau, situations, r.get::<_, Option<String>>(3)?))
    })?;
    for ligne in lignes {
        let (dimension, niveau, situations, commentaire) = ligne?;
        if let Some(dim) = Dimension::depuis_code(&dimension) {
            let contrainte = Contrainte {
                niveau: Niveau::depuis_code(&niveau),
                situations: situations
                    .split(',')
                    .filter(|s| !s.is_empty())
                    .map(str::to_owned)
                    .collect(),
                commentaire,
            };
            d.reponses.contraintes.insert(dim, contrainte);
        }
    }
    d.reponses.besoins = conn
        .prepare_cached("SELECT thematique FROM diagnostic_besoin WHERE diagnostic_id = ?1 ORDER BY thematique")?
        .query_map([id], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(d)
}

/// Open parcours without any diagnostic whose entry is before `limite`, among the
/// dossiers `lecteur` may see ([`condition_visible`]) and, when given, those whose
/// référent is `referent`; oldest entry first. `jours`: counted up to `aujourdhui`.
pub fn a_faire(
    conn: &Connection,
    aujourdhui: NaiveDate,
    limite: NaiveDate,
    lecteur: Lecteur,
    referent: Option<&str>,
) -> Result<Vec<SansDiagnostic>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT p.dossier, pe.nom, pe.prenom, p.entree, a.identifiant, {}
         FROM parcours p
         JOIN personne pe ON pe.dossier = p.dossier
         LEFT JOIN referent r ON r.parcours_id = p.id AND r.fin IS NULL
         LEFT JOIN agent a ON a.id = r.agent_id
         WHERE p.sortie IS NULL AND p.entree < ?1 AND (?2 IS NULL OR a.identifiant = ?2)
           AND NOT EXISTS (SELECT 1 FROM diagnostic d WHERE d.parcours_id = p.id AND d.erreur_le IS NULL)
           AND {}
         ORDER BY p.entree, p.dossier",
        super::agent::nom_vu("a.id", Some(lecteur.structure_id)),
        condition_visible("p.dossier", lecteur)
    ))?;
    let lignes = stmt
        .query_map(params![limite, referent], |r| {
            let entree: NaiveDate = r.get(3)?;
            Ok(SansDiagnostic {
                dossier: r.get(0)?,
                nom: r.get(1)?,
                prenom: r.get(2)?,
                entree,
                jours: (aujourdhui - entree).num_days(),
                referent: r.get(4)?,
                referent_nom: r.get(5)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(lignes)
}

pub fn orienter(
    conn: &Connection,
    parcours_id: i64,
    decision: &Decision,
    agent_id: i64,
    diagnostic_id: Option<i64>,
) -> Result<i64> {
    conn.prepare_cached(
        "INSERT INTO orientation (parcours_id, date, orientation, motif, agent_id, diagnostic_id, suggestion)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        parcours_id,
        decision.date,
        decision.orientation.code(),
        decision.motif,
        agent_id,
        diagnostic_id,
        decision.suggestion.map(Orientation::code)
    ])?;
    Ok(conn.last_insert_rowid())
}

/// The decisions of a parcours, oldest first (the last one is the current orientation),
/// their agents named as a reader of the structure `lecteur` sees them, a decision received
/// from a partner by its author there.
pub fn decisions(conn: &Connection, parcours_id: i64, lecteur: i64) -> Result<Vec<Decision>> {
    let lignes = conn
        .prepare_cached(&format!(
            "SELECT o.date, o.orientation, o.motif, a.identifiant, o.suggestion, coalesce(e.auteur, {})
             FROM orientation o JOIN agent a ON a.id = o.agent_id
                  LEFT JOIN echange_element e ON e.nature = 'orientation' AND e.local_id = o.id
             WHERE o.parcours_id = ?1 ORDER BY o.date, o.id",
            super::agent::nom_vu("o.agent_id", Some(lecteur))
        ))?
        .query_map([parcours_id], |r| {
            let (orientation, suggestion): (String, Option<String>) = (r.get(1)?, r.get(4)?);
            let mut decision = Decision::new(
                r.get(0)?,
                Orientation::depuis_code(&orientation).unwrap_or(Orientation::Pro),
                r.get(2)?,
                r.get(3)?,
                suggestion.as_deref().and_then(Orientation::depuis_code),
            );
            decision.agent_nom = r.get(5)?;
            Ok(decision)
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(lignes)
}
