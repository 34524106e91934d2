//! `score` output: an aligned table, a JSON document or a long CSV, written one result at a time.

use std::io::{self, Write};

use serde::Serialize;

use super::agreement::{AgreementJson, agreement_json};
use crate::analysis::agreement::respondent_agreement;
use crate::fsio::csv_cell;
use crate::model::Questionnaire;
use crate::numbers::{percent_text, score_text};
use crate::scoring::{Measure, ScoreTree, Stage};
use crate::scoring::{ScoredCountryRound, SourceNames};

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
    pub stage: Option<Stage>,
}

/// An indicator in JSON.
#[derive(Debug, Serialize)]
pub struct IndicatorJson<'q> {
    /// Indicator id.
    pub id: &'q str,
    /// 0..100, unrounded.
    pub score: Option<f64>,
    /// 1..5.
    pub stage: Option<Stage>,
    /// Share of applicable questions answered.
    pub completeness: Option<f64>,
}

/// A pillar in JSON.
#[derive(Debug, Serialize)]
pub struct PillarJson<'q> {
    /// Pillar id.
    pub id: &'q str,
    /// 0..100, unrounded.
    pub score: Option<f64>,
    /// 1..5.
    pub stage: Option<Stage>,
    /// Share of applicable questions answered.
    pub completeness: Option<f64>,
    /// Its indicators.
    pub indicators: Vec<IndicatorJson<'q>>,
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
pub struct DisagreementJson<'q> {
    /// Question id.
    pub question: &'q str,
    /// Every answer given.
    pub answers: Vec<GivenJson>,
    /// The file whose answer was kept, if the conflict was settled.
    pub kept: Option<String>,
}

/// The score of one country and round in JSON; ids are borrowed from the questionnaire, as a
/// result is written for every file of a run.
#[derive(Debug, Serialize)]
pub struct ResultJson<'q> {
    /// Country code.
    pub country: String,
    /// Round.
    pub round: String,
    /// The questionnaire version it was scored on, `id@version`.
    pub questionnaire: String,
    /// Share of applicable scored questions answered.
    pub completeness: Option<f64>,
    /// Overall score.
    pub overall: MeasureJson,
    /// Pillars.
    pub pillars: Vec<PillarJson<'q>>,
    /// Number of response files merged.
    pub respondents: usize,
    /// The response files merged.
    pub files: Vec<String>,
    /// Questions on which respondents disagreed.
    pub disagreements: Vec<DisagreementJson<'q>>,
    /// How far the respondents agree; `null` with fewer than two respondents.
    pub agreement: Option<AgreementJson<'q>>,
}

impl<'q> ResultJson<'q> {
    /// Builds the JSON view of a scored group.
    pub fn new(
        questionnaire: &'q Questionnaire,
        result: &ScoredCountryRound,
        tree: &ScoreTree,
        sources: &dyn SourceNames,
    ) -> Self {
        let name = |i: usize| sources.name(i).display().to_string();
        let pillars = tree
            .pillars
            .iter()
            .map(|p| PillarJson {
                id: &questionnaire.pillars[p.pillar].id,
                score: p.measure.score,
                stage: p.measure.stage,
                completeness: p.measure.completeness,
                indicators: p
                    .indicators
                    .iter()
                    .map(|i| IndicatorJson {
                        id: &questionnaire.indicators[i.indicator].id,
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
                    question: &question.id,
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
            questionnaire: questionnaire.reference(),
            completeness: tree.overall.completeness,
            overall: MeasureJson {
                score: tree.overall.score,
                stage: tree.overall.stage,
            },
            pillars,
            respondents: result.sources.len(),
            files: result.sources.iter().map(|&i| name(i)).collect(),
            disagreements,
            agreement: respondent_agreement(questionnaire, result)
                .map(|a| agreement_json(questionnaire, &a, sources)),
        }
    }
}

/// The questionnaire as the JSON outputs name it: its id, version and `id@version`.
pub fn questionnaire_json(questionnaire: &Questionnaire) -> serde_json::Value {
    serde_json::json!({
        "id": questionnaire.id,
        "version": questionnaire.version,
        "reference": questionnaire.reference(),
    })
}

/// Turns one scored group into the bytes of its part of the output; it can run on any thread.
#[derive(Debug, Clone)]
pub struct ScoreFormatter<'q> {
    format: ScoreFormat,
    /// The latest version: the table's columns and the stage names follow it.
    questionnaire: &'q Questionnaire,
    lang: String,
    /// Per version, in the order of `ScoredCountryRound::version`.
    versions: Vec<VersionCells<'q>>,
}

/// A version of the questionnaire, with the CSV cells of its ids made once.
#[derive(Debug, Clone)]
struct VersionCells<'q> {
    questionnaire: &'q Questionnaire,
    questionnaire_cell: String,
    pillar_cells: Vec<String>,
    indicator_cells: Vec<String>,
    /// By pillar of the latest version: the position of the pillar with its id in this one.
    table_pillars: Vec<Option<usize>>,
}

/// Writes scores as they come, so memory does not grow with the number of results.
pub struct ScoreWriter<'q, W: Write> {
    formatter: ScoreFormatter<'q>,
    out: W,
    written: usize,
}

