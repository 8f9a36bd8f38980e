//! The exchange of parcours between structures: the structure's keys, its partners, the
//! identifiers shared between bases, and what was sent or received.

use anyhow::Result;
use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, params};

use super::meta;
use crate::domain::echange::{
    ActionTransmise, ClePublique, CleSecrete, DiagnosticTransmis, IdentiteTransmise, NoteTransmise, ObjectifTransmis,
    OrientationTransmise, StatutTransmis,
};
use crate::domain::personne::Identite;

/// The structure's age secret key (`AGE-SECRET-KEY-1…`).
const CLE_AGE: &str = "echange_cle_age";
/// The structure's Ed25519 seed, hexadecimal.
const CLE_SIGNATURE: &str = "echange_cle_signature";

/// Gives the base its structure's keys, once (at creation, or when an older base is
/// brought up to date).
pub fn creer_cles(conn: &Connection) -> Result<()> {
    if meta::lire(conn, CLE_AGE)?.is_some() {
        return Ok(());
    }
    let mut graine = [0u8; 32];
    getrandom::fill(&mut graine).map_err(|_| super::Fait::Hasard)?;
    let cles = CleSecrete::nouvelle(graine);
    meta::ecrire(conn, CLE_AGE, &cles.age)?;
    meta::ecrire(conn, CLE_SIGNATURE, &cles.signature)?;
    Ok(())
}

/// The structure's secret keys.
pub fn cles(conn: &Connection) -> Result<CleSecrete> {
    match (meta::lire(conn, CLE_AGE)?, meta::lire(conn, CLE_SIGNATURE)?) {
        (Some(age), Some(signature)) => Ok(CleSecrete { age, signature }),
        _ => Err(super::Fait::SansClesDeStructure.into()),
    }
}

