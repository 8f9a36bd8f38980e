//! Importing partners' workbooks (`.xlsx`, `.ods`, `.xls`) as their office software
//! writes them: a title block above the header, dates as serial numbers, numbers where
//! codes are expected, several sheets.

use super::commun::{self, Env, fixture};

fn classeur(extension: &str) -> String {
    feuille(&format!("offres-ccas.{extension}"))
}

/// A workbook of `fixtures/classeurs/`.
fn feuille(nom: &str) -> String {
    fixture(&format!("classeurs/{nom}"))
}

fn importer(env: &Env, fichier: &str, autres: &[&str]) -> (i32, serde_json::Value, String) {
    commun::importer(env, fichier, "ccas", autres)
}

/// The offers of the base: name, update date, postal code, INSEE code, phone, thematiques.
fn offres(env: &Env) -> Vec<Vec<String>> {
    let conn = rusqlite::Connection::open(env.base()).unwrap();
    let mut stmt = conn
        .prepare(
            "SELECT nom, date_maj, code_postal, commune, coalesce(telephone, ''), thematiques
             FROM offre WHERE retiree_le IS NULL ORDER BY nom",
        )
        .unwrap();
    stmt.query_map([], |r| (0..6).map(|i| r.get::<_, String>(i)).collect())
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

#[test]
fn every_workbook_format_gives_the_offers_of_its_sheet() {
    for format in ["xlsx", "ods", "xls"] {
        let env = Env::initialisee();
        let (code, bilan, stderr) = importer(&env, &classeur(format), &["--appliquer", "--rejets", "rejets.csv"]);
        assert_eq!(code, 3, "{format} : {stderr}");
        assert_eq!(bilan["format"], format);
        assert_eq!(bilan["feuille"], "Offres 2026");
        // The title block (two lines and a blank one) is passed over.
        assert_eq!(bilan["ligne_entete"], 4, "{format}");
        assert!(stderr.contains("en-tête trouvé ligne 4"), "{stderr}");
        assert_eq!(
            (bilan["valides"].as_u64(), bilan["rejetees"].as_u64()),
            (Some(3), Some(1))
        );
        assert_eq!(bilan["encodage"], serde_json::Value::Null);
        // The rejected row is named by its row in the sheet.
        assert!(
            stderr.contains("ligne 8 rejetée, colonne « Thème(s) », valeur « Jardinage »"),
            "{format} : {stderr}"
        );
        let rejets = std::fs::read_to_string(env.dir.path().join("rejets.csv")).unwrap();
        assert!(
            rejets.contains("Atelier jardinage") && rejets.contains("ligne 8 :"),
            "{rejets}"
        );
        let vue = offres(&env);
        let attendu: Vec<Vec<&str>> = vec![
            vec![
                "Aide aux démarches en ligne",
                "2026-09-15",
                "55100",
                "55545",
                "03 29 86 12 35",
                "difficultes-administratives-ou-juridiques--accompagnement-aux-demarches-administratives,\
                 numerique--acceder-a-des-services-en-ligne",
            ],
            // A phone typed as a number gets back its leading 0.
            vec![
                "Garde ponctuelle pour les rendez-vous d’emploi",
                "2026-10-01",
                "55100",
                "55545",
                "03 29 86 12 34",
                "famille--garde-denfants",
            ],
            // A date typed as a bare number: its serial number read as the date it is.
            vec![
                "Épicerie solidaire",
                "2026-11-02",
                "55400",
                "55181",
                "",
                "equipement-et-alimentation--alimentation",
            ],
        ];
        assert_eq!(vue, attendu, "{format}");
        // Each offer notes its row in the sheet (below the header of row 4, above the
        // rejected row 8) and the workbook's name, never its path.
        let conn = rusqlite::Connection::open(env.base()).unwrap();
        let lues: Vec<(String, i64)> = conn
            .prepare("SELECT lu_dans, ligne FROM offre WHERE ligne IS NOT NULL ORDER BY ligne")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        let nom = format!("offres-ccas.{format}");
        assert_eq!(lues, [(nom.clone(), 5), (nom.clone(), 6), (nom, 7)], "{format}");
        // The same workbook again changes nothing.
        let (_, bilan, _) = importer(&env, &classeur(format), &["--appliquer"]);
        assert_eq!(bilan["inchangees"], 3, "{format}");
    }
}

#[test]
fn a_sheet_is_chosen_by_its_name_or_its_number() {
    let env = Env::initialisee();
    let fichier = classeur("xlsx");
    let (_, bilan, _) = importer(&env, &fichier, &["--feuille", "offres 2026"]);
    assert_eq!(
        (bilan["feuille"].as_str(), bilan["valides"].as_u64()),
        (Some("Offres 2026"), Some(3))
    );
    let (code, bilan, stderr) = importer(&env, &fichier, &["--feuille", "2"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        (bilan["feuille"].as_str(), bilan["valides"].as_u64()),
        (Some("Contacts"), Some(1))
    );
    for demandee in ["3", "Tarifs"] {
        let e = env.echec(
            &["offre", "importer", &fichier, "--source", "ccas", "--feuille", demandee],
            2,
        );
        assert!(
            e.contains(&format!("pas de feuille « {demandee} »")) && e.contains("1 « Offres 2026 », 2 « Contacts »"),
            "{e}"
        );
    }
    // A CSV has no sheet; a workbook has no encoding.
    let csv = env.dir.path().join("liste.csv");
    std::fs::write(&csv, "id;nom\n1;Aide\n").unwrap();
    let e = env.echec(
        &[
            "offre",
            "importer",
            csv.to_str().unwrap(),
            "--source",
            "ccas",
            "--feuille",
            "1",
        ],
        2,
    );
    assert!(e.contains("--feuille ne vaut que pour un classeur"), "{e}");
    let (code, _, stderr) = importer(&env, &fichier, &["--encodage", "windows-1252"]);
    assert_eq!(code, 3);
    assert!(stderr.contains("ne valent que pour un CSV"), "{stderr}");
}

#[test]
fn a_file_that_is_neither_text_nor_a_workbook_is_refused_clearly() {
    let env = Env::initialisee();
    let ecrire = |nom: &str, octets: &[u8]| {
        let chemin = env.dir.path().join(nom);
        std::fs::write(&chemin, octets).unwrap();
        chemin.display().to_string()
    };
    // An empty zip archive, named as a workbook.
    let mut zip = b"PK\x05\x06".to_vec();
    zip.resize(22, 0);
    let mut ole = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    ole.resize(4096, 0x41);
    let mut image = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    image.extend((0..2000u32).map(|i| (i * 7 % 256) as u8));
    let cas = [
        (
            ecrire("archive.xlsx", &zip),
            "est une archive ZIP qui n'est pas un classeur",
        ),
        (ecrire("protege.xls", &ole), "fichier Office binaire"),
        (ecrire("photo.csv", &image), "n'est ni un fichier CSV ni un classeur"),
    ];
    for (fichier, attendu) in cas {
        let e = env.echec(&["offre", "importer", &fichier, "--source", "ccas"], 1);
        assert!(e.contains(attendu) && e.contains("aide :"), "{fichier} : {e}");
        assert!(!e.contains("colonne"), "no column names out of a binary file: {e}");
    }
    assert_eq!(env.sql("SELECT count(*) FROM offre"), 0);
}

#[test]
fn an_empty_sheet_or_a_table_on_another_sheet_is_told_with_the_sheets() {
    let env = Env::initialisee();
    let e = env.echec(&["offre", "importer", &feuille("vide.xlsx"), "--source", "v"], 1);
    assert!(
        e.contains("la feuille « Sheet » est vide") && e.contains("--feuille"),
        "{e}"
    );
    // The first sheet is a summary: the hint names the sheets and --feuille.
    let sommaire = feuille("sommaire.xlsx");
    let e = env.echec(&["offre", "importer", &sommaire, "--source", "v"], 1);
    assert!(
        e.contains("aucune colonne ne donne le champ obligatoire « nom »")
            && e.contains("feuille « Sommaire » lue")
            && e.contains("2 « Offres »")
            && e.contains("--feuille"),
        "{e}"
    );
    // A formula's error is no value: ignored, and said.
    let (code, bilan, stderr) = importer(&env, &sommaire, &["--feuille", "Offres", "--appliquer"]);
    assert_eq!((code, bilan["valides"].as_u64()), (0, Some(2)), "{stderr}");
    assert!(
        stderr.contains("colonne « Thème(s) » : cellule en erreur dans le tableur (#N/A) : valeur ignorée (ligne 2)")
            && stderr.contains("colonne « Code postal » : cellule en erreur dans le tableur (#DIV/0!)"),
        "{stderr}"
    );
    assert_eq!(
        env.sql("SELECT count(*) FROM offre WHERE code_postal LIKE '#%' OR thematiques LIKE '%#%'"),
        0
    );
}

#[test]
fn merged_cells_give_their_value_to_every_row_they_cover() {
    for format in ["xlsx", "xls", "ods"] {
        let env = Env::initialisee();
        let (code, bilan, stderr) = importer(&env, &feuille(&format!("fusion.{format}")), &["--appliquer"]);
        assert_eq!((code, bilan["valides"].as_u64()), (0, Some(3)), "{format} : {stderr}");
        assert_eq!(
            env.sql(
                "SELECT count(*) FROM offre WHERE structure_nom = 'Mission locale du Nord meusien' AND commune = '55545'"
            ),
            3,
            "{format}"
        );
    }
}

/// A formula saved by a program that does not compute it holds no value: the cell reads
/// empty, with a warning that names its column and row and says how to get its value.
#[test]
fn a_formula_never_computed_is_said_not_read_as_a_value() {
    let env = Env::initialisee();
    let (code, bilan, stderr) = importer(&env, &feuille("formules.xlsx"), &["--appliquer"]);
    assert_eq!((code, bilan["valides"].as_u64()), (0, Some(2)), "{stderr}");
    assert!(
        stderr.contains("colonne « Ville » : formule jamais calculée")
            && stderr.contains("enregistrez-le pour calculer ses formules")
            && stderr.contains("(ligne 2)"),
        "{stderr}"
    );
    assert_eq!(env.sql("SELECT count(*) FROM offre WHERE commune = '55545'"), 1);
}

/// A workbook with more shared strings than spie keeps in memory (2,000 bytes here, 4 MB
/// otherwise): the others are read back from a temporary file as the cells name them, and
/// the offers are those of the same rows sent as CSV.
#[test]
fn a_workbook_whose_strings_exceed_memory_gives_the_offers_of_the_same_csv() {
    let entetes = [
        "Nom du service", "Structure", "Description", "Thème", "Ville", "Code postal", "Mise à jour",
    ];
    let lignes: Vec<Vec<String>> = (0..300)
        .map(|i| {
            let theme = ["Garde d’enfants", "mobilite--preparer-un-permis"][i % 2];
            [
                &format!("Atelier n° {i}"),
                "CCAS de Verdun",
                &format!("Accompagnement {i} : « entretien » & suivi <personnalisé>"),
                theme,
                "Verdun",
                "55100",
                "2026-10-01",
            ]
            .map(str::to_owned)
            .to_vec()
        })
        .collect();
    let csv_env = Env::initialisee();
    let csv = csv_env.chemin("offres.csv");
    let texte: Vec<String> = std::iter::once(entetes.join(";"))
        .chain(lignes.iter().map(|l| l.join(";")))
        .collect();
    std::fs::write(&csv, texte.join("\n")).unwrap();
    let (code, bilan, stderr) = importer(&csv_env, &csv, &["--appliquer"]);
    assert_eq!((code, &bilan["ajoutees"]), (0, &serde_json::json!(300)), "{stderr}");

    let env = Env::initialisee();
    let xlsx = env.chemin("offres.xlsx");
    let mut classeur = rust_xlsxwriter::Workbook::new();
    let feuille = classeur.add_worksheet();
    for (c, t) in entetes.iter().enumerate() {
        feuille.write_string(0, c as u16, *t).unwrap();
    }
    for (r, ligne) in lignes.iter().enumerate() {
        for (c, v) in ligne.iter().enumerate() {
            feuille.write_string(r as u32 + 1, c as u16, v).unwrap();
        }
    }
    classeur.save(&xlsx).unwrap();
    let out = env
        .spie(&[
            "offre", "importer", &xlsx, "--source", "ccas", "--appliquer", "--format", "json",
        ])
        .env("SPIE_CHAINES_EN_MEMOIRE", "2000")
        .output()
        .unwrap();
    let bilan: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(bilan["ajoutees"], 300, "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(offres(&env), offres(&csv_env));
    let descriptions =
        "SELECT count(*) FROM offre WHERE description LIKE 'Accompagnement % : « entretien » & suivi <personnalisé>'";
    assert_eq!(env.sql(descriptions), 300);
}

/// A postal code held as a number in a workbook (`5100` for `05100` or `55100`) goes
/// through the rule of a CSV's text cell: its zero is put back only when the row's
/// commune confirms it, never silently.
#[test]
fn a_numeric_postal_code_of_four_digits_is_checked_against_the_commune() {
    let env = Env::initialisee();
    let xlsx = env.chemin("cp.xlsx");
    let mut classeur = commun::classeur(&["Identifiant", "Nom du service", "Ville", "Code postal", "Mise à jour"]);
    let feuille = classeur.worksheet_from_index(0).unwrap();
    for (r, (id, ville, cp)) in [
        ("GAP", "Gap", 5000.0),
        ("VERDUN", "Verdun", 5100.0),
        ("SANS", "", 5100.0),
    ]
    .into_iter()
    .enumerate()
    {
        let r = r as u32 + 1;
        feuille.write_string(r, 0, id).unwrap();
        feuille.write_string(r, 1, format!("Offre {id}")).unwrap();
        feuille.write_string(r, 2, ville).unwrap();
        feuille.write_number(r, 3, cp).unwrap();
        feuille.write_string(r, 4, "2026-11-02").unwrap();
    }
    classeur.save(&xlsx).unwrap();
    let (code, bilan, stderr) = importer(&env, &xlsx, &["--appliquer"]);
    assert_eq!((code, bilan["valides"].as_i64()), (0, Some(3)), "{stderr}");
    let cp = |id: &str| {
        let conn = rusqlite::Connection::open(env.base()).unwrap();
        conn.query_row(
            "SELECT ifnull(code_postal, '') FROM offre WHERE identifiant = ?1",
            [id],
            |r| r.get::<_, String>(0),
        )
        .unwrap()
    };
    assert_eq!(
        (cp("GAP"), cp("VERDUN"), cp("SANS")),
        ("05000".into(), "55100".into(), String::new()),
        "{stderr}"
    );
    commun::dit_tout(
        &stderr,
        &[
            "code postal « 5000 » lu « 05000 » (zéro initial perdu par le tableur) (ligne 2)",
            "code postal « 5100 » : n'est pas celui de Verdun ; remplacé par 55100",
            "code postal « 5100 » : quatre chiffres, sans commune pour le vérifier ; ignoré (ligne 4)",
        ],
    );
}
