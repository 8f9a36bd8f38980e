//! Interactive capture: walks the grid dimension by dimension on the terminal (stderr),
//! shows a summary and asks before saving. Ctrl-C or a refusal saves nothing.

use anyhow::Result;
use dialoguer::{Input, MultiSelect, Select};

use crate::domain::diagnostic::{Contrainte, Reponses, suggerer, valider};
use crate::domain::grille::{CATEGORIES_PROFESSIONNELLES, GRILLE, Niveau, NiveauFormation, Projet};
use crate::error::erreur;
use crate::output::message;
use crate::referentiel::thematiques;

fn interrompu(_: dialoguer::Error) -> anyhow::Error {
    erreur("saisie interrompue : rien n'a été enregistré").into()
}

/// A choice among coded values, or "non renseigné" (the last item).
fn choisir<T: Copy>(question: &str, valeurs: &[T], libelle: impl Fn(T) -> String) -> Result<Option<T>> {
    let mut items: Vec<String> = valeurs.iter().map(|v| libelle(*v)).collect();
    items.push("non renseigné".into());
    let i = Select::new()
        .with_prompt(question)
        .items(&items)
        .default(0)
        .interact()
        .map_err(interrompu)?;
    Ok(valeurs.get(i).copied())
}

/// Asks every question of the grid; `None` if the agent refuses to save at the end.
pub fn saisir() -> Result<Option<Reponses>> {
    let mut r = Reponses::default();
    message("Diagnostic : 8 contraintes, puis la situation professionnelle. Ctrl-C abandonne sans rien enregistrer.");
    for (i, def) in GRILLE.iter().enumerate() {
        message(format_args!("\n{}/8 — {}", i + 1, def.libelle));
        let niveaux: Vec<String> = Niveau::TOUS.iter().map(|n| n.libelle()).collect();
        let n = Select::new()
            .with_prompt("Impact sur le retour à l'emploi ")
            .items(&niveaux)
            .default(0)
            .interact()
            .map_err(interrompu)?;
        let niveau = Niveau::TOUS[n];
        let mut contrainte = Contrainte {
            niveau: Some(niveau),
            ..Contrainte::default()
        };
        if niveau != Niveau::NonAborde {
            let libelles: Vec<&str> = def.situations.iter().map(|(_, l)| *l).collect();
            let cochees = MultiSelect::new()
                .with_prompt("Situations (espace pour cocher, entrée pour valider) ")
                .items(&libelles)
                .interact()
                .map_err(interrompu)?;
            contrainte.situations = cochees.into_iter().map(|i| def.situations[i].0.to_owned()).collect();
            let commentaire: String = Input::new()
                .with_prompt("Commentaire (facultatif) ")
                .allow_empty(true)
                .interact_text()
                .map_err(interrompu)?;
            contrainte.commentaire = Some(commentaire).filter(|c| !c.trim().is_empty());
        }
        r.contraintes.insert(def.dimension, contrainte);
    }
    message("\nSituation professionnelle");
    r.activite_24_mois = choisir(
        "Une activité professionnelle au cours des 24 derniers mois ?",
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
    let cochees = MultiSelect::new()
        .with_prompt("Besoins professionnels (espace pour cocher, entrée pour valider) ")
        .items(&libelles)
        .interact()
        .map_err(interrompu)?;
    r.besoins = cochees.into_iter().map(|i| besoins[i].code.clone()).collect();
    let r = valider(r).map_err(erreur)?;

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
    let choix = Select::new()
        .with_prompt("Enregistrer ce diagnostic ? ")
        .items(["oui, enregistrer", "non, abandonner sans rien enregistrer"])
        .default(0)
        .interact()
        .map_err(interrompu)?;
    Ok((choix == 0).then_some(r))
}
