//! `export`: response files become one CSV or XLSX table, and `import` turns it back into the same
//! files, byte for byte.

mod common;

use std::path::{Path, PathBuf};

use common::{hygiene, run, write_samples};
use cybercap::model::doc::RespondentDoc;
use cybercap::model::write::response_to_yaml;
use cybercap::model::{Answer, AnswerValue, CountryCode, QuestionKind, Response, Round};

const BUILTIN: &str = "eu-lac-cyber-capacity";

/// Every `.yaml` file of `dir`, its bytes, sorted: the files as a set, whatever their names.
fn yaml_files(dir: &Path) -> Vec<Vec<u8>> {
    let mut files: Vec<Vec<u8>> = std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "yaml"))
        .map(|path| std::fs::read(path).unwrap())
        .collect();
    files.sort();
    files
}

/// Exports `responses` as `format`, imports the table into a new folder, and checks that the
/// folder holds the same files, byte for byte, and that they validate.
fn round_trip(responses: &Path, format: &str, work: &Path, questionnaire: &str) {
    let table = work.join(format!("table.{format}"));
    let back = work.join(format!("back-{format}"));
    let (code, _, stderr) = run(&[
        "export",
        responses.to_str().unwrap(),
        "--format",
        format,
        "--out",
        table.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{stderr}");
    let (code, _, stderr) = run(&[
        "import",
        table.to_str().unwrap(),
        "--questionnaire",
        questionnaire,
        "--out",
        back.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains(" 0 rejected"), "{stderr}");
    let (original, imported) = (yaml_files(responses), yaml_files(&back));
    assert_eq!(original.len(), imported.len(), "{format}: one file per row");
    for (was, now) in original.iter().zip(&imported) {
        assert_eq!(
            String::from_utf8_lossy(was),
            String::from_utf8_lossy(now),
            "{format}"
        );
    }
    assert!(original == imported, "{format}: byte for byte");
    let (code, _, stderr) = run(&["validate", back.to_str().unwrap()]);
    assert_eq!(code, 0, "{format}: {stderr}");
}

#[test]
fn the_demo_responses_come_back_byte_for_byte_through_csv_and_xlsx() {
    let dir = tempfile::tempdir().unwrap();
    let (responses, _) = write_samples(dir.path());
    // A table holds the answers to one version: the demo's rounds are exported by version.
    for version in cybercap::builtin::questionnaires() {
        let reference = version.reference();
        let own = dir.path().join(&reference);
        std::fs::create_dir(&own).unwrap();
        for entry in std::fs::read_dir(&responses).unwrap() {
            let path = entry.unwrap().path();
            let text = std::fs::read_to_string(&path).unwrap();
            if text.starts_with(&format!("questionnaire: \"{reference}\"\n")) {
                std::fs::rename(&path, own.join(path.file_name().unwrap())).unwrap();
            }
        }
        assert!(
            std::fs::read_dir(&own).unwrap().count() >= 16,
            "{reference}"
        );
        let work = dir.path().join(format!("work-{reference}"));
        std::fs::create_dir(&work).unwrap();
        round_trip(&own, "csv", &work, &reference);
        round_trip(&own, "xlsx", &work, &reference);
    }
    assert_eq!(std::fs::read_dir(&responses).unwrap().count(), 0);
}

/// Texts that a cell must carry unchanged: separators, quotes, line breaks, formulas, words that
/// mean "not applicable" or "don't know", leading blanks and apostrophes, escapes of XLSX.
const TEXTS: [&str; 24] = [
    "plain",
    "commas, semicolons; and \"quotes\"",
    "line one\nline two, with, commas",
    "crlf\r\ninside",
    "=SUM(A1:A9)",
    "+33 1 23 45",
    "-cmd",
    "@user",
    "'quoted'",
    "''=1+1",
    "'-3.5",
    "N/A",
    "No sé",
    "Don't know",
    "  leading blanks",
    "\ttab first",
    "tab\tinside",
    "café ünïcödé 😀",
    "yes",
    "[]",
    "-3.5",
    "_x0041_ looks like an escape",
    "bell \u{7} and DEL \u{7f}",
    "'",
];

/// Links, several per answer, some of which a spreadsheet would take for formulas.
fn links(i: usize) -> Vec<String> {
    match i % 3 {
        0 => Vec::new(),
        1 => vec![
            "https://example.org/a?x=1&y=2".to_owned(),
            "=HYPERLINK(\"http://x\")".to_owned(),
        ],
        _ => vec![
            "-dash".to_owned(),
            "https://example.org/b".to_owned(),
            "doc:4.2".to_owned(),
        ],
    }
}

/// An answer of each form to question `q` of the built-in questionnaire, the form chosen by
/// `variant`.
fn answer(q: usize, kind: &QuestionKind, variant: usize) -> Option<Answer> {
    let value = match (variant, kind) {
        (0, _) => return None,
        (1, _) => AnswerValue::NotApplicable,
        (2, _) => AnswerValue::Unknown,
        (_, QuestionKind::Choice { options }) => {
            AnswerValue::Choice(((q + variant) % options.len()) as u16)
        }
        (3, QuestionKind::Multi { .. }) => AnswerValue::Multi(0),
        (_, QuestionKind::Multi { options }) => {
            AnswerValue::Multi(((q as u64 + variant as u64) % (1 << options.len())) | 1)
        }
        (_, QuestionKind::YesNo) => AnswerValue::YesNo(variant.is_multiple_of(2)),
        (_, QuestionKind::Number { min, max, .. }) => {
            let (lo, hi) = (min.unwrap_or(0.0), max.unwrap_or(1000.0));
            let candidates = [lo, hi, 0.1 + 0.2, 12.5, (lo + hi) / 3.0];
            AnswerValue::Number(candidates[(q + variant) % candidates.len()].clamp(lo, hi))
        }
        (_, QuestionKind::Text) => AnswerValue::Text(TEXTS[(q + variant) % TEXTS.len()].into()),
    };
    let note = !(variant + q).is_multiple_of(4);
    Some(Answer {
        value,
        note: note.then(|| TEXTS[(q * 7 + variant) % TEXTS.len()].to_owned()),
        evidence: links(q + variant),
    })
}

/// Responses to the built-in questionnaire that hold every answer form in every question type,
/// written as the tool writes response files.
fn every_form(dir: &Path) -> PathBuf {
    let questionnaire = &cybercap::builtin::latest().unwrap();
    let responses = dir.join("every-form");
    std::fs::create_dir_all(&responses).unwrap();
    let respondents = [
        (Some("Ana Díaz"), Some("CSIRT, \"national\"")),
        (None, Some("=Ministry")),
        (Some("'Quoted' name"), None),
        (Some("  N/A"), Some("no sé")),
        (None, None),
        (Some("Renée"), Some("CERT; Perú")),
        (Some(""), Some("Org 6")),
    ];
    for (variant, (name, organization)) in respondents.iter().enumerate() {
        let answers = questionnaire
            .questions
            .iter()
            .enumerate()
            .filter_map(|(q, question)| Some((q, answer(q, &question.kind, variant)?)))
            .collect();
        let response = Response {
            country: CountryCode::parse("CO").unwrap(),
            round: Round::parse(&format!("2025-{variant}")).unwrap(),
            respondent: RespondentDoc {
                name: name.map(str::to_owned),
                organization: organization.map(str::to_owned),
            },
            submitted: variant
                .is_multiple_of(2)
                .then(|| format!("2025-03-14T10:00:0{variant}.25Z").parse().unwrap()),
            answers,
        };
        let yaml = response_to_yaml(questionnaire, &response);
        std::fs::write(responses.join(format!("CO-{variant}.yaml")), yaml).unwrap();
    }
    responses
}

#[test]
fn every_answer_form_of_every_question_type_comes_back_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    let responses = every_form(dir.path());
    // The originals are what the tool writes: they load and validate as they are.
    let (code, _, stderr) = run(&["validate", responses.to_str().unwrap()]);
    assert_eq!(code, 0, "{stderr}");
    let questionnaire = &cybercap::builtin::latest().unwrap();
    let kinds: Vec<&str> = questionnaire
        .questions
        .iter()
        .map(|q| match q.kind {
            QuestionKind::Choice { .. } => "choice",
            QuestionKind::Multi { .. } => "multi",
            QuestionKind::YesNo => "yesno",
            QuestionKind::Number { .. } => "number",
            QuestionKind::Text => "text",
        })
        .collect();
    for kind in ["choice", "multi", "yesno", "number", "text"] {
        assert!(
            kinds.contains(&kind),
            "the questionnaire has {kind} questions"
        );
    }
    let all = yaml_files(&responses)
        .into_iter()
        .map(|f| String::from_utf8(f).unwrap())
        .collect::<Vec<_>>()
        .join("\n");
    for form in [
        ": na",
        ": unknown",
        ": []",
        "note: \"=SUM",
        "evidence: [\"-dash\"",
    ] {
        assert!(all.contains(form), "the set holds {form}");
    }
    round_trip(&responses, "csv", dir.path(), BUILTIN);
    round_trip(&responses, "xlsx", dir.path(), BUILTIN);
}

#[test]
fn the_csv_goes_to_standard_output_with_formulas_neutralized() {
    let dir = tempfile::tempdir().unwrap();
    let responses = every_form(dir.path());
    let (code, stdout, stderr) = run(&["export", responses.to_str().unwrap()]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.starts_with(
        "country,round,respondent_name,respondent_organization,submitted,wf_edu_school,"
    ));
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(stdout.as_bytes());
    let mut rows = 0;
    for record in reader.records() {
        for cell in record.unwrap().iter() {
            assert!(
                !cell.starts_with(['=', '+', '@', '\t', '\r']),
                "{cell:?} would be a formula"
            );
        }
        rows += 1;
    }
    assert_eq!(rows, 8, "the header and one row per response");
    assert!(stdout.contains(",'=Ministry,"), "{stdout}");
    assert!(stdout.contains(",[],"), "an empty selection is []");
}

#[test]
fn a_response_a_cell_cannot_carry_is_named_at_its_answer_and_left_out() {
    let dir = tempfile::tempdir().unwrap();
    let responses = dir.path().join("responses");
    std::fs::create_dir(&responses).unwrap();
    std::fs::write(
        responses.join("a.yaml"),
        "questionnaire: sme-hygiene@2.1\ncountry: XA\nround: \"2025\"\nanswers:\n  p_train:\n    value: yes\n    note: |\n      ends with a line break\n  t_backup: {value: none, evidence: [\"a link\"]}\n",
    )
    .unwrap();
    std::fs::write(
        responses.join("b.yaml"),
        "questionnaire: sme-hygiene@2.1\ncountry: XB\nround: \"2025\"\nanswers:\n  p_train: {value: no, evidence: [\"https://a.org\", \"https://b.org\"]}\n",
    )
    .unwrap();
    let (code, stdout, stderr) = run(&[
        "export",
        responses.to_str().unwrap(),
        "--questionnaire",
        &hygiene(),
    ]);
    assert_eq!(code, 1, "{stderr}");
    let a = responses.join("a.yaml").display().to_string();
    assert!(
        stderr.contains(&format!(
            "{a}:5:3: error: the note on `p_train` ends with a blank or line break, which a cell does not keep"
        )),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!(
            "{a}:9:3: error: the evidence `a link` on `t_backup` is empty or holds a blank or `;`"
        )),
        "{stderr}"
    );
    assert!(!stdout.contains("XA,"), "{stdout}");
    assert!(
        stdout.contains("XB,2025,,,,no,") && stdout.contains(",https://a.org; https://b.org,"),
        "{stdout}"
    );
}

#[test]
fn evidence_on_a_no_comes_back_from_the_table() {
    let dir = tempfile::tempdir().unwrap();
    let responses = dir.path().join("responses");
    std::fs::create_dir(&responses).unwrap();
    let original = "questionnaire: \"sme-hygiene@2.1\"\ncountry: XB\nround: \"2025\"\nrespondent:\n  organization: \"CERT\"\nanswers:\n  p_train:\n    value: no\n    evidence: [\"https://a.org\", \"https://b.org\"]\n  p_channels: []\n";
    std::fs::write(responses.join("XB-2025-CERT.yaml"), original).unwrap();
    for format in ["csv", "xlsx"] {
        let table = dir.path().join(format!("t.{format}"));
        let back = dir.path().join(format!("back-{format}"));
        let (code, _, stderr) = run(&[
            "export",
            responses.to_str().unwrap(),
            "--questionnaire",
            &hygiene(),
            "--format",
            format,
            "--out",
            table.to_str().unwrap(),
        ]);
        assert_eq!(code, 0, "{stderr}");
        let (code, stderr) = common::import(&[table.to_str().unwrap()], &back, &[]);
        assert_eq!(code, 0, "{stderr}");
        let imported = std::fs::read_to_string(back.join("XB-2025-CERT.yaml")).unwrap();
        assert_eq!(imported, original, "{format}");
    }
}

#[test]
fn an_existing_out_file_is_replaced_only_with_force() {
    let dir = tempfile::tempdir().unwrap();
    let first = &cybercap::builtin::questionnaires()[0];
    let (responses, _) = common::write_samples_on(dir.path(), first, first);
    let responses = responses.to_str().unwrap();
    let out = dir.path().join("table.csv");
    std::fs::write(&out, "kept").unwrap();
    let out = out.to_str().unwrap();
    let (code, _, stderr) = run(&["export", responses, "--out", out]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("exists; expected --force"), "{stderr}");
    assert_eq!(std::fs::read_to_string(out).unwrap(), "kept");
    let (code, _, stderr) = run(&["export", responses, "--out", out, "--force"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("52 responses → "), "{stderr}");
    assert!(
        std::fs::read_to_string(out)
            .unwrap()
            .starts_with("country,round,")
    );
    let (code, _, stderr) = run(&["export", responses, "--format", "xlsx"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("an XLSX table needs --out FILE"),
        "{stderr}"
    );
    let (code, _, stderr) = run(&["export", responses, "--lang", "es"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("a CSV export holds ids"), "{stderr}");
}
