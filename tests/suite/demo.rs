//! `spie demo`: a synthetic base, deterministic, that never replaces a real one.

use super::commun::Env;

#[test]
fn the_demo_builds_a_base_to_explore_at_once() {
    let env = Env::vide();
    let r = env.json(&["demo", "--personnes", "500", "--graine", "3", "--base", "demo.sqlite"]);
    assert_eq!(r["personnes"], 500);
    let ouverts = r["parcours_ouverts"].as_i64().unwrap();
    let clos = r["parcours_clos"].as_i64().unwrap();
    assert!(ouverts > 100 && clos > 100, "{r}");
    let par_epci: i64 = r["ouverts_par_epci"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e[1].as_i64().unwrap())
        .sum();
    assert_eq!(par_epci, ouverts);

    // The agent who ran the demo can use it straight away: the example dossier is one of
    // its structure's, which it may read, list and get offers for.
    let demo = env.dir.path().join("demo.sqlite");
    let b = demo.to_str().unwrap();
    // Like any administrator, it sees the dossiers its structure holds, not the others'.
    let liste_json = env.json(&["parcours", "liste", "--base", b]);
    let de_sa_structure: i64 = rusqlite::Connection::open(&demo)
        .unwrap()
        .query_row(
            "SELECT count(*) FROM parcours pa JOIN agent a ON a.structure_id = pa.structure_id
             WHERE pa.sortie IS NULL AND a.identifiant = ?1",
            [r["agent"].as_str().unwrap()],
            |l| l.get(0),
        )
        .unwrap();
    assert!(de_sa_structure > 0 && de_sa_structure < ouverts, "{de_sa_structure}");
    assert_eq!(liste_json.as_array().unwrap().len() as i64, de_sa_structure);
    // The example dossier, as its référent.
    let dossier = r["exemple_dossier"].as_i64().unwrap().to_string();
    let liste = env.dossiers(&["parcours", "liste", "--base", b]);
    assert!(liste.len() as i64 <= ouverts, "{}", liste.len());
    assert!(liste.contains(&r["exemple_dossier"].as_i64().unwrap()));
    env.ok(&["diagnostic", "a-faire", "--base", b]);
    env.ok(&["diagnostic", "voir", &dossier, "--base", b]);
    env.ok(&["offre", "proposer", &dossier, "--base", b]);
    let referent = r["exemple_referent"].as_str().unwrap();
    let v = env.json(&["parcours", "voir", &dossier, "--base", b, "--agent", referent]);
    assert_eq!(
        v["parcours"].as_array().unwrap().last().unwrap()["referents"]
            .as_array()
            .unwrap()
            .last()
            .unwrap()["agent"],
        referent
    );
    env.ok(&["base", "verifier", "--base", b]);
    // The catalogue: France services through its profile, and synthetic offers.
    let sources = env.json(&["offre", "sources", "--base", b]);
    assert_eq!(sources[0]["source"], "france-services");
    assert_eq!(sources[0]["actives"], 22);
    assert_eq!(sources[1]["actives"], 2500);
    assert_eq!(r["offres"], 2522);
    // It ends with last month's indicators.
    assert_eq!(r["indicateurs"]["mois"], "2026-10");
    assert!(
        r["indicateurs"]["file_active"].as_i64().unwrap() > 100,
        "{}",
        r["indicateurs"]
    );

    // Same seed, same date: same people.
    let avant = env.ok(&["parcours", "liste", "--statut", "tous", "--base", b]);
    env.ok(&["demo", "--personnes", "500", "--graine", "3", "--base", b]);
    assert_eq!(env.ok(&["parcours", "liste", "--statut", "tous", "--base", b]), avant);
    env.ok(&["demo", "--personnes", "500", "--graine", "4", "--base", b]);
    assert_ne!(env.ok(&["parcours", "liste", "--statut", "tous", "--base", b]), avant);
}

#[test]
fn the_demo_never_replaces_a_real_base() {
    let env = Env::initialisee();
    env.ouvrir("Dupont", "Marie", "1985-03-12", "Verdun", &[]);
    let e = env.echec(&["demo", "--personnes", "10"], 1);
    assert!(e.contains("n'est pas une base de démonstration"), "{e}");
    assert_eq!(env.sql("SELECT count(*) FROM personne"), 1);
    std::fs::write(env.dir.path().join("notes.txt"), "mes notes").unwrap();
    env.echec(&["demo", "--personnes", "10", "--base", "notes.txt"], 1);
    assert_eq!(
        std::fs::read_to_string(env.dir.path().join("notes.txt")).unwrap(),
        "mes notes"
    );
}

#[test]
fn without_base_the_demo_goes_to_spie_demo_sqlite() {
    let env = Env::vide();
    let out = env
        .spie(&["demo", "--personnes", "50", "--format", "table"])
        .env_remove("SPIE_BASE")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(env.dir.path().join("spie-demo.sqlite").is_file());
    let table = String::from_utf8(out.stdout).unwrap();
    assert!(
        table.contains("Base de démonstration") && table.contains("Parcours ouverts par EPCI"),
        "{table}"
    );
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("export SPIE_BASE=spie-demo.sqlite SPIE_AGENT=admin"),
        "{stderr}"
    );
}
