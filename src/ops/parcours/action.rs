//! `parcours action ajouter|statut`: the actions of the plan, each status dated.

use anyhow::Result;
use chrono::NaiveDate;

use super::commun::{date_dans, parcours_ouvert, parcours_ouvert_de};
use crate::db;
use crate::db::suivi::NouvelleAction;
use crate::domain::date::fr;
use crate::domain::habilitation::Action;
use crate::domain::parcours::date_evenement;
use crate::domain::prescription::StatutPrescription;
use crate::domain::suivi::{StatutAction, thematique};
use crate::domain::texte::champ_libre;
use crate::error::{UserError, erreur};
use crate::ops::{Element, Session};

pub struct ActionPrevue {
    pub dossier: i64,
    pub libelle: String,
    /// The objective it serves, of the open parcours.
    pub objectif: Option<i64>,
    /// A data·inclusion thematique; by default the offer's that answers the objective or
    /// the person's needs, or else the objective's.
    pub thematique: Option<String>,
    /// An offer of the catalogue.
    pub offre: Option<i64>,
    /// The structure that carries it (name or number); by default the offer's.
    pub structure: Option<String>,
    pub echeance: Option<NaiveDate>,
    /// Today if `None`.
    pub date: Option<NaiveDate>,
}

pub struct ActionAjoutee {
    pub id: i64,
    pub jour: NaiveDate,
}

pub fn ajouter_action(session: &mut Session, a: ActionPrevue) -> Result<ActionAjoutee> {
    let libelle = champ_libre("libellé", &a.libelle, 500).map_err(erreur)?;
    if libelle.is_empty() {
        return Err(UserError::usage("--libelle : dites ce qui est à faire").into());
    }
    let theme = a.thematique.as_deref().map(thematique).transpose().map_err(erreur)?;
    session.dossier(a.dossier, Action::Ecrire, None, |d| {
        let parcours = parcours_ouvert(d.tx, a.dossier)?;
        let objectif = match a.objectif {
            Some(id) => Some(
                db::suivi::objectif(d.tx, id)?
                    .filter(|o| o.parcours_id == parcours.id)
                    .ok_or_else(|| {
                        erreur(format!(
                            "l'objectif {id} n'est pas un objectif du parcours en cours du dossier {}",
                            a.dossier
                        ))
                        .aide(format!("`spie parcours voir {}` montre le plan", a.dossier))
                    })?,
            ),
            None => None,
        };
        let offre = a.offre.map(|id| crate::ops::offre::active(d.tx, id)).transpose()?;
        let theme = match (theme, &offre) {
            (Some(t), _) => Some(t),
            (None, Some(o)) => crate::ops::offre::thematique_de_l_offre(d.tx, a.dossier, o, objectif.as_ref())?,
            (None, None) => objectif.as_ref().map(|o| o.thematique.clone()),
        };
        let structure = match (&a.structure, &offre) {
            (Some(s), _) => Some(crate::ops::structure::structure(d.tx, s)?.id),
            (None, Some(o)) => db::offre::structure(d.tx, o)?,
            (None, None) => None,
        };
        let jour = date_dans("l'action", a.date, d.aujourdhui, &parcours)?;
        if let Some(echeance) = a.echeance.filter(|e| *e < jour) {
            return Err(erreur(format!(
                "l'échéance ({}) précède la création de l'action ({})",
                fr(echeance),
                fr(jour)
            ))
            .aide(format!(
                "donnez une --echeance à partir du {} (ou, pour une action créée plus tôt, sa --date)",
                fr(jour)
            ))
            .into());
        }
        let nouvelle = NouvelleAction {
            parcours_id: parcours.id,
            objectif_id: objectif.as_ref().map(|o| o.id),
            libelle: &libelle,
            thematique: theme.as_deref(),
            structure_id: structure,
            echeance: a.echeance,
            offre_id: offre.as_ref().map(|o| o.id),
        };
        let id = db::suivi::ajouter_action(d.tx, &nouvelle, jour, d.agent.id)?;
        Ok(ActionAjoutee { id, jour })
    })
}

pub struct StatutChange {
    pub dossier: i64,
    pub jour: NaiveDate,
}

/// The action `id` takes the status `statut` on `date` (today if `None`).
pub fn statut_action(
    session: &mut Session,
    id: i64,
    statut: StatutAction,
    date: Option<NaiveDate>,
) -> Result<StatutChange> {
    let dossier = session.dossier_de(Element::Action(id))?;
    session.dossier(dossier, Action::Ecrire, None, |d| {
        let action = db::suivi::action(d.tx, id)?.ok_or_else(|| Element::Action(id).inconnu())?;
        parcours_ouvert_de(d.tx, dossier, action.parcours_id, &format!("l'action {id}"))?;
        if action.statut == statut {
            return Err(erreur(format!("l'action {id} est déjà « {} »", statut.mot())).into());
        }
        // Once sent to the partner, a prescription's action follows its answers only.
        if let Some((prescription, _)) = db::contrat::statut_prescription(d.tx, id)?
            && prescription != StatutPrescription::Proposee
        {
            return Err(erreur(format!(
                "l'action {id} est une prescription « {} » : son statut suit les réponses du partenaire",
                prescription.mot()
            ))
            .aide(format!(
                "notez la réponse : spie offre prescription {id} acceptee|refusee|realisee|abandonnee"
            ))
            .into());
        }
        let depuis = action.historique.last().map_or(action.cree_le, |c| c.date);
        let jour = date_evenement(
            "le changement",
            date.unwrap_or(d.aujourdhui),
            d.aujourdhui,
            Some((depuis, "son statut actuel")),
        )
        .map_err(erreur)?;
        db::suivi::changer_statut_action(d.tx, id, statut, jour, d.agent.id)?;
        Ok(StatutChange { dossier, jour })
    })
}
