//! `stats consolider`: the territory's pack, from the monthly packs of its structures.
//! Each pack is checked against its manifest (every file's SHA-256, the audit anchor);
//! all must be of the same month and under the same pseudonymisation key. A person
//! followed by several structures is counted once (her pseudonym is the same in each
//! pack), then the territory's indicators are computed by the same rules as a single
//! base's, and the secret statistique is applied to the territory's own table. Reads
//! files only: no base, no personal data. The packs' rows are merged as they are read
//! (each file is sorted by pseudonym), so memory does not grow with their number of rows.

use std::cmp::{Ordering, Reverse};
use std::collections::{BTreeMap, BinaryHeap, HashMap};
use std::fs::File;
use std::io::BufReader;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use chrono::Days;
use csv::StringRecord;
use serde::Serialize;

use super::export::ecrire;
use super::seuil as seuil_valide;
use crate::db::acces::Ancre;
use crate::domain::echange::verifier_manifeste;
use crate::domain::indicateurs::{Agregat, Indicateurs, Mois, fin_provisoire};
use crate::domain::pseudonyme::Cle;
use crate::domain::territoire;
use crate::error::{UserError, erreur};
use crate::export::manifeste::{Etat, Manifeste, empreinte};
use crate::export::pack::{self, ANCRE, Groupe, INDICATEURS, MANIFESTE, PARCOURS, SIGNATURE, TERRITOIRE, Table};
use crate::export::{Tableur, rapport};
use crate::output::fichier::FichierAtomique;
use crate::referentiel::communes;

/// The territory's report, beside its pack.
pub const RAPPORT: &str = "rapport.html";

pub struct Consolidation<'a> {
    /// The structures' pack folders.
    pub packs: Vec<PathBuf>,
    /// The territory's pack folder.
    pub sortie: PathBuf,
    pub seuil: u64,
    /// The territory's name, in the pack and the report.
    pub territoire: String,
    /// The Département's key, when given: every pack must have been written under it.
    pub cle: Option<&'a Cle>,
    /// The partner structures the consolidating base registered (name, verifying key);
    /// `None` without a base. A pack whose manifest is signed by one of them is verified
    /// by its signature; a pack of a registered structure's name must be signed by it.
    pub partenaires: Option<&'a [(String, String)]>,
}

/// How a pack was verified.
#[derive(Serialize)]
pub struct Controle {
    pub dossier: String,
    pub structure: String,
    /// The registered partner whose key signed the manifest: the pack is as it wrote it.
    pub signe_par: Option<String>,
    /// Otherwise, why the checksums only (which a rewritten manifest would match too).
    pub empreintes_seulement: Option<&'static str>,
}

#[derive(Serialize)]
pub struct PackTerritoire {
    pub territoire: String,
    pub mois: String,
    pub provisoire: bool,
    pub dossier: String,
    /// The structures, in the order of the packs.
    pub structures: Vec<String>,
    /// The parcours read in the packs.
    pub parcours: u64,
    /// The people they are: a person followed by several structures counts once.
    pub personnes: u64,
    pub indicateurs: usize,
    pub cellules_masquees: usize,
    pub seuil: u64,
    /// Each pack, verified by signature or by its checksums only.
    pub controles: Vec<Controle>,
}

/// A pack checked against its manifest.
struct PackLu {
    dossier: PathBuf,
    /// The structure's name (the folder's when the manifest gives none).
    nom: String,
    manifeste: Manifeste,
    /// The registered partner that signed it, or why it is verified by its checksums only.
    signe_par: std::result::Result<String, &'static str>,
}

const REFAIRE: &str =
    "demandez à la structure de refaire son export (`spie stats export`) et de vous renvoyer tout le dossier";

fn refus(pack: &Path, quoi: impl std::fmt::Display) -> UserError {
    erreur(format!("pack {} : {quoi}", pack.display()))
}

