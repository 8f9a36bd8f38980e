//! The README's working day runs as written on a fresh test base: its block is extracted
//! and run by a shell, `spie` being the binary under test.

use super::commun::{AUJOURDHUI, Env, binaire};

const MARQUE: &str = "<!-- essai : les tests exécutent ce bloc tel quel -->";

/// The shell block that follows the mark in README.md.
fn bloc_d_essai() -> String {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let apres = &readme[readme.find(MARQUE).expect("marque du bloc d'essai absente du README") + MARQUE.len()..];
    let debut = apres.find("```sh\n").unwrap() + "```sh\n".len();
    let fin = apres[debut..].find("```").unwrap();
    apres[debut..debut + fin].to_owned()
}

#[test]
fn the_readme_working_day_runs_as_written() {
    let bloc = bloc_d_essai();
    assert!(
        bloc.contains("spie parcours referent 1 s.petit") && bloc.contains("spie parcours membre ajouter 1 l.roux")
    );
    let env = Env::vide();
    let dossier = env.dir.path();
    std::os::unix::fs::symlink(
        concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures"),
        dossier.join("fixtures"),
    )
    .unwrap();
    std::fs::write(dossier.join("journee.sh"), &bloc).unwrap();
    // `spie` is the binary under test, whatever its file is called.
    std::fs::create_dir(dossier.join("bin")).unwrap();
    std::os::unix::fs::symlink(binaire(), dossier.join("bin/spie")).unwrap();
    let chemin = format!(
        "{}:{}",
        dossier.join("bin").display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let sortie = std::process::Command::new("sh")
        .args(["-e", "-x", "journee.sh"])
        .env_clear()
        .env("PATH", chemin)
        .env("SPIE_DATE", AUJOURDHUI)
        .current_dir(dossier)
        .output()
        .unwrap();
    let erreurs = String::from_utf8_lossy(&sortie.stderr);
    assert!(sortie.status.success(), "le bloc du README échoue :\n{erreurs}");
    // Every command ran, the last one included, and wrote what the README says.
    let derniere = bloc.lines().rev().find(|l| l.starts_with("spie ")).unwrap();
    assert!(
        erreurs.contains(&format!("+ {}", derniere.split("  #").next().unwrap().trim())),
        "{erreurs}"
    );
    assert!(dossier.join("dossier-1.json").exists());
    let note = rusqlite::Connection::open(dossier.join("essai.sqlite"))
        .unwrap()
        .query_row("SELECT texte FROM journal WHERE id = 1", [], |r| r.get::<_, String>(0))
        .unwrap();
    assert!(note.contains("examen en mars"), "{note}");
}
