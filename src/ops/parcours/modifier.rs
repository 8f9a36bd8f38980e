//! `parcours modifier`: rectify the identity or the contact details (the person's right
//! of rectification), by the référent or the holding structure.

use anyhow::Result;
use chrono::NaiveDate;

use super::commun::commune;
use crate::db;
use crate::db::personne::Ressemblance;
use crate::domain::habilitation::Action;
use crate::domain::personne::{self, Sexe};
use crate::error::{UserError, erreur};
use crate::ops::Session;
use crate::ops::session::{RefusSur, par_lien};

/// What to change; `None` keeps the field. For the optional fields, `Some("")` clears.
#[derive(Debug, Default)]
pub struct Rectification {
    pub nom: Option<String>,
    pub prenom: Option<String>,
    pub naissance: Option<NaiveDate>,
    /// As typed: code, name, « 55100 Verdun »…
    pub commune: Option<String>,
    pub sexe: Option<Sexe>,
    pub telephone: Option<String>,
    pub courriel: Option<String>,
    /// Comma-separated codes; replaces the list.
    pub publics: Option<String>,
    pub france_travail: Option<String>,
    pub caf: Option<String>,
    pub adresse: Option<String>,
    /// Change even into the identity of another dossier (same name, given name and birth
    /// date).
    pub forcer: bool,
}

pub enum Rectifie {
    /// The values given are those already held.
    Inchange,
    /// Changed; the dossiers that now look like the same person.
    /// Similar people: their dossier's number, or `None` for another structure's dossier.
    Modifie { doublons: Vec<Option<i64>> },
}

pub fn modifier(session: &mut Session, dossier: i64, r: Rectification) -> Result<Rectifie> {
    let rien = r.nom.is_none()
        && r.prenom.is_none()
        && r.naissance.is_none()
        && r.commune.is_none()
        && r.sexe.is_none()
        && r.telephone.is_none()
        && r.courriel.is_none()
        && r.publics.is_none()
        && r.france_travail.is_none()
        && r.caf.is_none()
        && r.adresse.is_none();
    if rien {
        return Err(UserError::usage("rien à modifier")
            .aide("donnez au moins une option : --nom, --prenom, --naissance, --commune, --sexe, --telephone, --courriel, --public, --france-travail, --caf, --adresse")
            .into());
    }
    session.dossier(dossier, Action::Gerer, None, |d| {
        let avant = crate::ops::dossier::personne(d.tx, dossier)?.identite;
        let mut apres = avant.clone();
        if let Some(n) = r.nom {
            apres.nom = personne::nom("nom", &n).map_err(erreur)?;
        }
        if let Some(p) = r.prenom {
            apres.prenom = personne::nom("prénom", &p).map_err(erreur)?;
        }
        if let Some(n) = r.naissance {
            apres.naissance = personne::naissance(n, d.aujourdhui)?;
        }
        if let Some(c) = r.commune {
            apres.commune = commune(d.tx, &c)?.code.to_owned();
        }
        if let Some(s) = r.sexe {
            apres.sexe = Some(s);
        }
        apres.telephone = optionnel(r.telephone, apres.telephone, personne::telephone)?;
        apres.courriel = optionnel(r.courriel, apres.courriel, personne::courriel)?;
        apres.france_travail = optionnel(r.france_travail, apres.france_travail, personne::france_travail)?;
        apres.caf = optionnel(r.caf, apres.caf, personne::caf)?;
        apres.adresse = optionnel(r.adresse, apres.adresse, personne::adresse)?;
        if let Some(p) = r.publics {
            apres.publics = personne::publics(&p).map_err(erreur)?;
        }
        if apres == avant {
            return Ok(Rectifie::Inchange);
        }
        let identite_changee =
            (&apres.nom, &apres.prenom, apres.naissance) != (&avant.nom, &avant.prenom, avant.naissance);
        let mut doublons = Vec::new();
        if identite_changee {
            for (autre, ressemblance) in db::personne::ressemblants(d.tx, &apres, Some(dossier))? {
                let visible = par_lien(d.tx, d.agent, autre, Action::Identite)?;
                if ressemblance == Ressemblance::Identique && !r.forcer {
                    return Err(identite_d_un_autre(autre, visible));
                }
                d.signaler(autre)?;
                doublons.push(visible.then_some(autre));
            }
        }
        db::personne::mettre_a_jour(d.tx, dossier, &apres, d.aujourdhui)?;
        Ok(Rectifie::Modifie { doublons })
    })
}

/// `Some("")` clears an optional field, `Some(x)` sets it after validation.
fn optionnel(
    nouveau: Option<String>,
    actuel: Option<String>,
    valider: fn(&str) -> Result<String, String>,
) -> Result<Option<String>> {
    match nouveau {
        None => Ok(actuel),
        Some(v) if v.trim().is_empty() => Ok(None),
        Some(v) => Ok(Some(valider(&v).map_err(erreur)?)),
    }
}

/// The new identity is that of another dossier: refused as opening it would be (two
/// dossiers of one person split the follow-up), without the number of a dossier the agent
/// may not see, and then audited on it.
fn identite_d_un_autre(autre: i64, visible: bool) -> anyhow::Error {
    const HOMONYME: &str = "s'il s'agit d'un homonyme né le même jour, relancez avec --forcer";
    if visible {
        return erreur(format!(
            "cette identité est celle du dossier {autre} : rien n'a été modifié"
        ))
        .aide(format!("consultez-le avec `spie parcours voir {autre}` ; {HOMONYME}"))
        .into();
    }
    RefusSur {
        dossier: Some(autre),
        erreur: erreur("cette identité est celle d'une personne que suit une autre structure : rien n'a été modifié")
            .aide(format!("prenez contact avec la structure qui la suit ; {HOMONYME}")),
    }
    .into()
}
