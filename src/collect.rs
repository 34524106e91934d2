//! Finding response files, telling which questionnaire they answer, grouping them by country and
//! round, and loading one group at a time, so memory follows the largest group, not the input.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::Error;
use crate::builtin;
use crate::import::CsvInput;
use crate::load::{
    Diagnostic, DocumentKind, Position, Source, check_response, detect_kind, load_questionnaire,
    parse_yaml, read_header, read_response_fast,
};
use crate::model::doc::{At, ResponseDoc, ScalarText};
use crate::model::{CountryCode, Questionnaire, Response, Round};
use crate::parallel::parallel_map;
use crate::scoring::{ConflictPolicy, Merged, ScoreTree, SubmissionRef, merge, score};

/// The questionnaires a run knows: the built-in ones and any given with `--questionnaire`.
#[derive(Debug, Clone)]
pub struct Catalog {
    questionnaires: Vec<Questionnaire>,
    chosen: Option<usize>,
}

impl Catalog {
    /// The built-in questionnaires, plus `chosen` (a path or a built-in id) when given.
    pub fn new(chosen: Option<&str>) -> Result<Catalog, Error> {
        let mut catalog = Catalog {
            questionnaires: builtin::questionnaires(),
            chosen: None,
        };
        if let Some(name) = chosen {
            let index = catalog.find(name)?;
            catalog.chosen = Some(index);
        }
        Ok(catalog)
    }

    fn find(&mut self, name: &str) -> Result<usize, Error> {
        let path = Path::new(name);
        if path.exists() {
            let source = Source::read(path)?;
            let (questionnaire, _warnings) = load_questionnaire(&source).map_err(Error::Invalid)?;
            self.questionnaires.push(questionnaire);
            return Ok(self.questionnaires.len() - 1);
        }
        self.questionnaires
            .iter()
            .position(|q| q.id == name || q.reference() == name)
            .ok_or_else(|| {
                Error::Usage(format!(
                    "questionnaire `{name}` is neither a file nor a built-in questionnaire; expected a path or one of: {}",
                    self.questionnaires
                        .iter()
                        .map(|q| q.id.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ))
            })
    }

    /// The questionnaire chosen with `--questionnaire`, if any.
    pub fn chosen(&self) -> Option<&Questionnaire> {
        self.chosen.map(|i| &self.questionnaires[i])
    }

    /// The questionnaire a response names as `id@version`: the chosen one if it matches, else a
    /// built-in one.
    pub fn resolve(&self, reference: &str) -> Option<&Questionnaire> {
        if let Some(chosen) = self.chosen() {
            return (chosen.reference() == reference).then_some(chosen);
        }
        self.questionnaires
            .iter()
            .find(|q| q.reference() == reference)
    }

    /// Makes a questionnaire known to `resolve` (one given on the command line of `validate`).
    pub fn add(&mut self, questionnaire: Questionnaire) {
        if self.resolve(&questionnaire.reference()).is_none() {
            self.questionnaires.push(questionnaire);
        }
    }
}

/// Expands files and folders (recursively, `.yaml`/`.yml`) into a sorted list of files.
pub fn expand_inputs(inputs: &[PathBuf]) -> Result<Vec<PathBuf>, Error> {
    let mut files = Vec::new();
    for input in inputs {
        let meta = fs::metadata(input).map_err(|source| Error::Read {
            path: input.clone(),
            source,
        })?;
        if meta.is_dir() {
            walk(input, &mut files)?;
        } else {
            files.push(input.clone());
        }
    }
    Ok(files)
}

fn walk(dir: &Path, files: &mut Vec<PathBuf>) -> Result<(), Error> {
    let unreadable = |source| Error::Read {
        path: dir.to_owned(),
        source,
    };
    let mut entries: Vec<_> = fs::read_dir(dir)
        .map_err(unreadable)?
        .collect::<Result<Vec<_>, _>>()
        .map_err(unreadable)?;
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let path = entry.path();
        let name = entry.file_name();
        if name.to_string_lossy().starts_with('.') {
            continue;
        }
        let file_type = entry.file_type().map_err(unreadable)?;
        if file_type.is_dir() {
            walk(&path, files)?;
        } else if path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("yaml") || e.eq_ignore_ascii_case("yml"))
        {
            files.push(path);
        }
    }
    Ok(())
}

