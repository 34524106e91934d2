//! `cybercap robustness` on the demo's responses, as a user checks it: with nothing varied the
//! ranks do not move, with the defaults each actual rank lies in its interval, a seed gives the
//! same bytes, bad arguments are refused with a message.

mod common;

use std::collections::BTreeMap;

use common::{run, write_samples};
use serde_json::Value;

/// `robustness RESPONSES --on-conflict latest ARGS...`: (exit code, stdout, stderr).
fn robustness(responses: &std::path::Path, args: &[&str]) -> (i32, String, String) {
    let mut all = vec![
        "robustness",
        responses.to_str().unwrap(),
        "--on-conflict",
        "latest",
    ];
    all.extend_from_slice(args);
    run(&all)
}

fn json(responses: &std::path::Path, args: &[&str]) -> Value {
    let mut all = vec!["--format", "json"];
    all.extend_from_slice(args);
    let (code, stdout, stderr) = robustness(responses, &all);
    assert_eq!(code, 0, "{stderr}");
    serde_json::from_str(&stdout).unwrap()
}

/// Every country-round's rank as `score` gives it: within its round, by the overall score as
/// shown with one decimal, ties sharing the best rank.
fn score_ranks(responses: &std::path::Path) -> BTreeMap<(String, String), usize> {
    let (code, stdout, stderr) = run(&[
        "score",
        responses.to_str().unwrap(),
        "--on-conflict",
        "latest",
        "--format",
        "json",
    ]);
    assert_eq!(code, 0, "{stderr}");
    let scores: Value = serde_json::from_str(&stdout).unwrap();
    let mut by_round: BTreeMap<String, Vec<(String, f64)>> = BTreeMap::new();
    for result in scores["results"].as_array().unwrap() {
        let Some(score) = result["overall"]["score"].as_f64() else {
            continue;
        };
        let shown: f64 = format!("{score:.1}").parse().unwrap();
        by_round
            .entry(result["round"].as_str().unwrap().to_owned())
            .or_default()
            .push((result["country"].as_str().unwrap().to_owned(), shown));
    }
    let mut ranks = BTreeMap::new();
    for (round, scores) in by_round {
        for (country, score) in &scores {
            let above = scores.iter().filter(|(_, s)| s > score).count();
            ranks.insert((round.clone(), country.clone()), above + 1);
        }
    }
    ranks
}

fn countries(document: &Value) -> impl Iterator<Item = (&str, &Value)> {
    document["rounds"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|round| {
            let name = round["round"].as_str().unwrap();
            round["countries"]
                .as_array()
                .unwrap()
                .iter()
                .map(move |c| (name, c))
        })
}

fn probabilities(value: &Value) -> Vec<f64> {
    value
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p.as_f64().unwrap())
        .collect()
}

#[test]
fn with_nothing_varied_every_country_stays_at_its_rank_and_stage() {
    let dir = tempfile::tempdir().unwrap();
    let (responses, _) = write_samples(dir.path());
    let document = json(
        &responses,
        &[
            "--perturbation",
            "0",
            "--aggregation",
            "arithmetic",
            "--unknown",
            "zero",
            "--draws",
            "200",
        ],
    );
    let expected = score_ranks(&responses);
    let mut seen = 0;
    for (round, c) in countries(&document) {
        let country = c["country"].as_str().unwrap();
        let rank = c["rank"].as_u64().unwrap() as usize;
        assert_eq!(
            Some(&rank),
            expected.get(&(round.to_owned(), country.to_owned())),
            "{country} {round}"
        );
        for key in ["median_rank", "rank_p05", "rank_p95"] {
            assert_eq!(
                c[key].as_u64(),
                Some(rank as u64),
                "{country} {round} {key}"
            );
        }
        let stage = c["stage"].as_u64().unwrap() as usize;
        let mut certain = vec![0.0; 5];
        certain[stage - 1] = 1.0;
        assert_eq!(probabilities(&c["stage_probabilities"]), certain);
        for pillar in c["pillars"].as_array().unwrap() {
            let mut certain = vec![0.0; 5];
            certain[pillar["stage"].as_u64().unwrap() as usize - 1] = 1.0;
            assert_eq!(probabilities(&pillar["stage_probabilities"]), certain);
        }
        seen += 1;
    }
    assert_eq!(seen, expected.len());
    // Nothing varies, so nothing moves the ranks and no index can be estimated.
    for round in document["rounds"].as_array().unwrap() {
        assert_eq!(round["mean_rank_shift"], 0.0);
        assert_eq!(round["most_influential"], Value::Null);
        for s in round["sensitivity"].as_array().unwrap() {
            assert_eq!(s["varied"], false);
            assert_eq!(s["first_order"], Value::Null);
        }
    }
}

