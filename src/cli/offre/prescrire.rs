//! `spie offre prescrire N OFFRE`: the offer becomes an action of the parcours (status
//! proposee), linked to the offer and, when spie knows it, to its structure.

use anyhow::Result;
use chrono::NaiveDate;
use clap::Args;

use crate::cli::{Ctx, date, numero};
use crate::error::Issue;
use crate::ops;

#[derive(Debug, Args)]
pub struct Arguments {
    /// Numéro de dossier
    #[arg(value_parser = numero)]
    dossier: i64,
    /// Numéro de l'offre
    #[arg(value_parser = numero)]
    offre: i64,
    /// Objectif que l'action sert
    #[arg(long, value_parser = numero)]
    objectif: Option<i64>,
    /// Date de la prescription [défaut : aujourd'hui]
    #[arg(long, value_parser = date)]
    date: Option<NaiveDate>,
}

pub fn executer(ctx: &Ctx, a: Arguments) -> Result<Issue> {
    let prescription = ops::offre::Prescription {
        dossier: a.dossier,
        offre: a.offre,
        objectif: a.objectif,
        date: a.date,
    };
    let p = ops::offre::prescrire(&mut ctx.session()?, prescription)?;
    if let Some(ac) = p.deja {
        ctx.avertir(format!(
            "l'offre {} est déjà prescrite dans ce parcours (action n° {}, {}) : les deux actions sont gardées",
            a.offre,
            ac.id,
            ac.statut.mot()
        ));
    }
    if let Some(nom) = &p.sans_rapport {
        ctx.avertir(format!(
            "l'offre {} « {nom} » ne répond à aucun besoin du dossier : vérifiez son numéro (dans `spie offre \
             proposer {}`, c'est la colonne « Offre ») ; si elle est voulue, rien à faire",
            a.offre, a.dossier
        ));
    }
    ctx.dire(format!(
        "Dossier {} : offre {} prescrite (action n° {}, proposée).",
        a.dossier, a.offre, p.id
    ));
    ctx.sortie.cree("id", &p.id)?;
    Ok(Issue::Succes)
}
