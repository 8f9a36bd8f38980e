//! `spie parcours effacer N --confirmer`: erasure at the person's request. Every row
//! about the person is deleted, and the file rewritten; what they counted in past
//! months' figures stays as anonymous counts, so that those figures do not change.

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
    let supprimees = db::droits::effacer(&tx, a.dossier, ctx.aujourdhui)?;
    ctx.consigner(&tx, "parcours effacer", Some(a.dossier))?;
    tx.commit()?;
    // The old values may still sit in the WAL or in free pages: fold and rewrite the file.
    db::compacter(&conn)?;
    let detail: Vec<String> = supprimees
        .iter()
        .filter(|(_, n)| **n > 0)
        .map(|(t, n)| format!("{t} : {n}"))
        .collect();
    ctx.dire(format!(
        "Dossier {} effacé : toutes ses données sont supprimées ({}). Les chiffres des mois passés restent les mêmes : ce qu'il y comptait est gardé en comptes anonymes.",
        a.dossier,
        detail.join(", ")
    ));
    ctx.sortie.cree("dossier", &a.dossier)?;
    Ok(Issue::Succes)
}
