//! Who a contract is for, as the base can tell from what it records: a warning, never a
//! refusal (the caseworker may know what the base does not).
//!
//! - CEJ (contrat d'engagement jeune) and PACEA: from 16 to 25 years old on the first day
//!   of the contract; the CEJ up to 29 with a recognised disability (RQTH).
//! - CER (contrat d'engagements réciproques): a beneficiary of the RSA.
//! - PPAE (projet personnalisé d'accès à l'emploi): someone registered at France Travail
//!   (an identifier recorded, or the situation « demandeur d'emploi »).

use chrono::NaiveDate;
use serde::Serialize;

use super::date::{age, fr};
use super::personne::Identite;
use super::rdv::TypeContrat;

/// A contract, as the dossier and the to-do list show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Contrat {
    pub id: i64,
    #[serde(rename = "type")]
    pub type_: TypeContrat,
    pub debut: NaiveDate,
    pub fin: NaiveDate,
}

/// How a contract being recorded (or corrected) meets the dossier's other contracts of the
/// same type: the very same one is refused (a second command typed by mistake), an overlap
/// is only signalled (a renewal signed before the end of the previous one happens).
#[derive(Debug, PartialEq, Eq)]
pub enum Recouvrement {
    /// The same type and the same dates: the number of the contract already recorded.
    Identique(i64),
    /// The same type over common days: the numbers of those contracts.
    Chevauche(Vec<i64>),
}

/// Compares the contract `type_` from `debut` to `fin` with `autres` (the dossier's
/// contracts still in force in the base, without the one corrected).
pub fn recouvrement(type_: TypeContrat, debut: NaiveDate, fin: NaiveDate, autres: &[Contrat]) -> Option<Recouvrement> {
    let memes = autres.iter().filter(|c| c.type_ == type_);
    if let Some(c) = memes.clone().find(|c| c.debut == debut && c.fin == fin) {
        return Some(Recouvrement::Identique(c.id));
    }
    let chevauches: Vec<i64> = memes
        .filter(|c| c.debut <= fin && debut <= c.fin)
        .map(|c| c.id)
        .collect();
    (!chevauches.is_empty()).then_some(Recouvrement::Chevauche(chevauches))
}

/// The warning for a contract overlapping others of its type.
pub fn avertissement_chevauchement(type_: TypeContrat, ids: &[i64]) -> String {
    let numeros: Vec<String> = ids.iter().map(|i| format!("n° {i}")).collect();
    let id = match ids {
        [un] => un.to_string(),
        _ => "ID".to_owned(),
    };
    format!(
        "ce contrat chevauche le contrat {} {} (mêmes jours couverts) ; s'il le remplace, \
         corrigez les dates de l'ancien avec `spie parcours contrat corriger {id} --fin … --motif \"…\"`",
        type_.mot(),
        numeros.join(", ")
    )
}

/// The warning for a contract starting before the entry in the parcours, `None` otherwise.
pub fn avertissement_entree(debut: NaiveDate, entree: NaiveDate) -> Option<String> {
    (debut < entree).then(|| {
        format!(
            "le contrat commence avant l'entrée dans le parcours ({}) : vérifiez la date de début",
            fr(entree)
        )
    })
}

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

    fn contrat(id: i64, type_: TypeContrat, debut: NaiveDate, fin: NaiveDate) -> Contrat {
        Contrat { id, type_, debut, fin }
    }

    #[test]
    fn the_same_contract_is_identical_a_common_day_overlaps() {
        let autres = [
            contrat(1, TypeContrat::Cer, j(2026, 9, 1), j(2027, 2, 28)),
            contrat(2, TypeContrat::Ppae, j(2026, 9, 1), j(2027, 2, 28)),
        ];
        let r = |t, d, f| recouvrement(t, d, f, &autres);
        assert_eq!(
            r(TypeContrat::Cer, j(2026, 9, 1), j(2027, 2, 28)),
            Some(Recouvrement::Identique(1))
        );
        // The last day of one, the first of the other: one common day.
        assert_eq!(
            r(TypeContrat::Cer, j(2027, 2, 28), j(2027, 8, 31)),
            Some(Recouvrement::Chevauche(vec![1]))
        );
        assert_eq!(
            r(TypeContrat::Cer, j(2026, 1, 1), j(2026, 9, 1)),
            Some(Recouvrement::Chevauche(vec![1]))
        );
        // The day after: none; another type: none.
        assert_eq!(r(TypeContrat::Cer, j(2027, 3, 1), j(2027, 8, 31)), None);
        assert_eq!(r(TypeContrat::Cej, j(2026, 9, 1), j(2027, 2, 28)), None);
        assert_eq!(r(TypeContrat::Cer, j(2026, 1, 1), j(2026, 8, 31)), None);
    }

    #[test]
    fn a_contract_may_start_on_the_entry_not_before() {
        assert_eq!(avertissement_entree(j(2026, 9, 1), j(2026, 9, 1)), None);
        let e = avertissement_entree(j(2026, 8, 31), j(2026, 9, 1)).unwrap();
        assert!(e.contains("avant l'entrée dans le parcours (01/09/2026)"), "{e}");
        let e = avertissement_chevauchement(TypeContrat::Cer, &[3, 4]);
        assert!(e.contains("chevauche le contrat CER n° 3, n° 4"), "{e}");
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
