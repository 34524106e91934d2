//! `cybercap explain RESPONSES... --country CODE`: the score tree of one country and round.

use cybercap::Error;
use cybercap::output::explain::{ExplainScope, explain_json, explain_text};
use cybercap::pipeline::score_country_round;

use super::{Inputs, Outcome, language, policy, print_findings, print_out};
use crate::cli::{ExplainArgs, ExplainFormat};

/// Explains one country and round (the latest round unless one is given).
pub fn run(args: ExplainArgs) -> Result<Outcome, Error> {
    let inputs = &args.inputs;
    let opened = Inputs::open(inputs)?;
    let (inventory, mut any_error) = opened.inventory()?;
    let questionnaire = inventory.questionnaire;
    let lang = language(inputs.lang.as_deref(), questionnaire);
    let country = &args.country;
    if let Some(id) = &args.indicator
        && !questionnaire.indicators.iter().any(|i| &i.id == id)
    {
        return Err(Error::Usage(format!(
            "unknown indicator `{}`; expected one of {}",
            id.escape_debug(),
            questionnaire
                .indicators
                .iter()
                .map(|i| i.id.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        )));
    }
    let rounds: Vec<_> = inventory
        .country_rounds
        .iter()
        .filter(|g| g.country == country)
        .collect();
    if rounds.is_empty() && any_error && inventory.country_rounds.is_empty() {
        // The inputs were all refused, and the findings above say why.
        eprintln!("error: no response for {country} could be read");
        return Ok(Outcome::Invalid);
    }
    if rounds.is_empty() {
        let countries: std::collections::BTreeSet<&str> = inventory
            .country_rounds
            .iter()
            .map(|g| g.country.as_str())
            .collect();
        return Err(Error::Usage(format!(
            "no response for {country}; the responses cover {}",
            countries.into_iter().collect::<Vec<_>>().join(", ")
        )));
    }
    let group = match &args.round {
        Some(round) => rounds
            .iter()
            .find(|g| g.round == round)
            .copied()
            .ok_or_else(|| {
                Error::Usage(format!(
                    "no response for {country} in round {}; its rounds are {}",
                    round,
                    rounds
                        .iter()
                        .map(|g| g.round.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ))
            })?,
        // Groups are sorted with rounds in natural order: the last is the latest.
        None => rounds[rounds.len() - 1],
    };
    let result = score_country_round(&inventory, group, policy(inputs.on_conflict));
    any_error |= print_findings(&result.diagnostics);
    any_error |= print_findings(&result.conflict_diagnostics(questionnaire, &inventory.sources));
    let Some(tree) = &result.tree else {
        eprintln!(
            "{} {}: no score (see the errors above)",
            result.country, result.round
        );
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
        ExplainFormat::Json => {
            let json = explain_json(questionnaire, &result, tree, &inventory.sources, scope);
            let mut text = serde_json::to_string_pretty(&json).unwrap_or_default();
            text.push('\n');
            text
        }
    };
    print_out(text.as_bytes())?;
    Ok(Outcome::from_errors(any_error))
}
