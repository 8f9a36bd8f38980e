//! `spie offre voir ID`: one offer, every field.

use anyhow::Result;
use clap::Args;

use crate::cli::{Ctx, numero};
use crate::db::offre::OffreStockee;
use crate::error::Issue;
use crate::ops;
use crate::output::{Fiche, Section};
use crate::referentiel::{communes, thematiques};

#[derive(Debug, Args)]
pub struct Arguments {
    /// Numéro de l'offre
    #[arg(value_parser = numero)]
    id: i64,
}

pub fn executer(ctx: &Ctx, a: Arguments) -> Result<Issue> {
    let o = ops::offre::voir(&mut ctx.session()?, a.id)?;
    ctx.sortie.fiche(&en_json(&o)?, &fiche(&o))?;
    Ok(Issue::Succes)
}

/// The offer's fields, with `commune` meaning what it means in a data·inclusion export:
/// the commune's name, its INSEE code beside it as `code_insee` (the base keeps the code).
fn en_json(o: &OffreStockee) -> Result<serde_json::Value> {
    let serde_json::Value::Object(champs) = serde_json::to_value(o)? else {
        anyhow::bail!("offre {} : fiche inattendue", o.id);
    };
    let code = o.offre.commune.as_deref();
    let nom = code.and_then(communes::par_code).map(|c| c.nom);
    let mut json = serde_json::Map::new();
    for (cle, valeur) in champs {
        if cle == "commune" {
            json.insert(cle, nom.into());
            json.insert("code_insee".into(), code.into());
        } else {
            json.insert(cle, valeur);
        }
    }
    Ok(json.into())
}

/// "3,5 h par semaine pendant 6 semaines", or what of it is known.
fn duree(f: &crate::domain::offre::Offre) -> Option<String> {
    let heures = f
        .volume_horaire_hebdomadaire
        .map(|h| format!("{} h par semaine", crate::domain::texte::decimal(h, 1)));
    let semaines = f
        .nombre_semaines
        .map(|n| crate::domain::texte::compte(n.unsigned_abs(), "semaine", "semaines"));
    match (heures, semaines) {
        (Some(h), Some(s)) => Some(format!("{h} pendant {s}")),
        (h, s) => h.or(s),
    }
}

/// How the offer is taken up: its modes, who may do it, and the details, as far as they
/// are known ("telephoner — par professionnels, usagers — Sur rendez-vous").
fn mobilisation(f: &crate::domain::offre::Offre) -> Option<String> {
    let par = (!f.mobilisable_par.is_empty()).then(|| format!("par {}", f.mobilisable_par.join(", ")));
    let parties: Vec<String> = [
        (!f.modes_mobilisation.is_empty()).then(|| f.modes_mobilisation.join(", ")),
        par,
        f.mobilisation_precisions.clone(),
    ]
    .into_iter()
    .flatten()
    .collect();
    (!parties.is_empty()).then(|| parties.join(" — "))
}

fn fiche(o: &OffreStockee) -> Fiche {
    let f = &o.offre;
    let themes: Vec<String> = f
        .thematiques
        .iter()
        .map(|t| match thematiques::libelle(t) {
            // A category alone (`numerique`) has a label too: « Numérique (numerique) ».
            l if l != t => format!("{l} ({t})"),
            _ => t.clone(),
        })
        .collect();
    let commune = f.commune.as_deref().and_then(communes::par_code).map(|c| c.to_string());
    let statut = match o.retiree_le {
        Some(d) => format!("retirée le {}", crate::domain::date::fr(d)),
        None => "active".into(),
    };
    Fiche {
        sections: vec![
            Section::new(format!("Offre {} — {}", o.id, f.nom))
                .champ("Structure", f.structure_nom.clone())
                .champ("Description", f.description.clone())
                .champ("Thématiques", themes.join(", "))
                .champ("Types", f.types.join(", "))
                .champ("Publics", f.publics.join(", "))
                .champ("Conditions d'accès", f.conditions_acces.clone())
                .champ("Durée", duree(f))
                .champ("Frais", f.frais.clone())
                .champ("Accueil", f.modes_accueil.join(", "))
                .champ("Zone d'éligibilité", f.zone_eligibilite.join(", ")),
            Section::new("Où et comment")
                .champ("Adresse", f.adresse.clone())
                .champ("Commune", commune)
                .champ("Code postal", f.code_postal.clone())
                .champ("Code INSEE", f.commune.clone())
                .champ("Téléphone", f.telephone.clone())
                .champ("Courriel", f.courriel.clone())
                .champ(
                    "Horaires",
                    f.horaires_accueil
                        .as_deref()
                        .map(crate::domain::offre::horaires_lisibles),
                )
                .champ("Mobilisation", mobilisation(f))
                .champ("Lien", f.lien_mobilisation.clone()),
            Section::new("Catalogue")
                .champ("Source", o.source.clone())
                .champ("Identifiant dans la source", f.identifiant.clone())
                .champ("Page dans la source", f.lien_source.clone())
                .champ(
                    "Lue dans",
                    (o.provenance.as_ref()).map(|p| format!("ligne {} de {}", p.ligne, p.fichier)),
                )
                .champ("Mise à jour", f.date_maj)
                .champ("Qualité", crate::domain::texte::decimal(f.score_qualite, 2))
                .champ("Statut", statut),
        ],
    }
}
