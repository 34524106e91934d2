//! Finding response files, telling which questionnaire they answer, grouping them by country and
//! round, and loading one group at a time, so memory follows the largest group, not the input.

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};

use crate::Error;
use crate::builtin;
use crate::diagnostic::{Diagnostic, Position};
use crate::import::map::MapDoc;
use crate::import::table::{TableInput, is_table};
use crate::load::{
    DocumentKind, Source, check_response, detect_kind, load_questionnaire, read_header,
    read_response_doc,
};
use crate::model::doc::RespondentDoc;
use crate::model::{CountryCode, Questionnaire, Response, Round};
use crate::parallel::{ordered_map, parallel_map};
use crate::scoring::{ConflictPolicy, Merged, ScoreTree, Submission, merge, score};

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

/// Every response of a run, numbered: the YAML files first, then the rows of each table (CSV or
/// XLSX). Names are made when asked for, so a table of many rows costs no text per row.
#[derive(Debug, Default)]
pub struct Sources {
    files: Vec<PathBuf>,
    tables: Vec<TableInput>,
    /// The number of the first row of each table.
    table_starts: Vec<usize>,
    count: usize,
}

/// Where one response is.
enum Located<'a> {
    File(&'a Path),
    Row(&'a TableInput, usize),
}

impl Sources {
    /// The number of responses.
    pub fn len(&self) -> usize {
        self.count
    }

    /// True when there is none.
    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// Response `index` as messages and reports name it: its file, or `file.csv:ROW`.
    pub fn name(&self, index: usize) -> PathBuf {
        match self.locate(index) {
            Located::File(path) => path.to_owned(),
            Located::Row(table, row) => {
                PathBuf::from(format!("{}:{}", table.path().display(), table.line(row)))
            }
        }
    }

    fn locate(&self, index: usize) -> Located<'_> {
        if index < self.files.len() {
            return Located::File(&self.files[index]);
        }
        let table = self.table_starts.partition_point(|&start| start <= index) - 1;
        Located::Row(&self.tables[table], index - self.table_starts[table])
    }

    fn push_file(&mut self, path: PathBuf) -> usize {
        debug_assert!(self.tables.is_empty(), "files come before tables");
        self.files.push(path);
        self.count += 1;
        self.count - 1
    }

    fn push_table(&mut self, table: TableInput) {
        self.table_starts.push(self.count);
        self.count += table.len();
        self.tables.push(table);
    }

    /// Loads and checks response `index`, from its file or its row.
    fn load(
        &self,
        index: usize,
        questionnaire: &Questionnaire,
    ) -> Result<(Response, Vec<Diagnostic>), Vec<Diagnostic>> {
        match self.locate(index) {
            Located::File(path) => load_response(path, questionnaire),
            Located::Row(table, row) => table
                .response(questionnaire, row)
                .map(|r| (r, Vec::new()))
                .map_err(|d| vec![d]),
        }
    }
}

/// The responses sorted into groups of one country and round: countries and rounds are kept once
/// each, and a group is a run of response numbers, so that an input of many small groups stays
/// small.
#[derive(Debug, Default)]
pub struct Groups {
    countries: Vec<CountryCode>,
    rounds: Vec<Round>,
    /// Per group, in order of country then round: its country, its round, the end of its members.
    group_countries: Vec<u16>,
    group_rounds: Vec<u32>,
    group_ends: Vec<u32>,
    members: Vec<u32>,
}

/// One group: a country and round and its responses.
#[derive(Debug, Clone, Copy)]
pub struct Group<'a> {
    /// The country.
    pub country: &'a CountryCode,
    /// The round.
    pub round: &'a Round,
    /// The numbers of its responses, in input order.
    pub members: &'a [u32],
}

impl Groups {
    /// The number of groups.
    pub fn len(&self) -> usize {
        self.group_ends.len()
    }

    /// True when there is none.
    pub fn is_empty(&self) -> bool {
        self.group_ends.is_empty()
    }

    /// Group `index`, in order of country then round.
    pub fn get(&self, index: usize) -> Group<'_> {
        let start = index.checked_sub(1).map_or(0, |i| self.group_ends[i]);
        Group {
            country: &self.countries[usize::from(self.group_countries[index])],
            round: &self.rounds[self.group_rounds[index] as usize],
            members: &self.members[start as usize..self.group_ends[index] as usize],
        }
    }

    /// Every group, in order of country then round (rounds in natural order).
    pub fn iter(&self) -> impl Iterator<Item = Group<'_>> {
        (0..self.len()).map(|i| self.get(i))
    }
}

