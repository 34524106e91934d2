//! `score --by-framework` output: each country and round scored by another framework's items, as
//! a table per result, one JSON document or a long CSV, written one result at a time.

use std::io::{self, Write};

use serde::Serialize;

use super::explain::truncate;
use super::scores::{ScoreFormat, csv_field, questionnaire_json};
use super::table::{Align, Table};
use crate::analysis::frameworks::{Crosswalk, Edition};
use crate::i18n::labels::{label, label_with};
use crate::model::Questionnaire;
use crate::numbers::score_text;
use crate::scoring::{ScoreTree, ScoredCountryRound, Stage};

/// The CSV header of `score --by-framework --format csv`.
pub const CSV_HEADER: &str =
    "country,round,questionnaire,framework,item,score,stage,questions,applicable,answered";

/// The longest item name the table shows before cutting it.
const NAME_WIDTH: usize = 60;

/// One item in JSON.
#[derive(Debug, Serialize)]
struct ItemJson<'a> {
    id: &'a str,
    #[serde(rename = "ref")]
    reference: String,
    name: Option<&'static str>,
    group: Option<&'static str>,
    group_name: Option<&'static str>,
    score: Option<f64>,
    stage: Option<Stage>,
    questions: usize,
    applicable: usize,
    answered: usize,
    question_ids: Vec<&'a str>,
}

/// One country and round in JSON.
#[derive(Debug, Serialize)]
struct ResultJson<'a> {
    country: &'a str,
    round: &'a str,
    questionnaire: String,
    framework: String,
    refs_read_without_edition: usize,
    refs_left_out: &'a [String],
    items: Vec<ItemJson<'a>>,
}

/// Renders one scored group through the edition's items; it can run on any thread.
#[derive(Debug, Clone)]
pub struct FrameworkFormatter<'q> {
    format: ScoreFormat,
    lang: String,
    edition: Edition,
    /// The latest version: stage names follow it.
    questionnaire: &'q Questionnaire,
    /// Per version, in the order of `ScoredCountryRound::version`.
    versions: Vec<(&'q Questionnaire, Crosswalk)>,
}

impl<'q> FrameworkFormatter<'q> {
    /// A formatter for results scored on `versions` (oldest first), each with its crosswalk.
    pub fn new(
        format: ScoreFormat,
        lang: &str,
        edition: Edition,
        versions: Vec<(&'q Questionnaire, Crosswalk)>,
    ) -> Option<Self> {
        let questionnaire = versions.last()?.0;
        Some(FrameworkFormatter {
            format,
            lang: lang.to_owned(),
            edition,
            questionnaire,
            versions,
        })
    }

    /// The edition's id and, when known, its title: `NCAF-2020: ENISA National …`.
    fn edition_title(&self) -> String {
        match self.edition.title(&self.lang) {
            Some(title) => format!("{}: {title}", self.edition.id()),
            None => self.edition.id(),
        }
    }

    /// What comes before the first result.
    pub fn start(&self) -> Vec<u8> {
        match self.format {
            ScoreFormat::Table => Vec::new(),
            ScoreFormat::Json => {
                let framework = serde_json::json!({
                    "id": self.edition.id(),
                    "framework": self.edition.framework,
                    "edition": self.edition.edition,
                    "name": self.edition.title(&self.lang),
                });
                format!(
                    "{{\"questionnaire\": {},\n \"generator\": {},\n \"framework\": {framework},\n \"results\": [",
                    questionnaire_json(self.questionnaire),
                    serde_json::Value::from(crate::GENERATOR)
                )
                .into_bytes()
            }
            ScoreFormat::Csv => format!("{CSV_HEADER}\n").into_bytes(),
        }
    }

    /// What goes between two results.
    pub fn separator(&self, first: bool) -> &'static str {
        match (self.format, first) {
            (ScoreFormat::Json, true) => "\n  ",
            (ScoreFormat::Json, false) => ",\n  ",
            (ScoreFormat::Table, false) => "\n",
            _ => "",
        }
    }

