//! `spie parcours a-faire [--tous]`: the caseworker's day. The agent is the one at work
//! (`--agent` / `SPIE_AGENT`); only dossiers the agent may see are shown.

use anyhow::Result;
use clap::Args;

use crate::cli::Ctx;
use crate::db::a_faire::Categorie;
use crate::error::Issue;
use crate::ops;
use crate::ops::parcours::Tache;
use crate::output::{Colonne, Ligne, Valeur};

#[derive(Debug, Args)]
pub struct Arguments {
    /// Tous les parcours ouverts que l'agent peut voir, pas seulement ceux qu'il suit
    #[arg(long)]
    tous: bool,
}

impl Ligne for Tache {
    const MASQUEES: &'static [&'static str] = &["referent"];
    // The detail wraps, not what a caseworker scans the list by.
    const INSECABLES: &'static [&'static str] = &["categorie", "personne", "referent_nom"];
    const COLONNES: &'static [Colonne] = &[
        Colonne {
            cle: "categorie",
            titre: "À faire",
        },
        Colonne {
            cle: "dossier",
            titre: "Dossier",
        },
        Colonne {
            cle: "personne",
            titre: "Personne",
        },
        Colonne {
            cle: "date",
            titre: "Depuis",
        },
        Colonne {
            cle: "detail",
            titre: "Détail",
        },
        Colonne {
            cle: "referent",
            titre: "Identifiant du référent",
        },
        Colonne {
            cle: "referent_nom",
            titre: "Référent",
        },
    ];
    fn valeurs(&self) -> Vec<Valeur> {
        vec![
            self.categorie.mot().into(),
            self.dossier.into(),
            self.personne.clone().into(),
            self.date.into(),
            self.detail.clone().into(),
            self.referent.clone().into(),
            self.referent_nom.clone().into(),
        ]
    }
}

pub fn executer(ctx: &Ctx, a: Arguments) -> Result<Issue> {
    let mut session = ctx.session()?;
    let taches = ops::parcours::a_faire(&mut session, a.tous)?;
    let resume: Vec<String> = Categorie::TOUS
        .iter()
        .filter_map(|c| {
            let n = taches.iter().filter(|t| t.categorie == *c).count();
            (n > 0).then(|| format!("{} : {n}", minuscule(&c.libelle())))
        })
        .collect();
    let qui = if a.tous {
        "tous les parcours ouverts que vous pouvez voir".to_string()
    } else {
        format!("dossiers {}", crate::domain::texte::de(&session.agent.nom))
    };
    if resume.is_empty() {
        ctx.dire(format!("Rien en attente ({qui})."));
    } else {
        ctx.dire(format!("À faire ({qui}) — {}.", resume.join(" ; ")));
    }
    ctx.sortie.liste(&taches)?;
    Ok(Issue::Succes)
}

/// A label inside a sentence: its first letter in lower case.
fn minuscule(libelle: &str) -> String {
    let mut lettres = libelle.chars();
    lettres
        .next()
        .map(|p| p.to_lowercase().chain(lettres).collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_match_json_keys() {
        crate::output::verifier_cles(&Tache {
            categorie: Categorie::SansContact,
            dossier: 1,
            personne: "P N".into(),
            date: chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
            detail: String::new(),
            referent: None,
            referent_nom: None,
        });
    }
}
