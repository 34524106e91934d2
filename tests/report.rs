//! `report` as organizers use it: every section, every format, hostile text made inert,
//! languages, groups files, templates and the one-round case.

mod common;

use std::path::Path;

use common::{cybercap, fixture, hygiene, run, write_samples};

fn run_in(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let output = cybercap().current_dir(dir).args(args).output().unwrap();
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// The demo's samples in a temporary folder, reported again with `args`.
fn report_of_samples(args: &[&str]) -> (tempfile::TempDir, i32, String) {
    let dir = tempfile::tempdir().unwrap();
    write_samples(&dir.path().join("d"));
    let mut all = vec![
        "report",
        "d/responses",
        "--out",
        "r",
        "--groups",
        "d/groups.yaml",
        "--on-conflict",
        "latest",
    ];
    all.extend_from_slice(args);
    let (code, _, stderr) = run_in(dir.path(), &all);
    (dir, code, stderr)
}

fn read(dir: &Path, file: &str) -> String {
    std::fs::read_to_string(dir.join(file)).unwrap_or_else(|e| panic!("{file}: {e}"))
}

#[test]
fn the_html_report_has_every_section_and_what_went_into_it() {
    let (dir, code, stderr) = report_of_samples(&["--format", "html", "--tlp", "green"]);
    assert_eq!(code, 0, "{stderr}");
    let html = read(dir.path(), "r/index.html");
    for id in [
        "summary",
        "groups",
        "pillars",
        "heatmap",
        "rounds",
        "profiles",
        "country-XA",
        "country-XP",
    ] {
        assert!(html.contains(&format!("id=\"{id}\"")), "no section {id}");
    }
    assert!(html.contains("TLP:GREEN"));
    assert!(html.contains("eu-lac-cyber-capacity@1.0.0"));
    assert!(
        html.contains("52 response files, 52 submissions, 16 countries, rounds 2023, 2024, 2025")
    );
    assert!(html.contains("Content-Security-Policy"));
    // Self-contained: no reference to anything outside the file.
    for outside in [
        "src=\"http",
        "href=\"http://",
        "@import",
        "url(http",
        "<script",
    ] {
        assert!(!html.contains(outside), "found {outside}");
    }
    // Every chart has its data table as text alternative.
    let figures = html.matches("<figure").count();
    assert!(figures >= 2 + 2 + 16, "{figures} charts");
    assert_eq!(
        figures,
        html.matches("<summary>Data table</summary>").count()
    );
    assert!(html.matches("<svg").count() >= 2 + 2 + 16);
    // Next-stage advice quotes the questionnaire's descriptors.
    assert!(html.contains("<blockquote>"));
    // A disagreement is shown with the answer kept.
    assert!(html.contains("kept: "));
    // Personal names stay out unless asked for.
    assert!(!html.contains("Analyst XA-1"));
}

#[test]
fn personal_names_appear_only_when_asked_for() {
    let (dir, code, _) = report_of_samples(&["--format", "html", "--respondent-names"]);
    assert_eq!(code, 0);
    assert!(read(dir.path(), "r/index.html").contains("Analyst XA-1"));
}

#[test]
fn markdown_csv_json_and_svg_carry_the_same_results() {
    let (dir, code, stderr) = report_of_samples(&["--format", "md,csv,json,svg"]);
    assert_eq!(code, 0, "{stderr}");
    let md = read(dir.path(), "r/report.md");
    assert!(md.starts_with("**TLP:AMBER**"));
    assert!(md.contains("![") && md.contains("](charts/profile-XA-2025.svg)"));
    assert!(dir.path().join("r/charts/profile-XA-2025.svg").exists());
    assert!(dir.path().join("r/charts/pillars-2023.svg").exists());
    assert!(dir.path().join("r/charts/heatmap-2024.svg").exists());
    assert!(dir.path().join("r/charts/trend-groups.svg").exists());
    assert!(!dir.path().join("r/index.html").exists());
    let csv = read(dir.path(), "r/scores.csv");
    assert_eq!(
        csv.lines().next(),
        Some("country,round,level,id,score,stage,completeness")
    );
    assert_eq!(csv.lines().count(), 1 + 48 * 21);
    let json: serde_json::Value = serde_json::from_str(&read(dir.path(), "r/scores.json")).unwrap();
    assert_eq!(json["results"].as_array().unwrap().len(), 48);
    assert_eq!(json["rounds"], serde_json::json!(["2023", "2024", "2025"]));
    let groups = json["groups"].as_array().unwrap();
    assert_eq!(groups.len(), 4, "only groups with members in the data");
    assert_eq!(groups[0]["id"], "EU (sample)");
    // The JSON's XA 2025 overall equals the one in the Markdown summary, rounded.
    let xa = json["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["country"] == "XA" && r["round"] == "2025")
        .unwrap();
    let overall = format!("{:.1}", xa["overall"]["score"].as_f64().unwrap());
    assert!(
        md.contains(&format!("| XA | 2025 | {overall} |")),
        "{overall}"
    );
}

#[test]
fn png_charts_decode_at_1600_pixels_wide() {
    let dir = tempfile::tempdir().unwrap();
    let responses = fixture("hygiene").display().to_string();
    let (code, _, stderr) = run_in(
        dir.path(),
        &[
            "report",
            &responses,
            "--questionnaire",
            &hygiene(),
            "--out",
            "r",
            "--format",
            "png",
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    let mut seen = 0;
    for entry in std::fs::read_dir(dir.path().join("r/charts")).unwrap() {
        let path = entry.unwrap().path();
        assert_eq!(path.extension().unwrap(), "png");
        let pixmap = resvg::tiny_skia::Pixmap::load_png(&path).unwrap();
        assert_eq!(pixmap.width(), 1600, "{}", path.display());
        assert!(pixmap.height() > 200);
        seen += 1;
    }
    // Per round: pillar bars and heatmap; per country: its pillars against its groups.
    assert_eq!(seen, 2 + 3);
}

#[test]
fn hostile_text_is_inert_in_html_markdown_and_csv() {
    let dir = tempfile::tempdir().unwrap();
    let responses = fixture("hostile").display().to_string();
    let groups = fixture("hostile-groups.yaml").display().to_string();
    let (code, _, stderr) = run_in(
        dir.path(),
        &[
            "report",
            &responses,
            "--questionnaire",
            &hygiene(),
            "--groups",
            &groups,
            "--out",
            "r",
            "--format",
            "html,md,csv,svg",
            "--respondent-names",
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    let html = read(dir.path(), "r/index.html");
    for raw in [
        "<script",
        "<img src=x",
        "onerror=alert",
        "<svg onload",
        "<b>Evil",
        "href=\"javascript:",
    ] {
        assert!(!html.contains(raw), "raw `{raw}` in HTML");
    }
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;&#x2F;script&gt;")
            || html.contains("&lt;script&gt;alert(1)&lt;/script&gt;")
    );
    let md = read(dir.path(), "r/report.md");
    for raw in ["<script", "<img", "](javascript:", "<svg"] {
        assert!(!md.contains(raw), "raw `{raw}` in Markdown");
    }
    assert!(md.contains("&lt;script&gt;"));
    assert!(md.contains("\\*bold\\*"));
    // A link with `|` and `**` in it stays inside its table cell, and nothing turns bold.
    assert!(!md.contains("**bold**"), "{md}");
    let evidence_row = md
        .lines()
        .find(|l| l.contains("(p\\_train\\_freq)") && l.starts_with('|'))
        .expect("the drill-down row of p_train_freq");
    let header_row = md
        .lines()
        .rev()
        .skip_while(|l| *l != evidence_row)
        .find(|l| l.starts_with("|---") || l.starts_with("|--"))
        .expect("its table's rule");
    let cells = |row: &str| row.replace("\\|", "").matches('|').count();
    assert_eq!(cells(evidence_row), cells(header_row), "{evidence_row}");
    assert!(
        md.contains("(https://example.org/a%7Cb%20%2A%2Abold%2A%2A%20%5Bx%5D)"),
        "{md}"
    );
    for entry in std::fs::read_dir(dir.path().join("r/charts")).unwrap() {
        let svg = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        assert!(
            !svg.contains("<svg onload") && !svg.contains("<b>"),
            "raw markup in a chart"
        );
    }
}

#[test]
fn one_round_says_there_is_nothing_to_compare_yet() {
    let dir = tempfile::tempdir().unwrap();
    let responses = fixture("hygiene").display().to_string();
    let (code, _, stderr) = run_in(
        dir.path(),
        &[
            "report",
            &responses,
            "--questionnaire",
            &hygiene(),
            "--out",
            "r",
            "--format",
            "html,md,svg",
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    let html = read(dir.path(), "r/index.html");
    assert!(html.contains("Nothing to compare yet: the responses cover one round (2025)."));
    assert!(!dir.path().join("r/charts/trend-countries.svg").exists());
    assert!(read(dir.path(), "r/report.md").contains("Nothing to compare yet"));
}

#[test]
fn the_report_speaks_the_language_asked_for() {
    let (dir, code, _) = report_of_samples(&["--format", "html", "--lang", "es"]);
    assert_eq!(code, 0);
    let html = read(dir.path(), "r/index.html");
    assert!(html.contains("<html lang=\"es\">"));
    assert!(
        html.contains("Resumen")
            && html.contains("Perfiles de país")
            && html.contains("Promedios por grupo")
    );
    // The questionnaire's own texts too.
    assert!(
        html.contains("Desarrollo de la fuerza laboral") || html.contains("fuerza laboral"),
        "pillar titles in Spanish"
    );
}

#[test]
fn a_bad_groups_file_is_reported_at_its_line_and_an_unknown_code_is_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let responses = fixture("hygiene").display().to_string();
    std::fs::write(
        dir.path().join("bad.yaml"),
        "andean:\n  name: Andean\n  member: [BO]\n",
    )
    .unwrap();
    let (code, _, stderr) = run_in(
        dir.path(),
        &[
            "report",
            &responses,
            "--questionnaire",
            &hygiene(),
            "--out",
            "r",
            "--groups",
            "bad.yaml",
        ],
    );
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("bad.yaml:3:3: error: unknown key `member` in group `andean`"),
        "{stderr}"
    );
    std::fs::write(dir.path().join("warn.yaml"), "mine: [XA, UK]\n").unwrap();
    let (code, _, stderr) = run_in(
        dir.path(),
        &[
            "report",
            &responses,
            "--questionnaire",
            &hygiene(),
            "--out",
            "r",
            "--groups",
            "warn.yaml",
            "--format",
            "html",
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains("warn.yaml:1:12: warning: unknown country code `UK`"),
        "{stderr}"
    );
}

#[test]
fn a_template_can_be_replaced_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let responses = fixture("hygiene").display().to_string();
    std::fs::create_dir(dir.path().join("t")).unwrap();
    std::fs::write(
        dir.path().join("t/index.html.hbs"),
        "<p>{{tlp.marking}} {{#each summary.rows}}{{code}}={{overall.score}};{{/each}}</p>",
    )
    .unwrap();
    let (code, _, stderr) = run_in(
        dir.path(),
        &[
            "report",
            &responses,
            "--questionnaire",
            &hygiene(),
            "--out",
            "r",
            "--templates",
            "t",
            "--format",
            "html",
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        read(dir.path(), "r/index.html"),
        "<p>TLP:AMBER XA=38.7;XB=62.5;XC=38.7;</p>"
    );
    std::fs::write(dir.path().join("t/index.html.hbs"), "{{#each x}}").unwrap();
    let (code, _, stderr) = run_in(
        dir.path(),
        &[
            "report",
            &responses,
            "--questionnaire",
            &hygiene(),
            "--out",
            "r",
            "--templates",
            "t",
        ],
    );
    assert_eq!(code, 1);
    assert!(stderr.contains("t/index.html.hbs:1:"), "{stderr}");
}

#[test]
fn bad_report_options_are_usage_errors() {
    let responses = fixture("hygiene").display().to_string();
    let (code, _, stderr) = run(&[
        "report",
        &responses,
        "--questionnaire",
        &hygiene(),
        "--out",
        "/tmp/x",
        "--tlp",
        "purple",
    ]);
    assert_eq!(code, 2);
    assert!(stderr.contains("not a TLP marking"), "{stderr}");
    let (code, _, stderr) = run(&[
        "report",
        &responses,
        "--questionnaire",
        &hygiene(),
        "--out",
        "/tmp/x",
        "--format",
        "pdf",
    ]);
    assert_eq!(code, 2);
    assert!(stderr.contains("unknown format `pdf`"), "{stderr}");
}

#[test]
fn without_groups_over_several_rounds_the_report_says_no_group_and_still_compares_rounds() {
    let dir = tempfile::tempdir().unwrap();
    write_samples(&dir.path().join("d"));
    let (code, _, stderr) = run_in(
        dir.path(),
        &[
            "report",
            "d/responses",
            "--out",
            "r",
            "--on-conflict",
            "latest",
            "--format",
            "html,md,svg",
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    let html = read(dir.path(), "r/index.html");
    assert!(html.contains("No group: none of these countries is in a group."));
    assert!(
        html.contains("Overall score of each country over rounds"),
        "the rounds are compared"
    );
    assert!(read(dir.path(), "r/report.md").contains("No group: "));
    assert!(dir.path().join("r/charts/trend-countries.svg").exists());
    assert!(!dir.path().join("r/charts/trend-groups.svg").exists());
}

#[test]
fn one_country_over_several_rounds_gets_its_report() {
    let dir = tempfile::tempdir().unwrap();
    let (responses, _) = write_samples(&dir.path().join("d"));
    std::fs::create_dir(dir.path().join("one")).unwrap();
    for entry in std::fs::read_dir(&responses).unwrap() {
        let path = entry.unwrap().path();
        if path
            .file_name()
            .unwrap()
            .to_string_lossy()
            .starts_with("XA-")
        {
            std::fs::copy(
                &path,
                dir.path().join("one").join(path.file_name().unwrap()),
            )
            .unwrap();
        }
    }
    // A chart's temporary file left by a report that was stopped, twenty minutes ago.
    std::fs::create_dir_all(dir.path().join("r/charts")).unwrap();
    let stale = dir.path().join("r/charts/.cybercap-a1b2c3.tmp");
    common::stale_file(&stale);
    let (code, _, stderr) = run_in(
        dir.path(),
        &["report", "one", "--out", "r", "--format", "html,md,csv"],
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(!stale.exists(), "{stderr}");
    assert!(
        stderr.contains("report of 3 countries and rounds"),
        "{stderr}"
    );
    let html = read(dir.path(), "r/index.html");
    assert!(html.contains("No group: "));
    assert_eq!(html.matches("<article class=\"profile\"").count(), 1);
    let csv = read(dir.path(), "r/scores.csv");
    assert_eq!(
        csv.lines()
            .filter(|l| l.starts_with("XA,") && l.contains(",overall,"))
            .count(),
        3,
        "{csv}"
    );
}

#[test]
fn when_no_response_can_be_scored_nothing_is_written_and_an_earlier_report_stays() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("bad")).unwrap();
    // One file whose header names the questionnaire but whose answer is wrong, one whose
    // header is broken: either way no response can be scored.
    std::fs::write(
        dir.path().join("bad/a.yaml"),
        "questionnaire: eu-lac-cyber-capacity@1.0.0\ncountry: XA\nround: \"2025\"\nanswers:\n  wf_edu_school: bogus\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("bad/b.yaml"),
        "questionnaire: eu-lac-cyber-capacity@1.0.0\ncountry: 12\n",
    )
    .unwrap();
    std::fs::create_dir(dir.path().join("r")).unwrap();
    std::fs::write(dir.path().join("r/index.html"), "an earlier report").unwrap();
    for inputs in [vec!["bad/a.yaml"], vec!["bad/b.yaml"], vec!["bad"]] {
        let mut args = vec!["report"];
        args.extend(inputs.iter().copied());
        args.extend(["--out", "r"]);
        let (code, stdout, stderr) = run_in(dir.path(), &args);
        assert_eq!(code, 1, "{inputs:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");
        assert!(stdout.is_empty(), "{stdout}");
        assert!(stderr.contains(inputs[0]), "{inputs:?}: {stderr}");
        assert_eq!(read(dir.path(), "r/index.html"), "an earlier report");
        assert_eq!(std::fs::read_dir(dir.path().join("r")).unwrap().count(), 1);
    }
}
