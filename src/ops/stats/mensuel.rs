//! `stats mensuel`: a month's indicators, for the whole base or per group.

use anyhow::Result;
use serde::Serialize;

use crate::db;
use crate::db::stats::Groupement;
use crate::domain::indicateurs::{Indicateurs, Mois};
use crate::error::UserError;
use crate::ops::{Exigence, Session};
use crate::referentiel::communes;

#[derive(Serialize)]
pub struct Groupe {
    /// The group's key: an EPCI's name, a structure's, a référent's identifier.
    pub groupe: String,
    /// A référent as named to the reader.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub groupe_nom: Option<String>,
    #[serde(flatten)]
    pub indicateurs: Indicateurs,
}

pub enum Mensuel {
    Total(Box<Indicateurs>),
    /// Each group, by name, then the total.
    Groupes(Vec<Groupe>),
}

pub fn mensuel(session: &mut Session, mois: Mois, groupement: Option<Groupement>) -> Result<Mensuel> {
    let aujourdhui = session.aujourdhui;
    // One reading of the month's parcours gives the groups and the whole base. Its
    // counts are exact, small ones included (a référent's caseload, a small EPCI, one
    // person with a health barrier): for an administrator only. Two readings around a
    // diagnostic would tell another agent what it holds; other agents read the published
    // figures (`stats rapport`), small counts hidden.
    session
        .exiger(Exigence::Admin)
        .map_err(|e| match e.downcast::<UserError>() {
            Ok(refus) => refus
                .aide(format!(
                    "les chiffres publiés, petits effectifs masqués, sont lisibles par tout agent : spie stats rapport \
                 --mois {} --sortie rapport.html",
                    mois.code()
                ))
                .into(),
            Err(e) => e,
        })?;
    let (groupes, total, noms) = session.base(Exigence::Admin, false, |tx, agent| {
        let (groupes, total) = db::stats::agregats_et_total(tx, mois, groupement.unwrap_or(Groupement::Total))?;
        Ok((groupes, total, db::agent::noms_vus(tx, agent.structure_id)?))
    })?;
    let total = total.indicateurs(mois, aujourdhui, true);
    let Some(groupement) = groupement else {
        return Ok(Mensuel::Total(Box::new(total)));
    };
    let mut resultat: Vec<Groupe> = groupes
        .into_iter()
        .map(|(cle, agregat)| Groupe {
            groupe_nom: (groupement == Groupement::Referent)
                .then(|| noms.get(&cle).cloned())
                .flatten(),
            groupe: match (groupement, cle.is_empty()) {
                (Groupement::Epci, false) => communes::nom_epci(&cle).unwrap_or("inconnu").to_owned(),
                (Groupement::Epci, true) => "inconnu".into(),
                (Groupement::Referent, true) => "sans référent".into(),
                _ => cle,
            },
            indicateurs: agregat.indicateurs(mois, aujourdhui, false),
        })
        .collect();
    resultat.sort_by(|a, b| {
        a.groupe_nom
            .as_ref()
            .unwrap_or(&a.groupe)
            .cmp(b.groupe_nom.as_ref().unwrap_or(&b.groupe))
    });
    resultat.push(Groupe {
        groupe: "total".into(),
        groupe_nom: None,
        indicateurs: total,
    });
    Ok(Mensuel::Groupes(resultat))
}
