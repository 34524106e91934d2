//! `template`: blank answer sheets that validate as they are, in every language.

mod common;

use common::{hygiene, run};

#[test]
fn the_yaml_sheet_validates_as_it_is_in_every_language() {
    let dir = tempfile::tempdir().unwrap();
    for lang in ["en", "es", "pt", "fr"] {
        let path = dir.path().join(format!("sheet-{lang}.yaml"));
        let out = path.to_str().unwrap();
        let (code, _, stderr) = run(&[
            "template",
            "eu-lac-cyber-capacity",
            "--lang",
            lang,
            "--round",
            "2026",
            "--out",
            out,
        ]);
        assert_eq!(code, 0, "{stderr}");
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(
            text.matches("\n  # [").count(),
            68,
            "every question is described"
        );
        let (code, _, stderr) = run(&["validate", out]);
        assert_eq!(code, 0, "{lang}: {stderr}");
        assert!(
            stderr.contains("ok: response for ZZ 2026 (0 answers)"),
            "{stderr}"
        );
    }
    let spanish = std::fs::read_to_string(dir.path().join("sheet-es.yaml")).unwrap();
    assert!(spanish.contains("# Ayuda: "));
    assert!(
        spanish.contains("Solo si ec_ir_national_csirt es"),
        "conditions are explained"
    );
}

#[test]
fn a_filled_sheet_scores() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sheet.yaml");
    let (code, _, _) = run(&[
        "template",
        &hygiene(),
        "--round",
        "2025",
        "--out",
        path.to_str().unwrap(),
    ]);
    assert_eq!(code, 0);
    let filled = std::fs::read_to_string(&path)
        .unwrap()
        .replace("country: ZZ", "country: CO")
        .replace("  t_backup:\n", "  t_backup: offsite\n");
    std::fs::write(&path, filled).unwrap();
    let (code, stdout, stderr) = run(&[
        "score",
        path.to_str().unwrap(),
        "--questionnaire",
        &hygiene(),
        "--format",
        "csv",
    ]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains("CO,2025,indicator,tech.backup,100,5,1"),
        "{stdout}"
    );
}

#[test]
fn the_csv_sheet_is_the_import_header() {
    let (code, stdout, _) = run(&["template", &hygiene(), "--format", "csv"]);
    assert_eq!(code, 0);
    assert_eq!(
        stdout.trim_end(),
        "country,round,respondent_name,respondent_organization,submitted,p_train,p_train_freq,p_channels,p_comment,t_patch_days,t_inventory,t_backup"
    );
}

#[test]
fn a_sheet_never_replaces_an_existing_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("answers.yaml");
    std::fs::write(&path, "precious").unwrap();
    let (code, _, stderr) = run(&["template", &hygiene(), "--out", path.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(stderr.contains("never replaces"), "{stderr}");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "precious");
}
