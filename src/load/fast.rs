//! A fast reader for the block layouts in which responses are written: cybercap's own, PyYAML's
//! `safe_dump` (keys sorted, single quotes, indentless sequences, texts folded at 80 columns),
//! and hand-edited variations (comments, other indentation, CRLF, `---` and `...`).
//!
//! It reads a subset of YAML into a small tree, then reads the tree the way serde-saphyr reads
//! the same document into `ResponseDoc`. Anything outside the subset — anchors, tags, block
//! scalars, flow mappings, duplicate keys, tabs, a word whose reading is not verified — gives
//! `None`, and the full YAML parser decides: the meaning of a file never depends on which reader
//! read it. `properties.rs` and the `response` fuzz target hold both readers equal, positions
//! included. It exists for speed: scoring 10,000 files in PyYAML's layout through serde-saphyr
//! took 0.8 s, several times the rest of `score` (see `benches/score.rs`).

use std::borrow::Cow;

use super::ResponseHeader;
use crate::diagnostic::{At, Position};
use crate::model::doc::{AnswerDoc, AnswersDoc, RespondentDoc, ResponseDoc, ScalarText};
use crate::yaml_text::{YAML_WORDS, is_plain_word, outside_yaml};

/// Reads a response in a block layout, or `None` to leave it to the YAML parser.
pub fn read_response(text: &str) -> Option<ResponseDoc> {
    let root = parse(text, false)?;
    let mut questionnaire = None;
    let mut country = None;
    let mut round = None;
    let mut submitted = None;
    let mut respondent = None;
    let mut answers = None;
    for (key, node) in root {
        match key.text {
            "questionnaire" => questionnaire = Some(string(node)?),
            "country" => country = Some(string(node)?),
            "round" => round = Some(scalar_text(node)?),
            "submitted" => submitted = Some(scalar_text(node)?),
            "respondent" => respondent = Some(respondent_of(node)?),
            "answers" => answers = Some(answers_of(node)?),
            _ => return None,
        }
    }
    Some(ResponseDoc {
        questionnaire: questionnaire?,
        country: country?,
        round: round?,
        respondent,
        submitted,
        answers: answers.unwrap_or_default(),
    })
}

/// Reads the header of a response in a block layout, or `None` to leave it to the YAML parser.
/// The whole file is read, as the parser reads it, so that a file the parser refuses is never
/// taken for a response here; other top-level keys are not looked at.
pub fn read_header(text: &str) -> Option<ResponseHeader> {
    let root = parse(text, true)?;
    let mut questionnaire = None;
    let mut country = None;
    let mut round = None;
    for (key, node) in root {
        match key.text {
            "questionnaire" => questionnaire = Some(string(node)?),
            "country" => country = Some(string(node)?),
            "round" => round = Some(scalar_text(node)?),
            _ => {}
        }
    }
    Some(ResponseHeader::new(questionnaire?, country?, round?))
}

/// A node of the subset: scalars, sequences of scalars, block mappings.
#[derive(Debug)]
enum Node<'a> {
    Scalar(Scalar<'a>),
    Sequence(Vec<Scalar<'a>>, Position),
    Mapping(Vec<(Key<'a>, Node<'a>)>, Position),
    /// `{}`.
    EmptyMapping,
}

#[derive(Debug)]
struct Scalar<'a> {
    text: Cow<'a, str>,
    plain: bool,
    position: Position,
}

#[derive(Debug)]
struct Key<'a> {
    text: &'a str,
    position: Position,
}

/// Nesting deeper than a response needs (answers → answer → list) is left to the parser.
const MAX_DEPTH: usize = 4;

