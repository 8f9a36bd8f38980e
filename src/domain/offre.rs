//! An offer (data·inclusion v1 *service*) as a partner's row gives it: each field
//! checked, errors reject the row, warnings keep it; and its quality score.

use std::sync::Arc;

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use super::{date, personne, suivi};
use crate::referentiel::{communes, listes};

crate::codes! {
    /// The data·inclusion fields an import fills.
    pub enum Champ {
        /// Identifiant de l'offre dans la source (obligatoire)
        Id = "id",
        /// Identifiant de la structure dans la source
        StructureId = "structure_id",
        /// Nom de la structure
        Structure = "structure",
        /// Nom de l'offre (obligatoire)
        Nom = "nom",
        /// Description
        Description = "description",
        /// Date de mise à jour
        DateMaj = "date_maj",
        /// Types de service
        Types = "types",
        /// Thématiques
        Thematiques = "thematiques",
        /// Frais
        Frais = "frais",
        /// Précisions sur les frais
        FraisPrecisions = "frais_precisions",
        /// Publics
        Publics = "publics",
        /// Précisions sur les publics
        PublicsPrecisions = "publics_precisions",
        /// Conditions d'accès
        ConditionsAcces = "conditions_acces",
        /// Commune (nom)
        Commune = "commune",
        /// Code postal
        CodePostal = "code_postal",
        /// Code INSEE de la commune
        CodeInsee = "code_insee",
        /// Adresse
        Adresse = "adresse",
        /// Complément d'adresse
        ComplementAdresse = "complement_adresse",
        /// Latitude
        Latitude = "latitude",
        /// Longitude
        Longitude = "longitude",
        /// Téléphone
        Telephone = "telephone",
        /// Courriel
        Courriel = "courriel",
        /// Nom du contact
        ContactNomPrenom = "contact_nom_prenom",
        /// Modes d'accueil
        ModesAccueil = "modes_accueil",
        /// Zone d'éligibilité
        ZoneEligibilite = "zone_eligibilite",
        /// Lien de mobilisation
        LienMobilisation = "lien_mobilisation",
        /// Modes de mobilisation
        ModesMobilisation = "modes_mobilisation",
        /// Qui peut mobiliser
        MobilisablePar = "mobilisable_par",
        /// Précisions sur la mobilisation
        MobilisationPrecisions = "mobilisation_precisions",
        /// Horaires d'accueil
        HorairesAccueil = "horaires_accueil",
        /// Lien vers l'offre sur le site de la source
        LienSource = "lien_source",
        /// Volume horaire hebdomadaire (heures)
        VolumeHoraireHebdomadaire = "volume_horaire_hebdomadaire",
        /// Nombre de semaines
        NombreSemaines = "nombre_semaines",
        /// Producteur de la donnée dans un fichier data·inclusion (dora, soliguide…) :
        /// chaque offre est rangée sous la source « SOURCE/producteur »
        Source = "source",
    }
}

impl Champ {
    /// Whether the field takes codes of a list (or their labels): thematiques, types,
    /// publics, frais, modes d'accueil and de mobilisation, mobilisable par.
    pub fn est_code(self) -> bool {
        matches!(
            self,
            Champ::Thematiques
                | Champ::Types
                | Champ::Publics
                | Champ::Frais
                | Champ::ModesAccueil
                | Champ::ModesMobilisation
                | Champ::MobilisablePar
        )
    }
}

/// A row as read: for each field, the value and the column it came from. One slot per
/// field (a map, built and dropped at each row, cost the reading thread of an import a
/// tenth of its time).
#[derive(Debug)]
pub struct Brut([Option<(String, Arc<str>)>; Champ::TOUS.len()]);

impl Default for Brut {
    fn default() -> Brut {
        Brut(std::array::from_fn(|_| None))
    }
}

impl Brut {
    pub fn get(&self, champ: &Champ) -> Option<&(String, Arc<str>)> {
        self.0[*champ as usize].as_ref()
    }

    pub fn insert(&mut self, champ: Champ, valeur: (String, Arc<str>)) {
        self.0[champ as usize] = Some(valeur);
    }
}

