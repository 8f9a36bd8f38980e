//! `base verifier`: the integrity of the file, its references, its name index and its
//! audit chain.

use anyhow::Result;
use rusqlite::Connection;
use serde::Serialize;

use crate::db;
use crate::db::acces::{Ancre, Suite};
use crate::error::{code_sqlite, en_francais};
use crate::ops::{Exigence, Lancement, Session};

#[derive(Serialize)]
pub struct Controle {
    pub controle: &'static str,
    pub statut: &'static str,
    pub detail: String,
}

impl Controle {
    fn de(controle: &'static str, problemes: Vec<String>) -> Controle {
        Controle {
            controle,
            statut: if problemes.is_empty() { "ok" } else { "problème" },
            detail: problemes.join(" ; "),
        }
    }

    pub fn ok(&self) -> bool {
        self.statut == "ok"
    }
}

/// Every check of the base `l.base`, by an administrator. A file SQLite cannot even open
/// as a base (nor find the agent in) is the first finding, not an error: nothing of its
/// content can be read, so nobody can be checked either.
pub fn verifier(l: &Lancement, ancre: Option<&Ancre>) -> Result<Vec<Controle>> {
    let mut session = match Session::ouvrir(l) {
        Ok(s) => s,
        Err(e) if illisible(&e) => {
            return Ok(vec![Controle::de(
                "intégrité du fichier",
                vec![en_francais(&e).message],
            )]);
        }
        Err(e) => return Err(e),
    };
    let chiffree = session.chiffree();
    let verifier = |conn: &Connection| -> Vec<Controle> {
        let mut controles = controler(conn);
        if chiffree {
            controles.push(Controle {
                controle: "nature de la base",
                statut: "ok",
                detail: "base chiffrée (SQLCipher, clé aléatoire de 256 bits), clés des agents à côté".into(),
            });
        } else if db::meta::essai(conn).unwrap_or(false) {
            controles.push(Controle {
                controle: "nature de la base",
                statut: "ok",
                detail: "base d'essai ou de démonstration, en clair : SPIE_DATE y fixe la date du jour".into(),
            });
        }
        if let Some(a) = ancre {
            controles.push(Controle::de("ancre du journal des accès", suite(conn, a)));
        }
        if let Ok(Some(import)) = db::etapes::en_cours(conn) {
            controles.push(Controle {
                controle: "import d'offres",
                statut: "ok",
                detail: format!(
                    "en cours depuis le {} (agent {}) : le catalogue se remplit par étapes",
                    crate::domain::date::moment_fr(&import.depuis),
                    import.agent
                ),
            });
        }
        controles
    };
    match session.base(Exigence::Admin, false, |tx, _| Ok(verifier(tx))) {
        // The damage reached what the session reads or writes (the agents, the audit
        // trail): the checks still run, on the file as it is, and say so.
        Err(e) if illisible(&e) => {
            let mut controles = verifier(&session.rouvrir()?);
            controles.push(Controle::de(
                "inscription au journal des accès",
                vec![format!("impossible : {}", en_francais(&e).message)],
            ));
            Ok(controles)
        }
        autre => autre,
    }
}

/// Whether the trail still extends an anchor kept outside the base (a monthly pack's).
fn suite(conn: &Connection, ancre: &Ancre) -> Vec<String> {
    match db::acces::suite(conn, ancre) {
        Ok(Suite::Prolonge) => Vec::new(),
        Ok(Suite::Rompue) => vec![format!(
            "le journal ne prolonge plus l'ancre {} (entrée n° {} absente ou modifiée) : journal tronqué, effacé \
             ou réécrit",
            ancre.position, ancre.position
        )],
        Ok(Suite::Elaguee) => vec![format!(
            "l'entrée n° {} de l'ancre a été élaguée : une ancre de moins de 12 mois ne l'est jamais par \
             `base journal --elaguer`",
            ancre.position
        )],
        Err(e) => vec![en_francais(&e).message],
    }
}

fn illisible(e: &anyhow::Error) -> bool {
    matches!(
        code_sqlite(e),
        Some(rusqlite::ErrorCode::DatabaseCorrupt | rusqlite::ErrorCode::NotADatabase)
    )
}

/// The checks. A check that cannot run to its end (a page SQLite cannot read) reports
/// that as its finding.
fn controler(conn: &Connection) -> Vec<Controle> {
    let constat = |resultat: Result<Vec<String>>| resultat.unwrap_or_else(|e| vec![en_francais(&e).message]);
    let integrite = integrite_en_francais(&constat(db::controle::integrite(conn)));
    let cles = constat(db::controle::cles_rompues(conn).map(|cles| {
        cles.into_iter()
            .map(|c| {
                format!(
                    "{} ligne {} : référence absente dans {}",
                    c.table,
                    c.ligne.unwrap_or_default(),
                    c.parent
                )
            })
            .collect()
    }));
    let recherche = match db::controle::index_des_noms(conn) {
        Ok(()) => Vec::new(),
        Err(e) => vec![format!(
            "index de recherche des noms incohérent : {}",
            en_francais(&e).message
        )],
    };
    let acces = constat(db::acces::verifier(conn).map(|rupture| {
        rupture
            .map(|r| {
                format!(
                    "journal des accès rompu à la position {} (entrée n° {}) : entrée modifiée, ou entrée \
                     précédente supprimée ou déplacée",
                    r.position, r.id
                )
            })
            .into_iter()
            .collect()
    }));
    vec![
        Controle::de("intégrité du fichier", integrite),
        Controle::de("clés étrangères", cles),
        Controle::de("index de recherche", recherche),
        Controle::de("journal des accès", acces),
    ]
}

/// SQLite's integrity report is in English: how many anomalies, on which pages.
fn integrite_en_francais(lignes: &[String]) -> Vec<String> {
    if lignes.is_empty() {
        return Vec::new();
    }
    let mots: Vec<&str> = lignes.iter().flat_map(|l| l.split_whitespace()).collect();
    let mut pages: Vec<u64> = mots
        .windows(2)
        .filter(|m| m[0].eq_ignore_ascii_case("page"))
        .filter_map(|m| m[1].trim_end_matches(':').parse().ok())
        .collect();
    pages.sort_unstable();
    pages.dedup();
    let ou = if pages.is_empty() {
        String::new()
    } else {
        let pages: Vec<String> = pages.iter().map(u64::to_string).collect();
        format!(" (pages {})", pages.join(", "))
    };
    let pluriel = if lignes.len() > 1 { "s" } else { "" };
    vec![format!("fichier abîmé : {} anomalie{pluriel}{ou}", lignes.len())]
}
