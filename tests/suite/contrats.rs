//! Contracts of a parcours, the person's identifiers, and prescriptions answered by the
//! partner: dated, in the dossier, in `parcours a-faire`.

use super::commun::{Env, fixture};
use super::rdv::{le, le_json, taches};

fn dossier(env: &Env, autres: &[&str]) -> String {
    let mut args = vec!["--referent", "m.durand", "--date", "2026-09-01"];
    args.extend(autres);
    env.ouvrir("Martin", "Léa", "1990-01-01", "Verdun", &args).to_string()
}

/// A dossier and a catalogue (source "p") whose offer 1 can be prescribed.
fn dossier_et_catalogue(env: &Env) -> String {
    let n = dossier(env, &[]);
    env.ok(&[
        "offre",
        "importer",
        &fixture("offres/utf8-point-virgule.csv"),
        "--source",
        "p",
        "--appliquer",
    ]);
    n
}

#[test]
fn a_contract_ending_within_30_days_is_a_task_until_renewed() {
    let env = Env::initialisee();
    let n = dossier(&env, &[]);
    env.ok(&[
        "parcours", "contrat", &n, "--type", "cer", "--debut", "01/09/2026", "--fin", "15/12/2026",
    ]);
    let contrat = |t: &(String, i64, String)| t.0 == "contrat-a-echeance";
    // 26/11: ends in 19 days.
    let taches_du_jour = taches(&env, "2026-11-26", "m.durand");
    let t = taches_du_jour.iter().find(|t| contrat(t)).expect("contrat à échéance");
    assert_eq!(t.2, "contrat CER prend fin le 15/12/2026");
    // A month earlier, nothing to do yet.
    assert!(!taches(&env, "2026-11-10", "m.durand").iter().any(contrat));
    // Renewed: no more task.
    env.ok(&[
        "parcours", "contrat", &n, "--type", "cer", "--debut", "16/12/2026", "--fin", "15/06/2027",
    ]);
    assert!(!taches(&env, "2026-11-26", "m.durand").iter().any(contrat));
    let vue = env.json(&["parcours", "voir", &n]);
    assert_eq!(vue["contrats"].as_array().unwrap().len(), 2, "{vue}");
    assert_eq!(vue["contrats"][0]["type"], "cer");
    // The reception does not see contracts.
    let accueil = env.json(&["parcours", "voir", &n, "--agent", "accueil"]);
    assert_eq!(accueil["contrats"], serde_json::json!([]));
}

#[test]
fn a_contract_with_bad_dates_is_refused_and_nothing_is_stored() {
    let env = Env::initialisee();
    let n = dossier(&env, &[]);
    let e = env.echec(
        &[
            "parcours", "contrat", &n, "--type", "ppae", "--debut", "01/12/2026", "--fin", "01/11/2026",
        ],
        1,
    );
    assert!(
        e.contains("--fin : le 01/11/2026 est avant le début du contrat (01/12/2026)"),
        "{e}"
    );
    let e = env.echec(
        &[
            "parcours", "contrat", &n, "--type", "xyz", "--debut", "01/12/2026", "--fin", "01/11/2027",
        ],
        2,
    );
    assert!(e.contains("xyz"), "{e}");
    assert_eq!(env.sql("SELECT count(*) FROM contrat"), 0);
}

