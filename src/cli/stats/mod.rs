//! `spie stats …`: the monthly indicators for the Département.

mod export;
mod mensuel;
mod rapport;

pub use mensuel::fiche;

use anyhow::Result;
use clap::Subcommand;

use rusqlite::Connection;

use super::Ctx;
use crate::db::stats::{Groupement, agregats_et_total};
use crate::domain::indicateurs::Mois;
use crate::domain::secret::SEUIL_MINIMUM;
use crate::error::{Issue, UserError};
use crate::export::pack::{self, Groupe, Table};
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

/// One month as the Département receives it: the groups' indicators, and the table of
/// indicateurs.csv with its secret statistique.
pub struct Publication {
    pub groupes: Vec<Groupe>,
    pub table: Table,
    pub cellules_masquees: usize,
}

/// Months `premier` to `dernier`, each as published. A month's secret statistique takes
/// last month's file active as known (plus this month's entries, minus its exits, it
/// gives this month's), so each month reads the month before it too.
fn publications(conn: &Connection, premier: Mois, dernier: Mois, seuil: u64, ctx: &Ctx) -> Result<Vec<Publication>> {
    let avant = |m: Mois| Mois::de(m.d0 - chrono::Days::new(1));
    let (mut par_epci_avant, mut total_avant) = agregats_et_total(conn, avant(premier), Groupement::Epci)?;
    let mut courant = premier;
    let mut suite: Vec<Publication> = Vec::new();
    loop {
        let (par_epci, total) = agregats_et_total(conn, courant, Groupement::Epci)?;
        let precedente = |code: &str| par_epci_avant.get(code).map_or(0, |a| a.file_active);
        let mut groupes: Vec<Groupe> = par_epci
            .iter()
            .map(|(code, agregat)| Groupe {
                nom: communes::nom_epci(code).unwrap_or("inconnu").to_owned(),
                file_active_precedente: precedente(code),
                code: code.clone(),
                indicateurs: agregat.indicateurs(courant, ctx.aujourdhui, false),
            })
            .collect();
        groupes.push(Groupe {
            code: "total".into(),
            nom: "total".into(),
            indicateurs: total.indicateurs(courant, ctx.aujourdhui, true),
            file_active_precedente: total_avant.file_active,
        });
        let (table, cellules_masquees) = pack::indicateurs(&groupes, seuil);
        suite.push(Publication {
            groupes,
            table,
            cellules_masquees,
        });
        if courant == dernier {
            return Ok(suite);
        }
        (par_epci_avant, total_avant) = (par_epci, total);
        courant = Mois::de(courant.d1 + chrono::Days::new(1));
    }
}
