//! `spie stats …`: the monthly indicators for the Département.

mod consolider;
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
    /// Consolide les packs de plusieurs structures : le pack et le rapport du territoire
    ///
    /// Lit les packs d'un même mois, écrits sous la même clé de pseudonymisation, vérifie
    /// chacun (empreintes, ancre du journal), compte une seule fois une personne suivie par
    /// plusieurs structures, et écrit indicateurs.csv (par structure, par EPCI et pour le
    /// territoire), parcours.csv et rapport.html. Ne demande aucune base.
    Consolider(consolider::Arguments),
}

pub fn executer(ctx: &Ctx, commande: Commande) -> Result<Issue> {
    match commande {
        Commande::Mensuel(a) => mensuel::executer(ctx, a),
        Commande::Export(a) => export::executer(ctx, a),
        Commande::Rapport(a) => rapport::executer(ctx, a),
        Commande::Consolider(a) => consolider::executer(ctx, a),
    }
}

/// The month of `--mois`, refused when it has not begun.
fn mois_publiable(texte: &str, ctx: &Ctx) -> Result<Mois> {
    Ok(Mois::publiable(texte, ctx.aujourdhui).map_err(UserError::usage)?)
}
