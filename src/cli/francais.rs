//! clap speaks English; our users read French. The help's headings and flags are set
//! in French on the built command, and usage errors go through a French formatter.

use std::error::Error as _;
use std::fmt::Write as _;

use clap::builder::StyledStr;
use clap::error::{ContextKind, ContextValue, ErrorFormatter, ErrorKind};
use clap::{Arg, ArgAction, Command};

const MODELE: &str = "\
{before-help}{about-with-newline}
Utilisation : {usage}

{all-args}{after-help}";

/// Puts every level of the command in French: headings, `-h`, `-V`, no `help` command.
pub fn franciser(cmd: Command) -> Command {
    let cmd = cmd.disable_version_flag(true).arg(
        Arg::new("version")
            .short('V')
            .long("version")
            .action(ArgAction::Version)
            .help("Affiche la version"),
    );
    exemples(niveau(cmd), "")
}

fn niveau(cmd: Command) -> Command {
    cmd.help_template(MODELE)
        .disable_help_flag(true)
        .disable_help_subcommand(true)
        .subcommand_help_heading("Commandes\u{a0}")
        .subcommand_value_name("COMMANDE")
        .arg(
            Arg::new("aide")
                .short('h')
                .long("help")
                .action(ArgAction::Help)
                .help("Affiche l'aide (--help pour le détail)"),
        )
        .mut_args(valeurs_en_francais)
        .mut_subcommands(niveau)
}

/// Adds its example at the end of each command's help, and says how to get help.
fn exemples(cmd: Command, chemin: &str) -> Command {
    let chemin_de = |nom: &str| format!("{chemin} {nom}").trim().to_owned();
    let cmd = match super::exemples::de(chemin) {
        Some(exemple) => cmd.after_help(format!("Exemple :\n  {exemple}")),
        None if chemin.is_empty() => {
            cmd.after_help("Aide d'une commande : spie help COMMANDE, ou spie COMMANDE --help.")
        }
        None => cmd,
    };
    let noms: Vec<String> = cmd.get_subcommands().map(|s| s.get_name().to_owned()).collect();
    noms.into_iter().fold(cmd, |cmd, nom| {
        cmd.mut_subcommand(&nom, |s| exemples(s, &chemin_de(&nom)))
    })
}

/// clap writes the default value and the values of an enumerated flag under English
/// words: write them in the flag's own help instead.
fn valeurs_en_francais(arg: Arg) -> Arg {
    // clap ends a heading with a colon: French puts a (no-break) space before it.
    let titre = match arg.get_help_heading() {
        Some("Options globales") => Some("Options globales\u{a0}"),
        Some(_) => None,
        None if arg.is_positional() => Some("Arguments\u{a0}"),
        None => Some("Options\u{a0}"),
    };
    let arg = match titre {
        Some(titre) => arg.help_heading(titre),
        None => arg,
    };
    // clap writes `[env: SPIE_BASE=]`.
    let arg = match arg.get_env().map(|v| v.to_string_lossy().into_owned()) {
        Some(variable) if !arg.is_hide_env_set() => {
            let aide = arg.get_help().map(|h| h.to_string()).unwrap_or_default();
            arg.hide_env(true).help(format!("{aide} [variable : {variable}]"))
        }
        _ => arg,
    };
    let defauts: Vec<String> = arg
        .get_default_values()
        .iter()
        .map(|v| v.to_string_lossy().into_owned())
        .collect();
    let arg = if defauts.is_empty() || arg.is_hide_default_value_set() || !arg.get_action().takes_values() {
        arg
    } else {
        let aide = arg.get_help().map(|h| h.to_string()).unwrap_or_default();
        arg.hide_default_value(true)
            .help(format!("{aide} [défaut : {}]", defauts.join(", ")))
    };
    let valeurs: Vec<String> = arg
        .get_possible_values()
        .iter()
        .filter(|v| !v.is_hide_set())
        .map(|v| v.get_name().to_owned())
        .collect();
    if valeurs.is_empty() || !arg.get_action().takes_values() {
        return arg;
    }
    let aide = arg.get_help().map(|h| h.to_string()).unwrap_or_default();
    arg.hide_possible_values(true)
        .help(format!("{aide} [valeurs : {}]", valeurs.join(", ")))
}

/// clap writes in an error's usage line the options it found, those read from an
/// environment variable included (`--base <FICHIER> --agent <IDENTIFIANT>`), as if they were
/// required: the global options are left out of it.
fn sans_les_globales(usage: &str) -> String {
    ["--base <FICHIER>", "--agent <IDENTIFIANT>"]
        .iter()
        .fold(usage.to_owned(), |u, option| u.replace(&format!(" {option}"), ""))
}

/// A value parser's error: its first line is the cause; an `exemple : V` line gives a
/// valid value, written after the option (`par exemple --rayon 10`) or named for the
/// argument (`<ID> est un numéro, par exemple 42`); an `aide : …` line is added as it is.
fn cause_et_aide(erreur: &str, arg: &str) -> (String, Option<String>) {
    let mut lignes = erreur.lines();
    let cause = lignes.next().unwrap_or_default().to_owned();
    let mut aides = Vec::new();
    for ligne in lignes {
        if let Some(exemple) = ligne.strip_prefix("exemple : ") {
            aides.push(if arg.starts_with('<') {
                format!("{arg} est un numéro, par exemple {exemple}")
            } else {
                let option = arg.split(' ').next().unwrap_or(arg);
                format!("par exemple {option} {exemple}")
            });
        } else if let Some(aide) = ligne.strip_prefix("aide : ") {
            aides.push(aide.to_owned());
        }
    }
    (cause, (!aides.is_empty()).then(|| aides.join(" ; ")))
}

