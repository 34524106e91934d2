//! Labels of the report and of the answer sheets (`template`) in en, es, pt and fr, from the
//! embedded catalogue `reports/i18n.yaml`.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use super::Catalogue;

const CATALOGUE: &str = include_str!("../../reports/i18n.yaml");

fn catalogue() -> &'static Catalogue {
    static LABELS: OnceLock<Catalogue> = OnceLock::new();
    LABELS.get_or_init(|| Catalogue::parse("reports/i18n.yaml", CATALOGUE))
}

/// The label `key` in `lang`, falling back to English, then to the key itself.
pub fn label(key: &str, lang: &str) -> String {
    catalogue().text(key, lang)
}

/// The label `key` with `{name}` placeholders filled in.
pub fn label_with(key: &str, lang: &str, values: &[(&str, &str)]) -> String {
    catalogue().text_with(key, lang, values)
}

/// The label `key` for a count of `n` in `lang`, from `key_one` when there is one thing, with
/// `{n}` and `values` filled in.
pub fn counted(key: &str, n: usize, lang: &str, values: &[(&str, &str)]) -> String {
    let key = if n == 1 {
        format!("{key}_one")
    } else {
        key.to_owned()
    };
    let count = n.to_string();
    let mut values = values.to_vec();
    values.push(("n", &count));
    label_with(&key, lang, &values)
}

/// Every label, keyed by name, in `lang`, for templates.
pub fn labels(lang: &str) -> BTreeMap<String, String> {
    catalogue()
        .keys()
        .map(|key| (key.to_owned(), label(key, lang)))
        .collect()
}

/// A question's refs on one line in `lang`, `Frameworks: CMM-2021 D3.2 · NCAF-2020 7`, as
/// `explain`, `take`'s help and the answer sheet show them; `None` when it has none.
pub fn frameworks_line(refs: &[String], lang: &str) -> Option<String> {
    (!refs.is_empty()).then(|| label_with("frameworks_line", lang, &[("refs", &refs.join(" · "))]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_label_exists_in_four_languages_with_the_same_placeholders() {
        let catalogue = catalogue();
        assert!(catalogue.len() > 40);
        assert_eq!(catalogue.gaps(&["es", "pt", "fr"]), Vec::<String>::new());
    }

    /// French typography: a no-break space before `:`, `;`, `?` and `!`, so they never start a
    /// line; code examples inside braces are left as they must be typed.
    #[test]
    fn french_keeps_double_punctuation_with_its_word() {
        let catalogue = catalogue();
        let mut bad = Vec::new();
        for key in catalogue.keys() {
            let text = catalogue.text(key, "fr");
            let mut depth = 0i32;
            let mut previous = None;
            for c in text.chars() {
                match c {
                    '{' => depth += 1,
                    '}' => depth -= 1,
                    ':' | ';' | '?' | '!'
                        if depth == 0
                            && previous.is_some_and(|p| p != '\u{a0}' && p != '\u{202f}') =>
                    {
                        bad.push(format!("{key}: {text}"));
                    }
                    _ => {}
                }
                previous = Some(c);
            }
        }
        assert_eq!(bad, Vec::<String>::new());
    }

    /// The words a sheet offers for yes, no, don't know and not applicable are the words import
    /// reads back as such.
    #[test]
    fn the_answer_words_of_the_sheets_read_back() {
        use crate::answer_words::{Meaning, meaning};
        for lang in ["en", "es", "pt", "fr"] {
            for (key, expected) in [
                ("yes", Meaning::Yes),
                ("no", Meaning::No),
                ("dont_know", Meaning::Unknown),
                ("not_applicable", Meaning::NotApplicable),
            ] {
                assert_eq!(
                    meaning(&label(key, lang)),
                    Some(expected),
                    "{key} in {lang}"
                );
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

    #[test]
    fn every_reason_to_leave_a_country_unscored_has_its_label() {
        for reason in crate::scoring::UnscoredReason::ALL {
            let key = reason.label_key();
            for lang in ["en", "es", "pt", "fr"] {
                assert_ne!(label(key, lang), key, "{key} in {lang}");
            }
        }
        assert_eq!(
            label("unscored_rejected_row", "es"),
            "fila de importación rechazada"
        );
    }

    #[test]
    fn a_chart_source_line_follows_each_languages_typography() {
        let values = [
            ("questionnaire", "q@1"),
            ("date", "2026-12-02"),
            ("version", "0.1.0"),
        ];
        assert_eq!(
            label_with("chart_source", "en", &values),
            "Source: q@1 · 2026-12-02 · cybercap 0.1.0"
        );
        // French sets a no-break space before the colon, so the line never breaks there.
        assert!(label_with("chart_source", "fr", &values).starts_with("Source\u{a0}: q@1"));
        assert_eq!(label("no_data", "es"), "Sin datos");
    }
}
