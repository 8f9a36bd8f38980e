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
    assert_eq!(ligne(c)["vous_etes_referent"], false);
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

/// The next due date is the soonest of the plan's open actions and the end of the
/// parcours' contract, and says which it is; the sort by due date follows it, and so does
/// `parcours voir`.
#[test]
fn the_next_due_date_weighs_the_contract_end_and_says_what_it_is() {
    let (env, d) = portefeuille();
    let (a, b, c) = (d[0], d[1], d[2]);
    // A's contract ends first of all; B's ends after its action (10/12).
    env.ok(&[
        "parcours",
        "contrat",
        &a.to_string(),
        "--type",
        "cer",
        "--debut",
        "01/10/2026",
        "--fin",
        "28/11/2026",
    ]);
    env.ok(&[
        "parcours",
        "contrat",
        &b.to_string(),
        "--type",
        "ppae",
        "--debut",
        "01/10/2026",
        "--fin",
        "31/03/2027",
    ]);
    let liste = env.json(&["parcours", "liste", "--mes-dossiers", "--agent", "m.durand"]);
    let ligne = |n: i64| {
        liste
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["dossier"] == n)
            .unwrap()
            .clone()
    };
    assert_eq!(ligne(a)["prochaine_echeance"], "2026-11-28", "{liste}");
    assert_eq!(ligne(a)["echeance_objet"], "fin du contrat CER");
    assert_eq!(ligne(b)["prochaine_echeance"], "2026-12-10");
    assert!(
        ligne(b)["echeance_objet"].as_str().unwrap().starts_with("action"),
        "{liste}"
    );
    let tri = env.dossiers(&[
        "parcours", "liste", "--mes-dossiers", "--tri", "echeance", "--agent", "m.durand",
    ]);
    assert_eq!(tri, [a, c, b]);
    let table = env
        .spie(&[
            "parcours", "liste", "--mes-dossiers", "--format", "table", "--agent", "m.durand",
        ])
        .env("COLUMNS", "200")
        .output()
        .unwrap();
    let table = String::from_utf8_lossy(&table.stdout);
    assert!(table.contains("28/11/2026 (fin du contrat CER)"), "{table}");
    let vue = env.json(&["parcours", "voir", &a.to_string(), "--agent", "m.durand"]);
    assert_eq!(vue["prochaine_echeance"], "2026-11-28", "{vue}");
    assert_eq!(vue["echeance_objet"], "fin du contrat CER");
    let fiche = env.ok(&[
        "parcours",
        "voir",
        &a.to_string(),
        "--format",
        "table",
        "--agent",
        "m.durand",
    ]);
    assert!(
        fiche.contains("Prochaine échéance") && fiche.contains("fin du contrat CER"),
        "{fiche}"
    );
}
