//! What the Département and the steering committee receive: no false marker, no figure
//! that singles anyone out, nothing of a month that has not begun, and a month's pack
//! that does not change when it is generated again later.

use std::collections::BTreeMap;
use std::path::Path;

use super::commun::Env;
use super::stats::{CLE, lire_csv};

/// Runs a command on day `jour`; returns its stdout.
fn le(env: &Env, jour: &str, args: &[&str]) -> String {
    let out = env
        .spie(args)
        .env("SPIE_DATE", jour)
        .env("SPIE_CLE_PSEUDO", CLE)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{args:?} le {jour} : {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// A demo base whose structure has the agent `demo` at work.
fn demo(personnes: &str) -> Env {
    let mut env = Env::vide();
    env.ok(&["-q", "demo", "--personnes", personnes, "--graine", "7"]);
    env.agent = "demo".into();
    env
}

fn exporter(env: &Env, jour: &str, mois: &str, dossier: &str) {
    le(env, jour, &["stats", "export", "--mois", mois, "--sortie", dossier]);
}

#[test]
fn every_marker_of_the_pack_is_true() {
    let env = demo("1500");
    exporter(&env, "2026-11-26", "2026-10", "pack");
    let pack = lire_csv(&env.dir.path().join("pack/indicateurs.csv"));
    let entetes = &pack[0];
    // The true values, unmasked, from the structure's own view of the same month.
    let vrai: serde_json::Value = serde_json::from_str(&le(
        &env,
        "2026-11-26",
        &[
            "stats", "mensuel", "--mois", "2026-10", "--par", "epci", "--format", "json",
        ],
    ))
    .unwrap();
    let vrai = vrai.as_array().unwrap();
    let valeur = |ligne: &[String], colonne: &str| -> u64 {
        let nom = if ligne[0] == "total" { "total" } else { &ligne[1] };
        let g = vrai
            .iter()
            .find(|g| g["groupe"] == nom)
            .unwrap_or_else(|| panic!("groupe {nom}"));
        let champ = |c: &str| g[c].as_u64().unwrap_or_else(|| panic!("{c} de {nom}"));
        match colonne {
            c if c.starts_with("sorties_") && c != "sorties_emploi" => {
                g["sorties_par_motif"][&c["sorties_".len()..]].as_u64().unwrap_or(0)
            }
            c if c.starts_with("frein_") => g["freins"][&c["frein_".len()..]].as_u64().unwrap(),
            c if c.starts_with("orientation_") => g["orientations"][&c["orientation_".len()..]].as_u64().unwrap(),
            "non_oriente" => g["orientations"]["non_oriente"].as_u64().unwrap(),
            c => champ(c),
        }
    };
    let mut petits = 0;
    let mut secrets = 0;
    for ligne in &pack[1..] {
        for (c, cellule) in ligne.iter().enumerate().skip(2) {
            let colonne = entetes[c].as_str();
            if colonne.starts_with("taux_") || colonne == "delai_median_diagnostic" {
                assert!(
                    !cellule.starts_with('<'),
                    "{colonne} = {cellule} : un taux n'est jamais « <5 »"
                );
                continue;
            }
            if c > entetes.iter().position(|e| e == "frein_numerique").unwrap() {
                continue;
            }
            match cellule.as_str() {
                "<5" => {
                    petits += 1;
                    let v = valeur(ligne, colonne);
                    assert!((1..5).contains(&v), "{colonne} de {} écrit <5 pour {v}", ligne[1]);
                }
                "secret" => secrets += 1,
                n => assert_eq!(
                    n.parse::<u64>().unwrap(),
                    valeur(ligne, colonne),
                    "{colonne} de {}",
                    ligne[1]
                ),
            }
        }
    }
    assert!(
        petits > 0 && secrets > 0,
        "le jeu d'essai masque des cellules ({petits}, {secrets})"
    );
    // Last month's pack does not give a hidden entry or exit count back either: file
    // active (M) = file active (M − 1) + entries − exits.
    exporter(&env, "2026-11-26", "2026-09", "pack-09");
    let septembre = lire_csv(&env.dir.path().join("pack-09/indicateurs.csv"));
    let col = |nom: &str| entetes.iter().position(|e| e == nom).unwrap();
    for ligne in &pack[1..] {
        let Some(avant) = septembre.iter().find(|l| l[0] == ligne[0]) else {
            continue;
        };
        let connus = [&avant[col("file_active")], &ligne[col("file_active")]]
            .iter()
            .all(|c| c.parse::<u64>().is_ok());
        let (entrees, sorties) = (&ligne[col("entrees")], &ligne[col("sorties")]);
        let un_seul_cache = entrees.parse::<u64>().is_ok() != sorties.parse::<u64>().is_ok();
        assert!(
            !(connus && un_seul_cache),
            "{} : entrées {entrees}, sorties {sorties}",
            ligne[1]
        );
    }
    // A month's pseudonyms are not the next month's: rows of two months cannot be joined.
    let pseudonymes = |dossier: &str| -> std::collections::BTreeSet<String> {
        lire_csv(&env.dir.path().join(dossier).join("parcours.csv"))[1..]
            .iter()
            .map(|l| l[0].clone())
            .collect()
    };
    assert!(pseudonymes("pack").is_disjoint(&pseudonymes("pack-09")));
    // The report uses the same markers, and says what they mean.
    le(
        &env,
        "2026-11-26",
        &["stats", "rapport", "--mois", "2026-10", "--sortie", "r.html"],
    );
    let html = std::fs::read_to_string(env.dir.path().join("r.html")).unwrap();
    assert!(
        html.contains("« secret »") && html.contains("de 1 à 4"),
        "légende du rapport"
    );
}

/// The report draws twelve months: every count it shows, in its figures, captions and
/// chart, is a cell of that month's pack as published.
#[test]
fn the_report_shows_no_count_its_packs_hide() {
    let env = demo("800");
    le(
        &env,
        "2026-11-26",
        &["stats", "rapport", "--mois", "2026-10", "--sortie", "r.html"],
    );
    let html = std::fs::read_to_string(env.dir.path().join("r.html")).unwrap();
    let total = |mois: &str, colonne: &str| -> String {
        let dossier = format!("pack-{mois}");
        exporter(&env, "2026-11-26", mois, &dossier);
        let pack = lire_csv(&env.dir.path().join(&dossier).join("indicateurs.csv"));
        let c = pack[0].iter().position(|e| e == colonne).unwrap();
        pack.last().unwrap()[c].clone()
    };
    // The file active is drawn as a point for each month its pack shows it, and as a gap
    // for each month it hides (never at scale).
    let montres = (0..12)
        .map(|i| {
            let (annee, mois) = if i < 2 { (2025, 11 + i) } else { (2026, i - 1) };
            total(&format!("{annee}-{mois:02}"), "file_active")
        })
        .filter(|cellule| cellule.parse::<u64>().is_ok())
        .count();
    assert_eq!(html.matches("<circle").count(), montres, "points de la file active");
    for colonne in ["file_active", "entrees", "sorties"] {
        let cellule = total("2026-10", colonne);
        assert!(
            html.contains(&format!("<b>{}</b>", cellule.replace('<', "&lt;"))),
            "{colonne} = {cellule}"
        );
    }
}

#[test]
fn the_threshold_cannot_be_lowered_and_short_keys_are_refused() {
    let env = demo("300");
    for args in [
        vec![
            "stats", "export", "--mois", "2026-10", "--sortie", "pack", "--seuil", "1",
        ],
        vec![
            "stats", "export", "--mois", "2026-10", "--sortie", "pack", "--seuil", "4",
        ],
        vec![
            "stats", "rapport", "--mois", "2026-10", "--sortie", "r.html", "--seuil", "2",
        ],
    ] {
        let out = env.spie(&args).env("SPIE_CLE_PSEUDO", CLE).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let e = String::from_utf8_lossy(&out.stderr);
        assert!(e.contains("ne descend pas sous 5") && e.contains("relevé"), "{e}");
    }
    assert!(!env.dir.path().join("pack").exists() && !env.dir.path().join("r.html").exists());
    // Raised: fine.
    exporter(&env, "2026-11-26", "2026-10", "pack10");
    let out = env
        .spie(&[
            "stats", "export", "--mois", "2026-10", "--sortie", "pack", "--seuil", "10",
        ])
        .env("SPIE_CLE_PSEUDO", CLE)
        .output()
        .unwrap();
    assert!(out.status.success());
    for cle in ["cle", "cle-du-departement", &"A".repeat(42)] {
        let out = env
            .spie(&["stats", "export", "--mois", "2026-10", "--sortie", "pack"])
            .env("SPIE_CLE_PSEUDO", cle)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "clé {cle}");
        let e = String::from_utf8_lossy(&out.stderr);
        assert!(
            e.contains("trop courte") && e.contains("openssl rand -base64 32"),
            "{e}"
        );
        assert!(!e.contains(cle), "la clé n'est pas répétée : {e}");
    }
}

/// Generated on 1 December, then again in January after a month of work dated after
/// October (exits, moves, a new parcours, an orientation), October's pack is the same,
/// byte for byte.
#[test]
fn a_months_pack_describes_the_base_at_its_last_day() {
    let env = demo("600");
    exporter(&env, "2026-12-01", "2026-10", "premier");
    let ouverts: serde_json::Value = serde_json::from_str(&le(
        &env,
        "2026-12-01",
        &["parcours", "liste", "--statut", "ouvert", "--format", "json"],
    ))
    .unwrap();
    let anciens: Vec<String> = ouverts
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["entree"].as_str().unwrap() < "2026-10-01")
        .take(12)
        .map(|p| p["dossier"].to_string())
        .collect();
    assert_eq!(anciens.len(), 12);
    le(
        &env,
        "2026-12-05",
        &[
            "parcours", "orienter", &anciens[0], "social", "--date", "2026-11-20", "--motif", "Essai.",
        ],
    );
    for (i, n) in anciens.iter().enumerate() {
        let jour = if i % 2 == 0 { "2026-11-15" } else { "2026-12-03" };
        le(
            &env,
            "2026-12-05",
            &["parcours", "clore", n, "--motif", "emploi-durable", "--date", jour],
        );
    }
    le(
        &env,
        "2026-12-05",
        &[
            "parcours", "ouvrir", "--nom", "Tardif", "--prenom", "Noé", "--naissance", "1990-05-05", "--commune",
            "Verdun", "--date", "2026-11-02",
        ],
    );
    // Two people active in October move in December, to another EPCI; a sex is
    // rectified.
    for n in &anciens[1..3] {
        le(&env, "2026-12-05", &["parcours", "modifier", n, "--commune", "Stenay"]);
    }
    le(
        &env,
        "2026-12-05",
        &["parcours", "modifier", &anciens[3], "--sexe", "m"],
    );
    le(
        &env,
        "2026-12-06",
        &["parcours", "modifier", &anciens[4], "--sexe", "f"],
    );
    exporter(&env, "2027-01-20", "2026-10", "second");
    for f in ["indicateurs.csv", "parcours.csv"] {
        let lire = |d: &str| std::fs::read(env.dir.path().join(d).join(f)).unwrap();
        assert!(lire("premier") == lire("second"), "{f} a changé");
    }
    // No exit after October in October's rows.
    let parcours = lire_csv(&env.dir.path().join("second/parcours.csv"));
    let sortie = parcours[0].iter().position(|c| c == "sortie").unwrap();
    assert!(
        parcours[1..]
            .iter()
            .all(|l| l[sortie].is_empty() || l[sortie] == "2026-10" || l[sortie] == "secret")
    );
}

