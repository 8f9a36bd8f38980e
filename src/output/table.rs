//! Tables for people at a terminal. spie lays them out itself: each column is at least as
//! wide as its longest word, and text wraps only between words or after the `-` of a code
//! (`sans-` / `referent`, `Saint-` / `Mihiel`), never inside a word.

use comfy_table::{Cell, Color, ContentArrangement, ContentLineStyle, LineStyle, Table, TableStyle, presets};
use unicode_width::UnicodeWidthStr;

use super::{Fiche, Ligne, Valeur};

/// The width of the screen: `COLUMNS` when the shell exports it, else the terminal's (of
/// stdout, or of stderr when stdout is piped);
/// a width of zero (some consoles report it) or no terminal at all gives 80 columns.
pub fn largeur_ecran() -> usize {
    let exportee = std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<usize>().ok());
    let terminal = || {
        terminal_size::terminal_size()
            .or_else(|| terminal_size::terminal_size_of(std::io::stderr()))
            .map(|(w, _)| usize::from(w.0))
    };
    exportee
        .filter(|w| *w > 0)
        .or_else(|| terminal().filter(|w| *w > 0))
        .unwrap_or(80)
}

/// A word longer than this (a web address, a file path) may be cut: keeping it whole would
/// push the table past the screen.
const MOT_LE_PLUS_LONG: usize = 30;

/// Whether a word is a group of digits: a group of a phone number (`03 29 86 00 00`) or
/// of a large figure, which stays on the line of the group before it.
fn chiffres(mot: &str) -> bool {
    !mot.is_empty() && mot.chars().all(|c| c.is_ascii_digit())
}

/// A no-break space: the table never wraps a text there.
const INSECABLE: char = '\u{a0}';

/// Whether a text may be wrapped at this character.
fn blanc(c: char) -> bool {
    c.is_whitespace() && c != INSECABLE
}

/// A name kept on one line in a table: its spaces made no-break, when it is short enough
/// to always get a column of its own width ([`MOT_LE_PLUS_LONG`]); a longer one wraps
/// between its words as any text.
fn insecable(v: Valeur) -> Valeur {
    match v {
        Valeur::Texte(t) if t.width() <= MOT_LE_PLUS_LONG => Valeur::Texte(t.replace(' ', &INSECABLE.to_string())),
        moment @ (Valeur::Moment(_) | Valeur::MomentDuJour(_)) => insecable(Valeur::Texte(moment.pour_table())),
        autre => autre,
    }
}

/// The words of a text, a number written in groups of digits making one word.
fn mots(texte: &str) -> Vec<&str> {
    let mut sortie: Vec<&str> = Vec::new();
    let mut fin_precedent = 0;
    for (debut, mot) in texte
        .split(blanc)
        .filter(|m| !m.is_empty())
        .map(|m| (m.as_ptr() as usize - texte.as_ptr() as usize, m))
    {
        let colle = texte[fin_precedent..debut].chars().all(|c| c == ' ');
        match sortie.last_mut() {
            Some(dernier) if colle && chiffres(mot) && dernier.rsplit(' ').next().is_some_and(chiffres) => {
                let debut_dernier = dernier.as_ptr() as usize - texte.as_ptr() as usize;
                *dernier = &texte[debut_dernier..debut + mot.len()];
            }
            _ => sortie.push(mot),
        }
        fin_precedent = debut + mot.len();
    }
    sortie
}

/// The pieces a text may be wrapped between: words, and the parts of a code after each
/// `-`. Each piece says whether a space comes before it.
fn morceaux(texte: &str) -> Vec<(bool, &str)> {
    let mut sortie = Vec::new();
    for mot in mots(texte) {
        let mut reste = mot;
        let mut espace = true;
        while let Some(i) = reste.find('-').filter(|i| *i + 1 < reste.len()) {
            sortie.push((espace, &reste[..=i]));
            reste = &reste[i + 1..];
            espace = false;
        }
        sortie.push((espace, reste));
    }
    sortie
}

/// The narrowest a cell can be without cutting a word.
fn largeur_minimale(texte: &str) -> usize {
    texte
        .lines()
        .flat_map(morceaux)
        .map(|(_, m)| m.width().min(MOT_LE_PLUS_LONG))
        .max()
        .unwrap_or(0)
}

fn largeur_naturelle(texte: &str) -> usize {
    texte.lines().map(UnicodeWidthStr::width).max().unwrap_or(0)
}

