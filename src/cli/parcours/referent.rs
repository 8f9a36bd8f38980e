//! `spie parcours referent N AGENT`: the one agent responsible for the parcours.

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
    /// Identifiant de l'agent qui devient référent
    #[arg(value_name = "AGENT")]
    nouveau: String,
    /// Date du changement [défaut : aujourd'hui]
    #[arg(long, value_parser = date)]
    date: Option<NaiveDate>,
}

pub fn executer(ctx: &Ctx, a: Arguments) -> Result<Issue> {
    let designe = ops::parcours::designer(&mut ctx.session()?, a.dossier, &a.nouveau, a.date)?;
    let avant = designe
        .precedent
        .map(|r| format!(" (à la place de {r})"))
        .unwrap_or_default();
    ctx.dire(format!(
        // "référent" names the role, whoever holds it: no "est référent" for Sarah.
        "Dossier {} : référent {} depuis le {}{avant}.",
        a.dossier,
        designe.referent,
        fr(designe.jour)
    ));
    ctx.sortie.cree("dossier", &a.dossier)?;
    Ok(Issue::Succes)
}
