//! The round-trip check: a rendered feed is read back with an independent parser (the
//! `icalendar` crate's) and every event's text must come back exactly as it went in.
//! `build` runs it, through `ics::render_verified`, before writing, so a feed that would not
//! parse is never published.
//!
//! Each VEVENT is unfolded and parsed on its own, and the calendar around them (properties,
//! VTIMEZONE) as one calendar, so the check holds one event in memory at a time instead of
//! a parsed copy of the whole feed. `roundtrip` reads a finished feed back, on every core
//! when it is large; `render_verified` reads each VEVENT back right after writing it, on the
//! thread that wrote it, with the descriptions built to write it.

use std::borrow::Cow;
use std::ops::Range;

use icalendar::parser;

use rayon::prelude::*;

use super::description::Descriptions;
use crate::event::Event;

/// Below this many events the feed is read back on the calling thread: handing them to
/// other threads would cost more than it saves.
const PARALLEL_FROM: usize = 1024;

/// Events read back as one piece, on one thread.
const EVENTS_PER_PIECE: usize = 256;

/// What differs between the events and the feed read back, if anything.
pub fn roundtrip(ics: &str, events: &[Event]) -> Result<(), String> {
    let blocks = vevent_blocks(ics)?;
    same_count(events.len(), calendar_around(ics, &blocks)?)?;
    let blocks: Vec<&str> = blocks.into_iter().map(|range| &ics[range]).collect();
    // The first difference in feed order is reported, so the message does not depend on
    // the number of cores; a panic in the parser is a failed check, not a crash.
    let results = std::panic::catch_unwind(|| {
        if events.len() < PARALLEL_FROM {
            return vec![compare_all(&blocks, events)];
        }
        blocks
            .par_chunks(EVENTS_PER_PIECE)
            .zip(events.par_chunks(EVENTS_PER_PIECE))
            .map(|(blocks, events)| compare_all(blocks, events))
            .collect::<Vec<_>>()
    })
    .map_err(|_| "the read-back check failed".to_owned())?;
    results.into_iter().collect()
}

/// Checks the calendar around the events on its own: `frame` is the feed without its
/// `events` VEVENTs, which `Reader::rendered` reads back one by one as they are written.
pub(crate) fn frame(frame: &str, events: usize) -> Result<(), String> {
    let blocks = vevent_blocks(frame)?;
    let read = calendar_around(frame, &blocks)?;
    same_count(events, events + read)
}

/// Parses the text around the VEVENT `blocks` (properties, VTIMEZONE) as one calendar, and
/// answers how many VEVENTs the feed holds: the blocks and any found around them.
fn calendar_around(ics: &str, blocks: &[Range<usize>]) -> Result<usize, String> {
    let mut frame = String::with_capacity(ics.len().min(1 << 16));
    let mut end = 0;
    for block in blocks {
        frame.push_str(&ics[end..block.start]);
        end = block.end;
    }
    frame.push_str(&ics[end..]);
    let mut unfolded = String::new();
    unfold_into(&frame, &mut unfolded, |_| {})?;
    let calendar =
        parser::read_calendar(&unfolded).map_err(|e| format!("the feed does not parse: {e}"))?;
    let stray = calendar
        .components
        .iter()
        .filter(|c| c.name.as_str() == "VEVENT")
        .count();
    Ok(blocks.len() + stray)
}

fn same_count(events: usize, read: usize) -> Result<(), String> {
    if read == events {
        Ok(())
    } else {
        Err(format!("{events} events rendered but {read} read back"))
    }
}

/// Checks the physical lines (CRLF-terminated, at most 75 octets) and finds every
/// `BEGIN:VEVENT` ... `END:VEVENT` block. A folded line continues with a space, so a physical
/// line that reads `BEGIN:VEVENT` always begins a component.
pub(crate) fn vevent_blocks(ics: &str) -> Result<Vec<Range<usize>>, String> {
    let mut blocks = Vec::new();
    let mut open: Option<usize> = None;
    for line in physical_lines(ics) {
        let (start, line) = line?;
        match line {
            "BEGIN:VEVENT" if open.is_none() => open = Some(start),
            "END:VEVENT" => {
                if let Some(begin) = open.take() {
                    blocks.push(begin..start + line.len() + 2);
                }
            }
            _ => {}
        }
    }
    match open {
        Some(_) => Err("the feed does not parse: a VEVENT is never closed".to_owned()),
        None => Ok(blocks),
    }
}

