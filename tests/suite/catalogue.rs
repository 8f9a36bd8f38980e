//! Importing the data·inclusion national catalogue (services and structures, JSON and
//! CSV): one département's offers, each under its producer, nothing of another source
//! withdrawn.

use super::commun::{self, Env, fixture};

fn importer(env: &Env, services: &str, autres: &[&str]) -> (i32, serde_json::Value, String) {
    commun::importer(env, services, "data-inclusion", autres)
}

/// Source, id, structure, commune, phone, publics, thematiques, types of the active offers.
fn offres(env: &Env) -> Vec<String> {
    let conn = rusqlite::Connection::open(env.base()).unwrap();
    let mut stmt = conn
        .prepare(
            "SELECT s.nom || ' ' || o.identifiant || ' | ' || coalesce(o.structure_nom, '') || ' | '
                    || coalesce(o.commune, '') || ' | ' || coalesce(o.telephone, '') || ' | ' || o.publics
                    || ' | ' || o.thematiques || ' | ' || o.types
             FROM offre o JOIN source s ON s.id = o.source_id
             WHERE o.retiree_le IS NULL ORDER BY s.nom, o.identifiant",
        )
        .unwrap();
    stmt.query_map([], |r| r.get(0)).unwrap().map(Result::unwrap).collect()
}

