//! `score --by-framework` on the demo's responses: the same answers regrouped by the items of
//! the CMM, the ITU GCI, ENISA's NCAF and the NCSI, checked against the questionnaire's own refs
//! and against what `explain` reports for each question.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use common::{assert_close, run, write_samples};
use serde_json::Value;

/// Runs `score RESPONSES --on-conflict latest EXTRA...` and expects success.
fn score(responses: &Path, extra: &[&str]) -> String {
    let responses = responses.to_str().unwrap();
    let mut args = vec!["score", responses, "--on-conflict", "latest"];
    args.extend_from_slice(extra);
    let (code, stdout, stderr) = run(&args);
    assert_eq!(code, 0, "{stderr}");
    stdout
}

fn score_json(responses: &Path, framework: &str) -> Value {
    let out = score(
        responses,
        &["--by-framework", framework, "--format", "json"],
    );
    serde_json::from_str(&out).unwrap()
}

/// Per questionnaire version: question id → the NCAF objectives its refs name, read from the
/// YAML that `questionnaire show` writes, independently of the crosswalk. Version 1.0.0 writes
/// `NCAF 7`, later versions `NCAF-2020 7`.
fn ncaf_refs(reference: &str) -> BTreeMap<String, BTreeSet<String>> {
    let (code, yaml, stderr) = run(&["questionnaire", "show", reference]);
    assert_eq!(code, 0, "{stderr}");
    let doc: Value = serde_saphyr::from_str(&yaml).unwrap();
    let mut refs = BTreeMap::new();
    for pillar in doc["pillars"].as_array().unwrap() {
        for indicator in pillar["indicators"].as_array().unwrap() {
            for question in indicator["questions"].as_array().unwrap() {
                let items: BTreeSet<String> = question["refs"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|r| {
                        let r = r.as_str().unwrap();
                        r.strip_prefix("NCAF-2020 ")
                            .or_else(|| r.strip_prefix("NCAF "))
                            .map(str::to_owned)
                    })
                    .collect();
                if !items.is_empty() {
                    refs.insert(question["id"].as_str().unwrap().to_owned(), items);
                }
            }
        }
    }
    refs
}

#[test]
fn ncaf_lists_its_17_objectives_with_scores_and_coverage_for_every_round() {
    let dir = tempfile::tempdir().unwrap();
    let (responses, _) = write_samples(dir.path());
    let json = score_json(&responses, "NCAF");
    assert_eq!(json["framework"]["id"], "NCAF-2020");
    let results = json["results"].as_array().unwrap();
    // 16 entities, 3 rounds, one of them missing a round in the demo.
    assert!(results.len() >= 45, "{}", results.len());
    let ids: Vec<String> = (1..=17).map(|n| n.to_string()).collect();
    let mut scored = 0;
    for result in results {
        assert_eq!(result["framework"], "NCAF-2020");
        let items = result["items"].as_array().unwrap();
        let got: Vec<&str> = items.iter().map(|i| i["id"].as_str().unwrap()).collect();
        assert_eq!(got, ids, "{}", result["country"]);
        for item in items {
            let questions = item["questions"].as_u64().unwrap();
            let applicable = item["applicable"].as_u64().unwrap();
            let answered = item["answered"].as_u64().unwrap();
            assert!(answered <= applicable && applicable <= questions, "{item}");
            assert_eq!(
                item["question_ids"].as_array().unwrap().len() as u64,
                questions
            );
            assert_eq!(
                item["ref"],
                format!("NCAF-2020 {}", item["id"].as_str().unwrap())
            );
            assert!(item["name"].as_str().is_some_and(|n| !n.is_empty()));
            match item["score"].as_f64() {
                Some(score) => {
                    scored += 1;
                    assert!((0.0..=100.0).contains(&score), "{item}");
                    assert!(applicable > 0);
                    let stage = 1 + (score / 25.0 + 1e-9).floor().min(4.0) as u64;
                    assert_eq!(item["stage"].as_u64(), Some(stage), "{item}");
                }
                None => {
                    assert_eq!(applicable, 0, "{item}");
                    assert!(item["stage"].is_null());
                }
            }
        }
        // Rounds on 1.0.0 wrote refs without an edition; they are read, none is left out.
        let on_old = result["questionnaire"] == "eu-lac-cyber-capacity@1.0.0";
        let read = result["refs_read_without_edition"].as_u64().unwrap();
        assert_eq!(read > 0, on_old, "{}", result["questionnaire"]);
        assert_eq!(result["refs_left_out"], serde_json::json!([]));
    }
    assert!(scored > results.len() * 12, "{scored}");
}