/// The top of a response, read without checking its answers.
#[derive(Debug, Deserialize)]
struct HeaderDoc {
    questionnaire: At<String>,
    country: At<String>,
    round: At<ScalarText>,
}

/// Where a response comes from.
#[derive(Debug, Clone)]
pub enum Origin {
    /// A YAML response file.
    Yaml,
    /// A row of a CSV input.
    CsvRow {
        /// Position in `Inventory::csv_inputs`.
        input: usize,
        /// Where the row starts.
        position: csv::Position,
    },
}

/// Response files sorted into groups of one country and round.
pub struct Inventory<'c> {
    /// The questionnaire every response answers.
    pub questionnaire: &'c Questionnaire,
    /// Every response, in input order, as it is named in messages and reports: a file, or
    /// `file.csv:ROW` for a CSV row; groups refer to them by position.
    pub files: Vec<PathBuf>,
    /// Where each response comes from (same order as `files`).
    pub origins: Vec<Origin>,
    /// The CSV inputs.
    pub csv_inputs: Vec<CsvInput>,
    /// (country, round) → positions in `files`.
    pub groups: BTreeMap<(CountryCode, Round), Vec<usize>>,
    /// Files left out, and why.
    pub diagnostics: Vec<Diagnostic>,
}

/// What the first pass learned about one file.
enum Scanned {
    /// A questionnaire met in a folder: skipped.
    Questionnaire,
    /// YAML that is neither a questionnaire nor a response (a groups file beside the responses).
    Other,
    /// A response header, or the findings that make the file unusable.
    Response(Result<Header, Vec<Diagnostic>>),
}

/// The header of a response with the position of its `questionnaire:` when known.
struct Header {
    questionnaire: String,
    questionnaire_position: Position,
    country: String,
    round: String,
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
    if let Some(fields) = read_header(&source.text) {
        return Ok(Scanned::Response(Ok(Header {
            questionnaire: fields.questionnaire.trim().to_owned(),
            questionnaire_position: Position::default(),
            country: fields.country,
            round: fields.round,
        })));
    }
    // Unusual layouts: the full parser reads them, or says what is wrong at which line.
    Ok(Scanned::Response(
        parse_yaml::<HeaderDoc>(&source)
            .map(|h| Header {
                questionnaire: h.questionnaire.value.trim().to_owned(),
                questionnaire_position: Position::of(&h.questionnaire),
                country: h.country.value,
                round: h.round.value.0,
            })
            .map_err(|d| vec![d]),
    ))
}

