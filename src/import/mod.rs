//! Reading partners' files as they come out of their office software: CSV (encoding and
//! separator detected) or workbooks (`.xlsx`, `.xls`, `.ods`), columns recognised by name
//! or mapped by a profile, one row at a time (memory stays flat whatever the file's size).

mod cellule;
mod classeur;
mod colonnes;
mod decodage;
mod json;
mod lignes;
mod ods;
pub mod profil;
pub mod structures;
mod xlsx;

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;

use anyhow::{Context, Result};
use encoding_rs::Encoding;

pub use colonnes::Correspondance;
pub use decodage::encodage;
pub use json::que_des_structures;
use profil::ProfilVerifie;

use crate::domain::offre::{Brut, Champ, EnTexte, Offre, Probleme, dans_departement, verifier};
use crate::domain::texte::{APERCU, apercu, caractere_de_controle, nom_du_caractere, octets_de_controle};
use crate::error::{UserError, erreur};

/// How to read a file; what is `None` is detected.
#[derive(Default)]
pub struct Options {
    pub encodage: Option<&'static Encoding>,
    pub separateur: Option<u8>,
    /// The sheet of a workbook: its name or its number from 1.
    pub feuille: Option<String>,
    pub profil: Option<ProfilVerifie>,
    /// Only the rows of this département are read (a national file): see
    /// [`crate::domain::offre::dans_departement`].
    pub departement: Option<String>,
    /// The structures the services of a data·inclusion file name.
    pub structures: Option<structures::Structures>,
    /// The file is read for its structures (`--structures`), not for offers.
    pub de_structures: bool,
}

/// What a row is checked against besides its own cells.
#[derive(Default)]
struct Filtre {
    departement: Option<String>,
    structures: Option<structures::Structures>,
    /// Rows of another département passed over.
    ecartees: u64,
}

/// What kind of file was read.
pub enum Forme {
    Csv {
        encodage: &'static Encoding,
        separateur: u8,
        /// The file's line holding the header (lines above it are a title block).
        entete: u64,
    },
    Classeur {
        /// `xlsx`, `xls`, `ods` or `xlsb`.
        format: &'static str,
        feuille: String,
        /// The sheet's row holding the header (rows above it are a title block).
        entete: u64,
    },
    Json,
}

/// An open file, its header understood.
pub struct Lecture {
    pub forme: Forme,
    pub correspondance: Correspondance,
    flux: Flux,
    entetes: Vec<String>,
    /// How far the file goes, in the unit of [`Ligne::octet`]: its size in bytes, or its
    /// last row for a workbook.
    pub etendue: u64,
    /// What [`Ligne::numero`] counts: `ligne` (of a CSV or a sheet) or `objet` (of a JSON
    /// file).
    pub unite: &'static str,
    filtre: Filtre,
}

enum Flux {
    Csv {
        lecteur: csv::Reader<lignes::Compteur<Box<dyn Read + Send>>>,
        /// Records read while looking for the header, not handed out yet.
        attente: std::collections::VecDeque<csv::StringRecord>,
        lignes: lignes::Lignes,
        encodage: &'static Encoding,
        separateur: u8,
        /// Bytes and cells of the last row: the next row's record is made that size at
        /// once (grown from empty, it was reallocated several times per row).
        taille: (usize, usize),
    },
    Rangees {
        /// Rows read while looking for the header, not handed out yet.
        attente: std::collections::VecDeque<cellule::Rangee>,
        rangees: std::sync::mpsc::Receiver<Result<cellule::Rangee>>,
        /// The field of each column, which decides how a typed cell is written.
        champs: Vec<Option<crate::domain::offre::Champ>>,
    },
}

/// One data row: its line in the file, its cells, the fields they give.
pub struct Ligne {
    pub numero: u64,
    /// Where the row starts in the decoded text (about the file's byte offset), or its
    /// row number in a workbook.
    pub octet: u64,
    /// The cells as read, in one buffer (copied out only for a rejected row).
    pub cellules: csv::StringRecord,
    pub brut: Brut,
    /// What reading the row found before checking it: a spreadsheet's error cells.
    pub problemes: Vec<Probleme>,
}