#[test]
fn identifiers_phone_and_email_find_the_dossier() {
    let env = Env::initialisee();
    let n: i64 = dossier(
        &env,
        &[
            "--france-travail", "1234567a", "--caf", "7654321", "--telephone", "0612345678", "--courriel",
            "lea@example.org",
        ],
    )
    .to_string()
    .parse()
    .unwrap();
    env.ouvrir("Autre", "Paul", "1980-02-02", "Verdun", &["--telephone", "0699999999"]);
    for cherche in [
        "1234567A", "7654321", "06 12 34 56 78", "+33612345678", "lea@example.org",
    ] {
        assert_eq!(env.dossiers(&["parcours", "chercher", cherche]), [n], "{cherche}");
    }
    let vue = env.json(&["parcours", "voir", &n.to_string()]);
    assert_eq!(vue["france_travail"], "1234567A");
    assert_eq!(vue["caf"], "7654321");
    // Corrected, then cleared.
    env.ok(&["parcours", "modifier", &n.to_string(), "--caf", ""]);
    assert_eq!(env.dossiers(&["parcours", "chercher", "7654321"]), Vec::<i64>::new());
    let e = env.echec(&["parcours", "modifier", &n.to_string(), "--france-travail", "12AB"], 1);
    assert!(e.contains("identifiant France Travail illisible"), "{e}");
    // A partner without link finds nothing.
    env.partenaire();
    assert_eq!(
        env.dossiers(&["parcours", "chercher", "1234567A", "--agent", "l.roux"]),
        Vec::<i64>::new()
    );
}

/// A dossier, the catalogue, and offer 1 prescribed on 2 November: (dossier, prescription).
fn dossier_et_prescription(env: &Env) -> (String, String) {
    let n = dossier_et_catalogue(env);
    let id = le(
        env,
        "2026-11-02",
        &["offre", "prescrire", &n, "1", "--agent", "m.durand"],
    );
    (n, id.trim().to_owned())
}

