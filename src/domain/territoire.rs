//! The territory's figures, from the monthly packs of several structures: what one
//! parcours counts in the month travels as its counts ([`Agregat::cles`]), and a person
//! followed by several structures (the same pseudonym in several packs) is counted once,
//! by [`fusionner`]. The indicators are then computed by the very same
//! [`Agregat::indicateurs`] as a single base's.

use std::cmp::Ordering;
use std::fmt::Write;

use super::indicateurs::{Agregat, Cle};

/// The counts of one parcours (or of a residue) as one cell: `file_active=1 orientation:pro=1 …`.
pub fn en_texte(a: &Agregat) -> String {
    let mut texte = String::new();
    a.pour_chaque_cle(&mut |cle, n| {
        if !texte.is_empty() {
            texte.push(' ');
        }
        // Writing to a String cannot fail.
        let _ = match cle {
            Cle::Code(prefixe, code) => write!(texte, "{prefixe}:{}={n}", echapper(code)),
            cle => write!(texte, "{cle}={n}"),
        };
    });
    texte
}

/// What separates the counts (white space) or a key from its number (`=`) may be part of
/// a key that holds a free name (an offer's source): written `%XX`, like `%` itself.
const ECHAPPES: [(char, &str); 6] = [
    ('%', "%25"),
    (' ', "%20"),
    ('\t', "%09"),
    ('\n', "%0A"),
    ('\r', "%0D"),
    ('=', "%3D"),
];

fn echapper(cle: &str) -> std::borrow::Cow<'_, str> {
    if !cle.contains(|c| ECHAPPES.iter().any(|(e, _)| *e == c)) {
        return cle.into();
    }
    ECHAPPES
        .iter()
        .fold(cle.to_owned(), |cle, (c, code)| cle.replace(*c, code))
        .into()
}

/// [`echapper`] undone (`%25` last: an escaped `%` never reads as another code).
fn lire_cle(cle: &str) -> std::borrow::Cow<'_, str> {
    if !cle.contains('%') {
        return cle.into();
    }
    ECHAPPES
        .iter()
        .rev()
        .fold(cle.to_owned(), |cle, (c, code)| cle.replace(code, &c.to_string()))
        .into()
}

/// The counts written by [`en_texte`]; an error names the part that cannot be read.
pub fn lire(texte: &str) -> Result<Agregat, String> {
    let mut a = Agregat::default();
    for morceau in texte.split_whitespace() {
        let (cle, n) = morceau
            .rsplit_once('=')
            .and_then(|(cle, n)| Some((cle, n.parse::<u64>().ok()?)))
            .ok_or_else(|| format!("compte « {morceau} » illisible : attendu CLE=NOMBRE"))?;
        a.ajouter_cle(&lire_cle(cle), n);
    }
    Ok(a)
}

/// Whether the counts are those of a parcours active at D1.
fn actif(a: &Agregat) -> bool {
    a.file_active > 0
}

/// Whether the counts are those of a parcours entered during the month.
fn entre(a: &Agregat) -> bool {
    a.entrees > 0
}

/// Which of one person's parcours represents her on the territory (see [`fusionner`]);
/// `None` without any.
pub fn representant(parcours: &[Agregat]) -> Option<usize> {
    let cle_de_tri = |a: &Agregat| (!actif(a), entre(a), a.delais.keys().next().copied().unwrap_or(i64::MAX));
    // Then the counts' text, whatever the order of the packs (only built for a tie
    // between different counts).
    (0..parcours.len()).min_by(|i, j| {
        let (a, b) = (&parcours[*i], &parcours[*j]);
        cle_de_tri(a).cmp(&cle_de_tri(b)).then_with(|| {
            if a == b {
                Ordering::Equal
            } else {
                en_texte(a).cmp(&en_texte(b))
            }
        })
    })
}

