//! The catalogue of offers: sources, upsert by (source, identifiant), withdrawal.

use std::collections::HashMap;

use anyhow::Result;
use chrono::NaiveDate;
use rusqlite::functions::FunctionFlags;
use rusqlite::types::{ToSql, ToSqlOutput, Value, ValueRef};
use rusqlite::{Connection, OptionalExtension, Statement, params};

use super::etapes::Etapes;
use crate::domain::offre::{EnTexte, Offre};
use crate::domain::publication::Provenance;
use crate::domain::texte;

/// The columns an import writes, in the order of [`valeurs`].
pub(super) const COLONNES: [&str; 33] = [
    "structure_id", "structure_nom", "nom", "description", "date_maj", "types", "thematiques", "frais",
    "frais_precisions", "publics", "publics_precisions", "conditions_acces", "commune", "code_postal", "adresse",
    "complement_adresse", "latitude", "longitude", "telephone", "courriel", "contact_nom_prenom", "modes_accueil",
    "zone_eligibilite", "lien_mobilisation", "modes_mobilisation", "mobilisable_par", "mobilisation_precisions",
    "horaires_accueil", "lien_source", "volume_horaire_hebdomadaire", "nombre_semaines", "score_qualite", "retiree_le",
];

/// Calls `f` with the values of [`COLONNES`] for `o`, in order; `t` is `o.en_texte()`.
fn avec_valeurs<R>(o: &Offre, t: &EnTexte, f: impl FnOnce(&[&dyn ToSql]) -> R) -> R {
    f(&[
        &o.structure_id, &o.structure_nom, &o.nom, &o.description, &t.date_maj, &t.types, &t.thematiques, &o.frais,
        &o.frais_precisions, &t.publics, &o.publics_precisions, &o.conditions_acces, &o.commune, &o.code_postal,
        &o.adresse, &o.complement_adresse, &o.latitude, &o.longitude, &o.telephone, &o.courriel, &o.contact_nom_prenom,
        &t.modes_accueil, &t.zone_eligibilite, &o.lien_mobilisation, &t.modes_mobilisation, &t.mobilisable_par,
        &o.mobilisation_precisions, &o.horaires_accueil, &o.lien_source, &o.volume_horaire_hebdomadaire,
        &o.nombre_semaines, &o.score_qualite, &None::<NaiveDate>,
    ])
}

/// The source named `nom`, created if needed.
pub fn source(conn: &Connection, nom: &str) -> Result<i64> {
    conn.execute(
        "INSERT INTO source (nom) VALUES (?1) ON CONFLICT (nom) DO NOTHING",
        [nom],
    )?;
    Ok(conn.query_row("SELECT id FROM source WHERE nom = ?1", [nom], |r| r.get(0))?)
}

/// What an import did to one offer, from the base before the import to its last row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Etat {
    Ajoutee,
    Modifiee,
    Inchangee,
}

/// One row written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ecrite {
    /// The offer's state once this row is written.
    pub etat: Etat,
    /// The file already gave this identifiant: the offer's state the earlier rows gave it,
    /// which this row replaces.
    pub remplace: Option<Etat>,
    /// The offer's row id (unique across sources).
    pub id: i64,
}

/// The insert of a new offer with the columns of [`COLONNES`] in `masque` (bit `i`:
/// column `i`): `?1` source, `?2` identifiant, `?3` the day, `?4` and `?5` the file and
/// line read, then those columns in order.
/// The others take their default. Nothing happens if the source already has the
/// identifiant. (No RETURNING and no DO UPDATE: either would make SQLite journal each row
/// as a statement of its own.)
fn sql_insert(masque: u64) -> String {
    let colonnes: Vec<&str> = (COLONNES.iter().enumerate())
        .filter(|(i, _)| masque & (1 << i) != 0)
        .map(|(_, c)| *c)
        .collect();
    let marques: Vec<String> = (0..colonnes.len()).map(|i| format!(", ?{}", i + 6)).collect();
    format!(
        "INSERT INTO offre (source_id, identifiant, importee_le, lu_dans, ligne{}) VALUES (?1, ?2, ?3, ?4, ?5{})
         ON CONFLICT (source_id, identifiant) DO NOTHING",
        colonnes.iter().map(|c| format!(", {c}")).collect::<String>(),
        marques.concat()
    )
}

