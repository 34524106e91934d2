//! Response files as one table in the import layout, CSV or XLSX, that `import` reads back to the
//! same files. Each row is read back by the import's own reader before it is written: a response
//! that a table cannot carry exactly is reported at its file and answer, never written changed.

mod loaded;
mod mismatch;
mod xlsx;

pub use mismatch::Mismatch;
pub(crate) use mismatch::differences;

use std::io::Write;
use std::path::Path;

use crate::Error;
use crate::diagnostic::Diagnostic;
use crate::fsio::{csv_cell, csv_text};
use crate::import::matching::OptionNames;
use crate::import::rows::CsvRows;
use crate::import::{Layout, layout, multi_cell, row_delimiters, row_response};
use crate::inputs::Inventory;
use crate::model::{Answer, AnswerValue, QuestionKind, Questionnaire, Response};
use crate::template::CSV_FIXED_COLUMNS;
use loaded::for_each_response;

/// What an export wrote, and what it found on the way.
#[derive(Debug, Default)]
pub struct ExportSummary {
    /// Responses written as rows.
    pub rows: usize,
    /// Files left out and why, and warnings about the files written.
    pub diagnostics: Vec<Diagnostic>,
}

/// One column of the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Column {
    Country,
    Round,
    Name,
    Organization,
    Submitted,
    /// The answer to a question, by position.
    Answer(usize),
    Evidence(usize),
    Note(usize),
}

/// The columns of the import layout for one questionnaire, and the reader that checks each row.
pub struct ExportTable<'q> {
    questionnaire: &'q Questionnaire,
    columns: Vec<Column>,
    header: Vec<String>,
    layout: Layout,
    names: OptionNames,
}

impl<'q> ExportTable<'q> {
    /// The columns for `questionnaire`: the fixed ones, every answer but text answers, every
    /// question's evidence, then text answers and notes.
    pub fn new(questionnaire: &'q Questionnaire) -> Result<ExportTable<'q>, Error> {
        let questions = 0..questionnaire.questions.len();
        let is_text = |q: &usize| matches!(questionnaire.questions[*q].kind, QuestionKind::Text);
        // Import takes a line after a line break for a row of its own (a quote left open) when
        // it holds a row's worth of delimiters: the cells that may break lines come last, so
        // that few delimiters follow them.
        let columns: Vec<Column> = [
            Column::Country,
            Column::Round,
            Column::Name,
            Column::Organization,
            Column::Submitted,
        ]
        .into_iter()
        .chain(
            questions
                .clone()
                .filter(|q| !is_text(q))
                .map(Column::Answer),
        )
        .chain(questions.clone().map(Column::Evidence))
        .chain(questions.clone().filter(is_text).map(Column::Answer))
        .chain(questions.map(Column::Note))
        .collect();
        let header: Vec<String> = columns
            .iter()
            .map(|column| {
                let id = |q: usize| questionnaire.questions[q].id.as_str();
                match *column {
                    Column::Country => CSV_FIXED_COLUMNS[0].to_owned(),
                    Column::Round => CSV_FIXED_COLUMNS[1].to_owned(),
                    Column::Name => CSV_FIXED_COLUMNS[2].to_owned(),
                    Column::Organization => CSV_FIXED_COLUMNS[3].to_owned(),
                    Column::Submitted => CSV_FIXED_COLUMNS[4].to_owned(),
                    Column::Answer(q) => id(q).to_owned(),
                    Column::Evidence(q) => format!("{}.evidence", id(q)),
                    Column::Note(q) => format!("{}.note", id(q)),
                }
            })
            .collect();
        let record: csv::ByteRecord = header.iter().collect();
        // Fails only for questions whose ids make the same column (`a.note` beside `a`): a
        // questionnaire the import layout cannot hold.
        let (layout, _) = layout(
            Path::new(&questionnaire.reference()),
            &record,
            questionnaire,
        )?;
        Ok(ExportTable {
            questionnaire,
            names: OptionNames::new(questionnaire),
            columns,
            header,
            layout,
        })
    }

    /// The header row: column names as `import` reads them.
    pub fn header(&self) -> &[String] {
        &self.header
    }

    /// The header as `import` lays it out.
    pub(crate) fn layout(&self) -> &Layout {
        &self.layout
    }

    /// The cells of `response`, once read back by the import's reader to the same response.
    pub fn row(&self, response: &Response) -> Result<Vec<String>, Vec<Mismatch>> {
        let cells = self.cells(response);
        let record: csv::ByteRecord = cells.iter().collect();
        let read = row_response(
            Path::new("export"),
            self.questionnaire,
            &self.names,
            &self.layout,
            &record,
            2,
        );
        match read {
            Ok(back) => {
                let found = differences(self.questionnaire, response, &back);
                if found.is_empty() {
                    Ok(cells)
                } else {
                    Err(found)
                }
            }
            Err((column, reason)) => Err(vec![Mismatch {
                question: self.questionnaire.question_position(&column),
                message: format!(
                    "import would refuse its row at column `{column}`: {reason}; expected a response that the import layout holds"
                ),
            }]),
        }
    }

    /// `response` as a CSV record (with its line end) that imports back to it.
    pub fn csv_row(&self, response: &Response) -> Result<Result<Vec<u8>, Vec<Mismatch>>, Error> {
        let cells = match self.row(response) {
            Ok(cells) => cells,
            Err(found) => return Ok(Err(found)),
        };
        let line = csv_line(&cells)?;
        Ok(match swallowed_rows(self, &line) {
            Some(mismatch) => Err(vec![mismatch]),
            None => Ok(line),
        })
    }

    /// The cells of `response`, one per column, texts neutralized as `import` reads them back.
    fn cells(&self, response: &Response) -> Vec<String> {
        let mut answers: Vec<Option<&Answer>> = vec![None; self.questionnaire.questions.len()];
        for (q, answer) in &response.answers {
            answers[*q] = Some(answer);
        }
        let text = |t: &Option<String>| {
            t.as_deref()
                .map(|t| csv_text(t).into_owned())
                .unwrap_or_default()
        };
        self.columns
            .iter()
            .map(|column| match *column {
                Column::Country => csv_cell(response.country.as_str()).into_owned(),
                Column::Round => csv_cell(response.round.as_str()).into_owned(),
                Column::Name => text(&response.respondent.name),
                Column::Organization => text(&response.respondent.organization),
                Column::Submitted => response
                    .submitted
                    .map(|t| csv_cell(&t.to_string()).into_owned())
                    .unwrap_or_default(),
                Column::Answer(q) => answers[q]
                    .map(|a| self.value_cell(q, &a.value))
                    .unwrap_or_default(),
                Column::Evidence(q) => answers[q]
                    .filter(|a| !a.evidence.is_empty())
                    .map(|a| csv_text(&a.evidence.join("; ")).into_owned())
                    .unwrap_or_default(),
                Column::Note(q) => answers[q].map(|a| text(&a.note)).unwrap_or_default(),
            })
            .collect()
    }

    /// An answer as a cell: option ids, `yes`/`no`, a number, `na`, `unknown`, a text.
    fn value_cell(&self, q: usize, value: &AnswerValue) -> String {
        let question = &self.questionnaire.questions[q];
        match value {
            AnswerValue::Text(text) => csv_text(text).into_owned(),
            // `[]` as in a response file: an empty cell would be no answer at all.
            AnswerValue::Multi(bits) => multi_cell(question, *bits),
            other => csv_cell(&other.display(question)).into_owned(),
        }
    }
}

/// Writes every response of `inventory` as a CSV row to `out`, after the header.
pub fn export_csv(inventory: &Inventory<'_>, mut out: impl Write) -> Result<ExportSummary, Error> {
    let table = ExportTable::new(inventory.questionnaire)?;
    out.write_all(&csv_line(table.header())?)
        .map_err(Error::Output)?;
    let mut rows = 0;
    let diagnostics = for_each_response(inventory, |loaded, diagnostics| {
        let line = match table.csv_row(&loaded.response)? {
            Ok(line) => line,
            Err(found) => {
                diagnostics.extend(found.iter().map(|m| loaded.error(m)));
                return Ok(());
            }
        };
        out.write_all(&line).map_err(Error::Output)?;
        rows += 1;
        Ok(())
    })?;
    out.flush().map_err(Error::Output)?;
    Ok(ExportSummary { rows, diagnostics })
}

/// One CSV record, quoted where CSV needs it.
pub(crate) fn csv_line(cells: &[String]) -> Result<Vec<u8>, Error> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer
        .write_record(cells)
        .map_err(|e| Error::internal("a CSV row", e))?;
    writer
        .into_inner()
        .map_err(|e| Error::internal("a CSV row", e.into_error()))
}

