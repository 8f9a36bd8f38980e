//! `.xlsx` workbooks read in streaming, in memory that does not grow with the sheet: the
//! sheet's XML is read cell by cell, and its shared strings (a list of every distinct text
//! of the workbook, which cells name by their number) are kept in memory only up to
//! [`EN_MEMOIRE`] bytes, the rest in a temporary file read back as the cells name them.
//! (A workbook of a million offers holds two million distinct texts, 300 MB.)

use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Read, Seek, SeekFrom, Write};
use std::path::Path;

use anyhow::{Result, anyhow};
use calamine::{Dimensions, ExcelDateTime, ExcelDateTimeType, Sheet, SheetType, SheetVisible};
use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};
use zip::ZipArchive;

use super::cellule::{Valeur, date_iso, texte};

type Archive = ZipArchive<BufReader<File>>;

/// Shared strings kept in memory, in bytes; the following ones go to a temporary file.
/// Spreadsheets write them in the order of their first use, so the texts repeated from row
/// to row (communes, thematiques, structures) come first and stay in memory.
pub const EN_MEMOIRE: usize = 4 << 20;

/// [`EN_MEMOIRE`], or the bytes `SPIE_CHAINES_EN_MEMOIRE` says (for tests: a small
/// workbook whose strings go to the file).
fn en_memoire() -> usize {
    std::env::var("SPIE_CHAINES_EN_MEMOIRE")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(EN_MEMOIRE)
}

/// An `.xlsx` package: its sheets and where its parts are.
pub struct Classeur {
    archive: Archive,
    pub feuilles: Vec<Sheet>,
    /// The part of each sheet, in the order of `feuilles`.
    parties: Vec<String>,
    chaines: Option<String>,
    styles: Option<String>,
    /// Dates counted from 1904 (`<workbookPr date1904="1"/>`), not 1900.
    base_1904: bool,
}

/// How a cell's number is shown, from its style.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Format {
    Nombre,
    Date,
    Duree,
}

/// A sheet ready to be read: what is known before its rows.
pub struct Ouverte {
    pub classeur: Classeur,
    pub partie: String,
    /// The sheet's declared extent (`<dimension>`), if any.
    pub derniere: u64,
    pub fusions: Vec<Dimensions>,
}

impl Classeur {
    /// The workbook of the zip at `chemin`, if the package is an `.xlsx` (its main part a
    /// `workbook.xml`); `None` for any other zip.
    pub fn ouvrir(chemin: &Path) -> Result<Option<Classeur>> {
        let Ok(mut archive) = ZipArchive::new(BufReader::new(File::open(chemin)?)) else {
            return Ok(None);
        };
        let principal = relations(&mut archive, "_rels/.rels")
            .into_iter()
            .find(|(typ, _, _)| typ.ends_with("/officeDocument"))
            .map(|(_, _, cible)| cible.trim_start_matches('/').to_owned())
            .unwrap_or_else(|| "xl/workbook.xml".to_owned());
        let Some(principal) = nom_dans(&archive, &principal) else {
            return Ok(None);
        };
        if !principal.to_ascii_lowercase().ends_with(".xml") {
            return Ok(None);
        }
        let dossier = principal.rfind('/').map_or("", |i| &principal[..=i]).to_owned();
        let fichier = &principal[dossier.len()..];
        let liens = relations(&mut archive, &format!("{dossier}_rels/{fichier}.rels"));
        let partie = |typ: &str, defaut: &str| -> Option<String> {
            let cible = liens
                .iter()
                .find(|(t, _, _)| t.ends_with(typ))
                .map_or(defaut, |(_, _, c)| c.as_str());
            nom_dans(&archive, &chemin_de(&dossier, cible))
        };
        let (chaines, styles) = (
            partie("/sharedStrings", "sharedStrings.xml"),
            partie("/styles", "styles.xml"),
        );
        let Some((feuilles, base_1904)) = lire_classeur(&mut archive, &principal)? else {
            return Ok(None);
        };
        let mut classeur = Classeur {
            archive,
            feuilles: Vec::new(),
            parties: Vec::new(),
            chaines,
            styles,
            base_1904,
        };
        for (nom, visible, id) in feuilles {
            let Some((typ, _, cible)) = liens.iter().find(|(_, i, _)| *i == id) else {
                continue;
            };
            let typ = match typ.rsplit('/').next().unwrap_or_default() {
                "worksheet" => SheetType::WorkSheet,
                "chartsheet" => SheetType::ChartSheet,
                "dialogsheet" => SheetType::DialogSheet,
                _ => SheetType::MacroSheet,
            };
            let partie = nom_dans(&classeur.archive, &chemin_de(&dossier, cible)).unwrap_or_default();
            classeur.feuilles.push(Sheet {
                name: nom,
                typ,
                visible,
            });
            classeur.parties.push(partie);
        }
        Ok(Some(classeur))
    }

