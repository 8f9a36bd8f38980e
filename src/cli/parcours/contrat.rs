//! `spie parcours contrat N --type cer --debut … --fin …`: a contract of the parcours.

use anyhow::Result;
use chrono::NaiveDate;
use clap::Args;

use crate::cli::{Ctx, date, numero};
use crate::domain::date::fr;
use crate::domain::rdv::TypeContrat;
use crate::error::Issue;
use crate::ops;

#[derive(Debug, Args)]
pub struct Arguments {
    /// Numéro de dossier
    #[arg(value_parser = numero)]
    dossier: i64,
    /// Nature du contrat. Si le dossier indique que la personne n'y est pas éligible (CEJ,
    /// PACEA : 16 à 25 ans au début ; CER : RSA ; PPAE : inscription à France Travail), un
    /// avertissement le dit ; le contrat est enregistré
    #[arg(long = "type", value_enum)]
    type_: TypeContrat,
    /// Premier jour du contrat (AAAA-MM-JJ ou JJ/MM/AAAA)
    #[arg(long, value_parser = date)]
    debut: NaiveDate,
    /// Dernier jour du contrat
    #[arg(long, value_parser = date)]
    fin: NaiveDate,
}

pub fn executer(ctx: &Ctx, a: Arguments) -> Result<Issue> {
    let c = ops::parcours::NouveauContrat {
        dossier: a.dossier,
        type_: a.type_,
        debut: a.debut,
        fin: a.fin,
    };
    let ops::parcours::Contracte { id, avertissement } = ops::parcours::contracter(&mut ctx.session()?, c)?;
    if let Some(a) = avertissement {
        ctx.avertir(a);
    }
    ctx.dire(format!(
        "Dossier {} : contrat {} n° {id} du {} au {}.",
        a.dossier,
        a.type_.mot(),
        fr(a.debut),
        fr(a.fin)
    ));
    ctx.sortie.cree("id", &id)?;
    Ok(Issue::Succes)
}
