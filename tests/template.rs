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
            77,
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

/// Responses of CO in 2024 and, by two respondents, in 2025, and of PE in 2025, in a folder.
fn earlier_rounds(dir: &std::path::Path) -> std::path::PathBuf {
    let folder = dir.join("earlier");
    std::fs::create_dir_all(&folder).unwrap();
    let files = [
        (
            "CO-2024.yaml",
            "questionnaire: sme-hygiene@2.1\ncountry: CO\nround: 2024\nanswers:\n  p_train: no\n  t_backup: none\n",
        ),
        (
            "CO-2025-CSIRT.yaml",
            "questionnaire: sme-hygiene@2.1\ncountry: CO\nround: 2025\nrespondent: {organization: CSIRT}\nsubmitted: 2025-03-01T10:00:00Z\nanswers:\n  p_train: yes\n  p_train_freq:\n    value: quarterly\n    note: \"Cada trimestre\"\n    evidence: [\"https://a.example/plan\"]\n  p_channels: [email, drills]\n  p_comment: \"N/A\"\n  t_patch_days: 12\n  t_inventory: unknown\n  t_backup: offsite\n",
        ),
        (
            "CO-2025-MinTIC.yaml",
            "questionnaire: sme-hygiene@2.1\ncountry: CO\nround: 2025\nrespondent: {organization: MinTIC}\nanswers:\n  p_train: yes\n  p_train_freq:\n    value: quarterly\n    note: \"Con simulacros\"\n    evidence: [\"https://a.example/plan\", \"https://b.example/acta\"]\n  t_inventory: yes\n  t_backup: offsite\n",
        ),
        (
            "PE-2025.yaml",
            "questionnaire: sme-hygiene@2.1\ncountry: PE\nround: 2025\nanswers:\n  p_train: no\n",
        ),
    ];
    for (name, text) in files {
        std::fs::write(folder.join(name), text).unwrap();
    }
    folder
}

/// `score INPUT --questionnaire <hygiene> --format csv`: the lines of `country`, with `round`
/// written as `as_round`.
fn score_lines(input: &std::path::Path, country: &str, round: &str, as_round: &str) -> Vec<String> {
    let (code, stdout, stderr) = run(&[
        "score",
        input.to_str().unwrap(),
        "--questionnaire",
        &hygiene(),
        "--format",
        "csv",
    ]);
    assert_eq!(code, 0, "{stderr}");
    let prefix = format!("{country},{round},");
    let lines: Vec<String> = stdout
        .lines()
        .filter(|l| l.starts_with(&prefix))
        .map(|l| l.replacen(&prefix, &format!("{country},{as_round},"), 1))
        .collect();
    assert!(!lines.is_empty(), "{stdout}");
    lines
}

