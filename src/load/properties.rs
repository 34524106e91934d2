//! The fast readers (`fast.rs`) against serde-saphyr, on responses to the built-in questionnaire
//! written in many YAML layouts: each reads what the parser reads, positions included, or gives
//! up; and on the layouts cybercap and PyYAML write, it never gives up.

use std::path::Path;
use std::sync::LazyLock;

use proptest::prelude::*;

use super::header::read_header_full;
use super::{Source, fast, parse_yaml};
use crate::model::Questionnaire;
use crate::model::doc::{AnswerDoc, ResponseDoc};
use crate::model::write::response_to_yaml;
use crate::samples::synthetic_response;

static QUESTIONNAIRE: LazyLock<Questionnaire> =
    LazyLock::new(|| crate::builtin::questionnaires().remove(0));

/// Words the fast reader reads plain, as YAML 1.1 and serde-saphyr read them.
const READ_WORDS: &[&str] = &[
    "y",
    "n",
    "on",
    "off",
    "yes",
    "no",
    "Yes",
    "NO",
    "True",
    "false",
    "OFF",
    "~",
    "null",
    "Null",
    "12",
    "-3.5",
    "0",
    "established",
    "two words here",
    "na",
    "unknown",
    "café ü",
];

/// Words whose reading differs between YAML versions and parsers, and texts that need quoting.
const WORDS: &[&str] = &[
    "y",
    "n",
    "on",
    "off",
    "yes",
    "no",
    "Yes",
    "NO",
    "True",
    "false",
    "~",
    "null",
    "Null",
    ".5",
    "1e3",
    "0x10",
    "+1",
    "012",
    "1_000",
    ".inf",
    ".nan",
    "12",
    "-3.5",
    "0",
    "established",
    "two words here",
    "it's",
    "a: b",
    "# x",
    "x #y",
    "x# y",
    "café ü",
    "-x",
    "na",
    "'q'",
    "\"d\"",
    "a,b",
    "[x]",
    "{y}",
    "@at",
    "%p",
    "2025-03-14",
    "line\nbreak",
    " lead",
    "trail ",
    "",
    "https://example.org/a?b=c#d",
];

/// A small deterministic stream of choices, so that one seed drives a whole layout.
struct Choices(u64);

impl Choices {
    fn next(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next(100) < percent
    }
}

/// How a document is written; `pyyaml` and `plain` fix the choices a tool makes.
struct Layout {
    choices: Choices,
    indent: usize,
    /// PyYAML's `safe_dump`: sorted keys, indentless sequences, single quotes, folded texts.
    pyyaml: bool,
    /// Whether anchors, aliases, tags, block scalars and words the fast reader leaves to the
    /// parser may appear; without them, most documents are read by both readers.
    hard: bool,
    anchors: usize,
}

impl Layout {
    fn scalar(&mut self, text: &str, at: usize, out: &mut String) {
        let plain_safe = !text.is_empty()
            && fast::plain_answer(text).is_some_and(|a| a == AnswerDoc::Text(text.to_owned()))
            && !text.contains([':', '#', '\n', '\'', '"', ',', '[', ']', '{', '}'])
            && !text.starts_with(['-', '@', '%', ' '])
            && !text.ends_with(' ');
        if self.pyyaml {
            if plain_safe {
                self.folded(text, at, out);
            } else {
                out.push('\'');
                out.push_str(&text.replace('\'', "''").replace('\n', "\n\n"));
                out.push('\'');
            }
            return;
        }
        if self.hard && self.choices.chance(5) {
            self.anchors += 1;
            out.push_str(&format!("&a{} ", self.anchors));
        } else if self.hard && self.choices.chance(3) {
            out.push_str("!!str ");
        }
        let styles = if self.hard { 7 } else { 4 };
        match self.choices.next(styles) {
            0 | 1 => self.folded(text, at, out),
            2 => {
                out.push('\'');
                let mut quoted = text.replace('\'', "''");
                if let Some(i) = quoted.find(' ') {
                    quoted.replace_range(i..=i, &format!("\n{}", " ".repeat(at + 1)));
                }
                out.push_str(&quoted.replace('\n', "\n\n"));
                out.push('\'');
            }
            3 => out.push_str(&serde_json::to_string(text).unwrap_or_default()),
            4 => {
                out.push_str(if self.choices.chance(50) { "|" } else { ">-" });
                for line in text.split('\n') {
                    out.push('\n');
                    out.push_str(&" ".repeat(at + 1));
                    out.push_str(line);
                }
            }
            _ => out.push_str(text),
        }
        if self.choices.chance(10) {
            out.push_str(" # note");
        }
    }

