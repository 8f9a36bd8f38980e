//! Tables for people at a terminal (comfy-table adapts to the terminal's width).

use comfy_table::{ColumnConstraint, ContentArrangement, Table, Width, presets};

use super::{Fiche, Ligne, Valeur};

/// A table as wide as the terminal; when the output is not a terminal, `COLUMNS` (as the
/// shell exports it) gives the width.
fn nouvelle(titres: Vec<String>) -> Table {
    let mut t = Table::new();
    t.load_style(presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_header(titres);
    largeur(&mut t);
    t
}

fn largeur(t: &mut Table) {
    if t.width().is_none()
        && let Some(colonnes) = std::env::var("COLUMNS").ok().and_then(|c| c.parse::<u16>().ok())
    {
        t.set_width(colonnes);
    }
}

fn cellules(valeurs: &[Valeur]) -> Vec<String> {
    valeurs.iter().map(Valeur::pour_table).collect()
}

/// The column with the most text (a detail) gets at least 40 % of the width, so that the
/// narrow columns do not wrap while it takes a tenth of the screen.
fn elargir(t: &mut Table, lignes: &[Vec<String>]) {
    let colonnes = lignes.first().map_or(0, Vec::len);
    let volume = |i: usize| lignes.iter().map(|l| l[i].chars().count()).sum::<usize>();
    let plus_longue = lignes
        .iter()
        .flat_map(|l| l.iter().map(|c| c.chars().count()))
        .max()
        .unwrap_or(0);
    if let Some(large) = (0..colonnes).max_by_key(|i| volume(*i))
        && plus_longue > 30
        && let Some(colonne) = t.column_mut(large)
    {
        colonne.set_constraint(ColumnConstraint::LowerBoundary(Width::Percentage(40)));
    }
}

/// Columns of short values (dates, numbers, codes: ten characters at most) are never cut:
/// a date split over two lines is unreadable; the text columns wrap instead.
fn garder_entieres(t: &mut Table, lignes: &[Vec<String>]) {
    let colonnes = lignes.first().map_or(0, Vec::len);
    for i in 0..colonnes {
        let plus_longue = lignes.iter().map(|l| l[i].chars().count()).max().unwrap_or(0);
        if (1..=10).contains(&plus_longue)
            && let Some(colonne) = t.column_mut(i)
        {
            // comfy-table counts the cell's padding in a fixed width.
            let largeur = plus_longue as u16 + colonne.padding_width();
            colonne.set_constraint(ColumnConstraint::LowerBoundary(Width::Fixed(largeur)));
        }
    }
}

/// The columns worth showing: not masked, and not empty in every row.
fn visibles(titres: &[String], lignes: &[Vec<String>], masquees: &[usize]) -> Vec<usize> {
    (0..titres.len())
        .filter(|i| !masquees.contains(i))
        .filter(|i| lignes.is_empty() || lignes.iter().any(|l| !l[*i].is_empty()))
        .collect()
}

/// A table of the visible columns only.
fn construire(titres: Vec<String>, lignes: Vec<Vec<String>>, masquees: &[usize], large: bool) -> Table {
    let garder = visibles(&titres, &lignes, masquees);
    let choisir = |l: &[String]| garder.iter().map(|i| l[*i].clone()).collect::<Vec<_>>();
    let lignes: Vec<Vec<String>> = lignes.iter().map(|l| choisir(l)).collect();
    let mut t = nouvelle(choisir(&titres));
    garder_entieres(&mut t, &lignes);
    if large {
        elargir(&mut t, &lignes);
    }
    for l in lignes {
        t.add_row(l);
    }
    t
}

pub fn liste<T: Ligne>(lignes: &[T]) -> String {
    let titres: Vec<String> = T::COLONNES.iter().map(|c| c.titre.to_owned()).collect();
    let masquees: Vec<usize> = T::COLONNES
        .iter()
        .enumerate()
        .filter(|(_, c)| T::MASQUEES.contains(&c.cle))
        .map(|(i, _)| i)
        .collect();
    let lignes: Vec<Vec<String>> = lignes.iter().map(|l| cellules(&l.valeurs())).collect();
    // In a list, one wide text column among many short ones: give it room.
    let t = construire(titres, lignes, &masquees, true);
    format!("{t}\n")
}

pub fn fiche(fiche: &Fiche) -> String {
    let mut sortie = String::new();
    for section in &fiche.sections {
        sortie.push_str(&format!("{}\n", section.titre));
        if !section.champs.is_empty() {
            let mut t = Table::new();
            t.load_style(presets::NOTHING)
                .set_content_arrangement(ContentArrangement::Dynamic);
            largeur(&mut t);
            // Empty fields are noise on a screen (JSON and CSV keep them).
            for (nom, valeur) in section.champs.iter().filter(|(_, v)| !v.pour_table().is_empty()) {
                t.add_row(vec![format!("  {nom}"), valeur.pour_table()]);
            }
            sortie.push_str(&format!("{t}\n"));
        }
        if let Some(tableau) = &section.tableau {
            if tableau.lignes.is_empty() {
                sortie.push_str("  (aucun)\n");
            } else {
                let titres = tableau.titres.iter().map(|s| s.to_string()).collect();
                let t = construire(titres, tableau.lignes.iter().map(|l| cellules(l)).collect(), &[], false);
                sortie.push_str(&format!("{t}\n"));
            }
        }
        sortie.push('\n');
    }
    sortie
}
