//! One definition of the last contact with the person (a journal entry of a contact type
//! that is not withdrawn, or an appointment attended), the same for the retention rule,
//! the indicator `taux_contact_90j`, the to-do `sans-contact` and the dossier.

use super::commun::Env;
use super::rdv::{le, le_json, taches};

/// A note of `type_` on `date`; returns its number.
fn note(env: &Env, dossier: &str, type_: &str, date: &str) -> String {
    env.ok(&[
        "parcours", "note", dossier, "note synthétique", "--type", type_, "--date", date,
    ])
    .trim()
    .to_owned()
}

/// An appointment on `jour` at 10:00, planned the day before, attended.
fn rdv_honore(env: &Env, dossier: &str, veille: &str, jour: &str, le_fr: &str) {
    let id = le(
        env,
        veille,
        &["rdv", "planifier", dossier, "--le", le_fr, "--agent", "m.durand"],
    );
    le(env, jour, &["rdv", "honore", id.trim()]);
}

fn ouvrir(env: &Env, nom: &str, entree: &str) -> String {
    env.ouvrir(
        nom,
        "Synthétique",
        "1980-01-01",
        "Verdun",
        &["--referent", "m.durand", "--date", entree],
    )
    .to_string()
}

#[test]
fn the_retention_rule_counts_appointments_attended_and_not_withdrawn_notes() {
    let env = Env::initialisee();
    // Seen at an appointment in January 2025, less than 24 months ago: kept.
    let vu = ouvrir(&env, "Rdvhonore", "2024-01-10");
    note(&env, &vu, "entretien", "2024-01-15");
    rdv_honore(&env, &vu, "2025-01-02", "2025-01-11", "10/01/2025 10:00");
    env.ok(&["parcours", "clore", &vu, "--motif", "abandon", "--date", "2025-01-20"]);
    // Its only recent contact was withdrawn (a note in the wrong dossier): erased.
    let retire = ouvrir(&env, "Noteretiree", "2024-01-10");
    note(&env, &retire, "entretien", "2024-02-01");
    let erreur = note(&env, &retire, "telephone", "2025-02-01");
    env.ok(&["parcours", "note", "retirer", &erreur, "--motif", "mauvais dossier"]);
    env.ok(&[
        "parcours", "clore", &retire, "--motif", "abandon", "--date", "2025-03-01",
    ]);

    assert_eq!(env.json(&["parcours", "voir", &vu])["dernier_contact"], "2025-01-10");
    assert_eq!(
        env.json(&["parcours", "voir", &retire])["dernier_contact"],
        "2024-02-01"
    );
    assert_eq!(
        env.json(&["base", "purger"]),
        serde_json::json!([{"dossier": retire.parse::<i64>().unwrap(), "dernier_contact": "2024-02-01"}])
    );
}

#[test]
fn the_indicator_and_the_to_do_list_agree_on_who_was_seen() {
    let env = Env::initialisee();
    // Seen at an appointment on 5 October, nothing else.
    let vu = ouvrir(&env, "Rdvhonore", "2026-09-01");
    rdv_honore(&env, &vu, "2026-10-01", "2026-10-06", "05/10/2026 10:00");
    // A call noted on 10 October, then withdrawn.
    let retire = ouvrir(&env, "Noteretiree", "2026-09-01");
    let erreur = note(&env, &retire, "telephone", "2026-10-10");
    env.ok(&["parcours", "note", "retirer", &erreur, "--motif", "mauvais dossier"]);

    let i = le_json(&env, "2026-12-20", &["stats", "mensuel", "--mois", "2026-10"]);
    assert_eq!(i["file_active"], 2, "{i}");
    assert_eq!(i["taux_contact_90j"], 0.5, "{i}");
    // 20 December: more than 90 days since the entry, less since the appointment.
    let sans_contact: Vec<i64> = taches(&env, "2026-12-20", "m.durand")
        .into_iter()
        .filter(|(c, _, _)| c == "sans-contact")
        .map(|(_, d, _)| d)
        .collect();
    assert_eq!(sans_contact, [retire.parse::<i64>().unwrap()]);
    let liste = le_json(&env, "2026-12-20", &["parcours", "liste", "--sans-contact", "90"]);
    assert_eq!(liste.as_array().unwrap().len(), 1, "{liste}");
    assert_eq!(liste[0]["dossier"].to_string(), retire);
}
