//! Checks of a response document against its questionnaire, each finding at the line:column of the
//! value at fault.

use std::path::Path;

use super::questionnaire::parse_yes_no;
use crate::diagnostic::At;
use crate::diagnostic::{Diagnostic, Findings, Position};
use crate::model::doc::{AnswerDoc, ResponseDoc};
use crate::model::{
    Answer, AnswerValue, CountryCode, Question, QuestionKind, Questionnaire, Response, Round,
};
use crate::numbers::format_number;

/// Checks a response against `questionnaire`; returns it with its warnings, or every finding if
/// any is an error.
pub fn check_response(
    path: &Path,
    doc: &ResponseDoc,
    questionnaire: &Questionnaire,
) -> Result<(Response, Vec<Diagnostic>), Vec<Diagnostic>> {
    let mut findings = Findings::new(path);
    let reference = doc.questionnaire.value.trim();
    if reference != questionnaire.reference() {
        findings.error(
            Position::of(&doc.questionnaire),
            format!(
                "response is for `{reference}`; expected `{}`, the questionnaire it is checked against",
                questionnaire.reference()
            ),
        );
    }
    let country = match CountryCode::parse(&doc.country.value) {
        Ok(code) => Some(code),
        Err(err) => {
            findings.error(Position::of(&doc.country), err.message(&doc.country.value));
            None
        }
    };
    let round = Round::parse(&doc.round.value.0);
    if round.is_none() {
        findings.error(Position::of(&doc.round), Round::message(&doc.round.value.0));
    }
    let submitted =
        doc.submitted
            .as_ref()
            .and_then(|s| match s.value.0.parse::<jiff::Timestamp>() {
                Ok(t) => Some(t),
                Err(_) => {
                    findings.error(
                    Position::of(s),
                    format!(
                        "`{}` is not a timestamp; expected RFC 3339, such as 2025-03-14T10:00:00Z",
                        s.value.0.escape_debug()
                    ),
                );
                    None
                }
            });
    let mut answers = Vec::with_capacity(doc.answers.0.len());
    for (key, value) in &doc.answers.0 {
        let Some(index) = questionnaire.question_position(&key.value) else {
            findings.error(
                Position::of(key),
                unknown_question_message(questionnaire, &key.value),
            );
            continue;
        };
        let question = &questionnaire.questions[index];
        if let Some(answer) = check_answer(&mut findings, question, value) {
            answers.push((index, answer));
        }
    }
    match (country, round) {
        (Some(country), Some(round)) if !findings.has_errors() => Ok((
            Response {
                country,
                round,
                respondent: doc.respondent.clone().unwrap_or_default(),
                submitted,
                answers,
            },
            findings.items,
        )),
        _ => Err(findings.items),
    }
}

/// Checks one answer against its question, as `check_response` does: the answer, `None` when it
/// is left empty, or the findings that make it unusable. For readers that keep going past a bad
/// answer (`take` keeps such answers as written).
pub fn check_answer_doc(
    path: &Path,
    question: &Question,
    answer: &At<AnswerDoc>,
) -> Result<Option<Answer>, Vec<Diagnostic>> {
    let mut findings = Findings::new(path);
    let checked = check_answer(&mut findings, question, answer);
    if findings.has_errors() {
        Err(findings.items)
    } else {
        Ok(checked)
    }
}

/// The message for an answer to a question the questionnaire does not have.
pub fn unknown_question_message(questionnaire: &Questionnaire, id: &str) -> String {
    format!(
        "unknown question `{}`; expected a question id of {}{}",
        id.escape_debug(),
        questionnaire.reference(),
        suggestion(questionnaire, id)
    )
}

fn suggestion(questionnaire: &Questionnaire, unknown: &str) -> String {
    questionnaire
        .questions
        .iter()
        .map(|q| (edit_distance(&q.id, unknown), &q.id))
        .filter(|(d, _)| *d <= 2)
        .min()
        .map(|(_, id)| format!(" (did you mean `{id}`?)"))
        .unwrap_or_default()
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (above + 1)
                .min(row[j] + 1)
                .min(diagonal + usize::from(ca != *cb));
            diagonal = above;
        }
    }
    row[b.len()]
}

fn check_answer(
    findings: &mut Findings,
    question: &Question,
    answer: &At<AnswerDoc>,
) -> Option<Answer> {
    let (value, note, evidence) = match &answer.value {
        AnswerDoc::Detailed {
            value,
            note,
            evidence,
        } => (value.as_ref(), note.clone(), evidence.clone()),
        _ => (answer, None, Vec::new()),
    };
    if value.value == AnswerDoc::Empty {
        if note.is_some() || !evidence.is_empty() {
            findings.warning(
                Position::of(value),
                format!(
                    "`{}` has a note or evidence but no answer; it counts as unanswered",
                    question.id
                ),
            );
        }
        return None;
    }
    let value = check_value(findings, question, value)?;
    Some(Answer {
        value,
        note: note.filter(|n| !n.trim().is_empty()),
        evidence,
    })
}

