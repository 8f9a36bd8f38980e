//! `spie offre sources`: the partners' lists, their size and freshness; which of them
//! another producer publishes.

use anyhow::Result;
use clap::Args;

use crate::cli::Ctx;
use crate::db::offre::ResumeSource;
use crate::error::Issue;
use crate::ops;
use crate::output::{Colonne, Ligne, Valeur};

impl Ligne for ResumeSource {
    const COLONNES: &'static [Colonne] = &[
        Colonne {
            cle: "source",
            titre: "Source",
        },
        Colonne {
            cle: "externe",
            titre: "Externe",
        },
        Colonne {
            cle: "actives",
            titre: "Actives",
        },
        Colonne {
            cle: "retirees",
            titre: "Retirées",
        },
        Colonne {
            cle: "dernier_import",
            titre: "Dernier import",
        },
        Colonne {
            cle: "qualite_moyenne",
            titre: "Qualité moyenne",
        },
        Colonne {
            cle: "part_a_jour_6_mois",
            titre: "À jour (6 mois)",
        },
    ];
    fn valeurs(&self) -> Vec<Valeur> {
        use crate::domain::texte::decimal;
        let pourcent = |x: Option<f64>| x.map(|v| format!("{} %", decimal(v * 100.0, 1)));
        vec![
            self.source.clone().into(),
            if self.externe { "oui" } else { "non" }.into(),
            self.actives.into(),
            self.retirees.into(),
            self.dernier_import.into(),
            self.qualite_moyenne.map(|q| decimal(q, 2)).into(),
            pourcent(self.part_a_jour_6_mois).into(),
        ]
    }
}

/// Les sources du catalogue : offres actives et retirées, fraîcheur, qualité
///
/// Une source est externe quand un autre producteur la publie déjà (la liste
/// nationale des France services…) : `spie offre exporter` ne republie pas ses offres,
/// sauf si --sources la nomme. Toute source importée est propre à la structure tant
/// qu'elle n'est pas marquée externe.
#[derive(Debug, Args)]
pub struct Arguments {
    /// Marque ces sources comme publiées par un autre producteur (réservé aux administrateurs)
    #[arg(long, value_name = "SOURCE", value_delimiter = ',')]
    externe: Vec<String>,
    /// Marque ces sources comme propres à la structure (réservé aux administrateurs)
    #[arg(long, value_name = "SOURCE", value_delimiter = ',')]
    propre: Vec<String>,
}

pub fn executer(ctx: &Ctx, a: Arguments) -> Result<Issue> {
    let sources = ops::offre::sources(&mut ctx.session()?, &a.externe, &a.propre)?;
    ctx.sortie.liste(&sources)?;
    Ok(Issue::Succes)
}
