//! The words that answer yes, no, "not applicable" and "don't know" in the four languages: one
//! table, read by `take` and `import` alike, compared without case or accents.

use unicode_normalization::UnicodeNormalization;

/// The answer words of one language, folded (lower case, no accents).
#[derive(Debug)]
pub struct LanguageWords {
    /// The language code.
    pub lang: &'static str,
    /// Words for yes.
    pub yes: &'static [&'static str],
    /// Words for no.
    pub no: &'static [&'static str],
    /// Words for "not applicable".
    pub not_applicable: &'static [&'static str],
    /// Words for "don't know".
    pub unknown: &'static [&'static str],
}

/// Every language's words. No word means two things: `no` is no in English and Spanish alike.
pub const WORDS: [LanguageWords; 4] = [
    LanguageWords {
        lang: "en",
        yes: &["yes", "y", "true"],
        no: &["no", "n", "false"],
        not_applicable: &["na", "n/a", "not applicable"],
        unknown: &["unknown", "don't know", "dont know", "do not know"],
    },
    LanguageWords {
        lang: "es",
        yes: &["si", "s"],
        no: &["no", "n"],
        not_applicable: &["no aplica", "no corresponde"],
        unknown: &["no sabe", "no se"],
    },
    LanguageWords {
        lang: "pt",
        yes: &["sim", "s"],
        no: &["nao", "n"],
        not_applicable: &["nao se aplica"],
        unknown: &["nao sei", "nao sabe"],
    },
    LanguageWords {
        lang: "fr",
        yes: &["oui", "o"],
        no: &["non", "n"],
        not_applicable: &["sans objet", "non applicable"],
        unknown: &["ne sait pas", "je ne sais pas"],
    },
];

/// What an answer word means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Meaning {
    /// Yes.
    Yes,
    /// No.
    No,
    /// Not applicable.
    NotApplicable,
    /// Don't know.
    Unknown,
}

/// Every word of one kind, in every language.
pub fn words(kind: Meaning) -> impl Iterator<Item = &'static str> {
    WORDS
        .iter()
        .flat_map(move |w| match kind {
            Meaning::Yes => w.yes,
            Meaning::No => w.no,
            Meaning::NotApplicable => w.not_applicable,
            Meaning::Unknown => w.unknown,
        })
        .copied()
}

/// What `text` means as an answer word in any of the four languages, whatever its case and
/// accents (`Sí`, `NÃO`, `Ne sait pas`).
pub fn meaning(text: &str) -> Option<Meaning> {
    let folded = fold(text);
    [
        Meaning::Yes,
        Meaning::No,
        Meaning::NotApplicable,
        Meaning::Unknown,
    ]
    .into_iter()
    .find(|&kind| words(kind).any(|w| w == folded))
}

/// Lower case without accents or surrounding blanks, inner blanks made single: `  Sí ` → `si`.
pub fn fold(text: &str) -> String {
    text.trim()
        .nfd()
        .filter(|c| !unicode_normalization::char::is_combining_mark(*c))
        .flat_map(char::to_lowercase)
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_read_in_every_language_without_case_or_accents() {
        assert_eq!(meaning(" Sí "), Some(Meaning::Yes));
        assert_eq!(meaning("NÃO"), Some(Meaning::No));
        assert_eq!(meaning("o"), Some(Meaning::Yes));
        assert_eq!(meaning("Ne  sait pas"), Some(Meaning::Unknown));
        assert_eq!(meaning("N/A"), Some(Meaning::NotApplicable));
        assert_eq!(meaning("nein"), None);
        assert_eq!(meaning("maybe"), None);
    }

    #[test]
    fn no_word_means_two_things_and_every_word_is_folded() {
        let kinds = [
            Meaning::Yes,
            Meaning::No,
            Meaning::NotApplicable,
            Meaning::Unknown,
        ];
        for kind in kinds {
            for word in words(kind) {
                assert_eq!(fold(word), word, "{word} is written folded");
                for other in kinds.iter().filter(|&&k| k != kind) {
                    assert!(!words(*other).any(|w| w == word), "{word} means two things");
                }
            }
        }
        assert!(WORDS.iter().map(|w| w.lang).eq(["en", "es", "pt", "fr"]));
    }
}
