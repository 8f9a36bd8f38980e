//! The audit trail: who read or wrote which dossier, when, with which command. Each entry
//! is chained to the previous one by HMAC-SHA-256 under a key kept in the base (encrypted
//! with it), so that whoever copies the file cannot rewrite the trail consistently; entries
//! written before the key existed stay chained by SHA-256. Pruning old entries keeps the
//! hash of the last one removed as the anchor of the chain.

use anyhow::Result;
use chrono::NaiveDate;
use hmac::{Hmac, KeyInit, Mac};
use rusqlite::{Connection, OptionalExtension, params};
use sha2::{Digest, Sha256};

use super::meta;
use crate::domain::acces::Entree;

/// Meta key of the chain's HMAC key (64 hexadecimal digits).
const CLE: &str = "acces_cle";
/// Meta key of the id of the first entry chained by HMAC.
const CLE_DEPUIS: &str = "acces_cle_depuis";

/// Meta key of the hash the first remaining entry is chained to.
const ANCRE: &str = "acces_ancre";
/// Meta key of the id of the last entry pruning removed.
const ELAGUE: &str = "acces_elague";
const ORIGINE: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The HMAC state keyed once, cloned for each entry.
fn mac(cle: &[u8]) -> Hmac<Sha256> {
    <Hmac<Sha256> as KeyInit>::new_from_slice(cle).expect("HMAC takes keys of any length")
}

/// The hash of an entry: of `precedente|horodatage|agent|commande|dossier`, by HMAC when
/// the chain has its key, else by SHA-256.
fn empreinte(
    cle: Option<&Hmac<Sha256>>,
    precedente: &str,
    horodatage: &str,
    agent: &str,
    commande: &str,
    dossier: Option<i64>,
) -> String {
    let dossier = dossier.map_or(String::new(), |d| d.to_string());
    let parties = [precedente, "|", horodatage, "|", agent, "|", commande, "|", &dossier];
    match cle {
        Some(cle) => {
            let mut mac = cle.clone();
            parties.iter().for_each(|p| mac.update(p.as_bytes()));
            data_encoding::HEXLOWER.encode(&mac.finalize().into_bytes())
        }
        None => {
            let mut sha = Sha256::new();
            parties.iter().for_each(|p| sha.update(p.as_bytes()));
            data_encoding::HEXLOWER.encode(&sha.finalize())
        }
    }
}

/// The chain's key, and the id of the first entry it chains.
fn cle(conn: &Connection) -> Result<Option<(Vec<u8>, i64)>> {
    let cle = meta::lire(conn, CLE)?.and_then(|c| data_encoding::HEXLOWER.decode(c.as_bytes()).ok());
    let depuis = meta::lire(conn, CLE_DEPUIS)?.and_then(|d| d.parse().ok()).unwrap_or(1);
    Ok(cle.map(|c| (c, depuis)))
}

/// Gives the chain a key, if it has none: the entries from the next one on are chained by
/// HMAC (a migration, once per base).
pub fn creer_cle(conn: &Connection) -> Result<()> {
    if meta::lire(conn, CLE)?.is_some() {
        return Ok(());
    }
    let mut octets = [0u8; 32];
    getrandom::fill(&mut octets).map_err(|_| super::Fait::Hasard)?;
    let suivante: i64 = conn.query_row("SELECT coalesce(max(id), 0) + 1 FROM acces", [], |r| r.get(0))?;
    meta::ecrire(conn, CLE, &data_encoding::HEXLOWER.encode(&octets))?;
    meta::ecrire(conn, CLE_DEPUIS, &suivante.to_string())?;
    Ok(())
}

fn ancre(conn: &Connection) -> Result<String> {
    Ok(meta::lire(conn, ANCRE)?.unwrap_or_else(|| ORIGINE.to_owned()))
}

/// The time of an entry: the system's clock, never the date a test or a demo sets (an
/// entry cannot be backdated).
pub fn maintenant() -> String {
    chrono::Local::now().format("%Y-%m-%dT%H:%M:%S").to_string()
}

/// A point of the chain kept outside the base (in a monthly pack, by the Département):
/// the position (id) of an entry and its hash, written `POSITION:HASH`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ancre {
    pub position: i64,
    pub empreinte: String,
}

