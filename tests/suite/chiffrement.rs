//! An encrypted base and agents who prove who they are: one test per threat.
//! (T1) a colleague acting under another agent's name; (T2) a stolen laptop, a copied base
//! or a lost backup read without a passphrase; (T3) an agent who left still opening the
//! base with what they knew; (T4) every administrator's passphrase forgotten.

use super::commun::*;

/// Names planted in the base, to be found in no file.
const PRENOM: &str = "Zéphyrine";
const NOM: &str = "Quillardet";
const PHRASE_DURAND: &str = "les quais de la Meuse au matin";

/// An encrypted base, its recovery code, `m.durand` added with a one-time passphrase (in
/// the file `durand.provisoire`), and a dossier of his.
fn avec_un_dossier() -> (Env, String, String) {
    let (env, code) = Env::chiffree();
    env.secret("durand.provisoire", "provisoire pour Marc");
    env.ok(&[
        "agent", "ajouter", "m.durand", "--nom", "Marc Durand", "--structure", "CCAS de Verdun", "--phrase-fichier",
        "durand.provisoire",
    ]);
    let n = env.ouvrir(NOM, PRENOM, "1985-03-12", "Verdun", &["--referent", "m.durand"]);
    (env, code, n.to_string())
}

/// The one work session file of the test, readable by its owner only, in a folder only
/// its owner may enter.
fn fichier_de_session(env: &Env) -> std::path::PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let droits = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(droits(&env.sessions().join("spie")), 0o700);
    let mut fichiers: Vec<_> = std::fs::read_dir(env.sessions().join("spie"))
        .unwrap()
        .map(|f| f.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    assert_eq!(fichiers.len(), 1, "{fichiers:?}");
    assert_eq!(droits(&fichiers[0]), 0o600);
    fichiers.remove(0)
}

/// The base key a work session holds (what a determined agent could take from theirs).
fn cle_de_session(env: &Env) -> String {
    let texte = std::fs::read_to_string(fichier_de_session(env)).unwrap();
    let session: serde_json::Value = serde_json::from_str(&texte).unwrap();
    session["cle"].as_str().unwrap().to_owned()
}

/// The base opened straight with SQLCipher under the raw key `cle` (hexadecimal), with
/// the page authentication spie gives new bases.
fn sous_la_cle(env: &Env, cle: &str) -> rusqlite::Connection {
    let conn = rusqlite::Connection::open(env.base()).unwrap();
    conn.execute_batch(&format!(
        "PRAGMA cipher_log_level = NONE; PRAGMA key = \"x'{cle}'\";
         PRAGMA cipher_hmac_algorithm = HMAC_SHA256; PRAGMA cipher_kdf_algorithm = PBKDF2_HMAC_SHA256;"
    ))
    .unwrap();
    conn
}

fn ouvre_en_clair(chemin: &std::path::Path) -> bool {
    let conn = rusqlite::Connection::open(chemin).unwrap();
    conn.query_row("SELECT count(*) FROM personne", [], |_| Ok(())).is_ok()
}

