//! The indicators of the agent's day (defined in `docs/departement.md`): appointments
//! attended and missed in the month, the days from entry to the first appointment
//! attended, the share of the file active with a contract in force. Kept apart from the
//! other indicators, and added to them in [`super::indicateurs`].

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;

use super::indicateurs::Cle;

/// What a parcours line of the month says of the day's work.
#[derive(Debug, Clone, Default)]
pub struct LigneJournee {
    /// Appointments dated in the month, attended.
    pub rdv_honores: u64,
    /// Appointments dated in the month, missed without notice.
    pub rdv_absents: u64,
    /// The day of the first appointment attended in the parcours.
    pub premier_rdv_honore: Option<NaiveDate>,
    /// A contract (CER, PPAE, CEJ, PACEA) in force at D1.
    pub contrat_d1: bool,
}

/// The counts behind them, additive like [`super::indicateurs::Agregat`].
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AgregatJournee {
    pub rdv_honores: u64,
    pub rdv_absents: u64,
    /// Days from entry to the first appointment attended, for entries of the month:
    /// days → count.
    pub delais_rdv: BTreeMap<i64, u64>,
    /// File active with a contract in force at D1.
    pub contrat_d1: u64,
}

impl AgregatJournee {
    /// Adds one line: `active` in the file active at D1, `entree` of the month, `fin`
    /// the last day a first appointment counts for it.
    pub fn ligne(&mut self, l: &LigneJournee, entree: Option<NaiveDate>, active: bool, fin: NaiveDate) {
        self.rdv_honores += l.rdv_honores;
        self.rdv_absents += l.rdv_absents;
        self.contrat_d1 += u64::from(active && l.contrat_d1);
        if let (Some(entree), Some(rdv)) = (entree, l.premier_rdv_honore.filter(|d| *d <= fin)) {
            *self.delais_rdv.entry((rdv - entree).num_days()).or_default() += 1;
        }
    }

    /// Every non-zero count under its key.
    pub fn pour_chaque_cle(&self, un: &mut impl FnMut(Cle<'_>, u64)) {
        un(Cle::Simple("rdv_honores"), self.rdv_honores);
        un(Cle::Simple("rdv_absents"), self.rdv_absents);
        un(Cle::Simple("contrat_d1"), self.contrat_d1);
        for (jours, n) in &self.delais_rdv {
            un(Cle::Jours("delai_rdv", *jours), *n);
        }
    }

    /// Adds `n` under `cle`; `false` for a key that is not one of these.
    pub fn ajouter_cle(&mut self, prefixe: &str, detail: &str, n: u64) -> bool {
        match prefixe {
            "rdv_honores" => self.rdv_honores += n,
            "rdv_absents" => self.rdv_absents += n,
            "contrat_d1" => self.contrat_d1 += n,
            "delai_rdv" => {
                if let Ok(jours) = detail.parse() {
                    *self.delais_rdv.entry(jours).or_default() += n;
                }
            }
            _ => return false,
        }
        true
    }

    pub fn indicateurs(&self, file_active: u64) -> IndicateursJournee {
        let vus = self.rdv_honores + self.rdv_absents;
        IndicateursJournee {
            rdv_honores: self.rdv_honores as usize,
            rdv_absents: self.rdv_absents as usize,
            taux_absence: super::indicateurs::taux(self.rdv_absents, vus),
            delai_median_premier_rdv: super::indicateurs::mediane(&self.delais_rdv),
            entrees_avec_rdv: self.delais_rdv.values().sum::<u64>() as usize,
            avec_contrat: self.contrat_d1 as usize,
            taux_contrat: super::indicateurs::taux(self.contrat_d1, file_active),
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct IndicateursJournee {
    pub rdv_honores: usize,
    pub rdv_absents: usize,
    /// Missed without notice among appointments attended or missed.
    pub taux_absence: Option<f64>,
    pub delai_median_premier_rdv: Option<f64>,
    /// Entries of the month with an appointment attended (the median's population).
    pub entrees_avec_rdv: usize,
    pub avec_contrat: usize,
    /// File active with a contract in force at D1.
    pub taux_contrat: Option<f64>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(j: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 10, j).unwrap()
    }

    #[test]
    fn the_days_indicators_count_what_the_month_saw() {
        let mut a = AgregatJournee::default();
        let fin = d(31) + chrono::Days::new(30);
        let venu = LigneJournee {
            rdv_honores: 2,
            rdv_absents: 1,
            premier_rdv_honore: Some(d(11)),
            contrat_d1: true,
        };
        a.ligne(&venu, Some(d(1)), true, fin);
        // Not in the file active at D1: its contract does not count; entered before M.
        a.ligne(
            &LigneJournee {
                rdv_absents: 1,
                contrat_d1: true,
                ..Default::default()
            },
            None,
            false,
            fin,
        );
        // Entered in M, first appointment attended too late to count.
        let tard = LigneJournee {
            premier_rdv_honore: Some(fin + chrono::Days::new(1)),
            ..Default::default()
        };
        a.ligne(&tard, Some(d(20)), true, fin);
        let i = a.indicateurs(2);
        assert_eq!((i.rdv_honores, i.rdv_absents), (2, 2));
        assert_eq!(i.taux_absence, Some(0.5));
        assert_eq!(i.delai_median_premier_rdv, Some(10.0));
        assert_eq!(i.entrees_avec_rdv, 1);
        assert_eq!(i.taux_contrat, Some(0.5));
        // The counts survive the residue's keys.
        let mut b = AgregatJournee::default();
        a.pour_chaque_cle(&mut |cle: Cle<'_>, n| {
            let cle = cle.to_string();
            let (p, detail) = cle.split_once(':').unwrap_or((cle.as_str(), ""));
            assert!(b.ajouter_cle(p, detail, n));
        });
        assert_eq!(a, b);
    }
}
