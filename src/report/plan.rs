//! How a plan reads: as text for the terminal, and as JSON.

use std::fmt::Write as _;

use serde_json::{Value, json};

use super::answers::{answer_in, response_value};
use crate::analysis::plan::{Exactness, Plan, PlanError, Target};
use crate::i18n::labels::{label, label_with};
use crate::model::{CountryCode, Questionnaire, Round};
use crate::numbers::NumberStyle;
use crate::scoring::{Stage, level_points};

/// What a plan lifts, named in `lang`: "Overall", or the pillar's or indicator's title.
pub fn target_name(questionnaire: &Questionnaire, target: Target, lang: &str) -> String {
    match target {
        Target::Overall => label("overall", lang),
        Target::Pillar(p) => questionnaire.pillars[p].title.get(lang).to_owned(),
        Target::Indicator(i) => questionnaire.indicators[i].title.get(lang).to_owned(),
    }
}

/// Why there is no plan, in `lang`.
pub fn plan_error_text(
    questionnaire: &Questionnaire,
    target: Target,
    goal: Option<Stage>,
    error: &PlanError,
    lang: &str,
) -> String {
    let numbers = NumberStyle::of(lang);
    match error {
        PlanError::NoScore => label_with(
            "plan_no_score",
            lang,
            &[("target", &target_name(questionnaire, target, lang))],
        ),
        PlanError::Unreachable { best } => label_with(
            "plan_unreachable",
            lang,
            &[
                ("goal", &goal.map(|g| g.to_string()).unwrap_or_default()),
                ("best", &numbers.score(Some(*best))),
            ],
        ),
    }
}

/// The sentence that says whether a smaller plan could exist.
pub fn exactness_text(questionnaire: &Questionnaire, exactness: &Exactness, lang: &str) -> String {
    match exactness {
        Exactness::Optimal => label("plan_optimal", lang),
        Exactness::Bounded(parts) if parts.is_empty() => label("plan_bounded_scores", lang),
        Exactness::Bounded(parts) => parts
            .iter()
            .map(|(indicators, changes)| {
                let names: Vec<&str> = indicators
                    .iter()
                    .map(|&i| questionnaire.indicators[i].title.get(lang))
                    .collect();
                label_with(
                    "plan_bounded",
                    lang,
                    &[
                        ("n", &changes.to_string()),
                        ("indicators", &names.join(&label("semicolon", lang))),
                    ],
                )
            })
            .collect::<Vec<_>>()
            .join(" "),
    }
}

/// The count of changes and the score they reach: "2 answer changes reach 51.3."
pub fn changes_text(plan: &Plan, lang: &str) -> String {
    let reached = NumberStyle::of(lang).score(Some(plan.reached));
    if plan.changes.len() == 1 {
        label_with("plan_changes_one", lang, &[("reached", &reached)])
    } else {
        label_with(
            "plan_changes",
            lang,
            &[
                ("n", &plan.changes.len().to_string()),
                ("reached", &reached),
            ],
        )
    }
}

/// Said instead of the changes when there are none.
pub fn nothing_text(plan: &Plan, lang: &str) -> String {
    if plan.stage() == Stage::ALL[4] {
        label("plan_top", lang)
    } else {
        label_with(
            "plan_nothing",
            lang,
            &[("stage", &plan.stage().to_string())],
        )
    }
}

