//! `parcours a-faire`: the caseworker's day, among the dossiers the agent may see; and,
//! for a référent, the break-glass reads of their dossiers in the last 30 days.

use anyhow::Result;
use chrono::{Days, NaiveDate};
use serde::Serialize;

use crate::db;
use crate::db::a_faire::{Categorie, Fait};
use crate::db::acces::EntreeSuivie;
use crate::db::rdv::FaitRdv;
use crate::domain::agent::Agent;
use crate::domain::date::fr;
use crate::domain::rdv::{Rdv, moment_fr};
use crate::ops::Session;
use crate::ops::session::BRIS_DE_GLACE;

/// How far back a break-glass read is shown to the référent.
const BRIS_DE_GLACE_JOURS: u64 = 30;

#[derive(Debug, Serialize)]
pub struct Tache {
    pub categorie: Categorie,
    pub dossier: i64,
    /// Given name and name.
    pub personne: String,
    /// The date the task dates from (due date, entry, diagnostic, last contact, read).
    pub date: NaiveDate,
    pub detail: String,
    /// The référent's identifier.
    pub referent: Option<String>,
    /// The référent's name, and structure when it is not the agent's.
    pub referent_nom: Option<String>,
}

/// `tous`: every open parcours the agent may see, not only those the agent follows.
pub fn a_faire(session: &mut Session, tous: bool) -> Result<Vec<Tache>> {
    let aujourdhui = session.aujourdhui;
    let depuis = aujourdhui - Days::new(BRIS_DE_GLACE_JOURS);
    session.lister(
        |tx, agent, lecteur| {
            let mut lectures = db::acces::marquees_chez(tx, (agent.id, agent.structure_id), depuis, BRIS_DE_GLACE)?;
            // A dossier without a référent is the holding structure's administrators' to
            // watch.
            if agent.role == crate::domain::agent::Role::Admin {
                lectures.extend(db::acces::marquees_sans_referent(
                    tx, agent.structure_id, depuis, BRIS_DE_GLACE,
                )?);
            }
            let mut taches: Vec<Tache> = lectures.into_iter().filter_map(|e| lecture(e, agent)).collect();
            // An `accueil` agent sees identities, référents and appointments, never a plan, a
            // diagnostic or a contact: of its to-dos, the parcours without a référent and
            // the appointments.
            let accueil = agent.role == crate::domain::agent::Role::Accueil;
            taches.extend(
                db::a_faire::a_faire(tx, aujourdhui, lecteur, tous)?
                    .into_iter()
                    .filter(|f| !accueil || f.categorie == Categorie::SansReferent)
                    .map(tache),
            );
            taches.extend(
                db::rdv::a_faire(tx, aujourdhui, lecteur, tous)?
                    .into_iter()
                    .map(tache_rdv),
            );
            if !accueil {
                taches.extend(super::echeances::taches(tx, aujourdhui, lecteur, tous)?);
            }
            // Appointments, prescriptions and contracts come without their référent: every
            // task names the dossier's.
            let mut sans: Vec<i64> = taches
                .iter()
                .filter(|t| t.referent.is_none() && t.categorie != Categorie::SansReferent)
                .map(|t| t.dossier)
                .collect();
            sans.sort_unstable();
            sans.dedup();
            let referents = db::a_faire::referents(tx, &sans, lecteur)?;
            for t in taches.iter_mut().filter(|t| t.referent.is_none()) {
                if let Some((identifiant, nom)) = referents.get(&t.dossier) {
                    t.referent = Some(identifiant.clone());
                    t.referent_nom = Some(nom.clone());
                }
            }
            taches.sort_by_key(|t| (t.categorie, t.date, t.dossier));
            Ok(taches)
        },
        |t| t.dossier,
    )
}

fn tache(f: Fait) -> Tache {
    let detail = match (f.categorie, &f.action) {
        (Categorie::ActionEnRetard, Some((id, libelle))) => format!("action {id} « {libelle} »"),
        (Categorie::SansContact, _) if f.contact => format!("dernier contact le {}", fr(f.date)),
        (Categorie::SansContact, _) => format!("aucun contact depuis l'entrée le {}", fr(f.date)),
        (Categorie::SansOrientation, _) => format!("diagnostic du {}", fr(f.date)),
        (Categorie::DiagnosticAncien, _) => format!("dernier diagnostic le {}", fr(f.date)),
        _ => format!("entré le {}", fr(f.date)),
    };
    Tache {
        categorie: f.categorie,
        dossier: f.dossier,
        personne: f.personne,
        date: f.date,
        detail,
        referent: f.referent,
        referent_nom: f.referent_nom,
    }
}

