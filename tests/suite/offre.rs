//! Importing partners' offer lists: encodings, separators, validation, rejects, upsert,
//! withdrawal, profiles.

use super::commun::{self, Env, fixture};

fn importer(env: &Env, fichier: &str, autres: &[&str]) -> (i32, serde_json::Value, String) {
    commun::importer(env, fichier, "partenaire", autres)
}

fn noms(env: &Env) -> Vec<String> {
    let conn = rusqlite::Connection::open(env.base()).unwrap();
    let mut stmt = conn
        .prepare("SELECT nom FROM offre WHERE retiree_le IS NULL ORDER BY identifiant")
        .unwrap();
    stmt.query_map([], |r| r.get(0)).unwrap().map(Result::unwrap).collect()
}

#[test]
fn every_encoding_and_separator_gives_the_same_offers() {
    for (fichier, encodage, separateur) in [
        ("offres/utf8-point-virgule.csv", "UTF-8", ";"),
        ("offres/utf8-bom-tabulation.csv", "UTF-8", "tab"),
        ("offres/windows-1252-virgule.csv", "windows-1252", ","),
        ("offres/utf16-bom-barre.csv", "UTF-16LE", "|"),
    ] {
        let env = Env::initialisee();
        let (code, bilan, stderr) = importer(&env, &fixture(fichier), &["--appliquer"]);
        assert_eq!(code, 0, "{fichier} : {stderr}");
        assert_eq!(
            (bilan["encodage"].as_str(), bilan["separateur"].as_str()),
            (Some(encodage), Some(separateur)),
            "{fichier}"
        );
        assert_eq!(
            (bilan["lignes"].as_i64(), bilan["ajoutees"].as_i64()),
            (Some(3), Some(3)),
            "{fichier} : {bilan}"
        );
        assert_eq!(
            noms(&env),
            [
                "Création d'activité : premier rendez-vous",
                "Garage solidaire de l'Ornain",
                "Atelier numérique « Premiers pas »"
            ],
            "{fichier}"
        );
        let conn = rusqlite::Connection::open(env.base()).unwrap();
        let (description, commune, thematiques): (String, String, String) = conn
            .query_row(
                "SELECT description, commune, thematiques FROM offre WHERE identifiant = 'NUM-2'",
                [],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
            )
            .unwrap();
        assert_eq!(
            description, "Apprendre à utiliser un ordinateur ;\nfaire ses démarches en ligne.",
            "{fichier}"
        );
        assert_eq!(commune, "55181", "Étain, par son nom et son code postal");
        assert_eq!(thematiques, "numerique--maitriser-les-fondamentaux-du-numerique");
        let v0: String = conn
            .query_row("SELECT thematiques FROM offre WHERE identifiant = 'EMP-3'", [], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(v0, "creer-une-entreprise", "thématique v0 traduite");
    }
}

#[test]
fn a_preview_writes_nothing_and_a_second_import_changes_nothing() {
    let env = Env::initialisee();
    let fichier = fixture("offres/utf8-point-virgule.csv");
    let (code, bilan, stderr) = importer(&env, &fichier, &[]);
    assert_eq!(code, 0);
    assert_eq!(bilan["applique"], false);
    assert!(stderr.contains("aperçu"), "{stderr}");
    assert_eq!(env.sql("SELECT count(*) FROM offre"), 0);
    importer(&env, &fichier, &["--appliquer"]);
    env.ok(&["base", "sauvegarder", "avant.sqlite"]);
    let (_, bilan, _) = importer(&env, &fichier, &["--appliquer"]);
    assert_eq!(
        (
            bilan["inchangees"].as_i64(),
            bilan["ajoutees"].as_i64(),
            bilan["modifiees"].as_i64()
        ),
        (Some(3), Some(0), Some(0))
    );
    let dump = |base: &str| -> Vec<String> {
        let conn = rusqlite::Connection::open(env.dir.path().join(base)).unwrap();
        let mut stmt = conn.prepare("SELECT * FROM offre ORDER BY id").unwrap();
        let n = stmt.column_count();
        stmt.query_map([], |r| {
            Ok((0..n)
                .map(|i| format!("{:?}", r.get_ref(i).unwrap()))
                .collect::<Vec<_>>()
                .join("|"))
        })
        .unwrap()
        .map(Result::unwrap)
        .collect()
    };
    assert_eq!(
        dump("spie.sqlite"),
        dump("avant.sqlite"),
        "un second import identique ne change rien"
    );
}

#[test]
fn bad_rows_are_rejected_with_line_column_value_and_reason() {
    let env = Env::initialisee();
    let rejets = env.dir.path().join("rejets.csv");
    let (code, bilan, stderr) = importer(
        &env,
        &fixture("offres/lignes-en-erreur.csv"),
        &["--appliquer", "--rejets", rejets.to_str().unwrap()],
    );
    assert_eq!(code, 3, "des lignes rejetées : code 3");
    assert_eq!(
        (bilan["valides"].as_i64(), bilan["rejetees"].as_i64()),
        (Some(3), Some(4)),
        "{bilan}"
    );
    for attendu in [
        "ligne 8 rejetée, colonne « Identifiant », valeur vide : identifiant obligatoire manquant",
        "ligne 11 rejetée, colonne « Date de mise à jour », valeur « 31/02/2026 »",
        "colonne « Thématiques », valeur « mobilite--passer-le-permis » : thématique",
        "vouliez-vous dire",
        "colonne « Ville », valeur « Verdunn » : commune inconnue",
        "Verdun (55)",
        "colonne « Date de mise à jour », valeur « 31/02/2026 »",
    ] {
        assert!(stderr.contains(attendu), "« {attendu} » absent de :\n{stderr}");
    }
    assert_eq!(
        env.sql("SELECT count(*) FROM offre"),
        3,
        "les lignes valides sont importées"
    );
    // The rejects open in a spreadsheet: `;`, UTF-8 with BOM, a reason column.
    let octets = std::fs::read(&rejets).unwrap();
    assert!(octets.starts_with(b"\xef\xbb\xbf"));
    let texte = String::from_utf8(octets[3..].to_vec()).unwrap();
    let mut lecteur = csv::ReaderBuilder::new().delimiter(b';').from_reader(texte.as_bytes());
    let entetes = lecteur.headers().unwrap().clone();
    assert_eq!(entetes.iter().next_back(), Some("motif_rejet"));
    let lignes: Vec<csv::StringRecord> = lecteur.records().map(Result::unwrap).collect();
    assert_eq!(lignes.len(), 4);
    assert_eq!(&lignes[1][0], "BAD-5");
    assert!(
        lignes[1].iter().next_back().unwrap().contains("thématique"),
        "{:?}",
        lignes[1]
    );
}

#[test]
fn strict_refuses_the_whole_file() {
    let env = Env::initialisee();
    let (code, bilan, stderr) = importer(
        &env,
        &fixture("offres/lignes-en-erreur.csv"),
        &["--appliquer", "--strict"],
    );
    assert_eq!(code, 3);
    assert_eq!(bilan["applique"], false);
    assert!(stderr.contains("rien n'a été importé"), "{stderr}");
    assert_eq!(env.sql("SELECT count(*) FROM offre"), 0);
}

#[test]
fn offers_missing_from_a_new_import_are_withdrawn_not_deleted() {
    let env = Env::initialisee();
    importer(&env, &fixture("offres/utf8-point-virgule.csv"), &["--appliquer"]);
    // A partial file withdraws nothing.
    let (_, bilan, _) = importer(&env, &fixture("offres/mise-a-jour.csv"), &["--appliquer", "--partiel"]);
    assert_eq!(
        (bilan["modifiees"].as_i64(), bilan["retirees"].as_i64()),
        (Some(1), Some(0))
    );
    let (_, bilan, _) = importer(&env, &fixture("offres/mise-a-jour.csv"), &["--appliquer"]);
    assert_eq!(
        (bilan["inchangees"].as_i64(), bilan["retirees"].as_i64()),
        (Some(2), Some(1))
    );
    assert_eq!(env.sql("SELECT count(*) FROM offre"), 3, "rien n'est supprimé");
    assert_eq!(
        env.sql("SELECT count(*) FROM offre WHERE identifiant = 'MOB-1' AND retiree_le = '2026-11-26'"),
        1
    );
    // It comes back: active again.
    let (_, bilan, _) = importer(&env, &fixture("offres/utf8-point-virgule.csv"), &["--appliquer"]);
    assert_eq!(
        (bilan["modifiees"].as_i64(), bilan["retirees"].as_i64()),
        (Some(2), Some(0))
    );
    assert_eq!(env.sql("SELECT count(*) FROM offre WHERE retiree_le IS NOT NULL"), 0);
}

#[test]
fn a_rejected_row_does_not_withdraw_the_offer_it_names() {
    let env = Env::initialisee();
    importer(&env, &fixture("offres/utf8-point-virgule.csv"), &["--appliquer"]);
    // The partner's next file: MOB-1 with an impossible date, the two others unchanged.
    let source = std::fs::read_to_string(fixture("offres/utf8-point-virgule.csv")).unwrap();
    let suivant = source.replace(
        "mobilite--entretenir-reparer-son-vehicule;55029;;55000;03 29 79 00 01;garage@example.org;2026-10-01",
        "mobilite--entretenir-reparer-son-vehicule;55029;;55000;03 29 79 00 01;garage@example.org;31/02/2026",
    );
    assert_ne!(suivant, source);
    let chemin = env.dir.path().join("suivant.csv");
    std::fs::write(&chemin, suivant).unwrap();
    let (code, bilan, _) = importer(&env, chemin.to_str().unwrap(), &["--appliquer"]);
    assert_eq!(code, 3);
    assert_eq!(
        (
            bilan["rejetees"].as_i64(),
            bilan["inchangees"].as_i64(),
            bilan["retirees"].as_i64()
        ),
        (Some(1), Some(2), Some(0)),
        "{bilan}"
    );
    assert_eq!(
        env.sql(
            "SELECT count(*) FROM offre WHERE identifiant = 'MOB-1' AND retiree_le IS NULL AND date_maj = '2026-10-01'"
        ),
        1,
        "l'offre reste active, telle qu'importée la fois précédente"
    );
}

#[test]
fn a_repeated_identifiant_is_reported_and_the_last_row_wins() {
    let env = Env::initialisee();
    let (code, bilan, stderr) = importer(&env, &fixture("offres/doublons.csv"), &["--appliquer"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        (
            bilan["lignes"].as_i64(),
            bilan["ajoutees"].as_i64(),
            bilan["doublons"].as_i64()
        ),
        (Some(3), Some(2), Some(1)),
        "{bilan}"
    );
    assert!(
        stderr.contains("identifiant « DUP-1 » déjà donné ligne 2 : cette ligne remplace la précédente (ligne 4)"),
        "{stderr}"
    );
    assert!(
        stderr.contains(
            "3 lignes lues : 2 offres importées (données par 3 lignes valides, dont 1 en double), 0 rejetée \
             (2 ajoutées, 0 modifiée, 0 inchangée, 0 retirée)."
        ),
        "{stderr}"
    );
    assert_eq!(noms(&env), ["Permanence emploi du mardi", "Épicerie solidaire"]);
    // Searched by its last text only.
    let trouvees = |mot: &str| env.json(&["offre", "chercher", mot]).as_array().unwrap().len();
    assert_eq!((trouvees("mardi"), trouvees("lundi")), (1, 0));
    assert_eq!(
        env.sql(
            "SELECT count(*) FROM offre_thematique t JOIN offre o ON o.id = t.offre_id WHERE o.identifiant = 'DUP-1'"
        ),
        1
    );
}

#[test]
fn an_offer_whose_thematiques_change_is_matched_by_the_new_ones_only() {
    let env = Env::initialisee();
    let fichier = env.dir.path().join("themes.csv");
    let ecrire = |themes: &str| {
        let texte = format!(
            "id;nom;thematiques;code_insee;date_maj\nT-1;Permanence d'accès aux droits;{themes};55545;2026-10-01\n"
        );
        std::fs::write(&fichier, texte).unwrap();
    };
    ecrire("sante--acces-aux-soins");
    importer(&env, fichier.to_str().unwrap(), &["--appliquer"]);
    ecrire("mobilite--preparer-un-permis,numerique--acceder-a-des-services-en-ligne");
    let (code, bilan, stderr) = importer(&env, fichier.to_str().unwrap(), &["--appliquer"]);
    assert_eq!((code, bilan["modifiees"].as_i64()), (0, Some(1)), "{stderr}");
    let trouvees = |theme: &str| {
        env.json(&["offre", "chercher", "--thematique", theme])
            .as_array()
            .unwrap()
            .len()
    };
    assert_eq!(
        (trouvees("sante"), trouvees("mobilite"), trouvees("numerique")),
        (0, 1, 1)
    );
    assert_eq!(env.sql("SELECT count(*) FROM offre_thematique"), 2);
}

#[test]
fn a_renamed_offer_is_found_by_its_new_name_only() {
    let env = Env::initialisee();
    importer(&env, &fixture("offres/utf8-point-virgule.csv"), &["--appliquer"]);
    importer(&env, &fixture("offres/mise-a-jour.csv"), &["--appliquer"]);
    let trouvees = |mots: &[&str]| -> Vec<String> {
        let mut args = vec!["offre", "chercher"];
        args.extend(mots);
        env.json(&args)
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o["nom"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(
        trouvees(&["nouvelle", "session"]),
        ["Atelier numérique « Premiers pas » (nouvelle session)"]
    );
    assert_eq!(trouvees(&["garage"]), Vec::<String>::new(), "retirée, plus proposée");
    assert_eq!(
        trouvees(&["ORDINAT", "numeriq", "sess"]),
        ["Atelier numérique « Premiers pas » (nouvelle session)"],
        "words of the name and the description, begun, accents and case aside"
    );
}

#[test]
fn the_france_services_list_imports_through_its_profile() {
    let env = Env::initialisee();
    let (code, bilan, stderr) = importer(
        &env,
        &fixture("france-services-meuse.csv"),
        &["--profil", &fixture("profils/france-services.toml"), "--appliquer"],
    );
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        (
            bilan["lignes"].as_i64(),
            bilan["ajoutees"].as_i64(),
            bilan["rejetees"].as_i64()
        ),
        (Some(22), Some(22), Some(0))
    );
    assert!(
        stderr.contains("code postal « 55100 » : ne correspond pas à Dun-sur-Meuse (55110)"),
        "{stderr}"
    );
    assert_eq!(
        env.sql("SELECT count(*) FROM offre WHERE commune LIKE '55%' AND latitude IS NOT NULL"),
        22
    );
    assert_eq!(env.sql("SELECT count(DISTINCT offre_id) FROM offre_thematique t JOIN thematique th ON th.id = t.thematique_id WHERE th.code = 'numerique--acceder-a-des-services-en-ligne'"), 22);
    // Opening hours, one column per day, kept in the data·inclusion format; but not
    // Varennes', whose Friday ranges overlap.
    assert_eq!(
        env.sql("SELECT count(*) FROM offre WHERE horaires_accueil LIKE 'Mo %'"),
        21
    );
    assert!(
        stderr.contains(
            "horaires du vendredi « 09:00 - 16:30 / 13:30 - 16:30 » : des plages se chevauchent ; horaires de l'offre \
             non publiés (ligne 4)"
        ),
        "{stderr}"
    );
    let conn = rusqlite::Connection::open(env.base()).unwrap();
    let gondrecourt: String = conn
        .query_row(
            "SELECT horaires_accueil FROM offre WHERE identifiant = '317'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(
        gondrecourt,
        "Mo 14:00-16:30; Tu 09:00-12:00,14:00-16:30; We 09:00-12:00; Th 09:00-12:00,14:00-16:30; \
         Fr 09:00-12:00,14:00-16:30; Sa 09:00-12:00"
    );
    // The offer's page says them in French; its JSON keeps the stored format.
    let id = env.sql("SELECT id FROM offre WHERE identifiant = '317'").to_string();
    let page = env.ok(&["offre", "voir", &id, "--format", "csv"]);
    assert!(
        page.contains("lundi 14:00–16:30 ; mardi 09:00–12:00 et 14:00–16:30 ;"),
        "{page}"
    );
    assert_eq!(
        env.json(&["offre", "voir", &id])["horaires_accueil"],
        gondrecourt.as_str()
    );
    // prise_rdv says Oui or Non, not a link: a precision on how to reach the counter.
    let rdv = |valeur: &str| {
        env.sql(&format!(
            "SELECT count(*) FROM offre WHERE mobilisation_precisions LIKE '{valeur}%'"
        ))
    };
    let source = std::fs::read_to_string(fixture("france-services-meuse.csv")).unwrap();
    let oui = source.lines().filter(|l| l.contains(",\"Oui\",")).count() as i64;
    assert!(oui > 0 && oui < 22, "{oui}");
    assert_eq!(
        (rdv("Accueil avec ou sans rendez-vous"), rdv("Accueil sans rendez-vous")),
        (oui, 22 - oui)
    );
}

#[test]
fn unreadable_files_and_layouts_get_a_clear_error() {
    let env = Env::initialisee();
    std::fs::write(env.dir.path().join("vide.csv"), "\n\n").unwrap();
    std::fs::write(env.dir.path().join("colonnes.csv"), "a;b\n1;2\n").unwrap();
    std::fs::write(env.dir.path().join("profil.toml"), "[colonnes]\nidentite = \"id_fs\"\n").unwrap();
    std::fs::write(env.dir.path().join("manque.toml"), "[colonnes]\nid = \"absente\"\n").unwrap();
    let cas: &[(&[&str], i32, &str)] = &[
        (
            &["offre", "importer", "absent.csv", "--source", "x"],
            1,
            "impossible d'ouvrir absent.csv",
        ),
        (&["offre", "importer", ".", "--source", "x"], 1, "est un dossier"),
        (&["offre", "importer", "vide.csv", "--source", "x"], 1, "est vide"),
        (
            &["offre", "importer", "colonnes.csv", "--source", "x"],
            1,
            "aucune colonne ne donne le champ obligatoire « nom »",
        ),
        (
            &[
                "offre", "importer", "colonnes.csv", "--source", "x", "--encodage", "klingon",
            ],
            2,
            "encodage « klingon » inconnu",
        ),
        (
            &[
                "offre", "importer", "colonnes.csv", "--source", "x", "--separateur", "#",
            ],
            2,
            "séparateur « # » inconnu",
        ),
    ];
    for (args, code, attendu) in cas {
        let e = env.echec(args, *code);
        assert!(e.contains(attendu), "{args:?} : {e}");
    }
    let france_services = fixture("france-services-meuse.csv");
    let e = env.echec(
        &[
            "offre", "importer", &france_services, "--source", "x", "--profil", "profil.toml",
        ],
        1,
    );
    assert!(e.contains("champ « identite » inconnu"), "{e}");
    let e = env.echec(
        &[
            "offre", "importer", &france_services, "--source", "x", "--profil", "manque.toml",
        ],
        1,
    );
    assert!(
        e.contains("le profil attend la colonne « absente »") && e.contains("lib_fs"),
        "{e}"
    );
    // A Windows-1252 file read as UTF-8 says which flag to use.
    let e = env.echec(
        &[
            "offre",
            "importer",
            &fixture("offres/windows-1252-virgule.csv"),
            "--source",
            "x",
            "--encodage",
            "utf-8",
        ],
        1,
    );
    assert!(e.contains("--encodage windows-1252"), "{e}");
}

/// A base with the France services list and the synthetic partner list imported, each
/// under its own source.
fn catalogue() -> Env {
    let env = Env::initialisee();
    let (fs, profil, partenaire) = (
        fixture("france-services-meuse.csv"),
        fixture("profils/france-services.toml"),
        fixture("offres/utf8-point-virgule.csv"),
    );
    env.spie(&[
        "offre", "importer", &fs, "--source", "france-services", "--profil", &profil, "--appliquer",
    ])
    .assert()
    .success();
    env.spie(&[
        "offre", "importer", &partenaire, "--source", "partenaire", "--appliquer",
    ])
    .assert()
    .success();
    env
}

#[test]
fn the_catalogue_is_searched_by_words_thematique_place_and_fees() {
    let env = catalogue();
    let sources = env.json(&["offre", "sources"]);
    assert_eq!(sources[0]["source"], "france-services");
    assert_eq!(sources[0]["actives"], 22);
    assert_eq!(sources[1]["actives"], 3);
    assert_eq!(sources[1]["part_a_jour_6_mois"], 1.0);

    let atelier = env.json(&["offre", "chercher", "ATELIER", "numerique"]);
    assert_eq!(atelier.as_array().unwrap().len(), 1);
    assert_eq!(atelier[0]["nom"], "Atelier numérique « Premiers pas »");
    let mobilite = env.json(&["offre", "chercher", "--thematique", "mobilite"]);
    assert_eq!(mobilite[0]["nom"], "Garage solidaire de l'Ornain");
    let proches = env.json(&["offre", "chercher", "--commune", "Verdun", "--rayon", "10"]);
    let noms: Vec<&str> = proches
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["nom"].as_str().unwrap())
        .collect();
    assert!(
        noms.contains(&"France services de Verdun") && !noms.iter().any(|n| n.contains("Bar-le-Duc")),
        "{noms:?}"
    );
    assert!(
        proches
            .as_array()
            .unwrap()
            .iter()
            .all(|o| o["distance_km"].as_f64().unwrap() <= 10.0)
    );
    let gratuites = env.json(&["offre", "chercher", "--frais", "gratuit"]);
    assert_eq!(gratuites.as_array().unwrap().len(), 22);
    let e = env.echec(&["offre", "chercher", "--rayon", "10"], 2);
    assert!(e.contains("--rayon demande --commune"), "{e}");
    let e = env.echec(&["offre", "chercher", "--thematique", "mobilte"], 1);
    assert!(e.contains("vouliez-vous dire"), "{e}");

    let id = atelier[0]["id"].as_i64().unwrap().to_string();
    let offre = env.json(&["offre", "voir", &id]);
    assert_eq!(offre["identifiant"], "NUM-2");
    assert_eq!(offre["source"], "partenaire");
    // As in the export: the commune's name, and its INSEE code beside it.
    assert_eq!(offre["commune"], "Étain");
    assert_eq!(offre["code_insee"], "55181");
    assert_eq!(offre["code_postal"], "55400");
    let fiche = env.ok(&["offre", "voir", &id]);
    assert!(
        fiche.contains("Étain (55)") && fiche.contains("55400") && fiche.contains("55181"),
        "{fiche}"
    );
    let e = env.echec(&["offre", "voir", "999"], 1);
    assert!(e.contains("offre inconnue : 999"), "{e}");
}

/// `--public` takes a data·inclusion public (code or label): an unknown one is a usage
/// error that names it and suggests the nearest codes, not a silently empty list.
#[test]
fn an_unknown_public_is_refused_with_a_suggestion() {
    let env = catalogue();
    let jeunes = env.json(&["offre", "chercher", "--public", "jeunes"]);
    assert!(!jeunes.as_array().unwrap().is_empty());
    assert_eq!(env.json(&["offre", "chercher", "--public", "Jeunes"]), jeunes);
    // The label « Jeunes » in the singular is the same public.
    assert_eq!(env.json(&["offre", "chercher", "--public", "jeune"]), jeunes);
    for faute in ["jeunnes", "Jeûnes gens"] {
        let e = env.echec(&["offre", "chercher", "--public", faute], 2);
        assert!(e.contains("vouliez-vous dire jeunes"), "{faute} : {e}");
        assert!(e.contains("aide : "), "{e}");
    }
    let e = env.echec(&["offre", "chercher", "--public", "jeunnes"], 2);
    assert!(e.contains("public « jeunnes » inconnu"), "{e}");
}

#[test]
fn offers_are_proposed_for_the_persons_needs_with_reasons_then_prescribed() {
    let env = catalogue();
    let n = env
        .ouvrir(
            "Dupont",
            "Marie",
            "1985-03-12",
            "Verdun",
            &["--date", "2026-09-01", "--public", "de"],
        )
        .to_string();
    let e = env.echec(&["offre", "proposer", &n], 1);
    assert!(
        e.contains("aucun besoin connu") && e.contains("diagnostic nouveau"),
        "{e}"
    );
    // A dossier whose parcours is closed is told so, not sent to a diagnostic.
    let clos = env
        .ouvrir("Martin", "Paul", "1990-01-02", "Verdun", &["--date", "2026-09-01"])
        .to_string();
    env.ok(&[
        "parcours", "clore", &clos, "--motif", "demenagement", "--date", "2026-09-02",
    ]);
    let e = env.echec(&["offre", "proposer", &clos], 1);
    assert!(e.contains("n'a pas de parcours ouvert"), "{e}");
    env.ok(&[
        "diagnostic", "nouveau", &n, "--contrainte", "numerique=fort", "--contrainte", "mobilite=moyen", "--date",
        "2026-09-05",
    ]);
    let propositions = env.json(&["offre", "proposer", &n, "--rayon", "25", "--max", "5"]);
    let lignes = propositions.as_array().unwrap();
    assert_eq!(lignes.len(), 5);
    // The strong barrier comes first, nearest first: the France services of Verdun.
    assert_eq!(lignes[0]["nom"], "France services de Verdun");
    assert_eq!(lignes[0]["raison"], "frein fort : numérique");
    // Farther, both needs have offers: each need in turn, so that the first offers shown
    // answer both barriers, and the caseworker is told how many more there are.
    let deux = env.json(&["offre", "proposer", &n, "--rayon", "60", "--max", "2"]);
    assert_eq!(deux[0]["raison"], "frein fort : numérique", "{deux}");
    assert_eq!(deux[1]["raison"], "frein moyen : mobilité", "{deux}");
    let (_, dit) = env.ok_dit(&["offre", "proposer", &n, "--rayon", "25", "--max", "5"]);
    assert!(
        dit.contains("Les 5 premières des ") && dit.contains("chaque besoin à son tour"),
        "{dit}"
    );
    assert!(
        lignes
            .iter()
            .all(|l| l["distance_km"].as_f64().is_none_or(|d| d <= 25.0))
    );
    let distances: Vec<f64> = lignes
        .iter()
        .filter(|l| l["raison"] == "frein fort : numérique")
        .filter_map(|l| l["distance_km"].as_f64())
        .collect();
    assert!(distances.windows(2).all(|w| w[0] <= w[1]), "{distances:?}");
    // The garage of Bar-le-Duc (45 km) answers mobility only with a wider radius.
    let loin = env.json(&["offre", "proposer", &n, "--rayon", "60", "--max", "40"]);
    assert!(
        loin.as_array()
            .unwrap()
            .iter()
            .any(|l| l["nom"] == "Garage solidaire de l'Ornain" && l["raison"] == "frein moyen : mobilité")
    );

    let offre = lignes[0]["offre"].as_i64().unwrap().to_string();
    let action = env.json(&["offre", "prescrire", &n, &offre, "--date", "2026-09-10"]);
    let v = env.json(&["parcours", "voir", &n]);
    let a = &v["actions_sans_objectif"][0];
    assert_eq!(a["id"], action["id"]);
    assert_eq!(a["offre"].to_string(), offre);
    assert_eq!(a["statut"], "proposee");
    assert_eq!(a["libelle"], "France services de Verdun");
    let e = env.echec(&["offre", "prescrire", &n, "999"], 1);
    assert!(e.contains("offre inconnue"), "{e}");

    // An action typed by hand may use an offer of the catalogue too: its thematique by default.
    let garage = loin
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["nom"] == "Garage solidaire de l'Ornain")
        .unwrap()["offre"]
        .to_string();
    // The action of that id, as `parcours voir` shows it.
    let montree = |action: &serde_json::Value| {
        let v = env.json(&["parcours", "voir", &n]);
        v["actions_sans_objectif"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["id"] == action["id"])
            .unwrap()
            .clone()
    };
    let a = montree(&env.json(&[
        "parcours", "action", "ajouter", &n, "--libelle", "Faire réparer la voiture", "--offre", &garage, "--date",
        "2026-09-11",
    ]));
    assert_eq!(a["offre"].to_string(), garage);
    assert_eq!(a["thematique"], "mobilite--entretenir-reparer-son-vehicule");
    // The structure of the offer carries the action when spie knows it.
    env.ok(&["structure", "ajouter", "France services"]);
    let a = montree(&env.json(&[
        "parcours", "action", "ajouter", &n, "--libelle", "Déclaration d'impôts", "--offre", &offre,
    ]));
    assert_eq!(a["structure"], "France services", "{a}");
    let e = env.echec(
        &[
            "parcours", "action", "ajouter", &n, "--libelle", "Autre", "--offre", "999",
        ],
        1,
    );
    assert!(e.contains("offre inconnue") && e.contains("offre chercher"), "{e}");
}

/// The partner's file names no structure: its offers cannot be published, and the export
/// says so (code 3) while writing the France services.
#[test]
fn the_catalogue_exports_as_data_inclusion_services() {
    let env = catalogue();
    let out = env.spie(&["offre", "exporter", "--format", "json"]).output().unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(3), "{stderr}");
    let document: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let services = document["services"].as_array().unwrap();
    assert_eq!(services.len(), 22);
    let commercy = services.iter().find(|s| s["id"] == "france-services--318").unwrap();
    assert_eq!(commercy["source"], "france-services");
    assert_eq!(commercy["code_insee"], "55122");
    assert_eq!(commercy["commune"], "Commercy");
    assert_eq!(commercy["structure_id"], "france-services--france-services-55122");
    assert_eq!(
        document["structures"].as_array().unwrap().len(),
        22,
        "un guichet par commune"
    );
    assert!(
        stderr.contains("3 offres ne peuvent pas être publiées")
            && stderr.contains(
                "partenaire / MOB-1 « Garage solidaire de l'Ornain » (ligne 2 de utf8-point-virgule.csv) : \
                 nom de la structure absent"
            ),
        "{stderr}"
    );
    let out = env
        .spie(&[
            "offre", "exporter", "--format-sortie", "data-inclusion-csv", "--sortie", "publication",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(3));
    let texte = std::fs::read_to_string(env.dir.path().join("publication/services.csv")).unwrap();
    let mut lecteur = csv::Reader::from_reader(texte.as_bytes());
    assert_eq!(lecteur.headers().unwrap().get(0), Some("source"));
    assert_eq!(lecteur.records().count(), 22);
    let e = env.echec(
        &[
            "offre", "exporter", "--format-sortie", "data-inclusion-csv", "--sortie", "publication",
        ],
        1,
    );
    assert!(e.contains("existe déjà"), "{e}");
}

/// The header of the synthetic partner's files, then `lignes`, written in the test's folder.
fn fichier_partenaire(env: &Env, nom: &str, lignes: &[&str]) -> String {
    let source = std::fs::read_to_string(fixture("offres/utf8-point-virgule.csv")).unwrap();
    let entete = source.lines().next().unwrap();
    let chemin = env.dir.path().join(nom);
    let mut texte = format!("{entete}\n");
    for l in lignes {
        texte += l;
        texte += "\n";
    }
    std::fs::write(&chemin, texte).unwrap();
    chemin.display().to_string()
}

/// The line of the fixture that gives the offer `identifiant`.
fn ligne_du_partenaire(identifiant: &str) -> String {
    std::fs::read_to_string(fixture("offres/utf8-point-virgule.csv"))
        .unwrap()
        .lines()
        .find(|l| l.starts_with(identifiant))
        .unwrap()
        .to_owned()
}

#[test]
fn a_file_holding_only_its_header_withdraws_nothing() {
    let env = Env::initialisee();
    importer(&env, &fixture("offres/utf8-point-virgule.csv"), &["--appliquer"]);
    let tronque = fichier_partenaire(&env, "tronque.csv", &[]);
    // Even confirmed: a file that would leave the source without any offer is refused.
    for autres in [&["--appliquer"][..], &["--appliquer", "--retirer"]] {
        let (code, bilan, stderr) = importer(&env, &tronque, autres);
        assert_eq!(code, 1, "{autres:?} : {stderr}");
        assert_eq!(bilan, serde_json::Value::Null, "rien sur stdout");
        assert!(stderr.starts_with("erreur : "), "{stderr}");
        assert!(
            stderr.contains("retirerait les 3 offres actives") && stderr.contains("rien n'est importé"),
            "{stderr}"
        );
        assert_eq!(
            env.sql("SELECT count(*) FROM offre WHERE retiree_le IS NULL"),
            3,
            "rien n'est retiré"
        );
        assert_eq!(env.sql("SELECT count(*) FROM source WHERE dernier_import IS NULL"), 0);
    }
}

#[test]
fn withdrawing_more_than_half_of_a_source_needs_retirer() {
    let env = Env::initialisee();
    importer(&env, &fixture("offres/utf8-point-virgule.csv"), &["--appliquer"]);
    // The partner's next file keeps one offer of three, renamed.
    let emp = ligne_du_partenaire("EMP-3").replace("premier rendez-vous", "rendez-vous");
    let un_sur_trois = fichier_partenaire(&env, "un-sur-trois.csv", &[&emp]);
    let (code, _, stderr) = importer(&env, &un_sur_trois, &["--appliquer"]);
    assert_eq!(code, 1, "{stderr}");
    for attendu in [
        "retirerait 2 des 3 offres actives de la source « partenaire »",
        "plus de la moitié",
        "rien n'est importé",
        "--retirer",
        "--partiel",
    ] {
        assert!(stderr.contains(attendu), "« {attendu} » absent de :\n{stderr}");
    }
    assert_eq!(env.sql("SELECT count(*) FROM offre WHERE retiree_le IS NULL"), 3);
    assert_eq!(
        env.sql("SELECT count(*) FROM offre WHERE nom = 'Création d''activité : rendez-vous'"),
        0,
        "le reste du fichier n'est pas appliqué non plus"
    );
    // The preview says it, and writes nothing.
    let (code, bilan, stderr) = importer(&env, &un_sur_trois, &[]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(bilan["retirees"], 2);
    assert!(
        stderr.contains("attention : ") && stderr.contains("--retirer"),
        "{stderr}"
    );
    // --partiel applies the file and withdraws nothing.
    let (code, bilan, stderr) = importer(&env, &un_sur_trois, &["--appliquer", "--partiel"]);
    assert_eq!(
        (code, bilan["modifiees"].as_i64(), bilan["retirees"].as_i64()),
        (0, Some(1), Some(0)),
        "{stderr}"
    );
    assert_eq!(env.sql("SELECT count(*) FROM offre WHERE retiree_le IS NULL"), 3);
    // --retirer confirms.
    let (code, bilan, stderr) = importer(&env, &un_sur_trois, &["--appliquer", "--retirer"]);
    assert_eq!((code, bilan["retirees"].as_i64()), (0, Some(2)), "{stderr}");
    assert_eq!(env.sql("SELECT count(*) FROM offre WHERE retiree_le IS NULL"), 1);
}

#[test]
fn reimporting_a_file_with_a_repeated_identifiant_modifies_nothing() {
    let env = Env::initialisee();
    importer(&env, &fixture("offres/doublons.csv"), &["--appliquer"]);
    for _ in 0..2 {
        let (code, bilan, stderr) = importer(&env, &fixture("offres/doublons.csv"), &["--appliquer"]);
        assert_eq!(code, 0, "{stderr}");
        assert_eq!(
            (
                bilan["modifiees"].as_i64(),
                bilan["inchangees"].as_i64(),
                bilan["doublons"].as_i64()
            ),
            (Some(0), Some(2), Some(1)),
            "{bilan}"
        );
        assert!(
            stderr.contains(
                "2 offres importées (données par 3 lignes valides, dont 1 en double), 0 rejetée \
                 (0 ajoutée, 0 modifiée, 2 inchangées, 0 retirée)"
            ),
            "{stderr}"
        );
    }
    assert_eq!(noms(&env), ["Permanence emploi du mardi", "Épicerie solidaire"]);
    // Its last row changed: modified once, whatever the rows before it.
    let source = std::fs::read_to_string(fixture("offres/doublons.csv")).unwrap();
    let chemin = env.dir.path().join("doublons-2.csv");
    std::fs::write(&chemin, source.replace("du mardi", "du jeudi")).unwrap();
    let (_, bilan, _) = importer(&env, chemin.to_str().unwrap(), &["--appliquer"]);
    assert_eq!(
        (bilan["modifiees"].as_i64(), bilan["inchangees"].as_i64()),
        (Some(1), Some(1)),
        "{bilan}"
    );
    // Unchanged first, then changed by its repetition: modified.
    std::fs::write(
        &chemin,
        source
            .replace("du lundi", "du jeudi")
            .replace("du mardi", "du vendredi"),
    )
    .unwrap();
    importer(&env, chemin.to_str().unwrap(), &["--appliquer"]);
    std::fs::write(&chemin, source.replace("du lundi", "du vendredi")).unwrap();
    let (_, bilan, _) = importer(&env, chemin.to_str().unwrap(), &["--appliquer"]);
    assert_eq!(
        (bilan["modifiees"].as_i64(), bilan["inchangees"].as_i64()),
        (Some(1), Some(1)),
        "{bilan}"
    );
    assert_eq!(noms(&env), ["Permanence emploi du mardi", "Épicerie solidaire"]);
}

/// The number of the first active offer of the catalogue with thematique `theme`.
fn offre_du_theme(env: &Env, theme: &str) -> String {
    env.json(&["offre", "chercher", "--thematique", theme])[0]["id"]
        .as_i64()
        .unwrap()
        .to_string()
}

#[test]
fn prescribing_an_offer_already_in_progress_in_the_parcours_warns() {
    let env = catalogue();
    let n = env
        .ouvrir("Dupont", "Marie", "1985-03-12", "Verdun", &["--date", "2026-09-01"])
        .to_string();
    let offre = offre_du_theme(&env, "numerique");
    let premiere = env.spie(&["offre", "prescrire", &n, &offre]).output().unwrap();
    assert!(premiere.status.success());
    let stderr = String::from_utf8(premiere.stderr).unwrap();
    assert!(!stderr.contains("attention"), "{stderr}");
    let action = String::from_utf8(premiere.stdout).unwrap().trim().to_owned();
    let seconde = env.spie(&["offre", "prescrire", &n, &offre]).output().unwrap();
    assert!(seconde.status.success(), "un avertissement, pas une erreur");
    let stderr = String::from_utf8(seconde.stderr).unwrap();
    assert!(
        stderr.contains(&format!(
            "attention : l'offre {offre} est déjà prescrite dans ce parcours (action n° {action}, proposée)"
        )),
        "{stderr}"
    );
    // Refused or abandoned, it may be prescribed again without a word.
    for action in env.json(&["parcours", "voir", &n])["actions_sans_objectif"]
        .as_array()
        .unwrap()
    {
        env.ok(&["parcours", "action", "statut", &action["id"].to_string(), "refusee"]);
    }
    let troisieme = env.spie(&["offre", "prescrire", &n, &offre]).output().unwrap();
    let stderr = String::from_utf8(troisieme.stderr).unwrap();
    assert!(troisieme.status.success() && !stderr.contains("attention"), "{stderr}");
}

#[test]
fn a_prescribed_action_carries_the_offers_thematique() {
    let env = catalogue();
    let n = env
        .ouvrir("Dupont", "Marie", "1985-03-12", "Verdun", &["--date", "2026-09-01"])
        .to_string();
    let objectif = env.json(&[
        "parcours", "objectif", "ajouter", &n, "--thematique", "mobilite--preparer-un-permis",
    ])["id"]
        .to_string();
    let thematique = |action: &serde_json::Value| -> String {
        let conn = rusqlite::Connection::open(env.base()).unwrap();
        conn.query_row(
            "SELECT thematique FROM action WHERE id = ?1",
            [action["id"].as_i64()],
            |r| r.get(0),
        )
        .unwrap()
    };
    // A digital offer prescribed for a mobility objective stays a digital action.
    let numerique = env.json(&["offre", "chercher", "atelier", "numerique"])[0]["id"].to_string();
    let action = env.json(&["offre", "prescrire", &n, &numerique, "--objectif", &objectif]);
    assert_eq!(
        thematique(&action),
        "numerique--maitriser-les-fondamentaux-du-numerique"
    );
    let action = env.json(&[
        "parcours", "action", "ajouter", &n, "--libelle", "Démarches", "--offre", &numerique, "--objectif", &objectif,
    ]);
    assert_eq!(
        thematique(&action),
        "numerique--maitriser-les-fondamentaux-du-numerique"
    );
    // An offer with several thematiques: the one that answers the need.
    let fichier = env.dir.path().join("plusieurs.csv");
    std::fs::write(
        &fichier,
        "id;nom;thematiques;code_insee;date_maj\n\
         P-1;Point mobilité et numérique;numerique--acceder-a-des-services-en-ligne,mobilite--preparer-un-permis;55545;2026-10-01\n",
    )
    .unwrap();
    env.ok(&[
        "offre",
        "importer",
        fichier.to_str().unwrap(),
        "--source",
        "autre",
        "--appliquer",
    ]);
    let double = env.json(&["offre", "chercher", "point", "mobilite"])[0]["id"].to_string();
    let action = env.json(&["offre", "prescrire", &n, &double, "--objectif", &objectif]);
    assert_eq!(thematique(&action), "mobilite--preparer-un-permis");
    let numerique_objectif =
        env.json(&["parcours", "objectif", "ajouter", &n, "--thematique", "numerique"])["id"].to_string();
    let action = env.json(&["offre", "prescrire", &n, &double, "--objectif", &numerique_objectif]);
    assert_eq!(thematique(&action), "numerique--acceder-a-des-services-en-ligne");
}

#[test]
fn huge_headers_and_cells_are_echoed_bounded() {
    let env = Env::initialisee();
    let enorme = "x".repeat(1 << 20);
    // A header without the required columns: the columns are listed, each bounded.
    let chemin = env.dir.path().join("entete.csv");
    std::fs::write(&chemin, format!("{enorme};id\n1;Atelier\n")).unwrap();
    let e = env.echec(&["offre", "importer", chemin.to_str().unwrap(), "--source", "x"], 1);
    assert!(
        e.contains("« nom »") && e.contains("xxx…"),
        "{}",
        &e[..e.len().min(500)]
    );
    assert!(e.len() < 2_000, "{} octets sur la sortie d'erreur", e.len());
    // Cells: every rejected value and every suggestion bounded.
    std::fs::write(
        &chemin,
        format!(
            "id;nom;ville;thematiques;date_maj;publics;{enorme}\n\
             A;{enorme};Verdun;mobilite;2026-10-01;tous-publics;1\n\
             B;Atelier;{enorme};mobilite;2026-10-01;tous-publics;1\n\
             C;Atelier;Verdun;{enorme};2026-10-01;tous-publics;1\n\
             D;Atelier;Verdun;mobilite;{enorme};tous-publics;1\n\
             E;Atelier;Verdun;mobilite;2026-10-01;{enorme};1\n"
        ),
    )
    .unwrap();
    let (code, bilan, stderr) = importer(&env, chemin.to_str().unwrap(), &[]);
    assert_eq!(
        (code, bilan["rejetees"].as_i64()),
        (3, Some(4)),
        "{}",
        &stderr[..stderr.len().min(2_000)]
    );
    assert!(stderr.len() < 8_000, "{} octets sur la sortie d'erreur", stderr.len());
    assert!(stderr.contains("xxx…"), "{stderr}");
    assert!(
        bilan["colonnes_ignorees"][0].as_str().unwrap().chars().count() < 200,
        "le bilan aussi"
    );
}

#[test]
fn control_characters_in_a_file_are_refused_with_line_and_column() {
    let env = Env::initialisee();
    let num = ligne_du_partenaire("EMP-3");
    for (cellule, code) in [("Création\0d'activité", "U+0000"), ("Création\u{1b}[2J", "U+001B")] {
        let chemin = fichier_partenaire(
            &env,
            "controle.csv",
            &[
                &ligne_du_partenaire("MOB-1"),
                &num.replace("Création d'activité", cellule),
            ],
        );
        let e = env.echec(&["offre", "importer", &chemin, "--source", "x", "--appliquer"], 1);
        assert!(
            e.contains("ligne 3, colonne « Intitulé »") && e.contains("caractère de contrôle") && e.contains(code),
            "{e}"
        );
        assert_eq!(env.sql("SELECT count(*) FROM offre"), 0, "rien n'est importé");
    }
    // In the header too.
    let chemin = env.dir.path().join("entete.csv");
    std::fs::write(&chemin, "id;nom\u{7}\nA;Atelier\n").unwrap();
    let e = env.echec(&["offre", "importer", chemin.to_str().unwrap(), "--source", "x"], 1);
    assert!(e.contains("ligne 1") && e.contains("U+0007"), "{e}");
    // Tabs and line breaks inside a quoted cell are text.
    let chemin = fichier_partenaire(
        &env,
        "tabulation.csv",
        &[&num.replace("Accompagnement des", "\"Accompagnement\tdes\r\nsuite\"")],
    );
    let (code, bilan, stderr) = importer(&env, &chemin, &["--appliquer"]);
    assert_eq!((code, bilan["ajoutees"].as_i64()), (0, Some(1)), "{stderr}");
}

/// A profile the TOML reader refuses is told in French, with its line and where the
/// format is described; nothing in English.
#[test]
fn a_malformed_profile_is_told_in_french_with_its_line() {
    let env = Env::initialisee();
    let france_services = fixture("france-services-meuse.csv");
    let cas: &[(&str, &str)] = &[
        (
            "[colonnes]\nnom = \"lib_fs\"\nid = 3\n",
            "ligne 3 : attendu : un texte ; trouvé : un nombre",
        ),
        ("[colonnes\nid = \"id_fs\"\n", "ligne 1 : "),
        (
            "[colonnes]\nid = \"id_fs\"\n\n[autre]\nx = \"y\"\n",
            "ligne 4 : champ inconnu `autre`",
        ),
        ("[colonnes]\nid = \"id_fs\"\nid = \"lib_fs\"\n", "ligne 3 : "),
    ];
    for (profil, attendu) in cas {
        std::fs::write(env.dir.path().join("profil.toml"), profil).unwrap();
        let e = env.echec(
            &[
                "offre", "importer", &france_services, "--source", "x", "--profil", "profil.toml",
            ],
            1,
        );
        assert!(e.contains("profil profil.toml illisible, "), "{profil} : {e}");
        assert!(e.contains(attendu), "{profil} : {e}");
        assert!(e.contains("aide : ") && e.contains("docs/guide.md"), "{profil} : {e}");
        for anglais in ["invalid", "expected", "unclosed", "unknown", "duplicate", "key"] {
            assert!(!e.contains(anglais), "« {anglais} » : {profil} : {e}");
        }
    }
}

/// A code with a letter missing gets the full code first, wherever a thematique is typed;
/// `offre thematiques` lists codes and labels by words.
#[test]
fn a_mistyped_thematique_suggests_the_full_code_first_everywhere() {
    let env = Env::initialisee();
    let n = env.ouvrir("Dupont", "Marie", "1985-03-12", "Verdun", &[]).to_string();
    let premiere = |e: &str| -> String {
        e.split("vouliez-vous dire ")
            .nth(1)
            .and_then(|s| s.trim_start_matches("« ").split([',', ' ']).next())
            .unwrap_or_default()
            .to_owned()
    };
    let faute = "mobilite--preparer-un-permi";
    for args in [
        vec!["parcours", "objectif", "ajouter", &n, "--thematique", faute],
        vec!["offre", "chercher", "--thematique", faute],
        vec![
            "diagnostic",
            "nouveau",
            &n,
            "--contrainte",
            "mobilite=fort",
            "--besoin",
            "se-former--trouver-sa-formatio",
        ],
    ] {
        let out = env.spie(&args).output().unwrap();
        assert!(!out.status.success(), "{args:?}");
        let e = String::from_utf8_lossy(&out.stderr);
        let attendu = if args.contains(&"--besoin") {
            "se-former--trouver-sa-formation"
        } else {
            "mobilite--preparer-un-permis"
        };
        assert_eq!(premiere(&e), attendu, "{args:?} : {e}");
    }
    let fichier = env.dir.path().join("faute.csv");
    std::fs::write(
        &fichier,
        format!("id;nom;thematiques;code_insee;date_maj\nF-1;Auto-école;{faute};55545;2026-10-01\n"),
    )
    .unwrap();
    let out = env
        .spie(&["offre", "importer", fichier.to_str().unwrap(), "--source", "s"])
        .output()
        .unwrap();
    let e = String::from_utf8_lossy(&out.stderr);
    assert_eq!(premiere(&e), "mobilite--preparer-un-permis", "{e}");

    let trouvees = env.json(&["offre", "thematiques", "permis"]);
    assert_eq!(
        trouvees,
        serde_json::json!([{"code": "mobilite--preparer-un-permis", "libelle": "Préparer un permis", "categorie": "mobilite"}])
    );
    assert_eq!(env.json(&["offre", "thematiques"]).as_array().unwrap().len(), 69);
    assert_eq!(env.json(&["offre", "thematiques", "zzzz"]), serde_json::json!([]));
    // Words as a person types them, that no thematique holds all of: the closest, told so.
    for (mots, premiere) in [
        (&["aide", "alimentaire"][..], "equipement-et-alimentation--alimentation"),
        (&["permis", "de", "conduire"], "mobilite--preparer-un-permis"),
    ] {
        let args = [&["offre", "thematiques"][..], mots, &["--format", "json"]].concat();
        let (sortie, dit) = env.ok_dit(&args);
        let liste: serde_json::Value = serde_json::from_str(&sortie).unwrap();
        assert_eq!(liste[0]["code"], premiere, "{mots:?} : {liste}");
        assert!(liste.as_array().unwrap().len() <= 10, "{liste}");
        assert!(
            dit.contains("Aucune thématique ne contient tous ces mots ; les plus proches d'abord"),
            "{dit}"
        );
    }
}

/// A partner's file without identifiers: each offer gets one computed from its name,
/// structure and commune, so that the same file, reordered or retyped, changes nothing.
#[test]
fn a_file_without_identifiers_is_imported_and_reimported_unchanged() {
    let env = Env::initialisee();
    let ecrire = |nom: &str, contenu: &str| {
        let chemin = env.dir.path().join(nom);
        std::fs::write(&chemin, contenu).unwrap();
        chemin.to_str().unwrap().to_owned()
    };
    let premier = ecrire(
        "sans-id.csv",
        "Intitulé;Structure;Ville;Thématiques;date_maj\n\
         Atelier CV;CCAS de Verdun;Verdun;preparer-sa-candidature;2026-10-01\n\
         Permis solidaire;Mission locale;Bar-le-Duc;mobilite--preparer-un-permis;2026-10-01\n\
         Épicerie sociale;CCAS de Verdun;Verdun;equipement-et-alimentation;2026-10-01\n",
    );
    let (code, bilan, stderr) = importer(&env, &premier, &["--appliquer"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        (bilan["ajoutees"].as_i64(), bilan["identifiants_calcules"].as_bool()),
        (Some(3), Some(true))
    );
    assert!(stderr.contains("identifiant calculé"), "{stderr}");
    // Reordered, retyped (case, accents, spaces): the same offers.
    let second = ecrire(
        "sans-id-2.csv",
        "Intitulé;Structure;Ville;Thématiques;date_maj\n\
         epicerie  sociale;ccas de verdun;VERDUN;equipement-et-alimentation;2026-10-01\n\
         Atelier CV;CCAS de Verdun;Verdun;preparer-sa-candidature;2026-10-01\n\
         Permis solidaire;Mission locale;Bar-le-Duc;mobilite--preparer-un-permis;2026-10-01\n",
    );
    let (code, bilan, stderr) = importer(&env, &second, &["--appliquer"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        (bilan["ajoutees"].as_i64(), bilan["retirees"].as_i64()),
        (Some(0), Some(0)),
        "{stderr}"
    );
    // Two rows naming the same offer: reported as repeated.
    let double = ecrire(
        "double.csv",
        "Intitulé;Structure;Ville;Thématiques;date_maj\n\
         Atelier CV;CCAS de Verdun;Verdun;preparer-sa-candidature;2026-10-01\n\
         ATELIER CV;CCAS de Verdun;Verdun;preparer-sa-candidature;2026-10-02\n",
    );
    let (_, bilan, stderr) = importer(&env, &double, &[]);
    assert_eq!(bilan["doublons"].as_i64(), Some(1), "{stderr}");
}

/// A partner's spreadsheet with French headers and data·inclusion labels where codes are
/// expected: typographic and straight apostrophes, any case, several values per cell
/// separated by `,` `;` `/` or line breaks, labels that hold a comma or a slash.
#[test]
fn labels_and_french_headers_give_the_codes() {
    let env = Env::initialisee();
    let (code, bilan, stderr) = importer(&env, &fixture("offres/libelles.csv"), &["--appliquer"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        (
            bilan["lignes"].as_i64(),
            bilan["ajoutees"].as_i64(),
            bilan["avec_avertissements"].as_i64()
        ),
        (Some(3), Some(3), Some(3)),
        "{bilan}\n{stderr}"
    );
    // The file has no description: the only warning, since data·inclusion requires one.
    let avertissements: Vec<&str> = stderr
        .lines()
        .filter(|l| l.contains("attention") || l.contains("ligne"))
        .collect();
    assert!(
        avertissements
            .iter()
            .all(|l| !l.contains("valeur inconnue") && !l.contains("illisible")),
        "{stderr}"
    );
    assert!(stderr.contains("description absente"), "{stderr}");
    assert_eq!(bilan["colonnes_ignorees"], serde_json::json!([]), "{bilan}");
    let conn = rusqlite::Connection::open(env.base()).unwrap();
    let offre = |id: &str| -> Vec<String> {
        conn.query_row(
            "SELECT nom, thematiques, publics, types, frais, modes_accueil, modes_mobilisation, \
             mobilisable_par, commune, date_maj, coalesce(lien_mobilisation, '') FROM offre WHERE identifiant = ?1",
            [id],
            |r| (0..11).map(|i| r.get(i)).collect(),
        )
        .unwrap()
    };
    assert_eq!(
        offre("LIB-1"),
        [
            "Garde ponctuelle pour les rendez-vous d’emploi",
            "famille--garde-denfants",
            "familles,femmes",
            "accompagnement",
            "gratuit",
            "a-distance,en-presentiel",
            "envoyer-un-courriel,telephoner",
            "professionnels,usagers",
            "55545",
            "2026-10-01",
            "https://example.org/garde",
        ]
    );
    assert_eq!(
        offre("LIB-2"),
        [
            "Permis et CV pour les jeunes",
            "famille--garde-denfants,mobilite--mobilite-douce-partagee-collective,\
             preparer-sa-candidature--realiser-un-cv-et-ou-une-lettre-de-motivation",
            "demandeurs-emploi,jeunes",
            "aide-financiere,atelier",
            "payant",
            "en-presentiel",
            "se-presenter",
            "usagers",
            "55181",
            "2026-09-15",
            "",
        ]
    );
    assert_eq!(
        offre("LIB-3"),
        [
            "Accès aux droits et épicerie",
            "difficultes-administratives-ou-juridiques--accompagnement-aux-demarches-administratives,\
             famille--garde-denfants,mobilite",
            "beneficiaires-des-minimas-sociaux,personnes-en-situation-durgence,residents-qpv-frr",
            "aide-materielle,information",
            "gratuit",
            "a-distance",
            "utiliser-lien-mobilisation",
            "professionnels",
            "55545",
            "2026-11-02",
            "https://example.org/droits",
        ]
    );
}

/// A caseworker may type a thematique's label where its code is expected.
#[test]
fn labels_are_accepted_wherever_a_thematique_is_typed() {
    let env = Env::initialisee();
    let n = env.ouvrir("Dupont", "Marie", "1985-03-12", "Verdun", &[]).to_string();
    env.ok(&[
        "parcours", "objectif", "ajouter", &n, "--thematique", "préparer un permis",
    ]);
    assert_eq!(
        env.sql("SELECT count(*) FROM objectif WHERE thematique = 'mobilite--preparer-un-permis'"),
        1
    );
    env.ok(&[
        "diagnostic", "nouveau", &n, "--contrainte", "mobilite=fort", "--besoin", "Trouver sa formation",
    ]);
    let d = env.json(&["diagnostic", "voir", &n]);
    assert_eq!(d["besoins"], serde_json::json!(["se-former--trouver-sa-formation"]));
    env.ok(&["offre", "chercher", "--thematique", "Préparer un permis"]);
    // A label of another category is not a professional need.
    let e = env.echec(&["diagnostic", "nouveau", &n, "--besoin", "Préparer un permis"], 2);
    assert!(e.contains("besoin") && !e.contains("Préparer"), "{e}");
}

/// Proposing offers reads the person's needs, prescribing writes in the parcours: neither
/// for an agent of another structure, the refusals audited. Applying an import is an
/// administrator's work; a preview is anyone's.
#[test]
fn proposing_prescribing_and_applying_an_import_are_refused_without_rights_and_audited() {
    let env = Env::initialisee();
    let n = env.ouvrir("Dupont", "Marie", "1985-03-12", "Verdun", &[]);
    let d = n.to_string();
    env.ok(&["diagnostic", "nouveau", &d, "--contrainte", "mobilite=fort"]);
    let partenaire = env.partenaire();
    let fichier = fixture("offres/utf8-point-virgule.csv");
    for args in [
        vec!["offre", "proposer", d.as_str()],
        vec!["offre", "prescrire", d.as_str(), "1"],
    ] {
        let mut avec_agent = args.clone();
        avec_agent.extend(["--agent", partenaire]);
        let e = env.echec(&avec_agent, 1);
        assert!(
            e.contains(&format!("vous ne suivez pas le dossier {d}")),
            "{args:?} : {e}"
        );
    }
    let (code, _, e) = commun::importer(&env, &fichier, "partenaire", &["--appliquer", "--agent", "m.durand"]);
    assert_eq!(code, 1, "{e}");
    assert!(e.contains("n'est pas administrateur"), "{e}");
    assert_eq!(env.sql("SELECT count(*) FROM offre"), 0);
    let (code, bilan, e) = commun::importer(&env, &fichier, "partenaire", &["--agent", "m.durand"]);
    assert_eq!(code, 0, "{e}");
    assert_eq!(bilan["applique"], false);
    assert_eq!(env.sql("SELECT count(*) FROM offre"), 0, "un aperçu n'écrit rien");
    assert_eq!(
        env.refus(),
        [
            (partenaire.to_owned(), "offre proposer".to_owned(), Some(n)),
            (partenaire.to_owned(), "offre prescrire".to_owned(), Some(n)),
            ("m.durand".to_owned(), "offre importer".to_owned(), None),
        ]
    );
    // The preview itself is in the trail.
    assert!(env.dans_le_journal("m.durand", "offre importer"));
}

/// A quote opened in a cell and never closed makes a CSV reader take the rest of the file
/// as one cell: the offers after it would look gone and be withdrawn. The file is refused,
/// naming the line, and the catalogue stays as it was.
#[test]
fn an_unclosed_quote_refuses_the_file_instead_of_withdrawing_the_offers_after_it() {
    let env = Env::initialisee();
    let entete = "id;nom;thematiques;code_insee;date_maj\n";
    let lignes: Vec<String> = (0..6)
        .map(|i| format!("K{i};Offre numéro {i};mobilite;55545;2026-10-01\n"))
        .collect();
    let sain = env.dir.path().join("sain.csv");
    std::fs::write(&sain, format!("{entete}{}", lignes.concat())).unwrap();
    let (code, _, _) = commun::importer(&env, sain.to_str().unwrap(), "ccas", &["--appliquer"]);
    assert_eq!(code, 0);
    let casse = env.dir.path().join("casse.csv");
    let mut lignes_cassees = lignes.clone();
    lignes_cassees[2] = "K2;\"Offre cassée;mobilite;55545;2026-10-01\n".into();
    std::fs::write(&casse, format!("{entete}{}", lignes_cassees.concat())).unwrap();
    let (code, _, stderr) = commun::importer(&env, casse.to_str().unwrap(), "ccas", &["--appliquer"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("ligne 4") && stderr.contains("guillemet"), "{stderr}");
    assert_eq!(
        env.sql("SELECT count(*) FROM offre WHERE retiree_le IS NULL"),
        6,
        "{stderr}"
    );
    // A text that spans lines in a cell is not taken for that.
    let adresse = env.dir.path().join("adresse.csv");
    std::fs::write(
        &adresse,
        format!("{entete}K9;\"Offre sur\ndeux lignes; avec un point-virgule\";mobilite;55545;2026-10-01\n"),
    )
    .unwrap();
    let (code, _, stderr) = commun::importer(&env, adresse.to_str().unwrap(), "autre", &["--appliquer"]);
    assert_eq!(code, 0, "{stderr}");
}

/// `--frais` takes a fee of the list, by code or label; another value is an error, not an
/// empty result.
#[test]
fn a_fee_outside_the_list_is_refused_not_found_empty() {
    let env = Env::initialisee();
    let e = env.echec(&["offre", "chercher", "--frais", "gratuite"], 2);
    assert!(
        e.contains("vouliez-vous dire « gratuit » ?") && e.contains("payant"),
        "{e}"
    );
    env.ok(&["offre", "chercher", "--frais", "Gratuit"]);
}

/// A partner's list as partners send it (French headers, no identifier, commune name and
/// INSEE code, one or two thematiques, a long description), `lignes` rows from `premiere`,
/// some cells left empty so that rows fill different sets of columns.
fn liste_de_partenaire(lignes: std::ops::Range<usize>, change: impl Fn(usize) -> bool) -> String {
    const THEMES: [&str; 6] = [
        "mobilite--acceder-a-un-vehicule",
        "equipement-et-alimentation--alimentation",
        "numerique--acceder-a-des-services-en-ligne",
        "famille--garde-denfants",
        "mobilite--preparer-un-permis",
        "se-former--trouver-sa-formation",
    ];
    const COMMUNES: [(&str, &str, &str); 4] = [
        ("Verdun", "55545", "55100"),
        ("Bar-le-Duc", "55029", "55000"),
        ("Étain", "55181", "55400"),
        ("Stenay", "55502", "55700"),
    ];
    const STRUCTURES: [&str; 3] = [
        "CCAS de Verdun",
        "Mission locale du Nord meusien",
        "Association Tremplin",
    ];
    let mut csv = String::from(
        "Nom du service;Structure;Description;Thème(s);Ville;Code INSEE;Code postal;Téléphone;Mise à jour;\
         Public(s) visé(s);Coût\n",
    );
    for i in lignes {
        let (ville, insee, postal) = COMMUNES[i % COMMUNES.len()];
        let description = match i % 17 {
            0 => String::new(),
            _ => format!(
                "Accompagnement n° {i}{} : entretien individuel, ateliers collectifs et suivi personnalisé \
                 jusqu'à l'accès à l'emploi ou à la formation.",
                if change(i) { " (nouveau)" } else { "" }
            ),
        };
        let themes = match i % 11 {
            0 => THEMES[i % 6].to_owned(),
            _ => format!("{}, {}", THEMES[i % 6], THEMES[(i / 6 + i + 1) % 6]),
        };
        let telephone = if i % 5 == 0 { "" } else { "03 29 86 12 34" };
        let date = if i % 7 == 0 { "" } else { "2026-10-01" };
        let public = if i % 3 == 0 { "" } else { "Tous publics" };
        let cout = ["Gratuit", "Payant", ""][i % 3];
        csv.push_str(&format!(
            "Atelier numéro {i};{};{description};{themes};{ville};{insee};{postal};{telephone};{date};{public};{cout}\n",
            STRUCTURES[i % STRUCTURES.len()]
        ));
    }
    csv
}

/// The catalogue as stored, every column of every offer, their thematiques by code, the
/// sources, and what two searches find.
fn catalogue_complet(env: &Env) -> String {
    let conn = rusqlite::Connection::open(env.base()).unwrap();
    let mut texte = String::new();
    // Every column of the offers but where each was read (the file and its line), which
    // moved into `offre` after this test was written.
    let colonnes: String = conn
        .query_row(
            "SELECT group_concat(name, ', ') FROM pragma_table_info('offre') WHERE name NOT IN ('lu_dans', 'ligne')",
            [],
            |r| r.get(0),
        )
        .unwrap();
    for requete in [
        &format!("SELECT {colonnes} FROM offre ORDER BY id"),
        "SELECT t.code, l.offre_id FROM offre_thematique l JOIN thematique t ON t.id = l.thematique_id \
         ORDER BY t.code, l.offre_id",
        "SELECT id, nom, dernier_import, externe FROM source ORDER BY id",
    ] {
        let mut stmt = conn.prepare(requete).unwrap();
        let colonnes = stmt.column_count();
        let mut lignes = stmt.query([]).unwrap();
        while let Some(ligne) = lignes.next().unwrap() {
            for i in 0..colonnes {
                let valeur: rusqlite::types::Value = ligne.get(i).unwrap();
                texte.push_str(&format!("{valeur:?}|"));
            }
            texte.push('\n');
        }
    }
    for recherche in [
        &["offre", "chercher", "accompagnement", "nouveau", "--format", "json"][..],
        &["offre", "chercher", "--thematique", "mobilite", "--format", "json"],
    ] {
        texte.push_str(&env.ok(recherche));
    }
    texte
}

/// The import was made faster (foreign keys checked from its last step on, only the
/// columns a row fills bound, a row's thematiques in one statement, the WAL copied on
/// another thread): it writes the same catalogue, byte for byte, as the import before it.
/// The digest below is the one the earlier binary gives on the same two files (run the
/// test with `SPIE_BINAIRE_ESSAI=<earlier binary>` to see it).
#[test]
fn a_partner_list_is_written_as_before_the_import_was_made_faster() {
    let env = Env::initialisee();
    let ecrire = |nom: &str, contenu: String| {
        let chemin = env.dir.path().join(nom);
        std::fs::write(&chemin, contenu).unwrap();
        chemin.to_str().unwrap().to_owned()
    };
    let premier = ecrire("liste.csv", liste_de_partenaire(0..300, |_| false));
    let (code, bilan, stderr) = importer(&env, &premier, &["--appliquer"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(bilan["ajoutees"], 300, "{bilan}");
    // The next month: rows reordered, one in ten changed, 50 gone, 20 new.
    let mut lignes: Vec<String> = liste_de_partenaire(0..320, |i| i % 10 == 3)
        .lines()
        .map(str::to_owned)
        .collect();
    let entete = lignes.remove(0);
    lignes.retain(|l| !(250..300).any(|i| l.starts_with(&format!("Atelier numéro {i};"))));
    lignes.reverse();
    let second = ecrire("liste-2.csv", format!("{entete}\n{}\n", lignes.join("\n")));
    let (code, bilan, stderr) = importer(&env, &second, &["--appliquer"]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        (&bilan["ajoutees"], &bilan["modifiees"], &bilan["retirees"]),
        (&20.into(), &24.into(), &50.into()),
        "{bilan}"
    );
    let conn = rusqlite::Connection::open(env.base()).unwrap();
    let orphelins: i64 = conn
        .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(orphelins, 0);
    let catalogue = catalogue_complet(&env);
    // The searches found offers (their JSON is part of what is compared).
    assert!(catalogue.contains("\"nom\": \"Atelier numéro 13\""), "{catalogue}");
    let empreinte = data_encoding::HEXLOWER.encode(&<sha2::Sha256 as sha2::Digest>::digest(catalogue.as_bytes()));
    // The searches' JSON got the field `a_distance` on 30 November: this print is the one
    // before, with that field alone added (checked by removing its lines).
    assert_eq!(
        empreinte, "a072ce75d247648bd3fa91948e194d612ab7fd76c5f6c7125b21c32bf8716cd5",
        "{catalogue}"
    );
}

/// The table, the CSV and the JSON of `offre voir` say the same: how the offer is taken
/// up when only who may do it and the details are given, and the quality with a decimal
/// comma (as `offre sources` writes it), a number in JSON.
#[test]
fn the_offer_page_says_the_same_in_table_csv_and_json() {
    let env = Env::initialisee();
    appliquer(
        &env,
        "id;nom;thematiques;code_insee;date_maj;mobilisable_par;mobilisation_precisions\n\
         M1;Atelier permis;mobilite--preparer-un-permis;55545;2026-10-01;usagers;Sur rendez-vous le mardi\n",
    );
    let json = env.json(&["offre", "voir", "1"]);
    assert_eq!(json["mobilisable_par"], serde_json::json!(["usagers"]));
    assert_eq!(json["mobilisation_precisions"], "Sur rendez-vous le mardi");
    let qualite = json["score_qualite"].as_f64().expect("un nombre en JSON");
    let attendue = format!("{qualite:.2}").replace('.', ",");
    let table = env.ok(&["offre", "voir", "1", "--format", "table"]);
    let ligne = |texte: &str, champ: &str| {
        let trouvee = texte.lines().find(|l| l.contains(champ));
        trouvee
            .unwrap_or_else(|| panic!("pas de ligne {champ} :\n{texte}"))
            .to_owned()
    };
    for sortie in [table.clone(), env.ok(&["offre", "voir", "1", "--format", "csv"])] {
        let mobilisation = ligne(&sortie, "Mobilisation");
        assert!(mobilisation.contains("par usagers"), "{mobilisation}");
        assert!(mobilisation.contains("Sur rendez-vous le mardi"), "{mobilisation}");
        let qualite = ligne(&sortie, "Qualité");
        assert!(qualite.contains(&attendue), "{qualite} (attendu {attendue})");
        assert!(!qualite.contains('.'), "{qualite}");
    }
    let sources = env.ok(&["offre", "sources", "--format", "table"]);
    let ligne_source = ligne(&sources, "partenaire");
    assert!(ligne_source.contains(&attendue), "{ligne_source}");
    // The search list writes it the same way.
    let chercher = env.ok(&["offre", "chercher", "permis", "--format", "table"]);
    let trouvee = ligne(&chercher, "Atelier permis");
    assert!(trouvee.contains(&attendue), "{trouvee} (attendu {attendue})");
}

/// Imports `texte` as the source `partenaire`, which must succeed.
fn appliquer(env: &Env, texte: &str) {
    let fichier = env.chemin("partenaire.csv");
    std::fs::write(&fichier, texte).unwrap();
    let (code, _, stderr) = importer(env, &fichier, &["--appliquer"]);
    assert_eq!(code, 0, "{stderr}");
}

/// An offer followed remotely shows « à distance » instead of kilometres: the proposals
/// say what it means, in the table and the CSV; the JSON writes no distance for it.
#[test]
fn a_remote_offer_is_explained_where_it_is_proposed() {
    let env = Env::initialisee();
    let entete = "id;nom;thematiques;code_insee;date_maj;modes_accueil";
    let verdun = "V1;Atelier numérique à Verdun;numerique--maitriser-les-fondamentaux-du-numerique;55545;2026-10-01;\
                  en-presentiel";
    let visio = "D1;Atelier numérique en visio;numerique--maitriser-les-fondamentaux-du-numerique;75056;2026-10-01;\
                 a-distance";
    appliquer(&env, &[entete, visio, verdun].join("\n"));
    let n = env
        .ouvrir("Dupont", "Marie", "1985-03-12", "Verdun", &["--date", "2026-09-01"])
        .to_string();
    env.ok(&[
        "diagnostic", "nouveau", &n, "--contrainte", "numerique=fort", "--non-interactif",
    ]);
    let legende = ") : l'offre se suit sans se déplacer (téléphone, visioconférence, en ligne)";
    for (format, colonne) in [("table", "Km"), ("csv", "distance_km")] {
        let out = env
            .spie(&["offre", "proposer", &n, "--format", format])
            .env("COLUMNS", "200")
            .output()
            .unwrap();
        let (sortie, dit) = (
            String::from_utf8(out.stdout).unwrap(),
            String::from_utf8(out.stderr).unwrap(),
        );
        assert!(
            sortie.contains("à distance") && sortie.contains("Atelier numérique en visio"),
            "{sortie}"
        );
        assert!(
            dit.contains(&format!("« à distance » (colonne {colonne}{legende}")),
            "{format} : {dit}"
        );
    }
    let json = env.json(&["offre", "proposer", &n]);
    let visio = commun::element(&json, "nom", "Atelier numérique en visio");
    assert_eq!(visio["distance_km"], serde_json::Value::Null);
    assert_eq!(visio["a_distance"], true);
    // `offre chercher` around Verdun finds it beyond --rayon too, and says why.
    let cherche = ["offre", "chercher", "--commune", "Verdun", "--rayon", "5"];
    let en_table = [&cherche[..], &["--format", "table"]].concat();
    let out = env.spie(&en_table).env("COLUMNS", "200").output().unwrap();
    let (sortie, dit) = (
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    );
    assert!(
        sortie.contains("Atelier numérique en visio") && sortie.contains("à distance"),
        "{sortie}"
    );
    assert!(dit.contains(&format!("« à distance » (colonne Km{legende}")), "{dit}");
    let trouvees = env.json(&cherche);
    let visio = commun::element(&trouvees, "nom", "Atelier numérique en visio");
    assert_eq!(visio["distance_km"], serde_json::Value::Null);
    assert_eq!(visio["a_distance"], true);
    let sur_place = commun::element(&trouvees, "nom", "Atelier numérique à Verdun");
    assert_eq!(sur_place["a_distance"], false);
    assert!(
        sur_place["distance_km"].as_f64().is_some_and(|d| d <= 5.0),
        "{trouvees}"
    );
    // Without a remote offer among the proposals, no legend.
    appliquer(&env, &[entete, verdun].join("\n"));
    let out = env
        .spie(&["offre", "proposer", &n, "--format", "table"])
        .output()
        .unwrap();
    let dit = String::from_utf8(out.stderr).unwrap();
    assert!(!dit.contains(legende), "{dit}");
}
