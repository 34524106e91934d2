//! `import`: CSV submissions become response files; bad rows land in the rejects file.

mod common;

use common::{fixture, hygiene, import, run};

/// `score INPUT --questionnaire Q [EXTRA...] --format FORMAT`.
fn score(input: &str, questionnaire: &str, extra: &[&str], format: &str) -> (i32, String, String) {
    let mut args = vec!["score", input, "--questionnaire", questionnaire];
    args.extend_from_slice(extra);
    args.extend_from_slice(&["--format", format]);
    run(&args)
}

#[test]
fn good_rows_are_imported_and_bad_rows_rejected_with_their_reason() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("responses");
    let csv = fixture("import/submissions.csv").display().to_string();
    let (code, stderr) = import(&[&csv], &out, &[]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("7 rows: 2 response files written, 0 unchanged, 5 rejected"),
        "{stderr}"
    );
    // Ids in one row, Spanish labels (any case and accents) in another.
    let peru = std::fs::read_to_string(out.join("PE-2025-CERT_PE.yaml")).unwrap();
    assert!(
        peru.contains("p_train_freq: quarterly") && peru.contains("p_channels: [email, drills]"),
        "{peru}"
    );
    assert!(
        peru.contains("t_backup: offsite") && peru.contains("note: \"a note\""),
        "{peru}"
    );
    // A formula is imported as text.
    assert!(peru.contains("value: \"=HYPERLINK(\\\"x\\\")\""), "{peru}");
    let rejects =
        String::from_utf8_lossy(&std::fs::read(out.join("rejects.csv")).unwrap()).into_owned();
    let lines: Vec<&str> = rejects.lines().collect();
    assert!(lines[0].starts_with("row,column,reason,country,round"));
    assert!(
        lines[1].starts_with("4,country,\"country `UK` is not assigned"),
        "{}",
        lines[1]
    );
    assert!(
        lines[2].starts_with("5,p_train_freq,\"unknown option `weekly`"),
        "{}",
        lines[2]
    );
    assert!(
        lines[3].starts_with("6,t_patch_days,999 is out of range"),
        "{}",
        lines[3]
    );
    assert!(
        lines[4].starts_with("7,,\"the row has 14 fields; expected 13"),
        "{}",
        lines[4]
    );
    assert!(
        lines[5].starts_with("8,p_comment,invalid UTF-8"),
        "{}",
        lines[5]
    );
    // The rows are copied as they came.
    assert!(
        lines[2].ends_with("MX,2025,Bad,Org,,yes,weekly,,,,,,"),
        "{}",
        lines[2]
    );
    // The imported files score.
    let (code, stdout, _) = score(out.to_str().unwrap(), &hygiene(), &[], "csv");
    assert_eq!(code, 0);
    assert!(stdout.contains("\nPE,2025,overall,"), "{stdout}");
}

#[test]
fn importing_twice_gives_the_same_files_and_a_changed_row_needs_force() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("responses");
    let csv = fixture("import/submissions.csv").display().to_string();
    import(&[&csv], &out, &[]);
    let first = std::fs::read(out.join("CO-2025-CSIRT_CO.yaml")).unwrap();
    let (_, stderr) = import(&[&csv], &out, &[]);
    assert!(
        stderr.contains("0 response files written, 2 unchanged"),
        "{stderr}"
    );
    assert_eq!(
        std::fs::read(out.join("CO-2025-CSIRT_CO.yaml")).unwrap(),
        first
    );

    let changed = dir.path().join("changed.csv");
    let text = String::from_utf8_lossy(&std::fs::read(&csv).unwrap()).replace(
        "CO,2025,Ana,CSIRT CO,2025-03-01T10:00:00Z,yes,yearly",
        "CO,2025,Ana,CSIRT CO,2025-03-01T10:00:00Z,yes,once",
    );
    std::fs::write(&changed, text).unwrap();
    let (code, stderr) = import(&[changed.to_str().unwrap()], &out, &[]);
    assert_eq!(code, 1);
    let rejects =
        String::from_utf8_lossy(&std::fs::read(out.join("rejects.csv")).unwrap()).into_owned();
    assert!(
        rejects
            .contains("CO-2025-CSIRT_CO.yaml exists and differs from this row; expected --force"),
        "{rejects}\n{stderr}"
    );
    assert_eq!(
        std::fs::read(out.join("CO-2025-CSIRT_CO.yaml")).unwrap(),
        first
    );
    import(&[changed.to_str().unwrap()], &out, &["--force"]);
    assert!(
        std::fs::read_to_string(out.join("CO-2025-CSIRT_CO.yaml"))
            .unwrap()
            .contains("p_train_freq: once")
    );
}

#[test]
fn semicolons_a_bom_and_french_yes_are_read() {
    let dir = tempfile::tempdir().unwrap();
    let csv = fixture("import/semicolon-bom.csv").display().to_string();
    let (code, stderr) = import(&[&csv], &dir.path().join("r"), &[]);
    assert_eq!(code, 0, "{stderr}");
    let text = std::fs::read_to_string(dir.path().join("r/CO-2025-CSIRT.yaml")).unwrap();
    assert!(
        text.contains("p_train: yes")
            && text.contains("p_channels: [posters]")
            && text.contains("t_backup: local"),
        "{text}"
    );
}

