//! `spie stats …`: the monthly indicators for the Département.

mod mensuel;

pub use mensuel::fiche;

use anyhow::Result;
use clap::Subcommand;

use super::Ctx;
use crate::error::Issue;

#[derive(Debug, Subcommand)]
pub enum Commande {
    /// Les indicateurs d'un mois (par défaut le dernier mois complet)
    Mensuel(mensuel::Arguments),
}

pub fn executer(ctx: &Ctx, commande: Commande) -> Result<Issue> {
    match commande {
        Commande::Mensuel(a) => mensuel::executer(ctx, a),
    }
}
