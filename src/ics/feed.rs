//! Reads a published feed back with the `icalendar` crate's parser: for each event, its UID,
//! its revision (`SEQUENCE`, `DTSTAMP`, `LAST-MODIFIED`) and what it says, in a form two
//! feeds can be compared in. Knows nothing about files or schedules, and decides nothing.

use std::collections::HashSet;

use chrono::{DateTime, NaiveDateTime, Utc};
use icalendar::parser::{self, Component, Property};

use super::revision::Revision;

/// The properties whose change is a reschedule (the issue's "time, status, location,
/// summary"): a change to any of them raises SEQUENCE.
const SIGNIFICANT: [&str; 5] = ["DTSTART", "DTEND", "STATUS", "LOCATION", "SUMMARY"];

/// The properties that record a revision rather than say anything about the event.
const REVISION: [&str; 3] = ["SEQUENCE", "DTSTAMP", "LAST-MODIFIED"];

/// Deeper nesting than any feed has (VCALENDAR > VEVENT > VALARM); refused before parsing,
/// since the parser recurses once per level.
const MAX_DEPTH: usize = 8;

/// One event as a feed has it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct FeedEvent {
    pub(crate) uid: String,
    pub(crate) revision: Revision,
    /// Time (with TZID), status, location and title, sorted.
    pub(crate) significant: Vec<String>,
    /// Every property but the revision ones, and every nested component, in feed order.
    pub(crate) content: Vec<String>,
}

/// The events of a feed, in feed order, or what keeps it from being read.
pub(crate) fn events(text: &str) -> Result<Vec<FeedEvent>, String> {
    let unfolded = parser::unfold(text);
    let Some(first) = unfolded.lines().map(str::trim).find(|l| !l.is_empty()) else {
        return Err("it is empty".to_owned());
    };
    if !first.eq_ignore_ascii_case("BEGIN:VCALENDAR") {
        return Err(format!(
            "its first line is `{}`, not `BEGIN:VCALENDAR`",
            printable(first)
        ));
    }
    let mut depth = 0usize;
    for line in unfolded.lines() {
        if line.starts_with("BEGIN:") {
            depth += 1;
            if depth > MAX_DEPTH {
                return Err(format!("it nests components more than {MAX_DEPTH} deep"));
            }
        } else if line.starts_with("END:") {
            depth = depth.saturating_sub(1);
        }
    }
    let roots =
        parser::read_calendar_simple(&unfolded).map_err(|e| unparsable(&unfolded, e.input))?;
    let [root] = roots.as_slice() else {
        return Err(format!(
            "it has {} top-level components, not one",
            roots.len()
        ));
    };
    if !root.name.as_str().eq_ignore_ascii_case("VCALENDAR") {
        return Err(format!(
            "it starts with `BEGIN:{}`, not `BEGIN:VCALENDAR`",
            printable(root.name.as_str())
        ));
    }
    let mut seen = HashSet::new();
    let mut events = Vec::new();
    for (index, component) in root
        .components
        .iter()
        .filter(|c| c.name.as_str().eq_ignore_ascii_case("VEVENT"))
        .enumerate()
    {
        let event = event(component).map_err(|problem| match find(component, "UID") {
            Some(uid) => format!("event `{}` {problem}", printable(uid.val.as_str())),
            None => format!("event {} {problem}", index + 1),
        })?;
        if !seen.insert(event.uid.clone()) {
            return Err(format!(
                "event `{}` appears twice; a feed has one event per UID",
                printable(&event.uid)
            ));
        }
        events.push(event);
    }
    Ok(events)
}

