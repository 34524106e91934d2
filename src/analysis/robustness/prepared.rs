//! The country-rounds as the draws need them: each applicable question's points and weight, read
//! once from the score trees, and the re-aggregation of one draw.

use std::collections::HashMap;
use std::ops::Range;

use crate::model::{CountryCode, Questionnaire, Round};
use crate::scoring::{ScoreTree, ScoredCountryRound, Stage, Status, WeightedMean};

use super::{Aggregation, UnknownTreatment};

/// The weight factors of one draw, by slot, and its two choices.
#[derive(Debug, Clone, Copy)]
pub(super) struct Scenario<'a> {
    pub question: &'a [f64],
    pub indicator: &'a [f64],
    pub pillar: &'a [f64],
    pub aggregation: Aggregation,
    pub unknown: UnknownTreatment,
}

/// The scored country-rounds of a run, reduced to what re-aggregation needs.
#[derive(Debug)]
pub struct Prepared<'q> {
    pub(super) versions: Vec<&'q Questionnaire>,
    /// Per version, the slot of each question, indicator and pillar by position.
    layouts: Vec<Layout>,
    /// How many distinct question, indicator and pillar ids the versions have.
    pub(super) slots: [usize; 3],
    pub(super) units: Vec<Unit>,
}

#[derive(Debug)]
struct Layout {
    questions: Vec<u32>,
    indicators: Vec<u32>,
    pillars: Vec<u32>,
}

/// One scored country and round.
#[derive(Debug)]
pub(super) struct Unit {
    pub country: CountryCode,
    pub round: Round,
    pub version: usize,
    /// The overall score as `score` gave it.
    pub score: Option<f64>,
    /// Each pillar's stage as `score` gave it.
    pub pillar_stages: Vec<Option<Stage>>,
    pillars: Vec<PillarTerms>,
    indicators: Vec<IndicatorTerms>,
    questions: Vec<QuestionTerm>,
}

#[derive(Debug)]
struct PillarTerms {
    slot: u32,
    weight: f64,
    indicators: Range<usize>,
}

#[derive(Debug)]
struct IndicatorTerms {
    slot: u32,
    weight: f64,
    questions: Range<usize>,
    /// The lowest and highest points of its questions of weight above 0, with `unknown` ones
    /// and without: the bounds `WeightedMean` holds a mean in (a factor above 0 keeps a weight
    /// above 0, so these do not change from draw to draw).
    range: Option<(f64, f64)>,
    range_known: Option<(f64, f64)>,
}

/// The lowest and highest of `values`, if any.
fn bounds(values: impl Iterator<Item = f64>) -> Option<(f64, f64)> {
    values.fold(None, |range, v| {
        Some(range.map_or((v, v), |(lo, hi): (f64, f64)| (lo.min(v), hi.max(v))))
    })
}

/// An applicable question (answered, unknown or unanswered).
#[derive(Debug)]
struct QuestionTerm {
    slot: u32,
    weight: f64,
    points: f64,
    unknown: bool,
}

/// One slot per distinct id, in order of first appearance across the versions.
fn slot_of(slots: &mut HashMap<String, u32>, id: &str) -> u32 {
    let next = slots.len() as u32;
    *slots.entry(id.to_owned()).or_insert(next)
}