/// An appointment to see to, as a task.
fn tache_rdv((fait, r): (FaitRdv, Rdv)) -> Tache {
    let (categorie, detail) = match fait {
        FaitRdv::DuJour => (
            Categorie::RdvDuJour,
            format!(
                "rendez-vous {} à {} ({}) avec {}",
                r.id,
                r.debut.format("%H:%M"),
                r.type_.code(),
                r.agent_nom
            ),
        ),
        FaitRdv::SansIssue => (
            Categorie::RdvSansIssue,
            format!(
                "rendez-vous {} du {} : issue à noter (spie rdv honore|absent|excuse {})",
                r.id,
                moment_fr(r.debut),
                r.id
            ),
        ),
        FaitRdv::DeuxAbsences => (
            Categorie::DeuxAbsences,
            format!(
                "deux absences de suite, la dernière au rendez-vous {} du {}",
                r.id,
                moment_fr(r.debut)
            ),
        ),
    };
    Tache {
        categorie,
        dossier: r.dossier,
        personne: r.personne,
        date: r.debut.date(),
        detail,
        referent: None,
        referent_nom: None,
    }
}

/// A break-glass read of one of the référent's dossiers, as a task.
fn lecture(e: EntreeSuivie, referent: &Agent) -> Option<Tache> {
    let (_, motif) = e.commande.split_once(BRIS_DE_GLACE)?;
    let date = crate::domain::date::parse(e.horodatage.get(..10)?).ok()?;
    Some(Tache {
        categorie: Categorie::LectureSansLien,
        dossier: e.dossier,
        personne: e.personne,
        date,
        detail: format!("dossier {} lu par {} sans lien : {motif}", e.dossier, e.agent_nom),
        referent: Some(referent.identifiant.clone()),
        referent_nom: Some(referent.nom.clone()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fait(categorie: Categorie, contact: bool) -> Fait {
        Fait {
            categorie,
            dossier: 3,
            personne: "Léa Martin".into(),
            date: NaiveDate::from_ymd_opt(2026, 2, 1).unwrap(),
            action: (categorie == Categorie::ActionEnRetard).then(|| (7, "CV".to_string())),
            contact,
            referent: None,
            referent_nom: None,
        }
    }

    #[test]
    fn each_task_is_worded_from_its_facts() {
        assert_eq!(tache(fait(Categorie::ActionEnRetard, false)).detail, "action 7 « CV »");
        assert_eq!(
            tache(fait(Categorie::SansContact, true)).detail,
            "dernier contact le 01/02/2026"
        );
        assert_eq!(
            tache(fait(Categorie::SansContact, false)).detail,
            "aucun contact depuis l'entrée le 01/02/2026"
        );
        assert_eq!(
            tache(fait(Categorie::SansReferent, false)).detail,
            "entré le 01/02/2026"
        );
    }

    fn agent() -> Agent {
        Agent {
            id: 2,
            identifiant: "m.durand".into(),
            nom: "Marc Durand".into(),
            structure_id: 1,
            structure: "CCAS".into(),
            role: crate::domain::agent::Role::Referent,
        }
    }

    #[test]
    fn a_break_glass_read_names_the_reader_and_the_reason() {
        let e = EntreeSuivie {
            dossier: 4,
            personne: "Léa Martin".into(),
            horodatage: "2026-02-03T10:00:00".into(),
            agent: "p.partenaire".into(),
            agent_nom: "Paul Partenaire (Mission locale)".into(),
            commande: format!("parcours voir{BRIS_DE_GLACE}urgence hébergement"),
        };
        let t = lecture(e.clone(), &agent()).unwrap();
        assert_eq!(
            t.detail,
            "dossier 4 lu par Paul Partenaire (Mission locale) sans lien : urgence hébergement"
        );
        assert_eq!(t.date, NaiveDate::from_ymd_opt(2026, 2, 3).unwrap());
        // An entry without the mark is no break-glass read.
        assert!(
            lecture(
                EntreeSuivie {
                    commande: "parcours voir".into(),
                    ..e
                },
                &agent()
            )
            .is_none()
        );
    }
}
