//! What the screens show, in the user's language, made from the session: the start screen, each
//! question, the line after a save, and the closing review. Both frontends print these; they
//! differ only in how they read the answer.

use crate::model::{AnswerValue, Question, QuestionKind};
use crate::numbers::{NumberStyle, format_number};
use crate::scoring::Measure;

use super::session::Session;
use super::strings::{text, text_with};

/// An option of a choice or multi question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OptionView {
    /// The id written in the file.
    pub id: String,
    /// The label in the user's language.
    pub label: String,
}

/// The answer a question takes.
#[derive(Debug, Clone, PartialEq)]
pub enum AnswerKind {
    /// One option.
    Choice(Vec<OptionView>),
    /// Any number of options, none included.
    Multi(Vec<OptionView>),
    /// Yes or no.
    YesNo,
    /// A number within its range.
    Number {
        /// Smallest valid answer.
        min: Option<f64>,
        /// Largest valid answer.
        max: Option<f64>,
    },
    /// Free text.
    Text,
}

/// One question as a frontend asks it.
#[derive(Debug, Clone, PartialEq)]
pub struct QuestionView {
    /// Its position in the questionnaire.
    pub question: usize,
    /// Its id.
    pub id: String,
    /// Lines above it: where it sits and its number, and a kept answer's notice.
    pub header: Vec<String>,
    /// The question.
    pub text: String,
    /// Its guidance, if any.
    pub help: Option<String>,
    /// The answer it takes.
    pub kind: AnswerKind,
    /// Its answer so far: the default.
    pub current: Option<AnswerValue>,
    /// The note so far.
    pub note: Option<String>,
    /// The evidence so far.
    pub evidence: Vec<String>,
    /// The user's language.
    pub lang: String,
}

impl QuestionView {
    /// An answer in the user's words: option labels, yes or no, don't know, not applicable.
    pub fn shown(&self, value: &AnswerValue) -> String {
        let lang = &self.lang;
        let options = match &self.kind {
            AnswerKind::Choice(o) | AnswerKind::Multi(o) => o.as_slice(),
            _ => &[],
        };
        match value {
            AnswerValue::NotApplicable => text("option_na", lang),
            AnswerValue::Unknown => text("option_unknown", lang),
            AnswerValue::Choice(i) => options
                .get(usize::from(*i))
                .map(|o| o.label.clone())
                .unwrap_or_default(),
            AnswerValue::Multi(0) => text("option_none", lang),
            AnswerValue::Multi(bits) => options
                .iter()
                .enumerate()
                .filter(|(i, _)| bits & (1u64 << i) != 0)
                .map(|(_, o)| o.label.as_str())
                .collect::<Vec<_>>()
                .join(&text("list_separator", lang)),
            AnswerValue::YesNo(true) => text("yes", lang),
            AnswerValue::YesNo(false) => text("no", lang),
            AnswerValue::Number(n) => format_number(*n),
            AnswerValue::Text(t) => t.clone(),
        }
    }

    /// What a number must be, e.g. "a number from 0 to 365", to go inside a sentence.
    pub fn expected_number(&self) -> String {
        let lang = &self.lang;
        let (min, max) = match self.kind {
            AnswerKind::Number { min, max } => (min, max),
            _ => (None, None),
        };
        match (min, max) {
            (Some(lo), Some(hi)) => text_with(
                "number_between",
                lang,
                &[("min", &format_number(lo)), ("max", &format_number(hi))],
            ),
            (Some(lo), None) => text_with("number_at_least", lang, &[("min", &format_number(lo))]),
            (None, Some(hi)) => text_with("number_at_most", lang, &[("max", &format_number(hi))]),
            (None, None) => text("number_any", lang),
        }
    }

    /// Reads a number as typed and checks its range; the error says what was expected. Spaces
    /// group digits (`1 500`); a comma is refused, since `1,500` means 1500 in one language and
    /// 1.5 in another.
    pub fn parse_number(&self, input: &str) -> Result<f64, String> {
        let compact: String = input.chars().filter(|c| !c.is_whitespace()).collect();
        let expected = self.expected_number();
        let Some(n) = compact.parse::<f64>().ok().filter(|n| n.is_finite()) else {
            return Err(text_with(
                "invalid_number",
                &self.lang,
                &[("input", &shorten(input)), ("expected", &expected)],
            ));
        };
        self.check_number(n)
    }

