//! Writing a response back as YAML, answers in questionnaire order, every string quoted safely.

use std::fmt::Write as _;

use super::doc::AnswerDoc;
use super::{Answer, AnswerValue, Question, Questionnaire, Response};
use crate::yaml_text::{is_plain_word, must_be_escaped_in_yaml};

/// An answer kept exactly as it was read because the questionnaire does not allow it (an unknown
/// question, option or value): written back as it was, so nothing a respondent wrote is lost.
#[derive(Debug, Clone, Copy)]
pub struct RawAnswer<'a> {
    /// The key as written: a question id, or not.
    pub key: &'a str,
    /// The answer as written.
    pub value: &'a AnswerDoc,
}

/// A YAML double-quoted scalar: JSON's string syntax, which YAML reads, with the characters YAML
/// refuses as they are escaped too.
fn quoted(text: &str) -> String {
    let json = serde_json::Value::String(text.to_owned()).to_string();
    if !json.chars().any(must_be_escaped_in_yaml) {
        return json;
    }
    let mut escaped = String::with_capacity(json.len() + 16);
    for c in json.chars() {
        if must_be_escaped_in_yaml(c) {
            let _ = write!(escaped, "\\u{:04x}", u32::from(c));
        } else {
            escaped.push(c);
        }
    }
    escaped
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
    response_to_yaml_keeping(questionnaire, response, &[])
}

/// The response as YAML, with `kept` answers written back as they were read: those to a question
/// of the questionnaire in its place, the others after every answer, in their order. A kept
/// answer must not repeat a question the response answers (the file would hold a key twice).
pub fn response_to_yaml_keeping(
    questionnaire: &Questionnaire,
    response: &Response,
    kept: &[RawAnswer<'_>],
) -> String {
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
    // (question position, or past the end for unknown keys; order read) → what to write.
    let mut entries: Vec<((usize, usize), Entry)> = response
        .answers
        .iter()
        .map(|(q, answer)| ((*q, 0), Entry::Checked(*q, answer)))
        .collect();
    entries.extend(kept.iter().enumerate().map(|(i, raw)| {
        let position = questionnaire
            .question_position(raw.key)
            .unwrap_or(usize::MAX);
        ((position, i + 1), Entry::Kept(*raw))
    }));
    entries.sort_by_key(|(order, _)| *order);
    if entries.is_empty() {
        let _ = writeln!(out, "answers: {{}}");
        return out;
    }
    let _ = writeln!(out, "answers:");
    for (_, entry) in entries {
        match entry {
            Entry::Checked(q, answer) => {
                let question = &questionnaire.questions[q];
                let value = value_yaml(question, &answer.value);
                write_answer(
                    &mut out,
                    (&question.id, None),
                    &value,
                    &answer.note,
                    &answer.evidence,
                );
            }
            Entry::Kept(raw) => {
                let key = id(raw.key);
                match raw.value {
                    AnswerDoc::Detailed {
                        value,
                        note,
                        evidence,
                    } => write_answer(
                        &mut out,
                        (&key, None),
                        &raw_yaml(&value.value),
                        note,
                        evidence,
                    ),
                    other => write_answer(&mut out, (&key, None), &raw_yaml(other), &None, &[]),
                }
            }
        }
    }
    out
}

enum Entry<'a> {
    Checked(usize, &'a Answer),
    Kept(RawAnswer<'a>),
}

/// One answer as `response_to_yaml` writes it under `answers:`, with `comment` (one line, no
/// control characters) at the end of its first line.
pub fn answer_to_yaml(question: &Question, answer: &Answer, comment: &str) -> String {
    let mut out = String::new();
    let comment: String = comment
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    write_answer(
        &mut out,
        (&question.id, Some(&comment)),
        &value_yaml(question, &answer.value),
        &answer.note,
        &answer.evidence,
    );
    out
}

/// Writes `key` (with a comment after its first line, if any) and its answer.
fn write_answer(
    out: &mut String,
    (key, comment): (&str, Option<&str>),
    value: &str,
    note: &Option<String>,
    evidence: &[String],
) {
    let comment = comment.map(|c| format!("  # {c}")).unwrap_or_default();
    if note.is_none() && evidence.is_empty() {
        let _ = writeln!(out, "  {key}: {value}{comment}");
        return;
    }
    let _ = writeln!(out, "  {key}:{comment}");
    let _ = writeln!(out, "    value: {value}");
    if let Some(note) = note {
        let _ = writeln!(out, "    note: {}", quoted(note));
    }
    if !evidence.is_empty() {
        let links: Vec<String> = evidence.iter().map(|e| quoted(e)).collect();
        let _ = writeln!(out, "    evidence: [{}]", links.join(", "));
    }
}

/// A value as read, written so that the YAML parser reads it back the same.
pub fn raw_yaml(value: &AnswerDoc) -> String {
    match value {
        AnswerDoc::Empty => "null".to_owned(),
        AnswerDoc::Text(t) => quoted(t),
        AnswerDoc::Bool(b) => b.to_string(),
        AnswerDoc::Number(n) if n.is_nan() => ".nan".to_owned(),
        AnswerDoc::Number(n) if n.is_infinite() => {
            if *n > 0.0 { ".inf" } else { "-.inf" }.to_owned()
        }
        // Exponent form beyond 15 digits: a long run of digits would be read as an integer.
        AnswerDoc::Number(n) if n.abs() >= 1e15 => format!("{n:e}"),
        AnswerDoc::Number(n) => format!("{n}"),
        AnswerDoc::List(items) => {
            let ids: Vec<String> = items.iter().map(|i| id(&i.value.0)).collect();
            format!("[{}]", ids.join(", "))
        }
        // A `value` never holds another map (the reader refuses it); keep its value if it did.
        AnswerDoc::Detailed { value, .. } => raw_yaml(&value.value),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::doc::ResponseDoc;

    #[test]
    fn characters_yaml_refuses_are_escaped_and_both_readers_read_them_back() {
        for text in [
            "DEL \u{7f}",
            "C1 \u{80}\u{9b}\u{9f}",
            "NEL \u{85}",
            "separators \u{2028}\u{2029}",
            "marks \u{feff}\u{fffe}\u{ffff}",
            "C0 \u{1}\t\n\r",
            "plain é ü 😀",
        ] {
            let written = quoted(text);
            assert!(!written.chars().any(must_be_escaped_in_yaml), "{written:?}");
            let yaml = format!(
                "questionnaire: q@1\ncountry: XA\nround: \"1\"\nanswers:\n  a: {written}\n"
            );
            let fast = crate::load::read_response_fast(&yaml).expect("the fast reader reads it");
            let source = crate::load::Source::from_text(std::path::Path::new("t.yaml"), &yaml);
            let full: ResponseDoc = crate::load::parse_yaml(&source).expect("YAML reads it");
            assert_eq!(fast, full, "{text:?}");
            match &full.answers.0[0].1.value {
                AnswerDoc::Text(read) => assert_eq!(read, text),
                other => panic!("{other:?}"),
            }
        }
    }
}