impl<'q> Prepared<'q> {
    /// Ready to take the country-rounds scored on `versions` (`Inventory::versions`). A question,
    /// indicator or pillar that keeps its id across versions draws one weight factor, so that a
    /// draw weighs it alike in every round.
    pub fn new(versions: &[&'q Questionnaire]) -> Self {
        let (mut questions, mut indicators, mut pillars) =
            (HashMap::new(), HashMap::new(), HashMap::new());
        let layouts = versions
            .iter()
            .map(|q| Layout {
                questions: q
                    .questions
                    .iter()
                    .map(|x| slot_of(&mut questions, &x.id))
                    .collect(),
                indicators: q
                    .indicators
                    .iter()
                    .map(|x| slot_of(&mut indicators, &x.id))
                    .collect(),
                pillars: q
                    .pillars
                    .iter()
                    .map(|x| slot_of(&mut pillars, &x.id))
                    .collect(),
            })
            .collect();
        Prepared {
            versions: versions.to_vec(),
            layouts,
            slots: [questions.len(), indicators.len(), pillars.len()],
            units: Vec::new(),
        }
    }

    /// Takes one scored country and round; one left unscored is skipped.
    pub fn push_scored(&mut self, result: &ScoredCountryRound) {
        if let Some(tree) = &result.tree {
            self.push(&result.country, &result.round, result.version, tree);
        }
    }

    /// Takes the score tree of `country` in `round`, scored on `versions[version]`.
    pub fn push(&mut self, country: &CountryCode, round: &Round, version: usize, tree: &ScoreTree) {
        let questionnaire = self.versions[version];
        let layout = &self.layouts[version];
        let mut unit = Unit {
            country: country.clone(),
            round: round.clone(),
            version,
            score: tree.overall.score,
            pillar_stages: tree.pillars.iter().map(|p| p.measure.stage).collect(),
            pillars: Vec::with_capacity(tree.pillars.len()),
            indicators: Vec::new(),
            questions: Vec::new(),
        };
        for pillar in &tree.pillars {
            let first_indicator = unit.indicators.len();
            for indicator in &pillar.indicators {
                let first_question = unit.questions.len();
                for q in indicator
                    .questions
                    .iter()
                    .filter(|q| q.status.is_applicable())
                {
                    unit.questions.push(QuestionTerm {
                        slot: layout.questions[q.question],
                        weight: q.weight,
                        points: q.points.unwrap_or(0.0),
                        unknown: q.status == Status::Unknown,
                    });
                }
                let terms = &unit.questions[first_question..];
                let weighing = || terms.iter().filter(|q| q.weight > 0.0);
                unit.indicators.push(IndicatorTerms {
                    slot: layout.indicators[indicator.indicator],
                    weight: questionnaire.indicators[indicator.indicator].weight,
                    questions: first_question..unit.questions.len(),
                    range: bounds(weighing().map(|q| q.points)),
                    range_known: bounds(weighing().filter(|q| !q.unknown).map(|q| q.points)),
                });
            }
            unit.pillars.push(PillarTerms {
                slot: layout.pillars[pillar.pillar],
                weight: questionnaire.pillars[pillar.pillar].weight,
                indicators: first_indicator..unit.indicators.len(),
            });
        }
        self.units.push(unit);
    }

    /// How many country-rounds it holds.
    pub fn len(&self) -> usize {
        self.units.len()
    }

    /// Whether it holds none.
    pub fn is_empty(&self) -> bool {
        self.units.is_empty()
    }

    /// The overall score of every country-round with no weight perturbed, arithmetic means and
    /// `unknown` scored 0: `score`'s own arithmetic, re-done from the prepared points.
    pub fn unperturbed_scores(&self) -> Vec<Option<f64>> {
        let ones = vec![1.0; self.slots.iter().copied().max().unwrap_or(0)];
        let scenario = Scenario {
            question: &ones,
            indicator: &ones,
            pillar: &ones,
            aggregation: Aggregation::Arithmetic,
            unknown: UnknownTreatment::Zero,
        };
        let mut indicators = Vec::new();
        self.units
            .iter()
            .map(|unit| {
                indicators.clear();
                unit.indicator_scores(&scenario, &mut indicators);
                unit.overall(&scenario, &indicators, &[], None)
            })
            .collect()
    }
}

/// ln(score + 1): the geometric mean is taken on score + 1, so that a score of 0 has a
/// logarithm; it pulls the mean down hard without making it 0 whatever the other scores.
pub(super) fn log_score(score: f64) -> f64 {
    (score + 1.0).ln()
}

/// The score whose [`log_score`] is `mean`, within 0..=100.
fn from_log(mean: f64) -> f64 {
    (mean.exp() - 1.0).clamp(0.0, 100.0)
}

impl Unit {
    /// Appends the score of each of its indicators under `scenario` to `out`.
    ///
    /// `WeightedMean`'s sums, in its order, with the bounds it would find read from the
    /// prepared ranges: tracking them question by question took a third of the time of the
    /// draws (the benchmark's 60 countries × 3 rounds).
    pub(super) fn indicator_scores(&self, scenario: &Scenario<'_>, out: &mut Vec<Option<f64>>) {
        let omit = scenario.unknown == UnknownTreatment::Omit;
        for indicator in &self.indicators {
            let (mut sum, mut weights) = (0.0, 0.0);
            for q in &self.questions[indicator.questions.clone()] {
                if !(omit && q.unknown) {
                    let weight = q.weight * scenario.question[q.slot as usize];
                    sum += q.points * weight;
                    weights += weight;
                }
            }
            let range = if omit {
                indicator.range_known
            } else {
                indicator.range
            };
            out.push(range.map(|(lowest, highest)| (sum / weights).clamp(lowest, highest)));
        }
    }

