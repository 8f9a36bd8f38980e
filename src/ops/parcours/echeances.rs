//! The to-dos that come from dates set in the parcours: prescriptions sent without answer
//! for 15 days or more (the real delay told), contracts ending within 30 days (or ended without a new one).

use anyhow::Result;
use chrono::NaiveDate;
use rusqlite::Connection;

use super::a_faire::Tache;
use crate::db;
use crate::db::a_faire::Categorie;
use crate::db::habilitation::Lecteur;
use crate::domain::date::fr;

pub fn taches(conn: &Connection, aujourdhui: NaiveDate, lecteur: Lecteur, tous: bool) -> Result<Vec<Tache>> {
    let mut taches = Vec::new();
    for e in db::contrat::sans_reponse(conn, aujourdhui, lecteur, tous)? {
        let p = e.objet;
        taches.push(Tache {
            categorie: Categorie::PrescriptionSansReponse,
            dossier: e.dossier,
            personne: e.personne,
            date: p.envoyee_le,
            detail: format!(
                "prescription {} « {} » sans réponse depuis {} jours (envoyée le {})",
                p.action,
                p.libelle,
                (aujourdhui - p.envoyee_le).num_days(),
                fr(p.envoyee_le)
            ),
            referent: None,
            referent_nom: None,
        });
    }
    for e in db::contrat::a_echeance(conn, aujourdhui, lecteur, tous)? {
        let c = e.objet;
        let quand = if c.fin < aujourdhui { "a pris fin" } else { "prend fin" };
        taches.push(Tache {
            categorie: Categorie::ContratAEcheance,
            dossier: e.dossier,
            personne: e.personne,
            date: c.fin,
            detail: format!("contrat {} {quand} le {}", c.type_.code().to_uppercase(), fr(c.fin)),
            referent: None,
            referent_nom: None,
        });
    }
    Ok(taches)
}
