//! Reading YAML files safely: size limit, UTF-8 check with position, BOM, parse budget, then the
//! semantic checks of questionnaires and responses, every finding at a line:column.

mod aliases;
mod fast;
mod header;
#[cfg(test)]
mod properties;
mod questionnaire;
mod response;

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;

pub use fast::{read_header as read_header_fast, read_response as read_response_fast};
pub(crate) use header::read_header_full;
pub use header::{ResponseHeader, read_header};
pub use questionnaire::check_questionnaire;
pub use response::{check_answer_doc, check_response, unknown_question_message};

use crate::Error;
use crate::diagnostic::{Diagnostic, Position};
use crate::model::Questionnaire;
use crate::model::doc::ResponseDoc;

/// YAML files above this size are refused before reading: no questionnaire or response comes
/// near it, and a parser should never be handed hundreds of megabytes by accident.
pub const MAX_YAML_BYTES: u64 = 16 * 1024 * 1024;

/// The text of a file, checked for size and UTF-8, without its byte-order mark.
#[derive(Debug, Clone)]
pub struct Source {
    /// Where it came from (a path, or a name for embedded files).
    pub path: PathBuf,
    /// The text.
    pub text: String,
}

impl Source {
    /// Reads a file: refuses it above `MAX_YAML_BYTES`, checks UTF-8 and strips a BOM.
    pub fn read(path: &Path) -> Result<Source, Error> {
        let unreadable = |source| Error::Read {
            path: path.to_owned(),
            source,
        };
        let file = File::open(path).map_err(unreadable)?;
        let size = file.metadata().map_err(unreadable)?.len();
        if size > MAX_YAML_BYTES {
            return Err(Error::Invalid(vec![too_large(path, size)]));
        }
        let mut bytes = Vec::with_capacity(size as usize);
        // The size can change between the check and the read: read at most one byte too many.
        file.take(MAX_YAML_BYTES + 1)
            .read_to_end(&mut bytes)
            .map_err(unreadable)?;
        if bytes.len() as u64 > MAX_YAML_BYTES {
            return Err(Error::Invalid(vec![too_large(path, bytes.len() as u64)]));
        }
        Source::from_bytes(path, bytes).map_err(|d| Error::Invalid(vec![d]))
    }

    /// Checks bytes for UTF-8 (reporting the line:column of the first bad byte) and strips a BOM.
    pub fn from_bytes(path: &Path, mut bytes: Vec<u8>) -> Result<Source, Diagnostic> {
        if bytes.starts_with(b"\xEF\xBB\xBF") {
            bytes.drain(..3);
        }
        match String::from_utf8(bytes) {
            Ok(text) => Ok(Source {
                path: path.to_owned(),
                text,
            }),
            Err(err) => {
                let valid = err.utf8_error().valid_up_to();
                let bytes = err.as_bytes();
                let byte = bytes[valid];
                // The prefix is valid UTF-8 by definition of `valid_up_to`.
                let prefix = std::str::from_utf8(&bytes[..valid]).unwrap_or_default();
                Err(Diagnostic::error(
                    path,
                    position_at(prefix),
                    format!(
                        "invalid UTF-8 (byte 0x{byte:02X}); expected a UTF-8 text file \
                         (save it as UTF-8 in your editor)"
                    ),
                ))
            }
        }
    }

    /// Wraps text already known to be valid (embedded files).
    pub fn from_text(path: &Path, text: &str) -> Source {
        Source {
            path: path.to_owned(),
            text: text.strip_prefix('\u{feff}').unwrap_or(text).to_owned(),
        }
    }
}

fn too_large(path: &Path, size: u64) -> Diagnostic {
    Diagnostic::error(
        path,
        Position::default(),
        format!(
            "file is {:.1} MiB; expected a YAML file of at most {} MiB",
            size as f64 / (1024.0 * 1024.0),
            MAX_YAML_BYTES / (1024 * 1024)
        ),
    )
}

/// The line:column just after `prefix`.
fn position_at(prefix: &str) -> Position {
    let line = prefix.matches('\n').count() as u64 + 1;
    let line_start = prefix.rfind('\n').map_or(0, |i| i + 1);
    let column = prefix[line_start..].chars().count() as u64 + 1;
    Position::new(line, column)
}

