//! Merging the responses of one country and round, with conflict detection.

use crate::model::{Answer, AnswerValue, QuestionKind, Questionnaire};

/// What to do when two responses give different answers to the same question.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ConflictPolicy {
    /// Report the conflict and leave that country and round unscored.
    #[default]
    Error,
    /// Keep the answer of the latest `submitted` response; still list the disagreement.
    Latest,
}

/// The answers of one response taking part in a merge, which takes them over.
#[derive(Debug, Clone)]
pub struct Submission {
    /// The caller's number of the response.
    pub source: usize,
    /// When it was submitted, if it says.
    pub submitted: Option<jiff::Timestamp>,
    /// Its answers: (question position, answer).
    pub answers: Vec<(usize, Answer)>,
}

/// The merged answer to one question: every answer given, and which one is kept.
#[derive(Debug, Clone)]
pub struct MergedAnswer {
    given: Given,
    /// The position in `given` of the answer kept.
    kept: usize,
}

/// The answers given to one question: most questions have one, kept without a vector.
#[derive(Debug, Clone)]
enum Given {
    One((usize, Answer)),
    Many(Vec<(usize, Answer)>),
}

impl Given {
    fn of(mut all: Vec<(usize, Answer)>) -> Given {
        match all.len() {
            1 => Given::One(all.remove(0)),
            _ => Given::Many(all),
        }
    }
}

impl MergedAnswer {
    /// Every (response, answer) given for this question, in input order, notes included.
    pub fn given(&self) -> &[(usize, Answer)] {
        match &self.given {
            Given::One(one) => std::slice::from_ref(one),
            Given::Many(many) => many,
        }
    }

    /// The answer kept for scoring.
    pub fn answer(&self) -> &Answer {
        &self.given()[self.kept].1
    }

    /// The response it was taken from.
    pub fn source(&self) -> usize {
        self.given()[self.kept].0
    }
}

/// Respondents who gave different answers to one question.
#[derive(Debug, Clone)]
pub struct Disagreement {
    /// Position of the question.
    pub question: usize,
    /// Every (file, answer) that took part.
    pub answers: Vec<(usize, AnswerValue)>,
    /// The file whose answer was kept, when the policy could decide.
    pub kept: Option<usize>,
}

/// The merged answers of one country and round.
#[derive(Debug, Clone, Default)]
pub struct Merged {
    /// By question position; `None` when nobody answered.
    pub answers: Vec<Option<MergedAnswer>>,
    /// Questions on which respondents disagreed.
    pub disagreements: Vec<Disagreement>,
}

impl Merged {
    /// Conflicts the policy could not settle: the country and round cannot be scored.
    pub fn unresolved(&self) -> impl Iterator<Item = &Disagreement> {
        self.disagreements.iter().filter(|d| d.kept.is_none())
    }

    /// The kept answer values by question position, as scoring takes them.
    pub fn values(&self) -> Vec<Option<&AnswerValue>> {
        self.answers
            .iter()
            .map(|a| a.as_ref().map(|m| &m.answer().value))
            .collect()
    }
}

/// Merges the responses of one country and round, taking over their answers.
///
/// `unknown` yields to any other answer (someone knew); text answers never conflict (all are
/// kept); any other difference is a disagreement, settled by `policy`.
pub fn merge(
    questionnaire: &Questionnaire,
    mut submissions: Vec<Submission>,
    policy: ConflictPolicy,
) -> Merged {
    if submissions.len() == 1 && answers_once(questionnaire, &submissions[0]) {
        return alone(questionnaire, submissions.remove(0));
    }
    merge_compared(questionnaire, submissions, policy)
}

