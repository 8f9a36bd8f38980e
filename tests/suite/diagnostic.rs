//! The diagnostic: grid, capture by flags and JSON, suggestion and decision, history,
//! comparison, a-faire, and the summary in `parcours voir`.

use super::commun::Env;

/// A base with one open parcours entered on 2026-09-01; returns (env, dossier).
fn dossier() -> (Env, String) {
    let env = Env::initialisee();
    let n = env.ouvrir(
        "Dupont",
        "Marie",
        "1985-03-12",
        "Verdun",
        &["--date", "2026-09-01", "--referent", "m.durand"],
    );
    (env, n.to_string())
}

const COMPLET: &[&str] = &[
    "--contrainte",
    "mobilite=fort",
    "--contrainte",
    "famille=sans-impact",
    "--contrainte",
    "sante=moyen",
    "--contrainte",
    "langue=sans-impact",
    "--contrainte",
    "logement=sans-impact",
    "--contrainte",
    "finances=moyen",
    "--contrainte",
    "administratif=sans-impact",
    "--contrainte",
    "numerique=sans-impact",
    "--situation",
    "mobilite:sans-permis",
    "--situation",
    "mobilite:zone-non-desservie",
    "--commentaire",
    "mobilite=habite à 25 km de Verdun",
    "--activite-24-mois",
    "non",
    "--projet",
    "a-preciser",
    "--niveau-formation",
    "3",
    "--besoin",
    "se-former--trouver-sa-formation",
];

#[test]
fn the_grid_is_printed_in_every_format() {
    let env = Env::initialisee();
    let g = env.json(&["diagnostic", "grille"]);
    let contraintes = g["contraintes"].as_array().unwrap();
    assert_eq!(contraintes.len(), 8);
    assert_eq!(contraintes[0]["dimension"], "mobilite");
    assert_eq!(contraintes[0]["code_ft"], 23);
    assert_eq!(contraintes[7]["code_ft"], serde_json::Value::Null);
    assert_eq!(
        contraintes[5]["categories"],
        serde_json::json!(["difficultes-financieres", "equipement-et-alimentation"])
    );
    assert!(
        contraintes[0]["situations"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s[0] == "sans-permis")
    );
    assert_eq!(g["niveaux"].as_array().unwrap().len(), 4);
    assert_eq!(g["besoins"].as_array().unwrap().len(), 21);
    assert_eq!(g["regles"].as_array().unwrap().len(), 4);
    let table = env.ok(&["diagnostic", "grille", "--format", "table"]);
    assert!(
        table.contains("Mobilité") && table.contains("Règle 1") && table.contains("Trouver sa formation"),
        "{table}"
    );
    let csv = env.ok(&["diagnostic", "grille", "--format", "csv"]);
    assert!(
        csv.starts_with("rubrique;champ;valeur\n") && csv.contains("Contraintes sociales 1;Dimension;mobilite"),
        "{csv}"
    );
}

#[test]
fn a_diagnostic_by_flags_is_saved_with_its_suggestion() {
    let (env, n) = dossier();
    let mut args = vec!["diagnostic", "nouveau", n.as_str(), "--date", "2026-09-20"];
    args.extend(COMPLET);
    let cree = env.json(&args);
    assert_eq!(cree["id"], 1);
    assert_eq!(cree["complet"], true);
    assert_eq!(cree["suggestion"]["orientation"], "social");
    assert_eq!(cree["suggestion"]["regle"], 1);
    assert!(cree["suggestion"]["explication"].as_str().unwrap().contains("mobilité"));

    let d = env.json(&["diagnostic", "voir", &n]);
    assert_eq!(d["date"], "2026-09-20");
    assert_eq!(d["agent"], "admin");
    assert_eq!(d["complet"], true);
    assert_eq!(d["contraintes"]["mobilite"]["niveau"], "fort");
    assert_eq!(
        d["contraintes"]["mobilite"]["situations"],
        serde_json::json!(["sans-permis", "zone-non-desservie"])
    );
    assert_eq!(d["contraintes"]["mobilite"]["commentaire"], "habite à 25 km de Verdun");
    assert_eq!(d["contraintes"]["finances"]["niveau"], "moyen");
    assert_eq!(d["activite_24_mois"], false);
    assert_eq!(d["projet"], "a-preciser");
    assert_eq!(d["niveau_formation"], "3");
    assert_eq!(d["besoins"], serde_json::json!(["se-former--trouver-sa-formation"]));
    let table = env.ok(&["diagnostic", "voir", &n, "--format", "table"]);
    for attendu in [
        "Diagnostic du 20/09/2026", "complet", "sociale — règle 1", "pas de permis de conduire", "habite à 25 km",
        "Trouver sa formation",
    ] {
        assert!(table.contains(attendu), "« {attendu} » absent :\n{table}");
    }
}

