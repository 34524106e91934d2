//! Rounds answered on different versions of one questionnaire: each scored on its own version,
//! compared on what the versions share, and the report says what changed.

mod common;

use std::path::{Path, PathBuf};

use common::{fixture, run, write_samples_on};

/// The built-in questionnaire 1.0.0 edited as 1.0.1: `wf_edu_inclusion` added, `wf_pa_competitions` removed,
/// `wf_edu_educators` renamed `wf_edu_teachers`.
fn version_1_0_1() -> String {
    fixture("versions/eu-lac-cyber-capacity-1.0.1.yaml")
        .display()
        .to_string()
}

/// The demo's samples with round 2025 answered on 1.0.1, as a country would answer it: the renamed
/// question under its new id, the removed one gone, the new one answered.
fn samples_across_versions(dir: &Path) -> (PathBuf, PathBuf) {
    let first = &cybercap::builtin::questionnaires()[0];
    let (responses, groups) = write_samples_on(dir, first, first);
    for entry in std::fs::read_dir(&responses).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        if !text.contains("round: \"2025\"") {
            continue;
        }
        let mut out = Vec::new();
        let mut in_removed = false;
        for line in text.lines() {
            if in_removed && line.starts_with("    ") {
                continue;
            }
            in_removed = line.starts_with("  wf_pa_competitions:");
            if in_removed {
                continue;
            }
            out.push(
                line.replace("eu-lac-cyber-capacity@1.0.0", "eu-lac-cyber-capacity@1.0.1")
                    .replace("  wf_edu_educators:", "  wf_edu_teachers:"),
            );
            if line == "answers:" {
                out.push("  wf_edu_inclusion: yes".to_owned());
            }
        }
        std::fs::write(&path, out.join("\n") + "\n").unwrap();
    }
    (responses, groups)
}

fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

