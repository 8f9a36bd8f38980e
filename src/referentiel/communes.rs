//! Every commune of France (COG 2026) and how a caseworker names one: an INSEE code, a
//! name (accents, case, hyphens and "St"/"Saint" do not matter), "55100 Verdun", or
//! "Verdun (55)". Unknown or ambiguous input gets the nearest names.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::sync::{Mutex, OnceLock};

use crate::domain::texte::normaliser;

static CSV: &str = include_str!("data/communes-france.csv");

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Commune {
    pub departement: &'static str,
    pub code: &'static str,
    pub nom: &'static str,
    /// Postal codes joined with `|`.
    pub codes_postaux: &'static str,
    /// SIREN of the EPCI; empty for the four communes outside any EPCI.
    pub code_epci: &'static str,
    pub nom_epci: &'static str,
    pub population: u32,
    /// Centroid of the territory, WGS84; absent for a few communes.
    pub coordonnees: Option<(f64, f64)>,
}

impl Commune {
    pub fn a_le_code_postal(&self, cp: &str) -> bool {
        self.codes_postaux.split('|').any(|c| c == cp)
    }
}

impl fmt::Display for Commune {
    /// `Verdun (55)`, the form the resolver accepts back.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.nom, self.departement)
    }
}

/// All communes, sorted by INSEE code (byte order).
static COMMUNES: OnceLock<Vec<Commune>> = OnceLock::new();

pub fn toutes() -> &'static [Commune] {
    COMMUNES.get_or_init(|| CSV.lines().skip(1).filter_map(lire_ligne).collect())
}

fn lire_ligne(ligne: &'static str) -> Option<Commune> {
    let mut c = ligne.split(';');
    let mut champ = || c.next().unwrap_or("");
    let (departement, code, nom, codes_postaux) = (champ(), champ(), champ(), champ());
    let (code_epci, nom_epci, _arrondissement, population) = (champ(), champ(), champ(), champ());
    let (latitude, longitude) = (champ().parse().ok(), champ().parse().ok());
    Some(Commune {
        departement,
        code,
        nom,
        codes_postaux,
        code_epci,
        nom_epci,
        population: population.parse().ok()?,
        coordonnees: latitude.zip(longitude),
    })
}

/// The commune with this INSEE code. A binary search in the embedded text itself (its
/// lines are sorted by code): showing a dossier does not pay for loading all of France.
pub fn par_code(code: &str) -> Option<Commune> {
    // Once the list is loaded (an import, a resolution), it is the faster way.
    if let Some(communes) = COMMUNES.get() {
        return communes
            .binary_search_by(|c| c.code.cmp(code))
            .ok()
            .map(|i| communes[i]);
    }
    par_code_dans_le_texte(code)
}

fn par_code_dans_le_texte(code: &str) -> Option<Commune> {
    let octets = CSV.as_bytes();
    let entete = octets.iter().position(|&b| b == b'\n')? + 1;
    // Invariant: the line sought, if any, starts in [bas, haut), both line starts.
    let (mut bas, mut haut) = (entete, octets.len());
    while bas < haut {
        let milieu = bas + (haut - bas) / 2;
        let debut = octets[bas..milieu]
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(bas, |i| bas + i + 1);
        let fin = octets[debut..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(octets.len(), |i| debut + i);
        let ligne = &CSV[debut..fin];
        match ligne.split(';').nth(1)?.cmp(code) {
            std::cmp::Ordering::Equal => return lire_ligne(ligne),
            std::cmp::Ordering::Less => bas = fin + 1,
            std::cmp::Ordering::Greater => haut = debut,
        }
    }
    None
}

/// Like [`par_code`], in the loaded list (for the resolver, which loads it anyway).
fn chargee_par_code(code: &str) -> Option<&'static Commune> {
    let communes = toutes();
    communes
        .binary_search_by(|c| c.code.cmp(code))
        .ok()
        .map(|i| &communes[i])
}

