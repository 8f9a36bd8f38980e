//! `spie parcours effacer N --confirmer`: erasure at the person's request. Identity,
//! contacts and free texts are removed from every table and from the file itself; dates
//! and codes stay, anonymous, so that past statistics do not change.

use anyhow::Result;
use clap::Args;

use crate::cli::{Ctx, numero};
use crate::db;
use crate::error::{Issue, UserError, erreur};

#[derive(Debug, Args)]
pub struct Arguments {
    /// Numéro de dossier
    #[arg(value_parser = numero)]
    dossier: i64,
    /// Confirme l'effacement, qui est définitif
    #[arg(long)]
    confirmer: bool,
}

pub fn executer(ctx: &Ctx, a: Arguments) -> Result<Issue> {
    if !a.confirmer {
        return Err(UserError::usage(format!(
            "l'effacement du dossier {} est définitif : ajoutez --confirmer",
            a.dossier
        ))
        .aide(format!(
            "pour remettre d'abord ses données à la personne : spie parcours exporter {} --sortie FICHIER",
            a.dossier
        ))
        .into());
    }
    let mut conn = ctx.ouvrir()?;
    // Freed pages are overwritten with zeros, not left readable in the file.
    conn.pragma_update(None, "secure_delete", "ON")?;
    let tx = db::ecriture(&mut conn)?;
    ctx.agent(&tx)?;
    db::personne::personne(&tx, a.dossier)?;
    if db::parcours::a_un_parcours_ouvert(&tx, a.dossier)? {
        return Err(erreur(format!("le dossier {} a un parcours ouvert", a.dossier))
            .aide(format!(
                "clôturez-le d'abord : spie parcours clore {} --motif …",
                a.dossier
            ))
            .into());
    }
    let touchees = db::droits::effacer(&tx, a.dossier, ctx.aujourdhui)?;
    ctx.consigner(&tx, "parcours effacer", Some(a.dossier))?;
    tx.commit()?;
    // The old values may still sit in the WAL or in free pages: fold and rewrite the file.
    db::compacter(&conn)?;
    let detail: Vec<String> = touchees
        .iter()
        .filter(|(_, n)| **n > 0)
        .map(|(t, n)| format!("{t} : {n}"))
        .collect();
    ctx.dire(format!(
        "Dossier {} effacé : identité, coordonnées et textes libres supprimés ({}). Reste un résidu anonyme pour les statistiques.",
        a.dossier,
        detail.join(", ")
    ));
    ctx.sortie.cree("dossier", &a.dossier)?;
    Ok(Issue::Succes)
}