    /// Prepares the sheet named `nom`: its extent and its merged cells, which the sheet's
    /// XML gives after its rows (found by a first pass that only looks for them).
    pub fn feuille(mut self, nom: &str) -> Result<Ouverte> {
        let i =
            (self.feuilles.iter().position(|f| f.name == nom)).ok_or_else(|| anyhow!("feuille « {nom} » absente"))?;
        let partie = self.parties[i].clone();
        if partie.is_empty() {
            return Err(anyhow!("la feuille « {nom} » n'a pas de contenu"));
        }
        let (derniere, fusions) = avant_les_lignes(BufReader::new(self.archive.by_name(&partie)?))?;
        Ok(Ouverte {
            classeur: self,
            partie,
            derniere,
            fusions,
        })
    }
}

impl Ouverte {
    /// Reads the sheet's cells, in the order of the file, handing each to `cellule` with
    /// its position (row and column from 0); stops when `cellule` returns `false`.
    pub fn lire(mut self, mut cellule: impl FnMut((u32, u32), Valeur) -> bool) -> Result<()> {
        let c = &mut self.classeur;
        let formats = match c.styles.clone() {
            Some(p) => lire_styles(BufReader::new(c.archive.by_name(&p)?))?,
            None => Vec::new(),
        };
        let mut chaines = match c.chaines.clone() {
            Some(p) => Chaines::lire(BufReader::new(c.archive.by_name(&p)?), en_memoire())?,
            None => Chaines::lire(&b""[..], 0)?,
        };
        let feuille = BufReader::with_capacity(1 << 16, c.archive.by_name(&self.partie)?);
        let mut cellules = Cellules::new(feuille, &formats, c.base_1904);
        while let Some((position, valeur)) = cellules.suivante(&mut chaines)? {
            if !cellule(position, valeur) {
                break;
            }
        }
        Ok(())
    }
}

/// The relationships of a `.rels` part: (type, id, target); none if it is missing.
fn relations(archive: &mut Archive, partie: &str) -> Vec<(String, String, String)> {
    let lire = |archive: &mut Archive| -> Option<Vec<(String, String, String)>> {
        let nom = nom_dans(archive, partie)?;
        let mut xml = Reader::from_reader(BufReader::new(archive.by_name(&nom).ok()?));
        let mut tampon = Vec::new();
        let mut liens = Vec::new();
        loop {
            match xml.read_event_into(&mut tampon).ok()? {
                Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == "Relationship" => {
                    let valeur = |a| attribut(&e, a).unwrap_or_default();
                    liens.push((valeur("Type"), valeur("Id"), valeur("Target")));
                }
                Event::Eof => return Some(liens),
                _ => {}
            }
            tampon.clear();
        }
    };
    lire(archive).unwrap_or_default()
}

/// A sheet as `workbook.xml` lists it: name, visibility, relationship id.
type Listee = (String, SheetVisible, String);

/// The sheets `workbook.xml` lists, and whether its dates count from 1904; `None` if the
/// part is no workbook.
fn lire_classeur(archive: &mut Archive, principal: &str) -> Result<Option<(Vec<Listee>, bool)>> {
    let mut xml = Reader::from_reader(BufReader::new(archive.by_name(principal)?));
    let mut tampon = Vec::new();
    let mut feuilles = Vec::new();
    let (mut classeur, mut base_1904) = (false, false);
    loop {
        match xml.read_event_into(&mut tampon)? {
            Event::Start(e) if e.local_name().as_ref() == "workbook" => classeur = true,
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == "workbookPr" => {
                base_1904 = attribut(&e, "date1904").is_some_and(|v| v == "1" || v == "true");
            }
            Event::Start(e) | Event::Empty(e) if classeur && e.local_name().as_ref() == "sheet" => {
                let visible = match attribut(&e, "state").as_deref() {
                    Some("hidden") => SheetVisible::Hidden,
                    Some("veryHidden") => SheetVisible::VeryHidden,
                    _ => SheetVisible::Visible,
                };
                // The relationship id, `r:id` whatever the prefix.
                let id = e.attributes().flatten().find_map(|a| {
                    let cle = a.key.as_ref();
                    (cle.ends_with(":id")).then(|| valeur(&a))?
                });
                feuilles.push((
                    attribut(&e, "name").unwrap_or_default(),
                    visible,
                    id.unwrap_or_default(),
                ));
            }
            Event::End(e) if e.local_name().as_ref() == "sheets" => break,
            Event::Eof => break,
            _ => {}
        }
        tampon.clear();
    }
    Ok(classeur.then_some((feuilles, base_1904)))
}