/// The columns of [`COLONNES`] whose default is the empty list `''` (bit `i`: column `i`).
fn listes() -> u64 {
    const LISTES: [&str; 7] = [
        "types", "thematiques", "publics", "modes_accueil", "zone_eligibilite", "modes_mobilisation", "mobilisable_par",
    ];
    (COLONNES.iter().enumerate())
        .filter(|(_, c)| LISTES.contains(c))
        .fold(0, |m, (i, _)| m | (1 << i))
}

/// The inserts of new offers, one per set of columns given: a partner's file fills a
/// dozen of the 33, and binding the others only to store their default cost the writing
/// thread a tenth of its time.
struct Insertions<'c> {
    conn: &'c Connection,
    /// The columns whose empty value is their default.
    listes: u64,
    par_colonnes: Vec<(u64, Statement<'c>)>,
}

impl<'c> Insertions<'c> {
    /// Inserts the offer `identifiant` read at `lu` (file and line, if known) with the
    /// `valeurs` of [`COLONNES`]; false if the source already has it.
    fn inserer(
        &mut self,
        source_id: i64,
        identifiant: &str,
        jour: &str,
        lu: (Option<&str>, Option<i64>),
        valeurs: &[&dyn ToSql],
    ) -> rusqlite::Result<bool> {
        let mut masque = 0u64;
        let mut liees = Vec::with_capacity(valeurs.len());
        for (i, v) in valeurs.iter().enumerate() {
            let v = v.to_sql()?;
            let defaut = match &v {
                ToSqlOutput::Borrowed(ValueRef::Null) | ToSqlOutput::Owned(Value::Null) => true,
                ToSqlOutput::Borrowed(ValueRef::Text(t)) => t.is_empty() && self.listes & (1 << i) != 0,
                _ => false,
            };
            if !defaut {
                masque |= 1 << i;
                liees.push(v);
            }
        }
        let i = match self.par_colonnes.iter().position(|(m, _)| *m == masque) {
            Some(i) => i,
            None => {
                self.par_colonnes
                    .push((masque, self.conn.prepare(&sql_insert(masque))?));
                self.par_colonnes.len() - 1
            }
        };
        let insert = &mut self.par_colonnes[i].1;
        insert.raw_bind_parameter(1, source_id)?;
        insert.raw_bind_parameter(2, identifiant)?;
        insert.raw_bind_parameter(3, jour)?;
        insert.raw_bind_parameter(4, lu.0)?;
        insert.raw_bind_parameter(5, lu.1)?;
        for (i, v) in liees.iter().enumerate() {
            insert.raw_bind_parameter(i + 6, v)?;
        }
        Ok(insert.raw_execute()? == 1)
    }
}

/// The insert of the `n` thematiques of an offer, `?1`, numbered `?2…`, in one statement.
/// OR IGNORE: a pair already there stays (the outcome asked for); and a statement that
/// cannot stop halfway needs no journal of its own.
fn sql_themes(n: usize) -> String {
    let lignes: Vec<String> = (0..n).map(|i| format!("(?{}, ?1)", i + 2)).collect();
    format!(
        "INSERT OR IGNORE INTO offre_thematique (thematique_id, offre_id) VALUES {}",
        lignes.join(", ")
    )
}

