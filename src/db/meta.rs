//! Key–value facts about the base itself.

use anyhow::Result;
use rusqlite::{Connection, OptionalExtension, params};

/// Département of the base (`55`): communes are resolved there first.
pub const DEPARTEMENT: &str = "departement";
/// `oui` when the base holds synthetic demo data only (`spie demo` may replace it).
pub const DEMO: &str = "demo";
/// `oui` for a base made for tests (`base init --essai`): `SPIE_DATE` is honoured there.
pub const ESSAI: &str = "essai";

pub fn lire(conn: &Connection, cle: &str) -> Result<Option<String>> {
    Ok(conn
        .query_row("SELECT valeur FROM meta WHERE cle = ?1", [cle], |r| r.get(0))
        .optional()?)
}

pub fn ecrire(conn: &Connection, cle: &str, valeur: &str) -> Result<()> {
    conn.execute(
        "INSERT INTO meta (cle, valeur) VALUES (?1, ?2) ON CONFLICT (cle) DO UPDATE SET valeur = excluded.valeur",
        params![cle, valeur],
    )?;
    Ok(())
}

/// The base's département, `55` if never set.
pub fn departement(conn: &Connection) -> Result<String> {
    Ok(lire(conn, DEPARTEMENT)?.unwrap_or_else(|| "55".into()))
}

/// Whether the base is a test or demo base, where `SPIE_DATE` may set the day.
pub fn essai(conn: &Connection) -> Result<bool> {
    Ok(lire(conn, ESSAI)?.as_deref() == Some("oui") || lire(conn, DEMO)?.as_deref() == Some("oui"))
}
