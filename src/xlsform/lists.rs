//! The choice lists of the form: countries, yes/no, why a number is missing, and each choice or
//! multi question's options with not-applicable and don't-know (and none, for multi).

use super::{NONE_CHOICE, form_text};
use crate::answer_words::fold;
use crate::i18n::labels::{label, label_with};
use crate::model::{CountryCode, QuestionKind, Questionnaire};

/// One row of the choices sheet; the label holds one text per language of the form.
#[derive(Debug)]
pub(super) struct Choice {
    pub list: String,
    pub name: String,
    pub label: Vec<String>,
}

/// The choice lists: a question's list is named by the question's id, the shared lists by a word
/// no question's list has.
#[derive(Debug)]
pub(super) struct Lists {
    pub country: String,
    pub yes_no: String,
    pub no_number: String,
    pub choices: Vec<Choice>,
}

/// `text` with a capital first letter: the catalogue's labels are written for the middle of a
/// sentence.
pub(super) fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

impl Lists {
    /// Every list of the form of `q`, with labels in `languages`, countries in the order of
    /// their names in `default_language`.
    pub fn new(q: &Questionnaire, languages: &[String], default_language: &str) -> Lists {
        let texts = |text: &dyn Fn(&str) -> String| -> Vec<String> {
            languages.iter().map(|l| text(l)).collect()
        };
        let catalogue = |key: &'static str| texts(&|l: &str| capitalized(&label(key, l)));
        let mut taken: Vec<String> = q
            .questions
            .iter()
            .filter(|question| !question.options().is_empty())
            .map(|question| question.id.clone())
            .collect();
        let mut claim = |wanted: &str| {
            let mut name = wanted.to_owned();
            while taken.contains(&name) {
                name.push('_');
            }
            taken.push(name.clone());
            name
        };
        let country = claim("country");
        let yes_no = claim("yes_no");
        let no_number = claim("no_number");
        let mut choices = Vec::new();
        let mut add = |list: &str, name: &str, label: Vec<String>| {
            choices.push(Choice {
                list: list.to_owned(),
                name: name.to_owned(),
                label,
            });
        };
        let na = || ("na", catalogue("not_applicable"));
        let unknown = || ("unknown", catalogue("dont_know"));
        for (code, label) in countries(languages, default_language) {
            add(&country, &code, label);
        }
        for (name, text) in [
            ("yes", catalogue("yes")),
            ("no", catalogue("no")),
            na(),
            unknown(),
        ] {
            add(&yes_no, name, text);
        }
        for (name, text) in [na(), unknown()] {
            add(&no_number, name, text);
        }
        for question in &q.questions {
            let none = match &question.kind {
                QuestionKind::Choice { .. } => None,
                QuestionKind::Multi { .. } => Some((NONE_CHOICE, catalogue("xlsform_none"))),
                _ => continue,
            };
            for option in question.options() {
                let text = texts(&|l: &str| form_text(option.label.get(l)));
                add(&question.id, &option.id, text);
            }
            for (name, text) in none.into_iter().chain([na(), unknown()]) {
                add(&question.id, name, text);
            }
        }
        Lists {
            country,
            yes_no,
            no_number,
            choices,
        }
    }
}

/// Every code `CountryCode` accepts in alpha-2: the ISO countries by name in the default
/// language, as "Colombia (CO)", then the codes left to users (AA, QM–QZ, XA–XZ, ZZ), with a
/// label per language.
fn countries(languages: &[String], default_language: &str) -> Vec<(String, Vec<String>)> {
    let mut iso = Vec::new();
    let mut user = Vec::new();
    for first in b'A'..=b'Z' {
        for second in b'A'..=b'Z' {
            let text = String::from_utf8_lossy(&[first, second]).into_owned();
            match CountryCode::parse(&text) {
                Ok(code) if code.is_user_assigned() => user.push(code),
                Ok(code) => iso.push(code),
                Err(_) => {}
            }
        }
    }
    iso.sort_by_cached_key(|code| fold(code.name(default_language).unwrap_or(code.as_str())));
    let named = iso.into_iter().map(|code| {
        let labels = languages
            .iter()
            .map(|l| format!("{} ({code})", code.name(l).unwrap_or(code.as_str())))
            .collect();
        (code.as_str().to_owned(), labels)
    });
    let users = user.into_iter().map(|code| {
        let labels = languages
            .iter()
            .map(|l| label_with("xlsform_user_code", l, &[("code", code.as_str())]))
            .collect();
        (code.as_str().to_owned(), labels)
    });
    named.chain(users).collect()
}
