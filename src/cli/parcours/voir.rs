//! `spie parcours voir N`: everything about one dossier on one screen.

use anyhow::Result;
use clap::Args;
use serde::Serialize;

use crate::cli::{Ctx, nombre};
use crate::db;
use crate::db::diagnostic::{Decision, Diagnostic};
use crate::db::parcours::Parcours;
use crate::db::personne::Personne;
use crate::domain::date;
use crate::domain::diagnostic::Suggestion;
use crate::domain::grille::{Dimension, Niveau};
use crate::domain::personne::{PUBLICS, Sexe};
use crate::error::Issue;
use crate::output::{Fiche, Section, Valeur};
use crate::referentiel::communes;

#[derive(Debug, Args)]
pub struct Arguments {
    /// Numéro de dossier
    #[arg(value_parser = nombre::<i64>)]
    dossier: i64,
}

/// Where the person lives, beside the INSEE code stored in `commune`.
#[derive(Serialize)]
struct Residence {
    commune_nom: Option<&'static str>,
    departement: Option<&'static str>,
    code_epci: Option<&'static str>,
    nom_epci: Option<&'static str>,
}

#[derive(Serialize)]
struct Frein {
    dimension: Dimension,
    niveau: Niveau,
}

/// The last diagnostic in brief.
#[derive(Serialize)]
struct ResumeDiagnostic {
    id: i64,
    date: chrono::NaiveDate,
    complet: bool,
    freins: Vec<Frein>,
    suggestion: Suggestion,
}

impl From<Diagnostic> for ResumeDiagnostic {
    fn from(d: Diagnostic) -> Self {
        let freins = d
            .reponses
            .freins()
            .into_iter()
            .map(|(dimension, niveau)| Frein { dimension, niveau })
            .collect();
        ResumeDiagnostic {
            id: d.id,
            date: d.date,
            complet: d.complet,
            freins,
            suggestion: d.suggestion,
        }
    }
}

#[derive(Serialize)]
struct Vue {
    #[serde(flatten)]
    personne: Personne,
    age: i32,
    #[serde(flatten)]
    residence: Residence,
    statut: &'static str,
    parcours: Vec<Parcours>,
    diagnostic: Option<ResumeDiagnostic>,
    /// The current orientation decision of the latest parcours.
    orientation: Option<Decision>,
}

pub fn executer(ctx: &Ctx, a: Arguments) -> Result<Issue> {
    let mut conn = ctx.ouvrir()?;
    let tx = db::lecture(&mut conn)?;
    ctx.agent(&tx)?;
    let personne = db::personne::personne(&tx, a.dossier)?;
    let parcours = db::parcours::du_dossier(&tx, a.dossier)?;
    let diagnostic = db::diagnostic::dernier(&tx, a.dossier)?.map(ResumeDiagnostic::from);
    let orientation = match parcours.last() {
        Some(p) => db::diagnostic::decisions(&tx, p.id)?.pop(),
        None => None,
    };
    drop(tx);
    let c = communes::par_code(&personne.identite.commune);
    let vue = Vue {
        age: date::age(personne.identite.naissance, ctx.aujourdhui),
        residence: Residence {
            commune_nom: c.map(|c| c.nom),
            departement: c.map(|c| c.departement),
            code_epci: c.map(|c| c.code_epci),
            nom_epci: c.map(|c| c.nom_epci),
        },
        statut: if parcours.iter().any(Parcours::est_ouvert) {
            "ouvert"
        } else {
            "clos"
        },
        personne,
        parcours,
        diagnostic,
        orientation,
    };
    ctx.sortie.fiche(&vue, &fiche(&vue))?;
    Ok(Issue::Succes)
}

