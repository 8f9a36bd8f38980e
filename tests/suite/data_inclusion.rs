//! `spie offre exporter`: the catalogue published to data·inclusion, checked field by
//! field against the rules of the v1 schema (those of the `data-inclusion-schema` Python
//! package, mirrored below; `tests/valider_data_inclusion.py` runs the package itself).

use std::collections::HashSet;

use serde_json::Value;
use spie::referentiel::{listes, thematiques};

use super::commun::{AUJOURDHUI, Env, binaire};

/// The fields of a v1 service and of a v1 structure, in the schema's order.
const SERVICE: &[&str] = &[
    "source", "structure_id", "id", "nom", "description", "lien_source", "date_maj", "type", "thematiques", "frais",
    "frais_precisions", "publics", "publics_precisions", "conditions_acces", "commune", "code_postal", "code_insee",
    "adresse", "complement_adresse", "longitude", "latitude", "telephone", "courriel", "modes_accueil",
    "zone_eligibilite", "contact_nom_prenom", "lien_mobilisation", "modes_mobilisation", "mobilisable_par",
    "mobilisation_precisions", "volume_horaire_hebdomadaire", "nombre_semaines", "horaires_accueil",
];
const STRUCTURE: &[&str] = &[
    "source", "id", "nom", "date_maj", "description", "lien_source", "siret", "commune", "code_postal", "code_insee",
    "adresse", "complement_adresse", "longitude", "latitude", "telephone", "courriel", "site_web", "horaires_accueil",
    "accessibilite_lieu", "reseaux_porteurs",
];

/// The rules of the v1 schema, one function per kind of field; each returns what is wrong.
mod regles {
    use super::*;

    fn longueur(v: &Value, champ: &str, min: usize, max: usize, requis: bool) -> Option<String> {
        match &v[champ] {
            Value::Null if !requis => None,
            Value::String(t) if (min..=max).contains(&t.chars().count()) => None,
            autre => Some(format!("{champ} : {autre} (texte de {min} à {max} caractères attendu)")),
        }
    }

    fn date_maj(v: &Value) -> Option<String> {
        let texte = v["date_maj"].as_str().unwrap_or_default();
        match chrono::NaiveDate::parse_from_str(texte, "%Y-%m-%d") {
            Ok(d) if d.to_string() == texte && ("2000-01-01"..=AUJOURDHUI).contains(&texte) => None,
            _ => Some(format!("date_maj : {texte:?}")),
        }
    }

    /// Null, or a non-empty array of distinct strings each accepted by `connu`.
    fn liste(v: &Value, champ: &str, connu: impl Fn(&str) -> bool) -> Option<String> {
        match &v[champ] {
            Value::Null => None,
            Value::Array(a) => {
                let codes: Vec<&str> = a.iter().filter_map(Value::as_str).collect();
                let distincts: HashSet<&&str> = codes.iter().collect();
                let bon = !a.is_empty() && codes.len() == a.len() && distincts.len() == a.len();
                (!bon || !codes.iter().all(|c| connu(c))).then(|| format!("{champ} : {a:?}"))
            }
            autre => Some(format!("{champ} : {autre} n'est pas une liste")),
        }
    }

    fn motif(v: &Value, champ: &str, bon: impl Fn(&str) -> bool) -> Option<String> {
        match &v[champ] {
            Value::Null => None,
            Value::String(t) if bon(t) => None,
            autre => Some(format!("{champ} : {autre}")),
        }
    }

    fn chiffres(t: &str, n: usize) -> bool {
        t.len() == n && t.chars().all(|c| c.is_ascii_digit())
    }

    fn lien(t: &str) -> bool {
        (t.starts_with("https://") || t.starts_with("http://")) && !t.contains(char::is_whitespace)
    }

    fn zone(z: &str) -> bool {
        let alnum = z.chars().all(|c| c.is_ascii_alphanumeric());
        z == "france" || (alnum && matches!(z.len(), 2 | 3 | 5)) || chiffres(z, 9)
    }

    fn cles(v: &Value, attendues: &[&str]) -> Option<String> {
        let cles: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
        (cles != attendues).then(|| format!("champs : {cles:?}"))
    }

