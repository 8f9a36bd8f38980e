//! `spie parcours referent N AGENT`: the one agent responsible for the parcours.

use anyhow::Result;
use chrono::NaiveDate;
use clap::Args;

use super::{agent_referent, parcours_ouvert};
use crate::cli::{Ctx, date, numero};
use crate::db;
use crate::domain::date::fr;
use crate::domain::parcours::date_evenement;
use crate::error::{Issue, erreur};

#[derive(Debug, Args)]
pub struct Arguments {
    /// Numéro de dossier
    #[arg(value_parser = numero)]
    dossier: i64,
    /// Identifiant de l'agent qui devient référent
    #[arg(value_name = "AGENT")]
    nouveau: String,
    /// Date du changement [défaut : aujourd'hui]
    #[arg(long, value_parser = date)]
    date: Option<NaiveDate>,
}

pub fn executer(ctx: &Ctx, a: Arguments) -> Result<Issue> {
    let mut conn = ctx.ouvrir()?;
    let tx = db::ecriture(&mut conn)?;
    ctx.agent(&tx)?;
    let parcours = parcours_ouvert(&tx, a.dossier)?;
    let nouveau = agent_referent(&tx, &a.nouveau)?;
    let actuel = parcours.referent_actif();
    if actuel.is_some_and(|r| r.agent == nouveau.identifiant) {
        return Err(erreur(format!(
            "{} est déjà le référent du dossier {}",
            nouveau.identifiant, a.dossier
        ))
        .into());
    }
    let borne = match actuel {
        Some(r) => (r.debut, "la désignation du référent actuel"),
        None => (parcours.entree, "l'entrée dans le parcours"),
    };
    let jour = date_evenement("la désignation", ctx.date(a.date), ctx.aujourdhui, Some(borne)).map_err(erreur)?;
    db::parcours::designer_referent(&tx, parcours.id, nouveau.id, jour)?;
    ctx.consigner(&tx, "parcours referent", Some(a.dossier))?;
    tx.commit()?;
    let avant = actuel
        .map(|r| format!(" (à la place de {})", r.agent))
        .unwrap_or_default();
    ctx.dire(format!(
        "Dossier {} : {} est référent depuis le {}{avant}.",
        a.dossier,
        nouveau.identifiant,
        fr(jour)
    ));
    ctx.sortie.cree("dossier", &a.dossier)?;
    Ok(Issue::Succes)
}
