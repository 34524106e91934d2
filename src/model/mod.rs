//! Checked questionnaire and response models, built by `load` from the on-disk documents.

pub mod country;
pub mod diff;
pub mod doc;
pub mod refs;
pub mod text;
pub mod write;

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::ops::Range;

use serde::Serialize;

use crate::Error;

pub use country::CountryCode;
pub use doc::QuestionType;
pub use text::LocalizedText;

/// A questionnaire whose structure has been checked: ids unique, levels in range, conditions
/// pointing backwards, bands ordered.
#[derive(Debug, Clone)]
pub struct Questionnaire {
    /// Identifier, e.g. `eu-lac-cyber-capacity`.
    pub id: String,
    /// Version, e.g. `1.0.0`.
    pub version: String,
    /// Title.
    pub title: LocalizedText,
    /// Declared languages, the first being the default.
    pub languages: Vec<String>,
    /// Stage names for levels 1..5 (index 0 is level 1).
    pub stages: Vec<LocalizedText>,
    /// What each stage means, where the questionnaire says (index 0 is level 1).
    pub stage_descriptions: Vec<Option<LocalizedText>>,
    /// Pillars in file order.
    pub pillars: Vec<Pillar>,
    /// Indicators in file order, across pillars.
    pub indicators: Vec<Indicator>,
    /// Questions in file order, across indicators.
    pub questions: Vec<Question>,
    question_index: HashMap<String, usize>,
}

impl Questionnaire {
    /// Assembles a questionnaire from checked parts and indexes its questions by id.
    pub(crate) fn new(
        header: QuestionnaireHeader,
        pillars: Vec<Pillar>,
        indicators: Vec<Indicator>,
        questions: Vec<Question>,
    ) -> Self {
        let question_index = questions
            .iter()
            .enumerate()
            .map(|(i, q)| (q.id.clone(), i))
            .collect();
        Questionnaire {
            id: header.id,
            version: header.version,
            title: header.title,
            languages: header.languages,
            stages: header.stages,
            stage_descriptions: header.stage_descriptions,
            pillars,
            indicators,
            questions,
            question_index,
        }
    }

    /// `id@version`, as response files name it.
    pub fn reference(&self) -> String {
        format!("{}@{}", self.id, self.version)
    }

    /// The position of a question by id.
    pub fn question_position(&self, id: &str) -> Option<usize> {
        self.question_index.get(id).copied()
    }

    /// The name of stage `level` (1..5) in `lang`.
    pub fn stage_name(&self, level: u8, lang: &str) -> &str {
        self.stages
            .get(usize::from(level).wrapping_sub(1))
            .map(|t| t.get(lang))
            .unwrap_or("")
    }

    /// What stage `level` (1..5) means in `lang`, if the questionnaire says.
    pub fn stage_description(&self, level: u8, lang: &str) -> Option<&str> {
        self.stage_descriptions
            .get(usize::from(level).wrapping_sub(1))?
            .as_ref()
            .map(|t| t.get(lang))
    }

    /// The default language: the first declared, else English.
    pub fn default_language(&self) -> &str {
        self.languages
            .first()
            .map(String::as_str)
            .unwrap_or(text::FALLBACK_LANGUAGE)
    }

    /// The language asked for, checked against the languages this questionnaire has, or its
    /// default when none was asked for. Every command that takes `--lang` goes through here, so
    /// that none falls back to English in silence for a language the questionnaire lacks.
    pub fn language<'a>(&'a self, asked: Option<&'a str>) -> Result<&'a str, Error> {
        let Some(asked) = asked else {
            return Ok(self.default_language());
        };
        if self.languages.iter().any(|lang| lang == asked) {
            return Ok(asked);
        }
        let expected = match self.languages.as_slice() {
            [only] => format!("has only {only}; expected {only}"),
            languages => format!("has {}; expected one of them", languages.join(", ")),
        };
        Err(Error::Usage(format!(
            "--lang {}: the questionnaire {} {expected}",
            asked.escape_debug(),
            self.reference()
        )))
    }

    /// The questions of one indicator.
    pub fn indicator_questions(&self, indicator: &Indicator) -> &[Question] {
        &self.questions[indicator.questions.clone()]
    }

    /// The indicators of one pillar.
    pub fn pillar_indicators(&self, pillar: &Pillar) -> &[Indicator] {
        &self.indicators[pillar.indicators.clone()]
    }
}