    /// The common rules of both kinds: id `source--…`, source, location, contacts.
    fn communes(v: &Value) -> Vec<Option<String>> {
        let source = v["source"].as_str().unwrap_or_default();
        let id = v["id"].as_str().unwrap_or_default();
        vec![
            (source.is_empty() || !id.starts_with(&format!("{source}--")) || id.len() <= source.len() + 2)
                .then(|| format!("id {id:?} de la source {source:?}")),
            date_maj(v),
            motif(v, "code_postal", |t| chiffres(t, 5)),
            motif(v, "code_insee", |t| {
                t.len() == 5 && t.chars().all(|c| c.is_ascii_alphanumeric())
            }),
            motif(v, "courriel", |t| {
                t.split_once('@').is_some_and(|(l, d)| !l.is_empty() && d.contains('.'))
            }),
            motif(v, "telephone", |t| !t.is_empty()),
            motif(v, "lien_source", lien),
            (!v["latitude"].is_null() && !v["latitude"].is_f64()).then(|| "latitude".into()),
            (!v["longitude"].is_null() && !v["longitude"].is_f64()).then(|| "longitude".into()),
        ]
    }

    pub fn service(v: &Value, structures: &HashSet<&str>) -> Vec<String> {
        let mut r = communes(v);
        r.extend([
            cles(v, SERVICE),
            (!structures.contains(v["structure_id"].as_str().unwrap_or_default()))
                .then(|| format!("structure_id {} sans structure exportée", v["structure_id"])),
            longueur(v, "nom", 3, 150, true),
            longueur(v, "description", 5, 10_000, true),
            motif(v, "type", |t| listes::TYPES.contient(t)),
            motif(v, "frais", |t| listes::FRAIS.contient(t)),
            liste(v, "thematiques", |t| {
                t.contains("--") && thematiques::par_code(t).is_some()
            }),
            liste(v, "publics", |p| listes::PUBLICS.contient(p)),
            v["publics"]
                .as_array()
                .is_some_and(|p| p.len() > 1 && p.iter().any(|x| x == "tous-publics"))
                .then(|| "tous-publics avec d'autres publics".into()),
            liste(v, "modes_accueil", |m| listes::MODES_ACCUEIL.contient(m)),
            liste(v, "modes_mobilisation", |m| listes::MODES_MOBILISATION.contient(m)),
            liste(v, "mobilisable_par", |m| listes::MOBILISABLE_PAR.contient(m)),
            liste(v, "zone_eligibilite", zone),
            motif(v, "lien_mobilisation", lien),
            (!v["volume_horaire_hebdomadaire"].is_null()
                && !v["volume_horaire_hebdomadaire"].as_f64().is_some_and(|h| h >= 0.0))
            .then(|| "volume_horaire_hebdomadaire".into()),
            (!v["nombre_semaines"].is_null() && v["nombre_semaines"].as_i64().is_none_or(|n| n < 1))
                .then(|| "nombre_semaines".into()),
        ]);
        r.into_iter().flatten().collect()
    }

    pub fn structure(v: &Value) -> Vec<String> {
        let mut r = communes(v);
        r.extend([
            cles(v, STRUCTURE),
            longueur(v, "nom", 3, 150, true),
            longueur(v, "description", 5, 10_000, false),
            motif(v, "siret", |t| chiffres(t, 14)),
            motif(v, "site_web", lien),
        ]);
        r.into_iter().flatten().collect()
    }

    /// Every record of an export, checked; the problems found, by id.
    pub fn export(document: &Value) -> Vec<String> {
        let structures = document["structures"].as_array().unwrap();
        let services = document["services"].as_array().unwrap();
        let ids: HashSet<&str> = structures.iter().filter_map(|s| s["id"].as_str()).collect();
        let mut problemes = Vec::new();
        for s in structures {
            problemes.extend(structure(s).into_iter().map(|p| format!("structure {} : {p}", s["id"])));
        }
        for s in services {
            problemes.extend(
                service(s, &ids)
                    .into_iter()
                    .map(|p| format!("service {} : {p}", s["id"])),
            );
        }
        let servies: HashSet<&str> = services.iter().filter_map(|s| s["structure_id"].as_str()).collect();
        if ids != servies {
            problemes.push("une structure exportée n'a aucun service".into());
        }
        let ids_services: HashSet<&str> = services.iter().filter_map(|s| s["id"].as_str()).collect();
        if ids.len() != structures.len() || ids_services.len() != services.len() {
            problemes.push("identifiants en double".into());
        }
        problemes
    }
}