/// The update of a known offer, with the same parameters, only if a field differs (a
/// withdrawn offer that comes back is updated); returns its id.
fn sql_update() -> String {
    let champ = |(i, c): (usize, &&str)| format!("{c} = ?{}", i + 3);
    let maj = COLONNES.iter().enumerate().map(champ).collect::<Vec<_>>().join(", ");
    format!(
        "UPDATE offre SET {maj}, importee_le = ?{} WHERE source_id = ?1 AND identifiant = ?2 AND ({})
         RETURNING id",
        3 + COLONNES.len(),
        difference()
    )
}

/// Whether a field of the offer `?1`, `?2` differs from the parameters `?3…` of [`COLONNES`].
pub(super) fn difference() -> String {
    COLONNES
        .iter()
        .enumerate()
        .map(|(i, c)| format!("{c} IS NOT ?{}", i + 3))
        .collect::<Vec<_>>()
        .join(" OR ")
}

/// One import of a source, written row by row inside the caller's transaction: the
/// statements are prepared once, and the offers the file names are remembered (one byte
/// per offer id, so memory stays flat) to withdraw the others at the end.
pub struct Import<'c> {
    /// Offers of the source that were active before the import and that the file named.
    actives_nommees: u64,
    /// Offers the import made active (added, or withdrawn before and written again).
    activees: u64,
    /// The number of each thematique written so far (table `thematique`).
    thematiques: HashMap<String, i64>,
    conn: &'c Connection,
    source_id: i64,
    jour: NaiveDate,
    /// The source's active offers before the import.
    pub actives_avant: u64,
    /// `jour` as stored, formatted once rather than at each row.
    jour_texte: String,
    /// Per offer id: named by the file, and if written, its state so far.
    vues: Vec<Vue>,
    insertions: Insertions<'c>,
    update: Statement<'c>,
    connue: Statement<'c>,
    sans_theme: Statement<'c>,
    /// For `n` thematiques, at `n - 1`: the insert of an offer's thematiques.
    themes: Vec<Statement<'c>>,
    /// The name of the file read, and the statement that notes a known offer's line there.
    provenance: Option<(String, Statement<'c>)>,
}

