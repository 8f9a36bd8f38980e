//! `spie parcours liste`: the agent's caseload (`--mes-dossiers`, the default for an agent
//! who follows dossiers), or the dossiers the agent may see by status, référent or EPCI.

use crate::domain::codes::souple;
use anyhow::Result;
use clap::{Args, ValueEnum};
use serde::Serialize;

use crate::cli::{Ctx, entre};
use crate::db::parcours::Statut;
use crate::domain::parcours::LigneDossier;
use crate::error::Issue;
use crate::ops;
use crate::ops::parcours::{Choix, Liste, Tri};
use crate::output::{Colonne, Ligne, Valeur};
use crate::referentiel::communes;

#[derive(Debug, Clone, Copy, ValueEnum)]
enum StatutDemande {
    /// Parcours en cours
    Ouvert,
    /// Parcours terminé (dernier parcours du dossier)
    Clos,
    /// Tous les dossiers
    Tous,
}

#[derive(Debug, Args)]
pub struct Arguments {
    /// Vos dossiers : les parcours ouverts dont vous êtes référent ou membre de l'équipe, avec
    /// dernier contact, prochain rendez-vous, prochaine échéance et orientation (par défaut si
    /// vous en suivez et ne donnez aucun autre critère)
    #[arg(long, conflicts_with_all = ["tous", "referent", "statut", "epci", "sans_contact"])]
    mes_dossiers: bool,
    /// Tous les dossiers que vous pouvez voir, même si vous suivez des dossiers
    #[arg(long)]
    tous: bool,
    /// Ordre de vos dossiers (montre vos dossiers, comme --mes-dossiers) [défaut : nom]
    #[arg(long, value_enum, value_parser = souple::<Tri>(), conflicts_with_all = ["tous", "referent", "statut", "epci", "sans_contact"])]
    tri: Option<Tri>,
    /// Seulement les dossiers dont cet agent est (ou était, si clos) le référent
    #[arg(long, value_name = "AGENT")]
    referent: Option<String>,
    /// Statut du dernier parcours du dossier [défaut : ouvert]
    #[arg(long, value_enum, value_parser = souple::<StatutDemande>())]
    statut: Option<StatutDemande>,
    /// Seulement les personnes résidant dans cet EPCI (SIREN ou nom)
    #[arg(long, value_name = "CODE")]
    epci: Option<String>,
    /// Seulement les parcours ouverts sans contact avec la personne (entretien, téléphone,
    /// visite, atelier) depuis plus de JOURS jours (à défaut de contact, depuis l'entrée)
    #[arg(long, value_name = "JOURS", value_parser = entre(0u32, 3_650))]
    sans_contact: Option<u32>,
    /// Nombre maximal de lignes
    #[arg(long, value_name = "N", value_parser = entre(1usize, 1_000_000))]
    limite: Option<usize>,
}

pub fn executer(ctx: &Ctx, a: Arguments) -> Result<Issue> {
    let criteres_donnes =
        a.tous || a.referent.is_some() || a.statut.is_some() || a.epci.is_some() || a.sans_contact.is_some();
    let choix = match (a.mes_dossiers || a.tri.is_some(), criteres_donnes) {
        (true, _) => Choix::MesDossiers,
        (false, true) => Choix::Criteres,
        (false, false) => Choix::Auto,
    };
    let criteres = ops::parcours::Criteres {
        statut: match a.statut.unwrap_or(StatutDemande::Ouvert) {
            StatutDemande::Ouvert => Some(Statut::Ouvert),
            StatutDemande::Clos => Some(Statut::Clos),
            StatutDemande::Tous => None,
        },
        referent: a.referent,
        epci: a.epci,
        sans_contact: a.sans_contact,
        limite: a.limite,
    };
    match ops::parcours::lister(&mut ctx.session()?, choix, criteres, a.tri.unwrap_or(Tri::Nom))? {
        Liste::Suivis(p) => super::mes_dossiers::afficher(ctx, p, a.limite),
        Liste::Dossiers(lignes) if a.sans_contact.is_some() => afficher_sans_contact(ctx, lignes),
        Liste::Dossiers(lignes) => afficher(ctx, lignes),
    }
}

/// A line of the list, with the commune's name beside its code.
#[derive(Serialize)]
pub struct LigneListe {
    #[serde(flatten)]
    ligne: LigneDossier,
    commune_nom: String,
}

