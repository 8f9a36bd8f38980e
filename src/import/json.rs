//! JSON files of objects, as data·inclusion publishes its catalogue: an array of objects,
//! an object holding one (`{"services": […]}`, `{"items": […]}`, what `offre exporter`
//! and APIs write), or one object per line. Read twice, one object at a time: once for
//! the keys of every object (the header: an object missing a key makes no difference),
//! then on a thread of its own for the rows. Lists become cells of values separated by
//! commas.

use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, sync_channel};

use anyhow::Result;
use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

use super::cellule::{EN_ATTENTE, Rangee, Valeur, envoyer};
use crate::error::erreur;

/// Objects as rows: the header (every key, in the order they first appear), then one row
/// per object, numbered from 1 in the file's order.
pub struct Objets {
    pub entetes: Vec<String>,
    pub rangees: Receiver<Result<Rangee>>,
    /// The structures of a document that holds services too: their keys, then their rows.
    pub structures: Option<(Vec<String>, Vec<Rangee>)>,
}

/// Keys of an object holding the list of records.
const ENVELOPPES: [&str; 5] = ["services", "items", "data", "results", "structures"];

/// Whether the first bytes are those of a JSON document of objects: `[` or `{` first,
/// spaces and a BOM aside.
pub fn est_json(debut: &[u8]) -> bool {
    let debut = debut.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(debut);
    matches!(debut.iter().find(|b| !b.is_ascii_whitespace()), Some(b'[' | b'{'))
}

/// The keys of the objects of one list of the file, in the order they first appear.
#[derive(Default)]
struct Cles {
    entetes: Vec<String>,
    vues: std::collections::HashSet<String>,
}

/// Which list of a document holding both (`{"structures": […], "services": […]}`, what
/// `offre exporter` writes) is read: the services, unless the structures are asked for.
/// A document holding structures alone is refused when services are expected.
pub fn ouvrir(chemin: &Path, structures: bool) -> Result<Objets> {
    // The records of each list, by the key that holds it (`None`: records at the top).
    let mut listes: Vec<(Option<String>, Cles)> = Vec::new();
    // Kept in memory while the services are not known to be there: a catalogue has far
    // fewer structures than services.
    let mut objets_structures = Vec::new();
    parcourir(chemin, &mut |liste, objet| {
        let i = match listes.iter().position(|(l, _)| l.as_deref() == liste) {
            Some(i) => i,
            None => {
                listes.push((liste.map(str::to_owned), Cles::default()));
                listes.len() - 1
            }
        };
        let cles = &mut listes[i].1;
        for cle in objet.keys() {
            if !cles.vues.contains(cle) {
                cles.vues.insert(cle.clone());
                cles.entetes.push(cle.clone());
            }
        }
        if !structures && liste == Some("structures") {
            objets_structures.push(objet);
        }
        true
    })?;
    let nommee = |nom: &str| listes.iter().position(|(l, _)| l.as_deref() == Some(nom));
    let voulue = if structures {
        nommee("structures")
    } else {
        nommee("services")
    };
    if !structures && voulue.is_none() && listes.len() == 1 && nommee("structures").is_some() {
        return Err(que_des_structures(chemin));
    }
    let structures = match (voulue, nommee("structures")) {
        (Some(_), Some(i)) if !structures => {
            let cles = std::mem::take(&mut listes[i].1.entetes);
            let rangees = objets_structures
                .iter()
                .zip(1..)
                .map(|(objet, numero)| Rangee {
                    numero,
                    cellules: cles.iter().map(|cle| valeur(objet.get(cle))).collect(),
                })
                .collect();
            Some((cles, rangees))
        }
        _ => None,
    };
    drop(objets_structures);
    let (liste, Cles { entetes, .. }) = match voulue {
        Some(i) => listes.remove(i),
        None if listes.is_empty() => (None, Cles::default()),
        None => listes.remove(0),
    };
    if entetes.is_empty() {
        return Err(erreur(format!(
            "{} ne contient aucun objet JSON avec des champs",
            chemin.display()
        ))
        .aide("un fichier JSON importable est une liste d'objets, un par offre : [{\"id\": …, \"nom\": …}, …]")
        .into());
    }
    let (envoi, rangees) = sync_channel(EN_ATTENTE);
    let (cles, chemin) = (entetes.clone(), PathBuf::from(chemin));
    std::thread::spawn(move || {
        let mut numero = 0;
        let lu = parcourir(&chemin, &mut |de, objet| {
            if de != liste.as_deref() {
                return true;
            }
            numero += 1;
            let cellules = cles.iter().map(|cle| valeur(objet.get(cle))).collect();
            envoyer(&envoi, Rangee { numero, cellules })
        });
        if let Err(e) = lu {
            let _ = envoi.send(Err(e));
        }
    });
    Ok(Objets {
        entetes,
        rangees,
        structures,
    })
}

