//! An import written in steps. Each step is a short transaction, so that the other
//! commands (a caseworker's read or note, each with its audit entry) wait a fraction of a
//! second between two steps rather than the whole import. Until the import ends,
//! everything it did can be undone from the base itself: the offers it changed are kept
//! as they were before (table `import_avant`, filled by a trigger of the importing
//! connection), and what it added lies above the numbers noted at its start (table
//! `import_en_cours`). A refused or interrupted import is undone, and one whose process
//! died is undone by the next import.

use std::time::{Duration, Instant};

use anyhow::Result;
use rusqlite::{Connection, OptionalExtension, params};

/// How long a step may hold the write lock.
pub const PAS: Duration = Duration::from_millis(500);
/// Between two steps, the write lock is left free this long, so that a command waiting
/// for it (polling every few milliseconds, see `db::attendre`) gets it.
const RELACHE: Duration = Duration::from_millis(6);
/// Bytes of WAL that make the importing connection copy them into the base during the
/// import; after it, SQLite's default (in pages).
const WAL_PENDANT: i64 = 40 << 20;
const WAL_APRES: i64 = 1000;
/// When the WAL is copied on another thread: bytes of WAL past which a step waits for the
/// copy of the steps before it, so that the next one writes the WAL from its start (the
/// copy runs behind the steps, and the WAL would otherwise grow with the import).
const WAL_MAX: i64 = 100 << 20;
/// Offers undone per statement, so that an undo is done in steps too.
const PAR_LOT: i64 = 2000;

/// The import in progress in a base.
#[derive(Debug, Clone)]
pub struct EnCours {
    pub agent: String,
    /// When it began (system clock).
    pub depuis: String,
    hote: String,
    /// The process, as `PID:START` (its start, in clock ticks since boot): a number
    /// alone could since be another process's.
    processus: String,
    offre_max: i64,
    source_max: i64,
}

impl EnCours {
    /// Whether its process still runs: on another machine, or where processes cannot be
    /// seen, it is presumed so.
    pub fn vivant(&self) -> bool {
        if self.hote != hote() || processus("self").is_none() {
            return true;
        }
        let pid = self.processus.split(':').next().unwrap_or_default();
        processus(pid).is_some_and(|p| p == self.processus)
    }
}

/// The process `pid` as `PID:START`, if it runs (Linux); `None` otherwise, a process
/// killed but not yet reaped (a zombie) included.
fn processus(pid: &str) -> Option<String> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // After the name in parentheses: state, then 18 fields, then the start time.
    let mut champs = stat[stat.rfind(')')? + 1..].split_whitespace();
    if matches!(champs.next()?, "Z" | "X" | "x") {
        return None;
    }
    let debut = champs.nth(18)?;
    Some(format!("{pid}:{debut}"))
}

/// This machine's name, to tell whether the process of an import in progress can be seen.
fn hote() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|h| h.trim().to_owned())
        .unwrap_or_default()
}

/// The import in progress, if any.
pub fn en_cours(conn: &Connection) -> Result<Option<EnCours>> {
    Ok(conn
        .query_row(
            "SELECT agent, depuis, hote, processus, offre_max, source_max FROM import_en_cours",
            [],
            |r| {
                Ok(EnCours {
                    agent: r.get(0)?,
                    depuis: r.get(1)?,
                    hote: r.get(2)?,
                    processus: r.get(3)?,
                    offre_max: r.get(4)?,
                    source_max: r.get(5)?,
                })
            },
        )
        .optional()?)
}

/// The columns an undo puts back, in the order of the JSON array of `import_avant`.
fn colonnes() -> Vec<&'static str> {
    let mut c = super::offre::COLONNES.to_vec();
    c.push("importee_le");
    c
}

/// An import's steps, on a connection outside any transaction.
pub struct Etapes<'c> {
    conn: &'c Connection,
    /// What the base held before.
    avant: EnCours,
    /// `None`: one transaction the caller began and ends (a preview, rolled back).
    pas: Option<Duration>,
    debut: Instant,
    /// Copies the WAL into the base on another thread, if given a connection.
    recopie: Option<Recopie>,
}

