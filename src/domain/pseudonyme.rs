//! The pseudonym of a person for the Département: HMAC-SHA256 of the normalised name,
//! given name and birth date under the key the Département hands out. The same person
//! gets the same pseudonym in every structure's export, and nobody without the key can
//! compute it back.

use chrono::NaiveDate;
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

use super::texte::normaliser;

/// The shortest key accepted: 32 bytes, or 43 characters when written in base64 (or
/// hexadecimal), which carry 6 bits (or 4) each. A short key could be found by trying.
pub fn verifier_cle(cle: &str) -> Result<(), String> {
    let cle = cle.trim();
    let base64 = cle
        .bytes()
        .all(|o| o.is_ascii_alphanumeric() || matches!(o, b'+' | b'/' | b'=' | b'-' | b'_'));
    let (minimum, forme) = if base64 { (43, "caractères") } else { (32, "octets") };
    if cle.len() < minimum {
        return Err(format!(
            "la clé de pseudonymisation est trop courte ({} {forme}, il en faut au moins {minimum})",
            cle.len()
        ));
    }
    Ok(())
}

pub fn pseudonyme(cle: &[u8], nom: &str, prenom: &str, naissance: NaiveDate) -> String {
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(cle).expect("HMAC takes keys of any length");
    let entree = format!("{}|{}|{}", normaliser(nom), normaliser(prenom), naissance);
    mac.update(entree.as_bytes());
    mac.finalize().into_bytes().iter().map(|o| format!("{o:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_person_gets_the_same_pseudonym_whatever_the_spelling() {
        let n = NaiveDate::from_ymd_opt(1985, 3, 12).unwrap();
        let a = pseudonyme(b"cle-55", "Lefèvre", "Éloïse", n);
        assert_eq!(a.len(), 64);
        assert_eq!(a, pseudonyme(b"cle-55", "LEFEVRE", "eloise", n));
        assert_ne!(a, pseudonyme(b"autre-cle", "Lefèvre", "Éloïse", n));
        assert_ne!(a, pseudonyme(b"cle-55", "Lefèvre", "Éloïse", n.succ_opt().unwrap()));
        // RFC 4231 test case 2, to pin the algorithm: HMAC-SHA256("Jefe", "what do ya want for nothing?").
        let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(b"Jefe").unwrap();
        mac.update(b"what do ya want for nothing?");
        let hex: String = mac.finalize().into_bytes().iter().map(|o| format!("{o:02x}")).collect();
        assert_eq!(hex, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    }

    #[test]
    fn short_keys_are_refused() {
        assert!(verifier_cle("cle-55").is_err());
        // `openssl rand -base64 32`: 44 characters.
        assert!(verifier_cle("q2mX3nLr0b9sVYk1cJt7ZpW8aHf4uEo6iDg5yTxNwRs=").is_ok());
        assert!(verifier_cle(&"a".repeat(42)).is_err());
        assert!(verifier_cle(&"0123456789abcdef".repeat(4)).is_ok());
        // Not base64: counted in bytes.
        assert!(verifier_cle("une phrase de passe de trente-deux octets").is_ok());
        assert!(verifier_cle("une phrase courte !").is_err());
    }
}
