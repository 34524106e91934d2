//! The form of `template --format xlsx` read back: one submission, a value per row, keyed by
//! column A; a multi question answered yes or no on the rows of its options.

use std::collections::BTreeMap;
use std::path::Path;

use super::{Cells, Sheet, record_of};
use crate::Error;
use crate::diagnostic::{Diagnostic, Position};
use crate::model::{QuestionKind, Questionnaire};
use crate::template::CSV_FIXED_COLUMNS;

/// The form's one submission, read by the keys of column A from the row after `first` (the
/// questionnaire's): a fixed field or a question id keys a value, its note and its evidence; a
/// `<question>/<option>` key, yes or no for an option of a multi question, the options chosen
/// making the question's value.
pub(super) fn read_form(
    path: &Path,
    cells: &Cells,
    first: u32,
    questionnaire: &Questionnaire,
) -> Result<Sheet, Error> {
    use crate::template::xlsx::{ANSWER, EVIDENCE, KEY, NOTE};
    let cell = |row: u32, column: u16| -> &str {
        cells
            .get(&(row, u32::from(column)))
            .map_or("", String::as_str)
    };
    let at = |row: u32, column: u16| Position::new(u64::from(row) + 1, u64::from(column) + 1);
    let invalid = |position: Position, message: String| {
        Error::Invalid(vec![Diagnostic::error(path, position, message)])
    };
    let answered = cell(first, ANSWER);
    if answered.trim() != questionnaire.reference() {
        return Err(invalid(
            at(first, ANSWER),
            format!(
                "the form is for `{}`; expected `{}`",
                answered.trim().escape_debug(),
                questionnaire.reference()
            ),
        ));
    }
    let keys: Vec<(u32, &str)> = cells
        .range((first + 1, 0)..)
        .filter(|((_, column), _)| *column == u32::from(KEY))
        .map(|((row, _), key)| (*row, key.trim()))
        .collect();
    let mut chosen = Selections::default();
    for &(row, key) in &keys {
        if let Some((question, option)) = option_row(questionnaire, key) {
            chosen
                .tick(questionnaire, question, option, cell(row, ANSWER))
                .map_err(|message| invalid(at(row, ANSWER), message))?;
        }
    }
    let mut header: Vec<String> = Vec::new();
    let mut values: Vec<String> = Vec::new();
    let mut form_cells = Vec::new();
    for &(row, key) in &keys {
        let is_field = CSV_FIXED_COLUMNS.contains(&key);
        let question = questionnaire.question_position(key);
        if !is_field && question.is_none() {
            continue;
        }
        let mut value = cell(row, ANSWER).to_owned();
        if let Some(selection) = question.and_then(|q| chosen.value(questionnaire, q)) {
            if !value.trim().is_empty() {
                return Err(invalid(
                    at(row, ANSWER),
                    format!(
                        "`{}` on the row of `{key}`, and yes or no on the rows of its options; expected either (don't know or not applicable on this row, or the options' rows)",
                        value.trim().escape_debug()
                    ),
                ));
            }
            value = selection;
        }
        header.push(key.to_owned());
        values.push(value);
        form_cells.push(at(row, ANSWER));
        if is_field {
            continue;
        }
        for (column, suffix) in [(NOTE, "note"), (EVIDENCE, "evidence")] {
            let text = cell(row, column);
            if !text.trim().is_empty() {
                header.push(format!("{key}.{suffix}"));
                values.push(text.to_owned());
                form_cells.push(at(row, column));
            }
        }
    }
    Ok(Sheet {
        header: record_of(header.iter().map(String::as_str)),
        rows: vec![(
            u64::from(first) + 1,
            record_of(values.iter().map(String::as_str)),
        )],
        form: true,
        form_cells,
    })
}

/// The multi question and option of a `<question>/<option>` key: (question, option) positions.
fn option_row(questionnaire: &Questionnaire, key: &str) -> Option<(usize, usize)> {
    use crate::template::xlsx::OPTION_SEPARATOR;
    let (id, option) = key.split_once(OPTION_SEPARATOR)?;
    let question = questionnaire.question_position(id)?;
    let QuestionKind::Multi { options } = &questionnaire.questions[question].kind else {
        return None;
    };
    Some((question, options.iter().position(|o| o.id == option)?))
}

/// The options chosen on the rows of the options of multi questions: by question position, a
/// bit per option answered yes; a question is answered once any of its options' rows is.
#[derive(Default)]
struct Selections(BTreeMap<usize, u64>);

impl Selections {
    /// Reads the cell of option `option` of `question`: yes, no, or nothing.
    fn tick(
        &mut self,
        questionnaire: &Questionnaire,
        question: usize,
        option: usize,
        cell: &str,
    ) -> Result<(), String> {
        use crate::answer_words::{Meaning, meaning};
        let cell = cell.trim();
        if cell.is_empty() {
            return Ok(());
        }
        let chosen = match meaning(cell) {
            Some(Meaning::Yes) => true,
            Some(Meaning::No) => false,
            _ => {
                let question = &questionnaire.questions[question];
                return Err(format!(
                    "`{}` on the row of option `{}` of `{}`; expected yes or no (or nothing, to leave the question unanswered)",
                    cell.escape_debug(),
                    question.options()[option].id,
                    question.id
                ));
            }
        };
        let bits = self.0.entry(question).or_default();
        if chosen {
            *bits |= 1u64 << option;
        }
        Ok(())
    }

    /// The cell of the CSV layout for `question`'s selection: the ids chosen, `[]` for none;
    /// `None` when none of its options' rows is answered.
    fn value(&self, questionnaire: &Questionnaire, question: usize) -> Option<String> {
        let bits = *self.0.get(&question)?;
        Some(crate::import::multi_cell(
            &questionnaire.questions[question],
            bits,
        ))
    }
}