/// The top-level mapping of `text`. When `shallow`, nested mappings and sequences are checked
/// as fully as ever but come back empty: the header needs only the top-level scalars, and
/// keeping the rest costs an allocation per collection.
fn parse(text: &str, shallow: bool) -> Option<Vec<(Key<'_>, Node<'_>)>> {
    if !plain_characters(text) {
        return None;
    }
    let mut lines = Lines::new(text, shallow);
    // Before the mapping: blank lines, comments and one `---`.
    let mut started = false;
    loop {
        let line = lines.peek()?;
        if line.is_blank_or_comment() {
            lines.advance();
        } else if !started && (line.text == "---" || line.text.starts_with("--- #")) {
            started = true;
            lines.advance();
        } else {
            break;
        }
    }
    if lines.peek()?.indent != 0 {
        return None;
    }
    let Node::Mapping(entries, _) = lines.mapping(0, 0)? else {
        return None;
    };
    // After it: nothing, or `...` and comments.
    while let Some(line) = lines.peek() {
        if line.is_blank_or_comment() || (line.text == "..." || line.text.starts_with("... #")) {
            lines.advance();
        } else {
            return None;
        }
    }
    Some(entries)
}

/// Whether every character is one YAML takes as itself; tabs, which YAML treats apart in
/// indentation and around tokens, and CRs not before a LF are left to the parser too.
fn plain_characters(text: &str) -> bool {
    let bytes = text.as_bytes();
    // Most files are printable ASCII and LFs only: told 32 bytes at a time, without a branch
    // per byte, so that the compiler can use vector instructions.
    let printable = |b: u8| b.wrapping_sub(0x20) < 0x5F || b == b'\n';
    let mut chunks = bytes.chunks_exact(32);
    let simple = chunks.all(|chunk| chunk.iter().fold(true, |ok, &b| ok & printable(b)))
        && chunks.remainder().iter().all(|&b| printable(b));
    if simple {
        return true;
    }
    let mut ascii = true;
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'\n' | 0x20..=0x7E => {}
            b'\r' if bytes.get(i + 1) == Some(&b'\n') => {}
            0x80.. => ascii = false,
            _ => return false,
        }
    }
    ascii || !text.chars().any(outside_yaml)
}

#[derive(Debug, Clone, Copy)]
struct Line<'a> {
    number: u64,
    indent: usize,
    /// The line without its indentation and line end.
    text: &'a str,
}

impl Line<'_> {
    fn is_blank_or_comment(&self) -> bool {
        self.text.is_empty() || self.text.starts_with('#')
    }

    /// The 1-based column in characters of byte `at` of `text`.
    fn column(&self, at: usize) -> u64 {
        let before = &self.text[..at];
        let chars = if before.is_ascii() {
            at
        } else {
            before.chars().count()
        };
        (self.indent + chars + 1) as u64
    }

    fn position(&self, at: usize) -> Position {
        Position::new(self.number, self.column(at))
    }
}

struct Lines<'a> {
    /// Whether collections below the top level are checked without being kept.
    shallow: bool,
    /// The keys of the mappings open, outermost first: one buffer for every mapping of a file.
    keys: Vec<&'a str>,
    rest: &'a str,
    number: u64,
    current: Option<Line<'a>>,
}

impl<'a> Lines<'a> {
    fn new(text: &'a str, shallow: bool) -> Self {
        let mut lines = Lines {
            shallow,
            keys: Vec::new(),
            rest: text,
            number: 0,
            current: None,
        };
        lines.advance();
        lines
    }

