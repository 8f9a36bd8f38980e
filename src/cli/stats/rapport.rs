//! `spie stats rapport --mois AAAA-MM --sortie FICHIER.html`: one self-contained page for
//! the steering committee, with the month's figures and twelve months of evolution.

use std::path::PathBuf;

use anyhow::Result;
use clap::Args;

use super::{groupes_epci, mois_publiable, seuil};
use crate::cli::{Ctx, entre};
use crate::db;
use crate::domain::indicateurs::Mois;
use crate::error::Issue;
use crate::export::{pack, rapport};

#[derive(Debug, Args)]
pub struct Arguments {
    /// Mois AAAA-MM
    #[arg(long, value_name = "AAAA-MM")]
    mois: String,
    /// Fichier HTML à écrire
    #[arg(long, value_name = "FICHIER.html")]
    sortie: PathBuf,
    /// Seuil du secret statistique : les effectifs inférieurs sont masqués (5 au minimum)
    #[arg(long, default_value_t = 5, value_name = "N", value_parser = entre(0u64, 1_000))]
    seuil: u64,
}

pub fn executer(ctx: &Ctx, a: Arguments) -> Result<Issue> {
    let mois = mois_publiable(&a.mois, ctx)?;
    let seuil = seuil(a.seuil)?;
    let mut conn = ctx.ouvrir()?;
    let tx = db::lecture(&mut conn)?;
    ctx.agent(&tx)?;
    // Twelve months, the asked one last.
    let mut historique = Vec::new();
    for recul in (0..12u32).rev() {
        let m = Mois::de(mois.d0 - chrono::Months::new(recul));
        historique.push(db::stats::indicateurs(&tx, m, ctx.aujourdhui)?);
    }
    let groupes = groupes_epci(&tx, mois, ctx)?;
    drop(tx);
    let (indicateurs, _) = pack::indicateurs(&groupes, seuil);
    let html = rapport::page(&historique, &indicateurs, seuil);
    crate::output::fichier::ecrire(Some(&a.sortie), html.as_bytes(), true)?;
    ctx.dire(format!("Rapport de {} écrit dans {}.", mois.code(), a.sortie.display()));
    ctx.sortie.cree("fichier", &a.sortie.display().to_string())?;
    Ok(Issue::Succes)
}
