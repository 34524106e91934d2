//! Respondent agreement end to end: a second respondent for the demo's XA 2025, written beside
//! the first, and what `explain`, `score` and `report` say about how far the two agree.

mod common;

use std::path::{Path, PathBuf};

use common::{run, write_samples};
use cybercap::model::write::response_to_yaml;
use cybercap::model::{AnswerValue, QuestionKind, Questionnaire, Response};
use cybercap::scoring::answer_points;

/// The questionnaire of the demo's 2025 round.
fn latest() -> Questionnaire {
    let versions = cybercap::builtin::questionnaires();
    versions[versions.len() - 1].clone()
}

/// The demo's first respondent for XA 2025, as generated.
fn xa_2025(questionnaire: &Questionnaire) -> Response {
    let versions = cybercap::builtin::questionnaires();
    cybercap::samples::generate(&versions[0], questionnaire)
        .into_iter()
        .find(|s| s.file_name == "XA-2025-1.yaml")
        .expect("the demo has XA 2025")
        .response
}

/// Questions another question's condition names: changing their answers would change what is
/// asked, which these tests leave alone.
fn opens_a_condition(questionnaire: &Questionnaire, question: usize) -> bool {
    questionnaire
        .questions
        .iter()
        .any(|q| q.when.as_ref().is_some_and(|c| c.question == question))
}

/// A second respondent for XA 2025: the first's answers, with `change` applied to each choice
/// and yes/no answer it returns a new value for, written as `XA-2025-2.yaml`.
fn second_respondent(
    responses: &Path,
    questionnaire: &Questionnaire,
    change: impl Fn(usize, &QuestionKind, &AnswerValue) -> Option<AnswerValue>,
) -> Response {
    let mut response = xa_2025(questionnaire);
    response.respondent.name = Some("Officer XA-2".to_owned());
    response.respondent.organization = Some("Ministry of Digital Affairs of XA".to_owned());
    response.submitted = "2025-04-02T10:00:00Z".parse().ok();
    for (position, answer) in &mut response.answers {
        if opens_a_condition(questionnaire, *position) {
            continue;
        }
        let kind = &questionnaire.questions[*position].kind;
        if let Some(value) = change(*position, kind, &answer.value) {
            answer.value = value;
        }
    }
    std::fs::write(
        responses.join("XA-2025-2.yaml"),
        response_to_yaml(questionnaire, &response),
    )
    .unwrap();
    response
}

/// The option of a choice question whose level is furthest from `current`'s.
fn opposite(kind: &QuestionKind, value: &AnswerValue) -> Option<AnswerValue> {
    match (kind, value) {
        (QuestionKind::Choice { options }, AnswerValue::Choice(i)) => {
            let level = options[usize::from(*i)].level;
            let target = if level <= 3 { 5 } else { 1 };
            let (far, _) = options
                .iter()
                .enumerate()
                .min_by_key(|(_, o)| o.level.abs_diff(target))?;
            Some(AnswerValue::Choice(far as u16))
        }
        (QuestionKind::YesNo, AnswerValue::YesNo(yes)) => Some(AnswerValue::YesNo(!yes)),
        _ => None,
    }
}

/// The option one level up (or down, at the top) of a choice answer.
fn next_option(kind: &QuestionKind, value: &AnswerValue) -> Option<AnswerValue> {
    match (kind, value) {
        (QuestionKind::Choice { options }, AnswerValue::Choice(i)) => {
            let i = usize::from(*i);
            let other = if i + 1 < options.len() { i + 1 } else { i - 1 };
            Some(AnswerValue::Choice(other as u16))
        }
        _ => None,
    }
}

/// Ordinal alpha computed independently: values as ranks in the coincidence matrix of the
/// pairable questions, by Krippendorff's (2011) formulas, for two respondents.
fn ordinal_alpha(pairs: &[(f64, f64)]) -> f64 {
    let mut distinct: Vec<f64> = pairs.iter().flat_map(|&(a, b)| [a, b]).collect();
    distinct.sort_by(f64::total_cmp);
    distinct.dedup();
    let index = |v: f64| distinct.iter().position(|&d| d == v).unwrap();
    let k = distinct.len();
    // Two values per unit: each ordered pair once, with weight 1 / (2 − 1).
    let mut o = vec![vec![0.0; k]; k];
    for &(a, b) in pairs {
        o[index(a)][index(b)] += 1.0;
        o[index(b)][index(a)] += 1.0;
    }
    let n_c: Vec<f64> = o.iter().map(|row| row.iter().sum()).collect();
    let n: f64 = n_c.iter().sum();
    let delta = |c: usize, g: usize| {
        let (lo, hi) = (c.min(g), c.max(g));
        let between: f64 = n_c[lo..=hi].iter().sum();
        (between - (n_c[lo] + n_c[hi]) / 2.0).powi(2)
    };
    let (mut observed, mut expected) = (0.0, 0.0);
    for c in 0..k {
        for g in 0..k {
            observed += o[c][g] * delta(c, g);
            expected += n_c[c] * n_c[g] * delta(c, g);
        }
    }
    1.0 - (n - 1.0) * observed / expected
}

