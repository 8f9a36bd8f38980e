//! What every handler needs, decided once per run: the base, the agent, the clock, the
//! output format, whether prompts are allowed.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};

use anyhow::Result;
use chrono::NaiveDate;

use super::Globales;
use crate::error::{UserError, erreur};
use crate::output::{Format, Sortie, message};

/// What a progress bar counts.
pub enum Unite {
    Octets,
    Lignes,
}

pub struct Ctx {
    /// The base file; `None` when neither `--base` nor `SPIE_BASE` was given.
    base: Option<PathBuf>,
    agent: Option<String>,
    /// The agent was named by `--agent` or `SPIE_AGENT`, not taken from the system user.
    agent_nomme: bool,
    pub sortie: Sortie,
    /// `--format` as given, `None` when the format is the default one.
    pub format_demande: Option<Format>,
    pub interactif: bool,
    silencieux: bool,
    pub aujourdhui: NaiveDate,
    /// The command as typed (`parcours voir`).
    commande: String,
    /// `SPIE_DATE` set the day: honoured on a test base only.
    date_forcee: bool,
}

const BASE_PAR_DEFAUT: &str = "spie.sqlite";

impl Ctx {
    pub fn depuis(g: &Globales, commande: String) -> Result<Ctx> {
        let date_forcee = std::env::var_os("SPIE_DATE").is_some();
        let aujourdhui = match std::env::var("SPIE_DATE") {
            Ok(texte) => crate::domain::date::parse(&texte).map_err(|e| {
                UserError::usage(format!("SPIE_DATE : {e}")).aide(
                    "SPIE_DATE fixe la date du jour d'une base d'essai ou de démonstration, et seulement \
                         d'elle ; sur une vraie base, retirez la variable",
                )
            })?,
            Err(_) => chrono::Local::now().date_naive(),
        };
        let agent_nomme = g.agent.is_some();
        let agent = g
            .agent
            .clone()
            .or_else(|| {
                ["USER", "LOGNAME", "USERNAME"]
                    .iter()
                    .find_map(|v| std::env::var(v).ok())
            })
            .map(|a| a.trim().to_owned())
            .filter(|a| !a.is_empty());
        let format = g.format.unwrap_or(if std::io::stdout().is_terminal() {
            Format::Table
        } else {
            Format::Csv
        });
        Ok(Ctx {
            base: g.base.clone(),
            agent,
            agent_nomme,
            sortie: Sortie { format },
            format_demande: g.format,
            interactif: !g.non_interactif && std::io::stdin().is_terminal() && std::io::stderr().is_terminal(),
            silencieux: g.silencieux,
            aujourdhui,
            commande,
            date_forcee,
        })
    }

    /// The base's path as given, or `spie.sqlite` in the current folder.
    pub fn chemin_base(&self) -> PathBuf {
        self.base.clone().unwrap_or_else(|| PathBuf::from(BASE_PAR_DEFAUT))
    }

    /// The session every use case runs in (see [`crate::ops::Session`]).
    pub fn session(&self) -> Result<crate::ops::Session> {
        let session = crate::ops::Session::ouvrir(&self.lancement())?;
        if let Some(import) = &session.import_annule {
            self.avertir(format!(
                "l'import d'offres commencé le {} par {} s'est arrêté avant la fin : il a été annulé, le \
                 catalogue est tel qu'avant lui",
                crate::domain::date::moment_fr(&import.depuis),
                import.agent
            ));
        }
        Ok(session)
    }

    /// What the session of this run starts from.
    pub fn lancement(&self) -> crate::ops::Lancement {
        crate::ops::Lancement {
            base: self.chemin_base(),
            agent: self.agent.clone(),
            agent_nomme: self.agent_nomme,
            aujourdhui: self.aujourdhui,
            commande: self.commande.clone(),
            date_forcee: self.date_forcee,
        }
    }

    /// Whether `SPIE_DATE` set the day.
    pub fn date_forcee(&self) -> bool {
        self.date_forcee
    }

    /// Whether `--base` / `SPIE_BASE` was given.
    pub fn base_donnee(&self) -> bool {
        self.base.is_some()
    }

