//! The terminal: tables that never cut a word, colour only where it helps.

use super::commun::Env;

/// Whether `piece` may stand alone on a line of a table made from `mots`: a whole word,
/// or a part of a word cut right after one of its `-`.
fn piece_permise(piece: &str, mots: &[&str]) -> bool {
    mots.iter().any(|mot| {
        mot.match_indices(piece).any(|(i, _)| {
            let fin = i + piece.len();
            (i == 0 || mot[..i].ends_with('-')) && (fin == mot.len() || piece.ends_with('-'))
        })
    })
}

/// Every piece of text in the table is a whole word of what was stored, or a part of a code
/// cut after a `-`; no line is wider than the screen.
pub(super) fn sans_mot_coupe(table: &str, colonnes: usize, textes: &[&str]) {
    let mots: Vec<&str> = textes.iter().flat_map(|t| t.split_whitespace()).collect();
    for ligne in table.lines() {
        assert!(
            ligne.chars().count() <= colonnes,
            "ligne de {} colonnes :\n{table}",
            ligne.chars().count()
        );
        for piece in ligne.split(|c: char| c.is_whitespace() || "│┆─┌┐└┘├┤┬┴┼╞╡╪═".contains(c))
        {
            if piece.is_empty() {
                continue;
            }
            assert!(piece_permise(piece, &mots), "« {piece} » est un mot coupé :\n{table}");
        }
    }
}

pub(super) fn tableau(env: &Env, colonnes: usize, args: &[&str]) -> String {
    let sortie = env
        .spie(&[args, &["--format", "table"]].concat())
        .env("COLUMNS", colonnes.to_string())
        .output()
        .unwrap();
    assert!(sortie.status.success(), "{}", String::from_utf8_lossy(&sortie.stderr));
    String::from_utf8(sortie.stdout).unwrap()
}

const NOTE: &str = "Entretien approfondi : démarches administratives, hébergement d'urgence, mobilité-transport \
                    et projet professionnel (aide-soignante) abordés avec la conseillère sans-referent (mobilite--preparer-un-permis).";

fn base_avec_des_mots_longs() -> (Env, String) {
    let env = Env::initialisee();
    let n = env.ouvrir(
        "Vandenberghe-Lefebvre",
        "Marie-Christine",
        "1985-03-12",
        "Saint-Mihiel",
        &[],
    );
    env.ouvrir("Dupont", "Jean", "1990-01-01", "Pagny-sur-Meuse", &[]);
    env.ok(&["parcours", "note", &n.to_string(), NOTE, "--type", "entretien"]);
    (env, n.to_string())
}

#[test]
fn lists_at_80_and_100_columns_cut_no_word() {
    let (env, _) = base_avec_des_mots_longs();
    for colonnes in [80, 100] {
        let table = tableau(&env, colonnes, &["parcours", "liste"]);
        assert!(table.contains("Vandenberghe-"), "{table}");
        sans_mot_coupe(
            &table,
            colonnes,
            &[
                "Dossier Nom Prénom Naissance Commune Entrée Référent 1 2 12/03/1985 01/01/1990 26/11/2026",
                "Vandenberghe-Lefebvre Marie-Christine Saint-Mihiel Dupont Jean Pagny-sur-Meuse",
            ],
        );
    }
}

/// The caseload, with an appointment, a due action and an orientation, fits 80 columns
/// without cutting a name.
#[test]
fn the_caseload_at_80_columns_cuts_no_word() {
    let env = Env::initialisee();
    let n = env
        .ouvrir(
            "Lacroix-Deschamps",
            "Marie-Christine",
            "1985-03-12",
            "Verdun",
            &["--referent", "m.durand"],
        )
        .to_string();
    env.ok(&[
        "rdv", "planifier", &n, "--le", "30/11/2026 14:00", "--agent", "m.durand",
    ]);
    env.ok(&[
        "parcours", "action", "ajouter", &n, "--libelle", "Permis", "--echeance", "2026-12-15",
    ]);
    env.ok(&["parcours", "orienter", &n, "sociopro"]);
    let table = tableau(
        &env,
        80,
        &["parcours", "liste", "--mes-dossiers", "--agent", "m.durand"],
    );
    assert!(table.contains("Lacroix-") && table.contains("30/11/2026"), "{table}");
    sans_mot_coupe(
        &table,
        80,
        &[
            "Dossier Nom Prénom Dernier contact Prochain rendez-vous Prochaine échéance Orientation Référent",
            "1 Lacroix-Deschamps Marie-Christine 30/11/2026 à 14:00 15/12/2026 (action n° 1) socio-professionnelle Marc Durand",
        ],
    );
}

