//! A card ([`Fiche`]) as one self-contained HTML page laid out for A4 paper: the same
//! sections as on screen, each kept whole on a page where it fits, table headers
//! repeated on each page.

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
table { border-collapse: collapse; width: 100%; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
th, td { border: 1px solid #bbb; padding: 1mm 1.5mm; text-align: left; vertical-align: top; }
th { background: #eee; }
td.alerte { color: #a40000; font-weight: bold; }
p.vide { color: #666; font-style: italic; margin: 0; }
footer { margin-top: 8mm; font-size: 8.5pt; color: #555; }
";

fn cellule(v: &Valeur) -> String {
    let classe = if v.est_alerte() { " class=\"alerte\"" } else { "" };
    format!("<td{classe}>{}</td>", echapper(&v.pour_table()))
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
                h.push_str("<table><thead><tr>");
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
}
