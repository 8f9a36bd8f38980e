//! The key slots of an encrypted base, in one companion file beside it (`BASE.cles`).
//!
//! Each agent has an age (X25519) identity: its private part encrypted under the agent's
//! passphrase (age's scrypt recipient), its public part in the clear. The base key is
//! wrapped to every public key, so that an administrator can give it to a new agent, or
//! a new key to every remaining agent, without anyone's passphrase. The recovery slot is
//! one more identity, encrypted under the recovery code instead of a passphrase.
//!
//! A slot may hold several wrapped keys for the time of a key change: whichever opens
//! the base is the base's.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use age::secrecy::{ExposeSecret, SecretString};
use anyhow::{Context, Result};
use data_encoding::BASE64;
use serde::{Deserialize, Serialize};

use super::chiffrement::Cle;
use super::{Etape, Fait};

/// scrypt's work factor for passphrases (N = 2^16: 64 MiB, a fraction of a second).
const TRAVAIL: u8 = 16;
/// The most a slot may ask of scrypt: a tampered file cannot make spie work for minutes.
const TRAVAIL_MAX: u8 = 18;

#[derive(Serialize, Deserialize)]
pub struct Trousseau {
    pub version: u32,
    /// A random identifier of the base, binding a work session to it.
    pub base: String,
    /// One slot per agent, by identifier.
    pub agents: BTreeMap<String, Emplacement>,
    /// The slot the recovery code opens.
    pub secours: Emplacement,
}

#[derive(Clone, Serialize, Deserialize)]
pub struct Emplacement {
    /// The age public key (`age1…`).
    pub publique: String,
    /// The age identity, encrypted under the passphrase (base64).
    pub identite: String,
    /// The base key, wrapped to the public key (base64), one or two during a key change.
    pub cles: Vec<String>,
    /// The passphrase is a one-time one, given by an administrator: the first connexion
    /// replaces it.
    #[serde(default)]
    pub provisoire: bool,
}

/// The companion file of the base at `base`.
pub fn chemin(base: &Path) -> PathBuf {
    let mut nom = base.as_os_str().to_owned();
    nom.push(".cles");
    PathBuf::from(nom)
}

impl Trousseau {
    pub fn nouveau(secours: Emplacement) -> Result<Trousseau> {
        let mut id = [0u8; 16];
        getrandom::fill(&mut id).map_err(|_| Fait::Hasard)?;
        Ok(Trousseau {
            version: 1,
            base: data_encoding::HEXLOWER.encode(&id),
            agents: BTreeMap::new(),
            secours,
        })
    }

    /// Reads the companion file of `base`, which only its owner may read: like an ssh
    /// key, it holds identities that others could attack with passphrases at leisure.
    pub fn lire(base: &Path) -> Result<Trousseau> {
        let fichier = chemin(base);
        let absent = |e: std::io::Error| Fait::ClesAbsentes {
            fichier: fichier.clone(),
            introuvable: e.kind() == std::io::ErrorKind::NotFound,
        };
        let droits = std::fs::metadata(&fichier).map_err(absent)?.permissions();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            if droits.mode() & 0o077 != 0 {
                return Err(Fait::ClesExposees {
                    fichier,
                    droits: droits.mode() & 0o777,
                }
                .into());
            }
        }
        let texte = std::fs::read_to_string(&fichier).map_err(absent)?;
        serde_json::from_str(&texte).map_err(|_| Fait::ClesAbimees(Some(fichier)).into())
    }

    /// Writes the companion file of `base` at once (temporary file, then rename), readable
    /// by its owner only; `nouveau`: refuses an existing file.
    pub fn ecrire(&self, base: &Path, nouveau: bool) -> Result<()> {
        let texte = serde_json::to_string_pretty(self)? + "\n";
        crate::output::fichier::ecrire(Some(&chemin(base)), texte.as_bytes(), !nouveau)
    }

    /// Wraps `cle` to every slot, agents and recovery alike (a key change, or a slot's
    /// first key).
    pub fn envelopper_partout(&mut self, cle: &Cle) -> Result<()> {
        for e in self.agents.values_mut().chain(std::iter::once(&mut self.secours)) {
            e.envelopper(cle)?;
        }
        Ok(())
    }

    /// Keeps in every slot only the wrapped key that opens the base now.
    pub fn garder_seulement(&mut self, cle: &Cle) -> Result<()> {
        for e in self.agents.values_mut().chain(std::iter::once(&mut self.secours)) {
            e.cles = vec![envelopper(&e.publique, cle)?];
        }
        Ok(())
    }
}

