//! The line mode: every question printed as plain lines with numbered options, one answer read
//! per line. For screen readers, and for scripts feeding answers through a pipe.

use std::io::{self, BufRead, Read, Write};

use crate::model::AnswerValue;
use crate::model::doc::RespondentDoc;

use super::flow::{Frontend, Reply, ReviewChoice, Stop};
use super::session::Annotation;
use super::strings::{text, text_with};
use super::view::{AnswerKind, OptionView, QuestionView, sentence, shorten};

/// A line longer than this is cut: no answer comes near it, and a runaway input must not fill
/// the memory.
const MAX_LINE_BYTES: u64 = 64 * 1024;

/// The line mode over any input and output.
pub struct PlainFrontend<R, W> {
    input: R,
    output: W,
    lang: String,
}

impl<R: BufRead, W: Write> PlainFrontend<R, W> {
    /// Reads answers from `input`, writes questions to `output`, in `lang`.
    pub fn new(input: R, output: W, lang: &str) -> Self {
        PlainFrontend {
            input,
            output,
            lang: lang.to_owned(),
        }
    }

    /// The next line without its line break, `None` at the end of the input.
    fn line(&mut self) -> Result<Option<String>, Stop> {
        let mut bytes = Vec::new();
        let read = (&mut self.input)
            .take(MAX_LINE_BYTES)
            .read_until(b'\n', &mut bytes)
            .map_err(Stop::Failed)?;
        if read == 0 {
            return Ok(None);
        }
        if bytes.last() != Some(&b'\n') && read as u64 == MAX_LINE_BYTES {
            // Skip the rest of an overlong line.
            let mut rest = Vec::new();
            loop {
                rest.clear();
                let n = (&mut self.input)
                    .take(MAX_LINE_BYTES)
                    .read_until(b'\n', &mut rest)
                    .map_err(Stop::Failed)?;
                if n == 0 || rest.last() == Some(&b'\n') {
                    break;
                }
            }
        }
        let line = String::from_utf8_lossy(&bytes);
        Ok(Some(line.trim_end_matches(['\n', '\r']).to_owned()))
    }

    fn say(&mut self, line: &str) -> Result<(), Stop> {
        writeln!(self.output, "{line}").map_err(Stop::Failed)
    }

    fn prompt(&mut self) -> Result<(), Stop> {
        write!(self.output, "> ").map_err(Stop::Failed)?;
        self.output.flush().map_err(Stop::Failed)
    }

    fn show_question(&mut self, view: &QuestionView) -> Result<(), Stop> {
        let lang = self.lang.clone();
        let mut lines = vec![String::new()];
        lines.extend(view.header.iter().cloned());
        lines.push(view.text.clone());
        match &view.kind {
            AnswerKind::Choice(options) => {
                lines.extend(numbered(options));
                lines.push(text("plain_choice", &lang));
            }
            AnswerKind::Multi(options) => {
                lines.push(format!("  0) {}", text("option_none", &lang)));
                lines.extend(numbered(options));
                lines.push(text("plain_multi", &lang));
            }
            AnswerKind::YesNo => {
                lines.push(format!("  1) {}", text("yes", &lang)));
                lines.push(format!("  2) {}", text("no", &lang)));
                lines.push(text("plain_choice", &lang));
            }
            AnswerKind::Number { .. } => lines.push(sentence(&view.expected_number())),
            AnswerKind::Text => lines.push(text("plain_text", &lang)),
        }
        if let Some(current) = &view.current {
            lines.push(text_with(
                "plain_current",
                &lang,
                &[("answer", &view.shown(current))],
            ));
        }
        if let Some(note) = &view.note {
            lines.push(text_with("plain_note_current", &lang, &[("note", note)]));
        }
        if !view.evidence.is_empty() {
            lines.push(text_with(
                "plain_evidence_current",
                &lang,
                &[("evidence", &view.evidence.join(" "))],
            ));
        }
        if view.help.is_some() {
            lines.push(text("plain_help_available", &lang));
        }
        for line in lines {
            self.say(&line)?;
        }
        Ok(())
    }

