//! `parcours note`: an entry of the journal of the dossier's parcours.

use anyhow::Result;
use chrono::NaiveDate;

use crate::db;
pub use crate::db::suivi::Corrige;
use crate::domain::habilitation::Action;
use crate::domain::parcours::date_evenement;
use crate::domain::suivi::TypeNote;
use crate::domain::texte::champ_libre;
use crate::error::{UserError, erreur};
use crate::ops::Session;
use crate::ops::session::Element;

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
    /// The parcours was closed on this day: the note follows a person after their exit.
    pub parcours_clos_le: Option<NaiveDate>,
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
        Ok(NoteAjoutee {
            id,
            jour,
            parcours_clos_le: parcours.sortie,
        })
    })
}

/// A correction of the record: a note's text or an action's label replaced, or a note
/// withdrawn (`texte` is `None`, a reason is required). The previous text is kept.
pub struct Correction {
    pub cible: Corrige,
    pub texte: Option<String>,
    pub motif: Option<String>,
    /// A note withdrawn because it was about someone else: its text is not kept.
    pub effacer: bool,
}

pub struct Corrigee {
    pub dossier: i64,
    pub jour: NaiveDate,
}

pub fn corriger(session: &mut Session, c: Correction) -> Result<Corrigee> {
    let (element, nom, limite) = match c.cible {
        Corrige::Note(id) => (Element::Note(id), "note", 10_000),
        Corrige::Action(id) => (Element::Action(id), "libellé", 300),
    };
    let texte = c
        .texte
        .map(|t| champ_libre(nom, &t.replace("\r\n", "\n").replace('\n', " "), limite).map_err(erreur))
        .transpose()?;
    if texte.as_deref() == Some("") {
        return Err(UserError::usage(format!("le nouveau texte ({nom}) est vide"))
            .aide("pour retirer une note, `spie parcours note retirer ID --motif \"…\"`")
            .into());
    }
    let motif = c
        .motif
        .map(|m| champ_libre("--motif", &m, 300).map_err(erreur))
        .transpose()?;
    if texte.is_none() && motif.as_deref().is_none_or(str::is_empty) {
        return Err(UserError::usage("--motif : écrivez pourquoi la note est retirée").into());
    }
    let dossier = session.dossier_de(element)?;
    session.dossier(dossier, Action::Ecrire, None, |d| {
        let actuel = match c.cible {
            Corrige::Note(id) => {
                let (_, actuel, retiree) = db::suivi::note(d.tx, id)?.ok_or_else(|| Element::Note(id).inconnu())?;
                if retiree {
                    return Err(erreur(format!("la note {id} est déjà retirée")).into());
                }
                actuel
            }
            Corrige::Action(id) => {
                db::suivi::action(d.tx, id)?
                    .ok_or_else(|| Element::Action(id).inconnu())?
                    .libelle
            }
        };
        if texte.as_deref() == Some(actuel.as_str()) {
            return Err(erreur(format!(
                "{nom} inchangé : le nouveau texte est celui qui est enregistré"
            ))
            .into());
        }
        db::suivi::corriger(
            d.tx,
            c.cible,
            texte.as_deref(),
            motif.as_deref(),
            c.effacer,
            d.aujourdhui,
            d.agent.id,
        )?;
        Ok(Corrigee {
            dossier,
            jour: d.aujourdhui,
        })
    })
}
