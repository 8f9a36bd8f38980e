//! Appointments (`spie rdv …`): planned, convocation, outcome, agenda, and what they add
//! to `parcours a-faire`; who may do what with them.

use super::commun::{AUJOURDHUI, Env};

/// Runs a command on day `jour` (the scripted day moves on); returns its stdout.
pub fn le(env: &Env, jour: &str, args: &[&str]) -> String {
    let out = env.spie(args).env("SPIE_DATE", jour).output().unwrap();
    assert!(
        out.status.success(),
        "spie {args:?} le {jour} a échoué\nstderr : {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Like [`le`], with `--format json`, parsed.
pub fn le_json(env: &Env, jour: &str, args: &[&str]) -> serde_json::Value {
    let mut tous = args.to_vec();
    tous.extend(["--format", "json"]);
    serde_json::from_str(&le(env, jour, &tous)).unwrap()
}

/// The (categorie, dossier, detail) of `parcours a-faire` for `agent` on `jour`.
pub fn taches(env: &Env, jour: &str, agent: &str) -> Vec<(String, i64, String)> {
    le_json(env, jour, &["parcours", "a-faire", "--agent", agent])
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["categorie"].as_str().unwrap().to_owned(),
                t["dossier"].as_i64().unwrap(),
                t["detail"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn dossier(env: &Env) -> String {
    dossier_avec(env, &[])
}

/// Léa Martin's dossier, followed by m.durand from 02/11/2026, with `autres` options.
fn dossier_avec(env: &Env, autres: &[&str]) -> String {
    let mut args = vec!["--referent", "m.durand", "--date", "2026-11-02"];
    args.extend(autres);
    env.ouvrir("Martin", "Léa", "1990-01-01", "Verdun", &args).to_string()
}

/// The administrator gives the structure its address, printed on convocations.
fn adresse_de_la_structure(env: &Env) {
    env.ok(&["structure", "modifier", "CCAS de Verdun", "--adresse", ADRESSE]);
}

const ADRESSE: &str = "1 place de la Nation, 55100 Verdun";

/// Plans an appointment of dossier `n` at `moment` on day `jour`; returns its number.
fn planifier(env: &Env, jour: &str, n: &str, moment: &str) -> String {
    le(env, jour, &["rdv", "planifier", n, "--le", moment])
        .trim()
        .to_owned()
}

#[test]
fn the_reception_plans_for_the_referent_and_the_agenda_shows_it() {
    let env = Env::initialisee();
    let n = dossier(&env);
    let id = env.ok(&[
        "rdv", "planifier", &n, "--le", "27/11/2026 14:30", "--type", "diagnostic", "--lieu", "Bureau 2", "--agent",
        "accueil",
    ]);
    let id = id.trim();
    // The référent receives by default when the reception plans.
    let agenda = env.json(&["rdv", "agenda", "--date", "2026-11-27", "--agent", "m.durand"]);
    assert_eq!(agenda.as_array().unwrap().len(), 1, "{agenda}");
    let r = &agenda[0];
    assert_eq!(r["id"].to_string(), id);
    assert_eq!(r["dossier"].to_string(), n);
    assert_eq!(r["debut"], "2026-11-27T14:30:00");
    assert_eq!(r["type"], "diagnostic");
    assert_eq!(r["lieu"], "Bureau 2");
    assert_eq!(r["agent"], "m.durand");
    assert_eq!(r["statut"], "prevu");
    // Not today's: today's agenda is empty; the week's holds it.
    assert_eq!(
        env.json(&["rdv", "agenda", "--agent", "m.durand"]),
        serde_json::json!([])
    );
    let semaine = env.json(&["rdv", "agenda", "--semaine", "--agent", "m.durand"]);
    assert_eq!(semaine.as_array().unwrap().len(), 1);
    // The reception sees the référent's agenda too.
    let vu = env.json(&["rdv", "agenda", "--semaine", "--de", "m.durand", "--agent", "accueil"]);
    assert_eq!(vu, semaine);
    // Both the planning and the reads are in the dossier's audit trail.
    assert!(env.dans_le_journal("accueil", "rdv planifier"));
    assert!(env.dans_le_journal("accueil", "rdv agenda"));
}

/// A moment that cannot be read is refused with the value; a past day is recorded (an
/// appointment noted afterwards) with a warning to note its outcome.
#[test]
fn bad_moments_are_refused_with_the_value_past_days_warned() {
    let env = Env::initialisee();
    let n = dossier(&env);
    let e = env.echec(&["rdv", "planifier", &n, "--le", "27/11/2026"], 2);
    assert!(e.contains("« 27/11/2026 »") && e.contains("JJ/MM/AAAA HH:MM"), "{e}");
    let (passe, e) = env.ok_dit(&["rdv", "planifier", &n, "--le", "25/11/2026 10:00"]);
    assert!(
        e.contains("le 25/11/2026 est passé (aujourd'hui : 26/11/2026)") && e.contains("rdv honore"),
        "{e}"
    );
    env.ok(&["rdv", "honore", passe.trim()]);
    let e = env.echec(&["rdv", "honore", "99"], 1);
    assert!(e.contains("rendez-vous inconnu : 99"), "{e}");
    let id = env.ok(&["rdv", "planifier", &n, "--le", "30/11/2026 09:00"]);
    let e = env.echec(&["rdv", "absent", id.trim()], 1);
    assert!(e.contains("ne peut pas encore être venue ou absente"), "{e}");
    assert!(e.contains("spie rdv excuse"), "{e}");
    assert_eq!(env.sql("SELECT count(*) FROM rdv WHERE statut = 'prevu'"), 1);
}

#[test]
fn the_convocation_is_a_letter_and_a_calendar_file() {
    let env = Env::initialisee();
    let n = dossier(&env);
    let id = env.ok(&[
        "rdv", "planifier", &n, "--le", "02/12/2026 14:30", "--type", "accueil", "--agent", "m.durand",
    ]);
    let id = id.trim();
    std::fs::create_dir(env.dir.path().join("courrier")).unwrap();
    env.ok(&["rdv", "convocation", id, "--sortie", "courrier", "--agent", "accueil"]);
    let html = std::fs::read_to_string(env.dir.path().join(format!("courrier/convocation-{id}.html"))).unwrap();
    for attendu in [
        "CCAS de Verdun",
        "Léa MARTIN",
        "Le mercredi 02/12/2026 à 14:30",
        "pièce d'identité",
        "Marc Durand",
    ] {
        assert!(html.contains(attendu), "{attendu}");
    }
    let ics = std::fs::read_to_string(env.dir.path().join(format!("courrier/convocation-{id}.ics"))).unwrap();
    assert!(ics.contains("DTSTART:20261202T143000\r\n"), "{ics}");
    assert!(!ics.contains("Martin"), "the calendar file names no one: {ics}");
    // Readable by their owner only.
    use std::os::unix::fs::PermissionsExt;
    for extension in ["html", "ics"] {
        let chemin = env.dir.path().join(format!("courrier/convocation-{id}.{extension}"));
        assert_eq!(std::fs::metadata(chemin).unwrap().permissions().mode() & 0o777, 0o600);
    }
    // Written once: a second run refuses to overwrite the letter, and says how to.
    let e = env.echec(&["rdv", "convocation", id, "--sortie", "courrier"], 1);
    assert!(e.contains("existe déjà"), "{e}");
    assert!(e.contains("aide : ajoutez --remplacer"), "{e}");
    env.ok(&["rdv", "convocation", id, "--sortie", "courrier", "--remplacer"]);
}

/// The scripted day: a caseworker's week with appointments, absences, a prescription
/// answered and a contract ending.
#[test]
fn a_working_day_scripted_with_the_date() {
    let env = Env::initialisee();
    let n = dossier(&env);
    let nn: i64 = n.parse().unwrap();
    // Monday 23/11: two appointments planned, the convocation written.
    let r1 = le(
        &env,
        "2026-11-23",
        &["rdv", "planifier", &n, "--le", "23/11/2026 14:00", "--agent", "accueil"],
    );
    let r2 = le(
        &env,
        "2026-11-23",
        &["rdv", "planifier", &n, "--le", "25/11/2026 10:00", "--avec", "m.durand"],
    );
    le(&env, "2026-11-23", &["rdv", "convocation", r2.trim()]);
    assert!(env.dir.path().join(format!("convocation-{}.html", r2.trim())).exists());
    let du_jour = taches(&env, "2026-11-23", "m.durand");
    assert!(
        du_jour
            .iter()
            .any(|(c, d, detail)| c == "rdv-du-jour" && *d == nn && detail.contains("14:00")),
        "{du_jour:?}"
    );
    // Tuesday: the first is past without outcome.
    let mardi = taches(&env, "2026-11-24", "m.durand");
    assert!(mardi.iter().any(|(c, _, _)| c == "rdv-sans-issue"), "{mardi:?}");
    le(&env, "2026-11-24", &["rdv", "absent", r1.trim(), "--agent", "accueil"]);
    // Wednesday: second absence in a row, flagged at once and in the to-do list.
    let sortie = env
        .spie(&["rdv", "absent", r2.trim()])
        .env("SPIE_DATE", "2026-11-25")
        .output()
        .unwrap();
    assert!(sortie.status.success());
    let stderr = String::from_utf8_lossy(&sortie.stderr);
    assert!(stderr.contains("deuxième absence de suite"), "{stderr}");
    let mercredi = taches(&env, "2026-11-25", "m.durand");
    assert!(
        mercredi.iter().any(|(c, d, _)| c == "deux-absences" && *d == nn),
        "{mercredi:?}"
    );
    assert!(!mercredi.iter().any(|(c, _, _)| c == "rdv-sans-issue"), "{mercredi:?}");
    // Thursday: an appointment held ends the flag.
    let r3 = le(
        &env,
        "2026-11-26",
        &[
            "rdv", "planifier", &n, "--le", "26/11/2026 09:30", "--agent", "m.durand",
        ],
    );
    le(&env, "2026-11-26", &["rdv", "honore", r3.trim()]);
    let jeudi = taches(&env, "2026-11-26", "m.durand");
    assert!(!jeudi.iter().any(|(c, _, _)| c == "deux-absences"), "{jeudi:?}");
    let rdvs = le_json(&env, "2026-11-26", &["rdv", "agenda", "--semaine", "--de", "m.durand"]);
    let statuts: Vec<&str> = rdvs
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["statut"].as_str().unwrap())
        .collect();
    assert_eq!(statuts, ["absent", "absent", "honore"]);
    // An outcome is recorded once.
    let e = env.echec(&["rdv", "excuse", r3.trim()], 1);
    assert!(e.contains("déjà une issue"), "{e}");
}

#[test]
fn appointments_follow_the_habilitation_rule() {
    let env = Env::initialisee();
    let n = dossier(&env);
    env.partenaire();
    let id = env.ok(&["rdv", "planifier", &n, "--le", "27/11/2026 10:00"]);
    for args in [
        vec!["rdv", "planifier", &n, "--le", "27/11/2026 11:00"],
        vec!["rdv", "honore", id.trim()],
        vec!["rdv", "convocation", id.trim()],
    ] {
        let mut args = args.clone();
        args.extend(["--agent", "l.roux"]);
        let e = env.echec(&args, 1);
        assert!(
            e.contains(&format!("vous ne suivez pas le dossier {n}")),
            "{args:?} : {e}"
        );
    }
    // The partner's view of m.durand's agenda leaves out what it may not see.
    assert_eq!(
        env.json(&[
            "rdv", "agenda", "--date", "2026-11-27", "--de", "m.durand", "--agent", "l.roux"
        ]),
        serde_json::json!([])
    );
    let refus: Vec<String> = env.refus().into_iter().map(|(_, c, _)| c).collect();
    assert_eq!(refus, ["rdv planifier", "rdv honore", "rdv convocation"]);
}

/// The agent who receives the person must be one who works on the dossier: a partner
/// outside its team would receive someone whose dossier they cannot open.
#[test]
fn an_appointment_is_with_an_agent_who_works_on_the_dossier() {
    let env = Env::initialisee();
    let n = dossier(&env);
    env.partenaire();
    let e = env.echec(
        &["rdv", "planifier", &n, "--le", "27/11/2026 10:00", "--avec", "l.roux"],
        1,
    );
    assert!(e.contains("Léa Roux (Mission locale) ne suit pas le dossier"), "{e}");
    assert!(e.contains("membre ajouter"), "{e}");
    assert_eq!(env.sql("SELECT count(*) FROM rdv"), 0);
    // Once in the team, with the person's consent to share, the partner receives her.
    env.ok(&["parcours", "consentement", &n, "--partage", "oui"]);
    env.ok(&["parcours", "membre", "ajouter", &n, "l.roux"]);
    env.ok(&["rdv", "planifier", &n, "--le", "27/11/2026 10:00", "--avec", "l.roux"]);
    assert_eq!(env.sql("SELECT count(*) FROM rdv"), 1);
}

/// The convocation of an appointment on an unusual day says so again before it is sent.
#[test]
fn a_convocation_for_an_unusual_day_repeats_the_warning() {
    let env = Env::initialisee();
    let n = dossier(&env);
    let id = planifier(&env, "2026-11-26", &n, "25/12/2026 09:00");
    let dossier = env.dir.path().join("courrier");
    std::fs::create_dir(&dossier).unwrap();
    let dit = env.messages(&["rdv", "convocation", &id, "--sortie", dossier.to_str().unwrap()]);
    assert!(
        dit.contains("le 25/12/2026 est un jour férié (Noël) : relisez la date avant d'envoyer la convocation"),
        "{dit}"
    );
}

/// The indicators of the day for October 2026: appointments dated in the month attended
/// and missed, days from entry to the first appointment attended, the file active with a
/// contract in force on the last day; kept after the dossier is erased.
#[test]
fn the_month_counts_appointments_no_shows_and_contracts() {
    let env = Env::initialisee();
    let ouvrir = |nom: &str| {
        env.ouvrir(
            nom,
            "Test",
            "1990-01-01",
            "Verdun",
            &["--referent", "m.durand", "--date", "2026-10-01"],
        )
        .to_string()
    };
    let (a, b) = (ouvrir("Alpha"), ouvrir("Bravo"));
    let planifier = |n: &str, jour: &str, moment: &str| planifier(&env, jour, n, moment);
    let r1 = planifier(&a, "2026-10-01", "05/10/2026 09:00");
    le(&env, "2026-10-05", &["rdv", "honore", &r1]);
    let r2 = planifier(&a, "2026-10-06", "12/10/2026 09:00");
    le(&env, "2026-10-12", &["rdv", "absent", &r2]);
    let r3 = planifier(&b, "2026-10-06", "21/10/2026 10:00");
    le(&env, "2026-10-21", &["rdv", "honore", &r3]);
    // Excused and November's appointments do not count for October.
    let r4 = planifier(&b, "2026-10-22", "23/10/2026 10:00");
    le(&env, "2026-10-22", &["rdv", "excuse", &r4]);
    let r5 = planifier(&b, "2026-10-22", "02/11/2026 10:00");
    le(&env, "2026-11-02", &["rdv", "absent", &r5]);
    env.ok(&[
        "parcours", "contrat", &a, "--type", "cer", "--debut", "2026-10-01", "--fin", "2027-03-31",
    ]);
    env.ok(&[
        "parcours", "contrat", &b, "--type", "cer", "--debut", "2026-09-01", "--fin", "2026-10-30",
    ]);
    let mois = |env: &Env| env.json(&["stats", "mensuel", "--mois", "2026-10"]);
    let i = mois(&env);
    assert_eq!(i["rdv_honores"], 2, "{i}");
    assert_eq!(i["rdv_absents"], 1);
    assert_eq!(i["taux_absence"], 1.0 / 3.0);
    assert_eq!(i["delai_median_premier_rdv"], 12.0, "4 and 20 days");
    assert_eq!(i["entrees_avec_rdv"], 2);
    assert_eq!(i["avec_contrat"], 1, "B's contract ended before D1");
    assert_eq!(i["taux_contrat"], 0.5);
    // The pack publishes them (small counts hidden).
    let csv = super::stats::indicateurs_du_pack(&env, "2026-10");
    let entete = csv.lines().next().unwrap();
    for colonne in [
        "rdv_honores", "rdv_absents", "avec_contrat", "taux_absence", "delai_median_premier_rdv", "taux_contrat",
    ] {
        assert!(entete.contains(colonne), "{colonne} : {entete}");
    }
    // Erasing a dossier leaves the month's figures as they were.
    env.ok(&["parcours", "clore", &a, "--motif", "autre", "--date", "2026-11-20"]);
    env.ok(&["parcours", "effacer", &a, "--confirmer"]);
    let apres = mois(&env);
    for cle in [
        "rdv_honores", "rdv_absents", "delai_median_premier_rdv", "avec_contrat", "taux_contrat",
    ] {
        assert_eq!(apres[cle], i[cle], "{cle}");
    }
}

#[test]
fn the_administrator_sets_the_structure_address_printed_on_the_convocation() {
    let env = Env::initialisee();
    let n = dossier(&env);
    let id = env.ok(&[
        "rdv", "planifier", &n, "--le", "02/12/2026 14:30", "--agent", "m.durand",
    ]);
    let id = id.trim();
    // Only an administrator, and the refusal is audited.
    let e = env.echec(
        &[
            "structure", "modifier", "CCAS de Verdun", "--adresse", "1 place de la Nation", "--agent", "m.durand",
        ],
        1,
    );
    assert!(e.contains("administrateur"), "{e}");
    let e = env.echec(&["structure", "modifier", "CCAS de Verdun"], 2);
    assert!(e.contains("--adresse"), "{e}");
    let e = env.echec(&["structure", "modifier", "Inconnue", "--adresse", "ici"], 1);
    assert!(e.contains("structure inconnue : « Inconnue »"), "{e}");
    let e = env.echec(&["structure", "modifier", "CCAS de Verdun", "--adresse", "a\u{7}b"], 1);
    assert!(e.contains("--adresse"), "{e}");

    adresse_de_la_structure(&env);
    assert!(env.dans_le_journal("admin", "structure modifier"));
    let liste = env.json(&["structure", "liste"]);
    assert_eq!(liste[0]["adresse"], "1 place de la Nation, 55100 Verdun", "{liste}");
    env.ok(&["rdv", "convocation", id, "--agent", "m.durand"]);
    let html = std::fs::read_to_string(env.dir.path().join(format!("convocation-{id}.html"))).unwrap();
    assert!(html.contains("1 place de la Nation, 55100 Verdun"), "{html}");
    // An empty address removes it.
    env.ok(&["structure", "modifier", "1", "--adresse", ""]);
    assert_eq!(env.json(&["structure", "liste"])[0]["adresse"], serde_json::Value::Null);
}

/// A mis-click (absent instead of honoré) is corrected with a reason: the current outcome
/// counts (no-show rate, two absences in a row), the previous one stays in the history of
/// the dossier and of the access export, audited.
#[test]
fn a_mistaken_outcome_is_corrected_and_the_previous_one_kept() {
    let env = Env::initialisee();
    let n = dossier(&env);
    let nn: i64 = n.parse().unwrap();
    let r1 = planifier(&env, "2026-11-02", &n, "03/11/2026 09:00");
    let r2 = planifier(&env, "2026-11-02", &n, "04/11/2026 09:00");
    le(&env, "2026-11-03", &["rdv", "absent", r1.trim()]);
    le(&env, "2026-11-04", &["rdv", "absent", r2.trim()]);
    assert!(
        taches(&env, "2026-11-05", "m.durand")
            .iter()
            .any(|(c, d, _)| c == "deux-absences" && *d == nn)
    );
    // Without --corriger the outcome is kept, and the error says how to correct it.
    let e = env.echec(&["rdv", "honore", r2.trim()], 1);
    assert!(e.contains("déjà une issue") && e.contains("--corriger"), "{e}");
    // --corriger needs a reason.
    let e = env.echec(&["rdv", "honore", r2.trim(), "--corriger"], 2);
    assert!(e.contains("--motif"), "{e}");
    let e = env.echec(&["rdv", "absent", r2.trim(), "--corriger", "--motif", "x"], 1);
    assert!(e.contains("déjà") && e.contains("absent"), "{e}");
    let sortie = le(
        &env,
        "2026-11-05",
        &["rdv", "honore", r2.trim(), "--corriger", "--motif", "erreur de saisie"],
    );
    assert!(sortie.is_empty() || sortie.trim() == r2.trim(), "{sortie}");
    assert_eq!(
        env.sql(&format!(
            "SELECT count(*) FROM rdv WHERE id = {} AND statut = 'honore'",
            r2.trim()
        )),
        1
    );
    // The current outcome counts: no second absence, one no-show out of two.
    assert!(
        !taches(&env, "2026-11-05", "m.durand")
            .iter()
            .any(|(c, _, _)| c == "deux-absences")
    );
    let mois = env.json(&["stats", "mensuel", "--mois", "2026-11"]);
    assert_eq!(mois["rdv_honores"], 1, "{mois}");
    assert_eq!(mois["rdv_absents"], 1, "{mois}");
    // The previous outcome is in the dossier's history and the access export.
    let vue = env.json(&["parcours", "voir", &n]);
    let c = vue["corrections"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["element"] == format!("rendez-vous {}", r2.trim()))
        .unwrap_or_else(|| panic!("{vue}"));
    assert_eq!(c["ancien"], "absent", "{c}");
    assert_eq!(c["motif"], "erreur de saisie", "{c}");
    let table = env.ok(&["parcours", "voir", &n, "--format", "table"]);
    assert!(table.contains(&format!("rendez-vous {}", r2.trim())), "{table}");
    assert!(table.contains("(issue corrigée : voir les corrections)"), "{table}");
    let export = env.json(&["parcours", "exporter", &n]);
    let corrections = export["tables"]["rdv_correction"].as_array().unwrap();
    assert_eq!(corrections.len(), 1, "{export}");
    assert_eq!(corrections[0]["ancien"], "absent");
    assert_eq!(corrections[0]["motif"], "erreur de saisie");
    assert!(env.dans_le_journal("admin", "rdv honore — issue corrigée"));
    // Erased with the dossier.
    env.ok(&["parcours", "clore", &n, "--motif", "autre", "--date", "2026-11-20"]);
    env.ok(&["parcours", "effacer", &n, "--confirmer"]);
    assert_eq!(env.sql("SELECT count(*) FROM rdv_correction"), 0);
}

/// An iCalendar file read as a calendar would: every line ends with CRLF and is at most
/// 75 octets; folded lines are unfolded; the properties of the event by name.
fn lire_ics(texte: &str) -> Vec<(String, String)> {
    assert!(texte.ends_with("\r\n"), "{texte:?}");
    for ligne in texte.split("\r\n") {
        assert!(ligne.len() <= 75, "ligne de plus de 75 octets : {ligne}");
        assert!(!ligne.contains('\n') && !ligne.contains('\r'), "{ligne:?}");
    }
    texte
        .replace("\r\n ", "")
        .split("\r\n")
        .filter(|l| !l.is_empty())
        .map(|l| {
            let (nom, valeur) = l.split_once(':').unwrap_or_else(|| panic!("{l}"));
            (nom.to_owned(), valeur.to_owned())
        })
        .collect()
}

fn propriete<'a>(ics: &'a [(String, String)], nom: &str) -> &'a str {
    ics.iter()
        .find(|(n, _)| n == nom)
        .map(|(_, v)| v.as_str())
        .unwrap_or_else(|| panic!("{nom} absent : {ics:?}"))
}

/// Cancelling an appointment whose convocation was written writes the calendar file that
/// cancels it: same UID, METHOD:CANCEL, STATUS:CANCELLED, a higher SEQUENCE.
#[test]
fn a_cancelled_appointment_with_a_convocation_gets_a_cancellation_file() {
    let env = Env::initialisee();
    let n = dossier(&env);
    let lieu = "Salle des fêtes, 2e étage; entrée côté parc — apporter la convocation imprimée";
    let id = env.ok(&["rdv", "planifier", &n, "--le", "02/12/2026 14:30", "--lieu", lieu]);
    let id = id.trim();
    // Without a convocation, nothing to cancel in anyone's calendar.
    let sans = env.ok(&["rdv", "planifier", &n, "--le", "03/12/2026 14:30"]);
    env.ok(&["rdv", "annule", sans.trim()]);
    assert!(!env.dir.path().join(format!("annulation-{}.ics", sans.trim())).exists());
    let restes: Vec<_> = std::fs::read_dir(env.dir.path())
        .unwrap()
        .map(|f| f.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".spie-"))
        .collect();
    assert!(restes.is_empty(), "{restes:?}");

    std::fs::create_dir(env.dir.path().join("courrier")).unwrap();
    env.ok(&["rdv", "convocation", id, "--sortie", "courrier"]);
    let convocation = std::fs::read_to_string(env.dir.path().join(format!("courrier/convocation-{id}.ics"))).unwrap();
    let convocation = lire_ics(&convocation);
    // A file in the way: refused before anything is recorded, so that it can be run again.
    let chemin = env.dir.path().join(format!("courrier/annulation-{id}.ics"));
    std::fs::write(&chemin, "à garder").unwrap();
    let e = env.echec(&["rdv", "annule", id, "--sortie", "courrier"], 1);
    assert!(e.contains("existe déjà") && e.contains("--remplacer"), "{e}");
    assert_eq!(
        env.sql(&format!(
            "SELECT count(*) FROM rdv WHERE id = {id} AND statut = 'prevu'"
        )),
        1
    );
    std::fs::remove_file(&chemin).unwrap();
    let sortie = env
        .spie(&["rdv", "annule", id, "--motif", "agent absent", "--sortie", "courrier"])
        .output()
        .unwrap();
    assert!(sortie.status.success());
    let dit = String::from_utf8_lossy(&sortie.stderr);
    assert!(dit.contains(&format!("annulation-{id}.ics")), "{dit}");
    let chemin = env.dir.path().join(format!("courrier/annulation-{id}.ics"));
    let annulation = lire_ics(&std::fs::read_to_string(&chemin).unwrap());
    assert_eq!(propriete(&annulation, "METHOD"), "CANCEL");
    assert_eq!(propriete(&annulation, "STATUS"), "CANCELLED");
    assert_eq!(propriete(&annulation, "UID"), propriete(&convocation, "UID"));
    let sequence = |ics: &[(String, String)]| propriete(ics, "SEQUENCE").parse::<u32>().unwrap();
    assert!(sequence(&annulation) > sequence(&convocation));
    assert_eq!(propriete(&annulation, "DTSTART"), "20261202T143000");
    // Escaped as RFC 5545 says, and whole once unfolded.
    assert_eq!(
        propriete(&annulation, "LOCATION"),
        "Salle des fêtes\\, 2e étage\\; entrée côté parc — apporter la convocation imprimée"
    );
    assert_eq!(annulation.first().unwrap().1, "VCALENDAR");
    assert_eq!(annulation.iter().filter(|(n, _)| n == "BEGIN").count(), 2);
    assert!(!std::fs::read_to_string(&chemin).unwrap().contains("Martin"));
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(std::fs::metadata(&chemin).unwrap().permissions().mode() & 0o777, 0o600);
}

