//! `spie stats …`: the monthly indicators for the Département.

mod export;
mod mensuel;
mod rapport;

pub use mensuel::fiche;

use anyhow::Result;
use clap::Subcommand;

use rusqlite::Connection;

use super::Ctx;
use crate::db::stats::{Groupement, agregats, indicateurs};
use crate::domain::indicateurs::Mois;
use crate::domain::secret::SEUIL_MINIMUM;
use crate::error::{Issue, UserError};
use crate::export::pack::Groupe;
use crate::referentiel::communes;

#[derive(Debug, Subcommand)]
pub enum Commande {
    /// Les indicateurs d'un mois (par défaut le dernier mois complet)
    Mensuel(mensuel::Arguments),
    /// Écrit le pack du Département : indicateurs.csv et parcours.csv (pseudonymisés)
    ///
    /// Demande la clé de pseudonymisation du Département dans SPIE_CLE_PSEUDO. Les effectifs
    /// sous le seuil sont masqués, ainsi que les cellules qui permettraient de les retrouver.
    Export(export::Arguments),
    /// Écrit une page HTML autonome pour le comité de pilotage : chiffres du mois et graphiques
    Rapport(rapport::Arguments),
}

pub fn executer(ctx: &Ctx, commande: Commande) -> Result<Issue> {
    match commande {
        Commande::Mensuel(a) => mensuel::executer(ctx, a),
        Commande::Export(a) => export::executer(ctx, a),
        Commande::Rapport(a) => rapport::executer(ctx, a),
    }
}

/// The month of `--mois`, refused when it has not begun.
fn mois_publiable(texte: &str, ctx: &Ctx) -> Result<Mois> {
    Ok(Mois::publiable(texte, ctx.aujourdhui).map_err(UserError::usage)?)
}

/// The threshold of `--seuil`: it can be raised, never lowered below the minimum.
fn seuil(seuil: u64) -> Result<u64> {
    if seuil < SEUIL_MINIMUM {
        return Err(UserError::usage(format!(
            "--seuil {seuil} : le seuil du secret statistique ne descend pas sous {SEUIL_MINIMUM}"
        ))
        .aide(format!(
            "il peut être relevé (--seuil 10), pas abaissé ; sans --seuil, il vaut {SEUIL_MINIMUM}"
        ))
        .into());
    }
    Ok(seuil)
}

/// The rows of the Département's indicators (the pack's, and the report's table): each
/// EPCI of residence, then the total, each with its file active of the month before.
fn groupes_epci(conn: &Connection, mois: Mois, ctx: &Ctx) -> Result<Vec<Groupe>> {
    let precedent = Mois::de(mois.d0 - chrono::Days::new(1));
    let avant = agregats(conn, precedent, Groupement::Epci)?;
    let avant_total = agregats(conn, precedent, Groupement::Total)?;
    let anterieure = |groupes: &std::collections::BTreeMap<String, _>, code: &str| {
        groupes
            .get(code)
            .map_or(0, |a: &crate::domain::indicateurs::Agregat| a.file_active)
    };
    let mut groupes: Vec<Groupe> = agregats(conn, mois, Groupement::Epci)?
        .into_iter()
        .map(|(code, agregat)| Groupe {
            nom: communes::nom_epci(&code).unwrap_or("inconnu").to_owned(),
            file_active_precedente: anterieure(&avant, &code),
            code,
            indicateurs: agregat.indicateurs(mois, ctx.aujourdhui, false),
        })
        .collect();
    groupes.push(Groupe {
        code: "total".into(),
        nom: "total".into(),
        indicateurs: indicateurs(conn, mois, ctx.aujourdhui)?,
        file_active_precedente: anterieure(&avant_total, ""),
    });
    Ok(groupes)
}