fn event(component: &Component) -> Result<FeedEvent, String> {
    let uid = find(component, "UID")
        .map(|p| p.val.as_str().to_owned())
        .filter(|uid| !uid.is_empty())
        .ok_or("has no UID")?;
    let stamp = find(component, "DTSTAMP").ok_or("has no DTSTAMP")?;
    let sequence = match find(component, "SEQUENCE") {
        // RFC 5545 §3.8.7.4: without SEQUENCE, an event is at sequence 0.
        None => 0,
        Some(property) => sequence(property.val.as_str())?,
    };
    let last_modified = find(component, "LAST-MODIFIED")
        .map(|p| instant("LAST-MODIFIED", p.val.as_str()))
        .transpose()?;
    let revision = Revision {
        sequence,
        stamp: instant("DTSTAMP", stamp.val.as_str())?,
        last_modified,
    };
    let mut significant: Vec<String> = SIGNIFICANT
        .iter()
        .flat_map(|name| {
            component
                .properties
                .iter()
                .filter(move |p| p.name.as_str().eq_ignore_ascii_case(name))
                .map(line)
        })
        .collect();
    significant.sort();
    let mut content = Vec::new();
    lines(component, &mut content);
    Ok(FeedEvent {
        uid,
        revision,
        significant,
        content,
    })
}

/// A component's lines, its own revision properties left out.
fn lines(component: &Component, out: &mut Vec<String>) {
    out.extend(
        component
            .properties
            .iter()
            .filter(|p| {
                !REVISION
                    .iter()
                    .any(|r| p.name.as_str().eq_ignore_ascii_case(r))
            })
            .map(line),
    );
    for nested in &component.components {
        nested_lines(nested, out);
    }
}

/// A nested component (VALARM) whole, between its BEGIN and END.
fn nested_lines(component: &Component, out: &mut Vec<String>) {
    out.push(format!("BEGIN:{}", component.name.as_str()));
    out.extend(component.properties.iter().map(line));
    for nested in &component.components {
        nested_lines(nested, out);
    }
    out.push(format!("END:{}", component.name.as_str()));
}

/// `NAME;KEY=VALUE:value`, the name and keys in upper case and the value as the parser
/// gives it (TEXT unescaped), so two spellings of the same text compare equal.
fn line(property: &Property) -> String {
    let mut text = property.name.as_str().to_ascii_uppercase();
    for parameter in &property.params {
        text.push(';');
        text.push_str(&parameter.key.as_str().to_ascii_uppercase());
        if let Some(value) = &parameter.val {
            text.push('=');
            text.push_str(value.as_str());
        }
    }
    text.push(':');
    text.push_str(property.val.as_str());
    text
}

fn find<'a>(component: &'a Component, name: &str) -> Option<&'a Property<'a>> {
    component
        .properties
        .iter()
        .find(|p| p.name.as_str().eq_ignore_ascii_case(name))
}

/// RFC 5545 §3.3.8: an INTEGER, here 0 to 2147483647.
fn sequence(value: &str) -> Result<u32, String> {
    value
        .trim()
        .parse::<u32>()
        .ok()
        .filter(|n| i32::try_from(*n).is_ok())
        .ok_or_else(|| {
            format!(
                "has SEQUENCE `{}`, not a whole number from 0 to 2147483647",
                printable(value)
            )
        })
}

/// RFC 5545 §3.8.7.2/§3.8.7.3: DTSTAMP and LAST-MODIFIED are UTC, `20240101T000000Z`.
/// Only that exact form is read, so writing it again gives the same bytes.
fn instant(name: &str, value: &str) -> Result<DateTime<Utc>, String> {
    NaiveDateTime::parse_from_str(value, "%Y%m%dT%H%M%SZ")
        .ok()
        .map(|t| t.and_utc())
        .filter(|t| super::utc(*t) == value)
        .ok_or_else(|| {
            format!(
                "has {name} `{}`, not a UTC time like `20240101T000000Z`",
                printable(value)
            )
        })
}

/// Where the parser stopped, from its report (which otherwise quotes the input at length).
/// Its line numbers count unfolded lines, so the place is "near" a line of the file.
fn unparsable(text: &str, rest: &str) -> String {
    // The parser's error holds the input it could not read: a suffix of `text`, so where it
    // starts is where reading stopped. Its message text is not ours to depend on.
    let at = text.len().saturating_sub(rest.len());
    let line = text
        .get(..at)
        .map_or(1, |read| read.matches('\n').count() + 1);
    format!("it does not parse as iCalendar near line {line}")
}