/// Reads the manifest of the pack in `dossier` and checks every file it lists, and its
/// signature.
fn lire_pack(dossier: &Path, partenaires: Option<&[(String, String)]>) -> Result<PackLu> {
    let texte = match std::fs::read(dossier.join(MANIFESTE)) {
        Ok(t) => String::from_utf8(t).map_err(|_| {
            refus(
                dossier,
                format!("{MANIFESTE} a été modifié depuis l'écriture du pack (ce n'est plus du texte)"),
            )
            .aide(REFAIRE)
        })?,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(refus(
                dossier,
                format!("{MANIFESTE} manque : ce dossier n'est pas un pack de spie, ou il est incomplet"),
            )
            .aide(REFAIRE)
            .into());
        }
        Err(e) => return Err(e).with_context(|| format!("lecture de {}", dossier.join(MANIFESTE).display())),
    };
    let manifeste = Manifeste::lire(&texte).map_err(|e| refus(dossier, e).aide(REFAIRE))?;
    for requis in [INDICATEURS, PARCOURS, TERRITOIRE] {
        if manifeste.somme(requis).is_none() {
            return Err(refus(dossier, format!("{requis} n'est pas dans son manifeste"))
                .aide(format!("écrit par une version plus ancienne de spie ? {REFAIRE}"))
                .into());
        }
    }
    for (fichier, somme) in &manifeste.fichiers {
        if fichier.contains(['/', '\\']) || fichier.starts_with('.') {
            return Err(refus(
                dossier,
                format!("le manifeste nomme un fichier hors du pack : {fichier}"),
            )
            .into());
        }
        match empreinte(&dossier.join(fichier)) {
            Ok(s) if s == *somme => {}
            Ok(_) => {
                return Err(refus(
                    dossier,
                    format!("{fichier} a été modifié depuis l'écriture du pack (son empreinte SHA-256 n'est plus celle du manifeste)"),
                )
                .aide(REFAIRE)
                .into());
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(refus(dossier, format!("{fichier} manque")).aide(REFAIRE).into());
            }
            Err(e) => return Err(e).with_context(|| format!("lecture de {}", dossier.join(fichier).display())),
        }
    }
    // The anchor the Département keeps as a witness of the structure's audit trail: the
    // one of the manifest, written out in full beside it.
    if let Some(a) = &manifeste.ancre {
        let lue = std::fs::read_to_string(dossier.join(ANCRE)).unwrap_or_default();
        if a.parse::<Ancre>().is_err() || lue.trim() != a || manifeste.somme(ANCRE).is_none() {
            return Err(refus(
                dossier,
                format!("l'ancre du journal ({ANCRE}) ne correspond pas au manifeste"),
            )
            .aide(REFAIRE)
            .into());
        }
    }
    let nom = match manifeste.structure.trim() {
        "" => dossier.display().to_string(),
        n => n.to_owned(),
    };
    let signe_par = signataire(dossier, &texte, &nom, partenaires)?;
    Ok(PackLu {
        dossier: dossier.to_owned(),
        nom,
        manifeste,
        signe_par,
    })
}