/// The physical lines of `ics`, each with its offset and without its CRLF, up to the first
/// that does not end in CRLF or is longer than 75 octets, which is an error.
fn physical_lines(ics: &str) -> impl Iterator<Item = Result<(usize, &str), String>> {
    let (mut start, mut number) = (0, 0);
    std::iter::from_fn(move || {
        if start >= ics.len() {
            return None;
        }
        number += 1;
        let rest = &ics[start..];
        let line = rest
            .find('\n')
            .and_then(|newline| rest[..newline].strip_suffix('\r'));
        let problem = match line {
            None => format!("line {number} does not end in CRLF"),
            Some(line) if line.len() > 75 => {
                format!("line {number} is {} octets long", line.len())
            }
            Some(line) => {
                let at = start;
                start += line.len() + 2;
                return Some(Ok((at, line)));
            }
        };
        start = ics.len();
        Some(Err(problem))
    })
}

fn compare_all(blocks: &[&str], events: &[Event]) -> Result<(), String> {
    let mut reader = Reader::default();
    let mut descriptions = Descriptions::default();
    blocks.iter().zip(events).try_for_each(|(block, event)| {
        descriptions.of(event);
        reader.compare(block, event, &descriptions)
    })
}

/// Reads VEVENT blocks back one at a time; its buffer is reused from block to block.
#[derive(Debug, Default)]
pub(crate) struct Reader {
    unfolded: String,
}

impl Reader {
    /// Checks `block`, the VEVENT of `event` just written on its own: its lines, and its
    /// text read back against `descriptions`, the event's.
    pub(crate) fn rendered(
        &mut self,
        block: &str,
        event: &Event,
        descriptions: &Descriptions,
    ) -> Result<(), String> {
        let mut ends = 0;
        unfold_into(block, &mut self.unfolded, |line| {
            ends += usize::from(line == "END:VEVENT");
        })
        .map_err(|problem| format!("in the VEVENT of `{}`: {problem}", event.uid))?;
        // What `vevent_blocks` finds in the feed: one block, when it begins as one and its
        // only `END:VEVENT` line is its last.
        let whole = block.starts_with("BEGIN:VEVENT\r\n") && block.ends_with("\r\nEND:VEVENT\r\n");
        if !whole || ends != 1 {
            return Err(format!(
                "the feed does not parse: event `{}` is not one VEVENT",
                event.uid
            ));
        }
        self.read(event, descriptions)
    }

    /// Parses one VEVENT block and compares its text properties with the event.
    fn compare(
        &mut self,
        block: &str,
        event: &Event,
        descriptions: &Descriptions,
    ) -> Result<(), String> {
        unfold_into(block, &mut self.unfolded, |_| {})?;
        self.read(event, descriptions)
    }

    /// Parses the unfolded VEVENT block and compares its text properties with the event.
    fn read(&self, event: &Event, descriptions: &Descriptions) -> Result<(), String> {
        let unfolded = self.unfolded.as_str();
        // The parser with plain errors is several times faster than the one that explains
        // them; the explaining one runs only to word a failure.
        let Ok(components) = parser::read_calendar_simple(unfolded) else {
            let problem = parser::read_components(unfolded)
                .err()
                .unwrap_or_else(|| "it parses only with detailed errors".to_owned());
            return Err(format!(
                "the feed does not parse: event `{}`: {problem}",
                event.uid
            ));
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
            ("UID", Some(event.uid.as_str())),
            ("SUMMARY", Some(event.summary.as_str())),
            ("DESCRIPTION", Some(descriptions.text.as_str())),
            ("X-ALT-DESC", Some(descriptions.html.as_str())),
            ("LOCATION", event.location),
        ];
        for (name, want) in expected {
            // The parser has already unescaped these TEXT values; unescaping them again
            // would turn a written `\n` (a backslash, then n) into a line break.
            let got = component.find_prop(name).map(|p| p.val.as_str());
            let want = want.map(clean);
            if got != want.as_deref() {
                return Err(format!(
                    "{name} of `{}` reads back as {got:?}, not {:?}",
                    event.uid,
                    want.as_deref()
                ));
            }
        }
        Ok(())
    }
}

/// RFC 5545 §3.1: a CRLF followed by one space or tab is removed. Every line is checked to
/// end in CRLF, so that is a physical line that starts with a space or tab continuing the
/// one before. Replaces what `out` held, and shows `each` every physical line on the way.
fn unfold_into(folded: &str, out: &mut String, mut each: impl FnMut(&str)) -> Result<(), String> {
    out.clear();
    out.reserve(folded.len());
    for line in physical_lines(folded) {
        let (start, line) = line?;
        each(line);
        match line.strip_prefix([' ', '\t']) {
            Some(continued) if start > 0 => out.push_str(continued),
            _ => {
                if start > 0 {
                    out.push_str("\r\n");
                }
                out.push_str(line);
            }
        }
    }
    if !folded.is_empty() {
        out.push_str("\r\n");
    }
    Ok(())
}

