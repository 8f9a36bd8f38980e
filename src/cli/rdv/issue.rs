//! `spie rdv honore|absent|excuse|annule ID`: the outcome of an appointment.

use anyhow::Result;
use clap::Args;

use crate::cli::{Ctx, numero};
use crate::domain::rdv::{StatutRdv, moment_fr};
use crate::error::Issue;
use crate::ops;

#[derive(Debug, Args)]
pub struct Arguments {
    /// Numéro du rendez-vous
    #[arg(value_parser = numero)]
    id: i64,
    /// Pourquoi (court, sans donnée de santé)
    #[arg(long)]
    motif: Option<String>,
}

pub fn executer(ctx: &Ctx, a: Arguments, statut: StatutRdv) -> Result<Issue> {
    let i = ops::rdv::Issue {
        id: a.id,
        statut,
        motif: a.motif,
    };
    let notee = ops::rdv::noter_issue(&mut ctx.session()?, i)?;
    if notee.deuxieme_absence {
        ctx.avertir(format!(
            "dossier {} : deuxième absence de suite ; le référent le verra dans `spie parcours a-faire`",
            notee.rdv.dossier
        ));
    }
    ctx.dire(format!(
        "Rendez-vous {} du {} (dossier {}) : {}.",
        a.id,
        moment_fr(notee.rdv.debut),
        notee.rdv.dossier,
        statut.libelle().to_lowercase()
    ));
    ctx.sortie.cree("id", &a.id)?;
    Ok(Issue::Succes)
}