/// The registered partner whose key signed the manifest `texte` of the pack of
/// `structure`, or why the pack is only verified by its checksums. A signature that does
/// not hold is refused; so is a pack of a registered structure's name that its key did
/// not sign (another key, or none: removing the signature does not lower the check).
fn signataire(
    dossier: &Path,
    texte: &str,
    structure: &str,
    partenaires: Option<&[(String, String)]>,
) -> Result<std::result::Result<String, &'static str>> {
    let signature = match std::fs::read(dossier.join(SIGNATURE)) {
        Ok(octets) => Some(String::from_utf8_lossy(&octets).into_owned()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(e).with_context(|| format!("lecture de {}", dossier.join(SIGNATURE).display())),
    };
    let cle = signature
        .map(|s| verifier_manifeste(&s, texte.as_bytes()))
        .transpose()
        .map_err(|e| refus(dossier, format!("{SIGNATURE} : {e}")).aide(REFAIRE))?;
    let Some(partenaires) = partenaires else {
        return Ok(Err("aucune base : pas de clé de structure connue"));
    };
    if let Some((nom, _)) = cle.as_ref().and_then(|c| partenaires.iter().find(|(_, k)| k == c)) {
        return Ok(Ok(nom.clone()));
    }
    let meme_nom = |nom: &str| nom.trim().to_lowercase() == structure.trim().to_lowercase();
    if let Some((nom, _)) = partenaires.iter().find(|(n, _)| meme_nom(n)) {
        let quoi = match cle {
            Some(_) => format!(
                "son manifeste est signé d'une autre clé que celle de la structure « {nom} » enregistrée dans cette base"
            ),
            None => format!(
                "son manifeste n'est pas signé ({SIGNATURE} manque), alors que cette base connaît la clé de la structure « {nom} »"
            ),
        };
        return Err(refus(dossier, quoi)
            .aide("vérifiez l'empreinte de sa clé avec la structure (`spie structure cle`), puis demandez-lui de refaire son export (`spie stats export`) et de vous renvoyer tout le dossier")
            .into());
    }
    Ok(Err(if cle.is_some() {
        "clé de signature inconnue de cette base"
    } else {
        "pack non signé"
    }))
}

/// Refuses packs of different months or keys, or the same structure twice.
fn comparer(packs: &[PackLu], cle: Option<&Cle>) -> Result<()> {
    let Some(premier) = packs.first() else {
        return Err(UserError::usage("aucun pack à consolider")
            .aide("donnez les dossiers des packs reçus des structures, par exemple : spie stats consolider packs/ccas packs/mission-locale --sortie departement")
            .into());
    };
    for p in packs {
        let m = &p.manifeste;
        if m.mois != premier.manifeste.mois {
            return Err(refus(
                &p.dossier,
                format!(
                    "pack du mois {}, alors que {} est du mois {} : on ne consolide que les packs d'un même mois",
                    m.mois,
                    premier.dossier.display(),
                    premier.manifeste.mois
                ),
            )
            .aide("donnez les packs d'un seul mois")
            .into());
        }
        if m.cle != premier.manifeste.cle {
            return Err(refus(
                &p.dossier,
                format!(
                    "écrit sous une autre clé de pseudonymisation que {} (empreintes {} et {})",
                    premier.dossier.display(),
                    m.cle,
                    premier.manifeste.cle
                ),
            )
            .aide("les pseudonymes ne se comparent que sous une même clé : chaque structure exporte avec la clé remise par le Département")
            .into());
        }
        if let Some(c) = cle.filter(|c| c.empreinte() != m.cle) {
            return Err(refus(
                &p.dossier,
                format!(
                    "écrit sous une autre clé que celle de SPIE_CLE_PSEUDO (empreintes {} et {})",
                    m.cle,
                    c.empreinte()
                ),
            )
            .into());
        }
        if let Some(autre) = packs.iter().find(|o| o.nom == p.nom && !std::ptr::eq(*o, p)) {
            return Err(refus(
                &p.dossier,
                format!(
                    "la structure « {} » a aussi le pack {} : chaque structure ne compte qu'une fois",
                    p.nom,
                    autre.dossier.display()
                ),
            )
            .into());
        }
    }
    Ok(())
}

type Lecteur = csv::Reader<BufReader<File>>;

/// A pack's next row in the merge: rows in the order of their cells, then of their pack.
struct Tete {
    ligne: StringRecord,
    pack: usize,
}

/// Two rows in the order of their cells: the first one (the pseudonym) nearly always
/// decides, and is compared alone first.
fn ordre(a: &StringRecord, b: &StringRecord) -> Ordering {
    a.get(0).cmp(&b.get(0)).then_with(|| a.iter().cmp(b.iter()))
}

impl Ord for Tete {
    fn cmp(&self, autre: &Tete) -> Ordering {
        ordre(&self.ligne, &autre.ligne).then(self.pack.cmp(&autre.pack))
    }
}

