//! Correcting the record: a note or an action label corrected or withdrawn keeps its
//! previous text, visible in the dossier and in the person's access export, and audited.

use super::commun::Env;

fn dossier_avec_une_note(env: &Env) -> (String, String) {
    let n = env.ouvrir("Martin", "Sophie", "1980-05-04", "Verdun", &[]).to_string();
    let note = env
        .ok(&[
            "parcours",
            "note",
            &n,
            "Entretien avec Mme Martn : logement",
            "--type",
            "entretien",
        ])
        .trim()
        .to_owned();
    (n, note)
}

#[test]
fn a_corrected_note_shows_its_previous_text_in_the_dossier_and_the_access_export() {
    let env = Env::initialisee();
    let (n, note) = dossier_avec_une_note(&env);
    env.ok(&[
        "parcours",
        "note",
        "corriger",
        &note,
        "Entretien avec Mme Martin : logement",
        "--motif",
        "faute de frappe",
    ]);

    let vue = env.json(&["parcours", "voir", &n]);
    assert_eq!(vue["journal"][0]["texte"], "Entretien avec Mme Martin : logement");
    assert_eq!(vue["journal"][0]["corrigee"], true);
    assert_eq!(vue["corrections"][0]["ancien"], "Entretien avec Mme Martn : logement");
    assert_eq!(vue["corrections"][0]["motif"], "faute de frappe");
    assert_eq!(vue["corrections"][0]["element"], format!("note {note}"));
    let table = env.ok(&["parcours", "voir", &n, "--format", "table"]);
    assert!(table.contains("Corrections") && table.contains("Martn"), "{table}");

    let export = env.json(&["parcours", "exporter", &n]);
    let corrections = export["tables"]["correction"].as_array().unwrap();
    assert_eq!(corrections.len(), 1, "{export}");
    assert_eq!(corrections[0]["ancien"], "Entretien avec Mme Martn : logement");
    assert!(env.dans_le_journal("admin", "parcours note corriger"));

    // Names, not the base's internal numbers; a readable page beside the JSON.
    let journal = &export["tables"]["journal"][0];
    assert!(journal.get("agent_id").is_none(), "{journal}");
    assert_eq!(journal["agent"], corrections[0]["agent"]);
    // Named as the person reads them: the agent's structure, not their login.
    let agent = journal["agent"].as_str().unwrap();
    assert_eq!(agent, "admin (CCAS de Verdun)", "{journal}");
    assert_eq!(export["tables"]["personne"][0]["commune_nom"], "Verdun");
    assert!(export["tables"]["parcours"][0]["structure"].is_string(), "{export}");
    env.ok(&["parcours", "exporter", &n, "--sortie", "dossier.json"]);
    let page = std::fs::read_to_string(env.dir.path().join("dossier.html")).unwrap();
    assert!(
        page.contains("Corrections (textes antérieurs)") && page.contains("Martn"),
        "{page}"
    );
    assert!(
        page.contains("Texte d'avant") && !page.contains("Issue d'avant"),
        "{page}"
    );
    assert!(page.contains("Consultations du dossier"));
    // The page is for the person: fields in words, dates as they read them, no number that
    // only links rows, no empty section for the base's bookkeeping.
    for technique in [
        "parcours_id", "agent_id", "empreinte", "nom_norm", "echange_", "cree_le", "<th>uid",
    ] {
        assert!(!page.contains(technique), "« {technique} » dans la page :\n{page}");
    }
    assert!(
        page.contains("Prénom") && page.contains("Créé le") && page.contains("26/11/2026"),
        "{page}"
    );
    // Both files or none.
    std::fs::write(env.dir.path().join("autre.html"), "à garder").unwrap();
    let e = env.echec(&["parcours", "exporter", &n, "--sortie", "autre.json"], 1);
    assert!(e.contains("autre.html existe déjà"), "{e}");
    assert!(!env.dir.path().join("autre.json").exists());
}

#[test]
fn a_withdrawn_note_needs_a_reason_and_no_longer_counts_as_a_contact() {
    let env = Env::initialisee();
    let (n, note) = dossier_avec_une_note(&env);
    let e = env.echec(&["parcours", "note", "retirer", &note, "--motif", " "], 2);
    assert!(e.contains("--motif"), "{e}");
    assert_eq!(env.json(&["parcours", "voir", &n])["journal"][0]["retiree"], false);

    env.ok(&[
        "parcours",
        "note",
        "retirer",
        &note,
        "--motif",
        "saisie dans le mauvais dossier",
    ]);
    let vue = env.json(&["parcours", "voir", &n]);
    assert_eq!(vue["journal"][0]["retiree"], true);
    assert_eq!(vue["journal"][0]["texte"], "");
    assert_eq!(vue["dernier_contact"], serde_json::Value::Null);
    assert_eq!(vue["corrections"][0]["retrait"], true);
    assert!(env.dans_le_journal("admin", "parcours note retirer"));
    let e = env.echec(&["parcours", "note", "retirer", &note, "--motif", "encore"], 1);
    assert!(e.contains("déjà retirée"), "{e}");
}

