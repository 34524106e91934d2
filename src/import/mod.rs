//! Importing submissions from CSV (the layout of `template --format csv`): rows streamed one at a
//! time, each checked like a response file and written as one, atomically; bad rows copied into a
//! rejects file with their row number, column and reason.

pub mod map;
pub mod matching;
pub(crate) mod rows;
mod sheet;
pub mod table;

use std::collections::HashMap;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::{Arc, mpsc};

use crate::Error;
use crate::diagnostic::At;
use crate::diagnostic::{Diagnostic, Position};
use crate::fsio::{csv_cell, csv_cell_bytes, csv_text_of, safe_file_name, write_atomic_in_batch};
use crate::load::check_response;
use crate::model::doc::{AnswerDoc, AnswersDoc, RespondentDoc, ResponseDoc, ScalarText};
use crate::model::write::response_to_yaml;
use crate::model::{Answer, CountryCode, Questionnaire, Response, Round};
use crate::template::CSV_FIXED_COLUMNS;
use matching::{OptionNames, PlainCell, cell_answer, cell_value, evidence_links, unprotect};
use rows::Cells;

/// A multi selection as a cell of the import layout: option ids separated by `; `, and `[]` for
/// none (an empty cell is no answer at all).
pub(crate) fn multi_cell(question: &crate::model::Question, bits: u64) -> String {
    if bits == 0 {
        return "[]".to_owned();
    }
    question
        .selected(bits)
        .map(|o| o.id.as_str())
        .collect::<Vec<_>>()
        .join("; ")
}

/// Where imported responses go and whether they may replace different files.
#[derive(Clone)]
pub struct ImportOptions {
    /// Folder of the response files.
    pub out: PathBuf,
    /// Replace existing files that differ.
    pub force: bool,
    /// Called after each row, for a progress display.
    pub on_row: Option<std::sync::Arc<dyn Fn() + Send + Sync>>,
    /// How to read a survey tool's export, when it is not in the import layout.
    pub map: Option<map::MapDoc>,
}

impl std::fmt::Debug for ImportOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ImportOptions")
            .field("out", &self.out)
            .field("force", &self.force)
            .finish()
    }
}

/// Counts of one import.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct ImportCounts {
    /// Data rows read.
    pub rows: u64,
    /// Response files written (new or replaced).
    pub written: u64,
    /// Rows whose file already held the same response.
    pub unchanged: u64,
    /// Rows rejected.
    pub rejected: u64,
}

impl ImportCounts {
    /// Counts one row's outcome; a rejected row goes, as it came, into `rejects`.
    fn tally(
        &mut self,
        outcome: Result<RowOutcome, (String, String)>,
        rejects: &mut Rejects,
        header: &[Vec<u8>],
        line: u64,
        original: &csv::ByteRecord,
    ) -> Result<(), Error> {
        match outcome {
            Ok(RowOutcome::Written) => self.written += 1,
            Ok(RowOutcome::Unchanged) => self.unchanged += 1,
            Err((column, reason)) => {
                rejects.add(header, line, &column, &reason, original)?;
                self.rejected += 1;
            }
        }
        Ok(())
    }
}

/// The rejects file: each bad row with its row number, column and reason, then its cells.
pub struct Rejects {
    path: PathBuf,
    writer: csv::Writer<tempfile::NamedTempFile>,
    header: Option<Vec<Vec<u8>>>,
    count: u64,
}

impl Rejects {
    /// A rejects file to be written at `path` when `finish` is called, if any row was rejected.
    pub fn new(path: &Path) -> Result<Rejects, Error> {
        let dir = match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        let failed = |source| Error::Write {
            path: path.to_owned(),
            source,
        };
        std::fs::create_dir_all(dir).map_err(failed)?;
        let temp = crate::fsio::temp_file_in(dir).map_err(failed)?;
        crate::fsio::keep_permissions(path, temp.as_file()).map_err(failed)?;
        // Flexible: a rejected row keeps the number of fields it came with.
        let writer = csv::WriterBuilder::new().flexible(true).from_writer(temp);
        Ok(Rejects {
            path: path.to_owned(),
            writer,
            header: None,
            count: 0,
        })
    }

    fn add(
        &mut self,
        header: &[Vec<u8>],
        row: u64,
        column: &str,
        reason: &str,
        cells: &csv::ByteRecord,
    ) -> Result<(), Error> {
        let failed = |e: csv::Error| Error::Write {
            path: self.path.clone(),
            source: e.into(),
        };
        if self.header.as_deref() != Some(header) {
            let mut first: Vec<Vec<u8>> = ["row", "column", "reason"]
                .iter()
                .map(|h| h.as_bytes().to_vec())
                .collect();
            first.extend(header.iter().map(|cell| csv_cell_bytes(cell).into_owned()));
            self.writer.write_record(&first).map_err(failed)?;
            self.header = Some(header.to_vec());
        }
        let mut record: Vec<Vec<u8>> = vec![
            row.to_string().into_bytes(),
            csv_cell(column).as_bytes().to_vec(),
            csv_cell(reason).as_bytes().to_vec(),
        ];
        // Bytes that are not text are kept as they came (the row is copied, not repaired), but
        // never as a formula.
        record.extend(cells.iter().map(|cell| csv_cell_bytes(cell).into_owned()));
        self.writer.write_record(&record).map_err(failed)?;
        self.count += 1;
        Ok(())
    }