#[test]
fn t1_nobody_acts_under_another_agents_name() {
    let (env, _, n) = avec_un_dossier();
    // Connected as admin: naming m.durand, by flag or variable, is refused and logged.
    let e = env.echec(&["parcours", "voir", &n, "--agent", "m.durand"], 1);
    assert!(e.contains("connecté comme « admin »") && e.contains("m.durand"), "{e}");
    let out = env
        .spie(&["agent", "liste"])
        .env("SPIE_AGENT", "m.durand")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    env.ok(&["agent", "liste", "--agent", "admin"]);
    assert!(
        env.refus()
            .iter()
            .any(|(a, c, _)| a == "admin" && c == "parcours voir au nom de m.durand"),
        "{:?}",
        env.refus()
    );

    // Without a session, nobody: `--agent` names no one on an encrypted base.
    env.ok(&["deconnexion"]);
    let e = env.echec(&["agent", "liste", "--agent", "admin"], 1);
    assert!(e.contains("aucune session"), "{e}");
    env.secret("faux", "ce n'est pas la bonne phrase");
    let e = env.echec(&["connexion", "--agent", "admin", "--phrase-fichier", "faux"], 1);
    assert!(e.contains("phrase de passe incorrecte"), "{e}");
    let e = env.echec(&["connexion", "--agent", "m.durand", "--phrase-fichier", "faux"], 1);
    assert!(e.contains("phrase de passe incorrecte"), "{e}");

    // A passphrase file others may read is refused.
    std::fs::write(env.dir.path().join("ouvert"), PHRASE_ADMIN).unwrap();
    let e = env.echec(&["connexion", "--agent", "admin", "--phrase-fichier", "ouvert"], 1);
    assert!(e.contains("lisible par d'autres"), "{e}");

    // The first connexion with the one-time passphrase forces a new, strong one.
    let e = env.echec(
        &[
            "connexion", "--agent", "m.durand", "--phrase-fichier", "durand.provisoire",
        ],
        2,
    );
    assert!(e.contains("--nouvelle-phrase-fichier"), "{e}");
    env.secret("court", "court");
    let e = env.echec(
        &[
            "connexion", "--agent", "m.durand", "--phrase-fichier", "durand.provisoire", "--nouvelle-phrase-fichier",
            "court",
        ],
        1,
    );
    assert!(e.contains("trop courte"), "{e}");
    env.secret("durand.phrase", PHRASE_DURAND);
    env.connecter("m.durand", "durand.provisoire", Some("durand.phrase"));
    env.ok(&["deconnexion"]);
    let e = env.echec(
        &[
            "connexion", "--agent", "m.durand", "--phrase-fichier", "durand.provisoire",
        ],
        1,
    );
    assert!(e.contains("phrase de passe incorrecte"), "{e}");

    // Connected as m.durand, he is m.durand: no administrator's work.
    env.connecter("m.durand", "durand.phrase", None);
    env.json(&["parcours", "voir", &n]);
    let e = env.echec(
        &[
            "agent", "ajouter", "x.evil", "--nom", "X", "--structure", "1", "--role", "admin",
        ],
        1,
    );
    assert!(e.contains("n'est pas administrateur"), "{e}");
    let e = env.echec(&["agent", "liste", "--agent", "admin"], 1);
    assert!(e.contains("connecté comme « m.durand »"), "{e}");
    // No passphrase nor key in any message.
    assert!(!e.contains(PHRASE_DURAND) && !e.contains(&cle_de_session(&env)));
}

