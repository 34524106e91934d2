//! `cybercap take QUESTIONNAIRE --country CODE`: fills a response file question by question,
//! interactively or line by line, saving after every answer and resuming where it stopped.

use std::io::{self, IsTerminal};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use cybercap::Error;
use cybercap::diagnostic::{Diagnostic, Position};
use cybercap::fsio::{safe_file_name, write_atomic};
use cybercap::inputs::Catalog;
use cybercap::load::{Source, read_response_doc};
use cybercap::model::doc::{RespondentDoc, ResponseDoc};
use cybercap::model::{CountryCode, Questionnaire, Round};
use cybercap::take::{self, Session, Sitting, Store};

use super::Outcome;
use crate::cli::TakeArgs;
use crate::terminal::Terminal;

/// Runs a sitting in the terminal, or line by line with `--plain` or when stdin is not one.
pub fn run(args: TakeArgs) -> Result<Outcome, Error> {
    let questionnaire = &Catalog::questionnaire(&args.questionnaire)?;
    let lang = questionnaire.language(args.lang.as_deref())?.to_owned();
    let country = args.country.clone();
    let round = args.round.clone().unwrap_or_else(Round::current_year);
    let out = args.out.clone().unwrap_or_else(|| {
        PathBuf::from(format!(
            "{}-{}.yaml",
            safe_file_name(country.as_str()),
            safe_file_name(round.as_str())
        ))
    });
    let _sitting_lock = lock_sitting(&out)?;
    let (mut session, existed) = open(questionnaire, &out, country, round)?;
    let told = args.name.is_some() || args.organization.is_some();
    if told {
        let current = session.respondent().clone();
        session.set_respondent(RespondentDoc {
            name: args.name.clone().or(current.name),
            organization: args.organization.clone().or(current.organization),
        });
    }
    // Asked once: a resumed sitting keeps who the file says is answering.
    let unknown =
        session.respondent().name.is_none() && session.respondent().organization.is_none();
    let file = out.display().to_string();
    let mut store = FileStore {
        path: out.clone(),
        lock: Arc::new(Mutex::new(())),
    };
    quit_on_signals(&store.lock, &lang, &file);
    let sitting = Sitting {
        lang: &lang,
        file: &file,
        now: &now_to_the_second,
        save_first: !existed || told,
        ask_respondent: !told && unknown,
    };
    let plain = args.plain || !io::stdin().is_terminal() || !io::stderr().is_terminal();
    if plain {
        take::run(
            &mut session,
            &mut take::plain::stdio(&lang),
            &mut store,
            &sitting,
        )?;
    } else {
        take::run(
            &mut session,
            &mut Terminal::new(&lang),
            &mut store,
            &sitting,
        )?;
    }
    Ok(Outcome::Success)
}

/// The time of submission: seconds are precise enough, and read better in the file.
fn now_to_the_second() -> jiff::Timestamp {
    let now = jiff::Timestamp::now();
    jiff::Timestamp::from_second(now.as_second()).unwrap_or(now)
}

/// Holds an exclusive lock on `.NAME.lock` beside the response file for the whole sitting, so a
/// second sitting on the same file is refused instead of overwriting the first one's answers at
/// its next save. The lock is on a file of its own because every save replaces the response
/// file; the operating system releases it when the process ends, however it ends, so a lock
/// file left behind never blocks anyone.
fn lock_sitting(out: &Path) -> Result<std::fs::File, Error> {
    let name = out
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let lock_path = out.with_file_name(format!(".{name}.lock"));
    let failed = |source| Error::Write {
        path: lock_path.clone(),
        source,
    };
    if let Some(dir) = lock_path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(failed)?;
    }
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&lock_path)
        .map_err(failed)?;
    match file.try_lock() {
        Ok(()) => Ok(file),
        Err(std::fs::TryLockError::WouldBlock) => Err(Error::Refused(format!(
            "{} is being filled in by another `cybercap take` (it holds {}); expected one sitting per file at a time: finish or quit the other one, then run this again",
            out.display(),
            lock_path.display()
        ))),
        Err(std::fs::TryLockError::Error(source)) => Err(failed(source)),
    }
}

/// A new sitting, or the one saved in `path`; whether the file existed.
fn open<'q>(
    questionnaire: &'q Questionnaire,
    path: &Path,
    country: CountryCode,
    round: Round,
) -> Result<(Session<'q>, bool), Error> {
    if !path.exists() {
        return Ok((Session::new(questionnaire, country, round), false));
    }
    let source = Source::read(path)?;
    let doc: ResponseDoc = read_response_doc(&source).map_err(|d| {
            Error::Invalid(vec![
                d,
                Diagnostic::error(
                    path,
                    Position::default(),
                    format!(
                        "not a response file that take can continue; expected a response to {}; the file is left unchanged (choose another file with --out)",
                        questionnaire.reference()
                    ),
                ),
            ])
        })?;
    let session =
        Session::resume(questionnaire, path, &doc, country, round).map_err(Error::Invalid)?;
    Ok((session, true))
}

/// Saves atomically; the lock lets a signal wait for a save in progress before the exit.
struct FileStore {
    path: PathBuf,
    lock: Arc<Mutex<()>>,
}

impl Store for FileStore {
    fn save(&mut self, text: &str) -> Result<(), Error> {
        let _saving = self
            .lock
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        // A file no command would read is not written: the last save stays as it was.
        if text.len() as u64 > cybercap::load::MAX_YAML_BYTES {
            return Err(Error::Invalid(vec![Diagnostic::error(
                &self.path,
                Position::default(),
                format!(
                    "this answer would make the file {:.1} MiB; expected at most {} MiB (are links or notes pasted in whole?); the file keeps every answer before this one",
                    text.len() as f64 / (1024.0 * 1024.0),
                    cybercap::load::MAX_YAML_BYTES / (1024 * 1024)
                ),
            )]));
        }
        write_atomic(&self.path, text.as_bytes())
    }
}

/// On Ctrl-C (outside a prompt, which reads it as a key), a closed terminal or a termination
/// request: wait for a save in progress, say that everything confirmed is saved, and exit.
#[cfg(unix)]
fn quit_on_signals(lock: &Arc<Mutex<()>>, lang: &str, file: &str) {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    use std::io::Write;
    let message = take::strings::text_with("interrupted", lang, &[("file", file)]);
    let lock = Arc::clone(lock);
    let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP]) else {
        // Without the handler a signal still cannot tear the file (saves are atomic renames).
        return;
    };
    std::thread::spawn(move || {
        if let Some(signal) = signals.forever().next() {
            let _saved = lock.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
            let _ = writeln!(io::stderr(), "\n{message}");
            // Ctrl-C is this command's "save and quit": a success, as at a prompt.
            std::process::exit(if signal == SIGINT { 0 } else { 128 + signal });
        }
    });
}

#[cfg(not(unix))]
fn quit_on_signals(_: &Arc<Mutex<()>>, _: &str, _: &str) {}