/// A file of structures given where services are expected.
pub fn que_des_structures(chemin: &Path) -> anyhow::Error {
    erreur(format!(
        "{} contient des structures, pas des services (des offres) : rien n'est importé",
        chemin.display()
    ))
    .aide(
        "importez le fichier des services, avec celui des structures en --structures pour compléter chaque service \
         de sa structure (ou le document JSON entier écrit par `spie offre exporter`, qui tient les deux)",
    )
    .into()
}

/// What a walk hands over: the key of the list an object was read in (`None` for an
/// object at the top of the file, or in a list at the top), and the object.
type Chaque<'f> = dyn FnMut(Option<&str>, Map<String, Value>) -> bool + 'f;

/// Calls `chaque` on every object of the file, in order, until it returns `false`.
fn parcourir(chemin: &Path, chaque: &mut Chaque<'_>) -> Result<()> {
    let mut lecteur = BufReader::with_capacity(1 << 16, File::open(chemin)?);
    // A BOM is not JSON, but Windows tools write one.
    if lecteur.fill_buf()?.starts_with(b"\xEF\xBB\xBF") {
        lecteur.consume(3);
    }
    let liste = lecteur.fill_buf()?.iter().find(|o| !o.is_ascii_whitespace()) == Some(&b'[');
    let mut parcours = Parcours {
        chaque,
        liste: None,
        numero: 0,
        arret: None,
    };
    let mut flux = serde_json::Deserializer::from_reader(lecteur);
    let lu = if liste {
        (&mut flux)
            .deserialize_seq(Elements(&mut parcours))
            .and_then(|()| flux.end())
    } else {
        // Objects one after the other: each a record, or one holding the list of records.
        let mut resultat = Ok(());
        // `end` only looks: it succeeds at the end of the file.
        while parcours.arret.is_none() && flux.end().is_err() {
            if let Err(e) = (&mut flux).deserialize_map(Sommet(&mut parcours)) {
                resultat = Err(e);
                break;
            }
        }
        resultat
    };
    match (parcours.arret, lu) {
        (Some(Arret::Erreur(e)), _) => Err(e),
        (Some(Arret::Fin), _) | (None, Ok(())) => Ok(()),
        (None, Err(e)) => Err(syntaxe(&e)),
    }
}

/// Why a walk stopped before the end of the file.
enum Arret {
    /// The caller needs no more objects.
    Fin,
    /// Something that is not an object where one is expected.
    Erreur(anyhow::Error),
}

struct Parcours<'f> {
    chaque: &'f mut Chaque<'f>,
    /// The key of the list being read.
    liste: Option<&'static str>,
    numero: u64,
    arret: Option<Arret>,
}

impl Parcours<'_> {
    /// One element of a list of records; `false` once the walk stops.
    fn element(&mut self, v: Value) -> bool {
        self.numero += 1;
        match v {
            Value::Object(objet) => {
                if !(self.chaque)(self.liste, objet) {
                    self.arret = Some(Arret::Fin);
                }
            }
            _ => {
                self.arret = Some(Arret::Erreur(
                    erreur(format!("élément n° {} : un objet {{…}} est attendu", self.numero))
                        .aide("un fichier JSON importable est une liste d'objets, un par offre : [{\"id\": …, \"nom\": …}, …]")
                        .into(),
                ));
            }
        }
        self.arret.is_none()
    }
}

fn arreter<E: serde::de::Error>() -> E {
    E::custom("lecture arrêtée")
}

/// A list of records.
struct Elements<'p, 'f>(&'p mut Parcours<'f>);

impl<'de> Visitor<'de> for Elements<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("une liste d'objets")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(v) = seq.next_element::<Value>()? {
            if !self.0.element(v) {
                return Err(arreter());
            }
        }
        Ok(())
    }
}

impl<'de> DeserializeSeed<'de> for Elements<'_, '_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

/// A top-level object.
struct Sommet<'p, 'f>(&'p mut Parcours<'f>);