    /// What comes after the last result.
    pub fn end(&self) -> &'static str {
        match self.format {
            ScoreFormat::Json => "\n]}\n",
            _ => "",
        }
    }

    /// One scored group as the output shows it.
    pub fn render(&self, result: &ScoredCountryRound, tree: &ScoreTree) -> Vec<u8> {
        let (questionnaire, walk) = &self.versions[result.version.min(self.versions.len() - 1)];
        let scores = walk.score(tree);
        let lang = self.lang.as_str();
        let edition = self.edition;
        let mut out = Vec::new();
        match self.format {
            ScoreFormat::Table => {
                let mut text = format!(
                    "{} {} — {} — {}\n",
                    result.country,
                    result.round,
                    questionnaire.reference(),
                    self.edition_title()
                );
                if walk.read_without_edition > 0 {
                    text.push_str(&label_with(
                        "fw_read_without_edition",
                        lang,
                        &[
                            ("n", &walk.read_without_edition.to_string()),
                            ("edition", &edition.id()),
                        ],
                    ));
                    text.push('\n');
                }
                if !walk.left_out.is_empty() {
                    text.push_str(&label_with(
                        "fw_left_out",
                        lang,
                        &[
                            ("edition", &edition.id()),
                            ("refs", &walk.left_out.join(", ")),
                        ],
                    ));
                    text.push('\n');
                }
                let headings = [
                    label("fw_item", lang),
                    label("fw_name", lang),
                    label("score", lang),
                    label("stage", lang),
                    label("fw_questions", lang),
                    label("fw_applicable", lang),
                    label("fw_answered", lang),
                ];
                let aligns = [
                    Align::Left,
                    Align::Left,
                    Align::Right,
                    Align::Left,
                    Align::Right,
                    Align::Right,
                    Align::Right,
                ];
                let header: Vec<(&str, Align)> =
                    headings.iter().map(String::as_str).zip(aligns).collect();
                let mut table = Table::new(&header);
                for (item, score) in walk.items.iter().zip(&scores) {
                    // An item without a name of its own (an NCSI indicator) shows its area's.
                    let name = edition
                        .item_name(&item.id, lang)
                        .or_else(|| {
                            edition
                                .item_group(&item.id)
                                .and_then(|g| edition.group_name(g, lang))
                        })
                        .unwrap_or("");
                    table.row(vec![
                        item.id.clone(),
                        truncate(name, NAME_WIDTH),
                        score_text(score.score),
                        score
                            .stage
                            .map(|s| s.label(self.questionnaire, lang))
                            .unwrap_or_else(|| "—".to_owned()),
                        score.questions.to_string(),
                        score.applicable.to_string(),
                        score.answered.to_string(),
                    ]);
                }
                text.push_str(&table.render());
                out.extend_from_slice(text.as_bytes());
            }
            ScoreFormat::Json => {
                let items = walk
                    .items
                    .iter()
                    .zip(&scores)
                    .map(|(item, score)| {
                        let group = edition.item_group(&item.id);
                        ItemJson {
                            id: &item.id,
                            reference: format!("{} {}", edition.id(), item.id),
                            name: edition.item_name(&item.id, lang),
                            group,
                            group_name: group.and_then(|g| edition.group_name(g, lang)),
                            score: score.score,
                            stage: score.stage,
                            questions: score.questions,
                            applicable: score.applicable,
                            answered: score.answered,
                            question_ids: item
                                .questions
                                .iter()
                                .map(|&q| questionnaire.questions[q].id.as_str())
                                .collect(),
                        }
                    })
                    .collect();
                let json = ResultJson {
                    country: result.country.as_str(),
                    round: result.round.as_str(),
                    questionnaire: questionnaire.reference(),
                    framework: edition.id(),
                    refs_read_without_edition: walk.read_without_edition,
                    refs_left_out: &walk.left_out,
                    items,
                };
                serde_json::to_writer(&mut out, &json).expect("a JSON value writes to memory");
            }
            ScoreFormat::Csv => {
                let fixed = [
                    csv_field(result.country.as_str()).into_owned(),
                    csv_field(result.round.as_str()).into_owned(),
                    csv_field(&questionnaire.reference()).into_owned(),
                    csv_field(&edition.id()).into_owned(),
                ]
                .join(",");
                for (item, score) in walk.items.iter().zip(&scores) {
                    let _ = writeln!(
                        out,
                        "{fixed},{},{},{},{},{},{}",
                        csv_field(&item.id),
                        score.score.map(|s| s.to_string()).unwrap_or_default(),
                        score.stage.map(|s| s.to_string()).unwrap_or_default(),
                        score.questions,
                        score.applicable,
                        score.answered
                    );
                }
            }
        }
        out
    }
}