/// The value of the attribute `nom` (entities resolved).
fn attribut(e: &BytesStart, nom: &str) -> Option<String> {
    valeur(&e.try_get_attribute(nom).ok()??)
}

fn valeur(a: &quick_xml::events::attributes::Attribute) -> Option<String> {
    quick_xml::escape::unescape(&a.value).ok().map(|v| v.into_owned())
}

/// A relationship target, from the folder of the part that names it.
fn chemin_de(dossier: &str, cible: &str) -> String {
    match cible.strip_prefix('/') {
        Some(absolu) => absolu.to_owned(),
        None => {
            let mut parties: Vec<&str> = dossier.split('/').filter(|p| !p.is_empty()).collect();
            for p in cible.split('/') {
                match p {
                    ".." => {
                        parties.pop();
                    }
                    "." | "" => {}
                    p => parties.push(p),
                }
            }
            parties.join("/")
        }
    }
}

/// The name of the archive's entry `nom`, compared as Excel does: case aside, `\` for `/`.
fn nom_dans(archive: &Archive, nom: &str) -> Option<String> {
    if archive.index_for_name(nom).is_some() {
        return Some(nom.to_owned());
    }
    let cle = nom.replace('\\', "/").to_lowercase();
    (archive.file_names())
        .flatten()
        .find(|n| n.replace('\\', "/").to_lowercase() == cle)
        .map(|n| n.into_owned())
}

/// The number format of each cell style (`cellXfs`).
fn lire_styles(source: impl BufRead) -> Result<Vec<Format>> {
    let mut xml = Reader::from_reader(source);
    let mut tampon = Vec::new();
    let mut propres: Vec<(String, String)> = Vec::new();
    let mut formats = Vec::new();
    let mut dans_xfs = false;
    loop {
        match xml.read_event_into(&mut tampon)? {
            Event::Start(e) | Event::Empty(e) => match e.local_name().as_ref() {
                "numFmt" => {
                    if let (Some(id), Some(code)) = (attribut(&e, "numFmtId"), attribut(&e, "formatCode")) {
                        propres.push((id, code));
                    }
                }
                "cellXfs" => dans_xfs = true,
                "xf" if dans_xfs => {
                    let id = attribut(&e, "numFmtId").unwrap_or_default();
                    formats.push(match propres.iter().find(|(i, _)| *i == id) {
                        Some((_, code)) => format_propre(code),
                        None => format_predefini(&id),
                    });
                }
                _ => {}
            },
            Event::End(e) if e.local_name().as_ref() == "cellXfs" => dans_xfs = false,
            Event::Eof => return Ok(formats),
            _ => {}
        }
        tampon.clear();
    }
}

/// The built-in number formats that show a date or a time (ECMA-376, 18.8.30).
fn format_predefini(id: &str) -> Format {
    match id.parse::<u32>().unwrap_or(0) {
        14..=22 | 27..=36 | 45 | 47 | 50..=58 => Format::Date,
        46 => Format::Duree,
        _ => Format::Nombre,
    }
}

/// Whether a format code of the workbook's own shows a date (`dd/mm/yyyy`), a duration
/// (`[h]:mm`) or a number: its first section, text in quotes, escaped characters and
/// bracketed colours aside.
fn format_propre(code: &str) -> Format {
    let (mut echappe, mut guillemets, mut crochets) = (false, false, 0u32);
    let mut dans_crochets = String::new();
    for c in code.chars() {
        if echappe {
            echappe = false;
            continue;
        }
        match c {
            '\\' | '_' | '*' => echappe = true,
            '"' => guillemets = !guillemets,
            _ if guillemets => {}
            ';' => break,
            '[' => {
                crochets += 1;
                dans_crochets.clear();
            }
            ']' => {
                crochets = crochets.saturating_sub(1);
                let d = dans_crochets.to_ascii_lowercase();
                if !d.is_empty() && d.chars().all(|c| matches!(c, 'h' | 'm' | 's')) {
                    return Format::Duree;
                }
            }
            _ if crochets > 0 => dans_crochets.push(c),
            'd' | 'm' | 'y' | 'h' | 's' | 'D' | 'M' | 'Y' | 'H' | 'S' => return Format::Date,
            _ => {}
        }
    }
    Format::Nombre
}

