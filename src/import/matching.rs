//! Reading a spreadsheet cell as an answer: option ids or labels in any of the questionnaire's
//! languages, yes/no and don't-know/not-applicable in the four languages, case- and
//! accent-insensitive.

use std::collections::HashMap;

use crate::answer_words::{Meaning, fold, words};
use crate::diagnostic::{At, Position};
use crate::fsio::csv_text_of;
use crate::model::doc::{AnswerDoc, ScalarText};
use crate::model::text::LocalizedText;
use crate::model::{AnswerValue, QuestionKind, Questionnaire};

/// Every way a question's options may be written, folded, mapped to the option id.
#[derive(Debug, Default)]
pub struct OptionNames {
    by_question: Vec<HashMap<String, String>>,
    /// Per question, the option ids that are not also a word for not-applicable or unknown:
    /// a cell equal to one of them is that option, with nothing else to check.
    plain_ids: Vec<ByLength<u16>>,
    /// The words for not-applicable and unknown, as written in their lists.
    special_words: ByLength<AnswerValue>,
    /// The words for yes and no, as written in their lists.
    yes_no_words: ByLength<bool>,
}

/// Texts with a value each, kept by length so that a lookup compares only texts of the same
/// length, and those first by their first and last eight bytes.
#[derive(Debug)]
struct ByLength<T> {
    /// Sorted by length.
    texts: Vec<Keyed<T>>,
    /// The texts of `n` bytes are `texts[by_length[n]..by_length[n + 1]]`.
    by_length: Vec<u32>,
}

#[derive(Debug)]
struct Keyed<T> {
    ends: (u64, u64),
    text: Box<str>,
    value: T,
}

/// The first and last eight bytes of `text` (all of it, zero-padded, when shorter): two texts
/// of the same length up to 16 bytes are equal exactly when these are.
fn ends_of(text: &[u8]) -> (u64, u64) {
    let u32_at = |at: usize| {
        u64::from(u32::from_le_bytes([
            text[at],
            text[at + 1],
            text[at + 2],
            text[at + 3],
        ]))
    };
    let u64_at = |at: usize| u64::from_le_bytes(text[at..at + 8].try_into().expect("8 bytes"));
    // Built from loads rather than through a padded copy, which stalls the load after it.
    let short = match text.len() {
        0 => 0,
        n @ 1..=3 => text
            .iter()
            .take(n)
            .rev()
            .fold(0, |word, &b| word << 8 | u64::from(b)),
        // Two overlapping loads: the bytes they share are the same bytes.
        n @ 4..=7 => u32_at(0) | u32_at(n - 4) << (8 * (n - 4)),
        n => return (u64_at(0), u64_at(n - 8)),
    };
    (short, short)
}

impl<T> Default for ByLength<T> {
    fn default() -> Self {
        ByLength {
            texts: Vec::new(),
            by_length: Vec::new(),
        }
    }
}

impl<T> ByLength<T> {
    /// The first value given for each text wins.
    fn new(given: impl IntoIterator<Item = (String, T)>) -> ByLength<T> {
        let mut texts: Vec<Keyed<T>> = Vec::new();
        for (text, value) in given {
            if !texts.iter().any(|t| *t.text == *text) {
                texts.push(Keyed {
                    ends: ends_of(text.as_bytes()),
                    text: text.into(),
                    value,
                });
            }
        }
        texts.sort_by_key(|t| t.text.len());
        let longest = texts.last().map_or(0, |t| t.text.len());
        let by_length = (0..=longest + 1)
            .map(|n| texts.partition_point(|t| t.text.len() < n) as u32)
            .collect();
        ByLength { texts, by_length }
    }

    fn get(&self, text: &str) -> Option<&T> {
        let n = text.len();
        let (from, to) = (*self.by_length.get(n)?, *self.by_length.get(n + 1)?);
        let ends = ends_of(text.as_bytes());
        self.texts[from as usize..to as usize]
            .iter()
            .find(|t| {
                t.ends == ends
                    && (n <= 16 || t.text.as_bytes()[8..n - 8] == text.as_bytes()[8..n - 8])
            })
            .map(|t| &t.value)
    }
}