/// Writes the results as they come, so memory does not grow with the number of results.
pub struct FrameworkWriter<'q, W: Write> {
    formatter: FrameworkFormatter<'q>,
    out: W,
    written: usize,
}

impl<'q, W: Write> FrameworkWriter<'q, W> {
    /// Starts the output.
    pub fn new(formatter: FrameworkFormatter<'q>, mut out: W) -> io::Result<Self> {
        out.write_all(&formatter.start())?;
        Ok(FrameworkWriter {
            formatter,
            out,
            written: 0,
        })
    }

    /// What renders each group; share it with the threads that score.
    pub fn formatter(&self) -> &FrameworkFormatter<'q> {
        &self.formatter
    }

    /// Writes one group that `formatter().render` made.
    pub fn push_rendered(&mut self, rendered: &[u8]) -> io::Result<()> {
        let separator = self.formatter.separator(self.written == 0);
        self.written += 1;
        self.out.write_all(separator.as_bytes())?;
        self.out.write_all(rendered)
    }

    /// Ends the output and hands back the writer.
    pub fn into_inner(mut self) -> io::Result<W> {
        self.out.write_all(self.formatter.end().as_bytes())?;
        self.out.flush()?;
        Ok(self.out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::builtin::questionnaires;
    use crate::scoring::score;

    #[test]
    fn an_empty_run_is_still_a_whole_document() {
        let builtin = questionnaires();
        let family: Vec<&Questionnaire> = builtin.iter().collect();
        let edition = crate::analysis::frameworks::choose_edition("GCI", &family).unwrap();
        let latest = builtin.last().unwrap();
        let walk = Crosswalk::new(latest, edition, &family);
        for (format, expected) in [
            (ScoreFormat::Csv, format!("{CSV_HEADER}\n")),
            (ScoreFormat::Table, String::new()),
        ] {
            let formatter =
                FrameworkFormatter::new(format, "en", edition, vec![(latest, walk.clone())])
                    .unwrap();
            let out = FrameworkWriter::new(formatter, Vec::new())
                .unwrap()
                .into_inner()
                .unwrap();
            assert_eq!(String::from_utf8(out).unwrap(), expected);
        }
        let formatter =
            FrameworkFormatter::new(ScoreFormat::Json, "fr", edition, vec![(latest, walk)])
                .unwrap();
        let out = FrameworkWriter::new(formatter, Vec::new())
            .unwrap()
            .into_inner()
            .unwrap();
        let json: serde_json::Value = serde_json::from_slice(&out).unwrap();
        assert_eq!(json["framework"]["id"], "GCI-2024");
        assert_eq!(
            json["framework"]["name"],
            "Indice mondial de cybersécurité de l’UIT 2024"
        );
        assert_eq!(json["results"], serde_json::json!([]));
        // An unanswered questionnaire still lists every pillar, each with its coverage.
        let tree = score(latest, &vec![None; latest.questions.len()]);
        let walk = Crosswalk::new(latest, edition, &family);
        let scores = walk.score(&tree);
        assert_eq!(scores.len(), 5);
        assert!(scores.iter().all(|s| s.score.is_none_or(|s| s == 0.0)));
    }
}
