//! `offre prescrire`: the offer becomes an action of the parcours (status proposee),
//! linked to the offer and, when spie knows it, to its structure.

use anyhow::Result;
use chrono::NaiveDate;
use rusqlite::Connection;

use crate::db;
use crate::db::offre::OffreStockee;
use crate::db::suivi::NouvelleAction;
use crate::domain::habilitation;
use crate::domain::proposition::{repond, thematique_pour};
use crate::domain::suivi::{Action, Objectif};
use crate::error::erreur;
use crate::ops::Session;
use crate::ops::parcours::{date_dans, parcours_ouvert};

pub struct Prescription {
    pub dossier: i64,
    pub offre: i64,
    /// The objective the action serves.
    pub objectif: Option<i64>,
    /// The day of the prescription; today if `None`.
    pub date: Option<NaiveDate>,
}

pub struct Prescrite {
    /// The action created.
    pub id: i64,
    /// An open action of the parcours already using this offer: both are kept.
    pub deja: Option<Action>,
    /// The offer answers none of the needs of the dossier (nor the objective named): its
    /// name, so that a number typed wrong (a rank of `offre proposer`) shows.
    pub sans_rapport: Option<String>,
}

pub fn prescrire(session: &mut Session, p: Prescription) -> Result<Prescrite> {
    session.dossier(p.dossier, habilitation::Action::Ecrire, None, |d| {
        let parcours = parcours_ouvert(d.tx, p.dossier)?;
        let offre = super::active(d.tx, p.offre)?;
        let objectif = match p.objectif {
            Some(id) => Some(
                db::suivi::objectif(d.tx, id)?
                    .filter(|o| o.parcours_id == parcours.id)
                    .ok_or_else(|| {
                        erreur(format!("l'objectif {id} n'est pas un objectif du parcours en cours")).aide(format!(
                            "les objectifs du parcours et leurs numéros sont dans la section « Plan » de `spie parcours \
                             voir {}`",
                            p.dossier
                        ))
                    })?,
            ),
            None => None,
        };
        let jour = date_dans("la prescription", p.date, d.aujourdhui, &parcours)?;
        let besoins = besoins(d.tx, p.dossier, objectif.as_ref())?;
        let thematique = thematique_pour(&offre.offre.thematiques, &besoins).cloned();
        let repond = besoins
            .iter()
            .any(|b| offre.offre.thematiques.iter().any(|t| repond(b, t)));
        let sans_rapport = (!besoins.is_empty() && !repond).then(|| offre.offre.nom.clone());
        let deja = db::suivi::actions(d.tx, parcours.id)?
            .into_iter()
            .find(|ac| ac.offre == Some(offre.id) && ac.statut.est_ouverte());
        let nouvelle = NouvelleAction {
            parcours_id: parcours.id,
            objectif_id: objectif.as_ref().map(|o| o.id),
            libelle: &offre.offre.nom,
            thematique: thematique.as_deref(),
            structure_id: db::offre::structure(d.tx, &offre)?,
            echeance: None,
            offre_id: Some(offre.id),
        };
        let id = db::suivi::ajouter_action(d.tx, &nouvelle, jour, d.agent.id)?;
        Ok(Prescrite { id, deja, sans_rapport })
    })
}

/// The thematique an action using `offre` carries: the offer's one that answers the
/// objective it serves, or else the person's first need it answers, or else its first.
pub fn thematique_de_l_offre(
    conn: &Connection,
    dossier: i64,
    offre: &OffreStockee,
    objectif: Option<&Objectif>,
) -> Result<Option<String>> {
    let besoins = besoins(conn, dossier, objectif)?;
    Ok(thematique_pour(&offre.offre.thematiques, &besoins).cloned())
}

/// What an offer is prescribed for: the objective's thematique, or the person's needs.
fn besoins(conn: &Connection, dossier: i64, objectif: Option<&Objectif>) -> Result<Vec<String>> {
    Ok(match objectif {
        Some(o) => vec![o.thematique.clone()],
        None => super::proposer::besoins(conn, dossier)?
            .into_iter()
            .map(|b| b.code)
            .collect(),
    })
}
