//! The responses sorted into buckets of one country and round, kept compact: countries and rounds
//! are interned, a bucket is a run of response numbers.

use std::collections::HashMap;

use crate::Error;
use crate::model::{CountryCode, Round};

/// The responses sorted into buckets of one country and round: countries and rounds are kept once
/// each, and a bucket is a run of response numbers, so that an input of many small buckets stays
/// small.
#[derive(Debug, Default)]
pub struct CountryRounds {
    countries: Vec<CountryCode>,
    rounds: Vec<Round>,
    /// Per bucket, in order of country then round: its country, its round, the end of its members.
    bucket_countries: Vec<u16>,
    bucket_rounds: Vec<u32>,
    bucket_ends: Vec<u32>,
    members: Vec<u32>,
}

/// One bucket: a country and round and its responses.
#[derive(Debug, Clone, Copy)]
pub struct CountryRound<'a> {
    /// The country.
    pub country: &'a CountryCode,
    /// The round.
    pub round: &'a Round,
    /// The numbers of its responses, in input order.
    pub members: &'a [u32],
}

impl CountryRounds {
    /// The number of buckets.
    pub fn len(&self) -> usize {
        self.bucket_ends.len()
    }

    /// True when there is none.
    pub fn is_empty(&self) -> bool {
        self.bucket_ends.is_empty()
    }

    /// Bucket `index`, in order of country then round.
    pub fn get(&self, index: usize) -> CountryRound<'_> {
        let start = index.checked_sub(1).map_or(0, |i| self.bucket_ends[i]);
        CountryRound {
            country: &self.countries[usize::from(self.bucket_countries[index])],
            round: &self.rounds[self.bucket_rounds[index] as usize],
            members: &self.members[start as usize..self.bucket_ends[index] as usize],
        }
    }

    /// The bucket of `country` in `round`, or in its latest round when none is given; what the
    /// responses hold instead when there is none.
    pub fn select(
        &self,
        country: &CountryCode,
        round: Option<&Round>,
    ) -> Result<CountryRound<'_>, Error> {
        let rounds = self.rounds_of(country)?;
        match round {
            Some(round) => rounds
                .iter()
                .find(|b| b.round == round)
                .copied()
                .ok_or_else(|| {
                    Error::NotFound(format!(
                        "no response for {country} in round {round}; its rounds are {}",
                        round_list(&rounds)
                    ))
                }),
            // Buckets are sorted with rounds in natural order: the last is the latest.
            None => Ok(rounds[rounds.len() - 1]),
        }
    }

    /// The bucket of `country`'s latest round, when `round` comes after it: the round a sheet
    /// for `round` starts from. An error says what there is instead: no round of `country`
    /// before `round`, or a latest round that is not before it.
    pub fn latest_before(
        &self,
        country: &CountryCode,
        round: &Round,
    ) -> Result<CountryRound<'_>, Error> {
        let rounds = self.rounds_of(country)?;
        let latest = rounds[rounds.len() - 1];
        if latest.round < round {
            return Ok(latest);
        }
        if rounds.iter().all(|b| b.round >= round) {
            return Err(Error::NotFound(format!(
                "no round of {country} before round {round} to start from; its rounds are {}",
                round_list(&rounds)
            )));
        }
        Err(Error::Usage(format!(
            "round {round} is not after {country}'s latest round {}; expected a round after it (a sheet starts from the latest round; its rounds are {})",
            latest.round,
            round_list(&rounds)
        )))
    }

    /// The buckets of `country`, rounds in natural order; what the responses cover instead when
    /// there is none.
    fn rounds_of(&self, country: &CountryCode) -> Result<Vec<CountryRound<'_>>, Error> {
        let rounds: Vec<CountryRound<'_>> = self.iter().filter(|b| b.country == country).collect();
        if rounds.is_empty() {
            let countries: std::collections::BTreeSet<&str> =
                self.iter().map(|b| b.country.as_str()).collect();
            return Err(Error::NotFound(format!(
                "no response for {country}; the responses cover {}",
                countries.into_iter().collect::<Vec<_>>().join(", ")
            )));
        }
        Ok(rounds)
    }

    /// Every bucket, in order of country then round (rounds in natural order).
    pub fn iter(&self) -> impl Iterator<Item = CountryRound<'_>> {
        (0..self.len()).map(|i| self.get(i))
    }
}

