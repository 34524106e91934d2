//! Writing a response back as YAML, answers in questionnaire order, every string quoted safely.

use std::fmt::Write as _;

use super::{Answer, AnswerValue, Question, Questionnaire, Response};
use crate::load::is_plain_word;

/// A YAML double-quoted scalar: JSON's string syntax is valid YAML and escapes everything needed.
fn quoted(text: &str) -> String {
    serde_json::Value::String(text.to_owned()).to_string()
}

/// An option id as a plain word when YAML reads it back as the same text, else quoted.
fn id(text: &str) -> String {
    if is_plain_word(text) {
        text.to_owned()
    } else {
        quoted(text)
    }
}

fn value_yaml(question: &Question, value: &AnswerValue) -> String {
    match value {
        AnswerValue::Multi(_) => {
            let ids: Vec<String> = question
                .options()
                .iter()
                .enumerate()
                .filter(
                    |(i, _)| matches!(value, AnswerValue::Multi(bits) if bits & (1u64 << i) != 0),
                )
                .map(|(_, o)| id(&o.id))
                .collect();
            format!("[{}]", ids.join(", "))
        }
        AnswerValue::Text(t) => quoted(t),
        AnswerValue::Choice(_) => id(&value.display(question)),
        other => other.display(question),
    }
}

/// The response as a YAML document that `load` reads back to the same response.
pub fn response_to_yaml(questionnaire: &Questionnaire, response: &Response) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "questionnaire: {}", quoted(&questionnaire.reference()));
    let _ = writeln!(out, "country: {}", response.country);
    let _ = writeln!(out, "round: {}", quoted(response.round.as_str()));
    let respondent = &response.respondent;
    if respondent.name.is_some() || respondent.organization.is_some() {
        let _ = writeln!(out, "respondent:");
        if let Some(name) = &respondent.name {
            let _ = writeln!(out, "  name: {}", quoted(name));
        }
        if let Some(org) = &respondent.organization {
            let _ = writeln!(out, "  organization: {}", quoted(org));
        }
    }
    if let Some(t) = response.submitted {
        let _ = writeln!(out, "submitted: {t}");
    }
    let mut answers: Vec<&(usize, Answer)> = response.answers.iter().collect();
    answers.sort_by_key(|(q, _)| *q);
    if answers.is_empty() {
        let _ = writeln!(out, "answers: {{}}");
        return out;
    }
    let _ = writeln!(out, "answers:");
    for (q, answer) in answers {
        let question = &questionnaire.questions[*q];
        let value = value_yaml(question, &answer.value);
        if answer.note.is_none() && answer.evidence.is_empty() {
            let _ = writeln!(out, "  {}: {value}", question.id);
            continue;
        }
        let _ = writeln!(out, "  {}:", question.id);
        let _ = writeln!(out, "    value: {value}");
        if let Some(note) = &answer.note {
            let _ = writeln!(out, "    note: {}", quoted(note));
        }
        if !answer.evidence.is_empty() {
            let links: Vec<String> = answer.evidence.iter().map(|e| quoted(e)).collect();
            let _ = writeln!(out, "    evidence: [{}]", links.join(", "));
        }
    }
    out
}
