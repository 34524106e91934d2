//! `validate`: the built-in questionnaire is valid; invalid files are reported at their line:column.

mod common;

use common::{fixture, hygiene, run};

/// The path of a built-in questionnaire's file.
fn builtin_file(name: &str) -> String {
    format!("{}/questionnaires/{name}", env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn the_built_in_questionnaire_is_valid_without_warnings() {
    let path = builtin_file("eu-lac-cyber-capacity.yaml");
    let (code, _, stderr) = run(&["validate", &path]);
    assert_eq!(code, 0, "{stderr}");
    assert!(!stderr.contains("warning"), "{stderr}");
    assert!(
        stderr.contains("ok: questionnaire eu-lac-cyber-capacity@1.1.0"),
        "{stderr}"
    );
}

/// 1.0.0 stays as released: valid, its refs named without their framework's edition.
#[test]
fn the_released_1_0_0_is_valid_and_its_refs_are_named_without_edition() {
    let path = builtin_file("eu-lac-cyber-capacity-1.0.0.yaml");
    let (code, _, stderr) = run(&["validate", &path]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains("ok: questionnaire eu-lac-cyber-capacity@1.0.0"),
        "{stderr}"
    );
    let warnings: Vec<&str> = stderr
        .lines()
        .filter(|l| l.contains(": warning: "))
        .collect();
    assert!(!warnings.is_empty());
    assert!(
        warnings
            .iter()
            .all(|w| w.contains("is not `FRAMEWORK-EDITION ITEM`")),
        "{stderr}"
    );
}

#[test]
fn a_ref_is_checked_against_its_framework_edition_at_its_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(hygiene()).unwrap();
    let path = dir.path().join("q.yaml");
    let marked =
        mark_first_question_refs(&text, "[\"CMM-2021 D2.7\", \"NCAF-2020 7\", \"GCI 2024\"]");
    std::fs::write(&path, &marked).unwrap();
    let (code, _, stderr) = run(&["validate", path.to_str().unwrap()]);
    assert_eq!(code, 0, "warnings only: {stderr}");
    let line = marked
        .lines()
        .position(|l| l.contains("CMM-2021 D2.7"))
        .unwrap()
        + 1;
    assert!(
        stderr.contains(&format!(
            "q.yaml:{line}:"
        )) && stderr.contains("warning: ref `CMM-2021 D2.7` names no item of CMM-2021; expected a factor D1.1–D1.4, D2.1–D2.5"),
        "{stderr}"
    );
    assert!(
        stderr.contains("warning: ref `GCI 2024` is not `FRAMEWORK-EDITION ITEM`"),
        "{stderr}"
    );
    assert!(!stderr.contains("ref `NCAF-2020 7`"), "{stderr}");
}

/// `text` with `refs: <refs>` on its first question.
fn mark_first_question_refs(text: &str, refs: &str) -> String {
    let mut out = String::new();
    let mut done = false;
    for line in text.lines() {
        out.push_str(line);
        out.push('\n');
        let trimmed = line.trim_start();
        if !done && trimmed.starts_with("type: ") && line.starts_with("        ") {
            let indent = &line[..line.len() - trimmed.len()];
            out.push_str(&format!("{indent}refs: {refs}\n"));
            done = true;
        }
    }
    assert!(done, "no question in {text}");
    out
}

#[test]
fn a_bad_response_is_reported_at_each_value_at_fault() {
    let file = fixture("invalid/response-errors.yaml");
    let path = file.display().to_string();
    let (code, stdout, stderr) = run(&["validate", "--questionnaire", &hygiene(), &path]);
    assert_eq!(code, 1, "{stderr}");
    assert!(stdout.is_empty());
    for (position, what) in [
        ("2:10", "country `XY1` is not a country code"),
        ("3:8", "round `../2025` is not allowed"),
        (
            "5:12",
            "`p_train` is answered with the text `maybe`; expected yes or no",
        ),
        (
            "6:13",
            "unknown option `cloud` for `t_backup`; expected one of none, local, offsite",
        ),
        (
            "7:17",
            "`t_patch_days` is answered with a list; expected a number from 0 to 365",
        ),
        ("8:3", "unknown question `p_channel`"),
        ("9:23", "unknown option `fax` for `p_channels`"),
    ] {
        let line = format!("{path}:{position}: error: {what}");
        assert!(stderr.contains(&line), "missing `{line}` in:\n{stderr}");
    }
}

#[test]
fn a_number_out_of_range_is_reported_and_norway_stays_norway() {
    let path = fixture("invalid/response-range.yaml").display().to_string();
    let (code, _, stderr) = run(&["validate", "--questionnaire", &hygiene(), &path]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains(&format!("{path}:5:17: error: 400 is out of range")),
        "{stderr}"
    );
    assert!(!stderr.contains("country"), "NO must stay Norway: {stderr}");
}

#[test]
fn a_bad_questionnaire_is_reported_at_each_value_at_fault() {
    let path = fixture("invalid/questionnaire-errors.yaml")
        .display()
        .to_string();
    let (code, _, stderr) = run(&["validate", &path]);
    assert_eq!(code, 1);
    for (position, what) in [
        (
            "22:30",
            "`when` names `q2`, which is not an earlier question",
        ),
        ("25:42", "option level 6 is out of range; expected 1 to 5"),
        ("29:17", "duplicate id `q1`, first defined at line 19"),
        ("32:30", "`when` names an unknown question `nowhere`"),
        (
            "38:23",
            "band minimum 5 does not follow the previous one (10)",
        ),
        ("17:16", "indicator short name is empty; expected a text"),
    ] {
        let line = format!("{path}:{position}: error: {what}");
        assert!(stderr.contains(&line), "missing `{line}` in:\n{stderr}");
    }
    let long = format!(
        "{path}:13:12: warning: pillar short name is too long (52 characters); expected at most 32"
    );
    assert!(stderr.contains(&long), "missing `{long}` in:\n{stderr}");
}

#[test]
fn a_file_that_is_neither_kind_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("x.yaml");
    std::fs::write(&path, "hello: world\n").unwrap();
    let (code, _, stderr) = run(&["validate", path.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert!(stderr.contains("cannot tell what this file is"), "{stderr}");
}

#[test]
fn a_missing_file_is_a_usage_error() {
    let (code, _, stderr) = run(&["validate", "/nonexistent/r.yaml"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("/nonexistent/r.yaml: cannot read"),
        "{stderr}"
    );
}

#[test]
fn the_valid_fixtures_validate() {
    let dir = fixture("hygiene").display().to_string();
    let (code, _, stderr) = run(&["validate", &hygiene(), &dir]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains("5 file(s) checked: 5 valid, 0 invalid"),
        "{stderr}"
    );
}

#[test]
fn the_response_shown_in_the_readme_is_valid() {
    let readme =
        std::fs::read_to_string(format!("{}/README.md", env!("CARGO_MANIFEST_DIR"))).unwrap();
    let fixture_path = fixture("readme-response.yaml");
    let example = std::fs::read_to_string(&fixture_path).unwrap();
    assert!(
        readme.contains(&example),
        "README's example and the fixture differ"
    );
    let (code, _, stderr) = run(&["validate", fixture_path.to_str().unwrap()]);
    assert_eq!(code, 0, "{stderr}");
}

#[test]
fn a_response_saved_with_bom_and_crlf_reads_like_the_original() {
    let original = std::fs::read_to_string(fixture("hygiene/xa-2025.yaml")).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let windows = dir.path().join("xa-2025.yaml");
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend_from_slice(original.replace('\n', "\r\n").as_bytes());
    std::fs::write(&windows, bytes).unwrap();
    let score = |path: &str| {
        run(&[
            "score",
            "--questionnaire",
            &hygiene(),
            path,
            "--format",
            "csv",
        ])
    };
    let (code, from_windows, stderr) = score(windows.to_str().unwrap());
    assert_eq!(code, 0, "{stderr}");
    let (_, from_original, _) = score(fixture("hygiene/xa-2025.yaml").to_str().unwrap());
    assert_eq!(from_windows, from_original);
}

#[test]
fn a_folder_without_yaml_is_a_usage_error_not_a_silent_success() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("notes.txt"), "not yaml").unwrap();
    let folder = dir.path().display().to_string();
    let (code, _, stderr) = run(&["validate", &folder]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains(&format!(
            "error: no YAML file found in {folder}; expected questionnaire or response files"
        )),
        "{stderr}"
    );
}
