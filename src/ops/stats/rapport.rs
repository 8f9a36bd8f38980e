//! `stats rapport`: one self-contained page for the steering committee, with the month's
//! figures and twelve months of evolution.

use std::path::Path;

use anyhow::Result;

use super::{publications, seuil};
use crate::domain::indicateurs::{Indicateurs, Mois};
use crate::export::{pack, rapport};
use crate::ops::{Exigence, Session};

/// Writes the page of `mois` in `sortie` (never over an existing file).
pub fn rapport(session: &mut Session, mois: Mois, sortie: &Path, seuil_demande: u64) -> Result<()> {
    let seuil = seuil(seuil_demande)?;
    let aujourdhui = session.aujourdhui;
    // Twelve months, the asked one last.
    let (suite, structure) = session.base(Exigence::Agent, false, |tx, _| {
        Ok((
            publications(tx, Mois::de(mois.d0 - chrono::Months::new(11)), mois, seuil, aujourdhui)?,
            crate::db::agent::structure_de_la_base(tx)?,
        ))
    })?;
    let totaux: Vec<_> = suite
        .iter()
        .map(|p| {
            (
                p.groupes.last().map(|g| g.indicateurs.clone()).unwrap_or_default(),
                &p.table,
            )
        })
        .collect();
    let historique: Vec<(&Indicateurs, &pack::Table)> = totaux[totaux.len().saturating_sub(12)..]
        .iter()
        .map(|(i, t)| (i, *t))
        .collect();
    let sujet = rapport::Sujet {
        nom: structure
            .as_deref()
            .unwrap_or("Service public de l'insertion et de l'emploi"),
        structures: None,
    };
    let html = rapport::page(&sujet, &historique, seuil);
    crate::output::fichier::ecrire(Some(sortie), html.as_bytes(), true)
}