#[test]
fn with_the_defaults_every_actual_rank_lies_in_its_interval() {
    let dir = tempfile::tempdir().unwrap();
    let (responses, _) = write_samples(dir.path());
    let document = json(&responses, &[]);
    assert_eq!(document["draws"], 1000);
    assert_eq!(document["perturbation"], 25.0);
    assert_eq!(
        document["aggregation"],
        serde_json::json!(["arithmetic", "geometric"])
    );
    assert_eq!(document["unknown"], serde_json::json!(["zero", "omit"]));
    let mut moved = false;
    for (round, c) in countries(&document) {
        let rank = c["rank"].as_u64().unwrap();
        let (low, high) = (
            c["rank_p05"].as_u64().unwrap(),
            c["rank_p95"].as_u64().unwrap(),
        );
        let median = c["median_rank"].as_u64().unwrap();
        assert!(low <= rank && rank <= high, "{round} {c}");
        assert!(low <= median && median <= high, "{round} {c}");
        let total: f64 = probabilities(&c["stage_probabilities"]).iter().sum();
        assert!((total - 1.0).abs() < 1e-9, "{round} {c}");
        moved |= low < high;
    }
    assert!(moved, "some rank should move when weights move by 25 %");
    for round in document["rounds"].as_array().unwrap() {
        assert!(round["mean_rank_shift"].as_f64().unwrap() > 0.0);
        let named = round["most_influential"].as_str().unwrap();
        let sensitivity = round["sensitivity"].as_array().unwrap();
        assert_eq!(sensitivity.len(), 5);
        let largest = sensitivity
            .iter()
            .max_by(|a, b| {
                let index = |s: &Value| s["first_order"].as_f64().unwrap();
                index(a).total_cmp(&index(b))
            })
            .unwrap();
        assert_eq!(largest["assumption"], named);
    }
}

#[test]
fn a_seed_gives_the_same_bytes_and_another_seed_other_draws() {
    let dir = tempfile::tempdir().unwrap();
    let (responses, _) = write_samples(dir.path());
    for format in ["text", "json", "csv"] {
        let args = ["--format", format, "--draws", "300", "--seed", "7"];
        let (code, first, _) = robustness(&responses, &args);
        assert_eq!(code, 0);
        let (_, second, _) = robustness(&responses, &args);
        assert_eq!(first, second, "{format}");
        let other = ["--format", format, "--draws", "300", "--seed", "8"];
        let (_, third, _) = robustness(&responses, &other);
        assert_ne!(first, third, "{format}");
    }
}

#[test]
fn the_csv_has_one_row_per_country_round_and_measure() {
    let dir = tempfile::tempdir().unwrap();
    let (responses, _) = write_samples(dir.path());
    let (code, csv, _) = robustness(&responses, &["--format", "csv", "--draws", "100"]);
    assert_eq!(code, 0);
    let mut lines = csv.lines();
    assert_eq!(lines.next(), Some("round,country,level,id,measure,value"));
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    assert!(rows.iter().all(|r| r.len() == 6));
    let xa_2025: Vec<&Vec<&str>> = rows
        .iter()
        .filter(|r| r[0] == "2025" && r[1] == "XA" && r[2] == "overall")
        .collect();
    let measures: Vec<&str> = xa_2025.iter().map(|r| r[4]).collect();
    assert_eq!(
        measures,
        [
            "score",
            "rank",
            "median_rank",
            "rank_p05",
            "rank_p95",
            "stage",
            "p_stage_1",
            "p_stage_2",
            "p_stage_3",
            "p_stage_4",
            "p_stage_5"
        ]
    );
    let sensitivity = rows
        .iter()
        .filter(|r| r[0] == "2025" && r[2] == "sensitivity")
        .count();
    assert_eq!(sensitivity, 10);
}

