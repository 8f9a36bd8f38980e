//! `spie stats …`: the monthly indicators for the Département.

mod export;
mod mensuel;
mod rapport;

pub use mensuel::fiche;

use anyhow::Result;
use clap::Subcommand;

use super::Ctx;
use crate::domain::indicateurs::Mois;
use crate::error::{Issue, UserError};

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
