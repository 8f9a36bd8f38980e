//! Matching a person's needs to the territory's offers: the right
//! thematique, eligible where they live, for a public they belong to, on site within
//! reach or remote; ordered by need, then distance, then quality; every line says why.

use serde::Serialize;

use super::geo::distance_km;
use super::offre::Offre;
use crate::referentiel::communes::{self, Commune};

/// A need, in the order of importance: a thematique code or a whole category.
#[derive(Debug, Clone, PartialEq)]
pub struct Besoin {
    pub code: String,
    /// Why it is a need: "frein fort : mobilité", "besoin du diagnostic", "objectif 3".
    pub raison: String,
}

/// Whether an offer's thematique answers a need.
pub fn repond(besoin: &str, thematique: &str) -> bool {
    let categorie = |code: &str| code.split_once("--").map_or(code, |(c, _)| c).to_owned();
    if besoin.contains("--") {
        thematique == besoin || thematique == categorie(besoin)
    } else {
        thematique == besoin || thematique.starts_with(&format!("{besoin}--"))
    }
}

/// The thematique of an offer that an action using it carries: the first that answers
/// one of `besoins` (most important first), else the offer's first.
pub fn thematique_pour<'o>(thematiques: &'o [String], besoins: &[String]) -> Option<&'o String> {
    besoins
        .iter()
        .find_map(|b| thematiques.iter().find(|t| repond(b, t)))
        .or_else(|| thematiques.first())
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Proposition {
    pub offre: i64,
    pub besoin: String,
    pub raison: String,
    pub eligibilite: String,
    /// Km from the person's commune; `None` for a remote offer.
    pub distance_km: Option<f64>,
    pub score_qualite: f64,
    #[serde(skip)]
    rang: usize,
}

/// Whether the person's commune is in the offer's zone; the reason in words.
fn eligibilite(zone: &[String], personne: &Commune) -> Option<String> {
    if zone.is_empty() {
        return Some("zone non précisée".into());
    }
    zone.iter().find_map(|z| match z.as_str() {
        "france" | "99100" => Some("toute la France".to_string()),
        z if z == personne.code => Some(format!("commune {}", personne.nom)),
        z if z == personne.code_epci => Some(format!("EPCI {}", personne.nom_epci)),
        z if z == personne.departement => Some(format!("département {}", personne.departement)),
        _ => None,
    })
}

/// A data·inclusion public typed by the user (`offre chercher --public`), as its code or
/// its label; an unknown one is an error naming it, with the nearest codes.
pub fn public(saisie: &str) -> Result<&'static str, String> {
    let liste = &crate::referentiel::listes::PUBLICS;
    if let Some(code) = liste.lexique().code(saisie) {
        return Ok(code);
    }
    let montre = super::texte::apercu(saisie, super::texte::APERCU);
    Err(format!(
        "{} ; vouliez-vous dire {} ?",
        super::texte::inconnu("public", saisie),
        liste.proches(&montre).join(", ")
    ))
}

/// Whether the offer fits the person's publics (or is for everyone).
pub fn publics(offre: &Offre, siens: &[&str]) -> bool {
    offre.publics.is_empty()
        || offre
            .publics
            .iter()
            .any(|p| p == "tous-publics" || siens.contains(&p.as_str()))
}

/// Where the offer is: its own coordinates, or its commune's centroid.
pub fn position(offre: &Offre) -> Option<(f64, f64)> {
    offre
        .latitude
        .zip(offre.longitude)
        .or_else(|| offre.commune.as_deref().and_then(communes::par_code)?.coordonnees)
}

