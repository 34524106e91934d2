//! A fast reader for the plain layout of response files that cybercap writes itself: top-level
//! `key: value` lines, `respondent:` and `answers:` blocks, one answer per line or a
//! `value`/`note`/`evidence` block, flow lists of ids, double-quoted strings.
//!
//! It reads a strict subset of YAML and gives up (`None`) on anything else — a comment after a
//! value, an anchor, a block scalar, a word YAML might read two ways — so the full YAML parser
//! takes over and the meaning of a file never depends on which reader read it. A test holds both
//! readers equal, positions included, on every fixture and sample.

use crate::diagnostic::At;
use crate::diagnostic::Position;
use crate::model::doc::{AnswerDoc, AnswersDoc, RespondentDoc, ResponseDoc, ScalarText};
use crate::yaml_text::{YAML_WORDS, is_plain_word, outside_yaml};

/// Reads a response in the plain layout, or `None` to leave it to the YAML parser.
pub fn read_response(text: &str) -> Option<ResponseDoc> {
    // YAML refuses a file with such a character anywhere, even in a comment.
    if text.chars().any(outside_yaml) {
        return None;
    }
    // YAML ends a line at a CR alone too; lines here end at LF, after an optional CR.
    if text
        .match_indices('\r')
        .any(|(i, _)| text.as_bytes().get(i + 1) != Some(&b'\n'))
    {
        return None;
    }
    let lines: Vec<(u64, &str)> = text
        .split('\n')
        .enumerate()
        .map(|(i, l)| (i as u64 + 1, l.strip_suffix('\r').unwrap_or(l)))
        .filter(|(_, l)| {
            let t = l.trim_start_matches(' ');
            !t.is_empty() && !t.starts_with('#')
        })
        .collect();
    let mut reader = Reader { lines, next: 0 };
    let mut questionnaire = None;
    let mut country = None;
    let mut round = None;
    let mut submitted = None;
    let mut respondent = None;
    let mut answers = None;
    while let Some((line_no, line)) = reader.peek() {
        reader.next += 1;
        if line.starts_with(' ') || line.contains('\t') {
            return None;
        }
        let (key, rest) = line.split_once(':')?;
        let value_column = key.len() as u64 + 3;
        let scalar = || -> Option<At<String>> {
            let token = rest.strip_prefix(' ')?;
            let text = string_token(token)?;
            Some(At::new(text, Position::new(line_no, value_column)))
        };
        match key {
            "questionnaire" if questionnaire.is_none() => questionnaire = Some(scalar()?),
            "country" if country.is_none() => country = Some(scalar()?),
            "round" if round.is_none() => round = Some(scalar()?),
            "submitted" if submitted.is_none() => submitted = Some(scalar()?),
            "respondent" if respondent.is_none() && rest.is_empty() => {
                let start = reader.next;
                let read = reader.respondent()?;
                // An empty block is null to YAML, no respondent at all: left to the parser.
                if reader.next == start {
                    return None;
                }
                respondent = Some(read);
            }
            "answers" if answers.is_none() && rest.is_empty() => answers = Some(reader.answers()?),
            "answers" if answers.is_none() && rest == " {}" => answers = Some(Vec::new()),
            _ => return None,
        }
    }
    let text = |at: At<String>| At::new(ScalarText(at.value), at.position);
    Some(ResponseDoc {
        questionnaire: questionnaire?,
        country: country?,
        round: round.map(text)?,
        respondent,
        submitted: submitted.map(text),
        answers: AnswersDoc(answers.unwrap_or_default()),
    })
}

struct Reader<'a> {
    lines: Vec<(u64, &'a str)>,
    next: usize,
}

impl<'a> Reader<'a> {
    fn peek(&self) -> Option<(u64, &'a str)> {
        self.lines.get(self.next).copied()
    }

    /// The next line if it is indented by exactly `indent` spaces, as (line number, content).
    fn nested(&mut self, indent: usize) -> Option<Option<(u64, &'a str)>> {
        let Some((line_no, line)) = self.peek() else {
            return Some(None);
        };
        let spaces = line.len() - line.trim_start_matches(' ').len();
        if spaces < indent {
            return Some(None);
        }
        if spaces > indent || line.contains('\t') {
            return None;
        }
        self.next += 1;
        Some(Some((line_no, &line[indent..])))
    }

    fn respondent(&mut self) -> Option<RespondentDoc> {
        let mut respondent = RespondentDoc::default();
        while let Some((_, line)) = self.nested(2)? {
            let (key, rest) = line.split_once(": ")?;
            // Names are free text: only the quoted form is unambiguous.
            let value = Some(quoted(rest)?);
            match key {
                "name" if respondent.name.is_none() => respondent.name = value,
                "organization" if respondent.organization.is_none() => {
                    respondent.organization = value;
                }
                _ => return None,
            }
        }
        Some(respondent)
    }