/// A demo base (its catalogue: the France services, marked external, and 2,500
/// synthetic offers).
fn demo() -> Env {
    let env = Env::vide();
    env.ok(&["demo", "--personnes", "50", "--graine", "2", "--base", "spie.sqlite"]);
    env
}

/// Runs the export; returns its exit code, stdout and stderr.
fn exporter(env: &Env, args: &[&str]) -> (i32, String, String) {
    let mut tous = vec!["offre", "exporter"];
    tous.extend(args);
    let out = env.spie(&tous).output().unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(!stderr.contains("panicked"), "{stderr}");
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
        stderr,
    )
}

#[test]
fn the_demo_catalogue_is_valid_data_inclusion_v1_field_by_field() {
    let env = demo();
    let (code, sortie, stderr) = exporter(&env, &[]);
    assert_eq!(code, 0, "{stderr}");
    let document: Value = serde_json::from_str(&sortie).unwrap();
    assert_eq!(
        document.as_object().unwrap().keys().collect::<Vec<_>>(),
        ["structures", "services"]
    );
    let services = document["services"].as_array().unwrap();
    assert_eq!(services.len(), 2500, "{stderr}");
    let problemes = regles::export(&document);
    assert!(
        problemes.is_empty(),
        "{}",
        problemes[..problemes.len().min(20)].join("\n")
    );
    // The France services are another producer's: not republished by default.
    assert!(services.iter().all(|s| s["source"] == "partenaires-demo"));
    assert!(
        stderr.contains("sources externes non republiées : france-services"),
        "{stderr}"
    );
    // The demo's workshops carry their duration.
    assert!(
        services
            .iter()
            .any(|s| s["type"] == "atelier" && s["nombre_semaines"].as_i64().is_some()),
        "{}",
        services[0]
    );

    // Named, they are exported, and valid too: a structure per guichet, several types
    // reduced to one, telephones in the international form on demand.
    let (code, sortie, stderr) = exporter(&env, &["--sources", "toutes", "--telephone-international"]);
    assert_eq!(code, 0, "{stderr}");
    let document: Value = serde_json::from_str(&sortie).unwrap();
    let problemes = regles::export(&document);
    assert!(
        problemes.is_empty(),
        "{}",
        problemes[..problemes.len().min(20)].join("\n")
    );
    let services = document["services"].as_array().unwrap();
    assert_eq!(services.len(), 2522);
    let fs: Vec<&Value> = services.iter().filter(|s| s["source"] == "france-services").collect();
    assert_eq!(fs.len(), 22);
    assert!(
        fs.iter()
            .all(|s| s["type"] == "accompagnement" && s["telephone"].as_str().unwrap().starts_with("+333"))
    );
    assert!(stderr.contains("22 offres : plusieurs types"), "{stderr}");

    // The checker itself finds what the schema refuses.
    let mut faux = document.clone();
    faux["services"][0]["publics"] = serde_json::json!(["tous-publics", "jeunes"]);
    faux["services"][1]["thematiques"] = serde_json::json!(["mobilite"]);
    faux["services"][2]["modes_accueil"] = serde_json::json!([]);
    faux["services"][3]["structure_id"] = "partenaires-demo--inconnue".into();
    faux["structures"][0]["date_maj"] = "2027-01-01".into();
    let trouves = regles::export(&faux).join("\n");
    for attendu in [
        "tous-publics avec d'autres publics",
        "thematiques : [String(\"mobilite\")]",
        "modes_accueil : []",
        "sans structure exportée",
        "date_maj : \"2027-01-01\"",
    ] {
        assert!(trouves.contains(attendu), "{attendu} ?\n{trouves}");
    }
}

