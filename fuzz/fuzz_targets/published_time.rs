//! The dual-time judge on any text in `time:`: a diagnostic or an event, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use syllabus_ics::source::SourceFile;

fuzz_target!(|data: &[u8]| {
    let Ok(time) = std::str::from_utf8(data) else {
        return;
    };
    // Double-quoted YAML holds any text once `\` and `"` are escaped and breaks are spelled.
    let quoted: String = time
        .chars()
        .map(|c| match c {
            '\\' => "\\\\".to_owned(),
            '"' => "\\\"".to_owned(),
            c if c.is_control() || matches!(c, '\u{feff}' | '\u{fffe}' | '\u{ffff}') => {
                format!("\\U{:08x}", u32::from(c))
            }
            c => c.to_string(),
        })
        .collect();
    let text = format!(
        "calendar:\n  id: f\n  name: F\n  timezone: America/Los_Angeles\n  year: 2024\n  zones:\n    PST: America/Los_Angeles\n    PDT: America/Los_Angeles\n    BJT: Asia/Shanghai\n    IST: Asia/Kolkata\nsessions:\n  - id: s\n    topic: t\n    time: \"{quoted}\"\n"
    );
    let source = SourceFile::new("schedule.yaml", text);
    let checked = syllabus_ics::check(&source);
    assert!(!checked.unparsable, "{:?}", checked.diagnostics);
});