/// The structure that owns the base: the first one recorded, at `base init`.
pub fn structure_de_la_base(conn: &Connection) -> Result<(i64, String)> {
    Ok(
        conn.query_row("SELECT id, nom FROM structure ORDER BY id LIMIT 1", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?,
    )
}

/// A partner's public keys, if registered.
pub fn cle_de(conn: &Connection, structure_id: i64) -> Result<Option<ClePublique>> {
    Ok(conn
        .query_row(
            "SELECT cle_age, cle_signature FROM structure WHERE id = ?1 AND cle_age IS NOT NULL",
            [structure_id],
            |r| {
                Ok(ClePublique {
                    age: r.get(0)?,
                    signature: r.get(1)?,
                })
            },
        )
        .optional()?)
}

pub fn enregistrer_cle(conn: &Connection, structure_id: i64, cle: &ClePublique) -> Result<()> {
    conn.execute(
        "UPDATE structure SET cle_age = ?2, cle_signature = ?3 WHERE id = ?1",
        params![structure_id, cle.age, cle.signature],
    )?;
    Ok(())
}

/// The partner whose signing key is `signature`: its number and name.
pub fn partenaire_de(conn: &Connection, signature: &str) -> Result<Option<(i64, String)>> {
    Ok(conn
        .query_row(
            "SELECT id, nom FROM structure WHERE cle_signature = ?1",
            [signature],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?)
}

/// The partners whose keys are registered: their name and verifying key (hexadecimal).
pub fn partenaires(conn: &Connection) -> Result<Vec<(String, String)>> {
    Ok(conn
        .prepare("SELECT nom, cle_signature FROM structure WHERE cle_signature IS NOT NULL ORDER BY nom")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?)
}

/// The number of the next file to `partenaire`, counted as sent.
pub fn numero_suivant(conn: &Connection, partenaire: i64) -> Result<i64> {
    Ok(conn.query_row(
        "UPDATE structure SET envoi_numero = envoi_numero + 1 WHERE id = ?1 RETURNING envoi_numero",
        [partenaire],
        |r| r.get(0),
    )?)
}

/// The number of the last file received from `partenaire` (0: none).
pub fn dernier_recu(conn: &Connection, partenaire: i64) -> Result<i64> {
    Ok(
        conn.query_row("SELECT recu_numero FROM structure WHERE id = ?1", [partenaire], |r| {
            r.get(0)
        })?,
    )
}

pub fn noter_recu(conn: &Connection, partenaire: i64, numero: i64) -> Result<()> {
    conn.execute(
        "UPDATE structure SET recu_numero = ?2 WHERE id = ?1",
        params![partenaire, numero],
    )?;
    Ok(())
}

/// What the base knows of a shared parcours.
#[derive(Debug, Clone)]
pub struct Partage {
    pub parcours_id: i64,
    pub dossier: i64,
    pub uid: String,
    pub retrait_le: Option<NaiveDate>,
    pub referent_externe: Option<String>,
    pub referent_externe_le: Option<NaiveDate>,
    pub referent_propose: Option<String>,
}

const SELECT_PARTAGE: &str = "SELECT e.parcours_id, p.dossier, e.uid, e.retrait_le, e.referent_externe,
        e.referent_externe_le, e.referent_propose
    FROM echange_parcours e JOIN parcours p ON p.id = e.parcours_id";

fn partage_de(r: &rusqlite::Row) -> rusqlite::Result<Partage> {
    Ok(Partage {
        parcours_id: r.get(0)?,
        dossier: r.get(1)?,
        uid: r.get(2)?,
        retrait_le: r.get(3)?,
        referent_externe: r.get(4)?,
        referent_externe_le: r.get(5)?,
        referent_propose: r.get(6)?,
    })
}

pub fn partage_du_uid(conn: &Connection, uid: &str) -> Result<Option<Partage>> {
    Ok(conn
        .prepare_cached(&format!("{SELECT_PARTAGE} WHERE e.uid = ?1"))?
        .query_row([uid], partage_de)
        .optional()?)
}

pub fn partage_du_parcours(conn: &Connection, parcours_id: i64) -> Result<Option<Partage>> {
    Ok(conn
        .prepare_cached(&format!("{SELECT_PARTAGE} WHERE e.parcours_id = ?1"))?
        .query_row([parcours_id], partage_de)
        .optional()?)
}

/// Records that `parcours_id` is shared as `uid` (received from `origine` on `recu_le`,
/// or opened here).
pub fn partager(
    conn: &Connection,
    parcours_id: i64,
    uid: &str,
    origine: Option<i64>,
    recu_le: Option<NaiveDate>,
) -> Result<()> {
    conn.prepare_cached("INSERT INTO echange_parcours (parcours_id, uid, origine, recu_le) VALUES (?1, ?2, ?3, ?4)")?
        .execute(params![parcours_id, uid, origine, recu_le])?;
    Ok(())
}

pub fn noter_retrait(conn: &Connection, parcours_id: i64, jour: NaiveDate) -> Result<()> {
    conn.execute(
        "UPDATE echange_parcours SET retrait_le = ?2 WHERE parcours_id = ?1",
        params![parcours_id, jour],
    )?;
    Ok(())
}

pub fn noter_referent_externe(conn: &Connection, parcours_id: i64, nom: &str, depuis: NaiveDate) -> Result<()> {
    conn.execute(
        "UPDATE echange_parcours SET referent_externe = ?2, referent_externe_le = ?3 WHERE parcours_id = ?1",
        params![parcours_id, nom, depuis],
    )?;
    Ok(())
}

pub fn noter_referent_propose(conn: &Connection, parcours_id: i64, agent: Option<&str>) -> Result<()> {
    conn.execute(
        "UPDATE echange_parcours SET referent_propose = ?2 WHERE parcours_id = ?1",
        params![parcours_id, agent],
    )?;
    Ok(())
}

/// The shared identifier of a record of this base, if it was received from a partner.
pub fn uid_recu(conn: &Connection, nature: &str, local_id: i64) -> Result<Option<(String, String)>> {
    Ok(conn
        .prepare_cached("SELECT uid, auteur FROM echange_element WHERE nature = ?1 AND local_id = ?2")?
        .query_row(params![nature, local_id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?)
}

/// The record of this base a shared identifier stands for.
pub fn element(conn: &Connection, uid: &str) -> Result<Option<i64>> {
    Ok(conn
        .prepare_cached("SELECT local_id FROM echange_element WHERE uid = ?1")?
        .query_row([uid], |r| r.get(0))
        .optional()?)
}

/// A record received from `origine`, stored here as `local_id`.
pub struct Recu<'a> {
    pub uid: &'a str,
    pub parcours_id: i64,
    pub nature: &'a str,
    pub local_id: i64,
    pub origine: i64,
    pub auteur: &'a str,
}

pub fn noter_element(conn: &Connection, e: &Recu) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO echange_element (uid, parcours_id, nature, local_id, origine, auteur)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![e.uid, e.parcours_id, e.nature, e.local_id, e.origine, e.auteur])?;
    Ok(())
}

/// The digest of `uid` as last sent to `partenaire`.
pub fn envoye(conn: &Connection, partenaire: i64, uid: &str) -> Result<Option<String>> {
    Ok(conn
        .prepare_cached("SELECT empreinte FROM echange_envoye WHERE partenaire_id = ?1 AND uid = ?2")?
        .query_row(params![partenaire, uid], |r| r.get(0))
        .optional()?)
}

pub fn noter_envoye(conn: &Connection, partenaire: i64, parcours_id: i64, uid: &str, empreinte: &str) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO echange_envoye (partenaire_id, uid, parcours_id, empreinte) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (partenaire_id, uid) DO UPDATE SET empreinte = excluded.empreinte",
    )?
    .execute(params![partenaire, uid, parcours_id, empreinte])?;
    Ok(())
}

