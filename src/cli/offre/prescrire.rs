//! `spie offre prescrire N OFFRE`: the offer becomes an action of the parcours (status
//! proposee), linked to the offer and, when spie knows it, to its structure.

use anyhow::Result;
use chrono::NaiveDate;
use clap::Args;

use crate::cli::{Ctx, date, numero};
use crate::db;
use crate::db::suivi::NouvelleAction;
use crate::error::{Issue, erreur};

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
    let mut conn = ctx.ouvrir()?;
    let tx = db::ecriture(&mut conn)?;
    let agent = ctx.agent(&tx)?;
    let parcours = crate::cli::parcours::parcours_ouvert(&tx, a.dossier)?;
    let offre = db::offre::active(&tx, a.offre)?;
    let objectif = match a.objectif {
        Some(id) => Some(
            db::suivi::objectif(&tx, id)?
                .filter(|o| o.parcours_id == parcours.id)
                .ok_or_else(|| erreur(format!("l'objectif {id} n'est pas un objectif du parcours en cours")))?,
        ),
        None => None,
    };
    let jour = crate::cli::parcours::date_dans(ctx, "la prescription", a.date, &parcours)?;
    // The thematique the action serves: the objective's, else the offer's first.
    let thematique = objectif
        .as_ref()
        .map(|o| o.thematique.clone())
        .or_else(|| offre.offre.thematiques.first().cloned());
    let structure = db::offre::structure(&tx, &offre)?;
    let nouvelle = NouvelleAction {
        parcours_id: parcours.id,
        objectif_id: objectif.as_ref().map(|o| o.id),
        libelle: &offre.offre.nom,
        thematique: thematique.as_deref(),
        structure_id: structure,
        echeance: None,
        offre_id: Some(offre.id),
    };
    let id = db::suivi::ajouter_action(&tx, &nouvelle, jour, agent.id)?;
    ctx.consigner(&tx, "offre prescrire", Some(a.dossier))?;
    tx.commit()?;
    ctx.dire(format!(
        "Dossier {} : offre {} prescrite (action n° {id}, proposée).",
        a.dossier, a.offre
    ));
    ctx.sortie.cree("id", &id)?;
    Ok(Issue::Succes)
}
