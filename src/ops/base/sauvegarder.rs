//! `base sauvegarder`: a consistent copy of the base, even while it is used; never of a
//! damaged base, whose copy could replace the last good backup.

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
}

const AIDE_ENDOMMAGEE: &str = "gardez telles quelles vos sauvegardes précédentes (n'écrivez rien par-dessus) ; \
     `spie base verifier` détaille les dégâts ; restaurez la dernière bonne sauvegarde";

pub fn sauvegarder(session: &mut Session, fichier: &Path) -> Result<Sauvegarde> {
    if fichier.exists() {
        return Err(erreur(format!("le fichier {} existe déjà", fichier.display()))
            .aide("choisissez un nouveau nom, par exemple avec la date du jour")
            .into());
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
        db::controle::copier(conn, copie.chemin_temporaire())?;
        copie.valider()?;
        Ok(Sauvegarde {
            fichier: fichier.display().to_string(),
            octets: std::fs::metadata(fichier)?.len(),
        })
    })
}
