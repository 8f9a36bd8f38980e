//! What a caseworker reads: titles that say what is shown, dates where a list is about
//! time, errors that name the value and say what to do, pages that print.

use super::commun::Env;

#[test]
fn the_agenda_is_titled_with_the_agent_and_the_day_or_week() {
    let env = Env::initialisee();
    let n = env.lucie_martin(&["--referent", "m.durand"]);
    env.ok(&["rdv", "planifier", &n, "--le", "27/11/2026 10:00", "--avec", "m.durand"]);
    // 26/11/2026 is a Thursday.
    let jour = env.messages(&["rdv", "agenda", "--agent", "m.durand"]);
    assert!(
        jour.contains("Agenda de Marc Durand — jeudi 26 novembre 2026 : aucun rendez-vous."),
        "{jour}"
    );
    let demain = env.messages(&["rdv", "agenda", "--date", "27/11/2026", "--agent", "m.durand"]);
    assert!(
        demain.contains("Agenda de Marc Durand — vendredi 27 novembre 2026 : 1 rendez-vous."),
        "{demain}"
    );
    let semaine = env.messages(&["rdv", "agenda", "--semaine", "--de", "m.durand"]);
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
            .find(|l| l["dossier"].as_i64() == n.parse().ok())
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

#[test]
fn an_unknown_number_is_named_with_where_to_find_the_right_one() {
    let env = Env::initialisee();
    let n = env.lucie_martin(&[]);
    for (args, aide) in [
        (&["parcours", "note", "corriger", "99", "x"][..], "spie parcours voir"),
        (
            &["parcours", "note", "retirer", "99", "--motif", "x"],
            "spie parcours voir",
        ),
        (
            &["parcours", "action", "statut", "99", "realisee"],
            "spie parcours voir",
        ),
        (&["parcours", "action", "corriger", "99", "x"], "spie parcours voir"),
        (
            &["parcours", "objectif", "statut", "99", "realise"],
            "spie parcours voir",
        ),
        (&["diagnostic", "erreur", "99", "--motif", "x"], "spie diagnostic voir"),
        (&["offre", "prescription", "99", "envoyee"], "spie parcours voir"),
    ] {
        let e = env.echec(args, 1);
        assert!(e.contains("inconnu") && e.contains(": 99"), "{args:?} : {e}");
        let aide_ligne = e
            .lines()
            .find(|l| l.starts_with("aide : "))
            .unwrap_or_else(|| panic!("{args:?} : {e}"));
        assert!(aide_ligne.contains(aide), "{args:?} : {e}");
    }
    let _ = n;
}

#[test]
fn a_due_date_before_the_action_names_both_dates_and_the_way_out() {
    let env = Env::initialisee();
    let n = env.lucie_martin(&["--date", "2026-10-01"]);
    let e = env.echec(
        &[
            "parcours", "action", "ajouter", &n, "--libelle", "CV", "--date", "2026-11-02", "--echeance", "2026-10-15",
        ],
        1,
    );
    assert!(
        e.contains("l'échéance (15/10/2026) précède la création de l'action (02/11/2026)"),
        "{e}"
    );
    assert!(e.contains("aide : ") && e.contains("--echeance"), "{e}");
}

#[test]
fn an_impossible_birth_date_is_refused_and_an_unlikely_one_warned() {
    let env = Env::initialisee();
    let ouvrir = |naissance: &str| {
        env.spie(&[
            "parcours", "ouvrir", "--nom", "Martin", "--prenom", "Lucie", "--naissance", naissance, "--commune",
            "Verdun",
        ])
        .output()
        .unwrap()
    };
    // More than 120 years ago (today is 26/11/2026), or in the future: refused, nothing
    // stored, the date itself not echoed (personal data).
    for date in ["1900-06-01", "1906-11-25", "2027-01-01"] {
        let out = ouvrir(date);
        let e = String::from_utf8(out.stderr).unwrap();
        assert_eq!(out.status.code(), Some(1), "{date} : {e}");
        assert!(e.contains("date de naissance") && e.contains("aide : "), "{e}");
        assert!(!e.contains(&date[..4]) || date.starts_with("2027"), "{e}");
    }
    assert_eq!(env.sql("SELECT count(*) FROM personne"), 0);
    // More than 100 years: opened, with a warning.
    let out = ouvrir("1925-03-01");
    let e = String::from_utf8(out.stderr).unwrap();
    assert!(out.status.success(), "{e}");
    assert!(e.contains("attention : ") && e.contains("plus de 100 ans"), "{e}");
    // So does a correction of the identity.
    let e = env.echec(&["parcours", "modifier", "1", "--naissance", "1890-01-01"], 1);
    assert!(e.contains("date de naissance"), "{e}");
    let out = env
        .spie(&["parcours", "modifier", "1", "--naissance", "1924-03-01"])
        .output()
        .unwrap();
    assert!(String::from_utf8(out.stderr).unwrap().contains("plus de 100 ans"));
}

/// The access page prints on A4: one-row sections as fields, tables laid out on the
/// page's width with a share for each column, long values wrapped, no row numbers.
#[test]
fn the_access_page_fits_a4_and_has_no_row_numbers() {
    let env = Env::initialisee();
    let n = env.lucie_martin(&[
        "--referent",
        "m.durand",
        "--courriel",
        "lucie.martin-une-adresse-tres-longue@exemple-de-messagerie.fr",
        "--public",
        "rsa,de,rqth",
    ]);
    env.ok(&["parcours", "note", &n, "Premier entretien", "--type", "entretien"]);
    env.ok(&["parcours", "note", &n, "Appel", "--type", "telephone"]);
    env.ok(&["parcours", "exporter", &n, "--sortie", "dossier.json"]);
    let page = std::fs::read_to_string(env.dir.path().join("dossier.html")).unwrap();
    assert!(page.contains("@page { size: A4;"), "{page}");
    assert!(
        page.contains("table-layout: fixed") && page.contains("overflow-wrap: anywhere"),
        "{page}"
    );
    // Row numbers mean nothing to the person.
    assert!(!page.contains("<th>N°</th>"), "{page}");
    // The identity, one row, is a list of fields, not a table of fifteen columns.
    let identite = page
        .split("<h2>Identité</h2>")
        .nth(1)
        .unwrap()
        .split("</section>")
        .next()
        .unwrap();
    assert!(identite.contains("<dl>") && !identite.contains("<table>"), "{identite}");
    // Every table says how wide each column is, the shares making the page's width.
    let journal = page
        .split("<h2>Journal</h2>")
        .nth(1)
        .unwrap()
        .split("</table>")
        .next()
        .unwrap();
    let colonnes = journal.split("<thead>").next().unwrap();
    let parts: Vec<f64> = colonnes
        .split("width: ")
        .skip(1)
        .map(|p| p.split('%').next().unwrap().parse().unwrap())
        .collect();
    assert_eq!(parts.len(), journal.matches("<th>").count(), "{journal}");
    assert!((parts.iter().sum::<f64>() - 100.0).abs() < 0.5, "{parts:?}");
}

/// In the caseload, whether the agent is the référent is one boolean, named for what it
/// is: `true`/`false` in JSON, « oui »/« non » in CSV; `referent` keeps the meaning it has
/// in every other list (an agent), here as the référent's identifier.
#[test]
fn the_caseload_says_whether_you_are_the_referent_the_same_way_in_json_and_csv() {
    let env = Env::initialisee();
    let suivi = env.lucie_martin(&["--referent", "m.durand"]);
    let membre = env
        .ouvrir("Petit", "Jean", "1980-05-06", "Verdun", &["--referent", "admin"])
        .to_string();
    env.ok(&["parcours", "membre", "ajouter", &membre, "m.durand"]);
    let json = env.json(&["parcours", "liste", "--mes-dossiers", "--agent", "m.durand"]);
    let ligne = |n: &str| {
        json.as_array()
            .unwrap()
            .iter()
            .find(|l| l["dossier"].as_i64() == n.parse().ok())
            .unwrap()
            .clone()
    };
    assert_eq!(ligne(&suivi)["vous_etes_referent"], true, "{json}");
    assert_eq!(ligne(&membre)["vous_etes_referent"], false, "{json}");
    assert_eq!(ligne(&membre)["referent"], "admin", "{json}");
    let csv = env.ok(&[
        "parcours", "liste", "--mes-dossiers", "--agent", "m.durand", "--format", "csv",
    ]);
    let mut lignes = csv.lines();
    let entete: Vec<&str> = lignes.next().unwrap().split(';').collect();
    let colonne = |nom: &str| {
        entete
            .iter()
            .position(|c| *c == nom)
            .unwrap_or_else(|| panic!("{nom} : {csv}"))
    };
    let (vous, referent) = (colonne("vous_etes_referent"), colonne("referent"));
    for ligne in lignes {
        let cellules: Vec<&str> = ligne.split(';').collect();
        let attendu = if cellules[0] == suivi {
            ("oui", "m.durand")
        } else {
            ("non", "admin")
        };
        assert_eq!((cellules[vous], cellules[referent]), attendu, "{csv}");
    }
}

/// Realistic structures: a name is never wrapped, the table fits 80 and 100 columns and
/// cuts no word; the SIRET stays in CSV and JSON.
#[test]
fn the_structures_fit_80_and_100_columns_with_their_names_whole() {
    use super::terminal::{sans_mot_coupe, tableau};
    let env = Env::initialisee();
    let adresse = "1 place de la Nation, 55100 Verdun";
    env.ok(&[
        "structure", "modifier", "CCAS de Verdun", "--adresse", adresse, "--telephone", "03 29 86 00 00",
    ]);
    env.ok(&[
        "structure", "ajouter", "Mission locale Nord Meuse", "--siret", "732 829 320 00074", "--typologie", "ML",
        "--commune", "Verdun",
    ]);
    let adresse_ml = "12 avenue de la 42e Division, 55100 Verdun";
    env.ok(&[
        "structure", "modifier", "Mission locale Nord Meuse", "--adresse", adresse_ml, "--telephone", "03 29 86 24 24",
    ]);
    env.ok(&[
        "structure", "ajouter", "France Travail Bar-le-Duc", "--typologie", "FT", "--commune", "Bar-le-Duc",
    ]);
    let textes = [
        "N° Nom Type Commune Agents Adresse Téléphone",
        "CCAS de Verdun",
        "Mission locale Nord Meuse",
        "France Travail Bar-le-Duc",
        "Verdun (55)",
        "Bar-le-Duc (55)",
        "ML FT CCAS 1 2 3 0",
        adresse,
        adresse_ml,
        "03 29 86 00 00",
        "03 29 86 24 24",
    ];
    for colonnes in [80, 100] {
        let table = tableau(&env, colonnes, &["structure", "liste"]);
        sans_mot_coupe(&table, colonnes, &textes);
        for nom in [
            "CCAS de Verdun", "Mission locale Nord Meuse", "France Travail Bar-le-Duc",
        ] {
            assert!(table.contains(nom), "« {nom} » coupé à {colonnes} colonnes :\n{table}");
        }
        assert!(!table.contains("73282932000074"), "{table}");
    }
    let csv = env.ok(&["structure", "liste", "--format", "csv"]);
    assert!(csv.contains("73282932000074"), "{csv}");
}
