//! `spie parcours action ajouter|statut`: the actions of the plan, each status dated.

use anyhow::Result;
use chrono::NaiveDate;
use clap::{Args, Subcommand};

use super::parcours_ouvert;
use crate::cli::{Ctx, date, numero};
use crate::db;
use crate::db::suivi::NouvelleAction;
use crate::domain::date::fr;
use crate::domain::parcours::date_evenement;
use crate::domain::suivi::{StatutAction, thematique};
use crate::domain::texte::champ_libre;
use crate::error::{Issue, UserError, erreur};

#[derive(Debug, Subcommand)]
pub enum Commande {
    /// Ajoute une action au plan du parcours ouvert (statut proposee) ; affiche son numéro
    Ajouter(Ajout),
    /// Change le statut d'une action : proposee, en-cours, realisee, abandonnee, refusee
    Statut(Statut),
}

#[derive(Debug, Args)]
pub struct Ajout {
    /// Numéro de dossier
    #[arg(value_parser = numero)]
    dossier: i64,
    /// Ce qui est à faire
    #[arg(long)]
    libelle: String,
    /// Objectif que l'action sert (son numéro)
    #[arg(long, value_parser = numero)]
    objectif: Option<i64>,
    /// Thématique data·inclusion [défaut : celle de l'offre qui répond à l'objectif ou aux
    /// besoins de la personne, sinon la première de l'offre ; sans offre, celle de l'objectif]
    #[arg(long)]
    thematique: Option<String>,
    /// Offre du catalogue que l'action mobilise (son numéro : `spie offre chercher`)
    #[arg(long, value_parser = numero)]
    offre: Option<i64>,
    /// Structure qui porte l'action (nom ou numéro) [défaut : celle de l'offre, si spie la connaît]
    #[arg(long)]
    structure: Option<String>,
    /// Date à laquelle l'action doit être faite
    #[arg(long, value_parser = date)]
    echeance: Option<NaiveDate>,
    /// Date de création [défaut : aujourd'hui]
    #[arg(long, value_parser = date)]
    date: Option<NaiveDate>,
}

#[derive(Debug, Args)]
pub struct Statut {
    /// Numéro de l'action
    #[arg(value_parser = numero)]
    id: i64,
    /// Nouveau statut
    #[arg(value_enum)]
    statut: StatutAction,
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
    let libelle = champ_libre("libellé", &a.libelle, 500).map_err(erreur)?;
    if libelle.is_empty() {
        return Err(UserError::usage("--libelle : dites ce qui est à faire").into());
    }
    let theme = a.thematique.as_deref().map(thematique).transpose().map_err(erreur)?;
    let mut conn = ctx.ouvrir()?;
    let tx = db::ecriture(&mut conn)?;
    let agent = ctx.agent(&tx)?;
    let parcours = parcours_ouvert(&tx, a.dossier)?;
    let objectif = match a.objectif {
        Some(id) => {
            let o = db::suivi::objectif(&tx, id)?
                .filter(|o| o.parcours_id == parcours.id)
                .ok_or_else(|| {
                    erreur(format!(
                        "l'objectif {id} n'est pas un objectif du parcours en cours du dossier {}",
                        a.dossier
                    ))
                    .aide(format!("`spie parcours voir {}` montre le plan", a.dossier))
                })?;
            Some(o)
        }
        None => None,
    };
    let offre = a.offre.map(|id| db::offre::active(&tx, id)).transpose()?;
    let theme = match (theme, &offre) {
        (Some(t), _) => Some(t),
        (None, Some(o)) => crate::cli::offre::thematique_de_l_offre(&tx, a.dossier, o, objectif.as_ref())?,
        (None, None) => objectif.as_ref().map(|o| o.thematique.clone()),
    };
    let structure = match (&a.structure, &offre) {
        (Some(s), _) => Some(db::agent::structure(&tx, s)?.id),
        (None, Some(o)) => db::offre::structure(&tx, o)?,
        (None, None) => None,
    };
    let jour = super::date_dans(ctx, "l'action", a.date, &parcours)?;
    if a.echeance.is_some_and(|e| e < jour) {
        return Err(erreur("l'échéance précède la création de l'action").into());
    }
    let nouvelle = NouvelleAction {
        parcours_id: parcours.id,
        objectif_id: objectif.as_ref().map(|o| o.id),
        libelle: &libelle,
        thematique: theme.as_deref(),
        structure_id: structure,
        echeance: a.echeance,
        offre_id: offre.as_ref().map(|o| o.id),
    };
    let id = db::suivi::ajouter_action(&tx, &nouvelle, jour, agent.id)?;
    ctx.consigner(&tx, "parcours action ajouter", Some(a.dossier))?;
    tx.commit()?;
    let echeance = a
        .echeance
        .map(|e| format!(", échéance le {}", fr(e)))
        .unwrap_or_default();
    ctx.dire(format!(
        "Dossier {} : action n° {id} proposée le {}{echeance}.",
        a.dossier,
        fr(jour)
    ));
    ctx.sortie.cree("id", &id)?;
    Ok(Issue::Succes)
}

fn statut(ctx: &Ctx, a: Statut) -> Result<Issue> {
    let mut conn = ctx.ouvrir()?;
    let tx = db::ecriture(&mut conn)?;
    let agent = ctx.agent(&tx)?;
    let action = db::suivi::action(&tx, a.id)?.ok_or_else(|| erreur(format!("action inconnue : {}", a.id)))?;
    let parcours = super::parcours_ouvert_de(&tx, action.parcours_id, &format!("l'action {}", a.id))?;
    if action.statut == a.statut {
        return Err(erreur(format!("l'action {} est déjà « {} »", a.id, a.statut.code())).into());
    }
    let depuis = action.historique.last().map_or(action.cree_le, |c| c.date);
    let jour = date_evenement(
        "le changement",
        ctx.date(a.date),
        ctx.aujourdhui,
        Some((depuis, "son statut actuel")),
    )
    .map_err(erreur)?;
    db::suivi::changer_statut_action(&tx, a.id, a.statut, jour, agent.id)?;
    ctx.consigner(&tx, "parcours action statut", Some(parcours.dossier))?;
    tx.commit()?;
    ctx.dire(format!(
        "Action {} (dossier {}) : {} le {}.",
        a.id,
        parcours.dossier,
        a.statut.code(),
        fr(jour)
    ));
    ctx.sortie.cree("id", &a.id)?;
    Ok(Issue::Succes)
}
