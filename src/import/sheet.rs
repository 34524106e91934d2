//! XLSX workbooks read as tables: the form of `template --format xlsx`, or a first sheet in the
//! CSV layout. A workbook is a zip of XML files that may claim or expand to any size, so what it
//! may expand to is bounded before the spreadsheet reader sees it, and its cells are read one by
//! one (never as a rectangle spanning the sheet's two farthest cells).

mod form;

use std::collections::BTreeMap;
use std::io::{Cursor, Read};
use std::path::Path;

use crate::Error;
use crate::diagnostic::Position;
use crate::model::Questionnaire;

/// The largest XLSX file read: a form is a few kilobytes, a sheet of 10,000 submissions a few
/// megabytes.
pub const MAX_XLSX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// The most all parts of a workbook may expand to, counted as they are inflated (the sizes a zip
/// declares can lie).
pub const MAX_XLSX_EXPANDED_BYTES: u64 = 256 * 1024 * 1024;

/// The most parts a workbook may hold; a real one has a few dozen.
const MAX_XLSX_PARTS: usize = 10_000;

/// The most non-empty cells read from the first sheet.
pub const MAX_SHEET_CELLS: usize = 5_000_000;

/// The most cells the rows of a sheet may span (rows with an answer × columns from the first
/// used one to the last), so that a few cells far apart cannot make millions of empty ones.
pub const MAX_SHEET_SPAN: u64 = 20_000_000;

/// The rows of the first sheet of a workbook, as a header and records in the CSV layout.
pub(super) struct Sheet {
    /// The header: the form's keys, or the sheet's first row.
    pub header: csv::ByteRecord,
    /// Each submission with its row number; blank rows are left out.
    pub rows: Vec<(u64, csv::ByteRecord)>,
    /// True for the form of `template --format xlsx` (one submission).
    pub form: bool,
    /// For the form, where each value of its row is in the sheet, by column of the header (the
    /// form's values are in rows of their own); empty for a sheet of rows.
    pub form_cells: Vec<Position>,
}

impl Sheet {
    /// Where the form holds the value of `column`; `None` for a sheet of rows.
    pub fn form_cell(&self, column: &str) -> Option<Position> {
        let index = self
            .header
            .iter()
            .position(|name| name == column.as_bytes())?;
        self.form_cells.get(index).copied()
    }
}

/// The non-empty cells of a sheet by (row, column), 0-based, as the text a CSV cell would hold.
type Cells = BTreeMap<(u32, u32), String>;

/// Reads an XLSX file: the form of `template --format xlsx` (one submission), or a first sheet
/// in the CSV layout (one row per submission).
pub(super) fn read_sheet(path: &Path, questionnaire: &Questionnaire) -> Result<Sheet, Error> {
    sheet_of_bytes(path, read_bounded(path)?, questionnaire)
}

/// `read_sheet` of a workbook's bytes; `path` names it in messages.
pub(super) fn sheet_of_bytes(
    path: &Path,
    bytes: Vec<u8>,
    questionnaire: &Questionnaire,
) -> Result<Sheet, Error> {
    use crate::template::xlsx::{KEY, QUESTIONNAIRE};
    let unreadable = |message: String| Error::Read {
        path: path.to_owned(),
        source: std::io::Error::other(message),
    };
    check_expansion(&bytes).map_err(unreadable)?;
    let cells = first_sheet_cells(bytes).map_err(unreadable)?;
    let form_row = cells
        .iter()
        .find(|((_, column), text)| *column == u32::from(KEY) && text.trim() == QUESTIONNAIRE)
        .map(|((row, _), _)| *row);
    if let Some(first) = form_row {
        return form::read_form(path, &cells, first, questionnaire);
    }
    let Some(((top, _), _)) = cells.first_key_value() else {
        return Ok(Sheet {
            header: csv::ByteRecord::new(),
            rows: Vec::new(),
            form: false,
            form_cells: Vec::new(),
        });
    };
    let top = *top;
    let left = cells.keys().map(|(_, column)| *column).min().unwrap_or(0);
    let right = cells.keys().map(|(_, column)| *column).max().unwrap_or(0);
    let width = u64::from(right - left) + 1;
    let mut by_row: BTreeMap<u32, Vec<(u32, &str)>> = BTreeMap::new();
    for ((row, column), text) in &cells {
        if !text.trim().is_empty() || *row == top {
            by_row.entry(*row).or_default().push((*column, text));
        }
    }
    let span = by_row.len() as u64 * width;
    if span > MAX_SHEET_SPAN {
        return Err(unreadable(format!(
            "the sheet's rows span {} rows × {width} columns; expected at most {MAX_SHEET_SPAN} cells (columns {} to {} are in use: is something written far to the right?)",
            by_row.len(),
            column_name(left),
            column_name(right),
        )));
    }
    let record = |row_cells: &[(u32, &str)]| {
        let mut record = csv::ByteRecord::new();
        let mut next = row_cells.iter().peekable();
        for column in left..=right {
            match next.peek() {
                Some((c, text)) if *c == column => {
                    record.push_field(text.as_bytes());
                    next.next();
                }
                _ => record.push_field(b""),
            }
        }
        record
    };
    let header = by_row.get(&top).map(|r| record(r)).unwrap_or_default();
    let rows = by_row
        .range(top + 1..)
        .map(|(row, row_cells)| (u64::from(*row) + 1, record(row_cells)))
        .collect();
    Ok(Sheet {
        header,
        rows,
        form: false,
        form_cells: Vec::new(),
    })
}

