//! `spie offre exporter`: the active catalogue of the structure's own sources as
//! data·inclusion v1 structures and services, valid against the schema, so that the
//! structure can publish it to the national base.

use crate::domain::codes::souple;
use std::io::BufWriter;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use clap::{Args, ValueEnum};

use crate::cli::Ctx;
use crate::domain::publication::{CATEGORIE_SEULE, Ecartee, NOMMEES, motif_de_manque};
use crate::domain::texte::{APERCU, apercu, compte};
use crate::error::{Issue, UserError};
use crate::export::data_inclusion;
use crate::ops;
use crate::output::fichier::FichierAtomique;
use crate::output::{Flot, Format, lecteur_parti, tube_ferme};

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
/// n'y est neutralisé. Leur format se choisit avec --format-sortie : l'option générale --format
/// (table, csv) est refusée ici.
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

/// `--sortie` names a folder only for the two CSV.
fn verifier_sortie(format: FormatSortie, sortie: Option<&Path>) -> Result<()> {
    let Some(dossier) = sortie.filter(|s| s.is_dir()) else {
        return Ok(());
    };
    let (quoi, nom) = match format {
        FormatSortie::Csv => return Ok(()),
        FormatSortie::Xlsx => (
            "le classeur data-inclusion-xlsx s'écrit dans un fichier .xlsx",
            "offres.xlsx",
        ),
        FormatSortie::Json => ("le document JSON s'écrit dans un fichier", "offres.json"),
    };
    Err(
        UserError::usage(format!("--sortie {} est un dossier : {quoi}", dossier.display()))
            .aide(format!(
                "donnez le fichier à créer, par exemple --sortie {} ; seul --format-sortie data-inclusion-csv \
                 écrit dans un dossier (structures.csv et services.csv)",
                dossier.join(nom).display()
            ))
            .into(),
    )
}

/// Where the records go, opened before the catalogue is read: an existing file is
/// refused at once, and a file appears only once complete.
enum Ecrivain {
    Sortie(data_inclusion::Json<BufWriter<Flot>>),
    Json(data_inclusion::Json<BufWriter<FichierAtomique>>),
    Csv(Box<data_inclusion::Csv<FichierAtomique>>),
    Xlsx(Box<data_inclusion::Xlsx>, FichierAtomique),
}

impl Ecrivain {
    fn ouvrir(format: FormatSortie, sortie: Option<&Path>) -> Result<Ecrivain> {
        verifier_sortie(format, sortie)?;
        Ok(match (format, sortie) {
            (FormatSortie::Json, None) => Ecrivain::Sortie(data_inclusion::Json::new(Flot::new())),
            (FormatSortie::Json, Some(f)) => Ecrivain::Json(data_inclusion::Json::new(BufWriter::new(
                FichierAtomique::creer(f, false)?,
            ))),
            (FormatSortie::Xlsx, f) => Ecrivain::Xlsx(
                Box::default(),
                FichierAtomique::creer(sortie_exigee(f, "data-inclusion-xlsx")?, false)?,
            ),
            (FormatSortie::Csv, f) => {
                let dossier = sortie_exigee(f, "data-inclusion-csv")?;
                std::fs::create_dir_all(dossier)
                    .with_context(|| format!("création du dossier {}", dossier.display()))?;
                // Both files checked before either is written.
                let structures = FichierAtomique::creer(&dossier.join("structures.csv"), false)?;
                let services = FichierAtomique::creer(&dossier.join("services.csv"), false)?;
                Ecrivain::Csv(Box::new(data_inclusion::Csv::new(structures, services)?))
            }
        })
    }

    fn destination(&mut self) -> &mut dyn data_inclusion::Destination {
        match self {
            Ecrivain::Sortie(d) => d,
            Ecrivain::Json(d) => d,
            Ecrivain::Csv(d) => d.as_mut(),
            Ecrivain::Xlsx(d, _) => d.as_mut(),
        }
    }

    fn terminer(self) -> Result<()> {
        match self {
            Ecrivain::Sortie(d) => d.terminer().map(drop),
            Ecrivain::Json(d) => (d.terminer()?.into_inner()).map_err(|e| e.into_error())?.valider(),
            Ecrivain::Csv(d) => {
                let (structures, services) = d.terminer()?;
                structures.valider()?;
                services.valider()
            }
            Ecrivain::Xlsx(d, f) => {
                let mut w = BufWriter::new(f.fichier()?);
                d.terminer(&mut w)?;
                std::io::Write::flush(&mut w)?;
                f.valider()
            }
        }
    }
}

/// An offer as a person finds it in the partner's file, with what is said of it:
/// `source / identifiant « nom » (ligne N de fichier) : motifs`.
fn nommer(e: &Ecartee) -> String {
    // An identifiant computed at import means nothing to the partner: the name does.
    let identifiant = if e.identifiant.starts_with("calc-") {
        String::new()
    } else {
        format!("{} ", e.identifiant)
    };
    // Where to find it: the line of the partner's file.
    let ligne = e
        .provenance
        .as_ref()
        .map_or_else(String::new, |p| format!(" (ligne {} de {})", p.ligne, p.fichier));
    format!(
        "\n  {} / {identifiant}« {} »{ligne} : {}",
        e.source,
        apercu(&e.nom, APERCU),
        e.motifs.join(" ; ")
    )
}

