//! Hostile input on the command line: whatever number a script passes, spie answers with
//! a French error or a result, never a panic.

use std::any::TypeId;

use super::commun::{AUJOURDHUI, Env};

/// The types of the numeric options of spie.
fn est_numerique(arg: &clap::Arg) -> bool {
    let type_ = arg.get_value_parser().type_id();
    [
        TypeId::of::<i64>(),
        TypeId::of::<u64>(),
        TypeId::of::<i32>(),
        TypeId::of::<u32>(),
        TypeId::of::<usize>(),
    ]
    .into_iter()
    .any(|t| type_ == t)
}

/// A value `arg` accepts, for the arguments a command requires besides the one tested.
fn valeur_acceptee(arg: &clap::Arg) -> String {
    let essai = clap::Command::new("essai").arg(clap::Arg::new("v").value_parser(arg.get_value_parser().clone()));
    let possibles = arg.get_possible_values().into_iter().map(|v| v.get_name().to_owned());
    let candidats: Vec<String> = possibles
        .chain(["1", "x", AUJOURDHUI, "oui", "mobilite", "27/11/2026 10:00"].map(String::from))
        .collect();
    candidats
        .into_iter()
        .find(|c| essai.clone().try_get_matches_from(["essai", c]).is_ok())
        .unwrap_or_else(|| panic!("{} : aucune valeur acceptée", arg.get_id()))
}

/// Every command line that gives `valeur` to one numeric argument of one command, the
/// arguments it requires besides filled with accepted values.
fn lignes(valeur: &str) -> Vec<Vec<String>> {
    fn visiter(cmd: &clap::Command, chemin: &[String], valeur: &str, lignes: &mut Vec<Vec<String>>) {
        let mut chemin = chemin.to_vec();
        chemin.push(cmd.get_name().to_owned());
        for sous in cmd.get_subcommands() {
            visiter(sous, &chemin, valeur, lignes);
        }
        let propres: Vec<&clap::Arg> = cmd.get_arguments().filter(|a| !a.is_global_set()).collect();
        for teste in propres.iter().filter(|a| est_numerique(a)) {
            let mut options = Vec::new();
            let mut positionnels: Vec<(usize, String)> = Vec::new();
            for arg in &propres {
                let v = if arg.get_id() == teste.get_id() {
                    valeur.to_owned()
                } else if arg.is_required_set() {
                    valeur_acceptee(arg)
                } else {
                    continue;
                };
                match (arg.get_long(), arg.get_index()) {
                    (Some(long), _) => options.push(format!("--{long}={v}")),
                    (None, Some(i)) => positionnels.push((i, v)),
                    (None, None) => unreachable!("argument sans nom ni position"),
                }
            }
            positionnels.sort();
            let mut ligne: Vec<String> = chemin[1..].to_vec();
            ligne.extend(options);
            ligne.push("--".into());
            ligne.extend(positionnels.into_iter().map(|(_, v)| v));
            lignes.push(ligne);
        }
    }
    let mut commande = spie::cli::commande();
    commande.build();
    let mut lignes = Vec::new();
    visiter(&commande, &[], valeur, &mut lignes);
    lignes
}

#[test]
fn no_number_on_the_command_line_makes_spie_panic() {
    let env = Env::initialisee();
    env.ouvrir("Dupont", "Marie", "1985-03-12", "Verdun", &["--date", "2026-09-01"]);
    let extremes = [
        "0".to_string(),
        "-1".into(),
        i32::MAX.to_string(),
        (i64::from(i32::MAX) + 1).to_string(),
        u32::MAX.to_string(),
        i64::MAX.to_string(),
        i64::MIN.to_string(),
        u64::MAX.to_string(),
        "9".repeat(40),
    ];
    let mut essais = 0;
    for valeur in &extremes {
        for ligne in lignes(valeur) {
            let args: Vec<&str> = ligne.iter().map(String::as_str).collect();
            let sortie = env.spie(&args).output().unwrap();
            let stderr = String::from_utf8_lossy(&sortie.stderr);
            assert!(
                matches!(sortie.status.code(), Some(0..=3)) && !stderr.contains("panicked"),
                "spie {args:?} : code {:?}\n{stderr}",
                sortie.status.code()
            );
            essais += 1;
        }
    }
    assert!(
        essais > 100,
        "{essais} essais seulement : le parcours des commandes a-t-il changé ?"
    );
}

