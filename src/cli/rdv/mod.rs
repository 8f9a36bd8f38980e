//! `spie rdv …`: appointments — plan, record the outcome, the agenda, the convocation.
//! Dispatch and the agenda's rendering; one file per other command.

mod convocation;
mod issue;
pub use issue::FichiersAnnulation;
mod planifier;

use anyhow::Result;
use chrono::NaiveDate;
use clap::{Args, Subcommand};
use serde::Serialize;

use super::{Ctx, date};
use crate::domain::rdv::{Rdv, StatutRdv};
use crate::error::Issue;
use crate::ops;
use crate::ops::rdv::Periode;
use crate::output::{Colonne, Ligne, Valeur};

#[derive(Debug, Subcommand)]
pub enum Commande {
    /// Planifie un rendez-vous ; affiche son numéro
    ///
    /// Exemple : spie rdv planifier 12 --le "02/12/2026 14:30" --type diagnostic --lieu "Bureau 2"
    Planifier(planifier::Arguments),
    /// Note que la personne est venue au rendez-vous (--corriger : corrige une issue déjà notée)
    Honore(issue::Arguments),
    /// Note que la personne n'est pas venue, sans prévenir
    Absent(issue::Arguments),
    /// Note que la personne a prévenu qu'elle ne viendrait pas
    Excuse(issue::Arguments),
    /// Annule le rendez-vous (du fait de la structure) ; s'il avait une convocation, écrit le
    /// fichier d'agenda qui l'annule
    Annule(issue::Annulation),
    /// L'agenda d'un agent : ses rendez-vous du jour ou de la semaine
    Agenda(AgendaArguments),
    /// Écrit la convocation à imprimer (HTML) et le fichier d'agenda (.ics)
    Convocation(convocation::Arguments),
}

pub fn executer(ctx: &Ctx, commande: Commande) -> Result<Issue> {
    match commande {
        Commande::Planifier(a) => planifier::executer(ctx, a),
        Commande::Honore(a) => issue::executer(ctx, a, StatutRdv::Honore),
        Commande::Absent(a) => issue::executer(ctx, a, StatutRdv::Absent),
        Commande::Excuse(a) => issue::executer(ctx, a, StatutRdv::Excuse),
        Commande::Annule(a) => issue::annuler(ctx, a),
        Commande::Agenda(a) => agenda(ctx, a),
        Commande::Convocation(a) => convocation::executer(ctx, a),
    }
}

#[derive(Debug, Args)]
pub struct AgendaArguments {
    /// Le jour (par défaut)
    #[arg(long, conflicts_with = "semaine")]
    jour: bool,
    /// La semaine, du lundi au dimanche
    #[arg(long)]
    semaine: bool,
    /// Le jour montré (ou un jour de la semaine montrée) [défaut : aujourd'hui]
    #[arg(long, value_parser = date)]
    date: Option<NaiveDate>,
    /// L'agent dont on veut l'agenda [défaut : vous]
    #[arg(long, value_name = "AGENT")]
    de: Option<String>,
}

fn agenda(ctx: &Ctx, a: AgendaArguments) -> Result<Issue> {
    let periode = if a.semaine { Periode::Semaine } else { Periode::Jour };
    let agenda = ops::rdv::agenda(&mut ctx.session()?, a.de.as_deref(), periode, a.date)?;
    let quand = match periode {
        Periode::Jour => crate::domain::date::en_lettres(agenda.du),
        Periode::Semaine => format!("semaine du {}", crate::domain::date::du_au(agenda.du, agenda.au)),
    };
    let combien = match agenda.rdvs.len() {
        0 => "aucun rendez-vous".to_owned(),
        n => format!("{n} rendez-vous"),
    };
    ctx.dire(format!(
        "Agenda {} — {quand} : {combien}.",
        crate::domain::texte::de(&agenda.agent)
    ));
    let lignes: Vec<LigneRdv> = agenda.rdvs.into_iter().map(LigneRdv).collect();
    ctx.sortie.liste(&lignes)?;
    Ok(Issue::Succes)
}

/// A line of the agenda.
#[derive(Serialize)]
#[serde(transparent)]
pub struct LigneRdv(Rdv);

impl Ligne for LigneRdv {
    #[rustfmt::skip]
    const COLONNES: &'static [Colonne] = &[
        Colonne { cle: "id", titre: "N°" },
        Colonne { cle: "debut", titre: "Date et heure" },
        Colonne { cle: "dossier", titre: "Dossier" },
        Colonne { cle: "personne", titre: "Personne" },
        Colonne { cle: "type", titre: "Type" },
        Colonne { cle: "lieu", titre: "Lieu" },
        Colonne { cle: "agent", titre: "Identifiant de l'agent" },
        Colonne { cle: "agent_nom", titre: "Avec" },
        Colonne { cle: "statut", titre: "Statut" },
        Colonne { cle: "statut_le", titre: "Noté le" },
        Colonne { cle: "motif", titre: "Motif" },
    ];
    const MASQUEES: &'static [&'static str] = &["statut_le", "agent"];
    // A caseworker reads the week by its days: the moment stays on one line; on a narrow
    // screen the title names whose agenda it is.
    const INSECABLES: &'static [&'static str] = &["debut", "personne"];
    const FACULTATIVES: &'static [&'static str] = &["agent_nom"];
    fn valeurs(&self) -> Vec<Valeur> {
        let r = &self.0;
        vec![
            r.id.into(),
            Valeur::MomentDuJour(r.debut),
            r.dossier.into(),
            r.personne.clone().into(),
            r.type_.libelle().into(),
            r.lieu.as_deref().unwrap_or("à préciser").into(),
            r.agent.clone().into(),
            r.agent_nom.clone().into(),
            r.statut.mot().into(),
            r.statut_le.into(),
            r.motif.clone().into(),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::rdv::TypeRdv;

    #[test]
    fn columns_match_json_keys() {
        let d = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        crate::output::verifier_cles(&LigneRdv(Rdv {
            id: 1,
            dossier: 2,
            personne: "P N".into(),
            debut: d.and_hms_opt(9, 0, 0).unwrap(),
            type_: TypeRdv::Suivi,
            lieu: None,
            agent: "a".into(),
            agent_nom: "A".into(),
            statut: StatutRdv::Prevu,
            statut_le: None,
            motif: None,
        }));
    }
}