const TABLE_COUNTRY: usize = 7;
const TABLE_ROUND: usize = 8;
const TABLE_SCORE: usize = 7;
const TABLE_COMPLETE: usize = 8;

impl ScoreFormatter<'_> {
    fn stage_width(&self) -> usize {
        Stage::ALL
            .iter()
            .map(|s| s.name(self.questionnaire, &self.lang).chars().count() + 2)
            .max()
            .unwrap_or(5)
    }

    /// One scored group as the output shows it: table line, JSON object or CSV rows.
    pub fn render(
        &self,
        result: &ScoredCountryRound,
        tree: &ScoreTree,
        sources: &dyn SourceNames,
    ) -> Vec<u8> {
        let version = &self.versions[result.version.min(self.versions.len() - 1)];
        // Room for a CSV row per pillar and indicator, so that the buffer grows once at most.
        let rows = 1 + version.pillar_cells.len() + version.indicator_cells.len();
        let mut out = Vec::with_capacity(rows * 80);
        match self.format {
            ScoreFormat::Table => {
                let stage = tree
                    .overall
                    .stage
                    .map(|s| s.label(self.questionnaire, &self.lang))
                    .unwrap_or_else(|| "—".to_owned());
                let mut cells = vec![
                    pad(result.country.as_str(), TABLE_COUNTRY, false),
                    pad(result.round.as_str(), TABLE_ROUND, false),
                    pad(&score_text(tree.overall.score), TABLE_SCORE, true),
                    pad(&stage, self.stage_width(), false),
                    pad(
                        &percent_text(tree.overall.completeness),
                        TABLE_COMPLETE,
                        true,
                    ),
                ];
                for (pillar, own) in self
                    .questionnaire
                    .pillars
                    .iter()
                    .zip(&version.table_pillars)
                {
                    let width = pillar.id.chars().count().max(TABLE_SCORE);
                    let score = own.and_then(|p| tree.pillars[p].measure.score);
                    cells.push(pad(&score_text(score), width, true));
                }
                out.extend_from_slice(cells.join("  ").trim_end().as_bytes());
                out.push(b'\n');
            }
            ScoreFormat::Json => {
                let json = ResultJson::new(version.questionnaire, result, tree, sources);
                serde_json::to_writer(&mut out, &json).expect("a JSON value writes to memory");
            }
            ScoreFormat::Csv => write_csv_rows(&mut out, version, result, tree),
        }
        out
    }
}

impl<'q, W: Write> ScoreWriter<'q, W> {
    /// Starts the output: the table header, the JSON preamble or the CSV header. `versions` are
    /// those results were scored on, oldest first; the latest lays out the table.
    pub fn new(
        format: ScoreFormat,
        versions: &[&'q Questionnaire],
        lang: &str,
        out: W,
    ) -> io::Result<Self> {
        let questionnaire = *versions
            .last()
            .ok_or_else(|| io::Error::other("no questionnaire to write scores of"))?;
        let versions = versions
            .iter()
            .map(|&q| VersionCells {
                questionnaire: q,
                questionnaire_cell: csv_field(&q.id).into_owned(),
                pillar_cells: cells(q.pillars.iter().map(|p| p.id.as_str())),
                indicator_cells: cells(q.indicators.iter().map(|i| i.id.as_str())),
                table_pillars: questionnaire
                    .pillars
                    .iter()
                    .map(|p| q.pillars.iter().position(|own| own.id == p.id))
                    .collect(),
            })
            .collect();
        let mut writer = ScoreWriter {
            formatter: ScoreFormatter {
                format,
                questionnaire,
                lang: lang.to_owned(),
                versions,
            },
            out,
            written: 0,
        };
        writer.start()?;
        Ok(writer)
    }

    /// What renders each group; share it with the threads that score.
    pub fn formatter(&self) -> &ScoreFormatter<'q> {
        &self.formatter
    }