impl FromIterator<(Champ, (String, Arc<str>))> for Brut {
    fn from_iter<I: IntoIterator<Item = (Champ, (String, Arc<str>))>>(champs: I) -> Brut {
        let mut brut = Brut::default();
        for (champ, valeur) in champs {
            brut.insert(champ, valeur);
        }
        brut
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Gravite {
    Erreur,
    Avertissement,
}

/// One finding on a row, named precisely enough to fix the file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Probleme {
    pub gravite: Gravite,
    pub colonne: String,
    pub valeur: String,
    pub message: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Offre {
    pub identifiant: String,
    pub structure_id: Option<String>,
    pub structure_nom: Option<String>,
    pub nom: String,
    pub description: Option<String>,
    pub date_maj: Option<NaiveDate>,
    pub types: Vec<String>,
    pub thematiques: Vec<String>,
    pub frais: Option<String>,
    pub frais_precisions: Option<String>,
    pub publics: Vec<String>,
    pub publics_precisions: Option<String>,
    pub conditions_acces: Option<String>,
    /// INSEE code.
    pub commune: Option<String>,
    pub code_postal: Option<String>,
    pub adresse: Option<String>,
    pub complement_adresse: Option<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub telephone: Option<String>,
    pub courriel: Option<String>,
    pub contact_nom_prenom: Option<String>,
    pub modes_accueil: Vec<String>,
    pub zone_eligibilite: Vec<String>,
    pub lien_mobilisation: Option<String>,
    pub modes_mobilisation: Vec<String>,
    pub mobilisable_par: Vec<String>,
    pub mobilisation_precisions: Option<String>,
    pub horaires_accueil: Option<String>,
    pub lien_source: Option<String>,
    /// Hours a week, ≥ 0.
    pub volume_horaire_hebdomadaire: Option<f64>,
    /// Weeks, ≥ 1.
    pub nombre_semaines: Option<i64>,
    pub score_qualite: f64,
}

/// An offer's list fields as stored, codes joined by commas, and its date as text: made
/// where a file's rows are checked, so that the thread that writes only binds them.
#[derive(Debug, Clone, Default)]
pub struct EnTexte {
    pub types: String,
    pub thematiques: String,
    pub publics: String,
    pub modes_accueil: String,
    pub zone_eligibilite: String,
    pub modes_mobilisation: String,
    pub mobilisable_par: String,
    pub date_maj: Option<String>,
}

impl Offre {
    pub fn en_texte(&self) -> EnTexte {
        let liste = |v: &[String]| v.join(",");
        EnTexte {
            types: liste(&self.types),
            thematiques: liste(&self.thematiques),
            publics: liste(&self.publics),
            modes_accueil: liste(&self.modes_accueil),
            zone_eligibilite: liste(&self.zone_eligibilite),
            modes_mobilisation: liste(&self.modes_mobilisation),
            mobilisable_par: liste(&self.mobilisable_par),
            // The same text as the ToSql of NaiveDate, several times faster.
            date_maj: self.date_maj.map(super::date::iso),
        }
    }
}

struct Verif<'a> {
    brut: &'a Brut,
    problemes: Vec<Probleme>,
}

impl<'a> Verif<'a> {
    /// The value of a field, trimmed, if not empty (borrowed: most values are only parsed).
    fn valeur(&self, c: Champ) -> Option<&'a str> {
        self.brut.get(&c).map(|(v, _)| v.trim()).filter(|v| !v.is_empty())
    }

    /// The value of a field the offer keeps as it is.
    fn texte(&self, c: Champ) -> Option<String> {
        self.valeur(c).map(str::to_owned)
    }

    fn signaler(&mut self, gravite: Gravite, c: Champ, valeur: &str, message: impl Into<String>) {
        let colonne = self
            .brut
            .get(&c)
            .map_or_else(|| c.code().to_owned(), |(_, col)| col.to_string());
        let valeur = super::texte::apercu(valeur, super::texte::APERCU).into_owned();
        self.problemes.push(Probleme {
            gravite,
            colonne,
            valeur,
            message: message.into(),
        });
    }

    /// A list whose values, codes or labels ([`listes::Lexique::lire`]), must belong to
    /// `liste`; unknown ones are dropped with a warning (data·inclusion does the same).
    fn liste(&mut self, c: Champ, liste: &listes::Liste) -> Vec<String> {
        let mut codes = Vec::new();
        for v in liste.lexique().lire(self.valeur(c).unwrap_or_default()) {
            match v {
                Ok(code) => codes.push(code.to_owned()),
                Err(v) => {
                    // The value is in the message: the same value on many rows is said once.
                    let codes = liste.codes();
                    let proche = liste.proches(v).first().copied().unwrap_or_default();
                    let message = format!(
                        "valeur inconnue de {} : « {} », ignorée ; vouliez-vous dire « {proche} »{} ? (valeurs possibles : \
                         {})",
                        liste.nom,
                        super::texte::apercu(v, super::texte::APERCU),
                        liste
                            .libelle(proche)
                            .filter(|l| super::texte::normaliser(l) != super::texte::normaliser(proche))
                            .map_or(String::new(), |l| format!(" ({l})")),
                        codes.join(", ")
                    );
                    self.signaler(Gravite::Avertissement, c, v, message);
                }
            }
        }
        codes.sort();
        codes.dedup();
        codes
    }
}

/// Whether a row of a national file concerns the département `departement`: its INSEE
/// code is a commune of it, else its postal code is one of it, else (a service without a
/// place) its zone d'éligibilité names the département or one of its communes.
/// The days of the OpenStreetMap `opening_hours` format, which data·inclusion's
/// `horaires_accueil` uses, in the week's order.
pub const JOURS: [&str; 7] = ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"];

/// The days as a person reads them, in the order of [`JOURS`].
pub const NOMS_DES_JOURS: [&str; 7] = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"];

/// Opening hours as a person reads them: `Mo 09:00-12:00,14:00-17:00; Tu 09:00-12:00` →
/// « lundi 09:00–12:00 et 14:00–17:00 ; mardi 09:00–12:00 ». A part in another form of
/// the OpenStreetMap syntax (`PH off`, `Mo-Fr …`) is left as written.
pub fn horaires_lisibles(osm: &str) -> String {
    let partie = |p: &str| -> Option<String> {
        let (jour, plages) = p.trim().split_once(' ')?;
        let nom = NOMS_DES_JOURS[JOURS.iter().position(|j| *j == jour)?];
        let plages: Option<Vec<String>> = plages
            .split(',')
            .map(|plage| {
                let (debut, fin) = plage.trim().split_once('-')?;
                let heure = |h: &str| h.len() == 5 && h.as_bytes()[2] == b':';
                (heure(debut) && heure(fin)).then(|| format!("{debut}–{fin}"))
            })
            .collect();
        Some(format!("{nom} {}", plages?.join(" et ")))
    };
    osm.split(';')
        .filter(|p| !p.trim().is_empty())
        .map(|p| partie(p).unwrap_or_else(|| p.trim().to_owned()))
        .collect::<Vec<_>>()
        .join(" ; ")
}

