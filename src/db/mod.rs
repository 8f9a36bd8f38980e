//! The SQLite base: opening with the right pragmas, creating atomically, migrating.
//! Queries are grouped by table family in the submodules.

pub mod a_faire;
pub mod acces;
pub mod agent;
pub mod archive;
pub mod chiffrement;
pub mod contrat;
pub mod controle;
pub mod diagnostic;
pub mod droits;
pub mod echange;
pub mod etapes;
mod fait;
pub mod fournisseur;
pub mod habilitation;
pub mod meta;
mod migrations;
pub use fait::{Etape, Fait};
pub use migrations::PlusRecente;
pub mod offre;
pub mod parcours;
pub mod personne;
pub mod portefeuille;
pub mod rdv;
pub mod stats;
pub mod suivi;
pub mod trousseau;

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use rusqlite::trace::{TraceEvent, TraceEventCodes};
use rusqlite::{Connection, OpenFlags, Transaction, TransactionBehavior, params};

/// `PRAGMA application_id` of a spie base ("SPIE" in ASCII): a file without it is not ours.
const APPLICATION_ID: i32 = 0x5350_4945;

/// The page size of the plain bases spie creates (test bases, the demo, a decrypted copy):
/// with 8 KiB rather than SQLite's 4 KiB, a B-tree holds twice the entries per page, so a
/// large write (an import of 100,000 offers) splits, journals and writes half as many
/// pages, a tenth of its time less. An encrypted base keeps SQLCipher's 4 KiB: SQLCipher
/// decrypts and authenticates each page a command reads, and a caseworker's command reads
/// a few scattered pages, which cost a tenth more at 8 KiB (docs/performance.md). A base
/// keeps the size it was created with.
pub const TAILLE_DE_PAGE: &str = "8192";

/// How a command waits for the write lock another holds: it asks again every 2 ms, for
/// 10 s at most. (SQLite's own wait sleeps up to 100 ms between tries, and would miss the
/// moments an import written in steps leaves the lock free, see [`etapes`].)
fn attendre(essais: i32) -> bool {
    const TOUS_LES: std::time::Duration = std::time::Duration::from_millis(2);
    const ESSAIS: i32 = 5000;
    if essais >= ESSAIS {
        return false;
    }
    std::thread::sleep(TOUS_LES);
    true
}

/// The page size of the base of `conn`, in bytes (SQLCipher reports an encrypted base's
/// as text).
pub fn taille_de_page(conn: &Connection) -> Result<i64> {
    let taille: rusqlite::types::Value = conn.query_row("PRAGMA page_size", [], |r| r.get(0))?;
    match taille {
        rusqlite::types::Value::Integer(n) => Ok(n),
        rusqlite::types::Value::Text(t) => Ok(t.parse()?),
        autre => anyhow::bail!("taille de page illisible : {autre:?}"),
    }
}

/// Pragmas are per connection and do nothing inside a transaction: set them right after
/// opening. WAL lets readers work while one process writes; the busy
/// timeout makes a second writer wait instead of failing.
fn pragmas(conn: &Connection) -> Result<()> {
    // Room for every statement of a command (or of the demo's loop) to stay prepared.
    conn.set_prepared_statement_cache_capacity(64);
    conn.busy_handler(Some(attendre))?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "FULL")?;
    // Reads map the file instead of copying each page: a command reading many pages
    // (the monthly indicators) spends a tenth of its time less in system calls.
    conn.pragma_update(None, "mmap_size", 1i64 << 30)?;
    if std::env::var_os(TRACE).is_some() {
        conn.trace_v2(TraceEventCodes::SQLITE_TRACE_PROFILE, Some(tracer));
    }
    Ok(())
}

/// For developers (docs/performance.md): with `SPIE_TRACE_SQL=FICHIER`, each statement
/// that ran is appended to FICHIER as "rows stepped through by full scans, tab, SQL text
/// as a JSON string".
/// The text is the prepared one, with `?` placeholders: values never appear.
const TRACE: &str = "SPIE_TRACE_SQL";

