//! One module per subcommand: parse arguments, call the library, print.

mod completions;
mod demo;
mod explain;
mod export;
mod import;
mod plan;
mod questionnaire;
mod report;
mod robustness;
mod schema;
mod score;
mod take;
mod template;
mod validate;

use cybercap::Error;
use cybercap::diagnostic::Diagnostic;
use std::path::PathBuf;

use cybercap::import::map::MapDoc;
use cybercap::inputs::{Catalog, Inventory, expand_inputs, inventory};
use cybercap::pipeline::score_country_round;
use cybercap::scoring::{ConflictPolicy, ScoredCountryRound};

use crate::cli::{Command, CountryRoundArgs, OnConflict, ResponseInputs};

/// The one country and round a command looks into (its latest round unless one is given),
/// loaded, merged and scored, its findings printed; `None` when every input was refused (the
/// findings say why). `any_error` becomes true when a finding is an error.
pub fn country_round(
    inventory: &Inventory<'_>,
    at: &CountryRoundArgs,
    on_conflict: OnConflict,
    any_error: &mut bool,
) -> Result<Option<ScoredCountryRound>, Error> {
    let country = &at.country;
    if *any_error && inventory.country_rounds.is_empty() {
        eprintln!("error: no response for {country} could be read");
        return Ok(None);
    }
    let bucket = inventory
        .country_rounds
        .select(country, at.round.as_ref())?;
    let result = score_country_round(inventory, bucket, policy(on_conflict));
    *any_error |= print_findings(&result.diagnostics);
    Ok(Some(result))
}

/// How a command ended when it ran to completion.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Everything was valid.
    Success,
    /// Some input was invalid or rejected; the findings were printed.
    Invalid,
}

impl Outcome {
    /// `Invalid` when any diagnostic so far was an error.
    pub fn from_errors(any_error: bool) -> Self {
        if any_error {
            Outcome::Invalid
        } else {
            Outcome::Success
        }
    }
}

/// Runs a subcommand.
pub fn run(command: Command) -> Result<Outcome, Error> {
    match command {
        Command::Demo(args) => demo::run(args),
        Command::Validate(args) => validate::run(args),
        Command::Template(args) => template::run(args),
        Command::Import(args) => import::run(args),
        Command::Export(args) => export::run(args),
        Command::Score(args) => score::run(args),
        Command::Report(args) => report::run(args),
        Command::Explain(args) => explain::run(args),
        Command::Plan(args) => plan::run(args),
        Command::Schema(args) => schema::run(args),
        Command::Take(args) => take::run(args),
        Command::Questionnaire(command) => questionnaire::run(command),
        Command::Completions(args) => completions::run(args),
        Command::Robustness(args) => robustness::run(args),
    }
}

/// Prints findings to stderr; returns whether any was an error.
pub fn print_findings(diagnostics: &[Diagnostic]) -> bool {
    for d in diagnostics {
        eprintln!("{d}");
    }
    diagnostics.iter().any(Diagnostic::is_error)
}

/// The conflict policy chosen on the command line.
pub fn policy(on_conflict: OnConflict) -> ConflictPolicy {
    match on_conflict {
        OnConflict::Error => ConflictPolicy::Error,
        OnConflict::Latest => ConflictPolicy::Latest,
    }
}

/// The response inputs of `score`, `explain` and `report`, opened the same way for each.
pub struct Inputs {
    catalog: Catalog,
    files: Vec<PathBuf>,
    map: Option<MapDoc>,
    lang: Option<String>,
}

impl Inputs {
    /// Resolves `--questionnaire`, expands folders and reads `--map`.
    pub fn open(inputs: &ResponseInputs) -> Result<Inputs, Error> {
        Ok(Inputs {
            catalog: Catalog::new(&inputs.questionnaire)?,
            files: expand_inputs(&inputs.responses)?,
            map: inputs.map.as_deref().map(MapDoc::open).transpose()?,
            lang: inputs.lang.clone(),
        })
    }

    /// Reads every header and sorts the responses by country and round; prints the findings
    /// about files left out. Gives the language of the output, checked against the
    /// questionnaire before any finding is printed, and whether any finding was an error.
    pub fn inventory(&self) -> Result<(Inventory<'_>, String, bool), Error> {
        let inventory = inventory(&self.catalog, &self.files, self.map.as_ref())?;
        let lang = inventory
            .questionnaire
            .language(self.lang.as_deref())?
            .to_owned();
        let any_error = print_findings(&inventory.diagnostics);
        Ok((inventory, lang, any_error))
    }
}

/// Removes the temporary files a stopped run left in `folders`, and says so.
fn remove_stale_temp_files(folders: &[&std::path::Path]) {
    for folder in folders {
        let removed =
            cybercap::fsio::remove_stale_temp_files(folder, cybercap::fsio::STALE_TEMP_AGE);
        if removed > 0 {
            eprintln!(
                "removed {removed} unfinished temporary file{} left in {} by an earlier run",
                if removed == 1 { "" } else { "s" },
                folder.display()
            );
        }
    }
}

/// Writes `bytes` to standard output: an error instead of a panic when it is closed (`| head`),
/// which `main` then takes as the reader's choice to stop.
fn print_out(bytes: &[u8]) -> Result<(), cybercap::Error> {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    stdout
        .write_all(bytes)
        .and_then(|()| stdout.flush())
        .map_err(cybercap::Error::Output)
}