#[test]
fn an_action_label_is_corrected_and_bad_input_loses_nothing() {
    let env = Env::initialisee();
    let (n, note) = dossier_avec_une_note(&env);
    let action = env.ok(&[
        "parcours", "action", "ajouter", &n, "--libelle", "Inscriptoin auto-école",
    ]);
    let action = action.trim();
    env.ok(&["parcours", "action", "corriger", action, "Inscription auto-école"]);
    let vue = env.json(&["parcours", "voir", &n]);
    assert_eq!(vue["actions_sans_objectif"][0]["libelle"], "Inscription auto-école");
    assert_eq!(vue["corrections"][0]["ancien"], "Inscriptoin auto-école");

    let e = env.echec(&["parcours", "note", "corriger", &note, ""], 2);
    assert!(e.contains("vide"), "{e}");
    let e = env.echec(&["parcours", "note", "corriger", "99", "texte"], 1);
    assert!(e.contains("note inconnue : 99"), "{e}");
    assert_eq!(
        env.json(&["parcours", "voir", &n])["journal"][0]["texte"],
        "Entretien avec Mme Martn : logement"
    );
    // An agent without access to the dossier cannot correct it.
    let intrus = env.partenaire();
    let refus = env
        .spie(&["parcours", "note", "corriger", &note, "autre"])
        .env("SPIE_AGENT", intrus)
        .output()
        .unwrap();
    assert!(!refus.status.success());
    assert_eq!(
        env.json(&["parcours", "voir", &n])["journal"][0]["texte"],
        "Entretien avec Mme Martn : logement"
    );
}

#[test]
fn a_diagnostic_entered_by_mistake_is_kept_but_leaves_stats_and_comparisons() {
    let env = Env::initialisee();
    let n = env.ouvrir("Martin", "Sophie", "1980-05-04", "Verdun", &["--date", "2026-10-01"]);
    let n = n.to_string();
    env.ok(&[
        "diagnostic", "nouveau", &n, "--contrainte", "mobilite=fort", "--date", "2026-10-05",
    ]);
    let faux = env.json(&[
        "diagnostic", "nouveau", &n, "--contrainte", "logement=fort", "--date", "2026-10-20",
    ])["id"]
        .to_string();
    let faux = faux.as_str();
    assert_eq!(env.json(&["stats", "mensuel", "--mois", "2026-10"])["diagnostics"], 2);
    env.ok(&["diagnostic", "comparer", &n]);

    let e = env.echec(&["diagnostic", "erreur", faux, "--motif", ""], 2);
    assert!(e.contains("--motif"), "{e}");
    env.ok(&["diagnostic", "erreur", faux, "--motif", "saisi dans le mauvais dossier"]);
    assert!(env.dans_le_journal("admin", "diagnostic erreur"));

    assert_eq!(env.json(&["stats", "mensuel", "--mois", "2026-10"])["diagnostics"], 1);
    let e = env.echec(&["diagnostic", "comparer", &n], 1);
    assert!(e.contains("il en faut deux"), "{e}");
    // Kept in the history, marked; the dossier's latest diagnostic is the one that counts.
    let historique = env.json(&["diagnostic", "voir", &n, "--historique"]);
    assert_eq!(historique.as_array().unwrap().len(), 2);
    assert_eq!(
        historique[1]["saisi_par_erreur"]["motif"],
        "saisi dans le mauvais dossier"
    );
    assert_eq!(env.json(&["parcours", "voir", &n])["diagnostic"]["date"], "2026-10-05");
    let e = env.echec(&["diagnostic", "erreur", faux, "--motif", "encore"], 1);
    assert!(e.contains("déjà"), "{e}");
}