#[test]
fn numbers_out_of_range_are_refused_in_french_when_the_line_is_read() {
    let env = Env::initialisee();
    for (args, attendu) in [
        (
            &["diagnostic", "a-faire", "--delai", "2147483648"][..],
            "valeur « 2147483648 » invalide pour --delai <JOURS> : nombre entier de 0 à 3650 attendu",
        ),
        (
            &["parcours", "liste", "--sans-contact", "2147483647"],
            "invalide pour --sans-contact <JOURS> : nombre entier de 0 à 3650 attendu",
        ),
        (
            &["base", "purger", "--duree-mois", "0"],
            "valeur « 0 » invalide pour --duree-mois <MOIS> : nombre entier de 1 à 1200 attendu",
        ),
        (&["parcours", "voir", "--", "-1"], "nombre entier positif attendu"),
    ] {
        let e = env.echec(args, 2);
        assert!(e.contains(attendu), "{args:?} : {e}");
    }
}

/// What SQLite, the system and serde write in English, and spie's temporary file names:
/// none of it may reach the person.
const ETRANGER: &[&str] = &[
    "database", "disk image", "readonly", "malformed", "locked", "os error", "No such file", "invalid type",
    "expected", "Error code", ".spie-", "cause :",
];

/// A failure told in French, with a hint, and nothing in English.
fn en_francais(e: &str) {
    assert!(e.starts_with("erreur : "), "{e}");
    assert!(e.contains("\naide : "), "pas d'aide : {e}");
    for etranger in ETRANGER {
        assert!(!e.contains(etranger), "« {etranger} » : {e}");
    }
}

/// A copy of the base of `env` with `abimer` applied to its bytes.
fn copie_abimee(env: &Env, nom: &str, abimer: impl FnOnce(&mut Vec<u8>)) -> String {
    let mut octets = std::fs::read(env.base()).unwrap();
    abimer(&mut octets);
    std::fs::write(env.dir.path().join(nom), octets).unwrap();
    nom.to_owned()
}

fn base_avec_des_dossiers() -> Env {
    let env = Env::initialisee();
    for i in 0..40 {
        let nom = format!("Nom{i}");
        let n = env.ouvrir(&nom, "Prénom", "1985-03-12", "Verdun", &["--date", "2026-09-01"]);
        env.ok(&[
            "parcours",
            "note",
            &n.to_string(),
            "Premier entretien, situation exposée en détail.",
        ]);
    }
    env
}

#[test]
fn a_truncated_or_damaged_base_is_told_in_french() {
    let env = base_avec_des_dossiers();
    let tronquee = copie_abimee(&env, "tronquee.sqlite", |o| o.truncate(o.len() / 2));
    let debut = copie_abimee(&env, "debut.sqlite", |o| o.truncate(50));
    for base in [&tronquee, &debut] {
        let e = env.echec(&["--base", base, "parcours", "liste"], 1);
        en_francais(&e);
        assert!(!e.contains("n'est pas une base spie"), "{e}");
        assert!(e.contains("tronqu"), "{e}");
    }
    let e = env.echec(&["--base", "absente.sqlite", "parcours", "liste"], 1);
    en_francais(&e);

    // Garbage over a page in the middle of the file: `base verifier` finds it (exit 3).
    let page = env.sql("PRAGMA page_size") as usize;
    let abimee = copie_abimee(&env, "abimee.sqlite", |o| {
        let milieu = o.len() / page / 2 * page;
        o[milieu..milieu + page].fill(0xA5);
    });
    let sortie = env.spie(&["--base", &abimee, "base", "verifier"]).output().unwrap();
    let (stdout, stderr) = (
        String::from_utf8_lossy(&sortie.stdout),
        String::from_utf8_lossy(&sortie.stderr),
    );
    assert_eq!(sortie.status.code(), Some(3), "{stdout}\n{stderr}");
    assert!(stdout.contains("problème"), "{stdout}");
    for etranger in ETRANGER {
        assert!(
            !stderr.contains(etranger) && !stdout.contains(etranger),
            "« {etranger} » : {stdout}\n{stderr}"
        );
    }
}

