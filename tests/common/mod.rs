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

/// Asserts two scores are equal to 1e-9.
pub fn assert_close(actual: &serde_json::Value, expected: f64) {
    let value = actual
        .as_f64()
        .unwrap_or_else(|| panic!("not a number: {actual}"));
    assert!((value - expected).abs() < 1e-9, "{value} != {expected}");
}
