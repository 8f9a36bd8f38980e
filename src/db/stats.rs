//! What the monthly indicators are computed from: one line per parcours that existed
//! during the month, with its state at the month's last day, and the month's counts.

use std::collections::BTreeMap;

use anyhow::Result;
use chrono::{Days, NaiveDate};
use rusqlite::{Connection, params};

use super::suivi::dernier_contact_jusqu_a;
use crate::domain::diagnostic::Orientation;
use crate::domain::grille::Dimension;
use crate::domain::indicateurs::{Agregat, Indicateurs, LigneParcours, Mois};
use crate::domain::indicateurs_journee::LigneJournee;
use crate::domain::parcours::MotifSortie;
use crate::domain::prescription::{JOURS_SANS_REPONSE, StatutPrescription};
use crate::referentiel::communes;

/// SQL, over the parcours `pa` and the month (?1 D0, ?2 D1): appointments of the month
/// attended and missed, the first appointment attended, a contract in force at D1.
const COLONNES_JOURNEE: &str = "
    (SELECT count(*) FROM rdv r WHERE r.parcours_id = pa.id AND r.statut = 'honore'
        AND r.debut >= ?1 AND r.debut < date(?2, '+1 day')),
    (SELECT count(*) FROM rdv r WHERE r.parcours_id = pa.id AND r.statut = 'absent'
        AND r.debut >= ?1 AND r.debut < date(?2, '+1 day')),
    (SELECT min(substr(r.debut, 1, 10)) FROM rdv r WHERE r.parcours_id = pa.id AND r.statut = 'honore'),
    EXISTS (SELECT 1 FROM contrat c WHERE c.parcours_id = pa.id AND c.retire = 0 AND c.debut <= ?2 AND c.fin >= ?2)";

/// A parcours line with what it can be grouped by.
pub struct LigneStats {
    pub ligne: LigneParcours,
    /// INSEE code of the person's commune at D1.
    pub commune: String,
    pub structure: String,
    /// The référent at D1.
    pub referent: Option<String>,
    /// Normalised name, given name and birth date: what the Département's pseudonym is
    /// computed from, never written out.
    pub identite: (String, String, NaiveDate),
}

/// SQL: the value of the person's `champ` (commune or sexe) at D1 (`?2`): the one
/// replaced after D1 if any, else the current one (an empty value is none).
fn a_d1(champ: &str) -> String {
    format!(
        "nullif(coalesce((SELECT h.valeur FROM identite_passee h
                           WHERE h.dossier = pe.dossier AND h.champ = '{champ}' AND h.jusqu_au >= ?2
                           ORDER BY h.jusqu_au, h.id LIMIT 1), pe.{champ}, ''), '')"
    )
}

/// What the month's figures can be broken down by. The group of a parcours is its
/// person's EPCI of residence (SIREN, empty when unknown), the structure holding it, or
/// its référent at D1 (empty without one).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Groupement {
    Total,
    Epci,
    Structure,
    Referent,
}

impl Groupement {
    pub const TOUS: [Groupement; 4] = [
        Groupement::Total,
        Groupement::Epci,
        Groupement::Structure,
        Groupement::Referent,
    ];

    /// Its name in the residue table.
    fn code(self) -> &'static str {
        match self {
            Groupement::Total => "total",
            Groupement::Epci => "epci",
            Groupement::Structure => "structure",
            Groupement::Referent => "referent",
        }
    }

    fn groupe(self, l: &LigneStats) -> String {
        match self {
            Groupement::Total => String::new(),
            Groupement::Epci => communes::par_code(&l.commune).map_or(String::new(), |c| c.code_epci.to_owned()),
            Groupement::Structure => l.structure.clone(),
            Groupement::Referent => l.referent.clone().unwrap_or_default(),
        }
    }
}

/// The parcours lines of the month, of the whole base or of one parcours.
pub fn lignes(conn: &Connection, mois: Mois) -> Result<Vec<LigneStats>> {
    lignes_ou(conn, mois, "1", None)
}

