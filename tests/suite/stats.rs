//! Monthly indicators on a scripted scenario, with the boundaries computed by hand.

use std::path::PathBuf;

use super::commun::Env;

const PLUS_TARD: &str = "2027-01-15";

/// A pseudonymisation key as `openssl rand -base64 32` makes one (synthetic).
pub const CLE: &str = "q2mX3nLr0b9sVYk1cJt7ZpW8aHf4uEo6iDg5yTxNwRs=";

/// Exports the pack of `mois` to `pack/` under [`CLE`]; returns its `indicateurs.csv`.
pub fn indicateurs_du_pack(env: &Env, mois: &str) -> String {
    let export = env
        .spie(&["stats", "export", "--mois", mois, "--sortie", "pack"])
        .env("SPIE_CLE_PSEUDO", CLE)
        .output()
        .unwrap();
    assert!(export.status.success(), "{}", String::from_utf8_lossy(&export.stderr));
    std::fs::read_to_string(env.dir.path().join("pack/indicateurs.csv")).unwrap()
}

/// Runs a command on a later day (so that everything of October 2026 can be recorded).
fn ok(env: &Env, args: &[&str]) -> String {
    let out = env.spie(args).env("SPIE_DATE", PLUS_TARD).output().unwrap();
    assert!(
        out.status.success(),
        "{args:?} : {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn ouvrir(env: &Env, nom: &str, entree: &str, referent: bool) -> String {
    let mut args = vec![
        "parcours", "ouvrir", "--nom", nom, "--prenom", "X", "--naissance", "1980-01-01", "--commune", "Verdun",
        "--date", entree,
    ];
    if referent {
        args.extend(["--referent", "m.durand"]);
    }
    ok(env, &args).trim().to_owned()
}

#[test]
fn every_indicator_of_a_month_with_its_boundaries() {
    let env = Env::initialisee();
    // October 2026: D0 = 01/10, D1 = 31/10; contacts count in ]02/08, 31/10].
    let a = ouvrir(&env, "Alpha", "2026-10-01", true); // entry on D0
    ok(
        &env,
        &[
            "diagnostic", "nouveau", &a, "--date", "2026-10-31", "--contrainte", "mobilite=sans-impact",
        ],
    ); // day 30: on time
    ok(
        &env,
        &[
            "parcours", "action", "ajouter", &a, "--libelle", "Permis", "--thematique", "mobilite--preparer-un-permis",
            "--date", "2026-10-20",
        ],
    );
    ok(
        &env,
        &["parcours", "action", "statut", "1", "realisee", "--date", "2026-10-25"],
    );
    let catalogue = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fixtures/offres/utf8-point-virgule.csv");
    env.spie(&[
        "offre",
        "importer",
        catalogue.to_str().unwrap(),
        "--source",
        "partenaire",
        "--appliquer",
    ])
    .env("SPIE_DATE", PLUS_TARD)
    .assert()
    .success();
    ok(&env, &["offre", "prescrire", &a, "1", "--date", "2026-10-05"]);

    let b = ouvrir(&env, "Bravo", "2026-06-01", false);
    ok(
        &env,
        &[
            "diagnostic", "nouveau", &b, "--date", "2026-06-05", "--contrainte", "mobilite=fort", "--activite-24-mois",
            "non",
        ],
    );
    ok(&env, &["parcours", "orienter", &b, "social", "--date", "2026-06-06"]);
    ok(
        &env,
        &[
            "parcours", "note", &b, "contact", "--type", "entretien", "--date", "2026-08-02",
        ],
    ); // day 90 before D1: out

    let c = ouvrir(&env, "Charlie", "2026-06-01", true);
    ok(
        &env,
        &[
            "parcours", "note", &c, "contact", "--type", "telephone", "--date", "2026-08-03",
        ],
    ); // day 89: in, but…
    ok(
        &env,
        &[
            "parcours", "clore", &c, "--motif", "emploi-durable", "--date", "2026-10-31",
        ],
    ); // …exit on D1

    let d = ouvrir(&env, "Delta", "2026-10-15", false);
    ok(
        &env,
        &[
            "diagnostic", "nouveau", &d, "--date", "2026-11-15", "--contrainte", "mobilite=sans-impact",
        ],
    ); // day 31: late

    let e = ouvrir(&env, "Echo", "2026-06-01", false);
    ok(
        &env,
        &[
            "parcours", "note", &e, "contact", "--type", "atelier", "--date", "2026-10-10",
        ],
    );
    ok(&env, &["parcours", "orienter", &e, "pro", "--date", "2026-11-02"]); // decided after D1
    ok(
        &env,
        &["parcours", "clore", &e, "--motif", "abandon", "--date", "2026-11-01"],
    ); // exit after D1: still active

    let sortie = ok(&env, &["stats", "mensuel", "--mois", "2026-10", "--format", "json"]);
    let i: serde_json::Value = serde_json::from_str(&sortie).unwrap();
    assert_eq!(i["mois"], "2026-10");
    assert_eq!(i["file_active"], 4, "A, B, D, E ; C sort le dernier jour");
    assert_eq!(i["entrees"], 2);
    assert_eq!(i["sorties"], 1);
    assert_eq!(i["sorties_emploi"], 1);
    assert_eq!(i["sorties_par_motif"], serde_json::json!({"emploi-durable": 1}));
    assert_eq!(i["diagnostics"], 1);
    assert_eq!(i["taux_diagnostic_30j"], 0.5, "jour 30 à temps, jour 31 en retard");
    assert_eq!(i["provisoire"], false);
    assert_eq!(i["delai_median_diagnostic"], 30.5);
    assert_eq!(
        i["orientations"],
        serde_json::json!({"pro": 0, "sociopro": 0, "social": 1, "non_oriente": 3})
    );
    assert_eq!(i["taux_referent"], 0.25);
    assert_eq!(i["taux_contact_90j"], 0.25, "le contact au 90e jour ne compte pas");
    assert_eq!(i["freins"]["mobilite"], 1);
    assert_eq!(i["freins"]["sante"], 0);
    assert_eq!(i["actions_creees"], serde_json::json!({"mobilite": 2}));
    assert_eq!(i["actions_realisees"], serde_json::json!({"mobilite": 1}));
    assert_eq!(i["prescriptions"], serde_json::json!({"partenaire": 1}));

    // Before the 30 days after D1 are over, the diagnostic rate is provisional.
    let tot = env
        .spie(&["stats", "mensuel", "--mois", "2026-10", "--format", "json"])
        .env("SPIE_DATE", "2026-11-29")
        .output()
        .unwrap();
    let i: serde_json::Value = serde_json::from_slice(&tot.stdout).unwrap();
    assert_eq!(i["provisoire"], true);

    // By référent: m.durand holds A at D1; the others have none.
    let par = ok(
        &env,
        &[
            "stats", "mensuel", "--mois", "2026-10", "--par", "referent", "--format", "json",
        ],
    );
    let par: serde_json::Value = serde_json::from_str(&par).unwrap();
    let groupe = |g: &str| par.as_array().unwrap().iter().find(|x| x["groupe"] == g).unwrap()["file_active"].clone();
    assert_eq!(groupe("m.durand"), 1);
    assert_eq!(groupe("sans référent"), 3);
    assert_eq!(groupe("total"), 4);

    // The default month is the last complete one.
    let defaut = ok(&env, &["stats", "mensuel", "--format", "json"]);
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&defaut).unwrap()["mois"],
        "2026-12"
    );
    let e = env.echec(&["stats", "mensuel", "--mois", "2026-13"], 2);
    assert!(e.contains("AAAA-MM"), "{e}");
}