#[test]
fn a_dossier_at_80_and_100_columns_cuts_no_word_of_its_journal() {
    let (env, n) = base_avec_des_mots_longs();
    for colonnes in [80, 100] {
        let table = tableau(&env, colonnes, &["parcours", "voir", &n]);
        let journal = &table[table.find("Journal").unwrap()..];
        assert!(journal.contains("sans-"), "{journal}");
        sans_mot_coupe(
            journal,
            colonnes,
            &[
                NOTE,
                "Journal (le plus récent d'abord) N° 1 Date Type Agent Note 26/11/2026 entretien admin",
            ],
        );
    }
}

#[test]
fn a_zero_width_terminal_gets_80_columns() {
    let (env, _) = base_avec_des_mots_longs();
    let table = tableau(&env, 0, &["parcours", "liste"]);
    let large = table.lines().map(|l| l.chars().count()).max().unwrap();
    assert!((60..=80).contains(&large), "{large} colonnes :\n{table}");
}

#[test]
fn spie_help_gives_a_command_help_with_its_example() {
    let env = Env::vide();
    let aide = env.ok(&["help", "parcours", "note"]);
    assert!(aide.contains("Utilisation : spie parcours note"), "{aide}");
    assert!(aide.contains("Exemple :\n  spie parcours note 12"), "{aide}");
    assert!(
        aide.contains("[défaut : note]") && aide.contains("[variable : SPIE_BASE]"),
        "{aide}"
    );
    let generale = env.ok(&["help"]);
    assert!(generale.contains("spie help COMMANDE"), "{generale}");
}

#[test]
fn completions_for_each_shell_and_man_pages_follow_the_commands() {
    let env = Env::vide();
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let script = env.ok(&["completions", shell]);
        assert!(script.contains("parcours") && script.contains("corriger"), "{shell}");
    }
    let e = env.echec(&["completions", "ksh"], 2);
    assert!(e.contains("bash"), "{e}");
    assert!(env.ok(&["man"]).contains(".TH spie 1"));
    env.ok(&["man", "--dossier", "man1"]);
    let page = std::fs::read_to_string(env.dir.path().join("man1/spie-parcours-note-corriger.1")).unwrap();
    assert!(page.contains("corriger"), "{page}");
    // The sections are titled in French, like the help.
    for page in [env.ok(&["man"]), page] {
        for anglais in [".SH NAME", ".SH EXTRA", ".SH SUBCOMMANDS", ".SH AUTHORS", "\u{a0}"] {
            assert!(!page.contains(anglais), "« {anglais} » dans :\n{page}");
        }
        assert!(
            page.contains(".SH \"NOM\"") && page.contains("\"Manuel de spie\""),
            "{page}"
        );
    }
    assert!(env.ok(&["man"]).contains(".SH \"COMMANDES\""));
}

#[test]
fn a_dossier_prints_whole_on_a4_pages_and_is_audited() {
    let (env, n) = base_avec_des_mots_longs();
    env.ok(&[
        "parcours", "action", "ajouter", &n, "--libelle", "Permis <B>", "--echeance", "2026-12-15",
    ]);
    let sortie = env.ok(&["parcours", "voir", &n, "--sortie", "fiche.html"]);
    assert!(sortie.is_empty(), "rien sur la sortie standard : {sortie}");
    let chemin = env.dir.path().join("fiche.html");
    let page = std::fs::read_to_string(&chemin).unwrap();
    assert!(page.contains("size: A4"));
    for attendu in [
        "Vandenberghe-Lefebvre", "Saint-Mihiel", "Journal", "Plan", "Permis &lt;B&gt;", "hébergement d'urgence",
    ] {
        assert!(page.contains(attendu), "{attendu} absent");
    }
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(
        std::fs::metadata(&chemin).unwrap().permissions().mode() & 0o077,
        0,
        "lisible par d'autres"
    );
    assert!(env.dans_le_journal("admin", "parcours voir — fiche imprimable"));
    // Never over an existing file; a sheet that could not be written is no access: the
    // journal counts only the sheets written.
    let fiches = || env.sql("SELECT count(*) FROM acces WHERE commande = 'parcours voir — fiche imprimable'");
    assert_eq!(fiches(), 1);
    let e = env.echec(&["parcours", "voir", &n, "--sortie", "fiche.html"], 1);
    assert!(e.contains("existe déjà"), "{e}");
    let e = env.echec(&["parcours", "voir", &n, "--sortie", "absent/fiche.html"], 1);
    assert!(e.contains("absent"), "{e}");
    assert_eq!(fiches(), 1, "no access recorded for a sheet not written");
}

