//! `spie stats rapport --mois AAAA-MM --sortie FICHIER.html`: one self-contained page for
//! the steering committee, with the month's figures and twelve months of evolution.

use std::path::PathBuf;

use anyhow::Result;
use clap::Args;

use super::mois_publiable;
use crate::cli::{Ctx, entre};
use crate::error::Issue;
use crate::ops;

#[derive(Debug, Args)]
pub struct Arguments {
    /// Mois AAAA-MM
    #[arg(long, value_name = "AAAA-MM")]
    mois: String,
    /// Fichier HTML à écrire
    #[arg(long, value_name = "FICHIER.html")]
    sortie: PathBuf,
    /// Seuil du secret statistique : les effectifs inférieurs sont masqués (5 au minimum)
    #[arg(long, default_value_t = 5, value_name = "N", value_parser = entre(0u64, 1_000))]
    seuil: u64,
}

pub fn executer(ctx: &Ctx, a: Arguments) -> Result<Issue> {
    let mois = mois_publiable(&a.mois, ctx)?;
    ops::stats::rapport(&mut ctx.session()?, mois, &a.sortie, a.seuil)?;
    ctx.dire(format!("Rapport de {} écrit dans {}.", mois.code(), a.sortie.display()));
    ctx.sortie.cree("fichier", &a.sortie.display().to_string())?;
    Ok(Issue::Succes)
}