/// The agenda says what each appointment is, in words, and where: the place given, the
/// structure's address by default, « à préciser » when neither is known.
#[test]
fn the_agenda_shows_the_kind_in_words_and_the_place() {
    let env = Env::initialisee();
    let n = dossier(&env);
    env.ok(&[
        "rdv", "planifier", &n, "--le", "26/11/2026 09:00", "--type", "diagnostic",
    ]);
    let table = |env: &Env| {
        let out = env
            .spie(&["rdv", "agenda", "--format", "table"])
            .env("COLUMNS", "250")
            .output()
            .unwrap();
        assert!(out.status.success());
        String::from_utf8(out.stdout).unwrap()
    };
    let t = table(&env);
    assert!(t.contains("Diagnostic") && !t.contains(" diagnostic "), "{t}");
    assert!(t.contains("à préciser"), "{t}");
    adresse_de_la_structure(&env);
    env.ok(&[
        "rdv", "planifier", &n, "--le", "26/11/2026 11:00", "--type", "suivi", "--lieu", "Bureau 2",
    ]);
    let t = table(&env);
    assert!(
        t.contains("1 place de la Nation, 55100 Verdun") && !t.contains("à préciser"),
        "{t}"
    );
    assert!(t.contains("Bureau 2") && t.contains("Entretien de suivi"), "{t}");
    // The JSON keeps the codes, and the place where the appointment is held.
    let j = env.json(&["rdv", "agenda"]);
    assert_eq!(j[0]["type"], "diagnostic");
    assert_eq!(j[0]["lieu"], "1 place de la Nation, 55100 Verdun");
}