#[test]
fn a_missing_required_column_fails_the_whole_file_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let csv = fixture("import/no-country.csv").display().to_string();
    let (code, stderr) = import(&[&csv], &dir.path().join("r"), &[]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains(&format!(
            "{csv}:1:1: error: missing required column `country`"
        )),
        "{stderr}"
    );
}

#[test]
fn a_bad_option_in_a_multi_column_is_named_at_that_column() {
    let csv = fixture("import/bad-multi.csv").display().to_string();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("r");
    let (code, stderr) = import(&[&csv], &out, &[]);
    assert_eq!(code, 1, "{stderr}");
    let rejects = std::fs::read_to_string(out.join("rejects.csv")).unwrap();
    let lines: Vec<&str> = rejects.lines().collect();
    assert_eq!(lines.len(), 2, "{rejects}");
    assert!(
        lines[1].starts_with("2,p_channels,\"unknown option `bogus` for `p_channels`"),
        "{rejects}"
    );

    let (code, stdout, stderr) = score(&csv, &hygiene(), &[], "csv");
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains(&format!("{csv}:2:5: error: unknown option `bogus`")),
        "{stderr}"
    );
    assert!(stdout.contains("\nPE,2025,overall,"), "{stdout}");
}

#[test]
fn score_and_report_read_csv_directly_and_name_bad_rows_by_row_and_column() {
    let csv = fixture("import/submissions.csv").display().to_string();
    let (code, stdout, stderr) = score(&csv, &hygiene(), &[], "json");
    assert_eq!(code, 1, "{stderr}");
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let results = json["results"].as_array().unwrap();
    assert_eq!(results.len(), 2);
    assert_eq!(results[1]["country"], "PE");
    assert_eq!(results[1]["files"][0], format!("{csv}:3"));
    assert!(
        stderr.contains(&format!("{csv}:5:7: error: unknown option `weekly`")),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!("{csv}:6:10: error: 999 is out of range")),
        "{stderr}"
    );
    // The same scores as the imported files give.
    let dir = tempfile::tempdir().unwrap();
    import(&[&csv], &dir.path().join("r"), &[]);
    let (_, from_files, _) = score(
        dir.path().join("r").to_str().unwrap(),
        &hygiene(),
        &[],
        "csv",
    );
    let (_, from_csv, _) = score(&csv, &hygiene(), &[], "csv");
    assert_eq!(from_files, from_csv);

    let out = dir.path().join("report");
    let (code, _, stderr) = run(&[
        "report",
        &csv,
        "--questionnaire",
        &hygiene(),
        "--out",
        out.to_str().unwrap(),
        "--format",
        "html",
    ]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        std::fs::read_to_string(out.join("index.html"))
            .unwrap()
            .contains("submissions.csv:3")
    );

    let (code, _, stderr) = run(&["score", &csv]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("CSV and XLSX input needs --questionnaire"),
        "{stderr}"
    );
}

#[test]
fn a_bad_row_is_named_at_its_own_line_past_blank_lines_and_quoted_line_breaks() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("crlf.csv");
    let header = "country,round,respondent_name,respondent_organization,submitted,p_train,p_train_freq,p_channels,p_comment,t_patch_days,t_inventory,t_backup,p_comment.note";
    let text = format!(
        "{header}\r\n\r\nCO,2025,Ana,CSIRT CO,,yes,yearly,email,\"two\r\nlines\",10,,,\r\n\r\n\r\nMX,2025,Bad,Org,,yes,weekly,,,,,,\r\n"
    );
    std::fs::write(&csv, text).unwrap();
    let csv = csv.display().to_string();
    // Line 1 the header, 2 blank, 3-4 Colombia, 5-6 blank, 7 Mexico.
    let (code, stdout, stderr) = score(&csv, &hygiene(), &[], "json");
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains(&format!("{csv}:7:7: error: unknown option `weekly`")),
        "{stderr}"
    );
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(json["results"][0]["files"][0], format!("{csv}:3"));

    let out = dir.path().join("responses");
    let (code, stderr) = import(&[&csv], &out, &[]);
    assert_eq!(code, 1, "{stderr}");
    let rejects = std::fs::read_to_string(out.join("rejects.csv")).unwrap();
    assert!(
        rejects
            .lines()
            .nth(1)
            .unwrap()
            .starts_with("7,p_train_freq,"),
        "{rejects}"
    );
    let colombia = std::fs::read_to_string(out.join("CO-2025-CSIRT_CO.yaml")).unwrap();
    assert!(colombia.contains("two\\r\\nlines"), "{colombia}");
}

