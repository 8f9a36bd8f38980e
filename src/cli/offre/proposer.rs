//! `spie offre proposer N`: the person's needs (barriers of the last diagnostic, its
//! professional needs, the open objectives) matched to the catalogue, with the reasons.

use anyhow::Result;
use clap::Args;
use serde::Serialize;

use crate::cli::{Ctx, entre, numero};
use crate::db;
use crate::domain::date;
use crate::domain::grille::{GRILLE, Niveau};
use crate::domain::personne::{Sexe, publics_data_inclusion};
use crate::domain::proposition::{Besoin, proposer};
use crate::domain::suivi::StatutObjectif;
use crate::error::{Issue, erreur};
use crate::output::{Colonne, Ligne, Valeur};
use crate::referentiel::communes;

#[derive(Debug, Args)]
pub struct Arguments {
    /// Numéro de dossier
    #[arg(value_parser = numero)]
    dossier: i64,
    /// Distance maximale en km pour les offres sur place
    #[arg(long, default_value_t = 30, value_name = "KM", value_parser = entre(0u32, 1_000))]
    rayon: u32,
    /// Nombre maximal de propositions
    #[arg(long, default_value_t = 10, value_name = "N", value_parser = entre(1usize, 1_000))]
    max: usize,
}

#[derive(Serialize)]
struct LigneProposition {
    rang: i64,
    offre: i64,
    nom: String,
    structure: Option<String>,
    commune: Option<String>,
    distance_km: Option<f64>,
    besoin: String,
    raison: String,
    eligibilite: String,
    score_qualite: f64,
}

impl Ligne for LigneProposition {
    const COLONNES: &'static [Colonne] = &[
        Colonne {
            cle: "rang",
            titre: "#",
        },
        Colonne {
            cle: "offre",
            titre: "Offre",
        },
        Colonne {
            cle: "nom",
            titre: "Nom",
        },
        Colonne {
            cle: "structure",
            titre: "Structure",
        },
        Colonne {
            cle: "commune",
            titre: "Commune",
        },
        Colonne {
            cle: "distance_km",
            titre: "Km",
        },
        Colonne {
            cle: "besoin",
            titre: "Besoin",
        },
        Colonne {
            cle: "raison",
            titre: "Pourquoi",
        },
        Colonne {
            cle: "eligibilite",
            titre: "Éligibilité",
        },
        Colonne {
            cle: "score_qualite",
            titre: "Qualité",
        },
    ];
    const MASQUEES: &'static [&'static str] = &["besoin", "structure", "eligibilite"];
    fn valeurs(&self) -> Vec<Valeur> {
        vec![
            self.rang.into(),
            self.offre.into(),
            self.nom.clone().into(),
            self.structure.clone().into(),
            self.commune.clone().into(),
            self.distance_km
                .map_or_else(|| "à distance".to_string(), |d| format!("{d:.1}"))
                .into(),
            self.besoin.clone().into(),
            self.raison.clone().into(),
            self.eligibilite.clone().into(),
            format!("{:.2}", self.score_qualite).into(),
        ]
    }
}

pub fn executer(ctx: &Ctx, a: Arguments) -> Result<Issue> {
    let mut conn = ctx.ouvrir()?;
    let tx = db::consultation(&mut conn)?;
    ctx.agent(&tx)?;
    let personne = db::personne::personne(&tx, a.dossier)?;
    let besoins = besoins(&tx, a.dossier)?;
    if besoins.is_empty() {
        return Err(erreur(format!("le dossier {} n'a aucun besoin connu", a.dossier))
            .aide(format!(
                "faites son diagnostic (spie diagnostic nouveau {0}) ou fixez un objectif (spie parcours objectif ajouter {0} --thematique …)",
                a.dossier
            ))
            .into());
    }
    let mut categories: Vec<String> = besoins
        .iter()
        .map(|b| b.code.split_once("--").map_or(b.code.as_str(), |(c, _)| c).to_owned())
        .collect();
    categories.sort();
    categories.dedup();
    let offres = db::offre::actives(&tx, Some(&categories), None)?;
    ctx.consigner(&tx, "offre proposer", Some(a.dossier))?;
    tx.commit()?;

    let id = &personne.identite;
    let mut publics: Vec<&str> = id
        .publics
        .iter()
        .flat_map(|p| publics_data_inclusion(p).iter().copied())
        .collect();
    let age = date::age(id.naissance, ctx.aujourdhui);
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
    let propositions = proposer(&besoins, &commune, &publics, &candidates, f64::from(a.rayon), a.max);
    let lignes: Vec<LigneProposition> = propositions
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let o = &offres
                .iter()
                .find(|o| o.id == p.offre)
                .expect("proposed from the candidates")
                .offre;
            LigneProposition {
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
                besoin: p.besoin.clone(),
                raison: p.raison.clone(),
                eligibilite: p.eligibilite.clone(),
                score_qualite: p.score_qualite,
            }
        })
        .collect();
    if lignes.is_empty() {
        ctx.dire(format!(
            "Aucune offre du catalogue ne répond à ces besoins à moins de {} km.",
            a.rayon
        ));
    } else {
        ctx.dire(format!("Pour prescrire : spie offre prescrire {} OFFRE", a.dossier));
    }
    ctx.sortie.liste(&lignes)?;
    Ok(Issue::Succes)
}

/// The person's needs, most important first: the strong then medium barriers of the last
/// diagnostic, its professional needs, the objectives in progress.
pub(super) fn besoins(conn: &rusqlite::Connection, dossier: i64) -> Result<Vec<Besoin>> {
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
