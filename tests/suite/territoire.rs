//! The Département's view of the territory: the packs of three structures, some people
//! followed by two or three of them, consolidated and checked against one base holding
//! everyone once; and the packs it refuses.

use std::path::{Path, PathBuf};

use super::commun::Env;
use super::stats::{CLE, lire_csv};

/// Another key, as the Département of another territory would hand out (synthetic).
const AUTRE_CLE: &str = "Zk1cJt7ZpW8aHf4uEo6iDg5yTxNwRsq2mX3nLr0b9sV=";

/// One synthetic person: the same number gives the same person, with the same facts, in
/// every base.
fn suivre(env: &Env, i: usize) {
    let nom = format!("Personne{i}");
    let naissance = format!("19{:02}-0{}-1{}", 60 + i % 40, 1 + i % 9, i % 10);
    let commune = if i.is_multiple_of(3) { "Bar-le-Duc" } else { "Verdun" };
    let entree = if i.is_multiple_of(2) {
        "2026-08-17"
    } else {
        "2026-10-05"
    };
    let mut args = vec![
        "parcours", "ouvrir", "--nom", &nom, "--prenom", "Essai", "--naissance", &naissance, "--commune", commune,
        "--date", entree,
    ];
    if i % 4 != 1 {
        args.extend(["--referent", "m.durand"]);
    }
    let dossier = env.ok(&args).trim().to_owned();
    if i % 5 != 2 {
        let jour = if i.is_multiple_of(2) {
            "2026-08-25"
        } else {
            "2026-10-12"
        };
        let contrainte = if i.is_multiple_of(2) {
            "mobilite=fort"
        } else {
            "logement=moyen"
        };
        env.ok(&[
            "diagnostic", "nouveau", &dossier, "--date", jour, "--contrainte", contrainte,
        ]);
    }
    if i % 4 == 3 {
        env.ok(&[
            "parcours", "clore", &dossier, "--motif", "emploi-durable", "--date", "2026-10-20",
        ]);
    }
}

/// A test base of structure `structure` following the people `personnes`.
fn base(structure: &str, personnes: impl IntoIterator<Item = usize>) -> Env {
    let env = Env::vide();
    env.ok(&["base", "init", "--essai", "--structure", structure]);
    env.ok(&[
        "agent", "ajouter", "m.durand", "--nom", "Marc Durand", "--structure", structure,
    ]);
    for i in personnes {
        suivre(&env, i);
    }
    env
}

/// Exports the pack of `mois` of `env` under `cle` into `dossier`.
fn exporter(env: &Env, mois: &str, cle: &str, dossier: &Path) {
    env.spie(&["stats", "export", "--mois", mois, "--sortie", dossier.to_str().unwrap()])
        .env("SPIE_CLE_PSEUDO", cle)
        .assert()
        .success();
}

/// Three structures, each following its own people and some of the others'.
struct Territoire {
    bases: Vec<Env>,
    packs: PathBuf,
    _dossier: tempfile::TempDir,
}

/// Structure 1 follows people 0–29, 2 follows 20–49, 3 follows 25–34 and 45–59 (times
/// `n`/60): people 20–29 are followed by two structures, 25–29 by three; `n` in all.
fn territoire(n: usize) -> Territoire {
    let dossier = tempfile::tempdir().unwrap();
    let part = |i: usize| i * n / 60;
    let bases = vec![
        base("CCAS de Verdun", 0..part(30)),
        base("Mission locale", part(20)..part(50)),
        base("Cap emploi", (part(25)..part(35)).chain(part(45)..n)),
    ];
    for (i, b) in bases.iter().enumerate() {
        exporter(b, "2026-10", CLE, &dossier.path().join(format!("pack{}", i + 1)));
    }
    Territoire {
        bases,
        packs: dossier.path().to_owned(),
        _dossier: dossier,
    }
}

impl Territoire {
    fn pack(&self, n: usize) -> String {
        self.packs.join(format!("pack{n}")).to_str().unwrap().to_owned()
    }

    /// A copy of pack `n`, to damage.
    fn copie(&self, n: usize, nom: &str) -> String {
        let copie = self.packs.join(nom);
        std::fs::create_dir_all(&copie).unwrap();
        for f in std::fs::read_dir(self.pack(n)).unwrap() {
            let f = f.unwrap();
            std::fs::copy(f.path(), copie.join(f.file_name())).unwrap();
        }
        copie.to_str().unwrap().to_owned()
    }
}