    fn answers(&mut self) -> Option<Vec<(At<String>, At<AnswerDoc>)>> {
        let mut answers: Vec<(At<String>, At<AnswerDoc>)> = Vec::new();
        while let Some((line_no, line)) = self.nested(2)? {
            let (key, rest) = line.split_once(':')?;
            if key.is_empty()
                || !key
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'))
            {
                return None;
            }
            if answers.iter().any(|(k, _)| k.value == key) {
                return None;
            }
            let key_at = At::new(key.to_owned(), Position::new(line_no, 3));
            let value = if rest.is_empty() {
                self.detailed()?
            } else {
                let token = rest.strip_prefix(' ')?;
                At::new(
                    answer_token(token, line_no, 3 + key.len() as u64 + 2)?,
                    Position::new(line_no, 3 + key.len() as u64 + 2),
                )
            };
            answers.push((key_at, value));
        }
        Some(answers)
    }

    /// An answer written as a block with `value`, and optionally `note` and `evidence`.
    fn detailed(&mut self) -> Option<At<AnswerDoc>> {
        let mut value: Option<At<AnswerDoc>> = None;
        let mut note = None;
        let mut evidence = None;
        let mut start = None;
        while let Some((line_no, line)) = self.nested(4)? {
            start.get_or_insert(Position::new(line_no, 5));
            let (key, token) = line.split_once(": ")?;
            let column = 5 + key.len() as u64 + 2;
            match key {
                "value" if value.is_none() => {
                    value = Some(At::new(
                        answer_token(token, line_no, column)?,
                        Position::new(line_no, column),
                    ));
                }
                "note" if note.is_none() => note = Some(quoted(token)?),
                "evidence" if evidence.is_none() => {
                    let items = flow_list(token, line_no, column)?;
                    evidence = Some(items.into_iter().map(|i| i.value.0).collect::<Vec<_>>());
                }
                _ => return None,
            }
        }
        let value = value?;
        if matches!(value.value, AnswerDoc::Empty) {
            return None;
        }
        Some(At::new(
            AnswerDoc::Detailed {
                value: Box::new(value),
                note,
                evidence: evidence.unwrap_or_default(),
            },
            start?,
        ))
    }
}

/// A value read as a string field reads it: a double-quoted string, or a plain word whose text is
/// its value.
fn string_token(token: &str) -> Option<String> {
    if token.starts_with('"') {
        return quoted(token);
    }
    let first = token.bytes().next()?;
    let plain = (first.is_ascii_alphanumeric() || first == b'_')
        && token.bytes().all(|b| {
            b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b':' | b'@' | b'+')
        })
        && !token.ends_with(':');
    plain.then(|| token.to_owned())
}

/// A whole double-quoted token with JSON-compatible escapes (a subset of YAML's). JSON takes
/// characters that YAML refuses unescaped: `read_response` has left such a text to the YAML
/// parser already, so both readers give the same verdict.
fn quoted(token: &str) -> Option<String> {
    if token.len() < 2 || !token.starts_with('"') || !token.ends_with('"') {
        return None;
    }
    serde_json::from_str::<String>(token).ok()
}

/// What a plain word means as an answer, the way the YAML parser reads it, or `None` when the
/// word is one whose reading this reader does not promise to match.
pub fn plain_answer(token: &str) -> Option<AnswerDoc> {
    let lower = token.to_ascii_lowercase();
    match token {
        "yes" | "true" | "on" | "y" => return Some(AnswerDoc::Bool(true)),
        "no" | "false" | "off" | "n" => return Some(AnswerDoc::Bool(false)),
        "null" | "~" => return Some(AnswerDoc::Empty),
        _ => {}
    }
    if YAML_WORDS.contains(&lower.as_str()) {
        return None;
    }
    if let Some(number) = plain_number(token) {
        return Some(AnswerDoc::Number(number));
    }
    is_plain_word(token).then(|| AnswerDoc::Text(token.to_owned()))
}

/// `0`, `-12`, `3.25`: decimal numbers without leading zeros, exponent or underscores.
fn plain_number(token: &str) -> Option<f64> {
    let digits = token.strip_prefix('-').unwrap_or(token);
    let (whole, fraction) = match digits.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (digits, None),
    };
    let whole_ok = whole == "0"
        || (!whole.is_empty()
            && !whole.starts_with('0')
            && whole.len() <= 15
            && whole.bytes().all(|b| b.is_ascii_digit()));
    let fraction_ok = fraction
        .is_none_or(|f| !f.is_empty() && f.len() <= 15 && f.bytes().all(|b| b.is_ascii_digit()));
    if whole_ok && fraction_ok {
        token.parse().ok()
    } else {
        None
    }
}

fn answer_token(token: &str, line: u64, column: u64) -> Option<AnswerDoc> {
    if token.starts_with('[') {
        return flow_list(token, line, column).map(AnswerDoc::List);
    }
    if token.starts_with('"') {
        return quoted(token).map(AnswerDoc::Text);
    }
    plain_answer(token)
}

