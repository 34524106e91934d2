//! `cybercap validate FILE...`: checks questionnaires and responses, kind read from the content.

use cybercap::Error;
use cybercap::inputs::{Catalog, expand_inputs};
use cybercap::validate::{Valid, check_files};

use super::{Outcome, print_findings};
use crate::cli::ValidateArgs;

/// Validates every file; questionnaires first, so responses can be checked against them.
pub fn run(args: ValidateArgs) -> Result<Outcome, Error> {
    let mut catalog = Catalog::new(args.questionnaire.as_slice())?;
    let lang = args.lang.as_deref();
    // The questionnaire named on the command line is checked even when no response names it.
    if let Some(chosen) = catalog.chosen() {
        chosen.language(lang)?;
    }
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
    for checked in check_files(&mut catalog, &files, lang)? {
        print_findings(&checked.findings);
        let path = checked.path.display();
        match checked.valid {
            Some(Valid::Questionnaire {
                reference,
                sizes: [pillars, indicators, questions],
            }) => {
                eprintln!(
                    "{path}: ok: questionnaire {reference} ({pillars} pillars, {indicators} indicators, {questions} questions)"
                );
                valid += 1;
            }
            Some(Valid::Response {
                country,
                round,
                answers,
            }) => {
                eprintln!("{path}: ok: response for {country} {round} ({answers} answers)");
                valid += 1;
            }
            None => {
                any_error = true;
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
