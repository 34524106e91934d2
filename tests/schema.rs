//! `schema` describes the formats: the built-in questionnaire and every sample response validate.

mod common;

use std::path::Path;

use common::run;
use serde_json::Value;

fn compile(kind: &str) -> (boon::Schemas, boon::SchemaIndex) {
    let (code, stdout, stderr) = run(&["schema", kind]);
    assert_eq!(code, 0, "{stderr}");
    let schema: Value = serde_json::from_str(&stdout).unwrap();
    let mut schemas = boon::Schemas::new();
    let mut compiler = boon::Compiler::new();
    let url = format!("urn:cybercap:{kind}");
    compiler.add_resource(&url, schema).unwrap();
    let index = compiler.compile(&url, &mut schemas).unwrap();
    (schemas, index)
}

/// YAML as JSON, the way an editor's YAML language server hands it to a JSON Schema.
fn yaml_as_json(text: &str) -> Value {
    serde_saphyr::from_str(text).unwrap()
}

#[test]
fn the_built_in_questionnaire_matches_the_questionnaire_schema() {
    let (schemas, index) = compile("questionnaire");
    let path =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("questionnaires/eu-lac-cyber-capacity.yaml");
    let doc = yaml_as_json(&std::fs::read_to_string(path).unwrap());
    if let Err(e) = schemas.validate(&doc, index) {
        panic!("{e:#}");
    }
    // The schema is not vacuous: a questionnaire without pillars fails.
    let mut broken = doc.clone();
    broken.as_object_mut().unwrap().remove("pillars");
    assert!(schemas.validate(&broken, index).is_err());
}

#[test]
fn every_sample_response_matches_the_response_schema() {
    let (schemas, index) = compile("response");
    let dir = tempfile::tempdir().unwrap();
    let (responses, _) = common::write_samples(dir.path());
    let mut checked = 0;
    for entry in std::fs::read_dir(responses).unwrap() {
        let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
        let doc = yaml_as_json(&text);
        if let Err(e) = schemas.validate(&doc, index) {
            panic!("{e:#}\n{text}");
        }
        checked += 1;
    }
    assert_eq!(checked, 52);
    let wrong: Value = serde_json::json!({"questionnaire": "a@1", "country": "XA", "round": "1", "answers": {"q": {"note": "no value"}}});
    assert!(schemas.validate(&wrong, index).is_err());
}
