//! The catalogue as data·inclusion v1 publishes it: each offer becomes a *service* and
//! its provider a *structure*, under the rules of the v1 schema (required fields, lengths,
//! formats, lists of codes). An offer the schema cannot take is left out with its reasons;
//! an optional value it cannot take is dropped and counted.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::NaiveDate;
use serde::Serialize;

use super::offre::Offre;
use super::texte::normaliser;
use crate::referentiel::{communes, listes, thematiques};

/// A data·inclusion v1 service; fields in the schema's order, absent values as `null`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Service {
    pub source: String,
    pub structure_id: String,
    pub id: String,
    pub nom: String,
    pub description: String,
    pub lien_source: Option<String>,
    pub date_maj: NaiveDate,
    #[serde(rename = "type")]
    pub type_: Option<String>,
    pub thematiques: Option<Vec<String>>,
    pub frais: Option<String>,
    pub frais_precisions: Option<String>,
    pub publics: Option<Vec<String>>,
    pub publics_precisions: Option<String>,
    pub conditions_acces: Option<String>,
    pub commune: Option<String>,
    pub code_postal: Option<String>,
    pub code_insee: Option<String>,
    pub adresse: Option<String>,
    pub complement_adresse: Option<String>,
    pub longitude: Option<f64>,
    pub latitude: Option<f64>,
    pub telephone: Option<String>,
    pub courriel: Option<String>,
    pub modes_accueil: Option<Vec<String>>,
    pub zone_eligibilite: Option<Vec<String>>,
    pub contact_nom_prenom: Option<String>,
    pub lien_mobilisation: Option<String>,
    pub modes_mobilisation: Option<Vec<String>>,
    pub mobilisable_par: Option<Vec<String>>,
    pub mobilisation_precisions: Option<String>,
    pub volume_horaire_hebdomadaire: Option<f64>,
    pub nombre_semaines: Option<i64>,
    pub horaires_accueil: Option<String>,
}

/// A data·inclusion v1 structure; fields in the schema's order, absent values as `null`.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Structure {
    pub source: String,
    pub id: String,
    pub nom: String,
    pub date_maj: NaiveDate,
    pub description: Option<String>,
    pub lien_source: Option<String>,
    pub siret: Option<String>,
    pub commune: Option<String>,
    pub code_postal: Option<String>,
    pub code_insee: Option<String>,
    pub adresse: Option<String>,
    pub complement_adresse: Option<String>,
    pub longitude: Option<f64>,
    pub latitude: Option<f64>,
    pub telephone: Option<String>,
    pub courriel: Option<String>,
    pub site_web: Option<String>,
    pub horaires_accueil: Option<String>,
    pub accessibilite_lieu: Option<String>,
    pub reseaux_porteurs: Option<Vec<String>>,
}

/// An offer named with what is said of it: one the schema cannot take, and why; or one
/// published without a value the schema refuses ([`Publieur::categories_seules`]).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Ecartee {
    pub source: String,
    pub identifiant: String,
    /// The offer's name: how a person finds it in the partner's file (an identifiant
    /// computed at import, `calc-…`, tells them nothing).
    pub nom: String,
    pub motifs: Vec<String>,
    /// Where the offer was read: the file and its line, when the import recorded them.
    pub provenance: Option<Provenance>,
}

/// The file an offer was imported from, and its line there (the sheet's row for a
/// workbook).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Provenance {
    pub fichier: String,
    pub ligne: u64,
}

/// What the export publishes, what it leaves out, and how many optional values of each
/// kind it dropped or reduced (by a sentence saying what was done), held together.
#[cfg(test)]
#[derive(Debug, Default)]
pub struct Publication {
    pub structures: Vec<Structure>,
    pub services: Vec<Service>,
    pub ecartees: Vec<Ecartee>,
    pub retouches: BTreeMap<&'static str, u64>,
}

#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Dates in the future are refused by the schema.
    pub aujourdhui: NaiveDate,
    /// Telephones in the E.164 form (`+33329000000`).
    pub telephone_international: bool,
}

/// Lengths of the schema, in characters.
const NOM: std::ops::RangeInclusive<usize> = 3..=150;
const DESCRIPTION: std::ops::RangeInclusive<usize> = 5..=10_000;

