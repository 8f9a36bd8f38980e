//! Appointments: their kinds and outcomes, the moment as caseworkers type it, and the
//! rules on recording an outcome.

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use serde::Serialize;

crate::codes! {
    /// Kind of appointment.
    pub enum TypeRdv {
        /// Premier accueil
        Accueil = "accueil",
        /// Diagnostic
        Diagnostic = "diagnostic",
        /// Entretien de suivi
        Suivi = "suivi",
        /// Atelier collectif
        Atelier = "atelier",
        /// Décision d'orientation
        Orientation = "orientation",
    }
}

crate::codes! {
    /// Where an appointment stands.
    pub enum StatutRdv {
        /// Prévu
        Prevu = "prevu" / "prévu",
        /// Honoré : la personne est venue
        Honore = "honore" / "honoré",
        /// Absent, sans prévenir
        Absent = "absent",
        /// Excusé : la personne a prévenu
        Excuse = "excuse" / "excusé",
        /// Annulé par la structure
        Annule = "annule" / "annulé",
    }
}

impl TypeRdv {
    /// What the person is asked to bring, printed on the convocation.
    pub fn a_apporter(self) -> &'static [&'static str] {
        const IDENTITE: &str = "une pièce d'identité ou un titre de séjour";
        match self {
            TypeRdv::Accueil => &[
                IDENTITE,
                "un justificatif de domicile (ou une attestation d'hébergement)",
                "votre attestation CAF ou France Travail, si vous en avez une",
                "votre carte Vitale",
            ],
            TypeRdv::Diagnostic | TypeRdv::Orientation => &[
                IDENTITE,
                "votre CV, si vous en avez un",
                "vos attestations CAF ou France Travail",
                "les papiers utiles sur votre situation (logement, ressources, santé si vous le souhaitez)",
            ],
            TypeRdv::Suivi => &[
                "cette convocation",
                "les documents demandés lors du dernier rendez-vous",
            ],
            TypeRdv::Atelier => &["cette convocation", "de quoi écrire"],
        }
    }
}

/// Whether a place typed for an appointment reads as an address one can go to: it holds a
/// postal code (five digits), or names the commune `commune` (the structure's).
pub fn est_une_adresse(lieu: &str, commune: Option<&str>) -> bool {
    let code_postal = lieu.split(|c: char| !c.is_ascii_digit()).any(|n| n.len() == 5);
    let nomme = commune.is_some_and(|c| {
        let (lieu, c) = (super::texte::normaliser(lieu), super::texte::normaliser(c));
        !c.is_empty() && format!(" {lieu} ").contains(&format!(" {c} "))
    });
    code_postal || nomme
}

/// The place printed on a convocation (and in its calendar file): the place typed when it
/// is an address; a room (« Bureau 2 ») followed by the structure's address; without a
/// place, the structure's address, or its name when it has none.
pub fn lieu_imprime(lieu: Option<&str>, structure: &str, adresse: Option<&str>, commune: Option<&str>) -> String {
    // Without the structure's commune, the one its address names after the postal code.
    let apres_le_code = adresse.and_then(|a| {
        let debut = a.char_indices().find(|&(i, _)| {
            a[i..].len() >= 5
                && a[i..i + 5].bytes().all(|b| b.is_ascii_digit())
                && !a[i + 5..].starts_with(|c: char| c.is_ascii_digit())
        })?;
        Some(a[debut.0 + 5..].trim())
    });
    let commune = commune.or(apres_le_code);
    match (lieu, adresse) {
        (Some(l), Some(a)) if !est_une_adresse(l, commune) => format!("{l}, {a}"),
        (Some(l), _) => l.to_owned(),
        (None, Some(a)) => a.to_owned(),
        (None, None) => structure.to_owned(),
    }
}

/// How an appointment stored as `AAAA-MM-JJTHH:MM` is written for the user.
pub fn moment_fr(moment: NaiveDateTime) -> String {
    format!("{} à {}", super::date::fr(moment.date()), moment.format("%H:%M"))
}

/// Parses `JJ/MM/AAAA HH:MM` (or `AAAA-MM-JJ HH:MM`; `14h30` is read as `14:30`). The
/// error is a French sentence naming the value.
pub fn parse_moment(texte: &str) -> Result<NaiveDateTime, String> {
    let t = texte.trim();
    let attendu = || {
        format!(
            "date et heure « {} » illisibles : attendu JJ/MM/AAAA HH:MM",
            super::texte::apercu(t, 40)
        )
    };
    let (jour, heure) = t.split_once([' ', 'T']).ok_or_else(attendu)?;
    let jour: NaiveDate = super::date::parse(jour)?;
    let heure = heure.trim().replace(['h', 'H'], ":");
    let heure = if heure.ends_with(':') {
        format!("{heure}00")
    } else {
        heure
    };
    let (h, m) = heure.split_once(':').ok_or_else(attendu)?;
    let nombre = |s: &str| -> Result<u32, String> {
        if s.is_empty() || s.len() > 2 || !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(attendu());
        }
        s.parse().map_err(|_| attendu())
    };
    let heure = NaiveTime::from_hms_opt(nombre(h)?, nombre(m)?, 0)
        .ok_or_else(|| format!("l'heure « {} » n'existe pas", super::texte::apercu(t, 40)))?;
    Ok(jour.and_time(heure))
}