/// The codes of the départements and of the EPCI, for checking a zone quickly.
fn codes_de_zones() -> &'static (HashSet<&'static str>, HashSet<&'static str>) {
    static ZONES: OnceLock<(HashSet<&'static str>, HashSet<&'static str>)> = OnceLock::new();
    ZONES.get_or_init(|| {
        let departements = toutes().iter().map(|c| c.departement).collect();
        let epci = toutes().iter().map(|c| c.code_epci).filter(|e| !e.is_empty()).collect();
        (departements, epci)
    })
}

pub fn departement_existe(code: &str) -> bool {
    codes_de_zones().0.contains(code)
}

pub fn epci_existe(code: &str) -> bool {
    codes_de_zones().1.contains(code)
}

/// An EPCI (intercommunality): its SIREN and its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Epci {
    pub code: &'static str,
    pub nom: &'static str,
}

impl fmt::Display for Epci {
    /// `CA du Grand Verdun (200049187)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.nom, self.code)
    }
}

/// Every EPCI of France, by SIREN.
fn tous_les_epci() -> &'static [Epci] {
    static EPCI: OnceLock<Vec<Epci>> = OnceLock::new();
    EPCI.get_or_init(|| {
        let mut epci: Vec<Epci> = toutes()
            .iter()
            .filter(|c| !c.code_epci.is_empty())
            .map(|c| Epci {
                code: c.code_epci,
                nom: c.nom_epci,
            })
            .collect();
        epci.sort_by_key(|e| e.code);
        epci.dedup();
        epci
    })
}

/// The EPCI a user typed: its SIREN, its name (accents, case, hyphens and apostrophes
/// aside), or words of its name that only it has ("grand verdun"). Otherwise an error
/// with the nearest names.
pub fn epci(saisie: &str) -> Result<Epci, crate::error::UserError> {
    use crate::domain::texte::{APERCU, apercu, contient_mots, mots};
    let texte = saisie.trim();
    let montre = apercu(texte, APERCU);
    let cle = normaliser(texte);
    let tous = tous_les_epci();
    if let Some(e) = tous.iter().find(|e| e.code == texte || normaliser(e.nom) == cle) {
        return Ok(*e);
    }
    let liste = |epci: &[Epci]| epci.iter().map(Epci::to_string).collect::<Vec<_>>().join(", ");
    let mots = mots(texte);
    let contenant: Vec<Epci> = if mots.is_empty() || texte.chars().nth(200).is_some() {
        Vec::new()
    } else {
        tous.iter()
            .filter(|e| contient_mots(&[e.nom], &mots))
            .copied()
            .collect()
    };
    match contenant.as_slice() {
        [e] => Ok(*e),
        [] => {
            // The name's words from any of them on: "grand verdunn" is near "grand verdun"
            // whatever comes before it ("CA du").
            let proximite = |e: &Epci| {
                let nom = normaliser(e.nom);
                let debuts = std::iter::once(0).chain(nom.match_indices(' ').map(|(i, _)| i + 1));
                debuts
                    .map(|i| strsim::jaro_winkler(&cle, &nom[i..]))
                    .fold(0.0, f64::max)
            };
            let mut proches: Vec<(f64, Epci)> = if cle.len() > 200 {
                Vec::new()
            } else {
                tous.iter()
                    .map(|e| (proximite(e), *e))
                    .filter(|(p, _)| *p >= 0.85)
                    .collect()
            };
            proches.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.code.cmp(b.1.code)));
            let proches: Vec<Epci> = proches.into_iter().take(5).map(|(_, e)| e).collect();
            let erreur = crate::error::UserError::new(format!("EPCI inconnu : « {montre} »"));
            Err(if proches.is_empty() {
                erreur.aide("donnez son SIREN (9 chiffres, par exemple 200049187) ou son nom")
            } else {
                erreur.aide(format!("vouliez-vous dire {} ?", liste(&proches)))
            })
        }
        plusieurs => Err(crate::error::UserError::new(format!(
            "EPCI ambigu : « {montre} » désigne {} EPCI : {}{}",
            plusieurs.len(),
            liste(&plusieurs[..plusieurs.len().min(8)]),
            if plusieurs.len() > 8 { "…" } else { "" }
        ))
        .aide("donnez son nom complet ou son SIREN")),
    }
}

