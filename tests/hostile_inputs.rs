//! Every class of hostile input, run through every command that reads it: each is refused (or
//! read) with its expected exit code and a message naming the file, never a panic, an abort or
//! a signal, and within a bounded time.

mod common;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use common::{cybercap, hygiene};

/// The commands that read submissions.
#[derive(Debug, Clone, Copy)]
enum Command {
    Validate,
    Import,
    Score,
    Plan,
    Report,
    Explain,
}

use Command::{Explain, Import, Plan, Report, Score, Validate};

/// One hostile input: how to make it, which commands read it, what they must answer.
struct Case {
    /// What it is.
    name: &'static str,
    /// Its file name.
    file: &'static str,
    /// Writes it at the path given.
    make: fn(&Path),
    /// Whether it is read against the built-in questionnaire (else the hygiene fixture).
    builtin: bool,
    /// The commands that read it.
    commands: &'static [Command],
    /// The exit codes allowed.
    codes: &'static [i32],
    /// What the message must say (besides naming the file).
    message: &'static str,
}

/// A workbook written by a spreadsheet library, with `fill` applied to its first sheet.
fn workbook(path: &Path, fill: impl FnOnce(&mut rust_xlsxwriter::Worksheet)) {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    for (column, name) in ["country", "round", "respondent_organization"]
        .iter()
        .enumerate()
    {
        sheet.write_string(0, column as u16, *name).unwrap();
    }
    sheet.write_string(1, 0, "XA").unwrap();
    sheet.write_string(1, 1, "2025").unwrap();
    sheet.write_string(1, 2, "CERT").unwrap();
    fill(sheet);
    book.save(path).unwrap();
}

/// Copies the zip at `path` with the part `name` replaced by `write_part`'s output, compressed.
fn replace_part(path: &Path, name: &str, write_part: impl Fn(&mut dyn Write)) {
    let original = std::fs::read(path).unwrap();
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(original)).unwrap();
    let mut out = zip::ZipWriter::new(std::fs::File::create(path).unwrap());
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(1))
        .large_file(true);
    for index in 0..archive.len() {
        let mut part = archive.by_index(index).unwrap();
        let part_name = part.name().unwrap().into_owned();
        out.start_file(&part_name, options).unwrap();
        if part_name == name {
            write_part(&mut out);
        } else {
            std::io::copy(&mut part, &mut out).unwrap();
        }
    }
    out.finish().unwrap();
}

fn sheet_spanning_the_whole_grid(path: &Path) {
    workbook(path, |sheet| {
        sheet.write_string(1_048_575, 16_383, "far away").unwrap();
    });
}

fn rows_spanning_too_many_cells(path: &Path) {
    workbook(path, |sheet| {
        for row in 2..1302 {
            sheet.write_string(row, 0, "XA").unwrap();
        }
        sheet.write_string(5, 16_383, "far away").unwrap();
    });
}

fn shared_strings_bomb(path: &Path) {
    workbook(path, |_| {});
    replace_part(path, "xl/sharedStrings.xml", |out| {
        out.write_all(b"<?xml version=\"1.0\" encoding=\"UTF-8\"?><sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" count=\"1\" uniqueCount=\"1\"><si><t>").unwrap();
        // 300 MiB of one letter: a few megabytes once compressed.
        let letters = vec![b'a'; 1024 * 1024];
        for _ in 0..300 {
            out.write_all(&letters).unwrap();
        }
        out.write_all(b"</t></si></sst>").unwrap();
    });
}

fn quote_left_open(path: &Path) {
    std::fs::write(
        path,
        "country,round,respondent_organization,p_train\nPE,2025,\"CERT Peru,yes\nCO,2025,colCERT,no\nMX,2025,MX-CERT,yes\n",
    )
    .unwrap();
}

fn alias_bomb(path: &Path) {
    let mut bomb = String::from(
        "questionnaire: sme-hygiene@2.1\ncountry: XA\nround: 1\na0: &a0 [x, x, x, x, x, x, x, x, x, x]\n",
    );
    for i in 1..=9 {
        let previous = format!("*a{}", i - 1);
        bomb.push_str(&format!(
            "a{i}: &a{i} [{}]\n",
            [previous.as_str(); 10].join(", ")
        ));
    }
    std::fs::write(path, bomb).unwrap();
}

fn one_group_too_large(path: &Path) {
    let mut text = String::from("country,round,respondent_organization,p_train\n");
    for row in 0..1001 {
        text.push_str(&format!("XA,2025,org{row},yes\n"));
    }
    std::fs::write(path, text).unwrap();
}

