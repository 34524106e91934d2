//! A questionnaire as an XLSForm (<https://xlsform.org>), the form definition that KoboToolbox,
//! ODK Collect and Central, Enketo and their kin read: a `survey`, a `choices` and a `settings`
//! sheet. Each question's field is named by the question's id, so a CSV export of the form
//! imports through the built-in `kobotoolbox` map without a map of its own.

mod lists;
mod workbook;

use std::collections::HashMap;

use crate::Error;
use crate::i18n::labels::{label, label_with};
use crate::model::{Condition, ConditionValue, Question, QuestionKind, Questionnaire};
use crate::numbers::format_number;

use lists::{Lists, capitalized};

/// Suffix of the field that holds a question's note. The import layout's `<id>.note` has a dot,
/// which XML allows in a name but not every survey tool's storage keeps; the map renames it.
pub const NOTE_SUFFIX: &str = "_note";

/// Suffix of the field that says why a number question has no number: `na` or `unknown`. A
/// number field holds only numbers, so these two answers need a field of their own; the map
/// joins it to the number, which is empty whenever it is asked.
pub const STATUS_SUFFIX: &str = "_status";

/// The choice that a multi question's field offers for "none of them": the import layout's own
/// word for an empty selection, which no option id can be.
pub const NONE_CHOICE: &str = "[]";

/// One row of the survey sheet; texts hold one entry per language of the form, empty for none.
#[derive(Debug, Default)]
struct Row {
    kind: String,
    name: String,
    label: Vec<String>,
    hint: Vec<String>,
    required: bool,
    relevant: String,
    constraint: String,
    constraint_message: Vec<String>,
    default: String,
    appearance: &'static str,
}

/// A form: its survey rows, its choice lists and its settings, ready to be written.
#[derive(Debug)]
struct Form {
    /// Language codes, in the questionnaire's order.
    languages: Vec<String>,
    default_language: String,
    title: String,
    form_id: String,
    version: String,
    survey: Vec<Row>,
    lists: Lists,
}

/// The XLSForm of `q` as an XLSX workbook, with every language of the questionnaire and `lang`
/// as the default one; `round` is the round field's default answer.
pub fn xlsform(q: &Questionnaire, lang: &str, round: &str) -> Result<Vec<u8>, Error> {
    let form = Form::new(q, lang, round)?;
    workbook::write(&form).map_err(|e| Error::internal("the XLSForm", e))
}

/// `Language (code)`, as XLSForm columns name a language: the name for people, the code for
/// the tools.
fn language_column(code: &str) -> String {
    let name = match code {
        "en" => "English",
        "es" => "Español",
        "pt" => "Português",
        "fr" => "Français",
        other => other,
    };
    format!("{name} ({code})")
}

/// A text as a label or hint: `${name}` there would be read as a reference to a field, so a word
/// joiner, which nobody sees, keeps `$` and `{` apart.
fn form_text(text: &str) -> String {
    text.replace("${", "$\u{2060}{")
}

