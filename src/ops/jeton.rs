//! Where a work session is kept: one file per base, readable by its OS user only, in
//! that user's runtime folder (`$XDG_RUNTIME_DIR`, else a folder that only the user may
//! enter in `/dev/shm` or the system's temporary folder), never beside the base.
//!
//! The file holds the base key, the agent and the session's times: whoever can read it is
//! that agent until the session ends. That is why it lives in a folder of the user's own.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use chrono::NaiveDateTime;
use serde::{Deserialize, Serialize};

use crate::db::chiffrement::Cle;
use crate::error::erreur;

const FORMAT: &str = "%Y-%m-%dT%H:%M:%S";

/// A work session, as stored.
#[derive(Serialize, Deserialize)]
struct Stocke {
    /// The identifier of the base's key slots it was opened on.
    base: String,
    agent: String,
    cle: String,
    ouverte: String,
    activite: String,
    inactivite: u32,
}

/// A work session: the agent, the base key it unlocked, its times.
pub struct Jeton {
    /// The identifier of the base's key slots ([`crate::db::trousseau::Trousseau::base`]).
    pub base: String,
    pub agent: String,
    pub cle: Cle,
    pub ouverte: NaiveDateTime,
    pub activite: NaiveDateTime,
    /// Minutes of idle time allowed.
    pub inactivite: u32,
}

/// The local time, to the second: a session's clock (never `SPIE_DATE`).
pub fn maintenant() -> NaiveDateTime {
    let t = chrono::Local::now().naive_local();
    NaiveDateTime::parse_from_str(&t.format(FORMAT).to_string(), FORMAT).unwrap_or(t)
}

/// The session file of the base at `base`, for the user running spie.
fn fichier(base: &Path) -> Result<PathBuf> {
    use sha2::{Digest, Sha256};
    let absolu = std::fs::canonicalize(base).unwrap_or_else(|_| base.to_path_buf());
    let empreinte = Sha256::digest(absolu.as_os_str().as_encoded_bytes());
    let nom = format!("session-{}.json", data_encoding::HEXLOWER.encode(&empreinte[..12]));
    Ok(dossier()?.join(nom))
}

/// The user's own folder for sessions, created if needed: `$XDG_RUNTIME_DIR/spie` (in
/// memory, emptied at shutdown), else `spie-UID` in `/dev/shm` (in memory too), else in the
/// system's temporary folder. A folder that another user owns or may enter is refused.
fn dossier() -> Result<PathBuf> {
    let memoire = Path::new("/dev/shm");
    let dossier = match std::env::var_os("XDG_RUNTIME_DIR").filter(|d| !d.is_empty()) {
        Some(d) => PathBuf::from(d).join("spie"),
        None if memoire.is_dir() => memoire.join(format!("spie-{}", uid()?)),
        None => std::env::temp_dir().join(format!("spie-{}", uid()?)),
    };
    if !dossier.exists() {
        let mut creation = std::fs::DirBuilder::new();
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut creation, 0o700);
        match creation.create(&dossier) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {}
            Err(e) => {
                return Err(anyhow::Error::from(e).context(format!("création du dossier {}", dossier.display())));
            }
        }
    }
    verifier_dossier(&dossier)?;
    Ok(dossier)
}

/// The OS user's id, as the system gives it to the files the user creates.
#[cfg(unix)]
fn uid() -> Result<u32> {
    use std::os::unix::fs::MetadataExt;
    static UID: std::sync::OnceLock<u32> = std::sync::OnceLock::new();
    if let Some(uid) = UID.get() {
        return Ok(*uid);
    }
    let uid = tempfile::tempfile()?.metadata()?.uid();
    Ok(*UID.get_or_init(|| uid))
}

#[cfg(not(unix))]
fn uid() -> Result<u32> {
    Ok(0)
}

#[cfg(unix)]
fn verifier_dossier(dossier: &Path) -> Result<()> {
    use std::os::unix::fs::MetadataExt;
    let m = std::fs::symlink_metadata(dossier)?;
    if !m.is_dir() || m.uid() != uid()? || m.mode() & 0o077 != 0 {
        return Err(erreur(format!(
            "le dossier des sessions {} n'est pas réservé à votre compte",
            dossier.display()
        ))
        .aide("il doit être un dossier à vous, de droits 0700 ; supprimez-le, spie le recréera")
        .into());
    }
    Ok(())
}

