//! `spie parcours note N "TEXTE" --type …`: an entry of the journal.

use crate::domain::codes::souple;
use anyhow::Result;
use chrono::NaiveDate;
use clap::Args;

use super::correction::{self, SurNote};
use crate::cli::{Ctx, date, numero};
use crate::domain::date::fr;
use crate::domain::suivi::TypeNote;
use crate::error::Issue;
use crate::ops;

#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub struct Arguments {
    #[command(subcommand)]
    correction: Option<SurNote>,
    /// Numéro de dossier
    #[arg(value_parser = numero, required = true)]
    dossier: Option<i64>,
    /// Le texte de la note (pas de donnée de santé inutile)
    #[arg(required = true)]
    texte: Option<String>,
    /// Nature : entretien, telephone, visite et atelier comptent comme un contact avec la personne
    #[arg(long = "type", value_enum, value_parser = souple::<TypeNote>(), default_value = "note")]
    type_: TypeNote,
    /// Date [défaut : aujourd'hui]
    #[arg(long, value_parser = date)]
    date: Option<NaiveDate>,
    /// Note privée : elle reste dans cette base et n'est jamais transmise à un partenaire
    #[arg(long)]
    prive: bool,
}

pub fn executer(ctx: &Ctx, a: Arguments) -> Result<Issue> {
    let (Some(dossier), Some(texte)) = (a.dossier, a.texte) else {
        return a.correction.map_or(Ok(Issue::Succes), |c| correction::sur_note(ctx, c));
    };
    let note = ops::parcours::Note {
        dossier,
        texte,
        type_: a.type_,
        date: a.date,
        prive: a.prive,
    };
    let ajoutee = ops::parcours::noter(&mut ctx.session()?, note)?;
    let contact = if a.type_.est_un_contact() {
        " (contact avec la personne)"
    } else {
        ""
    };
    // "note (note)" says nothing: only another type is named.
    let type_ = if a.type_ == TypeNote::Note {
        String::new()
    } else {
        format!(" ({})", a.type_.mot())
    };
    let prive = if a.prive { " privée" } else { "" };
    let clos = ajoutee
        .parcours_clos_le
        .map(|le| format!(" du parcours clos le {}", fr(le)))
        .unwrap_or_default();
    ctx.dire(format!(
        "Dossier {} : note{prive}{type_} du {} ajoutée au journal{clos}{contact}.",
        dossier,
        fr(ajoutee.jour)
    ));
    ctx.sortie.cree("id", &ajoutee.id)?;
    Ok(Issue::Succes)
}
