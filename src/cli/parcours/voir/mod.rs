//! `spie parcours voir N`: everything about one dossier on one screen — identity, the
//! parcours and its team, consent, diagnostic, orientation, plan and journal. The use
//! case gathers; `fiche.rs` lays it out for a terminal.

mod fiche;

use anyhow::Result;
use clap::Args;

use std::io::Write;
use std::path::PathBuf;

use crate::cli::{Ctx, numero};
use crate::domain::date;
use crate::error::Issue;
use crate::ops;
use crate::output::{fichier, html};

#[derive(Debug, Args)]
pub struct Arguments {
    /// Numéro de dossier
    #[arg(value_parser = numero)]
    dossier: i64,
    /// Raison d'ouvrir un dossier que vous ne suivez pas (urgence) : l'accès est permis en
    /// lecture, une fois, inscrit au journal des accès et signalé à son référent
    #[arg(long)]
    motif: Option<String>,
    /// Écrit le dossier entier dans une page HTML à imprimer (A4), pour la personne ou une
    /// réunion ; le fichier ne doit pas exister
    #[arg(long, value_name = "FICHIER.html")]
    sortie: Option<PathBuf>,
}

pub fn executer(ctx: &Ctx, a: Arguments) -> Result<Issue> {
    let mut session = ctx.session()?;
    if let Some(chemin) = &a.sortie {
        // Ready before the dossier is read (no file in the way, a folder that exists and
        // takes a file): the access journal records only sheets that could be written.
        let mut f = fichier::FichierAtomique::creer(chemin, false)?;
        session.preciser(" — fiche imprimable");
        let vue = ops::parcours::voir(&mut session, a.dossier, a.motif.as_deref())?;
        let id = &vue.personne.identite;
        let page = html::page(
            &format!("Dossier {} — {} {}", a.dossier, id.prenom, id.nom),
            &format!("Édité le {} par {}", date::fr(ctx.aujourdhui), session.agent.nom),
            &fiche::fiche(&vue),
            "Document confidentiel : données personnelles. À remettre à la personne ou à détruire après la réunion.",
        );
        f.write_all(page.as_bytes())?;
        f.valider()?;
        crate::output::travail_enregistre();
        ctx.dire(format!("Dossier {} écrit dans {}.", a.dossier, chemin.display()));
        return Ok(Issue::Succes);
    }
    let vue = ops::parcours::voir(&mut session, a.dossier, a.motif.as_deref())?;
    ctx.sortie.fiche(&vue, &fiche::fiche(&vue))?;
    Ok(Issue::Succes)
}