/// Each scored question both respondents gave a value for: (first's points, second's points).
fn pairs(questionnaire: &Questionnaire, first: &Response, second: &Response) -> Vec<(f64, f64)> {
    let value = |response: &Response, position: usize| {
        let (_, answer) = response.answers.iter().find(|(q, _)| *q == position)?;
        if answer.value == AnswerValue::Unknown {
            return None;
        }
        answer_points(&questionnaire.questions[position], &answer.value)
    };
    (0..questionnaire.questions.len())
        .filter(|&q| questionnaire.questions[q].is_scored())
        .filter_map(|q| Some((value(first, q)?, value(second, q)?)))
        .collect()
}

/// Writes the demo's responses into `dir`: (responses folder, the questionnaire of 2025).
fn samples(dir: &Path) -> (PathBuf, Questionnaire) {
    let (responses, _) = write_samples(dir);
    (responses, latest())
}

fn explain(responses: &Path, extra: &[&str]) -> (i32, String, String) {
    let responses = responses.to_str().unwrap();
    let mut args = vec!["explain", responses, "--country", "XA", "--round", "2025"];
    args.extend_from_slice(extra);
    run(&args)
}

fn explain_json(responses: &Path, extra: &[&str]) -> (i32, serde_json::Value) {
    let mut args = vec!["--format", "json"];
    args.extend_from_slice(extra);
    let (code, out, err) = explain(responses, &args);
    let json = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}\n{err}"));
    (code, json)
}

#[test]
fn two_respondents_one_level_apart_get_the_alpha_an_independent_computation_gives() {
    let dir = tempfile::tempdir().unwrap();
    let (responses, q) = samples(dir.path());
    let first = xa_2025(&q);
    // Every third choice question one level apart.
    let second = second_respondent(&responses, &q, |position, kind, value| {
        (position % 3 == 0)
            .then(|| next_option(kind, value))
            .flatten()
    });
    let pairs = pairs(&q, &first, &second);
    assert!(pairs.iter().any(|(a, b)| a != b), "some answers differ");
    let expected = ordinal_alpha(&pairs);
    assert!(expected < 1.0 && expected > -1.0, "{expected}");

    // The default leaves the round unscored, and that is when the agreement is shown most.
    for policy in [&[][..], &["--on-conflict", "latest"][..]] {
        let (code, json) = explain_json(&responses, policy);
        let agreement = &json["agreement"];
        let alpha = agreement["overall"]["alpha"].as_f64().unwrap();
        assert!(
            (alpha - expected).abs() < 1e-9,
            "{alpha} against {expected}"
        );
        assert_eq!(agreement["overall"]["compared"], pairs.len());
        assert_eq!(agreement["method"], "krippendorff_alpha_ordinal");
        assert_eq!(agreement["threshold"], 0.667);
        assert_eq!(agreement["respondents"].as_array().unwrap().len(), 2);
        let widest = agreement["widest"].as_array().unwrap();
        assert!(!widest.is_empty() && widest.len() <= 5);
        for question in widest {
            let answers = question["answers"].as_array().unwrap();
            assert_eq!(answers.len(), 2, "every respondent's answer");
            assert_ne!(answers[0]["answer"], answers[1]["answer"]);
        }
        assert_eq!(
            agreement["pillars"].as_array().unwrap().len(),
            q.pillars.len()
        );
        if policy.is_empty() {
            assert_eq!(code, 1, "an unresolved disagreement is still an error");
            assert_eq!(json["unscored"], "unresolved_disagreement");
            assert!(json["overall"]["score"].is_null());
        } else {
            assert_eq!(code, 0);
            assert!(json["unscored"].is_null());
            assert!(json["overall"]["score"].is_number());
        }
        let (code_text, text, err) = explain(&responses, policy);
        assert_eq!(code_text, code);
        let shown = format!("α = {expected:.3}");
        assert!(text.contains("Agreement between respondents:"), "{text}");
        assert!(text.contains(&shown), "{shown} in {text}");
        assert!(text.contains("Widest disagreements:"), "{text}");
        if policy.is_empty() {
            assert!(err.contains("no score"), "{err}");
            assert!(
                text.contains("Not scored: unresolved disagreement between respondents"),
                "{text}"
            );
        }
    }
}

#[test]
fn identical_respondents_agree_fully() {
    let dir = tempfile::tempdir().unwrap();
    let (responses, q) = samples(dir.path());
    second_respondent(&responses, &q, |_, _, _| None);
    let (code, json) = explain_json(&responses, &[]);
    assert_eq!(code, 0, "nothing to reconcile");
    let agreement = &json["agreement"];
    assert_eq!(agreement["overall"]["alpha"], 1.0);
    assert_eq!(agreement["overall"]["reconcile"], false);
    assert_eq!(agreement["widest"], serde_json::json!([]));
    for pillar in agreement["pillars"].as_array().unwrap() {
        assert_eq!(pillar["alpha"], 1.0, "{pillar}");
    }
    let (_, text, _) = explain(&responses, &[]);
    assert!(text.contains("α = 1.000"), "{text}");
    assert!(!text.contains("reconcile in a meeting"), "{text}");
}

