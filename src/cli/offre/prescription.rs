//! `spie offre prescription ID STATUT [--motif] [--date]`: the answer to a prescription.

use crate::domain::codes::souple;
use anyhow::Result;
use chrono::NaiveDate;
use clap::{Args, ValueEnum};

use crate::cli::{Ctx, date, numero};
use crate::domain::date::fr;
use crate::domain::prescription::StatutPrescription;
use crate::error::Issue;
use crate::ops;

/// The statuses that can be recorded (`proposee` is the start, `sans-reponse` is seen).
#[derive(Debug, Clone, Copy, ValueEnum)]
enum Nouveau {
    /// Envoyée au partenaire
    Envoyee,
    /// Acceptée par le partenaire
    Acceptee,
    /// Refusée par le partenaire (--motif obligatoire)
    Refusee,
    /// Réalisée : la personne a suivi l'offre
    Realisee,
    /// Abandonnée
    Abandonnee,
}

#[derive(Debug, Args)]
pub struct Arguments {
    /// Numéro de la prescription (le numéro d'action donné par `offre prescrire`)
    #[arg(value_parser = numero)]
    id: i64,
    /// Le nouveau statut
    #[arg(value_enum, value_parser = souple::<Nouveau>())]
    statut: Nouveau,
    /// Pourquoi (obligatoire pour un refus)
    #[arg(long)]
    motif: Option<String>,
    /// Date de la réponse [défaut : aujourd'hui]
    #[arg(long, value_parser = date)]
    date: Option<NaiveDate>,
}

pub fn executer(ctx: &Ctx, a: Arguments) -> Result<Issue> {
    let statut = match a.statut {
        Nouveau::Envoyee => StatutPrescription::Envoyee,
        Nouveau::Acceptee => StatutPrescription::Acceptee,
        Nouveau::Refusee => StatutPrescription::Refusee,
        Nouveau::Realisee => StatutPrescription::Realisee,
        Nouveau::Abandonnee => StatutPrescription::Abandonnee,
    };
    let reponse = ops::offre::Reponse {
        id: a.id,
        statut,
        motif: a.motif,
        date: a.date,
    };
    let r = ops::offre::repondre(&mut ctx.session()?, reponse)?;
    ctx.dire(format!(
        "Dossier {} : prescription {} {} → {} le {}.",
        r.dossier,
        a.id,
        r.avant.mot(),
        statut.mot(),
        fr(r.jour)
    ));
    ctx.sortie.cree("id", &a.id)?;
    Ok(Issue::Succes)
}
