//! A realistic synthetic base: structures and agents of Meuse, people spread over its
//! communes in proportion to population, parcours opened over the last 24 months with
//! exits and référents. Deterministic for a given seed and date. Everything goes
//! through the same db functions as the commands.

mod diagnostics;
mod noms;
mod offres;
mod suivi;

use std::collections::BTreeMap;

use anyhow::Result;
use chrono::{Days, NaiveDate};
use rusqlite::Transaction;
use serde::Serialize;

use crate::db;
use crate::db::agent::NouvelleStructure;
use crate::domain::agent::{Role, identifiant};
use crate::domain::parcours::MotifSortie;
use crate::domain::personne::{Identite, Sexe};
use crate::domain::texte::normaliser;
use crate::referentiel::communes::{self, Commune};

pub const DEPARTEMENT: &str = "55";

pub struct Options {
    pub personnes: usize,
    pub graine: u64,
    pub aujourdhui: NaiveDate,
    /// The agent running the demo, registered as an administrator so that they can
    /// explore the base at once.
    pub agent_courant: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct Resume {
    pub personnes: usize,
    pub parcours_ouverts: usize,
    pub parcours_clos: usize,
    pub sans_referent: usize,
    pub diagnostics: usize,
    pub orientations: usize,
    pub offres: usize,
    pub structures: usize,
    pub agents: usize,
    /// Open parcours by EPCI of residence, largest first.
    pub ouverts_par_epci: Vec<(String, usize)>,
    /// A référent and one of their dossiers, for the first commands to try.
    pub exemple_referent: String,
    pub exemple_dossier: i64,
    /// The agent to explore the base with: the one who ran the demo, or `demo`.
    pub agent: String,
}

/// (name, typology, commune, share of the référents)
const STRUCTURES: &[(&str, &str, &str, u32)] = &[
    ("Espace insertion Meuse (démo)", "CD", "55029", 40),
    ("Mission locale du Nord meusien (démo)", "ML", "55545", 20),
    ("CCAS de Commercy (démo)", "CCAS", "55122", 10),
    ("Association Tremplin Meuse (démo)", "ASSO", "55463", 15),
    ("France Travail Verdun (démo)", "FT", "55545", 15),
];

/// Exit motifs and their weights (per thousand exits).
const MOTIFS: &[(MotifSortie, u32)] = &[
    (MotifSortie::EmploiDurable, 190),
    (MotifSortie::EmploiTemporaire, 200),
    (MotifSortie::CreationEntreprise, 30),
    (MotifSortie::Iae, 110),
    (MotifSortie::FormationQualifiante, 120),
    (MotifSortie::Demenagement, 80),
    (MotifSortie::Reorientation, 100),
    (MotifSortie::Abandon, 120),
    (MotifSortie::Autre, 50),
];

struct AgentDemo {
    id: i64,
    identifiant: String,
    structure_id: i64,
}

struct Tirage(fastrand::Rng);

impl Tirage {
    fn chance(&mut self, p: f64) -> bool {
        self.0.f64() < p
    }
    fn un<'a, T>(&mut self, liste: &'a [T]) -> &'a T {
        &liste[self.0.usize(..liste.len())]
    }
    fn pondere<T: Copy>(&mut self, liste: &[(T, u32)]) -> T {
        let total: u32 = liste.iter().map(|(_, p)| p).sum();
        let mut x = self.0.u32(..total);
        for (v, p) in liste {
            if x < *p {
                return *v;
            }
            x -= p;
        }
        liste[liste.len() - 1].0
    }
    fn jours(&mut self, max: u64) -> u64 {
        self.0.u64(..=max)
    }
}

