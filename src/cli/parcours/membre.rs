//! `spie parcours membre ajouter|retirer N AGENT`: the team around the référent. An agent
//! of another structure joins only with the person's consent to share, or with a written
//! reason that is kept.

use anyhow::Result;
use chrono::NaiveDate;
use clap::{Args, Subcommand};

use crate::cli::{Ctx, date, numero};
use crate::domain::date::fr;
use crate::error::{Issue, UserError};
use crate::ops;

#[derive(Debug, Subcommand)]
pub enum Commande {
    /// Ajoute un agent à l'équipe du parcours
    Ajouter(Ajout),
    /// Retire un agent de l'équipe (l'historique est gardé)
    Retirer(Retrait),
}

#[derive(Debug, Args)]
pub struct Ajout {
    /// Numéro de dossier
    #[arg(value_parser = numero)]
    dossier: i64,
    /// Identifiant de l'agent
    #[arg(value_name = "AGENT")]
    membre: String,
    /// Ajouter un agent d'une autre structure sans le consentement de la personne
    #[arg(long, requires = "motif")]
    sans_consentement: bool,
    /// Raison écrite de l'ajout sans consentement (gardée et visible)
    #[arg(long)]
    motif: Option<String>,
    /// Date d'arrivée dans l'équipe [défaut : aujourd'hui]
    #[arg(long, value_parser = date)]
    date: Option<NaiveDate>,
}

#[derive(Debug, Args)]
pub struct Retrait {
    /// Numéro de dossier
    #[arg(value_parser = numero)]
    dossier: i64,
    /// Identifiant de l'agent
    #[arg(value_name = "AGENT")]
    membre: String,
    /// Date de départ de l'équipe [défaut : aujourd'hui]
    #[arg(long, value_parser = date)]
    date: Option<NaiveDate>,
}

pub fn executer(ctx: &Ctx, commande: Commande) -> Result<Issue> {
    match commande {
        Commande::Ajouter(a) => ajouter(ctx, a),
        Commande::Retirer(a) => retirer(ctx, a),
    }
}

fn ajouter(ctx: &Ctx, a: Ajout) -> Result<Issue> {
    if a.sans_consentement && a.motif.as_deref().is_none_or(|m| m.trim().is_empty()) {
        return Err(UserError::usage("--sans-consentement demande une raison écrite : --motif \"…\"").into());
    }
    let ajout = ops::parcours::Ajout {
        dossier: a.dossier,
        membre: a.membre,
        sans_consentement: a.motif.filter(|_| a.sans_consentement),
        date: a.date,
    };
    let arrivee = ops::parcours::ajouter(&mut ctx.session()?, ajout)?;
    if arrivee.sans_consentement {
        ctx.avertir(format!(
            "{} ajouté sans le consentement de la personne ; la raison est enregistrée",
            arrivee.membre
        ));
    }
    ctx.dire(format!(
        "Dossier {} : {} ({}) rejoint l'équipe le {}.",
        a.dossier,
        arrivee.membre,
        arrivee.structure,
        fr(arrivee.jour)
    ));
    ctx.sortie.cree("dossier", &a.dossier)?;
    Ok(Issue::Succes)
}

fn retirer(ctx: &Ctx, a: Retrait) -> Result<Issue> {
    let jour = ops::parcours::retirer(&mut ctx.session()?, a.dossier, &a.membre, a.date)?;
    ctx.dire(format!(
        "Dossier {} : {} quitte l'équipe le {}.",
        a.dossier,
        a.membre.trim(),
        fr(jour)
    ));
    ctx.sortie.cree("dossier", &a.dossier)?;
    Ok(Issue::Succes)
}
