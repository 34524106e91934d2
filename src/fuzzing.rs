//! The properties the fuzz targets check, one function per target. Each takes arbitrary bytes,
//! panics when a property does not hold and returns quietly otherwise, so that the fuzz targets
//! in `fuzz/` and the replay of what they found (`tests/fuzz_regressions.rs`) check the same
//! thing on the same code.

use std::path::Path;
use std::sync::LazyLock;

use crate::export::ExportTable;
use crate::import::map::{MapDoc, Plan};
use crate::import::matching::OptionNames;
use crate::import::rows::{Cells, CsvRows, Parsing};
use crate::import::{
    Layout, checked_row_response, delimiter_of, layout, plain_row_response, read_sheet_records,
    row_response,
};
use crate::load::{
    Source, check_response, load_questionnaire, parse_yaml, read_header_fast, read_header_full,
    read_response_doc, read_response_fast,
};
use crate::model::doc::ResponseDoc;
use crate::model::write::response_to_yaml;
use crate::model::{Questionnaire, Response};

/// The check of one target: panics when a property does not hold.
pub type Check = fn(&[u8]);

/// Every target by name, as `fuzz/` and `fuzz/regressions/` name them.
pub const TARGETS: &[(&str, Check)] = &[
    ("questionnaire", questionnaire),
    ("response", response),
    ("csv_rows", csv_rows),
    ("import_row", import_row),
    ("map", map),
    ("xlsx", xlsx),
];

/// The function of target `name`.
pub fn target(name: &str) -> Option<Check> {
    TARGETS.iter().find(|(n, _)| *n == name).map(|(_, f)| *f)
}

/// The built-in questionnaire with its option index, built once per process: every run of a
/// target would otherwise spend most of its time building them again.
struct Builtin {
    questionnaire: Questionnaire,
    names: OptionNames,
}

static BUILTIN: LazyLock<Builtin> = LazyLock::new(|| {
    let questionnaire = crate::builtin::questionnaires()
        .into_iter()
        .next()
        .expect("the built-in questionnaire loads");
    let names = OptionNames::new(&questionnaire);
    Builtin {
        questionnaire,
        names,
    }
});

const PATH: &str = "fuzz-input";

/// The questionnaire loader on any bytes; for a questionnaire it accepts, the response template
/// and a synthetic response written for it load back as responses to it.
pub fn questionnaire(data: &[u8]) {
    let path = Path::new(PATH);
    let Ok(source) = Source::from_bytes(path, data.to_vec()) else {
        return;
    };
    let Ok((questionnaire, _)) = load_questionnaire(&source) else {
        return;
    };
    let lang = questionnaire
        .languages
        .first()
        .map_or("en", String::as_str)
        .to_owned();
    let template = crate::template::yaml_template(&questionnaire, &lang, "2025");
    if let Err(found) = load_text(&questionnaire, &template) {
        panic!("the template does not load back: {found:#?}\n{template}");
    }
    if let Some(response) = crate::samples::synthetic_response(&questionnaire, "XA", "2025", 0) {
        reads_back(&questionnaire, &response);
    }
}

/// The response loader on any bytes. Where the fast reader reads a file (or its header), the
/// YAML parser reads the same document (or header) from it, positions included; a response that
/// checks against the built-in questionnaire is written and read back unchanged.
pub fn response(data: &[u8]) {
    let path = Path::new(PATH);
    let Ok(source) = Source::from_bytes(path, data.to_vec()) else {
        return;
    };
    if let Some(fast) = read_response_fast(&source.text) {
        match parse_yaml::<ResponseDoc>(&source) {
            Ok(full) => assert_eq!(
                fast, full,
                "the fast reader and the YAML parser read different documents"
            ),
            Err(found) => panic!("the fast reader read what the YAML parser refuses: {found:?}"),
        }
    }
    if let Some(fast) = read_header_fast(&source.text) {
        match read_header_full(&source) {
            Ok(full) => assert_eq!(
                fast, full,
                "the fast header reader and the YAML parser read different headers"
            ),
            Err(found) => {
                panic!("the fast header reader read what the YAML parser refuses: {found:?}")
            }
        }
    }
    let Ok(doc) = read_response_doc(&source) else {
        return;
    };
    let questionnaire = &BUILTIN.questionnaire;
    if let Ok((response, _)) = check_response(path, &doc, questionnaire) {
        reads_back(questionnaire, &response);
        exports_back(&response);
    }
}

/// The export's table of the built-in questionnaire, built once per process.
static EXPORT: LazyLock<ExportTable<'static>> = LazyLock::new(|| {
    ExportTable::new(&BUILTIN.questionnaire).expect("the built-in questionnaire has a table")
});

