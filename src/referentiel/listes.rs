//! The small data·inclusion v1 lists an offer's coded fields are checked against, the
//! translation of the legacy v0 thematiques, and the lookup that reads a cell of codes
//! or labels ([`Lexique`]).

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use super::thematiques;
use crate::domain::texte::{cle_de_libelle, normaliser};

/// What separates the values of one cell: `,` `;` `/` or a line break.
pub const SEPARATEURS: &[char] = &[',', ';', '/', '\n', '\r'];

/// [`SEPARATEURS`] as a table of bytes (all are ASCII).
const EST_SEPARATEUR: [bool; 256] = {
    let mut table = [false; 256];
    let mut i = 0;
    while i < SEPARATEURS.len() {
        table[SEPARATEURS[i] as usize] = true;
        i += 1;
    }
    table
};

/// The non-empty values of a cell cut at every [`SEPARATEURS`], trimmed of spaces and of
/// the brackets and quotes of a list written as data·inclusion's CSV files write them
/// (`['famille', 'jeunes']`).
pub fn morceaux(cellule: &str) -> impl Iterator<Item = &str> {
    // Cut byte by byte: the separators are ASCII, so each cut falls between characters
    // (several times faster than `split` with a set of characters).
    let fins = cellule
        .bytes()
        .enumerate()
        .filter(|(_, o)| EST_SEPARATEUR[usize::from(*o)])
        .map(|(i, _)| i)
        .chain([cellule.len()]);
    let mut debut = 0;
    fins.map(move |fin| {
        let morceau = &cellule[debut..fin];
        debut = fin + 1;
        morceau
    })
    .map(|m| m.trim_matches(|c: char| c.is_whitespace() || matches!(c, '[' | ']' | '\'' | '"')))
    .filter(|m| !m.is_empty())
}

/// Code or label → code, for one list. A value is found by its code as written, or by
/// its code or label once [`normaliser`]d (accents, case, apostrophes ’ or ' and
/// punctuation aside), or by its label in the singular or the plural ([`cle_de_libelle`]).
#[derive(Debug)]
pub struct Lexique {
    /// Each code as written, and the normalised form of each code and label.
    cles: HashMap<String, String>,
    /// Each label's [`cle_de_libelle`]: a label is found in the singular or the plural, a
    /// code only as it is (a code with a letter missing is a typo, told with suggestions).
    libelles: HashMap<String, String>,
    /// The most [`morceaux`] one code or label spans ("Réaliser un CV et/ou une lettre de
    /// motivation" spans two).
    morceaux_max: usize,
    /// The normalised beginnings (whole words, not the whole) of each code and label, and
    /// of each label's [`cle_de_libelle`]: only a piece among them may begin a value
    /// spanning several pieces.
    debuts: HashSet<String>,
    /// The keys as written that normalise to one of `debuts` (a piece found as written is
    /// otherwise taken alone, without normalising it).
    debuts_tels_quels: HashSet<String>,
}

impl Lexique {
    /// From (code or label, code) pairs; when two give the same key, the first wins.
    pub fn new<T: AsRef<str>, C: Into<String>>(entrees: impl IntoIterator<Item = (T, C)>) -> Lexique {
        let mut cles = HashMap::new();
        let mut libelles = HashMap::new();
        let mut morceaux_max = 1;
        let mut debuts = HashSet::new();
        for (texte, code) in entrees {
            let texte = texte.as_ref();
            let code: String = code.into();
            morceaux_max = morceaux_max.max(morceaux(texte).count());
            cles.entry(texte.to_owned()).or_insert_with(|| code.clone());
            if texte != code {
                let cle = cle_de_libelle(texte);
                debuts.extend(cle.match_indices(' ').map(|(i, _)| cle[..i].to_owned()));
                if !cle.is_empty() {
                    libelles.entry(cle).or_insert_with(|| code.clone());
                }
            }
            let cle = normaliser(texte);
            debuts.extend(cle.match_indices(' ').map(|(i, _)| cle[..i].to_owned()));
            if !cle.is_empty() {
                cles.entry(cle).or_insert(code);
            }
        }
        let debuts_tels_quels = cles
            .keys()
            .filter(|c| {
                let n = normaliser(c);
                debuts.contains(&n) || debuts.contains(&cle_de_libelle(&n))
            })
            .cloned()
            .collect();
        Lexique {
            cles,
            libelles,
            morceaux_max,
            debuts,
            debuts_tels_quels,
        }
    }

