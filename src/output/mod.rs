//! What a command prints on stdout, in the format decided once per run:
//! `table` for a person at a terminal, `csv` when piped, `json` for programs.
//! Messages never come here: they go to stderr (see `cli::Ctx::dire`).

mod csv;
pub mod fichier;
pub mod html;
mod table;

pub use csv::{neutralisee, neutraliser};
pub use table::{envelopper, largeur_ecran};

use std::io::{self, Write};
use std::sync::atomic::{AtomicBool, Ordering};

use anyhow::Result;
use chrono::{NaiveDate, NaiveDateTime};
use clap::ValueEnum;
use serde::Serialize;

use crate::domain::date;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Tableau lisible (par défaut sur un terminal)
    Table,
    /// JSON (clés en snake_case français)
    Json,
    /// CSV séparé par « ; » (par défaut quand la sortie est redirigée)
    Csv,
}

/// One cell: typed, so that each format writes it its own way (a date is `26/11/2026`
/// in a table and `2026-11-26` in CSV, beside a remark or not).
#[derive(Debug, Clone, PartialEq)]
pub enum Valeur {
    Texte(String),
    Date(NaiveDate),
    /// A date and a time: `30/11/2026 à 10:00` in a table, `2026-11-30 10:00` in CSV.
    Moment(NaiveDateTime),
    /// The same with its day of the week, for an agenda: `lun. 30/11/2026 10:00` in a table.
    MomentDuJour(NaiveDateTime),
    /// A date and what it is: « 28/11/2026 (fin du contrat CER) » in a table, the date
    /// alone in CSV (its own column says what it is).
    DatePrecisee(NaiveDate, String),
    Entier(i64),
    /// A value followed by a remark: `12/09/2004 (22 ans)`.
    Avec(Box<Valeur>, String),
    /// A value that calls for attention (overdue, absent): in colour on a terminal.
    Alerte(Box<Valeur>),
    Vide,
}

impl Valeur {
    /// A value that calls for attention.
    pub fn alerte(v: impl Into<Valeur>) -> Valeur {
        Valeur::Alerte(Box::new(v.into()))
    }

    /// A value followed by a remark.
    pub fn avec(v: impl Into<Valeur>, remarque: impl Into<String>) -> Valeur {
        Valeur::Avec(Box::new(v.into()), remarque.into())
    }

    fn est_alerte(&self) -> bool {
        matches!(self, Valeur::Alerte(_))
    }

    fn pour_table(&self) -> String {
        match self {
            Valeur::Date(d) => date::fr(*d),
            Valeur::Moment(m) => format!("{} à {}", date::fr(m.date()), m.format("%H:%M")),
            Valeur::MomentDuJour(m) => format!("{} {}", date::abrege_avec_jour(m.date()), m.format("%H:%M")),
            Valeur::DatePrecisee(d, quoi) => format!("{} ({quoi})", date::fr(*d)),
            Valeur::Avec(v, remarque) => format!("{} {remarque}", v.pour_table()),
            Valeur::Alerte(v) => v.pour_table(),
            v => v.brute(),
        }
    }

    fn pour_csv(&self) -> String {
        match self {
            Valeur::Date(d) | Valeur::DatePrecisee(d, _) => d.to_string(),
            Valeur::Moment(m) | Valeur::MomentDuJour(m) => m.format("%Y-%m-%d %H:%M").to_string(),
            Valeur::Avec(v, remarque) => format!("{} {remarque}", v.pour_csv()),
            Valeur::Alerte(v) => v.pour_csv(),
            v => v.brute(),
        }
    }

    /// Text, numbers and nothing: written alike in every format.
    fn brute(&self) -> String {
        match self {
            Valeur::Texte(t) => t.clone(),
            Valeur::Entier(n) => n.to_string(),
            _ => String::new(),
        }
    }
}

impl From<&str> for Valeur {
    fn from(t: &str) -> Self {
        Valeur::Texte(t.to_owned())
    }
}
impl From<String> for Valeur {
    fn from(t: String) -> Self {
        Valeur::Texte(t)
    }
}
impl From<NaiveDate> for Valeur {
    fn from(d: NaiveDate) -> Self {
        Valeur::Date(d)
    }
}
impl From<NaiveDateTime> for Valeur {
    fn from(m: NaiveDateTime) -> Self {
        Valeur::Moment(m)
    }
}
impl From<i64> for Valeur {
    fn from(n: i64) -> Self {
        Valeur::Entier(n)
    }
}
impl<T: Into<Valeur>> From<Option<T>> for Valeur {
    fn from(v: Option<T>) -> Self {
        v.map_or(Valeur::Vide, Into::into)
    }
}

/// A column of a list: its JSON/CSV key and its title in a table.
#[derive(Clone, Copy)]
pub struct Colonne {
    pub cle: &'static str,
    pub titre: &'static str,
}

/// The columns `colonnes` followed by `derniere`, for a list that adds one column to
/// another's (`M` is `N + 1`).
pub const fn plus_une<const N: usize, const M: usize>(colonnes: [Colonne; N], derniere: Colonne) -> [Colonne; M] {
    assert!(M == N + 1);
    let mut toutes = [derniere; M];
    let mut i = 0;
    while i < N {
        toutes[i] = colonnes[i];
        i += 1;
    }
    toutes
}

