//! `spie base init | verifier | sauvegarder`, and what happens without a base.

use super::commun::{Env, gros_fichier, importer_en_fond};

#[test]
fn init_creates_the_base_and_registers_its_administrator() {
    let env = Env::vide();
    let cree = env.json(&[
        "base", "init", "--essai", "--structure", "CCAS de Verdun", "--departement", "55",
    ]);
    assert_eq!(cree["structure"], "CCAS de Verdun");
    assert_eq!(cree["departement"], "55");
    assert_eq!(cree["agent"], "admin");
    assert!(env.base().is_file());
    let agents = env.json(&["agent", "liste"]);
    assert_eq!(agents[0]["identifiant"], "admin");
    assert_eq!(agents[0]["role"], "admin");
    assert_eq!(agents[0]["structure"], "CCAS de Verdun");
    assert_eq!(env.sql("PRAGMA application_id"), 0x5350_4945);
    assert_eq!(env.sql("PRAGMA page_size"), 8192);
}

#[test]
fn init_never_overwrites_an_existing_file() {
    let env = Env::initialisee();
    env.ok(&[
        "parcours", "ouvrir", "--nom", "Dupont", "--prenom", "Marie", "--naissance", "1985-03-12", "--commune",
        "Verdun",
    ]);
    let e = env.echec(&["base", "init", "--essai", "--structure", "Autre"], 1);
    assert!(e.contains("existe déjà"), "{e}");
    assert_eq!(env.sql("SELECT count(*) FROM personne"), 1);
    std::fs::write(env.dir.path().join("texte.sqlite"), "bonjour").unwrap();
    env.spie(&["base", "init", "--essai", "--structure", "X", "--base", "texte.sqlite"])
        .assert()
        .code(1);
    assert_eq!(
        std::fs::read_to_string(env.dir.path().join("texte.sqlite")).unwrap(),
        "bonjour"
    );
}

#[test]
fn init_checks_its_input() {
    let env = Env::vide();
    let e = env.echec(
        &["base", "init", "--essai", "--structure", "X", "--departement", "99"],
        2,
    );
    assert!(e.contains("département inconnu : « 99 »"), "{e}");
    // No terminal: the structure cannot be asked for.
    let e = env.echec(&["base", "init"], 2);
    assert!(e.contains("--structure est obligatoire"), "{e}");
    let out = env
        .spie(&["base", "init", "--essai", "--structure", "X"])
        .env("SPIE_AGENT", "Marie Dupont")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("identifiant d'agent"));
    assert!(!env.base().exists(), "rien n'est créé après une erreur");
}

#[test]
fn every_command_needs_an_existing_base() {
    let env = Env::vide();
    for args in [
        vec!["agent", "liste"],
        vec!["structure", "liste"],
        vec!["parcours", "liste"],
        vec!["parcours", "voir", "1"],
        vec!["base", "verifier"],
        vec!["base", "sauvegarder", "copie.sqlite"],
    ] {
        let e = env.echec(&args, 1);
        assert!(
            e.contains("base introuvable") && e.contains("spie base init"),
            "{args:?}: {e}"
        );
    }
    assert!(!env.base().exists(), "aucune base vide n'est créée");
    // Without --base nor SPIE_BASE, the default is spie.sqlite in the current folder.
    let out = env.spie(&["agent", "liste"]).env_remove("SPIE_BASE").output().unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("spie.sqlite"));
}

#[test]
fn a_file_that_is_not_a_spie_base_is_refused() {
    let env = Env::vide();
    std::fs::write(env.base(), vec![0u8; 4096]).unwrap();
    let e = env.echec(&["agent", "liste"], 1);
    assert!(e.contains("n'est pas une base spie"), "{e}");
    let e = env.spie(&["agent", "liste", "--base", "."]).output().unwrap();
    assert_eq!(e.status.code(), Some(1));
}

