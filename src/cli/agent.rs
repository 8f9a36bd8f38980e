//! `spie agent …`: the professionals who use the base.

use anyhow::Result;
use clap::Subcommand;

use super::Ctx;
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
        #[arg(long, value_enum, default_value = "referent")]
        role: Role,
    },
    /// Liste les agents
    Liste,
}

pub fn executer(ctx: &Ctx, commande: Commande) -> Result<Issue> {
    match commande {
        Commande::Ajouter {
            identifiant: id,
            nom: n,
            structure,
            role,
        } => {
            let nouvel = ops::agent::NouvelAgent {
                identifiant: id,
                nom: n,
                structure,
                role,
            };
            let (id, s) = ops::agent::ajouter(&mut ctx.session()?, nouvel)?;
            ctx.dire(format!("Agent {id} ajouté à {} (rôle {}).", s.nom, role.code()));
            ctx.sortie.cree("identifiant", &id)?;
        }
        Commande::Liste => ctx.sortie.liste(&ops::agent::liste(&mut ctx.session()?)?)?,
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
            self.role.code().into(),
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
