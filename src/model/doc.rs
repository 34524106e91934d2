//! The file formats as written on disk: serde and JSON Schema types that keep the line:column of
//! every value a semantic check may need to point at. `load` turns them into checked models.

use std::collections::BTreeMap;
use std::fmt;

use crate::diagnostic::At;
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::de::{self, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};

use super::text::LocalizedText;

/// A questionnaire file.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "cybercap questionnaire")]
pub struct QuestionnaireDoc {
    /// Stable identifier, e.g. `eu-lac-cyber-capacity`.
    pub id: At<String>,
    /// Version, e.g. `1.0.0`; responses name `id@version`.
    pub version: At<ScalarText>,
    /// Title shown in reports and in the terminal.
    pub title: At<LocalizedText>,
    /// Optional longer description.
    #[serde(default)]
    pub description: Option<LocalizedText>,
    /// Languages every text is expected in; the first is the default.
    #[serde(default)]
    pub languages: Vec<At<String>>,
    /// The maturity scale, levels 1..5.
    #[schemars(length(min = 5, max = 5))]
    pub stages: At<Vec<StageDoc>>,
    /// The pillars, each holding indicators that hold questions.
    #[schemars(length(min = 1))]
    pub pillars: Vec<PillarDoc>,
}

/// One level of the maturity scale.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StageDoc {
    /// 1..5.
    #[schemars(range(min = 1, max = 5))]
    pub level: At<i64>,
    /// Stage name, e.g. Start-up, Formative, Established, Strategic, Dynamic.
    pub name: At<LocalizedText>,
    /// Optional description of the stage.
    #[serde(default)]
    pub description: Option<LocalizedText>,
}

/// A pillar of the questionnaire.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PillarDoc {
    /// Identifier, unique in the file.
    pub id: At<String>,
    /// Title.
    pub title: At<LocalizedText>,
    /// A short name for charts and table headers (about 20 characters); the title when absent.
    #[serde(default)]
    pub short: Option<At<LocalizedText>>,
    /// Optional description.
    #[serde(default)]
    pub description: Option<LocalizedText>,
    /// Weight in the overall score (default 1).
    #[serde(default)]
    #[schemars(range(min = 0))]
    pub weight: Option<At<f64>>,
    /// The indicators of this pillar.
    #[schemars(length(min = 1))]
    pub indicators: Vec<IndicatorDoc>,
}

/// An indicator: a group of questions scored together.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct IndicatorDoc {
    /// Identifier, unique in the file.
    pub id: At<String>,
    /// The id this indicator had in an earlier version, so that rounds compare across a rename.
    #[serde(default)]
    pub replaces: Option<At<String>>,
    /// Title.
    pub title: At<LocalizedText>,
    /// A short name for charts and table headers (about 20 characters); the title when absent.
    #[serde(default)]
    pub short: Option<At<LocalizedText>>,
    /// Optional description.
    #[serde(default)]
    pub description: Option<LocalizedText>,
    /// Weight in its pillar's score (default 1).
    #[serde(default)]
    #[schemars(range(min = 0))]
    pub weight: Option<At<f64>>,
    /// The questions.
    #[schemars(length(min = 1))]
    pub questions: Vec<QuestionDoc>,
    /// What the indicator looks like at each stage 1..5.
    #[serde(default)]
    #[schemars(with = "DescriptorsSchema")]
    pub descriptors: BTreeMap<i64, At<LocalizedText>>,
}

/// The kinds of question.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum QuestionType {
    /// One option out of several, each on a maturity level.
    Choice,
    /// Any number of options, each worth points.
    Multi,
    /// Yes or no.
    Yesno,
    /// A number mapped to a level through bands.
    Number,
    /// Free text, recorded but not scored.
    Text,
}

impl fmt::Display for QuestionType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            QuestionType::Choice => "choice",
            QuestionType::Multi => "multi",
            QuestionType::Yesno => "yesno",
            QuestionType::Number => "number",
            QuestionType::Text => "text",
        })
    }
}

