//! The parcours' life cycle: exit motifs and the order of dated events.

use chrono::NaiveDate;

use super::date;

crate::codes! {
    /// Why a parcours ended.
    pub enum MotifSortie {
        /// CDI, CDD ou intérim d'au moins 6 mois
        EmploiDurable = "emploi-durable",
        /// Emploi de moins de 6 mois
        EmploiTemporaire = "emploi-temporaire",
        /// Création ou reprise d'entreprise
        CreationEntreprise = "creation-entreprise",
        /// Entrée en structure d'insertion par l'activité économique
        Iae = "iae",
        /// Entrée en formation qualifiante
        FormationQualifiante = "formation-qualifiante",
        /// Déménagement hors du territoire
        Demenagement = "demenagement",
        /// Réorientation vers un autre accompagnement
        Reorientation = "reorientation",
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
            "{quoi} : la date du {} est dans le futur (aujourd'hui : {})",
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
