//! `spie parcours exporter N [--sortie FICHIER]`: everything held on the person, as one
//! JSON document (right of access). From an encrypted base the file is encrypted under a
//! passphrase (an age file), unless `--en-clair` says otherwise.

use std::path::PathBuf;

use anyhow::Result;
use clap::Args;

use crate::cli::phrase::{self, Question};
use crate::cli::{Ctx, numero};
use crate::error::{Issue, UserError};
use crate::ops;

#[derive(Debug, Args)]
pub struct Arguments {
    /// Numéro de dossier
    #[arg(value_parser = numero)]
    dossier: i64,
    /// Fichier à écrire (il ne doit pas exister) [défaut : la sortie standard, base d'essai seulement
    /// ou avec --en-clair]
    #[arg(long, value_name = "FICHIER")]
    sortie: Option<PathBuf>,
    /// Base chiffrée : lit dans ce fichier (droits 0600) la phrase qui chiffre l'export [défaut : demandée]
    #[arg(long, value_name = "FICHIER", conflicts_with = "en_clair")]
    phrase_fichier: Option<PathBuf>,
    /// Base chiffrée : écrit l'export en clair (inscrit au journal)
    #[arg(long)]
    en_clair: bool,
}

pub fn executer(ctx: &Ctx, a: Arguments) -> Result<Issue> {
    let mut session = ctx.session()?;
    let chiffrer = session.chiffree() && !a.en_clair;
    let phrase = if chiffrer {
        if a.sortie.is_none() {
            return Err(UserError::usage("base chiffrée : l'export d'un dossier s'écrit dans un fichier chiffré")
                .aide("donnez --sortie FICHIER (le fichier s'ouvre avec `age -d`), ou --en-clair pour un export lisible")
                .into());
        }
        let p = phrase::lire(
            ctx,
            a.phrase_fichier.as_deref(),
            &Question {
                option: "--phrase-fichier",
                invite: "Phrase qui chiffre l'export (à transmettre à la personne par un autre moyen)",
                confirmer: true,
            },
        )?;
        // What protects the file once it has left: as strong as a passphrase of the base.
        crate::domain::connexion::phrase_solide(age::secrecy::ExposeSecret::expose_secret(&p), "")
            .map_err(crate::error::erreur)?;
        Some(p)
    } else {
        None
    };
    if session.chiffree() && a.en_clair {
        session.preciser(" — en clair");
    }
    let document = ops::parcours::exporter(&mut session, a.dossier)?;
    let texte = serde_json::to_string_pretty(&document)? + "\n";
    let octets = match &phrase {
        Some(p) => crate::export::chiffre::sous_phrase(texte.as_bytes(), p)?,
        None => texte.into_bytes(),
    };
    crate::output::fichier::ecrire(a.sortie.as_deref(), &octets, false)?;
    if let Some(chemin) = &a.sortie {
        let comment = if phrase.is_some() {
            " chiffré : il s'ouvre avec `age -d` et la phrase, à transmettre par un autre moyen"
        } else {
            ""
        };
        ctx.dire(format!(
            "Dossier {} exporté dans {}{comment} (à remettre à la personne, puis à supprimer).",
            a.dossier,
            chemin.display()
        ));
    }
    Ok(Issue::Succes)
}
