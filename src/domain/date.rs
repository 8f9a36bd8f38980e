//! Dates as users type them (`AAAA-MM-JJ` or `JJ/MM/AAAA`) and as they read them.

use chrono::{Datelike, Days, Months, NaiveDate};

/// Parses `AAAA-MM-JJ` or `JJ/MM/AAAA` (day and month may have one digit).
/// The error is a French sentence naming the value.
pub fn parse(texte: &str) -> Result<NaiveDate, String> {
    let t = texte.trim();
    let (annee, mois, jour) = if let Some((a, reste)) = t.split_once('-') {
        let (m, j) = reste.split_once('-').ok_or_else(|| format_attendu(t))?;
        (a, m, j)
    } else if let Some((j, reste)) = t.split_once('/') {
        let (m, a) = reste.split_once('/').ok_or_else(|| format_attendu(t))?;
        (a, m, j)
    } else {
        return Err(format_attendu(t));
    };
    let nombre = |s: &str, min: usize, max: usize| -> Result<u32, String> {
        if s.len() < min || s.len() > max || !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(format_attendu(t));
        }
        s.parse().map_err(|_| format_attendu(t))
    };
    let (a, m, j) = (nombre(annee, 4, 4)?, nombre(mois, 1, 2)?, nombre(jour, 1, 2)?);
    NaiveDate::from_ymd_opt(a as i32, m, j).ok_or_else(|| format!("la date « {t} » n'existe pas dans le calendrier"))
}

/// A date read from a file, and how its year was understood.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateLue {
    pub date: NaiveDate,
    /// A two-digit year read in the 1900s: in the 2000s, the date would be after the day
    /// of the import.
    pub siecle_precedent: bool,
}

/// A date as a partner's file writes it: `AAAA-MM-JJ`, or day first, as in France,
/// `JJ/MM/AAAA`, `JJ.MM.AAAA`, `JJ-MM-AAAA`, with a two-digit year (`2/11/26`), or the
/// month in words (`2 novembre 2026`, `lundi 2 novembre 2026`, `1er nov. 2026`); a time
/// after it (`2026-11-02T09:30:00`, `02/11/2026 09:30`) is passed over. A two-digit year
/// is of the 2000s unless that makes a date after `aujourdhui`: then of the 1900s (a date
/// of update is never in the future). The error, a French sentence, names the whole value
/// (shortened past 40 characters).
pub fn parse_de_fichier(texte: &str, aujourdhui: NaiveDate) -> Result<DateLue, String> {
    let t = texte.trim();
    let illisible = || {
        format!(
            "date « {} » illisible : attendu AAAA-MM-JJ, ou le jour d'abord : JJ/MM/AAAA, JJ.MM.AAAA, JJ-MM-AAAA, \
             JJ/MM/AA ou 2 novembre 2026",
            super::texte::apercu(t, 40)
        )
    };
    let (annee, mois, jour) = match mois_en_mots(t) {
        Some(lue) => lue.ok_or_else(illisible)?,
        None => en_chiffres(t).ok_or_else(illisible)?,
    };
    let inexistante = |annee: u32| {
        format!(
            "la date « {} » n'existe pas dans le calendrier (lue le jour d'abord : jour {jour}, mois {mois}, année {annee})",
            super::texte::apercu(t, 40)
        )
    };
    let (date, siecle_precedent) = match annee {
        Annee::Entiere(a) => (
            NaiveDate::from_ymd_opt(a as i32, mois, jour).ok_or_else(|| inexistante(a))?,
            false,
        ),
        Annee::DeuxChiffres(aa) => {
            let date = NaiveDate::from_ymd_opt(2000 + aa as i32, mois, jour).ok_or_else(|| inexistante(2000 + aa))?;
            if date <= aujourdhui {
                (date, false)
            } else {
                let date =
                    NaiveDate::from_ymd_opt(1900 + aa as i32, mois, jour).ok_or_else(|| inexistante(1900 + aa))?;
                (date, true)
            }
        }
    };
    Ok(DateLue { date, siecle_precedent })
}

/// A year as written: whole, or its last two digits.
#[derive(Clone, Copy)]
enum Annee {
    Entiere(u32),
    DeuxChiffres(u32),
}

