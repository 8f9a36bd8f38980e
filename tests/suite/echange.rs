//! A parcours that follows the person from one base to another: structures know each
//! other by their keys, a file is encrypted to its partner and signed by its sender, and
//! received into the right dossier, once.

use super::commun::{AUJOURDHUI, Env};

/// The CCAS (`Env::initialisee`, référent m.durand) and the mission locale (référent
/// l.martin), each knowing the other's key; a dossier of the CCAS whose person agreed
/// to sharing, with a note, a private note, an objective and an action.
fn ccas_et_mission_locale() -> (Env, Env, String) {
    let ccas = Env::initialisee();
    let ml = Env::de_structure("Mission locale de Verdun", "l.martin");
    ccas.connaitre("Mission locale de Verdun", &ml);
    ml.connaitre("CCAS de Verdun", &ccas);
    let n = ccas
        .ouvrir(
            "Dupont",
            "Marie",
            "2004-03-12",
            "Verdun",
            &["--referent", "m.durand", "--telephone", "0611111111"],
        )
        .to_string();
    ccas.ok(&["parcours", "consentement", &n, "--partage", "oui"]);
    ccas.ok(&["parcours", "note", &n, "Premier entretien", "--type", "entretien"]);
    ccas.ok(&["parcours", "note", &n, "Confidence à garder ici", "--prive"]);
    ccas.ok(&[
        "parcours", "objectif", "ajouter", &n, "--thematique", "mobilite", "--libelle", "Permis B",
    ]);
    ccas.ok(&[
        "parcours", "action", "ajouter", &n, "--libelle", "Code de la route", "--objectif", "1",
    ]);
    (ccas, ml, n)
}

/// Rows of the person's records in a base: persons, journal, objectives, actions, status
/// changes, orientations.
fn lignes(env: &Env) -> [i64; 6] {
    [
        "personne", "journal", "objectif", "action", "action_statut", "orientation",
    ]
    .map(|t| env.sql(&format!("SELECT count(*) FROM {t}")))
}

fn transmettre(de: &Env, n: &str, vers: &str, fichier: &str, autres: &[&str]) -> String {
    let chemin = de.chemin(fichier);
    let mut args = vec!["parcours", "transmettre", n, "--vers", vers, "--sortie", &chemin];
    args.extend(autres);
    de.ok(&args);
    chemin
}

fn recevoir(env: &Env, fichier: &str, autres: &[&str]) -> serde_json::Value {
    let mut args = vec!["parcours", "recevoir", fichier, "--appliquer"];
    args.extend(autres);
    env.json(&args)
}

#[test]
fn a_structure_prints_its_key_and_registers_a_partner_by_its_fingerprint() {
    let ccas = Env::initialisee();
    let ml = Env::de_structure("Mission locale de Verdun", "l.martin");
    let cle = ml.json(&["structure", "cle"]);
    let ligne = cle["cle"].as_str().unwrap();
    assert!(ligne.starts_with("spie1:age1"), "{cle}");
    let empreinte = cle["empreinte"].as_str().unwrap();
    assert_eq!(empreinte.len(), 19, "{cle}");
    assert_eq!(cle["structure"], "Mission locale de Verdun");
    // Without a terminal, the fingerprint must be confirmed by a flag.
    let e = ccas.echec(&["structure", "ajouter", "Mission locale", "--cle", ligne], 2);
    assert!(e.contains(empreinte) && e.contains("--confirmer"), "{e}");
    assert_eq!(ccas.sql("SELECT count(*) FROM structure WHERE cle_age IS NOT NULL"), 0);
    let e = ccas.echec(
        &[
            "structure", "ajouter", "Mission locale", "--cle", "spie1:age1abc:00", "--confirmer",
        ],
        2,
    );
    assert!(e.contains("--cle : clé illisible"), "{e}");
    let sortie = ccas
        .spie(&["structure", "ajouter", "Mission locale", "--cle", ligne, "--confirmer"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&sortie.stderr).contains(empreinte));
    assert_eq!(ccas.sql("SELECT count(*) FROM structure WHERE cle_age IS NOT NULL"), 1);
    // Its own key, or a key registered twice, is refused.
    let propre = ccas.ok(&["structure", "cle"]);
    let e = ccas.echec(
        &["structure", "ajouter", "Moi", "--cle", propre.trim(), "--confirmer"],
        1,
    );
    assert!(e.contains("votre propre structure"), "{e}");
    let e = ccas.echec(&["structure", "ajouter", "Autre", "--cle", ligne, "--confirmer"], 1);
    assert!(e.contains("déjà celle de la structure « Mission locale »"), "{e}");
    // Only an administrator registers a partner.
    let e = ccas.echec(
        &[
            "structure", "ajouter", "ML2", "--cle", ligne, "--confirmer", "--agent", "m.durand",
        ],
        1,
    );
    assert!(e.contains("administrateur"), "{e}");
}

