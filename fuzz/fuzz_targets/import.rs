//! The markdown importer on any table: never a panic; YAML it writes loads back, and loads
//! back clean when the import reported no error.
#![no_main]

use std::io::Write;

use libfuzzer_sys::fuzz_target;
use syllabus_ics::source::SourceFile;

fuzz_target!(|data: &[u8]| {
    let mut file = tempfile::NamedTempFile::new().expect("a temporary file");
    file.write_all(data).expect("the table is written");
    let options = syllabus_ics::commands::import::Options {
        table: file.path().to_owned(),
        year: Some(2024),
        ..Default::default()
    };
    let outcome = syllabus_ics::commands::import::run(&options, &syllabus_ics::commands::Context::default());
    assert!(outcome.code <= 2);
    if outcome.stdout.is_empty() {
        return;
    }
    let yaml = String::from_utf8(outcome.stdout).expect("YAML is text");
    let checked = syllabus_ics::check(&SourceFile::new("schedule.yaml", yaml));
    assert!(!checked.unparsable);
    if outcome.code == 0 {
        assert!(!checked.diagnostics.iter().any(|d| d.is_error()));
    }
});
