//! Output conventions: stdout is data, CSV when piped, formulas neutralised, quiet mode,
//! broken pipes.

use std::io::Read;
use std::process::{Command, Stdio};

use super::commun::Env;

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
