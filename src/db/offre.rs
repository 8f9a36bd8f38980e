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
    static SQL: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let sql = SQL.get_or_init(|| {
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
        format!(
            "INSERT INTO offre (source_id, identifiant, {liste}, importee_le) VALUES (?1, ?2, {marques}, ?{jour})
             ON CONFLICT (source_id, identifiant) DO UPDATE SET {maj}, importee_le = excluded.importee_le
             WHERE {difference}",
            jour = 3 + COLONNES.len()
        )
    });
    let mut parametres: Vec<Box<dyn ToSql + '_>> = vec![Box::new(source_id), Box::new(&o.identifiant)];
    parametres.extend(valeurs(o));
    parametres.push(Box::new(jour));
    let changees = conn
        .prepare_cached(sql)?
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

/// An offer as stored, with where it comes from.
#[derive(Debug, Clone, serde::Serialize)]
pub struct OffreStockee {
    pub id: i64,
    pub source: String,
    #[serde(flatten)]
    pub offre: Offre,
    pub importee_le: NaiveDate,
    pub retiree_le: Option<NaiveDate>,
}

fn select() -> String {
    format!(
        "SELECT o.id, s.nom, o.identifiant, o.importee_le, {} FROM offre o JOIN source s ON s.id = o.source_id",
        { COLONNES.iter().map(|c| format!("o.{c}")).collect::<Vec<_>>().join(", ") }
    )
}

fn offre_de(r: &rusqlite::Row) -> rusqlite::Result<OffreStockee> {
    let liste = |i: usize| -> rusqlite::Result<Vec<String>> {
        let t: String = r.get(i)?;
        Ok(t.split(',').filter(|x| !x.is_empty()).map(str::to_owned).collect())
    };
    // Columns 4.. follow COLONNES.
    let c = |nom: &str| 4 + COLONNES.iter().position(|x| *x == nom).expect("known column");
    Ok(OffreStockee {
        id: r.get(0)?,
        source: r.get(1)?,
        importee_le: r.get(3)?,
        retiree_le: r.get(c("retiree_le"))?,
        offre: Offre {
            identifiant: r.get(2)?,
            structure_id: r.get(c("structure_id"))?,
            structure_nom: r.get(c("structure_nom"))?,
            nom: r.get(c("nom"))?,
            description: r.get(c("description"))?,
            date_maj: r.get(c("date_maj"))?,
            types: liste(c("types"))?,
            thematiques: liste(c("thematiques"))?,
            frais: r.get(c("frais"))?,
            frais_precisions: r.get(c("frais_precisions"))?,
            publics: liste(c("publics"))?,
            publics_precisions: r.get(c("publics_precisions"))?,
            conditions_acces: r.get(c("conditions_acces"))?,
            commune: r.get(c("commune"))?,
            code_postal: r.get(c("code_postal"))?,
            adresse: r.get(c("adresse"))?,
            complement_adresse: r.get(c("complement_adresse"))?,
            latitude: r.get(c("latitude"))?,
            longitude: r.get(c("longitude"))?,
            telephone: r.get(c("telephone"))?,
            courriel: r.get(c("courriel"))?,
            contact_nom_prenom: r.get(c("contact_nom_prenom"))?,
            modes_accueil: liste(c("modes_accueil"))?,
            zone_eligibilite: liste(c("zone_eligibilite"))?,
            lien_mobilisation: r.get(c("lien_mobilisation"))?,
            modes_mobilisation: liste(c("modes_mobilisation"))?,
            mobilisable_par: liste(c("mobilisable_par"))?,
            mobilisation_precisions: r.get(c("mobilisation_precisions"))?,
            horaires_accueil: r.get(c("horaires_accueil"))?,
            score_qualite: r.get(c("score_qualite"))?,
        },
    })
}

pub fn lire(conn: &Connection, id: i64) -> Result<Option<OffreStockee>> {
    Ok(conn
        .prepare_cached(&format!("{} WHERE o.id = ?1", select()))?
        .query_row([id], offre_de)
        .optional()?)
}

/// Active offers with a thematique in one of `categories` (or the category itself),
/// optionally matching the full-text `texte`.
pub fn actives(conn: &Connection, categories: Option<&[String]>, texte: Option<&str>) -> Result<Vec<OffreStockee>> {
    let mut conditions = vec!["o.retiree_le IS NULL".to_string()];
    let mut valeurs: Vec<Box<dyn ToSql>> = Vec::new();
    if let Some(categories) = categories {
        let ou: Vec<String> = categories
            .iter()
            .map(|c| {
                valeurs.push(Box::new(c.clone()));
                valeurs.push(Box::new(format!("{c}--")));
                valeurs.push(Box::new(format!("{c}-.")));
                let n = valeurs.len();
                format!(
                    "(t.thematique = ?{} OR (t.thematique >= ?{} AND t.thematique < ?{}))",
                    n - 2,
                    n - 1,
                    n
                )
            })
            .collect();
        if ou.is_empty() {
            return Ok(Vec::new());
        }
        conditions.push(format!(
            "o.id IN (SELECT t.offre_id FROM offre_thematique t WHERE {})",
            ou.join(" OR ")
        ));
    }
    if let Some(texte) = texte {
        let requete: Vec<String> = crate::domain::texte::mots(texte)
            .iter()
            .map(|m| format!("\"{m}\"*"))
            .collect();
        if !requete.is_empty() {
            valeurs.push(Box::new(requete.join(" ")));
            conditions.push(format!(
                "o.id IN (SELECT rowid FROM offre_fts WHERE offre_fts MATCH ?{})",
                valeurs.len()
            ));
        }
    }
    let sql = format!("{} WHERE {} ORDER BY o.id", select(), conditions.join(" AND "));
    let lignes = conn
        .prepare(&sql)?
        .query_map(rusqlite::params_from_iter(valeurs.iter()), offre_de)?
        .collect::<rusqlite::Result<_>>()?;
    Ok(lignes)
}

/// Per source: offers active and withdrawn, last import, mean quality, share updated in
/// the last six months.
#[derive(Debug, serde::Serialize)]
pub struct ResumeSource {
    pub source: String,
    pub actives: i64,
    pub retirees: i64,
    pub dernier_import: Option<NaiveDate>,
    pub qualite_moyenne: Option<f64>,
    pub part_a_jour_6_mois: Option<f64>,
}

pub fn sources(conn: &Connection, aujourdhui: NaiveDate) -> Result<Vec<ResumeSource>> {
    let six_mois = aujourdhui - chrono::Months::new(6);
    let lignes = conn
        .prepare(
            "SELECT s.nom,
                    count(o.id) FILTER (WHERE o.retiree_le IS NULL),
                    count(o.id) FILTER (WHERE o.retiree_le IS NOT NULL),
                    s.dernier_import,
                    avg(o.score_qualite) FILTER (WHERE o.retiree_le IS NULL),
                    avg(o.date_maj >= ?1) FILTER (WHERE o.retiree_le IS NULL)
             FROM source s LEFT JOIN offre o ON o.source_id = s.id
             GROUP BY s.id ORDER BY s.nom",
        )?
        .query_map([six_mois], |r| {
            Ok(ResumeSource {
                source: r.get(0)?,
                actives: r.get(1)?,
                retirees: r.get(2)?,
                dernier_import: r.get(3)?,
                qualite_moyenne: r.get(4)?,
                part_a_jour_6_mois: r.get(5)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(lignes)
}
