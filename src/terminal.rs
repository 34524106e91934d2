//! The interactive frontend of `take`: inquire prompts on the terminal. Choices are lists with
//! "don't know", "not applicable", help, back and "save and quit" below the options; numbers and
//! texts are typed, with the same words as the line mode. Esc goes back; Ctrl-C saves and quits.

use std::fmt;
use std::io::{self, Write};

use cybercap::model::AnswerValue;
use cybercap::model::doc::RespondentDoc;
use cybercap::numbers::format_number;
use cybercap::take::strings::{text, text_with};
use cybercap::take::{Annotation, AnswerKind, Frontend, QuestionView, Reply, ReviewChoice, Stop};
use inquire::list_option::ListOption;
use inquire::ui::{RenderConfig, Styled};
use inquire::validator::{ErrorMessage, Validation};
use inquire::{CustomType, InquireError, MultiSelect, Select, Text};

/// Lists longer than this scroll.
const PAGE_SIZE: usize = 12;

/// Talks to the user through inquire prompts; everything else is written to stderr, where
/// inquire draws.
pub struct Terminal {
    lang: String,
}

impl Terminal {
    /// A terminal frontend in `lang`.
    pub fn new(lang: &str) -> Self {
        // Esc goes back here, so a prompt left with Esc says so rather than inquire's
        // "<canceled>". inquire keeps its configuration for the whole process and wants a
        // 'static text: the label is leaked once, a few bytes.
        let back: &'static str = text("option_back", lang).leak();
        inquire::set_global_render_config(
            RenderConfig::default().with_canceled_prompt_indicator(Styled::new(back)),
        );
        Terminal {
            lang: lang.to_owned(),
        }
    }

    fn say(&self, line: &str) -> Result<(), Stop> {
        writeln!(io::stderr(), "{line}").map_err(Stop::Failed)
    }

    fn help(&self, view: &QuestionView) -> Result<(), Stop> {
        let help = view
            .help
            .clone()
            .unwrap_or_else(|| text("help_none", &self.lang));
        for line in help.lines() {
            self.say(&format!("  {line}"))?;
        }
        Ok(())
    }

    fn choose(&self, view: &QuestionView) -> Result<Action, Stop> {
        let mut entries: Vec<Entry> = match &view.kind {
            AnswerKind::Choice(options) => options
                .iter()
                .enumerate()
                .map(|(i, o)| Entry::new(Action::Answer(AnswerValue::Choice(i as u16)), &o.label))
                .collect(),
            _ => vec![
                Entry::new(
                    Action::Answer(AnswerValue::YesNo(true)),
                    &text("yes", &self.lang),
                ),
                Entry::new(
                    Action::Answer(AnswerValue::YesNo(false)),
                    &text("no", &self.lang),
                ),
            ],
        };
        entries.extend(self.specials());
        let cursor = view
            .current
            .as_ref()
            .and_then(|current| {
                entries
                    .iter()
                    .position(|e| matches!(&e.action, Action::Answer(v) if v == current))
            })
            .unwrap_or(0);
        let hint = text("terminal_hint_select", &self.lang);
        let page = entries.len().min(PAGE_SIZE);
        let chosen = Select::new(&view.text, entries)
            .with_help_message(&hint)
            .with_page_size(page)
            .with_starting_cursor(cursor)
            .prompt_skippable();
        match chosen {
            Ok(Some(entry)) => Ok(entry.action),
            Ok(None) => Ok(Action::Back),
            Err(e) => Err(stop(e)),
        }
    }

    fn choose_many(&self, view: &QuestionView) -> Result<Action, Stop> {
        let AnswerKind::Multi(options) = &view.kind else {
            return Ok(Action::Back);
        };
        let count = options.len();
        let mut entries: Vec<Entry> = options
            .iter()
            .enumerate()
            .map(|(i, o)| Entry::new(Action::Answer(AnswerValue::Multi(1u64 << i)), &o.label))
            .collect();
        entries.extend(self.specials());
        let defaults: Vec<usize> = match &view.current {
            Some(AnswerValue::Multi(bits)) => {
                (0..count).filter(|i| bits & (1u64 << i) != 0).collect()
            }
            Some(current) => entries
                .iter()
                .position(|e| matches!(&e.action, Action::Answer(v) if v == current))
                .into_iter()
                .collect(),
            None => Vec::new(),
        };
        let mixed = text("multi_mixed", &self.lang);
        // Options may be combined; an entry below them (don't know, back, ...) stands alone.
        let alone = move |selected: &[ListOption<&Entry>]| {
            let special = selected.iter().any(|o| o.index >= count);
            Ok(if special && selected.len() > 1 {
                Validation::Invalid(ErrorMessage::Custom(mixed.clone()))
            } else {
                Validation::Valid
            })
        };
        let hint = text("terminal_hint_multi", &self.lang);
        let page = entries.len().min(PAGE_SIZE);
        let chosen = MultiSelect::new(&view.text, entries)
            .with_help_message(&hint)
            .with_page_size(page)
            .with_default(&defaults)
            .with_validator(alone)
            .prompt_skippable();
        match chosen {
            Ok(None) => Ok(Action::Back),
            Ok(Some(selected)) => {
                if let [only] = selected.as_slice()
                    && !matches!(only.action, Action::Answer(AnswerValue::Multi(_)))
                {
                    return Ok(only.action.clone());
                }
                let bits = selected.iter().fold(0u64, |bits, e| match &e.action {
                    Action::Answer(AnswerValue::Multi(bit)) => bits | bit,
                    _ => bits,
                });
                Ok(Action::Answer(AnswerValue::Multi(bits)))
            }
            Err(e) => Err(stop(e)),
        }
    }