#[test]
fn a_prescription_is_answered_step_by_step_and_flagged_without_answer() {
    let env = Env::initialisee();
    let (n, id) = dossier_et_prescription(&env);
    let id = id.as_str();
    // proposee → realisee is not a step.
    let e = env.echec(&["offre", "prescription", id, "realisee"], 1);
    assert!(e.contains("« proposée »") && e.contains("envoyee, abandonnee"), "{e}");
    le(&env, "2026-11-03", &["offre", "prescription", id, "envoyee"]);
    let sans = |jour: &str| {
        taches(&env, jour, "m.durand")
            .into_iter()
            .filter(|t| t.0 == "prescription-sans-reponse")
            .map(|t| t.2)
            .collect::<Vec<_>>()
    };
    assert!(sans("2026-11-17").is_empty());
    let detail = sans("2026-11-18");
    assert_eq!(detail.len(), 1);
    assert!(
        detail[0].contains("sans réponse depuis 15 jours (envoyée le 03/11/2026)"),
        "{detail:?}"
    );
    // The delay told is the real one, not the threshold.
    assert!(
        sans("2027-05-10")[0].contains("sans réponse depuis 188 jours (envoyée le 03/11/2026)"),
        "{:?}",
        sans("2027-05-10")
    );
    let vue = le_json(&env, "2026-11-18", &["parcours", "voir", &n]);
    assert_eq!(
        vue["actions_sans_objectif"][0]["prescription"]["statut"],
        "sans-reponse"
    );
    // On screen too: the plan says where the partner's answer stands.
    let fiche = le(&env, "2026-11-18", &["parcours", "voir", &n, "--format", "csv"]);
    assert!(fiche.contains("prescription : sans réponse"), "{fiche}");
    // A refusal says why; the action follows.
    let e = env.echec(&["offre", "prescription", id, "refusee"], 1);
    assert!(e.contains("rien n'est noté") && e.contains("--motif"), "{e}");
    // A date in the future names the prescription it was meant for.
    let e = env.echec(&["offre", "prescription", id, "acceptee", "--date", "2026-12-31"], 1);
    assert!(
        e.contains(&format!(
            "la réponse à la prescription {id} : la date du 31/12/2026 est dans le futur"
        )),
        "{e}"
    );
    le(
        &env,
        "2026-11-20",
        &["offre", "prescription", id, "refusee", "--motif", "places complètes"],
    );
    assert!(sans("2026-11-26").is_empty());
    let vue = env.json(&["parcours", "voir", &n]);
    let action = &vue["actions_sans_objectif"][0];
    // Refused by the partner, not by the person: the action ends, abandoned.
    assert_eq!(action["statut"], "abandonnee");
    assert_eq!(action["prescription"]["statut"], "refusee");
    let fiche = env.ok(&["parcours", "voir", &n, "--format", "csv"]);
    assert!(
        !fiche.contains("par la personne") && fiche.contains("prescription : refusée par le partenaire"),
        "{fiche}"
    );
    // Its status follows the prescription's answers only.
    let numero = action["id"].to_string();
    let e = env.echec(&["parcours", "action", "statut", &numero, "en-cours"], 1);
    assert!(e.contains("spie offre prescription"), "{e}");
    let etapes: Vec<(&str, &str)> = action["prescription"]["etapes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["date"].as_str().unwrap(), e["statut"].as_str().unwrap()))
        .collect();
    assert_eq!(etapes, [("2026-11-03", "envoyee"), ("2026-11-20", "refusee")]);
    // Refused: prescribing the offer again does not warn; while a second is in progress, it does.
    let sortie = env.spie(&["offre", "prescrire", &n, "1"]).output().unwrap();
    assert!(!String::from_utf8_lossy(&sortie.stderr).contains("déjà prescrite"));
    let sortie = env.spie(&["offre", "prescrire", &n, "1"]).output().unwrap();
    assert!(String::from_utf8_lossy(&sortie.stderr).contains("déjà prescrite"));
    // Not a prescription.
    let action = env.ok(&["parcours", "action", "ajouter", &n, "--libelle", "Appeler"]);
    let e = env.echec(&["offre", "prescription", action.trim(), "envoyee"], 1);
    assert!(e.contains("n'est pas une prescription"), "{e}");
}

/// October's answers: one accepted, five refused, one without answer 15 days after it was
/// sent; an answer of another month, and a prescription sent too late to be without
/// answer in October, do not count.
#[test]
fn prescriptions_are_counted_by_source_and_outcome_with_small_counts_hidden() {
    let env = Env::initialisee();
    let n = dossier_et_catalogue(&env);
    let prescrire = |etapes: &[(&str, &str)]| {
        let id = env.ok(&["offre", "prescrire", &n, "1", "--date", "2026-09-15"]);
        for (statut, date) in etapes {
            let mut args = vec!["offre", "prescription", id.trim(), statut, "--date", date];
            if *statut == "refusee" {
                args.extend(["--motif", "complet"]);
            }
            env.ok(&args);
        }
    };
    prescrire(&[("envoyee", "2026-10-02"), ("acceptee", "2026-10-06")]);
    for _ in 0..5 {
        prescrire(&[("envoyee", "2026-10-02"), ("refusee", "2026-10-07")]);
    }
    prescrire(&[("envoyee", "2026-10-01")]);
    prescrire(&[("envoyee", "2026-10-20")]);
    prescrire(&[
        ("envoyee", "2026-09-16"),
        ("acceptee", "2026-09-20"),
        ("realisee", "2026-11-02"),
    ]);

    let i = env.json(&["stats", "mensuel", "--mois", "2026-10"]);
    assert_eq!(
        i["prescriptions_issues"],
        serde_json::json!({"p": {"acceptee": 1, "refusee": 5, "sans-reponse": 1}}),
        "{i}"
    );
    let table = env.ok(&["stats", "mensuel", "--mois", "2026-10", "--format", "table"]);
    assert!(table.contains("Réponses aux prescriptions"), "{table}");

    let csv = super::stats::indicateurs_du_pack(&env, "2026-10");
    let lignes: Vec<Vec<&str>> = csv.lines().map(|l| l.split(';').collect()).collect();
    let total = lignes.last().unwrap();
    let cellule = |nom: &str| {
        let c = lignes[0]
            .iter()
            .position(|e| e.trim_start_matches('\u{feff}') == nom)
            .unwrap_or_else(|| panic!("{nom}"));
        total[c]
    };
    assert_eq!(cellule("prescriptions_refusee"), "5");
    assert_eq!(cellule("prescriptions_acceptee"), "<5", "small counts hidden");
    assert_eq!(cellule("prescriptions_sans-reponse"), "<5");
    assert_eq!(cellule("prescriptions_realisee"), "0");
    assert_eq!(cellule("prescriptions_abandonnee"), "0");
    // The report shows the published cells.
    env.ok(&["stats", "rapport", "--mois", "2026-10", "--sortie", "r.html"]);
    let rapport = std::fs::read_to_string(env.dir.path().join("r.html")).unwrap();
    let section = rapport
        .split("Réponses aux prescriptions du mois")
        .nth(1)
        .expect("section");
    let section = section.split("<h2>").next().unwrap();
    assert!(section.contains(">5<") && section.contains("&lt;5"), "{section}");
    // Erasing the dossier leaves the month's figures as they were.
    env.ok(&["parcours", "clore", &n, "--motif", "autre", "--date", "2026-11-20"]);
    env.ok(&["parcours", "effacer", &n, "--confirmer"]);
    let apres = env.json(&["stats", "mensuel", "--mois", "2026-10"]);
    assert_eq!(apres["prescriptions_issues"], i["prescriptions_issues"]);
}

/// The dossier on screen and on paper shows its appointments (an absence marked) and its
/// contracts, not only its JSON.
#[test]
fn the_dossier_shows_its_appointments_and_contracts() {
    let env = Env::initialisee();
    let n = dossier(&env, &[]);
    env.ok(&[
        "parcours", "contrat", &n, "--type", "cer", "--debut", "01/09/2026", "--fin", "15/12/2026",
    ]);
    le(
        &env,
        "2026-11-20",
        &["rdv", "planifier", &n, "--le", "23/11/2026 10:00", "--lieu", "Salle 2"],
    );
    le(&env, "2026-11-24", &["rdv", "absent", "1"]);
    let fiche = le(&env, "2026-11-26", &["parcours", "voir", &n, "--format", "table"]);
    for attendu in [
        "Rendez-vous",
        "23/11/2026 à 10:00",
        "Salle 2",
        "Absent",
        "Contrats",
        "Contrat d'engagements réciproques",
    ] {
        assert!(fiche.contains(attendu), "« {attendu} » manque :\n{fiche}");
    }
    le(
        &env,
        "2026-11-26",
        &["parcours", "voir", &n, "--sortie", &env.chemin("fiche.html")],
    );
    let page = std::fs::read_to_string(env.chemin("fiche.html")).unwrap();
    assert!(page.contains("Rendez-vous") && page.contains("15/12/2026"), "{page}");
}

/// Runs `parcours contrat`; returns what it said on stderr (it always succeeds).
fn contracter(env: &Env, n: &str, type_: &str, debut: &str) -> String {
    let fin = format!("31/12/{}", &debut[6..]);
    contrat_ok(env, &[n, "--type", type_, "--debut", debut, "--fin", &fin]).1
}

/// A contract the recorded data says the person is not eligible to is recorded all the
/// same, with a warning that states the rule; the age is taken on the first day.
#[test]
fn a_contract_the_person_seems_not_eligible_to_is_recorded_with_a_warning() {
    let env = Env::initialisee();
    let ouvrir = |nom: &str, naissance: &str, autres: &[&str]| {
        let mut args = vec!["--referent", "m.durand", "--date", "2026-09-01"];
        args.extend(autres);
        env.ouvrir(nom, "Test", naissance, "Verdun", &args).to_string()
    };
    // 36 years old: neither CEJ nor PACEA; no RSA, no France Travail recorded.
    let adulte = ouvrir("Alpha", "1990-01-01", &[]);
    let e = contracter(&env, &adulte, "cej", "01/12/2026");
    assert!(
        e.contains("attention") && e.contains("CEJ") && e.contains("16 à 25 ans"),
        "{e}"
    );
    assert!(e.contains("30 ans") && e.contains("RQTH"), "{e}");
    assert!(
        !e.contains("1990") && !e.contains("36"),
        "neither birth date nor age: {e}"
    );
    let e = contracter(&env, &adulte, "pacea", "01/12/2026");
    assert!(e.contains("PACEA") && e.contains("16 à 25 ans"), "{e}");
    let e = contracter(&env, &adulte, "cer", "01/12/2026");
    assert!(e.contains("RSA") && e.contains("--public rsa"), "{e}");
    let e = contracter(&env, &adulte, "ppae", "01/12/2026");
    assert!(e.contains("France Travail") && e.contains("--france-travail"), "{e}");
    assert_eq!(env.sql("SELECT count(*) FROM contrat"), 4, "recorded all the same");

    // Eligible: no warning.
    let jeune = ouvrir("Bravo", "2005-06-15", &["--public", "rsa,de"]);
    for t in ["cej", "pacea", "cer", "ppae"] {
        let e = contracter(&env, &jeune, t, "01/12/2026");
        assert!(!e.contains("attention"), "{t} : {e}");
    }
    // 26 on the first day: too old for the CEJ, unless a RQTH is recorded (under 30).
    let e = contracter(&env, &jeune, "cej", "15/06/2031");
    assert!(e.contains("CEJ"), "{e}");
    let rqth = ouvrir(
        "Charlie",
        "2000-01-01",
        &["--public", "rqth", "--france-travail", "1234567A"],
    );
    let e = contracter(&env, &rqth, "cej", "01/12/2026");
    assert!(!e.contains("attention"), "{e}");
    let e = contracter(&env, &rqth, "ppae", "01/12/2026");
    assert!(!e.contains("attention"), "{e}");
}

/// Every task of `parcours a-faire` names the dossier's référent, whatever it comes from:
/// appointments, prescriptions, contracts as well as the parcours's own rules.
#[test]
fn every_task_names_its_referent() {
    let env = Env::initialisee();
    let (n, id) = dossier_et_prescription(&env);
    le(&env, "2026-11-03", &["offre", "prescription", &id, "envoyee"]);
    env.ok(&[
        "parcours", "contrat", &n, "--type", "cer", "--debut", "01/09/2026", "--fin", "15/12/2026",
    ]);
    // Two absences in a row, one appointment without outcome, one today.
    for (jour, moment, issue) in [
        ("2026-11-04", "05/11/2026 09:00", Some("absent")),
        ("2026-11-06", "09/11/2026 09:00", Some("absent")),
        ("2026-11-10", "20/11/2026 09:00", None),
        ("2026-11-10", "26/11/2026 15:00", None),
    ] {
        let r = le(&env, jour, &["rdv", "planifier", &n, "--le", moment]);
        if let Some(issue) = issue {
            le(
                &env,
                &format!("{}-{}-{}", &moment[6..10], &moment[3..5], &moment[..2]),
                &["rdv", issue, r.trim()],
            );
        }
    }
    let taches = le_json(&env, "2026-11-26", &["parcours", "a-faire", "--agent", "m.durand"]);
    let categories: Vec<&str> = taches
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["categorie"].as_str().unwrap())
        .collect();
    for attendue in [
        "deux-absences", "rdv-sans-issue", "contrat-a-echeance", "prescription-sans-reponse",
    ] {
        assert!(categories.contains(&attendue), "{attendue} : {taches}");
    }
    for t in taches.as_array().unwrap() {
        assert_eq!(t["referent"], "m.durand", "{t}");
        assert_eq!(t["referent_nom"], "Marc Durand", "{t}");
    }
    let csv = le(
        &env,
        "2026-11-26",
        &["parcours", "a-faire", "--agent", "m.durand", "--format", "csv"],
    );
    for ligne in csv.lines().skip(1) {
        assert!(ligne.ends_with(";m.durand;Marc Durand"), "{ligne}");
    }
}

