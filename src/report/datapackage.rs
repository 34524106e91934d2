//! `datapackage.json`: the Frictionless Data Package (v1) beside `scores.csv`. It describes every
//! column (type, constraints, how a missing value is written) and carries what a CSV has no
//! place for: the TLP marking, the questionnaire and the version of cybercap that wrote it.

use serde::Serialize;
use serde_json::Value;

use super::model::ReportData;
use super::scores::{
    Allowed, CSV_COLUMNS, CSV_MISSING, CSV_PRIMARY_KEY, Column, questionnaire_json,
};

/// The file name of the scores the package describes, relative to the package.
pub const SCORES_PATH: &str = "scores.csv";

/// A Data Package, its properties in the order a reader expects them: what it is, where it
/// comes from, then its one resource.
#[derive(Debug, Serialize)]
pub struct DataPackage {
    profile: &'static str,
    name: String,
    title: String,
    description: &'static str,
    created: String,
    sources: [Source; 1],
    tlp: &'static str,
    generator: &'static str,
    questionnaire: Value,
    resources: [Resource; 1],
}

#[derive(Debug, Serialize)]
struct Source {
    title: String,
}

#[derive(Debug, Serialize)]
struct Resource {
    name: &'static str,
    title: &'static str,
    path: &'static str,
    profile: &'static str,
    format: &'static str,
    mediatype: &'static str,
    encoding: &'static str,
    bytes: usize,
    dialect: Dialect,
    schema: TableSchema,
}

/// The CSV as `ScoreWriter` writes it.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Dialect {
    delimiter: &'static str,
    line_terminator: &'static str,
    quote_char: &'static str,
    double_quote: bool,
    skip_initial_space: bool,
    header: bool,
}

/// A Table Schema.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct TableSchema {
    fields: Vec<Field>,
    missing_values: [&'static str; 1],
    primary_key: [&'static str; 4],
}

#[derive(Debug, Serialize)]
struct Field {
    name: &'static str,
    title: &'static str,
    description: &'static str,
    #[serde(rename = "type")]
    kind: &'static str,
    constraints: Constraints,
}

#[derive(Debug, Serialize)]
struct Constraints {
    required: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pattern: Option<&'static str>,
    #[serde(rename = "enum", skip_serializing_if = "Option::is_none")]
    values: Option<Value>,
    #[serde(skip_serializing_if = "Option::is_none")]
    minimum: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    maximum: Option<f64>,
}

/// The Data Package of a report's `scores.csv`, which is `csv_bytes` long.
pub fn datapackage(data: &ReportData, csv_bytes: usize) -> DataPackage {
    let q = data.questionnaire;
    let reference = q.reference();
    // No licence is declared: the scores are the organizers' data, and only they can choose
    // one; the TLP marking says who may see them.
    DataPackage {
        profile: "tabular-data-package",
        name: package_name(&q.id, &q.version),
        title: format!("Cybersecurity capacity scores ({reference})"),
        description: "Scores per country and round, overall and for each pillar and indicator, as written by the cybercap comparison report.",
        created: data.options.generated.to_string(),
        sources: [Source {
            title: format!("Questionnaire {reference}"),
        }],
        tlp: data.options.tlp.marking(),
        generator: crate::GENERATOR,
        questionnaire: questionnaire_json(q),
        resources: [Resource {
            name: "scores",
            title: "Scores",
            path: SCORES_PATH,
            profile: "tabular-data-resource",
            format: "csv",
            mediatype: "text/csv",
            encoding: "utf-8",
            bytes: csv_bytes,
            dialect: Dialect {
                delimiter: ",",
                line_terminator: "\n",
                quote_char: "\"",
                double_quote: true,
                skip_initial_space: false,
                header: true,
            },
            schema: table_schema(),
        }],
    }
}

/// The Table Schema of the score CSV, made from the list its header is written from.
pub fn table_schema() -> TableSchema {
    TableSchema {
        fields: CSV_COLUMNS.iter().map(field).collect(),
        missing_values: [CSV_MISSING],
        primary_key: CSV_PRIMARY_KEY,
    }
}

fn field(column: &Column) -> Field {
    let mut constraints = Constraints {
        required: column.required,
        pattern: None,
        values: None,
        minimum: None,
        maximum: None,
    };
    match column.allowed {
        Allowed::Pattern(pattern) => constraints.pattern = Some(pattern),
        Allowed::Words(words) => constraints.values = Some(words.into()),
        Allowed::Integers(values) => constraints.values = Some(values.into()),
        Allowed::Range { min, max } => {
            constraints.minimum = Some(min);
            constraints.maximum = Some(max);
        }
    }
    Field {
        name: column.name,
        title: column.title,
        description: column.description,
        kind: column.kind.name(),
        constraints,
    }
}

/// A package name as Data Package allows one (lower-case letters, digits, `-`, `_`, `.`):
/// `eu-lac-cyber-capacity-1.0.0-scores`.
fn package_name(id: &str, version: &str) -> String {
    format!("{id}-{version}-scores")
        .chars()
        .map(|c| match c.to_ascii_lowercase() {
            c @ ('a'..='z' | '0'..='9' | '-' | '_' | '.') => c,
            _ => '-',
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn package_names_keep_to_the_characters_data_package_allows() {
        assert_eq!(
            package_name("eu-lac-cyber-capacity", "1.0.0"),
            "eu-lac-cyber-capacity-1.0.0-scores"
        );
        assert_eq!(
            package_name("SME_Hygiene", "2.1+build:7«β»"),
            "sme_hygiene-2.1-build-7----scores"
        );
    }

    #[test]
    fn the_schema_describes_each_column_in_the_order_of_the_header() {
        let schema = serde_json::to_value(table_schema()).unwrap();
        let names: Vec<&str> = schema["fields"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["name"].as_str().unwrap())
            .collect();
        assert_eq!(
            names,
            [
                "country",
                "round",
                "level",
                "id",
                "score",
                "stage",
                "completeness"
            ]
        );
        let stage = &schema["fields"][5];
        assert_eq!(stage["type"], "integer");
        assert_eq!(stage["constraints"]["enum"], json!([1, 2, 3, 4, 5]));
        assert_eq!(schema["fields"][4]["constraints"]["maximum"], json!(100.0));
        assert_eq!(schema["missingValues"], json!([""]));
        assert_eq!(
            schema["primaryKey"],
            json!(["country", "round", "level", "id"])
        );
    }
}
