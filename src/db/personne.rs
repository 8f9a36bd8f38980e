//! Persons (dossiers): identity, duplicates, search by name or birth date.

use super::habilitation::{Lecteur, condition_visible};
use anyhow::Result;
use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, Row, params};

use crate::domain::personne::{Identite, Personne, Sexe};
use crate::domain::texte::normaliser;

pub fn inserer(conn: &Connection, id: &Identite, agent_id: i64, jour: NaiveDate) -> Result<i64> {
    conn.prepare_cached(
        // The number follows every number ever given, erased dossiers' included: the
        // audit trail of an erased dossier must never name someone else.
        "INSERT INTO personne (dossier, nom, prenom, nom_norm, prenom_norm, naissance, sexe, commune,
                               telephone, courriel, publics, cree_le, cree_par, france_travail, caf, adresse)
         VALUES (1 + max(coalesce((SELECT max(dossier) FROM personne), 0),
                         coalesce((SELECT max(dossier) FROM dossier_efface), 0)),
                 ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)",
    )?
    .execute(params![
        id.nom,
        id.prenom,
        normaliser(&id.nom),
        normaliser(&id.prenom),
        id.naissance,
        id.sexe.map(Sexe::code),
        id.commune,
        id.telephone,
        id.courriel,
        id.publics.join(","),
        jour,
        agent_id,
        id.france_travail,
        id.caf,
        id.adresse,
    ])?;
    Ok(conn.last_insert_rowid())
}

/// Rewrites the identity of `dossier` on day `jour`. A new commune or sex keeps the
/// previous one as what the base said until the day before, for the figures of past
/// months.
pub fn mettre_a_jour(conn: &Connection, dossier: i64, id: &Identite, jour: NaiveDate) -> Result<()> {
    conn.execute(
        "INSERT INTO identite_passee (dossier, champ, valeur, jusqu_au)
         SELECT dossier, 'commune', commune, date(?3, '-1 day') FROM personne WHERE dossier = ?1 AND commune IS NOT ?2
         UNION ALL
         SELECT dossier, 'sexe', coalesce(sexe, ''), date(?3, '-1 day') FROM personne WHERE dossier = ?1 AND sexe IS NOT ?4",
        params![dossier, id.commune, jour, id.sexe.map(Sexe::code)],
    )?;
    conn.execute(
        "UPDATE personne SET nom = ?2, prenom = ?3, nom_norm = ?4, prenom_norm = ?5, naissance = ?6,
                sexe = ?7, commune = ?8, telephone = ?9, courriel = ?10, publics = ?11,
                france_travail = ?12, caf = ?13, adresse = ?14
         WHERE dossier = ?1",
        params![
            dossier,
            id.nom,
            id.prenom,
            normaliser(&id.nom),
            normaliser(&id.prenom),
            id.naissance,
            id.sexe.map(Sexe::code),
            id.commune,
            id.telephone,
            id.courriel,
            id.publics.join(","),
            id.france_travail,
            id.caf,
            id.adresse
        ],
    )?;
    Ok(())
}

fn personne_de(r: &Row) -> rusqlite::Result<Personne> {
    let sexe: Option<String> = r.get(4)?;
    let publics: String = r.get(8)?;
    Ok(Personne {
        dossier: r.get(0)?,
        identite: Identite {
            nom: r.get(1)?,
            prenom: r.get(2)?,
            naissance: r.get(3)?,
            sexe: sexe.as_deref().and_then(Sexe::depuis_code),
            commune: r.get(5)?,
            telephone: r.get(6)?,
            courriel: r.get(7)?,
            publics: publics
                .split(',')
                .filter(|p| !p.is_empty())
                .map(str::to_owned)
                .collect(),
            france_travail: r.get(10)?,
            caf: r.get(11)?,
            adresse: r.get(12)?,
        },
        cree_le: r.get(9)?,
    })
}

