//! `template --format xlsform`: pyxform, the converter behind KoboToolbox and ODK, turns the form
//! into a valid XForm; a KoboToolbox export of the form imports through `--map kobotoolbox` as
//! the same responses, with the same scores, as the same answers written in YAML.
//!
//! Without pyxform (`xls2xform` on the PATH or in `.ci/venv`, where `.ci/run` installs it) the
//! conversion test says so and passes; `CYBERCAP_REQUIRE_PYXFORM=1`, which `.ci/run` sets, makes
//! it mandatory.

mod common;

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

use calamine::{Reader, Xlsx, open_workbook};
use common::{hygiene, run};
use cybercap::model::{ConditionValue, Question, QuestionKind, Questionnaire};

/// `name` on the PATH, else in `.ci/venv/bin`.
fn find(name: &str) -> Option<PathBuf> {
    let on_path = std::env::var_os("PATH").and_then(|path| {
        std::env::split_paths(&path)
            .map(|dir| dir.join(name))
            .find(|p| p.is_file())
    });
    let venv = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(".ci/venv/bin")
        .join(name);
    on_path.or_else(|| venv.is_file().then_some(venv))
}

/// `tool` when found; otherwise a failure under `CYBERCAP_REQUIRE_PYXFORM=1`, or `None` after
/// saying why the check is skipped.
fn required(tool: Option<PathBuf>, needs: &str) -> Option<PathBuf> {
    if tool.is_some() {
        return tool;
    }
    if std::env::var("CYBERCAP_REQUIRE_PYXFORM").as_deref() == Ok("1") {
        panic!("the XLSForm check is required (CYBERCAP_REQUIRE_PYXFORM=1) but needs {needs}");
    }
    // Through the handle, not `eprintln!`: the test harness hides what the macro prints.
    let _ = writeln!(
        std::io::stderr(),
        "SKIPPED: the XLSForm check needs {needs}"
    );
    None
}

