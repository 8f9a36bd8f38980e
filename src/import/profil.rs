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
//! [horaires]            # opening hours, one column per day, into horaires_accueil
//! Mo = "h_lundi"
//! ```

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{Context, Result};
use serde::Deserialize;

use crate::domain::offre::{Champ, JOURS, NOMS_DES_JOURS};
use crate::domain::texte::{APERCU, apercu, normaliser};
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
    /// Day (`Mo`…`Su`) → the column of its opening hours.
    #[serde(default)]
    pub horaires: BTreeMap<String, String>,
}

/// A row's opening hours in data·inclusion's format, and what turning them so found.
#[derive(Debug, Default, PartialEq)]
pub struct Horaires {
    /// `None` when no day has any, or when one day's cannot be published.
    pub osm: Option<String>,
    /// Each finding, worded with the value it is about.
    pub constats: Vec<String>,
}

/// A time of day, `09:00`, `9:00`, `9h`, `09h30`, in minutes from midnight (`24:00` is the
/// end of the day).
fn heure(texte: &str) -> Option<u32> {
    let texte = texte.trim().to_lowercase();
    let (h, m) = texte.split_once([':', 'h']).unwrap_or((&texte, ""));
    let chiffres = |t: &str, max: usize| (1..=max).contains(&t.len()) && t.bytes().all(|b| b.is_ascii_digit());
    if !chiffres(h, 2) || !(m.is_empty() || (m.len() == 2 && chiffres(m, 2))) {
        return None;
    }
    let (h, m): (u32, u32) = (h.parse().ok()?, if m.is_empty() { 0 } else { m.parse().ok()? });
    (h < 24 && m < 60 || h == 24 && m == 0).then_some(h * 60 + m)
}

/// A range `09:00 - 12:00` (or `9h-12h`, `09:00 – 12:00`) as its start and end.
fn plage(texte: &str) -> Option<(u32, u32)> {
    let (debut, fin) = texte.split_once(['-', '–', '—']).or_else(|| texte.split_once(" à "))?;
    Some((heure(debut)?, heure(fin)?))
}

fn hh_mm(minutes: u32) -> String {
    format!("{:02}:{:02}", minutes / 60, minutes % 60)
}

