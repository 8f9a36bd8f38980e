//! A card ([`Fiche`]) as one self-contained HTML page laid out for A4 paper: the same
//! sections as on screen, each kept whole on a page where it fits, table headers
//! repeated on each page. Tables never run past the page's width: their layout is fixed
//! to the page, each column given a share of it by the length of what it holds, and a
//! value too long for its column (an e-mail address, a long code) wraps inside it.

use std::fmt::Write;

use super::{Fiche, Valeur};
use crate::export::rapport::echapper;

const STYLE: &str = "
@page { size: A4; margin: 15mm 14mm 18mm; }
body { font-family: 'DejaVu Sans', Arial, sans-serif; font-size: 10pt; color: #111; max-width: 182mm; margin: auto; }
h1 { font-size: 15pt; margin: 0 0 2mm; }
p.sous-titre { color: #444; margin: 0 0 6mm; }
section { break-inside: avoid; margin-bottom: 5mm; }
h2 { font-size: 11.5pt; border-bottom: 1px solid #888; padding-bottom: 1mm; margin: 0 0 2mm; break-after: avoid; }
dl { display: grid; grid-template-columns: 45mm 1fr; gap: 1mm 4mm; margin: 0; }
dt { color: #444; }
dd { margin: 0; }
table { border-collapse: collapse; width: 100%; table-layout: fixed; font-size: 9pt; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
th, td { border: 1px solid #bbb; padding: 1mm 1.5mm; text-align: left; vertical-align: top; overflow-wrap: anywhere; hyphens: auto; }
dd { overflow-wrap: anywhere; }
th { background: #eee; }
td.alerte { color: #a40000; font-weight: bold; }
p.vide { color: #666; font-style: italic; margin: 0; }
footer { margin-top: 8mm; font-size: 8.5pt; color: #555; }
";

fn cellule(v: &Valeur) -> String {
    let classe = if v.est_alerte() { " class=\"alerte\"" } else { "" };
    format!("<td{classe}>{}</td>", echapper(&v.pour_table()))
}

/// The width of the page's tables in characters of their font (9 pt DejaVu Sans or
/// Arial: about 2.1 mm a character, on the 182 mm between the A4 margins), and what a
/// cell's padding and borders take of it.
const PAGE: f64 = 86.0;
const MARGE: f64 = 1.6;
/// A word longer than this (an e-mail address, a long code) wraps inside: it does not get
/// a column to itself. A value longer than this gets no more room than this.
const MOT_MAX: usize = 20;
const TEXTE_MAX: usize = 60;

/// The table's columns with their share of the page's width, in percent, adding up to
/// 100: each column first gets the room of its longest word (title included), so that
/// dates, numbers and words stay whole; what is left goes to the columns whose values are
/// longer than that, in proportion to how much longer (they wrap between words). When
/// even the words do not fit, the columns share the page in proportion to them.
fn parts(tableau: &super::Tableau) -> Vec<f64> {
    let mesures: Vec<(f64, f64)> = tableau
        .titres
        .iter()
        .enumerate()
        .map(|(i, titre)| {
            let valeurs: Vec<String> = tableau
                .lignes
                .iter()
                .filter_map(|l| l.get(i))
                .map(Valeur::pour_table)
                .collect();
            let textes = valeurs.iter().map(String::as_str).chain([titre.as_str()]);
            let mot = textes
                .clone()
                .flat_map(str::split_whitespace)
                .map(|m| m.chars().count().min(MOT_MAX))
                .max()
                .unwrap_or(0)
                .max(1);
            let texte = textes
                .map(|t| t.chars().count().min(TEXTE_MAX))
                .max()
                .unwrap_or(0)
                .max(mot);
            (mot as f64, texte as f64)
        })
        .collect();
    let n = mesures.len() as f64;
    let place = PAGE - MARGE * n;
    let mots: f64 = mesures.iter().map(|(m, _)| m).sum();
    let surplus: f64 = mesures.iter().map(|(m, t)| t - m).sum();
    let largeurs: Vec<f64> = if mots >= place {
        mesures.iter().map(|(m, _)| m * place / mots).collect()
    } else if surplus > 0.0 {
        let reste = place - mots;
        mesures.iter().map(|(m, t)| m + reste * (t - m) / surplus).collect()
    } else {
        let reste = (place - mots) / n;
        mesures.iter().map(|(m, _)| m + reste).collect()
    };
    largeurs.iter().map(|l| (l + MARGE) * 100.0 / PAGE).collect()
}

fn colonnes(tableau: &super::Tableau) -> String {
    let cols: String = parts(tableau)
        .iter()
        .map(|p| format!("<col style=\"width: {p:.1}%\">"))
        .collect();
    format!("<colgroup>{cols}</colgroup>")
}

/// The page: a title, a line under it, the card's sections, and a footer line.
pub fn page(titre: &str, sous_titre: &str, fiche: &Fiche, pied: &str) -> String {
    let mut h = format!(
        "<!DOCTYPE html>\n<html lang=\"fr\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<h1>{}</h1>\n<p class=\"sous-titre\">{}</p>\n",
        echapper(titre),
        echapper(titre),
        echapper(sous_titre)
    );
    for section in &fiche.sections {
        let _ = write!(h, "<section>\n<h2>{}</h2>\n", echapper(&section.titre));
        let champs: Vec<_> = section
            .champs
            .iter()
            .filter(|(_, v)| !v.pour_table().is_empty())
            .collect();
        if !champs.is_empty() {
            h.push_str("<dl>");
            for (nom, valeur) in champs {
                let _ = write!(
                    h,
                    "<dt>{}</dt><dd>{}</dd>",
                    echapper(nom),
                    echapper(&valeur.pour_table())
                );
            }
            h.push_str("</dl>\n");
        }
        if let Some(tableau) = &section.tableau {
            if tableau.lignes.is_empty() {
                h.push_str("<p class=\"vide\">(aucun)</p>\n");
            } else {
                h.push_str("<table>");
                h.push_str(&colonnes(tableau));
                h.push_str("<thead><tr>");
                for t in &tableau.titres {
                    let _ = write!(h, "<th>{}</th>", echapper(t));
                }
                h.push_str("</tr></thead><tbody>");
                for ligne in &tableau.lignes {
                    let _ = write!(h, "<tr>{}</tr>", ligne.iter().map(cellule).collect::<String>());
                }
                h.push_str("</tbody></table>\n");
            }
        }
        h.push_str("</section>\n");
    }
    let _ = write!(h, "<footer>{}</footer>\n</body>\n</html>\n", echapper(pied));
    h
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::Section;

    #[test]
    fn the_page_is_a4_escaped_and_shows_every_section() {
        let fiche = Fiche {
            sections: vec![
                Section::new("Dossier 3")
                    .champ("Nom", "<b>Dupont</b> & fils")
                    .champ("Vide", Valeur::Vide),
                Section::new("Plan").tableau(
                    vec!["Action", "Échéance"],
                    vec![vec!["Permis".into(), Valeur::alerte("en retard")]],
                ),
                Section::new("Journal").tableau(vec!["Note"], vec![]),
            ],
        };
        let h = page("Dossier 3", "imprimé le 26/11/2026", &fiche, "confidentiel");
        assert!(h.contains("size: A4"));
        assert!(h.contains("&lt;b&gt;Dupont&lt;/b&gt; &amp; fils") && !h.contains("<b>Dupont"));
        assert!(!h.contains("<dt>Vide</dt>"));
        assert!(h.contains("<td class=\"alerte\">en retard</td>"));
        assert!(h.contains("<h2>Journal</h2>\n<p class=\"vide\">(aucun)</p>"));
        assert!(!h.contains("http"), "aucune ressource externe");
    }

    /// What keeps a table within the A4 width whatever it holds: a fixed layout on the
    /// page's width, columns whose shares add up to the whole, long values wrapped.
    #[test]
    fn tables_fit_the_page_width() {
        assert!(STYLE.contains("table { border-collapse: collapse; width: 100%; table-layout: fixed;"));
        assert!(STYLE.contains("@page { size: A4; margin: 15mm 14mm 18mm; }"));
        assert!(STYLE.contains("overflow-wrap: anywhere"));
        assert!(STYLE.contains("body {") && STYLE.contains("max-width: 182mm"));
        let long = "lucie.martin-une-tres-longue-adresse@exemple-de-messagerie.fr".repeat(3);
        let tableau = crate::output::Tableau {
            titres: ["Date", "Courriel", "N", "Identifiant France Travail"]
                .map(String::from)
                .to_vec(),
            lignes: vec![vec!["01/02/2026".into(), long.into(), "1".into(), "1234567A".into()]],
        };
        let parts = parts(&tableau);
        assert!((parts.iter().sum::<f64>() - 100.0).abs() < 1e-9, "{parts:?}");
        let caracteres = |p: f64| p * PAGE / 100.0 - MARGE;
        // A date, a short number and a title's longest word keep their room whole…
        assert!(caracteres(parts[0]) >= 10.0, "{parts:?}");
        assert!(caracteres(parts[2]) >= 1.0, "{parts:?}");
        assert!(caracteres(parts[3]) >= "Identifiant".len() as f64, "{parts:?}");
        // … and the long value takes what is left.
        assert!(parts[1] > parts[0] + parts[2] + parts[3], "{parts:?}");
        // Too many columns for their words: they share the page, still within it.
        let large = crate::output::Tableau {
            titres: (0..20).map(|i| format!("Colonne{i}")).collect(),
            lignes: vec![],
        };
        let parts_large = super::parts(&large);
        assert!((parts_large.iter().sum::<f64>() - 100.0).abs() < 1e-9);
        let fiche = Fiche {
            sections: vec![Section::new("T").tableau(tableau.titres.clone(), tableau.lignes.clone())],
        };
        let h = page("T", "", &fiche, "");
        assert_eq!(h.matches("<col style=\"width: ").count(), 4, "{h}");
    }
}