#[test]
fn a_parcours_goes_to_the_partner_once_and_comes_back_with_its_news() {
    let (ccas, ml, n) = ccas_et_mission_locale();
    let fichier = transmettre(&ccas, &n, "Mission locale de Verdun", "envoi1.spie", &[]);
    // The file is encrypted: no name nor note can be read in it.
    let octets = std::fs::read(&fichier).unwrap();
    assert!(!octets.windows(6).any(|w| w == b"Dupont"));

    // The aperçu changes nothing.
    let apercu = ml.json(&["parcours", "recevoir", &fichier]);
    assert_eq!(apercu["applique"], false);
    assert_eq!(apercu["parcours"][0]["correspondance"], "nouveau");
    assert_eq!(lignes(&ml)[0], 0);

    let recu = recevoir(&ml, &fichier, &[]);
    assert_eq!(recu["parcours"][0]["correspondance"], "nouveau", "{recu}");
    let dossier = recu["parcours"][0]["dossier"].as_i64().unwrap().to_string();
    // Identity, the shared note (never the private one), the plan.
    assert_eq!(lignes(&ml), [1, 1, 1, 1, 1, 0]);
    let vue = ml.json(&["parcours", "voir", &dossier, "--agent", "l.martin"]);
    assert_eq!(vue["nom"], "Dupont");
    assert_eq!(vue["telephone"], ccas.json(&["parcours", "voir", &n])["telephone"]);
    assert_eq!(
        ml.sql("SELECT count(*) FROM journal WHERE texte LIKE '%Confidence%'"),
        0
    );
    // It counts for the mission locale from the day it was received.
    assert_eq!(
        ml.sql(&format!(
            "SELECT count(*) FROM parcours WHERE dossier = {dossier} AND entree = '{AUJOURDHUI}'
                AND structure_id = (SELECT id FROM structure WHERE nom = 'Mission locale de Verdun')"
        )),
        1
    );

    // Received twice: nothing changes.
    let encore = recevoir(&ml, &fichier, &[]);
    assert_eq!(encore["deja_recu"], true);
    assert_eq!(lignes(&ml), [1, 1, 1, 1, 1, 0]);

    // The mission locale writes, changes the action's status and sends back.
    ml.ok(&[
        "parcours",
        "note",
        &dossier,
        "Inscrite à la garantie jeunes",
        "--agent",
        "l.martin",
    ]);
    ml.ok(&["parcours", "action", "statut", "1", "en-cours", "--agent", "l.martin"]);
    ml.ok(&["parcours", "objectif", "statut", "1", "realise", "--agent", "l.martin"]);
    let retour = transmettre(&ml, &dossier, "CCAS de Verdun", "retour.spie", &["--agent", "l.martin"]);
    let avant = lignes(&ccas);
    let recu = recevoir(&ccas, &retour, &[]);
    assert_eq!(recu["parcours"][0]["correspondance"], "identifiant", "{recu}");
    assert_eq!(recu["parcours"][0]["dossier"].to_string(), n);
    // One note and one status change more; its own records are not duplicated.
    assert_eq!(
        lignes(&ccas),
        [avant[0], avant[1] + 1, avant[2], avant[3], avant[4] + 1, avant[5]]
    );
    let vue = ccas.json(&["parcours", "voir", &n]);
    assert!(vue.to_string().contains("Inscrite à la garantie jeunes"), "{vue}");
    assert_eq!(ccas.sql("SELECT count(*) FROM action WHERE statut = 'en-cours'"), 1);
    assert_eq!(ccas.sql("SELECT count(*) FROM objectif WHERE statut = 'realise'"), 1);

    // The next file to the mission locale carries only what changed since the last one.
    ccas.ok(&["parcours", "note", &n, "Aide au permis accordée"]);
    let delta = transmettre(
        &ccas,
        &n,
        "Mission locale de Verdun",
        "envoi2.spie",
        &["--format", "json"],
    );
    let avant = lignes(&ml);
    let recu = recevoir(&ml, &delta, &[]);
    assert_eq!(recu["parcours"][0]["ajouts"], 1, "{recu}");
    assert_eq!(
        lignes(&ml),
        [avant[0], avant[1] + 1, avant[2], avant[3], avant[4], avant[5]]
    );
}