/// Wraps a text to a width: between words and after `-` only, except a piece wider than
/// the whole column, which is cut.
pub fn couper(texte: &str, largeur: usize) -> Vec<String> {
    let largeur = largeur.max(1);
    let mut lignes = Vec::new();
    for paragraphe in texte.lines() {
        let mut ligne = String::new();
        for (espace, morceau) in morceaux(paragraphe) {
            let ajout = morceau.width() + usize::from(espace && !ligne.is_empty());
            if !ligne.is_empty() && ligne.width() + ajout > largeur {
                lignes.push(std::mem::take(&mut ligne));
            }
            if espace && !ligne.is_empty() {
                ligne.push(' ');
            }
            for c in morceau.chars() {
                if ligne.width() + c.to_string().width() > largeur {
                    lignes.push(std::mem::take(&mut ligne));
                }
                ligne.push(c);
            }
        }
        lignes.push(ligne);
    }
    lignes
}

/// Wraps a message to the screen's width between words only (a code such as `--limite`
/// stays whole); a line that fits is left as it is, and the lines of a wrapped one keep
/// its indentation.
pub fn envelopper(texte: &str, largeur: usize) -> String {
    let mut sortie = Vec::new();
    for ligne in texte.split('\n') {
        if ligne.width() <= largeur {
            sortie.push(ligne.to_owned());
            continue;
        }
        let retrait = &ligne[..ligne.len() - ligne.trim_start().len()];
        let mut courante = String::from(retrait);
        for mot in ligne.split_whitespace() {
            if courante.len() > retrait.len() && courante.width() + 1 + mot.width() > largeur {
                sortie.push(std::mem::replace(&mut courante, String::from(retrait)));
            }
            if courante.len() > retrait.len() {
                courante.push(' ');
            }
            courante.push_str(mot);
        }
        sortie.push(courante);
    }
    sortie.join("\n")
}

/// The width of each column so that the table fits `disponible` characters of text: every
/// column gets its longest word, then the rest goes to the columns that need it, in
/// proportion to what they lack.
fn largeurs(colonnes: &[Vec<&str>], disponible: usize) -> Vec<usize> {
    let min: Vec<usize> = colonnes
        .iter()
        .map(|c| c.iter().map(|t| largeur_minimale(t)).max().unwrap_or(0).max(1))
        .collect();
    let max: Vec<usize> = colonnes
        .iter()
        .zip(&min)
        .map(|(c, m)| c.iter().map(|t| largeur_naturelle(t)).max().unwrap_or(0).max(*m))
        .collect();
    if max.iter().sum::<usize>() <= disponible {
        return max;
    }
    let mut l = min.clone();
    let reste = disponible.saturating_sub(min.iter().sum());
    let manque: usize = max.iter().zip(&min).map(|(a, b)| a - b).sum();
    for i in 0..l.len() {
        l[i] += reste * (max[i] - min[i]) / manque.max(1);
    }
    // What integer division left over goes to the columns that still lack room; then the
    // room a column's wrapped text leaves unused goes to the others, so that a table never
    // wraps a text while narrower than the screen.
    for _ in 0..10 {
        let mut reste = disponible.saturating_sub(l.iter().sum());
        while reste > 0 {
            // A column whose whole text fits in what is left takes it at once.
            if let Some(i) = (0..l.len())
                .filter(|i| l[*i] < max[*i] && max[*i] - l[*i] <= reste)
                .max_by_key(|i| max[*i] - l[*i])
            {
                reste -= max[i] - l[i];
                l[i] = max[i];
                continue;
            }
            let Some(i) = (0..l.len()).filter(|i| l[*i] < max[*i]).max_by_key(|i| max[*i] - l[*i]) else {
                break;
            };
            l[i] += 1;
            reste -= 1;
        }
        let mut libere = false;
        for (i, colonne) in colonnes.iter().enumerate() {
            if l[i] >= max[i] {
                continue;
            }
            let utilisee = colonne
                .iter()
                .flat_map(|t| couper(t, l[i]))
                .map(|ligne| ligne.width())
                .max()
                .unwrap_or(0)
                .max(min[i]);
            libere |= utilisee < l[i];
            l[i] = utilisee;
        }
        if !libere || !(0..l.len()).any(|i| l[i] < max[i]) {
            break;
        }
    }
    l
}

/// The narrowest a table's text can be without cutting a word: each column as wide as its
/// longest word.
fn minimum(colonnes: &[Vec<&str>]) -> usize {
    colonnes
        .iter()
        .map(|c| c.iter().map(|t| largeur_minimale(t)).max().unwrap_or(0).max(1))
        .sum()
}

/// Whether this run may colour its tables: stdout is a terminal and `NO_COLOR` is not set.
fn couleurs() -> bool {
    use std::io::IsTerminal;
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stdout().is_terminal()
}

/// How a table is drawn: its style and what each column costs besides its text.
struct Trait {
    style: TableStyle,
    /// Characters per column (padding, border after it) and once per table.
    par_colonne: usize,
    en_plus: usize,
    marge_gauche: u16,
}

