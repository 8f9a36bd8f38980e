//! `spie parcours consentement N --partage oui|non`: the person's consent to share the
//! dossier with other structures, dated; the history is kept.

use anyhow::Result;
use chrono::NaiveDate;
use clap::Args;

use crate::cli::{Ctx, date, numero, oui_non};
use crate::domain::date::fr;
use crate::error::Issue;
use crate::ops;

#[derive(Debug, Args)]
pub struct Arguments {
    /// Numéro de dossier
    #[arg(value_parser = numero)]
    dossier: i64,
    /// La personne accepte-t-elle le partage de son dossier avec d'autres structures : oui ou non
    #[arg(long, value_name = "OUI|NON", value_parser = oui_non, action = clap::ArgAction::Set)]
    partage: bool,
    /// Date du recueil [défaut : aujourd'hui]
    #[arg(long, value_parser = date)]
    date: Option<NaiveDate>,
}

pub fn executer(ctx: &Ctx, a: Arguments) -> Result<Issue> {
    let recueil = ops::parcours::consentir(&mut ctx.session()?, a.dossier, a.partage, a.date)?;
    ctx.dire(format!(
        "Dossier {} : partage {} le {}.",
        a.dossier,
        if a.partage { "accepté" } else { "refusé" },
        fr(recueil.jour)
    ));
    if !recueil.externes.is_empty() {
        ctx.avertir(format!(
            "des agents d'autres structures sont encore dans l'équipe ({}) : ils n'ont plus accès au dossier ; \
             retirez-les avec `spie parcours membre retirer {} AGENT`",
            recueil.externes.join(", "),
            a.dossier
        ));
    }
    ctx.sortie.cree("dossier", &a.dossier)?;
    Ok(Issue::Succes)
}
