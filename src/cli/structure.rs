//! `spie structure …`: the owning structure and its partners.

use anyhow::Result;
use clap::Subcommand;

use super::Ctx;
use crate::db;
use crate::db::agent::{NouvelleStructure, Structure};
use crate::domain::structure::siret;
use crate::domain::texte::champ_libre;
use crate::error::{Issue, UserError, erreur};
use crate::output::{Colonne, Ligne, Valeur};
use crate::referentiel::{communes, typologies};

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
            let nom = champ_libre("nom de la structure", &nom, 200).map_err(erreur)?;
            if nom.is_empty() {
                return Err(UserError::usage("le nom de la structure ne peut pas être vide").into());
            }
            let s = s.map(|s| siret(&s)).transpose().map_err(erreur)?;
            let typologie = typologie
                .map(|t| typologies::resoudre(&t))
                .transpose()
                .map_err(erreur)?;
            let mut conn = ctx.ouvrir()?;
            let tx = db::ecriture(&mut conn)?;
            ctx.admin(&tx)?;
            let departement = db::meta::departement(&tx)?;
            let commune = commune
                .map(|c| communes::resoudre(&c, &departement).map_err(UserError::from))
                .transpose()?;
            let nouvelle = NouvelleStructure {
                nom: &nom,
                siret: s.as_deref(),
                typologie,
                commune: commune.map(|c| c.code),
            };
            let id = db::agent::ajouter_structure(&tx, &nouvelle, ctx.aujourdhui)?;
            tx.commit()?;
            ctx.dire(format!("Structure « {nom} » ajoutée (n° {id})."));
            ctx.sortie.cree("id", &id)?;
        }
        Commande::Liste => {
            let conn = ctx.ouvrir()?;
            ctx.sortie.liste(&db::agent::structures(&conn)?)?;
        }
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
