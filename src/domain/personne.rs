//! The person's identity: what is accepted in each field, and how it is stored.

use chrono::NaiveDate;
use serde::Serialize;

use super::texte::champ_libre;
use crate::error::{UserError, erreur};

crate::codes! {
    pub enum Sexe {
        /// Femme
        F = "f" / "femme",
        /// Homme
        M = "m" / "homme",
    }
}

/// The administrative situations a person can be recorded with (`--public rsa,de`).
pub const PUBLICS: &[(&str, &str)] = &[
    ("rsa", "bénéficiaire du RSA"),
    ("ass", "bénéficiaire de l'allocation de solidarité spécifique"),
    ("aah", "bénéficiaire de l'allocation aux adultes handicapés"),
    ("de", "demandeur d'emploi inscrit"),
    ("deld", "demandeur d'emploi de longue durée"),
    ("rqth", "reconnaissance de la qualité de travailleur handicapé"),
    ("qpv", "résident d'un quartier prioritaire de la ville"),
    ("frr", "résident d'une commune France Ruralités Revitalisation"),
    ("jeune", "jeune de moins de 26 ans"),
    ("senior", "personne de 50 ans et plus"),
    ("parent-isole", "parent isolé"),
    ("refugie", "réfugié ou bénéficiaire d'une protection internationale"),
    ("sortant-detention", "sortant de détention"),
    ("sans-domicile", "sans domicile stable"),
    ("salarie", "en emploi"),
    ("etudiant", "étudiant"),
];

/// How a letter addresses the person: by the recorded sex, else both.
pub fn civilite(sexe: Option<Sexe>) -> &'static str {
    match sexe {
        Some(Sexe::F) => "Madame",
        Some(Sexe::M) => "Monsieur",
        None => "Madame, Monsieur",
    }
}

/// The data·inclusion publics a person's situation belongs to, for matching offers.
pub fn publics_data_inclusion(code: &str) -> &'static [&'static str] {
    match code {
        "rsa" | "ass" => &["beneficiaires-des-minimas-sociaux"],
        "aah" => &[
            "beneficiaires-des-minimas-sociaux",
            "personnes-en-situation-de-handicap",
        ],
        "rqth" => &["personnes-en-situation-de-handicap"],
        "de" | "deld" => &["demandeurs-emploi"],
        "qpv" | "frr" => &["residents-qpv-frr"],
        "jeune" => &["jeunes"],
        "senior" => &["seniors"],
        "parent-isole" => &["familles"],
        "refugie" => &["personnes-exilees"],
        "sortant-detention" => &["personnes-en-situation-juridique-specifique"],
        "sans-domicile" => &["personnes-en-situation-durgence"],
        "salarie" => &["actifs"],
        "etudiant" => &["etudiants"],
        _ => &[],
    }
}

/// `"RSA, de"` → `["de", "rsa"]` (sorted, without repeats); an unknown code is an error
/// that lists the valid ones.
pub fn publics(texte: &str) -> Result<Vec<String>, String> {
    let mut codes = Vec::new();
    for brut in texte.split(',') {
        let code = brut.trim().to_lowercase();
        if code.is_empty() {
            continue;
        }
        if !PUBLICS.iter().any(|(c, _)| *c == code) {
            let valides: Vec<&str> = PUBLICS.iter().map(|(c, _)| *c).collect();
            return Err(format!(
                "{} ; {}",
                super::texte::inconnu("public", brut),
                super::texte::valeurs_possibles(brut, &valides)
            ));
        }
        codes.push(code);
    }
    codes.sort();
    codes.dedup();
    Ok(codes)
}

/// A family or given name: 1 to 100 characters, at least one letter.
pub fn nom(champ: &str, valeur: &str) -> Result<String, String> {
    let v = champ_libre(champ, valeur, 100)?;
    if !v.chars().any(char::is_alphabetic) {
        return Err(format!("{champ} : au moins une lettre est attendue"));
    }
    Ok(v)
}

