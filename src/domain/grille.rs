//! The diagnostic grid: eight social constraints with their situations,
//! and the professional part. Data, not code: the prompts, the flags, the JSON schema and
//! `spie diagnostic grille` all read it from here.

use serde::Serialize;

crate::codes! {
    /// A social constraint (frein) of the grid.
    pub enum Dimension {
        /// Mobilité
        Mobilite = "mobilite" / "mobilité",
        /// Contraintes familiales
        Famille = "famille",
        /// Santé
        Sante = "sante" / "santé",
        /// Lecture, écriture, calcul, français
        Langue = "langue",
        /// Logement, hébergement
        Logement = "logement",
        /// Difficultés financières
        Finances = "finances",
        /// Difficultés administratives ou juridiques
        Administratif = "administratif",
        /// Numérique
        Numerique = "numerique" / "numérique",
    }
}

crate::codes! {
    /// How much a constraint weighs on the return to work (réseau pour l'emploi).
    pub enum Niveau {
        /// Pas abordé lors de l'entretien
        NonAborde = "non-aborde" / "non abordé",
        /// Abordé, sans impact sur le retour à l'emploi
        SansImpact = "sans-impact" / "sans impact",
        /// Impact moyen
        Moyen = "moyen",
        /// Impact fort
        Fort = "fort",
    }
}

crate::codes! {
    /// Whether the person has a professional project.
    pub enum Projet {
        /// Projet professionnel défini
        Defini = "defini" / "défini",
        /// Projet à préciser
        APreciser = "a-preciser" / "à préciser",
        /// Pas de projet
        Aucun = "aucun",
    }
}

crate::codes! {
    /// Level of education, 2019 national nomenclature.
    pub enum NiveauFormation {
        /// Sans diplôme ni qualification (infra 3)
        Infra3 = "infra-3",
        /// CAP, BEP
        N3 = "3",
        /// Baccalauréat
        N4 = "4",
        /// Bac + 2
        N5 = "5",
        /// Bac + 3, licence
        N6 = "6",
        /// Bac + 5, master
        N7 = "7",
        /// Doctorat
        N8 = "8",
    }
}

/// One constraint of the grid.
#[derive(Debug, Serialize)]
pub struct DefinitionDimension {
    pub dimension: Dimension,
    pub libelle: &'static str,
    /// France Travail code (23 to 29), none for numérique.
    pub code_ft: Option<u8>,
    /// data·inclusion categories that answer this constraint, for matching offers.
    pub categories: &'static [&'static str],
    /// (code, label) of the situations that can be noted.
    pub situations: &'static [(&'static str, &'static str)],
}

