//! The loader and checker on any bytes: a diagnostic or a schedule, never a panic; the fast
//! YAML reader reads what serde-saphyr reads (or declines); every report format renders; a
//! schedule without errors renders to a feed that reads back.
#![no_main]

use libfuzzer_sys::fuzz_target;
use syllabus_ics::source::SourceFile;
use syllabus_ics::{event, ics, report};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let source = SourceFile::new("schedule.yaml", text);
    assert!(syllabus_ics::readers_agree(&source));
    let checked = syllabus_ics::check(&source);
    for diagnostic in &checked.diagnostics {
        if let Some(span) = diagnostic.span {
            assert!(span.start <= span.end && span.end <= source.text.len());
        }
    }
    report::human(&checked.diagnostics, &source, true);
    report::json(&checked.diagnostics, &source);
    report::github(&checked.diagnostics, &source);
    if checked.diagnostics.iter().any(|d| d.is_error()) {
        return;
    }
    if let Some(schedule) = &checked.schedule {
        let events = event::events(schedule);
        let stamp = chrono::DateTime::UNIX_EPOCH;
        let feed = ics::render(schedule, &events, stamp);
        assert_eq!(ics::verify::roundtrip(&feed, &events), Ok(()));
    }
});
