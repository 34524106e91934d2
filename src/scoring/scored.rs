//! One country and round as scored: the responses merged, who gave them, the score tree, and
//! the findings about its files.

use std::path::PathBuf;

use serde::Serialize;

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
    /// The position in `Inventory::versions` of the questionnaire version it was scored on.
    pub version: usize,
    /// Numbers in `Inventory::sources` of the responses merged (valid ones only).
    pub sources: Vec<usize>,
    /// Who gave each response, in the order of `sources`; their answers are in `merged`.
    pub respondents: Vec<Submitter>,
    /// The merged answers and disagreements.
    pub merged: Merged,
    /// The score, `None` when a conflict is unresolved or no response was valid.
    pub tree: Option<ScoreTree>,
    /// Why `tree` is `None`, and the files concerned; `None` when scored.
    pub unscored: Option<Unscored>,
    /// Findings about its files: warnings, errors of files left out, and one error per
    /// unresolved conflict naming every file involved.
    pub diagnostics: Vec<Diagnostic>,
}

/// Why a country and round has no score.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum UnscoredReason {
    /// Respondents answered a question differently and the conflict policy left it open.
    UnresolvedDisagreement,
    /// Its responses were files, and every one was invalid.
    InvalidFile,
    /// Its responses were rows of a table, and every one was rejected.
    RejectedRow,
    /// Its responses were files and rows, and none was valid.
    NoValidResponse,
    /// It had more responses than one country and round may have.
    TooManyResponses,
}

impl UnscoredReason {
    /// Every reason, in the order reports explain them.
    pub const ALL: [UnscoredReason; 5] = [
        UnscoredReason::UnresolvedDisagreement,
        UnscoredReason::InvalidFile,
        UnscoredReason::RejectedRow,
        UnscoredReason::NoValidResponse,
        UnscoredReason::TooManyResponses,
    ];

    /// The reason as programs read it: `unresolved_disagreement`, `invalid_file`…
    pub fn word(self) -> &'static str {
        match self {
            UnscoredReason::UnresolvedDisagreement => "unresolved_disagreement",
            UnscoredReason::InvalidFile => "invalid_file",
            UnscoredReason::RejectedRow => "rejected_row",
            UnscoredReason::NoValidResponse => "no_valid_response",
            UnscoredReason::TooManyResponses => "too_many_responses",
        }
    }

    /// The key of its label in the report's languages.
    pub fn label_key(self) -> &'static str {
        match self {
            UnscoredReason::UnresolvedDisagreement => "unscored_unresolved_disagreement",
            UnscoredReason::InvalidFile => "unscored_invalid_file",
            UnscoredReason::RejectedRow => "unscored_rejected_row",
            UnscoredReason::NoValidResponse => "unscored_no_valid_response",
            UnscoredReason::TooManyResponses => "unscored_too_many_responses",
        }
    }

    /// Why a country and round none of whose responses could be read has no score, from how
    /// many of the refused responses were files and how many table rows.
    pub fn of_refused(files: usize, rows: usize) -> UnscoredReason {
        match (files, rows) {
            (_, 0) => UnscoredReason::InvalidFile,
            (0, _) => UnscoredReason::RejectedRow,
            _ => UnscoredReason::NoValidResponse,
        }
    }
}

/// Why a country and round has no score, and the files concerned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unscored {
    /// Why.
    pub reason: UnscoredReason,
    /// The files or rows (`file.csv:ROW`) concerned, as messages name them: those in the
    /// disagreement, those refused, or the files holding too many responses.
    pub files: Vec<PathBuf>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refused_responses_name_their_reason_by_what_they_were() {
        assert_eq!(
            UnscoredReason::of_refused(2, 0),
            UnscoredReason::InvalidFile
        );
        assert_eq!(
            UnscoredReason::of_refused(0, 3),
            UnscoredReason::RejectedRow
        );
        assert_eq!(
            UnscoredReason::of_refused(1, 1),
            UnscoredReason::NoValidResponse
        );
    }

    #[test]
    fn reasons_are_written_as_their_words() {
        for reason in UnscoredReason::ALL {
            assert_eq!(serde_json::to_value(reason).unwrap(), reason.word());
        }
        assert_eq!(
            UnscoredReason::UnresolvedDisagreement.word(),
            "unresolved_disagreement"
        );
    }
}