#[test]
fn t2_a_copied_base_log_backup_or_export_reads_as_noise() {
    let (env, _, n) = avec_un_dossier();
    // A reader holding the base open keeps its log file: what is written goes there.
    let lecteur = sous_la_cle(&env, &cle_de_session(&env));
    lecteur.execute_batch("BEGIN").unwrap();
    let _: i64 = lecteur
        .query_row("SELECT count(*) FROM personne", [], |r| r.get(0))
        .unwrap();
    env.ok(&[
        "parcours",
        "note",
        &n,
        &format!("Entretien avec {PRENOM} {NOM}, téléphone 06 12 34 56 78."),
        "--type",
        "entretien",
    ]);
    let wal = env.dir.path().join("spie.sqlite-wal");
    assert!(std::fs::metadata(&wal).unwrap().len() > 0);
    assert_eq!(env.trace(PRENOM), None);
    assert_eq!(env.trace(NOM), None);
    assert_eq!(env.trace("06 12 34 56 78"), None);
    drop(lecteur);

    // A backup is one archive, the base encrypted inside, with its key slots.
    let sauvegarde = env.json(&["base", "sauvegarder", "copie.spie"]);
    assert_eq!(sauvegarde["forme"], "chiffrée");
    // An export for the person is an age file under a passphrase of its own, as strong as
    // a passphrase of the base.
    env.secret("court.phrase", "court");
    let e = env.echec(
        &[
            "parcours", "exporter", &n, "--sortie", "court.age", "--phrase-fichier", "court.phrase",
        ],
        1,
    );
    assert!(e.contains("trop courte"), "{e}");
    assert!(!env.dir.path().join("court.age").exists());
    env.secret("export.phrase", "une phrase pour la personne");
    env.ok(&[
        "parcours", "exporter", &n, "--sortie", "dossier.age", "--phrase-fichier", "export.phrase",
    ]);
    let e = env.echec(&["parcours", "exporter", &n], 2);
    assert!(e.contains("--en-clair"), "{e}");
    assert_eq!(env.trace(PRENOM), None);
    assert_eq!(env.trace(NOM), None);
    assert!(!ouvre_en_clair(&env.base()));

    // The export opens with its passphrase, and age.
    let chiffre = std::fs::read(env.dir.path().join("dossier.age")).unwrap();
    let identite = age::scrypt::Identity::new(age::secrecy::SecretString::from(
        "une phrase pour la personne".to_owned(),
    ));
    let clair = String::from_utf8(age::decrypt(&identite, &chiffre).unwrap()).unwrap();
    assert!(clair.contains(NOM), "{clair}");
    // Its readable page beside it, encrypted alike.
    let page = std::fs::read(env.dir.path().join("dossier.html.age")).unwrap();
    let page = String::from_utf8(age::decrypt(&identite, &page).unwrap()).unwrap();
    assert!(page.contains("<html") && page.contains(NOM), "{page}");

    // The backup restores, base and keys together, and opens with the same passphrase only.
    let restauree = env.dir.path().join("restauree").join("spie.sqlite");
    std::fs::create_dir(restauree.parent().unwrap()).unwrap();
    let chemin = restauree.to_str().unwrap();
    env.ok(&["base", "restaurer", "copie.spie", "--base", chemin]);
    assert!(!ouvre_en_clair(&restauree));
    let e = env.echec(&["parcours", "voir", &n, "--base", chemin], 1);
    assert!(e.contains("aucune session"), "{e}");
    env.ok(&[
        "connexion", "--agent", "admin", "--phrase-fichier", "admin.phrase", "--base", chemin,
    ]);
    assert_eq!(env.json(&["parcours", "voir", &n, "--base", chemin])["nom"], NOM);

    // A plain copy only when asked, and the trail says so.
    let clair = env.json(&["base", "sauvegarder", "clair.sqlite", "--en-clair"]);
    assert_eq!(clair["forme"], "en clair");
    assert!(ouvre_en_clair(&env.dir.path().join("clair.sqlite")));
    assert!(env.dans_le_journal("admin", "base sauvegarder — en clair"));
}

#[test]
fn t3_an_agent_who_left_opens_the_base_no_more() {
    let (env, _, n) = avec_un_dossier();
    env.ok(&["deconnexion"]);
    env.secret("durand.phrase", PHRASE_DURAND);
    env.connecter("m.durand", "durand.provisoire", Some("durand.phrase"));
    // What he keeps when he leaves: the key slots, his session, the key in it.
    let cles = env.dir.path().join("spie.sqlite.cles");
    let anciennes_cles = std::fs::read(&cles).unwrap();
    let session = fichier_de_session(&env);
    let ancienne_session = std::fs::read(&session).unwrap();
    let ancienne_cle = cle_de_session(&env);

    env.ok(&["deconnexion"]);
    env.connecter("admin", "admin.phrase", None);
    env.ok(&["agent", "retirer", "m.durand"]);
    env.json(&["parcours", "voir", &n]);
    assert!(env.dans_le_journal("admin", "agent retirer m.durand — base rechiffrée"));
    assert!(!env.ok(&["agent", "liste"]).contains("m.durand"));

    // His session put back: its key opens the base no more.
    std::fs::write(&session, &ancienne_session).unwrap();
    let e = env.echec(&["parcours", "voir", &n], 1);
    assert!(e.contains("n'ouvre pas la base"), "{e}");
    // Nor does his old slot with his passphrase.
    let cles_actuelles = std::fs::read(&cles).unwrap();
    std::fs::write(&cles, &anciennes_cles).unwrap();
    let e = env.echec(
        &["connexion", "--agent", "m.durand", "--phrase-fichier", "durand.phrase"],
        1,
    );
    assert!(e.contains("n'ouvre pas la base"), "{e}");
    // Nor the key itself, given straight to SQLCipher.
    let conn = sous_la_cle(&env, &ancienne_cle);
    assert!(conn.query_row("SELECT count(*) FROM personne", [], |_| Ok(())).is_err());
    // The current slots have none for him; the administrator goes on.
    std::fs::write(&cles, &cles_actuelles).unwrap();
    let e = env.echec(
        &["connexion", "--agent", "m.durand", "--phrase-fichier", "durand.phrase"],
        1,
    );
    assert!(e.contains("n'a pas de clé"), "{e}");
    env.connecter("admin", "admin.phrase", None);
    assert_eq!(env.json(&["parcours", "voir", &n])["nom"], NOM);
    // The new key, given the same way, opens it: the old one failed for being old.
    let actuelle = sous_la_cle(&env, &cle_de_session(&env));
    assert!(
        actuelle
            .query_row("SELECT count(*) FROM personne", [], |_| Ok(()))
            .is_ok()
    );
}