/// The parts of a questionnaire above its pillars.
#[derive(Debug, Clone)]
pub(crate) struct QuestionnaireHeader {
    pub id: String,
    pub version: String,
    pub title: LocalizedText,
    pub languages: Vec<String>,
    pub stages: Vec<LocalizedText>,
    pub stage_descriptions: Vec<Option<LocalizedText>>,
}

/// A pillar: a weighted group of indicators.
#[derive(Debug, Clone)]
pub struct Pillar {
    /// Identifier.
    pub id: String,
    /// Title.
    pub title: LocalizedText,
    /// Short name for charts and table headers, when the questionnaire gives one.
    pub short: Option<LocalizedText>,
    /// Weight in the overall score.
    pub weight: f64,
    /// Positions of its indicators in `Questionnaire::indicators`.
    pub indicators: Range<usize>,
}

impl Pillar {
    /// The name charts and table headers show: the short name, else the title.
    pub fn short_title<'a>(&'a self, lang: &str) -> &'a str {
        self.short.as_ref().unwrap_or(&self.title).get(lang)
    }
}

/// An indicator: a weighted group of questions with stage descriptors.
#[derive(Debug, Clone)]
pub struct Indicator {
    /// Identifier.
    pub id: String,
    /// Title.
    pub title: LocalizedText,
    /// Short name for charts and table headers, when the questionnaire gives one.
    pub short: Option<LocalizedText>,
    /// The id it had in an earlier version of the questionnaire, if it was renamed.
    pub replaces: Option<String>,
    /// Weight in its pillar's score.
    pub weight: f64,
    /// Position of its pillar in `Questionnaire::pillars`.
    pub pillar: usize,
    /// Positions of its questions in `Questionnaire::questions`.
    pub questions: Range<usize>,
    /// Stage level → what the indicator looks like at that stage.
    pub descriptors: BTreeMap<u8, LocalizedText>,
}

impl Indicator {
    /// The name charts and table headers show: the short name, else the title.
    pub fn short_title<'a>(&'a self, lang: &str) -> &'a str {
        self.short.as_ref().unwrap_or(&self.title).get(lang)
    }
}

/// A question.
#[derive(Debug, Clone)]
pub struct Question {
    /// Identifier.
    pub id: String,
    /// The question.
    pub text: LocalizedText,
    /// Guidance.
    pub help: Option<LocalizedText>,
    /// The answer it expects and how that answer scores.
    pub kind: QuestionKind,
    /// Weight in its indicator's score.
    pub weight: f64,
    /// Crosswalk references.
    pub refs: Vec<String>,
    /// The id it had in an earlier version of the questionnaire, if it was renamed.
    pub replaces: Option<String>,
    /// Condition under which it is asked.
    pub when: Option<Condition>,
    /// Position of its indicator in `Questionnaire::indicators`.
    pub indicator: usize,
}

impl Question {
    /// The question type.
    pub fn kind_name(&self) -> QuestionType {
        match self.kind {
            QuestionKind::Choice { .. } => QuestionType::Choice,
            QuestionKind::Multi { .. } => QuestionType::Multi,
            QuestionKind::YesNo => QuestionType::Yesno,
            QuestionKind::Number { .. } => QuestionType::Number,
            QuestionKind::Text => QuestionType::Text,
        }
    }

    /// The options a multi selection holds, in the question's order.
    pub fn selected(&self, bits: u64) -> impl Iterator<Item = &AnswerOption> {
        self.options()
            .iter()
            .enumerate()
            .filter(move |(i, _)| *i < 64 && bits & (1u64 << i) != 0)
            .map(|(_, o)| o)
    }

    /// Whether the question counts towards scores: not free text, and not context (weight 0,
    /// such as a count of incidents, which measures exposure as much as capacity).
    pub fn is_scored(&self) -> bool {
        !matches!(self.kind, QuestionKind::Text) && self.weight > 0.0
    }

    /// The options of a choice or multi question.
    pub fn options(&self) -> &[AnswerOption] {
        match &self.kind {
            QuestionKind::Choice { options } | QuestionKind::Multi { options } => options,
            _ => &[],
        }
    }
}

/// The answer a question expects, with what scoring needs.
#[derive(Debug, Clone)]
pub enum QuestionKind {
    /// One option; each option has a level 1..5.
    Choice {
        /// The options.
        options: Vec<AnswerOption>,
    },
    /// Several options; each option has points.
    Multi {
        /// The options.
        options: Vec<AnswerOption>,
    },
    /// Yes or no.
    YesNo,
    /// A number mapped to a level by bands.
    Number {
        /// Smallest valid answer.
        min: Option<f64>,
        /// Largest valid answer.
        max: Option<f64>,
        /// (minimum value, level), ascending.
        bands: Vec<(f64, u8)>,
    },
    /// Free text, not scored.
    Text,
}