    /// A number if it is in the question's range, else the message saying what was expected.
    pub fn check_number(&self, n: f64) -> Result<f64, String> {
        let (min, max) = match self.kind {
            AnswerKind::Number { min, max } => (min, max),
            _ => (None, None),
        };
        if min.is_some_and(|lo| n < lo) || max.is_some_and(|hi| n > hi) {
            return Err(text_with(
                "out_of_range",
                &self.lang,
                &[
                    ("input", &format_number(n)),
                    ("expected", &self.expected_number()),
                ],
            ));
        }
        Ok(n)
    }

    /// Whether `word` means yes, no, or neither, in any of the four languages.
    pub fn yes_no(&self, word: &str) -> Option<bool> {
        match crate::answer_words::meaning(word) {
            Some(crate::answer_words::Meaning::Yes) => Some(true),
            Some(crate::answer_words::Meaning::No) => Some(false),
            _ => None,
        }
    }
}

/// A fragment as a sentence of its own: a capital first letter and a full stop.
pub fn sentence(fragment: &str) -> String {
    let mut chars = fragment.chars();
    let mut out: String = match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    };
    if !out.ends_with(['.', '!', '?', ':']) {
        out.push('.');
    }
    out
}

/// Typed input quoted back in a message: at most 40 characters, control characters blanked.
pub fn shorten(input: &str) -> String {
    let mut short: String = input
        .trim()
        .chars()
        .take(40)
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if input.trim().chars().count() > 40 {
        short.push('…');
    }
    short
}

/// The start screen's lines.
pub fn start_lines(session: &Session<'_>, file: &str, lang: &str) -> Vec<String> {
    let q = session.questionnaire();
    let country = session.country();
    let country_shown = match country.name(lang) {
        Some(name) => format!("{country} ({name})"),
        None => country.to_string(),
    };
    let mut lines = vec![
        text_with(
            "start_title",
            lang,
            &[
                ("title", q.title.get(lang)),
                ("id", &q.id),
                ("version", &q.version),
            ],
        ),
        text_with("start_country", lang, &[("country", &country_shown)]),
        text_with("start_round", lang, &[("round", session.round().as_str())]),
        text_with("start_file", lang, &[("file", file)]),
        text_with(
            "start_respondent",
            lang,
            &[("who", &super::flow::respondent_shown(session.respondent()))],
        ),
        text_with(
            "start_progress",
            lang,
            &[
                ("total", &q.questions.len().to_string()),
                ("answered", &session.answered().to_string()),
            ],
        ),
    ];
    lines.extend(kept_lines(session, lang));
    lines
}

fn kept_lines(session: &Session<'_>, lang: &str) -> Vec<String> {
    if session.kept().is_empty() {
        return Vec::new();
    }
    let mut lines = vec![text("kept_title", lang)];
    for kept in session.kept() {
        lines.push(format!(
            "  {}",
            text_with(
                "kept_line",
                lang,
                &[
                    ("id", &kept.key),
                    ("line", &kept.position.line.to_string()),
                    ("value", &kept.shown()),
                    ("problem", &kept.problem),
                ],
            )
        ));
    }
    lines
}

/// A question as the frontends ask it.
pub fn question_view(session: &Session<'_>, q: usize, lang: &str) -> QuestionView {
    let questionnaire = session.questionnaire();
    let question: &Question = &questionnaire.questions[q];
    let indicator = &questionnaire.indicators[question.indicator];
    let pillar = &questionnaire.pillars[indicator.pillar];
    let mut header = vec![text_with(
        "question_header",
        lang,
        &[
            ("number", &(q + 1).to_string()),
            ("total", &questionnaire.questions.len().to_string()),
            ("pillar", pillar.title.get(lang)),
            ("indicator", indicator.title.get(lang)),
        ],
    )];
    let kept = session.kept_for(q);
    if let Some(kept) = kept {
        header.push(text_with(
            "question_kept",
            lang,
            &[("value", &kept.shown()), ("problem", &kept.problem)],
        ));
    }
    let options = || {
        question
            .options()
            .iter()
            .map(|o| OptionView {
                id: o.id.clone(),
                label: o.label.get(lang).to_owned(),
            })
            .collect()
    };
    let kind = match &question.kind {
        QuestionKind::Choice { .. } => AnswerKind::Choice(options()),
        QuestionKind::Multi { .. } => AnswerKind::Multi(options()),
        QuestionKind::YesNo => AnswerKind::YesNo,
        QuestionKind::Number { min, max, .. } => AnswerKind::Number {
            min: *min,
            max: *max,
        },
        QuestionKind::Text => AnswerKind::Text,
    };
    let answer = session.answer(q);
    let (note, evidence) = match (answer, kept) {
        (Some(a), _) => (a.note.clone(), a.evidence.clone()),
        (None, Some(k)) => (k.note().map(str::to_owned), k.evidence().to_vec()),
        (None, None) => (None, Vec::new()),
    };
    QuestionView {
        question: q,
        id: question.id.clone(),
        header,
        text: question.text.get(lang).to_owned(),
        help: help_with_refs(question, lang),
        kind,
        current: answer.map(|a| a.value.clone()),
        note,
        evidence,
        lang: lang.to_owned(),
    }
}