pub const GRILLE: [DefinitionDimension; 8] = [
    DefinitionDimension {
        dimension: Dimension::Mobilite,
        libelle: "Mobilité",
        code_ft: Some(23),
        categories: &["mobilite"],
        situations: &[
            ("sans-moyen-transport", "aucun moyen de transport"),
            ("transports-en-commun", "dépendant des transports en commun"),
            ("sans-permis", "pas de permis de conduire"),
            ("permis-non-valide", "permis suspendu ou non valide"),
            ("sans-vehicule", "pas de véhicule ou véhicule en panne"),
            (
                "sante-incompatible-conduite",
                "état de santé incompatible avec la conduite",
            ),
            ("zone-non-desservie", "domicile peu ou pas desservi"),
            ("cout-deplacements", "ne peut pas financer ses déplacements"),
        ],
    },
    DefinitionDimension {
        dimension: Dimension::Famille,
        libelle: "Contraintes familiales (garde d'enfants, aidant…)",
        code_ft: Some(24),
        categories: &["famille"],
        situations: &[
            ("garde-enfants", "pas de solution de garde d'enfants"),
            ("parent-isole", "parent isolé"),
            ("aidant", "aidant d'un proche dépendant"),
            ("grossesse", "grossesse en cours"),
            ("separation-violence", "séparation, conflit ou violences familiales"),
        ],
    },
    DefinitionDimension {
        dimension: Dimension::Sante,
        libelle: "Santé",
        code_ft: Some(25),
        categories: &["sante"],
        situations: &[
            ("maladie-chronique", "maladie chronique ou de longue durée"),
            ("handicap", "handicap reconnu ou en cours de reconnaissance"),
            ("sante-mentale", "souffrance psychique"),
            ("addiction", "conduite addictive"),
            ("sans-couverture", "pas de couverture maladie ou de complémentaire"),
            ("restrictions-aptitude", "restrictions médicales à certains postes"),
        ],
    },
    DefinitionDimension {
        dimension: Dimension::Langue,
        libelle: "Lecture, écriture, calcul, français",
        code_ft: Some(26),
        categories: &["lecture-ecriture-calcul"],
        situations: &[
            ("francais-oral", "difficultés à l'oral en français"),
            ("francais-ecrit", "difficultés de lecture ou d'écriture"),
            ("fle", "français langue étrangère"),
            ("calcul", "difficultés en calcul"),
        ],
    },
    DefinitionDimension {
        dimension: Dimension::Logement,
        libelle: "Logement, hébergement",
        code_ft: Some(27),
        categories: &["logement-hebergement"],
        situations: &[
            ("sans-domicile", "sans domicile stable"),
            ("heberge-tiers", "hébergé chez un tiers"),
            ("hebergement-urgence", "en hébergement d'urgence ou temporaire"),
            ("logement-indigne", "logement insalubre ou inadapté"),
            ("impayes-loyer", "impayés de loyer, menace d'expulsion"),
        ],
    },
    DefinitionDimension {
        dimension: Dimension::Finances,
        libelle: "Difficultés financières",
        code_ft: Some(28),
        categories: &["difficultes-financieres", "equipement-et-alimentation"],
        situations: &[
            ("sans-ressources", "sans ressources"),
            ("endettement", "endettement ou surendettement"),
            ("aide-alimentaire", "recours à l'aide alimentaire"),
            ("gestion-budget", "difficultés à gérer son budget"),
            ("sans-compte", "pas de compte bancaire"),
        ],
    },
    DefinitionDimension {
        dimension: Dimension::Administratif,
        libelle: "Difficultés administratives ou juridiques",
        code_ft: Some(29),
        categories: &["difficultes-administratives-ou-juridiques"],
        situations: &[
            ("droits-non-ouverts", "droits sociaux non ouverts ou interrompus"),
            ("papiers-identite", "pièce d'identité absente ou périmée"),
            ("titre-sejour", "titre de séjour à obtenir ou renouveler"),
            ("procedure-judiciaire", "procédure judiciaire en cours"),
            ("mesure-protection", "mesure de protection (tutelle, curatelle)"),
        ],
    },
    DefinitionDimension {
        dimension: Dimension::Numerique,
        libelle: "Numérique",
        code_ft: None,
        categories: &["numerique"],
        situations: &[
            ("sans-equipement", "pas d'ordinateur ni de smartphone"),
            ("sans-connexion", "pas de connexion internet"),
            ("non-autonome", "pas autonome pour les démarches en ligne"),
            ("sans-courriel", "pas d'adresse électronique"),
        ],
    },
];

impl Dimension {
    pub fn definition(self) -> &'static DefinitionDimension {
        GRILLE
            .iter()
            .find(|d| d.dimension == self)
            .expect("every dimension is in the grid")
    }

    /// `"mobilite"` → the dimension, or an error listing the valid codes.
    pub fn lire(code: &str) -> Result<Dimension, String> {
        Dimension::depuis_saisie(code).ok_or_else(|| {
            format!(
                "{} ; {}",
                super::texte::inconnue("dimension", code),
                Dimension::valeurs_possibles(code)
            )
        })
    }

    /// Checks a situation code of this dimension.
    pub fn situation(self, code: &str) -> Result<&'static str, String> {
        let def = self.definition();
        def.situations
            .iter()
            .map(|(c, _)| *c)
            .find(|c| *c == super::texte::en_code(code))
            .ok_or_else(|| {
                let valides: Vec<&str> = def.situations.iter().map(|(c, _)| *c).collect();
                format!(
                    "{} pour {} ; {}",
                    super::texte::inconnue("situation", code),
                    self.code(),
                    super::texte::valeurs_possibles(code, &valides)
                )
            })
    }
}

