//! The commands a caseworker types about one person read through indexes: on a demo base,
//! no statement they run steps through a table that grows with the base (docs/performance.md).

use super::commun::Env;

/// More rows than any table that does not grow with the base holds in the demo (agents,
/// structures, sources).
const PARCOURS_COMPLET: i64 = 100;

/// Tables that stay small whatever the number of dossiers: a scan of them is fine.
const PETITES: &[&str] = &["agent", "structure", "source", "meta"];

/// The table behind each name or alias of a statement's FROM and JOIN clauses.
fn tables(sql: &str) -> Vec<(String, String)> {
    let mots: Vec<&str> = sql
        .split(|c: char| c.is_whitespace() || c == '(' || c == ')' || c == ',')
        .filter(|m| !m.is_empty())
        .collect();
    let mut noms = Vec::new();
    for (i, m) in mots.iter().enumerate() {
        if (m.eq_ignore_ascii_case("FROM") || m.eq_ignore_ascii_case("JOIN"))
            && let Some(table) = mots.get(i + 1)
        {
            noms.push((table.to_string(), table.to_string()));
            let mut j = i + 2;
            if mots.get(j).is_some_and(|m| m.eq_ignore_ascii_case("AS")) {
                j += 1;
            }
            if let Some(alias) = mots.get(j)
                && alias
                    .chars()
                    .all(|c| c.is_ascii_lowercase() || c == '_' || c.is_ascii_digit())
            {
                noms.push((alias.to_string(), table.to_string()));
            }
        }
    }
    noms
}

/// The growing tables a plan reads whole ("SCAN x", x a table or its alias).
fn parcours_complets(sql: &str, plan: &str) -> Vec<String> {
    let noms = tables(sql);
    plan.lines()
        .filter_map(|l| l.trim().strip_prefix("SCAN "))
        .filter_map(|reste| reste.split_whitespace().next())
        .filter_map(|nom| noms.iter().find(|(n, _)| n == nom).map(|(_, t)| t.clone()))
        .filter(|t| !PETITES.contains(&t.as_str()))
        .collect()
}

