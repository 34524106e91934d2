//! Questionnaires embedded in the binary, so an installed `cybercap` works from any folder.

use std::path::Path;

use crate::load::{Source, load_questionnaire};
use crate::model::Questionnaire;

/// Every built-in questionnaire: (id, version, file name, text), each id's versions oldest first.
/// Earlier versions stay embedded so that rounds answered on them are still scored and compared.
const BUILTIN: &[(&str, &str, &str, &str)] = &[
    (
        "eu-lac-cyber-capacity",
        "1.0.0",
        "eu-lac-cyber-capacity-1.0.0.yaml",
        include_str!("../questionnaires/eu-lac-cyber-capacity-1.0.0.yaml"),
    ),
    (
        "eu-lac-cyber-capacity",
        "1.1.0",
        "eu-lac-cyber-capacity.yaml",
        include_str!("../questionnaires/eu-lac-cyber-capacity.yaml"),
    ),
];

/// The id of the default questionnaire.
pub const DEFAULT_QUESTIONNAIRE: &str = "eu-lac-cyber-capacity";

/// The built-in questionnaires, parsed and checked, each id's versions oldest first.
pub fn questionnaires() -> Vec<Questionnaire> {
    BUILTIN
        .iter()
        .filter_map(|(_, _, name, text)| {
            let source = Source::from_text(Path::new(name), text);
            // The built-in files are checked by the test suite; a broken one is left out rather
            // than taking every command down.
            load_questionnaire(&source).ok().map(|(q, _)| q)
        })
        .collect()
}

/// The latest built-in version of the default questionnaire: what `take`, `template` and the
/// demo's latest round answer.
pub fn latest() -> Option<Questionnaire> {
    // The catalog's rule: a bare id names its latest version.
    crate::inputs::Catalog::questionnaire(DEFAULT_QUESTIONNAIRE).ok()
}

/// The text of a built-in questionnaire named `id` (its latest version) or `id@version`, for
/// `validate`, `template` and `questionnaire show`.
pub fn questionnaire_source(name: &str) -> Option<Source> {
    let (id, version) = match name.split_once('@') {
        Some((id, version)) => (id, Some(version)),
        None => (name, None),
    };
    BUILTIN
        .iter()
        .rev()
        .find(|(i, v, _, _)| *i == id && version.is_none_or(|version| version == *v))
        .map(|(_, _, file, text)| Source::from_text(Path::new(file), text))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_builtin_questionnaire_loads_without_findings() {
        for (id, version, name, text) in BUILTIN {
            let source = Source::from_text(Path::new(name), text);
            match load_questionnaire(&source) {
                Ok((questionnaire, warnings)) => {
                    assert_eq!(
                        (questionnaire.id.as_str(), questionnaire.version.as_str()),
                        (*id, *version)
                    );
                    // 1.0.0 is kept as it was released, refs without their framework's edition
                    // included; every later version is clean.
                    let kept = warnings
                        .iter()
                        .all(|w| w.message.contains("FRAMEWORK-EDITION ITEM"));
                    assert!(
                        warnings.is_empty() || (*version == "1.0.0" && kept),
                        "{warnings:#?}"
                    );
                }
                Err(errors) => panic!("{errors:#?}"),
            }
        }
        assert_eq!(questionnaires().len(), BUILTIN.len());
    }

    #[test]
    fn versions_are_listed_oldest_first_and_a_bare_id_names_the_latest() {
        for pair in BUILTIN.windows(2) {
            if pair[0].0 == pair[1].0 {
                assert_eq!(
                    crate::model::compare_versions(pair[0].1, pair[1].1),
                    std::cmp::Ordering::Less
                );
            }
        }
        let latest = latest().unwrap();
        assert_eq!(latest.version, "1.1.0");
        let source = questionnaire_source(DEFAULT_QUESTIONNAIRE).unwrap();
        assert!(source.text.contains("version: 1.1.0"));
        let old = questionnaire_source("eu-lac-cyber-capacity@1.0.0").unwrap();
        assert!(old.text.contains("version: 1.0.0"));
        assert!(questionnaire_source("eu-lac-cyber-capacity@9.9.9").is_none());
    }
}