/// The merge that compares every answer given to each question.
fn merge_compared(
    questionnaire: &Questionnaire,
    submissions: Vec<Submission>,
    policy: ConflictPolicy,
) -> Merged {
    let times: Vec<(usize, Option<jiff::Timestamp>)> = submissions
        .iter()
        .map(|s| (s.source, s.submitted))
        .collect();
    let submitted_of = |source: usize| {
        times
            .iter()
            .find(|(s, _)| *s == source)
            .and_then(|(_, time)| *time)
    };
    let mut given: Vec<Vec<(usize, Answer)>> = vec![Vec::new(); questionnaire.questions.len()];
    for submission in submissions {
        for (question, answer) in submission.answers {
            given[question].push((submission.source, answer));
        }
    }
    let mut merged = Merged {
        answers: Vec::with_capacity(given.len()),
        disagreements: Vec::new(),
    };
    for (question, answers) in given.into_iter().enumerate() {
        if answers.is_empty() {
            merged.answers.push(None);
            continue;
        }
        let known: Vec<usize> = (0..answers.len())
            .filter(|&i| answers[i].1.value != AnswerValue::Unknown)
            .collect();
        let candidates: Vec<usize> = if known.is_empty() {
            (0..answers.len()).collect()
        } else {
            known
        };
        // Only free text is merged without conflict: a context answer (weight 0) is not scored,
        // but it may open a condition, so its respondents must agree as on any other answer.
        let is_text = matches!(questionnaire.questions[question].kind, QuestionKind::Text);
        let first = candidates[0];
        let differs = !is_text
            && candidates
                .iter()
                .any(|&i| answers[i].1.value != answers[first].1.value);
        let kept = if !differs {
            Some(if is_text {
                // The latest text is shown; every text stays in `given`.
                candidates
                    .iter()
                    .copied()
                    .max_by_key(|&i| submitted_of(answers[i].0))
                    .unwrap_or(first)
            } else {
                first
            })
        } else {
            let winner = match policy {
                ConflictPolicy::Error => None,
                ConflictPolicy::Latest => latest(&answers, &candidates, submitted_of),
            };
            merged.disagreements.push(Disagreement {
                question,
                answers: candidates
                    .iter()
                    .map(|&i| (answers[i].0, answers[i].1.value.clone()))
                    .collect(),
                kept: winner.map(|w| answers[w].0),
            });
            winner
        };
        merged.answers.push(kept.map(|kept| MergedAnswer {
            given: Given::of(answers),
            kept,
        }));
    }
    merged
}

/// True when no question is answered twice (two columns of one question in a table), which
/// only the comparing merge settles.
fn answers_once(questionnaire: &Questionnaire, submission: &Submission) -> bool {
    let mut seen = vec![false; questionnaire.questions.len()];
    submission
        .answers
        .iter()
        .all(|&(question, _)| !std::mem::replace(&mut seen[question], true))
}

/// A lone response is its own merge: nothing to compare, so nothing to disagree on. Most groups
/// of a large table have one respondent; this spares them the comparisons.
fn alone(questionnaire: &Questionnaire, submission: Submission) -> Merged {
    let mut answers: Vec<Option<MergedAnswer>> = Vec::new();
    answers.resize_with(questionnaire.questions.len(), || None);
    for (question, answer) in submission.answers {
        answers[question] = Some(MergedAnswer {
            given: Given::One((submission.source, answer)),
            kept: 0,
        });
    }
    Merged {
        answers,
        disagreements: Vec::new(),
    }
}