fn lignes_ou(conn: &Connection, mois: Mois, filtre: &str, parcours: Option<i64>) -> Result<Vec<LigneStats>> {
    let contact_90j = format!("({} > ?3)", dernier_contact_jusqu_a("pa", Some("?2")));
    let sql = format!(
        "SELECT pa.entree, pa.sortie, pa.motif_sortie, {}, s.nom,
                (SELECT min(d.date) FROM diagnostic d WHERE d.parcours_id = pa.id AND d.erreur_le IS NULL),
                (SELECT o.orientation FROM orientation o WHERE o.parcours_id = pa.id AND o.date <= ?2
                  ORDER BY o.date DESC, o.id DESC LIMIT 1),
                (SELECT a.identifiant FROM referent r JOIN agent a ON a.id = r.agent_id
                  WHERE r.parcours_id = pa.id AND r.debut <= ?2
                    AND (r.fin IS NULL OR r.fin > ?2 OR (r.fin = pa.sortie AND pa.sortie <= ?2))
                  ORDER BY r.debut DESC LIMIT 1),
                coalesce({contact_90j}, 0),
                (SELECT group_concat(dc.dimension) FROM diagnostic_contrainte dc
                  WHERE (dc.niveau = 'moyen' OR dc.niveau = 'fort')
                    AND dc.diagnostic_id = (SELECT d.id FROM diagnostic d WHERE d.parcours_id = pa.id AND d.date <= ?2
                                            AND d.erreur_le IS NULL
                                            ORDER BY d.date DESC, d.id DESC LIMIT 1)),
                {journee},
                pe.nom_norm, pe.prenom_norm, pe.naissance
         FROM parcours pa
         JOIN personne pe ON pe.dossier = pa.dossier
         JOIN structure s ON s.id = pa.structure_id
         WHERE pa.entree <= ?2 AND (pa.sortie IS NULL OR pa.sortie >= ?1) AND {filtre}",
        a_d1("commune"),
        journee = COLONNES_JOURNEE,
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let d90 = mois.d1 - Days::new(90);
    let mut valeurs: Vec<&dyn rusqlite::ToSql> = vec![&mois.d0, &mois.d1, &d90];
    if let Some(p) = &parcours {
        valeurs.push(p);
    }
    let lignes = stmt
        .query_map(&*valeurs, |r| {
            let motif: Option<String> = r.get(2)?;
            let orientation: Option<String> = r.get(6)?;
            let freins: Option<String> = r.get(9)?;
            Ok(LigneStats {
                ligne: LigneParcours {
                    entree: r.get(0)?,
                    sortie: r.get(1)?,
                    motif_sortie: motif.as_deref().and_then(MotifSortie::depuis_code),
                    premier_diagnostic: r.get(5)?,
                    orientation_d1: orientation.as_deref().and_then(Orientation::depuis_code),
                    referent_d1: r.get::<_, Option<String>>(7)?.is_some(),
                    contact_90j: r.get(8)?,
                    freins_d1: freins
                        .unwrap_or_default()
                        .split(',')
                        .filter_map(Dimension::depuis_code)
                        .collect(),
                    journee: LigneJournee {
                        rdv_honores: r.get::<_, i64>(10)?.unsigned_abs(),
                        rdv_absents: r.get::<_, i64>(11)?.unsigned_abs(),
                        premier_rdv_honore: r.get(12)?,
                        contrat_d1: r.get(13)?,
                    },
                },
                commune: r.get(3)?,
                structure: r.get(4)?,
                referent: r.get(7)?,
                identite: (r.get(14)?, r.get(15)?, r.get(16)?),
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(lignes)
}

fn categorie(thematique: Option<String>) -> String {
    match thematique {
        Some(t) => t.split_once("--").map_or(t.as_str(), |(c, _)| c).to_owned(),
        None => "sans-thematique".into(),
    }
}

/// Counts of what `sql` returns (one key per row, ?1..?2 the month, then `autres`).
fn par_cle(
    conn: &Connection,
    sql: &str,
    valeurs: &[&dyn rusqlite::ToSql],
    cle: fn(Option<String>) -> String,
) -> Result<BTreeMap<String, u64>> {
    let mut comptes = BTreeMap::new();
    let mut stmt = conn.prepare_cached(sql)?;
    let mut rows = stmt.query(valeurs)?;
    while let Some(r) = rows.next()? {
        *comptes.entry(cle(r.get(0)?)).or_default() += 1;
    }
    Ok(comptes)
}

/// The month's diagnostics, actions and prescriptions, of the whole base (`filtre` "1")
/// or of the parcours that `filtre` selects (alias `pa`, `?3` its parameter).
fn comptes_ou(conn: &Connection, mois: Mois, filtre: &str, dossier: Option<i64>) -> Result<Agregat> {
    let mut valeurs: Vec<&dyn rusqlite::ToSql> = vec![&mois.d0, &mois.d1];
    if let Some(d) = &dossier {
        valeurs.push(d);
    }
    let de = |table: &str| format!("{table}.parcours_id IN (SELECT pa.id FROM parcours pa WHERE {filtre})");
    let tout = filtre == "1";
    let condition = |table: &str| if tout { "1".to_string() } else { de(table) };
    Ok(Agregat {
        diagnostics: conn
            .prepare_cached(&format!(
                "SELECT count(*) FROM diagnostic WHERE date BETWEEN ?1 AND ?2 AND erreur_le IS NULL AND {}",
                condition("diagnostic")
            ))?
            .query_row(&*valeurs, |r| r.get::<_, i64>(0))? as u64,
        actions_creees: par_cle(
            conn,
            &format!(
                "SELECT thematique FROM action WHERE cree_le BETWEEN ?1 AND ?2 AND {}",
                condition("action")
            ),
            &valeurs,
            categorie,
        )?,
        actions_realisees: par_cle(
            conn,
            &format!(
                "SELECT ac.thematique FROM action_statut st JOIN action ac ON ac.id = st.action_id
                 WHERE st.statut = 'realisee' AND st.date BETWEEN ?1 AND ?2 AND {}",
                condition("ac")
            ),
            &valeurs,
            categorie,
        )?,
        prescriptions: par_cle(
            conn,
            &format!(
                "SELECT so.nom FROM action ac JOIN offre o ON o.id = ac.offre_id JOIN source so ON so.id = o.source_id
                 WHERE ac.cree_le BETWEEN ?1 AND ?2 AND {}",
                condition("ac")
            ),
            &valeurs,
            |s| s.unwrap_or_default(),
        )?,
        issues_prescriptions: par_cle(conn, &issues_prescriptions(&condition("ac")), &valeurs, |s| {
            s.unwrap_or_default()
        })?,
        ..Agregat::default()
    })
}

/// SQL: one row `ISSUE:SOURCE` per outcome of a prescription dated in the month (`?1` to
/// `?2`), of the parcours that `condition` keeps (alias `ac` for the action): the answers
/// and what followed, on the day they were noted; `sans-reponse` on the day the days
/// without answer after it was sent ran out, if no status was noted by then.
fn issues_prescriptions(condition: &str) -> String {
    let notees = StatutPrescription::ISSUES
        .iter()
        .filter(|s| **s != StatutPrescription::SansReponse)
        .map(|s| format!("'{}'", s.code()))
        .collect::<Vec<_>>()
        .join(", ");
    let delai = format!("'+{JOURS_SANS_REPONSE} days'");
    let avant = format!("'-{JOURS_SANS_REPONSE} days'");
    let sans_reponse = StatutPrescription::SansReponse.code();
    format!(
        "SELECT st.statut || ':' || so.nom FROM prescription_statut st
            JOIN action ac ON ac.id = st.action_id JOIN offre o ON o.id = ac.offre_id JOIN source so ON so.id = o.source_id
         WHERE st.statut IN ({notees}) AND st.date BETWEEN ?1 AND ?2 AND {condition}
         UNION ALL
         SELECT '{sans_reponse}:' || so.nom FROM prescription_statut st
            JOIN action ac ON ac.id = st.action_id JOIN offre o ON o.id = ac.offre_id JOIN source so ON so.id = o.source_id
         WHERE st.statut = 'envoyee' AND st.date BETWEEN date(?1, {avant}) AND date(?2, {avant}) AND {condition}
           AND NOT EXISTS (SELECT 1 FROM prescription_statut s2 WHERE s2.action_id = st.action_id AND s2.id > st.id
                             AND s2.date <= date(st.date, {delai}))"
    )
}

/// The month's counts by group and for the whole base, from one reading of the
/// parcours, plus the residue of the dossiers erased since (diagnostics, actions and
/// prescriptions in the whole base only).
pub fn agregats_et_total(
    conn: &Connection,
    mois: Mois,
    groupement: Groupement,
) -> Result<(BTreeMap<String, Agregat>, Agregat)> {
    let mut groupes: BTreeMap<String, Agregat> = BTreeMap::new();
    let mut total = Agregat::default();
    for l in lignes(conn, mois)? {
        groupes.entry(groupement.groupe(&l)).or_default().ligne(mois, &l.ligne);
        total.ligne(mois, &l.ligne);
    }
    total.ajouter(&comptes_ou(conn, mois, "1", None)?);
    let mut stmt = conn.prepare_cached("SELECT groupement, groupe, cle, nombre FROM residu WHERE mois = ?1")?;
    let mut rows = stmt.query(params![mois.code()])?;
    while let Some(r) = rows.next()? {
        let (de, groupe, cle): (String, String, String) = (r.get(0)?, r.get(1)?, r.get(2)?);
        let nombre = r.get::<_, i64>(3)? as u64;
        if de == Groupement::Total.code() {
            total.ajouter_cle(&cle, nombre);
        }
        if de == groupement.code() && groupement != Groupement::Total {
            groupes.entry(groupe).or_default().ajouter_cle(&cle, nombre);
        }
    }
    if groupement == Groupement::Total {
        groupes = BTreeMap::from([(String::new(), total.clone())]);
    }
    Ok((groupes, total))
}

/// The month's parcours lines with their EPCI, and the counts that are no parcours' own
/// by group (an EPCI, or `total`).
pub struct ComptesDuTerritoire {
    pub lignes: Vec<(LigneStats, String)>,
    pub autres: BTreeMap<String, Agregat>,
}

/// What the territory's consolidation needs of the month: each parcours line with its
/// person's identity (to pseudonymise) and EPCI, then the counts that are no parcours'
/// own: the residue of erased dossiers by EPCI, and what is counted for the whole base
/// only (under the group `total`), so that everything adds up to the base's total.
pub fn comptes_du_territoire(conn: &Connection, mois: Mois) -> Result<ComptesDuTerritoire> {
    let lignes: Vec<(LigneStats, String)> = lignes(conn, mois)?
        .into_iter()
        .map(|l| {
            let epci = Groupement::Epci.groupe(&l);
            (l, epci)
        })
        .collect();
    let (par_epci, total) = agregats_et_total(conn, mois, Groupement::Epci)?;
    let mut des_lignes: BTreeMap<&str, Agregat> = BTreeMap::new();
    for (l, epci) in &lignes {
        des_lignes.entry(epci).or_default().ligne(mois, &l.ligne);
    }
    // What each EPCI counts beyond its parcours lines is its residue; what the total
    // counts beyond the EPCIs, the whole base's own counts.
    let reste = |tout: &Agregat, deja: &[&Agregat]| {
        let mut cles: BTreeMap<String, u64> = tout.cles().into_iter().collect();
        for a in deja {
            for (cle, n) in a.cles() {
                if let Some(v) = cles.get_mut(&cle) {
                    *v = v.saturating_sub(n);
                }
            }
        }
        let mut r = Agregat::default();
        for (cle, n) in cles.into_iter().filter(|(_, n)| *n > 0) {
            r.ajouter_cle(&cle, n);
        }
        r
    };
    let mut autres: BTreeMap<String, Agregat> = BTreeMap::new();
    for (epci, a) in &par_epci {
        let r = reste(a, &des_lignes.get(epci.as_str()).into_iter().collect::<Vec<_>>());
        if r != Agregat::default() {
            autres.insert(epci.clone(), r);
        }
    }
    let r = reste(&total, &par_epci.values().collect::<Vec<_>>());
    if r != Agregat::default() {
        autres.insert("total".into(), r);
    }
    Ok(ComptesDuTerritoire { lignes, autres })
}

/// The indicators of a month for the whole base.
pub fn indicateurs(conn: &Connection, mois: Mois, aujourdhui: NaiveDate) -> Result<Indicateurs> {
    let (_, total) = agregats_et_total(conn, mois, Groupement::Total)?;
    Ok(total.indicateurs(mois, aujourdhui, true))
}

/// Before the rows of `dossier` are deleted: adds what they count in every month's
/// figures to the residue, so that those figures do not change. The residue holds
/// counts by month and group, never a row per person.
pub fn verser_au_residu(conn: &Connection, dossier: i64, aujourdhui: NaiveDate) -> Result<()> {
    let periodes: Vec<(i64, NaiveDate, Option<NaiveDate>)> = conn
        .prepare_cached("SELECT id, entree, sortie FROM parcours WHERE dossier = ?1")?
        .query_map([dossier], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut ajout = conn.prepare_cached(
        "INSERT INTO residu (mois, groupement, groupe, cle, nombre) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT DO UPDATE SET nombre = nombre + excluded.nombre",
    )?;
    let mut verser = |mois: Mois, groupement: Groupement, groupe: &str, a: &Agregat| -> Result<()> {
        for (cle, n) in a.cles() {
            ajout.execute(params![mois.code(), groupement.code(), groupe, cle, n as i64])?;
        }
        Ok(())
    };
    for (id, entree, sortie) in periodes {
        let mut mois = Mois::de(entree);
        while mois.d0 <= sortie.unwrap_or(aujourdhui) {
            for l in lignes_ou(conn, mois, "pa.id = ?4", Some(id))? {
                let a = Agregat::de_lignes(mois, [&l.ligne]);
                for g in Groupement::TOUS {
                    verser(mois, g, &g.groupe(&l), &a)?;
                }
            }
            mois = Mois::de(mois.d1 + Days::new(1));
        }
    }
    // Diagnostics, actions and prescriptions count by their own dates.
    let dates: Vec<NaiveDate> = conn
        .prepare_cached(
            "SELECT date FROM diagnostic WHERE parcours_id IN (SELECT id FROM parcours WHERE dossier = ?1)
             UNION SELECT cree_le FROM action WHERE parcours_id IN (SELECT id FROM parcours WHERE dossier = ?1)
             UNION SELECT st.date FROM action_statut st JOIN action ac ON ac.id = st.action_id
                   WHERE ac.parcours_id IN (SELECT id FROM parcours WHERE dossier = ?1)",
        )?
        .query_map([dossier], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let mois: std::collections::BTreeSet<NaiveDate> = dates.into_iter().map(|d| Mois::de(d).d0).collect();
    for d0 in mois {
        let m = Mois::de(d0);
        verser(
            m,
            Groupement::Total,
            "",
            &comptes_ou(conn, m, "pa.dossier = ?3", Some(dossier))?,
        )?;
    }
    Ok(())
}

/// One line of the Département's `parcours.csv`, before pseudonymisation, as the
/// parcours stood at D1 (an exit after D1 is not known then).
pub struct LigneExport {
    pub nom_norm: String,
    pub prenom_norm: String,
    pub naissance: chrono::NaiveDate,
    pub sexe: Option<String>,
    /// INSEE code of the person's commune at D1.
    pub commune: String,
    pub entree: chrono::NaiveDate,
    pub sortie: Option<chrono::NaiveDate>,
    pub motif_sortie: Option<String>,
    pub orientation: Option<String>,
    /// dimension → level, from the last diagnostic on or before D1.
    pub niveaux: BTreeMap<String, String>,
    pub actions: i64,
    pub actions_realisees: i64,
}

/// The parcours active during the month, with what the export publishes about them.
pub fn lignes_export(conn: &Connection, mois: Mois) -> Result<Vec<LigneExport>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT pe.nom_norm, pe.prenom_norm, pe.naissance, {}, {}, pa.entree,
                CASE WHEN pa.sortie <= ?2 THEN pa.sortie END, CASE WHEN pa.sortie <= ?2 THEN pa.motif_sortie END,
                (SELECT o.orientation FROM orientation o WHERE o.parcours_id = pa.id AND o.date <= ?2
                  ORDER BY o.date DESC, o.id DESC LIMIT 1),
                (SELECT group_concat(dc.dimension || ':' || dc.niveau) FROM diagnostic_contrainte dc
                  WHERE dc.diagnostic_id = (SELECT d.id FROM diagnostic d WHERE d.parcours_id = pa.id AND d.date <= ?2
                                            AND d.erreur_le IS NULL
                                            ORDER BY d.date DESC, d.id DESC LIMIT 1)),
                (SELECT count(*) FROM action ac WHERE ac.parcours_id = pa.id AND ac.cree_le <= ?2),
                (SELECT count(DISTINCT st.action_id) FROM action_statut st JOIN action ac ON ac.id = st.action_id
                  WHERE ac.parcours_id = pa.id AND st.statut = 'realisee' AND st.date <= ?2)
         FROM parcours pa JOIN personne pe ON pe.dossier = pa.dossier
         WHERE pa.entree <= ?2 AND (pa.sortie IS NULL OR pa.sortie >= ?1)",
        a_d1("sexe"),
        a_d1("commune")
    ))?;
    let lignes = stmt
        .query_map(params![mois.d0, mois.d1], |r| {
            let niveaux: Option<String> = r.get(9)?;
            Ok(LigneExport {
                nom_norm: r.get(0)?,
                prenom_norm: r.get(1)?,
                naissance: r.get(2)?,
                sexe: r.get(3)?,
                commune: r.get(4)?,
                entree: r.get(5)?,
                sortie: r.get(6)?,
                motif_sortie: r.get(7)?,
                orientation: r.get(8)?,
                niveaux: niveaux
                    .unwrap_or_default()
                    .split(',')
                    .filter_map(|p| p.split_once(':').map(|(d, n)| (d.to_owned(), n.to_owned())))
                    .collect(),
                actions: r.get(10)?,
                actions_realisees: r.get(11)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(lignes)
}
