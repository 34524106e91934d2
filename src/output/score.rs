//! `score` output: an aligned table, a JSON document or a long CSV, written one result at a time.

use std::io::{self, Write};
use std::path::PathBuf;

use serde::Serialize;

use super::table::{percent_cell, score_cell};
use crate::collect::GroupResult;
use crate::fsio::csv_cell;
use crate::model::Questionnaire;
use crate::scoring::{Measure, ScoreTree};

/// The output formats of `score`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScoreFormat {
    /// An aligned table for people.
    Table,
    /// One JSON document for programs.
    Json,
    /// Long CSV: one row per country, round and scored item.
    Csv,
}

/// A score and its stage, as JSON shows them.
#[derive(Debug, Serialize)]
pub struct MeasureJson {
    /// 0..100, unrounded.
    pub score: Option<f64>,
    /// 1..5.
    pub stage: Option<u8>,
}

/// An indicator in JSON.
#[derive(Debug, Serialize)]
pub struct IndicatorJson {
    /// Indicator id.
    pub id: String,
    /// 0..100, unrounded.
    pub score: Option<f64>,
    /// 1..5.
    pub stage: Option<u8>,
    /// Share of applicable questions answered.
    pub completeness: Option<f64>,
}

/// A pillar in JSON.
#[derive(Debug, Serialize)]
pub struct PillarJson {
    /// Pillar id.
    pub id: String,
    /// 0..100, unrounded.
    pub score: Option<f64>,
    /// 1..5.
    pub stage: Option<u8>,
    /// Share of applicable questions answered.
    pub completeness: Option<f64>,
    /// Its indicators.
    pub indicators: Vec<IndicatorJson>,
}

/// One answer in a disagreement.
#[derive(Debug, Serialize)]
pub struct GivenJson {
    /// The file.
    pub file: String,
    /// The answer as written.
    pub answer: String,
}

/// A disagreement between respondents.
#[derive(Debug, Serialize)]
pub struct DisagreementJson {
    /// Question id.
    pub question: String,
    /// Every answer given.
    pub answers: Vec<GivenJson>,
    /// The file whose answer was kept, if the conflict was settled.
    pub kept: Option<String>,
}

/// The score of one country and round in JSON.
#[derive(Debug, Serialize)]
pub struct ResultJson {
    /// Country code.
    pub country: String,
    /// Round.
    pub round: String,
    /// Share of applicable scored questions answered.
    pub completeness: Option<f64>,
    /// Overall score.
    pub overall: MeasureJson,
    /// Pillars.
    pub pillars: Vec<PillarJson>,
    /// Number of response files merged.
    pub respondents: usize,
    /// The response files merged.
    pub files: Vec<String>,
    /// Questions on which respondents disagreed.
    pub disagreements: Vec<DisagreementJson>,
}

impl ResultJson {
    /// Builds the JSON view of a scored group.
    pub fn new(
        questionnaire: &Questionnaire,
        result: &GroupResult,
        tree: &ScoreTree,
        files: &[PathBuf],
    ) -> Self {
        let name = |i: usize| files[i].display().to_string();
        let pillars = tree
            .pillars
            .iter()
            .map(|p| PillarJson {
                id: questionnaire.pillars[p.pillar].id.clone(),
                score: p.measure.score,
                stage: p.measure.stage,
                completeness: p.measure.completeness,
                indicators: p
                    .indicators
                    .iter()
                    .map(|i| IndicatorJson {
                        id: questionnaire.indicators[i.indicator].id.clone(),
                        score: i.measure.score,
                        stage: i.measure.stage,
                        completeness: i.measure.completeness,
                    })
                    .collect(),
            })
            .collect();
        let disagreements = result
            .merged
            .disagreements
            .iter()
            .map(|d| {
                let question = &questionnaire.questions[d.question];
                DisagreementJson {
                    question: question.id.clone(),
                    answers: d
                        .answers
                        .iter()
                        .map(|(file, value)| GivenJson {
                            file: name(*file),
                            answer: value.display(question),
                        })
                        .collect(),
                    kept: d.kept.map(name),
                }
            })
            .collect();
        ResultJson {
            country: result.country.to_string(),
            round: result.round.to_string(),
            completeness: tree.overall.completeness,
            overall: MeasureJson {
                score: tree.overall.score,
                stage: tree.overall.stage,
            },
            pillars,
            respondents: result.sources.len(),
            files: result.sources.iter().map(|&i| name(i)).collect(),
            disagreements,
        }
    }
}

/// Writes scores as they come, so memory does not grow with the number of results.
pub struct ScoreWriter<'q, W: Write> {
    format: ScoreFormat,
    questionnaire: &'q Questionnaire,
    lang: String,
    out: W,
    written: usize,
}

const TABLE_COUNTRY: usize = 7;
const TABLE_ROUND: usize = 8;
const TABLE_SCORE: usize = 7;
const TABLE_COMPLETE: usize = 8;

impl<'q, W: Write> ScoreWriter<'q, W> {
    /// Starts the output: the table header, the JSON preamble or the CSV header.
    pub fn new(
        format: ScoreFormat,
        questionnaire: &'q Questionnaire,
        lang: &str,
        out: W,
    ) -> io::Result<Self> {
        let mut writer = ScoreWriter {
            format,
            questionnaire,
            lang: lang.to_owned(),
            out,
            written: 0,
        };
        writer.start()?;
        Ok(writer)
    }