/// Every offer that answers a need of the person within reach, in the order to show them:
/// each need in turn (the best offer of each need, most important need first, then the
/// second of each…), so that the first offers shown answer every need and not only the
/// first; within a need, the nearest first (an offer followed remotely counts as 0 km),
/// then the best quality.
pub fn proposer(
    besoins: &[Besoin],
    personne: &Commune,
    publics_personne: &[&str],
    offres: &[(i64, &Offre)],
    rayon_km: f64,
) -> Vec<Proposition> {
    let mut propositions: Vec<Proposition> = Vec::new();
    for (id, offre) in offres {
        let Some((rang, besoin)) = besoins
            .iter()
            .enumerate()
            .find(|(_, b)| offre.thematiques.iter().any(|t| repond(&b.code, t)))
        else {
            continue;
        };
        let Some(eligibilite) = eligibilite(&offre.zone_eligibilite, personne) else {
            continue;
        };
        if !publics(offre, publics_personne) {
            continue;
        }
        let a_distance = offre.modes_accueil.iter().any(|m| m == "a-distance");
        let sur_place = offre.modes_accueil.is_empty() || offre.modes_accueil.iter().any(|m| m == "en-presentiel");
        let distance = match (personne.coordonnees, position(offre)) {
            (Some(a), Some(b)) if sur_place => Some(distance_km(a, b)),
            _ => None,
        };
        let accessible = a_distance || distance.is_some_and(|d| d <= rayon_km);
        if !accessible {
            continue;
        }
        propositions.push(Proposition {
            offre: *id,
            besoin: besoin.code.clone(),
            raison: besoin.raison.clone(),
            eligibilite,
            distance_km: if a_distance && distance.is_none_or(|d| d > rayon_km) {
                None
            } else {
                distance.map(|d| (d * 10.0).round() / 10.0)
            },
            score_qualite: offre.score_qualite,
            rang,
        });
    }
    propositions.sort_by(|a, b| {
        a.rang
            .cmp(&b.rang)
            .then(a.distance_km.unwrap_or(0.0).total_cmp(&b.distance_km.unwrap_or(0.0)))
            .then(b.score_qualite.total_cmp(&a.score_qualite))
            .then(a.offre.cmp(&b.offre))
    });
    let mut par_besoin = vec![0usize; besoins.len()];
    let mut tours: Vec<(usize, Proposition)> = propositions
        .into_iter()
        .map(|p| {
            let tour = par_besoin[p.rang];
            par_besoin[p.rang] += 1;
            (tour, p)
        })
        .collect();
    tours.sort_by_key(|(tour, p)| (*tour, p.rang));
    tours.into_iter().map(|(_, p)| p).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn offre(themes: &[&str], commune: &str, accueil: &[&str], score: f64) -> Offre {
        Offre {
            thematiques: themes.iter().map(|s| s.to_string()).collect(),
            commune: Some(commune.into()),
            modes_accueil: accueil.iter().map(|s| s.to_string()).collect(),
            score_qualite: score,
            ..Offre::default()
        }
    }

    #[test]
    fn a_public_is_read_by_code_or_label_and_an_unknown_one_gets_suggestions() {
        assert_eq!(public("jeunes"), Ok("jeunes"));
        assert_eq!(public(" Séniors "), Ok("seniors"));
        assert_eq!(public("jeune"), Ok("jeunes"), "le libellé « Jeunes » au singulier");
        let e = public("jeunnes").unwrap_err();
        assert!(
            e.starts_with("public « jeunnes » inconnu ; vouliez-vous dire jeunes"),
            "{e}"
        );
    }

    #[test]
    fn thematiques_answer_needs_by_code_or_category() {
        assert!(repond("mobilite", "mobilite--preparer-un-permis"));
        assert!(repond("mobilite", "mobilite"));
        assert!(!repond("mobilite", "mobilite-douce"));
        assert!(repond("se-former--trouver-sa-formation", "se-former"));
        assert!(!repond(
            "se-former--trouver-sa-formation",
            "se-former--monter-son-dossier-de-formation"
        ));
    }

    #[test]
    fn each_need_in_turn_then_distance_then_quality_within_reach_only() {
        let verdun = communes::par_code("55545").unwrap();
        let besoins = vec![
            Besoin {
                code: "mobilite".into(),
                raison: "frein fort : mobilité".into(),
            },
            Besoin {
                code: "numerique".into(),
                raison: "frein moyen : numérique".into(),
            },
        ];
        let a = offre(
            &["numerique--acceder-a-une-connexion-internet"],
            "55545",
            &["en-presentiel"],
            0.9,
        );
        let b = offre(&["mobilite--preparer-un-permis"], "55029", &["en-presentiel"], 0.5); // Bar-le-Duc, 45 km
        let c = offre(&["mobilite--financer-ma-mobilite"], "55545", &["en-presentiel"], 0.4);
        let d = offre(&["mobilite"], "75056", &["a-distance"], 0.8); // Paris, remote
        let e = offre(&["sante--acces-aux-soins"], "55545", &[], 1.0); // no need
        let f = offre(&["mobilite"], "55545", &["en-presentiel"], 1.0);
        let mut f = f;
        f.publics = vec!["femmes".into()];
        let mut g = offre(&["mobilite"], "55545", &["en-presentiel"], 1.0);
        g.zone_eligibilite = vec!["54".into()];
        let offres = [(1, &a), (2, &b), (3, &c), (4, &d), (5, &e), (6, &f), (7, &g)];
        let p = proposer(&besoins, &verdun, &["demandeurs-emploi"], &offres, 30.0);
        let ids: Vec<i64> = p.iter().map(|x| x.offre).collect();
        assert_eq!(
            ids,
            [4, 1, 3],
            "mobilité à distance (0 km), puis numérique, puis mobilité à Verdun ; Bar-le-Duc trop loin, hors \
             public, hors zone exclues"
        );
        assert_eq!(p[2].raison, "frein fort : mobilité");
        assert_eq!(p[1].raison, "frein moyen : numérique");
        assert_eq!(p[2].distance_km, Some(0.0));
        assert_eq!(p[0].distance_km, None);
        let p = proposer(&besoins, &verdun, &["femmes"], &offres, 50.0);
        let ids: Vec<i64> = p.iter().map(|x| x.offre).collect();
        assert_eq!(ids, [6, 1, 4, 3, 2], "même distance : la meilleure qualité d'abord");
    }
}
