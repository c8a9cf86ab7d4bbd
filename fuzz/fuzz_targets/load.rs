//! The loader and checker on any bytes: a diagnostic or a schedule, never a panic; every
//! diagnostic's place lies within the input and on character boundaries; every report format
//! renders; a schedule without errors renders to a feed that reads back.
#![no_main]

use libfuzzer_sys::fuzz_target;
use syllabus_ics::source::SourceFile;
use syllabus_ics::{event, ics, report};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let source = SourceFile::new("schedule.yaml", text);
    let checked = syllabus_ics::check(&source);
    for diagnostic in &checked.diagnostics {
        if let Some(span) = diagnostic.span {
            assert!(span.start <= span.end && span.end <= source.text.len());
            assert!(source.text.is_char_boundary(span.start));
            assert!(source.text.is_char_boundary(span.end));
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
