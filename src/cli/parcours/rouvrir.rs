//! `spie parcours rouvrir N`: a new parcours for a known person; the old ones stay.

use anyhow::Result;
use chrono::NaiveDate;
use clap::Args;

use crate::cli::{Ctx, date, numero};
use crate::domain::date::fr;
use crate::error::Issue;
use crate::ops;

#[derive(Debug, Args)]
pub struct Arguments {
    /// Numéro de dossier
    #[arg(value_parser = numero)]
    dossier: i64,
    /// Agent référent du nouveau parcours
    #[arg(long, value_name = "AGENT")]
    referent: Option<String>,
    /// Date d'entrée dans le nouveau parcours [défaut : aujourd'hui]
    #[arg(long, value_parser = date)]
    date: Option<NaiveDate>,
}

pub fn executer(ctx: &Ctx, a: Arguments) -> Result<Issue> {
    let entree = ops::parcours::rouvrir(&mut ctx.session()?, a.dossier, a.referent.as_deref(), a.date)?;
    ctx.dire(format!(
        "Dossier {} : nouveau parcours ouvert le {}.",
        a.dossier,
        fr(entree)
    ));
    ctx.sortie.cree("dossier", &a.dossier)?;
    Ok(Issue::Succes)
}
