//! `spie demo`: a synthetic base to discover spie (and to measure it).

use std::path::PathBuf;

use anyhow::Result;
use clap::Args;

use super::{Ctx, entre};
use crate::demo::{Options, Resume};
use crate::error::Issue;
use crate::ops;
use crate::output::{Fiche, Section};

const BASE_DE_DEMO: &str = "spie-demo.sqlite";

#[derive(serde::Serialize)]
struct SortieDemo<'a> {
    #[serde(flatten)]
    resume: &'a Resume,
    indicateurs: &'a crate::domain::indicateurs::Indicateurs,
}

#[derive(Debug, Args)]
pub struct Arguments {
    /// Nombre de personnes fictives (8 000 : les demandeurs d'emploi de catégorie A de la Meuse)
    #[arg(long, default_value_t = 8000, value_name = "N", value_parser = entre(1usize, 1_000_000))]
    personnes: usize,
    /// Graine du tirage : la même graine et la même date donnent la même base
    #[arg(long, default_value_t = 1, value_name = "N", value_parser = entre(0u64, u64::MAX))]
    graine: u64,
}

pub fn executer(ctx: &Ctx, a: Arguments) -> Result<Issue> {
    let chemin = if ctx.base_donnee() {
        ctx.chemin_base()
    } else {
        PathBuf::from(BASE_DE_DEMO)
    };
    let options = Options {
        personnes: a.personnes,
        graine: a.graine,
        aujourdhui: ctx.aujourdhui,
        agent_courant: ctx.identifiant_agent().ok().map(str::to_owned),
    };
    ops::demo::remplacable(&chemin)?;
    ctx.dire(format!(
        "Création de {} dans {}…",
        crate::domain::texte::compte(a.personnes as u64, "personne fictive", "personnes fictives"),
        chemin.display()
    ));
    let demo = ops::demo::creer(&chemin, &options)?;
    let (resume, base) = (&demo.resume, chemin.display().to_string());
    ctx.dire(explorer(resume, &base));
    let mut sections = fiche(resume, &base).sections;
    sections.extend(
        super::stats::fiche(&format!("Indicateurs de {}", demo.mois.code()), &demo.indicateurs)
            .into_iter()
            .take(1),
    );
    let sortie = SortieDemo {
        resume,
        indicateurs: &demo.indicateurs,
    };
    ctx.sortie.fiche(&sortie, &Fiche { sections })?;
    Ok(Issue::Succes)
}

/// What to type to explore the demo base.
fn explorer(resume: &Resume, base: &str) -> String {
    format!(
        "\nBase de démonstration prête : {base} (en clair : personnes fictives seulement ; la base d'une \
         structure se crée chiffrée, avec `spie base init`). Pour l'explorer :\n  \
         export SPIE_BASE={base} SPIE_AGENT={a}\n  \
         spie parcours liste --referent {r}\n  \
         spie parcours voir {d}\n  \
         spie parcours chercher martin\n  \
         spie offre proposer {d}",
        a = resume.agent,
        r = resume.exemple_referent,
        d = resume.exemple_dossier
    )
}

fn fiche(r: &Resume, base: &str) -> Fiche {
    let mut epci = Section::new("Parcours ouverts par EPCI de résidence").tableau(
        vec!["EPCI", "Parcours ouverts"],
        r.ouverts_par_epci
            .iter()
            .map(|(e, n)| vec![e.clone().into(), (*n as i64).into()])
            .collect(),
    );
    epci.champs.clear();
    Fiche {
        sections: vec![
            Section::new("Base de démonstration")
                .champ("Fichier", base)
                .champ("Personnes", r.personnes as i64)
                .champ("Parcours ouverts", r.parcours_ouverts as i64)
                .champ("dont sans référent", r.sans_referent as i64)
                .champ("Parcours clos", r.parcours_clos as i64)
                .champ("Diagnostics", r.diagnostics as i64)
                .champ("Décisions d'orientation", r.orientations as i64)
                .champ("Offres au catalogue", r.offres as i64)
                .champ("Structures", r.structures as i64)
                .champ("Agents", r.agents as i64),
            epci,
        ],
    }
}
