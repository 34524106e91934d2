//! The state of one sitting, free of any terminal: the answers by question, the answers kept as
//! written, the question being asked, and the rules that move between questions.
//!
//! Rules:
//! - a question is asked when it applies (its `when` holds on the current answers) and it has no
//!   answer yet, or a changed answer made it apply again: then its old answer is the default;
//! - after an answer, the next question asked is the first such question after it, else the first
//!   before it, else the review;
//! - `back` goes to the applicable question before the current one (the last one from the
//!   review), answered or not, with its answer as the default;
//! - an answer is never removed: a question whose condition stops holding keeps its answer in the
//!   file and is skipped while the condition is unmet;
//! - an answer the questionnaire does not allow (unknown question, option or value) is kept as
//!   written until the question is answered anew.

use std::collections::BTreeSet;
use std::path::Path;

use crate::diagnostic::{Diagnostic, Position};
use crate::load::{check_answer_doc, unknown_question_message};
use crate::model::doc::{AnswerDoc, RespondentDoc, ResponseDoc};
use crate::model::write::{RawAnswer, raw_yaml, response_to_yaml_keeping};
use crate::model::{Answer, AnswerValue, CountryCode, Questionnaire, Response, Round};
use crate::scoring::{ScoreTree, applicability, score};

/// An answer read from the file that the questionnaire does not allow, kept as written.
#[derive(Debug, Clone, PartialEq)]
pub struct KeptAnswer {
    /// The key as written.
    pub key: String,
    /// The answer as written.
    pub value: AnswerDoc,
    /// The question it answers, when the key is a question of the questionnaire.
    pub question: Option<usize>,
    /// Why the questionnaire does not allow it.
    pub problem: String,
    /// Where it was written.
    pub position: Position,
}

impl KeptAnswer {
    /// The value as it stands in the file.
    pub fn shown(&self) -> String {
        raw_yaml(&self.value)
    }

    /// The note written with it, if any.
    pub fn note(&self) -> Option<&str> {
        match &self.value {
            AnswerDoc::Detailed { note, .. } => note.as_deref(),
            _ => None,
        }
    }

    /// The evidence written with it.
    pub fn evidence(&self) -> &[String] {
        match &self.value {
            AnswerDoc::Detailed { evidence, .. } => evidence,
            _ => &[],
        }
    }
}

/// A note and evidence links for an answer: their whole new state.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Annotation {
    /// The note, `None` for no note.
    pub note: Option<String>,
    /// The links.
    pub evidence: Vec<String>,
}

/// One sitting over one response file.
#[derive(Debug, Clone)]
pub struct Session<'q> {
    questionnaire: &'q Questionnaire,
    country: CountryCode,
    round: Round,
    respondent: RespondentDoc,
    submitted: Option<jiff::Timestamp>,
    answers: Vec<Option<Answer>>,
    kept: Vec<KeptAnswer>,
    /// Answered questions that a changed answer made apply again: asked once more.
    reopened: BTreeSet<usize>,
    current: Option<usize>,
}

impl<'q> Session<'q> {
    /// A sitting with no answer yet.
    pub fn new(questionnaire: &'q Questionnaire, country: CountryCode, round: Round) -> Self {
        let mut session = Session {
            questionnaire,
            country,
            round,
            respondent: RespondentDoc::default(),
            submitted: None,
            answers: vec![None; questionnaire.questions.len()],
            kept: Vec::new(),
            reopened: BTreeSet::new(),
            current: None,
        };
        session.current = session.next_open(0);
        session
    }

