//! Help and usage errors are in French.

use super::commun::Env;

#[test]
fn help_is_in_french_at_every_level() {
    let env = Env::vide();
    for args in [
        vec!["--help"],
        vec!["parcours", "--help"],
        vec!["parcours", "ouvrir", "-h"],
        vec!["base", "init", "-h"],
    ] {
        let aide = env.ok(&args);
        assert!(aide.contains("Utilisation : spie"), "{args:?}: {aide}");
        assert!(aide.contains("Affiche l'aide"), "{args:?}");
        for anglais in [
            "Usage:", "Print help", "Possible values", "possible values", "Commands:", "Options:", "Arguments:",
            "Commandes:",
        ] {
            assert!(!aide.contains(anglais), "{args:?} contient « {anglais} » :\n{aide}");
        }
    }
    let version = env.ok(&["--version"]);
    assert!(version.starts_with("spie "), "{version}");
}

#[test]
fn usage_errors_are_french_and_exit_2() {
    let env = Env::initialisee();
    let e = env.echec(&["parcours", "clor"], 2);
    assert!(
        // `contrat` is as close to « clor » as `clore`: both are suggested.
        e.contains("commande inconnue : « clor »") && e.contains("vouliez-vous dire « contrat » ou « clore »"),
        "{e}"
    );
    let e = env.echec(&["parcours", "clore", "1", "--motif", "emploi"], 2);
    assert!(
        e.contains("valeur « emploi » invalide pour --motif") && e.contains("emploi-durable"),
        "{e}"
    );
    let e = env.echec(&["parcours", "voir"], 2);
    assert!(e.contains("argument obligatoire manquant"), "{e}");
    let e = env.echec(&["parcours", "liste", "--nimporte"], 2);
    assert!(e.contains("option inconnue : --nimporte"), "{e}");
    let e = env.echec(
        &["parcours", "clore", "1", "--motif", "abandon", "--date", "31/02/2026"],
        2,
    );
    assert!(e.contains("la date « 31/02/2026 » n'existe pas"), "{e}");
    let e = env.echec(&["parcours", "clore", "1", "--motif", "abandon", "--date", "hier"], 2);
    assert!(e.contains("attendu AAAA-MM-JJ ou JJ/MM/AAAA"), "{e}");
    let e = env.echec(&["parcours", "voir", "douze"], 2);
    assert!(e.contains("douze"), "{e}");
    // A subcommand typed after the command's own arguments: said, with no blank name.
    let e = env.echec(&["parcours", "note", "1", "corriger", "2", "x"], 2);
    assert!(
        e.contains("une sous-commande ne s'emploie pas avec <DOSSIER>") && !e.contains(" :  "),
        "{e}"
    );
}

#[test]
fn a_bad_spie_date_is_refused() {
    let env = Env::initialisee();
    let out = env
        .spie(&["agent", "liste"])
        .env("SPIE_DATE", "2026-13-01")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let e = String::from_utf8_lossy(&out.stderr);
    // Read before the base is opened: it also says that the variable is for test bases
    // only, so that no one on a real base corrects the date to be refused after.
    assert!(e.contains("SPIE_DATE") && e.contains("base d'essai"), "{e}");
}

/// A code or an agent with a letter wrong gets the right one suggested; a code may be typed
/// as it is shown (accents, spaces).
#[test]
fn a_mistyped_code_or_agent_gets_the_close_one_suggested() {
    let env = Env::initialisee();
    let n = env.lucie_martin(&[]);
    for (saisie, propose) in [
        ("mobilte=fort", "vouliez-vous dire « mobilite » ?"),
        ("mobilite=forte", "vouliez-vous dire « fort » ?"),
        ("sante=non-abord", "vouliez-vous dire « non-aborde » ?"),
    ] {
        let e = env.echec(&["diagnostic", "nouveau", &n, "--contrainte", saisie], 2);
        assert!(e.contains(propose) && e.contains("valeurs possibles"), "{saisie} : {e}");
    }
    let e = env.echec(&["diagnostic", "nouveau", &n, "--contrainte", "zzz=fort"], 2);
    assert!(
        !e.contains("vouliez-vous dire"),
        "nothing close, nothing suggested: {e}"
    );
    env.ok(&[
        "diagnostic", "nouveau", &n, "--contrainte", "Santé=sans impact", "--contrainte", "mobilité=Fort",
    ]);
    let d = env.json(&["diagnostic", "voir", &n]);
    assert_eq!(d["contraintes"]["mobilite"]["niveau"], "fort", "{d}");
    assert_eq!(d["contraintes"]["sante"]["niveau"], "sans-impact", "{d}");
    let e = env.echec(&["parcours", "referent", &n, "m.durnad"], 1);
    assert!(e.contains("vouliez-vous dire « m.durand » ?"), "{e}");
    // An identifier is lower case: typed with capitals, it is still the agent's.
    env.ok(&["parcours", "referent", &n, "M.Durand", "--agent", "Admin"]);
}

/// What clap calls an unknown argument is said for what it is: a value in excess, a
/// negative number; several suggestions each in their quotes.
#[test]
fn an_extra_value_or_a_negative_number_is_named_for_what_it_is() {
    let env = Env::initialisee();
    let e = env.echec(&["parcours", "voir", "1", "2"], 2);
    assert!(e.contains("argument en trop : « 2 »"), "{e}");
    let e = env.echec(&["offre", "chercher", "--rayon", "-5", "--commune", "Verdun"], 2);
    assert!(e.contains("nombre négatif « -5 »"), "{e}");
    // A value without its option, arguments in the wrong order, a name for a number: the
    // error says how to write it.
    let e = env.echec(&["rdv", "planifier", "1", "01/12/2026 10:00"], 2);
    assert!(
        e.contains("si c'est la valeur d'une option, écrivez l'option devant"),
        "{e}"
    );
    let e = env.echec(&["parcours", "referent", "m.durand", "1"], 2);
    assert!(
        e.contains("« m.durand » n'est pas un numéro") && e.contains("dans l'ordre"),
        "{e}"
    );
    let e = env.echec(&["parcours", "voir", "Dupont"], 2);
    assert!(e.contains("spie parcours chercher"), "{e}");
    let e = env.echec(&["parcours", "voire"], 2);
    assert!(
        e.contains("vouliez-vous dire « ") && !e.contains(", voir »") && !e.contains("« clore, "),
        "{e}"
    );
}
