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
        .chain(["1", "x", AUJOURDHUI, "oui", "mobilite"].map(String::from))
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