/// An outcome may be recorded on an appointment that is still planned; an appointment
/// that has not begun yet cannot have been attended or missed (only excused or
/// cancelled). With `corriger`, an outcome already recorded is replaced by another one
/// (a mis-click); an appointment still planned has nothing to correct. The error is a
/// French sentence.
pub fn issue_permise(
    id: i64,
    actuel: StatutRdv,
    issue: StatutRdv,
    debut: NaiveDateTime,
    aujourdhui: NaiveDate,
    corriger: bool,
) -> Result<(), String> {
    if issue == StatutRdv::Prevu {
        return Err("un rendez-vous ne redevient pas prévu : planifiez-en un nouveau".into());
    }
    match (actuel, corriger) {
        (StatutRdv::Prevu, true) => {
            return Err(format!(
                "le rendez-vous {id} n'a pas encore d'issue : rien à corriger ; notez-la sans --corriger"
            ));
        }
        (StatutRdv::Prevu, false) => {}
        (a, false) => {
            return Err(format!(
                "le rendez-vous {id} a déjà une issue : {}",
                a.libelle().to_lowercase()
            ));
        }
        (a, true) if a == issue => {
            return Err(format!(
                "le rendez-vous {id} est déjà noté : {} ; rien à corriger",
                a.libelle().to_lowercase()
            ));
        }
        (_, true) => {}
    }
    if matches!(issue, StatutRdv::Honore | StatutRdv::Absent) && debut.date() > aujourdhui {
        return Err(format!(
            "le rendez-vous {id} est prévu le {} : la personne ne peut pas encore être venue ou absente ; \
             notez son issue ce jour-là, ou dès maintenant `spie rdv excuse {id}` (elle a prévenu) ou `spie rdv \
             annule {id}`",
            moment_fr(debut)
        ));
    }
    Ok(())
}

/// An appointment, as lists and the agenda show it.
#[derive(Debug, Clone, Serialize)]
pub struct Rdv {
    pub id: i64,
    pub dossier: i64,
    /// Given name and name.
    pub personne: String,
    /// `AAAA-MM-JJTHH:MM`.
    pub debut: NaiveDateTime,
    #[serde(rename = "type")]
    pub type_: TypeRdv,
    /// The place given when planning, else the holding structure's address.
    pub lieu: Option<String>,
    /// The agent who receives the person (identifiant).
    pub agent: String,
    /// Their name, and structure when it is not the reader's.
    pub agent_nom: String,
    pub statut: StatutRdv,
    pub statut_le: Option<NaiveDate>,
    pub motif: Option<String>,
}

