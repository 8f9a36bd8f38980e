//! The command line: clap definitions and one thin handler per command. Handlers turn
//! flags into calls of the domain and the db layer and hand results to the output.

mod agent;
mod base;
mod connexion;
pub mod contexte;
mod demo;
mod diagnostic;
mod exemples;
mod francais;
mod installation;
// `pub(crate)` while `ops::parcours::ajouter_action` borrows its thematique rule.
mod offre;
mod parcours;
mod phrase;
mod rdv;
mod stats;
mod structure;

use crate::domain::codes::souple;
use std::ffi::OsString;
use std::path::PathBuf;

use anyhow::Result;
use chrono::NaiveDate;
use clap::{Args, CommandFactory, FromArgMatches, Parser, Subcommand};

pub use contexte::Ctx;

use crate::error::Issue;
use crate::output::Format;

/// spie — le service public de l'insertion et de l'emploi, hors ligne.
///
/// Diagnostic de chaque personne, suivi partagé de son parcours, offre d'accompagnement
/// du territoire et statistiques mensuelles, dans un seul fichier SQLite.
#[derive(Debug, Parser)]
#[command(name = "spie", version, max_term_width = 100)]
pub struct Cli {
    #[command(flatten)]
    pub globales: Globales,
    #[command(subcommand)]
    commande: Commande,
    /// The command as typed (`parcours voir`), named in the audit trail.
    #[arg(skip)]
    chemin: String,
}

/// Options valables pour toutes les commandes.
#[derive(Debug, Args)]
#[command(next_help_heading = "Options globales")]
pub struct Globales {
    /// Fichier de la base [défaut : spie.sqlite dans le dossier courant]
    #[arg(long, env = "SPIE_BASE", value_name = "FICHIER", global = true)]
    pub base: Option<PathBuf>,
    /// Identifiant de l'agent qui travaille [défaut : l'utilisateur du système]
    #[arg(long, env = "SPIE_AGENT", value_name = "IDENTIFIANT", global = true)]
    pub agent: Option<String>,
    /// Format de sortie [défaut : table sur un terminal, csv sinon]
    #[arg(long, value_enum, value_parser = souple::<Format>(), global = true)]
    pub format: Option<Format>,
    /// Ne jamais poser de question : une donnée manquante est une erreur
    #[arg(long, global = true)]
    pub non_interactif: bool,
    /// N'afficher que les données et les erreurs (pas les messages d'information)
    #[arg(short = 'q', long = "silencieux", global = true)]
    pub silencieux: bool,
}

#[derive(Debug, Subcommand)]
enum Commande {
    /// Créer, vérifier et sauvegarder la base
    #[command(subcommand)]
    Base(base::Commande),
    /// Les agents (professionnels) qui utilisent la base
    #[command(subcommand)]
    Agent(agent::Commande),
    /// Les structures (la vôtre, les partenaires)
    #[command(subcommand)]
    Structure(structure::Commande),
    /// Les dossiers des personnes et leurs parcours
    #[command(subcommand)]
    Parcours(parcours::Commande),
    /// Les rendez-vous : planifier, noter l'issue, l'agenda, la convocation
    #[command(subcommand)]
    Rdv(rdv::Commande),
    /// Le diagnostic social et professionnel et l'orientation qu'il suggère
    #[command(subcommand)]
    Diagnostic(diagnostic::Commande),
    /// L'offre d'accompagnement du territoire : import des listes des partenaires
    #[command(subcommand)]
    Offre(offre::Commande),
    /// Les indicateurs mensuels pour le Département
    #[command(subcommand)]
    Stats(stats::Commande),
    /// Crée une base de démonstration réaliste (personnes fictives)
    Demo(demo::Arguments),
    /// Ouvre votre session de travail sur une base chiffrée (votre phrase de passe est demandée)
    Connexion(connexion::Arguments),
    /// Ferme votre session de travail sur la base
    Deconnexion,
    /// Écrit le script de complétion des commandes pour bash, zsh, fish ou PowerShell
    Completions(installation::Completions),
    /// Écrit la page de manuel (man) de spie, ou une page par commande avec --dossier
    Man(installation::Manuel),
}

