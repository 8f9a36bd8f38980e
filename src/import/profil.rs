//! A TOML profile maps a partner's layout to data·inclusion fields:
//!
//! ```toml
//! [colonnes]            # field = the file's column
//! id = "id_fs"
//! nom = "lib_fs"
//! [fixe]                # value of a field for every row that has none
//! thematiques = "numerique--acceder-a-des-services-en-ligne"
//! [valeurs.thematiques] # the file's values translated, item by item
//! "Accès aux droits" = "difficultes-administratives-ou-juridiques"
//! ```

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{Context, Result};
use serde::Deserialize;

use crate::domain::offre::Champ;
use crate::domain::texte::normaliser;
use crate::error::erreur;

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Profil {
    #[serde(default)]
    pub colonnes: BTreeMap<String, String>,
    #[serde(default)]
    pub fixe: BTreeMap<String, String>,
    #[serde(default)]
    pub valeurs: BTreeMap<String, BTreeMap<String, String>>,
}

fn champ(nom: &str, chemin: &Path) -> Result<Champ> {
    Champ::depuis_code(nom).ok_or_else(|| {
        erreur(format!("profil {} : champ « {nom} » inconnu", chemin.display()))
            .aide(format!("champs possibles : {}", Champ::codes_valides()))
            .into()
    })
}

/// The TOML reader's own syntax errors, in French (serde's are translated by
/// [`crate::error::serde_en_francais`]).
fn syntaxe(message: &str) -> String {
    let quoi = message.split(", expected").next().unwrap_or(message);
    match quoi {
        "duplicate key" => "clé en double",
        "unclosed table" | "unclosed array table" => "en-tête de section non fermé (« ] » manquant)",
        "string values must be quoted" => "valeur sans guillemets",
        "missing value" | "missing value for key" | "key with no value" => "valeur manquante après « = »",
        "missing assignment between key-value pairs" | "invalid key-value pair" => "ligne attendue : cle = \"valeur\"",
        "unclosed array" => "liste non fermée (« ] » manquant)",
        "unclosed inline table" => "table non fermée (« } » manquant)",
        _ => "syntaxe TOML invalide",
    }
    .to_owned()
}

/// A profile, checked: every field named exists.
pub struct ProfilVerifie {
    pub colonnes: Vec<(Champ, String)>,
    pub fixe: Vec<(Champ, String)>,
    /// (field, normalised value of the file) → value.
    pub valeurs: Vec<(Champ, String, String)>,
}

impl Profil {
    pub fn lire(chemin: &Path) -> Result<Profil> {
        let texte = std::fs::read_to_string(chemin)
            .with_context(|| format!("impossible de lire le profil {}", chemin.display()))?;
        toml::from_str(&texte).map_err(|e| {
            let ligne = e.span().map_or(1, |s| {
                let avant = &texte.as_bytes()[..s.start.min(texte.len())];
                avant.iter().filter(|o| **o == b'\n').count() + 1
            });
            let explication = crate::error::serde_en_francais(e.message()).unwrap_or_else(|| syntaxe(e.message()));
            erreur(format!(
                "profil {} illisible, ligne {ligne} : {explication}",
                chemin.display()
            ))
            .aide(
                "un profil a les sections [colonnes], [fixe] et [valeurs.CHAMP], chaque valeur entre guillemets : \
                     voir « Un profil pour toute autre présentation » dans docs/guide.md",
            )
            .into()
        })
    }

    pub fn verifier(&self, chemin: &Path) -> Result<ProfilVerifie> {
        Ok(ProfilVerifie {
            colonnes: self
                .colonnes
                .iter()
                .map(|(c, col)| Ok((champ(c, chemin)?, col.clone())))
                .collect::<Result<_>>()?,
            fixe: self
                .fixe
                .iter()
                .map(|(c, v)| Ok((champ(c, chemin)?, v.clone())))
                .collect::<Result<_>>()?,
            valeurs: self
                .valeurs
                .iter()
                .map(|(c, table)| {
                    let c = champ(c, chemin)?;
                    Ok(table
                        .iter()
                        .map(|(de, vers)| (c, normaliser(de), vers.clone()))
                        .collect::<Vec<_>>())
                })
                .collect::<Result<Vec<_>>>()?
                .into_iter()
                .flatten()
                .collect(),
        })
    }
}
