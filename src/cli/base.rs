//! `spie base …`: create, check and back up the base file.

use anyhow::{Context, Result};
use clap::Subcommand;
use serde::Serialize;

use super::Ctx;
use crate::db;
use crate::db::agent::NouvelleStructure;
use crate::domain::agent::Role;
use crate::domain::texte::{champ_libre, compte};
use crate::error::{Issue, UserError, en_francais, erreur};
use crate::output::fichier::FichierAtomique;
use crate::output::{Colonne, Fiche, Ligne, Section, Valeur};
use crate::referentiel::communes;

#[derive(Debug, Subcommand)]
pub enum Commande {
    /// Crée la base (refuse un fichier existant) et vous en fait administrateur
    Init {
        /// Nom de votre structure (demandé s'il manque, sur un terminal)
        #[arg(long, value_name = "NOM")]
        structure: Option<String>,
        /// Département de la base : les communes y sont cherchées d'abord
        #[arg(long, value_name = "CODE", default_value = "55")]
        departement: String,
    },
    /// Vérifie l'intégrité de la base (code de sortie 3 si un problème est trouvé)
    Verifier,
    /// Le journal des accès : qui a consulté ou modifié quel dossier, quand, par quelle commande
    Journal {
        /// Seulement les accès à ce dossier (un droit de la personne)
        #[arg(long, value_parser = super::numero)]
        dossier: Option<i64>,
        /// Supprime les entrées de plus de 12 mois (administrateurs) ; la chaîne reste vérifiable
        #[arg(long)]
        elaguer: bool,
    },
    /// Durée de conservation : efface les dossiers clos sans contact depuis la durée (aperçu sans --appliquer)
    Purger {
        /// Durée en mois depuis le dernier contact avec la personne
        #[arg(long, default_value_t = 24, value_name = "MOIS", value_parser = super::entre(1u32, 1_200))]
        duree_mois: u32,
        /// Efface vraiment (sinon : la liste seulement)
        #[arg(long)]
        appliquer: bool,
    },
    /// Écrit une copie cohérente de la base, même pendant son utilisation
    Sauvegarder {
        /// Fichier de la copie (ne doit pas exister)
        #[arg(value_name = "FICHIER")]
        fichier: std::path::PathBuf,
    },
}

pub fn executer(ctx: &Ctx, commande: Commande) -> Result<Issue> {
    match commande {
        Commande::Init { structure, departement } => init(ctx, structure, &departement),
        Commande::Verifier => verifier(ctx),
        Commande::Journal { dossier, elaguer } => journal(ctx, dossier, elaguer),
        Commande::Purger { duree_mois, appliquer } => purger(ctx, duree_mois, appliquer),
        Commande::Sauvegarder { fichier } => sauvegarder(ctx, &fichier),
    }
}

#[derive(Serialize)]
struct BaseCreee {
    base: String,
    departement: String,
    structure: String,
    agent: String,
}

fn init(ctx: &Ctx, structure: Option<String>, departement: &str) -> Result<Issue> {
    let departement = departement.trim().to_uppercase();
    if !communes::departement_existe(&departement) {
        return Err(UserError::usage(format!("département inconnu : « {departement} »"))
            .aide("donnez son code : 55, 2A, 971…")
            .into());
    }
    let chemin = ctx.chemin_base();
    if chemin.exists() {
        return Err(erreur(format!("le fichier {} existe déjà", chemin.display()))
            .aide("spie ne remplace jamais une base existante ; choisissez un autre fichier avec --base")
            .into());
    }
    let agent = ctx.identifiant_agent()?.to_owned();
    crate::domain::agent::identifiant(&agent).map_err(|e| erreur(e).aide("choisissez l'identifiant avec --agent"))?;
    let structure = ctx.exiger(structure, "--structure", "Nom de votre structure", |s| {
        let nom = champ_libre("nom de la structure", s, 200).map_err(erreur)?;
        if nom.is_empty() {
            return Err(UserError::usage("--structure : le nom ne peut pas être vide").into());
        }
        Ok(nom)
    })?;
    let jour = ctx.aujourdhui;
    db::creer(&chemin, false, |tx| {
        db::meta::ecrire(tx, db::meta::DEPARTEMENT, &departement)?;
        let nouvelle = NouvelleStructure {
            nom: &structure,
            siret: None,
            typologie: None,
            commune: None,
        };
        let id = db::agent::ajouter_structure(tx, &nouvelle, jour)?;
        db::agent::ajouter_agent(tx, &agent, &agent, id, Role::Admin, jour)?;
        Ok(())
    })?;
    ctx.dire(format!(
        "Base créée : {}. Vous ({agent}) en êtes l'administrateur.\n\
         Étape suivante : ajoutez vos collègues avec `spie agent ajouter IDENTIFIANT --nom \"Prénom Nom\" --structure \"{structure}\"`.",
        chemin.display()
    ));
    let cree = BaseCreee {
        base: chemin.display().to_string(),
        departement,
        structure,
        agent,
    };
    let fiche = Fiche {
        sections: vec![
            Section::new("Base créée")
                .champ("Fichier", cree.base.clone())
                .champ("Département", cree.departement.clone())
                .champ("Structure", cree.structure.clone())
                .champ("Administrateur", cree.agent.clone()),
        ],
    };
    ctx.sortie.fiche(&cree, &fiche)?;
    Ok(Issue::Succes)
}

