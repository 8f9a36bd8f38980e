//! `spie offre exporter`: the active catalogue of the structure's own sources as
//! data·inclusion v1 structures and services, valid against the schema, so that the
//! structure can publish it to the national base.

use crate::domain::codes::souple;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use clap::{Args, ValueEnum};

use crate::cli::Ctx;
use crate::domain::publication::Publication;
use crate::domain::texte::{APERCU, apercu, compte};
use crate::error::{Issue, UserError};
use crate::export::data_inclusion;
use crate::ops;
use crate::output::fichier::{FichierAtomique, ecrire};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum FormatSortie {
    /// Un document JSON {"structures": […], "services": […]} (fichier ou sortie standard)
    #[value(name = "data-inclusion-json")]
    Json,
    /// Deux fichiers structures.csv et services.csv dans le dossier --sortie
    #[value(name = "data-inclusion-csv")]
    Csv,
    /// Un classeur .xlsx aux feuilles « Structures » et « Services » (celui que lit le validateur de data·inclusion)
    #[value(name = "data-inclusion-xlsx")]
    Xlsx,
}

/// Exporte le catalogue au format data·inclusion v1 (structures et services)
///
/// Seules les offres actives des sources propres à la structure sont exportées : une source
/// marquée externe (`spie offre sources --externe NOM`) est publiée par un autre producteur et
/// n'est pas republiée, sauf si --sources la nomme. Une offre que le schéma v1 refuse
/// (description, date de mise à jour ou nom de structure absents…) est laissée de côté et
/// listée avec ses motifs (code de sortie 3). Les fichiers sont destinés aux machines : rien
/// n'y est neutralisé.
#[derive(Debug, Args)]
pub struct Arguments {
    /// Où écrire : le fichier JSON (défaut : la sortie standard), le dossier des deux CSV, ou
    /// le fichier .xlsx ; un fichier existant n'est jamais remplacé
    #[arg(long, value_name = "CHEMIN")]
    sortie: Option<PathBuf>,
    /// Format des fichiers [défaut : data-inclusion-xlsx pour une sortie en .xlsx,
    /// data-inclusion-json sinon]
    #[arg(long, value_enum, value_parser = souple::<FormatSortie>())]
    format_sortie: Option<FormatSortie>,
    /// Les sources à exporter, séparées par des virgules, ou `toutes` [défaut : les sources
    /// propres, celles qui ne sont pas marquées externes]
    #[arg(long, value_name = "SOURCE,…|toutes", value_delimiter = ',')]
    sources: Vec<String>,
    /// Écrit les téléphones au format international (+33329000000)
    #[arg(long)]
    telephone_international: bool,
}

/// The path `--sortie` must give for the formats written as files.
fn sortie_exigee<'a>(sortie: Option<&'a Path>, quoi: &str) -> Result<&'a Path> {
    sortie.ok_or_else(|| {
        UserError::usage(format!("--sortie est obligatoire pour le format {quoi}"))
            .aide(
                "--sortie nomme le dossier des deux CSV (data-inclusion-csv) ou le fichier .xlsx ; \
                 seul le JSON s'écrit sur la sortie standard",
            )
            .into()
    })
}

fn ecrire_publication(p: &Publication, format: FormatSortie, sortie: Option<&Path>) -> Result<()> {
    if let Some(dossier) = sortie.filter(|s| s.is_dir())
        && !matches!(format, FormatSortie::Csv)
    {
        let (quoi, nom) = match format {
            FormatSortie::Xlsx => (
                "le classeur data-inclusion-xlsx s'écrit dans un fichier .xlsx",
                "offres.xlsx",
            ),
            _ => ("le document JSON s'écrit dans un fichier", "offres.json"),
        };
        return Err(
            UserError::usage(format!("--sortie {} est un dossier : {quoi}", dossier.display()))
                .aide(format!(
                    "donnez le fichier à créer, par exemple --sortie {} ; seul --format-sortie data-inclusion-csv \
                 écrit dans un dossier (structures.csv et services.csv)",
                    dossier.join(nom).display()
                ))
                .into(),
        );
    }
    match format {
        FormatSortie::Json => ecrire(sortie, &data_inclusion::json(p)?, false),
        FormatSortie::Xlsx => ecrire(
            Some(sortie_exigee(sortie, "data-inclusion-xlsx")?),
            &data_inclusion::xlsx(p)?,
            false,
        ),
        FormatSortie::Csv => {
            let dossier = sortie_exigee(sortie, "data-inclusion-csv")?;
            std::fs::create_dir_all(dossier).with_context(|| format!("création du dossier {}", dossier.display()))?;
            // Both files checked before either is written.
            let tables = data_inclusion::csv_structures_services(p)?;
            let mut fichiers = Vec::new();
            for (nom, octets) in tables {
                fichiers.push((FichierAtomique::creer(&dossier.join(nom), false)?, octets));
            }
            for (mut f, octets) in fichiers {
                std::io::Write::write_all(&mut f, &octets)?;
                f.valider()?;
            }
            Ok(())
        }
    }
}

