//! CSV on stdout: `;` separated (what French spreadsheets expect), UTF-8 without BOM
//! (a BOM would break the scripts reading a pipe), cells that a spreadsheet would take
//! for a formula neutralised.

use anyhow::Result;

use super::{Fiche, Ligne, Valeur};

/// The one place that builds a CSV writer for stdout.
fn ecrivain() -> csv::Writer<Vec<u8>> {
    csv::WriterBuilder::new().delimiter(b';').from_writer(Vec::new())
}

fn fin(w: csv::Writer<Vec<u8>>) -> Result<String> {
    Ok(String::from_utf8(w.into_inner().map_err(|e| e.into_error())?)?)
}

/// A cell starting with `= + - @` (or a tab / carriage return) would run as a formula
/// in Excel or LibreOffice: prefix it with an apostrophe. Plain negative numbers stay.
pub fn neutraliser(cellule: &str) -> String {
    neutralisee(cellule).into_owned()
}

/// [`neutraliser`], borrowing the cell when it is harmless (nearly always).
pub fn neutralisee(cellule: &str) -> std::borrow::Cow<'_, str> {
    let dangereux = cellule.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if dangereux && cellule.parse::<f64>().is_err() {
        format!("'{cellule}").into()
    } else {
        cellule.into()
    }
}

fn cellules(valeurs: &[Valeur]) -> Vec<String> {
    valeurs.iter().map(|v| neutraliser(&v.pour_csv())).collect()
}

pub fn liste<T: Ligne>(lignes: &[T]) -> Result<String> {
    let mut w = ecrivain();
    w.write_record(T::COLONNES.iter().map(|c| c.cle))?;
    for l in lignes {
        w.write_record(cellules(&l.valeurs()))?;
    }
    fin(w)
}

/// A detailed view as `rubrique;champ;valeur` lines; a table's row *n* becomes lines
/// whose rubrique is the section's title followed by *n*.
pub fn fiche(fiche: &Fiche) -> Result<String> {
    let mut w = ecrivain();
    w.write_record(["rubrique", "champ", "valeur"])?;
    for section in &fiche.sections {
        for (nom, valeur) in &section.champs {
            w.write_record([
                neutraliser(&section.titre),
                neutraliser(nom),
                neutraliser(&valeur.pour_csv()),
            ])?;
        }
        if let Some(tableau) = &section.tableau {
            for (i, ligne) in tableau.lignes.iter().enumerate() {
                let rubrique = neutraliser(&format!("{} {}", section.titre, i + 1));
                for (titre, cellule) in tableau.titres.iter().zip(cellules(ligne)) {
                    w.write_record([rubrique.clone(), neutraliser(titre), cellule])?;
                }
            }
        }
    }
    fin(w)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn formulas_are_neutralised_numbers_are_not() {
        assert_eq!(neutraliser("=SOMME(A1:A2)"), "'=SOMME(A1:A2)");
        assert_eq!(neutraliser("+33 6"), "'+33 6");
        assert_eq!(neutraliser("@cmd"), "'@cmd");
        assert_eq!(neutraliser("-12.5"), "-12.5");
        assert_eq!(neutraliser("Dupont"), "Dupont");
    }

    proptest! {
        #[test]
        fn no_neutralised_cell_starts_like_a_formula(s in "\\PC{0,20}") {
            let n = neutraliser(&s);
            prop_assert!(!n.starts_with(['=', '+', '@']) || n.parse::<f64>().is_ok());
        }
    }
}