/// A row of a list. The CSV header is made of the keys, which are also the JSON keys
/// of the serialised row (a test checks that they agree).
pub trait Ligne: Serialize {
    const COLONNES: &'static [Colonne];
    /// Keys of columns left out of tables on screen (still in CSV and JSON).
    const MASQUEES: &'static [&'static str] = &[];
    /// Keys of columns left out of a table on screen, in this order, while it is too wide
    /// for the screen without cutting a word (still in CSV and JSON).
    const FACULTATIVES: &'static [&'static str] = &[];
    /// Keys of columns whose values a table on screen keeps on one line (names): their
    /// spaces do not break, only the `-` of a compound name does (see `table::insecable`).
    const INSECABLES: &'static [&'static str] = &[];
    fn valeurs(&self) -> Vec<Valeur>;
}

/// A detailed view of one thing, for tables and CSV; JSON prints the serialised object.
#[derive(Debug, Default)]
pub struct Fiche {
    pub sections: Vec<Section>,
}

#[derive(Debug, Default)]
pub struct Section {
    pub titre: String,
    pub champs: Vec<(String, Valeur)>,
    pub tableau: Option<Tableau>,
}

#[derive(Debug, Default)]
pub struct Tableau {
    pub titres: Vec<String>,
    pub lignes: Vec<Vec<Valeur>>,
}

impl Section {
    pub fn new(titre: impl Into<String>) -> Self {
        Section {
            titre: titre.into(),
            ..Section::default()
        }
    }

    pub fn champ(mut self, nom: &str, valeur: impl Into<Valeur>) -> Self {
        self.champs.push((nom.to_owned(), valeur.into()));
        self
    }

    pub fn tableau(mut self, titres: Vec<impl Into<String>>, lignes: Vec<Vec<Valeur>>) -> Self {
        let titres = titres.into_iter().map(Into::into).collect();
        self.tableau = Some(Tableau { titres, lignes });
        self
    }
}

pub struct Sortie {
    pub format: Format,
}

impl Sortie {
    pub fn liste<T: Ligne>(&self, lignes: &[T]) -> Result<()> {
        let texte = match self.format {
            Format::Json => serde_json::to_string_pretty(lignes)? + "\n",
            Format::Csv => csv::liste(lignes)?,
            Format::Table if lignes.is_empty() => String::new(),
            Format::Table => table::liste(lignes),
        };
        ecrire(&texte)
    }

    pub fn fiche<T: Serialize>(&self, objet: &T, fiche: &Fiche) -> Result<()> {
        let texte = match self.format {
            Format::Json => serde_json::to_string_pretty(objet)? + "\n",
            Format::Csv => csv::fiche(fiche)?,
            Format::Table => table::fiche(fiche),
        };
        ecrire(&texte)
    }

    /// A command that created something prints its id: alone in table and CSV (so that
    /// `N=$(spie parcours ouvrir …)` works), as `{"cle": id}` in JSON.
    pub fn cree<T: Serialize + std::fmt::Display>(&self, cle: &str, id: &T) -> Result<()> {
        let texte = match self.format {
            Format::Json => serde_json::json!({ cle: id }).to_string() + "\n",
            Format::Csv | Format::Table => format!("{id}\n"),
        };
        ecrire(&texte)
    }

    /// A result meant to be copied as one line (a key): the line alone in table and CSV,
    /// the serialised object in JSON.
    pub fn objet<T: Serialize>(&self, objet: &T, ligne: &str) -> Result<()> {
        let texte = match self.format {
            Format::Json => serde_json::to_string_pretty(objet)? + "\n",
            Format::Csv | Format::Table => format!("{ligne}\n"),
        };
        ecrire(&texte)
    }
}

fn ecrire(texte: &str) -> Result<()> {
    donnees(texte.as_bytes())
}

/// Whether this run has saved its work: a write to the base committed
/// ([`crate::db::Ecriture::commit`]), a base created, a file written in full
/// ([`fichier::FichierAtomique::valider`]).
static TRAVAIL_ENREGISTRE: AtomicBool = AtomicBool::new(false);

/// Whether the reader of stdout has gone (`spie … | head -1`): the run then ends quietly,
/// saying nothing more (no summary of data nobody received).
static LECTEUR_PARTI: AtomicBool = AtomicBool::new(false);

/// See [`LECTEUR_PARTI`].
pub fn lecteur_parti() -> bool {
    LECTEUR_PARTI.load(Ordering::SeqCst)
}

/// Tells the output that the run's work is saved: from now on, a result that cannot be
/// printed is a warning, not a failure.
pub fn travail_enregistre() {
    TRAVAIL_ENREGISTRE.store(true, Ordering::SeqCst);
}