/// A thread with its own connection to the base that copies the WAL into the base (a
/// checkpoint) after each step, so that the importing thread never does it: the copy,
/// its reads and writes and its `fsync`, overlap the import.
struct Recopie {
    demandes: Option<std::sync::mpsc::Sender<()>>,
    /// After each copy, how many of the copies asked for it did, and the length of the WAL
    /// in pages.
    faites: std::sync::mpsc::Receiver<(usize, i64)>,
    /// Copies asked for and not yet done.
    en_attente: usize,
    /// The WAL's length at the last copy done, in pages.
    longueur: i64,
    /// [`WAL_MAX`] in pages of the base.
    max: i64,
    fil: Option<std::thread::JoinHandle<()>>,
}

impl Recopie {
    fn lancer(conn: Connection, max: i64) -> Recopie {
        let (demandes, recues) = std::sync::mpsc::channel::<()>();
        let (fait, faites) = std::sync::mpsc::channel::<(usize, i64)>();
        let fil = std::thread::spawn(move || {
            while recues.recv().is_ok() {
                // The steps committed while the last copy ran: one copy for them all.
                let demandes = 1 + recues.try_iter().count();
                // A copy that fails (the base busy) is done by the next one, or at the end.
                let longueur = conn
                    .query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |r| r.get::<_, i64>(1))
                    .unwrap_or(0);
                if fait.send((demandes, longueur)).is_err() {
                    break;
                }
            }
        });
        Recopie {
            demandes: Some(demandes),
            faites,
            en_attente: 0,
            longueur: 0,
            max,
            fil: Some(fil),
        }
    }

    /// Asks for a copy of what the steps committed so far.
    fn demander(&mut self) {
        if let Some(d) = &self.demandes
            && d.send(()).is_ok()
        {
            self.en_attente += 1;
        }
        for (demandes, longueur) in self.faites.try_iter() {
            self.longueur = longueur;
            self.en_attente -= demandes;
        }
    }

    /// Waits for the copies asked for: the next step then writes the WAL from its start.
    fn attendre(&mut self) {
        while self.en_attente > 0 {
            match self.faites.recv() {
                Ok((demandes, _)) => self.en_attente -= demandes,
                Err(_) => break,
            }
        }
        self.longueur = 0;
    }
}

impl Drop for Recopie {
    fn drop(&mut self) {
        self.demandes = None;
        if let Some(fil) = self.fil.take() {
            let _ = fil.join();
        }
    }
}

