//! Any bytes given to `spie offre importer`: the file is read, each row checked, and the
//! importer answers with rows or a French error, never a panic.
#![no_main]

use chrono::NaiveDate;
use libfuzzer_sys::fuzz_target;
use spie::domain::offre::{Gravite, verifier};
use spie::import::{Options, ouvrir};

fuzz_target!(|octets: &[u8]| {
    let chemin = std::env::temp_dir().join(format!("spie-fuzz-{}.csv", std::process::id()));
    std::fs::write(&chemin, octets).expect("temp dir is writable");
    let jour = NaiveDate::from_ymd_opt(2026, 11, 26).expect("valid date");
    let Ok(mut lecture) = ouvrir(&chemin, Options::default()) else {
        return;
    };
    // Stop at the first unreadable row, as the importer does. Rows come after the header
    // (line 1), each on a later line than the one before.
    let mut precedente = 1;
    while let Ok(Some(ligne)) = lecture.suivante() {
        assert!(ligne.numero > precedente, "ligne {} après {precedente}", ligne.numero);
        precedente = ligne.numero;
        let (offre, problemes) = verifier(&ligne.brut, jour, "55");
        let erreur = problemes.iter().any(|p| p.gravite == Gravite::Erreur);
        assert_eq!(offre.is_some(), !erreur);
    }
});
