//! `spie parcours exporter N [--sortie FICHIER]`: everything held on the person, as one
//! JSON document (right of access). From an encrypted base the file is encrypted under a
//! passphrase (an age file), unless `--en-clair` says otherwise.

use std::path::{Path, PathBuf};

use anyhow::Result;
use clap::Args;

use crate::cli::phrase::{self, Question};
use crate::cli::{Ctx, numero};
use crate::error::{Issue, UserError};
use crate::ops;

#[derive(Debug, Args)]
pub struct Arguments {
    /// Numéro de dossier
    #[arg(value_parser = numero)]
    dossier: i64,
    /// Fichier à écrire (il ne doit pas exister) [défaut : la sortie standard, base d'essai seulement
    /// ou avec --en-clair]
    #[arg(long, value_name = "FICHIER")]
    sortie: Option<PathBuf>,
    /// Base chiffrée : lit dans ce fichier (droits 0600) la phrase qui chiffre l'export [défaut : demandée]
    #[arg(long, value_name = "FICHIER", conflicts_with = "en_clair")]
    phrase_fichier: Option<PathBuf>,
    /// Base chiffrée : écrit l'export en clair (inscrit au journal)
    #[arg(long)]
    en_clair: bool,
}

pub fn executer(ctx: &Ctx, a: Arguments) -> Result<Issue> {
    let mut session = ctx.session()?;
    let chiffrer = session.chiffree() && !a.en_clair;
    let phrase = if chiffrer {
        if a.sortie.is_none() {
            return Err(UserError::usage("base chiffrée : l'export d'un dossier s'écrit dans un fichier chiffré")
                .aide("donnez --sortie FICHIER (le fichier s'ouvre avec `age -d`), ou --en-clair pour un export lisible")
                .into());
        }
        let p = phrase::lire(
            ctx,
            a.phrase_fichier.as_deref(),
            &Question {
                option: "--phrase-fichier",
                invite: "Phrase qui chiffre l'export (à transmettre à la personne par un autre moyen)",
                confirmer: true,
            },
        )?;
        // What protects the file once it has left: as strong as a passphrase of the base.
        crate::domain::connexion::phrase_solide(age::secrecy::ExposeSecret::expose_secret(&p), "")
            .map_err(crate::error::erreur)?;
        Some(p)
    } else {
        None
    };
    if session.chiffree() && a.en_clair {
        session.preciser(" — en clair");
    }
    // Both files or none: the readable page must find its place too.
    let a_cote_existe = a
        .sortie
        .as_deref()
        .filter(|c| !c.exists())
        .map(|c| a_cote(c, chiffrer))
        .filter(|h| h.exists());
    if let Some(html) = a_cote_existe {
        return Err(
            crate::error::erreur(format!("le fichier {} existe déjà", html.display()))
                .aide("la version lisible s'écrit à côté de l'export : choisissez un autre nom")
                .into(),
        );
    }
    let document = ops::parcours::exporter(&mut session, a.dossier)?;
    let texte = serde_json::to_string_pretty(&document)? + "\n";
    let octets = match &phrase {
        Some(p) => crate::export::chiffre::sous_phrase(texte.as_bytes(), p)?,
        None => texte.into_bytes(),
    };
    crate::output::fichier::ecrire(a.sortie.as_deref(), &octets, false)?;
    if let Some(chemin) = &a.sortie {
        let page = lisible(&document, a.dossier).into_bytes();
        let page = match &phrase {
            Some(p) => crate::export::chiffre::sous_phrase(&page, p)?,
            None => page,
        };
        let a_cote = a_cote(chemin, phrase.is_some());
        crate::output::fichier::ecrire(Some(&a_cote), &page, false)?;
        ctx.dire(format!("Version lisible (HTML) : {}.", a_cote.display()));
        let comment = if phrase.is_some() {
            " chiffré : il s'ouvre avec `age -d` et la phrase, à transmettre par un autre moyen"
        } else {
            ""
        };
        ctx.dire(format!(
            "Dossier {} exporté dans {}{comment} (à remettre à la personne, puis à supprimer).",
            a.dossier,
            chemin.display()
        ));
    }
    Ok(Issue::Succes)
}