/// Collects the country and round of each response and sorts them into `Groups`.
#[derive(Default)]
struct GroupsBuilder {
    countries: Vec<CountryCode>,
    country_ids: HashMap<CountryCode, u16>,
    rounds: Vec<Round>,
    round_ids: HashMap<Round, u32>,
    /// By response number: its country and round; `NO_COUNTRY` for a response in no group.
    response_countries: Vec<u16>,
    response_rounds: Vec<u32>,
    /// Table cells already read, as written: rows repeat the same few, and reading one costs
    /// more than looking it up.
    country_cells: HashMap<Box<str>, Option<u16>>,
    round_cells: HashMap<Box<str>, Option<u32>>,
}

/// How many distinct cells `GroupsBuilder` remembers.
const CELLS_REMEMBERED: usize = 4096;

/// Marks a response left out of every group (its country or round is unusable).
const NO_COUNTRY: u16 = u16::MAX;

impl GroupsBuilder {
    /// Makes room for responses up to number `count`.
    fn reserve(&mut self, count: usize) {
        let more = count.saturating_sub(self.response_countries.len());
        self.response_countries.reserve_exact(more);
        self.response_rounds.reserve_exact(more);
    }

    /// Adds response `source`; responses come in increasing order.
    fn add(&mut self, country: CountryCode, round: Round, source: usize) {
        let country = self.country_id(country);
        let round = self.round_id(round);
        self.push(country, round, source);
    }

    /// Adds the response of a table row from its country and round cells; false (and nothing
    /// added) when either cell is not usable.
    fn add_cells(&mut self, country: &str, round: &str, source: usize) -> bool {
        let country = match self.country_cells.get(country) {
            Some(&id) => id,
            None => {
                let id = CountryCode::parse(country).ok().map(|c| self.country_id(c));
                if self.country_cells.len() < CELLS_REMEMBERED {
                    self.country_cells.insert(country.into(), id);
                }
                id
            }
        };
        let round = match self.round_cells.get(round) {
            Some(&id) => id,
            None => {
                let id = Round::parse(round).map(|r| self.round_id(r));
                if self.round_cells.len() < CELLS_REMEMBERED {
                    self.round_cells.insert(round.into(), id);
                }
                id
            }
        };
        match (country, round) {
            (Some(country), Some(round)) => {
                self.push(country, round, source);
                true
            }
            _ => false,
        }
    }

    fn country_id(&mut self, country: CountryCode) -> u16 {
        // Fewer than 26² + 26³ codes exist, so a country fits in 16 bits.
        intern(&mut self.countries, &mut self.country_ids, country, |n| {
            u16::try_from(n).expect("country codes are two or three letters")
        })
    }

    fn round_id(&mut self, round: Round) -> u32 {
        intern(&mut self.rounds, &mut self.round_ids, round, |n| {
            u32::try_from(n).expect("fewer rounds than responses")
        })
    }

    fn push(&mut self, country: u16, round: u32, source: usize) {
        debug_assert!(
            source >= self.response_countries.len(),
            "responses come in order"
        );
        self.response_countries.resize(source, NO_COUNTRY);
        self.response_rounds.resize(source, 0);
        self.response_countries.push(country);
        self.response_rounds.push(round);
    }

    fn finish(self) -> Groups {
        let country_rank = ranks(&self.countries);
        let round_rank = ranks(&self.rounds);
        let (countries, rounds) = (&self.response_countries, &self.response_rounds);
        // Every vector is sized exactly: for a table of many one-row groups, they are the memory.
        let grouped = countries.iter().filter(|&&c| c != NO_COUNTRY).count();
        let mut members: Vec<u32> = Vec::with_capacity(grouped);
        members
            .extend((0..countries.len() as u32).filter(|&i| countries[i as usize] != NO_COUNTRY));
        members.sort_unstable_by_key(|&i| {
            let i = i as usize;
            (
                country_rank[usize::from(countries[i])],
                round_rank[rounds[i] as usize],
                i,
            )
        });
        let key = |member: u32| (countries[member as usize], rounds[member as usize]);
        let count = members.len()
            - members
                .windows(2)
                .filter(|pair| key(pair[0]) == key(pair[1]))
                .count();
        let mut groups = Groups {
            group_countries: Vec::with_capacity(count),
            group_rounds: Vec::with_capacity(count),
            group_ends: Vec::with_capacity(count),
            ..Groups::default()
        };
        for (position, &member) in members.iter().enumerate() {
            let (country, round) = (countries[member as usize], rounds[member as usize]);
            let same = groups.group_countries.last() == Some(&country)
                && groups.group_rounds.last() == Some(&round);
            if same {
                *groups.group_ends.last_mut().expect("a group is open") += 1;
            } else {
                groups.group_countries.push(country);
                groups.group_rounds.push(round);
                groups.group_ends.push(position as u32 + 1);
            }
        }
        groups.members = members;
        groups.countries = self.countries;
        groups.rounds = self.rounds;
        groups
    }
}