/// A question.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct QuestionDoc {
    /// Identifier, unique in the file; the key of the answer in response files.
    pub id: At<String>,
    /// The id this question had in an earlier version, so that rounds compare across a rename.
    #[serde(default)]
    pub replaces: Option<At<String>>,
    /// The question.
    pub text: At<LocalizedText>,
    /// Guidance shown on request.
    #[serde(default)]
    pub help: Option<At<LocalizedText>>,
    /// The kind of answer expected.
    #[serde(rename = "type")]
    pub kind: At<QuestionType>,
    /// Weight in its indicator's score (default 1).
    #[serde(default)]
    #[schemars(range(min = 0))]
    pub weight: Option<At<f64>>,
    /// Options of a `choice` or `multi` question.
    #[serde(default)]
    pub options: Vec<OptionDoc>,
    /// Bands of a `number` question: minimum value → level.
    #[serde(default)]
    pub bands: Vec<BandDoc>,
    /// Smallest valid answer of a `number` question.
    #[serde(default)]
    pub min: Option<At<f64>>,
    /// Largest valid answer of a `number` question.
    #[serde(default)]
    pub max: Option<At<f64>>,
    /// Crosswalk to other frameworks, e.g. `CMM-2021 D3.2`, `GCI-2024 Capacity Development`.
    #[serde(default)]
    pub refs: Vec<At<String>>,
    /// Ask only when an earlier question has a given answer.
    #[serde(default)]
    pub when: Option<ConditionDoc>,
}

/// An option of a `choice` or `multi` question.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OptionDoc {
    /// Identifier, unique in its question; written in response files.
    pub id: At<ScalarText>,
    /// Label shown to respondents.
    pub label: At<LocalizedText>,
    /// Maturity level 1..5 (`choice`).
    #[serde(default)]
    #[schemars(range(min = 1, max = 5))]
    pub level: Option<At<i64>>,
    /// Points (`multi`, default 1).
    #[serde(default)]
    #[schemars(range(min = 0))]
    pub points: Option<At<f64>>,
}

/// A band of a `number` question.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct BandDoc {
    /// The smallest value in this band.
    pub min: At<f64>,
    /// The maturity level 1..5 of values in this band.
    #[schemars(range(min = 1, max = 5))]
    pub level: At<i64>,
}

/// The condition under which a question is asked.
#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ConditionDoc {
    /// An earlier `choice`, `multi` or `yesno` question.
    pub question: At<String>,
    /// Holds when that question's answer is this option id (or `yes`/`no`).
    #[serde(default)]
    pub equals: Option<At<ScalarText>>,
    /// Holds when that question's answer is one of these.
    #[serde(default, rename = "in")]
    pub any_of: Option<At<Vec<At<ScalarText>>>>,
}

/// A response file: one country, round and respondent.
#[derive(Debug, PartialEq, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "cybercap response")]
pub struct ResponseDoc {
    /// The questionnaire answered, as `id@version`.
    #[schemars(regex(pattern = r"^[^@\s]+@[^@\s]+$"))]
    pub questionnaire: At<String>,
    /// ISO 3166-1 alpha-2 (or alpha-3) code; user-assigned codes (XA..XZ, QM..QZ, AA, ZZ) for other entities.
    #[schemars(regex(pattern = "^[A-Za-z]{2,3}$"))]
    pub country: At<String>,
    /// The assessment round, e.g. "2025".
    pub round: At<ScalarText>,
    /// Who answered.
    #[serde(default)]
    pub respondent: Option<RespondentDoc>,
    /// When the answers were submitted (RFC 3339).
    #[serde(default)]
    pub submitted: Option<At<ScalarText>>,
    /// Question id → answer.
    #[serde(default)]
    pub answers: AnswersDoc,
}

