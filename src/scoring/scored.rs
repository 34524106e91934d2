//! One country and round as scored: the responses merged, who gave them, the score tree, and
//! the findings about its files.

use std::path::PathBuf;

use crate::diagnostic::{Diagnostic, Position};
use crate::model::doc::RespondentDoc;
use crate::model::{CountryCode, Questionnaire, Round};

use super::{Merged, ScoreTree};

/// Names a response by its number, as messages and reports show it: its file, or `file.csv:ROW`.
pub trait SourceNames: std::fmt::Debug {
    /// The name of response `index`.
    fn name(&self, index: usize) -> PathBuf;

    /// How many responses the run read.
    fn len(&self) -> usize;

    /// True when the run read none.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Who gave a response, and when.
#[derive(Debug, Clone)]
pub struct Submitter {
    /// The respondent's name and organization, as given.
    pub respondent: RespondentDoc,
    /// When the response was submitted, if it says.
    pub submitted: Option<jiff::Timestamp>,
}

/// One country and round: its files, merged answers and score.
#[derive(Debug)]
pub struct ScoredCountryRound {
    /// The country.
    pub country: CountryCode,
    /// The round.
    pub round: Round,
    /// Numbers in `Inventory::sources` of the responses merged (valid ones only).
    pub sources: Vec<usize>,
    /// Who gave each response, in the order of `sources`; their answers are in `merged`.
    pub respondents: Vec<Submitter>,
    /// The merged answers and disagreements.
    pub merged: Merged,
    /// The score, `None` when a conflict is unresolved or no response was valid.
    pub tree: Option<ScoreTree>,
    /// Findings about the group's files (warnings, and errors of files left out).
    pub diagnostics: Vec<Diagnostic>,
}

impl ScoredCountryRound {
    /// One error per unresolved conflict, naming every file involved.
    pub fn conflict_diagnostics(
        &self,
        questionnaire: &Questionnaire,
        sources: &dyn SourceNames,
    ) -> Vec<Diagnostic> {
        self.merged
            .unresolved()
            .map(|d| {
                let question = &questionnaire.questions[d.question];
                let answers: Vec<String> = d
                    .answers
                    .iter()
                    .map(|(file, value)| format!("`{}` in {}", value.display(question), sources.name(*file).display()))
                    .collect();
                let last = d.answers.last().map_or(0, |(f, _)| *f);
                Diagnostic::error(
                    &sources.name(last),
                    Position::default(),
                    format!(
                        "conflicting answers to `{}` for {} {}: {}; expected one answer per question (correct one file, or choose --on-conflict latest)",
                        question.id,
                        self.country,
                        self.round,
                        answers.join(" vs ")
                    ),
                )
            })
            .collect()
    }
}
