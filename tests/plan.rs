//! `cybercap plan`: the changes it proposes, written into a copy of the responses and scored
//! again, reach the stage it promises.

mod common;

use std::path::Path;

use common::{run, write_samples};
use serde_json::Value;

/// Rewrites the answers of `changes` (the plan's JSON list) in every response file of `country`
/// and `round` under `folder`, as a respondent would: the old answer goes, the new one is added.
fn apply(folder: &Path, country: &str, round: &str, changes: &[Value]) {
    let prefix = format!("{country}-{round}-");
    for entry in std::fs::read_dir(folder).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_str().unwrap().to_owned();
        if !name.starts_with(&prefix) {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let mut lines: Vec<String> = Vec::new();
        let mut skipping = false;
        for line in text.lines() {
            let answer_of = |change: &Value| {
                let id = change["question"].as_str().unwrap();
                line.starts_with(&format!("  {id}:"))
            };
            if changes.iter().any(answer_of) {
                skipping = true;
                continue;
            }
            // A detailed answer's value, note and evidence are indented under it.
            if skipping && line.starts_with("    ") {
                continue;
            }
            skipping = false;
            lines.push(line.to_owned());
        }
        assert_eq!(lines.last().map(|l| l.starts_with("  ")), Some(true));
        for change in changes {
            // JSON strings, numbers and lists are YAML flow values too.
            lines.push(format!(
                "  {}: {}",
                change["question"].as_str().unwrap(),
                change["to"]
            ));
        }
        std::fs::write(&path, lines.join("\n") + "\n").unwrap();
    }
}

fn json(args: &[&str]) -> Value {
    let (code, stdout, stderr) = run(args);
    assert_eq!(code, 0, "{args:?}: {stderr}");
    serde_json::from_str(&stdout).unwrap()
}

/// The score of `target` (overall, a pillar or an indicator id) of one country and round.
fn score_of(scores: &Value, country: &str, round: &str, target: &str) -> f64 {
    let result = scores["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["country"] == country && r["round"] == round)
        .unwrap_or_else(|| panic!("{country} {round} in {scores}"));
    if target == "overall" {
        return result["overall"]["score"].as_f64().unwrap();
    }
    for pillar in result["pillars"].as_array().unwrap() {
        if pillar["id"] == target {
            return pillar["score"].as_f64().unwrap();
        }
        for indicator in pillar["indicators"].as_array().unwrap() {
            if indicator["id"] == target {
                return indicator["score"].as_f64().unwrap();
            }
        }
    }
    panic!("no {target} in {result}");
}

/// Plans `target` for `country`'s latest round, applies the plan to a copy of the responses and
/// checks the new score reaches the stage, as the plan says.
fn plan_reaches_its_stage(responses: &Path, copy: &Path, country: &str, target: &str) -> Value {
    let folder = responses.to_str().unwrap();
    let plan = json(&[
        "plan",
        folder,
        "--country",
        country,
        "--target",
        target,
        "--format",
        "json",
    ]);
    let round = plan["round"].as_str().unwrap().to_owned();
    let goal = plan["goal"].as_u64().unwrap();
    let changes = plan["changes"].as_array().unwrap();
    if plan["stage"].as_u64().unwrap() == 5 {
        assert!(changes.is_empty());
        return plan;
    }
    assert_eq!(goal, plan["stage"].as_u64().unwrap() + 1, "{plan}");
    assert!(!changes.is_empty(), "{plan}");
    let _ = std::fs::remove_dir_all(copy);
    std::fs::create_dir_all(copy).unwrap();
    for entry in std::fs::read_dir(responses).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, copy.join(path.file_name().unwrap())).unwrap();
    }
    apply(copy, country, &round, changes);
    let copied = copy.to_str().unwrap();
    let (code, _, stderr) = run(&["validate", copied]);
    assert_eq!(code, 0, "the changed files stay valid: {stderr}");
    let before = score_of(
        &json(&[
            "score",
            folder,
            "--format",
            "json",
            "--on-conflict",
            "latest",
        ]),
        country,
        &round,
        target,
    );
    let after = score_of(
        &json(&[
            "score",
            copied,
            "--format",
            "json",
            "--on-conflict",
            "latest",
        ]),
        country,
        &round,
        target,
    );
    let threshold = plan["threshold"].as_f64().unwrap();
    assert!(
        before < threshold,
        "{country} {target}: {before} already at {threshold}"
    );
    assert!(
        after >= threshold - 1e-9,
        "{country} {target}: {after} < {threshold}"
    );
    assert!((after - plan["reached"].as_f64().unwrap()).abs() < 1e-9);
    let gains: f64 = changes.iter().map(|c| c["gain"].as_f64().unwrap()).sum();
    assert!(
        (before + gains - after).abs() < 1e-9,
        "the gains add up to the change"
    );
    plan
}

