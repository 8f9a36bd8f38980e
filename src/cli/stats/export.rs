//! `spie stats export --mois AAAA-MM --sortie DOSSIER`: the Département's pack —
//! `indicateurs.csv` (per EPCI and total, small counts hidden) and `parcours.csv` (one
//! pseudonymised, k-anonymous line per parcours). No name, birth date, contact nor free
//! text; both files describe the base as it stood at the month's last day.

use std::path::PathBuf;

use anyhow::Result;
use clap::Args;

use super::mois_publiable;
use crate::cli::{Ctx, entre};
use crate::domain::pseudonyme::Cle;
use crate::domain::texte::compte;
use crate::error::{Issue, erreur};
use crate::ops;
use crate::ops::stats::Pack;
use crate::output::{Fiche, Section};

#[derive(Debug, Args)]
pub struct Arguments {
    /// Mois AAAA-MM
    #[arg(long, value_name = "AAAA-MM")]
    mois: String,
    /// Dossier où écrire indicateurs.csv et parcours.csv (créé s'il manque)
    #[arg(long, value_name = "DOSSIER")]
    sortie: PathBuf,
    /// Seuil du secret statistique : les effectifs inférieurs sont masqués (« <5 »), et
    /// chaque combinaison publiée dans parcours.csv concerne au moins ce nombre de
    /// personnes. 5 au minimum.
    #[arg(long, default_value_t = 5, value_name = "N", value_parser = entre(0u64, 1_000))]
    seuil: u64,
}

pub fn executer(ctx: &Ctx, a: Arguments) -> Result<Issue> {
    let mois = mois_publiable(&a.mois, ctx)?;
    let Some(cle) = cle_du_departement()? else {
        return Err(erreur("la clé de pseudonymisation manque : l'export est refusé")
            .aide("le Département vous remet une clé ; donnez-la par la variable SPIE_CLE_PSEUDO")
            .into());
    };
    let export = ops::stats::Export {
        mois,
        sortie: a.sortie,
        seuil: a.seuil,
        cle: &cle,
    };
    let pack = ops::stats::exporter(&mut ctx.session()?, export)?;
    ctx.dire(resume(&pack));
    ctx.sortie.fiche(&pack, &fiche(&pack))?;
    Ok(Issue::Succes)
}

/// The Département's key of `SPIE_CLE_PSEUDO`, if set.
pub(super) fn cle_du_departement() -> Result<Option<Cle>> {
    let cle = std::env::var("SPIE_CLE_PSEUDO").unwrap_or_default();
    if cle.trim().is_empty() {
        return Ok(None);
    }
    let cle = Cle::lire(&cle).map_err(|e| {
        erreur(e).aide("demandez au Département sa clé ; pour un essai, générez-en une avec `openssl rand -base64 32`")
    })?;
    Ok(Some(cle))
}

/// What was written, in one sentence.
fn resume(pack: &Pack) -> String {
    let seuil = pack.seuil;
    let detail_parcours = if pack.parcours == 0 && pack.parcours_du_mois > 0 {
        format!("aucune ligne : moins de {seuil} parcours, trop peu pour l'anonymat")
    } else {
        format!(
            "{}, dont {}",
            compte(pack.parcours as u64, "ligne", "lignes"),
            compte(
                pack.parcours_masques as u64, "masquée pour l'anonymat", "masquées pour l'anonymat"
            )
        )
    };
    format!(
        "Pack de {}{} écrit dans {} : indicateurs.csv ({}, {} sous le seuil de {seuil}), parcours.csv ({detail_parcours}).",
        pack.mois,
        if pack.provisoire { " (provisoire)" } else { "" },
        pack.dossier,
        compte(pack.indicateurs as u64, "ligne", "lignes"),
        compte(pack.cellules_masquees as u64, "cellule masquée", "cellules masquées"),
    )
}

fn fiche(pack: &Pack) -> Fiche {
    Fiche {
        sections: vec![
            Section::new(format!("Pack de {}", pack.mois))
                .champ("Provisoire", if pack.provisoire { "oui" } else { "non" })
                .champ("Dossier", pack.dossier.clone())
                .champ("Lignes d'indicateurs", pack.indicateurs as i64)
                .champ("Parcours", pack.parcours as i64)
                .champ("Cellules masquées", pack.cellules_masquees as i64)
                .champ("Parcours masqués pour l'anonymat", pack.parcours_masques as i64),
        ],
    }
}