/// Whether anything of `parcours_id` was ever sent to `partenaire`.
pub fn deja_envoye(conn: &Connection, partenaire: i64, parcours_id: i64) -> Result<bool> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM echange_envoye WHERE partenaire_id = ?1 AND parcours_id = ?2 LIMIT 1")?
        .query_row(params![partenaire, parcours_id], |_| Ok(()))
        .optional()?
        .is_some())
}

/// A value that changed on both sides: `gardee` kept, `ecartee` set aside.
pub fn ecarter(
    conn: &Connection,
    parcours_id: i64,
    champ: &str,
    gardee: Option<&str>,
    ecartee: Option<&str>,
    origine: i64,
    le: NaiveDate,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO echange_ecart (parcours_id, champ, gardee, ecartee, origine, le) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![parcours_id, champ, gardee, ecartee, origine, le])?;
    Ok(())
}

/// The identity as it would be sent, with when it last changed.
pub fn identite(conn: &Connection, dossier: i64) -> Result<IdentiteTransmise> {
    let personne = super::personne::personne(conn, dossier)?.ok_or(rusqlite::Error::QueryReturnedNoRows)?;
    let modifie_le: String = conn
        .prepare_cached("SELECT coalesce(modifie_le, cree_le || 'T00:00:00.000') FROM personne WHERE dossier = ?1")?
        .query_row([dossier], |r| r.get(0))?;
    let i = personne.identite;
    Ok(IdentiteTransmise {
        nom: i.nom,
        prenom: i.prenom,
        naissance: i.naissance,
        sexe: i.sexe.map(|s| s.code().to_owned()),
        commune: i.commune,
        telephone: i.telephone,
        courriel: i.courriel,
        publics: i.publics,
        modifie_le,
    })
}

