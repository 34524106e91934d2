//! The command line itself: the version it reports, the same in its JSON outputs.

mod common;

use common::{fixture, hygiene, run};

/// The tool as every output names it.
fn generator() -> String {
    format!("cybercap {}", env!("CARGO_PKG_VERSION"))
}

#[test]
fn version_names_the_tool_as_the_json_outputs_do() {
    for flag in ["--version", "-V"] {
        let (code, stdout, stderr) = run(&[flag]);
        assert_eq!(code, 0, "{stderr}");
        assert_eq!(stdout, format!("{}\n", generator()));
    }
    let responses = fixture("hygiene").display().to_string();
    let questionnaire = hygiene();
    let inputs = [responses.as_str(), "--questionnaire", &questionnaire];
    let (code, stdout, stderr) = run(&[&["score"][..], &inputs, &["--format", "json"]].concat());
    assert_eq!(code, 0, "{stderr}");
    let score: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(score["generator"], generator());
    let (code, stdout, stderr) = run(&[
        &["explain"][..],
        &inputs,
        &["--country", "XA", "--format", "json"],
    ]
    .concat());
    assert_eq!(code, 0, "{stderr}");
    let explain: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(explain["generator"], generator());
    assert_eq!(explain["country"], "XA");
}