/// Older than this, a person is not alive: the birth date is a typing mistake.
pub const AGE_IMPOSSIBLE: i32 = 120;
/// Older than this, a birth date is possible but more likely mistyped: said, not refused.
pub const AGE_IMPROBABLE: i32 = 100;
/// Younger than this, a person is not yet of the public of insertion towards employment
/// (the youngest measures, PACEA and CEJ, begin at 16): said, not refused.
pub const AGE_MINIMUM: i32 = 16;

/// A birth date must be in the past and less than [`AGE_IMPOSSIBLE`] years ago. The date
/// is not echoed: it is personal data.
pub fn naissance(date: NaiveDate, aujourdhui: NaiveDate) -> Result<NaiveDate, UserError> {
    let aide = "vérifiez l'année et l'ordre jour/mois : la date s'écrit JJ/MM/AAAA ou AAAA-MM-JJ";
    if date > aujourdhui {
        return Err(erreur("date de naissance dans le futur")
            .aide(format!("{aide} (aujourd'hui : {})", super::date::fr(aujourdhui))));
    }
    if plus_de(AGE_IMPOSSIBLE, date, aujourdhui) {
        return Err(erreur(format!(
            "date de naissance impossible : plus de {AGE_IMPOSSIBLE} ans avant aujourd'hui"
        ))
        .aide(aide));
    }
    Ok(date)
}

/// Whether `date` is more than `ans` years before `aujourdhui`.
fn plus_de(ans: i32, date: NaiveDate, aujourdhui: NaiveDate) -> bool {
    super::date::mois_avant(aujourdhui, ans.unsigned_abs() * 12).is_ok_and(|limite| date < limite)
}

/// The warning for a birth date more than [`AGE_IMPROBABLE`] years ago, or less than
/// [`AGE_MINIMUM`] (the date not echoed), `None` for a likely one.
pub fn naissance_improbable(date: NaiveDate, aujourdhui: NaiveDate) -> Option<String> {
    let corriger = "corrigez-la au besoin avec `spie parcours modifier DOSSIER --naissance JJ/MM/AAAA`";
    if plus_de(AGE_IMPROBABLE, date, aujourdhui) {
        return Some(format!(
            "la date de naissance donne plus de {AGE_IMPROBABLE} ans : vérifiez l'année ({corriger})"
        ));
    }
    (super::date::age(date, aujourdhui) < AGE_MINIMUM).then(|| {
        format!(
            "la date de naissance donne moins de {AGE_MINIMUM} ans : l'accompagnement vers l'emploi commence à \
             {AGE_MINIMUM} ans ; vérifiez l'année ({corriger})"
        )
    })
}

/// French numbers are stored as `06 12 34 56 78`; `+33 6 12…` and `0612345678` are the
/// same number. Foreign numbers keep their `+` and digits.
pub fn telephone(valeur: &str) -> Result<String, String> {
    let v = valeur.trim();
    let seulement_separateurs = v
        .bytes()
        .all(|c| c.is_ascii_digit() || matches!(c, b' ' | b'.' | b'-' | b'+' | b'(' | b')'));
    let chiffres: String = v.chars().filter(char::is_ascii_digit).collect();
    let erreur = || "téléphone illisible : attendu 10 chiffres (06 12 34 56 78) ou +33…".to_string();
    if !seulement_separateurs || chiffres.is_empty() {
        return Err(erreur());
    }
    let international = v.starts_with('+') || (chiffres.starts_with("00") && !chiffres.starts_with("000"));
    let national = if international {
        let sans_prefixe = chiffres.strip_prefix("00").unwrap_or(&chiffres);
        match sans_prefixe.strip_prefix("33") {
            Some(reste) => format!("0{}", reste.strip_prefix('0').unwrap_or(reste)),
            None if (8..=15).contains(&sans_prefixe.len()) => return Ok(format!("+{sans_prefixe}")),
            None => return Err(erreur()),
        }
    } else {
        chiffres
    };
    if national.len() != 10 || !national.starts_with('0') || national.as_bytes()[1] == b'0' {
        return Err(erreur());
    }
    let mut ecrit = String::with_capacity(14);
    for i in 0..5 {
        if i > 0 {
            ecrit.push(' ');
        }
        ecrit.push_str(&national[2 * i..2 * i + 2]);
    }
    Ok(ecrit)
}

