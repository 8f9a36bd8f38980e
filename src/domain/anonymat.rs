//! k-anonymity of the Département's row file: every combination of quasi-identifiers
//! (age band, sex, EPCI, entry, exit and its motif) published for a row is shared by at
//! least `k` rows, so that no row can be tied to one person by what a neighbour or a colleague
//! knows of them.
//!
//! First the values are generalised, the same way for every row (global recoding), at
//! the finest level that leaves at most one row in twenty alone (else the level that
//! leaves the fewest): the entry date becomes a month, a quarter, a year, or only "in
//! the month / before it"; then EPCI with fewer than 4, then 16 times `k` rows become
//! `autres` (those with fewer than `k` always do); then the age bands are joined
//! (`tous`). Then every row still in a class under `k` has
//! all its quasi-identifiers written `secret`; if those rows are themselves fewer than
//! `k`, the smallest classes join them until they are not. A file of fewer than `k` rows
//! publishes none.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};

use super::indicateurs::Mois;
use super::secret::SECRET;

/// What a row's quasi-identifiers are before generalisation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quasi {
    pub tranche_age: &'static str,
    /// `f`, `m` or empty.
    pub sexe: String,
    /// SIREN of the EPCI of residence, empty when unknown.
    pub epci: String,
    pub entree: NaiveDate,
    /// The exit, when it falls in the month (a later one is not known at D1).
    pub sortie: Option<NaiveDate>,
    /// Its motif: whoever knows someone left for a job knows it too.
    pub motif: Option<String>,
}

/// The published quasi-identifiers of a row: age band, sex, EPCI, entry, exit, exit
/// motif.
pub type Publie = [String; 6];

/// The EPCI of too few rows, together.
pub const AUTRES: &str = "autres";
/// Every age band together.
pub const TOUS: &str = "tous";

/// One way to generalise the whole file.
struct Niveau {
    entree: Entree,
    /// An EPCI is published when it has at least this many times `k` rows.
    epci_min: usize,
    ages: bool,
}

/// From the finest to the coarsest: the entry first, then the EPCI, then the ages.
fn niveaux() -> Vec<Niveau> {
    let mut n: Vec<Niveau> = Entree::TOUTES
        .iter()
        .map(|e| Niveau {
            entree: *e,
            epci_min: 1,
            ages: true,
        })
        .collect();
    for epci_min in [4, 16] {
        n.push(Niveau {
            entree: Entree::Anciennete,
            epci_min,
            ages: true,
        });
    }
    n.push(Niveau {
        entree: Entree::Anciennete,
        epci_min: 16,
        ages: false,
    });
    n
}

/// How finely the entry date is published.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Entree {
    Mois,
    Trimestre,
    Annee,
    /// Only whether the parcours began in the month or before it.
    Anciennete,
}

impl Entree {
    const TOUTES: [Entree; 4] = [Entree::Mois, Entree::Trimestre, Entree::Annee, Entree::Anciennete];

    /// `2026-03`, `2026-T1`, `2026`, or `avant 2026-10`.
    pub fn ecrire(self, entree: NaiveDate, mois: Mois) -> String {
        match self {
            Entree::Mois => entree.format("%Y-%m").to_string(),
            Entree::Trimestre => format!("{}-T{}", entree.year(), entree.month0() / 3 + 1),
            Entree::Annee => entree.year().to_string(),
            Entree::Anciennete if mois.contient(entree) => mois.code(),
            Entree::Anciennete => format!("avant {}", mois.code()),
        }
    }
}

/// The published quasi-identifiers of each row, in order; `None` for a row left out
/// (only when the whole file has fewer than `k` rows).
pub fn anonymiser(mois: Mois, lignes: &[Quasi], k: usize) -> Vec<Option<Publie>> {
    if lignes.len() < k {
        return vec![None; lignes.len()];
    }
    let mut par_epci: BTreeMap<&str, usize> = BTreeMap::new();
    for l in lignes {
        *par_epci.entry(&l.epci).or_default() += 1;
    }
    let generaliser = |niveau: &Niveau| -> Vec<Publie> {
        lignes
            .iter()
            .map(|l| {
                [
                    if niveau.ages {
                        l.tranche_age.to_owned()
                    } else {
                        TOUS.to_owned()
                    },
                    l.sexe.clone(),
                    if par_epci[l.epci.as_str()] >= niveau.epci_min * k {
                        l.epci.clone()
                    } else {
                        AUTRES.to_owned()
                    },
                    niveau.entree.ecrire(l.entree, mois),
                    l.sortie.map(|_| mois.code()).unwrap_or_default(),
                    l.motif.clone().unwrap_or_default(),
                ]
            })
            .collect()
    };
    let seuls = |publies: &[Publie]| -> usize { classes(publies).values().filter(|n| **n < k).sum() };
    // The finest level that leaves at most one row in twenty alone; else the one that
    // leaves the fewest (the finest of those).
    let mut meilleur: Option<(usize, Vec<Publie>)> = None;
    for niveau in niveaux() {
        let publies = generaliser(&niveau);
        let n = seuls(&publies);
        if n * 20 <= lignes.len() {
            meilleur = Some((n, publies));
            break;
        }
        if meilleur.as_ref().is_none_or(|(m, _)| n < *m) {
            meilleur = Some((n, publies));
        }
    }
    let publies = meilleur.map(|(_, p)| p).unwrap_or_default();
    supprimer(publies, k).into_iter().map(Some).collect()
}

fn classes(publies: &[Publie]) -> BTreeMap<&Publie, usize> {
    let mut classes: BTreeMap<&Publie, usize> = BTreeMap::new();
    for p in publies {
        *classes.entry(p).or_default() += 1;
    }
    classes
}

