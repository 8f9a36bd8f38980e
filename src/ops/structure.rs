//! `structure …`: the owning structure and its partners; only an administrator adds one.

use anyhow::Result;
use rusqlite::Connection;

use crate::db;
use crate::db::agent::NouvelleStructure;
use crate::domain::echange::ClePublique;
use crate::domain::structure::{Structure, siret};
use crate::domain::texte::{champ_facultatif, champ_libre};
use crate::error::{UserError, erreur};
use crate::ops::{Exigence, Session};
use crate::referentiel::{communes, typologies};

pub struct Nouvelle {
    pub nom: String,
    pub siret: Option<String>,
    pub typologie: Option<String>,
    /// Resolved in the base's département first.
    pub commune: Option<String>,
    /// The partner's public keys, to exchange parcours with it (given to a structure
    /// already recorded without keys, they are added to it).
    pub cle: Option<ClePublique>,
}

/// Adds the structure; returns its checked name and its number.
pub fn ajouter(session: &mut Session, n: Nouvelle) -> Result<(String, i64)> {
    let nom = champ_libre("nom de la structure", &n.nom, 200).map_err(erreur)?;
    if nom.is_empty() {
        return Err(UserError::usage("le nom de la structure ne peut pas être vide").into());
    }
    let s = n.siret.map(|s| siret(&s)).transpose().map_err(erreur)?;
    let typologie = n
        .typologie
        .map(|t| typologies::resoudre(&t))
        .transpose()
        .map_err(erreur)?;
    let aujourdhui = session.aujourdhui;
    session.base(Exigence::Admin, true, |tx, _| {
        let departement = db::meta::departement(tx)?;
        let commune = n
            .commune
            .map(|c| communes::resoudre(&c, &departement).map_err(UserError::from))
            .transpose()?;
        let nouvelle = NouvelleStructure {
            nom: &nom,
            siret: s.as_deref(),
            typologie,
            commune: commune.map(|c| c.code),
        };
        if let Some(cle) = &n.cle {
            if db::echange::cles(tx)?.publique().map_err(anyhow::Error::msg)? == *cle {
                return Err(erreur("cette clé est celle de votre propre structure")
                    .aide("enregistrez la clé que le partenaire lit sur sa base avec `spie structure cle`")
                    .into());
            }
            if let Some((_, autre)) = db::echange::partenaire_de(tx, &cle.signature)? {
                return Err(erreur(format!("cette clé est déjà celle de la structure « {autre} »")).into());
            }
        }
        if let Some(existante) = db::agent::trouver_structure(tx, &nom)? {
            if let Some(cle) = &n.cle
                && db::echange::cle_de(tx, existante.id)?.is_none()
                && db::echange::structure_de_la_base(tx)?.0 != existante.id
            {
                db::echange::enregistrer_cle(tx, existante.id, cle)?;
                return Ok((existante.nom, existante.id));
            }
            return Err(erreur(format!("la structure « {nom} » existe déjà"))
                .aide("`spie structure liste` montre les structures enregistrées")
                .into());
        }
        if let Some(siret) = nouvelle.siret
            && let Some(autre) = db::agent::structure_du_siret(tx, siret)?
        {
            return Err(erreur(format!("le SIRET {siret} est déjà celui de la structure « {autre} »")).into());
        }
        let id = db::agent::ajouter_structure(tx, &nouvelle, aujourdhui)?;
        if let Some(cle) = &n.cle {
            db::echange::enregistrer_cle(tx, id, cle)?;
        }
        Ok((nom, id))
    })
}

/// What `structure modifier` changes; `None` keeps the value, `Some("")` removes it.
pub struct Coordonnees {
    pub adresse: Option<String>,
    pub telephone: Option<String>,
}

/// Sets the postal address or the telephone of a structure (named by its name or number),
/// printed on the convocations; only that structure's own administrators may. Returns the
/// structure as it now is.
pub fn modifier(session: &mut Session, nom_ou_id: &str, c: Coordonnees) -> Result<Structure> {
    if c.adresse.is_none() && c.telephone.is_none() {
        return Err(UserError::usage("rien à modifier : donnez --adresse ou --telephone").into());
    }
    let adresse = c
        .adresse
        .map(|a| champ_facultatif("--adresse", Some(&a), 300))
        .transpose()
        .map_err(erreur)?;
    let telephone = c
        .telephone
        .map(|t| match t.trim() {
            "" => Ok(None),
            t => crate::domain::personne::telephone(t).map(Some),
        })
        .transpose()
        .map_err(|e| erreur(format!("--telephone : {e}")))?;
    session.base(Exigence::Admin, true, |tx, admin| {
        let s = structure(tx, nom_ou_id)?;
        super::agent::gerer(tx, admin, s.id, &s.nom)?;
        let s = Structure {
            adresse: adresse.unwrap_or(s.adresse),
            telephone: telephone.unwrap_or(s.telephone),
            ..s
        };
        db::agent::modifier_coordonnees(tx, s.id, s.adresse.as_deref(), s.telephone.as_deref())?;
        Ok(s)
    })
}

/// The partners whose keys this base registered: their name and verifying key.
pub fn partenaires(session: &mut Session) -> Result<Vec<(String, String)>> {
    session.base(Exigence::Agent, false, |tx, _| db::echange::partenaires(tx))
}

pub fn liste(session: &mut Session) -> Result<Vec<Structure>> {
    session.base(Exigence::Agent, false, |tx, _| db::agent::structures(tx))
}

/// A structure named on the command line, by its name or number; an unknown one is an
/// error listing the known structures.
pub fn structure(conn: &Connection, nom_ou_id: &str) -> Result<Structure> {
    if let Some(s) = db::agent::trouver_structure(conn, nom_ou_id)? {
        return Ok(s);
    }
    let noms: Vec<String> = db::agent::structures(conn)?.into_iter().map(|s| s.nom).collect();
    Err(erreur(format!("structure inconnue : « {} »", nom_ou_id.trim()))
        .aide(if noms.is_empty() {
            "ajoutez-la avec `spie structure ajouter NOM`".to_string()
        } else {
            format!(
                "structures enregistrées : {} ; ou ajoutez-la avec `spie structure ajouter`",
                noms.join(", ")
            )
        })
        .into())
}
