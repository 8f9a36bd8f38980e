//! `base sauvegarder`: a consistent copy of the base, even while it is used; never of a
//! damaged base, whose copy could replace the last good backup. An encrypted base is
//! copied encrypted, with its key slots, in one archive (`base restaurer` reads it back);
//! a plain copy of it is made only when asked (`--en-clair`), and audited so.
//! `base restaurer`: a base and its key slots back from such an archive.

use std::path::Path;

use anyhow::Result;
use serde::Serialize;

use crate::db;
use crate::error::erreur;
use crate::ops::{Exigence, Session};
use crate::output::fichier::FichierAtomique;

#[derive(Serialize)]
pub struct Sauvegarde {
    pub fichier: String,
    pub octets: u64,
    /// `chiffrée` (an archive of the encrypted base and its key slots) or `en clair`.
    pub forme: &'static str,
    /// An import of offers ran: the copy holds the catalogue of before it.
    pub import_ecarte: bool,
}

const AIDE_ENDOMMAGEE: &str = "gardez telles quelles vos sauvegardes précédentes (n'écrivez rien par-dessus) ; \
     `spie base verifier` détaille les dégâts ; restaurez la dernière bonne sauvegarde";

pub fn sauvegarder(session: &mut Session, fichier: &Path, en_clair: bool) -> Result<Sauvegarde> {
    if fichier.exists() {
        return Err(erreur(format!("le fichier {} existe déjà", fichier.display()))
            .aide("choisissez un nouveau nom, par exemple avec la date du jour")
            .into());
    }
    let cle = session.cle().cloned();
    let base = session.chemin().to_path_buf();
    if cle.is_some() && en_clair {
        session.preciser(" — en clair");
    }
    session.hors_transaction(Exigence::Admin, |conn, _| {
        if !db::controle::intacte(conn)? {
            return Err(erreur(
                "la base est endommagée : une sauvegarde en copierait les dégâts, elle n'est pas faite",
            )
            .aide(AIDE_ENDOMMAGEE)
            .into());
        }
        let copie = FichierAtomique::creer(fichier, false)?;
        let (forme, import_ecarte) = match cle {
            None => {
                db::controle::copier(conn, copie.chemin_temporaire())?;
                ("en clair", db::ecarter_l_import(copie.chemin_temporaire(), None)?)
            }
            Some(_) if en_clair => {
                db::chiffrement::exporter(conn, copie.chemin_temporaire(), None)?;
                ("en clair", db::ecarter_l_import(copie.chemin_temporaire(), None)?)
            }
            Some(cle) => {
                let dossier = copie.chemin_temporaire().parent().unwrap_or(Path::new("."));
                let base_copiee = tempfile::Builder::new().prefix(".spie-").tempfile_in(dossier)?;
                db::chiffrement::copier(conn, base_copiee.path(), &cle)?;
                let ecarte = db::ecarter_l_import(base_copiee.path(), Some(&cle))?;
                db::archive::ecrire(copie.fichier()?, base_copiee.path(), &db::trousseau::chemin(&base))?;
                ("chiffrée", ecarte)
            }
        };
        copie.valider()?;
        Ok(Sauvegarde {
            fichier: fichier.display().to_string(),
            octets: std::fs::metadata(fichier)?.len(),
            forme,
            import_ecarte,
        })
    })
}

#[derive(Serialize)]
pub struct Restauration {
    pub base: String,
    pub cles: String,
}

/// Writes the base and its key slots held by the archive `archive` to `base` and beside
/// it; neither may exist. Outside any session: the base is not there yet, and its key
/// slots will say who opens it.
pub fn restaurer(archive: &Path, base: &Path) -> Result<Restauration> {
    let cles = db::trousseau::chemin(base);
    for f in [base, cles.as_path()] {
        if f.exists() {
            return Err(erreur(format!("le fichier {} existe déjà", f.display()))
                .aide("restaurez vers un autre fichier (--base), ou déplacez d'abord la base abîmée")
                .into());
        }
    }
    let mut fichier_cles = FichierAtomique::creer(&cles, false)?;
    db::archive::extraire(archive, db::archive::CLES, &mut fichier_cles)?;
    let mut fichier_base = FichierAtomique::creer(base, false)?;
    db::archive::extraire(archive, db::archive::BASE, &mut fichier_base)?;
    fichier_cles.valider()?;
    if let Err(e) = fichier_base.valider() {
        let _ = std::fs::remove_file(&cles);
        return Err(e);
    }
    Ok(Restauration {
        base: base.display().to_string(),
        cles: cles.display().to_string(),
    })
}
