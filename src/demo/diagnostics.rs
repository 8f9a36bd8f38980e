//! Demo diagnostics: one to three per parcours for most people, barriers as frequent as
//! in rural Meuse (mobility and health first), orientations decided, some late or missing.

use anyhow::Result;
use chrono::{Days, NaiveDate};
use rusqlite::Transaction;

use super::Tirage;
use crate::db;
use crate::domain::diagnostic::{Contrainte, Decision, Reponses, suggerer};
use crate::domain::grille::{CATEGORIES_PROFESSIONNELLES, GRILLE, Niveau, NiveauFormation, Projet};
use crate::referentiel::thematiques;

/// Per dimension, in grid order: chances (per thousand) of fort, moyen, sans-impact;
/// the rest is non-aborde.
const FREQUENCES: [(u32, u32, u32); 8] = [
    (230, 300, 420), // mobilité
    (80, 180, 680),  // famille
    (120, 250, 580), // santé
    (50, 120, 760),  // langue
    (80, 150, 700),  // logement
    (120, 280, 540), // finances
    (60, 180, 700),  // administratif
    (100, 250, 580), // numérique
];

/// What the demo recorded, for its summary.
#[derive(Default)]
pub struct Compte {
    pub diagnostics: usize,
    pub orientations: usize,
}

fn reponses(t: &mut Tirage) -> Reponses {
    let mut r = Reponses::default();
    for (def, (fort, moyen, sans)) in GRILLE.iter().zip(FREQUENCES) {
        let niveau = t.pondere(&[
            (Niveau::Fort, fort),
            (Niveau::Moyen, moyen),
            (Niveau::SansImpact, sans),
            (Niveau::NonAborde, 1000 - fort - moyen - sans),
        ]);
        let mut c = Contrainte {
            niveau: Some(niveau),
            ..Contrainte::default()
        };
        if niveau.est_un_frein() {
            c.situations.push(t.un(def.situations).0.to_owned());
        }
        r.contraintes.insert(def.dimension, c);
    }
    r.activite_24_mois = Some(t.chance(0.65));
    r.projet = Some(t.pondere(&[(Projet::Defini, 35), (Projet::APreciser, 45), (Projet::Aucun, 20)]));
    r.niveau_formation = Some(t.pondere(&[
        (NiveauFormation::Infra3, 25),
        (NiveauFormation::N3, 35),
        (NiveauFormation::N4, 25),
        (NiveauFormation::N5, 10),
        (NiveauFormation::N6, 5),
    ]));
    let besoins = thematiques::des_categories(&CATEGORIES_PROFESSIONNELLES);
    r.besoins.push(t.un(&besoins).code.clone());
    r
}

/// A later diagnostic: some barriers have eased.
fn suivant(t: &mut Tirage, avant: &Reponses) -> Reponses {
    let mut r = avant.clone();
    for c in r.contraintes.values_mut() {
        c.niveau = Some(match c.niveau() {
            Niveau::Fort if t.chance(0.4) => Niveau::Moyen,
            Niveau::Moyen if t.chance(0.4) => Niveau::SansImpact,
            Niveau::NonAborde => Niveau::SansImpact,
            n => n,
        });
        if !c.niveau().est_un_frein() {
            c.situations.clear();
        }
    }
    if r.projet == Some(Projet::APreciser) && t.chance(0.5) {
        r.projet = Some(Projet::Defini);
    }
    r
}

/// Diagnostics and orientation decisions of one parcours between `entree` and `fin`.
pub fn generer(
    tx: &Transaction,
    t: &mut Tirage,
    parcours_id: i64,
    agent: (i64, &str),
    entree: NaiveDate,
    fin: NaiveDate,
    compte: &mut Compte,
) -> Result<()> {
    if t.chance(0.1) {
        return Ok(()); // never diagnosed
    }
    let delai = if t.chance(0.75) {
        3 + t.jours(27)
    } else {
        31 + t.jours(90)
    };
    let mut jour = entree + Days::new(delai);
    let mut r = reponses(t);
    for rang in 0..3 {
        if jour > fin || (rang > 0 && !t.chance(0.45)) {
            break;
        }
        let s = suggerer(&r);
        let diagnostic = db::diagnostic::inserer(tx, parcours_id, jour, agent.0, &r, &s)?;
        compte.diagnostics += 1;
        let decision = jour + Days::new(t.jours(20));
        if decision <= fin && t.chance(0.85) {
            let (orientation, motif) = if t.chance(0.88) {
                (s.orientation, None)
            } else {
                let autre = *t.un(&crate::domain::diagnostic::Orientation::TOUS
                    .iter()
                    .filter(|o| **o != s.orientation)
                    .collect::<Vec<_>>());
                (*autre, Some("choix de la personne après échange".to_string()))
            };
            let d = Decision::new(decision, orientation, motif, agent.1.to_owned(), Some(s.orientation));
            db::diagnostic::orienter(tx, parcours_id, &d, agent.0, Some(diagnostic))?;
            compte.orientations += 1;
        }
        jour = jour + Days::new(120 + t.jours(150));
        r = suivant(t, &r);
    }
    Ok(())
}
