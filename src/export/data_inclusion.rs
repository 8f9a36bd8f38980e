//! The data·inclusion v1 records as files, written as they are made: one JSON document,
//! two CSV tables, or a workbook with the sheets "Structures" and "Services" that
//! data·inclusion's validator reads.
//!
//! These files are for machines: values are written as they are, and the CSV is not
//! neutralised against spreadsheet formulas (that would change the data published). The
//! workbook writes every value as a typed cell (text or number), never as a formula.

use std::io::{Seek, Write};

use anyhow::{Context, Result};
use serde::Serialize;
use serde_json::Value;

use crate::domain::publication::{Service, Structure};

/// Where the records go as they are made: every structure first, then the services one
/// at a time (a catalogue of 100,000 services is never held whole).
pub trait Destination {
    fn structures(&mut self, structures: &[Structure]) -> Result<()>;
    fn service(&mut self, service: &Service) -> Result<()>;
    /// Whether the reader has gone (`spie offre exporter | head`): nothing more is worth
    /// making.
    fn abandonnee(&self) -> bool {
        false
    }
}

/// `{"structures": […], "services": […]}`, absent values as `null`, written as it comes,
/// byte for byte what `serde_json::to_vec_pretty` writes of the whole document.
pub struct Json<W: Write> {
    w: W,
    /// Records written in the current list.
    dans_la_liste: u64,
}

impl<W: Write> Json<W> {
    pub fn new(w: W) -> Json<W> {
        Json { w, dans_la_liste: 0 }
    }

    /// One record of a list, at the depth of the document's lists (JSON strings never hold
    /// a raw line break, so indenting every line is indenting the record).
    fn element<T: Serialize>(&mut self, r: &T) -> Result<()> {
        let octets = serde_json::to_vec_pretty(r)?;
        self.w
            .write_all(if self.dans_la_liste == 0 { b"\n    " } else { b",\n    " })?;
        for (i, ligne) in octets.split(|o| *o == b'\n').enumerate() {
            if i > 0 {
                self.w.write_all(b"\n    ")?;
            }
            self.w.write_all(ligne)?;
        }
        self.dans_la_liste += 1;
        Ok(())
    }

    fn fermer_la_liste(&mut self) -> Result<()> {
        self.w
            .write_all(if self.dans_la_liste == 0 { b"]" } else { b"\n  ]" })?;
        self.dans_la_liste = 0;
        Ok(())
    }

    /// Closes the document; the writer, flushed.
    pub fn terminer(mut self) -> Result<W> {
        self.fermer_la_liste()?;
        self.w.write_all(b"\n}\n")?;
        self.w.flush()?;
        Ok(self.w)
    }
}

impl<W: Write> Destination for Json<W> {
    fn structures(&mut self, structures: &[Structure]) -> Result<()> {
        self.w.write_all(b"{\n  \"structures\": [")?;
        for s in structures {
            self.element(s)?;
        }
        self.fermer_la_liste()?;
        self.w.write_all(b",\n  \"services\": [")?;
        Ok(())
    }

    fn service(&mut self, service: &Service) -> Result<()> {
        self.element(service)
    }

    fn abandonnee(&self) -> bool {
        crate::output::lecteur_parti()
    }
}

/// One cell of a table.
#[derive(Debug, Clone, PartialEq)]
enum Cellule {
    Vide,
    Texte(String),
    Nombre(f64),
}

/// The fields of a record, in the schema's order.
fn objet<T: Serialize>(r: &T) -> Result<serde_json::Map<String, Value>> {
    match serde_json::to_value(r)? {
        Value::Object(m) => Ok(m),
        autre => anyhow::bail!("enregistrement inattendu : {autre}"),
    }
}

/// The columns of a table of records of one kind: every field of the schema, in its order.
fn colonnes<T: Serialize + Default>() -> Result<Vec<String>> {
    Ok(objet(&T::default())?.keys().cloned().collect())
}

