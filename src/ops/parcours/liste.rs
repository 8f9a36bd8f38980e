//! `parcours liste`: the dossiers the agent may see, by status, référent, EPCI or time
//! without contact.

use anyhow::Result;

use crate::db;
use crate::db::parcours::{Filtre, Statut};
use crate::domain::parcours::LigneDossier;
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

pub fn lister(session: &mut Session, c: Criteres) -> Result<Vec<LigneDossier>> {
    let communes = c.epci.as_deref().map(communes_de_l_epci).transpose()?;
    let sans_contact_avant = c
        .sans_contact
        .map(|j| crate::domain::date::jours_avant(session.aujourdhui, j))
        .transpose()
        .map_err(UserError::usage)?;
    session.lister(
        |tx, _, lecteur| {
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
            db::parcours::lignes(tx, &filtre)
        },
        |l| l.dossier,
    )
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

    #[test]
    fn an_epci_is_found_by_siren_or_name() {
        let par_code = communes_de_l_epci("200049187").unwrap();
        assert!(par_code.contains(&"55545".to_string()));
        assert_eq!(communes_de_l_epci("CA du Grand Verdun").unwrap(), par_code);
        assert!(communes_de_l_epci("nulle part").is_err());
    }
}
