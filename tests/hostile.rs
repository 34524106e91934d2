//! Hostile files are refused quickly, with a clear message and no panic.

mod common;

use std::fs;
use std::time::{Duration, Instant};

use common::{hygiene, run};

fn refuse(name: &str, content: &[u8], expected: &str) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    fs::write(&path, content).unwrap();
    let path = path.display().to_string();
    let (code, _, stderr) = run(&["validate", "--questionnaire", &hygiene(), &path]);
    assert!(code == 1 || code == 2, "exit {code}: {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(stderr.contains(&path), "{stderr}");
    assert!(
        stderr.contains(expected),
        "expected `{expected}` in {stderr}"
    );
}

#[test]
fn a_yaml_alias_bomb_is_refused() {
    let mut bomb = String::from(
        "questionnaire: sme-hygiene@2.1\ncountry: XA\nround: 1\na0: &a0 [x, x, x, x, x, x, x, x, x, x]\n",
    );
    for i in 1..=9 {
        let prev = format!("*a{}", i - 1);
        bomb.push_str(&format!(
            "a{i}: &a{i} [{}]\n",
            [prev.as_str(); 10].join(", ")
        ));
    }
    refuse("bomb.yaml", bomb.as_bytes(), "error");
}

#[test]
fn deep_nesting_is_refused() {
    let text = format!(
        "questionnaire: sme-hygiene@2.1\nanswers: {}{}\n",
        "[".repeat(20_000),
        "]".repeat(20_000)
    );
    refuse("deep.yaml", text.as_bytes(), "error:");
}

#[test]
fn invalid_utf8_is_refused_at_its_position() {
    refuse(
        "latin1.yaml",
        b"questionnaire: sme-hygiene@2.1\ncountry: XA\nround: 1\nanswers:\n  p_comment: caf\xe9\n",
        ":5:17: error: invalid UTF-8 (byte 0xE9)",
    );
}

#[test]
fn a_300_mb_file_is_refused_before_reading() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("huge.yaml");
    // A sparse file: 300 MB on paper, nothing on disk.
    let file = fs::File::create(&path).unwrap();
    file.set_len(300 * 1024 * 1024).unwrap();
    let started = Instant::now();
    let (code, _, stderr) = run(&["validate", path.to_str().unwrap()]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("file is 300.0 MiB; expected a YAML file of at most 16 MiB"),
        "{stderr}"
    );
    // Generous: reading 300 MB would take far longer on any machine this runs on.
    assert!(started.elapsed() < Duration::from_secs(20));
}