#[test]
fn bad_arguments_are_refused_with_a_message() {
    let dir = tempfile::tempdir().unwrap();
    let (responses, _) = write_samples(dir.path());
    for (args, message) in [
        (
            &["--draws", "0"][..],
            "--draws 0: expected a number of draws from 1 to 100000",
        ),
        (&["--draws", "100001"][..], "--draws 100001"),
        (
            &["--perturbation", "100"][..],
            "--perturbation 100: expected a percentage from 0 up to",
        ),
        (&["--perturbation", "-5"][..], "--perturbation -5"),
        (&["--perturbation", "NaN"][..], "--perturbation NaN"),
        (
            &["--aggregation", "median"][..],
            "invalid value 'median' for '--aggregation",
        ),
        (
            &["--unknown", "half"][..],
            "invalid value 'half' for '--unknown",
        ),
        (
            &["--draws", "many"][..],
            "invalid value 'many' for '--draws",
        ),
        (&["--lang", "de"][..], "--lang de"),
    ] {
        let (code, stdout, stderr) = robustness(&responses, args);
        assert_eq!(code, 2, "{args:?}: {stderr}");
        assert!(stderr.contains(message), "{args:?}: {stderr}");
        assert!(stdout.is_empty(), "{args:?}");
    }
    let (code, _, stderr) = run(&["robustness", dir.path().join("nowhere").to_str().unwrap()]);
    assert_eq!(code, 2, "{stderr}");
}

#[test]
fn the_text_speaks_the_language_of_lang() {
    let dir = tempfile::tempdir().unwrap();
    let (responses, _) = write_samples(dir.path());
    let (code, en, _) = robustness(&responses, &["--draws", "100"]);
    assert_eq!(code, 0);
    assert!(
        en.starts_with("How robust are these results\n100 draws, seed 2008.\n"),
        "{en}"
    );
    assert!(
        en.contains("Varied: question weights ±25.0%; indicator weights ±25.0%"),
        "{en}"
    );
    assert!(
        en.contains("The assumption that moves the ranks most: "),
        "{en}"
    );
    let (code, es, _) = robustness(&responses, &["--draws", "100", "--lang", "es"]);
    assert_eq!(code, 0);
    assert!(
        es.starts_with("¿Qué tan sólidos son estos resultados?\n100 simulaciones, semilla 2008."),
        "{es}"
    );
    assert!(es.contains("pesos de las preguntas ±25,0\u{a0}%"), "{es}");
    assert!(es.contains("Ronda 2025: 16 países"), "{es}");
    assert!(es.contains("Posición") && es.contains("P(etapa 3)"), "{es}");
    let (code, fr, _) = robustness(&responses, &["--draws", "100", "--lang", "fr"]);
    assert_eq!(code, 0);
    assert!(
        fr.contains("Hypothèses variées\u{a0}: poids des questions ±25,0\u{202f}%"),
        "{fr}"
    );
    assert!(fr.contains("Cycle 2025\u{a0}: 16 pays"), "{fr}");
    assert!(
        fr.contains("Rang") && fr.contains("Médiane") && fr.contains("P(stade 1)"),
        "{fr}"
    );
    assert!(
        fr.contains("Hypothèse qui fait le plus bouger les rangs\u{a0}: "),
        "{fr}"
    );
}

