//! `spie parcours contrat N --type cer --debut … --fin …`: a contract of the parcours;
//! `spie parcours contrat corriger|retirer ID`: its dates corrected, or withdrawn.

use crate::domain::codes::souple;
use anyhow::Result;
use chrono::NaiveDate;
use clap::{Args, Subcommand};

use crate::cli::{Ctx, date, numero};
use crate::domain::date::fr;
use crate::domain::rdv::TypeContrat;
use crate::error::Issue;
use crate::ops;

#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub struct Arguments {
    #[command(subcommand)]
    correction: Option<SurContrat>,
    /// Numéro de dossier
    #[arg(value_parser = numero, required = true)]
    dossier: Option<i64>,
    /// Nature du contrat. Si le dossier indique que la personne n'y est pas éligible (CEJ,
    /// PACEA : 16 à 25 ans au début ; CER : RSA ; PPAE : inscription à France Travail), un
    /// avertissement le dit ; le contrat est enregistré. Le même contrat (même nature, mêmes
    /// dates) deux fois est refusé ; un contrat qui chevauche un autre de même nature, ou
    /// commence avant l'entrée dans le parcours, est enregistré avec un avertissement
    #[arg(long = "type", value_enum, value_parser = souple::<TypeContrat>(), required = true)]
    type_: Option<TypeContrat>,
    /// Premier jour du contrat (AAAA-MM-JJ ou JJ/MM/AAAA)
    #[arg(long, value_parser = date, required = true)]
    debut: Option<NaiveDate>,
    /// Dernier jour du contrat
    #[arg(long, value_parser = date, required = true)]
    fin: Option<NaiveDate>,
}

#[derive(Debug, Subcommand)]
pub enum SurContrat {
    /// Corrige les dates d'un contrat (les anciennes restent dans l'historique des
    /// corrections du dossier)
    Corriger(Corriger),
    /// Retire un contrat enregistré à tort : il ne compte plus (échéances, indicateurs) ; ses
    /// dates restent dans l'historique avec le motif
    Retirer(Retirer),
}

#[derive(Debug, Args)]
pub struct Corriger {
    /// Numéro du contrat (donné à l'enregistrement ; voir `spie parcours voir N`)
    #[arg(value_parser = numero)]
    id: i64,
    /// Nouveau premier jour [défaut : inchangé]
    #[arg(long, value_parser = date)]
    debut: Option<NaiveDate>,
    /// Nouveau dernier jour [défaut : inchangé]
    #[arg(long, value_parser = date)]
    fin: Option<NaiveDate>,
    /// Pourquoi la correction (obligatoire)
    #[arg(long)]
    motif: String,
}

#[derive(Debug, Args)]
pub struct Retirer {
    /// Numéro du contrat
    #[arg(value_parser = numero)]
    id: i64,
    /// Pourquoi le contrat est retiré (obligatoire)
    #[arg(long)]
    motif: String,
}

pub fn executer(ctx: &Ctx, a: Arguments) -> Result<Issue> {
    let (Some(dossier), Some(type_), Some(debut), Some(fin)) = (a.dossier, a.type_, a.debut, a.fin) else {
        return a.correction.map_or(Ok(Issue::Succes), |c| corriger(ctx, c));
    };
    let c = ops::parcours::NouveauContrat {
        dossier,
        type_,
        debut,
        fin,
    };
    let fait = ops::parcours::contracter(&mut ctx.session()?, c)?;
    fait.avertissements.into_iter().for_each(|a| ctx.avertir(a));
    ctx.dire(format!(
        "Dossier {dossier} : contrat {} n° {} du {} au {}.",
        type_.mot(),
        fait.id,
        fr(debut),
        fr(fin)
    ));
    ctx.sortie.cree("id", &fait.id)?;
    Ok(Issue::Succes)
}

fn corriger(ctx: &Ctx, c: SurContrat) -> Result<Issue> {
    let c = match c {
        SurContrat::Corriger(a) => ops::parcours::CorrectionContrat {
            id: a.id,
            debut: a.debut,
            fin: a.fin,
            retrait: false,
            motif: a.motif,
        },
        SurContrat::Retirer(a) => ops::parcours::CorrectionContrat {
            id: a.id,
            debut: None,
            fin: None,
            retrait: true,
            motif: a.motif,
        },
    };
    let (id, retrait) = (c.id, c.retrait);
    let fait = ops::parcours::corriger_contrat(&mut ctx.session()?, c)?;
    fait.avertissements.into_iter().for_each(|a| ctx.avertir(a));
    let k = &fait.contrat;
    let (dossier, jour) = (fait.dossier, fr(fait.jour));
    ctx.dire(if retrait {
        format!(
            "Dossier {dossier} : contrat {id} retiré le {jour} ; il ne compte plus (échéances, indicateurs) ; \
             ses dates restent dans l'historique des corrections."
        )
    } else {
        format!(
            "Dossier {dossier} : contrat {id} corrigé le {jour} : {} du {} au {} ; les dates antérieures restent \
             dans l'historique des corrections.",
            k.type_.mot(),
            fr(k.debut),
            fr(k.fin)
        )
    });
    ctx.sortie.cree("id", &id)?;
    Ok(Issue::Succes)
}