impl<'c> Import<'c> {
    pub fn debut(conn: &'c Connection, source_id: i64, jour: NaiveDate) -> Result<Import<'c>> {
        Ok(Import {
            conn,
            source_id,
            jour,
            jour_texte: jour.to_string(),
            actives_avant: actives_de_la_source(conn, source_id)?,
            vues: Vec::new(),
            actives_nommees: 0,
            activees: 0,
            thematiques: HashMap::new(),
            insertions: Insertions {
                conn,
                listes: listes(),
                par_colonnes: Vec::new(),
            },
            update: conn.prepare(&sql_update())?,
            connue: conn.prepare(
                "SELECT id, retiree_le IS NULL, thematiques FROM offre WHERE source_id = ?1 AND identifiant = ?2",
            )?,
            sans_theme: conn.prepare("DELETE FROM offre_thematique WHERE thematique_id = ?1 AND offre_id = ?2")?,
            themes: Vec::new(),
            provenance: None,
        })
    }

    /// Notes, for each offer written from now on, the line of the file `fichier` (a name,
    /// never a path) it comes from: with a new offer, and for a known one only when it
    /// moved. The import compares neither: a file read again, even reordered, changes no
    /// offer.
    pub fn lu_dans(&mut self, fichier: &str) -> Result<()> {
        let noter = self.conn.prepare(
            "UPDATE offre SET lu_dans = ?2, ligne = ?3 WHERE id = ?1 AND (lu_dans IS NOT ?2 OR ligne IS NOT ?3)",
        )?;
        self.provenance = Some((fichier.to_owned(), noter));
        Ok(())
    }

    /// Writes an offer of the source read at line `ligne` of the file (see
    /// [`Import::lu_dans`]); `texte` is `o.en_texte()`.
    pub fn enregistrer_ligne(&mut self, o: &Offre, texte: &EnTexte, ligne: u64) -> Result<Ecrite> {
        self.ecrire(o, texte, Some(i64::try_from(ligne)?))
    }

    /// Writes an offer of the source (`texte` is `o.en_texte()`): what it did, and the
    /// offer's number.
    pub fn enregistrer(&mut self, o: &Offre, texte: &EnTexte) -> Result<Ecrite> {
        self.ecrire(o, texte, None)
    }

    fn deja_vue(&self, id: i64) -> bool {
        usize::try_from(id)
            .ok()
            .and_then(|i| self.vues.get(i))
            .is_some_and(|v| *v != Vue::Non)
    }

    /// The offer `id` as the file gave it so far.
    fn vue(&mut self, id: i64) -> &mut Vue {
        let i = usize::try_from(id).unwrap_or(0);
        if self.vues.len() <= i {
            self.vues.resize(i + 1, Vue::Non);
        }
        &mut self.vues[i]
    }

    /// Whether the base held the offer `id`, which this import already changed, exactly
    /// as `o` before the import (as the import's steps kept it).
    fn comme_avant(&mut self, id: i64, o: &Offre) -> Result<bool> {
        let mut requete = self.conn.prepare_cached(&super::etapes::Etapes::avant_sql())?;
        Ok(avec_valeurs(o, &o.en_texte(), |valeurs| {
            let mut parametres: Vec<&dyn ToSql> = vec![&id, &None::<i64>];
            parametres.extend_from_slice(valeurs);
            requete.query_row(&*parametres, |r| r.get(0))
        })?)
    }

    /// Writes an offer read at `ligne` of the file, if known.
    fn ecrire(&mut self, o: &Offre, texte: &EnTexte, ligne: Option<i64>) -> Result<Ecrite> {
        let (source_id, jour) = (self.source_id, &self.jour_texte);
        let (insertions, update, connue) = (&mut self.insertions, &mut self.update, &mut self.connue);
        let conn = self.conn;
        let lu = match (&self.provenance, ligne) {
            (Some((fichier, _)), Some(ligne)) => (Some(fichier.as_str()), Some(ligne)),
            _ => (None, None),
        };
        // Added, or known: then whether it was active, and its thematiques before if it
        // changed.
        let (id, etat, active, avant) = avec_valeurs(o, texte, |valeurs| -> rusqlite::Result<_> {
            if insertions.inserer(source_id, &o.identifiant, jour, lu, valeurs)? {
                return Ok((conn.last_insert_rowid(), Etat::Ajoutee, false, String::new()));
            }
            let mut parametres: Vec<&dyn ToSql> = Vec::with_capacity(valeurs.len() + 3);
            parametres.extend([&source_id as &dyn ToSql, &o.identifiant]);
            parametres.extend_from_slice(valeurs);
            parametres.push(jour);
            let (id, active, avant): (i64, bool, String) = connue
                .query_row(params![source_id, o.identifiant], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?))
                })?;
            Ok(match update.query_row(&*parametres, |_| Ok(())).optional()? {
                Some(()) => (id, Etat::Modifiee, active, avant),
                None => (id, Etat::Inchangee, active, String::new()),
            })
        })?;
        if etat != Etat::Ajoutee
            && let (Some((fichier, noter)), Some(ligne)) = (&mut self.provenance, ligne)
        {
            noter.execute(params![id, fichier.as_str(), ligne])?;
        }
        for t in avant.split(',').filter(|t| !t.is_empty()) {
            let numero = numero_de_thematique(conn, &mut self.thematiques, t)?;
            self.sans_theme.execute(params![numero, id])?;
        }
        let n = o.thematiques.len();
        if etat != Etat::Inchangee && n > 0 {
            while self.themes.len() < n {
                self.themes.push(conn.prepare(&sql_themes(self.themes.len() + 1))?);
            }
            let themes = &mut self.themes[n - 1];
            themes.raw_bind_parameter(1, id)?;
            for (i, t) in o.thematiques.iter().enumerate() {
                themes.raw_bind_parameter(i + 2, numero_de_thematique(conn, &mut self.thematiques, t)?)?;
            }
            themes.raw_execute()?;
        }
        // Seen for the first time in the file: `active` is still as before the import.
        let vue = *self.vue(id);
        if vue == Vue::Non && active {
            self.actives_nommees += 1;
        }
        if !active && !matches!(vue, Vue::Ecrite(_)) {
            self.activees += 1;
        }
        let remplace = match vue {
            Vue::Ecrite(e) => Some(e),
            Vue::Non | Vue::Nommee => None,
        };
        // From the base before the import to this row, the last the file gives so far.
        let etat = match (remplace, etat) {
            (None, e) | (Some(Etat::Inchangee), e) => e,
            (Some(Etat::Ajoutee), _) => Etat::Ajoutee,
            (Some(Etat::Modifiee), Etat::Inchangee) => Etat::Modifiee,
            (Some(Etat::Modifiee), _) if self.comme_avant(id, o)? => Etat::Inchangee,
            (Some(Etat::Modifiee), _) => Etat::Modifiee,
        };
        *self.vue(id) = Vue::Ecrite(etat);
        Ok(Ecrite { etat, remplace, id })
    }

    /// Records that the file names the offer `identifiant` (a rejected row: the partner
    /// still has it, so it is not withdrawn).
    pub fn nommee(&mut self, identifiant: &str) -> Result<()> {
        let connue: Option<(i64, bool)> = self
            .connue
            .query_row(params![self.source_id, identifiant], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        if let Some((id, active)) = connue
            && *self.vue(id) == Vue::Non
        {
            *self.vue(id) = Vue::Nommee;
            self.actives_nommees += u64::from(active);
        }
        Ok(())
    }

    /// The source's active offers the file did not name, and the number of its active
    /// offers once they are withdrawn.
    pub fn absentes(&self) -> Result<(Vec<i64>, u64)> {
        // The file named every offer active before (always so for a first import): none
        // is absent, and the catalogue is not read again.
        if self.actives_nommees == self.actives_avant {
            return Ok((Vec::new(), self.actives_avant + self.activees));
        }
        let actives: Vec<i64> = self
            .conn
            .prepare(&format!(
                "SELECT id FROM offre WHERE {DE_LA_SOURCE} AND retiree_le IS NULL"
            ))?
            .query_map([self.source_id], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        let (nommees, absentes): (Vec<i64>, Vec<i64>) = actives.into_iter().partition(|id| self.deja_vue(*id));
        Ok((absentes, nommees.len() as u64))
    }

    /// Marks withdrawn the offers `ids` (the [`Import::absentes`]), in the import's steps.
    pub fn retirer(&self, ids: &[i64], etapes: &mut Etapes<'_>) -> Result<()> {
        let mut retirer = self.conn.prepare("UPDATE offre SET retiree_le = ?2 WHERE id = ?1")?;
        for id in ids {
            retirer.execute(params![id, self.jour])?;
            etapes.pas()?;
        }
        Ok(())
    }

    /// Dates the source's last import.
    pub fn fin(self) -> Result<()> {
        self.conn.execute(
            "UPDATE source SET dernier_import = ?2 WHERE id = ?1",
            params![self.source_id, self.jour],
        )?;
        Ok(())
    }
}

/// Sets the connection for a large import, inside its transaction. An import reads back
/// the offers it already knows: through mmap, every page of the catalogue would stay
/// mapped in the process (400 MB re-importing 1,000,000 rows, as fast as 53 MB with reads
/// into SQLite's bounded page cache). And 32 MiB of pages in memory, so that SQLite spills
/// fewer half-written pages to the WAL before the commit, and memory stays bounded.
pub fn preparer_import(conn: &Connection) -> Result<()> {
    conn.pragma_update(None, "mmap_size", 0)?;
    conn.pragma_update(None, "cache_size", -32 * 1024)?;
    Ok(())
}

/// The imports of one file into one or several sources: a data·inclusion file names the
/// producer of each row, and each producer is a source of its own, withdrawn from only by
/// a file that names it.
pub struct Imports<'c> {
    conn: &'c Connection,
    jour: NaiveDate,
    /// The name of the file read, noted with each offer's line.
    fichier: Option<String>,
    pub sources: Vec<(String, Import<'c>)>,
}

impl<'c> Imports<'c> {
    pub fn new(conn: &'c Connection, jour: NaiveDate) -> Imports<'c> {
        Imports {
            conn,
            jour,
            fichier: None,
            sources: Vec::new(),
        }
    }

    /// The offers written from now on note their line in the file `fichier` (a name).
    pub fn lu_dans(mut self, fichier: &str) -> Imports<'c> {
        self.fichier = Some(fichier.to_owned());
        self
    }

    /// The import into the source `nom`, begun at its first row; `externe`: a producer of
    /// a data·inclusion file, whose offers are not the structure's to republish.
    pub fn de(&mut self, nom: &str, externe: bool) -> Result<&mut Import<'c>> {
        let i = match self.sources.iter().position(|(n, _)| n == nom) {
            Some(i) => i,
            None => {
                let id = source(self.conn, nom)?;
                if externe {
                    self.conn.execute("UPDATE source SET externe = 1 WHERE id = ?1", [id])?;
                }
                let mut import = Import::debut(self.conn, id, self.jour)?;
                if let Some(fichier) = &self.fichier {
                    import.lu_dans(fichier)?;
                }
                self.sources.push((nom.to_owned(), import));
                self.sources.len() - 1
            }
        };
        Ok(&mut self.sources[i].1)
    }
}

