//! Every response of a run, numbered, whether a file or a row of a table.

use std::path::{Path, PathBuf};

use crate::diagnostic::Diagnostic;
use crate::import::table::TableInput;
use crate::model::{Questionnaire, Response};
use crate::scoring::SourceNames;

use super::load_response;

/// Every response of a run, numbered: the YAML files first, then the rows of each table (CSV or
/// XLSX). Names are made when asked for, so a table of many rows costs no text per row.
#[derive(Debug, Default)]
pub struct Sources {
    files: Vec<PathBuf>,
    /// By file: the position of the version it answers in `Inventory::versions`.
    file_versions: Vec<u8>,
    tables: Vec<TableInput>,
    /// By table: the version its rows answer.
    table_versions: Vec<u8>,
    /// The number of the first row of each table.
    table_starts: Vec<usize>,
    count: usize,
}

/// Where one response is.
enum Located<'a> {
    File(&'a Path),
    Row(&'a TableInput, usize),
}

impl Sources {
    /// The number of responses.
    pub fn len(&self) -> usize {
        self.count
    }

    /// True when there is none.
    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// Response `index` as messages and reports name it: its file, or `file.csv:ROW`.
    pub fn name(&self, index: usize) -> PathBuf {
        match self.locate(index) {
            Located::File(path) => path.to_owned(),
            Located::Row(table, row) => {
                PathBuf::from(format!("{}:{}", table.path().display(), table.line(row)))
            }
        }
    }

    /// Whether response `index` is a row of a table rather than a file of its own.
    pub fn is_row(&self, index: usize) -> bool {
        matches!(self.locate(index), Located::Row(..))
    }

    /// The file that holds response `index`: its own, or its table.
    pub fn file(&self, index: usize) -> &Path {
        match self.locate(index) {
            Located::File(path) => path,
            Located::Row(table, _) => table.path(),
        }
    }

    fn locate(&self, index: usize) -> Located<'_> {
        if index < self.files.len() {
            return Located::File(&self.files[index]);
        }
        let table = self.table_starts.partition_point(|&start| start <= index) - 1;
        Located::Row(&self.tables[table], index - self.table_starts[table])
    }

    pub(super) fn push_file(&mut self, path: PathBuf, version: u8) -> usize {
        debug_assert!(self.tables.is_empty(), "files come before tables");
        self.files.push(path);
        self.file_versions.push(version);
        self.count += 1;
        self.count - 1
    }

    pub(super) fn push_table(&mut self, table: TableInput, version: u8) {
        self.table_starts.push(self.count);
        self.count += table.len();
        self.tables.push(table);
        self.table_versions.push(version);
    }

    /// Renumbers the versions once they are sorted: `new_position[old]`.
    pub(super) fn renumber_versions(&mut self, new_position: &[u8]) {
        for v in self
            .file_versions
            .iter_mut()
            .chain(&mut self.table_versions)
        {
            *v = new_position[usize::from(*v)];
        }
    }

    /// The position in `Inventory::versions` of the questionnaire response `index` answers.
    pub fn version(&self, index: usize) -> usize {
        if index < self.files.len() {
            return usize::from(self.file_versions[index]);
        }
        let table = self.table_starts.partition_point(|&start| start <= index) - 1;
        usize::from(self.table_versions[table])
    }

    /// Loads and checks response `index`, from its file or its row.
    pub fn load(
        &self,
        index: usize,
        questionnaire: &Questionnaire,
    ) -> Result<(Response, Vec<Diagnostic>), Vec<Diagnostic>> {
        match self.locate(index) {
            Located::File(path) => load_response(path, questionnaire),
            Located::Row(table, row) => table
                .response(questionnaire, row)
                .map(|r| (r, Vec::new()))
                .map_err(|d| vec![d]),
        }
    }
}

impl SourceNames for Sources {
    fn name(&self, index: usize) -> PathBuf {
        Sources::name(self, index)
    }

    fn len(&self) -> usize {
        Sources::len(self)
    }
}
