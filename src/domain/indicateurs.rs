//! The monthly indicators (defined in `docs/departement.md`), computed from the parcours as they stood on
//! each date (dated records, not current state). Pure: the db layer gives one line per
//! parcours of the month with what each rule needs.

use std::collections::BTreeMap;

use chrono::{Datelike, Days, NaiveDate};
use serde::Serialize;

use super::diagnostic::Orientation;
use super::grille::Dimension;
use super::indicateurs_journee::{AgregatJournee, IndicateursJournee, LigneJournee};
use super::parcours::MotifSortie;
use super::prescription::StatutPrescription;

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

    /// The month asked for statistics, refused when it has not begun on `aujourdhui`:
    /// no figure exists yet for it.
    pub fn publiable(texte: &str, aujourdhui: NaiveDate) -> Result<Mois, String> {
        let mois = Mois::lire(texte)?;
        if mois.d0 > aujourdhui {
            return Err(format!(
                "le mois {} n'a pas commencé : aucun chiffre n'existe encore pour lui",
                mois.code()
            ));
        }
        Ok(mois)
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
    /// Appointments and contracts.
    pub journee: LigneJournee,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Orientations {
    pub pro: usize,
    pub sociopro: usize,
    pub social: usize,
    pub non_oriente: usize,
}

/// What is counted for the whole base only, not per group: diagnostics, actions and
/// prescriptions dated in the month.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Comptes {
    pub diagnostics: usize,
    pub actions_creees: BTreeMap<String, usize>,
    pub actions_realisees: BTreeMap<String, usize>,
    pub prescriptions: BTreeMap<String, usize>,
    /// The month's outcomes of prescriptions (see [`Agregat::issues_prescriptions`]), by
    /// source of the offer, then outcome.
    pub prescriptions_issues: BTreeMap<String, BTreeMap<String, usize>>,
}

impl Comptes {
    /// The month's outcomes of prescriptions, all sources together, for every outcome
    /// ([`StatutPrescription::ISSUES`], 0 included).
    pub fn issues(&self) -> Vec<(StatutPrescription, usize)> {
        StatutPrescription::ISSUES
            .iter()
            .map(|s| {
                let n = self
                    .prescriptions_issues
                    .values()
                    .map(|m| m.get(s.code()).copied().unwrap_or(0))
                    .sum();
                (*s, n)
            })
            .collect()
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Indicateurs {
    pub mois: String,
    /// The month is not over: every figure can still change.
    pub mois_en_cours: bool,
    pub file_active: usize,
    pub entrees: usize,
    pub sorties: usize,
    pub sorties_par_motif: BTreeMap<String, usize>,
    pub sorties_emploi: usize,
    pub taux_diagnostic_30j: Option<f64>,
    /// True while the 30-day window of the month's last entries is not over.
    pub provisoire: bool,
    /// Entries of the month diagnosed within 30 days (numerator of the rate).
    pub diagnostiques_30j: usize,
    pub delai_median_diagnostic: Option<f64>,
    /// Entries of the month that have a diagnostic (the median's population).
    pub entrees_diagnostiquees: usize,
    pub orientations: Orientations,
    pub taux_referent: Option<f64>,
    pub taux_contact_90j: Option<f64>,
    pub freins: BTreeMap<String, usize>,
    #[serde(flatten)]
    pub journee: IndicateursJournee,
    /// Present for the whole base, absent for a group.
    #[serde(flatten)]
    pub comptes: Option<Comptes>,
}

pub(super) fn taux(n: u64, total: u64) -> Option<f64> {
    (total > 0).then(|| n as f64 / total as f64)
}

/// The median of values given as value → how many times.
pub(super) fn mediane(valeurs: &BTreeMap<i64, u64>) -> Option<f64> {
    let n: u64 = valeurs.values().sum();
    if n == 0 {
        return None;
    }
    // The k-th smallest value (0-based).
    let rang = |k: u64| {
        let mut vus = 0;
        for (v, fois) in valeurs {
            vus += fois;
            if vus > k {
                return *v;
            }
        }
        unreachable!("k < n")
    };
    Some(if n % 2 == 1 {
        rang(n / 2) as f64
    } else {
        (rang(n / 2 - 1) + rang(n / 2)) as f64 / 2.0
    })
}

/// The last day a month's figures can still change: a diagnostic up to 30 days after
/// an entry of the month's last day counts for it.
pub fn fin_provisoire(mois: Mois) -> NaiveDate {
    mois.d1 + Days::new(30)
}

/// The key of one count, borrowed from the counts: `file_active`, `sortie:iae`, `delai:12`.
#[derive(Debug, Clone, Copy)]
pub enum Cle<'a> {
    Simple(&'static str),
    Code(&'static str, &'a str),
    Jours(&'static str, i64),
}

impl std::fmt::Display for Cle<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Cle::Simple(cle) => f.write_str(cle),
            Cle::Code(prefixe, code) => write!(f, "{prefixe}:{code}"),
            Cle::Jours(prefixe, jours) => write!(f, "{prefixe}:{jours}"),
        }
    }
}