#[test]
fn t4_the_recovery_code_gives_an_administrator_access_back_and_is_logged() {
    let (env, code, n) = avec_un_dossier();
    env.ok(&["deconnexion"]);
    env.secret("admin.provisoire", "une phrase de secours provisoire");
    env.secret("code.faux", "AAAA-BBBB-CCCC-DDDD-EEEE-FFFF-GGGG-HHHH");
    let recuperer = |fichier: &str| -> Vec<String> {
        [
            "base", "recuperer", "--agent", "admin", "--code-fichier", fichier, "--phrase-fichier", "admin.provisoire",
        ]
        .map(str::to_owned)
        .to_vec()
    };
    let args = recuperer("code.faux");
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let e = env.echec(&args, 1);
    assert!(e.contains("code de secours incorrect"), "{e}");
    // As typed from the paper in the safe: lower case, spaces.
    env.secret("code", &code.to_lowercase().replace('-', " "));
    let args = recuperer("code");
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = env.spie(&args).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(stderr.contains("code de secours de la base"), "{stderr}");
    assert!(!stderr.contains(&code), "un nouveau code remplace l'ancien : {stderr}");
    // The code used is spent.
    let e = env.echec(&args, 1);
    assert!(e.contains("code de secours incorrect"), "{e}");

    env.secret("admin.nouvelle", "la citadelle sous la neige");
    env.connecter("admin", "admin.provisoire", Some("admin.nouvelle"));
    assert_eq!(env.json(&["parcours", "voir", &n])["nom"], NOM);
    assert!(env.dans_le_journal("admin", "base recuperer — code de secours"));
    // The keyed chain verifies, and extends an anchor kept outside.
    let ancre = env.ok(&["base", "journal", "--ancre"]);
    env.ok(&["parcours", "voir", &n]);
    env.ok(&["base", "verifier", "--ancre", ancre.trim()]);
}

/// Test and demo bases stay plain and say so; a real base refuses to work plain until
/// `base chiffrer` converts it, in place.
#[test]
fn a_plain_base_is_a_test_base_or_is_encrypted_in_place() {
    let env = Env::initialisee();
    let n = env.ouvrir(NOM, PRENOM, "1985-03-12", "Verdun", &[]).to_string();
    let verif = env.json(&["base", "verifier"]);
    assert!(verif.to_string().contains("en clair"), "{verif}");
    let sauvegarde = env.json(&["base", "sauvegarder", "copie.sqlite"]);
    assert_eq!(sauvegarde["forme"], "en clair");
    let e = env.echec(&["connexion"], 1);
    assert!(e.contains("n'est pas chiffrée"), "{e}");
    // Dated at will (SPIE_DATE), a test base is never made a real one.
    env.secret("admin.phrase", PHRASE_ADMIN);
    let e = env.echec(&["base", "chiffrer", "--phrase-fichier", "admin.phrase"], 1);
    assert!(e.contains("une base d'essai ou de démonstration reste en clair"), "{e}");

    // A base made before encryption: plain, and not a test base.
    let conn = rusqlite::Connection::open(env.base()).unwrap();
    conn.execute("DELETE FROM meta WHERE cle = 'essai'", []).unwrap();
    drop(conn);
    let e = env.echec(&["parcours", "voir", &n], 1);
    assert!(e.contains("n'est pas chiffrée") && e.contains("base chiffrer"), "{e}");
    let e = env.echec(
        &[
            "base", "chiffrer", "--agent", "m.durand", "--phrase-fichier", "admin.phrase",
        ],
        1,
    );
    assert!(e.contains("n'est pas un administrateur"), "{e}");
    let out = env
        .spie(&["base", "chiffrer", "--phrase-fichier", "admin.phrase"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stderr).contains("code de secours de la base"));
    assert!(!ouvre_en_clair(&env.base()));
    assert_eq!(env.trace(NOM).map(|f| f.ends_with("copie.sqlite")), Some(true));

    let mut env = env;
    env.chiffree = true;
    env.connecter("admin", "admin.phrase", None);
    assert_eq!(env.json(&["parcours", "voir", &n])["nom"], NOM);
    env.ok(&["base", "verifier"]);
}