    /// Rows rejected so far.
    pub fn count(&self) -> u64 {
        self.count
    }

    /// Writes the rejects file if any row was rejected (and returns its path). With no rejected
    /// row, a rejects file left by an earlier run is emptied down to its header, so that it never
    /// lists rows this run imported.
    pub fn finish(mut self) -> Result<Option<PathBuf>, Error> {
        if self.count == 0 {
            if self.path.exists() {
                let failed = |e: csv::Error| Error::Write {
                    path: self.path.clone(),
                    source: e.into(),
                };
                self.writer
                    .write_record(["row", "column", "reason"])
                    .map_err(failed)?;
                let path = self.path.clone();
                let temp = self.writer.into_inner().map_err(|e| Error::Write {
                    path: path.clone(),
                    source: e.into_error(),
                })?;
                temp.persist(&path).map_err(|e| Error::Write {
                    path: path.clone(),
                    source: e.error,
                })?;
            }
            return Ok(None);
        }
        let path = self.path;
        let failed = |source| Error::Write {
            path: path.clone(),
            source,
        };
        let temp = self
            .writer
            .into_inner()
            .map_err(|e| failed(e.into_error()))?;
        temp.as_file().sync_all().map_err(failed)?;
        temp.persist(&path).map_err(|e| failed(e.error))?;
        Ok(Some(path))
    }
}

/// The column layout of one CSV file.
pub(crate) struct Layout {
    header: Vec<Vec<u8>>,
    names: Vec<String>,
    country: usize,
    round: usize,
    name: Option<usize>,
    organization: Option<usize>,
    submitted: Option<usize>,
    /// (column, question position).
    questions: Vec<(usize, usize)>,
    /// For each of `questions`, the columns of its note and evidence.
    extras: Vec<Extras>,
}

/// The columns that add to a question's answer: `<id>.note` and `<id>.evidence`.
#[derive(Debug, Clone, Copy, Default)]
struct Extras {
    note: Option<usize>,
    evidence: Option<usize>,
}

/// The question position of a `<id>.note` or `<id>.evidence` column, with which of them it is.
fn extra_column(questionnaire: &Questionnaire, name: &str) -> Option<(usize, bool)> {
    let (id, is_note) = match name.strip_suffix(".note") {
        Some(id) => (id, true),
        None => (name.strip_suffix(".evidence")?, false),
    };
    Some((questionnaire.question_position(id)?, is_note))
}

/// Reads a header into the import layout: which column holds which field and which question,
/// with a warning for each column that is neither.
pub(crate) fn layout(
    path: &Path,
    header: &csv::ByteRecord,
    questionnaire: &Questionnaire,
) -> Result<(Layout, Vec<Diagnostic>), Error> {
    let mut names: Vec<String> = header
        .iter()
        .map(|h| String::from_utf8_lossy(h).trim().to_owned())
        .collect();
    if let Some(first) = names.first_mut() {
        *first = first.trim_start_matches('\u{feff}').to_owned();
    }
    let find = |wanted: &str| names.iter().position(|n| n.eq_ignore_ascii_case(wanted));
    let mut warnings = Vec::new();
    let missing: Vec<&str> = ["country", "round"]
        .into_iter()
        .filter(|c| find(c).is_none())
        .collect();
    if !missing.is_empty() {
        return Err(Error::Invalid(vec![Diagnostic::error(
            path,
            Position::new(1, 1),
            format!(
                "missing required column {}; expected a header row with {} and one column per question id",
                missing
                    .iter()
                    .map(|c| format!("`{c}`"))
                    .collect::<Vec<_>>()
                    .join(" and "),
                CSV_FIXED_COLUMNS.join(", ")
            ),
        )]));
    }
    // A column read twice would write its answer twice (a file no reader accepts), or
    // silently prefer one of two different answers. Columns that are ignored may repeat.
    let is_read = |name: &str| {
        CSV_FIXED_COLUMNS
            .iter()
            .any(|c| name.eq_ignore_ascii_case(c))
            || questionnaire.question_position(name).is_some()
            || extra_column(questionnaire, name).is_some()
    };
    for (column, name) in names.iter().enumerate().filter(|(_, n)| is_read(n)) {
        let twin = names[..column]
            .iter()
            .position(|earlier| earlier.eq_ignore_ascii_case(name));
        if let Some(first) = twin {
            return Err(Error::Invalid(vec![Diagnostic::error(
                path,
                Position::new(1, column as u64 + 1),
                format!(
                    "column `{}` repeats column {}; expected each column once",
                    name.escape_debug(),
                    first + 1
                ),
            )]));
        }
    }
    let mut questions = Vec::new();
    let mut extra_columns = Vec::new();
    for (column, name) in names.iter().enumerate() {
        if CSV_FIXED_COLUMNS
            .iter()
            .any(|c| name.eq_ignore_ascii_case(c))
            || name.is_empty()
        {
            continue;
        }
        if let Some(q) = questionnaire.question_position(name) {
            questions.push((column, q));
        } else if let Some((q, is_note)) = extra_column(questionnaire, name) {
            extra_columns.push((column, q, is_note));
        } else {
            warnings.push(Diagnostic::warning(
                path,
                Position::new(1, column as u64 + 1),
                format!(
                    "column `{name}` is not a question of {}; ignored",
                    questionnaire.reference()
                ),
            ));
        }
    }
    let extras = questions
        .iter()
        .map(|&(_, q)| {
            let find = |note: bool| {
                extra_columns
                    .iter()
                    .find(|&&(_, eq, is_note)| eq == q && is_note == note)
                    .map(|&(column, _, _)| column)
            };
            Extras {
                note: find(true),
                evidence: find(false),
            }
        })
        .collect();
    let layout = Layout {
        header: header.iter().map(<[u8]>::to_vec).collect(),
        country: find("country").unwrap_or(0),
        round: find("round").unwrap_or(0),
        name: find("respondent_name"),
        organization: find("respondent_organization"),
        submitted: find("submitted"),
        names,
        questions,
        extras,
    };
    Ok((layout, warnings))
}

