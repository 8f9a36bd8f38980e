//! `spie parcours clore N --motif M`: the end of a parcours.

use crate::domain::codes::souple;
use anyhow::Result;
use chrono::NaiveDate;
use clap::Args;

use std::path::PathBuf;

use crate::cli::rdv::FichiersAnnulation;
use crate::cli::{Ctx, date, numero};
use crate::domain::date::fr;
use crate::domain::parcours::MotifSortie;
use crate::domain::texte::compte;
use crate::error::Issue;
use crate::error::erreur;
use crate::ops;
use crate::output::fichier;

#[derive(Debug, Args)]
pub struct Arguments {
    /// Numéro de dossier
    #[arg(value_parser = numero)]
    dossier: i64,
    /// Motif de sortie
    #[arg(long, value_enum, value_parser = souple::<MotifSortie>())]
    motif: MotifSortie,
    /// Date de sortie [défaut : aujourd'hui]
    #[arg(long, value_parser = date)]
    date: Option<NaiveDate>,
    /// Les rendez-vous encore prévus à partir de la sortie sont annulés (motif « parcours
    /// clos ») ; pour ceux qui avaient une convocation, dossier où écrire annulation-ID.html
    /// (lettre à poster) et annulation-ID.ics [défaut : le dossier courant]
    #[arg(long, value_name = "DOSSIER")]
    sortie: Option<PathBuf>,
}

pub fn executer(ctx: &Ctx, a: Arguments) -> Result<Issue> {
    let dossier = a.sortie.unwrap_or_else(|| PathBuf::from("."));
    // Checked before the closure is recorded, as `rdv annule` does.
    if !dossier.is_dir() {
        return Err(
            erreur(format!("--sortie : le dossier {} n'existe pas", dossier.display()))
                .aide("créez-le d'abord, ou donnez un dossier qui existe ; rien n'a été enregistré")
                .into(),
        );
    }
    let clos = ops::parcours::clore(&mut ctx.session()?, a.dossier, a.motif, a.date)?;
    let annules = match clos.annules {
        0 => String::new(),
        n => format!(
            " ; {} annulé{}",
            compte(n as u64, "rendez-vous prévu", "rendez-vous prévus"),
            if n > 1 { "s" } else { "" }
        ),
    };
    ctx.dire(format!(
        "Dossier {} : parcours clos le {} ({}){annules}.",
        a.dossier,
        fr(clos.sortie),
        a.motif.mot()
    ));
    for (rdv, entete) in &clos.convoques {
        FichiersAnnulation::preparer(&dossier, rdv.id, false, fichier::AIDE)?.ecrire(ctx, rdv, entete)?;
    }
    ctx.sortie.cree("dossier", &a.dossier)?;
    Ok(Issue::Succes)
}
