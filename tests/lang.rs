//! `--lang`: every command that takes it refuses a language the questionnaire lacks (exit 2),
//! naming the language and the questionnaire's languages, and speaks one it has.

mod common;

use common::{cybercap, hygiene, run, write_samples};

/// The message for `--lang de`, but the version: validate names the first version it meets.
const NO_GERMAN: [&str; 2] = [
    "--lang de: the questionnaire eu-lac-cyber-capacity@1.",
    " has en, es, pt, fr; expected one of them",
];

/// Asserts the run exited 2 with the message for `--lang de` and printed nothing.
fn refused(args: &[&str]) {
    let (code, stdout, stderr) = run(args);
    assert_eq!(code, 2, "{args:?}: {stderr}");
    assert!(
        NO_GERMAN.iter().all(|part| stderr.contains(part)),
        "{args:?}: {stderr}"
    );
    assert!(stdout.is_empty(), "{args:?}: {stdout}");
}

#[test]
fn score_explain_and_report_refuse_a_language_the_questionnaire_lacks() {
    let dir = tempfile::tempdir().unwrap();
    let (responses, _) = write_samples(dir.path());
    let responses = responses.to_str().unwrap();
    let out = dir.path().join("report");
    let out = out.to_str().unwrap();
    refused(&["score", responses, "--lang", "de"]);
    refused(&["explain", responses, "--country", "XA", "--lang", "de"]);
    refused(&["plan", responses, "--country", "XA", "--lang", "de"]);
    refused(&["report", responses, "--out", out, "--lang", "de"]);
    assert!(
        !dir.path().join("report").exists(),
        "nothing written for a usage error"
    );

    // The samples hold one disagreement, which the latest submission settles.
    let latest = ["--on-conflict", "latest", "--lang", "es"];
    let (code, stdout, stderr) = run(&[&["score", responses][..], &latest].concat());
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("2 Formativa"), "{stdout}");
    let (code, stdout, stderr) =
        run(&[&["explain", responses, "--country", "XA"][..], &latest].concat());
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains("Autoevaluación de la capacidad"),
        "{stdout}"
    );
    let (code, _, stderr) = run(&[
        &["report", responses, "--out", out, "--format", "md"][..],
        &latest,
    ]
    .concat());
    assert_eq!(code, 0, "{stderr}");
    let md = std::fs::read_to_string(dir.path().join("report/report.md")).unwrap();
    assert!(md.contains("## Mensajes clave"), "{md}");
}

#[test]
fn a_csv_input_is_checked_against_the_questionnaire_it_answers() {
    let csv = common::fixture("import/submissions.csv")
        .display()
        .to_string();
    let (code, _, stderr) = run(&["score", &csv, "--questionnaire", &hygiene(), "--lang", "fr"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains(
            "--lang fr: the questionnaire sme-hygiene@2.1 has en, es; expected one of them"
        ),
        "{stderr}"
    );
    // The language is refused before the rows' findings are printed.
    assert!(!stderr.contains("submissions.csv:"), "{stderr}");
}

#[test]
fn template_refuses_a_language_the_questionnaire_lacks() {
    refused(&["template", "eu-lac-cyber-capacity", "--lang", "de"]);
    let (code, stdout, stderr) = run(&["template", "eu-lac-cyber-capacity", "--lang", "es"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("# Ayuda: "), "{stdout}");
}

#[test]
fn take_refuses_a_language_the_questionnaire_lacks_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let take = |lang: &str| {
        cybercap()
            .current_dir(dir.path())
            .args(["take", "eu-lac-cyber-capacity", "--country", "CO"])
            .args(["--round", "2025", "--lang", lang, "--name", "Tester"])
            .write_stdin("quit\n")
            .output()
            .unwrap()
    };
    let output = take("de");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        NO_GERMAN.iter().all(|part| stderr.contains(part)),
        "{stderr}"
    );
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);

    let output = take("es");
    assert!(output.status.success());
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.contains("Pregunta 1 de "), "{stdout}");
}

#[test]
fn validate_refuses_a_language_a_questionnaire_checked_lacks() {
    let builtin = format!(
        "{}/questionnaires/eu-lac-cyber-capacity.yaml",
        env!("CARGO_MANIFEST_DIR")
    );
    // A questionnaire file among the files.
    refused(&["validate", &builtin, "--lang", "de"]);
    // The questionnaire a response is checked against.
    let dir = tempfile::tempdir().unwrap();
    let (responses, _) = write_samples(dir.path());
    let responses = responses.to_str().unwrap();
    refused(&["validate", responses, "--lang", "de"]);
    // The questionnaire named with --questionnaire.
    let (code, _, stderr) = run(&[
        "validate",
        &builtin,
        "--questionnaire",
        &hygiene(),
        "--lang",
        "pt",
    ]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("--lang pt: the questionnaire sme-hygiene@2.1 has en, es;"),
        "{stderr}"
    );

    for files in [&builtin, responses] {
        let (code, _, stderr) = run(&["validate", files, "--lang", "es"]);
        assert_eq!(code, 0, "{stderr}");
        assert!(stderr.contains(" 0 invalid"), "{stderr}");
    }
}