fn deep_nesting(path: &Path) {
    let text = format!(
        "questionnaire: sme-hygiene@2.1\nanswers: {}{}\n",
        "[".repeat(20_000),
        "]".repeat(20_000)
    );
    std::fs::write(path, text).unwrap();
}

fn latin1(path: &Path) {
    std::fs::write(
        path,
        b"questionnaire: sme-hygiene@2.1\ncountry: XA\nround: 1\nanswers:\n  p_comment: caf\xe9\n",
    )
    .unwrap();
}

fn delete_character(path: &Path) {
    std::fs::write(
        path,
        "questionnaire: sme-hygiene@2.1\ncountry: XA\nround: \"1\"\nanswers:\n  p_comment: \"a\u{7f}b\"\n",
    )
    .unwrap();
}

fn huge_sparse_file(path: &Path) {
    // 300 MB on paper, nothing on disk.
    std::fs::File::create(path)
        .unwrap()
        .set_len(300 * 1024 * 1024)
        .unwrap();
}

fn column_twice(path: &Path) {
    std::fs::write(
        path,
        "country,round,p_train,t_backup,p_train\nXA,2025,yes,none,no\n",
    )
    .unwrap();
}

fn utf16(path: &Path) {
    let mut bytes = vec![0xFF, 0xFE];
    for unit in "country,round,p_train\r\nXA,2025,yes\r\n".encode_utf16() {
        bytes.extend(unit.to_le_bytes());
    }
    std::fs::write(path, bytes).unwrap();
}

const READERS_OF_RESPONSES: &[Command] = &[Validate, Score, Report, Explain, Plan];

const READERS_OF_TABLES: &[Command] = &[Import, Score, Report, Explain, Plan];

fn cases() -> Vec<Case> {
    vec![
        Case {
            name: "an XLSX sheet with cells at A1 and XFD1048576",
            file: "sparse.xlsx",
            make: sheet_spanning_the_whole_grid,
            builtin: false,
            commands: &[Score, Report, Explain],
            codes: &[1],
            message: "sparse.xlsx:1048576:1: error: country `` is not a country code",
        },
        Case {
            name: "an XLSX sheet with cells at A1 and XFD1048576, imported",
            file: "sparse.xlsx",
            make: sheet_spanning_the_whole_grid,
            builtin: false,
            commands: &[Import],
            codes: &[1],
            message: "1 rejected",
        },
        Case {
            name: "an XLSX sheet whose rows span more than 20,000,000 cells",
            file: "wide.xlsx",
            make: rows_spanning_too_many_cells,
            builtin: false,
            commands: READERS_OF_TABLES,
            codes: &[1, 2],
            message: "the sheet's rows span 1302 rows × 16384 columns; expected at most 20000000 cells (columns A to XFD are in use",
        },
        Case {
            name: "an XLSX file whose shared strings inflate to 300 MiB",
            file: "bomb.xlsx",
            make: shared_strings_bomb,
            builtin: false,
            commands: READERS_OF_TABLES,
            codes: &[1, 2],
            message: "the workbook expands to more than 256 MiB (at part `xl/sharedStrings.xml`)",
        },
        Case {
            name: "a CSV whose quote is left open in a name, taking in the rows after it",
            file: "open-quote.csv",
            make: quote_left_open,
            builtin: false,
            commands: &[Score, Report, Explain],
            codes: &[1],
            message: "open-quote.csv:2:3: error: a quoted cell opened on line 2 runs over 2 line ends, to line 4, and takes in 2 lines that look like rows",
        },
        Case {
            name: "a CSV whose quote is left open, imported",
            file: "open-quote.csv",
            make: quote_left_open,
            builtin: false,
            commands: &[Import],
            codes: &[1],
            message: "1 rows: 0 response files written, 0 unchanged, 1 rejected",
        },
        Case {
            name: "a CSV of 1,001 rows of one country and round",
            file: "one-group.csv",
            make: one_group_too_large,
            builtin: false,
            commands: &[Score, Report, Explain],
            codes: &[1],
            message: "XA 2025 has 1001 responses; expected at most 1000 for one country and round",
        },
        Case {
            name: "YAML nested 20,000 deep",
            file: "deep.yaml",
            make: deep_nesting,
            builtin: false,
            commands: READERS_OF_RESPONSES,
            codes: &[1],
            message: "deep.yaml:2:",
        },
        Case {
            name: "a response in Latin-1",
            file: "latin1.yaml",
            make: latin1,
            builtin: false,
            commands: READERS_OF_RESPONSES,
            codes: &[1],
            message: "latin1.yaml:5:17: error: invalid UTF-8 (byte 0xE9); expected a UTF-8 text file",
        },
        Case {
            name: "a response with a raw DEL character in a quoted text",
            file: "del.yaml",
            make: delete_character,
            builtin: false,
            commands: READERS_OF_RESPONSES,
            codes: &[1],
            message: "del.yaml:5:16: error: invalid YAML: unexpected character",
        },
        Case {
            name: "a 300 MB YAML file",
            file: "huge.yaml",
            make: huge_sparse_file,
            builtin: false,
            commands: READERS_OF_RESPONSES,
            codes: &[1, 2],
            message: "file is 300.0 MiB; expected a YAML file of at most 16 MiB",
        },
        Case {
            name: "a CSV with a question column given twice",
            file: "twice.csv",
            make: column_twice,
            builtin: false,
            commands: READERS_OF_TABLES,
            codes: &[1],
            message: "twice.csv:1:5: error: column `p_train` repeats column 3; expected each column once",
        },
        Case {
            name: "a CSV saved as UTF-16",
            file: "utf16.csv",
            make: utf16,
            builtin: false,
            commands: READERS_OF_TABLES,
            codes: &[1],
            message: "utf16.csv:1:1: error: the file is UTF-16 text; expected UTF-8",
        },
        Case {
            name: "a YAML alias bomb",
            file: "bomb.yaml",
            make: alias_bomb,
            builtin: false,
            commands: READERS_OF_RESPONSES,
            codes: &[1],
            message: "bomb.yaml:9:45: error: YAML aliases (`*name`) expand here to more than 1000000 nodes",
        },
    ]
}

