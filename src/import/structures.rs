//! The structures of a data·inclusion catalogue, read beside its services: each service
//! names its structure by `structure_id`, and takes from it the structure's name, and
//! its place and contacts when it gives none of its own.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

use anyhow::Result;

use super::cellule::{Rangee, en_texte};
use super::{Correspondance, Options, ouvrir};
use crate::domain::offre::{Brut, Champ};
use crate::error::erreur;

/// A structure's place, taken as a whole when the service has none.
const LIEU: [Champ; 7] = [
    Champ::Adresse,
    Champ::ComplementAdresse,
    Champ::CodePostal,
    Champ::CodeInsee,
    Champ::Commune,
    Champ::Latitude,
    Champ::Longitude,
];

/// Contacts, taken one by one.
const CONTACTS: [Champ; 2] = [Champ::Telephone, Champ::Courriel];

/// Structure id → its name, place and contacts.
pub struct Structures {
    par_id: HashMap<String, Vec<(Champ, String)>>,
    origine: Arc<str>,
}

impl Structures {
    /// Reads a structures file (JSON, CSV or workbook, as the services), or the sheet
    /// `feuille` of a workbook.
    pub fn lire(chemin: &Path, feuille: Option<&str>) -> Result<Structures> {
        let options = Options {
            feuille: feuille.map(str::to_owned),
            de_structures: true,
            ..Options::default()
        };
        let mut lecture = ouvrir(chemin, options)?;
        if lecture.correspondance.id_calcule {
            return Err(erreur(format!(
                "--structures {} : aucune colonne « id » ne donne l'identifiant des structures",
                chemin.display()
            ))
            .aide("les services nomment leur structure par son identifiant (structure_id) : le fichier des structures doit le donner")
            .into());
        }
        let mut structures = Structures::vide();
        while let Some(ligne) = lecture.suivante()? {
            structures.ajouter(&ligne.brut);
        }
        Ok(structures)
    }

    /// The structures of a JSON document that holds services too: the keys of their
    /// objects, then their rows.
    pub fn des_rangees(entetes: &[String], rangees: Vec<Rangee>) -> Result<Structures> {
        let correspondance = Correspondance::depuis(entetes, None)?;
        let mut structures = Structures::vide();
        for rangee in rangees {
            let record: csv::StringRecord = rangee.cellules.iter().map(|c| en_texte(c, None)).collect();
            structures.ajouter(&correspondance.brut(&record).0);
        }
        Ok(structures)
    }

    fn vide() -> Structures {
        Structures {
            par_id: HashMap::new(),
            origine: Arc::from("fichier des structures"),
        }
    }

    /// One structure: its id, name, place and contacts (a row without id is passed over).
    fn ajouter(&mut self, brut: &Brut) {
        let valeur = |c: Champ| brut.get(&c).map(|(v, _)| v.trim().to_owned()).filter(|v| !v.is_empty());
        let Some(id) = valeur(Champ::Id) else { return };
        let mut champs: Vec<(Champ, String)> = LIEU
            .iter()
            .chain(&CONTACTS)
            .filter_map(|c| valeur(*c).map(|v| (*c, v)))
            .collect();
        if let Some(nom) = valeur(Champ::Nom) {
            champs.push((Champ::Structure, nom));
        }
        self.par_id.insert(id, champs);
    }

    /// Completes a service with its structure: the structure's name, its place if the
    /// service has none, each contact the service lacks.
    pub fn completer(&self, brut: &mut Brut) {
        let Some(champs) = brut
            .get(&Champ::StructureId)
            .and_then(|(id, _)| self.par_id.get(id.trim()))
        else {
            return;
        };
        let vide = |brut: &Brut, c: &Champ| brut.get(c).is_none_or(|(v, _)| v.trim().is_empty());
        let sans_lieu = [Champ::CodeInsee, Champ::CodePostal, Champ::Commune]
            .iter()
            .all(|c| vide(brut, c));
        for (champ, valeur) in champs {
            let prendre = match champ {
                Champ::Structure => vide(brut, champ),
                c if LIEU.contains(c) => sans_lieu,
                c => vide(brut, c),
            };
            if prendre {
                brut.insert(*champ, (valeur.clone(), Arc::clone(&self.origine)));
            }
        }
    }
}

/// Columns only a data·inclusion structure has (a service has none of them).
const DE_STRUCTURE: [&str; 4] = ["siret", "reseaux_porteurs", "accessibilite_lieu", "antenne"];

/// Whether a header is that of data·inclusion structures: a column only a structure has,
/// and none giving what a service has (a `structure_id`, thematiques).
pub fn sont_des_structures(entetes: &[String], correspondance: &Correspondance) -> bool {
    let nommee = |noms: &[&str]| entetes.iter().any(|e| noms.contains(&e.trim().to_lowercase().as_str()));
    nommee(&DE_STRUCTURE)
        && !nommee(&["structure_id"])
        && !correspondance.champs.iter().any(|(c, _, _)| *c == Champ::Thematiques)
}
