//! `manifeste.txt`, the pack's table of contents: which structure wrote it, for which
//! month, under which pseudonymisation key (its fingerprint only), and the SHA-256 of
//! every other file of the pack; its last line is the SHA-256 of the lines before it. A
//! pack whose files were changed, cut or lost after it was written no longer matches it.

use std::io::Read;
use std::path::Path;

use sha2::{Digest, Sha256};

/// The first line, with the version of the pack's format.
const ENTETE: &str = "spie : pack mensuel 1";
/// The last line's label.
const CONTROLE: &str = "controle";

/// How final a month's figures were when the pack was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Etat {
    Definitif,
    /// Within 30 days of the month's end: the diagnostic rate can still rise.
    Provisoire,
    /// The month was not over.
    EnCours,
}

impl Etat {
    fn code(self) -> &'static str {
        match self {
            Etat::Definitif => "definitif",
            Etat::Provisoire => "provisoire",
            Etat::EnCours => "en-cours",
        }
    }

    fn lire(code: &str) -> Option<Etat> {
        [Etat::Definitif, Etat::Provisoire, Etat::EnCours]
            .into_iter()
            .find(|e| e.code() == code)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Manifeste {
    pub structure: String,
    /// `AAAA-MM`.
    pub mois: String,
    pub etat: Etat,
    /// The fingerprint of the pseudonymisation key.
    pub cle: String,
    pub seuil: u64,
    /// The head of the structure's audit trail, `POSITION:HASH`.
    pub ancre: Option<String>,
    /// Each other file of the pack, with its SHA-256 (hexadecimal).
    pub fichiers: Vec<(String, String)>,
}

fn hex(octets: &[u8]) -> String {
    data_encoding::HEXLOWER.encode(octets)
}

/// The SHA-256 of a file, read in pieces.
pub fn empreinte(chemin: &Path) -> std::io::Result<String> {
    let mut fichier = std::fs::File::open(chemin)?;
    let mut hache = Sha256::new();
    let mut tampon = vec![0u8; 1 << 16];
    loop {
        let n = fichier.read(&mut tampon)?;
        if n == 0 {
            return Ok(hex(&hache.finalize()));
        }
        hache.update(&tampon[..n]);
    }
}

impl Manifeste {
    pub fn ecrire(&self) -> String {
        let mut texte = format!(
            "{ENTETE}\nstructure : {}\nmois : {}\netat : {}\ncle : {}\nseuil : {}\n",
            self.structure.replace('\n', " "),
            self.mois,
            self.etat.code(),
            self.cle,
            self.seuil
        );
        if let Some(a) = &self.ancre {
            texte.push_str(&format!("ancre : {a}\n"));
        }
        for (nom, somme) in &self.fichiers {
            texte.push_str(&format!("fichier : {somme} {nom}\n"));
        }
        let controle = hex(&Sha256::digest(texte.as_bytes()));
        texte + &format!("{CONTROLE} : {controle}\n")
    }

    /// The manifest as written by [`Manifeste::ecrire`]; an error says what is wrong, in
    /// French, without the file's name (the caller names the pack).
    pub fn lire(texte: &str) -> Result<Manifeste, String> {
        let illisible = |quoi: &str| format!("manifeste.txt illisible ({quoi})");
        let corps_fin = texte
            .strip_suffix('\n')
            .ok_or_else(|| illisible("coupé"))?
            .rfind('\n')
            .map(|i| i + 1)
            .ok_or_else(|| illisible("vide"))?;
        let (corps, fin) = texte.split_at(corps_fin);
        let controle = fin
            .strip_suffix('\n')
            .and_then(|f| f.strip_prefix(&format!("{CONTROLE} : ")))
            .ok_or_else(|| illisible("sans ligne de contrôle"))?;
        if hex(&Sha256::digest(corps.as_bytes())) != controle {
            return Err(
                "manifeste.txt a été modifié depuis l'écriture du pack (sa ligne de contrôle ne correspond plus)"
                    .into(),
            );
        }
        let mut lignes = corps.lines();
        if lignes.next() != Some(ENTETE) {
            return Err(illisible("ce n'est pas un pack de spie, ou d'une version plus récente"));
        }
        let mut m = Manifeste {
            structure: String::new(),
            mois: String::new(),
            etat: Etat::Definitif,
            cle: String::new(),
            seuil: 0,
            ancre: None,
            fichiers: Vec::new(),
        };
        for ligne in lignes {
            let (cle, valeur) = ligne.split_once(" : ").ok_or_else(|| illisible(ligne))?;
            match cle {
                "structure" => m.structure = valeur.to_owned(),
                "mois" => m.mois = valeur.to_owned(),
                "etat" => m.etat = Etat::lire(valeur).ok_or_else(|| illisible(ligne))?,
                "cle" => m.cle = valeur.to_owned(),
                "seuil" => m.seuil = valeur.parse().map_err(|_| illisible(ligne))?,
                "ancre" => m.ancre = Some(valeur.to_owned()),
                "fichier" => {
                    let (somme, nom) = valeur.split_once(' ').ok_or_else(|| illisible(ligne))?;
                    m.fichiers.push((nom.to_owned(), somme.to_owned()));
                }
                _ => return Err(illisible(ligne)),
            }
        }
        if m.mois.is_empty() || m.cle.is_empty() {
            return Err(illisible("mois ou clé manquant"));
        }
        Ok(m)
    }

    /// The SHA-256 the manifest gives for `nom`.
    pub fn somme(&self, nom: &str) -> Option<&str> {
        self.fichiers.iter().find(|(n, _)| n == nom).map(|(_, s)| s.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn exemple() -> Manifeste {
        Manifeste {
            structure: "CCAS de Verdun".into(),
            mois: "2026-10".into(),
            etat: Etat::Provisoire,
            cle: "0123456789abcdef".into(),
            seuil: 5,
            ancre: Some(format!("12:{}", "a".repeat(64))),
            fichiers: vec![("indicateurs.csv".into(), "b".repeat(64))],
        }
    }

    #[test]
    fn a_manifest_reads_back_and_any_changed_byte_is_seen() {
        let texte = exemple().ecrire();
        assert_eq!(Manifeste::lire(&texte).unwrap(), exemple());
        for i in 0..texte.len() {
            let mut octets = texte.clone().into_bytes();
            octets[i] ^= 0x01;
            let Ok(modifie) = String::from_utf8(octets) else {
                continue;
            };
            assert!(Manifeste::lire(&modifie).is_err(), "octet {i} changé, accepté");
        }
        assert!(Manifeste::lire("").is_err());
    }
}