#[test]
fn the_next_file_carries_only_what_changed_or_everything_when_asked() {
    let (ccas, _ml, n) = ccas_et_mission_locale();
    let envoyer = |fichier: &str, autres: &[&str]| {
        let chemin = ccas.chemin(fichier);
        let mut args = vec![
            "parcours", "transmettre", &n, "--vers", "Mission locale de Verdun", "--sortie", &chemin,
        ];
        args.extend(autres);
        ccas.json(&args)
    };
    let premier = envoyer("a.spie", &[]);
    // Identity, note, objective, action and its status.
    assert_eq!(premier["elements"], 5, "{premier}");
    assert_eq!(premier["numero"], 1);
    let rien = envoyer("b.spie", &[]);
    assert_eq!(rien["elements"], 0, "{rien}");
    assert_eq!(rien["numero"], 2);
    ccas.ok(&["parcours", "note", &n, "Nouvelle note"]);
    assert_eq!(envoyer("c.spie", &[])["elements"], 1);
    assert_eq!(envoyer("d.spie", &["--tout"])["elements"], 6);
}

#[test]
fn a_damaged_misaddressed_unknown_or_older_file_is_refused_and_nothing_changes() {
    let (ccas, ml, n) = ccas_et_mission_locale();
    let cap = Env::de_structure("Cap emploi", "c.petit");
    cap.connaitre("CCAS de Verdun", &ccas);
    ccas.connaitre("Cap emploi", &cap);
    let premier = transmettre(&ccas, &n, "Mission locale de Verdun", "1.spie", &[]);
    ccas.ok(&["parcours", "note", &n, "Deuxième entretien"]);
    let second = transmettre(&ccas, &n, "Mission locale de Verdun", "2.spie", &[]);

    // A flipped byte.
    let mut octets = std::fs::read(&premier).unwrap();
    let milieu = octets.len() - 40;
    octets[milieu] ^= 0x01;
    let abime = ccas.chemin("abime.spie");
    std::fs::write(&abime, octets).unwrap();
    let e = ml.echec(&["parcours", "recevoir", &abime, "--appliquer"], 1);
    assert!(e.contains("altéré"), "{e}");

    // A file for another structure.
    let pour_cap = transmettre(&ccas, &n, "Cap emploi", "cap.spie", &[]);
    let e = ml.echec(&["parcours", "recevoir", &pour_cap, "--appliquer"], 1);
    assert!(e.contains("n'est pas adressé à votre structure"), "{e}");

    // A sender the mission locale does not know.
    ml.connaitre("Cap emploi", &cap);
    cap.ok(&[
        "structure",
        "ajouter",
        "Mission locale de Verdun",
        "--cle",
        ml.ok(&["structure", "cle"]).trim(),
        "--confirmer",
    ]);
    let m = cap.ouvrir("Durand", "Paul", "1990-01-01", "Verdun", &[]).to_string();
    cap.ok(&["parcours", "consentement", &m, "--partage", "oui"]);
    let de_cap = transmettre(&cap, &m, "Mission locale de Verdun", "de-cap.spie", &[]);
    let inconnu = Env::de_structure("Association X", "x.x");
    inconnu.connaitre("Mission locale de Verdun", &ml);
    let k = inconnu.ouvrir("Martin", "Luc", "1991-01-01", "Verdun", &[]).to_string();
    inconnu.ok(&["parcours", "consentement", &k, "--partage", "oui"]);
    let de_inconnu = transmettre(&inconnu, &k, "Mission locale de Verdun", "x.spie", &[]);
    let e = ml.echec(&["parcours", "recevoir", &de_inconnu, "--appliquer"], 1);
    assert!(e.contains("structure inconnue"), "{e}");
    assert_eq!(lignes(&ml), [0, 0, 0, 0, 0, 0]);

    // Once the second file is received, the first one again is an older replay: refused.
    recevoir(&ml, &premier, &[]);
    recevoir(&ml, &second, &[]);
    let apres = lignes(&ml);
    let e = ml.echec(&["parcours", "recevoir", &premier, "--appliquer"], 1);
    assert!(e.contains("plus ancien"), "{e}");
    assert_eq!(lignes(&ml), apres);
    // A file from a known partner is received.
    recevoir(&ml, &de_cap, &[]);
    assert_eq!(lignes(&ml)[0], apres[0] + 1);
}