    /// The code of one value (a code or a label).
    pub fn code(&self, saisie: &str) -> Option<&str> {
        let saisie = saisie.trim();
        self.cles
            .get(saisie)
            .or_else(|| self.cles.get(&normaliser(saisie)))
            .or_else(|| self.libelles.get(&cle_de_libelle(saisie)))
            .map(String::as_str)
    }

    /// Whether the piece `normalise` (normalised) may begin a code or label spanning
    /// several pieces, as written or in the singular.
    fn peut_commencer(&self, normalise: &str) -> bool {
        self.debuts.contains(normalise) || self.debuts.contains(&cle_de_libelle(normalise))
    }

    /// The values of a cell, in order: each one's code, or the text no code or label
    /// matches. The cell is cut at every separator, then, from left to right, the longest
    /// run of consecutive pieces that is a whole code or label is taken, so that a label
    /// holding a separator ("…mobilité douce, partagée ou collective") stays one value.
    pub fn lire<'c>(&self, cellule: &'c str) -> Vec<Result<&str, &'c str>> {
        self.lire_saisies(cellule).into_iter().map(|(_, v)| v).collect()
    }

    /// [`Lexique::lire`], each value with the text it was read from (its pieces joined by
    /// a space when a label holds a separator).
    pub fn lire_saisies<'c>(&self, cellule: &'c str) -> Vec<(Cow<'c, str>, Result<&str, &'c str>)> {
        let pieces: Vec<&str> = morceaux(cellule).collect();
        let mut valeurs = Vec::with_capacity(pieces.len());
        let mut i = 0;
        while i < pieces.len() {
            // Most cells hold codes as written: found without normalising them.
            let tel_quel = self.cles.get(pieces[i]).map(String::as_str);
            let normalise = match tel_quel {
                Some(_) if !self.debuts_tels_quels.contains(pieces[i]) => None,
                _ => Some(normaliser(pieces[i])),
            };
            let plus_long = match &normalise {
                Some(n) if i + 1 < pieces.len() && self.peut_commencer(n) => {
                    (2..=self.morceaux_max.min(pieces.len() - i)).rev().find_map(|n| {
                        let saisie = pieces[i..i + n].join(" ");
                        self.code(&saisie).map(|c| (n, Cow::Owned(saisie), c))
                    })
                }
                _ => None,
            };
            let seul = || {
                let n = normalise.as_deref()?;
                self.cles
                    .get(n)
                    .or_else(|| self.libelles.get(&cle_de_libelle(n)))
                    .map(String::as_str)
            };
            match plus_long.or_else(|| tel_quel.or_else(seul).map(|c| (1, Cow::Borrowed(pieces[i]), c))) {
                Some((n, saisie, code)) => {
                    valeurs.push((saisie, Ok(code)));
                    i += n;
                }
                None => {
                    valeurs.push((Cow::Borrowed(pieces[i]), Err(pieces[i])));
                    i += 1;
                }
            }
        }
        valeurs
    }
}

/// A data·inclusion list: its codes in file order, and its [`Lexique`].
pub struct Liste {
    pub nom: &'static str,
    csv: &'static str,
    codes: OnceLock<Vec<(String, String)>>,
    descriptions: OnceLock<Vec<String>>,
    lexique: OnceLock<Lexique>,
}

impl Liste {
    const fn new(nom: &'static str, csv: &'static str) -> Liste {
        Liste {
            nom,
            csv,
            codes: OnceLock::new(),
            descriptions: OnceLock::new(),
            lexique: OnceLock::new(),
        }
    }

