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

#[test]
fn an_unknown_list_value_is_named_once_with_its_lines_and_the_closest_value() {
    let env = Env::initialisee();
    let mut lignes: Vec<String> = (1..=12)
        .map(|i| {
            ligne(
                &format!("P{i}"),
                &format!("Offre {i}"),
                "mobilite",
                "jeunes de 16 à 25 ans",
            )
        })
        .collect();
    lignes.push(ligne("M", "Offre martienne", "mobilite", "Familles / martiens"));
    let chemin = fichier(&env, "publics.csv", &csv(&lignes));
    let (code, bilan, stderr) = importer(&env, &chemin, &[]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(bilan["valides"], 13, "{bilan}");
    let jeunes: Vec<&str> = stderr.lines().filter(|l| l.contains("jeunes de 16")).collect();
    assert_eq!(jeunes.len(), 1, "un seul avertissement pour la même valeur :\n{stderr}");
    for attendu in [
        "valeur inconnue de publics : « jeunes de 16 à 25 ans », ignorée ; vouliez-vous dire « jeunes » ?",
        "(lignes 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, … : 12 lignes)",
    ] {
        assert!(jeunes[0].contains(attendu), "« {attendu} » absent de :\n{stderr}");
    }
    assert!(stderr.contains("valeur inconnue de publics : « martiens »"), "{stderr}");
    assert!(stderr.contains("(ligne 14)"), "{stderr}");
}

#[test]
fn a_profile_mistake_is_told_once_as_the_profiles_naming_its_key() {
    let env = Env::initialisee();
    let lignes: Vec<String> = (1..=5)
        .map(|i| format!("P{i};Offre {i};mobilite;Verdun;;Une description assez longue pour publier.;;CCAS"))
        .collect();
    let chemin = fichier(&env, "profil.csv", &csv(&lignes));
    let profil = fichier(
        &env,
        "ccas.toml",
        "[fixe]\nfrais = \"gratos\"\ndate_maj = \"2026-10-01\"\n",
    );
    let (code, bilan, stderr) = importer(&env, &chemin, &["--profil", &profil, "--partiel"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(bilan["valides"], 5, "{bilan}");
    assert_eq!(stderr.lines().filter(|l| l.contains("gratos")).count(), 1, "{stderr}");
    assert!(
        stderr.contains("[fixe] frais = « gratos » : valeur inconnue de frais : « gratos », ignorée"),
        "{stderr}"
    );
    // A default no row could take: the file is refused before anything is written.
    let profil = fichier(&env, "ccas.toml", "[fixe]\ndate_maj = \"2027-10-01\"\n");
    let (code, _, stderr) = importer(&env, &chemin, &["--profil", &profil, "--appliquer"]);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(stderr.matches("2027-10-01").count(), 1, "{stderr}");
    assert!(
        stderr.contains("[fixe] date_maj = « 2027-10-01 » : date de mise à jour dans le futur"),
        "{stderr}"
    );
    assert!(!stderr.contains("ligne 2"), "{stderr}");
    assert_eq!(env.sql("SELECT count(*) FROM offre"), 0);
}

#[test]
fn a_label_in_the_singular_or_the_plural_is_found_at_import_and_by_offre_thematiques() {
    let env = Env::initialisee();
    let chemin = fichier(
        &env,
        "garde.csv",
        &csv(&[
            ligne("G", "Halte-garderie", "Garde d’enfant", ""),
            ligne("H", "Crèche", "Gardes d'enfants", "Famille"),
        ]),
    );
    let (code, bilan, stderr) = importer(&env, &chemin, &["--appliquer"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(bilan["valides"], 2, "{bilan}\n{stderr}");
    assert_eq!(thematiques(&env, "G"), thematiques(&env, "H"));
    assert!(thematiques(&env, "G").contains("famille--garde-denfants"), "{stderr}");
    assert!(!stderr.contains("inconnue"), "{stderr}");
    for mots in [&["garde"][..], &["gardes", "enfant"], &["Garde", "d'enfant"]] {
        let mut args = vec!["offre", "thematiques"];
        args.extend(mots);
        let liste = env.ok(&args);
        assert!(liste.contains("famille--garde-denfants"), "{mots:?} :\n{liste}");
    }
}

#[test]
fn a_row_short_of_cells_is_warned_a_row_with_cells_too_many_is_refused() {
    let env = Env::initialisee();
    let complete = ligne("A", "Offre complète", "mobilite", "");
    let courte = "B;Offre courte;mobilite;Verdun;2026-11-02;Une description assez longue pour publier.".to_owned();
    let decalee = format!("{};en trop", ligne("C", "Offre décalée", "mobilite", "jeunes"));
    let vides_en_trop = format!("{};;", ligne("D", "Offre finie par des vides", "mobilite", ""));
    let chemin = fichier(&env, "cellules.csv", &csv(&[complete, courte, decalee, vides_en_trop]));
    let (code, bilan, stderr) = importer(&env, &chemin, &["--appliquer"]);
    assert_eq!(code, 3, "{stderr}");
    assert_eq!(
        (bilan["valides"].as_i64(), bilan["rejetees"].as_i64()),
        (Some(3), Some(1)),
        "{bilan}"
    );
    assert!(
        stderr.contains("6 cellules pour 8 colonnes : les dernières sont lues vides (ligne 3)"),
        "{stderr}"
    );
    assert!(
        stderr.contains("ligne 4 rejetée, colonne « cellule n° 9 », valeur « en trop » : 9 cellules pour 8 colonnes"),
        "{stderr}"
    );
    assert_eq!(env.sql("SELECT count(*) FROM offre WHERE identifiant = 'C'"), 0);
}

#[test]
fn two_columns_giving_the_same_field_refuse_the_file_before_anything_is_written() {
    let env = Env::initialisee();
    let chemin = fichier(&env, "un.csv", &csv(&[ligne("A", "Offre A", "mobilite", "")]));
    importer(&env, &chemin, &["--appliquer"]);
    let chemin = fichier(
        &env,
        "double.csv",
        "Identifiant;Nom du service;commune;Ville;Description\nB;Offre B;Verdun;Bar-le-Duc;Une description assez longue.\n",
    );
    let (code, _, stderr) = importer(&env, &chemin, &["--appliquer", "--partiel"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("les colonnes « commune » et « Ville » donnent toutes deux le champ « commune »"),
        "{stderr}"
    );
    assert!(stderr.contains("--profil"), "{stderr}");
    assert_eq!(
        env.sql("SELECT count(*) FROM offre WHERE retiree_le IS NULL"),
        1,
        "rien n'a changé"
    );
    // A profile says which one to read.
    let profil = fichier(&env, "double.toml", "[colonnes]\ncommune = \"Ville\"\n");
    let (code, _, stderr) = importer(&env, &chemin, &["--profil", &profil, "--partiel"]);
    assert_eq!(code, 0, "{stderr}");
}

#[test]
fn a_title_block_above_the_header_of_a_csv_is_passed_over_as_in_a_workbook() {
    let env = Env::initialisee();
    let texte = format!(
        "Offre du CCAS – mise à jour de novembre;;;;;;;\n;;;;;;;\n{}",
        csv(&[
            ligne("A", "Épicerie sociale", "Alimentation", ""),
            ligne("B", "Halte-garderie", "Garde d'enfants", "martiens"),
        ])
    );
    let chemin = fichier(&env, "titre.csv", &texte);
    let (code, bilan, stderr) = importer(&env, &chemin, &["--appliquer"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        (bilan["lignes"].as_i64(), bilan["ajoutees"].as_i64()),
        (Some(2), Some(2)),
        "{bilan}\n{stderr}"
    );
    assert_eq!(bilan["ligne_entete"], 3, "{bilan}");
    assert!(stderr.contains("en-tête trouvé ligne 3"), "{stderr}");
    assert!(
        stderr.contains("« martiens »") && stderr.contains("(ligne 5)"),
        "{stderr}"
    );
}

#[test]
fn a_strict_import_refused_says_what_failed_and_nothing_like_success() {
    let env = Env::initialisee();
    let chemin = fichier(
        &env,
        "strict.csv",
        &csv(&[
            ligne("A", "Offre A", "mobilite", ""),
            ligne("B", "Offre B", "mobilite--passer-le-permis", ""),
        ]),
    );
    for autres in [&["--strict", "--appliquer"][..], &["--strict"]] {
        let (code, bilan, stderr) = importer(&env, &chemin, autres);
        assert_eq!(code, 3, "{stderr}");
        assert_eq!(bilan["applique"], false);
        for trompeur in ["aperçu", "à importer", "importée", "ajoutée"] {
            assert!(!stderr.contains(trompeur), "« {trompeur} » dans :\n{stderr}");
        }
        assert!(
            stderr.contains("erreur : --strict : 1 ligne rejetée sur 2 lignes lues (ligne 3) : rien n'a été importé"),
            "{stderr}"
        );
    }
    assert_eq!(env.sql("SELECT count(*) FROM offre"), 0);
}

#[test]
fn odd_paths_and_files_get_an_error_that_says_what_they_are() {
    let env = Env::initialisee();
    // A folder where a file is expected.
    let dossier = env.dir.path().join("exports");
    std::fs::create_dir(&dossier).unwrap();
    let e = env.echec(&["offre", "exporter", "--sortie", dossier.to_str().unwrap()], 2);
    assert!(e.contains("est un dossier"), "{e}");
    assert!(!e.contains("existe déjà"), "{e}");
    assert!(e.contains("offres.json"), "{e}");
    // A file holding only a byte order mark.
    let bom = fichier(&env, "bom.csv", "\u{feff}");
    let (code, _, stderr) = importer(&env, &bom, &[]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("est vide"), "{stderr}");
}

#[test]
fn an_export_whose_reader_has_gone_says_nothing_of_success() {
    let env = Env::initialisee();
    let chemin = fichier(&env, "un.csv", &csv(&[ligne("A", "Offre A", "mobilite", "")]));
    importer(&env, &chemin, &["--appliquer"]);
    let (lecteur, ecrivain) = std::io::pipe().unwrap();
    drop(lecteur);
    let sortie = env
        .processus(commun::binaire(), &["offre", "exporter", "--sources", "ccas"])
        .stdout(std::process::Stdio::from(ecrivain))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&sortie.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(!stderr.contains("exporté"), "{stderr}");
}

#[test]
fn french_dates_are_read_day_first_and_a_bad_one_is_shown_whole() {
    let env = Env::initialisee();
    let avec_date = |id: &str, date: &str| {
        format!("{id};Offre {id};mobilite;Verdun;{date};Une description assez longue pour publier.;;CCAS")
    };
    let longue = "le deux novembre deux mille vingt-six, à confirmer par le partenaire";
    let chemin = fichier(
        &env,
        "dates.csv",
        &csv(&[
            avec_date("A", "2/11/26"),
            avec_date("B", "02.11.2026"),
            avec_date("C", "02-11-2026"),
            avec_date("D", "2026-11-02T09:30:00"),
            avec_date("E", "02/11/2026 09:30"),
            avec_date("F", "30/02/2026 (à voir)"),
            avec_date("G", "11/25/2026"),
            avec_date("H", longue),
        ]),
    );
    let (code, bilan, stderr) = importer(&env, &chemin, &["--appliquer"]);
    assert_eq!(code, 3, "{stderr}");
    assert_eq!(
        (bilan["valides"].as_i64(), bilan["rejetees"].as_i64()),
        (Some(5), Some(3)),
        "{bilan}\n{stderr}"
    );
    assert_eq!(
        env.sql("SELECT count(*) FROM offre WHERE date_maj = '2026-11-02'"),
        5,
        "{stderr}"
    );
    assert!(stderr.contains("valeur « 30/02/2026 (à voir) »"), "{stderr}");
    assert!(stderr.contains("« 11/25/2026 » n'existe pas"), "{stderr}");
    assert!(stderr.contains("le jour d'abord"), "{stderr}");
    let coupee: String = longue.chars().take(40).collect();
    assert!(stderr.contains(&format!("« {coupee}… »")), "{stderr}");
}

#[test]
fn an_offer_without_structure_is_warned_at_import_and_named_by_its_name_at_export() {
    let env = Env::initialisee();
    let chemin = fichier(
        &env,
        "sans-structure.csv",
        "Nom du service;Thème(s);Ville;Mise à jour;Description\n\
         Halte-garderie Les Lutins;Garde d'enfants;Verdun;2026-11-02;Accueil ponctuel des enfants.\n\
         Épicerie sociale;Alimentation;Verdun;2026-11-02;Épicerie à petits prix.\n",
    );
    let (code, _, stderr) = importer(&env, &chemin, &["--appliquer"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains(
            "nom de la structure absent : l'offre ne pourra pas être publiée vers data·inclusion (lignes 2, 3)"
        ),
        "{stderr}"
    );
    let out = env.spie(&["offre", "exporter", "--sources", "ccas"]).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(
            "ccas / « Halte-garderie Les Lutins » (ligne 2 de sans-structure.csv) : nom de la structure absent"
        ),
        "{stderr}"
    );
    assert!(!stderr.contains("calc-"), "{stderr}");
}

#[test]
fn an_external_offer_exported_on_request_keeps_its_own_source() {
    let env = Env::initialisee();
    commun::importer(
        &env,
        &commun::fixture("data-inclusion/services.json"),
        "data-inclusion",
        &[
            "--structures",
            &commun::fixture("data-inclusion/structures.json"),
            "--departement",
            "--appliquer",
        ],
    );
    let chemin = fichier(
        &env,
        "un.csv",
        &csv(&[ligne("A", "Offre A", "mobilite--preparer-un-permis", "")]),
    );
    importer(&env, &chemin, &["--appliquer"]);
    let out = env
        .spie(&[
            "offre", "exporter", "--sources", "ccas,data-inclusion", "--format", "json",
        ])
        .output()
        .unwrap();
    let export: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let services = export["services"].as_array().unwrap();
    let sources: std::collections::BTreeSet<&str> = services.iter().map(|s| s["source"].as_str().unwrap()).collect();
    assert!(sources.contains("ccas"), "{export}");
    assert!(
        sources.iter().all(|s| ["ccas", "dora", "soliguide"].contains(s)),
        "chaque offre garde la source de son éditeur : {sources:?}"
    );
    for s in services {
        let source = s["source"].as_str().unwrap();
        assert!(s["id"].as_str().unwrap().starts_with(&format!("{source}--")), "{s}");
        assert!(
            s["structure_id"].as_str().unwrap().starts_with(&format!("{source}--")),
            "{s}"
        );
    }
}

/// Without an identifier column, an offer's identifier is computed from its name,
/// structure and commune: a row rejected for one of them (a commune mistyped) no longer
/// names the offer it was, so nothing is withdrawn while rows are rejected.
#[test]
fn a_rejected_row_of_a_file_without_identifiers_withdraws_nothing() {
    let env = Env::initialisee();
    let entete = "Nom du service;Ville;Mise à jour;Description;Structure";
    let ligne =
        |nom: &str, ville: &str| format!("{nom};{ville};2026-11-02;Une description assez longue.;CCAS de Verdun");
    let premier = format!(
        "{entete}\n{}\n{}\n",
        ligne("Aide aux démarches", "Verdun"),
        ligne("Halte-garderie", "Verdun")
    );
    let chemin = fichier(&env, "ccas.csv", &premier);
    let (code, _, dit) = importer(&env, &chemin, &["--appliquer"]);
    assert_eq!(code, 0, "{dit}");
    let faute = format!(
        "{entete}\n{}\n{}\n",
        ligne("Aide aux démarches", "Verdunn"),
        ligne("Halte-garderie", "Verdun")
    );
    let chemin = fichier(&env, "ccas-faute.csv", &faute);
    let (_, bilan, dit) = importer(&env, &chemin, &["--appliquer"]);
    assert_eq!(bilan["rejetees"], 1, "{bilan}");
    assert_eq!(bilan["retirees"], 0, "{bilan}\n{dit}");
    assert!(dit.contains("aucune offre n'est retirée"), "{dit}");
    assert_eq!(env.sql("SELECT count(*) FROM offre WHERE retiree_le IS NULL"), 2);
    // Corrected, the file withdraws what it no longer names.
    let corrige = format!("{entete}\n{}\n", ligne("Halte-garderie", "Verdun"));
    let chemin = fichier(&env, "ccas-corrige.csv", &corrige);
    let (_, bilan, dit) = importer(&env, &chemin, &["--appliquer", "--retirer"]);
    assert_eq!(bilan["retirees"], 1, "{bilan}\n{dit}");
}

/// `--source CCAS` beside an existing `ccas` is the same partner: refused, naming it.
#[test]
fn a_source_named_as_another_but_for_case_is_refused() {
    let env = Env::initialisee();
    let chemin = fichier(&env, "ccas.csv", &csv(&[ligne("A", "Aide", "mobilite", "")]));
    let (code, _, dit) = importer(&env, &chemin, &["--appliquer"]);
    assert_eq!(code, 0, "{dit}");
    let (code, _, dit) = commun::importer(&env, &chemin, "CCAS", &["--appliquer"]);
    assert_eq!(code, 2, "{dit}");
    assert!(
        dit.contains("« CCAS » ne diffère de la source « ccas »") && dit.contains("--source ccas"),
        "{dit}"
    );
    assert_eq!(env.sql("SELECT count(*) FROM source"), 1);
}
