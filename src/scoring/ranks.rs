//! Ranks of countries by score: one rule for the report's summary and for `robustness`.

/// Competition ranks ("1224") of `keys`, highest first: equal keys share the best rank of their
/// group, and the next key's rank counts every key above it. Keys are scores as shown
/// (`numbers::shown_tenths`), so that two countries shown alike share a rank: the report's
/// summary and `robustness` rank so.
pub fn competition_ranks(keys: &[i64]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..keys.len()).collect();
    let mut ranks = vec![0; keys.len()];
    competition_ranks_into(keys, &mut order, &mut ranks);
    ranks
}

/// [`competition_ranks`] into buffers reused from draw to draw: `order` is scratch, `ranks[i]`
/// receives the rank of `keys[i]`.
pub fn competition_ranks_into(keys: &[i64], order: &mut Vec<usize>, ranks: &mut [usize]) {
    order.clear();
    order.extend(0..keys.len());
    order.sort_unstable_by(|&a, &b| keys[b].cmp(&keys[a]));
    let mut rank = 0;
    for (position, &i) in order.iter().enumerate() {
        if position == 0 || keys[i] != keys[order[position - 1]] {
            rank = position + 1;
        }
        ranks[i] = rank;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ties_share_the_best_rank_and_the_next_counts_them() {
        assert_eq!(
            competition_ranks(&[500, 700, 500, 900, 100]),
            [3, 2, 3, 1, 5]
        );
        assert_eq!(competition_ranks(&[]), Vec::<usize>::new());
        assert_eq!(competition_ranks(&[1, 1, 1]), [1, 1, 1]);
    }
}
