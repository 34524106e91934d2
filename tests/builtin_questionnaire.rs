//! The built-in questionnaire's content: fair to small states, one option per stage, refs that
//! name their framework's edition, French typography, and 1.0.0 kept beside the latest version.

mod common;

use common::run;
use cybercap::builtin::{latest, questionnaires};
use cybercap::model::doc::RespondentDoc;
use cybercap::model::write::response_to_yaml;
use cybercap::model::{
    Answer, AnswerValue, CountryCode, QuestionKind, Questionnaire, Response, Round,
};

/// The answer at the top of each question's scale; `numbers` gives the value of a number
/// question by id (a small state's real counts), the top band otherwise.
fn top_answers(questionnaire: &Questionnaire, numbers: &[(&str, f64)]) -> Vec<(usize, Answer)> {
    questionnaire
        .questions
        .iter()
        .enumerate()
        .map(|(q, question)| {
            let value = match &question.kind {
                QuestionKind::Choice { options } => {
                    let top = (0..options.len())
                        .max_by_key(|&i| options[i].level)
                        .unwrap();
                    AnswerValue::Choice(u16::try_from(top).unwrap())
                }
                QuestionKind::Multi { options } => AnswerValue::Multi((1u64 << options.len()) - 1),
                QuestionKind::YesNo => AnswerValue::YesNo(true),
                QuestionKind::Number { bands, min, .. } => {
                    let given = numbers.iter().find(|(id, _)| *id == question.id);
                    AnswerValue::Number(given.map_or_else(
                        || bands.last().map_or(min.unwrap_or(0.0), |(m, _)| *m),
                        |(_, n)| *n,
                    ))
                }
                QuestionKind::Text => AnswerValue::Text("Context for the dialogue.".to_owned()),
            };
            (
                q,
                Answer {
                    value,
                    note: None,
                    evidence: Vec::new(),
                },
            )
        })
        .collect()
}

/// A small island state's counts: two higher-education programmes, four cooperation agreements,
/// three hundred incidents handled a year.
const SMALL_STATE_COUNTS: [(&str, f64); 3] = [
    ("wf_edu_programmes_count", 2.0),
    ("co_int_agreements", 4.0),
    ("ec_ir_incidents_handled", 300.0),
];

/// The indicators of `questionnaire` below stage 5 for a state that answers at the top wherever
/// its size allows, scored by `cybercap score`.
fn indicators_below_top(questionnaire: &Questionnaire) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    let response = Response {
        country: CountryCode::parse("XS").unwrap(),
        round: Round::parse("2025").unwrap(),
        respondent: RespondentDoc {
            name: Some("Analyst".to_owned()),
            organization: Some("National CSIRT".to_owned()),
        },
        submitted: None,
        answers: top_answers(questionnaire, &SMALL_STATE_COUNTS),
    };
    let path = dir.path().join("XS-2025.yaml");
    std::fs::write(&path, response_to_yaml(questionnaire, &response)).unwrap();
    let (code, out, err) = run(&["score", path.to_str().unwrap(), "--format", "json"]);
    assert_eq!(code, 0, "{err}");
    let scores: serde_json::Value = serde_json::from_str(&out).unwrap();
    let result = &scores["results"][0];
    assert_eq!(result["completeness"], 1.0, "{out}");
    result["pillars"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|p| p["indicators"].as_array().unwrap())
        .filter(|i| i["stage"] != 5)
        .map(|i| i["id"].as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn a_small_state_reaches_the_top_stage_on_every_indicator_of_the_latest_version() {
    assert_eq!(
        indicators_below_top(&latest().unwrap()),
        Vec::<String>::new()
    );
    // On 1.0.0 the same state was held back by its size alone.
    let first = &questionnaires()[0];
    assert_eq!(first.version, "1.0.0");
    assert_eq!(
        indicators_below_top(first),
        [
            "workforce.education",
            "cooperation.international",
            "ecosystem.incident_response"
        ]
    );
}

#[test]
fn every_scored_number_is_relative_to_the_country_size() {
    // Each scored number was reviewed: a count that grows with a country's size has no place in
    // the score. A new one must be added here with its reason.
    let reviewed = [
        (
            "wf_pt_csirt_training_days",
            "days of training per CSIRT staff member",
        ),
        ("cn_net_rpki_coverage", "a percentage of the address space"),
    ];
    let questionnaire = latest().unwrap();
    let scored: Vec<&str> = questionnaire
        .questions
        .iter()
        .filter(|q| q.is_scored() && matches!(q.kind, QuestionKind::Number { .. }))
        .map(|q| q.id.as_str())
        .collect();
    assert_eq!(scored, reviewed.map(|(id, _)| id));
    let incidents = questionnaire
        .questions
        .iter()
        .find(|q| q.id == "ec_ir_incidents_handled")
        .unwrap();
    assert!(!incidents.is_scored(), "incidents are recorded as context");
}

#[test]
fn each_choice_question_has_one_option_per_stage_in_order() {
    let questionnaire = latest().unwrap();
    for question in &questionnaire.questions {
        if let QuestionKind::Choice { options } = &question.kind {
            let levels: Vec<u8> = options.iter().map(|o| o.level).collect();
            assert_eq!(levels, [1, 2, 3, 4, 5], "{}", question.id);
        }
    }
    assert!(
        questionnaire.questions.len() <= 90,
        "{}",
        questionnaire.questions.len()
    );
    for indicator in &questionnaire.indicators {
        assert_eq!(indicator.descriptors.len(), 5, "{}", indicator.id);
    }
}

#[test]
fn every_ref_names_its_framework_edition() {
    let questionnaire = latest().unwrap();
    for question in &questionnaire.questions {
        for reference in &question.refs {
            assert_eq!(
                cybercap::model::refs::problem(reference),
                None,
                "{}",
                question.id
            );
        }
        if question.is_scored() {
            assert!(!question.refs.is_empty(), "{} has no ref", question.id);
        }
    }
}

#[test]
fn french_texts_use_the_typographic_apostrophe_and_no_break_spaces() {
    let questionnaire = latest().unwrap();
    let mut texts: Vec<(String, String)> = Vec::new();
    let mut add = |what: String, text: &cybercap::model::LocalizedText| {
        texts.push((what, text.get("fr").to_owned()));
    };
    add("title".to_owned(), &questionnaire.title);
    for pillar in &questionnaire.pillars {
        add(pillar.id.clone(), &pillar.title);
    }
    for indicator in &questionnaire.indicators {
        add(indicator.id.clone(), &indicator.title);
        for descriptor in indicator.descriptors.values() {
            add(indicator.id.clone(), descriptor);
        }
    }
    for question in &questionnaire.questions {
        add(question.id.clone(), &question.text);
        if let Some(help) = &question.help {
            add(question.id.clone(), help);
        }
        for option in question.options() {
            add(format!("{}.{}", question.id, option.id), &option.label);
        }
    }
    for (what, text) in texts {
        assert!(!text.contains('\''), "{what}: {text}");
        for (i, c) in text.char_indices() {
            if matches!(c, ':' | ';' | '?' | '!' | '%') && i > 0 {
                let before = text[..i].chars().next_back().unwrap();
                // `https://`, times and ratios are not punctuation of a sentence.
                let in_word = before.is_ascii_alphanumeric() && !matches!(c, '?' | '!' | ';');
                assert!(
                    in_word || before == '\u{a0}' || before == '\u{202f}',
                    "{what}: no no-break space before `{c}` in {text}"
                );
            }
        }
    }
}