#[test]
fn files_that_cannot_be_read_or_written_are_told_in_french() {
    let env = Env::initialisee();
    let n = env.ouvrir("Dupont", "Marie", "1985-03-12", "Verdun", &[]).to_string();
    let e = env.echec(&["diagnostic", "nouveau", &n, "--reponses", "absent.json"], 1);
    en_francais(&e);
    assert!(
        e.contains("impossible d'ouvrir absent.json") && e.contains("introuvable"),
        "{e}"
    );
    let e = env.echec(&["base", "sauvegarder", "dossier-absent/copie.sqlite"], 1);
    en_francais(&e);
    assert!(e.contains("dossier-absent") && e.contains("introuvable"), "{e}");

    // A full device on stdout.
    let sortie = env
        .processus(assert_cmd::cargo::cargo_bin("spie"), &["parcours", "liste"])
        .stdout(std::fs::File::create("/dev/full").unwrap())
        .output()
        .unwrap();
    let e = String::from_utf8_lossy(&sortie.stderr);
    assert_eq!(sortie.status.code(), Some(1), "{e}");
    en_francais(&e);
    assert!(e.contains("disque plein"), "{e}");
}

#[test]
fn a_diagnostic_document_of_the_wrong_type_is_told_in_french() {
    let env = Env::initialisee();
    let n = env.ouvrir("Dupont", "Marie", "1985-03-12", "Verdun", &[]).to_string();
    for (document, attendu) in [
        (r#"{"activite_24_mois": "Marie est malade"}"#, "true ou false"),
        (
            r#"{"contraintes": {"sante": {"niveau": "fort", "commentaire": 3}}}"#,
            "un texte",
        ),
        (r#"{"contraintes": {"sante": "fort"}}"#, "un objet"),
    ] {
        let sortie = env
            .spie(&["diagnostic", "nouveau", &n, "--reponses", "-"])
            .write_stdin(document)
            .output()
            .unwrap();
        let e = String::from_utf8_lossy(&sortie.stderr);
        assert_eq!(sortie.status.code(), Some(2), "{document} : {e}");
        en_francais(&e);
        assert!(e.contains(attendu), "{document} : {e}");
        assert!(!e.contains("Marie"), "la valeur n'est pas recopiée : {e}");
    }
}

/// As root, the permission bits do not stop a write: this test then has nothing to show.
#[test]
fn a_read_only_base_is_told_in_french() {
    use std::os::unix::fs::PermissionsExt;
    let env = Env::initialisee();
    let n = env.ouvrir("Dupont", "Marie", "1985-03-12", "Verdun", &[]).to_string();
    std::fs::set_permissions(env.base(), std::fs::Permissions::from_mode(0o444)).unwrap();
    if std::fs::OpenOptions::new().append(true).open(env.base()).is_ok() {
        eprintln!(
            "a_read_only_base_is_told_in_french : les droits n'arrêtent pas cet utilisateur (root), rien à montrer"
        );
        return;
    }
    let e = env.echec(&["parcours", "note", &n, "Point."], 1);
    en_francais(&e);
    assert!(e.contains("lecture seule"), "{e}");
}

/// `spie ARGS` with stdout on a full device (`/dev/full`), as a script whose disk filled
/// up; returns the exit code and stderr.
fn sortie_pleine(env: &Env, args: &[&str], cle: bool) -> (Option<i32>, String) {
    let mut cmd = env.processus(super::commun::binaire(), args);
    if cle {
        cmd.env("SPIE_CLE_PSEUDO", super::stats::CLE);
    }
    let sortie = cmd
        .stdout(std::fs::File::create("/dev/full").unwrap())
        .output()
        .unwrap();
    (
        sortie.status.code(),
        String::from_utf8_lossy(&sortie.stderr).into_owned(),
    )
}

/// A write command whose result cannot be printed has still done its work: exit 0, and a
/// script that relaunches failed commands does not record it twice. A command that only
/// reads fails: its data is missing.
#[test]
fn a_full_stdout_after_a_saved_write_is_no_failure_but_fails_a_read() {
    let env = Env::initialisee();
    let n = env
        .ouvrir("Dupont", "Marie", "1985-03-12", "Verdun", &["--date", "2026-09-01"])
        .to_string();
    let offre = env.dir.path().join("une.csv");
    std::fs::write(
        &offre,
        "id;nom;thematiques;code_insee;date_maj\nU-1;Atelier;mobilite;55545;2026-10-01\n",
    )
    .unwrap();
    let compter = |table: &str| env.sql(&format!("SELECT count(*) FROM {table}"));
    let ecritures: &[(&[&str], &str)] = &[
        (&["parcours", "note", &n, "y"], "journal"),
        (
            &[
                "parcours", "ouvrir", "--nom", "Martin", "--prenom", "Paul", "--naissance", "1990-01-01", "--commune",
                "Verdun",
            ],
            "personne",
        ),
        (
            &["diagnostic", "nouveau", &n, "--contrainte", "mobilite=fort"],
            "diagnostic",
        ),
        (
            &[
                "offre",
                "importer",
                offre.to_str().unwrap(),
                "--source",
                "s",
                "--appliquer",
            ],
            "offre",
        ),
    ];
    for (args, table) in ecritures {
        let avant = compter(table);
        let (code, e) = sortie_pleine(&env, args, false);
        assert_eq!(code, Some(0), "{args:?} : {e}");
        assert!(!e.contains("erreur") && !e.contains("puis relancez"), "{args:?} : {e}");
        assert!(e.contains("enregistré : ne relancez pas"), "{args:?} : {e}");
        assert_eq!(compter(table), avant + 1, "{args:?} : une ligne de plus, pas deux");
    }
    let (code, e) = sortie_pleine(&env, &["base", "sauvegarder", "copie.sqlite"], false);
    assert_eq!(code, Some(0), "{e}");
    assert!(env.dir.path().join("copie.sqlite").is_file());
    let (code, e) = sortie_pleine(
        &env,
        &["stats", "export", "--mois", "2026-10", "--sortie", "pack"],
        true,
    );
    assert_eq!(code, Some(0), "{e}");
    assert!(env.dir.path().join("pack/parcours.csv").is_file());
    let (code, e) = sortie_pleine(&env, &["parcours", "clore", &n, "--motif", "emploi-durable"], false);
    assert_eq!(code, Some(0), "{e}");
    assert_eq!(env.sql("SELECT count(*) FROM parcours WHERE sortie IS NOT NULL"), 1);
    let (code, e) = sortie_pleine(&env, &["parcours", "effacer", &n, "--confirmer"], false);
    assert_eq!(code, Some(0), "{e}");
    assert_eq!(compter("personne"), 1);

    // Reads, with or without an entry in the audit trail in their transaction: exit 1.
    let autre = env.ouvrir("Durand", "Luc", "1980-01-01", "Verdun", &[]).to_string();
    for args in [
        &["parcours", "liste"][..],
        &["parcours", "voir", &autre],
        &["parcours", "exporter", &autre],
        &["diagnostic", "grille"],
    ] {
        let (code, e) = sortie_pleine(&env, args, false);
        assert_eq!(code, Some(1), "{args:?} : {e}");
        en_francais(&e);
        assert!(e.contains("disque plein"), "{args:?} : {e}");
    }
    // The help and the version are data too.
    for args in [&["--help"][..], &["stats", "export", "--help"], &["--version"]] {
        let (code, e) = sortie_pleine(&env, args, false);
        assert_eq!(code, Some(1), "{args:?} : {e}");
        assert!(e.contains("disque plein"), "{args:?} : {e}");
    }
}

/// A backup of a damaged base would copy the damage, maybe over the last good backup:
/// refused, with what to do; the hint for a damaged base never invites to back it up.
#[test]
fn a_damaged_base_is_not_backed_up() {
    let env = base_avec_des_dossiers();
    // Garbage over the first page of the journal's table: the base still opens.
    let page = env.sql("SELECT rootpage FROM sqlite_schema WHERE name = 'journal'") as usize;
    let taille = env.sql("PRAGMA page_size") as usize;
    env.sql("PRAGMA wal_checkpoint(TRUNCATE)");
    let abimee = copie_abimee(&env, "abimee.sqlite", |o| {
        o[(page - 1) * taille..page * taille].fill(0xA5);
    });
    env.ok(&["--base", &abimee, "parcours", "liste"]);
    let e = env.echec(&["--base", &abimee, "base", "sauvegarder", "copie.sqlite"], 1);
    en_francais(&e);
    assert!(e.contains("endommagée") && e.contains("copierait"), "{e}");
    assert!(e.contains("spie base verifier") && e.contains("gardez"), "{e}");
    assert!(!env.dir.path().join("copie.sqlite").exists(), "aucune copie écrite");
    assert!(
        std::fs::read_dir(env.dir.path()).unwrap().all(|f| !f
            .unwrap()
            .file_name()
            .to_string_lossy()
            .starts_with(".spie-")),
        "aucun fichier temporaire laissé"
    );

    let tronquee = copie_abimee(&env, "tronquee.sqlite", |o| o.truncate(o.len() / 2));
    let e = env.echec(&["--base", &tronquee, "parcours", "liste"], 1);
    assert!(e.contains("endommagée"), "{e}");
    assert!(
        !e.contains("en fait une"),
        "l'aide n'invite pas à sauvegarder la base abîmée : {e}"
    );
    assert!(e.contains("dernière bonne sauvegarde"), "{e}");
    // A healthy base is still backed up.
    env.ok(&["base", "sauvegarder", "saine.sqlite"]);
}

#[test]
fn a_base_written_by_a_newer_spie_is_refused_untouched() {
    let env = Env::initialisee();
    let conn = rusqlite::Connection::open(env.base()).unwrap();
    conn.pragma_update(None, "user_version", 9999).unwrap();
    drop(conn);
    let avant = std::fs::read(env.base()).unwrap();
    let e = env.echec(&["parcours", "chercher", "Dupont"], 1);
    assert!(
        e.contains("cette base a été créée par une version plus récente de spie"),
        "{e}"
    );
    assert!(e.contains("mettez spie à jour"), "{e}");
    assert_eq!(std::fs::read(env.base()).unwrap(), avant);
}

/// Every option of spie with a list of values (a coded option), in every command: each
/// value is accepted in capitals and with its accents (`CER`, `Téléphone`, `Refusée`), and
/// a value near one of them is refused with that one suggested.
#[test]
fn every_coded_option_accepts_case_and_accents_and_suggests_the_closest() {
    fn accents(code: &str) -> String {
        code.replacen('e', "é", 1)
    }
    fn visiter(cmd: &clap::Command, vus: &mut usize) {
        for sous in cmd.get_subcommands() {
            visiter(sous, vus);
        }
        for arg in cmd.get_arguments() {
            let possibles: Vec<String> = arg
                .get_possible_values()
                .iter()
                .map(|v| v.get_name().to_owned())
                .collect();
            if possibles.is_empty() || possibles == ["true", "false"] {
                continue;
            }
            *vus += 1;
            let essai =
                clap::Command::new("essai").arg(clap::Arg::new("v").value_parser(arg.get_value_parser().clone()));
            let lire = |saisie: &str| essai.clone().try_get_matches_from(["essai", saisie]);
            for code in &possibles {
                for saisie in [code.to_uppercase(), accents(code), format!(" {code} ")] {
                    let lu = lire(&saisie);
                    assert!(lu.is_ok(), "{} {} : « {saisie} » refusé", cmd.get_name(), arg.get_id());
                }
            }
            let proche = format!("{}x", possibles[0]);
            let e = lire(&proche).unwrap_err();
            let suggestion = e.get(clap::error::ContextKind::SuggestedValue).map(ToString::to_string);
            assert_eq!(
                suggestion.as_deref(),
                Some(possibles[0].as_str()),
                "{} {} : « {proche} »",
                cmd.get_name(),
                arg.get_id()
            );
        }
    }
    let mut commande = spie::cli::commande();
    commande.build();
    let mut vus = 0;
    visiter(&commande, &mut vus);
    assert!(vus > 15, "{vus} options à valeurs codées");
}

/// On the command line: a half-accented type is the type; a misspelt one is named with
/// the closest value suggested.
#[test]
fn a_coded_value_typed_loosely_is_understood_or_the_closest_suggested() {
    let env = Env::initialisee();
    let n = env.lucie_martin(&[]);
    env.ok(&["parcours", "note", &n, "Appel", "--type", "teléphone"]);
    assert_eq!(env.sql("SELECT count(*) FROM journal WHERE type = 'telephone'"), 1);
    let e = env.echec(&["parcours", "note", &n, "Appel", "--type", "telefone"], 2);
    assert!(
        e.contains("« telefone »") && e.contains("vouliez-vous dire « telephone » ?"),
        "{e}"
    );
    assert!(e.contains("entretien, telephone, visite"), "{e}");
    env.ok(&["parcours", "liste", "--format", "JSON"]);
}

/// What a caseworker types after reading it on screen: the orientation as the tables show
/// it (`sociale`, `socio-professionnelle`, `emploi`), `NON` in capitals; a word of a
/// value's label (`Entretien`, for « Entretien de suivi ») suggests that value.
#[test]
fn a_value_typed_as_shown_on_screen_is_understood() {
    let env = Env::initialisee();
    let n = env.lucie_martin(&[]);
    for (saisie, code) in [
        ("sociale", "social"),
        ("Socio-professionnelle", "sociopro"),
        ("emploi", "pro"),
    ] {
        env.ok(&["parcours", "orienter", &n, saisie, "--motif", "essai"]);
        let requete = format!(
            "SELECT count(*) FROM orientation WHERE id = (SELECT max(id) FROM orientation) AND orientation = '{code}'"
        );
        assert_eq!(env.sql(&requete), 1, "{saisie}");
    }
    env.ok(&[
        "diagnostic", "nouveau", &n, "--contrainte", "mobilite=fort", "--activite-24-mois", "NON", "--non-interactif",
    ]);
    assert_eq!(env.sql("SELECT activite_24_mois FROM diagnostic"), 0);
    let e = env.echec(
        &[
            "rdv", "planifier", &n, "--le", "02/12/2026 14:30", "--type", "Entretien",
        ],
        2,
    );
    assert!(e.contains("vouliez-vous dire « suivi » ?"), "{e}");
}

/// Refusals a caseworker meets in the first weeks: each says what to do next.
#[test]
fn the_first_refusals_say_what_to_do_next() {
    let env = Env::initialisee();
    let n = env.lucie_martin(&[]);
    let aide = |args: &[&str], code: i32, attendu: &str| {
        let e = env.echec(args, code);
        assert!(e.contains(&format!("aide : {attendu}")), "{args:?}: {e}");
    };
    env.ok(&[
        "diagnostic", "nouveau", &n, "--contrainte", "mobilite=fort", "--non-interactif",
    ]);
    aide(
        &["diagnostic", "comparer", &n],
        1,
        &format!("le suivant s'enregistre avec `spie diagnostic nouveau {n}`"),
    );
    aide(
        &["parcours", "membre", "retirer", &n, "accueil"],
        1,
        &format!("l'équipe est dans la section « Équipe » de `spie parcours voir {n}`"),
    );
    aide(
        &[
            "parcours", "contrat", "corriger", "99", "--motif", "x", "--fin", "01/01/2027",
        ],
        1,
        "les contrats",
    );
    let rdv = env.ok(&["rdv", "planifier", &n, "--le", "02/12/2026 14:30"]);
    env.ok(&["rdv", "annule", rdv.trim()]);
    aide(&["rdv", "convocation", rdv.trim()], 1, "planifiez-en un autre");
    aide(
        &["offre", "chercher", "--rayon", "20"],
        2,
        "par exemple : spie offre chercher --commune Verdun",
    );
}
