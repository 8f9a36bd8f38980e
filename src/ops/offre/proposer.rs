//! `offre proposer`: the person's needs (barriers of the last diagnostic, its
//! professional needs, the open objectives) matched to the catalogue, with the reasons.

use anyhow::Result;
use rusqlite::Connection;
use serde::Serialize;

use crate::db;
use crate::domain::date;
use crate::domain::grille::{GRILLE, Niveau};
use crate::domain::habilitation::Action;
use crate::domain::personne::{Sexe, publics_data_inclusion};
use crate::domain::proposition::{self, Besoin};
use crate::domain::suivi::StatutObjectif;
use crate::error::erreur;
use crate::ops::Session;
use crate::referentiel::communes;

pub struct Demande {
    pub dossier: i64,
    /// Maximum distance in km of the offers on site.
    pub rayon: u32,
    pub max: usize,
}

/// One offer proposed, best first.
#[derive(Serialize)]
pub struct Proposition {
    pub rang: i64,
    pub offre: i64,
    pub nom: String,
    pub structure: Option<String>,
    pub commune: Option<String>,
    /// Km from the person's commune; none for an offer followed remotely.
    pub distance_km: Option<f64>,
    /// The offer is followed remotely (by phone, video, online): proposed whatever the
    /// distance.
    pub a_distance: bool,
    pub besoin: String,
    pub raison: String,
    pub eligibilite: String,
    pub score_qualite: f64,
}

/// The offers proposed, and how many answer the needs in all (`d.max` at most are given).
pub struct Propositions {
    pub offres: Vec<Proposition>,
    pub en_tout: usize,
}

/// The offers that answer the needs of the person of `d.dossier`; a dossier without any
/// known need is an error telling how to give it one.
pub fn proposer(session: &mut Session, d: Demande) -> Result<Propositions> {
    let (personne, besoins, offres) = session.dossier(d.dossier, Action::Lire, None, |s| {
        let personne = crate::ops::dossier::personne(s.tx, d.dossier)?;
        let besoins = besoins(s.tx, d.dossier)?;
        // A closed parcours has no objective in progress: that is the reason to tell.
        if besoins.is_empty() {
            crate::ops::parcours::parcours_ouvert(s.tx, d.dossier)?;
        }
        let mut categories: Vec<String> = besoins
            .iter()
            .map(|b| b.code.split_once("--").map_or(b.code.as_str(), |(c, _)| c).to_owned())
            .collect();
        categories.sort();
        categories.dedup();
        let offres = if besoins.is_empty() {
            Vec::new()
        } else {
            db::offre::actives(s.tx, Some(&categories), None)?
        };
        Ok((personne, besoins, offres))
    })?;
    if besoins.is_empty() {
        return Err(erreur(format!("le dossier {} n'a aucun besoin connu", d.dossier))
            .aide(format!(
                "faites son diagnostic (spie diagnostic nouveau {0}) ou fixez un objectif (spie parcours objectif ajouter {0} --thematique …)",
                d.dossier
            ))
            .into());
    }
    let id = &personne.identite;
    let mut publics: Vec<&str> = id
        .publics
        .iter()
        .flat_map(|p| publics_data_inclusion(p).iter().copied())
        .collect();
    let age = date::age(id.naissance, session.aujourdhui);
    if age < 26 {
        publics.push("jeunes");
    }
    if age >= 50 {
        publics.push("seniors");
    }
    if id.sexe == Some(Sexe::F) {
        publics.push("femmes");
    }
    let commune =
        communes::par_code(&id.commune).ok_or_else(|| erreur("commune de la personne inconnue du référentiel"))?;
    let candidates: Vec<(i64, &crate::domain::offre::Offre)> = offres.iter().map(|o| (o.id, &o.offre)).collect();
    let propositions = proposition::proposer(&besoins, &commune, &publics, &candidates, f64::from(d.rayon));
    let en_tout = propositions.len();
    let proposees = propositions
        .iter()
        .take(d.max)
        .enumerate()
        .filter_map(|(i, p)| {
            let o = &offres.iter().find(|o| o.id == p.offre)?.offre;
            Some(Proposition {
                rang: i as i64 + 1,
                offre: p.offre,
                nom: o.nom.clone(),
                structure: o.structure_nom.clone(),
                commune: o
                    .commune
                    .as_deref()
                    .and_then(communes::par_code)
                    .map(|c| c.nom.to_owned()),
                distance_km: p.distance_km,
                a_distance: p.distance_km.is_none(),
                besoin: p.besoin.clone(),
                raison: p.raison.clone(),
                eligibilite: p.eligibilite.clone(),
                score_qualite: p.score_qualite,
            })
        })
        .collect();
    Ok(Propositions {
        offres: proposees,
        en_tout,
    })
}

/// The person's needs, most important first: the strong then medium barriers of the last
/// diagnostic, its professional needs, the objectives in progress.
pub(super) fn besoins(conn: &Connection, dossier: i64) -> Result<Vec<Besoin>> {
    let mut besoins: Vec<Besoin> = Vec::new();
    if let Some(d) = db::diagnostic::dernier(conn, dossier)? {
        for niveau in [Niveau::Fort, Niveau::Moyen] {
            for def in GRILLE.iter().filter(|def| d.reponses.niveau(def.dimension) == niveau) {
                for categorie in def.categories {
                    besoins.push(Besoin {
                        code: (*categorie).to_owned(),
                        raison: format!("frein {} : {}", niveau.code(), def.libelle.to_lowercase()),
                    });
                }
            }
        }
        for b in &d.reponses.besoins {
            besoins.push(Besoin {
                code: b.clone(),
                raison: "besoin professionnel du diagnostic".into(),
            });
        }
    }
    if let Some(p) = db::parcours::ouvert(conn, dossier)? {
        for o in db::suivi::objectifs(conn, p.id)?
            .into_iter()
            .filter(|o| o.statut == StatutObjectif::EnCours)
        {
            besoins.push(Besoin {
                code: o.thematique.clone(),
                raison: format!("objectif {}", o.id),
            });
        }
    }
    Ok(besoins)
}