const BORDURES: Trait = Trait {
    style: presets::UTF8_FULL_CONDENSED,
    par_colonne: 3,
    en_plus: 1,
    marge_gauche: 1,
};
/// When the borders leave too little room for whole words: columns apart by one space.
const COMPACT: Trait = Trait {
    style: TableStyle::new()
        .header_lines(ContentLineStyle::none())
        .header_separator(LineStyle::none().fill('─'))
        .content_lines(ContentLineStyle::none()),
    par_colonne: 1,
    en_plus: 0,
    marge_gauche: 0,
};
/// A card's fields: name and value, no border.
const CHAMPS: Trait = Trait {
    style: presets::NOTHING,
    par_colonne: 2,
    en_plus: 0,
    marge_gauche: 1,
};

/// Lays out rows under an optional header and builds the table, its cells wrapped
/// beforehand: comfy-table only draws.
fn dessiner(titres: Option<Vec<String>>, lignes: Vec<Vec<Valeur>>, traits: &[Trait]) -> Table {
    let n = titres
        .as_ref()
        .map_or_else(|| lignes.first().map_or(0, Vec::len), Vec::len);
    let textes: Vec<Vec<String>> = lignes
        .iter()
        .map(|l| l.iter().map(Valeur::pour_table).collect())
        .collect();
    let colonnes: Vec<Vec<&str>> = (0..n)
        .map(|i| {
            titres
                .iter()
                .map(|t| t[i].as_str())
                .chain(textes.iter().map(|l| l[i].as_str()))
                .collect()
        })
        .collect();
    let ecran = largeur_ecran();
    let disponible = |t: &Trait| ecran.saturating_sub(t.par_colonne * n + t.en_plus);
    let minimum = minimum(&colonnes);
    let choisi = traits
        .iter()
        .find(|t| minimum <= disponible(t))
        .unwrap_or(&traits[traits.len() - 1]);
    let l = largeurs(&colonnes, disponible(choisi));
    // A no-break space has done its work once the text is wrapped: the terminal shows a space.
    let couper_en = |texte: &str, i: usize| couper(texte, l[i]).join("\n").replace(INSECABLE, " ");
    let mut t = Table::new();
    t.load_style(choisi.style)
        .set_content_arrangement(ContentArrangement::Disabled);
    if let Some(titres) = titres {
        t.set_header(
            titres
                .iter()
                .enumerate()
                .map(|(i, x)| couper_en(x, i))
                .collect::<Vec<_>>(),
        );
    }
    let colorer = couleurs();
    for (valeurs, textes) in lignes.iter().zip(&textes) {
        t.add_row(textes.iter().enumerate().map(|(i, x)| {
            let cellule = Cell::new(couper_en(x, i));
            match &valeurs[i] {
                v if colorer && v.est_alerte() => cellule.fg(Color::Red),
                _ => cellule,
            }
        }));
    }
    for colonne in t.column_iter_mut() {
        colonne.set_padding((choisi.marge_gauche, 1));
    }
    t
}

/// The columns worth showing: not masked, and not empty in every row.
fn visibles(n: usize, lignes: &[Vec<Valeur>], masquees: &[usize]) -> Vec<usize> {
    (0..n)
        .filter(|i| !masquees.contains(i))
        .filter(|i| lignes.is_empty() || lignes.iter().any(|l| !l[*i].pour_table().is_empty()))
        .collect()
}

/// Leaves out the optional columns, in their order, while the table cannot fit the screen
/// even without borders: better a column less than words cut by the terminal.
fn sans_facultatives(garder: &mut Vec<usize>, titres: &[String], lignes: &[Vec<Valeur>], facultatives: &[usize]) {
    let textes: Vec<Vec<String>> = lignes
        .iter()
        .map(|l| l.iter().map(Valeur::pour_table).collect())
        .collect();
    let ecran = largeur_ecran();
    for f in facultatives {
        let colonnes: Vec<Vec<&str>> = garder
            .iter()
            .map(|i| {
                std::iter::once(titres[*i].as_str())
                    .chain(textes.iter().map(|l| l[*i].as_str()))
                    .collect()
            })
            .collect();
        let place = ecran.saturating_sub(COMPACT.par_colonne * garder.len() + COMPACT.en_plus);
        if minimum(&colonnes) <= place {
            return;
        }
        garder.retain(|i| i != f);
    }
}

/// A bordered table of the visible columns only.
fn construire(titres: Vec<String>, lignes: Vec<Vec<Valeur>>, masquees: &[usize], facultatives: &[usize]) -> Table {
    let mut garder = visibles(titres.len(), &lignes, masquees);
    sans_facultatives(&mut garder, &titres, &lignes, facultatives);
    let titres = garder.iter().map(|i| titres[*i].clone()).collect();
    let lignes = lignes
        .into_iter()
        .map(|l| garder.iter().map(|i| l[*i].clone()).collect())
        .collect();
    dessiner(Some(titres), lignes, &[BORDURES, COMPACT])
}

