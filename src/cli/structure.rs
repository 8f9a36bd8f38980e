//! `spie structure …`: the owning structure and its partners.

use anyhow::Result;
use clap::Subcommand;

use super::Ctx;
use crate::domain::echange::ClePublique;
use crate::domain::structure::Structure;
use crate::error::{Issue, UserError, erreur};
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
        /// Clé du partenaire, la ligne « spie1:… » que `spie structure cle` affiche sur sa base,
        /// pour échanger des parcours avec lui
        #[arg(long, value_name = "LIGNE")]
        cle: Option<String>,
        /// Confirme l'empreinte de la clé sans la demander (scripts) : vérifiez-la d'abord
        /// avec le partenaire, par téléphone
        #[arg(long)]
        confirmer: bool,
    },
    /// Modifie l'adresse postale ou le téléphone d'une structure, imprimés sur les convocations
    /// (réservé à ses administrateurs)
    Modifier {
        /// Nom ou numéro de la structure
        structure: String,
        /// Adresse postale (rue, code postal, commune) ; "" la retire
        #[arg(long, value_name = "ADRESSE", required_unless_present = "telephone")]
        adresse: Option<String>,
        /// Téléphone (03 29 00 00 00) ; "" le retire
        #[arg(long, value_name = "NUMERO")]
        telephone: Option<String>,
    },
    /// Liste les structures
    Liste,
    /// Affiche la clé publique de votre structure, à donner aux partenaires, et son empreinte
    Cle,
}

pub fn executer(ctx: &Ctx, commande: Commande) -> Result<Issue> {
    match commande {
        Commande::Ajouter {
            nom,
            siret: s,
            typologie,
            commune,
            cle,
            confirmer,
        } => {
            let cle = cle.map(|c| cle_confirmee(ctx, &nom, &c, confirmer)).transpose()?;
            let avec_cle = cle.as_ref().map(ClePublique::empreinte);
            let nouvelle = ops::structure::Nouvelle {
                nom,
                siret: s,
                typologie,
                commune,
                cle,
            };
            let (nom, id) = ops::structure::ajouter(&mut ctx.session()?, nouvelle)?;
            let cle = avec_cle.map_or(String::new(), |e| format!(" avec sa clé (empreinte {e})"));
            ctx.dire(format!("Structure « {nom} » enregistrée{cle} (n° {id})."));
            ctx.sortie.cree("id", &id)?;
        }
        Commande::Modifier {
            structure,
            adresse,
            telephone,
        } => {
            let c = ops::structure::Coordonnees { adresse, telephone };
            let s = ops::structure::modifier(&mut ctx.session()?, &structure, c)?;
            let aucun = |v: &Option<String>| v.clone().unwrap_or_else(|| "aucun".into());
            ctx.dire(format!(
                "« {} » : adresse {}, téléphone {}.",
                s.nom,
                s.adresse.as_deref().map_or("aucune".to_owned(), |a| format!("« {a} »")),
                aucun(&s.telephone)
            ));
        }
        Commande::Liste => ctx.sortie.liste(&ops::structure::liste(&mut ctx.session()?)?)?,
        Commande::Cle => {
            let cle = ops::echange::cle(&mut ctx.session()?)?;
            ctx.dire(format!(
                "Clé de « {} » ; empreinte à lire au partenaire par téléphone : {}",
                cle.structure, cle.empreinte
            ));
            ctx.sortie.objet(&cle, &cle.cle)?;
        }
    }
    Ok(Issue::Succes)
}

/// The partner's key line, read, its fingerprint shown and confirmed: asked on a
/// terminal, `--confirmer` otherwise.
fn cle_confirmee(ctx: &Ctx, nom: &str, ligne: &str, confirmer: bool) -> Result<ClePublique> {
    let cle = ClePublique::lire(ligne).map_err(|e| UserError::usage(format!("--cle : {e}")))?;
    let empreinte = cle.empreinte();
    if confirmer {
        return Ok(cle);
    }
    if !ctx.interactif {
        return Err(UserError::usage(format!(
            "l'empreinte de la clé ({empreinte}) doit être confirmée : ajoutez --confirmer une fois vérifiée"
        ))
        .aide("le partenaire lit son empreinte avec `spie structure cle` : elle doit être identique")
        .into());
    }
    let question = format!("Empreinte de la clé de « {nom} » : {empreinte}. Est-ce celle que le partenaire vous lit ?");
    let oui = super::contexte::demander(|| {
        dialoguer::Confirm::new()
            .with_prompt(question)
            .default(false)
            .interact()
    })?;
    if !oui {
        return Err(erreur("empreinte non confirmée : la structure n'est pas enregistrée")
            .aide("vérifiez la ligne copiée, ou demandez au partenaire de vous la renvoyer")
            .into());
    }
    Ok(cle)
}

impl Ligne for Structure {
    // On screen, 80 columns hold the names whole: the SIRET stays in CSV and JSON, the
    // address (long, and printed on the convocations) goes first when they do not fit.
    const MASQUEES: &'static [&'static str] = &["siret"];
    const INSECABLES: &'static [&'static str] = &["nom", "commune"];
    const FACULTATIVES: &'static [&'static str] = &["adresse"];
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
            titre: "Type",
        },
        Colonne {
            cle: "commune",
            titre: "Commune",
        },
        Colonne {
            cle: "agents",
            titre: "Agents",
        },
        Colonne {
            cle: "adresse",
            titre: "Adresse",
        },
        Colonne {
            cle: "telephone",
            titre: "Téléphone",
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
            self.adresse.clone().into(),
            self.telephone.clone().into(),
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
            adresse: None,
            telephone: None,
        });
    }
}
