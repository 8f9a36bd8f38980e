//! `spie rdv planifier N --le "JJ/MM/AAAA HH:MM"`: an appointment of the open parcours.

use crate::domain::codes::souple;
use anyhow::Result;
use chrono::NaiveDateTime;
use clap::Args;

use crate::cli::{Ctx, numero};
use crate::domain::rdv::{TypeRdv, moment_fr, parse_moment};
use crate::error::Issue;
use crate::ops;

#[derive(Debug, Args)]
pub struct Arguments {
    /// Numéro de dossier
    #[arg(value_parser = numero)]
    dossier: i64,
    /// Date et heure : "JJ/MM/AAAA HH:MM". Un jour passé (rendez-vous noté après coup), une
    /// heure de nuit (avant 7 h, après 20 h), un dimanche, un jour férié ou un jour à plus
    /// d'un an sont signalés par un avertissement (le rendez-vous est enregistré)
    #[arg(long = "le", value_name = "DATE HEURE", value_parser = parse_moment)]
    le: NaiveDateTime,
    /// Nature du rendez-vous
    #[arg(long = "type", value_enum, value_parser = souple::<TypeRdv>(), default_value = "suivi")]
    type_: TypeRdv,
    /// Lieu (adresse, bureau) [défaut : l'adresse de la structure, « à préciser » si elle n'est pas enregistrée]
    #[arg(long)]
    lieu: Option<String>,
    /// L'agent qui reçoit la personne [défaut : vous ; pour un agent de rôle accueil, le référent du
    /// dossier]
    #[arg(long, value_name = "AGENT")]
    avec: Option<String>,
}

pub fn executer(ctx: &Ctx, a: Arguments) -> Result<Issue> {
    let p = ops::rdv::Planification {
        dossier: a.dossier,
        debut: a.le,
        type_: a.type_,
        lieu: a.lieu,
        avec: a.avec,
    };
    let planifie = ops::rdv::planifier(&mut ctx.session()?, p)?;
    for raison in &planifie.inhabituel {
        ctx.avertir(format!("{raison} ; le rendez-vous est enregistré"));
    }
    if let Some(autre) = planifie.meme_moment {
        ctx.avertir(format!(
            "{} a déjà le rendez-vous {autre} à la même heure : les deux sont gardés",
            planifie.agent
        ));
    }
    ctx.dire(format!(
        "Dossier {} : rendez-vous n° {} le {} avec {}. Convocation : spie rdv convocation {}",
        a.dossier,
        planifie.id,
        moment_fr(a.le),
        planifie.agent,
        planifie.id
    ));
    ctx.sortie.cree("id", &planifie.id)?;
    Ok(Issue::Succes)
}