/// The number of the thematique `code` in the table `thematique`, numbered if new; `connus`
/// keeps the numbers already asked for.
fn numero_de_thematique(conn: &Connection, connus: &mut HashMap<String, i64>, code: &str) -> Result<i64> {
    if let Some(numero) = connus.get(code) {
        return Ok(*numero);
    }
    conn.prepare_cached("INSERT INTO thematique (code) VALUES (?1) ON CONFLICT (code) DO NOTHING")?
        .execute([code])?;
    let numero = conn
        .prepare_cached("SELECT id FROM thematique WHERE code = ?1")?
        .query_row([code], |r| r.get(0))?;
    connus.insert(code.to_owned(), numero);
    Ok(numero)
}

/// What the file says of an offer id of the base.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Vue {
    Non,
    /// Named by a rejected row: kept as it was.
    Nommee,
    Ecrite(Etat),
}

/// The offers of a source whose row is read, in the order of their ids: read in the
/// order of the unique index, calculated identifiants lead all over the table (each page
/// read again and again); SQLite sorts the ids the index gives first.
const DE_LA_SOURCE: &str = "id IN (SELECT id FROM offre WHERE source_id = ?1)";

/// The active offers of a source.
fn actives_de_la_source(conn: &Connection, source_id: i64) -> Result<u64> {
    let n: i64 = conn.query_row(
        &format!("SELECT count(*) FROM offre WHERE {DE_LA_SOURCE} AND retiree_le IS NULL"),
        [source_id],
        |r| r.get(0),
    )?;
    Ok(n.unsigned_abs())
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
    /// The file and line it was last imported from, when the import recorded them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub provenance: Option<Provenance>,
}