    fn peek(&self) -> Option<Line<'a>> {
        self.current
    }

    fn advance(&mut self) {
        if self.rest.is_empty() {
            self.current = None;
            return;
        }
        let (line, rest) = match memchr::memchr(b'\n', self.rest.as_bytes()) {
            Some(i) => (&self.rest[..i], &self.rest[i + 1..]),
            None => (self.rest, ""),
        };
        self.rest = rest;
        self.number += 1;
        let line = line.strip_suffix('\r').unwrap_or(line);
        let bytes = line.as_bytes();
        let indent = bytes.iter().take_while(|&&b| b == b' ').count();
        // Trailing spaces mean nothing outside quotes; quoted scalars never end a line with one
        // that matters, as YAML folds it away.
        let end = bytes.len()
            - bytes[indent..]
                .iter()
                .rev()
                .take_while(|&&b| b == b' ')
                .count();
        self.current = Some(Line {
            number: self.number,
            indent,
            text: &line[indent..end],
        });
    }

    /// The next line that is not blank or a comment.
    fn next_content(&mut self) -> Option<Line<'a>> {
        while let Some(line) = self.peek() {
            if !line.is_blank_or_comment() {
                return Some(line);
            }
            self.advance();
        }
        None
    }

    /// A block mapping whose keys are indented by `indent`; the current line is its first key.
    fn mapping(&mut self, indent: usize, depth: usize) -> Option<Node<'a>> {
        if depth > MAX_DEPTH {
            return None;
        }
        let keep = !(self.shallow && depth > 0);
        let mut entries: Vec<(Key<'a>, Node<'a>)> = Vec::new();
        let first_key = self.keys.len();
        let mut start = None;
        while let Some(line) = self.next_content() {
            if line.indent < indent || (indent == 0 && is_document_marker(line.text)) {
                break;
            }
            if line.indent > indent {
                return None;
            }
            let key_end = memchr::memchr(b':', line.text.as_bytes())?;
            let key = &line.text[..key_end];
            if !is_plain_word(key) {
                return None;
            }
            let key = Key {
                text: key,
                position: line.position(0),
            };
            start.get_or_insert(key.position);
            let after = key_end + 1;
            let rest = &line.text[after..];
            let value = if rest.is_empty() || rest.starts_with(" #") || rest.trim_start().is_empty()
            {
                self.advance();
                self.block_value(indent, depth)?
            } else {
                let value_at = after + rest.len() - rest.trim_start_matches(' ').len();
                if value_at == after {
                    return None;
                }
                self.inline_value(line, value_at, indent)?
            };
            self.keys.push(key.text);
            if keep {
                entries.push((key, value));
            }
        }
        if has_duplicate(&self.keys[first_key..]) {
            return None;
        }
        self.keys.truncate(first_key);
        Some(Node::Mapping(entries, start?))
    }

    /// The value of a key written alone on its line: a mapping, a sequence or a scalar on the
    /// lines below. An empty value is left to the parser.
    fn block_value(&mut self, parent: usize, depth: usize) -> Option<Node<'a>> {
        let line = self.next_content()?;
        let item = line.text == "-" || line.text.starts_with("- ");
        if item && line.indent >= parent {
            return self.sequence(line.indent, line.indent == parent);
        }
        if line.indent <= parent {
            return None;
        }
        if key_of(line.text).is_some() {
            return self.mapping(line.indent, depth + 1);
        }
        self.inline_value(line, 0, parent)
    }

    /// A value starting at byte `at` of `line`, inside a block whose keys are at `parent`.
    fn inline_value(&mut self, line: Line<'a>, at: usize, parent: usize) -> Option<Node<'a>> {
        let token = &line.text[at..];
        match token.as_bytes()[0] {
            b'[' => {
                let node = flow_sequence(line, at)?;
                self.advance();
                Some(node)
            }
            b'{' => {
                let rest = token.strip_prefix("{}")?;
                if !ends_token(rest) {
                    return None;
                }
                self.advance();
                Some(Node::EmptyMapping)
            }
            _ => self.scalar(line, at, parent).map(Node::Scalar),
        }
    }

    /// A block sequence of scalars whose `-` are at `indent`; `indentless` when it is written at
    /// the indentation of its key.
    fn sequence(&mut self, indent: usize, indentless: bool) -> Option<Node<'a>> {
        let mut items = Vec::new();
        let mut start = None;
        while let Some(line) = self.next_content() {
            if line.indent < indent {
                break;
            }
            if line.indent > indent {
                return None;
            }
            let Some(rest) = line.text.strip_prefix("- ") else {
                if indentless && line.text != "-" {
                    break;
                }
                return None;
            };
            let at = 2 + rest.len() - rest.trim_start_matches(' ').len();
            if matches!(line.text.as_bytes()[at], b'[' | b'{' | b'-') {
                return None;
            }
            start.get_or_insert(line.position(if indentless { at } else { 0 }));
            let item = self.scalar(line, at, indent)?;
            if !self.shallow {
                items.push(item);
            }
        }
        Some(Node::Sequence(items, start?))
    }

    /// A plain or quoted scalar starting at byte `at` of `line`, continued on the lines below
    /// that are indented more than `parent`.
    fn scalar(&mut self, line: Line<'a>, at: usize, parent: usize) -> Option<Scalar<'a>> {
        let position = line.position(at);
        let token = &line.text[at..];
        match token.as_bytes()[0] {
            b'\'' => {
                let text = self.single_quoted(line, at + 1, parent)?;
                Some(Scalar {
                    text,
                    plain: false,
                    position,
                })
            }
            b'"' => {
                let (text, rest) = double_quoted(&token[1..])?;
                if !ends_token(rest) {
                    return None;
                }
                self.advance();
                Some(Scalar {
                    text,
                    plain: false,
                    position,
                })
            }
            _ => {
                let text = self.plain(token, parent)?;
                Some(Scalar {
                    text,
                    plain: true,
                    position,
                })
            }
        }
    }

    /// A plain scalar whose first line is `first`, folded with its continuation lines.
    fn plain(&mut self, first: &'a str, parent: usize) -> Option<Cow<'a, str>> {
        let (first, commented) = plain_line(first, true)?;
        self.advance();
        let mut text = Cow::Borrowed(first);
        let mut breaks = 0;
        while let Some(line) = self.peek() {
            if line.text.is_empty() {
                breaks += 1;
                self.advance();
                continue;
            }
            if line.indent <= parent || line.text.starts_with('#') {
                break;
            }
            // YAML refuses a comment between the lines of a plain scalar.
            if commented {
                return None;
            }
            let (more, ends_with_comment) = plain_line(line.text, false)?;
            fold(text.to_mut(), breaks, more);
            breaks = 0;
            self.advance();
            // A comment ends the scalar; a line after it indented as a continuation is refused
            // by the block around it, as YAML refuses it.
            if ends_with_comment {
                break;
            }
        }
        Some(text)
    }

    /// A single-quoted scalar whose text starts at byte `at` of `line`, with its continuation
    /// lines; the line that closes it is consumed.
    fn single_quoted(&mut self, line: Line<'a>, at: usize, parent: usize) -> Option<Cow<'a, str>> {
        let mut text: Cow<'a, str> = Cow::Borrowed("");
        let mut part = &line.text[at..];
        let mut breaks = 0;
        let mut first = true;
        loop {
            let (piece, closed) = single_quoted_part(part)?;
            if first {
                text = piece;
                first = false;
            } else {
                fold(text.to_mut(), breaks, &piece);
            }
            if let Some(rest) = closed {
                if !ends_token(rest) {
                    return None;
                }
                self.advance();
                return Some(text);
            }
            breaks = 0;
            loop {
                self.advance();
                let next = self.peek()?;
                if next.text.is_empty() {
                    breaks += 1;
                    continue;
                }
                if next.indent <= parent {
                    return None;
                }
                part = next.text;
                break;
            }
        }
    }
}

/// Whether a key is written twice. Keys in sorted order (PyYAML's) are told apart without
/// more; others through a set, which beats sorting them for the hundred keys of an answer block.
/// Its hash is the standard library's keyed one: the keys come from the file, and a hash whose
/// collisions can be made would let a file of colliding keys take quadratic time.
fn has_duplicate(keys: &[&str]) -> bool {
    if keys.windows(2).all(|w| w[0] < w[1]) {
        return false;
    }
    let mut seen = std::collections::HashSet::with_capacity(keys.len());
    !keys.iter().all(|key| seen.insert(key))
}

/// Joins a continuation line: one line break folds into a space, each blank line between
/// keeps a line break.
fn fold(text: &mut String, breaks: usize, more: &str) {
    if breaks == 0 {
        text.push(' ');
    } else {
        text.extend(std::iter::repeat_n('\n', breaks));
    }
    text.push_str(more);
}

fn is_document_marker(text: &str) -> bool {
    text.starts_with("---") || text.starts_with("...")
}

/// The key of a `key: value` or `key:` line.
fn key_of(text: &str) -> Option<&str> {
    let end = memchr::memchr(b':', text.as_bytes())?;
    let rest = &text[end + 1..];
    (rest.is_empty() || rest.starts_with(' ')).then(|| &text[..end])
}

/// Whether what follows a token on its line is nothing or a comment.
fn ends_token(rest: &str) -> bool {
    rest.is_empty() || rest.trim_start_matches(' ').starts_with('#') && rest.starts_with(' ')
}

/// One line of a plain scalar, without its comment, and whether it had one; `None` when it holds
/// anything a plain scalar reads in more than one way (an indicator first, `: `, a flow
/// character at the start).
fn plain_line(text: &str, first: bool) -> Option<(&str, bool)> {
    let c = text.chars().next()?;
    // `-`, `?` and `:` begin a plain scalar when a character other than a space follows, on
    // its first line only.
    let indicator_first = match c {
        '-' | '?' | ':' => !first || text[1..].is_empty() || text[1..].starts_with(' '),
        _ => matches!(
            c,
            ',' | '['
                | ']'
                | '{'
                | '}'
                | '#'
                | '&'
                | '*'
                | '!'
                | '|'
                | '>'
                | '\''
                | '"'
                | '%'
                | '@'
                | '`'
        ),
    };
    if indicator_first {
        return None;
    }
    let (comment, colon) = plain_marks(text);
    let text = match comment {
        Some(i) => text[..i].trim_end_matches(' '),
        None => text,
    };
    if colon || text.ends_with(':') {
        return None;
    }
    Some((text, comment.is_some()))
}

/// Where ` #` first starts a comment in `text`, and whether `: ` comes before it (which would
/// make a plain scalar a mapping): one pass over the bytes, which are short.
fn plain_marks(text: &str) -> (Option<usize>, bool) {
    let bytes = text.as_bytes();
    let mut colon = false;
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'#' if i > 0 && bytes[i - 1] == b' ' => return (Some(i - 1), colon),
            b':' if bytes.get(i + 1) == Some(&b' ') => colon = true,
            _ => {}
        }
    }
    (None, colon)
}