impl PartialOrd for Tete {
    fn partial_cmp(&self, autre: &Tete) -> Option<Ordering> {
        Some(self.cmp(autre))
    }
}

impl PartialEq for Tete {
    fn eq(&self, autre: &Tete) -> bool {
        self.cmp(autre) == Ordering::Equal
    }
}

impl Eq for Tete {}

/// The same CSV file of every pack, read in one merged order: each is sorted, and the
/// merge holds one row per pack. The rows' buffers go round: none is allocated per row.
struct Fusion<'p> {
    packs: &'p [PackLu],
    fichier: &'static str,
    lecteurs: Vec<Lecteur>,
    tas: BinaryHeap<Reverse<Tete>>,
    entetes: Vec<String>,
    /// The row last given out.
    courante: StringRecord,
}

impl<'p> Fusion<'p> {
    fn ouvrir(packs: &'p [PackLu], fichier: &'static str) -> Result<Fusion<'p>> {
        let mut fusion = Fusion {
            packs,
            fichier,
            lecteurs: Vec::new(),
            tas: BinaryHeap::new(),
            entetes: Vec::new(),
            courante: StringRecord::new(),
        };
        for (i, p) in packs.iter().enumerate() {
            let chemin = p.dossier.join(fichier);
            let mut lecteur = csv::ReaderBuilder::new().delimiter(b';').from_reader(BufReader::new(
                File::open(&chemin).with_context(|| format!("lecture de {}", chemin.display()))?,
            ));
            let entetes: Vec<String> = lecteur
                .headers()
                .map_err(|_| refus(&p.dossier, format!("{fichier} illisible")))?
                .iter()
                .map(|e| e.trim_start_matches('\u{feff}').to_owned())
                .collect();
            if i == 0 {
                fusion.entetes = entetes;
            } else if entetes != fusion.entetes {
                return Err(
                    refus(&p.dossier, format!("{fichier} n'a pas les colonnes des autres packs"))
                        .aide("les packs d'un territoire s'écrivent avec la même version de spie")
                        .into(),
                );
            }
            fusion.lecteurs.push(lecteur);
            fusion.lire(i, StringRecord::new(), false)?;
        }
        Ok(fusion)
    }

    /// Reads the next row of pack `i` into `tampon` and puts it in the merge; when
    /// `apres`, it must not come before the row last given out.
    fn lire(&mut self, i: usize, mut tampon: StringRecord, apres: bool) -> Result<()> {
        let packs = self.packs;
        let p = &packs[i].dossier;
        let lue = self.lecteurs[i]
            .read_record(&mut tampon)
            .map_err(|e| refus(p, format!("{} illisible ({e})", self.fichier)))?;
        if !lue {
            return Ok(());
        }
        if tampon.len() != self.entetes.len() || apres && ordre(&tampon, &self.courante).is_lt() {
            return Err(refus(
                p,
                format!(
                    "{} n'a pas la forme d'un pack (lignes incomplètes ou pas dans l'ordre)",
                    self.fichier
                ),
            )
            .into());
        }
        self.tas.push(Reverse(Tete { ligne: tampon, pack: i }));
        Ok(())
    }

    /// The next row of all packs, with its pack's index.
    fn suivante(&mut self) -> Result<Option<(&StringRecord, usize)>> {
        let Some(Reverse(Tete { mut ligne, pack })) = self.tas.pop() else {
            return Ok(None);
        };
        std::mem::swap(&mut self.courante, &mut ligne);
        self.lire(pack, ligne, true)?;
        Ok(Some((&self.courante, pack)))
    }
}

/// The territory's counts, by EPCI and in total, each person counted once.
struct Comptes {
    par_epci: BTreeMap<String, Agregat>,
    total: Agregat,
    parcours: u64,
    personnes: u64,
}

/// One parcours of the person being read: its row's EPCI and counts, and its pack.
#[derive(Default)]
struct Parcours {
    epci: String,
    comptes: String,
    pack: usize,
}