/// Why an offer's description keeps it from data·inclusion, if it does.
pub fn description_impubliable(description: Option<&str>) -> Option<&'static str> {
    match description.map(|d| d.chars().count()) {
        None => Some("description absente"),
        Some(n) if n < *DESCRIPTION.start() => Some("description trop courte (moins de 5 caractères)"),
        Some(n) if n > *DESCRIPTION.end() => Some("description trop longue (plus de 10 000 caractères)"),
        Some(_) => None,
    }
}

/// Why an offer's structure name keeps it from data·inclusion, if it does.
pub fn structure_impubliable(nom: Option<&str>) -> Option<String> {
    let nom = nom.unwrap_or_default();
    let n = nom.chars().count();
    if nom.is_empty() || slug(nom).is_empty() {
        Some("nom de la structure absent".to_owned())
    } else if !NOM.contains(&n) {
        Some(format!("nom de la structure de {n} caractères (attendu 3 à 150)"))
    } else {
        None
    }
}

/// Whether a reason given by [`Publieur::examiner`] is a value missing (which a profile's
/// `[fixe]` can give), not a value refused (which only the partner can correct).
pub fn motif_de_manque(motif: &str) -> bool {
    motif.ends_with(" absent") || motif.ends_with(" absente")
}

/// Kinds of [`Publication::retouches`].
pub const CATEGORIE_SEULE: &str =
    "thématique réduite à une catégorie, non publiée (le schéma v1 veut `categorie--besoin`)";
const PLUSIEURS_TYPES: &str = "plusieurs types : seul le premier est publié (le schéma v1 n'en prend qu'un)";
const TOUS_PUBLICS: &str = "`tous-publics` avec d'autres publics : seul `tous-publics` est publié";
const CODE_POSTAL: &str = "code postal qui n'a pas 5 chiffres, non publié";
const LIEN: &str = "lien qui n'est pas une adresse http(s), non publié";
const COURRIEL: &str = "courriel illisible, non publié";
const TELEPHONE: &str = "téléphone qui n'est pas un numéro français, gardé tel quel";

/// `Mission locale de Verdun` → `mission-locale-de-verdun`.
pub fn slug(texte: &str) -> String {
    normaliser(texte).replace(' ', "-")
}

/// The data·inclusion id of a record of `source`: `source--id`, unless the source's id
/// already has that prefix.
pub fn identifiant(source: &str, id: &str) -> String {
    let prefixe = format!("{source}--");
    if id.starts_with(&prefixe) {
        id.to_owned()
    } else {
        format!("{prefixe}{id}")
    }
}

/// A French number in the E.164 form: `03 29 00 00 00` → `+33329000000`, overseas
/// departments under their own country code (`0262…` → `+262262…`). A number already
/// international is kept (without separators); anything else is `None`.
pub fn telephone_international(telephone: &str) -> Option<String> {
    let t = telephone.trim();
    if !t
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '.' | '-' | '+' | '(' | ')'))
    {
        return None;
    }
    let chiffres: String = t.chars().filter(char::is_ascii_digit).collect();
    if t.starts_with('+') || chiffres.starts_with("00") {
        let sans = chiffres.strip_prefix("00").unwrap_or(&chiffres);
        return (8..=15).contains(&sans.len()).then(|| format!("+{sans}"));
    }
    if chiffres.len() != 10 || !chiffres.starts_with('0') || chiffres.as_bytes()[1] == b'0' {
        return None;
    }
    let national = &chiffres[1..];
    const OUTRE_MER: &[(&str, &str)] = &[
        ("262", "262"),
        ("263", "262"),
        ("269", "262"),
        ("639", "262"),
        ("692", "262"),
        ("693", "262"),
        ("590", "590"),
        ("690", "590"),
        ("691", "590"),
        ("594", "594"),
        ("694", "594"),
        ("596", "596"),
        ("696", "596"),
        ("697", "596"),
    ];
    let indicatif = OUTRE_MER
        .iter()
        .find(|(debut, _)| national.starts_with(debut))
        .map_or("33", |(_, i)| i);
    Some(format!("+{indicatif}{national}"))
}

