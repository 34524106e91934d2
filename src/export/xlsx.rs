//! The export as an XLSX workbook: a first sheet in the import layout, which `import` reads, and a
//! sheet that says what each column holds, in the language asked for.

use rust_xlsxwriter::{Format, Worksheet, XlsxError};

use super::{Column, ExportTable, Mismatch};
use crate::Error;
use crate::i18n::labels::{label, label_with};
use crate::model::QuestionKind;
use crate::numbers::format_number;

/// The longest text a cell of a spreadsheet holds, in characters.
const MAX_CELL_CHARS: usize = 32_767;

/// The most rows a sheet holds, the header's included.
const MAX_ROWS: u32 = 1_048_576;

fn failed(e: XlsxError) -> Error {
    Error::internal("the XLSX workbook", e)
}

/// The first sheet, filled one response at a time.
pub(super) struct ResponsesSheet {
    sheet: Worksheet,
    next_row: u32,
}

impl ResponsesSheet {
    /// A sheet holding the header row.
    pub(super) fn new(table: &ExportTable<'_>) -> Result<ResponsesSheet, Error> {
        let mut sheet = Worksheet::new();
        sheet.set_name("Responses").map_err(failed)?;
        let bold = Format::new().set_bold();
        for (column, name) in table.header().iter().enumerate() {
            sheet
                .write_string_with_format(0, column as u16, name, &bold)
                .map_err(failed)?;
        }
        sheet.set_freeze_panes(1, 2).map_err(failed)?;
        sheet
            .set_column_range_width(0, table.header().len() as u16 - 1, 16.0)
            .map_err(failed)?;
        Ok(ResponsesSheet { sheet, next_row: 1 })
    }

    /// Adds a row; a row the sheet cannot hold is not added, and the reason returned.
    pub(super) fn push(
        &mut self,
        table: &ExportTable<'_>,
        cells: &[String],
    ) -> Result<Option<Mismatch>, Error> {
        if self.next_row == MAX_ROWS {
            return Ok(Some(Mismatch {
                question: None,
                message: format!(
                    "an XLSX sheet holds at most {} responses, and this one is past them; expected fewer responses per export (or --format csv)",
                    MAX_ROWS - 1
                ),
            }));
        }
        let too_long = cells
            .iter()
            .position(|cell| cell.chars().count() > MAX_CELL_CHARS);
        if let Some(at) = too_long {
            let question = match table.columns[at] {
                Column::Answer(q) | Column::Evidence(q) | Column::Note(q) => Some(q),
                _ => None,
            };
            return Ok(Some(Mismatch {
                question,
                message: format!(
                    "`{}` holds {} characters; an XLSX cell holds at most {MAX_CELL_CHARS} (use --format csv)",
                    table.header()[at],
                    cells[at].chars().count()
                ),
            }));
        }
        let row = self.next_row;
        for (at, cell) in cells.iter().enumerate() {
            if cell.is_empty() {
                continue;
            }
            let column = at as u16;
            match number_of(table, at, cell) {
                // A number stays a number that spreadsheets compute with: the sheet reader
                // writes it back with `format_number`, as the cell has it.
                Some(n) => self.sheet.write_number(row, column, n),
                None => self.sheet.write_string(row, column, cell),
            }
            .map_err(failed)?;
        }
        self.next_row += 1;
        Ok(None)
    }
}

/// The number in `cell`, when it is the answer to a number question written as `format_number`
/// writes it.
fn number_of(table: &ExportTable<'_>, at: usize, cell: &str) -> Option<f64> {
    let Column::Answer(q) = table.columns[at] else {
        return None;
    };
    if !matches!(
        table.questionnaire.questions[q].kind,
        QuestionKind::Number { .. }
    ) {
        return None;
    }
    let n = cell.parse::<f64>().ok()?;
    (format_number(n) == cell).then_some(n)
}

/// The workbook: the responses, then what each column holds in `lang`.
pub(super) fn workbook(
    responses: ResponsesSheet,
    table: &ExportTable<'_>,
    lang: &str,
) -> Result<Vec<u8>, Error> {
    let mut workbook = crate::template::xlsx::workbook();
    workbook.push_worksheet(responses.sheet);
    workbook.push_worksheet(columns_sheet(table, lang).map_err(failed)?);
    workbook.save_to_buffer().map_err(failed)
}

