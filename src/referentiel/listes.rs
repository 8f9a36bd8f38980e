//! The small data·inclusion v1 lists an offer's coded fields are checked against, and
//! the translation of the legacy v0 thematiques.

use std::sync::OnceLock;

use super::thematiques;

/// A data·inclusion list: its codes in file order.
pub struct Liste {
    pub nom: &'static str,
    csv: &'static str,
    codes: OnceLock<Vec<String>>,
}

impl Liste {
    const fn new(nom: &'static str, csv: &'static str) -> Liste {
        Liste {
            nom,
            csv,
            codes: OnceLock::new(),
        }
    }

    pub fn codes(&self) -> &[String] {
        self.codes.get_or_init(|| {
            csv::Reader::from_reader(self.csv.as_bytes())
                .records()
                .filter_map(Result::ok)
                .map(|r| r[0].to_owned())
                .collect()
        })
    }

    pub fn contient(&self, code: &str) -> bool {
        self.codes().iter().any(|c| c == code)
    }
}

pub static PUBLICS: Liste = Liste::new("publics", include_str!("data/publics_v1.csv"));
pub static TYPES: Liste = Liste::new("types", include_str!("data/types_de_services_v1.csv"));
pub static MODES_ACCUEIL: Liste = Liste::new("modes_accueil", include_str!("data/modes_accueil_v1.csv"));
pub static MODES_MOBILISATION: Liste = Liste::new("modes_mobilisation", include_str!("data/modes_mobilisation_v1.csv"));
pub static FRAIS: Liste = Liste::new("frais", include_str!("data/frais_v1.csv"));
pub static MOBILISABLE_PAR: Liste = Liste::new("mobilisable_par", include_str!("data/personne_mobilisatrice_v1.csv"));
static THEMATIQUES_V0: Liste = Liste::new("thematiques v0", include_str!("data/thematiques_v0.csv"));

/// v0 categories renamed or merged in v1; the others kept their name.
const CATEGORIES_V0: &[(&str, Option<&str>)] = &[
    (
        "acces-aux-droits-et-citoyennete",
        Some("difficultes-administratives-ou-juridiques"),
    ),
    ("apprendre-francais", Some("lecture-ecriture-calcul")),
    ("illettrisme", Some("lecture-ecriture-calcul")),
    ("creation-activite", Some("creer-une-entreprise")),
    ("gestion-financiere", Some("difficultes-financieres")),
    ("handicap", Some("sante")),
    ("accompagnement-social-et-professionnel-personnalise", None),
];

/// The v1 thematique for a v0 code: the same need under the v1 category, else the same
/// need anywhere in v1, else the v1 category alone. `None` for a code that is not v0, or
/// for a v0 category without v1 equivalent.
pub fn depuis_v0(code: &str) -> Option<String> {
    if !THEMATIQUES_V0.contient(code) || thematiques::par_code(code).is_some() {
        return None;
    }
    let (categorie, besoin) = code.split_once("--").map_or((code, None), |(c, b)| (c, Some(b)));
    let categorie_v1 = match CATEGORIES_V0.iter().find(|(v0, _)| *v0 == categorie) {
        Some((_, v1)) => (*v1)?,
        None => categorie,
    };
    if let Some(besoin) = besoin {
        let meme = format!("{categorie_v1}--{besoin}");
        if thematiques::par_code(&meme).is_some() {
            return Some(meme);
        }
        let suffixe = format!("--{besoin}");
        if let Some(t) = thematiques::toutes().iter().find(|t| t.code.ends_with(&suffixe)) {
            return Some(t.code.clone());
        }
    }
    thematiques::toutes()
        .iter()
        .any(|t| t.categorie() == categorie_v1)
        .then(|| categorie_v1.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lists_are_loaded() {
        assert_eq!(PUBLICS.codes().len(), 14);
        assert!(MODES_ACCUEIL.contient("a-distance") && FRAIS.contient("gratuit") && TYPES.contient("atelier"));
        assert!(MODES_MOBILISATION.contient("telephoner") && MOBILISABLE_PAR.contient("usagers"));
    }

    #[test]
    fn v0_thematiques_are_translated() {
        assert_eq!(depuis_v0("mobilite").as_deref(), Some("mobilite"));
        assert_eq!(depuis_v0("creation-activite").as_deref(), Some("creer-une-entreprise"));
        assert_eq!(
            depuis_v0("mobilite--mobilite-douce-partagee-collective"),
            None,
            "déjà v1"
        );
        assert_eq!(depuis_v0("accompagnement-social-et-professionnel-personnalise"), None);
        assert_eq!(depuis_v0("pas-un-code"), None);
        // Every v0 code either translates into a valid v1 code or category, or is known
        // to have no equivalent.
        for code in THEMATIQUES_V0.codes() {
            if let Some(v1) = depuis_v0(code) {
                let valide =
                    thematiques::par_code(&v1).is_some() || thematiques::toutes().iter().any(|t| t.categorie() == v1);
                assert!(valide, "{code} → {v1}");
            }
        }
    }
}
