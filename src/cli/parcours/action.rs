//! `spie parcours action ajouter|statut`: the actions of the plan, each status dated.

use crate::domain::codes::souple;
use anyhow::Result;
use chrono::NaiveDate;
use clap::{Args, Subcommand};

use crate::cli::{Ctx, date, numero};
use crate::domain::date::fr;
use crate::domain::suivi::StatutAction;
use crate::error::Issue;
use crate::ops;

#[derive(Debug, Subcommand)]
pub enum Commande {
    /// Ajoute une action au plan du parcours ouvert (statut proposee) ; affiche son numéro
    Ajouter(Ajout),
    /// Change le statut d'une action : proposee, en-cours, realisee, abandonnee, refusee
    Statut(Statut),
    /// Corrige le libellé d'une action (l'ancien libellé reste dans l'historique des corrections)
    Corriger(super::correction::Corriger),
}

#[derive(Debug, Args)]
pub struct Ajout {
    /// Numéro de dossier
    #[arg(value_parser = numero)]
    dossier: i64,
    /// Ce qui est à faire
    #[arg(long)]
    libelle: String,
    /// Objectif que l'action sert (son numéro)
    #[arg(long, value_parser = numero)]
    objectif: Option<i64>,
    /// Thématique data·inclusion [défaut : celle de l'offre qui répond à l'objectif ou aux
    /// besoins de la personne, sinon la première de l'offre ; sans offre, celle de l'objectif]
    #[arg(long)]
    thematique: Option<String>,
    /// Offre du catalogue que l'action mobilise (son numéro : `spie offre chercher`)
    #[arg(long, value_parser = numero)]
    offre: Option<i64>,
    /// Structure qui porte l'action (nom ou numéro) [défaut : celle de l'offre, si spie la connaît]
    #[arg(long)]
    structure: Option<String>,
    /// Date à laquelle l'action doit être faite
    #[arg(long, value_parser = date)]
    echeance: Option<NaiveDate>,
    /// Date de création [défaut : aujourd'hui]
    #[arg(long, value_parser = date)]
    date: Option<NaiveDate>,
}

#[derive(Debug, Args)]
pub struct Statut {
    /// Numéro de l'action
    #[arg(value_parser = numero)]
    id: i64,
    /// Nouveau statut
    #[arg(value_enum, value_parser = souple::<StatutAction>())]
    statut: StatutAction,
    /// Date du changement [défaut : aujourd'hui]
    #[arg(long, value_parser = date)]
    date: Option<NaiveDate>,
}

pub fn executer(ctx: &Ctx, commande: Commande) -> Result<Issue> {
    match commande {
        Commande::Ajouter(a) => ajouter(ctx, a),
        Commande::Statut(a) => statut(ctx, a),
        Commande::Corriger(a) => super::correction::sur_action(ctx, a),
    }
}

fn ajouter(ctx: &Ctx, a: Ajout) -> Result<Issue> {
    let prevue = ops::parcours::ActionPrevue {
        dossier: a.dossier,
        libelle: a.libelle,
        objectif: a.objectif,
        thematique: a.thematique,
        offre: a.offre,
        structure: a.structure,
        echeance: a.echeance,
        date: a.date,
    };
    let ajoutee = ops::parcours::ajouter_action(&mut ctx.session()?, prevue)?;
    let echeance = a
        .echeance
        .map(|e| format!(", échéance le {}", fr(e)))
        .unwrap_or_default();
    ctx.dire(format!(
        "Dossier {} : action n° {} proposée le {}{echeance}.",
        a.dossier,
        ajoutee.id,
        fr(ajoutee.jour)
    ));
    ctx.sortie.cree("id", &ajoutee.id)?;
    Ok(Issue::Succes)
}

fn statut(ctx: &Ctx, a: Statut) -> Result<Issue> {
    let change = ops::parcours::statut_action(&mut ctx.session()?, a.id, a.statut, a.date)?;
    ctx.dire(format!(
        "Action {} (dossier {}) : {} le {}.",
        a.id,
        change.dossier,
        a.statut.mot(),
        fr(change.jour)
    ));
    ctx.sortie.cree("id", &a.id)?;
    Ok(Issue::Succes)
}