/// The text of a single-quoted line up to its closing quote, and what follows the quote if it
/// closes here.
fn single_quoted_part(part: &str) -> Option<(Cow<'_, str>, Option<&str>)> {
    let mut search = 0;
    let mut owned: Option<String> = None;
    loop {
        match memchr::memchr(b'\'', &part.as_bytes()[search..]) {
            None => {
                let piece = &part[search..];
                return Some(match owned {
                    Some(mut s) => {
                        s.push_str(piece);
                        (Cow::Owned(s), None)
                    }
                    None => (Cow::Borrowed(piece), None),
                });
            }
            Some(i) => {
                let quote = search + i;
                if part[quote + 1..].starts_with('\'') {
                    owned
                        .get_or_insert_with(String::new)
                        .push_str(&part[search..=quote]);
                    search = quote + 2;
                    continue;
                }
                let piece = &part[search..quote];
                let rest = &part[quote + 1..];
                return Some(match owned {
                    Some(mut s) => {
                        s.push_str(piece);
                        (Cow::Owned(s), Some(rest))
                    }
                    None => (Cow::Borrowed(piece), Some(rest)),
                });
            }
        }
    }
}

/// A double-quoted scalar closed on its line (after the opening quote): its text and what
/// follows it. Only the escapes JSON shares with YAML, and no surrogate, are read here.
fn double_quoted(token: &str) -> Option<(Cow<'_, str>, &str)> {
    let end = memchr::memchr2(b'"', b'\\', token.as_bytes())?;
    if token.as_bytes()[end] == b'"' {
        return Some((Cow::Borrowed(&token[..end]), &token[end + 1..]));
    }
    let mut text = String::from(&token[..end]);
    let mut chars = token[end..].char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return Some((Cow::Owned(text), &token[end + i + 1..])),
            '\\' => {
                let (_, e) = chars.next()?;
                text.push(match e {
                    '"' => '"',
                    '\\' => '\\',
                    '/' => '/',
                    'n' => '\n',
                    't' => '\t',
                    'r' => '\r',
                    'b' => '\u{8}',
                    'f' => '\u{c}',
                    'u' => {
                        let mut code = 0u32;
                        for _ in 0..4 {
                            code = code * 16 + chars.next()?.1.to_digit(16)?;
                        }
                        char::from_u32(code)?
                    }
                    _ => return None,
                });
            }
            c => text.push(c),
        }
    }
    None
}

