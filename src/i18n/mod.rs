//! Catalogues of interface strings in several languages, embedded as YAML (`key: {en: …, es: …}`),
//! with `{name}` placeholders. The report's labels and the terminal's strings both use them.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

pub mod labels;

use crate::load::{Source, parse_yaml};
use crate::model::text::FALLBACK_LANGUAGE;

/// Key → language → text.
#[derive(Debug, Clone, Default)]
pub struct Catalogue(BTreeMap<String, BTreeMap<String, String>>);

impl Catalogue {
    /// Parses an embedded catalogue. The embedded files are checked complete by the tests; an
    /// unreadable one yields an empty catalogue, which shows keys instead of texts rather than
    /// taking the command down.
    pub fn parse(name: &str, text: &str) -> Catalogue {
        Catalogue(parse_yaml(&Source::from_text(Path::new(name), text)).unwrap_or_default())
    }

    /// The text of `key` in `lang`, falling back to English, then to the key itself.
    pub fn text(&self, key: &str, lang: &str) -> String {
        self.0
            .get(key)
            .and_then(|by_lang| by_lang.get(lang).or_else(|| by_lang.get(FALLBACK_LANGUAGE)))
            .cloned()
            .unwrap_or_else(|| key.to_owned())
    }

    /// The text of `key` with its `{name}` placeholders filled in.
    pub fn text_with(&self, key: &str, lang: &str, values: &[(&str, &str)]) -> String {
        fill(&self.text(key, lang), values)
    }

    /// Every key, sorted.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.0.keys().map(String::as_str)
    }

    /// What is missing for the catalogue to be complete in `languages`: a key without a text in
    /// one of them, or with other placeholders than its English text. Empty when complete.
    pub fn gaps(&self, languages: &[&str]) -> Vec<String> {
        let mut gaps = Vec::new();
        for (key, by_lang) in &self.0 {
            let Some(english) = by_lang.get(FALLBACK_LANGUAGE) else {
                gaps.push(format!("{key}: no {FALLBACK_LANGUAGE} text"));
                continue;
            };
            for lang in languages {
                match by_lang.get(*lang) {
                    None => gaps.push(format!("{key}: no {lang} text")),
                    Some(text) if text.trim().is_empty() => {
                        gaps.push(format!("{key}: empty {lang} text"));
                    }
                    Some(text) if placeholders(text) != placeholders(english) => {
                        gaps.push(format!(
                            "{key}: {lang} has placeholders {:?}, en has {:?}",
                            placeholders(text),
                            placeholders(english)
                        ))
                    }
                    Some(_) => {}
                }
            }
        }
        gaps
    }

    /// The number of keys.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether the catalogue has no key.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// `text` with each `{name}` replaced by its value.
pub fn fill(text: &str, values: &[(&str, &str)]) -> String {
    values.iter().fold(text.to_owned(), |text, (name, value)| {
        text.replace(&format!("{{{name}}}"), value)
    })
}

/// The `{name}` placeholders of a text.
pub fn placeholders(text: &str) -> BTreeSet<&str> {
    text.split('{')
        .skip(1)
        .filter_map(|part| part.split_once('}').map(|(name, _)| name))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gaps_name_missing_languages_and_placeholders() {
        let catalogue = Catalogue::parse(
            "t.yaml",
            "a: {en: \"{n} files\", es: \"{n} archivos\"}\nb: {en: \"{n} x\", es: \"{m} x\"}\nc: {es: \"solo\"}\n",
        );
        assert_eq!(catalogue.len(), 3);
        let gaps = catalogue.gaps(&["es", "pt"]);
        assert!(gaps.iter().any(|g| g.starts_with("a: no pt")), "{gaps:?}");
        assert!(
            gaps.iter().any(|g| g.starts_with("b: es has placeholders")),
            "{gaps:?}"
        );
        assert!(gaps.iter().any(|g| g.starts_with("c: no en")), "{gaps:?}");
        assert_eq!(catalogue.text_with("a", "fr", &[("n", "2")]), "2 files");
        assert_eq!(catalogue.text("missing", "es"), "missing");
    }
}
