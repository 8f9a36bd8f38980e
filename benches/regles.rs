//! Micro-benchmarks of the pure rules behind the commands (`cargo bench`): what a row of a
//! partner's file, a diagnostic, a commune or a month of indicators costs without the
//! process or the base around it. Whole commands are measured by benches/run.sh.

use std::hint::black_box;

use chrono::NaiveDate;
use criterion::{Criterion, criterion_group, criterion_main};

use spie::domain::diagnostic::{Reponses, suggerer};
use spie::domain::indicateurs::{Agregat, LigneParcours, Mois};
use spie::domain::offre::{Brut, Champ, verifier};
use spie::domain::texte;
use spie::referentiel::communes;

fn jour(texte: &str) -> NaiveDate {
    NaiveDate::parse_from_str(texte, "%Y-%m-%d").unwrap()
}

/// A typical row of a partner's file, as the column mapping gives it.
fn ligne() -> Brut {
    [
        (Champ::Id, "B42"),
        (Champ::Nom, "Atelier numérique du mardi"),
        (
            Champ::Description,
            "Accompagnement aux démarches en ligne pour les personnes éloignées du numérique.",
        ),
        (Champ::Thematiques, "numerique--acceder-a-des-services-en-ligne"),
        (Champ::CodeInsee, "55545"),
        (Champ::Telephone, "03 29 00 00 00"),
        (Champ::Courriel, "atelier@example.org"),
        (Champ::DateMaj, "2026-10-01"),
        (Champ::Publics, "tous-publics"),
        (Champ::ModesAccueil, "en-presentiel"),
        (Champ::Frais, "gratuit"),
        (Champ::ZoneEligibilite, "55"),
    ]
    .into_iter()
    .map(|(champ, valeur)| (champ, (valeur.to_owned(), champ.code().into())))
    .collect()
}

fn import(c: &mut Criterion) {
    let brut = ligne();
    let aujourdhui = jour("2026-11-26");
    c.bench_function("verifier une ligne d'offre", |b| {
        b.iter(|| verifier(black_box(&brut), aujourdhui, "55"))
    });
    c.bench_function("commune par code INSEE", |b| {
        b.iter(|| communes::par_code(black_box("55545")))
    });
    c.bench_function("commune par nom et code postal", |b| {
        b.iter(|| communes::resoudre(black_box("55100 Verdun"), "55"))
    });
}

fn recherche(c: &mut Criterion) {
    // `offre chercher` reads each offer of the catalogue through this rule.
    let cherches = texte::mots("numéro 4242");
    let offre = [
        "Offre numéro 4241",
        "Description d'une offre d'accompagnement générée pour la mesure de l'import.",
    ];
    c.bench_function("mots cherchés dans une offre", |b| {
        b.iter(|| texte::contient_mots(black_box(&offre), &cherches))
    });
}

fn diagnostic(c: &mut Criterion) {
    let reponses: Reponses = serde_json::from_str(
        r#"{"contraintes": {"mobilite": {"niveau": "fort", "situations": ["sans-permis"]},
            "famille": {"niveau": "sans-impact"}, "sante": {"niveau": "moyen"},
            "langue": {"niveau": "sans-impact"}, "logement": {"niveau": "sans-impact"},
            "finances": {"niveau": "moyen"}, "administratif": {"niveau": "sans-impact"},
            "numerique": {"niveau": "sans-impact"}},
            "activite_24_mois": false, "projet": "a-preciser", "niveau_formation": "3"}"#,
    )
    .unwrap();
    c.bench_function("règle d'orientation", |b| b.iter(|| suggerer(black_box(&reponses))));
}

fn indicateurs(c: &mut Criterion) {
    let mois = Mois::lire("2026-10").unwrap();
    // 50,000 parcours, the file active of the largest demo base.
    let lignes: Vec<LigneParcours> = (0..50_000)
        .map(|i| LigneParcours {
            entree: jour("2025-01-01") + chrono::Days::new(i % 600),
            sortie: (i % 7 == 0).then(|| jour("2026-10-15")),
            motif_sortie: None,
            premier_diagnostic: (i % 3 != 0).then(|| jour("2025-01-10") + chrono::Days::new(i % 600)),
            orientation_d1: None,
            referent_d1: i % 10 != 0,
            contact_90j: i % 4 != 0,
            freins_d1: Vec::new(),
            journee: Default::default(),
        })
        .collect();
    c.bench_function("indicateurs d'un mois, 50 000 parcours", |b| {
        b.iter(|| Agregat::de_lignes(mois, black_box(&lignes)).indicateurs(mois, jour("2026-11-26"), true))
    });
}

criterion_group!(benches, import, recherche, diagnostic, indicateurs);
criterion_main!(benches);