    /// (code, label) pairs, in the file's order.
    pub fn libelles(&self) -> &[(String, String)] {
        self.codes.get_or_init(|| {
            csv::Reader::from_reader(self.csv.as_bytes())
                .records()
                .filter_map(Result::ok)
                .map(|r| (r[0].to_owned(), r[1].to_owned()))
                .collect()
        })
    }

    /// Each code's description, in the order of [`Liste::libelles`].
    fn descriptions(&self) -> &[String] {
        self.descriptions.get_or_init(|| {
            csv::Reader::from_reader(self.csv.as_bytes())
                .records()
                .filter_map(Result::ok)
                .map(|r| r.get(2).unwrap_or_default().to_owned())
                .collect()
        })
    }

    /// The codes closest to `saisie`, by the words of their labels and descriptions
    /// first ([`thematiques::classer`]).
    pub fn proches(&self, saisie: &str) -> Vec<&str> {
        thematiques::classer(
            saisie,
            self.libelles()
                .iter()
                .zip(self.descriptions())
                .map(|((code, libelle), description)| thematiques::Candidat {
                    code,
                    libelle,
                    description,
                }),
        )
    }

    /// The label of a code of the list.
    pub fn libelle(&self, code: &str) -> Option<&str> {
        self.libelles().iter().find(|(c, _)| c == code).map(|(_, l)| l.as_str())
    }

    pub fn codes(&self) -> Vec<&str> {
        self.libelles().iter().map(|(c, _)| c.as_str()).collect()
    }

    pub fn contient(&self, code: &str) -> bool {
        self.libelles().iter().any(|(c, _)| c == code)
    }

    /// Code or label → code, built at first use.
    pub fn lexique(&self) -> &Lexique {
        self.lexique.get_or_init(|| {
            let libelles = self.libelles();
            Lexique::new(
                libelles
                    .iter()
                    .map(|(c, _)| (c, c))
                    .chain(libelles.iter().map(|(c, l)| (l, c))),
            )
        })
    }
}

/// Every list of an offer's coded fields but the thematiques ([`thematiques`]).
pub static LISTES: [&Liste; 6] = [
    &PUBLICS, &TYPES, &MODES_ACCUEIL, &MODES_MOBILISATION, &FRAIS, &MOBILISABLE_PAR,
];

pub static PUBLICS: Liste = Liste::new("publics", include_str!("data/publics_v1.csv"));
pub static TYPES: Liste = Liste::new("types", include_str!("data/types_de_services_v1.csv"));
pub static MODES_ACCUEIL: Liste = Liste::new("modes_accueil", include_str!("data/modes_accueil_v1.csv"));
pub static MODES_MOBILISATION: Liste = Liste::new("modes_mobilisation", include_str!("data/modes_mobilisation_v1.csv"));
pub static FRAIS: Liste = Liste::new("frais", include_str!("data/frais_v1.csv"));
pub static MOBILISABLE_PAR: Liste = Liste::new("mobilisable_par", include_str!("data/personne_mobilisatrice_v1.csv"));
static THEMATIQUES_V0: Liste = Liste::new("thematiques v0", include_str!("data/thematiques_v0.csv"));

/// Thematique or category, by code or label, v1 first, then v0 codes and labels
/// translated by [`depuis_v0`].
pub fn thematiques() -> &'static Lexique {
    static LEXIQUE: OnceLock<Lexique> = OnceLock::new();
    LEXIQUE.get_or_init(|| {
        let v1 = thematiques::toutes();
        let mut categories: Vec<&str> = v1.iter().map(thematiques::Thematique::categorie).collect();
        categories.dedup();
        let v0 = THEMATIQUES_V0
            .libelles()
            .iter()
            .filter_map(|(c, l)| depuis_v0(c).map(|v1| [(c.clone(), v1.clone()), (l.clone(), v1)]))
            .flatten();
        Lexique::new(
            v1.iter()
                .map(|t| (t.code.clone(), t.code.clone()))
                .chain(v1.iter().map(|t| (t.libelle.clone(), t.code.clone())))
                .chain(categories.iter().map(|c| (c.to_string(), c.to_string())))
                .chain(v0),
        )
    })
}

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
/// need anywhere in v1, else the need of the v1 category whose label says the same (see
/// [`meme_besoin`]), else the v1 category alone. `None` for a code that is not v0, or for
/// a v0 category without v1 equivalent.
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
        let libelle = THEMATIQUES_V0
            .libelles()
            .iter()
            .find(|(c, _)| c == code)
            .map(|(_, l)| l);
        if let Some(t) = libelle.and_then(|l| meme_besoin(l, categorie_v1)) {
            return Some(t.code.clone());
        }
    }
    thematiques::toutes()
        .iter()
        .any(|t| t.categorie() == categorie_v1)
        .then(|| categorie_v1.to_owned())
}