/// The candidate (a position in `answers`) from the strictly latest submission; `None` on a tie
/// at the top or when no submission carries a time.
fn latest(
    answers: &[(usize, Answer)],
    candidates: &[usize],
    submitted_of: impl Fn(usize) -> Option<jiff::Timestamp>,
) -> Option<usize> {
    let mut best: Option<(usize, jiff::Timestamp)> = None;
    let mut tie = false;
    for &candidate in candidates {
        let Some(time) = submitted_of(answers[candidate].0) else {
            continue;
        };
        match best {
            Some((_, best_time)) if time < best_time => {}
            Some((best_candidate, best_time))
                if time == best_time
                    && answers[best_candidate].1.value != answers[candidate].1.value =>
            {
                tie = true;
            }
            Some((_, best_time)) if time == best_time => {}
            _ => {
                best = Some((candidate, time));
                tie = false;
            }
        }
    }
    if tie { None } else { best.map(|(c, _)| c) }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::load::hygiene_fixture as questionnaire;

    /// A response (numbered 0) with `answers` by question id, submitted at `submitted`.
    pub(crate) fn response(
        q: &Questionnaire,
        submitted: Option<&str>,
        answers: &[(&str, AnswerValue)],
    ) -> Submission {
        Submission {
            source: 0,
            submitted: submitted.map(|s| s.parse().unwrap()),
            answers: answers
                .iter()
                .map(|(id, value)| {
                    let answer = Answer {
                        value: value.clone(),
                        note: None,
                        evidence: Vec::new(),
                    };
                    (q.question_position(id).unwrap(), answer)
                })
                .collect(),
        }
    }

    fn merged(q: &Questionnaire, responses: &[Submission], policy: ConflictPolicy) -> Merged {
        let numbered = responses
            .iter()
            .enumerate()
            .map(|(source, response)| Submission {
                source,
                ..response.clone()
            })
            .collect();
        merge(q, numbered, policy)
    }

    #[test]
    fn a_lone_response_merges_as_the_comparing_merge_would() {
        let q = questionnaire();
        let mut lone = response(
            &q,
            Some("2025-01-01T00:00:00Z"),
            &[
                ("t_backup", AnswerValue::Choice(1)),
                ("t_inventory", AnswerValue::Unknown),
                ("p_comment", AnswerValue::Text("kept".into())),
            ],
        );
        lone.source = 7;
        assert!(answers_once(&q, &lone));
        let fast = alone(&q, lone.clone());
        let full = merge_compared(&q, vec![lone.clone()], ConflictPolicy::Error);
        assert_eq!(format!("{fast:?}"), format!("{full:?}"));
        let mut twice = lone;
        twice.answers.push(twice.answers[0].clone());
        assert!(!answers_once(&q, &twice));
    }

    #[test]
    fn unknown_yields_to_an_answer_without_conflict() {
        let q = questionnaire();
        let a = response(&q, None, &[("t_inventory", AnswerValue::Unknown)]);
        let b = response(&q, None, &[("t_inventory", AnswerValue::YesNo(true))]);
        let m = merged(&q, &[a, b], ConflictPolicy::Error);
        assert!(m.disagreements.is_empty());
        let kept = m.answers[q.question_position("t_inventory").unwrap()]
            .as_ref()
            .unwrap();
        assert_eq!(kept.answer().value, AnswerValue::YesNo(true));
        assert_eq!(kept.source(), 1);
        assert_eq!(kept.given().len(), 2);
    }

    #[test]
    fn not_applicable_against_a_value_is_a_conflict() {
        let q = questionnaire();
        let a = response(&q, None, &[("t_backup", AnswerValue::NotApplicable)]);
        let b = response(&q, None, &[("t_backup", AnswerValue::Choice(1))]);
        let m = merged(&q, &[a, b], ConflictPolicy::Error);
        assert_eq!(m.unresolved().count(), 1);
        assert!(m.answers[q.question_position("t_backup").unwrap()].is_none());
    }

    #[test]
    fn latest_settles_a_conflict_but_not_a_tie() {
        let q = questionnaire();
        let early = response(
            &q,
            Some("2025-01-01T00:00:00Z"),
            &[("t_backup", AnswerValue::Choice(0))],
        );
        let late = response(
            &q,
            Some("2025-02-01T00:00:00Z"),
            &[("t_backup", AnswerValue::Choice(2))],
        );
        let m = merged(&q, &[late.clone(), early.clone()], ConflictPolicy::Latest);
        assert_eq!(m.disagreements.len(), 1);
        assert_eq!(m.disagreements[0].kept, Some(0));
        let backup = q.question_position("t_backup").unwrap();
        let kept = m.answers[backup].as_ref().unwrap();
        assert_eq!(
            (kept.source(), &kept.answer().value),
            (0, &AnswerValue::Choice(2))
        );
        let tie = response(
            &q,
            Some("2025-02-01T00:00:00Z"),
            &[("t_backup", AnswerValue::Choice(1))],
        );
        let m = merged(&q, &[early, late, tie], ConflictPolicy::Latest);
        assert_eq!(m.unresolved().count(), 1);
        let undated_a = response(&q, None, &[("t_backup", AnswerValue::Choice(0))]);
        let undated_b = response(&q, None, &[("t_backup", AnswerValue::Choice(2))]);
        assert_eq!(
            merged(&q, &[undated_a, undated_b], ConflictPolicy::Latest)
                .unresolved()
                .count(),
            1
        );
    }

    #[test]
    fn the_latest_answer_wins_in_whatever_order_the_responses_come() {
        let q = questionnaire();
        let backup = q.question_position("t_backup").unwrap();
        let at = |day: &str, level| {
            let time = format!("2025-01-{day}T00:00:00Z");
            response(&q, Some(&time), &[("t_backup", AnswerValue::Choice(level))])
        };
        for order in [
            [at("01", 0), at("02", 1), at("03", 2)],
            [at("03", 2), at("02", 1), at("01", 0)],
            [at("02", 1), at("03", 2), at("01", 0)],
        ] {
            let m = merged(&q, &order, ConflictPolicy::Latest);
            let kept = m.answers[backup].as_ref().unwrap();
            assert_eq!(kept.answer().value, AnswerValue::Choice(2));
        }
    }

    #[test]
    fn latest_answers_that_agree_settle_a_conflict_and_those_that_differ_do_not() {
        let q = questionnaire();
        let backup = q.question_position("t_backup").unwrap();
        let at = |day: &str, level| {
            let time = format!("2025-01-{day}T00:00:00Z");
            response(&q, Some(&time), &[("t_backup", AnswerValue::Choice(level))])
        };
        let agree = [at("02", 2), at("01", 0), at("02", 2)];
        let m = merged(&q, &agree, ConflictPolicy::Latest);
        assert_eq!(
            m.answers[backup].as_ref().unwrap().answer().value,
            AnswerValue::Choice(2)
        );
        // The third agrees with the first, yet the second, as late, still disagrees.
        let differ = [at("02", 2), at("02", 1), at("02", 2)];
        let m = merged(&q, &differ, ConflictPolicy::Latest);
        assert_eq!(m.unresolved().count(), 1);
        assert!(m.answers[backup].is_none());
    }

    #[test]
    fn different_texts_are_kept_without_conflict() {
        let q = questionnaire();
        let a = response(
            &q,
            Some("2025-01-01T00:00:00Z"),
            &[("p_comment", AnswerValue::Text("first".into()))],
        );
        let b = response(
            &q,
            Some("2025-03-01T00:00:00Z"),
            &[("p_comment", AnswerValue::Text("second".into()))],
        );
        let m = merged(&q, &[a, b], ConflictPolicy::Error);
        assert!(m.disagreements.is_empty());
        let kept = m.answers[q.question_position("p_comment").unwrap()]
            .as_ref()
            .unwrap();
        assert_eq!(kept.answer().value, AnswerValue::Text("second".into()));
        assert_eq!(kept.given().len(), 2);
    }

    #[test]
    fn an_empty_multi_selection_is_an_answer_worth_0() {
        let q = questionnaire();
        let a = response(&q, None, &[("p_channels", AnswerValue::Multi(0))]);
        let m = merged(&q, &[a], ConflictPolicy::Error);
        let tree = crate::scoring::score(&q, &m.values());
        let awareness = &tree.pillars[0].indicators[1];
        assert_eq!(awareness.measure.score, Some(0.0));
        assert_eq!(awareness.measure.completeness, Some(1.0));
    }
}
