//! Time of `cybercap report`: the demo's report with PNG charts, the dialogue's real scale (the 27
//! EU members and the 33 CELAC states, three rounds) against the demo in the same run, and how
//! time grows with the number of countries (20 vs 200 countries, 5 rounds each, every format).
//!
//! Run with `cargo bench --bench report`. Each case is run three times; the median is reported.

use std::path::Path;

mod common;

use cybercap::builtin::{latest, questionnaires};
use cybercap::model::write::response_to_yaml;
use cybercap::samples::{generate, groups_yaml, synthetic_response};

const RUNS: usize = 3;

fn median_seconds(args: &[&str]) -> f64 {
    let times: Vec<f64> = (0..RUNS)
        .map(|_| {
            let (seconds, _, success) = common::measure(args);
            assert!(success, "report failed: {args:?}");
            seconds
        })
        .collect();
    common::median(times)
}

/// `countries` ISO countries (EU and LAC first, so the default groups apply) × 5 rounds.
fn make_countries(dir: &Path, countries: usize) {
    let questionnaire = &latest().unwrap();
    let codes: Vec<&str> = include_str!("../data/country-names.tsv")
        .lines()
        .filter(|l| !l.starts_with('#'))
        .filter_map(|l| l.split('\t').next())
        .collect();
    let preferred = [
        "AT", "BE", "BG", "HR", "CY", "CZ", "DK", "EE", "FI", "FR", "AR", "BO", "BR", "CL", "CO",
        "EC", "MX", "PA", "JM", "TT",
    ];
    let ordered: Vec<&str> = preferred
        .iter()
        .copied()
        .chain(codes.into_iter().filter(|c| !preferred.contains(c)))
        .take(countries)
        .collect();
    std::fs::create_dir_all(dir).unwrap();
    for code in ordered {
        for round in 0..5 {
            let round_name = (2021 + round).to_string();
            let response = synthetic_response(questionnaire, code, &round_name, round).unwrap();
            let path = dir.join(format!("{code}-{round_name}.yaml"));
            std::fs::write(path, response_to_yaml(questionnaire, &response)).unwrap();
        }
    }
}

fn main() {
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let root = tempfile::tempdir().unwrap();
    let root = root.path();

    let versions = questionnaires();
    let samples = root.join("samples");
    std::fs::create_dir_all(&samples).unwrap();
    for sample in generate(&versions[0], &versions[versions.len() - 1]) {
        std::fs::write(
            samples.join(&sample.file_name),
            response_to_yaml(sample.questionnaire, &sample.response),
        )
        .unwrap();
    }
    let demo_files = std::fs::read_dir(&samples).unwrap().count();
    let groups = root.join("groups.yaml");
    std::fs::write(&groups, groups_yaml()).unwrap();
    let out = root.join("demo-report");
    let demo_args = &[
        "report",
        samples.to_str().unwrap(),
        "--groups",
        groups.to_str().unwrap(),
        "--on-conflict",
        "latest",
        "--out",
        out.to_str().unwrap(),
    ];
    let demo = median_seconds(demo_args);
    let charts = std::fs::read_dir(out.join("charts")).unwrap().count();
    println!(
        "demo report, every format ({charts} chart files, PNGs at twice the size shown): {demo:.3} s"
    );

    // The dialogue against the demo, alternating so that a busy machine slows both alike.
    let dialogue = root.join("dialogue");
    let countries = common::make_dialogue(&dialogue);
    let dialogue_out = root.join("dialogue-report");
    let (mut demo_times, mut dialogue_times) = (Vec::new(), Vec::new());
    let once = |args: &[&str]| {
        let (seconds, _, success) = common::measure(args);
        assert!(success, "report failed: {args:?}");
        seconds
    };
    for _ in 0..RUNS {
        demo_times.push(once(demo_args));
        dialogue_times.push(once(&[
            "report",
            dialogue.to_str().unwrap(),
            "--out",
            dialogue_out.to_str().unwrap(),
        ]));
    }
    let (demo_again, dialogue_time) = (common::median(demo_times), common::median(dialogue_times));
    let html_bytes = std::fs::metadata(dialogue_out.join("index.html"))
        .unwrap()
        .len();
    let dialogue_charts = std::fs::read_dir(dialogue_out.join("charts"))
        .unwrap()
        .count();
    println!(
        "dialogue scale, {countries} countries × 3 rounds, every format ({dialogue_charts} chart \
         files): {dialogue_time:.3} s, × {:.2} the demo's {demo_again:.3} s; \
         index.html {:.2} MB (aim 1.5 MB)",
        dialogue_time / demo_again,
        html_bytes as f64 / 1e6
    );
    // The report draws every country, so its time follows the number of responses: the bound is
    // that a response costs no more at the dialogue's scale than in the demo.
    let per_response = (dialogue_time / (countries * 3) as f64) / (demo_again / demo_files as f64);
    println!(
        "time per response file: × {per_response:.2} the demo's ({} files against {demo_files}; \
         bound × 1.0)",
        countries * 3
    );

    let mut times = Vec::new();
    for countries in [20, 200] {
        let dir = root.join(format!("c{countries}"));
        make_countries(&dir, countries);
        let out = root.join(format!("r{countries}"));
        let seconds = median_seconds(&[
            "report",
            dir.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ]);
        println!("{countries:>3} countries × 5 rounds, every format: {seconds:.3} s");
        times.push(seconds);
    }
    println!(
        "200 / 20 countries: time × {:.2} (linear would be × 10)",
        times[1] / times[0]
    );
}
