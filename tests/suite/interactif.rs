//! The interactive capture, driven for real in a pseudo-terminal: arrows, space and
//! enter, as a caseworker types them. (rexpect reads the screen as Latin-1: the strings
//! awaited here are ASCII.)

use std::time::Duration;

use rexpect::session::{PtySession, spawn_command};

use super::commun::Env;

const BAS: &str = "\x1b[B";
const HAUT: &str = "\x1b[A";
const ENTREE: &str = "\r";
const ESPACE: &str = " ";

/// The binary at a terminal, for the administrator of the test base.
pub(super) fn au_terminal(env: &Env, args: &[&str]) -> std::process::Command {
    let mut cmd = std::process::Command::new(super::commun::binaire());
    cmd.env_clear()
        .env("SPIE_DATE", super::commun::AUJOURDHUI)
        .env("SPIE_AGENT", "admin")
        .env("SPIE_BASE", env.base())
        .env("TERM", "xterm")
        .args(args);
    cmd
}

fn session(env: &Env, args: &[&str]) -> PtySession {
    spawn_command(au_terminal(env, args), Some(10_000)).unwrap()
}

/// A base with one dossier, and `spie diagnostic nouveau` on it at a terminal.
fn grille(autres: &[&str]) -> (Env, String, PtySession) {
    let env = Env::initialisee();
    let n = env
        .ouvrir("Dupont", "Marie", "1985-03-12", "Verdun", &["--date", "2026-09-01"])
        .to_string();
    let mut args = vec!["diagnostic", "nouveau", n.as_str()];
    args.extend(autres);
    let p = session(&env, &args);
    (env, n, p)
}

/// Waits for a prompt, then lets the program switch the terminal to raw mode.
fn attendre(p: &mut PtySession, invite: &str) {
    p.exp_string(invite).unwrap();
    std::thread::sleep(Duration::from_millis(80));
}

/// Chooses the item `rang` (0-based) of a Select once its prompt is shown.
fn choisir(p: &mut PtySession, invite: &str, rang: usize) {
    attendre(p, invite);
    for _ in 0..rang {
        p.send(BAS).unwrap();
    }
    p.send(ENTREE).unwrap();
    p.flush().unwrap();
}

/// Ticks the items `rangs` (sorted, 0-based) of a MultiSelect, then validates.
fn cocher(p: &mut PtySession, invite: &str, rangs: &[usize]) {
    attendre(p, invite);
    let mut position = 0;
    for &r in rangs {
        while position < r {
            p.send(BAS).unwrap();
            position += 1;
        }
        p.send(ESPACE).unwrap();
    }
    p.send(ENTREE).unwrap();
    p.flush().unwrap();
}

fn ecrire(p: &mut PtySession, invite: &str, texte: &str) {
    attendre(p, invite);
    p.send(texte).unwrap();
    p.send(ENTREE).unwrap();
    p.flush().unwrap();
}

/// Levels are listed non-aborde, sans-impact, moyen, fort.
fn repondre_a_la_grille(p: &mut PtySession) {
    // Mobilité: fort, "pas de permis" (3rd situation) and a comment.
    choisir(p, "Impact sur le retour", 3);
    cocher(p, "Situations", &[2]);
    ecrire(p, "Commentaire", "vit loin de la gare");
    // The seven others: sans impact, no situation, no comment.
    for _ in 0..7 {
        choisir(p, "Impact sur le retour", 1);
        cocher(p, "Situations", &[]);
        ecrire(p, "Commentaire", "");
    }
    // French prompts (a space before the colon dialoguer adds, never "?:"); the
    // professional questions start on "non renseigné".
    choisir(p, "24 derniers mois :", 2); // non
    choisir(p, "Projet professionnel :", 2); // à préciser
    choisir(p, "Niveau de formation :", 1); // infra-3
    cocher(p, "Besoins professionnels", &[0]);
}

