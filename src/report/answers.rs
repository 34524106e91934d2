//! Answers as people read them, in their language, and as a response file writes them.

use serde_json::{Value, json};

use crate::i18n::labels::label;
use crate::model::{AnswerValue, Question, QuestionKind};
use crate::numbers::NumberStyle;

/// An answer in `lang`: option labels, yes/no, numbers in the language's style; `None` is
/// unanswered.
pub fn answer_in(question: &Question, value: Option<&AnswerValue>, lang: &str) -> String {
    let numbers = NumberStyle::of(lang);
    let Some(value) = value else {
        return label("plan_unanswered", lang);
    };
    match (value, &question.kind) {
        (AnswerValue::NotApplicable, _) => label("not_applicable", lang),
        (AnswerValue::Unknown, _) => label("dont_know", lang),
        (AnswerValue::Choice(i), QuestionKind::Choice { options }) => options
            .get(usize::from(*i))
            .map_or_else(String::new, |o| o.label.get(lang).to_owned()),
        (AnswerValue::Multi(0), QuestionKind::Multi { .. }) => label("none_of_these", lang),
        (AnswerValue::Multi(bits), QuestionKind::Multi { options }) => options
            .iter()
            .enumerate()
            .filter(|(i, _)| bits & (1u64 << i) != 0)
            .map(|(_, o)| o.label.get(lang))
            .collect::<Vec<_>>()
            .join(&label("semicolon", lang)),
        (AnswerValue::YesNo(true), _) => label("yes", lang),
        (AnswerValue::YesNo(false), _) => label("no", lang),
        (AnswerValue::Number(n), _) => numbers.number(*n),
        (AnswerValue::Text(t), _) => t.clone(),
        (other, _) => other.display(question),
    }
}

/// An answer as a response file holds it: an option id, `yes`/`no`, `na`, `unknown`, a number,
/// or a list of option ids.
pub fn response_value(question: &Question, value: &AnswerValue) -> Value {
    match value {
        AnswerValue::Number(n) => json!(n),
        AnswerValue::Multi(bits) => {
            Value::from_iter(question.selected(*bits).map(|o| Value::from(o.id.clone())))
        }
        other => Value::from(other.display(question)),
    }
}