pub fn dans_departement(brut: &Brut, departement: &str) -> bool {
    let valeur = |c: Champ| brut.get(&c).map(|(v, _)| v.trim()).filter(|v| !v.is_empty());
    let de_la_commune = |code: &str| communes::par_code(code).map(|c| c.departement == departement);
    if let Some(dans) = valeur(Champ::CodeInsee).and_then(de_la_commune) {
        return dans;
    }
    if let Some(cp) = valeur(Champ::CodePostal)
        .map(code_postal_sans_espaces)
        .filter(|cp| cp.len() == 5 && cp.bytes().all(|b| b.is_ascii_digit()))
    {
        let cp: &str = &cp;
        return match &cp[..2] {
            // Corsica's postal codes (20xxx) do not tell 2A from 2B.
            "20" => communes::toutes()
                .iter()
                .any(|c| c.departement == departement && c.a_le_code_postal(cp)),
            "97" | "98" => cp[..3] == *departement,
            prefixe => prefixe == departement,
        };
    }
    valeur(Champ::ZoneEligibilite).is_some_and(|zone| {
        listes::morceaux(zone).any(|z| z.eq_ignore_ascii_case(departement) || de_la_commune(z) == Some(true))
    })
}

/// Checks a row and builds the offer, or says why it is rejected. `aujourdhui` dates the
/// freshness check; `departement` orders commune suggestions.
pub fn verifier(brut: &Brut, aujourdhui: NaiveDate, departement: &str) -> (Option<Offre>, Vec<Probleme>) {
    let mut v = Verif {
        brut,
        problemes: Vec::new(),
    };
    let mut o = Offre::default();
    match v.texte(Champ::Id) {
        Some(id) => o.identifiant = id,
        None => v.signaler(Gravite::Erreur, Champ::Id, "", "identifiant obligatoire manquant"),
    }
    match v.texte(Champ::Nom) {
        Some(nom) if (3..=150).contains(&nom.chars().count()) => o.nom = nom,
        Some(nom) => v.signaler(
            Gravite::Erreur,
            Champ::Nom,
            &nom,
            "le nom doit avoir entre 3 et 150 caractères",
        ),
        None => v.signaler(Gravite::Erreur, Champ::Nom, "", "nom obligatoire manquant"),
    }
    o.structure_id = v.texte(Champ::StructureId);
    o.structure_nom = v.texte(Champ::Structure);
    o.description = v.texte(Champ::Description);
    o.frais_precisions = v.texte(Champ::FraisPrecisions);
    o.publics_precisions = v.texte(Champ::PublicsPrecisions);
    o.conditions_acces = v.texte(Champ::ConditionsAcces);
    o.adresse = v.texte(Champ::Adresse);
    o.complement_adresse = v.texte(Champ::ComplementAdresse);
    o.contact_nom_prenom = v.texte(Champ::ContactNomPrenom);
    o.lien_mobilisation = v.texte(Champ::LienMobilisation);
    o.mobilisation_precisions = v.texte(Champ::MobilisationPrecisions);
    o.horaires_accueil = v.texte(Champ::HorairesAccueil);
    o.lien_source = v.texte(Champ::LienSource);
    if let Some(motif) = super::publication::structure_impubliable(o.structure_nom.as_deref()) {
        v.signaler(
            Gravite::Avertissement,
            Champ::Structure,
            o.structure_nom.as_deref().unwrap_or_default(),
            format!("{motif} : l'offre ne pourra pas être publiée vers data·inclusion"),
        );
    }
    if let Some(motif) = super::publication::description_impubliable(o.description.as_deref()) {
        v.signaler(
            Gravite::Avertissement,
            Champ::Description,
            "",
            format!("{motif} : l'offre ne pourra pas être publiée vers data·inclusion"),
        );
    }
    // Duration, for the 15 to 20 hours a week of RSA recipients: an unreadable or
    // impossible value is dropped with a warning.
    if let Some(t) = v.valeur(Champ::VolumeHoraireHebdomadaire) {
        match t.replace(',', ".").parse::<f64>() {
            Ok(h) if h.is_finite() && (0.0..=168.0).contains(&h) => o.volume_horaire_hebdomadaire = Some(h),
            _ => v.signaler(
                Gravite::Avertissement,
                Champ::VolumeHoraireHebdomadaire,
                t,
                "volume horaire illisible (attendu un nombre d'heures entre 0 et 168), ignoré",
            ),
        }
    }
    if let Some(t) = v.valeur(Champ::NombreSemaines) {
        match t.parse::<i64>() {
            Ok(n) if n >= 1 => o.nombre_semaines = Some(n),
            _ => v.signaler(
                Gravite::Avertissement,
                Champ::NombreSemaines,
                t,
                "nombre de semaines illisible (attendu un entier d'au moins 1), ignoré",
            ),
        }
    }

    // Date of update: required by the schema, a bad one rejects, an old one warns.
    match v.valeur(Champ::DateMaj) {
        Some(texte) => match date::parse_de_fichier(texte, aujourdhui) {
            Ok(lue) if lue.date > aujourdhui => v.signaler(
                Gravite::Erreur,
                Champ::DateMaj,
                texte,
                "date de mise à jour dans le futur",
            ),
            Ok(date::DateLue {
                date: d,
                siecle_precedent,
            }) => {
                if siecle_precedent {
                    let message = format!(
                        "date « {} » lue le {} : année sur deux chiffres, {} serait dans le futur",
                        super::texte::apercu(texte, 40),
                        d.format("%d/%m/%Y"),
                        d.year() + 100
                    );
                    v.signaler(Gravite::Avertissement, Champ::DateMaj, texte, message);
                }
                if (aujourdhui - d).num_days() > 365 {
                    v.signaler(
                        Gravite::Avertissement,
                        Champ::DateMaj,
                        texte,
                        "offre non mise à jour depuis plus d'un an",
                    );
                }
                o.date_maj = Some(d);
            }
            Err(e) => v.signaler(Gravite::Erreur, Champ::DateMaj, texte, e),
        },
        None => v.signaler(
            Gravite::Avertissement,
            Champ::DateMaj,
            "",
            "date de mise à jour absente : l'offre ne pourra pas être publiée vers data·inclusion",
        ),
    }

    // Thematiques: v1 codes, categories or labels; v0 ones translated; unknown rejects.
    for (lu, t) in listes::thematiques().lire_saisies(v.valeur(Champ::Thematiques).unwrap_or_default()) {
        // A v1 code as written (most cells) is not looked up among the v0 ones.
        let ancienne = if t == Ok(&*lu) { None } else { listes::v0(&lu) };
        match (t, ancienne) {
            (Ok(code), None) => {
                if !code.contains("--") {
                    // Kept for matching, left out of the data·inclusion export: said now.
                    let message = format!(
                        "thématique « {code} » : une catégorie sans son besoin, que data·inclusion ne publie pas (il \
                         veut `categorie--besoin`) ; précisez le besoin (`spie offre thematiques {code}` les liste)"
                    );
                    v.signaler(Gravite::Avertissement, Champ::Thematiques, &lu, message);
                }
                o.thematiques.push(code.to_owned());
            }
            (_, Some((v0, v1))) => {
                let message = match &v1 {
                    Some(v1) if v1.contains("--") || !v0.contains("--") => {
                        format!("thématique de l'ancienne nomenclature (v0) « {v0} », devenue « {v1} »")
                    }
                    Some(v1) => format!(
                        "thématique de l'ancienne nomenclature (v0) « {v0} » : son besoin n'a pas d'équivalent dans la \
                         nomenclature actuelle, seule sa catégorie « {v1} » est gardée"
                    ),
                    None => format!(
                        "thématique de l'ancienne nomenclature (v0) « {v0} » sans équivalent dans la nomenclature \
                         actuelle, ignorée ; choisissez-en une avec `spie offre thematiques [MOT]`"
                    ),
                };
                o.thematiques.extend(v1);
                v.signaler(Gravite::Avertissement, Champ::Thematiques, &lu, message);
            }
            (Err(saisie), None) => {
                // The partner's word, not a person's: named, with the closest thematique.
                let message = format!(
                    "thématique « {} » inconnue ; {}",
                    super::texte::apercu(saisie, super::texte::APERCU),
                    suivi::thematiques_proches(saisie)
                );
                v.signaler(Gravite::Erreur, Champ::Thematiques, saisie, message);
            }
        }
    }
    o.thematiques.sort();
    o.thematiques.dedup();
    if o.thematiques.is_empty() && v.valeur(Champ::Thematiques).is_none() {
        v.signaler(
            Gravite::Avertissement,
            Champ::Thematiques,
            "",
            "aucune thématique : l'offre ne sera jamais proposée",
        );
    }

    o.types = v.liste(Champ::Types, &listes::TYPES);
    o.publics = v.liste(Champ::Publics, &listes::PUBLICS);
    o.modes_accueil = v.liste(Champ::ModesAccueil, &listes::MODES_ACCUEIL);
    o.modes_mobilisation = v.liste(Champ::ModesMobilisation, &listes::MODES_MOBILISATION);
    o.mobilisable_par = v.liste(Champ::MobilisablePar, &listes::MOBILISABLE_PAR);
    o.frais = v.liste(Champ::Frais, &listes::FRAIS).into_iter().next();

    // Where: the INSEE code wins, else the commune's name with its postal code.
    let cp = v
        .texte(Champ::CodePostal)
        .map(|c| code_postal_sans_espaces(&c).into_owned());
    // Four digits: a spreadsheet may have eaten the leading zero of a postal code of the
    // départements 01 to 09. The commune is looked up with the zero back, and decides.
    let sans_zero = cp
        .as_deref()
        .filter(|c| c.len() == 4 && c.bytes().all(|b| b.is_ascii_digit()))
        .map(|c| format!("0{c}"));
    let cp_lu = sans_zero.clone().or_else(|| cp.clone());
    let nom = v.texte(Champ::Commune);
    let saisie = match (v.texte(Champ::CodeInsee), &nom) {
        (Some(code), _) => Some((Champ::CodeInsee, code)),
        (None, Some(nom)) => Some((
            Champ::Commune,
            match &cp_lu {
                Some(cp) => format!("{cp} {nom}"),
                None => nom.clone(),
            },
        )),
        (None, None) => None,
    };
    let lieu_donne = saisie.is_some();
    let mut trouvee = None;
    if let Some((champ, texte)) = saisie {
        let par_code = if champ == Champ::CodeInsee {
            communes::par_code(&texte.to_uppercase())
        } else {
            None
        };
        let resolue = par_code.map(Ok).unwrap_or_else(|| {
            communes::resoudre(&texte, departement)
                .or_else(|e| match (&e, champ, &nom, &cp_lu) {
                    // A known name with a wrong postal code: found by its name, and the
                    // postal code is warned about below.
                    (communes::ErreurCommune::Inconnue { .. }, Champ::Commune, Some(nom), Some(_)) => {
                        communes::resoudre(nom, departement).map_err(|_| e)
                    }
                    _ => Err(e),
                })
                .copied()
        });
        match resolue {
            Ok(c) => {
                o.commune = Some(c.code.to_owned());
                trouvee = Some(c);
            }
            Err(mut e) => {
                // What the cell holds, not the postal code and name put together to look
                // it up.
                let cellule = match (champ, &nom) {
                    (Champ::Commune, Some(nom)) => nom.clone(),
                    _ => texte,
                };
                if let communes::ErreurCommune::Inconnue { saisie, .. }
                | communes::ErreurCommune::Ambigue { saisie, .. } = &mut e
                {
                    *saisie = super::texte::apercu(&cellule, 60).into_owned();
                }
                let message = format!("{} ; {}", e.message(), e.aide());
                v.signaler(Gravite::Erreur, champ, &cellule, message);
            }
        }
    }
    if !lieu_donne && let Some(cp) = cp.as_deref().filter(|cp| cp.len() == 5) {
        trouvee = commune_du_code_postal(&mut v, cp);
        o.commune = trouvee.as_ref().map(|c| c.code.to_owned());
    }
    o.code_postal = code_postal(&mut v, cp, sans_zero, trouvee.as_ref(), lieu_donne);
    for (champ, cible, min, max) in [
        (Champ::Latitude, &mut o.latitude, -90.0, 90.0),
        (Champ::Longitude, &mut o.longitude, -180.0, 180.0),
    ] {
        if let Some(t) = v.valeur(champ) {
            match t.replace(',', ".").parse::<f64>() {
                Ok(x) if (min..=max).contains(&x) => *cible = Some(x),
                _ => v.signaler(Gravite::Avertissement, champ, t, "coordonnée illisible, ignorée"),
            }
        }
    }
    if let Some(t) = v.valeur(Champ::Telephone) {
        match personne::telephone(t) {
            Ok(tel) => o.telephone = Some(tel),
            Err(_) => {
                v.signaler(
                    Gravite::Avertissement,
                    Champ::Telephone,
                    t,
                    format!(
                        "téléphone « {} » : format inhabituel, gardé tel quel",
                        super::texte::apercu(t, super::texte::APERCU)
                    ),
                );
                o.telephone = Some(t.to_owned());
            }
        }
    }
    if let Some(t) = v.valeur(Champ::Courriel) {
        match personne::courriel(t) {
            Ok(c) => o.courriel = Some(c),
            Err(_) => v.signaler(Gravite::Avertissement, Champ::Courriel, t, "courriel illisible, ignoré"),
        }
    }
    for code in listes::morceaux(v.valeur(Champ::ZoneEligibilite).unwrap_or_default()) {
        let code = code.to_uppercase();
        let connu = code == "FRANCE"
            || code == "99100"
            || communes::departement_existe(&code)
            || communes::par_code(&code).is_some()
            || communes::epci_existe(&code);
        if connu {
            o.zone_eligibilite
                .push(if code == "FRANCE" { "france".into() } else { code });
        } else {
            v.signaler(
                Gravite::Avertissement,
                Champ::ZoneEligibilite,
                &code,
                "code de zone inconnu (commune, département, EPCI ou france), ignoré",
            );
        }
    }
    o.score_qualite = score_qualite(&o, aujourdhui);
    let rejetee = v.problemes.iter().any(|p| p.gravite == Gravite::Erreur);
    ((!rejetee).then_some(o), v.problemes)
}