/// The cells of one record, one per column; a list is one cell of comma-separated codes.
/// Made a record at a time: a table of 100,000 services is never held whole.
fn cellules<T: Serialize>(r: &T) -> Result<Vec<Cellule>> {
    Ok(objet(r)?
        .into_iter()
        .map(|(_, v)| match v {
            Value::Null => Cellule::Vide,
            Value::String(t) => Cellule::Texte(t),
            Value::Number(n) => n.as_f64().map_or(Cellule::Texte(n.to_string()), Cellule::Nombre),
            Value::Array(a) => Cellule::Texte(
                a.iter()
                    .map(|x| x.as_str().map_or_else(|| x.to_string(), str::to_owned))
                    .collect::<Vec<_>>()
                    .join(","),
            ),
            autre => Cellule::Texte(autre.to_string()),
        })
        .collect())
}

/// A CSV as data·inclusion reads it: `,`, UTF-8 without BOM, a header of the schema's
/// field names, decimal point; nothing neutralised.
fn tableau<T: Serialize + Default, W: Write>(w: W) -> Result<csv::Writer<W>> {
    let mut w = csv::WriterBuilder::new().from_writer(w);
    w.write_record(colonnes::<T>()?)?;
    Ok(w)
}

fn ligne<T: Serialize, W: Write>(w: &mut csv::Writer<W>, r: &T) -> Result<()> {
    w.write_record(cellules(r)?.into_iter().map(|c| match c {
        Cellule::Vide => String::new(),
        Cellule::Texte(t) => t,
        Cellule::Nombre(x) => x.to_string(),
    }))?;
    Ok(())
}

/// `structures.csv` and `services.csv`, written side by side.
pub struct Csv<W: Write> {
    structures: csv::Writer<W>,
    services: csv::Writer<W>,
}

impl<W: Write> Csv<W> {
    pub fn new(structures: W, services: W) -> Result<Csv<W>> {
        Ok(Csv {
            structures: tableau::<Structure, W>(structures)?,
            services: tableau::<Service, W>(services)?,
        })
    }

    /// The two writers, flushed: structures, then services.
    pub fn terminer(self) -> Result<(W, W)> {
        let fin = |w: csv::Writer<W>| w.into_inner().map_err(|e| anyhow::Error::from(e.into_error()));
        Ok((fin(self.structures)?, fin(self.services)?))
    }
}

impl<W: Write> Destination for Csv<W> {
    fn structures(&mut self, structures: &[Structure]) -> Result<()> {
        structures.iter().try_for_each(|s| ligne(&mut self.structures, s))
    }

    fn service(&mut self, service: &Service) -> Result<()> {
        ligne(&mut self.services, service)
    }
}

/// The workbook: a sheet "Structures", then a sheet "Services". Each sheet is written
/// row by row to a temporary file rather than kept in memory (constant memory mode).
pub struct Xlsx {
    classeur: rust_xlsxwriter::Workbook,
    /// The next row of the sheet "Services".
    ligne: u32,
    colonnes: Vec<String>,
}

impl Xlsx {
    pub fn new() -> Xlsx {
        Xlsx {
            classeur: rust_xlsxwriter::Workbook::new(),
            ligne: 1,
            colonnes: Vec::new(),
        }
    }

    /// Writes the workbook (the sheet "Services" is made, empty, if no service came).
    pub fn terminer<W: Write + Seek + Send>(mut self, w: W) -> Result<()> {
        if self.colonnes.is_empty() {
            self.structures(&[])?;
        }
        self.classeur.save_to_writer(w)?;
        Ok(())
    }
}

impl Default for Xlsx {
    fn default() -> Xlsx {
        Xlsx::new()
    }
}

impl Destination for Xlsx {
    fn structures(&mut self, structures: &[Structure]) -> Result<()> {
        let f = feuille::<Structure>(&mut self.classeur, "Structures")?;
        let noms = colonnes::<Structure>()?;
        for (i, s) in structures.iter().enumerate() {
            rangee(f, "Structures", &noms, u32::try_from(i + 1)?, s)?;
        }
        feuille::<Service>(&mut self.classeur, "Services")?;
        self.colonnes = colonnes::<Service>()?;
        Ok(())
    }

    fn service(&mut self, service: &Service) -> Result<()> {
        let f = self.classeur.worksheet_from_index(1)?;
        rangee(f, "Services", &self.colonnes, self.ligne, service)?;
        self.ligne += 1;
        Ok(())
    }
}

