//! `cybercap export RESPONSES...`: response files as one CSV or XLSX table in the import layout.

use cybercap::Error;
use cybercap::export::{export_csv, export_xlsx};
use cybercap::fsio::write_atomic;
use cybercap::inputs::{Catalog, expand_inputs, inventory};

use super::{Outcome, print_findings};
use crate::cli::{ExportArgs, ExportFormat};

/// Writes the table to `--out` or standard output; files that cannot be exported are reported
/// and left out (exit 1).
pub fn run(args: ExportArgs) -> Result<Outcome, Error> {
    if args.format == ExportFormat::Xlsx && args.out.is_none() {
        return Err(Error::Usage(
            "an XLSX table needs --out FILE (it is not text)".to_owned(),
        ));
    }
    if args.format == ExportFormat::Csv && args.lang.is_some() {
        return Err(Error::Usage(
            "--lang names the language of the XLSX sheet describing the columns; a CSV export holds ids, the same in every language (drop --lang, or use --format xlsx)".to_owned(),
        ));
    }
    if let Some(path) = args.out.as_deref().filter(|p| p.exists() && !args.force) {
        return Err(Error::Refused(format!(
            "{} exists; expected --force to replace it, or another --out",
            path.display()
        )));
    }
    let catalog = Catalog::new(args.questionnaire.as_slice())?;
    let files = expand_inputs(&args.responses)?;
    let inventory = inventory(&catalog, &files, None)?;
    if inventory.versions.len() > 1 {
        let versions: Vec<String> = inventory.versions.iter().map(|q| q.reference()).collect();
        return Err(Error::Usage(format!(
            "the responses answer {}; a table holds the answers to one version (export the rounds of each version apart)",
            versions.join(" and ")
        )));
    }
    let lang = inventory
        .questionnaire
        .language(args.lang.as_deref())?
        .to_owned();
    let (bytes, summary) = match args.format {
        ExportFormat::Csv => {
            let mut bytes = Vec::new();
            let summary = export_csv(&inventory, &mut bytes)?;
            (bytes, summary)
        }
        ExportFormat::Xlsx => export_xlsx(&inventory, &lang)?,
    };
    let any_error = print_findings(&inventory.diagnostics) | print_findings(&summary.diagnostics);
    if summary.rows == 0 && any_error {
        eprintln!("no response could be exported; nothing written");
        return Ok(Outcome::Invalid);
    }
    match &args.out {
        Some(path) => {
            write_atomic(path, &bytes)?;
            let plural = if summary.rows == 1 { "" } else { "s" };
            eprintln!("{} response{plural} → {}", summary.rows, path.display());
        }
        None => super::print_out(&bytes)?,
    }
    Ok(Outcome::from_errors(any_error))
}
