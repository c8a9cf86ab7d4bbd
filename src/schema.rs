//! The JSON Schema of schedule.yaml, generated from `load`'s types so that it cannot drift
//! from what the loader accepts; editors use it through the `yaml-language-server` modeline
//! to complete fields and flag typos. Knows shapes and fixed values only: zones, dates and
//! links are left to `check`, which stays the judge.

use schemars::Schema;
use schemars::generate::SchemaSettings;
use schemars::transform::RecursiveTransform;
use serde_json::{Map, Value};

use crate::load::Document;

/// The schema as pretty JSON with a trailing newline, the same bytes on every run.
///
/// Draft-07, the newest draft the YAML language server fully supports.
pub fn json() -> String {
    let schema = SchemaSettings::draft07()
        .with_transform(RecursiveTransform(unwrapped as fn(&mut Schema)))
        .into_generator()
        .into_root_schema_for::<Document>();
    format!("{:#}\n", sorted(schema.to_value()))
}

/// Doc comments are wrapped to fit the source; editors wrap hover text themselves, so a
/// description keeps only its paragraph breaks.
fn unwrapped(schema: &mut Schema) {
    if let Some(Value::String(text)) = schema.get_mut("description") {
        let paragraphs: Vec<String> = text
            .split("\n\n")
            .map(|paragraph| paragraph.replace('\n', " "))
            .collect();
        *text = paragraphs.join("\n\n");
    }
}

/// Keys in alphabetical order, whether or not serde_json keeps insertion order (its
/// `preserve_order` feature).
fn sorted(value: Value) -> Value {
    match value {
        Value::Object(map) => {
            let mut entries: Vec<(String, Value)> = map.into_iter().collect();
            entries.sort_by(|a, b| a.0.cmp(&b.0));
            Value::Object(
                entries
                    .into_iter()
                    .map(|(key, value)| (key, sorted(value)))
                    .collect::<Map<String, Value>>(),
            )
        }
        Value::Array(items) => Value::Array(items.into_iter().map(sorted).collect()),
        other => other,
    }
}