    fn type_number(&self, view: &QuestionView) -> Result<Action, Stop> {
        let hint = text("terminal_hint_input", &self.lang);
        let expected = text_with(
            "number_typed",
            &self.lang,
            &[("expected", &view.expected_number())],
        );
        let start = match &view.current {
            Some(AnswerValue::Number(n)) => format_number(*n),
            Some(AnswerValue::Unknown) => "unknown".to_owned(),
            Some(AnswerValue::NotApplicable) => "na".to_owned(),
            _ => String::new(),
        };
        let checked = view.clone();
        let in_range = move |typed: &Typed| {
            Ok(match typed {
                Typed::Number(n) => match checked.check_number(*n) {
                    Ok(_) => Validation::Valid,
                    Err(message) => Validation::Invalid(ErrorMessage::Custom(message)),
                },
                Typed::Word(_) => Validation::Valid,
            })
        };
        let typed = CustomType::<Typed>::new(&view.text)
            .with_starting_input(&start)
            .with_help_message(&hint)
            .with_error_message(&expected)
            .with_validator(in_range)
            .prompt_skippable();
        match typed {
            Ok(None) => Ok(Action::Back),
            Ok(Some(Typed::Number(n))) => Ok(Action::Answer(AnswerValue::Number(n))),
            Ok(Some(Typed::Word(word))) => Ok(word),
            Err(e) => Err(stop(e)),
        }
    }

    fn type_text(&self, view: &QuestionView) -> Result<Action, Stop> {
        let hint = text("terminal_hint_input", &self.lang);
        let start = match &view.current {
            Some(AnswerValue::Text(t)) => t.clone(),
            Some(AnswerValue::Unknown) => "unknown".to_owned(),
            Some(AnswerValue::NotApplicable) => "na".to_owned(),
            _ => String::new(),
        };
        let empty = text("plain_empty", &self.lang);
        let not_empty = move |input: &str| {
            Ok(if input.trim().is_empty() {
                Validation::Invalid(ErrorMessage::Custom(empty.clone()))
            } else {
                Validation::Valid
            })
        };
        let typed = Text::new(&view.text)
            .with_initial_value(&start)
            .with_help_message(&hint)
            .with_validator(not_empty)
            .prompt_skippable();
        match typed {
            Ok(None) => Ok(Action::Back),
            Ok(Some(input)) => Ok(Typed::word(&input)
                .unwrap_or_else(|| Action::Answer(AnswerValue::Text(input.trim().to_owned())))),
            Err(e) => Err(stop(e)),
        }
    }

    fn specials(&self) -> Vec<Entry> {
        let lang = &self.lang;
        vec![
            Entry::new(
                Action::Answer(AnswerValue::Unknown),
                &text("option_unknown", lang),
            ),
            Entry::new(
                Action::Answer(AnswerValue::NotApplicable),
                &text("option_na", lang),
            ),
            Entry::new(Action::Help, &text("option_help", lang)),
            Entry::new(Action::Back, &text("option_back", lang)),
            Entry::new(Action::Quit, &text("option_quit", lang)),
        ]
    }
}

/// What an entry or a typed word does.
#[derive(Debug, Clone, PartialEq)]
enum Action {
    Answer(AnswerValue),
    Help,
    Back,
    Quit,
}

/// A line of a list.
#[derive(Debug, Clone)]
struct Entry {
    action: Action,
    label: String,
}

impl Entry {
    fn new(action: Action, label: &str) -> Self {
        Entry {
            action,
            label: label.to_owned(),
        }
    }
}

impl fmt::Display for Entry {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.label)
    }
}

/// What was typed at a number question: a number, or one of the words.
#[derive(Debug, Clone)]
enum Typed {
    Number(f64),
    Word(Action),
}

impl std::str::FromStr for Typed {
    type Err = ();

    fn from_str(input: &str) -> Result<Typed, ()> {
        if let Some(action) = Typed::word(input) {
            return Ok(Typed::Word(action));
        }
        let compact: String = input.chars().filter(|c| !c.is_whitespace()).collect();
        compact
            .parse::<f64>()
            .ok()
            .filter(|n| n.is_finite())
            .map(Typed::Number)
            .ok_or(())
    }
}

impl Typed {
    /// The words every typed answer understands.
    fn word(input: &str) -> Option<Action> {
        match input.trim().to_lowercase().as_str() {
            "?" | "help" => Some(Action::Help),
            "back" => Some(Action::Back),
            "quit" => Some(Action::Quit),
            "unknown" => Some(Action::Answer(AnswerValue::Unknown)),
            "na" => Some(Action::Answer(AnswerValue::NotApplicable)),
            _ => None,
        }
    }
}

