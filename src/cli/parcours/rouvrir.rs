//! `spie parcours rouvrir N`: a new parcours for a known person; the old ones stay.

use anyhow::Result;
use chrono::NaiveDate;
use clap::Args;

use super::agent_referent;
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
    /// Agent référent du nouveau parcours
    #[arg(long, value_name = "AGENT")]
    referent: Option<String>,
    /// Date d'entrée dans le nouveau parcours [défaut : aujourd'hui]
    #[arg(long, value_parser = date)]
    date: Option<NaiveDate>,
}

pub fn executer(ctx: &Ctx, a: Arguments) -> Result<Issue> {
    let mut conn = ctx.ouvrir()?;
    let tx = db::ecriture(&mut conn)?;
    let agent = ctx.agent(&tx)?;
    db::personne::personne(&tx, a.dossier)?;
    let parcours = db::parcours::du_dossier(&tx, a.dossier)?;
    if parcours.iter().any(|p| p.est_ouvert()) {
        return Err(erreur(format!("le dossier {} a déjà un parcours ouvert", a.dossier))
            .aide(format!("consultez-le avec `spie parcours voir {}`", a.dossier))
            .into());
    }
    let derniere_sortie = parcours.iter().filter_map(|p| p.sortie).max();
    let borne = derniere_sortie.map(|s| (s, "la sortie du parcours précédent"));
    let entree = date_evenement("l'entrée", ctx.date(a.date), ctx.aujourdhui, borne).map_err(erreur)?;
    let referent = a.referent.as_deref().map(|r| agent_referent(&tx, r)).transpose()?;
    let id = db::parcours::ouvrir(&tx, a.dossier, agent.structure_id, entree)?;
    if let Some(r) = &referent {
        db::parcours::designer_referent(&tx, id, r.id, entree)?;
    }
    ctx.consigner(&tx, "parcours rouvrir", Some(a.dossier))?;
    tx.commit()?;
    ctx.dire(format!(
        "Dossier {} : nouveau parcours ouvert le {}.",
        a.dossier,
        fr(entree)
    ));
    ctx.sortie.cree("dossier", &a.dossier)?;
    Ok(Issue::Succes)
}