#[test]
fn verifier_is_clean_on_a_sound_base_and_reports_broken_references() {
    let env = Env::initialisee();
    env.ouvrir("Dupont", "Marie", "1985-03-12", "Verdun", &[]);
    let controles = env.json(&["base", "verifier"]);
    // Four checks, and what the base is (a test base).
    assert_eq!(controles.as_array().unwrap().len(), 5);
    assert!(
        controles.as_array().unwrap().iter().all(|c| c["statut"] == "ok"),
        "{controles}"
    );

    // Break a reference behind spie's back, as a faulty tool could.
    let conn = rusqlite::Connection::open(env.base()).unwrap();
    conn.execute("PRAGMA foreign_keys = OFF", []).unwrap();
    conn.execute("UPDATE parcours SET structure_id = 99", []).unwrap();
    drop(conn);
    let out = env.spie(&["base", "verifier", "--format", "json"]).output().unwrap();
    assert_eq!(out.status.code(), Some(3));
    let controles: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let cles = &controles.as_array().unwrap()[1];
    assert_eq!(cles["statut"], "problème");
    assert!(cles["detail"].as_str().unwrap().contains("parcours"), "{cles}");

    // A thematique linked to an offer that does not exist (a link the schema does not
    // declare as a foreign key) is reported too.
    let conn = rusqlite::Connection::open(env.base()).unwrap();
    conn.execute("UPDATE parcours SET structure_id = (SELECT min(id) FROM structure)", [])
        .unwrap();
    conn.execute_batch(
        "INSERT INTO thematique (code) VALUES ('mobilite--preparer-un-permis');
         INSERT INTO offre_thematique (thematique_id, offre_id) SELECT id, 4242 FROM thematique;",
    )
    .unwrap();
    drop(conn);
    let out = env.spie(&["base", "verifier", "--format", "json"]).output().unwrap();
    assert_eq!(out.status.code(), Some(3));
    let controles: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let detail = controles[1]["detail"].as_str().unwrap();
    assert!(
        detail.contains("offre_thematique ligne 4242 : référence absente dans offre"),
        "{detail}"
    );
    assert!(!detail.contains("parcours"), "{detail}");
}

#[test]
fn sauvegarder_writes_a_base_with_the_same_data() {
    let env = Env::initialisee();
    let n = env.ouvrir("Dupont", "Marie", "1985-03-12", "Verdun", &["--referent", "m.durand"]);
    let sortie = env.json(&["base", "sauvegarder", "copie.sqlite"]);
    assert_eq!(sortie["fichier"], "copie.sqlite");
    let copie = env.dir.path().join("copie.sqlite");
    let original = env.json(&["parcours", "voir", &n.to_string()]);
    let restaure = env.json(&["parcours", "voir", &n.to_string(), "--base", copie.to_str().unwrap()]);
    assert_eq!(original, restaure);
    let e = env.echec(&["base", "sauvegarder", "copie.sqlite"], 1);
    assert!(e.contains("existe déjà"), "{e}");
    env.spie(&["base", "verifier", "--base", copie.to_str().unwrap()])
        .assert()
        .success();
}

