//! `cybercap report RESPONSES... --out DIR`: the comparison report and its charts.

use cybercap::Error;
use cybercap::pipeline::{score_all, score_selected};
use cybercap::report::groups::Groups;
use cybercap::report::make_report;
use cybercap::report::model::{ReportData, ReportOptions};
use cybercap::report::render::Templates;
use cybercap::report::selection::Selection;
use cybercap::scoring::ScoredCountryRound;

use super::{Inputs, Outcome, policy, print_findings};
use crate::cli::ReportArgs;

/// Scores the responses and writes the report; prints the path of its main file.
pub fn run(args: ReportArgs) -> Result<Outcome, Error> {
    let inputs = &args.inputs;
    let opened = Inputs::open(inputs)?;
    let (groups, group_warnings) = match &args.groups {
        Some(path) => Groups::with_file(path)?,
        None => (Groups::defaults(), Vec::new()),
    };
    print_findings(&group_warnings);
    let selection = Selection::new(&args.countries, args.round.clone(), &groups)?;
    let (templates, template_warnings) = Templates::new(args.templates.as_deref())?;
    print_findings(&template_warnings);
    let (inventory, lang, mut any_error) = opened.inventory()?;
    // Chosen before the folder is touched: a selection of nothing leaves an earlier report.
    let selected = if selection.is_everything() {
        None
    } else {
        let buckets = selection.buckets(&inventory.country_rounds)?;
        for missing in selection.missing(&inventory.country_rounds) {
            eprintln!("warning: {missing}");
        }
        Some(buckets)
    };
    let options = ReportOptions {
        lang,
        tlp: args.tlp,
        generated: jiff::Timestamp::now(),
        respondent_names: args.respondent_names,
        conflict_policy: policy(inputs.on_conflict),
    };
    cybercap::fsio::prepare_out_folder(&args.out)?;
    super::remove_stale_temp_files(&[&args.out, &args.out.join("charts")]);
    let mut results = Vec::new();
    let policy = policy(inputs.on_conflict);
    let each = |result: ScoredCountryRound| {
        any_error |= print_findings(&result.diagnostics);
        results.push(result);
        Ok::<(), Error>(())
    };
    match &selected {
        None => score_all(&inventory, policy, |result| result, each)?,
        Some(buckets) => score_selected(&inventory, buckets, policy, |result| result, each)?,
    }
    let data = ReportData::new(
        &inventory.versions,
        &groups,
        &inventory.sources,
        options,
        results,
    );
    let outcome = make_report(&data, &args.out, args.format, &templates)?;
    if outcome.scored == 0 {
        eprintln!(
            "error: no response could be scored; nothing written in {}",
            args.out.display()
        );
        return Ok(Outcome::Invalid);
    }
    eprintln!(
        "report of {} countries and rounds: {} files in {}",
        outcome.scored,
        outcome.written.len(),
        args.out.display()
    );
    let main = ["index.html", "report.md", "scores.json", "scores.csv"]
        .iter()
        .map(|name| args.out.join(name))
        .find(|path| outcome.written.contains(path))
        .or_else(|| outcome.written.first().cloned());
    if let Some(path) = main {
        super::print_out(format!("{}\n", path.display()).as_bytes())?;
    }
    Ok(Outcome::from_errors(any_error))
}
