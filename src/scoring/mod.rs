//! Scoring as pure functions: merge the responses of one country and round, then score
//! question → indicator → pillar → overall, keeping the trace of every number.

pub mod agreement;
mod merge;
#[cfg(test)]
pub(crate) mod properties;
pub mod ranks;

mod scored;
mod stage;

#[cfg(test)]
pub(crate) use merge::tests::response as test_submission;
pub use merge::{ConflictPolicy, Disagreement, Merged, MergedAnswer, Submission, merge};
pub use scored::{ScoredCountryRound, SourceNames, Submitter, Unscored, UnscoredReason};
pub use stage::Stage;

use serde::Serialize;

use crate::model::{AnswerValue, ConditionValue, Question, QuestionKind, Questionnaire};

/// Points (0..=100) of a level 1..5.
pub fn level_points(level: u8) -> f64 {
    f64::from(level.saturating_sub(1)) / 4.0 * 100.0
}

/// Why a question does or does not count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Answered: its points count.
    Answered,
    /// Answered `unknown`: scores 0, counts against completeness.
    Unknown,
    /// Not answered: scores 0, counts against completeness.
    Unanswered,
    /// Answered `na`: left out.
    NotApplicable,
    /// Its `when` condition is not met: left out.
    ConditionUnmet,
    /// A text or context question: recorded, never scored.
    NotScored,
}

impl Status {
    /// Whether the question is in the numerator and denominator.
    pub fn is_applicable(self) -> bool {
        matches!(
            self,
            Status::Answered | Status::Unknown | Status::Unanswered
        )
    }
}

/// The score of one question, with what it contributes to its indicator.
#[derive(Debug, Clone, Serialize)]
pub struct QuestionScore {
    /// Position in `Questionnaire::questions`.
    #[serde(skip)]
    pub question: usize,
    /// Whether and how it counts.
    pub status: Status,
    /// 0..=100 when applicable.
    pub points: Option<f64>,
    /// Its weight.
    pub weight: f64,
    /// weight × points / Σ applicable weights: the points it adds to the indicator's score.
    pub contribution: Option<f64>,
    /// contribution / indicator score (0..=1), when the indicator's score is above 0.
    pub share: Option<f64>,
}

/// A score with its stage and completeness.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Measure {
    /// 0..=100, `None` when nothing applies.
    pub score: Option<f64>,
    /// `None` when there is no score.
    pub stage: Option<Stage>,
    /// Answered (not unknown) applicable scored questions / applicable scored questions.
    pub completeness: Option<f64>,
}

impl Measure {
    fn new(score: Option<f64>, answered: usize, applicable: usize) -> Self {
        Measure {
            score,
            stage: score.map(Stage::of),
            completeness: (applicable > 0).then(|| answered as f64 / applicable as f64),
        }
    }
}

/// An indicator's score and its questions.
#[derive(Debug, Clone)]
pub struct IndicatorScore {
    /// Position in `Questionnaire::indicators`.
    pub indicator: usize,
    /// Its score.
    pub measure: Measure,
    /// Its questions.
    pub questions: Vec<QuestionScore>,
}

/// A pillar's score and its indicators.
#[derive(Debug, Clone)]
pub struct PillarScore {
    /// Position in `Questionnaire::pillars`.
    pub pillar: usize,
    /// Its score.
    pub measure: Measure,
    /// Its indicators.
    pub indicators: Vec<IndicatorScore>,
}

/// The full score tree of one country and round.
#[derive(Debug, Clone)]
pub struct ScoreTree {
    /// Overall score.
    pub overall: Measure,
    /// Its pillars.
    pub pillars: Vec<PillarScore>,
}

/// Points of an answer, 0..=100; `None` for `na`, text and context.
pub fn answer_points(question: &Question, value: &AnswerValue) -> Option<f64> {
    if !question.is_scored() {
        return None;
    }
    match (&question.kind, value) {
        (_, AnswerValue::NotApplicable) | (QuestionKind::Text, _) => None,
        (_, AnswerValue::Unknown) => Some(0.0),
        (QuestionKind::Choice { options }, AnswerValue::Choice(i)) => {
            options.get(usize::from(*i)).map(|o| level_points(o.level))
        }
        (QuestionKind::Multi { options }, AnswerValue::Multi(bits)) => {
            let total: f64 = options.iter().map(|o| o.points).sum();
            let selected: f64 = options
                .iter()
                .enumerate()
                .filter(|(i, _)| bits & (1u64 << i) != 0)
                .map(|(_, o)| o.points)
                .sum();
            (total > 0.0).then(|| selected / total * 100.0)
        }
        (QuestionKind::YesNo, AnswerValue::YesNo(yes)) => Some(if *yes { 100.0 } else { 0.0 }),
        (QuestionKind::Number { bands, .. }, AnswerValue::Number(n)) => {
            let level = bands
                .iter()
                .filter(|(min, _)| n >= min)
                .map(|(_, level)| *level)
                .next_back()
                .unwrap_or(1);
            Some(level_points(level))
        }
        // A value of the wrong kind cannot pass `load`; score it as nothing rather than panic.
        _ => None,
    }
}

