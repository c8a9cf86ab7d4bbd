//! Writes an imported schedule as schedule.yaml text, in the layout of the README: readable,
//! in table order, every string double-quoted with YAML escapes so that no value can be read
//! as a number, a boolean, a comment or another key. Does not parse YAML (that is `load`'s job,
//! and `import` reads its own output back with it).

use std::fmt::Write as _;

use chrono_tz::Tz;

use crate::schedule::{Item, ZoneLabel};

/// The calendar settings to write.
#[derive(Clone, Debug)]
pub(crate) struct Calendar {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) timezone: Tz,
    pub(crate) year: i32,
    pub(crate) meeting: Option<String>,
    pub(crate) zones: Vec<ZoneLabel>,
}

/// One session to write.
#[derive(Clone, Debug, Default)]
pub(crate) struct Session {
    pub(crate) id: String,
    /// Comment lines written above the session, e.g. the fix for a stale half.
    pub(crate) comments: Vec<String>,
    /// As published; `None` is written `TBD`.
    pub(crate) time: Option<String>,
    pub(crate) topic: String,
    pub(crate) presenter: Option<String>,
    pub(crate) prepare: Vec<Item>,
    pub(crate) additional: Vec<Item>,
    pub(crate) reflection: Option<Item>,
    pub(crate) notes: Vec<Item>,
    pub(crate) recording: Option<Item>,
    pub(crate) links: Vec<Item>,
    pub(crate) cancelled: bool,
    pub(crate) location: Option<String>,
}

/// The whole file: header comments, `calendar`, then `sessions`.
pub(crate) fn render(header: &[String], calendar: &Calendar, sessions: &[Session]) -> String {
    let mut out = String::new();
    for line in header {
        comment(&mut out, "", line);
    }
    out.push_str("calendar:\n");
    field(&mut out, "  ", "id", &calendar.id);
    field(&mut out, "  ", "name", &calendar.name);
    field(&mut out, "  ", "timezone", calendar.timezone.name());
    let _ = writeln!(out, "  year: {}", calendar.year);
    if let Some(meeting) = &calendar.meeting {
        field(&mut out, "  ", "meeting", meeting);
    }
    out.push_str("  zones:\n");
    for zone in &calendar.zones {
        let _ = writeln!(
            out,
            "    {}: {}",
            quote(&zone.label),
            quote(zone.zone.name())
        );
    }
    if sessions.is_empty() {
        out.push_str("\nsessions: []\n");
        return out;
    }
    out.push_str("\nsessions:\n");
    for (index, session) in sessions.iter().enumerate() {
        if index > 0 {
            out.push('\n');
        }
        write_session(&mut out, session);
    }
    out
}

fn write_session(out: &mut String, session: &Session) {
    for line in &session.comments {
        comment(out, "  ", line);
    }
    let _ = writeln!(out, "  - id: {}", quote(&session.id));
    let indent = "    ";
    field(
        out,
        indent,
        "time",
        session.time.as_deref().unwrap_or("TBD"),
    );
    field(out, indent, "topic", &session.topic);
    if let Some(presenter) = &session.presenter {
        field(out, indent, "presenter", presenter);
    }
    list(out, indent, "prepare", &session.prepare);
    list(out, indent, "additional", &session.additional);
    if let Some(item) = &session.reflection {
        single(out, indent, "reflection", item);
    }
    list(out, indent, "notes", &session.notes);
    if let Some(item) = &session.recording {
        single(out, indent, "recording", item);
    }
    list(out, indent, "links", &session.links);
    if session.cancelled {
        field(out, indent, "status", "cancelled");
    }
    if let Some(location) = &session.location {
        field(out, indent, "location", location);
    }
}

fn field(out: &mut String, indent: &str, key: &str, value: &str) {
    let _ = writeln!(out, "{indent}{key}: {}", quote(value));
}

/// A comment line; anything that could end it early is made a space.
fn comment(out: &mut String, indent: &str, text: &str) {
    let text: String = text
        .chars()
        .map(|c| {
            if c.is_control() || is_break(c) {
                ' '
            } else {
                c
            }
        })
        .collect();
    let _ = writeln!(out, "{indent}# {}", text.trim_end());
}

/// An item as one string when that says it all (a title, or a link), else as a map.
fn short_form(item: &Item) -> Option<&str> {
    match (&item.title, &item.url, &item.note) {
        (Some(title), None, None) if !is_link(title) => Some(title),
        (None, Some(url), None) => Some(url),
        _ => None,
    }
}

/// Whether `load` would read a bare string as a link rather than a title.
fn is_link(text: &str) -> bool {
    let lower = text.trim_start().to_ascii_lowercase();
    lower.starts_with("http://") || lower.starts_with("https://")
}

fn list(out: &mut String, indent: &str, key: &str, items: &[Item]) {
    if items.is_empty() {
        return;
    }
    let _ = writeln!(out, "{indent}{key}:");
    for item in items {
        match short_form(item) {
            Some(text) => {
                let _ = writeln!(out, "{indent}  - {}", quote(text));
            }
            None => map(
                out,
                &format!("{indent}  - "),
                &format!("{indent}    "),
                item,
            ),
        }
    }
}