/// The first 64 KiB of a CSV file, where the header of any file worth importing is, refused
/// when they are UTF-16 (as some spreadsheets save "Unicode text"), which would otherwise read as
/// a header without the required columns.
fn file_start(path: &Path) -> Result<Vec<u8>, Error> {
    use std::io::Read;
    let mut start = Vec::new();
    File::open(path)
        .and_then(|f| f.take(64 * 1024).read_to_end(&mut start))
        .map_err(|source| Error::Read {
            path: path.to_owned(),
            source,
        })?;
    let utf16 = start.starts_with(&[0xFF, 0xFE])
        || start.starts_with(&[0xFE, 0xFF])
        || start.iter().take(512).filter(|&&b| b == 0).count() > 1;
    if utf16 {
        return Err(Error::Invalid(vec![Diagnostic::error(
            path,
            Position::new(1, 1),
            "the file is UTF-16 text; expected UTF-8 (in a spreadsheet, save it as \"CSV UTF-8\")",
        )]));
    }
    Ok(start)
}

/// Picks `;` when the header line has more of them than commas (spreadsheets in many locales).
pub(crate) fn delimiter_of(start: &[u8]) -> u8 {
    let first = start.split(|&b| b == b'\n').next().unwrap_or_default();
    let semicolons = first.iter().filter(|&&b| b == b';').count();
    let commas = first.iter().filter(|&&b| b == b',').count();
    if semicolons > commas { b';' } else { b',' }
}

/// A CSV file with its header read: the reader at the first row, and how the rows read.
struct OpenCsv {
    reader: csv::Reader<File>,
    delimiter: u8,
    /// The header as written in the file.
    header: csv::ByteRecord,
    /// The map's conversion into the import layout, when a map is given.
    plan: Option<map::Plan>,
    layout: Layout,
    warnings: Vec<Diagnostic>,
}

/// Opens a CSV file and reads its header, through `map` when one is given; an empty file or a
/// header without `country` and `round` fails the whole file.
fn open_csv(
    path: &Path,
    questionnaire: &Questionnaire,
    map: Option<&map::MapDoc>,
) -> Result<OpenCsv, Error> {
    let start = file_start(path)?;
    let delimiter = match map.and_then(map::MapDoc::delimiter) {
        Some(byte) => byte,
        None => delimiter_of(&start),
    };
    let mut reader = csv_reader(path, delimiter)?;
    let mut header = csv::ByteRecord::new();
    let read = reader
        .read_byte_record(&mut header)
        .map_err(|e| Error::Read {
            path: path.to_owned(),
            source: e.into(),
        })?;
    if !read {
        return Err(Error::Invalid(vec![Diagnostic::error(
            path,
            Position::default(),
            "empty file; expected a header row and one row per submission",
        )]));
    }
    let plan = map.map(|m| map::Plan::new(m, &header, questionnaire));
    let (layout, warnings) = layout(
        path,
        plan.as_ref().map_or(&header, |p| &p.header),
        questionnaire,
    )?;
    Ok(OpenCsv {
        reader,
        delimiter,
        header,
        plan,
        layout,
        warnings,
    })
}

/// The rows after the header `reader` has read, found by `CsvRows` from where the header ends.
/// How many delimiters a line needs to look like a row of a file whose header has `columns`
/// cells: all of them, or one for a header of one cell.
pub(crate) fn row_delimiters(columns: usize) -> usize {
    columns.saturating_sub(1).max(1)
}

fn rows_after_header(
    path: &Path,
    reader: csv::Reader<File>,
    delimiter: u8,
) -> Result<rows::CsvRows<File>, Error> {
    let after_header = reader.position().clone();
    drop(reader);
    let unreadable = |source: std::io::Error| Error::Read {
        path: path.to_owned(),
        source,
    };
    let mut file = File::open(path).map_err(unreadable)?;
    std::io::Seek::seek(&mut file, std::io::SeekFrom::Start(after_header.byte()))
        .map_err(unreadable)?;
    Ok(rows::CsvRows::new(
        file,
        delimiter,
        after_header.byte(),
        after_header.line(),
    ))
}