/// `[a, 'b', "c d"]` on one line, starting at byte `at`.
fn flow_sequence<'a>(line: Line<'a>, at: usize) -> Option<Node<'a>> {
    let text = line.text;
    let position = line.position(at);
    let mut items = Vec::new();
    let mut i = at + 1;
    let skip = |i: usize| i + text[i..].len() - text[i..].trim_start_matches(' ').len();
    i = skip(i);
    if text[i..].starts_with(']') {
        return ends_token(&text[i + 1..]).then_some(Node::Sequence(items, position));
    }
    loop {
        let token = &text[i..];
        let item_position = line.position(i);
        let (scalar, used) = match token.as_bytes().first()? {
            b'"' => {
                let (value, rest) = double_quoted(&token[1..])?;
                (value, token.len() - rest.len())
            }
            b'\'' => {
                let (value, rest) = single_quoted_part(&token[1..])?;
                let rest = rest?;
                (value, token.len() - rest.len())
            }
            _ => {
                let end = memchr::memchr2(b',', b']', token.as_bytes())?;
                let word = token[..end].trim_end_matches(' ');
                if word.is_empty()
                    || word
                        .bytes()
                        .any(|b| matches!(b, b':' | b'#' | b'[' | b'{' | b'}'))
                {
                    return None;
                }
                plain_line(word, false)?;
                (Cow::Borrowed(word), word.len())
            }
        };
        items.push(Scalar {
            text: scalar,
            plain: !matches!(token.as_bytes()[0], b'"' | b'\''),
            position: item_position,
        });
        i = skip(i + used);
        match text.as_bytes().get(i)? {
            b',' => {
                i = skip(i + 1);
                if text[i..].starts_with(']') {
                    return None;
                }
            }
            b']' => {
                return ends_token(&text[i + 1..]).then_some(Node::Sequence(items, position));
            }
            _ => return None,
        }
    }
}

