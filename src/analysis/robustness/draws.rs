//! The draws: the A and B matrices of Saltelli et al. (2010) from one seeded generator, each row
//! re-aggregated and ranked. A's rows are the draws of the uncertainty analysis; B and the
//! matrices A_B (A with one assumption taken from B) serve the sensitivity indices.

use crate::model::natural_cmp;
use crate::numbers::shown_tenths;
use crate::random::SplitMix64;
use crate::scoring::Stage;

use super::prepared::{Prepared, Scenario, Unit};
use super::stats::{competition_ranks_into, first_order, percentile, total_effect};
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
    /// Positions in `Prepared::units` of those with an actual score.
    units: Vec<usize>,
    actual: Vec<usize>,
}

/// What the A rows tally for one ranked country-round.
struct Tally {
    /// `ranks[r]` draws ranked it r-th.
    ranks: Vec<u32>,
    stages: [u32; 5],
    pillar_stages: Vec<[u32; 5]>,
}

/// Buffers of one evaluation, reused from draw to draw.
struct Scratch {
    keys: Vec<i64>,
    order: Vec<usize>,
    ranks: Vec<usize>,
}

/// The scores of every unit's indicators under one scenario, units one after another.
fn indicator_scores(units: &[Unit], scenario: &Scenario<'_>, out: &mut Vec<Option<f64>>) {
    out.clear();
    for unit in units {
        unit.indicator_scores(scenario, out);
    }
}

pub(super) fn run(prepared: &Prepared<'_>, settings: &Settings) -> Robustness {
    let units = &prepared.units;
    let rounds = group_rounds(prepared);
    let offsets: Vec<usize> = units
        .iter()
        .scan(0, |start, unit| {
            let offset = *start;
            *start += unit.indicator_count();
            Some(offset)
        })
        .collect();
    let mut tallies: Vec<Option<Tally>> = units.iter().map(|_| None).collect();
    for round in &rounds {
        for &u in &round.units {
            tallies[u] = Some(Tally {
                ranks: vec![0; round.units.len() + 1],
                stages: [0; 5],
                pillar_stages: vec![[0; 5]; units[u].pillar_count()],
            });
        }
    }
    let varied: Vec<Assumption> = Assumption::ALL
        .into_iter()
        .filter(|&a| settings.varies(a))
        .collect();
    // Per round, R̄s of each row of A, of B and of each A_B (in the order of `varied`).
    let n = settings.draws;
    let mut fa = vec![Vec::with_capacity(n); rounds.len()];
    let mut fb = vec![Vec::with_capacity(n); rounds.len()];
    let mut fab = vec![vec![Vec::with_capacity(n); varied.len()]; rounds.len()];

    let mut rng = SplitMix64::new(settings.seed);
    let (mut ind_a, mut ind_b, mut ind_mixed) = (Vec::new(), Vec::new(), Vec::new());
    let mut overall = vec![None; units.len()];
    let mut pillars: Vec<Option<f64>> = Vec::new();
    let mut scratch = Scratch {
        keys: Vec::new(),
        order: Vec::new(),
        ranks: Vec::new(),
    };
    for _ in 0..n {
        let a = Row::draw(&mut rng, settings, prepared.slots);
        let b = Row::draw(&mut rng, settings, prepared.slots);
        let (sa, sb) = (a.scenario(), b.scenario());
        indicator_scores(units, &sa, &mut ind_a);
        indicator_scores(units, &sb, &mut ind_b);

        // A: ranks, stages and R̄s.
        for (u, unit) in units.iter().enumerate() {
            let indicators = &ind_a[offsets[u]..offsets[u] + unit.indicator_count()];
            pillars.clear();
            pillars.resize(unit.pillar_count(), None);
            overall[u] = unit.overall(&sa, indicators, Some(&mut pillars));
            if let Some(tally) = &mut tallies[u] {
                if let Some(score) = overall[u] {
                    tally.stages[stage_index(score)] += 1;
                }
                for (count, score) in tally.pillar_stages.iter_mut().zip(&pillars) {
                    if let Some(score) = score {
                        count[stage_index(*score)] += 1;
                    }
                }
            }
        }
        for (r, round) in rounds.iter().enumerate() {
            let shift = rank_round(round, &overall, &mut scratch);
            for (position, &u) in round.units.iter().enumerate() {
                if let (Some(tally), Some(rank)) = (&mut tallies[u], scratch.ranks.get(position))
                    && *rank > 0
                {
                    tally.ranks[*rank] += 1;
                }
            }
            fa[r].push(shift);
        }

        // B, then each A_B.
        evaluate(units, &offsets, &sb, &ind_b, &mut overall);
        push_shifts(&rounds, &overall, &mut scratch, &mut fb, None);
        for (g, &assumption) in varied.iter().enumerate() {
            let mixed = Scenario {
                question: if assumption == Assumption::QuestionWeights {
                    sb.question
                } else {
                    sa.question
                },
                indicator: if assumption == Assumption::IndicatorWeights {
                    sb.indicator
                } else {
                    sa.indicator
                },
                pillar: if assumption == Assumption::PillarWeights {
                    sb.pillar
                } else {
                    sa.pillar
                },
                aggregation: if assumption == Assumption::Aggregation {
                    sb.aggregation
                } else {
                    sa.aggregation
                },
                unknown: if assumption == Assumption::Unknown {
                    sb.unknown
                } else {
                    sa.unknown
                },
            };
            // Only the question weights and the treatment of unknown reach below the
            // indicators; for the other assumptions A's indicator scores hold.
            let indicators = if (assumption == Assumption::QuestionWeights)
                || (assumption == Assumption::Unknown && sb.unknown != sa.unknown)
            {
                indicator_scores(units, &mixed, &mut ind_mixed);
                &ind_mixed
            } else {
                &ind_a
            };
            evaluate(units, &offsets, &mixed, indicators, &mut overall);
            push_shifts(&rounds, &overall, &mut scratch, &mut fab, Some(g));
        }
    }

    let results = rounds
        .iter()
        .enumerate()
        .map(|(r, round)| {
            let mut sensitivity: Vec<Sensitivity> = Assumption::ALL
                .into_iter()
                .map(|assumption| Sensitivity {
                    assumption,
                    first_order: None,
                    total: None,
                })
                .collect();
            for (g, assumption) in varied.iter().enumerate() {
                let entry = sensitivity
                    .iter_mut()
                    .find(|s| s.assumption == *assumption)
                    .expect("every assumption is listed");
                entry.first_order = first_order(&fa[r], &fb[r], &fab[r][g]);
                entry.total = total_effect(&fa[r], &fb[r], &fab[r][g]);
            }
            let countries = round
                .units
                .iter()
                .zip(&round.actual)
                .map(|(&u, &rank)| country_result(prepared, u, rank, tallies[u].as_ref(), n))
                .collect();
            RoundRobustness {
                round: units[round.units[0]].round.clone(),
                mean_rank_shift: fa[r].iter().sum::<f64>() / n as f64,
                sensitivity,
                countries,
            }
        })
        .collect();
    Robustness {
        settings: settings.clone(),
        rounds: results,
    }
}