/// How the rows of a sheet read: through `map` for a sheet of rows (a survey tool's export), never
/// for the form, whose layout is our own.
fn sheet_layout(
    path: &Path,
    sheet: &sheet::Sheet,
    questionnaire: &Questionnaire,
    map: Option<&map::MapDoc>,
) -> Result<(Option<map::Plan>, Layout, Vec<Diagnostic>), Error> {
    let plan = map
        .filter(|_| !sheet.form)
        .map(|m| map::Plan::new(m, &sheet.header, questionnaire));
    let header = plan.as_ref().map_or(&sheet.header, |p| &p.header);
    let (layout, warnings) = layout(path, header, questionnaire)?;
    Ok((plan, layout, warnings))
}

/// Imports one CSV file: every good row becomes a response file, every bad row a line of `rejects`.
pub fn import_csv(
    path: &Path,
    questionnaire: &Questionnaire,
    options: &ImportOptions,
    rejects: &mut Rejects,
    run: &mut ImportRun,
) -> Result<(ImportCounts, Vec<Diagnostic>), Error> {
    let OpenCsv {
        reader,
        delimiter,
        header,
        plan,
        layout,
        warnings,
    } = open_csv(path, questionnaire, options.map.as_ref())?;
    // Rejected rows are copied as they came, under the file's own header.
    let source_header: Arc<Vec<Vec<u8>>> = Arc::new(header.iter().map(<[u8]>::to_vec).collect());
    let row_delimiters = row_delimiters(header.len());
    let mut rows = rows_after_header(path, reader, delimiter)?;
    let names = OptionNames::new(questionnaire);
    let mut counts = ImportCounts::default();
    loop {
        let line = match rows.next_row() {
            Ok(Some(start)) => start.line,
            Ok(None) => break,
            Err(e) => {
                rejects.add(
                    &source_header,
                    0,
                    "",
                    &format!("cannot read the rest of the file: {e}"),
                    &csv::ByteRecord::new(),
                )?;
                counts.rejected += 1;
                break;
            }
        };
        counts.rows += 1;
        if let Some(on_row) = &options.on_row {
            on_row();
        }
        // A quote left open reads the rows after it into one cell: the row goes, whole, into
        // the rejects, where those rows can be found and mended.
        let run_on = rows.run_on(row_delimiters);
        if let Some((run_on, reason)) = run_on.and_then(|r| Some((r, r.swallowed_rows(line)?))) {
            let record = rows.record();
            let column = source_header
                .get(run_on.cell)
                .map(|name| String::from_utf8_lossy(name).into_owned())
                .unwrap_or_default();
            counts.tally(Err((column, reason)), rejects, &source_header, line, record)?;
            continue;
        }
        let record = rows.record();
        let converted = plan.as_ref().map(|p| p.convert(record.iter()));
        let outcome = import_row(
            path,
            questionnaire,
            &names,
            &layout,
            converted.as_ref().unwrap_or(record),
            RowSource {
                header: &source_header,
                line,
                original: record,
            },
            options,
            run,
        );
        counts.tally(outcome, rejects, &source_header, line, record)?;
    }
    Ok((counts, warnings))
}

enum RowOutcome {
    Written,
    Unchanged,
}

/// A row as it came: what a rejects file copies.
#[derive(Clone, Copy)]
struct RowSource<'a> {
    header: &'a Arc<Vec<Vec<u8>>>,
    line: u64,
    original: &'a csv::ByteRecord,
}

#[allow(clippy::too_many_arguments)]
fn import_row(
    path: &Path,
    questionnaire: &Questionnaire,
    names: &OptionNames,
    layout: &Layout,
    record: &csv::ByteRecord,
    source: RowSource,
    options: &ImportOptions,
    run: &mut ImportRun,
) -> Result<RowOutcome, (String, String)> {
    let response = row_response(path, questionnaire, names, layout, record, source.line)?;
    write_row(questionnaire, response, source, options, run)
}

/// What an import keeps across its files: the response files named so far, and the threads
/// that write them. Each write waits for the disk (fsync), so several at once finish sooner.
pub struct ImportRun {
    /// Each response file named so far, with the respondent it belongs to.
    seen: HashMap<PathBuf, String>,
    jobs: Option<mpsc::SyncSender<WriteJob>>,
    writers: Vec<std::thread::JoinHandle<Vec<(WriteJob, String)>>>,
}

impl Drop for ImportRun {
    /// An import that stops early still completes the files it queued.
    fn drop(&mut self) {
        drop(self.jobs.take());
        for writer in self.writers.drain(..) {
            let _ = writer.join();
        }
    }
}

/// A response file to write, with the row it comes from.
struct WriteJob {
    file: PathBuf,
    yaml: String,
    header: Arc<Vec<Vec<u8>>>,
    line: u64,
    original: csv::ByteRecord,
}

/// Files written at once: enough to keep the disk busy, few enough to be cheap.
const WRITERS: usize = 8;

impl Default for ImportRun {
    fn default() -> Self {
        Self::new()
    }
}

