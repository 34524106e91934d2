//! How far the respondents of one country and round agree: Krippendorff's alpha (ordinal) on the
//! levels of their answers, for the whole questionnaire and per pillar, and the questions on
//! which their answers lie furthest apart.
//!
//! Each scored question is a unit; each respondent's value is the points the scoring gives that
//! answer (`scoring::answer_points`, 0–100), which orders answers as their levels do: a choice
//! is its option's level, a yes/no the lowest or the highest, a number the level of the band it
//! falls in, and a multi answer the share of the option points selected (between the levels, as
//! it scores). Ordinal alpha reads only that order. `unknown`, `na`, text and context questions,
//! unanswered questions and questions whose condition the respondent's own answers leave unmet
//! are missing values: they neither agree nor disagree.

use std::collections::HashMap;

use crate::model::{AnswerValue, Questionnaire};
use crate::scoring::agreement::{Metric, krippendorff_alpha};
use crate::scoring::{ScoredCountryRound, Submitter, answer_points, applicability};

/// Alpha below this calls for reconciling the answers in a meeting: Krippendorff's lowest
/// acceptable value, for tentative conclusions only (Content Analysis, 2004, p. 241).
pub const RECONCILE_BELOW: f64 = 0.667;

/// How many of the widest disagreements are listed.
pub const WIDEST: usize = 5;

/// Alpha over a set of questions.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Alpha {
    /// Krippendorff's alpha, ordinal; `None` when no question has answers of two respondents to
    /// compare. Respondents who gave the same answers throughout have 1.
    pub alpha: Option<f64>,
    /// The questions with values from two or more respondents: those compared.
    pub compared: usize,
}

impl Alpha {
    /// True when alpha is below [`RECONCILE_BELOW`]: the answers need a reconciliation meeting.
    pub fn flagged(&self) -> bool {
        self.alpha.is_some_and(|a| a < RECONCILE_BELOW)
    }
}

/// One question on which the respondents' answers lie far apart.
#[derive(Debug, Clone, PartialEq)]
pub struct Spread {
    /// Position of the question in its questionnaire.
    pub question: usize,
    /// Highest minus lowest value among the respondents, in points (25 points are one level).
    pub spread: f64,
    /// Every respondent's answer, in the order of `Agreement::sources`: `None` when they gave
    /// none; `unknown` and `na` as given.
    pub answers: Vec<Option<AnswerValue>>,
    /// Every respondent's value (points), `None` where it is missing.
    pub values: Vec<Option<f64>>,
}

/// The agreement of the respondents of one country and round.
#[derive(Debug, Clone)]
pub struct Agreement {
    /// The responses compared (numbers in the run's sources), in input order.
    pub sources: Vec<usize>,
    /// Who gave each, in the order of `sources`.
    pub respondents: Vec<Submitter>,
    /// Alpha over every scored question.
    pub overall: Alpha,
    /// Alpha per pillar, by pillar position.
    pub pillars: Vec<Alpha>,
    /// The questions with the widest spread, widest first (ties in questionnaire order), at most
    /// [`WIDEST`]; only those where the respondents' values differ.
    pub widest: Vec<Spread>,
}

impl Agreement {
    /// True when the overall alpha or any pillar's is below [`RECONCILE_BELOW`].
    pub fn any_flagged(&self) -> bool {
        self.overall.flagged() || self.pillars.iter().any(Alpha::flagged)
    }
}

