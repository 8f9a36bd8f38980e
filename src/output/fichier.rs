//! Files written for people: complete or absent. The bytes go to a temporary file beside
//! the target, synced, then renamed; an existing file is never overwritten by accident.

use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result};

use crate::error::erreur;

/// Writes `octets` to `chemin`, or to stdout when `chemin` is `None`. Refuses an
/// existing file unless `remplacer`.
pub fn ecrire(chemin: Option<&Path>, octets: &[u8], remplacer: bool) -> Result<()> {
    let Some(chemin) = chemin else {
        let mut out = std::io::stdout().lock();
        out.write_all(octets)?;
        out.flush()?;
        return Ok(());
    };
    if !remplacer && chemin.exists() {
        return Err(erreur(format!("le fichier {} existe déjà", chemin.display()))
            .aide("choisissez un autre nom : spie ne remplace pas un fichier existant")
            .into());
    }
    let dossier = chemin
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut temporaire = tempfile::Builder::new()
        .prefix(".spie-")
        .tempfile_in(dossier)
        .with_context(|| format!("écriture dans {}", dossier.display()))?;
    temporaire.write_all(octets)?;
    temporaire.as_file().sync_all()?;
    let fait = if remplacer {
        temporaire.persist(chemin).map(|_| ())
    } else {
        temporaire.persist_noclobber(chemin).map(|_| ())
    };
    fait.map_err(|e| e.error)
        .with_context(|| format!("écriture de {}", chemin.display()))
}