/// Every cell of the first sheet of an XLSX file: (row, column, text).
fn sheet_cells(path: &std::path::Path) -> Vec<(u32, u16, String)> {
    use calamine::Reader;
    let mut workbook: calamine::Xlsx<_> = calamine::open_workbook(path).unwrap();
    let range = workbook.worksheet_range_at(0).unwrap().unwrap();
    let (top, left) = range.start().unwrap();
    range
        .cells()
        .filter_map(|(r, c, data)| {
            let text = match data {
                calamine::Data::String(s) => s.clone(),
                calamine::Data::Float(f) => f.to_string(),
                _ => return None,
            };
            Some((top + r as u32, (left + c as u32) as u16, text))
        })
        .collect()
}

#[test]
fn the_xlsx_form_filled_in_imports_and_scores() {
    let dir = tempfile::tempdir().unwrap();
    let form = dir.path().join("form.xlsx");
    let (code, _, stderr) = run(&[
        "template",
        &hygiene(),
        "--format",
        "xlsx",
        "--lang",
        "es",
        "--round",
        "2025",
        "--out",
        form.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{stderr}");
    let cells = sheet_cells(&form);
    let row_of = |key: &str| {
        cells
            .iter()
            .find(|(_, c, t)| *c == 0 && t == key)
            .map(|(r, _, _)| *r)
            .unwrap_or_else(|| panic!("no row {key}"))
    };
    // The drop-downs offer the Spanish labels (on the hidden sheet).
    let question_text = cells
        .iter()
        .any(|(_, _, t)| t == "¿El personal recibe formación en seguridad?");
    assert!(question_text, "questions are in Spanish");

    // A user fills the form in: the same cells, with answers in column E and a note in F.
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    for (row, column, text) in &cells {
        sheet.write_string(*row, *column, text).unwrap();
    }
    let answers: [(&str, &str); 7] = [
        ("country", "CO"),
        ("p_train", "Sí"),
        ("p_train_freq", "Anual"),
        ("p_channels", "Correo; Simulacros"),
        ("t_inventory", "no sabe"),
        ("t_backup", "no aplica"),
        ("respondent_organization", "CSIRT Colombia"),
    ];
    for (key, answer) in answers {
        sheet.write_string(row_of(key), 4, answer).unwrap();
    }
    sheet.write_number(row_of("t_patch_days"), 4, 10.0).unwrap();
    sheet
        .write_string(row_of("t_backup"), 5, "Sin copias todavía")
        .unwrap();
    let filled = dir.path().join("filled.xlsx");
    workbook.save(&filled).unwrap();

    let out = dir.path().join("responses");
    let (code, stderr) = import(&[filled.to_str().unwrap()], &out, &[]);
    assert_eq!(code, 0, "{stderr}");
    let text = std::fs::read_to_string(out.join("CO-2025-CSIRT_Colombia.yaml")).unwrap();
    assert!(
        text.contains("p_train_freq: yearly") && text.contains("t_inventory: unknown"),
        "{text}"
    );
    assert!(text.contains("note: \"Sin copias todavía\""), "{text}");
    let (_, stdout, _) = score(out.to_str().unwrap(), &hygiene(), &[], "csv");
    assert!(
        stdout.contains("CO,2025,overall,sme-hygiene,38.671875,2,0.8"),
        "{stdout}"
    );
    // The same form scores straight, without importing it first.
    let (code, stdout, stderr) = score(filled.to_str().unwrap(), &hygiene(), &[], "csv");
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.contains("CO,2025,overall,sme-hygiene,38.671875,2,0.8"),
        "{stdout}"
    );
}

#[test]
fn a_sheet_of_rows_scores_straight_and_names_bad_rows() {
    let dir = tempfile::tempdir().unwrap();
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    let rows: [[&str; 5]; 4] = [
        [
            "country",
            "round",
            "respondent_organization",
            "p_train",
            "t_backup",
        ],
        ["CO", "2025", "CSIRT", "Sí", "offsite"],
        ["PE", "2025", "CERT", "no", "weekly"],
        ["", "", "", "", ""],
    ];
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            sheet.write_string(r as u32, c as u16, *cell).unwrap();
        }
    }
    sheet.write_string(4, 0, "CL").unwrap();
    sheet.write_string(4, 1, "2025").unwrap();
    sheet.write_number(4, 5, 3.0).unwrap();
    let book = dir.path().join("rows.xlsx");
    workbook.save(&book).unwrap();
    let (code, stdout, stderr) = score(book.to_str().unwrap(), &hygiene(), &[], "json");
    assert_eq!(code, 1, "{stderr}");
    // The bad option is named at its sheet row and column; the blank row is skipped.
    assert!(
        stderr.contains("rows.xlsx:3:5: error: unknown option `weekly`"),
        "{stderr}"
    );
    assert!(stdout.contains("\"country\":\"CO\""), "{stdout}");
    assert!(stdout.contains("rows.xlsx:2"), "{stdout}");
    assert!(stdout.contains("\"country\":\"CL\""), "{stdout}");
    assert!(!stdout.contains("\"country\":\"PE\""), "{stdout}");
}

