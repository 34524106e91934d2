//! Throughput and peak memory of `cybercap score` over 1,000 and 10,000 response files.
//!
//! Run with `cargo bench --bench score`. Files are made with the sample generator (250 entities
//! with user-assigned codes × as many rounds as needed), then the release binary scores the folder
//! three times; the median wall time and the largest peak RSS are reported, with the 10,000 / 1,000
//! ratios, which stay meaningful on a noisy shared machine.
//!
//! Then the 10,000 files are rewritten in PyYAML's `safe_dump` layout (`pyyaml_layout.py`) and
//! scored by cybercap and by a small Python scorer with PyYAML's C loader (`score.py`), whose
//! overall scores are first checked against cybercap's, so that like is compared with like.

use std::path::Path;
use std::process::Command;
use std::time::Instant;

mod common;

use cybercap::builtin::latest;
use cybercap::model::write::response_to_yaml;
use cybercap::samples::synthetic_response;

const ENTITIES: usize = 250;
const RUNS: usize = 3;
/// Runs of each side of the Python comparison: its ratio is the figure that matters, and the
/// Python side is long enough that five runs cost a minute.
const COMPARISON_RUNS: usize = 5;

fn entity_code(i: usize) -> String {
    let letters = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    format!("X{}{}", letters[i / 26] as char, letters[i % 26] as char)
}

fn make_files(dir: &Path, count: usize) {
    let questionnaire = &latest().unwrap();
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

/// Runs a Python script of `benches/`, returning its standard output.
fn python(script: &str, args: &[&str]) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("benches")
        .join(script);
    let output = Command::new("python3")
        .arg(path)
        .args(args)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{script}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

/// Installs PyYAML from PyPI when it, or its C loader, is missing.
fn ensure_pyyaml() {
    let ready = Command::new("python3")
        .args(["-c", "import yaml; yaml.CSafeLoader"])
        .status()
        .is_ok_and(|s| s.success());
    if !ready {
        let installed = Command::new("python3")
            .args(["-m", "pip", "install", "--quiet", "pyyaml"])
            .status()
            .unwrap();
        assert!(installed.success(), "pip install pyyaml failed");
    }
}

/// Overall score of each `country/round`, from `score --format json` or from `score.py`.
fn overall_scores(json: &str) -> Vec<(String, Option<f64>)> {
    let value: serde_json::Value = serde_json::from_str(json).unwrap();
    let mut scores: Vec<(String, Option<f64>)> = match value.get("results") {
        Some(results) => results
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                (
                    format!(
                        "{}/{}",
                        r["country"].as_str().unwrap(),
                        r["round"].as_str().unwrap()
                    ),
                    r["overall"]["score"].as_f64(),
                )
            })
            .collect(),
        None => value
            .as_object()
            .unwrap()
            .iter()
            .map(|(k, v)| (k.clone(), v.as_f64()))
            .collect(),
    };
    scores.sort_by(|a, b| a.0.cmp(&b.0));
    scores
}

/// The 10,000 files in PyYAML's layout, scored by cybercap and by `score.py`.
fn pyyaml_comparison(own: &Path, root: &Path) {
    ensure_pyyaml();
    let pyyaml = root.join("pyyaml");
    let (own_str, pyyaml_str) = (own.to_str().unwrap(), pyyaml.to_str().unwrap());
    python("pyyaml_layout.py", &[own_str, pyyaml_str]);
    // Like with like: a few files scored both ways give the same overall scores.
    let sample = root.join("sample");
    std::fs::create_dir_all(&sample).unwrap();
    for entry in std::fs::read_dir(&pyyaml).unwrap().take(20) {
        let path = entry.unwrap().path();
        std::fs::copy(&path, sample.join(path.file_name().unwrap())).unwrap();
    }
    let sample_str = sample.to_str().unwrap();
    let ours = Command::new(env!("CARGO_BIN_EXE_cybercap"))
        .args(["score", "--format", "json", sample_str])
        .output()
        .unwrap();
    let questionnaire =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("questionnaires/eu-lac-cyber-capacity.yaml");
    let theirs = python("score.py", &[questionnaire.to_str().unwrap(), sample_str]);
    let (ours, theirs) = (
        overall_scores(&String::from_utf8(ours.stdout).unwrap()),
        overall_scores(&theirs),
    );
    assert_eq!(ours.len(), theirs.len());
    for ((key, a), (_, b)) in ours.iter().zip(&theirs) {
        assert!(
            a.zip(*b).is_some_and(|(a, b)| (a - b).abs() < 1e-9) || a == b,
            "{key}: cybercap {a:?}, score.py {b:?}"
        );
    }
    // The three alternate, so that a busy moment of the machine weighs on each alike.
    let mut times: [Vec<f64>; 3] = Default::default();
    let mut peaks = [0i64; 3];
    for _ in 0..COMPARISON_RUNS {
        for (i, dir) in [own_str, pyyaml_str].into_iter().enumerate() {
            let (seconds, rss) = measure(Path::new(dir), "json");
            times[i].push(seconds);
            peaks[i] = peaks[i].max(rss);
        }
        let started = Instant::now();
        python("score.py", &[questionnaire.to_str().unwrap(), pyyaml_str]);
        times[2].push(started.elapsed().as_secs_f64());
        peaks[2] = peaks[2].max(children_peak_kib());
    }
    let labels = [
        "cybercap, own layout",
        "cybercap, PyYAML layout",
        "Python + PyYAML CSafeLoader",
    ];
    let rows: Vec<(&str, f64, i64)> = labels
        .into_iter()
        .zip(times)
        .zip(peaks)
        .map(|((label, times), peak)| (label, common::median(times), peak))
        .collect();
    let python_time = rows[2].1;
    for (label, seconds, peak) in rows {
        println!(
            "{label:28} 10000 files: {seconds:6.3} s  peak {:6.1} MiB  Python / this × {:5.1}",
            peak as f64 / 1024.0,
            python_time / seconds
        );
    }
}

/// The largest peak resident set of any child waited for so far, in KiB.
fn children_peak_kib() -> i64 {
    // SAFETY: rusage is plain data that getrusage fills in.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage) };
    usage.ru_maxrss
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
    pyyaml_comparison(&root.path().join("10000"), root.path());
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