/// `template Q --format xlsform --out DIR/NAME [EXTRA...]`: the form's path.
fn form(dir: &Path, name: &str, questionnaire: &str, extra: &[&str]) -> PathBuf {
    let path = dir.join(name);
    let mut args = vec![
        "template",
        questionnaire,
        "--format",
        "xlsform",
        "--out",
        path.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    let (code, _, stderr) = run(&args);
    assert_eq!(code, 0, "{stderr}");
    path
}

#[test]
fn pyxform_turns_the_form_of_each_questionnaire_into_a_valid_xform() {
    let Some(xls2xform) = required(
        find("xls2xform"),
        "pyxform's `xls2xform` (`python3 -m venv .ci/venv && .ci/venv/bin/pip install -r .ci/requirements.txt`)",
    ) else {
        return;
    };
    // ODK Validate, the check ODK Collect's engine makes, runs in Java; without it, pyxform's own.
    let java = required(
        find("java"),
        "Java, for ODK Validate (Debian package default-jre-headless)",
    );
    let dir = tempfile::tempdir().unwrap();
    let hygiene = hygiene();
    for (name, questionnaire, lang) in [
        ("builtin.xlsx", "eu-lac-cyber-capacity", "en"),
        ("hygiene.xlsx", hygiene.as_str(), "es"),
    ] {
        let form = form(dir.path(), name, questionnaire, &["--lang", lang]);
        let xml = form.with_extension("xml");
        let mut command = Command::new(&xls2xform);
        command.arg("--json");
        if java.is_none() {
            command.arg("--skip_validate");
        }
        let output = command.arg(&form).arg(&xml).output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        let result: serde_json::Value = stderr
            .lines()
            .rev()
            .find_map(|line| serde_json::from_str(line).ok())
            .unwrap_or_else(|| panic!("{name}: no JSON answer from xls2xform in\n{stderr}"));
        assert_eq!(result["code"], 100, "{name}: {result}");
        assert_eq!(result["warnings"], serde_json::json!([]), "{name}");
        let xform = std::fs::read_to_string(&xml).unwrap();
        assert!(xform.contains(r#"type="decimal""#), "{name}");
        assert!(
            xform.contains("<translation lang=\"Español (es)\""),
            "{name}"
        );
    }
}

#[test]
fn the_form_needs_out_and_never_replaces_a_file() {
    let (code, _, stderr) = run(&["template", "eu-lac-cyber-capacity", "--format", "xlsform"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("an XLSForm needs --out FILE.xlsx"),
        "{stderr}"
    );
    let dir = tempfile::tempdir().unwrap();
    let taken = dir.path().join("form.xlsx");
    std::fs::write(&taken, "answers").unwrap();
    let (code, _, stderr) = run(&[
        "template",
        "eu-lac-cyber-capacity",
        "--format",
        "xlsform",
        "--out",
        taken.to_str().unwrap(),
    ]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("exists"), "{stderr}");
    assert_eq!(std::fs::read_to_string(&taken).unwrap(), "answers");
}

#[test]
fn a_questionnaire_whose_ids_cannot_name_fields_is_refused_with_the_reason() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(hygiene())
        .unwrap()
        .replace("p_comment", "9comment");
    let questionnaire = dir.path().join("q.yaml");
    std::fs::write(&questionnaire, text).unwrap();
    let out = dir.path().join("form.xlsx");
    let (code, _, stderr) = run(&[
        "template",
        questionnaire.to_str().unwrap(),
        "--format",
        "xlsform",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("sme-hygiene@2.1 cannot be written as an XLSForm: question `9comment` would be named `9comment`, and a field's name starts with a letter or `_`"),
        "{stderr}"
    );
    assert!(!out.exists());
}

/// A field of the form as KoboToolbox exports it: its header (group names, `/`, its name), its
/// name, and the names of its choices when it is a select_multiple.
struct Field {
    header: String,
    name: String,
    multi: Option<Vec<String>>,
}

/// The fields of a form, read from its survey and choices sheets.
fn fields(form: &Path) -> Vec<Field> {
    let mut workbook: Xlsx<_> = open_workbook(form).unwrap();
    let mut rows = |sheet: &str| -> Vec<Vec<String>> {
        let range = workbook.worksheet_range(sheet).unwrap();
        range
            .rows()
            .map(|row| row.iter().map(ToString::to_string).collect())
            .collect()
    };
    let survey = rows("survey");
    let choices = rows("choices");
    let column = |rows: &[Vec<String>], name: &str| rows[0].iter().position(|c| c == name).unwrap();
    let (kind, name) = (column(&survey, "type"), column(&survey, "name"));
    let (list, choice) = (column(&choices, "list_name"), column(&choices, "name"));
    let mut groups: Vec<String> = Vec::new();
    let mut fields = Vec::new();
    for row in &survey[1..] {
        match row[kind].split_once(' ').unwrap_or((&row[kind], "")) {
            ("begin_group", _) => groups.push(row[name].clone()),
            ("end_group", _) => {
                groups.pop();
            }
            (kind, list_name) => {
                let header = groups
                    .iter()
                    .chain([&row[name]])
                    .cloned()
                    .collect::<Vec<_>>()
                    .join("/");
                let multi = (kind == "select_multiple").then(|| {
                    choices[1..]
                        .iter()
                        .filter(|c| c[list] == list_name)
                        .map(|c| c[choice].clone())
                        .collect()
                });
                fields.push(Field {
                    header,
                    name: row[name].clone(),
                    multi,
                });
            }
        }
    }
    fields
}

/// An answer as a respondent gives it in the form.
#[derive(Debug, Clone)]
enum Given {
    Option(String),
    Options(Vec<String>),
    YesNo(bool),
    Number(String),
    Text(String),
    Na,
    Unknown,
}

/// Answer `variant` of `question`: over five variants every question meets every kind of answer
/// its type allows in the form.
fn given(question: &Question, variant: usize) -> Option<Given> {
    let ids: Vec<String> = question.options().iter().map(|o| o.id.clone()).collect();
    Some(match &question.kind {
        QuestionKind::Choice { .. } => match variant % 4 {
            0 => Given::Option(ids[0].clone()),
            1 => Given::Option(ids[ids.len() - 1].clone()),
            2 => Given::Na,
            _ => Given::Unknown,
        },
        QuestionKind::Multi { .. } => match variant % 5 {
            0 => Given::Options(ids[..2].to_vec()),
            1 => Given::Options(ids),
            2 => Given::Options(Vec::new()),
            3 => Given::Na,
            _ => Given::Unknown,
        },
        QuestionKind::YesNo => match variant % 4 {
            0 => Given::YesNo(true),
            1 => Given::YesNo(false),
            2 => Given::Na,
            _ => Given::Unknown,
        },
        QuestionKind::Number { min, max, .. } => match variant % 3 {
            0 => {
                let (lo, hi) = (min.unwrap_or(0.0), max.unwrap_or(100.0));
                Given::Number(format!("{}", lo + (hi - lo) * 0.0125))
            }
            1 => Given::Na,
            _ => Given::Unknown,
        },
        QuestionKind::Text => match variant % 2 {
            0 => Given::Text("Plan; \"draft\" 2026\nsecond line, with ñ".to_owned()),
            _ => return None,
        },
    })
}

/// Whether `question` is asked, given the earlier answers.
fn asked(q: &Questionnaire, question: &Question, answers: &HashMap<String, Given>) -> bool {
    let Some(condition) = &question.when else {
        return true;
    };
    let target = &q.questions[condition.question];
    let given = answers.get(&target.id);
    condition.any_of.iter().any(|value| match (value, given) {
        (ConditionValue::Option(i), Some(Given::Option(id))) => {
            target.options()[usize::from(*i)].id == *id
        }
        (ConditionValue::Option(i), Some(Given::Options(ids))) => {
            ids.contains(&target.options()[usize::from(*i)].id)
        }
        (ConditionValue::YesNo(yes), Some(Given::YesNo(given))) => yes == given,
        _ => false,
    })
}

/// The answer in a response file.
fn yaml_value(given: &Given) -> String {
    let quoted = |text: &str| serde_json::Value::String(text.to_owned()).to_string();
    match given {
        Given::Option(id) => quoted(id),
        Given::Options(ids) => {
            let ids: Vec<String> = ids.iter().map(|id| quoted(id)).collect();
            format!("[{}]", ids.join(", "))
        }
        Given::YesNo(yes) => if *yes { "yes" } else { "no" }.to_owned(),
        Given::Number(n) => n.clone(),
        Given::Text(text) => quoted(text),
        Given::Na => "na".to_owned(),
        Given::Unknown => "unknown".to_owned(),
    }
}

/// The cells KoboToolbox exports for a field, by field name: the value, and for a multi question
/// the choices selected.
fn kobo_cells(question: &Question, given: &Given, cells: &mut HashMap<String, String>) {
    let id = &question.id;
    let word = |given: &Given| match given {
        Given::Na => "na",
        _ => "unknown",
    };
    match (given, &question.kind) {
        (Given::Option(option), _) => {
            cells.insert(id.clone(), option.clone());
        }
        (Given::Options(ids), _) if ids.is_empty() => {
            cells.insert(id.clone(), "[]".to_owned());
        }
        (Given::Options(ids), _) => {
            cells.insert(id.clone(), ids.join(" "));
        }
        (Given::YesNo(yes), _) => {
            cells.insert(id.clone(), if *yes { "yes" } else { "no" }.to_owned());
        }
        (Given::Number(n), _) => {
            cells.insert(id.clone(), n.clone());
        }
        (Given::Text(text), _) => {
            cells.insert(id.clone(), text.clone());
        }
        (Given::Na | Given::Unknown, QuestionKind::Number { .. }) => {
            cells.insert(format!("{id}_status"), word(given).to_owned());
        }
        (Given::Na | Given::Unknown, _) => {
            cells.insert(id.clone(), word(given).to_owned());
        }
    }
}

/// Response files written by the library for the same answers, and the export's rows.
struct Submissions {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
    yaml: Vec<(String, String)>,
}

const KOBO_AFTER: [&str; 11] = [
    "meta/instanceID",
    "_id",
    "_uuid",
    "_submission_time",
    "_validation_status",
    "_notes",
    "_status",
    "_submitted_by",
    "__version__",
    "_tags",
    "_index",
];

fn submissions(q: &Questionnaire, fields: &[Field], countries: &[&str]) -> Submissions {
    let mut header = Vec::new();
    for field in fields {
        header.push(field.header.clone());
        for choice in field.multi.iter().flatten() {
            header.push(format!("{}/{choice}", field.header));
        }
    }
    header.extend(KOBO_AFTER.iter().map(|c| (*c).to_owned()));
    let mut rows = Vec::new();
    let mut yaml = Vec::new();
    for (r, country) in countries.iter().enumerate() {
        let mut answers: HashMap<String, Given> = HashMap::new();
        let mut cells: HashMap<String, String> = HashMap::new();
        let organization = format!("CERT {country}");
        cells.insert(
            "end".into(),
            format!("2026-03-0{}T09:40:00.000-05:00", r + 1),
        );
        cells.insert("country".into(), (*country).to_owned());
        cells.insert("round".into(), "2026".into());
        cells.insert("respondent_name".into(), "Ana María".into());
        cells.insert("respondent_organization".into(), organization.clone());
        let mut text = format!(
            "questionnaire: \"{}\"\ncountry: {country}\nround: \"2026\"\nrespondent:\n  name: \"Ana María\"\n  organization: \"{organization}\"\nsubmitted: 2026-03-0{}T14:40:00Z\nanswers:\n",
            q.reference(),
            r + 1
        );
        for (i, question) in q.questions.iter().enumerate() {
            if !asked(q, question, &answers) {
                continue;
            }
            let Some(given) = given(question, i + r) else {
                continue;
            };
            kobo_cells(question, &given, &mut cells);
            let value = yaml_value(&given);
            if (i + r) % 3 == 0 {
                let note = format!("Source: annual report; p. {i}");
                cells.insert(format!("{}_note", question.id), note.clone());
                text.push_str(&format!(
                    "  {}: {{value: {value}, note: \"{note}\"}}\n",
                    question.id
                ));
            } else {
                text.push_str(&format!("  {}: {value}\n", question.id));
            }
            answers.insert(question.id.clone(), given);
        }
        let mut row = Vec::new();
        for field in fields {
            let value = cells.get(&field.name).cloned().unwrap_or_default();
            if let Some(choices) = &field.multi {
                // Kobo's combined column is space-separated; an unanswered question has no 0s.
                let selected: Vec<&str> = value.split(' ').collect();
                row.push(value.clone());
                for choice in choices {
                    row.push(
                        match (value.is_empty(), selected.contains(&choice.as_str())) {
                            (true, _) => String::new(),
                            (false, true) => "1".to_owned(),
                            (false, false) => "0".to_owned(),
                        },
                    );
                }
            } else {
                row.push(value);
            }
        }
        row.extend([
            format!("uuid:{r}"),
            format!("{}", 1000 + r),
            format!("{r}"),
            format!("2026-03-0{}T14:41:07", r + 1),
            String::new(),
            String::new(),
            "submitted_via_web".to_owned(),
            String::new(),
            "vAbC123".to_owned(),
            String::new(),
            format!("{}", r + 1),
        ]);
        rows.push(row);
        yaml.push((format!("{country}-2026-CERT_{country}.yaml"), text));
    }
    Submissions { header, rows, yaml }
}

/// The results of `score --format json` without the files they came from.
fn scores(input: &Path, extra: &[&str]) -> serde_json::Value {
    fn without_files(value: &mut serde_json::Value) {
        match value {
            serde_json::Value::Object(map) => {
                map.remove("files");
                map.values_mut().for_each(without_files);
            }
            serde_json::Value::Array(items) => items.iter_mut().for_each(without_files),
            _ => {}
        }
    }
    let mut args = vec!["score", input.to_str().unwrap()];
    args.extend_from_slice(extra);
    args.extend_from_slice(&["--format", "json"]);
    let (code, stdout, stderr) = run(&args);
    assert_eq!(code, 0, "{stderr}");
    let mut json: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    without_files(&mut json);
    json
}

#[test]
fn a_kobotoolbox_export_of_the_form_imports_as_the_same_answers_in_yaml() {
    use cybercap::load::{Source, check_response, read_response_doc};
    use cybercap::model::write::response_to_yaml;

    let dir = tempfile::tempdir().unwrap();
    let q = &cybercap::builtin::latest().unwrap();
    let fields = fields(&form(dir.path(), "form.xlsx", "eu-lac-cyber-capacity", &[]));
    let countries = ["CO", "PE", "BR", "MX", "ES"];
    let submissions = submissions(q, &fields, &countries);

    // Every type, every kind of answer, conditions met and not, notes: all in the export.
    let text = submissions
        .yaml
        .iter()
        .map(|(_, t)| t.as_str())
        .collect::<String>();
    for kind in [
        "[]",
        ": na\n",
        ": unknown\n",
        ": yes\n",
        ": no\n",
        "\\nsecond line",
        "note: ",
    ] {
        assert!(text.contains(kind), "no {kind} among the answers");
    }
    // A number with a fraction, as the submissions give one.
    let fractional = q.questions.iter().any(|question| match question.kind {
        QuestionKind::Number { min, max, .. } => {
            let (lo, hi) = (min.unwrap_or(0.0), max.unwrap_or(100.0));
            let given = format!("{}", lo + (hi - lo) * 0.0125);
            given.contains('.') && text.contains(&format!(": {given}"))
        }
        _ => false,
    });
    assert!(fractional, "no fractional number among the answers");
    let conditional: Vec<&Question> = q.questions.iter().filter(|x| x.when.is_some()).collect();
    let answers = |text: &str, question: &Question| text.contains(&format!("  {}: ", question.id));
    assert!(conditional.iter().all(|c| answers(&text, c)));
    assert!(
        submissions
            .yaml
            .iter()
            .any(|(_, text)| conditional.iter().any(|c| !answers(text, c))),
        "a condition is not met somewhere"
    );

    let export = dir.path().join("export.csv");
    let mut writer = csv::WriterBuilder::new()
        .delimiter(b';')
        .from_path(&export)
        .unwrap();
    writer.write_record(&submissions.header).unwrap();
    for row in &submissions.rows {
        writer.write_record(row).unwrap();
    }
    writer.flush().unwrap();

    let imported = dir.path().join("imported");
    let (code, _, stderr) = run(&[
        "import",
        export.to_str().unwrap(),
        "--questionnaire",
        "eu-lac-cyber-capacity",
        "--map",
        "kobotoolbox",
        "--out",
        imported.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{stderr}");
    assert!(!stderr.contains("warning"), "{stderr}");
    assert!(
        stderr.contains("5 rows: 5 response files written"),
        "{stderr}"
    );

    let written = dir.path().join("written");
    std::fs::create_dir(&written).unwrap();
    for (name, text) in &submissions.yaml {
        let path = written.join(name);
        std::fs::write(&path, text).unwrap();
        let doc = read_response_doc(&Source::from_text(&path, text)).unwrap();
        let (response, _) =
            check_response(&path, &doc, q).unwrap_or_else(|d| panic!("{name}: {d:?}"));
        assert_eq!(
            std::fs::read_to_string(imported.join(name)).unwrap(),
            response_to_yaml(q, &response),
            "{name}"
        );
    }
    let from_yaml = scores(&written, &[]);
    assert_eq!(scores(&imported, &[]), from_yaml);
    // `score` reads the export itself through the map, to the same scores.
    let direct = [
        "--questionnaire",
        "eu-lac-cyber-capacity",
        "--map",
        "kobotoolbox",
    ];
    assert_eq!(scores(&export, &direct), from_yaml);
}
