//! Secrets typed by a person: a passphrase or a recovery code, asked at the terminal
//! without echo, or read from a file only its owner may read (for scripts and tests).
//! Never from an argument or an environment variable: others could read them there.

use std::path::Path;

use age::secrecy::SecretString;
use anyhow::Result;

use super::Ctx;
use super::contexte::demander;
use crate::error::{UserError, erreur};

/// What is asked, and how the flag that gives it from a file is called.
pub struct Question<'a> {
    pub option: &'a str,
    pub invite: &'a str,
    /// Typed twice (a new passphrase).
    pub confirmer: bool,
}

/// The secret in `fichier`, or asked at the terminal.
pub fn lire(ctx: &Ctx, fichier: Option<&Path>, q: &Question<'_>) -> Result<SecretString> {
    if let Some(f) = fichier {
        return depuis_fichier(f, q.option);
    }
    if !ctx.interactif {
        return Err(UserError::usage(format!("{} est obligatoire sans terminal", q.option))
            .aide("donnez un fichier de droits 0600 qui contient la phrase, ou lancez la commande sur un terminal")
            .into());
    }
    let texte = demander(|| {
        let mut invite = dialoguer::Password::new().with_prompt(format!("{} ", q.invite));
        if q.confirmer {
            invite = invite.with_confirmation("Retapez-la ", "les deux saisies diffèrent");
        }
        invite.interact()
    })?;
    Ok(SecretString::from(texte))
}

/// The first line of `chemin`, a file that only its owner may read or write.
fn depuis_fichier(chemin: &Path, option: &str) -> Result<SecretString> {
    let meta = std::fs::metadata(chemin)
        .map_err(|_| erreur(format!("{option} : fichier introuvable : {}", chemin.display())))?;
    if !meta.is_file() {
        return Err(erreur(format!("{option} : {} n'est pas un fichier", chemin.display())).into());
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let droits = meta.permissions().mode() & 0o777;
        if droits & 0o077 != 0 {
            return Err(erreur(format!(
                "{option} : {} est lisible par d'autres comptes (droits {droits:o})",
                chemin.display()
            ))
            .aide(format!("réservez-le à votre compte : chmod 600 {}", chemin.display()))
            .into());
        }
    }
    let texte = std::fs::read_to_string(chemin).map_err(|_| {
        erreur(format!(
            "{option} : {} est illisible (texte UTF-8 attendu)",
            chemin.display()
        ))
    })?;
    let ligne = texte.lines().next().unwrap_or_default();
    if ligne.is_empty() {
        return Err(erreur(format!("{option} : {} est vide", chemin.display())).into());
    }
    Ok(SecretString::from(ligne.to_owned()))
}