/// Writes data on stdout. A reader that has gone (`spie … | head`) wants nothing more:
/// that is not a failure. Once the run's work is saved, no failure to print its result
/// (a full disk, a closed stdout) turns it into a failed run: a script relaunching it
/// would do the work twice. A command that only reads fails: its data is missing.
pub fn donnees(octets: &[u8]) -> Result<()> {
    let mut out = io::stdout().lock();
    match out.write_all(octets).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {
            LECTEUR_PARTI.store(true, Ordering::SeqCst);
            Ok(())
        }
        Err(e) if TRAVAIL_ENREGISTRE.load(Ordering::SeqCst) => {
            message(format_args!(
                "attention : le résultat n'a pas pu être affiché (sortie standard : {}), mais le travail est \
                 enregistré : ne relancez pas la commande",
                crate::error::systeme(e.kind()).0
            ));
            Ok(())
        }
        Err(e) => Err(anyhow::Error::from(e).context("écriture sur la sortie standard")),
    }
}

/// Stdout for data written as it is made (an export of the whole catalogue): once its
/// reader has gone (`spie … | head`), what follows is dropped without error and
/// [`lecteur_parti`] says so, for the command to stop quietly.
pub struct Flot(io::Stdout);

impl Flot {
    pub fn new() -> io::BufWriter<Flot> {
        io::BufWriter::with_capacity(64 * 1024, Flot(io::stdout()))
    }
}

impl Write for Flot {
    fn write(&mut self, octets: &[u8]) -> io::Result<usize> {
        if lecteur_parti() {
            return Ok(octets.len());
        }
        match self.0.write(octets) {
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {
                LECTEUR_PARTI.store(true, Ordering::SeqCst);
                Ok(octets.len())
            }
            r => r,
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self.0.flush() {
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => {
                LECTEUR_PARTI.store(true, Ordering::SeqCst);
                Ok(())
            }
            r => r,
        }
    }
}

/// Whether an error comes, however wrapped, from a reader of stdout that has gone.
pub fn tube_ferme(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        let kind = (c.downcast_ref::<io::Error>().map(io::Error::kind))
            .or_else(|| c.downcast_ref::<serde_json::Error>()?.io_error_kind())
            .or_else(|| match c.downcast_ref::<::csv::Error>()?.kind() {
                ::csv::ErrorKind::Io(e) => Some(e.kind()),
                _ => None,
            })
            .or_else(|| match c.downcast_ref::<rust_xlsxwriter::XlsxError>()? {
                rust_xlsxwriter::XlsxError::IoError(e) => Some(e.kind()),
                _ => None,
            });
        kind == Some(io::ErrorKind::BrokenPipe)
    })
}

/// Writes one line for the person on stderr: every message, warning, error and question
/// of spie goes through here. A line that cannot be written (stderr closed, full, a pipe
/// without reader) is dropped: a message must never change the outcome of work done.
/// On a terminal, the line is wrapped between words at the screen's width (piped, it is
/// left whole for the scripts that read it).
pub fn message(texte: impl std::fmt::Display) {
    use std::io::IsTerminal;
    let mut erreur = io::stderr().lock();
    let _ = if erreur.is_terminal() {
        writeln!(
            erreur,
            "{}",
            table::envelopper(&texte.to_string(), table::largeur_ecran())
        )
    } else {
        writeln!(erreur, "{texte}")
    };
}

#[cfg(test)]
pub(crate) fn verifier_cles<T: Ligne>(exemple: &T) {
    let json = serde_json::to_value(exemple).unwrap();
    let cles: Vec<&str> = json.as_object().unwrap().keys().map(String::as_str).collect();
    let colonnes: Vec<&str> = T::COLONNES.iter().map(|c| c.cle).collect();
    let mut triees = colonnes.clone();
    triees.sort();
    let mut cles = cles;
    cles.sort();
    assert_eq!(cles, triees, "JSON keys and CSV columns differ");
    assert_eq!(exemple.valeurs().len(), colonnes.len());
}

#[cfg(test)]
mod tests {
    use std::io::{self, Write};

    use anyhow::Context;

    /// A writer whose reader has gone.
    struct Parti;

    impl Write for Parti {
        fn write(&mut self, _: &[u8]) -> io::Result<usize> {
            Err(io::ErrorKind::BrokenPipe.into())
        }

        fn flush(&mut self) -> io::Result<()> {
            Err(io::ErrorKind::BrokenPipe.into())
        }
    }

    #[test]
    fn a_closed_pipe_is_recognised_however_wrapped() {
        let direct = anyhow::Error::from(Parti.write_all(b"x").unwrap_err()).context("écriture");
        let json = serde_json::to_writer(Parti, &[1, 2]).unwrap_err();
        let mut csv = ::csv::Writer::from_writer(Parti);
        csv.write_record(["a"]).unwrap();
        let csv = csv.flush().map_err(::csv::Error::from).unwrap_err();
        for e in [
            direct,
            anyhow::Error::from(json).context("export"),
            anyhow::Error::from(csv),
        ] {
            assert!(super::tube_ferme(&e), "{e:#}");
        }
        let autre = Err::<(), _>(io::Error::from(io::ErrorKind::PermissionDenied)).context("écriture");
        assert!(!super::tube_ferme(&autre.unwrap_err()));
    }
}
