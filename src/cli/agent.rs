//! `spie agent …`: the professionals who use the base.

use crate::domain::codes::souple;
use std::path::{Path, PathBuf};

use age::secrecy::SecretString;
use anyhow::Result;
use clap::Subcommand;

use super::Ctx;
use super::phrase::{self, Question};
use crate::domain::agent::{Agent, Role};
use crate::error::Issue;
use crate::ops;
use crate::output::{Colonne, Ligne, Valeur};

#[derive(Debug, Subcommand)]
pub enum Commande {
    /// Enregistre un agent (réservé aux administrateurs)
    Ajouter {
        /// Identifiant de connexion (a-z, 0-9, « . », « _ », « - »), par exemple m.dupont
        #[arg(value_name = "ID")]
        identifiant: String,
        /// Nom affiché, par exemple "Marie Dupont"
        #[arg(long)]
        nom: String,
        /// Structure de l'agent (nom ou numéro)
        #[arg(long)]
        structure: String,
        /// Rôle : referent (accompagne), accueil (ouvre les dossiers), admin
        #[arg(long, value_enum, value_parser = souple::<Role>(), default_value = "referent")]
        role: Role,
        /// Base chiffrée : lit dans ce fichier (droits 0600) la phrase provisoire à remettre à l'agent
        /// [défaut : demandée]
        #[arg(long, value_name = "FICHIER")]
        phrase_fichier: Option<PathBuf>,
    },
    /// Liste les agents
    Liste,
    /// Retire un agent parti (réservé aux administrateurs) ; une base chiffrée change de clé
    Retirer {
        /// Identifiant de l'agent
        #[arg(value_name = "ID")]
        identifiant: String,
    },
    /// Donne une nouvelle phrase provisoire à un agent qui a oublié la sienne (administrateurs)
    Reinitialiser {
        /// Identifiant de l'agent
        #[arg(value_name = "ID")]
        identifiant: String,
        /// Lit la phrase provisoire dans ce fichier (droits 0600) [défaut : demandée]
        #[arg(long, value_name = "FICHIER")]
        phrase_fichier: Option<PathBuf>,
    },
}

/// The one-time passphrase an administrator gives an agent, on an encrypted base.
fn phrase_provisoire(ctx: &Ctx, fichier: Option<&Path>, agent: &str) -> Result<Option<SecretString>> {
    if fichier.is_none() && !crate::db::chiffree(&ctx.chemin_base()) {
        return Ok(None);
    }
    let q = Question {
        option: "--phrase-fichier",
        invite: &format!(
            "Phrase provisoire {} (12 caractères au moins)",
            crate::domain::texte::de(agent)
        ),
        confirmer: true,
    };
    Ok(Some(phrase::lire(ctx, fichier, &q)?))
}

pub fn executer(ctx: &Ctx, commande: Commande) -> Result<Issue> {
    match commande {
        Commande::Ajouter {
            identifiant: id,
            nom: n,
            structure,
            role,
            phrase_fichier,
        } => {
            let mut session = ctx.session()?;
            session.exiger(ops::Exigence::Admin)?;
            let phrase = phrase_provisoire(ctx, phrase_fichier.as_deref(), &id)?;
            let nouvel = ops::agent::NouvelAgent {
                identifiant: id,
                nom: n,
                structure,
                role,
                phrase,
            };
            let (id, s) = ops::agent::ajouter(&mut session, nouvel)?;
            ctx.dire(format!("Agent {id} ajouté à {} (rôle {}).", s.nom, role.mot()));
            if session.chiffree() {
                ctx.dire(format!(
                    "Remettez-lui sa phrase provisoire de vive voix : il la changera à sa première connexion \
                     (`spie connexion --agent {id}`)."
                ));
            }
            ctx.sortie.cree("identifiant", &id)?;
        }
        Commande::Liste => ctx.sortie.liste(&ops::agent::liste(&mut ctx.session()?)?)?,
        Commande::Retirer { identifiant } => {
            let mut session = ctx.session()?;
            ops::agent::retirer(&mut session, &identifiant)?;
            let chiffree = if session.chiffree() {
                " ; la base a changé de clé : les autres agents se reconnectent (`spie connexion`), et les \
                 sauvegardes antérieures restent lisibles avec ce que l'agent savait : détruisez-les ou gardez-les sous clé"
            } else {
                ""
            };
            ctx.dire(format!("Agent {} retiré{chiffree}.", identifiant.trim()));
            ctx.sortie.cree("identifiant", &identifiant.trim())?;
        }
        Commande::Reinitialiser {
            identifiant,
            phrase_fichier,
        } => {
            let mut session = ctx.session()?;
            session.exiger(ops::Exigence::Admin)?;
            let phrase = phrase_provisoire(ctx, phrase_fichier.as_deref(), identifiant.trim())?;
            ops::agent::reinitialiser(&mut session, &identifiant, phrase)?;
            ctx.dire(format!(
                "Nouvelle phrase provisoire pour {} : remettez-la-lui de vive voix ; il la changera à sa prochaine \
                 connexion.",
                identifiant.trim()
            ));
            ctx.sortie.cree("identifiant", &identifiant.trim())?;
        }
    }
    Ok(Issue::Succes)
}

impl Ligne for Agent {
    const COLONNES: &'static [Colonne] = &[
        Colonne {
            cle: "identifiant",
            titre: "Identifiant",
        },
        Colonne {
            cle: "nom",
            titre: "Nom",
        },
        Colonne {
            cle: "structure",
            titre: "Structure",
        },
        Colonne {
            cle: "role",
            titre: "Rôle",
        },
    ];
    fn valeurs(&self) -> Vec<Valeur> {
        vec![
            self.identifiant.clone().into(),
            self.nom.clone().into(),
            self.structure.clone().into(),
            self.role.mot().into(),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_match_json_keys() {
        crate::output::verifier_cles(&Agent {
            id: 1,
            identifiant: "a".into(),
            nom: "A".into(),
            structure_id: 1,
            structure: "S".into(),
            role: Role::Admin,
        });
    }
}
