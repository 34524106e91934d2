//! The rows of a CSV file, found fast: a row without a quote ends at its first line end and its
//! cells are split at the delimiter with memchr; a row with a quote anywhere is read by csv-core.
//! Either way the rows and cells are those csv-core reads, with the settings of `csv_reader`
//! (flexible, double quotes, no escape, no comments, any of CR, LF and CRLF ending a row).

use std::io::Read;

/// The rows of a CSV file after its header, one at a time.
pub(crate) struct CsvRows<R> {
    source: R,
    buffer: Vec<u8>,
    /// What is left to read of `buffer`: `at..filled`.
    at: usize,
    filled: usize,
    /// Where `buffer[0]` is in the file.
    offset: u64,
    /// The line `buffer[at]` is on, from 1.
    line: u64,
    eof: bool,
    /// The current row, in `buffer`.
    row: std::ops::Range<usize>,
    /// For a row csv-core read, the length of its cells in `parsing.fields`, whose `bounds`
    /// are then set; `None` for a plain row, split only when asked.
    parsed: Option<usize>,
    /// True when `parsing.record` holds the current row's cells.
    recorded: bool,
    parsing: Parsing,
}

/// What reading a row keeps between rows: the parser and its buffers.
pub(crate) struct Parsing {
    parser: csv_core::Reader,
    delimiter: u8,
    /// What csv-core made of the last row it parsed: the cells' bytes, and where each ends.
    fields: Vec<u8>,
    ends: Vec<usize>,
    /// The number of cells in `ends`.
    cells: usize,
    /// Where each cell of the last row split is, in its bytes.
    bounds: Vec<(usize, usize)>,
    record: csv::ByteRecord,
}

/// The cells of a row, however it was read.
pub(crate) trait Cells {
    /// The number of cells.
    fn count(&self) -> usize;
    /// Every cell's bytes, in order, maybe with separators between them.
    fn bytes(&self) -> &[u8];
    /// Where cell `i` is in `bytes()`.
    fn range(&self, i: usize) -> Option<std::ops::Range<usize>>;

    /// Cell `i`.
    fn cell(&self, i: usize) -> Option<&[u8]> {
        self.bytes().get(self.range(i)?)
    }

    /// Every cell, in order.
    fn cells(&self) -> impl Iterator<Item = &[u8]> {
        (0..self.count()).map(|i| self.cell(i).unwrap_or_default())
    }
}

impl Cells for csv::ByteRecord {
    fn count(&self) -> usize {
        self.len()
    }

    fn bytes(&self) -> &[u8] {
        self.as_slice()
    }

    fn range(&self, i: usize) -> Option<std::ops::Range<usize>> {
        csv::ByteRecord::range(self, i)
    }
}

/// A row's cells as slices of the bytes they were read from: nothing is copied.
pub(crate) struct SplitRow<'a> {
    bytes: &'a [u8],
    bounds: &'a [(usize, usize)],
}

impl Cells for SplitRow<'_> {
    fn count(&self) -> usize {
        self.bounds.len()
    }

    fn bytes(&self) -> &[u8] {
        self.bytes
    }

    fn range(&self, i: usize) -> Option<std::ops::Range<usize>> {
        self.bounds.get(i).map(|&(start, end)| start..end)
    }
}

impl Parsing {
    /// A parser of rows separated by `delimiter`.
    pub fn new(delimiter: u8) -> Parsing {
        Parsing {
            parser: csv_core::ReaderBuilder::new().delimiter(delimiter).build(),
            delimiter,
            fields: Vec::new(),
            ends: vec![0; 8],
            cells: 0,
            bounds: Vec::new(),
            record: csv::ByteRecord::new(),
        }
    }

    /// The cells of the first row in `bytes`, which starts a row and ends where the file does or
    /// past the row's end; `None` when `bytes` holds no row (only line ends).
    pub fn row<'a>(&'a mut self, bytes: &'a [u8]) -> Option<SplitRow<'a>> {
        let content = &bytes[..memchr::memchr2(b'\n', b'\r', bytes).unwrap_or(bytes.len())];
        if !content.is_empty() && memchr::memchr(b'"', content).is_none() {
            plain_bounds(self.delimiter, content, &mut self.bounds);
            return Some(SplitRow {
                bytes: content,
                bounds: &self.bounds,
            });
        }
        match self.parse(bytes, true) {
            Parsed::Record(_) => {
                let length = self.parsed_bounds();
                Some(SplitRow {
                    bytes: &self.fields[..length],
                    bounds: &self.bounds,
                })
            }
            Parsed::NeedsMore | Parsed::Nothing => None,
        }
    }

