//! The data·inclusion v1 thematiques (`categorie--besoin`), the national vocabulary of
//! needs and offers.

use std::sync::OnceLock;

static CSV: &str = include_str!("data/thematiques_v1.csv");

#[derive(Debug, PartialEq, Eq)]
pub struct Thematique {
    pub code: String,
    pub libelle: String,
}

impl Thematique {
    /// The category: the part of the code before `--`.
    pub fn categorie(&self) -> &str {
        self.code.split_once("--").map_or(&self.code, |(c, _)| c)
    }
}

pub fn toutes() -> &'static [Thematique] {
    static THEMATIQUES: OnceLock<Vec<Thematique>> = OnceLock::new();
    THEMATIQUES.get_or_init(|| {
        csv::ReaderBuilder::new()
            .from_reader(CSV.as_bytes())
            .records()
            .filter_map(Result::ok)
            .map(|r| Thematique {
                code: r[0].to_owned(),
                libelle: r[1].to_owned(),
            })
            .collect()
    })
}

/// The label of a thematique or of a category (`mobilite` → « Mobilité »); the code
/// itself when it is neither.
pub fn libelle(code: &str) -> &str {
    static CATEGORIES: OnceLock<Vec<(String, String)>> = OnceLock::new();
    let categories = CATEGORIES.get_or_init(|| {
        csv::ReaderBuilder::new()
            .from_reader(include_str!("data/categories_v1.csv").as_bytes())
            .records()
            .filter_map(Result::ok)
            .map(|r| (r[0].to_owned(), r[1].to_owned()))
            .collect()
    });
    match par_code(code) {
        Some(t) => &t.libelle,
        None => categories.iter().find(|(c, _)| c == code).map_or(code, |(_, l)| l),
    }
}

pub fn par_code(code: &str) -> Option<&'static Thematique> {
    // The list comes sorted by code (checked by a test): each imported row looks here.
    let toutes = toutes();
    toutes
        .binary_search_by(|t| t.code.as_str().cmp(code))
        .ok()
        .map(|i| &toutes[i])
}

/// The thematiques of the given categories.
pub fn des_categories(categories: &[&str]) -> Vec<&'static Thematique> {
    toutes()
        .iter()
        .filter(|t| categories.contains(&t.categorie()))
        .collect()
}

/// A value of a list as [`classer`] compares it with what was typed.
pub struct Candidat<'a> {
    pub code: &'a str,
    pub libelle: &'a str,
    /// The list's description of the value (« Familles, parents, enfants, etc »), or empty.
    pub description: &'a str,
}

/// Words a partner puts before the need (« Aide au logement », « Atelier numérique »,
/// « Accompagnement emploi ») without naming one: weighed a hundredth in [`classer`].
const MOTS_VIDES: &[&str] = &[
    "acces", "accompagnement", "accompagner", "accueil", "aide", "atelier", "conseil", "information", "permanence",
    "service", "soutien",
];

/// Up to three codes among `parmi` closest to `saisie`, for "vouliez-vous dire … ?": first
/// those whose own words hold the most of the words typed, then whose whole code does,
/// then whose description does ("parents isolés" → familles, « Familles, parents,
/// enfants » before femmes, « Femmes isolées »), then by spelling, so that a code with a
/// letter missing gets the full code first. A code's own words are its label and its code
/// past the category (`equipement-et-alimentation--alimentation`: « alimentation »), which
/// every code of the category shares. Each word typed weighs its letters (a long word says
/// more than a short one) divided by the number of values whose code or label hold it (a
/// category's name, which all its codes share, says less than the need's own word); a word
/// of [`MOTS_VIDES`] (« aide », « accompagnement »), which names no need, counts only
/// when nothing else does (« aide alimentaire » → `equipement-et-alimentation--alimentation`
/// before `…--aide-menagere`, « aide au logement » → a code of housing). Words compare accents, case and plural aside, or by their first
/// five letters ("alimentaire", "alimentation"). Every command where a code of a list is
/// typed suggests through here.
pub fn classer<'a>(saisie: &str, parmi: impl IntoIterator<Item = Candidat<'a>>) -> Vec<&'a str> {
    classement(saisie, parmi).into_iter().take(3).map(|(_, c)| c).collect()
}

