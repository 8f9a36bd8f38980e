//! Text normalisation shared by every search: accents, case, hyphens and apostrophes
//! do not matter to a caseworker typing a name.

use deunicode::{deunicode, deunicode_with_tofu_cow};

/// `"  Jean-Pierre  N'DIAYE "` → `"jean pierre n diaye"`: ASCII transliteration (é→e,
/// œ→oe, ß→ss), lower case, every run of other characters becomes one space.
pub fn normaliser(texte: &str) -> String {
    // An import normalises several cells of every row: no copy of a text already in
    // ASCII, and no string per word.
    let ascii = deunicode_with_tofu_cow(texte, "[?]");
    let mut sortie = String::with_capacity(ascii.len());
    for mot in ascii
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|m| !m.is_empty())
    {
        if !sortie.is_empty() {
            sortie.push(' ');
        }
        sortie.push_str(mot);
    }
    sortie.make_ascii_lowercase();
    sortie
}

/// A word without the `s` or `x` of its plural (`enfants` → `enfant`, `travaux` →
/// `travau`), so that the singular and the plural of a word compare equal; words of three
/// letters or less are kept whole.
pub fn singulier(mot: &str) -> &str {
    match mot.as_bytes() {
        [.., b's' | b'x' | b'S' | b'X'] if mot.len() > 3 => &mot[..mot.len() - 1],
        _ => mot,
    }
}

/// The key a code or a label is looked up by: [`normaliser`], each word in the
/// [`singulier`] (« Garde d’enfant » and « gardes d'enfants » give the same key). Every
/// lookup of a typed value in a list goes through here, and [`contient_mots`] compares
/// words the same way.
pub fn cle_de_libelle(texte: &str) -> String {
    let normal = normaliser(texte);
    let mut cle = String::with_capacity(normal.len());
    for mot in normal.split(' ') {
        if !cle.is_empty() {
            cle.push(' ');
        }
        cle.push_str(singulier(mot));
    }
    cle
}

/// Words of a normalised text.
pub fn mots(texte: &str) -> Vec<String> {
    normaliser(texte)
        .split(' ')
        .filter(|m| !m.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Whether every word of `cherches` (words of [`mots`]) begins a word of one of `textes`,
/// accents, case, punctuation and plural aside ([`singulier`]): « atel num » finds
/// « Atelier numérique », « gardes » finds « Garde d’enfants ».
pub fn contient_mots(textes: &[&str], cherches: &[String]) -> bool {
    // The words of `normaliser`, compared without building its lower-case copy: `offre
    // chercher` runs this on every offer of the catalogue.
    let ascii: Vec<String> = textes.iter().map(|t| deunicode(t)).collect();
    cherches.iter().all(|cherche| {
        let cherche = singulier(cherche);
        ascii
            .iter()
            .flat_map(|t| t.split(|c: char| !c.is_ascii_alphanumeric()))
            .any(|mot| {
                mot.as_bytes()
                    .get(..cherche.len())
                    .is_some_and(|debut| debut.eq_ignore_ascii_case(cherche.as_bytes()))
            })
    })
}

/// The first control character of `texte` (NUL, escape, bell…) other than those in
/// `permis`, with its position (in characters, from 1): the rule for every text spie
/// keeps, typed or imported.
pub fn caractere_de_controle(texte: &str, permis: &[char]) -> Option<(usize, char)> {
    // Control characters are U+0000–U+001F, U+007F and U+0080–U+009F (`C2 80`–`C2 9F` in
    // UTF-8): a text without those bytes has none, checked without decoding it (an import
    // checks every cell of every row).
    if !octets_de_controle(texte) {
        return None;
    }
    texte
        .chars()
        .enumerate()
        .find(|(_, c)| c.is_control() && !permis.contains(c))
        .map(|(i, c)| (i + 1, c))
}

/// Whether `texte` holds a character [`caractere_de_controle`] looks for: a byte below
/// 0x20, 0x7F, or 0xC2 followed by 0x80–0x9F (0xC2 then 0xA0–0xBF is `°`, `«`, `»` or a
/// non-breaking space, common in French). The whole text is gone through without a branch
/// per byte, which the compiler turns into vector instructions: an import checks each row
/// at once this way (a byte at a time, cell by cell, this check was a fifteenth of its
/// reading).
pub fn octets_de_controle(texte: &str) -> bool {
    let octets = texte.as_bytes();
    let Some((&dernier, _)) = octets.split_last() else {
        return false;
    };
    let paires = (octets.iter().zip(&octets[1..])).fold(false, |trouve, (&b, &suivant)| {
        trouve | (b < 0x20) | (b == 0x7f) | ((b == 0xc2) & (suivant < 0xa0))
    });
    paires | (dernier < 0x20) | (dernier == 0x7f)
}

/// How a forbidden control character is named in a message: `U+0000`.
pub fn nom_du_caractere(c: char) -> String {
    format!("U+{:04X}", u32::from(c))
}

/// A value echoed in a message, cut to `max` characters with an ellipsis: a file or an
/// option may hold megabytes in one value.
pub fn apercu(valeur: &str, max: usize) -> std::borrow::Cow<'_, str> {
    match valeur.char_indices().nth(max) {
        Some((coupe, _)) => format!("{}…", &valeur[..coupe]).into(),
        None => valeur.into(),
    }
}

/// "« code » inconnue" when what was typed in a field of codes looks like a code, else
/// "inconnue" alone: a sentence typed there by mistake (a name, a health detail) is
/// never repeated in a message. `quoi` is a feminine noun (valeur, dimension…).
pub fn inconnue(quoi: &str, saisie: &str) -> String {
    inconnu_accorde(quoi, saisie, "inconnue")
}

/// [`inconnue`] for a masculine noun (niveau, public…).
pub fn inconnu(quoi: &str, saisie: &str) -> String {
    inconnu_accorde(quoi, saisie, "inconnu")
}

/// "valeurs possibles : a, b, c", preceded by "vouliez-vous dire « b » ?" when one of
/// `codes` is close to what was typed (a letter missing, swapped or added).
pub fn valeurs_possibles(saisie: &str, codes: &[&str]) -> String {
    match le_plus_proche(&en_code(saisie), codes) {
        Some(code) => format!(
            "vouliez-vous dire « {code} » ? valeurs possibles : {}",
            codes.join(", ")
        ),
        None => format!("valeurs possibles : {}", codes.join(", ")),
    }
}

/// The one of `parmi` spelt almost like `saisie` (a letter missing, swapped or added), if any.
pub fn le_plus_proche<'a>(saisie: &str, parmi: &[&'a str]) -> Option<&'a str> {
    parmi
        .iter()
        .map(|c| (strsim::jaro_winkler(saisie, c), *c))
        .filter(|(note, _)| *note >= 0.85)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

