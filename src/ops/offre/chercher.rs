//! `offre chercher`: the catalogue, by words, thematique, place, public, fees or remote
//! access.

use anyhow::Result;
use serde::Serialize;

use crate::db;
use crate::db::offre::OffreStockee;
use crate::domain::geo::distance_km;
use crate::domain::proposition::{public, publics};
use crate::domain::suivi::thematique;
use crate::error::{UserError, erreur};
use crate::ops::{Exigence, Session};
use crate::referentiel::communes;

pub struct Recherche {
    /// Words of the name or description.
    pub texte: String,
    pub thematique: Option<String>,
    /// The commune distances are measured from.
    pub commune: Option<String>,
    /// Maximum distance in km (offers on site); needs `commune`.
    pub rayon: Option<u32>,
    pub public: Option<String>,
    pub frais: Option<String>,
    pub a_distance: bool,
}

#[derive(Serialize)]
pub struct LigneOffre {
    pub id: i64,
    pub nom: String,
    pub structure: Option<String>,
    pub commune: Option<String>,
    /// Km from the commune given; none for an offer followed remotely beyond --rayon.
    pub distance_km: Option<f64>,
    /// The offer is followed remotely (by phone, video, online).
    pub a_distance: bool,
    pub thematiques: String,
    pub frais: Option<String>,
    pub score_qualite: f64,
    pub source: String,
}

impl LigneOffre {
    pub fn depuis(o: &OffreStockee, distance_km: Option<f64>) -> LigneOffre {
        LigneOffre {
            id: o.id,
            nom: o.offre.nom.clone(),
            structure: o.offre.structure_nom.clone(),
            commune: o
                .offre
                .commune
                .as_deref()
                .and_then(communes::par_code)
                .map(|c| c.nom.to_owned()),
            distance_km: distance_km.map(|d| (d * 10.0).round() / 10.0),
            a_distance: o.offre.modes_accueil.iter().any(|m| m == "a-distance"),
            thematiques: o.offre.thematiques.join(","),
            frais: o.offre.frais.clone(),
            score_qualite: o.offre.score_qualite,
            source: o.source.clone(),
        }
    }
}

/// The active offers that match, nearest first, then best.
pub fn chercher(session: &mut Session, a: Recherche) -> Result<Vec<LigneOffre>> {
    session.base(Exigence::Agent, false, |conn, _| {
        let departement = db::meta::departement(conn)?;
        let theme = a.thematique.as_deref().map(thematique).transpose().map_err(erreur)?;
        let public = a.public.as_deref().map(public).transpose().map_err(|e| {
            UserError::usage(e).aide(format!(
                "publics data·inclusion : {}",
                crate::referentiel::listes::PUBLICS.codes().join(", ")
            ))
        })?;
        // A fee by its code or label (« Gratuit »); a value of no list is an error, not an
        // empty result.
        let frais = match a.frais.as_deref() {
            Some(f) => Some(
                crate::referentiel::listes::FRAIS
                    .lexique()
                    .code(f)
                    .map(str::to_owned)
                    .ok_or_else(|| {
                        let codes = crate::referentiel::listes::FRAIS.codes();
                        UserError::usage(format!(
                            "--frais : {} ; {}",
                            crate::domain::texte::inconnue("valeur", f),
                            crate::domain::texte::valeurs_possibles(f, &codes)
                        ))
                    })?,
            ),
            None => None,
        };
        let origine = match &a.commune {
            Some(c) => Some(communes::resoudre(c, &departement).map_err(UserError::from)?),
            None => None,
        };
        if a.rayon.is_some() && origine.is_none() {
            return Err(
                UserError::usage("--rayon demande --commune : la distance se compte depuis une commune")
                    .aide("par exemple : spie offre chercher --commune Verdun --rayon 20")
                    .into(),
            );
        }
        let texte = &a.texte;
        let categories = theme
            .as_ref()
            .map(|t| vec![t.split_once("--").map_or(t.as_str(), |(c, _)| c).to_owned()]);
        let mut lignes = Vec::new();
        for o in db::offre::actives(
            conn,
            categories.as_deref(),
            Some(texte.as_str()).filter(|t| !t.trim().is_empty()),
        )? {
            if let Some(t) = &theme
                && !o
                    .offre
                    .thematiques
                    .iter()
                    .any(|x| crate::domain::proposition::repond(t, x) || crate::domain::proposition::repond(x, t))
            {
                continue;
            }
            if public.is_some_and(|p| !publics(&o.offre, &[p])) {
                continue;
            }
            if frais.as_ref().is_some_and(|f| o.offre.frais.as_ref() != Some(f)) {
                continue;
            }
            let a_distance = o.offre.modes_accueil.iter().any(|m| m == "a-distance");
            if a.a_distance && !a_distance {
                continue;
            }
            let distance = origine.and_then(|c| {
                Some(distance_km(
                    c.coordonnees?,
                    crate::domain::proposition::position(&o.offre)?,
                ))
            });
            let au_dela = a.rayon.is_some_and(|r| distance.is_none_or(|d| d > f64::from(r)));
            if au_dela && !a_distance {
                continue;
            }
            // Found for being followed remotely: its distance is not what brings it.
            lignes.push(LigneOffre::depuis(&o, distance.filter(|_| !au_dela)));
        }
        lignes.sort_by(|x, y| {
            x.distance_km
                .unwrap_or(0.0)
                .total_cmp(&y.distance_km.unwrap_or(0.0))
                .then(y.score_qualite.total_cmp(&x.score_qualite))
        });
        Ok(lignes)
    })
}
