//! Files written out: for people to open in a spreadsheet (the one place that builds
//! them, neutralised against formulas), and the data·inclusion files for machines.

pub mod chiffre;
pub mod convocation;
pub mod data_inclusion;
pub mod liaison;
pub mod manifeste;
pub mod pack;
pub mod rapport;

use anyhow::Result;

use crate::output::neutralisee;

/// A CSV as French spreadsheets expect it: `;`, UTF-8 with BOM, every cell that would
/// run as a formula neutralised. Numbers are formatted by the caller (decimal comma).
pub fn csv_pour_tableur(entetes: &[&str], lignes: &[Vec<String>]) -> Result<Vec<u8>> {
    let mut csv = Tableur::nouveau(Vec::new(), entetes)?;
    for l in lignes {
        csv.ligne(l)?;
    }
    csv.fin()
}

/// The same CSV written row by row, for outputs too large to hold.
pub struct Tableur<W: std::io::Write> {
    csv: csv::Writer<W>,
}

impl<W: std::io::Write> Tableur<W> {
    pub fn nouveau(mut sortie: W, entetes: &[&str]) -> Result<Tableur<W>> {
        sortie.write_all("\u{feff}".as_bytes())?;
        let mut csv = csv::WriterBuilder::new().delimiter(b';').from_writer(sortie);
        csv.write_record(entetes)?;
        Ok(Tableur { csv })
    }

    pub fn ligne(&mut self, cellules: &[String]) -> Result<()> {
        self.cellules(cellules.iter().map(String::as_str))
    }

    /// One row from borrowed cells, without building it.
    pub fn cellules<'c>(&mut self, cellules: impl IntoIterator<Item = &'c str>) -> Result<()> {
        for c in cellules {
            self.csv.write_field(neutralisee(c).as_bytes())?;
        }
        self.csv.write_record(None::<&[u8]>)?;
        Ok(())
    }

    /// Flushes and gives the output back.
    pub fn fin(self) -> Result<W> {
        self.csv.into_inner().map_err(|e| anyhow::anyhow!("{}", e.error()))
    }
}