/// Opens a file of offers (or of structures, [`Options::de_structures`]). A file of
/// offers that turns out to hold data·inclusion structures (what `offre exporter` writes
/// beside its services) is refused: its rows would become offers without thematique.
/// The services of a document or workbook that holds both are completed by its structures.
pub fn ouvrir(chemin: &Path, options: Options) -> Result<Lecture> {
    let de_structures = options.de_structures;
    let lecture = ouvrir_fichier(chemin, options)?;
    if !de_structures && structures::sont_des_structures(&lecture.entetes, &lecture.correspondance) {
        return Err(json::que_des_structures(chemin));
    }
    Ok(lecture)
}

fn ouvrir_fichier(chemin: &Path, options: Options) -> Result<Lecture> {
    // Each row's commune is looked up: in the loaded list, several times faster than in
    // the embedded text (which a single lookup prefers).
    crate::referentiel::communes::toutes();
    if chemin.is_dir() {
        return Err(erreur(format!("{} est un dossier, pas un fichier", chemin.display()))
            .aide("donnez le chemin du fichier de la liste : CSV, classeur .xlsx, .xls, .ods ou JSON")
            .into());
    }
    let fichier = File::open(chemin).with_context(|| format!("impossible d'ouvrir {}", chemin.display()))?;
    let mut fichier = BufReader::with_capacity(1 << 16, fichier);
    let mut debut = vec![0u8; 1 << 16];
    let mut lus = 0;
    while lus < debut.len() {
        let n = fichier.read(&mut debut[lus..])?;
        if n == 0 {
            break;
        }
        lus += n;
    }
    debut.truncate(lus);
    // A byte order mark alone (a spreadsheet's empty export) is an empty file too.
    let sans_bom = [&b"\xef\xbb\xbf"[..], b"\xff\xfe", b"\xfe\xff"]
        .iter()
        .find_map(|bom| debut.strip_prefix(*bom))
        .unwrap_or(&debut);
    if sans_bom.iter().all(|b| b.is_ascii_whitespace() || *b == 0) {
        return Err(erreur(format!("{} est vide", chemin.display()))
            .aide("le fichier ne contient rien : demandez au partenaire de renvoyer sa liste")
            .into());
    }
    if let Some(conteneur) = classeur::conteneur(&debut) {
        drop(fichier);
        return ouvrir_classeur(chemin, conteneur, options);
    }
    if json::est_json(&debut) {
        drop(fichier);
        return ouvrir_json(chemin, options);
    }
    if options.feuille.is_some() {
        return Err(crate::error::UserError::usage(
            "--feuille ne vaut que pour un classeur (.xlsx, .xls, .ods) : ce fichier est un CSV",
        )
        .into());
    }
    if options.encodage.is_none()
        && Encoding::for_bom(&debut).is_none()
        && let Some(utf16) = decodage::utf16_sans_bom(&debut)
    {
        return Err(erreur(format!(
            "{} semble écrit en UTF-16 sans marque d'ordre des octets (un octet nul sur deux) : un texte dont \
             l'encodage ne se devine pas sûrement",
            chemin.display()
        ))
        .aide(format!("relancez avec --encodage {utf16}"))
        .into());
    }
    let encodage = options.encodage.unwrap_or_else(|| decodage::detecter(&debut));
    if let Some(nature) = decodage::nature_binaire(&debut, encodage) {
        return Err(erreur(format!(
            "{} n'est ni un fichier CSV ni un classeur : {nature}",
            chemin.display()
        ))
        .aide("importez un fichier CSV, .xlsx, .xls ou .ods, tel que le tableur l'enregistre")
        .into());
    }
    let texte_debut = decodage::decoder_debut(&debut, encodage);
    if let Some(balisage) = decodage::balisage(&texte_debut) {
        return Err(erreur(format!(
            "{} est {balisage}, pas un CSV ni un classeur",
            chemin.display()
        ))
        .aide("ouvrez-le dans le tableur et enregistrez-le en .xlsx, .ods ou CSV")
        .into());
    }
    let separateur = options.separateur.unwrap_or_else(|| decodage::separateur(&texte_debut));
    let etendue = std::fs::metadata(chemin).map_or(0, |m| m.len());
    let flux = std::io::Cursor::new(debut).chain(fichier);
    let decode: Box<dyn Read + Send> = Box::new(
        encoding_rs_io::DecodeReaderBytesBuilder::new()
            .encoding(Some(encodage))
            .bom_override(true)
            .build(flux),
    );
    let (decode, mut lignes) = lignes::compter(decode);
    let mut lecteur = csv::ReaderBuilder::new()
        .delimiter(separateur)
        .flexible(true)
        .from_reader(decode);
    let illisible = |e: csv::Error| erreur(format!("en-tête illisible : {e}"));
    let mut premiere = lecteur.headers().map_err(illisible)?.clone();
    // A title block may stand above the header, as in a workbook: the same rule finds it.
    let mut attente = std::collections::VecDeque::new();
    let mut record = csv::StringRecord::new();
    while attente.len() + 1 < RANGEES_AVANT_ENTETE && lecteur.read_record(&mut record).map_err(illisible)? {
        attente.push_back(std::mem::take(&mut record));
    }
    let en_textes = |r: &csv::StringRecord| -> Vec<String> {
        r.iter()
            .map(|h| h.trim_start_matches('\u{feff}').trim().to_owned())
            .collect()
    };
    let position = entete_parmi(
        std::iter::once(&premiere).chain(&attente).map(en_textes),
        options.profil.as_ref(),
    );
    let mut ligne_entete = 1;
    if position > 0 {
        premiere = attente.drain(..position).next_back().unwrap_or_default();
        let octet = premiere.position().map_or(0, csv::Position::byte);
        ligne_entete = lignes.de(octet);
        lecteur.set_headers(premiere.clone());
    }
    let entetes = en_textes(&premiere);
    if encodage == encoding_rs::UTF_8 && entetes.iter().any(|e| e.contains('\u{fffd}')) {
        return Err(erreur("en-tête illisible en UTF-8")
            .aide("le fichier vient sans doute d'Excel en Windows-1252 : relancez avec --encodage windows-1252")
            .into());
    }
    sans_controle(entetes.iter().map(String::as_str), ligne_entete, true, &entetes)?;
    let correspondance = Correspondance::depuis(&entetes, options.profil)?;
    Ok(Lecture {
        forme: Forme::Csv {
            encodage,
            separateur,
            entete: ligne_entete,
        },
        correspondance,
        flux: Flux::Csv {
            lecteur,
            attente,
            lignes,
            encodage,
            separateur,
            taille: (0, entetes.len()),
        },
        entetes,
        etendue,
        unite: "ligne",
        filtre: Filtre {
            departement: options.departement,
            structures: options.structures,
            ecartees: 0,
        },
    })
}

