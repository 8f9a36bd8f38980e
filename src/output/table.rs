//! Tables for people at a terminal (comfy-table adapts to the terminal's width).

use comfy_table::{ContentArrangement, Table, presets};

use super::{Fiche, Ligne, Valeur};

/// A table as wide as the terminal; when the output is not a terminal, `COLUMNS` (as the
/// shell exports it) gives the width.
fn nouvelle(titres: impl IntoIterator<Item = String>) -> Table {
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

pub fn liste<T: Ligne>(lignes: &[T]) -> String {
    let mut t = nouvelle(T::COLONNES.iter().map(|c| c.titre.to_owned()));
    for l in lignes {
        t.add_row(cellules(&l.valeurs()));
    }
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
                let mut t = nouvelle(tableau.titres.iter().map(|s| s.to_string()));
                for l in &tableau.lignes {
                    t.add_row(cellules(l));
                }
                sortie.push_str(&format!("{t}\n"));
            }
        }
        sortie.push('\n');
    }
    sortie
}
