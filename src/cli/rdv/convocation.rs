//! `spie rdv convocation ID [--sortie DOSSIER]`: the letter to print and the `.ics` file.

use std::path::PathBuf;

use anyhow::Result;
use clap::Args;

use crate::cli::{Ctx, numero};
use crate::error::Issue;
use crate::export::convocation;
use crate::ops;
use crate::output::fichier;

#[derive(Debug, Args)]
pub struct Arguments {
    /// Numéro du rendez-vous
    #[arg(value_parser = numero)]
    id: i64,
    /// Dossier où écrire convocation-ID.html et convocation-ID.ics [défaut : le dossier courant]
    #[arg(long, value_name = "DOSSIER")]
    sortie: Option<PathBuf>,
    /// Remplace des fichiers déjà écrits
    #[arg(long)]
    remplacer: bool,
}

pub fn executer(ctx: &Ctx, a: Arguments) -> Result<Issue> {
    let c = ops::rdv::convocation(&mut ctx.session()?, a.id)?;
    let dossier = a.sortie.unwrap_or_else(|| PathBuf::from("."));
    let jour = ctx.date(None);
    let html = dossier.join(format!("convocation-{}.html", a.id));
    let ics = dossier.join(format!("convocation-{}.ics", a.id));
    fichier::ecrire_sinon(
        Some(&html),
        convocation::html(&c.rdv, &c.entete, jour).as_bytes(),
        a.remplacer,
        fichier::AIDE_REMPLACER,
    )?;
    fichier::ecrire_sinon(
        Some(&ics),
        convocation::ics(&c.rdv, &c.entete, jour).as_bytes(),
        a.remplacer,
        fichier::AIDE_REMPLACER,
    )?;
    for raison in &c.inhabituel {
        ctx.avertir(format!("{raison} : relisez la date avant d'envoyer la convocation"));
    }
    // A letter that cannot be posted, or answered, says so before it is printed.
    if c.entete.destinataire.adresse.is_none() {
        ctx.avertir(format!(
            "l'adresse postale de la personne n'est pas enregistrée : la lettre ne peut pas partir par la poste \
             telle quelle (spie parcours modifier {} --adresse \"…\")",
            c.rdv.dossier
        ));
    }
    if c.rdv.lieu.is_none() && c.entete.adresse.is_none() {
        ctx.avertir(format!(
            "ni lieu ni adresse de la structure {} : la lettre ne dit pas où venir (`--lieu` au rendez-vous, ou \
             un administrateur : spie structure modifier \"{}\" --adresse \"…\")",
            c.entete.structure, c.entete.structure
        ));
    }
    if c.entete.telephone.is_none() {
        ctx.avertir(format!(
            "la structure {} n'a pas de téléphone enregistré : la lettre ne dit pas où prévenir \
             (un administrateur : spie structure modifier \"{}\" --telephone \"…\")",
            c.entete.structure, c.entete.structure
        ));
    }
    ctx.dire(format!(
        "Convocation du dossier {} écrite : {} (à imprimer) et {} (agenda du téléphone).",
        c.rdv.dossier,
        html.display(),
        ics.display()
    ));
    ctx.sortie.cree("fichier", &html.display().to_string())?;
    Ok(Issue::Succes)
}
