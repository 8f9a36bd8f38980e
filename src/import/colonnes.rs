//! Which column gives which data·inclusion field: the profile's word, else the field's
//! own name or a French synonym, accents and case aside.

use std::sync::Arc;

use anyhow::Result;

use super::profil::ProfilVerifie;
use crate::domain::offre::{Brut, Champ, Probleme};
use crate::domain::texte::{APERCU, apercu, compte, normaliser};
use crate::error::erreur;
use crate::referentiel::listes;

/// Names a column may have for each field, besides the field's own name; compared as
/// [`cle`] reads a header (plural marks, accents, case and punctuation aside), and listed
/// in docs/guide.md.
const SYNONYMES: &[(Champ, &[&str])] = &[
    (
        Champ::Id,
        &[
            "identifiant", "id service", "identifiant du service", "identifiant service", "reference", "ref", "code",
        ],
    ),
    (
        Champ::StructureId,
        &[
            "id structure", "identifiant structure", "identifiant de la structure", "siret",
        ],
    ),
    (
        Champ::Structure,
        &[
            "nom structure", "nom de la structure", "organisme", "nom de l organisme", "porteur", "structure nom",
            "operateur",
        ],
    ),
    (
        Champ::Nom,
        &[
            "intitule", "titre", "nom service", "nom du service", "nom de l offre", "intitule du service",
            "intitule de l offre", "libelle", "offre", "service",
        ],
    ),
    (
        Champ::Description,
        &[
            "presentation", "descriptif", "detail", "description du service", "descriptif du service",
        ],
    ),
    (
        Champ::DateMaj,
        &[
            "mise a jour", "date de mise a jour", "maj", "modifie le", "derniere mise a jour",
            "date de derniere mise a jour", "date de modification", "derniere modification", "mis a jour le",
        ],
    ),
    (
        Champ::Types,
        &["type", "type de service", "types de service", "type d offre", "nature"],
    ),
    (
        Champ::Thematiques,
        &["thematique", "themes", "theme", "domaine", "domaines d intervention"],
    ),
    (
        Champ::Frais,
        &["tarif", "tarifs", "cout", "couts", "gratuit payant", "gratuite", "prix"],
    ),
    (
        Champ::FraisPrecisions,
        &[
            "precisions frais", "precision tarif", "precisions sur les frais", "precisions tarifs",
        ],
    ),
    (
        Champ::Publics,
        &[
            "public", "public cible", "publics cibles", "beneficiaires", "public vise", "publics vises",
            "public concerne", "publics concernes",
        ],
    ),
    (
        Champ::PublicsPrecisions,
        &["precisions publics", "precision public", "precisions sur les publics"],
    ),
    (
        Champ::ConditionsAcces,
        &["conditions", "conditions d acces", "prerequis", "criteres d acces"],
    ),
    (
        Champ::Commune,
        &["ville", "localite", "lib com", "nom commune", "nom de la commune"],
    ),
    (Champ::CodePostal, &["cp", "postal"]),
    (
        Champ::CodeInsee,
        &["insee", "insee com", "code commune", "code insee commune"],
    ),
    (Champ::Adresse, &["rue", "voie", "adresse postale"]),
    (Champ::ComplementAdresse, &["complement", "complement d adresse"]),
    (Champ::Latitude, &["lat"]),
    (Champ::Longitude, &["lon", "lng", "long"]),
    (
        Champ::Telephone,
        &[
            "tel", "tel fixe", "numero de telephone", "phone", "telephone contact", "telephone de contact",
        ],
    ),
    (
        Champ::Courriel,
        &[
            "mail", "email", "e mail", "adresse mail", "adresse electronique", "courriel contact", "mel",
            "courriel de contact",
        ],
    ),
    (
        Champ::ContactNomPrenom,
        &["contact", "nom du contact", "referent", "personne a contacter"],
    ),
    (
        Champ::ModesAccueil,
        &["mode d accueil", "modes d accueil", "accueil", "modalites d accueil"],
    ),
    (
        Champ::ZoneEligibilite,
        &[
            "zone", "territoire", "zone d eligibilite", "perimetre", "zone d intervention",
        ],
    ),
    (
        Champ::LienMobilisation,
        &[
            "lien", "url", "site", "site web", "site internet", "lien d inscription", "page web",
        ],
    ),
    (
        Champ::ModesMobilisation,
        &[
            "modes de mobilisation", "mobilisation", "modalites de mobilisation", "comment mobiliser",
        ],
    ),
    (
        Champ::MobilisablePar,
        &["orienteurs", "prescripteurs", "qui peut orienter"],
    ),
    (
        Champ::MobilisationPrecisions,
        &["precisions mobilisation", "precisions sur la mobilisation"],
    ),
    (
        Champ::LienSource,
        &["lien vers la source", "page de l offre", "fiche", "lien fiche"],
    ),
    (
        Champ::VolumeHoraireHebdomadaire,
        &[
            "volume horaire", "heures par semaine", "nombre d heures par semaine", "duree hebdomadaire",
        ],
    ),
    (
        Champ::NombreSemaines,
        &["semaines", "nombre de semaines", "duree en semaines"],
    ),
    (
        Champ::HorairesAccueil,
        &[
            "horaires", "horaires d ouverture", "heures d ouverture", "horaires d accueil", "jours et horaires",
        ],
    ),
];

