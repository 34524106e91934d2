//! How far respondents agree: Krippendorff's alpha, computed through the coincidence matrix as
//! Krippendorff sets out in "Computing Krippendorff's Alpha-Reliability" (2011). It takes any
//! number of respondents, leaves out what a respondent did not answer, and has a distance for
//! each kind of data.

use std::collections::BTreeMap;

/// What the values are, which sets how far apart two of them lie.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Metric {
    /// Categories: two values agree or they do not.
    Nominal,
    /// Ranks (the stages of a question's options): the distance counts the values between.
    Ordinal,
    /// Numbers on a scale with equal steps.
    Interval,
    /// Numbers with a true zero.
    Ratio,
}

/// Krippendorff's alpha of `units`, each the values its respondents gave (`None` where one gave
/// none). `None` when there is nothing to compare: fewer than two values in every unit.
///
/// One value throughout the pairable units is 1: the formula gives 0/0 there (no disagreement
/// observed, none expected), and respondents who all gave the same answers agree fully.
pub fn krippendorff_alpha(units: &[Vec<Option<f64>>], metric: Metric) -> Option<f64> {
    // Values as exact keys: responses hold levels and numbers written in files, never results of
    // arithmetic, so equal values have equal bits.
    let key = |v: f64| v.to_bits();
    let mut coincidences: BTreeMap<(u64, u64), f64> = BTreeMap::new();
    for unit in units {
        // Each value with how many respondents gave it: the pairs of a unit come by value, so
        // a thousand respondents cost their distinct values squared, not a million pairs.
        let mut counts: Vec<(u64, f64)> = Vec::new();
        for value in unit.iter().flatten() {
            match counts.iter_mut().find(|(k, _)| *k == key(*value)) {
                Some((_, count)) => *count += 1.0,
                None => counts.push((key(*value), 1.0)),
            }
        }
        let m: f64 = counts.iter().map(|(_, count)| count).sum();
        if m < 2.0 {
            continue;
        }
        for &(a, na) in &counts {
            for &(b, nb) in &counts {
                // Ordered pairs of two different respondents giving a and b.
                let pairs = if a == b { na * (na - 1.0) } else { na * nb };
                if pairs > 0.0 {
                    *coincidences.entry((a, b)).or_default() += pairs / (m - 1.0);
                }
            }
        }
    }
    let mut totals: BTreeMap<u64, f64> = BTreeMap::new();
    for (&(c, _), &o) in &coincidences {
        *totals.entry(c).or_default() += o;
    }
    let n: f64 = totals.values().sum();
    if totals.is_empty() {
        return None;
    }
    if totals.len() == 1 {
        return Some(1.0);
    }
    let mut values: Vec<(f64, f64)> = totals
        .iter()
        .map(|(&c, &t)| (f64::from_bits(c), t))
        .collect();
    values.sort_by(|a, b| a.0.total_cmp(&b.0));
    let distance = |c: f64, k: f64| -> f64 {
        match metric {
            Metric::Nominal => f64::from(u8::from(c != k)),
            Metric::Interval => (c - k).powi(2),
            Metric::Ratio => {
                if c + k == 0.0 {
                    0.0
                } else {
                    ((c - k) / (c + k)).powi(2)
                }
            }
            Metric::Ordinal => {
                let (low, high) = if c <= k { (c, k) } else { (k, c) };
                let between: f64 = values
                    .iter()
                    .filter(|(v, _)| *v >= low && *v <= high)
                    .map(|(_, t)| t)
                    .sum();
                let ends = totals[&key(low)] + totals[&key(high)];
                (between - ends / 2.0).powi(2)
            }
        }
    };
    let observed: f64 = coincidences
        .iter()
        .map(|(&(c, k), &o)| o * distance(f64::from_bits(c), f64::from_bits(k)))
        .sum();
    let mut expected = 0.0;
    for &(c, nc) in &values {
        for &(k, nk) in &values {
            expected += nc * nk * distance(c, k);
        }
    }
    (expected > 0.0).then(|| 1.0 - (n - 1.0) * observed / expected)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The worked example of Krippendorff (2011), section C: four observers, twelve units, values
    /// 1–5, with missing values (each row is a unit, each column an observer A–D).
    fn worked_example() -> Vec<Vec<Option<f64>>> {
        let rows: [[u8; 4]; 12] = [
            [1, 1, 0, 1],
            [2, 2, 3, 2],
            [3, 3, 3, 3],
            [3, 3, 3, 3],
            [2, 2, 2, 2],
            [1, 2, 3, 4],
            [4, 4, 4, 4],
            [1, 1, 2, 1],
            [2, 2, 2, 2],
            [0, 5, 5, 5],
            [0, 0, 1, 1],
            [0, 3, 0, 0],
        ];
        rows.iter()
            .map(|row| {
                row.iter()
                    .map(|&v| (v > 0).then_some(f64::from(v)))
                    .collect()
            })
            .collect()
    }

    #[test]
    fn the_published_worked_example_is_reproduced_to_three_decimals() {
        let units = worked_example();
        for (metric, published) in [
            (Metric::Nominal, 0.743),
            (Metric::Ordinal, 0.815),
            (Metric::Interval, 0.849),
            (Metric::Ratio, 0.797),
        ] {
            let alpha = krippendorff_alpha(&units, metric).unwrap();
            assert!(
                (alpha - published).abs() < 0.0005,
                "{metric:?}: {alpha} against {published}"
            );
        }
    }

    #[test]
    fn identical_respondents_agree_fully_and_nothing_to_compare_gives_none() {
        let same: Vec<Vec<Option<f64>>> = (1..=5)
            .map(|level| vec![Some(f64::from(level)); 3])
            .collect();
        for metric in [Metric::Nominal, Metric::Ordinal, Metric::Interval] {
            assert_eq!(krippendorff_alpha(&same, metric), Some(1.0));
        }
        // One respondent per unit: no agreement to measure.
        let alone = vec![vec![Some(1.0), None], vec![None, Some(2.0)]];
        assert_eq!(krippendorff_alpha(&alone, Metric::Nominal), None);
        assert_eq!(krippendorff_alpha(&[], Metric::Ordinal), None);
    }

    #[test]
    fn respondents_who_give_one_same_value_throughout_agree_fully() {
        // Every pairable value the same: 0/0 in the formula, full agreement in fact.
        let constant = vec![vec![Some(3.0), Some(3.0)]; 4];
        for metric in [
            Metric::Nominal,
            Metric::Ordinal,
            Metric::Interval,
            Metric::Ratio,
        ] {
            assert_eq!(krippendorff_alpha(&constant, metric), Some(1.0));
        }
        // A lone value of another respondent elsewhere is not pairable and changes nothing.
        let with_lone = vec![vec![Some(3.0), Some(3.0)], vec![Some(5.0), None]];
        assert_eq!(krippendorff_alpha(&with_lone, Metric::Ordinal), Some(1.0));
    }

    #[test]
    fn systematic_disagreement_falls_below_zero() {
        let opposite: Vec<Vec<Option<f64>>> = (0..6)
            .map(|i| {
                let (a, b) = if i % 2 == 0 { (1.0, 5.0) } else { (5.0, 1.0) };
                vec![Some(a), Some(b)]
            })
            .collect();
        let alpha = krippendorff_alpha(&opposite, Metric::Ordinal).unwrap();
        assert!(alpha < 0.0, "{alpha}");
    }

    proptest::proptest! {
        /// Alpha never exceeds 1, and neither the order of the units nor that of the
        /// respondents within a unit changes it.
        #[test]
        fn alpha_is_at_most_one_and_ignores_order(
            units in proptest::collection::vec(
                proptest::collection::vec(proptest::option::of(1u8..=5), 2..5),
                1..12,
            ),
        ) {
            let units: Vec<Vec<Option<f64>>> = units
                .iter()
                .map(|u| u.iter().map(|v| v.map(f64::from)).collect())
                .collect();
            let mut shuffled: Vec<Vec<Option<f64>>> = units.iter().rev().cloned().collect();
            for unit in &mut shuffled {
                unit.reverse();
            }
            for metric in [Metric::Nominal, Metric::Ordinal, Metric::Interval, Metric::Ratio] {
                let alpha = krippendorff_alpha(&units, metric);
                let again = krippendorff_alpha(&shuffled, metric);
                proptest::prop_assert!(alpha.is_none_or(|a| a <= 1.0 + 1e-12), "{alpha:?}");
                match (alpha, again) {
                    (Some(a), Some(b)) => proptest::prop_assert!((a - b).abs() < 1e-9),
                    (a, b) => proptest::prop_assert_eq!(a, b),
                }
            }
        }
    }
}
