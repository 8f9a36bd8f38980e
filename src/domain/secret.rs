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

/// Which cells of a table of counts to hide. `lignes` are the groups (EPCI…) then the
/// total row, last; each `famille` is (column of a total, columns of its parts) within a
/// row (exits by motif add up to exits). A count in ]0, seuil[ is hidden; then, as long as
/// a total (of a column, or of a family in a row) has exactly one hidden part, the
/// smallest other part is hidden too (or the total itself when no other part is left).
pub fn masquer(lignes: &[Vec<u64>], seuil: u64, familles: &[(usize, Vec<usize>)]) -> Vec<Vec<Masque>> {
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
    let total = lignes.len().saturating_sub(1);
    loop {
        let mut change = false;
        // Columns: the groups add up to the total row.
        for c in 0..lignes.first().map_or(0, Vec::len) {
            let parts: Vec<usize> = (0..total).collect();
            change |= completer(&mut masque, lignes, parts.iter().map(|r| (*r, c)).collect(), (total, c));
        }
        // Rows: the parts of each family add up to its total column.
        for r in 0..lignes.len() {
            for (t, membres) in familles {
                change |= completer(&mut masque, lignes, membres.iter().map(|c| (r, *c)).collect(), (r, *t));
            }
        }
        if !change {
            return masque;
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

/// If exactly one of `parts` is hidden while `total` is shown, hide one more cell.
fn completer(
    masque: &mut [Vec<Masque>],
    valeurs: &[Vec<u64>],
    parts: Vec<(usize, usize)>,
    total: (usize, usize),
) -> bool {
    let caches = parts.iter().filter(|(r, c)| masque[*r][*c].cache()).count();
    if caches != 1 || masque[total.0][total.1].cache() {
        return false;
    }
    let autre = parts
        .iter()
        .filter(|(r, c)| !masque[*r][*c].cache() && valeurs[*r][*c] > 0)
        .min_by_key(|(r, c)| (valeurs[*r][*c], *r, *c));
    let (r, c) = match autre {
        Some(cellule) => *cellule,
        None => total,
    };
    masque[r][c] = Masque::Secret;
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_single_small_cell_takes_a_neighbour_with_it() {
        // Two EPCI and the total; one column.
        let lignes = vec![vec![3], vec![40], vec![43]];
        let m = masquer(&lignes, 5, &[]);
        use Masque::*;
        assert_eq!(
            m,
            vec![vec![Petit], vec![Secret], vec![Visible]],
            "43 − 40 would give 3 back; 40 is hidden, but not as <5"
        );
        // Zero is published; a lone small cell with no other part hides the total.
        let lignes = vec![vec![3], vec![0], vec![7]];
        assert_eq!(masquer(&lignes, 5, &[]), vec![vec![Petit], vec![Visible], vec![Secret]]);
    }

    #[test]
    fn families_within_a_row_are_protected() {
        // Columns: sorties, motif a, motif b, motif c — for one group and the total.
        let lignes = vec![vec![12, 2, 4, 6], vec![12, 2, 4, 6]];
        let m = masquer(&lignes, 5, &[(0, vec![1, 2, 3])]);
        assert_eq!((m[0][1], m[0][2]), (Masque::Petit, Masque::Petit), "{m:?}");
        assert!(!m[0][3].cache() && !m[0][0].cache());
    }

    proptest! {
        /// Whatever the table: nothing in ]0, seuil[ is shown, and no total with exactly
        /// one hidden part is shown.
        #[test]
        fn no_small_count_and_no_recoverable_cell(groupes in prop::collection::vec(prop::collection::vec(0u64..30, 4), 1..6)) {
            let mut lignes = groupes.clone();
            for l in &mut lignes {
                l[0] = l[1] + l[2] + l[3];
            }
            let total: Vec<u64> = (0..4).map(|c| lignes.iter().map(|l| l[c]).sum()).collect();
            lignes.push(total);
            let familles = vec![(0, vec![1, 2, 3])];
            let m = masquer(&lignes, 5, &familles);
            for (r, l) in lignes.iter().enumerate() {
                for (c, v) in l.iter().enumerate() {
                    prop_assert!(m[r][c].cache() || *v == 0 || *v >= 5);
                    // The marker is true: <5 only on a count from 1 to 4.
                    prop_assert!(m[r][c] != Masque::Petit || (1..5).contains(v));
                }
            }
            let (groupes, total) = m.split_at(m.len() - 1);
            for (c, cache_total) in total[0].iter().enumerate() {
                let caches = groupes.iter().filter(|ligne| ligne[c].cache()).count();
                prop_assert!(caches != 1 || cache_total.cache());
            }
            for ligne in &m {
                let caches = ligne[1..].iter().filter(|c| c.cache()).count();
                prop_assert!(caches != 1 || ligne[0].cache());
            }
        }
    }
}
