//! The secret statistique of published tables: no count below the threshold, and no
//! hidden count that a total gives back. Two markers, each true of what it hides:
//! `<5` (primary: a count from 1 to threshold − 1) and `secret` (secondary: any value,
//! hidden so that a `<5` cannot be recovered by difference; also a rate or a median
//! whose population is too small).

/// The threshold below which a count is never published, whatever is asked.
pub const SEUIL_MINIMUM: u64 = 5;

/// How a cell is published.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Masque {
    Visible,
    /// Primary suppression: the count is in ]0, seuil[.
    Petit,
    /// Secondary suppression: hidden so that no small count can be recovered.
    Secret,
}

impl Masque {
    pub fn cache(self) -> bool {
        self != Masque::Visible
    }

    /// The cell as published: the value, `<5`, or `secret`.
    pub fn publier(self, valeur: impl std::fmt::Display, seuil: u64) -> String {
        match self {
            Masque::Visible => valeur.to_string(),
            Masque::Petit => format!("<{seuil}"),
            Masque::Secret => SECRET.to_owned(),
        }
    }
}

/// The marker of secondary suppression.
pub const SECRET: &str = "secret";

/// A count published alone (no total to protect): itself or `<5`.
pub fn compte(valeur: u64, seuil: u64) -> String {
    let masque = if valeur > 0 && valeur < seuil {
        Masque::Petit
    } else {
        Masque::Visible
    };
    masque.publier(valeur, seuil)
}

/// A cell of a table: (row, column).
pub type Cellule = (usize, usize);

/// What a reader knows ties cells together: Σ signe × cell = constante (the groups of a
/// column add up to the total row; exits by motif add up to exits; this month's file
/// active is last month's plus entries minus exits).
#[derive(Debug, Clone, PartialEq)]
pub struct Relation {
    pub termes: Vec<(Cellule, i64)>,
    pub constante: i64,
}

impl Relation {
    /// `total` is the sum of `parts`.
    pub fn somme(total: Cellule, parts: impl IntoIterator<Item = Cellule>) -> Relation {
        let mut termes: Vec<(Cellule, i64)> = parts.into_iter().map(|c| (c, 1)).collect();
        termes.push((total, -1));
        Relation { termes, constante: 0 }
    }
}

/// The sums of a table of counts: `lignes` are the groups (EPCI…) then the total row,
/// last (one row alone is its own total); each `famille` is (column of a total, columns
/// of its parts) within a row.
pub fn sommes(lignes: usize, colonnes: usize, familles: &[(usize, Vec<usize>)]) -> Vec<Relation> {
    let total = lignes.saturating_sub(1);
    let mut relations: Vec<Relation> = Vec::new();
    if lignes > 1 {
        relations.extend((0..colonnes).map(|c| Relation::somme((total, c), (0..total).map(|r| (r, c)))));
    }
    for r in 0..lignes {
        for (t, membres) in familles {
            relations.push(Relation::somme((r, *t), membres.iter().map(|c| (r, *c))));
        }
    }
    relations
}

/// Which cells of a table of counts to hide. A count in ]0, seuil[ is written `<5`;
/// then, as long as the relations let a reader narrow a hidden cell down to one value
/// (knowing that `<5` is 1 to 4 and `secret` at least the threshold, since smaller
/// counts are always `<5`, and combining every relation, as [`retrouvables`] does), one
/// more cell of a relation holding it is hidden as `secret`: its smallest shown non-zero
/// cell.
pub fn masquer(lignes: &[Vec<u64>], seuil: u64, relations: &[Relation]) -> Vec<Vec<Masque>> {
    let mut masque: Vec<Vec<Masque>> = lignes
        .iter()
        .map(|l| {
            l.iter()
                .map(|v| {
                    if *v > 0 && *v < seuil {
                        Masque::Petit
                    } else {
                        Masque::Visible
                    }
                })
                .collect()
        })
        .collect();
    loop {
        let trouvees = retrouvables(&masque, lignes, seuil, relations);
        let candidat = trouvees.iter().find_map(|cellule| {
            relations
                .iter()
                .filter(|r| r.termes.iter().any(|(c, _)| c == cellule))
                .flat_map(|r| r.termes.iter().map(|(c, _)| *c))
                .filter(|(r, c)| !masque[*r][*c].cache() && lignes[*r][*c] > 0)
                .min_by_key(|(r, c)| (lignes[*r][*c], *r, *c))
        });
        match candidat {
            Some((r, c)) => masque[r][c] = Masque::Secret,
            None => return masque,
        }
    }
}

