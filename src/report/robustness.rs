//! How a `robustness` run reads: as text (in the reader's language), JSON and long CSV.

use serde::Serialize;

use super::scores::csv_field;
use super::table::{Align, Table};
use crate::i18n::labels::{counted, label, label_with};
use crate::model::Questionnaire;
use crate::numbers::NumberStyle;

use crate::analysis::robustness::{
    Aggregation, Assumption, Robustness, RoundRobustness, Settings, UnknownTreatment,
};

/// The JSON document of a run (see README, `robustness`).
#[derive(Debug, Serialize)]
pub struct RobustnessJson {
    generator: &'static str,
    questionnaire: String,
    draws: usize,
    seed: u64,
    perturbation: f64,
    aggregation: Vec<Aggregation>,
    unknown: Vec<UnknownTreatment>,
    rounds: Vec<RoundJson>,
}

#[derive(Debug, Serialize)]
struct RoundJson {
    round: String,
    mean_rank_shift: f64,
    most_influential: Option<Assumption>,
    sensitivity: Vec<SensitivityJson>,
    countries: Vec<CountryJson>,
}

#[derive(Debug, Serialize)]
struct SensitivityJson {
    assumption: Assumption,
    varied: bool,
    first_order: Option<f64>,
    total: Option<f64>,
}

#[derive(Debug, Serialize)]
struct CountryJson {
    country: String,
    questionnaire: String,
    score: f64,
    rank: usize,
    median_rank: Option<usize>,
    rank_p05: Option<usize>,
    rank_p95: Option<usize>,
    stage: u8,
    stage_probabilities: [f64; 5],
    pillars: Vec<PillarJson>,
}

#[derive(Debug, Serialize)]
struct PillarJson {
    id: String,
    stage: Option<u8>,
    stage_probabilities: [f64; 5],
}

/// The JSON document of `robustness`.
pub fn render_json(result: &Robustness, versions: &[&Questionnaire]) -> RobustnessJson {
    let settings = &result.settings;
    RobustnessJson {
        generator: crate::GENERATOR,
        questionnaire: versions.first().map_or_else(String::new, |q| q.id.clone()),
        draws: settings.draws,
        seed: settings.seed,
        perturbation: settings.perturbation,
        aggregation: settings.aggregation.clone(),
        unknown: settings.unknown.clone(),
        rounds: result
            .rounds
            .iter()
            .map(|round| RoundJson {
                round: round.round.to_string(),
                mean_rank_shift: round.mean_rank_shift,
                most_influential: round.most_influential(),
                sensitivity: round
                    .sensitivity
                    .iter()
                    .map(|s| SensitivityJson {
                        assumption: s.assumption,
                        varied: settings.varies(s.assumption),
                        first_order: s.first_order,
                        total: s.total,
                    })
                    .collect(),
                countries: round
                    .countries
                    .iter()
                    .map(|c| {
                        let questionnaire = versions[c.version];
                        CountryJson {
                            country: c.country.to_string(),
                            questionnaire: questionnaire.reference(),
                            score: c.score,
                            rank: c.rank,
                            median_rank: c.median_rank,
                            rank_p05: c.rank_low,
                            rank_p95: c.rank_high,
                            stage: c.stage.level(),
                            stage_probabilities: c.stage_probabilities,
                            pillars: c
                                .pillars
                                .iter()
                                .map(|p| PillarJson {
                                    id: questionnaire.pillars[p.pillar].id.clone(),
                                    stage: p.stage.map(|s| s.level()),
                                    stage_probabilities: p.stage_probabilities,
                                })
                                .collect(),
                        }
                    })
                    .collect(),
            })
            .collect(),
    }
}