/// Before the rows: the sheet's extent; after them, its merged cells. The rows are passed
/// over unparsed (a search for `mergeCell` in the raw bytes).
fn avant_les_lignes(source: impl BufRead) -> Result<(u64, Vec<Dimensions>)> {
    let mut xml = Reader::from_reader(source);
    let mut tampon = Vec::new();
    let mut derniere = 0;
    loop {
        match xml.read_event_into(&mut tampon)? {
            Event::Start(e) | Event::Empty(e) if e.local_name().as_ref() == "dimension" => {
                if let Some(plage) = attribut(&e, "ref").and_then(|r| plage(&r)) {
                    derniere = u64::from(plage.end.0) + 1;
                }
            }
            Event::Start(e) if e.local_name().as_ref() == "sheetData" => break,
            Event::Empty(e) if e.local_name().as_ref() == "sheetData" => break,
            Event::Eof => return Ok((derniere, Vec::new())),
            _ => {}
        }
        tampon.clear();
    }
    let mut reste = xml.into_inner();
    let cherche = memchr::memmem::Finder::new(b"mergeCell");
    // The bytes of a block that may begin the word, kept for the next block.
    let mut retenue: Vec<u8> = Vec::new();
    loop {
        let bloc = reste.fill_buf()?;
        if bloc.is_empty() {
            return Ok((derniere, Vec::new()));
        }
        let n = bloc.len();
        retenue.extend_from_slice(bloc);
        if let Some(i) = cherche.find(&retenue) {
            // Back to the `<` of the element, then the rest read as XML.
            let debut = retenue[..i].iter().rposition(|&b| b == b'<').unwrap_or(i);
            let mut suite = retenue[debut..].to_vec();
            reste.consume(n);
            reste.read_to_end(&mut suite)?;
            return Ok((derniere, fusions(&suite)));
        }
        reste.consume(n);
        let garde = retenue.len().min(16);
        retenue.drain(..retenue.len() - garde);
    }
}

/// The merged ranges of the end of a sheet's XML (`<mergeCell ref="A1:B3"/>`); anything
/// else, even broken, passed over.
fn fusions(xml: &[u8]) -> Vec<Dimensions> {
    let mut lecteur = Reader::from_reader(xml);
    lecteur.config_mut().check_end_names = false;
    let mut tampon = Vec::new();
    let mut plages = Vec::new();
    loop {
        match lecteur.read_event_into(&mut tampon) {
            Ok(Event::Start(e) | Event::Empty(e)) if e.local_name().as_ref() == "mergeCell" => {
                plages.extend(attribut(&e, "ref").and_then(|r| plage(&r)));
            }
            Ok(Event::Eof) => return plages,
            Err(_) if lecteur.buffer_position() >= xml.len() as u64 => return plages,
            _ => {}
        }
        tampon.clear();
    }
}

/// A cell reference (`B12`): row and column from 0.
fn position(reference: &str) -> Option<(u32, u32)> {
    let lettres = reference.bytes().take_while(u8::is_ascii_alphabetic).count();
    let (colonne, ligne) = reference.split_at(lettres);
    if lettres == 0 || lettres > 3 {
        return None;
    }
    let colonne = colonne
        .bytes()
        .fold(0u32, |n, b| n * 26 + u32::from(b.to_ascii_uppercase() - b'A' + 1));
    let ligne: u32 = ligne.parse().ok()?;
    Some((ligne.checked_sub(1)?, colonne - 1))
}

/// A range (`A1:C3`, or one cell).
fn plage(texte: &str) -> Option<Dimensions> {
    let (debut, fin) = texte.split_once(':').unwrap_or((texte, texte));
    Some(Dimensions {
        start: position(debut)?,
        end: position(fin)?,
    })
}

/// The text of a rich string (`<si>` or `<is>`, whose end is `fin`) into `texte`: its `<t>`
/// runs, phonetic runs (`<rPh>`) aside, as a spreadsheet shows it.
fn texte_riche<R: BufRead>(xml: &mut Reader<R>, tampon: &mut Vec<u8>, fin: &str, texte: &mut String) -> Result<()> {
    texte.clear();
    let (mut phonetique, mut dans_t, mut garder_espaces) = (false, false, false);
    let mut debut_t = 0;
    loop {
        tampon.clear();
        match xml.read_event_into(tampon)? {
            Event::Start(e) => match e.local_name().as_ref() {
                "rPh" => phonetique = true,
                "t" if !phonetique => {
                    dans_t = true;
                    garder_espaces = attribut(&e, "xml:space").is_some_and(|v| v == "preserve");
                    debut_t = texte.len();
                }
                _ => {}
            },
            Event::Text(t) if dans_t => texte.push_str(&t.xml10_content()),
            Event::CData(t) if dans_t => texte.push_str(&t.xml10_content()),
            Event::GeneralRef(r) if dans_t => entite(&r, texte)?,
            Event::End(e) => match e.local_name().as_ref() {
                "rPh" => phonetique = false,
                "t" if dans_t => {
                    dans_t = false;
                    let run = sans_echappements(&texte[debut_t..]);
                    let run = if garder_espaces {
                        run
                    } else {
                        run.trim_matches([' ', '\t', '\r', '\n']).to_owned()
                    };
                    texte.truncate(debut_t);
                    texte.push_str(&run);
                }
                nom if nom == fin => return Ok(()),
                _ => {}
            },
            Event::Eof => return Err(anyhow!("fin du fichier dans une chaîne")),
            _ => {}
        }
    }
}