impl fmt::Display for Typed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Typed::Number(n) => f.write_str(&format_number(*n)),
            Typed::Word(Action::Answer(AnswerValue::Unknown)) => f.write_str("unknown"),
            Typed::Word(Action::Answer(AnswerValue::NotApplicable)) => f.write_str("na"),
            Typed::Word(Action::Back) => f.write_str("back"),
            Typed::Word(Action::Quit) => f.write_str("quit"),
            Typed::Word(_) => f.write_str("?"),
        }
    }
}

/// Ctrl-C saves and quits; anything else is the terminal failing.
fn stop(error: InquireError) -> Stop {
    match error {
        InquireError::OperationInterrupted | InquireError::OperationCanceled => Stop::Quit,
        InquireError::IO(e) => Stop::Failed(e),
        other => Stop::Failed(io::Error::other(other.to_string())),
    }
}

impl Frontend for Terminal {
    fn start(&mut self, lines: &[String]) -> Result<(), Stop> {
        for line in lines {
            self.say(line)?;
        }
        Ok(())
    }

    fn identify(&mut self, current: &RespondentDoc) -> Result<Option<RespondentDoc>, Stop> {
        self.say("")?;
        self.say(&text("respondent_title", &self.lang))?;
        let hint = text("terminal_hint_note", &self.lang);
        let ask = |key: &str, current: &Option<String>| {
            let prompt = text(key, &self.lang);
            let answer = Text::new(&prompt)
                .with_initial_value(current.as_deref().unwrap_or_default())
                .with_help_message(&hint)
                .prompt_skippable()
                .map_err(stop)?;
            // Esc keeps what was there.
            Ok(match answer {
                Some(text) => Some(text.trim().to_owned()).filter(|t| !t.is_empty()),
                None => current.clone(),
            })
        };
        let name = ask("respondent_name_prompt", &current.name)?;
        let organization = ask("respondent_organization_prompt", &current.organization)?;
        Ok(Some(RespondentDoc { name, organization }))
    }

    fn ask(&mut self, view: &QuestionView) -> Result<Reply, Stop> {
        self.say("")?;
        for line in &view.header {
            self.say(line)?;
        }
        loop {
            let action = match &view.kind {
                AnswerKind::Choice(_) | AnswerKind::YesNo => self.choose(view)?,
                AnswerKind::Multi(_) => self.choose_many(view)?,
                AnswerKind::Number { .. } => self.type_number(view)?,
                AnswerKind::Text => self.type_text(view)?,
            };
            match action {
                Action::Answer(value) => return Ok(Reply::Answer(value, None)),
                Action::Help => self.help(view)?,
                Action::Back => return Ok(Reply::Back),
                Action::Quit => return Err(Stop::Quit),
            }
        }
    }

    fn annotate(&mut self, view: &QuestionView) -> Result<Option<Annotation>, Stop> {
        let hint = text("terminal_hint_note", &self.lang);
        let note_prompt = text("note_prompt", &self.lang);
        let note_start = view.note.clone().unwrap_or_default();
        let note = Text::new(&note_prompt)
            .with_initial_value(&note_start)
            .with_help_message(&hint)
            .prompt_skippable()
            .map_err(stop)?;
        let evidence_prompt = text("evidence_prompt", &self.lang);
        let evidence_start = view.evidence.join(" ");
        let evidence = Text::new(&evidence_prompt)
            .with_initial_value(&evidence_start)
            .with_help_message(&hint)
            .prompt_skippable()
            .map_err(stop)?;
        let annotation = Annotation {
            note: match note {
                Some(n) => Some(n.trim().to_owned()).filter(|n| !n.is_empty()),
                None => view.note.clone(),
            },
            evidence: match evidence {
                Some(e) => e.split_whitespace().map(str::to_owned).collect(),
                None => view.evidence.clone(),
            },
        };
        let unchanged = annotation.note == view.note && annotation.evidence == view.evidence;
        Ok((!unchanged).then_some(annotation))
    }

    fn tell(&mut self, line: &str) -> Result<(), Stop> {
        self.say(line)
    }

    fn review(&mut self, lines: &[String]) -> Result<ReviewChoice, Stop> {
        self.say("")?;
        for line in lines {
            self.say(line)?;
        }
        let finish = text("review_finish", &self.lang);
        let back = text("review_back", &self.lang);
        let title = lines.first().map(String::as_str).unwrap_or_default();
        let hint = text("terminal_hint_select", &self.lang);
        let choice = Select::new(title, vec![finish.clone(), back])
            .with_help_message(&hint)
            .prompt_skippable();
        match choice {
            Ok(Some(chosen)) if chosen == finish => Ok(ReviewChoice::Finish),
            Ok(_) => Ok(ReviewChoice::Back),
            Err(e) => Err(stop(e)),
        }
    }

    fn end(&mut self, lines: &[String]) -> Result<(), Stop> {
        // Below a prompt that Ctrl-C left on the screen.
        self.say("")?;
        for line in lines {
            self.say(line)?;
        }
        Ok(())
    }
}
