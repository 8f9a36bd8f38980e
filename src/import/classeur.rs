//! Workbooks (`.xlsx`, `.xls`, `.ods`, `.xlsb`): one sheet read on a thread of its own and
//! handed over row by row, each cell with its type (see [`super::cellule`]).

use std::fs::File;
use std::io::BufReader;
use std::path::Path;
use std::sync::mpsc::{Receiver, sync_channel};

use super::cellule::{Rangee, Valeur, date_iso, envoyer, texte};
use crate::domain::texte::{APERCU, apercu, normaliser};
use crate::error::erreur;
use anyhow::Result;
use calamine::{Data, Dimensions, Ods, Range, Reader, SheetType, SheetVisible, Xls, Xlsb, Xlsx};

/// What the first bytes of a file say it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Conteneur {
    /// A zip archive: `.xlsx`, `.ods`, `.xlsb`, or any other zip.
    Zip,
    /// A Microsoft compound file: `.xls`, or a password-protected `.xlsx`, or a Word file.
    Ole,
}

pub fn conteneur(debut: &[u8]) -> Option<Conteneur> {
    if debut.starts_with(b"PK\x03\x04") || debut.starts_with(b"PK\x05\x06") {
        Some(Conteneur::Zip)
    } else if debut.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
        Some(Conteneur::Ole)
    } else {
        None
    }
}

/// An open sheet: its rows arrive from the reading thread as they are read.
pub struct Feuille {
    /// `xlsx`, `xls`, `ods` or `xlsb`.
    pub format: &'static str,
    pub nom: String,
    /// The number of the sheet's last row, for the progress bar.
    pub derniere: u64,
    pub rangees: Receiver<Result<Rangee>>,
    /// Every sheet of the workbook, numbered from 1, for a hint.
    pub feuilles: String,
}

/// Opens the sheet `feuille` (a name, or a number from 1) of the workbook, else its first
/// visible worksheet.
pub fn ouvrir(chemin: &Path, conteneur: Conteneur, feuille: Option<&str>) -> Result<Feuille> {
    let lecteur = || -> Result<BufReader<File>> { Ok(BufReader::new(File::open(chemin)?)) };
    let mut protege = false;
    match conteneur {
        Conteneur::Ole => {
            match Xls::new(lecteur()?) {
                Ok(classeur) => {
                    return entiere(classeur, "xls", feuille, |c, nom| {
                        c.merge_cells_by_sheet_name(nom).unwrap_or_default()
                    });
                }
                Err(calamine::XlsError::Password) => protege = true,
                Err(_) => {}
            }
            // An encrypted .xlsx is a compound file holding the encrypted package.
            if let Err(calamine::XlsxError::Password) = Xlsx::new(lecteur()?) {
                protege = true;
            }
        }
        Conteneur::Zip => {
            if let Some(classeur) = super::xlsx::Classeur::ouvrir(chemin).map_err(illisible)? {
                return xlsx(classeur, feuille);
            }
            match Ods::new(lecteur()?) {
                // calamine does not give an OpenDocument sheet's merged cells.
                Ok(classeur) => return entiere(classeur, "ods", feuille, |_, nom| super::ods::fusions(chemin, nom)),
                Err(calamine::OdsError::Password) => protege = true,
                Err(_) => {}
            }
            if let Ok(classeur) = Xlsb::new(lecteur()?) {
                return entiere(classeur, "xlsb", feuille, |_, _| Vec::new());
            }
        }
    }
    let nom = chemin.display();
    if protege {
        return Err(erreur(format!(
            "{nom} est un classeur protégé par mot de passe : spie ne peut pas le lire"
        ))
        .aide("ouvrez-le dans le tableur, retirez le mot de passe, puis enregistrez-le en .xlsx, .ods ou CSV")
        .into());
    }
    let (quoi, aide) = match (conteneur, nature_du_zip(chemin)) {
        (Conteneur::Zip, Some(document)) => (
            format!("{document}, pas un classeur"),
            "importez la liste elle-même, enregistrée depuis le tableur en .xlsx, .ods ou CSV",
        ),
        (Conteneur::Zip, None) => (
            "une archive ZIP qui n'est pas un classeur (.xlsx, .ods) lisible".to_owned(),
            "si l'archive contient la liste, extrayez-la et importez le fichier .xlsx, .ods ou CSV lui-même",
        ),
        (Conteneur::Ole, _) => (
            "un fichier Office binaire qui n'est pas un classeur .xls lisible (document Word ou PowerPoint ?)"
                .to_owned(),
            "ouvrez la liste dans le tableur et enregistrez-la en .xlsx, .ods ou CSV",
        ),
    };
    Err(erreur(format!("{nom} est {quoi}")).aide(aide).into())
}