/// The command line, in French, as clap sees it.
pub fn commande() -> clap::Command {
    francais::franciser(Cli::command())
}

/// Parses the arguments; a usage error is formatted in French.
pub fn analyser<I, T>(args: I) -> Result<Cli, clap::error::Error<francais::Francais>>
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let args = aide_en_commande(args.into_iter().map(Into::into).collect());
    let correspondances = correspondances(args)?;
    let mut cli = Cli::from_arg_matches(&correspondances).map_err(|e| e.apply())?;
    let mut noms = Vec::new();
    let mut niveau = &correspondances;
    while let Some((nom, sous)) = niveau.subcommand() {
        noms.push(nom);
        niveau = sous;
    }
    cli.chemin = noms.join(" ");
    Ok(cli)
}

/// Writing every command's help in French (examples, defaults, values) costs more than the
/// parse itself, and only help and errors show it: a command line that clap accepts as it is
/// needs none of it. Anything else (help, version, a usage error) is parsed again by the
/// French command, which then has the last word.
fn correspondances(args: Vec<OsString>) -> Result<clap::ArgMatches, clap::error::Error<francais::Francais>> {
    match Cli::command().try_get_matches_from(&args) {
        Ok(correspondances) => Ok(correspondances),
        Err(_) => commande().try_get_matches_from(args).map_err(|e| e.apply()),
    }
}

/// `spie help [COMMANDE…]` (or `spie aide …`) is `spie [COMMANDE…] --help`: clap's own
/// `help` command would answer in English.
fn aide_en_commande(mut args: Vec<OsString>) -> Vec<OsString> {
    if args.get(1).is_some_and(|a| a == "help" || a == "aide") {
        args.remove(1);
        args.push("--help".into());
    }
    args
}

pub fn executer(cli: Cli) -> Result<Issue> {
    // Neither needs a base nor an agent.
    match cli.commande {
        Commande::Completions(a) => return installation::completions(a),
        Commande::Man(a) => return installation::manuel(a),
        _ => {}
    }
    let ctx = Ctx::depuis(&cli.globales, cli.chemin)?;
    match cli.commande {
        Commande::Base(c) => base::executer(&ctx, c),
        Commande::Agent(c) => agent::executer(&ctx, c),
        Commande::Structure(c) => structure::executer(&ctx, c),
        Commande::Parcours(c) => parcours::executer(&ctx, c),
        Commande::Rdv(c) => rdv::executer(&ctx, c),
        Commande::Diagnostic(c) => diagnostic::executer(&ctx, c),
        Commande::Offre(c) => offre::executer(&ctx, c),
        Commande::Stats(c) => stats::executer(&ctx, c),
        Commande::Demo(a) => demo::executer(&ctx, a),
        Commande::Connexion(a) => connexion::connexion(&ctx, a),
        Commande::Deconnexion => connexion::deconnexion(&ctx),
        Commande::Completions(_) | Commande::Man(_) => unreachable!("handled above"),
    }
}

/// `--date` and every other date flag: `AAAA-MM-JJ` or `JJ/MM/AAAA`.
fn date(texte: &str) -> Result<NaiveDate, String> {
    crate::domain::date::parse(texte)
}

/// `oui` / `non` flags.
fn oui_non(texte: &str) -> Result<bool, String> {
    match crate::domain::texte::en_code(texte).as_str() {
        "oui" => Ok(true),
        "non" => Ok(false),
        _ => Err("attendu oui ou non".into()),
    }
}