/// A header as compared with the names of [`SYNONYMES`]: without its plural marks
/// ("Public(s) visé(s)" reads as "Public visé"), then [`normaliser`]d.
fn cle(entete: &str) -> String {
    let mut sans = entete.to_lowercase();
    for marque in ["(s)", "(es)", "(x)"] {
        sans = sans.replace(marque, "");
    }
    normaliser(&sans)
}

fn champ_du_nom(entete: &str) -> Option<Champ> {
    let cle = cle(entete);
    Champ::TOUS.iter().copied().find(|c| {
        normaliser(c.code()) == cle
            || SYNONYMES
                .iter()
                .any(|(s, noms)| s == c && noms.iter().any(|n| *n == cle))
    })
}

/// How many of `entetes` name a field, by the profile or by their name: the header of a
/// sheet names several, the rows of a title block above it none or one.
pub fn reconnues(entetes: &[String], profil: Option<&ProfilVerifie>) -> usize {
    let du_profil: Vec<String> = profil
        .iter()
        .flat_map(|p| {
            p.colonnes
                .iter()
                .map(|(_, c)| c)
                .chain(p.horaires.iter().map(|(_, c)| c))
        })
        .map(|c| normaliser(c))
        .collect();
    entetes
        .iter()
        .filter(|e| !e.is_empty() && (du_profil.contains(&normaliser(e)) || champ_du_nom(e).is_some()))
        .count()
}

/// The file's columns for a message: each name bounded, and at most 40 of them.
fn colonnes_du_fichier(entetes: &[String]) -> String {
    const MONTREES: usize = 40;
    let mut noms: Vec<String> = entetes
        .iter()
        .take(MONTREES)
        .map(|e| apercu(e, APERCU).into_owned())
        .collect();
    if entetes.len() > MONTREES {
        noms.push(format!(
            "… ({} en tout)",
            compte(entetes.len() as u64, "colonne", "colonnes")
        ));
    }
    format!("colonnes du fichier : {}", noms.join(", "))
}

/// The identifier of a row of a file without one: `calc-` and 16 hexadecimal digits of
/// the SHA-256 of its name, structure and commune, each normalised (accents, case,
/// punctuation and spacing aside). The same offer gets the same identifier whatever the
/// order of the rows or the way they are typed; two rows naming the same offer of the
/// same structure in the same commune get the same one, and are reported as repeated.
pub fn identifiant_calcule(nom: &str, structure: &str, commune: &str) -> String {
    use sha2::{Digest, Sha256};
    let cle = [normaliser(nom), normaliser(structure), normaliser(commune)].join("|");
    let empreinte = Sha256::digest(cle.as_bytes());
    format!("calc-{}", data_encoding::HEXLOWER.encode(&empreinte[..8]))
}

