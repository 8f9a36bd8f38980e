//! Agents are shown by name, with their structure when it is not the reader's, in the
//! journal, the lists, the caseload, the to-do list and the agenda; JSON keeps the
//! identifier and adds the name.

use super::commun::Env;

/// A dossier of "CCAS de Verdun" followed by m.durand, shared with l.roux of the Mission
/// locale, with a note by each and an appointment today with m.durand.
fn dossier_partage() -> (Env, String) {
    let env = Env::initialisee();
    env.partenaire();
    let n = env
        .ouvrir(
            "Martin",
            "Léa",
            "1990-01-01",
            "Verdun",
            &["--referent", "m.durand", "--date", "2026-10-01"],
        )
        .to_string();
    env.ok(&["parcours", "consentement", &n, "--partage", "oui"]);
    env.ok(&["parcours", "membre", "ajouter", &n, "l.roux"]);
    env.ok(&[
        "parcours", "note", &n, "Entretien", "--type", "entretien", "--agent", "m.durand",
    ]);
    env.ok(&[
        "parcours", "note", &n, "Atelier CV", "--type", "atelier", "--agent", "l.roux",
    ]);
    env.ok(&[
        "rdv", "planifier", &n, "--le", "26/11/2026 23:30", "--agent", "m.durand",
    ]);
    (env, n)
}

#[test]
fn the_journal_names_the_author_and_a_partners_structure() {
    let (env, n) = dossier_partage();
    let vue = env.json(&["parcours", "voir", &n, "--agent", "m.durand"]);
    let journal = vue["journal"].as_array().unwrap();
    let auteur = |id: &str| journal.iter().find(|j| j["agent"] == id).unwrap()["agent_nom"].clone();
    assert_eq!(auteur("m.durand"), "Marc Durand");
    assert_eq!(auteur("l.roux"), "Léa Roux (Mission locale)");
    let table = env.ok(&["parcours", "voir", &n, "--agent", "m.durand", "--format", "table"]);
    assert!(table.contains("Léa Roux (Mission locale)"), "{table}");
    // Read by the partner, it is the CCAS agent whose structure is named.
    let vue = env.json(&["parcours", "voir", &n, "--agent", "l.roux"]);
    let journal = vue["journal"].as_array().unwrap();
    let durand = journal.iter().find(|j| j["agent"] == "m.durand").unwrap();
    assert_eq!(durand["agent_nom"], "Marc Durand (CCAS de Verdun)");
}

#[test]
fn lists_caseload_to_do_and_agenda_name_agents() {
    let (env, n) = dossier_partage();
    let liste = env.json(&["parcours", "liste", "--tous", "--agent", "m.durand"]);
    assert_eq!(liste[0]["referent"], "m.durand");
    assert_eq!(liste[0]["referent_nom"], "Marc Durand");
    let table = env.ok(&[
        "parcours", "liste", "--tous", "--agent", "m.durand", "--format", "table",
    ]);
    assert!(table.contains("Marc Durand") && !table.contains("m.durand"), "{table}");

    let suivis = env.json(&["parcours", "liste", "--mes-dossiers", "--agent", "l.roux"]);
    assert_eq!(suivis[0]["dossier"].to_string(), n);
    assert_eq!(suivis[0]["referent_nom"], "Marc Durand (CCAS de Verdun)", "{suivis}");

    let taches = env.json(&["parcours", "a-faire", "--agent", "m.durand"]);
    let du_jour = taches
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["categorie"] == "rdv-du-jour")
        .unwrap();
    assert!(
        du_jour["detail"].as_str().unwrap().ends_with("avec Marc Durand"),
        "{du_jour}"
    );
    let sans_diagnostic = taches
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["categorie"] == "sans-diagnostic")
        .unwrap();
    assert_eq!(sans_diagnostic["referent"], "m.durand");
    assert_eq!(sans_diagnostic["referent_nom"], "Marc Durand", "{sans_diagnostic}");
    let table = env.ok(&["parcours", "a-faire", "--agent", "m.durand", "--format", "table"]);
    assert!(!table.contains("m.durand"), "{table}");

    let agenda = env.json(&["rdv", "agenda", "--agent", "m.durand"]);
    assert_eq!(agenda[0]["agent"], "m.durand");
    assert_eq!(agenda[0]["agent_nom"], "Marc Durand");
    let agenda = env.json(&["rdv", "agenda", "--de", "m.durand", "--agent", "l.roux"]);
    assert_eq!(agenda[0]["agent_nom"], "Marc Durand (CCAS de Verdun)", "{agenda}");
    let table = env.ok(&["rdv", "agenda", "--agent", "m.durand", "--format", "table"]);
    assert!(table.contains("Marc Durand") && !table.contains("m.durand"), "{table}");
}

