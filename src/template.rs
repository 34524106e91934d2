//! Answer sheets to fill offline: a YAML response with every question as a comment, the header
//! row of the CSV import layout, and the XLSX form; blank, or starting from a country's answers
//! in an earlier round.

pub mod xlsx;

use std::fmt::Write as _;

use crate::i18n::labels::{frameworks_line, label, label_with};
use crate::model::write::answer_to_yaml;
use crate::model::{Answer, ConditionValue, CountryCode, QuestionKind, Questionnaire, Round};
use crate::numbers::format_number;
use crate::yaml_text::is_plain_word;
pub use xlsx::{prefilled_xlsx, xlsx_template};

/// The answers a sheet starts from: a country's answers in an earlier round, to review.
#[derive(Debug, Clone)]
pub struct Prefill {
    /// The country, written in the sheet.
    pub country: CountryCode,
    /// The round the answers were given in.
    pub round: Round,
    /// By question position of the sheet's questionnaire: the answer, its note and evidence.
    pub answers: Vec<Option<Answer>>,
}

/// The fixed columns of the CSV import layout, before one column per question.
pub const CSV_FIXED_COLUMNS: [&str; 5] = [
    "country",
    "round",
    "respondent_name",
    "respondent_organization",
    "submitted",
];

/// Comment lines: every line of `text` after `# `, control characters blanked.
fn comment(out: &mut String, indent: &str, text: &str) {
    for line in text.lines() {
        let clean: String = line
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect();
        let _ = writeln!(out, "{indent}# {clean}");
    }
}

/// What a number answer takes: "a number", with its range when it has both ends.
pub(crate) fn number_hint(min: Option<f64>, max: Option<f64>, lang: &str) -> String {
    match (min, max) {
        (Some(lo), Some(hi)) => format!(
            "{} {}",
            label("template_number", lang),
            label_with(
                "template_range",
                lang,
                &[("min", &format_number(lo)), ("max", &format_number(hi))]
            )
        ),
        _ => label("template_number", lang),
    }
}

/// An id as YAML reads it back: plain when safe, quoted otherwise.
fn yaml_id(id: &str) -> String {
    if is_plain_word(id) {
        id.to_owned()
    } else {
        serde_json::Value::String(id.to_owned()).to_string()
    }
}

/// A response skeleton in `lang`: every question as comments above an empty answer. It is a
/// valid response as it is (country `ZZ`, round `round`, nothing answered).
pub fn yaml_template(q: &Questionnaire, lang: &str, round: &str) -> String {
    yaml_sheet(q, lang, round, None)
}

/// The response skeleton of `yaml_template` with `prefill`'s country and answers filled in, each
/// answer marked as the earlier round's to review; no respondent and no `submitted` yet.
pub fn prefilled_yaml(q: &Questionnaire, lang: &str, round: &str, prefill: &Prefill) -> String {
    yaml_sheet(q, lang, round, Some(prefill))
}