/// An entity of the text (`&amp;`, `&#10;`).
fn entite(r: &quick_xml::events::BytesRef, texte: &mut String) -> Result<()> {
    if let Some(c) = r.resolve_char_ref()? {
        texte.push(c);
    } else if let Some(s) = quick_xml::escape::resolve_xml_entity(r) {
        texte.push_str(s);
    }
    Ok(())
}

/// The text with the workbook's own escapes (`_x000D_` for a character XML cannot hold)
/// written as the characters they stand for.
fn sans_echappements(s: &str) -> String {
    if !s.contains("_x") {
        return s.to_owned();
    }
    let mut sortie = String::with_capacity(s.len());
    let mut reste = s;
    while let Some(i) = reste.find("_x") {
        sortie.push_str(&reste[..i]);
        let code = reste
            .get(i + 2..i + 6)
            .filter(|h| h.bytes().all(|b| b.is_ascii_hexdigit()));
        match code.filter(|_| reste.as_bytes().get(i + 6) == Some(&b'_')) {
            Some(h) => {
                let c = u32::from_str_radix(h, 16).ok().and_then(char::from_u32);
                sortie.push(c.unwrap_or(char::REPLACEMENT_CHARACTER));
                reste = &reste[i + 7..];
            }
            None => {
                sortie.push_str("_x");
                reste = &reste[i + 2..];
            }
        }
    }
    sortie.push_str(reste);
    sortie
}

/// The shared strings: the first in memory, the others, past [`EN_MEMOIRE`] bytes, in a
/// temporary file (deleted when closed), one record (length, then bytes) each.
pub struct Chaines {
    texte: String,
    /// The end of each string in memory, in `texte`.
    fins: Vec<usize>,
    disque: Option<Disque>,
}

struct Disque {
    fichier: BufReader<File>,
    nombre: usize,
    /// Where every `REPERE`-th record begins.
    reperes: Vec<u64>,
    /// The record the file is positioned at.
    suivant: usize,
    /// The last record read, and its number.
    lu: String,
    numero_lu: Option<usize>,
}

/// One record of the temporary file in `REPERE` has its place kept in memory: 8 bytes for
/// 64 strings.
const REPERE: usize = 64;

impl Chaines {
    /// Reads `sharedStrings.xml`, keeping up to `en_memoire` bytes of strings in memory.
    pub fn lire(source: impl BufRead, en_memoire: usize) -> Result<Chaines> {
        let mut xml = Reader::from_reader(source);
        let mut tampon = Vec::new();
        let mut un = String::new();
        let mut chaines = Chaines {
            texte: String::new(),
            fins: Vec::new(),
            disque: None,
        };
        let mut ecriture: Option<(BufWriter<File>, u64, usize, Vec<u64>)> = None;
        loop {
            tampon.clear();
            match xml.read_event_into(&mut tampon)? {
                Event::Start(e) if e.local_name().as_ref() == "si" => {
                    texte_riche(&mut xml, &mut tampon, "si", &mut un)?;
                }
                Event::Empty(e) if e.local_name().as_ref() == "si" => un.clear(),
                Event::Eof => break,
                _ => continue,
            }
            if ecriture.is_none() && chaines.texte.len() + un.len() <= en_memoire {
                chaines.texte.push_str(&un);
                chaines.fins.push(chaines.texte.len());
                continue;
            }
            let (fichier, position, nombre, reperes) = match &mut ecriture {
                Some(e) => e,
                None => ecriture.insert((BufWriter::new(tempfile::tempfile()?), 0, 0, Vec::new())),
            };
            if (*nombre).is_multiple_of(REPERE) {
                reperes.push(*position);
            }
            let longueur = u32::try_from(un.len())?;
            fichier.write_all(&longueur.to_le_bytes())?;
            fichier.write_all(un.as_bytes())?;
            *position += 4 + u64::from(longueur);
            *nombre += 1;
        }
        if let Some((fichier, _, nombre, reperes)) = ecriture {
            let mut fichier = fichier.into_inner().map_err(|e| e.into_error())?;
            fichier.seek(SeekFrom::Start(0))?;
            chaines.disque = Some(Disque {
                fichier: BufReader::with_capacity(1 << 16, fichier),
                nombre,
                reperes,
                suivant: 0,
                lu: String::new(),
                numero_lu: None,
            });
        }
        Ok(chaines)
    }

