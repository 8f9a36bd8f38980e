//! `spie parcours voir N`: everything about one dossier on one screen — identity, the
//! parcours and its team, consent, diagnostic, orientation, plan and journal. This file
//! gathers; `fiche.rs` lays it out for a terminal.

mod fiche;

use anyhow::Result;
use clap::Args;
use serde::Serialize;

use crate::cli::{Ctx, numero};
use crate::db;
use crate::db::diagnostic::{Decision, Diagnostic};
use crate::db::parcours::Parcours;
use crate::db::personne::Personne;
use crate::db::suivi::{Action, Consentement, Membre, Note, Objectif};
use crate::domain::date;
use crate::domain::diagnostic::Suggestion;
use crate::domain::grille::{Dimension, Niveau};
use crate::error::Issue;
use crate::referentiel::communes;

#[derive(Debug, Args)]
pub struct Arguments {
    /// Numéro de dossier
    #[arg(value_parser = numero)]
    dossier: i64,
}

/// Where the person lives, beside the INSEE code stored in `commune`.
#[derive(Serialize)]
struct Residence {
    commune_nom: Option<&'static str>,
    departement: Option<&'static str>,
    code_epci: Option<&'static str>,
    nom_epci: Option<&'static str>,
}

#[derive(Serialize)]
struct Frein {
    dimension: Dimension,
    niveau: Niveau,
}

/// The last diagnostic in brief.
#[derive(Serialize)]
struct ResumeDiagnostic {
    id: i64,
    date: chrono::NaiveDate,
    complet: bool,
    freins: Vec<Frein>,
    suggestion: Suggestion,
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
struct Vue {
    #[serde(flatten)]
    personne: Personne,
    age: i32,
    #[serde(flatten)]
    residence: Residence,
    statut: &'static str,
    parcours: Vec<Parcours>,
    diagnostic: Option<ResumeDiagnostic>,
    /// The current orientation decision of the latest parcours.
    orientation: Option<Decision>,
    /// The consent in force (the last one recorded), and the date of the last contact.
    consentement: Option<Consentement>,
    dernier_contact: Option<chrono::NaiveDate>,
    /// The team of the latest parcours, past members included.
    equipe: Vec<Membre>,
    /// The plan of the latest parcours: objectives with their actions, then the actions
    /// without objective.
    objectifs: Vec<ObjectifVue>,
    actions_sans_objectif: Vec<ActionVue>,
    /// Newest first.
    journal: Vec<Note>,
}

#[derive(Serialize)]
struct ActionVue {
    #[serde(flatten)]
    action: Action,
    en_retard: bool,
}

#[derive(Serialize)]
struct ObjectifVue {
    #[serde(flatten)]
    objectif: Objectif,
    actions: Vec<ActionVue>,
}

pub fn executer(ctx: &Ctx, a: Arguments) -> Result<Issue> {
    let mut conn = ctx.ouvrir()?;
    let tx = db::consultation(&mut conn)?;
    ctx.agent(&tx)?;
    let personne = db::personne::personne(&tx, a.dossier)?;
    let parcours = db::parcours::du_dossier(&tx, a.dossier)?;
    let diagnostic = db::diagnostic::dernier(&tx, a.dossier)?.map(ResumeDiagnostic::from);
    let journal = db::suivi::journal(&tx, a.dossier)?;
    let consentement = db::suivi::consentements(&tx, a.dossier)?.pop();
    let (mut orientation, mut equipe, mut objectifs, mut actions) = (None, Vec::new(), Vec::new(), Vec::new());
    if let Some(p) = parcours.last() {
        orientation = db::diagnostic::decisions(&tx, p.id)?.pop();
        equipe = db::suivi::membres(&tx, p.id)?;
        objectifs = db::suivi::objectifs(&tx, p.id)?;
        actions = db::suivi::actions(&tx, p.id)?;
    }
    ctx.consigner(&tx, "parcours voir", Some(a.dossier))?;
    tx.commit()?;
    let aujourdhui = ctx.aujourdhui;
    // Nothing is late in a closed parcours.
    let ouvert = parcours.last().is_some_and(|p| p.sortie.is_none());
    let vue_action = |action: Action| ActionVue {
        en_retard: ouvert && action.statut.est_ouverte() && action.echeance.is_some_and(|e| e < aujourdhui),
        action,
    };
    let (avec, sans): (Vec<Action>, Vec<Action>) = actions.into_iter().partition(|ac| ac.objectif.is_some());
    let mut avec: Vec<ActionVue> = avec.into_iter().map(vue_action).collect();
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
        age: date::age(personne.identite.naissance, ctx.aujourdhui),
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
        dernier_contact: journal
            .iter()
            .filter(|n| n.type_.est_un_contact())
            .map(|n| n.date)
            .max(),
        personne,
        parcours,
        diagnostic,
        orientation,
        consentement,
        equipe,
        objectifs,
        actions_sans_objectif: sans.into_iter().map(vue_action).collect(),
        journal,
    };
    ctx.sortie.fiche(&vue, &fiche::fiche(&vue))?;
    Ok(Issue::Succes)
}