/// `2026-11-02`, `02/11/2026`, `2.11.26`…, a time after it passed over: (year, month,
/// day), or `None`.
fn en_chiffres(t: &str) -> Option<(Annee, u32, u32)> {
    // A time after the date: `T` or a space, then digits and `:` (and a zone).
    let date = match t.find(['T', ' ']) {
        Some(i) => {
            let heure = t[i + 1..].trim_end_matches('Z');
            let heure = heure.split(['+']).next().unwrap_or_default();
            if heure.is_empty() || !heure.bytes().all(|b| b.is_ascii_digit() || b == b':' || b == b'.') {
                return None;
            }
            &t[..i]
        }
        None => t,
    };
    let separateur = date.chars().find(|c| matches!(c, '/' | '.' | '-'))?;
    let parties: Vec<&str> = date.split(separateur).collect();
    let [a, b, c] = parties[..] else {
        return None;
    };
    let chiffres = |s: &str, longueurs: &[usize]| {
        (longueurs.contains(&s.len()) && s.bytes().all(|o| o.is_ascii_digit()))
            .then(|| s.parse::<u32>().ok())
            .flatten()
    };
    match (chiffres(a, &[4]), chiffres(b, &[1, 2]), chiffres(c, &[1, 2, 4])) {
        // Year first only as ISO writes it.
        (Some(annee), Some(mois), Some(jour)) if separateur == '-' && c.len() <= 2 => {
            Some((Annee::Entiere(annee), mois, jour))
        }
        _ => match (chiffres(a, &[1, 2]), chiffres(b, &[1, 2]), chiffres(c, &[2, 4])) {
            (Some(jour), Some(mois), Some(annee)) if c.len() == 2 => Some((Annee::DeuxChiffres(annee), mois, jour)),
            (Some(jour), Some(mois), Some(annee)) => Some((Annee::Entiere(annee), mois, jour)),
            _ => None,
        },
    }
}

/// The months as a date in words may write them, normalised ([`super::texte::normaliser`]):
/// whole or abbreviated.
const MOIS_EN_LETTRES: [&[&str]; 12] = [
    &["janvier", "janv"],
    &["fevrier", "fevr", "fev"],
    &["mars"],
    &["avril", "avr"],
    &["mai"],
    &["juin"],
    &["juillet", "juil"],
    &["aout"],
    &["septembre", "sept"],
    &["octobre", "oct"],
    &["novembre", "nov"],
    &["decembre", "dec"],
];

/// `2 novembre 2026`, `lundi 2 novembre 2026`, `1er nov. 2026`: `None` when the text
/// names no month in words; `Some(None)` when it does but is not such a date.
fn mois_en_mots(t: &str) -> Option<Option<(Annee, u32, u32)>> {
    let normal = super::texte::normaliser(t);
    let mots: Vec<&str> = normal.split(' ').collect();
    let mois = mots
        .iter()
        .position(|m| MOIS_EN_LETTRES.iter().any(|noms| noms.contains(m)))?;
    let lue = (|| {
        let numero = MOIS_EN_LETTRES.iter().position(|noms| noms.contains(&mots[mois]))? as u32 + 1;
        let avant = &mots[..mois];
        let (jour, semaine) = avant.split_last()?;
        let semaine_ok = match semaine {
            [] => true,
            [nom] => ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"].contains(nom),
            _ => false,
        };
        let jour = jour.strip_suffix("er").unwrap_or(jour);
        let [annee] = mots[mois + 1..] else {
            return None;
        };
        let nombre = |s: &str, longueurs: &[usize]| {
            (longueurs.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit()))
                .then(|| s.parse::<u32>().ok())
                .flatten()
        };
        semaine_ok.then_some(())?;
        Some((Annee::Entiere(nombre(annee, &[4])?), numero, nombre(jour, &[1, 2])?))
    })();
    Some(lue)
}

fn format_attendu(t: &str) -> String {
    let montre = super::texte::apercu(t, 40);
    format!("date « {montre} » illisible : attendu AAAA-MM-JJ ou JJ/MM/AAAA")
}

const MOIS: [&str; 12] = [
    "janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre",
    "décembre",
];

/// The month of `jour` in words: `octobre 2026`.
pub fn mois_en_lettres(jour: NaiveDate) -> String {
    format!("{} {}", MOIS[jour.month0() as usize], jour.year())
}

/// The month of `jour`, short, for a chart's axis: `oct.`, `mai`, `juil.`.
pub fn mois_abrege(jour: NaiveDate) -> &'static str {
    [
        "janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc.",
    ][jour.month0() as usize]
}