#[test]
fn the_grid_is_walked_at_the_terminal_and_saved_after_confirmation() {
    let (env, n, mut p) = grille(&["--format", "json"]);
    repondre_a_la_grille(&mut p);
    p.exp_string("Orientation sugg").unwrap();
    // Wrapped between words at the terminal's width.
    p.exp_string("insertion sociale").unwrap();
    p.exp_string("(r").unwrap();
    choisir(&mut p, "Enregistrer ce diagnostic :", 0);
    p.exp_string("\"id\": 1").unwrap();
    p.exp_eof().unwrap();

    let d = env.json(&["diagnostic", "voir", &n]);
    assert_eq!(d["contraintes"]["mobilite"]["niveau"], "fort");
    assert_eq!(
        d["contraintes"]["mobilite"]["situations"],
        serde_json::json!(["sans-permis"])
    );
    assert_eq!(d["contraintes"]["mobilite"]["commentaire"], "vit loin de la gare");
    assert_eq!(d["contraintes"]["numerique"]["niveau"], "sans-impact");
    assert_eq!(d["contraintes"]["numerique"].get("commentaire"), None);
    assert_eq!(d["activite_24_mois"], false);
    assert_eq!(d["projet"], "a-preciser");
    assert_eq!(d["niveau_formation"], "infra-3");
    assert_eq!(
        d["besoins"],
        serde_json::json!(["choisir-un-metier--confirmer-son-choix-de-metier"])
    );
    assert_eq!(d["complet"], true);
    assert_eq!(d["suggestion"]["orientation"], "social");
}

/// The exit code of the session's process, once it has ended.
fn code_de_sortie(p: &mut PtySession) -> i32 {
    match p.process().wait().unwrap() {
        rexpect::process::WaitStatus::Exited(_, code) => code,
        autre => panic!("fin inattendue : {autre:?}"),
    }
}

#[test]
fn refusing_at_the_end_saves_nothing_and_is_not_an_error() {
    let (env, _, mut p) = grille(&[]);
    repondre_a_la_grille(&mut p);
    choisir(&mut p, "Enregistrer ce diagnostic :", 1);
    p.exp_string("rien n'est enregistr").unwrap();
    p.exp_eof().unwrap();
    assert_eq!(code_de_sortie(&mut p), 0);
    assert_eq!(env.sql("SELECT count(*) FROM diagnostic"), 0);
}

#[test]
fn ctrl_c_in_the_middle_saves_nothing_and_gives_the_cursor_back() {
    let (env, _, mut p) = grille(&[]);
    choisir(&mut p, "Impact sur le retour", 2);
    attendre(&mut p, "Situations");
    p.send_control('c').unwrap();
    let (avant, _) = p.exp_regex("rien n'est enregistr[^\\n]*").unwrap();
    // The cursor hidden by the list is shown again ("ESC [ ? 25 h"), then the message.
    assert!(avant.contains("\x1b[?25h"), "{avant:?}");
    p.exp_eof().unwrap();
    assert_ne!(code_de_sortie(&mut p), 0);
    assert_eq!(env.sql("SELECT count(*) FROM diagnostic"), 0);
}

/// Enter alone on a professional question records nothing for it: the answer is not
/// "oui", "projet défini" or "infra-3" by default.
#[test]
fn the_professional_questions_start_on_non_renseigne() {
    let (env, n, mut p) = grille(&[]);
    choisir(&mut p, "Impact sur le retour", 2); // mobilité : moyen
    cocher(&mut p, "Situations", &[]);
    ecrire(&mut p, "Commentaire", "");
    for _ in 0..7 {
        choisir(&mut p, "Impact sur le retour", 0); // non abordé
    }
    choisir(&mut p, "24 derniers mois", 0);
    choisir(&mut p, "Projet professionnel", 0);
    choisir(&mut p, "Niveau de formation", 0);
    cocher(&mut p, "Besoins professionnels", &[]);
    choisir(&mut p, "Enregistrer ce diagnostic :", 0);
    p.exp_eof().unwrap();
    assert_eq!(code_de_sortie(&mut p), 0);

    let d = env.json(&["diagnostic", "voir", &n]);
    assert_eq!(d["contraintes"]["mobilite"]["niveau"], "moyen");
    assert_eq!(
        (&d["activite_24_mois"], &d["projet"], &d["niveau_formation"]),
        (
            &serde_json::Value::Null,
            &serde_json::Value::Null,
            &serde_json::Value::Null
        ),
        "{d:#}"
    );
}