fn select() -> String {
    format!(
        "SELECT o.id, s.nom, o.identifiant, o.importee_le, o.lu_dans, o.ligne, {} FROM offre o \
         JOIN source s ON s.id = o.source_id",
        { COLONNES.iter().map(|c| format!("o.{c}")).collect::<Vec<_>>().join(", ") }
    )
}

fn offre_de(r: &rusqlite::Row) -> rusqlite::Result<OffreStockee> {
    let liste = |i: usize| -> rusqlite::Result<Vec<String>> {
        let t: String = r.get(i)?;
        Ok(t.split(',').filter(|x| !x.is_empty()).map(str::to_owned).collect())
    };
    // Columns 6.. follow COLONNES.
    let c = |nom: &str| 6 + COLONNES.iter().position(|x| *x == nom).expect("known column");
    let provenance = match (r.get::<_, Option<String>>(4)?, r.get::<_, Option<i64>>(5)?) {
        (Some(fichier), Some(ligne)) => Some(Provenance {
            fichier,
            ligne: ligne.unsigned_abs(),
        }),
        _ => None,
    };
    Ok(OffreStockee {
        id: r.get(0)?,
        source: r.get(1)?,
        importee_le: r.get(3)?,
        retiree_le: r.get(c("retiree_le"))?,
        provenance,
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
            lien_source: r.get(c("lien_source"))?,
            volume_horaire_hebdomadaire: r.get(c("volume_horaire_hebdomadaire"))?,
            nombre_semaines: r.get(c("nombre_semaines"))?,
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

/// The structure of the base that carries the offer, when spie knows its name.
pub fn structure(conn: &Connection, o: &OffreStockee) -> Result<Option<i64>> {
    Ok(match &o.offre.structure_nom {
        Some(nom) => super::agent::trouver_structure(conn, nom)?.map(|s| s.id),
        None => None,
    })
}

/// Active offers with a thematique in one of `categories` (or the category itself),
/// optionally with every word of `texte` beginning a word of their name or description.
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
                format!("(th.code = ?{} OR (th.code >= ?{} AND th.code < ?{}))", n - 2, n - 1, n)
            })
            .collect();
        if ou.is_empty() {
            return Ok(Vec::new());
        }
        conditions.push(format!(
            "o.id IN (SELECT t.offre_id FROM offre_thematique t WHERE t.thematique_id IN \
             (SELECT th.id FROM thematique th WHERE {}))",
            ou.join(" OR ")
        ));
    }
    if let Some(texte) = texte {
        let mots = texte::mots(texte);
        if !mots.is_empty() {
            // Read as the rows go by: only the offers found are built.
            let drapeaux = FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DIRECTONLY;
            conn.create_scalar_function("contient_mots", 2, drapeaux, move |ctx| {
                let (nom, description) = (ctx.get_raw(0).as_str()?, ctx.get_raw(1).as_str_or_null()?);
                Ok(texte::contient_mots(&[nom, description.unwrap_or("")], &mots))
            })?;
            conditions.push("contient_mots(o.nom, o.description)".to_string());
        }
    }
    let sql = format!("{} WHERE {} ORDER BY o.id", select(), conditions.join(" AND "));
    let lignes = conn
        .prepare(&sql)?
        .query_map(rusqlite::params_from_iter(valeurs.iter()), offre_de)?
        .collect::<rusqlite::Result<_>>()?;
    Ok(lignes)
}

