//! A diagnostic's answers, when it is complete, the orientation it suggests and what
//! changed between two diagnostics.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::grille::{Dimension, Niveau, NiveauFormation, Projet};

crate::codes! {
    /// The kind of parcours a person is oriented to.
    pub enum Orientation {
        /// Parcours emploi
        Pro = "pro" / "emploi",
        /// Parcours socio-professionnel (global)
        Sociopro = "sociopro" / "socio-professionnelle",
        /// Parcours préalable à vocation d'insertion sociale
        Social = "social" / "sociale",
    }
}

/// One constraint as assessed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, remote = "Self")]
pub struct Contrainte {
    pub niveau: Option<Niveau>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub situations: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commentaire: Option<String>,
}

impl Contrainte {
    pub fn niveau(&self) -> Niveau {
        self.niveau.unwrap_or(Niveau::NonAborde)
    }
}

/// The answers of a diagnostic. Missing answers stay missing (`non-aborde`, `None`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, remote = "Self")]
pub struct Reponses {
    #[serde(default)]
    pub contraintes: BTreeMap<Dimension, Contrainte>,
    #[serde(default)]
    pub activite_24_mois: Option<bool>,
    #[serde(default)]
    pub projet: Option<Projet>,
    #[serde(default)]
    pub niveau_formation: Option<NiveauFormation>,
    #[serde(default)]
    pub besoins: Vec<String>,
}

/// serde's derive also reads a struct from a list of its fields in order
/// (`["fort", ["sans-permis"]]`); a document of answers has objects there, as documented:
/// these types are read from a map only. `remote = "Self"` makes the derived code inherent
/// functions, which the trait implementations below call.
macro_rules! objet_seulement {
    ($($type_:ident),+) => {$(
        impl Serialize for $type_ {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                $type_::serialize(self, s)
            }
        }

        impl<'de> Deserialize<'de> for $type_ {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                struct Visiteur;
                impl<'de> serde::de::Visitor<'de> for Visiteur {
                    type Value = $type_;
                    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                        f.write_str(concat!("struct ", stringify!($type_)))
                    }
                    fn visit_map<A: serde::de::MapAccess<'de>>(self, map: A) -> Result<$type_, A::Error> {
                        $type_::deserialize(serde::de::value::MapAccessDeserializer::new(map))
                    }
                }
                d.deserialize_map(Visiteur)
            }
        }
    )+};
}

objet_seulement!(Contrainte, Reponses);

impl Reponses {
    pub fn niveau(&self, d: Dimension) -> Niveau {
        self.contraintes.get(&d).map_or(Niveau::NonAborde, Contrainte::niveau)
    }

    /// No answer at all: no constraint addressed, situation or comment, no professional
    /// answer, no need. Such a diagnostic says nothing and is not recorded.
    pub fn est_vide(&self) -> bool {
        self.contraintes
            .values()
            .all(|c| c.niveau() == Niveau::NonAborde && c.situations.is_empty() && c.commentaire.is_none())
            && self.activite_24_mois.is_none()
            && self.projet.is_none()
            && self.niveau_formation.is_none()
            && self.besoins.is_empty()
    }

    /// The eight constraints addressed and the three professional answers given.
    pub fn complet(&self) -> bool {
        Dimension::TOUS.iter().all(|d| self.niveau(*d) != Niveau::NonAborde)
            && self.activite_24_mois.is_some()
            && self.projet.is_some()
            && self.niveau_formation.is_some()
    }

    /// What is missing for the diagnostic to be complete, in French.
    pub fn manques(&self) -> Vec<String> {
        let mut manques: Vec<String> = Dimension::TOUS
            .iter()
            .filter(|d| self.niveau(**d) == Niveau::NonAborde)
            .map(|d| d.mot().to_owned())
            .collect();
        if self.activite_24_mois.is_none() {
            manques.push("activité sur 24 mois".into());
        }
        if self.projet.is_none() {
            manques.push("projet".into());
        }
        if self.niveau_formation.is_none() {
            manques.push("niveau de formation".into());
        }
        manques
    }

