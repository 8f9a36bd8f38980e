//! `spie diagnostic a-faire [--delai 30]`: the systematic diagnostic, checked, on the
//! dossiers the agent may read.

use anyhow::Result;
use clap::Args;

use crate::cli::{Ctx, entre};
use crate::domain::diagnostic::SansDiagnostic;
use crate::error::Issue;
use crate::ops;
use crate::output::{Colonne, Ligne, Valeur};

#[derive(Debug, Args)]
pub struct Arguments {
    /// Jours accordés après l'entrée pour faire le diagnostic
    #[arg(long, default_value_t = 30, value_name = "JOURS", value_parser = entre(0u32, 3_650))]
    delai: u32,
    /// Seulement les dossiers de ce référent
    #[arg(long, value_name = "AGENT")]
    referent: Option<String>,
}

impl Ligne for SansDiagnostic {
    const MASQUEES: &'static [&'static str] = &["referent"];
    #[rustfmt::skip]
    const COLONNES: &'static [Colonne] = &[
        Colonne { cle: "dossier", titre: "Dossier" },
        Colonne { cle: "nom", titre: "Nom" },
        Colonne { cle: "prenom", titre: "Prénom" },
        Colonne { cle: "entree", titre: "Entrée" },
        Colonne { cle: "jours", titre: "Jours depuis l'entrée" },
        Colonne { cle: "referent", titre: "Identifiant du référent" },
        Colonne { cle: "referent_nom", titre: "Référent" },
    ];
    fn valeurs(&self) -> Vec<Valeur> {
        vec![
            self.dossier.into(),
            self.nom.clone().into(),
            self.prenom.clone().into(),
            self.entree.into(),
            self.jours.into(),
            self.referent.clone().into(),
            self.referent_nom.clone().into(),
        ]
    }
}

pub fn executer(ctx: &Ctx, a: Arguments) -> Result<Issue> {
    let lignes = ops::diagnostic::a_faire(&mut ctx.session()?, a.delai, a.referent.as_deref())?;
    if lignes.is_empty() {
        ctx.dire(format!(
            "Tous les parcours ouverts depuis plus de {} ont un diagnostic.",
            crate::domain::texte::compte(u64::from(a.delai), "jour", "jours")
        ));
    } else {
        ctx.dire(format!(
            "{} parcours sans diagnostic plus de {} après l'entrée.",
            lignes.len(),
            crate::domain::texte::compte(u64::from(a.delai), "jour", "jours")
        ));
    }
    ctx.sortie.liste(&lignes)?;
    Ok(Issue::Succes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_match_json_keys() {
        let d = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        crate::output::verifier_cles(&SansDiagnostic {
            dossier: 1,
            nom: "N".into(),
            prenom: "P".into(),
            entree: d,
            jours: 40,
            referent: None,
            referent_nom: None,
        });
    }
}
