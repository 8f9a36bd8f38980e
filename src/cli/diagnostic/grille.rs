//! `spie diagnostic grille`: the grid, as data.

use anyhow::Result;
use serde::Serialize;

use crate::cli::Ctx;
use crate::domain::diagnostic::Orientation;
use crate::domain::grille::{
    CATEGORIES_PROFESSIONNELLES, DefinitionDimension, GRILLE, Niveau, NiveauFormation, Projet,
};
use crate::error::Issue;
use crate::output::{Fiche, Section};
use crate::referentiel::thematiques;

#[derive(Serialize)]
struct Code {
    code: String,
    libelle: String,
}

fn codes<T: Copy>(valeurs: &[T], code: fn(T) -> &'static str, libelle: fn(T) -> String) -> Vec<Code> {
    valeurs
        .iter()
        .map(|v| Code {
            code: code(*v).to_owned(),
            libelle: libelle(*v),
        })
        .collect()
}

#[derive(Serialize)]
struct Grille {
    contraintes: &'static [DefinitionDimension],
    niveaux: Vec<Code>,
    activite_24_mois: [&'static str; 2],
    projet: Vec<Code>,
    niveau_formation: Vec<Code>,
    besoins: Vec<Code>,
    orientations: Vec<Code>,
    regles: [&'static str; 4],
}

const REGLES: [&str; 4] = [
    "1. une contrainte est « fort » et aucune activité sur 24 mois → social",
    "2. une contrainte est « fort », ou deux contraintes ou plus sont « moyen » → sociopro",
    "3. une contrainte est « moyen » et (projet non défini ou niveau de formation infra-3) → sociopro",
    "4. sinon → pro",
];

pub fn executer(ctx: &Ctx) -> Result<Issue> {
    let g = grille();
    ctx.sortie.fiche(&g, &fiche(&g))?;
    Ok(Issue::Succes)
}

fn grille() -> Grille {
    Grille {
        contraintes: &GRILLE,
        niveaux: codes(Niveau::TOUS, Niveau::code, Niveau::libelle),
        activite_24_mois: ["oui", "non"],
        projet: codes(Projet::TOUS, Projet::code, Projet::libelle),
        niveau_formation: codes(NiveauFormation::TOUS, NiveauFormation::code, NiveauFormation::libelle),
        besoins: thematiques::des_categories(&CATEGORIES_PROFESSIONNELLES)
            .into_iter()
            .map(|t| Code {
                code: t.code.clone(),
                libelle: t.libelle.clone(),
            })
            .collect(),
        orientations: codes(Orientation::TOUS, Orientation::code, Orientation::libelle),
        regles: REGLES,
    }
}

fn fiche(g: &Grille) -> Fiche {
    let liste = |codes: &[Code]| {
        codes
            .iter()
            .map(|c| vec![c.code.clone().into(), c.libelle.clone().into()])
            .collect()
    };
    Fiche {
        sections: vec![
            Section::new("Contraintes sociales").tableau(
                vec![
                    "Dimension", "Libellé", "Code France Travail", "Catégories data·inclusion", "Situations",
                ],
                GRILLE
                    .iter()
                    .map(|d| {
                        let situations: Vec<&str> = d.situations.iter().map(|(c, _)| *c).collect();
                        vec![
                            d.dimension.code().into(),
                            d.libelle.into(),
                            d.code_ft.map(i64::from).into(),
                            d.categories.join(", ").into(),
                            situations.join(", ").into(),
                        ]
                    })
                    .collect(),
            ),
            Section::new("Niveaux").tableau(vec!["Code", "Sens"], liste(&g.niveaux)),
            Section::new("Activité sur 24 mois").champ("Valeurs", "oui, non"),
            Section::new("Projet").tableau(vec!["Code", "Sens"], liste(&g.projet)),
            Section::new("Niveau de formation").tableau(vec!["Code", "Sens"], liste(&g.niveau_formation)),
            Section::new("Besoins professionnels (thématiques data·inclusion)")
                .tableau(vec!["Code", "Libellé"], liste(&g.besoins)),
            Section::new("Orientation suggérée (la première règle qui s'applique)")
                .champ("Règle 1", REGLES[0])
                .champ("Règle 2", REGLES[1])
                .champ("Règle 3", REGLES[2])
                .champ("Règle 4", REGLES[3]),
        ],
    }
}
