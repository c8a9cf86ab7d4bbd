//! The round-trip check: a rendered feed is read back with an independent parser (the
//! `icalendar` crate's) and every event's text must come back exactly as it went in.
//! `build` runs it before writing, so a feed that would not parse is never published.
//!
//! Each VEVENT is unfolded and parsed on its own, and the calendar around them (properties,
//! VTIMEZONE) as one calendar, so the check holds one event in memory at a time instead of
//! a parsed copy of the whole feed, and large feeds are read back on every core.

use std::borrow::Cow;
use std::ops::Range;

use icalendar::parser;

use crate::event::Event;

/// Below this many events the feed is read back on one thread: starting threads would
/// cost more than they save.
const EVENTS_PER_THREAD: usize = 512;

/// What differs between the events and the feed read back, if anything.
pub fn roundtrip(ics: &str, events: &[Event]) -> Result<(), String> {
    let blocks = vevent_blocks(ics)?;
    let mut frame = String::with_capacity(ics.len().min(1 << 16));
    let mut end = 0;
    for block in &blocks {
        frame.push_str(&ics[end..block.start]);
        end = block.end;
    }
    frame.push_str(&ics[end..]);
    let unfolded = unfold(&frame);
    let calendar =
        parser::read_calendar(&unfolded).map_err(|e| format!("the feed does not parse: {e}"))?;
    let stray = calendar
        .components
        .iter()
        .filter(|c| c.name.as_str() == "VEVENT")
        .count();
    if blocks.len() + stray != events.len() {
        return Err(format!(
            "{} events rendered but {} read back",
            events.len(),
            blocks.len() + stray
        ));
    }
    let blocks: Vec<&str> = blocks.into_iter().map(|range| &ics[range]).collect();
    let threads = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .min(events.len() / EVENTS_PER_THREAD)
        .max(1);
    if threads == 1 {
        return compare_all(&blocks, events);
    }
    // Contiguous shares, one per thread; the first difference in feed order is reported,
    // so the message does not depend on the number of cores.
    let share = events.len().div_ceil(threads);
    let results: Vec<Result<(), String>> = std::thread::scope(|scope| {
        let workers: Vec<_> = blocks
            .chunks(share)
            .zip(events.chunks(share))
            .map(|(blocks, events)| scope.spawn(move || compare_all(blocks, events)))
            .collect();
        workers
            .into_iter()
            .map(|worker| {
                worker
                    .join()
                    .unwrap_or_else(|_| Err("the read-back check failed".to_owned()))
            })
            .collect()
    });
    results.into_iter().collect()
}

/// Checks the physical lines (CRLF-terminated, at most 75 octets) and finds every
/// `BEGIN:VEVENT` ... `END:VEVENT` block. A folded line continues with a space, so a physical
/// line that reads `BEGIN:VEVENT` always begins a component.
fn vevent_blocks(ics: &str) -> Result<Vec<Range<usize>>, String> {
    let mut blocks = Vec::new();
    let mut open: Option<usize> = None;
    let mut start = 0;
    let mut number = 0;
    while start < ics.len() {
        number += 1;
        let rest = &ics[start..];
        let Some(newline) = rest.find('\n') else {
            return Err(format!("line {number} does not end in CRLF"));
        };
        let Some(line) = rest[..newline].strip_suffix('\r') else {
            return Err(format!("line {number} does not end in CRLF"));
        };
        if line.len() > 75 {
            return Err(format!("line {number} is {} octets long", line.len()));
        }
        let next = start + newline + 1;
        match line {
            "BEGIN:VEVENT" if open.is_none() => open = Some(start),
            "END:VEVENT" => {
                if let Some(begin) = open.take() {
                    blocks.push(begin..next);
                }
            }
            _ => {}
        }
        start = next;
    }
    match open {
        Some(_) => Err("the feed does not parse: a VEVENT is never closed".to_owned()),
        None => Ok(blocks),
    }
}

fn compare_all(blocks: &[&str], events: &[Event]) -> Result<(), String> {
    blocks
        .iter()
        .zip(events)
        .try_for_each(|(block, event)| compare(block, event))
}

