//! The draws: the A and B matrices of Saltelli et al. (2010) from one seeded generator, each row
//! re-aggregated and ranked. A's rows are the draws of the uncertainty analysis; B and the
//! matrices A_B (A with one assumption taken from B) serve the sensitivity indices. The draws
//! are split into chunks run on every core; each chunk starts its generator where a single
//! thread would be, and the chunks' results are put together in draw order, so the output does
//! not depend on the number of cores.

use std::ops::Range;

use crate::model::natural_cmp;
use crate::numbers::shown_tenths;
use crate::parallel::parallel_map;
use crate::random::SplitMix64;
use crate::scoring::Stage;
use crate::scoring::ranks::{competition_ranks, competition_ranks_into};

use super::prepared::{Prepared, Scenario, Unit, log_score};
use super::stats::{first_order, percentile, total_effect};
use super::{
    Aggregation, Assumption, CountryRobustness, PillarRobustness, Robustness, RoundRobustness,
    Sensitivity, Settings, UnknownTreatment,
};

/// One row of A or B: a weight factor per slot at each level, and the two choices.
struct Row {
    question: Vec<f64>,
    indicator: Vec<f64>,
    pillar: Vec<f64>,
    aggregation: Aggregation,
    unknown: UnknownTreatment,
}

impl Row {
    /// How many numbers `draw` takes from the generator.
    fn calls(settings: &Settings, slots: [usize; 3]) -> u64 {
        let picks =
            usize::from(settings.aggregation.len() > 1) + usize::from(settings.unknown.len() > 1);
        (slots.iter().sum::<usize>() + picks) as u64
    }

    fn draw(rng: &mut SplitMix64, settings: &Settings, slots: [usize; 3]) -> Row {
        let p = settings.perturbation / 100.0;
        let mut factors =
            |n: usize| -> Vec<f64> { (0..n).map(|_| rng.range(1.0 - p, 1.0 + p)).collect() };
        let question = factors(slots[0]);
        let indicator = factors(slots[1]);
        let pillar = factors(slots[2]);
        let aggregation = pick(rng, &settings.aggregation);
        let unknown = pick(rng, &settings.unknown);
        Row {
            question,
            indicator,
            pillar,
            aggregation,
            unknown,
        }
    }

    fn scenario(&self) -> Scenario<'_> {
        Scenario {
            question: &self.question,
            indicator: &self.indicator,
            pillar: &self.pillar,
            aggregation: self.aggregation,
            unknown: self.unknown,
        }
    }
}

/// One of `choices` with equal chance; no draw at all when there is one.
fn pick<T: Copy>(rng: &mut SplitMix64, choices: &[T]) -> T {
    if choices.len() == 1 {
        choices[0]
    } else {
        choices[(rng.next_u64() % choices.len() as u64) as usize]
    }
}

/// The country-rounds of one round, and their actual ranks.
struct RoundUnits {
    /// Positions in `Prepared::units` of those with an actual score, by actual rank.
    units: Vec<usize>,
    actual: Vec<usize>,
}

/// What the A rows tally for one ranked country-round.
#[derive(Clone)]
struct Tally {
    /// `ranks[r]` draws ranked it r-th.
    ranks: Vec<u32>,
    stages: [u32; 5],
    pillar_stages: Vec<[u32; 5]>,
}

impl Tally {
    fn add(&mut self, other: &Tally) {
        for (a, b) in self.ranks.iter_mut().zip(&other.ranks) {
            *a += b;
        }
        for (a, b) in self.stages.iter_mut().zip(&other.stages) {
            *a += b;
        }
        for (a, b) in self.pillar_stages.iter_mut().zip(&other.pillar_stages) {
            for (a, b) in a.iter_mut().zip(b) {
                *a += b;
            }
        }
    }
}

/// What a chunk of draws gives: R̄s per round of each row of A, of B and of each A_B (in the
/// order of the varied assumptions), and the A rows' tallies.
struct Partial {
    fa: Vec<Vec<f64>>,
    fb: Vec<Vec<f64>>,
    fab: Vec<Vec<Vec<f64>>>,
    tallies: Vec<Option<Tally>>,
}