impl<'c> Etapes<'c> {
    /// Begins an import: notes what the base holds, and begins its first step; or gives
    /// the import already in progress (one whose process died is undone first, see
    /// [`reprendre`]).
    pub fn commencer(
        conn: &'c Connection,
        agent: &str,
        depuis: &str,
        pas: Duration,
    ) -> Result<Result<Etapes<'c>, EnCours>> {
        if let Some((autre, true)) = reprendre(conn)? {
            return Ok(Err(autre));
        }
        // A step need not reach the disk at its commit: the WAL keeps steps in order, so a
        // power cut loses only the last ones, and the import stays marked in progress (to
        // be undone) until its end, whose commit reaches the disk with all steps before.
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        // Its steps rewrite the same index pages: copied from the WAL into the base every
        // 40 MB rather than every 4 MB, each page is copied fewer times. (Another command
        // that commits meanwhile copies at most these 40 MB, a fraction of a second.)
        let page = super::taille_de_page(conn)?;
        conn.pragma_update(None, "wal_autocheckpoint", WAL_PENDANT / page)?;
        // The import writes only keys it has just read or written (its source, the
        // numbers of its thematiques, its offers): checking each against its table cost a
        // tenth of the writing. Checked again from its last step on, and by an undo.
        conn.pragma_update(None, "foreign_keys", false)?;
        conn.execute_batch("BEGIN IMMEDIATE")?;
        // Begun by another process meanwhile.
        if let Some(autre) = en_cours(conn)? {
            conn.execute_batch("ROLLBACK")?;
            conn.pragma_update(None, "foreign_keys", true)?;
            return Ok(Err(autre));
        }
        let etapes = (|| {
            // What a cleanup cut short left: the offers changed by an import that ended.
            conn.execute("DELETE FROM import_avant", [])?;
            let avant = EnCours {
                agent: agent.to_owned(),
                depuis: depuis.to_owned(),
                hote: hote(),
                processus: processus(&std::process::id().to_string()).unwrap_or_default(),
                offre_max: conn.query_row("SELECT coalesce(max(id), 0) FROM offre", [], |r| r.get(0))?,
                source_max: conn.query_row("SELECT coalesce(max(id), 0) FROM source", [], |r| r.get(0))?,
            };
            conn.execute(
                "INSERT INTO import_en_cours (id, agent, depuis, hote, processus, offre_max, source_max)
                 VALUES (1, ?1, ?2, ?3, ?4, ?5, ?6)",
                params![
                    avant.agent, avant.depuis, avant.hote, avant.processus, avant.offre_max, avant.source_max
                ],
            )?;
            Etapes::garder_l_avant(conn, "main", avant.offre_max)?;
            Ok(Etapes {
                conn,
                avant,
                pas: Some(pas),
                debut: Instant::now(),
                recopie: None,
            })
        })();
        if etapes.is_err() {
            let _ = conn.execute_batch("ROLLBACK");
            let _ = conn.pragma_update(None, "foreign_keys", true);
        }
        etapes.map(Ok)
    }

    /// The same import as a preview, in the caller's transaction, which only reads the
    /// base and is rolled back: the import writes into copies of the catalogue's tables,
    /// made in the connection's TEMP schema, which hide the base's own (and hold only the
    /// offers of `source` and of its producers, `source/…`). The write lock is never taken.
    pub fn apercu(conn: &'c Connection, source: &str) -> Result<Etapes<'c>> {
        for table in ["source", "thematique", "offre", "offre_thematique", "import_avant"] {
            let sql: String = conn.query_row(
                "SELECT sql FROM main.sqlite_schema WHERE type = 'table' AND name = ?1",
                [table],
                |r| r.get(0),
            )?;
            conn.execute_batch(&sql.replacen("CREATE TABLE", "CREATE TEMP TABLE", 1))?;
        }
        conn.execute_batch(
            "INSERT INTO temp.source SELECT * FROM main.source;
             INSERT INTO temp.thematique SELECT * FROM main.thematique;",
        )?;
        conn.execute(
            "INSERT INTO temp.offre SELECT * FROM main.offre WHERE source_id IN
                 (SELECT id FROM main.source WHERE nom = ?1 OR substr(nom, 1, length(?1) + 1) = ?1 || '/')",
            [source],
        )?;
        let offre_max = conn.query_row("SELECT coalesce(max(id), 0) FROM temp.offre", [], |r| r.get(0))?;
        Etapes::garder_l_avant(conn, "temp", offre_max)?;
        Ok(Etapes {
            conn,
            avant: EnCours {
                agent: String::new(),
                depuis: String::new(),
                hote: String::new(),
                processus: String::new(),
                offre_max,
                source_max: 0,
            },
            pas: None,
            debut: Instant::now(),
            recopie: None,
        })
    }

    /// Has the WAL copied into the base by another thread, on `autre`, a second connection
    /// to the base: the importing connection no longer does it.
    pub fn recopier_avec(&mut self, autre: Connection) -> Result<()> {
        if self.pas.is_some() {
            self.conn.pragma_update(None, "wal_autocheckpoint", 0)?;
            let page = super::taille_de_page(self.conn)?;
            self.recopie = Some(Recopie::lancer(autre, WAL_MAX / page));
        }
        Ok(())
    }

    /// Makes this connection keep each offer of the base, the first time the import
    /// changes it, as it was before.
    fn garder_l_avant(conn: &Connection, schema: &str, offre_max: i64) -> Result<()> {
        let valeurs: Vec<String> = colonnes().iter().map(|c| format!("OLD.{c}")).collect();
        // Not when only the file and line it was read at change (see `Import::lu_dans`).
        conn.execute_batch(&format!(
            "CREATE TEMP TRIGGER IF NOT EXISTS import_garder_l_avant BEFORE UPDATE OF {} ON {schema}.offre
             WHEN OLD.id <= {offre_max}
             BEGIN
                 INSERT OR IGNORE INTO import_avant (offre_id, valeurs) VALUES (OLD.id, json_array({}));
             END",
            colonnes().join(", "),
            valeurs.join(", ")
        ))?;
        Ok(())
    }

    /// Ends the step once it has lasted long enough: the work so far is committed, the
    /// lock left free a moment, and the next step begun.
    pub fn pas(&mut self) -> Result<()> {
        match self.pas {
            Some(pas) if self.debut.elapsed() >= pas => {
                self.conn.execute_batch("COMMIT")?;
                if let Some(r) = &mut self.recopie {
                    r.demander();
                }
                std::thread::sleep(RELACHE);
                if let Some(r) = &mut self.recopie
                    && r.longueur > r.max
                {
                    r.attendre();
                }
                self.conn.execute_batch("BEGIN IMMEDIATE")?;
                self.debut = Instant::now();
                Ok(())
            }
            _ => Ok(()),
        }
    }

    /// The import is done: it is no longer undoable; the copies kept for an undo are then
    /// deleted in steps (what a crash leaves of them, the next import deletes).
    pub fn terminer(mut self) -> Result<()> {
        self.conn
            .execute_batch("DROP TRIGGER IF EXISTS temp.import_garder_l_avant")?;
        if self.pas.is_none() {
            return Ok(());
        }
        self.derniere_etape()?;
        self.conn.execute("DELETE FROM import_en_cours", [])?;
        self.conn.execute_batch("COMMIT")?;
        self.conn.execute_batch("BEGIN IMMEDIATE")?;
        while self.conn.execute(
            "DELETE FROM import_avant WHERE offre_id IN (SELECT offre_id FROM import_avant LIMIT ?1)",
            [PAR_LOT],
        )? > 0
        {
            self.pas()?;
        }
        self.conn.execute_batch("COMMIT")?;
        Ok(())
    }

    /// Undoes the import: the offers it changed are put back as they were, those it
    /// added deleted (or withdrawn, if an action was already linked to one), the sources
    /// it created and left empty deleted; in steps, then committed.
    pub fn annuler(mut self) -> Result<()> {
        let conn = self.conn;
        conn.execute_batch("DROP TRIGGER IF EXISTS temp.import_garder_l_avant")?;
        if self.pas.is_none() {
            return Ok(());
        }
        // The undo deletes offers: with foreign keys checked, as any other command.
        conn.execute_batch("COMMIT")?;
        conn.pragma_update(None, "foreign_keys", true)?;
        conn.execute_batch("BEGIN IMMEDIATE")?;
        let (offre_max, source_max) = (self.avant.offre_max, self.avant.source_max);
        // The thematiques of an offer, as rows of (thematique, offer) to delete or insert.
        let liens = |offres: &str| {
            format!(
                "SELECT t.id, o.id FROM offre o
                 JOIN json_each('[\"' || replace(o.thematiques, ',', '\",\"') || '\"]') j
                 JOIN thematique t ON t.code = j.value
                 WHERE o.id IN ({offres})"
            )
        };
        let changees = "SELECT offre_id FROM import_avant ORDER BY offre_id LIMIT ?1";
        let remettre: Vec<String> = colonnes()
            .iter()
            .enumerate()
            .map(|(i, c)| format!("{c} = json_extract(a.valeurs, '$[{i}]')"))
            .collect();
        loop {
            conn.execute(
                &format!(
                    "DELETE FROM offre_thematique WHERE (thematique_id, offre_id) IN ({})",
                    liens(changees)
                ),
                [PAR_LOT],
            )?;
            conn.execute(
                &format!(
                    "UPDATE offre SET {} FROM (SELECT offre_id, valeurs FROM import_avant ORDER BY offre_id LIMIT ?1) a
                     WHERE offre.id = a.offre_id",
                    remettre.join(", ")
                ),
                [PAR_LOT],
            )?;
            conn.execute(
                &format!(
                    "INSERT OR IGNORE INTO offre_thematique (thematique_id, offre_id) {}",
                    liens(changees)
                ),
                [PAR_LOT],
            )?;
            let remises = conn.execute(
                &format!("DELETE FROM import_avant WHERE offre_id IN ({changees})"),
                [PAR_LOT],
            )?;
            if remises == 0 {
                break;
            }
            self.pas()?;
        }
        // An offer added, then already linked to a person's action: withdrawn, not deleted.
        conn.execute(
            "UPDATE offre SET retiree_le = coalesce(retiree_le, importee_le)
             WHERE id IN (SELECT offre_id FROM action WHERE offre_id > ?1)",
            [offre_max],
        )?;
        let ajoutees = "SELECT id FROM offre WHERE id > ?1 AND id NOT IN (SELECT offre_id FROM action \
                        WHERE offre_id > ?1) ORDER BY id DESC LIMIT ?2";
        loop {
            conn.execute(
                &format!(
                    "DELETE FROM offre_thematique WHERE (thematique_id, offre_id) IN ({})",
                    liens(ajoutees)
                ),
                params![offre_max, PAR_LOT],
            )?;
            let supprimees = conn.execute(
                &format!("DELETE FROM offre WHERE id IN ({ajoutees})"),
                params![offre_max, PAR_LOT],
            )?;
            if supprimees == 0 {
                break;
            }
            self.pas()?;
        }
        conn.execute(
            "DELETE FROM source WHERE id > ?1 AND NOT EXISTS (SELECT 1 FROM offre WHERE source_id = source.id)",
            [source_max],
        )?;
        self.derniere_etape()?;
        conn.execute("DELETE FROM import_en_cours", [])?;
        conn.execute_batch("COMMIT")?;
        Ok(())
    }

    /// Begins the step that ends the import, whose commit reaches the disk (and with it
    /// every step before).
    fn derniere_etape(&mut self) -> Result<()> {
        self.conn.execute_batch("COMMIT")?;
        self.recopie = None;
        self.conn.pragma_update(None, "foreign_keys", true)?;
        self.conn.pragma_update(None, "synchronous", "FULL")?;
        self.conn.pragma_update(None, "wal_autocheckpoint", WAL_APRES)?;
        self.conn.execute_batch("BEGIN IMMEDIATE")?;
        Ok(())
    }

    /// Whether the offer `offre_id`, which this import already changed, was before it as
    /// the parameters `?3…` of `COLONNES` say (`?1` the offer, `?2` unused).
    pub fn avant_sql() -> String {
        let extraits: Vec<String> = colonnes()
            .iter()
            .enumerate()
            .map(|(i, c)| format!("json_extract(valeurs, '$[{i}]') AS {c}"))
            .collect();
        format!(
            "SELECT EXISTS (SELECT 1 FROM (SELECT {} FROM import_avant WHERE offre_id = ?1 ) WHERE NOT ({}))",
            extraits.join(", "),
            super::offre::difference()
        )
    }
}

