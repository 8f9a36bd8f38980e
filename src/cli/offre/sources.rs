//! `spie offre sources`: the partners' lists, their size and freshness.

use anyhow::Result;

use crate::cli::Ctx;
use crate::db;
use crate::db::offre::ResumeSource;
use crate::error::Issue;
use crate::output::{Colonne, Ligne, Valeur};

impl Ligne for ResumeSource {
    const COLONNES: &'static [Colonne] = &[
        Colonne {
            cle: "source",
            titre: "Source",
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
        let pourcent = |x: Option<f64>| x.map(|v| format!("{:.1} %", v * 100.0).replace('.', ","));
        vec![
            self.source.clone().into(),
            self.actives.into(),
            self.retirees.into(),
            self.dernier_import.into(),
            self.qualite_moyenne.map(|q| format!("{q:.2}")).into(),
            pourcent(self.part_a_jour_6_mois).into(),
        ]
    }
}

pub fn executer(ctx: &Ctx) -> Result<Issue> {
    let conn = ctx.ouvrir()?;
    ctx.agent(&conn)?;
    ctx.sortie.liste(&db::offre::sources(&conn, ctx.aujourdhui)?)?;
    Ok(Issue::Succes)
}