impl std::fmt::Display for Ancre {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.position, self.empreinte)
    }
}

impl std::str::FromStr for Ancre {
    type Err = ();

    fn from_str(texte: &str) -> Result<Ancre, ()> {
        let (position, empreinte) = texte.trim().split_once(':').ok_or(())?;
        let position: i64 = position.parse().map_err(|_| ())?;
        let valide = empreinte.len() == 64 && empreinte.bytes().all(|b| b.is_ascii_hexdigit());
        if position < 1 || !valide {
            return Err(());
        }
        Ok(Ancre {
            position,
            empreinte: empreinte.to_ascii_lowercase(),
        })
    }
}

/// The head of the chain: its last entry.
pub fn tete(conn: &Connection) -> Result<Option<Ancre>> {
    Ok(conn
        .query_row("SELECT id, empreinte FROM acces ORDER BY id DESC LIMIT 1", [], |r| {
            Ok(Ancre {
                position: r.get(0)?,
                empreinte: r.get(1)?,
            })
        })
        .optional()?)
}

/// What the trail says of an anchor taken earlier.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Suite {
    /// The entry is there, unchanged: the chain extends the anchor (if it verifies).
    Prolonge,
    /// The entry is gone or changed: the trail was truncated, wiped or rewritten.
    Rompue,
    /// The entry was removed by a pruning, which keeps the hash of what it removed.
    Elaguee,
}

/// Whether the trail still extends `ancre`.
pub fn suite(conn: &Connection, ancre: &Ancre) -> Result<Suite> {
    let empreinte: Option<String> = conn
        .query_row("SELECT empreinte FROM acces WHERE id = ?1", [ancre.position], |r| {
            r.get(0)
        })
        .optional()?;
    Ok(match empreinte {
        Some(e) if e == ancre.empreinte => Suite::Prolonge,
        Some(_) => Suite::Rompue,
        None => {
            let elague: Option<i64> = meta::lire(conn, ELAGUE)?.and_then(|v| v.parse().ok());
            let premiere: Option<i64> = conn.query_row("SELECT min(id) FROM acces", [], |r| r.get(0))?;
            // Pruned: below the pruning's mark, and the trail goes on after it.
            if elague.is_some_and(|e| ancre.position <= e) && premiere.is_some_and(|p| p > ancre.position) {
                Suite::Elaguee
            } else {
                Suite::Rompue
            }
        }
    })
}

/// Appends an entry, chained to the last one.
pub fn consigner(conn: &Connection, horodatage: &str, agent: &str, commande: &str, dossier: Option<i64>) -> Result<()> {
    consigner_chacun(conn, horodatage, agent, commande, &[dossier])
}

/// Appends one entry per dossier (a search shows several), each chained to the one
/// before: the last hash and the key are read once for all.
pub fn consigner_chacun(
    conn: &Connection,
    horodatage: &str,
    agent: &str,
    commande: &str,
    dossiers: &[Option<i64>],
) -> Result<()> {
    let precedente: Option<String> = conn
        .prepare_cached("SELECT empreinte FROM acces ORDER BY id DESC LIMIT 1")?
        .query_row([], |r| r.get(0))
        .optional()?;
    let mut precedente = match precedente {
        Some(p) => p,
        None => ancre(conn)?,
    };
    let cle: Option<String> = conn
        .prepare_cached("SELECT valeur FROM meta WHERE cle = ?1")?
        .query_row([CLE], |r| r.get(0))
        .optional()?;
    let cle = cle
        .and_then(|c| data_encoding::HEXLOWER.decode(c.as_bytes()).ok())
        .map(|c| mac(&c));
    let mut inserer = conn.prepare_cached(
        "INSERT INTO acces (horodatage, agent, commande, dossier, empreinte) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    for dossier in dossiers {
        precedente = empreinte(cle.as_ref(), &precedente, horodatage, agent, commande, *dossier);
        inserer.execute(params![horodatage, agent, commande, dossier, precedente])?;
    }
    Ok(())
}

