//! Dossiers and parcours: open, list, search, show, modify, référent, close, reopen.

use super::commun::Env;

#[test]
fn ouvrir_prints_the_dossier_number_and_stores_the_identity() {
    let env = Env::initialisee();
    let out = env
        .spie(&[
            "parcours", "ouvrir", "--nom", "Lefèvre", "--prenom", "Éloïse", "--naissance", "12/03/1985", "--commune",
            "Verdun", "--sexe", "f", "--telephone", "+33 6 12 34 56 78", "--courriel", "eloise@example.org",
            "--public", "RSA,de", "--referent", "m.durand", "--date", "2026-09-01",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        "1\n",
        "stdout ne porte que le numéro"
    );
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("Dossier 1 ouvert, entrée le 01/09/2026"), "{stderr}");
    assert!(
        !stderr.contains("Lefèvre"),
        "pas de donnée personnelle dans les messages : {stderr}"
    );

    let v = env.json(&["parcours", "voir", "1"]);
    assert_eq!(v["dossier"], 1);
    assert_eq!(v["nom"], "Lefèvre");
    assert_eq!(v["prenom"], "Éloïse");
    assert_eq!(v["naissance"], "1985-03-12");
    assert_eq!(v["age"], 41);
    assert_eq!(v["sexe"], "f");
    assert_eq!(v["commune"], "55545");
    assert_eq!(v["commune_nom"], "Verdun");
    assert_eq!(v["code_epci"], "200049187");
    assert_eq!(v["nom_epci"], "CA du Grand Verdun");
    assert_eq!(v["telephone"], "06 12 34 56 78");
    assert_eq!(v["courriel"], "eloise@example.org");
    assert_eq!(v["publics"], serde_json::json!(["de", "rsa"]));
    assert_eq!(v["statut"], "ouvert");
    assert_eq!(v["parcours"][0]["entree"], "2026-09-01");
    assert_eq!(v["parcours"][0]["structure"], "CCAS de Verdun");
    assert_eq!(v["parcours"][0]["referents"][0]["agent"], "m.durand");
    assert_eq!(v["parcours"][0]["referents"][0]["debut"], "2026-09-01");

    let table = env.ok(&["parcours", "voir", "1", "--format", "table"]);
    for attendu in [
        "Dossier 1",
        "Lefèvre",
        "12/03/1985 (41 ans)",
        "Verdun (55) — INSEE 55545",
        "CA du Grand Verdun",
        "Marc Durand, depuis le 01/09/2026",
    ] {
        assert!(table.contains(attendu), "« {attendu} » absent de :\n{table}");
    }
}

#[test]
fn ouvrir_validates_every_field() {
    let env = Env::initialisee();
    let base = [
        "parcours", "ouvrir", "--nom", "Dupont", "--prenom", "Marie", "--naissance", "1985-03-12",
    ];
    let avec = |extra: &[&str]| -> Vec<String> { base.iter().chain(extra).map(|s| s.to_string()).collect() };
    let cas: &[(&[&str], i32, &str)] = &[
        (&["--commune", "Verdunn"], 1, "vouliez-vous dire Verdun (55)"),
        (&["--commune", "Saint-Martin"], 1, "commune ambiguë"),
        (&["--commune", "Verdun", "--telephone", "12"], 1, "téléphone illisible"),
        (&["--commune", "Verdun", "--courriel", "marie"], 1, "courriel illisible"),
        (
            &["--commune", "Verdun", "--public", "chomeur"],
            1,
            "public « chomeur » inconnu",
        ),
        (
            &["--commune", "Verdun", "--referent", "accueil"],
            1,
            "ne peut pas être référent",
        ),
        (&["--commune", "Verdun", "--referent", "personne"], 1, "agent inconnu"),
        (&["--commune", "Verdun", "--date", "2026-11-27"], 1, "dans le futur"),
        (&["--commune", "Verdun", "--sexe", "x"], 2, "valeurs possibles : f, m"),
    ];
    for (extra, code, attendu) in cas {
        let args = avec(extra);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let e = env.echec(&args, *code);
        assert!(e.contains(attendu), "{extra:?} : {e}");
    }
    let e = env.echec(
        &[
            "parcours", "ouvrir", "--nom", "Dupont", "--prenom", "Marie", "--naissance", "2030-01-01", "--commune",
            "Verdun",
        ],
        1,
    );
    assert!(e.contains("naissance dans le futur"), "{e}");
    let e = env.echec(
        &[
            "parcours", "ouvrir", "--nom", "Dupont", "--prenom", "Marie", "--commune", "Verdun",
        ],
        2,
    );
    assert!(e.contains("--naissance est obligatoire"), "{e}");
    let e = env.echec(
        &[
            "parcours", "ouvrir", "--nom", "1234", "--prenom", "Marie", "--naissance", "1985-03-12", "--commune",
            "Verdun",
        ],
        1,
    );
    assert!(e.contains("au moins une lettre"), "{e}");
    assert_eq!(
        env.sql("SELECT count(*) FROM personne"),
        0,
        "aucune erreur n'écrit quoi que ce soit"
    );
}