#[test]
fn an_agent_is_not_removed_while_an_import_runs_and_nothing_changes() {
    let (env, _, _) = avec_un_dossier();
    let fichier = gros_fichier(&env, 150_000);
    let cles = env.dir.path().join("spie.sqlite.cles");
    let mut import = importer_en_fond(&env, &fichier, "gros");
    while !env.ok(&["offre", "sources"]).contains("gros") {
        assert!(import.try_wait().unwrap().is_none(), "l'import s'est terminé trop tôt");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let avant = std::fs::read(&cles).unwrap();
    let e = env.echec(&["agent", "retirer", "m.durand"], 1);
    assert!(e.contains("un import d'offres est en cours"), "{e}");
    assert!(e.contains("rien n'a été changé"), "{e}");
    assert!(env.ok(&["agent", "liste"]).contains("m.durand"));
    assert_eq!(
        std::fs::read(&cles).unwrap(),
        avant,
        "les emplacements de clés n'ont pas changé"
    );
    assert!(import.wait().unwrap().success());
    env.ok(&["agent", "retirer", "m.durand"]);
    assert!(env.dans_le_journal("admin", "agent retirer m.durand — base rechiffrée"));
    assert!(!env.ok(&["agent", "liste"]).contains("m.durand"));
}

#[test]
fn a_session_file_others_may_read_is_no_session() {
    use std::os::unix::fs::PermissionsExt;
    let (env, _, n) = avec_un_dossier();
    let session = fichier_de_session(&env);
    std::fs::set_permissions(&session, std::fs::Permissions::from_mode(0o644)).unwrap();
    let e = env.echec(&["parcours", "voir", &n], 1);
    assert!(e.contains("lisible par d'autres comptes"), "{e}");
    assert!(!session.exists(), "la session exposée est supprimée");
    let e = env.echec(&["parcours", "voir", &n], 1);
    assert!(e.contains("connexion"), "{e}");
    // A link in its place (to a file of the account's own) is refused as a link.
    env.connecter("admin", "admin.phrase", None);
    let vrai = session.with_extension("vrai");
    std::fs::rename(&session, &vrai).unwrap();
    std::os::unix::fs::symlink(&vrai, &session).unwrap();
    let e = env.echec(&["parcours", "voir", &n], 1);
    assert!(e.contains("n'était pas un fichier ordinaire"), "{e}");
}

/// A connexion that cannot keep its session (a sessions folder others may enter) is
/// refused before anything is audited as a connexion.
#[test]
fn a_connexion_that_keeps_no_session_is_not_audited_as_one() {
    use std::os::unix::fs::PermissionsExt;
    let (env, _) = Env::chiffree();
    let connexions = || {
        env.json(&["base", "journal"])
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["commande"].as_str().unwrap().starts_with("connexion"))
            .count()
    };
    let avant = connexions();
    let dossier = env.sessions().join("spie");
    std::fs::set_permissions(&dossier, std::fs::Permissions::from_mode(0o755)).unwrap();
    let e = env.echec(
        &["connexion", "--agent", "admin", "--phrase-fichier", "admin.phrase"],
        1,
    );
    assert!(e.contains("n'est pas réservé à votre compte"), "{e}");
    std::fs::set_permissions(&dossier, std::fs::Permissions::from_mode(0o700)).unwrap();
    // The base journal read adds no connexion; the failed one added none either.
    assert_eq!(connexions(), avant);
}