/// A sheet in constant memory mode, its header written.
fn feuille<'a, T: Serialize + Default>(
    classeur: &'a mut rust_xlsxwriter::Workbook,
    nom: &str,
) -> Result<&'a mut rust_xlsxwriter::Worksheet> {
    let f = classeur.add_worksheet_with_constant_memory()?;
    f.set_name(nom)?;
    for (j, c) in colonnes::<T>()?.iter().enumerate() {
        f.write_string(0, u16::try_from(j)?, c)?;
    }
    Ok(f)
}

fn rangee<T: Serialize>(
    f: &mut rust_xlsxwriter::Worksheet,
    nom: &str,
    colonnes: &[String],
    ligne: u32,
    r: &T,
) -> Result<()> {
    for (j, c) in cellules(r)?.into_iter().enumerate() {
        let colonne = u16::try_from(j)?;
        match c {
            Cellule::Vide => {}
            Cellule::Texte(t) => {
                f.write_string(ligne, colonne, &t)
                    .with_context(|| format!("feuille {nom}, ligne {}, colonne {}", ligne + 1, colonnes[j]))?;
            }
            Cellule::Nombre(x) => {
                f.write_number(ligne, colonne, x)?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn service(nom: &str) -> Service {
        Service {
            nom: nom.into(),
            thematiques: Some(vec!["mobilite--preparer-un-permis".into(), "numerique--x".into()]),
            latitude: Some(49.16),
            description: "Ligne 1\nligne 2 « guillemets » \"x\"".into(),
            ..Service::default()
        }
    }

    #[test]
    fn tables_have_every_field_of_the_schema_and_lists_in_one_cell() {
        let mut csv = Csv::new(Vec::new(), Vec::new()).unwrap();
        csv.structures(&[Structure::default()]).unwrap();
        csv.service(&service("=1+1")).unwrap();
        let (structures, services) = csv.terminer().unwrap();
        let structures = String::from_utf8(structures).unwrap();
        assert!(
            structures.starts_with("source,id,nom,date_maj,description,"),
            "{structures}"
        );
        let services = String::from_utf8(services).unwrap();
        let mut lecteur = ::csv::Reader::from_reader(services.as_bytes());
        let entete = lecteur.headers().unwrap().clone();
        assert_eq!(entete.len(), 33);
        assert!(entete.iter().any(|c| c == "type") && entete.iter().any(|c| c == "nombre_semaines"));
        let ligne = lecteur.records().next().unwrap().unwrap();
        let valeur = |nom: &str| {
            ligne
                .get(entete.iter().position(|c| c == nom).unwrap())
                .unwrap()
                .to_owned()
        };
        assert_eq!(valeur("nom"), "=1+1", "un fichier pour machines n'est pas neutralisé");
        assert_eq!(valeur("thematiques"), "mobilite--preparer-un-permis,numerique--x");
        assert_eq!(valeur("latitude"), "49.16");
        assert_eq!(valeur("publics"), "");
        let mut classeur = Xlsx::new();
        classeur.structures(&[]).unwrap();
        classeur.service(&service("Atelier")).unwrap();
        let mut octets = std::io::Cursor::new(Vec::new());
        classeur.terminer(&mut octets).unwrap();
        assert!(
            octets.get_ref().starts_with(b"PK"),
            "un classeur xlsx est une archive zip"
        );
    }

    /// The document written as it comes is the document serialised whole.
    #[test]
    fn the_json_written_record_by_record_is_the_whole_document() {
        #[derive(Serialize)]
        struct Document<'a> {
            structures: &'a [Structure],
            services: &'a [Service],
        }
        let structures = [
            Structure::default(),
            Structure {
                reseaux_porteurs: Some(vec!["a".into()]),
                ..Structure::default()
            },
        ];
        let services = [service("Atelier"), service("Permis")];
        for (structures, services) in [
            (&structures[..], &services[..]),
            (&structures[..1], &[][..]),
            (&[][..], &services[..1]),
            (&[][..], &[][..]),
        ] {
            let mut json = Json::new(Vec::new());
            json.structures(structures).unwrap();
            for s in services {
                json.service(s).unwrap();
            }
            let mut attendu = serde_json::to_vec_pretty(&Document { structures, services }).unwrap();
            attendu.push(b'\n');
            assert_eq!(
                String::from_utf8(json.terminer().unwrap()).unwrap(),
                String::from_utf8(attendu).unwrap()
            );
        }
    }
}