/// An http(s) address as the schema's `HttpUrl` takes it; a bare `www.…` gets `https://`.
pub fn lien(texte: &str) -> Option<String> {
    let t = texte.trim();
    if t.is_empty() || t.len() > 2083 || t.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return None;
    }
    let minuscule = t.to_ascii_lowercase();
    let complet = if minuscule.starts_with("http://") || minuscule.starts_with("https://") {
        t.to_owned()
    } else if minuscule.starts_with("www.") {
        format!("https://{t}")
    } else {
        return None;
    };
    let apres = &complet[complet.find("://")? + 3..];
    let hote = apres.split(['/', '?', '#']).next().unwrap_or_default();
    let hote = hote.rsplit('@').next().unwrap_or_default();
    let nom = hote.rsplit_once(':').map_or(hote, |(h, port)| {
        if port.chars().all(|c| c.is_ascii_digit()) {
            h
        } else {
            hote
        }
    });
    let valide = !nom.is_empty()
        && !nom.starts_with(['.', '-'])
        && !nom.ends_with(['.', '-'])
        && nom.chars().all(|c| c.is_alphanumeric() || matches!(c, '.' | '-'));
    valide.then_some(complet)
}

/// Five digits; a four-digit code lost its leading zero in a spreadsheet.
pub fn code_postal(texte: &str) -> Option<String> {
    let sans: String = texte.chars().filter(|c| !c.is_whitespace()).collect();
    if !sans.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    match sans.len() {
        5 => Some(sans),
        4 => Some(format!("0{sans}")),
        _ => None,
    }
}

/// A code of the schema's `zone_eligibilite`: commune (5), département (2 or 3), EPCI
/// (9 digits), country (`99…`) or `france`.
pub fn code_de_zone(code: &str) -> bool {
    let alnum = code.chars().all(|c| c.is_ascii_alphanumeric());
    let chiffres = code.chars().all(|c| c.is_ascii_digit());
    code == "france" || (alnum && matches!(code.len(), 2 | 3 | 5)) || (chiffres && code.len() == 9)
}

/// The publics as the schema takes them: `tous-publics` alone when it is there.
pub fn publics(publics: &[String]) -> (Vec<String>, bool) {
    let connus: Vec<String> = publics
        .iter()
        .filter(|p| listes::PUBLICS.contient(p))
        .cloned()
        .collect();
    if connus.len() > 1 && connus.iter().any(|p| p == "tous-publics") {
        (vec!["tous-publics".to_owned()], true)
    } else {
        (connus, false)
    }
}

/// The v1 thematiques (`categorie--besoin`); a bare category is not one.
pub fn thematiques_v1(thematiques: &[String]) -> (Vec<String>, Vec<String>) {
    thematiques
        .iter()
        .cloned()
        .partition(|t| t.contains("--") && thematiques::par_code(t).is_some())
}

fn liste(valeurs: Vec<String>) -> Option<Vec<String>> {
    (!valeurs.is_empty()).then_some(valeurs)
}

fn de_la_liste(valeurs: &[String], l: &listes::Liste) -> Option<Vec<String>> {
    liste(valeurs.iter().filter(|v| l.contient(v)).cloned().collect())
}

/// One offer, checked: the service, the structure it belongs to, or the reasons it
/// cannot be published.
struct Candidat {
    service: Service,
    structure: Structure,
    /// The thematiques given as a category alone, not published.
    categories: Vec<String>,
}

/// The structure an offer belongs to: its id in the source when given, else its name and
/// the commune of the offer (a structure of data·inclusion is one place).
fn structure_de(source: &str, o: &Offre, motifs: &mut Vec<String>) -> Structure {
    let nom = o.structure_nom.clone().unwrap_or_default();
    motifs.extend(structure_impubliable(Some(&nom)));
    let siret = o
        .structure_id
        .as_ref()
        .map(|id| id.chars().filter(|c| !c.is_whitespace()).collect::<String>())
        .filter(|id| id.len() == 14 && id.chars().all(|c| c.is_ascii_digit()));
    let id = match (&siret, &o.structure_id, &o.commune) {
        (Some(siret), _, _) => siret.clone(),
        (None, Some(id), _) => id.clone(),
        (None, None, Some(code)) => format!("{}-{code}", slug(&nom)),
        (None, None, None) => slug(&nom),
    };
    Structure {
        source: source.to_owned(),
        id: identifiant(source, &id),
        nom,
        siret,
        ..Structure::default()
    }
}