impl OptionNames {
    /// Indexes the ids and labels (every language) of every option.
    pub fn new(questionnaire: &Questionnaire) -> Self {
        let by_question = questionnaire
            .questions
            .iter()
            .map(|q| {
                let mut names = HashMap::new();
                for option in q.options() {
                    for label in labels(&option.label) {
                        names
                            .entry(fold(label))
                            .or_insert_with(|| option.id.clone());
                    }
                }
                // Ids win over labels that happen to fold to the same text. Survey tools that
                // allow only letters and digits in codes (LimeSurvey) drop `_` and `-`.
                for option in q.options() {
                    names
                        .entry(fold(&option.id.replace(['_', '-'], "")))
                        .or_insert_with(|| option.id.clone());
                    names.insert(fold(&option.id), option.id.clone());
                }
                names
            })
            .collect();
        let plain_ids = questionnaire
            .questions
            .iter()
            .map(|q| {
                let ids = q
                    .options()
                    .iter()
                    .enumerate()
                    .filter(|(_, o)| {
                        !matches!(
                            special_word(&o.id),
                            Some(Special::NotApplicable | Special::Unknown)
                        )
                    })
                    .map(|(i, o)| (o.id.clone(), i as u16));
                ByLength::new(ids)
            })
            .collect();
        let words_as = |kind: Meaning, value: AnswerValue| {
            words(kind).map(move |w| (w.to_owned(), value.clone()))
        };
        let special_words = ByLength::new(
            words_as(Meaning::NotApplicable, AnswerValue::NotApplicable)
                .chain(words_as(Meaning::Unknown, AnswerValue::Unknown)),
        );
        let yes_no_words = ByLength::new(
            words(Meaning::Yes)
                .map(|w| (w.to_owned(), true))
                .chain(words(Meaning::No).map(|w| (w.to_owned(), false))),
        );
        OptionNames {
            by_question,
            plain_ids,
            special_words,
            yes_no_words,
        }
    }

    /// The option whose id is exactly `cell`, when that id is not also a special word.
    fn plain_option(&self, question: usize, cell: &str) -> Option<u16> {
        self.plain_ids.get(question)?.get(cell).copied()
    }

    fn option(&self, question: usize, cell: &str) -> Option<&str> {
        let names = self.by_question.get(question)?;
        // Most cells hold the id itself: look it up before paying for folding.
        names
            .get(cell)
            .or_else(|| names.get(&fold(cell)))
            .map(String::as_str)
    }
}

fn labels(text: &LocalizedText) -> Vec<&str> {
    match text {
        LocalizedText::Plain(t) => vec![t.as_str()],
        LocalizedText::ByLanguage(map) => map.values().map(String::as_str).collect(),
    }
}

/// A cell as an answer of question `index`: what the YAML reader would have made of the same
/// answer written in a response file, so that the same checks apply. `None` for an empty cell.
/// The options of a multi cell are placed `at` the cell, so that a bad one is reported there.
pub fn cell_answer(
    questionnaire: &Questionnaire,
    names: &OptionNames,
    index: usize,
    cell: &str,
    at: Position,
) -> Option<AnswerDoc> {
    let (cell, marked) = csv_text_of(cell.trim());
    let question = &questionnaire.questions[index];
    // A text marked to be taken as written is no answer word, even when empty.
    if marked && matches!(question.kind, QuestionKind::Text) {
        return Some(AnswerDoc::Text(cell.to_owned()));
    }
    if cell.is_empty() {
        return None;
    }
    // Plain ASCII lower-case cells (ids, numbers, yes/no) need no Unicode folding.
    let folded = if cell
        .bytes()
        .all(|b| b.is_ascii_graphic() && !b.is_ascii_uppercase())
    {
        cell.to_owned()
    } else {
        fold(cell)
    };
    if words(Meaning::NotApplicable).any(|w| w == folded) {
        return Some(AnswerDoc::Text("na".to_owned()));
    }
    if words(Meaning::Unknown).any(|w| w == folded) {
        return Some(AnswerDoc::Text("unknown".to_owned()));
    }
    Some(match &question.kind {
        QuestionKind::Choice { .. } => {
            AnswerDoc::Text(names.option(index, cell).unwrap_or(cell).to_owned())
        }
        QuestionKind::Multi { .. } if is_empty_selection(cell) => AnswerDoc::List(Vec::new()),
        QuestionKind::Multi { .. } => AnswerDoc::List(
            cell.split(';')
                .map(str::trim)
                .filter(|part| !part.is_empty())
                .map(|part| {
                    let id = names.option(index, part).unwrap_or(part);
                    At::new(ScalarText(id.to_owned()), at)
                })
                .collect(),
        ),
        QuestionKind::YesNo if words(Meaning::Yes).any(|w| w == folded) => AnswerDoc::Bool(true),
        QuestionKind::YesNo if words(Meaning::No).any(|w| w == folded) => AnswerDoc::Bool(false),
        QuestionKind::Number { .. } => match cell.replace(',', ".").parse::<f64>() {
            Ok(n) if n.is_finite() && !cell.contains(char::is_alphabetic) => AnswerDoc::Number(n),
            _ => AnswerDoc::Text(cell.to_owned()),
        },
        _ => AnswerDoc::Text(cell.to_owned()),
    })
}

