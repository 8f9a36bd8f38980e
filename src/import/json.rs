//! JSON files of objects, as data·inclusion publishes its catalogue: an array of objects
//! (or one object per line), read on a thread of its own one object at a time. The first
//! object's keys make the header; lists become cells of values separated by commas.

use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};

use anyhow::Result;
use serde::de::{Deserializer, SeqAccess, Visitor};
use serde_json::{Map, Value};

use super::cellule::{EN_ATTENTE, Rangee, Valeur, envoyer};
use crate::error::erreur;

/// Objects as rows: the header (the first object's keys), then one row per object,
/// numbered from 1 in the file's order.
pub struct Objets {
    pub entetes: Vec<String>,
    pub rangees: Receiver<Result<Rangee>>,
}

/// Whether the first bytes are those of a JSON document of objects: `[` or `{` first,
/// spaces and a BOM aside.
pub fn est_json(debut: &[u8]) -> bool {
    let debut = debut.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(debut);
    matches!(debut.iter().find(|b| !b.is_ascii_whitespace()), Some(b'[' | b'{'))
}

pub fn ouvrir(chemin: &Path) -> Result<Objets> {
    let mut lecteur = BufReader::with_capacity(1 << 16, File::open(chemin)?);
    // A BOM is not JSON, but Windows tools write one.
    if lecteur.fill_buf()?.starts_with(b"\xEF\xBB\xBF") {
        lecteur.consume(3);
    }
    let (envoi, rangees) = sync_channel(EN_ATTENTE);
    let (entete, recue) = sync_channel(1);
    std::thread::spawn(move || {
        let mut lecture = Lecture {
            envoi,
            entete: Some(entete),
            cles: Vec::new(),
            numero: 0,
        };
        let liste = lecteur
            .fill_buf()
            .is_ok_and(|b| b.iter().find(|o| !o.is_ascii_whitespace()) == Some(&b'['));
        let mut flux = serde_json::Deserializer::from_reader(lecteur);
        let lu = if liste {
            flux.deserialize_seq(&mut lecture).and_then(|()| flux.end())
        } else {
            // Objects one after the other (JSON Lines), or a single one.
            lecture.suite(flux.into_iter::<Value>())
        };
        if let Err(e) = lu {
            lecture.echec(syntaxe(&e));
        }
    });
    match recue.recv() {
        Ok(Ok(entetes)) => Ok(Objets { entetes, rangees }),
        Ok(Err(e)) => Err(e),
        Err(_) => Err(erreur(format!("{} ne contient aucun objet JSON", chemin.display())).into()),
    }
}

/// The reading thread's state: where rows go, the header until it is sent.
struct Lecture {
    envoi: SyncSender<Result<Rangee>>,
    entete: Option<SyncSender<Result<Vec<String>>>>,
    cles: Vec<String>,
    numero: u64,
}

impl Lecture {
    /// Objects one after the other.
    fn suite(&mut self, valeurs: impl Iterator<Item = serde_json::Result<Value>>) -> serde_json::Result<()> {
        for v in valeurs {
            if !self.element(v?) {
                return Ok(());
            }
        }
        self.fin();
        Ok(())
    }

    /// One element of the file; `false` once reading stops.
    fn element(&mut self, v: Value) -> bool {
        match v {
            Value::Object(objet) => self.objet(objet),
            _ => {
                self.pas_un_objet();
                false
            }
        }
    }

    /// The end of the file: without any object, an error.
    fn fin(&mut self) {
        if let Some(entete) = self.entete.take() {
            let _ = entete.send(Err(erreur("le fichier JSON ne contient aucun objet").into()));
        }
    }

    fn echec(&mut self, e: anyhow::Error) {
        match self.entete.take() {
            Some(entete) => {
                let _ = entete.send(Err(e));
            }
            None => {
                let _ = self.envoi.send(Err(e));
            }
        }
    }

    /// One object of the file; `false` once the import stopped listening.
    fn objet(&mut self, objet: Map<String, Value>) -> bool {
        self.numero += 1;
        if let Some(entete) = self.entete.take() {
            self.cles = objet.keys().cloned().collect();
            if entete.send(Ok(self.cles.clone())).is_err() {
                return false;
            }
        }
        let cellules = self.cles.iter().map(|cle| valeur(objet.get(cle))).collect();
        envoyer(
            &self.envoi,
            Rangee {
                numero: self.numero,
                cellules,
            },
        )
    }

    fn pas_un_objet(&mut self) {
        self.echec(
            erreur(format!("élément n° {} : un objet {{…}} est attendu", self.numero + 1))
                .aide("un fichier JSON importable est une liste d'objets, un par offre : [{\"id\": …, \"nom\": …}, …]")
                .into(),
        );
    }
}