/// The key file holds each agent's identity under their passphrase: like an ssh key, a
/// copy others may read is refused (they could try passphrases at leisure).
#[test]
fn a_key_file_others_may_read_opens_no_session() {
    use std::os::unix::fs::PermissionsExt;
    let (env, _) = Env::chiffree();
    let mut cles = env.base().into_os_string();
    cles.push(".cles");
    std::fs::set_permissions(&cles, std::fs::Permissions::from_mode(0o644)).unwrap();
    let e = env.echec(
        &["connexion", "--agent", "admin", "--phrase-fichier", "admin.phrase"],
        1,
    );
    assert!(
        e.contains("lisible par d'autres comptes") && e.contains("chmod 600"),
        "{e}"
    );
    std::fs::set_permissions(&cles, std::fs::Permissions::from_mode(0o600)).unwrap();
    env.connecter("admin", "admin.phrase", None);
}

#[test]
fn only_an_administrator_removes_an_agent_or_gives_a_new_passphrase() {
    let (env, _, _) = avec_un_dossier();
    env.ok(&["deconnexion"]);
    env.secret("durand.phrase", PHRASE_DURAND);
    env.connecter("m.durand", "durand.provisoire", Some("durand.phrase"));
    let cles = std::fs::read(env.dir.path().join("spie.sqlite.cles")).unwrap();
    let e = env.echec(&["agent", "retirer", "admin"], 1);
    assert!(e.contains("administrateur"), "{e}");
    env.secret("nouvelle.provisoire", "une autre phrase provisoire");
    let e = env.echec(
        &[
            "agent", "reinitialiser", "admin", "--phrase-fichier", "nouvelle.provisoire",
        ],
        1,
    );
    assert!(e.contains("administrateur"), "{e}");
    assert_eq!(std::fs::read(env.dir.path().join("spie.sqlite.cles")).unwrap(), cles);
    env.ok(&["deconnexion"]);
    env.connecter("admin", "admin.phrase", None);
    let refus: Vec<String> = env.refus().into_iter().map(|(a, c, _)| format!("{a} {c}")).collect();
    assert!(
        refus.iter().any(|r| r.starts_with("m.durand agent retirer")),
        "{refus:?}"
    );
    assert!(
        refus.iter().any(|r| r.starts_with("m.durand agent reinitialiser")),
        "{refus:?}"
    );
    assert!(env.ok(&["agent", "liste"]).contains("admin"));
}

/// A base encrypted by an earlier spie, whose SQLCipher used OpenSSL's cryptography,
/// opens, reads and is written by this one (the file format is SQLCipher 4's either way).
#[test]
fn a_base_written_with_openssl_opens_and_is_written() {
    let mut env = Env::vide();
    env.chiffree = true;
    let source = std::path::PathBuf::from(fixture("base-openssl"));
    std::fs::copy(source.join("base.sqlite"), env.base()).unwrap();
    let cles = env.dir.path().join("spie.sqlite.cles");
    std::fs::copy(source.join("base.sqlite.cles"), &cles).unwrap();
    // A checkout gives files the default permissions; a key file is its owner's only.
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&cles, std::fs::Permissions::from_mode(0o600)).unwrap();
    let phrase = std::fs::read_to_string(source.join("phrase")).unwrap();
    env.secret("phrase", phrase.trim_end());
    env.connecter("admin", "phrase", None);
    let dossier = env.ok(&["parcours", "voir", "1"]);
    assert!(dossier.contains("Marie Planquee"), "{dossier}");
    assert!(dossier.contains("Premier entretien fictif."), "{dossier}");
    env.ok(&["parcours", "note", "1", "Deuxième entretien fictif."]);
    assert!(
        env.ok(&["parcours", "voir", "1"])
            .contains("Deuxième entretien fictif.")
    );
    env.ok(&["base", "verifier"]);
    // Its backup (a page-by-page copy) restores and opens the same way.
    env.ok(&["base", "sauvegarder", "copie.spie"]);
    env.ok(&["base", "restaurer", "copie.spie", "--base", "restauree.sqlite"]);
    env.ok(&[
        "connexion", "--agent", "admin", "--phrase-fichier", "phrase", "--base", "restauree.sqlite",
    ]);
    let restauree = env.ok(&["parcours", "voir", "1", "--base", "restauree.sqlite"]);
    assert!(restauree.contains("Deuxième entretien fictif."), "{restauree}");
}
