//! Merging the responses of one country and round, with conflict detection.

use crate::model::{Answer, AnswerValue, Questionnaire, Response};

/// What to do when two responses give different answers to the same question.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ConflictPolicy {
    /// Report the conflict and leave that country and round unscored.
    #[default]
    Error,
    /// Keep the answer of the latest `submitted` response; still list the disagreement.
    Latest,
}

/// One response taking part in a merge, with its position in the caller's list of files.
#[derive(Debug, Clone, Copy)]
pub struct SubmissionRef<'a> {
    /// The caller's index of the file.
    pub source: usize,
    /// The response.
    pub response: &'a Response,
}

/// The merged answer to one question: the answer kept, and every file that gave an answer.
#[derive(Debug, Clone)]
pub struct MergedAnswer {
    /// The answer kept for scoring.
    pub answer: Answer,
    /// The file it was taken from.
    pub source: usize,
    /// Every (file, answer) given for this question, in file order, notes included.
    given: Given,
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
    /// Every (file, answer) given for this question, in file order, notes included.
    pub fn given(&self) -> &[(usize, Answer)] {
        match &self.given {
            Given::One(one) => std::slice::from_ref(one),
            Given::Many(many) => many,
        }
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
            .map(|a| a.as_ref().map(|m| &m.answer.value))
            .collect()
    }
}

/// Merges the responses of one country and round.
///
/// `unknown` yields to any other answer (someone knew); text answers never conflict (all are
/// kept); any other difference is a disagreement, settled by `policy`.
pub fn merge(
    questionnaire: &Questionnaire,
    submissions: &[SubmissionRef],
    policy: ConflictPolicy,
) -> Merged {
    if let [only] = submissions
        && let Some(merged) = alone(questionnaire, only)
    {
        return merged;
    }
    merge_compared(questionnaire, submissions, policy)
}

/// The merge that compares every answer given to each question.
fn merge_compared(
    questionnaire: &Questionnaire,
    submissions: &[SubmissionRef],
    policy: ConflictPolicy,
) -> Merged {
    let mut given: Vec<Vec<(usize, &Answer)>> = vec![Vec::new(); questionnaire.questions.len()];
    for submission in submissions {
        for (question, answer) in &submission.response.answers {
            given[*question].push((submission.source, answer));
        }
    }
    let submitted_of = |source: usize| {
        submissions
            .iter()
            .find(|s| s.source == source)
            .and_then(|s| s.response.submitted)
    };
    let mut merged = Merged {
        answers: Vec::with_capacity(given.len()),
        disagreements: Vec::new(),
    };
    for (question, answers) in given.into_iter().enumerate() {
        if answers.is_empty() {
            merged.answers.push(None);
            continue;
        }
        let all: Vec<(usize, Answer)> = answers.iter().map(|(s, a)| (*s, (*a).clone())).collect();
        let known: Vec<&(usize, &Answer)> = answers
            .iter()
            .filter(|(_, a)| a.value != AnswerValue::Unknown)
            .collect();
        let is_text = !questionnaire.questions[question].is_scored();
        let candidates: Vec<&(usize, &Answer)> = if known.is_empty() {
            answers.iter().collect()
        } else {
            known
        };
        let first = candidates[0];
        let differs = !is_text && candidates.iter().any(|(_, a)| a.value != first.1.value);
        let kept = if !differs {
            Some(if is_text {
                // The latest text is shown; every text stays in `given`.
                *candidates
                    .iter()
                    .max_by_key(|(s, _)| submitted_of(*s))
                    .unwrap_or(&first)
            } else {
                first
            })
        } else {
            let disagreement_answers = candidates
                .iter()
                .map(|(s, a)| (*s, a.value.clone()))
                .collect();
            let winner = match policy {
                ConflictPolicy::Error => None,
                ConflictPolicy::Latest => latest(&candidates, submitted_of),
            };
            merged.disagreements.push(Disagreement {
                question,
                answers: disagreement_answers,
                kept: winner.map(|w| w.0),
            });
            winner
        };
        merged
            .answers
            .push(kept.map(|(source, answer)| MergedAnswer {
                answer: (*answer).clone(),
                source: *source,
                given: Given::of(all),
            }));
    }
    merged
}

