//! A cell as a typed source gives it (a workbook, a JSON file): a date stays a date, a
//! number a number, until the field of its column decides how to write it; and the rows
//! such a source hands over from its reading thread.

use std::sync::mpsc::SyncSender;

use anyhow::Result;
use chrono::{NaiveDate, NaiveDateTime, TimeDelta};

use crate::domain::offre::Champ;

/// Rows waiting between a reading thread and the import: memory stays flat.
pub const EN_ATTENTE: usize = 1024;

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
    /// A formula whose value the file does not hold: written by a program that does not
    /// compute formulas; a spreadsheet computes them when it opens and saves the file.
    NonCalculee,
}

/// One row of the sheet: its number in the sheet (from 1) and its cells from column A.
pub struct Rangee {
    pub numero: u64,
    pub cellules: Vec<Valeur>,
}

/// Hands a row over, unless it is empty; `false` once the import stopped listening.
pub fn envoyer(envoi: &SyncSender<Result<Rangee>>, rangee: Rangee) -> bool {
    if rangee.cellules.iter().all(|c| *c == Valeur::Vide) {
        return true;
    }
    envoi.send(Ok(rangee)).is_ok()
}

pub fn texte(s: &str) -> Valeur {
    if s.trim().is_empty() {
        Valeur::Vide
    } else {
        Valeur::Texte(s.to_owned())
    }
}

/// An OpenDocument date (`2024-08-01` or `2024-08-01T09:30:00`); anything else as text.
pub fn date_iso(s: &str) -> Valeur {
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
/// number into one: a date column holding serial numbers gives dates, an INSEE code of the
/// Ain (`01…`) gets back its leading zero, a phone number typed without spaces its `0`
/// (whether the cell holds it as a number or as a text). A postal code of four digits is
/// left as it is: `5100` may be `05100` or `55100` mistyped, and the row's commune decides
/// (see [`crate::domain::offre::verifier`]), as for a text cell.
pub fn en_texte(valeur: &Valeur, champ: Option<Champ>) -> String {
    match (valeur, champ) {
        (Valeur::Vide, _) => String::new(),
        // A phone typed without its spaces in a text cell lost its 0 as a number does.
        (Valeur::Texte(t), Some(Champ::Telephone))
            if t.len() == 9 && t.bytes().all(|b| b.is_ascii_digit()) && !t.starts_with('0') =>
        {
            format!("0{t}")
        }
        (Valeur::Texte(t), _) => t.clone(),
        // Reported apart (see `Lecture`): the formula's error is no value of the field.
        (Valeur::Erreur(_) | Valeur::NonCalculee, _) => String::new(),
        (Valeur::Booleen(b), _) => if *b { "oui" } else { "non" }.to_owned(),
        (Valeur::Date(d), _) => date_texte(*d),
        (Valeur::Nombre(n), Some(Champ::DateMaj)) => date_de_serie(*n).map_or_else(|| nombre_texte(*n), date_texte),
        (Valeur::Nombre(n), Some(Champ::CodeInsee)) if n.fract() == 0.0 && (1000.0..10_000.0).contains(n) => {
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
        assert_eq!(
            en_texte(&n(1400.0), Some(Champ::CodePostal)),
            "1400",
            "la commune décide"
        );
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

    proptest::proptest! {
        #[test]
        fn any_number_reads_without_panic_in_any_column(n in proptest::num::f64::ANY, i in 0usize..Champ::TOUS.len()) {
            let champ = Champ::TOUS[i];
            let texte = en_texte(&Valeur::Nombre(n), Some(champ));
            proptest::prop_assert!(!texte.is_empty());
        }
    }
}
