//! `spie parcours objectif ajouter|statut`: the objectives of the plan, by thematique.

use anyhow::Result;
use chrono::NaiveDate;
use clap::{Args, Subcommand};

use super::parcours_ouvert;
use crate::cli::{Ctx, date, numero};
use crate::db;
use crate::domain::date::fr;
use crate::domain::parcours::date_evenement;
use crate::domain::suivi::{StatutObjectif, thematique};
use crate::domain::texte::champ_libre;
use crate::error::{Issue, erreur};

#[derive(Debug, Subcommand)]
pub enum Commande {
    /// Ajoute un objectif au plan du parcours ouvert ; affiche son numéro
    Ajouter(Ajout),
    /// Change le statut d'un objectif
    Statut(Statut),
}

#[derive(Debug, Args)]
pub struct Ajout {
    /// Numéro de dossier
    #[arg(value_parser = numero)]
    dossier: i64,
    /// Thématique data·inclusion (ou sa catégorie), par exemple mobilite--preparer-un-permis
    #[arg(long)]
    thematique: String,
    /// Intitulé libre de l'objectif
    #[arg(long)]
    libelle: Option<String>,
    /// Date [défaut : aujourd'hui]
    #[arg(long, value_parser = date)]
    date: Option<NaiveDate>,
}

#[derive(Debug, Args)]
pub struct Statut {
    /// Numéro de l'objectif
    #[arg(value_parser = numero)]
    id: i64,
    /// Nouveau statut
    #[arg(value_enum)]
    statut: StatutObjectif,
    /// Date du changement [défaut : aujourd'hui]
    #[arg(long, value_parser = date)]
    date: Option<NaiveDate>,
}

pub fn executer(ctx: &Ctx, commande: Commande) -> Result<Issue> {
    match commande {
        Commande::Ajouter(a) => ajouter(ctx, a),
        Commande::Statut(a) => statut(ctx, a),
    }
}

fn ajouter(ctx: &Ctx, a: Ajout) -> Result<Issue> {
    let theme = thematique(&a.thematique).map_err(erreur)?;
    let libelle = a
        .libelle
        .as_deref()
        .map(|l| champ_libre("libellé", l, 500))
        .transpose()
        .map_err(erreur)?;
    let mut conn = ctx.ouvrir()?;
    let tx = db::ecriture(&mut conn)?;
    let agent = ctx.agent(&tx)?;
    let parcours = parcours_ouvert(&tx, a.dossier)?;
    let jour = super::date_dans(ctx, "l'objectif", a.date, &parcours)?;
    let id = db::suivi::ajouter_objectif(
        &tx,
        parcours.id,
        &theme,
        libelle.as_deref().filter(|l| !l.is_empty()),
        jour,
        agent.id,
    )?;
    ctx.consigner(&tx, "parcours objectif ajouter", Some(a.dossier))?;
    tx.commit()?;
    ctx.dire(format!(
        "Dossier {} : objectif n° {id} ({theme}) ajouté le {}.",
        a.dossier,
        fr(jour)
    ));
    ctx.sortie.cree("id", &id)?;
    Ok(Issue::Succes)
}

fn statut(ctx: &Ctx, a: Statut) -> Result<Issue> {
    let mut conn = ctx.ouvrir()?;
    let tx = db::ecriture(&mut conn)?;
    ctx.agent(&tx)?;
    let objectif = db::suivi::objectif(&tx, a.id)?.ok_or_else(|| erreur(format!("objectif inconnu : {}", a.id)))?;
    let parcours = super::parcours_ouvert_de(&tx, objectif.parcours_id, &format!("l'objectif {}", a.id))?;
    if objectif.statut == a.statut {
        return Err(erreur(format!("l'objectif {} est déjà « {} »", a.id, a.statut.code())).into());
    }
    let jour = date_evenement(
        "le changement",
        ctx.date(a.date),
        ctx.aujourdhui,
        Some((objectif.statut_le, "son statut actuel")),
    )
    .map_err(erreur)?;
    db::suivi::statut_objectif(&tx, a.id, a.statut, jour)?;
    ctx.consigner(&tx, "parcours objectif statut", Some(parcours.dossier))?;
    tx.commit()?;
    ctx.dire(format!("Objectif {} : {} le {}.", a.id, a.statut.code(), fr(jour)));
    ctx.sortie.cree("id", &a.id)?;
    Ok(Issue::Succes)
}