/// `jour` moved back by `jours` days; an error in French, not chrono's panic, when the
/// result leaves the calendar.
pub fn jours_avant(jour: NaiveDate, jours: u32) -> Result<NaiveDate, String> {
    jour.checked_sub_days(Days::new(jours.into()))
        .ok_or_else(|| hors_calendrier(jour, &format!("{jours} jours")))
}

/// `jour` moved back by `mois` months, like [`jours_avant`].
pub fn mois_avant(jour: NaiveDate, mois: u32) -> Result<NaiveDate, String> {
    jour.checked_sub_months(Months::new(mois))
        .ok_or_else(|| hors_calendrier(jour, &format!("{mois} mois")))
}

fn hors_calendrier(jour: NaiveDate, duree: &str) -> String {
    format!("{duree} avant le {} : date hors du calendrier", fr(jour))
}

/// A date as stored and exported: `2026-11-26`, as `Display` writes it, without its
/// formatting machinery (an import writes one per row).
pub fn iso(date: NaiveDate) -> String {
    use chrono::Datelike;
    let (annee, mois, jour) = (date.year(), date.month(), date.day());
    if !(0..=9999).contains(&annee) {
        return date.to_string();
    }
    let mut texte = String::with_capacity(10);
    for (nombre, chiffres) in [(annee as u32, 4), (mois, 2), (jour, 2)] {
        if !texte.is_empty() {
            texte.push('-');
        }
        for rang in (0..chiffres).rev() {
            texte.push(char::from(b'0' + (nombre / 10u32.pow(rang) % 10) as u8));
        }
    }
    texte
}

/// The French way of writing a date: `26/11/2026`.
pub fn fr(date: NaiveDate) -> String {
    date.format("%d/%m/%Y").to_string()
}

/// A date with its day of the week, as a letter gives it: `dimanche 20/12/2026`.
pub fn avec_jour(date: NaiveDate) -> String {
    format!("{} {}", jour_de_la_semaine(date), fr(date))
}

/// A date with its day of the week shortened, for a column: `dim. 20/12/2026`.
pub fn abrege_avec_jour(date: NaiveDate) -> String {
    let jour = jour_de_la_semaine(date);
    format!("{}. {}", jour.get(..3).unwrap_or(jour), fr(date))
}

/// A moment stored as `AAAA-MM-JJTHH:MM:SS` (the audit trail's clock), written
/// `JJ/MM/AAAA à HH:MM`; anything else as it is.
pub fn moment_fr(moment: &str) -> String {
    match chrono::NaiveDateTime::parse_from_str(moment, "%Y-%m-%dT%H:%M:%S") {
        Ok(m) => format!("{} à {}", fr(m.date()), m.format("%H:%M")),
        Err(_) => moment.to_owned(),
    }
}

/// A day in words, as a title gives it: `lundi 30 novembre 2026`.
pub fn en_lettres(jour: NaiveDate) -> String {
    format!("{} {} {}", jour_de_la_semaine(jour), jour.day(), mois_en_lettres(jour))
}

/// The days from `debut` to `fin` (both included) in words, the year said once when it is
/// the same (`lundi 28 décembre 2026 au dimanche 3 janvier 2027`, `lundi 23 novembre au
/// dimanche 29 novembre 2026`).
pub fn du_au(debut: NaiveDate, fin: NaiveDate) -> String {
    let premier = if debut.year() == fin.year() {
        format!(
            "{} {} {}",
            jour_de_la_semaine(debut),
            debut.day(),
            MOIS[debut.month0() as usize]
        )
    } else {
        en_lettres(debut)
    };
    format!("{premier} au {}", en_lettres(fin))
}

fn jour_de_la_semaine(jour: NaiveDate) -> &'static str {
    ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]
        [jour.weekday().num_days_from_monday() as usize]
}

/// Age in whole years at `jour`.
pub fn age(naissance: NaiveDate, jour: NaiveDate) -> i32 {
    let mut age = jour.year() - naissance.year();
    if (jour.month(), jour.day()) < (naissance.month(), naissance.day()) {
        age -= 1;
    }
    age
}

