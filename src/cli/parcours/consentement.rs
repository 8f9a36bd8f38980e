//! `spie parcours consentement N --partage oui|non`: the person's consent to share the
//! dossier with other structures, dated; the history is kept.

use anyhow::Result;
use chrono::NaiveDate;
use clap::Args;

use crate::cli::{Ctx, date, numero, oui_non};
use crate::db;
use crate::domain::date::fr;
use crate::domain::parcours::date_evenement;
use crate::error::{Issue, erreur};

#[derive(Debug, Args)]
pub struct Arguments {
    /// Numéro de dossier
    #[arg(value_parser = numero)]
    dossier: i64,
    /// La personne accepte-t-elle le partage de son dossier avec d'autres structures : oui ou non
    #[arg(long, value_name = "OUI|NON", value_parser = oui_non, action = clap::ArgAction::Set)]
    partage: bool,
    /// Date du recueil [défaut : aujourd'hui]
    #[arg(long, value_parser = date)]
    date: Option<NaiveDate>,
}

pub fn executer(ctx: &Ctx, a: Arguments) -> Result<Issue> {
    let mut conn = ctx.ouvrir()?;
    let tx = db::ecriture(&mut conn)?;
    let agent = ctx.agent(&tx)?;
    db::personne::personne(&tx, a.dossier)?;
    let jour = date_evenement("le consentement", ctx.date(a.date), ctx.aujourdhui, None).map_err(erreur)?;
    db::suivi::consentir(&tx, a.dossier, jour, a.partage, agent.id)?;
    let externes: Vec<String> = match db::parcours::ouvert(&tx, a.dossier)? {
        Some(p) if !a.partage => db::suivi::membres(&tx, p.id)?
            .into_iter()
            .filter(|m| m.fin.is_none() && m.structure_id != p.structure_id)
            .map(|m| m.agent)
            .collect(),
        _ => Vec::new(),
    };
    ctx.consigner(&tx, "parcours consentement", Some(a.dossier))?;
    tx.commit()?;
    ctx.dire(format!(
        "Dossier {} : partage {} le {}.",
        a.dossier,
        if a.partage { "accepté" } else { "refusé" },
        fr(jour)
    ));
    if !externes.is_empty() {
        ctx.avertir(format!(
            "des agents d'autres structures sont encore dans l'équipe ({}) : retirez-les avec `spie parcours membre retirer {} AGENT`",
            externes.join(", "),
            a.dossier
        ));
    }
    ctx.sortie.cree("dossier", &a.dossier)?;
    Ok(Issue::Succes)
}
