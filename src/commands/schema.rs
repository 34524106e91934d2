//! `cybercap schema questionnaire|response`: the JSON Schema of a file format.

use cybercap::Error;
use cybercap::model::doc::{QuestionnaireDoc, ResponseDoc};

use super::Outcome;
use crate::cli::{SchemaArgs, SchemaKind};

/// Prints the schema.
pub fn run(args: SchemaArgs) -> Result<Outcome, Error> {
    let schema = match args.kind {
        SchemaKind::Questionnaire => schemars::schema_for!(QuestionnaireDoc),
        SchemaKind::Response => schemars::schema_for!(ResponseDoc),
        SchemaKind::Map => schemars::schema_for!(cybercap::import::map::MapDoc),
    };
    let text =
        serde_json::to_string_pretty(&schema).map_err(|e| Error::internal("the schema", e))?;
    super::print_out(format!("{text}\n").as_bytes())?;
    Ok(Outcome::Success)
}