#[test]
fn what_is_held_fixed_is_said_so() {
    let dir = tempfile::tempdir().unwrap();
    let (responses, _) = write_samples(dir.path());
    let (code, text, _) = robustness(
        &responses,
        &[
            "--draws",
            "50",
            "--aggregation",
            "geometric",
            "--unknown",
            "omit",
            "--perturbation",
            "10",
        ],
    );
    assert_eq!(code, 0);
    assert!(
        text.contains(
            "Varied: question weights ±10.0%; indicator weights ±10.0%; pillar weights ±10.0%.\n"
        ),
        "{text}"
    );
    assert!(text.contains("Held fixed: aggregation (geometric mean of score + 1); “don’t know” answers (left out).\n"), "{text}");
    let fixed: Vec<&str> = text
        .lines()
        .filter(|l| l.starts_with("aggregation ") || l.starts_with("“don’t know” answers "))
        .collect();
    // Two assumptions in each of the three rounds.
    assert_eq!(fixed.len(), 6, "{text}");
    for line in fixed {
        let cells: Vec<&str> = line
            .split("  ")
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .collect();
        assert_eq!(cells[1..], ["not varied", "not varied"], "{line}");
    }
}

/// `report` of the demo's samples into `out` under `dir`, in `lang`.
fn report(dir: &std::path::Path, responses: &std::path::Path, out: &str, lang: &str) -> String {
    let out = dir.join(out);
    let (code, _, stderr) = run(&[
        "report",
        responses.to_str().unwrap(),
        "--on-conflict",
        "latest",
        "--format",
        "html,md,svg",
        "--lang",
        lang,
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{stderr}");
    std::fs::read_to_string(out.join("index.html")).unwrap()
}

/// The section of `html` from its heading to the next section.
fn section<'h>(html: &'h str, id: &str) -> &'h str {
    let start = html
        .find(&format!("<section id=\"{id}\""))
        .unwrap_or_else(|| panic!("no section {id}"));
    let end = html[start..].find("</section>").unwrap() + start;
    &html[start..end]
}

#[test]
fn the_report_says_how_robust_the_latest_ranks_are_the_same_way_every_time() {
    let dir = tempfile::tempdir().unwrap();
    let (responses, _) = write_samples(dir.path());
    let html = report(dir.path(), &responses, "en", "en");
    assert!(html.contains("<li><a href=\"#robustness\">How robust are these results</a></li>"));
    let robustness = section(&html, "robustness");
    assert!(
        robustness.contains("computed again 1000 times"),
        "{robustness}"
    );
    assert!(robustness.contains("seed 2008"), "{robustness}");
    assert!(robustness.contains("Rank of each country in round 2025 over 1000 draws"));
    assert!(robustness.contains("<svg"), "the chart is drawn inline");
    assert!(robustness.contains("The assumption that moves the ranks most: "));
    // The chart's data table gives every country of the latest round its interval, as
    // `robustness` gives it with the same defaults.
    let document = json(&responses, &[]);
    let latest = document["rounds"].as_array().unwrap().last().unwrap();
    for c in latest["countries"].as_array().unwrap() {
        let row = format!(
            "<tr><th scope=\"row\">{}</th><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}–{}</td></tr>",
            c["country"].as_str().unwrap(),
            c["rank"],
            c["median_rank"],
            c["rank_p05"],
            c["rank_p95"]
        );
        assert!(robustness.contains(&row), "{row}");
    }
    assert!(dir.path().join("en/charts/robustness.svg").exists());
    let markdown = std::fs::read_to_string(dir.path().join("en/report.md")).unwrap();
    assert!(markdown.contains("## How robust are these results"));
    assert!(
        markdown.contains(
            "![Rank of each country in round 2025 over 1000 draws](charts/robustness.svg)"
        )
    );
    // Made again, the section is the same byte for byte.
    let again = report(dir.path(), &responses, "again", "en");
    assert_eq!(section(&again, "robustness"), robustness);

    let es = report(dir.path(), &responses, "es", "es");
    let robustness = section(&es, "robustness");
    assert!(robustness.contains("¿Qué tan sólidos son estos resultados?"));
    assert!(robustness.contains("Posición de cada país en la ronda 2025 en 1000 simulaciones"));
    assert!(robustness.contains("pesos de los pilares"));
    let fr = report(dir.path(), &responses, "fr", "fr");
    let robustness = section(&fr, "robustness");
    assert!(robustness.contains("Quelle est la solidité de ces résultats\u{a0}?"));
    assert!(robustness.contains("Hypothèse qui fait le plus bouger les rangs\u{a0}: "));
}
