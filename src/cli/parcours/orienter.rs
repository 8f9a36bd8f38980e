//! `spie parcours orienter N pro|sociopro|social`: the agent's decision. The diagnostic
//! only suggests; the decision, its date and whether it follows the suggestion are kept.

use anyhow::Result;
use chrono::NaiveDate;
use clap::Args;

use super::parcours_ouvert;
use crate::cli::{Ctx, date, numero};
use crate::db;
use crate::db::diagnostic::Decision;
use crate::domain::date::fr;
use crate::domain::diagnostic::Orientation;
use crate::domain::texte::champ_libre;
use crate::error::{Issue, erreur};

#[derive(Debug, Args)]
pub struct Arguments {
    /// Numéro de dossier
    #[arg(value_parser = numero)]
    dossier: i64,
    /// Orientation décidée
    #[arg(value_enum)]
    orientation: Orientation,
    /// Raison de la décision (obligatoire si elle s'écarte de la suggestion du diagnostic)
    #[arg(long)]
    motif: Option<String>,
    /// Date de la décision [défaut : aujourd'hui]
    #[arg(long, value_parser = date)]
    date: Option<NaiveDate>,
}

pub fn executer(ctx: &Ctx, a: Arguments) -> Result<Issue> {
    let motif = a
        .motif
        .as_deref()
        .map(|m| champ_libre("motif", m, 2000))
        .transpose()
        .map_err(erreur)?;
    let motif = motif.filter(|m| !m.is_empty());
    let mut conn = ctx.ouvrir()?;
    let tx = db::ecriture(&mut conn)?;
    let agent = ctx.agent(&tx)?;
    let parcours = parcours_ouvert(&tx, a.dossier)?;
    let jour = super::date_dans(ctx, "la décision", a.date, &parcours)?;
    // The suggestion in force on that day: the last diagnostic of this parcours before it.
    let diagnostic = db::diagnostic::du_dossier(&tx, a.dossier)?
        .into_iter()
        .rfind(|d| d.parcours_id == parcours.id && d.date <= jour);
    let suggestion = diagnostic.as_ref().map(|d| d.suggestion.orientation);
    let decision = Decision::new(jour, a.orientation, motif, agent.identifiant.clone(), suggestion);
    if decision.conforme == Some(false) && decision.motif.is_none() {
        let d = diagnostic.as_ref().expect("a suggestion comes from a diagnostic");
        return Err(erreur(format!(
            "la décision ({}) s'écarte de la suggestion du diagnostic du {} ({}, règle {})",
            a.orientation.code(),
            fr(d.date),
            d.suggestion.orientation.code(),
            d.suggestion.regle
        ))
        .aide("c'est possible : donnez-en la raison avec --motif \"…\"")
        .into());
    }
    db::diagnostic::orienter(&tx, parcours.id, &decision, agent.id, diagnostic.as_ref().map(|d| d.id))?;
    ctx.consigner(&tx, "parcours orienter", Some(a.dossier))?;
    tx.commit()?;
    let suivi = match decision.conforme {
        Some(true) => "conforme à la suggestion du diagnostic".to_string(),
        Some(false) => format!(
            "différente de la suggestion ({})",
            decision.suggestion.map_or("", |s| s.code())
        ),
        None => "sans diagnostic".to_string(),
    };
    if diagnostic.is_none() {
        ctx.avertir(format!(
            "le dossier {} n'a pas de diagnostic dans ce parcours : `spie diagnostic nouveau {}`",
            a.dossier, a.dossier
        ));
    }
    ctx.dire(format!(
        "Dossier {} : orientation {} le {}, {suivi}.",
        a.dossier,
        a.orientation.code(),
        fr(jour)
    ));
    ctx.sortie.cree("dossier", &a.dossier)?;
    Ok(Issue::Succes)
}