fn tracer(evenement: TraceEvent<'_>) {
    use std::io::Write;
    if let TraceEvent::Profile(stmt, _) = evenement
        && let Some(chemin) = std::env::var_os(TRACE)
        && let Ok(mut fichier) = std::fs::OpenOptions::new().create(true).append(true).open(chemin)
    {
        let texte = stmt.sql();
        if contient_une_cle(&texte) {
            return;
        }
        let parcourues = stmt.get_status(rusqlite::StatementStatus::FullscanStep);
        let sql = serde_json::Value::from(texte);
        // A trace that cannot be written is left incomplete: the command goes on.
        let _ = writeln!(fichier, "{parcourues}\t{sql}");
    }
}

/// Whether a statement's text may hold a base key (`PRAGMA key`, `PRAGMA rekey`): such a
/// statement is never traced.
fn contient_une_cle(sql: &str) -> bool {
    let sql = sql.trim_start().to_ascii_lowercase();
    sql.starts_with("pragma") && sql.contains("key")
}

/// Whether the base at `chemin` is encrypted: its file is not plain SQLite, and its key
/// slots are beside it (a file that is neither is not a spie base).
pub fn chiffree(chemin: &Path) -> bool {
    chiffrement::chiffree(chemin) && trousseau::chemin(chemin).is_file()
}

/// Opens an existing plain base and brings its schema up to date.
pub fn ouvrir(chemin: &Path) -> Result<Connection> {
    ouvrir_avec(chemin, None)
}

/// Opens an existing base, encrypted under `cle` or plain without one, and brings its
/// schema up to date.
pub fn ouvrir_avec(chemin: &Path, cle: Option<&chiffrement::Cle>) -> Result<Connection> {
    if !chemin.is_file() {
        let chemin = chemin.to_owned();
        return Err(if chemin.exists() {
            Fait::BasePasUnFichier(chemin)
        } else {
            Fait::BaseIntrouvable(chemin)
        }
        .into());
    }
    let ouvrir = || -> Result<Connection> {
        let drapeaux = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let mut conn = match cle {
            None => Connection::open_with_flags(chemin, drapeaux)?,
            Some(cle) => chiffrement::ouvrir(chemin, drapeaux, cle)?.ok_or(Fait::CleRefusee)?,
        };
        balayer_les_creations(&dossier_de(chemin));
        verifier_que_cest_une_base_spie(&conn, chemin)?;
        pragmas(&conn)?;
        migrations::a_jour(&mut conn)?;
        Ok(conn)
    };
    ouvrir().with_context(|| Etape::Ouverture(chemin.to_owned()))
}

/// Size of SQLite's file header, and how it starts: a shorter file that starts so is a
/// truncated base.
const EN_TETE_SQLITE: usize = 100;
const MAGIE_SQLITE: &[u8] = b"SQLite format 3\0";

/// A SQLite file whose header says it is a spie base. A file SQLite cannot read (damaged,
/// truncated, a full disk) is not called "not a spie base": its own error says what it is.
fn verifier_que_cest_une_base_spie(conn: &Connection, chemin: &Path) -> Result<()> {
    let id: i32 = match conn.pragma_query_value(None, "application_id", |r| r.get(0)) {
        Ok(id) => id,
        // Not SQLite at all: not a spie base either.
        Err(e) if e.sqlite_error_code() == Some(rusqlite::ErrorCode::NotADatabase) => 0,
        Err(e) => return Err(e.into()),
    };
    if id == APPLICATION_ID {
        return Ok(());
    }
    let mut debut = Vec::new();
    if let Ok(fichier) = std::fs::File::open(chemin) {
        use std::io::Read;
        let _ = fichier.take(EN_TETE_SQLITE as u64).read_to_end(&mut debut);
    }
    let tronque = !debut.is_empty()
        && debut.len() < EN_TETE_SQLITE
        && MAGIE_SQLITE.starts_with(&debut[..debut.len().min(MAGIE_SQLITE.len())]);
    if tronque {
        return Err(Fait::BaseTronquee(chemin.to_owned()).into());
    }
    let cles = chiffrement::chiffree(chemin).then(|| trousseau::chemin(chemin));
    Err(Fait::PasUneBaseSpie {
        chemin: chemin.to_owned(),
        cles,
    }
    .into())
}