pub fn generer(tx: &Transaction, o: &Options) -> Result<Resume> {
    let mut t = Tirage(fastrand::Rng::with_seed(o.graine));
    let jour = o.aujourdhui;
    db::meta::ecrire(tx, db::meta::DEPARTEMENT, DEPARTEMENT)?;
    db::meta::ecrire(tx, db::meta::DEMO, "oui")?;

    let mut structures = Vec::new();
    for (nom, typologie, commune, part) in STRUCTURES {
        let s = NouvelleStructure {
            nom,
            siret: None,
            typologie: Some(typologie),
            commune: Some(commune),
        };
        structures.push((db::agent::ajouter_structure(tx, &s, jour)?, *part));
    }
    let principale = structures[0].0;
    db::agent::ajouter_agent(
        tx,
        "demo",
        "Administrateur de démonstration",
        principale,
        Role::Admin,
        jour,
    )?;
    let mut agent = "demo".to_string();
    if let Some(courant) = o.agent_courant.as_deref().and_then(|a| identifiant(a).ok()) {
        if db::agent::trouver_agent(tx, &courant)?.is_none() {
            db::agent::ajouter_agent(tx, &courant, &courant, principale, Role::Admin, jour)?;
        }
        agent = courant;
    }
    for (i, (structure, _)) in structures.iter().enumerate() {
        db::agent::ajouter_agent(
            tx,
            &format!("accueil{}", i + 1),
            "Accueil",
            *structure,
            Role::Accueil,
            jour,
        )?;
    }
    let referents = creer_referents(tx, &mut t, &structures, (o.personnes / 70).max(4), jour)?;

    let communes = communes_ponderees();
    let total_pop: u64 = communes.last().map_or(0, |(_, cumul)| *cumul);
    let mut resume = Resume {
        personnes: o.personnes,
        parcours_ouverts: 0,
        parcours_clos: 0,
        sans_referent: 0,
        diagnostics: 0,
        orientations: 0,
        offres: 0,
        structures: structures.len(),
        agents: db::agent::agents(tx)?.len(),
        ouverts_par_epci: Vec::new(),
        exemple_referent: String::new(),
        exemple_dossier: 0,
        agent,
    };
    resume.offres = offres::generer(tx, &mut t, &communes, jour)?;
    let mut par_epci: BTreeMap<&str, usize> = BTreeMap::new();
    db::indexation_differee(tx, "personne", || {
        for _ in 0..o.personnes {
            let x = t.0.u64(..total_pop.max(1));
            let commune = communes[communes.partition_point(|(_, cumul)| *cumul <= x)].0;
            let referent = t.un(&referents);
            let entree = jour - Days::new(t.jours(730));
            let identite = personne(&mut t, commune, entree);
            let dossier = db::personne::inserer(tx, &identite, referent.id, entree)?;
            let mut debut = entree;
            loop {
                let (sortie, exemplaire) =
                    parcours(tx, &mut t, dossier, (referent, &referents), debut, jour, &mut resume)?;
                match sortie {
                    None => {
                        *par_epci.entry(commune.nom_epci).or_default() += 1;
                        // The example is one the demo's agent may read: of its structure.
                        if resume.exemple_dossier == 0 && exemplaire && referent.structure_id == principale {
                            resume.exemple_dossier = dossier;
                            resume.exemple_referent = referent.identifiant.clone();
                        }
                        break;
                    }
                    Some(sortie) => {
                        // One person in twenty comes back after an exit.
                        let retour = sortie + Days::new(30 + t.jours(200));
                        if retour > jour || !t.chance(0.05) {
                            break;
                        }
                        debut = retour;
                    }
                }
            }
        }
        Ok(())
    })?;
    resume.ouverts_par_epci = par_epci.into_iter().map(|(e, n)| (e.to_owned(), n)).collect();
    resume
        .ouverts_par_epci
        .sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    Ok(resume)
}

fn creer_referents(
    tx: &Transaction,
    t: &mut Tirage,
    structures: &[(i64, u32)],
    nombre: usize,
    jour: NaiveDate,
) -> Result<Vec<AgentDemo>> {
    let mut agents = Vec::new();
    for i in 0..nombre {
        let prenom = if t.chance(0.7) {
            t.un(noms::PRENOMS_F)
        } else {
            t.un(noms::PRENOMS_M)
        };
        let nom = t.un(noms::NOMS);
        let identifiant = format!(
            "{}.{}{}",
            &normaliser(prenom)[..1],
            normaliser(nom).replace(' ', ""),
            i + 1
        );
        let structure_id = t.pondere(structures);
        let id = db::agent::ajouter_agent(
            tx,
            &identifiant,
            &format!("{prenom} {nom}"),
            structure_id,
            Role::Referent,
            jour,
        )?;
        agents.push(AgentDemo {
            id,
            identifiant,
            structure_id,
        });
    }
    Ok(agents)
}