fn intern<T: Clone + Eq + std::hash::Hash, Id: Copy>(
    values: &mut Vec<T>,
    ids: &mut HashMap<T, Id>,
    value: T,
    id_of: impl Fn(usize) -> Id,
) -> Id {
    *ids.entry(value).or_insert_with_key(|value| {
        values.push(value.clone());
        id_of(values.len() - 1)
    })
}

/// The rank of each value in sorted order.
fn ranks<T: Ord>(values: &[T]) -> Vec<u32> {
    let mut order: Vec<usize> = (0..values.len()).collect();
    order.sort_by(|&a, &b| values[a].cmp(&values[b]));
    let mut rank = vec![0; values.len()];
    for (position, index) in order.into_iter().enumerate() {
        rank[index] = position as u32;
    }
    rank
}

/// Response files sorted into groups of one country and round.
pub struct Inventory<'c> {
    /// The questionnaire every response answers.
    pub questionnaire: &'c Questionnaire,
    /// Every response; groups refer to them by number.
    pub sources: Sources,
    /// The groups, in order of country then round.
    pub groups: Groups,
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
    Ok(Scanned::Response(
        read_header(&source)
            .map(|h| Header {
                questionnaire: h.questionnaire,
                questionnaire_position: h.questionnaire_position,
                country: h.country.value,
                round: h.round.value.0,
            })
            .map_err(|d| vec![d]),
    ))
}

