//! `spie parcours objectif ajouter|statut`: the objectives of the plan, by thematique.

use crate::domain::codes::souple;
use anyhow::Result;
use chrono::NaiveDate;
use clap::{Args, Subcommand};

use crate::cli::{Ctx, date, numero};
use crate::domain::date::fr;
use crate::domain::suivi::StatutObjectif;
use crate::error::Issue;
use crate::ops;

#[derive(Debug, Subcommand)]
pub enum Commande {
    /// Ajoute un objectif au plan du parcours ouvert ; affiche son numéro
    Ajouter(Ajout),
    /// Change le statut d'un objectif
    Statut(Statut),
}

#[derive(Debug, Args)]
pub struct Ajout {
    /// Numéro de dossier
    #[arg(value_parser = numero)]
    dossier: i64,
    /// Thématique data·inclusion (ou sa catégorie), par exemple mobilite--preparer-un-permis
    #[arg(long)]
    thematique: String,
    /// Intitulé libre de l'objectif
    #[arg(long)]
    libelle: Option<String>,
    /// Date [défaut : aujourd'hui]
    #[arg(long, value_parser = date)]
    date: Option<NaiveDate>,
}

#[derive(Debug, Args)]
pub struct Statut {
    /// Numéro de l'objectif
    #[arg(value_parser = numero)]
    id: i64,
    /// Nouveau statut
    #[arg(value_enum, value_parser = souple::<StatutObjectif>())]
    statut: StatutObjectif,
    /// Date du changement [défaut : aujourd'hui]
    #[arg(long, value_parser = date)]
    date: Option<NaiveDate>,
}

pub fn executer(ctx: &Ctx, commande: Commande) -> Result<Issue> {
    match commande {
        Commande::Ajouter(a) => ajouter(ctx, a),
        Commande::Statut(a) => statut(ctx, a),
    }
}

fn ajouter(ctx: &Ctx, a: Ajout) -> Result<Issue> {
    let nouvel = ops::parcours::NouvelObjectif {
        dossier: a.dossier,
        thematique: a.thematique,
        libelle: a.libelle,
        date: a.date,
    };
    let o = ops::parcours::ajouter_objectif(&mut ctx.session()?, nouvel)?;
    ctx.dire(format!(
        "Dossier {} : objectif n° {} ({}) ajouté le {}.",
        a.dossier,
        o.id,
        o.thematique,
        fr(o.jour)
    ));
    ctx.sortie.cree("id", &o.id)?;
    Ok(Issue::Succes)
}

fn statut(ctx: &Ctx, a: Statut) -> Result<Issue> {
    let jour = ops::parcours::statut_objectif(&mut ctx.session()?, a.id, a.statut, a.date)?;
    ctx.dire(format!("Objectif {} : {} le {}.", a.id, a.statut.mot(), fr(jour)));
    ctx.sortie.cree("id", &a.id)?;
    Ok(Issue::Succes)
}
