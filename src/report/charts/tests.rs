use super::png::pixmap_from_svg;
use super::*;
use crate::numbers::NumberStyle;

fn s(v: &[&str]) -> Vec<String> {
    v.iter().map(|x| (*x).to_string()).collect()
}

fn series(label: &str, values: &[Option<f64>]) -> Series {
    Series {
        label: label.to_string(),
        values: values.to_vec(),
    }
}

fn frame() -> Frame {
    Frame {
        tlp: "TLP:AMBER".to_string(),
        tlp_colour: "#FFC000".to_string(),
        source: "Source: eu-lac-cyber-capacity@1.0.0 · 2026-12-02 · cybercap 0.1.0".to_string(),
        no_data: "No data".to_string(),
        numbers: NumberStyle::PLAIN,
    }
}

fn spanish() -> Frame {
    Frame {
        source: "Fuente: eu-lac-cyber-capacity@1.0.0 · 2026-12-02 · cybercap 0.1.0".to_string(),
        no_data: "Sin datos".to_string(),
        numbers: NumberStyle::of("es"),
        ..frame()
    }
}

fn pillars() -> Vec<String> {
    s(&[
        "Workforce",
        "Cooperation",
        "Ecosystems",
        "Secure connectivity",
    ])
}

fn stage_names() -> Vec<String> {
    s(&[
        "Start-up",
        "Formative",
        "Established",
        "Strategic",
        "Dynamic",
    ])
}

fn row(label: &str, score: Option<f64>, average: Option<f64>) -> OverviewRow {
    OverviewRow {
        label: label.to_string(),
        score,
        average,
    }
}

fn overview_groups() -> Vec<OverviewGroup> {
    vec![
        OverviewGroup {
            name: "European Union".to_string(),
            rows: vec![
                row("Estonia", Some(82.4), Some(61.0)),
                row("Spain", Some(64.0), Some(61.0)),
                row("Portugal", None, Some(61.0)),
            ],
        },
        OverviewGroup {
            name: "Latin America and the Caribbean".to_string(),
            rows: vec![
                row("Uruguay", Some(71.5), Some(47.3)),
                row("Bolivia (Plurinational State of)", Some(31.0), Some(47.3)),
                row("Haiti", Some(0.0), Some(47.3)),
            ],
        },
        OverviewGroup {
            name: "Other countries".to_string(),
            rows: vec![row("Japan", Some(100.0), None)],
        },
    ]
}

fn overview_fixture() -> String {
    overview_svg(
        &frame(),
        "Overall score of each country against its group's average — 2025",
        &overview_groups(),
        &stage_names(),
        "Country's score",
        "Group average",
    )
}

fn bar_groups() -> Vec<RowGroup<Vec<Option<f64>>>> {
    vec![
        RowGroup {
            name: "European Union".to_string(),
            average: vec![Some(70.0), Some(68.0), None, Some(75.0)],
            rows: vec![
                (
                    "Estonia".to_string(),
                    vec![Some(90.0), Some(85.0), Some(95.0), Some(100.0)],
                ),
                (
                    "Spain".to_string(),
                    vec![Some(60.0), None, Some(70.0), Some(65.0)],
                ),
            ],
        },
        RowGroup {
            name: "Latin America and the Caribbean".to_string(),
            average: vec![Some(40.0), Some(45.0), Some(38.0), Some(42.0)],
            rows: vec![
                (
                    "Chile".to_string(),
                    vec![Some(60.0), Some(55.0), Some(0.0), Some(65.0)],
                ),
                (
                    "Dominican Republic".to_string(),
                    vec![Some(30.0), Some(25.0), Some(35.0), Some(41.0)],
                ),
            ],
        },
    ]
}

fn bars_fixture() -> String {
    bars_svg(
        &frame(),
        "Pillars across countries — 2025",
        &pillars(),
        &bar_groups(),
        "Country's score",
        "Group average",
    )
}

fn heat_columns() -> Vec<ColumnGroup> {
    vec![
        ColumnGroup {
            name: "Workforce".to_string(),
            columns: s(&["Education", "Professional training"]),
        },
        ColumnGroup {
            name: "Cooperation".to_string(),
            columns: s(&["Multistakeholder inclusion", "Information sharing"]),
        },
    ]
}