impl Form {
    fn new(q: &Questionnaire, lang: &str, round: &str) -> Result<Form, Error> {
        check_names(q)?;
        let mut languages = q.languages.clone();
        if languages.is_empty() {
            languages.push(lang.to_owned());
        }
        let mut form = Form {
            default_language: language_column(lang),
            title: form_text(q.title.get(lang)),
            form_id: format!("{}_{}", q.id, q.version)
                .chars()
                .map(|c| {
                    if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
                        c
                    } else {
                        '_'
                    }
                })
                .collect(),
            version: q.version.clone(),
            survey: Vec::new(),
            lists: Lists::new(q, &languages, lang),
            languages,
        };
        form.header(round);
        let mut groups = GroupNames::new(q);
        for pillar in &q.pillars {
            form.survey.push(Row {
                kind: "begin_group".to_owned(),
                name: groups.claim(&pillar.id),
                label: form.texts(|l| form_text(pillar.title.get(l))),
                ..Row::default()
            });
            for indicator in q.pillar_indicators(pillar) {
                form.survey.push(Row {
                    kind: "begin_group".to_owned(),
                    name: groups.claim(&indicator.id),
                    label: form.texts(|l| form_text(indicator.title.get(l))),
                    // One screen per indicator in ODK Collect: a number and its status side by side.
                    appearance: "field-list",
                    ..Row::default()
                });
                for question in q.indicator_questions(indicator) {
                    form.question(q, question);
                }
                form.end_group();
            }
            form.end_group();
        }
        Ok(form)
    }

    /// One text per language of the form.
    fn texts(&self, text: impl Fn(&str) -> String) -> Vec<String> {
        self.languages.iter().map(|l| text(l)).collect()
    }

    /// A label of the catalogue in every language, with a capital first letter.
    fn label(&self, key: &str) -> Vec<String> {
        self.texts(|l| capitalized(&label(key, l)))
    }

    fn end_group(&mut self) {
        self.survey.push(Row {
            kind: "end_group".to_owned(),
            ..Row::default()
        });
    }

    /// The fields of the import layout's fixed columns, named as its columns are, and the time
    /// the form was finished, which the map reads as `submitted`.
    fn header(&mut self, round: &str) {
        // KoboToolbox's own `_submission_time` has no time zone, which `submitted` needs.
        self.survey.push(Row {
            kind: "end".to_owned(),
            name: "end".to_owned(),
            ..Row::default()
        });
        self.survey.push(Row {
            kind: format!("select_one {}", self.lists.country),
            name: "country".to_owned(),
            label: self.label("country"),
            required: true,
            // A searchable list: typing a few letters of the name or the code finds the country.
            appearance: "autocomplete",
            ..Row::default()
        });
        self.survey.push(Row {
            kind: "text".to_owned(),
            name: "round".to_owned(),
            label: self.label("round"),
            required: true,
            // The rule of `Round::parse`.
            constraint: "regex(., '^[A-Za-z0-9_][A-Za-z0-9._-]{0,31}$')".to_owned(),
            constraint_message: self.label("xlsform_round"),
            default: round.to_owned(),
            ..Row::default()
        });
        for (name, key) in [
            ("respondent_name", "sheet_name"),
            ("respondent_organization", "sheet_organization"),
        ] {
            self.survey.push(Row {
                kind: "text".to_owned(),
                name: name.to_owned(),
                label: self.label(key),
                ..Row::default()
            });
        }
    }

    /// The rows of one question: its field, the status of a number, and its note.
    fn question(&mut self, q: &Questionnaire, question: &Question) {
        let relevant = question
            .when
            .as_ref()
            .map(|c| relevance(q, c))
            .unwrap_or_default();
        let help = |l: &str| {
            question
                .help
                .as_ref()
                .map(|h| form_text(h.get(l)))
                .unwrap_or_default()
        };
        let mut row = Row {
            name: question.id.clone(),
            label: self.texts(|l| form_text(question.text.get(l))),
            hint: self.texts(help),
            relevant: relevant.clone(),
            ..Row::default()
        };
        let mut status = None;
        match &question.kind {
            QuestionKind::Choice { .. } => {
                row.kind = format!("select_one {}", question.id);
            }
            QuestionKind::YesNo => row.kind = format!("select_one {}", self.lists.yes_no),
            QuestionKind::Multi { .. } => {
                row.kind = format!("select_multiple {}", question.id);
                row.constraint = ["na", "unknown", NONE_CHOICE]
                    .iter()
                    .map(|c| format!("selected(., '{c}')"))
                    .collect::<Vec<_>>()
                    .join(" or ");
                row.constraint = format!("not(({}) and count-selected(.) > 1)", row.constraint);
                row.constraint_message = self.label("xlsform_alone");
            }
            QuestionKind::Number { min, max, .. } => {
                row.kind = "decimal".to_owned();
                row.constraint = [
                    min.map(|lo| format!(". >= {lo}")),
                    max.map(|hi| format!(". <= {hi}")),
                ]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" and ");
                let range = |l: &str| {
                    capitalized(&format!(
                        "{} {}",
                        label("template_number", l),
                        label_with(
                            "template_range",
                            l,
                            &[
                                ("min", &min.map_or_else(|| "−∞".to_owned(), format_number)),
                                ("max", &max.map_or_else(|| "∞".to_owned(), format_number)),
                            ],
                        )
                    ))
                };
                row.constraint_message = self.texts(range);
                row.hint = self.texts(|l| {
                    [help(l), range(l)]
                        .into_iter()
                        .filter(|t| !t.is_empty())
                        .collect::<Vec<_>>()
                        .join("\n")
                });
                let empty = format!("${{{}}} = ''", question.id);
                status = Some(Row {
                    kind: format!("select_one {}", self.lists.no_number),
                    name: format!("{}{STATUS_SUFFIX}", question.id),
                    label: self.label("xlsform_no_number"),
                    relevant: if relevant.is_empty() {
                        empty
                    } else {
                        format!("({relevant}) and {empty}")
                    },
                    ..Row::default()
                });
            }
            QuestionKind::Text => {
                row.kind = "text".to_owned();
                row.appearance = "multiline";
            }
        }
        self.survey.push(row);
        self.survey.extend(status);
        self.survey.push(Row {
            kind: "text".to_owned(),
            name: format!("{}{NOTE_SUFFIX}", question.id),
            label: self.label("note"),
            relevant,
            appearance: "multiline",
            ..Row::default()
        });
    }
}

