//! `spie rdv honore|absent|excuse|annule ID`: the outcome of an appointment, recorded or
//! corrected; a cancelled appointment that had a convocation gets its cancellation file.

use std::io::Write;
use std::path::PathBuf;

use anyhow::Result;
use clap::Args;

use crate::cli::{Ctx, numero};
use crate::domain::rdv::{StatutRdv, moment_fr};
use crate::error::Issue;
use crate::export::convocation;
use crate::ops;
use crate::output::fichier::FichierAtomique;

#[derive(Debug, Args)]
pub struct Arguments {
    /// Numéro du rendez-vous
    #[arg(value_parser = numero)]
    id: i64,
    /// Pourquoi (court, sans donnée de santé) ; avec --corriger, pourquoi l'issue notée était
    /// fausse
    #[arg(long)]
    motif: Option<String>,
    /// Corrige une issue déjà notée (erreur de saisie) ; l'ancienne reste dans l'historique du
    /// dossier. Demande --motif
    #[arg(long, requires = "motif")]
    corriger: bool,
}

/// `rdv annule`: the outcome, and where the cancellation of a convocation goes.
#[derive(Debug, Args)]
pub struct Annulation {
    #[command(flatten)]
    issue: Arguments,
    /// Si une convocation a été écrite : dossier où écrire annulation-ID.ics, qui retire le
    /// rendez-vous des agendas [défaut : le dossier courant]
    #[arg(long, value_name = "DOSSIER")]
    sortie: Option<PathBuf>,
    /// Remplace un fichier d'annulation déjà écrit
    #[arg(long)]
    remplacer: bool,
}

pub fn annuler(ctx: &Ctx, a: Annulation) -> Result<Issue> {
    let ics = a
        .sortie
        .unwrap_or_else(|| PathBuf::from("."))
        .join(format!("annulation-{}.ics", a.issue.id));
    // Ready before anything is recorded (its folder exists, no file is in the way): a
    // cancellation recorded without its file could not be written again. Dropped unused,
    // it leaves nothing.
    let mut fichier = FichierAtomique::creer(&ics, a.remplacer)?;
    executer_puis(ctx, a.issue, StatutRdv::Annule, |ctx, notee| {
        let Some(entete) = &notee.annulation else {
            return Ok(());
        };
        let texte = convocation::annulation_ics(&notee.rdv, entete, ctx.date(None));
        fichier.write_all(texte.as_bytes())?;
        fichier.valider()?;
        ctx.dire(format!(
            "Une convocation avait été écrite : {} annule le rendez-vous dans l'agenda de la personne \
             (à lui envoyer comme la convocation).",
            ics.display()
        ));
        Ok(())
    })
}

pub fn executer(ctx: &Ctx, a: Arguments, statut: StatutRdv) -> Result<Issue> {
    executer_puis(ctx, a, statut, |_, _| Ok(()))
}

fn executer_puis(
    ctx: &Ctx,
    a: Arguments,
    statut: StatutRdv,
    ensuite: impl FnOnce(&Ctx, &ops::rdv::IssueNotee) -> Result<()>,
) -> Result<Issue> {
    let i = ops::rdv::Issue {
        id: a.id,
        statut,
        motif: a.motif,
        corriger: a.corriger,
    };
    let notee = ops::rdv::noter_issue(&mut ctx.session()?, i)?;
    if notee.deuxieme_absence {
        ctx.avertir(format!(
            "dossier {} : deuxième absence de suite ; le référent le verra dans `spie parcours a-faire`",
            notee.rdv.dossier
        ));
    }
    ctx.dire(format!(
        "Rendez-vous {} du {} (dossier {}) : {}{}.",
        a.id,
        moment_fr(notee.rdv.debut),
        notee.rdv.dossier,
        statut.libelle().to_lowercase(),
        if a.corriger {
            " (issue corrigée ; l'ancienne reste dans l'historique)"
        } else {
            ""
        }
    ));
    ensuite(ctx, &notee)?;
    ctx.sortie.cree("id", &a.id)?;
    Ok(Issue::Succes)
}
