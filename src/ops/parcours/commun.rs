//! What several use cases of `spie parcours …` check: the open parcours, the date of a
//! record in it, the agent named référent, a commune typed by the user.

use anyhow::Result;
use chrono::NaiveDate;
use rusqlite::Connection;

use crate::db;
use crate::domain::parcours::{Parcours, date_evenement};
use crate::error::{UserError, erreur};
use crate::referentiel::communes::{self, Commune};

/// The open parcours of dossier `dossier`, or an error that says what to do.
pub fn parcours_ouvert(conn: &Connection, dossier: i64) -> Result<Parcours> {
    crate::ops::dossier::personne(conn, dossier)?;
    db::parcours::ouvert(conn, dossier)?.ok_or_else(|| {
        erreur(format!("le dossier {dossier} n'a pas de parcours ouvert"))
            .aide(format!("pour reprendre le suivi : spie parcours rouvrir {dossier}"))
            .into()
    })
}

/// The open parcours a plan element (objective, action) of `parcours_id` belongs to; an
/// element of a closed parcours is frozen.
pub fn parcours_ouvert_de(conn: &Connection, dossier: i64, parcours_id: i64, element: &str) -> Result<Parcours> {
    let parcours = parcours_ouvert(conn, dossier)?;
    if parcours.id != parcours_id {
        return Err(
            erreur(format!("{element} appartient à un parcours clos du dossier {dossier}"))
                .aide(format!(
                    "le plan d'un parcours clos ne change plus : ajoutez-en un au parcours en cours (`spie parcours \
                     voir {dossier}`, section « Plan »)"
                ))
                .into(),
        );
    }
    Ok(parcours)
}

/// The date of a record of the parcours: `date` or today, not in the future, not before
/// the entry.
pub fn date_dans(quoi: &str, date: Option<NaiveDate>, aujourdhui: NaiveDate, parcours: &Parcours) -> Result<NaiveDate> {
    let borne = Some((parcours.entree, "l'entrée dans le parcours"));
    Ok(date_evenement(quoi, date.unwrap_or(aujourdhui), aujourdhui, borne).map_err(erreur)?)
}

/// A commune typed by the user, resolved in the base's département first.
pub fn commune(conn: &Connection, saisie: &str) -> Result<&'static Commune> {
    let departement = db::meta::departement(conn)?;
    Ok(communes::resoudre(saisie, &departement).map_err(UserError::from)?)
}

/// The référent named on the command line: a registered agent whose role allows it.
/// The agent who is to be référent of a parcours held by `structure_id`, for `dossier`
/// (`None`: a dossier being created). A partner of another structure becomes référent
/// only once the person has agreed to sharing (their last consent, recorded): the référent
/// reads the whole dossier.
pub fn agent_referent(
    conn: &Connection,
    identifiant: &str,
    structure_id: i64,
    dossier: Option<i64>,
) -> Result<crate::domain::agent::Agent> {
    let agent = crate::ops::agent::agent(conn, identifiant)?;
    if agent.structure_id != structure_id {
        let partage = match dossier {
            Some(d) => db::suivi::consentements(conn, d)?.last().is_some_and(|c| c.partage),
            None => false,
        };
        if !partage {
            let aide = match dossier {
                Some(d) => format!(
                    "recueillez l'accord de la personne (spie parcours consentement {d} --partage oui), puis désignez-le"
                ),
                None => "ouvrez le dossier avec un référent de votre structure, recueillez l'accord de la personne \
                         (spie parcours consentement N --partage oui), puis désignez-le (spie parcours referent N AGENT)"
                    .to_owned(),
            };
            return Err(erreur(format!(
                "l'agent « {} » appartient à une autre structure ({}) : il ne devient référent qu'avec le \
                 consentement de la personne au partage",
                agent.identifiant, agent.structure
            ))
            .aide(aide)
            .into());
        }
    }
    if !agent.role.peut_etre_referent() {
        return Err(erreur(format!(
            "l'agent « {} » a le rôle accueil et ne peut pas être référent",
            agent.identifiant
        ))
        .aide("choisissez un agent de rôle référent ou administrateur (`spie agent liste`)")
        .into());
    }
    Ok(agent)
}