#[derive(Serialize)]
struct Controle {
    controle: &'static str,
    statut: &'static str,
    detail: String,
}

impl Ligne for Controle {
    const COLONNES: &'static [Colonne] = &[
        Colonne {
            cle: "controle",
            titre: "Contrôle",
        },
        Colonne {
            cle: "statut",
            titre: "Statut",
        },
        Colonne {
            cle: "detail",
            titre: "Détail",
        },
    ];
    fn valeurs(&self) -> Vec<Valeur> {
        vec![self.controle.into(), self.statut.into(), self.detail.clone().into()]
    }
}

fn controle(controle: &'static str, problemes: Vec<String>) -> Controle {
    if problemes.is_empty() {
        Controle {
            controle,
            statut: "ok",
            detail: String::new(),
        }
    } else {
        Controle {
            controle,
            statut: "problème",
            detail: problemes.join(" ; "),
        }
    }
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

/// The checks of `base verifier`. A check that cannot run to its end (a page SQLite cannot
/// read) reports that as its finding.
fn controler(conn: &mut rusqlite::Connection) -> Result<Vec<Controle>> {
    let tx = db::consultation(conn)?;
    let constat = |resultat: Result<Vec<String>>| resultat.unwrap_or_else(|e| vec![en_francais(&e).message]);
    let integrite = constat((|| {
        Ok(tx
            .prepare("PRAGMA integrity_check")?
            .query_map([], |r| r.get(0))?
            .collect::<rusqlite::Result<Vec<String>>>()?
            .into_iter()
            .filter(|l| l != "ok")
            .collect())
    })());
    let integrite = integrite_en_francais(&integrite);
    let cles = constat((|| {
        Ok(tx
            .prepare("PRAGMA foreign_key_check")?
            .query_map([], |r| {
                let (table, ligne, parent): (String, Option<i64>, String) = (r.get(0)?, r.get(1)?, r.get(2)?);
                Ok(format!(
                    "{table} ligne {} : référence absente dans {parent}",
                    ligne.unwrap_or_default()
                ))
            })?
            .collect::<rusqlite::Result<_>>()?)
    })());
    let recherche = match tx.execute("INSERT INTO personne_fts (personne_fts) VALUES ('integrity-check')", []) {
        Ok(_) => Vec::new(),
        Err(e) => vec![format!(
            "index de recherche des noms incohérent : {}",
            en_francais(&e.into()).message
        )],
    };
    let acces = constat(db::acces::verifier(&tx).map(|p| p.into_iter().collect()));
    drop(tx);
    Ok(vec![
        controle("intégrité du fichier", integrite),
        controle("clés étrangères", cles),
        controle("index de recherche", recherche),
        controle("journal des accès", acces),
    ])
}

fn verifier(ctx: &Ctx) -> Result<Issue> {
    let controles = match ctx.ouvrir() {
        Ok(mut conn) => controler(&mut conn)?,
        // A file SQLite cannot even open as a base is the first finding, not an error.
        Err(e)
            if matches!(
                crate::error::code_sqlite(&e),
                Some(rusqlite::ErrorCode::DatabaseCorrupt | rusqlite::ErrorCode::NotADatabase)
            ) =>
        {
            vec![controle("intégrité du fichier", vec![en_francais(&e).message])]
        }
        Err(e) => return Err(e),
    };
    ctx.sortie.liste(&controles)?;
    if controles.iter().all(|c| c.statut == "ok") {
        ctx.dire("Base saine.");
        Ok(Issue::Succes)
    } else {
        ctx.avertir(
            "la base présente des problèmes ; restaurez la dernière bonne sauvegarde ou contactez l'administrateur",
        );
        Ok(Issue::Constats)
    }
}

impl Ligne for db::acces::Entree {
    const COLONNES: &'static [Colonne] = &[
        Colonne {
            cle: "id", titre: "N°"
        },
        Colonne {
            cle: "horodatage",
            titre: "Quand",
        },
        Colonne {
            cle: "agent",
            titre: "Agent",
        },
        Colonne {
            cle: "commande",
            titre: "Commande",
        },
        Colonne {
            cle: "dossier",
            titre: "Dossier",
        },
    ];
    fn valeurs(&self) -> Vec<Valeur> {
        vec![
            self.id.into(),
            self.horodatage.replace('T', " ").into(),
            self.agent.clone().into(),
            self.commande.clone().into(),
            self.dossier.into(),
        ]
    }
}

