//! `spie stats rapport --mois AAAA-MM --sortie FICHIER.html`: one self-contained page for
//! the steering committee, with the month's figures and twelve months of evolution.

use std::path::PathBuf;

use anyhow::Result;
use clap::Args;

use super::{mois_publiable, publications, seuil};
use crate::cli::{Ctx, entre};
use crate::db;
use crate::domain::indicateurs::{Indicateurs, Mois};
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
    let suite = publications(&tx, Mois::de(mois.d0 - chrono::Months::new(11)), mois, seuil, ctx)?;
    drop(tx);
    let totaux: Vec<_> = suite
        .iter()
        .map(|p| {
            (
                p.groupes.last().map(|g| g.indicateurs.clone()).unwrap_or_default(),
                &p.table,
            )
        })
        .collect();
    let historique: Vec<(&Indicateurs, &pack::Table)> = totaux[totaux.len().saturating_sub(12)..]
        .iter()
        .map(|(i, t)| (i, *t))
        .collect();
    let html = rapport::page(&historique, seuil);
    crate::output::fichier::ecrire(Some(&a.sortie), html.as_bytes(), true)?;
    ctx.dire(format!("Rapport de {} écrit dans {}.", mois.code(), a.sortie.display()));
    ctx.sortie.cree("fichier", &a.sortie.display().to_string())?;
    Ok(Issue::Succes)
}
