//! `spie parcours clore N --motif M`: the end of a parcours.

use crate::domain::codes::souple;
use anyhow::Result;
use chrono::NaiveDate;
use clap::Args;

use crate::cli::{Ctx, date, numero};
use crate::domain::date::fr;
use crate::domain::parcours::MotifSortie;
use crate::error::Issue;
use crate::ops;

#[derive(Debug, Args)]
pub struct Arguments {
    /// Numéro de dossier
    #[arg(value_parser = numero)]
    dossier: i64,
    /// Motif de sortie
    #[arg(long, value_enum, value_parser = souple::<MotifSortie>())]
    motif: MotifSortie,
    /// Date de sortie [défaut : aujourd'hui]
    #[arg(long, value_parser = date)]
    date: Option<NaiveDate>,
}

pub fn executer(ctx: &Ctx, a: Arguments) -> Result<Issue> {
    let sortie = ops::parcours::clore(&mut ctx.session()?, a.dossier, a.motif, a.date)?;
    ctx.dire(format!(
        "Dossier {} : parcours clos le {} ({}).",
        a.dossier,
        fr(sortie),
        a.motif.mot()
    ));
    ctx.sortie.cree("dossier", &a.dossier)?;
    Ok(Issue::Succes)
}