/// Runs a command with the SQL trace on; returns (rows stepped by full scans, SQL) for each
/// statement it ran.
fn tracer(env: &Env, args: &[&str]) -> Vec<(i64, String)> {
    let trace = env.dir.path().join("trace.tsv");
    let _ = std::fs::remove_file(&trace);
    let out = env.spie(args).env("SPIE_TRACE_SQL", &trace).output().unwrap();
    assert!(
        out.status.success(),
        "{args:?} : {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let texte = std::fs::read_to_string(&trace).expect("trace écrite");
    texte
        .lines()
        .map(|l| {
            let (n, sql) = l.split_once('\t').unwrap();
            (n.parse().unwrap(), serde_json::from_str(sql).unwrap())
        })
        .collect()
}

fn plan(env: &Env, sql: &str) -> String {
    let conn = rusqlite::Connection::open(env.base()).unwrap();
    let mut stmt = conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}")).unwrap();
    // The plan does not depend on the values: every parameter left NULL.
    let nuls = vec![rusqlite::types::Null; stmt.parameter_count()];
    stmt.query_map(rusqlite::params_from_iter(nuls), |r| r.get::<_, String>(3))
        .unwrap()
        .map(Result::unwrap)
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn per_dossier_commands_never_scan_a_growing_table() {
    let mut env = Env::vide();
    env.agent = "demo".into();
    env.ok(&["demo", "--personnes", "400"]);
    // A dossier the demo's agent may read: one its structure holds.
    let (dossier, nom, referent): (i64, String, String) = {
        let conn = rusqlite::Connection::open(env.base()).unwrap();
        conn.query_row(
            "SELECT pa.dossier, substr(pe.nom, 1, 4), a.identifiant FROM parcours pa
             JOIN personne pe ON pe.dossier = pa.dossier
             JOIN referent r ON r.parcours_id = pa.id AND r.fin IS NULL JOIN agent a ON a.id = r.agent_id
             WHERE pa.sortie IS NULL AND EXISTS (SELECT 1 FROM diagnostic d WHERE d.parcours_id = pa.id)
               AND pa.structure_id = (SELECT structure_id FROM agent WHERE identifiant = 'demo')
             ORDER BY pa.dossier LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap()
    };
    let dossier = dossier.to_string();
    // The dossier's référent: the demo's own agent has no link with it (the rule of
    // docs/protection-des-donnees.md).
    env.agent = referent.clone();
    let mut vues = 0;
    for args in [
        vec!["parcours", "voir", &dossier],
        vec!["parcours", "chercher", &nom],
        vec!["diagnostic", "voir", &dossier],
        vec!["offre", "proposer", &dossier],
        vec!["parcours", "liste", "--referent", &referent],
    ] {
        let statements = tracer(&env, &args);
        assert!(statements.len() > 3, "{args:?} : trace vide");
        for (parcourues, sql) in statements {
            vues += 1;
            let plan = plan(&env, &sql);
            // A scan that stops at once (the last row of the access journal) reads nothing.
            let completes = if parcourues > 0 {
                parcours_complets(&sql, &plan)
            } else {
                Vec::new()
            };
            assert!(
                parcourues < PARCOURS_COMPLET && completes.is_empty(),
                "{args:?} parcourt {parcourues} lignes sans index ({completes:?}) :\n{sql}\n{plan}"
            );
        }
    }
    assert!(vues > 30, "{vues} requêtes seulement");
}

/// The searches of a plan that read a growing table through a range of its index only
/// ("SEARCH r USING INDEX rdv_debut (debut<?)"): all the base's rows of a period, not the
/// agent's.
fn plages(sql: &str, plan: &str) -> Vec<String> {
    let noms = tables(sql);
    plan.lines()
        .filter_map(|l| l.trim().strip_prefix("SEARCH "))
        .filter(|reste| reste.contains('(') && !reste.contains("=?"))
        .filter(|reste| {
            let nom = reste.split_whitespace().next().unwrap_or_default();
            noms.iter()
                .find(|(n, _)| n == nom)
                .is_some_and(|(_, t)| !PETITES.contains(&t.as_str()))
        })
        .map(str::to_owned)
        .collect()
}

/// The names of a statement's CTEs (`WITH x AS …, y AS …`) and the aliases given to them.
fn ctes(sql: &str) -> Vec<String> {
    let mots: Vec<&str> = sql
        .split(|c: char| c.is_whitespace() || c == '(' || c == ')' || c == ',')
        .filter(|m| !m.is_empty())
        .collect();
    let mut noms: Vec<String> = mots
        .windows(2)
        .filter(|w| w[1].eq_ignore_ascii_case("AS") && w[0].chars().all(|c| c.is_ascii_lowercase() || c == '_'))
        .map(|w| w[0].to_owned())
        .filter(|n| sql.contains(&format!("{n} AS MATERIALIZED")) || sql.contains(&format!("{n} AS (")))
        .collect();
    for w in mots.windows(3) {
        if (w[0].eq_ignore_ascii_case("FROM") || w[0].eq_ignore_ascii_case("JOIN"))
            && noms.iter().any(|n| n == w[1])
            && w[2].chars().all(|c| c.is_ascii_lowercase())
        {
            noms.push(w[2].to_owned());
        }
    }
    noms
}

#[test]
fn the_agents_day_reads_the_agents_rows_not_the_base() {
    let mut env = Env::vide();
    env.agent = "demo".into();
    env.ok(&["demo", "--personnes", "400"]);
    // A référent of the demo, with appointments planned today and past without outcome
    // across the base.
    let referent: String = {
        let conn = rusqlite::Connection::open(env.base()).unwrap();
        conn.execute_batch(
            "INSERT INTO rdv (parcours_id, agent_id, debut, type, statut, cree_le, cree_par)
             SELECT pa.id, r.agent_id, CASE pa.id % 2 WHEN 0 THEN '2026-11-26T10:00' ELSE '2026-11-20T10:00' END,
                    'suivi', 'prevu', '2026-11-19', r.agent_id
             FROM parcours pa JOIN referent r ON r.parcours_id = pa.id AND r.fin IS NULL WHERE pa.sortie IS NULL",
        )
        .unwrap();
        conn.query_row(
            "SELECT a.identifiant FROM referent r JOIN agent a ON a.id = r.agent_id
             WHERE r.fin IS NULL AND a.role = 'referent' GROUP BY a.id ORDER BY count(*) DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap()
    };
    env.agent = referent;
    for args in [
        vec!["parcours", "a-faire"],
        vec!["rdv", "agenda", "--semaine"],
        vec!["parcours", "liste", "--mes-dossiers"],
    ] {
        for (parcourues, sql) in tracer(&env, &args) {
            let plan = plan(&env, &sql);
            // A scan of a materialised CTE reads what the statement selected already.
            let ctes = ctes(&sql);
            let plan: String = plan
                .lines()
                .filter(|l| {
                    let nom = l.trim().strip_prefix("SCAN ").and_then(|r| r.split_whitespace().next());
                    !nom.is_some_and(|n| ctes.iter().any(|c| c == n))
                })
                .collect::<Vec<_>>()
                .join("\n");
            let completes = if parcourues > 0 {
                parcours_complets(&sql, &plan)
            } else {
                Vec::new()
            };
            let plages = plages(&sql, &plan);
            // The structure's parcours without référent, through the partial index: not
            // every parcours of the structure.
            assert!(!plan.contains("INDEX parcours_structure "), "{args:?} :\n{sql}\n{plan}");
            assert!(
                completes.is_empty() && plages.is_empty(),
                "{args:?} lit des tables entières ({completes:?}) ou des périodes de toute la base ({plages:?}) :\n{sql}\n{plan}"
            );
        }
    }
}

/// Deleting a row checks every foreign key that points to it: each child column needs an
/// index (a whole one, not partial) that begins with it, or each delete reads the child table
/// whole — undoing an interrupted import of 100,000 offers took minutes per thousand.
#[test]
fn every_foreign_key_has_an_index_on_its_child_column() {
    let env = Env::initialisee();
    let conn = rusqlite::Connection::open(env.base()).unwrap();
    let tables: Vec<String> = conn
        .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND sql NOT LIKE 'CREATE VIRTUAL%'")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let mut sans_index = Vec::new();
    for table in &tables {
        let cles: Vec<(String, String)> = conn
            .prepare(&format!(
                "SELECT \"from\", \"table\" FROM pragma_foreign_key_list('{table}')"
            ))
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        // The first column of each whole index, and of the primary key.
        let premieres: Vec<String> = conn
            .prepare(&format!(
                "SELECT (SELECT name FROM pragma_index_info(il.name) WHERE seqno = 0)
                 FROM pragma_index_list('{table}') il WHERE il.partial = 0"
            ))
            .unwrap()
            .query_map([], |r| r.get::<_, Option<String>>(0))
            .unwrap()
            .filter_map(|c| c.unwrap())
            .chain(
                conn.prepare(&format!("SELECT name FROM pragma_table_info('{table}') WHERE pk = 1"))
                    .unwrap()
                    .query_map([], |r| r.get(0))
                    .unwrap()
                    .map(Result::unwrap),
            )
            .collect();
        for (colonne, parent) in cles {
            if !PETITES.contains(&parent.as_str()) && !premieres.contains(&colonne) {
                sans_index.push(format!("{table}.{colonne} → {parent}"));
            }
        }
    }
    assert!(sans_index.is_empty(), "clés étrangères sans index : {sans_index:?}");
}
