//! `spie parcours ouvrir`: a new dossier and its first parcours.

use anyhow::Result;
use chrono::NaiveDate;
use clap::Args;

use super::ChampsIdentite;
use crate::cli::{Ctx, date};
use crate::db::personne::Ressemblance;
use crate::domain::personne;
use crate::domain::personne::Identite;
use crate::error::{Issue, UserError, erreur};
use crate::ops;
use crate::referentiel::communes;

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
    let mut session = ctx.session()?;
    let identite = identite(ctx, a.champs, &session.departement()?)?;
    if let Some(attention) = personne::naissance_improbable(identite.naissance, ctx.aujourdhui) {
        ctx.avertir(attention);
    }
    let ouverture = ops::parcours::Ouverture {
        identite,
        referent: a.referent,
        date: a.date,
        forcer: a.forcer,
    };
    let o = ops::parcours::ouvrir(&mut session, ouverture)?;
    for (autre, ressemblance) in &o.doublons {
        ctx.avertir(doublon(*autre, *ressemblance));
    }
    let suite = match &o.referent {
        Some(r) => format!("référent : {r}"),
        None => format!(
            "sans référent pour l'instant : `spie parcours referent {} AGENT`",
            o.dossier
        ),
    };
    ctx.dire(format!(
        "Dossier {} ouvert, entrée le {} ({}) ; {suite}.",
        o.dossier,
        crate::domain::date::fr(o.entree),
        o.structure
    ));
    ctx.sortie.cree("dossier", &o.dossier)?;
    Ok(Issue::Succes)
}

/// The warning for another dossier that may be the same person: named by its number,
/// unless another structure holds it.
fn doublon(autre: Option<i64>, ressemblance: Ressemblance) -> String {
    let (le, du) = match autre {
        Some(n) => (format!("dossier {n}"), format!("du dossier {n}")),
        None => (
            "un dossier d'une autre structure".to_owned(),
            "d'un dossier d'une autre structure".to_owned(),
        ),
    };
    match ressemblance {
        Ressemblance::Identique => {
            format!("{le} : même nom, prénom et date de naissance (ouvert quand même, --forcer)")
        }
        Ressemblance::MemeNomEtPrenom => {
            format!("probable doublon {du} : même nom et prénom, autre date de naissance")
        }
        Ressemblance::MemeNomEtNaissance => {
            format!("probable doublon {du} : même nom et date de naissance, autre prénom")
        }
    }
}

/// The identity from the flags, what is missing asked at a terminal; the commune is
/// resolved in the base's département first.
fn identite(ctx: &Ctx, c: ChampsIdentite, departement: &str) -> Result<Identite> {
    let nom = ctx.exiger(c.nom, "--nom", "Nom", |n| Ok(personne::nom("nom", n).map_err(erreur)?))?;
    let prenom = ctx.exiger(c.prenom, "--prenom", "Prénom", |p| {
        Ok(personne::nom("prénom", p).map_err(erreur)?)
    })?;
    let naissance = ctx.exiger(
        c.naissance.map(|d| d.to_string()),
        "--naissance",
        "Date de naissance (JJ/MM/AAAA)",
        |texte| {
            let date = crate::domain::date::parse(texte).map_err(UserError::usage)?;
            Ok(personne::naissance(date, ctx.aujourdhui)?)
        },
    )?;
    let commune = ctx.exiger(c.commune, "--commune", "Commune de résidence", |c| {
        Ok(communes::resoudre(c, departement).map_err(UserError::from)?)
    })?;
    let optionnel = |v: Option<String>, valider: fn(&str) -> Result<String, String>| -> Result<Option<String>> {
        Ok(v.as_deref().map(valider).transpose().map_err(erreur)?)
    };
    Ok(Identite {
        nom,
        prenom,
        naissance,
        sexe: c.sexe,
        commune: commune.code.to_owned(),
        telephone: optionnel(c.telephone, personne::telephone)?,
        courriel: optionnel(c.courriel, personne::courriel)?,
        publics: personne::publics(c.publics.as_deref().unwrap_or("")).map_err(erreur)?,
        france_travail: optionnel(c.france_travail, personne::france_travail)?,
        caf: optionnel(c.caf, personne::caf)?,
        adresse: optionnel(c.adresse, personne::adresse)?,
    })
}