    /// Sets `bounds` to the cells `parse` found; returns the length of their bytes in `fields`.
    fn parsed_bounds(&mut self) -> usize {
        self.bounds.clear();
        let mut start = 0;
        for &end in &self.ends[..self.cells] {
            self.bounds.push((start, end));
            start = end;
        }
        start
    }

    /// Parses the first record of `bytes` with csv-core into `record`. `at_end` tells whether
    /// the file ends with `bytes`; if not, a record cut by the end of `bytes` needs more.
    fn parse(&mut self, bytes: &[u8], at_end: bool) -> Parsed {
        use csv_core::ReadRecordResult;
        self.parser.reset();
        self.cells = 0;
        // Unquoting never makes a record longer than its bytes.
        if self.fields.len() < bytes.len().max(1) {
            self.fields.resize(bytes.len().max(1), 0);
        }
        let (mut input, mut written, mut ended) = (bytes, 0, 0);
        // After a reset csv-core drops a byte-order mark, as at the start of a file; a row is
        // never the start of a file, so its first byte goes alone, too short to be a mark.
        let mut first_alone = bytes.starts_with(b"\xEF\xBB\xBF");
        loop {
            let alone = std::mem::take(&mut first_alone);
            // An empty input tells the parser the file ends there.
            let (result, read, wrote, closed) = self.parser.read_record(
                if alone { &input[..1] } else { input },
                &mut self.fields[written..],
                &mut self.ends[ended..],
            );
            input = &input[read..];
            written += wrote;
            ended += closed;
            match result {
                ReadRecordResult::InputEmpty if alone => {}
                ReadRecordResult::InputEmpty if !at_end => return Parsed::NeedsMore,
                ReadRecordResult::InputEmpty => {}
                ReadRecordResult::OutputFull => {
                    let longer = self.fields.len() * 2;
                    self.fields.resize(longer, 0);
                }
                ReadRecordResult::OutputEndsFull => {
                    let longer = self.ends.len() * 2;
                    self.ends.resize(longer, 0);
                }
                ReadRecordResult::Record => break,
                ReadRecordResult::End => return Parsed::Nothing,
            }
        }
        self.cells = ended;
        Parsed::Record(bytes.len() - input.len())
    }
}

/// What csv-core made of the start of some bytes.
enum Parsed {
    /// A record, from that many bytes.
    Record(usize),
    /// The bytes end inside a record, and the file goes on.
    NeedsMore,
    /// No record: the bytes hold only line ends.
    Nothing,
}

/// Sets `bounds` to the cells of a row without quotes or line ends, split at `delimiter`.
fn plain_bounds(delimiter: u8, content: &[u8], bounds: &mut Vec<(usize, usize)>) {
    bounds.clear();
    let mut start = 0;
    for end in memchr::memchr_iter(delimiter, content) {
        bounds.push((start, end));
        start = end + 1;
    }
    bounds.push((start, content.len()));
}

/// A row whose quoted cell runs over line ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct RunOn {
    /// The first cell holding a line end, from 0.
    pub cell: usize,
    /// How many lines the row spans.
    pub lines: u64,
    /// How many of its lines after the first look like rows of their own.
    pub row_like: u64,
}

impl RunOn {
    /// Why the row cannot be read as it is, when it took in lines that look like rows.
    pub fn swallowed_rows(&self, line: u64) -> Option<String> {
        (self.row_like > 0).then(|| {
            format!(
                "a quoted cell opened on line {line} runs over {} line ends, to line {}, and takes in {} lines that look like rows of their own; expected every `\"` closed in the cell it opens (is one missing?)",
                self.lines - 1,
                line + self.lines - 1,
                self.row_like
            )
        })
    }
}

/// Where a row is: the byte it starts at and its line, from 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct RowStart {
    pub byte: u64,
    pub line: u64,
}

/// How much of the file is read at once; a longer row grows the buffer.
const CHUNK: usize = 256 * 1024;

impl<R: Read> CsvRows<R> {
    /// Rows read from `source`, which starts at `byte` of the file, on line `line`.
    pub fn new(source: R, delimiter: u8, byte: u64, line: u64) -> CsvRows<R> {
        CsvRows::with_chunk(source, delimiter, byte, line, CHUNK)
    }