/// What the packs' rows count, as read: how many times each counts text comes, by EPCI,
/// with a pack it comes from. Most people are followed by one structure and their counts
/// are one of a few shapes: they are added up without being read one by one.
#[derive(Default)]
struct Lus {
    fois: HashMap<String, HashMap<String, (u64, usize)>>,
    parcours: u64,
    personnes: u64,
}

impl Lus {
    fn compter(&mut self, epci: &str, comptes: &str, pack: usize) {
        if !self.fois.contains_key(epci) {
            self.fois.insert(epci.to_owned(), HashMap::new());
        }
        let par_texte = self.fois.get_mut(epci).expect("just inserted");
        match par_texte.get_mut(comptes) {
            Some((n, _)) => *n += 1,
            None => {
                par_texte.insert(comptes.to_owned(), (1, pack));
            }
        }
    }

    /// One person's parcours in the packs (the same pseudonym).
    fn personne(&mut self, packs: &[PackLu], parcours: &[Parcours]) -> Result<()> {
        if parcours.is_empty() {
            return Ok(());
        }
        self.personnes += 1;
        self.parcours += parcours.len() as u64;
        if let [seul] = parcours {
            self.compter(&seul.epci, &seul.comptes, seul.pack);
            return Ok(());
        }
        let comptes: Vec<Agregat> = parcours
            .iter()
            .map(|p| lire(packs, &p.comptes, p.pack))
            .collect::<Result<_>>()?;
        let r = &parcours[territoire::representant(&comptes).expect("several")];
        self.compter(&r.epci, &territoire::en_texte(&territoire::fusionner(&comptes)), r.pack);
        Ok(())
    }

    fn totaux(self, packs: &[PackLu]) -> Result<Comptes> {
        let mut c = Comptes {
            par_epci: BTreeMap::new(),
            total: Agregat::default(),
            parcours: self.parcours,
            personnes: self.personnes,
        };
        for (epci, par_texte) in self.fois {
            let mut a = Agregat::default();
            for (texte, (n, pack)) in par_texte {
                a.ajouter_fois(&lire(packs, &texte, pack)?, n);
            }
            c.total.ajouter(&a);
            if epci != "total" {
                c.par_epci.insert(epci, a);
            }
        }
        Ok(c)
    }
}

fn lire(packs: &[PackLu], texte: &str, pack: usize) -> Result<Agregat> {
    Ok(territoire::lire(texte).map_err(|e| refus(&packs[pack].dossier, format!("{TERRITOIRE} : {e}")))?)
}

fn compter(packs: &[PackLu]) -> Result<Comptes> {
    let mut fusion = Fusion::ouvrir(packs, TERRITOIRE)?;
    let mut lus = Lus::default();
    // The person being read (her pseudonym) and her parcours so far: the first `n` of
    // `personne`, whose buffers are reused from one person to the next.
    let (mut pseudonyme, mut personne, mut n) = (String::new(), Vec::<Parcours>::new(), 0);
    while let Some((ligne, i)) = fusion.suivante()? {
        let (Some(p), Some(epci), Some(comptes), 3) = (ligne.get(0), ligne.get(1), ligne.get(2), ligne.len()) else {
            return Err(refus(
                &packs[i].dossier,
                format!("{TERRITOIRE} n'a pas les colonnes pseudonyme, epci, comptes"),
            )
            .into());
        };
        if p.is_empty() {
            // Not a person: the residue of erased dossiers, the whole base's own counts.
            lus.compter(epci, comptes, i);
            continue;
        }
        if p != pseudonyme {
            lus.personne(packs, &personne[..n])?;
            n = 0;
            pseudonyme.clear();
            pseudonyme.push_str(p);
        }
        if n == personne.len() {
            personne.push(Parcours::default());
        }
        let q = &mut personne[n];
        q.epci.clear();
        q.comptes.clear();
        q.pack = i;
        q.epci.push_str(epci);
        q.comptes.push_str(comptes);
        n += 1;
    }
    lus.personne(packs, &personne[..n])?;
    lus.totaux(packs)
}

