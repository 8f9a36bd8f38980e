//! `spie offre chercher [TEXTE] …`: the catalogue, by words, thematique, place, public,
//! fees or remote access.

use anyhow::Result;
use clap::Args;

use crate::cli::{Ctx, entre};
use crate::error::Issue;
use crate::ops;
use crate::ops::offre::LigneOffre;
use crate::output::{Colonne, Ligne, Valeur};

#[derive(Debug, Args)]
pub struct Arguments {
    /// Mots du nom ou de la description (accents et majuscules indifférents)
    texte: Vec<String>,
    /// Thématique data·inclusion ou catégorie (mobilite, numerique…)
    #[arg(long)]
    thematique: Option<String>,
    /// Commune de référence pour la distance
    #[arg(long)]
    commune: Option<String>,
    /// Distance maximale en km autour de la commune (offres sur place)
    #[arg(long, value_name = "KM", value_parser = entre(0u32, 1_000))]
    rayon: Option<u32>,
    /// Public data·inclusion (jeunes, seniors, demandeurs-emploi…)
    #[arg(long)]
    public: Option<String>,
    /// Frais : gratuit ou payant
    #[arg(long)]
    frais: Option<String>,
    /// Seulement les offres accessibles à distance
    #[arg(long)]
    a_distance: bool,
}

impl Ligne for LigneOffre {
    const COLONNES: &'static [Colonne] = &[
        Colonne {
            cle: "id", titre: "N°"
        },
        Colonne {
            cle: "nom",
            titre: "Offre",
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
            cle: "thematiques",
            titre: "Thématiques",
        },
        Colonne {
            cle: "frais",
            titre: "Frais",
        },
        Colonne {
            cle: "score_qualite",
            titre: "Qualité",
        },
        Colonne {
            cle: "source",
            titre: "Source",
        },
    ];
    const MASQUEES: &'static [&'static str] = &["thematiques", "source"];
    fn valeurs(&self) -> Vec<Valeur> {
        vec![
            self.id.into(),
            self.nom.clone().into(),
            self.structure.clone().into(),
            self.commune.clone().into(),
            super::km(self.distance_km, self.a_distance),
            self.thematiques.clone().into(),
            self.frais.clone().into(),
            crate::domain::texte::decimal(self.score_qualite, 2).into(),
            self.source.clone().into(),
        ]
    }
}

pub fn executer(ctx: &Ctx, a: Arguments) -> Result<Issue> {
    let recherche = ops::offre::Recherche {
        texte: a.texte.join(" "),
        thematique: a.thematique,
        commune: a.commune,
        rayon: a.rayon,
        public: a.public,
        frais: a.frais,
        a_distance: a.a_distance,
    };
    let lignes = ops::offre::chercher(&mut ctx.session()?, recherche)?;
    if lignes.is_empty() {
        ctx.dire("Aucune offre ne correspond.");
    }
    ctx.sortie.liste(&lignes)?;
    super::expliquer_a_distance(
        ctx,
        lignes.iter().any(|l| l.a_distance && l.distance_km.is_none()),
        "elle est trouvée quel que soit --rayon",
    );
    Ok(Issue::Succes)
}
