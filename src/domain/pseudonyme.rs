//! The pseudonym of a person for the Département: HMAC-SHA256, under the key the
//! Département hands out, of the month, the normalised name, given name and birth date.
//! Within a month the same person gets the same pseudonym in every structure's export
//! (the Département counts them once); from one month to the next it changes, so that a
//! person's rows of several months cannot be joined to narrow them down. Nobody without
//! the key can compute it.

use chrono::NaiveDate;
use data_encoding::{BASE64, BASE64_NOPAD, BASE64URL, BASE64URL_NOPAD, HEXLOWER_PERMISSIVE};
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

use super::texte::normaliser;

/// The shortest key accepted, in bytes once decoded: shorter, it could be found by trying.
const OCTETS_MINIMUM: usize = 32;
/// A key with fewer different bytes is a pattern, not a secret (`AAAA…`, `0000…`).
const OCTETS_DIFFERENTS: usize = 12;

/// The pseudonymisation key, decoded.
pub struct Cle(Vec<u8>);

/// Never the key itself, in a log or a test failure.
impl std::fmt::Debug for Cle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Cle({} octets)", self.0.len())
    }
}

impl Cle {
    /// The key as the Département writes it: hexadecimal digits or base64 (with or
    /// without `=`, standard or URL alphabet) are decoded, so that every way of writing
    /// the same key gives the same pseudonyms; any other text is taken byte for byte.
    pub fn lire(texte: &str) -> Result<Cle, String> {
        let texte = texte.trim();
        let octets = texte.as_bytes();
        let encodages = [
            (HEXLOWER_PERMISSIVE, "de l'hexadécimal"),
            (BASE64, "du base64"),
            (BASE64_NOPAD, "du base64"),
            (BASE64URL, "du base64"),
            (BASE64URL_NOPAD, "du base64"),
        ];
        let (decodee, lue) = encodages
            .iter()
            .find_map(|(encodage, nom)| encodage.decode(octets).ok().map(|d| (d, format!("lue comme {nom}"))))
            .unwrap_or_else(|| (octets.to_vec(), "lue telle quelle".into()));
        if decodee.len() < OCTETS_MINIMUM {
            return Err(format!(
                "la clé de pseudonymisation est trop courte ({} octets, {lue} ; il en faut au moins {OCTETS_MINIMUM})",
                decodee.len()
            ));
        }
        let mut differents = decodee.clone();
        differents.sort_unstable();
        differents.dedup();
        if differents.len() < OCTETS_DIFFERENTS {
            return Err("la clé de pseudonymisation est trop simple (un motif répété se devine)".into());
        }
        Ok(Cle(decodee))
    }

    /// A short fingerprint of the key, written in each pack: two packs made under the
    /// same key have the same one, and nothing of the key can be learnt from it.
    pub fn empreinte(&self) -> String {
        let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(&self.0).expect("HMAC takes keys of any length");
        mac.update(b"spie|empreinte de la cle");
        mac.finalize().into_bytes()[..8]
            .iter()
            .map(|o| format!("{o:02x}"))
            .collect()
    }
}