impl ImportRun {
    /// Starts the writing threads.
    pub fn new() -> ImportRun {
        let (jobs, queue) = mpsc::sync_channel::<WriteJob>(4 * WRITERS);
        let queue = Arc::new(std::sync::Mutex::new(queue));
        let writers = (0..WRITERS)
            .map(|_| {
                let queue = Arc::clone(&queue);
                std::thread::spawn(move || {
                    let mut failed = Vec::new();
                    loop {
                        let job = queue.lock().unwrap_or_else(|e| e.into_inner()).recv();
                        let Ok(job) = job else {
                            return failed;
                        };
                        // The folder is synced once at the end of the import.
                        if let Err(e) = write_atomic_in_batch(&job.file, job.yaml.as_bytes()) {
                            failed.push((job, e.to_string()));
                        }
                    }
                })
            })
            .collect();
        ImportRun {
            seen: HashMap::new(),
            jobs: Some(jobs),
            writers,
        }
    }

    fn write(&self, job: WriteJob) -> Result<(), (String, String)> {
        let sent = self.jobs.as_ref().map(|jobs| jobs.send(job));
        match sent {
            Some(Ok(())) => Ok(()),
            _ => Err((String::new(), "the writing threads stopped".to_owned())),
        }
    }

    /// Waits for every file to be written; rows whose file could not be written go into
    /// `rejects`, and `counts` says so.
    pub fn finish(mut self, rejects: &mut Rejects, counts: &mut ImportCounts) -> Result<(), Error> {
        drop(self.jobs.take());
        for writer in std::mem::take(&mut self.writers) {
            let failed = writer
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            for (job, reason) in failed {
                rejects.add(&job.header, job.line, "", &reason, &job.original)?;
                counts.written -= 1;
                counts.rejected += 1;
            }
        }
        Ok(())
    }
}

/// A row checked like a response file, or the column and reason it was refused for.
pub(crate) fn row_response(
    path: &Path,
    questionnaire: &Questionnaire,
    names: &OptionNames,
    layout: &Layout,
    record: &impl Cells,
    line: u64,
) -> Result<Response, (String, String)> {
    match plain_row_response(questionnaire, names, layout, record) {
        Some(response) => Ok(response),
        None => checked_row_response(path, questionnaire, names, layout, record, line),
    }
}

/// The response of a row whose every cell reads plainly, without the document the checks work
/// on; `None` sends the row through the checks, which find what is wrong or read what is unusual.
pub(crate) fn plain_row_response(
    questionnaire: &Questionnaire,
    names: &OptionNames,
    layout: &Layout,
    record: &impl Cells,
) -> Option<Response> {
    if record.count() != layout.header.len() {
        return None;
    }
    // Checked once for the whole row; a cell that is not text on its own goes to the checks.
    let text = std::str::from_utf8(record.bytes()).ok()?;
    // Cells may lie side by side in the bytes: a character split over two of them leaves the
    // row valid and both cells not.
    let whole = |i: usize| {
        record
            .range(i)
            .is_some_and(|r| text.is_char_boundary(r.start) && text.is_char_boundary(r.end))
    };
    if !(0..record.count()).all(whole) {
        return None;
    }
    let cell = |column: usize| -> Option<&str> { text.get(record.range(column)?) };
    let optional = |column: Option<usize>| -> Option<Option<String>> {
        match column {
            None => Some(None),
            Some(c) => Some(optional_text(cell(c)?)),
        }
    };
    let country = CountryCode::parse(unprotect(cell(layout.country)?.trim())).ok()?;
    let round = Round::parse(unprotect(cell(layout.round)?.trim()))?;
    let submitted = match optional(layout.submitted)? {
        Some(text) => Some(submitted_time(&text)?),
        None => None,
    };
    let respondent = RespondentDoc {
        name: optional(layout.name)?,
        organization: optional(layout.organization)?,
    };
    let mut answers = Vec::with_capacity(layout.questions.len());
    for (&(column, q), extras) in layout.questions.iter().zip(&layout.extras) {
        let value = match cell_value(questionnaire, names, q, cell(column)?) {
            PlainCell::Empty => continue,
            PlainCell::Answer(value) => value,
            PlainCell::NeedsChecks => return None,
        };
        let note = match extras.note {
            Some(c) => note_text(cell(c)?),
            None => None,
        };
        let evidence = match extras.evidence {
            Some(c) => evidence_links(cell(c)?),
            None => Vec::new(),
        };
        answers.push((
            q,
            Answer {
                value,
                note,
                evidence,
            },
        ));
    }
    Some(Response {
        country,
        round,
        respondent,
        submitted,
        answers,
    })
}

/// A respondent's name or organization: none for an empty cell, unless the cell marks an empty
/// text to be taken as written.
fn optional_text(cell: &str) -> Option<String> {
    let (text, marked) = csv_text_of(cell.trim());
    (marked || !text.is_empty()).then(|| text.to_owned())
}

/// When a row was submitted: an RFC 3339 timestamp, or a date and time without a time zone (as a
/// spreadsheet holds one, `2026-03-14T10:00:00` or `2026-03-14 10:00`) or a date alone, taken
/// as UTC.
pub(crate) fn submitted_time(cell: &str) -> Option<jiff::Timestamp> {
    if let Ok(time) = cell.parse::<jiff::Timestamp>() {
        return Some(time);
    }
    // A time zone by name needs a database of zones, which the tool does not carry: such a time
    // is refused rather than read in UTC.
    if cell.contains('[') {
        return None;
    }
    let civil = cell.parse::<jiff::civil::DateTime>().ok()?;
    jiff::tz::Offset::UTC.to_timestamp(civil).ok()
}