fn heatmap_fixture() -> String {
    heatmap_svg(
        &frame(),
        "Indicators by stage — 2025",
        &heat_columns(),
        &[
            StageRows {
                name: "European Union".to_string(),
                rows: vec![
                    (
                        "Estonia".to_string(),
                        vec![Some(1), Some(2), Some(3), Some(4)],
                    ),
                    ("Spain".to_string(), vec![Some(5), None, Some(2), Some(3)]),
                ],
            },
            StageRows {
                name: "Other countries".to_string(),
                rows: vec![("Japan".to_string(), vec![Some(4), Some(5), Some(5)])],
            },
        ],
        &stage_names(),
    )
}

fn trend_fixture() -> String {
    trend_svg(
        &frame(),
        "Group averages over rounds",
        720,
        &s(&["2021", "2023", "2025"]),
        &[
            series("European Union", &[Some(40.0), Some(52.5), Some(61.0)]),
            series("Central America", &[Some(35.0), None, Some(60.0)]),
            series(
                "Latin America and the Caribbean",
                &[Some(38.0), Some(44.0), Some(59.0)],
            ),
        ],
    )
}

fn panel_groups() -> Vec<RowGroup<Vec<Option<f64>>>> {
    vec![
        RowGroup {
            name: "European Union".to_string(),
            average: vec![Some(50.0), Some(55.0), Some(61.0)],
            rows: vec![
                (
                    "Estonia".to_string(),
                    vec![Some(70.0), Some(76.0), Some(82.0)],
                ),
                ("Spain".to_string(), vec![Some(48.0), None, Some(64.0)]),
            ],
        },
        RowGroup {
            name: "Other countries".to_string(),
            average: vec![None, None, None],
            rows: vec![("Japan".to_string(), vec![None, Some(90.0), Some(100.0)])],
        },
    ]
}

fn panels_fixture() -> String {
    trend_panels_svg(
        &frame(),
        "Overall score of each country over rounds",
        &s(&["2021", "2023", "2025"]),
        &panel_groups(),
        "Country's score",
        "Group average",
    )
}

fn profile_fixture() -> String {
    profile_svg(
        &frame(),
        "Uruguay 2025: pillars against group averages",
        &pillars(),
        &series(
            "Uruguay (UY)",
            &[Some(72.0), Some(55.5), Some(81.0), Some(40.0)],
        ),
        &[
            series(
                "Latin America and the Caribbean",
                &[Some(50.0), Some(48.0), Some(57.0), Some(44.0)],
            ),
            series("OECD", &[Some(68.0), Some(71.0), None, Some(66.0)]),
        ],
        &stage_names(),
    )
}

fn profile_trend_fixture() -> String {
    trend_svg(
        &frame(),
        "Uruguay: scores over rounds",
        560,
        &s(&["2021", "2023", "2025"]),
        &[
            series("Overall", &[Some(40.0), Some(52.5), Some(61.0)]),
            series("Workforce", &[Some(42.0), Some(50.0), Some(60.0)]),
            series("Cooperation", &[Some(39.0), Some(55.0), Some(62.0)]),
            series("Ecosystems", &[Some(41.0), Some(52.0), Some(61.5)]),
            series("Secure connectivity", &[Some(30.0), None, None]),
        ],
    )
}

/// Every chart of the fixtures, with the width the report shows it at.
fn every_chart() -> Vec<(&'static str, String, i32)> {
    vec![
        ("overview", overview_fixture(), 720),
        ("bars", bars_fixture(), 720),
        ("heatmap", heatmap_fixture(), 720),
        ("trend", trend_fixture(), 720),
        ("panels", panels_fixture(), 720),
        ("profile", profile_fixture(), 560),
        ("profile trend", profile_trend_fixture(), 560),
        ("no data", bars_svg(&frame(), "t", &[], &[], "a", "b"), 720),
    ]
}

/// Parses like the PNG path does, so "well-formed" means "resvg accepts it".
fn parses(svg: &str) {
    let tree = resvg::usvg::Tree::from_str(svg, &resvg::usvg::Options::default());
    assert!(tree.is_ok(), "SVG does not parse: {:?}", tree.err());
}

/// The texts drawn: `<text …>content</text>`.
fn texts(svg: &str) -> Vec<String> {
    svg.split("<text ")
        .skip(1)
        .filter_map(|t| {
            let (_, rest) = t.split_once('>')?;
            let (content, _) = rest.split_once("</text>")?;
            Some(content.to_string())
        })
        .collect()
}

