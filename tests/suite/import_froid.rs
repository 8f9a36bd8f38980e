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

/// The one text a query gives.
fn texte_sql(env: &Env, requete: &str) -> String {
    let conn = rusqlite::Connection::open(env.base()).unwrap();
    conn.query_row(requete, [], |r| r.get(0)).unwrap()
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

/// A [valeurs] target that is no code of its list would reject every row that uses it:
/// it is checked once, before any row is read, as a [fixe] value is.
#[test]
fn a_profile_value_mapped_to_no_code_is_told_once_before_any_row() {
    let env = Env::initialisee();
    let lignes: Vec<String> = (1..=6)
        .map(|i| ligne(&format!("P{i}"), &format!("Offre {i}"), "Jardinage", ""))
        .collect();
    let chemin = fichier(&env, "jardin.csv", &csv(&lignes));
    let profil = fichier(
        &env,
        "jardin.toml",
        "[valeurs.thematiques]\n\"Jardinage\" = \"remobilisation--lien-socal\"\n",
    );
    let (code, _, stderr) = importer(&env, &chemin, &["--profil", &profil, "--appliquer"]);
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(
        stderr.lines().filter(|l| l.contains("lien-socal")).count(),
        1,
        "{stderr}"
    );
    for attendu in [
        "[valeurs.thematiques] « Jardinage » = « remobilisation--lien-socal » : thématique « remobilisation--lien-socal » inconnue",
        "vouliez-vous dire « remobilisation--lien-social » (Lien social)",
        "rien n'est importé",
    ] {
        assert!(stderr.contains(attendu), "« {attendu} » absent de :\n{stderr}");
    }
    assert!(!stderr.contains("ligne 2"), "{stderr}");
    assert_eq!(env.sql("SELECT count(*) FROM offre"), 0);
    // A coded list whose unknown values are only warned about is refused the same way:
    // the profile's author meant a code.
    let profil = fichier(&env, "jardin.toml", "[valeurs.publics]\n\"Parents\" = \"familes\"\n");
    let (code, _, stderr) = importer(&env, &chemin, &["--profil", &profil]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("[valeurs.publics] « Parents » = « familes » : valeur inconnue de publics : « familes »")
            && stderr.contains("« familles »"),
        "{stderr}"
    );
    // A target that is a code, or a label, is taken.
    let profil = fichier(
        &env,
        "jardin.toml",
        "[valeurs.thematiques]\n\"Jardinage\" = \"remobilisation--lien-social\"\n[valeurs.publics]\n\"Parents\" = \"Familles\"\n",
    );
    let (code, bilan, stderr) = importer(&env, &chemin, &["--profil", &profil]);
    assert_eq!((code, bilan["valides"].as_i64()), (0, Some(6)), "{stderr}");
}

/// A postal code of four digits lost its leading zero in a spreadsheet only when it is a
/// commune's of the départements 01 to 09: the row's commune decides. A wrong one is
/// replaced by the commune's postal code when it has one only, and dropped, naming the
/// possible ones, when it has several.
#[test]
fn a_four_digit_postal_code_gets_its_zero_back_only_when_it_is_the_communes() {
    let env = Env::initialisee();
    let entete = "Identifiant;Nom du service;Ville;Code INSEE;Code postal;Téléphone;Mise à jour;Description;Structure";
    let ligne = |id: &str, ville: &str, insee: &str, cp: &str, tel: &str| {
        format!("{id};Offre {id};{ville};{insee};{cp};{tel};2026-11-02;Une description assez longue.;CCAS")
    };
    let texte = [
        entete.to_owned(),
        ligne("GAP", "Gap", "", "5000", "04 92 53 24 24"),
        ligne("BOURG", "", "01053", "1000", ""),
        ligne("VERDUN", "Verdun", "", "5100", ""),
        ligne("SANS", "", "", "5100", ""),
        ligne("FAUX", "Verdun", "", "55101", "03 29"),
        ligne("VAUX", "", "55537", "5510", ""),
    ]
    .join("\n");
    let chemin = fichier(&env, "cp.csv", &texte);
    let (code, bilan, stderr) = importer(&env, &chemin, &["--appliquer"]);
    assert_eq!((code, bilan["valides"].as_i64()), (0, Some(6)), "{stderr}");
    let cp = |id: &str| {
        texte_sql(
            &env,
            &format!("SELECT ifnull(code_postal, '') FROM offre WHERE identifiant = '{id}'"),
        )
    };
    assert_eq!(
        (cp("GAP"), cp("BOURG"), cp("VERDUN"), cp("SANS"), cp("FAUX"), cp("VAUX")),
        (
            "05000".into(),
            "01000".into(),
            "55100".into(),
            String::new(),
            "55101".into(),
            String::new()
        ),
        "{stderr}"
    );
    commun::dit_tout(
        &stderr,
        &[
            "code postal « 5000 » lu « 05000 » (zéro initial perdu par le tableur) (ligne 2)",
            "code postal « 1000 » lu « 01000 »",
            "code postal « 5100 » : n'est pas celui de Verdun ; remplacé par 55100, \
         le seul code postal de Verdun (ligne 4)",
            "code postal « 5510 » : n'est pas un code postal de Douaumont-Vaux, qui en a \
         plusieurs (55100, 55400) ; ignoré (ligne 7)",
            "code postal « 5100 » : quatre chiffres, sans commune pour le vérifier ; ignoré (ligne 5)",
            "code postal « 55101 » : ne correspond pas à Verdun (55100)",
            "téléphone « 03 29 » : format inhabituel, gardé tel quel",
        ],
    );
}

/// The commune is looked up with the postal code of its row, but the message quotes the
/// cell as the partner typed it.
#[test]
fn an_unknown_commune_is_quoted_as_its_cell_holds_it() {
    let env = Env::initialisee();
    let texte = "Identifiant;Nom du service;Ville;Code postal;Mise à jour\nA;Offre A;Verdunn;55100;2026-11-02\n";
    let chemin = fichier(&env, "verdunn.csv", texte);
    let (code, _, stderr) = importer(&env, &chemin, &[]);
    assert_eq!(code, 3, "{stderr}");
    assert!(
        stderr.contains(
            "colonne « Ville », valeur « Verdunn » : commune inconnue : « Verdunn » ; vouliez-vous dire Verdun (55)"
        ),
        "{stderr}"
    );
    assert!(!stderr.contains("55100 Verdunn"), "{stderr}");
}

/// Opening hours one column per day, as the France services list gives them: an empty
/// range (« 00:00 - 00:00 ») is dropped, and a day whose ranges overlap or run backwards
/// leaves the offer's hours unpublished (a day left out would read as closed), each said
/// once with the value and the lines.
#[test]
fn empty_and_overlapping_opening_hours_are_warned_and_never_published() {
    let env = Env::initialisee();
    let entete = "id;nom;commune;date_maj;lundi;mardi";
    let texte = [
        entete,
        "A;Guichet A;Verdun;2026-11-02;00:00 - 00:00 / 09:00 - 12:00;09:00 - 12:00 / 14:00 - 16:30",
        "B;Guichet B;Verdun;2026-11-02;\"09:00-12:00 ; 11:00-14:00\";09:00 - 12:00",
        "C;Guichet C;Verdun;2026-11-02;00:00 - 00:00;00:00 - 00:00",
        "D;Guichet D;Verdun;2026-11-02;14:00 - 09:00;",
        "E;Guichet E;Verdun;2026-11-02;00:00 - 00:00 / 09:00 - 12:00;",
    ]
    .join("\n");
    let chemin = fichier(&env, "fs.csv", &texte);
    let profil = fichier(&env, "fs.toml", "[horaires]\nMo = \"lundi\"\nTu = \"mardi\"\n");
    let (code, bilan, stderr) = importer(&env, &chemin, &["--profil", &profil, "--appliquer"]);
    assert_eq!((code, bilan["valides"].as_i64()), (0, Some(5)), "{stderr}");
    let horaires = |id: &str| {
        texte_sql(
            &env,
            &format!("SELECT ifnull(horaires_accueil, '') FROM offre WHERE identifiant = '{id}'"),
        )
    };
    assert_eq!(horaires("A"), "Mo 09:00-12:00; Tu 09:00-12:00,14:00-16:30");
    assert_eq!(horaires("E"), "Mo 09:00-12:00");
    for id in ["B", "C", "D"] {
        assert_eq!(horaires(id), "", "{id} : {stderr}");
    }
    for attendu in [
        "plage horaire vide « 00:00 - 00:00 », ignorée (lignes 2, 4, 6)",
        "horaires du lundi « 09:00-12:00 ; 11:00-14:00 » : des plages se chevauchent ; horaires de l'offre non publiés (ligne 3)",
        "horaires du lundi « 14:00 - 09:00 » : une plage finit avant de commencer ; horaires de l'offre non publiés (ligne 5)",
    ] {
        assert!(stderr.contains(attendu), "« {attendu} » absent de :\n{stderr}");
    }
    assert_eq!(stderr.matches("plage horaire vide").count(), 1, "{stderr}");
}

/// A two-digit year never makes a date after the import's day: `02/11/99` is 1999, said
/// with the date understood. A month written in words, as a letter dates itself, is read.
#[test]
fn a_two_digit_year_is_never_in_the_future_and_a_month_in_words_is_read() {
    let env = Env::initialisee();
    let avec_date = |id: &str, date: &str| {
        format!("{id};Offre {id};mobilite;Verdun;{date};Une description assez longue pour publier.;;CCAS")
    };
    let chemin = fichier(
        &env,
        "dates.csv",
        &csv(&[
            avec_date("A", "02/11/99"),
            avec_date("B", "2/11/26"),
            avec_date("C", "2 novembre 2026"),
            avec_date("D", "lundi 2 novembre 2026"),
            avec_date("E", "1er Novembre 2026"),
            avec_date("F", "Dimanche 1er novembre 2026"),
            avec_date("G", "31 novembre 2026"),
        ]),
    );
    let (code, bilan, stderr) = importer(&env, &chemin, &["--appliquer"]);
    assert_eq!(code, 3, "{stderr}");
    assert_eq!(
        (bilan["valides"].as_i64(), bilan["rejetees"].as_i64()),
        (Some(6), Some(1)),
        "{bilan}\n{stderr}"
    );
    let date = |id: &str| texte_sql(&env, &format!("SELECT date_maj FROM offre WHERE identifiant = '{id}'"));
    assert_eq!(date("A"), "1999-11-02");
    for id in ["B", "C", "D"] {
        assert_eq!(date(id), "2026-11-02", "{id}");
    }
    assert_eq!((date("E"), date("F")), ("2026-11-01".into(), "2026-11-01".into()));
    assert!(
        stderr.contains(
            "date « 02/11/99 » lue le 02/11/1999 : année sur deux chiffres, 2099 serait dans le futur (ligne 2)"
        ),
        "{stderr}"
    );
    assert!(!stderr.contains("« 2/11/26 » lue"), "{stderr}");
    assert!(
        stderr.contains("la date « 31 novembre 2026 » n'existe pas dans le calendrier"),
        "{stderr}"
    );
}

/// An unknown thematique or public of a partner's file is named in the warning (it is the
/// partner's word, not a person's), with the closest value: first by the words it shares
/// with a label (or its description), then by spelling.
#[test]
fn an_unknown_value_is_named_with_the_value_sharing_its_words() {
    let env = Env::initialisee();
    let chemin = fichier(
        &env,
        "mots.csv",
        &csv(&[
            ligne("A", "Halte-garderie", "Garde d'enfants", "Parents isolés"),
            ligne("B", "Potager", "Jardin partagé du quartier", ""),
        ]),
    );
    let (code, _, stderr) = importer(&env, &chemin, &[]);
    assert_eq!(code, 3, "{stderr}");
    assert!(!stderr.contains("n'est pas répété"), "{stderr}");
    assert!(
        stderr.contains("valeur inconnue de publics : « Parents isolés », ignorée ; vouliez-vous dire « familles » ?"),
        "{stderr}"
    );
    assert!(
        stderr.contains("valeur « Jardin partagé du quartier » : thématique « Jardin partagé du quartier » inconnue ; vouliez-vous dire « "),
        "{stderr}"
    );
    // The same ranking where a caseworker types a public.
    let e = env.echec(&["offre", "chercher", "--public", "Parents isolés"], 2);
    assert!(e.contains("vouliez-vous dire familles"), "{e}");
    // The word that names the need outranks a common one: « aide » leads nowhere.
    let e = env.echec(&["offre", "chercher", "--thematique", "Aide alimentaire"], 1);
    assert!(
        e.contains("vouliez-vous dire « equipement-et-alimentation--alimentation » (Alimentation)"),
        "{e}"
    );
}

/// A row repeating an offer of the file names the earlier line, and for a computed
/// identifier, why they are the same offer.
#[test]
fn a_repeated_computed_identifier_names_the_earlier_line() {
    let env = Env::initialisee();
    let texte = "Nom du service;Ville;Mise à jour;Structure\n\
                 Épicerie sociale;Verdun;2026-11-02;CCAS\n\
                 Halte-garderie;Verdun;2026-11-02;CCAS\n\
                 ÉPICERIE  sociale;Verdun;2026-11-01;ccas\n";
    let chemin = fichier(&env, "double.csv", texte);
    let (code, bilan, stderr) = importer(&env, &chemin, &[]);
    assert_eq!((code, bilan["doublons"].as_i64()), (0, Some(1)), "{stderr}");
    assert!(
        stderr.contains(
            "même identifiant calculé que la ligne 2 : même nom, structure et commune ; cette ligne remplace la \
             précédente (ligne 4)"
        ),
        "{stderr}"
    );
}

/// A separator too many in a cell shifts every value after it: the row is refused once,
/// for that, not once more for each shifted value.
#[test]
fn a_shifted_row_is_refused_once() {
    let env = Env::initialisee();
    let decalee = "E;Offre; décalée;mobilite;Verdun;2026-11-02;Une description assez longue.;jeunes;CCAS".to_owned();
    let chemin = fichier(
        &env,
        "decalee.csv",
        &csv(&[ligne("A", "Offre A", "mobilite", ""), decalee]),
    );
    let (code, bilan, stderr) = importer(&env, &chemin, &[]);
    assert_eq!((code, bilan["rejetees"].as_i64()), (3, Some(1)), "{stderr}");
    assert_eq!(stderr.matches("ligne 3 rejetée").count(), 1, "{stderr}");
    assert!(
        stderr.contains("ligne 3 rejetée, colonne « cellule n° 9 », valeur « CCAS » : 9 cellules pour 8 colonnes"),
        "{stderr}"
    );
}

/// A value refused on the command line says what is expected, with an example, and how
/// to find it.
#[test]
fn a_bad_number_on_the_command_line_gets_an_example_and_an_aide() {
    let env = Env::initialisee();
    let e = env.echec(&["offre", "voir", "abc"], 2);
    assert!(
        e.contains("erreur : « abc » n'est pas un numéro : nombre entier positif attendu"),
        "{e}"
    );
    assert!(e.contains("\naide : <ID> est un numéro, par exemple 42"), "{e}");
    assert!(e.contains("`spie offre chercher MOTS` pour une offre"), "{e}");
    assert!(!e.contains("ci-dessous"), "{e}");
    let e = env.echec(&["offre", "chercher", "--rayon", "5000"], 2);
    assert!(e.contains("nombre entier de 0 à 1000 attendu"), "{e}");
    assert!(e.contains("\naide : par exemple --rayon 10"), "{e}");
}

/// A CSV saved in UTF-16 without its byte order mark: a zero byte every other byte, not
/// a binary file; the option to read it is named.
#[test]
fn a_utf16_file_without_byte_order_mark_is_told_with_its_encoding() {
    let env = Env::initialisee();
    let texte = csv(&[ligne("A", "Offre A", "mobilite", "")]);
    let octets: Vec<u8> = texte.encode_utf16().flat_map(u16::to_le_bytes).collect();
    let chemin = env.chemin("utf16.csv");
    std::fs::write(&chemin, octets).unwrap();
    let (code, _, stderr) = importer(&env, &chemin, &[]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("UTF-16") && stderr.contains("--encodage utf-16le"),
        "{stderr}"
    );
    assert!(!stderr.contains("binaire"), "{stderr}");
    let (code, bilan, stderr) = importer(&env, &chemin, &["--encodage", "utf-16le"]);
    assert_eq!((code, bilan["valides"].as_i64()), (0, Some(1)), "{stderr}");
}

/// A phone of nine digits in a workbook lost its leading 0 whether the cell is a number
/// or a text: both get it back.
#[test]
fn a_nine_digit_phone_in_a_text_cell_gets_its_zero_back_as_a_number_does() {
    let env = Env::initialisee();
    let xlsx = env.chemin("telephones.xlsx");
    let mut classeur = commun::classeur(&["Identifiant", "Nom du service", "Ville", "Téléphone"]);
    let feuille = classeur.worksheet_from_index(0).unwrap();
    for (r, id) in ["TEXTE", "NOMBRE"].iter().enumerate() {
        let r = r as u32 + 1;
        feuille.write_string(r, 0, *id).unwrap();
        feuille.write_string(r, 1, format!("Offre {id}")).unwrap();
        feuille.write_string(r, 2, "Verdun").unwrap();
    }
    feuille.write_string(1, 3, "612345678").unwrap();
    feuille.write_number(2, 3, 612345678.0).unwrap();
    classeur.save(&xlsx).unwrap();
    let (code, bilan, stderr) = importer(&env, &xlsx, &["--appliquer"]);
    assert_eq!((code, bilan["valides"].as_i64()), (0, Some(2)), "{stderr}");
    let telephone = |id: &str| texte_sql(&env, &format!("SELECT telephone FROM offre WHERE identifiant = '{id}'"));
    assert_eq!(telephone("TEXTE"), telephone("NOMBRE"), "{stderr}");
    assert!(telephone("TEXTE").starts_with("06"), "{}", telephone("TEXTE"));
}

/// A file holding its header alone imports nothing: it does not create its source (an
/// empty partner in `offre sources`), and it says so with a non-zero exit.
#[test]
fn a_file_without_a_data_row_creates_no_source() {
    let env = Env::initialisee();
    let chemin = fichier(&env, "entete.csv", &csv(&[]));
    for autres in [&["--appliquer"][..], &[], &["--appliquer", "--partiel"]] {
        let (code, bilan, stderr) = importer(&env, &chemin, autres);
        assert_eq!(code, 1, "{autres:?} : {stderr}");
        assert_eq!(bilan, serde_json::Value::Null, "rien sur stdout");
        assert!(
            stderr.contains("aucune ligne de données sous l'en-tête (ligne 1) : rien n'est importé"),
            "{stderr}"
        );
        assert_eq!(env.sql("SELECT count(*) FROM source"), 0, "{autres:?}");
    }
}

/// A thematique given as its category alone (`numerique`) is kept for matching, and the
/// import says at once that data·inclusion will not publish it, naming the line.
#[test]
fn a_category_alone_is_warned_at_import() {
    let env = Env::initialisee();
    let chemin = fichier(
        &env,
        "categorie.csv",
        &csv(&[
            ligne("A1", "Atelier numérique", "numerique", "tous-publics"),
            ligne("A2", "Permis", "mobilite--preparer-un-permis", "tous-publics"),
        ]),
    );
    let (_, _, stderr) = importer(&env, &chemin, &["--appliquer"]);
    assert!(
        stderr.contains("thématique « numerique » : une catégorie sans son besoin") && stderr.contains("(ligne 2)"),
        "{stderr}"
    );
    assert!(!stderr.contains("« mobilite--preparer-un-permis »"), "{stderr}");
    assert_eq!(thematiques(&env, "A1"), "numerique");
    // The offer's page names the category by its label, as it does a full thematique.
    let fiche = env.ok(&["offre", "voir", "1", "--format", "table"]);
    assert!(fiche.contains("Numérique (numerique)"), "{fiche}");
}

/// Thousands of rows repeating an identifiant: the first ones are named, the others
/// counted on one line; the summary and the JSON count them all.
#[test]
fn repeated_identifiants_are_named_for_the_first_lines_then_counted() {
    let env = Env::initialisee();
    let lignes: Vec<String> = (0..300)
        .map(|i| {
            ligne(
                &format!("R{}", i % 2),
                "Permis",
                "mobilite--preparer-un-permis",
                "tous-publics",
            )
        })
        .collect();
    let chemin = fichier(&env, "repetees.csv", &csv(&lignes));
    let (code, bilan, stderr) = importer(&env, &chemin, &[]);
    assert_eq!((code, bilan["doublons"].as_i64()), (0, Some(298)), "{stderr}");
    assert_eq!(stderr.matches("cette ligne remplace").count(), 10, "{stderr}");
    assert!(stderr.lines().count() < 30, "{stderr}");
    commun::dit_tout(
        &stderr,
        &[
            "identifiant « R0 » déjà donné ligne 2 : cette ligne remplace la précédente (ligne 4)",
            "… et 288 autres lignes en double (identifiant déjà donné plus haut dans le fichier)",
            "dont 298 en double",
        ],
    );
}

/// A warning whose value differs on every row (an odd phone each time) is told for the
/// first values of its column, the others counted on one line.
#[test]
fn warnings_of_a_column_are_capped_when_each_row_has_its_own_value() {
    let env = Env::initialisee();
    let mut texte = String::from("Identifiant;Nom du service;Ville;Téléphone;Mise à jour\n");
    for i in 0..25 {
        texte += &format!("T{i};Offre {i};Verdun;03 29 {i:02};2026-11-02\n");
    }
    let chemin = fichier(&env, "telephones.csv", &texte);
    let (code, bilan, stderr) = importer(&env, &chemin, &[]);
    assert_eq!((code, bilan["valides"].as_i64()), (0, Some(25)), "{stderr}");
    assert_eq!(
        stderr.matches(": format inhabituel, gardé tel quel").count(),
        10,
        "{stderr}"
    );
    commun::dit_tout(
        &stderr,
        &[
            "avertissement, colonne « Téléphone » : … et 15 autres lignes avec des avertissements sur d'autres valeurs \
           (lignes 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, … : 15 lignes)",
        ],
    );
}

/// Thousands of rows rejected for the same reason on the same value: said once, with the
/// first lines and their number, not once per row.
#[test]
fn rows_rejected_alike_are_said_once_with_their_count() {
    let env = Env::initialisee();
    let mut lignes: Vec<String> = (0..50)
        .map(|i| ligne(&format!("J{i}"), "Potager partagé", "Jardinage", "tous-publics"))
        .collect();
    lignes.push(ligne("P1", "Permis", "Permis de voler", "tous-publics"));
    let chemin = fichier(&env, "jardins.csv", &csv(&lignes));
    let (_, bilan, stderr) = importer(&env, &chemin, &[]);
    assert_eq!(bilan["rejetees"], 51, "{bilan}");
    let jardinage: Vec<&str> = stderr.lines().filter(|l| l.contains("« Jardinage »")).collect();
    assert_eq!(jardinage.len(), 1, "{stderr}");
    assert!(
        jardinage[0].starts_with("lignes 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, … (50 lignes) rejetées, colonne « "),
        "{stderr}"
    );
    assert!(
        stderr.contains("ligne 52 rejetée, colonne « ") && stderr.contains("« Permis de voler »"),
        "{stderr}"
    );
    assert!(!stderr.contains("autres problèmes"), "{stderr}");
}