pub fn liste<T: Ligne>(lignes: &[T]) -> String {
    let titres: Vec<String> = T::COLONNES.iter().map(|c| c.titre.to_owned()).collect();
    let rang = |cle: &&str| T::COLONNES.iter().position(|c| c.cle == *cle);
    let masquees: Vec<usize> = T::MASQUEES.iter().filter_map(rang).collect();
    let facultatives: Vec<usize> = T::FACULTATIVES.iter().filter_map(rang).collect();
    let insecables: Vec<usize> = T::INSECABLES.iter().filter_map(rang).collect();
    let lignes: Vec<Vec<Valeur>> = lignes
        .iter()
        .map(|l| {
            let mut valeurs = l.valeurs();
            for i in &insecables {
                valeurs[*i] = insecable(std::mem::replace(&mut valeurs[*i], Valeur::Vide));
            }
            valeurs
        })
        .collect();
    format!("{}\n", construire(titres, lignes, &masquees, &facultatives))
}

pub fn fiche(fiche: &Fiche) -> String {
    let mut sortie = String::new();
    for section in &fiche.sections {
        sortie.push_str(&format!("{}\n", section.titre));
        // Empty fields are noise on a screen (JSON and CSV keep them).
        let champs: Vec<Vec<Valeur>> = section
            .champs
            .iter()
            .filter(|(_, v)| !v.pour_table().is_empty())
            .map(|(nom, v)| vec![Valeur::Texte(format!("  {nom}")), v.clone()])
            .collect();
        if !champs.is_empty() {
            sortie.push_str(&format!("{}\n", dessiner(None, champs, &[CHAMPS])));
        }
        if let Some(tableau) = &section.tableau {
            if tableau.lignes.is_empty() {
                sortie.push_str("  (aucun)\n");
            } else {
                let titres = tableau.titres.iter().map(|s| s.to_string()).collect();
                sortie.push_str(&format!("{}\n", construire(titres, tableau.lignes.clone(), &[], &[])));
            }
        }
        sortie.push('\n');
    }
    sortie
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_wraps_between_words_and_after_dashes_only() {
        assert_eq!(
            couper("Parcours sans-referent depuis", 12),
            ["Parcours", "sans-", "referent", "depuis"]
        );
        assert_eq!(couper("Saint-Mihiel", 8), ["Saint-", "Mihiel"]);
        assert_eq!(couper("Pagny-sur-Meuse", 10), ["Pagny-sur-", "Meuse"]);
        assert_eq!(couper("un deux trois", 20), ["un deux trois"]);
        // A dash that ends a word, or stands alone, is not a place to cut.
        assert_eq!(couper("a - b", 3), ["a -", "b"]);
    }

    #[test]
    fn only_a_piece_wider_than_its_column_is_cut() {
        assert_eq!(couper("abcdef", 4), ["abcd", "ef"]);
        assert_eq!(largeur_minimale(&"x".repeat(50)), MOT_LE_PLUS_LONG);
    }

    #[test]
    fn a_phone_number_is_one_word() {
        assert_eq!(couper("tél. 03 29 86 00 00", 14), ["tél.", "03 29 86 00 00"]);
        assert_eq!(couper("1 place de la Nation", 8), ["1 place", "de la", "Nation"]);
        assert_eq!(largeur_minimale("03 29 86 00 00"), 14);
    }

    #[test]
    fn room_a_wrapped_column_leaves_goes_to_the_others() {
        let colonnes = vec![vec!["CCAS de Verdun"], vec!["aaaaaa bbbbbb"]];
        // Shared in proportion, both would wrap at 10, using 7 and 6 of them: one of them
        // gets what the other leaves, and is whole.
        let l = largeurs(&colonnes, 20);
        assert!(l == [14, 6] || l == [7, 13], "{l:?}");
    }

    #[test]
    fn messages_wrap_between_words_and_keep_their_indentation() {
        assert_eq!(
            envelopper("retirez --limite pour tout voir.", 16),
            "retirez --limite\npour tout voir."
        );
        assert_eq!(envelopper("  un deux trois", 9), "  un deux\n  trois");
        assert_eq!(envelopper("court\n  ligne", 80), "court\n  ligne");
    }

    #[test]
    fn columns_get_their_longest_word_then_what_they_lack() {
        let colonnes = vec![vec!["12/03/1985"], vec!["un texte assez long pour être coupé"]];
        assert_eq!(largeurs(&colonnes, 100), [10, 35]);
        assert_eq!(largeurs(&colonnes, 20), [10, 10]);
        // Never narrower than a word, even when the screen is too narrow.
        assert_eq!(largeurs(&colonnes, 5), [10, 5]);
    }
}