    /// A plain text, broken onto a continuation line at a space now and then.
    fn folded(&mut self, text: &str, at: usize, out: &mut String) {
        match text.find(' ') {
            Some(i) if self.choices.chance(if self.pyyaml { 30 } else { 20 }) => {
                out.push_str(&text[..i]);
                out.push('\n');
                out.push_str(&" ".repeat(at + 1));
                out.push_str(&text[i + 1..]);
            }
            _ => out.push_str(text),
        }
    }

    fn list(&mut self, items: &[String], at: usize, out: &mut String) {
        if items.is_empty() || (!self.pyyaml && self.choices.chance(40)) {
            out.push_str(" [");
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(if self.choices.chance(80) {
                        ", "
                    } else {
                        " ,  "
                    });
                }
                if self.choices.chance(70) {
                    out.push_str(item);
                } else {
                    out.push_str(&format!("'{item}'"));
                }
            }
            out.push(']');
            return;
        }
        let dash = if self.pyyaml || self.choices.chance(50) {
            at
        } else {
            at + self.indent
        };
        for item in items {
            out.push('\n');
            out.push_str(&" ".repeat(dash));
            out.push_str("- ");
            self.scalar(item, dash + 1, out);
        }
    }

    fn answer(&mut self, value: &AnswerDoc, at: usize, out: &mut String) {
        match value {
            AnswerDoc::Empty => out.push_str(" null"),
            AnswerDoc::Text(t) => {
                out.push(' ');
                self.scalar(t, at, out);
            }
            AnswerDoc::Bool(b) => out.push_str(if *b { " true" } else { " false" }),
            AnswerDoc::Number(n) => out.push_str(&format!(" {n}")),
            AnswerDoc::List(items) => {
                let items: Vec<String> = items.iter().map(|i| i.value.0.clone()).collect();
                self.list(&items, at, out);
            }
            AnswerDoc::Detailed {
                value,
                note,
                evidence,
            } => {
                let inner = at + self.indent;
                let mut keys = vec!["value", "note", "evidence"];
                if self.pyyaml {
                    keys.sort_unstable();
                } else if self.choices.chance(30) {
                    keys.reverse();
                }
                for key in keys {
                    let mut entry = format!("\n{}{key}:", " ".repeat(inner));
                    match key {
                        "value" => self.answer(&value.value, inner, &mut entry),
                        "note" => match note {
                            Some(n) => {
                                entry.push(' ');
                                self.scalar(n, inner, &mut entry);
                            }
                            None if self.pyyaml => entry.push_str(" null"),
                            None => continue,
                        },
                        _ => self.list(evidence, inner, &mut entry),
                    }
                    out.push_str(&entry);
                }
            }
        }
    }

    /// The document as text: top-level keys in the tool's order, or shuffled.
    fn write(&mut self, doc: &ResponseDoc, words: &mut Choices) -> String {
        let mut entries: Vec<(String, String)> = Vec::new();
        let top = |key: &str, layout: &mut Layout, text: &str| {
            let mut out = format!("{key}:");
            out.push(' ');
            layout.scalar(text, 0, &mut out);
            (key.to_owned(), out)
        };
        entries.push(top("questionnaire", self, &doc.questionnaire.value));
        entries.push(top("country", self, &doc.country.value));
        entries.push(top("round", self, &doc.round.value.0));
        let mut answers = String::from("answers:");
        for (key, value) in &doc.answers.0 {
            let mut value = value.value.clone();
            let pool = if self.hard { WORDS } else { READ_WORDS };
            if words.chance(10) {
                value = AnswerDoc::Text(pool[words.next(pool.len() as u64) as usize].to_owned());
            }
            answers.push_str(&format!("\n{}{}:", " ".repeat(self.indent), key.value));
            let alias = self.anchors > 0 && self.hard && self.choices.chance(3);
            if alias {
                answers.push_str(&format!(" *a{}", self.anchors));
            } else {
                self.answer(&value, self.indent, &mut answers);
            }
        }
        entries.push(("answers".to_owned(), answers));
        if self.pyyaml {
            entries.sort();
        } else {
            for i in (1..entries.len()).rev() {
                entries.swap(i, self.choices.next(i as u64 + 1) as usize);
            }
        }
        let mut text = String::new();
        if !self.pyyaml && self.choices.chance(20) {
            text.push_str("---\n");
        }
        for (_, entry) in entries {
            text.push_str(&entry);
            text.push('\n');
            if !self.pyyaml && self.choices.chance(10) {
                text.push_str("\n# comment\n");
            }
        }
        if !self.pyyaml && self.choices.chance(10) {
            text.push_str("...\n");
        }
        if !self.pyyaml && self.choices.chance(20) {
            text = text.replace('\n', "\r\n");
        }
        text
    }
}