impl Niveau {
    /// A constraint rated moyen or fort is a barrier (frein) to work on.
    pub fn est_un_frein(self) -> bool {
        matches!(self, Niveau::Moyen | Niveau::Fort)
    }
}

/// The data·inclusion categories whose thematiques are professional needs.
pub const CATEGORIES_PROFESSIONNELLES: [&str; 6] = [
    "choisir-un-metier", "se-former", "preparer-sa-candidature", "trouver-un-emploi", "creer-une-entreprise",
    "souvrir-a-linternational",
];

/// A professional need: a thematique of the professional categories, or one of those
/// categories as a whole.
pub fn besoin(code: &str) -> Result<String, String> {
    let code = code.trim();
    let thematiques = crate::referentiel::thematiques::des_categories(&CATEGORIES_PROFESSIONNELLES);
    let professionnel = |c: &str| CATEGORIES_PROFESSIONNELLES.contains(&c) || thematiques.iter().any(|t| t.code == c);
    if professionnel(code) {
        return Ok(code.to_owned());
    }
    // Its label (« Trouver sa formation »).
    if let Some(trouve) = crate::referentiel::listes::thematiques()
        .code(code)
        .filter(|c| professionnel(c))
    {
        return Ok(trouve.to_owned());
    }
    let mut valides: Vec<&str> = CATEGORIES_PROFESSIONNELLES.to_vec();
    valides.extend(thematiques.iter().map(|t| t.code.as_str()));
    let proches = crate::referentiel::thematiques::proches(code, &valides);
    Err(format!(
        "{} ; vouliez-vous dire {} ? (les besoins sont les thématiques data·inclusion \
         des catégories {} : `spie diagnostic grille` les liste)",
        super::texte::inconnu("besoin", code),
        proches.join(", "),
        CATEGORIES_PROFESSIONNELLES.join(", ")
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_grid_has_eight_dimensions_in_order_with_france_travail_codes() {
        let codes: Vec<&str> = GRILLE.iter().map(|d| d.dimension.code()).collect();
        assert_eq!(codes, Dimension::TOUS.iter().map(|d| d.code()).collect::<Vec<_>>());
        let ft: Vec<Option<u8>> = GRILLE.iter().map(|d| d.code_ft).collect();
        assert_eq!(
            ft,
            [
                Some(23),
                Some(24),
                Some(25),
                Some(26),
                Some(27),
                Some(28),
                Some(29),
                None
            ]
        );
        for d in &GRILLE {
            assert!(!d.situations.is_empty(), "{:?}", d.dimension);
            for c in d.categories {
                let themes = crate::referentiel::thematiques::des_categories(&[c]);
                assert!(!themes.is_empty(), "catégorie data·inclusion inconnue : {c}");
            }
        }
    }

    #[test]
    fn unknown_codes_are_refused_with_the_valid_values() {
        assert_eq!(Dimension::lire(" sante "), Ok(Dimension::Sante));
        assert!(Dimension::lire("transport").unwrap_err().contains("mobilite, famille"));
        assert_eq!(Dimension::Mobilite.situation("sans-permis"), Ok("sans-permis"));
        let e = Dimension::Mobilite.situation("velo").unwrap_err();
        assert!(e.contains("velo") && e.contains("sans-permis"), "{e}");
        assert_eq!(
            besoin("se-former--trouver-sa-formation").as_deref(),
            Ok("se-former--trouver-sa-formation")
        );
        assert_eq!(besoin("se-former").as_deref(), Ok("se-former"));
        let e = besoin("se-former--trouver-formation").unwrap_err();
        assert!(e.contains("se-former--trouver-sa-formation"), "{e}");
        assert!(
            besoin("mobilite--acceder-a-un-vehicule").is_err(),
            "only professional categories"
        );
    }
}
