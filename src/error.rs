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
    /// Input that was read but is invalid; each finding names its file and line:column.
    #[error("{}", render_diagnostics(.0))]
    Invalid(Vec<Diagnostic>),
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
    /// The process exit code: 1 for invalid input, 2 for usage errors and unreadable files.
    pub fn exit_code(&self) -> u8 {
        match self {
            Error::Invalid(_) => 1,
            Error::Read { .. } | Error::Write { .. } | Error::Usage(_) => 2,
        }
    }
}