/// A number as written in French, with `chiffres` decimals after a comma: `0,70`.
pub fn decimal(x: f64, chiffres: usize) -> String {
    format!("{x:.chiffres$}").replace('.', ",")
}

/// A code as a person may type it after reading it on screen: `non abordé`, `Santé`,
/// `sans_impact` → `non-aborde`, `sante`, `sans-impact`.
pub fn en_code(saisie: &str) -> String {
    normaliser(saisie).replace(' ', "-")
}

fn inconnu_accorde(quoi: &str, saisie: &str, accord: &str) -> String {
    let saisie = saisie.trim();
    let code = !saisie.is_empty()
        && saisie.len() <= 40
        && saisie
            .bytes()
            .all(|o| o.is_ascii_alphanumeric() || matches!(o, b'-' | b'_' | b'.'));
    if code {
        format!("{quoi} « {saisie} » {accord}")
    } else {
        format!("{quoi} {accord} (ce qui a été saisi n'est pas un code : il n'est pas répété ici)")
    }
}

/// The length of a value echoed in a message (names, cells, suggestions).
pub const APERCU: usize = 80;

/// `n` and the noun agreeing with it: singular for 0 and 1, as French has it.
pub fn compte(n: u64, singulier: &str, pluriel: &str) -> String {
    format!("{n} {}", if n > 1 { pluriel } else { singulier })
}

/// « de » before a name, elided before a vowel as French writes it: « d'Anne Lebon »,
/// « d'Élodie Faure », « de Marc Durand », « de Yasmine Roux ».
pub fn de(nom: &str) -> String {
    let voyelle = nom
        .chars()
        .next()
        .is_some_and(|c| c.to_lowercase().all(|c| "aàâäeéèêëiîïoôöuùûüœæ".contains(c)));
    if voyelle {
        format!("d'{nom}")
    } else {
        format!("de {nom}")
    }
}

/// A free-text field typed by a user: trimmed, no control characters, bounded length.
pub fn champ_libre(nom_du_champ: &str, valeur: &str, longueur_max: usize) -> Result<String, String> {
    let v = valeur.trim();
    if let Some((_, c)) = caractere_de_controle(v, &[]) {
        return Err(format!(
            "{nom_du_champ} : caractère de contrôle interdit ({})",
            nom_du_caractere(c)
        ));
    }
    let n = v.chars().count();
    if n > longueur_max {
        return Err(format!("{nom_du_champ} : {n} caractères, {longueur_max} au plus"));
    }
    Ok(v.to_owned())
}

