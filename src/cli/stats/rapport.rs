//! `spie stats rapport --mois AAAA-MM --sortie FICHIER.html`: one self-contained page for
//! the steering committee, with the month's figures and twelve months of evolution.

use std::collections::BTreeMap;
use std::path::PathBuf;

use anyhow::Result;
use clap::Args;

use crate::cli::{Ctx, entre};
use crate::db;
use crate::domain::indicateurs::{Comptes, LigneParcours, Mois, calculer};
use crate::domain::secret::{masquer, taux_masque};
use crate::error::{Issue, UserError};
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
    /// Les effectifs par EPCI inférieurs à ce seuil sont masqués
    #[arg(long, default_value_t = 5, value_name = "N", value_parser = entre(0u64, 1_000))]
    seuil: u64,
}

pub fn executer(ctx: &Ctx, a: Arguments) -> Result<Issue> {
    let mois = Mois::lire(&a.mois).map_err(UserError::usage)?;
    let mut conn = ctx.ouvrir()?;
    let tx = db::lecture(&mut conn)?;
    ctx.agent(&tx)?;
    // Twelve months, the asked one last.
    let mut historique = Vec::new();
    for recul in (0..12u32).rev() {
        let m = Mois::de(mois.d0 - chrono::Months::new(recul));
        historique.push(db::stats::indicateurs(&tx, m, ctx.aujourdhui)?);
    }
    let lignes = db::stats::lignes(&tx, mois)?;
    drop(tx);

    let mut par_epci: BTreeMap<String, Vec<LigneParcours>> = BTreeMap::new();
    for l in &lignes {
        let nom = communes::par_code(&l.commune).map_or("inconnu".to_string(), |c| c.nom_epci.to_owned());
        par_epci.entry(nom).or_default().push(l.ligne.clone());
    }
    let groupes: Vec<(String, _)> = par_epci
        .into_iter()
        .map(|(nom, ls)| (nom, calculer(mois, ctx.aujourdhui, &ls, Comptes::default())))
        .collect();
    let mut valeurs: Vec<Vec<u64>> = groupes
        .iter()
        .map(|(_, i)| vec![i.file_active as u64, i.entrees as u64, i.sorties as u64])
        .collect();
    let total = historique.last().expect("twelve months");
    valeurs.push(vec![
        total.file_active as u64, total.entrees as u64, total.sorties as u64,
    ]);
    let masque = masquer(&valeurs, a.seuil, &[]);
    let cache = format!("<{}", a.seuil);
    let taux = |t: Option<f64>, den: u64, den_cache: bool| match t {
        None => "—".to_string(),
        Some(t) if taux_masque(t, den, den_cache, a.seuil) => cache.clone(),
        Some(t) => format!("{:.1} %", t * 100.0).replace('.', ","),
    };
    let lignes_epci: Vec<(String, Vec<String>)> = groupes
        .iter()
        .enumerate()
        .map(|(r, (nom, i))| {
            let mut cellules: Vec<String> = (0..3)
                .map(|c| {
                    if masque[r][c] {
                        cache.clone()
                    } else {
                        valeurs[r][c].to_string()
                    }
                })
                .collect();
            cellules.push(taux(i.taux_diagnostic_30j, i.entrees as u64, masque[r][1]));
            cellules.push(taux(i.taux_contact_90j, i.file_active as u64, masque[r][0]));
            (nom.clone(), cellules)
        })
        .collect();
    let html = rapport::page(&historique, &lignes_epci, a.seuil);
    crate::output::fichier::ecrire(Some(&a.sortie), html.as_bytes(), true)?;
    ctx.dire(format!("Rapport de {} écrit dans {}.", mois.code(), a.sortie.display()));
    ctx.sortie.cree("fichier", &a.sortie.display().to_string())?;
    Ok(Issue::Succes)
}
