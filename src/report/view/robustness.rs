//! The report's section "How robust are these results": the latest round's ranks over the draws
//! of `robustness`, with the library's defaults and seed so that the same responses always give
//! the same figures, as a rank-interval chart and the table of each assumption's sensitivity.

use serde::Serialize;

use crate::analysis::robustness::{Prepared, Settings, analyse};
use crate::i18n::labels::{label, label_with};
use crate::report::charts::{RankInterval, RankLegend, rank_intervals_svg};
use crate::report::robustness::{most_influential_sentence, settings_lines};

use super::{Builder, Chart, ChartView, TableView};

/// The section's context.
#[derive(Debug, Serialize)]
pub(super) struct RobustnessView {
    intro: String,
    settings: Vec<String>,
    chart: ChartView,
    sensitivity: TableView,
    most_influential: String,
}

impl Builder<'_, '_> {
    /// The section, when the latest round has two countries or more to rank.
    pub(super) fn robustness_section(&mut self) -> Option<RobustnessView> {
        let data = self.data;
        let lang = self.lang;
        let round = data.latest_round()?;
        // Ranks are within a round, so only the latest round's results take part.
        let mut prepared = Prepared::new(&data.versions);
        for (index, result) in data.results.iter().enumerate() {
            if &result.round == round
                && let Some(tree) = data.own_tree(index)
            {
                prepared.push(&result.country, &result.round, result.version, tree);
            }
        }
        let settings = Settings::default();
        let result = analyse(&prepared, &settings);
        let latest = result.rounds.last()?;
        if latest.countries.len() < 2 {
            return None;
        }
        let rows: Vec<RankInterval> = latest
            .countries
            .iter()
            .map(|c| RankInterval {
                label: self.label(&c.country),
                actual: c.rank,
                median: c.median_rank,
                interval: c.rank_low.zip(c.rank_high),
            })
            .collect();
        let title = label_with(
            "robustness_chart_title",
            lang,
            &[
                ("round", round.as_str()),
                ("draws", &settings.draws.to_string()),
            ],
        );
        let legend = RankLegend {
            interval: label("robustness_legend_interval", lang),
            median: label("robustness_legend_median", lang),
            actual: label("robustness_legend_actual", lang),
        };
        let svg = rank_intervals_svg(&self.frame(), &title, &rows, &legend);
        let optional = |v: Option<usize>| v.map_or_else(|| "—".to_owned(), |v| v.to_string());
        let chart = self.add_chart(Chart {
            stem: "robustness".to_owned(),
            title,
            svg,
            header: vec![
                label("country", lang),
                label("robustness_rank", lang),
                label("robustness_median", lang),
                label("robustness_interval", lang),
            ],
            rows: latest
                .countries
                .iter()
                .zip(&rows)
                .map(|(c, row)| {
                    vec![
                        row.label.clone(),
                        c.rank.to_string(),
                        optional(c.median_rank),
                        format!("{}–{}", optional(c.rank_low), optional(c.rank_high)),
                    ]
                })
                .collect(),
        });
        let not_varied = label("robustness_not_varied", lang);
        let index =
            |v: Option<f64>| v.map_or_else(|| not_varied.clone(), |v| self.numbers.decimal(v, 2));
        Some(RobustnessView {
            intro: label_with(
                "robustness_intro",
                lang,
                &[
                    ("draws", &settings.draws.to_string()),
                    ("seed", &settings.seed.to_string()),
                    (
                        "perturbation",
                        &self.numbers.percent(Some(settings.perturbation / 100.0)),
                    ),
                ],
            ),
            settings: settings_lines(&settings, lang),
            chart,
            sensitivity: TableView {
                caption: label("robustness_sensitivity", lang),
                header: vec![
                    label("robustness_assumption", lang),
                    label("robustness_first_order", lang),
                    label("robustness_total", lang),
                ],
                rows: latest
                    .sensitivity
                    .iter()
                    .map(|s| {
                        vec![
                            label(s.assumption.label_key(), lang),
                            index(s.first_order),
                            index(s.total),
                        ]
                    })
                    .collect(),
            },
            most_influential: most_influential_sentence(latest, lang),
        })
    }
}
