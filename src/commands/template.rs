//! `cybercap template QUESTIONNAIRE`: an answer sheet in YAML, the CSV import layout or an XLSX
//! form; blank, or starting from a country's answers in its previous round (`--from`).

use std::path::Path;

use cybercap::Error;
use cybercap::fsio::write_atomic;
use cybercap::inputs::{Catalog, expand_inputs, inventory};
use cybercap::model::Round;
use cybercap::prefill::{SheetFormat, earlier_answers, prefilled_sheet};
use cybercap::template::{csv_header, xlsx_template, yaml_template};
use cybercap::xlsform::xlsform;

use super::{Outcome, policy, print_findings};
use crate::cli::{TemplateArgs, TemplateFormat};

/// Writes the sheet to `--out` (never over an existing file) or to standard output.
pub fn run(args: TemplateArgs) -> Result<Outcome, Error> {
    if !args.from.is_empty() {
        return prefilled(&args);
    }
    let questionnaire = &Catalog::questionnaire(&args.questionnaire)?;
    let lang = questionnaire.language(args.lang.as_deref())?.to_owned();
    let round = args.round.clone().unwrap_or_else(Round::current_year);
    let bytes = match args.format {
        TemplateFormat::Yaml => yaml_template(questionnaire, &lang, round.as_str()).into_bytes(),
        TemplateFormat::Xlsx => {
            if args.out.is_none() {
                return Err(xlsx_needs_out());
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
    write_sheet(args.out.as_deref(), &bytes)
}

/// The sheet for `--round` that starts from the answers of `--country` in its latest round
/// among the `--from` responses.
fn prefilled(args: &TemplateArgs) -> Result<Outcome, Error> {
    let (Some(country), Some(round)) = (&args.country, &args.round) else {
        return Err(Error::Usage(
            "--from needs --country and --round: whose answers, and the round of the sheet"
                .to_owned(),
        ));
    };
    let format = match args.format {
        TemplateFormat::Yaml => SheetFormat::Yaml,
        TemplateFormat::Csv => SheetFormat::Csv,
        TemplateFormat::Xlsx => SheetFormat::Xlsx,
        // A form for a survey tool is blank by nature: the tool holds the answers.
        TemplateFormat::Xlsform => {
            return Err(Error::Usage(
                "--from fills a yaml, csv or xlsx sheet; an XLSForm is always blank (choose --format yaml, csv or xlsx)".to_owned(),
            ));
        }
    };
    if format == SheetFormat::Xlsx && args.out.is_none() {
        return Err(xlsx_needs_out());
    }
    let catalog = Catalog::new(std::slice::from_ref(&args.questionnaire))?;
    let Some(sheet) = catalog.chosen() else {
        return Err(Error::internal(
            "the sheet",
            "the questionnaire named is not in the catalogue",
        ));
    };
    let lang = sheet.language(args.lang.as_deref())?.to_owned();
    let files = expand_inputs(&args.from)?;
    let inventory = inventory(&catalog, &files, None)?;
    let (prefill, warnings) =
        earlier_answers(&inventory, sheet, country, round, policy(args.on_conflict))?;
    print_findings(&warnings);
    let bytes = prefilled_sheet(sheet, &lang, round, &prefill, format)?;
    let given = prefill.answers.iter().flatten().count();
    eprintln!(
        "{given} answers of {country} in round {} to review, for round {round}",
        prefill.round
    );
    write_sheet(args.out.as_deref(), &bytes)
}

fn xlsx_needs_out() -> Error {
    Error::Usage("an XLSX sheet needs --out FILE (it is not text)".to_owned())
}

/// Writes a sheet to `out`, never over an existing file, or to standard output.
fn write_sheet(out: Option<&Path>, bytes: &[u8]) -> Result<Outcome, Error> {
    match out {
        Some(path) if path.exists() => Err(Error::Refused(format!(
            "{} exists; a sheet never replaces a file that may hold answers (choose another --out)",
            path.display()
        ))),
        Some(path) => {
            write_atomic(path, bytes)?;
            eprintln!("{}", path.display());
            Ok(Outcome::Success)
        }
        None => {
            super::print_out(bytes)?;
            Ok(Outcome::Success)
        }
    }
}