#[test]
fn messages_name_the_referent_and_the_agent_who_receives() {
    let env = Env::initialisee();
    env.partenaire();
    let ouvert = env.messages(&[
        "parcours", "ouvrir", "--nom", "Martin", "--prenom", "Léa", "--naissance", "1990-01-01", "--commune", "Verdun",
        "--referent", "m.durand",
    ]);
    assert!(ouvert.contains("référent : Marc Durand."), "{ouvert}");
    let planifie = env.messages(&[
        "rdv", "planifier", "1", "--le", "30/11/2026 10:00", "--avec", "m.durand",
    ]);
    assert!(planifie.contains("avec Marc Durand."), "{planifie}");
    let deux = env.messages(&[
        "rdv", "planifier", "1", "--le", "30/11/2026 10:00", "--avec", "m.durand",
    ]);
    assert!(deux.contains("Marc Durand a déjà le rendez-vous 1"), "{deux}");
    env.ok(&["parcours", "consentement", "1", "--partage", "oui"]);
    let rejoint = env.messages(&["parcours", "membre", "ajouter", "1", "l.roux"]);
    assert!(
        rejoint.contains("Dossier 1 : Léa Roux (Mission locale) rejoint l'équipe"),
        "{rejoint}"
    );
    env.ok(&[
        "agent", "ajouter", "c.mercier", "--nom", "Claire Mercier", "--structure", "CCAS de Verdun",
    ]);
    let designe = env.messages(&["parcours", "referent", "1", "c.mercier"]);
    assert!(
        designe.contains("référent Claire Mercier depuis le") && designe.contains("(à la place de Marc Durand)"),
        "{designe}"
    );
}

#[test]
fn diagnostic_to_do_and_stats_by_referent_name_the_referent() {
    let env = Env::initialisee();
    env.lucie_martin(&["--referent", "m.durand", "--date", "2026-09-01"]);
    let a_faire = env.json(&["diagnostic", "a-faire"]);
    assert_eq!(a_faire[0]["referent"], "m.durand");
    assert_eq!(a_faire[0]["referent_nom"], "Marc Durand", "{a_faire}");
    let table = env.ok(&["diagnostic", "a-faire", "--format", "table"]);
    assert!(table.contains("Marc Durand") && !table.contains("m.durand"), "{table}");

    let par = env.json(&["stats", "mensuel", "--mois", "2026-10", "--par", "referent"]);
    let groupe = par
        .as_array()
        .unwrap()
        .iter()
        .find(|g| g["groupe"] == "m.durand")
        .unwrap();
    assert_eq!(groupe["groupe_nom"], "Marc Durand", "{par}");
    let table = env.ok(&[
        "stats", "mensuel", "--mois", "2026-10", "--par", "referent", "--format", "table",
    ]);
    assert!(
        table.contains("— Marc Durand") && !table.contains("m.durand"),
        "{table}"
    );
}

#[test]
fn a_break_glass_read_and_the_access_page_name_the_reader() {
    let env = Env::initialisee();
    env.partenaire();
    let n = env.lucie_martin(&["--referent", "m.durand"]);
    env.ok(&[
        "parcours", "voir", &n, "--agent", "l.roux", "--motif", "urgence hébergement",
    ]);
    let taches = env.json(&["parcours", "a-faire", "--agent", "m.durand"]);
    let attendu = format!("dossier {n} lu par Léa Roux (Mission locale) sans lien : urgence hébergement");
    assert!(
        taches
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t["detail"] == attendu.as_str()),
        "{taches}"
    );

    env.ok(&["parcours", "exporter", &n, "--sortie", "dossier.json"]);
    let export: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(env.dir.path().join("dossier.json")).unwrap()).unwrap();
    let acces = export["tables"]["acces"].as_array().unwrap();
    let roux = acces.iter().find(|e| e["agent"] == "l.roux").unwrap();
    assert_eq!(roux["agent_nom"], "Léa Roux (Mission locale)", "{roux}");
    let page = std::fs::read_to_string(env.dir.path().join("dossier.html")).unwrap();
    let consultations = page.split("Consultations du dossier").nth(1).unwrap();
    assert!(consultations.contains("Léa Roux (Mission locale)"), "{consultations}");
    assert!(
        !consultations.contains("l.roux") && !consultations.contains(">admin<"),
        "{consultations}"
    );
}

/// A first name typed for a login: the agent is suggested by their login and name.
#[test]
fn an_agent_typed_by_first_name_is_suggested_by_login() {
    let env = Env::initialisee();
    env.ok(&[
        "agent", "ajouter", "s.petit", "--nom", "Sarah Petit", "--structure", "CCAS de Verdun", "--role", "referent",
    ]);
    for saisie in ["sarah", "Sarah Petit"] {
        let e = env.echec(&["rdv", "agenda", "--de", saisie], 1);
        assert!(
            e.contains("aide : vouliez-vous dire « s.petit » (Sarah Petit) ?"),
            "{saisie}: {e}"
        );
    }
}
