//! `spie offre proposer N`: the offers that answer the person's needs, with the reasons
//! (see [`crate::ops::offre::proposer`]).

use anyhow::Result;
use clap::Args;

use crate::cli::{Ctx, entre, numero};
use crate::domain::texte::decimal;
use crate::error::Issue;
use crate::ops;
use crate::ops::offre::Proposition;
use crate::output::{Colonne, Ligne, Valeur};

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

impl Ligne for Proposition {
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
    // The rank is the order of the rows; as a column beside the offer's number it was
    // typed for it.
    const MASQUEES: &'static [&'static str] = &["rang", "besoin", "structure", "eligibilite"];
    fn valeurs(&self) -> Vec<Valeur> {
        vec![
            self.rang.into(),
            self.offre.into(),
            self.nom.clone().into(),
            self.structure.clone().into(),
            self.commune.clone().into(),
            super::km(self.distance_km, self.a_distance),
            self.besoin.clone().into(),
            self.raison.clone().into(),
            self.eligibilite.clone().into(),
            decimal(self.score_qualite, 2).into(),
        ]
    }
}

pub fn executer(ctx: &Ctx, a: Arguments) -> Result<Issue> {
    let demande = ops::offre::Demande {
        dossier: a.dossier,
        rayon: a.rayon,
        max: a.max,
    };
    let ops::offre::Propositions {
        offres: lignes,
        en_tout,
    } = ops::offre::proposer(&mut ctx.session()?, demande)?;
    if lignes.is_empty() {
        ctx.dire(format!(
            "Aucune offre du catalogue ne répond à ces besoins à moins de {} km.",
            a.rayon
        ));
    } else {
        if en_tout > lignes.len() {
            let premieres = match lignes.len() {
                1 => "La première".to_owned(),
                n => format!("Les {n} premières"),
            };
            ctx.dire(format!(
                "{premieres} des {en_tout} offres qui répondent à ces besoins, chaque besoin à son tour \
                 (--max {en_tout} pour toutes)."
            ));
        }
        ctx.dire(format!("Pour prescrire : spie offre prescrire {} OFFRE", a.dossier));
    }
    ctx.sortie.liste(&lignes)?;
    super::expliquer_a_distance(
        ctx,
        lignes.iter().any(|l| l.a_distance),
        "elle est proposée quel que soit --rayon",
    );
    Ok(Issue::Succes)
}