#[test]
fn without_any_answer_nothing_is_recorded() {
    let (env, n) = dossier();
    let sans_reponse = [
        ("entrée standard vide", vec!["diagnostic", "nouveau", n.as_str()], ""),
        (
            "--non-interactif",
            vec!["diagnostic", "nouveau", n.as_str(), "--non-interactif"],
            "",
        ),
        (
            "document vide",
            vec!["diagnostic", "nouveau", n.as_str(), "--reponses", "-"],
            "{}",
        ),
        (
            "rien d'abordé",
            vec!["diagnostic", "nouveau", n.as_str(), "--contrainte", "sante=non-aborde"],
            "",
        ),
    ];
    for (quoi, args, entree) in sans_reponse {
        let sortie = env.spie(&args).write_stdin(entree).output().unwrap();
        let e = String::from_utf8_lossy(&sortie.stderr);
        assert_eq!(sortie.status.code(), Some(2), "{quoi} : {e}");
        assert!(e.contains("erreur : aucune réponse"), "{quoi} : {e}");
        for voie in ["--contrainte", "--reponses FICHIER", "terminal"] {
            assert!(e.contains(voie), "{quoi} : « {voie} » absent de {e}");
        }
    }
    assert_eq!(env.sql("SELECT count(*) FROM diagnostic"), 0);
    let a_faire = env.dossiers(&["diagnostic", "a-faire", "--delai", "0"]);
    assert_eq!(a_faire, [n.parse::<i64>().unwrap()], "le dossier reste sans diagnostic");
}

#[test]
fn unanswered_questions_are_recorded_non_aborde() {
    let (env, n) = dossier();
    let cree = env.json(&[
        "diagnostic",
        "nouveau",
        &n,
        "--non-interactif",
        "--besoin",
        "se-former--trouver-sa-formation",
    ]);
    assert_eq!(cree["complet"], false);
    assert_eq!(
        (
            cree["suggestion"]["orientation"].as_str(),
            cree["suggestion"]["regle"].as_i64()
        ),
        (Some("pro"), Some(4))
    );
    let d = env.json(&["diagnostic", "voir", &n]);
    for dim in [
        "mobilite", "famille", "sante", "langue", "logement", "finances", "administratif", "numerique",
    ] {
        assert_eq!(d["contraintes"][dim]["niveau"], "non-aborde", "{dim}");
    }
    assert_eq!(env.sql("SELECT count(*) FROM diagnostic_contrainte"), 8);
}