pub struct Correspondance {
    /// (field, index of its column, the column's name, shared by every row's [`Brut`])
    pub champs: Vec<(Champ, usize, Arc<str>)>,
    /// Columns no field takes.
    pub ignorees: Vec<String>,
    /// (day, index of its column): the profile's opening hours.
    horaires: Vec<(&'static str, usize)>,
    /// No column gives `id`: each row's is computed from its name, structure and commune.
    pub id_calcule: bool,
    profil: Option<ProfilVerifie>,
}

impl Correspondance {
    /// Maps the header; the profile's columns first, then names and synonyms. A profile
    /// naming a missing column, or a file without the required fields, is an error.
    pub fn depuis(entetes: &[String], profil: Option<ProfilVerifie>) -> Result<Correspondance> {
        let cles: Vec<String> = entetes.iter().map(|e| normaliser(e)).collect();
        let mut champs: Vec<(Champ, usize, Arc<str>)> = Vec::new();
        if let Some(p) = &profil {
            for (champ, colonne) in &p.colonnes {
                let i = cles.iter().position(|c| *c == normaliser(colonne)).ok_or_else(|| {
                    erreur(format!(
                        "le profil attend la colonne « {} » ({}), absente du fichier",
                        apercu(colonne, APERCU),
                        champ.code()
                    ))
                    .aide(colonnes_du_fichier(entetes))
                })?;
                champs.push((*champ, i, entetes[i].as_str().into()));
            }
        }
        let mut horaires = Vec::new();
        for (jour, colonne) in profil.iter().flat_map(|p| &p.horaires) {
            let i = cles.iter().position(|c| *c == normaliser(colonne)).ok_or_else(|| {
                erreur(format!(
                    "le profil attend la colonne « {} » (horaires, {jour}), absente du fichier",
                    apercu(colonne, APERCU)
                ))
                .aide(colonnes_du_fichier(entetes))
            })?;
            horaires.push((*jour, i));
        }
        let mut ignorees = Vec::new();
        for (i, entete) in entetes.iter().enumerate() {
            if entete.is_empty() || champs.iter().any(|(_, j, _)| *j == i) || horaires.iter().any(|(_, j)| *j == i) {
                continue;
            }
            match champ_du_nom(entete) {
                Some(c) => match champs.iter().find(|(d, _, _)| *d == c) {
                    None => champs.push((c, i, entete.as_str().into())),
                    // The profile chose this field's column: the other one is not read.
                    Some(_) if profil.as_ref().is_some_and(|p| p.colonnes.iter().any(|(d, _)| *d == c)) => {
                        ignorees.push(entete.clone());
                    }
                    // Which one holds the values is not for spie to guess.
                    Some((_, _, premiere)) => {
                        return Err(erreur(format!(
                            "les colonnes « {} » et « {} » donnent toutes deux le champ « {} » : rien n'est importé",
                            apercu(premiere, APERCU),
                            apercu(entete, APERCU),
                            c.code()
                        ))
                        .aide(format!(
                            "renommez ou supprimez l'une des deux dans le fichier, ou dites laquelle lire dans un profil \
                             (--profil FICHIER.toml, section [colonnes] : {} = \"{}\")",
                            c.code(),
                            apercu(entete, APERCU)
                        ))
                        .into());
                    }
                },
                None => ignorees.push(entete.clone()),
            }
        }
        let fixes: Vec<Champ> = profil
            .as_ref()
            .map(|p| p.fixe.iter().map(|(c, _)| *c).collect())
            .unwrap_or_default();
        let donne = |champ: Champ| champs.iter().any(|(c, _, _)| *c == champ) || fixes.contains(&champ);
        let id_calcule = !donne(Champ::Id);
        for requis in [Champ::Nom] {
            if !donne(requis) {
                return Err(erreur(format!(
                    "aucune colonne ne donne le champ obligatoire « {} »",
                    requis.code()
                ))
                .aide(format!(
                    "{} ; renommez la colonne ou décrivez le fichier dans un profil (--profil)",
                    colonnes_du_fichier(entetes)
                ))
                .into());
            }
        }
        champs.sort_by_key(|(c, _, _)| *c);
        Ok(Correspondance {
            champs,
            ignorees,
            horaires,
            id_calcule,
            profil,
        })
    }

