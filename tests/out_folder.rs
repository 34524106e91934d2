//! Nothing is written outside the output folder, and nothing inside it is followed elsewhere: a
//! symbolic link where the tool keeps its files is refused, an output folder that is a file is
//! named as such.
#![cfg(unix)]

mod common;

use std::os::unix::fs::symlink;
use std::path::Path;

use common::{fixture, hygiene, import, run, write_samples};

fn is_empty(dir: &Path) -> bool {
    std::fs::read_dir(dir).unwrap().next().is_none()
}

#[test]
fn a_charts_folder_that_links_elsewhere_is_refused_and_nothing_lands_there() {
    let dir = tempfile::tempdir().unwrap();
    let elsewhere = dir.path().join("elsewhere");
    std::fs::create_dir(&elsewhere).unwrap();
    std::fs::create_dir(dir.path().join("r")).unwrap();
    symlink(&elsewhere, dir.path().join("r/charts")).unwrap();
    let responses = fixture("hygiene").display().to_string();
    let out = dir.path().join("r").display().to_string();
    let (code, _, stderr) = run(&[
        "report",
        &responses,
        "--questionnaire",
        &hygiene(),
        "--out",
        &out,
    ]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains(
            "r/charts: cannot write: it is a symbolic link; expected a folder of its own"
        ),
        "{stderr}"
    );
    assert!(is_empty(&elsewhere));
}

#[test]
fn a_demo_responses_folder_that_links_elsewhere_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let elsewhere = dir.path().join("elsewhere");
    std::fs::create_dir(&elsewhere).unwrap();
    std::fs::create_dir(dir.path().join("d")).unwrap();
    symlink(&elsewhere, dir.path().join("d/responses")).unwrap();
    let out = dir.path().join("d").display().to_string();
    let (code, _, stderr) = run(&["demo", "--out", &out]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("d/responses: cannot write: it is a symbolic link"),
        "{stderr}"
    );
    assert!(is_empty(&elsewhere));
}

#[test]
fn a_response_file_that_links_to_a_device_is_not_read_and_its_row_is_rejected() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("responses");
    std::fs::create_dir(&out).unwrap();
    symlink("/dev/zero", out.join("XA-2025-CERT.yaml")).unwrap();
    let csv = dir.path().join("rows.csv");
    std::fs::write(
        &csv,
        "country,round,respondent_organization,p_train\nXA,2025,CERT,yes\nXB,2025,CERT,no\n",
    )
    .unwrap();
    let started = std::time::Instant::now();
    let (code, stderr) = import(&[csv.to_str().unwrap()], &out, &["--force"]);
    assert_eq!(code, 1, "{stderr}");
    assert!(started.elapsed() < std::time::Duration::from_secs(30));
    assert!(
        stderr.contains("2 rows: 1 response files written, 0 unchanged, 1 rejected"),
        "{stderr}"
    );
    let rejects = std::fs::read_to_string(out.join("rejects.csv")).unwrap();
    assert!(
        rejects.contains("it is a symbolic link or not a regular file"),
        "{rejects}"
    );
    // The link is still a link: nothing was written through it.
    assert!(
        std::fs::symlink_metadata(out.join("XA-2025-CERT.yaml"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
}

#[test]
fn an_output_folder_that_is_a_file_is_named_as_such() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("taken");
    std::fs::write(&file, "mine").unwrap();
    let out = file.display().to_string();
    let samples = dir.path().join("s");
    let (responses, _) = write_samples(&samples);
    let responses = responses.display().to_string();
    let csv = fixture("import/submissions.csv").display().to_string();
    for args in [
        vec![
            "report",
            responses.as_str(),
            "--out",
            &out,
            "--on-conflict",
            "latest",
        ],
        vec!["demo", "--out", &out],
        vec!["import", &csv, "--questionnaire", &hygiene(), "--out", &out],
    ] {
        let (code, _, stderr) = run(&args);
        assert_eq!(code, 2, "{args:?}: {stderr}");
        assert!(
            stderr.contains(&format!("{out} is a file; expected a folder to write into")),
            "{args:?}: {stderr}"
        );
        assert_eq!(std::fs::read_to_string(&file).unwrap(), "mine");
    }
}
