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
    assert!(html.contains("eu-lac-cyber-capacity@1.1.0"));
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
    assert_eq!(csv.lines().count(), 1 + 32 * 21 + 16 * 23);
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
fn png_charts_are_twice_the_size_a_page_shows_them() {
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
        // 720 px across the page, 560 in a profile: PNGs have twice the pixels, for slides.
        let shown = if path.to_string_lossy().contains("profile-") {
            560
        } else {
            720
        };
        assert_eq!(pixmap.width(), 2 * shown, "{}", path.display());
        assert!(pixmap.height() > 200);
        seen += 1;
    }
    // The overview; per round: pillar bars and heatmap; per country: its pillars against its
    // groups; the latest round's rank intervals.
    assert_eq!(seen, 1 + 2 + 3 + 1);
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
    // A link with `|`, `**` and brackets in it stays one link in its list item, and nothing
    // turns bold.
    assert!(!md.contains("**bold**"), "{md}");
    let evidence = md
        .lines()
        .find(|l| l.contains("(https://example.org/a%7Cb%20%2A%2Abold%2A%2A%20%5Bx%5D)"))
        .expect("the evidence link, percent-encoded");
    assert!(evidence.starts_with("* "), "{evidence}");
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
        "<p>{{tlp.marking}} {{#each summary.groups}}{{#each rows}}{{code}}={{overall.score}};{{/each}}{{/each}}</p>",
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
        "<p>TLP:AMBER XB=62.5;XA=38.7;XC=38.7;</p>"
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

/// What a Spanish reader sees in the tables: names, not ids, and numbers with a decimal comma.
#[test]
fn the_spanish_report_names_pillars_and_indicators_and_writes_decimal_commas() {
    let (dir, code, stderr) = report_of_samples(&["--format", "html,md,svg", "--lang", "es"]);
    assert_eq!(code, 0, "{stderr}");
    let md = read(dir.path(), "r/report.md");
    let html = read(dir.path(), "r/index.html");
    let questionnaire = &cybercap::builtin::latest().unwrap();
    // The page with its inline charts, the Markdown and every chart file.
    let mut readings = vec![
        ("index.html".to_owned(), html),
        ("report.md".to_owned(), md.clone()),
    ];
    for entry in std::fs::read_dir(dir.path().join("r/charts")).unwrap() {
        let path = entry.unwrap().path();
        readings.push((
            path.display().to_string(),
            std::fs::read_to_string(&path).unwrap(),
        ));
    }
    for (file, text) in &readings {
        for pillar in &questionnaire.pillars {
            assert!(
                !text.contains(&pillar.id),
                "pillar id {} in {file}",
                pillar.id
            );
        }
        for indicator in &questionnaire.indicators {
            assert!(
                !text.contains(&indicator.id),
                "indicator id {} in {file}",
                indicator.id
            );
        }
    }
    for pillar in &questionnaire.pillars {
        assert!(md.contains(pillar.short_title("es")), "{}", pillar.id);
    }
    let summary = md
        .split("## Resumen")
        .nth(1)
        .and_then(|s| s.split("\n## ").next())
        .expect("a summary section");
    // XB's overall score, 83.4 in English.
    assert!(
        summary.contains("| XB | 1 | 2025 | 83,4 | 4 Estratégica | = 4 |"),
        "{summary}"
    );
    assert!(summary.contains("95,8\u{a0}%"), "{summary}");
    assert!(!summary.contains("83.5"), "{summary}");
}

/// The first page: key messages computed from the data, and how a score becomes a stage.
#[test]
fn the_report_opens_with_key_messages_and_the_method() {
    let (dir, code, stderr) = report_of_samples(&["--format", "html,md"]);
    assert_eq!(code, 0, "{stderr}");
    let md = read(dir.path(), "r/report.md");
    let key = md.find("## Key messages").expect("key messages");
    let method = md.find("## How to read the scores").expect("method");
    let summary = md.find("## Summary").expect("summary");
    assert!(key < method && method < summary);
    for message in [
        "16 countries assessed in 2025; the median overall score is 57.6",
        "Up an overall stage since their previous round: XG \\(3 → 4\\)",
        "Largest rise: XG, +17.7 points \\(2024 → 2025\\)",
        "Lowest completeness: XN 2025: 89.9%",
        "| 5 Dynamic | 100 | Clear mechanisms adapt strategy",
        "the answer of the latest submission was kept",
    ] {
        assert!(md.contains(message), "missing {message}");
    }
    // A country's difference to its group is the difference of the two numbers shown beside it.
    assert!(md.contains("| XA | 2025 | 49.6 | EU \\(sample\\) | 51.7 | −2.1 |"));
    let html = read(dir.path(), "r/index.html");
    assert!(html.find("id=\"key\"") < html.find("id=\"summary\""));
    assert!(html.contains("<th scope=\"colgroup\" colspan=\"11\">EU (sample)</th>"));
}