    /// The fields of one row: cells, translated by the profile's values, completed by
    /// its fixed values (and its computed identifier, see [`identifiant_calcule`]); and
    /// what putting them together found (opening hours that cannot be published).
    pub fn brut(&self, cellules: &csv::StringRecord) -> (Brut, Vec<Probleme>) {
        let mut brut = Brut::default();
        let mut problemes = Vec::new();
        for (champ, i, colonne) in &self.champs {
            // Empty cells stay: a missing value is reported under its column's name.
            let valeur = cellules.get(*i).map(str::trim).unwrap_or("");
            let valeur = if valeur.is_empty() {
                String::new()
            } else {
                self.traduire(*champ, valeur)
            };
            brut.insert(*champ, (valeur, Arc::clone(colonne)));
        }
        if !self.horaires.is_empty() && brut.get(&Champ::HorairesAccueil).is_none_or(|(v, _)| v.is_empty()) {
            let jours: Vec<(&str, &str)> = self
                .horaires
                .iter()
                .map(|(jour, i)| (*jour, cellules.get(*i).unwrap_or("")))
                .collect();
            let horaires = super::profil::horaires_osm(&jours);
            for message in horaires.constats {
                problemes.push(Probleme {
                    gravite: crate::domain::offre::Gravite::Avertissement,
                    colonne: "profil (horaires)".to_owned(),
                    valeur: String::new(),
                    message,
                });
            }
            if let Some(h) = horaires.osm {
                brut.insert(Champ::HorairesAccueil, (h, "profil (horaires)".into()));
            }
        }
        if let Some(p) = &self.profil {
            for (champ, valeur) in &p.fixe {
                if brut.get(champ).is_none_or(|(v, _)| v.is_empty()) {
                    brut.insert(*champ, (valeur.clone(), super::profil::colonne_du_fixe(*champ).into()));
                }
            }
        }
        if self.id_calcule {
            let valeur = |champ: Champ| brut.get(&champ).map_or("", |(v, _)| v.as_str());
            let commune = match valeur(Champ::CodeInsee) {
                "" => valeur(Champ::Commune),
                code => code,
            };
            let id = identifiant_calcule(valeur(Champ::Nom), valeur(Champ::Structure), commune);
            brut.insert(Champ::Id, (id, "identifiant calculé".into()));
        }
        (brut, problemes)
    }