/// What `cell_value` made of a cell.
#[derive(Debug, Clone, PartialEq)]
pub enum PlainCell {
    /// Nothing written.
    Empty,
    /// The checked value.
    Answer(AnswerValue),
    /// The cell needs the full checks: to be refused with a reason, or read by a rule this
    /// shortcut does not know.
    NeedsChecks,
}

/// A cell as the checked value of question `index`, the way `cell_answer` followed by the
/// response checks would read it, without building the intermediate document.
pub fn cell_value(
    questionnaire: &Questionnaire,
    names: &OptionNames,
    index: usize,
    cell: &str,
) -> PlainCell {
    plain_cell(questionnaire, names, index, cell).map_or(PlainCell::NeedsChecks, |value| {
        value.map_or(PlainCell::Empty, PlainCell::Answer)
    })
}

/// `cell_value` as an option of an option: `None` when the cell needs the checks.
fn plain_cell(
    questionnaire: &Questionnaire,
    names: &OptionNames,
    index: usize,
    cell: &str,
) -> Option<Option<AnswerValue>> {
    let (cell, marked) = csv_text_of(trim(cell));
    let question = &questionnaire.questions[index];
    if marked && matches!(question.kind, QuestionKind::Text) {
        return Some(Some(marked_text(cell)));
    }
    if cell.is_empty() {
        return Some(None);
    }
    // Most cells are written exactly as a word or an option id: found without folding, in the
    // order the reading below tries them (no option id is also a word for na or unknown).
    if let Some(value) = names.special_words.get(cell) {
        return Some(Some(value.clone()));
    }
    if let Some(option) = names.plain_option(index, cell) {
        return Some(Some(match question.kind {
            QuestionKind::Multi { .. } => AnswerValue::Multi(1u64 << option),
            _ => AnswerValue::Choice(option),
        }));
    }
    if matches!(question.kind, QuestionKind::YesNo)
        && let Some(&yes) = names.yes_no_words.get(cell)
    {
        return Some(Some(AnswerValue::YesNo(yes)));
    }
    if matches!(question.kind, QuestionKind::Number { .. })
        && cell
            .bytes()
            .all(|b| b.is_ascii_digit() || b == b'.' || b == b'-')
    {
        // Digits are no word and no option: the reading below would parse them all the same.
        return number_in_range(question, cell.parse::<f64>().ok());
    }
    match special_word(cell) {
        Some(Special::NotApplicable) => return Some(Some(AnswerValue::NotApplicable)),
        Some(Special::Unknown) => return Some(Some(AnswerValue::Unknown)),
        Some(Special::Folded(_)) | None => {}
    }
    let option = |text: &str| -> Option<usize> {
        let options = question.options();
        let plain = names.plain_option(index, text).map(usize::from);
        plain.or_else(|| {
            let id = names.option(index, text)?;
            options.iter().position(|o| o.id == id)
        })
    };
    match &question.kind {
        QuestionKind::Choice { .. } => option(cell).map(|i| Some(AnswerValue::Choice(i as u16))),
        QuestionKind::Multi { .. } if is_empty_selection(cell) => Some(Some(AnswerValue::Multi(0))),
        QuestionKind::Multi { .. } => {
            let mut bits = 0u64;
            // `;` is one byte, so every part starts and ends on a character boundary.
            let separators = cell.bytes().enumerate().filter(|&(_, b)| b == b';');
            let mut start = 0;
            for end in separators.map(|(i, _)| i).chain([cell.len()]) {
                let part = trim(&cell[start..end]);
                start = end + 1;
                if !part.is_empty() {
                    bits |= 1u64 << option(part)?;
                }
            }
            Some(Some(AnswerValue::Multi(bits)))
        }
        QuestionKind::YesNo => {
            let folded = match special_word(cell) {
                Some(Special::Folded(folded)) => folded,
                _ => return None,
            };
            if words(Meaning::Yes).any(|w| w == folded) {
                Some(Some(AnswerValue::YesNo(true)))
            } else if words(Meaning::No).any(|w| w == folded) {
                Some(Some(AnswerValue::YesNo(false)))
            } else {
                None
            }
        }
        QuestionKind::Number { .. } => {
            let parsed = if cell.contains(char::is_alphabetic) {
                cell.parse::<f64>().ok()
            } else if cell.contains(',') {
                cell.replace(',', ".").parse::<f64>().ok()
            } else {
                cell.parse::<f64>().ok()
            };
            number_in_range(question, parsed)
        }
        QuestionKind::Text => Some(Some(AnswerValue::Text(cell.to_owned()))),
    }
}

