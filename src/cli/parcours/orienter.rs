//! `spie parcours orienter N pro|sociopro|social`: the agent's decision. The diagnostic
//! only suggests; the decision, its date and whether it follows the suggestion are kept.

use crate::domain::codes::souple;
use anyhow::Result;
use chrono::NaiveDate;
use clap::Args;

use crate::cli::{Ctx, date, numero};
use crate::domain::date::fr;
use crate::domain::diagnostic::Orientation;
use crate::error::Issue;
use crate::ops;

#[derive(Debug, Args)]
pub struct Arguments {
    /// Numéro de dossier
    #[arg(value_parser = numero)]
    dossier: i64,
    /// Orientation décidée
    #[arg(value_enum, value_parser = souple::<Orientation>())]
    orientation: Orientation,
    /// Raison de la décision (obligatoire si elle s'écarte de la suggestion du diagnostic)
    #[arg(long)]
    motif: Option<String>,
    /// Date de la décision [défaut : aujourd'hui]
    #[arg(long, value_parser = date)]
    date: Option<NaiveDate>,
}

pub fn executer(ctx: &Ctx, a: Arguments) -> Result<Issue> {
    let demande = ops::parcours::Decider {
        dossier: a.dossier,
        orientation: a.orientation,
        motif: a.motif,
        date: a.date,
    };
    let o = ops::parcours::orienter(&mut ctx.session()?, demande)?;
    let suivi = match o.decision.conforme {
        Some(true) => "conforme à la suggestion du diagnostic".to_string(),
        Some(false) => format!(
            "différente de la suggestion ({})",
            o.decision.suggestion.map_or("", |s| s.mot())
        ),
        None => "sans diagnostic".to_string(),
    };
    if !o.avec_diagnostic {
        ctx.avertir(format!(
            "le dossier {} n'a pas de diagnostic dans ce parcours : `spie diagnostic nouveau {}`",
            a.dossier, a.dossier
        ));
    }
    ctx.dire(format!(
        "Dossier {} : orientation {} le {}, {suivi}.",
        a.dossier,
        a.orientation.mot(),
        fr(o.decision.date),
    ));
    ctx.sortie.cree("dossier", &a.dossier)?;
    Ok(Issue::Succes)
}
