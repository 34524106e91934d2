//! `cybercap score RESPONSES...`: scores per country and round as a table, JSON or CSV.

use std::io::{self, BufWriter};

use cybercap::Error;
use cybercap::pipeline::score_all;
use cybercap::report::scores::{ScoreFormat, ScoreWriter};

use super::{Inputs, Outcome, policy, print_findings};
use crate::cli::{ScoreArgs, ScoreFormatArg};

/// Scores every country and round, streaming the results to stdout.
pub fn run(args: ScoreArgs) -> Result<Outcome, Error> {
    let inputs = &args.inputs;
    let opened = Inputs::open(inputs)?;
    let (inventory, lang, mut any_error) = opened.inventory()?;
    let format = match args.format {
        ScoreFormatArg::Table => ScoreFormat::Table,
        ScoreFormatArg::Json => ScoreFormat::Json,
        ScoreFormatArg::Csv => ScoreFormat::Csv,
    };
    let stdout = BufWriter::new(io::stdout().lock());
    let write_failed = Error::Output;
    let mut writer =
        ScoreWriter::new(format, &inventory.versions, &lang, stdout).map_err(write_failed)?;
    let formatter = writer.formatter().clone();
    score_all(
        &inventory,
        policy(inputs.on_conflict),
        // Formatting runs beside scoring, on every core: for small groups it costs as much.
        |mut result| {
            let findings = std::mem::take(&mut result.diagnostics);
            let rendered = result
                .tree
                .as_ref()
                .map(|tree| formatter.render(&result, tree, &inventory.sources));
            (findings, rendered)
        },
        |(findings, rendered)| {
            any_error |= print_findings(&findings);
            match rendered {
                Some(bytes) => writer.push_rendered(&bytes).map_err(write_failed),
                None => Ok(()),
            }
        },
    )?;
    writer.finish().map_err(write_failed)?;
    Ok(Outcome::from_errors(any_error))
}