/// The contracts of a dossier are listed with their numbers, which `contrat corriger` and
/// `contrat retirer` take: two CER are told apart on the screen as on the sheet.
#[test]
fn the_dossier_lists_its_contracts_with_their_numbers() {
    let env = Env::initialisee();
    let n = env.lucie_martin(&["--referent", "m.durand", "--date", "2026-09-01"]);
    let (premier, _) = contrat_ok(
        &env,
        &[&n, "--type", "cer", "--debut", "01/09/2026", "--fin", "28/02/2027"],
    );
    let (second, _) = contrat_ok(
        &env,
        &[&n, "--type", "cer", "--debut", "01/03/2027", "--fin", "31/08/2027"],
    );
    let vue = env.ok(&["parcours", "voir", &n, "--format", "csv"]);
    let numeros: Vec<&str> = vue
        .lines()
        .filter(|l| l.starts_with("Contrats "))
        .filter_map(|l| l.split_once(";N°;").map(|(_, n)| n))
        .collect();
    assert_eq!(numeros, [premier, second], "{vue}");
}

/// Runs `parcours contrat` (which must succeed); returns its trimmed stdout (the number) and
/// what it said on stderr.
fn contrat_ok(env: &Env, args: &[&str]) -> (String, String) {
    let mut tous = vec!["parcours", "contrat"];
    tous.extend(args);
    let (id, dit) = env.ok_dit(&tous);
    (id.trim().to_owned(), dit)
}

