//! The secret statistique of published tables: no count below the threshold, and no
//! hidden count that a total gives back.

/// Which cells of a table of counts to hide. `lignes` are the groups (EPCI…) then the
/// total row, last; each `famille` is (column of a total, columns of its parts) within a
/// row (exits by motif add up to exits). A count in ]0, seuil[ is hidden; then, as long as
/// a total (of a column, or of a family in a row) has exactly one hidden part, the
/// smallest other part is hidden too (or the total itself when no other part is left).
pub fn masquer(lignes: &[Vec<u64>], seuil: u64, familles: &[(usize, Vec<usize>)]) -> Vec<Vec<bool>> {
    let mut masque: Vec<Vec<bool>> = lignes
        .iter()
        .map(|l| l.iter().map(|v| *v > 0 && *v < seuil).collect())
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

/// Whether a rate must be hidden: its numerator, its complement or its denominator is
/// below the threshold (a rate of 1/20 gives the 1 back), or the denominator is hidden.
pub fn taux_masque(taux: f64, denominateur: u64, denominateur_cache: bool, seuil: u64) -> bool {
    let n = (taux * denominateur as f64).round() as u64;
    let petit = |x: u64| x > 0 && x < seuil;
    denominateur_cache || petit(denominateur) || petit(n) || petit(denominateur.saturating_sub(n))
}

/// If exactly one of `parts` is hidden while `total` is shown, hide one more cell.
fn completer(
    masque: &mut [Vec<bool>],
    valeurs: &[Vec<u64>],
    parts: Vec<(usize, usize)>,
    total: (usize, usize),
) -> bool {
    let caches = parts.iter().filter(|(r, c)| masque[*r][*c]).count();
    if caches != 1 || masque[total.0][total.1] {
        return false;
    }
    let autre = parts
        .iter()
        .filter(|(r, c)| !masque[*r][*c] && valeurs[*r][*c] > 0)
        .min_by_key(|(r, c)| (valeurs[*r][*c], *r, *c));
    let (r, c) = match autre {
        Some(cellule) => *cellule,
        None => total,
    };
    masque[r][c] = true;
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
        assert_eq!(
            m,
            vec![vec![true], vec![true], vec![false]],
            "43 − 40 would give 3 back"
        );
        // Zero is published; a lone small cell with no other part hides the total.
        let lignes = vec![vec![3], vec![0], vec![3]];
        assert_eq!(masquer(&lignes, 5, &[]), vec![vec![true], vec![false], vec![true]]);
    }

    #[test]
    fn families_within_a_row_are_protected() {
        // Columns: sorties, motif a, motif b, motif c — for one group and the total.
        let lignes = vec![vec![12, 2, 4, 6], vec![12, 2, 4, 6]];
        let m = masquer(&lignes, 5, &[(0, vec![1, 2, 3])]);
        assert!(m[0][1] && m[0][2], "{m:?}");
        assert!(!m[0][3] && !m[0][0]);
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
                    prop_assert!(m[r][c] || *v == 0 || *v >= 5);
                }
            }
            let (groupes, total) = m.split_at(m.len() - 1);
            for (c, cache_total) in total[0].iter().enumerate() {
                let caches = groupes.iter().filter(|ligne| ligne[c]).count();
                prop_assert!(caches != 1 || *cache_total);
            }
            for ligne in &m {
                let caches = ligne[1..].iter().filter(|c| **c).count();
                prop_assert!(caches != 1 || ligne[0]);
            }
        }
    }
}