/// The report of the hygiene fixtures plus one country and round left unscored for each
/// reason: XD's respondents disagree (and `--on-conflict error` leaves it open), XE's only file
/// is invalid, and MX, AR, BR and CL are each one rejected row of a table.
fn report_with_every_reason(extra: &[&str]) -> (tempfile::TempDir, i32, String) {
    let dir = tempfile::tempdir().unwrap();
    let inputs = [
        fixture("hygiene"),
        fixture("hygiene-conflict"),
        fixture("unscored"),
        fixture("import/submissions.csv"),
    ]
    .map(|p| p.display().to_string());
    let questionnaire = hygiene();
    let mut args: Vec<&str> = vec!["report"];
    args.extend(inputs.iter().map(String::as_str));
    args.extend([
        "--questionnaire",
        &questionnaire,
        "--on-conflict",
        "error",
        "--out",
        "r",
    ]);
    args.extend_from_slice(extra);
    let (code, _, stderr) = run_in(dir.path(), &args);
    (dir, code, stderr)
}

#[test]
fn scores_json_is_marked_and_names_the_tool_the_questionnaire_and_the_time() {
    let (dir, code, stderr) = report_of_samples(&["--format", "json", "--tlp", "red"]);
    assert_eq!(code, 0, "{stderr}");
    let json: serde_json::Value = serde_json::from_str(&read(dir.path(), "r/scores.json")).unwrap();
    assert_eq!(json["tlp"], "TLP:RED");
    assert_eq!(
        json["generator"],
        format!("cybercap {}", env!("CARGO_PKG_VERSION"))
    );
    assert_eq!(
        json["questionnaire"]["reference"],
        "eu-lac-cyber-capacity@1.1.0"
    );
    assert_eq!(json["questionnaire"]["version"], "1.1.0");
    let generated: jiff::Timestamp = json["generated"].as_str().unwrap().parse().unwrap();
    assert!((jiff::Timestamp::now() - generated).as_secs().abs() < 600);
    // The results keep their shape.
    assert_eq!(json["results"].as_array().unwrap().len(), 48);
    assert!(json["results"][0]["overall"]["score"].is_f64());
    assert_eq!(json["unscored"], serde_json::json!([]));
    // Without csv among the formats, there is no package describing it.
    assert!(!dir.path().join("r/datapackage.json").exists());
}

#[test]
fn score_json_names_the_tool_and_the_questionnaire_too() {
    let responses = fixture("hygiene").display().to_string();
    let (code, stdout, stderr) = run(&[
        "score",
        &responses,
        "--questionnaire",
        &hygiene(),
        "--format",
        "json",
    ]);
    assert_eq!(code, 0, "{stderr}");
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(
        json["generator"],
        format!("cybercap {}", env!("CARGO_PKG_VERSION"))
    );
    assert_eq!(json["questionnaire"]["reference"], "sme-hygiene@2.1");
    assert_eq!(json["results"].as_array().unwrap().len(), 3);
}

