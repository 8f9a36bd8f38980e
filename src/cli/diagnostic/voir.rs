//! `spie diagnostic voir N [--historique] [--motif "…"]`.

use anyhow::Result;
use clap::Args;

use super::{Lecture, sections};
use crate::cli::Ctx;
use crate::error::{Issue, erreur};
use crate::ops;
use crate::output::Fiche;

#[derive(Debug, Args)]
pub struct Arguments {
    #[command(flatten)]
    lecture: Lecture,
    /// Tous les diagnostics du dossier, du plus ancien au plus récent
    #[arg(long)]
    historique: bool,
}

pub fn executer(ctx: &Ctx, a: Arguments) -> Result<Issue> {
    let dossier = a.lecture.dossier;
    let tous = ops::diagnostic::diagnostics(&mut ctx.session()?, dossier, a.lecture.motif.as_deref())?;
    // The latest one that counts; one entered by mistake only if there is no other.
    let dernier = tous.iter().rev().find(|d| d.saisi_par_erreur.is_none()).or(tous.last());
    let Some(dernier) = dernier else {
        return Err(erreur(format!("le dossier {dossier} n'a pas encore de diagnostic"))
            .aide(format!("spie diagnostic nouveau {dossier}"))
            .into());
    };
    if a.historique {
        let fiche = Fiche {
            sections: tous.iter().flat_map(sections).collect(),
        };
        ctx.sortie.fiche(&tous, &fiche)?;
    } else {
        ctx.sortie.fiche(
            dernier,
            &Fiche {
                sections: sections(dernier),
            },
        )?;
    }
    Ok(Issue::Succes)
}
