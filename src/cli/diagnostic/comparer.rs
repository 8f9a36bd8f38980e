//! `spie diagnostic comparer N [--motif "…"]`: what changed between the last two
//! diagnostics, as a table.

use anyhow::Result;
use clap::Args;

use super::Lecture;
use crate::cli::Ctx;
use crate::domain::date;
use crate::domain::diagnostic::Evolution;
use crate::domain::grille::{NiveauFormation, Projet};
use crate::error::Issue;
use crate::ops;
use crate::ops::diagnostic::Comparaison;
use crate::output::{Fiche, Section};

#[derive(Debug, Args)]
pub struct Arguments {
    #[command(flatten)]
    lecture: Lecture,
}

pub fn executer(ctx: &Ctx, a: Arguments) -> Result<Issue> {
    let c = ops::diagnostic::comparer(&mut ctx.session()?, a.lecture.dossier, a.lecture.motif.as_deref())?;
    let compte = |e: Evolution| c.compte(e);
    ctx.dire(format!(
        "Du {} au {} : {} frein(s) levé(s), {} apparu(s), {} aggravé(s), {} atténué(s).",
        date::fr(c.avant.date),
        date::fr(c.apres.date),
        compte(Evolution::Resolu),
        compte(Evolution::Apparu),
        compte(Evolution::Aggrave),
        compte(Evolution::Attenue)
    ));
    ctx.sortie.fiche(&c, &fiche(&c))?;
    Ok(Issue::Succes)
}

fn fiche(c: &Comparaison) -> Fiche {
    Fiche {
        sections: vec![
            Section::new(format!(
                "Du diagnostic du {} à celui du {}",
                date::fr(c.avant.date),
                date::fr(c.apres.date)
            ))
            .tableau(
                vec!["Dimension", "Avant", "Après", "Évolution"],
                c.contraintes
                    .iter()
                    .map(|ch| {
                        vec![
                            ch.dimension.definition().libelle.into(),
                            ch.avant.mot().into(),
                            ch.apres.mot().into(),
                            ch.evolution.libelle().into(),
                        ]
                    })
                    .collect(),
            ),
            situation(c),
        ],
    }
}

/// The professional situation and the suggested orientation, before and after.
fn situation(c: &Comparaison) -> Section {
    // The codes of the comparison, in words.
    let projet = |v: &Option<String>| match v.as_deref().and_then(Projet::depuis_code) {
        Some(p) => p.mot().to_owned(),
        None => "non renseigné".into(),
    };
    let formation = |v: &Option<String>| match v.as_deref().and_then(NiveauFormation::depuis_code) {
        Some(n) => n.libelle(),
        None => "non renseigné".into(),
    };
    let oui_non = |v: Option<bool>| super::oui_non(v).to_string();
    Section::new("Situation professionnelle et orientation suggérée").tableau(
        vec!["Question", "Avant", "Après"],
        vec![
            vec![
                "Activité sur 24 mois".into(),
                oui_non(c.activite_24_mois.avant).into(),
                oui_non(c.activite_24_mois.apres).into(),
            ],
            vec![
                "Projet".into(),
                projet(&c.projet.avant).into(),
                projet(&c.projet.apres).into(),
            ],
            vec![
                "Niveau de formation".into(),
                formation(&c.niveau_formation.avant).into(),
                formation(&c.niveau_formation.apres).into(),
            ],
            vec![
                "Orientation suggérée".into(),
                c.orientation_suggeree.avant.mot().into(),
                c.orientation_suggeree.apres.mot().into(),
            ],
        ],
    )
}
