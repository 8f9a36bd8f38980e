//! Demo catalogue: the real France services list of Meuse through its profile (as an
//! administrator would import it), and a few thousand synthetic offers across Meuse
//! covering every thematique, so that `offre proposer` answers demo dossiers.

use std::io::Write;

use anyhow::Result;
use chrono::{Days, NaiveDate};
use rusqlite::Transaction;

use super::Tirage;
use crate::db;
use crate::domain::offre::{Offre, score_qualite, verifier};
use crate::import::{self, Options, profil::Profil};
use crate::referentiel::{communes::Commune, thematiques};

const FRANCE_SERVICES: &str = include_str!("../../fixtures/france-services-meuse.csv");
const PROFIL: &str = include_str!("../../fixtures/profils/france-services.toml");

/// Kinds of synthetic providers, for plausible names.
const PORTEURS: &[&str] = &[
    "Association", "Centre social", "CCAS", "Atelier", "Espace", "Maison des solidarités",
];

/// Imports the embedded France services list; returns the number of offers.
fn france_services(tx: &Transaction, jour: NaiveDate) -> Result<usize> {
    let dossier = tempfile::tempdir()?;
    let (csv, toml) = (dossier.path().join("fs.csv"), dossier.path().join("fs.toml"));
    std::fs::File::create(&csv)?.write_all(FRANCE_SERVICES.as_bytes())?;
    std::fs::File::create(&toml)?.write_all(PROFIL.as_bytes())?;
    let profil = Profil::lire(&toml)?.verifier(&toml)?;
    let mut lecture = import::ouvrir(
        &csv,
        Options {
            profil: Some(profil),
            ..Options::default()
        },
    )?;
    let source = db::offre::source(tx, "france-services")?;
    let mut import = db::offre::Import::debut(tx, source, jour)?;
    let mut n = 0;
    while let Some(ligne) = lecture.suivante()? {
        if let (Some(offre), _) = verifier(&ligne.brut, jour, super::DEPARTEMENT) {
            import.enregistrer(&offre, &offre.en_texte())?;
            n += 1;
        }
    }
    import.fin()?;
    // Published nationally by its own producer: never republished by this structure.
    db::offre::marquer_externe(tx, "france-services", true)?;
    Ok(n)
}

/// The whole demo catalogue; returns the number of offers.
pub fn generer(
    tx: &Transaction,
    t: &mut Tirage,
    communes: &[(&'static Commune, u64)],
    jour: NaiveDate,
) -> Result<usize> {
    let mut n = france_services(tx, jour)?;
    let source = db::offre::source(tx, "partenaires-demo")?;
    let mut import = db::offre::Import::debut(tx, source, jour)?;
    let total = communes.last().map_or(1, |(_, c)| *c);
    let themes = thematiques::toutes();
    for i in 0..2500 {
        // Every thematique in turn, so that every category is covered.
        let theme = &themes[i % themes.len()];
        let x = t.0.u64(..total);
        let commune = communes[communes.partition_point(|(_, cumul)| *cumul <= x)].0;
        let a_distance = t.chance(0.1);
        let porteur = format!("{} {} (démo)", t.un(PORTEURS), commune.nom);
        let mut o = Offre {
            identifiant: format!("DEMO-{i:05}"),
            structure_nom: Some(porteur),
            nom: format!("{} — {}", theme.libelle, commune.nom),
            description: Some(format!(
                "Offre fictive de démonstration : {} pour les habitants du secteur de {}.",
                theme.libelle.to_lowercase(),
                commune.nom
            )),
            date_maj: Some(jour - Days::new(t.jours(700))),
            types: vec![
                t.un(&[
                    "accompagnement", "atelier", "information", "formation", "aide-financiere",
                ])
                .to_string(),
            ],
            thematiques: vec![theme.code.clone()],
            frais: Some(if t.chance(0.85) { "gratuit" } else { "payant" }.into()),
            publics: vec![
                t.un(&[
                    "tous-publics",
                    "tous-publics",
                    "tous-publics",
                    "jeunes",
                    "demandeurs-emploi",
                    "beneficiaires-des-minimas-sociaux",
                    "femmes",
                    "seniors",
                ])
                .to_string(),
            ],
            commune: Some(commune.code.to_owned()),
            code_postal: commune.codes_postaux.split('|').next().map(str::to_owned),
            latitude: commune.coordonnees.map(|c| c.0),
            longitude: commune.coordonnees.map(|c| c.1),
            telephone: Some(format!(
                "03 29 {:02} {:02} {:02}",
                t.0.u8(..100),
                t.0.u8(..100),
                t.0.u8(..100)
            )),
            modes_accueil: vec![if a_distance { "a-distance" } else { "en-presentiel" }.into()],
            zone_eligibilite: vec![if t.chance(0.7) {
                super::DEPARTEMENT.to_owned()
            } else {
                commune.code_epci.to_owned()
            }],
            modes_mobilisation: vec!["telephoner".into()],
            ..Offre::default()
        };
        // Workshops and trainings last a few weeks, a few hours a week (without a draw, so
        // that the rest of the demo stays the same).
        if o.types.iter().any(|t| t == "atelier" || t == "formation") {
            o.volume_horaire_hebdomadaire = Some(f64::from(u8::try_from(i % 6).unwrap_or(0) + 1) * 2.5);
            o.nombre_semaines = i64::try_from(i % 12 + 1).ok();
        }
        o.score_qualite = score_qualite(&o, jour);
        import.enregistrer(&o, &o.en_texte())?;
        n += 1;
    }
    import.fin()?;
    Ok(n)
}
