//! `spie parcours chercher`: find a dossier by name, given name or birth date.

use anyhow::Result;
use clap::Args;

use super::liste::afficher;
use crate::cli::Ctx;
use crate::error::Issue;
use crate::ops;
use crate::ops::parcours::LIMITE;

#[derive(Debug, Args)]
pub struct Arguments {
    /// Début du nom et/ou du prénom (accents et majuscules indifférents), et/ou une date
    /// de naissance : "dup mar", "12/03/1985", "martin 1985-03-12"
    #[arg(required = true, num_args = 1.., value_name = "TEXTE")]
    texte: Vec<String>,
}

pub fn executer(ctx: &Ctx, a: Arguments) -> Result<Issue> {
    let trouves = ops::parcours::chercher(&mut ctx.session()?, &a.texte)?;
    if trouves.tronque {
        ctx.avertir(format!(
            "plus de {LIMITE} dossiers correspondent ; seuls {LIMITE} sont affichés, précisez la recherche"
        ));
    }
    afficher(ctx, trouves.lignes)
}