/// The readable page's path: `dossier-1.json` gives `dossier-1.html`, `dossier-1.json.age`
/// gives `dossier-1.html.age`.
fn a_cote(json: &Path, chiffre: bool) -> PathBuf {
    let nom = json
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let base = nom.strip_suffix(".age").unwrap_or(&nom);
    let base = base.strip_suffix(".json").unwrap_or(base);
    json.with_file_name(format!("{base}.html{}", if chiffre { ".age" } else { "" }))
}

/// What each table of the export holds, in words; a table not named here is the
/// base's own bookkeeping (what was sent to which partner), kept in the JSON only.
const TITRES: &[(&str, &str)] = &[
    ("personne", "Identité"),
    ("identite_passee", "Identités antérieures"),
    ("parcours", "Parcours"),
    ("referent", "Référents"),
    ("membre", "Équipe"),
    ("consentement", "Consentements"),
    ("diagnostic", "Diagnostics"),
    ("diagnostic_contrainte", "Contraintes des diagnostics"),
    ("diagnostic_besoin", "Besoins des diagnostics"),
    ("orientation", "Orientations"),
    ("objectif", "Objectifs"),
    ("action", "Actions"),
    ("action_statut", "Statuts des actions"),
    ("prescription_statut", "Réponses aux prescriptions"),
    ("rdv", "Rendez-vous"),
    ("rdv_correction", "Issues de rendez-vous corrigées"),
    ("contrat", "Contrats"),
    ("contrat_correction", "Contrats corrigés ou retirés (dates antérieures)"),
    ("journal", "Journal"),
    ("correction", "Corrections (textes antérieurs)"),
    (
        "echange_ecart",
        "Valeurs remplacées lors d'un échange avec une autre structure",
    ),
    ("acces", "Consultations du dossier (journal des accès)"),
];

/// Fields that only link rows together or serve the base (the rows' own numbers and
/// those of other rows, search keys, hashes): left out of the readable page, kept in the
/// JSON. A row's number means nothing to the person; its dates say which row it is.
const TECHNIQUES: &[&str] = &[
    "id", "parcours_id", "objectif_id", "action_id", "journal_id", "diagnostic_id", "agent_id", "structure_id",
    "offre_id", "empreinte", "uid", "local_id", "origine", "sans_referent", "nom_norm", "prenom_norm", "dossier",
    "rdv_id", "contrat_id",
];

/// Fields stored as 0 or 1.
const OUI_NON: &[&str] = &[
    "prive", "retiree", "retire", "retrait", "partage", "provisoire", "erreur", "complet", "activite_24_mois",
];