/// The texts drawn across (not upright) with their font size and weight.
fn sized_texts(svg: &str) -> Vec<(f64, bool, String)> {
    svg.split("<text ")
        .skip(1)
        .filter_map(|t| {
            let (attributes, rest) = t.split_once('>')?;
            if attributes.contains("transform=") {
                return None;
            }
            let (content, _) = rest.split_once("</text>")?;
            let size = attributes.split("font-size=\"").nth(1)?.split('"').next()?;
            let bold = attributes.contains("font-weight=\"bold\"");
            Some((size.parse().ok()?, bold, content.to_string()))
        })
        .collect()
}

/// Whether `label` is drawn, on one line or wrapped onto several.
fn shows(drawn: &[String], label: &str) -> bool {
    drawn.join(" ").contains(label)
}

/// The value of `attribute` on the root `<svg>` element.
fn root_attribute(svg: &str, attribute: &str) -> f64 {
    let head = svg.split_once('>').map_or("", |(h, _)| h);
    let start = head
        .find(&format!(" {attribute}=\""))
        .unwrap_or_else(|| panic!("no {attribute} in {head}"))
        + attribute.len()
        + 3;
    let end = head[start..].find('"').unwrap() + start;
    head[start..end].parse().unwrap()
}

#[test]
fn overview_snapshot() {
    let svg = overview_fixture();
    parses(&svg);
    insta::assert_snapshot!("overview", svg);
}

#[test]
fn bars_snapshot() {
    let svg = bars_fixture();
    parses(&svg);
    insta::assert_snapshot!("bars", svg);
}

#[test]
fn heatmap_snapshot() {
    let svg = heatmap_fixture();
    parses(&svg);
    insta::assert_snapshot!("heatmap", svg);
}

#[test]
fn trend_snapshot() {
    let svg = trend_fixture();
    parses(&svg);
    insta::assert_snapshot!("trend", svg);
}

#[test]
fn panels_snapshot() {
    let svg = panels_fixture();
    parses(&svg);
    insta::assert_snapshot!("panels", svg);
}

#[test]
fn profile_snapshot() {
    let svg = profile_fixture();
    parses(&svg);
    insta::assert_snapshot!("profile", svg);
}

#[test]
fn no_data_snapshot() {
    let svg = bars_svg(
        &frame(),
        "Pillars across countries — 2025",
        &pillars(),
        &[],
        "Country's score",
        "Group average",
    );
    parses(&svg);
    insta::assert_snapshot!("no_data", svg);
}

#[test]
fn output_is_deterministic() {
    assert_eq!(every_chart(), every_chart());
}

#[test]
fn every_chart_carries_the_tlp_marking_and_the_source_line() {
    for (name, svg, _) in every_chart() {
        let drawn = texts(&svg);
        assert!(drawn.iter().any(|t| t == "TLP:AMBER"), "{name}: no marking");
        assert!(
            drawn
                .iter()
                .any(|t| t.starts_with("Source: eu-lac-cyber-capacity@1.0.0")),
            "{name}: no source line"
        );
        // TLP 2.0: the marking's colour on a black box.
        assert!(svg.contains("fill=\"#FFC000\""), "{name}: marking colour");
        assert!(svg.contains("fill=\"#000\""), "{name}: black box");
    }
}

#[test]
fn no_text_is_smaller_than_11_px_at_the_size_shown() {
    for (name, svg, _) in every_chart() {
        let sizes: Vec<f64> = svg
            .split("font-size=\"")
            .skip(1)
            .map(|rest| rest.split('"').next().unwrap().parse().unwrap())
            .collect();
        assert!(!sizes.is_empty(), "{name}: no text");
        for size in sizes {
            assert!(size >= 10.99, "{name}: text at {size} px");
        }
    }
}

#[test]
fn charts_are_drawn_at_the_width_a_page_shows_them() {
    for (name, svg, width) in every_chart() {
        let drawn = root_attribute(&svg, "width");
        assert!(drawn <= f64::from(width), "{name} is {drawn} px wide");
        // The view box is the design size: nothing is scaled down on the page.
        assert!(svg.contains(&format!("viewBox=\"0 0 {drawn} ")), "{name}");
    }
}