    fn start(&mut self) -> io::Result<()> {
        let f = &self.formatter;
        match f.format {
            ScoreFormat::Table => {
                let mut cells = vec![
                    pad("Country", TABLE_COUNTRY, false),
                    pad("Round", TABLE_ROUND, false),
                    pad("Overall", TABLE_SCORE, true),
                    pad("Stage", f.stage_width(), false),
                    pad("Complete", TABLE_COMPLETE, true),
                ];
                for pillar in &f.questionnaire.pillars {
                    cells.push(pad(
                        &pillar.id,
                        pillar.id.chars().count().max(TABLE_SCORE),
                        true,
                    ));
                }
                writeln!(self.out, "{}", cells.join("  ").trim_end())
            }
            ScoreFormat::Json => {
                // The latest version; each result names the one it was scored on.
                let questionnaire = questionnaire_json(f.questionnaire);
                let generator = serde_json::Value::from(crate::GENERATOR);
                write!(
                    self.out,
                    "{{\"questionnaire\": {questionnaire},\n \"generator\": {generator},\n \"results\": ["
                )
            }
            ScoreFormat::Csv => Ok(()),
        }
    }

    /// Writes one scored group.
    pub fn push(
        &mut self,
        result: &ScoredCountryRound,
        tree: &ScoreTree,
        sources: &dyn SourceNames,
    ) -> io::Result<()> {
        let rendered = self.formatter.render(result, tree, sources);
        self.push_rendered(&rendered)
    }

    /// Writes one scored group that `formatter().render` made.
    pub fn push_rendered(&mut self, rendered: &[u8]) -> io::Result<()> {
        self.written += 1;
        match self.formatter.format {
            ScoreFormat::Json => {
                let separator = if self.written == 1 { "\n  " } else { ",\n  " };
                self.out.write_all(separator.as_bytes())?;
            }
            ScoreFormat::Csv if self.written == 1 => write_csv_header(&mut self.out)?,
            _ => {}
        }
        self.out.write_all(rendered)
    }

    /// Ends the output.
    pub fn finish(self) -> io::Result<()> {
        self.into_inner().map(drop)
    }

    /// Ends the output and hands back the writer.
    pub fn into_inner(mut self) -> io::Result<W> {
        match self.formatter.format {
            ScoreFormat::Json => writeln!(self.out, "\n]}}")?,
            ScoreFormat::Csv if self.written == 0 => write_csv_header(&mut self.out)?,
            _ => {}
        }
        self.out.flush()?;
        Ok(self.out)
    }
}

fn write_csv_header(out: &mut impl Write) -> io::Result<()> {
    let names: Vec<&str> = CSV_COLUMNS.iter().map(|c| c.name).collect();
    writeln!(out, "{}", names.join(","))
}

