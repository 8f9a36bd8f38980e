//! The rendering of `spie parcours liste --mes-dossiers`: the caseload and its count line.

use anyhow::Result;
use serde::Serialize;

use crate::cli::Ctx;
use crate::db::portefeuille::Suivi;
use crate::domain::texte::compte;
use crate::error::Issue;
use crate::ops::parcours::Portefeuille;
use crate::output::{Colonne, Ligne, Valeur};

#[derive(Serialize)]
#[serde(transparent)]
pub struct LigneSuivi(Suivi);

impl Ligne for LigneSuivi {
    // The table must fit 80 columns without cutting a word: on a terminal, the référent's
    // name says it all (yours, or a colleague's when you are a member of the team), and
    // the entry date stays in CSV and JSON (`--tri entree` still sorts by it).
    // What falls due is said beside its date on screen, in its own column in CSV and JSON.
    const MASQUEES: &'static [&'static str] = &["vous_etes_referent", "referent", "entree", "echeance_objet"];
    // Long names and a colleague's dossier may still be too wide for 80 columns: the
    // référent's name goes first (mostly yours), then the orientation.
    const FACULTATIVES: &'static [&'static str] = &["referent_nom", "orientation"];
    #[rustfmt::skip]
    const COLONNES: &'static [Colonne] = &[
        Colonne { cle: "dossier", titre: "Dossier" },
        Colonne { cle: "nom", titre: "Nom" },
        Colonne { cle: "prenom", titre: "Prénom" },
        Colonne { cle: "entree", titre: "Entrée" },
        Colonne { cle: "dernier_contact", titre: "Dernier contact" },
        Colonne { cle: "prochain_rdv", titre: "Prochain rendez-vous" },
        Colonne { cle: "prochaine_echeance", titre: "Prochaine échéance" },
        Colonne { cle: "echeance_objet", titre: "Échéance de" },
        Colonne { cle: "orientation", titre: "Orientation" },
        Colonne { cle: "vous_etes_referent", titre: "Vous êtes référent" },
        Colonne { cle: "referent", titre: "Identifiant du référent" },
        Colonne { cle: "referent_nom", titre: "Référent" },
    ];
    fn valeurs(&self) -> Vec<Valeur> {
        let s = &self.0;
        vec![
            s.dossier.into(),
            s.nom.clone().into(),
            s.prenom.clone().into(),
            s.entree.into(),
            s.dernier_contact.into(),
            s.prochain_rdv.into(),
            match (s.prochaine_echeance, s.echeance_objet) {
                (Some(d), Some(o)) => Valeur::DatePrecisee(d, o.libelle()),
                (d, _) => d.into(),
            },
            s.echeance_objet.map(|o| o.libelle()).into(),
            s.orientation
                .as_deref()
                .map(|o| crate::domain::diagnostic::Orientation::depuis_code(o).map_or(o, |o| o.mot()))
                .into(),
            if s.vous_etes_referent { "oui" } else { "non" }.into(),
            s.referent.clone().into(),
            s.referent_nom.clone().into(),
        ]
    }
}

/// Prints the caseload, then (on stderr) how many dossiers it holds and how many
/// `--limite` left out.
pub fn afficher(ctx: &Ctx, p: Portefeuille, limite: Option<usize>) -> Result<Issue> {
    let montres = p.lignes.len();
    let lignes: Vec<LigneSuivi> = p.lignes.into_iter().map(LigneSuivi).collect();
    ctx.sortie.liste(&lignes)?;
    let total = compte(p.total as u64, "dossier suivi", "dossiers suivis");
    if montres < p.total {
        ctx.dire(format!(
            "{total} ; {} (--limite {}) : retirez --limite pour tout voir.",
            compte((p.total - montres) as u64, "non montré", "non montrés"),
            limite.unwrap_or(montres)
        ));
    } else {
        ctx.dire(format!("{total}."));
    }
    Ok(Issue::Succes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_match_json_keys() {
        let d = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        crate::output::verifier_cles(&LigneSuivi(Suivi {
            dossier: 1,
            nom: "N".into(),
            prenom: "P".into(),
            entree: d,
            dernier_contact: None,
            prochain_rdv: None,
            prochaine_echeance: None,
            echeance_objet: None,
            orientation: None,
            vous_etes_referent: true,
            referent: None,
            referent_nom: None,
        }));
    }
}