/// The long CSV of `robustness`: `round,country,level,id,measure,value`, one row per country,
/// round and measure, then each round's sensitivity indices and mean rank shift (country empty).
pub fn render_csv(result: &Robustness, versions: &[&Questionnaire]) -> String {
    let mut out = String::from("round,country,level,id,measure,value\n");
    let mut row =
        |round: &str, country: &str, level: &str, id: &str, measure: &str, value: String| {
            let cells = [round, country, level, id, measure, &value];
            let line: Vec<std::borrow::Cow<'_, str>> = cells.iter().map(|c| csv_field(c)).collect();
            out.push_str(&line.join(","));
            out.push('\n');
        };
    let optional = |v: Option<usize>| v.map_or_else(String::new, |v| v.to_string());
    for round in &result.rounds {
        let r = round.round.as_str();
        for c in &round.countries {
            let questionnaire = versions[c.version];
            let country = c.country.as_str();
            let id = questionnaire.id.as_str();
            row(r, country, "overall", id, "score", c.score.to_string());
            row(r, country, "overall", id, "rank", c.rank.to_string());
            row(
                r,
                country,
                "overall",
                id,
                "median_rank",
                optional(c.median_rank),
            );
            row(r, country, "overall", id, "rank_p05", optional(c.rank_low));
            row(r, country, "overall", id, "rank_p95", optional(c.rank_high));
            row(r, country, "overall", id, "stage", c.stage.to_string());
            for (s, p) in c.stage_probabilities.iter().enumerate() {
                row(
                    r,
                    country,
                    "overall",
                    id,
                    &format!("p_stage_{}", s + 1),
                    p.to_string(),
                );
            }
            for pillar in &c.pillars {
                let id = questionnaire.pillars[pillar.pillar].id.as_str();
                let stage = pillar.stage.map_or_else(String::new, |s| s.to_string());
                row(r, country, "pillar", id, "stage", stage);
                for (s, p) in pillar.stage_probabilities.iter().enumerate() {
                    row(
                        r,
                        country,
                        "pillar",
                        id,
                        &format!("p_stage_{}", s + 1),
                        p.to_string(),
                    );
                }
            }
        }
        row(
            r,
            "",
            "round",
            r,
            "mean_rank_shift",
            round.mean_rank_shift.to_string(),
        );
        for s in &round.sensitivity {
            let value = |v: Option<f64>| v.map_or_else(String::new, |v| v.to_string());
            row(
                r,
                "",
                "sensitivity",
                s.assumption.key(),
                "first_order",
                value(s.first_order),
            );
            row(
                r,
                "",
                "sensitivity",
                s.assumption.key(),
                "total",
                value(s.total),
            );
        }
    }
    out
}

/// The settings as a reader checks them: draws, seed, and what was varied and what held fixed.
pub fn settings_lines(settings: &Settings, lang: &str) -> Vec<String> {
    let numbers = NumberStyle::of(lang);
    let mut lines = vec![label_with(
        "robustness_run",
        lang,
        &[
            ("draws", &settings.draws.to_string()),
            ("seed", &settings.seed.to_string()),
        ],
    )];
    let (mut varied, mut fixed) = (Vec::new(), Vec::new());
    for assumption in Assumption::ALL {
        let name = label(assumption.label_key(), lang);
        let text = match assumption {
            Assumption::QuestionWeights
            | Assumption::IndicatorWeights
            | Assumption::PillarWeights
                if settings.varies(assumption) =>
            {
                format!(
                    "{name} ±{}",
                    numbers.percent(Some(settings.perturbation / 100.0))
                )
            }
            Assumption::Aggregation => {
                let choices: Vec<String> = settings
                    .aggregation
                    .iter()
                    .map(|a| label(aggregation_key(*a), lang))
                    .collect();
                format!("{name} ({})", choices.join(" / "))
            }
            Assumption::Unknown => {
                let choices: Vec<String> = settings
                    .unknown
                    .iter()
                    .map(|u| label(unknown_key(*u), lang))
                    .collect();
                format!("{name} ({})", choices.join(" / "))
            }
            _ => name,
        };
        if settings.varies(assumption) {
            varied.push(text);
        } else {
            fixed.push(text);
        }
    }
    if !varied.is_empty() {
        let list = varied.join(&label("robustness_separator", lang));
        lines.push(label_with("robustness_varied", lang, &[("list", &list)]));
    }
    if !fixed.is_empty() {
        let list = fixed.join(&label("robustness_separator", lang));
        lines.push(label_with("robustness_fixed", lang, &[("list", &list)]));
    }
    lines
}

fn aggregation_key(aggregation: Aggregation) -> &'static str {
    match aggregation {
        Aggregation::Arithmetic => "robustness_arithmetic",
        Aggregation::Geometric => "robustness_geometric",
    }
}

fn unknown_key(unknown: UnknownTreatment) -> &'static str {
    match unknown {
        UnknownTreatment::Zero => "robustness_unknown_zero",
        UnknownTreatment::Omit => "robustness_unknown_omit",
    }
}