#[test]
fn the_commune_is_found_however_it_is_typed() {
    let env = Env::initialisee();
    for (saisie, code) in [
        ("55545", "55545"),
        ("verdun", "55545"),
        ("55100 Verdun", "55545"),
        ("Verdun (55)", "55545"),
        ("st mihiel", "55463"),
        ("BAR-LE-DUC", "55029"),
        ("Nancy", "54395"),
    ] {
        let n = env.ouvrir("Test", "Commune", "1990-01-01", saisie, &["--forcer"]);
        let v = env.json(&["parcours", "voir", &n.to_string()]);
        assert_eq!(v["commune"], code, "{saisie}");
    }
    let e = env.echec(
        &[
            "parcours", "ouvrir", "--nom", "A", "--prenom", "B", "--naissance", "1990-01-01", "--commune", "55100",
        ],
        1,
    );
    assert!(
        e.contains("désigne") && e.contains("Verdun (55)") && e.contains("Champougny (55)"),
        "{e}"
    );
    let e = env.echec(
        &[
            "parcours", "ouvrir", "--nom", "A", "--prenom", "B", "--naissance", "1990-01-01", "--commune", "Vigneulles",
        ],
        1,
    );
    assert!(
        e.contains("Vigneulles-lès-Hattonchâtel (55)") && e.contains("Vigneulles (54)"),
        "{e}"
    );
}

#[test]
fn a_second_open_parcours_for_the_same_person_is_refused() {
    let env = Env::initialisee();
    let n = env.ouvrir("Dupont", "Marie", "1985-03-12", "Verdun", &[]);
    let meme = [
        "parcours", "ouvrir", "--nom", "DUPONT", "--prenom", "marie", "--naissance", "12/03/1985", "--commune",
        "Bar-le-Duc",
    ];
    let e = env.echec(&meme, 1);
    assert!(
        e.contains(&format!("déjà un parcours ouvert : dossier {n}")) && e.contains("--forcer"),
        "{e}"
    );

    env.ok(&["parcours", "clore", &n.to_string(), "--motif", "demenagement"]);
    let e = env.echec(&meme, 1);
    assert!(
        e.contains("parcours clos") && e.contains(&format!("spie parcours rouvrir {n}")),
        "{e}"
    );

    // A homonym born the same day: --forcer, with a warning.
    let out = env.spie(&[&meme[..], &["--forcer"]].concat()).output().unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains(&format!("attention : dossier {n}")));

    // Near matches are only warnings.
    let out = env
        .spie(&[
            "parcours", "ouvrir", "--nom", "Dupont", "--prenom", "Marie", "--naissance", "1986-03-12", "--commune",
            "Verdun",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(&format!("probable doublon du dossier {n} : même nom et prénom")),
        "{stderr}"
    );
    assert!(!stderr.contains("1985"), "pas de date de naissance dans les messages");
}

