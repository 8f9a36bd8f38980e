//! The backup of an encrypted base: one archive holding the base and its key slots, so
//! that neither is restored without the other. The base inside stays encrypted.

use std::io::{Read, Write};
use std::path::Path;

use anyhow::{Context, Result};

use super::{Etape, Fait};

/// The names of the two members of a backup archive.
pub const BASE: &str = "base.sqlite";
pub const CLES: &str = "base.sqlite.cles";

/// Writes to `vers` an archive of the files `base` and `cles` (stored as they are).
pub fn ecrire(vers: impl Write + std::io::Seek, base: &Path, cles: &Path) -> Result<()> {
    let mut zip = zip::ZipWriter::new(vers);
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Stored)
        .large_file(true)
        .unix_permissions(0o600);
    for (nom, chemin) in [(BASE, base), (CLES, cles)] {
        zip.start_file(nom, options).context(Etape::EcritureArchive)?;
        let mut fichier = std::fs::File::open(chemin).with_context(|| Etape::Lecture(chemin.to_owned()))?;
        std::io::copy(&mut fichier, &mut zip).context(Etape::EcritureArchive)?;
    }
    zip.finish().context(Etape::EcritureArchive)?;
    Ok(())
}

/// The member `nom` of the archive at `chemin`, written to `vers`.
pub fn extraire(chemin: &Path, nom: &str, vers: &mut impl Write) -> Result<()> {
    let illisible = || Fait::PasUneSauvegarde(chemin.to_owned());
    let fichier = std::fs::File::open(chemin).with_context(|| Etape::Lecture(chemin.to_owned()))?;
    let mut archive = zip::ZipArchive::new(fichier).map_err(|_| illisible())?;
    let mut membre = archive.by_name(nom).map_err(|_| illisible())?;
    let mut tampon = [0u8; 64 * 1024];
    loop {
        let n = membre.read(&mut tampon).map_err(|_| illisible())?;
        if n == 0 {
            return Ok(());
        }
        vers.write_all(&tampon[..n])?;
    }
}
