//! The report's labels in en, es, pt and fr, from the embedded catalogue `reports/i18n.yaml`.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::OnceLock;

use crate::load::{Source, parse_yaml};

const CATALOGUE: &str = include_str!("../../reports/i18n.yaml");

type Catalogue = BTreeMap<String, BTreeMap<String, String>>;

fn catalogue() -> &'static Catalogue {
    static LABELS: OnceLock<Catalogue> = OnceLock::new();
    LABELS.get_or_init(|| {
        // Checked complete by the tests; an unreadable catalogue would show keys instead of labels.
        parse_yaml(&Source::from_text(Path::new("i18n.yaml"), CATALOGUE)).unwrap_or_default()
    })
}

/// The label `key` in `lang`, falling back to English, then to the key itself.
pub fn label(key: &str, lang: &str) -> String {
    catalogue()
        .get(key)
        .and_then(|by_lang| by_lang.get(lang).or_else(|| by_lang.get("en")))
        .cloned()
        .unwrap_or_else(|| key.to_owned())
}

/// The label `key` with `{name}` placeholders filled in.
pub fn label_with(key: &str, lang: &str, values: &[(&str, &str)]) -> String {
    values.iter().fold(label(key, lang), |text, (name, value)| {
        text.replace(&format!("{{{name}}}"), value)
    })
}

/// Every label, keyed by name, in `lang`, for templates.
pub fn labels(lang: &str) -> BTreeMap<String, String> {
    catalogue()
        .keys()
        .map(|key| (key.clone(), label(key, lang)))
        .collect()
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;

    fn placeholders(text: &str) -> BTreeSet<&str> {
        text.split('{')
            .skip(1)
            .filter_map(|part| part.split_once('}').map(|(name, _)| name))
            .collect()
    }

    #[test]
    fn every_label_exists_in_four_languages_with_the_same_placeholders() {
        let catalogue = catalogue();
        assert!(catalogue.len() > 40);
        for (key, by_lang) in catalogue {
            let english = by_lang.get("en").unwrap_or_else(|| panic!("{key}: no en"));
            for lang in ["es", "pt", "fr"] {
                let text = by_lang
                    .get(lang)
                    .unwrap_or_else(|| panic!("{key}: no {lang}"));
                assert!(!text.trim().is_empty(), "{key}: empty {lang}");
                assert_eq!(placeholders(text), placeholders(english), "{key} in {lang}");
            }
        }
    }

    #[test]
    fn placeholders_are_filled() {
        assert_eq!(
            label_with(
                "next_stage",
                "es",
                &[("stage", "3"), ("name", "Establecida")]
            ),
            "Para alcanzar la etapa 3 (Establecida)"
        );
        assert_eq!(label("overall", "de"), "Overall");
    }
}