/// Reads the header of every file and groups the responses by country and round.
///
/// Questionnaire files met in folders are skipped. All responses must answer one questionnaire:
/// the chosen one, or else the one the first response names.
pub fn inventory<'c>(catalog: &'c Catalog, paths: &[PathBuf]) -> Result<Inventory<'c>, Error> {
    let is_csv = |p: &PathBuf| p.extension().is_some_and(|e| e.eq_ignore_ascii_case("csv"));
    let (csv_paths, paths): (Vec<PathBuf>, Vec<PathBuf>) = paths.iter().cloned().partition(is_csv);
    let paths = paths.as_slice();
    let scanned = parallel_map(paths, |path| scan(path));
    let mut questionnaire = catalog.chosen();
    let mut files = Vec::new();
    let mut origins = Vec::new();
    let mut groups: BTreeMap<(CountryCode, Round), Vec<usize>> = BTreeMap::new();
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
        let answered = match questionnaire {
            Some(q) => q,
            None => match catalog.resolve(reference) {
                Some(q) => {
                    questionnaire = Some(q);
                    q
                }
                None => {
                    diagnostics.push(Diagnostic::error(
                        path,
                        at,
                        format!(
                            "unknown questionnaire `{}`; expected a built-in questionnaire, or give its file with --questionnaire",
                            reference.escape_debug()
                        ),
                    ));
                    continue;
                }
            },
        };
        if reference != answered.reference() {
            diagnostics.push(Diagnostic::error(
                path,
                at,
                format!(
                    "response is for `{}`, but this run scores `{}`; expected one questionnaire per run (choose it with --questionnaire)",
                    reference.escape_debug(),
                    answered.reference()
                ),
            ));
            continue;
        }
        let index = files.len();
        files.push(path.clone());
        origins.push(Origin::Yaml);
        match (
            CountryCode::parse(&header.country),
            Round::parse(&header.round),
        ) {
            (Ok(country), Some(round)) => groups.entry((country, round)).or_default().push(index),
            // Country and round are reported with their positions when the file is loaded.
            _ => {
                if let Err(found) = load_response(path, answered) {
                    diagnostics.extend(found);
                }
            }
        }
    }
    let mut csv_inputs = Vec::new();
    if !csv_paths.is_empty() {
        let Some(chosen) = catalog.chosen() else {
            return Err(Error::Usage(
                "CSV input needs --questionnaire; expected the questionnaire its rows answer"
                    .to_owned(),
            ));
        };
        questionnaire = Some(chosen);
        for path in &csv_paths {
            let (input, warnings) = CsvInput::open(path, chosen)?;
            diagnostics.extend(warnings);
            let number = csv_inputs.len();
            let mut bad_keys = Vec::new();
            let findings = input.keys(|row| {
                let index = files.len();
                files.push(PathBuf::from(format!("{}:{}", path.display(), row.line)));
                origins.push(Origin::CsvRow {
                    input: number,
                    position: row.position.clone(),
                });
                match (CountryCode::parse(&row.country), Round::parse(&row.round)) {
                    (Ok(country), Some(round)) => {
                        groups.entry((country, round)).or_default().push(index)
                    }
                    _ => bad_keys.push(row.position),
                }
            })?;
            diagnostics.extend(findings);
            for position in bad_keys {
                if let Err(found) = input.response_at(chosen, &position) {
                    diagnostics.push(found);
                }
            }
            csv_inputs.push(input);
        }
    }
    let questionnaire = match questionnaire {
        Some(q) => q,
        None => {
            if diagnostics.is_empty() {
                return Err(Error::Usage(
                    "no response files found; expected YAML response files or folders holding them"
                        .to_owned(),
                ));
            }
            return Err(Error::Invalid(diagnostics));
        }
    };
    Ok(Inventory {
        questionnaire,
        files,
        origins,
        csv_inputs,
        groups,
        diagnostics,
    })
}

/// Loads and checks one response file against `questionnaire`.
pub fn load_response(
    path: &Path,
    questionnaire: &Questionnaire,
) -> Result<(Response, Vec<Diagnostic>), Vec<Diagnostic>> {
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
    let doc: ResponseDoc = match read_response_fast(&source.text) {
        Some(doc) => doc,
        None => parse_yaml(&source).map_err(|d| vec![d])?,
    };
    check_response(path, &doc, questionnaire)
}

/// One country and round: its files, merged answers and score.
#[derive(Debug)]
pub struct GroupResult {
    /// The country.
    pub country: CountryCode,
    /// The round.
    pub round: Round,
    /// Positions in `Inventory::files` of the responses merged (valid ones only).
    pub sources: Vec<usize>,
    /// The responses, in the order of `sources`.
    pub responses: Vec<Response>,
    /// The merged answers and disagreements.
    pub merged: Merged,
    /// The score, `None` when a conflict is unresolved or no response was valid.
    pub tree: Option<ScoreTree>,
    /// Findings about the group's files (warnings, and errors of files left out).
    pub diagnostics: Vec<Diagnostic>,
}

