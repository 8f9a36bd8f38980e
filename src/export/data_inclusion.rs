//! The data·inclusion v1 records of a [`Publication`] as files: one JSON document, two
//! CSV tables, or a workbook with the sheets "Structures" and "Services" that
//! data·inclusion's validator reads.
//!
//! These files are for machines: values are written as they are, and the CSV is not
//! neutralised against spreadsheet formulas (that would change the data published). The
//! workbook writes every value as a typed cell (text or number), never as a formula.

use anyhow::{Context, Result};
use serde::Serialize;
use serde_json::Value;

use crate::domain::publication::{Publication, Service, Structure};

/// The document, serialised as it is (no intermediate tree of values).
#[derive(Serialize)]
struct Document<'a> {
    structures: &'a [Structure],
    services: &'a [Service],
}

/// `{"structures": […], "services": […]}`, absent values as `null`.
pub fn json(p: &Publication) -> Result<Vec<u8>> {
    let document = Document {
        structures: &p.structures,
        services: &p.services,
    };
    let mut octets = serde_json::to_vec_pretty(&document)?;
    octets.push(b'\n');
    Ok(octets)
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
fn csv<T: Serialize + Default>(records: &[T]) -> Result<Vec<u8>> {
    let mut w = csv::WriterBuilder::new().from_writer(Vec::new());
    w.write_record(colonnes::<T>()?)?;
    for r in records {
        w.write_record(cellules(r)?.into_iter().map(|c| match c {
            Cellule::Vide => String::new(),
            Cellule::Texte(t) => t,
            Cellule::Nombre(x) => x.to_string(),
        }))?;
    }
    Ok(w.into_inner().map_err(|e| e.into_error())?)
}

/// `structures.csv` and `services.csv`.
pub fn csv_structures_services(p: &Publication) -> Result<[(&'static str, Vec<u8>); 2]> {
    Ok([
        ("structures.csv", csv::<Structure>(&p.structures)?),
        ("services.csv", csv::<Service>(&p.services)?),
    ])
}

/// The workbook: a sheet "Structures", then a sheet "Services". Each sheet is written
/// row by row to a temporary file rather than kept in memory (constant memory mode).
pub fn xlsx(p: &Publication) -> Result<Vec<u8>> {
    let mut classeur = rust_xlsxwriter::Workbook::new();
    feuille(&mut classeur, "Structures", &p.structures)?;
    feuille(&mut classeur, "Services", &p.services)?;
    Ok(classeur.save_to_buffer()?)
}

fn feuille<T: Serialize + Default>(classeur: &mut rust_xlsxwriter::Workbook, nom: &str, records: &[T]) -> Result<()> {
    let colonnes = colonnes::<T>()?;
    let f = classeur.add_worksheet_with_constant_memory()?;
    f.set_name(nom)?;
    for (j, c) in colonnes.iter().enumerate() {
        f.write_string(0, u16::try_from(j)?, c)?;
    }
    for (i, r) in records.iter().enumerate() {
        let ligne = u32::try_from(i + 1)?;
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
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_have_every_field_of_the_schema_and_lists_in_one_cell() {
        let p = Publication {
            services: vec![Service {
                nom: "=1+1".into(),
                thematiques: Some(vec!["mobilite--preparer-un-permis".into(), "numerique--x".into()]),
                latitude: Some(49.16),
                ..Service::default()
            }],
            ..Publication::default()
        };
        let [(_, structures), (_, services)] = csv_structures_services(&p).unwrap();
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
        let classeur = xlsx(&p).unwrap();
        assert!(classeur.starts_with(b"PK"), "un classeur xlsx est une archive zip");
    }
}