    /// The barriers: constraints rated moyen or fort.
    pub fn freins(&self) -> Vec<(Dimension, Niveau)> {
        Dimension::TOUS
            .iter()
            .map(|d| (*d, self.niveau(*d)))
            .filter(|(_, n)| n.est_un_frein())
            .collect()
    }
}

/// Checks what serde or the flags cannot: situations of the right dimension, known
/// needs, bounded comments. Errors name the field.
pub fn valider(mut r: Reponses) -> Result<Reponses, String> {
    for (dimension, contrainte) in &mut r.contraintes {
        for situation in &mut contrainte.situations {
            *situation = dimension.situation(situation)?.to_owned();
        }
        contrainte
            .situations
            .sort_by_key(|s| dimension.definition().situations.iter().position(|(c, _)| c == s));
        contrainte.situations.dedup();
        if let Some(c) = &contrainte.commentaire {
            let c = super::texte::champ_libre(&format!("commentaire ({})", dimension.code()), c, 2000)?;
            contrainte.commentaire = (!c.is_empty()).then_some(c);
        }
    }
    r.besoins = r
        .besoins
        .iter()
        .map(|b| super::grille::besoin(b))
        .collect::<Result<_, _>>()?;
    r.besoins.sort();
    r.besoins.dedup();
    Ok(r)
}

/// The orientation the grid suggests, the rule that fired (1 to 4) and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Suggestion {
    pub orientation: Orientation,
    pub regle: u8,
    pub explication: String,
}

fn liste(dimensions: &[Dimension]) -> String {
    dimensions.iter().map(|d| d.mot()).collect::<Vec<_>>().join(", ")
}

/// The first rule that applies wins (see the guide's grid and orientation rule). An unanswered `activite_24_mois` is
/// not "no" (rule 1 needs a recorded no); an unanswered `projet` is not "defini".
pub fn suggerer(r: &Reponses) -> Suggestion {
    let forts: Vec<Dimension> = r
        .freins()
        .iter()
        .filter(|(_, n)| *n == Niveau::Fort)
        .map(|(d, _)| *d)
        .collect();
    let moyens: Vec<Dimension> = r
        .freins()
        .iter()
        .filter(|(_, n)| *n == Niveau::Moyen)
        .map(|(d, _)| *d)
        .collect();
    if !forts.is_empty() && r.activite_24_mois == Some(false) {
        return Suggestion {
            orientation: Orientation::Social,
            regle: 1,
            explication: format!(
                "frein fort ({}) et aucune activité depuis 24 mois : parcours préalable à vocation d'insertion sociale",
                liste(&forts)
            ),
        };
    }
    if !forts.is_empty() {
        return Suggestion {
            orientation: Orientation::Sociopro,
            regle: 2,
            explication: format!("frein fort ({}) : parcours socio-professionnel", liste(&forts)),
        };
    }
    if moyens.len() >= 2 {
        return Suggestion {
            orientation: Orientation::Sociopro,
            regle: 2,
            explication: format!(
                "{} freins moyens ({}) : parcours socio-professionnel",
                moyens.len(),
                liste(&moyens)
            ),
        };
    }
    let projet_flou = r.projet != Some(Projet::Defini);
    let sans_qualification = r.niveau_formation == Some(NiveauFormation::Infra3);
    if moyens.len() == 1 && (projet_flou || sans_qualification) {
        let raison = match (projet_flou, sans_qualification) {
            (true, true) => "projet non défini et sans qualification",
            (true, false) => "projet professionnel non défini",
            _ => "sans qualification (infra 3)",
        };
        return Suggestion {
            orientation: Orientation::Sociopro,
            regle: 3,
            explication: format!(
                "un frein moyen ({}) et {raison} : parcours socio-professionnel",
                liste(&moyens)
            ),
        };
    }
    let explication = match moyens.first() {
        Some(d) => format!(
            "un seul frein moyen ({}), projet défini et qualification : parcours emploi",
            d.code()
        ),
        None => "aucun frein moyen ou fort : parcours emploi".to_string(),
    };
    Suggestion {
        orientation: Orientation::Pro,
        regle: 4,
        explication,
    }
}