/// A question's guidance followed by the framework items it refers to, so whoever answers sees
/// which part of the CMM, GCI, NCAF or NCSI the answer also speaks to.
fn help_with_refs(question: &Question, lang: &str) -> Option<String> {
    let help = question
        .help
        .as_ref()
        .map(|h| h.get(lang).to_owned())
        .filter(|h| !h.trim().is_empty());
    let Some(refs) = crate::i18n::labels::frameworks_line(&question.refs, lang) else {
        return help;
    };
    Some(match help {
        Some(help) => format!("{help}\n{refs}"),
        None => refs,
    })
}

/// The line after an answer is saved: what went into the file, and how far along it is.
pub fn saved_line(session: &Session<'_>, q: usize, lang: &str) -> String {
    let questionnaire = session.questionnaire();
    let question = &questionnaire.questions[q];
    let answer = session
        .answer(q)
        .map(|a| a.value.display(question))
        .unwrap_or_default();
    text_with(
        "saved",
        lang,
        &[
            ("id", &question.id),
            ("answer", &answer),
            ("answered", &session.answered().to_string()),
            ("total", &questionnaire.questions.len().to_string()),
        ],
    )
}

/// The closing review: what is unanswered, completeness, and a score preview per pillar.
pub fn review_lines(session: &Session<'_>, lang: &str) -> Vec<String> {
    let questionnaire = session.questionnaire();
    let total = questionnaire.questions.len();
    let unknown = (0..total)
        .filter(|&q| {
            matches!(
                session.answer(q).map(|a| &a.value),
                Some(AnswerValue::Unknown)
            )
        })
        .count();
    let mut lines = vec![
        text("review_title", lang),
        text_with(
            "review_answered",
            lang,
            &[
                ("answered", &session.answered().to_string()),
                ("total", &total.to_string()),
                ("unknown", &unknown.to_string()),
            ],
        ),
    ];
    let unanswered = session.unanswered();
    if unanswered.is_empty() {
        lines.push(text("review_all_answered", lang));
    } else {
        lines.push(text("review_unanswered", lang));
        for q in unanswered {
            let question = &questionnaire.questions[q];
            lines.push(format!(
                "  {}",
                text_with(
                    "review_unanswered_line",
                    lang,
                    &[
                        ("number", &(q + 1).to_string()),
                        ("id", &question.id),
                        ("text", question.text.get(lang)),
                    ],
                )
            ));
        }
    }
    lines.extend(kept_lines(session, lang));
    let tree = session.score();
    lines.push(text_with(
        "review_completeness",
        lang,
        &[(
            "percent",
            &NumberStyle::of(lang).percent(tree.overall.completeness),
        )],
    ));
    lines.push(text("review_preview", lang));
    for pillar in &tree.pillars {
        let title = questionnaire.pillars[pillar.pillar].title.get(lang);
        lines.push(format!(
            "  {}",
            measure_line(session, title, &pillar.measure, lang)
        ));
    }
    lines.push(format!(
        "  {}",
        measure_line(session, &text("review_overall", lang), &tree.overall, lang)
    ));
    lines
}

fn measure_line(session: &Session<'_>, title: &str, measure: &Measure, lang: &str) -> String {
    match (measure.score, measure.stage) {
        (Some(score), Some(stage)) => text_with(
            "review_score",
            lang,
            &[
                ("title", title),
                ("score", &NumberStyle::of(lang).score(Some(score))),
                ("stage", &stage.to_string()),
                ("name", stage.name(session.questionnaire(), lang)),
            ],
        ),
        _ => text_with("review_no_score", lang, &[("title", title)]),
    }
}
