//! The comparison report: one model, rendered as HTML, Markdown, CSV, JSON and charts.

pub mod charts;
pub mod groups;

pub mod model;
pub mod render;
pub mod view;

use std::path::{Path, PathBuf};

use crate::Error;
use crate::collect::{GroupResult, Inventory};
use crate::diagnostic::Diagnostic;
use crate::scoring::ConflictPolicy;

use groups::Groups;
use model::{ReportData, ReportOptions};
use render::{Formats, Templates, write_report};

/// What making a report produced.
#[derive(Debug)]
pub struct ReportOutcome {
    /// Files written: none when no response could be scored.
    pub written: Vec<PathBuf>,
    /// Findings about the inputs (files left out, conflicts).
    pub diagnostics: Vec<Diagnostic>,
    /// Countries and rounds compared.
    pub scored: usize,
}

/// Scores every group of the inventory and writes the report into `out`.
pub fn make_report(
    inventory: &Inventory,
    policy: ConflictPolicy,
    groups: &Groups,
    options: ReportOptions,
    out: &Path,
    formats: Formats,
    templates: &Templates,
) -> Result<ReportOutcome, Error> {
    let mut results: Vec<GroupResult> = Vec::new();
    let mut diagnostics = Vec::new();
    inventory.score_all(
        policy,
        |result| result,
        |result| {
            diagnostics.extend(result.diagnostics.iter().cloned());
            diagnostics
                .extend(result.conflict_diagnostics(inventory.questionnaire, &inventory.sources));
            results.push(result);
            Ok::<(), Error>(())
        },
    )?;
    let data = ReportData::new(
        inventory.questionnaire,
        groups,
        &inventory.sources,
        options,
        results,
    );
    // A run whose every input was refused leaves an earlier report in `out` as it was, rather
    // than replacing it with an empty one.
    let written = if data.results.is_empty() {
        Vec::new()
    } else {
        write_report(&data, out, formats, templates)?
    };
    Ok(ReportOutcome {
        written,
        diagnostics,
        scored: data.results.len(),
    })
}