#[test]
fn the_scale_has_its_grid_lines_at_the_stage_boundaries() {
    for svg in [trend_fixture(), profile_trend_fixture(), overview_fixture()] {
        let drawn = texts(&svg);
        for tick in ["0", "25", "50", "75", "100"] {
            assert!(drawn.iter().any(|t| t == tick), "no {tick} tick");
        }
        for old in ["20", "40", "60", "80"] {
            assert!(!drawn.iter().any(|t| t == old), "a {old} tick");
        }
    }
    // The overview names the stage of each band over it.
    let drawn = texts(&overview_fixture());
    for stage in ["Start-up", "Formative", "Established", "Strategic"] {
        assert!(drawn.iter().any(|t| t == stage), "{stage}");
    }
    assert!(drawn.iter().any(|t| t == "Dynamic = 100"));
}

#[test]
fn dashed_lines_are_one_path_each() {
    let svg = panels_fixture();
    // Estonia's and Spain's panels have their group's average; Japan has no group average.
    assert_eq!(svg.matches("stroke-dasharray").count(), 2 + 1, "{svg}");
    for line in svg.lines().filter(|l| l.contains("stroke-dasharray")) {
        let points = line.split("points=\"").nth(1).unwrap_or("");
        let count = points
            .split('"')
            .next()
            .unwrap_or("")
            .split_whitespace()
            .count();
        // The whole average line (three rounds), or the legend's swatch.
        assert!(count == 3 || count == 2, "{line}");
    }
}

#[test]
fn empty_input_says_no_data_in_the_reports_language() {
    let es = spanish();
    let svgs = [
        overview_svg(&es, "t", &[], &stage_names(), "a", "b"),
        bars_svg(&es, "t", &pillars(), &[], "a", "b"),
        bars_svg(&es, "t", &[], &bar_groups(), "a", "b"),
        heatmap_svg(&es, "t", &[], &[], &stage_names()),
        heatmap_svg(&es, "t", &heat_columns(), &[], &stage_names()),
        trend_svg(&es, "t", 720, &[], &[series("a", &[Some(1.0)])]),
        trend_svg(&es, "t", 720, &s(&["2025"]), &[]),
        trend_panels_svg(&es, "t", &[], &panel_groups(), "a", "b"),
        trend_panels_svg(&es, "t", &s(&["2025"]), &[], "a", "b"),
        profile_svg(&es, "t", &[], &series("a", &[]), &[], &stage_names()),
    ];
    for svg in &svgs {
        parses(svg);
        let drawn = texts(svg);
        assert!(drawn.iter().any(|t| t == "Sin datos"), "{svg}");
        assert!(!svg.contains("No data"));
        assert!(drawn.iter().any(|t| t == "TLP:AMBER"));
        assert!(drawn.iter().any(|t| t.starts_with("Fuente: ")));
    }
}

#[test]
fn spanish_charts_write_numbers_with_a_decimal_comma() {
    let es = spanish();
    let svg = overview_svg(
        &es,
        "Puntuación global",
        &overview_groups(),
        &stage_names(),
        "Puntuación del país",
        "Promedio del grupo",
    );
    let drawn = texts(&svg);
    assert!(drawn.iter().any(|t| t == "82,4"), "{drawn:?}");
    assert!(drawn.iter().any(|t| t == "71,5"), "{drawn:?}");
    assert!(!drawn.iter().any(|t| t == "82.4"));
    // A country without a score says so in Spanish.
    assert!(drawn.iter().any(|t| t == "Sin datos"));
    let profile = profile_svg(
        &es,
        "t",
        &pillars(),
        &series("Uruguay", &[Some(55.5), None, Some(33.3), Some(100.0)]),
        &[],
        &stage_names(),
    );
    let drawn = texts(&profile);
    assert!(drawn.iter().any(|t| t == "55,5") && drawn.iter().any(|t| t == "33,3"));
}