/// The agreement of a country and round's respondents, scored on `questionnaire` (the version
/// it was answered on); `None` with fewer than two respondents. Works on a country and round
/// left unscored by a disagreement too: that is when agreement matters most.
pub fn respondent_agreement(
    questionnaire: &Questionnaire,
    result: &ScoredCountryRound,
) -> Option<Agreement> {
    if result.sources.len() < 2 {
        return None;
    }
    let answers = answers_by_respondent(questionnaire, result);
    let values: Vec<Vec<Option<f64>>> = answers
        .iter()
        .map(|own| values_of(questionnaire, own))
        .collect();
    // One unit per scored question: the values of every respondent.
    let units: Vec<(usize, Vec<Option<f64>>)> = questionnaire
        .questions
        .iter()
        .enumerate()
        .filter(|(_, question)| question.is_scored())
        .map(|(q, _)| (q, values.iter().map(|own| own[q]).collect()))
        .collect();
    let alpha_of = |units: Vec<Vec<Option<f64>>>| Alpha {
        compared: units
            .iter()
            .filter(|unit| unit.iter().flatten().count() >= 2)
            .count(),
        alpha: krippendorff_alpha(&units, Metric::Ordinal),
    };
    let overall = alpha_of(units.iter().map(|(_, unit)| unit.clone()).collect());
    let pillar_of =
        |q: usize| questionnaire.indicators[questionnaire.questions[q].indicator].pillar;
    let pillars = (0..questionnaire.pillars.len())
        .map(|p| {
            alpha_of(
                units
                    .iter()
                    .filter(|(q, _)| pillar_of(*q) == p)
                    .map(|(_, unit)| unit.clone())
                    .collect(),
            )
        })
        .collect();
    let mut widest: Vec<Spread> = units
        .iter()
        .filter_map(|(q, unit)| {
            let present: Vec<f64> = unit.iter().flatten().copied().collect();
            let low = present.iter().copied().reduce(f64::min)?;
            let high = present.iter().copied().reduce(f64::max)?;
            (high > low).then(|| Spread {
                question: *q,
                spread: high - low,
                answers: answers.iter().map(|own| own[*q].cloned()).collect(),
                values: unit.clone(),
            })
        })
        .collect();
    // Stable: equal spreads keep questionnaire order.
    widest.sort_by(|a, b| b.spread.total_cmp(&a.spread));
    widest.truncate(WIDEST);
    Some(Agreement {
        sources: result.sources.clone(),
        respondents: result.respondents.clone(),
        overall,
        pillars,
        widest,
    })
}

/// Each respondent's own answers by question position, in the order of `result.sources`.
///
/// A merged answer keeps every answer given; a conflict left open keeps none, and its
/// disagreement lists the answers instead (all but `unknown`, which is a missing value anyway).
fn answers_by_respondent<'r>(
    questionnaire: &Questionnaire,
    result: &'r ScoredCountryRound,
) -> Vec<Vec<Option<&'r AnswerValue>>> {
    let count = questionnaire.questions.len();
    let mut answers: Vec<Vec<Option<&AnswerValue>>> = vec![vec![None; count]; result.sources.len()];
    let numbers: HashMap<usize, usize> = result
        .sources
        .iter()
        .enumerate()
        .map(|(n, &source)| (source, n))
        .collect();
    let respondent = |source: usize| numbers.get(&source).copied();
    let mut give = |source: usize, question: usize, value: &'r AnswerValue| {
        // A response that answers a question twice (two columns of a table) counts once.
        if let Some(r) = respondent(source)
            && question < count
            && answers[r][question].is_none()
        {
            answers[r][question] = Some(value);
        }
    };
    for (question, merged) in result.merged.answers.iter().enumerate() {
        for (source, answer) in merged.iter().flat_map(|m| m.given()) {
            give(*source, question, &answer.value);
        }
    }
    for open in result.merged.unresolved() {
        for (source, value) in &open.answers {
            give(*source, open.question, value);
        }
    }
    answers
}