#[test]
fn respondents_at_opposite_ends_are_flagged_for_a_meeting() {
    let dir = tempfile::tempdir().unwrap();
    let (responses, q) = samples(dir.path());
    let first = xa_2025(&q);
    let second = second_respondent(&responses, &q, |_, kind, value| opposite(kind, value));
    let expected = ordinal_alpha(&pairs(&q, &first, &second));
    assert!(expected < 0.667, "{expected}");
    let (code, json) = explain_json(&responses, &["--on-conflict", "latest"]);
    assert_eq!(code, 0);
    let overall = &json["agreement"]["overall"];
    assert!((overall["alpha"].as_f64().unwrap() - expected).abs() < 1e-9);
    assert_eq!(overall["reconcile"], true);
    let widest = json["agreement"]["widest"].as_array().unwrap();
    assert_eq!(widest.len(), 5);
    assert_eq!(
        widest[0]["spread"], 100.0,
        "opposite ends are 100 points apart"
    );
    let (_, text, _) = explain(&responses, &["--on-conflict", "latest"]);
    assert!(
        text.contains("⚠ below 0.667: reconcile in a meeting"),
        "{text}"
    );
    // In French, numbers with a decimal comma and the flag in words.
    let (_, text, _) = explain(&responses, &["--on-conflict", "latest", "--lang", "fr"]);
    assert!(text.contains("Accord entre répondants"), "{text}");
    let shown = cybercap::numbers::NumberStyle::of("fr").alpha(Some(expected));
    assert!(shown.contains(','), "{shown}");
    assert!(text.contains(&format!("α = {shown}")), "{shown} in {text}");
    assert!(
        text.contains("en dessous de 0,667\u{a0}: à concilier en réunion"),
        "{text}"
    );
}

#[test]
fn score_json_and_the_report_carry_the_agreement() {
    let dir = tempfile::tempdir().unwrap();
    let (responses, q) = samples(dir.path());
    second_respondent(&responses, &q, |_, kind, value| opposite(kind, value));
    let path = responses.to_str().unwrap();
    let (code, out, _) = run(&["score", path, "--format", "json", "--on-conflict", "latest"]);
    assert_eq!(code, 0);
    let json: serde_json::Value = serde_json::from_str(&out).unwrap();
    let results = json["results"].as_array().unwrap();
    let of = |country: &str, round: &str| {
        results
            .iter()
            .find(|r| r["country"] == country && r["round"] == round)
            .unwrap()
    };
    assert_eq!(of("XA", "2025")["agreement"]["overall"]["reconcile"], true);
    assert!(of("XA", "2024")["agreement"].is_null(), "one respondent");
    assert_eq!(of("XB", "2025")["agreement"]["overall"]["alpha"], 1.0);

    // The report shows it, with the unscored round too under the default policy.
    let out = dir.path().join("report");
    let (_, _, err) = run(&[
        "report",
        path,
        "--out",
        out.to_str().unwrap(),
        "--format",
        "html,md,json",
    ]);
    let html = std::fs::read_to_string(out.join("index.html")).unwrap_or_else(|_| panic!("{err}"));
    let profile = &html[html.find("id=\"country-XA\"").unwrap()..];
    let profile = &profile[..profile.find("</article>").unwrap()];
    assert!(profile.contains("<h4>Agreement between respondents</h4>"));
    assert!(profile.contains("2025 — Not scored: unresolved disagreement between respondents"));
    assert!(profile.contains("⚠ below 0.667: reconcile in a meeting"));
    assert!(profile.contains("Widest disagreements (2025)"));
    assert!(profile.contains("Ministry of Digital Affairs of XA"));
    // Its disagreements are listed though the round has no result, each left unresolved.
    let listed = &profile[profile.find("Where respondents disagreed").unwrap()..];
    let listed = &listed[..listed.find("</ul>").unwrap()];
    assert!(listed.contains("2025 — "), "{listed}");
    assert!(listed.contains("(unresolved)"), "{listed}");
    let md = std::fs::read_to_string(out.join("report.md")).unwrap();
    assert!(md.contains("**⚠ below 0.667: reconcile in a meeting**"));
    let scores: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("scores.json")).unwrap()).unwrap();
    let xb = scores["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["country"] == "XB" && r["round"] == "2025")
        .unwrap();
    assert_eq!(xb["agreement"]["overall"]["alpha"], 1.0);
}

#[test]
fn the_report_shows_alpha_in_the_languages_style() {
    let dir = tempfile::tempdir().unwrap();
    let (responses, q) = samples(dir.path());
    second_respondent(&responses, &q, |_, kind, value| opposite(kind, value));
    let out = dir.path().join("report");
    run(&[
        "report",
        responses.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--format",
        "md",
        "--lang",
        "es",
        "--on-conflict",
        "latest",
    ]);
    let md = std::fs::read_to_string(out.join("report.md")).unwrap();
    assert!(md.contains("#### Acuerdo entre encuestados"), "{md}");
    assert!(md.contains("| Global | 1,000 |"), "XB agrees fully");
    assert!(md.contains("**⚠ por debajo de 0,667: conciliar en una reunión**"));
}