/// The commune of a row that gives a postal code and no commune: the postal code's when
/// it has only one (said in a warning); when it has several, the warning names them, the
/// most populous first (five at most).
fn commune_du_code_postal(v: &mut Verif<'_>, cp: &str) -> Option<communes::Commune> {
    const NOMMEES: usize = 5;
    let mut de_ce_code: Vec<&communes::Commune> =
        communes::toutes().iter().filter(|c| c.a_le_code_postal(cp)).collect();
    de_ce_code.sort_by_key(|c| std::cmp::Reverse(c.population));
    let plus = de_ce_code.len() > NOMMEES;
    de_ce_code.truncate(NOMMEES);
    match de_ce_code.as_slice() {
        [] => None,
        [c] => {
            let message = format!(
                "commune absente : {} (INSEE {}), la seule commune du code postal {cp}, est retenue",
                c.nom, c.code
            );
            v.signaler(Gravite::Avertissement, Champ::Commune, "", message);
            Some(**c)
        }
        plusieurs => {
            let mut noms: Vec<&str> = plusieurs.iter().map(|c| c.nom).collect();
            if plus {
                noms.push("…");
            }
            let message = format!(
                "commune absente : le code postal {cp} est celui de plusieurs communes ({}) ; précisez la commune \
                 (nom ou code INSEE)",
                noms.join(", ")
            );
            v.signaler(Gravite::Avertissement, Champ::Commune, "", message);
            None
        }
    }
}