/// The scores of every unit's indicators under one scenario, units one after another, with
/// their logarithms once a geometric mean needs them: several scenarios of a draw share one
/// set of indicator scores, and the logarithms were a sixth of the time of the draws when each
/// set had them whether used or not.
#[derive(Default)]
struct Indicators {
    scores: Vec<Option<f64>>,
    logs: Vec<f64>,
}

impl Indicators {
    fn fill(&mut self, units: &[Unit], scenario: &Scenario<'_>) {
        self.scores.clear();
        for unit in units {
            unit.indicator_scores(scenario, &mut self.scores);
        }
        self.logs.clear();
    }

    /// Makes sure the logarithms are there when `scenario` aggregates geometrically.
    fn ready_for(&mut self, scenario: &Scenario<'_>) {
        if scenario.aggregation == Aggregation::Geometric && self.logs.is_empty() {
            self.logs
                .extend(self.scores.iter().map(|s| s.map_or(0.0, log_score)));
        }
    }
}

/// Everything the chunks share.
struct Run<'p> {
    prepared: &'p Prepared<'p>,
    settings: &'p Settings,
    rounds: Vec<RoundUnits>,
    /// Where each unit's indicators start in an `Indicators` buffer.
    offsets: Vec<usize>,
    varied: Vec<Assumption>,
}

/// Buffers of one evaluation, reused from draw to draw.
#[derive(Default)]
struct Scratch {
    keys: Vec<i64>,
    order: Vec<usize>,
    ranks: Vec<usize>,
    overall: Vec<Option<f64>>,
    pillars: Vec<Option<f64>>,
}

pub(super) fn run(prepared: &Prepared<'_>, settings: &Settings) -> Robustness {
    let threads = std::thread::available_parallelism().map_or(1, usize::from);
    run_in_chunks(prepared, settings, threads * 4)
}

/// `run` with the draws split into `chunks` parts (the result is the same for any number).
fn run_in_chunks(prepared: &Prepared<'_>, settings: &Settings, chunks: usize) -> Robustness {
    let units = &prepared.units;
    let run = Run {
        prepared,
        settings,
        rounds: group_rounds(prepared),
        offsets: units
            .iter()
            .scan(0, |start, unit| {
                let offset = *start;
                *start += unit.indicator_count();
                Some(offset)
            })
            .collect(),
        varied: Assumption::ALL
            .into_iter()
            .filter(|&a| settings.varies(a))
            .collect(),
    };
    let n = settings.draws;
    let size = n.div_ceil(chunks.max(1));
    let ranges: Vec<Range<usize>> = (0..n)
        .step_by(size)
        .map(|start| start..(start + size).min(n))
        .collect();
    let partials = parallel_map(&ranges, |range| run.chunk(range.clone()));

    let mut total = run.empty_partial();
    for partial in partials {
        for (r, round) in partial.fa.into_iter().enumerate() {
            total.fa[r].extend(round);
        }
        for (r, round) in partial.fb.into_iter().enumerate() {
            total.fb[r].extend(round);
        }
        for (r, round) in partial.fab.into_iter().enumerate() {
            for (g, group) in round.into_iter().enumerate() {
                total.fab[r][g].extend(group);
            }
        }
        for (sum, tally) in total.tallies.iter_mut().zip(&partial.tallies) {
            if let (Some(sum), Some(tally)) = (sum, tally) {
                sum.add(tally);
            }
        }
    }
    run.results(total)
}

