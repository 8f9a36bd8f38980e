//! The Département's monthly pack: `indicateurs.csv` (per EPCI and total, with the
//! secret statistique) and `parcours.csv` (one pseudonymised, k-anonymous row per
//! parcours active during the month). Both describe the base as it stood at the month's
//! last day. No name, birth date, contact nor free text.

use crate::db::stats::{ComptesDuTerritoire, LigneExport};
use crate::domain::anonymat::{Quasi, anonymiser};
use crate::domain::date::age;
use crate::domain::grille::Dimension;
use crate::domain::indicateurs::Agregat;
use crate::domain::indicateurs::{Indicateurs, Mois};
use crate::domain::parcours::MotifSortie;
use crate::domain::prescription::StatutPrescription;
use crate::domain::pseudonyme::{Cle, pseudonyme};
use crate::domain::secret::{Masque, Relation, SECRET, compte, masquer, mediane_masquee, sommes, taux_masque};
use crate::domain::territoire;
use crate::domain::texte::decimal;
use crate::referentiel::communes;

/// The files of a pack.
pub const INDICATEURS: &str = "indicateurs.csv";
pub const PARCOURS: &str = "parcours.csv";
pub const TERRITOIRE: &str = "territoire.csv";
pub const ANCRE: &str = "ancre-journal.txt";
pub const ESSAI: &str = "BASE-D-ESSAI.txt";
pub const MANIFESTE: &str = "manifeste.txt";
/// The manifest's signature by the structure's Ed25519 key, beside it.
pub const SIGNATURE: &str = "manifeste.sig";

/// A CSV file's content, cells already formatted.
pub struct Table {
    pub entetes: Vec<String>,
    pub lignes: Vec<Vec<String>>,
}

/// The indicators of one row of `indicateurs.csv`.
pub struct Groupe {
    /// SIREN of the EPCI, or `total`.
    pub code: String,
    pub nom: String,
    pub indicateurs: Indicateurs,
    /// The group's file active at the end of the previous month: with this month's
    /// entries and exits, it gives this month's back. Taken as known to the reader
    /// (last month's pack shows it, or lets it be found), whatever its marker there.
    pub file_active_precedente: u64,
}

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
    c.push(("rdv_honores".into(), i.journee.rdv_honores as u64));
    c.push(("rdv_absents".into(), i.journee.rdv_absents as u64));
    c.push(("avec_contrat".into(), i.journee.avec_contrat as u64));
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
    let emploi = MotifSortie::EMPLOI
        .iter()
        .map(|m| i(&format!("sorties_{}", m.code())))
        .collect();
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

/// A rate as published: `secret` when it would give a small count back.
fn taux(t: Option<f64>, denominateur: usize, denominateur_cache: bool, seuil: u64) -> String {
    let Some(t) = t else { return String::new() };
    let numerateur = (t * denominateur as f64).round() as u64;
    if taux_masque(numerateur, denominateur as u64, denominateur_cache, seuil) {
        Masque::Secret.publier("", seuil)
    } else {
        decimal(t, 3)
    }
}

/// A median delay over `population` entries, hidden like a rate's.
fn mediane(m: Option<f64>, population: usize, entrees_cachees: bool, seuil: u64) -> String {
    match m {
        None => String::new(),
        Some(_) if mediane_masquee(population as u64, entrees_cachees, seuil) => Masque::Secret.publier("", seuil),
        Some(d) => decimal(d, 1),
    }
}