/// A question's condition as an XPath `relevant` expression over the earlier question's field.
fn relevance(q: &Questionnaire, condition: &Condition) -> String {
    let target = &q.questions[condition.question];
    let field = format!("${{{}}}", target.id);
    let tests: Vec<String> = condition
        .any_of
        .iter()
        .map(|value| match value {
            ConditionValue::Option(i) => {
                let id = target
                    .options()
                    .get(usize::from(*i))
                    .map_or("", |o| o.id.as_str());
                match target.kind {
                    QuestionKind::Multi { .. } => format!("selected({field}, '{id}')"),
                    _ => format!("{field} = '{id}'"),
                }
            }
            ConditionValue::YesNo(yes) => {
                format!("{field} = '{}'", if *yes { "yes" } else { "no" })
            }
        })
        .collect();
    tests.join(" or ")
}

/// Group names: a pillar's or an indicator's id where it is a free XML name, else made one.
/// Groups are left out of the names the import reads, so any free name will do.
struct GroupNames {
    taken: Vec<String>,
}

impl GroupNames {
    fn new(q: &Questionnaire) -> GroupNames {
        let mut taken = vec!["meta".to_owned()];
        taken.extend(field_names(q).into_iter().map(|(name, _)| name));
        GroupNames { taken }
    }

    fn claim(&mut self, id: &str) -> String {
        let mut name = if id.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') {
            id.to_owned()
        } else {
            format!("_{id}")
        };
        while self.taken.contains(&name) {
            name.push('_');
        }
        self.taken.push(name.clone());
        name
    }
}

/// Every field's name, with what it holds, in the form's order.
fn field_names(q: &Questionnaire) -> Vec<(String, String)> {
    let mut names: Vec<(String, String)> = ["end"]
        .iter()
        .chain(&crate::template::CSV_FIXED_COLUMNS[..4])
        .map(|c| ((*c).to_owned(), format!("the field `{c}`")))
        .collect();
    for question in &q.questions {
        names.push((question.id.clone(), format!("question `{}`", question.id)));
        if matches!(question.kind, QuestionKind::Number { .. }) {
            names.push((
                format!("{}{STATUS_SUFFIX}", question.id),
                format!("the no-number field of question `{}`", question.id),
            ));
        }
        names.push((
            format!("{}{NOTE_SUFFIX}", question.id),
            format!("the note of question `{}`", question.id),
        ));
    }
    names
}

/// Refuses a questionnaire whose fields could not be named by its ids: a name must be an XML
/// name, not `meta`, and given once.
fn check_names(q: &Questionnaire) -> Result<(), Error> {
    let refuse = |problem: String| {
        Err(Error::Usage(format!(
            "{} cannot be written as an XLSForm: {problem}; expected question ids that start with a letter or `_` and fields named once (rename the question in a new version of the questionnaire)",
            q.reference()
        )))
    };
    let mut seen: HashMap<String, String> = HashMap::new();
    for (name, what) in field_names(q) {
        if !name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') {
            return refuse(format!(
                "{what} would be named `{name}`, and a field's name starts with a letter or `_`"
            ));
        }
        if name == "meta" {
            return refuse(format!(
                "{what} would be named `meta`, a name XLSForm keeps"
            ));
        }
        if let Some(first) = seen.insert(name.clone(), what.clone()) {
            return refuse(format!("{first} and {what} would both be named `{name}`"));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests;
