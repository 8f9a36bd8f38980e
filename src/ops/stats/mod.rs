//! The use cases of `spie stats …`: aggregated figures only, for any registered agent.

mod consolider;
mod export;
mod mensuel;
mod rapport;

pub use consolider::{Consolidation, PackTerritoire, RAPPORT, consolider};
pub use export::{Export, Pack, exporter};
pub use mensuel::{Groupe, Mensuel, mensuel};
pub use rapport::rapport;

use anyhow::Result;
use chrono::NaiveDate;
use rusqlite::Connection;

use crate::db::stats::{Groupement, agregats_et_total};
use crate::domain::indicateurs::Mois;
use crate::domain::secret::SEUIL_MINIMUM;
use crate::error::UserError;
use crate::export::pack::{self, Groupe as GroupePublie, Table};
use crate::referentiel::communes;

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
struct Publication {
    groupes: Vec<GroupePublie>,
    table: Table,
    cellules_masquees: usize,
}

/// Months `premier` to `dernier`, each as published. A month's secret statistique takes
/// last month's file active as known (plus this month's entries, minus its exits, it
/// gives this month's), so each month reads the month before it too.
/// The published indicators of each month from `premier` to `dernier`, per EPCI and in
/// total, small counts hidden under `seuil`.
fn publications(
    conn: &Connection,
    premier: Mois,
    dernier: Mois,
    seuil: u64,
    aujourdhui: NaiveDate,
) -> Result<Vec<Publication>> {
    let avant = |m: Mois| Mois::de(m.d0 - chrono::Days::new(1));
    let (mut par_epci_avant, mut total_avant) = agregats_et_total(conn, avant(premier), Groupement::Epci)?;
    let mut courant = premier;
    let mut suite: Vec<Publication> = Vec::new();
    loop {
        let (par_epci, total) = agregats_et_total(conn, courant, Groupement::Epci)?;
        let precedente = |code: &str| par_epci_avant.get(code).map_or(0, |a| a.file_active);
        let mut groupes: Vec<GroupePublie> = par_epci
            .iter()
            .map(|(code, agregat)| GroupePublie {
                nom: communes::nom_epci(code).unwrap_or("inconnu").to_owned(),
                file_active_precedente: precedente(code),
                code: code.clone(),
                indicateurs: agregat.indicateurs(courant, aujourdhui, false),
            })
            .collect();
        groupes.push(GroupePublie {
            code: "total".into(),
            nom: "total".into(),
            indicateurs: total.indicateurs(courant, aujourdhui, true),
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