#[test]
fn ragged_and_odd_values_do_not_panic() {
    let odd = [
        series("short", &[Some(10.0)]),
        series("long", &[Some(1.0), Some(2.0), Some(3.0), Some(4.0)]),
        series("wild", &[Some(f64::NAN), Some(-5.0), Some(250.0)]),
        series("none", &[None, None, None]),
    ];
    let cats = s(&["a", "b", "c"]);
    let ragged = vec![RowGroup {
        name: String::new(),
        average: vec![Some(f64::INFINITY)],
        rows: vec![
            ("a".to_string(), vec![]),
            (
                "b".to_string(),
                vec![Some(f64::NAN), Some(-3.0), Some(300.0)],
            ),
        ],
    }];
    for svg in [
        overview_svg(
            &frame(),
            "t",
            &[OverviewGroup {
                name: String::new(),
                rows: vec![
                    row("a", Some(f64::NAN), Some(-1.0)),
                    row("b", Some(1e9), None),
                ],
            }],
            &[],
            "",
            "",
        ),
        bars_svg(&frame(), "t", &cats, &ragged, "", ""),
        trend_panels_svg(&frame(), "t", &cats, &ragged, "", ""),
        trend_panels_svg(&frame(), "t", &cats[..1], &ragged, "", ""),
        trend_svg(&frame(), "t", 720, &cats, &odd),
        trend_svg(&frame(), "t", 0, &cats[..1], &odd),
        profile_svg(&frame(), "t", &cats, &odd[1], &odd, &stage_names()[..2]),
        heatmap_svg(
            &frame(),
            "t",
            &heat_columns(),
            &[StageRows {
                name: "g".to_string(),
                rows: vec![
                    ("a".to_string(), vec![Some(0), Some(9)]),
                    ("b".to_string(), vec![]),
                ],
            }],
            &[],
        ),
    ] {
        parses(&svg);
    }
}

#[test]
fn hostile_labels_stay_escaped() {
    let evil = "<script>&\"x\"".to_string();
    let control = "b\u{0}\u{7}\u{FFFF}c".to_string();
    let mut f = frame();
    f.source = format!("Source: {evil}");
    let groups = vec![RowGroup {
        name: evil.clone(),
        average: vec![Some(50.0), Some(20.0)],
        rows: vec![
            (evil.clone(), vec![Some(50.0), Some(20.0)]),
            (control.clone(), vec![Some(1.0), None]),
        ],
    }];
    let svgs = [
        overview_svg(
            &f,
            &evil,
            &[OverviewGroup {
                name: evil.clone(),
                rows: vec![row(&evil, Some(5.0), Some(6.0)), row(&control, None, None)],
            }],
            std::slice::from_ref(&evil),
            &evil,
            &evil,
        ),
        bars_svg(
            &f,
            &evil,
            &[evil.clone(), control.clone()],
            &groups,
            &evil,
            &evil,
        ),
        trend_svg(
            &f,
            &evil,
            720,
            &[evil.clone(), control.clone()],
            &[series(&evil, &[Some(1.0), Some(2.0)])],
        ),
        trend_panels_svg(
            &f,
            &evil,
            std::slice::from_ref(&evil),
            &groups,
            &evil,
            &evil,
        ),
        profile_svg(
            &f,
            &evil,
            &[evil.clone(), control.clone()],
            &series(&evil, &[Some(1.0), None]),
            &[series(&control, &[Some(3.0), Some(4.0)])],
            std::slice::from_ref(&evil),
        ),
        heatmap_svg(
            &f,
            &evil,
            &[ColumnGroup {
                name: evil.clone(),
                columns: vec![evil.clone(), control.clone()],
            }],
            &[StageRows {
                name: evil.clone(),
                rows: vec![(evil.clone(), vec![Some(1)]), (control.clone(), vec![])],
            }],
            std::slice::from_ref(&evil),
        ),
        bars_svg(&f, &evil, &[], &[], &evil, &evil),
    ];
    for svg in &svgs {
        parses(svg);
        assert!(!svg.contains("<script"), "raw tag in {svg}");
        assert!(
            svg.contains("&lt;script&gt;&amp;&quot;x&quot;"),
            "label lost in {svg}"
        );
        // Control characters are not XML; they must have been replaced.
        assert!(!svg.contains('\u{0}') && !svg.contains('\u{7}') && !svg.contains('\u{FFFF}'));
    }
}

