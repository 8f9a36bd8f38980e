//! Who may see and change a dossier (docs/protection-des-donnees.md): a partner of another
//! structure, the `accueil` role, break-glass reads, and lists that show only what the
//! agent may see. Every refusal is audited.

use super::commun::Env;

/// The base of `Env::initialisee`, plus a partner structure and its caseworker `l.roux`;
/// and a dossier of the CCAS followed by `m.durand`.
fn avec_partenaire() -> (Env, String) {
    let env = Env::initialisee();
    env.ok(&["structure", "ajouter", "Mission locale"]);
    env.ok(&[
        "agent", "ajouter", "l.roux", "--nom", "Léa Roux", "--structure", "Mission locale",
    ]);
    let n = env
        .ouvrir("Dupont", "Marie", "1985-03-12", "Verdun", &["--referent", "m.durand"])
        .to_string();
    (env, n)
}

/// The (agent, command) entries of the dossier's audit trail.
fn journal(env: &Env, dossier: &str) -> Vec<(String, String)> {
    env.json(&["base", "journal", "--dossier", dossier])
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["agent"].as_str().unwrap().to_owned(),
                e["commande"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[test]
fn a_partner_reads_and_writes_only_with_the_persons_consent() {
    let (env, n) = avec_partenaire();
    let voir = ["parcours", "voir", &n, "--agent", "l.roux"];
    let noter = ["parcours", "note", &n, "appel du partenaire", "--agent", "l.roux"];
    let clore = ["parcours", "clore", &n, "--motif", "autre", "--agent", "l.roux"];
    for args in [&voir[..], &noter, &clore] {
        let e = env.echec(args, 1);
        assert!(
            e.contains(&format!("vous ne suivez pas le dossier {n}")),
            "{args:?} : {e}"
        );
        assert!(e.contains("aide : "), "{e}");
    }
    let refus: Vec<String> = journal(&env, &n)
        .into_iter()
        .filter(|(agent, _)| agent == "l.roux")
        .map(|(_, commande)| commande)
        .collect();
    assert_eq!(
        refus,
        [
            "parcours voir — refusé", "parcours note — refusé", "parcours clore — refusé"
        ]
    );

    // With the person's consent, in the team: reads and writes, but does not close.
    env.ok(&["parcours", "consentement", &n, "--partage", "oui"]);
    env.ok(&["parcours", "membre", "ajouter", &n, "l.roux"]);
    assert_eq!(env.json(&voir)["nom"], "Dupont");
    env.ok(&noter);
    let e = env.echec(&clore, 1);
    assert!(e.contains("seuls son référent et la structure"), "{e}");

    // Consent withdrawn: the partner's access ends, the holding structure keeps its own.
    env.ok(&[
        "parcours", "consentement", &n, "--partage", "non", "--agent", "m.durand",
    ]);
    let e = env.echec(&voir, 1);
    assert!(e.contains("retiré le partage"), "{e}");
    env.echec(&noter, 1);
    env.ok(&["parcours", "voir", &n, "--agent", "m.durand"]);
    env.ok(&["parcours", "voir", &n]);
    let refus_de_lecture = journal(&env, &n)
        .iter()
        .filter(|(agent, commande)| agent == "l.roux" && commande == "parcours voir — refusé")
        .count();
    assert_eq!(refus_de_lecture, 2);
}

#[test]
fn the_reception_sees_identity_never_diagnostic_nor_journal() {
    let env = Env::initialisee();
    // Any agent opens a dossier, reception included.
    let n = env
        .ouvrir(
            "Martin",
            "Paul",
            "1990-01-01",
            "Verdun",
            &["--agent", "accueil", "--telephone", "0612345678"],
        )
        .to_string();
    env.ok(&["parcours", "referent", &n, "m.durand"]);
    env.ok(&[
        "diagnostic", "nouveau", &n, "--contrainte", "mobilite=fort", "--agent", "m.durand",
    ]);
    env.ok(&["parcours", "note", &n, "entretien difficile", "--agent", "m.durand"]);

    let complet = env.json(&["parcours", "voir", &n, "--agent", "m.durand"]);
    assert!(complet["diagnostic"].is_object(), "{complet}");
    assert_eq!(complet["journal"].as_array().unwrap().len(), 1);

    let vue = env.json(&["parcours", "voir", &n, "--agent", "accueil"]);
    assert_eq!(vue["nom"], "Martin");
    assert_eq!(vue["telephone"], complet["telephone"]);
    assert_eq!(vue["equipe"], complet["equipe"]);
    assert!(vue["diagnostic"].is_null(), "{vue}");
    assert_eq!(vue["journal"], serde_json::json!([]));
    assert!(!vue.to_string().contains("entretien difficile"));

    // Reading the journal through another door is refused too.
    for args in [
        vec!["parcours", "exporter", &n, "--agent", "accueil"],
        vec!["parcours", "note", &n, "x", "--agent", "accueil"],
    ] {
        let e = env.echec(&args, 1);
        assert!(e.contains("le rôle « accueil » ne permet pas"), "{args:?} : {e}");
    }
}

/// `diagnostic a-faire` lists diagnostics to do: the reception, which never sees a
/// diagnostic, is told so (refused and audited like its other refusals), not told that
/// every parcours has one.
#[test]
fn the_reception_is_told_it_does_not_see_diagnostics_to_do() {
    let env = Env::initialisee();
    env.ouvrir(
        "Martin",
        "Paul",
        "1990-01-01",
        "Verdun",
        &["--date", "2026-08-01", "--referent", "m.durand"],
    );
    let e = env.echec(&["diagnostic", "a-faire", "--agent", "accueil"], 1);
    assert!(
        e.contains("le rôle « accueil » ne permet pas") && e.contains("diagnostics"),
        "{e}"
    );
    assert!(!e.contains("ont un diagnostic"), "{e}");
    assert_eq!(
        env.refus(),
        [("accueil".to_owned(), "diagnostic a-faire".to_owned(), None)]
    );
    assert_eq!(
        env.json(&["diagnostic", "a-faire", "--agent", "m.durand"])
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

/// `diagnostic a-faire` shows only the dossiers the agent may read, and audits each one.
#[test]
fn diagnostics_to_do_are_those_the_agent_may_read() {
    let (env, n) = avec_partenaire();
    // Six weeks after the entry, still without diagnostic.
    let a_faire = |agent: &str| -> Vec<String> {
        let out = env
            .spie(&["diagnostic", "a-faire", "--format", "json", "--agent", agent])
            .env("SPIE_DATE", "2027-01-10")
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let lignes: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        lignes
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l["dossier"].to_string())
            .collect()
    };
    assert_eq!(a_faire("m.durand"), [n.as_str()]);
    assert!(a_faire("l.roux").is_empty());
    env.ok(&["parcours", "consentement", &n, "--partage", "oui"]);
    env.ok(&["parcours", "membre", "ajouter", &n, "l.roux"]);
    assert_eq!(a_faire("l.roux"), [n.as_str()]);
    assert!(journal(&env, &n).contains(&("l.roux".to_owned(), "diagnostic a-faire".to_owned())));
    env.ok(&["parcours", "consentement", &n, "--partage", "non"]);
    assert!(a_faire("l.roux").is_empty());
}

#[test]
fn a_break_glass_read_is_logged_and_shown_to_the_referent() {
    let (env, n) = avec_partenaire();
    let vue = env.json(&[
        "parcours", "voir", &n, "--agent", "l.roux", "--motif", "urgence hébergement",
    ]);
    assert_eq!(vue["nom"], "Dupont");
    // Once: the next read without a reason is refused again.
    env.echec(&["parcours", "voir", &n, "--agent", "l.roux"], 1);
    // Break-glass opens reads only.
    env.echec(&["parcours", "note", &n, "x", "--agent", "l.roux"], 1);

    assert!(
        journal(&env, &n).contains(&(
            "l.roux".to_owned(),
            "parcours voir — bris de glace : urgence hébergement".to_owned()
        )),
        "{:?}",
        journal(&env, &n)
    );
    let taches = env.json(&["parcours", "a-faire", "--agent", "m.durand"]);
    let lecture = taches
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["categorie"] == "lecture-sans-lien")
        .unwrap_or_else(|| panic!("{taches}"));
    assert_eq!(lecture["dossier"].to_string(), n);
    assert_eq!(
        lecture["detail"],
        format!("dossier {n} lu par Léa Roux (Mission locale) sans lien : urgence hébergement")
    );
    // Another agent of the structure, not the référent, is not told.
    let autres = env.json(&["parcours", "a-faire"]);
    assert!(!autres.to_string().contains("lecture-sans-lien"), "{autres}");
}

/// A dossier without a référent (not yet named, or its parcours closed) has its
/// break-glass reads told to the administrators of the structure that holds it.
#[test]
fn a_break_glass_read_of_a_dossier_without_referent_is_shown_to_its_structures_administrators() {
    let (env, n) = avec_partenaire();
    let sans = env.ouvrir("Martin", "Paul", "1970-01-01", "Verdun", &[]).to_string();
    env.ok(&["parcours", "clore", &n, "--motif", "autre", "--agent", "m.durand"]);
    for dossier in [&sans, &n] {
        env.ok(&[
            "parcours", "voir", dossier, "--agent", "l.roux", "--motif", "verification",
        ]);
    }
    let lues = |agent: &str| -> Vec<String> {
        env.json(&["parcours", "a-faire", "--agent", agent])
            .as_array()
            .unwrap()
            .iter()
            .filter(|t| t["categorie"] == "lecture-sans-lien")
            .map(|t| t["dossier"].to_string())
            .collect()
    };
    let mut admin = lues("admin");
    admin.sort();
    assert_eq!(admin, [n.clone(), sans.clone()]);
    // Not the structure's other agents, nor the partner's.
    assert!(lues("m.durand").is_empty() && lues("accueil").is_empty() && lues("l.roux").is_empty());
}

#[test]
fn lists_searches_and_todos_show_only_what_the_agent_may_see() {
    let (env, n) = avec_partenaire();
    let ailleurs = env
        .ouvrir("Durand", "Lucie", "1992-05-01", "Verdun", &["--agent", "l.roux"])
        .to_string();
    let numeros = |v: serde_json::Value| -> Vec<String> {
        v.as_array().unwrap().iter().map(|l| l["dossier"].to_string()).collect()
    };
    // Each structure sees its own.
    assert_eq!(numeros(env.json(&["parcours", "liste"])), [n.as_str()]);
    assert_eq!(
        numeros(env.json(&["parcours", "liste", "--agent", "l.roux"])),
        [ailleurs.as_str()]
    );
    assert_eq!(numeros(env.json(&["parcours", "chercher", "du"])), [n.as_str()]);
    assert_eq!(
        numeros(env.json(&["parcours", "chercher", "du", "--agent", "l.roux"])),
        [ailleurs.as_str()]
    );
    let taches = env.json(&["parcours", "a-faire", "--tous", "--agent", "l.roux"]);
    assert!(numeros(taches).iter().all(|d| *d == ailleurs));

    // A partner in the team with consent sees the dossier in lists too, until withdrawn.
    env.ok(&["parcours", "consentement", &n, "--partage", "oui"]);
    env.ok(&["parcours", "membre", "ajouter", &n, "l.roux"]);
    let mut vus = numeros(env.json(&["parcours", "chercher", "du", "--agent", "l.roux"]));
    vus.sort();
    let mut attendus = vec![n.clone(), ailleurs.clone()];
    attendus.sort();
    assert_eq!(vus, attendus);
    env.ok(&["parcours", "consentement", &n, "--partage", "non"]);
    assert_eq!(
        numeros(env.json(&["parcours", "liste", "--agent", "l.roux"])),
        [ailleurs.as_str()]
    );

    // Each dossier shown is in its own trail: who saw it, with which command.
    let lu_par_roux: Vec<String> = journal(&env, &n)
        .into_iter()
        .filter(|(agent, _)| agent == "l.roux")
        .map(|(_, commande)| commande)
        .collect();
    assert_eq!(lu_par_roux, ["parcours chercher"]);
}

/// Every command that names a dossier, run by an agent of another structure without any
/// link to it: refused (exit 1, French message naming the dossier, a hint), the refusal in
/// the dossier's audit trail, and nothing of the dossier changed. An objective and an action
/// are named by their own numbers: they lead to the dossier all the same.
#[test]
fn every_command_naming_a_dossier_is_refused_to_an_agent_without_rights_and_audited() {
    let (env, n) = avec_partenaire();
    env.ok(&[
        "parcours", "objectif", "ajouter", &n, "--thematique", "mobilite", "--libelle", "Permis B", "--agent",
        "m.durand",
    ]);
    env.ok(&[
        "parcours", "action", "ajouter", &n, "--libelle", "Appeler l'auto-école", "--agent", "m.durand",
    ]);
    env.ok(&[
        "offre",
        "importer",
        &super::commun::fixture("offres/utf8-point-virgule.csv"),
        "--source",
        "p",
        "--appliquer",
    ]);
    env.ok(&[
        "rdv", "planifier", &n, "--le", "27/11/2026 10:00", "--agent", "m.durand",
    ]);
    env.ok(&["parcours", "note", &n, "Premier entretien.", "--agent", "m.durand"]);
    env.ok(&[
        "diagnostic", "nouveau", &n, "--non-interactif", "--contrainte", "mobilite=fort", "--agent", "m.durand",
    ]);
    let note = env
        .sql(&format!(
            "SELECT max(j.id) FROM journal j JOIN parcours pa ON pa.id = j.parcours_id WHERE pa.dossier = {n}"
        ))
        .to_string();
    let diagnostic = env
        .sql(&format!(
            "SELECT max(d.id) FROM diagnostic d JOIN parcours pa ON pa.id = d.parcours_id WHERE pa.dossier = {n}"
        ))
        .to_string();
    let empreinte = || {
        env.sql(&format!(
            "SELECT (SELECT count(*) FROM contrat) * 10000000 + (SELECT count(*) FROM prescription_statut) * 1000000
                    + (SELECT count(*) FROM rdv WHERE statut = 'prevu') * 100000 + (SELECT count(*) FROM journal) * 1000 + (SELECT count(*) FROM objectif) * 100
                    + (SELECT count(*) FROM action_statut) * 10 + (SELECT count(*) FROM parcours WHERE dossier = {n} AND sortie IS NULL)"
        ))
    };
    let avant = empreinte();
    let commandes: Vec<Vec<&str>> = vec![
        vec!["parcours", "voir", &n],
        vec!["parcours", "modifier", &n, "--telephone", "0600000000"],
        vec!["parcours", "referent", &n, "l.roux"],
        vec!["parcours", "orienter", &n, "pro"],
        vec!["parcours", "membre", "ajouter", &n, "l.roux"],
        vec!["parcours", "membre", "retirer", &n, "m.durand"],
        vec!["parcours", "consentement", &n, "--partage", "oui"],
        vec![
            "parcours", "objectif", "ajouter", &n, "--thematique", "mobilite", "--libelle", "Autre",
        ],
        vec!["parcours", "objectif", "statut", "1", "realise"],
        vec!["parcours", "action", "ajouter", &n, "--libelle", "Autre"],
        vec!["parcours", "action", "statut", "1", "realisee"],
        vec!["parcours", "note", &n, "texte"],
        vec!["parcours", "exporter", &n],
        vec!["parcours", "effacer", &n, "--confirmer"],
        vec!["parcours", "clore", &n, "--motif", "autre"],
        vec![
            "diagnostic", "nouveau", &n, "--non-interactif", "--contrainte", "mobilite=forte",
        ],
        vec!["diagnostic", "voir", &n],
        vec!["diagnostic", "comparer", &n],
        vec!["offre", "proposer", &n],
        vec!["offre", "prescrire", &n, "1"],
        vec![
            "parcours", "transmettre", &n, "--vers", "Mission locale", "--sortie", "envoi.spie",
        ],
        vec!["rdv", "planifier", &n, "--le", "28/11/2026 10:00"],
        vec!["rdv", "honore", "1"],
        vec!["rdv", "annule", "1"],
        vec!["rdv", "convocation", "1"],
        vec![
            "parcours", "contrat", &n, "--type", "cer", "--debut", "01/11/2026", "--fin", "01/05/2027",
        ],
        vec!["offre", "prescription", "1", "envoyee"],
        vec!["parcours", "voir", &n, "--sortie", "fiche.html"],
        vec!["parcours", "note", "corriger", &note, "Autre texte"],
        vec!["parcours", "note", "retirer", &note, "--motif", "erreur"],
        vec!["parcours", "action", "corriger", "1", "Autre libellé"],
        vec!["diagnostic", "erreur", &diagnostic, "--motif", "erreur"],
    ];
    for commande in &commandes {
        let mut args = commande.clone();
        args.extend(["--agent", "l.roux"]);
        let e = env.echec(&args, 1);
        assert!(
            e.contains(&format!("dossier {n}")) && e.contains("aide : ") && !e.contains("Dupont"),
            "{commande:?} : {e}"
        );
    }
    let refus: Vec<String> = journal(&env, &n)
        .into_iter()
        .filter(|(agent, _)| agent == "l.roux")
        .map(|(_, commande)| commande)
        .collect();
    assert_eq!(refus.len(), commandes.len(), "{refus:?}");
    assert!(refus.iter().all(|c| c.ends_with(" — refusé")), "{refus:?}");
    assert_eq!(empreinte(), avant, "nothing of the dossier changed");
    assert_eq!(env.sql("SELECT count(*) FROM correction"), 0, "nothing corrected");
    assert!(
        !env.dir.path().join("fiche.html").exists(),
        "no printable dossier written"
    );
    // Reopening needs a closed parcours: refused too once it is closed.
    env.ok(&["parcours", "clore", &n, "--motif", "autre", "--agent", "m.durand"]);
    let e = env.echec(&["parcours", "rouvrir", &n, "--agent", "l.roux"], 1);
    assert!(e.contains(&format!("dossier {n}")), "{e}");
}

/// The head of the audit trail, kept outside the base (printed by `base journal --ancre`,
/// written in every monthly pack), tells later whether the trail was cut or wiped: `base
/// verifier --ancre` fails (exit 3) when the trail no longer extends it.
#[test]
fn an_anchor_kept_outside_tells_a_cut_or_wiped_audit_trail() {
    let (env, n) = avec_partenaire();
    env.ok(&["parcours", "voir", &n]);
    let ancre = env.ok(&["base", "journal", "--ancre"]).trim().to_owned();
    let (position, empreinte) = ancre.split_once(':').unwrap();
    assert!(position.parse::<i64>().unwrap() > 1 && empreinte.len() == 64, "{ancre}");
    env.ok(&["parcours", "note", &n, "Appel", "--agent", "m.durand"]);
    env.ok(&["base", "verifier", "--ancre", &ancre]);
    // Every pack carries the head of the trail as it was.
    env.spie(&["stats", "export", "--mois", "2026-10", "--sortie", "pack"])
        .env("SPIE_CLE_PSEUDO", "cle-de-test-pas-un-secret-0123456789abcdef")
        .assert()
        .success();
    let du_pack = std::fs::read_to_string(env.dir.path().join("pack/ancre-journal.txt")).unwrap();
    env.ok(&["base", "verifier", "--ancre", du_pack.trim()]);

    // The tail cut, the entries after it taken back: the chain alone still verifies.
    let conn = rusqlite::Connection::open(env.base()).unwrap();
    conn.execute("DELETE FROM acces WHERE id >= ?1", [position.parse::<i64>().unwrap()])
        .unwrap();
    drop(conn);
    for _ in 0..3 {
        env.ok(&["parcours", "voir", &n, "--agent", "m.durand"]);
    }
    let sortie = env.spie(&["base", "verifier", "--ancre", &ancre]).output().unwrap();
    assert_eq!(sortie.status.code(), Some(3));
    let texte = String::from_utf8_lossy(&sortie.stdout);
    assert!(texte.contains("ne prolonge plus l'ancre"), "{texte}");
    // Wiped.
    rusqlite::Connection::open(env.base())
        .unwrap()
        .execute("DELETE FROM acces", [])
        .unwrap();
    let sortie = env
        .spie(&["base", "verifier", "--ancre", du_pack.trim()])
        .output()
        .unwrap();
    assert_eq!(
        sortie.status.code(),
        Some(3),
        "{du_pack} {}",
        String::from_utf8_lossy(&sortie.stdout)
    );
    let e = env.echec(&["base", "verifier", "--ancre", "12:pas-une-empreinte"], 2);
    assert!(e.contains("POSITION:EMPREINTE"), "{e}");
}

/// The référent reads the whole dossier: a partner of another structure becomes référent
/// only once the person agreed to sharing, however the référent is named.
#[test]
fn a_partner_becomes_referent_only_with_the_persons_consent() {
    let (env, n) = avec_partenaire();
    for args in [
        vec!["parcours", "referent", &n, "l.roux", "--agent", "m.durand"],
        vec![
            "parcours", "ouvrir", "--nom", "Martin", "--prenom", "Paul", "--naissance", "1970-01-01", "--commune",
            "Verdun", "--referent", "l.roux",
        ],
    ] {
        let e = env.echec(&args, 1);
        assert!(
            e.contains("autre structure") && e.contains("consentement"),
            "{args:?} : {e}"
        );
    }
    env.ok(&["parcours", "clore", &n, "--motif", "autre", "--agent", "m.durand"]);
    let e = env.echec(
        &["parcours", "rouvrir", &n, "--referent", "l.roux", "--agent", "m.durand"],
        1,
    );
    assert!(e.contains("consentement"), "{e}");
    env.ok(&["parcours", "rouvrir", &n, "--agent", "m.durand"]);
    env.ok(&[
        "parcours", "consentement", &n, "--partage", "non", "--agent", "m.durand",
    ]);
    env.echec(&["parcours", "referent", &n, "l.roux", "--agent", "m.durand"], 1);
    env.ok(&[
        "parcours", "consentement", &n, "--partage", "oui", "--agent", "m.durand",
    ]);
    env.ok(&["parcours", "referent", &n, "l.roux", "--agent", "m.durand"]);
    env.ok(&["parcours", "voir", &n, "--agent", "l.roux"]);
}

/// What an `accueil` agent's to-do list and the statistics by group never show.
#[test]
fn reception_todos_hold_no_plan_and_group_statistics_are_for_administrators() {
    let (env, n) = avec_partenaire();
    env.ok(&[
        "parcours", "action", "ajouter", &n, "--libelle", "Bilan de santé", "--echeance", "2026-12-01", "--agent",
        "m.durand",
    ]);
    // Six weeks later: the action is late, there is no diagnostic nor contact.
    let taches = |agent: &str| {
        let out = env
            .spie(&["parcours", "a-faire", "--tous", "--format", "csv", "--agent", agent])
            .env("SPIE_DATE", "2027-01-10")
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    };
    let accueil = taches("accueil");
    assert!(
        !accueil.contains("santé") && !accueil.contains("action-en-retard") && !accueil.contains("sans-diagnostic"),
        "{accueil}"
    );
    assert!(taches("m.durand").contains("Bilan de santé"), "the référent sees it");
    for agent in ["m.durand", "accueil", "l.roux"] {
        let e = env.echec(
            &[
                "stats", "mensuel", "--mois", "2026-10", "--par", "referent", "--agent", agent,
            ],
            1,
        );
        assert!(e.contains("administrateur"), "{agent} : {e}");
        let out = env
            .spie(&[
                "stats", "export", "--mois", "2026-10", "--sortie", "pack", "--agent", agent,
            ])
            .env("SPIE_CLE_PSEUDO", "cle-de-test-pas-un-secret-0123456789abcdef")
            .output()
            .unwrap();
        let e = String::from_utf8_lossy(&out.stderr);
        assert!(
            out.status.code() == Some(1) && e.contains("administrateur"),
            "{agent} : {e}"
        );
        // Exact counts, even of the whole base, would tell by difference what a new
        // diagnostic holds (one more person with a health barrier): the published report
        // instead, small counts hidden.
        let e = env.echec(&["stats", "mensuel", "--mois", "2026-10", "--agent", agent], 1);
        assert!(
            e.contains("administrateur") && e.contains("stats rapport"),
            "{agent} : {e}"
        );
        env.ok(&[
            "stats",
            "rapport",
            "--mois",
            "2026-10",
            "--sortie",
            &format!("{agent}.html"),
            "--agent",
            agent,
        ]);
    }
}

/// Opening a dossier for a person another structure follows says so, without the number
/// of a dossier the agent may not see.
#[test]
fn a_duplicate_held_elsewhere_is_said_without_its_number() {
    let (env, n) = avec_partenaire();
    let e = env.echec(
        &[
            "parcours", "ouvrir", "--nom", "Dupont", "--prenom", "Marie", "--naissance", "1985-03-12", "--commune",
            "Verdun", "--agent", "l.roux",
        ],
        1,
    );
    assert!(
        e.contains("autre structure") && !e.contains(&format!("dossier {n}")) && !e.contains(&format!(" {n} ")),
        "{e}"
    );
    // The holders of that dossier can tell who came across it.
    assert!(
        env.refus()
            .contains(&("l.roux".into(), "parcours ouvrir".into(), Some(n.parse().unwrap()))),
        "{:?}",
        env.refus()
    );
    // A probable duplicate (another birth date) is opened with a warning, unnumbered.
    let out = env
        .spie(&[
            "parcours", "ouvrir", "--nom", "Dupont", "--prenom", "Marie", "--naissance", "1990-01-01", "--commune",
            "Verdun", "--agent", "l.roux",
        ])
        .output()
        .unwrap();
    let avertissement = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{avertissement}");
    assert!(
        avertissement.contains("probable doublon d'un dossier d'une autre structure")
            && !avertissement.contains(&format!("dossier {n}")),
        "{avertissement}"
    );
    // That warning revealed something of dossier n: its trail says who came across it.
    let journal = env.json(&["base", "journal", "--dossier", &n, "--agent", "admin"]);
    assert!(
        journal.as_array().unwrap().iter().any(|e| e["agent"] == "l.roux"
            && e["commande"] == "parcours ouvrir — doublon signalé"
            && e["dossier"].as_i64() == n.parse().ok()),
        "{journal}"
    );
    // So does a rectified identity that comes to look like it.
    let autre = env.ouvrir("Durand", "Marie", "1991-05-05", "Verdun", &["--agent", "l.roux"]);
    env.ok(&[
        "parcours",
        "modifier",
        &autre.to_string(),
        "--nom",
        "Dupont",
        "--agent",
        "l.roux",
    ]);
    let signales = |journal: &serde_json::Value| {
        journal
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["commande"] == "parcours modifier — doublon signalé")
            .count()
    };
    assert_eq!(
        signales(&env.json(&["base", "journal", "--dossier", &n, "--agent", "admin"])),
        1
    );
    // Rectified into exactly that person's identity: refused as opening it would be,
    // unnumbered, audited on that dossier; --forcer for a namesake born the same day.
    let autre = autre.to_string();
    let modifier = [
        "parcours", "modifier", &autre, "--naissance", "1985-03-12", "--agent", "l.roux",
    ];
    let e = env.echec(&modifier, 1);
    assert!(
        e.contains("autre structure") && e.contains("--forcer") && !e.contains(&n),
        "{e}"
    );
    assert!(
        env.refus()
            .contains(&("l.roux".into(), "parcours modifier".into(), Some(n.parse().unwrap()))),
        "{:?}",
        env.refus()
    );
    assert!(
        env.ok(&["parcours", "voir", &autre, "--agent", "l.roux"])
            .contains("1991")
    );
    env.ok(&[&modifier[..], &["--forcer"]].concat());
    // Within the structure, the number is given.
    let e = env.echec(
        &[
            "parcours", "ouvrir", "--nom", "Dupont", "--prenom", "Marie", "--naissance", "1985-03-12", "--commune",
            "Verdun", "--agent", "m.durand",
        ],
        1,
    );
    assert!(e.contains(&format!("dossier {n}")), "{e}");
}

/// What the reception does not see is said as hidden, never as missing.
#[test]
fn the_reception_is_told_a_diagnostic_is_hidden_not_missing() {
    let (env, n) = avec_partenaire();
    env.ok(&[
        "diagnostic", "nouveau", &n, "--contrainte", "mobilite=fort", "--activite-24-mois", "non", "--agent",
        "m.durand",
    ]);
    let fiche = env.ok(&["parcours", "voir", &n, "--format", "csv", "--agent", "accueil"]);
    assert!(
        fiche.contains("Non visible") && !fiche.contains("spie diagnostic nouveau"),
        "{fiche}"
    );
    let e = env.echec(&["parcours", "note", &n, "x", "--agent", "accueil"], 1);
    assert!(e.contains("ne permet pas d'écrire"), "{e}");
}

/// An administrator manages the agents of their own structure only (and a new partner's
/// first agents): through an agent added to another structure, or one whose passphrase
/// they chose, they would read its dossiers.
#[test]
fn an_administrator_manages_only_the_agents_of_their_structure() {
    let (env, n) = avec_partenaire();
    // The partner had no administrator: the base's first one gives it its own.
    env.ok(&[
        "agent", "ajouter", "ml.admin", "--nom", "Admin ML", "--structure", "Mission locale", "--role", "admin",
    ]);
    let e = env.echec(
        &[
            "agent", "ajouter", "x.evil", "--nom", "X", "--structure", "CCAS de Verdun", "--agent", "ml.admin",
        ],
        1,
    );
    assert!(e.contains("gérés par ses propres administrateurs"), "{e}");
    let e = env.echec(&["agent", "retirer", "m.durand", "--agent", "ml.admin"], 1);
    assert!(e.contains("gérés par ses propres administrateurs"), "{e}");
    let refus = env.refus();
    for commande in ["agent ajouter", "agent retirer m.durand"] {
        assert!(
            refus.contains(&("ml.admin".into(), commande.into(), None)),
            "{commande} : {refus:?}"
        );
    }
    // Nothing changed: no new agent, m.durand still reads the dossier.
    assert!(!env.ok(&["agent", "liste"]).contains("x.evil"));
    env.ok(&["parcours", "voir", &n, "--agent", "m.durand"]);
    // Now that the partner has an administrator, its agents are theirs to manage.
    let e = env.echec(
        &[
            "agent", "ajouter", "l.petit", "--nom", "Luc Petit", "--structure", "Mission locale",
        ],
        1,
    );
    assert!(e.contains("« Mission locale »"), "{e}");
    env.ok(&[
        "agent", "ajouter", "l.petit", "--nom", "Luc Petit", "--structure", "Mission locale", "--agent", "ml.admin",
    ]);
    env.ok(&["agent", "retirer", "l.petit", "--agent", "ml.admin"]);
    // Nor does one write another structure's address, printed on its convocations.
    let e = env.echec(
        &[
            "structure", "modifier", "CCAS de Verdun", "--adresse", "ailleurs", "--agent", "ml.admin",
        ],
        1,
    );
    assert!(e.contains("gérés par ses propres administrateurs"), "{e}");
    env.ok(&[
        "structure", "modifier", "Mission locale", "--adresse", "2 rue Haute", "--agent", "ml.admin",
    ]);
}

/// A private note (`--prive`) stays with the structure that wrote it: a partner of the
/// team, in the same base, does not read it, nor its corrections; its own structure does.
#[test]
fn a_private_note_is_not_shown_to_another_structure_in_the_same_base() {
    let (env, n) = avec_partenaire();
    env.ok(&["parcours", "consentement", &n, "--partage", "oui"]);
    env.ok(&["parcours", "membre", "ajouter", &n, "l.roux"]);
    env.ok(&[
        "parcours", "note", &n, "Confidence du CCAS", "--prive", "--agent", "m.durand",
    ]);
    env.ok(&["parcours", "note", &n, "Point commun", "--agent", "m.durand"]);
    env.ok(&[
        "parcours",
        "note",
        &n,
        "Confidence de la mission locale",
        "--prive",
        "--agent",
        "l.roux",
    ]);
    let voit = |agent: &str| env.ok(&["parcours", "voir", &n, "--format", "json", "--agent", agent]);
    let roux = voit("l.roux");
    assert!(
        roux.contains("Point commun")
            && roux.contains("Confidence de la mission locale")
            && !roux.contains("Confidence du CCAS"),
        "{roux}"
    );
    let durand = voit("m.durand");
    assert!(
        durand.contains("Confidence du CCAS") && !durand.contains("Confidence de la mission locale"),
        "{durand}"
    );
}

/// A structure's telephone (printed on its convocations) is changed by its own
/// administrators only: neither a référent nor the administrator of another structure;
/// each refusal is audited and the telephone stays.
#[test]
fn only_the_structure_administrators_change_its_telephone() {
    let env = Env::initialisee();
    env.ok(&["structure", "modifier", "CCAS de Verdun", "--telephone", "0329000000"]);
    env.ok(&["structure", "ajouter", "Mission locale"]);
    env.ok(&[
        "agent", "ajouter", "ml.admin", "--nom", "Admin ML", "--structure", "Mission locale", "--role", "admin",
    ]);
    let e = env.echec(
        &[
            "structure", "modifier", "CCAS de Verdun", "--telephone", "0611111111", "--agent", "ml.admin",
        ],
        1,
    );
    assert!(e.contains("gérés par ses propres administrateurs"), "{e}");
    let e = env.echec(
        &[
            "structure", "modifier", "CCAS de Verdun", "--telephone", "0611111111", "--agent", "m.durand",
        ],
        1,
    );
    assert!(e.contains("administrateur"), "{e}");
    assert_eq!(env.json(&["structure", "liste"])[0]["telephone"], "03 29 00 00 00");
    let refus: Vec<(String, String)> = env.refus().into_iter().map(|(a, c, _)| (a, c)).collect();
    assert!(
        refus.contains(&("ml.admin".to_owned(), "structure modifier".to_owned())),
        "{refus:?}"
    );
}

/// Correcting an appointment's outcome needs the right on its dossier, as recording it
/// does: an agent who does not follow the dossier is refused, audited, and the outcome
/// stays.
#[test]
fn correcting_an_appointment_outcome_needs_the_right_on_the_dossier() {
    let env = Env::initialisee();
    let n = env.lucie_martin(&["--referent", "m.durand", "--date", "2026-11-02"]);
    env.partenaire();
    let id = env.ok(&["rdv", "planifier", &n, "--le", "26/11/2026 09:00"]);
    let id = id.trim();
    env.ok(&["rdv", "honore", id]);
    let e = env.echec(
        &[
            "rdv", "absent", id, "--corriger", "--motif", "erreur", "--agent", "l.roux",
        ],
        1,
    );
    assert!(e.contains(&format!("vous ne suivez pas le dossier {n}")), "{e}");
    assert_eq!(
        env.sql(&format!(
            "SELECT count(*) FROM rdv WHERE id = {id} AND statut = 'honore'"
        )),
        1
    );
    assert_eq!(env.sql("SELECT count(*) FROM rdv_correction"), 0);
    let refus = env.refus();
    assert!(
        refus
            .iter()
            .any(|r| r.0 == "l.roux" && r.1 == "rdv absent — issue corrigée"),
        "{refus:?}"
    );
}
