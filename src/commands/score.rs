//! `cybercap score RESPONSES...`: scores per country and round as a table, JSON or CSV, by the
//! questionnaire's pillars or, with `--by-framework`, by another framework's items.

use std::io::{self, BufWriter};

use cybercap::Error;
use cybercap::analysis::frameworks::{Crosswalk, choose_edition};
use cybercap::inputs::Inventory;
use cybercap::model::Questionnaire;
use cybercap::pipeline::score_all;
use cybercap::report::framework_scores::{FrameworkFormatter, FrameworkWriter};
use cybercap::report::scores::{ScoreFormat, ScoreWriter};
use cybercap::scoring::{ConflictPolicy, ScoreTree, ScoredCountryRound};

use super::{Inputs, Outcome, policy, print_findings};
use crate::cli::{ScoreArgs, ScoreFormatArg};

/// Scores every country and round, streaming the results to stdout.
pub fn run(args: ScoreArgs) -> Result<Outcome, Error> {
    let inputs = &args.inputs;
    let opened = Inputs::open(inputs)?;
    let (inventory, lang, any_error) = opened.inventory()?;
    let format = match args.format {
        ScoreFormatArg::Table => ScoreFormat::Table,
        ScoreFormatArg::Json => ScoreFormat::Json,
        ScoreFormatArg::Csv => ScoreFormat::Csv,
    };
    let policy = policy(inputs.on_conflict);
    let write_failed = Error::Output;
    let stdout = BufWriter::new(io::stdout().lock());
    let scoring_error = if let Some(asked) = &args.by_framework {
        let family = opened.catalog.versions_of(&inventory.questionnaire.id);
        let formatter = framework_formatter(&inventory, &family, asked, format, &lang)?;
        let mut writer = FrameworkWriter::new(formatter, stdout).map_err(write_failed)?;
        let formatter = writer.formatter().clone();
        let any_error = stream(
            &inventory,
            policy,
            |result, tree| formatter.render(result, tree),
            |bytes| writer.push_rendered(bytes),
        )?;
        writer.into_inner().map_err(write_failed)?;
        any_error
    } else {
        let mut writer =
            ScoreWriter::new(format, &inventory.versions, &lang, stdout).map_err(write_failed)?;
        let formatter = writer.formatter().clone();
        let any_error = stream(
            &inventory,
            policy,
            |result, tree| formatter.render(result, tree, &inventory.sources),
            |bytes| writer.push_rendered(bytes),
        )?;
        writer.finish().map_err(write_failed)?;
        any_error
    };
    Ok(Outcome::from_errors(any_error || scoring_error))
}

/// Scores every group and hands each rendering to `push` in order, printing the findings;
/// returns whether any finding was an error.
fn stream(
    inventory: &Inventory,
    policy: ConflictPolicy,
    render: impl Fn(&ScoredCountryRound, &ScoreTree) -> Vec<u8> + Sync,
    mut push: impl FnMut(&[u8]) -> io::Result<()>,
) -> Result<bool, Error> {
    let mut any_error = false;
    score_all(
        inventory,
        policy,
        // Formatting runs beside scoring, on every core: for small groups it costs as much.
        |mut result| {
            let findings = std::mem::take(&mut result.diagnostics);
            let rendered = result.tree.as_ref().map(|tree| render(&result, tree));
            (findings, rendered)
        },
        |(findings, rendered)| {
            any_error |= print_findings(&findings);
            match rendered {
                Some(bytes) => push(&bytes).map_err(Error::Output),
                None => Ok(()),
            }
        },
    )?;
    Ok(any_error)
}

/// What renders each group by the items of the edition `asked` names; refused when no question
/// of the run's questionnaire versions refers to any of them.
fn framework_formatter<'q>(
    inventory: &Inventory<'q>,
    family: &[&Questionnaire],
    asked: &str,
    format: ScoreFormat,
    lang: &str,
) -> Result<FrameworkFormatter<'q>, Error> {
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
    FrameworkFormatter::new(format, lang, edition, versions)
        .ok_or_else(|| Error::NotFound("no questionnaire to score by".to_owned()))
}