#[test]
fn long_labels_wrap_and_every_word_stays_in_the_chart() {
    let long = "The Plurinational State of Somewhere Very Far Away";
    let huge: String = (0..70)
        .map(|i| format!("word{i:02}"))
        .collect::<Vec<_>>()
        .join(" ");
    assert!(huge.len() > 480);
    let unbroken = "x".repeat(300);
    let labels = [long.to_string(), huge.clone(), unbroken.clone()];
    let groups = vec![OverviewGroup {
        name: huge.clone(),
        rows: labels
            .iter()
            .map(|l| row(l, Some(50.0), Some(40.0)))
            .collect(),
    }];
    let overview = overview_svg(&frame(), &huge, &groups, &stage_names(), long, &huge);
    let heat = heatmap_svg(
        &frame(),
        long,
        &[ColumnGroup {
            name: huge.clone(),
            columns: labels.to_vec(),
        }],
        &[StageRows {
            name: long.to_string(),
            rows: labels
                .iter()
                .map(|l| (l.clone(), vec![Some(3); 3]))
                .collect(),
        }],
        &stage_names(),
    );
    let bars = bars_svg(
        &frame(),
        long,
        &labels,
        &[RowGroup {
            name: huge.clone(),
            average: vec![Some(50.0); 3],
            rows: labels
                .iter()
                .map(|l| (l.clone(), vec![Some(50.0); 3]))
                .collect(),
        }],
        long,
        long,
    );
    let trend = trend_svg(
        &frame(),
        &huge,
        560,
        &s(&["2025"]),
        &[series(long, &[Some(5.0)]), series(&huge, &[Some(6.0)])],
    );
    for svg in [&overview, &heat, &bars, &trend] {
        parses(svg);
        let drawn = texts(svg);
        let all = drawn.join(" ");
        assert!(!all.contains('…'), "cut with an ellipsis");
        for word in long.split(' ').chain(huge.split(' ')) {
            assert!(
                drawn.iter().any(|t| t.split(' ').any(|w| w == word)),
                "{word} missing"
            );
        }
        // A word longer than a line is broken, every character kept.
        if svg.contains("xxxxxxxx") {
            let pieces: String = drawn
                .iter()
                .filter(|t| t.chars().all(|c| c == 'x'))
                .map(String::as_str)
                .collect();
            assert!(pieces.len() >= 300, "{}", pieces.len());
        }
        // Text stays within the chart's width.
        let width = root_attribute(svg, "width");
        for (size, bold, t) in sized_texts(svg) {
            let w = super::text::text_width(&t, size, bold);
            assert!(w <= width, "{t} is {w} px wide in a {width} px chart");
        }
    }
    // The tall label makes its row tall instead of overflowing it.
    let short = overview_svg(
        &frame(),
        "t",
        &[OverviewGroup {
            name: String::new(),
            rows: vec![row("a", Some(5.0), None)],
        }],
        &stage_names(),
        "a",
        "b",
    );
    assert!(root_attribute(&overview, "height") > root_attribute(&short, "height") + 200.0);
}

/// Sixty countries in the two regions of the EU–LAC comparison.
fn sixty() -> Vec<(String, Vec<String>)> {
    vec![
        (
            "European Union".to_string(),
            (0..27)
                .map(|i| format!("EU country number {i:02}"))
                .collect(),
        ),
        (
            "Latin America and the Caribbean".to_string(),
            (0..33)
                .map(|i| format!("LAC country number {i:02}"))
                .collect(),
        ),
    ]
}

fn score(i: usize, p: usize) -> Option<f64> {
    (i % 9 != p).then_some(((i * 37 + p * 23) % 101) as f64)
}

