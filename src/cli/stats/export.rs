//! `spie stats export --mois AAAA-MM --sortie DOSSIER`: the Département's pack —
//! `indicateurs.csv` (per EPCI and total, small counts hidden) and `parcours.csv` (one
//! pseudonymised line per parcours). No name, birth date, contact nor free text.

use std::collections::BTreeMap;
use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::Args;
use serde::Serialize;

use crate::cli::{Ctx, entre};
use crate::db;
use crate::domain::date::age;
use crate::domain::grille::Dimension;
use crate::domain::indicateurs::{Comptes, Indicateurs, LigneParcours, Mois, calculer};
use crate::domain::parcours::MotifSortie;
use crate::domain::pseudonyme::pseudonyme;
use crate::domain::secret::{masquer, taux_masque};
use crate::error::{Issue, UserError, erreur};
use crate::export::{csv_pour_tableur, decimal};
use crate::output::{Fiche, Section};
use crate::referentiel::communes;

#[derive(Debug, Args)]
pub struct Arguments {
    /// Mois AAAA-MM
    #[arg(long, value_name = "AAAA-MM")]
    mois: String,
    /// Dossier où écrire indicateurs.csv et parcours.csv (créé s'il manque)
    #[arg(long, value_name = "DOSSIER")]
    sortie: PathBuf,
    /// Les effectifs inférieurs à ce seuil sont masqués (« <5 »)
    #[arg(long, default_value_t = 5, value_name = "N", value_parser = entre(0u64, 1_000))]
    seuil: u64,
}

#[derive(Serialize)]
struct Pack {
    mois: String,
    dossier: String,
    indicateurs: usize,
    parcours: usize,
    cellules_masquees: usize,
}

const EMPLOI: [MotifSortie; 4] = [
    MotifSortie::EmploiDurable,
    MotifSortie::EmploiTemporaire,
    MotifSortie::CreationEntreprise,
    MotifSortie::Iae,
];

/// The count columns of indicateurs.csv, with how to read each from the indicators.
fn comptes(i: &Indicateurs) -> Vec<(String, u64)> {
    let mut c = vec![
        ("file_active".to_string(), i.file_active as u64),
        ("entrees".into(), i.entrees as u64),
        ("sorties".into(), i.sorties as u64),
        ("sorties_emploi".into(), i.sorties_emploi as u64),
    ];
    for m in MotifSortie::TOUS {
        c.push((
            format!("sorties_{}", m.code()),
            i.sorties_par_motif.get(m.code()).copied().unwrap_or(0) as u64,
        ));
    }
    c.push(("orientation_pro".into(), i.orientations.pro as u64));
    c.push(("orientation_sociopro".into(), i.orientations.sociopro as u64));
    c.push(("orientation_social".into(), i.orientations.social as u64));
    c.push(("non_oriente".into(), i.orientations.non_oriente as u64));
    for d in Dimension::TOUS {
        c.push((
            format!("frein_{}", d.code()),
            i.freins.get(d.code()).copied().unwrap_or(0) as u64,
        ));
    }
    c
}

/// Which columns add up to which (within a row): exits by motif, exits to work, the
/// file active by orientation.
fn familles(noms: &[String]) -> Vec<(usize, Vec<usize>)> {
    let i = |n: &str| noms.iter().position(|x| x == n).expect("known column");
    let motifs = MotifSortie::TOUS
        .iter()
        .map(|m| i(&format!("sorties_{}", m.code())))
        .collect();
    let emploi = EMPLOI.iter().map(|m| i(&format!("sorties_{}", m.code()))).collect();
    let orientations = [
        "orientation_pro", "orientation_sociopro", "orientation_social", "non_oriente",
    ]
    .iter()
    .map(|n| i(n))
    .collect();
    vec![
        (i("sorties"), motifs),
        (i("sorties_emploi"), emploi),
        (i("file_active"), orientations),
    ]
}