#[test]
fn a_territory_counts_each_person_once_as_one_base_holding_everyone_would() {
    let t = territoire(60);
    let seule = base("Territoire", 0..60);
    let reference = t.packs.join("reference");
    exporter(&seule, "2026-10", CLE, &reference);

    let departement = Env::vide();
    let sortie = t.packs.join("meuse");
    let resultat = departement.json(&[
        "stats",
        "consolider",
        &t.pack(1),
        &t.pack(2),
        &t.pack(3),
        "--sortie",
        sortie.to_str().unwrap(),
        "--territoire",
        "Meuse",
    ]);
    assert_eq!(
        (resultat["parcours"].as_u64(), resultat["personnes"].as_u64()),
        (Some(85), Some(60))
    );
    assert!(!departement.base().exists(), "aucune base n'est créée ni lue");

    // The territory's rows (by EPCI, then total) are, cell for cell, those of the single
    // base: same counts, same secret statistique.
    let territoire = lire_csv(&sortie.join("indicateurs.csv"));
    let unique = lire_csv(&reference.join("indicateurs.csv"));
    assert_eq!(territoire[0][0], "structure");
    assert_eq!(territoire[0][1..], unique[0][..], "mêmes colonnes, plus la structure");
    // Except what counts the structures' work, not people: a person diagnosed by two
    // structures in the month had two diagnostics.
    let colonne = |nom: &str| unique[0].iter().position(|c| c == nom).unwrap();
    let activite = colonne("diagnostics");
    let sans_activite = |l: &[String]| l[..activite].to_vec();
    let du_territoire: Vec<Vec<String>> = territoire[1..]
        .iter()
        .filter(|l| l[0] == "Meuse")
        .map(|l| sans_activite(&l[1..]))
        .collect();
    assert_eq!(
        du_territoire,
        unique[1..].iter().map(|l| sans_activite(l)).collect::<Vec<_>>()
    );
    let total = unique.last().unwrap();
    assert_eq!(total[activite], "24");
    assert_eq!(
        territoire.last().unwrap()[activite + 1],
        "34",
        "12 + 12 + 10 diagnostics"
    );
    // The comparison means something: the total shows its file active, entries, exits.
    let visible = |nom: &str| total[colonne(nom)].parse::<u64>().unwrap();
    assert_eq!(
        (visible("file_active"), visible("entrees"), visible("sorties")),
        (45, 30, 15)
    );
    // Then one row per structure: its own pack's total row, as it published it.
    for (n, structure) in ["CCAS de Verdun", "Mission locale", "Cap emploi"].iter().enumerate() {
        let sien = lire_csv(&t.packs.join(format!("pack{}", n + 1)).join("indicateurs.csv"));
        let ligne = territoire.iter().find(|l| l[0] == *structure).unwrap();
        assert_eq!(ligne[1..], sien.last().unwrap()[..], "{structure}");
    }
    // parcours.csv: every structure's rows, with the structure, by pseudonym; the same
    // person has the same pseudonym in each.
    let parcours = lire_csv(&sortie.join("parcours.csv"));
    assert_eq!(parcours[0][0], "structure");
    assert_eq!(parcours.len() - 1, 85);
    let pseudonymes: std::collections::BTreeSet<&String> = parcours[1..].iter().map(|l| &l[1]).collect();
    assert_eq!(pseudonymes.len(), 60);
    let rapport = std::fs::read_to_string(sortie.join("rapport.html")).unwrap();
    assert!(rapport.contains("<h1>Meuse — octobre 2026</h1>"), "{rapport}");
    assert!(rapport.contains("<h2>Par structure</h2>") && rapport.contains("<td>Cap emploi</td>"));
    assert!(sortie.join("manifeste.txt").exists());
    drop(t.bases);
}