/// A text taken as written, as the checks read it: a response file's own words for "not
/// applicable" and "don't know" keep their meaning there too, so they keep it here.
fn marked_text(text: &str) -> AnswerValue {
    let word = text.trim();
    if word.eq_ignore_ascii_case("na") {
        AnswerValue::NotApplicable
    } else if word.eq_ignore_ascii_case("unknown") {
        AnswerValue::Unknown
    } else {
        AnswerValue::Text(text.to_owned())
    }
}

/// A number read from a cell of a number question, when it is finite and within the bounds.
fn number_in_range(
    question: &crate::model::Question,
    parsed: Option<f64>,
) -> Option<Option<AnswerValue>> {
    let QuestionKind::Number { min, max, .. } = question.kind else {
        return None;
    };
    match parsed {
        Some(n)
            if n.is_finite() && !min.is_some_and(|lo| n < lo) && !max.is_some_and(|hi| n > hi) =>
        {
            Some(Some(AnswerValue::Number(n)))
        }
        _ => None,
    }
}

/// `text.trim()`, without looking for Unicode blanks when both ends are visible ASCII.
fn trim(text: &str) -> &str {
    match (text.as_bytes().first(), text.as_bytes().last()) {
        (Some(first), Some(last)) if first.is_ascii_graphic() && last.is_ascii_graphic() => text,
        _ => text.trim(),
    }
}

/// What a short cell folds to, when it is one of the words every question understands.
enum Special<'a> {
    NotApplicable,
    Unknown,
    /// Any other short cell, folded.
    Folded(std::borrow::Cow<'a, str>),
}

/// The longest answer word (`answer_words`), in characters.
const LONGEST_WORD: usize = 14;

/// Reads `cell` (trimmed) as not-applicable, unknown or a short folded word; `None` for a cell
/// too long to be any of them. Long texts are never folded, which is most of the cost of a row.
fn special_word(cell: &str) -> Option<Special<'_>> {
    // Folding keeps every visible ASCII character: past LONGEST_WORD of them, no short word.
    if cell
        .bytes()
        .filter(u8::is_ascii_graphic)
        .nth(LONGEST_WORD)
        .is_some()
    {
        return None;
    }
    let folded: std::borrow::Cow<str> = if cell
        .bytes()
        .all(|b| b.is_ascii_graphic() && !b.is_ascii_uppercase())
    {
        if cell.len() > LONGEST_WORD {
            return None;
        }
        std::borrow::Cow::Borrowed(cell)
    } else if cell
        .chars()
        .filter(|&c| !c.is_whitespace() && !unicode_normalization::char::is_combining_mark(c))
        .take(LONGEST_WORD + 1)
        .count()
        > LONGEST_WORD
    {
        // Folding keeps every character but blanks and accents: this cannot fold to a short word.
        return None;
    } else {
        std::borrow::Cow::Owned(fold(cell))
    };
    Some(if words(Meaning::NotApplicable).any(|w| w == folded) {
        Special::NotApplicable
    } else if words(Meaning::Unknown).any(|w| w == folded) {
        Special::Unknown
    } else {
        Special::Folded(folded)
    })
}

