//! The sitting from start to end, for any frontend: ask, save, annotate, move on, review. The
//! terminal and the line mode implement `Frontend`; the tests implement it with a script.

use std::io;

use crate::Error;
use crate::model::AnswerValue;
use crate::model::doc::RespondentDoc;

use super::session::{Annotation, Session};
use super::view::{QuestionView, question_view, review_lines, saved_line, start_lines};

/// What the user did at a question.
#[derive(Debug, Clone, PartialEq)]
pub enum Reply {
    /// Gave an answer, maybe with a note and evidence already (the line mode takes them first).
    Answer(AnswerValue, Option<Annotation>),
    /// Asked for the question before.
    Back,
}

/// What the user chose at the review.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReviewChoice {
    /// Done: mark the answers submitted.
    Finish,
    /// Go back to the last question.
    Back,
}

/// Why a frontend stopped asking.
#[derive(Debug)]
pub enum Stop {
    /// The user asked to save and quit: `quit`, Ctrl-C, or the end of the input.
    Quit,
    /// The terminal or the input failed.
    Failed(io::Error),
}

/// A way to talk to the user.
pub trait Frontend {
    /// Shows the start screen.
    fn start(&mut self, lines: &[String]) -> Result<(), Stop>;
    /// Asks who is answering, offering `current`; `None` keeps it as it is.
    fn identify(&mut self, current: &RespondentDoc) -> Result<Option<RespondentDoc>, Stop>;
    /// Asks a question until the user answers it or goes back; help is the frontend's affair.
    fn ask(&mut self, view: &QuestionView) -> Result<Reply, Stop>;
    /// After an answer was saved: offers a note and evidence links; `None` keeps them as they are.
    fn annotate(&mut self, view: &QuestionView) -> Result<Option<Annotation>, Stop>;
    /// Says something: that an answer was saved, that there is no question before.
    fn tell(&mut self, line: &str) -> Result<(), Stop>;
    /// Shows the review and asks whether to finish.
    fn review(&mut self, lines: &[String]) -> Result<ReviewChoice, Stop>;
    /// Shows the last lines before leaving.
    fn end(&mut self, lines: &[String]) -> Result<(), Stop>;
}

/// Where the response is saved.
pub trait Store {
    /// Replaces the saved response with `text`, entirely or not at all.
    fn save(&mut self, text: &str) -> Result<(), Error>;
}

/// How a sitting ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ending {
    /// The user finished at the review: the answers are marked submitted.
    Finished,
    /// The user saved and quit; running `take` again resumes.
    Quit,
}

/// What `run` needs besides the session.
pub struct Sitting<'a> {
    /// The user's language.
    pub lang: &'a str,
    /// The response file as shown to the user.
    pub file: &'a str,
    /// The clock, read when the user finishes.
    pub now: &'a dyn Fn() -> jiff::Timestamp,
    /// Whether to write the file before the first question: a new file is made at once, so a
    /// file that cannot be written is known before any answer is given. An existing file is left
    /// as it is until the first answer.
    pub save_first: bool,
    /// Whether to ask who is answering after the start screen: at a first sitting, when the
    /// command line did not say.
    pub ask_respondent: bool,
}

/// Runs a sitting: every confirmed answer is saved before anything else happens, so quitting,
/// Ctrl-C or the end of the input at any point loses nothing confirmed.
pub fn run(
    session: &mut Session<'_>,
    frontend: &mut dyn Frontend,
    store: &mut dyn Store,
    sitting: &Sitting<'_>,
) -> Result<Ending, Error> {
    let lang = sitting.lang;
    let ending = match ask_all(session, frontend, store, sitting)? {
        Some(ending) => ending,
        None => Ending::Quit,
    };
    let mut lines = Vec::new();
    if ending == Ending::Quit {
        lines.extend(review_lines(session, lang));
        lines.push(String::new());
    }
    let key = match ending {
        Ending::Finished => "finished",
        Ending::Quit => "quit",
    };
    lines.push(super::strings::text_with(
        key,
        lang,
        &[("file", sitting.file)],
    ));
    match frontend.end(&lines) {
        Ok(()) | Err(Stop::Quit) => Ok(ending),
        Err(Stop::Failed(e)) => Err(terminal_failed(e)),
    }
}

