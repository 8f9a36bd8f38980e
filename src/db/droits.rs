//! The person's rights: access (everything held on them) and erasure (an anonymous
//! residue only). Both find the person's rows by walking the foreign keys of the schema
//! from `personne`, so that a table added later cannot be forgotten.

use std::collections::BTreeMap;

use anyhow::Result;
use chrono::NaiveDate;
use rusqlite::types::ValueRef;
use rusqlite::{Connection, params};
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
    let mut contenu = Map::new();
    for (table, condition) in &tables {
        let rows = lignes(conn, &format!("SELECT * FROM {table} WHERE {condition}"), dossier)?;
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

/// What erasure does to each column that can hold identifying or free text; every other
/// column of the person's tables holds codes, dates or numbers, kept for statistics.
/// (A test checks that every text column of those tables is listed here or in `CODES`.)
pub const ANONYMISATION: &[(&str, &str, &str)] = &[
    ("personne", "nom", "''"),
    ("personne", "prenom", "''"),
    ("personne", "nom_norm", "''"),
    ("personne", "prenom_norm", "''"),
    ("personne", "naissance", "substr(naissance, 1, 4) || '-01-01'"),
    ("personne", "telephone", "NULL"),
    ("personne", "courriel", "NULL"),
    ("journal", "texte", "''"),
    ("diagnostic_contrainte", "commentaire", "NULL"),
    ("orientation", "motif", "NULL"),
    ("objectif", "libelle", "NULL"),
    ("action", "libelle", "''"),
    ("membre", "motif_sans_consentement", "NULL"),
    ("diagnostic", "explication", "''"),
];

/// Text columns of the person's tables that hold only codes or dates.
pub const CODES: &[&str] = &[
    "cree_le", "commune", "sexe", "publics", "efface_le", "entree", "sortie", "motif_sortie", "debut", "fin", "date",
    "projet", "niveau_formation", "orientation_suggeree", "dimension", "niveau", "situations", "thematique",
    "orientation", "suggestion", "statut", "statut_le", "echeance", "type", "horodatage", "agent", "commande",
    "empreinte",
];

/// Erases the person of `dossier`: identity, contacts and every free text are removed,
/// dates and codes stay so that past statistics do not change. Returns the number of
/// rows touched per table.
pub fn effacer(conn: &Connection, dossier: i64, jour: NaiveDate) -> Result<BTreeMap<String, usize>> {
    let tables = tables_de_la_personne(conn)?;
    let mut touchees = BTreeMap::new();
    for (table, condition) in &tables {
        let colonnes: Vec<String> = ANONYMISATION
            .iter()
            .filter(|(t, _, _)| t == table)
            .map(|(_, c, valeur)| format!("{c} = {valeur}"))
            .collect();
        if colonnes.is_empty() {
            continue;
        }
        let n = conn.execute(
            &format!("UPDATE {table} SET {} WHERE {condition}", colonnes.join(", ")),
            params![dossier],
        )?;
        touchees.insert(table.clone(), n);
    }
    conn.execute(
        "UPDATE personne SET efface_le = ?2 WHERE dossier = ?1",
        params![dossier, jour],
    )?;
    Ok(touchees)
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

    /// Erasure knows every text column of the person's tables: each one is either
    /// anonymised or listed as holding codes or dates. A new free-text column fails here
    /// until it is classified.
    #[test]
    fn every_text_column_of_the_persons_tables_is_classified() {
        let conn = base();
        for table in tables_de_la_personne(&conn).unwrap().keys() {
            let colonnes: Vec<(String, String)> = conn
                .prepare("SELECT name, type FROM pragma_table_info(?1)")
                .unwrap()
                .query_map([table], |r| Ok((r.get(0)?, r.get(1)?)))
                .unwrap()
                .map(Result::unwrap)
                .collect();
            for (colonne, genre) in colonnes {
                if genre != "TEXT" {
                    continue;
                }
                let anonymisee = ANONYMISATION.iter().any(|(t, c, _)| t == table && *c == colonne);
                assert!(
                    anonymisee || CODES.contains(&colonne.as_str()),
                    "{table}.{colonne} n'est pas classée"
                );
            }
        }
    }
}

/// A dossier the retention rule says to erase.
#[derive(Debug, serde::Serialize)]
pub struct APurger {
    pub dossier: i64,
    /// The last contact with the person, or the last exit without any contact.
    pub dernier_contact: chrono::NaiveDate,
}

/// Dossiers whose parcours are all closed and whose last contact from the person (or,
/// without contact, last exit) is before `avant`.
pub fn a_purger(conn: &Connection, avant: NaiveDate) -> Result<Vec<APurger>> {
    let sql = format!(
        "SELECT pe.dossier,
                coalesce((SELECT max(j.date) FROM journal j JOIN parcours p ON p.id = j.parcours_id
                           WHERE p.dossier = pe.dossier AND j.type IN ({})),
                         (SELECT max(p.sortie) FROM parcours p WHERE p.dossier = pe.dossier)) AS dernier
         FROM personne pe
         WHERE pe.efface_le IS NULL
           AND NOT EXISTS (SELECT 1 FROM parcours p WHERE p.dossier = pe.dossier AND p.sortie IS NULL)
           AND dernier < ?1
         ORDER BY pe.dossier",
        super::suivi::types_contact()
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
