//! `spie parcours …`: dossiers and their periods of follow-up. Dispatch only; one file
//! per command.

mod a_faire;
mod action;
mod chercher;
mod clore;
mod consentement;
mod contrat;
mod correction;
mod effacer;
mod exporter;
mod liste;
mod membre;
mod mes_dossiers;
mod modifier;
mod note;
mod objectif;
mod orienter;
mod ouvrir;
mod recevoir;
mod referent;
mod rouvrir;
mod transmettre;
mod voir;

use super::{Ctx, date};
use crate::domain::codes::souple;
use crate::domain::personne::Sexe;
use crate::error::Issue;
use anyhow::Result;
use chrono::NaiveDate;
use clap::{Args, Subcommand};

#[derive(Debug, Subcommand)]
pub enum Commande {
    /// Ouvre le dossier d'une personne et son parcours ; affiche le numéro de dossier
    ///
    /// Sur un terminal, le nom, le prénom, la date de naissance et la commune sont demandés
    /// s'ils manquent (jamais avec --non-interactif).
    Ouvrir(ouvrir::Arguments),
    /// Liste vos dossiers suivis, ou les dossiers (par défaut ceux dont le parcours est ouvert)
    Liste(liste::Arguments),
    /// Cherche un dossier par nom, prénom, date de naissance, téléphone, courriel, identifiant
    /// France Travail ou numéro CAF
    Chercher(chercher::Arguments),
    /// Affiche un dossier : identité, parcours, référents
    Voir(voir::Arguments),
    /// Corrige l'identité ou les coordonnées d'une personne
    Modifier(modifier::Arguments),
    /// Désigne le référent unique du parcours (l'historique est gardé)
    Referent(referent::Arguments),
    /// Décide l'orientation du parcours (le diagnostic ne fait que la suggérer)
    Orienter(orienter::Arguments),
    /// L'équipe du parcours : les agents qui accompagnent la personne avec le référent
    #[command(subcommand)]
    Membre(membre::Commande),
    /// Enregistre le consentement de la personne au partage de son dossier
    Consentement(consentement::Arguments),
    /// Les objectifs du plan
    #[command(subcommand)]
    Objectif(objectif::Commande),
    /// Les actions du plan
    #[command(subcommand)]
    Action(action::Commande),
    /// Enregistre un contrat du parcours (CER, PPAE, CEJ, PACEA) et ses dates
    Contrat(contrat::Arguments),
    /// Ajoute une note datée au journal (entretien, téléphone, visite, atelier…), ou la
    /// corrige, ou la retire
    Note(note::Arguments),
    /// Ce qui attend l'agent : rendez-vous du jour, sans issue ou manqués deux fois de suite,
    /// actions en retard, prescriptions sans réponse, contrats à échéance, parcours sans
    /// référent, sans diagnostic, sans décision d'orientation, sans contact depuis 90 jours,
    /// diagnostics de plus d'un an
    AFaire(a_faire::Arguments),
    /// Écrit tout ce que la base contient sur la personne, en JSON (droit d'accès)
    Exporter(exporter::Arguments),
    /// Efface la personne à sa demande ; ne reste qu'un résidu anonyme pour les statistiques
    Effacer(effacer::Arguments),
    /// Clôt le parcours ouvert
    Clore(clore::Arguments),
    /// Ouvre un nouveau parcours pour un dossier dont le parcours est clos
    Rouvrir(rouvrir::Arguments),
    /// Transmet des parcours à une structure partenaire : un fichier chiffré pour elle et signé
    ///
    /// Seul ce que la personne a accepté de partager part : identité, diagnostics, orientation,
    /// plan, journal (sauf les notes privées), équipe et référent. Un nouvel envoi au même
    /// partenaire ne porte que ce qui a changé depuis le précédent (--tout : tout).
    Transmettre(transmettre::Arguments),
    /// Reçoit le fichier d'une structure partenaire (aperçu ; --appliquer pour l'enregistrer)
    Recevoir(recevoir::Arguments),
}

pub fn executer(ctx: &Ctx, commande: Commande) -> Result<Issue> {
    match commande {
        Commande::Ouvrir(a) => ouvrir::executer(ctx, a),
        Commande::Liste(a) => liste::executer(ctx, a),
        Commande::Chercher(a) => chercher::executer(ctx, a),
        Commande::Voir(a) => voir::executer(ctx, a),
        Commande::Modifier(a) => modifier::executer(ctx, a),
        Commande::Referent(a) => referent::executer(ctx, a),
        Commande::Orienter(a) => orienter::executer(ctx, a),
        Commande::Membre(c) => membre::executer(ctx, c),
        Commande::Consentement(a) => consentement::executer(ctx, a),
        Commande::Objectif(c) => objectif::executer(ctx, c),
        Commande::Action(c) => action::executer(ctx, c),
        Commande::Contrat(a) => contrat::executer(ctx, a),
        Commande::Note(a) => note::executer(ctx, a),
        Commande::AFaire(a) => a_faire::executer(ctx, a),
        Commande::Exporter(a) => exporter::executer(ctx, a),
        Commande::Effacer(a) => effacer::executer(ctx, a),
        Commande::Clore(a) => clore::executer(ctx, a),
        Commande::Rouvrir(a) => rouvrir::executer(ctx, a),
        Commande::Transmettre(a) => transmettre::executer(ctx, a),
        Commande::Recevoir(a) => recevoir::executer(ctx, a),
    }
}

/// The identity flags shared by `ouvrir` and `modifier`.
#[derive(Debug, Args)]
pub struct ChampsIdentite {
    /// Nom de famille
    #[arg(long)]
    nom: Option<String>,
    /// Prénom
    #[arg(long)]
    prenom: Option<String>,
    /// Date de naissance (AAAA-MM-JJ ou JJ/MM/AAAA)
    #[arg(long, value_parser = date)]
    naissance: Option<NaiveDate>,
    /// Commune de résidence : code INSEE, nom, « 55100 Verdun » ou « Verdun (55) »
    #[arg(long)]
    commune: Option<String>,
    /// Sexe
    #[arg(long, value_enum, value_parser = souple::<Sexe>())]
    sexe: Option<Sexe>,
    /// Téléphone (avec modifier, "" l'efface)
    #[arg(long)]
    telephone: Option<String>,
    /// Courriel (avec modifier, "" l'efface)
    #[arg(long)]
    courriel: Option<String>,
    /// Situations, séparées par des virgules : rsa, de, rqth, qpv… (avec modifier, remplace la liste ; "" la vide)
    #[arg(long = "public", value_name = "CODES")]
    publics: Option<String>,
    /// Identifiant France Travail (7 chiffres et une lettre ; avec modifier, "" l'efface)
    #[arg(long, value_name = "IDENTIFIANT")]
    france_travail: Option<String>,
    /// Numéro d'allocataire CAF (avec modifier, "" l'efface)
    #[arg(long, value_name = "NUMERO")]
    caf: Option<String>,
    /// Adresse postale (numéro et voie, complément ; lignes séparées par « ; »), imprimée sur
    /// les convocations ; le code postal et la commune de résidence s'y ajoutent s'ils n'y
    /// sont pas (avec modifier, "" l'efface)
    #[arg(long)]
    adresse: Option<String>,
}
