//! The caseworker's day: what needs doing on the open parcours of an agent (those they
//! are référent or member of, and those of their structure without référent), or of all
//! those the agent may see. Facts only: the caller words them.

use anyhow::Result;
use chrono::{Days, NaiveDate};
use rusqlite::{Connection, params};

use super::habilitation::{Lecteur, condition_visible};
use super::suivi::dernier_contact;

crate::codes! {
    /// Kind of thing to do, in the order they are listed.
    pub enum Categorie {
        /// Dossier lu sans lien (bris de glace)
        LectureSansLien = "lecture-sans-lien" / "lecture sans lien",
        /// Rendez-vous du jour
        RdvDuJour = "rdv-du-jour" / "rendez-vous du jour",
        /// Action dont l'échéance est passée
        ActionEnRetard = "action-en-retard" / "action en retard",
        /// Rendez-vous passé dont l'issue n'est pas notée
        RdvSansIssue = "rdv-sans-issue" / "rendez-vous sans issue",
        /// Deux absences de suite aux rendez-vous
        DeuxAbsences = "deux-absences" / "deux absences",
        /// Prescription envoyée sans réponse du partenaire depuis 15 jours
        PrescriptionSansReponse = "prescription-sans-reponse" / "prescription sans réponse",
        /// Contrat (CER, PPAE, CEJ, PACEA) qui prend fin dans les 30 jours
        ContratAEcheance = "contrat-a-echeance" / "contrat à échéance",
        /// Parcours sans référent
        SansReferent = "sans-referent" / "sans référent",
        /// Pas de diagnostic 30 jours après l'entrée
        SansDiagnostic = "sans-diagnostic" / "sans diagnostic",
        /// Pas de décision d'orientation 30 jours après le diagnostic
        SansOrientation = "sans-orientation" / "sans orientation",
        /// Pas de contact avec la personne depuis 90 jours
        SansContact = "sans-contact" / "sans contact",
        /// Dernier diagnostic de plus de 12 mois
        DiagnosticAncien = "diagnostic-ancien" / "diagnostic ancien",
    }
}

/// A thing to do on an open parcours.
#[derive(Debug)]
pub struct Fait {
    pub categorie: Categorie,
    pub dossier: i64,
    /// Given name and name.
    pub personne: String,
    /// The date the task dates from (due date, entry, diagnostic, last contact or entry).
    pub date: NaiveDate,
    /// The late action: its number and label.
    pub action: Option<(i64, String)>,
    /// Whether `date` is a contact with the person (not the entry).
    pub contact: bool,
    pub referent: Option<String>,
    /// The référent's name, and structure when it is not the agent's.
    pub referent_nom: Option<String>,
}

