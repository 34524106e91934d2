//! `take` in the line mode, as a user with a pipe or a screen reader meets it: a whole
//! questionnaire filled from a pipe, files that are not overwritten, answers kept as written.

mod common;

use std::fs;
use std::path::Path;

use common::{cybercap, hygiene, run};

/// Runs `take` on the hygiene questionnaire in `dir` with `input` on stdin: (code, stdout, stderr).
fn take(dir: &Path, input: &str, extra: &[&str]) -> (i32, String, String) {
    let output = cybercap()
        .current_dir(dir)
        .args([
            "take",
            &hygiene(),
            "--country",
            "XA",
            "--round",
            "2025",
            "--plain",
            "--name",
            "Tester",
            "--organization",
            "CERT",
        ])
        .args(extra)
        .write_stdin(input)
        .output()
        .expect("runs");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn a_pipe_fills_the_whole_questionnaire_with_help_back_na_unknown_and_a_condition() {
    let dir = tempfile::tempdir().unwrap();
    let input = [
        "?",       // p_train: help
        "yes",     // p_train = yes: p_train_freq now applies
        "3",       // p_train_freq = yearly
        "back",    // from p_channels back to p_train_freq
        "back",    // ... and to p_train
        "no",      // p_train = no: p_train_freq no longer applies, and keeps its answer
        "1 3",     // p_channels = email, drills
        "unknown", // p_comment
        "note: Legacy servers take longest",
        "evidence: https://example.org/patching",
        "30", // t_patch_days
        "na", // t_inventory
        "2",  // t_backup = local
        "",   // review: finish
    ]
    .join("\n")
        + "\n";
    let (code, out, err) = take(dir.path(), &input, &[]);
    assert_eq!(code, 0, "{out}\n{err}");
    // The conditional question appeared after yes, and was skipped after no.
    let asked: Vec<&str> = out.lines().filter(|l| l.starts_with("Question ")).collect();
    assert_eq!(
        asked,
        [
            "Question 1 of 7 · People › Training",
            "Question 2 of 7 · People › Training",
            "Question 3 of 7 · People › Awareness",
            "Question 2 of 7 · People › Training",
            "Question 1 of 7 · People › Training",
            "Question 3 of 7 · People › Awareness",
            "Question 4 of 7 · People › Awareness",
            "Question 5 of 7 · Technology › Patching",
            "Question 6 of 7 · Technology › Patching",
            "Question 7 of 7 · Technology › Backups",
        ],
        "{out}"
    );
    assert!(
        out.contains("There is no help text for this question."),
        "{out}"
    );
    assert!(
        out.contains("Current answer: Yearly. Press Enter to keep it."),
        "{out}"
    );
    assert!(
        out.contains("Saved t_patch_days = 30 (5 of 7 answered)."),
        "{out}"
    );
    assert!(out.contains("Completeness: 100.0%"), "{out}");
    assert!(out.contains("  People: "), "{out}");
    assert!(
        out.contains("Finished. Your answers are saved in XA-2025.yaml."),
        "{out}"
    );

    let file = dir.path().join("XA-2025.yaml");
    let text = fs::read_to_string(&file).unwrap();
    for line in [
        "questionnaire: \"sme-hygiene@2.1\"",
        "country: XA",
        "round: \"2025\"",
        "  p_train: no",
        "  p_train_freq: yearly",
        "  p_channels: [email, drills]",
        "  p_comment: unknown",
        "  t_patch_days:\n    value: 30\n    note: \"Legacy servers take longest\"\n    evidence: [\"https://example.org/patching\"]",
        "  t_inventory: na",
        "  t_backup: local",
    ] {
        assert!(text.contains(line), "{line}\nnot in\n{text}");
    }
    assert!(text.contains("\nsubmitted: 20"), "{text}");
    let (code, _, err) = run(&[
        "validate",
        "--questionnaire",
        &hygiene(),
        &file.display().to_string(),
    ]);
    assert_eq!(code, 0, "{err}");
    // The kept answer to the question whose condition is unmet does not count: training is
    // p_train alone (no: 0), awareness 3 of 4 points (75), so People = (0×3 + 75×1) / 4.
    let (code, json, err) = run(&[
        "score",
        "--questionnaire",
        &hygiene(),
        "--format",
        "json",
        &file.display().to_string(),
    ]);
    assert_eq!(code, 0, "{err}");
    let json: serde_json::Value = serde_json::from_str(&json).unwrap();
    common::assert_close(&json["results"][0]["pillars"][0]["score"], 18.75);
    common::assert_close(&json["results"][0]["completeness"], 1.0);
}

#[test]
fn the_example_of_the_issue_answers_three_questions_then_the_end_of_the_input_saves_and_quits() {
    let dir = tempfile::tempdir().unwrap();
    let (code, out, err) = take(dir.path(), "2\n1\nyes\n", &["--out", "answers/xa.yaml"]);
    assert_eq!(code, 0, "{out}\n{err}");
    assert!(
        out.contains("Saved in answers/xa.yaml. Run the same command"),
        "{out}"
    );
    assert!(out.contains("Not answered yet:"), "{out}");
    let text = fs::read_to_string(dir.path().join("answers/xa.yaml")).unwrap();
    assert!(
        text.contains("  p_train: no\n  p_channels: [email]\n  p_comment: \"yes\"\n"),
        "{text}"
    );
    assert!(!text.contains("submitted"), "not finished: {text}");
    // Resuming continues at the first unanswered question, with what was saved.
    let (code, out, _) = take(dir.path(), "quit\n", &["--out", "answers/xa.yaml"]);
    assert_eq!(code, 0);
    assert!(out.contains("Questions: 7, answered: 3"), "{out}");
    let first = out.lines().find(|l| l.starts_with("Question ")).unwrap();
    assert_eq!(first, "Question 5 of 7 · Technology › Patching");
}

#[test]
fn the_file_is_named_after_country_and_current_year_by_default() {
    let dir = tempfile::tempdir().unwrap();
    let output = cybercap()
        .current_dir(dir.path())
        .args(["take", &hygiene(), "--country", "xa"])
        .write_stdin("quit\n")
        .output()
        .unwrap();
    assert!(output.status.success());
    let year = jiff::tz::Offset::UTC
        .to_datetime(jiff::Timestamp::now())
        .year();
    let file = dir.path().join(format!("XA-{year}.yaml"));
    let text = fs::read_to_string(&file).unwrap();
    assert!(text.contains(&format!("round: \"{year}\"")), "{text}");
    assert!(text.contains("answers: {}"), "{text}");
}

#[test]
fn a_file_for_another_country_round_or_version_is_left_unchanged_with_exit_1() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        (
            "questionnaire: sme-hygiene@2.1\ncountry: XB\nround: 2025\nanswers:\n  p_train: yes\n",
            "2:10: error: holds the answers of country `XB`; expected `XA`",
        ),
        (
            "questionnaire: sme-hygiene@2.1\ncountry: XA\nround: 2024\nanswers:\n  p_train: yes\n",
            "3:8: error: holds round `2024`; expected round `2025`",
        ),
        (
            "questionnaire: sme-hygiene@2.0\ncountry: XA\nround: 2025\nanswers:\n  p_train: yes\n",
            "1:16: error: holds answers to version 2.0 of `sme-hygiene`; expected version 2.1",
        ),
        (
            "id: not-a-response\npillars: []\n",
            "not a response file that take can continue",
        ),
    ];
    for (existing, message) in cases {
        let file = dir.path().join("XA-2025.yaml");
        fs::write(&file, existing).unwrap();
        let (code, out, err) = take(dir.path(), "yes\n3\n", &[]);
        assert_eq!(code, 1, "{existing}\n{out}\n{err}");
        assert!(err.contains(message), "{message}\nnot in\n{err}");
        assert!(err.contains("XA-2025.yaml"), "{err}");
        assert!(err.contains("left unchanged"), "{err}");
        assert_eq!(fs::read_to_string(&file).unwrap(), existing);
        assert!(!out.contains("Question"), "no question is asked: {out}");
    }
}