fn journal(ctx: &Ctx, dossier: Option<i64>, elaguer: bool) -> Result<Issue> {
    let mut conn = ctx.ouvrir()?;
    let tx = db::ecriture(&mut conn)?;
    if elaguer {
        ctx.admin(&tx)?;
        // The system's date: `SPIE_DATE` set in the future must not prune the whole trail.
        let limite = chrono::Local::now().date_naive() - chrono::Months::new(12);
        let limite_texte = limite.to_string();
        let n = db::acces::elaguer(&tx, &limite_texte)?;
        tx.commit()?;
        ctx.dire(format!(
            "{} au {} du journal des accès.",
            compte(
                n as u64,
                "entrée antérieure supprimée",
                "entrées antérieures supprimées"
            ),
            crate::domain::date::fr(limite)
        ));
        return Ok(Issue::Succes);
    }
    ctx.agent(&tx)?;
    let entrees = db::acces::entrees(&tx, dossier)?;
    tx.commit()?;
    ctx.sortie.liste(&entrees)?;
    Ok(Issue::Succes)
}

impl Ligne for db::droits::APurger {
    const COLONNES: &'static [Colonne] = &[
        Colonne {
            cle: "dossier",
            titre: "Dossier",
        },
        Colonne {
            cle: "dernier_contact",
            titre: "Dernier contact",
        },
    ];
    fn valeurs(&self) -> Vec<Valeur> {
        vec![self.dossier.into(), self.dernier_contact.into()]
    }
}

/// The retention rule: closed dossiers without contact for `duree_mois`
/// are erased, keeping the anonymous residue so that past statistics do not change.
fn purger(ctx: &Ctx, duree_mois: u32, appliquer: bool) -> Result<Issue> {
    let avant = crate::domain::date::mois_avant(ctx.aujourdhui, duree_mois).map_err(UserError::usage)?;
    let mut conn = ctx.ouvrir()?;
    conn.pragma_update(None, "secure_delete", "ON")?;
    let tx = db::ecriture(&mut conn)?;
    if appliquer {
        ctx.admin(&tx)?;
    } else {
        ctx.agent(&tx)?;
    }
    let dossiers = db::droits::a_purger(&tx, avant)?;
    if appliquer {
        for d in &dossiers {
            db::droits::effacer(&tx, d.dossier, ctx.aujourdhui)?;
            ctx.consigner(&tx, "base purger", Some(d.dossier))?;
        }
        tx.commit()?;
        db::compacter(&conn)?;
        ctx.dire(format!(
            "{} (clos, sans contact depuis le {}).",
            compte(dossiers.len() as u64, "dossier effacé", "dossiers effacés"),
            crate::domain::date::fr(avant)
        ));
    } else {
        tx.commit()?;
        ctx.dire(format!(
            "{} à effacer (clos, sans contact depuis le {}) ; rien n'est effacé sans --appliquer.",
            compte(dossiers.len() as u64, "dossier", "dossiers"),
            crate::domain::date::fr(avant)
        ));
    }
    ctx.sortie.liste(&dossiers)?;
    Ok(Issue::Succes)
}

#[derive(Serialize)]
struct Sauvegarde {
    fichier: String,
    octets: u64,
}

const AIDE_ENDOMMAGEE: &str = "gardez telles quelles vos sauvegardes précédentes (n'écrivez rien par-dessus) ; \
     `spie base verifier` détaille les dégâts ; restaurez la dernière bonne sauvegarde";

/// Whether SQLite's quick check (every page readable, every record well formed; not the
/// indexes' content) finds the base intact. A page it cannot read is damage too.
fn intacte(conn: &rusqlite::Connection) -> Result<bool> {
    let lignes = (|| {
        conn.prepare("PRAGMA quick_check")?
            .query_map([], |r| r.get::<_, String>(0))?
            .collect::<rusqlite::Result<Vec<String>>>()
    })();
    match lignes {
        Ok(lignes) => Ok(lignes == ["ok"]),
        Err(e) if e.sqlite_error_code() == Some(rusqlite::ErrorCode::DatabaseCorrupt) => Ok(false),
        Err(e) => Err(e.into()),
    }
}

fn sauvegarder(ctx: &Ctx, fichier: &std::path::Path) -> Result<Issue> {
    let conn = ctx.ouvrir()?;
    if fichier.exists() {
        return Err(erreur(format!("le fichier {} existe déjà", fichier.display()))
            .aide("choisissez un nouveau nom, par exemple avec la date du jour")
            .into());
    }
    if !intacte(&conn)? {
        return Err(
            erreur("la base est endommagée : une sauvegarde en copierait les dégâts, elle n'est pas faite")
                .aide(AIDE_ENDOMMAGEE)
                .into(),
        );
    }
    let copie = FichierAtomique::creer(fichier, false)?;
    conn.backup(rusqlite::MAIN_DB, copie.chemin_temporaire(), None)
        .context("copie de la base")?;
    copie.valider()?;
    let s = Sauvegarde {
        fichier: fichier.display().to_string(),
        octets: std::fs::metadata(fichier)?.len(),
    };
    ctx.dire(format!("Sauvegarde écrite : {} ({} Kio).", s.fichier, s.octets / 1024));
    let fiche = Fiche {
        sections: vec![
            Section::new("Sauvegarde")
                .champ("Fichier", s.fichier.clone())
                .champ("Octets", s.octets as i64),
        ],
    };
    ctx.sortie.fiche(&s, &fiche)?;
    Ok(Issue::Succes)
}