impl std::fmt::Debug for Inventory<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Inventory")
            .field("questionnaire", &self.questionnaire.reference())
            .field("files", &self.files.len())
            .field("groups", &self.groups.len())
            .finish()
    }
}

impl Inventory<'_> {
    /// Loads and checks response `index`, from its file or its CSV row.
    fn load(&self, index: usize) -> Result<(Response, Vec<Diagnostic>), Vec<Diagnostic>> {
        match &self.origins[index] {
            Origin::Yaml => load_response(&self.files[index], self.questionnaire),
            Origin::CsvRow { input, position } => self.csv_inputs[*input]
                .response_at(self.questionnaire, position)
                .map(|r| (r, Vec::new()))
                .map_err(|d| vec![d]),
        }
    }

    /// Loads, merges and scores one group.
    pub fn score_group(
        &self,
        key: &(CountryCode, Round),
        members: &[usize],
        policy: ConflictPolicy,
    ) -> GroupResult {
        let mut responses = Vec::new();
        let mut sources = Vec::new();
        let mut diagnostics = Vec::new();
        for &index in members {
            match self.load(index) {
                Ok((response, _)) if (&response.country, &response.round) != (&key.0, &key.1) => {
                    diagnostics.push(Diagnostic::error(
                        &self.files[index],
                        Position::default(),
                        format!(
                            "the file's country and round ({} {}) differ from those read at first ({} {}); expected a plain `country:` and `round:` at the top level",
                            response.country, response.round, key.0, key.1
                        ),
                    ));
                }
                Ok((response, warnings)) => {
                    diagnostics.extend(warnings);
                    sources.push(index);
                    responses.push(response);
                }
                Err(found) => diagnostics.extend(found),
            }
        }
        let refs: Vec<SubmissionRef> = sources
            .iter()
            .zip(&responses)
            .map(|(&source, response)| SubmissionRef { source, response })
            .collect();
        let merged = merge(self.questionnaire, &refs, policy);
        let tree = (!responses.is_empty() && merged.unresolved().next().is_none())
            .then(|| score(self.questionnaire, &merged.values()));
        GroupResult {
            country: key.0.clone(),
            round: key.1.clone(),
            sources,
            responses,
            merged,
            tree,
            diagnostics,
        }
    }
}

impl Inventory<'_> {
    /// Loads, merges and scores every group on every core, handing results to `each` in order.
    pub fn score_all<E>(
        &self,
        policy: ConflictPolicy,
        mut each: impl FnMut(GroupResult) -> Result<(), E>,
    ) -> Result<(), E> {
        // Batches bound memory: only this many groups are loaded at once.
        const BATCH: usize = 256;
        let groups: Vec<(&(CountryCode, Round), &Vec<usize>)> = self.groups.iter().collect();
        for batch in groups.chunks(BATCH) {
            for result in parallel_map(batch, |(key, members)| {
                self.score_group(key, members, policy)
            }) {
                each(result)?;
            }
        }
        Ok(())
    }
}

impl GroupResult {
    /// One error per unresolved conflict, naming every file involved.
    pub fn conflict_diagnostics(
        &self,
        questionnaire: &Questionnaire,
        files: &[PathBuf],
    ) -> Vec<Diagnostic> {
        self.merged
            .unresolved()
            .map(|d| {
                let question = &questionnaire.questions[d.question];
                let answers: Vec<String> = d
                    .answers
                    .iter()
                    .map(|(file, value)| format!("`{}` in {}", value.display(question), files[*file].display()))
                    .collect();
                let last = d.answers.last().map_or(0, |(f, _)| *f);
                Diagnostic::error(
                    &files[last],
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