#[test]
fn csv_and_workbook_hold_the_same_records_and_are_not_neutralised() {
    let env = demo();
    let (code, sortie, _) = exporter(&env, &[]);
    assert_eq!(code, 0);
    let document: Value = serde_json::from_str(&sortie).unwrap();
    let (code, _, stderr) = exporter(
        &env,
        &["--format-sortie", "data-inclusion-csv", "--sortie", "publication"],
    );
    assert_eq!(code, 0, "{stderr}");
    for (fichier, cle, champs) in [
        ("structures.csv", "structures", STRUCTURE),
        ("services.csv", "services", SERVICE),
    ] {
        let octets = std::fs::read(env.dir.path().join("publication").join(fichier)).unwrap();
        assert!(
            !octets.starts_with("\u{feff}".as_bytes()),
            "pas de BOM dans un fichier pour machines"
        );
        let mut lecteur = csv::Reader::from_reader(octets.as_slice());
        assert_eq!(lecteur.headers().unwrap().iter().collect::<Vec<_>>(), champs);
        let ids: Vec<String> = lecteur
            .records()
            .map(|r| r.unwrap()[if cle == "services" { 2 } else { 1 }].to_owned())
            .collect();
        let attendus: Vec<&str> = document[cle]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["id"].as_str().unwrap())
            .collect();
        assert_eq!(ids, attendus);
    }
    let (code, _, stderr) = exporter(
        &env,
        &["--format-sortie", "data-inclusion-xlsx", "--sortie", "publication.xlsx"],
    );
    assert_eq!(code, 0, "{stderr}");
    let classeur = std::fs::read(env.dir.path().join("publication.xlsx")).unwrap();
    assert!(classeur.starts_with(b"PK\x03\x04"));
    assert!(stderr.contains("2500 services et"), "{stderr}");
    // Written as files only: a usage error says where.
    for format in ["data-inclusion-csv", "data-inclusion-xlsx"] {
        let e = env.echec(&["offre", "exporter", "--format-sortie", format], 2);
        assert!(e.contains("--sortie est obligatoire"), "{e}");
    }

    // A value that a spreadsheet would run as a formula is published as it is.
    let env = Env::initialisee();
    let fichier = env.dir.path().join("formule.csv");
    std::fs::write(
        &fichier,
        "id;nom;structure;description;date_maj;code_insee\n\
         F-1;=Atelier numérique;@CCAS de Verdun;+Un atelier pour tous.;2026-10-01;55545\n",
    )
    .unwrap();
    env.ok(&[
        "offre",
        "importer",
        fichier.to_str().unwrap(),
        "--source",
        "ccas",
        "--appliquer",
    ]);
    let (code, _, stderr) = exporter(&env, &["--format-sortie", "data-inclusion-csv", "--sortie", "pub"]);
    assert_eq!(code, 0, "{stderr}");
    let services = std::fs::read_to_string(env.dir.path().join("pub/services.csv")).unwrap();
    assert!(
        services.contains(",=Atelier numérique,+Un atelier pour tous.,"),
        "{services}"
    );
    let structures = std::fs::read_to_string(env.dir.path().join("pub/structures.csv")).unwrap();
    assert!(structures.contains(",@CCAS de Verdun,"), "{structures}");
}

/// A partner's list, written in the test's folder, imported as `source`.
fn importer(env: &Env, source: &str, contenu: &str, autres: &[&str]) -> String {
    let fichier = env.dir.path().join(format!("{source}.csv"));
    std::fs::write(&fichier, contenu).unwrap();
    let mut args = vec![
        "offre",
        "importer",
        fichier.to_str().unwrap(),
        "--source",
        source,
        "--appliquer",
    ];
    args.extend(autres);
    let out = env.spie(&args).output().unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    stderr
}