/// The file's bytes, refused beyond `MAX_XLSX_FILE_BYTES` before reading.
fn read_bounded(path: &Path) -> Result<Vec<u8>, Error> {
    let failed = |source| Error::Read {
        path: path.to_owned(),
        source,
    };
    let file = std::fs::File::open(path).map_err(failed)?;
    let length = file.metadata().map_err(failed)?.len();
    if length > MAX_XLSX_FILE_BYTES {
        return Err(failed(std::io::Error::other(format!(
            "the file is {:.1} MiB; expected an XLSX file of at most {} MiB",
            mebibytes(length),
            mebibytes(MAX_XLSX_FILE_BYTES)
        ))));
    }
    let mut bytes = Vec::new();
    file.take(MAX_XLSX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(failed)?;
    if bytes.len() as u64 > MAX_XLSX_FILE_BYTES {
        return Err(failed(std::io::Error::other(
            "the file grew while it was read; expected it unchanged during the run",
        )));
    }
    Ok(bytes)
}

/// Inflates every part of the workbook into nothing, counting: refuses a workbook with too many
/// parts or whose parts expand beyond `MAX_XLSX_EXPANDED_BYTES`, whatever sizes it declares.
fn check_expansion(bytes: &[u8]) -> Result<(), String> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| format!("not a readable XLSX file: {e}"))?;
    if archive.len() > MAX_XLSX_PARTS {
        return Err(format!(
            "the workbook holds {} parts; expected at most {MAX_XLSX_PARTS}",
            archive.len()
        ));
    }
    let mut expanded: u64 = 0;
    for index in 0..archive.len() {
        let mut part = archive
            .by_index(index)
            .map_err(|e| format!("not a readable XLSX file: {e}"))?;
        let name = part
            .name()
            .map_or_else(|_| format!("#{index}"), |n| n.escape_debug().to_string());
        let room = MAX_XLSX_EXPANDED_BYTES - expanded;
        // Only a sheet's own XML holds references; the shared strings hold respondents' text.
        let mut references = References {
            done: !name.starts_with("xl/worksheets/"),
            ..References::default()
        };
        let inflated = std::io::copy(&mut (&mut part).take(room + 1), &mut references)
            .map_err(|e| format!("not a readable XLSX file: part `{name}`: {e}"))?;
        if let Some(bad) = references.out_of_range {
            return Err(format!(
                "part `{name}` holds the cell reference `{bad}`; expected references within A1:XFD1048576"
            ));
        }
        if inflated > room {
            return Err(format!(
                "the workbook expands to more than {} MiB (at part `{name}`); expected an XLSX file whose parts expand to at most that",
                mebibytes(MAX_XLSX_EXPANDED_BYTES)
            ));
        }
        expanded += inflated;
    }
    Ok(())
}

/// A sink that looks at the cell references (`r="…"`, `ref="…"`) of the XML flowing through it:
/// the spreadsheet reader computes a reference's column and row without a bound, so one that no
/// sheet can hold (more than three letters or seven digits) is refused before it reads it.
#[derive(Default)]
struct References {
    /// The end of what came before, where a reference may have begun.
    tail: Vec<u8>,
    /// The first reference out of range.
    out_of_range: Option<String>,
    /// True when there is nothing (more) to look at.
    done: bool,
}

impl References {
    /// The longest reference looked at, with its quotes, and room to find its start again.
    const WINDOW: usize = 64;

    fn scan(&mut self, data: &[u8]) {
        for pattern in [&b" r=\""[..], &b" ref=\""[..]] {
            for start in memchr::memmem::find_iter(data, pattern) {
                let value = &data[start + pattern.len()..];
                let Some(end) = memchr::memchr(b'"', value) else {
                    if value.len() > Self::WINDOW / 2 {
                        self.out_of_range =
                            Some(String::from_utf8_lossy(&value[..16]).into_owned() + "…");
                    }
                    continue;
                };
                let value = &value[..end];
                if !reference_in_range(value) {
                    self.out_of_range = Some(String::from_utf8_lossy(value).into_owned());
                }
            }
        }
    }
}