/// A convocation sent by post: the person's postal address in the window of the envelope
/// (top right of an A4 page), « Madame » or « Monsieur » by the recorded sex, the
/// structure's telephone; the address on the sheet, in the access export, erased with
/// the dossier.
#[test]
fn the_convocation_is_posted_in_a_window_envelope() {
    let env = Env::initialisee();
    let n = dossier_avec(&env, &["--sexe", "f", "--adresse", "12 rue des Lilas ;  Bâtiment B"]);
    let sans_sexe = env
        .ouvrir("Petit", "Camille", "1991-01-01", "Verdun", &["--date", "2026-11-02"])
        .to_string();
    // The telephone: that structure's administrators only, checked like a person's.
    let e = env.echec(
        &[
            "structure", "modifier", "CCAS de Verdun", "--telephone", "0329000000", "--agent", "m.durand",
        ],
        1,
    );
    assert!(e.contains("administrateur"), "{e}");
    let e = env.echec(&["structure", "modifier", "CCAS de Verdun", "--telephone", "12"], 1);
    assert!(e.contains("téléphone illisible"), "{e}");
    env.ok(&[
        "structure", "modifier", "CCAS de Verdun", "--telephone", "03.29.00.00.00",
    ]);
    adresse_de_la_structure(&env);
    assert_eq!(env.json(&["structure", "liste"])[0]["telephone"], "03 29 00 00 00");
    assert_eq!(
        env.json(&["structure", "liste"])[0]["adresse"],
        ADRESSE,
        "setting the address keeps the telephone, and the other way round"
    );

    let convocation = |n: &str| {
        let id = env.ok(&["rdv", "planifier", n, "--le", "02/12/2026 14:30", "--agent", "m.durand"]);
        env.ok(&["rdv", "convocation", id.trim()]);
        std::fs::read_to_string(env.dir.path().join(format!("convocation-{}.html", id.trim()))).unwrap()
    };
    let html = convocation(&n);
    for attendu in [
        "<p>Madame,</p>",
        "Veuillez agréer, Madame,",
        // The postal code and commune end the window's block, as La Poste reads it.
        "12 rue des Lilas<br>Bâtiment B<br>55100 VERDUN</div>",
        "03 29 00 00 00",
        "size: A4",
    ] {
        assert!(html.contains(attendu), "{attendu} :\n{html}");
    }
    assert!(!html.contains("Madame, Monsieur"), "{html}");
    // The address block sits where the window of a DL envelope is: top right, fixed.
    let fenetre = html.split(".destinataire {").nth(1).unwrap().split('}').next().unwrap();
    for regle in ["position: absolute", "left: 11cm", "top: 4.5cm"] {
        assert!(fenetre.contains(regle), "{regle} : {fenetre}");
    }
    let html = convocation(&sans_sexe);
    assert!(html.contains("<p>Madame, Monsieur,</p>"), "{html}");

    // The address on the sheet, in the access export; changed and erased.
    let fiche = env.ok(&["parcours", "voir", &n, "--format", "table"]);
    assert!(fiche.contains("12 rue des Lilas ; Bâtiment B"), "{fiche}");
    let export = env.json(&["parcours", "exporter", &n]);
    assert_eq!(
        export["tables"]["personne"][0]["adresse"],
        "12 rue des Lilas ; Bâtiment B"
    );
    let e = env.echec(&["parcours", "modifier", &n, "--adresse", "a\u{7}b"], 1);
    assert!(e.contains("--adresse"), "{e}");
    env.ok(&["parcours", "modifier", &n, "--adresse", "3 rue Haute"]);
    assert_eq!(env.json(&["parcours", "voir", &n])["adresse"], "3 rue Haute");
    env.ok(&["parcours", "clore", &n, "--motif", "autre", "--date", "2026-11-20"]);
    env.ok(&["parcours", "effacer", &n, "--confirmer"]);
    assert_eq!(env.sql("SELECT count(*) FROM personne WHERE adresse IS NOT NULL"), 0);
}

