//! The person's rights: access (everything held on them) and erasure (nothing but
//! counts in the residue). Both find the person's rows by walking the foreign keys of the schema
//! from `personne`, so that a table added later cannot be forgotten.

use std::collections::BTreeMap;

use crate::domain::parcours::APurger;
use anyhow::Result;
use chrono::NaiveDate;
use rusqlite::types::ValueRef;
use rusqlite::{Connection, OptionalExtension, params};
use serde_json::{Map, Value, json};

/// A foreign key: `table.colonne` references `parent.cible`.
struct Cle {
    table: String,
    colonne: String,
    parent: String,
    cible: String,
}

fn cles_etrangeres(conn: &Connection) -> Result<Vec<Cle>> {
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let mut cles = Vec::new();
    for table in tables {
        let mut stmt = conn.prepare("SELECT \"table\", \"from\", \"to\" FROM pragma_foreign_key_list(?1)")?;
        let lignes = stmt.query_map([&table], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, Option<String>>(2)?,
            ))
        })?;
        for ligne in lignes {
            let (parent, colonne, cible) = ligne?;
            // A key without target column references the parent's primary key.
            let cible = cible.unwrap_or_else(|| {
                if parent == "personne" {
                    "dossier".into()
                } else {
                    "id".into()
                }
            });
            cles.push(Cle {
                table: table.clone(),
                colonne,
                parent,
                cible,
            });
        }
    }
    Ok(cles)
}

/// For every table holding rows about the person, the SQL condition that selects them
/// (with `?1` the dossier), found by walking the foreign keys down from `personne`.
pub fn tables_de_la_personne(conn: &Connection) -> Result<BTreeMap<String, String>> {
    let cles = cles_etrangeres(conn)?;
    let mut conditions: BTreeMap<String, String> = BTreeMap::new();
    conditions.insert("personne".into(), "dossier = ?1".into());
    // The audit trail names the dossier without a foreign key (it outlives an erasure):
    // who consulted the dossier is part of what the person may know.
    conditions.insert("acces".into(), "dossier = ?1".into());
    // Breadth first: a table is reached once all the tables it hangs on are known.
    loop {
        let mut nouvelles = Vec::new();
        for table in cles.iter().map(|c| &c.table) {
            if conditions.contains_key(table) || nouvelles.iter().any(|(t, _)| t == table) {
                continue;
            }
            let chemins: Vec<String> = cles
                .iter()
                .filter(|c| &c.table == table)
                .filter_map(|c| {
                    conditions
                        .get(&c.parent)
                        .map(|cond| format!("{} IN (SELECT {} FROM {} WHERE {cond})", c.colonne, c.cible, c.parent))
                })
                .collect();
            if !chemins.is_empty() {
                nouvelles.push((table.clone(), chemins.join(" OR ")));
            }
        }
        if nouvelles.is_empty() {
            break;
        }
        conditions.extend(nouvelles);
    }
    Ok(conditions)
}

/// The names the person can read in place of the base's internal numbers: agents and
/// structures by name, communes by name beside their INSEE code.
struct Noms {
    agents: BTreeMap<i64, String>,
    structures: BTreeMap<i64, String>,
    /// The audit trail names agents by identifier: their name and structure, as the
    /// person reads them (to the person, every agent is of another structure).
    par_identifiant: BTreeMap<String, String>,
}

impl Noms {
    fn lire(conn: &Connection) -> Result<Noms> {
        let paires = |sql: &str| -> Result<BTreeMap<i64, String>> {
            Ok(conn
                .prepare(sql)?
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<rusqlite::Result<_>>()?)
        };
        Ok(Noms {
            agents: paires(
                "SELECT a.id, a.nom || ' (' || s.nom || ')' FROM agent a JOIN structure s ON s.id = a.structure_id",
            )?,
            structures: paires("SELECT id, nom FROM structure")?,
            par_identifiant: conn
                .prepare("SELECT a.identifiant, a.nom || ' (' || s.nom || ')' FROM agent a JOIN structure s ON s.id = a.structure_id")?
                .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<rusqlite::Result<_>>()?,
        })
    }

