//! The XLSX form of one submission: a header block, then a row per question with a drop-down list
//! or a check of its answers, and a row per option of a multi question. `import` reads it back
//! through `import::sheet` by the keys of column A.

use rust_xlsxwriter::{
    Color, DataValidation, DataValidationRule, ExcelDateTime, Format, FormatAlign, FormatBorder,
    Formula, Workbook, Worksheet, XlsxError,
};

use super::Prefill;
use crate::fsio::csv_text;
use crate::i18n::labels::{label, label_with};
use crate::model::{Answer, AnswerValue, Question, QuestionKind, Questionnaire};
use crate::numbers::format_number;

/// A workbook that names the tool and its version in its properties, as every output does.
pub(crate) fn workbook() -> Workbook {
    let mut workbook = Workbook::new();
    workbook.set_properties(&rust_xlsxwriter::DocProperties::new().set_comment(crate::GENERATOR));
    workbook
}

/// Column of keys: a fixed field, a question id, or `<question>/<option>` for an option's row.
pub const KEY: u16 = 0;
/// Column of answers.
pub const ANSWER: u16 = 4;
/// Column of notes.
pub const NOTE: u16 = 5;
/// Column of evidence: links separated by blanks or `;`.
pub const EVIDENCE: u16 = 6;
/// The key of the row holding `id@version`.
pub const QUESTIONNAIRE: &str = "questionnaire";
/// Between a multi question's id and an option's id in the key of the option's row: no id holds it.
pub const OPTION_SEPARATOR: char = '/';

/// The row of the column headers; the questions follow it.
const HEADER_ROW: u32 = 10;

/// The number format of the submitted cell: what Excel shows and what users type back.
const DATE_TIME_FORMAT: &str = "yyyy-mm-dd hh:mm";

/// A blank one-submission form in `lang`.
pub fn xlsx_template(q: &Questionnaire, lang: &str, round: &str) -> Result<Vec<u8>, XlsxError> {
    form(q, lang, round, None)
}

/// The form in `lang` with `prefill`'s answers in its cells, coloured, under a line that says
/// which round they come from.
pub fn prefilled_xlsx(
    q: &Questionnaire,
    lang: &str,
    round: &str,
    prefill: &Prefill,
) -> Result<Vec<u8>, XlsxError> {
    form(q, lang, round, Some(prefill))
}

/// The formats of the form's cells.
struct Formats {
    bold: Format,
    wrap: Format,
    key: Format,
    answer: Format,
    prefilled: Format,
    submitted: Format,
    option: Format,
}

impl Formats {
    fn new() -> Formats {
        let cell = Format::new()
            .set_border(FormatBorder::Thin)
            .set_text_wrap()
            .set_align(FormatAlign::Top);
        Formats {
            bold: Format::new().set_bold(),
            wrap: Format::new().set_text_wrap().set_align(FormatAlign::Top),
            key: Format::new()
                .set_font_color(Color::Gray)
                .set_align(FormatAlign::Top),
            answer: cell.clone().set_background_color(Color::RGB(0xFFF8DC)),
            // Blue, where the blank form's cells are cream: what to review stands out.
            prefilled: cell.clone().set_background_color(Color::RGB(0xDDEBF7)),
            submitted: cell
                .set_background_color(Color::RGB(0xFFF8DC))
                .set_num_format(DATE_TIME_FORMAT),
            option: Format::new().set_indent(2).set_align(FormatAlign::Top),
        }
    }

    /// The format of an answer cell, filled from an earlier round or not.
    fn answer(&self, filled: bool) -> &Format {
        if filled {
            &self.prefilled
        } else {
            &self.answer
        }
    }
}

/// The drop-down lists, kept on a hidden sheet: Excel limits a list written in the validation
/// itself to 255 characters.
#[derive(Default)]
struct Lists(Vec<Vec<String>>);

impl Lists {
    /// A validation offering `values`.
    fn offer(&mut self, values: Vec<String>) -> DataValidation {
        let range = list_range(self.0.len(), values.len());
        self.0.push(values);
        DataValidation::new().allow_list_formula(Formula::new(range))
    }
}