/// Parses YAML into `T` within the parser's budget (depth, nodes, aliases).
pub fn parse_yaml<T: DeserializeOwned>(source: &Source) -> Result<T, Diagnostic> {
    let options = serde_saphyr::options! {
        with_snippet: false,
    };
    serde_saphyr::from_str_with_options(&source.text, options).map_err(|err| {
        // Whatever the parser stopped at, a bomb is the cause worth naming: checked only for a
        // file already refused, so valid files pay nothing for it.
        if let Some(position) = aliases::alias_bomb(&source.text) {
            return Diagnostic::error(
                &source.path,
                position,
                format!(
                    "YAML aliases (`*name`) expand here to more than {} nodes; expected a plain YAML document without an alias bomb",
                    aliases::MAX_EXPANDED_NODES
                ),
            );
        }
        let position = err
            .location()
            .map(|l| Position::new(l.line(), l.column()))
            .unwrap_or_default();
        let message = serde_saphyr::MessageFormatter::format_message(
            &serde_saphyr::UserMessageFormatter,
            &err,
        );
        let structural = matches!(
            err,
            serde_saphyr::Error::Message { .. }
                | serde_saphyr::Error::SerdeInvalidType { .. }
                | serde_saphyr::Error::SerdeInvalidValue { .. }
                | serde_saphyr::Error::SerdeInvalidLength { .. }
                | serde_saphyr::Error::SerdeUnknownVariant { .. }
                | serde_saphyr::Error::SerdeUnknownField { .. }
                | serde_saphyr::Error::SerdeMissingField { .. }
                | serde_saphyr::Error::DuplicateMappingKey { .. }
                | serde_saphyr::Error::NonFiniteFloat { .. }
        );
        Diagnostic::error(&source.path, position, yaml_message(&message, structural))
    })
}

/// Turns the parser's wording into ours: what is wrong, then what was expected. `structural`
/// errors are valid YAML with a value the format does not allow.
fn yaml_message(message: &str, structural: bool) -> String {
    let message = message.trim();
    if structural {
        message.to_owned()
    } else if ["budget", "depth", "alias", "recursion", "limit"]
        .iter()
        .any(|w| message.contains(w))
    {
        format!(
            "{message}; expected a plain YAML document (the file nests too deeply or expands \
             too many aliases to be a questionnaire or response)"
        )
    } else {
        format!("invalid YAML: {message}")
    }
}

/// What a YAML file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocumentKind {
    /// A questionnaire (it has `pillars:`).
    Questionnaire,
    /// A response (it has `questionnaire:`).
    Response,
}

/// Tells a questionnaire from a response by their top-level keys, without parsing.
pub fn detect_kind(text: &str) -> Option<DocumentKind> {
    for line in text.lines() {
        let key = line
            .split(':')
            .next()
            .unwrap_or("")
            .trim_matches(['"', '\'']);
        if line.starts_with(char::is_whitespace) || !line.contains(':') {
            continue;
        }
        match key {
            "questionnaire" | "answers" | "country" => return Some(DocumentKind::Response),
            "pillars" | "stages" => return Some(DocumentKind::Questionnaire),
            _ => {}
        }
    }
    None
}

/// Reads a response document: by the fast reader when the file is in the plain layout, by the
/// YAML parser otherwise.
pub fn read_response_doc(source: &Source) -> Result<ResponseDoc, Diagnostic> {
    match read_response_fast(&source.text) {
        Some(doc) => Ok(doc),
        None => parse_yaml(source),
    }
}

/// Loads and checks a questionnaire: the questionnaire and its warnings, or every finding.
pub fn load_questionnaire(
    source: &Source,
) -> Result<(Questionnaire, Vec<Diagnostic>), Vec<Diagnostic>> {
    let doc = parse_yaml(source).map_err(|d| vec![d])?;
    check_questionnaire(&source.path, &doc)
}

/// The small questionnaire of the test fixtures (`hygiene.yaml`), loaded, for unit tests.
#[cfg(test)]
pub(crate) fn hygiene_fixture() -> Questionnaire {
    let text = include_str!("../../tests/fixtures/questionnaires/hygiene.yaml");
    load_questionnaire(&Source::from_text(Path::new("hygiene.yaml"), text))
        .expect("the fixture is valid")
        .0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_utf8_is_reported_at_its_line_and_column() {
        let bytes = b"id: x\ntitle: caf\xE9\n".to_vec();
        let d = Source::from_bytes(Path::new("q.yaml"), bytes).unwrap_err();
        assert_eq!(d.position, Position::new(2, 11));
        assert!(d.message.contains("0xE9"), "{}", d.message);
    }

    #[test]
    fn bom_is_stripped() {
        let s = Source::from_bytes(Path::new("q.yaml"), b"\xEF\xBB\xBFid: x".to_vec()).unwrap();
        assert_eq!(s.text, "id: x");
    }

    #[test]
    fn kinds_are_detected_from_top_level_keys() {
        assert_eq!(
            detect_kind("# c\nquestionnaire: a@1\n"),
            Some(DocumentKind::Response)
        );
        assert_eq!(
            detect_kind("id: a\nversion: 1\npillars:\n"),
            Some(DocumentKind::Questionnaire)
        );
        assert_eq!(detect_kind("id: a\n"), None);
    }

    #[test]
    fn deep_nesting_is_refused_with_a_position() {
        let text = format!("a: {}{}", "[".repeat(20_000), "]".repeat(20_000));
        let source = Source::from_text(Path::new("deep.yaml"), &text);
        let err = parse_yaml::<serde_json::Value>(&source).unwrap_err();
        assert!(err.is_error());
    }
}