impl Run<'_> {
    fn empty_partial(&self) -> Partial {
        let units = &self.prepared.units;
        let mut tallies: Vec<Option<Tally>> = units.iter().map(|_| None).collect();
        for round in &self.rounds {
            for &u in &round.units {
                tallies[u] = Some(Tally {
                    ranks: vec![0; round.units.len() + 1],
                    stages: [0; 5],
                    pillar_stages: vec![[0; 5]; units[u].pillar_count()],
                });
            }
        }
        Partial {
            fa: vec![Vec::new(); self.rounds.len()],
            fb: vec![Vec::new(); self.rounds.len()],
            fab: vec![vec![Vec::new(); self.varied.len()]; self.rounds.len()],
            tallies,
        }
    }

    /// Draws `range` of the run.
    fn chunk(&self, range: Range<usize>) -> Partial {
        let (prepared, settings) = (self.prepared, self.settings);
        let units = &prepared.units;
        let mut rng = SplitMix64::new(settings.seed);
        rng.skip(2 * Row::calls(settings, prepared.slots) * range.start as u64);
        let mut partial = self.empty_partial();
        let (mut ind_a, mut ind_b, mut ind_mixed) = (
            Indicators::default(),
            Indicators::default(),
            Indicators::default(),
        );
        let mut scratch = Scratch {
            overall: vec![None; units.len()],
            ..Scratch::default()
        };
        for _ in range {
            let a = Row::draw(&mut rng, settings, prepared.slots);
            let b = Row::draw(&mut rng, settings, prepared.slots);
            let (sa, sb) = (a.scenario(), b.scenario());
            ind_a.fill(units, &sa);
            ind_b.fill(units, &sb);
            ind_a.ready_for(&sa);

            // A: ranks, stages and R̄s.
            for (u, unit) in units.iter().enumerate() {
                let own = self.offsets[u]..self.offsets[u] + unit.indicator_count();
                scratch.pillars.clear();
                scratch.pillars.resize(unit.pillar_count(), None);
                let logs = ind_a.logs.get(own.clone()).unwrap_or(&[]);
                scratch.overall[u] =
                    unit.overall(&sa, &ind_a.scores[own], logs, Some(&mut scratch.pillars));
                if let Some(tally) = &mut partial.tallies[u] {
                    if let Some(score) = scratch.overall[u] {
                        tally.stages[stage_index(score)] += 1;
                    }
                    for (count, score) in tally.pillar_stages.iter_mut().zip(&scratch.pillars) {
                        if let Some(score) = score {
                            count[stage_index(*score)] += 1;
                        }
                    }
                }
            }
            for (r, round) in self.rounds.iter().enumerate() {
                let shift = rank_round(round, &mut scratch);
                for (position, &u) in round.units.iter().enumerate() {
                    let rank = scratch.ranks[position];
                    if let Some(tally) = &mut partial.tallies[u]
                        && rank > 0
                    {
                        tally.ranks[rank] += 1;
                    }
                }
                partial.fa[r].push(shift);
            }

            // B, then each A_B.
            ind_b.ready_for(&sb);
            self.evaluate(&sb, &ind_b, &mut scratch);
            for (r, round) in self.rounds.iter().enumerate() {
                partial.fb[r].push(rank_round(round, &mut scratch));
            }
            for (g, &assumption) in self.varied.iter().enumerate() {
                let from_b = |wanted: Assumption| assumption == wanted;
                let mixed = Scenario {
                    question: if from_b(Assumption::QuestionWeights) {
                        sb.question
                    } else {
                        sa.question
                    },
                    indicator: if from_b(Assumption::IndicatorWeights) {
                        sb.indicator
                    } else {
                        sa.indicator
                    },
                    pillar: if from_b(Assumption::PillarWeights) {
                        sb.pillar
                    } else {
                        sa.pillar
                    },
                    aggregation: if from_b(Assumption::Aggregation) {
                        sb.aggregation
                    } else {
                        sa.aggregation
                    },
                    unknown: if from_b(Assumption::Unknown) {
                        sb.unknown
                    } else {
                        sa.unknown
                    },
                };
                // A choice B makes as A did leaves A's scores as they are: A's R̄s holds.
                if (from_b(Assumption::Aggregation) && sb.aggregation == sa.aggregation)
                    || (from_b(Assumption::Unknown) && sb.unknown == sa.unknown)
                {
                    for r in 0..self.rounds.len() {
                        let same = partial.fa[r].last().copied().unwrap_or(0.0);
                        partial.fab[r][g].push(same);
                    }
                    continue;
                }
                // Only the question weights and the treatment of unknown reach below the
                // indicators; for the other assumptions A's indicator scores hold.
                let indicators =
                    if from_b(Assumption::QuestionWeights) || from_b(Assumption::Unknown) {
                        ind_mixed.fill(units, &mixed);
                        &mut ind_mixed
                    } else {
                        &mut ind_a
                    };
                indicators.ready_for(&mixed);
                self.evaluate(&mixed, indicators, &mut scratch);
                for (r, round) in self.rounds.iter().enumerate() {
                    partial.fab[r][g].push(rank_round(round, &mut scratch));
                }
            }
        }
        partial
    }

    /// The overall score of every unit under `scenario` into `scratch.overall`.
    fn evaluate(&self, scenario: &Scenario<'_>, indicators: &Indicators, scratch: &mut Scratch) {
        for (u, unit) in self.prepared.units.iter().enumerate() {
            let own = self.offsets[u]..self.offsets[u] + unit.indicator_count();
            let logs = indicators.logs.get(own.clone()).unwrap_or(&[]);
            scratch.overall[u] = unit.overall(scenario, &indicators.scores[own], logs, None);
        }
    }

    /// Each round's ranks, stage probabilities and sensitivity indices from the draws.
    fn results(&self, total: Partial) -> Robustness {
        let n = self.settings.draws;
        let units = &self.prepared.units;
        let rounds = self
            .rounds
            .iter()
            .enumerate()
            .map(|(r, round)| {
                let (fa, fb) = (&total.fa[r], &total.fb[r]);
                let sensitivity = Assumption::ALL
                    .into_iter()
                    .map(|assumption| {
                        let fab = self
                            .varied
                            .iter()
                            .position(|&a| a == assumption)
                            .map(|g| &total.fab[r][g]);
                        Sensitivity {
                            assumption,
                            first_order: fab.and_then(|fab| first_order(fa, fb, fab)),
                            total: fab.and_then(|fab| total_effect(fa, fb, fab)),
                        }
                    })
                    .collect();
                let countries = round
                    .units
                    .iter()
                    .zip(&round.actual)
                    .map(|(&u, &rank)| {
                        country_result(&units[u], rank, total.tallies[u].as_ref(), n)
                    })
                    .collect();
                RoundRobustness {
                    round: units[round.units[0]].round.clone(),
                    mean_rank_shift: fa.iter().sum::<f64>() / n as f64,
                    sensitivity,
                    countries,
                }
            })
            .collect();
        Robustness {
            settings: self.settings.clone(),
            rounds,
        }
    }
}

