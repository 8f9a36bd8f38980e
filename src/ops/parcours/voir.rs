//! `parcours voir`: everything about one dossier. An `accueil` agent gets the identity,
//! the parcours and the team only: never a diagnostic, the plan or the journal.

use anyhow::Result;
use serde::Serialize;

use crate::db;
use crate::db::contrat::{Contrat, EtapePrescription};
use crate::domain::agent::Role;
use crate::domain::date;
use crate::domain::diagnostic::{Decision, Diagnostic, Suggestion};
use crate::domain::grille::{Dimension, Niveau};
use crate::domain::habilitation;
use crate::domain::parcours::Parcours;
use crate::domain::personne::Personne;
use crate::domain::prescription::StatutPrescription;
use crate::domain::rdv::Rdv;
use crate::domain::suivi::{
    Action, Consentement, Correction, Membre, Note, Objectif, ObjetEcheance, prochaine_echeance,
};
use crate::ops::Session;
use crate::referentiel::communes;

/// Where the person lives, beside the INSEE code stored in `commune`.
#[derive(Serialize)]
pub struct Residence {
    pub commune_nom: Option<&'static str>,
    pub departement: Option<&'static str>,
    pub code_epci: Option<&'static str>,
    pub nom_epci: Option<&'static str>,
}

#[derive(Serialize)]
pub struct Frein {
    pub dimension: Dimension,
    pub niveau: Niveau,
}

/// The last diagnostic in brief.
#[derive(Serialize)]
pub struct ResumeDiagnostic {
    pub id: i64,
    pub date: chrono::NaiveDate,
    pub complet: bool,
    pub freins: Vec<Frein>,
    pub suggestion: Suggestion,
}

impl From<Diagnostic> for ResumeDiagnostic {
    fn from(d: Diagnostic) -> Self {
        let freins = d
            .reponses
            .freins()
            .into_iter()
            .map(|(dimension, niveau)| Frein { dimension, niveau })
            .collect();
        ResumeDiagnostic {
            id: d.id,
            date: d.date,
            complet: d.complet,
            freins,
            suggestion: d.suggestion,
        }
    }
}

#[derive(Serialize)]
pub struct Vue {
    /// The identity only (the `accueil` role): no diagnostic, orientation, plan nor journal
    /// was read, whether there is one or not.
    pub identite_seulement: bool,
    #[serde(flatten)]
    pub personne: Personne,
    pub age: i32,
    #[serde(flatten)]
    pub residence: Residence,
    pub statut: &'static str,
    pub parcours: Vec<Parcours>,
    pub diagnostic: Option<ResumeDiagnostic>,
    /// The current orientation decision of the latest parcours.
    pub orientation: Option<Decision>,
    /// The consent in force (the last one recorded), and the date of the last contact.
    pub consentement: Option<Consentement>,
    pub dernier_contact: Option<chrono::NaiveDate>,
    /// The team of the latest parcours, past members included.
    pub equipe: Vec<Membre>,
    /// The plan of the latest parcours: objectives with their actions, then the actions
    /// without objective.
    pub objectifs: Vec<ObjectifVue>,
    pub actions_sans_objectif: Vec<ActionVue>,
    /// Newest first.
    pub journal: Vec<Note>,
    /// The previous texts of corrected or withdrawn notes and action labels, oldest first.
    pub corrections: Vec<Correction>,
    /// The appointments of the dossier, in time order (the `accueil` role sees them).
    pub rdv: Vec<Rdv>,
    /// The contracts of the dossier (CER, PPAE, CEJ, PACEA), oldest first.
    pub contrats: Vec<Contrat>,
    /// Of an open parcours: the soonest of its open actions' due dates and its last
    /// contract's end, and what it is.
    pub prochaine_echeance: Option<chrono::NaiveDate>,
    pub echeance_objet: Option<ObjetEcheance>,
}

/// A prescription's answer: its status as seen today and every recorded step.
#[derive(Serialize)]
pub struct PrescriptionVue {
    pub statut: StatutPrescription,
    pub etapes: Vec<EtapePrescription>,
}

#[derive(Serialize)]
pub struct ActionVue {
    #[serde(flatten)]
    pub action: Action,
    pub en_retard: bool,
    /// For an action that uses an offer: the partner's answer.
    pub prescription: Option<PrescriptionVue>,
}

#[derive(Serialize)]
pub struct ObjectifVue {
    #[serde(flatten)]
    pub objectif: Objectif,
    pub actions: Vec<ActionVue>,
}

