//! `cybercap questionnaire show|diff`: a built-in questionnaire as YAML to edit, and what changed
//! between two versions.

use cybercap::Error;
use cybercap::builtin::questionnaire_source;
use cybercap::fsio::write_atomic;
use cybercap::inputs::Catalog;
use cybercap::model::diff::{ChangeKind, Level, diff};

use super::Outcome;
use crate::cli::{DiffFormat, QuestionnaireCommand};

/// Runs `questionnaire show` or `questionnaire diff`.
pub fn run(command: QuestionnaireCommand) -> Result<Outcome, Error> {
    match command {
        QuestionnaireCommand::Show { questionnaire, out } => {
            let text = source_text(&questionnaire)?;
            match out {
                Some(path) if path.exists() => Err(Error::Refused(format!(
                    "{} exists; expected a new file (choose another --out)",
                    path.display()
                ))),
                Some(path) => {
                    write_atomic(&path, text.as_bytes())?;
                    eprintln!("{}", path.display());
                    Ok(Outcome::Success)
                }
                None => {
                    super::print_out(text.as_bytes())?;
                    Ok(Outcome::Success)
                }
            }
        }
        QuestionnaireCommand::Diff { old, new, format } => {
            let (old, new) = (Catalog::questionnaire(&old)?, Catalog::questionnaire(&new)?);
            if old.id != new.id {
                return Err(Error::Usage(format!(
                    "`{}` and `{}` are different questionnaires; expected two versions of one",
                    old.reference(),
                    new.reference()
                )));
            }
            let changes = diff(&old, &new);
            let text = match format {
                DiffFormat::Json => {
                    let json = serde_json::json!({
                        "old": old.reference(),
                        "new": new.reference(),
                        "generator": cybercap::GENERATOR,
                        "changes": changes,
                    });
                    let mut text = serde_json::to_string_pretty(&json)
                        .map_err(|e| Error::internal("the changes as JSON", e))?;
                    text.push('\n');
                    text
                }
                DiffFormat::Text => {
                    let mut text = format!(
                        "{} → {}: {} change{}\n",
                        old.reference(),
                        new.reference(),
                        changes.len(),
                        if changes.len() == 1 { "" } else { "s" }
                    );
                    for change in &changes {
                        let level = match change.level {
                            Level::Pillar => "pillar",
                            Level::Indicator => "indicator",
                            Level::Question => "question",
                        };
                        let what = match change.kind {
                            ChangeKind::Added => "added",
                            ChangeKind::Removed => "removed",
                            ChangeKind::Renamed => "renamed",
                            ChangeKind::Reweighted => "re-weighted",
                            ChangeKind::Moved => "moved",
                            ChangeKind::TypeChanged => "type changed",
                            ChangeKind::OptionsChanged => "options changed",
                        };
                        text.push_str(&format!("{what:<16}{level:<10}{}", change.id));
                        if let (Some(from), Some(to)) = (&change.from, &change.to) {
                            text.push_str(&format!(": {from} → {to}"));
                        }
                        text.push('\n');
                    }
                    text
                }
            };
            super::print_out(text.as_bytes())?;
            Ok(Outcome::Success)
        }
    }
}

/// The text of a questionnaire as its author wrote it, comments included: the embedded file of a
/// built-in one, or the file given (checked first, so that what is shown is a valid start).
fn source_text(name: &str) -> Result<String, Error> {
    let questionnaire = Catalog::questionnaire(name)?;
    let path = std::path::Path::new(name);
    if path.exists() {
        return std::fs::read_to_string(path).map_err(|e| Error::Read {
            path: path.to_owned(),
            source: e,
        });
    }
    questionnaire_source(&questionnaire.reference())
        .map(|source| source.text.to_string())
        .ok_or_else(|| Error::NotFound(format!("no built-in text for `{name}`")))
}