/// The identifier at France Travail (ex-Pôle emploi): 7 digits and a letter or digit,
/// sometimes followed by a 3-digit office code; stored in upper case, without spaces.
pub fn france_travail(valeur: &str) -> Result<String, String> {
    let v: String = valeur
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_uppercase();
    let b = v.as_bytes();
    let forme = (b.len() == 8 || b.len() == 11)
        && b[..7].iter().all(u8::is_ascii_digit)
        && b[7].is_ascii_alphanumeric()
        && b[8..].iter().all(u8::is_ascii_digit);
    if forme {
        Ok(v)
    } else {
        Err("identifiant France Travail illisible : attendu 7 chiffres et une lettre ou un chiffre (1234567A)".into())
    }
}

/// The allocataire number at the CAF: 5 to 10 digits, without spaces.
pub fn caf(valeur: &str) -> Result<String, String> {
    let v: String = valeur.chars().filter(|c| !c.is_whitespace()).collect();
    if (5..=10).contains(&v.len()) && v.bytes().all(|b| b.is_ascii_digit()) {
        Ok(v)
    } else {
        Err("numéro d'allocataire CAF illisible : attendu 5 à 10 chiffres".into())
    }
}

/// A postal address: 1 to 200 characters without control characters; its lines
/// separated by « ; » (spaces around them tidied).
pub fn adresse(valeur: &str) -> Result<String, String> {
    let lignes: Vec<String> = valeur
        .split([';', '\n'])
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|l| !l.is_empty())
        .collect();
    let v = champ_libre("--adresse", &lignes.join(" ; "), 200)?;
    if v.is_empty() {
        return Err("--adresse : l'adresse est vide".into());
    }
    Ok(v)
}

/// An e-mail address, checked for shape only; the domain is lower-cased.
pub fn courriel(valeur: &str) -> Result<String, String> {
    let v = valeur.trim();
    let erreur = || "courriel illisible : attendu nom@domaine.fr".to_string();
    let (local, domaine) = v.split_once('@').ok_or_else(erreur)?;
    let domaine_ok =
        domaine.contains('.') && !domaine.starts_with('.') && !domaine.ends_with('.') && !domaine.contains('@');
    if local.is_empty() || !domaine_ok || v.len() > 254 || v.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(erreur());
    }
    Ok(format!("{local}@{}", domaine.to_lowercase()))
}

/// What identifies and reaches a person. Never written to logs or error messages.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Identite {
    pub nom: String,
    pub prenom: String,
    pub naissance: NaiveDate,
    pub sexe: Option<Sexe>,
    /// INSEE code of the commune of residence.
    pub commune: String,
    pub telephone: Option<String>,
    pub courriel: Option<String>,
    pub publics: Vec<String>,
    /// Identifier at France Travail.
    pub france_travail: Option<String>,
    /// Allocataire number at the CAF.
    pub caf: Option<String>,
    /// Postal address (street, complement), printed on a letter sent by post.
    pub adresse: Option<String>,
}

/// A dossier: its number, the person's identity, the day it was created.
#[derive(Debug, Clone, Serialize)]
pub struct Personne {
    pub dossier: i64,
    #[serde(flatten)]
    pub identite: Identite,
    pub cree_le: NaiveDate,
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn identifiers_are_checked_and_stored_in_one_form() {
        assert_eq!(france_travail(" 1234567a ").as_deref(), Ok("1234567A"));
        assert_eq!(france_travail("1234567A 055").as_deref(), Ok("1234567A055"));
        for mauvais in ["123456A", "12345678901234", "ABCDEFGH", "1234567-"] {
            assert!(france_travail(mauvais).is_err(), "{mauvais}");
        }
        assert_eq!(caf("12 345 67").as_deref(), Ok("1234567"));
        assert!(caf("12a4567").is_err());
        assert!(caf("1234").is_err());
    }

