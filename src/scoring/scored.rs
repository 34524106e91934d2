//! One country and round as scored: the responses merged, who gave them, the score tree, and
//! the findings about its files.

use std::path::PathBuf;

use crate::diagnostic::Diagnostic;
use crate::model::doc::RespondentDoc;
use crate::model::{CountryCode, Round};

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
    /// Findings about its files: warnings, errors of files left out, and one error per
    /// unresolved conflict naming every file involved.
    pub diagnostics: Vec<Diagnostic>,
}
