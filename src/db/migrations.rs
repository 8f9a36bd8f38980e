//! The schema's history. APPEND-ONLY: never reorder, edit or remove an entry of
//! `migrations()`; a change of schema is a new numbered file.

use anyhow::Result;
use rusqlite::Connection;
use rusqlite_migration::{HookError, M, Migrations, SchemaVersion};

fn migrations() -> Migrations<'static> {
    Migrations::new(vec![
        M::up(include_str!("migrations/0001_fondation.sql")),
        M::up(include_str!("migrations/0002_diagnostic.sql")),
        M::up(include_str!("migrations/0003_suivi.sql")),
        M::up(include_str!("migrations/0004_offre.sql")),
        M::up(include_str!("migrations/0005_acces.sql")),
        M::up(include_str!("migrations/0006_index_membre.sql")),
        M::up(include_str!("migrations/0007_offre_ecritures.sql")),
        // Dossiers erased before 0008 kept anonymised rows: they become residue.
        M::up_with_hook(include_str!("migrations/0008_residu.sql"), |tx| {
            super::droits::effacer_anciens_residus(tx).map_err(|e| HookError::Hook(e.to_string()))
        }),
        M::up(include_str!("migrations/0009_identite_passee.sql")),
        M::up(include_str!("migrations/0010_publication.sql")),
        M::up(include_str!("migrations/0011_thematique_numero.sql")),
        M::up(include_str!("migrations/0012_import_par_etapes.sql")),
        M::up(include_str!("migrations/0013_agent_retire.sql")),
        // The audit chain gets its HMAC key, kept in the (encrypted) base.
        M::up_with_hook(include_str!("migrations/0014_acces_cle.sql"), |tx| {
            super::acces::creer_cle(tx).map_err(|e| HookError::Hook(e.to_string()))
        }),
        // The structure's keys to exchange parcours, kept in the (encrypted) base.
        M::up_with_hook(include_str!("migrations/0015_echange.sql"), |tx| {
            super::echange::creer_cles(tx).map_err(|e| HookError::Hook(e.to_string()))
        }),
        M::up(include_str!("migrations/0020_rdv.sql")),
        M::up(include_str!("migrations/0021_prescription.sql")),
        M::up(include_str!("migrations/0022_contrat.sql")),
        M::up(include_str!("migrations/0025_correction.sql")),
        M::up(include_str!("migrations/0034_parcours_sans_referent.sql")),
        M::up(include_str!("migrations/0037_rdv_correction.sql")),
        M::up(include_str!("migrations/0038_adresse_postale.sql")),
        M::up(include_str!("migrations/0039_index_des_cles.sql")),
        M::up(include_str!("migrations/0043_contrat_correction.sql")),
        M::up(include_str!("migrations/0044_offre_provenance.sql")),
        M::up(include_str!("migrations/0045_offre_thematique_index.sql")),
        M::up(include_str!("migrations/0047_provenance_dans_l_offre.sql")),
    ])
}

/// A base whose schema is newer than this spie's.
#[derive(Debug)]
pub struct PlusRecente;

impl std::fmt::Display for PlusRecente {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("schema newer than this program")
    }
}

impl std::error::Error for PlusRecente {}

