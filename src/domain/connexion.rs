//! The rules of a work session: how strong a passphrase must be, when a session ends.

use chrono::{NaiveDateTime, TimeDelta};

/// The shortest passphrase accepted.
pub const LONGUEUR_MIN: usize = 12;

/// Idle time after which a session ends, unless `connexion --inactivite` says otherwise.
pub const INACTIVITE_PAR_DEFAUT: u32 = 120;
/// The longest idle time a session may be given, in minutes.
pub const INACTIVITE_MAX: u32 = 480;

/// Passphrases of 12 characters or more that lists of leaked passwords start with, and
/// those a French office would think of first.
const COURANTES: &[&str] = &[
    "123456789012", "1234567890123", "12345678901234", "azertyuiop12", "azertyuiop123", "azertyuiopqsdf",
    "qwertyuiop12", "qwertyuiop123", "qwertyuiopasdf", "motdepasse12", "motdepasse123", "motdepasse1234",
    "motdepasse2024", "motdepasse2025", "motdepasse2026", "password1234", "password12345", "passwordpassword",
    "iloveyou1234", "administrateur", "administrateur1", "administrator", "bonjourbonjour", "soleil123456",
    "jetaime123456", "changezmoi123", "changeme1234", "spiespiespie", "insertion2026", "phrasedepasse",
];

/// Why a passphrase is refused, in French; `agent`: the identifier it must not contain.
pub fn phrase_solide(phrase: &str, agent: &str) -> Result<(), String> {
    let longueur = phrase.chars().count();
    if longueur < LONGUEUR_MIN {
        return Err(format!(
            "phrase de passe trop courte : {LONGUEUR_MIN} caractères au moins (plusieurs mots, par exemple)"
        ));
    }
    let reduite: String = phrase
        .chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect();
    if COURANTES.contains(&reduite.as_str()) {
        return Err("phrase de passe trop courante : elle figure parmi les premières essayées".into());
    }
    let mut distincts: Vec<char> = reduite.chars().collect();
    distincts.sort_unstable();
    distincts.dedup();
    if distincts.len() < 5 {
        return Err("phrase de passe trop simple : moins de 5 caractères différents".into());
    }
    if !agent.is_empty() && reduite.contains(&agent.to_lowercase()) {
        return Err("la phrase de passe ne doit pas contenir l'identifiant de l'agent".into());
    }
    Ok(())
}

/// A recovery code as shown: 160 random bits in base32, in groups of four (`ABCD-EFGH-…`).
pub fn code_de_secours(octets: &[u8; 20]) -> String {
    normaliser_code(&data_encoding::BASE32_NOPAD.encode(octets))
}

/// A recovery code as typed (spaces, dashes, lower case), in the form it was shown in.
pub fn normaliser_code(code: &str) -> String {
    let brut: Vec<char> = code
        .chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_uppercase())
        .collect();
    let groupes: Vec<String> = brut.chunks(4).map(|g| g.iter().collect()).collect();
    groupes.join("-")
}

/// Why a session is over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fin {
    /// Idle longer than allowed.
    Inactivite,
    /// Opened another day.
    FinDeJournee,
    /// The clock is before the session's last use: set back, the session is not trusted.
    HorlogeReculee,
}

impl Fin {
    pub fn message(self) -> &'static str {
        match self {
            Fin::Inactivite => "votre session a pris fin après une période d'inactivité",
            Fin::FinDeJournee => "votre session a pris fin avec la journée",
            Fin::HorlogeReculee => "votre session a pris fin : l'horloge du poste a reculé",
        }
    }
}

/// Whether a session opened at `ouverte`, last used at `activite`, with `inactivite`
/// minutes of idle time allowed, is over at `maintenant` (local times).
pub fn fin(ouverte: NaiveDateTime, activite: NaiveDateTime, inactivite: u32, maintenant: NaiveDateTime) -> Option<Fin> {
    if maintenant < activite || maintenant < ouverte {
        Some(Fin::HorlogeReculee)
    } else if maintenant.date() != ouverte.date() {
        Some(Fin::FinDeJournee)
    } else if maintenant - activite > TimeDelta::minutes(i64::from(inactivite)) {
        Some(Fin::Inactivite)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn a(texte: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(texte, "%Y-%m-%d %H:%M").unwrap()
    }

    #[test]
    fn passphrases_must_be_long_uncommon_and_varied() {
        assert!(phrase_solide("cheval agrafe pile", "m.durand").is_ok());
        assert!(phrase_solide("court", "x").unwrap_err().contains("12 caractères"));
        assert!(phrase_solide("Mot de passe 123", "x").unwrap_err().contains("courante"));
        assert!(phrase_solide("AZERTYUIOP12", "x").unwrap_err().contains("courante"));
        assert!(phrase_solide("abababababab", "x").unwrap_err().contains("simple"));
        assert!(
            phrase_solide("m.durand le grand", "m.durand")
                .unwrap_err()
                .contains("identifiant")
        );
        // Counted in characters, not bytes.
        assert!(phrase_solide("éèàùçéèàùçé", "x").is_err());
    }

    #[test]
    fn a_recovery_code_reads_back_however_typed() {
        let code = code_de_secours(&[7u8; 20]);
        assert_eq!(code.len(), 32 + 7);
        assert_eq!(normaliser_code(&code.to_lowercase().replace('-', " ")), code);
    }

    /// The clock is a parameter: a fake one drives every case.
    #[test]
    fn a_session_ends_when_idle_at_the_end_of_the_day_or_when_the_clock_goes_back() {
        let ouverte = a("2026-11-26 08:30");
        for (activite, inactivite, maintenant, attendue) in [
            ("2026-11-26 08:30", 120, "2026-11-26 08:31", None),
            ("2026-11-26 10:00", 120, "2026-11-26 12:00", None),
            ("2026-11-26 10:00", 120, "2026-11-26 12:01", Some(Fin::Inactivite)),
            ("2026-11-26 10:00", 30, "2026-11-26 10:31", Some(Fin::Inactivite)),
            ("2026-11-26 23:50", 120, "2026-11-27 00:05", Some(Fin::FinDeJournee)),
            ("2026-11-26 10:00", 120, "2026-11-26 09:59", Some(Fin::HorlogeReculee)),
        ] {
            assert_eq!(
                fin(ouverte, a(activite), inactivite, a(maintenant)),
                attendue,
                "{maintenant}"
            );
        }
        assert!(Fin::Inactivite.message().contains("inactivité"));
    }
}