/// The same contract twice is refused, naming the first; one that overlaps a contract of
/// the same type, or starts before the entry in the parcours, is recorded with a warning.
#[test]
fn an_identical_contract_is_refused_an_overlapping_one_is_warned() {
    let env = Env::initialisee();
    let n = dossier(&env, &["--public", "rsa"]);
    let cer = ["--type", "cer", "--debut", "01/09/2026", "--fin", "28/02/2027"];
    let (premier, e) = contrat_ok(&env, &[&[n.as_str()][..], &cer].concat());
    assert!(!e.contains("attention"), "{e}");
    let e = env.echec(&[&["parcours", "contrat", n.as_str()][..], &cer].concat(), 1);
    assert!(
        e.contains(&format!("contrat CER n° {premier}")) && e.contains("déjà enregistré"),
        "{e}"
    );
    assert_eq!(env.sql("SELECT count(*) FROM contrat"), 1);
    // Capitals and accents: the same type.
    let e = env.echec(
        &[
            "parcours", "contrat", &n, "--type", "CER", "--debut", "01/09/2026", "--fin", "28/02/2027",
        ],
        1,
    );
    assert!(e.contains("déjà enregistré"), "{e}");

    let (_, e) = contrat_ok(
        &env,
        &[&n, "--type", "cer", "--debut", "01/02/2027", "--fin", "31/07/2027"],
    );
    assert!(
        e.contains("attention") && e.contains(&format!("chevauche le contrat CER n° {premier}")),
        "{e}"
    );
    // Another type over the same months: no warning.
    let (_, e) = contrat_ok(
        &env,
        &[&n, "--type", "ppae", "--debut", "01/10/2026", "--fin", "31/12/2026"],
    );
    assert!(!e.contains("chevauche"), "{e}");
    // Before the entry in the parcours (01/09/2026).
    let (_, e) = contrat_ok(
        &env,
        &[&n, "--type", "cej", "--debut", "15/08/2026", "--fin", "31/08/2026"],
    );
    assert!(
        e.contains("commence avant l'entrée dans le parcours (01/09/2026)"),
        "{e}"
    );
    assert_eq!(env.sql("SELECT count(*) FROM contrat"), 4);
}