/// Undoes the apostrophe that our own CSV output puts before a formula-like cell or a text to
/// take as written (`fsio::csv_text`), so that a rejects file can be corrected and imported
/// again, and an export imports back unchanged.
pub fn unprotect(cell: &str) -> &str {
    csv_text_of(cell).0
}

/// A cell of a multi question that selects nothing: `[]`, as a response file writes it.
fn is_empty_selection(cell: &str) -> bool {
    cell.strip_prefix('[')
        .and_then(|rest| rest.strip_suffix(']'))
        .is_some_and(|inside| inside.trim().is_empty())
}

/// The links of an evidence cell, separated by blanks or `;`.
pub fn evidence_links(cell: &str) -> Vec<String> {
    unprotect(cell.trim())
        .split(|c: char| c.is_whitespace() || c == ';')
        .filter(|link| !link.is_empty())
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_ignores_case_accents_and_blanks() {
        assert_eq!(fold("  Sí "), "si");
        assert_eq!(fold("Não  se aplica"), "nao se aplica");
        assert_eq!(fold("ÉTABLI"), "etabli");
    }

    fn all_words() -> impl Iterator<Item = &'static str> {
        [
            Meaning::Yes,
            Meaning::No,
            Meaning::NotApplicable,
            Meaning::Unknown,
        ]
        .into_iter()
        .flat_map(words)
    }

    /// The ways a question's own options may be written.
    fn own_cells(question: &crate::model::Question) -> Vec<String> {
        let mut cells = Vec::new();
        for option in question.options() {
            cells.push(option.id.clone());
            cells.push(option.id.to_uppercase());
            for label in labels(&option.label) {
                cells.push(label.to_owned());
                cells.push(label.to_lowercase());
            }
        }
        if matches!(question.kind, QuestionKind::Multi { .. }) {
            let ids: Vec<&str> = question.options().iter().map(|o| o.id.as_str()).collect();
            cells.push(ids.join(";"));
            cells.push(ids.join(" ; "));
        }
        cells
    }

    #[test]
    fn the_plain_reading_agrees_with_the_checks() {
        use crate::diagnostic::At;
        use crate::load::check_answer_doc;
        let questionnaire = &crate::builtin::questionnaires()[0];
        let names = OptionNames::new(questionnaire);
        let common: Vec<String> = [
            "",
            "  ",
            "na",
            "N/A",
            "No aplica",
            "Não se aplica",
            "sans objet",
            "unknown",
            "Don't know",
            "no sé",
            "yes",
            "Sí",
            "oui",
            "NO",
            "non",
            "true",
            "y",
            "maybe",
            "4",
            "4,5",
            "4.5",
            "-1",
            "1e3",
            "inf",
            "NaN",
            "100000",
            "12 ",
            "'=1+1",
            "=1+1",
            "@cmd",
            "hello",
            "Ninguno",
            ";",
            "a;b",
            "x;;y",
            "none",
            "partial",
            "  partial  ",
            "[]",
            "[ ]",
            "[none]",
            "'",
            "'N/A",
            "'na",
            "' NA ",
            "' text",
            "''=1",
            "'[]",
        ]
        .iter()
        .copied()
        .chain(all_words())
        .map(|s| s.to_string())
        .collect();
        let questions = &questionnaire.questions;
        for (index, question) in questions.iter().enumerate() {
            let own = own_cells(question);
            let neighbour = own_cells(&questions[(index + 1) % questions.len()]);
            for cell in common.iter().chain(&own).chain(&neighbour) {
                let slow = cell_answer(questionnaire, &names, index, cell, Position::default())
                    .map(|doc| {
                        let at = At::new(doc, Default::default());
                        check_answer_doc(std::path::Path::new("t.csv"), question, &at)
                    });
                match cell_value(questionnaire, &names, index, cell) {
                    PlainCell::Empty => assert!(slow.is_none(), "{} {cell:?}", question.id),
                    PlainCell::Answer(value) => match slow {
                        Some(Ok(Some(answer))) => {
                            assert_eq!(answer.value, value, "{} {cell:?}", question.id)
                        }
                        other => panic!(
                            "{} {cell:?}: plain {value:?}, checked {other:?}",
                            question.id
                        ),
                    },
                    // Every way of writing the question's own options is read plainly.
                    PlainCell::NeedsChecks => assert!(
                        !own.contains(cell),
                        "{} {cell:?} needs the checks",
                        question.id
                    ),
                }
            }
        }
    }

    #[test]
    fn the_longest_special_word_is_known() {
        let longest = all_words()
            .map(|w| w.chars().filter(|c| !c.is_whitespace()).count())
            .max();
        assert!(longest <= Some(LONGEST_WORD));
    }

    #[test]
    fn lookup_by_length_finds_only_the_same_text() {
        let texts = [
            "",
            "a",
            "ab",
            "xyz",
            "abcd",
            "abcde",
            "abcdefg",
            "abcdefgh",
            "abcdefgX",
            "abcdefghijklmnop",
            "abcdefghijklmnoX",
            "abcdefgh_middle_ijklmnop",
            "abcdefgh_MIDDLE_ijklmnop",
            "é",
        ];
        let table = ByLength::new(texts.iter().enumerate().map(|(i, t)| (t.to_string(), i)));
        for (i, text) in texts.iter().enumerate() {
            assert_eq!(table.get(text), Some(&i), "{text:?}");
        }
        for missing in [
            "b",
            "abcdefgY",
            "Xbcdefghijklmnop",
            "abcdefgh_m1ddle_ijklmnop",
            "abc",
            "ab\0",
            "xyZ",
            "abcX",
            "abcdX",
            "bcdefgh",
            "abcdefX",
        ] {
            assert_eq!(table.get(missing), None, "{missing:?}");
        }
    }

    #[test]
    fn protected_formulas_come_back() {
        assert_eq!(unprotect("'=1+1"), "=1+1");
        assert_eq!(unprotect("'quoted"), "'quoted");
    }

    #[test]
    fn an_evidence_cell_holds_links_separated_by_blanks_or_semicolons() {
        assert_eq!(
            evidence_links(" https://a.org/x ; https://b.org\nftp://c;;d "),
            ["https://a.org/x", "https://b.org", "ftp://c", "d"]
        );
        assert_eq!(evidence_links("'=x; y"), ["=x", "y"]);
        assert!(evidence_links(" ; ").is_empty());
    }

    #[test]
    fn a_marked_text_is_taken_as_written_in_a_text_question_only() {
        let questionnaire = &crate::builtin::questionnaires()[0];
        let names = OptionNames::new(questionnaire);
        let kind_of = |wanted: fn(&QuestionKind) -> bool| {
            questionnaire
                .questions
                .iter()
                .position(|q| wanted(&q.kind))
                .expect("the built-in questionnaire has every kind")
        };
        let text = kind_of(|k| matches!(k, QuestionKind::Text));
        let choice = kind_of(|k| matches!(k, QuestionKind::Choice { .. }));
        let multi = kind_of(|k| matches!(k, QuestionKind::Multi { .. }));
        let read = |q: usize, cell: &str| cell_value(questionnaire, &names, q, cell);
        assert_eq!(
            read(text, "N/A"),
            PlainCell::Answer(AnswerValue::NotApplicable)
        );
        assert_eq!(
            read(text, "'N/A"),
            PlainCell::Answer(AnswerValue::Text("N/A".into()))
        );
        assert_eq!(
            read(text, "'"),
            PlainCell::Answer(AnswerValue::Text(String::new()))
        );
        assert_eq!(
            read(text, "'na"),
            PlainCell::Answer(AnswerValue::NotApplicable)
        );
        assert_eq!(
            read(choice, "'N/A"),
            PlainCell::Answer(AnswerValue::NotApplicable)
        );
        assert_eq!(read(multi, "[]"), PlainCell::Answer(AnswerValue::Multi(0)));
        assert_eq!(read(multi, ""), PlainCell::Empty);
    }
}
