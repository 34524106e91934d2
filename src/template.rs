//! Blank answer sheets to fill offline: a YAML response with every question as a comment, and the
//! header row of the CSV import layout.

use std::fmt::Write as _;

use crate::i18n::labels::{label, label_with};
use crate::model::{ConditionValue, QuestionKind, Questionnaire};
use crate::numbers::format_number;
use crate::yaml_text::is_plain_word;

/// The fixed columns of the CSV import layout, before one column per question.
pub const CSV_FIXED_COLUMNS: [&str; 5] = [
    "country",
    "round",
    "respondent_name",
    "respondent_organization",
    "submitted",
];

/// Comment lines: every line of `text` after `# `, control characters blanked.
fn comment(out: &mut String, indent: &str, text: &str) {
    for line in text.lines() {
        let clean: String = line
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect();
        let _ = writeln!(out, "{indent}# {clean}");
    }
}

/// An id as YAML reads it back: plain when safe, quoted otherwise.
fn yaml_id(id: &str) -> String {
    if is_plain_word(id) {
        id.to_owned()
    } else {
        serde_json::Value::String(id.to_owned()).to_string()
    }
}

/// A response skeleton in `lang`: every question as comments above an empty answer. It is a
/// valid response as it is (country `ZZ`, round `round`, nothing answered).
pub fn yaml_template(q: &Questionnaire, lang: &str, round: &str) -> String {
    let mut out = String::new();
    let title = q.title.get(lang);
    comment(
        &mut out,
        "",
        &label_with(
            "template_header",
            lang,
            &[("title", title), ("reference", &q.reference())],
        ),
    );
    comment(&mut out, "", &label("template_howto", lang));
    comment(&mut out, "", &label("template_special", lang));
    let _ = writeln!(
        out,
        "questionnaire: {}",
        serde_json::Value::String(q.reference())
    );
    let _ = writeln!(out, "country: ZZ  # {}", label("template_country", lang));
    let _ = writeln!(
        out,
        "round: {}",
        serde_json::Value::String(round.to_owned())
    );
    let _ = writeln!(out, "respondent:\n  name: \"\"\n  organization: \"\"");
    let _ = writeln!(out, "answers:");
    let total = q.questions.len();
    for (n, question) in q.questions.iter().enumerate() {
        let indicator = &q.indicators[question.indicator];
        let pillar = &q.pillars[indicator.pillar];
        let _ = writeln!(out);
        comment(
            &mut out,
            "  ",
            &format!(
                "[{}/{total}] {} › {}",
                n + 1,
                pillar.title.get(lang),
                indicator.title.get(lang)
            ),
        );
        comment(&mut out, "  ", question.text.get(lang));
        let expected = match &question.kind {
            QuestionKind::Choice { options } | QuestionKind::Multi { options } => {
                let head = if matches!(question.kind, QuestionKind::Choice { .. }) {
                    label("template_options", lang)
                } else {
                    label("template_multi", lang)
                };
                let mut text = format!("{head}:");
                for option in options {
                    let _ = write!(
                        text,
                        "\n  {} = {}",
                        yaml_id(&option.id),
                        option.label.get(lang)
                    );
                }
                text
            }
            QuestionKind::YesNo => label("template_yesno", lang),
            QuestionKind::Number { min, max, .. } => match (min, max) {
                (Some(lo), Some(hi)) => format!(
                    "{} {}",
                    label("template_number", lang),
                    label_with(
                        "template_range",
                        lang,
                        &[("min", &format_number(*lo)), ("max", &format_number(*hi))]
                    )
                ),
                _ => label("template_number", lang),
            },
            QuestionKind::Text => label("template_text", lang),
        };
        comment(&mut out, "  ", &expected);
        if let Some(help) = &question.help {
            comment(
                &mut out,
                "  ",
                &format!("{}: {}", label("template_help", lang), help.get(lang)),
            );
        }
        if let Some(condition) = &question.when {
            let target = &q.questions[condition.question];
            let values: Vec<String> = condition
                .any_of
                .iter()
                .map(|v| match v {
                    ConditionValue::Option(i) => target
                        .options()
                        .get(usize::from(*i))
                        .map(|o| o.id.clone())
                        .unwrap_or_default(),
                    ConditionValue::YesNo(true) => "yes".to_owned(),
                    ConditionValue::YesNo(false) => "no".to_owned(),
                })
                .collect();
            comment(
                &mut out,
                "  ",
                &label_with(
                    "template_when",
                    lang,
                    &[("question", &target.id), ("values", &values.join(" | "))],
                ),
            );
        }
        let _ = writeln!(out, "  {}:", question.id);
    }
    out
}

