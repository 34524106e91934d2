//! `cybercap template QUESTIONNAIRE`: a blank answer sheet in YAML or the CSV import header.

use cybercap::Error;
use cybercap::fsio::write_atomic;
use cybercap::inputs::Catalog;
use cybercap::model::Round;
use cybercap::template::{csv_header, xlsx_template, yaml_template};
use cybercap::xlsform::xlsform;

use super::Outcome;
use crate::cli::{TemplateArgs, TemplateFormat};

/// Writes the sheet to `--out` (never over an existing file) or to standard output.
pub fn run(args: TemplateArgs) -> Result<Outcome, Error> {
    let questionnaire = &Catalog::questionnaire(&args.questionnaire)?;
    let lang = questionnaire.language(args.lang.as_deref())?.to_owned();
    let round = args.round.clone().unwrap_or_else(Round::current_year);
    let bytes = match args.format {
        TemplateFormat::Yaml => yaml_template(questionnaire, &lang, round.as_str()).into_bytes(),
        TemplateFormat::Xlsx => {
            if args.out.is_none() {
                return Err(Error::Usage(
                    "an XLSX sheet needs --out FILE (it is not text)".to_owned(),
                ));
            }
            xlsx_template(questionnaire, &lang, round.as_str())
                .map_err(|e| Error::internal("the XLSX sheet", e))?
        }
        TemplateFormat::Csv => csv_header(questionnaire)?,
        TemplateFormat::Xlsform if args.out.is_none() => {
            return Err(Error::Usage(
                "an XLSForm needs --out FILE.xlsx (it is an XLSX workbook)".to_owned(),
            ));
        }
        TemplateFormat::Xlsform => xlsform(questionnaire, &lang, round.as_str())?,
    };
    match &args.out {
        Some(path) if path.exists() => Err(Error::Refused(format!(
            "{} exists; a blank sheet never replaces a file that may hold answers (choose another --out)",
            path.display()
        ))),
        Some(path) => {
            write_atomic(path, &bytes)?;
            eprintln!("{}", path.display());
            Ok(Outcome::Success)
        }
        None => {
            super::print_out(&bytes)?;
            Ok(Outcome::Success)
        }
    }
}