/// The CSV rows of one result: overall, then each pillar followed by its indicators. Written
/// straight into bytes: for a table of many one-respondent groups this is as much work as scoring.
fn write_csv_rows(
    out: &mut Vec<u8>,
    formatter: &VersionCells,
    result: &ScoredCountryRound,
    tree: &ScoreTree,
) {
    let country = csv_field(result.country.as_str());
    let round = csv_field(result.round.as_str());
    let mut row = |level: &str, id: &str, m: &Measure| {
        out.extend_from_slice(country.as_bytes());
        out.push(b',');
        out.extend_from_slice(round.as_bytes());
        out.push(b',');
        out.extend_from_slice(level.as_bytes());
        out.push(b',');
        out.extend_from_slice(id.as_bytes());
        out.push(b',');
        if let Some(score) = m.score {
            push_number(out, score);
        }
        out.push(b',');
        if let Some(stage) = m.stage {
            push_number(out, f64::from(stage.level()));
        }
        out.push(b',');
        if let Some(completeness) = m.completeness {
            push_number(out, completeness);
        }
        out.push(b'\n');
    };
    let [overall, pillar_level, indicator_level] = LEVELS;
    // The overall row names the questionnaire, so that every row has an id and the columns
    // of `CSV_PRIMARY_KEY` name it alone.
    row(overall, &formatter.questionnaire_cell, &tree.overall);
    for pillar in &tree.pillars {
        row(
            pillar_level,
            &formatter.pillar_cells[pillar.pillar],
            &pillar.measure,
        );
        for indicator in &pillar.indicators {
            row(
                indicator_level,
                &formatter.indicator_cells[indicator.indicator],
                &indicator.measure,
            );
        }
    }
}

fn cells<'a>(ids: impl Iterator<Item = &'a str>) -> Vec<String> {
    ids.map(|id| csv_field(id).into_owned()).collect()
}

/// One CSV cell: neutralized where a spreadsheet would run it, quoted where CSV needs it.
pub fn csv_field(text: &str) -> std::borrow::Cow<'_, str> {
    let text = csv_cell(text);
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\"")).into()
    } else {
        text
    }
}

/// Writes the decimal digits of `n`.
fn push_digits(out: &mut Vec<u8>, n: u64) {
    let mut digits = [0u8; 20];
    let mut at = digits.len();
    let mut rest = n;
    loop {
        at -= 1;
        digits[at] = b'0' + (rest % 10) as u8;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    out.extend_from_slice(&digits[at..]);
}

/// Writes `n` as `Display` does (shortest digits that read back the same, no exponent).
fn push_number(out: &mut Vec<u8>, n: f64) {
    use std::io::Write as _;
    if n.fract() == 0.0 && (0.0..1e15).contains(&n) {
        push_digits(out, n as u64);
    } else if n.fract() == 0.0 && n.abs() < 1e15 {
        let _ = write!(out, "{}", n as i64);
    } else if (1e-5..1e15).contains(&n.abs()) {
        // zmij gives the same digits, several times faster; outside this range it would switch
        // to an exponent.
        out.extend_from_slice(zmij::Buffer::new().format_finite(n).as_bytes());
    } else {
        let _ = write!(out, "{n}");
    }
}

/// The type of a score CSV column, as Table Schema names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnType {
    /// Text.
    String,
    /// A decimal number, written with a decimal point.
    Number,
    /// A whole number.
    Integer,
}

impl ColumnType {
    /// Its Table Schema name.
    pub fn name(self) -> &'static str {
        match self {
            ColumnType::String => "string",
            ColumnType::Number => "number",
            ColumnType::Integer => "integer",
        }
    }
}

/// The values a score CSV column allows beyond its type.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Allowed {
    /// Text the whole of which matches this XML Schema pattern, as Table Schema reads one.
    Pattern(&'static str),
    /// One of these words.
    Words(&'static [&'static str]),
    /// One of these whole numbers.
    Integers(&'static [i64]),
    /// A number from `min` to `max`, both included.
    Range {
        /// The least value.
        min: f64,
        /// The greatest value.
        max: f64,
    },
}

/// One column of the long score CSV: the header names it, `datapackage.json` describes it.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    /// The name in the header.
    pub name: &'static str,
    /// A title for people.
    pub title: &'static str,
    /// What it holds.
    pub description: &'static str,
    /// Its type.
    pub kind: ColumnType,
    /// Whether every row has a value; the others are empty where there is none.
    pub required: bool,
    /// The values it allows.
    pub allowed: Allowed,
}

/// The `level` of each row: the whole questionnaire, a pillar, an indicator.
pub const LEVELS: [&str; 3] = ["overall", "pillar", "indicator"];