    /// Resumes from a response file read as `doc`. The file must answer this questionnaire,
    /// country and round (else every mismatch is returned, at its line:column); answers the
    /// questionnaire does not allow are kept as written.
    pub fn resume(
        questionnaire: &'q Questionnaire,
        path: &Path,
        doc: &ResponseDoc,
        country: CountryCode,
        round: Round,
    ) -> Result<Self, Vec<Diagnostic>> {
        let mut errors = Vec::new();
        let unchanged = "the file is left unchanged; choose another file with --out";
        let reference = doc.questionnaire.value.trim();
        if reference != questionnaire.reference() {
            let wanted = match reference.split_once('@') {
                Some((id, version)) if id == questionnaire.id => format!(
                    "holds answers to version {version} of `{id}`; expected version {}, the one being taken; {unchanged}",
                    questionnaire.version
                ),
                _ => format!(
                    "holds answers to `{}`; expected `{}`, the questionnaire being taken; {unchanged}",
                    reference.escape_debug(),
                    questionnaire.reference()
                ),
            };
            errors.push(Diagnostic::error(
                path,
                Position::of(&doc.questionnaire),
                wanted,
            ));
        }
        if CountryCode::parse(&doc.country.value).ok().as_ref() != Some(&country) {
            errors.push(Diagnostic::error(
                path,
                Position::of(&doc.country),
                format!(
                    "holds the answers of country `{}`; expected `{country}` (--country); {unchanged}",
                    doc.country.value.escape_debug()
                ),
            ));
        }
        if Round::parse(&doc.round.value.0).as_ref() != Some(&round) {
            errors.push(Diagnostic::error(
                path,
                Position::of(&doc.round),
                format!(
                    "holds round `{}`; expected round `{round}` (--round, by default the current year); {unchanged}",
                    doc.round.value.0.escape_debug()
                ),
            ));
        }
        let submitted = match &doc.submitted {
            None => None,
            Some(at) => match at.value.0.parse::<jiff::Timestamp>() {
                Ok(t) => Some(t),
                Err(_) => {
                    errors.push(Diagnostic::error(
                        path,
                        Position::of(at),
                        format!(
                            "`{}` is not a timestamp; expected RFC 3339, such as 2025-03-14T10:00:00Z (fix or remove `submitted:`); the file is left unchanged",
                            at.value.0.escape_debug()
                        ),
                    ));
                    None
                }
            },
        };
        if !errors.is_empty() {
            return Err(errors);
        }
        let mut answers: Vec<Option<Answer>> = vec![None; questionnaire.questions.len()];
        let mut kept = Vec::new();
        for (key, value) in &doc.answers.0 {
            let keep = |question, problem| KeptAnswer {
                key: key.value.clone(),
                value: value.value.clone(),
                question,
                problem,
                position: Position::of(key),
            };
            let Some(index) = questionnaire.question_position(&key.value) else {
                kept.push(keep(
                    None,
                    unknown_question_message(questionnaire, &key.value),
                ));
                continue;
            };
            let question = &questionnaire.questions[index];
            match check_answer_doc(path, question, value) {
                Ok(Some(answer)) if answers[index].is_none() => answers[index] = Some(answer),
                // A second answer to one question cannot come from the YAML parser (it refuses
                // repeated keys); kept rather than trusted.
                Ok(Some(_)) => kept.push(keep(Some(index), "a second answer".to_owned())),
                Ok(None) if matches!(value.value, AnswerDoc::Detailed { .. }) => kept.push(keep(
                    Some(index),
                    "a note or evidence without an answer".to_owned(),
                )),
                Ok(None) => {}
                Err(found) => {
                    let problem = found
                        .iter()
                        .map(|d| d.message.as_str())
                        .collect::<Vec<_>>()
                        .join("; ");
                    kept.push(keep(Some(index), problem));
                }
            }
        }
        let mut session = Session {
            questionnaire,
            country,
            round,
            respondent: doc.respondent.clone().unwrap_or_default(),
            submitted,
            answers,
            kept,
            reopened: BTreeSet::new(),
            current: None,
        };
        session.current = session.next_open(0);
        Ok(session)
    }

