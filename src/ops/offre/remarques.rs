//! What an import found, bounded whatever the file's size: each rejection worded (the
//! first ones), and each kind of warning once with the first lines it concerns.

use crate::domain::offre::{Gravite, Probleme};
use crate::domain::texte::{APERCU, apercu};

/// Kinds of rejection worded (the same column, value and reason on many rows are one
/// kind); the others are counted, and all go to `--rejets`.
const AFFICHES: usize = 30;

/// Rows repeating an identifiant worded (each names its own earlier line, so each is a
/// warning of its own); the others are counted.
const DOUBLONS_NOMMES: usize = 10;

/// Kinds of warning worded per column: a warning quoting its value (an odd phone) is a
/// kind of its own for each value; past these, the rows are counted per column.
const SORTES_PAR_COLONNE: usize = 10;

/// The findings of an import.
#[derive(Default)]
pub struct Remarques {
    /// What a row is called: `ligne`, or `objet` in a JSON file.
    pub unite: &'static str,
    /// The kinds of rejection worded, in the order met.
    pub rejets: Vec<Rejet>,
    /// Rejections of no kind worded.
    pub rejets_tus: usize,
    pub rejetees: usize,
    /// The first ten rows rejected.
    pub lignes_rejetees: Vec<u64>,
    pub avertissements: Vec<Avertissement>,
    /// Per column, the rows of the warnings past its first [`SORTES_PAR_COLONNE`] kinds
    /// (their message is empty).
    pub autres: Vec<Avertissement>,
    /// Rows repeating an identifiant past the first ones worded: counted only.
    pub doublons_tus: usize,
    /// Rows repeating an identifiant worded so far.
    pub doublons_nommes: usize,
}

/// Rows rejected for the same reason, on the same value of the same column.
pub struct Rejet {
    pub colonne: String,
    pub valeur: String,
    pub message: String,
    /// The first ten rows, and how many there are.
    pub lignes: Vec<u64>,
    pub total: usize,
}

pub struct Avertissement {
    pub colonne: String,
    pub message: String,
    /// The first ten lines.
    pub lignes: Vec<u64>,
    /// The lines it concerns: a row that says it twice counts once.
    pub total: usize,
    derniere: u64,
}

impl Avertissement {
    fn de(colonne: &str, message: String) -> Avertissement {
        Avertissement {
            colonne: colonne.to_owned(),
            message,
            lignes: Vec::new(),
            total: 0,
            derniere: 0,
        }
    }
}

impl Remarques {
    /// A row repeating an identifiant (see [`doublon`]): worded for the first rows only.
    pub fn noter_doublon(&mut self, ligne: u64, p: &Probleme) {
        if self.doublons_nommes < DOUBLONS_NOMMES {
            self.doublons_nommes += 1;
            self.noter(ligne, p);
        } else {
            self.doublons_tus += 1;
        }
    }

    pub fn noter(&mut self, ligne: u64, p: &Probleme) {
        if p.gravite == Gravite::Erreur {
            self.rejetees += 1;
            if self.lignes_rejetees.len() < 10 && self.lignes_rejetees.last() != Some(&ligne) {
                self.lignes_rejetees.push(ligne);
            }
            let meme = |r: &Rejet| r.colonne == p.colonne && r.valeur == p.valeur && r.message == p.message;
            match self.rejets.iter().position(meme) {
                Some(i) => {
                    let r = &mut self.rejets[i];
                    r.total += 1;
                    if r.lignes.len() < 10 {
                        r.lignes.push(ligne);
                    }
                }
                None if self.rejets.len() < AFFICHES => self.rejets.push(Rejet {
                    colonne: p.colonne.clone(),
                    valeur: p.valeur.clone(),
                    message: p.message.clone(),
                    lignes: vec![ligne],
                    total: 1,
                }),
                None => self.rejets_tus += 1,
            }
            return;
        }
        let a = match self
            .avertissements
            .iter()
            .position(|a| a.colonne == p.colonne && a.message == p.message)
        {
            Some(i) => &mut self.avertissements[i],
            None if self.avertissements.iter().filter(|a| a.colonne == p.colonne).count() >= SORTES_PAR_COLONNE => {
                match self.autres.iter().position(|a| a.colonne == p.colonne) {
                    Some(i) => &mut self.autres[i],
                    None => {
                        self.autres.push(Avertissement::de(&p.colonne, String::new()));
                        self.autres.last_mut().expect("just pushed")
                    }
                }
            }
            None => {
                self.avertissements
                    .push(Avertissement::de(&p.colonne, p.message.clone()));
                self.avertissements.last_mut().expect("just pushed")
            }
        };
        if a.total > 0 && a.derniere == ligne {
            return;
        }
        a.derniere = ligne;
        a.total += 1;
        if a.lignes.len() < 10 {
            a.lignes.push(ligne);
        }
    }
}

/// The warning for a row repeating an identifiant of the file (`colonne`: where the file
/// gives identifiants), naming the line (or object: `unite`) that gave it before
/// (`avant`); a computed identifier (`calcule`) says why the two rows are the same offer.
pub fn doublon(colonne: &str, identifiant: &str, (unite, avant): (&str, u64), calcule: bool) -> Probleme {
    let valeur = apercu(identifiant, APERCU).into_owned();
    let message = if calcule {
        let la = if unite == "objet" { "l'" } else { "la " };
        format!(
            "même identifiant calculé que {la}{unite} {avant} : même nom, structure et commune ; cette ligne remplace \
             la précédente"
        )
    } else {
        format!("identifiant « {valeur} » déjà donné {unite} {avant} : cette ligne remplace la précédente")
    };
    Probleme {
        gravite: Gravite::Avertissement,
        colonne: colonne.to_owned(),
        valeur,
        message,
    }
}