/// A response exported as a CSV row, read as `import` reads a file's rows, imports back to the
/// same response; or the export says why it cannot.
fn exports_back(response: &Response) {
    let table = &*EXPORT;
    let Ok(line) = table.csv_row(response).expect("a CSV row is encoded") else {
        return;
    };
    let mut rows = CsvRows::new(&line[..], b',', 0, 2);
    assert!(
        rows.next_row().expect("a slice reads").is_some(),
        "the row reads"
    );
    let record = rows.record().clone();
    assert!(
        rows.next_row().expect("a slice reads").is_none(),
        "one response is one row"
    );
    let Builtin {
        questionnaire,
        names,
    } = &*BUILTIN;
    match row_response(
        Path::new(PATH),
        questionnaire,
        names,
        table.layout(),
        &record,
        2,
    ) {
        Ok(back) => assert_eq!(
            response_to_yaml(questionnaire, &back),
            response_to_yaml(questionnaire, response),
            "an exported row imports back differently"
        ),
        Err(refused) => panic!("import refuses an exported row: {refused:?}"),
    }
}

/// The CSV row reader against the `csv` crate: the same rows with the same cells. The first
/// byte picks the delimiter (`,` or `;`), the second the size of the read buffer (1 to 256
/// bytes, so that rows cross its end); the rest is the file. Each row also starts at its line
/// and reads again, alone, from its own bytes, as a table reads a row when it is scored.
pub fn csv_rows(data: &[u8]) {
    let Some((&[flags, chunk], text)) = data.split_first_chunk::<2>() else {
        return;
    };
    let delimiter = if flags & 1 == 0 { b',' } else { b';' };
    let chunk = usize::from(chunk) + 1;
    // Rows are read after a header, never at the start of a file, where csv-core (and so the
    // csv crate) drops a byte-order mark: a line end first makes a mark in the input a mark at
    // the start of a row.
    let text = &[b"\n", text].concat()[..];
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(text);
    let mut expected = Vec::new();
    let mut record = csv::ByteRecord::new();
    while reader
        .read_byte_record(&mut record)
        .expect("csv reads any bytes")
    {
        expected.push(record.clone());
    }

    let mut rows = CsvRows::with_chunk(text, delimiter, 0, 1, chunk);
    let mut found = Vec::new();
    let mut spans = Vec::new();
    let mut previous_end = 0;
    while let Some(start) = rows.next_row().expect("a slice reads without error") {
        let at = usize::try_from(start.byte).expect("an offset in the input");
        assert!(
            text[previous_end..at]
                .iter()
                .all(|b| matches!(b, b'\n' | b'\r')),
            "only line ends lie between rows"
        );
        let line = 1 + text[..at].iter().filter(|&&b| b == b'\n').count() as u64;
        assert_eq!(start.line, line, "the line of the row at byte {at}");
        // Asked before the row is split, as a table asks for country and round.
        let (first, second) = rows.two_cells(0, 2);
        let (first, second) = (first.to_vec(), second.to_vec());
        let cells = rows.record().clone();
        assert_eq!(first, cells.get(0).unwrap_or_default(), "cell 0 alone");
        assert_eq!(second, cells.get(2).unwrap_or_default(), "cell 2 alone");
        let end = usize::try_from(rows.row_end()).expect("an offset in the input");
        assert!(
            at < end && end <= text.len(),
            "the row's bytes are in the file"
        );
        previous_end = end;
        spans.push(at);
        found.push(cells);
    }
    assert_eq!(
        found, expected,
        "rows and cells as the csv crate reads them"
    );

    // A table keeps where each row starts and reads a row from there to the next one's start.
    let mut parsing = Parsing::new(delimiter);
    for (i, &from) in spans.iter().enumerate() {
        let to = spans.get(i + 1).copied().unwrap_or(previous_end);
        let row = parsing
            .row(&text[from..to])
            .expect("a row reads again from its bytes");
        let cells: Vec<&[u8]> = row.cells().collect();
        let expected: Vec<&[u8]> = found[i].iter().collect();
        assert_eq!(cells, expected, "row {i} read again from its bytes");
    }
}

/// The import of CSV rows into responses to the built-in questionnaire: a header, then rows.
/// The fast path of a row agrees with the checked path whenever it answers, and every response
/// the import would write loads back unchanged.
pub fn import_row(data: &[u8]) {
    let delimiter = delimiter_of(data);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(data);
    let mut header = csv::ByteRecord::new();
    if !reader
        .read_byte_record(&mut header)
        .expect("csv reads any bytes")
    {
        return;
    }
    let Ok((layout, _)) = layout(Path::new(PATH), &header, &BUILTIN.questionnaire) else {
        return;
    };
    let after = reader.position().clone();
    let rest = &data[usize::try_from(after.byte()).expect("an offset in the input")..];
    let mut rows = CsvRows::new(rest, delimiter, after.byte(), after.line());
    while let Some(start) = rows.next_row().expect("a slice reads without error") {
        rows_agree(&layout, rows.record(), start.line);
    }
}