    /// The string number `i`, if the workbook has it.
    pub fn get(&mut self, i: usize) -> Result<Option<&str>> {
        if let Some(&fin) = self.fins.get(i) {
            let debut = i.checked_sub(1).map_or(0, |j| self.fins[j]);
            return Ok(Some(&self.texte[debut..fin]));
        }
        let Some(d) = &mut self.disque else {
            return Ok(None);
        };
        let j = i - self.fins.len();
        if j >= d.nombre {
            return Ok(None);
        }
        if d.numero_lu != Some(j) {
            d.lire(j)?;
        }
        Ok(Some(&d.lu))
    }
}

impl Disque {
    /// Reads the record `j`: forward from where the file is if it is near, else from the
    /// mark before it.
    fn lire(&mut self, j: usize) -> Result<()> {
        if j < self.suivant || j - self.suivant >= REPERE {
            let repere = j / REPERE;
            self.fichier.seek(SeekFrom::Start(self.reperes[repere]))?;
            self.suivant = repere * REPERE;
        }
        let mut longueur = [0u8; 4];
        while self.suivant < j {
            self.fichier.read_exact(&mut longueur)?;
            self.fichier.seek_relative(i64::from(u32::from_le_bytes(longueur)))?;
            self.suivant += 1;
        }
        self.fichier.read_exact(&mut longueur)?;
        let mut octets = std::mem::take(&mut self.lu).into_bytes();
        octets.resize(u32::from_le_bytes(longueur) as usize, 0);
        self.fichier.read_exact(&mut octets)?;
        self.lu = String::from_utf8(octets)?;
        self.suivant += 1;
        self.numero_lu = Some(j);
        Ok(())
    }
}

/// A cell's type (`t`).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Type {
    Nombre,
    /// `s`: a shared string.
    Partagee,
    /// `inlineStr`: its text in the cell.
    EnLigne,
    /// `str`: a formula's text.
    Formule,
    Booleen,
    Erreur,
    /// `d`: an ISO 8601 date.
    Date,
}

/// A cell's reference, style and type, read without copying (a sheet has millions).
fn attributs_de_cellule(e: &BytesStart) -> (Option<(u32, u32)>, Option<usize>, Type) {
    let (mut reference, mut style, mut typ) = (None, None, Type::Nombre);
    for a in e.attributes().with_checks(false).flatten() {
        match a.key.local_name().as_ref() {
            "r" => reference = position(&a.value),
            "s" => style = a.value.parse().ok(),
            "t" => {
                typ = match &*a.value {
                    "s" => Type::Partagee,
                    "inlineStr" => Type::EnLigne,
                    "str" => Type::Formule,
                    "b" => Type::Booleen,
                    "e" => Type::Erreur,
                    "d" => Type::Date,
                    _ => Type::Nombre,
                }
            }
            _ => {}
        }
    }
    (reference, style, typ)
}

/// The cells of a sheet's XML, in the order of the file.
struct Cellules<'f, R: BufRead> {
    xml: Reader<R>,
    formats: &'f [Format],
    base_1904: bool,
    tampon: Vec<u8>,
    interieur: Vec<u8>,
    valeur: String,
    ligne: u32,
    colonne: u32,
}

impl<'f, R: BufRead> Cellules<'f, R> {
    fn new(source: R, formats: &'f [Format], base_1904: bool) -> Self {
        Cellules {
            xml: Reader::from_reader(source),
            formats,
            base_1904,
            tampon: Vec::with_capacity(1024),
            interieur: Vec::with_capacity(1024),
            valeur: String::new(),
            ligne: 0,
            colonne: 0,
        }
    }

