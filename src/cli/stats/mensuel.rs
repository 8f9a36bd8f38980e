//! `spie stats mensuel [--mois AAAA-MM] [--par epci|structure|referent]`.

use std::collections::BTreeMap;

use anyhow::Result;
use clap::{Args, ValueEnum};
use serde::Serialize;

use super::mois_publiable;
use crate::cli::Ctx;
use crate::db;
use crate::db::stats::Groupement;
use crate::domain::indicateurs::{Indicateurs, Mois};
use crate::error::Issue;
use crate::output::{Fiche, Section, Valeur};
use crate::referentiel::communes;

#[derive(Debug, Clone, Copy, ValueEnum)]
enum Par {
    /// Par EPCI de résidence de la personne
    Epci,
    /// Par structure qui porte le parcours
    Structure,
    /// Par référent au dernier jour du mois
    Referent,
}

#[derive(Debug, Args)]
pub struct Arguments {
    /// Mois AAAA-MM [défaut : le dernier mois complet]
    #[arg(long, value_name = "AAAA-MM")]
    mois: Option<String>,
    /// Détail par EPCI, structure ou référent (les comptes de diagnostics, d'actions et de
    /// prescriptions restent au total)
    #[arg(long, value_enum)]
    par: Option<Par>,
}

#[derive(Serialize)]
struct Groupe {
    groupe: String,
    #[serde(flatten)]
    indicateurs: Indicateurs,
}

fn pourcent(t: Option<f64>) -> Valeur {
    t.map_or(Valeur::Vide, |t| {
        Valeur::Texte(format!("{:.1} %", t * 100.0).replace('.', ","))
    })
}

/// The indicators of a month on screen; the month in progress says its figures are
/// provisional in the title.
pub fn fiche(titre: &str, i: &Indicateurs) -> Vec<Section> {
    let titre = if i.mois_en_cours {
        format!("{titre} (mois en cours : provisoire)")
    } else {
        titre.to_owned()
    };
    let mut principal = Section::new(titre)
        .champ("File active (fin de mois)", i.file_active as i64)
        .champ("Entrées", i.entrees as i64)
        .champ("Sorties", i.sorties as i64)
        .champ("dont vers l'emploi", i.sorties_emploi as i64);
    if let Some(c) = &i.comptes {
        principal = principal.champ("Diagnostics réalisés", c.diagnostics as i64);
    }
    principal = principal
        .champ(
            "Diagnostic sous 30 jours",
            match (pourcent(i.taux_diagnostic_30j), i.provisoire) {
                (Valeur::Texte(t), true) => Valeur::Texte(format!("{t} (provisoire)")),
                (v, _) => v,
            },
        )
        .champ(
            "Délai médian du diagnostic (jours)",
            i.delai_median_diagnostic.map(|d| format!("{d:.1}").replace('.', ",")),
        )
        .champ("Avec un référent", pourcent(i.taux_referent))
        .champ("Contact dans les 90 jours", pourcent(i.taux_contact_90j));
    principal = principal
        .champ("Orientation pro", i.orientations.pro as i64)
        .champ("Orientation sociopro", i.orientations.sociopro as i64)
        .champ("Orientation sociale", i.orientations.social as i64)
        .champ("Non orientés", i.orientations.non_oriente as i64);
    let table = |titre: &str, m: &BTreeMap<String, usize>| {
        Section::new(titre).tableau(
            vec!["", "Nombre"],
            m.iter()
                .map(|(k, v)| vec![k.clone().into(), (*v as i64).into()])
                .collect(),
        )
    };
    let mut sections = vec![
        principal,
        table("Sorties par motif", &i.sorties_par_motif),
        table("Freins (moyen ou fort) dans la file active", &i.freins),
    ];
    if let Some(c) = &i.comptes {
        sections.extend([
            table("Actions créées par catégorie", &c.actions_creees),
            table("Actions réalisées par catégorie", &c.actions_realisees),
            table("Prescriptions par source", &c.prescriptions),
        ]);
    }
    sections
}

pub fn executer(ctx: &Ctx, a: Arguments) -> Result<Issue> {
    let mois = match &a.mois {
        Some(m) => mois_publiable(m, ctx)?,
        None => Mois::precedent(ctx.aujourdhui),
    };
    let mut conn = ctx.ouvrir()?;
    let tx = db::lecture(&mut conn)?;
    ctx.agent(&tx)?;
    let groupement = match a.par {
        None => None,
        Some(Par::Epci) => Some(Groupement::Epci),
        Some(Par::Structure) => Some(Groupement::Structure),
        Some(Par::Referent) => Some(Groupement::Referent),
    };
    // One reading of the month's parcours gives the groups and the whole base.
    let (groupes, total) = db::stats::agregats_et_total(&tx, mois, groupement.unwrap_or(Groupement::Total))?;
    let total = total.indicateurs(mois, ctx.aujourdhui, true);
    drop(tx);
    let titre = format!("Indicateurs de {}", mois.code());
    let Some(groupement) = groupement else {
        let sections = fiche(&titre, &total);
        ctx.sortie.fiche(&total, &Fiche { sections })?;
        return Ok(Issue::Succes);
    };
    let mut resultat: Vec<Groupe> = groupes
        .into_iter()
        .map(|(cle, agregat)| Groupe {
            groupe: match (groupement, cle.is_empty()) {
                (Groupement::Epci, false) => communes::nom_epci(&cle).unwrap_or("inconnu").to_owned(),
                (Groupement::Epci, true) => "inconnu".into(),
                (Groupement::Referent, true) => "sans référent".into(),
                _ => cle,
            },
            indicateurs: agregat.indicateurs(mois, ctx.aujourdhui, false),
        })
        .collect();
    resultat.sort_by(|a, b| a.groupe.cmp(&b.groupe));
    resultat.push(Groupe {
        groupe: "total".into(),
        indicateurs: total,
    });
    let sections = resultat
        .iter()
        .flat_map(|g| {
            fiche(&format!("{titre} — {}", g.groupe), &g.indicateurs)
                .into_iter()
                .take(1)
        })
        .collect();
    ctx.sortie.fiche(&resultat, &Fiche { sections })?;
    Ok(Issue::Succes)
}