/// The access page is read by the person: every coded value in words (statuses, kinds,
/// constraints, orientation, sex, publics, thematiques), no column of the base's own.
#[test]
fn the_access_page_gives_every_code_in_words() {
    let env = Env::initialisee();
    let n = env.lucie_martin(&["--sexe", "f", "--public", "rsa", "--referent", "m.durand"]);
    env.ok(&[
        "diagnostic", "nouveau", &n, "--contrainte", "sante=fort", "--contrainte", "mobilite=moyen", "--situation",
        "mobilite:sans-permis", "--projet", "a-preciser", "--activite-24-mois", "oui",
    ]);
    env.ok(&["parcours", "orienter", &n, "sociopro"]);
    env.ok(&[
        "parcours", "objectif", "ajouter", &n, "--thematique", "mobilite--preparer-un-permis",
    ]);
    env.ok(&["parcours", "action", "ajouter", &n, "--libelle", "Code de la route"]);
    env.ok(&["parcours", "note", &n, "Appel", "--type", "telephone"]);
    env.ok(&["rdv", "planifier", &n, "--le", "01/12/2026 10:00", "--type", "suivi"]);
    let passe = env.ok(&["rdv", "planifier", &n, "--le", "26/11/2026 08:00"]);
    env.ok(&["rdv", "absent", passe.trim()]);
    env.ok(&["rdv", "honore", passe.trim(), "--corriger", "--motif", "erreur de clic"]);
    env.ok(&[
        "parcours", "contrat", &n, "--type", "cer", "--debut", "2026-11-26", "--fin", "2027-05-25",
    ]);
    env.ok(&["parcours", "exporter", &n, "--sortie", "dossier.json"]);
    let page = std::fs::read_to_string(env.dir.path().join("dossier.html")).unwrap();
    for code in [
        "f", "rsa", "sante", "fort", "mobilite", "moyen", "sans-permis", "a-preciser", "sociopro", "en-cours",
        "proposee", "telephone", "prevu", "cer", "mobilite--preparer-un-permis", "0", "absent", "honore",
    ] {
        assert!(
            !page.contains(&format!("<td>{code}</td>")) && !page.contains(&format!("<dd>{code}</dd>")),
            "code « {code} » dans la page :\n{page}"
        );
    }
    for mot in [
        "Femme", "Santé", "Impact fort", "pas de permis de conduire", "Parcours socio-professionnel", "En cours",
        "Proposée", "Échange téléphonique", "Prévu", "engagements réciproques", "Préparer un permis", "non",
        "bénéficiaire du RSA", "Absent, sans prévenir", "Notée le", "Convocation écrite le",
    ] {
        assert!(page.contains(mot), "« {mot} » absent de la page :\n{page}");
    }
    for titre in [
        "Orientation suggérée",
        "Règle",
        "Privée",
        "Activité dans les 24 derniers mois",
    ] {
        // A table's column, or a field of a one-row section.
        assert!(
            page.contains(&format!("<th>{titre}</th>")) || page.contains(&format!("<dt>{titre}</dt>")),
            "« {titre} » absent :\n{page}"
        );
    }
    assert!(!page.contains("Sans referent"), "{page}");
}

/// A note typed in the wrong dossier is about someone else: withdrawn with
/// `--autre-personne`, its text leaves this dossier, its sheet and its access export; the
/// withdrawal itself stays, with its reason.
#[test]
fn a_note_about_someone_else_is_withdrawn_without_keeping_its_text() {
    let env = Env::initialisee();
    let (n, note) = dossier_avec_une_note(&env);
    let autre = env.ok(&["parcours", "note", &n, "M. Zorglub a rappelé pour son RSA"]);
    env.ok(&[
        "parcours",
        "note",
        "retirer",
        autre.trim(),
        "--motif",
        "saisie dans le mauvais dossier",
        "--autre-personne",
    ]);
    env.ok(&["parcours", "note", "retirer", &note, "--motif", "doublon"]);
    env.ok(&["parcours", "voir", &n, "--sortie", "fiche.html"]);
    env.ok(&["parcours", "exporter", &n, "--sortie", "dossier.json"]);
    let lire = |f: &str| std::fs::read_to_string(env.dir.path().join(f)).unwrap();
    for (ou, texte) in [
        ("écran", env.ok(&["parcours", "voir", &n, "--format", "csv"])),
        ("fiche", lire("fiche.html")),
        ("export", lire("dossier.json")),
        ("page", lire("dossier.html")),
    ] {
        assert!(!texte.contains("Zorglub"), "{ou} :\n{texte}");
        assert!(
            texte.contains("mauvais dossier"),
            "le retrait reste, avec son motif ({ou}) :\n{texte}"
        );
        assert!(
            texte.contains("Martn"),
            "un retrait ordinaire garde l'ancien texte ({ou}) :\n{texte}"
        );
    }
    assert!(env.dans_le_journal("admin", "parcours note retirer"));
}
