//! Which column gives which data·inclusion field: the profile's word, else the field's
//! own name or a French synonym, accents and case aside.

use std::sync::Arc;

use anyhow::Result;

use super::profil::ProfilVerifie;
use crate::domain::offre::{Brut, Champ};
use crate::domain::texte::{APERCU, apercu, compte, normaliser};
use crate::error::erreur;

/// Names a column may have for each field, besides the field's own name.
const SYNONYMES: &[(Champ, &[&str])] = &[
    (Champ::Id, &["identifiant", "id service", "reference", "ref", "code"]),
    (Champ::StructureId, &["id structure", "identifiant structure", "siret"]),
    (
        Champ::Structure,
        &["structure", "nom structure", "organisme", "porteur", "structure nom"],
    ),
    (
        Champ::Nom,
        &[
            "intitule", "titre", "nom service", "nom de l offre", "libelle", "offre", "service",
        ],
    ),
    (Champ::Description, &["presentation", "descriptif", "detail"]),
    (
        Champ::DateMaj,
        &[
            "mise a jour", "date de mise a jour", "maj", "date maj", "modifie le", "derniere mise a jour",
        ],
    ),
    (Champ::Types, &["type", "type de service", "types de service"]),
    (Champ::Thematiques, &["thematique", "themes", "theme"]),
    (Champ::Frais, &["tarif", "cout", "gratuit payant"]),
    (Champ::FraisPrecisions, &["precisions frais", "precision tarif"]),
    (
        Champ::Publics,
        &["public", "public cible", "publics cibles", "beneficiaires"],
    ),
    (Champ::PublicsPrecisions, &["precisions publics", "precision public"]),
    (
        Champ::ConditionsAcces,
        &["conditions", "conditions d acces", "prerequis"],
    ),
    (Champ::Commune, &["ville", "localite", "lib com", "nom commune"]),
    (Champ::CodePostal, &["cp", "code postal", "postal"]),
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
        &["tel", "tel fixe", "numero de telephone", "phone", "telephone contact"],
    ),
    (
        Champ::Courriel,
        &[
            "mail", "email", "e mail", "adresse mail", "adresse electronique", "courriel contact",
        ],
    ),
    (Champ::ContactNomPrenom, &["contact", "nom du contact", "referent"]),
    (Champ::ModesAccueil, &["mode d accueil", "modes d accueil", "accueil"]),
    (
        Champ::ZoneEligibilite,
        &["zone", "territoire", "zone d eligibilite", "perimetre"],
    ),
    (
        Champ::LienMobilisation,
        &["lien", "url", "site", "site web", "lien d inscription"],
    ),
    (Champ::ModesMobilisation, &["modes de mobilisation", "mobilisation"]),
    (Champ::MobilisablePar, &["mobilisable par", "orienteurs"]),
    (Champ::MobilisationPrecisions, &["precisions mobilisation"]),
    (
        Champ::HorairesAccueil,
        &["horaires", "horaires d ouverture", "heures d ouverture"],
    ),
];

fn champ_du_nom(entete: &str) -> Option<Champ> {
    let cle = normaliser(entete);
    Champ::TOUS.iter().copied().find(|c| {
        normaliser(c.code()) == cle
            || SYNONYMES
                .iter()
                .any(|(s, noms)| s == c && noms.iter().any(|n| normaliser(n) == cle))
    })
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
    let cle = format!("{}|{}|{}", normaliser(nom), normaliser(structure), normaliser(commune));
    let empreinte = Sha256::digest(cle.as_bytes());
    let hex: String = empreinte.iter().take(8).map(|o| format!("{o:02x}")).collect();
    format!("calc-{hex}")
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
                Some(c) if !champs.iter().any(|(d, _, _)| *d == c) => champs.push((c, i, entete.as_str().into())),
                _ => ignorees.push(entete.clone()),
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
    /// its fixed values (and its computed identifier, see [`identifiant_calcule`]).
    pub fn brut(&self, cellules: &csv::StringRecord) -> Brut {
        let mut brut = Brut::default();
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
            if let Some(h) = super::profil::horaires_osm(&jours) {
                brut.insert(Champ::HorairesAccueil, (h, "profil (horaires)".into()));
            }
        }
        if let Some(p) = &self.profil {
            for (champ, valeur) in &p.fixe {
                if brut.get(champ).is_none_or(|(v, _)| v.is_empty()) {
                    brut.insert(*champ, (valeur.clone(), format!("profil ({})", champ.code()).into()));
                }
            }
        }
        if self.id_calcule {
            let valeur = |champ: Champ| brut.get(&champ).map_or(String::new(), |(v, _)| v.clone());
            let commune = match valeur(Champ::CodeInsee) {
                code if !code.is_empty() => code,
                _ => valeur(Champ::Commune),
            };
            let id = identifiant_calcule(&valeur(Champ::Nom), &valeur(Champ::Structure), &commune);
            brut.insert(Champ::Id, (id, "identifiant calculé".into()));
        }
        brut
    }

    /// Each comma-separated item of a value, through the profile's table for the field.
    fn traduire(&self, champ: Champ, valeur: &str) -> String {
        let Some(p) = &self.profil else {
            return valeur.to_owned();
        };
        if !p.valeurs.iter().any(|(c, _, _)| *c == champ) {
            return valeur.to_owned();
        }
        let traduit = |item: &str| -> String {
            let cle = normaliser(item);
            p.valeurs
                .iter()
                .find(|(c, de, _)| *c == champ && *de == cle)
                .map_or(item.to_owned(), |(_, _, vers)| vers.clone())
        };
        if let Some(entier) = p
            .valeurs
            .iter()
            .find(|(c, de, _)| *c == champ && *de == normaliser(valeur))
        {
            return entier.2.clone();
        }
        valeur
            .split(',')
            .map(|i| traduit(i.trim()))
            .collect::<Vec<_>>()
            .join(",")
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