/// The day the figures are seen from: the least final of the packs'.
fn jour(mois: Mois, etat: Etat) -> chrono::NaiveDate {
    match etat {
        Etat::EnCours => mois.d1,
        Etat::Provisoire => fin_provisoire(mois),
        Etat::Definitif => fin_provisoire(mois) + Days::new(1),
    }
}

/// The territory's `indicateurs.csv` rows (EPCI, then total), secret applied to them.
fn indicateurs(c: &Comptes, mois: Mois, etat: Etat, seuil: u64) -> (Table, Indicateurs, usize) {
    let jour = jour(mois, etat);
    // Last month's file active, as this month's figures give it back.
    let precedente = |a: &Agregat| (a.file_active + a.sorties.values().sum::<u64>()).saturating_sub(a.entrees);
    let mut groupes: Vec<Groupe> = c
        .par_epci
        .iter()
        .map(|(code, a)| Groupe {
            code: code.clone(),
            nom: communes::nom_epci(code).unwrap_or("inconnu").to_owned(),
            indicateurs: a.indicateurs(mois, jour, false),
            file_active_precedente: precedente(a),
        })
        .collect();
    let total = c.total.indicateurs(mois, jour, true);
    groupes.push(Groupe {
        code: "total".into(),
        nom: "total".into(),
        indicateurs: total.clone(),
        file_active_precedente: precedente(&c.total),
    });
    let (table, caches) = pack::indicateurs(&groupes, seuil);
    (table, total, caches)
}

/// A small CSV file of a pack, whole.
fn lire_table(chemin: &Path) -> std::result::Result<Table, csv::Error> {
    let mut lecteur = csv::ReaderBuilder::new().delimiter(b';').from_path(chemin)?;
    let entetes = lecteur
        .headers()?
        .iter()
        .map(|e| e.trim_start_matches('\u{feff}').to_owned())
        .collect();
    let lignes = lecteur
        .records()
        .map(|l| l.map(|l| l.iter().map(str::to_owned).collect()))
        .collect::<std::result::Result<_, _>>()?;
    Ok(Table { entetes, lignes })
}

/// Each structure's total row, as its own pack published it.
fn lignes_des_structures(packs: &[PackLu], entetes: &[String]) -> Result<Vec<Vec<String>>> {
    let mut lignes = Vec::new();
    for p in packs {
        let fichier = lire_table(&p.dossier.join(INDICATEURS))
            .map_err(|e| refus(&p.dossier, format!("{INDICATEURS} illisible ({e})")))?;
        if fichier.entetes != entetes {
            return Err(
                refus(&p.dossier, format!("{INDICATEURS} n'a pas les colonnes attendues"))
                    .aide("les packs d'un territoire s'écrivent avec la même version de spie")
                    .into(),
            );
        }
        let total = fichier
            .lignes
            .last()
            .ok_or_else(|| refus(&p.dossier, format!("{INDICATEURS} est vide")))?;
        lignes.push(std::iter::once(p.nom.clone()).chain(total.iter().cloned()).collect());
    }
    Ok(lignes)
}

/// Every structure's `parcours.csv` rows, merged by pseudonym, each with its structure.
fn parcours(packs: &[PackLu], chemin: &Path) -> Result<(FichierAtomique, usize)> {
    let mut fusion = Fusion::ouvrir(packs, PARCOURS)?;
    let entetes: Vec<String> = std::iter::once("structure".to_owned())
        .chain(fusion.entetes.clone())
        .collect();
    let entetes: Vec<&str> = entetes.iter().map(String::as_str).collect();
    let mut sortie = Tableur::nouveau(FichierAtomique::creer(chemin, true)?, &entetes)?;
    let mut n = 0;
    while let Some((ligne, i)) = fusion.suivante()? {
        sortie.cellules(std::iter::once(packs[i].nom.as_str()).chain(ligne))?;
        n += 1;
    }
    Ok((sortie.fin()?, n))
}