#[test]
fn a_file_that_cannot_be_written_rejects_its_row_and_the_others_are_imported() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("two.csv");
    std::fs::write(
        &csv,
        "country,round,respondent_organization,p_train\nCO,2025,A,yes\nPE,2025,B,no\n",
    )
    .unwrap();
    let out = dir.path().join("responses");
    // A folder where the file of the first row should go: it cannot be replaced by a file.
    std::fs::create_dir_all(out.join("CO-2025-A.yaml")).unwrap();
    let (code, stderr) = import(&[csv.to_str().unwrap()], &out, &[]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("2 rows: 1 response files written, 0 unchanged, 1 rejected"),
        "{stderr}"
    );
    assert!(out.join("PE-2025-B.yaml").is_file());
    let rejects = std::fs::read_to_string(out.join("rejects.csv")).unwrap();
    let lines: Vec<&str> = rejects.lines().collect();
    assert_eq!(lines.len(), 2, "{rejects}");
    assert!(lines[1].starts_with("2,,"), "{rejects}");
    assert!(lines[1].ends_with(",CO,2025,A,yes"), "{rejects}");
}

#[test]
fn the_xlsx_form_offers_drop_down_lists_and_checks_numbers() {
    use std::io::Read;
    let dir = tempfile::tempdir().unwrap();
    let form = dir.path().join("form.xlsx");
    let (code, _, _) = run(&[
        "template",
        &hygiene(),
        "--format",
        "xlsx",
        "--lang",
        "es",
        "--out",
        form.to_str().unwrap(),
    ]);
    assert_eq!(code, 0);
    let mut archive = zip::ZipArchive::new(std::fs::File::open(&form).unwrap()).unwrap();
    let mut sheet = String::new();
    archive
        .by_name("xl/worksheets/sheet1.xml")
        .unwrap()
        .read_to_string(&mut sheet)
        .unwrap();
    // Two choice and two yes/no questions get lists; the multi question's row offers don't
    // know and not applicable, and each of its three options' rows yes and no.
    assert_eq!(sheet.matches("type=\"list\"").count(), 8, "{sheet}");
    assert!(
        sheet.contains("Lists!$A$1:$A$4"),
        "yes, no, don't know, not applicable"
    );
    assert!(
        sheet.contains("Lists!$B$1:$B$6"),
        "4 options, don't know, not applicable"
    );
    assert_eq!(
        sheet.matches("Lists!$D$1:$D$2").count(),
        3,
        "yes or no per option"
    );
    // The number question takes a number in its range or the words, in the sheet's language.
    assert_eq!(sheet.matches("type=\"custom\"").count(), 1);
    assert!(
        sheet.contains(
            "<formula1>OR(AND(ISNUMBER(E19),E19&gt;=0,E19&lt;=365),E19=\"no sabe\",E19=\"no aplica\")</formula1>"
        ),
        "{sheet}"
    );
    // The submitted cell takes a date and time.
    assert!(sheet.contains("type=\"date\""), "{sheet}");
    let mut styles = String::new();
    archive
        .by_name("xl/styles.xml")
        .unwrap()
        .read_to_string(&mut styles)
        .unwrap();
    assert!(styles.contains("yyyy-mm-dd hh:mm"), "{styles}");
    let mut lists = String::new();
    archive
        .by_name("xl/sharedStrings.xml")
        .unwrap()
        .read_to_string(&mut lists)
        .unwrap();
    for text in [
        "no sabe",
        "Correo",
        "p_channels/email",
        "Evidencia (enlaces",
    ] {
        assert!(lists.contains(text), "{text}: {lists}");
    }
    let mut book = String::new();
    archive
        .by_name("xl/workbook.xml")
        .unwrap()
        .read_to_string(&mut book)
        .unwrap();
    assert!(
        book.contains("state=\"hidden\""),
        "the lists sheet is hidden"
    );
}