/// The counts behind a month's indicators. They add up: over parcours, over groups, and
/// with the residue that erased dossiers leave behind, so that a month's figures stay
/// what they were after the people they counted are gone. Each count is stored under a
/// key (`file_active`, `sortie:iae`, `delai:12`, …): see [`Agregat::cles`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Agregat {
    pub file_active: u64,
    pub entrees: u64,
    /// Exits of the month by motif code.
    pub sorties: BTreeMap<String, u64>,
    /// Entries of the month diagnosed within 30 days.
    pub diagnostiques_30j: u64,
    /// Days from entry to first diagnostic, for entries of the month: days → count.
    pub delais: BTreeMap<i64, u64>,
    /// File active by orientation code at D1 (`non_oriente` without one).
    pub orientations: BTreeMap<String, u64>,
    /// File active with a référent at D1.
    pub avec_referent: u64,
    /// File active with a contact in ]D1 − 90, D1].
    pub contact_90j: u64,
    /// File active whose last diagnostic rates the dimension moyen or fort.
    pub freins: BTreeMap<String, u64>,
    /// Diagnostics dated in the month (whole base only).
    pub diagnostics: u64,
    pub actions_creees: BTreeMap<String, u64>,
    pub actions_realisees: BTreeMap<String, u64>,
    pub prescriptions: BTreeMap<String, u64>,
    /// Prescriptions whose outcome is dated in the month, under `ISSUE:SOURCE`: an answer
    /// (acceptee, refusee), what became of it (realisee, abandonnee), dated the day it was
    /// noted; `sans-reponse` the day the 15 days after it was sent ran out without answer.
    pub issues_prescriptions: BTreeMap<String, u64>,
    pub journee: AgregatJournee,
}

fn ajouter(m: &mut BTreeMap<String, u64>, cle: &str, n: u64) {
    match m.get_mut(cle) {
        Some(v) => *v += n,
        None if n > 0 => {
            m.insert(cle.to_owned(), n);
        }
        None => {}
    }
}

