//! Reading the `questionnaire`, `country` and `round` of a response from the first events of the
//! YAML parser, stopping as soon as they are known, so that grouping many files costs a fraction
//! of parsing them.

use serde_saphyr::granit_parser::{Event, Parser};

/// The three keys that place a response in its group, as their scalar text.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct HeaderFields {
    /// `questionnaire:` (id@version).
    pub questionnaire: String,
    /// `country:`.
    pub country: String,
    /// `round:`.
    pub round: String,
}

/// The header of a response whose root is a mapping with these keys as plain or quoted scalars;
/// `None` for anything else (the caller then parses the whole file and reports what is wrong).
pub fn read_header(text: &str) -> Option<HeaderFields> {
    let mut parser = Parser::new_from_str(text);
    let mut fields: [Option<String>; 3] = [None, None, None];
    let mut depth = 0usize;
    // At depth 1, whether the next node is a key, and which wanted key a value belongs to.
    let mut expecting_key = true;
    let mut pending: Option<usize> = None;
    while let Some(result) = parser.next_event() {
        let (event, _) = result.ok()?;
        match event {
            Event::StreamStart | Event::DocumentStart(..) => {}
            Event::MappingStart(..) | Event::SequenceStart(..) => {
                if depth == 0 && !matches!(event, Event::MappingStart(..)) {
                    return None;
                }
                if depth == 1 {
                    // A collection as a value of a wanted key is not a header we can read.
                    if pending.is_some() || expecting_key {
                        return None;
                    }
                }
                depth += 1;
            }
            Event::MappingEnd | Event::SequenceEnd => {
                depth = depth.checked_sub(1)?;
                if depth == 1 {
                    expecting_key = true;
                }
                if depth == 0 {
                    return None;
                }
            }
            Event::Scalar(value, ..) if depth == 1 => {
                if expecting_key {
                    pending = ["questionnaire", "country", "round"]
                        .iter()
                        .position(|k| *k == value);
                    expecting_key = false;
                } else {
                    if let Some(slot) = pending.take() {
                        if fields[slot].is_some() {
                            return None;
                        }
                        fields[slot] = Some(value.into_owned());
                        if fields.iter().all(Option::is_some) {
                            let [questionnaire, country, round] = fields;
                            return Some(HeaderFields {
                                questionnaire: questionnaire?,
                                country: country?,
                                round: round?,
                            });
                        }
                    }
                    expecting_key = true;
                }
            }
            Event::Scalar(..) => {}
            Event::Alias(_) if depth == 1 => return None,
            Event::DocumentEnd | Event::StreamEnd => return None,
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(q: &str, c: &str, r: &str) -> Option<HeaderFields> {
        Some(HeaderFields {
            questionnaire: q.into(),
            country: c.into(),
            round: r.into(),
        })
    }

    #[test]
    fn reads_plain_and_quoted_scalars() {
        let text = "questionnaire: a@1\ncountry: NO\nround: \"2025\"\nanswers:\n  q: 1\n";
        assert_eq!(read_header(text), header("a@1", "NO", "2025"));
    }

    #[test]
    fn finds_keys_after_nested_values() {
        let text = "respondent: {name: x}\nanswers:\n  q: [a, b]\n  round: x\nround: 2025.10\ncountry: XA\nquestionnaire: 'a@1'\n";
        assert_eq!(read_header(text), header("a@1", "XA", "2025.10"));
    }

    #[test]
    fn gives_up_on_what_it_cannot_read() {
        assert_eq!(read_header("- a\n- b\n"), None);
        assert_eq!(read_header("country: XA\nround: 1\n"), None);
        assert_eq!(
            read_header("country: [XA]\nround: 1\nquestionnaire: a@1\n"),
            None
        );
        assert_eq!(
            read_header("country: XA\ncountry: XB\nround: 1\nquestionnaire: a@1\n"),
            None
        );
        assert_eq!(read_header("a: [\n"), None);
    }
}
