//! `spie parcours effacer N --confirmer`: erasure at the person's request. Every row
//! about the person is deleted, and the file rewritten; what they counted in past
//! months' figures stays as anonymous counts, so that those figures do not change.

use anyhow::Result;
use clap::Args;

use crate::cli::{Ctx, numero};
use crate::error::{Issue, UserError};
use crate::ops;

#[derive(Debug, Args)]
pub struct Arguments {
    /// Numéro de dossier
    #[arg(value_parser = numero)]
    dossier: i64,
    /// Confirme l'effacement, qui est définitif
    #[arg(long)]
    confirmer: bool,
}

pub fn executer(ctx: &Ctx, a: Arguments) -> Result<Issue> {
    if !a.confirmer {
        return Err(UserError::usage(format!(
            "l'effacement du dossier {} est définitif : ajoutez --confirmer",
            a.dossier
        ))
        .aide(format!(
            "pour remettre d'abord ses données à la personne : spie parcours exporter {} --sortie FICHIER",
            a.dossier
        ))
        .into());
    }
    let supprimees = ops::parcours::effacer(&mut ctx.session()?, a.dossier)?;
    let detail: Vec<String> = supprimees
        .iter()
        .filter(|(_, n)| **n > 0)
        .map(|(t, n)| format!("{t} : {n}"))
        .collect();
    ctx.dire(format!(
        "Dossier {} effacé : toutes ses données sont supprimées ({}). Les chiffres des mois passés restent les mêmes : ce qu'il y comptait est gardé en comptes anonymes.",
        a.dossier,
        detail.join(", ")
    ));
    ctx.sortie.cree("dossier", &a.dossier)?;
    Ok(Issue::Succes)
}