/// The person and organization that answered.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RespondentDoc {
    /// Name of the respondent (kept out of reports unless asked for).
    #[serde(default)]
    pub name: Option<String>,
    /// Organization, e.g. the national CERT.
    #[serde(default)]
    pub organization: Option<String>,
}

/// The answers of a response, in file order, each with the location of its key and its value.
#[derive(Debug, Default, PartialEq)]
pub struct AnswersDoc(pub Vec<(At<String>, At<AnswerDoc>)>);

/// One answer as written: a scalar, a list of option ids, or a map with value, note and evidence.
#[derive(Debug, Clone, PartialEq)]
pub enum AnswerDoc {
    /// Left empty: not answered yet.
    Empty,
    /// An option id, `yes`/`no`, `na`, `unknown`, or free text.
    Text(String),
    /// A boolean (`true`/`false`).
    Bool(bool),
    /// A number.
    Number(f64),
    /// A list of option ids (`multi`).
    List(Vec<At<ScalarText>>),
    /// The answer with its note and evidence.
    Detailed {
        /// The answer itself.
        value: Box<At<AnswerDoc>>,
        /// A note by the respondent.
        note: Option<String>,
        /// Links or references backing the answer.
        evidence: Vec<String>,
    },
}

/// A scalar read as text whatever its YAML type (`round: 2025` is the round "2025").
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ScalarText(pub String);

impl<'de> Deserialize<'de> for ScalarText {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct ScalarVisitor;

        impl Visitor<'_> for ScalarVisitor {
            type Value = ScalarText;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a single value (text or number)")
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(ScalarText(v.to_owned()))
            }

            fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
                Ok(ScalarText(v))
            }

            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
                Ok(ScalarText(v.to_string()))
            }

            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
                Ok(ScalarText(v.to_string()))
            }

            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
                Ok(ScalarText(v.to_string()))
            }

            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
                Ok(ScalarText(if v { "yes" } else { "no" }.to_owned()))
            }
        }

        // As a string, so that `round: 2025.10` keeps its trailing zero.
        deserializer.deserialize_string(ScalarVisitor)
    }
}

impl JsonSchema for ScalarText {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "ScalarText".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({"type": ["string", "number"]})
    }
}

impl<'de> Deserialize<'de> for AnswersDoc {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct AnswersVisitor;

        impl<'de> Visitor<'de> for AnswersVisitor {
            type Value = AnswersDoc;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a map from question id to answer")
            }

            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(AnswersDoc::default())
            }

            fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Self::Value, A::Error> {
                let mut entries = Vec::new();
                while let Some(key) = access.next_key::<At<String>>()? {
                    let value = access.next_value::<At<AnswerDoc>>()?;
                    entries.push((key, value));
                }
                Ok(AnswersDoc(entries))
            }
        }

        deserializer.deserialize_any(AnswersVisitor)
    }
}

impl<'de> Deserialize<'de> for AnswerDoc {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct AnswerVisitor;

