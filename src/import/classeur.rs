//! Workbooks (`.xlsx`, `.xls`, `.ods`, `.xlsb`): one sheet read on a thread of its own and
//! handed over row by row, each cell with its type (a date stays a date, a number a
//! number) until the column's field decides how to write it.

use std::fs::File;
use std::io::BufReader;
use std::path::Path;
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};

use anyhow::Result;
use calamine::{Data, DataRef, Ods, Range, Reader, SheetType, SheetVisible, Xls, Xlsb, Xlsx};
use chrono::{NaiveDate, NaiveDateTime, TimeDelta};

use crate::domain::offre::Champ;
use crate::domain::texte::{APERCU, apercu, normaliser};
use crate::error::erreur;

/// What the first bytes of a file say it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Conteneur {
    /// A zip archive: `.xlsx`, `.ods`, `.xlsb`, or any other zip.
    Zip,
    /// A Microsoft compound file: `.xls`, or a password-protected `.xlsx`, or a Word file.
    Ole,
}

pub fn conteneur(debut: &[u8]) -> Option<Conteneur> {
    if debut.starts_with(b"PK\x03\x04") || debut.starts_with(b"PK\x05\x06") {
        Some(Conteneur::Zip)
    } else if debut.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        Some(Conteneur::Ole)
    } else {
        None
    }
}

/// A cell as the workbook types it.
#[derive(Debug, Clone, PartialEq)]
pub enum Valeur {
    Vide,
    Texte(String),
    Nombre(f64),
    Date(NaiveDateTime),
    Booleen(bool),
    /// A formula's error (`#N/A`, `#REF!`…).
    Erreur(String),
}

/// One row of the sheet: its number in the sheet (from 1) and its cells from column A.
pub struct Rangee {
    pub numero: u64,
    pub cellules: Vec<Valeur>,
}

/// An open sheet: its rows arrive from the reading thread as they are read.
pub struct Feuille {
    /// `xlsx`, `xls`, `ods` or `xlsb`.
    pub format: &'static str,
    pub nom: String,
    /// The number of the sheet's last row, for the progress bar.
    pub derniere: u64,
    pub rangees: Receiver<Result<Rangee>>,
}

/// Rows waiting between the reading thread and the import: memory stays flat.
const EN_ATTENTE: usize = 1024;

/// Opens the sheet `feuille` (a name, or a number from 1) of the workbook, else its first
/// visible worksheet.
pub fn ouvrir(chemin: &Path, conteneur: Conteneur, feuille: Option<&str>) -> Result<Feuille> {
    let lecteur = || -> Result<BufReader<File>> { Ok(BufReader::new(File::open(chemin)?)) };
    match conteneur {
        Conteneur::Ole => match Xls::new(lecteur()?) {
            Ok(classeur) => entiere(classeur, "xls", feuille),
            Err(_) => Err(erreur(format!(
                "{} n'est pas un classeur lisible : fichier Office binaire qui n'est ni un .xls ni un classeur \
                 ouvert sans mot de passe",
                chemin.display()
            ))
            .aide(
                "ouvrez-le dans le tableur, retirez le mot de passe s'il en a un, puis enregistrez-le en .xlsx, .ods \
                 ou CSV",
            )
            .into()),
        },
        Conteneur::Zip => {
            if let Ok(classeur) = Xlsx::new(lecteur()?) {
                return xlsx(classeur, feuille);
            }
            if let Ok(classeur) = Ods::new(lecteur()?) {
                return entiere(classeur, "ods", feuille);
            }
            if let Ok(classeur) = Xlsb::new(lecteur()?) {
                return entiere(classeur, "xlsb", feuille);
            }
            Err(erreur(format!(
                "{} est une archive ZIP qui n'est pas un classeur (.xlsx, .ods) lisible",
                chemin.display()
            ))
            .aide("importez le fichier CSV, .xlsx ou .ods lui-même, pas une archive qui le contient")
            .into())
        }
    }
}

