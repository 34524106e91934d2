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
    let questionnaire = &questionnaires()[0];
    for sample in generate(questionnaire) {
        let text = response_to_yaml(questionnaire, &sample.response);
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