/// A number naming a record (dossier, offer, objective, action…): 1 or more. Its error
/// gives an example and where numbers are found (see [`francais::Francais`] for the
/// `exemple :` and `aide :` lines).
fn numero(texte: &str) -> Result<i64, String> {
    texte.trim().parse().ok().filter(|n| *n >= 1).ok_or_else(|| {
        let t = texte.trim();
        let aide = "\nexemple : 42\naide : un numéro se lit dans les listes de spie : `spie offre chercher MOTS` pour une \
                    offre, `spie parcours chercher NOM` pour un dossier ; les arguments se donnent dans l'ordre de la \
                    ligne « Utilisation » de --help";
        if t.chars().any(char::is_alphabetic) {
            format!("« {t} » n'est pas un numéro : nombre entier positif attendu{aide}")
        } else {
            format!("nombre entier positif attendu{aide}")
        }
    })
}

/// A whole number flag (`--limite`, `--delai`…) checked against its range when the
/// command line is read, so that no command computes with an absurd value; its error
/// gives an example in the range.
fn entre<T>(min: T, max: T) -> impl Fn(&str) -> Result<T, String> + Clone + Send + Sync + 'static
where
    T: std::str::FromStr + PartialOrd + std::fmt::Display + Copy + Send + Sync + 'static,
{
    move |texte| {
        texte
            .trim()
            .parse()
            .ok()
            .filter(|n| (min..=max).contains(n))
            .ok_or_else(|| {
                let exemple = match "10".parse::<T>() {
                    Ok(dix) if (min..=max).contains(&dix) => dix,
                    _ => min,
                };
                format!("nombre entier de {min} à {max} attendu\nexemple : {exemple}")
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_line_is_consistent() {
        commande().debug_assert();
    }

    /// A command's own argument must never share its id with a global option: clap would
    /// merge them (`parcours referent N AGENT` once changed the agent at work).
    #[test]
    fn no_argument_shadows_a_global_option() {
        fn visiter(cmd: &clap::Command, globales: &[String]) {
            for sous in cmd.get_subcommands() {
                for arg in sous.get_arguments().filter(|a| !a.is_global_set()) {
                    let id = arg.get_id().to_string();
                    assert!(
                        !globales.contains(&id),
                        "{} : l'argument « {id} » masque une option globale",
                        sous.get_name()
                    );
                }
                visiter(sous, globales);
            }
        }
        let cmd = commande();
        let globales: Vec<String> = cmd
            .get_arguments()
            .filter(|a| a.is_global_set())
            .map(|a| a.get_id().to_string())
            .collect();
        assert!(globales.contains(&"agent".to_string()));
        visiter(&cmd, &globales);
    }

    /// An option that an environment variable can give is never required: a usage line
    /// would list it as missing while the variable is set.
    #[test]
    fn no_option_given_by_a_variable_is_required() {
        fn visiter(cmd: &clap::Command) {
            for arg in cmd.get_arguments().filter(|a| a.get_env().is_some()) {
                assert!(
                    !arg.is_required_set(),
                    "{} {} : obligatoire et lu dans une variable",
                    cmd.get_name(),
                    arg.get_id()
                );
            }
            cmd.get_subcommands().for_each(visiter);
        }
        visiter(&commande());
        let aide = commande().render_long_help().to_string();
        assert!(
            aide.contains("[variable : SPIE_BASE]") && !aide.contains("env:"),
            "{aide}"
        );
    }

    #[test]
    fn every_command_and_flag_has_french_help() {
        fn visiter(cmd: &clap::Command, chemin: &str) {
            let chemin = format!("{chemin} {}", cmd.get_name());
            assert!(
                cmd.get_about().is_some() || chemin == " spie",
                "{chemin} n'a pas d'aide"
            );
            for arg in cmd.get_arguments() {
                assert!(arg.get_help().is_some(), "{chemin} {} n'a pas d'aide", arg.get_id());
            }
            for sous in cmd.get_subcommands() {
                visiter(sous, &chemin);
            }
        }
        visiter(&commande(), "");
    }
}