/// Whether a rate must be hidden (as `secret`, never `<5`, which would read as a rate
/// under 5 %): its numerator, its complement or its denominator is below the threshold
/// (a rate of 1/20 gives the 1 back), or the denominator is hidden.
pub fn taux_masque(numerateur: u64, denominateur: u64, denominateur_cache: bool, seuil: u64) -> bool {
    let petit = |x: u64| x > 0 && x < seuil;
    denominateur_cache || petit(denominateur) || petit(numerateur) || petit(denominateur.saturating_sub(numerateur))
}

/// Whether a median must be hidden (as `secret`): it describes fewer people than the
/// threshold, or their number is hidden.
pub fn mediane_masquee(population: u64, population_cachee: bool, seuil: u64) -> bool {
    population_cachee || population < seuil
}

/// Effectively unbounded, for a `secret` cell's upper bound.
const INFINI: i128 = 1 << 80;

/// What a reader knows of a cell: its value, or the interval its marker allows.
fn bornes(masque: Masque, valeur: u64, seuil: u64) -> (i128, i128) {
    match masque {
        Masque::Visible => (valeur as i128, valeur as i128),
        Masque::Petit => (1, seuil as i128 - 1),
        Masque::Secret => (seuil as i128, INFINI),
    }
}

/// The hidden cells a reader can narrow down to a single value: starting from what
/// each marker allows, every relation tightens the bounds of each of its cells from
/// the bounds of the others, again and again until nothing moves.
pub fn retrouvables(masque: &[Vec<Masque>], valeurs: &[Vec<u64>], seuil: u64, relations: &[Relation]) -> Vec<Cellule> {
    let mut b: Vec<Vec<(i128, i128)>> = masque
        .iter()
        .zip(valeurs)
        .map(|(m, v)| m.iter().zip(v).map(|(m, v)| bornes(*m, *v, seuil)).collect())
        .collect();
    // Bounds only shrink; a pass that moves nothing ends it. The cap only guards against
    // slow creeping between large bounds, which a reader would not follow either.
    for _ in 0..200 {
        let mut bouge = false;
        for relation in relations {
            bouge |= resserrer(&mut b, relation);
        }
        if !bouge {
            break;
        }
    }
    let mut trouvees = Vec::new();
    for (r, ligne) in masque.iter().enumerate() {
        for (c, m) in ligne.iter().enumerate() {
            if m.cache() && b[r][c].0 >= b[r][c].1 {
                trouvees.push((r, c));
            }
        }
    }
    trouvees
}