/// An option of a choice or multi question.
#[derive(Debug, Clone)]
pub struct AnswerOption {
    /// Identifier written in responses.
    pub id: String,
    /// Label.
    pub label: LocalizedText,
    /// Level 1..5 (choice) — 0 for multi options.
    pub level: u8,
    /// Points (multi) — 0 for choice options.
    pub points: f64,
}

/// A checked condition: the earlier question, and the answers that make it hold.
#[derive(Debug, Clone)]
pub struct Condition {
    /// Position of the question it depends on.
    pub question: usize,
    /// Any of these answers makes it hold.
    pub any_of: Vec<ConditionValue>,
}

/// One value a condition accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConditionValue {
    /// An option (by position) of a choice or multi question.
    Option(u16),
    /// A yes/no answer.
    YesNo(bool),
}

/// A round of assessment, e.g. "2025": safe to use in a file name.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct Round(String);

impl Round {
    /// Accepts 1..=32 characters of letters, digits, `.`, `_` and `-`, not starting with `.` or `-`.
    pub fn parse(text: &str) -> Option<Round> {
        let ok = (1..=32).contains(&text.len())
            && text
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
            && !text.starts_with(['.', '-']);
        ok.then(|| Round(text.to_owned()))
    }

    /// The round as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The current year (in UTC, so the same everywhere at one moment): the default round.
    pub fn current_year() -> Round {
        let year = jiff::tz::Offset::UTC
            .to_datetime(jiff::Timestamp::now())
            .year();
        Round(year.unsigned_abs().to_string())
    }

    /// What is wrong with `text` as a round, and what was expected.
    pub fn message(text: &str) -> String {
        format!(
            "round `{}` is not allowed; expected 1 to 32 letters, digits, `.`, `_` or `-`, such as 2025 or 2025-H1",
            text.escape_debug()
        )
    }
}

impl std::str::FromStr for Round {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        Round::parse(text).ok_or_else(|| Round::message(text))
    }
}

impl fmt::Display for Round {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl PartialOrd for Round {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Round {
    /// Natural order, so that "2025-2" follows "2025-1" and "10" follows "9".
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        // Text order settles "r01" against "r1", which are different rounds.
        natural_cmp(&self.0, &other.0).then_with(|| self.0.cmp(&other.0))
    }
}

/// Compares text with runs of digits taken as numbers.
pub fn natural_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    let (mut a, mut b) = (a.as_bytes(), b.as_bytes());
    loop {
        match (a.first(), b.first()) {
            (None, None) => return std::cmp::Ordering::Equal,
            (None, Some(_)) => return std::cmp::Ordering::Less,
            (Some(_), None) => return std::cmp::Ordering::Greater,
            (Some(x), Some(y)) if x.is_ascii_digit() && y.is_ascii_digit() => {
                let a_len = a.iter().take_while(|c| c.is_ascii_digit()).count();
                let b_len = b.iter().take_while(|c| c.is_ascii_digit()).count();
                let a_num = trim_zeros(&a[..a_len]);
                let b_num = trim_zeros(&b[..b_len]);
                let order = a_num.len().cmp(&b_num.len()).then(a_num.cmp(b_num));
                if order.is_ne() {
                    return order;
                }
                a = &a[a_len..];
                b = &b[b_len..];
            }
            (Some(x), Some(y)) => {
                if x != y {
                    return x.cmp(y);
                }
                a = &a[1..];
                b = &b[1..];
            }
        }
    }
}

fn trim_zeros(digits: &[u8]) -> &[u8] {
    let zeros = digits.iter().take_while(|&&d| d == b'0').count();
    &digits[zeros.min(digits.len().saturating_sub(1))..]
}

/// A response whose answers have been checked against its questionnaire.
#[derive(Debug, Clone)]
pub struct Response {
    /// The country or entity.
    pub country: CountryCode,
    /// The round.
    pub round: Round,
    /// Who answered.
    pub respondent: doc::RespondentDoc,
    /// When it was submitted.
    pub submitted: Option<jiff::Timestamp>,
    /// Answers by question position, in file order.
    pub answers: Vec<(usize, Answer)>,
}