impl Emplacement {
    /// A new slot opened by `phrase`, holding `cle`.
    pub fn nouveau(phrase: &SecretString, cle: &Cle, provisoire: bool) -> Result<Emplacement> {
        let identite = age::x25519::Identity::generate();
        let publique = identite.to_public().to_string();
        Ok(Emplacement {
            identite: proteger(&identite, phrase)?,
            cles: vec![envelopper(&publique, cle)?],
            publique,
            provisoire,
        })
    }

    /// The identity the passphrase opens; `None` for a wrong passphrase.
    pub fn ouvrir(&self, phrase: &SecretString) -> Result<Option<age::x25519::Identity>> {
        let chiffree = BASE64.decode(self.identite.as_bytes()).map_err(|_| abime())?;
        let mut par_phrase = age::scrypt::Identity::new(phrase.clone());
        par_phrase.set_max_work_factor(TRAVAIL_MAX);
        let texte = match age::decrypt(&par_phrase, &chiffree) {
            Ok(t) => t,
            Err(age::DecryptError::DecryptionFailed | age::DecryptError::NoMatchingKeys) => return Ok(None),
            Err(_) => return Err(abime()),
        };
        let texte = String::from_utf8(texte).map_err(|_| abime())?;
        let identite = texte.trim().parse::<age::x25519::Identity>().map_err(|_| abime())?;
        Ok(Some(identite))
    }

    /// The base keys this slot holds, opened by its identity.
    pub fn cles(&self, identite: &age::x25519::Identity) -> Result<Vec<Cle>> {
        self.cles
            .iter()
            .map(|c| {
                let enveloppe = BASE64.decode(c.as_bytes()).map_err(|_| abime())?;
                let octets = age::decrypt(identite, &enveloppe).map_err(|_| abime())?;
                Cle::depuis_octets(&octets).ok_or_else(abime)
            })
            .collect()
    }

    /// Adds `cle`, wrapped to the slot's public key.
    pub fn envelopper(&mut self, cle: &Cle) -> Result<()> {
        self.cles.push(envelopper(&self.publique, cle)?);
        Ok(())
    }

    /// Protects the identity under a new passphrase, no longer a one-time one.
    pub fn changer_de_phrase(&mut self, identite: &age::x25519::Identity, phrase: &SecretString) -> Result<()> {
        self.identite = proteger(identite, phrase)?;
        self.provisoire = false;
        Ok(())
    }
}

fn proteger(identite: &age::x25519::Identity, phrase: &SecretString) -> Result<String> {
    let mut par_phrase = age::scrypt::Recipient::new(phrase.clone());
    par_phrase.set_work_factor(TRAVAIL);
    let texte = identite.to_string();
    let chiffree = age::encrypt(&par_phrase, texte.expose_secret().as_bytes()).context(Etape::ChiffrementCle)?;
    Ok(BASE64.encode(&chiffree))
}

fn envelopper(publique: &str, cle: &Cle) -> Result<String> {
    let destinataire: age::x25519::Recipient = publique.parse().map_err(|_| abime())?;
    let enveloppe = age::encrypt(&destinataire, cle.octets()).context(Etape::ChiffrementCle)?;
    Ok(BASE64.encode(&enveloppe))
}

fn abime() -> anyhow::Error {
    Fait::ClesAbimees(None).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn phrase(p: &str) -> SecretString {
        SecretString::from(p.to_owned())
    }

    #[test]
    fn a_slot_opens_with_its_passphrase_only_and_holds_the_key() {
        let cle = Cle::generer().unwrap();
        let mut e = Emplacement::nouveau(&phrase("une phrase assez longue"), &cle, true).unwrap();
        assert!(e.provisoire);
        assert!(e.ouvrir(&phrase("une autre phrase")).unwrap().is_none());
        let identite = e.ouvrir(&phrase("une phrase assez longue")).unwrap().unwrap();
        assert_eq!(e.cles(&identite).unwrap()[0].octets(), cle.octets());

        e.changer_de_phrase(&identite, &phrase("la nouvelle phrase secrète"))
            .unwrap();
        assert!(!e.provisoire);
        assert!(e.ouvrir(&phrase("une phrase assez longue")).unwrap().is_none());
        let identite = e.ouvrir(&phrase("la nouvelle phrase secrète")).unwrap().unwrap();

        // A key change: both keys for a while, then the new one only.
        let mut t = Trousseau::nouveau(e.clone()).unwrap();
        t.agents.insert("admin".into(), e);
        let nouvelle = Cle::generer().unwrap();
        t.envelopper_partout(&nouvelle).unwrap();
        assert_eq!(t.agents["admin"].cles(&identite).unwrap().len(), 2);
        t.garder_seulement(&nouvelle).unwrap();
        let cles = t.agents["admin"].cles(&identite).unwrap();
        assert_eq!((cles.len(), cles[0].octets()), (1, nouvelle.octets()));
    }
}