crate::codes! {
    /// How a constraint moved between two diagnostics.
    pub enum Evolution {
        /// Frein levé (moyen ou fort → sans impact)
        Resolu = "resolu" / "levé",
        /// Nouveau frein (non abordé ou sans impact → moyen ou fort)
        Apparu = "apparu",
        /// Frein aggravé (moyen → fort)
        Aggrave = "aggrave" / "aggravé",
        /// Frein atténué (fort → moyen)
        Attenue = "attenue" / "atténué",
        /// Abordé pour la première fois sans frein, ou plus abordé
        Precise = "precise" / "précisé",
        /// Sans changement
        Inchange = "inchange" / "inchangé",
    }
}

pub fn evolution(avant: Niveau, apres: Niveau) -> Evolution {
    use Niveau::*;
    match (avant, apres) {
        (a, b) if a == b => Evolution::Inchange,
        (Moyen | Fort, SansImpact) => Evolution::Resolu,
        (NonAborde | SansImpact, Moyen | Fort) => Evolution::Apparu,
        (Moyen, Fort) => Evolution::Aggrave,
        (Fort, Moyen) => Evolution::Attenue,
        _ => Evolution::Precise,
    }
}

/// A recorded diagnostic: its answers and the suggestion shown then.
#[derive(Debug, Clone, Serialize)]
pub struct Diagnostic {
    pub id: i64,
    #[serde(skip)]
    pub parcours_id: i64,
    pub date: NaiveDate,
    pub agent: String,
    /// Who recorded it, by name; for a diagnostic received from a partner, its author
    /// there (the `agent` is then the one who received it).
    pub agent_nom: String,
    #[serde(flatten)]
    pub reponses: Reponses,
    pub complet: bool,
    /// The suggestion shown when it was recorded.
    pub suggestion: Suggestion,
    /// Entered by mistake (kept, but out of statistics, comparisons and the dossier's
    /// latest diagnostic).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub saisi_par_erreur: Option<SaisieErronee>,
}

/// When a diagnostic was marked as entered by mistake, and why.
#[derive(Debug, Clone, Serialize)]
pub struct SaisieErronee {
    pub le: NaiveDate,
    pub motif: String,
}

/// An open parcours waiting for its first diagnostic.
#[derive(Debug, Serialize)]
pub struct SansDiagnostic {
    pub dossier: i64,
    pub nom: String,
    pub prenom: String,
    pub entree: NaiveDate,
    pub jours: i64,
    /// The référent's identifier.
    pub referent: Option<String>,
    /// The référent as named to the reader.
    pub referent_nom: Option<String>,
}

/// An orientation decision.
#[derive(Debug, Clone, Serialize)]
pub struct Decision {
    pub date: NaiveDate,
    pub orientation: Orientation,
    pub motif: Option<String>,
    pub agent: String,
    /// The agent's name as the reader sees it, when read back for a reader.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub agent_nom: Option<String>,
    /// What the last diagnostic suggested at the time, if there was one.
    pub suggestion: Option<Orientation>,
    /// Whether the decision follows the suggestion (`None` without a suggestion).
    pub conforme: Option<bool>,
}