/// The need of `categorie` whose label says what `libelle` says, in other words: the one
/// sharing the most significant words (four letters or more, a word found by its first
/// five letters) with it, when they share at least two and make most of both labels
/// (« Accompagnement dans les démarches administratives » → « Accompagnement aux
/// démarches administratives »); `None` when no need, or several, come that close.
fn meme_besoin(libelle: &str, categorie: &str) -> Option<&'static thematiques::Thematique> {
    let significatifs = |texte: &str| -> Vec<String> {
        crate::domain::texte::mots(texte)
            .into_iter()
            .filter(|m| m.chars().count() >= 4)
            .collect()
    };
    let meme = |a: &str, b: &str| a == b || (a.len() >= 5 && b.len() >= 5 && a.get(..5) == b.get(..5));
    let mots = significatifs(libelle);
    let mut notes: Vec<(usize, &thematiques::Thematique)> = thematiques::toutes()
        .iter()
        .filter(|t| t.categorie() == categorie)
        .filter_map(|t| {
            let siens = significatifs(&t.libelle);
            let communs = mots.iter().filter(|m| siens.iter().any(|s| meme(m, s))).count();
            (communs >= 2 && 2 * communs > mots.len() && 2 * communs > siens.len()).then_some((communs, t))
        })
        .collect();
    notes.sort_by_key(|(n, _)| std::cmp::Reverse(*n));
    match notes.as_slice() {
        [(n, t), rest @ ..] if rest.first().is_none_or(|(m, _)| m < n) => Some(*t),
        _ => None,
    }
}

