//! What `offre exporter` writes, imported back, and the offers it cannot publish: the
//! import and the export of the offer pillar agree with each other.

use crate::suite::commun::Env;

/// Three synthetic offers of two structures, imported as source `ccas`.
const OFFRES: &str = "id;nom;structure;thematiques;description;date_maj;code_insee;telephone\n\
    A1;Épicerie sociale;CCAS de Verdun;famille--garde-denfants;Une épicerie solidaire pour tous.;2026-10-01;55545;0329861234\n\
    A2;Atelier numérique;Médiathèque d'Étain;famille--garde-denfants;Un atelier pour tous les publics.;2026-10-01;55181;\n\
    A3;Halte-garderie;CCAS de Verdun;famille--garde-denfants;Accueil des enfants.;2026-10-01;55545;\n";

fn avec_offres() -> Env {
    let env = Env::initialisee();
    std::fs::write(env.dir.path().join("p.csv"), OFFRES).unwrap();
    env.ok(&["offre", "importer", "p.csv", "--source", "ccas", "--appliquer"]);
    env
}

fn chemin(env: &Env, nom: &str) -> String {
    env.dir.path().join(nom).display().to_string()
}

/// The offers of a source, and how many of them have a structure name.
fn offres_de(env: &Env, source: &str) -> (i64, i64) {
    let de = format!("FROM offre o JOIN source s ON s.id = o.source_id WHERE s.nom LIKE '{source}%'");
    (
        env.sql(&format!("SELECT count(*) {de}")),
        env.sql(&format!(
            "SELECT count(*) {de} AND o.structure_nom IS NOT NULL AND o.thematiques <> ''"
        )),
    )
}

#[test]
fn the_json_export_imported_back_gives_its_services_completed_by_their_structures() {
    let env = avec_offres();
    env.ok(&["offre", "exporter", "--sortie", "pub.json"]);
    let pub_json = chemin(&env, "pub.json");
    let (_, dit) = env.ok_dit(&["offre", "importer", &pub_json, "--source", "reimport", "--appliquer"]);
    assert!(dit.contains("3 objets lus : 3 offres importées"), "{dit}");
    assert!(!dit.contains("nom de la structure absent"), "{dit}");
    assert_eq!(offres_de(&env, "reimport"), (3, 3));
    assert_eq!(
        env.sql("SELECT count(*) FROM offre WHERE identifiant = 'ccas--A2' AND structure_nom = 'Médiathèque d''Étain'"),
        1
    );

    // The structures alone, as a list or under their key: refused, nothing stored.
    let document: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&pub_json).unwrap()).unwrap();
    for (nom, contenu) in [
        ("liste.json", document["structures"].clone()),
        (
            "seules.json",
            serde_json::json!({ "structures": document["structures"] }),
        ),
    ] {
        std::fs::write(env.dir.path().join(nom), contenu.to_string()).unwrap();
        let e = env.echec(
            &[
                "offre",
                "importer",
                &chemin(&env, nom),
                "--source",
                "seules",
                "--appliquer",
            ],
            1,
        );
        assert!(e.contains("contient des structures, pas des services"), "{e}");
        assert!(e.contains("--structures"), "{e}");
    }
    assert_eq!(offres_de(&env, "seules"), (0, 0));
}

#[test]
fn the_csv_and_workbook_exports_imported_back_give_their_services() {
    let env = avec_offres();
    env.ok(&[
        "offre", "exporter", "--format-sortie", "data-inclusion-csv", "--sortie", "pub",
    ]);
    let structures = chemin(&env, "pub/structures.csv");
    let e = env.echec(
        &["offre", "importer", &structures, "--source", "seules", "--appliquer"],
        1,
    );
    assert!(e.contains("contient des structures, pas des services"), "{e}");
    let services = chemin(&env, "pub/services.csv");
    env.ok(&[
        "offre", "importer", &services, "--structures", &structures, "--source", "en-csv", "--appliquer",
    ]);
    assert_eq!(offres_de(&env, "en-csv"), (3, 3));

    // The workbook: its « Structures » sheet comes first, its services are read.
    env.ok(&["offre", "exporter", "--sortie", "pub.xlsx"]);
    let classeur = chemin(&env, "pub.xlsx");
    env.ok(&["offre", "importer", &classeur, "--source", "classeur", "--appliquer"]);
    assert_eq!(offres_de(&env, "classeur"), (3, 3));
    let e = env.echec(
        &[
            "offre", "importer", &classeur, "--feuille", "Structures", "--source", "seules", "--appliquer",
        ],
        1,
    );
    assert!(e.contains("contient des structures, pas des services"), "{e}");
}