#[test]
fn liste_filters_by_status_referent_and_epci() {
    let env = Env::initialisee();
    let a = env.ouvrir("Arnaud", "Anne", "1980-01-01", "Verdun", &["--referent", "m.durand"]);
    let b = env.ouvrir("Bernard", "Bruno", "1981-01-01", "Bar-le-Duc", &[]);
    let c = env.ouvrir(
        "Colin",
        "Chloé",
        "1982-01-01",
        "Verdun",
        &["--referent", "m.durand", "--date", "2026-01-10"],
    );
    env.ok(&[
        "parcours",
        "clore",
        &c.to_string(),
        "--motif",
        "emploi-durable",
        "--date",
        "2026-06-30",
    ]);

    let dossiers = |args: &[&str]| -> Vec<i64> { env.dossiers(&[&["parcours", "liste"], args].concat()) };
    assert_eq!(dossiers(&[]), [a, b]);
    assert_eq!(dossiers(&["--statut", "clos"]), [c]);
    assert_eq!(dossiers(&["--statut", "tous"]), [a, b, c]);
    assert_eq!(dossiers(&["--referent", "m.durand"]), [a]);
    assert_eq!(dossiers(&["--referent", "m.durand", "--statut", "tous"]), [a, c]);
    assert_eq!(dossiers(&["--epci", "200049187"]), [a]);
    assert_eq!(dossiers(&["--epci", "CA de Bar-le-Duc - Sud Meuse"]), [b]);
    assert_eq!(dossiers(&["--limite", "1"]), [a]);

    let ligne = &env.json(&["parcours", "liste", "--statut", "clos"])[0];
    assert_eq!(ligne["sortie"], "2026-06-30");
    assert_eq!(ligne["motif_sortie"], "emploi-durable");
    assert_eq!(ligne["referent"], "m.durand");
    assert_eq!(ligne["commune_nom"], "Verdun");

    let e = env.echec(&["parcours", "liste", "--referent", "personne"], 1);
    assert!(e.contains("agent inconnu"), "{e}");
    let e = env.echec(&["parcours", "liste", "--epci", "999"], 1);
    assert!(e.contains("EPCI inconnu"), "{e}");
}

#[test]
fn chercher_ignores_accents_case_and_order_and_finds_birth_dates() {
    let env = Env::initialisee();
    let eloise = env.ouvrir("Lefèvre", "Éloïse", "1985-03-12", "Verdun", &[]);
    let jp = env.ouvrir("N'Diaye", "Jean-Pierre", "1979-07-01", "Verdun", &[]);
    let autre = env.ouvrir("Lefort", "Paul", "1985-03-12", "Verdun", &[]);

    let trouve = |texte: &[&str]| -> Vec<i64> { env.dossiers(&[&["parcours", "chercher"], texte].concat()) };
    assert_eq!(trouve(&["lefevre"]), [eloise]);
    assert_eq!(trouve(&["ELOISE"]), [eloise]);
    assert_eq!(trouve(&["lef"]), [eloise, autre]);
    assert_eq!(trouve(&["eloise lef"]), [eloise]);
    assert_eq!(trouve(&["jean", "diaye"]), [jp]);
    assert_eq!(trouve(&["ndiaye"]), Vec::<i64>::new());
    assert_eq!(trouve(&["12/03/1985"]), [eloise, autre]);
    assert_eq!(trouve(&["lefort", "1985-03-12"]), [autre]);
    assert_eq!(trouve(&["zzz"]), Vec::<i64>::new());
    let e = env.echec(&["parcours", "chercher", "--", "-"], 2);
    assert!(e.contains("rien à chercher"), "{e}");
}