fn stage_index(score: f64) -> usize {
    usize::from(Stage::of(score).level() - 1)
}

/// Ranks one round's units on `scratch.overall` (the ranks land in `scratch.ranks`, by the
/// round's positions; 0 for a unit left without a score) and gives R̄s: the mean absolute shift
/// from the actual rank of the units ranked.
fn rank_round(round: &RoundUnits, scratch: &mut Scratch) -> f64 {
    let overall = &scratch.overall;
    scratch.keys.clear();
    // A unit without a score in this draw takes no place: its key is below every score, and
    // its rank is blanked after.
    scratch.keys.extend(
        round
            .units
            .iter()
            .map(|&u| overall[u].map_or(i64::MIN, shown_tenths)),
    );
    scratch.ranks.clear();
    scratch.ranks.resize(round.units.len(), 0);
    competition_ranks_into(&scratch.keys, &mut scratch.order, &mut scratch.ranks);
    let (mut total, mut counted) = (0usize, 0usize);
    for (position, &u) in round.units.iter().enumerate() {
        if overall[u].is_none() {
            scratch.ranks[position] = 0;
            continue;
        }
        total += scratch.ranks[position].abs_diff(round.actual[position]);
        counted += 1;
    }
    if counted == 0 {
        0.0
    } else {
        total as f64 / counted as f64
    }
}

/// The rounds in order, each with its units that `score` gave an overall score, by actual rank
/// (then country).
fn group_rounds(prepared: &Prepared<'_>) -> Vec<RoundUnits> {
    let units = &prepared.units;
    let mut order: Vec<usize> = (0..units.len())
        .filter(|&u| units[u].score.is_some())
        .collect();
    order.sort_by(|&a, &b| {
        natural_cmp(units[a].round.as_str(), units[b].round.as_str())
            .then_with(|| units[a].round.as_str().cmp(units[b].round.as_str()))
    });
    let mut rounds: Vec<RoundUnits> = Vec::new();
    for u in order {
        match rounds.last_mut() {
            Some(round) if units[round.units[0]].round == units[u].round => round.units.push(u),
            _ => rounds.push(RoundUnits {
                units: vec![u],
                actual: Vec::new(),
            }),
        }
    }
    for round in &mut rounds {
        let keys: Vec<i64> = round
            .units
            .iter()
            .map(|&u| units[u].score.map_or(i64::MIN, shown_tenths))
            .collect();
        let mut ranked: Vec<(usize, usize)> = round
            .units
            .iter()
            .copied()
            .zip(competition_ranks(&keys))
            .collect();
        ranked.sort_by(|a, b| {
            a.1.cmp(&b.1)
                .then_with(|| units[a.0].country.as_str().cmp(units[b.0].country.as_str()))
        });
        round.units = ranked.iter().map(|&(u, _)| u).collect();
        round.actual = ranked.iter().map(|&(_, r)| r).collect();
    }
    rounds
}

