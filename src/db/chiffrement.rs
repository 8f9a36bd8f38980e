//! Encryption at rest (SQLCipher): the base's key, opening an encrypted base, converting a
//! plain one, changing the key, copying with or without it.
//!
//! The key is 256 random bits nobody types, given to SQLCipher as a raw key (no key
//! derivation on each opening). SQL holding a key is never traced (see `db::tracer`), and
//! a key is never formatted into a message.

use std::path::Path;

use age::secrecy::zeroize::Zeroize;
use anyhow::{Context, Result};
use rusqlite::Connection;

use super::{Etape, Fait};

/// A base key: 32 bytes, wiped from memory when dropped.
pub struct Cle([u8; 32]);

impl Cle {
    /// A new random key.
    pub fn generer() -> Result<Cle> {
        let mut octets = [0u8; 32];
        getrandom::fill(&mut octets).map_err(|_| Fait::Hasard)?;
        Ok(Cle(octets))
    }

    pub fn depuis_octets(octets: &[u8]) -> Option<Cle> {
        Some(Cle(octets.try_into().ok()?))
    }

    pub fn octets(&self) -> &[u8; 32] {
        &self.0
    }

    /// SQLCipher's raw key syntax, `x'…'` (64 hexadecimal digits).
    fn brute(&self) -> String {
        let mut texte = String::with_capacity(67);
        texte.push_str("x'");
        texte.push_str(&data_encoding::HEXLOWER.encode(&self.0));
        texte.push('\'');
        texte
    }
}

impl Clone for Cle {
    fn clone(&self) -> Cle {
        Cle(self.0)
    }
}

impl Drop for Cle {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

impl std::fmt::Debug for Cle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Cle(…)")
    }
}

/// How a plain SQLite file starts; an encrypted one starts with random bytes.
const MAGIE_SQLITE: &[u8] = b"SQLite format 3\0";

/// Whether the file at `chemin` is encrypted: it exists and does not start as a plain
/// SQLite file does.
pub fn chiffree(chemin: &Path) -> bool {
    use std::io::Read;
    let mut debut = Vec::new();
    match std::fs::File::open(chemin) {
        Ok(f) if chemin.is_file() => {
            let _ = f.take(MAGIE_SQLITE.len() as u64).read_to_end(&mut debut);
        }
        _ => return false,
    }
    debut.len() == MAGIE_SQLITE.len() && debut != MAGIE_SQLITE
}

/// How each page is authenticated: an HMAC, whose key is derived from the base key by
/// PBKDF2. Bases created before 30 November 2026 use SHA-512 (SQLCipher 4's default);
/// newer ones SHA-256, which processors with SHA extensions (every AMD Zen, Intel since
/// 2019–2021) compute about four times faster: the HMAC of the pages read was most of what
/// an encrypted base cost over a plain one. Both are 256-bit keyed MACs.
const INTEGRITE: [(&str, &str); 2] = [
    ("cipher_hmac_algorithm", "HMAC_SHA256"),
    ("cipher_kdf_algorithm", "PBKDF2_HMAC_SHA256"),
];
const INTEGRITE_AVANT: [(&str, &str); 2] = [
    ("cipher_hmac_algorithm", "HMAC_SHA512"),
    ("cipher_kdf_algorithm", "PBKDF2_HMAC_SHA512"),
];

/// Gives the connection the key of its base: right after opening, before any statement.
/// A base this connection creates or attaches is authenticated with [`INTEGRITE`].
pub fn appliquer(conn: &Connection, cle: &Cle) -> Result<()> {
    // SQLCipher's own log goes to stderr: a wrong key is told in French, once.
    conn.pragma_update(None, "cipher_log_level", "NONE")?;
    par_defaut(conn)?;
    conn.pragma_update(None, "key", cle.brute())?;
    Ok(())
}

/// SQLCipher's settings for the files it creates from now on (the process's defaults).
fn par_defaut(conn: &Connection) -> Result<()> {
    for (pragma, valeur) in INTEGRITE {
        conn.pragma_update(None, &pragma.replace("cipher_", "cipher_default_"), valeur)?;
    }
    Ok(())
}

/// Opens the existing encrypted base at `chemin` under `cle`, whichever page
/// authentication it uses; `None` when the key does not open it.
pub fn ouvrir(chemin: &Path, drapeaux: rusqlite::OpenFlags, cle: &Cle) -> Result<Option<Connection>> {
    for reglages in [INTEGRITE, INTEGRITE_AVANT] {
        let conn = Connection::open_with_flags(chemin, drapeaux)?;
        appliquer(&conn, cle)?;
        for (pragma, valeur) in reglages {
            conn.pragma_update(None, pragma, valeur)?;
        }
        // With another key, or other settings, SQLCipher reads noise.
        match conn.query_row("SELECT count(*) FROM sqlite_schema", [], |_| Ok(())) {
            Ok(()) => return Ok(Some(conn)),
            Err(e) if e.sqlite_error_code() == Some(rusqlite::ErrorCode::NotADatabase) => {}
            Err(e) => return Err(e.into()),
        }
    }
    Ok(None)
}

