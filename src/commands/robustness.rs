//! `cybercap robustness RESPONSES...`: how far ranks and stages move under other weights,
//! aggregation and treatment of `unknown`, and which assumption moves them most.

use cybercap::Error;
use cybercap::analysis::robustness::{Aggregation, Prepared, Settings, UnknownTreatment, analyse};
use cybercap::pipeline::score_all;
use cybercap::report::robustness::{render_csv, render_json, render_text};

use super::{Inputs, Outcome, policy, print_findings, print_out};
use crate::cli::{AggregationArg, RobustnessArgs, RobustnessFormat, UnknownArg};

/// Scores every country and round once, then runs the draws on the scores.
pub fn run(args: RobustnessArgs) -> Result<Outcome, Error> {
    let aggregation = match args.aggregation {
        AggregationArg::Arithmetic => vec![Aggregation::Arithmetic],
        AggregationArg::Geometric => vec![Aggregation::Geometric],
        AggregationArg::Both => vec![Aggregation::Arithmetic, Aggregation::Geometric],
    };
    let unknown = match args.unknown {
        UnknownArg::Zero => vec![UnknownTreatment::Zero],
        UnknownArg::Omit => vec![UnknownTreatment::Omit],
        UnknownArg::Both => vec![UnknownTreatment::Zero, UnknownTreatment::Omit],
    };
    // Checked before any file is read, so a mistyped flag costs nothing.
    let settings = Settings::new(
        args.draws,
        args.seed,
        args.perturbation,
        aggregation,
        unknown,
    )?;
    let inputs = &args.inputs;
    let opened = Inputs::open(inputs)?;
    let (inventory, lang, mut any_error) = opened.inventory()?;
    let mut prepared = Prepared::new(&inventory.versions);
    score_all(
        &inventory,
        policy(inputs.on_conflict),
        |result| result,
        |result| {
            any_error |= print_findings(&result.diagnostics);
            prepared.push_scored(&result);
            Ok::<(), Error>(())
        },
    )?;
    if prepared.is_empty() {
        return Err(Error::NotFound(
            "no country and round could be scored; expected at least one to rank (see the errors above)"
                .to_owned(),
        ));
    }
    let result = analyse(&prepared, &settings);
    let text = match args.format {
        RobustnessFormat::Text => render_text(&result, &inventory.versions, &lang),
        RobustnessFormat::Json => {
            let mut text = serde_json::to_string_pretty(&render_json(&result, &inventory.versions))
                .map_err(|e| Error::internal("the robustness results as JSON", e))?;
            text.push('\n');
            text
        }
        RobustnessFormat::Csv => render_csv(&result, &inventory.versions),
    };
    print_out(text.as_bytes())?;
    Ok(Outcome::from_errors(any_error))
}