/// Every active offer in the order of their numbers, handed to `f` as the rows are read
/// (the catalogue is never held whole); `f` returns false to stop. The pages are read
/// into SQLite's bounded page cache, not through mmap, which would keep every page of the
/// catalogue mapped in the process (69 MB exporting 100,000 offers, 18 MB for 10,000).
pub fn parcourir_actives(conn: &Connection, mut f: impl FnMut(OffreStockee) -> Result<bool>) -> Result<()> {
    conn.pragma_update(None, "mmap_size", 0)?;
    let mut requete = conn.prepare(&format!("{} WHERE o.retiree_le IS NULL ORDER BY o.id", select()))?;
    let mut lignes = requete.query([])?;
    while let Some(ligne) = lignes.next()? {
        if !f(offre_de(ligne)?)? {
            break;
        }
    }
    Ok(())
}

/// Every source, by name, and whether another producer publishes it.
pub fn sources_et_editeurs(conn: &Connection) -> Result<Vec<(String, bool)>> {
    let lignes = conn
        .prepare("SELECT nom, externe FROM source ORDER BY nom")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(lignes)
}

/// Marks the source `nom` as published by another producer (`externe`) or by the
/// structure itself; false if the base has no such source.
pub fn marquer_externe(conn: &Connection, nom: &str, externe: bool) -> Result<bool> {
    Ok(conn.execute("UPDATE source SET externe = ?2 WHERE nom = ?1", params![nom, externe])? > 0)
}

