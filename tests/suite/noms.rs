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