/// Why import would refuse the CSV row `line` as a quote left open: a line break in a cell
/// followed by a line that holds a row's worth of delimiters.
fn swallowed_rows(table: &ExportTable<'_>, line: &[u8]) -> Option<Mismatch> {
    let mut rows = CsvRows::new(line, b',', 0, 2);
    rows.next_row().ok()??;
    let run_on = rows.run_on(row_delimiters(table.header.len()))?;
    run_on.swallowed_rows(2)?;
    let column = table.columns[run_on.cell];
    let question = match column {
        Column::Answer(q) | Column::Evidence(q) | Column::Note(q) => Some(q),
        _ => None,
    };
    Some(Mismatch {
        question,
        message: format!(
            "the line break in `{}` leaves a line of {} or more commas (those of the cells after it and of their texts), which import takes for a row swallowed by a quote left open; expected fewer commas after the line break (or --format xlsx, which has no such limit)",
            table.header[run_on.cell],
            row_delimiters(table.header.len())
        ),
    })
}

/// Writes every response of `inventory` as a row of an XLSX workbook, with a sheet that
/// describes each column in `lang`.
pub fn export_xlsx(
    inventory: &Inventory<'_>,
    lang: &str,
) -> Result<(Vec<u8>, ExportSummary), Error> {
    let table = ExportTable::new(inventory.questionnaire)?;
    let mut sheet = xlsx::ResponsesSheet::new(&table)?;
    let mut rows = 0;
    let diagnostics = for_each_response(inventory, |loaded, diagnostics| {
        let cells = match table.row(&loaded.response) {
            Ok(cells) => cells,
            Err(found) => {
                diagnostics.extend(found.iter().map(|m| loaded.error(m)));
                return Ok(());
            }
        };
        match sheet.push(&table, &cells)? {
            Some(mismatch) => diagnostics.push(loaded.error(&mismatch)),
            None => rows += 1,
        }
        Ok(())
    })?;
    let bytes = xlsx::workbook(sheet, &table, lang)?;
    Ok((bytes, ExportSummary { rows, diagnostics }))
}
