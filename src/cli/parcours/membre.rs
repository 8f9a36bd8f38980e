//! `spie parcours membre ajouter|retirer N AGENT`: the team around the référent. An agent
//! of another structure joins only with the person's consent to share, or with a written
//! reason that is kept.

use anyhow::Result;
use chrono::NaiveDate;
use clap::{Args, Subcommand};

use super::parcours_ouvert;
use crate::cli::{Ctx, date, numero};
use crate::db;
use crate::domain::date::fr;
use crate::domain::parcours::date_evenement;
use crate::domain::texte::champ_libre;
use crate::error::{Issue, UserError, erreur};

#[derive(Debug, Subcommand)]
pub enum Commande {
    /// Ajoute un agent à l'équipe du parcours
    Ajouter(Ajout),
    /// Retire un agent de l'équipe (l'historique est gardé)
    Retirer(Retrait),
}

#[derive(Debug, Args)]
pub struct Ajout {
    /// Numéro de dossier
    #[arg(value_parser = numero)]
    dossier: i64,
    /// Identifiant de l'agent
    #[arg(value_name = "AGENT")]
    membre: String,
    /// Ajouter un agent d'une autre structure sans le consentement de la personne
    #[arg(long, requires = "motif")]
    sans_consentement: bool,
    /// Raison écrite de l'ajout sans consentement (gardée et visible)
    #[arg(long)]
    motif: Option<String>,
    /// Date d'arrivée dans l'équipe [défaut : aujourd'hui]
    #[arg(long, value_parser = date)]
    date: Option<NaiveDate>,
}

#[derive(Debug, Args)]
pub struct Retrait {
    /// Numéro de dossier
    #[arg(value_parser = numero)]
    dossier: i64,
    /// Identifiant de l'agent
    #[arg(value_name = "AGENT")]
    membre: String,
    /// Date de départ de l'équipe [défaut : aujourd'hui]
    #[arg(long, value_parser = date)]
    date: Option<NaiveDate>,
}

pub fn executer(ctx: &Ctx, commande: Commande) -> Result<Issue> {
    match commande {
        Commande::Ajouter(a) => ajouter(ctx, a),
        Commande::Retirer(a) => retirer(ctx, a),
    }
}

fn ajouter(ctx: &Ctx, a: Ajout) -> Result<Issue> {
    let motif = a
        .motif
        .as_deref()
        .map(|m| champ_libre("motif", m, 2000))
        .transpose()
        .map_err(erreur)?;
    if a.sans_consentement && motif.as_deref().is_none_or(str::is_empty) {
        return Err(UserError::usage("--sans-consentement demande une raison écrite : --motif \"…\"").into());
    }
    let mut conn = ctx.ouvrir()?;
    let tx = db::ecriture(&mut conn)?;
    ctx.agent(&tx)?;
    let parcours = parcours_ouvert(&tx, a.dossier)?;
    let membre = db::agent::agent(&tx, &a.membre)?;
    let jour = super::date_dans(ctx, "l'arrivée dans l'équipe", a.date, &parcours)?;
    if db::suivi::membres(&tx, parcours.id)?
        .iter()
        .any(|m| m.agent == membre.identifiant && m.fin.is_none())
    {
        return Err(erreur(format!(
            "{} fait déjà partie de l'équipe du dossier {}",
            membre.identifiant, a.dossier
        ))
        .into());
    }
    if parcours.referent_actif().is_some_and(|r| r.agent == membre.identifiant) {
        return Err(erreur(format!(
            "{} est le référent du dossier {} : il fait déjà partie de l'équipe",
            membre.identifiant, a.dossier
        ))
        .into());
    }
    let autre_structure = membre.structure_id != parcours.structure_id;
    let consentement = db::suivi::consentements(&tx, a.dossier)?
        .into_iter()
        .rfind(|c| c.date <= jour);
    let partage = consentement.as_ref().is_some_and(|c| c.partage);
    let motif_enregistre = if autre_structure && !partage {
        if !a.sans_consentement {
            let etat = match &consentement {
                Some(c) => format!("la personne a refusé le partage le {}", fr(c.date)),
                None => "aucun consentement au partage n'est enregistré".to_string(),
            };
            return Err(erreur(format!(
                "{} appartient à une autre structure ({}) et {etat}",
                membre.identifiant, membre.structure
            ))
            .aide(format!(
                "recueillez l'accord de la personne puis : spie parcours consentement {} --partage oui ; \
                 à défaut, et seulement si c'est nécessaire : --sans-consentement --motif \"…\"",
                a.dossier
            ))
            .into());
        }
        motif.as_deref()
    } else {
        None
    };
    db::suivi::ajouter_membre(&tx, parcours.id, membre.id, jour, motif_enregistre)?;
    ctx.consigner(&tx, "parcours membre ajouter", Some(a.dossier))?;
    tx.commit()?;
    if motif_enregistre.is_some() {
        ctx.avertir(format!(
            "{} ajouté sans le consentement de la personne ; la raison est enregistrée",
            membre.identifiant
        ));
    }
    ctx.dire(format!(
        "Dossier {} : {} ({}) rejoint l'équipe le {}.",
        a.dossier,
        membre.identifiant,
        membre.structure,
        fr(jour)
    ));
    ctx.sortie.cree("dossier", &a.dossier)?;
    Ok(Issue::Succes)
}

fn retirer(ctx: &Ctx, a: Retrait) -> Result<Issue> {
    let mut conn = ctx.ouvrir()?;
    let tx = db::ecriture(&mut conn)?;
    ctx.agent(&tx)?;
    let parcours = parcours_ouvert(&tx, a.dossier)?;
    let membre = db::agent::agent(&tx, &a.membre)?;
    let actif = db::suivi::membres(&tx, parcours.id)?
        .into_iter()
        .find(|m| m.agent == membre.identifiant && m.fin.is_none());
    let Some(actif) = actif else {
        return Err(erreur(format!(
            "{} ne fait pas partie de l'équipe du dossier {}",
            membre.identifiant, a.dossier
        ))
        .into());
    };
    let jour = date_evenement(
        "le départ de l'équipe",
        ctx.date(a.date),
        ctx.aujourdhui,
        Some((actif.debut, "son arrivée")),
    )
    .map_err(erreur)?;
    db::suivi::retirer_membre(&tx, parcours.id, membre.id, jour)?;
    ctx.consigner(&tx, "parcours membre retirer", Some(a.dossier))?;
    tx.commit()?;
    ctx.dire(format!(
        "Dossier {} : {} quitte l'équipe le {}.",
        a.dossier,
        membre.identifiant,
        fr(jour)
    ));
    ctx.sortie.cree("dossier", &a.dossier)?;
    Ok(Issue::Succes)
}