/// The columns of the long score CSV, in order: the header and the Table Schema of
/// `datapackage.json` are both made from this one list.
pub const CSV_COLUMNS: [Column; 7] = [
    Column {
        name: "country",
        title: "Country",
        description: "Country or entity: an ISO 3166-1 alpha-2 code, or a two- or three-letter code of the ranges ISO 3166-1 leaves to users (AA, QM to QZ, XA to XZ, ZZ) for entities it does not name.",
        kind: ColumnType::String,
        required: true,
        allowed: Allowed::Pattern("[A-Z]{2,3}"),
    },
    Column {
        name: "round",
        title: "Round",
        description: "The round of assessment, such as 2025 or 2025-H1; rounds sort in natural order.",
        kind: ColumnType::String,
        required: true,
        allowed: Allowed::Pattern("[A-Za-z0-9_][A-Za-z0-9._\\-]{0,31}"),
    },
    Column {
        name: "level",
        title: "Level",
        description: "What the row scores: the whole questionnaire (overall), a pillar, or an indicator.",
        kind: ColumnType::String,
        required: true,
        allowed: Allowed::Words(&LEVELS),
    },
    Column {
        name: "id",
        title: "Id",
        description: "The questionnaire's id on an overall row, else the id of the pillar or indicator, as the questionnaire defines it.",
        kind: ColumnType::String,
        required: true,
        allowed: Allowed::Pattern("[A-Za-z0-9_][A-Za-z0-9._\\-]{0,63}"),
    },
    Column {
        name: "score",
        title: "Score",
        description: "The score from 0 to 100, unrounded; empty when no scored question of it applies.",
        kind: ColumnType::Number,
        required: false,
        allowed: Allowed::Range {
            min: 0.0,
            max: 100.0,
        },
    },
    Column {
        name: "stage",
        title: "Stage",
        description: "The maturity stage the score reaches, from 1 to 5 (thresholds 0, 25, 50, 75, 100); empty when there is no score.",
        kind: ColumnType::Integer,
        required: false,
        allowed: Allowed::Integers(&[1, 2, 3, 4, 5]),
    },
    Column {
        name: "completeness",
        title: "Completeness",
        description: "The share of applicable scored questions answered, from 0 to 1 (an answer of don't know counts as unanswered); empty when none applies.",
        kind: ColumnType::Number,
        required: false,
        allowed: Allowed::Range { min: 0.0, max: 1.0 },
    },
];

/// How the score CSV writes a missing value: an empty cell.
pub const CSV_MISSING: &str = "";

/// The columns that together name one row: a country, a round and what is scored.
pub const CSV_PRIMARY_KEY: [&str; 4] = ["country", "round", "level", "id"];

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_written_as_display_writes_them() {
        let mut values = vec![
            0.0,
            1.0,
            50.0,
            100.0,
            1e-5,
            1.5e-5,
            1e-4,
            0.000_123_45,
            0.001,
            1e14,
            99_999_999_999_999.9,
            9.99e-6,
            1e-7,
            0.1,
            1.0 / 3.0,
            2.0 / 3.0,
            35.08937429138322,
            8.333333333333334,
            1e15,
            1e16,
            123456789012345.6,
        ];
        // A deterministic spread of scores and shares.
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        for _ in 0..20_000 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let unit = (x >> 11) as f64 / (1u64 << 53) as f64;
            values.push(unit * 100.0);
            values.push(unit);
            values.push(unit * 1e-4);
        }
        for n in values {
            let mut out = Vec::new();
            push_number(&mut out, n);
            assert_eq!(String::from_utf8(out).unwrap(), n.to_string(), "{n:e}");
        }
    }

    #[test]
    fn the_csv_header_is_written_from_the_column_list() {
        let questionnaire = &crate::builtin::questionnaires()[0];
        let out = ScoreWriter::new(ScoreFormat::Csv, &[questionnaire], "en", Vec::new())
            .unwrap()
            .into_inner()
            .unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "country,round,level,id,score,stage,completeness\n"
        );
    }

    #[test]
    fn fields_are_quoted_and_neutralized_as_the_csv_writer_would() {
        for text in [
            "plain",
            "a,b",
            "say \"hi\"",
            "two\nlines",
            "=1+1",
            "-3.5",
            "@x",
        ] {
            let mut writer = csv::Writer::from_writer(Vec::new());
            writer.write_record([csv_cell(text).as_ref()]).unwrap();
            let written = String::from_utf8(writer.into_inner().unwrap()).unwrap();
            assert_eq!(format!("{}\n", csv_field(text)), written, "{text}");
        }
    }
}