/// Communes of Meuse with their cumulative population, for a draw in proportion to it.
fn communes_ponderees() -> Vec<(&'static Commune, u64)> {
    let mut cumul = 0;
    communes::toutes()
        .iter()
        .filter(|c| c.departement == DEPARTEMENT && c.population > 0)
        .map(|c| {
            cumul += u64::from(c.population);
            (c, cumul)
        })
        .collect()
}

fn personne(t: &mut Tirage, commune: &Commune, entree: NaiveDate) -> Identite {
    let sexe = if t.chance(0.5) { Sexe::F } else { Sexe::M };
    let prenom = match sexe {
        Sexe::F => t.un(noms::PRENOMS_F),
        Sexe::M => t.un(noms::PRENOMS_M),
    };
    let nom = t.un(noms::NOMS);
    // Younger people are more frequent among those followed.
    let age = 18 + (t.0.f64().powf(1.4) * 46.0) as u64;
    let naissance = entree - Days::new(age * 365 + t.jours(364));
    let mut publics = Vec::new();
    for (code, p) in [
        ("rsa", 0.35),
        ("de", 0.65),
        ("rqth", 0.1),
        ("qpv", 0.06),
        ("parent-isole", 0.08),
    ] {
        if t.chance(p) {
            publics.push(code.to_owned());
        }
    }
    if age < 26 {
        publics.push("jeune".into());
    } else if age >= 50 {
        publics.push("senior".into());
    }
    publics.sort();
    let telephone = t.chance(0.75).then(|| {
        let n = t.0.u32(10_000_000..100_000_000);
        let s = format!("0{}{n}", if t.chance(0.8) { 6 } else { 7 });
        (0..5).map(|i| &s[2 * i..2 * i + 2]).collect::<Vec<_>>().join(" ")
    });
    let courriel = t.chance(0.4).then(|| {
        format!(
            "{}.{}@example.org",
            normaliser(prenom).replace(' ', "-"),
            normaliser(nom).replace(' ', "-")
        )
    });
    Identite {
        nom: nom.to_string(),
        prenom: prenom.to_string(),
        naissance,
        sexe: Some(sexe),
        commune: commune.code.to_owned(),
        telephone,
        courriel,
        publics,
        france_travail: None,
        caf: None,
        adresse: None,
    }
}