/// One person's counts on the territory, from the counts of her parcours in each
/// structure (one or more). The person is in the file active if a structure follows her
/// at D1; she leaves the territory only if every structure saw her leave; she enters it
/// only if no structure followed her before the month. Her orientation, barriers and
/// diagnostic come from one parcours, the representative: active at D1 first, then the
/// oldest (entered before the month), then diagnosed soonest; a référent or a contact
/// in any structure that follows her at D1 counts. With identical parcours, the result
/// is each of them.
pub fn fusionner(parcours: &[Agregat]) -> Agregat {
    let Some(representant) = representant(parcours).map(|i| &parcours[i]) else {
        return Agregat::default();
    };
    let mut personne = representant.clone();
    if !parcours.iter().all(entre) {
        // Followed on the territory before the month: neither an entry nor a delay.
        personne.entrees = 0;
        personne.diagnostiques_30j = 0;
        personne.delais.clear();
    }
    if actif(representant) {
        let suivie = || parcours.iter().filter(|a| actif(a));
        personne.avec_referent = u64::from(suivie().any(|a| a.avec_referent > 0));
        personne.contact_90j = u64::from(suivie().any(|a| a.contact_90j > 0));
    }
    personne
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::indicateurs::{LigneParcours, Mois};
    use crate::domain::parcours::MotifSortie;
    use chrono::NaiveDate;

    fn d(a: i32, m: u32, j: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(a, m, j).unwrap()
    }

    /// A key may hold a free name (an offer's source: « Mission locale », « a=b % »): it
    /// travels whole.
    #[test]
    fn counts_whose_keys_hold_spaces_or_equal_signs_read_back_the_same() {
        let mut a = Agregat::default();
        a.ajouter_cle("file_active", 1);
        a.ajouter_cle("prescription:Mission locale", 2);
        a.ajouter_cle("issue_prescription:refusee:a=b % c", 1);
        let texte = en_texte(&a);
        assert_eq!(texte.split(' ').count(), 3, "{texte}");
        assert_eq!(lire(&texte).unwrap(), a);
    }

    fn compte(l: LigneParcours) -> Agregat {
        Agregat::de_lignes(Mois::lire("2026-10").unwrap(), [&l])
    }

    #[test]
    fn counts_travel_as_text_and_back() {
        let a = compte(LigneParcours {
            entree: d(2026, 10, 3),
            premier_diagnostic: Some(d(2026, 10, 15)),
            referent_d1: true,
            ..Default::default()
        });
        let texte = en_texte(&a);
        assert!(
            texte.contains("delai:12=1") && texte.contains("file_active=1"),
            "{texte}"
        );
        assert_eq!(lire(&texte).unwrap(), a);
        assert_eq!(lire("").unwrap(), Agregat::default());
        let erreur = lire("file_active=un").unwrap_err();
        assert!(erreur.contains("« file_active=un »"), "{erreur}");
    }

    #[test]
    fn identical_parcours_count_as_one() {
        let a = compte(LigneParcours {
            entree: d(2026, 10, 3),
            premier_diagnostic: Some(d(2026, 10, 15)),
            contact_90j: true,
            ..Default::default()
        });
        assert_eq!(fusionner(&[a.clone(), a.clone(), a.clone()]), a);
        assert_eq!(fusionner(std::slice::from_ref(&a)), a);
    }

    #[test]
    fn a_person_leaves_the_territory_only_when_every_structure_saw_her_leave() {
        let partie = compte(LigneParcours {
            entree: d(2026, 1, 5),
            sortie: Some(d(2026, 10, 20)),
            motif_sortie: Some(MotifSortie::Reorientation),
            ..Default::default()
        });
        let accueillie = compte(LigneParcours {
            entree: d(2026, 10, 20),
            referent_d1: true,
            ..Default::default()
        });
        let p = fusionner(&[partie.clone(), accueillie.clone()]);
        assert_eq!((p.file_active, p.entrees, p.avec_referent), (1, 0, 1));
        assert!(p.sorties.is_empty(), "{p:?}");
        // Whatever the order of the packs.
        assert_eq!(fusionner(&[accueillie, partie.clone()]), p);
        // Left both: one exit, not two.
        let partie_aussi = compte(LigneParcours {
            entree: d(2026, 10, 2),
            sortie: Some(d(2026, 10, 25)),
            motif_sortie: Some(MotifSortie::Iae),
            ..Default::default()
        });
        let p = fusionner(&[partie.clone(), partie_aussi]);
        assert_eq!((p.file_active, p.entrees, p.sorties.values().sum::<u64>()), (0, 0, 1));
        assert_eq!(p, partie, "the oldest parcours represents her");
    }

    #[test]
    fn a_person_entered_in_two_structures_this_month_enters_once_with_the_first_diagnostic() {
        let tot = compte(LigneParcours {
            entree: d(2026, 10, 3),
            premier_diagnostic: Some(d(2026, 10, 5)),
            ..Default::default()
        });
        let tard = compte(LigneParcours {
            entree: d(2026, 10, 3),
            premier_diagnostic: Some(d(2026, 11, 20)),
            contact_90j: true,
            ..Default::default()
        });
        let p = fusionner(&[tard, tot.clone()]);
        assert_eq!((p.entrees, p.diagnostiques_30j, p.contact_90j), (1, 1, 1));
        assert_eq!(p.delais, tot.delais);
    }
}