/// An appointment with a partner of the team: the letter names them with their structure,
/// so that the person knows whom they will meet.
#[test]
fn a_convocation_with_a_partner_names_their_structure() {
    let env = Env::initialisee();
    let n = dossier(&env);
    let partenaire = env.partenaire();
    env.ok(&["parcours", "consentement", &n, "--partage", "oui"]);
    env.ok(&["parcours", "membre", "ajouter", &n, partenaire]);
    let id = env.ok(&[
        "rdv", "planifier", &n, "--le", "02/12/2026 14:30", "--agent", partenaire,
    ]);
    std::fs::create_dir(env.dir.path().join("courrier")).unwrap();
    env.ok(&["rdv", "convocation", id.trim(), "--sortie", "courrier"]);
    let html =
        std::fs::read_to_string(env.dir.path().join(format!("courrier/convocation-{}.html", id.trim()))).unwrap();
    assert!(html.contains("Avec : Léa Roux (Mission locale)"), "{html}");
}

/// A letter without the person's postal address cannot be posted, and one without the
/// structure's phone does not say where to call, one without a place where to come: all are
/// said when it is written.
#[test]
fn a_convocation_that_cannot_be_posted_says_so() {
    let env = Env::initialisee();
    let n = dossier(&env);
    let id = env.ok(&["rdv", "planifier", &n, "--le", "02/12/2026 14:30"]);
    let sortie = env.spie(&["rdv", "convocation", id.trim()]).output().unwrap();
    assert!(sortie.status.success());
    let stderr = String::from_utf8_lossy(&sortie.stderr);
    assert!(
        stderr.contains("adresse postale de la personne n'est pas enregistrée")
            && stderr.contains(&format!("spie parcours modifier {n} --adresse"))
            && stderr.contains("pas de téléphone enregistré")
            && stderr.contains("ni lieu ni adresse de la structure CCAS de Verdun"),
        "{stderr}"
    );
    // With a place, the letter says where to come: no such warning.
    let id = env.ok(&["rdv", "planifier", &n, "--le", "03/12/2026 14:30", "--lieu", "Bureau 2"]);
    let (_, dit) = env.ok_dit(&["rdv", "convocation", id.trim()]);
    assert!(!dit.contains("ni lieu ni adresse"), "{dit}");
}

