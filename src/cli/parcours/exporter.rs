//! `spie parcours exporter N [--sortie FICHIER]`: everything held on the person, as one
//! JSON document (right of access).

use std::path::PathBuf;

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
    /// Fichier à écrire (il ne doit pas exister) [défaut : la sortie standard]
    #[arg(long, value_name = "FICHIER")]
    sortie: Option<PathBuf>,
}

pub fn executer(ctx: &Ctx, a: Arguments) -> Result<Issue> {
    let document = ops::parcours::exporter(&mut ctx.session()?, a.dossier)?;
    let texte = serde_json::to_string_pretty(&document)? + "\n";
    crate::output::fichier::ecrire(a.sortie.as_deref(), texte.as_bytes(), false)?;
    if let Some(chemin) = &a.sortie {
        ctx.dire(format!(
            "Dossier {} exporté dans {} (à remettre à la personne, puis à supprimer).",
            a.dossier,
            chemin.display()
        ));
    }
    Ok(Issue::Succes)
}