#[test]
fn every_access_to_a_dossier_is_in_the_chained_audit_trail() {
    let env = Env::initialisee();
    env.ok(&["structure", "ajouter", "Mission locale"]);
    env.ok(&[
        "agent", "ajouter", "l.roux", "--nom", "Léa Roux", "--structure", "Mission locale",
    ]);
    let n = env.ouvrir("Dupont", "Marie", "1985-03-12", "Verdun", &[]).to_string();
    env.ok(&["parcours", "consentement", &n, "--partage", "oui"]);
    // Naming another agent in a command never changes the agent at work.
    env.ok(&["parcours", "membre", "ajouter", &n, "l.roux"]);
    env.ok(&["parcours", "referent", &n, "m.durand"]);
    env.ok(&["parcours", "voir", &n, "--agent", "m.durand"]);
    env.ok(&["parcours", "chercher", "dupont"]);
    let autre = env.ouvrir("Martin", "Paul", "1990-01-01", "Verdun", &[]).to_string();

    let journal = env.json(&["base", "journal", "--dossier", &n]);
    let lignes: Vec<(&str, &str)> = journal
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["agent"].as_str().unwrap(), e["commande"].as_str().unwrap()))
        .collect();
    assert_eq!(
        lignes,
        [
            ("admin", "parcours ouvrir"),
            ("admin", "parcours consentement"),
            ("admin", "parcours membre ajouter"),
            ("admin", "parcours referent"),
            ("m.durand", "parcours voir"),
            // A search records every dossier it shows.
            ("admin", "parcours chercher"),
        ]
    );
    // Dated by the system's clock, not by SPIE_DATE.
    let aujourdhui = chrono::Local::now().date_naive().to_string();
    assert!(journal[0]["horodatage"].as_str().unwrap().starts_with(&aujourdhui));
    let tout = env.json(&["base", "journal"]);
    assert!(
        tout.as_array()
            .unwrap()
            .iter()
            .any(|e| e["commande"] == "parcours chercher" && e["dossier"].as_i64() == n.parse::<i64>().ok())
    );
    assert!(
        tout.as_array()
            .unwrap()
            .iter()
            .any(|e| e["dossier"].as_i64() == autre.parse::<i64>().ok())
    );
    env.ok(&["base", "verifier"]);

    let falsifier = |sql: &str| {
        let conn = rusqlite::Connection::open(env.base()).unwrap();
        conn.execute_batch(sql).unwrap();
    };
    let verifier = || -> String {
        let out = env.spie(&["base", "verifier", "--format", "json"]).output().unwrap();
        assert_eq!(out.status.code(), Some(3));
        let controles: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        controles[3]["detail"].as_str().unwrap().to_owned()
    };
    // An edited entry: the third.
    let sauvegarde = env.dir.path().join("avant.sqlite");
    env.ok(&["base", "sauvegarder", sauvegarde.to_str().unwrap()]);
    falsifier("UPDATE acces SET agent = 'intrus' WHERE id = 3");
    assert!(verifier().contains("position 3 (entrée n° 3)"), "{}", verifier());
    // A removed entry: the one after it breaks.
    std::fs::copy(&sauvegarde, env.base()).unwrap();
    let _ = std::fs::remove_file(env.dir.path().join("spie.sqlite-wal"));
    falsifier("DELETE FROM acces WHERE id = 2");
    assert!(verifier().contains("position 2 (entrée n° 3)"), "{}", verifier());
    // Two entries swapped.
    std::fs::copy(&sauvegarde, env.base()).unwrap();
    falsifier(
        "UPDATE acces SET id = 100 WHERE id = 4; UPDATE acces SET id = 4 WHERE id = 5; UPDATE acces SET id = 5 WHERE id = 100;",
    );
    assert!(verifier().contains("position 4"), "{}", verifier());
}

/// Entries are dated by the system's clock: SPIE_DATE can neither backdate an entry nor,
/// set in the future, make pruning take the whole trail.
#[test]
fn the_audit_trail_ignores_spie_date_and_pruning_keeps_recent_entries() {
    let env = Env::initialisee();
    let n = env.ouvrir("Dupont", "Marie", "1985-03-12", "Verdun", &[]).to_string();
    env.spie(&["parcours", "voir", &n])
        .env("SPIE_DATE", "2025-06-02")
        .assert()
        .success();
    let avant = env.json(&["base", "journal"]).as_array().unwrap().len();
    let aujourdhui = chrono::Local::now().date_naive().to_string();
    assert!(
        env.json(&["base", "journal"])
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["horodatage"].as_str().unwrap().starts_with(&aujourdhui))
    );
    let e = env.echec(&["base", "journal", "--elaguer", "--agent", "m.durand"], 1);
    assert!(e.contains("administrateur"), "{e}");
    env.spie(&["base", "journal", "--elaguer"])
        .env("SPIE_DATE", "2040-01-01")
        .assert()
        .success();
    let apres = env.json(&["base", "journal"]).as_array().unwrap().len();
    assert!(apres >= avant, "nothing recent pruned: {avant} → {apres}");
    env.ok(&["base", "verifier"]);
}