/// A note: none for an empty cell.
fn note_text(cell: &str) -> Option<String> {
    Some(unprotect(cell.trim()))
        .filter(|note| !note.is_empty())
        .map(str::to_owned)
}

/// A row made into a response document and checked like a response file, for the reasons a
/// refused row is given.
pub(crate) fn checked_row_response(
    path: &Path,
    questionnaire: &Questionnaire,
    names: &OptionNames,
    layout: &Layout,
    record: &impl Cells,
    line: u64,
) -> Result<Response, (String, String)> {
    if record.count() != layout.header.len() {
        return Err((
            String::new(),
            format!(
                "the row has {} fields; expected {}, as in the header",
                record.count(),
                layout.header.len()
            ),
        ));
    }
    let mut cells = Vec::with_capacity(record.count());
    for (column, bytes) in record.cells().enumerate() {
        match std::str::from_utf8(bytes) {
            Ok(text) => cells.push(text),
            Err(e) => {
                return Err((
                    layout.names[column].clone(),
                    format!(
                        "invalid UTF-8 (byte {} of the cell); expected UTF-8 text (save the file as CSV UTF-8)",
                        e.valid_up_to() + 1
                    ),
                ));
            }
        }
    }
    let at = |column: usize| Position::new(line, column as u64 + 1);
    let text = |column: usize| At::new(unprotect(cells[column].trim()).to_owned(), at(column));
    let optional = |column: Option<usize>| column.and_then(|c| optional_text(cells[c]));
    let mut answers = Vec::new();
    for (&(column, q), extras) in layout.questions.iter().zip(&layout.extras) {
        let Some(value) = cell_answer(questionnaire, names, q, cells[column], at(column)) else {
            continue;
        };
        let note = extras.note.and_then(|c| note_text(cells[c]));
        let evidence = extras
            .evidence
            .map(|c| evidence_links(cells[c]))
            .unwrap_or_default();
        let value = At::new(value, at(column));
        let answer = if note.is_some() || !evidence.is_empty() {
            At::new(
                AnswerDoc::Detailed {
                    value: Box::new(value),
                    note,
                    evidence,
                },
                at(column),
            )
        } else {
            value
        };
        answers.push((
            At::new(questionnaire.questions[q].id.clone(), at(column)),
            answer,
        ));
    }
    let doc = ResponseDoc {
        questionnaire: At::new(questionnaire.reference(), at(0)),
        country: text(layout.country),
        round: At::new(ScalarText(text(layout.round).value), at(layout.round)),
        respondent: Some(RespondentDoc {
            name: optional(layout.name),
            organization: optional(layout.organization),
        }),
        submitted: layout.submitted.and_then(|c| {
            optional(Some(c)).map(|s| {
                let s = submitted_time(&s).map_or(s, |t| t.to_string());
                At::new(ScalarText(s), at(c))
            })
        }),
        answers: AnswersDoc(answers),
    };
    let response = match check_response(path, &doc, questionnaire) {
        Ok((response, _)) => response,
        Err(found) => {
            let errors: Vec<&Diagnostic> = found.iter().filter(|d| d.is_error()).collect();
            let column = errors
                .first()
                .and_then(|d| {
                    layout
                        .names
                        .get((d.position.column as usize).saturating_sub(1))
                })
                .cloned()
                .unwrap_or_default();
            let reason = errors
                .iter()
                .map(|d| d.message.as_str())
                .collect::<Vec<_>>()
                .join("; ");
            return Err((column, reason));
        }
    };
    Ok(response)
}