impl Agregat {
    /// The counts of the parcours lines of month `mois`.
    pub fn de_lignes<'a>(mois: Mois, lignes: impl IntoIterator<Item = &'a LigneParcours>) -> Agregat {
        let mut a = Agregat::default();
        for l in lignes {
            a.ligne(mois, l);
        }
        a
    }

    /// Adds one parcours line of month `mois`.
    pub fn ligne(&mut self, mois: Mois, l: &LigneParcours) {
        let d1 = mois.d1;
        let active = l.entree <= d1 && l.sortie.is_none_or(|s| s > d1);
        let entree = mois.contient(l.entree).then_some(l.entree);
        self.journee.ligne(&l.journee, entree, active, fin_provisoire(mois));
        if active {
            self.file_active += 1;
            let orientation = l.orientation_d1.map_or("non_oriente", |o| o.code());
            ajouter(&mut self.orientations, orientation, 1);
            self.avec_referent += u64::from(l.referent_d1);
            self.contact_90j += u64::from(l.contact_90j);
            for d in &l.freins_d1 {
                ajouter(&mut self.freins, d.code(), 1);
            }
        }
        if mois.contient(l.entree) {
            self.entrees += 1;
            // Only what is known 30 days after D1 counts: from then on, the month's
            // figures are final.
            if let Some(d) = l.premier_diagnostic.filter(|d| *d <= fin_provisoire(mois)) {
                *self.delais.entry((d - l.entree).num_days()).or_default() += 1;
                self.diagnostiques_30j += u64::from(d <= l.entree + Days::new(30));
            }
        }
        if l.sortie.is_some_and(|s| mois.contient(s)) {
            ajouter(&mut self.sorties, l.motif_sortie.map_or("inconnu", |m| m.code()), 1);
        }
    }

    pub fn ajouter(&mut self, autre: &Agregat) {
        self.ajouter_fois(autre, 1);
    }

    /// Adds `fois` times the counts of `autre`.
    pub fn ajouter_fois(&mut self, autre: &Agregat, fois: u64) {
        for (cle, n) in autre.cles() {
            self.ajouter_cle(&cle, n * fois);
        }
    }

    /// Every non-zero count under its key: what the residue of erased dossiers stores.
    pub fn cles(&self) -> Vec<(String, u64)> {
        let mut c = Vec::new();
        self.pour_chaque_cle(&mut |cle, n| c.push((cle.to_string(), n)));
        c
    }

    /// Gives `f` every non-zero count with its key, in the order of [`Agregat::cles`],
    /// without building the keys.
    pub fn pour_chaque_cle(&self, f: &mut impl FnMut(Cle<'_>, u64)) {
        let mut un = |cle: Cle<'_>, n: u64| {
            if n > 0 {
                f(cle, n);
            }
        };
        un(Cle::Simple("file_active"), self.file_active);
        un(Cle::Simple("entrees"), self.entrees);
        un(Cle::Simple("diagnostiques_30j"), self.diagnostiques_30j);
        un(Cle::Simple("avec_referent"), self.avec_referent);
        un(Cle::Simple("contact_90j"), self.contact_90j);
        un(Cle::Simple("diagnostics"), self.diagnostics);
        for (prefixe, m) in [
            ("sortie", &self.sorties),
            ("orientation", &self.orientations),
            ("frein", &self.freins),
            ("action_creee", &self.actions_creees),
            ("action_realisee", &self.actions_realisees),
            ("prescription", &self.prescriptions),
            ("issue_prescription", &self.issues_prescriptions),
        ] {
            for (k, n) in m {
                un(Cle::Code(prefixe, k), *n);
            }
        }
        for (jours, n) in &self.delais {
            un(Cle::Jours("delai", *jours), *n);
        }
        self.journee.pour_chaque_cle(&mut un);
    }

    /// Adds `n` to the count stored under `cle`; an unknown key is ignored (it cannot
    /// come from [`Agregat::cles`]).
    pub fn ajouter_cle(&mut self, cle: &str, n: u64) {
        let (prefixe, detail) = cle.split_once(':').unwrap_or((cle, ""));
        match prefixe {
            "file_active" => self.file_active += n,
            "entrees" => self.entrees += n,
            "diagnostiques_30j" => self.diagnostiques_30j += n,
            "avec_referent" => self.avec_referent += n,
            "contact_90j" => self.contact_90j += n,
            "diagnostics" => self.diagnostics += n,
            "sortie" => ajouter(&mut self.sorties, detail, n),
            "orientation" => ajouter(&mut self.orientations, detail, n),
            "frein" => ajouter(&mut self.freins, detail, n),
            "action_creee" => ajouter(&mut self.actions_creees, detail, n),
            "action_realisee" => ajouter(&mut self.actions_realisees, detail, n),
            "prescription" => ajouter(&mut self.prescriptions, detail, n),
            "issue_prescription" => ajouter(&mut self.issues_prescriptions, detail, n),
            "delai" => {
                if let Ok(jours) = detail.parse() {
                    *self.delais.entry(jours).or_default() += n;
                }
            }
            _ => {
                self.journee.ajouter_cle(prefixe, detail, n);
            }
        }
    }

    /// [`Agregat::issues_prescriptions`] by source, then outcome.
    fn prescriptions_par_source(&self) -> BTreeMap<String, BTreeMap<String, usize>> {
        let mut par_source: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
        for (cle, n) in &self.issues_prescriptions {
            if let Some((issue, source)) = cle.split_once(':') {
                *par_source
                    .entry(source.to_owned())
                    .or_default()
                    .entry(issue.to_owned())
                    .or_default() += *n as usize;
            }
        }
        par_source
    }

    /// The indicators of `mois` seen on `aujourdhui`; `comptes` for the whole base only.
    pub fn indicateurs(&self, mois: Mois, aujourdhui: NaiveDate, comptes: bool) -> Indicateurs {
        let nombre = |n: u64| n as usize;
        let par = |m: &BTreeMap<String, u64>| m.iter().map(|(k, v)| (k.clone(), nombre(*v))).collect();
        let orientation = |code: &str| nombre(self.orientations.get(code).copied().unwrap_or(0));
        let sorties: u64 = self.sorties.values().sum();
        let sorties_emploi = MotifSortie::EMPLOI
            .iter()
            .map(|m| self.sorties.get(m.code()).copied().unwrap_or(0))
            .sum();
        Indicateurs {
            mois: mois.code(),
            mois_en_cours: aujourdhui <= mois.d1,
            file_active: nombre(self.file_active),
            entrees: nombre(self.entrees),
            sorties: nombre(sorties),
            sorties_par_motif: par(&self.sorties),
            sorties_emploi: nombre(sorties_emploi),
            taux_diagnostic_30j: taux(self.diagnostiques_30j, self.entrees),
            provisoire: aujourdhui <= fin_provisoire(mois),
            diagnostiques_30j: nombre(self.diagnostiques_30j),
            delai_median_diagnostic: mediane(&self.delais),
            entrees_diagnostiquees: nombre(self.delais.values().sum()),
            orientations: Orientations {
                pro: orientation("pro"),
                sociopro: orientation("sociopro"),
                social: orientation("social"),
                non_oriente: orientation("non_oriente"),
            },
            taux_referent: taux(self.avec_referent, self.file_active),
            taux_contact_90j: taux(self.contact_90j, self.file_active),
            freins: Dimension::TOUS
                .iter()
                .map(|d| {
                    (
                        d.code().to_owned(),
                        nombre(self.freins.get(d.code()).copied().unwrap_or(0)),
                    )
                })
                .collect(),
            journee: self.journee.indicateurs(self.file_active),
            comptes: comptes.then(|| Comptes {
                diagnostics: nombre(self.diagnostics),
                actions_creees: par(&self.actions_creees),
                actions_realisees: par(&self.actions_realisees),
                prescriptions: par(&self.prescriptions),
                prescriptions_issues: self.prescriptions_par_source(),
            }),
        }
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
        let i = Agregat::de_lignes(m, &lignes).indicateurs(m, d(2026, 11, 26), false);
        assert_eq!((i.file_active, i.entrees, i.sorties, i.sorties_emploi), (3, 2, 1, 1));
        assert_eq!(i.sorties_par_motif, BTreeMap::from([("iae".to_string(), 1)]));
        assert_eq!(i.taux_diagnostic_30j, Some(0.5));
        assert_eq!(i.delai_median_diagnostic, Some(30.5));
        assert!(i.provisoire, "le 26/11 < 30/11");
        // On 30 November a diagnostic can still be made for an entry of 31 October.
        assert!(
            Agregat::de_lignes(m, &lignes)
                .indicateurs(m, d(2026, 11, 30), false)
                .provisoire
        );
        assert!(
            !Agregat::de_lignes(m, &lignes)
                .indicateurs(m, d(2026, 12, 1), false)
                .provisoire
        );
        // A diagnostic after that day does not count, even in the median.
        let mut tard = lignes.clone();
        tard[1].premier_diagnostic = Some(d(2026, 12, 1));
        let j = Agregat::de_lignes(m, &tard).indicateurs(m, d(2027, 1, 1), false);
        assert_eq!((j.delai_median_diagnostic, j.entrees_diagnostiquees), (Some(30.0), 1));
        assert!(!i.mois_en_cours && i.comptes.is_none());
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

        /// The counts add up: split the parcours in two, the halves' counts summed (also
        /// through their stored keys, as the residue of erased dossiers is) give the
        /// counts of the whole, hence the same indicators.
        #[test]
        fn counts_add_up_through_their_keys(
            lignes in proptest::collection::vec(ligne(), 0..40),
            coupe in 0usize..40,
        ) {
            let m = Mois::lire("2026-10").unwrap();
            let coupe = coupe.min(lignes.len());
            let tout = Agregat::de_lignes(m, &lignes);
            let mut somme = Agregat::de_lignes(m, &lignes[..coupe]);
            let mut reste = Agregat::default();
            for (cle, n) in Agregat::de_lignes(m, &lignes[coupe..]).cles() {
                reste.ajouter_cle(&cle, n);
            }
            somme.ajouter(&reste);
            proptest::prop_assert_eq!(&somme, &tout);
            let jour = d(2026, 12, 15);
            proptest::prop_assert_eq!(somme.indicateurs(m, jour, true), tout.indicateurs(m, jour, true));
        }
    }

    fn ligne() -> impl proptest::strategy::Strategy<Value = LigneParcours> {
        use proptest::prelude::*;
        let jour = |de: i64| (0i64..120).prop_map(move |n| d(2026, 8, 1) + chrono::Duration::days(de + n));
        (
            jour(0),
            proptest::option::of(jour(30)),
            proptest::option::of(jour(0)),
            any::<(bool, bool)>(),
            proptest::option::of(proptest::sample::select(Orientation::TOUS)),
            proptest::sample::subsequence(Dimension::TOUS, 0..3),
            proptest::sample::select(MotifSortie::TOUS),
        )
            .prop_map(
                |(entree, sortie, diagnostic, (referent, contact), orientation, freins, motif)| {
                    let sortie = sortie.filter(|s| *s >= entree);
                    LigneParcours {
                        entree,
                        sortie,
                        motif_sortie: sortie.map(|_| motif),
                        premier_diagnostic: diagnostic.filter(|x| *x >= entree),
                        orientation_d1: orientation,
                        referent_d1: referent,
                        contact_90j: contact,
                        freins_d1: freins,
                        // The day's counts ride on the same draws: additive like the others.
                        journee: LigneJournee {
                            rdv_honores: u64::from(referent) * 2,
                            rdv_absents: u64::from(contact),
                            premier_rdv_honore: diagnostic.filter(|x| *x >= entree),
                            contrat_d1: referent != contact,
                        },
                    }
                },
            )
    }
}