/// Per source: offers active and withdrawn, last import, mean quality, share updated in
/// the last six months, and whether another producer publishes it.
#[derive(Debug, serde::Serialize)]
pub struct ResumeSource {
    pub source: String,
    pub externe: bool,
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
            "SELECT s.nom, s.externe,
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
                externe: r.get(1)?,
                actives: r.get(2)?,
                retirees: r.get(3)?,
                dernier_import: r.get(4)?,
                qualite_moyenne: r.get(5)?,
                part_a_jour_6_mois: r.get(6)?,
            })
        })?
        .collect::<rusqlite::Result<_>>()?;
    Ok(lignes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn offre(identifiant: &str) -> Offre {
        Offre {
            identifiant: identifiant.to_owned(),
            nom: format!("Offre {identifiant}"),
            thematiques: vec!["sante--acces-aux-soins".to_owned()],
            ..Offre::default()
        }
    }

    /// Imports into the source `p`: `nommees` named by rejected rows, then `ecrites`
    /// written; gives what [`Import::absentes`] says, withdrawing the absent offers.
    fn importer(conn: &Connection, ecrites: &[&str], nommees: &[&str]) -> (Vec<i64>, u64) {
        let source_id = source(conn, "p").unwrap();
        let mut etapes = Etapes::commencer(conn, "admin", "2026-11-26T10:00:00", super::super::etapes::PAS)
            .unwrap()
            .unwrap();
        let mut import = Import::debut(conn, source_id, NaiveDate::from_ymd_opt(2026, 11, 26).unwrap()).unwrap();
        for id in nommees {
            import.nommee(id).unwrap();
        }
        for id in ecrites {
            let o = offre(id);
            import.enregistrer(&o, &o.en_texte()).unwrap();
        }
        let absentes = import.absentes().unwrap();
        import.retirer(&absentes.0, &mut etapes).unwrap();
        etapes.terminer().unwrap();
        absentes
    }

    /// The count of active offers once the absent ones are withdrawn, whether it is read
    /// again from the base or counted along the import.
    #[test]
    fn the_active_offers_left_are_counted_along_the_import() {
        let mut conn = Connection::open_in_memory().unwrap();
        crate::db::migrations::a_jour(&mut conn).unwrap();
        let actives = |conn: &Connection| actives_de_la_source(conn, 1).unwrap();
        assert_eq!(importer(&conn, &["A", "B", "C", "A"], &[]), (vec![], 3));
        assert_eq!(actives(&conn), 3);
        // C is absent: withdrawn.
        assert_eq!(importer(&conn, &["A", "B"], &[]), (vec![3], 2));
        assert_eq!(actives(&conn), 2);
        // B named by a rejected row stays; C comes back; D is new.
        assert_eq!(importer(&conn, &["A", "C", "D"], &["B"]), (vec![], 4));
        assert_eq!(actives(&conn), 4);
        // Named by a rejected row, a withdrawn offer stays withdrawn.
        assert_eq!(importer(&conn, &["A", "B", "D"], &[]).1, 3);
        assert_eq!(importer(&conn, &["A", "B", "D"], &["C"]), (vec![], 3));
        assert_eq!(actives(&conn), 3);
        // Named first by a rejected row, then written.
        assert_eq!(importer(&conn, &["A", "B", "C", "D"], &["D"]), (vec![], 4));
        assert_eq!(actives(&conn), 4);
    }
}
