//! The scoring pipeline: each country and round loaded, merged and scored on every core, in
//! order, a bounded number at a time, so memory follows the batch and not the input.

use crate::diagnostic::{Diagnostic, Position};
use std::path::{Path, PathBuf};

use crate::inputs::{CountryRound, Inventory, Sources};
use crate::model::{CountryCode, Questionnaire, Round};
use crate::parallel::ordered_map;
use crate::scoring::{
    ConflictPolicy, Merged, ScoredCountryRound, SourceNames, Submission, Submitter, Unscored,
    UnscoredReason, merge, score,
};

/// The most responses one country and round may have. An assessment has a handful of
/// respondents; a country and round is merged in memory, so this bounds the memory of scoring whatever the
/// grouping of the rows (a million rows with one country and round took 4.4 GB).
pub const MAX_RESPONSES_PER_COUNTRY_ROUND: usize = 1_000;

/// Loads, merges and scores one country and round; one with more than `MAX_RESPONSES_PER_COUNTRY_ROUND` is left
/// unscored with an error, without loading it.
pub fn score_country_round(
    inventory: &Inventory,
    bucket: CountryRound<'_>,
    policy: ConflictPolicy,
) -> ScoredCountryRound {
    // A country and round is scored on one version: the one its first response answers.
    let first = bucket.members.first().map_or(0, |&i| i as usize);
    let version = match bucket.members.first() {
        Some(&i) => inventory.sources.version(i as usize),
        None => inventory.versions.len() - 1,
    };
    let questionnaire = inventory.versions[version];
    if bucket.members.len() > MAX_RESPONSES_PER_COUNTRY_ROUND {
        return ScoredCountryRound {
            country: bucket.country.clone(),
            round: bucket.round.clone(),
            version,
            sources: Vec::new(),
            respondents: Vec::new(),
            merged: merge(questionnaire, Vec::new(), policy),
            tree: None,
            unscored: Some(Unscored {
                reason: UnscoredReason::TooManyResponses,
                files: files_holding(&inventory.sources, bucket.members),
            }),
            diagnostics: vec![Diagnostic::error(
                &inventory.sources.name(first),
                Position::default(),
                format!(
                    "{} {} has {} responses; expected at most {MAX_RESPONSES_PER_COUNTRY_ROUND} for one country and round (are the country and round of each row right?); left unscored",
                    bucket.country,
                    bucket.round,
                    bucket.members.len()
                ),
            )],
        };
    }
    let mut submissions = Vec::new();
    let mut respondents = Vec::new();
    let mut sources = Vec::new();
    let mut diagnostics = Vec::new();
    let mut refused = Vec::new();
    for &index in bucket.members {
        let index = index as usize;
        let answers = inventory.versions[inventory.sources.version(index)];
        if !std::ptr::eq(answers, questionnaire) {
            diagnostics.push(Diagnostic::error(
                &inventory.sources.name(index),
                Position::default(),
                format!(
                    "the response answers `{}`, but {} {} was first answered on `{}`; expected one version per country and round (left out)",
                    answers.reference(),
                    bucket.country,
                    bucket.round,
                    questionnaire.reference()
                ),
            ));
            refused.push(index);
            continue;
        }
        match inventory.sources.load(index, questionnaire) {
            Ok((response, _))
                if (&response.country, &response.round) != (bucket.country, bucket.round) =>
            {
                diagnostics.push(Diagnostic::error(
                    &inventory.sources.name(index),
                    Position::default(),
                    format!(
                        "the file's country and round ({} {}) differ from those read at first ({} {}); expected a plain `country:` and `round:` at the top level",
                        response.country, response.round, bucket.country, bucket.round
                    ),
                ));
                refused.push(index);
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
            Err(found) => {
                diagnostics.extend(found);
                refused.push(index);
            }
        }
    }
    let merged = merge(questionnaire, submissions, policy);
    diagnostics.extend(conflict_diagnostics(
        questionnaire,
        &inventory.sources,
        bucket.country,
        bucket.round,
        &merged,
    ));
    let unscored = unscored(&inventory.sources, &sources, &refused, &merged);
    let tree = unscored
        .is_none()
        .then(|| score(questionnaire, &merged.values()));
    ScoredCountryRound {
        country: bucket.country.clone(),
        round: bucket.round.clone(),
        version,
        sources,
        respondents,
        merged,
        tree,
        unscored,
        diagnostics,
    }
}

/// Why a country and round whose responses were read is left unscored, if it is: none of its
/// responses was valid (`refused`), or some valid ones disagree and the policy left it open.
fn unscored(
    names: &Sources,
    valid: &[usize],
    refused: &[usize],
    merged: &Merged,
) -> Option<Unscored> {
    if valid.is_empty() {
        let rows = refused.iter().filter(|&&i| names.is_row(i)).count();
        return Some(Unscored {
            reason: UnscoredReason::of_refused(refused.len() - rows, rows),
            files: refused.iter().map(|&i| names.name(i)).collect(),
        });
    }
    let mut involved: Vec<usize> = merged
        .unresolved()
        .flat_map(|d| d.answers.iter().map(|(file, _)| *file))
        .collect();
    if involved.is_empty() {
        return None;
    }
    involved.sort_unstable();
    involved.dedup();
    Some(Unscored {
        reason: UnscoredReason::UnresolvedDisagreement,
        files: involved.into_iter().map(|i| names.name(i)).collect(),
    })
}

/// The files that hold `members`, each once: a table of a thousand rows is one file.
fn files_holding(names: &Sources, members: &[u32]) -> Vec<PathBuf> {
    let mut files: Vec<&Path> = Vec::new();
    for &index in members {
        let file = names.file(index as usize);
        // Members come in input order, so a table's rows follow each other.
        if files.last() != Some(&file) {
            files.push(file);
        }
    }
    files.sort_unstable();
    files.dedup();
    files.into_iter().map(Path::to_owned).collect()
}

/// Loads, merges and scores every country and round on every core; `finish` also runs there, on each
/// result, and `each` gets what `finish` made of them, in order of country and round.
pub fn score_all<R: Send, E>(
    inventory: &Inventory,
    policy: ConflictPolicy,
    finish: impl Fn(ScoredCountryRound) -> R + Sync,
    each: impl FnMut(R) -> Result<(), E>,
) -> Result<(), E> {
    score_buckets(
        inventory,
        inventory.country_rounds.len(),
        |index| index,
        policy,
        finish,
        each,
    )
}

/// `score_all` for some of the countries and rounds only: the buckets numbered `selected` (in
/// `Inventory::country_rounds`, ascending); the others are not even loaded.
pub fn score_selected<R: Send, E>(
    inventory: &Inventory,
    selected: &[usize],
    policy: ConflictPolicy,
    finish: impl Fn(ScoredCountryRound) -> R + Sync,
    each: impl FnMut(R) -> Result<(), E>,
) -> Result<(), E> {
    score_buckets(
        inventory,
        selected.len(),
        |index| selected[index],
        policy,
        finish,
        each,
    )
}

fn score_buckets<R: Send, E>(
    inventory: &Inventory,
    count: usize,
    bucket: impl Fn(usize) -> usize + Sync,
    policy: ConflictPolicy,
    finish: impl Fn(ScoredCountryRound) -> R + Sync,
    each: impl FnMut(R) -> Result<(), E>,
) -> Result<(), E> {
    // Bounds memory: only so many countries and rounds are loaded, or waiting for `each`, at once. Room for
    // four chunks, so that a thread the system pauses holds the others back less often
    // (about 8 % faster than chunks of 32 in a window of 256 on a busy 2-core machine).
    const WINDOW: usize = 512;
    // Small enough to keep both cores busy on the last buckets, large enough that handing
    // over one-row buckets costs little.
    const CHUNK: usize = 128;
    ordered_map(
        count,
        CHUNK,
        WINDOW,
        |index| {
            finish(score_country_round(
                inventory,
                inventory.country_rounds.get(bucket(index)),
                policy,
            ))
        },
        each,
    )
}

/// One error per unresolved conflict, naming every file involved.
fn conflict_diagnostics(
    questionnaire: &Questionnaire,
    sources: &dyn SourceNames,
    country: &CountryCode,
    round: &Round,
    merged: &Merged,
) -> Vec<Diagnostic> {
    merged
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
                    country,
                    round,
                    answers.join(" vs ")
                ),
            )
        })
        .collect()
}