fn candidat(
    source: &str,
    o: &Offre,
    opt: &Options,
    retouches: &mut BTreeMap<&'static str, u64>,
) -> Result<Candidat, Vec<String>> {
    let mut motifs = Vec::new();
    let mut retoucher = |quoi: &'static str, fait: bool| {
        if fait {
            *retouches.entry(quoi).or_default() += 1;
        }
    };
    let n = o.nom.chars().count();
    if !NOM.contains(&n) {
        motifs.push(format!("nom de l'offre de {n} caractères (attendu 3 à 150)"));
    }
    motifs.extend(description_impubliable(o.description.as_deref()).map(str::to_owned));
    let plancher = NaiveDate::from_ymd_opt(2000, 1, 1).unwrap_or_default();
    match o.date_maj {
        None => motifs.push("date de mise à jour absente".to_owned()),
        Some(d) if d < plancher => motifs.push(format!("date de mise à jour {d} antérieure à 2000")),
        Some(d) if d > opt.aujourdhui => motifs.push(format!("date de mise à jour {d} dans le futur")),
        Some(_) => {}
    }
    let structure = structure_de(source, o, &mut motifs);
    if !motifs.is_empty() {
        return Err(motifs);
    }

    let (thematiques, categories) = thematiques_v1(&o.thematiques);
    retoucher(CATEGORIE_SEULE, !categories.is_empty());
    retoucher(PLUSIEURS_TYPES, o.types.len() > 1);
    let (publics, reduits) = publics(&o.publics);
    retoucher(TOUS_PUBLICS, reduits);
    let cp = o.code_postal.as_deref().map(|c| (code_postal(c), c));
    retoucher(CODE_POSTAL, matches!(cp, Some((None, _))));
    let mut lien_ou_rien = |texte: &Option<String>| {
        let l = texte.as_deref().map(lien);
        retoucher(LIEN, matches!(l, Some(None)));
        l.flatten()
    };
    let (lien_source, lien_mobilisation) = (lien_ou_rien(&o.lien_source), lien_ou_rien(&o.lien_mobilisation));
    let courriel = o.courriel.as_deref().map(|c| super::personne::courriel(c).ok());
    retoucher(COURRIEL, matches!(courriel, Some(None)));
    let telephone = match (&o.telephone, opt.telephone_international) {
        (Some(t), true) => {
            let international = telephone_international(t);
            retoucher(TELEPHONE, international.is_none());
            Some(international.unwrap_or_else(|| t.clone()))
        }
        (t, _) => t.clone(),
    };
    let commune = o.commune.as_deref().and_then(communes::par_code);
    let service = Service {
        source: source.to_owned(),
        structure_id: structure.id.clone(),
        id: identifiant(source, &o.identifiant),
        nom: o.nom.clone(),
        description: o.description.clone().unwrap_or_default(),
        lien_source,
        date_maj: o.date_maj.unwrap_or_default(),
        type_: o.types.iter().find(|t| listes::TYPES.contient(t)).cloned(),
        thematiques: liste(thematiques),
        frais: o.frais.clone().filter(|f| listes::FRAIS.contient(f)),
        frais_precisions: o.frais_precisions.clone(),
        publics: liste(publics),
        publics_precisions: o.publics_precisions.clone(),
        conditions_acces: o.conditions_acces.clone(),
        commune: commune.map(|c| c.nom.to_owned()),
        code_postal: cp.and_then(|(c, _)| c),
        code_insee: commune.map(|c| c.code.to_owned()),
        adresse: o.adresse.clone(),
        complement_adresse: o.complement_adresse.clone(),
        longitude: o.longitude,
        latitude: o.latitude,
        telephone,
        courriel: courriel.flatten(),
        modes_accueil: de_la_liste(&o.modes_accueil, &listes::MODES_ACCUEIL),
        zone_eligibilite: liste(o.zone_eligibilite.iter().filter(|z| code_de_zone(z)).cloned().collect()),
        contact_nom_prenom: o.contact_nom_prenom.clone(),
        lien_mobilisation,
        modes_mobilisation: de_la_liste(&o.modes_mobilisation, &listes::MODES_MOBILISATION),
        mobilisable_par: de_la_liste(&o.mobilisable_par, &listes::MOBILISABLE_PAR),
        mobilisation_precisions: o.mobilisation_precisions.clone(),
        volume_horaire_hebdomadaire: o.volume_horaire_hebdomadaire.filter(|h| *h >= 0.0),
        nombre_semaines: o.nombre_semaines.filter(|n| *n >= 1),
        horaires_accueil: o.horaires_accueil.clone(),
    };
    Ok(Candidat {
        service,
        structure,
        categories,
    })
}

