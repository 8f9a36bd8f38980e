//! Output conventions: stdout is data, CSV when piped, formulas neutralised, quiet mode,
//! broken pipes.

use std::io::Read;
use std::process::{Command, Stdio};

use super::commun::Env;
use super::rdv::le;

#[test]
fn csv_is_the_default_when_piped_and_neutralises_formulas() {
    let env = Env::initialisee();
    env.ouvrir("=HYPERLINK(\"x\")", "+Marie", "1985-03-12", "Verdun", &[]);
    let csv = env.ok(&["parcours", "liste"]);
    let mut lignes = csv.lines();
    assert_eq!(
        lignes.next(),
        Some("dossier;nom;prenom;naissance;commune;commune_nom;entree;sortie;motif_sortie;referent;referent_nom")
    );
    let ligne = lignes.next().unwrap();
    assert!(
        ligne.starts_with("1;\"'=HYPERLINK(\"\"x\"\")\";'+Marie;1985-03-12;55545;Verdun;2026-11-26;;;"),
        "{ligne}"
    );
}

#[test]
fn quiet_mode_keeps_data_and_drops_messages() {
    let env = Env::initialisee();
    let out = env
        .spie(&[
            "-q", "parcours", "ouvrir", "--nom", "A", "--prenom", "B", "--naissance", "1990-01-01", "--commune",
            "Verdun",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(out.stdout, b"1\n");
    assert!(out.stderr.is_empty(), "{}", String::from_utf8_lossy(&out.stderr));
}

#[test]
fn a_closed_pipe_is_not_an_error() {
    let env = Env::initialisee();
    env.ok(&["demo", "--personnes", "3000", "--base", "demo.sqlite"]);
    let mut enfant = Command::new(assert_cmd::cargo::cargo_bin("spie"))
        .env_clear()
        .env("SPIE_DATE", super::commun::AUJOURDHUI)
        .env("SPIE_AGENT", "demo")
        .env("SPIE_BASE", env.dir.path().join("demo.sqlite"))
        .args(["parcours", "liste", "--statut", "tous"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut premier = [0u8; 10];
    enfant.stdout.as_mut().unwrap().read_exact(&mut premier).unwrap();
    drop(enfant.stdout.take());
    let sortie = enfant.wait_with_output().unwrap();
    assert_eq!(
        sortie.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&sortie.stderr)
    );
    assert!(sortie.stderr.is_empty(), "{}", String::from_utf8_lossy(&sortie.stderr));
}

/// Where stderr or stdout goes nowhere (closed, a full device, a pipe whose reader has
/// left), a note is still written exactly once and the exit code says it was: a script
/// that retries on failure must not write it twice.
#[test]
fn a_message_that_cannot_be_printed_does_not_fail_a_write() {
    let env = Env::initialisee();
    let n = env.ouvrir("Dupont", "Marie", "1985-03-12", "Verdun", &[]).to_string();
    let plein = || Stdio::from(std::fs::File::create("/dev/full").unwrap());
    let tuyau_sans_lecteur = || {
        let (lecteur, ecrivain) = std::io::pipe().unwrap();
        drop(lecteur);
        Stdio::from(ecrivain)
    };
    let cas: [(&str, Stdio, Stdio); 4] = [
        ("stderr plein", Stdio::null(), plein()),
        ("stderr sans lecteur", Stdio::null(), tuyau_sans_lecteur()),
        ("stdout sans lecteur", tuyau_sans_lecteur(), Stdio::null()),
        ("les deux sans lecteur", tuyau_sans_lecteur(), tuyau_sans_lecteur()),
    ];
    let mut notes = env.sql("SELECT count(*) FROM journal");
    let spie = assert_cmd::cargo::cargo_bin("spie");
    for (quoi, stdout, stderr) in cas {
        let statut = env
            .processus(&spie, &["parcours", "note", &n, "Point sur la recherche."])
            .stdout(stdout)
            .stderr(stderr)
            .status()
            .unwrap();
        notes += 1;
        assert_eq!(statut.code(), Some(0), "{quoi}");
        assert_eq!(env.sql("SELECT count(*) FROM journal"), notes, "{quoi}");
    }
    // Closed by the shell (`2>&-`, `>&-`).
    for redirection in ["2>&-", ">&- 2>/dev/null", ">&- 2>&-"] {
        let script = format!("\"$0\" parcours note {n} 'Point.' {redirection}");
        let statut = env
            .processus("sh", &["-c", &script, spie.to_str().unwrap()])
            .status()
            .unwrap();
        notes += 1;
        assert_eq!(statut.code(), Some(0), "{redirection}");
        assert_eq!(env.sql("SELECT count(*) FROM journal"), notes, "{redirection}");
    }
}

/// The sheet and the agenda are read by people, on screen and in a spreadsheet: statuses,
/// constraints and orientations in words (accents, spaces), and in CSV every date written
/// one way, `AAAA-MM-JJ`, even beside a remark (age, overdue, outcome).
#[test]
fn the_sheet_and_the_agenda_speak_in_words_and_write_dates_one_way() {
    let env = Env::initialisee();
    let n = env.lucie_martin(&["--referent", "m.durand"]);
    env.ok(&[
        "diagnostic", "nouveau", &n, "--contrainte", "mobilite=fort", "--contrainte", "sante=moyen",
    ]);
    env.ok(&["parcours", "orienter", &n, "sociopro", "--agent", "m.durand"]);
    env.ok(&["parcours", "objectif", "ajouter", &n, "--thematique", "mobilite"]);
    env.ok(&[
        "parcours", "action", "ajouter", &n, "--libelle", "Code de la route", "--echeance", "2026-11-27",
    ]);
    env.ok(&[
        "rdv", "planifier", &n, "--le", "01/12/2026 10:00", "--agent", "m.durand",
    ]);
    // Monday 30 November: the action is overdue, the appointment is this week.
    let fiche = le(&env, "2026-11-30", &["parcours", "voir", &n, "--format", "csv"]);
    let agenda = le(
        &env,
        "2026-11-30",
        &["rdv", "agenda", "--semaine", "--agent", "m.durand", "--format", "csv"],
    );
    for sortie in [&fiche, &agenda] {
        for code in [
            "en-cours", "mobilite", "sante", "non-aborde", "sociopro", "prevu", "proposee",
        ] {
            let mots: Vec<&str> = sortie.split(|c: char| !(c.is_alphanumeric() || c == '-')).collect();
            assert!(!mots.contains(&code), "code « {code} » montré tel quel :\n{sortie}");
        }
        for cellule in sortie.lines().flat_map(|l| l.split(';')) {
            let debut: Vec<char> = cellule.trim_matches('"').chars().take(10).collect();
            let francaise = debut.len() == 10
                && debut.iter().enumerate().all(|(i, c)| {
                    if i == 2 || i == 5 {
                        *c == '/'
                    } else {
                        c.is_ascii_digit()
                    }
                });
            assert!(!francaise, "date à la française dans un CSV : « {cellule} »\n{sortie}");
        }
    }
    for attendu in [
        "mobilité (fort)", "santé (moyen)", "socio-professionnelle", "2026-11-27 EN RETARD", "1990-04-02 (36 ans)",
        "par Marc Durand",
    ] {
        assert!(fiche.contains(attendu), "« {attendu} » absent :\n{fiche}");
    }
    assert!(
        agenda.contains("2026-12-01 10:00") && agenda.contains("prévu"),
        "{agenda}"
    );
}

/// The monthly figures, a comparison of diagnostics and the offers proposed are read by
/// people too: keys in words, French decimals.
#[test]
fn figures_and_comparisons_speak_in_words() {
    let env = Env::initialisee();
    let n = env.lucie_martin(&["--date", "2026-09-01", "--referent", "m.durand"]);
    env.ok(&[
        "diagnostic", "nouveau", &n, "--date", "2026-09-20", "--contrainte", "sante=fort", "--projet", "a-preciser",
    ]);
    env.ok(&[
        "diagnostic", "nouveau", &n, "--date", "2026-10-20", "--contrainte", "sante=moyen", "--projet", "defini",
    ]);
    let stats = env.ok(&["stats", "mensuel", "--mois", "2026-10", "--format", "csv"]);
    assert!(stats.contains("Santé") && !stats.contains("sante;"), "{stats}");
    let comparaison = env.ok(&["diagnostic", "comparer", &n, "--format", "csv"]);
    assert!(
        comparaison.contains("à préciser") && !comparaison.contains("a-preciser"),
        "{comparaison}"
    );
    let diagnostic = env.ok(&["diagnostic", "voir", &n, "--format", "csv"]);
    assert!(
        diagnostic.contains("numérique") && !diagnostic.contains("numerique"),
        "{diagnostic}"
    );
}