/// The map loader on any bytes: before the first NUL byte, the map; after it, a CSV export read
/// through the map. The map's plan keeps every row's cells, and the rows it makes import as in
/// `import_row`.
pub fn map(data: &[u8]) {
    let (map_text, export) = match memchr::memchr(0, data) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, &[][..]),
    };
    let Ok(source) = Source::from_bytes(Path::new(PATH), map_text.to_vec()) else {
        return;
    };
    let Ok(map) = MapDoc::from_source(&source) else {
        return;
    };
    let delimiter = map.delimiter().unwrap_or_else(|| delimiter_of(export));
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(false)
        .flexible(true)
        .from_reader(export);
    let mut header = csv::ByteRecord::new();
    if !reader
        .read_byte_record(&mut header)
        .expect("csv reads any bytes")
    {
        return;
    }
    let questionnaire = &BUILTIN.questionnaire;
    let plan = Plan::new(&map, &header, questionnaire);
    for column in 0..plan.header.len() {
        if let Some(source) = plan.source_column(column) {
            assert!(
                source < header.len(),
                "column {column} comes from a column of the file"
            );
        }
    }
    let layout = layout(Path::new(PATH), &plan.header, questionnaire)
        .ok()
        .map(|(layout, _)| layout);
    let mut record = csv::ByteRecord::new();
    while reader
        .read_byte_record(&mut record)
        .expect("csv reads any bytes")
    {
        let converted = plan.convert(record.iter());
        assert_eq!(
            converted.len(),
            plan.header.len() + record.len().saturating_sub(header.len()),
            "a converted row has the planned columns, then the row's extra cells"
        );
        if let Some(layout) = &layout {
            let line = record.position().map_or(0, csv::Position::line);
            rows_agree(layout, &converted, line);
        }
    }
}

/// Reading an XLSX file (written to a temporary file first: the reader opens a path). A form
/// gives one row as long as its header; a sheet gives no blank row; every row imports as in
/// `import_row`.
pub fn xlsx(data: &[u8]) {
    let questionnaire = &BUILTIN.questionnaire;
    let file = tempfile::Builder::new()
        .suffix(".xlsx")
        .tempfile()
        .expect("a temporary file");
    std::fs::write(file.path(), data).expect("the temporary file is written");
    let Ok((header, rows, form)) = read_sheet_records(file.path(), questionnaire) else {
        return;
    };
    if form {
        assert_eq!(rows.len(), 1, "a form is one submission");
    }
    for (line, record) in &rows {
        if form {
            assert_eq!(record.len(), header.len(), "a form's values match its keys");
        }
        assert!(
            form || record
                .iter()
                .any(|c| !String::from_utf8_lossy(c).trim().is_empty()),
            "row {line} is blank"
        );
    }
    let Ok((layout, _)) = layout(file.path(), &header, questionnaire) else {
        return;
    };
    for (line, record) in &rows {
        rows_agree(&layout, record, *line);
    }
}

/// A row imported both ways: the fast path, when it answers, gives the response the checks
/// give, and the response loads back from the file the import writes.
fn rows_agree(layout: &Layout, record: &csv::ByteRecord, line: u64) {
    let Builtin {
        questionnaire,
        names,
    } = &*BUILTIN;
    let plain = plain_row_response(questionnaire, names, layout, record);
    let checked = checked_row_response(Path::new(PATH), questionnaire, names, layout, record, line);
    if let Some(plain) = plain {
        match &checked {
            Ok(checked) => assert_eq!(
                response_to_yaml(questionnaire, &plain),
                response_to_yaml(questionnaire, checked),
                "the fast path and the checks read the row differently"
            ),
            Err(refused) => panic!("the fast path took a row the checks refuse: {refused:?}"),
        }
    }
    if let Ok(response) = checked {
        reads_back(questionnaire, &response);
    }
}

/// The response written as the tool writes it loads back without error, to the same response
/// (compared as written: a response has no equality of its own, and its file is its canonical
/// form).
fn reads_back(questionnaire: &Questionnaire, response: &Response) {
    let written = response_to_yaml(questionnaire, response);
    match load_text(questionnaire, &written) {
        Ok(loaded) => assert_eq!(
            response_to_yaml(questionnaire, &loaded),
            written,
            "a written response reads back differently"
        ),
        Err(found) => panic!("a written response does not load back: {found:#?}\n{written}"),
    }
}

/// Loads response text as `inputs::load_response` loads a file: read, then checked.
fn load_text(
    questionnaire: &Questionnaire,
    text: &str,
) -> Result<Response, Vec<crate::diagnostic::Diagnostic>> {
    let path = Path::new(PATH);
    let source = Source::from_bytes(path, text.as_bytes().to_vec()).map_err(|d| vec![d])?;
    let doc = read_response_doc(&source).map_err(|d| vec![d])?;
    check_response(path, &doc, questionnaire).map(|(response, _)| response)
}