/// `parcours voir N` at a terminal (a pseudo-terminal), with or without `NO_COLOR`.
fn a_l_ecran(env: &Env, n: &str, sans_couleur: bool) -> String {
    let mut cmd = super::interactif::au_terminal(env, &["parcours", "voir", n]);
    cmd.env("COLUMNS", "100");
    if sans_couleur {
        cmd.env("NO_COLOR", "1");
    }
    let mut p = rexpect::session::spawn_command(cmd, Some(10_000)).unwrap();
    p.exp_eof().unwrap()
}

#[test]
fn overdue_and_absent_are_in_colour_on_a_terminal_only() {
    let (env, n) = base_avec_des_mots_longs();
    env.ok(&["parcours", "note", &n, "Absent au rendez-vous", "--type", "absence"]);
    let ecran = a_l_ecran(&env, &n, false);
    assert!(ecran.contains("\x1b[") && ecran.contains("absence"), "{ecran}");
    let absence = ecran.lines().find(|l| l.contains("Absent au rendez-vous")).unwrap();
    assert!(absence.contains("\x1b["), "{absence:?}");
    assert!(!a_l_ecran(&env, &n, true).contains("\x1b["));
    // Piped: no colour either.
    let tuyau = tableau(&env, 100, &["parcours", "voir", &n]);
    assert!(tuyau.contains("absence") && !tuyau.contains('\x1b'), "{tuyau}");
}

#[test]
fn a_usage_line_never_lists_an_option_given_by_its_variable() {
    let env = Env::initialisee();
    let e = env.echec(&["parcours", "note", "retirer", "1"], 2);
    assert!(e.contains("--motif <MOTIF>"), "{e}");
    assert!(!e.contains("--base") && !e.contains("--agent"), "{e}");
}

/// A caseload as it is on a real desk: long names, a contract falling due, a colleague's
/// dossier the agent is a member of, every sort order: 80 columns, no word cut.
#[test]
fn a_realistic_caseload_fits_80_columns_in_every_order() {
    let env = Env::initialisee();
    env.ok(&[
        "agent",
        "ajouter",
        "c.vandenberghe",
        "--nom",
        "Christelle Vandenberghe-Lefebvre",
        "--structure",
        "CCAS de Verdun",
    ]);
    let n = env
        .ouvrir(
            "Vandenberghe-Lefebvre",
            "Marie-Christine",
            "1985-03-12",
            "Saint-Mihiel",
            &["--referent", "m.durand"],
        )
        .to_string();
    env.ok(&[
        "parcours", "contrat", &n, "--type", "cer", "--debut", "01/09/2026", "--fin", "28/11/2026",
    ]);
    env.ok(&[
        "rdv", "planifier", &n, "--le", "30/11/2026 14:00", "--agent", "m.durand",
    ]);
    env.ok(&["parcours", "orienter", &n, "sociopro"]);
    let m = env
        .ouvrir(
            "Bouchard-Delacroix",
            "Jean-Christophe",
            "1990-01-01",
            "Verdun",
            &["--referent", "c.vandenberghe"],
        )
        .to_string();
    env.ok(&["parcours", "membre", "ajouter", &m, "m.durand"]);
    env.ok(&["parcours", "orienter", &m, "social"]);
    for tri in ["contact", "echeance", "nom", "entree"] {
        let table = tableau(
            &env,
            80,
            &[
                "parcours", "liste", "--mes-dossiers", "--agent", "m.durand", "--tri", tri,
            ],
        );
        assert!(
            table.contains("Vandenberghe-") && table.contains("Bouchard-"),
            "{table}"
        );
        sans_mot_coupe(
            &table,
            80,
            &[
                "Dossier Nom Prénom Dernier contact Prochain rendez-vous Prochaine échéance Orientation Référent",
                "1 2 Vandenberghe-Lefebvre Marie-Christine 30/11/2026 à 14:00 28/11/2026 (fin du contrat CER) socio-professionnelle sociale",
                "Marc Durand Bouchard-Delacroix Jean-Christophe social Christelle Vandenberghe-Lefebvre",
            ],
        );
    }
}