    /// `agent_id: 2` becomes `agent: "Marc Durand (CCAS de Verdun)"` (a login means nothing
    /// to the person), `structure_id: 1` becomes
    /// `structure: "CCAS de Verdun"`; a `commune` code gets its `commune_nom`; an entry of
    /// the audit trail keeps its `agent` identifier and gets its `agent_nom`.
    fn nommer(&self, table: &str, ligne: &mut Map<String, Value>, cles: &[Cle]) {
        if table == "acces"
            && let Some(nom) = ligne
                .get("agent")
                .and_then(Value::as_str)
                .and_then(|a| self.par_identifiant.get(a))
        {
            ligne.insert("agent_nom".into(), json!(nom));
        }
        for cle in cles.iter().filter(|c| c.table == table) {
            let noms = match cle.parent.as_str() {
                "agent" => &self.agents,
                "structure" => &self.structures,
                _ => continue,
            };
            let Some(id) = ligne.get(&cle.colonne).and_then(Value::as_i64) else {
                continue;
            };
            let nom = cle.colonne.strip_suffix("_id").unwrap_or(&cle.colonne).to_owned();
            let nom = if nom == cle.colonne || ligne.contains_key(&nom) {
                format!("{}_nom", cle.colonne)
            } else {
                nom
            };
            ligne.remove(&cle.colonne);
            ligne.insert(nom, noms.get(&id).map_or(Value::Null, |n| json!(n)));
        }
        if let Some(commune) = ligne
            .get("commune")
            .and_then(Value::as_str)
            .and_then(crate::referentiel::communes::par_code)
        {
            ligne.insert("commune_nom".into(), json!(commune.nom));
        }
    }
}

fn valeur(v: ValueRef) -> Value {
    match v {
        ValueRef::Null => Value::Null,
        ValueRef::Integer(i) => json!(i),
        ValueRef::Real(f) => json!(f),
        ValueRef::Text(t) => json!(String::from_utf8_lossy(t)),
        ValueRef::Blob(b) => json!(b.iter().map(|o| format!("{o:02x}")).collect::<String>()),
    }
}

fn lignes(conn: &Connection, sql: &str, dossier: i64) -> Result<Vec<Value>> {
    let mut stmt = conn.prepare(sql)?;
    let noms: Vec<String> = stmt.column_names().iter().map(|n| n.to_string()).collect();
    let mut rows = stmt.query(params![dossier])?;
    let mut sortie = Vec::new();
    while let Some(r) = rows.next()? {
        let mut objet = Map::new();
        for (i, nom) in noms.iter().enumerate() {
            objet.insert(nom.clone(), valeur(r.get_ref(i)?));
        }
        sortie.push(Value::Object(objet));
    }
    Ok(sortie)
}