impl<'de> Visitor<'de> for Sommet<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("un objet")
    }

    /// A record, or an object holding lists of records under keys of [`ENVELOPPES`]:
    /// each list is read element by element, the object's other keys are ignored.
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let (mut champs, mut enveloppe) = (Map::new(), false);
        while let Some(cle) = map.next_key::<String>()? {
            if let Some(liste) = ENVELOPPES.iter().find(|e| **e == cle) {
                self.0.liste = Some(liste);
                let lu = map.next_value_seed(ListeOuValeur(self.0));
                self.0.liste = None;
                match lu? {
                    Some(v) => {
                        champs.insert(cle, v);
                    }
                    None if self.0.arret.is_some() => return Err(arreter()),
                    None => enveloppe = true,
                }
            } else {
                champs.insert(cle, map.next_value::<Value>()?);
            }
        }
        if !enveloppe && !self.0.element(Value::Object(champs)) {
            return Err(arreter());
        }
        Ok(())
    }
}

/// Under a key of [`ENVELOPPES`]: a list, read as records (`None`), or any other value,
/// kept as a field of the object (`Some`).
struct ListeOuValeur<'p, 'f>(&'p mut Parcours<'f>);

impl<'de> DeserializeSeed<'de> for ListeOuValeur<'_, '_> {
    type Value = Option<Value>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Option<Value>, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ListeOuValeur<'_, '_> {
    type Value = Option<Value>;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("une valeur JSON")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Option<Value>, A::Error> {
        Elements(self.0).visit_seq(seq).map(|()| None)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Option<Value>, A::Error> {
        Map::deserialize(serde::de::value::MapAccessDeserializer::new(map)).map(|m| Some(Value::Object(m)))
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Option<Value>, E> {
        Ok(Some(Value::String(v.to_owned())))
    }

    fn visit_bool<E>(self, v: bool) -> Result<Option<Value>, E> {
        Ok(Some(Value::Bool(v)))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Option<Value>, E> {
        Ok(Some(Value::from(v)))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Option<Value>, E> {
        Ok(Some(Value::from(v)))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Option<Value>, E> {
        Ok(Some(Value::from(v)))
    }

    fn visit_unit<E>(self) -> Result<Option<Value>, E> {
        Ok(Some(Value::Null))
    }
}

use serde::Deserialize;

/// A value as a cell: a list's values separated by commas, an object as its JSON text.
fn valeur(v: Option<&Value>) -> Valeur {
    match v {
        None | Some(Value::Null) => Valeur::Vide,
        Some(Value::Bool(b)) => Valeur::Booleen(*b),
        // A number is kept as typed: never read as a spreadsheet date.
        Some(Value::Number(n)) => super::cellule::texte(&n.to_string()),
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
        e.column().max(1)
    ))
    .aide("vérifiez le fichier dans un éditeur ; un fichier JSON importable est une liste d'objets [{…}, {…}]")
    .into()
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
        let objets = ouvrir(&chemin, false)?;
        let mut rangees = Vec::new();
        for r in objets.rangees {
            let r = r?;
            rangees.push((r.numero, r.cellules));
        }
        Ok((objets.entetes, rangees))
    }

    fn t(s: &str) -> Valeur {
        Valeur::Texte(s.into())
    }

    #[test]
    fn every_key_of_every_object_makes_a_column() {
        let (entetes, rangees) = lire(
            "\u{feff}[{\"id\": \"a\", \"publics\": [\"jeunes\", \"femmes\"], \"latitude\": 48.5, \"vide\": null},\n\
             {\"latitude\": 49, \"id\": \"b\", \"autre\": true}]",
        )
        .unwrap();
        assert_eq!(entetes, ["id", "publics", "latitude", "vide", "autre"]);
        assert_eq!(
            rangees,
            [
                (
                    1,
                    vec![t("a"), t("jeunes, femmes"), t("48.5"), Valeur::Vide, Valeur::Vide]
                ),
                (
                    2,
                    vec![t("b"), Valeur::Vide, t("49"), Valeur::Vide, Valeur::Booleen(true)]
                ),
            ]
        );
    }

    #[test]
    fn the_list_of_an_enveloping_object_and_json_lines_are_read() {
        let (entetes, rangees) =
            lire("{\"total\": 2, \"services\": [{\"id\": \"a\"}, {\"id\": \"b\", \"nom\": \"B\"}], \"page\": 1}")
                .unwrap();
        assert_eq!(entetes, ["id", "nom"]);
        assert_eq!(rangees.len(), 2);
        let (_, rangees) = lire("{\"id\": \"a\"}\n{\"id\": \"b\"}\n").unwrap();
        assert_eq!(rangees.len(), 2, "JSON Lines");
        // A record whose field is named like an envelope, but is no list, stays a record.
        let (entetes, rangees) = lire("{\"id\": \"a\", \"data\": \"x\"}").unwrap();
        assert_eq!((entetes.len(), rangees.len()), (2, 1));
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
    }
}