#[cfg(test)]
mod tests {
    proptest::proptest! {
        /// Any date of the 2000s, written in any of the ways a partner's file writes it,
        /// reads back as itself.
        #[test]
        fn every_way_a_file_writes_a_date_reads_back(
            jours in 0i64..36_524,
            forme in 0usize..8,
            heure in proptest::option::of("[01][0-9]:[0-5][0-9](:[0-5][0-9])?"),
        ) {
            use chrono::Datelike;
            let d = chrono::NaiveDate::from_ymd_opt(2000, 1, 1).unwrap() + chrono::Days::new(jours as u64);
            let (j, m, a) = (d.day(), d.month(), d.year());
            let texte = match forme {
                0 => format!("{a}-{m:02}-{j:02}"),
                1 => format!("{j:02}/{m:02}/{a}"),
                2 => format!("{j}/{m}/{a}"),
                3 => format!("{j}/{m}/{:02}", a % 100),
                4 => format!("{j:02}.{m:02}.{a}"),
                5 => format!("{j:02}-{m:02}-{a}"),
                6 => format!("{j:02}.{m:02}.{:02}", a % 100),
                _ => format!(" {j:02}-{m:02}-{:02} ", a % 100),
            };
            let texte = match (&heure, forme) {
                (Some(h), 0) => format!("{texte}T{h}"),
                (Some(h), _) => format!("{} {h}", texte.trim()),
                (None, _) => texte,
            };
            // On the last day of the century, no two-digit year is in the future.
            let fin = chrono::NaiveDate::from_ymd_opt(2099, 12, 31).unwrap();
            proptest::prop_assert_eq!(
                super::parse_de_fichier(&texte, fin).map(|l| l.date),
                Ok(d),
                "{}",
                texte
            );
        }

        /// A two-digit year never makes a date after the day of the import: of the
        /// 2000s when that is not in the future, else of the 1900s, said so; a date in
        /// words reads as the same date in figures.
        #[test]
        fn a_two_digit_year_is_of_the_last_hundred_years(
            jours in 0i64..36_524,
            aujourdhui in 0i64..36_524,
            semaine in proptest::bool::ANY,
        ) {
            use chrono::Datelike;
            let debut = chrono::NaiveDate::from_ymd_opt(1950, 1, 1).unwrap();
            let d = debut + chrono::Days::new(jours as u64);
            let aujourdhui = chrono::NaiveDate::from_ymd_opt(2000, 1, 1).unwrap() + chrono::Days::new(aujourdhui as u64);
            let texte = format!("{:02}/{:02}/{:02}", d.day(), d.month(), d.year() % 100);
            let lue = super::parse_de_fichier(&texte, aujourdhui).unwrap();
            proptest::prop_assert!(lue.date <= aujourdhui, "{} le {}", texte, aujourdhui);
            proptest::prop_assert!(aujourdhui.year() - lue.date.year() <= 100, "{} le {}", texte, aujourdhui);
            proptest::prop_assert_eq!((lue.date.day(), lue.date.month(), lue.date.year() % 100), (d.day(), d.month(), d.year() % 100));
            proptest::prop_assert_eq!(lue.siecle_precedent, lue.date.year() < 2000);
            let mois = super::MOIS[d.month0() as usize];
            let en_lettres = if semaine {
                format!("{} {} {mois} {}", super::jour_de_la_semaine(d), d.day(), d.year())
            } else {
                format!("{} {mois} {}", d.day(), d.year())
            };
            proptest::prop_assert_eq!(super::parse_de_fichier(&en_lettres, aujourdhui).map(|l| l.date), Ok(d), "{}", en_lettres);
        }

        /// Anything else is refused without a panic, and the message names the value
        /// whole, or its first 40 characters then « … ».
        #[test]
        fn a_date_refused_is_named_whole_or_shortened(texte in "\\PC{0,60}") {
            let aujourdhui = chrono::NaiveDate::from_ymd_opt(2026, 11, 29).unwrap();
            if let Err(message) = super::parse_de_fichier(&texte, aujourdhui) {
                let t = texte.trim();
                let montre: String = t.chars().take(40).collect();
                let attendu = if t.chars().count() > 40 { format!("« {montre}… »") } else { format!("« {montre} »") };
                proptest::prop_assert!(message.contains(&attendu), "{} : {}", texte, message);
            }
        }
    }

    #[test]
    fn a_month_first_or_a_mixed_date_is_refused() {
        let aujourdhui = chrono::NaiveDate::from_ymd_opt(2026, 11, 29).unwrap();
        for texte in [
            "11/25/2026", "02/11-2026", "2026/11/02", "02/11/026", "2/11", "02112026", "2026-11-2026", "2 novembre",
            "novembre 2026", "lundi mardi 2 novembre 2026", "2 novembre 26", "le 2 novembre 2026",
        ] {
            assert!(super::parse_de_fichier(texte, aujourdhui).is_err(), "{texte}");
        }
        assert!(
            super::parse_de_fichier("11/25/2026", aujourdhui)
                .unwrap_err()
                .contains("jour 11, mois 25")
        );
    }