    /// How many indicators it has: the length of its slice of indicator scores.
    pub(super) fn indicator_count(&self) -> usize {
        self.indicators.len()
    }

    /// How many pillars it has.
    pub(super) fn pillar_count(&self) -> usize {
        self.pillars.len()
    }

    /// The overall score under `scenario` from its indicator scores (and, for a geometric
    /// aggregation, their [`log_score`]s, computed once for the several scenarios that share
    /// them); each pillar's score goes into `pillar_scores` when given.
    pub(super) fn overall(
        &self,
        scenario: &Scenario<'_>,
        indicator_scores: &[Option<f64>],
        indicator_logs: &[f64],
        mut pillar_scores: Option<&mut [Option<f64>]>,
    ) -> Option<f64> {
        let geometric = scenario.aggregation == Aggregation::Geometric;
        let mut overall = WeightedMean::default();
        for (p, pillar) in self.pillars.iter().enumerate() {
            let mut mean = WeightedMean::default();
            for i in pillar.indicators.clone() {
                if let Some(score) = indicator_scores[i] {
                    let indicator = &self.indicators[i];
                    let value = if geometric { indicator_logs[i] } else { score };
                    mean.add(
                        value,
                        indicator.weight * scenario.indicator[indicator.slot as usize],
                    );
                }
            }
            let score = if geometric {
                mean.mean().map(from_log)
            } else {
                mean.mean()
            };
            if let Some(out) = pillar_scores.as_deref_mut() {
                out[p] = score;
            }
            if let Some(score) = score {
                let value = if geometric { log_score(score) } else { score };
                overall.add(value, pillar.weight * scenario.pillar[pillar.slot as usize]);
            }
        }
        if geometric {
            overall.mean().map(from_log)
        } else {
            overall.mean()
        }
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::scoring::properties::answered_questionnaire;
    use crate::scoring::score;

    proptest! {
        /// With no weight perturbed, arithmetic means and `unknown` scored 0, the draws'
        /// arithmetic gives `score`'s overall score to the last bit, for every country-round,
        /// whatever the questionnaires, weights, conditions and answers.
        #[test]
        fn no_perturbation_reproduces_the_scores_exactly(
            answered in proptest::collection::vec(answered_questionnaire(), 1..4)
        ) {
            let versions: Vec<&Questionnaire> = answered.iter().map(|(q, _)| q).collect();
            let mut prepared = Prepared::new(&versions);
            let round = Round::parse("2025").unwrap();
            let mut expected = Vec::new();
            for (version, (questionnaire, answers)) in answered.iter().enumerate() {
                let values: Vec<_> = answers.iter().map(Option::as_ref).collect();
                let tree = score(questionnaire, &values);
                let country = CountryCode::parse(&format!("X{}", (b'A' + version as u8) as char)).unwrap();
                prepared.push(&country, &round, version, &tree);
                expected.push(tree.overall.score);
            }
            let got = prepared.unperturbed_scores();
            prop_assert_eq!(got.len(), expected.len());
            for (got, expected) in got.iter().zip(&expected) {
                prop_assert_eq!(got.map(f64::to_bits), expected.map(f64::to_bits));
            }
        }
    }
}