pub fn lire_csv(chemin: &std::path::Path) -> Vec<Vec<String>> {
    let octets = std::fs::read(chemin).unwrap();
    assert!(octets.starts_with(b"\xef\xbb\xbf"), "UTF-8 avec BOM");
    let texte = String::from_utf8(octets[3..].to_vec()).unwrap();
    csv::ReaderBuilder::new()
        .delimiter(b';')
        .has_headers(false)
        .from_reader(texte.as_bytes())
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect()
}

#[test]
fn the_departements_pack_is_pseudonymised_protected_and_reproducible() {
    let env = Env::vide();
    env.ok(&["demo", "--personnes", "400", "--graine", "5"]);
    let e = env.echec(&["stats", "export", "--mois", "2026-10", "--sortie", "pack"], 1);
    assert!(e.contains("SPIE_CLE_PSEUDO"), "{e}");
    assert!(!env.dir.path().join("pack").exists(), "rien n'est écrit sans clé");

    let exporter = |dossier: &str| {
        env.spie(&[
            "stats", "export", "--mois", "2026-10", "--sortie", dossier, "--agent", "demo",
        ])
        .env("SPIE_CLE_PSEUDO", CLE)
        .assert()
        .success();
    };
    exporter("pack");
    exporter("pack2");
    // (The manifest names the audit trail's head, which each export moves.)
    for f in ["indicateurs.csv", "parcours.csv", "territoire.csv"] {
        let (a, b) = (
            std::fs::read(env.dir.path().join("pack").join(f)).unwrap(),
            std::fs::read(env.dir.path().join("pack2").join(f)).unwrap(),
        );
        assert_eq!(a, b, "{f} : deux exports, mêmes octets");
    }

    // No published count below the threshold.
    let indicateurs = lire_csv(&env.dir.path().join("pack/indicateurs.csv"));
    let entetes = &indicateurs[0];
    for ligne in &indicateurs[1..] {
        for (i, cellule) in ligne.iter().enumerate().skip(2) {
            if let Ok(n) = cellule.parse::<u64>() {
                assert!(n == 0 || n >= 5, "{} = {n} publié ({ligne:?})", entetes[i]);
            }
        }
    }
    // No hidden count can be recovered from a column total: never exactly one hidden EPCI cell
    // under a shown total.
    let total = indicateurs.last().unwrap();
    assert_eq!(total[0], "total");
    for c in 2..entetes.len() {
        let caches = indicateurs[1..indicateurs.len() - 1]
            .iter()
            .filter(|l| l[c].starts_with('<'))
            .count();
        assert!(
            caches != 1 || total[c].starts_with('<') || total[c].is_empty(),
            "colonne {}",
            entetes[c]
        );
    }

    // parcours.csv: pseudonyms, no personal data.
    let parcours = lire_csv(&env.dir.path().join("pack/parcours.csv"));
    assert_eq!(parcours[0][0], "pseudonyme");
    assert!(
        parcours[1..]
            .iter()
            .all(|l| l[0].len() == 64 && l[0].bytes().all(|b| b.is_ascii_hexdigit()))
    );
    let conn = rusqlite::Connection::open(env.base()).unwrap();
    let mut stmt = conn
        .prepare("SELECT nom, prenom, naissance, coalesce(telephone, ''), coalesce(courriel, '') FROM personne")
        .unwrap();
    let personnes: Vec<[String; 5]> = stmt
        .query_map([], |r| Ok([r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?]))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let texte = ["parcours.csv", "indicateurs.csv", "territoire.csv", "manifeste.txt"]
        .map(|f| std::fs::read_to_string(env.dir.path().join("pack").join(f)).unwrap())
        .concat();
    assert!(!texte.contains(CLE), "jamais la clé, seulement son empreinte");
    for p in personnes.iter().take(200) {
        for valeur in p.iter().filter(|v| v.len() > 3) {
            assert!(
                !texte.contains(&format!(";{valeur};")),
                "donnée personnelle exportée : {valeur}"
            );
        }
    }
    assert!(!texte.contains("@"), "aucun courriel");
    let journal: Vec<String> = conn
        .prepare("SELECT DISTINCT texte FROM journal")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    for t in journal {
        assert!(!texte.contains(&t), "texte libre exporté");
    }
}

