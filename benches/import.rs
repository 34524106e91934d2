//! CSV batch runs: `score` straight from a CSV of 10,000 and 100,000 submissions against a bare
//! `csv`-crate parse of the same file (the floor), with peak memory; and `import` of 10,000 rows
//! into a fresh folder.
//!
//! The score and the parse are alternated five times and the medians compared, so that a busy
//! moment on a shared machine does not decide the ratio.
//!
//! Run with `cargo bench --bench import`.

use std::path::Path;
use std::time::Instant;

mod common;

use cybercap::builtin::latest;
use cybercap::model::{AnswerValue, Questionnaire};
use cybercap::samples::synthetic_response;
use cybercap::template::csv_template;

const ENTITIES: usize = 250;

fn cell(q: &Questionnaire, question: usize, value: &AnswerValue) -> String {
    let question = &q.questions[question];
    match value {
        AnswerValue::Multi(bits) => question
            .options()
            .iter()
            .enumerate()
            .filter(|(i, _)| bits & (1u64 << i) != 0)
            .map(|(_, o)| o.id.clone())
            .collect::<Vec<_>>()
            .join(";"),
        other => other.display(question),
    }
}

fn make_csv(path: &Path, rows: usize) {
    let q = &latest().unwrap();
    let header = csv_template(q);
    let mut writer = csv::Writer::from_path(path).unwrap();
    writer.write_record(&header).unwrap();
    let letters = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    for i in 0..rows {
        let e = i % ENTITIES;
        let entity = format!("X{}{}", letters[e / 26] as char, letters[e % 26] as char);
        let round_index = i / ENTITIES;
        let round = format!("r{round_index:04}");
        let response = synthetic_response(q, &entity, &round, round_index.min(6)).unwrap();
        let mut record = vec![String::new(); header.len()];
        record[0] = entity;
        record[1] = round;
        record[3] = "National CERT".to_owned();
        for (question, answer) in &response.answers {
            record[5 + question] = cell(q, *question, &answer.value);
        }
        writer.write_record(&record).unwrap();
    }
    writer.flush().unwrap();
}

/// (seconds, peak RSS in KiB) of the release binary.
fn measure(args: &[&str]) -> (f64, i64) {
    let (seconds, peak, _) = common::measure(args);
    (seconds, peak)
}

/// How many times the score and the bare parse are each run.
const RUNS: usize = 5;

fn bare_parse(path: &Path) -> f64 {
    let started = Instant::now();
    let mut reader = csv::Reader::from_path(path).unwrap();
    let mut record = csv::ByteRecord::new();
    let mut fields = 0usize;
    while reader.read_byte_record(&mut record).unwrap() {
        fields += record.len();
    }
    assert!(fields > 0);
    started.elapsed().as_secs_f64()
}

fn main() {
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let root = tempfile::tempdir().unwrap();
    let mut peaks = Vec::new();
    for rows in [10_000, 100_000] {
        let csv = root.path().join(format!("{rows}.csv"));
        make_csv(&csv, rows);
        let mut floors = Vec::new();
        let mut runs = Vec::new();
        for _ in 0..RUNS {
            floors.push(bare_parse(&csv));
            runs.push(measure(&[
                "score",
                csv.to_str().unwrap(),
                "--questionnaire",
                "eu-lac-cyber-capacity",
                "--format",
                "csv",
            ]));
        }
        let floor = common::median(floors);
        let seconds = common::median(runs.iter().map(|r| r.0).collect());
        let peak = runs.iter().map(|r| r.1).max().unwrap();
        println!(
            "{rows:>7} rows: score from CSV {seconds:.3} s ({:.0} rows/s, peak {:.1} MiB); bare csv parse {floor:.3} s; score / parse speed = {:.2} (medians of {RUNS})",
            rows as f64 / seconds,
            peak as f64 / 1024.0,
            floor / seconds
        );
        peaks.push(peak);
        if rows == 10_000 {
            let out = root.path().join("imported");
            let (seconds, peak) = measure(&[
                "import",
                csv.to_str().unwrap(),
                "--questionnaire",
                "eu-lac-cyber-capacity",
                "--out",
                out.to_str().unwrap(),
            ]);
            println!(
                "{rows:>7} rows: import into a fresh folder {seconds:.3} s ({:.0} rows/s, peak {:.1} MiB)",
                rows as f64 / seconds,
                peak as f64 / 1024.0
            );
            let (scored, _) = measure(&["score", out.to_str().unwrap(), "--format", "csv"]);
            println!("{rows:>7} rows: score of the imported files {scored:.3} s");
        }
    }
    println!(
        "peak memory, 100,000 / 10,000 rows: × {:.2}",
        peaks[1] as f64 / peaks[0] as f64
    );
}