#[test]
fn every_question_with_an_ncaf_ref_contributes_to_its_objective_and_no_other() {
    let dir = tempfile::tempdir().unwrap();
    let (responses, _) = write_samples(dir.path());
    let json = score_json(&responses, "NCAF");
    let mut expected_by_version = BTreeMap::new();
    let mut seen_versions = BTreeSet::new();
    for result in json["results"].as_array().unwrap() {
        let reference = result["questionnaire"].as_str().unwrap().to_owned();
        let expected = expected_by_version
            .entry(reference.clone())
            .or_insert_with(|| ncaf_refs(&reference));
        assert!(expected.len() > 20, "{reference}: {}", expected.len());
        let mut got: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for item in result["items"].as_array().unwrap() {
            for question in item["question_ids"].as_array().unwrap() {
                got.entry(question.as_str().unwrap().to_owned())
                    .or_default()
                    .insert(item["id"].as_str().unwrap().to_owned());
            }
        }
        assert_eq!(&got, expected, "{reference}");
        seen_versions.insert(reference);
    }
    assert_eq!(seen_versions.len(), 2, "{seen_versions:?}");
}

#[test]
fn an_objective_scores_the_mean_of_its_questions_points_as_explain_reports_them() {
    let dir = tempfile::tempdir().unwrap();
    let (responses, _) = write_samples(dir.path());
    let json = score_json(&responses, "NCAF");
    let responses_arg = responses.to_str().unwrap();
    let mut checked = 0;
    for (country, round) in [
        ("XA", "2025"),
        ("XA", "2023"),
        ("XM", "2024"),
        ("XF", "2024"),
    ] {
        let (code, out, stderr) = run(&[
            "explain",
            responses_arg,
            "--country",
            country,
            "--round",
            round,
            "--format",
            "json",
            "--on-conflict",
            "latest",
        ]);
        assert_eq!(code, 0, "{stderr}");
        let explained: Value = serde_json::from_str(&out).unwrap();
        let mut questions: BTreeMap<&str, &Value> = BTreeMap::new();
        for pillar in explained["pillars"].as_array().unwrap() {
            for indicator in pillar["indicators"].as_array().unwrap() {
                for question in indicator["questions"].as_array().unwrap() {
                    questions.insert(question["id"].as_str().unwrap(), question);
                }
            }
        }
        let result = json["results"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["country"] == country && r["round"] == round)
            .unwrap();
        for item in result["items"].as_array().unwrap() {
            let counted: Vec<f64> = item["question_ids"]
                .as_array()
                .unwrap()
                .iter()
                .map(|id| questions[id.as_str().unwrap()])
                .filter(|q| {
                    matches!(
                        q["status"].as_str().unwrap(),
                        "answered" | "unknown" | "unanswered"
                    )
                })
                .map(|q| q["points"].as_f64().unwrap_or(0.0))
                .collect();
            assert_eq!(item["applicable"].as_u64(), Some(counted.len() as u64));
            if counted.is_empty() {
                assert!(item["score"].is_null(), "{item}");
            } else {
                let mean = counted.iter().sum::<f64>() / counted.len() as f64;
                assert_close(&item["score"], mean);
                checked += 1;
            }
        }
    }
    assert!(checked > 50, "{checked}");
}

#[test]
fn cmm_gci_and_ncsi_work_too_each_naming_its_edition() {
    let dir = tempfile::tempdir().unwrap();
    let (responses, _) = write_samples(dir.path());
    for (framework, edition, at_least) in [
        ("CMM", "CMM-2021", 23),
        ("GCI", "GCI-2024", 5),
        ("NCSI", "NCSI-2", 10),
    ] {
        let json = score_json(&responses, framework);
        assert_eq!(json["framework"]["id"], edition);
        for result in json["results"].as_array().unwrap() {
            assert_eq!(result["framework"], edition);
            let items = result["items"].as_array().unwrap();
            assert!(items.len() >= at_least, "{framework}: {}", items.len());
            assert!(
                items.iter().any(|i| i["score"].is_f64()),
                "{framework} {}",
                result["country"]
            );
            assert!(
                items
                    .iter()
                    .all(|i| i["group"].is_string() || framework == "GCI")
            );
        }
    }
    let json = score_json(&responses, "GCI");
    let pillars: Vec<&str> = json["results"][0]["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        pillars,
        [
            "Legal",
            "Technical",
            "Organizational",
            "Capacity Development",
            "Cooperation"
        ]
    );
    // The edition can be named; the CSV has one row per country, round and item.
    let csv = score(
        &responses,
        &["--by-framework", "CMM-2021", "--format", "csv"],
    );
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some(
            "country,round,questionnaire,framework,item,score,stage,questions,applicable,answered"
        )
    );
    let rows: Vec<&str> = lines.collect();
    let results = score_json(&responses, "CMM")["results"]
        .as_array()
        .unwrap()
        .len();
    assert_eq!(rows.len(), results * 23);
    assert!(
        rows.iter()
            .any(|r| r.starts_with("XA,2025,eu-lac-cyber-capacity@1.1.0,CMM-2021,D3.2,"))
    );
}