fn write_row(
    questionnaire: &Questionnaire,
    response: Response,
    source: RowSource,
    options: &ImportOptions,
    run: &mut ImportRun,
) -> Result<RowOutcome, (String, String)> {
    let who = owner(&response.respondent);
    let stem = format!(
        "{}-{}-{}",
        safe_file_name(response.country.as_str()),
        safe_file_name(response.round.as_str()),
        safe_file_name(who)
    );
    let yaml = response_to_yaml(questionnaire, &response);
    if yaml.len() as u64 > crate::load::MAX_YAML_BYTES {
        return Err((
            String::new(),
            format!(
                "the response file would be {:.1} MiB; expected at most {} MiB, which every command reads (are notes or texts pasted in whole?)",
                yaml.len() as f64 / (1024.0 * 1024.0),
                crate::load::MAX_YAML_BYTES / (1024 * 1024)
            ),
        ));
    }
    let read_existing = |file: &Path| {
        crate::fsio::read_own_file(file, crate::load::MAX_YAML_BYTES).map_err(|e| {
            (
                String::new(),
                format!("cannot read {} to compare: {e}", file.display()),
            )
        })
    };
    let mut file = options.out.join(format!("{stem}.yaml"));
    let mut existing = read_existing(&file)?;
    // Names that differ only in what a file name cannot hold ("CERT Perú", "CERT Perü"), or
    // beyond its 64 characters, share a file name: the later one gets the name with its own
    // fingerprint, so no respondent's file replaces another's.
    let taken_by_another = match run.seen.get(&file) {
        Some(owner) => owner != who,
        None => existing.as_deref().is_some_and(|bytes| {
            bytes != yaml.as_bytes() && file_owner(bytes).is_some_and(|owner| owner != who)
        }),
    };
    if taken_by_another {
        file = options
            .out
            .join(format!("{stem}-{}.yaml", text_fingerprint(who)));
        existing = read_existing(&file)?;
    }
    if run.seen.insert(file.clone(), who.to_owned()).is_some() {
        return Err((
            String::new(),
            format!(
                "another row already gives {} {} for {who}; expected one row per country, round and respondent",
                response.country, response.round
            ),
        ));
    }
    match existing {
        Some(bytes) if bytes == yaml.as_bytes() => return Ok(RowOutcome::Unchanged),
        Some(_) if !options.force => {
            return Err((
                String::new(),
                format!(
                    "{} exists and differs from this row; expected --force to replace it",
                    file.display()
                ),
            ));
        }
        _ => {}
    }
    run.write(WriteJob {
        file,
        yaml,
        header: Arc::clone(source.header),
        line: source.line,
        original: source.original.clone(),
    })?;
    Ok(RowOutcome::Written)
}

/// Who a response belongs to, as its file is named: its organization, else its respondent's
/// name.
fn owner(respondent: &RespondentDoc) -> &str {
    respondent
        .organization
        .as_deref()
        .or(respondent.name.as_deref())
        .unwrap_or("respondent")
}

/// Who an existing response file belongs to (`owner`); `None` when it cannot be read as one.
fn file_owner(bytes: &[u8]) -> Option<String> {
    let text = std::str::from_utf8(bytes).ok()?;
    let source = crate::load::Source::from_text(Path::new(""), text);
    let doc = crate::load::read_response_doc(&source).ok()?;
    Some(owner(&doc.respondent.unwrap_or_default()).to_owned())
}

/// Eight hexadecimal digits that tell one text from another in a file name: FNV-1a, fixed here
/// so that the same respondent gets the same name on every machine and in every version.
fn text_fingerprint(text: &str) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in text.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("{:08x}", (hash >> 32) ^ (hash & 0xffff_ffff))
}

fn csv_reader(path: &Path, delimiter: u8) -> Result<csv::Reader<File>, Error> {
    csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_path(path)
        .map_err(|e| Error::Read {
            path: path.to_owned(),
            source: e.into(),
        })
}

/// The first sheet of an XLSX file as `import_xlsx` reads it: the header, each row with its row
/// number, and whether it is the form of `template --format xlsx`.
pub(crate) fn read_sheet_records(
    path: &Path,
    questionnaire: &Questionnaire,
) -> Result<SheetRecords, Error> {
    let sheet = sheet::read_sheet(path, questionnaire)?;
    Ok((sheet.header, sheet.rows, sheet.form))
}

/// The one submission of the XLSX form held in `bytes`, as `import` reads it: for a form the
/// tool writes, to check that it reads back. The message says what was refused, and where.
pub(crate) fn form_response(
    bytes: Vec<u8>,
    questionnaire: &Questionnaire,
) -> Result<Response, String> {
    let path = Path::new("form.xlsx");
    let sheet = sheet::sheet_of_bytes(path, bytes, questionnaire).map_err(|e| e.to_string())?;
    let (_, layout, _) =
        sheet_layout(path, &sheet, questionnaire, None).map_err(|e| e.to_string())?;
    let Some((line, record)) = sheet.rows.first().filter(|_| sheet.form) else {
        return Err("the workbook holds no form".to_owned());
    };
    let names = OptionNames::new(questionnaire);
    row_response(path, questionnaire, &names, &layout, record, *line)
        .map_err(|(column, reason)| format!("`{column}`: {reason}"))
}

/// A sheet's header, its rows with their row numbers, and whether it is the form.
pub(crate) type SheetRecords = (csv::ByteRecord, Vec<(u64, csv::ByteRecord)>, bool);