    /// Rows read `chunk` bytes at a time, as `new` reads them `CHUNK` bytes at a time.
    pub(crate) fn with_chunk(
        source: R,
        delimiter: u8,
        byte: u64,
        line: u64,
        chunk: usize,
    ) -> CsvRows<R> {
        CsvRows {
            source,
            buffer: vec![0; chunk.max(1)],
            at: 0,
            filled: 0,
            offset: byte,
            line,
            eof: false,
            row: 0..0,
            parsed: None,
            recorded: false,
            parsing: Parsing::new(delimiter),
        }
    }

    /// Moves to the next row; `None` at the end of the file. Blank lines are skipped.
    pub fn next_row(&mut self) -> std::io::Result<Option<RowStart>> {
        self.row = self.at..self.at;
        self.parsed = None;
        self.recorded = false;
        loop {
            while self.at < self.filled && matches!(self.buffer[self.at], b'\n' | b'\r') {
                self.line += u64::from(self.buffer[self.at] == b'\n');
                self.at += 1;
            }
            if self.at < self.filled || !self.refill()? {
                break;
            }
        }
        if self.at == self.filled {
            return Ok(None);
        }
        let start = RowStart {
            byte: self.offset + self.at as u64,
            line: self.line,
        };
        let mut searched = 0;
        let length = loop {
            let rest = &self.buffer[self.at + searched..self.filled];
            match memchr::memchr3(b'"', b'\n', b'\r', rest) {
                Some(i) if rest[i] != b'"' => break searched + i,
                Some(_) => {
                    let length = self.quoted_row()?;
                    self.parsed = Some(self.parsing.parsed_bounds());
                    let row = &self.buffer[self.at..self.at + length];
                    // The line end csv-core took is counted here; a plain row's is counted
                    // when the next row skips it.
                    self.line += memchr::memchr_iter(b'\n', row).count() as u64;
                    break length;
                }
                None => {
                    searched = self.filled - self.at;
                    if !self.refill()? {
                        break searched;
                    }
                }
            }
        };
        self.row = self.at..self.at + length;
        self.at += length;
        Ok(Some(start))
    }

    /// The bytes csv-core takes for the row at `at`, reading more of the file as needed.
    fn quoted_row(&mut self) -> std::io::Result<usize> {
        loop {
            let bytes = &self.buffer[self.at..self.filled];
            match self.parsing.parse(bytes, self.eof) {
                Parsed::Record(length) => return Ok(length),
                // The row starts with a byte that is not a line end, so there is a record.
                Parsed::Nothing => return Ok(bytes.len()),
                Parsed::NeedsMore => {
                    self.refill()?;
                }
            }
        }
    }

    /// The cells of the current row.
    pub fn record(&mut self) -> &csv::ByteRecord {
        if !self.recorded {
            let Parsing {
                delimiter,
                fields,
                bounds,
                record,
                ..
            } = &mut self.parsing;
            let bytes = match self.parsed {
                Some(length) => &fields[..length],
                None => {
                    let row = &self.buffer[self.row.clone()];
                    plain_bounds(*delimiter, row, bounds);
                    row
                }
            };
            record.clear();
            for &(start, end) in bounds.iter() {
                record.push_field(&bytes[start..end]);
            }
            self.recorded = true;
        }
        &self.parsing.record
    }

    /// Cells `first` and `second` of the current row (empty where the row is shorter), without
    /// splitting the rest of a plain row.
    pub fn two_cells(&mut self, first: usize, second: usize) -> (&[u8], &[u8]) {
        if let Some(length) = self.parsed {
            let parsing = &self.parsing;
            let cell = |i: usize| {
                parsing.bounds.get(i).map_or(&[][..], |&(start, end)| {
                    &parsing.fields[..length][start..end]
                })
            };
            return (cell(first), cell(second));
        }
        let row = &self.buffer[self.row.clone()];
        let (mut found_first, mut found_second): (&[u8], &[u8]) = (&[], &[]);
        let last = first.max(second);
        let mut start = 0;
        let ends =
            memchr::memchr_iter(self.parsing.delimiter, row).chain(std::iter::once(row.len()));
        for (column, end) in ends.enumerate() {
            if column == first {
                found_first = &row[start..end];
            }
            if column == second {
                found_second = &row[start..end];
            }
            if column == last {
                break;
            }
            start = end + 1;
        }
        (found_first, found_second)
    }