/// Rows of classes under `k` get `secret` everywhere; the smallest classes join them
/// while they are fewer than `k`.
fn supprimer(mut publies: Vec<Publie>, k: usize) -> Vec<Publie> {
    let secret: Publie = std::array::from_fn(|_| SECRET.to_owned());
    let tailles: BTreeMap<Publie, usize> = classes(&publies).into_iter().map(|(p, n)| (p.clone(), n)).collect();
    let mut a_cacher: Vec<&Publie> = tailles.iter().filter(|(_, n)| **n < k).map(|(p, _)| p).collect();
    let mut caches: usize = a_cacher.iter().map(|p| tailles[*p]).sum();
    if caches > 0 && caches < k {
        let mut autres: Vec<(&Publie, usize)> =
            tailles.iter().filter(|(_, n)| **n >= k).map(|(p, n)| (p, *n)).collect();
        autres.sort_by_key(|(p, n)| (*n, *p));
        for (p, n) in autres {
            if caches >= k {
                break;
            }
            a_cacher.push(p);
            caches += n;
        }
    }
    for p in &mut publies {
        if a_cacher.contains(&&*p) {
            *p = secret.clone();
        }
    }
    publies
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(a: i32, m: u32, j: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(a, m, j).unwrap()
    }

    #[test]
    fn entries_are_written_at_each_level() {
        let m = Mois::lire("2026-10").unwrap();
        let e = d(2026, 2, 14);
        assert_eq!(Entree::Mois.ecrire(e, m), "2026-02");
        assert_eq!(Entree::Trimestre.ecrire(e, m), "2026-T1");
        assert_eq!(Entree::Annee.ecrire(e, m), "2026");
        assert_eq!(Entree::Anciennete.ecrire(e, m), "avant 2026-10");
        assert_eq!(Entree::Anciennete.ecrire(d(2026, 10, 3), m), "2026-10");
    }

    #[test]
    fn a_lone_row_is_hidden_with_the_smallest_class() {
        let m = Mois::lire("2026-10").unwrap();
        let q = |epci: &str, age: &'static str| Quasi {
            tranche_age: age,
            sexe: "f".into(),
            epci: epci.into(),
            entree: d(2026, 10, 1),
            sortie: None,
            motif: None,
        };
        let mut lignes = vec![q("A", "26 à 49 ans"); 30];
        lignes.extend(vec![q("A", "50 ans et plus"); 5]);
        lignes.push(q("A", "moins de 26 ans"));
        let p = anonymiser(m, &lignes, 5);
        // One row alone in 36 is few enough to keep the finest level: the lone row and
        // the class of five are hidden together; the thirty stay.
        let caches = p.iter().filter(|r| r.as_ref().unwrap()[0] == SECRET).count();
        assert_eq!(caches, 6, "{p:?}");
        assert!(p[..30].iter().all(|r| r.as_ref().unwrap()[0] == "26 à 49 ans"));
        // One alone in twelve is too many: the ages are joined rather than rows hidden.
        let p = anonymiser(m, &lignes[24..], 5);
        assert!(p.iter().all(|r| r.as_ref().unwrap()[0] == TOUS), "{p:?}");
        // Fewer rows than k: nothing is published.
        assert!(anonymiser(m, &lignes[..4], 5).iter().all(Option::is_none));
    }

    fn quasi() -> impl Strategy<Value = Quasi> {
        (
            prop::sample::select(vec!["moins de 26 ans", "26 à 49 ans", "50 ans et plus"]),
            prop::sample::select(vec!["f", "m", ""]),
            prop::sample::select(vec!["200049187", "245500430", "200066116", ""]),
            0i64..900,
            any::<bool>(),
        )
            .prop_map(|(tranche_age, sexe, epci, jours, sortie)| {
                let entree = d(2026, 10, 31) - chrono::Duration::days(jours);
                Quasi {
                    tranche_age,
                    sexe: sexe.into(),
                    epci: epci.into(),
                    entree,
                    sortie: sortie.then(|| d(2026, 10, 31)),
                    motif: sortie.then(|| "iae".to_string()),
                }
            })
    }

    proptest! {
        /// Whatever the rows: every published combination is shared by at least k rows,
        /// and every published value is true of its row.
        #[test]
        fn every_class_has_k_rows_and_tells_the_truth(lignes in prop::collection::vec(quasi(), 0..150), k in 2usize..8) {
            let m = Mois::lire("2026-10").unwrap();
            let p = anonymiser(m, &lignes, k);
            prop_assert_eq!(p.len(), lignes.len());
            let publies: Vec<Publie> = p.iter().flatten().cloned().collect();
            for n in classes(&publies).values() {
                prop_assert!(*n >= k);
            }
            for (l, r) in lignes.iter().zip(&p) {
                let Some(r) = r else { continue };
                if r[0] == SECRET {
                    prop_assert!(r.iter().all(|c| c == SECRET));
                    continue;
                }
                prop_assert!(r[0] == l.tranche_age || r[0] == TOUS);
                prop_assert_eq!(&r[1], &l.sexe);
                prop_assert!(r[2] == l.epci || r[2] == AUTRES);
                let entree = &r[3];
                prop_assert!(Entree::TOUTES.iter().any(|n| &n.ecrire(l.entree, m) == entree), "{entree}");
                prop_assert_eq!(r[4].is_empty(), l.sortie.is_none());
                prop_assert_eq!(&r[5], &l.motif.clone().unwrap_or_default());
            }
        }
    }
}