#[test]
fn a_structure_name_too_short_is_told_at_import_and_holds_back_only_its_offers() {
    let env = Env::initialisee();
    std::fs::write(
        env.dir.path().join("ml.csv"),
        "id;nom;structure;thematiques;description;date_maj;code_insee\n\
         B1;Atelier CV;ML;famille--garde-denfants;Un atelier pour écrire son CV.;2026-10-01;55545\n\
         B2;Halte-garderie;CCAS de Verdun;famille--garde-denfants;Accueil des enfants.;2026-10-01;55545\n",
    )
    .unwrap();
    let (_, dit) = env.ok_dit(&["offre", "importer", "ml.csv", "--source", "ml", "--appliquer"]);
    assert!(
        dit.contains("colonne « structure » : nom de la structure de 2 caractères (attendu 3 à 150) : l'offre ne pourra pas être publiée vers data·inclusion (ligne 2)"),
        "{dit}"
    );
    let out = env.spie(&["offre", "exporter"]).output().unwrap();
    assert_eq!(out.status.code(), Some(3), "publiée en partie : des constats");
    let dit = String::from_utf8(out.stderr).unwrap();
    let document: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let services: Vec<&str> = document["services"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["id"].as_str().unwrap())
        .collect();
    assert_eq!(services, ["ml--B2"]);
    assert!(
        dit.contains("ml / B1 « Atelier CV » (ligne 2 de ml.csv) : nom de la structure de 2 caractères"),
        "{dit}"
    );
    // The hint is about what applies: a [fixe] only fills empty cells.
    assert!(!dit.contains("[fixe]"), "{dit}");
    assert!(dit.contains("corrigez la valeur refusée chez le partenaire"), "{dit}");
}

#[test]
fn the_global_format_is_not_taken_for_the_export_format() {
    let env = avec_offres();
    for format in ["csv", "table"] {
        let e = env.echec(&["offre", "exporter", "--format", format, "--sortie", "pub.json"], 2);
        assert!(e.contains("--format-sortie data-inclusion-csv"), "{e}");
        assert!(!env.dir.path().join("pub.json").exists(), "rien n'est écrit");
    }
    // `--format json` says what the default writes: accepted.
    let document = env.json(&["offre", "exporter"]);
    assert_eq!(document["services"].as_array().unwrap().len(), 3);
}

/// Imports `lignes` (after a header naming the place columns) as source `ml`; returns
/// what the import said.
fn importer_lieux(env: &Env, entete: &str, lignes: &[&str]) -> String {
    let mut texte = format!("id;nom;structure;thematiques;description;date_maj;{entete}\n");
    for (i, l) in lignes.iter().enumerate() {
        texte +=
            &format!("L{i};Offre {i};CCAS de Verdun;famille--garde-denfants;Une offre pour tous.;2026-10-01;{l}\n");
    }
    std::fs::write(env.dir.path().join("lieux.csv"), texte).unwrap();
    env.ok_dit(&["offre", "importer", "lieux.csv", "--source", "ml", "--appliquer"])
        .1
}

#[test]
fn a_postal_code_typed_with_spaces_is_read_without_them() {
    let env = Env::initialisee();
    let dit = importer_lieux(
        &env,
        "commune;code_postal",
        &["Verdun;55 100", "Verdun;55\u{a0}100", "Étain;55 400"],
    );
    assert!(
        !dit.contains("code postal"),
        "rien à dire d'un code qui correspond : {dit}"
    );
    assert_eq!(
        env.sql("SELECT count(*) FROM offre WHERE code_postal IN ('55100', '55400')"),
        3
    );
}

#[test]
fn a_wrong_four_digit_postal_code_is_told_as_wrong_not_as_a_lost_zero() {
    let env = Env::initialisee();
    let dit = importer_lieux(&env, "commune;code_postal", &["Stenay;5999", "Étain;5999"]);
    assert!(
        dit.contains(
            "code postal « 5999 » : n'est pas celui de Stenay ; remplacé par 55700, le seul code postal de Stenay"
        ),
        "{dit}"
    );
    assert!(
        dit.contains(
            "code postal « 5999 » : n'est pas celui d'Étain ; remplacé par 55400, le seul code postal d'Étain"
        ),
        "{dit}"
    );
    assert!(!dit.contains("quatre chiffres"), "{dit}");
    assert_eq!(
        env.sql("SELECT count(*) FROM offre WHERE code_postal IN ('55700', '55400')"),
        2
    );
    // Where postal codes start with a zero, four digits may be a zero eaten by the
    // spreadsheet: that is said.
    let dit = importer_lieux(&env, "code_insee;code_postal", &["01004;1999"]);
    assert!(
        dit.contains("code postal « 1999 » : quatre chiffres, et « 01999 » n'est pas celui d'Ambérieu-en-Bugey ; remplacé par 01500"),
        "{dit}"
    );
}

#[test]
fn a_postal_code_without_commune_gives_the_commune_when_it_has_only_one() {
    let env = Env::initialisee();
    let dit = importer_lieux(&env, "commune;code_postal", &[";55840", ";55100"]);
    assert!(
        dit.contains(
            "commune absente : Thierville-sur-Meuse (INSEE 55505), la seule commune du code postal 55840, est retenue"
        ),
        "{dit}"
    );
    assert_eq!(
        env.sql("SELECT count(*) FROM offre WHERE identifiant = 'L0' AND commune = '55505'"),
        1
    );
    // 55100 is the code of Verdun and of many villages around: they are named, five at most.
    assert!(
        dit.contains("commune absente : le code postal 55100 est celui de plusieurs communes (Verdun, "),
        "{dit}"
    );
    assert!(dit.contains(", …) ; précisez la commune"), "{dit}");
    assert_eq!(
        env.sql("SELECT count(*) FROM offre WHERE identifiant = 'L1' AND commune IS NULL"),
        1
    );
}
