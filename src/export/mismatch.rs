//! What a row would change in a response: each difference between a response and the response
//! its row imports back to, with the reason where it is known.

use crate::model::{Answer, AnswerValue, Questionnaire, Response};

/// Why a response cannot be written as a row that imports back to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mismatch {
    /// The question concerned, by position; `None` for the respondent.
    pub question: Option<usize>,
    /// What would change, and what a row can carry instead.
    pub message: String,
}

/// What reads back differently from `original`, each with the reason where it is known.
pub(crate) fn differences(
    questionnaire: &Questionnaire,
    original: &Response,
    back: &Response,
) -> Vec<Mismatch> {
    let mut found = Vec::new();
    let respondent = [
        (
            "the respondent's name",
            &original.respondent.name,
            &back.respondent.name,
        ),
        (
            "the respondent's organization",
            &original.respondent.organization,
            &back.respondent.organization,
        ),
    ];
    for (what, was, now) in respondent {
        if was != now {
            found.push(Mismatch {
                question: None,
                message: changed_text(what, was.as_deref().unwrap_or(""), now.as_deref()),
            });
        }
    }
    let answer_of = |response: &'_ Response, q: usize| {
        response
            .answers
            .iter()
            .find(|(position, _)| *position == q)
            .map(|(_, a)| a.clone())
    };
    for (q, question) in questionnaire.questions.iter().enumerate() {
        let (was, now) = (answer_of(original, q), answer_of(back, q));
        if was == now {
            continue;
        }
        let id = &question.id;
        let mismatch = |message: String| Mismatch {
            question: Some(q),
            message,
        };
        let (Some(was), Some(now)) = (was.as_ref(), now.as_ref()) else {
            let shown = |a: &Option<Answer>| {
                a.as_ref().map_or_else(
                    || "no answer".to_owned(),
                    |a| format!("`{}`", a.value.display(question).escape_debug()),
                )
            };
            found.push(mismatch(format!(
                "the answer to `{id}` would import as {}, not {}; expected an answer a cell holds",
                shown(&now),
                shown(&was)
            )));
            continue;
        };
        if was.value != now.value {
            let message = match &was.value {
                AnswerValue::Text(text) => changed_text(
                    &format!("the answer to `{id}`"),
                    text,
                    Some(&now.value.display(question)),
                ),
                _ => format!(
                    "the answer to `{id}` would import as `{}`, not `{}`; expected an answer a cell holds",
                    now.value.display(question).escape_debug(),
                    was.value.display(question).escape_debug()
                ),
            };
            found.push(mismatch(message));
        }
        if was.note != now.note {
            found.push(mismatch(changed_text(
                &format!("the note on `{id}`"),
                was.note.as_deref().unwrap_or(""),
                now.note.as_deref(),
            )));
        }
        if was.evidence != now.evidence {
            let message = match was.evidence.iter().find(|link| {
                link.is_empty() || link.contains(|c: char| c.is_whitespace() || c == ';')
            }) {
                Some(link) => format!(
                    "the evidence `{}` on `{id}` is empty or holds a blank or `;`, which separate links in a cell; expected links without them",
                    link.escape_debug()
                ),
                None => format!(
                    "the evidence on `{id}` would import as {:?}, not {:?}; expected links a cell holds",
                    now.evidence, was.evidence
                ),
            };
            found.push(mismatch(message));
        }
    }
    found
}

/// Why a text would come back as `now` (`None`: not at all) rather than as `was`.
fn changed_text(what: &str, was: &str, now: Option<&str>) -> String {
    if was != was.trim_end() {
        return format!(
            "{what} ends with a blank or line break, which a cell does not keep (import trims cells); expected it without them"
        );
    }
    format!(
        "{what} `{}` would import as {}; expected a text a cell holds",
        was.escape_debug(),
        now.map_or_else(
            || "nothing".to_owned(),
            |n| format!("`{}`", n.escape_debug())
        )
    )
}
