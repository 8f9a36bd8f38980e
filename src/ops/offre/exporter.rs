//! `offre exporter`: the active catalogue of the structure's own sources as data·inclusion
//! v1 structures and services.

use std::collections::{BTreeMap, BTreeSet};

use anyhow::Result;
use rusqlite::Connection;

use crate::db;
use crate::domain::publication::{Ecartee, Options, Publieur};
use crate::export::data_inclusion::Destination;
use crate::ops::{Exigence, Session};

pub struct Export {
    /// The sources named, or `toutes`; none: those not marked external.
    pub sources: Vec<String>,
    pub telephone_international: bool,
}

pub struct Exportees {
    pub services: u64,
    pub structures: u64,
    /// The offers left out, in the order of their numbers, and why.
    pub ecartees: Vec<Ecartee>,
    /// Optional values dropped or reduced, by kind.
    pub retouches: BTreeMap<&'static str, u64>,
    /// The first offers published without a thematique reduced to its category.
    pub categories_seules: Vec<Ecartee>,
    /// The sources exported.
    pub sources: BTreeSet<String>,
    /// The external sources left aside.
    pub externes: Vec<String>,
}

/// Reads the catalogue twice, row by row: once to check the offers and gather their
/// structures, once to write the services to `destination` as they are made.
pub fn exporter(session: &mut Session, e: Export, destination: &mut dyn Destination) -> Result<Exportees> {
    let aujourdhui = session.aujourdhui;
    session.base(Exigence::Agent, false, |conn, _| {
        let (sources, externes) = choisir_sources(conn, &e.sources)?;
        let mut publieur = Publieur::new(Options {
            aujourdhui,
            telephone_international: e.telephone_international,
        });
        db::offre::parcourir_actives(conn, |o| {
            if sources.contains(&o.source) {
                publieur.examiner(&o.source, &o.offre, o.provenance.as_ref());
            }
            Ok(true)
        })?;
        destination.structures(publieur.structures())?;
        let mut services = 0;
        db::offre::parcourir_actives(conn, |o| {
            if sources.contains(&o.source)
                && let Some(service) = publieur.service(&o.source, &o.offre)
            {
                destination.service(&service)?;
                services += 1;
            }
            Ok(!destination.abandonnee())
        })?;
        Ok(Exportees {
            services,
            structures: publieur.structures().len() as u64,
            ecartees: publieur.ecartees,
            retouches: publieur.retouches,
            categories_seules: publieur.categories_seules,
            sources,
            externes,
        })
    })
}

/// The sources to export: those named, all of them, or those not marked external; and
/// the external ones left aside by default.
fn choisir_sources(conn: &Connection, demandees: &[String]) -> Result<(BTreeSet<String>, Vec<String>)> {
    let toutes = db::offre::sources_et_editeurs(conn)?;
    let demandees: Vec<&str> = demandees.iter().map(|s| s.trim()).filter(|s| !s.is_empty()).collect();
    if demandees.is_empty() {
        let (externes, propres): (Vec<_>, Vec<_>) = toutes.into_iter().partition(|(_, externe)| *externe);
        return Ok((
            propres.into_iter().map(|(n, _)| n).collect(),
            externes.into_iter().map(|(n, _)| n).collect(),
        ));
    }
    if demandees == ["toutes"] {
        return Ok((toutes.into_iter().map(|(n, _)| n).collect(), Vec::new()));
    }
    let mut choisies = BTreeSet::new();
    for nom in demandees {
        // A source, with its producers (`data-inclusion` gives `data-inclusion/…` too).
        let producteurs = format!("{nom}/");
        let de_la_source: Vec<&String> = (toutes.iter().map(|(n, _)| n))
            .filter(|n| *n == nom || n.starts_with(&producteurs))
            .collect();
        if de_la_source.is_empty() {
            return Err(super::source_inconnue(conn, nom)?.into());
        }
        choisies.extend(de_la_source.into_iter().cloned());
    }
    Ok((choisies, Vec::new()))
}