/// The sheet asked for, or the first visible worksheet.
fn choisir(feuilles: &[calamine::Sheet], demandee: Option<&str>) -> Result<String> {
    let noms = || {
        feuilles
            .iter()
            .enumerate()
            .map(|(i, f)| format!("{} « {} »", i + 1, apercu(&f.name, APERCU)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let Some(demandee) = demandee else {
        return feuilles
            .iter()
            .find(|f| f.typ == SheetType::WorkSheet && f.visible == SheetVisible::Visible)
            .or_else(|| feuilles.iter().find(|f| f.typ == SheetType::WorkSheet))
            .map(|f| f.name.clone())
            .ok_or_else(|| erreur("le classeur n'a aucune feuille de données").into());
    };
    let cle = normaliser(demandee);
    if let Some(f) = feuilles.iter().find(|f| normaliser(&f.name) == cle) {
        return Ok(f.name.clone());
    }
    if let Ok(n) = demandee.trim().parse::<usize>()
        && let Some(f) = n.checked_sub(1).and_then(|i| feuilles.get(i))
    {
        return Ok(f.name.clone());
    }
    Err(erreur(format!(
        "--feuille : le classeur n'a pas de feuille « {} »",
        apercu(demandee, APERCU)
    ))
    .aide(format!("feuilles du classeur : {}", noms()))
    .into())
}

/// An `.xlsx` sheet, read cell by cell as the file gives them: only the shared strings are
/// held in memory, whatever the number of rows.
fn xlsx(mut classeur: Xlsx<BufReader<File>>, demandee: Option<&str>) -> Result<Feuille> {
    let nom = choisir(classeur.sheets_metadata(), demandee)?;
    let derniere = {
        let cellules = classeur.worksheet_cells_reader(&nom).map_err(illisible)?;
        u64::from(cellules.dimensions().end.0) + 1
    };
    let (envoi, rangees) = sync_channel(EN_ATTENTE);
    let feuille = nom.clone();
    std::thread::spawn(move || {
        let mut cellules = match classeur.worksheet_cells_reader(&feuille) {
            Ok(c) => c,
            Err(e) => {
                let _ = envoi.send(Err(illisible(e)));
                return;
            }
        };
        let mut rangee = Rangee {
            numero: 0,
            cellules: Vec::new(),
        };
        loop {
            match cellules.next_cell() {
                Ok(Some(cellule)) => {
                    let (ligne, colonne) = cellule.get_position();
                    let numero = u64::from(ligne) + 1;
                    if numero != rangee.numero {
                        let largeur = rangee.cellules.len();
                        let pleine = std::mem::replace(
                            &mut rangee,
                            Rangee {
                                numero,
                                cellules: Vec::with_capacity(largeur),
                            },
                        );
                        if !envoyer(&envoi, pleine) {
                            return;
                        }
                    }
                    placer(&mut rangee.cellules, colonne, de_ref(cellule.get_value()));
                }
                Ok(None) => {
                    envoyer(&envoi, rangee);
                    return;
                }
                Err(e) => {
                    let _ = envoi.send(Err(illisible(e)));
                    return;
                }
            }
        }
    });
    Ok(Feuille {
        format: "xlsx",
        nom,
        derniere,
        rangees,
    })
}

/// A sheet of the formats calamine reads whole (`.xls`, `.ods`, `.xlsb`): these files are
/// small (an `.xls` holds 65,536 rows at most).
fn entiere<R>(mut classeur: R, format: &'static str, demandee: Option<&str>) -> Result<Feuille>
where
    R: Reader<BufReader<File>>,
    R::Error: std::fmt::Display,
{
    let nom = choisir(classeur.sheets_metadata(), demandee)?;
    let plage: Range<Data> = classeur.worksheet_range(&nom).map_err(illisible)?;
    let derniere = plage.end().map_or(0, |(ligne, _)| u64::from(ligne) + 1);
    let (envoi, rangees) = sync_channel(EN_ATTENTE);
    std::thread::spawn(move || {
        let (premiere, gauche) = plage.start().unwrap_or((0, 0));
        for (i, ligne) in plage.rows().enumerate() {
            let mut cellules = Vec::with_capacity(gauche as usize + ligne.len());
            cellules.resize(gauche as usize, Valeur::Vide);
            cellules.extend(ligne.iter().map(de_data));
            let rangee = Rangee {
                numero: u64::from(premiere) + i as u64 + 1,
                cellules,
            };
            if !envoyer(&envoi, rangee) {
                return;
            }
        }
    });
    Ok(Feuille {
        format,
        nom,
        derniere,
        rangees,
    })
}

/// Hands a row over, unless it is empty; `false` once the import stopped listening.
fn envoyer(envoi: &SyncSender<Result<Rangee>>, rangee: Rangee) -> bool {
    if rangee.cellules.iter().all(|c| *c == Valeur::Vide) {
        return true;
    }
    envoi.send(Ok(rangee)).is_ok()
}

/// Columns far to the right of any data are a damaged or hostile file, not a partner's
/// list (Excel stops at 16,384).
const COLONNES: u32 = 16_384;

fn placer(cellules: &mut Vec<Valeur>, colonne: u32, valeur: Valeur) {
    if colonne >= COLONNES || valeur == Valeur::Vide {
        return;
    }
    let i = colonne as usize;
    if cellules.len() <= i {
        cellules.resize(i + 1, Valeur::Vide);
    }
    cellules[i] = valeur;
}

fn illisible(e: impl std::fmt::Display) -> anyhow::Error {
    erreur(format!("classeur illisible : {}", apercu(&e.to_string(), 200)))
        .aide("ouvrez-le dans le tableur et enregistrez-le de nouveau (.xlsx, .ods ou CSV)")
        .into()
}

fn de_ref(d: &DataRef<'_>) -> Valeur {
    match d {
        DataRef::Int(i) => Valeur::Nombre(*i as f64),
        DataRef::Float(f) => Valeur::Nombre(*f),
        DataRef::String(s) => texte(s),
        DataRef::SharedString(s) => texte(s),
        DataRef::Bool(b) => Valeur::Booleen(*b),
        DataRef::DateTime(d) => date_excel(d),
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => date_iso(s),
        DataRef::Error(e) => Valeur::Erreur(e.to_string()),
        DataRef::Empty => Valeur::Vide,
    }
}

fn de_data(d: &Data) -> Valeur {
    match d {
        Data::Int(i) => Valeur::Nombre(*i as f64),
        Data::Float(f) => Valeur::Nombre(*f),
        Data::String(s) => texte(s),
        Data::Bool(b) => Valeur::Booleen(*b),
        Data::DateTime(d) => date_excel(d),
        Data::DateTimeIso(s) | Data::DurationIso(s) => date_iso(s),
        Data::Error(e) => Valeur::Erreur(e.to_string()),
        Data::Empty => Valeur::Vide,
    }
}

fn texte(s: &str) -> Valeur {
    if s.trim().is_empty() {
        Valeur::Vide
    } else {
        Valeur::Texte(s.to_owned())
    }
}

fn date_excel(d: &calamine::ExcelDateTime) -> Valeur {
    match d.as_datetime() {
        Some(date) if d.is_datetime() => Valeur::Date(date),
        _ => Valeur::Nombre(d.as_f64()),
    }
}

/// An OpenDocument date (`2024-08-01` or `2024-08-01T09:30:00`); anything else as text.
fn date_iso(s: &str) -> Valeur {
    if let Ok(d) = NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f") {
        return Valeur::Date(d);
    }
    match NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        Ok(d) => Valeur::Date(d.and_time(chrono::NaiveTime::MIN)),
        Err(_) => texte(s),
    }
}

/// The date of a spreadsheet serial number (days since 30/12/1899, the 1900 system of
/// Excel and LibreOffice), from 1/1/1900 to 31/12/9999.
pub fn date_de_serie(serie: f64) -> Option<NaiveDateTime> {
    if !(1.0..2_958_466.0).contains(&serie) {
        return None;
    }
    let origine = NaiveDate::from_ymd_opt(1899, 12, 30)?.and_time(chrono::NaiveTime::MIN);
    let secondes = (serie * 86_400.0).round() as i64;
    origine.checked_add_signed(TimeDelta::try_seconds(secondes)?)
}

fn date_texte(d: NaiveDateTime) -> String {
    if d.time() == chrono::NaiveTime::MIN {
        d.format("%Y-%m-%d").to_string()
    } else {
        d.format("%Y-%m-%d %H:%M").to_string()
    }
}

/// A number as a partner typed it: `55100`, `48.51309` (never `55100.0` nor an exponent).
fn nombre_texte(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

/// How a cell reads for the field of its column. A spreadsheet turns what looks like a
/// number into one: a date column holding serial numbers gives dates, a postal code or an
/// INSEE code of the Ain (`01…`) gets back its leading zero, a phone number typed without
/// spaces its `0`.
pub fn en_texte(valeur: &Valeur, champ: Option<Champ>) -> String {
    match (valeur, champ) {
        (Valeur::Vide, _) => String::new(),
        (Valeur::Texte(t) | Valeur::Erreur(t), _) => t.clone(),
        (Valeur::Booleen(b), _) => if *b { "oui" } else { "non" }.to_owned(),
        (Valeur::Date(d), _) => date_texte(*d),
        (Valeur::Nombre(n), Some(Champ::DateMaj)) => date_de_serie(*n).map_or_else(|| nombre_texte(*n), date_texte),
        (Valeur::Nombre(n), Some(Champ::CodePostal | Champ::CodeInsee))
            if n.fract() == 0.0 && (1000.0..10_000.0).contains(n) =>
        {
            format!("{:05}", *n as i64)
        }
        (Valeur::Nombre(n), Some(Champ::Telephone)) if n.fract() == 0.0 && (1e8..1e9).contains(n) => {
            format!("0{}", *n as i64)
        }
        (Valeur::Nombre(n), _) => nombre_texte(*n),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serial_numbers_are_the_dates_a_spreadsheet_shows() {
        let jour = |s: f64| date_de_serie(s).map(|d| d.format("%d/%m/%Y %H:%M").to_string());
        assert_eq!(jour(45_505.0).as_deref(), Some("01/08/2024 00:00"));
        assert_eq!(jour(61.0).as_deref(), Some("01/03/1900 00:00"));
        assert_eq!(jour(45_505.75).as_deref(), Some("01/08/2024 18:00"));
        assert_eq!(jour(0.0), None);
        assert_eq!(jour(-3.0), None);
        assert_eq!(jour(f64::NAN), None);
        assert_eq!(jour(1e12), None);
    }

    #[test]
    fn numbers_read_as_the_field_expects() {
        let n = Valeur::Nombre;
        assert_eq!(en_texte(&n(45_505.0), Some(Champ::DateMaj)), "2024-08-01");
        assert_eq!(en_texte(&n(1400.0), Some(Champ::CodePostal)), "01400");
        assert_eq!(en_texte(&n(1053.0), Some(Champ::CodeInsee)), "01053");
        assert_eq!(en_texte(&n(55100.0), Some(Champ::CodePostal)), "55100");
        assert_eq!(en_texte(&n(329_929_056.0), Some(Champ::Telephone)), "0329929056");
        assert_eq!(en_texte(&n(48.51309), Some(Champ::Latitude)), "48.51309");
        assert_eq!(en_texte(&n(45_505.0), Some(Champ::Nom)), "45505");
        assert_eq!(en_texte(&n(45_505.0), None), "45505");
        assert_eq!(en_texte(&Valeur::Booleen(true), None), "oui");
        assert_eq!(en_texte(&date_iso("2024-08-01"), Some(Champ::DateMaj)), "2024-08-01");
        assert_eq!(en_texte(&date_iso("2024-08-01T09:30:00"), None), "2024-08-01 09:30");
        assert_eq!(en_texte(&date_iso("pas une date"), None), "pas une date");
    }

    #[test]
    fn a_file_is_recognised_by_its_first_bytes() {
        assert_eq!(conteneur(b"PK\x03\x04\x14\x00"), Some(Conteneur::Zip));
        assert_eq!(
            conteneur(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0]),
            Some(Conteneur::Ole)
        );
        assert_eq!(conteneur(b"id;nom\n"), None);
        assert_eq!(conteneur(b"PK"), None);
    }

    proptest::proptest! {
        #[test]
        fn any_number_reads_without_panic_in_any_column(n in proptest::num::f64::ANY, i in 0usize..Champ::TOUS.len()) {
            let champ = Champ::TOUS[i];
            let texte = en_texte(&Valeur::Nombre(n), Some(champ));
            proptest::prop_assert!(!texte.is_empty());
        }
    }
}