/// The name of the assumption that moves a round's ranks most, or the sentence that none does.
pub fn most_influential_sentence(round: &RoundRobustness, lang: &str) -> String {
    match round.most_influential() {
        Some(a) => label_with(
            "robustness_most_influential",
            lang,
            &[("assumption", &label(a.label_key(), lang))],
        ),
        None => label("robustness_none_influential", lang),
    }
}

/// The run as text in `lang`: settings, then per round the ranks and stage probabilities of each
/// country, its pillars' stages, and the sensitivity of the ranks to each assumption.
pub fn render_text(result: &Robustness, versions: &[&Questionnaire], lang: &str) -> String {
    let numbers = NumberStyle::of(lang);
    let mut out = String::new();
    out.push_str(&label("robustness_title", lang));
    out.push('\n');
    for line in settings_lines(&result.settings, lang) {
        out.push_str(&line);
        out.push('\n');
    }
    out.push_str(&label("robustness_ranks_note", lang));
    out.push('\n');
    let optional = |v: Option<usize>| v.map_or_else(|| "—".to_owned(), |v| v.to_string());
    for round in &result.rounds {
        out.push('\n');
        out.push_str(&label_with(
            "robustness_round",
            lang,
            &[
                ("round", round.round.as_str()),
                (
                    "countries",
                    &counted("count_countries", round.countries.len(), lang, &[]),
                ),
                ("shift", &numbers.decimal(round.mean_rank_shift, 2)),
            ],
        ));
        out.push_str("\n\n");
        let headers: Vec<String> = [
            label("country", lang),
            label("robustness_rank", lang),
            label("robustness_median", lang),
            label("robustness_interval", lang),
            label("stage", lang),
        ]
        .into_iter()
        .chain((1..=5).map(|n| label_with("robustness_p_stage", lang, &[("n", &n.to_string())])))
        .collect();
        let aligns = [Align::Left]
            .into_iter()
            .chain(std::iter::repeat_n(Align::Right, headers.len() - 1));
        let header: Vec<(&str, Align)> = headers.iter().map(String::as_str).zip(aligns).collect();
        let mut table = Table::new(&header);
        for c in &round.countries {
            let interval = format!("{}–{}", optional(c.rank_low), optional(c.rank_high));
            let mut cells = vec![
                c.country.to_string(),
                c.rank.to_string(),
                optional(c.median_rank),
                interval,
                c.stage.to_string(),
            ];
            cells.extend(
                c.stage_probabilities
                    .iter()
                    .map(|p| numbers.percent(Some(*p))),
            );
            table.row(cells);
        }
        out.push_str(&table.render());

        out.push('\n');
        out.push_str(&label("robustness_pillar_stages", lang));
        out.push('\n');
        for c in &round.countries {
            let questionnaire = versions[c.version];
            let pillars: Vec<String> = c
                .pillars
                .iter()
                .map(|p| {
                    let stages: Vec<String> = p
                        .stage_probabilities
                        .iter()
                        .enumerate()
                        .filter(|(_, share)| **share > 0.0)
                        .map(|(s, share)| format!("{} ({})", s + 1, numbers.percent(Some(*share))))
                        .collect();
                    let stages = if stages.is_empty() {
                        "—".to_owned()
                    } else {
                        stages.join(" · ")
                    };
                    label_with(
                        "robustness_pillar_line",
                        lang,
                        &[
                            ("pillar", questionnaire.pillars[p.pillar].short_title(lang)),
                            ("stages", &stages),
                        ],
                    )
                })
                .collect();
            let separator = label("robustness_separator", lang);
            out.push_str(&format!("  {}  {}\n", c.country, pillars.join(&separator)));
        }

        out.push('\n');
        out.push_str(&label("robustness_sensitivity", lang));
        out.push_str("\n\n");
        let mut table = Table::new(&[
            (&label("robustness_assumption", lang), Align::Left),
            (&label("robustness_first_order", lang), Align::Right),
            (&label("robustness_total", lang), Align::Right),
        ]);
        let not_varied = label("robustness_not_varied", lang);
        for s in &round.sensitivity {
            let index = |v: Option<f64>| match v {
                Some(v) => numbers.decimal(v, 2),
                None if result.settings.varies(s.assumption) => "—".to_owned(),
                None => not_varied.clone(),
            };
            table.row(vec![
                label(s.assumption.label_key(), lang),
                index(s.first_order),
                index(s.total),
            ]);
        }
        out.push_str(&table.render());
        out.push_str(&most_influential_sentence(round, lang));
        out.push('\n');
    }
    out
}