/// The publisher of the offers of a source: the producer a data·inclusion file named
/// (`data-inclusion/dora` → `dora`), whose offer it stays when exported again, or the
/// source itself.
pub fn source_d_origine(source: &str) -> &str {
    source.rsplit_once('/').map_or(source, |(_, producteur)| producteur)
}

/// The offers made data·inclusion v1 records in two passes over the same offers in the
/// same order, so that the catalogue is never held whole: [`Publieur::examiner`] checks
/// each offer and gathers the structures (which a file gives before the services), then
/// [`Publieur::service`] makes each service again as it is written. Sources are written as
/// their [`slug`]; structures come in the order of their first service, and take the date
/// of their latest service and the place, telephone and e-mail their services all share.
#[derive(Debug)]
pub struct Publieur {
    opt: Options,
    structures: Vec<Structure>,
    rang_structure: HashMap<String, usize>,
    /// The ids of the services published, each given once.
    ids: HashSet<String>,
    /// The ranks of the offers left out, in the order examined.
    laissees: HashSet<usize>,
    examinees: usize,
    /// The rank of the next offer of the second pass.
    suivante: usize,
    pub ecartees: Vec<Ecartee>,
    pub retouches: BTreeMap<&'static str, u64>,
    /// The first offers published without a thematique given as its category alone
    /// ([`Publieur::retouches`] counts them all), the categories as their reasons.
    pub categories_seules: Vec<Ecartee>,
}

/// Offers named in [`Publieur::categories_seules`].
pub const NOMMEES: usize = 10;

impl Publieur {
    pub fn new(opt: Options) -> Publieur {
        Publieur {
            opt,
            structures: Vec::new(),
            rang_structure: HashMap::new(),
            ids: HashSet::new(),
            laissees: HashSet::new(),
            examinees: 0,
            suivante: 0,
            ecartees: Vec::new(),
            retouches: BTreeMap::new(),
            categories_seules: Vec::new(),
        }
    }

    /// First pass: the offer counted for its structure, or left out with its reasons;
    /// `provenance` says where it was read, to name it.
    pub fn examiner(&mut self, source: &str, o: &Offre, provenance: Option<&Provenance>) {
        let nommee = |motifs: Vec<String>| Ecartee {
            source: source.to_owned(),
            identifiant: o.identifiant.clone(),
            nom: o.nom.clone(),
            motifs,
            provenance: provenance.cloned(),
        };
        let rang = self.examinees;
        self.examinees += 1;
        let motifs = match candidat(&slug(source_d_origine(source)), o, &self.opt, &mut self.retouches) {
            Err(motifs) => motifs,
            Ok(c) if self.ids.contains(&c.service.id) => vec![format!(
                "identifiant {} déjà donné par une autre offre (sources de même nom une fois normalisé ?)",
                c.service.id
            )],
            Ok(mut c) => {
                if !c.categories.is_empty() && self.categories_seules.len() < NOMMEES {
                    self.categories_seules.push(nommee(std::mem::take(&mut c.categories)));
                }
                self.ids.insert(c.service.id.clone());
                self.rassembler(c);
                return;
            }
        };
        self.laissees.insert(rang);
        self.ecartees.push(nommee(motifs));
    }

    /// The service's structure takes its date if later, and keeps of its place, telephone
    /// and e-mail only what all its services share.
    fn rassembler(&mut self, c: Candidat) {
        let service = c.service;
        let Some(&rang) = self.rang_structure.get(&c.structure.id) else {
            let mut s = c.structure;
            s.date_maj = service.date_maj;
            macro_rules! reprendre {
                ($($champ:ident),+) => { $( s.$champ = service.$champ.clone(); )+ };
            }
            reprendre!(
                commune, code_postal, code_insee, adresse, complement_adresse, longitude, latitude, telephone, courriel
            );
            self.rang_structure.insert(s.id.clone(), self.structures.len());
            self.structures.push(s);
            return;
        };
        let s = &mut self.structures[rang];
        s.date_maj = s.date_maj.max(service.date_maj);
        macro_rules! partage {
            ($($champ:ident),+) => {
                $( if s.$champ != service.$champ { s.$champ = None; } )+
            };
        }
        partage!(
            commune, code_postal, code_insee, adresse, complement_adresse, longitude, latitude, telephone, courriel
        );
    }

