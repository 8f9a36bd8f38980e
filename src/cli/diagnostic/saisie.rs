//! Interactive capture: walks the grid dimension by dimension on the terminal (stderr),
//! shows a summary in words and asks before saving. Every choice but the first offers to
//! go back to the previous question; Ctrl-C or a refusal saves nothing.

use anyhow::Result;
use dialoguer::{Input, MultiSelect, Select};

use crate::cli::contexte::demander;
use crate::domain::diagnostic::{Contrainte, Reponses, suggerer, valider};
use crate::domain::grille::{CATEGORIES_PROFESSIONNELLES, GRILLE, Niveau, NiveauFormation, Projet};
use crate::error::erreur;
use crate::output::{envelopper, largeur_ecran, message};
use crate::referentiel::thematiques::{self, Thematique};

/// The last item of a choice, after the answers.
const RETOUR: &str = "<- revenir à la question précédente";

/// A checklist shows this many lines at most and scrolls: with its prompt and the lines
/// above it, it fits a 24-line terminal.
const LIGNES_DE_LISTE: usize = 14;

/// What the agent did at one question.
enum Pas {
    Suite,
    Retour,
}

/// A choice among items, starting on `defaut`; `None` when the agent asks to go back
/// (offered if `retour`).
fn selection(question: &str, items: &[String], retour: bool, defaut: usize) -> Result<Option<usize>> {
    let mut tous = items.to_vec();
    if retour {
        tous.push(RETOUR.to_owned());
    }
    let i = demander(|| {
        Select::new()
            .with_prompt(format!("{question} "))
            .items(&tous)
            .default(defaut)
            .max_length(LIGNES_DE_LISTE)
            .interact()
    })?;
    Ok((i < items.len()).then_some(i))
}

/// A choice among coded values, starting on the answer already given, else on "non
/// renseigné" (the first item): Enter alone records no answer, never a value the person
/// did not give.
fn choisir<T: Copy + PartialEq>(
    question: &str,
    valeurs: &[T],
    libelle: impl Fn(T) -> String,
    reponse: &mut Option<T>,
) -> Result<Pas> {
    let items: Vec<String> = std::iter::once("non renseigné".to_string())
        .chain(valeurs.iter().map(|v| libelle(*v)))
        .collect();
    let defaut = reponse
        .and_then(|r| valeurs.iter().position(|v| *v == r))
        .map_or(0, |i| i + 1);
    Ok(match selection(question, &items, true, defaut)? {
        None => Pas::Retour,
        Some(i) => {
            *reponse = i.checked_sub(1).map(|i| valeurs[i]);
            Pas::Suite
        }
    })
}

/// A checklist, the items ticked before (`cochees`) ticked again.
fn cocher(question: &str, items: &[String], cochees: &[bool]) -> Result<Vec<usize>> {
    demander(|| {
        MultiSelect::new()
            .with_prompt(format!("{question} (espace pour cocher, entrée pour valider) "))
            .items(items)
            .defaults(cochees)
            .max_length(LIGNES_DE_LISTE)
            .interact()
    })
}

/// The dimension `i` of the grid: its level, then its situations and a comment.
fn dimension(r: &mut Reponses, i: usize) -> Result<Pas> {
    let def = &GRILLE[i];
    message(format_args!("\n{}/8 — {}", i + 1, def.libelle));
    // Back at a dimension already answered, its answers are the defaults.
    let avant = r.contraintes.get(&def.dimension).cloned().unwrap_or_default();
    let niveaux: Vec<String> = Niveau::TOUS.iter().map(|n| n.libelle()).collect();
    let defaut = Niveau::TOUS.iter().position(|n| Some(*n) == avant.niveau).unwrap_or(0);
    let Some(n) = selection("Impact sur le retour à l'emploi", &niveaux, i > 0, defaut)? else {
        return Ok(Pas::Retour);
    };
    let niveau = Niveau::TOUS[n];
    let mut contrainte = Contrainte {
        niveau: Some(niveau),
        ..Contrainte::default()
    };
    if niveau != Niveau::NonAborde {
        let libelles: Vec<String> = def.situations.iter().map(|(_, l)| l.to_string()).collect();
        let deja: Vec<bool> = def
            .situations
            .iter()
            .map(|(code, _)| avant.situations.iter().any(|s| s == code))
            .collect();
        let cochees = cocher("Situations", &libelles, &deja)?;
        contrainte.situations = cochees.into_iter().map(|i| def.situations[i].0.to_owned()).collect();
        let commentaire: String = demander(|| {
            Input::new()
                .with_prompt("Commentaire (facultatif) ")
                .with_initial_text(avant.commentaire.clone().unwrap_or_default())
                .allow_empty(true)
                .interact_text()
        })?;
        contrainte.commentaire = Some(commentaire).filter(|c| !c.trim().is_empty());
    }
    r.contraintes.insert(def.dimension, contrainte);
    Ok(Pas::Suite)
}

fn libelle_formation(n: NiveauFormation) -> String {
    format!("{} — {}", n.code(), n.libelle())
}

fn oui_non(v: bool) -> String {
    if v { "oui" } else { "non" }.to_string()
}

