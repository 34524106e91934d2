//! `cybercap plan RESPONSES... --country CODE`: the fewest answer changes that lift a score to
//! its next stage.

use cybercap::Error;
use cybercap::analysis::plan::{Target, plan};
use cybercap::report::plan::{plan_error_text, plan_json, plan_text};
use cybercap::scoring::Stage;

use super::{Inputs, Outcome, country_round, print_out};
use crate::cli::{ExplainFormat, PlanArgs};

/// Plans for one country and round (the latest round unless one is given).
pub fn run(args: PlanArgs) -> Result<Outcome, Error> {
    let inputs = &args.inputs;
    let opened = Inputs::open(inputs)?;
    let (inventory, lang, mut any_error) = opened.inventory()?;
    let Some(result) = country_round(&inventory, &args.at, inputs.on_conflict, &mut any_error)?
    else {
        return Ok(Outcome::Invalid);
    };
    // The plan changes answers of the version the round was answered on.
    let questionnaire = inventory.versions[result.version];
    let target = Target::parse(questionnaire, &args.target).map_err(Error::Usage)?;
    let goal = args.stage.and_then(Stage::from_level);
    if result.tree.is_none() {
        eprintln!(
            "{} {}: no score (see the errors above)",
            result.country, result.round
        );
        return Ok(Outcome::Invalid);
    }
    let answers = result.merged.values();
    let found = match plan(questionnaire, &answers, target, goal) {
        Ok(found) => found,
        Err(error) => {
            eprintln!(
                "{} {}: {}",
                result.country,
                result.round,
                plan_error_text(questionnaire, target, goal, &error, &lang)
            );
            return Ok(Outcome::Invalid);
        }
    };
    let text = match args.format {
        ExplainFormat::Text => {
            plan_text(questionnaire, &result.country, &result.round, &found, &lang)
        }
        ExplainFormat::Json => {
            let json = plan_json(questionnaire, &result.country, &result.round, &found, &lang);
            let mut text = serde_json::to_string_pretty(&json)
                .map_err(|e| Error::internal("the plan as JSON", e))?;
            text.push('\n');
            text
        }
    };
    print_out(text.as_bytes())?;
    Ok(Outcome::from_errors(any_error))
}
