//! `spie structure …`: the owning structure and its partners.

use anyhow::Result;
use clap::Subcommand;

use super::Ctx;
use crate::domain::structure::Structure;
use crate::error::Issue;
use crate::ops;
use crate::output::{Colonne, Ligne, Valeur};
use crate::referentiel::communes;

#[derive(Debug, Subcommand)]
pub enum Commande {
    /// Enregistre une structure partenaire (réservé aux administrateurs)
    Ajouter {
        /// Nom de la structure
        nom: String,
        /// SIRET (14 chiffres, clé vérifiée)
        #[arg(long)]
        siret: Option<String>,
        /// Typologie data·inclusion : CCAS, ML, FT, ASSO, CD…
        #[arg(long)]
        typologie: Option<String>,
        /// Commune du siège (code INSEE, nom ou « code postal + nom »)
        #[arg(long)]
        commune: Option<String>,
    },
    /// Liste les structures
    Liste,
}

pub fn executer(ctx: &Ctx, commande: Commande) -> Result<Issue> {
    match commande {
        Commande::Ajouter {
            nom,
            siret: s,
            typologie,
            commune,
        } => {
            let nouvelle = ops::structure::Nouvelle {
                nom,
                siret: s,
                typologie,
                commune,
            };
            let (nom, id) = ops::structure::ajouter(&mut ctx.session()?, nouvelle)?;
            ctx.dire(format!("Structure « {nom} » ajoutée (n° {id})."));
            ctx.sortie.cree("id", &id)?;
        }
        Commande::Liste => ctx.sortie.liste(&ops::structure::liste(&mut ctx.session()?)?)?,
    }
    Ok(Issue::Succes)
}

impl Ligne for Structure {
    const COLONNES: &'static [Colonne] = &[
        Colonne {
            cle: "id", titre: "N°"
        },
        Colonne {
            cle: "nom",
            titre: "Nom",
        },
        Colonne {
            cle: "siret",
            titre: "SIRET",
        },
        Colonne {
            cle: "typologie",
            titre: "Typologie",
        },
        Colonne {
            cle: "commune",
            titre: "Commune",
        },
        Colonne {
            cle: "agents",
            titre: "Agents",
        },
    ];
    fn valeurs(&self) -> Vec<Valeur> {
        let commune = self
            .commune
            .as_deref()
            .map(|c| communes::par_code(c).map_or(c.to_owned(), |c| c.to_string()));
        vec![
            self.id.into(),
            self.nom.clone().into(),
            self.siret.clone().into(),
            self.typologie.clone().into(),
            commune.into(),
            self.agents.into(),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_match_json_keys() {
        crate::output::verifier_cles(&Structure {
            id: 1,
            nom: "S".into(),
            siret: None,
            typologie: None,
            commune: None,
            agents: 0,
        });
    }
}