/// Text from the feed, safe to print: control characters shown escaped, at most 80 chars.
pub(crate) fn printable(text: &str) -> String {
    let mut out = String::new();
    for (count, c) in text.chars().enumerate() {
        if count == 80 {
            out.push('…');
            break;
        }
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn feed(events: &str) -> String {
        format!("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n{events}END:VCALENDAR\r\n")
    }

    const EVENT: &str = "BEGIN:VEVENT\r\nUID:a@cal\r\nDTSTAMP:20240101T000000Z\r\n\
        LAST-MODIFIED:20240301T120000Z\r\nDTSTART;TZID=Europe/Berlin:20240415T170000\r\n\
        SUMMARY:Containers\\, part 1\r\nSEQUENCE:3\r\nDESCRIPTION:Read this\r\nEND:VEVENT\r\n";

    #[test]
    fn an_event_reads_as_its_uid_revision_and_content() {
        let events = events(&feed(EVENT)).unwrap();
        assert_eq!(
            events,
            vec![FeedEvent {
                uid: "a@cal".to_owned(),
                revision: Revision {
                    sequence: 3,
                    stamp: "2024-01-01T00:00:00Z".parse().unwrap(),
                    last_modified: Some("2024-03-01T12:00:00Z".parse().unwrap()),
                },
                significant: vec![
                    "DTSTART;TZID=Europe/Berlin:20240415T170000".to_owned(),
                    "SUMMARY:Containers, part 1".to_owned(),
                ],
                content: vec![
                    "UID:a@cal".to_owned(),
                    "DTSTART;TZID=Europe/Berlin:20240415T170000".to_owned(),
                    "SUMMARY:Containers, part 1".to_owned(),
                    "DESCRIPTION:Read this".to_owned(),
                ],
            }]
        );
    }

    #[test]
    fn an_event_without_sequence_is_at_sequence_0() {
        let event = EVENT.replace("SEQUENCE:3\r\n", "");
        assert_eq!(events(&feed(&event)).unwrap()[0].revision.sequence, 0);
    }

    #[test]
    fn problems_name_the_event_and_the_value() {
        let cases = [
            (EVENT.replace("UID:a@cal\r\n", ""), "event 1 has no UID"),
            (
                EVENT.replace("DTSTAMP:20240101T000000Z\r\n", ""),
                "event `a@cal` has no DTSTAMP",
            ),
            (
                EVENT.replace("SEQUENCE:3", "SEQUENCE:-1"),
                "event `a@cal` has SEQUENCE `-1`, not a whole number from 0 to 2147483647",
            ),
            (
                EVENT.replace("20240101T000000Z", "20240101T000000"),
                "event `a@cal` has DTSTAMP `20240101T000000`, not a UTC time like `20240101T000000Z`",
            ),
            (
                EVENT.replace("20240301T120000Z", "2024-03-01"),
                "event `a@cal` has LAST-MODIFIED `2024-03-01`, not a UTC time like `20240101T000000Z`",
            ),
            (
                format!("{EVENT}{EVENT}"),
                "event `a@cal` appears twice; a feed has one event per UID",
            ),
        ];
        for (events_text, problem) in cases {
            assert_eq!(events(&feed(&events_text)), Err(problem.to_owned()));
        }
    }

    #[test]
    fn text_that_is_not_a_feed_is_refused() {
        assert_eq!(events(""), Err("it is empty".to_owned()));
        assert_eq!(
            events("BEGIN:VEVENT\r\nUID:a\r\nEND:VEVENT\r\n"),
            Err("its first line is `BEGIN:VEVENT`, not `BEGIN:VCALENDAR`".to_owned())
        );
        assert_eq!(
            events("<!DOCTYPE html>\n<title>404</title>\n"),
            Err("its first line is `<!DOCTYPE html>`, not `BEGIN:VCALENDAR`".to_owned())
        );
        assert_eq!(
            events("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VEVENT\r\n"),
            Err("it does not parse as iCalendar near line 3".to_owned())
        );
        let deep = "BEGIN:VCALENDAR\r\n".repeat(100_000);
        assert_eq!(
            events(&deep),
            Err("it nests components more than 8 deep".to_owned())
        );
    }

    #[test]
    fn printed_values_cannot_carry_control_characters() {
        assert_eq!(printable("a\u{1b}[31mb"), "a\\u{1b}[31mb");
    }
}
