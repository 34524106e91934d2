//! The terminal's strings in en, es, pt and fr, from the embedded catalogue `data/ui-strings.yaml`.

use std::sync::OnceLock;

use crate::i18n::Catalogue;

const CATALOGUE: &str = include_str!("../../data/ui-strings.yaml");

fn catalogue() -> &'static Catalogue {
    static STRINGS: OnceLock<Catalogue> = OnceLock::new();
    STRINGS.get_or_init(|| Catalogue::parse("data/ui-strings.yaml", CATALOGUE))
}

/// The string `key` in `lang`, falling back to English, then to the key itself.
pub fn text(key: &str, lang: &str) -> String {
    catalogue().text(key, lang)
}

/// The string `key` with its `{name}` placeholders filled in.
pub fn text_with(key: &str, lang: &str, values: &[(&str, &str)]) -> String {
    catalogue().text_with(key, lang, values)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::placeholders;

    #[test]
    fn every_string_exists_in_four_languages_with_the_same_placeholders() {
        let catalogue = catalogue();
        assert!(catalogue.len() > 50, "only {} strings", catalogue.len());
        assert_eq!(catalogue.gaps(&["es", "pt", "fr"]), Vec::<String>::new());
    }

    #[test]
    fn every_key_the_code_uses_is_in_the_catalogue() {
        // The keys are literals in the take module's sources: any that the catalogue lacks would
        // show as a bare key on screen.
        let sources = [
            include_str!("view.rs"),
            include_str!("plain.rs"),
            include_str!("flow.rs"),
            include_str!("session.rs"),
            include_str!("strings.rs"),
            include_str!("../terminal.rs"),
        ];
        let known: Vec<&str> = catalogue().keys().collect();
        for source in sources {
            for (i, _) in source
                .match_indices("text(\"")
                .chain(source.match_indices("text_with(\""))
            {
                let rest = &source[i..];
                let start = rest.find('"').unwrap_or(0) + 1;
                let key: String = rest[start..].chars().take_while(|c| *c != '"').collect();
                assert!(
                    known.contains(&key.as_str()),
                    "`{key}` is not in data/ui-strings.yaml"
                );
            }
        }
    }

    #[test]
    fn placeholders_are_filled_in_every_language() {
        for lang in ["en", "es", "pt", "fr"] {
            let line = text_with(
                "saved",
                lang,
                &[
                    ("id", "q1"),
                    ("answer", "yes"),
                    ("answered", "2"),
                    ("total", "7"),
                ],
            );
            assert!(placeholders(&line).is_empty(), "{line}");
            assert!(line.contains("q1") && line.contains('7'), "{line}");
        }
    }
}