#[test]
fn each_round_is_scored_on_its_own_version() {
    let dir = tempfile::tempdir().unwrap();
    let (responses, _) = samples_across_versions(dir.path());
    let responses = responses.to_str().unwrap();
    let q = version_1_0_1();
    let (code, out, err) = run(&[
        "score",
        responses,
        "--questionnaire",
        &q,
        "--on-conflict",
        "latest",
        "--format",
        "json",
    ]);
    assert_eq!(code, 0, "{err}");
    let scores = json(&out);
    assert_eq!(scores["questionnaire"]["version"], "1.0.1");
    let results = scores["results"].as_array().unwrap();
    assert_eq!(results.len(), 48);
    for result in results {
        let expected = if result["round"] == "2025" {
            "eu-lac-cyber-capacity@1.0.1"
        } else {
            "eu-lac-cyber-capacity@1.0.0"
        };
        assert_eq!(result["questionnaire"], expected, "{result}");
    }

    // The rounds on 1.0.0 score exactly as they do alone, on the built-in version.
    let original = dir.path().join("original");
    let first = &cybercap::builtin::questionnaires()[0];
    let (alone, _) = write_samples_on(&original, first, first);
    let (code, out, err) = run(&[
        "score",
        alone.to_str().unwrap(),
        "--on-conflict",
        "latest",
        "--format",
        "json",
    ]);
    assert_eq!(code, 0, "{err}");
    let alone = json(&out);
    let find = |doc: &serde_json::Value, round: &str| {
        doc["results"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["country"] == "XA" && r["round"] == round)
            .cloned()
            .unwrap()
    };
    assert_eq!(
        find(&scores, "2024")["overall"],
        find(&alone, "2024")["overall"]
    );
    // 2025 answered one more question (yes: full points) and lost one.
    assert_ne!(
        find(&scores, "2025")["overall"],
        find(&alone, "2025")["overall"]
    );
    let education = |doc: &serde_json::Value| doc["pillars"][0]["indicators"][0].clone();
    assert_eq!(
        education(&find(&scores, "2025"))["id"],
        "workforce.education"
    );

    // `explain` reads the 2025 round with the renamed question under its new id.
    let (code, out, err) = run(&[
        "explain",
        responses,
        "--questionnaire",
        &q,
        "--country",
        "XA",
        "--indicator",
        "workforce.education",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("eu-lac-cyber-capacity@1.0.1"), "{out}");
    assert!(out.contains("wf_edu_teachers"), "{out}");
    assert!(out.contains("wf_edu_inclusion"), "{out}");
    let (code, out, err) = run(&[
        "explain",
        responses,
        "--questionnaire",
        &q,
        "--country",
        "XA",
        "--round",
        "2024",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("eu-lac-cyber-capacity@1.0.0"), "{out}");
    assert!(out.contains("wf_edu_educators") && out.contains("wf_pa_competitions"));
}

#[test]
fn the_report_compares_rounds_across_versions_and_says_what_changed() {
    let dir = tempfile::tempdir().unwrap();
    let (responses, groups) = samples_across_versions(dir.path());
    let out = dir.path().join("report");
    let q = version_1_0_1();
    let (code, _, err) = run(&[
        "report",
        responses.to_str().unwrap(),
        "--questionnaire",
        &q,
        "--groups",
        groups.to_str().unwrap(),
        "--on-conflict",
        "latest",
        "--format",
        "md,json,csv",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    let md = std::fs::read_to_string(out.join("report.md")).unwrap();
    assert!(md.contains("Version 1.0.0: 2023, 2024."), "{md}");
    assert!(md.contains("Version 1.0.1: 2025."), "{md}");
    let changes = md
        .lines()
        .find(|l| l.starts_with("From 1.0.0 to 1.0.1:"))
        .unwrap_or_else(|| panic!("no changes line in {md}"));
    assert!(
        changes.contains("added: question wf\\_edu\\_inclusion"),
        "{changes}"
    );
    assert!(
        changes.contains("removed: question wf\\_pa\\_competitions"),
        "{changes}"
    );
    assert!(
        changes.contains("renamed: question wf\\_edu\\_educators → wf\\_edu\\_teachers"),
        "{changes}"
    );
    assert!(md.contains("Not comparable across these versions"), "{md}");

    // The trend across rounds spans the three rounds, and what changed compares 2024 with 2025.
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("scores.json")).unwrap()).unwrap();
    let rounds: Vec<&str> = json["rounds"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r.as_str().unwrap())
        .collect();
    assert_eq!(rounds, ["2023", "2024", "2025"]);
    assert!(md.contains("2024 → 2025"), "{md}");
    // Each round's scores as its own version lays them out, as `score` writes them.
    let csv = std::fs::read_to_string(out.join("scores.csv")).unwrap();
    assert!(
        csv.contains("XA,2025,overall,eu-lac-cyber-capacity,"),
        "{csv}"
    );
    // The answers appendix holds both the old and the new question.
    assert!(md.contains("(wf\\_edu\\_teachers ·"), "{md}");
}

#[test]
fn a_country_and_round_is_scored_on_one_version() {
    let dir = tempfile::tempdir().unwrap();
    let (responses, _) = samples_across_versions(dir.path());
    // A second respondent of XA 2025 still on 1.0.0.
    let old = std::fs::read_to_string(responses.join("XA-2024-1.yaml"))
        .unwrap()
        .replace("round: \"2024\"", "round: \"2025\"");
    std::fs::write(responses.join("XA-2025-9.yaml"), old).unwrap();
    let (code, out, err) = run(&[
        "score",
        responses.to_str().unwrap(),
        "--questionnaire",
        &version_1_0_1(),
        "--on-conflict",
        "latest",
    ]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("XA-2025-9.yaml")
            && err.contains("answers `eu-lac-cyber-capacity@1.0.0`, but XA 2025 was first answered on `eu-lac-cyber-capacity@1.0.1`"),
        "{err}"
    );
    // The country and round is still scored on the responses of its version.
    assert!(out.lines().any(|l| l.starts_with("XA       2025")), "{out}");
}

#[test]
fn one_run_scores_one_questionnaire() {
    let dir = tempfile::tempdir().unwrap();
    let (responses, _) = samples_across_versions(dir.path());
    let hygiene = common::hygiene();
    let (code, _, err) = run(&[
        "score",
        responses.to_str().unwrap(),
        "--questionnaire",
        &version_1_0_1(),
        "--questionnaire",
        &hygiene,
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("another questionnaire than `eu-lac-cyber-capacity@1.0.1`"),
        "{err}"
    );
    // Without the 1.0.1 file, its rounds are refused by name and the others scored.
    let (code, out, err) = run(&[
        "score",
        responses.to_str().unwrap(),
        "--on-conflict",
        "latest",
    ]);
    assert_eq!(code, 1);
    assert!(
        err.contains("unknown questionnaire `eu-lac-cyber-capacity@1.0.1`"),
        "{err}"
    );
    assert!(out.contains("2024") && !out.contains("2025"), "{out}");
}

#[test]
fn a_rename_must_name_an_id_no_longer_used() {
    let text = std::fs::read_to_string(fixture("versions/eu-lac-cyber-capacity-1.0.1.yaml"))
        .unwrap()
        .replace("replaces: wf_edu_educators", "replaces: wf_edu_school");
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("q.yaml");
    std::fs::write(&path, text).unwrap();
    let (code, out, err) = run(&["validate", path.to_str().unwrap()]);
    assert_eq!(code, 1, "{out}{err}");
    let all = out + &err;
    assert!(
        all.contains("replaces `wf_edu_school`, which is still an id in this questionnaire"),
        "{all}"
    );
}

#[test]
fn a_builtin_questionnaire_comes_out_to_edit_and_the_versions_compare() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("q.yaml");
    let out = path.to_str().unwrap();
    let (code, _, err) = run(&[
        "questionnaire",
        "show",
        "eu-lac-cyber-capacity",
        "--out",
        out,
    ]);
    assert_eq!(code, 0, "{err}");
    let (code, stdout, _) = run(&["validate", out]);
    assert_eq!(code, 0, "{stdout}");
    // Never over an existing file.
    let (code, _, err) = run(&[
        "questionnaire",
        "show",
        "eu-lac-cyber-capacity",
        "--out",
        out,
    ]);
    assert_ne!(code, 0);
    assert!(err.contains("exists"), "{err}");

    let edited = std::fs::read_to_string(&path)
        .unwrap()
        .replace("version: 1.1.0", "version: 1.2.0")
        .replacen("          weight: 2\n", "          weight: 4\n", 1);
    std::fs::write(&path, edited).unwrap();
    let (code, text, err) = run(&["questionnaire", "diff", "eu-lac-cyber-capacity", out]);
    assert_eq!(code, 0, "{err}");
    assert!(
        text.starts_with("eu-lac-cyber-capacity@1.1.0 → eu-lac-cyber-capacity@1.2.0: 1 change\n"),
        "{text}"
    );
    assert!(
        text.contains("re-weighted     question  ") && text.contains(": 2 → 4"),
        "{text}"
    );

    let (code, text, err) = run(&[
        "questionnaire",
        "diff",
        "eu-lac-cyber-capacity@1.0.0",
        &version_1_0_1(),
        "--format",
        "json",
    ]);
    assert_eq!(code, 0, "{err}");
    let diff = json(&text);
    assert_eq!(diff["new"], "eu-lac-cyber-capacity@1.0.1");
    let kinds: Vec<(&str, &str)> = diff["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["kind"].as_str().unwrap(), c["id"].as_str().unwrap()))
        .collect();
    assert_eq!(
        kinds,
        [
            ("added", "wf_edu_inclusion"),
            ("renamed", "wf_edu_teachers"),
            ("removed", "wf_pa_competitions")
        ]
    );
    let (code, _, err) = run(&[
        "questionnaire",
        "diff",
        "eu-lac-cyber-capacity",
        &common::hygiene(),
    ]);
    assert_eq!(code, 2, "{err}");
}

#[test]
fn a_table_exports_the_answers_to_one_version() {
    let dir = tempfile::tempdir().unwrap();
    let (responses, _) = samples_across_versions(dir.path());
    let (code, out, err) = run(&[
        "export",
        responses.to_str().unwrap(),
        "--questionnaire",
        &version_1_0_1(),
    ]);
    assert_eq!(code, 2, "{err}");
    assert!(out.is_empty());
    assert!(
        err.contains(
            "the responses answer eu-lac-cyber-capacity@1.0.0 and eu-lac-cyber-capacity@1.0.1"
        ),
        "{err}"
    );
}
