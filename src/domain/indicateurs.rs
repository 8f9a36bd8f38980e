//! The monthly indicators of DESIGN.md §6, computed from the parcours as they stood on
//! each date (dated records, not current state). Pure: the db layer gives one line per
//! parcours of the month with what each rule needs.

use std::collections::BTreeMap;

use chrono::{Datelike, Days, NaiveDate};
use serde::Serialize;

use super::diagnostic::Orientation;
use super::grille::Dimension;
use super::parcours::MotifSortie;

/// A calendar month.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mois {
    pub d0: NaiveDate,
    pub d1: NaiveDate,
}

impl Mois {
    /// `2026-10` → October 2026.
    pub fn lire(texte: &str) -> Result<Mois, String> {
        let erreur = || format!("mois « {} » illisible : attendu AAAA-MM", texte.trim());
        let (a, m) = texte.trim().split_once('-').ok_or_else(erreur)?;
        let (a, m): (i32, u32) = (a.parse().map_err(|_| erreur())?, m.parse().map_err(|_| erreur())?);
        let d0 = NaiveDate::from_ymd_opt(a, m, 1).ok_or_else(erreur)?;
        Ok(Mois::de(d0))
    }

    pub fn de(jour: NaiveDate) -> Mois {
        let d0 = jour.with_day(1).expect("day 1 exists");
        let d1 = d0 + chrono::Months::new(1) - Days::new(1);
        Mois { d0, d1 }
    }

    /// The last complete month before `jour`.
    pub fn precedent(jour: NaiveDate) -> Mois {
        Mois::de(jour.with_day(1).expect("day 1 exists") - Days::new(1))
    }

    pub fn contient(&self, jour: NaiveDate) -> bool {
        (self.d0..=self.d1).contains(&jour)
    }

    pub fn code(&self) -> String {
        self.d0.format("%Y-%m").to_string()
    }
}