#[test]
fn an_unknown_framework_or_edition_is_refused_with_the_known_ones() {
    let dir = tempfile::tempdir().unwrap();
    let (responses, _) = write_samples(dir.path());
    let responses = responses.to_str().unwrap();
    let (code, stdout, stderr) = run(&["score", responses, "--by-framework", "ISO27001"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stdout.is_empty());
    assert!(stderr.contains("CMM, GCI, NCAF, NCSI"), "{stderr}");
    let (code, _, stderr) = run(&["score", responses, "--by-framework", "NCAF-1999"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("NCAF-2020 or NCAF-2026"), "{stderr}");
    // A known edition no question refers to gives nothing to score: said, not an empty table.
    let (code, _, stderr) = run(&["score", responses, "--by-framework", "NCAF-2026"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("no question"), "{stderr}");
}

#[test]
fn the_table_speaks_the_chosen_language() {
    let dir = tempfile::tempdir().unwrap();
    let (responses, _) = write_samples(dir.path());
    let spanish = score(&responses, &["--by-framework", "NCAF", "--lang", "es"]);
    for heading in [
        "Elemento",
        "Nombre",
        "Puntuación",
        "Etapa",
        "Preguntas",
        "Aplicables",
    ] {
        assert!(spanish.contains(heading), "{heading}: {spanish}");
    }
    assert!(spanish.contains("Reforzar los programas de formación y educación"));
    assert!(spanish.contains("leídas como NCAF-2020"));
    let english = score(&responses, &["--by-framework", "NCAF"]);
    assert!(english.contains("Item  Name"));
    assert!(english.contains("Strengthen training and educational programmes"));
    let xa = english
        .split("\n\n")
        .find(|block| block.starts_with("XA 2025"))
        .unwrap();
    assert!(xa.lines().any(|l| l.starts_with("7 ")), "{xa}");
}

#[test]
fn each_question_shows_its_refs_in_explain_the_answer_sheet_and_takes_help() {
    let dir = tempfile::tempdir().unwrap();
    let (responses, _) = write_samples(dir.path());
    let responses = responses.to_str().unwrap();
    // The refs of every question of 1.1.0, read from the questionnaire itself.
    let (code, yaml, _) = run(&["questionnaire", "show", "eu-lac-cyber-capacity"]);
    assert_eq!(code, 0);
    let doc: Value = serde_saphyr::from_str(&yaml).unwrap();
    let mut expected: BTreeMap<String, Value> = BTreeMap::new();
    for pillar in doc["pillars"].as_array().unwrap() {
        for indicator in pillar["indicators"].as_array().unwrap() {
            for question in indicator["questions"].as_array().unwrap() {
                let refs = question
                    .get("refs")
                    .cloned()
                    .unwrap_or(Value::Array(vec![]));
                expected.insert(question["id"].as_str().unwrap().to_owned(), refs);
            }
        }
    }
    let (code, out, stderr) = run(&[
        "explain",
        responses,
        "--country",
        "XA",
        "--round",
        "2025",
        "--format",
        "json",
    ]);
    assert_eq!(code, 0, "{stderr}");
    let explained: Value = serde_json::from_str(&out).unwrap();
    let mut seen = 0;
    for pillar in explained["pillars"].as_array().unwrap() {
        for indicator in pillar["indicators"].as_array().unwrap() {
            for question in indicator["questions"].as_array().unwrap() {
                let id = question["id"].as_str().unwrap();
                assert_eq!(question["refs"], expected[id], "{id}");
                seen += 1;
            }
        }
    }
    assert_eq!(seen, expected.len());
    let (_, text, _) = run(&[
        "explain",
        responses,
        "--country",
        "XA",
        "--indicator",
        "workforce.education",
        "--lang",
        "pt",
    ]);
    assert!(
        text.contains("wf_edu_school — Referenciais: CMM-2021 D3.2 · GCI-2024 Capacity Development · NCAF-2020 7 · NCSI-2 3.1"),
        "{text}"
    );
    let (code, sheet, _) = run(&[
        "template",
        "eu-lac-cyber-capacity",
        "--format",
        "yaml",
        "--lang",
        "fr",
    ]);
    assert_eq!(code, 0);
    assert!(
        sheet.contains("  # Référentiels\u{a0}: CMM-2021 D3.2 · GCI-2024 Capacity Development · NCAF-2020 7 · NCSI-2 3.1\n"),
        "{sheet}"
    );
    let output = common::cybercap()
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
            "--plain",
        ])
        .write_stdin("?\nquit\n")
        .output()
        .unwrap();
    let out = String::from_utf8_lossy(&output.stdout);
    assert!(
        out.contains(
            "Marcos: CMM-2021 D3.2 · GCI-2024 Capacity Development · NCAF-2020 7 · NCSI-2 3.1"
        ),
        "{out}"
    );
}
