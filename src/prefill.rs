//! Sheets for a country's next round that start from its answers in its latest earlier round,
//! merged as `score` merges them, each sheet read back before it is handed out.

use std::path::Path;

use crate::Error;
use crate::diagnostic::{At, Diagnostic, Position};
use crate::export::{ExportTable, csv_line, differences};
use crate::inputs::Inventory;
use crate::load::{Source, check_answer_doc, check_response, read_response_doc};
use crate::model::diff::trace_back;
use crate::model::doc::{AnswerDoc, ScalarText};
use crate::model::{
    Answer, AnswerValue, CountryCode, Question, Questionnaire, Response, Round, compare_versions,
};
use crate::pipeline::score_country_round;
use crate::scoring::{ConflictPolicy, MergedAnswer};
use crate::template::{Prefill, prefilled_xlsx, prefilled_yaml};

/// The formats of a prefilled sheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SheetFormat {
    /// A response file, each answer marked with a comment.
    Yaml,
    /// The import layout: a header and one row.
    Csv,
    /// The form, the answers' cells coloured.
    Xlsx,
}

impl SheetFormat {
    fn name(self) -> &'static str {
        match self {
            SheetFormat::Yaml => "YAML",
            SheetFormat::Csv => "CSV",
            SheetFormat::Xlsx => "XLSX",
        }
    }
}

/// `country`'s answers in its latest round, which must come before `round`, merged under
/// `policy` and carried over to `sheet` (a later version of the questionnaire, or the same): the
/// answers a sheet for `round` starts from, with the warnings met on the way. Any error among the
/// inputs, or in the merge of that round, leaves no sheet to write: its files might hold answers
/// the sheet would lack.
pub fn earlier_answers(
    inventory: &Inventory<'_>,
    sheet: &Questionnaire,
    country: &CountryCode,
    round: &Round,
    policy: ConflictPolicy,
) -> Result<(Prefill, Vec<Diagnostic>), Error> {
    let (errors, mut warnings): (Vec<Diagnostic>, Vec<Diagnostic>) = inventory
        .diagnostics
        .iter()
        .cloned()
        .partition(Diagnostic::is_error);
    if !errors.is_empty() {
        return Err(Error::Invalid(errors));
    }
    let bucket = inventory.country_rounds.latest_before(country, round)?;
    let mut result = score_country_round(inventory, bucket, policy);
    if result.diagnostics.iter().any(Diagnostic::is_error) {
        return Err(Error::Invalid(result.diagnostics));
    }
    let answered = inventory.versions[result.version];
    let positions = positions_in(inventory, answered, sheet, country, &result.round)?;
    let same_version = answered.reference() == sheet.reference();
    warnings.append(&mut result.diagnostics);
    let mut answers = Vec::with_capacity(sheet.questions.len());
    for (question, position) in sheet.questions.iter().zip(positions) {
        let merged = position.and_then(|p| Some((p, result.merged.answers.get(p)?.as_ref()?)));
        let Some((p, merged)) = merged else {
            answers.push(None);
            continue;
        };
        let carried = carry(&answered.questions[p], question, same_version, merged);
        if carried.is_none() {
            let source = inventory.sources.name(merged.source());
            warnings.push(Diagnostic::warning(
                &source,
                Position::default(),
                format!(
                    "the answer to `{}` in round {} (`{}`) is not an answer to `{}` of {}; left empty in the sheet",
                    answered.questions[p].id,
                    result.round,
                    merged.answer().value.display(&answered.questions[p]).escape_debug(),
                    question.id,
                    sheet.reference()
                ),
            ));
        }
        answers.push(carried);
    }
    let prefill = Prefill {
        country: country.clone(),
        round: result.round,
        answers,
    };
    Ok((prefill, warnings))
}

/// By question of `sheet`: its position in `answered`, the version the round was answered on,
/// followed back through the versions in between (the same id, or the id it `replaces`).
fn positions_in(
    inventory: &Inventory<'_>,
    answered: &Questionnaire,
    sheet: &Questionnaire,
    country: &CountryCode,
    round: &Round,
) -> Result<Vec<Option<usize>>, Error> {
    if answered.reference() == sheet.reference() {
        return Ok((0..sheet.questions.len()).map(Some).collect());
    }
    if compare_versions(&answered.version, &sheet.version).is_gt() {
        return Err(Error::Usage(format!(
            "{country}'s round {round} answers {}, a later version than the sheet's {}; expected a sheet of that version or a later one",
            answered.reference(),
            sheet.reference()
        )));
    }
    let mut chain: Vec<&Questionnaire> = inventory
        .versions
        .iter()
        .copied()
        .filter(|v| {
            !compare_versions(&v.version, &answered.version).is_lt()
                && compare_versions(&v.version, &sheet.version).is_lt()
        })
        .collect();
    chain.push(sheet);
    Ok(trace_back(&chain, 0, |q| q.questions.as_slice()))
}