/// A synthetic response to the built-in questionnaire, as the YAML parser reads it.
fn response(index: usize) -> (String, ResponseDoc) {
    let questionnaire = &*QUESTIONNAIRE;
    let entity = format!("X{}", (b'A' + (index % 26) as u8) as char);
    let response = synthetic_response(questionnaire, &entity, "2025", index % 7)
        .expect("the sample generator answers the built-in questionnaire");
    let text = response_to_yaml(questionnaire, &response);
    let doc = parse_yaml(&Source::from_text(Path::new("r.yaml"), &text))
        .expect("cybercap's own layout reads back");
    (text, doc)
}

/// Both readers of a text: the fast one gives up or agrees with serde-saphyr, and so does the
/// header reader. Returns whether each fast reader read it.
fn agree(bytes: Vec<u8>) -> Result<(bool, bool), TestCaseError> {
    let Ok(source) = Source::from_bytes(Path::new("r.yaml"), bytes) else {
        return Ok((false, false));
    };
    let fast_doc = fast::read_response(&source.text);
    let full = parse_yaml::<ResponseDoc>(&source);
    if let Some(fast) = &fast_doc {
        prop_assert_eq!(Some(fast), full.as_ref().ok(), "{}", source.text);
    }
    let fast_header = fast::read_header(&source.text);
    if let Some(fast) = &fast_header {
        let full = read_header_full(&source);
        prop_assert_eq!(Some(fast), full.as_ref().ok(), "{}", source.text);
    }
    Ok((fast_doc.is_some(), fast_header.is_some()))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn the_fast_reader_reads_what_the_parser_reads_or_gives_up(
        index in 0usize..50,
        seed in 1u64..,
        indent in 1usize..5,
        bom in any::<bool>(),
        hard in proptest::bool::weighted(0.3),
    ) {
        let (_, doc) = response(index);
        let mut layout = Layout { choices: Choices(seed), indent, pyyaml: false, hard, anchors: 0 };
        let text = layout.write(&doc, &mut Choices(seed.rotate_left(17) | 1));
        let mut bytes = if bom { b"\xEF\xBB\xBF".to_vec() } else { Vec::new() };
        bytes.extend_from_slice(text.as_bytes());
        agree(bytes)?;
    }

    #[test]
    fn cybercap_and_pyyaml_layouts_are_read_fast(index in 0usize..50, seed in 1u64..) {
        let (own, doc) = response(index);
        prop_assert_eq!(agree(own.into_bytes())?, (true, true));
        let mut layout = Layout { choices: Choices(seed), indent: 2, pyyaml: true, hard: false, anchors: 0 };
        let text = layout.write(&doc, &mut Choices(1));
        prop_assert_eq!(agree(text.clone().into_bytes())?, (true, true), "{}", text);
    }
}