/// The opening hours of a week, day by day as a partner writes them (`09:00 - 12:00 /
/// 14:00 - 16:30`), in the `opening_hours` format (`Mo 09:00-12:00,14:00-16:30; Tu …`).
/// Days without hours are left out (they read as closed). An empty range (`00:00 -
/// 00:00`, what the France services list writes for none) is dropped; a day whose ranges
/// cannot be read, run backwards or overlap makes the whole week unpublished, since
/// leaving that day out would say it is closed.
pub fn horaires_osm(jours: &[(&str, &str)]) -> Horaires {
    let mut horaires = Horaires::default();
    let mut parties = Vec::new();
    let mut publiables = true;
    for (jour, cellule) in jours {
        let mut plages = Vec::new();
        let mut motif = None;
        for morceau in cellule.split(['/', ',', ';']).map(str::trim).filter(|p| !p.is_empty()) {
            match plage(morceau) {
                Some((debut, fin)) if debut == fin => horaires
                    .constats
                    .push(format!("plage horaire vide « {} », ignorée", apercu(morceau, APERCU))),
                Some((debut, fin)) if fin < debut => {
                    motif.get_or_insert("une plage finit avant de commencer");
                }
                Some(p) => plages.push(p),
                None => {
                    motif.get_or_insert("une plage est illisible (attendu par exemple 09:00 - 12:00)");
                }
            }
        }
        plages.sort_unstable();
        if plages.windows(2).any(|p| p[1].0 < p[0].1) {
            motif.get_or_insert("des plages se chevauchent");
        }
        if let Some(motif) = motif {
            let nom = JOURS
                .iter()
                .position(|j| j == jour)
                .map_or(*jour, |i| NOMS_DES_JOURS[i]);
            horaires.constats.push(format!(
                "horaires du {nom} « {} » : {motif} ; horaires de l'offre non publiés",
                apercu(cellule.trim(), APERCU)
            ));
            publiables = false;
        }
        if !plages.is_empty() {
            let plages: Vec<String> = plages
                .iter()
                .map(|(debut, fin)| format!("{}-{}", hh_mm(*debut), hh_mm(*fin)))
                .collect();
            parties.push(format!("{jour} {}", plages.join(",")));
        }
    }
    horaires.osm = (publiables && !parties.is_empty()).then(|| parties.join("; "));
    horaires
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
    /// (field, normalised value of the file) → value, and the file's value as the
    /// profile writes it.
    pub valeurs: Vec<(Champ, String, String, String)>,
    /// (day, column), in the week's order.
    pub horaires: Vec<(&'static str, String)>,
}

/// Where the rows' findings about a [fixe] value are told: once, as the profile's (see
/// [`ProfilVerifie::constats`]), not on every row it completes.
pub fn colonne_du_fixe(champ: Champ) -> String {
    format!("profil ({})", champ.code())
}

/// What checking a value the profile writes finds (see [`ProfilVerifie::constats`]).
pub struct Constat {
    /// The profile's key as written: `[fixe] frais = « gratos »`, `[valeurs.thematiques]
    /// « Jardinage » = « … »`.
    pub cle: String,
    /// The section to correct: `[fixe]`, `[valeurs.thematiques]`.
    pub section: String,
    /// The column the rows' findings about a [fixe] value are told under.
    pub colonne: String,
    pub message: String,
    /// The profile cannot be used: a value no row could take, or a [valeurs] target that
    /// is no code of its list.
    pub refuse: bool,
}

impl ProfilVerifie {
    /// What checking each value the profile writes finds, once, before any row is read:
    /// each [fixe] value (an unknown fee, a date to come…) and each [valeurs] target (a
    /// thematique that does not exist…). A mistake of the profile is told with its key
    /// rather than on every row it would reach.
    pub fn constats(&self, aujourdhui: chrono::NaiveDate, departement: &str) -> Vec<Constat> {
        let fixes = self.fixe.iter().map(|(champ, valeur)| {
            (
                *champ,
                valeur,
                format!("[fixe] {} = « {} »", champ.code(), apercu(valeur, APERCU)),
                "[fixe]".to_owned(),
                colonne_du_fixe(*champ),
            )
        });
        let valeurs = self.valeurs.iter().map(|(champ, _, vers, de)| {
            let section = format!("[valeurs.{}]", champ.code());
            (
                *champ,
                vers,
                format!("{section} « {} » = « {} »", apercu(de, APERCU), apercu(vers, APERCU)),
                section.clone(),
                format!("profil {section}"),
            )
        });
        let mut constats = Vec::new();
        for (champ, valeur, cle, section, colonne) in fixes.chain(valeurs) {
            let brut: crate::domain::offre::Brut = [
                (Champ::Id, ("profil".to_owned(), "id".into())),
                (Champ::Nom, ("profil".to_owned(), "nom".into())),
                (champ, (valeur.clone(), colonne.as_str().into())),
            ]
            .into_iter()
            .collect();
            let (_, problemes) = crate::domain::offre::verifier(&brut, aujourdhui, departement);
            let de_valeurs = section != "[fixe]";
            constats.extend(problemes.into_iter().filter(|p| p.colonne == colonne).map(|p| Constat {
                cle: cle.clone(),
                section: section.clone(),
                colonne: colonne.clone(),
                refuse: p.gravite == crate::domain::offre::Gravite::Erreur || (de_valeurs && champ.est_code()),
                message: p.message,
            }));
        }
        constats
    }
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
                        .map(|(de, vers)| (c, normaliser(de), vers.clone(), de.clone()))
                        .collect::<Vec<_>>())
                })
                .collect::<Result<Vec<_>>>()?
                .into_iter()
                .flatten()
                .collect(),
            horaires: {
                if let Some(inconnu) = self.horaires.keys().find(|j| !JOURS.contains(&j.as_str())) {
                    return Err(erreur(format!(
                        "profil {} : jour « {} » inconnu dans [horaires]",
                        chemin.display(),
                        crate::domain::texte::apercu(inconnu, crate::domain::texte::APERCU)
                    ))
                    .aide(format!("jours possibles : {}", JOURS.join(", ")))
                    .into());
                }
                JOURS
                    .iter()
                    .filter_map(|j| self.horaires.get(*j).map(|c| (*j, c.clone())))
                    .collect()
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opening_hours_are_written_as_data_inclusion_reads_them() {
        assert_eq!(
            horaires_osm(&[
                ("Mo", "14:00 - 16:30"),
                ("Tu", "09:00 - 12:00 / 14:00 - 16:30"),
                ("We", ""),
                ("Th", "14h - 16h30 / 9h-12h"),
                ("Sa", " 09:00 - 12:00 "),
            ])
            .osm
            .as_deref(),
            Some("Mo 14:00-16:30; Tu 09:00-12:00,14:00-16:30; Th 09:00-12:00,14:00-16:30; Sa 09:00-12:00")
        );
        assert_eq!(horaires_osm(&[("Mo", ""), ("Tu", " ")]), Horaires::default());
    }

    #[test]
    fn empty_backward_overlapping_or_unreadable_ranges_are_never_published() {
        let vide = horaires_osm(&[("Mo", "00:00 - 00:00 / 09:00 - 12:00"), ("Tu", "00:00 - 00:00")]);
        assert_eq!(vide.osm.as_deref(), Some("Mo 09:00-12:00"));
        assert_eq!(vide.constats.len(), 2);
        for (cellule, motif) in [
            ("09:00 - 16:30 / 13:30 - 16:30", "se chevauchent"),
            ("12:00 - 09:00", "finit avant"),
            ("9:00 - 25:00", "illisible"),
            ("sur rendez-vous", "illisible"),
        ] {
            let h = horaires_osm(&[("Mo", "09:00 - 12:00"), ("Fr", cellule)]);
            assert_eq!(h.osm, None, "{cellule}");
            assert!(
                h.constats[0].contains(motif) && h.constats[0].contains("vendredi"),
                "{:?}",
                h.constats
            );
        }
        // Ranges that touch do not overlap.
        assert!(horaires_osm(&[("Mo", "09:00-12:00 / 12:00-14:00")]).osm.is_some());
    }

    proptest::proptest! {
        /// Whatever a cell holds, what is published is ranges of real times, each ending
        /// after it starts, none overlapping the next.
        #[test]
        fn published_hours_are_always_possible(cellule in "[0-9:h /;,-]{0,30}") {
            if let Some(osm) = horaires_osm(&[("Mo", &cellule)]).osm {
                let plages: Vec<(u32, u32)> = osm
                    .trim_start_matches("Mo ")
                    .split(',')
                    .map(|p| plage(p).unwrap())
                    .collect();
                proptest::prop_assert!(plages.iter().all(|(d, f)| d < f));
                proptest::prop_assert!(plages.windows(2).all(|p| p[0].1 <= p[1].0));
            }
        }
    }
}