/// What the writer keeps of a text: CRLF becomes LF, other control characters go.
fn clean(text: &str) -> Cow<'_, str> {
    // Most texts hold no byte that can start a control character (C0 but LF and tab, DEL,
    // and 0xC2, which leads U+0080-U+009F): those are not decoded at all. A fold without
    // early exit, so the scan is vectorized.
    let suspect = |b: u8| matches!(b, 0..=8 | 0x0b..=0x1f | 0x7f | 0xc2);
    if !text.bytes().fold(false, |found, b| found | suspect(b)) {
        return Cow::Borrowed(text);
    }
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
        let mut out = "left over".to_owned();
        unfold_into("A:b\r\n c\r\n\t d\r\nE:f\r\n", &mut out, |_| {}).unwrap();
        assert_eq!(out, "A:bc d\r\nE:f\r\n");
    }

    /// A schedule of one session, `a`, titled Alpha.
    fn alpha() -> crate::schedule::Schedule {
        let source = crate::source::SourceFile::new(
            "schedule.yaml",
            "calendar:\n  id: t\n  name: T\n  timezone: America/Los_Angeles\n  year: 2024\n  zones:\n    PDT: America/Los_Angeles\nsessions:\n  - id: a\n    time: \"APR. 15: 5:00pm PDT\"\n    topic: Alpha\n",
        );
        crate::check(&source).schedule.expect("a valid schedule")
    }

    /// `count` sessions, `s0` to `s<count - 1>`: enough to be read back on several threads.
    fn many(count: usize) -> crate::schedule::Schedule {
        let mut yaml = "calendar:\n  id: t\n  name: T\n  timezone: America/Los_Angeles\n  year: 2024\n  zones:\n    PDT: America/Los_Angeles\nsessions:\n".to_owned();
        for number in 0..count {
            let hour = 1 + number % 11;
            yaml.push_str(&format!(
                "  - id: s{number}\n    time: \"APR. 15: {hour}:00pm PDT\"\n    topic: T{number}\n"
            ));
        }
        let source = crate::source::SourceFile::new("schedule.yaml", yaml);
        crate::check(&source).schedule.expect("a valid schedule")
    }

    #[test]
    fn a_large_feed_read_on_threads_reports_its_first_difference_in_feed_order() {
        let schedule = many(3000);
        let events = crate::event::events(&schedule);
        let feed = crate::ics::render(&schedule, &events, chrono::DateTime::UNIX_EPOCH);
        let changed = feed
            .replacen("SUMMARY:T2500\r\n", "SUMMARY:X\r\n", 1)
            .replacen("SUMMARY:T1700\r\n", "SUMMARY:Y\r\n", 1);
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(4)
            .build()
            .expect("a thread pool");
        pool.install(|| {
            assert_eq!(roundtrip(&feed, &events), Ok(()));
            assert_eq!(
                roundtrip(&changed, &events),
                Err(
                    "SUMMARY of `s1700@t` reads back as Some(\"Y\"), not Some(\"T1700\")"
                        .to_owned()
                )
            );
        });
    }

    #[test]
    fn an_event_that_does_not_parse_is_named() {
        let schedule = alpha();
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
    fn an_event_read_as_it_is_written_is_refused_where_the_feed_would_be() {
        let schedule = alpha();
        let events = crate::event::events(&schedule);
        let feed = crate::ics::render(&schedule, &events, chrono::DateTime::UNIX_EPOCH);
        let (begin, end) = (feed.find("BEGIN:VEVENT"), feed.find("END:VCALENDAR"));
        let block = &feed[begin.expect("a VEVENT")..end.expect("an end")];
        let mut descriptions = Descriptions::default();
        descriptions.of(&events[0]);
        let mut reader = Reader::default();
        assert_eq!(reader.rendered(block, &events[0], &descriptions), Ok(()));
        let cases = [
            (
                "SUMMARY:Alpha\r\n",
                "SUMMARY:Beta\r\n",
                "SUMMARY of `a@t` reads back as",
            ),
            (
                "SUMMARY:Alpha\r\n",
                "SUMMARY:Alpha\n",
                "in the VEVENT of `a@t`: line ",
            ),
            (
                "SUMMARY:Alpha\r\n",
                "BEGIN:VEVENT\r\nEND:VEVENT\r\nSUMMARY:Alpha\r\n",
                "the feed does not parse: event `a@t` is not one VEVENT",
            ),
        ];
        for (from, to, problem) in cases {
            let changed = block.replacen(from, to, 1);
            let refused = reader.rendered(&changed, &events[0], &descriptions);
            assert!(refused.is_err_and(|p| p.starts_with(problem)), "{to:?}");
            let feed = feed.replacen(from, to, 1);
            assert!(roundtrip(&feed, &events).is_err(), "{to:?}");
        }
    }

    #[test]
    fn cleaning_drops_carriage_returns_and_controls_only() {
        assert!(matches!(clean("a\nb\tc"), Cow::Borrowed(_)));
        assert_eq!(clean("a\r\nb\u{7}c\u{85}d"), "a\nbcd");
    }
}
