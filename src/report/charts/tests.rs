use super::png::pixmap_from_svg;
use super::*;

fn s(v: &[&str]) -> Vec<String> {
    v.iter().map(|x| (*x).to_string()).collect()
}

fn series(label: &str, values: &[Option<f64>]) -> Series {
    Series {
        label: label.to_string(),
        values: values.to_vec(),
    }
}

fn pillars() -> Vec<String> {
    s(&["Workforce", "Cooperation", "Ecosystem", "Connectivity"])
}

fn radar_fixture() -> String {
    radar_svg(
        "Uruguay: pillar scores",
        &pillars(),
        &[
            series("Uruguay", &[Some(72.0), Some(55.5), Some(81.0), Some(40.0)]),
            series(
                "LAC average",
                &[Some(50.0), Some(48.0), Some(57.0), Some(44.0)],
            ),
            series("EU average", &[Some(68.0), Some(71.0), None, Some(66.0)]),
        ],
    )
}

fn bars_fixture() -> String {
    bars_svg(
        "Pillar scores by country",
        &s(&["Chile", "Costa Rica", "Dominican Republic", "Estonia"]),
        &[
            series(
                "Workforce",
                &[Some(60.0), Some(45.0), Some(30.0), Some(90.0)],
            ),
            series("Cooperation", &[Some(55.0), None, Some(25.0), Some(85.0)]),
            series(
                "Ecosystem",
                &[Some(70.0), Some(50.0), Some(0.0), Some(95.0)],
            ),
            series(
                "Connectivity",
                &[Some(65.0), Some(40.0), Some(35.0), Some(100.0)],
            ),
        ],
    )
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

fn heatmap_fixture() -> String {
    heatmap_svg(
        "Indicator stages",
        &s(&["Chile", "Costa Rica", "Estonia"]),
        &s(&["wf.edu", "wf.train", "co.intl", "eco.law"]),
        &[
            vec![Some(1), Some(2), Some(3), Some(4)],
            vec![Some(5), None, Some(2), Some(3)],
            vec![Some(4), Some(5), Some(5)],
        ],
        &stage_names(),
    )
}

fn trend_fixture() -> String {
    trend_svg(
        "Overall score over rounds",
        &s(&["2021", "2023", "2025"]),
        &[
            series("Chile", &[Some(40.0), Some(52.5), Some(61.0)]),
            series("Costa Rica", &[Some(35.0), None, Some(48.0)]),
            series("LAC average", &[Some(38.0), Some(44.0), Some(50.0)]),
        ],
    )
}

/// Parses like the PNG path does, so "well-formed" means "resvg accepts it".
fn parses(svg: &str) {
    let tree = resvg::usvg::Tree::from_str(svg, &resvg::usvg::Options::default());
    assert!(tree.is_ok(), "SVG does not parse: {:?}", tree.err());
}

#[test]
fn radar_snapshot() {
    let svg = radar_fixture();
    parses(&svg);
    insta::assert_snapshot!("radar", svg);
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
fn no_data_snapshot() {
    let svg = bars_svg("Pillar scores by country", &[], &[]);
    parses(&svg);
    insta::assert_snapshot!("no_data", svg);
}

#[test]
fn output_is_deterministic() {
    assert_eq!(radar_fixture(), radar_fixture());
    assert_eq!(bars_fixture(), bars_fixture());
    assert_eq!(heatmap_fixture(), heatmap_fixture());
    assert_eq!(trend_fixture(), trend_fixture());
}

#[test]
fn empty_input_says_no_data() {
    let one = s(&["x"]);
    let some = [series("a", &[Some(1.0)])];
    let svgs = [
        radar_svg("t", &[], &some),
        radar_svg("t", &one, &[]),
        bars_svg("t", &[], &some),
        bars_svg("t", &one, &[]),
        heatmap_svg("t", &[], &one, &[], &stage_names()),
        heatmap_svg("t", &one, &[], &[vec![]], &[]),
        trend_svg("t", &[], &some),
        trend_svg("t", &one, &[]),
    ];
    for svg in &svgs {
        parses(svg);
        assert!(svg.contains(">\nNo data\n</text>"), "{svg}");
    }
}

#[test]
fn ragged_and_odd_values_do_not_panic() {
    let cats = s(&["a", "b", "c"]);
    let odd = [
        series("short", &[Some(10.0)]),
        series("long", &[Some(1.0), Some(2.0), Some(3.0), Some(4.0)]),
        series("wild", &[Some(f64::NAN), Some(-5.0), Some(250.0)]),
        series("none", &[None, None, None]),
    ];
    for svg in [
        radar_svg("t", &cats, &odd),
        radar_svg("t", &cats[..1], &odd),
        radar_svg("t", &cats[..2], &odd),
        bars_svg("t", &cats, &odd),
        trend_svg("t", &cats, &odd),
        trend_svg("t", &cats[..1], &odd),
        heatmap_svg("t", &cats, &cats, &[vec![Some(0), Some(9)], vec![]], &[]),
    ] {
        parses(&svg);
    }
}

#[test]
fn hostile_labels_stay_escaped() {
    let evil = "<script>&\"x\"".to_string();
    let cats = vec![evil.clone(), "ok".to_string()];
    let ser = [
        series(&evil, &[Some(50.0), Some(20.0)]),
        series("b\u{0}\u{7}\u{FFFF}c", &[Some(1.0), None]),
    ];
    let svgs = [
        radar_svg(&evil, &cats, &ser),
        bars_svg(&evil, &cats, &ser),
        trend_svg(&evil, &cats, &ser),
        heatmap_svg(
            &evil,
            &cats,
            &cats,
            &[vec![Some(1)]],
            std::slice::from_ref(&evil),
        ),
        bars_svg(&evil, &[], &[]),
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
fn long_labels_are_cut() {
    let long = "The Plurinational State of Somewhere Very Far Away".to_string();
    let svg = bars_svg(
        "t",
        std::slice::from_ref(&long),
        &[series("a", &[Some(5.0)])],
    );
    assert!(!svg.contains(&long));
    assert!(svg.contains("The Plurinational State…"), "{svg}");

    // Titles are cut to the chart width instead of running off the edge.
    let title = "A very long title ".repeat(20);
    let svg = trend_svg(&title, &s(&["2025"]), &[series("a", &[Some(5.0)])]);
    let shown = svg.lines().nth(3).unwrap_or_default();
    assert!(shown.ends_with('…'), "{shown}");
    let width = super::canvas::text_width(shown, 18.0, true);
    assert!(width <= 800.0 - 48.0, "title {width} px wide");
}

#[test]
fn two_hundred_categories_render() {
    let names: Vec<String> = (0..200).map(|i| format!("Country number {i:03}")).collect();
    let pillar_series: Vec<Series> = (0..4)
        .map(|p| Series {
            label: format!("Pillar {p}"),
            values: (0..200)
                .map(|i| (i % 7 != p).then_some(((i * 13 + p * 29) % 101) as f64))
                .collect(),
        })
        .collect();
    let bars = bars_svg("Everyone", &names, &pillar_series);
    parses(&bars);
    assert!(bars.contains("Country number 199"));
    // Width grows with the data rather than squeezing bars below a pixel.
    assert!(bars.starts_with("<svg width=\"12200\""), "{}", &bars[..80]);

    let ids: Vec<String> = (0..16).map(|j| format!("ind.{j}")).collect();
    let stages: Vec<Vec<Option<u8>>> = (0..200)
        .map(|i| {
            (0..16)
                .map(|j| ((i + j) % 6 != 0).then_some(((i + j) % 5) as u8 + 1))
                .collect()
        })
        .collect();
    let heat = heatmap_svg("Everyone", &names, &ids, &stages, &stage_names());
    parses(&heat);
    assert!(heat.contains("Country number 199"));

    let trend = trend_svg("Everyone", &names, &pillar_series);
    parses(&trend);
    let radar = radar_svg("Everyone", &names, &pillar_series);
    parses(&radar);
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
    for svg in [
        radar_fixture(),
        bars_fixture(),
        heatmap_fixture(),
        trend_fixture(),
    ] {
        let png = png_from_svg(&svg, 1600).expect("png");
        let (w, h) = png_size(&png);
        assert_eq!(w, 1600);
        assert!(h > 0);

        let pixmap = pixmap_from_svg(&svg, 1600).expect("pixmap");
        assert_eq!((pixmap.width(), pixmap.height()), (w, h));
        let first = pixmap.pixels()[0];
        let distinct = pixmap.pixels().iter().filter(|p| **p != first).count();
        // Not blank: a chart covers far more than a handful of pixels.
        assert!(distinct > 10_000, "only {distinct} non-background pixels");
    }
}

#[test]
fn png_draws_text_with_the_embedded_font() {
    // A chart whose only dark pixels come from its text: if the font were missing, none would be.
    let svg = bars_svg("Title", &[], &[]);
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
    let countries = s(&[
        "Argentina",
        "Bolivia (Plurinational State of)",
        "Brazil",
        "Chile",
        "Colombia",
        "Costa Rica",
        "Dominican Republic",
        "Ecuador",
        "Estonia",
        "France",
        "Germany",
        "Guatemala",
        "Mexico",
        "Netherlands",
        "Panama",
        "Paraguay",
        "Peru",
        "Portugal",
        "Spain",
        "Uruguay",
    ]);
    let four = s(&[
        "Cyber workforce development",
        "Bi-regional cooperation",
        "Cyber ecosystems",
        "Secure connectivity",
    ]);
    let pillar_series: Vec<Series> = four
        .iter()
        .enumerate()
        .map(|(p, name)| Series {
            label: name.clone(),
            values: (0..countries.len())
                .map(|i| (i != 3 || p != 1).then_some(((i * 37 + p * 23) % 80 + 15) as f64))
                .collect(),
        })
        .collect();
    let ids = s(&[
        "workforce.education",
        "workforce.training",
        "workforce.awareness",
        "workforce.partnerships",
        "cooperation.international",
        "cooperation.regional",
        "cooperation.multistakeholder",
        "cooperation.info_sharing",
        "ecosystem.strategy",
        "ecosystem.legal_framework",
        "ecosystem.incident_response",
        "ecosystem.crisis_management",
        "connectivity.critical_infra",
        "connectivity.resilience",
        "connectivity.expansion",
        "connectivity.standards",
    ]);
    let stages: Vec<Vec<Option<u8>>> = (0..countries.len())
        .map(|i| {
            (0..ids.len())
                .map(|j| ((i * 3 + j) % 11 != 0).then_some(((i * 7 + j * 3) % 5) as u8 + 1))
                .collect()
        })
        .collect();
    let charts = [
        (
            "radar",
            radar_svg(
                "Uruguay compared with its groups",
                &four,
                &[
                    series("Uruguay", &[Some(72.0), Some(55.5), Some(81.0), Some(40.0)]),
                    series(
                        "Latin America and the Caribbean average",
                        &[Some(50.0), Some(48.0), Some(57.0), Some(44.0)],
                    ),
                    series(
                        "European Union average",
                        &[Some(68.0), Some(71.0), None, Some(66.0)],
                    ),
                    series(
                        "Upper-middle income average",
                        &[Some(45.0), Some(62.0), Some(50.0), Some(58.0)],
                    ),
                ],
            ),
        ),
        (
            "bars",
            bars_svg(
                "Pillar scores by country, 2025 round",
                &countries,
                &pillar_series,
            ),
        ),
        (
            "heatmap",
            heatmap_svg(
                "Indicator stages by country",
                &countries,
                &ids,
                &stages,
                &stage_names(),
            ),
        ),
        (
            "trend",
            trend_svg(
                "Overall score over assessment rounds",
                &s(&["2019", "2021", "2023", "2025"]),
                &[
                    series("Chile", &[Some(40.0), Some(52.5), Some(61.0), Some(66.0)]),
                    series("Costa Rica", &[Some(35.0), None, Some(48.0), Some(57.0)]),
                    series("Uruguay", &[None, Some(58.0), Some(63.0), Some(71.0)]),
                    series(
                        "LAC average",
                        &[Some(38.0), Some(44.0), Some(50.0), Some(53.0)],
                    ),
                    series(
                        "EU average",
                        &[Some(61.0), Some(64.0), Some(69.0), Some(72.0)],
                    ),
                ],
            ),
        ),
        (
            "radar-7",
            radar_svg(
                "Seven axes <with> & \"hostile\" labels",
                &s(&[
                    "Policy & strategy",
                    "Culture <and> society",
                    "Education, training and skills",
                    "Legal and regulatory frameworks",
                    "Standards and technologies",
                    "Incident response",
                    "International cooperation",
                ]),
                &[
                    series(
                        "A",
                        &[
                            Some(90.0),
                            Some(20.0),
                            Some(55.0),
                            Some(70.0),
                            Some(35.0),
                            Some(100.0),
                            Some(5.0),
                        ],
                    ),
                    series(
                        "B",
                        &[
                            Some(40.0),
                            Some(60.0),
                            None,
                            Some(50.0),
                            Some(65.0),
                            Some(45.0),
                            Some(80.0),
                        ],
                    ),
                ],
            ),
        ),
        ("small-heatmap", heatmap_fixture()),
        ("small-bars", bars_fixture()),
        ("no-data", bars_svg("Pillar scores by country", &[], &[])),
    ];
    for (name, svg) in charts {
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
    // Layout (legend spacing, truncation, label bands) trusts this width: check it against the
    // ink box resvg gives the same text, which is a little narrower than the advance width.
    let text = "Bolivia (Plurinational State of) — Dominican Republic";
    for (px, bold) in [(12.0, false), (18.0, true)] {
        let planned = super::canvas::text_width(text, px, bold);
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
    let names: Vec<String> = (0..20).map(|i| format!("Country {i}")).collect();
    let pillar_series: Vec<Series> = (0..4)
        .map(|p| Series {
            label: format!("Pillar {p}"),
            values: (0..20)
                .map(|i| Some(((i * 13 + p * 29) % 101) as f64))
                .collect(),
        })
        .collect();
    let ids: Vec<String> = (0..16).map(|j| format!("pillar.indicator_{j}")).collect();
    let stages: Vec<Vec<Option<u8>>> = (0..20)
        .map(|i| {
            (0..16)
                .map(|j| ((i + j) % 6 != 0).then_some(((i + j) % 5) as u8 + 1))
                .collect()
        })
        .collect();
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
    time("bars 20x4 svg", &|| {
        bars_svg("t", &names, &pillar_series).len()
    });
    time("heatmap 20x16 svg", &|| {
        heatmap_svg("t", &names, &ids, &stages, &stage_names()).len()
    });
    time("radar svg", &|| radar_fixture().len());
    time("trend svg", &|| trend_fixture().len());
    let bars = bars_svg("t", &names, &pillar_series);
    let heat = heatmap_svg("t", &names, &ids, &stages, &stage_names());
    let radar = radar_fixture();
    time("bars png 1600", &|| {
        png_from_svg(&bars, 1600).unwrap().len()
    });
    time("heatmap png 1600", &|| {
        png_from_svg(&heat, 1600).unwrap().len()
    });
    time("radar png 1600", &|| {
        png_from_svg(&radar, 1600).unwrap().len()
    });
    time("radar pixmap only 1600", &|| {
        pixmap_from_svg(&radar, 1600).unwrap().width() as usize
    });
    time("heatmap pixmap only 1600", &|| {
        pixmap_from_svg(&heat, 1600).unwrap().width() as usize
    });
    time("bars pixmap only 1600", &|| {
        pixmap_from_svg(&bars, 1600).unwrap().width() as usize
    });
    let full: Vec<Vec<Option<u8>>> = (0..20)
        .map(|i| (0..16).map(|j| Some(((i + j) % 5) as u8 + 1)).collect())
        .collect();
    let heat_full = heatmap_svg("t", &names, &ids, &full, &stage_names());
    time("heatmap without gaps pixmap only 1600", &|| {
        pixmap_from_svg(&heat_full, 1600).unwrap().width() as usize
    });
    time("heatmap parse only", &|| {
        let o = resvg::usvg::Options {
            fontdb: super::png::fonts(),
            ..Default::default()
        };
        resvg::usvg::Tree::from_str(&heat, &o)
            .unwrap()
            .size()
            .width() as usize
    });
}