#[test]
fn modifier_corrects_the_identity_and_clears_contacts() {
    let env = Env::initialisee();
    let n = env.ouvrir(
        "Dupond",
        "Marie",
        "1985-03-12",
        "Verdun",
        &["--telephone", "0612345678", "--public", "rsa"],
    );
    let d = n.to_string();
    assert_eq!(
        env.json(&[
            "parcours", "modifier", &d, "--nom", "Dupont", "--commune", "Bar-le-Duc", "--telephone", ""
        ])["dossier"],
        n
    );
    let v = env.json(&["parcours", "voir", &d]);
    assert_eq!(v["nom"], "Dupont");
    assert_eq!(v["commune"], "55029");
    assert_eq!(v["telephone"], serde_json::Value::Null);
    assert_eq!(v["publics"], serde_json::json!(["rsa"]));
    env.ok(&[
        "parcours", "modifier", &d, "--public", "de,rqth", "--courriel", "m@example.org",
    ]);
    let v = env.json(&["parcours", "voir", &d]);
    assert_eq!(v["publics"], serde_json::json!(["de", "rqth"]));
    assert_eq!(v["courriel"], "m@example.org");
    assert_eq!(
        env.json(&["parcours", "chercher", "dupont"])[0]["dossier"],
        n,
        "l'index de recherche suit"
    );
    assert_eq!(env.json(&["parcours", "chercher", "dupond"]), serde_json::json!([]));

    let e = env.echec(&["parcours", "modifier", &d], 2);
    assert!(e.contains("rien à modifier"), "{e}");
    let e = env.echec(&["parcours", "modifier", &d, "--telephone", "abc"], 1);
    assert!(e.contains("téléphone illisible"), "{e}");
    let e = env.echec(&["parcours", "modifier", "99", "--nom", "X"], 1);
    assert!(e.contains("dossier inconnu : 99"), "{e}");
}

#[test]
fn there_is_one_active_referent_and_the_history_is_kept() {
    let env = Env::initialisee();
    env.ok(&[
        "agent", "ajouter", "s.petit", "--nom", "Sophie Petit", "--structure", "1",
    ]);
    let n = env
        .ouvrir("Dupont", "Marie", "1985-03-12", "Verdun", &["--date", "2026-01-05"])
        .to_string();
    env.ok(&["parcours", "referent", &n, "m.durand", "--date", "2026-01-10"]);
    let e = env.echec(&["parcours", "referent", &n, "m.durand"], 1);
    assert!(e.contains("déjà le référent"), "{e}");
    let e = env.echec(&["parcours", "referent", &n, "s.petit", "--date", "2026-01-09"], 1);
    assert!(
        e.contains("antérieure à la désignation du référent actuel (10/01/2026)"),
        "{e}"
    );
    let e = env.echec(&["parcours", "referent", &n, "accueil"], 1);
    assert!(e.contains("ne peut pas être référent"), "{e}");
    assert_eq!(
        env.json(&["parcours", "referent", &n, "s.petit", "--date", "2026-05-01"])["dossier"],
        n.parse::<i64>().unwrap()
    );

    let referents = env.json(&["parcours", "voir", &n])["parcours"][0]["referents"].clone();
    assert_eq!(
        referents,
        serde_json::json!([
            {"agent": "m.durand", "nom": "Marc Durand", "debut": "2026-01-10", "fin": "2026-05-01"},
            {"agent": "s.petit", "nom": "Sophie Petit", "debut": "2026-05-01", "fin": null}
        ])
    );
    assert_eq!(env.sql("SELECT count(*) FROM referent WHERE fin IS NULL"), 1);
}

