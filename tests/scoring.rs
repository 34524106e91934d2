//! `score` agrees with hand-computed cases on a questionnaire unlike the built-in one.

mod common;

use common::{assert_close, fixture, hygiene, run};
use serde_json::Value;

fn score_json(dir: &str, extra: &[&str]) -> (i32, Value, String) {
    let path = fixture(dir).display().to_string();
    let mut args = vec![
        "score",
        "--questionnaire",
        hygiene().leak(),
        "--format",
        "json",
    ];
    args.push(path.leak());
    args.extend_from_slice(extra);
    let (code, stdout, stderr) = run(&args);
    let json = serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stdout}\n{stderr}"));
    (code, json, stderr)
}

fn result<'a>(json: &'a Value, country: &str) -> &'a Value {
    json["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["country"] == country)
        .unwrap_or_else(|| panic!("no {country} in {json}"))
}

fn pillar<'a>(result: &'a Value, id: &str) -> &'a Value {
    result["pillars"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == id)
        .unwrap()
}

fn indicator<'a>(result: &'a Value, pillar_id: &str, id: &str) -> &'a Value {
    pillar(result, pillar_id)["indicators"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == id)
        .unwrap()
}

#[test]
fn weights_at_every_level_na_unknown_and_conditions() {
    let (code, json, stderr) = score_json("hygiene", &[]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(json["questionnaire"]["id"], "sme-hygiene");
    assert_eq!(json["questionnaire"]["version"], "2.1");
    let xa = result(&json, "XA");
    assert_eq!(xa["round"], "2025");
    // yes = 100 (weight 1), yearly = level 4 = 75 (weight 3): (100 + 225) / 4.
    assert_close(&indicator(xa, "people", "people.training")["score"], 81.25);
    // email 1 + drills 2 of 4 points.
    assert_close(&indicator(xa, "people", "people.awareness")["score"], 75.0);
    // Indicator weights 3 and 1.
    assert_close(&pillar(xa, "people")["score"], 79.6875);
    // 10 days: band from 8 = level 4 = 75 (weight 1); unknown = 0 (weight 2).
    assert_close(&indicator(xa, "tech", "tech.patching")["score"], 25.0);
    // `na` leaves the backup indicator without a score, and out of the pillar's mean.
    assert!(indicator(xa, "tech", "tech.backup")["score"].is_null());
    assert!(indicator(xa, "tech", "tech.backup")["stage"].is_null());
    assert_close(&pillar(xa, "tech")["score"], 25.0);
    // Pillar weights 1 and 3.
    assert_close(&xa["overall"]["score"], (79.6875 + 3.0 * 25.0) / 4.0);
    assert_eq!(xa["overall"]["stage"], 2);
    // 5 applicable scored questions, one `unknown`.
    assert_close(&xa["completeness"], 0.8);

    let xb = result(&json, "XB");
    // `no` makes p_train_freq inapplicable: its answer is kept but not counted.
    assert_close(&indicator(xb, "people", "people.training")["score"], 0.0);
    // Unanswered multi counts 0 and against completeness.
    assert_close(&indicator(xb, "people", "people.awareness")["score"], 0.0);
    assert_close(
        &indicator(xb, "people", "people.awareness")["completeness"],
        0.0,
    );
    // 120 days: level 1 = 0 (weight 1); yes = 100 (weight 2).
    assert_close(
        &indicator(xb, "tech", "tech.patching")["score"],
        200.0 / 3.0,
    );
    assert_close(&indicator(xb, "tech", "tech.backup")["score"], 100.0);
    assert_close(&xb["overall"]["score"], 62.5);
    assert_eq!(xb["overall"]["stage"], 3);
    assert_close(&xb["completeness"], 0.8);
}

#[test]
fn responses_of_one_country_and_round_are_merged() {
    let (_, json, _) = score_json("hygiene", &[]);
    let xa = result(&json, "XA");
    let xc = result(&json, "XC");
    // XC's two files hold XA's answers between them (with `xc` upper-cased).
    assert_eq!(xc["respondents"], 2);
    assert_close(
        &xc["overall"]["score"],
        xa["overall"]["score"].as_f64().unwrap(),
    );
    assert_close(&xc["completeness"], 0.8);
    assert_eq!(xc["disagreements"].as_array().unwrap().len(), 0);
    assert_eq!(json["results"].as_array().unwrap().len(), 3);
}

#[test]
fn a_conflict_names_both_files_and_fails() {
    let (code, json, stderr) = score_json("hygiene-conflict", &[]);
    assert_eq!(code, 1);
    assert!(json["results"].as_array().unwrap().is_empty());
    assert!(
        stderr.contains("conflicting answers to `t_backup` for XD 2025"),
        "{stderr}"
    );
    assert!(
        stderr.contains("`local` in ") && stderr.contains("xd-2025-1.yaml"),
        "{stderr}"
    );
    assert!(
        stderr.contains("`offsite` in ") && stderr.contains("xd-2025-2.yaml"),
        "{stderr}"
    );
}

#[test]
fn on_conflict_latest_keeps_the_latest_and_lists_the_disagreement() {
    let (code, json, stderr) = score_json("hygiene-conflict", &["--on-conflict", "latest"]);
    assert_eq!(code, 0, "{stderr}");
    let xd = result(&json, "XD");
    assert_close(&indicator(xd, "tech", "tech.backup")["score"], 100.0);
    let disagreement = &xd["disagreements"][0];
    assert_eq!(disagreement["question"], "t_backup");
    assert!(
        disagreement["kept"]
            .as_str()
            .unwrap()
            .ends_with("xd-2025-2.yaml")
    );
    assert_eq!(disagreement["answers"].as_array().unwrap().len(), 2);
}

#[test]
fn the_table_rounds_to_one_decimal_and_the_csv_is_long() {
    let path = fixture("hygiene").display().to_string();
    let (code, table, _) = run(&["score", "--questionnaire", &hygiene(), &path]);
    assert_eq!(code, 0);
    let xa = table.lines().find(|l| l.starts_with("XA")).unwrap();
    let cells: Vec<&str> = xa.split_whitespace().collect();
    assert_eq!(
        cells,
        [
            "XA",
            "2025",
            "38.7",
            "2",
            "Developing",
            "80.0%",
            "79.7",
            "25.0"
        ]
    );
    let (_, csv, _) = run(&[
        "score",
        "--questionnaire",
        &hygiene(),
        &path,
        "--format",
        "csv",
    ]);
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some("country,round,level,id,score,stage,completeness")
    );
    assert!(
        csv.contains("\nXA,2025,overall,sme-hygiene,38.671875,2,0.8\n"),
        "{csv}"
    );
    assert!(
        csv.contains("\nXA,2025,indicator,tech.backup,,,\n"),
        "{csv}"
    );
}

#[test]
fn an_invalid_file_is_reported_and_the_others_are_still_scored() {
    let dir = tempfile::tempdir().unwrap();
    for name in ["xa-2025.yaml", "xb-2025.yaml"] {
        std::fs::copy(fixture("hygiene").join(name), dir.path().join(name)).unwrap();
    }
    std::fs::copy(
        fixture("invalid/response-range.yaml"),
        dir.path().join("no.yaml"),
    )
    .unwrap();
    let (code, stdout, stderr) = run(&[
        "score",
        "--questionnaire",
        &hygiene(),
        dir.path().to_str().unwrap(),
    ]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("no.yaml:5:17: error: 400 is out of range"),
        "{stderr}"
    );
    assert!(
        stdout.contains("\nXA ") && stdout.contains("\nXB "),
        "{stdout}"
    );
    assert!(!stdout.contains("\nNO "), "{stdout}");
}