fn yaml_sheet(q: &Questionnaire, lang: &str, round: &str, prefill: Option<&Prefill>) -> String {
    let mut out = String::new();
    let title = q.title.get(lang);
    comment(
        &mut out,
        "",
        &label_with(
            "template_header",
            lang,
            &[("title", title), ("reference", &q.reference())],
        ),
    );
    comment(&mut out, "", &label("template_howto", lang));
    comment(&mut out, "", &label("template_special", lang));
    if let Some(prefill) = prefill {
        comment(
            &mut out,
            "",
            &label_with(
                "template_prefilled",
                lang,
                &[
                    ("country", prefill.country.as_str()),
                    ("round", prefill.round.as_str()),
                    ("example", "submitted: 2026-03-14T10:00:00Z"),
                ],
            ),
        );
    }
    let _ = writeln!(
        out,
        "questionnaire: {}",
        serde_json::Value::String(q.reference())
    );
    match prefill {
        Some(prefill) => {
            let _ = writeln!(out, "country: {}", prefill.country);
        }
        None => {
            let _ = writeln!(out, "country: ZZ  # {}", label("template_country", lang));
        }
    }
    let _ = writeln!(
        out,
        "round: {}",
        serde_json::Value::String(round.to_owned())
    );
    let _ = writeln!(out, "respondent:\n  name: \"\"\n  organization: \"\"");
    let _ = writeln!(out, "answers:");
    let total = q.questions.len();
    for (n, question) in q.questions.iter().enumerate() {
        let indicator = &q.indicators[question.indicator];
        let pillar = &q.pillars[indicator.pillar];
        let _ = writeln!(out);
        comment(
            &mut out,
            "  ",
            &format!(
                "[{}/{total}] {} › {}",
                n + 1,
                pillar.title.get(lang),
                indicator.title.get(lang)
            ),
        );
        comment(&mut out, "  ", question.text.get(lang));
        let expected = match &question.kind {
            QuestionKind::Choice { options } | QuestionKind::Multi { options } => {
                let head = if matches!(question.kind, QuestionKind::Choice { .. }) {
                    label("template_options", lang)
                } else {
                    label("template_multi", lang)
                };
                let mut text = format!("{head}:");
                for option in options {
                    let _ = write!(
                        text,
                        "\n  {} = {}",
                        yaml_id(&option.id),
                        option.label.get(lang)
                    );
                }
                text
            }
            QuestionKind::YesNo => label("template_yesno", lang),
            QuestionKind::Number { min, max, .. } => number_hint(*min, *max, lang),
            QuestionKind::Text => label("template_text", lang),
        };
        comment(&mut out, "  ", &expected);
        if let Some(help) = &question.help {
            comment(
                &mut out,
                "  ",
                &format!("{}: {}", label("template_help", lang), help.get(lang)),
            );
        }
        if let Some(line) = frameworks_line(&question.refs, lang) {
            comment(&mut out, "  ", &line);
        }
        if let Some(condition) = &question.when {
            let target = &q.questions[condition.question];
            let values: Vec<String> = condition
                .any_of
                .iter()
                .map(|v| match v {
                    ConditionValue::Option(i) => target
                        .options()
                        .get(usize::from(*i))
                        .map(|o| o.id.clone())
                        .unwrap_or_default(),
                    ConditionValue::YesNo(true) => "yes".to_owned(),
                    ConditionValue::YesNo(false) => "no".to_owned(),
                })
                .collect();
            comment(
                &mut out,
                "  ",
                &label_with(
                    "template_when",
                    lang,
                    &[("question", &target.id), ("values", &values.join(" | "))],
                ),
            );
        }
        let given = prefill.and_then(|p| Some((p, p.answers.get(n)?.as_ref()?)));
        match given {
            Some((prefill, answer)) => {
                let mark = label_with(
                    "template_prefilled_answer",
                    lang,
                    &[("round", prefill.round.as_str())],
                );
                out.push_str(&answer_to_yaml(question, answer, &mark));
            }
            None => {
                let _ = writeln!(out, "  {}:", question.id);
            }
        }
    }
    out
}

/// The header row of the CSV import layout: the fixed columns, then one column per question.
pub fn csv_template(q: &Questionnaire) -> Vec<String> {
    CSV_FIXED_COLUMNS
        .iter()
        .map(|c| (*c).to_owned())
        .chain(q.questions.iter().map(|question| question.id.clone()))
        .collect()
}

/// The header row of the CSV import layout, as a CSV file: cells neutralized against formulas.
pub fn csv_header(q: &Questionnaire) -> Result<Vec<u8>, crate::Error> {
    let header: Vec<String> = csv_template(q)
        .iter()
        .map(|c| crate::fsio::csv_cell(c).into_owned())
        .collect();
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer
        .write_record(&header)
        .map_err(|e| crate::Error::internal("the CSV header", e))?;
    writer
        .into_inner()
        .map_err(|e| crate::Error::internal("the CSV header", e.into_error()))
}
