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

/// At most this many thematiques close to words that none holds all of.
const PROCHES: usize = 10;

pub fn executer(ctx: &Ctx, a: Arguments) -> Result<Issue> {
    let saisie = a.mots.join(" ");
    let cherches = mots(&saisie);
    let ligne = |t: &'static thematiques::Thematique| LigneThematique {
        code: &t.code,
        libelle: &t.libelle,
        categorie: t.categorie(),
    };
    let mut lignes: Vec<LigneThematique> = thematiques::toutes()
        .iter()
        .filter(|t| contient_mots(&[&t.code, &t.libelle], &cherches))
        .map(ligne)
        .collect();
    // Words as a person types them (« aide alimentaire », « permis de conduire »): the
    // thematiques that hold one of them, or a word of the same stem, closest first.
    if lignes.is_empty() {
        let candidats = thematiques::toutes().iter().map(|t| thematiques::Candidat {
            code: &t.code,
            libelle: &t.libelle,
            description: "",
        });
        lignes = thematiques::contenant(&saisie, candidats)
            .into_iter()
            .filter_map(thematiques::par_code)
            .take(PROCHES)
            .map(ligne)
            .collect();
        if !lignes.is_empty() {
            ctx.dire("Aucune thématique ne contient tous ces mots ; les plus proches d'abord :");
        }
    }
    if lignes.is_empty() {
        ctx.dire("Aucune thématique ne contient ces mots ; `spie offre thematiques` les liste toutes.");
    }
    ctx.sortie.liste(&lignes)?;
    Ok(Issue::Succes)
}
