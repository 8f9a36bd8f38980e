//! `spie offre prescrire N OFFRE`: the offer becomes an action of the parcours (status
//! proposee), linked to the offer and, when spie knows it, to its structure.

use anyhow::Result;
use chrono::NaiveDate;
use clap::Args;

use crate::cli::{Ctx, date, numero};
use crate::db;
use crate::db::offre::OffreStockee;
use crate::db::suivi::{NouvelleAction, Objectif};
use crate::domain::proposition::thematique_pour;
use crate::error::{Issue, erreur};

#[derive(Debug, Args)]
pub struct Arguments {
    /// Numéro de dossier
    #[arg(value_parser = numero)]
    dossier: i64,
    /// Numéro de l'offre
    #[arg(value_parser = numero)]
    offre: i64,
    /// Objectif que l'action sert
    #[arg(long, value_parser = numero)]
    objectif: Option<i64>,
    /// Date de la prescription [défaut : aujourd'hui]
    #[arg(long, value_parser = date)]
    date: Option<NaiveDate>,
}

pub fn executer(ctx: &Ctx, a: Arguments) -> Result<Issue> {
    let mut conn = ctx.ouvrir()?;
    let tx = db::ecriture(&mut conn)?;
    let agent = ctx.agent(&tx)?;
    let parcours = crate::cli::parcours::parcours_ouvert(&tx, a.dossier)?;
    let offre = db::offre::active(&tx, a.offre)?;
    let objectif = match a.objectif {
        Some(id) => Some(
            db::suivi::objectif(&tx, id)?
                .filter(|o| o.parcours_id == parcours.id)
                .ok_or_else(|| erreur(format!("l'objectif {id} n'est pas un objectif du parcours en cours")))?,
        ),
        None => None,
    };
    let jour = crate::cli::parcours::date_dans(ctx, "la prescription", a.date, &parcours)?;
    let thematique = thematique_de_l_offre(&tx, a.dossier, &offre, objectif.as_ref())?;
    let deja = db::suivi::actions(&tx, parcours.id)?
        .into_iter()
        .find(|ac| ac.offre == Some(offre.id) && ac.statut.est_ouverte());
    let structure = db::offre::structure(&tx, &offre)?;
    let nouvelle = NouvelleAction {
        parcours_id: parcours.id,
        objectif_id: objectif.as_ref().map(|o| o.id),
        libelle: &offre.offre.nom,
        thematique: thematique.as_deref(),
        structure_id: structure,
        echeance: None,
        offre_id: Some(offre.id),
    };
    let id = db::suivi::ajouter_action(&tx, &nouvelle, jour, agent.id)?;
    ctx.consigner(&tx, "offre prescrire", Some(a.dossier))?;
    tx.commit()?;
    if let Some(ac) = deja {
        ctx.avertir(format!(
            "l'offre {} est déjà prescrite dans ce parcours (action n° {}, {}) : les deux actions sont gardées",
            a.offre,
            ac.id,
            ac.statut.libelle()
        ));
    }
    ctx.dire(format!(
        "Dossier {} : offre {} prescrite (action n° {id}, proposée).",
        a.dossier, a.offre
    ));
    ctx.sortie.cree("id", &id)?;
    Ok(Issue::Succes)
}

/// The thematique an action using `offre` carries: the offer's one that answers the
/// objective it serves, or else the person's first need it answers, or else its first.
pub(crate) fn thematique_de_l_offre(
    conn: &rusqlite::Connection,
    dossier: i64,
    offre: &OffreStockee,
    objectif: Option<&Objectif>,
) -> Result<Option<String>> {
    let besoins: Vec<String> = match objectif {
        Some(o) => vec![o.thematique.clone()],
        None => super::proposer::besoins(conn, dossier)?
            .into_iter()
            .map(|b| b.code)
            .collect(),
    };
    Ok(thematique_pour(&offre.offre.thematiques, &besoins).cloned())
}