/// Everything the base holds on the person of `dossier`, table by table, with the agents
/// and structures those rows name.
pub fn exporter(conn: &Connection, dossier: i64, jour: NaiveDate) -> Result<Value> {
    let tables = tables_de_la_personne(conn)?;
    let cles = cles_etrangeres(conn)?;
    let noms = Noms::lire(conn)?;
    let recus = recus(conn, dossier)?;
    let mut contenu = Map::new();
    for (table, condition) in &tables {
        let mut rows = lignes(conn, &format!("SELECT * FROM {table} WHERE {condition}"), dossier)?;
        for ligne in rows.iter_mut().filter_map(Value::as_object_mut) {
            noms.nommer(table, ligne, &cles);
            let id = ligne.get("id").and_then(Value::as_i64);
            if let Some((auteur, de)) = id.and_then(|id| recus.get(&(table.clone(), id))) {
                // Received from a partner: written by its author there, stored by the
                // agent of this base who received it.
                if let Some(agent) = ligne.remove("agent") {
                    ligne.insert("recu_par".into(), agent);
                }
                ligne.insert("auteur".into(), json!(auteur));
                ligne.insert("recu_de".into(), json!(de));
            }
        }
        contenu.insert(table.clone(), Value::Array(rows));
    }
    // The agents and structures named by those rows, for the person to read who did what.
    let cites = |parent: &str| -> String {
        let sources: Vec<String> = cles
            .iter()
            .filter(|c| c.parent == parent && tables.contains_key(&c.table))
            .map(|c| format!("SELECT {} FROM {} WHERE {}", c.colonne, c.table, tables[&c.table]))
            .collect();
        sources.join(" UNION ")
    };
    let agents = cites("agent");
    let mut references = Map::new();
    let sql_agents = format!("SELECT id, identifiant, nom, structure_id FROM agent WHERE id IN ({agents})");
    references.insert("agents".into(), Value::Array(lignes(conn, &sql_agents, dossier)?));
    let sql_structures = format!(
        "SELECT id, nom FROM structure WHERE id IN ({}) OR id IN (SELECT structure_id FROM agent WHERE id IN ({agents}))",
        cites("structure")
    );
    references.insert(
        "structures".into(),
        Value::Array(lignes(conn, &sql_structures, dossier)?),
    );
    Ok(json!({
        "dossier": dossier,
        "exporte_le": jour,
        "tables": contenu,
        "references": references,
    }))
}

/// Records received from a partner structure, by table and number in this base: their
/// author as the file named them, and the partner's name here.
type Recus = BTreeMap<(String, i64), (String, Option<String>)>;