#[test]
fn the_retention_rule_erases_old_closed_dossiers_and_past_statistics_stay_identical() {
    let env = Env::initialisee();
    let run = |jour: &str, args: &[&str]| -> String {
        let out = env.spie(args).env("SPIE_DATE", jour).output().unwrap();
        assert!(
            out.status.success(),
            "{args:?} : {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let ancien = env
        .ouvrir(
            "Zorglubovitch",
            "Anatole",
            "1980-01-01",
            "Verdun",
            &["--date", "2024-03-01"],
        )
        .to_string();
    env.ok(&[
        "parcours",
        "note",
        &ancien,
        "Rencontre avec Zorglubovitch.",
        "--type",
        "entretien",
        "--date",
        "2024-09-01",
    ]);
    env.ok(&[
        "parcours", "clore", &ancien, "--motif", "demenagement", "--date", "2024-10-01",
    ]);
    let recent = env
        .ouvrir("Martin", "Paul", "1990-01-01", "Verdun", &["--date", "2024-03-01"])
        .to_string();
    env.ok(&[
        "parcours", "note", &recent, "Entretien.", "--type", "entretien", "--date", "2025-06-01",
    ]);
    env.ok(&[
        "parcours", "clore", &recent, "--motif", "emploi-durable", "--date", "2025-07-01",
    ]);
    let ouvert = env
        .ouvrir("Durand", "Léa", "1990-01-01", "Verdun", &["--date", "2024-03-01"])
        .to_string();

    // Every month the purged parcours counted in, whole base and by group, and the
    // Département's figures.
    let chiffres = || -> Vec<String> {
        let mut sorties = Vec::new();
        for mois in ["2024-03", "2024-06", "2024-09", "2024-10", "2025-07"] {
            for par in [None, Some("epci"), Some("structure"), Some("referent")] {
                let mut args = vec!["stats", "mensuel", "--mois", mois, "--format", "json"];
                if let Some(par) = par {
                    args.extend(["--par", par]);
                }
                sorties.push(run("2026-11-26", &args));
            }
            let out = env
                .spie(&["stats", "export", "--mois", mois, "--sortie", "pack"])
                .env("SPIE_DATE", "2026-11-26")
                .env("SPIE_CLE_PSEUDO", super::stats::CLE)
                .output()
                .unwrap();
            assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
            sorties.push(std::fs::read_to_string(env.dir.path().join("pack/indicateurs.csv")).unwrap());
        }
        sorties
    };
    let stats_avant = chiffres();
    let contient = |mot: &str| env.trace(mot).is_some();
    assert!(contient("Zorglubovitch"));

    // Dry run: the list, nothing erased.
    let liste: serde_json::Value =
        serde_json::from_str(&run("2026-11-26", &["base", "purger", "--format", "json"])).unwrap();
    assert_eq!(
        liste,
        serde_json::json!([{"dossier": ancien.parse::<i64>().unwrap(), "dernier_contact": "2024-09-01"}])
    );
    assert!(contient("Zorglubovitch"));
    run("2026-11-26", &["base", "purger", "--appliquer"]);
    assert!(!contient("Zorglubovitch"), "le nom a disparu du fichier");
    let e = env.echec(&["parcours", "voir", &ancien], 1);
    assert!(e.contains("effacé"), "{e}");
    env.ok(&["parcours", "voir", &recent]);
    env.ok(&["parcours", "voir", &ouvert]);
    assert_eq!(chiffres(), stats_avant, "les chiffres des mois passés n'ont pas bougé");
    // What is kept is counts, not the person's rows: nothing of dossier `ancien` is
    // left in any table but the audit trail and the list of erased numbers.
    for requete in [
        format!("SELECT count(*) FROM personne WHERE dossier = {ancien}"),
        format!("SELECT count(*) FROM parcours WHERE dossier = {ancien}"),
        "SELECT count(*) FROM journal WHERE parcours_id NOT IN (SELECT id FROM parcours)".to_string(),
        "SELECT count(*) FROM referent WHERE parcours_id NOT IN (SELECT id FROM parcours)".to_string(),
    ] {
        assert_eq!(env.sql(&requete), 0, "une ligne du dossier effacé reste : {requete}");
    }
    assert_eq!(env.sql("SELECT count(*) FROM personne"), 2);
    assert!(env.sql("SELECT count(*) FROM residu") > 0);
    env.ok(&["base", "verifier"]);
    // Twenty-five months later, the other one goes too; the open parcours never does.
    let liste: serde_json::Value =
        serde_json::from_str(&run("2027-08-01", &["base", "purger", "--format", "json"])).unwrap();
    assert_eq!(liste.as_array().unwrap().len(), 1);
    assert_eq!(liste[0]["dossier"].to_string(), recent);
}

#[test]
fn several_processes_writing_at_once_all_succeed() {
    let env = Env::initialisee();
    let n = env.ouvrir("Commun", "Dossier", "1980-01-01", "Verdun", &[]).to_string();
    let enfants: Vec<std::process::Child> = (0..4)
        .map(|p| {
            // Each process opens five dossiers and reads the shared one, in a shell loop.
            let mut script = String::new();
            for i in 0..5 {
                script.push_str(&format!(
                    "\"$SPIE\" -q parcours ouvrir --nom Proc{p} --prenom N{i} --naissance 1990-01-0{} --commune Verdun || exit 1; \
                     \"$SPIE\" -q parcours voir {n} > /dev/null || exit 1; ",
                    i + 1
                ));
            }
            std::process::Command::new("sh")
                .arg("-c")
                .arg(script)
                .env_clear()
                .env("SPIE", assert_cmd::cargo::cargo_bin("spie"))
                .env("SPIE_DATE", super::commun::AUJOURDHUI)
                .env("SPIE_AGENT", "admin")
                .env("SPIE_BASE", env.base())
                .stdout(std::process::Stdio::null())
                .spawn()
                .unwrap()
        })
        .collect();
    for mut e in enfants {
        assert!(e.wait().unwrap().success());
    }
    assert_eq!(env.sql("SELECT count(*) FROM personne"), 21);
    assert_eq!(
        env.sql("SELECT count(*) FROM acces WHERE commande = 'parcours voir'"),
        20
    );
    env.ok(&["base", "verifier"]);
}

/// Waits until the import in the background has committed its first step.
fn attendre_l_import(env: &Env, import: &mut std::process::Child) {
    while env.sql("SELECT count(*) FROM import_en_cours") == 0 {
        assert!(import.try_wait().unwrap().is_none(), "l'import s'est terminé trop tôt");
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
}

#[test]
fn an_import_killed_at_any_moment_is_undone_by_the_next_command() {
    let env = Env::initialisee();
    let fichier = gros_fichier(&env, 20_000);
    for (essai, delai_ms) in [5u64, 20, 40, 80, 120, 200, 300, 450, 700, 1000]
        .into_iter()
        .enumerate()
    {
        let source = format!("source-{essai}");
        let mut enfant = importer_en_fond(&env, &fichier, &source);
        std::thread::sleep(std::time::Duration::from_millis(delai_ms));
        let _ = enfant.kill(); // SIGKILL
        let _ = enfant.wait();
        // The next command, whichever it is, undoes what the dead import committed.
        let interrompu = env.sql("SELECT count(*) FROM import_en_cours") == 1;
        let sortie = env.spie(&["offre", "sources"]).output().unwrap();
        assert!(sortie.status.success());
        let n = env.sql(&format!(
            "SELECT count(*) FROM offre o JOIN source s ON s.id = o.source_id WHERE s.nom = '{source}'"
        ));
        assert!(n == 0 || n == 20_000, "import tué après {delai_ms} ms : {n} offres");
        let message = String::from_utf8_lossy(&sortie.stderr);
        assert_eq!(
            message.contains("s'est arrêté avant la fin : il a été annulé"),
            interrompu,
            "{message}"
        );
        assert_eq!(env.sql("SELECT count(*) FROM import_en_cours"), 0);
        env.ok(&["base", "verifier"]);
    }
}

#[test]
fn a_caseworker_reads_and_writes_a_note_while_a_long_import_runs() {
    let env = Env::initialisee();
    let n = env.ouvrir("Dupont", "Marie", "1985-03-12", "Verdun", &[]).to_string();
    let fichier = gros_fichier(&env, 150_000);
    let mut import = importer_en_fond(&env, &fichier, "gros");
    attendre_l_import(&env, &mut import);
    let lecteur = |args: &[&str]| {
        let sortie = env.spie(args).env("SPIE_AGENT", "m.durand").output().unwrap();
        assert!(sortie.status.success(), "{}", String::from_utf8_lossy(&sortie.stderr));
    };
    lecteur(&["parcours", "voir", &n]);
    lecteur(&["parcours", "note", &n, "Appel pendant l'import du catalogue."]);
    // Another import meanwhile is refused, and says why.
    let e = env.echec(&["offre", "importer", &fichier, "--source", "autre", "--appliquer"], 1);
    assert!(e.contains("un autre import est en cours"), "{e}");
    assert!(import.try_wait().unwrap().is_none(), "l'import tournait encore");
    assert!(import.wait().unwrap().success());
    assert_eq!(env.sql("SELECT count(*) FROM offre"), 150_000);
    assert_eq!(
        env.sql("SELECT count(*) FROM journal WHERE texte LIKE 'Appel pendant%'"),
        1
    );
    assert_eq!(env.sql("SELECT count(*) FROM import_en_cours"), 0);
    assert_eq!(env.sql("SELECT count(*) FROM import_avant"), 0);
}

#[test]
fn an_import_stopped_with_ctrl_c_is_undone_and_says_so() {
    let env = Env::initialisee();
    let fichier = gros_fichier(&env, 150_000);
    let mut import = importer_en_fond(&env, &fichier, "gros");
    attendre_l_import(&env, &mut import);
    assert!(env.sql("SELECT count(*) FROM offre") > 0, "une étape est validée");
    let arret = std::process::Command::new("kill")
        .args(["-INT", &import.id().to_string()])
        .status()
        .unwrap();
    assert!(arret.success());
    let sortie = import.wait_with_output().unwrap();
    assert!(!sortie.status.success());
    let message = String::from_utf8_lossy(&sortie.stderr);
    assert!(message.contains("import interrompu : rien n'est importé"), "{message}");
    assert_eq!(env.sql("SELECT count(*) FROM offre"), 0);
    assert_eq!(env.sql("SELECT count(*) FROM source WHERE nom = 'gros'"), 0);
    assert_eq!(env.sql("SELECT count(*) FROM import_en_cours"), 0);
    env.ok(&["base", "verifier"]);
}

#[test]
fn hostile_input_gets_a_french_error_and_changes_nothing() {
    let env = Env::initialisee();
    let n = env.ouvrir("Dupont", "Marie", "1985-03-12", "Verdun", &[]).to_string();
    let avant = env.json(&["parcours", "voir", &n]);
    // The longest argument the OS passes (128 KiB each); NUL cannot be in an argument, it
    // goes in the files below.
    let long = "x".repeat(100_000);
    let controle = "a\u{7}b\u{1b}[2J";
    let cas: Vec<Vec<&str>> = vec![
        vec!["parcours", "modifier", &n, "--nom", &long],
        vec!["parcours", "modifier", &n, "--nom", controle],
        vec!["parcours", "modifier", &n, "--commune", &long],
        vec!["parcours", "modifier", &n, "--naissance", &long],
        vec!["parcours", "note", &n, &long],
        vec!["parcours", "note", &n, controle],
        vec!["parcours", "chercher", &long],
        vec!["diagnostic", "nouveau", &n, "--contrainte", &long],
        vec!["structure", "ajouter", controle],
    ];
    for args in cas {
        let out = env.spie(&args).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("panicked"), "{:?}", &args[..2]);
        if !out.status.success() {
            assert!(stderr.starts_with("erreur : "), "{stderr}");
        }
    }
    // Bytes that are not text, in files.
    let mut octets: Vec<u8> = (0..=255u8).cycle().take(100_000).collect();
    octets.extend(b"\n;;;\n\xff\xfe\x00\n");
    std::fs::write(env.dir.path().join("binaire.csv"), &octets).unwrap();
    std::fs::write(env.dir.path().join("binaire.json"), &octets).unwrap();
    std::fs::write(
        env.dir.path().join("ligne.csv"),
        format!("id;nom\n1;{}\n", "y".repeat(1_000_000)),
    )
    .unwrap();
    for args in [
        vec!["offre", "importer", "binaire.csv", "--source", "x", "--appliquer"],
        vec!["offre", "importer", "ligne.csv", "--source", "x", "--appliquer"],
        vec!["diagnostic", "nouveau", &n, "--reponses", "binaire.json"],
    ] {
        let out = env.spie(&args).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("panicked"), "{args:?}");
        assert_ne!(out.status.code(), Some(0), "{args:?}");
    }
    assert_eq!(env.json(&["parcours", "voir", &n])["nom"], avant["nom"]);
    assert_eq!(env.sql("SELECT count(*) FROM offre"), 0);
    assert_eq!(env.sql("SELECT count(*) FROM journal"), 0);
    env.ok(&["base", "verifier"]);
}

#[test]
fn a_backup_holds_the_same_data() {
    let env = Env::initialisee();
    let n = env.ouvrir("Dupont", "Marie", "1985-03-12", "Verdun", &[]).to_string();
    env.ok(&["diagnostic", "nouveau", &n, "--contrainte", "mobilite=fort"]);
    env.ok(&["parcours", "note", &n, "Entretien.", "--type", "entretien"]);
    env.ok(&["base", "sauvegarder", "copie.sqlite"]);
    let dump = |chemin: &std::path::Path| -> Vec<String> {
        let conn = rusqlite::Connection::open(chemin).unwrap();
        let tables: Vec<String> = conn
            .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        let mut lignes = Vec::new();
        for t in tables {
            let mut stmt = conn.prepare(&format!("SELECT * FROM \"{t}\"")).unwrap();
            let n = stmt.column_count();
            let mut rows = stmt.query([]).unwrap();
            while let Some(r) = rows.next().unwrap() {
                let valeurs: Vec<String> = (0..n).map(|i| format!("{:?}", r.get_ref(i).unwrap())).collect();
                lignes.push(format!("{t}|{}", valeurs.join("|")));
            }
        }
        lignes.sort();
        lignes
    };
    // The backup is taken before the audit entry of the command after it: compare all but `acces`.
    let sans_acces = |v: Vec<String>| v.into_iter().filter(|l| !l.starts_with("acces|")).collect::<Vec<_>>();
    assert_eq!(
        sans_acces(dump(&env.dir.path().join("copie.sqlite"))),
        sans_acces(dump(&env.base()))
    );
}

/// Runs spie in the background and kills it (SIGKILL) after `delai_ms`.
fn tuer_apres(env: &Env, args: &[&str], delai_ms: u64) {
    let mut enfant = std::process::Command::new(assert_cmd::cargo::cargo_bin("spie"))
        .args(args)
        .env_clear()
        .env("SPIE_DATE", super::commun::AUJOURDHUI)
        .env("SPIE_AGENT", "admin")
        .env("SPIE_BASE", env.base())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(delai_ms));
    let _ = enfant.kill();
    let _ = enfant.wait();
}