#[test]
fn packs_of_another_month_or_key_damaged_or_incomplete_are_refused_and_nothing_is_written() {
    let t = territoire(6);
    let departement = Env::vide();
    let refuse = |packs: &[&str], code: i32| -> String {
        let sortie = t.packs.join("refus");
        let mut args = vec!["stats", "consolider"];
        args.extend(packs);
        args.extend(["--sortie", sortie.to_str().unwrap()]);
        let e = departement.echec(&args, code);
        assert!(!sortie.exists(), "rien n'est écrit : {e}");
        e
    };

    let septembre = t.packs.join("septembre");
    exporter(&t.bases[1], "2026-09", CLE, &septembre);
    let e = refuse(&[&t.pack(1), septembre.to_str().unwrap()], 1);
    assert!(
        e.contains(septembre.to_str().unwrap()) && e.contains("2026-09") && e.contains("même mois"),
        "{e}"
    );

    let autre_cle = t.packs.join("autre-cle");
    exporter(&t.bases[2], "2026-10", AUTRE_CLE, &autre_cle);
    let e = refuse(&[&t.pack(1), &t.pack(2), autre_cle.to_str().unwrap()], 1);
    assert!(
        e.contains(autre_cle.to_str().unwrap()) && e.contains("autre clé de pseudonymisation"),
        "{e}"
    );
    // With the Département's key given, a pack under another is refused even alone.
    let sortie = t.packs.join("refus");
    let e = String::from_utf8(
        departement
            .spie(&[
                "stats",
                "consolider",
                autre_cle.to_str().unwrap(),
                "--sortie",
                sortie.to_str().unwrap(),
            ])
            .env("SPIE_CLE_PSEUDO", CLE)
            .assert()
            .code(1)
            .get_output()
            .stderr
            .clone(),
    )
    .unwrap();
    assert!(e.contains("SPIE_CLE_PSEUDO"), "{e}");

    // One flipped byte, in any file of the pack.
    for fichier in ["parcours.csv", "territoire.csv", "indicateurs.csv", "manifeste.txt"] {
        let abime = t.copie(2, &format!("abime-{fichier}"));
        let chemin = Path::new(&abime).join(fichier);
        let mut octets = std::fs::read(&chemin).unwrap();
        let milieu = octets.len() / 2;
        octets[milieu] ^= 0x04;
        std::fs::write(&chemin, octets).unwrap();
        let e = refuse(&[&t.pack(1), &abime], 1);
        assert!(
            e.contains(&abime) && e.contains(fichier) && e.contains("modifié"),
            "{fichier} : {e}"
        );
    }

    // A missing file; a folder that is no pack.
    let incomplet = t.copie(3, "incomplet");
    std::fs::remove_file(Path::new(&incomplet).join("territoire.csv")).unwrap();
    let e = refuse(&[&t.pack(1), &incomplet], 1);
    assert!(e.contains(&incomplet) && e.contains("territoire.csv manque"), "{e}");
    let e = refuse(&[&t.pack(1), t.packs.to_str().unwrap()], 1);
    assert!(e.contains("manifeste.txt manque"), "{e}");

    // The same structure twice; the output over one of the packs.
    let e = refuse(&[&t.pack(1), &t.copie(1, "double")], 1);
    assert!(e.contains("CCAS de Verdun") && e.contains("qu'une fois"), "{e}");
    let e = departement.echec(
        &["stats", "consolider", &t.pack(1), &t.pack(2), "--sortie", &t.pack(2)],
        2,
    );
    assert!(e.contains("serait remplacé"), "{e}");
}

/// Rewrites the manifest of `pack` so that it matches its files again, as someone who
/// changed a file and knows the format would: the checksums hold, not the signature.
fn refaire_le_manifeste(pack: &Path) {
    use sha2::{Digest, Sha256};
    let hex = |octets: &[u8]| {
        Sha256::digest(octets)
            .iter()
            .map(|o| format!("{o:02x}"))
            .collect::<String>()
    };
    let ancien = std::fs::read_to_string(pack.join("manifeste.txt")).unwrap();
    let mut texte = String::new();
    for ligne in ancien.lines().filter(|l| !l.starts_with("controle : ")) {
        match ligne.strip_prefix("fichier : ").and_then(|l| l.split_once(' ')) {
            Some((_, nom)) => {
                let somme = hex(&std::fs::read(pack.join(nom)).unwrap());
                texte.push_str(&format!("fichier : {somme} {nom}\n"));
            }
            None => texte.push_str(&format!("{ligne}\n")),
        }
    }
    let controle = hex(texte.as_bytes());
    std::fs::write(pack.join("manifeste.txt"), format!("{texte}controle : {controle}\n")).unwrap();
}

