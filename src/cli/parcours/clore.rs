//! `spie parcours clore N --motif M`: the end of a parcours.

use anyhow::Result;
use chrono::NaiveDate;
use clap::Args;

use super::parcours_ouvert;
use crate::cli::{Ctx, date, numero};
use crate::db;
use crate::domain::date::fr;
use crate::domain::parcours::{MotifSortie, date_evenement};
use crate::error::{Issue, erreur};

#[derive(Debug, Args)]
pub struct Arguments {
    /// Numéro de dossier
    #[arg(value_parser = numero)]
    dossier: i64,
    /// Motif de sortie
    #[arg(long, value_enum)]
    motif: MotifSortie,
    /// Date de sortie [défaut : aujourd'hui]
    #[arg(long, value_parser = date)]
    date: Option<NaiveDate>,
}

pub fn executer(ctx: &Ctx, a: Arguments) -> Result<Issue> {
    let mut conn = ctx.ouvrir()?;
    let tx = db::ecriture(&mut conn)?;
    ctx.agent(&tx)?;
    let parcours = parcours_ouvert(&tx, a.dossier)?;
    let borne = match parcours.referent_actif() {
        Some(r) if r.debut > parcours.entree => (r.debut, "la désignation du référent actuel"),
        _ => (parcours.entree, "l'entrée dans le parcours"),
    };
    let sortie = date_evenement("la sortie", ctx.date(a.date), ctx.aujourdhui, Some(borne)).map_err(erreur)?;
    db::parcours::clore(&tx, parcours.id, sortie, a.motif)?;
    ctx.consigner(&tx, "parcours clore", Some(a.dossier))?;
    tx.commit()?;
    ctx.dire(format!(
        "Dossier {} : parcours clos le {} ({}).",
        a.dossier,
        fr(sortie),
        a.motif.code()
    ));
    ctx.sortie.cree("dossier", &a.dossier)?;
    Ok(Issue::Succes)
}