    /// The next cell that holds something, with its position; `None` after the last.
    fn suivante(&mut self, chaines: &mut Chaines) -> Result<Option<((u32, u32), Valeur)>> {
        loop {
            self.tampon.clear();
            match self.xml.read_event_into(&mut self.tampon)? {
                Event::Start(e) if e.local_name().as_ref() == "row" => {
                    if let Some(r) = attribut(&e, "r").and_then(|r| r.parse::<u32>().ok()) {
                        self.ligne = r.saturating_sub(1);
                    }
                    self.colonne = 0;
                }
                Event::Empty(e) if e.local_name().as_ref() == "row" => {
                    if let Some(r) = attribut(&e, "r").and_then(|r| r.parse::<u32>().ok()) {
                        self.ligne = r;
                    }
                }
                Event::End(e) if e.local_name().as_ref() == "row" => {
                    self.ligne += 1;
                    self.colonne = 0;
                }
                Event::Empty(e) if e.local_name().as_ref() == "c" => {
                    let (reference, _, _) = attributs_de_cellule(&e);
                    self.placer(reference);
                    self.colonne += 1;
                }
                Event::Start(e) if e.local_name().as_ref() == "c" => {
                    let (reference, style, typ) = attributs_de_cellule(&e);
                    let position = self.placer(reference);
                    self.colonne += 1;
                    let valeur = self.valeur(chaines, style, typ)?;
                    return Ok(Some((position, valeur)));
                }
                Event::End(e) if e.local_name().as_ref() == "sheetData" => return Ok(None),
                Event::Eof => return Ok(None),
                _ => {}
            }
        }
    }

    /// The cell's position, from its reference or else after the previous cell.
    fn placer(&mut self, reference: Option<(u32, u32)>) -> (u32, u32) {
        if let Some((ligne, colonne)) = reference {
            self.ligne = ligne;
            self.colonne = colonne;
        }
        (self.ligne, self.colonne)
    }

    /// The value of the cell just opened, read up to its end.
    fn valeur(&mut self, chaines: &mut Chaines, style: Option<usize>, typ: Type) -> Result<Valeur> {
        let mut valeur = Valeur::NonCalculee;
        loop {
            self.interieur.clear();
            match self.xml.read_event_into(&mut self.interieur)? {
                Event::Start(e) if e.local_name().as_ref() == "is" => {
                    texte_riche(&mut self.xml, &mut self.interieur, "is", &mut self.valeur)?;
                    valeur = texte(&self.valeur);
                }
                Event::Start(e) if e.local_name().as_ref() == "v" => {
                    self.valeur.clear();
                    loop {
                        self.interieur.clear();
                        match self.xml.read_event_into(&mut self.interieur)? {
                            Event::Text(t) => self.valeur.push_str(&t.xml10_content()),
                            Event::GeneralRef(r) => entite(&r, &mut self.valeur)?,
                            Event::End(_) | Event::Eof => break,
                            _ => {}
                        }
                    }
                    if typ == Type::EnLigne {
                        continue;
                    }
                    valeur = self.de_v(chaines, style, typ)?;
                }
                Event::Start(e) => {
                    let fin = e.to_end().into_owned();
                    self.xml.read_to_end_into(fin.name(), &mut self.tampon)?;
                }
                Event::End(e) if e.local_name().as_ref() == "c" => return Ok(valeur),
                Event::Eof => return Err(anyhow!("fin du fichier dans une cellule")),
                _ => {}
            }
        }
    }