    #[test]
    fn publics_are_sorted_deduplicated_and_checked() {
        assert_eq!(publics("RSA, de,rsa,"), Ok(vec!["de".to_string(), "rsa".to_string()]));
        assert_eq!(publics(""), Ok(vec![]));
        let e = publics("rsa,chomeur").unwrap_err();
        assert!(e.contains("chomeur") && e.contains("rqth"), "{e}");
    }

    #[test]
    fn every_public_maps_to_data_inclusion_publics() {
        for (code, _) in PUBLICS {
            let di = publics_data_inclusion(code);
            assert!(!di.is_empty(), "{code}");
            for p in di {
                assert!(crate::referentiel::listes::PUBLICS.contient(p), "{p}");
            }
        }
    }

    #[test]
    fn phone_numbers_are_normalised() {
        assert_eq!(telephone("0612345678").as_deref(), Ok("06 12 34 56 78"));
        assert_eq!(telephone("+33 6 12 34 56 78").as_deref(), Ok("06 12 34 56 78"));
        assert_eq!(telephone("+33 (0)3 29 12 34 56").as_deref(), Ok("03 29 12 34 56"));
        assert_eq!(telephone("06.12.34.56.78").as_deref(), Ok("06 12 34 56 78"));
        assert_eq!(telephone("+32 470 12 34 56").as_deref(), Ok("+32470123456"));
        for mauvais in ["", "06 12", "abc", "0012", "00 00 00 00 00", "06123456789"] {
            assert!(telephone(mauvais).is_err(), "{mauvais}");
        }
    }

    #[test]
    fn e_mail_shape_is_checked() {
        assert_eq!(courriel(" Marie.D@Exemple.FR ").as_deref(), Ok("Marie.D@exemple.fr"));
        for mauvais in [
            "", "marie", "@exemple.fr", "marie@", "marie@exemple", "ma rie@exemple.fr", "a@b@c.fr",
        ] {
            assert!(courriel(mauvais).is_err(), "{mauvais}");
        }
    }

    #[test]
    fn names_need_a_letter() {
        assert_eq!(nom("nom", " Lefèvre ").as_deref(), Ok("Lefèvre"));
        assert!(nom("nom", "1234").is_err());
        assert!(nom("nom", "").is_err());
    }

    #[test]
    fn birth_dates_are_plausible() {
        let jour = NaiveDate::from_ymd_opt(2026, 11, 26).unwrap();
        assert!(naissance(NaiveDate::from_ymd_opt(2026, 11, 27).unwrap(), jour).is_err());
        assert!(naissance(NaiveDate::from_ymd_opt(1899, 12, 31).unwrap(), jour).is_err());
        // 120 years is the limit; more than 100 is warned.
        use chrono::Datelike;
        let il_y_a = |ans: i32, jours: i64| {
            NaiveDate::from_ymd_opt(jour.year() - ans, jour.month(), jour.day()).unwrap()
                + chrono::Duration::days(jours)
        };
        assert!(naissance(il_y_a(120, 0), jour).is_ok());
        assert!(naissance(il_y_a(120, -1), jour).is_err());
        assert!(naissance_improbable(il_y_a(100, 0), jour).is_none());
        assert!(naissance_improbable(il_y_a(100, -1), jour).is_some());
        assert!(naissance_improbable(il_y_a(40, 0), jour).is_none());
        // Younger than 16 is warned.
        assert!(naissance_improbable(il_y_a(16, 0), jour).is_none());
        assert!(naissance_improbable(il_y_a(16, 1), jour).is_some());
        assert!(naissance_improbable(il_y_a(7, 0), jour).is_some());
        assert!(naissance(NaiveDate::from_ymd_opt(1990, 5, 1).unwrap(), jour).is_ok());
    }

    proptest! {
        #[test]
        fn validators_never_panic(s in "\\PC{0,40}") {
            let _ = telephone(&s);
            let _ = courriel(&s);
            let _ = nom("nom", &s);
            let _ = publics(&s);
        }

        #[test]
        fn a_normalised_phone_is_stable(n in 100_000_000u64..999_999_999) {
            let brut = format!("0{n}");
            if let Ok(t) = telephone(&brut) {
                prop_assert_eq!(telephone(&t), Ok(t.clone()));
            }
        }
    }
}
