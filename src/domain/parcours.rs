//! The parcours' life cycle: exit motifs and the order of dated events.

use chrono::NaiveDate;
use clap::ValueEnum;

use super::date;

/// Why a parcours ended (DESIGN.md §6).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MotifSortie {
    /// CDI, CDD ou intérim d'au moins 6 mois
    EmploiDurable,
    /// Emploi de moins de 6 mois
    EmploiTemporaire,
    /// Création ou reprise d'entreprise
    CreationEntreprise,
    /// Entrée en structure d'insertion par l'activité économique
    Iae,
    /// Entrée en formation qualifiante
    FormationQualifiante,
    /// Déménagement hors du territoire
    Demenagement,
    /// Réorientation vers un autre accompagnement
    Reorientation,
    /// Abandon par la personne
    Abandon,
    /// Autre motif
    Autre,
}

impl MotifSortie {
    pub fn code(self) -> &'static str {
        match self {
            MotifSortie::EmploiDurable => "emploi-durable",
            MotifSortie::EmploiTemporaire => "emploi-temporaire",
            MotifSortie::CreationEntreprise => "creation-entreprise",
            MotifSortie::Iae => "iae",
            MotifSortie::FormationQualifiante => "formation-qualifiante",
            MotifSortie::Demenagement => "demenagement",
            MotifSortie::Reorientation => "reorientation",
            MotifSortie::Abandon => "abandon",
            MotifSortie::Autre => "autre",
        }
    }

    pub fn depuis_code(code: &str) -> Option<MotifSortie> {
        MotifSortie::value_variants().iter().copied().find(|m| m.code() == code)
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
            "{quoi} datée du {} : la date est dans le futur (aujourd'hui : {})",
            date::fr(jour),
            date::fr(aujourdhui)
        ));
    }
    if let Some((borne, evenement)) = pas_avant
        && jour < borne
    {
        return Err(format!(
            "{quoi} datée du {} : antérieure à {evenement} ({})",
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
    fn every_motif_code_round_trips_and_matches_clap() {
        for m in MotifSortie::value_variants() {
            assert_eq!(MotifSortie::depuis_code(m.code()), Some(*m));
            assert_eq!(m.to_possible_value().unwrap().get_name(), m.code());
        }
        assert_eq!(MotifSortie::value_variants().len(), 9);
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
        assert_eq!(
            date_evenement("sortie", d(2026, 2, 1), aujourdhui, Some((d(2026, 2, 1), "l'entrée"))),
            Ok(d(2026, 2, 1))
        );
    }
}