/// Formats usage errors in French, with the same context clap would give.
pub struct Francais;

fn texte(v: Option<&ContextValue>) -> Option<String> {
    match v? {
        ContextValue::String(s) => Some(s.clone()),
        ContextValue::Strings(s) => Some(s.join(", ")),
        ContextValue::StyledStr(s) => Some(s.to_string()),
        ContextValue::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

impl ErrorFormatter for Francais {
    fn format_error(err: &clap::error::Error<Self>) -> StyledStr {
        let arg = texte(err.get(ContextKind::InvalidArg)).unwrap_or_default();
        let valeur = texte(err.get(ContextKind::InvalidValue)).unwrap_or_default();
        let sous = texte(err.get(ContextKind::InvalidSubcommand)).unwrap_or_default();
        let mut m = String::from("erreur : ");
        match err.kind() {
            ErrorKind::InvalidValue if valeur.is_empty() => {
                let _ = write!(m, "une valeur est attendue pour {arg}");
            }
            ErrorKind::InvalidValue => {
                let _ = write!(m, "valeur « {valeur} » invalide pour {arg}");
            }
            ErrorKind::ValueValidation => {
                let cause = err.source().map(|s| s.to_string()).unwrap_or_default();
                let (cause, aide) = cause_et_aide(&cause, &arg);
                if arg.starts_with('<') && cause.contains(&format!("« {valeur} »")) {
                    // A positional argument's name says little: the cause names the value.
                    let _ = write!(m, "{cause}");
                } else if valeur.is_empty() || cause.contains(&format!("« {valeur} »")) {
                    let _ = write!(m, "valeur invalide pour {arg} : {cause}");
                } else {
                    let _ = write!(m, "valeur « {valeur} » invalide pour {arg} : {cause}");
                }
                if let Some(aide) = aide {
                    let _ = write!(m, "\naide : {aide}");
                }
            }
            // clap says « unknown argument » of an extra value and of a negative number too.
            ErrorKind::UnknownArgument if !arg.starts_with('-') => {
                let _ = write!(
                    m,
                    "argument en trop : « {arg} » (la commande n'en attend pas d'autre ici ; si c'est la valeur \
                     d'une option, écrivez l'option devant, voir l'exemple de --help)"
                );
            }
            ErrorKind::UnknownArgument if arg[1..].parse::<f64>().is_ok() => {
                let _ = write!(m, "nombre négatif « {arg} » : une valeur positive est attendue");
            }
            ErrorKind::UnknownArgument => {
                let _ = write!(m, "option inconnue : {arg}");
            }
            ErrorKind::InvalidSubcommand => {
                let _ = write!(m, "commande inconnue : « {sous} »");
            }
            ErrorKind::MissingRequiredArgument => {
                let _ = write!(m, "argument obligatoire manquant : {arg}");
            }
            ErrorKind::MissingSubcommand | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
                m.push_str("une commande est attendue");
            }
            ErrorKind::ArgumentConflict => {
                let autre = texte(err.get(ContextKind::PriorArg)).unwrap_or_default();
                if arg.is_empty() {
                    // clap names no argument when a subcommand follows the command's own
                    // arguments (`parcours note 1 corriger 2 "…"`).
                    let _ = write!(
                        m,
                        "une sous-commande ne s'emploie pas avec {autre} : elle vient juste après le nom de la \
                         commande, suivie de ses propres arguments (voir l'exemple de --help)"
                    );
                } else if autre.is_empty() || autre == arg {
                    let _ = write!(m, "{arg} ne peut être donné qu'une fois");
                } else {
                    let _ = write!(m, "{arg} ne peut pas être utilisé avec {autre}");
                }
            }
            ErrorKind::TooManyValues | ErrorKind::WrongNumberOfValues => {
                let _ = write!(m, "trop de valeurs : « {valeur} »");
            }
            ErrorKind::InvalidUtf8 => m.push_str("argument qui n'est pas de l'UTF-8 valide"),
            _ => {
                let _ = write!(m, "ligne de commande invalide ({arg}{valeur})");
            }
        }
        m.push('\n');
        if let Some(possibles) = texte(err.get(ContextKind::ValidValue)) {
            let _ = writeln!(m, "  valeurs possibles : {possibles}");
        }
        // Several suggestions each in their quotes: « clore » ou « voir ».
        let suggestion = [
            ContextKind::SuggestedArg,
            ContextKind::SuggestedSubcommand,
            ContextKind::SuggestedValue,
        ]
        .into_iter()
        .find_map(|k| match err.get(k) {
            Some(ContextValue::Strings(s)) if !s.is_empty() => Some(s.join(" » ou « ")),
            v => texte(v),
        });
        if let Some(s) = suggestion {
            let _ = writeln!(m, "aide : vouliez-vous dire « {s} » ?");
        }
        if let Some(usage) = texte(err.get(ContextKind::Usage)) {
            let _ = writeln!(m, "\n{}", sans_les_globales(&usage.replace("Usage:", "Utilisation :")));
        }
        m.push_str("Pour en savoir plus : --help\n");
        StyledStr::from(m)
    }
}
