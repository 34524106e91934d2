//! The fast reader of the plain layout and the full YAML parser read every file alike.

mod common;

use std::path::Path;

use cybercap::builtin::questionnaires;
use cybercap::load::{Source, parse_yaml, read_response_fast};
use cybercap::model::doc::ResponseDoc;
use cybercap::model::write::response_to_yaml;
use cybercap::samples::generate;

fn full(path: &str, text: &str) -> ResponseDoc {
    parse_yaml(&Source::from_text(Path::new(path), text)).unwrap()
}

#[test]
fn every_sample_is_read_alike_by_both_readers() {
    let versions = questionnaires();
    for sample in generate(&versions[0], &versions[versions.len() - 1]) {
        let text = response_to_yaml(sample.questionnaire, &sample.response);
        let fast = read_response_fast(&text)
            .unwrap_or_else(|| panic!("the fast reader gave up on {}:\n{text}", sample.file_name));
        assert_eq!(fast, full(&sample.file_name, &text), "{}", sample.file_name);
    }
}

#[test]
fn every_fixture_it_reads_is_read_alike() {
    let mut read = 0;
    for dir in ["hygiene", "hygiene-conflict", "invalid"] {
        for entry in std::fs::read_dir(common::fixture(dir)).unwrap() {
            let path = entry.unwrap().path();
            let text = std::fs::read_to_string(&path).unwrap();
            if !text.contains("questionnaire:") {
                continue;
            }
            if let Some(fast) = read_response_fast(&text) {
                assert_eq!(
                    fast,
                    full(&path.display().to_string(), &text),
                    "{}",
                    path.display()
                );
                read += 1;
            }
        }
    }
    assert!(read >= 3, "the fast reader read only {read} fixtures");
}

#[test]
fn answers_kept_as_written_are_read_back_alike() {
    use cybercap::model::doc::AnswerDoc;
    use cybercap::model::write::{RawAnswer, response_to_yaml_keeping};
    let questionnaire = &questionnaires()[0];
    let sample = generate(questionnaire, questionnaire)
        .into_iter()
        .next()
        .unwrap();
    let text = "questionnaire: x@1\ncountry: XA\nround: 1\nanswers:\n  a: [cloud, \"two words\", 3]\n  b: {value: 1e300, note: \"n\", evidence: [\"https://e.org\"]}\n  \"c d\": yes\n  e: null\n  f: -2.5\n  g: \"yes\"\n";
    let raw = full("raw.yaml", text);
    let kept: Vec<RawAnswer<'_>> = raw
        .answers
        .0
        .iter()
        .map(|(key, value)| RawAnswer {
            key: &key.value,
            value: &value.value,
        })
        .collect();
    let written = response_to_yaml_keeping(questionnaire, &sample.response, &kept);
    let read = full("written.yaml", &written);
    let values = |doc: &ResponseDoc| -> Vec<(String, String)> {
        doc.answers
            .0
            .iter()
            .map(|(k, v)| (k.value.clone(), format!("{:?}", strip(&v.value))))
            .collect()
    };
    let tail = &values(&read)[sample.response.answers.len()..];
    assert_eq!(tail, values(&raw).as_slice(), "{written}");
    if let Some(fast) = read_response_fast(&written) {
        assert_eq!(fast, read, "{written}");
    }

    fn strip(value: &AnswerDoc) -> AnswerDoc {
        match value {
            AnswerDoc::List(items) => AnswerDoc::List(
                items
                    .iter()
                    .map(|i| cybercap::diagnostic::At::new(i.value.clone(), Default::default()))
                    .collect(),
            ),
            AnswerDoc::Detailed {
                value,
                note,
                evidence,
            } => AnswerDoc::Detailed {
                value: Box::new(cybercap::diagnostic::At::new(
                    strip(&value.value),
                    Default::default(),
                )),
                note: note.clone(),
                evidence: evidence.clone(),
            },
            other => other.clone(),
        }
    }
}

#[test]
fn a_file_in_pyyaml_layout_is_read_fast_and_scores_as_the_same_answers_in_cybercaps_layout() {
    let dir = common::fixture("pyyaml");
    let path = dir.join("XEU-r039.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    // PyYAML's safe_dump: keys sorted (answers first), single quotes, indentless lists.
    assert!(text.starts_with("answers:\n"), "{text}");
    let fast = read_response_fast(&text).expect("the fast reader reads PyYAML's layout");
    assert_eq!(fast, full("XEU-r039.yaml", &text));
    // The same answers as cybercap writes them give the same scores.
    let own = tempfile::tempdir().unwrap();
    let questionnaire = &questionnaires()[0];
    let source = Source::from_text(&path, &text);
    let doc = cybercap::load::read_response_doc(&source).unwrap();
    let (response, _) = cybercap::load::check_response(&path, &doc, questionnaire).unwrap();
    std::fs::write(
        own.path().join("XEU-r039.yaml"),
        response_to_yaml(questionnaire, &response),
    )
    .unwrap();
    let score = |dir: &Path| {
        let out = assert_cmd::Command::cargo_bin("cybercap")
            .unwrap()
            .args(["score", "--format", "json"])
            .arg(dir)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let (theirs, ours) = (score(&dir), score(own.path()));
    assert!(theirs.contains("\"overall\""), "{theirs}");
    // The file names differ only by folder.
    let strip = |json: &str, dir: &Path| json.replace(&dir.display().to_string(), "");
    assert_eq!(strip(&theirs, &dir), strip(&ours, own.path()));
}