/// A coded value in the words of its list: the table and the row say which list
/// (a `statut` of an action is not one of an appointment; a situation belongs to the
/// row's constraint). `None` for a value that is not a code.
fn en_mots(table: &str, ligne: &serde_json::Value, cle: &str, code: &str) -> Option<String> {
    use crate::domain::diagnostic::Orientation;
    use crate::domain::grille::{Dimension, Niveau, NiveauFormation, Projet};
    use crate::domain::parcours::MotifSortie;
    use crate::domain::personne::{PUBLICS, Sexe};
    use crate::domain::prescription::StatutPrescription;
    use crate::domain::rdv::{StatutRdv, TypeContrat, TypeRdv};
    use crate::domain::suivi::{StatutAction, StatutObjectif, TypeNote};
    let libelle = match (table, cle) {
        (_, "sexe") => Sexe::depuis_code(code)?.libelle(),
        (_, "orientation" | "suggestion" | "orientation_suggeree") => Orientation::depuis_code(code)?.libelle(),
        (_, "motif_sortie") => MotifSortie::depuis_code(code)?.libelle(),
        (_, "thematique") => crate::referentiel::thematiques::libelle(code).to_owned(),
        ("objectif", "statut") => StatutObjectif::depuis_code(code)?.libelle(),
        ("action" | "action_statut", "statut") => StatutAction::depuis_code(code)?.libelle(),
        ("prescription_statut", "statut") => StatutPrescription::depuis_code(code)?.libelle(),
        ("rdv", "statut") | ("rdv_correction", "ancien") => StatutRdv::depuis_code(code)?.libelle(),
        ("rdv", "type") => TypeRdv::depuis_code(code)?.libelle(),
        ("journal", "type") => TypeNote::depuis_code(code)?.libelle(),
        ("contrat", "type") => TypeContrat::depuis_code(code)?.libelle(),
        ("diagnostic", "projet") => Projet::depuis_code(code)?.libelle(),
        ("diagnostic", "niveau_formation") => NiveauFormation::depuis_code(code)?.libelle(),
        ("diagnostic_contrainte", "dimension") => Dimension::depuis_code(code)?.libelle(),
        ("diagnostic_contrainte", "niveau") => Niveau::depuis_code(code)?.libelle(),
        ("diagnostic_contrainte", "situations") => {
            let dimension = Dimension::depuis_code(ligne["dimension"].as_str()?)?;
            let situations = dimension.definition().situations;
            let mots: Vec<&str> = code
                .split(',')
                .filter(|c| !c.is_empty())
                .map(|c| situations.iter().find(|(s, _)| *s == c).map_or(c, |(_, l)| *l))
                .collect();
            mots.join(", ")
        }
        ("personne", "publics") => {
            let mots: Vec<&str> = code
                .split(',')
                .filter(|c| !c.is_empty())
                .map(|c| PUBLICS.iter().find(|(p, _)| *p == c).map_or(c, |(_, l)| *l))
                .collect();
            mots.join(", ")
        }
        _ => return None,
    };
    Some(libelle)
}

/// A field's name in words: the usual ones by hand, the others with their `_` as spaces.
fn intitule(table: &str, cle: &str) -> String {
    // What an earlier value was depends on what was corrected.
    match (table, cle) {
        ("rdv_correction", "ancien") => return "Issue d'avant".to_owned(),
        (_, "ancien") => return "Texte d'avant".to_owned(),
        _ => {}
    }
    let connu = [
        ("id", "N°"),
        ("nom", "Nom"),
        ("prenom", "Prénom"),
        ("naissance", "Naissance"),
        ("sexe", "Sexe"),
        ("commune", "Code commune"),
        ("commune_nom", "Commune"),
        ("agent_nom", "Agent"),
        ("telephone", "Téléphone"),
        ("adresse", "Adresse postale"),
        ("courriel", "Courriel"),
        ("caf", "N° allocataire CAF"),
        ("france_travail", "Identifiant France Travail"),
        ("cree_le", "Créé le"),
        ("cree_par_nom", "Créé par"),
        ("modifie_le", "Modifié le"),
        ("entree", "Entrée"),
        ("sortie", "Sortie"),
        ("motif_sortie", "Motif de sortie"),
        ("debut", "Début"),
        ("fin", "Fin"),
        ("statut_le", "Statut le"),
        ("horodatage", "Date et heure"),
        ("commande", "Ce qui a été fait"),
        ("texte", "Texte"),
        ("echeance", "Échéance"),
        ("libelle", "Libellé"),
        ("thematique", "Thématique"),
        ("activite_24_mois", "Activité dans les 24 derniers mois"),
        ("niveau_formation", "Niveau de formation"),
        ("orientation_suggeree", "Orientation suggérée"),
        ("regle", "Règle"),
        ("erreur_motif", "Motif de l'erreur de saisie"),
        ("erreur_le", "Saisi par erreur le"),
        ("retiree", "Retirée"),
        ("prive", "Privée"),
        ("convoque_le", "Convocation écrite le"),
        ("adresse", "Adresse postale"),
        ("ancien_le", "Notée le"),
        ("ancien_debut", "Début d'avant"),
        ("ancien_fin", "Fin d'avant"),
        ("retire", "Retiré"),
        ("retrait", "Retrait"),
        ("ancien_motif", "Motif d'avant"),
    ];
    if let Some((_, mot)) = connu.iter().find(|(c, _)| *c == cle) {
        return (*mot).to_owned();
    }
    let mut mots = cle.replace('_', " ");
    if let Some(premiere) = mots.get(..1) {
        mots.replace_range(..1, &premiere.to_uppercase());
    }
    mots
}

