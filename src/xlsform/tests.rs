//! The form of the hygiene questionnaire (every question type, `p_train_freq` asked only when
//! `p_train` is yes) and of questionnaires whose ids cannot all name a field.

use std::path::Path;

use super::*;
use crate::load::{Source, load_questionnaire};

const HYGIENE: &str = include_str!("../../tests/fixtures/questionnaires/hygiene.yaml");

fn questionnaire(text: &str) -> Questionnaire {
    let source = Source::from_text(Path::new("q.yaml"), text);
    load_questionnaire(&source)
        .expect("a valid questionnaire")
        .0
}

fn row<'a>(form: &'a Form, name: &str) -> &'a Row {
    form.survey
        .iter()
        .find(|r| r.name == name)
        .unwrap_or_else(|| panic!("no field {name}"))
}

#[test]
fn every_question_is_a_field_named_by_its_id_with_its_note() {
    let form = Form::new(&questionnaire(HYGIENE), "es", "2026").unwrap();
    assert_eq!(form.default_language, "Español (es)");
    assert_eq!(form.form_id, "sme-hygiene_2.1");
    let kinds: Vec<(&str, &str)> = form
        .survey
        .iter()
        .filter(|r| !r.name.is_empty())
        .map(|r| (r.name.as_str(), r.kind.as_str()))
        .collect();
    for expected in [
        ("country", "select_one country"),
        ("round", "text"),
        ("p_train", "select_one yes_no"),
        ("p_train_freq", "select_one p_train_freq"),
        ("p_channels", "select_multiple p_channels"),
        ("p_comment", "text"),
        ("t_patch_days", "decimal"),
        ("t_patch_days_status", "select_one no_number"),
        ("t_patch_days_note", "text"),
    ] {
        assert!(kinds.contains(&expected), "{expected:?} in {kinds:?}");
    }
    assert_eq!(row(&form, "round").default, "2026");
    assert_eq!(
        row(&form, "p_train").label[1],
        "¿El personal recibe formación en seguridad?"
    );
    assert_eq!(row(&form, "p_train").label.len(), 2);
}

#[test]
fn conditions_and_ranges_are_xpath_over_the_fields() {
    let form = Form::new(&questionnaire(HYGIENE), "en", "2026").unwrap();
    assert_eq!(row(&form, "p_train_freq").relevant, "${p_train} = 'yes'");
    assert_eq!(
        row(&form, "p_train_freq_note").relevant,
        "${p_train} = 'yes'"
    );
    let days = row(&form, "t_patch_days");
    assert_eq!(days.constraint, ". >= 0 and . <= 365");
    assert_eq!(days.constraint_message[0], "A number from 0 to 365");
    assert_eq!(
        row(&form, "t_patch_days_status").relevant,
        "${t_patch_days} = ''"
    );
    assert!(
        row(&form, "p_channels")
            .constraint
            .starts_with("not((selected(., 'na') or"),
    );
}

#[test]
fn every_select_offers_not_applicable_and_dont_know_and_multi_none() {
    let form = Form::new(&questionnaire(HYGIENE), "en", "2026").unwrap();
    let names = |list: &str| -> Vec<&str> {
        form.lists
            .choices
            .iter()
            .filter(|c| c.list == list)
            .map(|c| c.name.as_str())
            .collect()
    };
    assert_eq!(names("yes_no"), ["yes", "no", "na", "unknown"]);
    assert_eq!(names("no_number"), ["na", "unknown"]);
    assert_eq!(
        names("p_channels"),
        ["email", "posters", "drills", "[]", "na", "unknown"]
    );
    assert_eq!(
        names("t_backup"),
        ["none", "local", "offsite", "na", "unknown"]
    );
    let countries = names("country");
    assert!(countries.contains(&"CO") && countries.contains(&"XA") && countries.contains(&"ZZ"));
    assert_eq!(countries.len(), 249 + 42);
    let colombia = form.lists.choices.iter().find(|c| c.name == "CO").unwrap();
    assert_eq!(colombia.label, ["Colombia (CO)", "Colombia (CO)"]);
}

#[test]
fn a_reference_in_a_text_stays_text() {
    let text = HYGIENE.replace("How often?", "How often (${p_train})?");
    let form = Form::new(&questionnaire(&text), "en", "2026").unwrap();
    assert_eq!(
        row(&form, "p_train_freq").label[0],
        "How often ($\u{2060}{p_train})?"
    );
}

#[test]
fn a_group_never_takes_a_field_s_name() {
    let text = HYGIENE.replace("id: people.training", "id: p_comment_note");
    let form = Form::new(&questionnaire(&text), "en", "2026").unwrap();
    let groups: Vec<&str> = form
        .survey
        .iter()
        .filter(|r| r.kind == "begin_group")
        .map(|r| r.name.as_str())
        .collect();
    assert_eq!(groups[..2], ["people", "p_comment_note_"]);
}

#[test]
fn ids_that_cannot_name_a_field_are_refused_with_the_reason() {
    for (from, to, reason) in [
        (
            "p_comment",
            "9comment",
            "question `9comment` would be named `9comment`, and a field's name starts with a letter or `_`",
        ),
        ("p_comment", "meta", "question `meta` would be named `meta`"),
        (
            "p_train_freq",
            "p_train_note",
            "the note of question `p_train` and question `p_train_note` would both be named `p_train_note`",
        ),
    ] {
        let text = HYGIENE.replace(from, to);
        match Form::new(&questionnaire(&text), "en", "2026") {
            Err(Error::Usage(message)) => {
                assert!(message.starts_with("sme-hygiene@2.1 cannot be written as an XLSForm: "));
                assert!(message.contains(reason), "{message}");
            }
            other => panic!("{to}: {other:?}"),
        }
    }
}
