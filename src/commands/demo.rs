//! `cybercap demo`: the built-in questionnaire and synthetic samples, written out and scored.

use std::fmt::Write as _;
use std::io::{self, Write};

use cybercap::Error;
use cybercap::builtin::DEFAULT_QUESTIONNAIRE;
use cybercap::collect::{Catalog, inventory};
use cybercap::fsio::write_atomic;
use cybercap::model::write::response_to_yaml;
use cybercap::output::score::{ScoreFormat, ScoreWriter};
use cybercap::samples::{SAMPLE_GROUPS, generate};
use cybercap::scoring::ConflictPolicy;

use super::{Outcome, report};
use crate::cli::DemoArgs;

/// Writes the samples and their scores into `--out`, and prints the score table.
pub fn run(args: DemoArgs) -> Result<Outcome, Error> {
    let catalog = Catalog::new(Some(DEFAULT_QUESTIONNAIRE))?;
    let questionnaire = catalog
        .chosen()
        .ok_or_else(|| Error::Usage("the built-in questionnaire is missing".to_owned()))?;
    let responses_dir = args.out.join("responses");
    let mut paths = Vec::new();
    for sample in generate(questionnaire) {
        let path = responses_dir.join(&sample.file_name);
        write_atomic(
            &path,
            response_to_yaml(questionnaire, &sample.response).as_bytes(),
        )?;
        paths.push(path);
    }
    let groups_path = args.out.join("groups.yaml");
    write_atomic(&groups_path, sample_groups_yaml().as_bytes())?;

    // The samples include a disagreement on purpose: the latest submission settles it.
    let inventory = inventory(&catalog, &paths)?;
    let mut any_error = report(&inventory.diagnostics);
    let lang = questionnaire.default_language();
    let mut table =
        ScoreWriter::new(ScoreFormat::Table, questionnaire, lang, Vec::new()).map_err(internal)?;
    let mut json =
        ScoreWriter::new(ScoreFormat::Json, questionnaire, lang, Vec::new()).map_err(internal)?;
    let mut csv =
        ScoreWriter::new(ScoreFormat::Csv, questionnaire, lang, Vec::new()).map_err(internal)?;
    let mut disagreements = 0;
    inventory.score_all(ConflictPolicy::Latest, |result| {
        any_error |= report(&result.diagnostics);
        disagreements += result.merged.disagreements.len();
        if let Some(tree) = &result.tree {
            for writer in [&mut table, &mut json, &mut csv] {
                writer
                    .push(&result, tree, &inventory.files)
                    .map_err(internal)?;
            }
        }
        Ok(())
    })?;
    let json_path = args.out.join("scores.json");
    let csv_path = args.out.join("scores.csv");
    write_atomic(&json_path, &finish(json)?)?;
    write_atomic(&csv_path, &finish(csv)?)?;
    io::stdout()
        .write_all(&finish(table)?)
        .map_err(|e| Error::Write {
            path: "<stdout>".into(),
            source: e,
        })?;
    eprintln!(
        "\n{} sample responses ({} entities, {} groups, {} disagreement(s) settled by the latest submission) in {}",
        paths.len(),
        inventory
            .groups
            .keys()
            .map(|(c, _)| c)
            .collect::<std::collections::BTreeSet<_>>()
            .len(),
        SAMPLE_GROUPS.len(),
        disagreements,
        responses_dir.display()
    );
    eprintln!("sample groups: {}", groups_path.display());
    eprintln!("scores: {} and {}", json_path.display(), csv_path.display());
    eprintln!(
        "next: cybercap explain {} --country XA --round 2025",
        responses_dir.display()
    );
    Ok(Outcome::from_errors(any_error))
}

fn finish(writer: ScoreWriter<Vec<u8>>) -> Result<Vec<u8>, Error> {
    writer.into_inner().map_err(internal)
}

fn internal(e: io::Error) -> Error {
    Error::Write {
        path: "<memory>".into(),
        source: e,
    }
}

/// The sample groups as a groups file: group name → entity codes.
fn sample_groups_yaml() -> String {
    let mut out =
        String::from("# Sample groups of the demo: fictional entities named after real regions.\n");
    for (name, codes) in SAMPLE_GROUPS {
        let _ = writeln!(out, "\"{name}\": [{}]", codes.join(", "));
    }
    out
}
