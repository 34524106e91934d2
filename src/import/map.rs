//! Column maps for exports of survey tools (KoboToolbox, LimeSurvey, spreadsheets): renamed
//! columns, `group/question` headers, multi-select answers split over one column per option,
//! and renamed values, turned into the import layout before any check.

use std::collections::BTreeMap;
use std::path::Path;

use schemars::JsonSchema;
use serde::Deserialize;

use crate::Error;
use crate::answer_words::{Meaning, fold, meaning};
use crate::diagnostic::{At, Diagnostic};
use crate::load::{Source, parse_yaml};
use crate::model::{QuestionKind, Questionnaire};

/// The maps embedded in the binary, for the exports of the survey tools most used to collect
/// the built-in questionnaire: (file name, text).
const BUILTIN_MAPS: &[(&str, &str)] = &[
    (
        "kobotoolbox.yaml",
        include_str!("../../maps/kobotoolbox.yaml"),
    ),
    (
        "limesurvey.yaml",
        include_str!("../../maps/limesurvey.yaml"),
    ),
];

/// A map file (YAML).
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "cybercap import map")]
pub struct MapDoc {
    /// Field separator of the CSV: "," or ";" (default: read from the header line).
    #[serde(default)]
    pub separator: Option<At<String>>,
    /// Keep only the last part of `group/subgroup/question` headers (default: true).
    #[serde(default = "default_true")]
    pub strip_groups: bool,
    /// Pattern of the columns that split a multi-select answer, one column per option, e.g.
    /// `{question}/{option}` (KoboToolbox) or `{question}[{option}]` (LimeSurvey). Besides the
    /// options, `na`, `unknown` (or what `values` renames to them) and `[]` (none) may be split.
    #[serde(default)]
    pub multi_columns: Option<String>,
    /// Cell values that mean "selected" in such columns (default: 1, y, yes, true, x).
    #[serde(default)]
    pub selected: Vec<String>,
    /// Source column (as exported, or without its groups) → column of the import layout
    /// (`country`, `round`, a question id…). `{question}` in a name stands for any question id:
    /// `{question}_note: "{question}.note"`. Cells that go into one column are joined with `;`,
    /// empty ones left out, so a column filled only when another is empty adds to it.
    #[serde(default)]
    pub columns: BTreeMap<String, String>,
    /// Source columns to leave out without a warning (`start`, `_uuid`…).
    #[serde(default)]
    pub ignore: Vec<String>,
    /// Column of the import layout (or `*` for all) → source value → value.
    #[serde(default)]
    pub values: BTreeMap<String, BTreeMap<String, String>>,
}

fn default_true() -> bool {
    true
}

impl MapDoc {
    /// Reads and parses a map file, reporting problems at their line:column.
    pub fn read(path: &Path) -> Result<MapDoc, Error> {
        MapDoc::from_source(&Source::read(path)?)
    }

    /// Reads `--map`: a file, or the name of a built-in map (`kobotoolbox`, `limesurvey`) when no
    /// file has that name.
    pub fn open(name: &Path) -> Result<MapDoc, Error> {
        if !name.exists()
            && let Some((file, text)) = BUILTIN_MAPS
                .iter()
                .find(|(file, _)| name.to_str() == file.strip_suffix(".yaml"))
        {
            return MapDoc::from_source(&Source::from_text(Path::new(file), text));
        }
        if !name.exists() && name.extension().is_none() && name.components().count() == 1 {
            let known: Vec<&str> = BUILTIN_MAPS
                .iter()
                .filter_map(|(file, _)| file.strip_suffix(".yaml"))
                .collect();
            return Err(Error::NotFound(format!(
                "map `{}` is neither a file nor a built-in map; expected a path or one of: {}",
                name.display(),
                known.join(", ")
            )));
        }
        MapDoc::read(name)
    }