#[test]
fn a_json_document_gives_the_same_result_as_the_flags() {
    let (env, n) = dossier();
    let mut args = vec!["diagnostic", "nouveau", n.as_str(), "--date", "2026-09-20"];
    args.extend(COMPLET);
    env.ok(&args);
    let par_options = env.json(&["diagnostic", "voir", &n]);

    let document = serde_json::json!({
        "contraintes": {
            "mobilite": {"niveau": "fort", "situations": ["zone-non-desservie", "sans-permis"], "commentaire": "habite à 25 km de Verdun"},
            "famille": {"niveau": "sans-impact"}, "sante": {"niveau": "moyen"}, "langue": {"niveau": "sans-impact"},
            "logement": {"niveau": "sans-impact"}, "finances": {"niveau": "moyen"},
            "administratif": {"niveau": "sans-impact"}, "numerique": {"niveau": "sans-impact"}
        },
        "activite_24_mois": false, "projet": "a-preciser", "niveau_formation": "3",
        "besoins": ["se-former--trouver-sa-formation"]
    });
    let fichier = env.dir.path().join("reponses.json");
    std::fs::write(&fichier, document.to_string()).unwrap();
    env.ok(&[
        "diagnostic",
        "nouveau",
        &n,
        "--date",
        "2026-09-21",
        "--reponses",
        fichier.to_str().unwrap(),
    ]);
    let par_json = env.json(&["diagnostic", "voir", &n]);
    for cle in [
        "contraintes", "activite_24_mois", "projet", "niveau_formation", "besoins", "complet", "suggestion",
    ] {
        assert_eq!(par_options[cle], par_json[cle], "{cle}");
    }
    // Standard input works too.
    let out = env
        .spie(&["diagnostic", "nouveau", &n, "--reponses", "-", "--format", "json"])
        .write_stdin(r#"{"contraintes": {"sante": {"niveau": "fort"}}, "activite_24_mois": true}"#)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let cree: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(cree["suggestion"]["regle"], 2);
}

#[test]
fn bad_answers_are_refused_with_the_valid_values() {
    let (env, n) = dossier();
    let cas: &[(&[&str], i32, &str)] = &[
        (
            &["--contrainte", "transport=fort"],
            2,
            "dimension « transport » inconnue ; valeurs possibles : mobilite",
        ),
        (
            &["--contrainte", "mobilite=tres-fort"],
            2,
            "niveau « tres-fort » inconnu ; valeurs possibles : non-aborde, sans-impact, moyen, fort",
        ),
        (&["--contrainte", "mobilite"], 2, "attendu DIMENSION=VALEUR"),
        (
            &["--situation", "mobilite:velo"],
            2,
            "situation « velo » inconnue pour mobilite",
        ),
        (
            &["--besoin", "se-former--trouver-formation"],
            2,
            "vouliez-vous dire se-former--trouver-sa-formation",
        ),
        (
            &["--projet", "flou"],
            2,
            "valeurs possibles : defini, a-preciser, aucun",
        ),
        (&["--niveau-formation", "9"], 2, "infra-3"),
        (&["--activite-24-mois", "peut-etre"], 2, "attendu oui ou non"),
        (&["--date", "2026-08-31"], 1, "antérieure à l'entrée dans le parcours"),
        (&["--date", "2026-12-01"], 1, "dans le futur"),
    ];
    for (extra, code, attendu) in cas {
        let mut args = vec!["diagnostic", "nouveau", n.as_str()];
        args.extend(*extra);
        let e = env.echec(&args, *code);
        assert!(e.contains(attendu), "{extra:?} : {e}");
    }
    let json_cas: &[(&str, &str)] = &[
        (
            r#"{"contraintes": {"mobilite": {"niveau": "enorme"}}}"#,
            "valeur « enorme » inconnue",
        ),
        (
            r#"{"contraintes": {"transport": {"niveau": "fort"}}}"#,
            "valeur « transport » inconnue",
        ),
        (r#"{"projet": "defini", "age": 3}"#, "champ inconnu `age`"),
        (
            r#"{"contraintes": {"mobilite": {"niveau": "fort", "situations": ["velo"]}}}"#,
            "situation « velo » inconnue",
        ),
        (r#"{"contraintes": "#, "document incomplet"),
        ("\u{0}\u{1}", "ligne 1 colonne 1"),
    ];
    for (document, attendu) in json_cas {
        let out = env
            .spie(&["diagnostic", "nouveau", &n, "--reponses", "-"])
            .write_stdin(*document)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{document}");
        let e = String::from_utf8_lossy(&out.stderr);
        assert!(e.contains(attendu), "{document} : {e}");
    }
    let e = env.echec(&["diagnostic", "nouveau", &n, "--reponses", "."], 1);
    assert!(e.contains("est un dossier"), "{e}");
    std::fs::write(env.dir.path().join("latin1.json"), b"{\"projet\": \"d\xe9fini\"}").unwrap();
    let e = env.echec(&["diagnostic", "nouveau", &n, "--reponses", "latin1.json"], 1);
    assert!(e.contains("UTF-8"), "{e}");
    let e = env.echec(&["diagnostic", "nouveau", &n, "--reponses", "absent.json"], 1);
    assert!(e.contains("impossible d'ouvrir absent.json"), "{e}");
    let e = env.echec(
        &["diagnostic", "nouveau", &n, "--reponses", "-", "--projet", "defini"],
        2,
    );
    assert!(e.contains("ne se combine pas"), "{e}");
    let e = env.echec(&["diagnostic", "nouveau", "99"], 1);
    assert!(e.contains("dossier inconnu : 99"), "{e}");
    assert_eq!(
        env.sql("SELECT count(*) FROM diagnostic"),
        0,
        "rien n'est enregistré après une erreur"
    );
}

#[test]
fn history_and_comparison_follow_the_sequence() {
    let (env, n) = dossier();
    let e = env.echec(&["diagnostic", "voir", &n], 1);
    assert!(
        e.contains("pas encore de diagnostic") && e.contains(&format!("spie diagnostic nouveau {n}")),
        "{e}"
    );
    let mut premier = vec!["diagnostic", "nouveau", n.as_str(), "--date", "2026-09-20"];
    premier.extend(COMPLET);
    env.ok(&premier);
    let e = env.echec(&["diagnostic", "comparer", &n], 1);
    assert!(e.contains("il en faut deux"), "{e}");
    env.ok(&[
        "diagnostic", "nouveau", &n, "--date", "2026-11-20", "--contrainte", "mobilite=moyen", "--contrainte",
        "sante=sans-impact", "--contrainte", "finances=fort", "--contrainte", "logement=moyen", "--activite-24-mois",
        "oui",
    ]);
    let historique = env.json(&["diagnostic", "voir", &n, "--historique"]);
    let dates: Vec<&str> = historique
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["date"].as_str().unwrap())
        .collect();
    assert_eq!(dates, ["2026-09-20", "2026-11-20"]);
    assert_eq!(env.json(&["diagnostic", "voir", &n])["date"], "2026-11-20");

    let c = env.json(&["diagnostic", "comparer", &n]);
    assert_eq!(c["avant"]["date"], "2026-09-20");
    assert_eq!(c["apres"]["date"], "2026-11-20");
    let evolution = |dim: &str| -> String {
        c["contraintes"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["dimension"] == dim)
            .unwrap()["evolution"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    assert_eq!(evolution("mobilite"), "attenue");
    assert_eq!(evolution("sante"), "resolu");
    assert_eq!(evolution("finances"), "aggrave");
    assert_eq!(evolution("logement"), "apparu");
    assert_eq!(evolution("famille"), "precise");
    assert_eq!(
        c["activite_24_mois"],
        serde_json::json!({"avant": false, "apres": true})
    );
    assert_eq!(
        c["orientation_suggeree"],
        serde_json::json!({"avant": "social", "apres": "sociopro"})
    );
    let out = env
        .spie(&["diagnostic", "comparer", &n, "--format", "table"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("1 frein(s) levé(s), 1 apparu(s), 1 aggravé(s), 1 atténué(s)"),
        "{stderr}"
    );
    // Never edited: both rows are still there.
    assert_eq!(env.sql("SELECT count(*) FROM diagnostic"), 2);
}

#[test]
fn the_orientation_decision_is_the_agents_and_is_kept() {
    let (env, n) = dossier();
    // Without a diagnostic: allowed, with a warning.
    let out = env
        .spie(&["parcours", "orienter", &n, "pro", "--date", "2026-09-05"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("pas de diagnostic"));
    let mut args = vec!["diagnostic", "nouveau", n.as_str(), "--date", "2026-09-20"];
    args.extend(COMPLET);
    env.ok(&args);
    // Against the suggestion (social): a motif is required.
    let e = env.echec(&["parcours", "orienter", &n, "sociopro", "--date", "2026-09-25"], 1);
    assert!(
        e.contains("s'écarte de la suggestion du diagnostic du 20/09/2026 (social, règle 1)") && e.contains("--motif"),
        "{e}"
    );
    assert_eq!(
        env.json(&[
            "parcours", "orienter", &n, "sociopro", "--date", "2026-09-25", "--motif", "souhaite une formation"
        ]),
        serde_json::json!({"dossier": n.parse::<i64>().unwrap()})
    );
    let v = env.json(&["parcours", "voir", &n]);
    assert_eq!(v["orientation"]["orientation"], "sociopro");
    assert_eq!(v["orientation"]["date"], "2026-09-25");
    assert_eq!(v["orientation"]["suggestion"], "social");
    assert_eq!(v["orientation"]["conforme"], false);
    assert_eq!(v["orientation"]["motif"], "souhaite une formation");
    assert_eq!(v["diagnostic"]["suggestion"]["orientation"], "social");
    assert_eq!(
        v["diagnostic"]["freins"][0],
        serde_json::json!({"dimension": "mobilite", "niveau": "fort"})
    );
    env.ok(&["parcours", "orienter", &n, "social", "--date", "2026-10-01"]);
    let v = env.json(&["parcours", "voir", &n]);
    assert_eq!(v["orientation"]["conforme"], true);
    assert_eq!(
        env.sql("SELECT count(*) FROM orientation"),
        3,
        "chaque décision est gardée"
    );
    let table = env.ok(&["parcours", "voir", &n, "--format", "table"]);
    assert!(
        table.contains("Dernier diagnostic")
            && table.contains("sociale le 01/10/2026 par admin, conforme à la suggestion"),
        "{table}"
    );
    let e = env.echec(&["parcours", "orienter", &n, "social", "--date", "2026-08-01"], 1);
    assert!(e.contains("antérieure à l'entrée"), "{e}");
}

#[test]
fn a_faire_lists_open_parcours_without_diagnostic_past_the_delay_oldest_first() {
    let env = Env::initialisee();
    let ancien = env.ouvrir(
        "Ancien",
        "A",
        "1980-01-01",
        "Verdun",
        &["--date", "2026-08-01", "--referent", "m.durand"],
    );
    let limite = env.ouvrir("Limite", "B", "1980-01-01", "Verdun", &["--date", "2026-10-27"]);
    let juste = env.ouvrir("Juste", "C", "1980-01-01", "Verdun", &["--date", "2026-10-26"]);
    let fait = env.ouvrir("Fait", "D", "1980-01-01", "Verdun", &["--date", "2026-07-01"]);
    env.ok(&[
        "diagnostic",
        "nouveau",
        &fait.to_string(),
        "--date",
        "2026-07-10",
        "--contrainte",
        "mobilite=sans-impact",
    ]);
    let clos = env.ouvrir("Clos", "E", "1980-01-01", "Verdun", &["--date", "2026-06-01"]);
    env.ok(&[
        "parcours",
        "clore",
        &clos.to_string(),
        "--motif",
        "abandon",
        "--date",
        "2026-07-01",
    ]);

    let dossiers = |args: &[&str]| -> Vec<i64> { env.dossiers(&[&["diagnostic", "a-faire"], args].concat()) };
    // Today is 2026-11-26: entered 2026-10-26 is 31 days ago, 2026-10-27 is 30 days ago.
    assert_eq!(dossiers(&[]), [ancien, juste]);
    assert_eq!(dossiers(&["--delai", "0"]), [ancien, juste, limite]);
    assert_eq!(dossiers(&["--referent", "m.durand"]), [ancien]);
    let ligne = &env.json(&["diagnostic", "a-faire"])[0];
    assert_eq!(ligne["jours"], 117);
    assert_eq!(ligne["referent"], "m.durand");
}

/// Where the documented format has an object, a list is refused, naming the field, as a
/// usage error (exit 2) like every bad answer; an empty document has no answer (exit 2);
/// a UTF-8 BOM (Windows Notepad) is accepted.
#[test]
fn a_document_with_lists_for_objects_is_refused_and_a_bom_is_accepted() {
    let (env, n) = dossier();
    let refuses: &[(&str, &str)] = &[
        (
            r#"[{"mobilite": {"niveau": "fort"}}]"#,
            "le document : attendu : un objet",
        ),
        ("[]", "le document : attendu : un objet"),
        (
            r#"{"contraintes": {"mobilite": ["fort", ["sans-permis"]]}}"#,
            "champ « contraintes.mobilite » : attendu : un objet",
        ),
        (
            r#"{"contraintes": [["mobilite", {"niveau": "fort"}]]}"#,
            "champ « contraintes » : attendu : un objet",
        ),
        (r#"{"projet": "flou"}"#, "champ « projet » : valeur « flou » inconnue"),
    ];
    for (document, champ) in refuses {
        let sortie = env
            .spie(&["diagnostic", "nouveau", &n, "--reponses", "-"])
            .write_stdin(*document)
            .output()
            .unwrap();
        let e = String::from_utf8_lossy(&sortie.stderr);
        assert_eq!(sortie.status.code(), Some(2), "{document} : {e}");
        assert!(e.contains(champ), "{document} : {e}");
        assert!(
            !e.contains("aucune réponse") && !e.contains("expected"),
            "{document} : {e}"
        );
    }
    for vide in ["", "  \n", "\u{feff}"] {
        let sortie = env
            .spie(&["diagnostic", "nouveau", &n, "--reponses", "-"])
            .write_stdin(vide)
            .output()
            .unwrap();
        let e = String::from_utf8_lossy(&sortie.stderr);
        assert_eq!(sortie.status.code(), Some(2), "{vide:?} : {e}");
        assert!(
            e.contains("aucune réponse") && !e.contains("colonne 0"),
            "{vide:?} : {e}"
        );
    }
    assert_eq!(env.sql("SELECT count(*) FROM diagnostic"), 0);
    let cree = env
        .spie(&["diagnostic", "nouveau", &n, "--reponses", "-", "--format", "json"])
        .write_stdin("\u{feff}{\"contraintes\": {\"sante\": {\"niveau\": \"fort\"}}}")
        .output()
        .unwrap();
    assert!(cree.status.success(), "{}", String::from_utf8_lossy(&cree.stderr));
    assert_eq!(env.sql("SELECT count(*) FROM diagnostic"), 1);
}

/// A sentence typed where a code is expected (a name, a health detail) is never repeated
/// in the error: errors end up in scripts' logs.
#[test]
fn what_is_typed_in_a_code_field_is_not_repeated_unless_a_code() {
    let env = Env::initialisee();
    let n = env.ouvrir("Dupont", "Marie", "1985-03-12", "Verdun", &[]).to_string();
    let phrase = "Mme Zorglub cancer du sein";
    std::fs::write(
        env.dir.path().join("r.json"),
        format!(r#"{{"contraintes":{{"sante":{{"niveau":"{phrase}"}}}}}}"#),
    )
    .unwrap();
    for args in [
        vec!["diagnostic", "nouveau", &n, "--reponses", "r.json"],
        vec![
            "diagnostic",
            "nouveau",
            &n,
            "--contrainte",
            "sante=Mme Zorglub cancer du sein",
        ],
        vec!["diagnostic", "nouveau", &n, "--contrainte", "Mme Zorglub=fort"],
        vec![
            "diagnostic",
            "nouveau",
            &n,
            "--contrainte",
            "sante=fort",
            "--situation",
            "sante:Mme Zorglub cancer du sein",
        ],
        vec![
            "parcours", "objectif", "ajouter", &n, "--thematique", "Mme Zorglub cancer du sein",
        ],
        vec!["parcours", "modifier", &n, "--public", "Mme Zorglub"],
    ] {
        let out = env.spie(&args).output().unwrap();
        assert_ne!(out.status.code(), Some(0), "{args:?}");
        let e = String::from_utf8_lossy(&out.stderr);
        assert!(
            !e.contains("Zorglub") && e.contains("n'est pas un code"),
            "{args:?} : {e}"
        );
    }
    // A mistyped code is still shown, to be corrected.
    let e = env.echec(&["diagnostic", "nouveau", &n, "--contrainte", "sante=fortt"], 2);
    assert!(e.contains("« fortt »"), "{e}");
}

/// The habilitation rule: an agent of another structure and an `accueil` agent never read
/// nor write a diagnostic; each refusal is a French error (exit 1) and is in the audit
/// trail. A written reason opens the read once, logged as a break-glass.
#[test]
fn diagnostics_are_refused_to_agents_without_rights_and_each_refusal_is_audited() {
    let (env, n) = dossier();
    env.ok(&["diagnostic", "nouveau", &n, "--contrainte", "mobilite=fort"]);
    let partenaire = env.partenaire();
    let d: i64 = n.parse().unwrap();
    let cas = [
        (partenaire, "vous ne suivez pas le dossier"),
        ("accueil", "le rôle « accueil » ne permet pas"),
    ];
    let mut attendus = Vec::new();
    for (agent, message) in cas {
        for args in [
            vec!["diagnostic", "voir", &n],
            vec!["diagnostic", "comparer", &n],
            vec!["diagnostic", "nouveau", &n, "--contrainte", "sante=fort"],
        ] {
            let mut avec_agent = args.clone();
            avec_agent.extend(["--agent", agent]);
            let e = env.echec(&avec_agent, 1);
            assert!(
                e.contains(message) && e.contains(&format!("dossier {n}")),
                "{args:?} : {e}"
            );
            assert!(e.contains("aide : "), "{e}");
            attendus.push((agent.to_owned(), args[..2].join(" "), Some(d)));
        }
    }
    assert_eq!(env.refus(), attendus);
    assert_eq!(env.sql("SELECT count(*) FROM diagnostic"), 1, "rien n'est enregistré");

    // Without any answer, the refusal comes first: nobody is asked to fill a grid for nothing.
    let e = env.echec(&["diagnostic", "nouveau", &n, "--agent", partenaire], 1);
    assert!(e.contains("vous ne suivez pas"), "{e}");

    // Break-glass: read once with a reason, logged as such.
    let v = env.json(&[
        "diagnostic", "voir", &n, "--agent", partenaire, "--motif", "appel du 115",
    ]);
    assert_eq!(v["contraintes"]["mobilite"]["niveau"], "fort", "{v}");
    let journal = env.json(&["base", "journal", "--dossier", &n]);
    assert!(
        journal
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["agent"] == partenaire && e["commande"] == "diagnostic voir — bris de glace : appel du 115"),
        "{journal}"
    );
    // The motif opens reads only.
    let e = env.echec(
        &["diagnostic", "comparer", &n, "--agent", "accueil", "--motif", "urgence"],
        1,
    );
    assert!(e.contains("accueil"), "{e}");
}
