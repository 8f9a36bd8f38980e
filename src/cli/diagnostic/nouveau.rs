//! `spie diagnostic nouveau N`: a new dated diagnostic, from the terminal, the flags or a
//! JSON document; the suggested orientation is printed after saving.

use crate::domain::codes::souple;
use std::io::Read;
use std::path::PathBuf;

use anyhow::{Context, Result};
use chrono::NaiveDate;
use clap::Args;
use serde::Serialize;

use super::{saisie, sections};
use crate::cli::{Ctx, date, numero, oui_non};
use crate::domain::diagnostic::{Reponses, Suggestion, valider};
use crate::domain::grille::{Dimension, Niveau, NiveauFormation, Projet};
use crate::error::{Issue, UserError, erreur};
use crate::ops;
use crate::output::Fiche;

#[derive(Debug, Args)]
pub struct Arguments {
    /// Numéro de dossier
    #[arg(value_parser = numero)]
    dossier: i64,
    /// Réponses dans un document JSON (« - » : l'entrée standard) ; voir docs/diagnostic-json.md
    #[arg(long, value_name = "FICHIER")]
    reponses: Option<PathBuf>,
    /// Niveau d'une contrainte, par exemple mobilite=fort (répétable)
    #[arg(long = "contrainte", value_name = "DIM=NIVEAU")]
    contraintes: Vec<String>,
    /// Situation notée pour une contrainte, par exemple mobilite:sans-permis (répétable)
    #[arg(long = "situation", value_name = "DIM:CODE")]
    situations: Vec<String>,
    /// Commentaire sur une contrainte, par exemple "sante=suivi en cours" (répétable)
    #[arg(long = "commentaire", value_name = "DIM=TEXTE")]
    commentaires: Vec<String>,
    /// Une activité professionnelle au cours des 24 derniers mois : oui ou non
    #[arg(long, value_name = "OUI|NON", value_parser = oui_non)]
    activite_24_mois: Option<bool>,
    /// Projet professionnel
    #[arg(long, value_enum, value_parser = souple::<Projet>())]
    projet: Option<Projet>,
    /// Niveau de formation (nomenclature 2019)
    #[arg(long, value_enum, value_parser = souple::<NiveauFormation>())]
    niveau_formation: Option<NiveauFormation>,
    /// Besoin professionnel : thématique data·inclusion (répétable ; voir `spie diagnostic grille`)
    #[arg(long = "besoin", value_name = "CODE")]
    besoins: Vec<String>,
    /// Date du diagnostic [défaut : aujourd'hui]
    #[arg(long, value_parser = date)]
    date: Option<NaiveDate>,
}

impl Arguments {
    fn a_des_reponses(&self) -> bool {
        !(self.contraintes.is_empty()
            && self.situations.is_empty()
            && self.commentaires.is_empty()
            && self.activite_24_mois.is_none()
            && self.projet.is_none()
            && self.niveau_formation.is_none()
            && self.besoins.is_empty())
    }
}

/// `mobilite=fort` → (mobilite, "fort"), with the valid dimensions on error.
fn paire<'a>(option: &str, texte: &'a str, separateur: char) -> Result<(Dimension, &'a str), UserError> {
    let (dim, valeur) = texte
        .split_once(separateur)
        .ok_or_else(|| UserError::usage(format!("{option} « {texte} » : attendu DIMENSION{separateur}VALEUR")))?;
    Ok((
        Dimension::lire(dim).map_err(|e| UserError::usage(format!("{option} : {e}")))?,
        valeur.trim(),
    ))
}

fn depuis_les_options(a: &Arguments) -> Result<Reponses, UserError> {
    let mut r = Reponses {
        activite_24_mois: a.activite_24_mois,
        projet: a.projet,
        niveau_formation: a.niveau_formation,
        besoins: a.besoins.clone(),
        ..Reponses::default()
    };
    for texte in &a.contraintes {
        let (dim, niveau) = paire("--contrainte", texte, '=')?;
        let niveau = Niveau::depuis_saisie(niveau).ok_or_else(|| {
            UserError::usage(format!(
                "--contrainte : {} ; {}",
                crate::domain::texte::inconnu("niveau", niveau),
                Niveau::valeurs_possibles(niveau)
            ))
        })?;
        r.contraintes.entry(dim).or_default().niveau = Some(niveau);
    }
    for texte in &a.situations {
        let (dim, code) = paire("--situation", texte, ':')?;
        r.contraintes.entry(dim).or_default().situations.push(code.to_owned());
    }
    for texte in &a.commentaires {
        let (dim, commentaire) = paire("--commentaire", texte, '=')?;
        r.contraintes.entry(dim).or_default().commentaire = Some(commentaire.to_owned());
    }
    Ok(r)
}

/// At most 1 MB of JSON: a diagnostic is a few kilobytes.
const TAILLE_MAX: u64 = 1 << 20;

