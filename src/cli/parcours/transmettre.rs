//! `spie parcours transmettre N… --vers STRUCTURE --sortie FICHIER`: one file for a
//! partner structure, encrypted to it and signed by this one.

use std::path::PathBuf;

use anyhow::Result;
use clap::Args;

use crate::cli::{Ctx, numero};
use crate::error::Issue;
use crate::ops;

#[derive(Debug, Args)]
pub struct Arguments {
    /// Numéros de dossier (un ou plusieurs)
    #[arg(value_parser = numero, required = true, num_args = 1..)]
    dossiers: Vec<i64>,
    /// La structure partenaire (nom ou numéro), enregistrée avec sa clé
    #[arg(long, value_name = "STRUCTURE")]
    vers: String,
    /// Fichier à écrire, à remettre au partenaire [défaut : parcours-N.spie]
    #[arg(long, value_name = "FICHIER")]
    sortie: Option<PathBuf>,
    /// Tout transmettre, pas seulement ce qui a changé depuis le dernier envoi à ce partenaire
    #[arg(long)]
    tout: bool,
    /// Propose au partenaire de prendre le suivi : identifiant de l'agent qui deviendra référent chez lui
    #[arg(long, value_name = "AGENT")]
    referent: Option<String>,
    /// Transmet sans consentement enregistré (jamais contre un refus), pour la raison écrite
    #[arg(long, value_name = "RAISON")]
    sans_consentement: Option<String>,
    /// Écrit aussi une fiche de liaison HTML imprimable (FICHIER.html), pour un partenaire sans spie
    #[arg(long)]
    fiche: bool,
}

pub fn executer(ctx: &Ctx, a: Arguments) -> Result<Issue> {
    let sortie = a
        .sortie
        .unwrap_or_else(|| PathBuf::from(format!("parcours-{}.spie", a.dossiers[0])));
    let envoi = ops::echange::Envoi {
        dossiers: a.dossiers,
        vers: a.vers,
        sortie: sortie.clone(),
        tout: a.tout,
        referent: a.referent,
        sans_consentement: a.sans_consentement,
    };
    let transmis = ops::echange::transmettre(&mut ctx.session()?, envoi)?;
    if a.fiche {
        let html = sortie.with_extension("html");
        crate::output::fichier::ecrire(
            Some(&html),
            crate::export::liaison::fiche(&transmis.contenu).as_bytes(),
            false,
        )?;
        ctx.dire(format!("Fiche de liaison écrite dans {}.", html.display()));
    }
    let retraits = if transmis.retraits.is_empty() {
        String::new()
    } else {
        format!(
            " ; retrait du consentement signalé pour {} dossier(s)",
            transmis.retraits.len()
        )
    };
    ctx.dire(format!(
        "Fichier n° {} pour « {} » écrit dans {} : {} dossier(s), {} élément(s) nouveaux ou modifiés{retraits}.",
        transmis.numero,
        transmis.partenaire,
        sortie.display(),
        transmis.dossiers.len(),
        transmis.elements
    ));
    ctx.sortie.objet(&transmis, &transmis.numero.to_string())?;
    Ok(Issue::Succes)
}