/// Parses one VEVENT block and compares its text properties with the event.
fn compare(block: &str, event: &Event) -> Result<(), String> {
    let unfolded = unfold(block);
    // The parser with plain errors is several times faster than the one that explains them;
    // the explaining one runs only to word a failure.
    let components = match parser::read_calendar_simple(&unfolded) {
        Ok(components) => components,
        Err(_) => {
            let problem = parser::read_components(&unfolded)
                .err()
                .unwrap_or_else(|| "it parses only with detailed errors".to_owned());
            return Err(format!(
                "the feed does not parse: event `{}`: {problem}",
                event.uid
            ));
        }
    };
    let [component] = components.as_slice() else {
        return Err(format!(
            "event `{}` reads back as {} components",
            event.uid,
            components.len()
        ));
    };
    if component.name.as_str() != "VEVENT" {
        return Err(format!(
            "event `{}` reads back as a {}",
            event.uid,
            component.name.as_str()
        ));
    }
    let expected = [
        ("UID", Some(Cow::Borrowed(event.uid.as_str()))),
        ("SUMMARY", Some(Cow::Borrowed(event.summary.as_str()))),
        ("DESCRIPTION", Some(Cow::Owned(event.description()))),
        ("X-ALT-DESC", Some(Cow::Owned(event.description_html()))),
        ("LOCATION", event.location.map(Cow::Borrowed)),
    ];
    for (name, want) in expected {
        // The parser has already unescaped these TEXT values; unescaping them again would
        // turn a written `\n` (a backslash, then n) into a line break.
        let got = component.find_prop(name).map(|p| p.val.clone());
        let want = want.as_deref().map(clean);
        if got.as_ref().map(|g| g.as_str()) != want.as_deref() {
            return Err(format!(
                "{name} of `{}` reads back as {:?}, not {:?}",
                event.uid,
                got.as_ref().map(|g| g.as_str()),
                want.as_deref()
            ));
        }
    }
    Ok(())
}

/// RFC 5545 §3.1: a CRLF followed by one space or tab is removed. The lines were checked to
/// end in CRLF, so a bare LF never occurs here.
fn unfold(folded: &str) -> String {
    let mut out = String::with_capacity(folded.len());
    let mut rest = folded;
    while let Some(at) = rest.find('\r') {
        let after = &rest[at + 1..];
        if after.starts_with("\n ") || after.starts_with("\n\t") {
            out.push_str(&rest[..at]);
            rest = &after[2..];
        } else {
            out.push_str(&rest[..=at]);
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

/// What the writer keeps of a text: CRLF becomes LF, other control characters go.
fn clean(text: &str) -> Cow<'_, str> {
    let kept = |c: &char| !c.is_control() || *c == '\n' || *c == '\t';
    if text.chars().all(|c| kept(&c)) {
        Cow::Borrowed(text)
    } else {
        // A lone CR is dropped like any control character, so CRLF becomes LF.
        Cow::Owned(text.chars().filter(kept).collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_are_found_at_line_starts_only() {
        let ics = "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nSUMMARY:a\r\n BEGIN:VEVENT\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
        let blocks = vevent_blocks(ics).unwrap();
        assert_eq!(
            blocks.iter().map(|b| &ics[b.clone()]).collect::<Vec<_>>(),
            ["BEGIN:VEVENT\r\nSUMMARY:a\r\n BEGIN:VEVENT\r\nEND:VEVENT\r\n"]
        );
    }

    #[test]
    fn a_bare_newline_or_a_long_line_is_refused() {
        assert_eq!(
            vevent_blocks("BEGIN:VCALENDAR\r\nX:y\nEND:VCALENDAR\r\n"),
            Err("line 2 does not end in CRLF".to_owned())
        );
        assert_eq!(
            vevent_blocks(&format!("X:{}\r\n", "a".repeat(74))),
            Err("line 1 is 76 octets long".to_owned())
        );
        assert_eq!(
            vevent_blocks("BEGIN:VCALENDAR"),
            Err("line 1 does not end in CRLF".to_owned())
        );
    }

    #[test]
    fn unfolding_removes_a_line_break_and_one_blank() {
        assert_eq!(unfold("A:b\r\n c\r\n\t d\r\nE:f\r\n"), "A:bc d\r\nE:f\r\n");
    }

    #[test]
    fn an_event_that_does_not_parse_is_named() {
        let source = crate::source::SourceFile::new(
            "schedule.yaml",
            "calendar:\n  id: t\n  name: T\n  timezone: America/Los_Angeles\n  year: 2024\n  zones:\n    PDT: America/Los_Angeles\nsessions:\n  - id: a\n    time: \"APR. 15: 5:00pm PDT\"\n    topic: Alpha\n",
        );
        let schedule = crate::check(&source).schedule.expect("a valid schedule");
        let events = crate::event::events(&schedule);
        let feed = crate::ics::render(&schedule, &events, chrono::DateTime::UNIX_EPOCH);
        assert_eq!(roundtrip(&feed, &events), Ok(()));
        let broken = feed.replacen("\r\nSUMMARY:Alpha\r\n", "\r\nSUMMARY Alpha\r\n", 1);
        let problem = roundtrip(&broken, &events).expect_err("a line without a colon");
        assert!(
            problem.starts_with("the feed does not parse: event `a@t`: "),
            "{problem}"
        );
        let renamed = feed.replacen("SUMMARY:Alpha", "SUMMARY:Beta", 1);
        assert_eq!(
            roundtrip(&renamed, &events),
            Err("SUMMARY of `a@t` reads back as Some(\"Beta\"), not Some(\"Alpha\")".to_owned())
        );
    }

    #[test]
    fn cleaning_drops_carriage_returns_and_controls_only() {
        assert!(matches!(clean("a\nb\tc"), Cow::Borrowed(_)));
        assert_eq!(clean("a\r\nb\u{7}c\u{85}d"), "a\nbcd");
    }
}
