//! Where a value was written and what is wrong with it: positions, values with their position,
//! findings at a line:column. The bottom layer every reader and model shares.

use std::fmt;
use std::path::{Path, PathBuf};

use schemars::{JsonSchema, Schema, SchemaGenerator};
use serde::{Deserialize, Deserializer};

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    /// The file is usable; something deserves a look.
    Warning,
    /// The file is invalid.
    Error,
}

/// A position in a file, 1-based; line 0 means the whole file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Position {
    /// Line, from 1.
    pub line: u64,
    /// Column in characters, from 1.
    pub column: u64,
}

impl Position {
    /// A position from line and column.
    pub fn new(line: u64, column: u64) -> Self {
        Position { line, column }
    }

    /// Where a spanned value was written.
    pub fn of<T>(at: &At<T>) -> Self {
        at.position
    }
}

/// A value with the line:column where it was written.
#[derive(Debug, Clone, PartialEq)]
pub struct At<T> {
    /// The value.
    pub value: T,
    /// Where it starts in the file.
    pub position: Position,
}

impl<T> At<T> {
    /// A value at a position.
    pub fn new(value: T, position: Position) -> Self {
        At { value, position }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for At<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let spanned = serde_saphyr::Spanned::<T>::deserialize(deserializer)?;
        let position = Position::new(spanned.referenced.line(), spanned.referenced.column());
        Ok(At::new(spanned.value, position))
    }
}

impl<T: JsonSchema> JsonSchema for At<T> {
    fn inline_schema() -> bool {
        T::inline_schema()
    }

    fn schema_name() -> std::borrow::Cow<'static, str> {
        T::schema_name()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        T::json_schema(generator)
    }
}

/// A finding about a file: `file:line:column: error: what is wrong; what was expected`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// The file.
    pub path: PathBuf,
    /// Where in the file.
    pub position: Position,
    /// Error or warning.
    pub severity: Severity,
    /// What is wrong and what was expected.
    pub message: String,
}

impl Diagnostic {
    /// An error at a position.
    pub fn error(path: &Path, position: Position, message: impl Into<String>) -> Self {
        Diagnostic {
            path: path.to_owned(),
            position,
            severity: Severity::Error,
            message: message.into(),
        }
    }

    /// A warning at a position.
    pub fn warning(path: &Path, position: Position, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(path, position, message)
        }
    }

    /// Whether this is an error.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let severity = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        // Control characters from hostile files must not reach the terminal.
        let message: String = self
            .message
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect();
        let path = self.path.display();
        if self.position.line == 0 {
            write!(f, "{path}: {severity}: {message}")
        } else {
            write!(
                f,
                "{path}:{}:{}: {severity}: {message}",
                self.position.line, self.position.column
            )
        }
    }
}

/// Collects the findings about one file.
#[derive(Debug)]
pub struct Findings<'a> {
    path: &'a Path,
    /// Everything found so far.
    pub items: Vec<Diagnostic>,
}

impl<'a> Findings<'a> {
    /// No findings yet about `path`.
    pub fn new(path: &'a Path) -> Self {
        Findings {
            path,
            items: Vec::new(),
        }
    }

    /// Records an error.
    pub fn error(&mut self, position: Position, message: impl Into<String>) {
        self.items
            .push(Diagnostic::error(self.path, position, message));
    }

    /// Records a warning.
    pub fn warning(&mut self, position: Position, message: impl Into<String>) {
        self.items
            .push(Diagnostic::warning(self.path, position, message));
    }

    /// Whether any error was recorded.
    pub fn has_errors(&self) -> bool {
        self.items.iter().any(Diagnostic::is_error)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_file_line_column_severity_message() {
        let d = Diagnostic::error(
            Path::new("r.yaml"),
            Position::new(4, 9),
            "unknown option `x`; expected one of a, b",
        );
        assert_eq!(
            d.to_string(),
            "r.yaml:4:9: error: unknown option `x`; expected one of a, b"
        );
    }

    #[test]
    fn control_characters_are_blanked() {
        let d = Diagnostic::warning(Path::new("r.yaml"), Position::new(1, 1), "a\x1b[31mb");
        assert_eq!(d.to_string(), "r.yaml:1:1: warning: a [31mb");
    }
}
