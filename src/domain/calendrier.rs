//! French public holidays (jours fériés) and what makes a moment unusual for an
//! appointment: the rules a caseworker is warned about, never refused.
//!
//! Holidays of the whole country (Code du travail, art. L3133-1): 1 January, Easter
//! Monday, 1 May, 8 May, Ascension (Easter + 39 days), Whit Monday (Easter + 50), 14 July,
//! 15 August, 1 November, 11 November, 25 December. In Moselle, Bas-Rhin and Haut-Rhin
//! (57, 67, 68), Good Friday and 26 December too (art. L3134-13).

use chrono::{Datelike, Months, NaiveDate, NaiveDateTime, Timelike, Weekday};

use super::date::fr;

/// Easter Sunday of the Gregorian year `annee` (the anonymous Gregorian algorithm, also
/// known as Meeus/Jones/Butcher).
pub fn paques(annee: i32) -> NaiveDate {
    let a = annee % 19;
    let b = annee / 100;
    let c = annee % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let mois = (h + l - 7 * m + 114) / 31;
    let jour = (h + l - 7 * m + 114) % 31 + 1;
    NaiveDate::from_ymd_opt(annee, mois as u32, jour as u32).expect("Easter is a day of March or April")
}

/// The name of the public holiday `jour` is in the département `departement` (its code,
/// `55`, `57`…), `None` on a working day.
pub fn ferie(jour: NaiveDate, departement: &str) -> Option<&'static str> {
    let fixe = match (jour.month(), jour.day()) {
        (1, 1) => Some("jour de l'an"),
        (5, 1) => Some("fête du Travail"),
        (5, 8) => Some("victoire de 1945"),
        (7, 14) => Some("fête nationale"),
        (8, 15) => Some("Assomption"),
        (11, 1) => Some("Toussaint"),
        (11, 11) => Some("armistice de 1918"),
        (12, 25) => Some("Noël"),
        (12, 26) if alsace_moselle(departement) => Some("Saint-Étienne"),
        _ => None,
    };
    if fixe.is_some() {
        return fixe;
    }
    let paques = paques(jour.year());
    let ecart = (jour - paques).num_days();
    match ecart {
        1 => Some("lundi de Pâques"),
        39 => Some("Ascension"),
        50 => Some("lundi de Pentecôte"),
        -2 if alsace_moselle(departement) => Some("Vendredi saint"),
        _ => None,
    }
}

fn alsace_moselle(departement: &str) -> bool {
    matches!(departement, "57" | "67" | "68")
}

/// Why an appointment at `moment`, planned on `aujourdhui` in `departement`, is unusual:
/// a past day (an appointment recorded afterwards), a night hour (before 7 h, after 20 h),
/// a Sunday, a public holiday, more than a year ahead. One French sentence each; empty for an ordinary moment.
pub fn moment_inhabituel(moment: NaiveDateTime, aujourdhui: NaiveDate, departement: &str) -> Vec<String> {
    let mut raisons = Vec::new();
    let heure = moment.format("%H:%M");
    if moment.hour() < 7 {
        raisons.push(format!(
            "{heure} est avant 7 h : vérifiez l'heure (format 24 h, 14:00 pour 14 h)"
        ));
    } else if moment.time() > chrono::NaiveTime::from_hms_opt(20, 0, 0).expect("20:00") {
        raisons.push(format!("{heure} est après 20 h : vérifiez l'heure"));
    }
    let jour = moment.date();
    if jour.weekday() == Weekday::Sun {
        raisons.push(format!("le {} est un dimanche", fr(jour)));
    }
    if let Some(nom) = ferie(jour, departement) {
        raisons.push(format!("le {} est un jour férié ({nom})", fr(jour)));
    }
    if jour < aujourdhui {
        raisons.push(format!(
            "le {} est passé (aujourd'hui : {}) : notez tout de suite son issue (`spie rdv honore|absent|excuse \
             ID`)",
            fr(jour),
            fr(aujourdhui)
        ));
    }
    if jour > aujourdhui + Months::new(12) {
        raisons.push(format!(
            "le {} est à plus d'un an (au-delà du {}) : vérifiez l'année",
            fr(jour),
            fr(aujourdhui + Months::new(12))
        ));
    }
    raisons
}

#[cfg(test)]
mod tests {
    use super::*;

    fn j(a: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(a, m, d).unwrap()
    }

    #[test]
    fn easter_falls_on_the_known_sundays() {
        for (annee, mois, jour) in [
            (2000, 4, 23),
            (2008, 3, 23),
            (2019, 4, 21),
            (2024, 3, 31),
            (2025, 4, 20),
            (2026, 4, 5),
            (2027, 3, 28),
            (2038, 4, 25),
        ] {
            assert_eq!(paques(annee), j(annee, mois, jour), "{annee}");
        }
    }

    #[test]
    fn the_holidays_of_2027() {
        let feries: Vec<(NaiveDate, &str)> = j(2027, 1, 1)
            .iter_days()
            .take_while(|d| d.year() == 2027)
            .filter_map(|d| ferie(d, "55").map(|n| (d, n)))
            .collect();
        assert_eq!(feries.len(), 11, "{feries:?}");
        assert!(feries.contains(&(j(2027, 3, 29), "lundi de Pâques")));
        assert!(feries.contains(&(j(2027, 5, 6), "Ascension")));
        assert!(feries.contains(&(j(2027, 5, 17), "lundi de Pentecôte")));
        assert_eq!(ferie(j(2027, 3, 26), "55"), None);
        assert_eq!(ferie(j(2027, 12, 26), "55"), None);
        // Alsace-Moselle: two more.
        assert_eq!(ferie(j(2027, 3, 26), "57"), Some("Vendredi saint"));
        assert_eq!(ferie(j(2027, 12, 26), "67"), Some("Saint-Étienne"));
    }

    #[test]
    fn an_unusual_moment_says_why_an_ordinary_one_nothing() {
        let aujourdhui = j(2026, 11, 26);
        let m = |d: NaiveDate, h: u32, mi: u32| d.and_hms_opt(h, mi, 0).unwrap();
        assert!(moment_inhabituel(m(j(2026, 11, 30), 9, 0), aujourdhui, "55").is_empty());
        assert!(moment_inhabituel(m(j(2026, 11, 30), 7, 0), aujourdhui, "55").is_empty());
        assert!(moment_inhabituel(m(j(2026, 11, 30), 20, 0), aujourdhui, "55").is_empty());
        assert_eq!(moment_inhabituel(m(j(2026, 11, 30), 20, 1), aujourdhui, "55").len(), 1);
        assert_eq!(moment_inhabituel(m(j(2026, 11, 30), 6, 59), aujourdhui, "55").len(), 1);
        // Easter Sunday (a Sunday, not a holiday of its own) at night, more than a year ahead.
        let r = moment_inhabituel(m(j(2028, 4, 16), 5, 0), aujourdhui, "55");
        assert_eq!(r.len(), 3, "{r:?}");
        let r = moment_inhabituel(m(j(2028, 1, 1), 22, 0), aujourdhui, "55");
        assert_eq!(r.len(), 3, "{r:?}");
        assert!(r.iter().any(|r| r.contains("jour de l'an")), "{r:?}");
        let r = moment_inhabituel(m(j(2026, 11, 25), 10, 0), aujourdhui, "55");
        assert_eq!(r.len(), 1, "{r:?}");
        assert!(r[0].contains("le 25/11/2026 est passé"), "{r:?}");
        // Exactly one year ahead is still fine.
        assert!(moment_inhabituel(m(j(2027, 11, 26), 10, 0), aujourdhui, "55").is_empty());
    }
}
