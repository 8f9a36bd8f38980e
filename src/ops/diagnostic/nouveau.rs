//! `diagnostic nouveau`: a new dated diagnostic of the dossier's open parcours, with the
//! orientation it suggests.

use anyhow::Result;
use chrono::NaiveDate;

use crate::db;
use crate::domain::diagnostic::{Diagnostic, Reponses, suggerer};
use crate::domain::habilitation::Action;
use crate::error::UserError;
use crate::ops::Session;
use crate::ops::parcours::{date_dans, parcours_ouvert};

pub struct Nouveau {
    pub dossier: i64,
    /// Checked answers ([`crate::domain::diagnostic::valider`]).
    pub reponses: Reponses,
    /// The day of the diagnostic; today if `None`.
    pub date: Option<NaiveDate>,
}

const QUOI: &str = "le diagnostic";

/// What is checked before the agent answers the grid's questions, so that nobody fills
/// it for nothing: the agent may write in the dossier, which has an open parcours, and
/// the date fits it.
pub fn preparer(session: &mut Session, dossier: i64, date: Option<NaiveDate>) -> Result<()> {
    let aujourdhui = session.aujourdhui;
    session.avant(dossier, Action::Ecrire, |tx| {
        date_dans(QUOI, date, aujourdhui, &parcours_ouvert(tx, dossier)?).map(|_| ())
    })
}

/// Saves the diagnostic; an empty one is refused.
pub fn enregistrer(session: &mut Session, n: Nouveau) -> Result<Diagnostic> {
    if n.reponses.est_vide() {
        return Err(
            UserError::usage("aucune réponse : un diagnostic vide n'est pas enregistré")
                .aide(
                    "répondez avec les options (--contrainte mobilite=fort, --projet…), un document \
                 (--reponses FICHIER, ou - pour l'entrée standard) ou, sur un terminal, les questions \
                 de la grille (sans --non-interactif)",
                )
                .into(),
        );
    }
    let suggestion = suggerer(&n.reponses);
    session.dossier(n.dossier, Action::Ecrire, None, |d| {
        let parcours = parcours_ouvert(d.tx, n.dossier)?;
        let jour = date_dans(QUOI, n.date, d.aujourdhui, &parcours)?;
        let id = db::diagnostic::inserer(d.tx, parcours.id, jour, d.agent.id, &n.reponses, &suggestion)?;
        Ok(Diagnostic {
            id,
            parcours_id: parcours.id,
            date: jour,
            agent: d.agent.identifiant.clone(),
            agent_nom: d.agent.nom.clone(),
            complet: n.reponses.complet(),
            reponses: n.reponses,
            suggestion,
            saisi_par_erreur: None,
        })
    })
}
