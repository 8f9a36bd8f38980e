//! `parcours liste`: the dossiers the agent may see, by status, référent, EPCI or time
//! without contact.

use anyhow::Result;

use crate::db;
use crate::db::parcours::{Filtre, Statut};
use crate::db::portefeuille::Suivi;
use crate::domain::parcours::LigneDossier;
use crate::domain::texte::normaliser;
use crate::error::UserError;
use crate::ops::Session;
use crate::referentiel::communes;

#[derive(Debug, Default)]
pub struct Criteres {
    /// Status of the dossier's last parcours; all if `None`.
    pub statut: Option<Statut>,
    /// The agent who is (or was, if closed) the référent.
    pub referent: Option<String>,
    /// An EPCI by SIREN or name.
    pub epci: Option<String>,
    /// Open parcours without contact for more than this many days.
    pub sans_contact: Option<u32>,
    pub limite: Option<usize>,
}

/// How the caseload is sorted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Tri {
    /// Par nom et prénom
    #[default]
    Nom,
    /// Le plus ancien contact d'abord (sans contact en tête)
    Contact,
    /// La plus proche échéance d'action d'abord (sans échéance à la fin)
    Echeance,
    /// La plus ancienne entrée d'abord
    Entree,
}

/// The caseload as shown: at most `limite` dossiers of `total`.
pub struct Portefeuille {
    pub lignes: Vec<Suivi>,
    pub total: usize,
}

/// Which list `parcours liste` shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Choix {
    /// The agent's caseload.
    MesDossiers,
    /// The dossiers by the criteria.
    Criteres,
    /// The caseload if the agent follows open parcours they may see, else the criteria.
    Auto,
}

/// Sorts the caseload; ties by name, given name and dossier.
pub fn trier(lignes: &mut [Suivi], tri: Tri) {
    lignes.sort_by(|a, b| {
        let nom = |s: &Suivi| (normaliser(&s.nom), normaliser(&s.prenom), s.dossier);
        let premier = match tri {
            Tri::Nom => std::cmp::Ordering::Equal,
            Tri::Contact => a.dernier_contact.cmp(&b.dernier_contact),
            // None last.
            Tri::Echeance => (a.prochaine_echeance.is_none(), a.prochaine_echeance)
                .cmp(&(b.prochaine_echeance.is_none(), b.prochaine_echeance)),
            Tri::Entree => a.entree.cmp(&b.entree),
        };
        premier.then_with(|| nom(a).cmp(&nom(b)))
    });
}

/// What `parcours liste` shows.
pub enum Liste {
    Suivis(Portefeuille),
    Dossiers(Vec<LigneDossier>),
}

/// A row of either list, while the session audits the dossiers shown.
enum Rang {
    Suivi(Suivi),
    Dossier(LigneDossier),
}

impl Rang {
    fn dossier(&self) -> i64 {
        match self {
            Rang::Suivi(s) => s.dossier,
            Rang::Dossier(l) => l.dossier,
        }
    }
}

/// The agent's caseload (sorted by `tri`, cut at `limite`, with its total), or the
/// dossiers by the criteria, as `choix` says.
pub fn lister(session: &mut Session, choix: Choix, c: Criteres, tri: Tri) -> Result<Liste> {
    let communes = c.epci.as_deref().map(communes_de_l_epci).transpose()?;
    let aujourdhui = session.aujourdhui;
    let sans_contact_avant = c
        .sans_contact
        .map(|j| crate::domain::date::jours_avant(aujourdhui, j))
        .transpose()
        .map_err(UserError::usage)?;
    let mut total = None;
    let rangs = session.lister(
        |tx, _, lecteur| {
            let suivis = match choix {
                Choix::Criteres => None,
                _ => Some(db::portefeuille::suivis(tx, lecteur, aujourdhui)?),
            };
            // Automatically, the caseload only when the agent follows dossiers they may see.
            if let Some(mut lignes) = suivis.filter(|l| choix == Choix::MesDossiers || !l.is_empty()) {
                total = Some(lignes.len());
                trier(&mut lignes, tri);
                lignes.truncate(c.limite.unwrap_or(usize::MAX));
                return Ok(lignes.into_iter().map(Rang::Suivi).collect());
            }
            if let Some(r) = &c.referent {
                crate::ops::agent::agent(tx, r)?;
            }
            let filtre = Filtre {
                statut: c.statut,
                referent: c.referent.map(|r| r.trim().to_owned()),
                communes,
                dossiers: None,
                sans_contact_avant,
                limite: c.limite,
                lecteur: Some(lecteur),
            };
            Ok(db::parcours::lignes(tx, &filtre)?
                .into_iter()
                .map(Rang::Dossier)
                .collect())
        },
        Rang::dossier,
    )?;
    Ok(match total {
        Some(total) => Liste::Suivis(Portefeuille {
            lignes: rangs
                .into_iter()
                .filter_map(|r| match r {
                    Rang::Suivi(s) => Some(s),
                    Rang::Dossier(_) => None,
                })
                .collect(),
            total,
        }),
        None => Liste::Dossiers(
            rangs
                .into_iter()
                .filter_map(|r| match r {
                    Rang::Dossier(l) => Some(l),
                    Rang::Suivi(_) => None,
                })
                .collect(),
        ),
    })
}

/// The INSEE codes of the communes of an EPCI given by SIREN or by name.
fn communes_de_l_epci(saisie: &str) -> Result<Vec<String>> {
    let epci = communes::epci(saisie)?;
    Ok(communes::toutes()
        .iter()
        .filter(|c| c.code_epci == epci.code)
        .map(|c| c.code.to_owned())
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn suivi(dossier: i64, nom: &str, contact: Option<u32>, echeance: Option<u32>, entree: u32) -> Suivi {
        let d = |j: u32| chrono::NaiveDate::from_ymd_opt(2026, 11, j).unwrap();
        Suivi {
            dossier,
            nom: nom.into(),
            prenom: "P".into(),
            entree: d(entree),
            dernier_contact: contact.map(d),
            prochain_rdv: None,
            prochaine_echeance: echeance.map(d),
            echeance_objet: None,
            orientation: None,
            vous_etes_referent: true,
            referent: None,
            referent_nom: None,
        }
    }

    #[test]
    fn the_caseload_sorts_by_each_key_with_missing_values_where_they_matter() {
        let lignes = vec![
            suivi(1, "Bernard", Some(10), None, 3),
            suivi(2, "Adam", Some(20), Some(25), 1),
            suivi(3, "Élie", None, Some(15), 2),
        ];
        let ordre = |tri| {
            let mut l = lignes.clone();
            trier(&mut l, tri);
            l.iter().map(|s| s.dossier).collect::<Vec<_>>()
        };
        assert_eq!(ordre(Tri::Nom), [2, 1, 3]);
        assert_eq!(ordre(Tri::Contact), [3, 1, 2], "without contact first");
        assert_eq!(ordre(Tri::Echeance), [3, 2, 1], "without due date last");
        assert_eq!(ordre(Tri::Entree), [2, 3, 1]);
    }

    #[test]
    fn an_epci_is_found_by_siren_or_name() {
        let par_code = communes_de_l_epci("200049187").unwrap();
        assert!(par_code.contains(&"55545".to_string()));
        assert_eq!(communes_de_l_epci("CA du Grand Verdun").unwrap(), par_code);
        assert!(communes_de_l_epci("nulle part").is_err());
    }
}
