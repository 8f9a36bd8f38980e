//! `parcours note`: an entry of the journal of the dossier's parcours.

use anyhow::Result;
use chrono::NaiveDate;

use crate::db;
use crate::domain::habilitation::Action;
use crate::domain::parcours::date_evenement;
use crate::domain::suivi::TypeNote;
use crate::domain::texte::champ_libre;
use crate::error::{UserError, erreur};
use crate::ops::Session;

pub struct Note {
    pub dossier: i64,
    pub texte: String,
    pub type_: TypeNote,
    /// The day of the note; today if `None`.
    pub date: Option<NaiveDate>,
    /// Never sent to a partner structure.
    pub prive: bool,
}

pub struct NoteAjoutee {
    pub id: i64,
    pub jour: NaiveDate,
}

pub fn noter(session: &mut Session, n: Note) -> Result<NoteAjoutee> {
    let texte = champ_libre("note", &n.texte.replace("\r\n", "\n").replace('\n', " "), 10_000).map_err(erreur)?;
    if texte.is_empty() {
        return Err(UserError::usage("la note est vide").into());
    }
    session.dossier(n.dossier, Action::Ecrire, None, |d| {
        let parcours = db::parcours::du_dossier(d.tx, n.dossier)?
            .pop()
            .ok_or_else(|| erreur("dossier sans parcours"))?;
        let borne = Some((parcours.entree, "l'entrée dans le parcours"));
        let jour = date_evenement("la note", n.date.unwrap_or(d.aujourdhui), d.aujourdhui, borne).map_err(erreur)?;
        let id = db::suivi::noter(d.tx, parcours.id, jour, n.type_, &texte, d.agent.id)?;
        if n.prive {
            db::echange::note_privee(d.tx, id)?;
        }
        Ok(NoteAjoutee { id, jour })
    })
}
