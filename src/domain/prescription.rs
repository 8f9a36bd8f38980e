//! A prescription (an offer prescribed to the person, an action of the plan) and the
//! partner's answer: `proposee → envoyee → acceptee | refusee | sans-reponse → realisee |
//! abandonnee`, each step dated.

use chrono::{Days, NaiveDate};

use super::suivi::StatutAction;

/// After this many days without answer, a prescription sent is `sans-reponse`.
pub const JOURS_SANS_REPONSE: u64 = 15;

crate::codes! {
    /// Where a prescription stands.
    pub enum StatutPrescription {
        /// Proposée à la personne
        Proposee = "proposee" / "proposée",
        /// Envoyée au partenaire
        Envoyee = "envoyee" / "envoyée",
        /// Sans réponse du partenaire depuis 15 jours
        SansReponse = "sans-reponse" / "sans réponse",
        /// Acceptée par le partenaire
        Acceptee = "acceptee" / "acceptée",
        /// Refusée par le partenaire
        Refusee = "refusee" / "refusée",
        /// Réalisée : la personne a suivi l'offre
        Realisee = "realisee" / "réalisée",
        /// Abandonnée
        Abandonnee = "abandonnee" / "abandonnée",
    }
}

impl StatutPrescription {
    /// The outcomes the monthly indicators count by source: the partner's answer, the
    /// 15 days without one, and what became of an accepted prescription.
    pub const ISSUES: [StatutPrescription; 5] = [
        StatutPrescription::Acceptee,
        StatutPrescription::Refusee,
        StatutPrescription::SansReponse,
        StatutPrescription::Realisee,
        StatutPrescription::Abandonnee,
    ];

    /// The status as seen on `aujourdhui`: one sent on `le` without answer for 15 days is
    /// `sans-reponse`.
    pub fn au(self, le: NaiveDate, aujourdhui: NaiveDate) -> StatutPrescription {
        if self == StatutPrescription::Envoyee && le + Days::new(JOURS_SANS_REPONSE) <= aujourdhui {
            StatutPrescription::SansReponse
        } else {
            self
        }
    }

    /// The statuses that may follow this one.
    pub fn suivants(self) -> &'static [StatutPrescription] {
        use StatutPrescription::*;
        match self {
            Proposee => &[Envoyee, Abandonnee],
            Envoyee | SansReponse => &[Acceptee, Refusee, Abandonnee],
            Acceptee => &[Realisee, Abandonnee],
            Refusee | Realisee | Abandonnee => &[],
        }
    }

    /// The status of the plan's action that follows the prescription's.
    pub fn statut_action(self) -> Option<StatutAction> {
        match self {
            StatutPrescription::Acceptee => Some(StatutAction::EnCours),
            // Refused by the partner: the action ends without the person having refused it.
            StatutPrescription::Refusee => Some(StatutAction::Abandonnee),
            StatutPrescription::Realisee => Some(StatutAction::Realisee),
            StatutPrescription::Abandonnee => Some(StatutAction::Abandonnee),
            _ => None,
        }
    }
}

/// Whether the prescription `id`, now `actuel` (as seen today), may become `nouveau`, with
/// `motif` (a refusal says why). The error is a French sentence with what may follow.
pub fn passage(id: i64, actuel: StatutPrescription, nouveau: StatutPrescription, motif: bool) -> Result<(), String> {
    if !actuel.suivants().contains(&nouveau) {
        let suivants: Vec<&str> = actuel.suivants().iter().map(|s| s.code()).collect();
        let possibles = if suivants.is_empty() {
            "plus aucun changement n'est possible".to_owned()
        } else {
            format!("possible ensuite : {}", suivants.join(", "))
        };
        return Err(format!(
            "la prescription {id} est « {} » : elle ne peut pas passer à « {} » ({possibles})",
            actuel.mot(),
            nouveau.mot()
        ));
    }
    if nouveau == StatutPrescription::Refusee && !motif {
        return Err(format!(
            "rien n'est noté : la prescription {id} refusée se note avec son motif (--motif \"…\")"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::StatutPrescription::*;
    use super::*;

    #[test]
    fn the_answer_follows_the_state_machine() {
        assert!(passage(1, Proposee, Envoyee, false).is_ok());
        assert!(passage(1, Envoyee, Acceptee, false).is_ok());
        assert!(passage(1, SansReponse, Acceptee, false).is_ok());
        assert!(passage(1, Acceptee, Realisee, false).is_ok());
        assert!(passage(1, Envoyee, Refusee, true).is_ok());
        let e = passage(1, Envoyee, Refusee, false).unwrap_err();
        assert!(e.contains("--motif"), "{e}");
        let e = passage(3, Proposee, Realisee, false).unwrap_err();
        assert!(e.contains("« proposée »") && e.contains("envoyee, abandonnee"), "{e}");
        let e = passage(3, Refusee, Acceptee, false).unwrap_err();
        assert!(e.contains("plus aucun changement"), "{e}");
        // `sans-reponse` is seen, never set.
        assert!(passage(1, Envoyee, SansReponse, false).is_err());
    }

    #[test]
    fn a_prescription_sent_is_without_answer_after_15_days() {
        let le = NaiveDate::from_ymd_opt(2026, 11, 1).unwrap();
        assert_eq!(Envoyee.au(le, le + Days::new(14)), Envoyee);
        assert_eq!(Envoyee.au(le, le + Days::new(15)), SansReponse);
        assert_eq!(Acceptee.au(le, le + Days::new(40)), Acceptee);
    }
}