fn ouvrir_json(chemin: &Path, mut options: Options) -> Result<Lecture> {
    if options.feuille.is_some() {
        return Err(
            crate::error::UserError::usage("--feuille ne vaut que pour un classeur (.xlsx, .xls, .ods)").into(),
        );
    }
    let objets = json::ouvrir(chemin, options.de_structures)?;
    if let (Some((entetes, rangees)), None) = (objets.structures, &options.structures) {
        options.structures = Some(structures::Structures::des_rangees(&entetes, rangees)?);
    }
    let entetes = objets.entetes;
    sans_controle(entetes.iter().map(String::as_str), 0, false, &entetes)?;
    let correspondance = Correspondance::depuis(&entetes, options.profil)?;
    Ok(Lecture {
        forme: Forme::Json,
        flux: Flux::rangees(std::collections::VecDeque::new(), objets.rangees, &correspondance),
        correspondance,
        entetes,
        etendue: 0,
        unite: "objet",
        filtre: Filtre {
            departement: options.departement,
            structures: options.structures,
            ecartees: 0,
        },
    })
}

impl Flux {
    fn rangees(
        attente: std::collections::VecDeque<cellule::Rangee>,
        rangees: std::sync::mpsc::Receiver<Result<cellule::Rangee>>,
        correspondance: &Correspondance,
    ) -> Flux {
        let largeur = correspondance.champs.iter().map(|(_, i, _)| i + 1).max().unwrap_or(0);
        let mut champs = vec![None; largeur];
        for (champ, i, _) in &correspondance.champs {
            champs[*i] = Some(*champ);
        }
        Flux::Rangees {
            attente,
            rangees,
            champs,
        }
    }
}

