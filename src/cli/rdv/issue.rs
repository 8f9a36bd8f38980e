//! `spie rdv honore|absent|excuse|annule ID`: the outcome of an appointment, recorded or
//! corrected; a cancelled appointment that had a convocation gets its cancellation file.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Result;
use clap::Args;

use crate::cli::{Ctx, numero};
use crate::db::rdv::Entete;
use crate::domain::rdv::{Rdv, StatutRdv, moment_fr};
use crate::error::Issue;
use crate::export::convocation;
use crate::ops;
use crate::output::fichier::{AIDE_REMPLACER, FichierAtomique};

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
    /// Si une convocation a été écrite : dossier où écrire annulation-ID.html (la lettre à
    /// poster) et annulation-ID.ics, qui retire le rendez-vous des agendas [défaut : le
    /// dossier courant]
    #[arg(long, value_name = "DOSSIER")]
    sortie: Option<PathBuf>,
    /// Remplace un fichier d'annulation déjà écrit
    #[arg(long)]
    remplacer: bool,
}

pub fn annuler(ctx: &Ctx, a: Annulation) -> Result<Issue> {
    let dossier = a.sortie.unwrap_or_else(|| PathBuf::from("."));
    // Ready before anything is recorded (its folder exists, no file is in the way): a
    // cancellation recorded without its files could not be written again. Dropped unused,
    // they leave nothing.
    let fichiers = FichiersAnnulation::preparer(&dossier, a.issue.id, a.remplacer, AIDE_REMPLACER)?;
    executer_puis(ctx, a.issue, StatutRdv::Annule, |ctx, notee| match &notee.annulation {
        Some(entete) => fichiers.ecrire(ctx, &notee.rdv, entete),
        None => Ok(()),
    })
}

/// The files that cancel a convocation: the calendar file and the letter to post.
pub struct FichiersAnnulation {
    ics: (PathBuf, FichierAtomique),
    html: (PathBuf, FichierAtomique),
}

impl FichiersAnnulation {
    /// `annulation-ID.ics` and `annulation-ID.html` in `dossier`, checked before anything
    /// is recorded; `aide` says what to do if they exist.
    pub fn preparer(dossier: &Path, id: i64, remplacer: bool, aide: &str) -> Result<FichiersAnnulation> {
        let chemin = |ext: &str| dossier.join(format!("annulation-{id}.{ext}"));
        let (ics, html) = (chemin("ics"), chemin("html"));
        Ok(FichiersAnnulation {
            ics: (ics.clone(), FichierAtomique::creer_sinon(&ics, remplacer, aide)?),
            html: (html.clone(), FichierAtomique::creer_sinon(&html, remplacer, aide)?),
        })
    }

    /// Writes both files and says where they are.
    pub fn ecrire(self, ctx: &Ctx, rdv: &Rdv, entete: &Entete) -> Result<()> {
        let jour = ctx.date(None);
        let (ics, mut f) = self.ics;
        f.write_all(convocation::annulation_ics(rdv, entete, jour).as_bytes())?;
        f.valider()?;
        let (html, mut f) = self.html;
        f.write_all(convocation::annulation_html(rdv, entete, jour).as_bytes())?;
        f.valider()?;
        ctx.dire(format!(
            "Rendez-vous {} : une convocation avait été écrite ; {} (lettre à imprimer et poster) et {} \
             (à envoyer comme la convocation : retire le rendez-vous de l'agenda de la personne).",
            rdv.id,
            html.display(),
            ics.display()
        ));
        Ok(())
    }
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