/// Null as YAML writes it in the cases serde-saphyr was checked against.
fn is_null(text: &str) -> bool {
    matches!(text, "~" | "null" | "Null" | "NULL")
}

/// A scalar read into a string field: its text, which serde-saphyr gives for any plain scalar
/// but null.
fn string(node: Node<'_>) -> Option<At<String>> {
    let Node::Scalar(s) = node else {
        return None;
    };
    if s.plain && is_null(&s.text) {
        return None;
    }
    Some(At::new(s.text.into_owned(), s.position))
}

fn scalar_text(node: Node<'_>) -> Option<At<ScalarText>> {
    string(node).map(|at| At::new(ScalarText(at.value), at.position))
}

/// An optional string: null is none.
fn optional_string(node: Node<'_>) -> Option<Option<String>> {
    match node {
        Node::Scalar(s) if s.plain && is_null(&s.text) => Some(None),
        other => string(other).map(|at| Some(at.value)),
    }
}

fn respondent_of(node: Node<'_>) -> Option<RespondentDoc> {
    let mut respondent = RespondentDoc::default();
    match node {
        Node::EmptyMapping => {}
        Node::Mapping(entries, _) => {
            for (key, value) in entries {
                match key.text {
                    "name" => respondent.name = optional_string(value)?,
                    "organization" => respondent.organization = optional_string(value)?,
                    _ => return None,
                }
            }
        }
        _ => return None,
    }
    Some(respondent)
}

fn answers_of(node: Node<'_>) -> Option<AnswersDoc> {
    match node {
        Node::EmptyMapping => Some(AnswersDoc::default()),
        Node::Mapping(entries, _) => {
            let mut answers = Vec::with_capacity(entries.len());
            for (key, value) in entries {
                let key = At::new(key.text.to_owned(), key.position);
                answers.push((key, answer_of(value, true)?));
            }
            Some(AnswersDoc(answers))
        }
        _ => None,
    }
}