/// What the answer cells of one language say.
struct Words {
    yes: String,
    no: String,
    dont_know: String,
    not_applicable: String,
}

impl Words {
    fn new(lang: &str) -> Words {
        Words {
            yes: label("yes", lang),
            no: label("no", lang),
            dont_know: label("dont_know", lang),
            not_applicable: label("not_applicable", lang),
        }
    }

    /// `values`, then don't know and not applicable.
    fn with_extras(&self, mut values: Vec<String>) -> Vec<String> {
        values.push(self.dont_know.clone());
        values.push(self.not_applicable.clone());
        values
    }
}

fn form(
    q: &Questionnaire,
    lang: &str,
    round: &str,
    prefill: Option<&Prefill>,
) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = crate::template::xlsx::workbook();
    let formats = Formats::new();
    let words = Words::new(lang);
    let mut lists = Lists::default();
    {
        let sheet = workbook.add_worksheet();
        sheet.set_name("Answers")?;
        for (column, width) in [22, 28, 60, 50, 40, 30, 30].into_iter().enumerate() {
            sheet.set_column_width(column as u16, width)?;
        }
        let title = label_with(
            "template_header",
            lang,
            &[("title", q.title.get(lang)), ("reference", &q.reference())],
        );
        sheet.write_string_with_format(0, 0, &title, &formats.bold)?;
        sheet.write_string(1, 0, label("template_howto", lang))?;
        if let Some(prefill) = prefill {
            let banner = label_with(
                "sheet_prefilled",
                lang,
                &[
                    ("country", prefill.country.as_str()),
                    ("round", prefill.round.as_str()),
                ],
            );
            sheet.write_string_with_format(2, 0, banner, &formats.prefilled.clone().set_bold())?;
        }
        header_block(sheet, &formats, q, lang, round, prefill)?;
        for (column, text) in [
            (0, "id".to_owned()),
            (1, label("sheet_where", lang)),
            (2, label("question", lang)),
            (3, label("template_help", lang)),
            (ANSWER, label("answer", lang)),
            (NOTE, label("note", lang)),
            (EVIDENCE, label("sheet_evidence", lang)),
        ] {
            sheet.write_string_with_format(HEADER_ROW, column, text, &formats.bold)?;
        }
        sheet.set_freeze_panes(HEADER_ROW + 1, 0)?;
        let mut row = HEADER_ROW + 1;
        for (position, question) in q.questions.iter().enumerate() {
            let given = prefill.and_then(|p| p.answers.get(position)?.as_ref());
            let rows = QuestionRows {
                q,
                question,
                lang,
                given,
            };
            row = rows.write(sheet, row, &formats, &words, &mut lists)?;
        }
    }
    let sheet = workbook.add_worksheet();
    sheet.set_name("Lists")?;
    for (column, values) in lists.0.iter().enumerate() {
        for (row, value) in values.iter().enumerate() {
            sheet.write_string(row as u32, column as u16, value)?;
        }
    }
    sheet.set_hidden(true);
    workbook.save_to_buffer()
}

/// The fixed fields, each on a row of its own: key in column A, name in B, value in E.
fn header_block(
    sheet: &mut Worksheet,
    formats: &Formats,
    q: &Questionnaire,
    lang: &str,
    round: &str,
    prefill: Option<&Prefill>,
) -> Result<(), XlsxError> {
    let country = prefill.map_or("", |p| p.country.as_str());
    let fixed: [(&str, String, &str); 6] = [
        (QUESTIONNAIRE, label("questionnaire", lang), &q.reference()),
        ("country", label("sheet_country", lang), country),
        ("round", label("sheet_round", lang), round),
        ("respondent_name", label("sheet_name", lang), ""),
        (
            "respondent_organization",
            label("sheet_organization", lang),
            "",
        ),
        ("submitted", label("sheet_submitted", lang), ""),
    ];
    for (i, (key, name, value)) in fixed.iter().enumerate() {
        let row = 3 + i as u32;
        sheet.write_string_with_format(row, KEY, *key, &formats.key)?;
        sheet.write_string_with_format(row, 1, name, &formats.bold)?;
        if *key == "submitted" {
            sheet.write_blank(row, ANSWER, &formats.submitted)?;
            // Typed as a date, the cell holds a serial number that import reads as a date and
            // time; a date before 2000 is a typing slip.
            let validation = DataValidation::new()
                .allow_date(DataValidationRule::GreaterThanOrEqualTo(
                    ExcelDateTime::from_ymd(2000, 1, 1)?,
                ))
                .set_input_message(truncate(
                    &label_with(
                        "sheet_submitted_hint",
                        lang,
                        &[("example", "2026-03-14 10:00")],
                    ),
                    255,
                ))?
                .ignore_blank(true);
            sheet.add_data_validation(row, ANSWER, row, ANSWER, &validation)?;
        } else {
            sheet.write_string_with_format(row, ANSWER, *value, &formats.answer)?;
        }
    }
    Ok(())
}

