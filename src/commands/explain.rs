//! `cybercap explain RESPONSES... --country CODE`: the score tree of one country and round.

use cybercap::Error;
use cybercap::analysis::agreement::respondent_agreement;
use cybercap::report::agreement::{explain_unscored_json, explain_unscored_text};
use cybercap::report::explain::{ExplainScope, explain_json, explain_text};

use super::{Inputs, Outcome, country_round, print_out};
use crate::cli::{ExplainArgs, ExplainFormat};

/// Explains one country and round (the latest round unless one is given).
pub fn run(args: ExplainArgs) -> Result<Outcome, Error> {
    let inputs = &args.inputs;
    let opened = Inputs::open(inputs)?;
    let (inventory, lang, mut any_error) = opened.inventory()?;
    let Some(result) = country_round(&inventory, &args.at, inputs.on_conflict, &mut any_error)?
    else {
        return Ok(Outcome::Invalid);
    };
    // The round is explained on the version it was answered on.
    let questionnaire = inventory.versions[result.version];
    if let Some(id) = &args.indicator
        && !questionnaire.indicators.iter().any(|i| &i.id == id)
    {
        return Err(Error::NotFound(format!(
            "unknown indicator `{}` in {}; expected one of {}",
            id.escape_debug(),
            questionnaire.reference(),
            questionnaire
                .indicators
                .iter()
                .map(|i| i.id.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )));
    }
    let Some(tree) = &result.tree else {
        eprintln!(
            "{} {}: no score (see the errors above)",
            result.country, result.round
        );
        // Respondents who disagree leave the round unscored: how far they agree is then what
        // the meeting that reconciles them needs.
        if let Some(agreement) = respondent_agreement(questionnaire, &result) {
            let text = match args.format {
                ExplainFormat::Text => explain_unscored_text(
                    questionnaire,
                    &result,
                    &agreement,
                    &inventory.sources,
                    &lang,
                ),
                ExplainFormat::Json => json_text(&explain_unscored_json(
                    questionnaire,
                    &result,
                    &agreement,
                    &inventory.sources,
                ))?,
            };
            print_out(text.as_bytes())?;
        }
        return Ok(Outcome::Invalid);
    };
    let scope = ExplainScope {
        indicator: args.indicator.as_deref(),
        lang: &lang,
    };
    let text = match args.format {
        ExplainFormat::Text => {
            explain_text(questionnaire, &result, tree, &inventory.sources, scope)
        }
        ExplainFormat::Json => json_text(&explain_json(
            questionnaire,
            &result,
            tree,
            &inventory.sources,
            scope,
        ))?,
    };
    print_out(text.as_bytes())?;
    Ok(Outcome::from_errors(any_error))
}

/// The explanation as indented JSON, ending with a newline.
fn json_text(json: &serde_json::Value) -> Result<String, Error> {
    let mut text = serde_json::to_string_pretty(json)
        .map_err(|e| Error::internal("the explanation as JSON", e))?;
    text.push('\n');
    Ok(text)
}
