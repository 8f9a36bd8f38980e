//! Interactive capture: walks the grid dimension by dimension on the terminal (stderr),
//! shows a summary and asks before saving. Ctrl-C or a refusal saves nothing.

use anyhow::Result;
use dialoguer::{Input, MultiSelect, Select};

use crate::cli::contexte::demander;
use crate::domain::diagnostic::{Contrainte, Reponses, suggerer, valider};
use crate::domain::grille::{CATEGORIES_PROFESSIONNELLES, GRILLE, Niveau, NiveauFormation, Projet};
use crate::error::erreur;
use crate::output::message;
use crate::referentiel::thematiques;

/// A choice among coded values, starting on "non renseigné" (the first item): Enter
/// alone records no answer, never a value the person did not give.
fn choisir<T: Copy>(question: &str, valeurs: &[T], libelle: impl Fn(T) -> String) -> Result<Option<T>> {
    let items: Vec<String> = std::iter::once("non renseigné".to_string())
        .chain(valeurs.iter().map(|v| libelle(*v)))
        .collect();
    let i = demander(|| {
        Select::new()
            .with_prompt(format!("{question} "))
            .items(&items)
            .default(0)
            .interact()
    })?;
    Ok(i.checked_sub(1).map(|i| valeurs[i]))
}

/// Asks every question of the grid; `None` if the agent refuses to save at the end.
pub fn saisir() -> Result<Option<Reponses>> {
    let mut r = Reponses::default();
    message("Diagnostic : 8 contraintes, puis la situation professionnelle. Ctrl-C abandonne sans rien enregistrer.");
    for (i, def) in GRILLE.iter().enumerate() {
        message(format_args!("\n{}/8 — {}", i + 1, def.libelle));
        let niveaux: Vec<String> = Niveau::TOUS.iter().map(|n| n.libelle()).collect();
        let n = demander(|| {
            Select::new()
                .with_prompt("Impact sur le retour à l'emploi ")
                .items(&niveaux)
                .default(0)
                .interact()
        })?;
        let niveau = Niveau::TOUS[n];
        let mut contrainte = Contrainte {
            niveau: Some(niveau),
            ..Contrainte::default()
        };
        if niveau != Niveau::NonAborde {
            let libelles: Vec<&str> = def.situations.iter().map(|(_, l)| *l).collect();
            let cochees = demander(|| {
                MultiSelect::new()
                    .with_prompt("Situations (espace pour cocher, entrée pour valider) ")
                    .items(&libelles)
                    .interact()
            })?;
            contrainte.situations = cochees.into_iter().map(|i| def.situations[i].0.to_owned()).collect();
            let commentaire: String = demander(|| {
                Input::new()
                    .with_prompt("Commentaire (facultatif) ")
                    .allow_empty(true)
                    .interact_text()
            })?;
            contrainte.commentaire = Some(commentaire).filter(|c| !c.trim().is_empty());
        }
        r.contraintes.insert(def.dimension, contrainte);
    }
    message("\nSituation professionnelle");
    r.activite_24_mois = choisir(
        "Activité professionnelle au cours des 24 derniers mois",
        &[true, false],
        |v| if v { "oui" } else { "non" }.to_string(),
    )?;
    r.projet = choisir("Projet professionnel", Projet::TOUS, Projet::libelle)?;
    r.niveau_formation = choisir("Niveau de formation", NiveauFormation::TOUS, |n| {
        format!("{} — {}", n.code(), n.libelle())
    })?;
    let besoins = thematiques::des_categories(&CATEGORIES_PROFESSIONNELLES);
    let libelles: Vec<String> = besoins
        .iter()
        .map(|t| format!("{} ({})", t.libelle, t.categorie()))
        .collect();
    let cochees = demander(|| {
        MultiSelect::new()
            .with_prompt("Besoins professionnels (espace pour cocher, entrée pour valider) ")
            .items(&libelles)
            .interact()
    })?;
    r.besoins = cochees.into_iter().map(|i| besoins[i].code.clone()).collect();
    let r = valider(r).map_err(erreur)?;
    if r.est_vide() {
        // Nothing to confirm: the caller refuses a diagnostic without any answer.
        return Ok(Some(r));
    }

    message("\nRésumé");
    for def in &GRILLE {
        message(format_args!("  {:<45} {}", def.libelle, r.niveau(def.dimension).code()));
    }
    let s = suggerer(&r);
    message(format_args!(
        "  {}\n  Orientation suggérée : {} (règle {} : {})",
        if r.complet() {
            "Diagnostic complet".to_string()
        } else {
            format!("Incomplet : {}", r.manques().join(", "))
        },
        s.orientation.code(),
        s.regle,
        s.explication
    ));
    let choix = demander(|| {
        Select::new()
            .with_prompt("Enregistrer ce diagnostic ")
            .items(["oui, enregistrer", "non, abandonner sans rien enregistrer"])
            .default(0)
            .interact()
    })?;
    Ok((choix == 0).then_some(r))
}