/// Runs `rdv planifier` (which must succeed); returns what it said on stderr.
fn planifier_dit(env: &Env, n: &str, moment: &str) -> String {
    env.ok_dit(&["rdv", "planifier", n, "--le", moment]).1
}

/// A night hour, a Sunday, a public holiday, a day more than a year ahead: recorded, with a
/// warning that says why; an ordinary weekday morning says nothing.
#[test]
fn unusual_moments_are_planned_with_a_warning_saying_why() {
    let env = Env::initialisee();
    let n = dossier(&env);
    let e = planifier_dit(&env, &n, "30/11/2026 09:00");
    assert!(!e.contains("attention"), "{e}");
    let e = planifier_dit(&env, &n, "30/11/2026 06:30");
    assert!(
        e.contains("attention") && e.contains("06:30") && e.contains("avant 7 h"),
        "{e}"
    );
    let e = planifier_dit(&env, &n, "30/11/2026 20:30");
    assert!(e.contains("après 20 h"), "{e}");
    let e = planifier_dit(&env, &n, "29/11/2026 10:00");
    assert!(e.contains("le 29/11/2026 est un dimanche"), "{e}");
    let e = planifier_dit(&env, &n, "25/12/2026 10:00");
    assert!(e.contains("jour férié") && e.contains("Noël"), "{e}");
    // Easter 2027 is on 28 March: Easter Monday the 29th, Ascension 6 May.
    let e = planifier_dit(&env, &n, "29/03/2027 10:00");
    assert!(e.contains("lundi de Pâques"), "{e}");
    let e = planifier_dit(&env, &n, "06/05/2027 10:00");
    assert!(e.contains("Ascension"), "{e}");
    let e = planifier_dit(&env, &n, "30/11/2027 10:00");
    assert!(e.contains("plus d'un an"), "{e}");
    assert_eq!(env.sql("SELECT count(*) FROM rdv"), 8, "all recorded");
}

