//! `spie stats mensuel [--mois AAAA-MM] [--par epci|structure|referent]`.

use crate::domain::codes::souple;
use std::collections::BTreeMap;

use anyhow::Result;
use clap::{Args, ValueEnum};

use super::mois_publiable;
use crate::cli::Ctx;
use crate::db::stats::Groupement;
use crate::domain::grille::Dimension;
use crate::domain::indicateurs::{Indicateurs, Mois};
use crate::domain::parcours::MotifSortie;
use crate::domain::prescription::StatutPrescription;
use crate::domain::texte::decimal;
use crate::error::Issue;
use crate::ops;
use crate::ops::stats::Mensuel;
use crate::output::{Fiche, Section, Valeur};

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
    #[arg(long, value_enum, value_parser = souple::<Par>())]
    par: Option<Par>,
}

fn pourcent(t: Option<f64>) -> Valeur {
    t.map_or(Valeur::Vide, |t| Valeur::Texte(format!("{} %", decimal(t * 100.0, 1))))
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
            i.delai_median_diagnostic.map(|d| decimal(d, 1)),
        )
        .champ("Avec un référent", pourcent(i.taux_referent))
        .champ("Contact dans les 90 jours", pourcent(i.taux_contact_90j));
    principal = principal
        .champ("Orientation emploi", i.orientations.pro as i64)
        .champ("Orientation socio-professionnelle", i.orientations.sociopro as i64)
        .champ("Orientation sociale", i.orientations.social as i64)
        .champ("Non orientés", i.orientations.non_oriente as i64);
    // Each count by its key in words: the codes stay in JSON.
    let table = |titre: &str, quoi: &str, m: &BTreeMap<String, usize>, en_mots: &dyn Fn(&str) -> String| {
        Section::new(titre).tableau(
            vec![quoi, "Nombre"],
            m.iter()
                .map(|(k, v)| vec![en_mots(k).into(), (*v as i64).into()])
                .collect(),
        )
    };
    let motif = |k: &str| MotifSortie::depuis_code(k).map_or(k.to_owned(), MotifSortie::libelle);
    let frein = |k: &str| Dimension::depuis_code(k).map_or(k.to_owned(), Dimension::libelle);
    let categorie = |k: &str| crate::referentiel::thematiques::libelle(k).to_owned();
    let tel_quel = |k: &str| k.to_owned();
    let mut sections = vec![
        principal,
        table("Sorties par motif", "Motif", &i.sorties_par_motif, &motif),
        table("Freins (moyen ou fort) dans la file active", "Frein", &i.freins, &frein),
    ];
    if let Some(c) = &i.comptes {
        sections.extend([
            table(
                "Actions créées par catégorie",
                "Catégorie",
                &c.actions_creees,
                &categorie,
            ),
            table(
                "Actions réalisées par catégorie",
                "Catégorie",
                &c.actions_realisees,
                &categorie,
            ),
            table("Prescriptions par source", "Source", &c.prescriptions, &tel_quel),
        ]);
        let issues: BTreeMap<String, usize> = c
            .prescriptions_issues
            .iter()
            .flat_map(|(source, m)| {
                m.iter().map(move |(issue, n)| {
                    let libelle = StatutPrescription::depuis_code(issue).map_or(issue.clone(), |s| s.libelle());
                    (format!("{source} : {libelle}"), *n)
                })
            })
            .collect();
        sections.push(table(
            "Réponses aux prescriptions du mois, par source",
            "Source et réponse",
            &issues,
            &tel_quel,
        ));
    }
    sections
}

pub fn executer(ctx: &Ctx, a: Arguments) -> Result<Issue> {
    let mois = match &a.mois {
        Some(m) => mois_publiable(m, ctx)?,
        None => Mois::precedent(ctx.aujourdhui),
    };
    let groupement = a.par.map(|p| match p {
        Par::Epci => Groupement::Epci,
        Par::Structure => Groupement::Structure,
        Par::Referent => Groupement::Referent,
    });
    let titre = format!("Indicateurs de {}", mois.code());
    match ops::stats::mensuel(&mut ctx.session()?, mois, groupement)? {
        Mensuel::Total(total) => {
            let sections = fiche(&titre, &total);
            ctx.sortie.fiche(&*total, &Fiche { sections })?;
        }
        Mensuel::Groupes(groupes) => {
            let sections = groupes
                .iter()
                .flat_map(|g| {
                    fiche(
                        &format!("{titre} — {}", g.groupe_nom.as_ref().unwrap_or(&g.groupe)),
                        &g.indicateurs,
                    )
                    .into_iter()
                    .take(1)
                })
                .collect();
            ctx.sortie.fiche(&groupes, &Fiche { sections })?;
        }
    }
    Ok(Issue::Succes)
}