/// The dossier `dossier`; `motif`: a break-glass reason (see
/// [`crate::domain::habilitation`]).
pub fn voir(session: &mut Session, dossier: i64, motif: Option<&str>) -> Result<Vue> {
    let action = if session.agent.role == Role::Accueil {
        habilitation::Action::Identite
    } else {
        habilitation::Action::Lire
    };
    session.dossier(dossier, action, motif, |d| {
        let personne = crate::ops::dossier::personne(d.tx, dossier)?;
        let parcours = db::parcours::du_dossier(d.tx, dossier)?;
        let diagnostic = db::diagnostic::dernier(d.tx, dossier)?.map(ResumeDiagnostic::from);
        let journal = db::suivi::journal(d.tx, dossier, d.agent.structure_id)?;
        let mut corrections = db::suivi::corrections(d.tx, dossier, d.agent.structure_id)?;
        corrections.extend(db::rdv::corrections(d.tx, dossier, d.agent.structure_id)?);
        corrections.extend(db::contrat::corrections(d.tx, dossier, d.agent.structure_id)?);
        corrections.sort_by_key(|c| c.date);
        let consentement = db::suivi::consentements(d.tx, dossier)?.pop();
        let (mut orientation, mut equipe, mut objectifs, mut actions) = (None, Vec::new(), Vec::new(), Vec::new());
        if let Some(p) = parcours.last() {
            orientation = db::diagnostic::decisions(d.tx, p.id, d.agent.structure_id)?.pop();
            equipe = db::suivi::membres(d.tx, p.id)?;
            objectifs = db::suivi::objectifs(d.tx, p.id)?;
            actions = db::suivi::actions(d.tx, p.id)?;
        }
        let aujourdhui = d.aujourdhui;
        let rdv = db::rdv::du_dossier(d.tx, dossier, d.agent.structure_id)?;
        let contrats = db::contrat::du_dossier(d.tx, dossier)?;
        // Nothing is late in a closed parcours.
        let ouvert = parcours.last().is_some_and(|p| p.sortie.is_none());
        let mut prescriptions = std::collections::BTreeMap::new();
        for ac in actions.iter().filter(|ac| ac.offre.is_some()) {
            let etapes = db::contrat::historique_prescription(d.tx, ac.id)?;
            let statut = etapes
                .last()
                .map_or(StatutPrescription::Proposee, |e| e.statut.au(e.date, aujourdhui));
            prescriptions.insert(ac.id, PrescriptionVue { statut, etapes });
        }
        let mut vue_action = |action: Action| ActionVue {
            en_retard: ouvert && action.statut.est_ouverte() && action.echeance.is_some_and(|e| e < aujourdhui),
            prescription: prescriptions.remove(&action.id),
            action,
        };
        let echeance = match parcours.last().filter(|p| p.sortie.is_none()) {
            Some(p) => prochaine_echeance(
                actions
                    .iter()
                    .filter(|ac| ac.statut.est_ouverte())
                    .filter_map(|ac| ac.echeance.map(|e| (e, ac.id)))
                    .min(),
                contrats
                    .iter()
                    .filter(|c| c.debut >= p.entree)
                    .max_by_key(|c| (c.fin, c.id))
                    .map(|c| (c.fin, c.type_)),
            ),
            None => None,
        };
        let (avec, sans): (Vec<Action>, Vec<Action>) = actions.into_iter().partition(|ac| ac.objectif.is_some());
        let mut avec: Vec<ActionVue> = avec.into_iter().map(&mut vue_action).collect();
        let objectifs = objectifs
            .into_iter()
            .map(|objectif| {
                let (siennes, autres): (Vec<ActionVue>, Vec<ActionVue>) =
                    avec.drain(..).partition(|ac| ac.action.objectif == Some(objectif.id));
                avec = autres;
                ObjectifVue {
                    objectif,
                    actions: siennes,
                }
            })
            .collect();
        let c = communes::par_code(&personne.identite.commune);
        let vue = Vue {
            identite_seulement: false,
            age: date::age(personne.identite.naissance, d.aujourdhui),
            residence: Residence {
                commune_nom: c.map(|c| c.nom),
                departement: c.map(|c| c.departement),
                code_epci: c.map(|c| c.code_epci),
                nom_epci: c.map(|c| c.nom_epci),
            },
            statut: if parcours.iter().any(Parcours::est_ouvert) {
                "ouvert"
            } else {
                "clos"
            },
            dernier_contact: db::suivi::dernier_contact_du_dossier(d.tx, dossier)?,
            personne,
            parcours,
            diagnostic,
            orientation,
            consentement,
            equipe,
            objectifs,
            actions_sans_objectif: sans.into_iter().map(vue_action).collect(),
            journal,
            corrections,
            rdv,
            contrats,
            prochaine_echeance: echeance.map(|(d, _)| d),
            echeance_objet: echeance.map(|(_, o)| o),
        };
        Ok(restreindre(vue, action))
    })
}

/// What the action lets the agent see: the identity only leaves out diagnostics, plan and
/// journal.
fn restreindre(mut vue: Vue, action: habilitation::Action) -> Vue {
    if action == habilitation::Action::Identite {
        vue.identite_seulement = true;
        vue.diagnostic = None;
        vue.orientation = None;
        vue.objectifs.clear();
        vue.actions_sans_objectif.clear();
        vue.journal.clear();
        vue.corrections.clear();
        vue.contrats.clear();
        vue.prochaine_echeance = None;
        vue.echeance_objet = None;
    }
    vue
}