#[test]
fn a_person_who_refused_sharing_cannot_be_sent() {
    let (ccas, _ml, _) = ccas_et_mission_locale();
    let m = ccas.ouvrir("Martin", "Luc", "1991-01-01", "Verdun", &[]).to_string();
    let sortie = ccas.chemin("m.spie");
    let args = [
        "parcours", "transmettre", &m, "--vers", "Mission locale de Verdun", "--sortie", &sortie,
    ];
    let e = ccas.echec(&args, 1);
    assert!(e.contains("aucun consentement"), "{e}");
    assert!(!std::path::Path::new(&sortie).exists());
    ccas.ok(&["parcours", "consentement", &m, "--partage", "non"]);
    let mut force = args.to_vec();
    force.extend(["--sans-consentement", "urgence"]);
    let e = ccas.echec(&force, 1);
    assert!(e.contains("a refusé le partage"), "{e}");
    assert!(!std::path::Path::new(&sortie).exists());
    // Without a recorded consent, a written reason lets it go, once noted.
    let k = ccas.ouvrir("Petit", "Léa", "1993-01-01", "Verdun", &[]).to_string();
    let chemin = ccas.chemin("k.spie");
    ccas.ok(&[
        "parcours", "transmettre", &k, "--vers", "Mission locale de Verdun", "--sortie", &chemin,
        "--sans-consentement", "hébergement d'urgence",
    ]);
    assert!(std::path::Path::new(&chemin).exists());
    assert!(ccas.dans_le_journal(
        "admin",
        "parcours transmettre — sans consentement : hébergement d'urgence"
    ));
    // The reception role never sends a dossier it cannot read.
    let e = ccas.echec(
        &[
            "parcours", "transmettre", &k, "--vers", "Mission locale de Verdun", "--sortie", "a.spie", "--agent",
            "accueil",
        ],
        1,
    );
    assert!(e.contains("accueil"), "{e}");
}

