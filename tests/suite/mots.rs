//! What a caseworker reads: titles that say what is shown, dates where a list is about
//! time, errors that name the value and say what to do, pages that print.

use super::commun::Env;

/// The messages of a command (its stderr), for a command that must succeed.
fn messages(env: &Env, args: &[&str]) -> String {
    let out = env.spie(args).output().unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(out.status.success(), "spie {args:?}\n{stderr}");
    stderr
}

#[test]
fn the_agenda_is_titled_with_the_agent_and_the_day_or_week() {
    let env = Env::initialisee();
    let n = env.lucie_martin(&["--referent", "m.durand"]);
    env.ok(&["rdv", "planifier", &n, "--le", "27/11/2026 10:00", "--avec", "m.durand"]);
    // 26/11/2026 is a Thursday.
    let jour = messages(&env, &["rdv", "agenda", "--agent", "m.durand"]);
    assert!(
        jour.contains("Agenda de Marc Durand — jeudi 26 novembre 2026 : aucun rendez-vous."),
        "{jour}"
    );
    let demain = messages(&env, &["rdv", "agenda", "--date", "27/11/2026", "--agent", "m.durand"]);
    assert!(
        demain.contains("Agenda de Marc Durand — vendredi 27 novembre 2026 : 1 rendez-vous."),
        "{demain}"
    );
    let semaine = messages(&env, &["rdv", "agenda", "--semaine", "--de", "m.durand"]);
    assert!(
        semaine.contains(
            "Agenda de Marc Durand — semaine du lundi 23 novembre au dimanche 29 novembre 2026 : 1 rendez-vous."
        ),
        "{semaine}"
    );
}

#[test]
fn the_list_without_contact_gives_the_last_contacts_date_or_never() {
    let env = Env::initialisee();
    let vu = env.lucie_martin(&["--date", "2026-01-05"]);
    env.ok(&[
        "parcours", "note", &vu, "Entretien", "--type", "entretien", "--date", "2026-03-10",
    ]);
    let jamais = env
        .ouvrir("Petit", "Jean", "1980-05-06", "Verdun", &["--date", "2026-02-01"])
        .to_string();
    let liste = env.json(&["parcours", "liste", "--sans-contact", "90"]);
    let ligne = |n: &str| {
        liste
            .as_array()
            .unwrap()
            .iter()
            .find(|l| l["dossier"].to_string() == n)
            .unwrap()
            .clone()
    };
    assert_eq!(ligne(&vu)["dernier_contact"], "2026-03-10", "{liste}");
    assert_eq!(ligne(&jamais)["dernier_contact"], serde_json::Value::Null, "{liste}");
    let table = env.ok(&["parcours", "liste", "--sans-contact", "90", "--format", "table"]);
    assert!(
        table.contains("Dernier contact") && table.contains("10/03/2026") && table.contains("jamais"),
        "{table}"
    );
    let csv = env.ok(&["parcours", "liste", "--sans-contact", "90", "--format", "csv"]);
    assert!(csv.lines().next().unwrap().contains("dernier_contact"), "{csv}");
    assert!(csv.contains(";2026-03-10") && csv.contains(";jamais"), "{csv}");
    // Other lists are as before.
    let tous = env.json(&["parcours", "liste", "--tous"]);
    assert!(tous[0].get("dernier_contact").is_none(), "{tous}");
}