/// One parcours that existed during the month, with its dated facts.
#[derive(Debug, Clone, Default)]
pub struct LigneParcours {
    pub entree: NaiveDate,
    pub sortie: Option<NaiveDate>,
    pub motif_sortie: Option<MotifSortie>,
    /// The first diagnostic of the parcours.
    pub premier_diagnostic: Option<NaiveDate>,
    /// The orientation decided last on or before D1.
    pub orientation_d1: Option<Orientation>,
    /// An active référent at D1.
    pub referent_d1: bool,
    /// A contact with the person in ]D1 − 90 days, D1].
    pub contact_90j: bool,
    /// Dimensions rated moyen or fort by the last diagnostic on or before D1.
    pub freins_d1: Vec<Dimension>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Orientations {
    pub pro: usize,
    pub sociopro: usize,
    pub social: usize,
    pub non_oriente: usize,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Indicateurs {
    pub mois: String,
    pub file_active: usize,
    pub entrees: usize,
    pub sorties: usize,
    pub sorties_par_motif: BTreeMap<String, usize>,
    pub sorties_emploi: usize,
    pub diagnostics: usize,
    pub taux_diagnostic_30j: Option<f64>,
    /// True while the 30-day window of the month's last entries is not over.
    pub provisoire: bool,
    pub delai_median_diagnostic: Option<f64>,
    pub orientations: Orientations,
    pub taux_referent: Option<f64>,
    pub taux_contact_90j: Option<f64>,
    pub freins: BTreeMap<String, usize>,
    pub actions_creees: BTreeMap<String, usize>,
    pub actions_realisees: BTreeMap<String, usize>,
    pub prescriptions: BTreeMap<String, usize>,
}

fn taux(n: usize, total: usize) -> Option<f64> {
    (total > 0).then(|| n as f64 / total as f64)
}

fn mediane(mut valeurs: Vec<i64>) -> Option<f64> {
    if valeurs.is_empty() {
        return None;
    }
    valeurs.sort_unstable();
    let m = valeurs.len() / 2;
    Some(if valeurs.len() % 2 == 1 {
        valeurs[m] as f64
    } else {
        (valeurs[m - 1] + valeurs[m]) as f64 / 2.0
    })
}

/// What is counted outside the parcours lines: diagnostics, actions and prescriptions of
/// the month.
#[derive(Debug, Clone, Default)]
pub struct Comptes {
    pub diagnostics: usize,
    pub actions_creees: BTreeMap<String, usize>,
    pub actions_realisees: BTreeMap<String, usize>,
    pub prescriptions: BTreeMap<String, usize>,
}

pub fn calculer(mois: Mois, aujourdhui: NaiveDate, lignes: &[LigneParcours], comptes: Comptes) -> Indicateurs {
    let d1 = mois.d1;
    let actifs: Vec<&LigneParcours> = lignes
        .iter()
        .filter(|l| l.entree <= d1 && l.sortie.is_none_or(|s| s > d1))
        .collect();
    let entrees: Vec<&LigneParcours> = lignes.iter().filter(|l| mois.contient(l.entree)).collect();
    let sorties: Vec<&LigneParcours> = lignes
        .iter()
        .filter(|l| l.sortie.is_some_and(|s| mois.contient(s)))
        .collect();
    let mut par_motif: BTreeMap<String, usize> = BTreeMap::new();
    for l in &sorties {
        *par_motif
            .entry(l.motif_sortie.map_or("inconnu", |m| m.code()).to_owned())
            .or_default() += 1;
    }
    let emploi = [
        MotifSortie::EmploiDurable,
        MotifSortie::EmploiTemporaire,
        MotifSortie::CreationEntreprise,
        MotifSortie::Iae,
    ];
    let a_temps = entrees
        .iter()
        .filter(|l| l.premier_diagnostic.is_some_and(|d| d <= l.entree + Days::new(30)))
        .count();
    let delais: Vec<i64> = entrees
        .iter()
        .filter_map(|l| l.premier_diagnostic.map(|d| (d - l.entree).num_days()))
        .collect();
    let mut orientations = Orientations::default();
    for l in &actifs {
        match l.orientation_d1 {
            Some(Orientation::Pro) => orientations.pro += 1,
            Some(Orientation::Sociopro) => orientations.sociopro += 1,
            Some(Orientation::Social) => orientations.social += 1,
            None => orientations.non_oriente += 1,
        }
    }
    let mut freins: BTreeMap<String, usize> = Dimension::TOUS.iter().map(|d| (d.code().to_owned(), 0)).collect();
    for l in &actifs {
        for d in &l.freins_d1 {
            *freins.entry(d.code().to_owned()).or_default() += 1;
        }
    }
    Indicateurs {
        mois: mois.code(),
        file_active: actifs.len(),
        entrees: entrees.len(),
        sorties: sorties.len(),
        sorties_emploi: sorties
            .iter()
            .filter(|l| l.motif_sortie.is_some_and(|m| emploi.contains(&m)))
            .count(),
        sorties_par_motif: par_motif,
        diagnostics: comptes.diagnostics,
        taux_diagnostic_30j: taux(a_temps, entrees.len()),
        provisoire: aujourdhui < d1 + Days::new(30),
        delai_median_diagnostic: mediane(delais),
        orientations,
        taux_referent: taux(actifs.iter().filter(|l| l.referent_d1).count(), actifs.len()),
        taux_contact_90j: taux(actifs.iter().filter(|l| l.contact_90j).count(), actifs.len()),
        freins,
        actions_creees: comptes.actions_creees,
        actions_realisees: comptes.actions_realisees,
        prescriptions: comptes.prescriptions,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(a: i32, m: u32, j: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(a, m, j).unwrap()
    }

    #[test]
    fn months_are_read_and_bounded() {
        let m = Mois::lire("2026-02").unwrap();
        assert_eq!((m.d0, m.d1), (d(2026, 2, 1), d(2026, 2, 28)));
        assert_eq!(Mois::precedent(d(2026, 11, 26)).code(), "2026-10");
        assert_eq!(Mois::precedent(d(2026, 1, 5)).code(), "2025-12");
        assert!(Mois::lire("2026-13").is_err() && Mois::lire("octobre").is_err());
    }

    #[test]
    fn boundaries_of_the_month() {
        let m = Mois::lire("2026-10").unwrap();
        let lignes = vec![
            // Entered on D1, diagnosed on day 30: on time.
            LigneParcours {
                entree: d(2026, 10, 31),
                premier_diagnostic: Some(d(2026, 11, 30)),
                ..Default::default()
            },
            // Entered on D0, diagnosed on day 31: late.
            LigneParcours {
                entree: d(2026, 10, 1),
                premier_diagnostic: Some(d(2026, 11, 1)),
                referent_d1: true,
                ..Default::default()
            },
            // Left on D1: an exit of the month, not in the file active at D1.
            LigneParcours {
                entree: d(2026, 1, 1),
                sortie: Some(d(2026, 10, 31)),
                motif_sortie: Some(MotifSortie::Iae),
                ..Default::default()
            },
            // Left after D1: still active at D1, with a contact and a barrier.
            LigneParcours {
                entree: d(2026, 1, 1),
                sortie: Some(d(2026, 11, 1)),
                motif_sortie: Some(MotifSortie::Abandon),
                contact_90j: true,
                orientation_d1: Some(Orientation::Social),
                freins_d1: vec![Dimension::Mobilite],
                ..Default::default()
            },
        ];
        let i = calculer(m, d(2026, 11, 26), &lignes, Comptes::default());
        assert_eq!((i.file_active, i.entrees, i.sorties, i.sorties_emploi), (3, 2, 1, 1));
        assert_eq!(i.sorties_par_motif, BTreeMap::from([("iae".to_string(), 1)]));
        assert_eq!(i.taux_diagnostic_30j, Some(0.5));
        assert_eq!(i.delai_median_diagnostic, Some(30.5));
        assert!(i.provisoire, "le 26/11 < 30/11");
        assert!(!calculer(m, d(2026, 11, 30), &lignes, Comptes::default()).provisoire);
        assert_eq!(i.taux_referent, Some(1.0 / 3.0));
        assert_eq!(i.taux_contact_90j, Some(1.0 / 3.0));
        assert_eq!(
            i.orientations,
            Orientations {
                pro: 0,
                sociopro: 0,
                social: 1,
                non_oriente: 2
            }
        );
        assert_eq!(i.freins["mobilite"], 1);
        assert_eq!(i.freins["sante"], 0);
    }

    proptest::proptest! {
        #[test]
        fn any_month_text_is_read_or_refused_without_panic(texte in "\\PC{0,12}|-?[0-9]{1,7}-[0-9]{1,3}") {
            if let Ok(m) = Mois::lire(&texte) {
                proptest::prop_assert!(m.d0 <= m.d1 && m.contient(m.d0) && m.contient(m.d1));
                proptest::prop_assert_eq!(Mois::lire(&m.code()), Ok(m));
            }
        }

        #[test]
        fn every_real_month_round_trips(a in 1900i32..=2200, m in 1u32..=12) {
            let mois = Mois::lire(&format!("{a}-{m:02}")).unwrap();
            proptest::prop_assert_eq!(mois.code(), format!("{a}-{m:02}"));
            proptest::prop_assert_eq!(Mois::de(mois.d1), mois);
        }
    }
}