/// A postal code typed in groups (`55 100`, with a space or a non-breaking one, as a
/// spreadsheet's number format writes it) read as its digits; any other text as typed.
fn code_postal_sans_espaces(cp: &str) -> std::borrow::Cow<'_, str> {
    if cp.contains(char::is_whitespace) && cp.chars().all(|c| c.is_ascii_digit() || c.is_whitespace()) {
        std::borrow::Cow::Owned(cp.chars().filter(char::is_ascii_digit).collect())
    } else {
        std::borrow::Cow::Borrowed(cp)
    }
}

/// The postal code kept, checked against the row's commune (`trouvee`, when found): a
/// code of four digits gets its leading zero back when that makes the commune's
/// (`sans_zero`); otherwise it is replaced by the commune's postal code when the commune
/// has one only, and dropped when it has several (they are named) or when the row names
/// no commune to tell (`lieu_donne` false); a code of five that is not the commune's is
/// kept, with a warning. Each warning quotes the value.
fn code_postal(
    v: &mut Verif<'_>,
    cp: Option<String>,
    sans_zero: Option<String>,
    trouvee: Option<&communes::Commune>,
    lieu_donne: bool,
) -> Option<String> {
    let cp = cp?;
    let montre = super::texte::apercu(&cp, super::texte::APERCU).into_owned();
    let codes_de = |c: &communes::Commune| format!("{} ({})", c.nom, c.codes_postaux.replace('|', ", "));
    match (sans_zero, trouvee) {
        (Some(complet), Some(c)) if c.a_le_code_postal(&complet) => {
            let message = format!("code postal « {montre} » lu « {complet} » (zéro initial perdu par le tableur)");
            v.signaler(Gravite::Avertissement, Champ::CodePostal, &cp, message);
            Some(complet)
        }
        (Some(complet), Some(c)) => {
            // A lost zero is the story only where postal codes start with one (départements
            // 01 to 09); elsewhere the code is just not the commune's.
            let debut = if c.departement.starts_with('0') {
                format!("code postal « {montre} » : quatre chiffres, et « {complet} »")
            } else {
                format!("code postal « {montre} » :")
            };
            let de_la_commune = super::texte::de(c.nom);
            let (message, garde) = match c.codes_postaux.split_once('|') {
                None => (
                    format!(
                        "{debut} n'est pas celui {de_la_commune} ; remplacé par {}, le seul code postal {de_la_commune}",
                        c.codes_postaux
                    ),
                    Some(c.codes_postaux.to_owned()),
                ),
                Some(_) => (
                    format!(
                        "{debut} n'est pas un code postal {de_la_commune}, qui en a plusieurs ({}) ; ignoré",
                        c.codes_postaux.replace('|', ", ")
                    ),
                    None,
                ),
            };
            v.signaler(Gravite::Avertissement, Champ::CodePostal, &cp, message);
            garde
        }
        (Some(_), None) if !lieu_donne => {
            let message = format!("code postal « {montre} » : quatre chiffres, sans commune pour le vérifier ; ignoré");
            v.signaler(Gravite::Avertissement, Champ::CodePostal, &cp, message);
            None
        }
        (None, Some(c)) if !c.a_le_code_postal(&cp) => {
            let message = format!("code postal « {montre} » : ne correspond pas à {}", codes_de(c));
            v.signaler(Gravite::Avertissement, Champ::CodePostal, &cp, message);
            Some(cp)
        }
        _ => Some(cp),
    }
}

