//! Reading a spreadsheet cell as an answer: option ids or labels in any of the questionnaire's
//! languages, yes/no and don't-know/not-applicable in the four languages, case- and
//! accent-insensitive.

use std::collections::HashMap;

use unicode_normalization::UnicodeNormalization;

use crate::model::doc::AnswerDoc;
use crate::model::text::LocalizedText;
use crate::model::{QuestionKind, Questionnaire};

/// Lower case without accents or surrounding blanks: `  Sí ` → `si`.
pub fn fold(text: &str) -> String {
    text.trim()
        .nfd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

const YES: [&str; 7] = ["yes", "y", "true", "si", "sim", "oui", "s"];
const NO: [&str; 6] = ["no", "n", "false", "nao", "non", "nein"];
const NOT_APPLICABLE: [&str; 8] = [
    "na",
    "n/a",
    "not applicable",
    "no aplica",
    "no corresponde",
    "nao se aplica",
    "sans objet",
    "non applicable",
];
const UNKNOWN: [&str; 9] = [
    "unknown",
    "don't know",
    "dont know",
    "do not know",
    "no sabe",
    "no se",
    "nao sei",
    "nao sabe",
    "ne sait pas",
];

/// Every way a question's options may be written, folded, mapped to the option id.
#[derive(Debug, Default)]
pub struct OptionNames {
    by_question: Vec<HashMap<String, String>>,
}

impl OptionNames {
    /// Indexes the ids and labels (every language) of every option.
    pub fn new(questionnaire: &Questionnaire) -> Self {
        let by_question = questionnaire
            .questions
            .iter()
            .map(|q| {
                let mut names = HashMap::new();
                for option in q.options() {
                    for label in labels(&option.label) {
                        names
                            .entry(fold(label))
                            .or_insert_with(|| option.id.clone());
                    }
                }
                // Ids win over labels that happen to fold to the same text. Survey tools that
                // allow only letters and digits in codes (LimeSurvey) drop `_` and `-`.
                for option in q.options() {
                    names
                        .entry(fold(&option.id.replace(['_', '-'], "")))
                        .or_insert_with(|| option.id.clone());
                    names.insert(fold(&option.id), option.id.clone());
                }
                names
            })
            .collect();
        OptionNames { by_question }
    }

    fn option(&self, question: usize, cell: &str) -> Option<&str> {
        let names = self.by_question.get(question)?;
        // Most cells hold the id itself: look it up before paying for folding.
        names
            .get(cell)
            .or_else(|| names.get(&fold(cell)))
            .map(String::as_str)
    }
}

fn labels(text: &LocalizedText) -> Vec<&str> {
    match text {
        LocalizedText::Plain(t) => vec![t.as_str()],
        LocalizedText::ByLanguage(map) => map.values().map(String::as_str).collect(),
    }
}

/// A cell as an answer of question `index`: what the YAML reader would have made of the same
/// answer written in a response file, so that the same checks apply. `None` for an empty cell.
pub fn cell_answer(
    questionnaire: &Questionnaire,
    names: &OptionNames,
    index: usize,
    cell: &str,
) -> Option<AnswerDoc> {
    let cell = unprotect(cell.trim());
    if cell.is_empty() {
        return None;
    }
    // Plain ASCII lower-case cells (ids, numbers, yes/no) need no Unicode folding.
    let folded = if cell
        .bytes()
        .all(|b| b.is_ascii_graphic() && !b.is_ascii_uppercase())
    {
        cell.to_owned()
    } else {
        fold(cell)
    };
    if NOT_APPLICABLE.contains(&folded.as_str()) {
        return Some(AnswerDoc::Text("na".to_owned()));
    }
    if UNKNOWN.contains(&folded.as_str()) {
        return Some(AnswerDoc::Text("unknown".to_owned()));
    }
    let question = &questionnaire.questions[index];
    Some(match &question.kind {
        QuestionKind::Choice { .. } => {
            AnswerDoc::Text(names.option(index, cell).unwrap_or(cell).to_owned())
        }
        QuestionKind::Multi { .. } => AnswerDoc::List(
            cell.split(';')
                .map(str::trim)
                .filter(|part| !part.is_empty())
                .map(|part| {
                    let id = names.option(index, part).unwrap_or(part);
                    crate::model::doc::At::new(
                        crate::model::doc::ScalarText(id.to_owned()),
                        Default::default(),
                    )
                })
                .collect(),
        ),
        QuestionKind::YesNo if YES.contains(&folded.as_str()) => AnswerDoc::Bool(true),
        QuestionKind::YesNo if NO.contains(&folded.as_str()) => AnswerDoc::Bool(false),
        QuestionKind::Number { .. } => match cell.replace(',', ".").parse::<f64>() {
            Ok(n) if n.is_finite() && !cell.contains(char::is_alphabetic) => AnswerDoc::Number(n),
            _ => AnswerDoc::Text(cell.to_owned()),
        },
        _ => AnswerDoc::Text(cell.to_owned()),
    })
}

/// Undoes the apostrophe that our own CSV output puts before a formula-like cell, so that a
/// rejects file can be corrected and imported again.
pub fn unprotect(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) => rest,
        _ => cell,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_ignores_case_accents_and_blanks() {
        assert_eq!(fold("  Sí "), "si");
        assert_eq!(fold("Não  se aplica"), "nao se aplica");
        assert_eq!(fold("ÉTABLI"), "etabli");
    }

    #[test]
    fn protected_formulas_come_back() {
        assert_eq!(unprotect("'=1+1"), "=1+1");
        assert_eq!(unprotect("'quoted"), "'quoted");
    }
}
