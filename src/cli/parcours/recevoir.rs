//! `spie parcours recevoir FICHIER [--appliquer]`: a file sent by a partner structure;
//! what it would create or update is shown first.

use std::path::PathBuf;

use anyhow::Result;
use clap::Args;

use crate::cli::{Ctx, numero};
use crate::error::Issue;
use crate::ops;
use crate::ops::echange::{Bilan, Choix, Reception};
use crate::output::{Fiche, Section, Valeur};

#[derive(Debug, Args)]
pub struct Arguments {
    /// Le fichier reçu du partenaire
    fichier: PathBuf,
    /// Enregistre ce que le fichier apporte (sans cette option, spie montre seulement ce qu'il ferait)
    #[arg(long)]
    appliquer: bool,
    /// La personne reçue est celle de ce dossier (même nom, prénom et date de naissance) : le compléter
    #[arg(long, value_parser = numero, conflicts_with = "nouveau")]
    dossier: Option<i64>,
    /// La personne reçue n'est pas celle du dossier qui lui ressemble : créer un autre dossier
    #[arg(long)]
    nouveau: bool,
    /// Accepte le référent que le partenaire propose (un agent de votre base)
    #[arg(long)]
    accepter_referent: bool,
}

pub fn executer(ctx: &Ctx, a: Arguments) -> Result<Issue> {
    let mut reception = Reception {
        fichier: a.fichier,
        appliquer: false,
        choix: Choix {
            dossier: a.dossier,
            nouveau: a.nouveau,
        },
        accepter_referent: a.accepter_referent,
    };
    if a.appliquer && ctx.interactif && a.dossier.is_none() && !a.nouveau {
        let apercu = ops::echange::recevoir(&mut ctx.session()?, reception.clone())?;
        reception.choix = choisir(&apercu)?;
    }
    reception.appliquer = a.appliquer;
    let bilan = ops::echange::recevoir(&mut ctx.session()?, reception)?;
    if bilan.deja_recu {
        ctx.dire(format!(
            "Fichier n° {} de « {} » déjà reçu : rien ne change.",
            bilan.numero, bilan.partenaire
        ));
    } else if bilan.applique {
        ctx.dire(format!(
            "Fichier n° {} de « {} » enregistré.",
            bilan.numero, bilan.partenaire
        ));
    } else {
        ctx.dire(format!(
            "Aperçu du fichier n° {} de « {} » : rien n'est encore enregistré (ajoutez --appliquer).",
            bilan.numero, bilan.partenaire
        ));
    }
    for dossier in bilan
        .parcours
        .iter()
        .filter(|p| p.retrait.is_some())
        .filter_map(|p| p.dossier)
    {
        ctx.avertir(format!(
            "dossier {dossier} : la personne a retiré son consentement au partage ; ne gardez que ce que la loi impose"
        ));
    }
    ctx.sortie.fiche(&bilan, &fiche(&bilan))?;
    Ok(Issue::Succes)
}

/// On a terminal: whether the person received is the dossier that looks like them.
fn choisir(apercu: &Bilan) -> Result<Choix> {
    let Some(doublon) = apercu.parcours.iter().find_map(|p| p.doublons.first().copied()) else {
        return Ok(Choix::default());
    };
    let question = format!(
        "La personne reçue a le même nom, prénom et date de naissance que le dossier {doublon}. Est-ce la même personne ?"
    );
    let oui = crate::cli::contexte::demander(|| {
        dialoguer::Confirm::new()
            .with_prompt(question)
            .default(false)
            .interact()
    })?;
    Ok(if oui {
        Choix {
            dossier: Some(doublon),
            nouveau: false,
        }
    } else {
        Choix {
            dossier: None,
            nouveau: true,
        }
    })
}

fn fiche(bilan: &Bilan) -> Fiche {
    let lignes = bilan
        .parcours
        .iter()
        .map(|p| {
            let dossier = p.dossier.map_or_else(
                || {
                    let doublons: Vec<String> = p.doublons.iter().map(i64::to_string).collect();
                    format!("à décider (ressemble à {})", doublons.join(", "))
                },
                |d| d.to_string(),
            );
            let referent = p.referent_propose.as_deref().map(|r| {
                if p.referent_accepte {
                    format!("{r} (accepté)")
                } else {
                    format!("{r} (proposé : --accepter-referent)")
                }
            });
            vec![
                Valeur::from(dossier),
                Valeur::from(p.correspondance.to_owned()),
                Valeur::from(p.ajouts as i64),
                Valeur::from(p.mises_a_jour.join(" ; ")),
                Valeur::from(p.conflits.join(" ; ")),
                p.retrait.map_or(Valeur::Vide, Valeur::Date),
                referent.into(),
            ]
        })
        .collect();
    Fiche {
        sections: vec![
            Section::new("Réception")
                .champ("Partenaire", bilan.partenaire.clone())
                .champ("Fichier n°", bilan.numero)
                .tableau(
                    vec![
                        "Dossier", "Correspondance", "Ajouts", "Mises à jour", "Conflits", "Retrait", "Référent",
                    ],
                    lignes,
                ),
        ],
    }
}
