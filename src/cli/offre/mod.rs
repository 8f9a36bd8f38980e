//! `spie offre …`: the territory's catalogue of support offers.

mod importer;

use anyhow::Result;
use clap::Subcommand;

use super::Ctx;
use crate::error::Issue;

#[derive(Debug, Subcommand)]
pub enum Commande {
    /// Importe la liste d'offres d'un partenaire (CSV) ; aperçu sans --appliquer
    ///
    /// L'encodage (UTF-8 avec ou sans BOM, UTF-16, Windows-1252) et le séparateur (; , tabulation |)
    /// sont détectés. Les colonnes sont reconnues par leur nom data·inclusion ou un synonyme
    /// français ; un profil TOML (--profil) décrit toute autre présentation.
    Importer(importer::Arguments),
}

pub fn executer(ctx: &Ctx, commande: Commande) -> Result<Issue> {
    match commande {
        Commande::Importer(a) => importer::executer(ctx, a),
    }
}