/// Ctrl-C while a free-text answer is typed: the error starts on a line of its own.
#[test]
fn ctrl_c_in_a_typed_answer_ends_the_line_before_the_error() {
    let (_env, _, mut p) = grille(&[]);
    choisir(&mut p, "Impact sur le retour", 2);
    cocher(&mut p, "Situations", &[]);
    attendre(&mut p, "Commentaire");
    p.send("abc").unwrap();
    p.flush().unwrap();
    std::thread::sleep(Duration::from_millis(80));
    p.send_control('c').unwrap();
    let avant = p.exp_string("erreur : ").unwrap();
    let apres_saisie = &avant[avant.rfind("abc").expect("la saisie est affichée") + 3..];
    assert!(apres_saisie.contains('\n'), "{avant:?}");
    p.exp_eof().unwrap();
    assert_ne!(code_de_sortie(&mut p), 0);
}

/// At a terminal, passphrases are asked without echo: the one-time one, then the new one
/// twice; none of them is ever shown.
#[test]
fn connexion_asks_passphrases_without_echo() {
    let (env, _) = Env::chiffree();
    env.secret("provisoire", "provisoire pour Marc");
    env.ok(&[
        "agent", "ajouter", "m.durand", "--nom", "Marc Durand", "--structure", "CCAS de Verdun", "--phrase-fichier",
        "provisoire",
    ]);
    let mut cmd = std::process::Command::new(super::commun::binaire());
    cmd.env_clear()
        .env("SPIE_BASE", env.base())
        .env("XDG_RUNTIME_DIR", env.sessions())
        .env("TERM", "xterm")
        .args(["connexion", "--agent", "m.durand"]);
    let mut p = spawn_command(cmd, Some(20_000)).unwrap();
    let mut ecran = String::new();
    for (invite, phrase) in [
        ("Phrase de passe de m.durand", "provisoire pour Marc"),
        ("Nouvelle phrase de passe", "le pont de la Meuse au soir"),
        ("Retapez-la", "le pont de la Meuse au soir"),
    ] {
        ecran.push_str(&p.exp_string(invite).unwrap());
        std::thread::sleep(Duration::from_millis(80));
        p.send(phrase).unwrap();
        p.send(ENTREE).unwrap();
        p.flush().unwrap();
    }
    ecran.push_str(&p.exp_eof().unwrap());
    assert!(ecran.contains("m.durand"), "{ecran}");
    assert!(!ecran.contains("Marc") && !ecran.contains("Meuse au soir"), "{ecran}");
    // The new passphrase opens the session; the one-time one no longer does.
    env.secret("nouvelle", "le pont de la Meuse au soir");
    env.connecter("m.durand", "nouvelle", None);
}

/// The seven dimensions after the first: sans impact, nothing else; then activity in the
/// last 24 months, and nothing for the project and the training.
fn sans_impact_puis_oui(p: &mut PtySession) {
    for _ in 0..7 {
        choisir(p, "Impact sur le retour", 1);
        cocher(p, "Situations", &[]);
        ecrire(p, "Commentaire", "");
    }
    choisir(p, "24 derniers mois :", 1); // oui
    choisir(p, "Projet professionnel :", 0);
    choisir(p, "Niveau de formation :", 0);
}