/// `lecteur`: the agent at work, who sees only the dossiers the rule lets them see; `tous`:
/// every open parcours they may see, not only those they follow.
pub fn a_faire(conn: &Connection, aujourdhui: NaiveDate, lecteur: Lecteur, tous: bool) -> Result<Vec<Fait>> {
    let jours = |n: u64| aujourdhui - Days::new(n);
    // Through the indexes: the agent's parcours (or, with `tous`, every open one), and, for
    // the sole task of naming a référent, those of the agent's structure that have none.
    // Two statements rather than `?1 IS NULL OR …`, which would read every open parcours.
    let suivis = if tous {
        "SELECT id, 1 AS suivi FROM parcours WHERE sortie IS NULL"
    } else {
        "SELECT parcours_id AS id, 1 AS suivi FROM referent WHERE agent_id = ?1 AND fin IS NULL
            UNION SELECT parcours_id, 1 FROM membre WHERE agent_id = ?1 AND fin IS NULL"
    };
    // One row per open parcours in scope, with what each rule needs.
    let sql = format!(
        "WITH ids AS MATERIALIZED (
            {suivis}
            -- Through the partial index `parcours_sans_referent`: only those without référent.
            UNION SELECT pa.id, 0 FROM parcours pa
                   WHERE pa.structure_id = ?2 AND pa.sortie IS NULL AND pa.sans_referent = 1
        ),
        perimetre AS MATERIALIZED (
            -- A parcours of the structure without référent that the agent does not follow
            -- (suivi 0) only needs its person and entry: the rest is left unread.
            SELECT pa.id, pa.dossier, pa.entree, pe.prenom || ' ' || pe.nom AS personne, max(ids.suivi) AS suivi,
                   CASE WHEN max(ids.suivi) THEN (SELECT a.identifiant FROM referent r JOIN agent a ON a.id = r.agent_id
                     WHERE r.parcours_id = pa.id AND r.fin IS NULL) END AS referent,
                   CASE WHEN max(ids.suivi) THEN
                     (SELECT {nom_referent} FROM referent r WHERE r.parcours_id = pa.id AND r.fin IS NULL) END AS referent_nom,
                   CASE WHEN max(ids.suivi) THEN
                     (SELECT max(d.date) FROM diagnostic d WHERE d.parcours_id = pa.id AND d.erreur_le IS NULL) END AS diagnostic,
                   CASE WHEN max(ids.suivi) THEN {contact} END AS contact
            FROM ids JOIN parcours pa ON pa.id = ids.id JOIN personne pe ON pe.dossier = pa.dossier
            WHERE pa.sortie IS NULL AND {visible}
            GROUP BY pa.id
        )
        SELECT 'action-en-retard', p.dossier, p.personne, ac.echeance, ac.id, ac.libelle, 0, p.referent, p.referent_nom
          FROM perimetre p JOIN action ac ON ac.parcours_id = p.id
         WHERE p.suivi AND ac.statut IN ('proposee', 'en-cours') AND ac.echeance < ?3
        UNION ALL
        SELECT 'sans-referent', p.dossier, p.personne, p.entree, NULL, NULL, 0, NULL, NULL
          FROM perimetre p WHERE p.referent IS NULL
        UNION ALL
        SELECT 'sans-diagnostic', p.dossier, p.personne, p.entree, NULL, NULL, 0, p.referent, p.referent_nom
          FROM perimetre p WHERE p.suivi AND p.diagnostic IS NULL AND p.entree < ?4
        UNION ALL
        SELECT 'sans-orientation', p.dossier, p.personne, p.diagnostic, NULL, NULL, 0, p.referent, p.referent_nom
          FROM perimetre p
         WHERE p.suivi AND p.diagnostic < ?4
           AND NOT EXISTS (SELECT 1 FROM orientation o WHERE o.parcours_id = p.id AND o.date >= p.diagnostic)
        UNION ALL
        SELECT 'sans-contact', p.dossier, p.personne, coalesce(p.contact, p.entree), NULL, NULL,
               p.contact IS NOT NULL, p.referent, p.referent_nom
          FROM perimetre p WHERE p.suivi AND coalesce(p.contact, p.entree) < ?5
        UNION ALL
        SELECT 'diagnostic-ancien', p.dossier, p.personne, p.diagnostic, NULL, NULL, 0, p.referent, p.referent_nom
          FROM perimetre p WHERE p.suivi AND p.diagnostic < ?6",
        contact = dernier_contact("pa"),
        visible = condition_visible("pa.dossier", lecteur),
        nom_referent = super::agent::nom_vu("r.agent_id", Some(lecteur.structure_id)),
    );
    let mut faits: Vec<Fait> = conn
        .prepare_cached(&sql)?
        .query_map(
            params![
                lecteur.agent_id,
                lecteur.structure_id,
                aujourdhui,
                jours(30),
                jours(90),
                jours(365)
            ],
            |r| {
                let categorie: String = r.get(0)?;
                let action: Option<i64> = r.get(4)?;
                let libelle: Option<String> = r.get(5)?;
                Ok(Fait {
                    categorie: Categorie::depuis_code(&categorie).unwrap_or(Categorie::SansContact),
                    dossier: r.get(1)?,
                    personne: r.get(2)?,
                    date: r.get(3)?,
                    action: action.zip(libelle),
                    contact: r.get(6)?,
                    referent: r.get(7)?,
                    referent_nom: r.get(8)?,
                })
            },
        )?
        .collect::<rusqlite::Result<_>>()?;
    faits.sort_by_key(|t| (t.categorie, t.date, t.dossier));
    Ok(faits)
}

/// The current référent (identifier, and name as `lecteur` sees it) of each open parcours of
/// these dossiers that has one.
pub fn referents(
    conn: &Connection,
    dossiers: &[i64],
    lecteur: Lecteur,
) -> Result<std::collections::HashMap<i64, (String, String)>> {
    let sql = format!(
        "SELECT pa.dossier, a.identifiant, {nom}
           FROM parcours pa JOIN referent r ON r.parcours_id = pa.id AND r.fin IS NULL
           JOIN agent a ON a.id = r.agent_id
          WHERE pa.dossier = ?1 AND pa.sortie IS NULL",
        nom = super::agent::nom_vu("r.agent_id", Some(lecteur.structure_id)),
    );
    let mut requete = conn.prepare_cached(&sql)?;
    let mut sortie = std::collections::HashMap::new();
    for dossier in dossiers {
        let mut lignes = requete.query(params![dossier])?;
        if let Some(r) = lignes.next()? {
            sortie.insert(*dossier, (r.get(1)?, r.get(2)?));
        }
    }
    Ok(sortie)
}