/// In the copy of a base at `chemin` (encrypted under `cle`, if given) taken while an
/// import of offers ran: that import undone (see [`etapes::ecarter`]), the copy left
/// whole in its main file. Whether there was one.
pub fn ecarter_l_import(chemin: &Path, cle: Option<&chiffrement::Cle>) -> Result<bool> {
    let drapeaux = OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = match cle {
        None => Connection::open_with_flags(chemin, drapeaux)?,
        Some(cle) => chiffrement::ouvrir(chemin, drapeaux, cle)?.ok_or(Fait::CleRefusee)?,
    };
    let ecarte = etapes::ecarter(&conn)?;
    conn.close().map_err(|(_, e)| e)?;
    Ok(ecarte)
}

/// Whether `chemin` is a spie base whose meta says it holds demo data only.
pub fn est_une_base_de_demo(chemin: &Path) -> bool {
    let Ok(conn) = Connection::open_with_flags(chemin, OpenFlags::SQLITE_OPEN_READ_ONLY) else {
        return false;
    };
    verifier_que_cest_une_base_spie(&conn, chemin).is_ok()
        && meta::lire(&conn, meta::DEMO).ok().flatten().as_deref() == Some("oui")
}

/// Creates a base at `chemin` and fills it in one transaction. The base is built in a
/// temporary file beside the target and moved into place only when complete, so a
/// failure or a kill never leaves half a base. Without `remplacer`, an existing file is
/// never overwritten, even one created by another process meanwhile.
pub fn creer(chemin: &Path, remplacer: bool, remplir: impl FnOnce(&Transaction) -> Result<()>) -> Result<()> {
    creer_avec(chemin, None, remplacer, remplir)
}

/// Like [`creer`], for a base encrypted under `cle` when one is given.
pub fn creer_avec(
    chemin: &Path,
    cle: Option<&chiffrement::Cle>,
    remplacer: bool,
    remplir: impl FnOnce(&Transaction) -> Result<()>,
) -> Result<()> {
    let dossier = dossier_de(chemin);
    balayer_les_creations(&dossier);
    let temporaire = tempfile::Builder::new()
        .prefix(CREATION)
        .suffix(".sqlite")
        .tempfile_in(&dossier)
        .with_context(|| Etape::Creation(dossier.clone()))?;
    {
        let drapeaux =
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let mut conn = Connection::open_with_flags(temporaire.path(), drapeaux)?;
        match cle {
            Some(cle) => chiffrement::appliquer(&conn, cle)?,
            None => conn.pragma_update(None, "page_size", TAILLE_DE_PAGE)?,
        }
        conn.pragma_update(None, "application_id", APPLICATION_ID)?;
        pragmas(&conn)?;
        // Nobody else sees this file until it is complete: no journal while filling it
        // (a failure throws the whole file away), then WAL for its life as a base.
        conn.pragma_update(None, "journal_mode", "OFF")?;
        conn.pragma_update(None, "synchronous", "OFF")?;
        // A large page cache while filling (the demo writes millions of index entries).
        conn.pragma_update(None, "cache_size", -256 * 1024)?;
        conn.pragma_update(None, "temp_store", "MEMORY")?;
        conn.pragma_update(None, "locking_mode", "EXCLUSIVE")?;
        migrations::a_jour(&mut conn)?;
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        remplir(&tx)?;
        tx.commit()?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.close().map_err(|(_, e)| e)?;
    }
    temporaire.as_file().sync_all()?;
    if remplacer {
        supprimer_les_annexes(chemin);
        temporaire.persist(chemin).map(|_| ()).map_err(|e| e.error.into())
    } else {
        temporaire
            .persist_noclobber(chemin)
            .map_err(|e| {
                if e.error.kind() == std::io::ErrorKind::AlreadyExists {
                    Fait::FichierExistant(chemin.to_owned()).into()
                } else {
                    anyhow::Error::from(e.error)
                }
            })
            .map(|_| ())
    }
    .with_context(|| Etape::Ecriture(chemin.to_owned()))?;
    crate::output::travail_enregistre();
    Ok(())
}

