//! `demo`: a synthetic base to discover spie (and to measure it). Outside any session: it
//! creates the base, and its agent, before anyone can be identified in it.

use std::path::Path;

use anyhow::Result;

use crate::db;
use crate::demo::{self, Options, Resume};
use crate::domain::indicateurs::{Indicateurs, Mois};
use crate::error::erreur;

pub struct Demo {
    pub resume: Resume,
    /// Last month's indicators: the first thing the Département will ask.
    pub indicateurs: Indicateurs,
    pub mois: Mois,
}

/// Whether `chemin` may receive a demo base: no file there, or a demo base.
pub fn remplacable(chemin: &Path) -> Result<()> {
    if chemin.exists() && !db::est_une_base_de_demo(chemin) {
        return Err(erreur(format!(
            "{} existe et n'est pas une base de démonstration",
            chemin.display()
        ))
        .aide("spie demo ne remplace qu'une base créée par spie demo ; choisissez un autre fichier avec --base")
        .into());
    }
    Ok(())
}

/// Builds the demo base in `chemin`, which may only replace a demo base.
pub fn creer(chemin: &Path, options: &Options) -> Result<Demo> {
    remplacable(chemin)?;
    let mut resume = None;
    let mois = Mois::precedent(options.aujourdhui);
    let mut indicateurs = None;
    db::creer(chemin, true, |tx| {
        resume = Some(demo::generer(tx, options)?);
        indicateurs = Some(db::stats::indicateurs(tx, mois, options.aujourdhui)?);
        Ok(())
    })?;
    match (resume, indicateurs) {
        (Some(resume), Some(indicateurs)) => Ok(Demo {
            resume,
            indicateurs,
            mois,
        }),
        _ => Err(erreur("la base de démonstration n'a pas été remplie").into()),
    }
}