/// The first offers of a list of `total`, one a line, then how many more.
fn lister(offres: &[Ecartee], total: usize) -> String {
    let mut texte: String = offres.iter().take(NOMMEES).map(nommer).collect();
    if total > NOMMEES {
        texte += &format!("\n  … et {} de plus", total - NOMMEES);
    }
    texte
}

/// What to do about the offers left out: a value missing can be given by a profile's
/// `[fixe]` (which fills empty cells only); a value refused is corrected at the partner's.
fn aide_ecartees(ecartees: &[Ecartee]) -> &'static str {
    let motifs = || ecartees.iter().flat_map(|e| &e.motifs);
    match (
        motifs().any(|m| motif_de_manque(m)),
        motifs().any(|m| !motif_de_manque(m)),
    ) {
        (true, false) => {
            "\naide : complétez-les chez le partenaire, ou donnez la valeur manquante dans le [fixe] d'un profil d'import"
        }
        (false, _) => "\naide : corrigez la valeur refusée chez le partenaire, puis réimportez sa liste",
        (true, true) => {
            "\naide : corrigez les valeurs refusées chez le partenaire, puis réimportez sa liste ; une valeur \
             manquante peut aussi venir du [fixe] d'un profil d'import (qui ne remplit que les cellules vides)"
        }
    }
}

/// On stderr: the offers left out and why, the values dropped.
fn signaler(ctx: &Ctx, p: &ops::offre::Exportees) {
    if !p.ecartees.is_empty() {
        let mut texte = if p.ecartees.len() == 1 {
            "1 offre ne peut pas être publiée vers data·inclusion :".to_owned()
        } else {
            format!(
                "{} offres ne peuvent pas être publiées vers data·inclusion :",
                p.ecartees.len()
            )
        };
        texte += &lister(&p.ecartees, p.ecartees.len());
        texte += aide_ecartees(&p.ecartees);
        ctx.avertir(texte);
    }
    for (quoi, n) in &p.retouches {
        let mut texte = format!("{} : {quoi}", compte(*n, "offre", "offres"));
        // The offers concerned, for the one value a partner can fix in its file.
        if *quoi == CATEGORIE_SEULE {
            texte += " :";
            texte += &lister(&p.categories_seules, usize::try_from(*n).unwrap_or(usize::MAX));
        }
        ctx.dire(texte);
    }
}

pub fn executer(ctx: &Ctx, a: Arguments) -> Result<Issue> {
    match exporter(ctx, a) {
        // The reader has gone (`| head`): nothing more to say, the data did not all arrive.
        Err(e) if tube_ferme(&e) => Ok(Issue::Succes),
        Ok(_) if lecteur_parti() => Ok(Issue::Succes),
        issue => issue,
    }
}

fn exporter(ctx: &Ctx, a: Arguments) -> Result<Issue> {
    let format_sortie = format_choisi(&a)?;
    format_global_ecarte(ctx, format_sortie)?;
    let export = ops::offre::Export {
        sources: a.sources,
        telephone_international: a.telephone_international,
    };
    let mut ecrivain = Ecrivain::ouvrir(format_sortie, a.sortie.as_deref())?;
    let e = ops::offre::exporter(&mut ctx.session()?, export, ecrivain.destination())?;
    ecrivain.terminer()?;
    let ou = (a.sortie.as_ref()).map_or_else(String::new, |c| format!(" dans {}", c.display()));
    let sources = e.sources.iter().cloned().collect::<Vec<_>>().join(", ");
    ctx.dire(format!(
        "{} et {} exportés{ou} (sources : {}).",
        compte(e.services, "service", "services"),
        compte(e.structures, "structure", "structures"),
        if sources.is_empty() { "aucune" } else { &sources }
    ));
    if !e.externes.is_empty() {
        ctx.dire(format!(
            "sources externes non republiées : {} (--sources les nomme pour les exporter quand même)",
            e.externes.join(", ")
        ));
    }
    signaler(ctx, &e);
    Ok(if e.ecartees.is_empty() {
        Issue::Succes
    } else {
        Issue::Constats
    })
}

/// The format asked, or the one the name of `--sortie` implies; checked against it.
/// The global `--format` (table, csv, json) shapes the listings of the other commands,
/// not the files of data·inclusion: a `--format` other than the JSON written is refused,
/// rather than ignored.
fn format_global_ecarte(ctx: &Ctx, format_sortie: FormatSortie) -> Result<()> {
    match ctx.format_demande {
        None => Ok(()),
        Some(Format::Json) if format_sortie == FormatSortie::Json => Ok(()),
        Some(f) => {
            let nom = f
                .to_possible_value()
                .map(|v| v.get_name().to_owned())
                .unwrap_or_default();
            Err(UserError::usage(format!(
                "--format {nom} ne vaut pas pour offre exporter, qui écrit les fichiers de data·inclusion"
            ))
            .aide(
                "le format des fichiers se choisit avec --format-sortie : en CSV, --format-sortie data-inclusion-csv \
                 --sortie DOSSIER (structures.csv et services.csv) ; en classeur, --format-sortie data-inclusion-xlsx",
            )
            .into())
        }
    }
}

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
