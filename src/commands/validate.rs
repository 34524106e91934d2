//! `cybercap validate FILE...`: checks questionnaires and responses, kind read from the content.

use cybercap::Error;
use cybercap::diagnostic::{Diagnostic, Position};
use cybercap::inputs::{Catalog, expand_inputs};
use cybercap::load::{
    DocumentKind, ResponseHeader, Source, check_response, detect_kind, load_questionnaire,
    read_response_doc,
};
use cybercap::model::doc::ResponseDoc;

use super::{Outcome, print_findings};
use crate::cli::ValidateArgs;

/// Validates every file; questionnaires first, so responses can be checked against them.
pub fn run(args: ValidateArgs) -> Result<Outcome, Error> {
    let mut catalog = Catalog::new(args.questionnaire.as_deref())?;
    let files = expand_inputs(&args.files)?;
    if files.is_empty() {
        return Err(Error::NotFound(format!(
            "no YAML file found in {}; expected questionnaire or response files (.yaml, .yml), or folders holding them",
            args.files
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        )));
    }
    let mut any_error = false;
    let (mut valid, mut invalid) = (0, 0);
    let mut responses = Vec::new();
    for path in &files {
        let source = match Source::read(path) {
            Ok(s) => s,
            Err(Error::Invalid(found)) => {
                print_findings(&found);
                any_error = true;
                invalid += 1;
                continue;
            }
            Err(e) => return Err(e),
        };
        match detect_kind(&source.text) {
            Some(DocumentKind::Questionnaire) => match load_questionnaire(&source) {
                Ok((questionnaire, warnings)) => {
                    print_findings(&warnings);
                    eprintln!(
                        "{}: ok: questionnaire {} ({} pillars, {} indicators, {} questions)",
                        path.display(),
                        questionnaire.reference(),
                        questionnaire.pillars.len(),
                        questionnaire.indicators.len(),
                        questionnaire.questions.len()
                    );
                    catalog.add(questionnaire);
                    valid += 1;
                }
                Err(found) => {
                    any_error |= print_findings(&found);
                    invalid += 1;
                }
            },
            Some(DocumentKind::Response) => responses.push(source),
            None => {
                print_findings(&[Diagnostic::error(
                    path,
                    Position::new(1, 1),
                    "cannot tell what this file is; expected a questionnaire (with `pillars:`) or a response (with `questionnaire:`)",
                )]);
                any_error = true;
                invalid += 1;
            }
        }
    }
    for source in responses {
        let path = &source.path;
        let doc: ResponseDoc = match read_response_doc(&source) {
            Ok(doc) => doc,
            Err(d) => {
                any_error |= print_findings(&[d]);
                invalid += 1;
                continue;
            }
        };
        let header = ResponseHeader::of(&doc);
        let Some(questionnaire) = catalog.resolve(&header.questionnaire) else {
            print_findings(&[Diagnostic::error(
                path,
                header.questionnaire_position,
                format!(
                    "unknown questionnaire `{}`; expected a built-in questionnaire, or its file given with --questionnaire or among the files",
                    header.questionnaire.escape_debug()
                ),
            )]);
            any_error = true;
            invalid += 1;
            continue;
        };
        // The document is already parsed: check it, rather than read the file again.
        match check_response(path, &doc, questionnaire) {
            Ok((response, warnings)) => {
                print_findings(&warnings);
                eprintln!(
                    "{}: ok: response for {} {} ({} answers)",
                    path.display(),
                    response.country,
                    response.round,
                    response.answers.len()
                );
                valid += 1;
            }
            Err(found) => {
                any_error |= print_findings(&found);
                invalid += 1;
            }
        }
    }
    eprintln!(
        "{} file(s) checked: {valid} valid, {invalid} invalid",
        valid + invalid
    );
    Ok(Outcome::from_errors(any_error))
}