#[test]
fn answers_the_questionnaire_no_longer_allows_are_kept_shown_and_flagged() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("XA-2025.yaml");
    fs::write(
        &file,
        "questionnaire: sme-hygiene@2.1\ncountry: XA\nround: 2025\nanswers:\n  p_train: no\n  p_channels: [email, carrier-pigeon]\n  t_firewall: yes\n",
    )
    .unwrap();
    // Answer p_comment, then quit at p_channels... which comes first: it holds a kept answer.
    let (code, out, err) = take(dir.path(), "1\nfine\nquit\n", &[]);
    assert_eq!(code, 0, "{out}\n{err}");
    assert!(
        out.contains("Kept as written, but not allowed by this questionnaire"),
        "{out}"
    );
    assert!(
        out.contains("t_firewall (line 7): true — unknown question `t_firewall`"),
        "{out}"
    );
    assert!(
        out.contains("The file holds [email, carrier-pigeon] for this question, which this questionnaire does not allow (unknown option `carrier-pigeon`"),
        "{out}"
    );
    let text = fs::read_to_string(&file).unwrap();
    assert!(
        text.contains("  p_channels: [email]\n"),
        "replaced by the new answer: {text}"
    );
    assert!(text.contains("  p_comment: \"fine\"\n"), "{text}");
    assert!(text.contains("  t_firewall: true\n"), "kept: {text}");
    // validate still names it, so it is not forgotten.
    let (code, _, err) = run(&[
        "validate",
        "--questionnaire",
        &hygiene(),
        &file.display().to_string(),
    ]);
    assert_eq!(code, 1);
    assert!(err.contains("unknown question `t_firewall`"), "{err}");
}

