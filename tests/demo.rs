//! `demo` and `explain` as a new user runs them: the samples, their scores, and one explanation.

mod common;

use common::cybercap;

fn run_in(dir: &std::path::Path, args: &[&str]) -> (i32, String, String) {
    let output = cybercap().current_dir(dir).args(args).output().unwrap();
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn demo_prints_16_entities_by_3_rounds_and_says_where_its_files_are() {
    let dir = tempfile::tempdir().unwrap();
    let (code, stdout, stderr) = run_in(dir.path(), &["demo"]);
    assert_eq!(code, 0, "{stderr}");
    let (table, index) = stdout
        .split_once("\n\n")
        .expect("a table, then the report's path");
    let rows: Vec<&str> = table.lines().skip(1).collect();
    assert_eq!(rows.len(), 48, "{stdout}");
    assert!(
        index.trim_end().ends_with("cybercap-demo/index.html"),
        "{index}"
    );
    for entity in ["XA", "XH", "XP"] {
        for round in ["2023", "2024", "2025"] {
            assert!(
                rows.iter()
                    .any(|r| r.starts_with(entity) && r.contains(round)),
                "{entity} {round} missing"
            );
        }
    }
    let out = dir.path().join("cybercap-demo");
    assert!(stderr.contains("cybercap-demo/responses"), "{stderr}");
    assert!(out.join("index.html").exists() && out.join("report.md").exists());
    assert!(out.join("charts/profile-XA-2025.png").exists());
    assert_eq!(
        std::fs::read_dir(out.join("responses")).unwrap().count(),
        52
    );
    let json: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("scores.json")).unwrap()).unwrap();
    assert_eq!(json["results"].as_array().unwrap().len(), 48);
    let csv = std::fs::read_to_string(out.join("scores.csv")).unwrap();
    // Per result: overall + 4 pillars + the indicators of its version: 16 in 1.0.0 (rounds 2023
    // and 2024), 18 in 1.1.0 (2025).
    assert_eq!(csv.lines().count(), 1 + 32 * 21 + 16 * 23);
    insta::assert_snapshot!("demo_table", table);
    // The whole Markdown report, as every renderer's context reaches it; only the time of
    // making differs between runs.
    let report = std::fs::read_to_string(out.join("report.md")).unwrap();
    insta::assert_snapshot!("demo_report_md", without_timestamps(&report));
}

/// `2026-12-02 14:21 UTC` replaced by `<generated>`.
fn without_timestamps(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(" UTC") {
        let stamp_start = at.saturating_sub(16);
        let candidate = &rest[stamp_start..at];
        let is_stamp = candidate.len() == 16
            && candidate.bytes().enumerate().all(|(i, b)| match i {
                4 | 7 => b == b'-',
                10 => b == b' ',
                13 => b == b':',
                _ => b.is_ascii_digit(),
            });
        if is_stamp {
            out.push_str(&rest[..stamp_start]);
            out.push_str("<generated>");
        } else {
            out.push_str(&rest[..at + 4]);
        }
        rest = &rest[at + 4..];
    }
    out.push_str(rest);
    out
}

#[test]
fn demo_is_deterministic() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    run_in(a.path(), &["demo", "--out", "d"]);
    run_in(b.path(), &["demo", "--out", "d"]);
    for file in ["responses/XF-2024-2.yaml", "scores.csv", "groups.yaml"] {
        let left = std::fs::read(a.path().join("d").join(file)).unwrap();
        let right = std::fs::read(b.path().join("d").join(file)).unwrap();
        assert_eq!(left, right, "{file}");
    }
}

#[test]
fn explain_shows_each_answer_its_points_weight_share_and_file() {
    let dir = tempfile::tempdir().unwrap();
    common::write_samples(&dir.path().join("d"));
    let (code, stdout, stderr) = run_in(
        dir.path(),
        &[
            "explain",
            "d/responses",
            "--country",
            "XA",
            "--round",
            "2025",
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains("[1] d/responses/XA-2025-1.yaml"),
        "{stdout}"
    );
    assert!(stdout.contains("question") && stdout.contains("points") && stdout.contains("share"));
    insta::assert_snapshot!("explain_xa_2025", stdout);
}

#[test]
fn explain_lists_a_disagreement_and_the_answer_kept() {
    let dir = tempfile::tempdir().unwrap();
    common::write_samples(&dir.path().join("d"));
    let (code, _, stderr) = run_in(
        dir.path(),
        &[
            "explain",
            "d/responses",
            "--country",
            "XF",
            "--round",
            "2024",
        ],
    );
    assert_eq!(code, 1);
    assert!(
        stderr.contains("XF-2024-1.yaml") && stderr.contains("XF-2024-2.yaml"),
        "{stderr}"
    );
    let (code, stdout, _) = run_in(
        dir.path(),
        &[
            "explain",
            "d/responses",
            "--country",
            "XF",
            "--round",
            "2024",
            "--on-conflict",
            "latest",
            "--format",
            "json",
        ],
    );
    assert_eq!(code, 0);
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(json["files"].as_array().unwrap().len(), 2);
    let question = json["pillars"][0]["indicators"][0]["questions"][0].clone();
    assert_eq!(question["file"], "d/responses/XF-2024-2.yaml");
    assert!(question["notes"][0].as_str().unwrap().contains("differs"));
}

#[test]
fn explain_without_a_round_takes_the_latest_and_refuses_unknown_countries() {
    let dir = tempfile::tempdir().unwrap();
    common::write_samples(&dir.path().join("d"));
    let (code, stdout, _) = run_in(
        dir.path(),
        &[
            "explain",
            "d/responses",
            "--country",
            "XB",
            "--indicator",
            "ecosystem.strategy",
        ],
    );
    assert_eq!(code, 0);
    assert!(stdout.starts_with("XB 2025"), "{stdout}");
    assert!(stdout.contains("ecosystem.strategy") && !stdout.contains("workforce.education"));
    let (code, _, stderr) = run_in(dir.path(), &["explain", "d/responses", "--country", "FR"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("no response for FR"), "{stderr}");
}