/// A lone response is its own merge: nothing to compare, so nothing to disagree on. Most groups
/// of a large table have one respondent; this spares them the comparisons. `None` when the
/// response answers a question twice (two columns of one question in a table), which the full
/// merge compares.
fn alone(questionnaire: &Questionnaire, submission: &SubmissionRef) -> Option<Merged> {
    let mut answers: Vec<Option<MergedAnswer>> = vec![None; questionnaire.questions.len()];
    for (question, answer) in &submission.response.answers {
        let slot = &mut answers[*question];
        if slot.is_some() {
            return None;
        }
        *slot = Some(MergedAnswer {
            answer: answer.clone(),
            source: submission.source,
            given: Given::One((submission.source, answer.clone())),
        });
    }
    Some(Merged {
        answers,
        disagreements: Vec::new(),
    })
}

/// The candidate from the strictly latest submission; `None` on a tie at the top or when no
/// submission carries a time.
fn latest<'a>(
    candidates: &[&'a (usize, &'a Answer)],
    submitted_of: impl Fn(usize) -> Option<jiff::Timestamp>,
) -> Option<&'a (usize, &'a Answer)> {
    let mut best: Option<(&(usize, &Answer), jiff::Timestamp)> = None;
    let mut tie = false;
    for candidate in candidates {
        let Some(time) = submitted_of(candidate.0) else {
            continue;
        };
        match best {
            Some((_, best_time)) if time < best_time => {}
            Some((best_candidate, best_time))
                if time == best_time && best_candidate.1.value != candidate.1.value =>
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
mod tests {
    use std::path::Path;

    use super::*;
    use crate::load::{Source, load_questionnaire};
    use crate::model::doc::RespondentDoc;
    use crate::model::{CountryCode, Round};

    fn questionnaire() -> Questionnaire {
        let text = include_str!("../../tests/fixtures/questionnaires/hygiene.yaml");
        load_questionnaire(&Source::from_text(Path::new("hygiene.yaml"), text))
            .unwrap()
            .0
    }

    fn response(
        q: &Questionnaire,
        submitted: Option<&str>,
        answers: &[(&str, AnswerValue)],
    ) -> Response {
        Response {
            country: CountryCode::parse("XA").unwrap(),
            round: Round::parse("2025").unwrap(),
            respondent: RespondentDoc::default(),
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

    fn merged(q: &Questionnaire, responses: &[Response], policy: ConflictPolicy) -> Merged {
        let refs: Vec<SubmissionRef> = responses
            .iter()
            .enumerate()
            .map(|(source, response)| SubmissionRef { source, response })
            .collect();
        merge(q, &refs, policy)
    }

    #[test]
    fn a_lone_response_merges_as_the_comparing_merge_would() {
        let q = questionnaire();
        let lone = response(
            &q,
            Some("2025-01-01T00:00:00Z"),
            &[
                ("t_backup", AnswerValue::Choice(1)),
                ("t_inventory", AnswerValue::Unknown),
                ("p_comment", AnswerValue::Text("kept".into())),
            ],
        );
        let only = [SubmissionRef {
            source: 7,
            response: &lone,
        }];
        let fast = alone(&q, &only[0]).expect("no question answered twice");
        let full = merge_compared(&q, &only, ConflictPolicy::Error);
        assert_eq!(format!("{fast:?}"), format!("{full:?}"));
        let mut twice = lone.clone();
        twice.answers.push(twice.answers[0].clone());
        assert!(
            alone(
                &q,
                &SubmissionRef {
                    source: 0,
                    response: &twice
                }
            )
            .is_none()
        );
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
        assert_eq!(kept.answer.value, AnswerValue::YesNo(true));
        assert_eq!(kept.source, 1);
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
        assert_eq!(kept.answer.value, AnswerValue::Text("second".into()));
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
