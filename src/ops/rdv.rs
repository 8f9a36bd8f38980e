//! `spie rdv …`: appointments of a parcours — planned, their outcome recorded, an agent's
//! agenda, the convocation. The `accueil` role does all of it (the habilitation's
//! `RendezVous`), on the dossiers it has a link with.

use anyhow::Result;
use chrono::{Datelike, Days, NaiveDate, NaiveDateTime};

use crate::db;
use crate::db::rdv::{Entete, NouveauRdv};
use crate::domain::agent::Role;
use crate::domain::calendrier::moment_inhabituel;
use crate::domain::habilitation::Action;
use crate::domain::rdv::{Rdv, StatutRdv, TypeRdv, issue_permise};
use crate::domain::texte::champ_facultatif;
use crate::error::{UserError, erreur};
use crate::ops::parcours::parcours_ouvert;
use crate::ops::{Element, Session};

pub struct Planification {
    pub dossier: i64,
    pub debut: NaiveDateTime,
    pub type_: TypeRdv,
    pub lieu: Option<String>,
    /// The agent who receives the person; by default the agent at work, or, for an
    /// `accueil` agent, the parcours' référent.
    pub avec: Option<String>,
}

pub struct Planifie {
    pub id: i64,
    /// The agent who receives the person, as named to the agent at work.
    pub agent: String,
    /// Another appointment of that agent at the same moment (kept all the same).
    pub meme_moment: Option<i64>,
    /// Why the moment is unusual (past, night, Sunday, public holiday, far ahead): recorded
    /// all the same.
    pub inhabituel: Vec<String>,
}

pub fn planifier(session: &mut Session, p: Planification) -> Result<Planifie> {
    let lieu = champ_facultatif("--lieu", p.lieu.as_deref(), 300).map_err(erreur)?;
    session.dossier(p.dossier, Action::RendezVous, None, |d| {
        let parcours = parcours_ouvert(d.tx, p.dossier)?;
        let agent = match (&p.avec, d.agent.role, parcours.referent_actif()) {
            (Some(avec), _, _) => crate::ops::agent::agent(d.tx, avec)?,
            (None, Role::Accueil, Some(r)) => crate::ops::agent::agent(d.tx, &r.agent)?,
            (None, _, _) => d.agent.clone(),
        };
        // The agent who receives the person opens the dossier that day.
        let relation = db::habilitation::relation(d.tx, p.dossier, agent.id, agent.structure_id)?;
        if !relation.is_some_and(|r| r.lien()) {
            return Err(erreur(format!(
                "{} ne suit pas le dossier {} : sa structure ne porte pas le parcours, et ce n'est ni son \
                 référent ni un membre de son équipe (avec le partage accepté par la personne) ; le dossier de la \
                 personne reçue lui resterait fermé",
                agent.nom_vu(d.agent.structure_id),
                p.dossier
            ))
            .aide(format!(
                "ajoutez-le à l'équipe (spie parcours membre ajouter {} {}), ou choisissez un autre agent avec --avec",
                p.dossier, agent.identifiant
            ))
            .into());
        }
        let meme_moment = db::rdv::agenda(
            d.tx,
            agent.id,
            p.debut.date(),
            p.debut.date() + Days::new(1),
            db::habilitation::Lecteur::de(d.agent),
        )?
        .into_iter()
        .find(|r| r.debut == p.debut && r.statut == StatutRdv::Prevu)
        .map(|r| r.id);
        let nouveau = NouveauRdv {
            parcours_id: parcours.id,
            agent_id: agent.id,
            debut: p.debut,
            type_: p.type_,
            lieu: lieu.as_deref(),
        };
        let id = db::rdv::planifier(d.tx, &nouveau, d.aujourdhui, d.agent.id)?;
        let departement = db::meta::departement(d.tx)?;
        Ok(Planifie {
            id,
            agent: agent.nom_vu(d.agent.structure_id),
            meme_moment,
            inhabituel: moment_inhabituel(p.debut, d.aujourdhui, &departement),
        })
    })
}

pub struct Issue {
    pub id: i64,
    pub statut: StatutRdv,
    /// The reason of the outcome; with `corriger`, the reason of the correction (required).
    pub motif: Option<String>,
    /// Replace an outcome already recorded (a mis-click), keeping the previous one.
    pub corriger: bool,
}

pub struct IssueNotee {
    pub rdv: Rdv,
    /// This absence is the second in a row of the parcours.
    pub deuxieme_absence: bool,
    /// The appointment is cancelled and had a convocation: the calendar file that
    /// cancels it is due, with what it prints.
    pub annulation: Option<Entete>,
}