/// Why the withdrawals of an import are refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RetraitRefuse {
    /// The file would leave the source without any active offer: most likely a truncated
    /// file (its header alone), never applied.
    Tout { actives: u64 },
    /// More than half of the source's active offers, not confirmed with `--retirer`.
    Massif { retirees: u64, actives: u64 },
}

/// Whether an import may withdraw `retirees` of the `actives` offers a source had before
/// it, leaving `restantes` active (kept or added by the file); `confirme`: `--retirer`.
pub fn controler_retrait(actives: u64, retirees: u64, restantes: u64, confirme: bool) -> Result<(), RetraitRefuse> {
    if retirees == 0 {
        Ok(())
    } else if restantes == 0 {
        Err(RetraitRefuse::Tout { actives })
    } else if retirees * 2 > actives && !confirme {
        Err(RetraitRefuse::Massif { retirees, actives })
    } else {
        Ok(())
    }
}

impl RetraitRefuse {
    /// What the file would do to the source `source`.
    pub fn message(&self, source: &str) -> String {
        match *self {
            RetraitRefuse::Tout { actives: 1 } => {
                format!(
                    "le fichier retirerait la seule offre active de la source « {source} » sans en garder ni en ajouter aucune"
                )
            }
            RetraitRefuse::Tout { actives } => format!(
                "le fichier retirerait les {actives} offres actives de la source « {source} » sans en garder ni en ajouter aucune"
            ),
            RetraitRefuse::Massif { retirees, actives } => format!(
                "le fichier retirerait {retirees} des {actives} offres actives de la source « {source} » (plus de la moitié)"
            ),
        }
    }

    pub fn aide(&self) -> &'static str {
        match self {
            RetraitRefuse::Tout { .. } => {
                "le fichier semble tronqué (n'a-t-il que sa ligne d'en-tête ?) : demandez au partenaire sa liste complète"
            }
            RetraitRefuse::Massif { .. } => {
                "si le partenaire a bien retiré ces offres, relancez avec --retirer ; si le fichier n'en donne qu'une \
                 partie, relancez avec --partiel (rien n'est retiré)"
            }
        }
    }
}

