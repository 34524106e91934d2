//! The HTML report in a real browser: headless Chromium loads it without a single network
//! request, paints it, and prints it to PDF with the TLP marking on every page.
//!
//! Without Chromium these tests say so and pass; `.ci/run` installs it and sets
//! `CYBERCAP_REQUIRE_BROWSER=1`, which makes them mandatory.

mod common;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use common::cybercap;

fn find(candidates: &[&str]) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    candidates.iter().find_map(|name| {
        std::env::split_paths(&path)
            .map(|dir| dir.join(name))
            .find(|p| p.is_file())
    })
}

/// Chromium and pdftotext, or `None` after saying why the test is skipped.
fn tools() -> Option<(PathBuf, PathBuf)> {
    let chromium = find(&["chromium", "chromium-browser", "google-chrome"]);
    let pdftotext = find(&["pdftotext"]);
    match (chromium, pdftotext) {
        (Some(c), Some(p)) => Some((c, p)),
        _ if std::env::var("CYBERCAP_REQUIRE_BROWSER").as_deref() == Ok("1") => {
            panic!("Chromium and pdftotext are required (CYBERCAP_REQUIRE_BROWSER=1) but not found")
        }
        _ => {
            // Through the handle, not `eprintln!`: the test harness hides what the macro prints.
            let _ = writeln!(
                std::io::stderr(),
                "SKIPPED: the browser test needs `chromium` and `pdftotext` (Debian packages chromium, poppler-utils)"
            );
            None
        }
    }
}

/// Runs headless Chromium on a local file with the flags that keep it from calling home.
fn chromium(browser: &Path, profile: &Path, page: &Path, action: &[String]) {
    let status = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(action)
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("chromium runs");
    assert!(
        status.status.success(),
        "chromium failed: {}",
        String::from_utf8_lossy(&status.stderr)
    );
}

/// URLs the page itself asked for (the browser's own background traffic is not the page's).
fn page_requests(netlog: &Path) -> Vec<String> {
    let log: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(netlog).unwrap()).unwrap();
    let start_job = log["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"]
        .as_u64()
        .unwrap();
    log["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["type"].as_u64() == Some(start_job))
        .filter(|e| {
            e["params"]["network_isolation_key"]
                .as_str()
                .is_some_and(|k| k.starts_with("file://"))
        })
        .filter_map(|e| e["params"]["url"].as_str())
        .filter(|url| !url.starts_with("file:") && !url.starts_with("data:"))
        .map(str::to_owned)
        .collect()
}

fn distinct_colours(png: &Path) -> usize {
    let pixmap = resvg::tiny_skia::Pixmap::load_png(png).unwrap();
    let mut colours: Vec<u32> = pixmap
        .pixels()
        .iter()
        .map(|p| u32::from_le_bytes([p.red(), p.green(), p.blue(), p.alpha()]))
        .collect();
    colours.sort_unstable();
    colours.dedup();
    colours.len()
}

#[test]
fn the_report_loads_offline_paints_and_prints_with_its_tlp_marking() {
    let Some((browser, pdftotext)) = tools() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let out = cybercap()
        .current_dir(dir.path())
        .args(["demo", "--out", "d"])
        .output()
        .unwrap();
    assert!(out.status.success());
    // Alone in a folder: anything it needed beside itself would be missing.
    let alone = dir.path().join("alone");
    std::fs::create_dir(&alone).unwrap();
    let page = alone.join("index.html");
    std::fs::copy(dir.path().join("d/index.html"), &page).unwrap();

    let netlog = dir.path().join("netlog.json");
    let screenshot = dir.path().join("shot.png");
    chromium(
        &browser,
        &dir.path().join("p1"),
        &page,
        &[
            format!("--log-net-log={}", netlog.display()),
            format!("--screenshot={}", screenshot.display()),
            "--window-size=1280,2000".to_owned(),
        ],
    );
    assert_eq!(
        page_requests(&netlog),
        Vec::<String>::new(),
        "the report made network requests"
    );
    assert!(
        distinct_colours(&screenshot) > 50,
        "the screenshot is blank"
    );

    // The detector itself works: a page that loads remote resources is caught.
    let bad = alone.join("remote.html");
    std::fs::write(&bad, r#"<img src="http://example.invalid/x.png"><link rel="stylesheet" href="https://cdn.example.invalid/a.css">"#).unwrap();
    let bad_log = dir.path().join("bad.json");
    chromium(
        &browser,
        &dir.path().join("p2"),
        &bad,
        &[
            format!("--log-net-log={}", bad_log.display()),
            "--dump-dom".to_owned(),
        ],
    );
    assert_eq!(page_requests(&bad_log).len(), 2);

    let pdf = dir.path().join("report.pdf");
    chromium(
        &browser,
        &dir.path().join("p3"),
        &page,
        &[
            format!("--print-to-pdf={}", pdf.display()),
            "--no-pdf-header-footer".to_owned(),
        ],
    );
    let text = Command::new(&pdftotext)
        .arg(&pdf)
        .arg("-")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&text.stdout);
    let pages: Vec<&str> = text
        .split('\u{c}')
        .filter(|p| !p.trim().is_empty())
        .collect();
    assert!(
        pages.len() > 16,
        "one page per country at least, got {}",
        pages.len()
    );
    for (n, page) in pages.iter().enumerate() {
        assert!(
            page.contains("TLP:AMBER"),
            "page {} has no TLP marking",
            n + 1
        );
    }
    assert!(text.contains("eu-lac-cyber-capacity@1.0.0"));
}