fn stage_index(score: f64) -> usize {
    usize::from(Stage::of(score).level() - 1)
}

/// The overall score of every unit under `scenario`, from indicator scores already computed.
fn evaluate(
    units: &[Unit],
    offsets: &[usize],
    scenario: &Scenario<'_>,
    indicators: &[Option<f64>],
    overall: &mut [Option<f64>],
) {
    for (u, unit) in units.iter().enumerate() {
        let own = &indicators[offsets[u]..offsets[u] + unit.indicator_count()];
        overall[u] = unit.overall(scenario, own, None);
    }
}

/// Appends each round's R̄s under the current scores to `into[round]` (or `into[round][group]`).
fn push_shifts<T: ShiftSink>(
    rounds: &[RoundUnits],
    overall: &[Option<f64>],
    scratch: &mut Scratch,
    into: &mut [T],
    group: Option<usize>,
) {
    for (round, sink) in rounds.iter().zip(into) {
        let shift = rank_round(round, overall, scratch);
        sink.push_shift(group, shift);
    }
}

/// Where an evaluation's R̄s go: a list per round, or a list per round and group.
trait ShiftSink {
    fn push_shift(&mut self, group: Option<usize>, shift: f64);
}

impl ShiftSink for Vec<f64> {
    fn push_shift(&mut self, _: Option<usize>, shift: f64) {
        self.push(shift);
    }
}

impl ShiftSink for Vec<Vec<f64>> {
    fn push_shift(&mut self, group: Option<usize>, shift: f64) {
        self[group.unwrap_or(0)].push(shift);
    }
}

/// Ranks one round's units on `overall` (the ranks land in `scratch.ranks`, by the round's
/// positions; 0 for a unit left without a score) and gives R̄s: the mean absolute shift from
/// the actual rank of the units ranked.
fn rank_round(round: &RoundUnits, overall: &[Option<f64>], scratch: &mut Scratch) -> f64 {
    scratch.keys.clear();
    // Units without a score in this draw take no place: give them a key below every score and
    // blank their rank after.
    for &u in &round.units {
        scratch.keys.push(overall[u].map_or(i64::MIN, shown_tenths));
    }
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
        let ranks = super::stats::competition_ranks(&keys);
        let mut ranked: Vec<(usize, usize)> = round.units.iter().copied().zip(ranks).collect();
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
    prepared: &Prepared<'_>,
    u: usize,
    rank: usize,
    tally: Option<&Tally>,
    draws: usize,
) -> CountryRobustness {
    let unit = &prepared.units[u];
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