fn fiche(v: &Vue) -> Fiche {
    let id = &v.personne.identite;
    let publics: Vec<String> = id
        .publics
        .iter()
        .map(|p| {
            PUBLICS
                .iter()
                .find(|(c, _)| c == p)
                .map_or(p.clone(), |(c, l)| format!("{c} ({l})"))
        })
        .collect();
    let commune = match (v.residence.commune_nom, v.residence.departement) {
        (Some(nom), Some(dep)) => format!("{nom} ({dep}) — INSEE {}", id.commune),
        _ => id.commune.clone(),
    };
    let mut sections = vec![
        Section::new(format!("Dossier {}", v.personne.dossier))
            .champ("Nom", id.nom.clone())
            .champ("Prénom", id.prenom.clone())
            .champ("Naissance", format!("{} ({} ans)", date::fr(id.naissance), v.age))
            .champ("Sexe", id.sexe.map(|s| if s == Sexe::F { "femme" } else { "homme" }))
            .champ("Commune", commune)
            .champ("EPCI", v.residence.nom_epci)
            .champ("Téléphone", id.telephone.clone())
            .champ("Courriel", id.courriel.clone())
            .champ("Publics", publics.join(", "))
            .champ("Dossier créé le", v.personne.cree_le),
    ];

    if let Some(dernier) = v.parcours.last() {
        let titre = if dernier.est_ouvert() {
            "Parcours en cours"
        } else {
            "Dernier parcours (clos)"
        };
        let referent = dernier
            .referent_actif()
            .map(|r| format!("{} ({}), depuis le {}", r.nom, r.agent, date::fr(r.debut)));
        sections.push(
            Section::new(titre)
                .champ("Structure", dernier.structure.clone())
                .champ("Entrée", dernier.entree)
                .champ("Sortie", dernier.sortie)
                .champ("Motif de sortie", dernier.motif_sortie.map(|m| m.code()))
                .champ("Référent", referent.unwrap_or_else(|| "aucun".into())),
        );
        sections.push(
            Section::new("Référents successifs").tableau(
                vec!["Agent", "Nom", "Début", "Fin"],
                dernier
                    .referents
                    .iter()
                    .map(|r| {
                        vec![
                            r.agent.clone().into(),
                            r.nom.clone().into(),
                            r.debut.into(),
                            r.fin.into(),
                        ]
                    })
                    .collect(),
            ),
        );
    }
    let dossier = v.personne.dossier;
    sections.push(match &v.diagnostic {
        Some(d) => {
            let freins: Vec<String> = d
                .freins
                .iter()
                .map(|f| format!("{} ({})", f.dimension.code(), f.niveau.code()))
                .collect();
            Section::new("Dernier diagnostic")
                .champ("Date", format!("{} (n° {})", date::fr(d.date), d.id))
                .champ("Complétude", if d.complet { "complet" } else { "incomplet" })
                .champ(
                    "Freins",
                    if freins.is_empty() {
                        "aucun".into()
                    } else {
                        freins.join(", ")
                    },
                )
                .champ(
                    "Orientation suggérée",
                    format!("{} (règle {})", d.suggestion.orientation.code(), d.suggestion.regle),
                )
        }
        None => Section::new("Dernier diagnostic").champ("Aucun", format!("spie diagnostic nouveau {dossier}")),
    });
    sections.push(match &v.orientation {
        Some(o) => {
            let suivi = match o.conforme {
                Some(true) => "conforme à la suggestion".to_string(),
                Some(false) => format!("contre la suggestion ({})", o.suggestion.map_or("", |s| s.code())),
                None => "sans diagnostic".to_string(),
            };
            Section::new("Orientation")
                .champ(
                    "Décision",
                    format!(
                        "{} le {} par {}, {suivi}",
                        o.orientation.code(),
                        date::fr(o.date),
                        o.agent
                    ),
                )
                .champ("Motif", o.motif.clone())
        }
        None => Section::new("Orientation").champ("Décision", "aucune pour ce parcours"),
    });
    if v.parcours.len() > 1 {
        sections.push(
            Section::new("Historique des parcours").tableau(
                vec!["Entrée", "Sortie", "Motif", "Structure"],
                v.parcours
                    .iter()
                    .map(|p| {
                        vec![
                            p.entree.into(),
                            p.sortie.into(),
                            Valeur::from(p.motif_sortie.map(|m| m.code())),
                            p.structure.clone().into(),
                        ]
                    })
                    .collect(),
            ),
        );
    }
    Fiche { sections }
}