#[test]
fn withdrawn_consent_tells_the_partner_to_stop() {
    let (ccas, ml, n) = ccas_et_mission_locale();
    let premier = transmettre(&ccas, &n, "Mission locale de Verdun", "1.spie", &[]);
    let dossier = recevoir(&ml, &premier, &[])["parcours"][0]["dossier"].as_i64().unwrap();
    ccas.ok(&["parcours", "consentement", &n, "--partage", "non"]);
    ccas.ok(&["parcours", "note", &n, "Après le retrait"]);
    let retrait = transmettre(&ccas, &n, "Mission locale de Verdun", "2.spie", &[]);
    let avant = lignes(&ml);
    let out = ml
        .spie(&["parcours", "recevoir", &retrait, "--appliquer", "--format", "json"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("retiré son consentement"));
    let recu: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(recu["parcours"][0]["retrait"], AUJOURDHUI, "{recu}");
    // Nothing new comes with it; the dossier is flagged, and its consent recorded as withdrawn.
    assert_eq!(lignes(&ml), avant);
    assert_eq!(
        ml.sql(&format!(
            "SELECT count(*) FROM echange_parcours WHERE retrait_le = '{AUJOURDHUI}'"
        )),
        1
    );
    assert_eq!(
        ml.sql(&format!(
            "SELECT partage FROM consentement WHERE dossier = {dossier} ORDER BY id DESC LIMIT 1"
        )),
        0
    );
}

#[test]
fn the_referent_is_handed_over_when_the_partner_accepts() {
    let (ccas, ml, n) = ccas_et_mission_locale();
    let fichier = transmettre(
        &ccas,
        &n,
        "Mission locale de Verdun",
        "1.spie",
        &["--referent", "l.martin"],
    );
    let apercu = ml.json(&["parcours", "recevoir", &fichier]);
    assert_eq!(apercu["parcours"][0]["referent_propose"], "l.martin");
    let recu = recevoir(&ml, &fichier, &["--accepter-referent"]);
    assert_eq!(recu["parcours"][0]["referent_accepte"], true, "{recu}");
    let dossier = recu["parcours"][0]["dossier"].to_string();
    let vue = ml.json(&["parcours", "voir", &dossier, "--agent", "l.martin"]);
    assert!(vue.to_string().contains("l.martin"), "{vue}");
    assert_eq!(
        ml.sql("SELECT count(*) FROM referent r JOIN agent a ON a.id = r.agent_id WHERE a.identifiant = 'l.martin' AND r.fin IS NULL"),
        1
    );
}

#[test]
fn a_probable_duplicate_is_asked_about_and_completed_when_named() {
    let (ccas, ml, n) = ccas_et_mission_locale();
    let deja = ml
        .ouvrir("DUPONT", "Marie", "2004-03-12", "Verdun", &["--referent", "l.martin"])
        .to_string();
    let fichier = transmettre(&ccas, &n, "Mission locale de Verdun", "1.spie", &[]);
    let apercu = ml.json(&["parcours", "recevoir", &fichier]);
    assert_eq!(apercu["parcours"][0]["correspondance"], "a-decider");
    assert_eq!(apercu["parcours"][0]["doublons"][0].to_string(), deja);
    let e = ml.echec(&["parcours", "recevoir", &fichier, "--appliquer"], 2);
    assert!(
        e.contains(&format!("--dossier {deja}")) && e.contains("--nouveau"),
        "{e}"
    );
    assert!(!e.contains("Dupont") && !e.contains("DUPONT"), "{e}");
    assert_eq!(lignes(&ml)[1], 0);
    // Another person's dossier is no answer: refused, nothing received.
    let autre = ml
        .ouvrir("MARTIN", "Paul", "1970-01-01", "Verdun", &["--referent", "l.martin"])
        .to_string();
    let e = ml.echec(
        &["parcours", "recevoir", &fichier, "--appliquer", "--dossier", &autre],
        2,
    );
    assert!(e.contains(&format!("--dossier {autre}")), "{e}");
    assert_eq!(lignes(&ml)[1], 0);
    let recu = recevoir(&ml, &fichier, &["--dossier", &deja]);
    assert_eq!(recu["parcours"][0]["dossier"].to_string(), deja, "{recu}");
    assert_eq!(lignes(&ml)[0], 2, "aucune personne de plus");
    assert_eq!(lignes(&ml)[1], 1);
}

#[test]
fn the_most_recent_identity_wins_and_the_other_is_kept() {
    let (ccas, ml, n) = ccas_et_mission_locale();
    let premier = transmettre(&ccas, &n, "Mission locale de Verdun", "1.spie", &[]);
    let dossier = recevoir(&ml, &premier, &[])["parcours"][0]["dossier"].to_string();
    ccas.ok(&["parcours", "modifier", &n, "--telephone", "0622222222"]);
    let second = transmettre(&ccas, &n, "Mission locale de Verdun", "2.spie", &[]);
    let recu = recevoir(&ml, &second, &[]);
    assert_eq!(recu["parcours"][0]["mises_a_jour"][0], "identité", "{recu}");
    assert_eq!(
        ml.json(&["parcours", "voir", &dossier, "--agent", "l.martin"])["telephone"],
        "06 22 22 22 22"
    );
    assert_eq!(
        ml.sql("SELECT count(*) FROM echange_ecart WHERE champ = 'identite' AND ecartee LIKE '%06 11 11 11 11%'"),
        1
    );
    // The mission locale changes it later: the CCAS, receiving it, takes it.
    ml.ok(&[
        "parcours", "modifier", &dossier, "--telephone", "0633333333", "--agent", "l.martin",
    ]);
    let retour = transmettre(&ml, &dossier, "CCAS de Verdun", "r.spie", &["--agent", "l.martin"]);
    recevoir(&ccas, &retour, &[]);
    assert_eq!(ccas.json(&["parcours", "voir", &n])["telephone"], "06 33 33 33 33");
}

#[test]
fn three_structures_follow_the_same_person_without_duplicates() {
    let (ccas, ml, n) = ccas_et_mission_locale();
    let ft = Env::de_structure("France Travail Verdun", "f.leroy");
    for (a, nom_a) in [(&ccas, "CCAS de Verdun"), (&ml, "Mission locale de Verdun")] {
        a.connaitre("France Travail Verdun", &ft);
        ft.connaitre(nom_a, a);
    }
    let vers_ml = transmettre(&ccas, &n, "Mission locale de Verdun", "1.spie", &[]);
    let d_ml = recevoir(&ml, &vers_ml, &[])["parcours"][0]["dossier"].to_string();
    ml.ok(&[
        "parcours", "note", &d_ml, "Note de la mission locale", "--agent", "l.martin",
    ]);
    let vers_ft = transmettre(&ml, &d_ml, "France Travail Verdun", "2.spie", &["--agent", "l.martin"]);
    let d_ft = recevoir(&ft, &vers_ft, &[])["parcours"][0]["dossier"].to_string();
    // France Travail has the CCAS's note, by its author, and the mission locale's.
    assert_eq!(lignes(&ft)[1], 2);
    assert_eq!(
        ft.sql("SELECT count(*) FROM echange_element WHERE nature = 'journal' AND auteur LIKE '%(CCAS de Verdun)'"),
        1
    );
    ft.ok(&[
        "parcours", "note", &d_ft, "Note de France Travail", "--agent", "f.leroy",
    ]);
    // Back to the CCAS: only France Travail's and the mission locale's notes are new.
    let vers_ccas = transmettre(&ft, &d_ft, "CCAS de Verdun", "3.spie", &["--agent", "f.leroy"]);
    let avant = lignes(&ccas)[1];
    let recu = recevoir(&ccas, &vers_ccas, &[]);
    assert_eq!(recu["parcours"][0]["dossier"].to_string(), n, "{recu}");
    assert_eq!(lignes(&ccas)[1], avant + 2);
    assert_eq!(lignes(&ccas)[0], 1);
}

#[test]
fn two_encrypted_bases_exchange_a_parcours_and_audit_it() {
    let (ccas, _) = Env::chiffree();
    let (ml, _) = Env::chiffree();
    // Both are "CCAS de Verdun" here: a partner's key never goes to the base's own
    // structure; each names the other as it likes.
    let cle = ccas.ok(&["structure", "cle"]);
    let e = ml.echec(
        &[
            "structure",
            "ajouter",
            "CCAS de Verdun",
            "--cle",
            cle.trim(),
            "--confirmer",
        ],
        1,
    );
    assert!(e.contains("existe déjà"), "{e}");
    ccas.connaitre("Mission locale", &ml);
    ml.connaitre("CCAS partenaire", &ccas);
    let n = ccas.ouvrir("Dupont", "Marie", "2004-03-12", "Verdun", &[]).to_string();
    ccas.ok(&["parcours", "consentement", &n, "--partage", "oui"]);
    ccas.ok(&["parcours", "note", &n, "Premier entretien", "--type", "entretien"]);
    ccas.ok(&["parcours", "note", &n, "Confidence à garder ici", "--prive"]);
    let chemin = ccas.chemin("envoi.spie");
    ccas.ok(&[
        "parcours", "transmettre", &n, "--vers", "Mission locale", "--sortie", &chemin, "--fiche",
    ]);
    // The printable fiche holds the shared note, never the private one.
    let fiche = std::fs::read_to_string(ccas.chemin("envoi.html")).unwrap();
    assert!(
        fiche.contains("Premier entretien") && fiche.contains("Dupont"),
        "{fiche}"
    );
    assert!(!fiche.contains("Confidence"), "{fiche}");
    let recu = recevoir(&ml, &chemin, &[]);
    let dossier = recu["parcours"][0]["dossier"].to_string();
    let vue = ml.json(&["parcours", "voir", &dossier]);
    assert_eq!(vue["nom"], "Dupont");
    let journal = vue["journal"].to_string();
    assert!(
        journal.contains("Premier entretien") && !journal.contains("Confidence"),
        "{journal}"
    );
    assert!(ccas.dans_le_journal("admin", "parcours transmettre"));
    assert!(ml.dans_le_journal("admin", "parcours recevoir"));
}

#[test]
fn only_a_referent_or_an_administrator_receives_a_file() {
    let (ccas, ml, n) = ccas_et_mission_locale();
    ml.ok(&[
        "agent", "ajouter", "accueil", "--nom", "Accueil", "--structure", "Mission locale de Verdun", "--role",
        "accueil",
    ]);
    let fichier = transmettre(&ccas, &n, "Mission locale de Verdun", "1.spie", &[]);
    let e = ml.echec(
        &["parcours", "recevoir", &fichier, "--appliquer", "--agent", "accueil"],
        1,
    );
    assert!(e.contains("accueil"), "{e}");
    assert_eq!(lignes(&ml)[0], 0);
    assert_eq!(
        ml.refus(),
        [("accueil".to_owned(), "parcours recevoir".to_owned(), None)]
    );
}

/// The base's key is its first structure's: in a base shared with another structure, a
/// file meant for that first structure is received by its agents only (the person
/// consented to share with it).
#[test]
fn a_file_is_received_by_the_structure_it_is_meant_for_not_another_of_the_base() {
    let (ccas, ml, n) = ccas_et_mission_locale();
    ml.ok(&["structure", "ajouter", "Association Autre"]);
    ml.ok(&[
        "agent", "ajouter", "c.autre", "--nom", "Claire Autre", "--structure", "Association Autre",
    ]);
    let fichier = transmettre(&ccas, &n, "Mission locale de Verdun", "1.spie", &[]);
    let e = ml.echec(&["parcours", "recevoir", &fichier, "--agent", "c.autre"], 1);
    assert!(
        e.contains("adressé à « Mission locale de Verdun »") && e.contains("« Association Autre »"),
        "{e}"
    );
    assert_eq!(lignes(&ml)[0], 0);
    let recu = recevoir(&ml, &fichier, &[]);
    assert_eq!(recu["parcours"][0]["correspondance"], "nouveau", "{recu}");
}

#[test]
fn a_received_note_shows_its_author_and_the_structure_it_came_from() {
    let (ccas, ml, n) = ccas_et_mission_locale();
    ccas.ok(&["parcours", "note", &n, "Point sur le permis", "--agent", "m.durand"]);
    ccas.ok(&[
        "diagnostic", "nouveau", &n, "--contrainte", "mobilite=fort", "--agent", "m.durand",
    ]);
    ccas.ok(&["parcours", "orienter", &n, "sociopro", "--agent", "m.durand"]);
    let fichier = transmettre(&ccas, &n, "Mission locale de Verdun", "envoi.spie", &[]);
    let dossier = recevoir(&ml, &fichier, &[])["parcours"][0]["dossier"].to_string();
    ml.ok(&["parcours", "note", &dossier, "Note d'ici", "--agent", "l.martin"]);

    // Its author as the file names them, received from the CCAS by the agent who applied it.
    let vue = ml.json(&["parcours", "voir", &dossier, "--agent", "l.martin"]);
    let note = |texte: &str| {
        vue["journal"]
            .as_array()
            .unwrap()
            .iter()
            .find(|n| n["texte"] == texte)
            .cloned()
            .unwrap_or_else(|| panic!("{texte} : {vue}"))
    };
    let recue = note("Point sur le permis");
    assert_eq!(recue["agent"], "Marc Durand (CCAS de Verdun)", "{recue}");
    assert_eq!(recue["recue_de"], "CCAS de Verdun", "{recue}");
    assert_eq!(recue["recue_par"], "admin", "{recue}");
    // A note written here is its agent's, and was received from no one.
    let ici = note("Note d'ici");
    assert_eq!(ici["agent"], "l.martin", "{ici}");
    assert!(ici.get("recue_de").is_none(), "{ici}");

    let texte = ml.ok(&["parcours", "voir", &dossier, "--agent", "l.martin", "--format", "table"]);
    let ligne = texte
        .lines()
        .find(|l| l.contains("Point sur le permis"))
        .unwrap_or_else(|| panic!("{texte}"));
    assert!(
        ligne.contains("Marc Durand (CCAS de Verdun)") && ligne.contains("reçue de CCAS de Verdun"),
        "{ligne}"
    );

    // The diagnostic and the orientation received are their author's too.
    let orientation = texte
        .lines()
        .find(|l| l.contains("Orientation "))
        .unwrap_or_else(|| panic!("{texte}"));
    assert!(
        orientation.contains("par Marc Durand (CCAS de Verdun)"),
        "{orientation}"
    );
    let diagnostic = ml.ok(&[
        "diagnostic", "voir", &dossier, "--agent", "l.martin", "--format", "table",
    ]);
    assert!(diagnostic.contains("par Marc Durand (CCAS de Verdun))"), "{diagnostic}");

    // The access export says it too, on the journal's row.
    let export = ml.json(&["parcours", "exporter", &dossier, "--agent", "l.martin"]);
    let lignes = export["tables"]["journal"].as_array().unwrap();
    let recue = lignes.iter().find(|l| l["texte"] == "Point sur le permis").unwrap();
    assert_eq!(recue["auteur"], "Marc Durand (CCAS de Verdun)", "{recue}");
    assert_eq!(recue["recu_de"], "CCAS de Verdun", "{recue}");
    assert!(
        recue["recu_par"].as_str().is_some_and(|a| a.contains("admin")),
        "{recue}"
    );
    // And on every other record received: the objective and the action of the CCAS.
    for table in ["objectif", "action"] {
        let ligne = &export["tables"][table][0];
        assert!(
            ligne["auteur"]
                .as_str()
                .is_some_and(|a| a.ends_with("(CCAS de Verdun)")),
            "{table} : {ligne}"
        );
        assert_eq!(ligne["recu_de"], "CCAS de Verdun", "{table} : {ligne}");
    }
    let ici = lignes.iter().find(|l| l["texte"] == "Note d'ici").unwrap();
    assert!(
        ici.get("auteur").is_none() && ici["agent"].as_str().unwrap().contains("l.martin"),
        "{ici}"
    );
}