/// The agent goes back one question (from the second dimension to the first) and changes
/// the answer; the summary is in words, and going back from it reopens the last question.
#[test]
fn the_grid_goes_back_one_question_and_sums_up_in_words() {
    let (env, n, mut p) = grille(&["--format", "json"]);
    choisir(&mut p, "Impact sur le retour", 3); // mobilité : fort
    cocher(&mut p, "Situations", &[]);
    ecrire(&mut p, "Commentaire", "");
    attendre(&mut p, "2/8");
    choisir(&mut p, "Impact sur le retour", 4); // « revenir à la question précédente »
    p.exp_string("1/8").unwrap();
    // The list starts on the answer given (fort): one up for moyen, this time.
    attendre(&mut p, "Impact sur le retour");
    p.send(HAUT).unwrap();
    p.send(ENTREE).unwrap();
    p.flush().unwrap();
    cocher(&mut p, "Situations", &[]);
    ecrire(&mut p, "Commentaire", "");
    sans_impact_puis_oui(&mut p);
    cocher(&mut p, "Besoins professionnels", &[]);
    let (resume, _) = p.exp_regex("Enregistrer ce diagnostic :").unwrap();
    // The needs checklist scrolls by pages instead of running off a 24-line screen.
    assert!(resume.contains("[Page 1/"), "{resume}");
    let resume = &resume[resume.rfind("sum").unwrap()..];
    assert!(
        resume.contains("Impact moyen") && resume.contains("sans impact"),
        "{resume}"
    );
    assert!(resume.contains("Parcours socio-professionnel"), "{resume}");
    for code in ["sans-impact", "non-aborde", ": sociopro"] {
        assert!(!resume.contains(code), "{code} : {resume}");
    }
    // Back from the summary: the needs are asked again.
    std::thread::sleep(Duration::from_millis(80));
    p.send(BAS).unwrap();
    p.send(BAS).unwrap();
    p.send(ENTREE).unwrap();
    p.flush().unwrap();
    cocher(&mut p, "Besoins professionnels", &[0]);
    choisir(&mut p, "Enregistrer ce diagnostic :", 0);
    p.exp_string("\"id\": 1").unwrap();
    p.exp_eof().unwrap();

    let d = env.json(&["diagnostic", "voir", &n]);
    assert_eq!(d["contraintes"]["mobilite"]["niveau"], "moyen");
    assert_eq!(d["activite_24_mois"], true);
    assert_eq!(d["besoins"].as_array().unwrap().len(), 1, "{d:#}");
}

/// Going back shows the answers already given as defaults: the level, the ticked
/// situations, the comment typed, and the needs ticked before the summary.
#[test]
fn going_back_keeps_the_answers_already_given() {
    let (env, n, mut p) = grille(&["--format", "json"]);
    choisir(&mut p, "Impact sur le retour", 3); // mobilité : fort
    cocher(&mut p, "Situations", &[2]);
    ecrire(&mut p, "Commentaire", "vit loin de la gare");
    attendre(&mut p, "2/8");
    choisir(&mut p, "Impact sur le retour", 4); // « revenir à la question précédente »
    p.exp_string("1/8").unwrap();
    // Enter alone everywhere keeps what was given.
    choisir(&mut p, "Impact sur le retour", 0);
    cocher(&mut p, "Situations", &[]);
    ecrire(&mut p, "Commentaire", "");
    sans_impact_puis_oui(&mut p);
    cocher(&mut p, "Besoins professionnels", &[0]);
    // Back from the summary: the need is still ticked.
    choisir(&mut p, "Enregistrer ce diagnostic :", 2);
    cocher(&mut p, "Besoins professionnels", &[]);
    choisir(&mut p, "Enregistrer ce diagnostic :", 0);
    p.exp_string("\"id\": 1").unwrap();
    p.exp_eof().unwrap();

    let d = env.json(&["diagnostic", "voir", &n]);
    let mobilite = &d["contraintes"]["mobilite"];
    assert_eq!(mobilite["niveau"], "fort", "{d:#}");
    assert_eq!(mobilite["situations"], serde_json::json!(["sans-permis"]), "{d:#}");
    assert_eq!(mobilite["commentaire"], "vit loin de la gare", "{d:#}");
    assert_eq!(d["activite_24_mois"], true);
    assert_eq!(d["besoins"].as_array().unwrap().len(), 1, "{d:#}");
}