/// The blank form of the hygiene questionnaire in `lang`, for round 2026.
fn blank_form(dir: &std::path::Path, lang: &str) -> std::path::PathBuf {
    let form = dir.join(format!("form-{lang}.xlsx"));
    let (code, _, stderr) = run(&[
        "template",
        &hygiene(),
        "--format",
        "xlsx",
        "--lang",
        lang,
        "--round",
        "2026",
        "--out",
        form.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{stderr}");
    form
}

/// A copy of `form` as a user fills it in: `texts` written in the row of their key (column A)
/// at their column, then `more` for numbers and dates.
fn fill_form(
    form: &std::path::Path,
    filled: &std::path::Path,
    texts: &[(&str, u16, &str)],
    more: impl FnOnce(&mut rust_xlsxwriter::Worksheet, &dyn Fn(&str) -> u32),
) {
    let cells = sheet_cells(form);
    let row_of = |key: &str| {
        cells
            .iter()
            .find(|(_, c, t)| *c == 0 && t == key)
            .map(|(r, _, _)| *r)
            .unwrap_or_else(|| panic!("no row {key}"))
    };
    let mut workbook = rust_xlsxwriter::Workbook::new();
    let sheet = workbook.add_worksheet();
    for (row, column, text) in &cells {
        sheet.write_string(*row, *column, text).unwrap();
    }
    for (key, column, text) in texts {
        sheet.write_string(row_of(key), *column, *text).unwrap();
    }
    more(sheet, &row_of);
    workbook.save(filled).unwrap();
}

#[test]
fn a_filled_form_with_options_evidence_and_a_date_imports_and_scores_as_the_same_yaml() {
    let dir = tempfile::tempdir().unwrap();
    let form = blank_form(dir.path(), "es");
    let filled = dir.path().join("filled.xlsx");
    // Answered as a user of the Spanish form does: labels and words from the drop-downs, yes or
    // no on each option's row, a date typed into the date cell.
    let texts: [(&str, u16, &str); 13] = [
        ("country", 4, "CO"),
        ("respondent_name", 4, "Ana Pérez"),
        ("respondent_organization", 4, "CSIRT Colombia"),
        ("p_train", 4, "Sí"),
        (
            "p_train",
            6,
            "https://a.example/plan.pdf ; https://b.example/acta",
        ),
        ("p_train_freq", 4, "Trimestral"),
        ("p_train_freq", 5, "Cada trimestre"),
        ("p_channels/email", 4, "sí"),
        ("p_channels/posters", 4, "no"),
        ("p_channels/drills", 4, "Sí"),
        ("t_patch_days", 4, "no sabe"),
        ("t_inventory", 4, "No aplica"),
        ("t_backup", 4, "Externas y probadas"),
    ];
    fill_form(&form, &filled, &texts, |sheet, row_of| {
        let date = rust_xlsxwriter::Format::new().set_num_format("yyyy-mm-dd hh:mm");
        let sent = rust_xlsxwriter::ExcelDateTime::parse_from_str("2026-03-14 10:30").unwrap();
        sheet
            .write_datetime_with_format(row_of("submitted"), 4, &sent, &date)
            .unwrap();
    });
    let out = dir.path().join("responses");
    let (code, stderr) = import(&[filled.to_str().unwrap()], &out, &[]);
    assert_eq!(code, 0, "{stderr}");
    let file = out.join("CO-2026-CSIRT_Colombia.yaml");
    let text = std::fs::read_to_string(&file).unwrap();
    let expected = r#"questionnaire: "sme-hygiene@2.1"
country: CO
round: "2026"
respondent:
  name: "Ana Pérez"
  organization: "CSIRT Colombia"
submitted: 2026-03-14T10:30:00Z
answers:
  p_train:
    value: yes
    evidence: ["https://a.example/plan.pdf", "https://b.example/acta"]
  p_train_freq:
    value: quarterly
    note: "Cada trimestre"
  p_channels: [email, drills]
  t_patch_days: unknown
  t_inventory: na
  t_backup: offsite
"#;
    assert_eq!(text, expected);
    let (code, _, stderr) = run(&[
        "validate",
        file.to_str().unwrap(),
        "--questionnaire",
        &hygiene(),
    ]);
    assert_eq!(code, 0, "{stderr}");
    // The same answers written by hand as a response file score the same, and so does the
    // filled form read straight.
    let yaml = dir.path().join("by-hand.yaml");
    std::fs::write(
        &yaml,
        "questionnaire: sme-hygiene@2.1\ncountry: CO\nround: 2026\nanswers:\n  p_train: yes\n  p_train_freq: quarterly\n  p_channels: [email, drills]\n  t_patch_days: unknown\n  t_inventory: na\n  t_backup: offsite\n",
    )
    .unwrap();
    let (code, by_hand, stderr) = score(yaml.to_str().unwrap(), &hygiene(), &[], "csv");
    assert_eq!(code, 0, "{stderr}");
    assert!(
        by_hand.contains("CO,2026,overall,sme-hygiene,"),
        "{by_hand}"
    );
    for scored in [out.as_path(), filled.as_path()] {
        let (code, stdout, stderr) = score(scored.to_str().unwrap(), &hygiene(), &[], "csv");
        assert_eq!(code, 0, "{stderr}");
        assert_eq!(stdout, by_hand, "{}", scored.display());
    }
}

#[test]
fn a_multi_question_of_the_form_is_answered_on_its_options_rows() {
    let dir = tempfile::tempdir().unwrap();
    let form = blank_form(dir.path(), "en");
    let imported = |name: &str, texts: &[(&str, u16, &str)]| {
        let filled = dir.path().join(format!("{name}.xlsx"));
        let mut all = vec![("country", 4, "CO"), ("respondent_organization", 4, name)];
        all.extend_from_slice(texts);
        fill_form(&form, &filled, &all, |_, _| {});
        let out = dir.path().join(name);
        let (code, stderr) = import(&[filled.to_str().unwrap()], &out, &[]);
        let text = std::fs::read_to_string(out.join(format!("CO-2026-{name}.yaml")));
        (code, stderr, text.unwrap_or_default())
    };
    // No on every option's row selects none of them.
    let (code, stderr, text) = imported(
        "none",
        &[
            ("p_channels/email", 4, "no"),
            ("p_channels/posters", 4, "No"),
            ("p_channels/drills", 4, "n"),
        ],
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(text.contains("  p_channels: []\n"), "{text}");
    // An option's row left empty is an option not chosen, once another row is answered.
    let (_, _, text) = imported("one", &[("p_channels/posters", 4, "yes")]);
    assert!(text.contains("  p_channels: [posters]\n"), "{text}");
    // Every option's row empty: the question is unanswered; don't know is chosen on its row.
    let (_, _, text) = imported("blank", &[("p_train", 4, "yes")]);
    assert!(!text.contains("p_channels"), "{text}");
    let (_, _, text) = imported("unknown", &[("p_channels", 4, "don't know")]);
    assert!(text.contains("  p_channels: unknown\n"), "{text}");
    // Anything but yes or no on an option's row, or an answer on both the question's row and
    // its options' rows, is named at its cell.
    let (code, stderr, _) = imported("maybe", &[("p_channels/drills", 4, "maybe")]);
    assert_eq!(code, 1);
    let filled = dir.path().join("maybe.xlsx");
    assert!(
        stderr.contains(&format!(
            "{}:17:5: error: `maybe` on the row of option `drills` of `p_channels`; expected yes or no",
            filled.display()
        )),
        "{stderr}"
    );
    let (code, stderr, _) = imported(
        "both",
        &[
            ("p_channels", 4, "not applicable"),
            ("p_channels/email", 4, "yes"),
        ],
    );
    assert_eq!(code, 1);
    assert!(
        stderr.contains(":14:5: error: `not applicable` on the row of `p_channels`, and yes or no on the rows of its options"),
        "{stderr}"
    );
}

#[test]
fn a_bad_answer_in_the_form_is_named_at_its_cell() {
    let dir = tempfile::tempdir().unwrap();
    let form = blank_form(dir.path(), "en");
    let filled = dir.path().join("filled.xlsx");
    fill_form(&form, &filled, &[("country", 4, "CO")], |sheet, row_of| {
        sheet
            .write_number(row_of("t_patch_days"), 4, 999.0)
            .unwrap();
    });
    let (code, _, stderr) = score(filled.to_str().unwrap(), &hygiene(), &[], "csv");
    assert_eq!(code, 1);
    // The answer to t_patch_days is in row 19, column E.
    assert!(
        stderr.contains(&format!(
            "{}:19:5: error: 999 is out of range",
            filled.display()
        )),
        "{stderr}"
    );
    let out = dir.path().join("responses");
    let (code, _) = import(&[filled.to_str().unwrap()], &out, &[]);
    assert_eq!(code, 1);
    let rejects = std::fs::read_to_string(out.join("rejects.csv")).unwrap();
    let lines: Vec<&str> = rejects.lines().collect();
    assert!(lines[1].starts_with("19,t_patch_days,"), "{rejects}");
}

#[test]
fn a_kobotoolbox_export_imports_with_the_shipped_map() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("r");
    let export = fixture("kobo/export.csv").display().to_string();
    let map = format!("{}/maps/kobotoolbox.yaml", env!("CARGO_MANIFEST_DIR"));
    let (code, _, stderr) = run(&[
        "import",
        &export,
        "--questionnaire",
        "eu-lac-cyber-capacity",
        "--map",
        &map,
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("3 rows: 2 response files written, 0 unchanged, 1 rejected"),
        "{stderr}"
    );
    let colombia = std::fs::read_to_string(out.join("CO-2025-ColCERT.yaml")).unwrap();
    for line in [
        "wf_edu_school: curriculum",
        "wf_edu_higher_levels: [bachelor, master]",
        "wf_pt_csirt_training_days: 12",
        "wf_pa_competitions: yes",
        "submitted: 2025-03-01T14:40:00Z",
        "name: \"Ana\"",
    ] {
        assert!(colombia.contains(line), "missing {line} in\n{colombia}");
    }
    let peru = std::fs::read_to_string(out.join("PE-2025-CERT_PE.yaml")).unwrap();
    assert!(
        peru.contains("wf_edu_school: unknown") && peru.contains("wf_pt_csirt_training_days: na"),
        "{peru}"
    );
    // No option column set, and nothing in the combined column: the question was not answered.
    assert!(!peru.contains("wf_edu_higher_levels"), "{peru}");
    // The rejected row is copied under the export's own header.
    let rejects = std::fs::read_to_string(out.join("rejects.csv")).unwrap();
    assert!(
        rejects.starts_with("row,column,reason,start;end")
            || rejects.starts_with("row,column,reason,start,end"),
        "{rejects}"
    );
    assert!(
        rejects.contains("country `ZZZZ` is not a country code"),
        "{rejects}"
    );
    // The export scores straight through the same map, embedded in the binary under its name.
    let (code, stdout, stderr) = score(
        &export,
        "eu-lac-cyber-capacity",
        &["--map", "kobotoolbox"],
        "csv",
    );
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("export.csv:4:3: error: country `ZZZZ` is not a country code"),
        "{stderr}"
    );
    assert!(stdout.contains("\nCO,2025,overall,"), "{stdout}");
    assert!(stdout.contains("\nPE,2025,overall,"), "{stdout}");
    let (code, _, stderr) = score(&export, "eu-lac-cyber-capacity", &["--map", "kobo"], "csv");
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("map `kobo` is neither a file nor a built-in map; expected a path or one of: kobotoolbox, limesurvey"),
        "{stderr}"
    );
}

#[test]
fn the_map_format_has_a_schema() {
    let (code, stdout, _) = run(&["schema", "map"]);
    assert_eq!(code, 0);
    let schema: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert!(schema["properties"]["multi_columns"].is_object());
    let map: serde_json::Value = serde_saphyr::from_str(
        &std::fs::read_to_string(format!(
            "{}/maps/kobotoolbox.yaml",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap(),
    )
    .unwrap();
    let mut schemas = boon::Schemas::new();
    let mut compiler = boon::Compiler::new();
    compiler.add_resource("urn:map", schema).unwrap();
    let index = compiler.compile("urn:map", &mut schemas).unwrap();
    assert!(schemas.validate(&map, index).is_ok());
}

#[test]
fn a_limesurvey_export_imports_with_the_shipped_map() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("r");
    let export = fixture("limesurvey/results.csv").display().to_string();
    let map = format!("{}/maps/limesurvey.yaml", env!("CARGO_MANIFEST_DIR"));
    let (code, _, stderr) = run(&[
        "import",
        &export,
        "--questionnaire",
        "eu-lac-cyber-capacity",
        "--map",
        &map,
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{stderr}");
    assert!(!stderr.contains("warning"), "{stderr}");
    let uruguay = std::fs::read_to_string(out.join("UY-2025-CERTuy.yaml")).unwrap();
    for line in [
        "wf_edu_school: progressive",
        "wf_edu_higher_levels: [technical, master]",
        "wf_pt_csirt_training_days: 7",
        "wf_pa_competitions: yes",
        "submitted: 2025-04-01T10:00:00Z",
    ] {
        assert!(uruguay.contains(line), "missing {line} in\n{uruguay}");
    }
}

#[test]
fn organizations_whose_names_make_the_same_file_name_get_a_file_each() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("responses");
    let long = "Agencia Nacional de Ciberseguridad y Protección de Infraestructuras Críticas";
    let write = |name: &str, rows: &[(&str, &str)]| {
        let mut text = String::from("country,round,respondent_organization,p_train\n");
        for (organization, answer) in rows {
            text.push_str(&format!("PE,2025,{organization},{answer}\n"));
        }
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        path.display().to_string()
    };
    // One run: two names that fold to one file name, and two long names cut to the same 64
    // characters.
    let first = write(
        "first.csv",
        &[
            ("CERT Perú", "yes"),
            ("CERT Perü", "no"),
            (&format!("{long} (Lima)"), "yes"),
        ],
    );
    let (code, stderr) = import(&[&first], &out, &[]);
    assert_eq!(code, 0, "{stderr}");
    // A later run, with --force: another organization of the same folded and cut names.
    let second = write(
        "second.csv",
        &[("CERT Perû", "no"), (&format!("{long} (Cusco)"), "no")],
    );
    let (code, stderr) = import(&[&second], &out, &["--force"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(stderr.contains("2 response files written"), "{stderr}");
    let mut owners = Vec::new();
    for entry in std::fs::read_dir(&out).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        let organization = text
            .lines()
            .find_map(|l| l.split_once("organization: "))
            .map(|(_, o)| o.trim_end_matches('}').trim_matches('"').to_owned())
            .unwrap();
        let answer = text
            .lines()
            .find(|l| l.contains("p_train:"))
            .unwrap()
            .to_owned();
        owners.push(format!("{organization} {}", answer.trim()));
    }
    owners.sort();
    assert_eq!(
        owners,
        [
            format!("{long} (Cusco) p_train: no"),
            format!("{long} (Lima) p_train: yes"),
            "CERT Perú p_train: yes".to_owned(),
            "CERT Perû p_train: no".to_owned(),
            "CERT Perü p_train: no".to_owned(),
        ]
    );
    // The same rows again change nothing: each goes back to its own file.
    let (code, stderr) = import(&[&first, &second], &out, &[]);
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains("0 response files written, 5 unchanged"),
        "{stderr}"
    );
}

#[test]
fn control_characters_in_cells_are_written_so_that_every_reader_takes_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("responses");
    let csv = dir.path().join("controls.csv");
    // DEL, a C1 control, NEL and a line separator: JSON's strings let them through, YAML does
    // not.
    let text = "DEL\u{7f} C1\u{9b} NEL\u{85} LS\u{2028} end";
    std::fs::write(
        &csv,
        format!(
            "country,round,respondent_organization,p_train,p_train.note,p_comment\nXA,2025,CERT\u{7f},yes,{text},{text}\n"
        ),
    )
    .unwrap();
    let (code, stderr) = import(&[csv.to_str().unwrap()], &out, &[]);
    assert_eq!(code, 0, "{stderr}");
    let file = out.join("XA-2025-CERT_.yaml");
    let written = std::fs::read_to_string(&file).unwrap();
    assert!(
        !written.chars().any(|c| ('\u{7f}'..='\u{9f}').contains(&c)),
        "{written:?}"
    );
    let file = file.display().to_string();
    let (code, _, stderr) = run(&["validate", "--questionnaire", &hygiene(), &file]);
    assert_eq!(code, 0, "{stderr}");
    // Read back by the scoring path, the texts are those of the cells.
    let (code, stdout, stderr) = run(&[
        "explain",
        &file,
        "--questionnaire",
        &hygiene(),
        "--country",
        "XA",
        "--format",
        "json",
    ]);
    assert_eq!(code, 0, "{stderr}");
    let json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(json.to_string().matches(text).count(), 2, "{json}");
}

#[test]
fn a_column_given_twice_refuses_the_file_at_the_second_one() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("responses");
    let csv = dir.path().join("twice.csv");
    std::fs::write(
        &csv,
        "country,round,p_train,t_backup,p_train\nXA,2025,yes,none,no\n",
    )
    .unwrap();
    let csv = csv.display().to_string();
    let (code, stderr) = import(&[&csv], &out, &[]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains(
            "twice.csv:1:5: error: column `p_train` repeats column 3; expected each column once"
        ),
        "{stderr}"
    );
    assert!(!out.join("XA-2025-respondent.yaml").exists());
    let (code, _, stderr) = score(&csv, &hygiene(), &[], "json");
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("twice.csv:1:5: error: column `p_train` repeats"),
        "{stderr}"
    );
}