/// The header row of the CSV import layout: the fixed columns, then one column per question.
pub fn csv_template(q: &Questionnaire) -> Vec<String> {
    CSV_FIXED_COLUMNS
        .iter()
        .map(|c| (*c).to_owned())
        .chain(q.questions.iter().map(|question| question.id.clone()))
        .collect()
}

/// The header row of the CSV import layout, as a CSV file: cells neutralized against formulas.
pub fn csv_header(q: &Questionnaire) -> Result<Vec<u8>, crate::Error> {
    let header: Vec<String> = csv_template(q)
        .iter()
        .map(|c| crate::fsio::csv_cell(c).into_owned())
        .collect();
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer
        .write_record(&header)
        .map_err(|e| crate::Error::internal("the CSV header", e))?;
    writer
        .into_inner()
        .map_err(|e| crate::Error::internal("the CSV header", e.into_error()))
}

/// The rows of the XLSX form, as `import` reads them back: column A holds the key (a fixed
/// field or a question id), column E the answer, column F the note.
pub mod xlsx {
    /// Column of keys.
    pub const KEY: u16 = 0;
    /// Column of answers.
    pub const ANSWER: u16 = 4;
    /// Column of notes.
    pub const NOTE: u16 = 5;
    /// The key of the row holding `id@version`.
    pub const QUESTIONNAIRE: &str = "questionnaire";
}

