//! The pseudonym of a person for the Département: HMAC-SHA256 of the normalised name,
//! given name and birth date under the key the Département hands out. The same person
//! gets the same pseudonym in every structure's export, and nobody without the key can
//! compute it back.

use chrono::NaiveDate;
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

use super::texte::normaliser;

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
}