/// Through the whole grid without answering: nothing was answered, nothing is saved, and
/// the run fails.
#[test]
fn a_grid_left_unanswered_says_so_and_saves_nothing() {
    let (env, _, mut p) = grille(&[]);
    for _ in 0..8 {
        choisir(&mut p, "Impact sur le retour", 0); // non abordé
    }
    choisir(&mut p, "24 derniers mois", 0);
    choisir(&mut p, "Projet professionnel", 0);
    choisir(&mut p, "Niveau de formation", 0);
    cocher(&mut p, "Besoins professionnels", &[]);
    let (texte, _) = p.exp_regex("rien n'est enregistr[^\\n]*").unwrap();
    p.exp_eof().unwrap();
    assert_eq!(code_de_sortie(&mut p), 1);
    assert!(!texte.contains("les questions de la grille"), "{texte}");
    assert!(texte.contains("aucune question n'a re"), "{texte}");
    assert_eq!(env.sql("SELECT count(*) FROM diagnostic"), 0);
}

/// What the pseudo-terminal showed, read back as UTF-8, escape sequences and carriage
/// returns left out.
fn en_clair(ecran: &str) -> String {
    let octets: Vec<u8> = ecran.chars().map(|c| c as u8).collect();
    let texte = String::from_utf8_lossy(&octets).replace('\r', "");
    let mut sortie = String::new();
    let mut echappement = false;
    for c in texte.chars() {
        match c {
            '\x1b' => echappement = true,
            c if echappement => echappement = !c.is_ascii_alphabetic(),
            c => sortie.push(c),
        }
    }
    sortie
}

/// At 80 columns: the introduction and the summary wrap between words, the needs are
/// shown with their category's label (no code) on one line each, the summary in words.
#[test]
fn the_grid_at_80_columns_cuts_no_word_and_shows_no_code() {
    let env = Env::initialisee();
    let n = env
        .ouvrir("Dupont", "Marie", "1985-03-12", "Verdun", &["--date", "2026-09-01"])
        .to_string();
    let mut cmd = au_terminal(&env, &["diagnostic", "nouveau", &n]);
    cmd.env("COLUMNS", "80");
    let mut p = spawn_command(cmd, Some(10_000)).unwrap();
    let intro = en_clair(&p.exp_string("1/8").unwrap());
    choisir(&mut p, "Impact sur le retour", 1); // mobilité : sans impact
    cocher(&mut p, "Situations", &[]);
    ecrire(&mut p, "Commentaire", "");
    for _ in 0..7 {
        choisir(&mut p, "Impact sur le retour", 0);
    }
    choisir(&mut p, "24 derniers mois", 0);
    choisir(&mut p, "Projet professionnel", 0);
    choisir(&mut p, "Niveau de formation", 0);
    cocher(&mut p, "Besoins professionnels", &[0]);
    let (ecran, _) = p.exp_regex("Enregistrer ce diagnostic :").unwrap();
    let ecran = en_clair(&ecran);
    choisir(&mut p, "", 1);
    p.exp_eof().unwrap();
    let intro = intro.as_str();
    let resume = &ecran[ecran.find("Résumé").expect(&ecran)..];
    for (texte, complet) in [
        (
            intro,
            "Diagnostic : 8 contraintes, puis la situation professionnelle. Chaque choix permet de revenir à la \
             question précédente ; Ctrl-C abandonne sans rien enregistrer.",
        ),
        (resume, ""),
    ] {
        for ligne in texte.lines() {
            assert!(
                ligne.chars().count() <= 80,
                "{} colonnes : {ligne}",
                ligne.chars().count()
            );
            if !complet.is_empty() {
                for mot in ligne.split_whitespace() {
                    assert!(
                        complet.split_whitespace().any(|m| m == mot),
                        "« {mot} » coupé :\n{texte}"
                    );
                }
            }
        }
    }
    assert!(resume.contains("Abordé, sans impact sur le\n"), "{resume}");
    assert!(resume.contains("Incomplet : famille, santé"), "{resume}");
    assert!(!resume.contains(" sante,") && !resume.contains("numerique"), "{resume}");
    assert!(ecran.contains("(Choisir un métier)"), "{ecran}");
    assert!(!ecran.contains("(choisir-un-metier)"), "{ecran}");
}