impl std::io::Write for References {
    fn write(&mut self, chunk: &[u8]) -> std::io::Result<usize> {
        if !self.done && self.out_of_range.is_none() {
            let mut data = std::mem::take(&mut self.tail);
            data.extend_from_slice(chunk);
            self.scan(&data);
            let keep = data.len().saturating_sub(Self::WINDOW);
            data.drain(..keep);
            self.tail = data;
        }
        Ok(chunk.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Whether each part of a reference (`B7`, `A1:C9`) has at most three letters and seven digits;
/// anything else in it is left to the spreadsheet reader.
fn reference_in_range(value: &[u8]) -> bool {
    value.split(|&b| b == b':').all(|part| {
        let letters = part.iter().take_while(|b| b.is_ascii_alphabetic()).count();
        let digits = part[letters..]
            .iter()
            .take_while(|b| b.is_ascii_digit())
            .count();
        letters <= 3 && digits <= 7
    })
}

/// The non-empty cells of the first sheet, at most `MAX_SHEET_CELLS`.
fn first_sheet_cells(bytes: Vec<u8>) -> Result<Cells, String> {
    use calamine::Reader;
    let mut workbook = calamine::Xlsx::new(Cursor::new(bytes))
        .map_err(|e| format!("not a readable XLSX file: {e}"))?;
    let Some(first) = workbook.sheet_names().into_iter().next() else {
        return Err("the workbook has no sheet".to_owned());
    };
    let mut reader = workbook
        .worksheet_cells_reader(&first)
        .map_err(|e| e.to_string())?;
    let mut cells = Cells::new();
    while let Some(cell) = reader.next_cell().map_err(|e| e.to_string())? {
        let text = sheet_cell(cell.get_value());
        if text.is_empty() {
            continue;
        }
        if cells.len() == MAX_SHEET_CELLS {
            return Err(format!(
                "the first sheet has more than {MAX_SHEET_CELLS} cells in use; expected at most that"
            ));
        }
        cells.insert(cell.get_position(), text);
    }
    Ok(cells)
}

/// A cell of a spreadsheet as the text a CSV cell would hold.
fn sheet_cell(cell: &calamine::DataRef<'_>) -> String {
    use calamine::DataRef;
    match cell {
        DataRef::Empty => String::new(),
        DataRef::String(s) => s.clone(),
        DataRef::SharedString(s) => (*s).to_owned(),
        DataRef::Float(f) => crate::numbers::format_number(*f),
        DataRef::Int(i) => i.to_string(),
        DataRef::Bool(true) => "yes".to_owned(),
        DataRef::Bool(false) => "no".to_owned(),
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s.clone(),
        DataRef::DateTime(dt) if dt.is_datetime() => {
            date_time_text(dt).unwrap_or_else(|| dt.as_f64().to_string())
        }
        DataRef::DateTime(dt) => dt.as_f64().to_string(),
        DataRef::Error(e) => format!("#{e:?}"),
    }
}

/// A date and time cell (a serial number shown as a date) as the date and time it shows, such as
/// `2026-03-14T10:00:00`: a spreadsheet keeps no time zone. `None` for a number no calendar has.
fn date_time_text(cell: &calamine::ExcelDateTime) -> Option<String> {
    let (year, month, day, hour, minute, second, milli) = cell.to_ymd_hms_milli();
    let time = jiff::civil::DateTime::new(
        i16::try_from(year).ok()?,
        i8::try_from(month).ok()?,
        i8::try_from(day).ok()?,
        i8::try_from(hour).ok()?,
        i8::try_from(minute).ok()?,
        i8::try_from(second).ok()?,
        i32::from(milli) * 1_000_000,
    )
    .ok()?;
    Some(time.to_string())
}

fn record_of<'a>(cells: impl IntoIterator<Item = &'a str>) -> csv::ByteRecord {
    let mut record = csv::ByteRecord::new();
    for cell in cells {
        record.push_field(cell.as_bytes());
    }
    record
}

fn mebibytes(bytes: u64) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}

/// A 0-based column as a spreadsheet names it: 0 → A, 26 → AA.
fn column_name(column: u32) -> String {
    let mut name = Vec::new();
    let mut n = u64::from(column) + 1;
    while n > 0 {
        let digit = ((n - 1) % 26) as u8;
        name.push(b'A' + digit);
        n = (n - 1) / 26;
    }
    name.reverse();
    String::from_utf8_lossy(&name).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_no_sheet_can_hold_are_found_even_across_chunks() {
        use std::io::Write;
        let xml =
            b"<row r=\"1\"><c r=\"A1\"/><c r=\"XFD1048576\"/></row><dimension ref=\"A1:C9\"/>";
        let mut fine = References::default();
        fine.write_all(xml).unwrap();
        assert_eq!(fine.out_of_range, None);
        let bad = b"<c r=\"A1\"/><c r=\"ZZZZZZZZ1\"/>";
        for split in 0..bad.len() {
            let mut references = References::default();
            references.write_all(&bad[..split]).unwrap();
            references.write_all(&bad[split..]).unwrap();
            assert_eq!(
                references.out_of_range.as_deref(),
                Some("ZZZZZZZZ1"),
                "{split}"
            );
        }
        let mut rows = References::default();
        rows.write_all(b"<row r=\"99999999999\">").unwrap();
        assert!(rows.out_of_range.is_some());
    }

    #[test]
    fn columns_are_named_as_in_a_spreadsheet() {
        assert_eq!(column_name(0), "A");
        assert_eq!(column_name(25), "Z");
        assert_eq!(column_name(26), "AA");
        assert_eq!(column_name(16383), "XFD");
    }
}