    #[test]
    fn a_letter_gives_the_day_of_the_week() {
        let d = chrono::NaiveDate::from_ymd_opt(2026, 12, 20).unwrap();
        assert_eq!(super::avec_jour(d), "dimanche 20/12/2026");
    }

    #[test]
    fn days_and_weeks_in_words() {
        let d = |a, m, j| chrono::NaiveDate::from_ymd_opt(a, m, j).unwrap();
        assert_eq!(super::en_lettres(d(2026, 11, 30)), "lundi 30 novembre 2026");
        assert_eq!(
            super::du_au(d(2026, 11, 30), d(2026, 12, 6)),
            "lundi 30 novembre au dimanche 6 décembre 2026"
        );
        assert_eq!(
            super::du_au(d(2026, 12, 28), d(2027, 1, 3)),
            "lundi 28 décembre 2026 au dimanche 3 janvier 2027"
        );
    }

    use super::*;
    use proptest::prelude::*;

    #[test]
    fn months_in_words() {
        let d = |a, m| NaiveDate::from_ymd_opt(a, m, 14).unwrap();
        assert_eq!(mois_en_lettres(d(2026, 10)), "octobre 2026");
        assert_eq!(mois_en_lettres(d(2027, 2)), "février 2027");
        assert_eq!((mois_abrege(d(2026, 7)), mois_abrege(d(2026, 12))), ("juil.", "déc."));
    }

    fn d(a: i32, m: u32, j: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(a, m, j).unwrap()
    }

    #[test]
    fn a_moment_of_the_clock_in_french() {
        assert_eq!(moment_fr("2026-11-29T09:05:59"), "29/11/2026 à 09:05");
        assert_eq!(moment_fr("hier"), "hier");
    }

    #[test]
    fn moving_back_out_of_the_calendar_is_an_error_not_a_panic() {
        assert_eq!(jours_avant(d(2026, 11, 26), 30), Ok(d(2026, 10, 27)));
        assert_eq!(mois_avant(d(2026, 11, 26), 24), Ok(d(2024, 11, 26)));
        assert!(
            jours_avant(NaiveDate::MIN, 1)
                .unwrap_err()
                .contains("hors du calendrier")
        );
        assert!(mois_avant(d(2026, 11, 26), u32::MAX).is_err());
    }

    #[test]
    fn both_forms_give_the_same_date() {
        assert_eq!(parse("2024-03-05"), Ok(d(2024, 3, 5)));
        assert_eq!(parse("05/03/2024"), Ok(d(2024, 3, 5)));
        assert_eq!(parse("5/3/2024"), Ok(d(2024, 3, 5)));
        assert_eq!(parse(" 29/02/2024 "), Ok(d(2024, 2, 29)));
    }

    #[test]
    fn impossible_and_malformed_dates_are_refused_with_the_value() {
        let e = parse("31/02/2024").unwrap_err();
        assert!(e.contains("31/02/2024") && e.contains("n'existe pas"), "{e}");
        for mauvais in [
            "", "2024", "24-03-05", "2024/03/05", "05/03/24", "aa/bb/cccc", "+2024-01-01", "2024-1-1-1",
        ] {
            let e = parse(mauvais).unwrap_err();
            assert!(e.contains("AAAA-MM-JJ"), "{mauvais}: {e}");
        }
    }

    #[test]
    fn age_counts_whole_years() {
        assert_eq!(age(d(2000, 11, 26), d(2026, 11, 26)), 26);
        assert_eq!(age(d(2000, 11, 27), d(2026, 11, 26)), 25);
        assert_eq!(age(d(2000, 2, 29), d(2025, 2, 28)), 24);
    }

    proptest! {
        #[test]
        fn never_panics_on_any_text(s in "\\PC{0,30}") {
            let _ = parse(&s);
        }

        #[test]
        fn french_form_round_trips(j in 0i64..80_000) {
            let date = d(1900, 1, 1) + chrono::Days::new(j as u64);
            prop_assert_eq!(parse(&fr(date)), Ok(date));
            prop_assert_eq!(parse(&date.to_string()), Ok(date));
        }

        /// The ISO writer gives what chrono's `Display` (and the base) gives, any year.
        #[test]
        fn iso_writes_what_display_writes(j in -800_000i64..3_000_000) {
            let date = d(1, 1, 1) + chrono::TimeDelta::days(j);
            prop_assert_eq!(iso(date), date.to_string());
        }
    }
}
