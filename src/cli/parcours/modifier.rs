//! `spie parcours modifier N`: correct the identity or the contact details.

use anyhow::Result;
use clap::Args;

use super::{ChampsIdentite, commune};
use crate::cli::{Ctx, numero};
use crate::db;
use crate::domain::personne;
use crate::error::{Issue, UserError, erreur};

#[derive(Debug, Args)]
pub struct Arguments {
    /// Numéro de dossier
    #[arg(value_parser = numero)]
    dossier: i64,
    #[command(flatten)]
    champs: ChampsIdentite,
}

/// `Some("")` clears an optional field, `Some(x)` sets it after validation.
fn optionnel(
    nouveau: Option<String>,
    actuel: Option<String>,
    valider: fn(&str) -> Result<String, String>,
) -> Result<Option<String>> {
    match nouveau {
        None => Ok(actuel),
        Some(v) if v.trim().is_empty() => Ok(None),
        Some(v) => Ok(Some(valider(&v).map_err(erreur)?)),
    }
}

pub fn executer(ctx: &Ctx, arguments: Arguments) -> Result<Issue> {
    let (dossier, a) = (arguments.dossier, arguments.champs);
    let rien = a.nom.is_none()
        && a.prenom.is_none()
        && a.naissance.is_none()
        && a.commune.is_none()
        && a.sexe.is_none()
        && a.telephone.is_none()
        && a.courriel.is_none()
        && a.publics.is_none();
    if rien {
        return Err(UserError::usage("rien à modifier")
            .aide("donnez au moins une option : --nom, --prenom, --naissance, --commune, --sexe, --telephone, --courriel, --public")
            .into());
    }
    let mut conn = ctx.ouvrir()?;
    let tx = db::ecriture(&mut conn)?;
    ctx.agent(&tx)?;
    let avant = db::personne::personne(&tx, dossier)?.identite;
    let mut apres = avant.clone();
    if let Some(n) = a.nom {
        apres.nom = personne::nom("nom", &n).map_err(erreur)?;
    }
    if let Some(p) = a.prenom {
        apres.prenom = personne::nom("prénom", &p).map_err(erreur)?;
    }
    if let Some(n) = a.naissance {
        apres.naissance = personne::naissance(n, ctx.aujourdhui)?;
    }
    if let Some(c) = a.commune {
        apres.commune = commune(&tx, &c)?.code.to_owned();
    }
    if let Some(s) = a.sexe {
        apres.sexe = Some(s);
    }
    apres.telephone = optionnel(a.telephone, apres.telephone, personne::telephone)?;
    apres.courriel = optionnel(a.courriel, apres.courriel, personne::courriel)?;
    if let Some(p) = a.publics {
        apres.publics = personne::publics(&p).map_err(erreur)?;
    }
    ctx.consigner(&tx, "parcours modifier", Some(dossier))?;
    if apres == avant {
        tx.commit()?;
        ctx.dire(format!("Dossier {} : rien n'a changé.", dossier));
    } else {
        let identite_changee =
            (&apres.nom, &apres.prenom, apres.naissance) != (&avant.nom, &avant.prenom, avant.naissance);
        if identite_changee {
            for (autre, _) in db::personne::ressemblants(&tx, &apres, Some(dossier))? {
                ctx.avertir(format!("probable doublon du dossier {autre} après cette modification"));
            }
        }
        db::personne::mettre_a_jour(&tx, dossier, &apres, ctx.aujourdhui)?;
        tx.commit()?;
        ctx.dire(format!("Dossier {} modifié.", dossier));
    }
    ctx.sortie.cree("dossier", &dossier)?;
    Ok(Issue::Succes)
}