/// The rounds of `buckets`, for messages: `2024, 2025`.
fn round_list(buckets: &[CountryRound<'_>]) -> String {
    buckets
        .iter()
        .map(|b| b.round.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Collects the country and round of each response and sorts them into `CountryRounds`.
#[derive(Default)]
pub(super) struct CountryRoundsBuilder {
    countries: Vec<CountryCode>,
    country_ids: HashMap<CountryCode, u16>,
    rounds: Vec<Round>,
    round_ids: HashMap<Round, u32>,
    /// By response number: its country and round; `NO_COUNTRY` for a response in no bucket.
    response_countries: Vec<u16>,
    response_rounds: Vec<u32>,
    /// Table cells already read, as written: rows repeat the same few, and reading one costs
    /// more than looking it up.
    country_cells: HashMap<Box<str>, Option<u16>>,
    round_cells: HashMap<Box<str>, Option<u32>>,
}

/// How many distinct cells `CountryRoundsBuilder` remembers.
const CELLS_REMEMBERED: usize = 4096;

/// Marks a response left out of every bucket (its country or round is unusable).
const NO_COUNTRY: u16 = u16::MAX;

impl CountryRoundsBuilder {
    /// Makes room for responses up to number `count`.
    pub(super) fn reserve(&mut self, count: usize) {
        let more = count.saturating_sub(self.response_countries.len());
        self.response_countries.reserve_exact(more);
        self.response_rounds.reserve_exact(more);
    }

    /// Adds response `source`; responses come in increasing order.
    pub(super) fn add(&mut self, country: CountryCode, round: Round, source: usize) {
        let country = self.country_id(country);
        let round = self.round_id(round);
        self.push(country, round, source);
    }

    /// Adds the response of a table row from its country and round cells; false (and nothing
    /// added) when either cell is not usable.
    pub(super) fn add_cells(&mut self, country: &str, round: &str, source: usize) -> bool {
        let country = match self.country_cells.get(country) {
            Some(&id) => id,
            None => {
                let id = CountryCode::parse(country).ok().map(|c| self.country_id(c));
                if self.country_cells.len() < CELLS_REMEMBERED {
                    self.country_cells.insert(country.into(), id);
                }
                id
            }
        };
        let round = match self.round_cells.get(round) {
            Some(&id) => id,
            None => {
                let id = Round::parse(round).map(|r| self.round_id(r));
                if self.round_cells.len() < CELLS_REMEMBERED {
                    self.round_cells.insert(round.into(), id);
                }
                id
            }
        };
        match (country, round) {
            (Some(country), Some(round)) => {
                self.push(country, round, source);
                true
            }
            _ => false,
        }
    }

    fn country_id(&mut self, country: CountryCode) -> u16 {
        // Fewer than 26² + 26³ codes exist, so a country fits in 16 bits.
        intern(&mut self.countries, &mut self.country_ids, country, |n| {
            u16::try_from(n).expect("country codes are two or three letters")
        })
    }

    fn round_id(&mut self, round: Round) -> u32 {
        intern(&mut self.rounds, &mut self.round_ids, round, |n| {
            u32::try_from(n).expect("fewer rounds than responses")
        })
    }

    fn push(&mut self, country: u16, round: u32, source: usize) {
        debug_assert!(
            source >= self.response_countries.len(),
            "responses come in order"
        );
        self.response_countries.resize(source, NO_COUNTRY);
        self.response_rounds.resize(source, 0);
        self.response_countries.push(country);
        self.response_rounds.push(round);
    }

    pub(super) fn finish(self) -> CountryRounds {
        let country_rank = ranks(&self.countries);
        let round_rank = ranks(&self.rounds);
        let (countries, rounds) = (&self.response_countries, &self.response_rounds);
        // Every vector is sized exactly: for a table of many one-row buckets, they are the memory.
        let in_a_bucket = countries.iter().filter(|&&c| c != NO_COUNTRY).count();
        let mut members: Vec<u32> = Vec::with_capacity(in_a_bucket);
        members
            .extend((0..countries.len() as u32).filter(|&i| countries[i as usize] != NO_COUNTRY));
        members.sort_unstable_by_key(|&i| {
            let i = i as usize;
            (
                country_rank[usize::from(countries[i])],
                round_rank[rounds[i] as usize],
                i,
            )
        });
        let key = |member: u32| (countries[member as usize], rounds[member as usize]);
        let count = members.len()
            - members
                .windows(2)
                .filter(|pair| key(pair[0]) == key(pair[1]))
                .count();
        let mut buckets = CountryRounds {
            bucket_countries: Vec::with_capacity(count),
            bucket_rounds: Vec::with_capacity(count),
            bucket_ends: Vec::with_capacity(count),
            ..CountryRounds::default()
        };
        for (position, &member) in members.iter().enumerate() {
            let (country, round) = (countries[member as usize], rounds[member as usize]);
            let same = buckets.bucket_countries.last() == Some(&country)
                && buckets.bucket_rounds.last() == Some(&round);
            if same {
                *buckets.bucket_ends.last_mut().expect("a bucket is open") += 1;
            } else {
                buckets.bucket_countries.push(country);
                buckets.bucket_rounds.push(round);
                buckets.bucket_ends.push(position as u32 + 1);
            }
        }
        buckets.members = members;
        buckets.countries = self.countries;
        buckets.rounds = self.rounds;
        buckets
    }
}

fn intern<T: Clone + Eq + std::hash::Hash, Id: Copy>(
    values: &mut Vec<T>,
    ids: &mut HashMap<T, Id>,
    value: T,
    id_of: impl Fn(usize) -> Id,
) -> Id {
    *ids.entry(value).or_insert_with_key(|value| {
        values.push(value.clone());
        id_of(values.len() - 1)
    })
}

/// The rank of each value in sorted order.
fn ranks<T: Ord>(values: &[T]) -> Vec<u32> {
    let mut order: Vec<usize> = (0..values.len()).collect();
    order.sort_by(|&a, &b| values[a].cmp(&values[b]));
    let mut rank = vec![0; values.len()];
    for (position, index) in order.into_iter().enumerate() {
        rank[index] = position as u32;
    }
    rank
}

#[cfg(test)]
mod tests {
    use super::*;

    fn buckets(rounds: &[(&str, &str)]) -> CountryRounds {
        let mut builder = CountryRoundsBuilder::default();
        for (source, (country, round)) in rounds.iter().enumerate() {
            assert!(builder.add_cells(country, round, source));
        }
        builder.finish()
    }

    #[test]
    fn a_sheet_starts_from_the_latest_round_before_its_own() {
        let all = buckets(&[("CO", "2025"), ("CO", "2024"), ("PE", "2026")]);
        let co = CountryCode::parse("CO").unwrap();
        let round = |r: &str| Round::parse(r).unwrap();
        let from = all.latest_before(&co, &round("2026")).unwrap();
        assert_eq!(from.round.as_str(), "2025");
        let err = all.latest_before(&co, &round("2024")).unwrap_err();
        assert_eq!(
            err.to_string(),
            "no round of CO before round 2024 to start from; its rounds are 2024, 2025"
        );
        let err = all.latest_before(&co, &round("2025")).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("round 2025 is not after CO's latest round 2025;"),
            "{err}"
        );
        let mx = CountryCode::parse("MX").unwrap();
        let err = all.latest_before(&mx, &round("2026")).unwrap_err();
        assert_eq!(
            err.to_string(),
            "no response for MX; the responses cover CO, PE"
        );
    }
}
