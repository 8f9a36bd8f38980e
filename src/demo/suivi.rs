//! Demo follow-up: consents, teams across structures, objectives and actions across
//! thematiques, and journals with a realistic rhythm — some people drop out of contact.

use anyhow::Result;
use chrono::{Days, NaiveDate};
use rusqlite::Transaction;

use super::{AgentDemo, Tirage};
use crate::db;
use crate::db::suivi::NouvelleAction;
use crate::domain::suivi::{StatutAction, StatutObjectif, TypeNote};

/// (thematique, what the action says) by frequency of need in rural Meuse.
const PLANS: &[(&str, &str, u32)] = &[
    (
        "mobilite--preparer-un-permis",
        "Inscription à une auto-école sociale",
        14,
    ),
    (
        "mobilite--financer-ma-mobilite",
        "Demande d'aide au permis ou au transport",
        8,
    ),
    ("mobilite--acceder-a-un-vehicule", "Location solidaire d'un véhicule", 5),
    ("sante--acces-aux-soins", "Rendez-vous au bilan de santé", 7),
    (
        "sante--constituer-un-dossier-mdph-invalidite",
        "Constitution du dossier MDPH",
        4,
    ),
    (
        "logement-hebergement--louer-un-logement",
        "Demande de logement social",
        6,
    ),
    (
        "difficultes-financieres--ameliorer-sa-gestion-budgetaire",
        "Atelier budget",
        6,
    ),
    (
        "numerique--maitriser-les-fondamentaux-du-numerique",
        "Atelier numérique à l'espace France services",
        8,
    ),
    (
        "difficultes-administratives-ou-juridiques--accompagnement-aux-demarches-administratives",
        "Mise à jour des droits CAF",
        6,
    ),
    ("famille--garde-denfants", "Recherche d'un mode de garde", 4),
    (
        "preparer-sa-candidature--realiser-un-cv-et-ou-une-lettre-de-motivation",
        "Atelier CV et lettre de motivation",
        12,
    ),
    (
        "trouver-un-emploi--repondre-a-des-offres-demploi",
        "Candidatures sur les offres du secteur",
        10,
    ),
    (
        "se-former--trouver-sa-formation",
        "Recherche d'une formation qualifiante",
        9,
    ),
    (
        "choisir-un-metier--decouvrir-un-metier-ou-un-secteur-dactivite",
        "Immersion en entreprise (PMSMP)",
        7,
    ),
];

const TEXTES: &[(TypeNote, &str)] = &[
    (
        TypeNote::Entretien,
        "Entretien de suivi : point sur les démarches en cours.",
    ),
    (TypeNote::Entretien, "Entretien : travail sur le projet professionnel."),
    (
        TypeNote::Telephone,
        "Appel pour faire le point et fixer le prochain rendez-vous.",
    ),
    (
        TypeNote::Telephone,
        "Échange téléphonique : relance sur les documents à fournir.",
    ),
    (TypeNote::Atelier, "Participation à l'atelier collectif."),
    (TypeNote::Visite, "Visite à domicile."),
    (TypeNote::Absence, "Rendez-vous non honoré, sans nouvelles."),
    (TypeNote::Courrier, "Courrier de convocation envoyé."),
    (TypeNote::Note, "Échange avec le partenaire sur la situation."),
];

fn plus(jour: NaiveDate, jours: u64) -> NaiveDate {
    jour + Days::new(jours)
}

/// The follow-up of one parcours between `entree` and `fin` (exit or today).
pub fn generer(
    tx: &Transaction,
    t: &mut Tirage,
    parcours: (i64, i64),
    referent: &AgentDemo,
    partenaires: &[AgentDemo],
    entree: NaiveDate,
    fin: NaiveDate,
) -> Result<()> {
    let (parcours_id, dossier) = parcours;
    let agent = referent.id;
    // Consent to share, asked at the first interviews.
    let consentement = plus(entree, t.jours(10)).min(fin);
    let partage = t.chance(0.85);
    if t.chance(0.9) {
        db::suivi::consentir(tx, dossier, consentement, partage, agent)?;
        // A partner of another structure joins one team in three.
        if partage && t.chance(0.35) {
            let autre = t.un(partenaires);
            let debut = plus(consentement, 10 + t.jours(50));
            if autre.structure_id != referent.structure_id && debut <= fin {
                db::suivi::ajouter_membre(tx, parcours_id, autre.id, debut, None)?;
            }
        }
    }
    // The plan: one to three objectives, one or two actions each.
    for _ in 0..1 + t.0.usize(..3) {
        let (theme, libelle) = t.pondere(&PLANS.iter().map(|(th, l, p)| ((*th, *l), *p)).collect::<Vec<_>>());
        let cree = plus(entree, 5 + t.jours(60));
        if cree > fin {
            break;
        }
        let objectif = db::suivi::ajouter_objectif(tx, parcours_id, theme, None, cree, agent)?;
        let mut atteint = true;
        for _ in 0..1 + t.0.usize(..2) {
            let echeance = plus(cree, 30 + t.jours(60));
            let nouvelle = NouvelleAction {
                parcours_id,
                objectif_id: Some(objectif),
                libelle,
                thematique: Some(theme),
                structure_id: None,
                echeance: Some(echeance),
                offre_id: None,
            };
            let action = db::suivi::ajouter_action(tx, &nouvelle, cree, agent)?;
            let fait = plus(cree, 10 + t.jours(80));
            if fait > fin {
                atteint = false;
                continue;
            }
            let statut = t.pondere(&[
                (StatutAction::Realisee, 60),
                (StatutAction::EnCours, 15),
                (StatutAction::Abandonnee, 8),
                (StatutAction::Refusee, 7),
                (StatutAction::Proposee, 10),
            ]);
            if statut != StatutAction::Proposee {
                db::suivi::changer_statut_action(tx, action, statut, fait, agent)?;
            }
            atteint &= statut == StatutAction::Realisee;
        }
        let bilan = plus(cree, 100);
        if atteint && bilan <= fin {
            db::suivi::statut_objectif(tx, objectif, StatutObjectif::Realise, bilan)?;
        }
    }
    // The journal: a contact every three to seven weeks; one person in eight stops coming.
    let decroche = t.chance(0.12).then(|| plus(entree, 30 + t.jours(300)));
    let mut jour = plus(entree, t.jours(7));
    while jour <= fin && decroche.is_none_or(|d| jour <= d) {
        let (type_, texte) = *t.un(TEXTES);
        db::suivi::noter(tx, parcours_id, jour, type_, texte, agent)?;
        jour = plus(jour, 20 + t.jours(30));
    }
    Ok(())
}