/// On stderr: the offers left out and why, the values dropped.
fn signaler(ctx: &Ctx, p: &Publication) {
    const MONTREES: usize = 10;
    if !p.ecartees.is_empty() {
        let mut texte = if p.ecartees.len() == 1 {
            "1 offre ne peut pas être publiée vers data·inclusion :".to_owned()
        } else {
            format!(
                "{} offres ne peuvent pas être publiées vers data·inclusion :",
                p.ecartees.len()
            )
        };
        for e in p.ecartees.iter().take(MONTREES) {
            // An identifiant computed at import means nothing to the partner: the name does.
            let identifiant = if e.identifiant.starts_with("calc-") {
                String::new()
            } else {
                format!("{} ", e.identifiant)
            };
            texte += &format!(
                "\n  {} / {identifiant}« {} » : {}",
                e.source,
                apercu(&e.nom, APERCU),
                e.motifs.join(" ; ")
            );
        }
        if p.ecartees.len() > MONTREES {
            texte += &format!("\n  … et {} de plus", p.ecartees.len() - MONTREES);
        }
        texte += "\naide : complétez-les chez le partenaire, ou donnez la valeur manquante dans le [fixe] d'un profil d'import";
        ctx.avertir(texte);
    }
    for (quoi, n) in &p.retouches {
        ctx.dire(format!("{} : {quoi}", compte(*n, "offre", "offres")));
    }
}

pub fn executer(ctx: &Ctx, a: Arguments) -> Result<Issue> {
    let format_sortie = format_choisi(&a)?;
    let export = ops::offre::Export {
        sources: a.sources,
        telephone_international: a.telephone_international,
    };
    let e = ops::offre::exporter(&mut ctx.session()?, export)?;
    ecrire_publication(&e.publication, format_sortie, a.sortie.as_deref())?;
    let ou = a
        .sortie
        .as_ref()
        .map_or_else(String::new, |c| format!(" dans {}", c.display()));
    let p = &e.publication;
    ctx.dire(format!(
        "{} et {} exportés{ou} (sources : {}).",
        compte(p.services.len() as u64, "service", "services"),
        compte(p.structures.len() as u64, "structure", "structures"),
        if e.sources.is_empty() {
            "aucune".to_owned()
        } else {
            e.sources.iter().cloned().collect::<Vec<_>>().join(", ")
        }
    ));
    if !e.externes.is_empty() {
        ctx.dire(format!(
            "sources externes non republiées : {} (--sources les nomme pour les exporter quand même)",
            e.externes.join(", ")
        ));
    }
    signaler(ctx, p);
    Ok(if p.ecartees.is_empty() {
        Issue::Succes
    } else {
        Issue::Constats
    })
}

/// The format asked, or the one the name of `--sortie` implies; checked against it.
fn format_choisi(a: &Arguments) -> Result<FormatSortie> {
    let xlsx = a
        .sortie
        .as_ref()
        .and_then(|c| c.extension())
        .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"));
    let format_sortie = match a.format_sortie {
        Some(f) => f,
        None if xlsx => FormatSortie::Xlsx,
        None => FormatSortie::Json,
    };
    if xlsx && format_sortie != FormatSortie::Xlsx {
        return Err(UserError::usage(
            "--sortie en .xlsx avec un autre format : choisissez --format-sortie data-inclusion-xlsx, ou un autre nom de fichier",
        )
        .into());
    }
    if format_sortie != FormatSortie::Json && a.sortie.is_none() {
        let nom = format_sortie.to_possible_value().map(|v| v.get_name().to_owned());
        sortie_exigee(None, &nom.unwrap_or_default())?;
    }
    Ok(format_sortie)
}