/// The values among `parmi` whose code or label hold a word of `saisie`, compared as
/// [`classer`] compares them (« alimentaire » finds « Alimentation »), closest first.
pub fn contenant<'a>(saisie: &str, parmi: impl IntoIterator<Item = Candidat<'a>>) -> Vec<&'a str> {
    classement(saisie, parmi)
        .into_iter()
        .filter(|(notes, _)| notes[1] > 0.0)
        .map(|(_, c)| c)
        .collect()
}

/// Every value of `parmi` with its notes (see [`classer`]), closest to `saisie` first.
fn classement<'a>(saisie: &str, parmi: impl IntoIterator<Item = Candidat<'a>>) -> Vec<([f64; 4], &'a str)> {
    use crate::domain::texte::{mots, singulier};
    let tapes: Vec<String> = mots(saisie).into_iter().filter(|m| m.len() >= 3).collect();
    let meme = |a: &str, b: &str| {
        let (a, b) = (singulier(a), singulier(b));
        a == b || (a.len() >= 5 && b.len() >= 5 && a.bytes().zip(b.bytes()).take_while(|(x, y)| x == y).count() >= 5)
    };
    // Which of the words typed a text holds.
    let tient = |texte: &str| -> Vec<bool> {
        let siens = mots(texte);
        tapes.iter().map(|m| siens.iter().any(|s| meme(m, s))).collect()
    };
    let candidats: Vec<_> = parmi
        .into_iter()
        .map(|c| {
            let besoin = c.code.rsplit_once("--").map_or(c.code, |(_, b)| b);
            let propres = tient(&format!("{besoin} {}", c.libelle));
            let entiers = tient(&format!("{} {}", c.code, c.libelle));
            (propres, entiers, tient(c.description), c.code)
        })
        .collect();
    let poids: Vec<f64> = tapes
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let porteurs = candidats.iter().filter(|c| c.1[i]).count().max(1);
            let vide = if MOTS_VIDES.contains(&singulier(m)) { 100.0 } else { 1.0 };
            m.len() as f64 / porteurs as f64 / vide
        })
        .collect();
    let note = |tenus: &[bool]| -> f64 { tenus.iter().zip(&poids).filter(|(t, _)| **t).map(|(_, p)| p).sum() };
    let saisie = saisie.trim().to_lowercase();
    let mut notes: Vec<_> = candidats
        .iter()
        .map(|(propres, entiers, description, code)| {
            (
                [
                    note(propres),
                    note(entiers),
                    note(description),
                    strsim::jaro_winkler(&saisie, code),
                ],
                *code,
            )
        })
        .collect();
    notes.sort_by(|(a, x), (b, y)| {
        a.iter()
            .zip(b)
            .map(|(a, b)| b.total_cmp(a))
            .find(|o| o.is_ne())
            .unwrap_or(std::cmp::Ordering::Equal)
            .then(x.cmp(y))
    });
    notes
}

