//! The shared follow-up: team and consent, plan, journal, the caseworker's day, and the
//! person's rights of access and erasure.

use super::commun::Env;

/// A base with a partner structure and its agent `l.roux`, and one dossier entered on
/// 2026-06-01 with référent `m.durand`; returns (env, dossier).
fn scenario() -> (Env, String) {
    let env = Env::initialisee();
    env.ok(&["structure", "ajouter", "Mission locale"]);
    env.ok(&[
        "agent", "ajouter", "l.roux", "--nom", "Léa Roux", "--structure", "Mission locale",
    ]);
    env.ok(&[
        "agent", "ajouter", "s.petit", "--nom", "Sophie Petit", "--structure", "CCAS de Verdun",
    ]);
    let n = env.ouvrir(
        "Dupont",
        "Marie",
        "1985-03-12",
        "Verdun",
        &["--date", "2026-06-01", "--referent", "m.durand"],
    );
    (env, n.to_string())
}

#[test]
fn a_partner_joins_the_team_only_with_consent_or_a_written_reason() {
    let (env, n) = scenario();
    // Same structure: no consent needed.
    env.ok(&["parcours", "membre", "ajouter", &n, "s.petit", "--date", "2026-06-02"]);
    // Another structure, no consent recorded: refused with the way forward.
    let e = env.echec(
        &["parcours", "membre", "ajouter", &n, "l.roux", "--date", "2026-06-03"],
        1,
    );
    assert!(
        e.contains("autre structure (Mission locale)") && e.contains("aucun consentement"),
        "{e}"
    );
    assert!(
        e.contains(&format!("spie parcours consentement {n} --partage oui")) && e.contains("--sans-consentement"),
        "{e}"
    );
    // Refused by the person: still refused.
    env.ok(&[
        "parcours", "consentement", &n, "--partage", "non", "--date", "2026-06-03",
    ]);
    let e = env.echec(
        &["parcours", "membre", "ajouter", &n, "l.roux", "--date", "2026-06-04"],
        1,
    );
    assert!(e.contains("a refusé le partage le 03/06/2026"), "{e}");
    // Overridden: only with a written reason, which is kept.
    let e = env.echec(
        &["parcours", "membre", "ajouter", &n, "l.roux", "--sans-consentement"],
        2,
    );
    assert!(e.contains("--motif"), "{e}");
    let out = env
        .spie(&[
            "parcours", "membre", "ajouter", &n, "l.roux", "--sans-consentement", "--motif", "urgence hébergement",
            "--date", "2026-06-04",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("sans le consentement"));
    env.ok(&["parcours", "membre", "retirer", &n, "l.roux", "--date", "2026-06-10"]);
    // Consent given: allowed.
    env.ok(&[
        "parcours", "consentement", &n, "--partage", "oui", "--date", "2026-06-15",
    ]);
    env.ok(&["parcours", "membre", "ajouter", &n, "l.roux", "--date", "2026-06-16"]);
    let e = env.echec(&["parcours", "membre", "ajouter", &n, "l.roux"], 1);
    assert!(e.contains("fait déjà partie de l'équipe"), "{e}");
    let e = env.echec(&["parcours", "membre", "ajouter", &n, "m.durand"], 1);
    assert!(e.contains("est le référent"), "{e}");
    let e = env.echec(&["parcours", "membre", "retirer", &n, "accueil"], 1);
    assert!(e.contains("ne fait pas partie de l'équipe"), "{e}");

    let v = env.json(&["parcours", "voir", &n]);
    let equipe = v["equipe"].as_array().unwrap();
    assert_eq!(equipe.len(), 3, "{equipe:?}");
    assert_eq!(equipe[1]["agent"], "l.roux");
    assert_eq!(equipe[1]["fin"], "2026-06-10");
    assert_eq!(equipe[1]["motif_sans_consentement"], "urgence hébergement");
    assert_eq!(equipe[2]["debut"], "2026-06-16");
    assert_eq!(equipe[2]["fin"], serde_json::Value::Null);
    assert_eq!(
        v["consentement"],
        serde_json::json!({"date": "2026-06-15", "partage": true, "agent": "admin"})
    );
    assert_eq!(
        env.sql("SELECT count(*) FROM consentement"),
        2,
        "l'historique du consentement est gardé"
    );

    // Withdrawn consent: the partner still in the team is pointed out.
    let out = env
        .spie(&["parcours", "consentement", &n, "--partage", "non"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("encore dans l'équipe (l.roux)"));
    let e = env.echec(&["parcours", "consentement", &n, "--partage", "peut-etre"], 2);
    assert!(e.contains("attendu oui ou non"), "{e}");
}

#[test]
fn the_plan_keeps_objectives_actions_and_every_status_with_its_date() {
    let (env, n) = scenario();
    let e = env.echec(
        &[
            "parcours", "objectif", "ajouter", &n, "--thematique", "mobilite--passer-le-permis",
        ],
        1,
    );
    assert!(e.contains("vouliez-vous dire") && e.contains("mobilite--"), "{e}");
    let o = env.json(&[
        "parcours", "objectif", "ajouter", &n, "--thematique", "mobilite--preparer-un-permis", "--libelle", "Permis B",
        "--date", "2026-06-10",
    ]);
    assert_eq!(o["id"], 1);
    let a1 = env.json(&[
        "parcours", "action", "ajouter", &n, "--libelle", "Auto-école sociale", "--objectif", "1", "--echeance",
        "2026-07-01", "--structure", "Mission locale", "--date", "2026-06-10",
    ]);
    let a2 = env.json(&[
        "parcours", "action", "ajouter", &n, "--libelle", "Atelier CV", "--thematique", "preparer-sa-candidature",
        "--echeance", "2026-12-31", "--date", "2026-06-12",
    ]);
    let (a1, a2) = (a1["id"].to_string(), a2["id"].to_string());
    for (statut, jour) in [
        ("en-cours", "2026-06-20"),
        ("abandonnee", "2026-06-25"),
        ("en-cours", "2026-07-02"),
        ("refusee", "2026-07-03"),
        ("realisee", "2026-07-10"),
    ] {
        env.ok(&["parcours", "action", "statut", &a2, statut, "--date", jour]);
    }
    let e = env.echec(&["parcours", "action", "statut", &a2, "realisee"], 1);
    assert!(e.contains("déjà « réalisée »"), "{e}");
    let e = env.echec(
        &["parcours", "action", "statut", &a1, "en-cours", "--date", "2026-06-01"],
        1,
    );
    assert!(e.contains("antérieure à son statut actuel"), "{e}");
    let e = env.echec(&["parcours", "action", "statut", "99", "en-cours"], 1);
    assert!(e.contains("action inconnue : 99"), "{e}");
    let e = env.echec(
        &["parcours", "action", "ajouter", &n, "--libelle", "X", "--objectif", "7"],
        1,
    );
    assert!(e.contains("l'objectif 7 n'est pas un objectif du parcours"), "{e}");
    env.ok(&[
        "parcours", "objectif", "statut", "1", "abandonne", "--date", "2026-08-01",
    ]);
    env.ok(&[
        "parcours", "objectif", "statut", "1", "en-cours", "--date", "2026-08-02",
    ]);
    env.ok(&["parcours", "objectif", "statut", "1", "realise", "--date", "2026-08-03"]);
    env.ok(&[
        "parcours", "objectif", "statut", "1", "en-cours", "--date", "2026-08-04",
    ]);
    let e = env.echec(&["parcours", "objectif", "statut", "1", "en-cours"], 1);
    assert!(e.contains("déjà « en-cours »"), "{e}");

    let v = env.json(&["parcours", "voir", &n]);
    let objectif = &v["objectifs"][0];
    assert_eq!(objectif["thematique"], "mobilite--preparer-un-permis");
    assert_eq!(objectif["libelle"], "Permis B");
    assert_eq!(objectif["statut"], "en-cours");
    assert_eq!(objectif["statut_le"], "2026-08-04");
    let action = &objectif["actions"][0];
    assert_eq!(
        action["thematique"], "mobilite--preparer-un-permis",
        "héritée de l'objectif"
    );
    assert_eq!(action["structure"], "Mission locale");
    assert_eq!(action["statut"], "proposee");
    assert_eq!(action["en_retard"], true);
    let autre = &v["actions_sans_objectif"][0];
    assert_eq!(autre["en_retard"], false);
    let historique: Vec<(&str, &str)> = autre["historique"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| (h["statut"].as_str().unwrap(), h["date"].as_str().unwrap()))
        .collect();
    assert_eq!(
        historique,
        [
            ("proposee", "2026-06-12"),
            ("en-cours", "2026-06-20"),
            ("abandonnee", "2026-06-25"),
            ("en-cours", "2026-07-02"),
            ("refusee", "2026-07-03"),
            ("realisee", "2026-07-10")
        ]
    );
    let table = env.ok(&["parcours", "voir", &n, "--format", "table"]);
    assert!(
        table.contains("01/07/2026 EN RETARD")
            && table.contains("objectif 1")
            && table.contains("Permis B — Préparer un permis"),
        "{table}"
    );

    // A closed parcours' plan is frozen, and nothing in it is late any more.
    env.ok(&["parcours", "clore", &n, "--motif", "abandon", "--date", "2026-09-01"]);
    let e = env.echec(&["parcours", "action", "statut", &a1, "realisee"], 1);
    assert!(e.contains("pas de parcours ouvert"), "{e}");
    let v = env.json(&["parcours", "voir", &n]);
    assert_eq!(v["objectifs"][0]["actions"][0]["statut"], "proposee");
    assert_eq!(v["objectifs"][0]["actions"][0]["en_retard"], false);
}

#[test]
fn the_journal_is_a_timeline_and_contacts_are_counted() {
    let (env, n) = scenario();
    env.ok(&[
        "parcours", "note", &n, "Premier entretien.", "--type", "entretien", "--date", "2026-06-02",
    ]);
    env.ok(&[
        "parcours", "note", &n, "Appel.", "--type", "telephone", "--date", "2026-07-01",
    ]);
    env.ok(&[
        "parcours", "note", &n, "Pas venue.", "--type", "absence", "--date", "2026-08-01",
    ]);
    let id = env.json(&["parcours", "note", &n, "Note interne.", "--date", "2026-08-02"]);
    assert_eq!(id["id"], 4);
    let v = env.json(&["parcours", "voir", &n]);
    let types: Vec<&str> = v["journal"]
        .as_array()
        .unwrap()
        .iter()
        .map(|j| j["type"].as_str().unwrap())
        .collect();
    assert_eq!(
        types,
        ["note", "absence", "telephone", "entretien"],
        "le plus récent d'abord"
    );
    assert_eq!(v["dernier_contact"], "2026-07-01", "une absence n'est pas un contact");
    let e = env.echec(&["parcours", "note", &n, "   "], 2);
    assert!(e.contains("vide"), "{e}");
    let e = env.echec(&["parcours", "note", &n, "x", "--type", "sms"], 2);
    assert!(e.contains("entretien, telephone, visite, atelier"), "{e}");
    let e = env.echec(&["parcours", "note", &n, "x", "--date", "2026-05-01"], 1);
    assert!(e.contains("antérieure à l'entrée"), "{e}");
}

#[test]
fn voir_fits_a_100_column_terminal() {
    let (env, n) = scenario();
    env.ok(&[
        "parcours", "consentement", &n, "--partage", "oui", "--date", "2026-06-02",
    ]);
    env.ok(&["parcours", "membre", "ajouter", &n, "l.roux", "--date", "2026-06-03"]);
    env.ok(&[
        "parcours",
        "objectif",
        "ajouter",
        &n,
        "--thematique",
        "difficultes-administratives-ou-juridiques--accompagnement-aux-demarches-administratives",
        "--libelle",
        "Remettre à jour tous les droits auprès de la CAF et de la CPAM",
        "--date",
        "2026-06-10",
    ]);
    env.ok(&[
        "parcours",
        "action",
        "ajouter",
        &n,
        "--objectif",
        "1",
        "--libelle",
        "Rendez-vous à l'espace France services pour l'accompagnement aux démarches",
        "--echeance",
        "2026-06-30",
        "--structure",
        "Mission locale",
        "--date",
        "2026-06-10",
    ]);
    env.ok(&[
        "parcours",
        "note",
        &n,
        &"Entretien long : situation familiale, logement, santé et projet professionnel abordés. ".repeat(3),
        "--type",
        "entretien",
        "--date",
        "2026-06-05",
    ]);
    let sortie = env
        .spie(&["parcours", "voir", &n, "--format", "table"])
        .env("COLUMNS", "100")
        .output()
        .unwrap();
    let table = String::from_utf8(sortie.stdout).unwrap();
    for ligne in table.lines() {
        assert!(
            ligne.chars().count() <= 100,
            "ligne de {} colonnes :\n{ligne}",
            ligne.chars().count()
        );
    }
    for section in [
        "Dossier", "Parcours en cours", "Équipe", "Dernier diagnostic", "Plan", "Journal",
    ] {
        assert!(table.contains(section), "{section} absent");
    }
}

#[test]
fn a_faire_lists_each_category_exactly_where_expected() {
    let env = Env::initialisee();
    env.ok(&[
        "agent", "ajouter", "s.petit", "--nom", "Sophie Petit", "--structure", "CCAS de Verdun",
    ]);
    let ouvrir = |nom: &str, entree: &str, referent: Option<&str>| -> String {
        let mut autres = vec!["--date", entree];
        if let Some(r) = referent {
            autres.extend(["--referent", r]);
        }
        env.ouvrir(nom, "X", "1980-01-01", "Verdun", &autres).to_string()
    };
    let contact =
        |n: &str, jour: &str| env.ok(&["parcours", "note", n, "contact", "--type", "entretien", "--date", jour]);
    // Today is 2026-11-26: 30 days before is 2026-10-27, 90 days 2026-08-28, 365 days 2025-11-26.
    let tout_va_bien = ouvrir("Bien", "2026-10-20", Some("m.durand"));
    env.ok(&[
        "diagnostic", "nouveau", &tout_va_bien, "--date", "2026-10-25", "--contrainte", "mobilite=sans-impact",
    ]);
    env.ok(&["parcours", "orienter", &tout_va_bien, "pro", "--date", "2026-10-26"]);
    contact(&tout_va_bien, "2026-11-01");

    let en_retard = ouvrir("Retard", "2026-10-20", Some("m.durand"));
    env.ok(&[
        "diagnostic", "nouveau", &en_retard, "--date", "2026-10-21", "--contrainte", "mobilite=sans-impact",
    ]);
    env.ok(&["parcours", "orienter", &en_retard, "pro", "--date", "2026-10-21"]);
    contact(&en_retard, "2026-11-01");
    env.ok(&[
        "parcours", "action", "ajouter", &en_retard, "--libelle", "CV", "--echeance", "2026-11-25", "--date",
        "2026-10-22",
    ]);
    env.ok(&[
        "parcours", "action", "ajouter", &en_retard, "--libelle", "Lettre", "--echeance", "2026-11-26", "--date",
        "2026-10-22",
    ]);

    let sans_referent = ouvrir("Seul", "2026-11-20", None);
    // Unassigned for long: for the agents of its structure, only the référent is to find.
    let orphelin = ouvrir("Orphelin", "2026-01-05", None);
    let sans_diagnostic = ouvrir("Nodiag", "2026-10-26", Some("m.durand"));
    contact(&sans_diagnostic, "2026-11-20");
    let diagnostic_au_jour_30 = ouvrir("Jour30", "2026-10-27", Some("m.durand"));
    contact(&diagnostic_au_jour_30, "2026-11-20");

    let sans_orientation = ouvrir("Noorient", "2026-10-01", Some("m.durand"));
    env.ok(&[
        "diagnostic", "nouveau", &sans_orientation, "--date", "2026-10-26", "--contrainte", "mobilite=sans-impact",
    ]);
    contact(&sans_orientation, "2026-11-20");

    let sans_contact = ouvrir("Perdu", "2026-03-01", Some("m.durand"));
    env.ok(&[
        "diagnostic", "nouveau", &sans_contact, "--date", "2026-03-05", "--contrainte", "mobilite=sans-impact",
    ]);
    env.ok(&["parcours", "orienter", &sans_contact, "pro", "--date", "2026-03-06"]);
    contact(&sans_contact, "2026-08-27");
    let contact_au_jour_90 = ouvrir("Limite", "2026-03-01", Some("m.durand"));
    env.ok(&[
        "diagnostic", "nouveau", &contact_au_jour_90, "--date", "2026-03-05", "--contrainte", "mobilite=sans-impact",
    ]);
    env.ok(&[
        "parcours", "orienter", &contact_au_jour_90, "pro", "--date", "2026-03-06",
    ]);
    contact(&contact_au_jour_90, "2026-08-28");

    let ancien = ouvrir("Ancien", "2025-01-10", Some("s.petit"));
    env.ok(&[
        "diagnostic", "nouveau", &ancien, "--date", "2025-11-25", "--contrainte", "mobilite=sans-impact",
    ]);
    env.ok(&["parcours", "orienter", &ancien, "pro", "--date", "2025-11-25"]);
    contact(&ancien, "2026-11-01");

    let clos = ouvrir("Clos", "2025-01-10", None);
    env.ok(&["parcours", "clore", &clos, "--motif", "abandon", "--date", "2025-02-01"]);

    let taches = |args: &[&str]| -> Vec<(String, String)> {
        let mut tous = vec!["parcours", "a-faire"];
        tous.extend(args);
        env.json(&tous)
            .as_array()
            .unwrap()
            .iter()
            .map(|t| (t["categorie"].as_str().unwrap().to_owned(), t["dossier"].to_string()))
            .collect()
    };
    let attendu = |paires: &[(&str, &String)]| -> Vec<(String, String)> {
        paires.iter().map(|(c, d)| (c.to_string(), d.to_string())).collect()
    };
    assert_eq!(
        taches(&["--tous"]),
        attendu(&[
            ("action-en-retard", &en_retard),
            ("sans-referent", &orphelin),
            ("sans-referent", &sans_referent),
            ("sans-diagnostic", &orphelin),
            ("sans-diagnostic", &sans_diagnostic),
            ("sans-orientation", &sans_orientation),
            ("sans-contact", &orphelin),
            ("sans-contact", &sans_contact),
            ("diagnostic-ancien", &ancien),
        ])
    );
    // The agent's own list: his dossiers, and those of his structure without référent.
    assert_eq!(
        taches(&["--agent", "s.petit"]),
        attendu(&[
            ("sans-referent", &orphelin),
            ("sans-referent", &sans_referent),
            ("diagnostic-ancien", &ancien)
        ])
    );
    let a_faire_de_durand = taches(&["--agent", "m.durand"]);
    assert_eq!(
        a_faire_de_durand,
        attendu(&[
            ("action-en-retard", &en_retard),
            ("sans-referent", &orphelin),
            ("sans-referent", &sans_referent),
            ("sans-diagnostic", &sans_diagnostic),
            ("sans-orientation", &sans_orientation),
            ("sans-contact", &sans_contact),
        ])
    );
    let detail = &env.json(&["parcours", "a-faire", "--tous"])[0];
    assert_eq!(detail["detail"], "action 1 « CV »");
    assert_eq!(detail["date"], "2026-11-25");

    // liste --sans-contact follows the same boundary.
    let sans = env.dossiers(&["parcours", "liste", "--sans-contact", "90"]);
    let numero = |d: &String| d.parse::<i64>().unwrap();
    assert_eq!(
        sans,
        [numero(&orphelin), numero(&sans_contact)],
        "triés par nom : Orphelin, Perdu"
    );
}

#[test]
fn the_export_holds_every_table_that_touches_the_person() {
    let (env, n) = scenario();
    env.ok(&[
        "parcours", "consentement", &n, "--partage", "oui", "--date", "2026-06-02",
    ]);
    env.ok(&["parcours", "membre", "ajouter", &n, "l.roux", "--date", "2026-06-03"]);
    env.ok(&[
        "diagnostic", "nouveau", &n, "--date", "2026-06-05", "--contrainte", "mobilite=fort", "--besoin", "se-former",
        "--commentaire", "mobilite=loin",
    ]);
    env.ok(&[
        "parcours", "orienter", &n, "social", "--date", "2026-06-06", "--motif", "choix",
    ]);
    env.ok(&[
        "parcours", "objectif", "ajouter", &n, "--thematique", "mobilite", "--date", "2026-06-07",
    ]);
    env.ok(&[
        "parcours", "action", "ajouter", &n, "--libelle", "Permis", "--objectif", "1", "--date", "2026-06-07",
    ]);
    env.ok(&[
        "parcours", "note", &n, "Entretien.", "--type", "entretien", "--date", "2026-06-08",
    ]);
    env.ok(&["parcours", "note", "corriger", "1", "Entretien au CCAS."]);
    env.ok(&["parcours", "modifier", &n, "--commune", "Bar-le-Duc"]);
    // Sent to a partner base, which writes and changes the phone; changed here too, then
    // received back: the exchange's tables hold rows of the person.
    let ml = Env::de_structure("Mission locale de Verdun", "l.martin");
    env.connaitre("Mission locale de Verdun", &ml);
    ml.connaitre("CCAS de Verdun", &env);
    let aller = env.chemin("aller.spie");
    env.ok(&[
        "parcours", "transmettre", &n, "--vers", "Mission locale de Verdun", "--sortie", &aller,
    ]);
    let recu = ml.json(&["parcours", "recevoir", &aller, "--appliquer"]);
    let chez_ml = recu["parcours"][0]["dossier"].to_string();
    ml.ok(&[
        "parcours", "note", &chez_ml, "Vue à la mission locale.", "--agent", "l.martin",
    ]);
    ml.ok(&[
        "parcours", "modifier", &chez_ml, "--telephone", "0633333333", "--agent", "l.martin",
    ]);
    env.ok(&["parcours", "modifier", &n, "--telephone", "0644444444"]);
    let retour = ml.chemin("retour.spie");
    ml.ok(&[
        "parcours", "transmettre", &chez_ml, "--vers", "CCAS de Verdun", "--sortie", &retour, "--agent", "l.martin",
    ]);
    env.ok(&["parcours", "recevoir", &retour, "--appliquer"]);
    let rdv = env.ok(&["rdv", "planifier", &n, "--le", "27/11/2026 10:00"]);
    env.ok(&["rdv", "annule", rdv.trim()]);
    env.ok(&[
        "rdv",
        "excuse",
        rdv.trim(),
        "--corriger",
        "--motif",
        "la personne avait prévenu",
    ]);
    let contrat = env.ok(&[
        "parcours", "contrat", &n, "--type", "cer", "--debut", "2026-06-01", "--fin", "2026-12-01",
    ]);
    env.ok(&[
        "parcours",
        "contrat",
        "corriger",
        contrat.trim(),
        "--fin",
        "2026-12-31",
        "--motif",
        "avenant",
    ]);
    let fichier = super::commun::fixture("offres/utf8-point-virgule.csv");
    assert_eq!(super::commun::importer(&env, &fichier, "p", &["--appliquer"]).0, 0);
    let prescription = env.ok(&["offre", "prescrire", &n, "1"]);
    env.ok(&["offre", "prescription", prescription.trim(), "envoyee"]);
    let document = env.json(&["parcours", "exporter", &n]);
    assert_eq!(document["dossier"].to_string(), n);
    let tables = document["tables"].as_object().unwrap();
    assert_eq!(tables["personne"][0]["nom"], "Dupont");

    // Every table of the schema either holds rows of this person in the export, or is
    // one of the tables known to hold no personal data. A new table that references a
    // person without being exported makes this test fail.
    // `residu` holds counts by month and group; `dossier_efface` the numbers of erased
    // dossiers and their dates.
    const SANS_DONNEES_PERSONNELLES: &[&str] = &[
        "meta", "structure", "agent", "source", "offre", "offre_thematique", "thematique", "residu", "dossier_efface",
        "import_en_cours", "import_avant",
    ];
    let conn = rusqlite::Connection::open(env.base()).unwrap();
    let schema: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND instr(name, '_fts') = 0")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    for table in schema {
        if SANS_DONNEES_PERSONNELLES.contains(&table.as_str()) {
            assert!(!tables.contains_key(&table), "{table} ne devrait pas être exportée");
            continue;
        }
        let lignes = tables.get(&table).and_then(|t| t.as_array()).map_or(0, Vec::len);
        assert!(lignes > 0, "la table {table} n'est pas dans l'export du dossier");
    }
    let agents: Vec<&str> = document["references"]["agents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["identifiant"].as_str().unwrap())
        .collect();
    assert!(agents.contains(&"l.roux") && agents.contains(&"m.durand"), "{agents:?}");

    env.ok(&["parcours", "exporter", &n, "--sortie", "export.json"]);
    let mut fichier: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(env.dir.path().join("export.json")).unwrap()).unwrap();
    // The second export is one more access to the dossier, in its audit trail.
    let acces = fichier["tables"]["acces"].as_array_mut().unwrap().pop().unwrap();
    assert_eq!(
        (acces["commande"].as_str(), acces["agent"].as_str()),
        (Some("parcours exporter"), Some("admin"))
    );
    assert_eq!(fichier, document);
    let e = env.echec(&["parcours", "exporter", &n, "--sortie", "export.json"], 1);
    assert!(e.contains("existe déjà"), "{e}");
}

#[test]
fn erasure_deletes_every_row_and_leaves_no_byte_of_the_person() {
    let (env, n) = scenario();
    env.ok(&[
        "diagnostic", "nouveau", &n, "--date", "2026-06-05", "--contrainte", "mobilite=fort", "--commentaire",
        "mobilite=Quintessence",
    ]);
    env.ok(&[
        "parcours", "note", &n, "Rencontre avec Zéphyrine.", "--type", "entretien", "--date", "2026-06-08",
    ]);
    env.ok(&[
        "parcours", "modifier", &n, "--nom", "Xylophonique", "--telephone", "0612345678",
    ]);
    // Rows that reference other rows of the person: an orientation following the
    // diagnostic, an action of an objective, a partner in the team.
    env.ok(&[
        "parcours", "orienter", &n, "sociopro", "--date", "2026-06-06", "--motif", "Choix de Zéphyrine.",
    ]);
    env.ok(&[
        "parcours", "objectif", "ajouter", &n, "--thematique", "mobilite--preparer-un-permis",
    ]);
    env.ok(&[
        "parcours", "action", "ajouter", &n, "--objectif", "1", "--libelle", "Code avec Zéphyrine",
    ]);
    env.ok(&[
        "parcours", "consentement", &n, "--partage", "oui", "--date", "2026-06-02",
    ]);
    env.ok(&["parcours", "membre", "ajouter", &n, "l.roux", "--date", "2026-06-03"]);
    let e = env.echec(&["parcours", "effacer", &n], 2);
    assert!(e.contains("--confirmer") && e.contains("exporter"), "{e}");
    let e = env.echec(&["parcours", "effacer", &n, "--confirmer"], 1);
    assert!(e.contains("parcours ouvert") && e.contains("clore"), "{e}");
    env.ok(&[
        "parcours", "clore", &n, "--motif", "demenagement", "--date", "2026-09-01",
    ]);
    env.ok(&["parcours", "effacer", &n, "--confirmer"]);

    let e = env.echec(&["parcours", "voir", &n], 1);
    assert!(e.contains("effacé le 26/11/2026"), "{e}");
    assert_eq!(
        env.json(&["parcours", "chercher", "xylophonique"]),
        serde_json::json!([])
    );
    assert_eq!(
        env.json(&["parcours", "liste", "--statut", "tous"]),
        serde_json::json!([])
    );
    // No row of the person is left: their months are counts in the residue.
    assert_eq!(
        env.sql(&format!("SELECT count(*) FROM parcours WHERE dossier = {n}")),
        0
    );
    assert_eq!(env.sql("SELECT count(*) FROM journal"), 0);
    assert_eq!(env.sql("SELECT count(*) FROM diagnostic_contrainte"), 0);
    assert_eq!(env.sql("SELECT count(*) FROM personne"), 0);
    assert!(env.sql("SELECT count(*) FROM residu WHERE cle = 'sortie:demenagement' AND mois = '2026-09'") > 0);
    // Nothing of it is left anywhere in the files, free pages and the name index
    // (which stores names in lower case, without accents) included.
    for mot in [
        "Xylophonique", "Quintessence", "Zéphyrine", "06 12 34 56 78", "0612345678",
    ] {
        assert_eq!(env.trace(mot), None, "« {mot} » est encore dans un fichier");
    }
    // The number is never given again: the audit trail names it.
    let suivant = env.ouvrir("Autre", "Personne", "1990-02-02", "Verdun", &[]);
    assert!(suivant > n.parse::<i64>().unwrap(), "{suivant}");
    env.ok(&["base", "verifier"]);
}

#[test]
fn messages_agree_in_gender_and_number() {
    let (env, n) = scenario();
    for type_ in ["visite", "absence", "entretien"] {
        let out = env
            .spie(&["parcours", "note", &n, "Texte.", "--type", type_])
            .output()
            .unwrap();
        let stderr = String::from_utf8(out.stderr).unwrap();
        assert!(stderr.contains("ajoutée au journal"), "{type_} : {stderr}");
    }
    // A masculine record dated in the future.
    let e = env.echec(
        &[
            "diagnostic", "nouveau", &n, "--contrainte", "mobilite=fort", "--date", "2027-01-01",
        ],
        1,
    );
    assert!(!e.contains("datée") && e.contains("01/01/2027"), "{e}");
    // One of a kind is singular.
    let fichier = env.dir.path().join("une.csv");
    std::fs::write(
        &fichier,
        "id;nom;structure;description;thematiques;code_insee;date_maj\n\
         U-1;Atelier;CCAS de Verdun;Un atelier.;mobilite;55545;2026-10-01\n",
    )
    .unwrap();
    env.ok(&[
        "offre",
        "importer",
        fichier.to_str().unwrap(),
        "--source",
        "s",
        "--appliquer",
    ]);
    let out = env
        .spie(&["offre", "exporter", "--sortie", "offres.json"])
        .output()
        .unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(stderr.contains("1 service et 1 structure exportés dans"), "{stderr}");
}

/// What spie tells on stderr reads as French: no code where a label is meant, a hint
/// after every error.
#[test]
fn messages_read_as_french_and_errors_have_a_hint() {
    let (env, n) = scenario();
    let stderr = |args: &[&str]| String::from_utf8(env.spie(args).output().unwrap().stderr).unwrap();
    let e = stderr(&["parcours", "note", &n, "Texte."]);
    assert!(e.contains(&format!("Dossier {n} : note du 26/11/2026 ajoutée")), "{e}");
    let e = stderr(&["parcours", "note", &n, "Texte.", "--type", "entretien"]);
    assert!(e.contains("note (entretien) du 26/11/2026 ajoutée"), "{e}");

    env.ouvrir("Orphelin", "Paul", "1990-01-01", "Verdun", &["--date", "2026-06-01"]);
    let e = stderr(&["parcours", "a-faire", "--tous"]);
    assert!(!e.contains("sans-referent") && !e.contains("sans-diagnostic"), "{e}");
    assert!(e.contains("parcours sans référent : 1"), "{e}");

    let e = env.echec(
        &[
            "parcours", "ouvrir", "--nom", "Futur", "--prenom", "Paul", "--naissance", "2030-01-01", "--commune",
            "Verdun",
        ],
        1,
    );
    assert!(e.contains("naissance dans le futur") && e.contains("\naide : "), "{e}");

    env.ok(&["parcours", "clore", &n, "--motif", "demenagement"]);
    env.ok(&["parcours", "effacer", &n, "--confirmer"]);
    let e = env.echec(&["parcours", "voir", &n], 1);
    assert!(e.contains("effacé le 26/11/2026"), "{e}");
    assert!(
        e.contains("\naide : ") && e.contains("définitif") && e.contains("nouveau dossier"),
        "{e}"
    );
}
