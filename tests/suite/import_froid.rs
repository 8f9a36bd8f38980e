//! Partner files as an administrator meets them the first time: old thematiques, values
//! outside the lists, shifted rows, title lines, French dates, strict mode, odd paths.

use super::commun::{self, Env};

/// Writes `contenu` as `nom` in the test folder; gives its path.
fn fichier(env: &Env, nom: &str, contenu: &str) -> String {
    let chemin = env.dir.path().join(nom);
    std::fs::write(&chemin, contenu).unwrap();
    chemin.display().to_string()
}

fn importer(env: &Env, chemin: &str, autres: &[&str]) -> (i32, serde_json::Value, String) {
    commun::importer(env, chemin, "ccas", autres)
}

const ENTETE: &str = "Identifiant;Nom du service;Thème(s);Ville;Mise à jour;Description;Public(s) visé(s);Structure";

/// A partner line: identifiant, name, thematiques, publics.
fn ligne(id: &str, nom: &str, themes: &str, publics: &str) -> String {
    format!("{id};{nom};{themes};Verdun;2026-11-02;Une description assez longue pour publier.;{publics};CCAS de Verdun")
}

fn csv(lignes: &[String]) -> String {
    let mut texte = format!("{ENTETE}\n");
    for l in lignes {
        texte += l;
        texte += "\n";
    }
    texte
}

fn thematiques(env: &Env, id: &str) -> String {
    let conn = rusqlite::Connection::open(env.base()).unwrap();
    conn.query_row("SELECT thematiques FROM offre WHERE identifiant = ?1", [id], |r| {
        r.get(0)
    })
    .unwrap()
}

#[test]
fn a_renamed_v0_need_becomes_its_v1_need_and_every_translation_is_said() {
    let env = Env::initialisee();
    let chemin = fichier(
        &env,
        "v0.csv",
        &csv(&[
            ligne(
                "A",
                "Aide administrative",
                "acces-aux-droits-et-citoyennete--accompagnement-dans-les-demarches-administratives",
                "",
            ),
            ligne("B", "Microcrédit", "gestion-financiere--acces-au-micro-credit", ""),
            ligne(
                "C",
                "Décrochage",
                "accompagnement-social-et-professionnel-personnalise--decrochage-scolaire, mobilite",
                "",
            ),
            ligne(
                "D",
                "Aide administrative bis",
                "Accompagnement dans les démarches administratives",
                "",
            ),
        ]),
    );
    let (code, bilan, stderr) = importer(&env, &chemin, &["--appliquer"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(bilan["valides"], 4, "{bilan}\n{stderr}");
    let v1 = "difficultes-administratives-ou-juridiques--accompagnement-aux-demarches-administratives";
    assert!(thematiques(&env, "A").contains(v1), "{}", thematiques(&env, "A"));
    assert!(thematiques(&env, "D").contains(v1), "{}", thematiques(&env, "D"));
    for attendu in [
        "(v0) « acces-aux-droits-et-citoyennete--accompagnement-dans-les-demarches-administratives », devenue « difficultes-administratives-ou-juridiques--accompagnement-aux-demarches-administratives » (lignes 2, 5)",
        "(v0) « gestion-financiere--acces-au-micro-credit » : son besoin n'a pas d'équivalent",
        "seule sa catégorie « difficultes-financieres » est gardée (ligne 3)",
        "(v0) « accompagnement-social-et-professionnel-personnalise--decrochage-scolaire » sans équivalent",
    ] {
        assert!(stderr.contains(attendu), "« {attendu} » absent de :\n{stderr}");
    }
    assert!(thematiques(&env, "C").contains("mobilite"));
    // The translated offer is published: its thematique is a v1 need.
    let out = env
        .spie(&["offre", "exporter", "--sources", "ccas", "--format", "json"])
        .output()
        .unwrap();
    let export: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let publiee = export["services"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["id"] == "ccas--A")
        .unwrap_or_else(|| panic!("{export}"));
    assert_eq!(publiee["thematiques"], serde_json::json!([v1]));
}