/// `[a, b, "c d"]` on one line, items at their columns.
fn flow_list(token: &str, line: u64, column: u64) -> Option<Vec<At<ScalarText>>> {
    let inner = token.strip_prefix('[')?.strip_suffix(']')?;
    if inner.is_empty() {
        return Some(Vec::new());
    }
    let mut items = Vec::new();
    let mut offset = 1; // characters after `[`
    let mut rest = inner;
    loop {
        let (item, tail) = if rest.starts_with('"') {
            let end = closing_quote(rest)?;
            (&rest[..=end], &rest[end + 1..])
        } else {
            match rest.find(',') {
                Some(i) => (&rest[..i], &rest[i..]),
                None => (rest, ""),
            }
        };
        let text = if item.starts_with('"') {
            quoted(item)?
        } else if is_plain_word(item) || plain_number(item).is_some() && !item.contains('.') {
            item.to_owned()
        } else {
            return None;
        };
        items.push(At::new(
            ScalarText(text),
            Position::new(line, column + offset),
        ));
        offset += item.chars().count() as u64;
        if tail.is_empty() {
            return Some(items);
        }
        rest = tail.strip_prefix(", ")?;
        offset += 2;
    }
}

/// The byte index of the quote closing the string that starts at 0.
fn closing_quote(text: &str) -> Option<usize> {
    let mut escaped = false;
    for (i, c) in text.char_indices().skip(1) {
        match c {
            '\\' if !escaped => escaped = true,
            '"' if !escaped => return Some(i),
            _ => escaped = false,
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn both(text: &str) -> (Option<ResponseDoc>, ResponseDoc) {
        let source = super::super::Source::from_text(std::path::Path::new("t.yaml"), text);
        (
            read_response(text),
            super::super::parse_yaml(&source).unwrap(),
        )
    }

    #[test]
    fn reads_the_plain_layout_as_the_yaml_parser_does() {
        let text = "# c\nquestionnaire: \"a@1\"\ncountry: NO\nround: \"2025\"\nrespondent:\n  name: \"Ana \\\"Q\\\" Díaz\"\n  organization: \"CERT\"\nsubmitted: 2025-03-14T10:00:00Z\nanswers:\n  q1: established\n  q2: [a, \"b c\", d]\n  q3: 42\n  q4: -3.5\n  q5: yes\n  q6: \"na\"\n  q7:\n    value: [x]\n    note: \"why: because\"\n    evidence: [\"https://e.org/a\", \"https://e.org/b\"]\n  q8: null\n  q9: []\n";
        let (fast, full) = both(text);
        assert_eq!(fast.as_ref(), Some(&full));
    }

    #[test]
    fn gives_up_outside_the_layout() {
        for text in [
            "questionnaire: a@1\ncountry: XA # note\nround: 1\n",
            "questionnaire: a@1\ncountry: XA\nround: 1\nanswers:\n  q: &a x\n",
            "questionnaire: a@1\ncountry: XA\nround: 1\nanswers:\n  q: |\n    text\n",
            "questionnaire: a@1\ncountry: XA\nround: 1\nanswers:\n  q: Yes\n",
            "questionnaire: a@1\ncountry: XA\nround: 1\nanswers:\n  q: 012\n",
            "questionnaire: a@1\ncountry: XA\nround: 1\nanswers:\n  q: two words\n",
            "questionnaire: a@1\ncountry: XA\ncountry: XB\nround: 1\n",
            "questionnaire: a@1\ncountry: XA\nround: 1\nextra: 1\n",
            "questionnaire: a@1\ncountry: XA\nround: 1\nanswers:\n   q: x\n",
            "{questionnaire: a@1}\n",
            "#\u{10}\nquestionnaire: a@1\ncountry: XA\nround: 1\n",
            "questionnaire: a@1\ncountry: XA\nround: 1\nrespondent:\n",
            "questionnaire: a@1\ncountry: XA\nround: 1\n# c\r\re).\n",
            "questionnaire: a@1\rcountry: XA\nround: 1\n",
            "questionnaire: a@1\ncountry: XA\nround: \"1\u{7f}\"\n",
            "questionnaire: a@1\ncountry: XA\nround: \"1\u{85}\"\n",
            "questionnaire: a@1\ncountry: XA\nround: \"1\u{feff}\"\n",
        ] {
            assert_eq!(read_response(text), None, "{text}");
        }
    }

    #[test]
    fn plain_words_and_numbers() {
        assert!(is_plain_word("established"));
        assert!(is_plain_word("co.ops-2"));
        assert!(!is_plain_word("on"));
        assert!(!is_plain_word("2025"));
        assert_eq!(plain_number("0"), Some(0.0));
        assert_eq!(plain_number("-12.5"), Some(-12.5));
        assert_eq!(plain_number("012"), None);
        assert_eq!(plain_number("1e3"), None);
    }
}
