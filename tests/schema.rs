//! The JSON Schema editors use for schedule.yaml: the committed copy is the one the code
//! generates, the bundled schedule passes it, and it catches what the loader would reject.

use std::path::Path;

use serde_json::Value;
use syllabus_ics::source::SourceFile;

const MODELINE: &str = "# yaml-language-server: $schema=schedule.schema.json";

fn repo_file(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(name);
    std::fs::read_to_string(&path)
        .unwrap_or_else(|error| panic!("could not read `{}`: {error}", path.display()))
}

/// YAML as the JSON value an editor validates. Editors read YAML 1.2, where `yes`, `no`, `on`
/// and `off` are text, not booleans.
fn yaml(text: &str) -> Value {
    let options = serde_saphyr::options! { strict_booleans: true };
    serde_saphyr::from_str_with_options(text, options).expect("the test schedule is YAML")
}

/// Every way `schedule` breaks the committed schema, as `path: message` lines.
fn problems(schedule: &Value) -> Vec<String> {
    let schema: Value =
        serde_json::from_str(&repo_file("schedule.schema.json")).expect("the schema is JSON");
    let validator = jsonschema::validator_for(&schema).expect("the schema is a valid schema");
    validator
        .iter_errors(schedule)
        .map(|error| format!("{}: {error}", error.instance_path()))
        .collect()
}

/// A schedule with one session, whose fields are `session` (indented for the list).
fn schedule_with_session(session: &str) -> String {
    format!(
        "calendar:\n  id: demo\n  name: Demo\n  timezone: America/Los_Angeles\n  year: 2024\n  zones: {{ PDT: America/Los_Angeles }}\n\nsessions:\n  - id: one\n{session}"
    )
}

#[test]
fn the_committed_schema_is_current() {
    let committed = repo_file("schedule.schema.json");
    let generated = syllabus_ics::schema::json();
    let first_difference = committed
        .lines()
        .zip(generated.lines())
        .position(|(a, b)| a != b)
        .map_or(
            committed.lines().count().min(generated.lines().count()),
            |i| i,
        )
        + 1;
    assert!(
        committed == generated,
        "schedule.schema.json differs from the generated schema from line {first_difference}; \
         run `cargo run -- schema > schedule.schema.json`"
    );
}

#[test]
fn the_bundled_schedule_points_editors_at_the_schema() {
    let schedule = repo_file("schedule.yaml");
    assert_eq!(schedule.lines().next(), Some(MODELINE));
}

#[test]
fn the_bundled_schedule_validates_against_the_schema() {
    let schedule = yaml(&repo_file("schedule.yaml"));
    assert_eq!(problems(&schedule), Vec::<String>::new());
}

#[test]
fn a_typo_is_flagged_by_the_schema() {
    let schedule = yaml(&schedule_with_session(
        "    topc: Containers\n    time: \"APR. 15: 5:00pm PDT\"\n",
    ));
    assert_eq!(
        problems(&schedule),
        [
            "/sessions/0: \"topic\" is a required property",
            "/sessions/0: Additional properties are not allowed ('topc' was unexpected)",
        ]
    );
}

#[test]
fn every_written_form_of_a_session_validates() {
    let schedule = yaml(&schedule_with_session(
        "    topic: Containers
    time:
      - { date: 2024-04-15, time: \"17:00\", zone: PDT }
    prepare:
      - A title
      - https://example.org/a
      - { title: T, url: https://example.org/b, note: mainly Ch 2 }
    recording: https://example.org/r
    status: canceled
",
    ));
    assert_eq!(problems(&schedule), Vec::<String>::new());
}

/// The enums and the year range are written out in `load`'s attributes: every value the
/// schema offers must pass `check`, and the years just outside its range must not.
#[test]
fn the_schema_offers_only_values_the_checks_accept() {
    let schema: Value = serde_json::from_str(&syllabus_ics::schema::json()).expect("JSON");
    let offered = |pointer: &str| -> Vec<String> {
        schema
            .pointer(pointer)
            .and_then(Value::as_array)
            .unwrap_or_else(|| panic!("the schema has `{pointer}`"))
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect()
    };
    let errors = |text: String| -> Vec<String> {
        syllabus_ics::check(&SourceFile::new("schedule.yaml", text))
            .diagnostics
            .into_iter()
            .filter(|d| d.is_error())
            .map(|d| d.message)
            .collect()
    };
    let session = "    topic: T\n    time: TBD\n";
    for status in offered("/definitions/SessionDoc/properties/status/enum") {
        let text = schedule_with_session(&format!("{session}    status: {status}\n"));
        assert_eq!(errors(text), Vec::<String>::new(), "status `{status}`");
    }
    for cancelled in offered("/properties/calendar/properties/cancelled/enum") {
        let text = schedule_with_session(session)
            .replace("  year:", &format!("  cancelled: {cancelled}\n  year:"));
        assert_eq!(
            errors(text),
            Vec::<String>::new(),
            "cancelled `{cancelled}`"
        );
    }
    let years = &schema["properties"]["calendar"]["properties"]["year"];
    let (min, max) = (years["minimum"].as_i64(), years["maximum"].as_i64());
    let (Some(min), Some(max)) = (min, max) else {
        panic!("the schema bounds `year`: {years}");
    };
    let in_year = |year: i64| schedule_with_session(session).replace("2024", &year.to_string());
    assert_eq!(errors(in_year(min)), Vec::<String>::new());
    assert_eq!(errors(in_year(max)), Vec::<String>::new());
    assert_ne!(errors(in_year(min - 1)), Vec::<String>::new());
    assert_ne!(errors(in_year(max + 1)), Vec::<String>::new());
}