fn single(out: &mut String, indent: &str, key: &str, item: &Item) {
    match short_form(item) {
        Some(text) => field(out, indent, key, text),
        None => {
            let _ = writeln!(out, "{indent}{key}:");
            let inner = format!("{indent}  ");
            map(out, &inner, &inner, item);
        }
    }
}

/// `title`, `url` and `note` lines; the first starts with `first`, the others with `rest`.
fn map(out: &mut String, first: &str, rest: &str, item: &Item) {
    let fields = [
        ("title", &item.title),
        ("url", &item.url),
        ("note", &item.note),
    ];
    let mut prefix = first;
    for (key, value) in fields {
        if let Some(value) = value {
            field(out, prefix, key, value);
            prefix = rest;
        }
    }
}

/// A YAML double-quoted scalar. Escapes `"` and `\`, and writes every character YAML does
/// not allow as is (controls, line and paragraph separators, the byte-order mark,
/// non-characters) as an escape, so the value reads back exactly and stays on one line.
pub(crate) fn quote(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\0' => out.push_str("\\0"),
            c if c.is_control()
                || is_break(c)
                || matches!(c, '\u{feff}' | '\u{fffe}' | '\u{ffff}') =>
            {
                let code = u32::from(c);
                let _ = if code <= 0xff {
                    write!(out, "\\x{code:02X}")
                } else {
                    write!(out, "\\u{code:04X}")
                };
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Characters some YAML readers take as line breaks.
fn is_break(c: char) -> bool {
    matches!(c, '\u{85}' | '\u{2028}' | '\u{2029}')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::SourceFile;

    #[test]
    fn quoting_escapes_what_yaml_reads_as_syntax() {
        assert_eq!(quote("plain"), "\"plain\"");
        assert_eq!(quote("a \"b\" \\ c"), "\"a \\\"b\\\" \\\\ c\"");
        assert_eq!(quote("x\ny\tz\u{7}\u{2028}"), "\"x\\ny\\tz\\x07\\u2028\"");
    }

    fn calendar() -> Calendar {
        Calendar {
            id: "club".into(),
            name: "Club: \"2024\" # weekly".into(),
            timezone: Tz::America__Los_Angeles,
            year: 2024,
            meeting: Some("https://zoom.us/j/1?pwd=a#b".into()),
            zones: vec![ZoneLabel {
                label: "PST".into(),
                zone: Tz::America__Los_Angeles,
            }],
        }
    }

    #[test]
    fn every_awkward_string_reads_back_as_written() {
        let awkward = [
            "null",
            "true",
            "~",
            "0x1F",
            "1e3",
            "- dash",
            "? key",
            ": colon",
            "#hash",
            "a: b",
            "a #b",
            "&anchor",
            "*alias",
            "!tag",
            "%directive",
            "@at",
            "`tick",
            "'single'",
            "\"double\"",
            "back\\slash",
            "{flow}",
            "[seq]",
            "|",
            ">",
            "café ☕ 你好",
            "trailing space ",
            "https://example.org/title",
        ];
        let note = "line one\nline two\twith a tab \\ and \"quotes\"";
        let sessions: Vec<Session> = awkward
            .iter()
            .enumerate()
            .map(|(i, text)| Session {
                id: format!("s-{i}"),
                topic: (*text).to_owned(),
                presenter: Some((*text).to_owned()),
                notes: vec![Item {
                    title: Some((*text).to_owned()),
                    url: None,
                    note: Some(note.to_owned()),
                }],
                ..Session::default()
            })
            .collect();
        let text = render(
            &["a comment\nthat tries to end".into()],
            &calendar(),
            &sessions,
        );
        let checked = crate::check(&SourceFile::new("schedule.yaml", text.clone()));
        assert!(
            checked.diagnostics.is_empty(),
            "{:#?}\n{text}",
            checked.diagnostics
        );
        let schedule = checked.schedule.expect("the schedule reads back");
        assert_eq!(schedule.calendar.name, "Club: \"2024\" # weekly");
        assert_eq!(
            schedule.calendar.meeting.as_deref(),
            Some("https://zoom.us/j/1?pwd=a#b")
        );
        for (session, text) in schedule.sessions.iter().zip(awkward) {
            assert_eq!(session.topic, text.trim());
            assert_eq!(session.notes[0].title.as_deref(), Some(text.trim()));
            assert_eq!(session.notes[0].note.as_deref(), Some(note));
        }
    }

    #[test]
    fn items_are_short_when_a_string_says_it_all() {
        let session = Session {
            id: "a".into(),
            topic: "A".into(),
            prepare: vec![
                Item {
                    title: Some("Title only".into()),
                    ..Item::default()
                },
                Item {
                    url: Some("https://x.org".into()),
                    ..Item::default()
                },
            ],
            recording: Some(Item {
                title: Some("YouTube".into()),
                url: Some("https://youtu.be/x".into()),
                note: None,
            }),
            cancelled: true,
            ..Session::default()
        };
        let text = render(&[], &calendar(), &[session]);
        let sessions = &text[text.find("sessions:").unwrap()..];
        assert_eq!(
            sessions,
            "sessions:\n  - id: \"a\"\n    time: \"TBD\"\n    topic: \"A\"\n    prepare:\n      - \"Title only\"\n      - \"https://x.org\"\n    recording:\n      title: \"YouTube\"\n      url: \"https://youtu.be/x\"\n    status: \"cancelled\"\n"
        );
    }
}