#[test]
fn the_same_person_has_the_same_pseudonym_in_two_bases() {
    let pack = |structure: &str| -> Vec<Vec<String>> {
        let env = Env::vide();
        env.ok(&["base", "init", "--essai", "--structure", structure]);
        // Five people alike, so that the row file (k-anonymous) publishes them.
        for (nom, prenom) in [
            ("Lefèvre", "Éloïse"),
            ("Martin", "Jules"),
            ("Bernard", "Inès"),
            ("Petit", "Hugo"),
            ("Robert", "Lina"),
        ] {
            env.ok(&[
                "parcours", "ouvrir", "--nom", nom, "--prenom", prenom, "--naissance", "1985-03-12", "--commune",
                "Verdun", "--date", "2026-09-01",
            ]);
        }
        env.spie(&["stats", "export", "--mois", "2026-10", "--sortie", "pack"])
            .env("SPIE_CLE_PSEUDO", CLE)
            .assert()
            .success();
        lire_csv(&env.dir.path().join("pack/parcours.csv"))
    };
    let (a, b) = (pack("CCAS de Verdun"), pack("Mission locale"));
    assert_eq!(a.len(), 6);
    assert_eq!(a, b, "mêmes personnes, mêmes pseudonymes");
    assert_eq!(a[1][1], "26 à 49 ans");
}