fn check_value(
    findings: &mut Findings,
    question: &Question,
    value: &At<AnswerDoc>,
) -> Option<AnswerValue> {
    let at = Position::of(value);
    if let AnswerDoc::Text(text) = &value.value {
        match text.trim().to_ascii_lowercase().as_str() {
            "na" => return Some(AnswerValue::NotApplicable),
            "unknown" => return Some(AnswerValue::Unknown),
            _ => {}
        }
    }
    let id = &question.id;
    let mut wrong = |expected: String| {
        findings.error(
            at,
            format!(
                "`{id}` is answered with {}; expected {expected}",
                describe(&value.value)
            ),
        );
        None
    };
    match &question.kind {
        QuestionKind::Choice { options } => {
            let Some(text) = scalar_text(&value.value) else {
                return wrong(format!("one option id: {}", option_ids(options)));
            };
            match options.iter().position(|o| o.id == *text) {
                Some(i) => Some(AnswerValue::Choice(i as u16)),
                None => {
                    findings.error(
                        at,
                        format!(
                            "unknown option `{}` for `{id}`; expected one of {}, na or unknown",
                            text.escape_debug(),
                            option_ids(options)
                        ),
                    );
                    None
                }
            }
        }
        QuestionKind::Multi { options } => {
            let items: Vec<(&str, Position)> = match &value.value {
                AnswerDoc::List(items) => items
                    .iter()
                    .map(|i| (i.value.0.as_str(), Position::of(i)))
                    .collect(),
                AnswerDoc::Text(text) => vec![(text.as_str(), at)],
                _ => return wrong(format!("a list of option ids: {}", option_ids(options))),
            };
            let mut bits = 0u64;
            let mut valid = true;
            for (text, position) in items {
                match options.iter().position(|o| o.id == text) {
                    Some(i) => bits |= 1u64 << i,
                    None => {
                        valid = false;
                        findings.error(
                            position,
                            format!(
                                "unknown option `{}` for `{id}`; expected any of {}",
                                text.escape_debug(),
                                option_ids(options)
                            ),
                        );
                    }
                }
            }
            valid.then_some(AnswerValue::Multi(bits))
        }
        QuestionKind::YesNo => match &value.value {
            AnswerDoc::Bool(b) => Some(AnswerValue::YesNo(*b)),
            AnswerDoc::Text(t) => match parse_yes_no(t.trim()) {
                Some(b) => Some(AnswerValue::YesNo(b)),
                None => wrong("yes or no".to_owned()),
            },
            _ => wrong("yes or no".to_owned()),
        },
        QuestionKind::Number { min, max, .. } => {
            let number = match &value.value {
                AnswerDoc::Number(n) => Some(*n),
                AnswerDoc::Text(t) => t.trim().parse::<f64>().ok(),
                _ => None,
            };
            let range = match (min, max) {
                (Some(lo), Some(hi)) => {
                    format!(" from {} to {}", format_number(*lo), format_number(*hi))
                }
                (Some(lo), None) => format!(" of at least {}", format_number(*lo)),
                (None, Some(hi)) => format!(" of at most {}", format_number(*hi)),
                (None, None) => String::new(),
            };
            match number {
                Some(n) if n.is_finite() => {
                    let below = min.is_some_and(|lo| n < lo);
                    let above = max.is_some_and(|hi| n > hi);
                    if below || above {
                        findings.error(
                            at,
                            format!(
                                "{} is out of range for `{id}`; expected a number{range}",
                                format_number(n)
                            ),
                        );
                        None
                    } else {
                        Some(AnswerValue::Number(n))
                    }
                }
                _ => wrong(format!("a number{range}")),
            }
        }
        QuestionKind::Text => match scalar_text(&value.value) {
            Some(text) => Some(AnswerValue::Text(text.into_owned())),
            None => wrong("a text".to_owned()),
        },
    }
}

/// A scalar answer as text, borrowed where it is text already: most are option ids, compared
/// and dropped.
fn scalar_text(value: &AnswerDoc) -> Option<std::borrow::Cow<'_, str>> {
    use std::borrow::Cow;
    match value {
        AnswerDoc::Text(t) => Some(Cow::Borrowed(t)),
        AnswerDoc::Number(n) => Some(Cow::Owned(format_number(*n))),
        AnswerDoc::Bool(true) => Some(Cow::Borrowed("yes")),
        AnswerDoc::Bool(false) => Some(Cow::Borrowed("no")),
        _ => None,
    }
}

fn describe(value: &AnswerDoc) -> String {
    match value {
        AnswerDoc::Empty => "nothing".to_owned(),
        AnswerDoc::Text(t) => format!("the text `{}`", truncate(t)),
        AnswerDoc::Bool(b) => format!("the boolean `{b}`"),
        AnswerDoc::Number(n) => format!("the number {}", format_number(*n)),
        AnswerDoc::List(_) => "a list".to_owned(),
        AnswerDoc::Detailed { .. } => "a map".to_owned(),
    }
}

fn truncate(text: &str) -> String {
    let short: String = text.chars().take(40).collect();
    let short = short.escape_debug().to_string();
    if text.chars().count() > 40 {
        format!("{short}…")
    } else {
        short
    }
}

fn option_ids(options: &[crate::model::AnswerOption]) -> String {
    options
        .iter()
        .map(|o| o.id.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_distance_counts_single_edits() {
        assert_eq!(edit_distance("wf_edu", "wf_edu"), 0);
        assert_eq!(edit_distance("wf_edu", "wf_eud"), 2);
        assert_eq!(edit_distance("abc", "abd"), 1);
    }
}