/// The merged answer to `was` as an answer to `now` (the same question, of another version
/// unless `same_version`), with every respondent's note and evidence; `None` when `now` does not
/// take it.
fn carry(
    was: &Question,
    now: &Question,
    same_version: bool,
    merged: &MergedAnswer,
) -> Option<Answer> {
    let value = &merged.answer().value;
    let value = if same_version {
        value.clone()
    } else {
        let doc = At::new(answer_doc(was, value), Position::default());
        check_answer_doc(Path::new(""), now, &doc).ok()??.value
    };
    let mut notes: Vec<&str> = Vec::new();
    let mut evidence: Vec<String> = Vec::new();
    for (_, given) in merged.given() {
        if let Some(note) = given.note.as_deref()
            && !notes.contains(&note)
        {
            notes.push(note);
        }
        for link in &given.evidence {
            if !evidence.contains(link) {
                evidence.push(link.clone());
            }
        }
    }
    Some(Answer {
        value,
        note: (!notes.is_empty()).then(|| notes.join("\n")),
        evidence,
    })
}

/// An answer as a response file writes it, to be checked against another version's question.
fn answer_doc(question: &Question, value: &AnswerValue) -> AnswerDoc {
    match value {
        AnswerValue::YesNo(yes) => AnswerDoc::Bool(*yes),
        AnswerValue::Number(n) => AnswerDoc::Number(*n),
        AnswerValue::Text(text) => AnswerDoc::Text(text.clone()),
        AnswerValue::Multi(bits) => AnswerDoc::List(
            question
                .selected(*bits)
                .map(|o| At::new(ScalarText(o.id.clone()), Position::default()))
                .collect(),
        ),
        other => AnswerDoc::Text(other.display(question)),
    }
}

/// The response a prefilled sheet for `round` holds as written: no respondent, no time.
fn sheet_response(prefill: &Prefill, round: &Round) -> Response {
    Response {
        country: prefill.country.clone(),
        round: round.clone(),
        respondent: Default::default(),
        submitted: None,
        answers: prefill
            .answers
            .iter()
            .enumerate()
            .filter_map(|(q, answer)| Some((q, answer.clone()?)))
            .collect(),
    }
}

/// The sheet for `round` of `sheet` in `format` and `lang`, starting from `prefill`, once read
/// back to the same answers: an answer the format cannot carry is refused, naming it.
pub fn prefilled_sheet(
    sheet: &Questionnaire,
    lang: &str,
    round: &Round,
    prefill: &Prefill,
    format: SheetFormat,
) -> Result<Vec<u8>, Error> {
    let expected = sheet_response(prefill, round);
    let refused = |what: String| {
        let instead = match format {
            SheetFormat::Yaml => "",
            SheetFormat::Csv | SheetFormat::Xlsx => {
                "; expected --format yaml, which holds every answer"
            }
        };
        Error::Refused(format!(
            "the answers of {} in round {} cannot be written in a {} sheet: {what}{instead}",
            prefill.country,
            prefill.round,
            format.name()
        ))
    };
    let (bytes, back) = match format {
        SheetFormat::Yaml => {
            let text = prefilled_yaml(sheet, lang, round.as_str(), prefill);
            let path = Path::new("sheet.yaml");
            let source = Source::from_text(path, &text);
            let read = read_response_doc(&source)
                .map_err(|d| vec![d])
                .and_then(|doc| check_response(path, &doc, sheet));
            match read {
                // The sheet holds an empty name and organization, to be filled in.
                Ok((back, _)) => (
                    text.into_bytes(),
                    Response {
                        respondent: Default::default(),
                        ..back
                    },
                ),
                Err(found) => return Err(refused(first_message(&found))),
            }
        }
        SheetFormat::Csv => {
            let table = ExportTable::new(sheet)?;
            let row = table.csv_row(&expected)?.map_err(|found| {
                refused(
                    found
                        .iter()
                        .map(|m| m.message.as_str())
                        .collect::<Vec<_>>()
                        .join("; "),
                )
            })?;
            let mut bytes = csv_line(table.header())?;
            bytes.extend_from_slice(&row);
            return Ok(bytes);
        }
        SheetFormat::Xlsx => {
            let bytes = prefilled_xlsx(sheet, lang, round.as_str(), prefill)
                .map_err(|e| Error::internal("the XLSX sheet", e))?;
            let back = crate::import::form_response(bytes.clone(), sheet).map_err(refused)?;
            (bytes, back)
        }
    };
    let mut found: Vec<String> = differences(sheet, &expected, &back)
        .into_iter()
        .map(|m| m.message)
        .collect();
    if (&back.country, &back.round) != (&expected.country, &expected.round) {
        found.push(format!(
            "the sheet reads back as {} {}, not {} {}",
            back.country, back.round, expected.country, expected.round
        ));
    }
    if found.is_empty() {
        Ok(bytes)
    } else {
        Err(refused(found.join("; ")))
    }
}

fn first_message(found: &[Diagnostic]) -> String {
    found
        .iter()
        .find(|d| d.is_error())
        .map_or_else(|| "it does not read back".to_owned(), |d| d.message.clone())
}