/// The name of the EPCI of SIREN `code`.
pub fn nom_epci(code: &str) -> Option<&'static str> {
    let tous = tous_les_epci();
    tous.binary_search_by_key(&code, |e| e.code).ok().map(|i| tous[i].nom)
}

/// The key under which a commune's name is looked up: normalised, with "st"/"ste"
/// spelled out.
fn cle(nom: &str) -> String {
    normaliser(nom)
        .split(' ')
        .map(|mot| match mot {
            "st" => "saint",
            "ste" => "sainte",
            autre => autre,
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn index_des_noms() -> &'static HashMap<String, Vec<&'static Commune>> {
    static INDEX: OnceLock<HashMap<String, Vec<&'static Commune>>> = OnceLock::new();
    INDEX.get_or_init(|| {
        let mut index: HashMap<String, Vec<&'static Commune>> = HashMap::new();
        for c in toutes() {
            index.entry(cle(c.nom)).or_default().push(c);
        }
        index
    })
}

/// The communes whose name has this key. The first question of a run reads only the
/// names with the same initial (a command resolving one commune does not index all of
/// France, 25 ms); the next ones, an import's, use the index of all names.
fn du_nom(cle_cherchee: &str) -> Vec<&'static Commune> {
    static QUESTIONS: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
    if QUESTIONS.swap(true, std::sync::atomic::Ordering::Relaxed) {
        return index_des_noms().get(cle_cherchee).cloned().unwrap_or_default();
    }
    let initiale = cle_cherchee.chars().next();
    toutes()
        .iter()
        .filter(|c| initiale_de(c.nom) == initiale && cle(c.nom) == cle_cherchee)
        .collect()
}

/// The first letter of a name's key, cheaply: "Étain" → 'e', "Œuilly" → 'o'.
fn initiale_de(nom: &str) -> Option<char> {
    nom.chars()
        .find(|c| c.is_alphanumeric())
        .and_then(|c| deunicode::deunicode_char(c)?.chars().next())
        .map(|c| c.to_ascii_lowercase())
}

#[derive(Debug, PartialEq)]
pub enum ErreurCommune {
    Vide,
    Inconnue {
        saisie: String,
        proches: Vec<&'static Commune>,
    },
    /// `candidates`: the most populous first, at most eight of `total`.
    Ambigue {
        saisie: String,
        total: usize,
        candidates: Vec<&'static Commune>,
    },
}

fn liste(communes: &[&Commune]) -> String {
    communes.iter().map(|c| c.to_string()).collect::<Vec<_>>().join(", ")
}

impl ErreurCommune {
    pub fn message(&self) -> String {
        match self {
            ErreurCommune::Vide => "commune manquante".into(),
            ErreurCommune::Inconnue { saisie, .. } => format!("commune inconnue : « {saisie} »"),
            ErreurCommune::Ambigue {
                saisie,
                total,
                candidates,
            } => format!(
                "commune ambiguë : « {saisie} » désigne {total} communes : {}{}",
                liste(candidates),
                if *total > candidates.len() { "…" } else { "" }
            ),
        }
    }

    pub fn aide(&self) -> String {
        match self {
            ErreurCommune::Inconnue { proches, .. } if !proches.is_empty() => {
                format!("vouliez-vous dire {} ?", liste(proches))
            }
            ErreurCommune::Ambigue { candidates, .. } => format!(
                "précisez le département, par exemple « {} », ou donnez le code INSEE ({})",
                candidates[0], candidates[0].code
            ),
            _ => "donnez le code INSEE, le nom ou « code postal + nom », par exemple « 55100 Verdun »".into(),
        }
    }
}

impl From<ErreurCommune> for crate::error::UserError {
    fn from(e: ErreurCommune) -> Self {
        crate::error::UserError::new(e.message()).aide(e.aide())
    }
}

/// Resolves what a user typed to one commune. `departement` is the base's own
/// département: a name found there wins over the same name elsewhere.
pub fn resoudre(saisie: &str, departement: &str) -> Result<&'static Commune, ErreurCommune> {
    let texte = saisie.trim();
    if texte.is_empty() {
        return Err(ErreurCommune::Vide);
    }
    let montre = crate::domain::texte::apercu(texte, 60).into_owned();
    // The longest name of France has 45 characters: past 100, nothing to look for (and
    // comparing a huge text with every name would take minutes).
    if texte.chars().nth(100).is_some() {
        return Err(ErreurCommune::Inconnue {
            saisie: montre,
            proches: Vec::new(),
        });
    }
    let (texte, dep_demande) = separer_departement(texte);
    let (cp, nom) = separer_code_postal(texte);

    let candidates: Vec<&'static Commune> = match (cp, nom) {
        (Some(code), None) => par_code_seul(code),
        (cp, Some(nom)) => du_nom(&cle(nom))
            .into_iter()
            .filter(|c| cp.is_none_or(|cp| c.a_le_code_postal(cp)))
            .collect(),
        (None, None) => Vec::new(),
    };
    let candidates: Vec<_> = match dep_demande {
        Some(d) => candidates.into_iter().filter(|c| c.departement == d).collect(),
        None => candidates,
    };
    match candidates.as_slice() {
        [une] if une.departement != departement && cp.is_none() && dep_demande.is_none() => {
            // "Vigneulles" is a commune of Meurthe-et-Moselle, but a caseworker of Meuse
            // typing it most likely means Vigneulles-lès-Hattonchâtel: let them choose.
            let prefixe = format!("{} ", cle(nom.unwrap_or(texte)));
            let mut candidates: Vec<&'static Commune> = toutes()
                .iter()
                .filter(|c| c.departement == departement && cle_de(c).starts_with(&prefixe))
                .collect();
            if candidates.is_empty() {
                return Ok(une);
            }
            candidates.insert(0, une);
            Err(ambigue(montre, candidates, departement))
        }
        [une] => Ok(une),
        [] => Err(ErreurCommune::Inconnue {
            proches: proches(nom.unwrap_or(texte), cp, departement),
            saisie: montre,
        }),
        plusieurs => {
            let locales: Vec<_> = plusieurs.iter().filter(|c| c.departement == departement).collect();
            if let ([une], None) = (locales.as_slice(), cp) {
                return Ok(une);
            }
            let mut erreur = ambigue(montre, plusieurs.to_vec(), departement);
            // Five characters alone: the commune with that INSEE code comes first.
            if let (ErreurCommune::Ambigue { candidates, .. }, Some(code), None) = (&mut erreur, cp, nom)
                && let Some(c) = chargee_par_code(&code.to_ascii_uppercase())
            {
                candidates.retain(|x| x.code != c.code);
                candidates.insert(0, c);
            }
            Err(erreur)
        }
    }
}

