//! `spie diagnostic erreur ID --motif "…"`: a diagnostic entered by mistake.

use anyhow::Result;
use clap::Args;

use crate::cli::{Ctx, numero};
use crate::error::Issue;
use crate::ops;

#[derive(Debug, Args)]
pub struct Arguments {
    /// Numéro du diagnostic (voir `spie diagnostic voir N --historique`)
    #[arg(value_parser = numero)]
    id: i64,
    /// Pourquoi c'est une erreur de saisie (mauvais dossier, essai…)
    #[arg(long)]
    motif: String,
}

pub fn executer(ctx: &Ctx, a: Arguments) -> Result<Issue> {
    let dossier = ops::diagnostic::marquer_erreur(&mut ctx.session()?, a.id, &a.motif)?;
    ctx.dire(format!(
        "Dossier {dossier} : diagnostic {} marqué « saisi par erreur » ; il reste dans l'historique, hors \
         statistiques et comparaisons.",
        a.id
    ));
    ctx.sortie.cree("id", &a.id)?;
    Ok(Issue::Succes)
}
