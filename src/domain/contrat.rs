//! Who a contract is for, as the base can tell from what it records: a warning, never a
//! refusal (the caseworker may know what the base does not).
//!
//! - CEJ (contrat d'engagement jeune) and PACEA: from 16 to 25 years old on the first day
//!   of the contract; the CEJ up to 29 with a recognised disability (RQTH).
//! - CER (contrat d'engagements réciproques): a beneficiary of the RSA.
//! - PPAE (projet personnalisé d'accès à l'emploi): someone registered at France Travail
//!   (an identifier recorded, or the situation « demandeur d'emploi »).

use chrono::NaiveDate;

use super::date::{age, fr};
use super::personne::Identite;
use super::rdv::TypeContrat;

/// Why the recorded data says the person is not eligible to a contract of type `type_`
/// starting on `debut`, as a French sentence that states the rule; `None` when nothing
/// recorded goes against it. Names no personal value (neither birth date nor age).
pub fn avertissement(type_: TypeContrat, personne: &Identite, debut: NaiveDate) -> Option<String> {
    let a_public = |code: &str| personne.publics.iter().any(|p| p == code);
    let ans = age(personne.naissance, debut);
    match type_ {
        TypeContrat::Cej => {
            let limite = if a_public("rqth") { 29 } else { 25 };
            (!(16..=limite).contains(&ans)).then(|| {
                format!(
                    "le CEJ s'adresse aux jeunes de 16 à 25 ans (moins de 30 ans avec une RQTH) ; \
                     d'après le dossier, la personne n'est pas dans cette tranche le {}, premier jour du contrat{}",
                    fr(debut),
                    if a_public("rqth") {
                        ""
                    } else {
                        " (aucune RQTH enregistrée : --public rqth)"
                    }
                )
            })
        }
        TypeContrat::Pacea => (!(16..=25).contains(&ans)).then(|| {
            format!(
                "le PACEA s'adresse aux jeunes de 16 à 25 ans ; d'après le dossier, la personne n'est pas \
                 dans cette tranche le {}, premier jour du contrat",
                fr(debut)
            )
        }),
        TypeContrat::Cer => (!a_public("rsa")).then(|| {
            "le CER est signé par un bénéficiaire du RSA ; le dossier n'indique pas le RSA \
             (à enregistrer avec `spie parcours modifier N --public rsa,…` si c'est le cas)"
                .to_owned()
        }),
        TypeContrat::Ppae => {
            let inscrit = personne.france_travail.is_some() || a_public("de") || a_public("deld");
            (!inscrit).then(|| {
                "le PPAE concerne une personne inscrite à France Travail ; le dossier n'indique ni \
                 identifiant France Travail (--france-travail) ni situation de demandeur d'emploi (--public de)"
                    .to_owned()
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn personne(naissance: (i32, u32, u32), publics: &[&str], france_travail: Option<&str>) -> Identite {
        Identite {
            nom: "N".into(),
            prenom: "P".into(),
            naissance: NaiveDate::from_ymd_opt(naissance.0, naissance.1, naissance.2).unwrap(),
            sexe: None,
            commune: "55545".into(),
            telephone: None,
            courriel: None,
            publics: publics.iter().map(|p| (*p).to_owned()).collect(),
            france_travail: france_travail.map(str::to_owned),
            caf: None,
            adresse: None,
        }
    }

    fn j(a: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(a, m, d).unwrap()
    }

    #[test]
    fn the_cej_and_pacea_take_the_age_on_the_first_day() {
        let p = personne((2000, 6, 15), &[], None);
        // 25 the day before the 26th birthday, 26 on it.
        assert_eq!(avertissement(TypeContrat::Cej, &p, j(2026, 6, 14)), None);
        assert!(avertissement(TypeContrat::Cej, &p, j(2026, 6, 15)).is_some());
        assert_eq!(avertissement(TypeContrat::Pacea, &p, j(2026, 6, 14)), None);
        let e = avertissement(TypeContrat::Pacea, &p, j(2026, 6, 15)).unwrap();
        assert!(e.contains("16 à 25 ans") && e.contains("15/06/2026"), "{e}");
        assert!(!e.contains("2000"), "{e}");
        // 15 years old: too young for both.
        assert!(avertissement(TypeContrat::Cej, &p, j(2016, 1, 1)).is_some());
        assert!(avertissement(TypeContrat::Pacea, &p, j(2016, 1, 1)).is_some());
        assert_eq!(avertissement(TypeContrat::Cej, &p, j(2016, 6, 15)), None);
    }

    #[test]
    fn a_rqth_extends_the_cej_to_29_not_the_pacea() {
        let p = personne((2000, 6, 15), &["rqth"], None);
        assert_eq!(avertissement(TypeContrat::Cej, &p, j(2030, 6, 14)), None);
        assert!(avertissement(TypeContrat::Cej, &p, j(2030, 6, 15)).is_some());
        assert!(avertissement(TypeContrat::Pacea, &p, j(2027, 1, 1)).is_some());
    }

    #[test]
    fn the_cer_needs_the_rsa_and_the_ppae_a_registration() {
        let d = j(2026, 12, 1);
        assert!(avertissement(TypeContrat::Cer, &personne((1980, 1, 1), &["de"], None), d).is_some());
        assert_eq!(
            avertissement(TypeContrat::Cer, &personne((1980, 1, 1), &["rsa"], None), d),
            None
        );
        assert!(avertissement(TypeContrat::Ppae, &personne((1980, 1, 1), &["rsa"], None), d).is_some());
        for (publics, ft) in [(&["de"][..], None), (&["deld"][..], None), (&[][..], Some("1234567A"))] {
            assert_eq!(
                avertissement(TypeContrat::Ppae, &personne((1980, 1, 1), publics, ft), d),
                None
            );
        }
    }
}