/// The base's département first, then the most populous.
fn ambigue(saisie: String, mut candidates: Vec<&'static Commune>, departement: &str) -> ErreurCommune {
    candidates.sort_by_key(|c| (c.departement != departement, std::cmp::Reverse(c.population), c.code));
    let total = candidates.len();
    candidates.truncate(8);
    ErreurCommune::Ambigue {
        saisie,
        total,
        candidates,
    }
}

fn cle_de(c: &Commune) -> String {
    cle(c.nom)
}

/// `"Verdun (55)"` → (`"Verdun"`, `Some("55")`).
fn separer_departement(texte: &str) -> (&str, Option<&str>) {
    if let Some(debut) = texte.strip_suffix(')')
        && let Some((nom, dep)) = debut.rsplit_once('(')
    {
        let dep = dep.trim();
        if (2..=3).contains(&dep.len()) && dep.chars().all(|c| c.is_ascii_alphanumeric()) {
            return (nom.trim(), Some(dep));
        }
    }
    (texte, None)
}

fn est_code(t: &str) -> bool {
    t.len() == 5 && t.bytes().all(|b| b.is_ascii_alphanumeric())
}

/// `"55100 Verdun"`, `"Verdun 55100"` → (`Some("55100")`, `Some("Verdun")`); `"55545"` →
/// (`Some("55545")`, `None`).
fn separer_code_postal(texte: &str) -> (Option<&str>, Option<&str>) {
    if est_code(texte) && texte.bytes().any(|b| b.is_ascii_digit()) {
        return (Some(texte), None);
    }
    if let Some((debut, reste)) = texte.split_once(' ')
        && est_code(debut)
        && debut.bytes().all(|b| b.is_ascii_digit())
    {
        return (Some(debut), Some(reste.trim()));
    }
    if let Some((reste, fin)) = texte.rsplit_once(' ')
        && est_code(fin)
        && fin.bytes().all(|b| b.is_ascii_digit())
    {
        return (Some(fin), Some(reste.trim()));
    }
    (None, Some(texte))
}

