//! `spie parcours voir N`: everything about one dossier on one screen — identity, the
//! parcours and its team, consent, diagnostic, orientation, plan and journal. The use
//! case gathers; `fiche.rs` lays it out for a terminal.

mod fiche;

use anyhow::Result;
use clap::Args;

use crate::cli::{Ctx, numero};
use crate::error::Issue;
use crate::ops;

#[derive(Debug, Args)]
pub struct Arguments {
    /// Numéro de dossier
    #[arg(value_parser = numero)]
    dossier: i64,
    /// Raison d'ouvrir un dossier que vous ne suivez pas (urgence) : l'accès est permis en
    /// lecture, une fois, inscrit au journal des accès et signalé à son référent
    #[arg(long)]
    motif: Option<String>,
}

pub fn executer(ctx: &Ctx, a: Arguments) -> Result<Issue> {
    let vue = ops::parcours::voir(&mut ctx.session()?, a.dossier, a.motif.as_deref())?;
    ctx.sortie.fiche(&vue, &fiche::fiche(&vue))?;
    Ok(Issue::Succes)
}