#[test]
fn clore_and_rouvrir_keep_the_history() {
    let env = Env::initialisee();
    let n = env.ouvrir(
        "Dupont",
        "Marie",
        "1985-03-12",
        "Verdun",
        &["--date", "2025-03-01", "--referent", "m.durand"],
    );
    let d = n.to_string();
    let e = env.echec(&["parcours", "clore", &d, "--motif", "iae", "--date", "2025-02-28"], 1);
    assert!(e.contains("antérieure à l'entrée"), "{e}");
    let e = env.echec(&["parcours", "clore", &d], 2);
    assert!(e.contains("--motif"), "{e}");
    env.ok(&[
        "parcours", "clore", &d, "--motif", "emploi-temporaire", "--date", "2025-09-30",
    ]);
    let e = env.echec(&["parcours", "clore", &d, "--motif", "iae"], 1);
    assert!(e.contains("n'a pas de parcours ouvert") && e.contains("rouvrir"), "{e}");
    let e = env.echec(&["parcours", "referent", &d, "m.durand"], 1);
    assert!(e.contains("n'a pas de parcours ouvert"), "{e}");
    assert_eq!(env.json(&["parcours", "voir", &d])["statut"], "clos");

    let e = env.echec(&["parcours", "rouvrir", &d, "--date", "2025-09-01"], 1);
    assert!(
        e.contains("antérieure à la sortie du parcours précédent (30/09/2025)"),
        "{e}"
    );
    assert_eq!(
        env.json(&["parcours", "rouvrir", &d, "--date", "2026-02-01"])["dossier"],
        n
    );
    let e = env.echec(&["parcours", "rouvrir", &d], 1);
    assert!(e.contains("déjà un parcours ouvert"), "{e}");

    let v = env.json(&["parcours", "voir", &d]);
    assert_eq!(v["statut"], "ouvert");
    let parcours = v["parcours"].as_array().unwrap();
    assert_eq!(parcours.len(), 2);
    assert_eq!(parcours[0]["sortie"], "2025-09-30");
    assert_eq!(parcours[0]["motif_sortie"], "emploi-temporaire");
    assert_eq!(
        parcours[0]["referents"][0]["fin"], "2025-09-30",
        "la période du référent se termine à la sortie"
    );
    assert_eq!(parcours[1]["entree"], "2026-02-01");
    assert_eq!(parcours[1]["sortie"], serde_json::Value::Null);
    let table = env.ok(&["parcours", "voir", &d, "--format", "table"]);
    assert!(
        table.contains("Historique des parcours") && table.contains("emploi temporaire"),
        "{table}"
    );
}

#[test]
fn an_unknown_dossier_is_named_in_the_error() {
    let env = Env::initialisee();
    for args in [
        vec!["parcours", "voir", "42"],
        vec!["parcours", "clore", "42", "--motif", "autre"],
        vec!["parcours", "rouvrir", "42"],
        vec!["parcours", "referent", "42", "m.durand"],
    ] {
        let e = env.echec(&args, 1);
        assert!(
            e.contains("dossier inconnu : 42") && e.contains("spie parcours chercher"),
            "{args:?}: {e}"
        );
    }
}

#[test]
fn a_list_in_a_100_column_terminal_never_cuts_a_date() {
    let mut env = Env::vide();
    env.agent = "demo".into();
    env.ok(&["demo", "--personnes", "200"]);
    let out = env
        .spie(&["--format", "table", "parcours", "liste", "--statut", "clos"])
        .env("COLUMNS", "100")
        .output()
        .unwrap();
    let texte = String::from_utf8(out.stdout).unwrap();
    assert!(texte.lines().count() > 10, "{texte}");
    assert!(texte.lines().all(|l| l.chars().count() <= 100), "{texte}");
    // Each row starts with its dossier number and shows its three dates whole.
    let debuts: Vec<&str> = texte
        .lines()
        .filter(|l| {
            l.trim_start_matches('│')
                .trim_start()
                .starts_with(|c: char| c.is_ascii_digit())
        })
        .collect();
    assert!(!debuts.is_empty(), "{texte}");
    for l in debuts {
        let dates = l
            .split(['┆', '│', ' '])
            .filter(|c| {
                let c = c.trim();
                c.len() == 10 && c.as_bytes()[2] == b'/' && c.as_bytes()[5] == b'/'
            })
            .count();
        assert_eq!(dates, 3, "{l}");
    }
}