/// Changes the key of the open base to `nouvelle`, in place (`PRAGMA rekey`): every page
/// is rewritten. The log is folded in first and the rewrite done outside WAL mode, so that
/// no page under the old key stays in a `-wal` file.
pub fn changer_de_cle(conn: &Connection, nouvelle: &Cle) -> Result<()> {
    conn.pragma_update(None, "wal_checkpoint", "TRUNCATE")?;
    conn.pragma_update(None, "journal_mode", "DELETE")?;
    conn.pragma_update(None, "rekey", nouvelle.brute())?;
    conn.pragma_update(None, "journal_mode", "WAL")?;
    Ok(())
}

/// Writes the whole base of `conn` to the new file `vers`, encrypted under `cle`, or plain
/// without one (`sqlcipher_export`): the way from plain to encrypted and back, which
/// SQLite's backup cannot take.
pub fn exporter(conn: &Connection, vers: &Path, cle: Option<&Cle>) -> Result<()> {
    let brute = cle.map_or_else(String::new, Cle::brute);
    let chemin = vers.to_str().ok_or_else(|| Fait::CheminIllisible(vers.to_owned()))?;
    let faire = || -> Result<()> {
        par_defaut(conn)?;
        conn.execute("ATTACH DATABASE ?1 AS exportee KEY ?2", [chemin, brute.as_str()])?;
        let resultat = (|| -> Result<()> {
            // A new plain base, with the page size of those spie creates.
            if cle.is_none() {
                conn.pragma_update(Some("exportee"), "page_size", super::TAILLE_DE_PAGE)?;
            }
            conn.query_row("SELECT sqlcipher_export('exportee')", [], |_| Ok(()))?;
            // Not copied by the export: what makes the file a spie base, at its version.
            for pragma in ["application_id", "user_version"] {
                let valeur: i64 = conn.pragma_query_value(Some("main"), pragma, |r| r.get(0))?;
                conn.pragma_update(Some("exportee"), pragma, valeur)?;
            }
            Ok(())
        })();
        conn.execute("DETACH DATABASE exportee", [])?;
        resultat
    };
    faire().context(Etape::CopieBase)
}

