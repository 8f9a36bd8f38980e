//! `spie connexion` and `spie deconnexion`: the agent's work session on an encrypted base.

use std::path::PathBuf;

use anyhow::Result;
use clap::Args;

use super::Ctx;
use super::phrase::{Question, lire};
use crate::domain::connexion::{INACTIVITE_MAX, INACTIVITE_PAR_DEFAUT};
use crate::error::Issue;
use crate::ops;
use crate::output::{Fiche, Section};

#[derive(Debug, Args)]
pub struct Arguments {
    /// Lit la phrase de passe dans ce fichier (droits 0600), pour les scripts [défaut : demandée]
    #[arg(long, value_name = "FICHIER")]
    phrase_fichier: Option<PathBuf>,
    /// À la première connexion, lit la nouvelle phrase de passe dans ce fichier (droits 0600)
    #[arg(long, value_name = "FICHIER")]
    nouvelle_phrase_fichier: Option<PathBuf>,
    /// Minutes d'inactivité après lesquelles la session prend fin (elle finit aussi avec la journée)
    #[arg(long, value_name = "MINUTES", default_value_t = INACTIVITE_PAR_DEFAUT,
          value_parser = super::entre(1u32, INACTIVITE_MAX))]
    inactivite: u32,
}

pub fn connexion(ctx: &Ctx, a: Arguments) -> Result<Issue> {
    let agent = ctx.identifiant_agent()?.to_owned();
    ops::connexion::verifier_chiffree(&ctx.chemin_base())?;
    let phrase = lire(
        ctx,
        a.phrase_fichier.as_deref(),
        &Question {
            option: "--phrase-fichier",
            invite: &format!("Phrase de passe {}", crate::domain::texte::de(&agent)),
            confirmer: false,
        },
    )?;
    let nouvelle = || {
        if a.nouvelle_phrase_fichier.is_none() && ctx.interactif {
            ctx.dire("Votre phrase de passe est provisoire : choisissez-en une nouvelle (12 caractères au moins).");
        }
        lire(
            ctx,
            a.nouvelle_phrase_fichier.as_deref(),
            &Question {
                option: "--nouvelle-phrase-fichier",
                invite: "Nouvelle phrase de passe",
                confirmer: true,
            },
        )
    };
    let c = ops::connexion::connexion(ops::connexion::Connexion {
        base: ctx.chemin_base(),
        agent,
        phrase,
        nouvelle: &nouvelle,
        inactivite: a.inactivite,
    })?;
    ctx.dire(format!(
        "Connecté comme {}{}. La session prend fin après {} min d'inactivité, en fin de journée, ou par `spie deconnexion`.",
        c.agent,
        if c.phrase_changee { " (nouvelle phrase de passe enregistrée)" } else { "" },
        c.inactivite_minutes
    ));
    let fiche = Fiche {
        sections: vec![
            Section::new("Connexion")
                .champ("Agent", c.agent.clone())
                .champ("Inactivité (minutes)", i64::from(c.inactivite_minutes)),
        ],
    };
    ctx.sortie.fiche(&c, &fiche)?;
    Ok(Issue::Succes)
}

pub fn deconnexion(ctx: &Ctx) -> Result<Issue> {
    if ops::connexion::deconnexion(&ctx.chemin_base())? {
        ctx.dire("Session fermée.");
    } else {
        ctx.dire("Aucune session ouverte sur cette base.");
    }
    Ok(Issue::Succes)
}
