//! The library's error type; `main` maps it to exit codes.

use std::io;
use std::path::PathBuf;

use crate::diagnostic::Diagnostic;

/// What can go wrong, with the file it concerns.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A file or folder that cannot be read at all.
    #[error("{}: cannot read: {source}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: io::Error,
    },
    /// A file that cannot be written.
    #[error("{}: cannot write: {source}", path.display())]
    Write {
        /// The file.
        path: PathBuf,
        /// Why.
        source: io::Error,
    },
    /// Standard output that cannot be written: a reader that stopped early (`| head`) closed it.
    #[error("cannot write to standard output: {0}")]
    Output(io::Error),
    /// The terminal of an interactive sitting that can no longer be read or drawn.
    #[error("the terminal failed: {0}")]
    Terminal(io::Error),
    /// Input that was read but is invalid; each finding names its file and line:column.
    #[error("{}", render_diagnostics(.0))]
    Invalid(Vec<Diagnostic>),
    /// A questionnaire named on the command line that is neither a file nor a built-in one.
    #[error(
        "questionnaire `{}` is neither a file nor a built-in questionnaire; expected a path or one of: {}",
        .name.escape_debug(),
        .known.join(", ")
    )]
    UnknownQuestionnaire {
        /// The name given.
        name: String,
        /// The built-in questionnaires, as `id@version`.
        known: Vec<String>,
    },
    /// What was asked for is not in the responses (a country, a round, any response at all).
    #[error("{0}")]
    NotFound(String),
    /// A file that would be replaced though it may hold answers, or that another sitting holds.
    #[error("{0}")]
    Refused(String),
    /// An output folder that is a file.
    #[error("{} is a file; expected a folder to write into (choose another --out)", .0.display())]
    NotAFolder(PathBuf),
    /// A fault of cybercap itself, not of its input: a document it made that cannot be encoded.
    #[error("cannot encode {what}: {detail}; this is a fault of cybercap, not of the input")]
    Internal {
        /// What was being encoded.
        what: &'static str,
        /// Why it failed.
        detail: String,
    },
    /// A command used wrongly.
    #[error("{0}")]
    Usage(String),
}

fn render_diagnostics(diagnostics: &[Diagnostic]) -> String {
    diagnostics
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("\n")
}

impl Error {
    /// A document of cybercap's own making that could not be encoded.
    pub fn internal(what: &'static str, detail: impl std::fmt::Display) -> Error {
        Error::Internal {
            what,
            detail: detail.to_string(),
        }
    }

    /// The process exit code: 1 for invalid input, 2 for usage errors and unreadable files.
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::Invalid(_) => 1,
            Error::Read { .. }
            | Error::Write { .. }
            | Error::Output(_)
            | Error::Terminal(_)
            | Error::UnknownQuestionnaire { .. }
            | Error::NotFound(_)
            | Error::Refused(_)
            | Error::NotAFolder(_)
            | Error::Internal { .. }
            | Error::Usage(_) => 2,
        }
    }
}