fn list_of(items: Vec<Scalar<'_>>) -> Option<Vec<At<ScalarText>>> {
    items
        .into_iter()
        .map(|s| scalar_text(Node::Scalar(s)))
        .collect()
}

/// An answer, read as `AnswerDoc` reads it; `detailed` when it may be a map.
fn answer_of(node: Node<'_>, detailed: bool) -> Option<At<AnswerDoc>> {
    match node {
        Node::Scalar(s) => {
            let answer = if s.plain {
                plain_answer(&s.text)?
            } else {
                AnswerDoc::Text(s.text.into_owned())
            };
            Some(At::new(answer, s.position))
        }
        Node::Sequence(items, position) => {
            Some(At::new(AnswerDoc::List(list_of(items)?), position))
        }
        Node::Mapping(entries, position) if detailed => {
            let mut value = None;
            let mut note = None;
            let mut evidence = Vec::new();
            for (key, node) in entries {
                match key.text {
                    "value" => value = Some(answer_of(node, false)?),
                    "note" => note = optional_string(node)?,
                    "evidence" => evidence = evidence_of(node)?,
                    _ => return None,
                }
            }
            Some(At::new(
                AnswerDoc::Detailed {
                    value: Box::new(value?),
                    note,
                    evidence,
                },
                position,
            ))
        }
        _ => None,
    }
}

/// `evidence`: one link, a list of links, or null.
fn evidence_of(node: Node<'_>) -> Option<Vec<String>> {
    match node {
        Node::Scalar(s) if s.plain => match plain_answer(&s.text)? {
            AnswerDoc::Empty => Some(Vec::new()),
            AnswerDoc::Text(t) => Some(vec![t]),
            _ => None,
        },
        Node::Scalar(s) => Some(vec![s.text.into_owned()]),
        Node::Sequence(items, _) => items
            .into_iter()
            .map(|s| string(Node::Scalar(s)).map(|at| at.value))
            .collect(),
        _ => None,
    }
}

/// What a plain scalar means as an answer, the way serde-saphyr reads it, or `None` when it is
/// one whose reading this reader does not promise to match (numbers but plain decimals, special
/// floats, booleans in mixed case).
pub fn plain_answer(token: &str) -> Option<AnswerDoc> {
    if let Some(b) = boolean(token) {
        return Some(AnswerDoc::Bool(b));
    }
    if is_null(token) {
        return Some(AnswerDoc::Empty);
    }
    let first = token.as_bytes().first()?;
    if first.is_ascii_digit() || matches!(first, b'-' | b'+' | b'.') {
        return plain_number(token).map(AnswerDoc::Number);
    }
    let word_end = token.find(' ').unwrap_or(token.len());
    let first_word = &token[..word_end];
    if YAML_WORDS
        .iter()
        .any(|w| w.eq_ignore_ascii_case(first_word))
    {
        return None;
    }
    Some(AnswerDoc::Text(token.to_owned()))
}