/// Sets the identity received (the most recent) on day `jour`, with its time of change:
/// a new commune or sex keeps the previous one for past months' figures.
/// The exchange carries no France Travail or CAF identifier nor postal address: the ones
/// this base holds stay.
pub fn ecrire_identite(conn: &Connection, dossier: i64, i: &Identite, modifie_le: &str, jour: NaiveDate) -> Result<()> {
    let (france_travail, caf, adresse): (Option<String>, Option<String>, Option<String>) = conn.query_row(
        "SELECT france_travail, caf, adresse FROM personne WHERE dossier = ?1",
        [dossier],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    let i = Identite {
        france_travail: i.france_travail.clone().or(france_travail),
        caf: i.caf.clone().or(caf),
        adresse: i.adresse.clone().or(adresse),
        ..i.clone()
    };
    super::personne::mettre_a_jour(conn, dossier, &i, jour)?;
    conn.execute(
        "UPDATE personne SET modifie_le = ?2 WHERE dossier = ?1",
        params![dossier, modifie_le],
    )?;
    Ok(())
}

/// The records of a parcours, each with its number in this base (the shared identifier
/// is given by the caller: `uid` is empty).
pub struct Elements {
    pub diagnostics: Vec<(i64, DiagnosticTransmis)>,
    pub orientations: Vec<(i64, OrientationTransmise)>,
    pub objectifs: Vec<(i64, ObjectifTransmis)>,
    /// With the number of their objective, and of each status change.
    pub actions: Vec<(i64, Option<i64>, ActionTransmise, Vec<i64>)>,
    pub journal: Vec<(i64, NoteTransmise)>,
}

/// Every record of `parcours_id` that may leave the base (private notes stay).
pub fn elements(conn: &Connection, parcours_id: i64) -> Result<Elements> {
    let auteur = "a.nom || ' (' || s.nom || ')'";
    let joint = "JOIN agent a ON a.id = x.agent_id JOIN structure s ON s.id = a.structure_id";
    let orientations = conn
        .prepare_cached(&format!(
            "SELECT x.id, x.date, x.orientation, x.motif, {auteur} FROM orientation x {joint}
             WHERE x.parcours_id = ?1 ORDER BY x.id"
        ))?
        .query_map([parcours_id], |r| {
            Ok((
                r.get(0)?,
                OrientationTransmise {
                    uid: String::new(),
                    date: r.get(1)?,
                    orientation: r.get(2)?,
                    motif: r.get(3)?,
                    auteur: r.get(4)?,
                },
            ))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let objectifs = conn
        .prepare_cached(&format!(
            "SELECT x.id, x.thematique, x.libelle, x.statut, x.statut_le, x.cree_le, {auteur} FROM objectif x {joint}
             WHERE x.parcours_id = ?1 ORDER BY x.id"
        ))?
        .query_map([parcours_id], |r| {
            Ok((
                r.get(0)?,
                ObjectifTransmis {
                    uid: String::new(),
                    thematique: r.get(1)?,
                    libelle: r.get(2)?,
                    statut: r.get(3)?,
                    statut_le: r.get(4)?,
                    cree_le: r.get(5)?,
                    auteur: r.get(6)?,
                },
            ))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let mut statuts =
        conn.prepare_cached("SELECT id, date, statut FROM action_statut WHERE action_id = ?1 ORDER BY date, id")?;
    let mut actions = Vec::new();
    let lignes: Vec<(i64, Option<i64>, ActionTransmise)> = conn
        .prepare_cached(&format!(
            "SELECT x.id, x.objectif_id, x.libelle, x.thematique, x.echeance, x.cree_le, {auteur} FROM action x {joint}
             WHERE x.parcours_id = ?1 ORDER BY x.id"
        ))?
        .query_map([parcours_id], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                ActionTransmise {
                    uid: String::new(),
                    objectif: None,
                    libelle: r.get(2)?,
                    thematique: r.get(3)?,
                    echeance: r.get(4)?,
                    cree_le: r.get(5)?,
                    auteur: r.get(6)?,
                    statuts: Vec::new(),
                },
            ))
        })?
        .collect::<rusqlite::Result<_>>()?;
    for (id, objectif, mut action) in lignes {
        let mut ids = Vec::new();
        for ligne in statuts.query_map([id], |r| Ok((r.get::<_, i64>(0)?, r.get(1)?, r.get(2)?)))? {
            let (sid, date, statut) = ligne?;
            ids.push(sid);
            action.statuts.push(StatutTransmis {
                uid: String::new(),
                date,
                statut,
            });
        }
        actions.push((id, objectif, action, ids));
    }
    let journal = conn
        .prepare_cached(&format!(
            "SELECT x.id, x.date, x.type, x.texte, {auteur} FROM journal x {joint}
             WHERE x.parcours_id = ?1 AND x.prive = 0 ORDER BY x.id"
        ))?
        .query_map([parcours_id], |r| {
            Ok((
                r.get(0)?,
                NoteTransmise {
                    uid: String::new(),
                    date: r.get(1)?,
                    type_: r.get(2)?,
                    texte: r.get(3)?,
                    auteur: r.get(4)?,
                },
            ))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let diagnostics =
        crate::db::diagnostic::du_dossier(conn, crate::db::parcours::dossier_du_parcours(conn, parcours_id)?)?
            .into_iter()
            .filter(|d| d.parcours_id == parcours_id)
            .map(|d| {
                // Named like the other records' authors: "name (structure)".
                let auteur = conn
                    .prepare_cached(&format!("SELECT {auteur} FROM diagnostic x {joint} WHERE x.id = ?1"))?
                    .query_row([d.id], |r| r.get(0))?;
                Ok((
                    d.id,
                    DiagnosticTransmis {
                        uid: String::new(),
                        date: d.date,
                        auteur,
                        reponses: d.reponses,
                    },
                ))
            })
            .collect::<Result<_>>()?;
    Ok(Elements {
        diagnostics,
        orientations,
        objectifs,
        actions,
        journal,
    })
}

/// Marks a note of the journal as private: it never leaves the base.
pub fn note_privee(conn: &Connection, note_id: i64) -> Result<()> {
    conn.execute("UPDATE journal SET prive = 1 WHERE id = ?1", [note_id])?;
    Ok(())
}

/// Sets an objective's status received from a partner.
pub fn statut_objectif(conn: &Connection, id: i64, statut: &str, le: NaiveDate) -> Result<()> {
    conn.execute(
        "UPDATE objectif SET statut = ?2, statut_le = ?3 WHERE id = ?1",
        params![id, statut, le],
    )?;
    Ok(())
}

/// The status and its date of an objective of this base.
pub fn objectif(conn: &Connection, id: i64) -> Result<(String, NaiveDate)> {
    Ok(
        conn.query_row("SELECT statut, statut_le FROM objectif WHERE id = ?1", [id], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?,
    )
}

/// Adds a status change received for an action; the action takes the status of its
/// latest change.
pub fn ajouter_statut(conn: &Connection, action_id: i64, date: NaiveDate, statut: &str, agent_id: i64) -> Result<i64> {
    conn.prepare_cached("INSERT INTO action_statut (action_id, date, statut, agent_id) VALUES (?1, ?2, ?3, ?4)")?
        .execute(params![action_id, date, statut, agent_id])?;
    let id = conn.last_insert_rowid();
    conn.prepare_cached(
        "UPDATE action SET statut = (SELECT statut FROM action_statut WHERE action_id = ?1 ORDER BY date DESC, id DESC
                                     LIMIT 1) WHERE id = ?1",
    )?
    .execute([action_id])?;
    Ok(id)
}

/// Adds an action received, without status (its changes follow).
pub fn ajouter_action(
    conn: &Connection,
    parcours_id: i64,
    objectif_id: Option<i64>,
    a: &ActionTransmise,
    agent_id: i64,
) -> Result<i64> {
    let statut = a.statuts.last().map_or("proposee", |s| s.statut.as_str());
    conn.prepare_cached(
        "INSERT INTO action (parcours_id, objectif_id, libelle, thematique, echeance, statut, cree_le, agent_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
    )?
    .execute(params![
        parcours_id, objectif_id, a.libelle, a.thematique, a.echeance, statut, a.cree_le, agent_id
    ])?;
    Ok(conn.last_insert_rowid())
}

/// Adds an objective received.
pub fn ajouter_objectif(conn: &Connection, parcours_id: i64, o: &ObjectifTransmis, agent_id: i64) -> Result<i64> {
    conn.prepare_cached(
        "INSERT INTO objectif (parcours_id, thematique, libelle, statut, statut_le, cree_le, agent_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        parcours_id, o.thematique, o.libelle, o.statut, o.statut_le, o.cree_le, agent_id
    ])?;
    Ok(conn.last_insert_rowid())
}

/// Adds an orientation decision received.
pub fn ajouter_orientation(
    conn: &Connection,
    parcours_id: i64,
    o: &OrientationTransmise,
    agent_id: i64,
) -> Result<i64> {
    conn.prepare_cached(
        "INSERT INTO orientation (parcours_id, date, orientation, motif, agent_id) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![parcours_id, o.date, o.orientation, o.motif, agent_id])?;
    Ok(conn.last_insert_rowid())
}

/// Adds a note received.
pub fn ajouter_note(conn: &Connection, parcours_id: i64, n: &NoteTransmise, agent_id: i64) -> Result<i64> {
    conn.prepare_cached("INSERT INTO journal (parcours_id, date, type, texte, agent_id) VALUES (?1, ?2, ?3, ?4, ?5)")?
        .execute(params![parcours_id, n.date, n.type_, n.texte, agent_id])?;
    Ok(conn.last_insert_rowid())
}