/// A contract's dates corrected, or the contract withdrawn, keeps the previous ones in the
/// dossier's corrections and the access export, audited; a withdrawn contract is no longer
/// due nor counted.
#[test]
fn a_contract_is_corrected_or_withdrawn_and_its_history_kept() {
    let env = Env::initialisee();
    let n = dossier(&env, &["--public", "rsa"]);
    let (id, _) = contrat_ok(
        &env,
        &[&n, "--type", "cer", "--debut", "01/09/2026", "--fin", "15/12/2026"],
    );
    let (_, dit) = contrat_ok(
        &env,
        &["corriger", &id, "--fin", "15/01/2027", "--motif", "date mal saisie"],
    );
    assert!(dit.contains(&format!("contrat {id} corrigé")), "{dit}");
    let vue = env.json(&["parcours", "voir", &n]);
    assert_eq!(vue["contrats"][0]["fin"], "2027-01-15", "{vue}");
    assert_eq!(vue["contrats"][0]["debut"], "2026-09-01");
    let c = &vue["corrections"][0];
    assert_eq!(c["element"], format!("contrat {id}"), "{vue}");
    assert_eq!(c["ancien"], "CER du 01/09/2026 au 15/12/2026");
    assert_eq!(c["motif"], "date mal saisie");
    assert!(env.dans_le_journal("admin", "parcours contrat corriger"));
    // The person's access page names the earlier dates in words.
    env.ok(&["parcours", "exporter", &n, "--sortie", "acces-contrat.json"]);
    let page = std::fs::read_to_string(env.dir.path().join("acces-contrat.html")).unwrap();
    assert!(page.contains("Début d'avant") && page.contains("Fin d'avant"), "{page}");
    assert!(!page.contains("Ancien debut"), "{page}");
    // The expiry follows the corrected end: on 26/11 nothing is due any more.
    let echeance = |jour: &str| {
        taches(&env, jour, "m.durand")
            .into_iter()
            .any(|t| t.0 == "contrat-a-echeance")
    };
    assert!(!echeance("2026-11-26"));
    assert!(echeance("2026-12-26"));
    let echeance_du_portefeuille = || {
        let dossiers = env.json(&["parcours", "liste", "--mes-dossiers", "--agent", "m.durand"]);
        dossiers[0]["prochaine_echeance"].clone()
    };
    assert_eq!(echeance_du_portefeuille(), "2027-01-15");

    // Nothing changed, or nothing given: refused, named.
    let e = env.echec(
        &[
            "parcours", "contrat", "corriger", &id, "--fin", "15/01/2027", "--motif", "x",
        ],
        1,
    );
    assert!(e.contains("inchangé"), "{e}");
    let e = env.echec(
        &[
            "parcours", "contrat", "corriger", &id, "--debut", "01/02/2027", "--motif", "x",
        ],
        1,
    );
    assert!(e.contains("--fin") && e.contains("avant le début"), "{e}");
    let e = env.echec(
        &[
            "parcours", "contrat", "corriger", "999", "--fin", "15/01/2027", "--motif", "x",
        ],
        1,
    );
    assert!(e.contains("contrat inconnu : 999"), "{e}");

    // Withdrawn: out of the dossier's contracts, the to-do list and the indicator.
    let (_, dit) = contrat_ok(&env, &["retirer", &id, "--motif", "signé pour une autre personne"]);
    assert!(dit.contains(&format!("contrat {id} retiré")), "{dit}");
    assert!(!echeance("2026-12-26"));
    assert_eq!(echeance_du_portefeuille(), serde_json::Value::Null);
    let vue = env.json(&["parcours", "voir", &n]);
    assert_eq!(vue["contrats"], serde_json::json!([]), "{vue}");
    let retrait = &vue["corrections"][1];
    assert_eq!(retrait["retrait"], true, "{vue}");
    assert_eq!(retrait["ancien"], "CER du 01/09/2026 au 15/01/2027");
    assert!(env.dans_le_journal("admin", "parcours contrat retirer"));
    let mois = env.json(&["stats", "mensuel", "--mois", "2026-10"]);
    assert_eq!(mois["avec_contrat"], 0, "{mois}");
    let e = env.echec(&["parcours", "contrat", "retirer", &id, "--motif", "x"], 1);
    assert!(e.contains("déjà retiré"), "{e}");
    let e = env.echec(
        &[
            "parcours", "contrat", "corriger", &id, "--fin", "15/02/2027", "--motif", "x",
        ],
        1,
    );
    assert!(e.contains("déjà retiré"), "{e}");

    let export = env.json(&["parcours", "exporter", &n]);
    let lignes = export["tables"]["contrat_correction"].as_array().unwrap();
    assert_eq!(lignes.len(), 2, "{export}");
    env.ok(&["parcours", "exporter", &n, "--sortie", "dossier.json"]);
    let page = std::fs::read_to_string(env.chemin("dossier.html")).unwrap();
    assert!(page.contains("Contrats corrigés ou retirés"), "{page}");
}