/// Whether each question applies, given the answers: a condition holds only when the question it
/// names applies and its answer matches.
pub fn applicability(questionnaire: &Questionnaire, answers: &[Option<&AnswerValue>]) -> Vec<bool> {
    let mut applies: Vec<bool> = Vec::with_capacity(questionnaire.questions.len());
    for question in &questionnaire.questions {
        let holds = match &question.when {
            None => true,
            Some(condition) => {
                applies[condition.question]
                    && answers[condition.question].is_some_and(|answer| {
                        condition
                            .any_of
                            .iter()
                            .any(|wanted| condition_matches(*wanted, answer))
                    })
            }
        };
        applies.push(holds);
    }
    applies
}

fn condition_matches(wanted: ConditionValue, answer: &AnswerValue) -> bool {
    match (wanted, answer) {
        (ConditionValue::Option(i), AnswerValue::Choice(j)) => i == *j,
        (ConditionValue::Option(i), AnswerValue::Multi(bits)) => bits & (1u64 << i) != 0,
        (ConditionValue::YesNo(a), AnswerValue::YesNo(b)) => a == *b,
        _ => false,
    }
}

/// Scores one country and round from its merged answers (indexed by question position).
pub fn score(questionnaire: &Questionnaire, answers: &[Option<&AnswerValue>]) -> ScoreTree {
    let applies = applicability(questionnaire, answers);
    let mut pillars = Vec::with_capacity(questionnaire.pillars.len());
    let mut pillar_means = WeightedMean::default();
    let (mut answered_total, mut applicable_total) = (0, 0);
    for (p, pillar) in questionnaire.pillars.iter().enumerate() {
        let mut indicators = Vec::with_capacity(pillar.indicators.len());
        let mut indicator_means = WeightedMean::default();
        let (mut answered_pillar, mut applicable_pillar) = (0, 0);
        for position in pillar.indicators.clone() {
            let indicator = score_indicator(questionnaire, position, answers, &applies);
            if let Some(s) = indicator.measure.score {
                indicator_means.add(s, questionnaire.indicators[position].weight);
            }
            answered_pillar += indicator.answered();
            applicable_pillar += indicator.applicable();
            indicators.push(indicator);
        }
        let score = indicator_means.mean();
        if let Some(s) = score {
            pillar_means.add(s, pillar.weight);
        }
        answered_total += answered_pillar;
        applicable_total += applicable_pillar;
        pillars.push(PillarScore {
            pillar: p,
            measure: Measure::new(score, answered_pillar, applicable_pillar),
            indicators,
        });
    }
    ScoreTree {
        overall: Measure::new(pillar_means.mean(), answered_total, applicable_total),
        pillars,
    }
}

/// Scores one indicator (by position) from the answers and whether each question applies
/// (`applicability`): the step `score` takes for each indicator, on its own for analyses that
/// try many answers in one indicator.
pub fn score_indicator(
    questionnaire: &Questionnaire,
    position: usize,
    answers: &[Option<&AnswerValue>],
    applies: &[bool],
) -> IndicatorScore {
    let indicator = &questionnaire.indicators[position];
    let mut questions = Vec::with_capacity(indicator.questions.len());
    let mut question_means = WeightedMean::default();
    let (mut answered, mut applicable) = (0, 0);
    for q in indicator.questions.clone() {
        let question = &questionnaire.questions[q];
        let answer = answers[q];
        let status = if !question.is_scored() {
            Status::NotScored
        } else if !applies[q] {
            Status::ConditionUnmet
        } else {
            match answer {
                None => Status::Unanswered,
                Some(AnswerValue::NotApplicable) => Status::NotApplicable,
                Some(AnswerValue::Unknown) => Status::Unknown,
                Some(_) => Status::Answered,
            }
        };
        let points = match status {
            Status::Answered => answer.and_then(|a| answer_points(question, a)),
            Status::Unknown | Status::Unanswered => Some(0.0),
            _ => None,
        };
        if status.is_applicable() {
            applicable += 1;
            answered += usize::from(status == Status::Answered);
            question_means.add(points.unwrap_or(0.0), question.weight);
        }
        questions.push(QuestionScore {
            question: q,
            status,
            points,
            weight: question.weight,
            contribution: None,
            share: None,
        });
    }
    let score = question_means.mean();
    let total_weight = question_means.weights;
    for entry in &mut questions {
        if let (Some(points), true) = (entry.points, total_weight > 0.0) {
            let contribution = entry.weight * points / total_weight;
            entry.contribution = Some(contribution);
            entry.share = score.filter(|s| *s > 0.0).map(|s| contribution / s);
        }
    }
    IndicatorScore {
        indicator: position,
        measure: Measure::new(score, answered, applicable),
        questions,
    }
}