#[test]
fn the_departements_offers_of_the_national_catalogue_are_imported_under_their_producers() {
    let env = Env::initialisee();
    // The structure's own list, imported before: the catalogue leaves it alone.
    env.ok(&[
        "offre",
        "importer",
        &fixture("offres/utf8-point-virgule.csv"),
        "--source",
        "ccas",
        "--appliquer",
    ]);
    let propres = env.sql("SELECT count(*) FROM offre WHERE retiree_le IS NULL");
    let (code, bilan, stderr) = importer(
        &env,
        &fixture("data-inclusion/services.json"),
        &[
            "--structures",
            &fixture("data-inclusion/structures.json"),
            "--departement",
            "--appliquer",
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(bilan["format"], "json");
    // Nancy, Paris and a service open to all of France are not of Meuse.
    assert_eq!(
        (bilan["lignes"].as_u64(), bilan["hors_departement"].as_u64()),
        (Some(3), Some(3))
    );
    assert_eq!(
        bilan["sources"],
        serde_json::json!(["data-inclusion/dora", "data-inclusion/soliguide"])
    );
    assert!(stderr.contains("3 objets lus"), "{stderr}");
    let attendu = [
        // No place of its own: its structure's, and its structure's name and phone.
        "data-inclusion/dora dora--svc1 | Mission locale du Nord meusien | 55545 | 03 29 86 00 01 | jeunes \
         | mobilite--financer-ma-mobilite,mobilite--preparer-un-permis | accompagnement",
        // No place at all, open to Meuse by its zone.
        "data-inclusion/dora dora--svc4 | Plateforme d'accompagnement à distance |  | 09 70 00 00 04 | tous-publics \
         | numerique--acceder-a-des-services-en-ligne | accompagnement",
        "data-inclusion/soliguide soliguide--svc3 | Épicerie solidaire barisienne | 55029 |  \
         | beneficiaires-des-minimas-sociaux,familles | equipement-et-alimentation--alimentation | aide-materielle",
    ];
    let catalogue: Vec<String> = offres(&env)
        .into_iter()
        .filter(|o| o.starts_with("data-inclusion"))
        .collect();
    assert_eq!(catalogue, attendu);
    assert_eq!(
        env.sql("SELECT count(*) FROM offre WHERE retiree_le IS NULL"),
        propres + 3
    );
    // Not republished by default; named, the catalogue's source gives all its producers.
    let exporter = |args: &[&str]| -> serde_json::Value {
        let sortie = env
            .spie(&[&["offre", "exporter", "--format", "json"], args].concat())
            .output()
            .unwrap();
        serde_json::from_slice(&sortie.stdout).unwrap()
    };
    let export = exporter(&[]);
    assert!(!export.to_string().contains("dora--svc1"), "{export}");
    let export = exporter(&["--sources", "data-inclusion"]);
    let ids: Vec<&str> = (export["services"].as_array().unwrap().iter())
        .map(|s| s["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids.len(), 3, "{ids:?}");
    // Each keeps its producer's source: spie does not rename another publisher's data.
    assert_eq!(ids, ["dora--svc1", "soliguide--svc3", "dora--svc4"]);

    // The same catalogue as CSV, its lists written ['a', 'b']: the same offers.
    let (code, bilan, stderr) = importer(
        &env,
        &fixture("data-inclusion/services.csv"),
        &[
            "--structures",
            &fixture("data-inclusion/structures.csv"),
            "--departement",
            "55",
            "--appliquer",
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        (bilan["format"].as_str(), bilan["inchangees"].as_u64()),
        (Some("csv"), Some(3))
    );
    assert_eq!(bilan["retirees"], 0);
    assert!(
        stderr.contains("hors du département, ignorées)"),
        "lignes … ignorées : {stderr}"
    );

    // The same files, objects in reverse order (the first ones lack keys others have), and
    // the services inside an object as `offre exporter` and APIs write them: nothing changes.
    let inverse = |nom: &str, enveloppe: bool| {
        let mut objets: Vec<serde_json::Value> =
            serde_json::from_str(&std::fs::read_to_string(fixture(&format!("data-inclusion/{nom}.json"))).unwrap())
                .unwrap();
        objets.reverse();
        let texte = if enveloppe {
            serde_json::json!({"total": objets.len(), "services": objets}).to_string()
        } else {
            serde_json::to_string(&objets).unwrap()
        };
        let chemin = env.dir.path().join(format!("{nom}-inverse.json"));
        std::fs::write(&chemin, texte).unwrap();
        chemin.display().to_string()
    };
    let (services, structures) = (inverse("services", true), inverse("structures", false));
    let (code, bilan, stderr) = importer(
        &env,
        &services,
        &["--structures", &structures, "--departement", "--appliquer"],
    );
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        (bilan["inchangees"].as_u64(), bilan["modifiees"].as_u64()),
        (Some(3), Some(0)),
        "{stderr}"
    );
    assert!(
        stderr.contains("3 hors du département, ignorés)"),
        "objets … ignorés : {stderr}"
    );

    // A new catalogue without one service of dora: withdrawn from dora only.
    let sans: Vec<serde_json::Value> = serde_json::from_str::<Vec<serde_json::Value>>(
        &std::fs::read_to_string(fixture("data-inclusion/services.json")).unwrap(),
    )
    .unwrap()
    .into_iter()
    .filter(|s| s["id"] != "dora--svc4")
    .collect();
    let chemin = env.dir.path().join("services-sans.json");
    std::fs::write(&chemin, serde_json::to_string(&sans).unwrap()).unwrap();
    let (_, bilan, _) = importer(
        &env,
        chemin.to_str().unwrap(),
        &[
            "--structures",
            &fixture("data-inclusion/structures.json"),
            "--departement",
            "--appliquer",
        ],
    );
    assert_eq!(bilan["retirees"], 1);
    assert_eq!(
        env.sql("SELECT count(*) FROM offre WHERE identifiant = 'dora--svc4' AND retiree_le IS NOT NULL"),
        1
    );
    assert_eq!(
        env.sql("SELECT count(*) FROM offre WHERE retiree_le IS NULL"),
        propres + 2
    );
}

#[test]
fn bad_objects_and_arguments_of_a_catalogue_import_are_named() {
    let env = Env::initialisee();
    let ecrire = |nom: &str, texte: &str| {
        let chemin = env.dir.path().join(nom);
        std::fs::write(&chemin, texte).unwrap();
        chemin.display().to_string()
    };
    // Rows are objects: a rejected one is named by its number in the file.
    let services = ecrire(
        "services.json",
        r#"[{"source": "dora", "id": "a", "nom": "Atelier CV", "code_insee": "55545", "date_maj": "2026-02-30"},
            {"source": "dora sans espace ?", "id": "b", "nom": "Atelier", "code_insee": "55545"}]"#,
    );
    let (code, bilan, stderr) = importer(&env, &services, &[]);
    assert_eq!(code, 3, "{stderr}");
    assert_eq!(bilan["rejetees"], 2);
    assert!(stderr.contains("objet 1 rejeté, colonne « date_maj »"), "{stderr}");
    assert!(
        stderr.contains("objet 2 rejeté, colonne « source »") && stderr.contains("producteur illisible"),
        "{stderr}"
    );
    let casse = ecrire(
        "casse.json",
        "[{\"id\": \"a\", \"nom\": \"Atelier\"},\n{\"id\": \"b\" \"nom\": 1}]",
    );
    let e = env.echec(&["offre", "importer", &casse, "--source", "x"], 1);
    assert!(e.contains("JSON illisible, ligne 2") && e.contains("aide :"), "{e}");
    let e = env.echec(
        &["offre", "importer", &services, "--source", "x", "--departement", "56x"],
        2,
    );
    assert!(e.contains("n'est pas un code de département"), "{e}");
    let sans_id = ecrire("structures.csv", "nom;commune\nMission locale;Verdun\n");
    let e = env.echec(
        &[
            "offre", "importer", &services, "--source", "x", "--structures", &sans_id,
        ],
        1,
    );
    assert!(e.contains("aucune colonne « id »"), "{e}");
    assert_eq!(env.sql("SELECT count(*) FROM offre"), 0);
}