    /// Parses the text of a map file, as `read` does once it has read it.
    pub(crate) fn from_source(source: &Source) -> Result<MapDoc, Error> {
        let map: MapDoc = parse_yaml(source).map_err(|d| Error::Invalid(vec![d]))?;
        if let Some(sep) = &map.separator
            && !matches!(sep.value.as_str(), "," | ";" | "\t")
        {
            return Err(Error::Invalid(vec![Diagnostic::error(
                &source.path,
                sep.position,
                format!(
                    "separator `{}` is not supported; expected \",\", \";\" or a tab",
                    sep.value.escape_debug()
                ),
            )]));
        }
        Ok(map)
    }

    /// The separator byte, when the map sets one.
    pub fn delimiter(&self) -> Option<u8> {
        self.separator.as_ref().and_then(|s| s.value.bytes().next())
    }
}

/// Where one source column goes.
#[derive(Debug, Clone)]
enum Target {
    /// Into this output column.
    Column(usize),
    /// Marks `option` of the multi question in this output column when the cell is selected.
    Option(usize, String),
    /// Nowhere.
    Ignore,
}

/// A map applied to one file's header: the import-layout header, and how each row converts.
#[derive(Debug, Clone)]
pub struct Plan {
    /// The header in the import layout.
    pub header: csv::ByteRecord,
    targets: Vec<Target>,
    /// Value renames per output column (folded source value → value).
    renames: Vec<BTreeMap<String, String>>,
    selected: Vec<String>,
}

impl Plan {
    /// Plans the conversion of files whose header is `source`.
    pub fn new(map: &MapDoc, source: &csv::ByteRecord, questionnaire: &Questionnaire) -> Plan {
        let mut names: Vec<String> = Vec::new();
        let mut targets = Vec::new();
        let column_of = |name: &str, names: &mut Vec<String>| {
            names.iter().position(|n| n == name).unwrap_or_else(|| {
                names.push(name.to_owned());
                names.len() - 1
            })
        };
        let headers: Vec<String> = source
            .iter()
            .map(|h| {
                String::from_utf8_lossy(h)
                    .trim()
                    .trim_start_matches('\u{feff}')
                    .to_owned()
            })
            .collect();
        let mut split_questions = Vec::new();
        // Whether the map names a source column's target: such a column is always read.
        let mut renamed = Vec::new();
        for header in &headers {
            let stripped = if map.strip_groups {
                header.rsplit('/').next().unwrap_or(header)
            } else {
                header.as_str()
            };
            let (target, by_map) = plan_column(map, header, stripped, questionnaire);
            let target = match target {
                Planned::Ignore => Target::Ignore,
                Planned::Column(name) => Target::Column(column_of(&name, &mut names)),
                Planned::Option(question, option) => {
                    let column = column_of(&question, &mut names);
                    split_questions.push(question);
                    Target::Option(column, option)
                }
            };
            targets.push(target);
            renamed.push(by_map);
        }
        // A combined column beside the split ones (KoboToolbox exports both) is left out.
        for (target, renamed) in targets.iter_mut().zip(renamed) {
            if let Target::Column(c) = target
                && split_questions.contains(&names[*c])
                && !renamed
            {
                *target = Target::Ignore;
            }
        }
        let renames = names
            .iter()
            .map(|name| {
                let mut renames = BTreeMap::new();
                for key in ["*", name.as_str()] {
                    if let Some(values) = map.values.get(key) {
                        renames.extend(values.iter().map(|(from, to)| (fold(from), to.clone())));
                    }
                }
                renames
            })
            .collect();
        let selected = if map.selected.is_empty() {
            ["1", "y", "yes", "true", "x"]
                .iter()
                .map(|s| (*s).to_owned())
                .collect()
        } else {
            map.selected.iter().map(|s| fold(s)).collect()
        };
        let mut header = csv::ByteRecord::new();
        for name in &names {
            header.push_field(name.as_bytes());
        }
        Plan {
            header,
            targets,
            renames,
            selected,
        }
    }

    /// The first column of the source file that feeds column `column` of the import layout.
    pub fn source_column(&self, column: usize) -> Option<usize> {
        self.targets.iter().position(|target| match target {
            Target::Column(c) | Target::Option(c, _) => *c == column,
            Target::Ignore => false,
        })
    }