/// Converts the plain base at `chemin` into an encrypted one under `cle`, in place and
/// atomically: the encrypted copy is written beside it, synced, then renamed over it, and
/// the plain base's log files removed. A failure leaves the plain base as it was.
pub fn chiffrer_sur_place(chemin: &Path, cle: &chiffrement::Cle) -> Result<()> {
    let conn = ouvrir(chemin)?;
    // No other process may write during the copy: the first read takes the lock, kept
    // until the connection closes.
    conn.pragma_update(None, "locking_mode", "EXCLUSIVE")?;
    conn.pragma_update(None, "wal_checkpoint", "TRUNCATE")?;
    let dossier = dossier_de(chemin);
    let temporaire = tempfile::Builder::new()
        .prefix(CREATION)
        .suffix(".sqlite")
        .tempfile_in(&dossier)
        .with_context(|| Etape::Creation(dossier.clone()))?;
    chiffrement::exporter(&conn, temporaire.path(), Some(cle))?;
    temporaire.as_file().sync_all()?;
    temporaire
        .persist(chemin)
        .map_err(|e| anyhow::Error::from(e.error))
        .with_context(|| Etape::Ecriture(chemin.to_owned()))?;
    drop(conn);
    supprimer_les_annexes(chemin);
    Ok(())
}

/// Removes the `-wal` and `-shm` files of a base replaced whole.
fn supprimer_les_annexes(chemin: &Path) {
    for suffixe in ["-wal", "-shm"] {
        let mut annexe = chemin.as_os_str().to_owned();
        annexe.push(suffixe);
        let _ = std::fs::remove_file(PathBuf::from(annexe));
    }
}

/// The hidden files in which [`creer`] builds a base.
const CREATION: &str = ".spie-creation-";

fn dossier_de(chemin: &Path) -> PathBuf {
    match chemin.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Removes from `dossier` the files of creations that were killed (Ctrl-C, a crash, a
/// power cut: otherwise the temporary file is removed on drop). A file is left alone
/// while a process builds in it: that process holds SQLite's lock on it from its first
/// statements to its rename, and the file is younger than a minute before.
fn balayer_les_creations(dossier: &Path) {
    let Ok(entrees) = std::fs::read_dir(dossier) else {
        return;
    };
    for entree in entrees.flatten() {
        if !entree.file_name().to_string_lossy().starts_with(CREATION) {
            continue;
        }
        let ancien = entree
            .metadata()
            .and_then(|m| m.modified())
            .is_ok_and(|t| t.elapsed().is_ok_and(|age| age > std::time::Duration::from_secs(60)));
        if ancien && !verrouillee(&entree.path()) {
            // Another process may have removed it meanwhile: nothing to report.
            let _ = std::fs::remove_file(entree.path());
        }
    }
}

/// Whether another process holds SQLite's lock on the file.
fn verrouillee(chemin: &Path) -> bool {
    let Ok(conn) = Connection::open_with_flags(
        chemin,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    ) else {
        return false;
    };
    matches!(
        conn.query_row("SELECT count(*) FROM sqlite_schema", [], |_| Ok(())),
        Err(rusqlite::Error::SqliteFailure(e, _))
            if matches!(e.code, rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
    )
}

/// Runs `remplir`, which writes many rows of `table`, with its full-text index
/// (`{table}_fts`) rebuilt once at the end instead of row by row: FTS5 flushes its
/// pending terms at every statement, which made bulk writes several times slower.
pub fn indexation_differee<T>(conn: &Connection, table: &str, remplir: impl FnOnce() -> Result<T>) -> Result<T> {
    let triggers = suspendre_fts(conn, table)?;
    let resultat = remplir()?;
    conn.execute_batch(&format!("INSERT INTO {table}_fts ({table}_fts) VALUES ('rebuild')"))?;
    retablir_fts(conn, &triggers)?;
    Ok(resultat)
}

/// Drops the triggers that keep `{table}_fts` up to date, for a bulk write that indexes by
/// itself; returns their SQL for [`retablir_fts`]. (Inside a transaction: a rollback
/// restores them too.)
fn suspendre_fts(conn: &Connection, table: &str) -> Result<Vec<String>> {
    let triggers: Vec<(String, String)> = conn
        .prepare("SELECT name, sql FROM sqlite_schema WHERE type = 'trigger' AND tbl_name = ?1 AND name LIKE ?2")?
        .query_map(params![table, format!("{table}_fts_%")], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (nom, _) in &triggers {
        conn.execute_batch(&format!("DROP TRIGGER {nom}"))?;
    }
    Ok(triggers.into_iter().map(|(_, sql)| sql).collect())
}

fn retablir_fts(conn: &Connection, triggers: &[String]) -> Result<()> {
    for sql in triggers {
        conn.execute_batch(sql)?;
    }
    Ok(())
}

/// After an erasure: merges the name index into one segment (dropping what deleted
/// entries left in it), folds the WAL into the file and rewrites it, so that no erased
/// value stays readable in the index, in free pages or in the log.
pub fn compacter(conn: &Connection) -> Result<()> {
    conn.execute("INSERT INTO personne_fts (personne_fts) VALUES ('optimize')", [])?;
    conn.pragma_update(None, "wal_checkpoint", "TRUNCATE")?;
    conn.execute_batch("VACUUM")?;
    // VACUUM wrote the new pages to the WAL: copy them over the old ones, empty the log.
    conn.pragma_update(None, "wal_checkpoint", "TRUNCATE")?;
    Ok(())
}

/// Makes the connection overwrite freed pages with zeros, before an erasure: deleted
/// values are not left readable in the file.
pub fn effacement_sur(conn: &Connection) -> Result<()> {
    conn.pragma_update(None, "secure_delete", "ON")?;
    Ok(())
}

/// Starts the one transaction of a command that writes. IMMEDIATE takes the write lock
/// now, so two writers queue (busy timeout) instead of failing half-way. Its commit is the
/// command's work saved (see [`Ecriture::commit`]).
pub fn ecriture(conn: &mut Connection) -> Result<Ecriture<'_>> {
    Ok(Ecriture(
        conn.transaction_with_behavior(TransactionBehavior::Immediate)?,
    ))
}

/// The transaction of a command that writes: a [`Transaction`] whose commit tells the
/// output that the run's work is saved, so that a result that cannot be printed then no
/// longer makes the run fail (a script relaunching it would record it twice).
pub struct Ecriture<'c>(Transaction<'c>);

impl Ecriture<'_> {
    pub fn commit(self) -> Result<()> {
        self.0.commit()?;
        crate::output::travail_enregistre();
        Ok(())
    }
}

impl<'c> std::ops::Deref for Ecriture<'c> {
    type Target = Transaction<'c>;
    fn deref(&self) -> &Transaction<'c> {
        &self.0
    }
}