    /// For a current row whose quoted cell runs over line ends: which cell first does, how many
    /// lines the row spans, and how many of them after the first look like rows of their own
    /// (at least `row_delimiters` delimiters), as when a quote was left open and the rows after
    /// it were read into one cell. `None` for a row on one line.
    pub fn run_on(&self, row_delimiters: usize) -> Option<RunOn> {
        let length = self.parsed?;
        let fields = &self.parsing.fields[..length];
        let cell = self.parsing.bounds.iter().position(|&(start, end)| {
            memchr::memchr2(b'\n', b'\r', &fields[start..end]).is_some()
        })?;
        let raw = &self.buffer[self.row.clone()];
        let raw = raw.strip_suffix(b"\n").unwrap_or(raw);
        let raw = raw.strip_suffix(b"\r").unwrap_or(raw);
        let mut lines = 0;
        let mut row_like = 0;
        for line in raw.split(|&b| b == b'\n') {
            let line = line.strip_suffix(b"\r").unwrap_or(line);
            lines += 1;
            if lines > 1
                && memchr::memchr_iter(self.parsing.delimiter, line).count() >= row_delimiters
            {
                row_like += 1;
            }
        }
        Some(RunOn {
            cell,
            lines,
            row_like,
        })
    }

    /// Where the current row ends in the file.
    pub fn row_end(&self) -> u64 {
        self.offset + self.row.end as u64
    }