/// A respondent's value for each question (see the module's note), by question position.
fn values_of(questionnaire: &Questionnaire, own: &[Option<&AnswerValue>]) -> Vec<Option<f64>> {
    let applies = applicability(questionnaire, own);
    questionnaire
        .questions
        .iter()
        .zip(own)
        .zip(applies)
        .map(|((question, answer), applies)| match answer {
            Some(AnswerValue::Unknown) | None => None,
            Some(_) if !applies => None,
            Some(value) => answer_points(question, value),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::hygiene_fixture as questionnaire;
    use crate::model::doc::RespondentDoc;
    use crate::model::{CountryCode, Round};
    use crate::scoring::{ConflictPolicy, Submission, merge, test_submission};

    /// A country and round whose respondents gave `answers` (question id, value), one list each,
    /// merged under `policy`.
    fn round_of(
        q: &Questionnaire,
        answers: &[&[(&str, AnswerValue)]],
        policy: ConflictPolicy,
    ) -> ScoredCountryRound {
        let submissions: Vec<Submission> = answers
            .iter()
            .enumerate()
            .map(|(source, given)| Submission {
                source: source + 10,
                ..test_submission(q, None, given)
            })
            .collect();
        ScoredCountryRound {
            country: CountryCode::parse("XA").unwrap(),
            round: Round::parse("2025").unwrap(),
            version: 0,
            sources: (0..answers.len()).map(|s| s + 10).collect(),
            respondents: answers
                .iter()
                .map(|_| Submitter {
                    respondent: RespondentDoc::default(),
                    submitted: None,
                })
                .collect(),
            merged: merge(q, submissions, policy),
            tree: None,
            unscored: None,
            diagnostics: Vec::new(),
        }
    }

    /// Every scored question of the fixture with an answer of its kind, level by `pick`.
    fn full_answers(q: &Questionnaire, pick: impl Fn(usize) -> usize) -> Vec<(&str, AnswerValue)> {
        use crate::model::QuestionKind;
        q.questions
            .iter()
            .enumerate()
            .filter(|(_, question)| question.is_scored() && question.when.is_none())
            .map(|(n, question)| {
                let value = match &question.kind {
                    QuestionKind::Choice { options } => {
                        AnswerValue::Choice((pick(n) % options.len()) as u16)
                    }
                    QuestionKind::Multi { options } => {
                        AnswerValue::Multi((1u64 << (pick(n) % options.len())) - 1)
                    }
                    QuestionKind::YesNo => AnswerValue::YesNo(pick(n) % 2 == 1),
                    QuestionKind::Number { .. } => AnswerValue::Number(pick(n) as f64 * 10.0),
                    QuestionKind::Text => AnswerValue::Text(String::new()),
                };
                (question.id.as_str(), value)
            })
            .collect()
    }

    #[test]
    fn fewer_than_two_respondents_have_no_agreement() {
        let q = questionnaire();
        let one = full_answers(&q, |n| n);
        let result = round_of(&q, &[&one], ConflictPolicy::Error);
        assert!(respondent_agreement(&q, &result).is_none());
    }

    #[test]
    fn identical_respondents_agree_fully_everywhere() {
        let q = questionnaire();
        let same = full_answers(&q, |n| n);
        let result = round_of(&q, &[&same, &same, &same], ConflictPolicy::Error);
        let agreement = respondent_agreement(&q, &result).unwrap();
        assert_eq!(agreement.overall.alpha, Some(1.0));
        assert!(agreement.overall.compared > 0);
        for pillar in &agreement.pillars {
            assert!(
                pillar.compared == 0 || pillar.alpha == Some(1.0),
                "{pillar:?}"
            );
        }
        assert!(agreement.widest.is_empty());
        assert!(!agreement.any_flagged());
    }

    #[test]
    fn respondents_who_all_say_yes_agree_fully() {
        let q = questionnaire();
        let yes: Vec<(&str, AnswerValue)> = q
            .questions
            .iter()
            .filter(|question| {
                matches!(question.kind, crate::model::QuestionKind::YesNo) && question.is_scored()
            })
            .map(|question| (question.id.as_str(), AnswerValue::YesNo(true)))
            .collect();
        assert!(!yes.is_empty());
        let result = round_of(&q, &[&yes, &yes], ConflictPolicy::Error);
        assert_eq!(
            respondent_agreement(&q, &result).unwrap().overall.alpha,
            Some(1.0)
        );
    }

    #[test]
    fn an_open_conflict_is_measured_from_the_answers_it_lists() {
        let q = questionnaire();
        let a = full_answers(&q, |n| n);
        let b = full_answers(&q, |n| n + 2);
        let open = round_of(&q, &[&a, &b], ConflictPolicy::Error);
        assert!(open.merged.unresolved().count() > 0);
        let settled = round_of(&q, &[&a, &b], ConflictPolicy::Latest);
        let open = respondent_agreement(&q, &open).unwrap();
        let settled = respondent_agreement(&q, &settled).unwrap();
        assert_eq!(open.overall, settled.overall);
        assert_eq!(open.widest, settled.widest);
        assert!(open.overall.alpha.unwrap() < 1.0);
    }

    #[test]
    fn unknown_na_and_unanswered_are_missing_not_disagreement() {
        let q = questionnaire();
        let a = full_answers(&q, |n| n);
        let mut b = a.clone();
        b[0].1 = AnswerValue::Unknown;
        b[1].1 = AnswerValue::NotApplicable;
        b.remove(2);
        let result = round_of(&q, &[&a, &b], ConflictPolicy::Latest);
        let agreement = respondent_agreement(&q, &result).unwrap();
        assert_eq!(agreement.overall.alpha, Some(1.0));
        assert_eq!(agreement.overall.compared, a.len() - 3);
        assert!(agreement.widest.is_empty());
    }

    #[test]
    fn the_widest_disagreements_come_first_ties_in_question_order() {
        let q = questionnaire();
        let a = [
            ("p_train", AnswerValue::YesNo(true)),
            ("p_train_freq", AnswerValue::Choice(0)),
            ("p_channels", AnswerValue::Multi(0b001)),
            ("t_patch_days", AnswerValue::Number(100.0)),
            ("t_inventory", AnswerValue::YesNo(false)),
            ("t_backup", AnswerValue::Choice(0)),
        ];
        let b = [
            ("p_train", AnswerValue::YesNo(true)),
            ("p_train_freq", AnswerValue::Choice(1)),
            ("p_channels", AnswerValue::Multi(0b100)),
            ("t_patch_days", AnswerValue::Number(10.0)),
            ("t_inventory", AnswerValue::YesNo(true)),
            ("t_backup", AnswerValue::Choice(1)),
        ];
        let result = round_of(&q, &[&a, &b], ConflictPolicy::Latest);
        let agreement = respondent_agreement(&q, &result).unwrap();
        let widest: Vec<(&str, f64)> = agreement
            .widest
            .iter()
            .map(|w| (q.questions[w.question].id.as_str(), w.spread))
            .collect();
        assert_eq!(
            widest,
            [
                ("t_inventory", 100.0),
                ("t_patch_days", 75.0),
                ("t_backup", 50.0),
                ("p_train_freq", 25.0),
                ("p_channels", 25.0),
            ]
        );
        let first = &agreement.widest[0];
        assert_eq!(
            first.answers,
            [
                Some(AnswerValue::YesNo(false)),
                Some(AnswerValue::YesNo(true))
            ]
        );
        assert_eq!(first.values, [Some(0.0), Some(100.0)]);
        assert!(agreement.overall.flagged());
    }

    #[test]
    fn a_follow_up_answered_against_the_respondents_own_condition_is_missing() {
        let q = questionnaire();
        let a = [
            ("p_train", AnswerValue::YesNo(false)),
            ("p_train_freq", AnswerValue::Choice(3)),
            ("t_backup", AnswerValue::Choice(0)),
            ("t_inventory", AnswerValue::YesNo(false)),
        ];
        let b = [
            ("p_train", AnswerValue::YesNo(false)),
            ("p_train_freq", AnswerValue::Choice(0)),
            ("t_backup", AnswerValue::Choice(0)),
            ("t_inventory", AnswerValue::YesNo(false)),
        ];
        let result = round_of(&q, &[&a, &b], ConflictPolicy::Latest);
        let agreement = respondent_agreement(&q, &result).unwrap();
        assert_eq!(agreement.overall.alpha, Some(1.0));
        assert_eq!(agreement.overall.compared, 3);
        assert!(agreement.widest.is_empty());
    }

    #[test]
    fn alpha_below_the_threshold_is_flagged_and_at_it_is_not() {
        let flagged = Alpha {
            alpha: Some(0.666),
            compared: 3,
        };
        let accepted = Alpha {
            alpha: Some(RECONCILE_BELOW),
            compared: 3,
        };
        let nothing = Alpha {
            alpha: None,
            compared: 0,
        };
        assert!(flagged.flagged());
        assert!(!accepted.flagged());
        assert!(!nothing.flagged());
    }
}
