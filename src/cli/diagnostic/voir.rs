//! `spie diagnostic voir N [--historique]`.

use anyhow::Result;
use clap::Args;

use super::sections;
use crate::cli::{Ctx, numero};
use crate::error::{Issue, erreur};
use crate::output::Fiche;

#[derive(Debug, Args)]
pub struct Arguments {
    /// Numéro de dossier
    #[arg(value_parser = numero)]
    dossier: i64,
    /// Tous les diagnostics du dossier, du plus ancien au plus récent
    #[arg(long)]
    historique: bool,
}

pub fn executer(ctx: &Ctx, a: Arguments) -> Result<Issue> {
    let tous = super::du_dossier(ctx, "diagnostic voir", a.dossier)?;
    let Some(dernier) = tous.last() else {
        return Err(erreur(format!("le dossier {} n'a pas encore de diagnostic", a.dossier))
            .aide(format!("spie diagnostic nouveau {}", a.dossier))
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