/// A convoked appointment cancelled gets, beside its calendar file, a letter to post: the
/// convocation's layout and window block, saying the appointment is cancelled.
#[test]
fn a_cancelled_convocation_gets_a_printable_letter_too() {
    let env = Env::initialisee();
    let n = dossier_avec(&env, &["--sexe", "f", "--adresse", "12 rue des Lilas"]);
    adresse_de_la_structure(&env);
    let id = planifier(&env, AUJOURDHUI, &n, "02/12/2026 14:30");
    env.ok(&["rdv", "convocation", &id]);
    let (_, dit) = env.ok_dit(&["rdv", "annule", &id, "--motif", "agent absent"]);
    assert!(dit.contains(&format!("annulation-{id}.html")), "{dit}");
    let lettre = std::fs::read_to_string(env.chemin(&format!("annulation-{id}.html"))).unwrap();
    for attendu in [
        "Annulation d'un rendez-vous",
        "est annulé",
        "mercredi 02/12/2026 à 14:30",
        "<p>Madame,</p>",
        "12 rue des Lilas<br>55100 VERDUN</div>",
        "left: 11cm",
        "size: A4",
    ] {
        assert!(lettre.contains(attendu), "{attendu} :\n{lettre}");
    }
    assert!(!lettre.contains("agent absent"), "the internal reason stays inside");
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(env.chemin(&format!("annulation-{id}.html")))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600);
}

