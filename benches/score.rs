//! Throughput and peak memory of `cybercap score` over 1,000 and 10,000 response files.
//!
//! Run with `cargo bench --bench score`. Files are made with the sample generator (250 entities
//! with user-assigned codes × as many rounds as needed), then the release binary scores the folder
//! three times; the median wall time and the largest peak RSS are reported, with the 10,000 / 1,000
//! ratios, which stay meaningful on a noisy shared machine.

use std::path::Path;
use std::time::Instant;

mod common;

use cybercap::builtin::questionnaires;
use cybercap::model::write::response_to_yaml;
use cybercap::samples::synthetic_response;

const ENTITIES: usize = 250;
const RUNS: usize = 3;

fn entity_code(i: usize) -> String {
    let letters = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    format!("X{}{}", letters[i / 26] as char, letters[i % 26] as char)
}

fn make_files(dir: &Path, count: usize) {
    let questionnaire = &questionnaires()[0];
    std::fs::create_dir_all(dir).unwrap();
    for i in 0..count {
        let entity = entity_code(i % ENTITIES);
        let round_index = i / ENTITIES;
        let round = format!("r{round_index:03}");
        let response =
            synthetic_response(questionnaire, &entity, &round, round_index.min(6)).unwrap();
        let path = dir.join(format!("{entity}-{round}.yaml"));
        std::fs::write(path, response_to_yaml(questionnaire, &response)).unwrap();
    }
}

/// `score --format FORMAT DIR`: (seconds, peak resident set in KiB).
fn measure(dir: &Path, format: &str) -> (f64, i64) {
    let dir = dir.to_str().unwrap();
    let (seconds, peak, success) = common::measure(&["score", "--format", format, dir]);
    assert!(success, "score failed");
    (seconds, peak)
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` passes nothing and expects no work.
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let root = tempfile::tempdir().unwrap();
    let mut results = Vec::new();
    for count in [1_000, 10_000] {
        let dir = root.path().join(count.to_string());
        let made = Instant::now();
        make_files(&dir, count);
        eprintln!(
            "made {count} files in {:.1} s",
            made.elapsed().as_secs_f64()
        );
        for format in ["table", "json"] {
            let mut times = Vec::new();
            let mut peak = 0;
            for _ in 0..RUNS {
                let (seconds, rss) = measure(&dir, format);
                times.push(seconds);
                peak = peak.max(rss);
            }
            let median = common::median(times);
            println!(
                "score --format {format:5} {count:>6} files: {median:6.3} s  {:>8.0} files/s  peak {:6.1} MiB",
                count as f64 / median,
                peak as f64 / 1024.0
            );
            results.push((count, format, median, peak));
        }
    }
    for format in ["table", "json"] {
        let of = |n| results.iter().find(|r| r.0 == n && r.1 == format).unwrap();
        let (small, large) = (of(1_000), of(10_000));
        println!(
            "{format}: 10,000 / 1,000 files: time × {:.2}, peak memory × {:.2}",
            large.2 / small.2,
            large.3 as f64 / small.3 as f64
        );
    }
}