/// What a v0 thematique of a partner's file became: its v0 code, and its v1 code, or its
/// v1 category alone when its need has no v1 equivalent, or nothing. `None` when `saisie`
/// (a code or a label) is not a v0 thematique, or is also a v1 one.
pub fn v0(saisie: &str) -> Option<(&'static str, Option<String>)> {
    static V0: OnceLock<HashMap<String, &'static str>> = OnceLock::new();
    let v0 = V0.get_or_init(|| {
        let v1 = thematiques::toutes();
        let de_v1: std::collections::HashSet<String> = v1
            .iter()
            .flat_map(|t| {
                [
                    cle_de_libelle(&t.code),
                    cle_de_libelle(&t.libelle),
                    cle_de_libelle(t.categorie()),
                ]
            })
            .collect();
        let mut v0 = HashMap::new();
        for (c, l) in THEMATIQUES_V0.libelles() {
            for cle in [cle_de_libelle(c), cle_de_libelle(l)] {
                if !de_v1.contains(&cle) {
                    v0.entry(cle).or_insert(c.as_str());
                }
            }
        }
        v0
    });
    v0.get(&cle_de_libelle(saisie)).map(|c| (*c, depuis_v0(c)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_list_written_as_data_inclusion_csv_files_write_it_reads_as_its_values() {
        assert_eq!(
            morceaux("['famille--garde-denfants', 'jeunes']").collect::<Vec<_>>(),
            ["famille--garde-denfants", "jeunes"]
        );
        assert_eq!(morceaux(r#"["55", "54"]"#).collect::<Vec<_>>(), ["55", "54"]);
        assert_eq!(morceaux("[]").count(), 0);
        assert_eq!(
            PUBLICS
                .lexique()
                .lire("['familles', 'Personnes en situation d’urgence']"),
            [Ok("familles"), Ok("personnes-en-situation-durgence")]
        );
    }

    #[test]
    fn the_lists_are_loaded() {
        assert_eq!(PUBLICS.codes().len(), 14);
        assert!(MODES_ACCUEIL.contient("a-distance") && FRAIS.contient("gratuit") && TYPES.contient("atelier"));
        assert!(MODES_MOBILISATION.contient("telephoner") && MOBILISABLE_PAR.contient("usagers"));
    }

    /// Every list with its (code, label) pairs, the v1 thematiques included.
    fn toutes_les_listes() -> Vec<(&'static Lexique, Vec<(&'static str, &'static str)>)> {
        let mut listes: Vec<_> = LISTES
            .iter()
            .map(|l| {
                let paires = l.libelles().iter().map(|(c, l)| (c.as_str(), l.as_str())).collect();
                (l.lexique(), paires)
            })
            .collect();
        let v1 = thematiques::toutes()
            .iter()
            .map(|t| (t.code.as_str(), t.libelle.as_str()));
        listes.push((super::thematiques(), v1.collect()));
        listes
    }

    #[test]
    fn every_code_and_label_gives_back_its_code() {
        for (lexique, paires) in toutes_les_listes() {
            for (code, libelle) in paires {
                let apostrophe_droite = libelle.replace('’', "'");
                for saisie in [
                    code,
                    libelle,
                    &apostrophe_droite,
                    &libelle.to_uppercase(),
                    &code.to_uppercase(),
                ] {
                    assert_eq!(lexique.code(saisie), Some(code), "{saisie}");
                    assert_eq!(lexique.lire(saisie), [Ok(code)], "{saisie}");
                }
            }
        }
        let t = super::thematiques();
        for categorie in ["mobilite", "se-former", "Famille"] {
            assert_eq!(t.code(categorie), Some(categorie.to_lowercase().as_str()));
        }
        assert_eq!(t.code("Garde d’enfants"), Some("famille--garde-denfants"));
        assert_eq!(t.code("GARDE D'ENFANTS"), Some("famille--garde-denfants"));
        assert_eq!(t.code("creation-activite"), Some("creer-une-entreprise"), "v0 traduit");
        assert_eq!(t.code("Garde"), None);
        assert_eq!(PUBLICS.lexique().code("Demandeurs d'emploi"), Some("demandeurs-emploi"));
    }

    #[test]
    fn a_cell_is_cut_at_each_separator_but_keeps_whole_labels() {
        let t = super::thematiques();
        assert_eq!(
            t.lire("Utiliser des services de mobilité douce, partagée ou collective;Réaliser un CV et/ou une lettre de motivation\nmobilite"),
            [
                Ok("mobilite--mobilite-douce-partagee-collective"),
                Ok("preparer-sa-candidature--realiser-un-cv-et-ou-une-lettre-de-motivation"),
                Ok("mobilite")
            ]
        );
        assert_eq!(
            PUBLICS.lexique().lire(" Jeunes / martiens ;; FEMMES,\r\n"),
            [Ok("jeunes"), Err("martiens"), Ok("femmes")]
        );
        assert!(FRAIS.lexique().lire(" ; , ").is_empty());
    }

    /// The reading of a cell as first written: every run of pieces tried, longest first.
    fn lire_en_essayant_tout<'c>(lexique: &'c Lexique, cellule: &'c str) -> Vec<Result<&'c str, &'c str>> {
        let pieces: Vec<&str> = morceaux(cellule).collect();
        let mut valeurs = Vec::new();
        let mut i = 0;
        while i < pieces.len() {
            let plus_long = (2..=lexique.morceaux_max.min(pieces.len() - i))
                .rev()
                .find_map(|n| lexique.code(&pieces[i..i + n].join(" ")).map(|c| (n, c)));
            match plus_long.or_else(|| lexique.code(pieces[i]).map(|c| (1, c))) {
                Some((n, code)) => {
                    valeurs.push(Ok(code));
                    i += n;
                }
                None => {
                    valeurs.push(Err(pieces[i]));
                    i += 1;
                }
            }
        }
        valeurs
    }

    proptest::proptest! {
        /// Any two values of a list, codes or labels, written in any case with either
        /// apostrophe, joined by any separator, give their two codes in order.
        #[test]
        fn two_values_joined_by_any_separator_give_their_codes(
            liste in 0..7usize,
            a in 0..100usize,
            b in 0..100usize,
            libelles in proptest::array::uniform2(proptest::bool::ANY),
            majuscules: bool,
            separateur in proptest::sample::select(vec![",", ";", "/", "\n", "\r\n", " , ", " / "]),
        ) {
            let listes = toutes_les_listes();
            let (lexique, paires) = &listes[liste];
            let (a, b) = (paires[a % paires.len()], paires[b % paires.len()]);
            let ecrire = |(code, libelle): (&str, &str), libelle_voulu: bool| {
                let t = if libelle_voulu { libelle.replace('’', "'") } else { code.to_owned() };
                if majuscules { t.to_uppercase() } else { t }
            };
            let cellule = format!("{}{separateur}{}", ecrire(a, libelles[0]), ecrire(b, libelles[1]));
            proptest::prop_assert_eq!(lexique.lire(&cellule), vec![Ok(a.0), Ok(b.0)], "{}", cellule);
        }

        /// The lookup that skips normalising a value found as written, and tries longer
        /// runs only from a piece that may begin one, reads every cell as trying every run
        /// does: values cut anywhere between words, joined by any separator.
        #[test]
        fn reading_a_cell_finds_what_trying_every_run_finds(
            liste in 0..7usize,
            valeurs in proptest::collection::vec((0..400usize, proptest::bool::ANY, 0..12usize, proptest::bool::ANY), 1..4),
            separateur in proptest::sample::select(vec![",", ";", "/", "\n", " , "]),
        ) {
            let listes = toutes_les_listes();
            let (lexique, paires) = &listes[liste];
            let ecrites: Vec<String> = valeurs
                .iter()
                .map(|&(i, libelle, coupe, pluriel)| {
                    let (code, l) = paires[i % paires.len()];
                    // A label in the plural: an `s` after each word.
                    let texte = match (libelle, pluriel) {
                        (true, true) => l.split(' ').map(|m| format!("{m}s")).collect::<Vec<_>>().join(" "),
                        (true, false) => l.to_owned(),
                        (false, _) => code.to_owned(),
                    };
                    // Cut at the `coupe`-th space, if there is one.
                    match texte.match_indices(' ').nth(coupe) {
                        Some((j, _)) => format!("{}{separateur}{}", &texte[..j], &texte[j + 1..]),
                        None => texte.to_owned(),
                    }
                })
                .collect();
            let cellule = ecrites.join(separateur);
            proptest::prop_assert_eq!(lexique.lire(&cellule), lire_en_essayant_tout(lexique, &cellule), "{}", cellule);
        }

        /// A lookup ignores accents, case, apostrophes and surrounding spaces; a cell's
        /// values are never more than its pieces, and what is unknown is one of them.
        #[test]
        fn the_lookup_ignores_how_a_value_is_written(saisie in "\\PC{0,40}|[A-Za-zéèàç’' -]{1,40}") {
            let t = super::thematiques();
            let code = t.code(&saisie);
            proptest::prop_assert_eq!(code, t.code(&normaliser(&saisie)));
            proptest::prop_assert_eq!(code, t.code(&saisie.replace('’', "'")));
            proptest::prop_assert_eq!(code, t.code(&format!("  {}  ", saisie.to_uppercase())));
            let pieces: Vec<&str> = morceaux(&saisie).collect();
            let valeurs = t.lire(&saisie);
            proptest::prop_assert!(valeurs.len() <= pieces.len());
            for v in valeurs {
                if let Err(inconnue) = v {
                    proptest::prop_assert!(pieces.contains(&inconnue));
                }
            }
        }
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