/// A checked answer with its note and evidence.
#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    /// The answer.
    pub value: AnswerValue,
    /// The respondent's note.
    pub note: Option<String>,
    /// Links or references backing it.
    pub evidence: Vec<String>,
}

/// A checked answer value.
#[derive(Debug, Clone, PartialEq)]
pub enum AnswerValue {
    /// Not applicable: excluded from scores.
    NotApplicable,
    /// Does not know: scores 0 and counts against completeness.
    Unknown,
    /// Choice: the option's position.
    Choice(u16),
    /// Multi: a bit per selected option position.
    Multi(u64),
    /// Yes/no.
    YesNo(bool),
    /// Number.
    Number(f64),
    /// Free text.
    Text(String),
}

impl AnswerValue {
    /// The answer as a user would write it in a response file.
    pub fn display(&self, question: &Question) -> String {
        match self {
            AnswerValue::NotApplicable => "na".to_owned(),
            AnswerValue::Unknown => "unknown".to_owned(),
            AnswerValue::Choice(i) => question
                .options()
                .get(usize::from(*i))
                .map(|o| o.id.clone())
                .unwrap_or_default(),
            AnswerValue::Multi(bits) => {
                let ids: Vec<&str> = question.selected(*bits).map(|o| o.id.as_str()).collect();
                format!("[{}]", ids.join(", "))
            }
            AnswerValue::YesNo(true) => "yes".to_owned(),
            AnswerValue::YesNo(false) => "no".to_owned(),
            AnswerValue::Number(n) => crate::numbers::format_number(*n),
            AnswerValue::Text(t) => t.clone(),
        }
    }
}

/// Orders two versions as people read them: numeric parts as numbers (`1.10.0` after `1.9.0`),
/// other parts as text, and a version that is a prefix of another first.
pub fn compare_versions(a: &str, b: &str) -> std::cmp::Ordering {
    let parts = |v: &'_ str| -> Vec<(u64, String)> {
        v.split(['.', '-', '+'])
            .map(|p| match p.parse::<u64>() {
                Ok(n) => (n, String::new()),
                Err(_) => (u64::MAX, p.to_owned()),
            })
            .collect::<Vec<_>>()
    };
    parts(a).cmp(&parts(b)).then_with(|| a.cmp(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_language_the_questionnaire_lacks_is_a_usage_error_naming_its_languages() {
        let mut questionnaire = crate::builtin::questionnaires().remove(0);
        assert_eq!(questionnaire.language(None).unwrap(), "en");
        assert_eq!(questionnaire.language(Some("pt")).unwrap(), "pt");
        let err = questionnaire.language(Some("de")).unwrap_err();
        assert_eq!(err.exit_code(), 2);
        assert_eq!(
            err.to_string(),
            "--lang de: the questionnaire eu-lac-cyber-capacity@1.0.0 has en, es, pt, fr; expected one of them"
        );
        questionnaire.languages = vec!["es".to_owned()];
        assert_eq!(questionnaire.language(None).unwrap(), "es");
        assert_eq!(
            questionnaire.language(Some("en")).unwrap_err().to_string(),
            "--lang en: the questionnaire eu-lac-cyber-capacity@1.0.0 has only es; expected es"
        );
    }

    #[test]
    fn rounds_refuse_paths() {
        assert!(Round::parse("2025").is_some());
        assert!(Round::parse("2025-H1").is_some());
        for bad in ["../2025", "2025/x", "", ".hidden", "a b", "x\\y", "-rf"] {
            assert!(Round::parse(bad).is_none(), "{bad:?}");
        }
    }

    #[test]
    fn rounds_sort_naturally() {
        let mut rounds: Vec<Round> = ["2025-10", "2025-9", "2024", "9"]
            .iter()
            .filter_map(|r| Round::parse(r))
            .collect();
        rounds.sort();
        let order: Vec<&str> = rounds.iter().map(Round::as_str).collect();
        assert_eq!(order, ["9", "2024", "2025-9", "2025-10"]);
    }

    #[test]
    fn versions_compare_by_their_numbers() {
        use std::cmp::Ordering::*;
        assert_eq!(compare_versions("1.9.0", "1.10.0"), Less);
        assert_eq!(compare_versions("1.1.0", "1.0.0"), Greater);
        assert_eq!(compare_versions("2", "2.0"), Less);
        assert_eq!(compare_versions("1.0.0", "1.0.0"), Equal);
    }
}