/// Before an import: another import still running is an error for the caller to word;
/// one whose process died is undone, in steps. Returns the import found, if any, and
/// whether it still runs.
pub fn reprendre(conn: &Connection) -> Result<Option<(EnCours, bool)>> {
    let Some(avant) = en_cours(conn)? else {
        return Ok(None);
    };
    if avant.vivant() {
        return Ok(Some((avant, true)));
    }
    defaire(conn, avant.clone())?;
    Ok(Some((avant, false)))
}

/// In a copy of the base taken while an import ran (a backup): puts the catalogue back
/// as it was before that import, which the copy will never finish. Whether there was one.
pub fn ecarter(conn: &Connection) -> Result<bool> {
    let Some(avant) = en_cours(conn)? else {
        return Ok(false);
    };
    defaire(conn, avant)?;
    Ok(true)
}

fn defaire(conn: &Connection, avant: EnCours) -> Result<()> {
    conn.execute_batch("BEGIN IMMEDIATE")?;
    let etapes = Etapes {
        conn,
        avant,
        pas: Some(PAS),
        debut: Instant::now(),
        recopie: None,
    };
    etapes.annuler()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::offre::{Import, Imports};
    use crate::domain::offre::Offre;
    use chrono::NaiveDate;

    fn jour() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 26).unwrap()
    }

    fn offre(identifiant: &str, nom: &str, thematique: &str) -> Offre {
        Offre {
            identifiant: identifiant.to_owned(),
            nom: nom.to_owned(),
            thematiques: vec![thematique.to_owned()],
            ..Offre::default()
        }
    }

    /// A base on disk (steps are commits that other connections see).
    fn base() -> (tempfile::TempDir, std::path::PathBuf) {
        let dossier = tempfile::tempdir().unwrap();
        let chemin = dossier.path().join("base.sqlite");
        crate::db::creer(&chemin, false, |_| Ok(())).unwrap();
        (dossier, chemin)
    }

    /// Everything an import may change, as text.
    fn catalogue(conn: &Connection) -> Vec<String> {
        let mut lignes = Vec::new();
        for sql in [
            "SELECT id || ' ' || source_id || ' ' || identifiant || ' ' || nom || ' ' || thematiques || ' ' || \
             coalesce(retiree_le, '-') || ' ' || importee_le FROM offre ORDER BY id",
            "SELECT t.code || ' ' || l.offre_id FROM offre_thematique l JOIN thematique t ON t.id = l.thematique_id \
             ORDER BY 1",
            "SELECT id || ' ' || nom FROM source ORDER BY id",
            "SELECT count(*) || '' FROM import_en_cours",
            "SELECT count(*) || '' FROM import_avant",
        ] {
            let mut requete = conn.prepare(sql).unwrap();
            let valeurs = requete.query_map([], |r| r.get::<_, String>(0)).unwrap();
            lignes.extend(valeurs.map(Result::unwrap));
        }
        lignes
    }

    /// Writes `offres` into the source `nom`, withdrawing the absent ones.
    fn ecrire(conn: &Connection, etapes: &mut Etapes<'_>, nom: &str, offres: &[Offre]) {
        let mut imports = Imports::new(conn, jour());
        let import: &mut Import<'_> = imports.de(nom, false).unwrap();
        for o in offres {
            import.enregistrer(o, &o.en_texte()).unwrap();
            etapes.pas().unwrap();
        }
        let (absentes, _) = import.absentes().unwrap();
        import.retirer(&absentes, etapes).unwrap();
    }

    fn premier_import(conn: &Connection) {
        let mut etapes = Etapes::commencer(conn, "admin", "2026-11-26T10:00:00", PAS)
            .unwrap()
            .unwrap();
        let offres = [
            offre("A", "Atelier CV", "se-former--trouver-sa-formation"),
            offre("B", "Permis", "mobilite--preparer-un-permis"),
            offre("C", "Garde", "famille--garde-denfants"),
        ];
        ecrire(conn, &mut etapes, "p", &offres);
        etapes.terminer().unwrap();
    }

    /// A second import that changes A (name and thematique), adds D and a source q,
    /// withdraws C: one step per row.
    fn second_import(conn: &Connection, etapes: &mut Etapes<'_>) {
        let offres = [
            offre(
                "A",
                "Atelier CV et lettre",
                "numerique--acceder-a-des-services-en-ligne",
            ),
            offre("B", "Permis", "mobilite--preparer-un-permis"),
            offre("D", "Logement", "logement-hebergement--louer-un-logement"),
        ];
        ecrire(conn, etapes, "p", &offres);
        ecrire(conn, etapes, "q", &[offre("E", "Santé", "sante--acces-aux-soins")]);
    }

    /// The first import done, the second written in steps of one row each: the catalogue
    /// between them, and the second import, still in progress.
    fn en_cours_du_second(conn: &Connection) -> (Vec<String>, Etapes<'_>) {
        premier_import(conn);
        let avant = catalogue(conn);
        let mut etapes = Etapes::commencer(conn, "admin", "2026-11-26T11:00:00", Duration::ZERO)
            .unwrap()
            .unwrap();
        second_import(conn, &mut etapes);
        (avant, etapes)
    }

    #[test]
    fn an_import_undone_after_several_steps_leaves_the_catalogue_as_it_was() {
        let (_dossier, chemin) = base();
        let conn = crate::db::ouvrir(&chemin).unwrap();
        let (avant, etapes) = en_cours_du_second(&conn);
        // Each row was committed: another connection sees the changes.
        let autre = crate::db::ouvrir(&chemin).unwrap();
        assert_ne!(catalogue(&autre), avant);
        assert!(en_cours(&autre).unwrap().is_some());
        etapes.annuler().unwrap();
        assert_eq!(catalogue(&autre), avant);
    }

    #[test]
    fn an_import_whose_process_died_is_undone_by_the_next() {
        let (_dossier, chemin) = base();
        let conn = crate::db::ouvrir(&chemin).unwrap();
        let (avant, etapes) = en_cours_du_second(&conn);
        // The process dies mid-step: its open step is lost, its committed steps stay.
        drop(etapes);
        drop(conn);
        let conn = crate::db::ouvrir(&chemin).unwrap();
        conn.execute("UPDATE import_en_cours SET processus = '999999999:1'", [])
            .unwrap();
        let (mort, vivant) = reprendre(&conn).unwrap().unwrap();
        assert!(!vivant);
        assert_eq!(mort.agent, "admin");
        assert_eq!(catalogue(&conn), avant);
        assert!(reprendre(&conn).unwrap().is_none());
    }

    #[test]
    fn an_import_still_running_is_not_undone() {
        let (_dossier, chemin) = base();
        let conn = crate::db::ouvrir(&chemin).unwrap();
        let (_, etapes) = en_cours_du_second(&conn);
        let autre = crate::db::ouvrir(&chemin).unwrap();
        let ecrit = catalogue(&autre);
        let (_, vivant) = reprendre(&autre).unwrap().unwrap();
        assert!(vivant);
        assert_eq!(catalogue(&autre), ecrit);
        let deuxieme = Etapes::commencer(&autre, "admin", "2026-11-26T11:30:00", PAS).unwrap();
        assert_eq!(deuxieme.err().unwrap().depuis, "2026-11-26T11:00:00");
        etapes.terminer().unwrap();
        assert!(reprendre(&autre).unwrap().is_none());
    }

    #[test]
    fn a_preview_writes_nothing_of_the_base_and_leaves_the_lock_free() {
        let (_dossier, chemin) = base();
        let mut conn = crate::db::ouvrir(&chemin).unwrap();
        premier_import(&conn);
        let avant = catalogue(&conn);
        let tx = crate::db::lecture(&mut conn).unwrap();
        let mut etapes = Etapes::apercu(&tx, "p").unwrap();
        // As the preview goes, another command writes at once.
        let autre = crate::db::ouvrir(&chemin).unwrap();
        autre.busy_handler(Some(deux_secondes)).unwrap();
        second_import(&tx, &mut etapes);
        autre.execute_batch("BEGIN IMMEDIATE; COMMIT").unwrap();
        // The preview sees its own writes: A changed, C withdrawn, D and q added.
        let apercu = catalogue(&tx);
        assert!(apercu.iter().any(|l| l.contains("Atelier CV et lettre")), "{apercu:?}");
        assert!(apercu.iter().any(|l| l.ends_with(" q")), "{apercu:?}");
        etapes.terminer().unwrap();
        tx.rollback().unwrap();
        assert_eq!(catalogue(&autre), avant);
        assert_eq!(catalogue(&conn), avant);
    }

    #[test]
    fn the_wal_is_copied_into_the_base_by_another_thread_as_the_steps_go() {
        let (_dossier, chemin) = base();
        let conn = crate::db::ouvrir(&chemin).unwrap();
        let taille = || std::fs::metadata(&chemin).unwrap().len();
        let avant = taille();
        let mut etapes = Etapes::commencer(&conn, "admin", "2026-11-26T10:00:00", Duration::ZERO)
            .unwrap()
            .unwrap();
        etapes.recopier_avec(crate::db::ouvrir(&chemin).unwrap()).unwrap();
        let description = "Une description assez longue pour remplir des pages. ".repeat(4);
        let offres: Vec<Offre> = (0..300)
            .map(|i| Offre {
                description: Some(description.clone()),
                ..offre(&format!("O{i}"), "Offre", "sante--acces-aux-soins")
            })
            .collect();
        ecrire(&conn, &mut etapes, "p", &offres);
        etapes.recopie.as_mut().unwrap().attendre();
        // The importing connection never copies (its automatic copy is off), and the
        // import is not over: the other thread copied the steps into the base.
        let pendant = taille();
        assert!(pendant > avant + 50_000, "{avant} → {pendant}");
        assert!(en_cours(&crate::db::ouvrir(&chemin).unwrap()).unwrap().is_some());
        etapes.terminer().unwrap();
        assert_eq!(catalogue(&conn).iter().filter(|l| l.contains(" Offre ")).count(), 300);
    }

    #[test]
    fn foreign_keys_are_checked_again_once_an_import_ends_or_is_undone() {
        let cles = |conn: &Connection| {
            conn.query_row("PRAGMA foreign_keys", [], |r| r.get::<_, bool>(0))
                .unwrap()
        };
        let (_dossier, chemin) = base();
        let conn = crate::db::ouvrir(&chemin).unwrap();
        let (_, etapes) = en_cours_du_second(&conn);
        assert!(!cles(&conn), "not checked while the import writes its own keys");
        etapes.annuler().unwrap();
        assert!(cles(&conn));
        let (_dossier, chemin) = base();
        let conn = crate::db::ouvrir(&chemin).unwrap();
        premier_import(&conn);
        assert!(cles(&conn));
        let orphelins: i64 = conn
            .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| r.get(0))
            .unwrap();
        assert_eq!(orphelins, 0);
    }

    #[test]
    fn a_process_killed_but_not_reaped_no_longer_runs() {
        let mut enfant = std::process::Command::new("sleep").arg("30").spawn().unwrap();
        let pid = enfant.id().to_string();
        let vivant = processus(&pid).unwrap();
        assert!(vivant.starts_with(&format!("{pid}:")), "{vivant}");
        assert_eq!(processus("self").map(|p| p.starts_with("self:")), Some(true));
        enfant.kill().unwrap();
        // Not waited for yet: a zombie, until its parent reaps it.
        let mut essais = 0;
        while processus(&pid).is_some() && essais < 500 {
            std::thread::sleep(Duration::from_millis(2));
            essais += 1;
        }
        assert_eq!(processus(&pid), None);
        enfant.wait().unwrap();
    }

    /// Gives up after 2 s of waiting for the lock.
    fn deux_secondes(essais: i32) -> bool {
        std::thread::sleep(Duration::from_millis(2));
        essais < 1000
    }

    #[test]
    fn another_command_writes_between_two_steps_of_a_long_import() {
        let (_dossier, chemin) = base();
        let fini = std::sync::atomic::AtomicBool::new(false);
        let commence = std::sync::Barrier::new(2);
        std::thread::scope(|fils| {
            fils.spawn(|| {
                let conn = crate::db::ouvrir(&chemin).unwrap();
                let mut etapes = Etapes::commencer(&conn, "admin", "2026-11-26T10:00:00", PAS)
                    .unwrap()
                    .unwrap();
                let mut imports = Imports::new(&conn, jour());
                let import = imports.de("p", false).unwrap();
                commence.wait();
                let mut i = 0;
                while !fini.load(std::sync::atomic::Ordering::Relaxed) {
                    let o = offre(&format!("O{i}"), "Offre", "sante--acces-aux-soins");
                    import.enregistrer(&o, &o.en_texte()).unwrap();
                    etapes.pas().unwrap();
                    i += 1;
                }
                drop(imports);
                etapes.terminer().unwrap();
            });
            commence.wait();
            // Ends the import even if an assertion fails.
            struct Fin<'a>(&'a std::sync::atomic::AtomicBool);
            impl Drop for Fin<'_> {
                fn drop(&mut self) {
                    self.0.store(true, std::sync::atomic::Ordering::Relaxed);
                }
            }
            let _fin = Fin(&fini);
            let conn = crate::db::ouvrir(&chemin).unwrap();
            conn.busy_handler(Some(deux_secondes)).unwrap();
            for i in 0..5 {
                std::thread::sleep(Duration::from_millis(100));
                conn.execute_batch("BEGIN IMMEDIATE").unwrap();
                crate::db::acces::consigner(&conn, "2026-11-26T10:00:01", "m.durand", "parcours voir", Some(i))
                    .unwrap();
                conn.execute_batch("COMMIT").unwrap();
            }
            assert!(en_cours(&conn).unwrap().is_some(), "the import ran all along");
        });
    }
}