    /// A source row in the import layout.
    pub fn convert<'a>(&self, row: impl IntoIterator<Item = &'a [u8]>) -> csv::ByteRecord {
        let mut cells: Vec<Vec<u8>> = vec![Vec::new(); self.header.len()];
        let mut row = row.into_iter();
        for (target, cell) in self.targets.iter().zip(row.by_ref()) {
            match target {
                Target::Ignore => {}
                Target::Column(c) => {
                    let text = String::from_utf8_lossy(cell);
                    let value = match self.renames[*c].get(&fold(&text)) {
                        Some(renamed) => renamed.as_bytes(),
                        None => cell,
                    };
                    // Two answers in one column stay visible to the checks, which refuse them.
                    if !value.trim_ascii().is_empty() {
                        if !cells[*c].is_empty() {
                            cells[*c].push(b';');
                        }
                        cells[*c].extend_from_slice(value);
                    }
                }
                Target::Option(c, option) => {
                    if self
                        .selected
                        .contains(&fold(&String::from_utf8_lossy(cell)))
                    {
                        if !cells[*c].is_empty() {
                            cells[*c].push(b';');
                        }
                        cells[*c].extend_from_slice(option.as_bytes());
                    }
                }
            }
        }
        let mut converted = csv::ByteRecord::new();
        for cell in &cells {
            converted.push_field(cell);
        }
        // Too many fields stay visible to the checks as too many fields.
        for extra in row {
            converted.push_field(extra);
        }
        converted
    }
}

/// Where the map sends one source column, before columns are numbered.
enum Planned {
    Ignore,
    Column(String),
    /// (question id, option id).
    Option(String, String),
}

/// Where the map sends the source column `header` (`stripped` of its groups), and whether the
/// map names that target itself, in `columns`.
fn plan_column(
    map: &MapDoc,
    header: &str,
    stripped: &str,
    questionnaire: &Questionnaire,
) -> (Planned, bool) {
    if map.ignore.iter().any(|i| i == header || i == stripped) {
        return (Planned::Ignore, false);
    }
    if let Some(target) = map
        .columns
        .get(header)
        .or_else(|| map.columns.get(stripped))
    {
        return (Planned::Column(target.clone()), true);
    }
    if let Some((question, option)) = map
        .multi_columns
        .as_deref()
        .and_then(|p| multi_option(p, header, map, questionnaire))
    {
        return (Planned::Option(question, option), false);
    }
    // A question's own name is never read as a pattern's match (`x_note` may be a question).
    if questionnaire.question_position(stripped).is_none()
        && let Some(target) = pattern_column(map, stripped, questionnaire)
    {
        return (Planned::Column(target), true);
    }
    (Planned::Column(stripped.to_owned()), false)
}

/// `(question id, option id)` when `header` is a split multi-select column per `pattern`.
fn multi_option(
    pattern: &str,
    header: &str,
    map: &MapDoc,
    questionnaire: &Questionnaire,
) -> Option<(String, String)> {
    let strip_groups = map.strip_groups;
    let rest = pattern.strip_prefix("{question}")?;
    let (separator, suffix) = rest.split_once("{option}")?;
    let body = header.strip_suffix(suffix)?;
    let (question, option) = body.rsplit_once(separator)?;
    let question = if strip_groups {
        question.rsplit('/').next().unwrap_or(question)
    } else {
        question
    };
    // The question part may be a code the map renames (`wfeduhigherlevels` → `wf_edu_higher_levels`).
    let question = map.columns.get(question).map_or(question, String::as_str);
    let position = questionnaire.question_position(question)?;
    let QuestionKind::Multi { options } = &questionnaire.questions[position].kind else {
        return None;
    };
    let bare = |id: &str| fold(&id.replace(['_', '-'], ""));
    if let Some(found) = options
        .iter()
        .find(|o| fold(&o.id) == fold(option) || bare(&o.id) == bare(option))
    {
        return Some((question.to_owned(), found.id.clone()));
    }
    // A form may offer not-applicable, don't-know and none among a multi question's choices.
    let folded = fold(option);
    let renamed = ["*", question]
        .iter()
        .filter_map(|key| {
            let values = map.values.get(*key)?;
            values.iter().find(|(from, _)| fold(from) == folded)
        })
        .next_back()
        .map_or(option, |(_, to)| to.as_str());
    let special = match meaning(renamed) {
        Some(Meaning::NotApplicable) => "na",
        Some(Meaning::Unknown) => "unknown",
        _ if renamed.trim() == "[]" => "[]",
        _ => return None,
    };
    Some((question.to_owned(), special.to_owned()))
}

