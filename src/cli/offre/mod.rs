//! `spie offre …`: the territory's catalogue of support offers.

mod chercher;
mod exporter;
mod importer;
mod prescription;
mod prescrire;
mod proposer;
mod sources;
mod thematiques;
mod voir;

// `parcours action ajouter --offre` names it here until it calls the use cases itself.

use anyhow::Result;
use clap::Subcommand;

use super::Ctx;
use crate::error::Issue;

#[derive(Debug, Subcommand)]
pub enum Commande {
    /// Importe la liste d'offres d'un partenaire (CSV, classeur, JSON) ; aperçu sans --appliquer
    ///
    /// Le fichier peut être un CSV (encodage et séparateur détectés), un classeur .xlsx, .xls,
    /// .ods ou .xlsb (--feuille), ou un fichier JSON d'objets comme le catalogue national
    /// data·inclusion (--structures, --departement). Les colonnes sont reconnues par leur nom
    /// data·inclusion ou un synonyme français ; un profil TOML (--profil) décrit toute autre
    /// présentation.
    Importer(importer::Arguments),
    /// Cherche dans le catalogue : mots, thématique, commune et rayon, public, frais
    Chercher(chercher::Arguments),
    /// Affiche une offre
    Voir(voir::Arguments),
    Sources(sources::Arguments),
    /// Propose les offres qui répondent aux besoins d'une personne, avec les raisons
    Proposer(proposer::Arguments),
    /// Prescrit une offre : elle devient une action du parcours
    Prescrire(prescrire::Arguments),
    /// Note la réponse du partenaire à une prescription : envoyee, acceptee, refusee, realisee, abandonnee
    ///
    /// Exemple : spie offre prescription 14 refusee --motif "places complètes"
    Prescription(prescription::Arguments),
    Exporter(exporter::Arguments),
    /// Les thématiques data·inclusion : codes et libellés, filtrés par des mots
    ///
    /// `spie offre thematiques permis` donne le code à taper pour « Préparer un permis ».
    Thematiques(thematiques::Arguments),
}

pub fn executer(ctx: &Ctx, commande: Commande) -> Result<Issue> {
    match commande {
        Commande::Importer(a) => importer::executer(ctx, a),
        Commande::Chercher(a) => chercher::executer(ctx, a),
        Commande::Voir(a) => voir::executer(ctx, a),
        Commande::Sources(a) => sources::executer(ctx, a),
        Commande::Proposer(a) => proposer::executer(ctx, a),
        Commande::Prescrire(a) => prescrire::executer(ctx, a),
        Commande::Prescription(a) => prescription::executer(ctx, a),
        Commande::Exporter(a) => exporter::executer(ctx, a),
        Commande::Thematiques(a) => thematiques::executer(ctx, a),
    }
}

/// The « Km » cell of an offer: its distance, or « à distance » for an offer followed
/// remotely that is shown whatever the distance.
fn km(distance: Option<f64>, a_distance: bool) -> crate::output::Valeur {
    match (distance, a_distance) {
        (Some(d), _) => crate::domain::texte::decimal(d, 1).into(),
        (None, true) => "à distance".into(),
        (None, false) => None::<String>.into(),
    }
}

/// Says what « à distance » means, under a list where some offer shows it.
fn expliquer_a_distance(ctx: &Ctx, montre: bool, apres: &str) {
    // The JSON says it in a field of its own (`a_distance`).
    let colonne = match ctx.sortie.format {
        crate::output::Format::Json => None,
        crate::output::Format::Csv => Some("distance_km"),
        crate::output::Format::Table => Some("Km"),
    };
    if let Some(colonne) = colonne.filter(|_| montre) {
        ctx.dire(format!(
            "« à distance » (colonne {colonne}) : l'offre se suit sans se déplacer (téléphone, visioconférence, en \
             ligne) ; {apres}."
        ));
    }
}