fn country_result(
    unit: &Unit,
    rank: usize,
    tally: Option<&Tally>,
    draws: usize,
) -> CountryRobustness {
    let share = |counts: &[u32; 5]| counts.map(|c| f64::from(c) / draws as f64);
    let (ranks, stages, pillar_stages): (&[u32], [u32; 5], &[[u32; 5]]) = match tally {
        Some(t) => (&t.ranks, t.stages, &t.pillar_stages),
        None => (&[], [0; 5], &[]),
    };
    let score = unit.score.unwrap_or(0.0);
    CountryRobustness {
        country: unit.country.clone(),
        version: unit.version,
        score,
        rank,
        median_rank: percentile(ranks, 50.0),
        rank_low: percentile(ranks, 5.0),
        rank_high: percentile(ranks, 95.0),
        stage: Stage::of(score),
        stage_probabilities: share(&stages),
        pillars: unit
            .pillar_stages
            .iter()
            .enumerate()
            .map(|(p, stage)| PillarRobustness {
                pillar: p,
                stage: *stage,
                stage_probabilities: pillar_stages.get(p).map_or([0.0; 5], share),
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::builtin::questionnaires;
    use crate::model::Questionnaire;
    use crate::samples::generate;
    use crate::scoring::{ConflictPolicy, Submission, merge, score};

    /// The demo's samples, scored and prepared.
    fn demo<'q>(versions: &[&'q Questionnaire]) -> Prepared<'q> {
        let mut prepared = Prepared::new(versions);
        let samples = generate(versions[0], versions[versions.len() - 1]);
        let mut seen: Vec<(String, String)> = Vec::new();
        for sample in &samples {
            let key = (
                sample.response.country.to_string(),
                sample.response.round.to_string(),
            );
            // One respondent per country and round is enough here.
            if seen.contains(&key) {
                continue;
            }
            seen.push(key);
            let version = versions
                .iter()
                .position(|q| std::ptr::eq(*q, sample.questionnaire))
                .unwrap();
            let merged = merge(
                sample.questionnaire,
                vec![Submission {
                    source: 0,
                    submitted: None,
                    answers: sample.response.answers.clone(),
                }],
                ConflictPolicy::Latest,
            );
            let tree = score(sample.questionnaire, &merged.values());
            prepared.push(
                &sample.response.country,
                &sample.response.round,
                version,
                &tree,
            );
        }
        prepared
    }

    fn summary(result: &Robustness) -> Vec<String> {
        result
            .rounds
            .iter()
            .flat_map(|round| {
                let head = format!(
                    "{} {} {:?}",
                    round.round,
                    round.mean_rank_shift.to_bits(),
                    round
                        .sensitivity
                        .iter()
                        .map(|s| (s.first_order.map(f64::to_bits), s.total.map(f64::to_bits)))
                        .collect::<Vec<_>>()
                );
                std::iter::once(head).chain(round.countries.iter().map(|c| {
                    format!(
                        "{} {} {:?} {:?} {:?} {:?}",
                        c.country,
                        c.rank,
                        c.median_rank,
                        c.rank_low,
                        c.rank_high,
                        c.stage_probabilities.map(f64::to_bits)
                    )
                }))
            })
            .collect()
    }

    #[test]
    fn the_result_does_not_depend_on_how_the_draws_are_split() {
        let owned = questionnaires();
        let versions: Vec<&Questionnaire> = owned.iter().collect();
        let prepared = demo(&versions);
        let settings = Settings {
            draws: 37,
            ..Settings::default()
        };
        let whole = summary(&run_in_chunks(&prepared, &settings, 1));
        assert_eq!(whole, summary(&run_in_chunks(&prepared, &settings, 5)));
        assert_eq!(whole, summary(&run_in_chunks(&prepared, &settings, 37)));
        assert_eq!(whole, summary(&run_in_chunks(&prepared, &settings, 100)));
    }
}