/// Closing a parcours cancels its appointments still planned from the day of closure,
/// with the reason « parcours clos », says how many, and writes the cancellation files of
/// those that had a convocation.
#[test]
fn closing_a_parcours_cancels_its_planned_appointments() {
    let env = Env::initialisee();
    let n = dossier(&env);
    let convoque = planifier(&env, AUJOURDHUI, &n, "02/12/2026 14:30");
    env.ok(&["rdv", "convocation", &convoque]);
    let autre = planifier(&env, AUJOURDHUI, &n, "09/12/2026 10:00");
    let honore = planifier(&env, AUJOURDHUI, &n, "26/11/2026 09:00");
    env.ok(&["rdv", "honore", &honore]);
    std::fs::create_dir(env.chemin("courrier")).unwrap();
    let (_, dit) = env.ok_dit(&[
        "parcours", "clore", &n, "--motif", "emploi-durable", "--sortie", "courrier",
    ]);
    assert!(dit.contains("2 rendez-vous prévus annulés"), "{dit}");
    assert!(dit.contains(&format!("annulation-{convoque}.ics")), "{dit}");
    assert_eq!(
        env.sql("SELECT count(*) FROM rdv WHERE statut = 'annule' AND motif = 'parcours clos'"),
        2
    );
    assert_eq!(
        env.sql(&format!(
            "SELECT count(*) FROM rdv WHERE id = {honore} AND statut = 'honore'"
        )),
        1
    );
    assert!(std::path::Path::new(&env.chemin(&format!("courrier/annulation-{convoque}.ics"))).exists());
    assert!(std::path::Path::new(&env.chemin(&format!("courrier/annulation-{convoque}.html"))).exists());
    assert!(!std::path::Path::new(&env.chemin(&format!("courrier/annulation-{autre}.ics"))).exists());
    // Nothing left planned for the agent.
    let agenda = env.json(&["rdv", "agenda", "--semaine", "--date", "2026-12-07", "--agent", "admin"]);
    assert!(
        agenda.as_array().unwrap().iter().all(|r| r["statut"] != "prevu"),
        "{agenda}"
    );
}

