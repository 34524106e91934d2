//! SplitMix64 (Steele, Lea and Flood, 2014): the one pseudo-random generator of cybercap, for the
//! demo samples and the Monte Carlo draws of `robustness`. Written out here, not taken from a
//! crate, so that a seed gives the same numbers on every platform and in every later version.

/// The golden-ratio increment of the state.
const GAMMA: u64 = 0x9e37_79b9_7f4a_7c15;

/// SplitMix64: a 64-bit state advanced by the golden-ratio increment, then mixed.
#[derive(Debug, Clone)]
pub struct SplitMix64(u64);

impl SplitMix64 {
    /// A generator starting from `seed`.
    pub fn new(seed: u64) -> Self {
        SplitMix64(seed)
    }

    /// Jumps over the next `n` outputs, as `n` calls to `next_u64` would: the state only
    /// advances by a constant, so each thread of a parallel run starts where a single thread
    /// would be.
    pub fn skip(&mut self, n: u64) {
        self.0 = self.0.wrapping_add(GAMMA.wrapping_mul(n));
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(GAMMA);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1), on the 53 bits a double holds.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Uniform in [lo, hi).
    pub fn range(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.unit()
    }

    /// A fair coin.
    pub fn coin(&mut self) -> bool {
        self.next_u64() >> 63 == 1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The first outputs for seed 1234567 of the reference implementation
    /// (splitmix64.c by Sebastiano Vigna, public domain).
    #[test]
    fn matches_the_reference_sequence() {
        let mut rng = SplitMix64::new(1_234_567);
        let first: Vec<u64> = (0..5).map(|_| rng.next_u64()).collect();
        assert_eq!(
            first,
            [
                6_457_827_717_110_365_317,
                3_203_168_211_198_807_973,
                9_817_491_932_198_370_423,
                4_593_380_528_125_082_431,
                16_408_922_859_458_223_821,
            ]
        );
    }

    #[test]
    fn skipping_lands_where_drawing_would() {
        let mut drawn = SplitMix64::new(99);
        for _ in 0..1_000 {
            drawn.next_u64();
        }
        let mut skipped = SplitMix64::new(99);
        skipped.skip(1_000);
        assert_eq!(drawn.next_u64(), skipped.next_u64());
    }

    #[test]
    fn units_fill_zero_to_one_evenly() {
        let mut rng = SplitMix64::new(42);
        let n = 100_000;
        let mut bins = [0usize; 10];
        let mut sum = 0.0;
        for _ in 0..n {
            let u = rng.unit();
            assert!((0.0..1.0).contains(&u));
            bins[(u * 10.0) as usize] += 1;
            sum += u;
        }
        assert!((sum / n as f64 - 0.5).abs() < 0.01);
        for count in bins {
            assert!((count as f64 / n as f64 - 0.1).abs() < 0.01, "{bins:?}");
        }
        let mut rng = SplitMix64::new(7);
        let heads = (0..n).filter(|_| rng.coin()).count();
        assert!((heads as f64 / n as f64 - 0.5).abs() < 0.01);
        let x = SplitMix64::new(7).range(0.75, 1.25);
        assert!((0.75..1.25).contains(&x));
    }
}