#[test]
fn the_plan_for_xa_2025_reaches_the_next_stage_once_written_into_its_files() {
    let dir = tempfile::tempdir().unwrap();
    let (responses, _) = write_samples(dir.path());
    let plan = plan_reaches_its_stage(&responses, &dir.path().join("copy"), "XA", "overall");
    assert_eq!(plan["round"], "2025");
    assert_eq!(plan["questionnaire"]["version"], "1.1.0");
    assert_eq!(plan["optimal"], true);
    for change in plan["changes"].as_array().unwrap() {
        assert!(
            change["gain"].is_number() && change["text"].is_string(),
            "{change}"
        );
    }
}

#[test]
fn every_plan_of_every_demo_country_and_pillar_reaches_its_stage() {
    let dir = tempfile::tempdir().unwrap();
    let (responses, _) = write_samples(dir.path());
    let copy = dir.path().join("copy");
    let countries = json(&[
        "score",
        responses.to_str().unwrap(),
        "--format",
        "json",
        "--on-conflict",
        "latest",
    ]);
    let mut codes: Vec<String> = countries["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["country"].as_str().unwrap().to_owned())
        .collect();
    codes.dedup();
    assert_eq!(codes.len(), 16);
    for (n, country) in codes.iter().enumerate() {
        // Every country's overall score, and each pillar in turn across the countries.
        plan_reaches_its_stage(&responses, &copy, country, "overall");
        let pillar = ["workforce", "cooperation", "ecosystem", "connectivity"][n % 4];
        plan_reaches_its_stage(&responses, &copy, country, pillar);
    }
    plan_reaches_its_stage(&responses, &copy, "XB", "ecosystem.online_protection");
}

#[test]
fn a_plan_reads_in_the_language_asked_and_names_its_answers() {
    let dir = tempfile::tempdir().unwrap();
    let (responses, _) = write_samples(dir.path());
    let folder = responses.to_str().unwrap();
    let (code, english, _) = run(&["plan", folder, "--country", "XA"]);
    assert_eq!(code, 0);
    assert!(
        english.contains("Path to stage 3 Established: Overall"),
        "{english}"
    );
    assert!(
        english.contains("Now: ") && english.contains("Proposed: "),
        "{english}"
    );
    let (code, spanish, _) = run(&["plan", folder, "--country", "XA", "--lang", "es"]);
    assert_eq!(code, 0);
    assert!(spanish.contains("Camino a la etapa 3"), "{spanish}");
    assert!(spanish.contains("Propuesta: "), "{spanish}");
    let (_, french, _) = run(&["plan", folder, "--country", "XA", "--lang", "fr"]);
    assert!(french.contains("Proposé\u{a0}: "), "{french}");
    let (_, portuguese, _) = run(&["plan", folder, "--country", "XA", "--lang", "pt"]);
    assert!(
        portuguese.contains("Caminho para a etapa 3"),
        "{portuguese}"
    );
    // A stage already reached needs nothing.
    let (code, done, _) = run(&["plan", folder, "--country", "XA", "--stage", "1"]);
    assert_eq!(code, 0);
    assert!(
        done.contains("Already at stage 2: nothing to change."),
        "{done}"
    );
}

#[test]
fn bad_arguments_are_named_and_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let (responses, _) = write_samples(dir.path());
    let folder = responses.to_str().unwrap();
    let cases: [(&[&str], &str); 4] = [
        (&["--country", "ZZ"], "ZZ"),
        (
            &["--country", "XA", "--target", "workforce.nothing"],
            "unknown target `workforce.nothing`",
        ),
        (&["--country", "XA", "--stage", "6"], "6"),
        (&["--country", "XA", "--round", "1999"], "1999"),
    ];
    for (extra, expected) in cases {
        let mut args = vec!["plan", folder];
        args.extend_from_slice(extra);
        let (code, _, stderr) = run(&args);
        assert_eq!(code, 2, "{args:?}: {stderr}");
        assert!(stderr.contains(expected), "{args:?}: {stderr}");
    }
}