#[test]
fn a_row_whose_file_would_be_too_large_to_read_back_is_rejected() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("responses");
    let csv = dir.path().join("large.csv");
    let huge = "x".repeat(17 * 1024 * 1024);
    std::fs::write(
        &csv,
        format!("country,round,p_train,p_comment\nXA,2025,yes,{huge}\nXB,2025,no,short\n"),
    )
    .unwrap();
    let (code, stderr) = import(&[csv.to_str().unwrap()], &out, &[]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("2 rows: 1 response files written, 0 unchanged, 1 rejected"),
        "{stderr}"
    );
    let rejects = std::fs::read(out.join("rejects.csv")).unwrap();
    let reason = String::from_utf8_lossy(&rejects[..400]);
    assert!(
        reason.contains("2,,\"the response file would be 17.0 MiB; expected at most 16 MiB"),
        "{reason}"
    );
}

#[test]
fn a_utf16_file_is_refused_with_the_way_to_save_it() {
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("unicode.csv");
    let mut bytes = vec![0xFF, 0xFE];
    for unit in "country,round,p_train\r\nXA,2025,yes\r\n".encode_utf16() {
        bytes.extend(unit.to_le_bytes());
    }
    std::fs::write(&csv, bytes).unwrap();
    let (code, stderr) = import(&[csv.to_str().unwrap()], &dir.path().join("out"), &[]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("unicode.csv:1:1: error: the file is UTF-16 text; expected UTF-8 (in a spreadsheet, save it as \"CSV UTF-8\")"),
        "{stderr}"
    );
}