/// The plan for the terminal.
pub fn plan_text(
    questionnaire: &Questionnaire,
    country: &CountryCode,
    round: &Round,
    plan: &Plan,
    lang: &str,
) -> String {
    let numbers = NumberStyle::of(lang);
    let quote = |text: &str| {
        format!(
            "{}{text}{}",
            label("quote_open", lang),
            label("quote_close", lang)
        )
    };
    let mut out = String::new();
    let _ = writeln!(out, "{country} {round} · {}", questionnaire.reference());
    let _ = writeln!(
        out,
        "{}",
        label_with(
            "plan_title",
            lang,
            &[
                ("stage", &plan.goal.label(questionnaire, lang)),
                ("target", &target_name(questionnaire, plan.target, lang)),
            ],
        )
    );
    let _ = writeln!(
        out,
        "{}",
        label_with(
            "plan_now",
            lang,
            &[
                ("score", &numbers.score(Some(plan.score))),
                ("stage", &plan.stage().label(questionnaire, lang)),
                ("goal", &plan.goal.to_string()),
                (
                    "threshold",
                    &numbers.score(Some(level_points(plan.goal.level()))),
                ),
            ],
        )
    );
    if plan.changes.is_empty() {
        let _ = writeln!(out, "{}", nothing_text(plan, lang));
        return out;
    }
    let _ = writeln!(
        out,
        "{} {}\n",
        changes_text(plan, lang),
        exactness_text(questionnaire, &plan.exactness, lang)
    );
    for (n, change) in plan.changes.iter().enumerate() {
        let question = &questionnaire.questions[change.question];
        let _ = writeln!(
            out,
            "{}. {} — {}",
            n + 1,
            question.id,
            question.text.get(lang)
        );
        let from = answer_in(question, change.from.as_ref(), lang);
        let to = answer_in(question, Some(&change.to), lang);
        let gain = numbers.delta(Some(change.gain));
        let _ = writeln!(
            out,
            "   {}\n   {}",
            label_with("plan_from", lang, &[("answer", &from)]),
            label_with("plan_to", lang, &[("answer", &to), ("gain", &gain)])
        );
    }
    let _ = writeln!(out, "\n{}", label("plan_gain_note", lang));
    // An indicator's own descriptor follows; the stages' descriptions speak of the whole.
    if let Some(description) = questionnaire.stage_description(plan.goal.level(), lang)
        && !matches!(plan.target, Target::Indicator(_))
    {
        let _ = writeln!(
            out,
            "\n{}{} {}",
            plan.goal.label(questionnaire, lang),
            label("colon", lang),
            quote(description)
        );
    }
    let descriptors: Vec<(usize, Stage, &str)> = plan
        .indicators
        .iter()
        .filter_map(|&(i, stage)| {
            let text = questionnaire.indicators[i]
                .descriptors
                .get(&stage.level())?;
            Some((i, stage, text.get(lang)))
        })
        .collect();
    if !descriptors.is_empty() {
        let _ = writeln!(out, "\n{}", label("plan_descriptors", lang));
        for (i, stage, text) in descriptors {
            let _ = writeln!(
                out,
                "  {}{} {}",
                label_with(
                    "plan_indicator_stage",
                    lang,
                    &[
                        ("indicator", questionnaire.indicators[i].title.get(lang)),
                        ("stage", &stage.label(questionnaire, lang)),
                    ],
                ),
                label("colon", lang),
                quote(text)
            );
        }
    }
    out
}

/// The plan as JSON: the shape README documents.
pub fn plan_json(
    questionnaire: &Questionnaire,
    country: &CountryCode,
    round: &Round,
    plan: &Plan,
    lang: &str,
) -> Value {
    let (optimal, bounds) = match &plan.exactness {
        Exactness::Optimal => (true, Vec::new()),
        Exactness::Bounded(parts) => (
            false,
            parts
                .iter()
                .map(|(indicators, changes)| {
                    json!({
                        "indicators": indicators
                            .iter()
                            .map(|&i| questionnaire.indicators[i].id.as_str())
                            .collect::<Vec<_>>(),
                        "most_changes_tried": changes,
                    })
                })
                .collect(),
        ),
    };
    let changes: Vec<Value> = plan
        .changes
        .iter()
        .map(|change| {
            let question = &questionnaire.questions[change.question];
            json!({
                "question": question.id,
                "indicator": questionnaire.indicators[question.indicator].id,
                "text": question.text.get(lang),
                "from": change.from.as_ref().map(|v| response_value(question, v)),
                "to": response_value(question, &change.to),
                "gain": change.gain,
                "jump": change.jump,
            })
        })
        .collect();
    let descriptors: Vec<Value> = plan
        .indicators
        .iter()
        .map(|&(i, stage)| {
            let indicator = &questionnaire.indicators[i];
            json!({
                "indicator": indicator.id,
                "stage": stage,
                "descriptor": indicator.descriptors.get(&stage.level()).map(|t| t.get(lang)),
            })
        })
        .collect();
    json!({
        "questionnaire": {"id": questionnaire.id, "version": questionnaire.version},
        "generator": crate::GENERATOR,
        "country": country,
        "round": round,
        "target": {"level": plan.target.level(), "id": plan.target.id(questionnaire)},
        "score": plan.score,
        "stage": plan.stage(),
        "goal": plan.goal,
        "threshold": level_points(plan.goal.level()),
        "reached": plan.reached,
        "optimal": optimal,
        "bounds": bounds,
        "changes": changes,
        "stage_description": questionnaire.stage_description(plan.goal.level(), lang),
        "indicators": descriptors,
    })
}