/// A title block may stand above the header: the header is the row, among the first
/// ones, whose cells name the most fields (the first row when none names any).
const RANGEES_AVANT_ENTETE: usize = 30;

/// Which of the first rows is the header: the one whose cells name the most fields (the
/// first of them on a tie, the first row when none names any).
fn entete_parmi(rangees: impl Iterator<Item = Vec<String>>, profil: Option<&ProfilVerifie>) -> usize {
    rangees
        .enumerate()
        .map(|(i, r)| (colonnes::reconnues(&r, profil), i))
        .max_by_key(|(n, i)| (*n, std::cmp::Reverse(*i)))
        .map_or(0, |(_, i)| i)
}

fn ouvrir_classeur(chemin: &Path, conteneur: classeur::Conteneur, mut options: Options) -> Result<Lecture> {
    let feuille = classeur::ouvrir(chemin, conteneur, options.feuille.as_deref())?;
    // The « Services » sheet, read by default beside a « Structures » sheet (the workbook
    // `offre exporter` writes): its services are completed by those structures.
    if options.feuille.is_none()
        && options.structures.is_none()
        && !options.de_structures
        && crate::domain::texte::normaliser(&feuille.nom) == "services"
        && feuille.feuilles.contains(&format!("« {} »", classeur::STRUCTURES))
    {
        options.structures = Some(structures::Structures::lire(chemin, Some(classeur::STRUCTURES))?);
    }
    let mut attente = std::collections::VecDeque::new();
    while attente.len() < RANGEES_AVANT_ENTETE {
        match feuille.rangees.recv() {
            Ok(rangee) => attente.push_back(rangee?),
            Err(_) => break,
        }
    }
    let en_textes = |r: &cellule::Rangee| -> Vec<String> {
        r.cellules
            .iter()
            .map(|c| cellule::en_texte(c, None).trim().to_owned())
            .collect()
    };
    let feuilles_du_classeur = || {
        format!(
            "feuilles du classeur : {} ; choisissez celle du tableau avec --feuille NOM ou --feuille N",
            feuille.feuilles
        )
    };
    if attente.is_empty() {
        return Err(
            erreur(format!("la feuille « {} » est vide", apercu(&feuille.nom, APERCU)))
                .aide(feuilles_du_classeur())
                .into(),
        );
    }
    let position = entete_parmi(attente.iter().map(en_textes), options.profil.as_ref());
    let Some(entete) = attente.drain(..=position).next_back() else {
        return Err(erreur(format!("la feuille « {} » est vide", apercu(&feuille.nom, APERCU))).into());
    };
    let entetes = en_textes(&entete);
    sans_controle(entetes.iter().map(String::as_str), entete.numero, false, &entetes)?;
    let correspondance = Correspondance::depuis(&entetes, options.profil).map_err(|e| {
        // The table may be on another sheet, or lower than the rows searched.
        match e.downcast::<UserError>() {
            Ok(u) => {
                let lue = format!(
                    "feuille « {} » lue, en-tête cherché dans ses {RANGEES_AVANT_ENTETE} premières lignes (ligne {} \
                     retenue) ; {}",
                    apercu(&feuille.nom, APERCU),
                    entete.numero,
                    feuilles_du_classeur()
                );
                let aide = match &u.aide {
                    Some(avant) => format!("{avant}\n{lue}"),
                    None => lue,
                };
                u.aide(aide).into()
            }
            Err(e) => e,
        }
    })?;
    Ok(Lecture {
        forme: Forme::Classeur {
            format: feuille.format,
            feuille: feuille.nom,
            entete: entete.numero,
        },
        flux: Flux::rangees(attente, feuille.rangees, &correspondance),
        correspondance,
        entetes,
        etendue: feuille.derniere,
        unite: "ligne",
        filtre: Filtre {
            departement: options.departement,
            structures: options.structures,
            ecartees: 0,
        },
    })
}