/// `indicateurs.csv`: the groups, then the total (last). Returns the table and the
/// number of hidden cells.
pub fn indicateurs(groupes: &[Groupe], seuil: u64) -> (Table, usize) {
    let noms: Vec<String> = groupes
        .first()
        .map(|g| comptes(&g.indicateurs).into_iter().map(|(n, _)| n).collect())
        .unwrap_or_default();
    let valeurs: Vec<Vec<u64>> = groupes
        .iter()
        .map(|g| comptes(&g.indicateurs).into_iter().map(|(_, v)| v).collect())
        .collect();
    let colonne = |nom: &str| noms.iter().position(|n| n == nom).expect("known column");
    let mut relations = sommes(valeurs.len(), noms.len(), &familles(&noms));
    relations.extend(groupes.iter().enumerate().map(|(r, g)| Relation {
        termes: vec![
            ((r, colonne("file_active")), 1),
            ((r, colonne("entrees")), -1),
            ((r, colonne("sorties")), 1),
        ],
        constante: g.file_active_precedente as i64,
    }));
    let masque = masquer(&valeurs, seuil, &relations);
    let cache = |r: usize, nom: &str| masque[r][colonne(nom)].cache();
    let mut entetes: Vec<String> = vec!["epci".into(), "nom_epci".into()];
    entetes.extend(noms.iter().cloned());
    entetes.extend(
        [
            "taux_diagnostic_30j", "delai_median_diagnostic", "taux_referent", "taux_contact_90j", "provisoire",
            "diagnostics", "actions_creees", "actions_realisees", "prescriptions", "taux_absence",
            "delai_median_premier_rdv", "taux_contrat",
        ]
        .map(String::from),
    );
    entetes.extend(StatutPrescription::ISSUES.map(|s| format!("prescriptions_{}", s.code())));
    let mut caches = 0;
    let lignes = groupes
        .iter()
        .enumerate()
        .map(|(r, g)| {
            let i = &g.indicateurs;
            let mut l = vec![g.code.clone(), g.nom.clone()];
            for (c, v) in valeurs[r].iter().enumerate() {
                caches += usize::from(masque[r][c].cache());
                l.push(masque[r][c].publier(v, seuil));
            }
            let entrees_cachees = cache(r, "entrees");
            let fa_cache = cache(r, "file_active");
            l.push(taux(i.taux_diagnostic_30j, i.entrees, entrees_cachees, seuil));
            l.push(mediane(
                i.delai_median_diagnostic, i.entrees_diagnostiquees, entrees_cachees, seuil,
            ));
            l.push(taux(i.taux_referent, i.file_active, fa_cache, seuil));
            l.push(taux(i.taux_contact_90j, i.file_active, fa_cache, seuil));
            l.push(if i.provisoire || i.mois_en_cours { "oui" } else { "non" }.into());
            // Counted for the whole base only.
            match &i.comptes {
                Some(c) => {
                    let somme = |m: &std::collections::BTreeMap<String, usize>| m.values().sum::<usize>() as u64;
                    l.extend([
                        compte(c.diagnostics as u64, seuil),
                        compte(somme(&c.actions_creees), seuil),
                        compte(somme(&c.actions_realisees), seuil),
                        compte(somme(&c.prescriptions), seuil),
                    ]);
                }
                None => l.extend(std::iter::repeat_n(String::new(), 4)),
            }
            let j = &i.journee;
            let rdv_caches = cache(r, "rdv_honores") || cache(r, "rdv_absents");
            l.push(taux(j.taux_absence, j.rdv_honores + j.rdv_absents, rdv_caches, seuil));
            l.push(mediane(
                j.delai_median_premier_rdv, j.entrees_avec_rdv, entrees_cachees, seuil,
            ));
            l.push(taux(j.taux_contrat, i.file_active, fa_cache, seuil));
            // The month's outcomes of prescriptions, all sources together (whole base only).
            match &i.comptes {
                Some(c) => l.extend(c.issues().into_iter().map(|(_, n)| compte(n as u64, seuil))),
                None => l.extend(std::iter::repeat_n(String::new(), StatutPrescription::ISSUES.len())),
            }
            l
        })
        .collect();
    (Table { entetes, lignes }, caches)
}

fn tranche(age: i32) -> &'static str {
    match age {
        ..26 => "moins de 26 ans",
        26..50 => "26 à 49 ans",
        _ => "50 ans et plus",
    }
}

/// `parcours.csv`: one row per parcours active during the month, pseudonymised under
/// `cle` for the month, k-anonymous on its quasi-identifiers, sorted by pseudonym. Returns the table
/// and the number of rows whose quasi-identifiers are hidden (when fewer than `k`
/// parcours, no row at all).
pub fn parcours(mois: Mois, cle: &Cle, lignes: &[LigneExport], k: usize) -> (Table, usize) {
    let quasi: Vec<Quasi> = lignes
        .iter()
        .map(|e| Quasi {
            tranche_age: tranche(age(e.naissance, mois.d1)),
            sexe: e.sexe.clone().unwrap_or_default(),
            epci: communes::par_code(&e.commune).map_or(String::new(), |c| c.code_epci.to_owned()),
            entree: e.entree,
            sortie: e.sortie,
            motif: e.motif_sortie.clone(),
        })
        .collect();
    let publies = anonymiser(mois, &quasi, k);
    let mut masques = 0;
    let mut table: Vec<Vec<String>> = Vec::new();
    for (e, publie) in lignes.iter().zip(publies) {
        let Some(publie) = publie else {
            continue;
        };
        masques += usize::from(publie[0] == SECRET);
        let mut l = vec![pseudonyme(cle, &mois.code(), &e.nom_norm, &e.prenom_norm, e.naissance)];
        l.extend(publie);
        l.push(e.orientation.clone().unwrap_or_default());
        l.extend(
            Dimension::TOUS
                .iter()
                .map(|d| e.niveaux.get(d.code()).cloned().unwrap_or_default()),
        );
        l.push(e.actions.to_string());
        l.push(e.actions_realisees.to_string());
        table.push(l);
    }
    table.sort();
    let mut entetes: Vec<String> = [
        "pseudonyme", "tranche_age", "sexe", "epci", "entree", "sortie", "motif_sortie", "orientation",
    ]
    .map(String::from)
    .to_vec();
    entetes.extend(Dimension::TOUS.iter().map(|d| format!("niveau_{}", d.code())));
    entetes.extend(["actions".into(), "actions_realisees".into()]);
    (Table { entetes, lignes: table }, masques)
}