#[test]
fn the_report_is_one_self_contained_page() {
    let env = Env::vide();
    env.ok(&["demo", "--personnes", "300"]);
    let sortie = env.json(&["stats", "rapport", "--mois", "2026-10", "--sortie", "rapport.html"]);
    assert_eq!(sortie["fichier"], "rapport.html");
    let html = std::fs::read_to_string(env.dir.path().join("rapport.html")).unwrap();
    assert!(html.contains("Évolution sur 12 mois") && html.matches("<svg").count() == 5);
    // The structure and the month in words; labels, not codes; an axis for each scale.
    assert!(
        html.contains("<h1>Espace insertion Meuse (démo) — octobre 2026</h1>"),
        "{html}"
    );
    for libelle in [
        "Création ou reprise d'entreprise",
        "Parcours socio-professionnel (global)",
        "Non orienté",
        "Logement, hébergement",
    ] {
        assert!(
            html.contains(&libelle.replace('\'', "&#39;")) || html.contains(libelle),
            "{libelle}"
        );
    }
    for code in [">creation-entreprise<", ">sociopro<", ">logement<"] {
        assert!(!html.contains(code), "{code}");
    }
    assert!(html.contains(">file active</text>") && html.contains(">entrées, sorties</text>"));
    assert!(html.contains("Par EPCI de résidence") && html.contains("CA du Grand Verdun"));
    for externe in ["http://", "https://", " src=", "<link", "@import"] {
        assert!(!html.contains(externe), "ressource externe : {externe}");
    }
}

/// An exit is the référent's who held the parcours until it ended, not « sans référent »
/// because their period ends with the parcours.
#[test]
fn an_exit_counts_for_the_referent_who_held_the_parcours() {
    let env = Env::initialisee();
    let n = env.lucie_martin(&["--date", "2026-09-01", "--referent", "m.durand"]);
    env.ok(&[
        "parcours", "clore", &n, "--motif", "emploi-durable", "--date", "2026-10-17",
    ]);
    let par = env.json(&["stats", "mensuel", "--mois", "2026-10", "--par", "referent"]);
    let groupe = |g: &str| {
        par.as_array()
            .unwrap()
            .iter()
            .find(|x| x["groupe"] == g)
            .map(|x| x["sorties"].clone())
    };
    assert_eq!(groupe("m.durand"), Some(1.into()), "{par}");
    assert_ne!(groupe("sans référent"), Some(1.into()), "{par}");
}