    /// The identifier of the agent at work (`--agent`, `SPIE_AGENT`, the OS user).
    pub fn identifiant_agent(&self) -> Result<&str> {
        self.agent.as_deref().ok_or_else(|| {
            erreur("impossible de savoir quel agent travaille")
                .aide("indiquez-le avec --agent IDENTIFIANT ou la variable SPIE_AGENT")
                .into()
        })
    }

    /// The date of a dated record: `--date`, or today.
    pub fn date(&self, date: Option<NaiveDate>) -> NaiveDate {
        date.unwrap_or(self.aujourdhui)
    }

    /// A progress bar on stderr for `longueur` bytes, only for a person at a terminal
    /// (never with `-q`, never in a pipe or a script).
    pub fn barre(&self, longueur: u64, unite: Unite) -> Option<indicatif::ProgressBar> {
        if self.silencieux || !std::io::stderr().is_terminal() {
            return None;
        }
        let barre = indicatif::ProgressBar::new(longueur);
        let style = indicatif::ProgressStyle::with_template(match unite {
            Unite::Octets => "{bar:40} {percent:>3} % {binary_bytes}/{binary_total_bytes} {eta}",
            Unite::Lignes => "{bar:40} {percent:>3} % ligne {pos}/{len} {eta}",
        })
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar());
        barre.set_style(style);
        Some(barre)
    }

    /// An information message on stderr, unless `-q`.
    pub fn dire(&self, texte: impl AsRef<str>) {
        if !self.silencieux && !crate::output::lecteur_parti() {
            message(texte.as_ref());
        }
    }

    /// A warning on stderr, even with `-q` (not once stdout's reader has gone).
    pub fn avertir(&self, texte: impl AsRef<str>) {
        // A reader that has gone wants nothing more (see `output::lecteur_parti`).
        if crate::output::lecteur_parti() {
            return;
        }
        message(format_args!("attention : {}", texte.as_ref()));
    }

    /// A value the user must give: the flag's (checked by `valider`), or asked at the
    /// terminal until `valider` accepts it, or an error naming the flag with
    /// `--non-interactif` or without a terminal.
    pub fn exiger<T>(
        &self,
        valeur: Option<String>,
        option: &str,
        question: &str,
        valider: impl Fn(&str) -> Result<T>,
    ) -> Result<T> {
        if let Some(v) = valeur {
            return valider(&v);
        }
        if !self.interactif {
            return Err(UserError::usage(format!("{option} est obligatoire")).into());
        }
        loop {
            // French typography: a space before the colon dialoguer adds.
            let reponse = demander(|| {
                dialoguer::Input::<String>::new()
                    .with_prompt(format!("{question} "))
                    .interact_text()
            })?;
            match valider(&reponse) {
                Ok(v) => return Ok(v),
                Err(e) => match e.downcast_ref::<UserError>() {
                    Some(u) => {
                        message(&u.message);
                        if let Some(aide) = &u.aide {
                            message(format_args!("  {aide}"));
                        }
                    }
                    None => return Err(e),
                },
            }
        }
    }
}

/// From now on, Ctrl-C asks the work to stop rather than ending spie at once: for a long
/// work that undoes itself when stopped (an import written in steps). The function says
/// whether it was asked.
pub fn arret_demande() -> impl Fn() -> bool {
    static ARRET: AtomicBool = AtomicBool::new(false);
    // Once per run: a second installation fails, harmlessly.
    let _ = ctrlc::set_handler(|| ARRET.store(true, Ordering::Relaxed));
    || ARRET.load(Ordering::Relaxed)
}

/// One question at the terminal. Ctrl-C comes back as the question's error: the terminal
/// library raises SIGINT once it has given the terminal its mode back, and a handler keeps
/// the signal from killing spie, so that the cursor the question hid is shown again, the
/// line ended, and the person told that nothing is saved.
pub fn demander<T>(question: impl FnOnce() -> dialoguer::Result<T>) -> Result<T> {
    // Once per run: a second installation fails, harmlessly.
    let _ = ctrlc::set_handler(|| {});
    question().map_err(|_| {
        let terminal = dialoguer::console::Term::stderr();
        let _ = terminal.show_cursor();
        // The line of the question may hold what was typed: the error starts on its own.
        let _ = terminal.write_line("");
        erreur("saisie interrompue : rien n'est enregistré").into()
    })
}