    /// The value, whole or item by item ([`listes::morceaux`]), through the profile's
    /// table for the field.
    fn traduire(&self, champ: Champ, valeur: &str) -> String {
        let Some(p) = &self.profil else {
            return valeur.to_owned();
        };
        if !p.valeurs.iter().any(|(c, _, _, _)| *c == champ) {
            return valeur.to_owned();
        }
        let traduit = |item: &str| -> String {
            let cle = normaliser(item);
            p.valeurs
                .iter()
                .find(|(c, de, _, _)| *c == champ && *de == cle)
                .map_or(item.to_owned(), |(_, _, vers, _)| vers.clone())
        };
        if let Some(entier) = p
            .valeurs
            .iter()
            .find(|(c, de, _, _)| *c == champ && *de == normaliser(valeur))
        {
            return entier.2.clone();
        }
        listes::morceaux(valeur).map(traduit).collect::<Vec<_>>().join(",")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entetes(e: &[&str]) -> Vec<String> {
        e.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn columns_are_recognised_by_name_or_french_synonym() {
        let c = Correspondance::depuis(
            &entetes(&["Identifiant", "Intitulé", "Ville", "CP", "Tél.", "E-mail", "Remarque"]),
            None,
        )
        .unwrap();
        let champs: Vec<Champ> = c.champs.iter().map(|(c, _, _)| *c).collect();
        assert_eq!(
            champs,
            [
                Champ::Id,
                Champ::Nom,
                Champ::Commune,
                Champ::CodePostal,
                Champ::Telephone,
                Champ::Courriel
            ]
        );
        assert_eq!(c.ignorees, ["Remarque"]);
        let e = Correspondance::depuis(&entetes(&["a", "b"]), None).err().unwrap();
        assert!(
            Correspondance::depuis(&entetes(&["Intitulé", "Ville"]), None)
                .unwrap()
                .id_calcule
        );
        assert_eq!(
            identifiant_calcule("Atelier  CV", "CCAS", "55545"),
            identifiant_calcule("atelier cv", "ccas", " 55545 ")
        );
        assert_ne!(
            identifiant_calcule("Atelier CV", "CCAS", "55545"),
            identifiant_calcule("Atelier CV", "CCAS", "55029")
        );
        assert!(e.to_string().contains("« nom »"), "{e}");
    }

    #[test]
    fn french_headers_with_plural_marks_are_recognised() {
        for (entete, champ) in [
            ("Nom du service", Champ::Nom),
            ("Thème", Champ::Thematiques),
            ("Thème(s)", Champ::Thematiques),
            ("Thèmes", Champ::Thematiques),
            ("Thématique(s)", Champ::Thematiques),
            ("Ville", Champ::Commune),
            ("Mise à jour", Champ::DateMaj),
            ("Date de mise à jour", Champ::DateMaj),
            ("Public(s) visé(s)", Champ::Publics),
            ("Publics", Champ::Publics),
            ("Coût", Champ::Frais),
            ("Site internet", Champ::LienMobilisation),
            ("Type(s) de service", Champ::Types),
            ("Mode(s) d’accueil", Champ::ModesAccueil),
        ] {
            assert_eq!(champ_du_nom(entete), Some(champ), "{entete}");
        }
    }

    #[test]
    fn every_synonym_is_written_as_read_and_names_one_field() {
        let mut vus: Vec<(&str, Champ)> = Champ::TOUS.iter().map(|c| (c.code(), *c)).collect();
        // Each synonym differs from every field's own name, its own included.
        for (champ, noms) in SYNONYMES {
            for nom in *noms {
                assert_eq!(cle(nom), *nom, "un synonyme s'écrit comme une en-tête se lit");
                assert_eq!(champ_du_nom(nom), Some(*champ), "{nom}");
                assert!(!vus.iter().any(|(v, _)| cle(v) == *nom), "{nom}");
                vus.push((nom, *champ));
            }
        }
    }

    #[test]
    fn the_guide_lists_every_synonym() {
        let guide = include_str!("../../docs/guide.md");
        for (champ, noms) in SYNONYMES {
            let ligne = guide
                .lines()
                .find(|l| l.starts_with(&format!("| `{}` |", champ.code())))
                .unwrap_or_else(|| panic!("{} absent de docs/guide.md", champ.code()));
            let listes: Vec<String> = ligne.split('*').skip(1).step_by(2).map(cle).collect();
            assert_eq!(listes, *noms, "{}", champ.code());
        }
    }

    proptest::proptest! {
        /// Whatever headers a spreadsheet holds, the mapping is found or refused in
        /// French, and no column is used twice.
        #[test]
        fn any_header_row_is_mapped_or_refused(
            e in proptest::collection::vec("\\PC{0,16}|id|nom|Intitulé|CP|Ville", 0..12)
        ) {
            match Correspondance::depuis(&e, None) {
                Ok(c) => {
                    let mut colonnes: Vec<usize> = c.champs.iter().map(|(_, i, _)| *i).collect();
                    let n = colonnes.len();
                    colonnes.sort();
                    colonnes.dedup();
                    proptest::prop_assert_eq!(colonnes.len(), n);
                    // An identifier column, or identifiers computed for a file without.
                    proptest::prop_assert!(c.id_calcule != c.champs.iter().any(|(ch, _, _)| *ch == Champ::Id));
                    proptest::prop_assert!(c.champs.iter().any(|(ch, _, _)| *ch == Champ::Nom));
                }
                Err(err) => proptest::prop_assert!(!err.to_string().is_empty()),
            }
        }
    }
}
