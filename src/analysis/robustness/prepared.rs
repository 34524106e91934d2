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
                unit.indicators.push(IndicatorTerms {
                    slot: layout.indicators[indicator.indicator],
                    weight: questionnaire.indicators[indicator.indicator].weight,
                    questions: first_question..unit.questions.len(),
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
                unit.overall(&scenario, &indicators, None)
            })
            .collect()
    }
}

/// A mean of either kind, with the same summation and bounds as `score`'s.
struct Mean {
    geometric: bool,
    inner: WeightedMean,
}

impl Mean {
    fn new(aggregation: Aggregation) -> Self {
        Mean {
            geometric: aggregation == Aggregation::Geometric,
            inner: WeightedMean::default(),
        }
    }

    fn add(&mut self, value: f64, weight: f64) {
        // On score + 1, so that a score of 0 has a logarithm: it pulls the mean down hard
        // without making it 0 whatever the other scores.
        let value = if self.geometric {
            (value + 1.0).ln()
        } else {
            value
        };
        self.inner.add(value, weight);
    }

    fn mean(&self) -> Option<f64> {
        let mean = self.inner.mean()?;
        Some(if self.geometric {
            (mean.exp() - 1.0).clamp(0.0, 100.0)
        } else {
            mean
        })
    }
}

impl Unit {
    /// Appends the score of each of its indicators under `scenario` to `out`.
    pub(super) fn indicator_scores(&self, scenario: &Scenario<'_>, out: &mut Vec<Option<f64>>) {
        let omit = scenario.unknown == UnknownTreatment::Omit;
        for indicator in &self.indicators {
            let mut mean = WeightedMean::default();
            for q in &self.questions[indicator.questions.clone()] {
                if !(omit && q.unknown) {
                    mean.add(q.points, q.weight * scenario.question[q.slot as usize]);
                }
            }
            out.push(mean.mean());
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

    /// The overall score under `scenario` from its indicator scores; each pillar's score goes
    /// into `pillar_scores` when given.
    pub(super) fn overall(
        &self,
        scenario: &Scenario<'_>,
        indicator_scores: &[Option<f64>],
        mut pillar_scores: Option<&mut [Option<f64>]>,
    ) -> Option<f64> {
        let mut overall = Mean::new(scenario.aggregation);
        for (p, pillar) in self.pillars.iter().enumerate() {
            let mut mean = Mean::new(scenario.aggregation);
            for i in pillar.indicators.clone() {
                if let Some(score) = indicator_scores[i] {
                    let indicator = &self.indicators[i];
                    mean.add(
                        score,
                        indicator.weight * scenario.indicator[indicator.slot as usize],
                    );
                }
            }
            let score = mean.mean();
            if let Some(out) = pillar_scores.as_deref_mut() {
                out[p] = score;
            }
            if let Some(score) = score {
                overall.add(score, pillar.weight * scenario.pillar[pillar.slot as usize]);
            }
        }
        overall.mean()
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