/// Starts the transaction of a command that reads dossiers and records the access in the
/// audit trail: IMMEDIATE like [`ecriture`] (it appends an entry), but committing it saves
/// no work: a reader whose data cannot be printed must still be told it failed.
pub fn consultation(conn: &mut Connection) -> Result<Transaction<'_>> {
    Ok(conn.transaction_with_behavior(TransactionBehavior::Immediate)?)
}

/// Starts the transaction of a command that only reads: one consistent snapshot.
pub fn lecture(conn: &mut Connection) -> Result<Transaction<'_>> {
    Ok(conn.transaction_with_behavior(TransactionBehavior::Deferred)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_base_has_the_pragmas_and_the_application_id() {
        let dir = tempfile::tempdir().unwrap();
        let chemin = dir.path().join("b.sqlite");
        creer(&chemin, false, |_| Ok(())).unwrap();
        let conn = ouvrir(&chemin).unwrap();
        let mode: String = conn.pragma_query_value(None, "journal_mode", |r| r.get(0)).unwrap();
        let fk: i32 = conn.pragma_query_value(None, "foreign_keys", |r| r.get(0)).unwrap();
        let sync: i32 = conn.pragma_query_value(None, "synchronous", |r| r.get(0)).unwrap();
        assert_eq!((mode.as_str(), fk, sync), ("wal", 1, 2));
        let e = creer(&chemin, false, |_| Ok(())).unwrap_err();
        assert!(format!("{e:#}").contains("existe déjà"), "{e:#}");
    }

    #[test]
    fn a_failed_creation_leaves_no_file() {
        let dir = tempfile::tempdir().unwrap();
        let chemin = dir.path().join("b.sqlite");
        let r = creer(&chemin, false, |_| anyhow::bail!("échec voulu"));
        assert!(r.is_err());
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }

    #[test]
    fn a_foreign_file_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let chemin = dir.path().join("autre.sqlite");
        std::fs::write(&chemin, b"pas une base").unwrap();
        let e = ouvrir(&chemin).unwrap_err();
        assert!(format!("{e:#}").contains("n'est pas une base spie"), "{e:#}");
        assert!(!est_une_base_de_demo(&chemin));
    }
}