/// Five characters alone: an INSEE code, or a postal code. When they are both (INSEE
/// 55100 is not the commune whose postal code is 55100), every commune meant is returned
/// so that the user chooses.
fn par_code_seul(code: &str) -> Vec<&'static Commune> {
    let code = code.to_ascii_uppercase();
    let mut trouvees: Vec<&'static Commune> = chargee_par_code(&code).into_iter().collect();
    for c in toutes().iter().filter(|c| c.a_le_code_postal(&code)) {
        if !trouvees.contains(&c) {
            trouvees.push(c);
        }
    }
    trouvees
}

/// Up to five communes whose name is closest to `nom`: names that start with it first,
/// then by similarity; the base's département and the postal code typed count too.
///
/// Comparing with every name of France takes milliseconds, and a partner file repeats the
/// same misspelt commune on many rows: answers are remembered for the whole run.
fn proches(nom: &str, cp: Option<&str>, departement: &str) -> Vec<&'static Commune> {
    type Memoire = HashMap<(String, Option<String>, String), Vec<&'static Commune>>;
    static MEMOIRE: OnceLock<Mutex<Memoire>> = OnceLock::new();
    let cible = cle(nom);
    if cible.is_empty() {
        return Vec::new();
    }
    let memoire = MEMOIRE.get_or_init(Default::default);
    let question = (cible, cp.map(str::to_owned), departement.to_owned());
    if let Some(r) = memoire.lock().unwrap_or_else(|e| e.into_inner()).get(&question) {
        return r.clone();
    }
    let reponse = comparer(&question.0, cp, departement);
    let mut m = memoire.lock().unwrap_or_else(|e| e.into_inner());
    if m.len() >= 10_000 {
        m.clear();
    }
    m.insert(question, reponse.clone());
    reponse
}

/// How many times each character occurs in a key, in 32 buckets (letters apart, the rest
/// shared): enough to bound the Jaro similarity of two keys without computing it.
type Lettres = [u8; 32];

fn lettres(cle: &str) -> Lettres {
    let mut n = [0u8; 32];
    for b in cle.bytes() {
        let i = if b.is_ascii_lowercase() {
            usize::from(b - b'a')
        } else {
            26 + usize::from(b % 6)
        };
        n[i] = n[i].saturating_add(1);
    }
    n
}

/// An upper bound of `strsim::jaro_winkler(a, b)` from the letters of the keys: Jaro
/// matches at most the characters both have (fewer, when buckets are shared), and
/// Winkler's bonus is 0.1 × (1 − Jaro) per shared first character, four at most.
fn borne_jaro_winkler(a: (&str, &Lettres), b: (&str, &Lettres)) -> f64 {
    let communs: u32 = a.1.iter().zip(b.1).map(|(x, y)| u32::from(*x.min(y))).sum();
    if communs == 0 {
        return 0.0;
    }
    let (la, lb, c) = (a.0.len() as f64, b.0.len() as f64, f64::from(communs));
    let jaro = ((c / la + c / lb + 1.0) / 3.0).min(1.0);
    let prefixe = a.0.bytes().zip(b.0.bytes()).take(4).take_while(|(x, y)| x == y).count();
    jaro + 0.1 * prefixe as f64 * (1.0 - jaro)
}

