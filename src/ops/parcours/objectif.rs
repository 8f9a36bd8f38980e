//! `parcours objectif ajouter|statut`: the objectives of the plan, by thematique.

use anyhow::Result;
use chrono::NaiveDate;

use super::commun::{date_dans, parcours_ouvert, parcours_ouvert_de};
use crate::db;
use crate::domain::habilitation::Action;
use crate::domain::parcours::date_evenement;
use crate::domain::suivi::{StatutObjectif, thematique};
use crate::domain::texte::champ_libre;
use crate::error::erreur;
use crate::ops::{Element, Session};

pub struct NouvelObjectif {
    pub dossier: i64,
    /// A data·inclusion thematique or its category.
    pub thematique: String,
    pub libelle: Option<String>,
    /// Today if `None`.
    pub date: Option<NaiveDate>,
}

pub struct ObjectifAjoute {
    pub id: i64,
    pub thematique: String,
    pub jour: NaiveDate,
}

pub fn ajouter_objectif(session: &mut Session, o: NouvelObjectif) -> Result<ObjectifAjoute> {
    let theme = thematique(&o.thematique).map_err(erreur)?;
    let libelle = o
        .libelle
        .as_deref()
        .map(|l| champ_libre("libellé", l, 500))
        .transpose()
        .map_err(erreur)?;
    session.dossier(o.dossier, Action::Ecrire, None, |d| {
        let parcours = parcours_ouvert(d.tx, o.dossier)?;
        let jour = date_dans("l'objectif", o.date, d.aujourdhui, &parcours)?;
        let libelle = libelle.as_deref().filter(|l| !l.is_empty());
        let id = db::suivi::ajouter_objectif(d.tx, parcours.id, &theme, libelle, jour, d.agent.id)?;
        Ok(ObjectifAjoute {
            id,
            thematique: theme,
            jour,
        })
    })
}

/// The objective `id` takes the status `statut` on `date` (today if `None`); returns the
/// day.
pub fn statut_objectif(
    session: &mut Session,
    id: i64,
    statut: StatutObjectif,
    date: Option<NaiveDate>,
) -> Result<NaiveDate> {
    let dossier = session.dossier_de(Element::Objectif(id))?;
    session.dossier(dossier, Action::Ecrire, None, |d| {
        let objectif = db::suivi::objectif(d.tx, id)?.ok_or_else(|| Element::Objectif(id).inconnu())?;
        parcours_ouvert_de(d.tx, dossier, objectif.parcours_id, &format!("l'objectif {id}"))?;
        if objectif.statut == statut {
            return Err(erreur(format!("l'objectif {id} est déjà « {} »", statut.code())).into());
        }
        let jour = date_evenement(
            "le changement",
            date.unwrap_or(d.aujourdhui),
            d.aujourdhui,
            Some((objectif.statut_le, "son statut actuel")),
        )
        .map_err(erreur)?;
        db::suivi::statut_objectif(d.tx, id, statut, jour)?;
        Ok(jour)
    })
}
