//! The parcours' life cycle: exit motifs and the order of dated events.

use chrono::NaiveDate;
use serde::Serialize;

use super::date;

crate::codes! {
    /// Why a parcours ended.
    pub enum MotifSortie {
        /// CDI, CDD ou intérim d'au moins 6 mois
        EmploiDurable = "emploi-durable" / "emploi durable",
        /// Emploi de moins de 6 mois
        EmploiTemporaire = "emploi-temporaire" / "emploi temporaire",
        /// Création ou reprise d'entreprise
        CreationEntreprise = "creation-entreprise" / "création d'entreprise",
        /// Entrée en structure d'insertion par l'activité économique
        Iae = "iae" / "IAE",
        /// Entrée en formation qualifiante
        FormationQualifiante = "formation-qualifiante" / "formation qualifiante",
        /// Déménagement hors du territoire
        Demenagement = "demenagement" / "déménagement",
        /// Réorientation vers un autre accompagnement
        Reorientation = "reorientation" / "réorientation",
        /// Abandon par la personne
        Abandon = "abandon",
        /// Autre motif
        Autre = "autre",
    }
}

impl MotifSortie {
    /// The exits counted as exits to work.
    pub const EMPLOI: [MotifSortie; 4] = [
        MotifSortie::EmploiDurable,
        MotifSortie::EmploiTemporaire,
        MotifSortie::CreationEntreprise,
        MotifSortie::Iae,
    ];

    pub fn vers_emploi(self) -> bool {
        MotifSortie::EMPLOI.contains(&self)
    }
}

/// A dated event of a parcours (entry, exit, change of référent) may not be in the
/// future, nor before the event it follows.
pub fn date_evenement(
    quoi: &str,
    jour: NaiveDate,
    aujourdhui: NaiveDate,
    pas_avant: Option<(NaiveDate, &str)>,
) -> Result<NaiveDate, String> {
    if jour > aujourdhui {
        return Err(format!(
            "{quoi} : la date du {} est dans le futur (aujourd'hui : {}) ; elle se note une fois l'événement \
             passé : vérifiez le jour, le mois et l'année",
            date::fr(jour),
            date::fr(aujourdhui)
        ));
    }
    if let Some((borne, evenement)) = pas_avant
        && jour < borne
    {
        return Err(format!(
            "{quoi} : la date du {} est antérieure à {evenement} ({})",
            date::fr(jour),
            date::fr(borne)
        ));
    }
    Ok(jour)
}

/// A référent of a parcours, from `debut` to `fin` (none while they are référent).
#[derive(Debug, Clone, Serialize)]
pub struct PeriodeReferent {
    pub agent: String,
    pub nom: String,
    pub debut: NaiveDate,
    pub fin: Option<NaiveDate>,
}

/// A period of follow-up of a dossier, held by a structure.
#[derive(Debug, Clone, Serialize)]
pub struct Parcours {
    pub id: i64,
    #[serde(skip)]
    pub dossier: i64,
    #[serde(skip)]
    pub structure_id: i64,
    pub structure: String,
    pub entree: NaiveDate,
    pub sortie: Option<NaiveDate>,
    pub motif_sortie: Option<MotifSortie>,
    /// Oldest first; the active one (if any) is last, with no end.
    pub referents: Vec<PeriodeReferent>,
}

impl Parcours {
    pub fn est_ouvert(&self) -> bool {
        self.sortie.is_none()
    }

    pub fn referent_actif(&self) -> Option<&PeriodeReferent> {
        self.referents.last().filter(|r| r.fin.is_none())
    }
}

/// One line of `parcours liste` / `chercher`: a dossier and its latest parcours.
#[derive(Debug, Clone, Serialize)]
pub struct LigneDossier {
    pub dossier: i64,
    pub nom: String,
    pub prenom: String,
    pub naissance: NaiveDate,
    pub commune: String,
    pub entree: NaiveDate,
    pub sortie: Option<NaiveDate>,
    pub motif_sortie: Option<String>,
    /// The référent's identifier.
    pub referent: Option<String>,
    /// The référent's name, and structure when it is not the reader's.
    pub referent_nom: Option<String>,
    /// The last contact with the person, read for the lists by time since the last
    /// contact only (`None` otherwise, or without contact).
    #[serde(skip)]
    pub dernier_contact: Option<NaiveDate>,
}

/// A dossier the retention rule says to erase.
#[derive(Debug, serde::Serialize)]
pub struct APurger {
    pub dossier: i64,
    /// The last contact with the person, or the last exit without any contact.
    pub dernier_contact: chrono::NaiveDate,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(a: i32, m: u32, j: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(a, m, j).unwrap()
    }

    #[test]
    fn events_are_ordered_and_not_in_the_future() {
        let aujourdhui = d(2026, 11, 26);
        assert!(date_evenement("sortie", d(2026, 11, 27), aujourdhui, None).is_err());
        let e = date_evenement("sortie", d(2026, 1, 1), aujourdhui, Some((d(2026, 2, 1), "l'entrée"))).unwrap_err();
        assert!(
            e.contains("01/01/2026") && e.contains("l'entrée") && e.contains("01/02/2026"),
            "{e}"
        );
        // Whatever the gender of the record named.
        for quoi in ["le diagnostic", "la note"] {
            let e = date_evenement(quoi, d(2026, 11, 27), aujourdhui, None).unwrap_err();
            assert!(
                e.starts_with(quoi) && !e.contains("datée") && !e.contains("daté "),
                "{e}"
            );
        }
        assert_eq!(
            date_evenement("sortie", d(2026, 2, 1), aujourdhui, Some((d(2026, 2, 1), "l'entrée"))),
            Ok(d(2026, 2, 1))
        );
    }
}