/// What an office document that is no workbook is, from the names inside its archive.
fn nature_du_zip(chemin: &Path) -> Option<&'static str> {
    let archive = zip::ZipArchive::new(File::open(chemin).ok()?).ok()?;
    let contient = |prefixe: &str| archive.file_names().any(|n| n.is_ok_and(|n| n.starts_with(prefixe)));
    if contient("word/") {
        Some("un document Word (.docx)")
    } else if contient("ppt/") {
        Some("une présentation PowerPoint (.pptx)")
    } else if contient("META-INF/manifest.xml") && contient("content.xml") {
        Some("un document OpenDocument (texte ou présentation)")
    } else {
        None
    }
}

/// The sheets of a workbook, numbered from 1: `1 « Offres », 2 « Contacts »`.
fn liste(feuilles: &[calamine::Sheet]) -> String {
    feuilles
        .iter()
        .enumerate()
        .map(|(i, f)| format!("{} « {} »", i + 1, apercu(&f.name, APERCU)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The sheets of the workbook `offre exporter` writes for data·inclusion.
pub const STRUCTURES: &str = "Structures";
pub const SERVICES: &str = "Services";

fn choisir(feuilles: &[calamine::Sheet], demandee: Option<&str>) -> Result<String> {
    let noms = || liste(feuilles);
    let nommee = |nom: &str| feuilles.iter().find(|f| normaliser(&f.name) == normaliser(nom));
    let Some(demandee) = demandee else {
        // The services of a data·inclusion workbook, whichever sheet comes first.
        if let (Some(services), Some(_)) = (nommee(SERVICES), nommee(STRUCTURES)) {
            return Ok(services.name.clone());
        }
        return feuilles
            .iter()
            .find(|f| f.typ == SheetType::WorkSheet && f.visible == SheetVisible::Visible)
            .or_else(|| feuilles.iter().find(|f| f.typ == SheetType::WorkSheet))
            .map(|f| f.name.clone())
            .ok_or_else(|| erreur("le classeur n'a aucune feuille de données").into());
    };
    let cle = normaliser(demandee);
    if let Some(f) = feuilles.iter().find(|f| normaliser(&f.name) == cle) {
        return Ok(f.name.clone());
    }
    if let Ok(n) = demandee.trim().parse::<usize>()
        && let Some(f) = n.checked_sub(1).and_then(|i| feuilles.get(i))
    {
        return Ok(f.name.clone());
    }
    Err(crate::error::UserError::usage(format!(
        "--feuille : le classeur n'a pas de feuille « {} »",
        apercu(demandee, APERCU)
    ))
    .aide(format!("feuilles du classeur : {}", noms()))
    .into())
}

/// An `.xlsx` sheet, read cell by cell as the file gives them, in memory that does not
/// grow with the sheet (see [`super::xlsx`]).
fn xlsx(classeur: super::xlsx::Classeur, demandee: Option<&str>) -> Result<Feuille> {
    let nom = choisir(&classeur.feuilles, demandee)?;
    let feuilles = liste(&classeur.feuilles);
    let ouverte = classeur.feuille(&nom).map_err(illisible)?;
    let derniere = ouverte.derniere;
    let mut fusions = Fusions::new(ouverte.fusions.clone());
    let (envoi, rangees) = sync_channel(super::cellule::EN_ATTENTE);
    std::thread::spawn(move || {
        let mut rangee = Rangee {
            numero: 0,
            cellules: Vec::new(),
        };
        let mut ecoute = true;
        let lue = ouverte.lire(|(ligne, colonne), valeur| {
            let numero = u64::from(ligne) + 1;
            if numero != rangee.numero {
                let largeur = rangee.cellules.len();
                let pleine = std::mem::replace(
                    &mut rangee,
                    Rangee {
                        numero,
                        cellules: Vec::with_capacity(largeur),
                    },
                );
                ecoute = envoyer(&envoi, fusions.remplir(pleine));
            }
            placer(&mut rangee.cellules, colonne, valeur);
            ecoute
        });
        match lue {
            Ok(()) if ecoute => {
                envoyer(&envoi, fusions.remplir(rangee));
            }
            Ok(()) => {}
            Err(e) => {
                let _ = envoi.send(Err(illisible(e)));
            }
        }
    });
    Ok(Feuille {
        format: "xlsx",
        nom,
        derniere,
        rangees,
        feuilles,
    })
}

/// A sheet of the formats calamine reads whole (`.xls`, `.ods`, `.xlsb`): these files are
/// small (an `.xls` holds 65,536 rows at most).
fn entiere<R>(
    mut classeur: R,
    format: &'static str,
    demandee: Option<&str>,
    fusionnees: impl FnOnce(&mut R, &str) -> Vec<Dimensions>,
) -> Result<Feuille>
where
    R: Reader<BufReader<File>>,
    R::Error: std::fmt::Display,
{
    let nom = choisir(classeur.sheets_metadata(), demandee)?;
    let feuilles = liste(classeur.sheets_metadata());
    let mut fusions = Fusions::new(fusionnees(&mut classeur, &nom));
    let plage: Range<Data> = classeur.worksheet_range(&nom).map_err(illisible)?;
    let derniere = plage.end().map_or(0, |(ligne, _)| u64::from(ligne) + 1);
    let (envoi, rangees) = sync_channel(super::cellule::EN_ATTENTE);
    std::thread::spawn(move || {
        let (premiere, gauche) = plage.start().unwrap_or((0, 0));
        for (i, ligne) in plage.rows().enumerate() {
            let mut cellules = Vec::with_capacity(gauche as usize + ligne.len());
            cellules.resize(gauche as usize, Valeur::Vide);
            cellules.extend(ligne.iter().map(de_data));
            let rangee = Rangee {
                numero: u64::from(premiere) + i as u64 + 1,
                cellules,
            };
            if !envoyer(&envoi, fusions.remplir(rangee)) {
                return;
            }
        }
    });
    Ok(Feuille {
        format,
        nom,
        derniere,
        rangees,
        feuilles,
    })
}

/// The merged cells of a sheet: a merged range shows its first cell's value in all its
/// cells, as the spreadsheet does (a structure's name merged over its offers' rows).
struct Fusions {
    /// The ranges below the rows read so far, by their first row.
    a_venir: std::collections::VecDeque<Dimensions>,
    /// The ranges the current row crosses, with their first cell's value.
    actives: Vec<(Dimensions, Valeur)>,
}

impl Fusions {
    fn new(mut plages: Vec<Dimensions>) -> Fusions {
        plages.sort_by_key(|d| d.start.0);
        Fusions {
            a_venir: plages.into(),
            actives: Vec::new(),
        }
    }

    /// The row with the cells of the ranges it crosses filled. Rows come in order: each
    /// range is looked at only while the rows cross it.
    fn remplir(&mut self, mut rangee: Rangee) -> Rangee {
        let Some(ligne) = rangee.numero.checked_sub(1) else {
            return rangee;
        };
        self.actives.retain(|(d, _)| u64::from(d.end.0) >= ligne);
        while let Some(d) = self.a_venir.front()
            && u64::from(d.start.0) <= ligne
        {
            let d = self.a_venir.pop_front().expect("just looked at");
            // A range whose first row had no cell: nothing to show in it.
            if u64::from(d.start.0) == ligne {
                let valeur = rangee.cellules.get(d.start.1 as usize).cloned().unwrap_or(Valeur::Vide);
                if valeur != Valeur::Vide && u64::from(d.end.0) >= ligne {
                    self.actives.push((d, valeur));
                }
            }
        }
        for (d, valeur) in &self.actives {
            for colonne in d.start.1..=d.end.1.min(COLONNES - 1) {
                if rangee.cellules.get(colonne as usize).is_none_or(|c| *c == Valeur::Vide) {
                    placer(&mut rangee.cellules, colonne, valeur.clone());
                }
            }
        }
        rangee
    }
}

/// Columns far to the right of any data are a damaged or hostile file, not a partner's
/// list (Excel stops at 16,384).
const COLONNES: u32 = 16_384;

fn placer(cellules: &mut Vec<Valeur>, colonne: u32, valeur: Valeur) {
    if colonne >= COLONNES || valeur == Valeur::Vide {
        return;
    }
    let i = colonne as usize;
    if cellules.len() <= i {
        cellules.resize(i + 1, Valeur::Vide);
    }
    cellules[i] = valeur;
}

fn illisible(e: impl std::fmt::Display) -> anyhow::Error {
    erreur(format!("classeur illisible : {}", apercu(&e.to_string(), 200)))
        .aide("ouvrez-le dans le tableur et enregistrez-le de nouveau (.xlsx, .ods ou CSV)")
        .into()
}

fn de_data(d: &Data) -> Valeur {
    match d {
        Data::Int(i) => Valeur::Nombre(*i as f64),
        Data::Float(f) => Valeur::Nombre(*f),
        Data::String(s) => texte(s),
        Data::Bool(b) => Valeur::Booleen(*b),
        Data::DateTime(d) => date_excel(d),
        Data::DateTimeIso(s) | Data::DurationIso(s) => date_iso(s),
        Data::Error(e) => Valeur::Erreur(e.to_string()),
        Data::Empty => Valeur::Vide,
    }
}

fn date_excel(d: &calamine::ExcelDateTime) -> Valeur {
    match d.as_datetime() {
        Some(date) if d.is_datetime() => Valeur::Date(date),
        _ => Valeur::Nombre(d.as_f64()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_merged_range_shows_its_value_in_every_cell() {
        let plage = |debut: (u32, u32), fin: (u32, u32)| Dimensions { start: debut, end: fin };
        // A1:A3 merged ("CCAS"), C2:D2 merged ("Verdun"); a range starting on an empty cell.
        let mut fusions = Fusions::new(vec![
            plage((1, 2), (1, 3)),
            plage((0, 0), (2, 0)),
            plage((5, 0), (6, 0)),
        ]);
        let t = |s: &str| Valeur::Texte(s.into());
        let rangee = |numero, cellules: Vec<Valeur>| Rangee { numero, cellules };
        let lues: Vec<Vec<Valeur>> = [
            rangee(1, vec![t("CCAS"), t("Atelier")]),
            rangee(2, vec![Valeur::Vide, t("Permis"), t("Verdun")]),
            rangee(3, vec![Valeur::Vide, t("Garde")]),
            rangee(4, vec![Valeur::Vide, t("Épicerie")]),
        ]
        .into_iter()
        .map(|r| fusions.remplir(r).cellules)
        .collect();
        assert_eq!(
            lues,
            [
                vec![t("CCAS"), t("Atelier")],
                vec![t("CCAS"), t("Permis"), t("Verdun"), t("Verdun")],
                vec![t("CCAS"), t("Garde")],
                vec![Valeur::Vide, t("Épicerie")],
            ]
        );
    }

    #[test]
    fn a_file_is_recognised_by_its_first_bytes() {
        assert_eq!(conteneur(b"PK\x03\x04\x14\x00"), Some(Conteneur::Zip));
        assert_eq!(
            conteneur(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, 0]),
            Some(Conteneur::Ole)
        );
        assert_eq!(conteneur(b"id;nom\n"), None);
        assert_eq!(conteneur(b"PK"), None);
    }
}