        impl<'de> Visitor<'de> for AnswerVisitor {
            type Value = AnswerDoc;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(
                    "an answer: an option id, yes/no, a number, a list of option ids, na, unknown, \
                     or a map with `value` and optional `note` and `evidence`",
                )
            }

            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(AnswerDoc::Empty)
            }

            fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(AnswerDoc::Empty)
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(AnswerDoc::Text(v.to_owned()))
            }

            fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
                Ok(AnswerDoc::Text(v))
            }

            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
                Ok(AnswerDoc::Bool(v))
            }

            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
                Ok(AnswerDoc::Number(v as f64))
            }

            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
                Ok(AnswerDoc::Number(v as f64))
            }

            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
                Ok(AnswerDoc::Number(v))
            }

            fn visit_seq<A: SeqAccess<'de>>(self, mut access: A) -> Result<Self::Value, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = access.next_element::<At<ScalarText>>()? {
                    items.push(item);
                }
                Ok(AnswerDoc::List(items))
            }

            fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<Self::Value, A::Error> {
                let mut value = None;
                let mut note = None;
                let mut evidence = Vec::new();
                while let Some(key) = access.next_key::<String>()? {
                    match key.as_str() {
                        "value" => value = Some(access.next_value::<At<AnswerDoc>>()?),
                        "note" => note = access.next_value::<Option<String>>()?,
                        "evidence" => {
                            evidence = access.next_value::<OneOrMany>()?.0;
                        }
                        other => {
                            return Err(de::Error::custom(format_args!(
                                "unknown key `{other}` in an answer; expected `value`, `note` or `evidence`"
                            )));
                        }
                    }
                }
                let value = value.ok_or_else(|| {
                    de::Error::custom("an answer written as a map needs a `value` key")
                })?;
                if matches!(value.value, AnswerDoc::Detailed { .. }) {
                    return Err(de::Error::custom(
                        "an answer's `value` cannot itself hold `value`, `note` or `evidence`",
                    ));
                }
                Ok(AnswerDoc::Detailed {
                    value: Box::new(value),
                    note,
                    evidence,
                })
            }
        }

        deserializer.deserialize_any(AnswerVisitor)
    }
}

/// `evidence` may be one link or a list of links.
struct OneOrMany(Vec<String>);

impl<'de> Deserialize<'de> for OneOrMany {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct OneOrManyVisitor;

        impl<'de> Visitor<'de> for OneOrManyVisitor {
            type Value = OneOrMany;

            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a link or a list of links")
            }

            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(OneOrMany(Vec::new()))
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(OneOrMany(vec![v.to_owned()]))
            }

            fn visit_seq<A: SeqAccess<'de>>(self, mut access: A) -> Result<Self::Value, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = access.next_element::<String>()? {
                    items.push(item);
                }
                Ok(OneOrMany(items))
            }
        }

        deserializer.deserialize_any(OneOrManyVisitor)
    }
}

impl JsonSchema for AnswersDoc {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Answers".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        let scalar = json_schema!({
            "anyOf": [
                {"type": "null"},
                {"type": "string", "description": "option id, yes/no, na (not applicable), unknown (does not know), or free text"},
                {"type": "boolean"},
                {"type": "number"},
                {"type": "array", "items": {"type": ["string", "number"]}, "description": "option ids of a multi question"}
            ]
        });
        json_schema!({
            "description": "Question id → answer.",
            "type": ["object", "null"],
            "additionalProperties": {
                "anyOf": [
                    scalar.clone(),
                    {"type": "object",
                     "required": ["value"],
                     "additionalProperties": false,
                     "properties": {
                         "value": scalar,
                         "note": {"type": ["string", "null"]},
                         "evidence": {"anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}, {"type": "null"}]}
                     }}
                ]
            }
        })
    }
}

/// Schema of `descriptors`: stage level 1..5 → text.
struct DescriptorsSchema;

impl JsonSchema for DescriptorsSchema {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "Descriptors".into()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let text = generator.subschema_for::<LocalizedText>();
        json_schema!({
            "description": "What the indicator looks like at each stage, keyed by level 1..5.",
            "type": "object",
            "propertyNames": {"pattern": "^[1-5]$"},
            "additionalProperties": text
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Deserialize)]
    struct Probe {
        round: ScalarText,
        country: String,
        flag: ScalarText,
    }

    #[test]
    fn scalars_keep_their_text() {
        let p: Probe = serde_saphyr::from_str("round: 2025.10\ncountry: NO\nflag: yes\n").unwrap();
        assert_eq!(p.round.0, "2025.10");
        assert_eq!(p.country, "NO");
        assert_eq!(p.flag.0, "yes");
        let p: Probe = serde_saphyr::from_str("round: 2025\ncountry: 'CO'\nflag: true\n").unwrap();
        assert_eq!(p.round.0, "2025");
        assert_eq!(p.country, "CO");
        assert_eq!(p.flag.0, "true");
    }
}
