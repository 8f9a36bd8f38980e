//! The caseworker's day: what needs doing on the open parcours of an agent (those they
//! are référent or member of, and those of their structure without référent), or of all.

use anyhow::Result;
use chrono::{Days, NaiveDate};
use rusqlite::{Connection, params};
use serde::Serialize;

use super::suivi::dernier_contact;
use crate::domain::date::fr;

crate::codes! {
    /// Kind of thing to do, in the order they are listed.
    pub enum Categorie {
        /// Action dont l'échéance est passée
        ActionEnRetard = "action-en-retard",
        /// Parcours sans référent
        SansReferent = "sans-referent",
        /// Pas de diagnostic 30 jours après l'entrée
        SansDiagnostic = "sans-diagnostic",
        /// Pas de décision d'orientation 30 jours après le diagnostic
        SansOrientation = "sans-orientation",
        /// Pas de contact avec la personne depuis 90 jours
        SansContact = "sans-contact",
        /// Dernier diagnostic de plus de 12 mois
        DiagnosticAncien = "diagnostic-ancien",
    }
}

#[derive(Debug, Serialize)]
pub struct Tache {
    pub categorie: Categorie,
    pub dossier: i64,
    /// Given name and name.
    pub personne: String,
    /// The date the task dates from (due date, entry, diagnostic, last contact).
    pub date: NaiveDate,
    pub detail: String,
    pub referent: Option<String>,
}

/// `agent`: (agent id, their structure id); `None` for every open parcours.
pub fn a_faire(conn: &Connection, aujourdhui: NaiveDate, agent: Option<(i64, i64)>) -> Result<Vec<Tache>> {
    let (agent_id, structure_id) = agent.unzip();
    let jours = |n: u64| aujourdhui - Days::new(n);
    // One row per open parcours in scope, with what each rule needs.
    let sql = format!(
        "WITH ids AS MATERIALIZED (
            -- Through the indexes: the agent's parcours (or all), and, for the sole task of
            -- naming a référent, those of the agent's structure that have none.
            SELECT parcours_id AS id, 1 AS suivi FROM referent WHERE agent_id = ?1 AND fin IS NULL
            UNION SELECT parcours_id, 1 FROM membre WHERE agent_id = ?1 AND fin IS NULL
            UNION SELECT id, 1 FROM parcours WHERE ?1 IS NULL AND sortie IS NULL
            UNION SELECT pa.id, 0 FROM parcours pa
                   WHERE pa.structure_id = ?2 AND pa.sortie IS NULL
                     AND NOT EXISTS (SELECT 1 FROM referent r WHERE r.parcours_id = pa.id AND r.fin IS NULL)
        ),
        perimetre AS MATERIALIZED (
            SELECT pa.id, pa.dossier, pa.entree, pe.prenom || ' ' || pe.nom AS personne, max(ids.suivi) AS suivi,
                   (SELECT a.identifiant FROM referent r JOIN agent a ON a.id = r.agent_id
                     WHERE r.parcours_id = pa.id AND r.fin IS NULL) AS referent,
                   (SELECT max(d.date) FROM diagnostic d WHERE d.parcours_id = pa.id) AS diagnostic,
                   {contact} AS contact
            FROM ids JOIN parcours pa ON pa.id = ids.id JOIN personne pe ON pe.dossier = pa.dossier
            WHERE pa.sortie IS NULL
            GROUP BY pa.id
        )
        SELECT 'action-en-retard', p.dossier, p.personne, ac.echeance,
               'action ' || ac.id || ' « ' || ac.libelle || ' »', p.referent
          FROM perimetre p JOIN action ac ON ac.parcours_id = p.id
         WHERE p.suivi AND ac.statut IN ('proposee', 'en-cours') AND ac.echeance < ?3
        UNION ALL
        SELECT 'sans-referent', p.dossier, p.personne, p.entree, 'entré le ' || p.entree, NULL
          FROM perimetre p WHERE p.referent IS NULL
        UNION ALL
        SELECT 'sans-diagnostic', p.dossier, p.personne, p.entree, 'entré le ' || p.entree, p.referent
          FROM perimetre p WHERE p.suivi AND p.diagnostic IS NULL AND p.entree < ?4
        UNION ALL
        SELECT 'sans-orientation', p.dossier, p.personne, p.diagnostic, 'diagnostic du ' || p.diagnostic, p.referent
          FROM perimetre p
         WHERE p.suivi AND p.diagnostic < ?4
           AND NOT EXISTS (SELECT 1 FROM orientation o WHERE o.parcours_id = p.id AND o.date >= p.diagnostic)
        UNION ALL
        SELECT 'sans-contact', p.dossier, p.personne, coalesce(p.contact, p.entree),
               CASE WHEN p.contact IS NULL THEN 'aucun contact depuis l''entrée le ' || p.entree
                    ELSE 'dernier contact le ' || p.contact END, p.referent
          FROM perimetre p WHERE p.suivi AND coalesce(p.contact, p.entree) < ?5
        UNION ALL
        SELECT 'diagnostic-ancien', p.dossier, p.personne, p.diagnostic, 'dernier diagnostic le ' || p.diagnostic, p.referent
          FROM perimetre p WHERE p.suivi AND p.diagnostic < ?6",
        contact = dernier_contact("pa")
    );
    let mut taches: Vec<Tache> = conn
        .prepare_cached(&sql)?
        .query_map(
            params![agent_id, structure_id, aujourdhui, jours(30), jours(90), jours(365)],
            |r| {
                let categorie: String = r.get(0)?;
                let date: NaiveDate = r.get(3)?;
                let detail: String = r.get(4)?;
                Ok(Tache {
                    categorie: Categorie::depuis_code(&categorie).unwrap_or(Categorie::SansContact),
                    dossier: r.get(1)?,
                    personne: r.get(2)?,
                    date,
                    // Dates in the sentence the French way.
                    detail: detail.replace(&date.to_string(), &fr(date)),
                    referent: r.get(5)?,
                })
            },
        )?
        .collect::<rusqlite::Result<_>>()?;
    taches.sort_by_key(|t| (t.categorie, t.date, t.dossier));
    Ok(taches)
}
