//! The catalogue of offers: sources, upsert by (source, identifiant), withdrawal.

use anyhow::Result;
use chrono::NaiveDate;
use rusqlite::types::ToSql;
use rusqlite::{Connection, OptionalExtension, params};

use crate::domain::offre::Offre;

/// The columns an import writes, in the order of [`valeurs`].
const COLONNES: [&str; 30] = [
    "structure_id", "structure_nom", "nom", "description", "date_maj", "types", "thematiques", "frais",
    "frais_precisions", "publics", "publics_precisions", "conditions_acces", "commune", "code_postal", "adresse",
    "complement_adresse", "latitude", "longitude", "telephone", "courriel", "contact_nom_prenom", "modes_accueil",
    "zone_eligibilite", "lien_mobilisation", "modes_mobilisation", "mobilisable_par", "mobilisation_precisions",
    "horaires_accueil", "score_qualite", "retiree_le",
];

fn valeurs(o: &Offre) -> Vec<Box<dyn ToSql + '_>> {
    let liste = |v: &Vec<String>| v.join(",");
    vec![
        Box::new(&o.structure_id),
        Box::new(&o.structure_nom),
        Box::new(&o.nom),
        Box::new(&o.description),
        Box::new(o.date_maj),
        Box::new(liste(&o.types)),
        Box::new(liste(&o.thematiques)),
        Box::new(&o.frais),
        Box::new(&o.frais_precisions),
        Box::new(liste(&o.publics)),
        Box::new(&o.publics_precisions),
        Box::new(&o.conditions_acces),
        Box::new(&o.commune),
        Box::new(&o.code_postal),
        Box::new(&o.adresse),
        Box::new(&o.complement_adresse),
        Box::new(o.latitude),
        Box::new(o.longitude),
        Box::new(&o.telephone),
        Box::new(&o.courriel),
        Box::new(&o.contact_nom_prenom),
        Box::new(liste(&o.modes_accueil)),
        Box::new(liste(&o.zone_eligibilite)),
        Box::new(&o.lien_mobilisation),
        Box::new(liste(&o.modes_mobilisation)),
        Box::new(liste(&o.mobilisable_par)),
        Box::new(&o.mobilisation_precisions),
        Box::new(&o.horaires_accueil),
        Box::new(o.score_qualite),
        Box::new(None::<NaiveDate>),
    ]
}

/// The source named `nom`, created if needed.
pub fn source(conn: &Connection, nom: &str) -> Result<i64> {
    conn.execute(
        "INSERT INTO source (nom) VALUES (?1) ON CONFLICT (nom) DO NOTHING",
        [nom],
    )?;
    Ok(conn.query_row("SELECT id FROM source WHERE nom = ?1", [nom], |r| r.get(0))?)
}

/// What an import did to one offer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Etat {
    Ajoutee,
    Modifiee,
    Inchangee,
}

/// Writes an offer of `source_id`: inserted, updated only if a field differs (a
/// withdrawn offer that comes back is updated), and recorded as seen by this import.
pub fn enregistrer(conn: &Connection, source_id: i64, o: &Offre, jour: NaiveDate) -> Result<Etat> {
    let existante: Option<i64> = conn
        .prepare_cached("SELECT id FROM offre WHERE source_id = ?1 AND identifiant = ?2")?
        .query_row(params![source_id, o.identifiant], |r| r.get(0))
        .optional()?;
    let liste = COLONNES.join(", ");
    let marques = (3..3 + COLONNES.len())
        .map(|i| format!("?{i}"))
        .collect::<Vec<_>>()
        .join(", ");
    let maj = COLONNES
        .iter()
        .map(|c| format!("{c} = excluded.{c}"))
        .collect::<Vec<_>>()
        .join(", ");
    let difference = COLONNES
        .iter()
        .map(|c| format!("offre.{c} IS NOT excluded.{c}"))
        .collect::<Vec<_>>()
        .join(" OR ");
    let sql = format!(
        "INSERT INTO offre (source_id, identifiant, {liste}, importee_le) VALUES (?1, ?2, {marques}, ?{jour})
         ON CONFLICT (source_id, identifiant) DO UPDATE SET {maj}, importee_le = excluded.importee_le
         WHERE {difference}",
        jour = 3 + COLONNES.len()
    );
    let mut parametres: Vec<Box<dyn ToSql + '_>> = vec![Box::new(source_id), Box::new(&o.identifiant)];
    parametres.extend(valeurs(o));
    parametres.push(Box::new(jour));
    let changees = conn
        .prepare_cached(&sql)?
        .execute(rusqlite::params_from_iter(parametres.iter()))?;
    let id: i64 = match existante {
        Some(id) => id,
        None => conn.last_insert_rowid(),
    };
    if changees > 0 {
        conn.prepare_cached("DELETE FROM offre_thematique WHERE offre_id = ?1")?
            .execute([id])?;
        let mut theme = conn.prepare_cached("INSERT INTO offre_thematique (thematique, offre_id) VALUES (?1, ?2)")?;
        for t in &o.thematiques {
            theme.execute(params![t, id])?;
        }
    }
    vue(conn, &o.identifiant)?;
    Ok(match (existante, changees) {
        (None, _) => Etat::Ajoutee,
        (Some(_), 0) => Etat::Inchangee,
        _ => Etat::Modifiee,
    })
}

/// Records that this import saw the offer `identifiant` of its source.
pub fn vue(conn: &Connection, identifiant: &str) -> Result<()> {
    conn.prepare_cached("INSERT OR IGNORE INTO temp.offre_vue (identifiant) VALUES (?1)")?
        .execute([identifiant])?;
    Ok(())
}

/// Starts an import: the list of offers seen is emptied.
pub fn debut_import(conn: &Connection) -> Result<()> {
    conn.execute_batch(
        "CREATE TEMP TABLE IF NOT EXISTS offre_vue (identifiant TEXT PRIMARY KEY); DELETE FROM temp.offre_vue;",
    )?;
    Ok(())
}

/// Marks withdrawn the offers of the source that this import did not see; returns their
/// number.
pub fn retirer_absentes(conn: &Connection, source_id: i64, jour: NaiveDate) -> Result<usize> {
    Ok(conn.execute(
        "UPDATE offre SET retiree_le = ?2
         WHERE source_id = ?1 AND retiree_le IS NULL AND identifiant NOT IN (SELECT identifiant FROM temp.offre_vue)",
        params![source_id, jour],
    )?)
}

pub fn fin_import(conn: &Connection, source_id: i64, jour: NaiveDate) -> Result<()> {
    conn.execute(
        "UPDATE source SET dernier_import = ?2 WHERE id = ?1",
        params![source_id, jour],
    )?;
    Ok(())
}
