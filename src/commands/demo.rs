//! `cybercap demo`: the built-in questionnaire and synthetic samples, scored and reported.

use std::io;

use cybercap::Error;
use cybercap::builtin::DEFAULT_QUESTIONNAIRE;
use cybercap::fsio::write_atomic;
use cybercap::inputs::{Catalog, inventory};
use cybercap::model::write::response_to_yaml;
use cybercap::pipeline::score_all;
use cybercap::report::groups::Groups;
use cybercap::report::make_report;
use cybercap::report::model::{ReportData, ReportOptions, Tlp};
use cybercap::report::render::{Formats, Templates};
use cybercap::report::scores::{ScoreFormat, ScoreWriter};
use cybercap::samples::{SAMPLE_GROUPS, generate, groups_yaml};
use cybercap::scoring::ConflictPolicy;

use super::{Outcome, print_findings};
use crate::cli::DemoArgs;

/// The version the demo's earlier rounds answer.
const DEMO_EARLIER_VERSION: &str = "1.0.0";

/// Writes the samples, their groups and the full report into `--out`; prints the score table
/// and the path of `index.html`.
pub fn run(args: DemoArgs) -> Result<Outcome, Error> {
    // The earlier rounds answer the first built-in version and the latest round the newest, so
    // the demo shows a trend across versions as a dialogue's own rounds would.
    let catalog = Catalog::new(&[
        format!("{DEFAULT_QUESTIONNAIRE}@{DEMO_EARLIER_VERSION}"),
        DEFAULT_QUESTIONNAIRE.to_owned(),
    ])?;
    let chosen = catalog.chosen_versions();
    let (Some(&earlier), Some(&latest)) = (chosen.first(), chosen.last()) else {
        return Err(Error::UnknownQuestionnaire {
            name: DEFAULT_QUESTIONNAIRE.to_owned(),
            known: Vec::new(),
        });
    };
    let responses_dir = args.out.join("responses");
    cybercap::fsio::prepare_out_folder(&args.out)?;
    cybercap::fsio::prepare_own_folder(&responses_dir)?;
    super::remove_stale_temp_files(&[&args.out, &args.out.join("charts"), &responses_dir]);
    let mut paths = Vec::new();
    for sample in generate(earlier, latest) {
        let path = responses_dir.join(&sample.file_name);
        write_atomic(
            &path,
            response_to_yaml(sample.questionnaire, &sample.response).as_bytes(),
        )?;
        paths.push(path);
    }
    let groups_path = args.out.join("groups.yaml");
    write_atomic(&groups_path, groups_yaml().as_bytes())?;
    let (groups, warnings) = Groups::with_file(&groups_path)?;
    let mut any_error = print_findings(&warnings);

    let inventory = inventory(&catalog, &paths, None)?;
    any_error |= print_findings(&inventory.diagnostics);
    let lang = latest.default_language();
    // The samples include a disagreement on purpose: the latest submission settles it.
    let policy = ConflictPolicy::Latest;
    let mut table = ScoreWriter::new(ScoreFormat::Table, &inventory.versions, lang, Vec::new())
        .map_err(internal)?;
    // Scored once: the table and the report both render these results.
    let mut results = Vec::new();
    score_all(
        &inventory,
        policy,
        |result| result,
        |result| {
            any_error |= print_findings(&result.diagnostics);
            if let Some(tree) = &result.tree {
                table
                    .push(&result, tree, &inventory.sources)
                    .map_err(internal)?;
            }
            results.push(result);
            Ok(())
        },
    )?;
    let (templates, _) = Templates::new(None)?;
    let options = ReportOptions {
        lang: lang.to_owned(),
        tlp: Tlp::default(),
        generated: jiff::Timestamp::now(),
        respondent_names: false,
        conflict_policy: policy,
    };
    let data = ReportData::new(
        &inventory.versions,
        &groups,
        &inventory.sources,
        options,
        results,
    );
    let outcome = make_report(&data, &args.out, Formats::ALL, &templates)?;
    let index = args.out.join("index.html");
    let mut printed = table.into_inner().map_err(internal)?;
    printed.extend_from_slice(format!("\n{}\n", index.display()).as_bytes());
    super::print_out(&printed)?;
    eprintln!(
        "\n{} sample responses (16 fictional entities XA–XP in {} sample groups, 3 rounds) in {}",
        paths.len(),
        SAMPLE_GROUPS.len(),
        responses_dir.display()
    );
    eprintln!("sample groups: {}", groups_path.display());
    eprintln!(
        "report: {} (with report.md, scores.csv, datapackage.json, scores.json and {} chart files)",
        index.display(),
        outcome
            .written
            .iter()
            .filter(|p| p.parent().is_some_and(|d| d.ends_with("charts")))
            .count()
    );
    eprintln!(
        "next: cybercap explain {} --country XA --round 2025",
        responses_dir.display()
    );
    Ok(Outcome::from_errors(any_error))
}

fn internal(e: io::Error) -> Error {
    Error::internal("the score table", e)
}