/// The entries, oldest first, of one dossier or of all.
pub fn entrees(conn: &Connection, dossier: Option<i64>) -> Result<Vec<Entree>> {
    let lignes = conn
        .prepare("SELECT id, horodatage, agent, commande, dossier, empreinte FROM acces WHERE ?1 IS NULL OR dossier = ?1 ORDER BY id")?
        .query_map([dossier], |r| {
            Ok(Entree {
                id: r.get(0)?,
                horodatage: r.get(1)?,
                agent: r.get(2)?,
                commande: r.get(3)?,
                dossier: r.get(4)?,
                empreinte: r.get(5)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(lignes)
}

/// An entry of the trail on a dossier the agent `referent` is the référent of now.
#[derive(Debug, Clone)]
pub struct EntreeSuivie {
    pub dossier: i64,
    /// Given name and name.
    pub personne: String,
    pub horodatage: String,
    pub agent: String,
    /// The agent as named to the reader (the identifier for one no longer known).
    pub agent_nom: String,
    pub commande: String,
}

/// The entries since `depuis` whose command holds `marque`, on the dossiers whose open
/// parcours has `referent` (of the structure `structure`) as référent, newest first.
pub fn marquees_chez(
    conn: &Connection,
    (referent, structure): (i64, i64),
    depuis: NaiveDate,
    marque: &str,
) -> Result<Vec<EntreeSuivie>> {
    let lignes = conn
        .prepare_cached(&format!(
            "SELECT ac.dossier, pe.prenom || ' ' || pe.nom, ac.horodatage, ac.agent, ac.commande, {}
             FROM referent r
             JOIN parcours pa ON pa.id = r.parcours_id AND pa.sortie IS NULL
             JOIN personne pe ON pe.dossier = pa.dossier
             JOIN acces ac ON ac.dossier = pa.dossier
             WHERE r.agent_id = ?1 AND r.fin IS NULL AND ac.horodatage >= ?2 AND instr(ac.commande, ?3) > 0
             ORDER BY ac.id DESC",
            super::agent::nom_vu_de("ac.agent", Some(structure))
        ))?
        .query_map(params![referent, depuis.to_string(), marque], entree_suivie)?
        .collect::<rusqlite::Result<_>>()?;
    Ok(lignes)
}

/// Like [`marquees_chez`], for the dossiers without a référent (none named yet, or their
/// last parcours closed) whose last parcours the structure `structure` holds.
pub fn marquees_sans_referent(
    conn: &Connection,
    structure: i64,
    depuis: NaiveDate,
    marque: &str,
) -> Result<Vec<EntreeSuivie>> {
    let lignes = conn
        .prepare_cached(&format!(
            "SELECT ac.dossier, pe.prenom || ' ' || pe.nom, ac.horodatage, ac.agent, ac.commande, {}
             FROM acces ac
             JOIN personne pe ON pe.dossier = ac.dossier
             JOIN parcours pa ON pa.id = (SELECT max(id) FROM parcours WHERE dossier = ac.dossier)
             WHERE ac.horodatage >= ?2 AND instr(ac.commande, ?3) > 0 AND pa.structure_id = ?1
               AND NOT (pa.sortie IS NULL AND EXISTS
                   (SELECT 1 FROM referent r WHERE r.parcours_id = pa.id AND r.fin IS NULL))
             ORDER BY ac.id DESC",
            super::agent::nom_vu_de("ac.agent", Some(structure))
        ))?
        .query_map(params![structure, depuis.to_string(), marque], entree_suivie)?
        .collect::<rusqlite::Result<_>>()?;
    Ok(lignes)
}

fn entree_suivie(r: &rusqlite::Row<'_>) -> rusqlite::Result<EntreeSuivie> {
    Ok(EntreeSuivie {
        dossier: r.get(0)?,
        personne: r.get(1)?,
        horodatage: r.get(2)?,
        agent: r.get(3)?,
        commande: r.get(4)?,
        agent_nom: r.get::<_, Option<String>>(5)?.map_or_else(|| r.get(3), Ok)?,
    })
}

/// Where the chain breaks: an entry edited, removed, inserted or moved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rupture {
    /// The entry's rank in the trail, from 1.
    pub position: usize,
    pub id: i64,
}

/// The first entry whose hash does not follow from the previous one.
pub fn verifier(conn: &Connection) -> Result<Option<Rupture>> {
    let mut precedente = ancre(conn)?;
    let cle = cle(conn)?.map(|(c, depuis)| (mac(&c), depuis));
    for (rang, e) in entrees(conn, None)?.iter().enumerate() {
        let cle = cle.as_ref().filter(|(_, depuis)| e.id >= *depuis).map(|(c, _)| c);
        let attendue = empreinte(cle, &precedente, &e.horodatage, &e.agent, &e.commande, e.dossier);
        if attendue != e.empreinte {
            return Ok(Some(Rupture {
                position: rang + 1,
                id: e.id,
            }));
        }
        precedente = e.empreinte.clone();
    }
    Ok(None)
}

/// Removes the entries before `avant` (an ISO date); the chain stays verifiable from the
/// hash of the last entry removed. Returns the number removed.
pub fn elaguer(conn: &Connection, avant: &str) -> Result<usize> {
    let derniere: Option<(i64, String)> = conn
        .query_row(
            "SELECT id, empreinte FROM acces WHERE horodatage < ?1 ORDER BY id DESC LIMIT 1",
            [avant],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let Some((id, empreinte)) = derniere else { return Ok(0) };
    let n = conn.execute("DELETE FROM acces WHERE id <= ?1", [id])?;
    meta::ecrire(conn, ANCRE, &empreinte)?;
    meta::ecrire(conn, ELAGUE, &id.to_string())?;
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base() -> Connection {
        let mut conn = Connection::open_in_memory().unwrap();
        super::super::migrations::a_jour(&mut conn).unwrap();
        conn
    }

    #[test]
    fn the_chain_detects_edits_removals_and_moves_and_survives_pruning() {
        let conn = base();
        for (i, jour) in ["2025-01-10", "2025-06-01", "2026-02-01", "2026-11-01"]
            .iter()
            .enumerate()
        {
            consigner(
                &conn,
                &format!("{jour}T10:00:00"),
                "m.durand",
                "parcours voir",
                Some(i as i64 + 1),
            )
            .unwrap();
        }
        assert_eq!(verifier(&conn).unwrap(), None);
        conn.execute("UPDATE acces SET dossier = 9 WHERE id = 2", []).unwrap();
        assert_eq!(verifier(&conn).unwrap().map(|r| r.position), Some(2));
        conn.execute("UPDATE acces SET dossier = 2 WHERE id = 2", []).unwrap();
        assert_eq!(verifier(&conn).unwrap(), None);
        assert_eq!(elaguer(&conn, "2025-11-26").unwrap(), 2);
        assert_eq!(verifier(&conn).unwrap(), None, "l'élagage ne rompt pas la chaîne");
        consigner(&conn, "2026-11-02T09:00:00", "admin", "parcours clore", Some(3)).unwrap();
        conn.execute("DELETE FROM acces WHERE id = 3", []).unwrap();
        assert_eq!(verifier(&conn).unwrap().map(|r| r.position), Some(1));
    }

    /// Recomputing the chain without the key kept in the base does not make it verify;
    /// entries written before the key existed still do, by SHA-256.
    #[test]
    fn the_chain_is_keyed() {
        let conn = base();
        conn.execute("DELETE FROM meta WHERE cle LIKE 'acces_cle%'", [])
            .unwrap();
        consigner(&conn, "2026-01-01T10:00:00", "m.durand", "parcours voir", Some(1)).unwrap();
        creer_cle(&conn).unwrap();
        consigner(&conn, "2026-01-02T10:00:00", "m.durand", "parcours voir", Some(2)).unwrap();
        assert_eq!(verifier(&conn).unwrap(), None);
        let sans_cle = empreinte(
            None,
            &conn
                .query_row("SELECT empreinte FROM acces WHERE id = 1", [], |r| {
                    r.get::<_, String>(0)
                })
                .unwrap(),
            "2026-01-02T10:00:00",
            "intrus",
            "parcours voir",
            Some(2),
        );
        conn.execute(
            "UPDATE acces SET agent = 'intrus', empreinte = ?1 WHERE id = 2",
            [sans_cle],
        )
        .unwrap();
        assert_eq!(verifier(&conn).unwrap().unwrap().position, 2);
    }

    /// The hash is that of the fields joined by `|`, as bases written before chained them:
    /// their chains still verify.
    #[test]
    fn the_hash_is_that_of_the_joined_fields() {
        let texte = "precedente|2026-01-02T10:00:00|m.durand|parcours voir|12";
        let cle = [7u8; 32];
        let mut attendu = mac(&cle);
        attendu.update(texte.as_bytes());
        let attendu = data_encoding::HEXLOWER.encode(&attendu.finalize().into_bytes());
        let champs = (
            "precedente",
            "2026-01-02T10:00:00",
            "m.durand",
            "parcours voir",
            Some(12),
        );
        assert_eq!(
            empreinte(Some(&mac(&cle)), champs.0, champs.1, champs.2, champs.3, champs.4),
            attendu
        );
        assert_eq!(
            empreinte(None, champs.0, champs.1, champs.2, champs.3, champs.4),
            data_encoding::HEXLOWER.encode(&Sha256::digest(texte.as_bytes()))
        );
        assert_eq!(
            empreinte(None, "p", "h", "a", "c", None),
            data_encoding::HEXLOWER.encode(&Sha256::digest(b"p|h|a|c|"))
        );
    }

    fn journal_de(n: i64) -> Connection {
        let conn = base();
        for i in 0..n {
            consigner(
                &conn,
                &format!("2026-0{}-01T10:00:00", 1 + i % 9),
                "m.durand",
                "parcours voir",
                Some(i),
            )
            .unwrap();
        }
        conn
    }

    /// Every way of tampering with the trail is told by an anchor kept outside: the tail
    /// cut, the whole trail wiped, the chain rewritten with recomputed hashes (a backdated
    /// entry slipped in), or everything pruned.
    #[test]
    fn an_anchor_kept_outside_tells_every_tampering() {
        let conn = journal_de(6);
        let ancre = tete(&conn).unwrap().unwrap();
        assert_eq!(ancre.to_string().parse::<Ancre>(), Ok(ancre.clone()));
        assert_eq!(suite(&conn, &ancre).unwrap(), Suite::Prolonge);
        consigner(&conn, "2026-11-02T09:00:00", "admin", "parcours clore", Some(3)).unwrap();
        assert_eq!(suite(&conn, &ancre).unwrap(), Suite::Prolonge, "the trail grows on");

        // The tail cut (and new entries taking the ids back).
        let coupe = journal_de(6);
        coupe.execute("DELETE FROM acces WHERE id >= 5", []).unwrap();
        assert_eq!(suite(&coupe, &ancre).unwrap(), Suite::Rompue);
        consigner(&coupe, "2026-11-02T09:00:00", "admin", "parcours voir", Some(1)).unwrap();
        consigner(&coupe, "2026-11-02T09:00:01", "admin", "parcours voir", Some(1)).unwrap();
        assert_eq!(verifier(&coupe).unwrap(), None, "the chain alone does not see it");
        assert_eq!(suite(&coupe, &ancre).unwrap(), Suite::Rompue);

        // Wiped.
        let vide = journal_de(6);
        vide.execute("DELETE FROM acces", []).unwrap();
        assert_eq!(suite(&vide, &ancre).unwrap(), Suite::Rompue);

        // A backdated entry slipped in, every hash after it recomputed.
        let refaite = base();
        consigner(&refaite, "2026-01-01T10:00:00", "m.durand", "parcours voir", Some(0)).unwrap();
        consigner(&refaite, "2025-12-24T10:00:00", "intrus", "parcours voir", Some(9)).unwrap();
        for i in 1..5 {
            consigner(
                &refaite,
                &format!("2026-0{}-01T10:00:00", 1 + i % 9),
                "m.durand",
                "parcours voir",
                Some(i),
            )
            .unwrap();
        }
        assert_eq!(verifier(&refaite).unwrap(), None);
        assert_eq!(suite(&refaite, &ancre).unwrap(), Suite::Rompue);

        // Pruned: told apart from a wipe.
        let elaguee = journal_de(6);
        consigner(&elaguee, "2026-11-02T09:00:00", "admin", "parcours voir", Some(1)).unwrap();
        elaguer(&elaguee, "2026-10-01").unwrap();
        assert_eq!(suite(&elaguee, &ancre).unwrap(), Suite::Elaguee);
        assert!("12:zz".parse::<Ancre>().is_err() && "x".parse::<Ancre>().is_err());
    }
}