/// A value as a person reads it: dates as JJ/MM/AAAA, 0/1 flags as non/oui, codes in words.
fn en_clair(table: &str, ligne: &serde_json::Value, cle: &str) -> crate::output::Valeur {
    use crate::output::Valeur;
    use serde_json::Value;
    match ligne.get(cle) {
        None | Some(Value::Null) => Valeur::Vide,
        Some(Value::Bool(b)) => (if *b { "oui" } else { "non" }).into(),
        Some(Value::Number(n)) if OUI_NON.contains(&cle) => (if n.as_i64() == Some(1) { "oui" } else { "non" }).into(),
        Some(Value::String(s)) => {
            if let Some(mots) = en_mots(table, ligne, cle, s) {
                return mots.into();
            }
            let jour = s
                .get(..10)
                .and_then(|j| chrono::NaiveDate::parse_from_str(j, "%Y-%m-%d").ok());
            match (jour, s.get(11..16)) {
                (Some(j), Some(heure)) if s.len() > 10 => format!("{} {heure}", crate::domain::date::fr(j)).into(),
                (Some(j), _) if s.len() == 10 => j.into(),
                _ => Valeur::Texte(s.clone()),
            }
        }
        Some(autre) => Valeur::Texte(autre.to_string()),
    }
}

/// The access export as a page a person can read: one section per table that holds
/// something, its fields in words, without the numbers that only link rows together.
fn lisible(document: &serde_json::Value, dossier: i64) -> String {
    use crate::output::{Fiche, Section};
    let tables = &document["tables"];
    let mut sections = Vec::new();
    for (table, titre) in TITRES {
        let lignes = tables[*table].as_array().map(Vec::as_slice).unwrap_or_default();
        if lignes.is_empty() {
            continue;
        }
        let mut colonnes: Vec<&String> = Vec::new();
        for objet in lignes.iter().filter_map(|l| l.as_object()) {
            for cle in objet.keys() {
                // An identifier beside its name (`agent`, `agent_nom`): the name only.
                let nomme = objet.contains_key(&format!("{cle}_nom"));
                if !colonnes.contains(&cle) && !TECHNIQUES.contains(&cle.as_str()) && !nomme {
                    colonnes.push(cle);
                }
            }
        }
        let intitules: Vec<String> = colonnes.iter().map(|c| intitule(table, c)).collect();
        let section = if let [seule] = lignes {
            // One row (the identity, a single parcours): its fields one under the other,
            // which a page's width always holds.
            intitules
                .iter()
                .zip(&colonnes)
                .fold(Section::new(*titre), |s, (intitule, c)| {
                    s.champ(intitule, en_clair(table, seule, c))
                })
        } else {
            let rangees = lignes
                .iter()
                .map(|l| colonnes.iter().map(|c| en_clair(table, l, c)).collect())
                .collect();
            Section::new(*titre).tableau(intitules, rangees)
        };
        sections.push(section);
    }
    let exporte_le = document["exporte_le"].as_str().unwrap_or_default();
    let exporte_le = chrono::NaiveDate::parse_from_str(exporte_le, "%Y-%m-%d")
        .map_or_else(|_| exporte_le.to_owned(), crate::domain::date::fr);
    crate::output::html::page(
        &format!("Vos données — dossier {dossier}"),
        &format!("Tout ce que la base contient sur vous, exporté le {}", exporte_le),
        &Fiche { sections },
        "Ce document contient vos données personnelles : gardez-le en lieu sûr.",
    )
}