/// The questions after the grid: activity, project, training, needs (from 8 on).
fn professionnelle(r: &mut Reponses, i: usize, besoins: &[&Thematique]) -> Result<Pas> {
    match i {
        8 => {
            message("\nSituation professionnelle");
            choisir(
                "Activité professionnelle au cours des 24 derniers mois",
                &[true, false],
                oui_non,
                &mut r.activite_24_mois,
            )
        }
        9 => choisir("Projet professionnel", Projet::TOUS, Projet::libelle, &mut r.projet),
        10 => choisir(
            "Niveau de formation",
            NiveauFormation::TOUS,
            libelle_formation,
            &mut r.niveau_formation,
        ),
        _ => {
            let libelles: Vec<String> = besoins.iter().map(|t| besoin(t)).collect();
            let deja: Vec<bool> = besoins.iter().map(|t| r.besoins.contains(&t.code)).collect();
            let cochees = cocher("Besoins professionnels", &libelles, &deja)?;
            r.besoins = cochees.into_iter().map(|i| besoins[i].code.clone()).collect();
            Ok(Pas::Suite)
        }
    }
}

/// A need in the checklist: its label and its category's, on one line of the screen (a
/// longer line would be drawn again at each move of the cursor).
fn besoin(t: &Thematique) -> String {
    let texte = format!("{} ({})", t.libelle, thematiques::libelle(t.categorie()));
    // The checkbox and the cursor take 6 columns before the label.
    let place = largeur_ecran().saturating_sub(7).max(20);
    if texte.chars().count() <= place {
        return texte;
    }
    let mut court: String = texte.chars().take(place - 1).collect();
    court.push('…');
    court
}

/// Asks every question of the grid; `None` if the agent refuses to save at the end.
pub fn saisir() -> Result<Option<Reponses>> {
    let mut r = Reponses::default();
    message(
        "Diagnostic : 8 contraintes, puis la situation professionnelle. Chaque choix permet de revenir à la \
         question précédente ; Ctrl-C abandonne sans rien enregistrer.",
    );
    let besoins = thematiques::des_categories(&CATEGORIES_PROFESSIONNELLES);
    let etapes = GRILLE.len() + 4;
    let mut i = 0;
    while i <= etapes {
        let pas = if i < GRILLE.len() {
            dimension(&mut r, i)?
        } else if i < etapes {
            professionnelle(&mut r, i, &besoins)?
        } else {
            let validees = valider(r.clone()).map_err(erreur)?;
            if validees.est_vide() {
                return Err(erreur("aucune question n'a reçu de réponse : rien n'est enregistré")
                    .aide("relancez la commande et répondez au moins à une question de la grille")
                    .into());
            }
            match confirmer(&validees, &besoins)? {
                Some(true) => return Ok(Some(validees)),
                Some(false) => return Ok(None),
                None => Pas::Retour,
            }
        };
        match pas {
            Pas::Suite => i += 1,
            Pas::Retour => i = i.saturating_sub(1),
        }
    }
    Ok(None)
}

/// The summary's rows: questions in one column, answers beside them, wrapped between
/// words within the screen and aligned under their first line.
fn resume(lignes: &[(String, String)]) {
    let colonne = lignes.iter().map(|(q, _)| q.chars().count()).max().unwrap_or(0);
    let place = largeur_ecran().saturating_sub(colonne + 3).max(20);
    for (question, reponse) in lignes {
        let texte = envelopper(reponse, place);
        let mut suite = texte.lines();
        message(format_args!("  {question:<colonne$} {}", suite.next().unwrap_or("")));
        for ligne in suite {
            message(format_args!("  {:colonne$} {ligne}", ""));
        }
    }
}

/// Shows the answers in words and asks: save (`Some(true)`), give up (`Some(false)`) or
/// go back to the last question (`None`).
fn confirmer(r: &Reponses, besoins: &[&Thematique]) -> Result<Option<bool>> {
    let non_renseigne = || "non renseigné".to_string();
    message("\nRésumé");
    let besoins: Vec<&str> = besoins
        .iter()
        .filter(|t| r.besoins.contains(&t.code))
        .map(|t| t.libelle.as_str())
        .collect();
    let mut lignes: Vec<(String, String)> = GRILLE
        .iter()
        .map(|def| (def.libelle.to_string(), r.niveau(def.dimension).libelle()))
        .collect();
    lignes.extend([
        (
            "Activité sur 24 mois".into(),
            r.activite_24_mois.map_or_else(non_renseigne, oui_non),
        ),
        (
            "Projet professionnel".into(),
            r.projet.map_or_else(non_renseigne, Projet::libelle),
        ),
        (
            "Niveau de formation".into(),
            r.niveau_formation.map_or_else(non_renseigne, libelle_formation),
        ),
        (
            "Besoins professionnels".into(),
            if besoins.is_empty() {
                "aucun".into()
            } else {
                besoins.join(", ")
            },
        ),
    ]);
    resume(&lignes);
    let s = suggerer(r);
    message(format_args!(
        "  {}\n  Orientation suggérée : {} (règle {} : {})",
        if r.complet() {
            "Diagnostic complet".to_string()
        } else {
            format!("Incomplet : {}", r.manques().join(", "))
        },
        s.orientation.libelle(),
        s.regle,
        s.explication
    ));
    let items = [
        "oui, enregistrer".to_string(),
        "non, abandonner sans rien enregistrer".to_string(),
    ];
    Ok(selection("Enregistrer ce diagnostic", &items, true, 0)?.map(|i| i == 0))
}
