//! Time of `cybercap plan`: the plans of the overall score and of every pillar for every demo
//! country's latest round, through the library (the search alone) and through the binary (files
//! read, merged, scored and planned), beside `cybercap score` on the same files in the same run.
//!
//! Run with `cargo bench --bench plan`. Each case is run five times; the median is reported.

use std::time::Instant;

mod common;

use cybercap::analysis::plan::{Planner, Target};
use cybercap::builtin::questionnaires;
use cybercap::model::write::response_to_yaml;
use cybercap::samples::generate;
use cybercap::scoring::{ConflictPolicy, Submission, merge};

const RUNS: usize = 5;

fn main() {
    let versions = questionnaires();
    let (earlier, latest) = (&versions[0], &versions[versions.len() - 1]);
    let samples = generate(earlier, latest);
    // Each country's latest round, its respondents merged as `score` merges them.
    let mut countries: Vec<(String, Vec<Submission>)> = Vec::new();
    for (n, sample) in samples.iter().enumerate() {
        if !std::ptr::eq(sample.questionnaire, latest) {
            continue;
        }
        let code = sample.response.country.to_string();
        let submission = Submission {
            source: n,
            submitted: sample.response.submitted,
            answers: sample.response.answers.clone(),
        };
        match countries.iter_mut().find(|(c, _)| *c == code) {
            Some((_, submissions)) => submissions.push(submission),
            None => countries.push((code, vec![submission])),
        }
    }
    let merged: Vec<_> = countries
        .iter()
        .map(|(_, submissions)| merge(latest, submissions.clone(), ConflictPolicy::Latest))
        .collect();
    let targets: Vec<Target> = std::iter::once(Target::Overall)
        .chain((0..latest.pillars.len()).map(Target::Pillar))
        .collect();
    let mut slowest = 0.0f64;
    let mut changes = 0usize;
    let times: Vec<f64> = (0..RUNS)
        .map(|_| {
            let started = Instant::now();
            for m in &merged {
                // As the report plans: one planner per country, for every target.
                let one = Instant::now();
                let answers = m.values();
                let planner = Planner::new(latest, &answers);
                for &target in &targets {
                    let found = planner.plan(target, None).expect("a plan");
                    changes = changes.max(found.changes.len());
                }
                slowest = slowest.max(one.elapsed().as_secs_f64());
            }
            started.elapsed().as_secs_f64()
        })
        .collect();
    let plans = merged.len() * targets.len();
    let library = common::median(times);
    println!(
        "plan, library: {plans} plans ({} countries × overall and {} pillars) in {:.1} ms, {:.2} ms a plan, slowest country {:.1} ms, up to {changes} changes",
        merged.len(),
        latest.pillars.len(),
        library * 1000.0,
        library * 1000.0 / plans as f64,
        slowest * 1000.0
    );

    let dir = tempfile::tempdir().unwrap();
    let responses = dir.path().join("responses");
    std::fs::create_dir_all(&responses).unwrap();
    for sample in &samples {
        std::fs::write(
            responses.join(&sample.file_name),
            response_to_yaml(sample.questionnaire, &sample.response),
        )
        .unwrap();
    }
    let folder = responses.to_str().unwrap();
    let mut plan_times = Vec::new();
    let mut score_times = Vec::new();
    for _ in 0..RUNS {
        let started = Instant::now();
        for (code, _) in &countries {
            let (_, _, success) =
                common::measure(&["plan", folder, "--country", code, "--on-conflict", "latest"]);
            assert!(success, "plan failed for {code}");
        }
        plan_times.push(started.elapsed().as_secs_f64() / countries.len() as f64);
        let (seconds, _, success) = common::measure(&["score", folder, "--on-conflict", "latest"]);
        assert!(success, "score failed");
        score_times.push(seconds);
    }
    let (plan_binary, score_binary) = (common::median(plan_times), common::median(score_times));
    println!(
        "plan, binary: {:.1} ms a country (read, merge, score, plan); score of all {} files {:.1} ms; plan of one country / score of all × {:.2}",
        plan_binary * 1000.0,
        samples.len(),
        score_binary * 1000.0,
        plan_binary / score_binary
    );
}
