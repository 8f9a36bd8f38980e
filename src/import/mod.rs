//! Reading partners' CSV files as they come out of Excel: encoding and separator
//! detected, columns recognised by name or mapped by a profile, one row at a time
//! (memory stays flat whatever the file's size).

mod colonnes;
mod decodage;
pub mod profil;

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;

use anyhow::Result;
use encoding_rs::Encoding;

pub use colonnes::Correspondance;
pub use decodage::encodage;
use profil::ProfilVerifie;

use crate::domain::offre::Brut;
use crate::error::erreur;

/// How to read a file; what is `None` is detected.
#[derive(Default)]
pub struct Options {
    pub encodage: Option<&'static Encoding>,
    pub separateur: Option<u8>,
    pub profil: Option<ProfilVerifie>,
}

/// An open file, its header understood.
pub struct Lecture {
    pub encodage: &'static Encoding,
    pub separateur: u8,
    pub correspondance: Correspondance,
    lecteur: csv::Reader<Box<dyn Read>>,
    entetes: Vec<String>,
}

/// One data row: its line in the file, its cells, the fields they give.
pub struct Ligne {
    pub numero: u64,
    /// Where the row starts in the decoded text (about the file's byte offset).
    pub octet: u64,
    pub cellules: Vec<String>,
    pub brut: Brut,
}

pub fn ouvrir(chemin: &Path, options: Options) -> Result<Lecture> {
    if chemin.is_dir() {
        return Err(erreur(format!("{} est un dossier, pas un fichier CSV", chemin.display())).into());
    }
    let fichier = File::open(chemin).map_err(|e| erreur(format!("impossible d'ouvrir {} : {e}", chemin.display())))?;
    let mut fichier = BufReader::with_capacity(1 << 16, fichier);
    let mut debut = vec![0u8; 1 << 16];
    let mut lus = 0;
    while lus < debut.len() {
        let n = fichier.read(&mut debut[lus..])?;
        if n == 0 {
            break;
        }
        lus += n;
    }
    debut.truncate(lus);
    if debut.iter().all(|b| b.is_ascii_whitespace()) {
        return Err(erreur(format!("{} est vide", chemin.display())).into());
    }
    let encodage = options.encodage.unwrap_or_else(|| decodage::detecter(&debut));
    let texte_debut = decodage::decoder_debut(&debut, encodage);
    let separateur = options.separateur.unwrap_or_else(|| decodage::separateur(&texte_debut));
    let flux = std::io::Cursor::new(debut).chain(fichier);
    let decode: Box<dyn Read> = Box::new(
        encoding_rs_io::DecodeReaderBytesBuilder::new()
            .encoding(Some(encodage))
            .bom_override(true)
            .build(flux),
    );
    let mut lecteur = csv::ReaderBuilder::new()
        .delimiter(separateur)
        .flexible(true)
        .from_reader(decode);
    let entetes: Vec<String> = lecteur
        .headers()
        .map_err(|e| erreur(format!("en-tête illisible : {e}")))?
        .iter()
        .map(|h| h.trim_start_matches('\u{feff}').trim().to_owned())
        .collect();
    if encodage == encoding_rs::UTF_8 && entetes.iter().any(|e| e.contains('\u{fffd}')) {
        return Err(erreur("en-tête illisible en UTF-8")
            .aide("le fichier vient sans doute d'Excel en Windows-1252 : relancez avec --encodage windows-1252")
            .into());
    }
    let correspondance = Correspondance::depuis(&entetes, options.profil)?;
    Ok(Lecture {
        encodage,
        separateur,
        correspondance,
        lecteur,
        entetes,
    })
}

impl Lecture {
    /// The header as read.
    pub fn entetes(&self) -> &[String] {
        &self.entetes
    }

    /// The next non-blank row, or `None` at the end of the file.
    pub fn suivante(&mut self) -> Result<Option<Ligne>> {
        let mut record = csv::StringRecord::new();
        loop {
            let lu = self.lecteur.read_record(&mut record).map_err(|e| {
                let ligne = e.position().map_or(String::new(), |p| format!("ligne {} : ", p.line()));
                erreur(format!("{ligne}lecture impossible ({e})"))
                    .aide("vérifiez l'encodage (--encodage windows-1252 ou utf-8) et le séparateur (--separateur)")
            })?;
            if !lu {
                return Ok(None);
            }
            if record.iter().all(|c| c.trim().is_empty()) {
                continue;
            }
            let (numero, octet) = record.position().map_or((0, 0), |p| (p.line(), p.byte()));
            if record.iter().any(|c| c.contains('\u{fffd}')) && self.encodage == encoding_rs::UTF_8 {
                return Err(erreur(format!("ligne {numero} : caractères illisibles en UTF-8"))
                    .aide("le fichier vient sans doute d'Excel en Windows-1252 : relancez avec --encodage windows-1252")
                    .into());
            }
            let cellules: Vec<String> = record.iter().map(str::to_owned).collect();
            let brut = self.correspondance.brut(&cellules);
            return Ok(Some(Ligne {
                numero,
                octet,
                cellules,
                brut,
            }));
        }
    }
}