/// Records the outcome of a planned appointment, or, with `corriger`, replaces the
/// outcome recorded by another one, the previous one kept in the dossier's history.
pub fn noter_issue(session: &mut Session, i: Issue) -> Result<IssueNotee> {
    let motif = champ_facultatif("--motif", i.motif.as_deref(), 300).map_err(erreur)?;
    if i.corriger && motif.is_none() {
        return Err(
            UserError::usage("--corriger demande un --motif : pourquoi l'issue notée était fausse")
                .aide("par exemple : --corriger --motif \"erreur de saisie\"")
                .into(),
        );
    }
    let dossier = session.dossier_de(Element::Rdv(i.id))?;
    if i.corriger {
        session.preciser(" — issue corrigée");
    }
    session.dossier(dossier, Action::RendezVous, None, |d| {
        let rdv = db::rdv::rdv(d.tx, i.id)?.ok_or_else(|| Element::Rdv(i.id).inconnu())?;
        issue_permise(i.id, rdv.statut, i.statut, rdv.debut, d.aujourdhui, i.corriger).map_err(|e| {
            let e = erreur(e);
            if rdv.statut != StatutRdv::Prevu && !i.corriger {
                e.aide("une erreur de saisie se corrige avec --corriger --motif \"…\" ; pour un autre jour, planifiez un nouveau rendez-vous")
            } else {
                e
            }
        })?;
        match (i.corriger, motif.as_deref()) {
            (true, Some(m)) => db::rdv::corriger_issue(d.tx, i.id, i.statut, d.aujourdhui, m, d.agent.id)?,
            _ => db::rdv::issue(d.tx, i.id, i.statut, d.aujourdhui, motif.as_deref())?,
        }
        let parcours = db::parcours::du_dossier(d.tx, dossier)?
            .pop()
            .ok_or_else(|| erreur("dossier sans parcours"))?;
        let deuxieme_absence = i.statut == StatutRdv::Absent
            && db::rdv::dernieres_issues(d.tx, parcours.id, 2)? == [StatutRdv::Absent, StatutRdv::Absent];
        let annulation = if i.statut == StatutRdv::Annule && db::rdv::a_ete_convoque(d.tx, i.id)? {
            Some(db::rdv::entete(d.tx, i.id)?)
        } else {
            None
        };
        let rdv = db::rdv::rdv(d.tx, i.id)?.ok_or_else(|| Element::Rdv(i.id).inconnu())?;
        Ok(IssueNotee {
            rdv,
            deuxieme_absence,
            annulation,
        })
    })
}

/// The period an agenda shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Periode {
    Jour,
    /// Monday to Sunday of the day's week.
    Semaine,
}

impl Periode {
    /// From the first day (included) to the last (excluded).
    pub fn bornes(self, jour: NaiveDate) -> (NaiveDate, NaiveDate) {
        match self {
            Periode::Jour => (jour, jour + Days::new(1)),
            Periode::Semaine => {
                let lundi = jour - Days::new(jour.weekday().num_days_from_monday().into());
                (lundi, lundi + Days::new(7))
            }
        }
    }
}

/// An agent's appointments over a period.
pub struct Agenda {
    /// Whose agenda, as named to the agent at work.
    pub agent: String,
    /// The first and the last day shown.
    pub du: NaiveDate,
    pub au: NaiveDate,
    pub rdvs: Vec<Rdv>,
}

/// The appointments of agent `de` (the agent at work by default) for the period around
/// `jour` (today by default), of the dossiers the agent at work may see.
pub fn agenda(session: &mut Session, de: Option<&str>, periode: Periode, jour: Option<NaiveDate>) -> Result<Agenda> {
    let (debut, fin) = periode.bornes(jour.unwrap_or(session.aujourdhui));
    let mut nom = String::new();
    let rdvs = session.lister(
        |tx, agent, lecteur| {
            let de = match de {
                Some(identifiant) => crate::ops::agent::agent(tx, identifiant)?,
                None => agent.clone(),
            };
            nom = de.nom_vu(agent.structure_id);
            db::rdv::agenda(tx, de.id, debut, fin, lecteur)
        },
        |r| r.dossier,
    )?;
    Ok(Agenda {
        agent: nom,
        du: debut,
        au: fin - Days::new(1),
        rdvs,
    })
}

/// What a convocation needs: the appointment, the person's postal identity is not needed
/// (name only), the holding structure and the agent who receives.
pub struct Convocation {
    pub rdv: Rdv,
    pub entete: Entete,
    /// Why the moment is unusual (see [`Planifie::inhabituel`]), told again before the
    /// letter goes out.
    pub inhabituel: Vec<String>,
}

pub fn convocation(session: &mut Session, id: i64) -> Result<Convocation> {
    let dossier = session.dossier_de(Element::Rdv(id))?;
    session.dossier(dossier, Action::RendezVous, None, |d| {
        let rdv = db::rdv::rdv(d.tx, id)?.ok_or_else(|| Element::Rdv(id).inconnu())?;
        if rdv.statut != StatutRdv::Prevu {
            return Err(erreur(format!(
                "le rendez-vous {id} n'est plus prévu ({}) : pas de convocation",
                rdv.statut.libelle().to_lowercase()
            ))
            .aide(format!(
                "planifiez-en un autre (`spie rdv planifier {dossier} --le \"JJ/MM/AAAA HH:MM\"`), puis convoquez pour celui-là"
            ))
            .into());
        }
        let entete = db::rdv::entete(d.tx, id)?;
        db::rdv::convoque(d.tx, id, d.aujourdhui)?;
        let inhabituel = moment_inhabituel(rdv.debut, d.aujourdhui, &db::meta::departement(d.tx)?);
        Ok(Convocation {
            rdv,
            entete,
            inhabituel,
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_week_runs_from_monday_to_sunday() {
        let jeudi = NaiveDate::from_ymd_opt(2026, 11, 26).unwrap();
        let (de, a) = Periode::Semaine.bornes(jeudi);
        assert_eq!(de, NaiveDate::from_ymd_opt(2026, 11, 23).unwrap());
        assert_eq!(a, NaiveDate::from_ymd_opt(2026, 11, 30).unwrap());
        assert_eq!(
            Periode::Jour.bornes(jeudi),
            (jeudi, NaiveDate::from_ymd_opt(2026, 11, 27).unwrap())
        );
    }
}
