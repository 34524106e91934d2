//! The responses of an inventory loaded one by one for export, each with where its answers are
//! written, so that a mismatch is reported at its answer.

use std::path::{Path, PathBuf};

use super::Mismatch;
use crate::Error;
use crate::diagnostic::{Diagnostic, Position};
use crate::inputs::Inventory;
use crate::load::check_response;
use crate::model::{Questionnaire, Response};

/// One response of the inventory, checked, with where its answers are written.
pub(super) struct Loaded {
    /// The response, checked.
    pub(super) response: Response,
    /// The file, or `file.csv:ROW` for a row of a table.
    name: PathBuf,
    /// The line:column of each answer's key, by question position, for a YAML file.
    positions: Vec<(usize, Position)>,
}

impl Loaded {
    /// A mismatch as an error at the answer it concerns.
    pub(super) fn error(&self, mismatch: &Mismatch) -> Diagnostic {
        let at = mismatch
            .question
            .and_then(|q| self.positions.iter().find(|(p, _)| *p == q))
            .map(|(_, at)| *at)
            .unwrap_or_default();
        Diagnostic::error(&self.name, at, mismatch.message.clone())
    }
}

/// Loads every response of `inventory` in order of country, round and input, and hands each that
/// checks to `each`; the findings about the others are returned.
pub(super) fn for_each_response(
    inventory: &Inventory<'_>,
    mut each: impl FnMut(Loaded, &mut Vec<Diagnostic>) -> Result<(), Error>,
) -> Result<Vec<Diagnostic>, Error> {
    let questionnaire = inventory.questionnaire;
    let sources = &inventory.sources;
    let mut diagnostics = Vec::new();
    for bucket in inventory.country_rounds.iter() {
        for &member in bucket.members {
            let index = member as usize;
            let name = sources.name(index);
            let loaded = if sources.is_row(index) {
                sources
                    .load(index, questionnaire)
                    .map(|(response, warnings)| (response, warnings, Vec::new()))
            } else {
                load_file(&name, questionnaire)
            };
            match loaded {
                Ok((response, warnings, positions)) => {
                    diagnostics.extend(warnings);
                    let loaded = Loaded {
                        response,
                        name,
                        positions,
                    };
                    each(loaded, &mut diagnostics)?;
                }
                Err(found) => diagnostics.extend(found),
            }
        }
    }
    Ok(diagnostics)
}

/// A response file checked, with the position of each answer's key.
#[allow(clippy::type_complexity)]
fn load_file(
    path: &Path,
    questionnaire: &Questionnaire,
) -> Result<(Response, Vec<Diagnostic>, Vec<(usize, Position)>), Vec<Diagnostic>> {
    let doc = crate::inputs::read_response_file(path)?;
    let positions = doc
        .answers
        .0
        .iter()
        .filter_map(|(key, _)| Some((questionnaire.question_position(&key.value)?, key.position)))
        .collect();
    let (response, warnings) = check_response(path, &doc, questionnaire)?;
    Ok((response, warnings, positions))
}