/// [`classer`] among thematiques and categories, each with its label.
pub fn proches<'a>(saisie: &str, parmi: &[&'a str]) -> Vec<&'a str> {
    classer(
        saisie,
        parmi.iter().map(|c| Candidat {
            code: c,
            libelle: libelle(c),
            description: "",
        }),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_thematique_is_found_by_its_code() {
        assert!(
            toutes().is_sorted_by(|a, b| a.code < b.code),
            "par_code searches by halves"
        );
        for t in toutes() {
            assert_eq!(par_code(&t.code).map(|p| &p.code), Some(&t.code));
        }
        assert!(par_code("mobilite").is_none() && par_code("zzz").is_none());
    }

    #[test]
    fn every_category_has_its_label() {
        let mut categories: Vec<&str> = toutes().iter().map(Thematique::categorie).collect();
        categories.dedup();
        for c in categories {
            assert_ne!(libelle(c), c, "catégorie sans libellé : {c}");
        }
        assert_eq!(libelle("mobilite"), "Mobilité");
        assert_eq!(libelle("mobilite--preparer-un-permis"), "Préparer un permis");
        assert_eq!(libelle("inconnue"), "inconnue");
    }

    #[test]
    fn the_v1_list_is_loaded_with_its_categories() {
        assert_eq!(toutes().len(), 69);
        let t = par_code("mobilite--acceder-a-un-vehicule").unwrap();
        assert_eq!(t.categorie(), "mobilite");
        assert_eq!(t.libelle, "Accéder à un véhicule");
        let mut categories: Vec<&str> = toutes().iter().map(Thematique::categorie).collect();
        categories.dedup();
        assert_eq!(categories.len(), 16);
        assert_eq!(des_categories(&["se-former"]).len(), 2);
        assert_eq!(
            proches(
                "se-former--trouver-formation",
                &["se-former--trouver-sa-formation", "mobilite"]
            )[0],
            "se-former--trouver-sa-formation"
        );
        let tous: Vec<&str> = toutes()
            .iter()
            .map(|t| t.code.as_str())
            .chain(["equipement-et-alimentation"])
            .collect();
        assert_eq!(proches("Alimentation", &tous)[0], "equipement-et-alimentation");
        assert!(proches("emploi", &tous).iter().all(|c| c.contains("emploi")));
        // One letter missing, or one too many: the full code first, not a category.
        let avec_categories: Vec<&str> = toutes()
            .iter()
            .map(|t| t.code.as_str())
            .chain(toutes().iter().map(Thematique::categorie))
            .collect();
        for (saisie, attendu) in [
            ("mobilite--preparer-un-permi", "mobilite--preparer-un-permis"),
            ("Mobilite--Preparer-un-permis-", "mobilite--preparer-un-permis"),
            (
                "numerique--acceder-a-des-services-en-lign",
                "numerique--acceder-a-des-services-en-ligne",
            ),
        ] {
            assert_eq!(proches(saisie, &avec_categories)[0], attendu, "{saisie}");
        }
        // Words of the label count, and a word is found by its first letters.
        assert!(
            proches("Aide alimentaire", &avec_categories).contains(&"equipement-et-alimentation--alimentation"),
            "{:?}",
            proches("Aide alimentaire", &avec_categories)
        );
    }

    /// A word every code of a category shares (« alimentation » in
    /// `equipement-et-alimentation--…`), or a common one (« aide »), says less than the
    /// word that names the need: the code naming it comes first.
    #[test]
    fn the_significant_word_outranks_a_common_one() {
        let mut valides: Vec<&str> = toutes().iter().map(|t| t.code.as_str()).collect();
        let mut categories: Vec<&str> = toutes().iter().map(Thematique::categorie).collect();
        categories.dedup();
        valides.extend(categories);
        for (saisie, attendu) in [
            ("Aide alimentaire", "equipement-et-alimentation--alimentation"),
            ("Garde enfants", "famille--garde-denfants"),
            ("Permis de conduire", "mobilite--preparer-un-permis"),
            (
                "Accompagnement aux droits",
                "difficultes-administratives-ou-juridiques--accompagnement-pour-lacces-aux-droits",
            ),
        ] {
            assert_eq!(
                proches(saisie, &valides)[0],
                attendu,
                "{saisie} : {:?}",
                proches(saisie, &valides)
            );
        }
        // A word that names no need (« aide », « accompagnement ») leaves the choice to the
        // one that does.
        for (saisie, debut) in [
            ("Aide au logement", "logement-hebergement"),
            ("Accompagnement emploi", "trouver-un-emploi"),
        ] {
            let trois = proches(saisie, &valides);
            assert!(trois[..2].iter().all(|c| c.starts_with(debut)), "{saisie} : {trois:?}");
        }
    }

    #[test]
    fn shared_words_come_before_spelling_descriptions_included() {
        let publics = &crate::referentiel::listes::PUBLICS;
        // Spelling alone suggested « seniors »: « parents » is in the description of
        // familles, a longer word than « isolées » in that of femmes.
        assert_eq!(publics.proches("Parents isolés")[0], "familles");
        assert_eq!(publics.proches("jeunes de 16 à 25 ans")[0], "jeunes");
        assert_eq!(publics.proches("Séniors")[0], "seniors");
        assert_eq!(publics.proches("familes")[0], "familles");
        assert_eq!(crate::referentiel::listes::FRAIS.proches("gratuite")[0], "gratuit");
    }
}