/// A place that is not an address (a room) is printed as the room of the structure, under
/// its address; a place that is an address is printed as it is.
#[test]
fn a_room_is_printed_under_the_structure_address() {
    let env = Env::initialisee();
    let n = dossier(&env);
    adresse_de_la_structure(&env);
    let lettre = |lieu: &str| {
        let id = env.ok(&["rdv", "planifier", &n, "--le", "02/12/2026 14:30", "--lieu", lieu]);
        let id = id.trim();
        env.ok(&["rdv", "convocation", id]);
        let html = std::fs::read_to_string(env.chemin(&format!("convocation-{id}.html"))).unwrap();
        let ics = std::fs::read_to_string(env.chemin(&format!("convocation-{id}.ics"))).unwrap();
        (html, propriete(&lire_ics(&ics), "LOCATION").to_owned())
    };
    let (html, location) = lettre("Bureau 2");
    assert!(
        html.contains("<p>Lieu : Bureau 2, 1 place de la Nation, 55100 Verdun</p>"),
        "{html}"
    );
    assert_eq!(location, "Bureau 2\\, 1 place de la Nation\\, 55100 Verdun");
    let (html, _) = lettre("Maison France Services, 4 rue du Pont, 55100 Verdun");
    assert!(
        html.contains("<p>Lieu : Maison France Services, 4 rue du Pont, 55100 Verdun</p>"),
        "{html}"
    );
    let (html, _) = lettre("Mairie de Verdun");
    assert!(html.contains("<p>Lieu : Mairie de Verdun</p>"), "{html}");
}

/// The week on an 80-column screen: each appointment with its day of the week, on one
/// line; CSV keeps the machine's moment.
#[test]
fn the_week_shows_the_days_and_fits_80_columns() {
    let env = Env::initialisee();
    let n = dossier(&env);
    env.ok(&[
        "rdv", "planifier", &n, "--le", "30/11/2026 14:30", "--lieu", "Bureau 2", "--agent", "m.durand",
    ]);
    env.ok(&[
        "rdv", "planifier", &n, "--le", "02/12/2026 10:00", "--agent", "m.durand",
    ]);
    let out = env
        .spie(&[
            "rdv", "agenda", "--semaine", "--date", "01/12/2026", "--format", "table", "--agent", "m.durand",
        ])
        .env("COLUMNS", "80")
        .output()
        .unwrap();
    let t = String::from_utf8(out.stdout).unwrap();
    assert!(t.lines().all(|l| l.chars().count() <= 80), "{t}");
    for attendu in ["lun. 30/11/2026 14:30", "mer. 02/12/2026 10:00"] {
        assert!(t.lines().any(|l| l.contains(attendu)), "{attendu}:\n{t}");
    }
    let csv = env.ok(&[
        "rdv", "agenda", "--semaine", "--date", "01/12/2026", "--agent", "m.durand",
    ]);
    assert!(csv.contains(";2026-11-30 14:30;"), "{csv}");
}