/// An optional free-text field (a place, a reason): checked like [`champ_libre`]; empty
/// is none.
pub fn champ_facultatif(
    nom_du_champ: &str,
    valeur: Option<&str>,
    longueur_max: usize,
) -> Result<Option<String>, String> {
    Ok(valeur
        .map(|v| champ_libre(nom_du_champ, v, longueur_max))
        .transpose()?
        .filter(|v| !v.is_empty()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn de_is_elided_before_a_vowel_only() {
        assert_eq!(de("Anne Lebon"), "d'Anne Lebon");
        assert_eq!(de("Élodie Faure"), "d'Élodie Faure");
        assert_eq!(de("Œdipe"), "d'Œdipe");
        assert_eq!(de("Marc Durand"), "de Marc Durand");
        assert_eq!(de("Yasmine Roux"), "de Yasmine Roux");
        assert_eq!(de("accueil"), "d'accueil");
        assert_eq!(de(""), "de ");
    }
    use proptest::prelude::*;

    #[test]
    fn accents_case_and_separators_vanish() {
        assert_eq!(normaliser("  Jean-Pierre  N'DIAYE "), "jean pierre n diaye");
        assert_eq!(normaliser("Éloïse Lœuillet"), "eloise loeuillet");
        assert_eq!(normaliser("Saint-Mihiel"), "saint mihiel");
        assert_eq!(normaliser("---"), "");
    }

    #[test]
    fn free_text_is_bounded_and_clean() {
        assert_eq!(champ_libre("nom", "  Dupont ", 10), Ok("Dupont".into()));
        assert!(champ_libre("nom", "a\0b", 10).unwrap_err().contains("contrôle"));
        assert!(
            champ_libre("nom", &"x".repeat(11), 10)
                .unwrap_err()
                .contains("11 caractères")
        );
    }

    #[test]
    fn only_codes_are_repeated_in_messages() {
        assert_eq!(inconnue("valeur", " fortt "), "valeur « fortt » inconnue");
        let phrase = inconnue("valeur", "Mme Dupont cancer du sein");
        assert!(
            !phrase.contains("Dupont") && phrase.starts_with("valeur inconnue"),
            "{phrase}"
        );
        assert!(!inconnue("valeur", &"a".repeat(41)).contains("aaaa"));
    }

    #[test]
    fn echoed_values_are_bounded_and_counts_agree() {
        assert_eq!(apercu("Verdun", 6), "Verdun");
        assert_eq!(apercu("Étain-sur-Orne", 5), "Étain…");
        assert_eq!(apercu(&"x".repeat(1 << 20), APERCU).chars().count(), APERCU + 1);
        assert_eq!(
            [0, 1, 2].map(|n| compte(n, "ligne", "lignes")),
            ["0 ligne", "1 ligne", "2 lignes"]
        );
        assert_eq!(caractere_de_controle("a\tb\0", &['\t']), Some((4, '\0')));
        assert_eq!(caractere_de_controle("a\tb", &['\t']), None);
        assert!(
            !octets_de_controle("Accompagnement n° 12 « suivi »\u{a0}!"),
            "French signs are no controls"
        );
        assert!(octets_de_controle("fin\u{85}") && octets_de_controle("\u{7f}") && !octets_de_controle(""));
        assert_eq!(nom_du_caractere('\u{1b}'), "U+001B");
    }

    #[test]
    fn searched_words_begin_words_of_the_texts() {
        let textes = [
            "Atelier numérique « Premiers pas »",
            "Pour l'accès aux démarches en ligne",
        ];
        let trouve = |cherche: &str| contient_mots(&textes, &mots(cherche));
        assert!(trouve("atel NUM"));
        assert!(trouve("premiers demarches"), "words of both texts");
        assert!(trouve("acces l"));
        assert!(!trouve("telier"), "a word is matched from its start");
        assert!(!trouve("atelier garage"), "every word is needed");
        assert!(trouve(""), "no word: everything");
    }

    proptest! {
        /// Any start of any word of a text finds it, whatever the accents and case typed.
        #[test]
        fn a_text_is_found_by_the_start_of_each_of_its_words(s in "\\PC{0,40}", coupe in 1usize..6) {
            for mot in mots(&s) {
                let debut: String = mot.chars().take(coupe).collect();
                prop_assert!(contient_mots(&[&s], &mots(&debut.to_uppercase())));
            }
        }

        /// The byte check finds what decoding every character finds.
        #[test]
        fn control_characters_are_found_as_by_a_scan_of_every_character(
            s in "(\\PC|[\\x00-\\x1f\\x7f\\u{80}-\\u{9f}\\u{a0}-\\u{ff}]){0,30}",
            long in "\\PC{0,70}",
        ) {
            // Past 32 bytes, the check goes by blocks: a control character anywhere.
            let s = format!("{long}{s}");
            let lent = s.chars().enumerate().find(|(_, c)| c.is_control() && *c != '\t').map(|(i, c)| (i + 1, c));
            prop_assert_eq!(caractere_de_controle(&s, &['\t']), lent);
        }

        #[test]
        fn normalised_text_is_lower_ascii_words(s in "\\PC{0,40}") {
            let n = normaliser(&s);
            prop_assert!(n.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b' '));
            prop_assert!(!n.starts_with(' ') && !n.ends_with(' ') && !n.contains("  "));
            prop_assert_eq!(normaliser(&n), n.clone());
        }

        /// The same words as transliterating the whole text, then lowering each word.
        #[test]
        fn normalising_gives_what_word_by_word_gave(s in "(\\PC|[-'’ ]){0,60}") {
            let ascii = deunicode(&s);
            let mots: Vec<String> = ascii
                .split(|c: char| !c.is_ascii_alphanumeric())
                .filter(|m| !m.is_empty())
                .map(|m| m.to_ascii_lowercase())
                .collect();
            prop_assert_eq!(normaliser(&s), mots.join(" "));
        }
    }
}
