//! The checks of the base file, as SQLite reports them: integrity, foreign keys, the
//! name index; and its consistent copy.

use std::path::Path;

use anyhow::{Context, Result};
use rusqlite::Connection;

/// A row whose reference points nowhere.
pub struct CleRompue {
    pub table: String,
    pub ligne: Option<i64>,
    pub parent: String,
}

/// SQLite's integrity report (in English), without its "ok".
pub fn integrite(conn: &Connection) -> Result<Vec<String>> {
    Ok(conn
        .prepare("PRAGMA integrity_check")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<Vec<String>>>()?
        .into_iter()
        .filter(|l| l != "ok")
        .collect())
}

/// The rows whose reference points nowhere: SQLite's check of the declared foreign keys,
/// and the links of `offre_thematique` to offers, which are not declared (see migration
/// 0045).
pub fn cles_rompues(conn: &Connection) -> Result<Vec<CleRompue>> {
    let mut rompues = Vec::new();
    for sql in [
        "PRAGMA foreign_key_check",
        "SELECT 'offre_thematique', l.offre_id, 'offre' FROM offre_thematique l
         WHERE NOT EXISTS (SELECT 1 FROM offre o WHERE o.id = l.offre_id)",
    ] {
        let mut requete = conn.prepare(sql)?;
        let lignes = requete.query_map([], |r| {
            Ok(CleRompue {
                table: r.get(0)?,
                ligne: r.get(1)?,
                parent: r.get(2)?,
            })
        })?;
        rompues.extend(lignes.collect::<rusqlite::Result<Vec<_>>>()?);
    }
    Ok(rompues)
}

/// Whether the full-text index of names matches the table.
pub fn index_des_noms(conn: &Connection) -> Result<()> {
    conn.execute("INSERT INTO personne_fts (personne_fts) VALUES ('integrity-check')", [])?;
    Ok(())
}

/// Whether SQLite's quick check (every page readable, every record well formed; not the
/// indexes' content) finds the base intact. A page it cannot read is damage too.
pub fn intacte(conn: &Connection) -> Result<bool> {
    let lignes = (|| {
        conn.prepare("PRAGMA quick_check")?
            .query_map([], |r| r.get::<_, String>(0))?
            .collect::<rusqlite::Result<Vec<String>>>()
    })();
    match lignes {
        Ok(lignes) => Ok(lignes == ["ok"]),
        Err(e) if e.sqlite_error_code() == Some(rusqlite::ErrorCode::DatabaseCorrupt) => Ok(false),
        Err(e) => Err(e.into()),
    }
}

/// Copies the base, consistent even while it is used, into `chemin`.
pub fn copier(conn: &Connection, chemin: &Path) -> Result<()> {
    conn.backup(rusqlite::MAIN_DB, chemin, None)
        .context(super::Etape::CopieBase)
}

/// Erased values are overwritten with zeros, not left in free pages.
pub fn effacement_sur(conn: &Connection) -> Result<()> {
    conn.pragma_update(None, "secure_delete", "ON")?;
    Ok(())
}