#[test]
fn bad_arguments_are_usage_errors() {
    let dir = tempfile::tempdir().unwrap();
    for (args, message) in [
        (vec!["--country", "X1"], "`X1` is not a country code"),
        (
            vec!["--country", "XA", "--round", "../x"],
            "round `../x` is not allowed",
        ),
        (
            vec!["--country", "XA", "--lang", "english"],
            "`english` is not a language code",
        ),
    ] {
        let output = cybercap()
            .current_dir(dir.path())
            .args(["take", &hygiene()])
            .args(&args)
            .write_stdin("")
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        let err = String::from_utf8_lossy(&output.stderr);
        assert!(err.contains(message), "{err}");
    }
    let (code, _, err) = run(&["take", "no-such-questionnaire", "--country", "XA"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("neither a file nor a built-in questionnaire"),
        "{err}"
    );
}

#[test]
fn the_built_in_questionnaire_speaks_spanish() {
    let dir = tempfile::tempdir().unwrap();
    let output = cybercap()
        .current_dir(dir.path())
        .args([
            "take",
            "eu-lac-cyber-capacity",
            "--country",
            "CO",
            "--round",
            "2025",
            "--lang",
            "es",
            "--name",
            "Tester",
        ])
        .write_stdin("?\nunknown\nquit\n")
        .output()
        .unwrap();
    assert!(output.status.success());
    let out = String::from_utf8_lossy(&output.stdout);
    assert!(out.contains("País: CO (Colombia)"), "{out}");
    assert!(out.contains("Pregunta 1 de "), "{out}");
    assert!(out.contains("Guardado "), "{out}");
    assert!(dir.path().join("CO-2025.yaml").exists());
}

#[test]
fn a_second_sitting_on_the_same_file_is_refused_and_the_first_keeps_every_answer() {
    use std::io::{BufRead, BufReader, Write};
    use std::process::Stdio;
    let dir = tempfile::tempdir().unwrap();
    let mut first = std::process::Command::new(env!("CARGO_BIN_EXE_cybercap"))
        .current_dir(dir.path())
        .args([
            "take",
            &hygiene(),
            "--country",
            "XA",
            "--round",
            "2025",
            "--plain",
            "--name",
            "Tester",
            "--organization",
            "CERT",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdin = first.stdin.take().unwrap();
    let mut stdout = BufReader::new(first.stdout.take().unwrap());
    writeln!(stdin, "yes").unwrap();
    let mut line = String::new();
    while !line.contains("Saved p_train") {
        line.clear();
        assert!(stdout.read_line(&mut line).unwrap() > 0, "the output ended");
    }
    // The first sitting waits for its next answer; a second one starts on the same file.
    let (code, _, stderr) = take(dir.path(), "no\n3\n", &[]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("XA-2025.yaml is being filled in by another `cybercap take`"),
        "{stderr}"
    );
    writeln!(stdin, "3\nquit").unwrap();
    drop(stdin);
    assert!(first.wait().unwrap().success());
    let text = fs::read_to_string(dir.path().join("XA-2025.yaml")).unwrap();
    assert!(
        text.contains("  p_train: yes\n  p_train_freq: yearly\n"),
        "{text}"
    );
    // Once the first sitting is over, the next one continues the file.
    let (code, _, stderr) = take(dir.path(), "quit\n", &[]);
    assert_eq!(code, 0, "{stderr}");
}

#[test]
fn a_first_sitting_asks_who_is_answering_a_resumed_one_keeps_it_and_flags_change_it() {
    let dir = tempfile::tempdir().unwrap();
    let sitting = |input: &str, extra: &[&str]| {
        let output = cybercap()
            .current_dir(dir.path())
            .args([
                "take",
                &hygiene(),
                "--country",
                "XA",
                "--round",
                "2025",
                "--plain",
            ])
            .args(extra)
            .write_stdin(input)
            .output()
            .expect("runs");
        assert!(output.status.success());
        let file = fs::read_to_string(dir.path().join("XA-2025.yaml")).unwrap();
        (String::from_utf8_lossy(&output.stdout).into_owned(), file)
    };
    let (out, file) = sitting("Ana Díaz\nCSIRT of XA\nyes\nquit\n", &[]);
    assert!(out.contains("Who is answering?"), "{out}");
    assert!(
        out.contains("Saved who is answering: Ana Díaz (CSIRT of XA)"),
        "{out}"
    );
    assert!(
        file.contains("respondent:\n  name: \"Ana Díaz\"\n  organization: \"CSIRT of XA\"\n"),
        "{file}"
    );
    assert!(file.contains("p_train: yes"), "{file}");

    let (out, file) = sitting("quit\n", &[]);
    assert!(!out.contains("Who is answering?"), "{out}");
    assert!(out.contains("Answering: Ana Díaz (CSIRT of XA)"), "{out}");
    assert!(file.contains("name: \"Ana Díaz\""), "{file}");

    let (out, file) = sitting("quit\n", &["--organization", "Ministry of XA"]);
    assert!(
        out.contains("Answering: Ana Díaz (Ministry of XA)"),
        "{out}"
    );
    assert!(
        file.contains("  name: \"Ana Díaz\"\n  organization: \"Ministry of XA\"\n"),
        "{file}"
    );
    let (code, stdout, _) = run(&[
        "validate",
        &hygiene(),
        dir.path().join("XA-2025.yaml").to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{stdout}");
}