    /// Reads one reply to `view` from `line`; `Ok(None)` when the line was handled without
    /// answering (help, a note, a mistake: the question is asked again).
    fn reply(
        &mut self,
        view: &QuestionView,
        line: &str,
        pending: &mut Option<Annotation>,
    ) -> Result<Option<Reply>, Stop> {
        let lang = self.lang.clone();
        let trimmed = line.trim();
        let word = trimmed.to_lowercase();
        let annotation = || pending.clone();
        match word.as_str() {
            "?" | "help" => {
                let help = view
                    .help
                    .clone()
                    .unwrap_or_else(|| text("help_none", &lang));
                self.say(&help)?;
                self.say(&text("plain_words", &lang))?;
                return Ok(None);
            }
            "back" => return Ok(Some(Reply::Back)),
            "quit" => return Err(Stop::Quit),
            "unknown" => return Ok(Some(Reply::Answer(AnswerValue::Unknown, annotation()))),
            "na" => {
                return Ok(Some(Reply::Answer(
                    AnswerValue::NotApplicable,
                    annotation(),
                )));
            }
            "" => {
                return match &view.current {
                    Some(current) => Ok(Some(Reply::Answer(current.clone(), annotation()))),
                    None => {
                        self.say(&text("plain_empty", &lang))?;
                        Ok(None)
                    }
                };
            }
            _ => {}
        }
        if let Some(note) = strip_word(trimmed, "note:") {
            let entry = pending.get_or_insert_with(|| Annotation {
                note: view.note.clone(),
                evidence: view.evidence.clone(),
            });
            entry.note = (!note.is_empty()).then(|| note.to_owned());
            self.say(&text("plain_note_kept", &lang))?;
            return Ok(None);
        }
        if let Some(links) = strip_word(trimmed, "evidence:") {
            let entry = pending.get_or_insert_with(|| Annotation {
                note: view.note.clone(),
                evidence: view.evidence.clone(),
            });
            if links.is_empty() {
                entry.evidence.clear();
            } else {
                entry
                    .evidence
                    .extend(links.split_whitespace().map(str::to_owned));
            }
            self.say(&text("plain_evidence_kept", &lang))?;
            return Ok(None);
        }
        match parse_answer(view, trimmed) {
            Ok(value) => Ok(Some(Reply::Answer(value, annotation()))),
            Err(message) => {
                self.say(&message)?;
                Ok(None)
            }
        }
    }
}

/// The text after a leading `word` (any case), trimmed; `None` when the line does not start so.
fn strip_word<'a>(line: &'a str, word: &str) -> Option<&'a str> {
    let head = line.get(..word.len())?;
    head.eq_ignore_ascii_case(word)
        .then(|| line[word.len()..].trim())
}

fn numbered(options: &[OptionView]) -> Vec<String> {
    options
        .iter()
        .enumerate()
        .map(|(i, o)| format!("  {}) {}", i + 1, o.label))
        .collect()
}

/// One option by its number, id, or label (any case).
fn option_index(options: &[OptionView], token: &str) -> Option<usize> {
    if let Ok(n) = token.parse::<usize>() {
        return (1..=options.len()).contains(&n).then(|| n - 1);
    }
    let lower = token.to_lowercase();
    options
        .iter()
        .position(|o| o.id == token)
        .or_else(|| options.iter().position(|o| o.label.to_lowercase() == lower))
}

/// An answer typed for a question, or the message saying what was expected.
pub fn parse_answer(view: &QuestionView, input: &str) -> Result<AnswerValue, String> {
    let lang = &view.lang;
    match &view.kind {
        AnswerKind::Choice(options) => option_index(options, input)
            .map(|i| AnswerValue::Choice(i as u16))
            .ok_or_else(|| {
                text_with(
                    "invalid_choice",
                    lang,
                    &[
                        ("input", &shorten(input)),
                        ("count", &options.len().to_string()),
                    ],
                )
            }),
        AnswerKind::Multi(options) => {
            let mut bits = 0u64;
            for token in input
                .split(|c: char| c == ',' || c == ';' || c.is_whitespace())
                .filter(|t| !t.is_empty())
            {
                if token == "0" {
                    continue;
                }
                match option_index(options, token) {
                    Some(i) => bits |= 1u64 << i,
                    None => {
                        return Err(text_with(
                            "invalid_multi",
                            lang,
                            &[
                                ("input", &shorten(token)),
                                ("count", &options.len().to_string()),
                            ],
                        ));
                    }
                }
            }
            Ok(AnswerValue::Multi(bits))
        }
        AnswerKind::YesNo => match input.trim() {
            "1" => Ok(AnswerValue::YesNo(true)),
            "2" => Ok(AnswerValue::YesNo(false)),
            other => view
                .yes_no(other)
                .map(AnswerValue::YesNo)
                .ok_or_else(|| text_with("invalid_yesno", lang, &[("input", &shorten(other))])),
        },
        AnswerKind::Number { .. } => view.parse_number(input).map(AnswerValue::Number),
        AnswerKind::Text => Ok(AnswerValue::Text(input.to_owned())),
    }
}