/// Tabs and line breaks are text inside a quoted cell; other control characters are not.
const PERMIS: [char; 3] = ['\t', '\n', '\r'];

/// Refuses a control character (NUL, escape…) in the cells of the row that starts on line
/// `numero`, naming its line and column: the rule of every text spie keeps. In a CSV, a
/// quoted cell's line breaks move the line on (`sur_plusieurs_lignes`); a workbook's row is
/// one row however many lines its cells hold.
fn sans_controle<'a>(
    cellules: impl Iterator<Item = &'a str> + Clone,
    numero: u64,
    sur_plusieurs_lignes: bool,
    entetes: &[String],
) -> Result<()> {
    let Some((i, (position, c))) = cellules
        .clone()
        .enumerate()
        .find_map(|(i, cellule)| caractere_de_controle(cellule, &PERMIS).map(|trouve| (i, trouve)))
    else {
        return Ok(());
    };
    // Its line: the row's first, plus the line breaks of the quoted cells before it.
    let avant: String = cellules
        .take(i + 1)
        .enumerate()
        .map(|(j, cellule)| {
            if j == i {
                cellule.chars().take(position - 1).collect()
            } else {
                cellule.to_owned()
            }
        })
        .collect();
    let ligne = if sur_plusieurs_lignes {
        numero + (avant.replace("\r\n", "\n").matches(['\n', '\r']).count() as u64)
    } else {
        numero
    };
    let colonne = entetes
        .get(i)
        .map_or_else(|| format!("n° {}", i + 1), |e| apercu(e, APERCU).into_owned());
    Err(erreur(format!(
        "ligne {ligne}, colonne « {colonne} » : caractère de contrôle interdit ({}, caractère n° {position} de la cellule)",
        nom_du_caractere(c)
    ))
    .aide("un fichier de données ne contient que du texte : enlevez ce caractère dans le tableur, ou vérifiez l'encodage (--encodage)")
    .into())
}

/// A row read and checked: the offer it gives (and its values as stored), or, rejected,
/// its cells as read and the identifiant it names; and the findings.
pub struct Verifiee {
    pub numero: u64,
    pub octet: u64,
    pub offre: Result<(Offre, EnTexte), Rejet>,
    pub problemes: Vec<Probleme>,
    /// The producer a data·inclusion file names for the row (`source` column).
    pub producteur: Option<String>,
}

pub struct Rejet {
    pub cellules: Vec<String>,
    pub identifiant: Option<String>,
}