crate::codes! {
    /// Kind of contract of a parcours.
    pub enum TypeContrat {
        /// Contrat d'engagements réciproques (RSA)
        Cer = "cer" / "CER",
        /// Projet personnalisé d'accès à l'emploi (France Travail)
        Ppae = "ppae" / "PPAE",
        /// Contrat d'engagement jeune
        Cej = "cej" / "CEJ",
        /// Parcours contractualisé d'accompagnement vers l'emploi et l'autonomie
        Pacea = "pacea" / "PACEA",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_room_is_placed_at_the_structure_an_address_stays() {
        let imprime = |lieu| lieu_imprime(lieu, "CCAS", Some("1 place de la Nation, 55100 Verdun"), Some("Verdun"));
        assert_eq!(
            imprime(Some("Bureau 2")),
            "Bureau 2, 1 place de la Nation, 55100 Verdun"
        );
        assert_eq!(imprime(Some("Salle 3, 55100")), "Salle 3, 55100");
        assert_eq!(imprime(Some("Mairie de Verdun")), "Mairie de Verdun");
        // A word that only contains the commune's name is not it.
        assert_eq!(
            imprime(Some("Salle Verdunoise")),
            "Salle Verdunoise, 1 place de la Nation, 55100 Verdun"
        );
        assert_eq!(imprime(None), "1 place de la Nation, 55100 Verdun");
        assert_eq!(lieu_imprime(Some("Bureau 2"), "CCAS", None, None), "Bureau 2");
        // The commune read after the postal code of the structure's address.
        let a = Some("1 place de la Nation, 55100 Verdun");
        assert_eq!(
            lieu_imprime(Some("Mairie de Verdun"), "CCAS", a, None),
            "Mairie de Verdun"
        );
        assert_eq!(lieu_imprime(None, "CCAS", None, None), "CCAS");
        // Six digits are not a postal code.
        assert!(!est_une_adresse("Dossier 123456", None));
    }
    use proptest::prelude::*;

    fn m(a: i32, mo: u32, j: u32, h: u32, mi: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(a, mo, j)
            .unwrap()
            .and_hms_opt(h, mi, 0)
            .unwrap()
    }

    #[test]
    fn a_moment_is_read_as_caseworkers_type_it() {
        assert_eq!(parse_moment("02/12/2026 14:30").unwrap(), m(2026, 12, 2, 14, 30));
        assert_eq!(parse_moment("2026-12-02 9:05").unwrap(), m(2026, 12, 2, 9, 5));
        assert_eq!(parse_moment(" 2/12/2026 14h30 ").unwrap(), m(2026, 12, 2, 14, 30));
        assert_eq!(parse_moment("2/12/2026 14h").unwrap(), m(2026, 12, 2, 14, 0));
        let e = parse_moment("02/12/2026").unwrap_err();
        assert!(e.contains("attendu JJ/MM/AAAA HH:MM"), "{e}");
        assert!(parse_moment("02/12/2026 25:00").unwrap_err().contains("n'existe pas"));
        assert!(parse_moment("31/02/2026 10:00").unwrap_err().contains("n'existe pas"));
        assert!(parse_moment("02/12/2026 1030").is_err());
    }

    #[test]
    fn an_outcome_is_recorded_once_and_not_before_the_day() {
        let aujourdhui = NaiveDate::from_ymd_opt(2026, 11, 26).unwrap();
        let demain = m(2026, 11, 27, 9, 0);
        let hier = m(2026, 11, 25, 9, 0);
        assert!(issue_permise(1, StatutRdv::Prevu, StatutRdv::Honore, hier, aujourdhui, false).is_ok());
        assert!(
            issue_permise(
                1,
                StatutRdv::Prevu,
                StatutRdv::Absent,
                m(2026, 11, 26, 17, 0),
                aujourdhui,
                false
            )
            .is_ok()
        );
        assert!(issue_permise(1, StatutRdv::Prevu, StatutRdv::Excuse, demain, aujourdhui, false).is_ok());
        assert!(issue_permise(1, StatutRdv::Prevu, StatutRdv::Annule, demain, aujourdhui, false).is_ok());
        let e = issue_permise(1, StatutRdv::Prevu, StatutRdv::Absent, demain, aujourdhui, false).unwrap_err();
        assert!(e.contains("27/11/2026 à 09:00"), "{e}");
        let e = issue_permise(4, StatutRdv::Honore, StatutRdv::Absent, hier, aujourdhui, false).unwrap_err();
        assert!(e.contains("rendez-vous 4 a déjà une issue : honoré"), "{e}");
    }

    #[test]
    fn a_recorded_outcome_is_corrected_into_another_one_only() {
        let aujourdhui = NaiveDate::from_ymd_opt(2026, 11, 26).unwrap();
        let hier = m(2026, 11, 25, 9, 0);
        let demain = m(2026, 11, 27, 9, 0);
        assert!(issue_permise(4, StatutRdv::Absent, StatutRdv::Honore, hier, aujourdhui, true).is_ok());
        assert!(issue_permise(4, StatutRdv::Annule, StatutRdv::Excuse, demain, aujourdhui, true).is_ok());
        let e = issue_permise(4, StatutRdv::Absent, StatutRdv::Absent, hier, aujourdhui, true).unwrap_err();
        assert!(e.contains("déjà noté : absent"), "{e}");
        let e = issue_permise(4, StatutRdv::Prevu, StatutRdv::Honore, hier, aujourdhui, true).unwrap_err();
        assert!(e.contains("pas encore d'issue"), "{e}");
        assert!(issue_permise(4, StatutRdv::Annule, StatutRdv::Honore, demain, aujourdhui, true).is_err());
        assert!(issue_permise(4, StatutRdv::Honore, StatutRdv::Prevu, hier, aujourdhui, true).is_err());
    }

    proptest! {
        /// Any text: an error or a moment, never a panic.
        #[test]
        fn parsing_a_moment_never_panics(texte in "\\PC{0,30}") {
            let _ = parse_moment(&texte);
        }

        #[test]
        fn a_written_moment_reads_back(j in 1u32..=28, mo in 1u32..=12, a in 2000i32..2100, h in 0u32..24, mi in 0u32..60) {
            let moment = m(a, mo, j, h, mi);
            prop_assert_eq!(parse_moment(&moment.format("%d/%m/%Y %H:%M").to_string()).unwrap(), moment);
        }
    }
}