#[test]
fn a_demo_or_a_purge_killed_at_any_moment_leaves_a_sound_base() {
    // The demo builds its base beside the target and renames it when complete: killed, it
    // leaves either no base or a complete one.
    let env = Env::vide();
    for delai in [10, 50, 150, 400] {
        tuer_apres(&env, &["-q", "demo", "--personnes", "3000"], delai);
        if env.base().exists() {
            env.ok(&["base", "verifier"]);
            assert_eq!(env.sql("SELECT count(*) FROM personne"), 3000);
        }
    }
    // A purge of many dossiers: all erased or none.
    env.ok(&["-q", "demo", "--personnes", "3000"]);
    let avant = env.sql("SELECT count(*) FROM personne");
    for delai in [5, 30, 80, 200] {
        let out = std::process::Command::new(assert_cmd::cargo::cargo_bin("spie"))
            .args(["-q", "base", "purger", "--duree-mois", "1", "--appliquer"])
            .env_clear()
            .env("SPIE_DATE", "2029-01-01")
            .env("SPIE_AGENT", "admin")
            .env("SPIE_BASE", env.base())
            .stdout(std::process::Stdio::null())
            .spawn();
        let mut enfant = out.unwrap();
        std::thread::sleep(std::time::Duration::from_millis(delai));
        let _ = enfant.kill();
        let _ = enfant.wait();
        env.ok(&["base", "verifier"]);
        let reste = env.sql("SELECT count(*) FROM personne");
        let clos = env.sql("SELECT count(*) FROM personne pe WHERE NOT EXISTS (SELECT 1 FROM parcours p WHERE p.dossier = pe.dossier AND p.sortie IS NULL)");
        assert!(
            reste == avant || reste == avant - clos,
            "purge tuée après {delai} ms : {reste} sur {avant}"
        );
    }
    // Left to finish, the purge erases every closed dossier of the demo (diagnostics,
    // orientations, plans, teams and journals included).
    let clos = env.sql("SELECT count(*) FROM personne pe WHERE NOT EXISTS (SELECT 1 FROM parcours p WHERE p.dossier = pe.dossier AND p.sortie IS NULL)");
    assert!(clos > 0);
    let avant = env.sql("SELECT count(*) FROM personne");
    env.spie(&["-q", "base", "purger", "--duree-mois", "1", "--appliquer"])
        .env("SPIE_DATE", "2029-01-01")
        .assert()
        .success();
    assert_eq!(env.sql("SELECT count(*) FROM personne"), avant - clos);
    env.ok(&["base", "verifier"]);
}

