//! `spie completions SHELL` and `spie man`: what a shell and `man` need to know spie.
//! Both are made from the command line's own definition, so they follow every command.

use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::Args;
use clap_complete::Shell;

use crate::error::Issue;

#[derive(Debug, Args)]
pub struct Completions {
    /// L'interpréteur de commandes
    #[arg(value_enum)]
    shell: Shell,
}

#[derive(Debug, Args)]
pub struct Manuel {
    /// Dossier où écrire une page par commande (spie.1, spie-parcours.1…) [défaut : la page
    /// principale sur la sortie standard] ; créé s'il manque
    #[arg(long, value_name = "DOSSIER")]
    dossier: Option<PathBuf>,
}

pub fn completions(a: Completions) -> Result<Issue> {
    let mut octets = Vec::new();
    clap_complete::generate(a.shell, &mut super::commande(), "spie", &mut octets);
    crate::output::donnees(&octets)?;
    Ok(Issue::Succes)
}

pub fn manuel(a: Manuel) -> Result<Issue> {
    let commande = super::commande();
    match a.dossier {
        Some(dossier) => {
            std::fs::create_dir_all(&dossier)
                .and_then(|()| clap_mangen::generate_to(commande, &dossier))
                .with_context(|| format!("écriture des pages de manuel dans {}", dossier.display()))?;
            crate::output::message(format_args!("Pages de manuel écrites dans {}.", dossier.display()));
        }
        None => {
            let mut octets = Vec::new();
            clap_mangen::Man::new(commande).render(&mut octets)?;
            crate::output::donnees(&octets)?;
        }
    }
    Ok(Issue::Succes)
}