/// A rate in the pack: hidden when it would give a small count back.
fn taux(t: Option<f64>, denominateur: u64, denominateur_cache: bool, seuil: u64) -> String {
    match t {
        None => String::new(),
        Some(t) if taux_masque(t, denominateur, denominateur_cache, seuil) => format!("<{seuil}"),
        Some(t) => decimal(t, 3),
    }
}

fn tranche(age: i32) -> &'static str {
    match age {
        ..26 => "moins de 26 ans",
        26..50 => "26 à 49 ans",
        _ => "50 ans et plus",
    }
}

pub fn executer(ctx: &Ctx, a: Arguments) -> Result<Issue> {
    let mois = Mois::lire(&a.mois).map_err(UserError::usage)?;
    let cle = std::env::var("SPIE_CLE_PSEUDO").unwrap_or_default();
    if cle.trim().is_empty() {
        return Err(erreur("la clé de pseudonymisation manque : l'export est refusé")
            .aide("le Département vous remet une clé ; donnez-la par la variable SPIE_CLE_PSEUDO")
            .into());
    }
    if a.seuil == 0 {
        return Err(UserError::usage("--seuil doit valoir au moins 1").into());
    }
    let mut conn = ctx.ouvrir()?;
    let tx = db::ecriture(&mut conn)?;
    ctx.agent(&tx)?;
    let total = db::stats::indicateurs(&tx, mois, ctx.aujourdhui)?;
    let lignes = db::stats::lignes(&tx, mois)?;
    let exportees = db::stats::lignes_export(&tx, mois)?;
    ctx.consigner(&tx, "stats export", None)?;
    tx.commit()?;

    // indicateurs.csv: one row per EPCI of residence, then the total.
    let mut par_epci: BTreeMap<(String, String), Vec<LigneParcours>> = BTreeMap::new();
    for l in &lignes {
        let (code, nom) = communes::par_code(&l.commune).map_or(("".into(), "inconnu".into()), |c| {
            (c.code_epci.to_owned(), c.nom_epci.to_owned())
        });
        par_epci.entry((code, nom)).or_default().push(l.ligne.clone());
    }
    let mut groupes: Vec<(String, String, Indicateurs)> = par_epci
        .into_iter()
        .map(|((code, nom), ls)| (code, nom, calculer(mois, ctx.aujourdhui, &ls, Comptes::default())))
        .collect();
    groupes.push(("total".into(), "total".into(), total.clone()));
    let noms: Vec<String> = comptes(&total).into_iter().map(|(n, _)| n).collect();
    let valeurs: Vec<Vec<u64>> = groupes
        .iter()
        .map(|(_, _, i)| comptes(i).into_iter().map(|(_, v)| v).collect())
        .collect();
    let masque = masquer(&valeurs, a.seuil, &familles(&noms));
    let cache = |r: usize, nom: &str| masque[r][noms.iter().position(|n| n == nom).expect("known column")];
    let mut entetes: Vec<&str> = vec!["epci", "nom_epci"];
    entetes.extend(noms.iter().map(String::as_str));
    entetes.extend([
        "taux_diagnostic_30j", "delai_median_diagnostic", "taux_referent", "taux_contact_90j", "provisoire",
        "diagnostics", "actions_creees", "actions_realisees", "prescriptions",
    ]);
    let petit = |x: usize| {
        if x > 0 && (x as u64) < a.seuil {
            format!("<{}", a.seuil)
        } else {
            x.to_string()
        }
    };
    let mut cellules_masquees = 0;
    let csv_indicateurs: Vec<Vec<String>> = groupes
        .iter()
        .enumerate()
        .map(|(r, (code, nom, i))| {
            let mut l = vec![code.clone(), nom.clone()];
            for (c, v) in valeurs[r].iter().enumerate() {
                if masque[r][c] {
                    cellules_masquees += 1;
                    l.push(format!("<{}", a.seuil));
                } else {
                    l.push(v.to_string());
                }
            }
            let diag = taux(i.taux_diagnostic_30j, i.entrees as u64, cache(r, "entrees"), a.seuil);
            let delai = if diag.starts_with('<') {
                diag.clone()
            } else {
                i.delai_median_diagnostic.map(|d| decimal(d, 1)).unwrap_or_default()
            };
            l.push(diag);
            l.push(delai);
            l.push(taux(
                i.taux_referent,
                i.file_active as u64,
                cache(r, "file_active"),
                a.seuil,
            ));
            l.push(taux(
                i.taux_contact_90j,
                i.file_active as u64,
                cache(r, "file_active"),
                a.seuil,
            ));
            l.push(if i.provisoire { "oui" } else { "non" }.into());
            // Counted for the whole base only.
            let somme = |m: &BTreeMap<String, usize>| m.values().sum::<usize>();
            if code == "total" {
                l.extend([
                    petit(i.diagnostics),
                    petit(somme(&i.actions_creees)),
                    petit(somme(&i.actions_realisees)),
                    petit(somme(&i.prescriptions)),
                ]);
            } else {
                l.extend(std::iter::repeat_n(String::new(), 4));
            }
            l
        })
        .collect();

    // parcours.csv: pseudonymised, no name, birth date, contact nor free text.
    let mut csv_parcours: Vec<Vec<String>> = exportees
        .iter()
        .map(|e| {
            let epci = communes::par_code(&e.commune).map_or(String::new(), |c| c.code_epci.to_owned());
            let mut l = vec![
                if e.efface {
                    "efface".to_string()
                } else {
                    pseudonyme(cle.as_bytes(), &e.nom_norm, &e.prenom_norm, e.naissance)
                },
                tranche(age(e.naissance, mois.d1)).to_owned(),
                e.sexe.clone().unwrap_or_default(),
                epci,
                e.entree.to_string(),
                e.sortie.map(|s| s.to_string()).unwrap_or_default(),
                e.motif_sortie.clone().unwrap_or_default(),
                e.orientation.clone().unwrap_or_default(),
            ];
            l.extend(
                Dimension::TOUS
                    .iter()
                    .map(|d| e.niveaux.get(d.code()).cloned().unwrap_or_default()),
            );
            l.push(e.actions.to_string());
            l.push(e.actions_realisees.to_string());
            l
        })
        .collect();
    csv_parcours.sort();
    let mut entetes_parcours = vec![
        "pseudonyme", "tranche_age", "sexe", "epci", "entree", "sortie", "motif_sortie", "orientation",
    ];
    let niveaux: Vec<String> = Dimension::TOUS.iter().map(|d| format!("niveau_{}", d.code())).collect();
    entetes_parcours.extend(niveaux.iter().map(String::as_str));
    entetes_parcours.extend(["actions", "actions_realisees"]);

    std::fs::create_dir_all(&a.sortie).with_context(|| format!("impossible de créer {}", a.sortie.display()))?;
    crate::output::fichier::ecrire(
        Some(&a.sortie.join("indicateurs.csv")),
        &csv_pour_tableur(&entetes, &csv_indicateurs)?,
        true,
    )?;
    crate::output::fichier::ecrire(
        Some(&a.sortie.join("parcours.csv")),
        &csv_pour_tableur(&entetes_parcours, &csv_parcours)?,
        true,
    )?;
    ctx.dire(format!(
        "Pack de {} écrit dans {} : indicateurs.csv ({} lignes, {cellules_masquees} cellules masquées sous le seuil de {}), parcours.csv ({} parcours).",
        mois.code(),
        a.sortie.display(),
        csv_indicateurs.len(),
        a.seuil,
        csv_parcours.len()
    ));
    let pack = Pack {
        mois: mois.code(),
        dossier: a.sortie.display().to_string(),
        indicateurs: csv_indicateurs.len(),
        parcours: csv_parcours.len(),
        cellules_masquees,
    };
    let fiche = Fiche {
        sections: vec![
            Section::new(format!("Pack de {}", pack.mois))
                .champ("Dossier", pack.dossier.clone())
                .champ("Lignes d'indicateurs", pack.indicateurs as i64)
                .champ("Parcours", pack.parcours as i64)
                .champ("Cellules masquées", pack.cellules_masquees as i64),
        ],
    };
    ctx.sortie.fiche(&pack, &fiche)?;
    Ok(Issue::Succes)
}