/// The column of the import layout a `{question}` pattern of the map's `columns` gives `name`.
fn pattern_column(map: &MapDoc, name: &str, questionnaire: &Questionnaire) -> Option<String> {
    map.columns.iter().find_map(|(pattern, target)| {
        let (prefix, suffix) = pattern.split_once("{question}")?;
        let id = name.strip_prefix(prefix)?.strip_suffix(suffix)?;
        questionnaire.question_position(id)?;
        Some(target.replace("{question}", id))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan(map: &str, header: &[&str]) -> Plan {
        let source = Source::from_text(Path::new("map.yaml"), map);
        let map = MapDoc::from_source(&source).expect("a valid map");
        let questionnaire = &crate::builtin::questionnaires()[0];
        Plan::new(&map, &header.iter().collect(), questionnaire)
    }

    fn converted(plan: &Plan, row: &[&str]) -> Vec<String> {
        plan.convert(row.iter().map(|c| c.as_bytes()))
            .iter()
            .map(|c| String::from_utf8_lossy(c).into_owned())
            .collect()
    }

    #[test]
    fn a_question_pattern_renames_the_columns_of_every_question_and_no_other() {
        let plan = plan(
            "columns: {\"{question}_note\": \"{question}.note\"}",
            &["g/wf_edu_school_note", "g/nothing_note", "wf_edu_school"],
        );
        let names: Vec<&[u8]> = plan.header.iter().collect();
        assert_eq!(
            names,
            [
                &b"wf_edu_school.note"[..],
                b"nothing_note",
                b"wf_edu_school"
            ]
        );
    }

    #[test]
    fn columns_into_one_column_are_joined_and_empty_ones_left_out() {
        let plan = plan(
            "columns: {\"{question}_status\": \"{question}\"}",
            &[
                "wf_pt_csirt_training_days",
                "wf_pt_csirt_training_days_status",
            ],
        );
        assert_eq!(plan.header.len(), 1);
        assert_eq!(converted(&plan, &["12", ""]), ["12"]);
        assert_eq!(converted(&plan, &["", "na"]), ["na"]);
        assert_eq!(converted(&plan, &["", " "]), [""]);
        // Both filled: the checks see two answers and refuse them.
        assert_eq!(converted(&plan, &["12", "unknown"]), ["12;unknown"]);
    }

    #[test]
    fn split_columns_may_say_not_applicable_unknown_or_none() {
        let plan = plan(
            "multi_columns: \"{question}/{option}\"\nvalues: {\"*\": {dont_know: unknown}}",
            &[
                "g/wf_edu_higher_levels",
                "g/wf_edu_higher_levels/master",
                "g/wf_edu_higher_levels/na",
                "g/wf_edu_higher_levels/dont_know",
                "g/wf_edu_higher_levels/[]",
                "g/wf_edu_higher_levels/bogus",
            ],
        );
        let names: Vec<&[u8]> = plan.header.iter().collect();
        assert_eq!(names, [&b"wf_edu_higher_levels"[..], b"bogus"]);
        let row = |cells: [&str; 5]| {
            let mut row = vec!["ignored"];
            row.extend(cells);
            converted(&plan, &row)[0].clone()
        };
        assert_eq!(row(["1", "0", "0", "0", "0"]), "master");
        assert_eq!(row(["0", "1", "0", "0", "0"]), "na");
        assert_eq!(row(["0", "0", "1", "0", "0"]), "unknown");
        assert_eq!(row(["0", "0", "0", "1", "0"]), "[]");
        assert_eq!(row(["0", "0", "0", "0", "0"]), "");
    }
}