    fn de_v(&self, chaines: &mut Chaines, style: Option<usize>, typ: Type) -> Result<Valeur> {
        let v = self.valeur.as_str();
        if v.is_empty() {
            return Ok(Valeur::NonCalculee);
        }
        Ok(match typ {
            Type::Partagee => {
                let i: usize = v
                    .trim()
                    .parse()
                    .map_err(|_| anyhow!("numéro de chaîne « {v} » illisible"))?;
                let s = chaines
                    .get(i)?
                    .ok_or_else(|| anyhow!("chaîne partagée n° {i} absente du classeur"))?;
                texte(s)
            }
            Type::Formule => texte(&sans_echappements(v)),
            Type::Booleen => Valeur::Booleen(matches!(v.trim(), "1" | "true")),
            Type::Erreur => Valeur::Erreur(v.to_owned()),
            Type::Date => date_iso(v),
            Type::EnLigne | Type::Nombre => match v.trim().parse::<f64>() {
                Ok(n) => match style.and_then(|s| self.formats.get(s)) {
                    Some(Format::Date) => {
                        let d = ExcelDateTime::new(n, ExcelDateTimeType::DateTime, self.base_1904);
                        d.as_datetime().map_or(Valeur::Nombre(n), Valeur::Date)
                    }
                    _ => Valeur::Nombre(n),
                },
                Err(_) => texte(v),
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sst(textes: &[&str]) -> String {
        let si: String = textes.iter().map(|t| format!("<si><t>{t}</t></si>")).collect();
        format!(r#"<?xml version="1.0"?><sst xmlns="x" count="1">{si}</sst>"#)
    }

    /// Strings past the budget go to the temporary file and come back the same, in any
    /// order: forward, backward, repeated, far apart.
    #[test]
    fn shared_strings_past_the_memory_budget_read_back_in_any_order() {
        let textes: Vec<String> = (0..1000).map(|i| format!("Offre n° {i} — accès")).collect();
        let refs: Vec<&str> = textes.iter().map(String::as_str).collect();
        let mut chaines = Chaines::lire(sst(&refs).as_bytes(), 200).unwrap();
        assert!(chaines.fins.len() < 20, "only the first strings in memory");
        assert_eq!(chaines.disque.as_ref().unwrap().nombre + chaines.fins.len(), 1000);
        let ordre = (0..1000).chain((0..1000).rev()).chain([5, 999, 0, 640, 640, 3, 700]);
        for i in ordre {
            assert_eq!(chaines.get(i).unwrap(), Some(textes[i].as_str()), "string {i}");
        }
        assert_eq!(chaines.get(1000).unwrap(), None);
    }

    #[test]
    fn rich_text_entities_escapes_and_phonetic_runs() {
        let xml = r#"<sst><si><r><t xml:space="preserve">Garde </t></r><r><t>d&apos;enfants&#10;</t></r><rPh><t>X</t></rPh></si><si><t>a_x000D_b</t></si><si/><si><t>  bord  </t></si></sst>"#;
        let mut chaines = Chaines::lire(xml.as_bytes(), 1 << 20).unwrap();
        assert_eq!(chaines.get(0).unwrap(), Some("Garde d'enfants"));
        assert_eq!(chaines.get(1).unwrap(), Some("a\rb"));
        assert_eq!(chaines.get(2).unwrap(), Some(""));
        assert_eq!(chaines.get(3).unwrap(), Some("bord"));
    }

    #[test]
    fn cells_are_typed_by_their_type_and_style() {
        let feuille = r#"<worksheet><dimension ref="A1:E3"/><sheetData>
            <row r="2"><c r="A2" t="s"><v>1</v></c><c r="B2" s="1"><v>46296</v></c><c t="b"><v>1</v></c>
            <c r="E2"><f>A1</f></c></row>
            <row><c t="inlineStr"><is><t>en ligne</t></is></c><c r="C3" t="e"><v>#N/A</v></c><c r="D3" t="str"><v>x &amp; y</v></c><c r="E3"><v>12.5</v></c></row>
            </sheetData><mergeCells count="1"><mergeCell ref="A2:A3"/></mergeCells></worksheet>"#;
        let mut chaines = Chaines::lire(sst(&["zéro", "Verdun"]).as_bytes(), 1 << 20).unwrap();
        let formats = [Format::Nombre, Format::Date];
        let mut cellules = Cellules::new(feuille.as_bytes(), &formats, false);
        let mut lues = Vec::new();
        while let Some(c) = cellules.suivante(&mut chaines).unwrap() {
            lues.push(c);
        }
        let date = chrono::NaiveDate::from_ymd_opt(2026, 10, 1)
            .unwrap()
            .and_time(chrono::NaiveTime::MIN);
        assert_eq!(
            lues,
            [
                ((1, 0), Valeur::Texte("Verdun".into())),
                ((1, 1), Valeur::Date(date)),
                ((1, 2), Valeur::Booleen(true)),
                ((1, 4), Valeur::NonCalculee),
                ((2, 0), Valeur::Texte("en ligne".into())),
                ((2, 2), Valeur::Erreur("#N/A".into())),
                ((2, 3), Valeur::Texte("x & y".into())),
                ((2, 4), Valeur::Nombre(12.5)),
            ]
        );
        let (derniere, fusions) = avant_les_lignes(feuille.as_bytes()).unwrap();
        assert_eq!(derniere, 3);
        assert_eq!(
            fusions.iter().map(|d| (d.start, d.end)).collect::<Vec<_>>(),
            [((1, 0), (2, 0))]
        );
    }

    #[test]
    fn number_formats_that_show_dates() {
        assert_eq!(format_propre("dd/mm/yyyy"), Format::Date);
        assert_eq!(format_propre("[$-40C]d mmmm yyyy"), Format::Date);
        assert_eq!(format_propre("[h]:mm:ss"), Format::Duree);
        assert_eq!(format_propre("0.00\" jours\""), Format::Nombre);
        assert_eq!(format_propre("[Red]#,##0"), Format::Nombre);
        assert_eq!(format_propre("#,##0 \\d"), Format::Nombre);
        assert_eq!(format_predefini("14"), Format::Date);
        assert_eq!(format_predefini("0"), Format::Nombre);
        assert_eq!(position("AB12"), Some((11, 27)));
        assert_eq!(position("12"), None);
        assert_eq!(chemin_de("xl/", "../customXml/x.xml"), "customXml/x.xml");
        assert_eq!(
            chemin_de("xl/", "/xl/worksheets/sheet1.xml"),
            "xl/worksheets/sheet1.xml"
        );
    }
}