/// Only an agent who may record a contract may correct or withdraw one; the refusal is
/// audited and nothing changes.
#[test]
fn correcting_a_contract_needs_the_right_to_record_one() {
    let env = Env::initialisee();
    let n = dossier(&env, &["--public", "rsa"]);
    let (id, _) = contrat_ok(
        &env,
        &[&n, "--type", "cer", "--debut", "01/09/2026", "--fin", "15/12/2026"],
    );
    for args in [
        vec![
            "parcours", "contrat", "corriger", &id, "--fin", "15/01/2027", "--motif", "x", "--agent", "accueil",
        ],
        vec![
            "parcours", "contrat", "retirer", &id, "--motif", "x", "--agent", "accueil",
        ],
    ] {
        let e = env.echec(&args, 1);
        assert!(e.contains("le rôle « accueil » ne permet pas"), "{args:?} : {e}");
    }
    assert_eq!(env.sql("SELECT count(*) FROM contrat WHERE fin = '2026-12-15'"), 1);
    let refus = env.refus();
    assert!(
        refus
            .iter()
            .any(|r| r.0 == "accueil" && r.1 == "parcours contrat corriger"),
        "{refus:?}"
    );
}

/// A prescription with no objective is listed in the plan under a heading of its own, not
/// under the last objective.
#[test]
fn a_prescription_without_objective_is_not_shown_under_the_last_objective() {
    let env = Env::initialisee();
    let (n, _) = dossier_et_prescription(&env);
    env.ok(&[
        "parcours", "objectif", "ajouter", &n, "--thematique", "mobilite--preparer-un-permis",
    ]);
    let out = env
        .spie(&["parcours", "voir", &n, "--format", "table"])
        .env("COLUMNS", "200")
        .output()
        .unwrap();
    let t = String::from_utf8(out.stdout).unwrap();
    let plan: Vec<&str> = t
        .lines()
        .skip_while(|l| !l.starts_with("Plan"))
        .filter(|l| l.contains("objectif") || l.contains("action"))
        .collect();
    let position = |mot: &str| plan.iter().position(|l| l.contains(mot));
    let (objectif, hors, action) = (position("objectif 1"), position("hors objectif"), position("action 1 "));
    assert!(objectif.is_some() && objectif < hors && hors < action, "{plan:#?}");
    // Its status said once while the partner's answer says the same.
    assert!(!t.contains("prescription : proposée"), "{t}");
}