/// One row per column of the first sheet: its name, where its question sits, the question and
/// what the column holds.
fn columns_sheet(table: &ExportTable<'_>, lang: &str) -> Result<Worksheet, XlsxError> {
    let questionnaire = table.questionnaire;
    let mut sheet = Worksheet::new();
    sheet.set_name(truncate(&label("export_columns_sheet", lang), 31))?;
    let bold = Format::new().set_bold();
    let wrap = Format::new()
        .set_text_wrap()
        .set_align(rust_xlsxwriter::FormatAlign::Top);
    sheet.set_column_width(0, 34)?;
    sheet.set_column_width(1, 30)?;
    sheet.set_column_width(2, 60)?;
    sheet.set_column_width(3, 50)?;
    let title = label_with(
        "template_header",
        lang,
        &[
            ("title", questionnaire.title.get(lang)),
            ("reference", &questionnaire.reference()),
        ],
    );
    sheet.write_string_with_format(0, 0, &title, &bold)?;
    sheet.write_string(1, 0, label("export_howto", lang))?;
    let header_row = 3;
    for (column, text) in [
        label("export_column", lang),
        label("sheet_where", lang),
        label("question", lang),
        label("answer", lang),
    ]
    .iter()
    .enumerate()
    {
        sheet.write_string_with_format(header_row, column as u16, text, &bold)?;
    }
    sheet.set_freeze_panes(header_row + 1, 1)?;
    let fixed = [
        label("sheet_country", lang),
        label("sheet_round", lang),
        label("sheet_name", lang),
        label("sheet_organization", lang),
        label("export_submitted", lang),
    ];
    for (n, column) in table.columns.iter().enumerate() {
        let row = header_row + 1 + n as u32;
        sheet.write_string(row, 0, &table.header()[n])?;
        let q = match *column {
            Column::Answer(q) | Column::Evidence(q) | Column::Note(q) => q,
            _ => {
                sheet.write_string_with_format(row, 3, &fixed[n], &wrap)?;
                continue;
            }
        };
        let question = &questionnaire.questions[q];
        let indicator = &questionnaire.indicators[question.indicator];
        let pillar = &questionnaire.pillars[indicator.pillar];
        let place = format!("{} › {}", pillar.title.get(lang), indicator.title.get(lang));
        sheet.write_string_with_format(row, 1, place, &wrap)?;
        sheet.write_string_with_format(row, 2, question.text.get(lang), &wrap)?;
        let holds = match column {
            Column::Evidence(_) => label("export_evidence", lang),
            Column::Note(_) => label("note", lang),
            _ => expected_answer(&question.kind, lang),
        };
        sheet.write_string_with_format(row, 3, holds, &wrap)?;
    }
    Ok(sheet)
}

/// What an answer column holds: the option ids with their labels, yes or no, a number in its
/// range, or a text; and the two answers every question accepts.
fn expected_answer(kind: &QuestionKind, lang: &str) -> String {
    let options = |head: &str, options: &[crate::model::AnswerOption]| {
        let mut text = format!("{head}{}", label("colon", lang));
        for option in options {
            text.push_str(&format!("\n{} = {}", option.id, option.label.get(lang)));
        }
        text
    };
    let main = match kind {
        QuestionKind::Choice { options: o } => options(&label("template_options", lang), o),
        QuestionKind::Multi { options: o } => format!(
            "{}\n{}",
            options(&label("template_multi", lang), o),
            label("export_multi", lang)
        ),
        QuestionKind::YesNo => label("template_yesno", lang),
        QuestionKind::Number { min, max, .. } => crate::template::number_hint(*min, *max, lang),
        QuestionKind::Text => label("export_text", lang),
    };
    format!(
        "{main}\nna = {}\nunknown = {}",
        label("not_applicable", lang),
        label("dont_know", lang)
    )
}

fn truncate(text: &str, max: usize) -> String {
    text.chars().take(max).collect()
}
