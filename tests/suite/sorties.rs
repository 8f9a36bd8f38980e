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
        Some("dossier;nom;prenom;naissance;commune;commune_nom;entree;sortie;motif_sortie;referent")
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