/// An offer that answers none of the person's needs is prescribed with a warning naming it
/// (a rank of `offre proposer` typed for its number); one that answers a need, without.
#[test]
fn prescribing_an_offer_unrelated_to_the_needs_is_warned() {
    let env = Env::initialisee();
    let n = dossier_et_catalogue(&env);
    let objectif = env.ok(&[
        "parcours",
        "objectif",
        "ajouter",
        &n,
        "--thematique",
        "numerique--maitriser-les-fondamentaux-du-numerique",
    ]);
    let objectif = objectif.trim();
    let (_, sans_rapport) = env.ok_dit(&["offre", "prescrire", &n, "1", "--objectif", objectif]);
    assert!(
        sans_rapport.contains("l'offre 1 « Garage solidaire de l'Ornain » ne répond à aucun besoin du dossier"),
        "{sans_rapport}"
    );
    let (_, voulue) = env.ok_dit(&["offre", "prescrire", &n, "2", "--objectif", objectif]);
    assert!(!voulue.contains("ne répond à aucun besoin"), "{voulue}");
    // The proposals show the offer's number, not their rank beside it.
    env.ok(&[
        "diagnostic", "nouveau", &n, "--contrainte", "mobilite=fort", "--non-interactif",
    ]);
    let out = env
        .spie(&["offre", "proposer", &n, "--rayon", "200", "--format", "table"])
        .env("COLUMNS", "200")
        .output()
        .unwrap();
    let t = String::from_utf8(out.stdout).unwrap();
    assert!(
        t.contains("Offre") && !t.contains(" # "),
        "{t}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