/// Writes the territory's pack and report in `c.sortie`; nothing is written unless every
/// pack is sound.
pub fn consolider(c: Consolidation<'_>) -> Result<PackTerritoire> {
    let packs: Vec<PackLu> = c
        .packs
        .iter()
        .map(|d| lire_pack(d, c.partenaires))
        .collect::<Result<_>>()?;
    comparer(&packs, c.cle)?;
    if let Ok(sortie) = c.sortie.canonicalize()
        && let Some(p) = packs
            .iter()
            .find(|p| p.dossier.canonicalize().is_ok_and(|d| d == sortie))
    {
        return Err(UserError::usage(format!(
            "--sortie {} est aussi un des packs : il serait remplacé",
            p.dossier.display()
        ))
        .aide("choisissez un autre dossier pour le pack du territoire")
        .into());
    }
    let premier = &packs[0].manifeste;
    let mois = Mois::lire(&premier.mois).map_err(|e| refus(&packs[0].dossier, e))?;
    let seuil = packs
        .iter()
        .map(|p| p.manifeste.seuil)
        .fold(seuil_valide(c.seuil)?, u64::max);
    let etat = packs.iter().map(|p| p.manifeste.etat).max().unwrap_or(Etat::Definitif);
    let comptes = compter(&packs)?;
    let (table, total, cellules_masquees) = indicateurs(&comptes, mois, etat, seuil);
    let structures = lignes_des_structures(&packs, &table.entetes)?;
    std::fs::create_dir_all(&c.sortie).with_context(|| format!("impossible de créer {}", c.sortie.display()))?;
    let (fichier_parcours, _) = parcours(&packs, &c.sortie.join(PARCOURS))?;
    let mut tout = Table {
        entetes: std::iter::once("structure".to_owned())
            .chain(table.entetes.iter().cloned())
            .collect(),
        lignes: structures,
    };
    tout.lignes.extend(
        table
            .lignes
            .iter()
            .map(|l| std::iter::once(c.territoire.clone()).chain(l.iter().cloned()).collect()),
    );
    fichier_parcours.valider()?;
    ecrire(&c.sortie.join(INDICATEURS), &tout)?;
    let par_structure = Table {
        entetes: tout.entetes.clone(),
        lignes: tout.lignes[..packs.len()].to_vec(),
    };
    let sujet = rapport::Sujet {
        nom: &c.territoire,
        structures: Some(&par_structure),
    };
    let html = rapport::page(&sujet, &[(&total, &table)], seuil);
    crate::output::fichier::ecrire(Some(&c.sortie.join(RAPPORT)), html.as_bytes(), true)?;
    let manifeste = Manifeste {
        structure: c.territoire.clone(),
        mois: mois.code(),
        etat,
        cle: premier.cle.clone(),
        seuil,
        ancre: None,
        fichiers: [INDICATEURS, PARCOURS, RAPPORT]
            .into_iter()
            .map(|nom| Ok((nom.to_owned(), empreinte(&c.sortie.join(nom))?)))
            .collect::<std::io::Result<_>>()?,
    };
    crate::output::fichier::ecrire(Some(&c.sortie.join(MANIFESTE)), manifeste.ecrire().as_bytes(), true)?;
    Ok(PackTerritoire {
        territoire: c.territoire,
        mois: mois.code(),
        provisoire: etat != Etat::Definitif,
        dossier: c.sortie.display().to_string(),
        structures: packs.iter().map(|p| p.nom.clone()).collect(),
        parcours: comptes.parcours,
        personnes: comptes.personnes,
        indicateurs: tout.lignes.len(),
        cellules_masquees,
        seuil,
        controles: packs
            .into_iter()
            .map(|p| Controle {
                dossier: p.dossier.display().to_string(),
                structure: p.nom,
                empreintes_seulement: p.signe_par.as_ref().err().copied(),
                signe_par: p.signe_par.ok(),
            })
            .collect(),
    })
}