/// The person of dossier `dossier`; `None` when the base holds no such dossier (never
/// given, or erased: see [`super::droits::efface_le`]).
pub fn personne(conn: &Connection, dossier: i64) -> Result<Option<Personne>> {
    Ok(conn
        .prepare_cached(
            "SELECT dossier, nom, prenom, naissance, sexe, commune, telephone, courriel, publics, cree_le,
                    france_travail, caf, adresse
             FROM personne WHERE dossier = ?1",
        )?
        .query_row([dossier], personne_de)
        .optional()?)
}

/// How close another dossier is to an identity being recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ressemblance {
    /// Same normalised name, given name and birth date: the same person.
    Identique,
    /// Same name and given name, another birth date.
    MemeNomEtPrenom,
    /// Same name and birth date, another given name.
    MemeNomEtNaissance,
}

/// Other dossiers that may be the same person, closest first.
pub fn ressemblants(conn: &Connection, id: &Identite, sauf: Option<i64>) -> Result<Vec<(i64, Ressemblance)>> {
    let (nom, prenom) = (normaliser(&id.nom), normaliser(&id.prenom));
    let mut stmt = conn.prepare_cached(
        "SELECT dossier, prenom_norm, naissance FROM personne
         WHERE nom_norm = ?1 AND (prenom_norm = ?2 OR naissance = ?3) AND dossier IS NOT ?4",
    )?;
    let mut trouves: Vec<(i64, Ressemblance)> = stmt
        .query_map(params![nom, prenom, id.naissance, sauf], |r| {
            let (dossier, p, n): (i64, String, NaiveDate) = (r.get(0)?, r.get(1)?, r.get(2)?);
            Ok((
                dossier,
                match (p == prenom, n == id.naissance) {
                    (true, true) => Ressemblance::Identique,
                    (true, false) => Ressemblance::MemeNomEtPrenom,
                    _ => Ressemblance::MemeNomEtNaissance,
                },
            ))
        })?
        .collect::<rusqlite::Result<_>>()?;
    trouves.sort_by_key(|(d, r)| (*r as u8, *d));
    Ok(trouves)
}

/// Dossiers whose telephone, e-mail, France Travail identifier or CAF number is one of
/// `valeurs` (each in its stored form), among those `lecteur` may see. At most `limite`.
pub fn par_coordonnee(conn: &Connection, valeurs: &[String], lecteur: Lecteur, limite: usize) -> Result<Vec<i64>> {
    let visible = condition_visible("p.dossier", lecteur);
    let mut dossiers = std::collections::BTreeSet::new();
    // One indexed lookup per column and value.
    for colonne in ["telephone", "courriel", "france_travail", "caf"] {
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT p.dossier FROM personne p WHERE p.{colonne} = ?1 AND {visible} LIMIT ?2"
        ))?;
        for v in valeurs {
            for d in stmt.query_map(params![v, limite as i64], |r| r.get::<_, i64>(0))? {
                dossiers.insert(d?);
            }
        }
    }
    Ok(dossiers.into_iter().take(limite).collect())
}

/// Dossiers whose names start with every word of `mots` (in any order, on name or given
/// name) and, when given, born on `naissance`. At most `limite` dossiers.
pub fn chercher(
    conn: &Connection,
    mots: &[String],
    naissance: Option<NaiveDate>,
    lecteur: Lecteur,
    limite: usize,
) -> Result<Vec<i64>> {
    let requete_fts: String = mots.iter().map(|m| format!("\"{m}\"*")).collect::<Vec<_>>().join(" ");
    let limite = limite as i64;
    let visible = condition_visible("p.dossier", lecteur);
    let dossiers = match (mots.is_empty(), naissance) {
        (true, None) => Vec::new(),
        (true, Some(n)) => conn
            .prepare_cached(&format!(
                "SELECT p.dossier FROM personne p WHERE p.naissance = ?1 AND {visible} LIMIT ?2"
            ))?
            .query_map(params![n, limite], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?,
        (false, n) => conn
            .prepare_cached(&format!(
                "SELECT f.rowid FROM personne_fts f JOIN personne p ON p.dossier = f.rowid
                 WHERE personne_fts MATCH ?1 AND (?2 IS NULL OR p.naissance = ?2) AND {visible} LIMIT ?3"
            ))?
            .query_map(params![requete_fts, n, limite], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?,
    };
    Ok(dossiers)
}
