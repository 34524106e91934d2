//! The statistics of the draws: percentiles of ranks, and the variance-based
//! sensitivity estimators of Saltelli et al. (2010).

/// The `p`-th percentile (0 < p ≤ 100) by the nearest-rank method of a sample given as counts
/// of each value (`counts[v]` draws had value `v`): the smallest value with at least p % of the
/// draws at or below it, so a percentile of ranks is always a rank some draw gave. `None` for
/// an empty sample.
pub fn percentile(counts: &[u32], p: f64) -> Option<usize> {
    let total: u64 = counts.iter().map(|&c| u64::from(c)).sum();
    if total == 0 {
        return None;
    }
    // ⌈p/100 × n⌉, at least 1; in integers where p is a whole percent, so 5 % of 1,000 is 50.
    let needed = ((p * total as f64 / 100.0) - 1e-9).ceil().max(1.0) as u64;
    let mut seen = 0u64;
    for (value, &count) in counts.iter().enumerate() {
        seen += u64::from(count);
        if seen >= needed {
            return Some(value);
        }
    }
    None
}

/// The variance of the outputs of the A and B matrices together, as Saltelli et al. (2010)
/// estimate V(Y).
pub fn variance(fa: &[f64], fb: &[f64]) -> f64 {
    let n = (fa.len() + fb.len()) as f64;
    if n < 2.0 {
        return 0.0;
    }
    let mean = fa.iter().chain(fb).sum::<f64>() / n;
    fa.iter().chain(fb).map(|y| (y - mean).powi(2)).sum::<f64>() / n
}

/// The first-order index of a group of inputs: S = mean(f(B) × (f(A_B) − f(A))) / V, where A_B
/// is A with that group's columns taken from B (Saltelli et al. 2010, table 2, line b). f(B) is
/// taken from the mean of all outputs, which leaves the expectation as it is (the mean of
/// f(A_B) − f(A) is 0) and narrows the estimate when the output is far from 0, as a rank shift
/// is. `None` when the output does not vary.
pub fn first_order(fa: &[f64], fb: &[f64], fab: &[f64]) -> Option<f64> {
    let v = variance(fa, fb);
    if v <= 0.0 || fa.is_empty() {
        return None;
    }
    let n = fa.len() as f64;
    let mean = fa.iter().chain(fb).sum::<f64>() / (fa.len() + fb.len()) as f64;
    let sum: f64 = fb
        .iter()
        .zip(fab)
        .zip(fa)
        .map(|((b, ab), a)| (b - mean) * (ab - a))
        .sum();
    Some(sum / n / v)
}

/// The total-effect index of a group of inputs by Jansen's estimator:
/// ST = mean((f(A) − f(A_B))²) / 2V (Saltelli et al. 2010, table 2, line f).
pub fn total_effect(fa: &[f64], fb: &[f64], fab: &[f64]) -> Option<f64> {
    let v = variance(fa, fb);
    if v <= 0.0 || fa.is_empty() {
        return None;
    }
    let n = fa.len() as f64;
    let sum: f64 = fa.iter().zip(fab).map(|(a, ab)| (a - ab).powi(2)).sum();
    Some(sum / n / 2.0 / v)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::random::SplitMix64;

    #[test]
    fn percentiles_are_nearest_ranks() {
        // Ranks 1..=20 once each: the 5th percentile is the 1st value, the 95th the 19th,
        // the median the 10th.
        let mut counts = vec![0u32; 21];
        counts[1..].fill(1);
        assert_eq!(percentile(&counts, 5.0), Some(1));
        assert_eq!(percentile(&counts, 50.0), Some(10));
        assert_eq!(percentile(&counts, 95.0), Some(19));
        assert_eq!(percentile(&counts, 100.0), Some(20));
        // 1,000 draws: 50 at rank 2 make the 5th percentile rank 2; 51 at rank 1 make it 1.
        let counts = [0, 49, 1, 950];
        assert_eq!(percentile(&counts, 5.0), Some(2));
        let counts = [0, 50, 0, 950];
        assert_eq!(percentile(&counts, 5.0), Some(1));
        assert_eq!(percentile(&counts, 50.0), Some(3));
        assert_eq!(percentile(&[0, 0, 7], 95.0), Some(2));
        assert_eq!(percentile(&[0, 0], 50.0), None);
    }

    /// Y = X1 + 2·X2 + 0·X3 with Xi ~ U(0, 1) independent: V = 1/12 + 4/12, so the first-order
    /// and total indices are 1/5, 4/5 and 0 (no interactions).
    #[test]
    fn the_estimators_find_the_indices_of_a_linear_model() {
        let f = |x: &[f64; 3]| x[0] + 2.0 * x[1];
        let indices = estimate(f, 50_000);
        let expected = [0.2, 0.8, 0.0];
        for (i, (s, st)) in indices.iter().enumerate() {
            assert!((s - expected[i]).abs() < 0.02, "S{i} = {s}");
            assert!((st - expected[i]).abs() < 0.02, "ST{i} = {st}");
        }
    }

    /// Y = X1 · X2 with Xi ~ U(0, 1): V = 7/144, V1 = V2 = 1/48, so S = 3/7 each and
    /// ST = (1/48 + 1/144) / (7/144) = 4/7 each; X3 does nothing.
    #[test]
    fn the_estimators_separate_interactions_from_first_order_effects() {
        let f = |x: &[f64; 3]| x[0] * x[1];
        let indices = estimate(f, 50_000);
        for (s, st) in &indices[..2] {
            assert!((s - 3.0 / 7.0).abs() < 0.03, "S = {s}");
            assert!((st - 4.0 / 7.0).abs() < 0.03, "ST = {st}");
        }
        assert!(indices[2].0.abs() < 0.01 && indices[2].1.abs() < 0.01);
    }

    /// (S, ST) of each input of `f` from `n` rows of A and B.
    fn estimate(f: impl Fn(&[f64; 3]) -> f64, n: usize) -> Vec<(f64, f64)> {
        let mut rng = SplitMix64::new(11);
        let mut row = || [rng.unit(), rng.unit(), rng.unit()];
        let (a, b): (Vec<[f64; 3]>, Vec<[f64; 3]>) = (0..n).map(|_| (row(), row())).unzip();
        let fa: Vec<f64> = a.iter().map(&f).collect();
        let fb: Vec<f64> = b.iter().map(&f).collect();
        (0..3)
            .map(|i| {
                let fab: Vec<f64> = a
                    .iter()
                    .zip(&b)
                    .map(|(a, b)| {
                        let mut mixed = *a;
                        mixed[i] = b[i];
                        f(&mixed)
                    })
                    .collect();
                (
                    first_order(&fa, &fb, &fab).unwrap(),
                    total_effect(&fa, &fb, &fab).unwrap(),
                )
            })
            .collect()
    }

    #[test]
    fn an_output_that_never_varies_has_no_index() {
        let same = [3.0; 4];
        assert_eq!(first_order(&same, &same, &same), None);
        assert_eq!(total_effect(&same, &same, &same), None);
    }
}