impl Verifiee {
    fn depuis(ligne: Ligne, aujourdhui: chrono::NaiveDate, departement: &str) -> Verifiee {
        // A row refused as read (its values shifted by a separator too many): its cells
        // are not checked, every shifted value would be refused once more.
        let (mut offre, mut problemes) = if ligne
            .problemes
            .iter()
            .any(|p| p.gravite == crate::domain::offre::Gravite::Erreur)
        {
            (None, Vec::new())
        } else {
            verifier(&ligne.brut, aujourdhui, departement)
        };
        problemes.splice(0..0, ligne.problemes);
        let producteur = match ligne.brut.get(&Champ::Source) {
            Some((v, colonne)) if !v.trim().is_empty() => match producteur(v) {
                Ok(p) => Some(p),
                Err(message) => {
                    offre = None;
                    problemes.push(Probleme {
                        gravite: crate::domain::offre::Gravite::Erreur,
                        colonne: colonne.to_string(),
                        valeur: apercu(v, APERCU).into_owned(),
                        message,
                    });
                    None
                }
            },
            _ => None,
        };
        let offre = offre.map(|o| {
            let texte = o.en_texte();
            (o, texte)
        });
        let offre = offre.ok_or_else(|| Rejet {
            identifiant: ligne
                .brut
                .get(&Champ::Id)
                .map(|(id, _)| id.trim().to_owned())
                .filter(|id| !id.is_empty()),
            cellules: ligne.cellules.iter().map(str::to_owned).collect(),
        });
        Verifiee {
            numero: ligne.numero,
            octet: ligne.octet,
            offre,
            problemes,
            producteur,
        }
    }
}

/// A producer's name as data·inclusion writes them (`dora`, `france-travail`): a short
/// word of letters, digits, `-`, `_` or `.`.
fn producteur(v: &str) -> Result<String, String> {
    let v = v.trim();
    if v.chars().count() <= 50 && v.chars().all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.')) {
        Ok(v.to_lowercase())
    } else {
        Err("producteur illisible : un mot de 50 caractères au plus (lettres, chiffres, - _ .)".into())
    }
}

/// Rows are passed between the threads in batches of this many (one hand-over per row
/// would cost more than the row), and at most two batches wait: memory does not grow with
/// the file.
const LOT: usize = 256;

impl Lecture {
    /// The header as read.
    pub fn entetes(&self) -> &[String] {
        &self.entetes
    }

    /// Reads and checks each row on a second thread while `traiter` handles the rows
    /// already checked, in the file's order, on this one: reading and writing a large file
    /// overlap. Stops at the first error of either side. Gives the number of rows of
    /// another département passed over.
    pub fn verifier_chaque(
        mut self,
        aujourdhui: chrono::NaiveDate,
        departement: &str,
        mut traiter: impl FnMut(&Verifiee) -> Result<()>,
    ) -> Result<u64> {
        std::thread::scope(|s| {
            let (envoi, reception) = std::sync::mpsc::sync_channel::<Result<Vec<Verifiee>>>(2);
            // Handled batches go back to be freed by the reading thread, which has time to
            // spare: freeing on the writing thread cost it a tenth of its time.
            let (retour, a_liberer) = std::sync::mpsc::channel::<Vec<Verifiee>>();
            let lecteur = s.spawn(move || {
                let mut lot = Vec::with_capacity(LOT);
                loop {
                    a_liberer.try_iter().for_each(drop);
                    match self.suivante() {
                        Ok(Some(ligne)) => {
                            lot.push(Verifiee::depuis(ligne, aujourdhui, departement));
                            // A failed send: the writer stopped on an error of its own.
                            if lot.len() == LOT
                                && envoi
                                    .send(Ok(std::mem::replace(&mut lot, Vec::with_capacity(LOT))))
                                    .is_err()
                            {
                                break;
                            }
                        }
                        Ok(None) => {
                            let _ = envoi.send(Ok(lot));
                            break;
                        }
                        Err(e) => {
                            let _ = envoi.send(Ok(lot)).and_then(|()| envoi.send(Err(e)));
                            break;
                        }
                    }
                }
                self.filtre.ecartees
            });
            for lot in reception {
                let lot = lot?;
                for verifiee in &lot {
                    traiter(verifiee)?;
                }
                // The reader may have stopped already: then the batch is freed here.
                let _ = retour.send(lot);
            }
            lecteur
                .join()
                .map_err(|_| anyhow::anyhow!("la lecture du fichier s'est arrêtée sur une erreur interne"))
        })
    }