impl IndicatorScore {
    /// How many of its questions apply and were answered (not `unknown`).
    fn answered(&self) -> usize {
        self.questions
            .iter()
            .filter(|q| q.status == Status::Answered)
            .count()
    }

    /// How many of its questions apply.
    fn applicable(&self) -> usize {
        self.questions
            .iter()
            .filter(|q| q.status.is_applicable())
            .count()
    }
}

/// Σ weight × value / Σ weight; no value, or only zero weights, means no mean.
#[derive(Debug, Default)]
pub struct WeightedMean {
    sum: f64,
    weights: f64,
    /// The lowest and highest value of weight above 0.
    range: Option<(f64, f64)>,
}

impl WeightedMean {
    /// Adds `value` with `weight`.
    pub fn add(&mut self, value: f64, weight: f64) {
        self.sum += value * weight;
        self.weights += weight;
        if weight > 0.0 {
            self.range = Some(self.range.map_or((value, value), |(lowest, highest)| {
                (lowest.min(value), highest.max(value))
            }));
        }
    }

    /// Rounding can put Σ w × v / Σ w a hair outside the values (100 × w / w giving
    /// 100.00000000000001): the mean is held between them, so it never leaves 0..=100 and the
    /// mean of equal values is that value.
    pub fn mean(&self) -> Option<f64> {
        self.range
            .map(|(lowest, highest)| (self.sum / self.weights).clamp(lowest, highest))
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;
    use crate::load::{Source, load_questionnaire};

    /// Follow-up questions under a yes/no, a choice and a multi question, one following another.
    const FOLLOW_UPS: &str = r#"
id: follow-ups
version: "1"
title: Follow-ups
stages:
  - {level: 1, name: Initial}
  - {level: 2, name: Developing}
  - {level: 3, name: Defined}
  - {level: 4, name: Managed}
  - {level: 5, name: Optimised}
pillars:
  - id: governance
    title: Governance
    indicators:
      - id: governance.strategy
        title: Strategy
        questions:
          - {id: strategy, text: "Is there a national strategy?", type: yesno}
          - id: owner
            text: "Who owns it?"
            type: choice
            when: {question: strategy, equals: yes}
            options:
              - {id: nobody, label: Nobody, level: 1}
              - {id: ministry, label: A ministry, level: 3}
              - {id: agency, label: An agency, level: 5}
          - id: agency_staff
            text: "How many people does the agency employ?"
            type: number
            when: {question: owner, equals: agency}
            bands:
              - {min: 0, level: 1}
              - {min: 10, level: 3}
              - {min: 50, level: 5}
          - id: sectors
            text: "Which sectors does it cover?"
            type: multi
            options:
              - {id: energy, label: Energy, points: 1}
              - {id: health, label: Health, points: 1}
              - {id: finance, label: Finance, points: 2}
          - id: regulator
            text: "Does a regulator oversee finance?"
            type: yesno
            when: {question: sectors, in: [finance]}
          - {id: notes, text: "Anything else?", type: text}
"#;

    fn follow_ups() -> Questionnaire {
        let source = Source::from_text(Path::new("follow-ups.yaml"), FOLLOW_UPS);
        load_questionnaire(&source).unwrap().0
    }

    /// Which of the follow-up questions are asked, by id, given answers by id.
    fn asked(q: &Questionnaire, given: &[(&str, AnswerValue)]) -> Vec<String> {
        let mut answers: Vec<Option<&AnswerValue>> = vec![None; q.questions.len()];
        for (id, value) in given {
            answers[q.question_position(id).unwrap()] = Some(value);
        }
        let applies = applicability(q, &answers);
        let ids = q.questions.iter().map(|question| question.id.clone());
        ids.zip(applies)
            .filter(|(_, applies)| *applies)
            .map(|(id, _)| id)
            .collect()
    }

    fn points(q: &Questionnaire, id: &str, value: AnswerValue) -> Option<f64> {
        answer_points(&q.questions[q.question_position(id).unwrap()], &value)
    }

    #[test]
    fn a_follow_up_is_asked_only_after_the_answer_it_follows() {
        let q = follow_ups();
        let always = ["strategy", "sectors", "notes"];
        assert_eq!(asked(&q, &[]), always);
        assert_eq!(
            asked(&q, &[("strategy", AnswerValue::YesNo(false))]),
            always
        );
        let yes = ("strategy", AnswerValue::YesNo(true));
        assert_eq!(
            asked(&q, std::slice::from_ref(&yes)),
            ["strategy", "owner", "sectors", "notes"]
        );
        assert_eq!(
            asked(&q, &[yes.clone(), ("owner", AnswerValue::Choice(1))]),
            ["strategy", "owner", "sectors", "notes"]
        );
        assert_eq!(
            asked(&q, &[yes, ("owner", AnswerValue::Choice(2))]),
            ["strategy", "owner", "agency_staff", "sectors", "notes"]
        );
        assert_eq!(asked(&q, &[("sectors", AnswerValue::Multi(0b011))]), always);
        assert_eq!(
            asked(&q, &[("sectors", AnswerValue::Multi(0b110))]),
            ["strategy", "sectors", "regulator", "notes"]
        );
    }

    #[test]
    fn a_follow_up_of_a_question_not_asked_is_not_asked_whatever_its_answer() {
        let q = follow_ups();
        let given = [
            ("strategy", AnswerValue::YesNo(false)),
            ("owner", AnswerValue::Choice(2)),
        ];
        assert_eq!(asked(&q, &given), ["strategy", "sectors", "notes"]);
    }

    #[test]
    fn a_multi_answer_is_worth_the_share_of_the_points_selected() {
        let q = follow_ups();
        assert_eq!(points(&q, "sectors", AnswerValue::Multi(0)), Some(0.0));
        assert_eq!(points(&q, "sectors", AnswerValue::Multi(0b001)), Some(25.0));
        assert_eq!(points(&q, "sectors", AnswerValue::Multi(0b100)), Some(50.0));
        assert_eq!(
            points(&q, "sectors", AnswerValue::Multi(0b111)),
            Some(100.0)
        );
    }

    #[test]
    fn a_multi_question_whose_options_are_worth_nothing_scores_nothing() {
        let q = follow_ups();
        let mut worthless = q.questions[q.question_position("sectors").unwrap()].clone();
        if let QuestionKind::Multi { options } = &mut worthless.kind {
            options.iter_mut().for_each(|o| o.points = 0.0);
        }
        assert_eq!(answer_points(&worthless, &AnswerValue::Multi(0b111)), None);
    }

    #[test]
    fn a_number_is_worth_the_level_of_the_band_it_falls_in() {
        let q = follow_ups();
        let staff = |n| points(&q, "agency_staff", AnswerValue::Number(n));
        assert_eq!(staff(0.0), Some(0.0));
        assert_eq!(staff(9.5), Some(0.0));
        assert_eq!(staff(10.0), Some(50.0));
        assert_eq!(staff(49.0), Some(50.0));
        assert_eq!(staff(50.0), Some(100.0));
        assert_eq!(staff(5000.0), Some(100.0));
    }

    #[test]
    fn unknown_is_worth_0_while_na_and_text_are_worth_nothing() {
        let q = follow_ups();
        assert_eq!(points(&q, "owner", AnswerValue::Unknown), Some(0.0));
        assert_eq!(points(&q, "owner", AnswerValue::NotApplicable), None);
        assert_eq!(points(&q, "notes", AnswerValue::Text("x".into())), None);
        assert_eq!(points(&q, "notes", AnswerValue::Unknown), None);
        assert_eq!(points(&q, "owner", AnswerValue::Choice(1)), Some(50.0));
        assert_eq!(
            points(&q, "strategy", AnswerValue::YesNo(true)),
            Some(100.0)
        );
        assert_eq!(points(&q, "strategy", AnswerValue::YesNo(false)), Some(0.0));
    }

    #[test]
    fn level_points_span_0_to_100() {
        let points: Vec<f64> = (1..=5).map(level_points).collect();
        assert_eq!(points, [0.0, 25.0, 50.0, 75.0, 100.0]);
    }

    #[test]
    fn equal_points_average_to_exactly_those_points() {
        let mut mean = WeightedMean::default();
        mean.add(100.0, 6.665_420_728_311_397);
        assert_eq!(mean.mean(), Some(100.0));
        // 75 × 0.1 + 75 × 0.2 over 0.1 + 0.2 is 74.99999999999999 in floats; a question of
        // weight 0 takes no part, even in how far the mean may stray.
        let mut mean = WeightedMean::default();
        mean.add(0.0, 0.0);
        for weight in [0.1, 0.2] {
            mean.add(75.0, weight);
        }
        assert_eq!(mean.mean(), Some(75.0));
    }

    #[test]
    fn a_mean_lies_between_the_values_that_weigh() {
        let mut mean = WeightedMean::default();
        assert_eq!(mean.mean(), None);
        mean.add(0.0, 0.0);
        assert_eq!(mean.mean(), None);
        mean.add(100.0, 1.0);
        mean.add(50.0, 3.0);
        assert_eq!(mean.mean(), Some(62.5));
    }
}