/// Applies the pending migrations; refuses a base written by a newer spie.
pub fn a_jour(conn: &mut Connection) -> Result<()> {
    let m = migrations();
    if let SchemaVersion::Outside(_) = m.current_version(conn)? {
        return Err(PlusRecente.into());
    }
    m.to_latest(conn)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_are_valid() {
        migrations().validate().unwrap();
    }

    /// A base whose offers' thematiques were stored by code keeps them, found by code.
    #[test]
    fn thematiques_stored_by_code_are_numbered() {
        let mut conn = Connection::open_in_memory().unwrap();
        migrations().to_version(&mut conn, 10).unwrap();
        conn.execute_batch(
            "INSERT INTO source (id, nom) VALUES (1, 'p');
             INSERT INTO offre (id, source_id, identifiant, nom, thematiques, score_qualite, importee_le)
                 VALUES (7, 1, 'A', 'Offre', 'sante--acces-aux-soins,famille--garde-denfants', 0.5, '2026-11-26'),
                        (8, 1, 'B', 'Autre', 'sante--acces-aux-soins', 0.5, '2026-11-26');
             INSERT INTO offre_thematique (thematique, offre_id)
                 VALUES ('sante--acces-aux-soins', 7), ('famille--garde-denfants', 7), ('sante--acces-aux-soins', 8);",
        )
        .unwrap();
        a_jour(&mut conn).unwrap();
        let mut stmt = conn
            .prepare(
                "SELECT th.code, group_concat(t.offre_id ORDER BY t.offre_id) FROM offre_thematique t
                 JOIN thematique th ON th.id = t.thematique_id GROUP BY th.code ORDER BY th.code",
            )
            .unwrap();
        let lignes: Vec<(String, String)> = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        assert_eq!(
            lignes,
            [
                ("famille--garde-denfants".to_owned(), "7".to_owned()),
                ("sante--acces-aux-soins".to_owned(), "7,8".to_owned())
            ]
        );
    }

    /// `parcours.sans_referent` is filled for the parcours of an older base, then follows
    /// every write of `referent`.
    #[test]
    fn a_parcours_without_referent_is_marked_whoever_writes_the_referent() {
        let mut conn = Connection::open_in_memory().unwrap();
        migrations().to_version(&mut conn, 19).unwrap();
        conn.execute_batch(
            "INSERT INTO structure (id, nom, nom_norm, cree_le) VALUES (1, 'S', 's', '2026-01-01');
             INSERT INTO agent (id, identifiant, nom, structure_id, role, cree_le)
                 VALUES (1, 'a', 'A', 1, 'referent', '2026-01-01');
             INSERT INTO personne (dossier, nom, prenom, nom_norm, prenom_norm, naissance, commune, cree_le, cree_par)
                 VALUES (1, 'N', 'P', 'n', 'p', '1980-01-01', '55545', '2026-01-01', 1),
                        (2, 'N', 'Q', 'n', 'q', '1980-01-01', '55545', '2026-01-01', 1);
             INSERT INTO parcours (id, dossier, structure_id, entree) VALUES (1, 1, 1, '2026-01-01'), (2, 2, 1, '2026-01-01');
             INSERT INTO referent (parcours_id, agent_id, debut) VALUES (1, 1, '2026-01-01');",
        )
        .unwrap();
        a_jour(&mut conn).unwrap();
        let marques = |conn: &Connection| -> Vec<i64> {
            conn.prepare("SELECT sans_referent FROM parcours ORDER BY id")
                .unwrap()
                .query_map([], |r| r.get(0))
                .unwrap()
                .map(Result::unwrap)
                .collect()
        };
        assert_eq!(marques(&conn), [0, 1]);
        conn.execute_batch("INSERT INTO referent (parcours_id, agent_id, debut) VALUES (2, 1, '2026-02-01')")
            .unwrap();
        assert_eq!(marques(&conn), [0, 0]);
        conn.execute_batch("UPDATE referent SET fin = '2026-03-01' WHERE parcours_id = 1")
            .unwrap();
        assert_eq!(marques(&conn), [1, 0]);
        conn.execute_batch("DELETE FROM referent WHERE parcours_id = 2")
            .unwrap();
        assert_eq!(marques(&conn), [1, 1]);
    }

    /// The final schema, as SQLite stores it: a change shows up in review.
    #[test]
    fn schema_snapshot() {
        let mut conn = Connection::open_in_memory().unwrap();
        a_jour(&mut conn).unwrap();
        let mut stmt = conn
            .prepare("SELECT sql FROM sqlite_schema WHERE sql IS NOT NULL AND name NOT LIKE 'personne_fts_%' ORDER BY type, name")
            .unwrap();
        let schema: Vec<String> = stmt.query_map([], |r| r.get(0)).unwrap().map(Result::unwrap).collect();
        insta::assert_snapshot!(schema.join(";\n\n"));
    }
}