/// A value as a cell: a list's values separated by commas, an object as its JSON text.
fn valeur(v: Option<&Value>) -> Valeur {
    match v {
        None | Some(Value::Null) => Valeur::Vide,
        Some(Value::Bool(b)) => Valeur::Booleen(*b),
        Some(Value::Number(n)) => n.as_f64().map_or(Valeur::Vide, Valeur::Nombre),
        Some(Value::String(s)) => super::cellule::texte(s),
        Some(Value::Array(liste)) => {
            let valeurs: Vec<String> = liste
                .iter()
                .map(|v| match v {
                    Value::String(s) => s.clone(),
                    autre => autre.to_string(),
                })
                .collect();
            super::cellule::texte(&valeurs.join(", "))
        }
        Some(objet @ Value::Object(_)) => Valeur::Texte(objet.to_string()),
    }
}

/// A syntax error of the file, in French, with its line and column.
fn syntaxe(e: &serde_json::Error) -> anyhow::Error {
    let quoi = match e.classify() {
        serde_json::error::Category::Eof => "fichier tronqué (fin inattendue)",
        serde_json::error::Category::Io => "lecture impossible",
        serde_json::error::Category::Syntax | serde_json::error::Category::Data => "syntaxe JSON invalide",
    };
    erreur(format!(
        "JSON illisible, ligne {}, colonne {} : {quoi}",
        e.line(),
        e.column()
    ))
    .aide("vérifiez le fichier dans un éditeur ; un fichier JSON importable est une liste d'objets [{…}, {…}]")
    .into()
}

impl<'de> Visitor<'de> for &mut Lecture {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("une liste d'objets")
    }

    /// The file's array: its objects one by one.
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(v) = seq.next_element::<Value>()? {
            if !self.element(v) {
                // Stopped: the rest of the file is not read.
                return Err(serde::de::Error::custom("lecture arrêtée"));
            }
        }
        self.fin();
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The header and the rows (number, cells) of a JSON text.
    type Lu = (Vec<String>, Vec<(u64, Vec<Valeur>)>);

    fn lire(texte: &str) -> Result<Lu> {
        let dossier = tempfile::tempdir().unwrap();
        let chemin = dossier.path().join("f.json");
        std::fs::write(&chemin, texte).unwrap();
        let objets = ouvrir(&chemin)?;
        let mut rangees = Vec::new();
        for r in objets.rangees {
            let r = r?;
            rangees.push((r.numero, r.cellules));
        }
        Ok((objets.entetes, rangees))
    }

    #[test]
    fn an_array_of_objects_reads_as_rows_under_the_first_objects_keys() {
        let (entetes, rangees) = lire(
            "\u{feff}[{\"id\": \"a\", \"publics\": [\"jeunes\", \"femmes\"], \"latitude\": 48.5, \"vide\": null},\n\
             {\"latitude\": 49, \"id\": \"b\", \"autre\": true}]",
        )
        .unwrap();
        assert_eq!(entetes, ["id", "publics", "latitude", "vide"]);
        assert_eq!(
            rangees,
            [
                (
                    1,
                    vec![
                        Valeur::Texte("a".into()),
                        Valeur::Texte("jeunes, femmes".into()),
                        Valeur::Nombre(48.5),
                        Valeur::Vide
                    ]
                ),
                (
                    2,
                    vec![
                        Valeur::Texte("b".into()),
                        Valeur::Vide,
                        Valeur::Nombre(49.0),
                        Valeur::Vide
                    ]
                ),
            ]
        );
    }

    #[test]
    fn a_broken_file_is_told_with_its_line() {
        let e = lire("[{\"id\": \"a\"},\n{\"id\": \"b\",\n\"nom\" \"x\"}]")
            .unwrap_err()
            .to_string();
        assert!(e.contains("ligne 3") && e.contains("syntaxe JSON invalide"), "{e}");
        let e = lire("[{\"id\": \"a\"}, 3]").unwrap_err().to_string();
        assert!(e.contains("élément n° 2"), "{e}");
        let e = lire("[").unwrap_err().to_string();
        assert!(e.contains("tronqué"), "{e}");
        let e = lire("[]").unwrap_err().to_string();
        assert!(e.contains("aucun objet"), "{e}");
        let (_, rangees) = lire("{\"id\": \"a\"}\n{\"id\": \"b\"}\n").unwrap();
        assert_eq!(rangees.len(), 2, "JSON Lines");
    }
}