#[test]
fn stale_creation_files_beside_the_base_are_removed() {
    let env = Env::vide();
    // What a demo or an init killed while building its base leaves: a hidden file, hours old.
    let planter = |nom: &str| {
        let chemin = env.dir.path().join(nom);
        std::fs::write(&chemin, b"SQLite format 3\0 interrompu").unwrap();
        let il_y_a_deux_heures = std::time::SystemTime::now() - std::time::Duration::from_secs(7200);
        std::fs::File::options()
            .write(true)
            .open(&chemin)
            .unwrap()
            .set_modified(il_y_a_deux_heures)
            .unwrap();
        chemin
    };
    let ancien = planter(".spie-creation-Ab12Cd.sqlite");
    let autre = env.dir.path().join("notes.sqlite");
    std::fs::write(&autre, b"pas a nous").unwrap();
    env.ok(&["base", "init", "--essai", "--structure", "CCAS de Verdun"]);
    assert!(!ancien.exists(), "nettoyé à la création de la base");
    assert!(autre.exists(), "les autres fichiers restent");
    // At the next start of any command, at the latest.
    let ancien = planter(".spie-creation-Ef34Gh.sqlite");
    env.ok(&["agent", "liste"]);
    assert!(!ancien.exists(), "nettoyé au démarrage suivant");
    let restes: Vec<_> = std::fs::read_dir(env.dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".spie-creation-"))
        .collect();
    assert!(restes.is_empty(), "{restes:?}");
}

