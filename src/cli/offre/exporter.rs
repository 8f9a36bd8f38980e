//! `spie offre exporter`: the active catalogue as data·inclusion services (JSON or CSV),
//! so that the structure can publish it back to the national base.

use std::path::PathBuf;

use anyhow::Result;
use clap::{Args, ValueEnum};
use serde_json::{Map, Value, json};

use crate::cli::Ctx;
use crate::db;
use crate::db::offre::OffreStockee;
use crate::error::Issue;

#[derive(Debug, Clone, Copy, ValueEnum)]
enum FormatSortie {
    /// Tableau JSON d'objets service data·inclusion
    DataInclusionJson,
    /// CSV séparé par des virgules, listes séparées par des virgules dans les cellules
    DataInclusionCsv,
}

#[derive(Debug, Args)]
pub struct Arguments {
    /// Fichier à écrire (il ne doit pas exister) [défaut : la sortie standard]
    #[arg(long, value_name = "FICHIER")]
    sortie: Option<PathBuf>,
    /// Format du fichier
    #[arg(long, value_enum, default_value = "data-inclusion-json")]
    format_sortie: FormatSortie,
}

/// One offer as a data·inclusion v1 service object (field names of the schema).
fn service(o: &OffreStockee) -> Map<String, Value> {
    let f = &o.offre;
    let code_postal = f.code_postal.clone();
    let commune = f
        .commune
        .as_deref()
        .and_then(crate::referentiel::communes::par_code)
        .map(|c| c.nom.to_owned());
    let mut m = Map::new();
    let mut mettre = |cle: &str, v: Value| {
        m.insert(cle.to_owned(), v);
    };
    mettre("id", json!(f.identifiant));
    mettre("structure_id", json!(f.structure_id));
    mettre("source", json!(o.source));
    mettre("nom", json!(f.nom));
    mettre("description", json!(f.description));
    mettre("date_maj", json!(f.date_maj));
    mettre("types", json!(f.types));
    mettre("thematiques", json!(f.thematiques));
    mettre("frais", json!(f.frais));
    mettre("frais_precisions", json!(f.frais_precisions));
    mettre("publics", json!(f.publics));
    mettre("publics_precisions", json!(f.publics_precisions));
    mettre("conditions_acces", json!(f.conditions_acces));
    mettre("commune", json!(commune));
    mettre("code_postal", json!(code_postal));
    mettre("code_insee", json!(f.commune));
    mettre("adresse", json!(f.adresse));
    mettre("complement_adresse", json!(f.complement_adresse));
    mettre("longitude", json!(f.longitude));
    mettre("latitude", json!(f.latitude));
    mettre("telephone", json!(f.telephone));
    mettre("courriel", json!(f.courriel));
    mettre("modes_accueil", json!(f.modes_accueil));
    mettre("zone_eligibilite", json!(f.zone_eligibilite));
    mettre("contact_nom_prenom", json!(f.contact_nom_prenom));
    mettre("lien_mobilisation", json!(f.lien_mobilisation));
    mettre("modes_mobilisation", json!(f.modes_mobilisation));
    mettre("mobilisable_par", json!(f.mobilisable_par));
    mettre("mobilisation_precisions", json!(f.mobilisation_precisions));
    mettre("horaires_accueil", json!(f.horaires_accueil));
    m
}

fn en_csv(services: &[Map<String, Value>]) -> Result<Vec<u8>> {
    let mut w = csv::WriterBuilder::new().from_writer(Vec::new());
    let Some(premier) = services.first() else {
        return Ok(Vec::new());
    };
    w.write_record(premier.keys())?;
    for s in services {
        w.write_record(s.values().map(|v| match v {
            Value::Null => String::new(),
            Value::String(t) => crate::output::neutraliser(t),
            Value::Array(a) => a.iter().filter_map(Value::as_str).collect::<Vec<_>>().join(","),
            autre => autre.to_string(),
        }))?;
    }
    Ok(w.into_inner().map_err(|e| e.into_error())?)
}

pub fn executer(ctx: &Ctx, a: Arguments) -> Result<Issue> {
    let conn = ctx.ouvrir()?;
    ctx.agent(&conn)?;
    let services: Vec<Map<String, Value>> = db::offre::actives(&conn, None, None)?.iter().map(service).collect();
    let octets = match a.format_sortie {
        FormatSortie::DataInclusionJson => (serde_json::to_string_pretty(&services)? + "\n").into_bytes(),
        FormatSortie::DataInclusionCsv => en_csv(&services)?,
    };
    crate::output::fichier::ecrire(a.sortie.as_deref(), &octets, false)?;
    if let Some(chemin) = &a.sortie {
        ctx.dire(format!(
            "{} dans {}.",
            crate::domain::texte::compte(services.len() as u64, "offre exportée", "offres exportées"),
            chemin.display()
        ));
    }
    Ok(Issue::Succes)
}
