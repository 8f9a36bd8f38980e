//! `spie offre proposer N`: the offers that answer the person's needs, with the reasons
//! (see [`crate::ops::offre::proposer`]).

use anyhow::Result;
use clap::Args;

use crate::cli::{Ctx, entre, numero};
use crate::domain::texte::decimal;
use crate::error::Issue;
use crate::ops;
use crate::ops::offre::Proposition;
use crate::output::{Colonne, Format, Ligne, Valeur};

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
            self.distance_km
                .map_or_else(|| "à distance".to_string(), |d| decimal(d, 1))
                .into(),
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
    let lignes = ops::offre::proposer(&mut ctx.session()?, demande)?;
    if lignes.is_empty() {
        ctx.dire(format!(
            "Aucune offre du catalogue ne répond à ces besoins à moins de {} km.",
            a.rayon
        ));
    } else {
        ctx.dire(format!("Pour prescrire : spie offre prescrire {} OFFRE", a.dossier));
    }
    ctx.sortie.liste(&lignes)?;
    // The JSON says it in a field of its own (`a_distance`).
    let colonne = match ctx.sortie.format {
        Format::Json => None,
        Format::Csv => Some("distance_km"),
        Format::Table => Some("Km"),
    };
    if let Some(colonne) = colonne.filter(|_| lignes.iter().any(|l| l.a_distance)) {
        ctx.dire(format!(
            "« à distance » (colonne {colonne}) : l'offre se suit sans se déplacer (téléphone, visioconférence, en \
             ligne) ; elle est proposée quel que soit --rayon."
        ));
    }
    Ok(Issue::Succes)
}