    /// The questionnaire.
    pub fn questionnaire(&self) -> &'q Questionnaire {
        self.questionnaire
    }

    /// The country.
    pub fn country(&self) -> &CountryCode {
        &self.country
    }

    /// The round.
    pub fn round(&self) -> &Round {
        &self.round
    }

    /// Who is answering, as the file says.
    pub fn respondent(&self) -> &RespondentDoc {
        &self.respondent
    }

    /// Sets who is answering; blank texts are left out.
    pub fn set_respondent(&mut self, respondent: RespondentDoc) {
        let clean =
            |text: Option<String>| text.map(|t| t.trim().to_owned()).filter(|t| !t.is_empty());
        self.respondent = RespondentDoc {
            name: clean(respondent.name),
            organization: clean(respondent.organization),
        };
    }

    /// The question being asked, or `None` for the review.
    pub fn current(&self) -> Option<usize> {
        self.current
    }

    /// The answer to a question.
    pub fn answer(&self, question: usize) -> Option<&Answer> {
        self.answers.get(question).and_then(Option::as_ref)
    }

    /// Answers kept as written.
    pub fn kept(&self) -> &[KeptAnswer] {
        &self.kept
    }

    /// The kept answer to a question, if any.
    pub fn kept_for(&self, question: usize) -> Option<&KeptAnswer> {
        self.kept.iter().find(|k| k.question == Some(question))
    }

    /// How many questions have an answer.
    pub fn answered(&self) -> usize {
        self.answers.iter().filter(|a| a.is_some()).count()
    }

    /// When the answers were submitted (set on finishing).
    pub fn submitted(&self) -> Option<jiff::Timestamp> {
        self.submitted
    }

    /// The answer values by question, as scoring takes them.
    pub fn values(&self) -> Vec<Option<&AnswerValue>> {
        self.answers
            .iter()
            .map(|a| a.as_ref().map(|a| &a.value))
            .collect()
    }

    /// Whether each question applies on the current answers.
    pub fn applies(&self) -> Vec<bool> {
        applicability(self.questionnaire, &self.values())
    }

    /// The score on the current answers (unanswered questions count 0).
    pub fn score(&self) -> ScoreTree {
        score(self.questionnaire, &self.values())
    }

    /// Applicable questions without an answer, in order.
    pub fn unanswered(&self) -> Vec<usize> {
        let applies = self.applies();
        (0..self.answers.len())
            .filter(|&q| applies[q] && self.answers[q].is_none())
            .collect()
    }

    /// The first question from `start` on (wrapping round to the start) that is to be asked.
    fn next_open(&self, start: usize) -> Option<usize> {
        let applies = self.applies();
        let open =
            |q: &usize| applies[*q] && (self.answers[*q].is_none() || self.reopened.contains(q));
        let n = self.answers.len();
        (start.min(n)..n)
            .find(open)
            .or_else(|| (0..start.min(n)).find(open))
    }

    /// Records an answer to the current question, keeping the note and evidence it had (or that
    /// a kept answer had) unless `annotation` replaces them; a kept answer to that question gives
    /// way. Returns the question, or `None` at the review, where there is nothing to answer.
    pub fn record(&mut self, value: AnswerValue, annotation: Option<Annotation>) -> Option<usize> {
        let q = self.current?;
        let (note, evidence) = match (&annotation, &self.answers[q], self.kept_for(q)) {
            (Some(a), _, _) => (a.note.clone(), a.evidence.clone()),
            (None, Some(old), _) => (old.note.clone(), old.evidence.clone()),
            (None, None, Some(kept)) => (kept.note().map(str::to_owned), kept.evidence().to_vec()),
            (None, None, None) => (None, Vec::new()),
        };
        let before = self.applies();
        self.answers[q] = Some(Answer {
            value,
            note: note.filter(|n| !n.trim().is_empty()),
            evidence,
        });
        self.kept.retain(|k| k.question != Some(q));
        self.reopened.remove(&q);
        let after = self.applies();
        for (later, (was, is)) in before.iter().zip(&after).enumerate() {
            if !was && *is && self.answers[later].is_some() {
                self.reopened.insert(later);
            }
        }
        Some(q)
    }

    /// Replaces the note and evidence of an answered question.
    pub fn annotate(&mut self, question: usize, annotation: Annotation) {
        if let Some(Some(answer)) = self.answers.get_mut(question) {
            answer.note = annotation.note.filter(|n| !n.trim().is_empty());
            answer.evidence = annotation.evidence;
        }
    }

    /// Moves to the next question to ask after the current one, or to the review.
    pub fn advance(&mut self) {
        let from = self.current.map_or(0, |q| q + 1);
        self.current = self.next_open(from);
    }

    /// Moves to the applicable question before the current one (the last one from the review);
    /// `false` when there is none.
    pub fn back(&mut self) -> bool {
        let applies = self.applies();
        let before = self.current.unwrap_or(applies.len());
        match (0..before).rev().find(|&q| applies[q]) {
            Some(q) => {
                self.current = Some(q);
                true
            }
            None => false,
        }
    }

    /// Marks the answers submitted at `now`.
    pub fn finish(&mut self, now: jiff::Timestamp) {
        self.submitted = Some(now);
    }

    /// The response as it stands, without the answers kept as written.
    pub fn response(&self) -> Response {
        Response {
            country: self.country.clone(),
            round: self.round.clone(),
            respondent: self.respondent.clone(),
            submitted: self.submitted,
            answers: self
                .answers
                .iter()
                .enumerate()
                .filter_map(|(q, a)| a.clone().map(|a| (q, a)))
                .collect(),
        }
    }

    /// The response file's text: every answer, and the kept answers as they were written.
    pub fn to_yaml(&self) -> String {
        let kept: Vec<RawAnswer<'_>> = self
            .kept
            .iter()
            .map(|k| RawAnswer {
                key: &k.key,
                value: &k.value,
            })
            .collect();
        response_to_yaml_keeping(self.questionnaire, &self.response(), &kept)
    }
}