#[test]
fn an_epci_is_typed_as_loosely_as_a_commune() {
    let env = Env::initialisee();
    let a = env.ouvrir("Arnaud", "Anne", "1980-01-01", "Verdun", &[]);
    let b = env.ouvrir("Bernard", "Bruno", "1981-01-01", "Bar-le-Duc", &[]);
    let dossiers = |epci: &str| -> Vec<i64> { env.dossiers(&["parcours", "liste", "--epci", epci]) };
    for saisie in [
        "200049187", " 200049187 ", "ca du grand verdun", "CA DU GRAND VERDUN", "CA du Grand-Verdun", "Grand Verdun",
    ] {
        assert_eq!(dossiers(saisie), [a], "{saisie}");
    }
    assert_eq!(dossiers("ca de bar le duc sud meuse"), [b]);
    assert_eq!(dossiers("CC de l'Aire a l'Argonne"), Vec::<i64>::new());
    // Unknown: the nearest names, as for communes.
    let e = env.echec(&["parcours", "liste", "--epci", "Grand Verdunn"], 1);
    assert!(e.contains("EPCI inconnu : « Grand Verdunn »"), "{e}");
    assert!(
        e.contains("vouliez-vous dire") && e.contains("CA du Grand Verdun (200049187)"),
        "{e}"
    );
    let e = env.echec(&["parcours", "liste", "--epci", "Argonne"], 1);
    assert!(
        e.contains("CC de l'Aire à l'Argonne") && e.contains("CC Argonne-Meuse"),
        "plusieurs EPCI : {e}"
    );
}

/// A note after the exit (the follow-up call six months later) is kept, and the message
/// says it goes to the journal of a closed parcours.
#[test]
fn a_note_after_the_exit_says_the_parcours_is_closed() {
    let env = Env::initialisee();
    let n = env.lucie_martin(&[]);
    let ouvert = env.messages(&["parcours", "note", &n, "Entretien d'accueil"]);
    assert!(!ouvert.contains("clos"), "{ouvert}");
    env.ok(&["parcours", "clore", &n, "--motif", "emploi-durable"]);
    let apres = env.messages(&["parcours", "note", &n, "Appel six mois après la sortie"]);
    assert!(apres.contains("ajoutée au journal du parcours clos le "), "{apres}");
    assert_eq!(
        env.sql("SELECT count(*) FROM journal WHERE texte LIKE 'Appel six mois%'"),
        1
    );
}

/// `clore --sortie` to a folder that does not exist: refused before anything is recorded,
/// with what to do.
#[test]
fn closing_into_a_missing_folder_records_nothing_and_says_what_to_do() {
    let env = Env::initialisee();
    let n = env.lucie_martin(&[]);
    let e = env.echec(
        &["parcours", "clore", &n, "--motif", "abandon", "--sortie", "courrier"],
        1,
    );
    assert!(e.contains("le dossier courrier n'existe pas"), "{e}");
    assert!(e.contains("aide : créez-le d'abord"), "{e}");
    assert_eq!(env.sql("SELECT count(*) FROM parcours WHERE sortie IS NOT NULL"), 0);
}

/// The to-do list in a 120-column terminal: what it is, the person and the référent stay
/// on one line each (the detail wraps).
#[test]
fn the_to_do_list_in_120_columns_keeps_names_whole() {
    let mut env = Env::vide();
    env.agent = "demo".into();
    env.ok(&["demo", "--personnes", "200"]);
    let json = env.json(&["parcours", "a-faire", "--tous"]);
    let taches = json.as_array().unwrap();
    assert!(!taches.is_empty());
    let out = env
        .spie(&["--format", "table", "parcours", "a-faire", "--tous"])
        .env("COLUMNS", "120")
        .output()
        .unwrap();
    let texte = String::from_utf8(out.stdout).unwrap();
    assert!(texte.lines().all(|l| l.chars().count() <= 120), "{texte}");
    for t in taches {
        for cle in ["personne", "referent_nom"] {
            let Some(nom) = t[cle].as_str() else { continue };
            assert!(texte.lines().any(|l| l.contains(nom)), "{cle} « {nom} » cut:\n{texte}");
        }
    }
}