/// `template <hygiene> --from EARLIER --country CO --round 2026 [EXTRA...] --out OUT`.
fn prefilled(earlier: &std::path::Path, out: &std::path::Path, extra: &[&str]) -> (i32, String) {
    let mut args = vec![
        "template".to_owned(),
        hygiene(),
        "--from".to_owned(),
        earlier.display().to_string(),
        "--country".to_owned(),
        "CO".to_owned(),
        "--round".to_owned(),
        "2026".to_owned(),
        "--out".to_owned(),
        out.display().to_string(),
    ];
    args.extend(extra.iter().map(|a| (*a).to_owned()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let (code, _, stderr) = run(&args);
    (code, stderr)
}

#[test]
fn a_prefilled_yaml_sheet_holds_the_latest_round_marked_to_review_and_scores_like_it() {
    let dir = tempfile::tempdir().unwrap();
    let earlier = earlier_rounds(dir.path());
    let sheet = dir.path().join("CO-2026.yaml");
    let (code, stderr) = prefilled(&earlier, &sheet, &[]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains("7 answers of CO in round 2025 to review, for round 2026"),
        "{stderr}"
    );
    let text = std::fs::read_to_string(&sheet).unwrap();
    assert!(
        text.contains("# Prefilled with the answers of CO in round 2025, each marked to review"),
        "{text}"
    );
    assert!(text.contains("\ncountry: CO\nround: \"2026\"\n"), "{text}");
    assert!(!text.contains("\nsubmitted:"), "{text}");
    // Merged as score merges them: don't know yields to an answer, notes and evidence of both
    // respondents are kept.
    for answer in [
        "  t_backup: offsite  # answer of round 2025: review it\n",
        "  t_inventory: yes  # answer of round 2025: review it\n",
        "  p_train_freq:  # answer of round 2025: review it\n    value: quarterly\n    note: \"Cada trimestre\\nCon simulacros\"\n    evidence: [\"https://a.example/plan\", \"https://b.example/acta\"]\n",
        "  p_comment: \"N/A\"  # answer of round 2025: review it\n",
    ] {
        assert!(text.contains(answer), "{answer}\n{text}");
    }
    assert_eq!(text.matches("# answer of round 2025: review it").count(), 7);
    let (code, _, stderr) = run(&[
        "validate",
        sheet.to_str().unwrap(),
        "--questionnaire",
        &hygiene(),
    ]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains("ok: response for CO 2026 (7 answers)"),
        "{stderr}"
    );
    assert_eq!(
        score_lines(&sheet, "CO", "2026", "2025"),
        score_lines(&earlier, "CO", "2025", "2025")
    );
}

#[test]
fn a_prefilled_csv_sheet_is_one_row_that_imports() {
    let dir = tempfile::tempdir().unwrap();
    let earlier = earlier_rounds(dir.path());
    let sheet = dir.path().join("CO-2026.csv");
    let (code, stderr) = prefilled(&earlier, &sheet, &["--format", "csv"]);
    assert_eq!(code, 0, "{stderr}");
    let text = std::fs::read_to_string(&sheet).unwrap();
    assert!(
        text.starts_with(
            "country,round,respondent_name,respondent_organization,submitted,p_train,"
        ),
        "{text}"
    );
    // One row, whose note holds a line break (quoted).
    let rows: Vec<csv::StringRecord> = csv::Reader::from_reader(text.as_bytes())
        .records()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(rows.len(), 1, "{text}");
    let row: Vec<&str> = rows[0].iter().collect();
    assert_eq!(
        row[..11],
        [
            "CO",
            "2026",
            "",
            "",
            "",
            "yes",
            "quarterly",
            "email; drills",
            "12",
            "yes",
            "offsite"
        ]
    );
    assert!(row.contains(&"Cada trimestre\nCon simulacros"), "{text}");
    let out = dir.path().join("responses");
    let (code, _, stderr) = run(&[
        "import",
        sheet.to_str().unwrap(),
        "--questionnaire",
        &hygiene(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{stderr}");
    let imported = std::fs::read_to_string(out.join("CO-2026-respondent.yaml")).unwrap();
    assert!(
        imported
            .contains("    evidence: [\"https://a.example/plan\", \"https://b.example/acta\"]\n"),
        "{imported}"
    );
    assert_eq!(
        score_lines(&out, "CO", "2026", "2025"),
        score_lines(&earlier, "CO", "2025", "2025")
    );
}

#[test]
fn a_prefilled_xlsx_form_shows_where_its_answers_come_from_and_imports() {
    use std::io::Read;
    let dir = tempfile::tempdir().unwrap();
    let earlier = earlier_rounds(dir.path());
    let sheet = dir.path().join("CO-2026.xlsx");
    let (code, stderr) = prefilled(&earlier, &sheet, &["--format", "xlsx", "--lang", "es"]);
    assert_eq!(code, 0, "{stderr}");
    let mut archive = zip::ZipArchive::new(std::fs::File::open(&sheet).unwrap()).unwrap();
    let mut part = |name: &str| {
        let mut text = String::new();
        archive
            .by_name(name)
            .unwrap()
            .read_to_string(&mut text)
            .unwrap();
        text
    };
    let strings = part("xl/sharedStrings.xml");
    assert!(
        strings.contains("Respuestas de CO en la ronda 2025, para revisar"),
        "{strings}"
    );
    // The workbook names the tool and its version, as every output does.
    let properties = part("docProps/core.xml");
    let generator = format!("cybercap {}", env!("CARGO_PKG_VERSION"));
    assert!(properties.contains(&generator), "{properties}");
    // Answers as the drop-downs offer them, in Spanish.
    for text in [
        "Trimestral",
        "Externas y probadas",
        "Cada trimestre\nCon simulacros",
    ] {
        assert!(strings.contains(text), "{text}: {strings}");
    }
    // The filled cells are blue, the others cream.
    let styles = part("xl/styles.xml");
    assert!(
        styles.contains("FFDDEBF7") && styles.contains("FFFFF8DC"),
        "{styles}"
    );
    let out = dir.path().join("responses");
    let (code, _, stderr) = run(&[
        "import",
        sheet.to_str().unwrap(),
        "--questionnaire",
        &hygiene(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{stderr}");
    let imported = std::fs::read_to_string(out.join("CO-2026-respondent.yaml")).unwrap();
    assert!(
        imported.contains("  p_channels: [email, drills]\n"),
        "{imported}"
    );
    assert!(!imported.contains("submitted"), "{imported}");
    assert_eq!(
        score_lines(&out, "CO", "2026", "2025"),
        score_lines(&earlier, "CO", "2025", "2025")
    );
}

#[test]
fn a_prefilled_sheet_needs_an_earlier_round_of_the_country() {
    let dir = tempfile::tempdir().unwrap();
    let earlier = earlier_rounds(dir.path());
    let sheet = dir.path().join("sheet.yaml");
    let attempt = |country: &str, round: &str, extra: &[&str]| {
        let mut args = vec![
            "template",
            "--from",
            earlier.to_str().unwrap(),
            "--country",
            country,
            "--round",
            round,
            "--out",
            sheet.to_str().unwrap(),
        ];
        args.extend_from_slice(extra);
        let questionnaire = hygiene();
        args.insert(1, &questionnaire);
        let (code, _, stderr) = run(&args);
        (code, stderr)
    };
    let (code, stderr) = attempt("CO", "2024", &[]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains(
            "error: no round of CO before round 2024 to start from; its rounds are 2024, 2025"
        ),
        "{stderr}"
    );
    let (code, stderr) = attempt("CO", "2025", &[]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains(
            "error: round 2025 is not after CO's latest round 2025; expected a round after it"
        ),
        "{stderr}"
    );
    let (code, stderr) = attempt("MX", "2026", &[]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("error: no response for MX; the responses cover CO, PE"),
        "{stderr}"
    );
    let (code, _, stderr) = run(&["template", &hygiene(), "--from", earlier.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(stderr.contains("--country <COUNTRY>"), "{stderr}");
    assert!(!sheet.exists());
    // Respondents who disagree leave the round open, unless the latest answer is to be kept.
    let conflict = common::fixture("hygiene-conflict").display().to_string();
    let args = |extra: &'static [&'static str]| {
        let mut args = vec![
            "template".to_owned(),
            hygiene(),
            "--from".to_owned(),
            conflict.clone(),
            "--country".to_owned(),
            "XD".to_owned(),
            "--round".to_owned(),
            "2026".to_owned(),
        ];
        args.extend(extra.iter().map(|a| (*a).to_owned()));
        args
    };
    let run_with = |args: Vec<String>| {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        run(&args)
    };
    let (code, _, stderr) = run_with(args(&[]));
    assert_eq!(code, 1);
    assert!(
        stderr.contains("conflicting answers to `t_backup` for XD 2025"),
        "{stderr}"
    );
    let (code, stdout, stderr) = run_with(args(&["--on-conflict", "latest"]));
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains("  t_backup: offsite  # answer of round 2025"),
        "{stdout}"
    );
}

#[test]
fn a_prefilled_sheet_of_a_later_version_carries_the_answers_it_still_asks() {
    let dir = tempfile::tempdir().unwrap();
    let first = &cybercap::builtin::questionnaires()[0];
    let (responses, _) = common::write_samples_on(dir.path(), first, first);
    let version_1_1 = common::fixture("versions/eu-lac-cyber-capacity-1.0.1.yaml");
    let sheet = dir.path().join("XA-2026.yaml");
    let (code, _, stderr) = run(&[
        "template",
        version_1_1.to_str().unwrap(),
        "--from",
        responses.to_str().unwrap(),
        "--country",
        "XA",
        "--round",
        "2026",
        "--out",
        sheet.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{stderr}");
    let text = std::fs::read_to_string(&sheet).unwrap();
    let source = std::fs::read_to_string(responses.join("XA-2025-1.yaml")).unwrap();
    // The renamed question takes the answer under its new id; the removed one is gone; the new
    // one is left to answer.
    let answer_of = |text: &str, id: &str| {
        text.lines()
            .find(|l| l.starts_with(&format!("  {id}:")))
            .map(|l| {
                l.split_once(':')
                    .unwrap()
                    .1
                    .split("  #")
                    .next()
                    .unwrap()
                    .trim()
                    .to_owned()
            })
    };
    assert_eq!(
        answer_of(&text, "wf_edu_teachers"),
        answer_of(&source, "wf_edu_educators")
    );
    assert!(answer_of(&text, "wf_edu_teachers").is_some(), "{source}");
    assert_eq!(answer_of(&text, "wf_pa_competitions"), None);
    assert_eq!(answer_of(&text, "wf_edu_inclusion").as_deref(), Some(""));
    assert!(
        text.contains("questionnaire: \"eu-lac-cyber-capacity@1.0.1\""),
        "{text}"
    );
    let (code, _, stderr) = run(&[
        "validate",
        sheet.to_str().unwrap(),
        "--questionnaire",
        version_1_1.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{stderr}");
}