#[test]
fn offers_without_description_or_date_are_imported_then_listed_as_not_publishable() {
    let env = Env::initialisee();
    let stderr = importer(
        &env,
        "ml",
        "id;nom;structure;description;date_maj;code_insee\n\
         A;Atelier CV;Mission locale;Écrire son CV.;2026-10-01;55545\n\
         B;Permis;Mission locale;;2026-10-01;55545\n\
         C;Garde d'enfants;Mission locale;Une garde ponctuelle.;;55545\n\
         D;Épicerie;Mission locale;Oui;2026-10-01;55545\n",
        &[],
    );
    assert!(
        stderr.contains("description absente : l'offre ne pourra pas être publiée"),
        "{stderr}"
    );
    assert!(
        stderr.contains("description trop courte (moins de 5 caractères) : l'offre ne pourra pas être publiée"),
        "{stderr}"
    );
    assert!(stderr.contains("date de mise à jour absente"), "{stderr}");
    let (code, sortie, stderr) = exporter(&env, &[]);
    assert_eq!(code, 3, "{stderr}");
    let document: Value = serde_json::from_str(&sortie).unwrap();
    let ids: Vec<&str> = document["services"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["ml--A"]);
    assert!(stderr.contains("3 offres ne peuvent pas être publiées"), "{stderr}");
    // Each named by source, name, and the line of the partner's file that gave it.
    assert!(
        stderr.contains("ml / D « Épicerie » (ligne 5 de ml.csv) : description trop courte"),
        "{stderr}"
    );
    assert!(
        stderr.contains("ml / B « Permis » (ligne 3 de ml.csv) : description absente"),
        "{stderr}"
    );
    assert!(
        stderr.contains("ml / C « Garde d'enfants » (ligne 4 de ml.csv) : date de mise à jour absente"),
        "{stderr}"
    );

    // A profile's [fixe] gives what the partner omits: every offer is published but the
    // one whose description is there, too short.
    let profil = env.dir.path().join("ml.toml");
    std::fs::write(
        &profil,
        "[fixe]\ndescription = \"Offre de la mission locale, sur rendez-vous.\"\ndate_maj = \"2026-09-01\"\n",
    )
    .unwrap();
    let fichier = env.dir.path().join("ml.csv");
    env.ok(&[
        "offre",
        "importer",
        fichier.to_str().unwrap(),
        "--source",
        "ml",
        "--profil",
        profil.to_str().unwrap(),
        "--appliquer",
    ]);
    let (code, sortie, stderr) = exporter(&env, &[]);
    assert_eq!(code, 3, "{stderr}");
    assert!(stderr.contains("1 offre ne peut pas être publiée"), "{stderr}");
    let document: Value = serde_json::from_str(&sortie).unwrap();
    assert_eq!(document["services"].as_array().unwrap().len(), 3);
    assert_eq!(
        document["services"][1]["description"],
        "Offre de la mission locale, sur rendez-vous."
    );
    assert_eq!(document["services"][2]["date_maj"], "2026-09-01");
    assert!(regles::export(&document).is_empty(), "{:?}", regles::export(&document));
}

#[test]
fn source_link_weekly_hours_and_weeks_go_through_import_and_export() {
    let env = Env::initialisee();
    let stderr = importer(
        &env,
        "ml",
        "id;nom;structure;description;date_maj;code_insee;lien_source;Heures par semaine;Nombre de semaines\n\
         A;Atelier CV;Mission locale;Écrire son CV.;2026-10-01;55545;https://ml.example.org/offres/a;3,5;6\n\
         B;Permis;Mission locale;Préparer le code.;2026-10-01;55545;;beaucoup;0\n",
        &[],
    );
    assert!(stderr.contains("volume horaire illisible"), "{stderr}");
    assert!(stderr.contains("nombre de semaines illisible"), "{stderr}");
    let (code, sortie, stderr) = exporter(&env, &[]);
    assert_eq!(code, 0, "{stderr}");
    let document: Value = serde_json::from_str(&sortie).unwrap();
    let a = &document["services"][0];
    assert_eq!(a["lien_source"], "https://ml.example.org/offres/a");
    assert_eq!(a["volume_horaire_hebdomadaire"], 3.5);
    assert_eq!(a["nombre_semaines"], 6);
    let b = &document["services"][1];
    assert!(b["lien_source"].is_null() && b["volume_horaire_hebdomadaire"].is_null() && b["nombre_semaines"].is_null());
    let voir = env.ok(&["offre", "voir", "1"]);
    assert!(voir.contains("3,5 h par semaine pendant 6 semaines"), "{voir}");
}