    /// The next non-blank row of the département asked for, completed by its structure,
    /// or `None` at the end of the file.
    pub fn suivante(&mut self) -> Result<Option<Ligne>> {
        loop {
            let Some(mut ligne) = self.brute()? else {
                return Ok(None);
            };
            if let Some(s) = &self.filtre.structures {
                s.completer(&mut ligne.brut);
            }
            if let Some(d) = &self.filtre.departement
                && !dans_departement(&ligne.brut, d)
            {
                self.filtre.ecartees += 1;
                continue;
            }
            return Ok(Some(ligne));
        }
    }

    /// The next non-blank row as the file gives it.
    fn brute(&mut self) -> Result<Option<Ligne>> {
        let mut problemes = Vec::new();
        let (cellules, numero, octet) = match &mut self.flux {
            Flux::Csv {
                lecteur,
                attente,
                lignes,
                encodage,
                separateur,
                taille,
            } => match suivante_csv(lecteur, attente, lignes, (*encodage, *separateur), taille)? {
                Some(trouvee) => trouvee,
                None => return Ok(None),
            },
            Flux::Rangees {
                attente,
                rangees,
                champs,
            } => {
                let rangee = match attente.pop_front() {
                    Some(r) => r,
                    None => match rangees.recv() {
                        Ok(r) => r?,
                        Err(_) => return Ok(None),
                    },
                };
                let mut record = csv::StringRecord::with_capacity(256, rangee.cellules.len());
                for (i, c) in rangee.cellules.iter().enumerate() {
                    let champ = champs.get(i).copied().flatten();
                    let defaut = match c {
                        cellule::Valeur::Erreur(e) => Some((
                            e.clone(),
                            format!("cellule en erreur dans le tableur ({e}) : valeur ignorée"),
                        )),
                        cellule::Valeur::NonCalculee => Some((
                            String::new(),
                            "formule jamais calculée (le fichier n'en garde pas la valeur) : cellule lue vide ; \
                             ouvrez le classeur dans le tableur et enregistrez-le pour calculer ses formules"
                                .to_owned(),
                        )),
                        _ => None,
                    };
                    if let (Some((valeur, message)), Some(_)) = (defaut, champ) {
                        problemes.push(Probleme {
                            gravite: crate::domain::offre::Gravite::Avertissement,
                            colonne: self.entetes.get(i).cloned().unwrap_or_default(),
                            valeur,
                            message,
                        });
                    }
                    record.push_field(&cellule::en_texte(c, champ));
                }
                (record, rangee.numero, rangee.numero)
            }
        };
        let sur_plusieurs_lignes = matches!(self.flux, Flux::Csv { .. });
        if sur_plusieurs_lignes {
            problemes.extend(cellules_comptees(&cellules, &self.entetes));
        }
        // The whole row at once: most have no control byte at all.
        if octets_de_controle(cellules.as_slice()) {
            sans_controle(cellules.iter(), numero, sur_plusieurs_lignes, &self.entetes)?;
        }
        let (brut, assemblage) = self.correspondance.brut(&cellules);
        problemes.extend(assemblage);
        Ok(Some(Ligne {
            numero,
            octet,
            cellules,
            brut,
            problemes,
        }))
    }
}

/// A CSV row with fewer cells than the header has columns: read with the last ones empty
/// (a spreadsheet drops a row's empty cells at its end), with a warning. A row with more
/// non-empty cells than that: its values are shifted (a separator too many), so the row
/// is refused.
fn cellules_comptees(cellules: &csv::StringRecord, entetes: &[String]) -> Option<Probleme> {
    use crate::domain::offre::Gravite;
    let (n, colonnes) = (cellules.len(), entetes.len());
    if n < colonnes {
        return Some(Probleme {
            gravite: Gravite::Avertissement,
            colonne: apercu(&entetes[n], APERCU).into_owned(),
            valeur: String::new(),
            message: format!("{n} cellules pour {colonnes} colonnes : les dernières sont lues vides"),
        });
    }
    let (i, en_trop) = cellules
        .iter()
        .enumerate()
        .skip(colonnes)
        .find(|(_, c)| !c.trim().is_empty())?;
    Some(Probleme {
        gravite: Gravite::Erreur,
        colonne: format!("cellule n° {}", i + 1),
        valeur: apercu(en_trop, APERCU).into_owned(),
        message: format!(
            "{n} cellules pour {colonnes} colonnes : les valeurs de la ligne sont décalées (un séparateur de trop \
             dans une cellule ?), ligne refusée"
        ),
    })
}

