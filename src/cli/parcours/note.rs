//! `spie parcours note N "TEXTE" --type …`: an entry of the journal.

use anyhow::Result;
use chrono::NaiveDate;
use clap::Args;

use crate::cli::{Ctx, date, numero};
use crate::db;
use crate::domain::date::fr;
use crate::domain::suivi::TypeNote;
use crate::domain::texte::champ_libre;
use crate::error::{Issue, UserError, erreur};

#[derive(Debug, Args)]
pub struct Arguments {
    /// Numéro de dossier
    #[arg(value_parser = numero)]
    dossier: i64,
    /// Le texte de la note (pas de donnée de santé inutile)
    texte: String,
    /// Nature : entretien, telephone, visite et atelier comptent comme un contact avec la personne
    #[arg(long = "type", value_enum, default_value = "note")]
    type_: TypeNote,
    /// Date [défaut : aujourd'hui]
    #[arg(long, value_parser = date)]
    date: Option<NaiveDate>,
}

pub fn executer(ctx: &Ctx, a: Arguments) -> Result<Issue> {
    let texte = champ_libre("note", &a.texte.replace("\r\n", "\n").replace('\n', " "), 10_000).map_err(erreur)?;
    if texte.is_empty() {
        return Err(UserError::usage("la note est vide").into());
    }
    let mut conn = ctx.ouvrir()?;
    let tx = db::ecriture(&mut conn)?;
    let agent = ctx.agent(&tx)?;
    db::personne::personne(&tx, a.dossier)?;
    let parcours = db::parcours::du_dossier(&tx, a.dossier)?
        .pop()
        .ok_or_else(|| erreur("dossier sans parcours"))?;
    let jour = super::date_dans(ctx, "la note", a.date, &parcours)?;
    let id = db::suivi::noter(&tx, parcours.id, jour, a.type_, &texte, agent.id)?;
    ctx.consigner(&tx, "parcours note", Some(a.dossier))?;
    tx.commit()?;
    let contact = if a.type_.est_un_contact() {
        " (contact avec la personne)"
    } else {
        ""
    };
    // "note (note)" says nothing: only another type is named.
    let type_ = if a.type_ == TypeNote::Note {
        String::new()
    } else {
        format!(" ({})", a.type_.code())
    };
    ctx.dire(format!(
        "Dossier {} : note{type_} du {} ajoutée au journal{contact}.",
        a.dossier,
        fr(jour)
    ));
    ctx.sortie.cree("id", &id)?;
    Ok(Issue::Succes)
}