#[test]
fn only_the_structures_own_sources_are_exported_by_default() {
    let env = Env::initialisee();
    let ligne = "id;nom;structure;description;date_maj;code_insee\n\
                 1;Atelier CV;CCAS de Verdun;Écrire son CV.;2026-10-01;55545\n";
    importer(&env, "ccas", ligne, &[]);
    importer(&env, "annuaire-national", ligne, &[]);
    // Until marked external, a source is the structure's own.
    let (_, sortie, _) = exporter(&env, &[]);
    let sources = |sortie: &str| -> Vec<String> {
        let d: Value = serde_json::from_str(sortie).unwrap();
        d["services"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["id"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(sources(&sortie), ["ccas--1", "annuaire-national--1"]);
    // Marking needs an administrator.
    let e = env.echec(
        &[
            "offre", "sources", "--externe", "annuaire-national", "--agent", "m.durand",
        ],
        1,
    );
    assert!(e.contains("administrateur"), "{e}");
    let e = env.echec(&["offre", "sources", "--externe", "annuaire"], 2);
    assert!(e.contains("annuaire") && e.contains("annuaire-national"), "{e}");
    let liste = env.json(&["offre", "sources", "--externe", "annuaire-national"]);
    assert_eq!(liste[0]["source"], "annuaire-national");
    assert_eq!(liste[0]["externe"], true);
    assert_eq!(liste[1]["externe"], false);
    let (code, sortie, stderr) = exporter(&env, &[]);
    assert_eq!(code, 0);
    assert_eq!(sources(&sortie), ["ccas--1"]);
    assert!(
        stderr.contains("sources externes non republiées : annuaire-national"),
        "{stderr}"
    );
    // --sources chooses, external ones included; an unknown name is a usage error.
    let (_, sortie, _) = exporter(&env, &["--sources", "annuaire-national"]);
    assert_eq!(sources(&sortie), ["annuaire-national--1"]);
    let (_, sortie, _) = exporter(&env, &["--sources", "toutes"]);
    assert_eq!(sources(&sortie).len(), 2);
    let e = env.echec(&["offre", "exporter", "--sources", "ccas,autre"], 2);
    assert!(e.contains("autre") && e.contains("annuaire-national, ccas"), "{e}");
    // And back to the structure's own.
    env.ok(&["offre", "sources", "--propre", "annuaire-national"]);
    let (_, sortie, _) = exporter(&env, &[]);
    assert_eq!(sources(&sortie).len(), 2);
}

#[test]
fn a_workbook_name_picks_the_workbook_format_and_contradictions_are_refused() {
    let env = demo();
    let (code, _, stderr) = exporter(&env, &["--sortie", "publication.xlsx"]);
    assert_eq!(code, 0, "{stderr}");
    let octets = std::fs::read(env.dir.path().join("publication.xlsx")).unwrap();
    assert!(octets.starts_with(b"PK\x03\x04"), "a workbook, not JSON in a .xlsx");
    let (code, _, stderr) = exporter(
        &env,
        &["--sortie", "autre.xlsx", "--format-sortie", "data-inclusion-json"],
    );
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("--format-sortie data-inclusion-xlsx"), "{stderr}");
    let e = env.echec(
        &[
            "offre", "sources", "--externe", "france-services", "--propre", "france-services",
        ],
        2,
    );
    assert!(e.contains("à la fois --externe et --propre"), "{e}");
}

/// `spie offre exporter | head -1` on a large catalogue: the reader goes after the first
/// line, the export stops quietly (code 0), and nothing claims that offers were exported
/// nor lists those left out (the reader did not get the others either).
#[test]
fn an_export_read_by_head_stops_quietly_when_the_pipe_closes() {
    use std::io::{BufRead, BufReader};
    let env = Env::initialisee();
    let mut csv = String::from("id;nom;structure;description;date_maj;code_insee\n");
    csv.push_str("X;Sans description;Mission locale;;2026-10-01;55545\n");
    for i in 0..3000 {
        csv.push_str(&format!(
            "K{i};Atelier {i};Mission locale;Un atelier pour écrire son CV.;2026-10-01;55545\n"
        ));
    }
    importer(&env, "ml", &csv, &[]);
    let mut enfant = env
        .processus(binaire(), &["offre", "exporter"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut premiere = String::new();
    BufReader::new(enfant.stdout.take().unwrap())
        .read_line(&mut premiere)
        .unwrap();
    assert_eq!(premiere, "{\n");
    // The reader is dropped here, with more than a pipe's buffer still to come.
    let sortie = enfant.wait_with_output().unwrap();
    let stderr = String::from_utf8(sortie.stderr).unwrap();
    assert_eq!(sortie.status.code(), Some(0), "{stderr}");
    assert_eq!(stderr, "", "rien ne laisse croire que les données sont parvenues");
}

/// The line an offer was read at follows the partner's file: the same file reordered
/// changes no offer, but the export names the offer at its new line, of the new file.
#[test]
fn an_unpublishable_offer_is_named_at_its_line_in_the_last_file_read() {
    let env = Env::initialisee();
    let entete = "id;nom;structure;description;date_maj;code_insee\n";
    let a = "A;Atelier CV;Mission locale;Écrire son CV.;2026-10-01;55545\n";
    let b = "B;Permis;Mission locale;;2026-10-01;55545\n";
    importer(&env, "ml", &format!("{entete}{a}{b}"), &[]);
    let (code, _, stderr) = exporter(&env, &[]);
    assert_eq!(code, 3, "{stderr}");
    assert!(stderr.contains("« Permis » (ligne 3 de ml.csv)"), "{stderr}");
    // The same rows, reordered, in a file of another name: nothing changes but the line.
    let fichier = env.dir.path().join("offres-ml-decembre.csv");
    std::fs::write(&fichier, format!("{entete}{b}{a}")).unwrap();
    let bilan = env.json(&[
        "offre",
        "importer",
        fichier.to_str().unwrap(),
        "--source",
        "ml",
        "--appliquer",
    ]);
    assert_eq!(
        (bilan["modifiees"].as_i64(), bilan["inchangees"].as_i64()),
        (Some(0), Some(2)),
        "{bilan}"
    );
    let (_, _, stderr) = exporter(&env, &[]);
    assert!(
        stderr.contains("ml / B « Permis » (ligne 2 de offres-ml-decembre.csv) : description absente"),
        "{stderr}"
    );
    let voir = env.json(&["offre", "voir", "2"]);
    assert_eq!(voir["provenance"]["ligne"], 2, "{voir}");
}

/// A thematique given as its category alone is not published: the export names each
/// offer concerned (source, identifiant, name, line of the partner's file), the first ten,
/// then counts the others.
#[test]
fn an_offer_whose_thematique_is_reduced_to_a_category_is_named() {
    let env = Env::initialisee();
    let mut texte = String::from("id;nom;structure;description;date_maj;code_insee;thematiques\n");
    texte += "A;Atelier CV;Mission locale;Écrire son CV.;2026-10-01;55545;mobilite--preparer-un-permis\n";
    for i in 1..=12 {
        texte += &format!("N{i};Atelier numérique {i};Mission locale;Un atelier.;2026-10-01;55545;numerique\n");
    }
    importer(&env, "ml", &texte, &[]);
    let (code, sortie, stderr) = exporter(&env, &[]);
    assert_eq!(code, 0, "{stderr}");
    let document: Value = serde_json::from_str(&sortie).unwrap();
    assert_eq!(document["services"].as_array().unwrap().len(), 13);
    assert!(
        stderr.contains(
            "12 offres : thématique réduite à une catégorie, non publiée (le schéma v1 veut `categorie--besoin`) :"
        ),
        "{stderr}"
    );
    assert!(
        stderr.contains("\n  ml / N1 « Atelier numérique 1 » (ligne 3 de ml.csv) : numerique"),
        "{stderr}"
    );
    assert!(stderr.contains("« Atelier numérique 10 »"), "{stderr}");
    assert!(!stderr.contains("« Atelier numérique 11 »"), "{stderr}");
    assert!(stderr.contains("\n  … et 2 de plus"), "{stderr}");
    assert!(!stderr.contains("« Atelier CV »"), "{stderr}");
}
