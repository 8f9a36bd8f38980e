//! `spie diagnostic comparer N`: what changed between the last two diagnostics.

use anyhow::Result;
use chrono::NaiveDate;
use clap::Args;
use serde::Serialize;

use crate::cli::{Ctx, numero};
use crate::domain::date;
use crate::domain::diagnostic::{Evolution, Orientation, evolution};
use crate::domain::grille::{Dimension, GRILLE, Niveau};
use crate::error::{Issue, erreur};
use crate::output::{Fiche, Section};

#[derive(Debug, Args)]
pub struct Arguments {
    /// Numéro de dossier
    #[arg(value_parser = numero)]
    dossier: i64,
}

#[derive(Serialize)]
struct Repere {
    id: i64,
    date: NaiveDate,
}

#[derive(Serialize)]
struct Changement {
    dimension: Dimension,
    avant: Niveau,
    apres: Niveau,
    evolution: Evolution,
}

#[derive(Serialize)]
struct Avant<T> {
    avant: T,
    apres: T,
}

#[derive(Serialize)]
struct Comparaison {
    avant: Repere,
    apres: Repere,
    contraintes: Vec<Changement>,
    activite_24_mois: Avant<Option<bool>>,
    projet: Avant<Option<String>>,
    niveau_formation: Avant<Option<String>>,
    orientation_suggeree: Avant<Orientation>,
}

pub fn executer(ctx: &Ctx, a: Arguments) -> Result<Issue> {
    let tous = super::du_dossier(ctx, "diagnostic comparer", a.dossier)?;
    let [.., x, y] = tous.as_slice() else {
        return Err(erreur(format!(
            "le dossier {} a {} diagnostic(s) : il en faut deux pour comparer",
            a.dossier,
            tous.len()
        ))
        .into());
    };
    let (rx, ry) = (&x.reponses, &y.reponses);
    let c = Comparaison {
        avant: Repere { id: x.id, date: x.date },
        apres: Repere { id: y.id, date: y.date },
        contraintes: GRILLE
            .iter()
            .map(|def| {
                let (avant, apres) = (rx.niveau(def.dimension), ry.niveau(def.dimension));
                Changement {
                    dimension: def.dimension,
                    avant,
                    apres,
                    evolution: evolution(avant, apres),
                }
            })
            .collect(),
        activite_24_mois: Avant {
            avant: rx.activite_24_mois,
            apres: ry.activite_24_mois,
        },
        projet: Avant {
            avant: rx.projet.map(|p| p.code().into()),
            apres: ry.projet.map(|p| p.code().into()),
        },
        niveau_formation: Avant {
            avant: rx.niveau_formation.map(|n| n.code().into()),
            apres: ry.niveau_formation.map(|n| n.code().into()),
        },
        orientation_suggeree: Avant {
            avant: x.suggestion.orientation,
            apres: y.suggestion.orientation,
        },
    };
    let compte = |e: Evolution| c.contraintes.iter().filter(|ch| ch.evolution == e).count();
    ctx.dire(format!(
        "Du {} au {} : {} frein(s) levé(s), {} apparu(s), {} aggravé(s), {} atténué(s).",
        date::fr(x.date),
        date::fr(y.date),
        compte(Evolution::Resolu),
        compte(Evolution::Apparu),
        compte(Evolution::Aggrave),
        compte(Evolution::Attenue)
    ));
    let texte = |v: &Option<String>| v.clone().unwrap_or_else(|| "non renseigné".into());
    let oui_non = |v: Option<bool>| super::oui_non(v).to_string();
    let fiche = Fiche {
        sections: vec![
            Section::new(format!(
                "Du diagnostic du {} à celui du {}",
                date::fr(x.date),
                date::fr(y.date)
            ))
            .tableau(
                vec!["Dimension", "Avant", "Après", "Évolution"],
                c.contraintes
                    .iter()
                    .map(|ch| {
                        vec![
                            ch.dimension.definition().libelle.into(),
                            ch.avant.code().into(),
                            ch.apres.code().into(),
                            ch.evolution.libelle().into(),
                        ]
                    })
                    .collect(),
            ),
            Section::new("Situation professionnelle et orientation suggérée").tableau(
                vec!["Question", "Avant", "Après"],
                vec![
                    vec![
                        "Activité sur 24 mois".into(),
                        oui_non(rx.activite_24_mois).into(),
                        oui_non(ry.activite_24_mois).into(),
                    ],
                    vec![
                        "Projet".into(),
                        texte(&c.projet.avant).into(),
                        texte(&c.projet.apres).into(),
                    ],
                    vec![
                        "Niveau de formation".into(),
                        texte(&c.niveau_formation.avant).into(),
                        texte(&c.niveau_formation.apres).into(),
                    ],
                    vec![
                        "Orientation suggérée".into(),
                        x.suggestion.orientation.code().into(),
                        y.suggestion.orientation.code().into(),
                    ],
                ],
            ),
        ],
    };
    ctx.sortie.fiche(&c, &fiche)?;
    Ok(Issue::Succes)
}
