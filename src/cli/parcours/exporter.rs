//! `spie parcours exporter N [--sortie FICHIER]`: everything held on the person, as one
//! JSON document (right of access).

use std::io::Write;
use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::Args;

use crate::cli::{Ctx, nombre};
use crate::db;
use crate::error::{Issue, erreur};

#[derive(Debug, Args)]
pub struct Arguments {
    /// Numéro de dossier
    #[arg(value_parser = nombre::<i64>)]
    dossier: i64,
    /// Fichier à écrire (il ne doit pas exister) [défaut : la sortie standard]
    #[arg(long, value_name = "FICHIER")]
    sortie: Option<PathBuf>,
}

pub fn executer(ctx: &Ctx, a: Arguments) -> Result<Issue> {
    let mut conn = ctx.ouvrir()?;
    let tx = db::lecture(&mut conn)?;
    ctx.agent(&tx)?;
    db::personne::personne(&tx, a.dossier)?;
    let document = db::droits::exporter(&tx, a.dossier, ctx.aujourdhui)?;
    drop(tx);
    let texte = serde_json::to_string_pretty(&document)? + "\n";
    match &a.sortie {
        None => {
            let mut out = std::io::stdout().lock();
            out.write_all(texte.as_bytes())?;
            out.flush()?;
        }
        Some(chemin) => {
            if chemin.exists() {
                return Err(erreur(format!("le fichier {} existe déjà", chemin.display())).into());
            }
            let dossier = chemin
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or(std::path::Path::new("."));
            let mut temporaire = tempfile::Builder::new()
                .prefix(".spie-export-")
                .tempfile_in(dossier)
                .with_context(|| format!("écriture dans {}", dossier.display()))?;
            temporaire.write_all(texte.as_bytes())?;
            temporaire.as_file().sync_all()?;
            temporaire
                .persist_noclobber(chemin)
                .map_err(|e| e.error)
                .with_context(|| format!("écriture de {}", chemin.display()))?;
            ctx.dire(format!(
                "Dossier {} exporté dans {} (à remettre à la personne, puis à supprimer).",
                a.dossier,
                chemin.display()
            ));
        }
    }
    Ok(Issue::Succes)
}