/// `territoire.csv`: what each parcours of the month counts, under its pseudonym and
/// EPCI, for the Département to count the territory's people once; then, without a
/// pseudonym, the counts that are no parcours' own (the residue of erased dossiers by
/// EPCI, the whole base's own counts under `total`). Sorted by pseudonym, the rows
/// without one first: the packs of a territory are merged as they are read.
pub fn territoire(mois: Mois, cle: &Cle, comptes: &ComptesDuTerritoire) -> Table {
    let mut table: Vec<Vec<String>> = comptes
        .lignes
        .iter()
        .map(|(l, epci)| {
            let (nom, prenom, naissance) = &l.identite;
            vec![
                pseudonyme(cle, &mois.code(), nom, prenom, *naissance),
                epci.clone(),
                territoire::en_texte(&Agregat::de_lignes(mois, [&l.ligne])),
            ]
        })
        .chain(
            comptes
                .autres
                .iter()
                .map(|(groupe, a)| vec![String::new(), groupe.clone(), territoire::en_texte(a)]),
        )
        .collect();
    table.sort();
    Table {
        entetes: ["pseudonyme", "epci", "comptes"].map(String::from).to_vec(),
        lignes: table,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::indicateurs::{Agregat, LigneParcours};
    use crate::domain::secret::SECRET;
    use chrono::NaiveDate;
    use proptest::prelude::*;

    fn d(a: i32, m: u32, j: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(a, m, j).unwrap()
    }

    /// A random parcours of a random EPCI among four, around October 2026.
    fn ligne() -> impl Strategy<Value = (usize, LigneParcours)> {
        (
            0usize..4,
            0i64..200,
            proptest::option::of(0i64..120),
            proptest::option::of(0i64..60),
            proptest::sample::select(MotifSortie::TOUS),
            any::<(bool, bool)>(),
        )
            .prop_map(|(groupe, entree, sortie, diagnostic, motif, (referent, contact))| {
                let entree = d(2026, 10, 31) - chrono::Duration::days(entree);
                let sortie = sortie.map(|n| entree + chrono::Duration::days(n));
                (
                    groupe,
                    LigneParcours {
                        entree,
                        sortie,
                        motif_sortie: sortie.map(|_| motif),
                        premier_diagnostic: diagnostic.map(|n| entree + chrono::Duration::days(n)),
                        referent_d1: referent,
                        contact_90j: contact,
                        ..Default::default()
                    },
                )
            })
    }

    proptest! {
        /// Over random bases: every `<5` published hides a count from 1 to 4, a rate or
        /// a median is never written `<5`, and no published count is under the threshold.
        #[test]
        fn every_published_marker_is_true(lignes in prop::collection::vec(ligne(), 0..80)) {
            let m = Mois::lire("2026-10").unwrap();
            let jour = d(2026, 12, 15);
            let precedent = Mois::lire("2026-09").unwrap();
            let du_groupe = |g: Option<usize>| lignes.iter().filter(move |(x, _)| g.is_none_or(|g| *x == g)).map(|(_, l)| l);
            let groupe = |g: Option<usize>| Groupe {
                code: g.map_or("total".into(), |g| format!("g{g}")),
                nom: String::new(),
                indicateurs: Agregat::de_lignes(m, du_groupe(g)).indicateurs(m, jour, g.is_none()),
                file_active_precedente: Agregat::de_lignes(precedent, du_groupe(g)).file_active,
            };
            let mut groupes: Vec<Groupe> = (0..4).map(|g| groupe(Some(g))).collect();
            groupes.push(groupe(None));
            let (table, _) = indicateurs(&groupes, 5);
            let col = |nom: &str| table.entetes.iter().position(|e| e == nom).unwrap();
            for (r, l) in table.lignes.iter().enumerate() {
                let vrai = comptes(&groupes[r].indicateurs);
                for (c, (_, v)) in vrai.iter().enumerate() {
                    let publie = &l[c + 2];
                    match publie.as_str() {
                        "<5" => prop_assert!((1..5).contains(v), "<5 sur {v}"),
                        SECRET => {}
                        n => {
                            prop_assert_eq!(n.parse::<u64>().unwrap(), *v);
                            prop_assert!(*v == 0 || *v >= 5);
                        }
                    }
                }
                for nom in [
                    "taux_diagnostic_30j", "delai_median_diagnostic", "taux_referent", "taux_contact_90j", "taux_absence",
                    "delai_median_premier_rdv", "taux_contrat",
                ] {
                    prop_assert!(!l[col(nom)].starts_with('<'), "{nom} : {}", l[col(nom)]);
                }
                let i = &groupes[r].indicateurs;
                if l[col("delai_median_diagnostic")] != SECRET && i.delai_median_diagnostic.is_some() {
                    prop_assert!(i.entrees_diagnostiquees >= 5);
                }
            }
        }
    }
}
