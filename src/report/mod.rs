//! Every rendering of scored countries and rounds: the score table, JSON and CSV, the
//! explanation, and the comparison report (one model, rendered as HTML, Markdown, CSV, JSON and
//! charts). Each renders what was scored once; none re-scores.

pub mod agreement;
pub mod answers;
pub mod charts;
pub mod datapackage;
pub mod explain;
pub mod framework_scores;
pub mod groups;
pub mod messages;
pub mod model;
pub mod plan;
pub mod render;
pub mod robustness;
pub mod scores;
pub mod selection;
pub mod table;
pub mod view;

use std::path::{Path, PathBuf};

use crate::Error;

use model::ReportData;
use render::{Formats, Templates, write_report};

/// What making a report produced.
#[derive(Debug)]
pub struct ReportOutcome {
    /// Files written: none when no response could be scored.
    pub written: Vec<PathBuf>,
    /// Countries and rounds compared.
    pub scored: usize,
}

/// Writes the report of a run already scored into `out`.
pub fn make_report(
    data: &ReportData,
    out: &Path,
    formats: Formats,
    templates: &Templates,
) -> Result<ReportOutcome, Error> {
    // A run whose every input was refused leaves an earlier report in `out` as it was, rather
    // than replacing it with an empty one.
    let written = if data.results.is_empty() {
        Vec::new()
    } else {
        write_report(data, out, formats, templates)?
    };
    Ok(ReportOutcome {
        written,
        scored: data.results.len(),
    })
}