    fn stage_width(&self) -> usize {
        (1..=5)
            .map(|l| self.questionnaire.stage_name(l, &self.lang).chars().count() + 2)
            .max()
            .unwrap_or(5)
    }

    fn start(&mut self) -> io::Result<()> {
        match self.format {
            ScoreFormat::Table => {
                let mut cells = vec![
                    pad("Country", TABLE_COUNTRY, false),
                    pad("Round", TABLE_ROUND, false),
                    pad("Overall", TABLE_SCORE, true),
                    pad("Stage", self.stage_width(), false),
                    pad("Complete", TABLE_COMPLETE, true),
                ];
                for pillar in &self.questionnaire.pillars {
                    cells.push(pad(
                        &pillar.id,
                        pillar.id.chars().count().max(TABLE_SCORE),
                        true,
                    ));
                }
                writeln!(self.out, "{}", cells.join("  ").trim_end())
            }
            ScoreFormat::Json => {
                let header = serde_json::json!({
                    "id": self.questionnaire.id,
                    "version": self.questionnaire.version,
                });
                write!(self.out, "{{\"questionnaire\": {header},\n \"results\": [")
            }
            ScoreFormat::Csv => Ok(()),
        }
    }

    /// Writes one scored group.
    pub fn push(
        &mut self,
        result: &GroupResult,
        tree: &ScoreTree,
        files: &[PathBuf],
    ) -> io::Result<()> {
        self.written += 1;
        match self.format {
            ScoreFormat::Table => {
                let stage = tree
                    .overall
                    .stage
                    .map(|s| format!("{s} {}", self.questionnaire.stage_name(s, &self.lang)))
                    .unwrap_or_else(|| "—".to_owned());
                let mut cells = vec![
                    pad(result.country.as_str(), TABLE_COUNTRY, false),
                    pad(result.round.as_str(), TABLE_ROUND, false),
                    pad(&score_cell(tree.overall.score), TABLE_SCORE, true),
                    pad(&stage, self.stage_width(), false),
                    pad(
                        &percent_cell(tree.overall.completeness),
                        TABLE_COMPLETE,
                        true,
                    ),
                ];
                for (pillar, score) in self.questionnaire.pillars.iter().zip(&tree.pillars) {
                    let width = pillar.id.chars().count().max(TABLE_SCORE);
                    cells.push(pad(&score_cell(score.measure.score), width, true));
                }
                writeln!(self.out, "{}", cells.join("  ").trim_end())
            }
            ScoreFormat::Json => {
                let json = ResultJson::new(self.questionnaire, result, tree, files);
                let separator = if self.written == 1 { "\n  " } else { ",\n  " };
                self.out.write_all(separator.as_bytes())?;
                serde_json::to_writer(&mut self.out, &json)?;
                Ok(())
            }
            ScoreFormat::Csv => {
                let mut csv = csv::Writer::from_writer(&mut self.out);
                if self.written == 1 {
                    csv.write_record(CSV_HEADER)?;
                }
                for row in csv_rows(self.questionnaire, result, tree) {
                    csv.write_record(row.iter().map(|c| csv_cell(c).into_owned()))?;
                }
                csv.flush()
            }
        }
    }

    /// Ends the output.
    pub fn finish(self) -> io::Result<()> {
        self.into_inner().map(drop)
    }

    /// Ends the output and hands back the writer.
    pub fn into_inner(mut self) -> io::Result<W> {
        match self.format {
            ScoreFormat::Json => writeln!(self.out, "\n]}}")?,
            ScoreFormat::Csv if self.written == 0 => {
                let mut csv = csv::Writer::from_writer(&mut self.out);
                csv.write_record(CSV_HEADER)?;
                csv.flush()?;
            }
            _ => {}
        }
        self.out.flush()?;
        Ok(self.out)
    }
}

/// The columns of the long score CSV.
pub const CSV_HEADER: [&str; 7] = [
    "country",
    "round",
    "level",
    "id",
    "score",
    "stage",
    "completeness",
];

/// The CSV rows of one result: overall, then each pillar followed by its indicators.
pub fn csv_rows(
    questionnaire: &Questionnaire,
    result: &GroupResult,
    tree: &ScoreTree,
) -> Vec<[String; 7]> {
    let row = |level: &str, id: &str, m: &Measure| {
        [
            result.country.to_string(),
            result.round.to_string(),
            level.to_owned(),
            id.to_owned(),
            m.score.map(|s| s.to_string()).unwrap_or_default(),
            m.stage.map(|s| s.to_string()).unwrap_or_default(),
            m.completeness.map(|c| c.to_string()).unwrap_or_default(),
        ]
    };
    let mut rows = vec![row("overall", "", &tree.overall)];
    for pillar in &tree.pillars {
        rows.push(row(
            "pillar",
            &questionnaire.pillars[pillar.pillar].id,
            &pillar.measure,
        ));
        for indicator in &pillar.indicators {
            rows.push(row(
                "indicator",
                &questionnaire.indicators[indicator.indicator].id,
                &indicator.measure,
            ));
        }
    }
    rows
}

/// `text` padded to `width` characters, on the left for numbers.
fn pad(text: &str, width: usize, right: bool) -> String {
    let fill = width.saturating_sub(text.chars().count());
    let spaces = " ".repeat(fill);
    if right {
        format!("{spaces}{text}")
    } else {
        format!("{text}{spaces}")
    }
}