/// Tightens the bounds of the cells of `relation` (Σ signe × cell = constante) from
/// those of the others; whether any moved.
fn resserrer(b: &mut [Vec<(i128, i128)>], relation: &Relation) -> bool {
    // Bounds of signe × cell.
    let terme = |(lo, hi): (i128, i128), s: i128| if s > 0 { (s * lo, s * hi) } else { (s * hi, s * lo) };
    let (bas, haut) = relation.termes.iter().fold((0i128, 0i128), |(l, h), ((r, c), s)| {
        let (tl, th) = terme(b[*r][*c], *s as i128);
        (l + tl, h + th)
    });
    let mut bouge = false;
    for ((r, c), s) in &relation.termes {
        let s = *s as i128;
        let (tl, th) = terme(b[*r][*c], s);
        // signe × cell = constante − Σ others.
        let (lo, hi) = (
            relation.constante as i128 - (haut - th),
            relation.constante as i128 - (bas - tl),
        );
        let (lo, hi) = if s > 0 { (lo, hi) } else { (-hi, -lo) };
        let (min, max) = b[*r][*c];
        let nouveau = (lo.max(min), hi.min(max));
        if nouveau != (min, max) && nouveau.0 <= nouveau.1 {
            b[*r][*c] = nouveau;
            bouge = true;
        }
    }
    bouge
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_single_small_cell_takes_a_neighbour_with_it() {
        use Masque::*;
        // Two EPCI and the total; one column.
        let lignes = vec![vec![3], vec![40], vec![43]];
        assert_eq!(
            masquer(&lignes, 5, &sommes(3, 1, &[])),
            vec![vec![Petit], vec![Secret], vec![Visible]],
            "43 − 40 would give 3 back; 40 is hidden, but not as <5"
        );
        // Zero is published; a small total hides its small part with it.
        let lignes = vec![vec![3], vec![0], vec![3]];
        assert_eq!(
            masquer(&lignes, 5, &sommes(3, 1, &[])),
            vec![vec![Petit], vec![Visible], vec![Petit]]
        );
    }

    #[test]
    fn a_small_cell_is_not_given_back_by_the_bounds_of_the_others() {
        use Masque::*;
        // 18 = <5 + <5 + <5 + 6: the three hidden parts add up to 12, so each is 4.
        let lignes = vec![vec![18, 4, 4, 4, 6]];
        let m = masquer(&lignes, 5, &[Relation::somme((0, 0), (1..5).map(|c| (0, c)))]);
        assert_eq!(m[0][4], Secret, "{m:?}");
        // 6 = <5 + secret: the secret is at least 5, so the <5 is 1: the total goes.
        let lignes = vec![vec![6, 1, 5]];
        let m = masquer(&lignes, 5, &[Relation::somme((0, 0), [(0, 1), (0, 2)])]);
        assert_eq!(m[0], vec![Secret, Petit, Secret]);
    }

    #[test]
    fn relations_are_combined_as_a_reader_would() {
        use Masque::*;
        // Exits 2 = emploi-durable 1 + création 1 (other motifs 0), exits to work the
        // same two: each relation alone leaves doubt, together they do not.
        let lignes = vec![vec![2, 2, 1, 1, 0]];
        let relations = [
            Relation::somme((0, 0), [(0, 2), (0, 3), (0, 4)]),
            Relation::somme((0, 1), [(0, 2), (0, 3)]),
        ];
        let m = masquer(&lignes, 5, &relations);
        assert!(retrouvables(&m, &lignes, 5, &relations).is_empty(), "{m:?}");
        // Nothing shown is non-zero here: nothing more can be hidden, and the row stays
        // as primary suppression left it (every cell `<5` or 0).
        assert_eq!(m[0], vec![Petit, Petit, Petit, Petit, Visible]);
    }

    #[test]
    fn last_months_file_active_is_a_relation_too() {
        use Masque::*;
        // file active 40 = 37 (last month, known) + entries 4 − exits 1.
        let lignes = vec![vec![40, 4, 1]];
        let mois = Relation {
            termes: vec![((0, 0), 1), ((0, 1), -1), ((0, 2), 1)],
            constante: 37,
        };
        // Entries are then 3 + exits, 4 at most: 4. The file active goes too.
        let m = masquer(&lignes, 5, std::slice::from_ref(&mois));
        assert!(
            retrouvables(&m, &lignes, 5, std::slice::from_ref(&mois)).is_empty(),
            "{m:?}"
        );
        assert_eq!(m[0], vec![Secret, Petit, Petit]);
        // Entries 3, exits 12: the exits must go with the entries.
        let lignes = vec![vec![28, 3, 12]];
        let m = masquer(&lignes, 5, &[mois]);
        assert_eq!(m[0], vec![Visible, Petit, Secret]);
    }

    /// Every value each hidden cell of `ligne` (a total, then its parts) can take, for
    /// a reader who knows the markers and that the parts add up to the total, found by
    /// trying them all.
    fn possibles(ligne: &[u64], m: &[Masque], seuil: u64) -> Vec<std::collections::BTreeSet<u64>> {
        let choix = |i: usize| -> Vec<u64> {
            match m[i] {
                Masque::Visible => vec![ligne[i]],
                Masque::Petit => (1..seuil).collect(),
                Masque::Secret => (seuil..=ligne[0] + 4 * seuil).collect(),
            }
        };
        let mut vus = vec![std::collections::BTreeSet::new(); ligne.len()];
        let mut essai = vec![0u64; ligne.len()];
        fn parcourir(
            i: usize,
            essai: &mut Vec<u64>,
            choix: &dyn Fn(usize) -> Vec<u64>,
            vus: &mut [std::collections::BTreeSet<u64>],
        ) {
            if i == essai.len() {
                if essai[1..].iter().sum::<u64>() == essai[0] {
                    for (v, x) in vus.iter_mut().zip(essai.iter()) {
                        v.insert(*x);
                    }
                }
                return;
            }
            for x in choix(i) {
                essai[i] = x;
                parcourir(i + 1, essai, choix, vus);
            }
        }
        parcourir(0, &mut essai, &choix, &mut vus);
        vus
    }

    proptest! {
        /// Whatever the table: nothing in ]0, seuil[ is shown, every marker is true, and
        /// no hidden cell can be narrowed down to one value.
        #[test]
        fn no_small_count_and_no_recoverable_cell(groupes in prop::collection::vec(prop::collection::vec(0u64..30, 4), 1..6)) {
            let mut lignes = groupes.clone();
            for l in &mut lignes {
                l[0] = l[1] + l[2] + l[3];
            }
            let total: Vec<u64> = (0..4).map(|c| lignes.iter().map(|l| l[c]).sum()).collect();
            lignes.push(total);
            let relations = sommes(lignes.len(), 4, &[(0, vec![1, 2, 3])]);
            let m = masquer(&lignes, 5, &relations);
            for (r, l) in lignes.iter().enumerate() {
                for (c, v) in l.iter().enumerate() {
                    prop_assert!(m[r][c].cache() || *v == 0 || *v >= 5);
                    prop_assert!(m[r][c] != Masque::Petit || (1..5).contains(v));
                    prop_assert!(m[r][c] != Masque::Secret || *v >= 5);
                }
            }
            // A table whose every non-zero cell is small cannot be protected by hiding
            // more: only check the others.
            if lignes.iter().flatten().any(|v| *v >= 5) {
                prop_assert!(retrouvables(&m, &lignes, 5, &relations).is_empty());
            }
        }

        /// Checked by brute force on one row (a total and its parts): a reader who tries
        /// every value the markers allow never finds a hidden cell with a single one.
        #[test]
        fn no_hidden_cell_has_a_single_possible_value(parts in prop::collection::vec(0u64..9, 2..5)) {
            let mut ligne = vec![parts.iter().sum::<u64>()];
            ligne.extend(&parts);
            let relation = Relation::somme((0, 0), (1..ligne.len()).map(|c| (0, c)));
            let m = masquer(std::slice::from_ref(&ligne), 5, &[relation]).remove(0);
            if ligne[0] < 5 {
                return Ok(());
            }
            for (i, valeurs) in possibles(&ligne, &m, 5).iter().enumerate() {
                prop_assert!(valeurs.contains(&ligne[i]));
                prop_assert!(!m[i].cache() || valeurs.len() > 1, "{ligne:?} {m:?} : cellule {i} = {valeurs:?}");
            }
        }
    }
}
