//! `spie stats consolider PACK… --sortie DOSSIER`: the territory's pack and report, from
//! the monthly packs of its structures. Needs no base; with one, the packs of the
//! partners it registered are verified by their signature.

use std::path::PathBuf;

use anyhow::Result;
use clap::Args;

use super::export::cle_du_departement;
use crate::cli::{Ctx, entre};
use crate::domain::texte::compte;
use crate::error::Issue;
use crate::ops;
use crate::ops::stats::PackTerritoire;
use crate::output::{Fiche, Section};

#[derive(Debug, Args)]
pub struct Arguments {
    /// Dossiers des packs des structures (écrits par `spie stats export`), d'un même mois
    #[arg(value_name = "PACK", required = true)]
    packs: Vec<PathBuf>,
    /// Dossier où écrire le pack et le rapport du territoire (créé s'il manque)
    #[arg(long, value_name = "DOSSIER")]
    sortie: PathBuf,
    /// Nom du territoire, dans le pack et le rapport
    #[arg(long, value_name = "NOM", default_value = "Territoire")]
    territoire: String,
    /// Seuil du secret statistique (5 au minimum ; jamais moins que celui d'un pack)
    #[arg(long, default_value_t = 5, value_name = "N", value_parser = entre(0u64, 1_000))]
    seuil: u64,
}

pub fn executer(ctx: &Ctx, a: Arguments) -> Result<Issue> {
    // Optional here: given, every pack must have been written under it.
    let cle = cle_du_departement()?;
    // With a base, the partners it registered: their packs are verified by signature.
    let partenaires = match ctx.chemin_base().exists() {
        true => Some(ops::structure::partenaires(&mut ctx.session()?)?),
        false => None,
    };
    let pack = ops::stats::consolider(ops::stats::Consolidation {
        packs: a.packs,
        sortie: a.sortie,
        seuil: a.seuil,
        territoire: a.territoire,
        cle: cle.as_ref(),
        partenaires: partenaires.as_deref(),
    })?;
    ctx.dire(format!(
        "Pack du territoire « {} » pour {}{} écrit dans {} : {}, {} ({}), {}.",
        pack.territoire,
        pack.mois,
        if pack.provisoire { " (provisoire)" } else { "" },
        pack.dossier,
        compte(pack.structures.len() as u64, "structure", "structures"),
        compte(pack.personnes, "personne", "personnes"),
        compte(pack.parcours, "parcours lu", "parcours lus"),
        compte(pack.cellules_masquees as u64, "cellule masquée", "cellules masquées"),
    ));
    ctx.sortie.fiche(&pack, &fiche(&pack))?;
    Ok(Issue::Succes)
}

fn fiche(pack: &PackTerritoire) -> Fiche {
    Fiche {
        sections: vec![
            Section::new(format!("{}, {}", pack.territoire, pack.mois))
                .champ("Provisoire", if pack.provisoire { "oui" } else { "non" })
                .champ("Dossier", pack.dossier.clone())
                .champ("Structures", pack.structures.join(", "))
                .champ("Parcours lus", pack.parcours as i64)
                .champ("Personnes", pack.personnes as i64)
                .champ("Lignes d'indicateurs", pack.indicateurs as i64)
                .champ("Cellules masquées", pack.cellules_masquees as i64),
            Section::new("Vérification des packs").tableau(
                vec!["Pack", "Structure", "Vérifié par"],
                pack.controles
                    .iter()
                    .map(|c| {
                        vec![
                            c.dossier.clone().into(),
                            c.structure.clone().into(),
                            match (&c.signe_par, c.empreintes_seulement) {
                                (Some(par), _) => format!("signature de « {par} »"),
                                (None, pourquoi) => {
                                    format!("empreintes seulement ({})", pourquoi.unwrap_or("sans raison"))
                                }
                            }
                            .into(),
                        ]
                    })
                    .collect(),
            ),
        ],
    }
}