/// Imports an XLSX file: the form of `template --format xlsx` (one submission), or a first sheet
/// in the CSV layout (one row per submission, read through the map if one is given).
pub fn import_xlsx(
    path: &Path,
    questionnaire: &Questionnaire,
    options: &ImportOptions,
    rejects: &mut Rejects,
    run: &mut ImportRun,
) -> Result<(ImportCounts, Vec<Diagnostic>), Error> {
    let sheet = sheet::read_sheet(path, questionnaire)?;
    let (plan, layout, warnings) = sheet_layout(path, &sheet, questionnaire, options.map.as_ref())?;
    let source_header: Arc<Vec<Vec<u8>>> =
        Arc::new(sheet.header.iter().map(<[u8]>::to_vec).collect());
    let names = OptionNames::new(questionnaire);
    let mut counts = ImportCounts::default();
    for (line, record) in &sheet.rows {
        counts.rows += 1;
        if let Some(on_row) = &options.on_row {
            on_row();
        }
        let converted = plan.as_ref().map(|p| p.convert(record.iter()));
        let outcome = import_row(
            path,
            questionnaire,
            &names,
            &layout,
            converted.as_ref().unwrap_or(record),
            RowSource {
                header: &source_header,
                line: *line,
                original: record,
            },
            options,
            run,
        );
        // A value of the form is in a row of its own: its row is the one to mend.
        let line = match &outcome {
            Err((column, _)) => sheet.form_cell(column).map_or(*line, |at| at.line),
            Ok(_) => *line,
        };
        counts.tally(outcome, rejects, &source_header, line, record)?;
    }
    Ok((counts, warnings))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(names: &[&str]) -> csv::ByteRecord {
        names.iter().collect()
    }

    #[test]
    fn a_question_in_two_columns_refuses_the_header() {
        let questionnaire = &crate::builtin::questionnaires()[0];
        let path = Path::new("twice.csv");
        for twice in ["ec_ir_national_csirt", "ec_ir_national_csirt.note"] {
            let names = ["country", "round", twice, "submitted", twice];
            match layout(path, &header(&names), questionnaire) {
                Err(Error::Invalid(found)) => {
                    assert_eq!(found[0].position, Position::new(1, 5));
                    assert!(found[0].message.contains("repeats column 3"), "{found:?}");
                }
                other => panic!("{twice}: {:?}", other.map(|(_, w)| w)),
            }
        }
        let names = [
            "country",
            "round",
            "ec_ir_national_csirt",
            "ec_ir_national_csirt.note",
        ];
        assert!(layout(path, &header(&names), questionnaire).is_ok());
    }

    #[test]
    fn evidence_and_an_empty_selection_read_the_same_on_either_path() {
        let questionnaire = &crate::builtin::questionnaires()[0];
        let names = OptionNames::new(questionnaire);
        let path = Path::new("evidence.csv");
        let columns = [
            "country",
            "round",
            "respondent_name",
            "wf_pa_competitions",
            "wf_pa_competitions.evidence",
            "wf_pa_competitions.note",
            "wf_edu_higher_levels",
            "wf_edu_higher_levels.evidence",
        ];
        let (layout, warnings) = layout(path, &header(&columns), questionnaire)
            .unwrap_or_else(|_| panic!("a header with country and round"));
        assert!(warnings.is_empty(), "{warnings:?}");
        let row: csv::ByteRecord = [
            "XA",
            "2025",
            "'",
            "no",
            " https://a.org ;https://b.org\n'c ",
            "'=note",
            "[]",
            "'-x",
        ]
        .into_iter()
        .collect();
        let plain = plain_row_response(questionnaire, &names, &layout, &row)
            .expect("every cell reads plainly");
        let checked = checked_row_response(path, questionnaire, &names, &layout, &row, 2)
            .unwrap_or_else(|refused| panic!("{refused:?}"));
        let yaml = response_to_yaml(questionnaire, &plain);
        assert_eq!(yaml, response_to_yaml(questionnaire, &checked));
        assert!(yaml.contains("  name: \"\"\n"), "{yaml}");
        assert!(
            yaml.contains(
                "  wf_pa_competitions:\n    value: no\n    note: \"=note\"\n    evidence: [\"https://a.org\", \"https://b.org\", \"'c\"]\n"
            ),
            "{yaml}"
        );
        assert!(
            yaml.contains("  wf_edu_higher_levels:\n    value: []\n    evidence: [\"-x\"]\n"),
            "{yaml}"
        );
    }

    #[test]
    fn a_submitted_cell_holds_a_timestamp_or_a_date_and_time_taken_as_utc() {
        let read = |cell: &str| submitted_time(cell).map(|t| t.to_string());
        assert_eq!(
            read("2026-03-14T10:00:00+01:00").as_deref(),
            Some("2026-03-14T09:00:00Z")
        );
        for cell in [
            "2026-03-14T10:00:00",
            "2026-03-14 10:00",
            "2026-03-14T10:00:00.000",
        ] {
            assert_eq!(
                read(cell).as_deref(),
                Some("2026-03-14T10:00:00Z"),
                "{cell}"
            );
        }
        assert_eq!(read("2026-03-14").as_deref(), Some("2026-03-14T00:00:00Z"));
        for bad in [
            "14/03/2026",
            "46095.5",
            "2026-03-14T10:00[America/Bogota]",
            "",
            "soon",
        ] {
            assert_eq!(read(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_character_split_over_two_cells_refuses_the_row_on_either_path() {
        let questionnaire = &crate::builtin::questionnaires()[0];
        let names = OptionNames::new(questionnaire);
        let path = Path::new("split.csv");
        let (layout, _) = layout(
            path,
            &header(&["country", "round", "x", "y"]),
            questionnaire,
        )
        .unwrap_or_else(|_| panic!("a header with country and round"));
        let row: csv::ByteRecord = [&b"XA"[..], b"2025", b"\xC3", b"\xA9"]
            .into_iter()
            .collect();
        assert!(plain_row_response(questionnaire, &names, &layout, &row).is_none());
        let refused = checked_row_response(path, questionnaire, &names, &layout, &row, 2)
            .expect_err("a cell that is not UTF-8");
        assert_eq!(refused.0, "x");
    }
}
