//! Files for people to open in a spreadsheet: the one place that builds them.

pub mod rapport;

use anyhow::Result;

use crate::output::neutraliser;

/// A CSV as French spreadsheets expect it: `;`, UTF-8 with BOM, every cell that would
/// run as a formula neutralised. Numbers are formatted by the caller (decimal comma).
pub fn csv_pour_tableur(entetes: &[&str], lignes: &[Vec<String>]) -> Result<Vec<u8>> {
    let mut octets = "\u{feff}".as_bytes().to_vec();
    {
        let mut w = csv::WriterBuilder::new().delimiter(b';').from_writer(&mut octets);
        w.write_record(entetes)?;
        for l in lignes {
            w.write_record(l.iter().map(|c| neutraliser(c)))?;
        }
        w.flush()?;
    }
    Ok(octets)
}

/// `0.6472` → `0,647`.
pub fn decimal(x: f64, chiffres: usize) -> String {
    format!("{x:.chiffres$}").replace('.', ",")
}