    /// The structures, once every offer is examined.
    pub fn structures(&self) -> &[Structure] {
        &self.structures
    }

    /// Second pass, over the same offers in the same order: the service of the offer, or
    /// nothing when the first pass left it out.
    pub fn service(&mut self, source: &str, o: &Offre) -> Option<Service> {
        let rang = self.suivante;
        self.suivante += 1;
        if self.laissees.contains(&rang) {
            return None;
        }
        // Counted by the first pass already.
        let mut recomptees = BTreeMap::new();
        candidat(&slug(source_d_origine(source)), o, &self.opt, &mut recomptees)
            .ok()
            .map(|c| c.service)
    }
}

/// The offers `(source, offre)`, in order, as data·inclusion v1 records, held together.
#[cfg(test)]
pub fn publier<'a>(offres: impl IntoIterator<Item = (&'a str, &'a Offre)>, opt: &Options) -> Publication {
    let offres: Vec<_> = offres.into_iter().collect();
    let mut publieur = Publieur::new(*opt);
    for (source, o) in &offres {
        publieur.examiner(source, o, None);
    }
    let services = offres
        .iter()
        .filter_map(|(source, o)| publieur.service(source, o))
        .collect();
    Publication {
        structures: publieur.structures,
        services,
        ecartees: publieur.ecartees,
        retouches: publieur.retouches,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jour() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 26).unwrap()
    }

    fn opt() -> Options {
        Options {
            aujourdhui: jour(),
            telephone_international: false,
        }
    }

    fn offre(id: &str) -> Offre {
        Offre {
            identifiant: id.into(),
            structure_nom: Some("CCAS de Verdun".into()),
            nom: "Atelier CV".into(),
            description: Some("Un atelier pour écrire son CV.".into()),
            date_maj: Some(jour()),
            commune: Some("55545".into()),
            ..Offre::default()
        }
    }

    #[test]
    fn ids_are_prefixed_by_their_source_once() {
        assert_eq!(identifiant("ml", "42"), "ml--42");
        assert_eq!(identifiant("ml", "ml--42"), "ml--42");
        assert_eq!(slug("Mission locale (Verdun)"), "mission-locale-verdun");
    }

    #[test]
    fn telephones_take_the_international_form() {
        for (saisi, attendu) in [
            ("03 29 00 00 00", Some("+33329000000")),
            ("06.12.34.56.78", Some("+33612345678")),
            ("0262 12 34 56", Some("+262262123456")),
            ("0696 12 34 56", Some("+596696123456")),
            ("+32 2 123 45 67", Some("+3221234567")),
            ("poste 12", None),
            ("3949", None),
        ] {
            assert_eq!(telephone_international(saisi).as_deref(), attendu, "{saisi}");
        }
    }

    #[test]
    fn links_are_http_addresses() {
        assert_eq!(lien("https://a.fr/x?y=1").as_deref(), Some("https://a.fr/x?y=1"));
        assert_eq!(lien("www.a.fr").as_deref(), Some("https://www.a.fr"));
        assert_eq!(
            lien("http://localhost:8080/").as_deref(),
            Some("http://localhost:8080/")
        );
        for faux in [
            "a.fr", "ftp://a.fr", "https://", "https://a b.fr", "mailto:x@a.fr", "https://-a.fr",
        ] {
            assert_eq!(lien(faux), None, "{faux}");
        }
    }

    #[test]
    fn postal_codes_and_zones_follow_the_schema_patterns() {
        assert_eq!(code_postal("55 100").as_deref(), Some("55100"));
        assert_eq!(code_postal("1000").as_deref(), Some("01000"));
        assert_eq!(code_postal("551"), None);
        assert_eq!(code_postal("55100 Verdun"), None);
        for bon in ["france", "55", "2A", "971", "55545", "200066025", "99100"] {
            assert!(code_de_zone(bon), "{bon}");
        }
        for mauvais in ["", "5", "5554", "France", "55-5", "2000660250"] {
            assert!(!code_de_zone(mauvais), "{mauvais}");
        }
    }

    #[test]
    fn tous_publics_stands_alone_and_categories_are_not_thematiques() {
        let v = |x: &[&str]| x.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(publics(&v(&["jeunes", "tous-publics"])), (v(&["tous-publics"]), true));
        assert_eq!(publics(&v(&["femmes", "jeunes"])), (v(&["femmes", "jeunes"]), false));
        assert_eq!(
            thematiques_v1(&v(&["mobilite", "mobilite--preparer-un-permis"])),
            (v(&["mobilite--preparer-un-permis"]), v(&["mobilite"]))
        );
    }

    #[test]
    fn an_offer_without_description_or_date_is_left_out_with_its_reasons() {
        let sans = Offre {
            description: None,
            date_maj: None,
            ..offre("2")
        };
        let futur = Offre {
            date_maj: jour().succ_opt(),
            structure_nom: None,
            ..offre("3")
        };
        let p = publier([("ml", &offre("1")), ("ml", &sans), ("ml", &futur)], &opt());
        assert_eq!(p.services.len(), 1);
        assert_eq!(p.ecartees.len(), 2);
        assert_eq!(
            p.ecartees[0].motifs,
            ["description absente", "date de mise à jour absente"]
        );
        assert!(p.ecartees[1].motifs.iter().any(|m| m.contains("dans le futur")));
        assert!(p.ecartees[1].motifs.iter().any(|m| m.contains("structure absent")));
    }

    #[test]
    fn services_point_to_structures_that_share_their_place() {
        let mut a = offre("1");
        a.telephone = Some("03 29 00 00 00".into());
        a.date_maj = NaiveDate::from_ymd_opt(2026, 1, 1);
        let mut b = offre("2");
        b.telephone = Some("03 29 11 11 11".into());
        let mut ailleurs = offre("3");
        ailleurs.commune = Some("55029".into());
        let mut siret = offre("4");
        siret.structure_id = Some("130 030 133 00016".into());
        let p = publier(
            [
                ("Mission locale", &a),
                ("Mission locale", &b),
                ("Mission locale", &ailleurs),
                ("Mission locale", &siret),
            ],
            &opt(),
        );
        let ids: Vec<&str> = p.structures.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(
            ids,
            [
                "mission-locale--ccas-de-verdun-55545",
                "mission-locale--ccas-de-verdun-55029",
                "mission-locale--13003013300016",
            ]
        );
        assert_eq!(p.services[0].id, "mission-locale--1");
        assert_eq!(p.services[0].structure_id, ids[0]);
        let verdun = &p.structures[0];
        assert_eq!(verdun.date_maj, jour(), "la plus récente de ses offres");
        assert_eq!(verdun.code_insee.as_deref(), Some("55545"));
        assert_eq!(verdun.commune.as_deref(), Some("Verdun"));
        assert_eq!(verdun.telephone, None, "ses offres n'ont pas le même téléphone");
        assert_eq!(p.structures[2].siret.as_deref(), Some("13003013300016"));
    }

    #[test]
    fn optional_values_the_schema_refuses_are_dropped_and_counted() {
        let mut o = offre("1");
        o.types = vec!["atelier".into(), "formation".into()];
        o.thematiques = vec!["mobilite".into()];
        o.publics = vec!["jeunes".into(), "tous-publics".into()];
        o.code_postal = Some("551".into());
        o.lien_mobilisation = Some("inscription au guichet".into());
        o.telephone = Some("03 29 00 00 00".into());
        let p = publier(
            [("ml", &o)],
            &Options {
                telephone_international: true,
                ..opt()
            },
        );
        let s = &p.services[0];
        assert_eq!(s.type_.as_deref(), Some("atelier"));
        assert_eq!(s.thematiques, None);
        assert_eq!(s.publics, Some(vec!["tous-publics".to_owned()]));
        assert_eq!((s.code_postal.as_deref(), s.lien_mobilisation.as_deref()), (None, None));
        assert_eq!(s.telephone.as_deref(), Some("+33329000000"));
        assert_eq!(s.modes_accueil, None, "une liste vide est nulle");
        assert_eq!(p.retouches.len(), 5, "{:?}", p.retouches);
    }
}
