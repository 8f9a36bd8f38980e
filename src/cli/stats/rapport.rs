//! `spie stats rapport --mois AAAA-MM --sortie FICHIER.html`: one self-contained page for
//! the steering committee, with the month's figures and twelve months of evolution.

use std::path::PathBuf;

use anyhow::Result;
use clap::Args;

use super::{mois_publiable, seuil};
use crate::cli::{Ctx, entre};
use crate::db;
use crate::db::stats::Groupement;
use crate::domain::indicateurs::Mois;
use crate::domain::secret::{Masque, masquer, taux_masque};
use crate::error::Issue;
use crate::export::rapport;
use crate::referentiel::communes;

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
    let par_epci = db::stats::agregats(&tx, mois, Groupement::Epci)?;
    drop(tx);

    let mut groupes: Vec<(String, _)> = par_epci
        .into_iter()
        .map(|(code, agregat)| {
            (
                communes::nom_epci(&code).unwrap_or("inconnu").to_owned(),
                agregat.indicateurs(mois, ctx.aujourdhui, false),
            )
        })
        .collect();
    groupes.sort_by(|a, b| a.0.cmp(&b.0));
    let mut valeurs: Vec<Vec<u64>> = groupes
        .iter()
        .map(|(_, i)| vec![i.file_active as u64, i.entrees as u64, i.sorties as u64])
        .collect();
    let total = historique.last().expect("twelve months");
    valeurs.push(vec![
        total.file_active as u64, total.entrees as u64, total.sorties as u64,
    ]);
    let masque = masquer(&valeurs, seuil, &[]);
    let taux = |t: Option<f64>, den: usize, den_cache: bool| match t {
        None => "—".to_string(),
        Some(t) if taux_masque((t * den as f64).round() as u64, den as u64, den_cache, seuil) => {
            Masque::Secret.publier("", seuil)
        }
        Some(t) => format!("{:.1} %", t * 100.0).replace('.', ","),
    };
    let lignes_epci: Vec<(String, Vec<String>)> = groupes
        .iter()
        .enumerate()
        .map(|(r, (nom, i))| {
            let mut cellules: Vec<String> = (0..3).map(|c| masque[r][c].publier(valeurs[r][c], seuil)).collect();
            cellules.push(taux(i.taux_diagnostic_30j, i.entrees, masque[r][1].cache()));
            cellules.push(taux(i.taux_contact_90j, i.file_active, masque[r][0].cache()));
            (nom.clone(), cellules)
        })
        .collect();
    let html = rapport::page(&historique, &lignes_epci, seuil);
    crate::output::fichier::ecrire(Some(&a.sortie), html.as_bytes(), true)?;
    ctx.dire(format!("Rapport de {} écrit dans {}.", mois.code(), a.sortie.display()));
    ctx.sortie.cree("fichier", &a.sortie.display().to_string())?;
    Ok(Issue::Succes)
}
