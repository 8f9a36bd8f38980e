//! `spie parcours chercher`: find a dossier by name, given name or birth date.

use anyhow::Result;
use clap::Args;

use super::liste::afficher;
use crate::cli::Ctx;
use crate::db;
use crate::db::parcours::Filtre;
use crate::domain::{date, texte};
use crate::error::{Issue, UserError};

const LIMITE: usize = 50;

#[derive(Debug, Args)]
pub struct Arguments {
    /// Début du nom et/ou du prénom (accents et majuscules indifférents), et/ou une date
    /// de naissance : "dup mar", "12/03/1985", "martin 1985-03-12"
    #[arg(required = true, num_args = 1.., value_name = "TEXTE")]
    texte: Vec<String>,
}

pub fn executer(ctx: &Ctx, a: Arguments) -> Result<Issue> {
    let mut naissance = None;
    let mut mots = Vec::new();
    for morceau in a.texte.iter().flat_map(|t| t.split_whitespace()) {
        match date::parse(morceau) {
            Ok(d) => naissance = Some(d),
            Err(_) => mots.extend(texte::mots(morceau)),
        }
    }
    if mots.is_empty() && naissance.is_none() {
        return Err(UserError::usage("rien à chercher : donnez un nom, un prénom ou une date de naissance").into());
    }
    let conn = ctx.ouvrir()?;
    ctx.agent(&conn)?;
    ctx.consigner(&conn, "parcours chercher", None)?;
    let dossiers = db::personne::chercher(&conn, &mots, naissance, LIMITE + 1)?;
    if dossiers.len() > LIMITE {
        ctx.avertir(format!(
            "plus de {LIMITE} dossiers correspondent ; seuls {LIMITE} sont affichés, précisez la recherche"
        ));
    }
    let filtre = Filtre {
        dossiers: Some(dossiers),
        limite: Some(LIMITE),
        ..Filtre::default()
    };
    afficher(ctx, db::parcours::lignes(&conn, &filtre)?)
}