/// The pseudonym of a person in month `mois` (`AAAA-MM`).
pub fn pseudonyme(cle: &Cle, mois: &str, nom: &str, prenom: &str, naissance: NaiveDate) -> String {
    let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(&cle.0).expect("HMAC takes keys of any length");
    let entree = format!("{mois}|{}|{}|{}", normaliser(nom), normaliser(prenom), naissance);
    mac.update(entree.as_bytes());
    mac.finalize().into_bytes().iter().map(|o| format!("{o:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_person_gets_the_same_pseudonym_whatever_the_spelling() {
        let n = NaiveDate::from_ymd_opt(1985, 3, 12).unwrap();
        let cle = Cle::lire(CLE).unwrap();
        let a = pseudonyme(&cle, "2026-10", "Lefèvre", "Éloïse", n);
        assert_eq!(a.len(), 64);
        assert_eq!(a, pseudonyme(&cle, "2026-10", "LEFEVRE", "eloise", n));
        let autre = Cle::lire("m9Zr4TqL2xWc8VbN1sKe7HyJ0uPd3FgA5oIt6RlCwQE=").unwrap();
        assert_ne!(a, pseudonyme(&autre, "2026-10", "Lefèvre", "Éloïse", n));
        assert_ne!(
            a,
            pseudonyme(&cle, "2026-10", "Lefèvre", "Éloïse", n.succ_opt().unwrap())
        );
        // Another month, another pseudonym: months cannot be joined.
        assert_ne!(a, pseudonyme(&cle, "2026-11", "Lefèvre", "Éloïse", n));
        // RFC 4231 test case 2, to pin the algorithm: HMAC-SHA256("Jefe", "what do ya want for nothing?").
        let mut mac = <Hmac<Sha256> as KeyInit>::new_from_slice(b"Jefe").unwrap();
        mac.update(b"what do ya want for nothing?");
        let hex: String = mac.finalize().into_bytes().iter().map(|o| format!("{o:02x}")).collect();
        assert_eq!(hex, "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    }

    /// A key as `openssl rand -base64 32` writes it.
    const CLE: &str = "q2mX3nLr0b9sVYk1cJt7ZpW8aHf4uEo6iDg5yTxNwRs=";

    #[test]
    fn a_keys_fingerprint_tells_keys_apart_and_not_the_key() {
        let cle = Cle::lire(CLE).unwrap();
        let hexa = Cle::lire(&HEXLOWER_PERMISSIVE.encode(&BASE64.decode(CLE.as_bytes()).unwrap())).unwrap();
        assert_eq!(cle.empreinte(), hexa.empreinte(), "la même clé, autrement écrite");
        assert_eq!(cle.empreinte().len(), 16);
        let autre = Cle::lire("Zk1cJt7ZpW8aHf4uEo6iDg5yTxNwRsq2mX3nLr0b9sV=").unwrap();
        assert_ne!(cle.empreinte(), autre.empreinte());
        assert!(!HEXLOWER_PERMISSIVE.encode(&cle.0).contains(&cle.empreinte()));
    }

    #[test]
    fn short_or_simple_keys_are_refused() {
        assert!(Cle::lire("cle-55").is_err());
        assert!(Cle::lire(CLE).is_ok());
        // `openssl rand -base64 31`: 44 characters, 31 bytes.
        assert!(Cle::lire("nDJm0bFbu7R5OUD8xyt7h1zWnVHkRq2ZxYa0VRzCpQ==").is_err());
        assert!(Cle::lire(&"A".repeat(43)).unwrap_err().contains("trop simple"));
        assert!(Cle::lire(&"0".repeat(64)).unwrap_err().contains("trop simple"));
        // Not encoded: taken byte for byte.
        assert!(Cle::lire("une phrase de passe, longue, de quarante-deux octets").is_ok());
        assert!(Cle::lire("une phrase courte !").is_err());
    }

    #[test]
    fn every_way_of_writing_a_key_gives_the_same_pseudonyms() {
        let n = NaiveDate::from_ymd_opt(1985, 3, 12).unwrap();
        let octets = BASE64.decode(CLE.as_bytes()).unwrap();
        let ecritures = [
            CLE.to_string(),
            CLE.trim_end_matches('=').to_string(),
            HEXLOWER_PERMISSIVE.encode(&octets),
            HEXLOWER_PERMISSIVE.encode(&octets).to_uppercase(),
            format!("  {CLE}\n"),
        ];
        let attendu = pseudonyme(&Cle::lire(CLE).unwrap(), "2026-10", "Martin", "Léa", n);
        for e in ecritures {
            assert_eq!(
                pseudonyme(&Cle::lire(&e).unwrap(), "2026-10", "Martin", "Léa", n),
                attendu,
                "{e}"
            );
        }
    }
}