/// What spie says on stderr is wrapped between words at the terminal's width.
#[test]
fn messages_on_a_terminal_wrap_between_words() {
    let env = Env::initialisee();
    for nom in ["Martin", "Bernard", "Thomas"] {
        env.ouvrir(nom, "Anne", "1985-03-12", "Verdun", &["--referent", "m.durand"]);
    }
    let mut cmd = super::interactif::au_terminal(
        &env,
        &[
            "parcours", "liste", "--mes-dossiers", "--agent", "m.durand", "--limite", "1",
        ],
    );
    cmd.env("COLUMNS", "40");
    let mut p = rexpect::session::spawn_command(cmd, Some(10_000)).unwrap();
    // The pseudo-terminal gives bytes one character each: read them back as UTF-8.
    let octets: Vec<u8> = p.exp_eof().unwrap().chars().map(|c| c as u8).collect();
    let ecran = String::from_utf8(octets).unwrap().replace('\r', "");
    let message = &ecran[ecran.find("3 dossiers").expect(&ecran)..];
    let texte = "3 dossiers suivis ; 2 non montrés (--limite 1) : retirez --limite pour tout voir.";
    let mots: Vec<&str> = texte.split_whitespace().collect();
    for ligne in message.lines() {
        assert!(ligne.trim_end().chars().count() <= 40, "{message}");
        for piece in ligne.split_whitespace() {
            assert!(mots.contains(&piece), "« {piece} » est un mot coupé :\n{message}");
        }
    }
}

/// A table uses the width it has: a name wraps only when the screen lacks room, and a
/// phone number is never cut.
#[test]
fn a_table_narrower_than_the_screen_does_not_wrap_and_keeps_phone_numbers_whole() {
    let env = Env::initialisee();
    env.ok(&[
        "structure",
        "modifier",
        "CCAS de Verdun",
        "--adresse",
        "1 place de la Nation, 55100 Verdun",
        "--telephone",
        "03 29 86 00 00",
    ]);
    for colonnes in [80, 100] {
        let table = tableau(&env, colonnes, &["structure", "liste"]);
        let large = table.lines().map(|l| l.chars().count()).max().unwrap();
        assert!(large <= colonnes, "{table}");
        assert!(table.contains("03 29 86 00 00"), "{table}");
        if colonnes == 100 {
            // 86 columns are enough for the whole table: nothing wraps.
            assert!(table.contains("CCAS de Verdun") && large == 86, "{table}");
        }
    }
    let etroit = tableau(&env, 60, &["structure", "liste"]);
    assert!(etroit.contains("03 29 86 00 00"), "{etroit}");
}

/// « de » is elided before a name that begins with a vowel.
#[test]
fn the_to_do_summary_says_d_before_a_vowel() {
    let env = Env::initialisee();
    env.ok(&[
        "agent", "ajouter", "a.lebon", "--nom", "Anne Lebon", "--structure", "CCAS de Verdun",
    ]);
    env.ouvrir(
        "Martin",
        "Léa",
        "1985-03-12",
        "Verdun",
        &["--referent", "a.lebon", "--date", "2026-09-01"],
    );
    let sortie = env
        .spie(&["parcours", "a-faire", "--agent", "a.lebon"])
        .output()
        .unwrap();
    let message = String::from_utf8(sortie.stderr).unwrap();
    assert!(message.contains("À faire (dossiers d'Anne Lebon)"), "{message}");
    let sortie = env
        .spie(&["parcours", "a-faire", "--agent", "m.durand"])
        .output()
        .unwrap();
    let message = String::from_utf8(sortie.stderr).unwrap();
    assert!(message.contains("(dossiers de Marc Durand)"), "{message}");
}