fn depuis_le_json(chemin: &std::path::Path) -> Result<Reponses> {
    let mut texte = String::new();
    let nom = if chemin.as_os_str() == "-" {
        std::io::stdin()
            .take(TAILLE_MAX + 1)
            .read_to_string(&mut texte)
            .context("lecture de l'entrée standard")?;
        "l'entrée standard".to_string()
    } else {
        if chemin.is_dir() {
            return Err(erreur(format!(
                "{} est un dossier, pas un fichier de réponses",
                chemin.display()
            ))
            .into());
        }
        let fichier =
            std::fs::File::open(chemin).with_context(|| format!("impossible d'ouvrir {}", chemin.display()))?;
        fichier
            .take(TAILLE_MAX + 1)
            .read_to_string(&mut texte)
            .map_err(|_| erreur(format!("{} n'est pas un texte UTF-8 lisible", chemin.display())))?;
        chemin.display().to_string()
    };
    if texte.len() as u64 > TAILLE_MAX {
        return Err(erreur(format!("{nom} : plus de 1 Mo, ce n'est pas un diagnostic")).into());
    }
    lire_json(&texte).map_err(|e| {
        UserError::usage(format!("réponses illisibles dans {nom}, {e}"))
            .aide("le format est décrit dans docs/diagnostic-json.md ; `spie diagnostic grille` donne les codes")
            .into()
    })
}

/// The answers of a JSON document, or where and why it is refused ("ligne 1 colonne 17,
/// champ « contraintes.mobilite » : attendu : un objet ; trouvé : une liste"). A byte
/// order mark (Windows Notepad writes one) is skipped; an empty document has no answer.
fn lire_json(texte: &str) -> Result<Reponses, String> {
    let texte = texte.strip_prefix('\u{feff}').unwrap_or(texte);
    if texte.trim().is_empty() {
        return Ok(Reponses::default());
    }
    let mut lecteur = serde_json::Deserializer::from_str(texte);
    let lu = serde_path_to_error::deserialize(&mut lecteur);
    let (chemin, e) = match lu.map(|r| (r, lecteur.end())) {
        Ok((r, Ok(()))) => return Ok(r),
        Ok((_, Err(e))) => (String::new(), e),
        Err(e) => (e.path().to_string(), e.into_inner()),
    };
    let position = format!("ligne {} colonne {}", e.line(), e.column());
    use serde_json::error::Category;
    let explication = match e.classify() {
        Category::Eof => return Err(format!("{position} : document incomplet")),
        Category::Syntax => return Err(format!("{position} : syntaxe JSON invalide")),
        Category::Io => return Err(format!("{position} : lecture interrompue")),
        // spie's own messages (codes, situations, needs) are already in French.
        Category::Data => crate::error::serde_en_francais(&e.to_string()).unwrap_or_else(|| {
            let m = e.to_string();
            m.split(" at line ").next().unwrap_or(&m).to_owned()
        }),
    };
    let lieu = if chemin.is_empty() || chemin == "." {
        "le document".to_string()
    } else {
        format!("champ « {chemin} »")
    };
    Err(format!("{position}, {lieu} : {explication}"))
}

#[derive(Serialize)]
struct Cree<'a> {
    id: i64,
    dossier: i64,
    complet: bool,
    suggestion: &'a Suggestion,
}

pub fn executer(ctx: &Ctx, a: Arguments) -> Result<Issue> {
    if a.reponses.is_some() && a.a_des_reponses() {
        return Err(UserError::usage("--reponses ne se combine pas avec les réponses en options").into());
    }
    let mut session = ctx.session()?;
    // Before any question: a refused agent does not fill a grid for nothing.
    ops::diagnostic::preparer(&mut session, a.dossier, a.date)?;
    let Some(reponses) = reponses(ctx, &a)? else {
        ctx.dire("Diagnostic abandonné : rien n'est enregistré.");
        return Ok(Issue::Succes);
    };
    let nouveau = ops::diagnostic::Nouveau {
        dossier: a.dossier,
        reponses,
        date: a.date,
    };
    let d = ops::diagnostic::enregistrer(&mut session, nouveau)?;
    ctx.dire(format!(
        "Diagnostic n° {} enregistré pour le dossier {} ({}).\nOrientation suggérée : {} (règle {} : {}).\n\
         La décision revient à l'agent : spie parcours orienter {} pro|sociopro|social",
        d.id,
        a.dossier,
        if d.complet { "complet" } else { "incomplet" },
        d.suggestion.orientation.code(),
        d.suggestion.regle,
        d.suggestion.explication,
        a.dossier
    ));
    let cree = Cree {
        id: d.id,
        dossier: a.dossier,
        complet: d.complet,
        suggestion: &d.suggestion,
    };
    ctx.sortie.fiche(&cree, &Fiche { sections: sections(&d) })?;
    Ok(Issue::Succes)
}

/// The answers: from the JSON document, the flags, or the questions (`None`: the agent
/// gave up); none at all without a terminal.
fn reponses(ctx: &Ctx, a: &Arguments) -> Result<Option<Reponses>> {
    Ok(Some(match &a.reponses {
        Some(chemin) => valider(depuis_le_json(chemin)?).map_err(UserError::usage)?,
        None if a.a_des_reponses() => valider(depuis_les_options(a)?).map_err(UserError::usage)?,
        None if ctx.interactif => return saisie::saisir(),
        None => Reponses::default(),
    }))
}
