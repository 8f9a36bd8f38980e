//! `diagnostic comparer`: what changed between the last two diagnostics of a dossier.

use anyhow::Result;
use chrono::NaiveDate;
use serde::Serialize;

use crate::domain::diagnostic::{Diagnostic, Evolution, Orientation, evolution};
use crate::domain::grille::{Dimension, GRILLE, Niveau};
use crate::error::erreur;
use crate::ops::Session;

#[derive(Serialize)]
pub struct Repere {
    pub id: i64,
    pub date: NaiveDate,
}

#[derive(Serialize)]
pub struct Changement {
    pub dimension: Dimension,
    pub avant: Niveau,
    pub apres: Niveau,
    pub evolution: Evolution,
}

#[derive(Serialize)]
pub struct Avant<T> {
    pub avant: T,
    pub apres: T,
}

#[derive(Serialize)]
pub struct Comparaison {
    pub avant: Repere,
    pub apres: Repere,
    pub contraintes: Vec<Changement>,
    pub activite_24_mois: Avant<Option<bool>>,
    pub projet: Avant<Option<String>>,
    pub niveau_formation: Avant<Option<String>>,
    pub orientation_suggeree: Avant<Orientation>,
}

impl Comparaison {
    /// How many barriers took the evolution `e`.
    pub fn compte(&self, e: Evolution) -> usize {
        self.contraintes.iter().filter(|c| c.evolution == e).count()
    }
}

/// The last two diagnostics of `dossier` compared; `motif`: a break-glass reason.
pub fn comparer(session: &mut Session, dossier: i64, motif: Option<&str>) -> Result<Comparaison> {
    let mut tous = super::diagnostics(session, dossier, motif)?;
    // One entered by mistake is no point of comparison.
    tous.retain(|d| d.saisi_par_erreur.is_none());
    let [.., x, y] = tous.as_slice() else {
        return Err(erreur(format!(
            "le dossier {dossier} a {} diagnostic(s) : il en faut deux pour comparer",
            tous.len()
        ))
        .aide(format!(
            "le suivant s'enregistre avec `spie diagnostic nouveau {dossier}` ; `spie diagnostic voir {dossier}` montre le dernier"
        ))
        .into());
    };
    Ok(entre(x, y))
}

fn entre(x: &Diagnostic, y: &Diagnostic) -> Comparaison {
    let (rx, ry) = (&x.reponses, &y.reponses);
    Comparaison {
        avant: Repere { id: x.id, date: x.date },
        apres: Repere { id: y.id, date: y.date },
        contraintes: GRILLE
            .iter()
            .map(|def| {
                let (avant, apres) = (rx.niveau(def.dimension), ry.niveau(def.dimension));
                Changement {
                    dimension: def.dimension,
                    avant,
                    apres,
                    evolution: evolution(avant, apres),
                }
            })
            .collect(),
        activite_24_mois: Avant {
            avant: rx.activite_24_mois,
            apres: ry.activite_24_mois,
        },
        projet: Avant {
            avant: rx.projet.map(|p| p.code().into()),
            apres: ry.projet.map(|p| p.code().into()),
        },
        niveau_formation: Avant {
            avant: rx.niveau_formation.map(|n| n.code().into()),
            apres: ry.niveau_formation.map(|n| n.code().into()),
        },
        orientation_suggeree: Avant {
            avant: x.suggestion.orientation,
            apres: y.suggestion.orientation,
        },
    }
}