/// One question's rows: its own, and one per option of a multi question.
struct QuestionRows<'a> {
    q: &'a Questionnaire,
    question: &'a Question,
    lang: &'a str,
    /// The answer the form starts from, if any.
    given: Option<&'a Answer>,
}

impl QuestionRows<'_> {
    /// Writes the rows from `row`; returns the row after them.
    fn write(
        &self,
        sheet: &mut Worksheet,
        row: u32,
        formats: &Formats,
        words: &Words,
        lists: &mut Lists,
    ) -> Result<u32, XlsxError> {
        let (q, question, lang) = (self.q, self.question, self.lang);
        let indicator = &q.indicators[question.indicator];
        let pillar = &q.pillars[indicator.pillar];
        sheet.write_string_with_format(row, KEY, &question.id, &formats.key)?;
        sheet.write_string_with_format(
            row,
            1,
            format!("{} › {}", pillar.title.get(lang), indicator.title.get(lang)),
            &formats.wrap,
        )?;
        sheet.write_string_with_format(row, 2, question.text.get(lang), &formats.wrap)?;
        let help = question.help.as_ref().map_or("", |h| h.get(lang));
        let help = match question.kind {
            QuestionKind::Multi { .. } => {
                format!("{help}\n\n{}", label("sheet_multi_rows", lang))
            }
            _ => help.to_owned(),
        };
        sheet.write_string_with_format(row, 3, help.trim(), &formats.wrap)?;
        self.write_answer(sheet, row, formats, words)?;
        let note = self.given.and_then(|a| a.note.as_deref());
        let evidence = self
            .given
            .filter(|a| !a.evidence.is_empty())
            .map(|a| a.evidence.join("; "));
        for (column, text) in [(NOTE, note), (EVIDENCE, evidence.as_deref())] {
            match text {
                Some(text) => sheet.write_string_with_format(
                    row,
                    column,
                    csv_text(text),
                    &formats.prefilled,
                )?,
                None => sheet.write_blank(row, column, &formats.answer)?,
            };
        }
        let validation = match &question.kind {
            QuestionKind::Choice { options } => Some(
                lists.offer(
                    words.with_extras(
                        options
                            .iter()
                            .map(|o| o.label.get(lang).to_owned())
                            .collect(),
                    ),
                ),
            ),
            QuestionKind::YesNo => {
                Some(lists.offer(words.with_extras(vec![words.yes.clone(), words.no.clone()])))
            }
            QuestionKind::Number { min, max, .. } => Some(number_validation(
                row,
                (*min, *max),
                words,
                &label_with(
                    "sheet_number_hint",
                    lang,
                    &[
                        ("min", &min.map_or_else(|| "−∞".to_owned(), format_number)),
                        ("max", &max.map_or_else(|| "∞".to_owned(), format_number)),
                        ("unknown", &words.dont_know),
                        ("na", &words.not_applicable),
                    ],
                ),
            )?),
            // The selection is made on the options' rows: this row says why there is none.
            QuestionKind::Multi { .. } => Some(lists.offer(words.with_extras(Vec::new()))),
            QuestionKind::Text => None,
        };
        if let Some(validation) = validation {
            sheet.add_data_validation(row, ANSWER, row, ANSWER, &validation.ignore_blank(true))?;
        }
        let QuestionKind::Multi { options } = &question.kind else {
            return Ok(row + 1);
        };
        let selected = match self.given.map(|a| &a.value) {
            Some(AnswerValue::Multi(bits)) => Some(*bits),
            _ => None,
        };
        let yes_no = lists.offer(vec![words.yes.clone(), words.no.clone()]);
        for (i, option) in options.iter().enumerate() {
            let row = row + 1 + i as u32;
            let key = format!("{}{OPTION_SEPARATOR}{}", question.id, option.id);
            sheet.write_string_with_format(row, KEY, key, &formats.key)?;
            sheet.write_string_with_format(row, 2, option.label.get(lang), &formats.option)?;
            let tick = selected.map(|bits| {
                if bits & (1u64 << i) != 0 {
                    words.yes.as_str()
                } else {
                    words.no.as_str()
                }
            });
            let format = formats.answer(tick.is_some());
            sheet.write_string_with_format(row, ANSWER, tick.unwrap_or(""), format)?;
            sheet.add_data_validation(
                row,
                ANSWER,
                row,
                ANSWER,
                &yes_no.clone().ignore_blank(true),
            )?;
        }
        Ok(row + 1 + options.len() as u32)
    }

    /// The answer cell of the question's row: empty, or the answer it starts from as the
    /// drop-down offers it (a multi question's selection is on its options' rows).
    fn write_answer(
        &self,
        sheet: &mut Worksheet,
        row: u32,
        formats: &Formats,
        words: &Words,
    ) -> Result<(), XlsxError> {
        let question = self.question;
        let text = match self.given.map(|a| &a.value) {
            None | Some(AnswerValue::Multi(_)) => None,
            Some(AnswerValue::Number(n)) => {
                sheet.write_number_with_format(row, ANSWER, *n, &formats.prefilled)?;
                return Ok(());
            }
            Some(AnswerValue::NotApplicable) => Some(words.not_applicable.clone()),
            Some(AnswerValue::Unknown) => Some(words.dont_know.clone()),
            Some(AnswerValue::YesNo(true)) => Some(words.yes.clone()),
            Some(AnswerValue::YesNo(false)) => Some(words.no.clone()),
            Some(AnswerValue::Choice(i)) => question
                .options()
                .get(usize::from(*i))
                .map(|o| o.label.get(self.lang).to_owned()),
            Some(AnswerValue::Text(t)) => Some(csv_text(t).into_owned()),
        };
        match text {
            Some(text) => sheet.write_string_with_format(row, ANSWER, text, &formats.prefilled)?,
            None => sheet.write_blank(row, ANSWER, &formats.answer)?,
        };
        Ok(())
    }
}

