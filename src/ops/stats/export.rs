//! `stats export`: the Département's pack — `indicateurs.csv` (per EPCI and total, small
//! counts hidden) and `parcours.csv` (one pseudonymised, k-anonymous line per parcours).
//! No name, birth date, contact nor free text; both files describe the base as it stood
//! at the month's last day.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use serde::Serialize;

use super::{publications, seuil};
use crate::db;
use crate::domain::indicateurs::Mois;
use crate::domain::pseudonyme::Cle;
use crate::export::csv_pour_tableur;
use crate::export::manifeste::{Etat, Manifeste, empreinte};
use crate::export::pack::{self, ANCRE, ESSAI, INDICATEURS, MANIFESTE, PARCOURS, SIGNATURE, TERRITOIRE, Table};
use crate::ops::{Exigence, Session};

pub struct Export<'a> {
    pub mois: Mois,
    /// The folder of the two files.
    pub sortie: PathBuf,
    pub seuil: u64,
    /// The Département's pseudonymisation key.
    pub cle: &'a Cle,
}

#[derive(Serialize)]
pub struct Pack {
    pub mois: String,
    pub provisoire: bool,
    pub dossier: String,
    pub indicateurs: usize,
    pub parcours: usize,
    pub cellules_masquees: usize,
    pub parcours_masques: usize,
    /// The parcours of the month before hiding: none written out of many means anonymity
    /// hid them all.
    #[serde(skip)]
    pub parcours_du_mois: usize,
    /// The threshold applied.
    #[serde(skip)]
    pub seuil: u64,
    /// The head of the base's audit trail when the pack was written (`POSITION:HASH`).
    pub ancre: Option<String>,
}

pub(super) fn ecrire(chemin: &Path, table: &Table) -> Result<()> {
    let entetes: Vec<&str> = table.entetes.iter().map(String::as_str).collect();
    crate::output::fichier::ecrire(Some(chemin), &csv_pour_tableur(&entetes, &table.lignes)?, true)
}

/// Writes the pack of `e.mois` in `e.sortie`; the export is audited.
pub fn exporter(session: &mut Session, e: Export<'_>) -> Result<Pack> {
    let seuil = seuil(e.seuil)?;
    let aujourdhui = session.aujourdhui;
    // The pack holds a line per person (pseudonymised, with the key its writer chooses):
    // an administrator's work, never an agent's who may not read those dossiers.
    let (dernier, lignes, ancre, essai, (territoire, structure, cles)) =
        session.base(Exigence::Admin, false, |tx, _| {
            let dernier = publications(tx, e.mois, e.mois, seuil, aujourdhui)?.pop();
            Ok((
                dernier,
                db::stats::lignes_export(tx, e.mois)?,
                db::acces::tete(tx)?,
                db::meta::essai(tx)?,
                (
                    db::stats::comptes_du_territoire(tx, e.mois)?,
                    db::agent::structure_de_la_base(tx)?,
                    db::echange::cles(tx)?,
                ),
            ))
        })?;
    let dernier = dernier.context("aucune publication pour le mois demandé")?;
    let provisoire = dernier
        .groupes
        .last()
        .is_some_and(|g| g.indicateurs.provisoire || g.indicateurs.mois_en_cours);
    let (indicateurs, cellules_masquees) = (dernier.table, dernier.cellules_masquees);
    let (parcours, parcours_masques) = pack::parcours(e.mois, e.cle, &lignes, seuil as usize);
    std::fs::create_dir_all(&e.sortie).with_context(|| format!("impossible de créer {}", e.sortie.display()))?;
    ecrire(&e.sortie.join(INDICATEURS), &indicateurs)?;
    ecrire(&e.sortie.join(PARCOURS), &parcours)?;
    // The head of the audit trail: the Département keeps it, and can later ask the structure
    // to show that its trail still extends it (`base verifier --ancre`).
    if essai {
        crate::output::fichier::ecrire(
            Some(&e.sortie.join(ESSAI)),
            "Ce pack vient d'une base d'essai ou de démonstration : ses chiffres ne décrivent pas des personnes \
             réelles et ne se publient pas.\n"
                .as_bytes(),
            true,
        )?;
    }
    let ancre = ancre.map(|a| a.to_string());
    if let Some(a) = &ancre {
        crate::output::fichier::ecrire(
            Some(&e.sortie.join("ancre-journal.txt")),
            format!("{a}\n").as_bytes(),
            true,
        )?;
    }
    ecrire(
        &e.sortie.join(TERRITOIRE),
        &pack::territoire(e.mois, e.cle, &territoire),
    )?;
    let etat = match dernier.groupes.last().map(|g| &g.indicateurs) {
        Some(i) if i.mois_en_cours => Etat::EnCours,
        Some(i) if i.provisoire => Etat::Provisoire,
        _ => Etat::Definitif,
    };
    let manifeste = Manifeste {
        structure: structure.unwrap_or_default(),
        mois: e.mois.code(),
        etat,
        cle: e.cle.empreinte(),
        seuil,
        ancre: ancre.clone(),
        fichiers: [INDICATEURS, PARCOURS, TERRITOIRE, ANCRE, ESSAI]
            .into_iter()
            .filter(|nom| *nom != ESSAI || essai)
            .filter(|nom| *nom != ANCRE || ancre.is_some())
            .map(|nom| Ok((nom.to_owned(), empreinte(&e.sortie.join(nom))?)))
            .collect::<std::io::Result<_>>()?,
    };
    let manifeste = manifeste.ecrire();
    crate::output::fichier::ecrire(Some(&e.sortie.join(MANIFESTE)), manifeste.as_bytes(), true)?;
    // Signed by the structure: a Département that registered its key knows the pack is
    // the structure's, as written.
    let signature = cles
        .signer_manifeste(manifeste.as_bytes())
        .map_err(anyhow::Error::msg)?;
    crate::output::fichier::ecrire(Some(&e.sortie.join(SIGNATURE)), signature.as_bytes(), true)?;
    Ok(Pack {
        mois: e.mois.code(),
        provisoire,
        dossier: e.sortie.display().to_string(),
        indicateurs: indicateurs.lignes.len(),
        parcours: parcours.lignes.len(),
        cellules_masquees,
        parcours_masques,
        parcours_du_mois: lignes.len(),
        seuil,
        ancre,
    })
}