impl Decision {
    pub fn new(
        date: NaiveDate,
        orientation: Orientation,
        motif: Option<String>,
        agent: String,
        suggestion: Option<Orientation>,
    ) -> Decision {
        let conforme = suggestion.map(|s| s == orientation);
        Decision {
            date,
            orientation,
            motif,
            agent,
            agent_nom: None,
            suggestion,
            conforme,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn reponses(
        niveaux: &[(Dimension, Niveau)],
        activite: Option<bool>,
        projet: Option<Projet>,
        niveau: Option<NiveauFormation>,
    ) -> Reponses {
        Reponses {
            contraintes: niveaux
                .iter()
                .map(|(d, n)| {
                    (
                        *d,
                        Contrainte {
                            niveau: Some(*n),
                            ..Contrainte::default()
                        },
                    )
                })
                .collect(),
            activite_24_mois: activite,
            projet,
            niveau_formation: niveau,
            besoins: Vec::new(),
        }
    }

    use Dimension::*;
    use Niveau::*;

    #[test]
    fn only_a_diagnostic_without_any_answer_is_empty() {
        assert!(Reponses::default().est_vide());
        assert!(reponses(&[(Sante, NonAborde), (Langue, NonAborde)], None, None, None).est_vide());
        assert!(!reponses(&[(Sante, SansImpact)], None, None, None).est_vide());
        assert!(!reponses(&[], Some(false), None, None).est_vide());
        assert!(!reponses(&[], None, None, Some(NiveauFormation::Infra3)).est_vide());
        let mut situation = Reponses::default();
        situation
            .contraintes
            .entry(Mobilite)
            .or_default()
            .situations
            .push("sans-permis".into());
        assert!(!situation.est_vide());
        let besoin = Reponses {
            besoins: vec!["se-former--trouver-sa-formation".into()],
            ..Reponses::default()
        };
        assert!(!besoin.est_vide());
    }

    #[test]
    fn rule_1_a_strong_barrier_without_activity_is_social() {
        let s = suggerer(&reponses(
            &[(Sante, Fort)],
            Some(false),
            Some(Projet::Defini),
            Some(NiveauFormation::N4),
        ));
        assert_eq!((s.orientation, s.regle), (Orientation::Social, 1));
        assert!(s.explication.contains("santé"), "{}", s.explication);
    }

    #[test]
    fn rule_2_a_strong_barrier_or_two_medium_ones_is_sociopro() {
        let s = suggerer(&reponses(&[(Sante, Fort)], Some(true), Some(Projet::Defini), None));
        assert_eq!((s.orientation, s.regle), (Orientation::Sociopro, 2));
        // Unknown activity is not "no": rule 1 does not fire.
        let s = suggerer(&reponses(&[(Logement, Fort)], None, None, None));
        assert_eq!((s.orientation, s.regle), (Orientation::Sociopro, 2));
        let s = suggerer(&reponses(
            &[(Mobilite, Moyen), (Numerique, Moyen)],
            Some(false),
            Some(Projet::Defini),
            None,
        ));
        assert_eq!((s.orientation, s.regle), (Orientation::Sociopro, 2));
        assert!(s.explication.contains("mobilité, numérique"), "{}", s.explication);
    }

    #[test]
    fn rule_3_one_medium_barrier_and_a_fuzzy_project_or_no_qualification_is_sociopro() {
        for (projet, niveau) in [
            (Some(Projet::APreciser), Some(NiveauFormation::N4)),
            (Some(Projet::Aucun), None),
            (None, Some(NiveauFormation::N5)),
            (Some(Projet::Defini), Some(NiveauFormation::Infra3)),
        ] {
            let s = suggerer(&reponses(
                &[(Mobilite, Moyen), (Sante, SansImpact)],
                Some(true),
                projet,
                niveau,
            ));
            assert_eq!(
                (s.orientation, s.regle),
                (Orientation::Sociopro, 3),
                "{projet:?} {niveau:?}"
            );
        }
    }

    #[test]
    fn rule_4_otherwise_pro() {
        let s = suggerer(&reponses(
            &[(Mobilite, Moyen)],
            Some(true),
            Some(Projet::Defini),
            Some(NiveauFormation::N3),
        ));
        assert_eq!((s.orientation, s.regle), (Orientation::Pro, 4));
        let s = suggerer(&Reponses::default());
        assert_eq!((s.orientation, s.regle), (Orientation::Pro, 4));
        let s = suggerer(&reponses(
            &[(Famille, SansImpact)],
            Some(false),
            Some(Projet::Aucun),
            Some(NiveauFormation::Infra3),
        ));
        assert_eq!((s.orientation, s.regle), (Orientation::Pro, 4));
    }

    #[test]
    fn completeness_needs_every_constraint_and_the_three_professional_answers() {
        let toutes: Vec<(Dimension, Niveau)> = Dimension::TOUS.iter().map(|d| (*d, SansImpact)).collect();
        let mut r = reponses(&toutes, Some(true), Some(Projet::Defini), Some(NiveauFormation::N4));
        assert!(r.complet());
        assert!(r.manques().is_empty());
        r.niveau_formation = None;
        assert!(!r.complet());
        assert_eq!(r.manques(), ["niveau de formation"]);
        r.contraintes.remove(&Numerique);
        assert_eq!(r.manques(), ["numérique", "niveau de formation"]);
    }

    #[test]
    fn validation_checks_situations_needs_and_comments() {
        let mut r = reponses(&[(Mobilite, Fort)], None, None, None);
        r.contraintes.get_mut(&Mobilite).unwrap().situations =
            vec!["sans-vehicule".into(), "sans-permis".into(), "sans-permis".into()];
        r.besoins = vec!["se-former".into(), "se-former".into()];
        let v = valider(r.clone()).unwrap();
        assert_eq!(
            v.contraintes[&Mobilite].situations,
            ["sans-permis", "sans-vehicule"],
            "grid order, no repeats"
        );
        assert_eq!(v.besoins, ["se-former"]);
        r.contraintes.get_mut(&Mobilite).unwrap().situations = vec!["garde-enfants".into()];
        assert!(valider(r.clone()).unwrap_err().contains("inconnue pour mobilite"));
        r.contraintes.get_mut(&Mobilite).unwrap().situations.clear();
        r.contraintes.get_mut(&Mobilite).unwrap().commentaire = Some("a\u{7}b".into());
        assert!(valider(r.clone()).unwrap_err().contains("commentaire (mobilite)"));
        r.contraintes.get_mut(&Mobilite).unwrap().commentaire = None;
        r.besoins = vec!["trouver-un-emploi--chercher".into()];
        assert!(
            valider(r)
                .unwrap_err()
                .contains("besoin « trouver-un-emploi--chercher » inconnu")
        );
    }

    #[test]
    fn evolutions_between_two_levels() {
        assert_eq!(evolution(Fort, SansImpact), Evolution::Resolu);
        assert_eq!(evolution(NonAborde, Moyen), Evolution::Apparu);
        assert_eq!(evolution(Moyen, Fort), Evolution::Aggrave);
        assert_eq!(evolution(Fort, Moyen), Evolution::Attenue);
        assert_eq!(evolution(NonAborde, SansImpact), Evolution::Precise);
        assert_eq!(evolution(Moyen, Moyen), Evolution::Inchange);
    }

    fn niveau() -> impl Strategy<Value = Niveau> {
        prop::sample::select(Niveau::TOUS.to_vec())
    }

    proptest! {
        /// Every answer set gets exactly one orientation, and the rule given is the first
        /// one of the orientation rule that applies, restated here independently.
        #[test]
        fn every_answer_set_gets_the_first_applicable_rule(
            niveaux in prop::collection::vec(niveau(), 8),
            activite in prop::option::of(any::<bool>()),
            projet in prop::option::of(prop::sample::select(Projet::TOUS.to_vec())),
            formation in prop::option::of(prop::sample::select(NiveauFormation::TOUS.to_vec())),
        ) {
            let paires: Vec<(Dimension, Niveau)> = Dimension::TOUS.iter().copied().zip(niveaux.iter().copied()).collect();
            let r = reponses(&paires, activite, projet, formation);
            let forts = niveaux.iter().filter(|n| **n == Fort).count();
            let moyens = niveaux.iter().filter(|n| **n == Moyen).count();
            let attendu = if forts > 0 && activite == Some(false) {
                (Orientation::Social, 1)
            } else if forts > 0 || moyens >= 2 {
                (Orientation::Sociopro, 2)
            } else if moyens == 1 && (projet != Some(Projet::Defini) || formation == Some(NiveauFormation::Infra3)) {
                (Orientation::Sociopro, 3)
            } else {
                (Orientation::Pro, 4)
            };
            let s = suggerer(&r);
            prop_assert_eq!((s.orientation, s.regle), attendu);
            prop_assert!(!s.explication.is_empty());
        }

        #[test]
        fn answers_round_trip_through_json(niveaux in prop::collection::vec(niveau(), 8), activite in prop::option::of(any::<bool>())) {
            let paires: Vec<(Dimension, Niveau)> = Dimension::TOUS.iter().copied().zip(niveaux).collect();
            let r = reponses(&paires, activite, Some(Projet::APreciser), Some(NiveauFormation::Infra3));
            let json = serde_json::to_string(&r).unwrap();
            prop_assert_eq!(serde_json::from_str::<Reponses>(&json).unwrap(), r);
        }
    }
}