/// The loop; `None` when the user quit.
fn ask_all(
    session: &mut Session<'_>,
    frontend: &mut dyn Frontend,
    store: &mut dyn Store,
    sitting: &Sitting<'_>,
) -> Result<Option<Ending>, Error> {
    let lang = sitting.lang;
    if sitting.save_first {
        store.save(&session.to_yaml())?;
    }
    if stopped(frontend.start(&start_lines(session, sitting.file, lang)))? {
        return Ok(None);
    }
    if sitting.ask_respondent {
        match frontend.identify(session.respondent()) {
            Ok(Some(respondent)) => {
                let before = session.respondent().clone();
                session.set_respondent(respondent);
                if *session.respondent() != before {
                    store.save(&session.to_yaml())?;
                    let line = super::strings::text_with(
                        "respondent_saved",
                        lang,
                        &[("who", &respondent_shown(session.respondent()))],
                    );
                    if stopped(frontend.tell(&line))? {
                        return Ok(None);
                    }
                }
            }
            Ok(None) => {}
            Err(stop) => return stopped(Err(stop)).map(|_| None),
        }
    }
    loop {
        let Some(q) = session.current() else {
            match frontend.review(&review_lines(session, lang)) {
                Ok(ReviewChoice::Finish) => {
                    session.finish((sitting.now)());
                    store.save(&session.to_yaml())?;
                    return Ok(Some(Ending::Finished));
                }
                Ok(ReviewChoice::Back) => {
                    session.back();
                    continue;
                }
                Err(stop) => return stopped(Err(stop)).map(|_| None),
            }
        };
        let view = question_view(session, q, lang);
        let reply = match frontend.ask(&view) {
            Ok(reply) => reply,
            Err(stop) => return stopped(Err(stop)).map(|_| None),
        };
        match reply {
            Reply::Back => {
                if !session.back()
                    && stopped(frontend.tell(&super::strings::text("first_question", lang)))?
                {
                    return Ok(None);
                }
            }
            Reply::Answer(value, annotation) => {
                let asked_annotation = annotation.is_none();
                session.record(value, annotation);
                store.save(&session.to_yaml())?;
                if stopped(frontend.tell(&saved_line(session, q, lang)))? {
                    return Ok(None);
                }
                if asked_annotation {
                    // The view with the answer just given, so the note's defaults are current.
                    let view = question_view(session, q, lang);
                    match frontend.annotate(&view) {
                        Ok(Some(annotation)) => {
                            let before = session.answer(q).cloned();
                            session.annotate(q, annotation);
                            if session.answer(q).cloned() != before {
                                store.save(&session.to_yaml())?;
                            }
                        }
                        Ok(None) => {}
                        Err(stop) => return stopped(Err(stop)).map(|_| None),
                    }
                }
                session.advance();
            }
        }
    }
}

/// Who is answering, as screens show it: `name (organization)`, either alone, or `—`.
pub fn respondent_shown(respondent: &RespondentDoc) -> String {
    match (&respondent.name, &respondent.organization) {
        (Some(name), Some(organization)) => format!("{name} ({organization})"),
        (Some(one), None) | (None, Some(one)) => one.clone(),
        (None, None) => "—".to_owned(),
    }
}

/// `Ok(true)` when the user quit, `Ok(false)` to go on, an error when the terminal failed.
fn stopped(result: Result<(), Stop>) -> Result<bool, Error> {
    match result {
        Ok(()) => Ok(false),
        Err(Stop::Quit) => Ok(true),
        Err(Stop::Failed(e)) => Err(terminal_failed(e)),
    }
}

fn terminal_failed(source: io::Error) -> Error {
    Error::Terminal(source)
}
