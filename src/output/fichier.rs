//! Files written for people: complete or absent. The bytes go to a temporary file beside
//! the target, synced, then renamed; an existing file is never overwritten by accident.

use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result};

use crate::error::erreur;

/// Writes `octets` to `chemin`, or to stdout when `chemin` is `None`. Refuses an
/// existing file unless `remplacer`.
pub fn ecrire(chemin: Option<&Path>, octets: &[u8], remplacer: bool) -> Result<()> {
    ecrire_sinon(chemin, octets, remplacer, AIDE)
}

/// [`ecrire`], where `aide` says what to do when the file exists (the command's options).
pub fn ecrire_sinon(chemin: Option<&Path>, octets: &[u8], remplacer: bool, aide: &str) -> Result<()> {
    let Some(chemin) = chemin else {
        return super::donnees(octets);
    };
    let mut fichier = FichierAtomique::creer_sinon(chemin, remplacer, aide)?;
    fichier.write_all(octets)?;
    fichier.valider()
}

/// What to do about an existing file, for a command with no option to replace it.
pub const AIDE: &str = "choisissez un autre nom : spie ne remplace pas un fichier existant";

/// For a command that writes its files in a folder and may replace them.
pub const AIDE_REMPLACER: &str =
    "ajoutez --remplacer pour l'écrire à nouveau, ou --sortie DOSSIER pour l'écrire ailleurs";

/// A file written as it goes, which appears at its path only once complete
/// ([`FichierAtomique::valider`]); dropped before, it leaves nothing.
pub struct FichierAtomique {
    chemin: std::path::PathBuf,
    remplacer: bool,
    temporaire: tempfile::NamedTempFile,
}

impl FichierAtomique {
    /// Checks at once what can be checked (an existing file, a writable folder), so that a
    /// long command does not fail at its end.
    pub fn creer(chemin: &Path, remplacer: bool) -> Result<FichierAtomique> {
        FichierAtomique::creer_sinon(chemin, remplacer, AIDE)
    }

    /// [`FichierAtomique::creer`], where `aide` says what to do when the file exists.
    pub fn creer_sinon(chemin: &Path, remplacer: bool, aide: &str) -> Result<FichierAtomique> {
        if chemin.is_dir() {
            return Err(
                erreur(format!("{} est un dossier : un fichier est attendu", chemin.display()))
                    .aide(format!(
                        "donnez le chemin du fichier à écrire, par exemple dans ce dossier : {}",
                        chemin.join("NOM").display()
                    ))
                    .into(),
            );
        }
        if !remplacer && chemin.exists() {
            return Err(erreur(format!("le fichier {} existe déjà", chemin.display()))
                .aide(aide)
                .into());
        }
        let dossier = chemin
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let temporaire = tempfile::Builder::new()
            .prefix(".spie-")
            .tempfile_in(dossier)
            .with_context(|| format!("écriture dans {}", dossier.display()))?;
        Ok(FichierAtomique {
            chemin: chemin.to_owned(),
            remplacer,
            temporaire,
        })
    }

    /// Syncs the file and gives it its name.
    pub fn valider(mut self) -> Result<()> {
        self.temporaire.flush()?;
        self.temporaire.as_file().sync_all()?;
        let chemin = self.chemin;
        let fait = if self.remplacer {
            self.temporaire.persist(&chemin).map(|_| ())
        } else {
            self.temporaire.persist_noclobber(&chemin).map(|_| ())
        };
        fait.map_err(|e| e.error)
            .with_context(|| format!("écriture de {}", chemin.display()))?;
        super::travail_enregistre();
        Ok(())
    }

    /// The temporary file itself, for a writer that seeks (an archive).
    pub fn fichier(&self) -> Result<std::fs::File> {
        Ok(self.temporaire.as_file().try_clone()?)
    }

    /// The path of the temporary file, for a writer that needs a path (SQLite's backup).
    pub fn chemin_temporaire(&self) -> &Path {
        self.temporaire.path()
    }
}

impl Write for FichierAtomique {
    fn write(&mut self, octets: &[u8]) -> std::io::Result<usize> {
        self.temporaire.write(octets)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.temporaire.flush()
    }
}