/// SPIE_DATE sets the day on a test base only: a real base refuses it, whatever the
/// command, and a test base says what it is.
#[test]
fn spie_date_is_refused_on_a_real_base() {
    let env = Env::vide();
    let e = env.echec(&["base", "init", "--structure", "CCAS de Verdun"], 1);
    assert!(e.contains("SPIE_DATE") && e.contains("--essai"), "{e}");
    assert!(!env.base().exists());
    // A real base is encrypted: its agent works in a session, on the system's date.
    let (env, _) = Env::chiffree();
    for args in [
        &["parcours", "liste"][..],
        &["base", "verifier"],
        &["offre", "chercher"],
    ] {
        let out = env
            .spie(args)
            .env("SPIE_DATE", super::commun::AUJOURDHUI)
            .output()
            .unwrap();
        let e = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{args:?} : {e}");
        assert!(e.contains("SPIE_DATE") && e.contains("base d'essai"), "{args:?} : {e}");
    }
    env.ok(&["parcours", "liste"]);
    // A test base honours it.
    let essai = Env::initialisee();
    let verif = essai.json(&["base", "verifier"]);
    assert!(verif.to_string().contains("base d'essai"), "{verif}");
}

/// A backup taken while an import runs holds the catalogue of before that import, which
/// it cannot finish, and says so; the restored base opens without an import to undo.
#[test]
fn a_backup_taken_during_an_import_holds_the_catalogue_of_before_it() {
    let env = Env::initialisee();
    let n = env.ouvrir("Dupont", "Marie", "1985-03-12", "Verdun", &[]).to_string();
    let fichier = gros_fichier(&env, 150_000);
    let mut import = importer_en_fond(&env, &fichier, "gros");
    attendre_l_import(&env, &mut import);
    let sauvegarde = env.json(&["base", "sauvegarder", "pendant.sqlite"]);
    assert_eq!(sauvegarde["import_ecarte"], true, "{sauvegarde}");
    assert!(import.wait().unwrap().success());
    assert_eq!(env.sql("SELECT count(*) FROM offre"), 150_000);

    let copie = env.dir.path().join("pendant.sqlite");
    let conn = rusqlite::Connection::open(&copie).unwrap();
    let compter = |table: &str| -> i64 {
        conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
            .unwrap()
    };
    assert_eq!(
        (compter("offre"), compter("import_en_cours"), compter("import_avant")),
        (0, 0, 0)
    );
    drop(conn);
    let sortie = env
        .spie(&["parcours", "voir", &n, "--base", copie.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(sortie.status.success());
    let messages = String::from_utf8_lossy(&sortie.stderr);
    assert!(!messages.contains("import"), "{messages}");
}
