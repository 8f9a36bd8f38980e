//! Agents and structures.

use super::commun::Env;

#[test]
fn structures_are_added_checked_and_listed() {
    let env = Env::initialisee();
    let cree = env.json(&[
        "structure", "ajouter", "Mission locale Nord Meuse", "--siret", "732 829 320 00074", "--typologie", "ml",
        "--commune", "55100 Verdun",
    ]);
    assert_eq!(cree["id"], 2);
    let liste = env.json(&["structure", "liste"]);
    let ml = liste
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["nom"] == "Mission locale Nord Meuse")
        .unwrap();
    assert_eq!(ml["siret"], "73282932000074");
    assert_eq!(ml["typologie"], "ML");
    assert_eq!(ml["commune"], "55545");
    assert_eq!(ml["agents"], 0);
    let table = env.ok(&["structure", "liste", "--format", "table"]);
    assert!(table.contains("Verdun (55)") && table.contains("Type"), "{table}");

    let e = env.echec(&["structure", "ajouter", "mission locale nord meuse"], 1);
    assert!(e.contains("existe déjà"), "{e}");
    let e = env.echec(&["structure", "ajouter", "X", "--siret", "73282932000075"], 1);
    assert!(e.contains("SIRET invalide"), "{e}");
    let e = env.echec(&["structure", "ajouter", "X", "--typologie", "CCSA"], 1);
    assert!(e.contains("CCAS"), "{e}");
    let e = env.echec(&["structure", "ajouter", "X", "--commune", "Verdunn"], 1);
    assert!(e.contains("Verdun (55)"), "{e}");
}

#[test]
fn agents_are_added_by_an_administrator_only() {
    let env = Env::initialisee();
    let cree = env.json(&[
        "agent", "ajouter", "s.petit", "--nom", "Sophie Petit", "--structure", "ccas de verdun",
    ]);
    assert_eq!(cree["identifiant"], "s.petit");
    assert_eq!(
        env.ok(&[
            "agent", "ajouter", "l.roux", "--nom", "Léa Roux", "--structure", "1", "--format", "csv"
        ]),
        "l.roux\n"
    );
    let agents = env.json(&["agent", "liste"]);
    let identifiants: Vec<&str> = agents
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["identifiant"].as_str().unwrap())
        .collect();
    assert_eq!(identifiants, ["accueil", "admin", "l.roux", "m.durand", "s.petit"]);

    let e = env.echec(
        &["agent", "ajouter", "m.durand", "--nom", "Autre", "--structure", "1"],
        1,
    );
    assert!(e.contains("existe déjà"), "{e}");
    let e = env.echec(&["agent", "ajouter", "x.y", "--nom", "X", "--structure", "Inconnue"], 1);
    assert!(e.contains("structure inconnue") && e.contains("CCAS de Verdun"), "{e}");
    let e = env.echec(&["agent", "ajouter", "X Y", "--nom", "X", "--structure", "1"], 1);
    assert!(e.contains("identifiant d'agent"), "{e}");
    let e = env.echec(
        &[
            "agent", "ajouter", "x.y", "--nom", "X", "--structure", "1", "--agent", "m.durand",
        ],
        1,
    );
    assert!(e.contains("n'est pas administrateur"), "{e}");
}

#[test]
fn an_unregistered_agent_cannot_write_or_read_dossiers() {
    let env = Env::initialisee();
    let n = env.ouvrir("Dupont", "Marie", "1985-03-12", "Verdun", &[]).to_string();
    for args in [
        vec![
            "parcours", "ouvrir", "--nom", "A", "--prenom", "B", "--naissance", "2000-01-01", "--commune", "Verdun",
        ],
        vec!["parcours", "clore", &n, "--motif", "abandon"],
        vec!["structure", "ajouter", "X"],
        vec!["parcours", "voir", &n],
        vec!["parcours", "liste"],
        vec!["parcours", "chercher", "dupont"],
    ] {
        let mut args = args.clone();
        args.extend(["--agent", "inconnu"]);
        let e = env.echec(&args, 1);
        assert!(
            e.contains("l'agent « inconnu » n'est pas enregistré") && e.contains("spie agent ajouter inconnu"),
            "{e}"
        );
    }
    assert_eq!(env.sql("SELECT count(*) FROM personne"), 1);
    assert_eq!(env.sql("SELECT count(*) FROM parcours WHERE sortie IS NULL"), 1);
}

/// Agents and structures are an administrator's: anyone else is refused, and the refusal
/// is in the audit trail.
#[test]
fn only_an_administrator_adds_agents_and_structures_and_refusals_are_audited() {
    let env = Env::initialisee();
    let e = env.echec(
        &[
            "agent", "ajouter", "x.martin", "--nom", "Xavier Martin", "--structure", "CCAS de Verdun", "--agent",
            "m.durand",
        ],
        1,
    );
    assert!(
        e.contains("« m.durand » n'est pas administrateur") && e.contains("aide : "),
        "{e}"
    );
    let e = env.echec(&["structure", "ajouter", "Mission locale", "--agent", "accueil"], 1);
    assert!(e.contains("n'est pas administrateur"), "{e}");
    assert_eq!(
        env.refus(),
        [
            ("m.durand".to_owned(), "agent ajouter".to_owned(), None),
            ("accueil".to_owned(), "structure ajouter".to_owned(), None),
        ]
    );
    let agents = env.json(&["agent", "liste", "--agent", "m.durand"]);
    assert_eq!(agents.as_array().unwrap().len(), 3, "{agents}");
}

/// The administrator who creates the base gives their name, shown to colleagues and on
/// convocations; without it, their identifier.
#[test]
fn the_administrator_names_themself_at_init() {
    let env = Env::vide();
    env.ok(&[
        "base", "init", "--essai", "--structure", "CCAS de Verdun", "--nom", "Claire Lambert", "--agent", "c.lambert",
    ]);
    let agents = env.json(&["agent", "liste", "--agent", "c.lambert"]);
    assert_eq!(agents[0]["nom"], "Claire Lambert", "{agents}");
    let e = env.echec(
        &[
            "base", "init", "--essai", "--structure", "X", "--nom", "", "--agent", "x.y", "--base", "autre.sqlite",
        ],
        1,
    );
    assert!(e.contains("--nom"), "{e}");
}