impl Ligne for LigneListe {
    const MASQUEES: &'static [&'static str] = &["commune", "referent"];
    const COLONNES: &'static [Colonne] = &COLONNES_LISTE;
    fn valeurs(&self) -> Vec<Valeur> {
        let l = &self.ligne;
        vec![
            l.dossier.into(),
            l.nom.clone().into(),
            l.prenom.clone().into(),
            l.naissance.into(),
            l.commune.clone().into(),
            self.commune_nom.clone().into(),
            l.entree.into(),
            l.sortie.into(),
            l.motif_sortie.clone().into(),
            l.referent.clone().into(),
            l.referent_nom.clone().into(),
        ]
    }
}

/// A line of the list of dossiers without recent contact: the last contact's date beside,
/// « jamais » on screen and in CSV for a person never met (`null` in JSON).
#[derive(Serialize)]
pub struct LigneSansContact {
    #[serde(flatten)]
    ligne: LigneListe,
    dernier_contact: Option<chrono::NaiveDate>,
}

impl Ligne for LigneSansContact {
    const MASQUEES: &'static [&'static str] = LigneListe::MASQUEES;
    const COLONNES: &'static [Colonne] = &crate::output::plus_une::<11, 12>(
        COLONNES_LISTE,
        Colonne {
            cle: "dernier_contact",
            titre: "Dernier contact",
        },
    );
    fn valeurs(&self) -> Vec<Valeur> {
        let mut valeurs = self.ligne.valeurs();
        valeurs.push(self.dernier_contact.map_or_else(|| "jamais".into(), Valeur::from));
        valeurs
    }
}

#[rustfmt::skip]
const COLONNES_LISTE: [Colonne; 11] = [
    Colonne { cle: "dossier", titre: "Dossier" },
    Colonne { cle: "nom", titre: "Nom" },
    Colonne { cle: "prenom", titre: "Prénom" },
    Colonne { cle: "naissance", titre: "Naissance" },
    Colonne { cle: "commune", titre: "Code commune" },
    Colonne { cle: "commune_nom", titre: "Commune" },
    Colonne { cle: "entree", titre: "Entrée" },
    Colonne { cle: "sortie", titre: "Sortie" },
    Colonne { cle: "motif_sortie", titre: "Motif de sortie" },
    Colonne { cle: "referent", titre: "Identifiant du référent" },
    Colonne { cle: "referent_nom", titre: "Référent" },
];

/// Prints dossiers as a list (shared by `liste` and `chercher`).
pub fn afficher(ctx: &Ctx, lignes: Vec<LigneDossier>) -> Result<Issue> {
    let lignes: Vec<LigneListe> = lignes.into_iter().map(LigneListe::de).collect();
    if lignes.is_empty() {
        ctx.dire("Aucun dossier.");
    }
    ctx.sortie.liste(&lignes)?;
    Ok(Issue::Succes)
}

/// Prints the dossiers without recent contact, with their last contact's date.
fn afficher_sans_contact(ctx: &Ctx, lignes: Vec<LigneDossier>) -> Result<Issue> {
    if lignes.is_empty() {
        ctx.dire("Aucun dossier.");
    }
    let lignes: Vec<LigneSansContact> = lignes
        .into_iter()
        .map(|l| LigneSansContact {
            dernier_contact: l.dernier_contact,
            ligne: LigneListe::de(l),
        })
        .collect();
    ctx.sortie.liste(&lignes)?;
    Ok(Issue::Succes)
}

impl LigneListe {
    fn de(ligne: LigneDossier) -> LigneListe {
        LigneListe {
            commune_nom: communes::par_code(&ligne.commune).map_or_else(String::new, |c| c.nom.to_owned()),
            ligne,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn ligne() -> LigneDossier {
        let d = NaiveDate::from_ymd_opt(2026, 1, 1).unwrap();
        LigneDossier {
            dossier: 1,
            nom: "N".into(),
            prenom: "P".into(),
            naissance: d,
            commune: "55545".into(),
            entree: d,
            sortie: None,
            motif_sortie: None,
            referent: None,
            referent_nom: None,
            dernier_contact: Some(d),
        }
    }

    #[test]
    fn columns_match_json_keys() {
        crate::output::verifier_cles(&LigneListe::de(ligne()));
    }

    #[test]
    fn the_list_without_contact_adds_the_last_contact() {
        let ligne = ligne();
        crate::output::verifier_cles(&LigneSansContact {
            dernier_contact: ligne.dernier_contact,
            ligne: LigneListe::de(ligne),
        });
    }
}