/// A check that the cell at `row` holds a number within `bounds`, or one of the words for
/// don't know and not applicable (Excel compares texts without case).
fn number_validation(
    row: u32,
    (min, max): (Option<f64>, Option<f64>),
    words: &Words,
    hint: &str,
) -> Result<DataValidation, XlsxError> {
    let cell = format!("{}{}", column_letters(usize::from(ANSWER)), row + 1);
    let mut number = vec![format!("ISNUMBER({cell})")];
    number.extend(min.map(|lo| format!("{cell}>={lo}")));
    number.extend(max.map(|hi| format!("{cell}<={hi}")));
    let word = |w: &str| format!("{cell}=\"{}\"", w.replace('"', "\"\""));
    let formula = format!(
        "=OR(AND({}),{},{})",
        number.join(","),
        word(&words.dont_know),
        word(&words.not_applicable)
    );
    DataValidation::new()
        .allow_custom(Formula::new(formula))
        .set_input_message(truncate(hint, 255))
}

/// `=Lists!$A$1:$A$7` for list `column` of `len` values.
fn list_range(column: usize, len: usize) -> String {
    let letters = column_letters(column);
    format!("=Lists!${letters}$1:${letters}${len}")
}

/// A 0-based column as a spreadsheet names it: 0 → A, 26 → AA.
fn column_letters(column: usize) -> String {
    let mut letters = String::new();
    let mut n = column + 1;
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.insert(0, char::from(b'A' + rem as u8));
        n = (n - 1) / 26;
    }
    letters
}

fn truncate(text: &str, max: usize) -> String {
    text.chars().take(max).collect()
}