#[test]
fn every_unscored_country_and_round_names_its_reason_and_files() {
    let (dir, code, stderr) = report_with_every_reason(&["--format", "md,json", "--lang", "es"]);
    assert_eq!(code, 1, "the refused inputs make the exit code 1: {stderr}");
    let json: serde_json::Value = serde_json::from_str(&read(dir.path(), "r/scores.json")).unwrap();
    let unscored = json["unscored"].as_array().unwrap();
    let entry = |country: &str| {
        unscored
            .iter()
            .find(|u| u["country"] == country)
            .unwrap_or_else(|| panic!("{country} is not listed as unscored: {unscored:?}"))
    };
    let files = |country: &str| -> Vec<String> {
        entry(country)["files"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f.as_str().unwrap().replace('\\', "/"))
            .collect()
    };
    assert_eq!(entry("XD")["reason"], "unresolved_disagreement");
    assert_eq!(entry("XD")["round"], "2025");
    let xd = files("XD");
    assert_eq!(xd.len(), 2, "{xd:?}");
    assert!(xd[0].ends_with("hygiene-conflict/xd-2025-1.yaml"), "{xd:?}");
    assert!(xd[1].ends_with("hygiene-conflict/xd-2025-2.yaml"), "{xd:?}");
    assert_eq!(entry("XE")["reason"], "invalid_file");
    assert!(files("XE")[0].ends_with("unscored/xe-2025.yaml"));
    assert_eq!(entry("MX")["reason"], "rejected_row");
    assert!(
        files("MX")[0].ends_with("import/submissions.csv:5"),
        "{:?}",
        files("MX")
    );
    // The scored ones are not listed, and the unscored ones are not among the results.
    assert_eq!(unscored.len(), 6, "{unscored:?}");
    let results = json["results"].as_array().unwrap();
    assert!(results.iter().all(|r| r["country"] != "XD"));
    assert!(results.iter().any(|r| r["country"] == "XA"));
    // The report says why in its language.
    let md = read(dir.path(), "r/report.md");
    let line = md
        .lines()
        .find(|l| l.starts_with("- Sin puntuación: "))
        .unwrap_or_else(|| panic!("{md}"));
    assert!(
        line.contains("XD 2025 — desacuerdo sin resolver entre encuestados"),
        "{line}"
    );
    assert!(
        line.contains("XE 2025 — archivo de respuestas no válido"),
        "{line}"
    );
    assert!(
        line.contains("México \\(MX\\) 2025 — fila de importación rechazada"),
        "{line}"
    );
}

/// The pattern of a resource's `path` in the Frictionless profiles: no leading `.`, `/` or `~`
/// and no `..`, written with look-arounds, which the validator's regular expressions lack.
const PATH_PATTERN: &str = r"^(?=^[^./~])(^((?!\.{2}).)*$).*$";

/// The same, without look-arounds: a first character that is not `.`, `/` or `~`, then no dot
/// followed by another.
const PATH_PATTERN_PLAIN: &str = r"^[^./~\n](?:\.?[^.\n])*\.?$";

/// The vendored Frictionless v1 profile `name`, compiled; its path pattern is replaced by the
/// same rule without look-arounds.
fn profile(name: &str) -> (boon::Schemas, boon::SchemaIndex) {
    let path = fixture(&format!("frictionless/{name}.json"));
    let mut schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let replaced = replace_pattern(&mut schema, PATH_PATTERN, PATH_PATTERN_PLAIN);
    assert_eq!(
        replaced > 0,
        name != "table-schema",
        "{name}: {replaced} path patterns"
    );
    let mut schemas = boon::Schemas::new();
    let mut compiler = boon::Compiler::new();
    compiler.enable_format_assertions();
    let url = format!("urn:frictionless:{name}");
    compiler.add_resource(&url, schema).unwrap();
    let index = compiler.compile(&url, &mut schemas).unwrap();
    (schemas, index)
}

fn replace_pattern(schema: &mut serde_json::Value, from: &str, to: &str) -> usize {
    match schema {
        serde_json::Value::Object(map) => {
            let mut replaced = 0;
            for (key, value) in map.iter_mut() {
                if key == "pattern" && value == from {
                    *value = to.into();
                    replaced += 1;
                } else {
                    replaced += replace_pattern(value, from, to);
                }
            }
            replaced
        }
        serde_json::Value::Array(items) => items
            .iter_mut()
            .map(|item| replace_pattern(item, from, to))
            .sum(),
        _ => 0,
    }
}

fn assert_valid(name: &str, doc: &serde_json::Value) {
    let (schemas, index) = profile(name);
    if let Err(e) = schemas.validate(doc, index) {
        panic!("not a valid {name}: {e:#}\n{doc:#}");
    }
}

