//! `spie offre thematiques [MOT…]`: the data·inclusion thematiques, codes and labels, for
//! a caseworker looking for the code of a need.

use anyhow::Result;
use clap::Args;
use serde::Serialize;

use crate::cli::Ctx;
use crate::domain::texte::{contient_mots, mots};
use crate::error::Issue;
use crate::output::{Colonne, Ligne, Valeur};
use crate::referentiel::thematiques;

#[derive(Debug, Args)]
pub struct Arguments {
    /// Mots cherchés dans le code et le libellé (début de mot, sans accents ni majuscules)
    mots: Vec<String>,
}

#[derive(Serialize)]
struct LigneThematique {
    code: &'static str,
    libelle: &'static str,
    categorie: &'static str,
}

impl Ligne for LigneThematique {
    const COLONNES: &'static [Colonne] = &[
        Colonne {
            cle: "code",
            titre: "Code",
        },
        Colonne {
            cle: "libelle",
            titre: "Libellé",
        },
        Colonne {
            cle: "categorie",
            titre: "Catégorie",
        },
    ];
    fn valeurs(&self) -> Vec<Valeur> {
        vec![self.code.into(), self.libelle.into(), self.categorie.into()]
    }
}

pub fn executer(ctx: &Ctx, a: Arguments) -> Result<Issue> {
    let cherches = mots(&a.mots.join(" "));
    let lignes: Vec<LigneThematique> = thematiques::toutes()
        .iter()
        .filter(|t| contient_mots(&[&t.code, &t.libelle], &cherches))
        .map(|t| LigneThematique {
            code: &t.code,
            libelle: &t.libelle,
            categorie: t.categorie(),
        })
        .collect();
    if lignes.is_empty() {
        ctx.dire("Aucune thématique ne contient ces mots ; `spie offre thematiques` les liste toutes.");
    }
    ctx.sortie.liste(&lignes)?;
    Ok(Issue::Succes)
}
