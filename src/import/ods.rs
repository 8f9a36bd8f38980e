//! The merged cells of an OpenDocument sheet, which calamine does not give: read from the
//! sheet's XML (`content.xml`), where a merged range is a cell with
//! `table:number-rows-spanned` or `table:number-columns-spanned`, followed by the
//! "covered" cells it hides.

use std::io::{BufRead, BufReader};
use std::path::Path;

use calamine::Dimensions;
use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

/// The merged ranges of the sheet `feuille` of the `.ods` file at `chemin`; none when the
/// file cannot be read (calamine, which reads the values, says why).
pub fn fusions(chemin: &Path, feuille: &str) -> Vec<Dimensions> {
    let lire = || -> Option<Vec<Dimensions>> {
        let mut archive = zip::ZipArchive::new(std::fs::File::open(chemin).ok()?).ok()?;
        let contenu = archive.by_name("content.xml").ok()?;
        lire_fusions(BufReader::new(contenu), feuille)
    };
    lire().unwrap_or_default()
}

/// A repetition or span attribute of an element: 1 when absent or unreadable.
fn nombre(e: &BytesStart, attribut: &str) -> u32 {
    e.try_get_attribute(attribut)
        .ok()
        .flatten()
        .and_then(|a| a.value.parse().ok())
        .unwrap_or(1)
        .max(1)
}

fn lire_fusions(source: impl BufRead, feuille: &str) -> Option<Vec<Dimensions>> {
    let mut lecteur = Reader::from_reader(source);
    let mut tampon = Vec::new();
    let mut dans_la_feuille = false;
    let (mut ligne, mut colonne, mut repetee) = (0u32, 0u32, 1u32);
    let mut fusions = Vec::new();
    loop {
        let evenement = lecteur.read_event_into(&mut tampon).ok()?;
        let vide = matches!(evenement, Event::Empty(_));
        match evenement {
            Event::Start(e) | Event::Empty(e) => match e.name().as_ref() {
                "table:table" if !vide => {
                    let nom = e.try_get_attribute("table:name").ok().flatten();
                    dans_la_feuille = nom
                        .and_then(|a| quick_xml::escape::unescape(&a.value).ok().map(|n| n.into_owned()))
                        .is_some_and(|n| n == feuille);
                }
                "table:table-row" if dans_la_feuille => {
                    colonne = 0;
                    repetee = nombre(&e, "table:number-rows-repeated");
                    if vide {
                        ligne = ligne.saturating_add(repetee);
                    }
                }
                "table:table-cell" | "table:covered-table-cell" if dans_la_feuille => {
                    let lignes = nombre(&e, "table:number-rows-spanned");
                    let colonnes = nombre(&e, "table:number-columns-spanned");
                    if lignes > 1 || colonnes > 1 {
                        fusions.push(Dimensions {
                            start: (ligne, colonne),
                            end: (ligne.saturating_add(lignes - 1), colonne.saturating_add(colonnes - 1)),
                        });
                    }
                    colonne = colonne.saturating_add(nombre(&e, "table:number-columns-repeated"));
                }
                _ => {}
            },
            Event::End(e) => match e.name().as_ref() {
                "table:table" if dans_la_feuille => return Some(fusions),
                "table:table-row" if dans_la_feuille => ligne = ligne.saturating_add(repetee),
                _ => {}
            },
            Event::Eof => return Some(fusions),
            _ => {}
        }
        tampon.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fusions_de(xml: &str, feuille: &str) -> Vec<((u32, u32), (u32, u32))> {
        lire_fusions(xml.as_bytes(), feuille)
            .unwrap()
            .into_iter()
            .map(|d| (d.start, d.end))
            .collect()
    }

    /// Rows and cells repeated, a range over three rows, one over two columns, another sheet
    /// of the same shape ignored.
    #[test]
    fn merged_ranges_are_found_where_the_sheet_puts_them() {
        let feuille = |nom: &str| {
            format!(
                r#"<table:table table:name="{nom}">
                <table:table-row table:number-rows-repeated="2"><table:table-cell/></table:table-row>
                <table:table-row>
                  <table:table-cell table:number-columns-repeated="2"/>
                  <table:table-cell table:number-rows-spanned="3"><text:p>CCAS</text:p></table:table-cell>
                  <table:table-cell table:number-columns-spanned="2"/><table:covered-table-cell/>
                </table:table-row>
                <table:table-row><table:covered-table-cell table:number-columns-repeated="3"/></table:table-row>
                </table:table>"#
            )
        };
        let xml = format!(
            "<office:spreadsheet>{}{}</office:spreadsheet>",
            feuille("Autre"),
            feuille("Offres")
        );
        assert_eq!(fusions_de(&xml, "Offres"), vec![((2, 2), (4, 2)), ((2, 3), (2, 4))]);
        assert!(fusions_de(&xml, "Absente").is_empty());
    }

    /// Broken XML gives no merged range, never a panic.
    #[test]
    fn broken_xml_gives_nothing() {
        let coupe = "<table:table table:name=\"x\"><table:table-row><table:table-cell table:number-rows-spanned";
        assert!(lire_fusions(coupe.as_bytes(), "x").unwrap_or_default().is_empty());
        assert!(fusions(Path::new("/nonexistent.ods"), "x").is_empty());
    }
}