/// YAML 1.1's booleans in the three cases checked against serde-saphyr (lower, Capitalized,
/// UPPER); `None` for anything else.
fn boolean(token: &str) -> Option<bool> {
    const WORDS: [(&str, bool); 8] = [
        ("yes", true),
        ("true", true),
        ("on", true),
        ("y", true),
        ("no", false),
        ("false", false),
        ("off", false),
        ("n", false),
    ];
    let &(word, value) = WORDS.iter().find(|(w, _)| w.eq_ignore_ascii_case(token))?;
    // Lower case or Capitalized: all but the first letter as in the word; else UPPER.
    let lower_after_first = token[1..] == word[1..];
    let upper = !token.bytes().any(|b| b.is_ascii_lowercase());
    (lower_after_first || upper).then_some(value)
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
    fn booleans_only_in_lower_capitalized_or_upper_case() {
        for (word, value) in [
            ("yes", Some(true)),
            ("Yes", Some(true)),
            ("YES", Some(true)),
        ] {
            assert_eq!(boolean(word), value, "{word}");
        }
        for (word, value) in [("n", Some(false)), ("N", Some(false)), ("Off", Some(false))] {
            assert_eq!(boolean(word), value, "{word}");
        }
        for word in ["yEs", "oFF", "tRUE", "yess", "", "nO"] {
            assert_eq!(boolean(word), None, "{word}");
        }
    }

    #[test]
    fn comments_and_mapping_colons_are_found_as_a_substring_search_finds_them() {
        for text in [
            "a #b",
            "a#b #c",
            "#a",
            "a",
            "a b # c: d",
            "x: y",
            "x:y",
            "a :b: c",
            "a: #b",
            "a:",
        ] {
            let comment = text.find(" #");
            // The space that starts a comment may end a `: ` before it.
            let before = &text[..comment.map_or(text.len(), |c| c + 1)];
            assert_eq!(
                plain_marks(text),
                (comment, before.contains(": ")),
                "{text}"
            );
        }
    }

    #[test]
    fn reads_pyyaml_layout_as_the_yaml_parser_does() {
        let text = "---\r\nanswers:\r\n  q1:\r\n  - a\r\n  - b\r\n  q2:\r\n    evidence:\r\n    - https://e.org/a\r\n    note: 'it''s a long\r\n\r\n      note'\r\n    value: 'no'\r\n  q3: some plain text\r\n    folded here # c\r\n  q4:\r\n      - x\r\n      -   'y'\r\n  q5: Yes\r\n  q6: []\r\ncountry:   XA\r\nquestionnaire: a@1\r\nrespondent:\r\n  name: null\r\nround: '2025'\r\n...\r\n# end\r\n";
        let source = super::super::Source::from_text(std::path::Path::new("t.yaml"), text);
        let full = super::super::parse_yaml::<ResponseDoc>(&source).unwrap();
        assert_eq!(read_response(text), Some(full));
    }

    #[test]
    fn gives_up_outside_the_layout() {
        for text in [
            "questionnaire: a@1\ncountry: XA\nround: 1\nanswers:\n  q: &a x\n",
            "questionnaire: a@1\ncountry: XA\nround: 1\nanswers:\n  q: |\n    text\n",
            "questionnaire: a@1\ncountry: XA\nround: 1\nanswers:\n  q: yEs\n",
            "questionnaire: a@1\ncountry: XA\nround: 1\nanswers:\n  q: 012\n",
            "questionnaire: a@1\ncountry: XA\ncountry: XB\nround: 1\n",
            "questionnaire: a@1\ncountry: XA\nround: 1\nextra: 1\n",
            "{questionnaire: a@1}\n",
            "#\u{10}\nquestionnaire: a@1\ncountry: XA\nround: 1\n",
            "questionnaire: a@1\ncountry: XA\nround: 1\nrespondent:\n",
            "questionnaire: a@1\ncountry: XA\nround: 1\n# c\r\re).\n",
            "questionnaire: a@1\rcountry: XA\nround: 1\n",
            "questionnaire: a@1\ncountry: XA\nround: \"1\u{7f}\"\n",
            "questionnaire: a@1\ncountry: XA\nround: \"1\u{85}\"\n",
            "questionnaire: a@1\ncountry: XA\nround: \"1\u{feff}\"\n",
            "questionnaire: a@1\ncountry: XA\nround: 1\n---\n",
            "questionnaire: a@1\ncountry:\tXA\nround: 1\n",
        ] {
            assert_eq!(read_response(text), None, "{text}");
        }
    }

    #[test]
    fn plain_words_and_numbers() {
        assert_eq!(plain_number("0"), Some(0.0));
        assert_eq!(plain_number("-12.5"), Some(-12.5));
        assert_eq!(plain_number("012"), None);
        assert_eq!(plain_number("1e3"), None);
        assert_eq!(boolean("Yes"), Some(true));
        assert_eq!(boolean("OFF"), Some(false));
        assert_eq!(boolean("oFF"), None);
    }
}