/// The share of ten quality criteria the offer meets, in [0, 1]: a description of 50
/// characters or more, updated within a year, thematiques, publics, a type, a reception
/// mode, where (commune or remote), a contact (telephone, e-mail or link), how to mobilise
/// it, its fees.
pub fn score_qualite(o: &Offre, aujourdhui: NaiveDate) -> f64 {
    let criteres = [
        o.description.as_ref().is_some_and(|d| d.chars().count() >= 50),
        o.date_maj.is_some_and(|d| (aujourdhui - d).num_days() <= 365),
        !o.thematiques.is_empty(),
        !o.publics.is_empty(),
        !o.types.is_empty(),
        !o.modes_accueil.is_empty(),
        o.commune.is_some() || o.modes_accueil.iter().any(|m| m == "a-distance"),
        o.telephone.is_some() || o.courriel.is_some() || o.lien_mobilisation.is_some(),
        !o.modes_mobilisation.is_empty(),
        o.frais.is_some(),
    ];
    let remplis = criteres.iter().filter(|c| **c).count();
    (remplis as f64 / criteres.len() as f64 * 100.0).round() / 100.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opening_hours_read_in_french_and_other_forms_left_as_written() {
        assert_eq!(
            horaires_lisibles("Mo 09:00-12:00,14:00-17:00; Tu 09:00-12:00"),
            "lundi 09:00–12:00 et 14:00–17:00 ; mardi 09:00–12:00"
        );
        assert_eq!(
            horaires_lisibles("Mo-Fr 09:00-17:00; PH off"),
            "Mo-Fr 09:00-17:00 ; PH off"
        );
        assert_eq!(
            horaires_lisibles("Su 10:00-12:00; Xx 1-2"),
            "dimanche 10:00–12:00 ; Xx 1-2"
        );
    }

    #[test]
    fn a_row_belongs_to_a_departement_by_its_commune_postal_code_or_zone() {
        let brut = |champs: &[(Champ, &str)]| -> Brut {
            champs
                .iter()
                .map(|(c, v)| (*c, ((*v).to_owned(), Arc::from("colonne"))))
                .collect()
        };
        let dans = |champs: &[(Champ, &str)], d: &str| dans_departement(&brut(champs), d);
        assert!(dans(&[(Champ::CodeInsee, "55545")], "55"));
        assert!(!dans(&[(Champ::CodeInsee, "54395")], "55"));
        // The INSEE code decides over a postal code that says otherwise.
        assert!(dans(&[(Champ::CodeInsee, "55545"), (Champ::CodePostal, "54000")], "55"));
        assert!(dans(&[(Champ::CodePostal, "55100")], "55"));
        assert!(dans(&[(Champ::CodePostal, "55 100")], "55") && dans(&[(Champ::CodePostal, "55\u{a0}100")], "55"));
        assert!(!dans(&[(Champ::CodePostal, "75011")], "55"));
        assert!(dans(&[(Champ::CodePostal, "97400")], "974"));
        assert!(dans(&[(Champ::CodePostal, "20000")], "2A") && !dans(&[(Champ::CodePostal, "20000")], "2B"));
        assert!(dans(&[(Champ::ZoneEligibilite, "['54', '55']")], "55"));
        assert!(dans(&[(Champ::ZoneEligibilite, "55029")], "55"));
        assert!(!dans(&[(Champ::ZoneEligibilite, "france")], "55"));
        assert!(!dans(&[(Champ::Nom, "Sans lieu")], "55"));
    }

    fn jour() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 26).unwrap()
    }

    fn brut(paires: &[(Champ, &str)]) -> Brut {
        paires
            .iter()
            .map(|(c, v)| (*c, (v.to_string(), format!("col_{}", c.code()).into())))
            .collect()
    }

    #[test]
    fn a_complete_row_gives_a_full_score() {
        let b = brut(&[
            (Champ::Id, "A1"),
            (Champ::Nom, "Atelier CV"),
            (Champ::Structure, "Mission locale"),
            (
                Champ::Description,
                "Un atelier collectif pour écrire son CV et préparer ses entretiens d'embauche.",
            ),
            (Champ::DateMaj, "2026-09-01"),
            (
                Champ::Thematiques,
                "preparer-sa-candidature--realiser-un-cv-et-ou-une-lettre-de-motivation, mobilite--preparer-un-permis",
            ),
            (Champ::Publics, "tous-publics"),
            (Champ::Types, "atelier"),
            (Champ::ModesAccueil, "en-presentiel"),
            (Champ::CodeInsee, "55545"),
            (Champ::CodePostal, "55100"),
            (Champ::Telephone, "03 29 00 00 00"),
            (Champ::ModesMobilisation, "telephoner"),
            (Champ::Frais, "gratuit"),
        ]);
        let (o, problemes) = verifier(&b, jour(), "55");
        let o = o.unwrap();
        assert!(problemes.is_empty(), "{problemes:?}");
        assert_eq!(o.commune.as_deref(), Some("55545"));
        assert_eq!(o.thematiques.len(), 2);
        assert_eq!(o.score_qualite, 1.0);
    }

    #[test]
    fn errors_reject_and_warnings_keep() {
        let (o, p) = verifier(&brut(&[(Champ::Nom, "Atelier")]), jour(), "55");
        assert!(o.is_none());
        assert!(
            p.iter()
                .any(|p| p.gravite == Gravite::Erreur && p.message.contains("identifiant"))
        );

        let (o, p) = verifier(
            &brut(&[
                (Champ::Id, "1"),
                (Champ::Nom, "Atelier"),
                (Champ::Thematiques, "mobilite--passer-le-permis"),
            ]),
            jour(),
            "55",
        );
        assert!(o.is_none());
        let e = p.iter().find(|p| p.gravite == Gravite::Erreur).unwrap();
        assert_eq!(
            (e.colonne.as_str(), e.valeur.as_str()),
            ("col_thematiques", "mobilite--passer-le-permis")
        );
        assert!(e.message.contains("vouliez-vous dire"), "{}", e.message);

        let (o, p) = verifier(
            &brut(&[(Champ::Id, "1"), (Champ::Nom, "Atelier"), (Champ::Commune, "Verdunn")]),
            jour(),
            "55",
        );
        assert!(o.is_none());
        assert!(p.iter().any(|p| p.message.contains("Verdun (55)")), "{p:?}");

        let (o, p) = verifier(
            &brut(&[
                (Champ::Id, "1"),
                (Champ::Nom, "Atelier"),
                (Champ::DateMaj, "31/02/2026"),
            ]),
            jour(),
            "55",
        );
        assert!(o.is_none() && p.iter().any(|p| p.message.contains("n'existe pas")));

        // Kept with warnings: stale date, odd phone, postal code of another commune (the
        // real case of Dun-sur-Meuse in the France services list).
        let (o, p) = verifier(
            &brut(&[
                (Champ::Id, "1"),
                (Champ::Nom, "France services"),
                (Champ::DateMaj, "2024-08-01"),
                (Champ::Telephone, "poste 12"),
                (Champ::CodeInsee, "55167"),
                (Champ::CodePostal, "55100"),
                (Champ::Publics, "tous-publics, martiens"),
            ]),
            jour(),
            "55",
        );
        let o = o.unwrap();
        assert_eq!(o.commune.as_deref(), Some("55167"));
        assert_eq!(o.publics, ["tous-publics"]);
        let messages: Vec<&str> = p.iter().map(|p| p.message.as_str()).collect();
        assert!(p.iter().all(|p| p.gravite == Gravite::Avertissement), "{messages:?}");
        assert!(messages.iter().any(|m| m.contains("plus d'un an")));
        assert!(
            messages.iter().any(|m| m.contains("Dun-sur-Meuse (55110)")),
            "{messages:?}"
        );
        assert!(messages.iter().any(|m| m.contains("valeur inconnue de publics")));
    }

    #[test]
    fn withdrawals_that_empty_a_source_or_take_most_of_it_are_refused() {
        assert_eq!(controler_retrait(0, 0, 0, false), Ok(()));
        assert_eq!(controler_retrait(3, 0, 3, false), Ok(()));
        assert_eq!(controler_retrait(3, 1, 2, false), Ok(()));
        assert_eq!(controler_retrait(4, 2, 2, false), Ok(()), "la moitié, pas plus");
        assert_eq!(
            controler_retrait(3, 2, 1, false),
            Err(RetraitRefuse::Massif {
                retirees: 2,
                actives: 3
            })
        );
        assert_eq!(controler_retrait(3, 2, 1, true), Ok(()));
        // Nothing left: refused, confirmed or not; new offers are something left.
        for confirme in [false, true] {
            assert_eq!(
                controler_retrait(3, 3, 0, confirme),
                Err(RetraitRefuse::Tout { actives: 3 })
            );
        }
        assert_eq!(controler_retrait(3, 3, 5, true), Ok(()));
        let m = RetraitRefuse::Massif {
            retirees: 2,
            actives: 3,
        };
        assert!(
            m.message("ml").contains("2 des 3") && m.aide().contains("--retirer") && m.aide().contains("--partiel")
        );
    }

    proptest::proptest! {
        /// Whatever the counts, nothing is withdrawn that leaves a source empty, and more
        /// than half only when confirmed.
        #[test]
        fn withdrawals_are_bounded(actives in 0u64..50, retirees in 0u64..50, restantes in 0u64..50, confirme: bool) {
            let retirees = retirees.min(actives);
            if controler_retrait(actives, retirees, restantes, confirme).is_ok() && retirees > 0 {
                proptest::prop_assert!(restantes > 0);
                proptest::prop_assert!(confirme || retirees * 2 <= actives);
            }
        }
    }

    #[test]
    fn a_known_commune_with_a_wrong_postal_code_is_kept_with_a_warning() {
        let (o, p) = verifier(
            &brut(&[
                (Champ::Id, "1"),
                (Champ::Nom, "Atelier"),
                (Champ::Commune, "Verdun"),
                (Champ::CodePostal, "55999"),
            ]),
            jour(),
            "55",
        );
        assert_eq!(o.expect("gardée").commune.as_deref(), Some("55545"), "{p:?}");
        assert!(p.iter().all(|p| p.gravite == Gravite::Avertissement), "{p:?}");
        assert!(
            p.iter()
                .any(|p| p.colonne == "col_code_postal" && p.message.contains("ne correspond pas à Verdun (55100)")),
            "{p:?}"
        );
        // A postal code still tells homonyms apart, and an unknown name is still an error.
        let (o, _) = verifier(
            &brut(&[
                (Champ::Id, "1"),
                (Champ::Nom, "Atelier"),
                (Champ::Commune, "Verdunn"),
                (Champ::CodePostal, "55999"),
            ]),
            jour(),
            "55",
        );
        assert!(o.is_none());
    }

    #[test]
    fn v0_thematiques_are_translated_on_import() {
        let (o, p) = verifier(
            &brut(&[
                (Champ::Id, "1"),
                (Champ::Nom, "Créer"),
                (Champ::Thematiques, "creation-activite"),
            ]),
            jour(),
            "55",
        );
        assert_eq!(o.unwrap().thematiques, ["creer-une-entreprise"], "{p:?}");
    }

    proptest::proptest! {
        // An unknown commune is compared with every name of France: slow in debug builds.
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]

        /// Any row from any spreadsheet: accepted exactly when no finding is an error, and an
        /// accepted offer holds only sound values.
        #[test]
        fn any_row_is_accepted_only_when_sound(
            valeurs in proptest::collection::vec(
                "\\PC{0,24}|[0-9.,-]{1,12}|55[0-9]{3}|2026-[0-9]{2}-[0-9]{2}|[a-z-]{1,30}(, [a-z-]{1,30})?",
                Champ::TOUS.len(),
            ),
            presents in proptest::collection::vec(proptest::bool::weighted(0.7), Champ::TOUS.len()),
        ) {
            let b: Brut = Champ::TOUS
                .iter()
                .zip(valeurs)
                .zip(presents)
                .filter(|(_, present)| *present)
                .map(|((c, v), _)| (*c, (v, format!("col_{}", c.code()).into())))
                .collect();
            let (offre, problemes) = verifier(&b, jour(), "55");
            let erreurs = problemes.iter().filter(|p| p.gravite == Gravite::Erreur).count();
            proptest::prop_assert_eq!(offre.is_some(), erreurs == 0);
            for p in &problemes {
                proptest::prop_assert!(!p.message.is_empty() && !p.colonne.is_empty());
            }
            if let Some(o) = offre {
                proptest::prop_assert!(!o.identifiant.trim().is_empty() && !o.nom.trim().is_empty());
                proptest::prop_assert!(o.latitude.is_none_or(|l| (-90.0..=90.0).contains(&l)));
                proptest::prop_assert!(o.longitude.is_none_or(|l| (-180.0..=180.0).contains(&l)));
                proptest::prop_assert!((0.0..=1.0).contains(&o.score_qualite));
                proptest::prop_assert!(o.date_maj.is_none_or(|d| d <= jour()));
            }
        }
    }
}
