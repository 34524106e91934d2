//! Input discovery: which questionnaire the responses answer, which files and table rows hold
//! them, and their country and round, read from each header so that responses can later be
//! loaded one country and round at a time.

mod buckets;
mod catalog;
mod files;
mod sources;

use std::path::{Path, PathBuf};

use crate::Error;
use crate::diagnostic::{Diagnostic, Position};
use crate::import::map::MapDoc;
use crate::import::table::{TableInput, is_table};
use crate::load::{
    DocumentKind, ResponseHeader, Source, check_response, detect_kind, read_header,
    read_response_doc,
};
use crate::model::{CountryCode, Questionnaire, Response, Round, compare_versions};
use crate::parallel::parallel_map;

pub use buckets::{CountryRound, CountryRounds};
pub use catalog::Catalog;
pub use files::expand_inputs;
pub use sources::Sources;

use buckets::CountryRoundsBuilder;

/// The responses of a run, sorted into buckets of one country and round.
pub struct Inventory<'c> {
    /// The latest version the responses answer: the one reports and tables are laid out by.
    pub questionnaire: &'c Questionnaire,
    /// Every version of the questionnaire the responses answer, oldest first; each response is
    /// scored on its own.
    pub versions: Vec<&'c Questionnaire>,
    /// Every response; buckets refer to them by number.
    pub sources: Sources,
    /// The buckets, in order of country then round.
    pub country_rounds: CountryRounds,
    /// Files left out, and why.
    pub diagnostics: Vec<Diagnostic>,
}

impl std::fmt::Debug for Inventory<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Inventory")
            .field("questionnaire", &self.questionnaire.reference())
            .field("sources", &self.sources.len())
            .field("country_rounds", &self.country_rounds.len())
            .finish()
    }
}

/// The most versions of one questionnaire a run compares: a dialogue revises its questionnaire
/// every few rounds, and a response numbers its version in a byte.
const MAX_VERSIONS: usize = 64;

/// What the first pass learned about one file.
enum Scanned {
    /// A questionnaire met in a folder: skipped.
    Questionnaire,
    /// YAML that is neither a questionnaire nor a response (a groups file beside the responses).
    Other,
    /// A response header, or the findings that make the file unusable.
    Response(Result<ResponseHeader, Vec<Diagnostic>>),
}

fn scan(path: &Path) -> Result<Scanned, Error> {
    let source = match Source::read(path) {
        Ok(s) => s,
        Err(Error::Invalid(found)) => return Ok(Scanned::Response(Err(found))),
        Err(e) => return Err(e),
    };
    match detect_kind(&source.text) {
        Some(DocumentKind::Questionnaire) => return Ok(Scanned::Questionnaire),
        None => return Ok(Scanned::Other),
        Some(DocumentKind::Response) => {}
    }
    Ok(Scanned::Response(read_header(&source).map_err(|d| vec![d])))
}