#[test]
fn the_rejects_file_never_holds_a_formula_whatever_the_encoding_and_is_readable_by_others() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("responses");
    std::fs::create_dir(&out).unwrap();
    // A temporary file of a stopped import, twenty minutes old: removed.
    let stale = out.join(".cybercap-rejects-x1.tmp");
    common::stale_file(&stale);
    let csv = dir.path().join("formulas.csv");
    let mut bytes = b"country,round,p_train,=HYPERLINK(\"http://x\")\n".to_vec();
    bytes.extend_from_slice(b"UK,2025,=cmd|' /C calc'!A0\xff,@SUM(A1)\xe9\n");
    std::fs::write(&csv, bytes).unwrap();
    let (code, stderr) = import(&[csv.to_str().unwrap()], &out, &[]);
    assert_eq!(code, 1, "{stderr}");
    assert!(
        stderr.contains("removed 1 unfinished temporary file"),
        "{stderr}"
    );
    assert!(!stale.exists());
    let rejects = std::fs::read(out.join("rejects.csv")).unwrap();
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(&rejects[..]);
    let mut cells = Vec::new();
    for record in reader.byte_records() {
        cells.extend(record.unwrap().iter().map(<[u8]>::to_vec));
    }
    for cell in &cells {
        assert!(
            !matches!(cell.first(), Some(b'=' | b'+' | b'@' | b'\t' | b'\r')),
            "{:?}",
            String::from_utf8_lossy(cell)
        );
    }
    assert!(cells.contains(&b"'=cmd|' /C calc'!A0\xff".to_vec()));
    assert!(cells.contains(&b"'@SUM(A1)\xe9".to_vec()));
    assert!(cells.contains(&b"'=HYPERLINK(\"http://x\")".to_vec()));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(out.join("rejects.csv"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o644);
    }
}
