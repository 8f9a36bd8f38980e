//! The data·inclusion v1 records of a [`Publication`] as files: one JSON document, two
//! CSV tables, or a workbook with the sheets "Structures" and "Services" that
//! data·inclusion's validator reads.
//!
//! These files are for machines: values are written as they are, and the CSV is not
//! neutralised against spreadsheet formulas (that would change the data published). The
//! workbook writes every value as a typed cell (text or number), never as a formula.

use anyhow::{Context, Result};
use serde::Serialize;
use serde_json::{Value, json};

use crate::domain::publication::{Publication, Service, Structure};

/// `{"structures": […], "services": […]}`, absent values as `null`.
pub fn json(p: &Publication) -> Result<Vec<u8>> {
    let document = json!({ "structures": p.structures, "services": p.services });
    Ok((serde_json::to_string_pretty(&document)? + "\n").into_bytes())
}

/// One cell of a table.
#[derive(Debug, Clone, PartialEq)]
enum Cellule {
    Vide,
    Texte(String),
    Nombre(f64),
}

/// The columns (every field of the schema, in its order) and the rows of records of one
/// kind; a list is one cell of comma-separated codes.
fn table<T: Serialize + Default>(records: &[T]) -> Result<(Vec<String>, Vec<Vec<Cellule>>)> {
    let objet = |r: &T| -> Result<serde_json::Map<String, Value>> {
        match serde_json::to_value(r)? {
            Value::Object(m) => Ok(m),
            autre => anyhow::bail!("enregistrement inattendu : {autre}"),
        }
    };
    let colonnes = objet(&T::default())?.keys().cloned().collect();
    let mut lignes = Vec::with_capacity(records.len());
    for r in records {
        let cellules = objet(r)?
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
            .collect();
        lignes.push(cellules);
    }
    Ok((colonnes, lignes))
}

/// A CSV as data·inclusion reads it: `,`, UTF-8 without BOM, a header of the schema's
/// field names, decimal point; nothing neutralised.
fn csv<T: Serialize + Default>(records: &[T]) -> Result<Vec<u8>> {
    let (colonnes, lignes) = table(records)?;
    let mut w = csv::WriterBuilder::new().from_writer(Vec::new());
    w.write_record(&colonnes)?;
    for l in lignes {
        w.write_record(l.iter().map(|c| match c {
            Cellule::Vide => String::new(),
            Cellule::Texte(t) => t.clone(),
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

/// The workbook: a sheet "Structures", then a sheet "Services".
pub fn xlsx(p: &Publication) -> Result<Vec<u8>> {
    let mut classeur = rust_xlsxwriter::Workbook::new();
    feuille(&mut classeur, "Structures", table::<Structure>(&p.structures)?)?;
    feuille(&mut classeur, "Services", table::<Service>(&p.services)?)?;
    Ok(classeur.save_to_buffer()?)
}

fn feuille(
    classeur: &mut rust_xlsxwriter::Workbook,
    nom: &str,
    (colonnes, lignes): (Vec<String>, Vec<Vec<Cellule>>),
) -> Result<()> {
    let f = classeur.add_worksheet();
    f.set_name(nom)?;
    for (j, c) in colonnes.iter().enumerate() {
        f.write_string(0, u16::try_from(j)?, c)?;
    }
    for (i, l) in lignes.iter().enumerate() {
        let ligne = u32::try_from(i + 1)?;
        for (j, c) in l.iter().enumerate() {
            let colonne = u16::try_from(j)?;
            match c {
                Cellule::Vide => {}
                Cellule::Texte(t) => {
                    f.write_string(ligne, colonne, t)
                        .with_context(|| format!("feuille {nom}, ligne {}, colonne {}", ligne + 1, colonnes[j]))?;
                }
                Cellule::Nombre(x) => {
                    f.write_number(ligne, colonne, *x)?;
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