/// Reads the header of every file and groups the responses by country and round.
///
/// Questionnaire files met in folders are skipped. All responses must answer one questionnaire:
/// the chosen one, or else the one the first response names. Tables (`.csv`, `.xlsx`) need the
/// questionnaire chosen, and are read through `map` when one is given.
pub fn inventory<'c>(
    catalog: &'c Catalog,
    paths: &[PathBuf],
    map: Option<&MapDoc>,
) -> Result<Inventory<'c>, Error> {
    let (table_paths, paths): (Vec<PathBuf>, Vec<PathBuf>) =
        paths.iter().cloned().partition(|p| is_table(p));
    let paths = paths.as_slice();
    let scanned = parallel_map(paths, |path| scan(path));
    let mut questionnaire = catalog.chosen();
    let mut sources = Sources::default();
    let mut groups = GroupsBuilder::default();
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
        match (
            CountryCode::parse(&header.country),
            Round::parse(&header.round),
        ) {
            (Ok(country), Some(round)) => {
                let index = sources.push_file(path.clone());
                groups.add(country, round, index);
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
        questionnaire = Some(chosen);
        for path in &table_paths {
            let first = sources.len();
            let mut bad_keys = Vec::new();
            let (table, findings) = TableInput::open(path, chosen, map, |key| {
                if let Some(rows) = key.expected_rows {
                    groups.reserve(first + rows);
                }
                if !groups.add_cells(key.country, key.round, first + key.row) {
                    bad_keys.push(key.row);
                }
            })?;
            diagnostics.extend(findings);
            for row in bad_keys {
                if let Err(found) = table.response(chosen, row) {
                    diagnostics.push(found);
                }
            }
            sources.push_table(table);
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
        sources,
        groups: groups.finish(),
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
    let doc = read_response_doc(&source).map_err(|d| vec![d])?;
    check_response(path, &doc, questionnaire)
}

/// Who gave a response, and when.
#[derive(Debug, Clone)]
pub struct Submitter {
    /// The respondent's name and organization, as given.
    pub respondent: RespondentDoc,
    /// When the response was submitted, if it says.
    pub submitted: Option<jiff::Timestamp>,
}

/// The most responses one country and round may have. An assessment has a handful of
/// respondents; a group is merged in memory, so this bounds the memory of scoring whatever the
/// grouping of the rows (a million rows with one country and round took 4.4 GB).
pub const MAX_GROUP_RESPONSES: usize = 1_000;

/// One country and round: its files, merged answers and score.
#[derive(Debug)]
pub struct GroupResult {
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

impl std::fmt::Debug for Inventory<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Inventory")
            .field("questionnaire", &self.questionnaire.reference())
            .field("sources", &self.sources.len())
            .field("groups", &self.groups.len())
            .finish()
    }
}

impl Inventory<'_> {
    /// Loads, merges and scores one group; a group of more than `MAX_GROUP_RESPONSES` is left
    /// unscored with an error, without loading it.
    pub fn score_group(&self, group: Group<'_>, policy: ConflictPolicy) -> GroupResult {
        if group.members.len() > MAX_GROUP_RESPONSES {
            let first = group.members.first().map_or(0, |&i| i as usize);
            return GroupResult {
                country: group.country.clone(),
                round: group.round.clone(),
                sources: Vec::new(),
                respondents: Vec::new(),
                merged: merge(self.questionnaire, Vec::new(), policy),
                tree: None,
                diagnostics: vec![Diagnostic::error(
                    &self.sources.name(first),
                    Position::default(),
                    format!(
                        "{} {} has {} responses; expected at most {MAX_GROUP_RESPONSES} for one country and round (are the country and round of each row right?); left unscored",
                        group.country,
                        group.round,
                        group.members.len()
                    ),
                )],
            };
        }
        let mut submissions = Vec::new();
        let mut respondents = Vec::new();
        let mut sources = Vec::new();
        let mut diagnostics = Vec::new();
        for &index in group.members {
            let index = index as usize;
            match self.sources.load(index, self.questionnaire) {
                Ok((response, _))
                    if (&response.country, &response.round) != (group.country, group.round) =>
                {
                    diagnostics.push(Diagnostic::error(
                        &self.sources.name(index),
                        Position::default(),
                        format!(
                            "the file's country and round ({} {}) differ from those read at first ({} {}); expected a plain `country:` and `round:` at the top level",
                            response.country, response.round, group.country, group.round
                        ),
                    ));
                }
                Ok((response, warnings)) => {
                    diagnostics.extend(warnings);
                    sources.push(index);
                    respondents.push(Submitter {
                        respondent: response.respondent,
                        submitted: response.submitted,
                    });
                    submissions.push(Submission {
                        source: index,
                        submitted: response.submitted,
                        answers: response.answers,
                    });
                }
                Err(found) => diagnostics.extend(found),
            }
        }
        let merged = merge(self.questionnaire, submissions, policy);
        let tree = (!sources.is_empty() && merged.unresolved().next().is_none())
            .then(|| score(self.questionnaire, &merged.values()));
        GroupResult {
            country: group.country.clone(),
            round: group.round.clone(),
            sources,
            respondents,
            merged,
            tree,
            diagnostics,
        }
    }

    /// Loads, merges and scores every group on every core; `finish` also runs there, on each
    /// result, and `each` gets what `finish` made of them, in order of country and round.
    pub fn score_all<R: Send, E>(
        &self,
        policy: ConflictPolicy,
        finish: impl Fn(GroupResult) -> R + Sync,
        each: impl FnMut(R) -> Result<(), E>,
    ) -> Result<(), E> {
        // Bounds memory: only so many groups are loaded, or waiting for `each`, at once. Room for
        // four chunks, so that a thread the system pauses holds the others back less often
        // (about 8 % faster than chunks of 32 in a window of 256 on a busy 2-core machine).
        const WINDOW: usize = 512;
        // Small enough to keep both cores busy on the last groups, large enough that handing
        // over one-row groups costs little.
        const CHUNK: usize = 128;
        ordered_map(
            self.groups.len(),
            CHUNK,
            WINDOW,
            |index| finish(self.score_group(self.groups.get(index), policy)),
            each,
        )
    }
}

impl GroupResult {
    /// One error per unresolved conflict, naming every file involved.
    pub fn conflict_diagnostics(
        &self,
        questionnaire: &Questionnaire,
        sources: &Sources,
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