#[test]
fn the_packs_of_registered_structures_are_verified_by_their_signature() {
    let t = territoire(6);
    // The Département's base knows the keys of the CCAS and of the mission locale, not
    // of Cap emploi.
    let departement = Env::de_structure("Département de la Meuse", "d.stat");
    departement.connaitre("CCAS de Verdun", &t.bases[0]);
    departement.connaitre("Mission locale", &t.bases[1]);
    let sortie = t.packs.join("meuse");
    fn commande<'a>(packs: &[&'a str], sortie: &'a str, args: &[&'a str]) -> Vec<&'a str> {
        let mut tout = vec!["stats", "consolider"];
        tout.extend(packs);
        tout.extend(["--sortie", sortie]);
        tout.extend(args);
        tout
    }
    let vers = sortie.to_str().unwrap();
    let trois = [t.pack(1), t.pack(2), t.pack(3)];
    let trois: Vec<&str> = trois.iter().map(String::as_str).collect();
    let r = departement.json(&commande(&trois, vers, &[]));
    let controles = &r["controles"];
    assert_eq!(controles[0]["signe_par"], "CCAS de Verdun", "{r}");
    assert_eq!(controles[1]["signe_par"], "Mission locale", "{r}");
    assert!(controles[2]["signe_par"].is_null(), "{r}");
    assert_eq!(
        controles[2]["empreintes_seulement"],
        "clé de signature inconnue de cette base"
    );
    let texte = departement.ok(&commande(&trois, vers, &["--format", "table"]));
    assert!(
        texte.contains("signature de « Mission locale »") && texte.contains("empreintes seulement"),
        "{texte}"
    );
    // Without a base, no key is known: the checksums only, said so.
    let r = Env::vide().json(&commande(&trois[..2], vers, &[]));
    assert_eq!(
        r["controles"][0]["empreintes_seulement"], "aucune base : pas de clé de structure connue",
        "{r}"
    );

    let refuse = |packs: &[&str]| -> String {
        let _ = std::fs::remove_dir_all(&sortie);
        let e = departement.echec(&commande(packs, vers, &[]), 1);
        assert!(!sortie.exists(), "rien n'est écrit : {e}");
        e
    };
    // A CSV changed after signing, its manifest rewritten to match: the signature fails.
    let falsifie = t.copie(2, "falsifie");
    let chemin = Path::new(&falsifie).join("territoire.csv");
    let texte = std::fs::read_to_string(&chemin)
        .unwrap()
        .replacen("file_active=1", "file_active=2", 1);
    std::fs::write(&chemin, texte).unwrap();
    refaire_le_manifeste(Path::new(&falsifie));
    let e = refuse(&[&t.pack(1), &falsifie]);
    assert!(
        e.contains(&falsifie) && e.contains("manifeste.sig") && e.contains("modifié après avoir été signé"),
        "{e}"
    );
    // Its signature removed: still refused, the structure's key being known.
    std::fs::remove_file(Path::new(&falsifie).join("manifeste.sig")).unwrap();
    let e = refuse(&[&t.pack(1), &falsifie]);
    assert!(e.contains("n'est pas signé") && e.contains("« Mission locale »"), "{e}");
    // Another structure's signature put beside the manifest.
    let echange = t.copie(2, "signature-echangee");
    std::fs::copy(
        Path::new(&t.pack(1)).join("manifeste.sig"),
        Path::new(&echange).join("manifeste.sig"),
    )
    .unwrap();
    let e = refuse(&[&t.pack(1), &echange]);
    assert!(e.contains(&echange) && e.contains("ne correspond pas"), "{e}");
    // A pack in the mission locale's name, from a base of another key.
    let imposteur = base("Mission locale", 0..1);
    let dossier = t.packs.join("imposteur");
    exporter(&imposteur, "2026-10", CLE, &dossier);
    let e = refuse(&[&t.pack(1), dossier.to_str().unwrap()]);
    assert!(
        e.contains("signé d'une autre clé que celle de la structure « Mission locale »"),
        "{e}"
    );
}
