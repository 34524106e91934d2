//! A reader that stops early (`| head`, `| true`) is the reader's choice: no command panics on a
//! closed standard output, and none reports it as an error.

mod common;

use std::process::{Command, Stdio};

use common::{fixture, hygiene};

#[test]
fn no_command_panics_when_its_output_is_closed() {
    let dir = tempfile::tempdir().unwrap();
    let responses = fixture("hygiene").display().to_string();
    let q = hygiene();
    let out = dir.path().join("r").display().to_string();
    let commands: Vec<Vec<&str>> = vec![
        vec![
            "explain",
            &responses,
            "--questionnaire",
            &q,
            "--country",
            "XA",
        ],
        vec![
            "explain",
            &responses,
            "--questionnaire",
            &q,
            "--country",
            "XA",
            "--format",
            "json",
        ],
        vec!["plan", &responses, "--questionnaire", &q, "--country", "XA"],
        vec![
            "plan",
            &responses,
            "--questionnaire",
            &q,
            "--country",
            "XA",
            "--format",
            "json",
        ],
        vec!["score", &responses, "--questionnaire", &q],
        vec![
            "score",
            &responses,
            "--questionnaire",
            &q,
            "--format",
            "json",
        ],
        vec!["robustness", &responses, "--questionnaire", &q],
        vec!["schema", "questionnaire"],
        vec!["schema", "response"],
        vec!["completions", "bash"],
        vec!["--version"],
        vec!["template", &q],
        vec!["template", &q, "--format", "csv"],
        vec![
            "report",
            &responses,
            "--questionnaire",
            &q,
            "--out",
            &out,
            "--format",
            "csv",
        ],
    ];
    for args in commands {
        let mut child = Command::new(env!("CARGO_BIN_EXE_cybercap"))
            .args(&args)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // The reading end closes before the command has anything to write.
        drop(child.stdout.take());
        let output = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        assert_eq!(output.status.code(), Some(0), "{args:?}: {stderr}");
    }
}