#[test]
fn sixty_countries_each_get_a_labelled_row_and_the_chart_grows_downwards() {
    let overview = |n: usize| {
        let groups: Vec<OverviewGroup> = sixty()
            .into_iter()
            .map(|(name, countries)| OverviewGroup {
                name,
                rows: countries
                    .iter()
                    .take(n)
                    .enumerate()
                    .map(|(i, c)| row(c, score(i, 0), Some(55.0)))
                    .collect(),
            })
            .collect();
        overview_svg(&frame(), "Overview", &groups, &stage_names(), "a", "b")
    };
    let bars = |n: usize| {
        let groups: Vec<RowGroup<Vec<Option<f64>>>> = sixty()
            .into_iter()
            .map(|(name, countries)| RowGroup {
                name,
                average: vec![Some(50.0); 4],
                rows: countries
                    .iter()
                    .take(n)
                    .enumerate()
                    .map(|(i, c)| (c.clone(), (0..4).map(|p| score(i, p)).collect()))
                    .collect(),
            })
            .collect();
        bars_svg(&frame(), "Pillars", &pillars(), &groups, "a", "b")
    };
    let indicators: Vec<ColumnGroup> = pillars()
        .into_iter()
        .enumerate()
        .map(|(p, name)| ColumnGroup {
            name,
            columns: (0..4).map(|j| format!("Indicator {p}.{j}")).collect(),
        })
        .collect();
    let heatmap = |n: usize| {
        let groups: Vec<StageRows> = sixty()
            .into_iter()
            .map(|(name, countries)| StageRows {
                name,
                rows: countries
                    .iter()
                    .take(n)
                    .enumerate()
                    .map(|(i, c)| {
                        let stages = (0..16)
                            .map(|j| ((i + j) % 6 != 0).then_some(((i + j) % 5) as u8 + 1))
                            .collect();
                        (c.clone(), stages)
                    })
                    .collect(),
            })
            .collect();
        heatmap_svg(&frame(), "Stages", &indicators, &groups, &stage_names())
    };
    let panels = |n: usize| {
        let groups: Vec<RowGroup<Vec<Option<f64>>>> = sixty()
            .into_iter()
            .map(|(name, countries)| RowGroup {
                name,
                average: vec![Some(40.0), Some(50.0)],
                rows: countries
                    .iter()
                    .take(n)
                    .enumerate()
                    .map(|(i, c)| (c.clone(), vec![score(i, 1), score(i, 2)]))
                    .collect(),
            })
            .collect();
        trend_panels_svg(&frame(), "Trend", &s(&["2023", "2025"]), &groups, "a", "b")
    };
    let charts: [(&str, &dyn Fn(usize) -> String); 4] = [
        ("overview", &overview),
        ("bars", &bars),
        ("heatmap", &heatmap),
        ("panels", &panels),
    ];
    for (name, chart) in charts {
        let all = chart(40);
        let half = chart(15);
        parses(&all);
        let drawn = texts(&all);
        for (region, countries) in sixty() {
            assert!(shows(&drawn, &region), "{name}: {region}");
            for country in countries {
                assert!(shows(&drawn, &country), "{name}: {country}");
            }
        }
        assert_eq!(root_attribute(&all, "width"), 720.0, "{name}");
        let (tall, short) = (
            root_attribute(&all, "height"),
            root_attribute(&half, "height"),
        );
        // 60 rows against 30: the chart grows down the page, at least 16 px a row.
        assert!(
            tall >= short + 16.0 * 30.0 / 5.0,
            "{name}: {short} to {tall}"
        );
        if name != "panels" {
            assert!(tall >= short + 16.0 * 30.0, "{name}: {short} to {tall}");
        }
    }
}

#[test]
fn two_hundred_countries_render() {
    let names: Vec<String> = (0..200).map(|i| format!("Country number {i:03}")).collect();
    let groups = vec![RowGroup {
        name: "Everyone".to_string(),
        average: vec![Some(50.0); 4],
        rows: names
            .iter()
            .enumerate()
            .map(|(i, n)| (n.clone(), (0..4).map(|p| score(i, p)).collect()))
            .collect(),
    }];
    let bars = bars_svg(&frame(), "Everyone", &pillars(), &groups, "a", "b");
    parses(&bars);
    assert!(bars.contains("Country number 199"));
    let panels = trend_panels_svg(&frame(), "Everyone", &pillars(), &groups, "a", "b");
    parses(&panels);
    assert!(shows(&texts(&panels), "Country number 199"));
    let trend = trend_svg(&frame(), "Everyone", 720, &names, &[]);
    parses(&trend);
}

/// Reads width and height from the IHDR chunk, which a PNG must start with.
fn png_size(bytes: &[u8]) -> (u32, u32) {
    assert!(bytes.len() > 24, "too short for a PNG");
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "PNG signature");
    assert_eq!(&bytes[12..16], b"IHDR", "first chunk is IHDR");
    let w = u32::from_be_bytes(bytes[16..20].try_into().unwrap());
    let h = u32::from_be_bytes(bytes[20..24].try_into().unwrap());
    (w, h)
}

#[test]
fn png_has_requested_width_and_content() {
    for (name, svg, _) in every_chart() {
        let png = png_from_svg(&svg, 1600).expect("png");
        let (w, h) = png_size(&png);
        assert_eq!(w, 1600, "{name}");
        assert!(h > 0);

        let pixmap = pixmap_from_svg(&svg, 1600).expect("pixmap");
        assert_eq!((pixmap.width(), pixmap.height()), (w, h));
        let first = pixmap.pixels()[0];
        let distinct = pixmap.pixels().iter().filter(|p| **p != first).count();
        // Not blank: a chart covers far more than a handful of pixels.
        assert!(
            distinct > 10_000,
            "{name}: only {distinct} non-background pixels"
        );
    }
}