/// Counts the rows of parcours.csv by their quasi-identifiers.
fn classes(chemin: &Path) -> BTreeMap<Vec<String>, usize> {
    let lignes = lire_csv(chemin);
    let entetes = &lignes[0];
    let colonnes: Vec<usize> = ["tranche_age", "sexe", "epci", "entree", "sortie", "motif_sortie"]
        .iter()
        .map(|c| entetes.iter().position(|e| e == c).unwrap())
        .collect();
    let mut classes = BTreeMap::new();
    for l in &lignes[1..] {
        *classes
            .entry(colonnes.iter().map(|c| l[*c].clone()).collect())
            .or_insert(0) += 1;
    }
    classes
}

#[test]
fn the_row_file_is_k_anonymous() {
    let env = demo("1500");
    for (mois, seuil) in [("2026-10", "5"), ("2026-03", "5"), ("2026-10", "8")] {
        let dossier = format!("pack-{mois}-{seuil}");
        le(
            &env,
            "2026-11-26",
            &[
                "stats", "export", "--mois", mois, "--sortie", &dossier, "--seuil", seuil,
            ],
        );
        let classes = classes(&env.dir.path().join(&dossier).join("parcours.csv"));
        let lignes: usize = classes.values().sum();
        assert!(lignes > 300, "{mois} : {lignes} lignes");
        let k: usize = seuil.parse().unwrap();
        for (classe, n) in &classes {
            assert!(*n >= k, "{mois} : {classe:?} n'a que {n} ligne(s)");
        }
        // Generalised, not emptied: most rows keep their quasi-identifiers.
        let masquees = classes
            .iter()
            .filter(|(c, _)| c[0] == "secret")
            .map(|(_, n)| n)
            .sum::<usize>();
        assert!(
            masquees * 5 < lignes,
            "{mois} : {masquees} lignes masquées sur {lignes}"
        );
    }
}