/// Reads the header of every file and sorts the responses by country and round.
///
/// Questionnaire files met in folders are skipped. All responses must answer versions of one
/// questionnaire: those chosen, or else built-in ones with the id the first response names.
/// Tables (`.csv`, `.xlsx`) need the questionnaire chosen, answer its latest version chosen, and
/// are read through `map` when one is given.
pub fn inventory<'c>(
    catalog: &'c Catalog,
    paths: &[PathBuf],
    map: Option<&MapDoc>,
) -> Result<Inventory<'c>, Error> {
    let (table_paths, paths): (Vec<PathBuf>, Vec<PathBuf>) =
        paths.iter().cloned().partition(|p| is_table(p));
    let paths = paths.as_slice();
    let scanned = parallel_map(paths, |path| scan(path));
    // Versions in the order met; sorted once all are known.
    let mut versions: Vec<&Questionnaire> = Vec::new();
    let mut sources = Sources::default();
    let mut buckets = CountryRoundsBuilder::default();
    let mut diagnostics = Vec::new();
    for (path, scanned) in paths.iter().zip(scanned) {
        let header = match scanned? {
            Scanned::Questionnaire => continue,
            Scanned::Other => {
                diagnostics.push(Diagnostic::warning(
                    path,
                    Position::default(),
                    "not a response file (no `questionnaire:`, `country:` or `answers:`); skipped",
                ));
                continue;
            }
            Scanned::Response(Ok(header)) => header,
            Scanned::Response(Err(found)) => {
                diagnostics.extend(found);
                continue;
            }
        };
        let reference = header.questionnaire.as_str();
        let at = header.questionnaire_position;
        let Some(answered) = catalog.resolve(reference) else {
            let message = match catalog.chosen() {
                Some(_) => format!(
                    "response is for `{}`, but this run scores {}; expected one of them (give each version with --questionnaire)",
                    reference.escape_debug(),
                    catalog.chosen_references().join(", ")
                ),
                None => format!(
                    "unknown questionnaire `{}`; expected a built-in questionnaire, or give its file with --questionnaire",
                    reference.escape_debug()
                ),
            };
            diagnostics.push(Diagnostic::error(path, at, message));
            continue;
        };
        if let Some(first) = versions.first()
            && first.id != answered.id
        {
            diagnostics.push(Diagnostic::error(
                path,
                at,
                format!(
                    "response is for `{}`, but this run scores `{}`; expected one questionnaire per run (choose it with --questionnaire)",
                    reference.escape_debug(),
                    first.reference()
                ),
            ));
            continue;
        }
        let version = match versions.iter().position(|v| std::ptr::eq(*v, answered)) {
            Some(v) => v,
            None if versions.len() < MAX_VERSIONS => {
                versions.push(answered);
                versions.len() - 1
            }
            None => {
                diagnostics.push(Diagnostic::error(
                    path,
                    at,
                    format!(
                        "response is for `{}`, a version beyond the {MAX_VERSIONS} one run compares; expected fewer versions",
                        reference.escape_debug()
                    ),
                ));
                continue;
            }
        };
        match (
            CountryCode::parse(&header.country.value),
            Round::parse(&header.round.value.0),
        ) {
            (Ok(country), Some(round)) => {
                let index = sources.push_file(path.clone(), version as u8);
                buckets.add(country, round, index);
            }
            // Country and round are reported with their positions when the file is loaded.
            _ => {
                if let Err(found) = load_response(path, answered) {
                    diagnostics.extend(found);
                }
            }
        }
    }
    if !table_paths.is_empty() {
        let Some(chosen) = catalog.chosen() else {
            return Err(Error::Usage(
                "CSV and XLSX input needs --questionnaire; expected the questionnaire its rows answer"
                    .to_owned(),
            ));
        };
        let version = match versions.iter().position(|v| std::ptr::eq(*v, chosen)) {
            Some(v) => v,
            None => {
                if let Some(first) = versions.first()
                    && first.id != chosen.id
                {
                    return Err(Error::Usage(format!(
                        "CSV and XLSX input answers `{}`, but the response files answer `{}`; expected one questionnaire per run",
                        chosen.reference(),
                        first.reference()
                    )));
                }
                versions.push(chosen);
                versions.len() - 1
            }
        };
        for path in &table_paths {
            let first = sources.len();
            let mut bad_keys = Vec::new();
            let (table, findings) = TableInput::open(path, chosen, map, |key| {
                if let Some(rows) = key.expected_rows {
                    buckets.reserve(first + rows);
                }
                if !buckets.add_cells(key.country, key.round, first + key.row) {
                    bad_keys.push(key.row);
                }
            })?;
            diagnostics.extend(findings);
            for row in bad_keys {
                if let Err(found) = table.response(chosen, row) {
                    diagnostics.push(found);
                }
            }
            sources.push_table(table, version as u8);
        }
    }
    let mut order: Vec<usize> = (0..versions.len()).collect();
    order.sort_by(|&a, &b| compare_versions(&versions[a].version, &versions[b].version));
    let mut new_position = vec![0u8; versions.len()];
    for (new, &old) in order.iter().enumerate() {
        new_position[old] = new as u8;
    }
    sources.renumber_versions(&new_position);
    let versions: Vec<&Questionnaire> = order.iter().map(|&i| versions[i]).collect();
    let questionnaire = match versions.last() {
        Some(&q) => q,
        None => {
            if diagnostics.is_empty() {
                return Err(Error::NotFound(
                    "no response files found; expected YAML response files or folders holding them"
                        .to_owned(),
                ));
            }
            return Err(Error::Invalid(diagnostics));
        }
    };
    Ok(Inventory {
        questionnaire,
        versions,
        sources,
        country_rounds: buckets.finish(),
        diagnostics,
    })
}

/// Loads and checks one response file against `questionnaire`.
pub fn load_response(
    path: &Path,
    questionnaire: &Questionnaire,
) -> Result<(Response, Vec<Diagnostic>), Vec<Diagnostic>> {
    let doc = read_response_file(path)?;
    check_response(path, &doc, questionnaire)
}

/// Reads one response file as a document, unchecked; every failure as findings on the file.
pub fn read_response_file(path: &Path) -> Result<crate::model::doc::ResponseDoc, Vec<Diagnostic>> {
    let source = match Source::read(path) {
        Ok(s) => s,
        Err(Error::Invalid(found)) => return Err(found),
        Err(other) => {
            return Err(vec![Diagnostic::error(
                path,
                Position::default(),
                other.to_string(),
            )]);
        }
    };
    read_response_doc(&source).map_err(|d| vec![d])
}