/// Whether the whole of `text` matches a Table Schema `pattern`, checked by a JSON Schema
/// validator's regular expressions (the same syntax for these patterns).
fn matches_pattern(pattern: &str, text: &str) -> bool {
    let mut schemas = boon::Schemas::new();
    let mut compiler = boon::Compiler::new();
    let schema = serde_json::json!({"type": "string", "pattern": format!("^(?:{pattern})$")});
    compiler.add_resource("urn:pattern", schema).unwrap();
    let index = compiler.compile("urn:pattern", &mut schemas).unwrap();
    schemas
        .validate(&serde_json::Value::from(text), index)
        .is_ok()
}

/// Checks the CSV against its Table Schema as a Frictionless validator would: the header names
/// the fields in order, each cell is a declared missing value or of its field's type within its
/// constraints, and the primary key is never missing and never repeated. Returns the rows.
fn check_csv(csv: &str, schema: &serde_json::Value) -> usize {
    use serde_json::Value;
    let fields = schema["fields"].as_array().unwrap();
    let names: Vec<&str> = fields.iter().map(|f| f["name"].as_str().unwrap()).collect();
    let missing: Vec<&str> = schema["missingValues"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m.as_str().unwrap())
        .collect();
    let key: Vec<usize> = schema["primaryKey"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| names.iter().position(|n| n == k).unwrap())
        .collect();
    assert!(!csv.contains('\r'), "the dialect says lines end with \\n");
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(csv.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    assert_eq!(header, names);
    let mut keys = std::collections::HashSet::new();
    let mut rows = 0;
    for (line, record) in reader.records().enumerate() {
        let record = record.unwrap();
        let at = line + 2;
        assert_eq!(record.len(), fields.len(), "line {at}");
        for (cell, field) in record.iter().zip(fields) {
            let name = field["name"].as_str().unwrap();
            let constraints = &field["constraints"];
            if missing.contains(&cell) {
                assert_ne!(
                    constraints["required"], true,
                    "line {at}: {name} is required"
                );
                continue;
            }
            let value = match field["type"].as_str().unwrap() {
                "string" => Value::from(cell),
                "number" => {
                    let n: f64 = cell
                        .parse()
                        .unwrap_or_else(|_| panic!("line {at}: {name} `{cell}` is not a number"));
                    assert!(n.is_finite() && !cell.contains([',', 'e', 'E']), "{cell}");
                    Value::from(n)
                }
                "integer" => Value::from(
                    cell.parse::<i64>()
                        .unwrap_or_else(|_| panic!("line {at}: {name} `{cell}` is not an integer")),
                ),
                other => panic!("unexpected type {other}"),
            };
            if let Some(allowed) = constraints["enum"].as_array() {
                assert!(allowed.contains(&value), "line {at}: {name} `{cell}`");
            }
            if let Some(min) = constraints["minimum"].as_f64() {
                assert!(value.as_f64().unwrap() >= min, "line {at}: {name} `{cell}`");
            }
            if let Some(max) = constraints["maximum"].as_f64() {
                assert!(value.as_f64().unwrap() <= max, "line {at}: {name} `{cell}`");
            }
            if let Some(pattern) = constraints["pattern"].as_str() {
                assert!(
                    matches_pattern(pattern, cell),
                    "line {at}: {name} `{cell}` does not match {pattern}"
                );
            }
        }
        let row_key: Vec<&str> = key.iter().map(|&i| &record[i]).collect();
        assert!(
            row_key.iter().all(|k| !missing.contains(k)),
            "line {at}: a primary key cell is missing"
        );
        assert!(
            keys.insert(row_key.join("\u{1f}")),
            "line {at}: primary key {row_key:?} repeated"
        );
        rows += 1;
    }
    rows
}

fn check_datapackage(dir: &Path, tlp: &str, questionnaire: &str) -> usize {
    let package: serde_json::Value = serde_json::from_str(&read(dir, "datapackage.json")).unwrap();
    assert_valid("data-package", &package);
    assert_valid("tabular-data-package", &package);
    let resources = package["resources"].as_array().unwrap();
    assert_eq!(resources.len(), 1);
    let resource = &resources[0];
    assert_valid("tabular-data-resource", resource);
    assert_valid("table-schema", &resource["schema"]);
    // The profiles are not vacuous: a path out of the package's folder, or a field without a
    // name, is refused.
    let (schemas, index) = profile("tabular-data-resource");
    for outside in [
        "../scores.csv",
        "/tmp/scores.csv",
        "~/scores.csv",
        "a/../../b.csv",
    ] {
        let mut moved = resource.clone();
        moved["path"] = outside.into();
        assert!(schemas.validate(&moved, index).is_err(), "{outside}");
    }
    let mut nameless = resource["schema"].clone();
    nameless["fields"][0]
        .as_object_mut()
        .unwrap()
        .remove("name");
    let (schemas, index) = profile("table-schema");
    assert!(schemas.validate(&nameless, index).is_err());
    assert_eq!(package["tlp"], tlp);
    assert_eq!(
        package["generator"],
        format!("cybercap {}", env!("CARGO_PKG_VERSION"))
    );
    assert_eq!(package["questionnaire"]["reference"], questionnaire);
    assert_eq!(
        package["sources"][0]["title"],
        format!("Questionnaire {questionnaire}")
    );
    assert!(package.get("licenses").is_none(), "no licence is made up");
    let created: jiff::Timestamp = package["created"].as_str().unwrap().parse().unwrap();
    assert!((jiff::Timestamp::now() - created).as_secs().abs() < 600);
    assert_eq!(resource["path"], "scores.csv");
    assert_eq!(resource["format"], "csv");
    assert_eq!(resource["mediatype"], "text/csv");
    assert_eq!(resource["encoding"], "utf-8");
    let csv = read(dir, "scores.csv");
    assert_eq!(resource["bytes"], csv.len());
    assert!(!csv.starts_with('#'), "no comment line before the header");
    check_csv(&csv, &resource["schema"])
}

#[test]
fn datapackage_json_validates_against_the_frictionless_profiles_and_describes_scores_csv() {
    let (dir, code, stderr) = report_of_samples(&["--format", "csv", "--tlp", "amber+strict"]);
    assert_eq!(code, 0, "{stderr}");
    let rows = check_datapackage(
        &dir.path().join("r"),
        "TLP:AMBER+STRICT",
        "eu-lac-cyber-capacity@1.1.0",
    );
    assert_eq!(rows, 32 * 21 + 16 * 23);
    // Another questionnaire, missing scores and unscored countries: still valid.
    let (dir, code, stderr) = report_with_every_reason(&["--format", "csv"]);
    assert_eq!(code, 1, "{stderr}");
    let rows = check_datapackage(&dir.path().join("r"), "TLP:AMBER", "sme-hygiene@2.1");
    let csv = read(dir.path(), "r/scores.csv");
    assert_eq!(rows, csv.lines().count() - 1);
    assert!(
        csv.lines().any(|l| l.ends_with(",,,")),
        "a row with no score, stage or completeness: {csv}"
    );
    assert!(csv.contains("\nXA,2025,overall,sme-hygiene,38.671875,2,0.8\n"));
}

#[test]
fn the_schema_check_finds_a_cell_out_of_its_constraints() {
    let (dir, code, stderr) = report_of_samples(&["--format", "csv"]);
    assert_eq!(code, 0, "{stderr}");
    let package: serde_json::Value =
        serde_json::from_str(&read(dir.path(), "r/datapackage.json")).unwrap();
    let schema = &package["resources"][0]["schema"];
    let csv = read(dir.path(), "r/scores.csv");
    let broken = [
        csv.replacen(",overall,", ",total,", 1),
        csv.replacen(",2,", ",7,", 1),
        csv.replacen("\nXA,", "\nX A,", 1),
        csv.replacen(",overall,eu-lac-cyber-capacity,", ",overall,,", 1),
        format!("{csv}{}", csv.lines().nth(1).unwrap()),
    ];
    for broken in broken {
        let caught = std::panic::catch_unwind(|| check_csv(&broken, schema));
        assert!(caught.is_err(), "a broken CSV passed the check");
    }
}

#[test]
fn countries_takes_codes_and_groups_and_group_averages_follow_the_selection() {
    let (dir, code, stderr) =
        report_of_samples(&["--format", "md,json", "--countries", "EU (sample),xp"]);
    assert_eq!(code, 0, "{stderr}");
    let json: serde_json::Value = serde_json::from_str(&read(dir.path(), "r/scores.json")).unwrap();
    let mut countries: Vec<&str> = json["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["country"].as_str().unwrap())
        .collect();
    countries.dedup();
    assert_eq!(countries, ["XA", "XB", "XC", "XD", "XP"]);
    let groups = json["groups"].as_array().unwrap();
    let south = groups
        .iter()
        .find(|g| g["id"] == "South America (sample)")
        .expect("XP's group");
    assert_eq!(south["members"], serde_json::json!(["XP"]));
    let xp_2025 = json["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["country"] == "XP" && r["round"] == "2025")
        .unwrap();
    common::assert_close(
        &south["rounds"]["2025"]["overall"],
        xp_2025["overall"]["score"].as_f64().unwrap(),
    );
    assert!(
        groups.iter().all(|g| g["id"] != "Caribbean (sample)"),
        "a group with no member in the selection is not shown"
    );
    let md = read(dir.path(), "r/report.md");
    assert!(md.contains("| XP | 2025 |"));
    assert!(!md.contains("| XE | 2025 |"));
}

#[test]
fn round_reports_as_of_that_round_with_the_rounds_before_it() {
    let (dir, code, stderr) = report_of_samples(&[
        "--format",
        "md,json",
        "--round",
        "2024",
        "--countries",
        "XA,XB",
    ]);
    assert_eq!(code, 0, "{stderr}");
    let json: serde_json::Value = serde_json::from_str(&read(dir.path(), "r/scores.json")).unwrap();
    assert_eq!(json["rounds"], serde_json::json!(["2023", "2024"]));
    assert_eq!(json["results"].as_array().unwrap().len(), 4);
    let md = read(dir.path(), "r/report.md");
    assert!(md.contains(" | 2024 | "), "the summary shows 2024");
    // What changed: country, previous round and score, latest round and score.
    assert!(
        md.lines()
            .any(|l| l.starts_with("| XA | 2023 | ") && l.contains(" | 2024 | ")),
        "what changed runs from 2023 to 2024: {md}"
    );
    assert!(!md.contains("2025"), "nothing of 2025");
}

#[test]
fn an_unknown_country_or_group_is_a_usage_error_naming_it_and_the_groups() {
    for value in ["XA,Mercosur", "EUR", "C0"] {
        let (dir, code, stderr) = report_of_samples(&["--format", "json", "--countries", value]);
        assert_eq!(code, 2, "{value}: {stderr}");
        let bad = value.rsplit(',').next().unwrap();
        assert!(
            stderr.contains(&format!(
                "`{bad}` in --countries is neither a group nor a country code"
            )),
            "{stderr}"
        );
        assert!(
            stderr.contains("`EU`, `LAC`") && stderr.contains("`EU (sample)`"),
            "{stderr}"
        );
        assert!(!dir.path().join("r").exists(), "nothing written");
    }
    let (_, code, stderr) = report_of_samples(&["--round", "2025/../x"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("round `2025/../x` is not allowed"),
        "{stderr}"
    );
}

#[test]
fn a_selection_of_nothing_is_an_error_and_the_earlier_report_stays() {
    let dir = tempfile::tempdir().unwrap();
    write_samples(&dir.path().join("d"));
    std::fs::create_dir(dir.path().join("r")).unwrap();
    std::fs::write(dir.path().join("r/index.html"), "an earlier report").unwrap();
    for selection in [
        vec!["--countries", "CO"],
        vec!["--round", "2020"],
        vec!["--countries", "LAC"],
    ] {
        let mut args = vec![
            "report",
            "d/responses",
            "--out",
            "r",
            "--on-conflict",
            "latest",
        ];
        args.extend(selection.iter().copied());
        let (code, stdout, stderr) = run_in(dir.path(), &args);
        assert_ne!(code, 0, "{selection:?}");
        assert!(stdout.is_empty(), "{stdout}");
        assert!(stderr.contains("error: no response for "), "{stderr}");
        assert!(
            stderr.contains("the responses cover XA, XB"),
            "{selection:?}: {stderr}"
        );
        assert_eq!(read(dir.path(), "r/index.html"), "an earlier report");
        assert_eq!(std::fs::read_dir(dir.path().join("r")).unwrap().count(), 1);
    }
    // A code asked for that has no response is a warning when others are reported.
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
            "json",
            "--countries",
            "XA,CO",
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains("warning: no response for CO, which --countries names"),
        "{stderr}"
    );
}
