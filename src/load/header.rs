//! The header of a response — `questionnaire`, `country`, `round` — read on its own, with the
//! positions of its values, so that many files can be grouped before any is checked.

use serde::Deserialize;

use super::{Source, fast, parse_yaml};
use crate::diagnostic::{At, Diagnostic, Position};
use crate::model::doc::{ResponseDoc, ScalarText};

/// The fields of a response that say where it belongs, each with where it was written.
#[derive(Debug, Clone, PartialEq)]
pub struct ResponseHeader {
    /// `id@version` of the questionnaire, without surrounding spaces.
    pub questionnaire: String,
    /// Where `questionnaire:` was written.
    pub questionnaire_position: Position,
    /// `country:` as written.
    pub country: At<String>,
    /// `round:` as written.
    pub round: At<ScalarText>,
}

impl ResponseHeader {
    /// The header of these values as the YAML parser reads them.
    pub fn new(questionnaire: At<String>, country: At<String>, round: At<ScalarText>) -> Self {
        ResponseHeader {
            questionnaire: questionnaire.value.trim().to_owned(),
            questionnaire_position: questionnaire.position,
            country,
            round,
        }
    }

    /// The header of a document already read.
    pub fn of(doc: &ResponseDoc) -> Self {
        ResponseHeader::new(
            doc.questionnaire.clone(),
            doc.country.clone(),
            doc.round.clone(),
        )
    }
}

/// The top of a response as the YAML parser reads it, other keys ignored.
#[derive(Debug, Deserialize)]
struct HeaderDoc {
    questionnaire: At<String>,
    country: At<String>,
    round: At<ScalarText>,
}

/// Reads the header of a response: by the fast reader when the file is in a block layout it
/// reads, by the YAML parser otherwise, whose finding is the diagnostic.
pub fn read_header(source: &Source) -> Result<ResponseHeader, Diagnostic> {
    if let Some(header) = fast::read_header(&source.text) {
        return Ok(header);
    }
    read_header_full(source)
}

/// The header as the YAML parser alone reads it.
pub(crate) fn read_header_full(source: &Source) -> Result<ResponseHeader, Diagnostic> {
    parse_yaml::<HeaderDoc>(source)
        .map(|h| ResponseHeader::new(h.questionnaire, h.country, h.round))
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    fn both(text: &str) -> (Option<ResponseHeader>, Result<ResponseHeader, Diagnostic>) {
        let source = Source::from_text(Path::new("r.yaml"), text);
        (fast::read_header(text), read_header_full(&source))
    }

    #[test]
    fn reads_plain_and_quoted_scalars_with_their_positions() {
        let (fast, full) =
            both("questionnaire: a@1\ncountry: NO\nround: \"2025\"\nanswers:\n  q: 1\n");
        let full = full.unwrap();
        assert_eq!(fast.as_ref(), Some(&full));
        assert_eq!(full.round.value.0, "2025");
        assert_eq!(full.round.position, Position::new(3, 8));
    }

    #[test]
    fn finds_keys_after_the_answers_as_sorted_keys_put_them() {
        let text = "answers:\n  q:\n  - a\n  - b\n  round: x\ncountry: XA\nquestionnaire: 'a@1'\nround: '2025.10'\n";
        let (fast, full) = both(text);
        assert_eq!(fast.as_ref(), Some(full.as_ref().unwrap()));
    }

    #[test]
    fn a_file_the_parser_refuses_is_refused_whatever_its_header() {
        for text in [
            "country: XA\nround: 1\n",
            "country: [XA]\nround: 1\nquestionnaire: a@1\n",
            "country: XA\ncountry: XB\nround: 1\nquestionnaire: a@1\n",
            "questionnaire: a@1\ncountry: XA\nround: 1\nanswers:\n  q: [\n",
        ] {
            let (fast, full) = both(text);
            assert_eq!(fast, None, "{text}");
            assert!(full.is_err(), "{text}");
        }
    }
}