#[test]
fn png_draws_text_with_the_embedded_font() {
    // A chart whose only dark pixels come from its text: if the font were missing, none would be.
    let mut f = frame();
    f.tlp = String::new();
    let svg = bars_svg(&f, "Title", &[], &[], "", "");
    let pixmap = pixmap_from_svg(&svg, 960).expect("pixmap");
    let dark = pixmap
        .pixels()
        .iter()
        .filter(|p| p.red() < 80 && p.green() < 80 && p.blue() < 80)
        .count();
    assert!(dark > 200, "text not drawn: {dark} dark pixels");
}

#[test]
fn png_rejects_bad_input() {
    assert!(matches!(
        png_from_svg("not svg", 1600),
        Err(ChartError::Svg(_))
    ));
    assert!(matches!(
        png_from_svg(&trend_fixture(), 0),
        Err(ChartError::Size { .. })
    ));
}

/// Writes one PNG per chart to `$CHARTS_PREVIEW_DIR` for looking at; does nothing without it.
#[test]
fn preview_pngs() {
    let Some(dir) = std::env::var_os("CHARTS_PREVIEW_DIR") else {
        return;
    };
    let dir = std::path::PathBuf::from(dir);
    std::fs::create_dir_all(&dir).unwrap();
    let mut charts = every_chart();
    let es = spanish();
    charts.push((
        "overview-es",
        overview_svg(
            &es,
            "Puntuación global de cada país frente al promedio de su grupo — 2025",
            &overview_groups(),
            &s(&[
                "Inicial",
                "Formativa",
                "Establecida",
                "Estratégica",
                "Dinámica",
            ]),
            "Puntuación del país",
            "Promedio del grupo",
        ),
        720,
    ));
    for (name, svg, _) in charts {
        let name = name.replace(' ', "-");
        std::fs::write(dir.join(format!("{name}.svg")), &svg).unwrap();
        std::fs::write(
            dir.join(format!("{name}.png")),
            png_from_svg(&svg, 1600).unwrap(),
        )
        .unwrap();
    }
}

#[test]
fn text_is_measured_like_resvg_lays_it_out() {
    // Layout (legend spacing, wrapping, label columns) trusts this width: check it against the
    // ink box resvg gives the same text, which is a little narrower than the advance width.
    let text = "Bolivia (Plurinational State of) — Dominican Republic";
    for (px, bold) in [(12.0, false), (16.0, true)] {
        let planned = super::text::text_width(text, px, bold);
        let weight = if bold { " font-weight=\"bold\"" } else { "" };
        let svg = format!(
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"2000\" height=\"50\">\
             <text x=\"0\" y=\"30\" font-family=\"sans-serif\" font-size=\"{px}\"{weight}>{text}</text></svg>"
        );
        let options = resvg::usvg::Options {
            fontdb: super::png::fonts(),
            ..Default::default()
        };
        let tree = resvg::usvg::Tree::from_str(&svg, &options).unwrap();
        let drawn = f64::from(tree.root().abs_bounding_box().width());
        let ratio = drawn / planned;
        assert!(
            (0.97..=1.03).contains(&ratio),
            "{px}px bold={bold}: planned {planned}, drawn {drawn}"
        );
    }
}

/// Prints render times with `CHARTS_TIMINGS=1 cargo test --release --lib charts::tests::timings -- --nocapture`;
/// does nothing without it (debug-build timings mean little).
#[test]
fn timings() {
    if std::env::var_os("CHARTS_TIMINGS").is_none() {
        return;
    }
    use std::time::Instant;
    let time = |what: &str, f: &dyn Fn() -> usize| {
        f();
        const N: u32 = 20;
        let start = Instant::now();
        for _ in 0..N {
            std::hint::black_box(f());
        }
        eprintln!(
            "{what}: {:.2} ms",
            start.elapsed().as_secs_f64() * 1000.0 / f64::from(N)
        );
    };
    for (name, svg, _) in every_chart() {
        time(&format!("{name} png 1600"), &|| {
            png_from_svg(&svg, 1600).unwrap().len()
        });
        time(&format!("{name} pixmap only 1600"), &|| {
            pixmap_from_svg(&svg, 1600).unwrap().width() as usize
        });
    }
    time("overview svg", &|| overview_fixture().len());
    time("bars svg", &|| bars_fixture().len());
    time("heatmap svg", &|| heatmap_fixture().len());
    time("panels svg", &|| panels_fixture().len());
    time("profile svg", &|| profile_fixture().len());
}