/// Every name key of France with its letters, for [`comparer`].
fn cles_et_lettres() -> &'static [(&'static str, Lettres, &'static [&'static Commune])] {
    static CLES: OnceLock<Vec<(&'static str, Lettres, &'static [&'static Commune])>> = OnceLock::new();
    CLES.get_or_init(|| {
        index_des_noms()
            .iter()
            .map(|(k, communes)| (k.as_str(), lettres(k), communes.as_slice()))
            .collect()
    })
}

fn comparer(cible: &str, cp: Option<&str>, departement: &str) -> Vec<&'static Commune> {
    let mut notees: Vec<(f64, &'static Commune)> = Vec::new();
    let lettres_cible = lettres(cible);
    for (k, lettres_k, communes) in cles_et_lettres() {
        let debut = k.starts_with(cible);
        // Most names of France share too few letters with the typed one to come near 0.8:
        // they are left without the full comparison (300 unknown communes: 3.8 s → 0.35 s).
        if !debut && borne_jaro_winkler((cible, &lettres_cible), (k, lettres_k)) < 0.8 - 1e-9 {
            continue;
        }
        let mut base = strsim::jaro_winkler(cible, k);
        if debut {
            base += 0.5;
        }
        if base < 0.8 {
            continue;
        }
        for c in communes.iter() {
            let mut score = base;
            if c.departement == departement {
                score += 0.05;
            }
            if cp.is_some_and(|cp| c.a_le_code_postal(cp)) {
                score += 0.1;
            }
            if score >= 0.85 {
                notees.push((score, c));
            }
        }
    }
    notees.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.code.cmp(b.1.code)));
    notees.into_iter().take(5).map(|(_, c)| c).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    proptest::proptest! {
        /// The bound never leaves out a name the full comparison would keep.
        #[test]
        fn the_letter_bound_is_above_jaro_winkler(
            debut in "[a-z]{0,6}", a in "[a-z0-9 -]{0,30}", b in "[a-z0-9 -]{0,30}"
        ) {
            // A shared start, as names often have (Winkler's bonus).
            let (a, b) = (format!("{debut}{a}"), format!("{debut}{b}"));
            proptest::prop_assume!(!a.is_empty() && !b.is_empty());
            let borne = borne_jaro_winkler((&a, &lettres(&a)), (&b, &lettres(&b)));
            proptest::prop_assert!(borne + 1e-9 >= strsim::jaro_winkler(&a, &b), "{borne}");
        }
    }

    #[test]
    fn the_letter_bound_keeps_every_near_name_of_meuse() {
        let meuse: Vec<String> = toutes()
            .iter()
            .filter(|c| c.departement == "55")
            .map(|c| cle(c.nom))
            .collect();
        for a in meuse.iter().step_by(7) {
            for b in &meuse {
                let borne = borne_jaro_winkler((a, &lettres(a)), (b, &lettres(b)));
                assert!(borne + 1e-9 >= strsim::jaro_winkler(a, b), "{a} / {b}");
            }
        }
    }

    #[test]
    fn an_epci_is_found_by_siren_name_or_its_own_words() {
        let verdun = epci("200049187").unwrap();
        assert_eq!(verdun.nom, "CA du Grand Verdun");
        for saisie in [
            "ca du grand verdun", "CA DU GRAND-VERDUN", "grand verdun", "  Grand Verd ",
        ] {
            assert_eq!(epci(saisie).ok(), Some(verdun), "{saisie}");
        }
        let e = epci("Grand Verdunn").unwrap_err().to_string();
        assert!(e.contains("EPCI inconnu"), "{e}");
        let e = epci(&"x".repeat(1 << 20)).unwrap_err().to_string();
        assert!(e.len() < 300, "{e}");
    }

    #[test]
    fn the_initial_is_the_first_letter_of_every_key() {
        // What makes the first lookup's partial reading exact.
        for c in toutes() {
            assert_eq!(initiale_de(c.nom), cle(c.nom).chars().next(), "{}", c.nom);
        }
    }
    use proptest::prelude::*;

    fn code(r: Result<&Commune, ErreurCommune>) -> &'static str {
        r.unwrap().code
    }

    #[test]
    fn the_whole_of_france_is_loaded_and_sorted() {
        let c = toutes();
        assert_eq!(c.len(), 34_875);
        assert!(c.windows(2).all(|w| w[0].code < w[1].code));
        let verdun = par_code("55545").unwrap();
        assert_eq!(
            (verdun.nom, verdun.code_epci, verdun.population),
            ("Verdun", "200049187", 16_890)
        );
        assert!(verdun.coordonnees.is_some());
        assert!(par_code("2A004").is_some());
        // The text search and the loaded list agree on every commune, and on misses.
        for c in toutes() {
            assert_eq!(par_code_dans_le_texte(c.code).as_ref(), Some(c));
            assert_eq!(par_code(c.code).as_ref(), Some(c));
        }
        for absent in ["00000", "55000", "99999", "ZZZZZ", "", "2A"] {
            assert_eq!(par_code_dans_le_texte(absent), None, "{absent}");
            assert_eq!(par_code(absent), None, "{absent}");
        }
    }

    #[test]
    fn names_are_found_whatever_the_spelling() {
        assert_eq!(code(resoudre("55545", "55")), "55545");
        assert_eq!(code(resoudre("verdun", "55")), "55545");
        assert_eq!(code(resoudre("BAR LE DUC", "55")), "55029");
        assert_eq!(code(resoudre("St Mihiel", "55")), "55463");
        assert_eq!(code(resoudre("saint-mihiel", "55")), "55463");
        assert_eq!(code(resoudre("55300 Saint-Mihiel", "55")), "55463");
        assert_eq!(code(resoudre("Étain", "55")), code(resoudre("etain", "55")));
        assert_eq!(code(resoudre("Verdun (55)", "75")), "55545");
    }

    #[test]
    fn the_bases_departement_wins_for_a_shared_name() {
        // Verdun exists in Meuse only, but "Fresnes-au-Mont" is unique, and
        // "Saint-Aubin-sur-Aire" too; "Vaux" style names are shared across France.
        let partout = index_des_noms().get("verdun").unwrap().len();
        assert!(partout >= 1);
        let ailleurs = resoudre("Saint-Martin", "55");
        assert!(matches!(ailleurs, Err(ErreurCommune::Ambigue { .. })));
    }

    #[test]
    fn a_name_found_only_elsewhere_but_prefix_of_a_local_one_is_ambiguous() {
        // Vigneulles (54) exists; in Meuse, "Vigneulles" means Vigneulles-lès-Hattonchâtel.
        let e = resoudre("Vigneulles", "55").unwrap_err();
        assert!(
            e.message().contains("Vigneulles (54)") && e.message().contains("Vigneulles-lès-Hattonchâtel (55)"),
            "{}",
            e.message()
        );
        assert_eq!(code(resoudre("Vigneulles (54)", "55")), "54565");
        assert_eq!(code(resoudre("Vigneulles", "54")), "54565");
        // A name that exists only elsewhere, with no local look-alike, is taken as is.
        assert_eq!(code(resoudre("Nancy", "55")), "54395");
    }

    #[test]
    fn a_postal_code_alone_is_ambiguous_when_several_communes_share_it() {
        match resoudre("55100", "55") {
            Err(ErreurCommune::Ambigue { candidates, .. }) => {
                assert!(candidates.iter().any(|c| c.nom == "Verdun"));
                assert!(candidates.iter().any(|c| c.code == "55100"));
            }
            autre => panic!("{autre:?}"),
        }
        assert_eq!(code(resoudre("55100 Verdun", "55")), "55545");
    }

    #[test]
    fn unknown_names_get_the_nearest_ones_with_their_departement() {
        let e = resoudre("Verdunn", "55").unwrap_err();
        assert!(e.message().contains("Verdunn"));
        assert!(e.aide().contains("Verdun (55)"), "{}", e.aide());
        let e = resoudre("Dun sur Meuze", "55").unwrap_err();
        assert!(e.aide().contains("Dun-sur-Meuse (55)"), "{}", e.aide());
        assert_eq!(resoudre("  ", "55"), Err(ErreurCommune::Vide));
        let long = "x".repeat(100_000);
        assert!(matches!(resoudre(&long, "55"), Err(ErreurCommune::Inconnue { proches, .. }) if proches.is_empty()));
    }

    proptest! {
        // Each case scans every name of France: a few cases are enough for a parser.
        #![proptest_config(ProptestConfig::with_cases(24))]
        #[test]
        fn never_panics(s in "\\PC{0,30}") {
            let _ = resoudre(&s, "55");
        }
    }
}
