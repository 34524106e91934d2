//! Helpers shared by the end-to-end tests: the real binary, run on real files.
#![allow(dead_code)]

use std::path::PathBuf;

use assert_cmd::Command;

/// The `cybercap` binary built by cargo.
pub fn cybercap() -> Command {
    let mut cmd = Command::cargo_bin("cybercap").expect("binary builds");
    cmd.env_remove("NO_COLOR");
    cmd
}

/// A path under tests/fixtures.
pub fn fixture(relative: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(relative)
}

/// The hygiene questionnaire: a second questionnaire, unlike the built-in one.
pub fn hygiene() -> String {
    fixture("questionnaires/hygiene.yaml").display().to_string()
}

/// Runs `cybercap` and returns (exit code, stdout, stderr).
pub fn run(args: &[&str]) -> (i32, String, String) {
    let output = cybercap().args(args).output().expect("runs");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// `cybercap import FILES... --questionnaire <hygiene> --out OUT [EXTRA...]`: (exit code, stderr).
pub fn import(files: &[&str], out: &std::path::Path, extra: &[&str]) -> (i32, String) {
    let questionnaire = hygiene();
    let out = out.to_str().expect("a UTF-8 path");
    let mut args = vec!["import"];
    args.extend_from_slice(files);
    args.extend_from_slice(&["--questionnaire", &questionnaire, "--out", out]);
    args.extend_from_slice(extra);
    let (code, _, stderr) = run(&args);
    (code, stderr)
}

/// Asserts two scores are equal to 1e-9.
pub fn assert_close(actual: &serde_json::Value, expected: f64) {
    let value = actual
        .as_f64()
        .unwrap_or_else(|| panic!("not a number: {actual}"));
    assert!((value - expected).abs() < 1e-9, "{value} != {expected}");
}

/// The demo's sample responses and groups file written into `dir` through the library, without
/// rendering a report: (responses folder, groups file).
pub fn write_samples(dir: &std::path::Path) -> (PathBuf, PathBuf) {
    let versions = cybercap::builtin::questionnaires();
    write_samples_on(dir, &versions[0], &versions[versions.len() - 1])
}

/// The demo's samples with the earlier rounds on `earlier` and the latest on `latest`.
pub fn write_samples_on(
    dir: &std::path::Path,
    earlier: &cybercap::model::Questionnaire,
    latest: &cybercap::model::Questionnaire,
) -> (PathBuf, PathBuf) {
    use cybercap::model::write::response_to_yaml;
    let responses = dir.join("responses");
    std::fs::create_dir_all(&responses).unwrap();
    for sample in cybercap::samples::generate(earlier, latest) {
        std::fs::write(
            responses.join(&sample.file_name),
            response_to_yaml(sample.questionnaire, &sample.response),
        )
        .unwrap();
    }
    let groups = dir.join("groups.yaml");
    std::fs::write(&groups, cybercap::samples::groups_yaml()).unwrap();
    (responses, groups)
}

/// An empty file at `path` last changed twenty minutes ago: a temporary file a stopped run left.
pub fn stale_file(path: &std::path::Path) {
    let file = std::fs::File::create(path).unwrap();
    file.set_modified(std::time::SystemTime::now() - std::time::Duration::from_secs(1200))
        .unwrap();
}