/// The records of `dossier` received from a partner structure.
fn recus(conn: &Connection, dossier: i64) -> Result<Recus> {
    let mut stmt = conn.prepare(
        "SELECT e.nature, e.local_id, e.auteur, s.nom FROM echange_element e
         LEFT JOIN structure s ON s.id = e.origine
         WHERE e.parcours_id IN (SELECT id FROM parcours WHERE dossier = ?1)",
    )?;
    let lignes = stmt.query_map([dossier], |r| {
        Ok((r.get::<_, String>(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
    })?;
    let mut recus = BTreeMap::new();
    for ligne in lignes {
        let (nature, id, auteur, de) = ligne?;
        let table = match nature.as_str() {
            "journal" => "journal",
            "orientation" => "orientation",
            "diagnostic" => "diagnostic",
            "objectif" => "objectif",
            "action" => "action",
            "statut" => "action_statut",
            _ => continue,
        };
        recus.insert((table.to_owned(), id), (auteur, de));
    }
    Ok(recus)
}

/// Erases the person of `dossier`: what their rows count in past months' figures goes
/// to the residue (counts by month and group), then every row about them is deleted.
/// Only the dossier number and the date remain, so that the number is never given again
/// and the audit trail, which names it, still reads. Returns the rows deleted per table.
pub fn effacer(conn: &Connection, dossier: i64, jour: NaiveDate) -> Result<BTreeMap<String, usize>> {
    super::stats::verser_au_residu(conn, dossier, jour)?;
    let mut tables = tables_de_la_personne(conn)?;
    tables.remove("acces");
    let cles = cles_etrangeres(conn)?;
    let mut supprimees = BTreeMap::new();
    for (table, condition) in ordre_d_effacement(tables, &cles) {
        let n = conn
            .prepare_cached(&format!("DELETE FROM {table} WHERE {condition}"))?
            .execute(params![dossier])?;
        supprimees.insert(table, n);
    }
    conn.execute(
        "INSERT INTO dossier_efface (dossier, efface_le) VALUES (?1, ?2)",
        params![dossier, jour],
    )?;
    Ok(supprimees)
}

/// The tables in an order where each one comes before every table it references: no
/// row is deleted while another still points to it.
fn ordre_d_effacement(mut tables: BTreeMap<String, String>, cles: &[Cle]) -> Vec<(String, String)> {
    let mut ordre = Vec::new();
    while !tables.is_empty() {
        let libre = tables
            .keys()
            .find(|t| {
                !cles
                    .iter()
                    .any(|c| &c.parent == *t && c.table != **t && tables.contains_key(&c.table))
            })
            .cloned();
        // The schema has no cycle of foreign keys; if it had one, delete in name order.
        let table = libre.unwrap_or_else(|| tables.keys().next().cloned().expect("not empty"));
        let condition = tables.remove(&table).expect("present");
        ordre.push((table, condition));
    }
    ordre
}

/// The date `dossier` was erased, if it was.
pub fn efface_le(conn: &Connection, dossier: i64) -> Result<Option<NaiveDate>> {
    Ok(conn
        .prepare_cached("SELECT efface_le FROM dossier_efface WHERE dossier = ?1")?
        .query_row([dossier], |r| r.get(0))
        .optional()?)
}

/// Migration 0008: dossiers erased before it kept anonymised rows (dates, codes, the
/// birth year, the commune), enough to single some people out. Their counts go to the
/// residue and the rows are deleted, as a new erasure does.
pub fn effacer_anciens_residus(conn: &Connection) -> Result<()> {
    let anciens: Vec<(i64, NaiveDate)> = conn
        .prepare("SELECT dossier, efface_le FROM personne WHERE efface_le IS NOT NULL")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (dossier, jour) in anciens {
        effacer(conn, dossier, jour)?;
    }
    conn.execute_batch("ALTER TABLE personne DROP COLUMN efface_le")?;
    Ok(())
}

/// Dossiers whose parcours are all closed and whose last contact with the person (see
/// [`crate::domain::suivi::contact`]; without contact, last exit) is before `avant`.
pub fn a_purger(conn: &Connection, avant: NaiveDate) -> Result<Vec<APurger>> {
    let sql = format!(
        "SELECT pe.dossier,
                coalesce((SELECT max({}) FROM parcours p WHERE p.dossier = pe.dossier),
                         (SELECT max(p.sortie) FROM parcours p WHERE p.dossier = pe.dossier)) AS dernier
         FROM personne pe
         WHERE NOT EXISTS (SELECT 1 FROM parcours p WHERE p.dossier = pe.dossier AND p.sortie IS NULL)
           AND dernier < ?1
         ORDER BY pe.dossier",
        super::suivi::dernier_contact("p")
    );
    let lignes = conn
        .prepare(&sql)?
        .query_map([avant], |r| {
            Ok(APurger {
                dossier: r.get(0)?,
                dernier_contact: r.get(1)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(lignes)
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
    fn the_walk_reaches_every_table_hanging_on_a_person() {
        let tables = tables_de_la_personne(&base()).unwrap();
        let noms: Vec<&str> = tables.keys().map(String::as_str).collect();
        for attendue in [
            "personne", "parcours", "referent", "diagnostic", "diagnostic_contrainte", "journal", "action_statut",
        ] {
            assert!(noms.contains(&attendue), "{attendue} manque : {noms:?}");
        }
        for exclue in ["agent", "structure", "meta"] {
            assert!(!noms.contains(&exclue), "{exclue}");
        }
        assert!(tables["diagnostic_contrainte"].contains("diagnostic_id IN (SELECT id FROM diagnostic WHERE"));
    }

    /// Every table is deleted before the tables it references (an orientation before the
    /// diagnostic it follows, an action before its objective).
    #[test]
    fn erasure_deletes_children_before_parents() {
        let conn = base();
        let cles = cles_etrangeres(&conn).unwrap();
        let ordre: Vec<String> = ordre_d_effacement(tables_de_la_personne(&conn).unwrap(), &cles)
            .into_iter()
            .map(|(t, _)| t)
            .collect();
        let rang = |t: &str| ordre.iter().position(|x| x == t);
        for c in &cles {
            if let (Some(enfant), Some(parent)) = (rang(&c.table), rang(&c.parent))
                && c.table != c.parent
            {
                assert!(enfant < parent, "{} avant {} : {ordre:?}", c.parent, c.table);
            }
        }
        assert!(rang("orientation") < rang("diagnostic"));
    }
}