    /// Reads more of the file into the buffer, keeping what is left of it; false at the end.
    fn refill(&mut self) -> std::io::Result<bool> {
        if self.eof {
            return Ok(false);
        }
        if self.at > 0 {
            self.buffer.copy_within(self.at..self.filled, 0);
            self.offset += self.at as u64;
            self.filled -= self.at;
            self.at = 0;
        }
        if self.filled == self.buffer.len() {
            let longer = self.buffer.len() * 2;
            self.buffer.resize(longer, 0);
        }
        let read = loop {
            match self.source.read(&mut self.buffer[self.filled..]) {
                Ok(read) => break read,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        };
        self.filled += read;
        self.eof = read == 0;
        Ok(!self.eof)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every row as (line, cells), the way csv's own reader reads them.
    fn by_csv(text: &[u8], delimiter: u8) -> Vec<(u64, Vec<Vec<u8>>)> {
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .has_headers(false)
            .flexible(true)
            .from_reader(text);
        let mut record = csv::ByteRecord::new();
        let mut rows = Vec::new();
        while reader.read_byte_record(&mut record).unwrap() {
            rows.push((0, record.iter().map(<[u8]>::to_vec).collect()));
        }
        rows
    }

    #[test]
    fn a_quote_left_open_is_seen_with_the_rows_it_took_in() {
        let text =
            b"PE,2025,\"CERT Peru,yes\nCO,2025,colCERT,no\nMX,2025,MX-CERT,yes\nAR,2025,\"x\",no\n";
        let mut rows = CsvRows::with_chunk(&text[..], b',', 0, 2, 16);
        let start = rows.next_row().unwrap().unwrap();
        assert_eq!(start.line, 2);
        let run_on = rows.run_on(3).unwrap();
        assert_eq!(
            run_on,
            RunOn {
                cell: 2,
                lines: 4,
                row_like: 3
            }
        );
        assert!(run_on.swallowed_rows(start.line).unwrap().starts_with(
            "a quoted cell opened on line 2 runs over 3 line ends, to line 5, and takes in 3 lines"
        ));
        // A note on two lines is not a row taken in; a plain row runs on to nothing.
        let mut rows = CsvRows::new(&b"PE,2025,\"one\ntwo\",yes\nCO,2025,x,no\n"[..], b',', 0, 2);
        rows.next_row().unwrap();
        let run_on = rows.run_on(3).unwrap();
        assert_eq!((run_on.lines, run_on.swallowed_rows(2)), (2, None));
        rows.next_row().unwrap();
        assert_eq!(rows.run_on(3), None);
    }

    fn by_rows(text: &[u8], delimiter: u8, chunk: usize) -> Vec<(RowStart, Vec<Vec<u8>>)> {
        let mut rows = CsvRows::with_chunk(text, delimiter, 0, 1, chunk);
        let mut found = Vec::new();
        while let Some(start) = rows.next_row().unwrap() {
            let cells = rows.record().iter().map(<[u8]>::to_vec).collect();
            found.push((start, cells));
        }
        found
    }

    const TRICKY: &[&[u8]] = &[
        b"a,b,c\nd,e,f\n",
        b"a,b\r\nc,d\r\n\r\n\r\ne,f",
        b"a,b\rc,d\r\re,f\n",
        b"\n\na,b\n\n",
        b"\"a,1\",b\n\"x\ny\",z\nlast,row\n",
        b"ab\"c,d\ne,\"f\"\"g\"\n",
        b"\"open,never\nclosed",
        b"\"x\"y,z\n1,2",
        b",,\n,\n\"\"\n",
        b"one\n",
        b"",
        b"\r\n",
        b"a;b;\"c;d\"\ne;f;g\n",
        // A byte-order mark starting a row that is not the first is data, quoted row or not.
        b"h\n\xEF\xBB\xBF\"a\",b\n\xEF\xBB\xBFc,d\n",
    ];

    #[test]
    fn rows_and_cells_are_those_of_csv_core() {
        for text in TRICKY {
            for delimiter in [b',', b';'] {
                let expected: Vec<Vec<Vec<u8>>> =
                    by_csv(text, delimiter).into_iter().map(|r| r.1).collect();
                for chunk in [1, 2, 3, 7, 64, CHUNK] {
                    let found: Vec<Vec<Vec<u8>>> = by_rows(text, delimiter, chunk)
                        .into_iter()
                        .map(|r| r.1)
                        .collect();
                    assert_eq!(
                        found,
                        expected,
                        "{:?} with {:?}, chunk {chunk}",
                        String::from_utf8_lossy(text),
                        delimiter as char
                    );
                }
            }
        }
    }

    #[test]
    fn each_row_knows_its_line_and_byte_past_blank_lines() {
        let text = b"a,b\n\n\"c\nd\",e\r\nf,g\n";
        let starts: Vec<(u64, u64)> = by_rows(text, b',', 2)
            .into_iter()
            .map(|(s, _)| (s.byte, s.line))
            .collect();
        assert_eq!(starts, [(0, 1), (5, 3), (14, 5)]);
    }

    #[test]
    fn a_row_is_read_again_from_its_bytes_alone() {
        let mut parsing = Parsing::new(b',');
        let cells = |parsing: &mut Parsing, bytes: &[u8]| -> Option<Vec<String>> {
            parsing.row(bytes).map(|row| {
                row.cells()
                    .map(|f| String::from_utf8_lossy(f).into_owned())
                    .collect()
            })
        };
        assert_eq!(
            cells(&mut parsing, b"a,\"b,\"\"c\"\"\",\n").unwrap(),
            ["a", "b,\"c\"", ""]
        );
        // The last row of a file may lack its line end.
        assert_eq!(cells(&mut parsing, b"x,y").unwrap(), ["x", "y"]);
        // A quoted line break stays in its cell; the next row is not read.
        assert_eq!(
            cells(&mut parsing, b"\"1\n2\",3\r\nnext,row\n").unwrap(),
            ["1\n2", "3"]
        );
        assert_eq!(
            cells(&mut parsing, b"plain,row\r\nnext\n").unwrap(),
            ["plain", "row"]
        );
        let long = "z".repeat(5000);
        assert_eq!(
            cells(&mut parsing, format!("{long},{long}\n").as_bytes()).unwrap(),
            [long.clone(), long]
        );
        assert_eq!(cells(&mut parsing, b"\r\n"), None);
        assert_eq!(
            cells(&mut parsing, b"\xEF\xBB\xBF\"a\",b\n").unwrap(),
            ["\u{feff}\"a\"", "b"]
        );
    }

    #[test]
    fn two_cells_are_read_without_splitting_the_row() {
        let mut rows = CsvRows::new(&b"a,b,c,d\n\"q,1\",r,s\nshort\n"[..], b',', 0, 1);
        rows.next_row().unwrap();
        assert_eq!(rows.two_cells(2, 0), (&b"c"[..], &b"a"[..]));
        rows.next_row().unwrap();
        assert_eq!(rows.two_cells(0, 1), (&b"q,1"[..], &b"r"[..]));
        rows.next_row().unwrap();
        assert_eq!(rows.two_cells(0, 1), (&b"short"[..], &b""[..]));
        assert_eq!(rows.next_row().unwrap(), None);
    }
}
