//! Writing a form as the XLSX workbook XLSForm tools read: the `survey`, `choices` and
//! `settings` sheets, a header row each, translated columns as `label::English (en)`.

use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

use super::{Form, Row, language_column};

/// A column of the survey sheet; a translated one holds the text of the language at that index.
#[derive(Debug, Clone, Copy)]
enum Column {
    Kind,
    Name,
    Label(usize),
    Hint(usize),
    Required,
    Relevant,
    Constraint,
    ConstraintMessage(usize),
    Default,
    Appearance,
}

impl Column {
    /// Every column, the translated ones once per language of the form.
    fn all(languages: usize) -> Vec<Column> {
        let each = |column: fn(usize) -> Column| (0..languages).map(column);
        [Column::Kind, Column::Name]
            .into_iter()
            .chain(each(Column::Label))
            .chain(each(Column::Hint))
            .chain([Column::Required, Column::Relevant, Column::Constraint])
            .chain(each(Column::ConstraintMessage))
            .chain([Column::Default, Column::Appearance])
            .collect()
    }

    fn header(self, form: &Form) -> String {
        let translated =
            |kind: &str, i: usize| format!("{kind}::{}", language_column(&form.languages[i]));
        match self {
            Column::Kind => "type".to_owned(),
            Column::Name => "name".to_owned(),
            Column::Label(i) => translated("label", i),
            Column::Hint(i) => translated("hint", i),
            Column::Required => "required".to_owned(),
            Column::Relevant => "relevant".to_owned(),
            Column::Constraint => "constraint".to_owned(),
            Column::ConstraintMessage(i) => translated("constraint_message", i),
            Column::Default => "default".to_owned(),
            Column::Appearance => "appearance".to_owned(),
        }
    }

    fn cell(self, row: &Row) -> &str {
        fn text(texts: &[String], i: usize) -> &str {
            texts.get(i).map_or("", String::as_str)
        }
        match self {
            Column::Kind => &row.kind,
            Column::Name => &row.name,
            Column::Label(i) => text(&row.label, i),
            Column::Hint(i) => text(&row.hint, i),
            Column::Required if row.required => "yes",
            Column::Required => "",
            Column::Relevant => &row.relevant,
            Column::Constraint => &row.constraint,
            Column::ConstraintMessage(i) => text(&row.constraint_message, i),
            Column::Default => &row.default,
            Column::Appearance => row.appearance,
        }
    }
}

/// The workbook's bytes.
pub(super) fn write(form: &Form) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = crate::template::xlsx::workbook();
    let header = Format::new().set_bold();
    let columns = Column::all(form.languages.len());
    let sheet = new_sheet(&mut workbook, "survey")?;
    for (i, column) in columns.iter().enumerate() {
        sheet.write_string_with_format(0, i as u16, column.header(form), &header)?;
    }
    for (row, entry) in form.survey.iter().enumerate() {
        for (i, column) in columns.iter().enumerate() {
            let text = column.cell(entry);
            if !text.is_empty() {
                sheet.write_string(row as u32 + 1, i as u16, text)?;
            }
        }
    }

    let sheet = new_sheet(&mut workbook, "choices")?;
    sheet.write_string_with_format(0, 0, "list_name", &header)?;
    sheet.write_string_with_format(0, 1, "name", &header)?;
    for (i, lang) in form.languages.iter().enumerate() {
        let title = format!("label::{}", language_column(lang));
        sheet.write_string_with_format(0, 2 + i as u16, title, &header)?;
    }
    for (row, choice) in form.lists.choices.iter().enumerate() {
        let row = row as u32 + 1;
        sheet.write_string(row, 0, &choice.list)?;
        sheet.write_string(row, 1, &choice.name)?;
        for (i, text) in choice.label.iter().enumerate() {
            sheet.write_string(row, 2 + i as u16, text)?;
        }
    }

    let sheet = new_sheet(&mut workbook, "settings")?;
    let settings = [
        ("form_title", form.title.as_str()),
        ("form_id", &form.form_id),
        ("version", &form.version),
        ("default_language", &form.default_language),
    ];
    for (column, (name, value)) in settings.iter().enumerate() {
        sheet.write_string_with_format(0, column as u16, *name, &header)?;
        sheet.write_string(1, column as u16, *value)?;
    }
    workbook.save_to_buffer()
}

fn new_sheet<'a>(workbook: &'a mut Workbook, name: &str) -> Result<&'a mut Worksheet, XlsxError> {
    let sheet = workbook.add_worksheet();
    sheet.set_name(name)?;
    sheet.set_freeze_panes(1, 0)?;
    Ok(sheet)
}
