//! `spie diagnostic …`: the systematic social and professional diagnostic. Dispatch, the
//! `--motif` of the reads and the view of one diagnostic shared by the commands; one file
//! per command, each calling its use case in [`crate::ops::diagnostic`].

mod a_faire;
mod comparer;
mod erreur;
mod grille;
mod nouveau;
mod saisie;
mod voir;

use anyhow::Result;
use clap::{Args, Subcommand};

use super::Ctx;
use crate::domain::date;
use crate::domain::diagnostic::{Diagnostic, Reponses};
use crate::domain::grille::{Dimension, GRILLE};
use crate::error::Issue;
use crate::output::{Section, Valeur};
use crate::referentiel::thematiques;

#[derive(Debug, Subcommand)]
pub enum Commande {
    /// Affiche la grille : les 8 contraintes, leurs situations, la partie professionnelle
    Grille,
    /// Enregistre un nouveau diagnostic (questions sur un terminal, options ou fichier JSON)
    ///
    /// Sans option ni fichier, sur un terminal, spie parcourt la grille dimension par dimension
    /// puis demande confirmation. Les réponses absentes sont enregistrées « non abordé » ou « non
    /// renseigné » ; sans aucune réponse, rien n'est enregistré. L'orientation suggérée est
    /// affichée ensuite.
    Nouveau(nouveau::Arguments),
    /// Affiche le dernier diagnostic d'un dossier (ou tous avec --historique)
    Voir(voir::Arguments),
    /// Ce qui a changé entre les deux derniers diagnostics
    Comparer(comparer::Arguments),
    /// Les parcours ouverts sans diagnostic au-delà du délai
    AFaire(a_faire::Arguments),
    /// Marque un diagnostic « saisi par erreur » : gardé dans l'historique, hors statistiques et
    /// comparaisons
    Erreur(erreur::Arguments),
}

pub fn executer(ctx: &Ctx, commande: Commande) -> Result<Issue> {
    match commande {
        Commande::Grille => grille::executer(ctx),
        Commande::Nouveau(a) => nouveau::executer(ctx, a),
        Commande::Voir(a) => voir::executer(ctx, a),
        Commande::Comparer(a) => comparer::executer(ctx, a),
        Commande::AFaire(a) => a_faire::executer(ctx, a),
        Commande::Erreur(a) => erreur::executer(ctx, a),
    }
}

/// The dossier a read names, and the break-glass reason.
#[derive(Debug, Args)]
pub struct Lecture {
    /// Numéro de dossier
    #[arg(value_parser = super::numero)]
    dossier: i64,
    /// Raison d'ouvrir un dossier que vous ne suivez pas (urgence) : l'accès est permis en
    /// lecture, une fois, inscrit au journal des accès et signalé à son référent
    #[arg(long)]
    motif: Option<String>,
}

fn oui_non(v: Option<bool>) -> &'static str {
    match v {
        Some(true) => "oui",
        Some(false) => "non",
        None => "non renseigné",
    }
}

/// The label of a situation code of a dimension.
fn situation(d: Dimension, code: &str) -> String {
    d.definition()
        .situations
        .iter()
        .find(|(c, _)| *c == code)
        .map_or(code.to_owned(), |(_, l)| l.to_string())
}

/// One diagnostic as sections of a detailed view.
/// The constraints, one row per dimension of the grid.
fn contraintes(r: &Reponses) -> Section {
    Section::new("Contraintes").tableau(
        vec!["Dimension", "Niveau", "Situations", "Commentaire"],
        GRILLE
            .iter()
            .map(|def| {
                let c = r.contraintes.get(&def.dimension).cloned().unwrap_or_default();
                let situations: Vec<String> = c.situations.iter().map(|s| situation(def.dimension, s)).collect();
                vec![
                    def.libelle.into(),
                    c.niveau().mot().into(),
                    situations.join(", ").into(),
                    Valeur::from(c.commentaire),
                ]
            })
            .collect(),
    )
}

fn sections(d: &Diagnostic) -> Vec<Section> {
    let r = &d.reponses;
    let completude = if d.complet {
        "complet".to_string()
    } else {
        format!("incomplet (manque : {})", r.manques().join(", "))
    };
    let besoins: Vec<String> = r
        .besoins
        .iter()
        .map(|b| match thematiques::libelle(b) {
            l if l == b => b.clone(),
            l => format!("{l} ({b})"),
        })
        .collect();
    vec![
        Section::new(format!(
            "Diagnostic du {} (n° {}, par {})",
            date::fr(d.date),
            d.id,
            d.agent_nom
        ))
        .champ("Complétude", completude)
        .champ(
            "Saisi par erreur",
            d.saisi_par_erreur.as_ref().map(|e| {
                format!(
                    "le {} : {} (hors statistiques et comparaisons)",
                    date::fr(e.le),
                    e.motif
                )
            }),
        )
        .champ(
            "Orientation suggérée",
            format!(
                "{} — règle {} : {}",
                d.suggestion.orientation.mot(),
                d.suggestion.regle,
                d.suggestion.explication
            ),
        ),
        contraintes(r),
        Section::new("Situation professionnelle")
            .champ("Activité sur 24 mois", oui_non(r.activite_24_mois))
            .champ("Projet", r.projet.map_or("non renseigné".into(), |p| p.libelle()))
            .champ(
                "Niveau de formation",
                r.niveau_formation
                    .map_or("non renseigné".into(), |n| format!("{} ({})", n.code(), n.libelle())),
            )
            .champ("Besoins", besoins.join(", ")),
    ]
}