/// Whether a cell holds whole rows of the file: a quote opened and never closed makes the
/// reader take the lines that follow, separators and all, as one cell. A line of the cell
/// past its first with a separator for every column tells it (a text that spans lines in a
/// cell, an address or opening hours, has a few at most).
fn cellule_avalee(cellule: &str, separateur: char, colonnes: usize) -> bool {
    let seuil = colonnes.saturating_sub(1).max(2);
    memchr::memchr(b'\n', cellule.as_bytes()).is_some()
        && cellule.lines().skip(1).any(|l| l.matches(separateur).count() >= seuil)
}

/// The next non-blank record of a CSV, with its line and offset.
fn suivante_csv(
    lecteur: &mut csv::Reader<lignes::Compteur<Box<dyn Read + Send>>>,
    attente: &mut std::collections::VecDeque<csv::StringRecord>,
    lignes: &mut lignes::Lignes,
    (encodage, separateur): (&'static Encoding, u8),
    taille: &mut (usize, usize),
) -> Result<Option<(csv::StringRecord, u64, u64)>> {
    let mut record = csv::StringRecord::with_capacity(taille.0, taille.1);
    loop {
        if let Some(lu) = attente.pop_front() {
            record = lu;
        } else if !lecteur.read_record(&mut record).map_err(|e| {
            let ligne = e
                .position()
                .map_or(String::new(), |p| format!("ligne {} : ", lignes.de(p.byte())));
            erreur(format!("{ligne}lecture impossible ({e})"))
                .aide("vérifiez l'encodage (--encodage windows-1252 ou utf-8) et le séparateur (--separateur)")
        })? {
            return Ok(None);
        }
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let octet = record.position().map_or(0, csv::Position::byte);
        let numero = lignes.de(octet);
        // Searched in the whole row at once: most rows hold neither.
        let octets = record.as_slice().as_bytes();
        if encodage == encoding_rs::UTF_8 && memchr::memmem::find(octets, "\u{fffd}".as_bytes()).is_some() {
            return Err(erreur(format!("ligne {numero} : caractères illisibles en UTF-8"))
                .aide("le fichier vient sans doute d'Excel en Windows-1252 : relancez avec --encodage windows-1252")
                .into());
        }
        let colonnes = lecteur.byte_headers().map_or(0, csv::ByteRecord::len);
        if memchr::memchr(b'\n', octets).is_some()
            && record.iter().any(|c| cellule_avalee(c, separateur as char, colonnes))
        {
            return Err(erreur(format!(
                "ligne {numero} : un guillemet (\") ouvert dans une cellule n'est jamais refermé : la suite du \
                 fichier a été lue comme une seule cellule ; rien n'est importé"
            ))
            .aide("refermez le guillemet de cette ligne dans le fichier (un guillemet dans un texte s'écrit \"\"), puis relancez")
            .into());
        }
        *taille = (record.as_slice().len(), record.len());
        return Ok(Some((record, numero, octet)));
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_cell_holding_whole_rows_is_told_from_a_text_on_several_lines() {
        let avalee = "Offre cassée;mobilite;55545;2026-10-01\nK3;Offre 3;mobilite;55545;2026-10-01";
        assert!(super::cellule_avalee(avalee, ';', 5));
        assert!(!super::cellule_avalee("12 rue Haute\n55100 Verdun; porte B", ';', 5));
        assert!(!super::cellule_avalee("a;b;c;d;e;f sans saut de ligne", ';', 5));
    }
}
