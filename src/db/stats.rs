//! What the monthly indicators are computed from: one line per parcours that existed
//! during the month, with its state at the month's last day, and the month's counts.

use std::collections::BTreeMap;

use anyhow::Result;
use chrono::Days;
use rusqlite::{Connection, params};

use super::suivi::types_contact;
use crate::domain::diagnostic::Orientation;
use crate::domain::grille::Dimension;
use crate::domain::indicateurs::{Comptes, LigneParcours, Mois};
use crate::domain::parcours::MotifSortie;

/// A parcours line with what it can be grouped by.
pub struct LigneStats {
    pub ligne: LigneParcours,
    /// INSEE code of the person's commune.
    pub commune: String,
    pub structure: String,
    /// The référent at D1.
    pub referent: Option<String>,
}

pub fn lignes(conn: &Connection, mois: Mois) -> Result<Vec<LigneStats>> {
    let contact_90j = format!(
        "(SELECT 1 FROM journal j WHERE j.parcours_id = pa.id AND j.type IN ({}) AND j.date > ?3 AND j.date <= ?2)",
        types_contact()
    );
    let sql = format!(
        "SELECT pa.entree, pa.sortie, pa.motif_sortie, pe.commune, s.nom,
                (SELECT min(d.date) FROM diagnostic d WHERE d.parcours_id = pa.id),
                (SELECT o.orientation FROM orientation o WHERE o.parcours_id = pa.id AND o.date <= ?2
                  ORDER BY o.date DESC, o.id DESC LIMIT 1),
                (SELECT a.identifiant FROM referent r JOIN agent a ON a.id = r.agent_id
                  WHERE r.parcours_id = pa.id AND r.debut <= ?2 AND (r.fin IS NULL OR r.fin > ?2)
                  ORDER BY r.debut DESC LIMIT 1),
                EXISTS {contact_90j},
                (SELECT group_concat(dc.dimension) FROM diagnostic_contrainte dc
                  WHERE (dc.niveau = 'moyen' OR dc.niveau = 'fort')
                    AND dc.diagnostic_id = (SELECT d.id FROM diagnostic d WHERE d.parcours_id = pa.id AND d.date <= ?2
                                            ORDER BY d.date DESC, d.id DESC LIMIT 1))
         FROM parcours pa
         JOIN personne pe ON pe.dossier = pa.dossier
         JOIN structure s ON s.id = pa.structure_id
         WHERE pa.entree <= ?2 AND (pa.sortie IS NULL OR pa.sortie >= ?1)"
    );
    let lignes = conn
        .prepare(&sql)?
        .query_map(params![mois.d0, mois.d1, mois.d1 - Days::new(90)], |r| {
            let motif: Option<String> = r.get(2)?;
            let orientation: Option<String> = r.get(6)?;
            let freins: Option<String> = r.get(9)?;
            Ok(LigneStats {
                ligne: LigneParcours {
                    entree: r.get(0)?,
                    sortie: r.get(1)?,
                    motif_sortie: motif.as_deref().and_then(MotifSortie::depuis_code),
                    premier_diagnostic: r.get(5)?,
                    orientation_d1: orientation.as_deref().and_then(Orientation::depuis_code),
                    referent_d1: r.get::<_, Option<String>>(7)?.is_some(),
                    contact_90j: r.get(8)?,
                    freins_d1: freins
                        .unwrap_or_default()
                        .split(',')
                        .filter_map(Dimension::depuis_code)
                        .collect(),
                },
                commune: r.get(3)?,
                structure: r.get(4)?,
                referent: r.get(7)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(lignes)
}

fn categorie(thematique: Option<String>) -> String {
    match thematique {
        Some(t) => t.split_once("--").map_or(t.as_str(), |(c, _)| c).to_owned(),
        None => "sans-thematique".into(),
    }
}

fn par_cle(
    conn: &Connection,
    sql: &str,
    mois: Mois,
    cle: fn(Option<String>) -> String,
) -> Result<BTreeMap<String, usize>> {
    let mut comptes = BTreeMap::new();
    let mut stmt = conn.prepare(sql)?;
    let mut rows = stmt.query(params![mois.d0, mois.d1])?;
    while let Some(r) = rows.next()? {
        *comptes.entry(cle(r.get(0)?)).or_default() += 1;
    }
    Ok(comptes)
}

pub fn comptes(conn: &Connection, mois: Mois) -> Result<Comptes> {
    Ok(Comptes {
        diagnostics: conn.query_row(
            "SELECT count(*) FROM diagnostic WHERE date BETWEEN ?1 AND ?2",
            params![mois.d0, mois.d1],
            |r| r.get::<_, i64>(0),
        )? as usize,
        actions_creees: par_cle(
            conn,
            "SELECT thematique FROM action WHERE cree_le BETWEEN ?1 AND ?2",
            mois,
            categorie,
        )?,
        actions_realisees: par_cle(
            conn,
            "SELECT ac.thematique FROM action_statut st JOIN action ac ON ac.id = st.action_id
             WHERE st.statut = 'realisee' AND st.date BETWEEN ?1 AND ?2",
            mois,
            categorie,
        )?,
        prescriptions: par_cle(
            conn,
            "SELECT so.nom FROM action ac JOIN offre o ON o.id = ac.offre_id JOIN source so ON so.id = o.source_id
             WHERE ac.cree_le BETWEEN ?1 AND ?2",
            mois,
            |s| s.unwrap_or_default(),
        )?,
    })
}

/// The indicators of a month for the whole base.
pub fn indicateurs(
    conn: &Connection,
    mois: Mois,
    aujourdhui: chrono::NaiveDate,
) -> Result<crate::domain::indicateurs::Indicateurs> {
    let lignes: Vec<LigneParcours> = lignes(conn, mois)?.into_iter().map(|l| l.ligne).collect();
    Ok(crate::domain::indicateurs::calculer(
        mois,
        aujourdhui,
        &lignes,
        comptes(conn, mois)?,
    ))
}

/// One line of the Département's `parcours.csv`, before pseudonymisation.
pub struct LigneExport {
    pub nom_norm: String,
    pub prenom_norm: String,
    pub naissance: chrono::NaiveDate,
    pub efface: bool,
    pub sexe: Option<String>,
    pub commune: String,
    pub entree: chrono::NaiveDate,
    pub sortie: Option<chrono::NaiveDate>,
    pub motif_sortie: Option<String>,
    pub orientation: Option<String>,
    /// dimension → level, from the last diagnostic on or before D1.
    pub niveaux: BTreeMap<String, String>,
    pub actions: i64,
    pub actions_realisees: i64,
}

/// The parcours active during the month, with what the export publishes about them.
pub fn lignes_export(conn: &Connection, mois: Mois) -> Result<Vec<LigneExport>> {
    let mut stmt = conn.prepare(
        "SELECT pe.nom_norm, pe.prenom_norm, pe.naissance, pe.efface_le IS NOT NULL, pe.sexe, pe.commune,
                pa.entree, pa.sortie, pa.motif_sortie,
                (SELECT o.orientation FROM orientation o WHERE o.parcours_id = pa.id AND o.date <= ?2
                  ORDER BY o.date DESC, o.id DESC LIMIT 1),
                (SELECT group_concat(dc.dimension || ':' || dc.niveau) FROM diagnostic_contrainte dc
                  WHERE dc.diagnostic_id = (SELECT d.id FROM diagnostic d WHERE d.parcours_id = pa.id AND d.date <= ?2
                                            ORDER BY d.date DESC, d.id DESC LIMIT 1)),
                (SELECT count(*) FROM action ac WHERE ac.parcours_id = pa.id AND ac.cree_le <= ?2),
                (SELECT count(DISTINCT st.action_id) FROM action_statut st JOIN action ac ON ac.id = st.action_id
                  WHERE ac.parcours_id = pa.id AND st.statut = 'realisee' AND st.date <= ?2)
         FROM parcours pa JOIN personne pe ON pe.dossier = pa.dossier
         WHERE pa.entree <= ?2 AND (pa.sortie IS NULL OR pa.sortie >= ?1)",
    )?;
    let lignes = stmt
        .query_map(params![mois.d0, mois.d1], |r| {
            let niveaux: Option<String> = r.get(10)?;
            Ok(LigneExport {
                nom_norm: r.get(0)?,
                prenom_norm: r.get(1)?,
                naissance: r.get(2)?,
                efface: r.get(3)?,
                sexe: r.get(4)?,
                commune: r.get(5)?,
                entree: r.get(6)?,
                sortie: r.get(7)?,
                motif_sortie: r.get(8)?,
                orientation: r.get(9)?,
                niveaux: niveaux
                    .unwrap_or_default()
                    .split(',')
                    .filter_map(|p| p.split_once(':').map(|(d, n)| (d.to_owned(), n.to_owned())))
                    .collect(),
                actions: r.get(11)?,
                actions_realisees: r.get(12)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(lignes)
}