#[test]
fn months_that_have_not_begun_are_refused_and_the_current_one_is_provisional() {
    let env = demo("300");
    for args in [
        vec!["stats", "mensuel", "--mois", "2026-12"],
        vec!["stats", "export", "--mois", "2027-01", "--sortie", "pack"],
        vec!["stats", "rapport", "--mois", "2026-12", "--sortie", "r.html"],
    ] {
        let out = env.spie(&args).env("SPIE_CLE_PSEUDO", CLE).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        let e = String::from_utf8_lossy(&out.stderr);
        assert!(e.contains("n'a pas commencé"), "{e}");
    }
    // November 2026, on 26 November: in progress, and said so everywhere.
    let table = le(
        &env,
        "2026-11-26",
        &["stats", "mensuel", "--mois", "2026-11", "--format", "table"],
    );
    assert!(table.contains("2026-11 (mois en cours : provisoire)"), "{table}");
    let json: serde_json::Value = serde_json::from_str(&le(
        &env,
        "2026-11-26",
        &["stats", "mensuel", "--mois", "2026-11", "--format", "json"],
    ))
    .unwrap();
    assert_eq!(json["mois_en_cours"], true);
    let json: serde_json::Value = serde_json::from_str(&le(
        &env,
        "2026-11-26",
        &["stats", "mensuel", "--mois", "2026-09", "--format", "json"],
    ))
    .unwrap();
    assert_eq!(json["mois_en_cours"], false);
    let pack: serde_json::Value = serde_json::from_str(&le(
        &env,
        "2026-11-26",
        &[
            "stats", "export", "--mois", "2026-11", "--sortie", "pack", "--format", "json",
        ],
    ))
    .unwrap();
    assert_eq!(pack["provisoire"], true);
    let indicateurs = lire_csv(&env.dir.path().join("pack/indicateurs.csv"));
    let provisoire = indicateurs[0].iter().position(|c| c == "provisoire").unwrap();
    assert!(indicateurs[1..].iter().all(|l| l[provisoire] == "oui"));
    le(
        &env,
        "2026-11-26",
        &["stats", "rapport", "--mois", "2026-11", "--sortie", "r.html"],
    );
    let html = std::fs::read_to_string(env.dir.path().join("r.html")).unwrap();
    assert!(html.contains("novembre 2026 (mois en cours : chiffres provisoires)"));
}

#[test]
fn groups_show_only_what_is_counted_per_group() {
    let env = demo("600");
    let par: serde_json::Value = serde_json::from_str(&le(
        &env,
        "2026-11-26",
        &[
            "stats", "mensuel", "--mois", "2026-10", "--par", "epci", "--format", "json",
        ],
    ))
    .unwrap();
    let groupes = par.as_array().unwrap();
    let (total, epci) = groupes.split_last().unwrap();
    assert!(total["diagnostics"].as_u64().unwrap() > 0);
    for g in epci {
        assert!(
            g.get("diagnostics").is_none(),
            "{} : {:?}",
            g["groupe"],
            g.get("diagnostics")
        );
    }
    let table = le(
        &env,
        "2026-11-26",
        &[
            "stats", "mensuel", "--mois", "2026-10", "--par", "epci", "--format", "table",
        ],
    );
    assert_eq!(table.matches("Diagnostics réalisés").count(), 1, "{table}");
}
