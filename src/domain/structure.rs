//! Structures: identifiers that can be checked without I/O.

use serde::Serialize;

/// A SIRET is 14 digits whose Luhn checksum is valid (spaces are ignored).
pub fn siret(valeur: &str) -> Result<String, String> {
    let chiffres: String = valeur.chars().filter(|c| !c.is_whitespace()).collect();
    if chiffres.len() != 14 || !chiffres.bytes().all(|b| b.is_ascii_digit()) {
        return Err("SIRET illisible : attendu 14 chiffres".into());
    }
    let somme: u32 = chiffres
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b - b'0');
            if !i.is_multiple_of(2) {
                let double = d * 2;
                if double > 9 { double - 9 } else { double }
            } else {
                d
            }
        })
        .sum();
    if !somme.is_multiple_of(10) {
        return Err("SIRET invalide : la clé de contrôle ne correspond pas (faute de frappe ?)".into());
    }
    Ok(chiffres)
}

/// A registered structure and how many agents it has.
#[derive(Debug, Clone, Serialize)]
pub struct Structure {
    pub id: i64,
    pub nom: String,
    pub siret: Option<String>,
    pub typologie: Option<String>,
    /// INSEE code.
    pub commune: Option<String>,
    pub agents: i64,
    /// The postal address, printed on the convocations.
    pub adresse: Option<String>,
    /// The telephone number, printed on the convocations.
    pub telephone: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn luhn_checksum_is_verified() {
        // Any 14 digits with a valid Luhn checksum.
        assert_eq!(siret("732 829 320 00074").as_deref(), Ok("73282932000074"));
        assert!(siret("73282932000075").unwrap_err().contains("clé"));
        assert!(siret("1234").unwrap_err().contains("14 chiffres"));
    }
}