impl<R: BufRead, W: Write> Frontend for PlainFrontend<R, W> {
    fn start(&mut self, lines: &[String]) -> Result<(), Stop> {
        for line in lines {
            self.say(line)?;
        }
        let words = text("plain_words", &self.lang);
        self.say(&words)
    }

    fn identify(&mut self, current: &RespondentDoc) -> Result<Option<RespondentDoc>, Stop> {
        let lang = self.lang.clone();
        self.say("")?;
        self.say(&text("respondent_title", &lang))?;
        let ask = |this: &mut Self, key: &str, current: &Option<String>| {
            let shown = current
                .as_deref()
                .map_or(String::new(), |c| format!(" [{c}]"));
            write!(this.output, "{}{shown} ", text(key, &lang)).map_err(Stop::Failed)?;
            this.output.flush().map_err(Stop::Failed)?;
            match this.line()? {
                // The end of the input, or the word that quits anywhere in this mode.
                None => Err(Stop::Quit),
                Some(line) if line.trim().eq_ignore_ascii_case("quit") => Err(Stop::Quit),
                Some(line) if line.trim().is_empty() => Ok(current.clone()),
                Some(line) => Ok(Some(line.trim().to_owned())),
            }
        };
        let name = ask(self, "respondent_name_prompt", &current.name)?;
        let organization = ask(
            self,
            "respondent_organization_prompt",
            &current.organization,
        )?;
        Ok(Some(RespondentDoc { name, organization }))
    }

    fn ask(&mut self, view: &QuestionView) -> Result<Reply, Stop> {
        self.show_question(view)?;
        let mut pending: Option<Annotation> = None;
        loop {
            self.prompt()?;
            let Some(line) = self.line()? else {
                // The end of the input: save and quit. A line break keeps the shell prompt tidy.
                self.say("")?;
                return Err(Stop::Quit);
            };
            if let Some(reply) = self.reply(view, &line, &mut pending)? {
                return Ok(reply);
            }
        }
    }

    fn annotate(&mut self, _view: &QuestionView) -> Result<Option<Annotation>, Stop> {
        // Notes and links are typed before the answer in this mode (`note:`, `evidence:`), so a
        // piped answer is one line per question.
        Ok(None)
    }

    fn tell(&mut self, line: &str) -> Result<(), Stop> {
        self.say(line)?;
        self.output.flush().map_err(Stop::Failed)
    }

    fn review(&mut self, lines: &[String]) -> Result<ReviewChoice, Stop> {
        self.say("")?;
        for line in lines {
            self.say(line)?;
        }
        let lang = self.lang.clone();
        self.say(&text("plain_review_prompt", &lang))?;
        loop {
            self.prompt()?;
            let Some(line) = self.line()? else {
                // Every question is answered: the end of the input is as good as Enter.
                self.say("")?;
                return Ok(ReviewChoice::Finish);
            };
            match line.trim().to_lowercase().as_str() {
                "" | "finish" => return Ok(ReviewChoice::Finish),
                "back" => return Ok(ReviewChoice::Back),
                "quit" => return Err(Stop::Quit),
                _ => self.say(&text("plain_review_prompt", &lang))?,
            }
        }
    }

    fn end(&mut self, lines: &[String]) -> Result<(), Stop> {
        for line in lines {
            self.say(line)?;
        }
        self.output.flush().map_err(Stop::Failed)
    }
}

/// The standard input and output, locked once.
pub fn stdio(lang: &str) -> PlainFrontend<io::StdinLock<'static>, io::StdoutLock<'static>> {
    PlainFrontend::new(io::stdin().lock(), io::stdout().lock(), lang)
}