/// Copies the encrypted base of `conn`, consistent even while it is used, to the new
/// file `vers`, under the same key `cle` (SQLite's backup, page by page).
pub fn copier(conn: &Connection, vers: &Path, cle: &Cle) -> Result<()> {
    let faire = || -> Result<()> {
        let mut copie = Connection::open(vers)?;
        appliquer(&copie, cle)?;
        // A page-by-page copy keeps the source's page authentication.
        for (pragma, _) in INTEGRITE {
            let valeur: String = conn.pragma_query_value(None, pragma, |r| r.get(0))?;
            copie.pragma_update(None, pragma, valeur)?;
        }
        rusqlite::backup::Backup::new(conn, &mut copie)?.run_to_completion(256, std::time::Duration::ZERO, None)?;
        Ok(())
    };
    faire().context(Etape::CopieBase)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A new base is authenticated with SHA-256; one of SQLCipher's default SHA-512 opens
    /// too, with its key only, and its page-by-page copy keeps SHA-512.
    #[test]
    fn new_bases_use_sha256_and_older_sha512_ones_open_and_copy() {
        let dir = tempfile::tempdir().unwrap();
        let drapeaux = rusqlite::OpenFlags::default();
        let cle = Cle::generer().unwrap();
        let algorithme = |conn: &Connection| -> String {
            conn.pragma_query_value(None, "cipher_hmac_algorithm", |r| r.get(0))
                .unwrap()
        };

        let neuve = dir.path().join("neuve.sqlite");
        let conn = Connection::open(&neuve).unwrap();
        appliquer(&conn, &cle).unwrap();
        conn.execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1);")
            .unwrap();
        drop(conn);
        assert_eq!(
            algorithme(&ouvrir(&neuve, drapeaux, &cle).unwrap().unwrap()),
            "HMAC_SHA256"
        );

        let ancienne = dir.path().join("ancienne.sqlite");
        let conn = Connection::open(&ancienne).unwrap();
        conn.pragma_update(None, "cipher_log_level", "NONE").unwrap();
        conn.pragma_update(None, "key", cle.brute()).unwrap();
        for (pragma, valeur) in INTEGRITE_AVANT {
            conn.pragma_update(None, pragma, valeur).unwrap();
        }
        conn.execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (2);")
            .unwrap();
        drop(conn);
        let conn = ouvrir(&ancienne, drapeaux, &cle).unwrap().unwrap();
        assert_eq!(algorithme(&conn), "HMAC_SHA512");
        assert!(ouvrir(&ancienne, drapeaux, &Cle::generer().unwrap()).unwrap().is_none());

        let copie = dir.path().join("copie.sqlite");
        copier(&conn, &copie, &cle).unwrap();
        let conn = ouvrir(&copie, drapeaux, &cle).unwrap().unwrap();
        assert_eq!(algorithme(&conn), "HMAC_SHA512");
        let x: i64 = conn.query_row("SELECT x FROM t", [], |r| r.get(0)).unwrap();
        assert_eq!(x, 2);
    }

    #[test]
    fn a_key_is_never_shown() {
        let cle = Cle::generer().unwrap();
        assert_eq!(format!("{cle:?}"), "Cle(…)");
        assert_ne!(cle.octets(), Cle::generer().unwrap().octets());
        assert_eq!(cle.brute().len(), 67);
    }

    #[test]
    fn an_encrypted_base_reads_with_its_key_only_and_converts_both_ways() {
        let dir = tempfile::tempdir().unwrap();
        let clair = dir.path().join("clair.sqlite");
        let conn = Connection::open(&clair).unwrap();
        conn.execute_batch(
            "PRAGMA application_id = 7; PRAGMA user_version = 3;
             CREATE TABLE t (nom TEXT); INSERT INTO t VALUES ('Marie Planquée');
             CREATE VIRTUAL TABLE f USING fts5 (nom); INSERT INTO f VALUES ('planquee');",
        )
        .unwrap();
        assert!(!chiffree(&clair));

        let cle = Cle::generer().unwrap();
        let secret = dir.path().join("secret.sqlite");
        exporter(&conn, &secret, Some(&cle)).unwrap();
        assert!(chiffree(&secret));
        let octets = std::fs::read(&secret).unwrap();
        assert!(!octets.windows(7).any(|w| w == b"Planqu" || w == b"planque"));
        let sans_cle = Connection::open(&secret).unwrap();
        assert!(sans_cle.query_row("SELECT count(*) FROM t", [], |_| Ok(())).is_err());

        let ouverte = Connection::open(&secret).unwrap();
        appliquer(&ouverte, &cle).unwrap();
        let nom: String = ouverte.query_row("SELECT nom FROM t", [], |r| r.get(0)).unwrap();
        assert_eq!(nom, "Marie Planquée");
        let version: i64 = ouverte.pragma_query_value(None, "user_version", |r| r.get(0)).unwrap();
        let trouve: i64 = ouverte
            .query_row("SELECT count(*) FROM f WHERE f MATCH 'planquee'", [], |r| r.get(0))
            .unwrap();
        assert_eq!((version, trouve), (3, 1));

        // A new key: the old one opens nothing any more.
        ouverte.pragma_update(None, "journal_mode", "WAL").unwrap();
        let nouvelle = Cle::generer().unwrap();
        changer_de_cle(&ouverte, &nouvelle).unwrap();
        drop(ouverte);
        let ancienne = Connection::open(&secret).unwrap();
        appliquer(&ancienne, &cle).unwrap();
        assert!(ancienne.query_row("SELECT count(*) FROM t", [], |_| Ok(())).is_err());
        let reouverte = Connection::open(&secret).unwrap();
        appliquer(&reouverte, &nouvelle).unwrap();
        let mode: String = reouverte
            .pragma_query_value(None, "journal_mode", |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "wal");

        // And back to plain.
        let retour = dir.path().join("retour.sqlite");
        exporter(&reouverte, &retour, None).unwrap();
        assert!(!chiffree(&retour));
        let retour = Connection::open(&retour).unwrap();
        let n: i64 = retour.query_row("SELECT count(*) FROM t", [], |r| r.get(0)).unwrap();
        assert_eq!(n, 1);
        // A new plain base, with 8 KiB pages; the encrypted one keeps SQLCipher's 4 KiB.
        let pages: i64 = retour.pragma_query_value(None, "page_size", |r| r.get(0)).unwrap();
        let chiffrees: String = reouverte
            .pragma_query_value(None, "cipher_page_size", |r| r.get(0))
            .unwrap();
        assert_eq!((pages, chiffrees.as_str()), (8192, "4096"));
    }
}