/// A one-submission XLSX form in `lang`: a header block (country, round, respondent,
/// organization) and one row per question with a drop-down list of its answers (labels in
/// `lang`, plus don't know and not applicable) or a number check against its range.
pub fn xlsx_template(
    q: &Questionnaire,
    lang: &str,
    round: &str,
) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    use rust_xlsxwriter::{DataValidation, DataValidationRule, Format, Formula, Workbook};

    let mut workbook = Workbook::new();
    let bold = Format::new().set_bold();
    let wrap = Format::new()
        .set_text_wrap()
        .set_align(rust_xlsxwriter::FormatAlign::Top);
    let key_format = Format::new()
        .set_font_color(rust_xlsxwriter::Color::Gray)
        .set_align(rust_xlsxwriter::FormatAlign::Top);
    let answer_format = Format::new()
        .set_background_color(rust_xlsxwriter::Color::RGB(0xFFF8DC))
        .set_border(rust_xlsxwriter::FormatBorder::Thin)
        .set_text_wrap()
        .set_align(rust_xlsxwriter::FormatAlign::Top);
    // Drop-down lists live on a hidden sheet: Excel limits literal lists to 255 characters.
    let mut lists: Vec<Vec<String>> = Vec::new();
    let dont_know = label("dont_know", lang);
    let not_applicable = label("not_applicable", lang);
    {
        let sheet = workbook.add_worksheet();
        sheet.set_name("Answers")?;
        sheet.set_column_width(0, 22)?;
        sheet.set_column_width(1, 28)?;
        sheet.set_column_width(2, 60)?;
        sheet.set_column_width(3, 50)?;
        sheet.set_column_width(4, 40)?;
        sheet.set_column_width(5, 30)?;
        let title = label_with(
            "template_header",
            lang,
            &[("title", q.title.get(lang)), ("reference", &q.reference())],
        );
        sheet.write_string_with_format(0, 0, &title, &bold)?;
        sheet.write_string(1, 0, label("template_howto", lang))?;
        let fixed: [(&str, String, String); 5] = [
            (
                xlsx::QUESTIONNAIRE,
                label("questionnaire", lang),
                q.reference(),
            ),
            ("country", label("sheet_country", lang), String::new()),
            ("round", label("sheet_round", lang), round.to_owned()),
            ("respondent_name", label("sheet_name", lang), String::new()),
            (
                "respondent_organization",
                label("sheet_organization", lang),
                String::new(),
            ),
        ];
        for (i, (key, name, value)) in fixed.iter().enumerate() {
            let row = 3 + i as u32;
            sheet.write_string_with_format(row, xlsx::KEY, *key, &key_format)?;
            sheet.write_string_with_format(row, 1, name, &bold)?;
            sheet.write_string_with_format(row, xlsx::ANSWER, value, &answer_format)?;
        }
        let header_row = 9;
        for (column, text) in [
            (0, "id".to_owned()),
            (1, label("sheet_where", lang)),
            (2, label("question", lang)),
            (3, label("template_help", lang)),
            (4, label("answer", lang)),
            (5, label("note", lang)),
        ] {
            sheet.write_string_with_format(header_row, column, text, &bold)?;
        }
        sheet.set_freeze_panes(header_row + 1, 0)?;
        for (n, question) in q.questions.iter().enumerate() {
            let row = header_row + 1 + n as u32;
            let indicator = &q.indicators[question.indicator];
            let pillar = &q.pillars[indicator.pillar];
            sheet.write_string_with_format(row, xlsx::KEY, &question.id, &key_format)?;
            sheet.write_string_with_format(
                row,
                1,
                format!("{} › {}", pillar.title.get(lang), indicator.title.get(lang)),
                &wrap,
            )?;
            sheet.write_string_with_format(row, 2, question.text.get(lang), &wrap)?;
            let help = question.help.as_ref().map(|h| h.get(lang)).unwrap_or("");
            sheet.write_string_with_format(row, 3, help, &wrap)?;
            sheet.write_blank(row, xlsx::ANSWER, &answer_format)?;
            sheet.write_blank(row, xlsx::NOTE, &answer_format)?;
            let with_extras = |mut values: Vec<String>| {
                values.push(dont_know.clone());
                values.push(not_applicable.clone());
                values
            };
            let validation = match &question.kind {
                QuestionKind::Choice { options } => {
                    lists.push(with_extras(
                        options
                            .iter()
                            .map(|o| o.label.get(lang).to_owned())
                            .collect(),
                    ));
                    Some(
                        DataValidation::new().allow_list_formula(Formula::new(list_range(
                            lists.len() - 1,
                            lists[lists.len() - 1].len(),
                        ))),
                    )
                }
                QuestionKind::YesNo => {
                    lists.push(with_extras(vec![label("yes", lang), label("no", lang)]));
                    Some(
                        DataValidation::new()
                            .allow_list_formula(Formula::new(list_range(lists.len() - 1, 4))),
                    )
                }
                QuestionKind::Number { min, max, .. } => {
                    let lo = min.unwrap_or(f64::MIN);
                    let hi = max.unwrap_or(f64::MAX);
                    let hint = label_with(
                        "sheet_number_hint",
                        lang,
                        &[
                            ("min", &min.map_or_else(|| "−∞".to_owned(), format_number)),
                            ("max", &max.map_or_else(|| "∞".to_owned(), format_number)),
                        ],
                    );
                    Some(
                        DataValidation::new()
                            .allow_decimal_number(DataValidationRule::Between(lo, hi))
                            .set_input_message(truncate(&hint, 255))?,
                    )
                }
                QuestionKind::Multi { options } => {
                    let ids: Vec<&str> = options.iter().map(|o| o.label.get(lang)).collect();
                    let hint = format!(
                        "{}: {}\n{}",
                        label("sheet_multi_hint", lang),
                        ids.join("; "),
                        label("sheet_multi_none", lang)
                    );
                    sheet.write_string_with_format(
                        row,
                        3,
                        format!("{help}\n\n{hint}").trim(),
                        &wrap,
                    )?;
                    None
                }
                QuestionKind::Text => None,
            };
            if let Some(validation) = validation {
                sheet.add_data_validation(
                    row,
                    xlsx::ANSWER,
                    row,
                    xlsx::ANSWER,
                    &validation.ignore_blank(true),
                )?;
            }
        }
    }
    let sheet = workbook.add_worksheet();
    sheet.set_name("Lists")?;
    for (column, values) in lists.iter().enumerate() {
        for (row, value) in values.iter().enumerate() {
            sheet.write_string(row as u32, column as u16, value)?;
        }
    }
    sheet.set_hidden(true);
    workbook.save_to_buffer()
}

/// `=Lists!$A$1:$A$7` for list `column` of `len` values.
fn list_range(column: usize, len: usize) -> String {
    let mut letters = String::new();
    let mut n = column + 1;
    while n > 0 {
        let rem = (n - 1) % 26;
        letters.insert(0, char::from(b'A' + rem as u8));
        n = (n - 1) / 26;
    }
    format!("=Lists!${letters}$1:${letters}${len}")
}

fn truncate(text: &str, max: usize) -> String {
    text.chars().take(max).collect()
}
