//! Questionnaires embedded in the binary, so an installed `cybercap` works from any folder.

use std::path::Path;

use crate::load::{Source, load_questionnaire};
use crate::model::Questionnaire;

/// (file name, text) of every built-in questionnaire.
const BUILTIN: &[(&str, &str)] = &[(
    "eu-lac-cyber-capacity.yaml",
    include_str!("../questionnaires/eu-lac-cyber-capacity.yaml"),
)];

/// The id of the default questionnaire.
pub const DEFAULT_QUESTIONNAIRE: &str = "eu-lac-cyber-capacity";

/// The built-in questionnaires, parsed and checked.
pub fn questionnaires() -> Vec<Questionnaire> {
    BUILTIN
        .iter()
        .filter_map(|(name, text)| {
            let source = Source::from_text(Path::new(name), text);
            // The built-in files are checked by the test suite; a broken one is left out rather
            // than taking every command down.
            load_questionnaire(&source).ok().map(|(q, _)| q)
        })
        .collect()
}

/// The text of a built-in questionnaire by id, for `validate` and `template`.
pub fn questionnaire_source(id: &str) -> Option<Source> {
    BUILTIN.iter().find_map(|(name, text)| {
        (name.strip_suffix(".yaml") == Some(id)).then(|| Source::from_text(Path::new(name), text))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_builtin_questionnaire_loads_without_findings() {
        for (name, text) in BUILTIN {
            let source = Source::from_text(Path::new(name), text);
            match load_questionnaire(&source) {
                Ok((_, warnings)) => assert!(warnings.is_empty(), "{warnings:#?}"),
                Err(errors) => panic!("{errors:#?}"),
            }
        }
        assert_eq!(questionnaires().len(), BUILTIN.len());
    }
}
