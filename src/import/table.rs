//! CSV and XLSX files read as responses, one per row, for `score`, `explain` and `report`: a first
//! pass keeps where each row starts and hands out its country and round; a row is read again and
//! checked only when its group is scored, so memory follows the batch, not the file.

use std::cell::RefCell;
use std::fs::File;
use std::path::{Path, PathBuf};

use super::map::{MapDoc, Plan};
use super::matching::OptionNames;
use super::rows::{Cells, Parsing, SplitRow};
use super::sheet::read_sheet;
use super::{
    Layout, OpenCsv, open_csv, row_delimiters, row_response, rows_after_header, sheet_layout,
};
use crate::Error;
use crate::diagnostic::{Diagnostic, Position};
use crate::model::{Questionnaire, Response};

/// A CSV or XLSX file of submissions, one per row.
pub struct TableInput {
    path: PathBuf,
    layout: Layout,
    names: OptionNames,
    plan: Option<Plan>,
    rows: TableRows,
}

/// What a table keeps of its rows: where they are in a CSV file (read again when scored), or
/// the rows themselves for a sheet. Not to be confused with `CsvRows`, which finds the rows.
enum TableRows {
    /// Where each row starts in the file, and where the last one ends.
    Csv {
        delimiter: u8,
        starts: RowStarts,
        lines: RowLines,
        end: u64,
    },
    /// The rows of a sheet, with their row numbers: the spreadsheet reader holds the whole sheet
    /// anyway. For the form, where each value of its one row is in the sheet.
    Sheet {
        rows: Vec<(u64, csv::ByteRecord)>,
        form_cells: Vec<Position>,
    },
}

/// Where each row starts: 32 bits per row, from a 64-bit base per block of rows.
#[derive(Debug, Default)]
struct RowStarts {
    bases: Vec<u64>,
    offsets: Vec<u32>,
}

/// Rows per block of `RowStarts`: a block of rows is far below 4 GiB.
const BLOCK: usize = 1024;

impl RowStarts {
    fn push(&mut self, start: u64) -> Result<(), std::num::TryFromIntError> {
        if self.offsets.len().is_multiple_of(BLOCK) {
            self.bases.push(start);
        }
        let base = *self.bases.last().expect("a block is open");
        self.offsets.push(u32::try_from(start - base)?);
        Ok(())
    }

    fn get(&self, row: usize) -> Option<u64> {
        let offset = *self.offsets.get(row)?;
        Some(self.bases[row / BLOCK] + u64::from(offset))
    }

    fn len(&self) -> usize {
        self.offsets.len()
    }

    fn reserve(&mut self, rows: usize) {
        self.offsets.reserve_exact(rows);
        self.bases.reserve_exact(rows / BLOCK + 1);
    }
}

/// The line each row starts on, kept only where it is not the line after the previous row's
/// (a quoted line break or a blank line before it): nothing per row in a plain file.
#[derive(Debug, Default)]
struct RowLines {
    /// (row, its line), by row.
    jumps: Vec<(usize, u64)>,
    last: Option<(usize, u64)>,
}

impl RowLines {
    fn push(&mut self, row: usize, line: u64) {
        let expected = self.last.map(|(r, l)| l + (row - r) as u64);
        if expected != Some(line) {
            self.jumps.push((row, line));
        }
        self.last = Some((row, line));
    }

    fn line(&self, row: usize) -> u64 {
        let at = self.jumps.partition_point(|&(r, _)| r <= row);
        match at.checked_sub(1) {
            Some(i) => self.jumps[i].1 + (row - self.jumps[i].0) as u64,
            None => 0,
        }
    }
}

impl std::fmt::Debug for TableInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TableInput")
            .field("path", &self.path)
            .field("rows", &self.len())
            .finish()
    }
}

/// The country and round cells of one row, as the first pass reads them.
#[derive(Debug, Clone, Copy)]
pub struct RowKey<'a> {
    /// The row's number in the table, from 0.
    pub row: usize,
    /// The `country` cell, trimmed.
    pub country: &'a str,
    /// The `round` cell, trimmed.
    pub round: &'a str,
    /// On one early row, the number of rows the table is expected to have, so that what is kept
    /// per row can be sized once.
    pub expected_rows: Option<usize>,
}

/// True for the files read as tables: `.csv` and `.xlsx`.
pub fn is_table(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("csv") || e.eq_ignore_ascii_case("xlsx"))
}

