//! A file with personal data, leaving an encrypted base, stays encrypted: an age file
//! under a passphrase, which the person or the recipient opens with any age tool
//! (`age -d FICHIER`), the passphrase given to them another way.

use age::secrecy::SecretString;
use anyhow::{Context, Result};

/// scrypt's work factor (N = 2^16), as for the agents' passphrases.
const TRAVAIL: u8 = 16;

/// `octets` encrypted under `phrase`.
pub fn sous_phrase(octets: &[u8], phrase: &SecretString) -> Result<Vec<u8>> {
    let mut destinataire = age::scrypt::Recipient::new(phrase.clone());
    destinataire.set_work_factor(TRAVAIL);
    age::encrypt(&destinataire, octets).context("chiffrement du fichier")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_file_opens_with_its_passphrase() {
        let phrase = SecretString::from("une phrase pour la personne".to_owned());
        let chiffre = sous_phrase(b"{\"nom\": \"Planque\"}", &phrase).unwrap();
        assert!(!chiffre.windows(7).any(|w| w == b"Planque"));
        let clair = age::decrypt(&age::scrypt::Identity::new(phrase), &chiffre).unwrap();
        assert_eq!(clair, b"{\"nom\": \"Planque\"}");
    }
}