/// The arguments that make `command` read `file`, writing only under `dir`.
fn arguments(command: Command, file: &Path, dir: &Path, questionnaire: &str) -> Vec<String> {
    let file = file.display().to_string();
    let out = |name: &str| dir.join(name).display().to_string();
    let words: Vec<String> = match command {
        Validate => vec!["validate".into(), file],
        Import => vec!["import".into(), file, "--out".into(), out("imported")],
        Score => vec!["score".into(), file],
        Report => vec!["report".into(), file, "--out".into(), out("report")],
        Explain => vec!["explain".into(), file, "--country".into(), "XA".into()],
        Plan => vec!["plan".into(), file, "--country".into(), "XA".into()],
    };
    let mut words = words;
    words.extend(["--questionnaire".to_owned(), questionnaire.to_owned()]);
    words
}

#[test]
fn every_hostile_input_is_refused_cleanly_by_every_command_that_reads_it() {
    let dir = tempfile::tempdir().unwrap();
    let mut failures = Vec::new();
    for (number, case) in cases().into_iter().enumerate() {
        let case_started = Instant::now();
        let folder = dir.path().join(number.to_string());
        std::fs::create_dir(&folder).unwrap();
        let file: PathBuf = folder.join(case.file);
        (case.make)(&file);
        let questionnaire = if case.builtin {
            "eu-lac-cyber-capacity".to_owned()
        } else {
            hygiene()
        };
        for &command in case.commands {
            let started = Instant::now();
            let output = cybercap()
                .args(arguments(command, &file, &folder, &questionnaire))
                .output()
                .unwrap();
            let took = started.elapsed();
            let stderr = String::from_utf8_lossy(&output.stderr);
            let code = output.status.code();
            let problem = if code.is_none_or(|c| !case.codes.contains(&c)) {
                Some(format!(
                    "exit {:?}, expected one of {:?}",
                    output.status, case.codes
                ))
            } else if stderr.contains("panicked") {
                Some("panicked".to_owned())
            } else if !stderr.contains(case.file) && !stderr.contains("rejects.csv") {
                Some("the message does not name the file".to_owned())
            } else if !stderr.contains(case.message) {
                Some(format!("the message lacks `{}`", case.message))
            } else if took > Duration::from_secs(60) {
                Some(format!("took {took:?}"))
            } else {
                None
            };
            if let Some(problem) = problem {
                failures.push(format!("{} ({command:?}): {problem}\n{stderr}", case.name));
            }
        }
        eprintln!("{}: {:?}", case.name, case_started.elapsed());
    }
    let mut stderr = std::io::stderr();
    for failure in &failures {
        let _ = writeln!(stderr, "{failure}\n");
    }
    assert!(failures.is_empty(), "{} failures", failures.len());
}