impl TableInput {
    /// Reads the header and every row's country and round cells, handed to `each` in order. A
    /// CSV row that cannot be read ends the table with a finding.
    pub fn open(
        path: &Path,
        questionnaire: &Questionnaire,
        map: Option<&MapDoc>,
        mut each: impl FnMut(RowKey<'_>),
    ) -> Result<(TableInput, Vec<Diagnostic>), Error> {
        let names = OptionNames::new(questionnaire);
        let is_xlsx = path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"));
        if is_xlsx {
            let sheet = read_sheet(path, questionnaire)?;
            let (plan, layout, warnings) = sheet_layout(path, &sheet, questionnaire, map)?;
            for (row, (_, record)) in sheet.rows.iter().enumerate() {
                let converted = plan.as_ref().map(|p| p.convert(record.iter()));
                let record = converted.as_ref().unwrap_or(record);
                each(RowKey {
                    row,
                    country: key_cell(record.get(layout.country).unwrap_or_default()),
                    round: key_cell(record.get(layout.round).unwrap_or_default()),
                    expected_rows: (row == 0).then_some(sheet.rows.len()),
                });
            }
            let table = TableInput {
                path: path.to_owned(),
                layout,
                names,
                plan,
                rows: TableRows::Sheet {
                    rows: sheet.rows,
                    form_cells: sheet.form_cells,
                },
            };
            return Ok((table, warnings));
        }
        let OpenCsv {
            reader,
            delimiter,
            header,
            plan,
            layout,
            warnings: mut findings,
        } = open_csv(path, questionnaire, map)?;
        let row_delimiters = row_delimiters(header.len());
        let mut end = reader.position().byte();
        let mut rows = rows_after_header(path, reader, delimiter)?;
        let mut starts = RowStarts::default();
        let mut lines = RowLines::default();
        loop {
            let start = match rows.next_row() {
                Ok(Some(start)) => start,
                Ok(None) => break,
                Err(e) => {
                    findings.push(Diagnostic::error(
                        path,
                        Position::default(),
                        format!("cannot read the rest of the file: {e}"),
                    ));
                    break;
                }
            };
            // A quote left open reads the rows after it into one cell: that row is left out,
            // with the reason, rather than scored with the rows it took in.
            if let Some(run_on) = rows.run_on(row_delimiters)
                && let Some(reason) = run_on.swallowed_rows(start.line)
            {
                findings.push(Diagnostic::error(
                    path,
                    Position::new(start.line, run_on.cell as u64 + 1),
                    reason,
                ));
                continue;
            }
            let row = starts.len();
            let mut expected_rows = None;
            if row == 64 {
                // Sized from the first rows, so that a large file is not indexed twice over.
                let size = std::fs::metadata(path).map_or(0, |m| m.len());
                let per_row = (start.byte / 64).max(1);
                let expected = (size / per_row + size / per_row / 16) as usize;
                starts.reserve(expected);
                expected_rows = Some(expected);
            }
            starts.push(start.byte).map_err(|_| {
                Error::Invalid(vec![Diagnostic::error(
                    path,
                    Position::new(start.line, 1),
                    "rows of over 4 MiB on average; expected a table of submissions",
                )])
            })?;
            lines.push(row, start.line);
            end = rows.row_end();
            let converted;
            let (country, round) = match &plan {
                Some(plan) => {
                    converted = plan.convert(rows.record().iter());
                    (
                        converted.get(layout.country).unwrap_or_default(),
                        converted.get(layout.round).unwrap_or_default(),
                    )
                }
                None => rows.two_cells(layout.country, layout.round),
            };
            each(RowKey {
                row,
                country: key_cell(country),
                round: key_cell(round),
                expected_rows,
            });
        }
        let table = TableInput {
            path: path.to_owned(),
            layout,
            names,
            plan,
            rows: TableRows::Csv {
                delimiter,
                starts,
                lines,
                end,
            },
        };
        Ok((table, findings))
    }

    /// The file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Its number of rows.
    pub fn len(&self) -> usize {
        match &self.rows {
            TableRows::Csv { starts, .. } => starts.len(),
            TableRows::Sheet { rows, .. } => rows.len(),
        }
    }

    /// True when it has no row.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Where row `row` is in the file: its line in a CSV, its row number in a sheet.
    pub fn line(&self, row: usize) -> u64 {
        match &self.rows {
            TableRows::Csv { lines, .. } => lines.line(row),
            TableRows::Sheet { rows, .. } => rows[row].0,
        }
    }

    /// The response in row `row`, or the finding that refuses it (at row:column).
    pub fn response(
        &self,
        questionnaire: &Questionnaire,
        row: usize,
    ) -> Result<Response, Diagnostic> {
        let line = self.line(row);
        fn respond(
            table: &TableInput,
            questionnaire: &Questionnaire,
            row: &impl Cells,
            line: u64,
        ) -> Result<Response, (String, String)> {
            let (path, names, layout) = (&table.path, &table.names, &table.layout);
            match &table.plan {
                Some(plan) => {
                    let converted = plan.convert(row.cells());
                    row_response(path, questionnaire, names, layout, &converted, line)
                }
                None => row_response(path, questionnaire, names, layout, row, line),
            }
        }
        let response = match &self.rows {
            TableRows::Sheet { rows, .. } => respond(self, questionnaire, &rows[row].1, line),
            TableRows::Csv {
                delimiter,
                starts,
                end,
                ..
            } => {
                let from = starts.get(row).expect("a row of the table");
                let to = starts.get(row + 1).unwrap_or(*end);
                with_csv_row(&self.path, *delimiter, from, to, |r| {
                    respond(self, questionnaire, r, line)
                })
                .map_err(|message| Diagnostic::error(&self.path, Position::new(line, 1), message))?
            }
        };
        response.map_err(|(column, reason)| {
            let index = self.layout.names.iter().position(|n| *n == column);
            // The form's values are in rows of their own: the finding is at the value's cell.
            if let TableRows::Sheet { form_cells, .. } = &self.rows
                && let Some(&at) = index.and_then(|i| form_cells.get(i))
            {
                return Diagnostic::error(&self.path, at, reason);
            }
            // The column in the file as the user has it, not in the layout a map makes of it.
            let index = index
                .and_then(|i| match &self.plan {
                    Some(plan) => plan.source_column(i),
                    None => Some(i),
                })
                .map_or(1, |i| i as u64 + 1);
            Diagnostic::error(&self.path, Position::new(line, index), reason)
        })
    }
}

/// A country or round cell as text; a cell that is not UTF-8 reads as empty, and the row is
/// refused with the reason when it is loaded.
fn key_cell(cell: &[u8]) -> &str {
    std::str::from_utf8(cell).unwrap_or_default().trim()
}

/// What reading a row again keeps between rows, per thread: open files and buffers.
#[derive(Default)]
struct RowReader {
    files: Vec<(PathBuf, File)>,
    bytes: Vec<u8>,
    parsing: Option<(u8, Parsing)>,
}

thread_local! {
    static ROW_READER: RefCell<RowReader> = RefCell::new(RowReader::default());
}

/// Reads the bytes `from..to` of a CSV file, parses the row they start with and hands it to
/// `use_row`; the buffers are kept for the next row.
fn with_csv_row<T>(
    path: &Path,
    delimiter: u8,
    from: u64,
    to: u64,
    use_row: impl FnOnce(&SplitRow<'_>) -> T,
) -> Result<T, String> {
    ROW_READER.with(|reader| {
        let mut reader = reader.borrow_mut();
        let RowReader {
            files,
            bytes,
            parsing,
        } = &mut *reader;
        let file = match files.iter().position(|(p, _)| p == path) {
            Some(i) => &mut files[i].1,
            None => {
                let file =
                    File::open(path).map_err(|e| format!("cannot open the file again: {e}"))?;
                files.push((path.to_owned(), file));
                &mut files.last_mut().expect("just pushed").1
            }
        };
        let changed = |e: std::io::Error| {
            format!("cannot read the row again ({e}); expected the file unchanged during the run")
        };
        let length = usize::try_from(to.saturating_sub(from)).map_err(|e| e.to_string())?;
        bytes.resize(length, 0);
        read_at(file, bytes, from).map_err(changed)?;
        let parsing = match parsing {
            Some((d, parsing)) if *d == delimiter => parsing,
            _ => &mut parsing.insert((delimiter, Parsing::new(delimiter))).1,
        };
        let row = parsing
            .row(bytes)
            .ok_or("the row is gone; expected the file unchanged during the run")?;
        Ok(use_row(&row))
    })
}

/// Fills `buffer` from `offset`: one system call where the platform has positioned reads.
#[cfg(unix)]
fn read_at(file: &mut File, buffer: &mut [u8], offset: u64) -> std::io::Result<()> {
    std::os::unix::fs::FileExt::read_exact_at(file, buffer, offset)
}

#[cfg(not(unix))]
fn read_at(file: &mut File, buffer: &mut [u8], offset: u64) -> std::io::Result<()> {
    use std::io::{Read, Seek, SeekFrom};
    file.seek(SeekFrom::Start(offset))?;
    file.read_exact(buffer)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn row_lines_are_kept_only_where_they_jump() {
        let mut lines = RowLines::default();
        for (row, line) in [(0, 2), (1, 3), (2, 4), (3, 6), (4, 7), (5, 10)] {
            lines.push(row, line);
        }
        assert_eq!(lines.jumps, [(0, 2), (3, 6), (5, 10)]);
        let read: Vec<u64> = (0..6).map(|r| lines.line(r)).collect();
        assert_eq!(read, [2, 3, 4, 6, 7, 10]);
    }
}
