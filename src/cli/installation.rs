//! `spie completions SHELL` and `spie man`: what a shell and `man` need to know spie.
//! Both are made from the command line's own definition, so they follow every command.

use crate::domain::codes::souple;
use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::Args;
use clap_complete::Shell;

use crate::error::Issue;

#[derive(Debug, Args)]
pub struct Completions {
    /// L'interpréteur de commandes
    #[arg(value_enum, value_parser = souple::<Shell>())]
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
    let mut commande = super::commande();
    commande.build();
    match a.dossier {
        Some(dossier) => {
            std::fs::create_dir_all(&dossier)
                .map_err(anyhow::Error::from)
                .and_then(|()| pages(&commande, &dossier))
                .with_context(|| format!("écriture des pages de manuel dans {}", dossier.display()))?;
            crate::output::message(format_args!("Pages de manuel écrites dans {}.", dossier.display()));
        }
        None => crate::output::donnees(&page(&commande)?)?,
    }
    Ok(Issue::Succes)
}

/// One page per command, `commande` and every command under it (spie.1, spie-parcours.1…).
fn pages(commande: &clap::Command, dossier: &std::path::Path) -> Result<()> {
    for sous in commande.get_subcommands().filter(|s| !s.is_hide_set()) {
        pages(sous, dossier)?;
    }
    let nom = clap_mangen::Man::new(commande.clone()).get_filename();
    std::fs::write(dossier.join(nom), page(commande)?)?;
    Ok(())
}

/// The manual page of `commande`, its sections titled in French.
fn page(commande: &clap::Command) -> Result<Vec<u8>> {
    let mut octets = Vec::new();
    clap_mangen::Man::new(commande.clone())
        .manual("Manuel de spie")
        .render(&mut octets)?;
    Ok(en_francais(&String::from_utf8_lossy(&octets)).into_bytes())
}

/// clap_mangen titles its sections in English (`.SH NAME`…), and a heading of the help
/// ends with the no-break space that French puts before its colon.
fn en_francais(roff: &str) -> String {
    roff.lines()
        .map(|ligne| match ligne.strip_prefix(".SH ") {
            Some(titre) => {
                let titre = titre.trim_matches('"').trim_end_matches('\u{a0}');
                let francais = match titre {
                    "NAME" => "NOM",
                    "EXTRA" if roff.contains("Exemple :") => "EXEMPLE",
                    "EXTRA" => "AIDE",
                    "SUBCOMMANDS" => "COMMANDES",
                    "AUTHORS" => "AUTEURS",
                    autre => autre,
                };
                format!(".SH \"{}\"\n", francais.to_uppercase())
            }
            // An empty date field, unquoted, vanishes: the manual's name would be read
            // as the source and groff would print its own English one.
            None if ligne.starts_with(".TH ") => format!("{}\n", ligne.replacen("  ", " \"\" ", 1)),
            None => format!("{}\n", ligne.replace('\u{a0}', " ")),
        })
        .collect()
}
