//! `spie parcours note corriger|retirer` and `spie parcours action corriger`: correcting
//! the record. The previous text stays in the dossier's corrections (`parcours voir`, the
//! access export); each correction is audited.

use anyhow::Result;
use clap::{Args, Subcommand};

use crate::cli::{Ctx, numero};
use crate::domain::date::fr;
use crate::error::Issue;
use crate::ops;
use crate::ops::parcours::Corrige;

#[derive(Debug, Subcommand)]
pub enum SurNote {
    /// Corrige le texte d'une note (l'ancien texte reste dans l'historique des corrections)
    Corriger(Corriger),
    /// Retire une note saisie à tort (son texte reste dans l'historique, avec le motif)
    Retirer(Retirer),
}

#[derive(Debug, Args)]
pub struct Corriger {
    /// Numéro de la note ou de l'action (voir `spie parcours voir N --format json`)
    #[arg(value_parser = numero)]
    id: i64,
    /// Le texte corrigé
    texte: String,
    /// Pourquoi la correction (facultatif)
    #[arg(long)]
    motif: Option<String>,
}

#[derive(Debug, Args)]
pub struct Retirer {
    /// Numéro de la note
    #[arg(value_parser = numero)]
    id: i64,
    /// Pourquoi la note est retirée (obligatoire)
    #[arg(long)]
    motif: String,
    /// La note concernait une autre personne (saisie dans le mauvais dossier) : son texte est
    /// effacé au lieu d'être gardé dans l'historique de ce dossier, qui est remis à la personne
    #[arg(long)]
    autre_personne: bool,
}

pub fn sur_note(ctx: &Ctx, c: SurNote) -> Result<Issue> {
    match c {
        SurNote::Corriger(a) => corriger(ctx, Corrige::Note(a.id), Some(a.texte), a.motif, false),
        SurNote::Retirer(a) => corriger(ctx, Corrige::Note(a.id), None, Some(a.motif), a.autre_personne),
    }
}

pub fn sur_action(ctx: &Ctx, a: Corriger) -> Result<Issue> {
    corriger(ctx, Corrige::Action(a.id), Some(a.texte), a.motif, false)
}

fn corriger(ctx: &Ctx, cible: Corrige, texte: Option<String>, motif: Option<String>, effacer: bool) -> Result<Issue> {
    let retrait = texte.is_none();
    let correction = ops::parcours::Correction {
        cible,
        texte,
        motif,
        effacer,
    };
    let faite = ops::parcours::corriger(&mut ctx.session()?, correction)?;
    let (quoi, id, verbe) = match cible {
        Corrige::Note(id) if retrait => ("note", id, "retirée"),
        Corrige::Note(id) => ("note", id, "corrigée"),
        Corrige::Action(id) => ("libellé de l'action", id, "corrigé"),
    };
    let ancien = if effacer {
        "son texte, qui concernait une autre personne, est effacé"
    } else {
        "l'ancien texte reste dans l'historique des corrections"
    };
    ctx.dire(format!(
        "Dossier {} : {quoi} {id} {verbe} le {} ; {ancien}.",
        faite.dossier,
        fr(faite.jour)
    ));
    ctx.sortie.cree("id", &id)?;
    Ok(Issue::Succes)
}
