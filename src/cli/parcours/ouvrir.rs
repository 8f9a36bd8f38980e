//! `spie parcours ouvrir`: a new dossier and its first parcours.

use anyhow::Result;
use chrono::NaiveDate;
use clap::Args;

use super::{ChampsIdentite, agent_referent, commune};
use crate::cli::{Ctx, date};
use crate::db;
use crate::db::personne::{Identite, Ressemblance};
use crate::domain::parcours::date_evenement;
use crate::domain::personne;
use crate::error::{Issue, UserError, erreur};

#[derive(Debug, Args)]
pub struct Arguments {
    #[command(flatten)]
    champs: ChampsIdentite,
    /// Agent référent du parcours dès l'entrée
    #[arg(long, value_name = "AGENT")]
    referent: Option<String>,
    /// Date d'entrée dans le parcours [défaut : aujourd'hui]
    #[arg(long, value_parser = date)]
    date: Option<NaiveDate>,
    /// Ouvrir malgré un dossier au même nom, prénom et date de naissance (homonyme)
    #[arg(long)]
    forcer: bool,
}

pub fn executer(ctx: &Ctx, a: Arguments) -> Result<Issue> {
    let mut conn = ctx.ouvrir()?;
    ctx.agent(&conn)?;
    let nom = ctx.exiger(a.champs.nom, "--nom", "Nom", |n| {
        Ok(personne::nom("nom", n).map_err(erreur)?)
    })?;
    let prenom = ctx.exiger(a.champs.prenom, "--prenom", "Prénom", |p| {
        Ok(personne::nom("prénom", p).map_err(erreur)?)
    })?;
    let naissance = ctx.exiger(
        a.champs.naissance.map(|d| d.to_string()),
        "--naissance",
        "Date de naissance (JJ/MM/AAAA)",
        |texte| {
            let date = crate::domain::date::parse(texte).map_err(UserError::usage)?;
            Ok(personne::naissance(date, ctx.aujourdhui)?)
        },
    )?;
    let commune = ctx.exiger(a.champs.commune, "--commune", "Commune de résidence", |c| {
        commune(&conn, c)
    })?;
    let entree = date_evenement("l'entrée", ctx.date(a.date), ctx.aujourdhui, None).map_err(erreur)?;

    let tx = db::ecriture(&mut conn)?;
    let agent = ctx.agent(&tx)?;
    let identite = Identite {
        nom,
        prenom,
        naissance,
        sexe: a.champs.sexe,
        commune: commune.code.to_owned(),
        telephone: a
            .champs
            .telephone
            .as_deref()
            .map(personne::telephone)
            .transpose()
            .map_err(erreur)?,
        courriel: a
            .champs
            .courriel
            .as_deref()
            .map(personne::courriel)
            .transpose()
            .map_err(erreur)?,
        publics: personne::publics(a.champs.publics.as_deref().unwrap_or("")).map_err(erreur)?,
    };
    let referent = a.referent.as_deref().map(|r| agent_referent(&tx, r)).transpose()?;

    for (autre, ressemblance) in db::personne::ressemblants(&tx, &identite, None)? {
        let ouvert = db::parcours::a_un_parcours_ouvert(&tx, autre)?;
        match ressemblance {
            Ressemblance::Identique if !a.forcer => {
                let (message, aide) = if ouvert {
                    (
                        format!("cette personne a déjà un parcours ouvert : dossier {autre}"),
                        format!(
                            "consultez-le avec `spie parcours voir {autre}` ; s'il s'agit d'un homonyme né le même jour, relancez avec --forcer"
                        ),
                    )
                } else {
                    (
                        format!("cette personne a déjà un dossier : {autre} (parcours clos)"),
                        format!(
                            "pour reprendre son suivi : `spie parcours rouvrir {autre}` ; s'il s'agit d'un homonyme né le même jour, relancez avec --forcer"
                        ),
                    )
                };
                return Err(erreur(message).aide(aide).into());
            }
            Ressemblance::Identique => ctx.avertir(format!(
                "dossier {autre} : même nom, prénom et date de naissance (ouvert quand même, --forcer)"
            )),
            Ressemblance::MemeNomEtPrenom => ctx.avertir(format!(
                "probable doublon du dossier {autre} : même nom et prénom, autre date de naissance"
            )),
            Ressemblance::MemeNomEtNaissance => ctx.avertir(format!(
                "probable doublon du dossier {autre} : même nom et date de naissance, autre prénom"
            )),
        }
    }

    let dossier = db::personne::inserer(&tx, &identite, agent.id, ctx.aujourdhui)?;
    let parcours = db::parcours::ouvrir(&tx, dossier, agent.structure_id, entree)?;
    if let Some(r) = &referent {
        db::parcours::designer_referent(&tx, parcours, r.id, entree)?;
    }
    ctx.consigner(&tx, "parcours ouvrir", Some(dossier))?;
    tx.commit()?;

    let suite = match &referent {
        Some(r) => format!("référent : {}", r.identifiant),
        None => format!("sans référent pour l'instant : `spie parcours referent {dossier} AGENT`"),
    };
    ctx.dire(format!(
        "Dossier {dossier} ouvert, entrée le {} ({}) ; {suite}.",
        crate::domain::date::fr(entree),
        agent.structure
    ));
    ctx.sortie.cree("dossier", &dossier)?;
    Ok(Issue::Succes)
}
