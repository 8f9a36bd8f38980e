//! `spie parcours modifier N`: correct the identity or the contact details.

use anyhow::Result;
use clap::Args;

use super::ChampsIdentite;
use crate::cli::{Ctx, numero};
use crate::error::Issue;
use crate::ops;
use crate::ops::parcours::{Rectification, Rectifie};

#[derive(Debug, Args)]
pub struct Arguments {
    /// Numéro de dossier
    #[arg(value_parser = numero)]
    dossier: i64,
    #[command(flatten)]
    champs: ChampsIdentite,
    /// Modifier même si la nouvelle identité est celle d'un autre dossier (même nom, prénom et
    /// date de naissance) : un homonyme né le même jour
    #[arg(long)]
    forcer: bool,
}

pub fn executer(ctx: &Ctx, a: Arguments) -> Result<Issue> {
    let c = a.champs;
    let c_naissance = c.naissance;
    let rectification = Rectification {
        nom: c.nom,
        prenom: c.prenom,
        naissance: c.naissance,
        commune: c.commune,
        sexe: c.sexe,
        telephone: c.telephone,
        courriel: c.courriel,
        publics: c.publics,
        france_travail: c.france_travail,
        caf: c.caf,
        adresse: c.adresse,
        forcer: a.forcer,
    };
    match ops::parcours::modifier(&mut ctx.session()?, a.dossier, rectification)? {
        Rectifie::Inchange => ctx.dire(format!("Dossier {} : rien n'a changé.", a.dossier)),
        Rectifie::Modifie { doublons } => {
            let improbable = c_naissance.and_then(|n| crate::domain::personne::naissance_improbable(n, ctx.aujourdhui));
            if let Some(attention) = improbable {
                ctx.avertir(attention);
            }
            for autre in doublons {
                ctx.avertir(match autre {
                    Some(autre) => format!("probable doublon du dossier {autre} après cette modification"),
                    None => "probable doublon d'un dossier d'une autre structure après cette modification".into(),
                });
            }
            ctx.dire(format!("Dossier {} modifié.", a.dossier));
        }
    }
    ctx.sortie.cree("dossier", &a.dossier)?;
    Ok(Issue::Succes)
}