/// One parcours from `entree`; returns its exit date if it ended before today, and
/// whether it can be the summary's example: with a référent and a diagnostic.
fn parcours(
    tx: &Transaction,
    t: &mut Tirage,
    dossier: i64,
    (referent, partenaires): (&AgentDemo, &[AgentDemo]),
    entree: NaiveDate,
    jour: NaiveDate,
    resume: &mut Resume,
) -> Result<(Option<NaiveDate>, bool)> {
    let id = db::parcours::ouvrir(tx, dossier, referent.structure_id, entree)?;
    // About 4 % of parcours end each month: mean length around two years.
    let duree = (-(1.0 - t.0.f64()).ln() * 700.0) as u64;
    let sortie = entree + Days::new(duree.max(15));
    let fin = sortie.min(jour);
    let avec_referent = t.chance(0.94);
    if avec_referent {
        let debut = (entree + Days::new(t.jours(20))).min(fin);
        db::parcours::designer_referent(tx, id, referent.id, debut)?;
    }
    suivi::generer(tx, t, (id, dossier), referent, partenaires, entree, fin)?;
    let mut compte = diagnostics::Compte::default();
    diagnostics::generer(
        tx,
        t,
        id,
        (referent.id, &referent.identifiant),
        entree,
        fin,
        &mut compte,
    )?;
    resume.diagnostics += compte.diagnostics;
    resume.orientations += compte.orientations;
    if sortie <= jour {
        db::parcours::clore(tx, id, sortie, t.pondere(MOTIFS))?;
        resume.parcours_clos += 1;
        Ok((Some(sortie), false))
    } else {
        resume.parcours_ouverts += 1;
        if !avec_referent {
            resume.sans_referent += 1;
        }
        Ok((None, avec_referent && compte.diagnostics > 0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn base(graine: u64, personnes: usize) -> (tempfile::TempDir, rusqlite::Connection, Resume) {
        let dir = tempfile::tempdir().unwrap();
        let chemin = dir.path().join("demo.sqlite");
        let mut resume = None;
        let options = Options {
            personnes,
            graine,
            aujourdhui: NaiveDate::from_ymd_opt(2026, 11, 26).unwrap(),
            agent_courant: Some("moi".into()),
        };
        db::creer(&chemin, false, |tx| {
            resume = Some(generer(tx, &options)?);
            Ok(())
        })
        .unwrap();
        let conn = db::ouvrir(&chemin).unwrap();
        (dir, conn, resume.unwrap())
    }

    fn empreinte(conn: &rusqlite::Connection) -> Vec<String> {
        conn.prepare("SELECT nom || prenom || naissance || commune FROM personne ORDER BY dossier")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    }

    #[test]
    fn same_seed_same_base_other_seed_other_base() {
        let (_d1, a, ra) = base(1, 300);
        let (_d2, b, _) = base(1, 300);
        let (_d3, c, _) = base(2, 300);
        assert_eq!(empreinte(&a), empreinte(&b));
        assert_ne!(empreinte(&a), empreinte(&c));
        assert_eq!(ra.personnes, 300);
    }

    #[test]
    fn the_demo_is_plausible() {
        let (_dir, conn, r) = base(7, 2000);
        let q = |sql: &str| -> i64 { conn.query_row(sql, [], |row| row.get(0)).unwrap() };
        assert_eq!(q("SELECT count(*) FROM personne"), 2000);
        assert_eq!(
            q("SELECT count(*) FROM parcours WHERE sortie IS NULL") as usize,
            r.parcours_ouverts
        );
        assert_eq!(
            q("SELECT count(*) FROM parcours WHERE sortie IS NOT NULL") as usize,
            r.parcours_clos
        );
        // Roughly half of the people entered over two years have left.
        assert!((600..1400).contains(&r.parcours_clos), "{}", r.parcours_clos);
        // Everyone lives in Meuse; Verdun and Bar-le-Duc are the largest towns.
        assert_eq!(q("SELECT count(*) FROM personne WHERE commune NOT LIKE '55%'"), 0);
        assert!(q("SELECT count(*) FROM personne WHERE commune = '55545'") > 100);
        assert!(q("SELECT count(*) FROM parcours WHERE motif_sortie = 'emploi-durable'") > 50);
        assert!(q("SELECT count(*) FROM agent WHERE identifiant = 'moi' AND role = 'admin'") == 1);
        assert_eq!(
            r.ouverts_par_epci.iter().map(|(_, n)| n).sum::<usize>(),
            r.parcours_ouverts
        );
        assert!(r.exemple_dossier > 0);
        // Most parcours are diagnosed, mobility is the most frequent barrier.
        assert_eq!(q("SELECT count(*) FROM diagnostic") as usize, r.diagnostics);
        let diagnostiques = q("SELECT count(DISTINCT parcours_id) FROM diagnostic");
        let parcours = q("SELECT count(*) FROM parcours");
        assert!(diagnostiques * 10 > parcours * 7, "{diagnostiques} / {parcours}");
        let frein = |d: &str| {
            q(&format!(
                "SELECT count(*) FROM diagnostic_contrainte WHERE dimension = '{d}' AND niveau IN ('moyen', 'fort')"
            ))
        };
        assert!(frein("mobilite") > frein("langue") && frein("sante") > frein("langue"));
        assert!(q("SELECT count(*) FROM orientation WHERE suggestion <> orientation AND motif IS NULL") == 0);
        assert!(r.orientations > 0 && r.orientations < r.diagnostics);
    }
}
