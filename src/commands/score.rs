//! `cybercap score RESPONSES...`: scores per country and round as a table, JSON or CSV.

use std::io::{self, BufWriter};

use cybercap::Error;
use cybercap::analysis::frameworks::{Crosswalk, choose_edition};
use cybercap::inputs::Inventory;
use cybercap::model::Questionnaire;
use cybercap::pipeline::score_all;
use cybercap::report::framework_scores::{FrameworkFormatter, FrameworkWriter};
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
    if let Some(asked) = &args.by_framework {
        let family = opened.catalog.versions_of(&inventory.questionnaire.id);
        let any_error = by_framework(
            &inventory,
            &family,
            asked,
            format,
            &lang,
            policy(inputs.on_conflict),
        )? || any_error;
        return Ok(Outcome::from_errors(any_error));
    }
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

/// Scores every country and round by the items of another framework's edition; returns whether
/// any finding was an error.
fn by_framework(
    inventory: &Inventory,
    family: &[&Questionnaire],
    asked: &str,
    format: ScoreFormat,
    lang: &str,
    policy: cybercap::scoring::ConflictPolicy,
) -> Result<bool, Error> {
    let edition = choose_edition(asked, family)?;
    let versions: Vec<(&Questionnaire, Crosswalk)> = inventory
        .versions
        .iter()
        .map(|&q| (q, Crosswalk::new(q, edition, family)))
        .collect();
    if !versions.iter().any(|(_, walk)| walk.maps_any()) {
        let references: Vec<String> = inventory.versions.iter().map(|q| q.reference()).collect();
        return Err(Error::Usage(format!(
            "--by-framework {}: no question of {} refers to an item of {}",
            asked.escape_debug(),
            references.join(" or "),
            edition.id()
        )));
    }
    let write_failed = Error::Output;
    let formatter = FrameworkFormatter::new(format, lang, edition, versions)
        .ok_or_else(|| Error::NotFound("no questionnaire to score by".to_owned()))?;
    let stdout = BufWriter::new(io::stdout().lock());
    let mut writer = FrameworkWriter::new(formatter, stdout).map_err(write_failed)?;
    let formatter = writer.formatter().clone();
    let mut any_error = false;
    score_all(
        inventory,
        policy,
        |mut result| {
            let findings = std::mem::take(&mut result.diagnostics);
            let rendered = result
                .tree
                .as_ref()
                .map(|tree| formatter.render(&result, tree));
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
    writer.into_inner().map_err(write_failed)?;
    Ok(any_error)
}
