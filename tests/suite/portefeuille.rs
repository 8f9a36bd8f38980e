//! `parcours liste --mes-dossiers`: the caseload of the agent at work, its columns, sort
//! orders, count line and `--limite`.

use super::commun::Env;

/// Three dossiers followed by m.durand (one as team member), one by nobody.
fn portefeuille() -> (Env, Vec<i64>) {
    let env = Env::initialisee();
    let a = env.ouvrir(
        "Bernard",
        "Anne",
        "1980-01-01",
        "Verdun",
        &["--referent", "m.durand", "--date", "2026-10-01"],
    );
    let b = env.ouvrir(
        "Adam",
        "Paul",
        "1981-01-01",
        "Verdun",
        &["--referent", "m.durand", "--date", "2026-09-01"],
    );
    let c = env.ouvrir("Zola", "Émile", "1982-01-01", "Verdun", &["--date", "2026-11-01"]);
    env.ok(&["parcours", "membre", "ajouter", &c.to_string(), "m.durand"]);
    env.ouvrir("Autre", "Jean", "1983-01-01", "Verdun", &[]);
    let (a_, b_, c_) = (a.to_string(), b.to_string(), c.to_string());
    env.ok(&[
        "parcours", "note", &a_, "Entretien", "--type", "entretien", "--date", "2026-11-20",
    ]);
    env.ok(&[
        "parcours", "note", &b_, "Appel", "--type", "telephone", "--date", "2026-10-05",
    ]);
    env.ok(&[
        "parcours", "action", "ajouter", &b_, "--libelle", "CV", "--echeance", "2026-12-10",
    ]);
    env.ok(&[
        "parcours", "action", "ajouter", &c_, "--libelle", "Permis", "--echeance", "2026-12-01",
    ]);
    env.ok(&[
        "rdv", "planifier", &c_, "--le", "30/11/2026 10:00", "--agent", "m.durand",
    ]);
    env.ok(&["parcours", "orienter", &a_, "pro", "--agent", "m.durand"]);
    (env, vec![a, b, c])
}

#[test]
fn the_caseload_is_the_default_for_an_agent_who_follows_dossiers() {
    let (env, d) = portefeuille();
    let (a, b, c) = (d[0], d[1], d[2]);
    let liste = env.json(&["parcours", "liste", "--agent", "m.durand"]);
    let lignes = liste.as_array().unwrap();
    let numeros: Vec<i64> = lignes.iter().map(|l| l["dossier"].as_i64().unwrap()).collect();
    assert_eq!(numeros, [b, a, c], "by name, the dossier nobody follows left out");
    let ligne = |n: i64| lignes.iter().find(|l| l["dossier"] == n).unwrap();
    assert_eq!(ligne(a)["dernier_contact"], "2026-11-20");
    assert_eq!(ligne(a)["orientation"], "pro");
    assert_eq!(ligne(b)["prochaine_echeance"], "2026-12-10");
    assert_eq!(ligne(c)["prochain_rdv"], "2026-11-30T10:00:00");
    assert_eq!(ligne(c)["referent"], false);
    // --mes-dossiers says the same; --tous gives the former list.
    assert_eq!(
        env.json(&["parcours", "liste", "--mes-dossiers", "--agent", "m.durand"]),
        liste
    );
    assert_eq!(
        env.dossiers(&["parcours", "liste", "--tous", "--agent", "m.durand"])
            .len(),
        4
    );
    // An agent who follows nothing gets the list of dossiers, as before.
    assert_eq!(env.dossiers(&["parcours", "liste"]).len(), 4);
    assert_eq!(
        env.json(&["parcours", "liste", "--mes-dossiers"]),
        serde_json::json!([])
    );
}

#[test]
fn the_caseload_sorts_counts_and_says_what_the_limit_left_out() {
    let (env, d) = portefeuille();
    let (a, b, c) = (d[0], d[1], d[2]);
    let ordre = |tri: &str| {
        env.dossiers(&[
            "parcours", "liste", "--mes-dossiers", "--tri", tri, "--agent", "m.durand",
        ])
    };
    assert_eq!(ordre("contact"), [c, b, a], "without contact first, then the oldest");
    assert_eq!(ordre("echeance"), [c, b, a], "the soonest due date first, none last");
    assert_eq!(ordre("entree"), [b, a, c]);
    let sortie = env
        .spie(&["parcours", "liste", "--limite", "2", "--agent", "m.durand"])
        .output()
        .unwrap();
    assert!(sortie.status.success());
    let stdout = String::from_utf8_lossy(&sortie.stdout);
    assert_eq!(stdout.lines().count(), 3, "header and two rows: {stdout}");
    let stderr = String::from_utf8_lossy(&sortie.stderr);
    assert!(
        stderr.contains("3 dossiers suivis ; 1 non montré (--limite 2)"),
        "{stderr}"
    );
    let e = env.echec(&["parcours", "liste", "--mes-dossiers", "--statut", "clos"], 2);
    assert!(e.contains("--statut"), "{e}");
    // A sort order is the caseload's: with other criteria it would be silently ignored.
    for criteres in [&["--tous"][..], &["--referent", "m.durand"], &["--sans-contact", "30"]] {
        let mut args = vec!["parcours", "liste", "--tri", "contact", "--agent", "m.durand"];
        args.extend(criteres);
        let e = env.echec(&args, 2);
        assert!(e.contains("--tri") && e.contains(criteres[0]), "{e}");
    }
    assert_eq!(
        env.dossiers(&["parcours", "liste", "--tri", "contact", "--agent", "m.durand"]),
        [c, b, a],
        "--tri alone sorts the caseload"
    );
    // Every dossier shown is in its audit trail.
    let journal = env.json(&["base", "journal", "--dossier", &c.to_string()]);
    assert!(
        journal
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["agent"] == "m.durand" && e["commande"] == "parcours liste"),
        "{journal}"
    );
}