#[cfg(not(unix))]
fn verifier_dossier(_: &Path) -> Result<()> {
    Ok(())
}

/// A session file another account may read holds the base's key for them: it is removed,
/// and the agent connects again.
#[cfg(unix)]
fn verifier_fichier(chemin: &Path) -> Result<()> {
    use std::os::unix::fs::MetadataExt;
    let m = std::fs::symlink_metadata(chemin)?;
    let raison = if !m.is_file() {
        "n'était pas un fichier ordinaire (un lien, un dossier…)"
    } else if m.uid() != uid()? {
        "appartenait à un autre compte"
    } else if m.mode() & 0o077 != 0 {
        "était lisible par d'autres comptes"
    } else {
        return Ok(());
    };
    let _ = std::fs::remove_file(chemin);
    Err(erreur(format!(
        "le fichier de session {} {raison} : il est supprimé",
        chemin.display()
    ))
    .aide("reconnectez-vous avec `spie connexion`")
    .into())
}

#[cfg(not(unix))]
fn verifier_fichier(_: &Path) -> Result<()> {
    Ok(())
}

impl Jeton {
    /// The session stored for the base at `base`, if any (ended or not).
    pub fn lire(base: &Path) -> Result<Option<Jeton>> {
        let chemin = fichier(base)?;
        let texte = match std::fs::read_to_string(&chemin) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(anyhow::Error::from(e).context("lecture de la session")),
        };
        verifier_fichier(&chemin)?;
        // A damaged session file is no session: the agent connects again.
        let Ok(s) = serde_json::from_str::<Stocke>(&texte) else {
            return Ok(None);
        };
        let date = |t: &str| NaiveDateTime::parse_from_str(t, FORMAT).ok();
        let cle = data_encoding::HEXLOWER
            .decode(s.cle.as_bytes())
            .ok()
            .and_then(|o| Cle::depuis_octets(&o));
        Ok(match (cle, date(&s.ouverte), date(&s.activite)) {
            (Some(cle), Some(ouverte), Some(activite)) => Some(Jeton {
                base: s.base,
                agent: s.agent,
                cle,
                ouverte,
                activite,
                // Edited by hand, it keeps the longest idle time a connexion may ask.
                inactivite: s.inactivite.min(crate::domain::connexion::INACTIVITE_MAX),
            }),
            _ => None,
        })
    }

    /// Stores the session for the base at `base` (readable by the user only).
    /// That a session of the base at `base` can be kept (its folder is the user's own),
    /// before a connexion changes or audits anything.
    pub fn verifier_emplacement(base: &Path) -> Result<()> {
        fichier(base).map(|_| ())
    }

    pub fn ecrire(&self, base: &Path) -> Result<()> {
        let s = Stocke {
            base: self.base.clone(),
            agent: self.agent.clone(),
            cle: data_encoding::HEXLOWER.encode(self.cle.octets()),
            ouverte: self.ouverte.format(FORMAT).to_string(),
            activite: self.activite.format(FORMAT).to_string(),
            inactivite: self.inactivite,
        };
        let texte = serde_json::to_string(&s)?;
        let chemin = fichier(base)?;
        let mut temporaire = tempfile::Builder::new()
            .prefix(".session-")
            .tempfile_in(chemin.parent().unwrap_or(Path::new(".")))
            .context("écriture de la session")?;
        std::io::Write::write_all(&mut temporaire, texte.as_bytes())?;
        temporaire
            .persist(&chemin)
            .map_err(|e| anyhow::Error::from(e.error).context("écriture de la session"))?;
        Ok(())
    }

    /// Ends the session of the base at `base`; whether there was one.
    pub fn effacer(base: &Path) -> Result<bool> {
        match std::fs::remove_file(fichier(base)?) {
            Ok(()) => Ok(true),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
            Err(e) => Err(anyhow::Error::from(e).context("fin de la session")),
        }
    }
}
