//! The checks of `validate`: each file's kind read from its content, questionnaires loaded first
//! so that responses can be checked against them, responses read by the one reader every command
//! uses.

use std::path::PathBuf;

use crate::Error;
use crate::diagnostic::{Diagnostic, Position};
use crate::inputs::Catalog;
use crate::load::{
    DocumentKind, ResponseHeader, Source, check_response, detect_kind, load_questionnaire,
    read_response_doc,
};
use crate::model::{CountryCode, Round};

/// What a valid file is.
#[derive(Debug, Clone)]
pub enum Valid {
    /// A questionnaire, now known to the catalog.
    Questionnaire {
        /// `id@version`.
        reference: String,
        /// How many pillars, indicators and questions it has.
        sizes: [usize; 3],
    },
    /// A response.
    Response {
        /// Its country.
        country: CountryCode,
        /// Its round.
        round: Round,
        /// How many answers it gives.
        answers: usize,
    },
}

/// The verdict on one file.
#[derive(Debug, Clone)]
pub struct Checked {
    /// The file.
    pub path: PathBuf,
    /// Its warnings, or the errors that make it invalid.
    pub findings: Vec<Diagnostic>,
    /// What it is, when it is valid.
    pub valid: Option<Valid>,
}

/// Checks every file: questionnaires (and files that cannot be read or told apart) in the order
/// given, then the responses, each against the questionnaire it names. An error only for a file
/// that cannot be read at all, or for a language `lang` that a questionnaire met lacks.
pub fn check_files(
    catalog: &mut Catalog,
    files: &[PathBuf],
    lang: Option<&str>,
) -> Result<Vec<Checked>, Error> {
    let mut checked = Vec::new();
    let mut responses = Vec::new();
    let verdict = |path: &PathBuf, findings, valid| Checked {
        path: path.clone(),
        findings,
        valid,
    };
    for path in files {
        let source = match Source::read(path) {
            Ok(s) => s,
            Err(Error::Invalid(found)) => {
                checked.push(verdict(path, found, None));
                continue;
            }
            Err(e) => return Err(e),
        };
        match detect_kind(&source.text) {
            Some(DocumentKind::Questionnaire) => match load_questionnaire(&source) {
                Ok((questionnaire, warnings)) => {
                    questionnaire.language(lang)?;
                    let valid = Valid::Questionnaire {
                        reference: questionnaire.reference(),
                        sizes: [
                            questionnaire.pillars.len(),
                            questionnaire.indicators.len(),
                            questionnaire.questions.len(),
                        ],
                    };
                    catalog.add(questionnaire);
                    checked.push(verdict(path, warnings, Some(valid)));
                }
                Err(found) => checked.push(verdict(path, found, None)),
            },
            Some(DocumentKind::Response) => responses.push(source),
            None => checked.push(verdict(
                path,
                vec![Diagnostic::error(
                    path,
                    Position::new(1, 1),
                    "cannot tell what this file is; expected a questionnaire (with `pillars:`) or a response (with `questionnaire:`)",
                )],
                None,
            )),
        }
    }
    for source in responses {
        checked.push(check_response_file(catalog, &source, lang)?);
    }
    Ok(checked)
}

fn check_response_file(
    catalog: &Catalog,
    source: &Source,
    lang: Option<&str>,
) -> Result<Checked, Error> {
    let path = &source.path;
    let verdict = |findings, valid| Checked {
        path: path.clone(),
        findings,
        valid,
    };
    let doc = match read_response_doc(source) {
        Ok(doc) => doc,
        Err(d) => return Ok(verdict(vec![d], None)),
    };
    let header = ResponseHeader::of(&doc);
    let Some(questionnaire) = catalog.resolve(&header.questionnaire) else {
        return Ok(verdict(
            vec![Diagnostic::error(
                path,
                header.questionnaire_position,
                format!(
                    "unknown questionnaire `{}`; expected a built-in questionnaire, or its file given with --questionnaire or among the files",
                    header.questionnaire.escape_debug()
                ),
            )],
            None,
        ));
    };
    questionnaire.language(lang)?;
    Ok(match check_response(path, &doc, questionnaire) {
        Ok((response, warnings)) => verdict(
            warnings,
            Some(Valid::Response {
                country: response.country,
                round: response.round,
                answers: response.answers.len(),
            }),
        ),
        Err(found) => verdict(found, None),
    })
}
