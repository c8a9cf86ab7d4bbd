//! RFC 5545 text: the feed (VCALENDAR, VTIMEZONE, VEVENT) from derived events.
//! Never reads the clock: the DTSTAMP instant is passed in.
//!
//! Lines are written here rather than with the `icalendar` crate's builder because its
//! components stamp every nested component (STANDARD, DAYLIGHT) with the current time and
//! a random UID, which breaks both RFC 5545 and byte-identical output; `icalendar`'s parser
//! is used instead as an independent reader in `verify` and `feed`.

pub(crate) mod feed;
pub(crate) mod line;
pub(crate) mod revision;
pub mod verify;
pub(crate) mod vtimezone;

pub use revision::{Revision, Revisions};

/// VTIMEZONE generation, for the benchmarks (`benches/hot_paths.rs`); not a supported API.
#[doc(hidden)]
pub use vtimezone::lines as vtimezone_lines;

use std::any::Any;
use std::collections::BTreeMap;
use std::convert::Infallible;
use std::fmt::Write as _;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};

use chrono::{DateTime, Datelike, NaiveDateTime, TimeDelta, Timelike, Utc};
use chrono_tz::Tz;

use crate::event::{Descriptions, Event};
use crate::schedule::{CancelledAs, Schedule};
use crate::zone::{self, Resolved};
use line::{Lines, param};

/// Below this many events per thread the events are written on the calling thread:
/// starting threads would cost more than they save.
const EVENTS_PER_THREAD: usize = 512;

/// Events a thread writes before handing them over: enough that handing over costs
/// little, few enough that the pieces waiting for their turn take a few megabytes.
const EVENTS_PER_PIECE: usize = 256;

/// The whole feed: calendar properties, one VTIMEZONE per zone used, the events, every
/// event at SEQUENCE 0 and stamped `stamp`.
pub fn render(schedule: &Schedule, events: &[Event], stamp: DateTime<Utc>) -> String {
    render_revised(schedule, events, &Revisions::first(stamp))
}

/// The whole feed, each event with its own SEQUENCE, DTSTAMP and LAST-MODIFIED.
pub fn render_revised(schedule: &Schedule, events: &[Event], revisions: &Revisions) -> String {
    let mut lines = header(schedule, events);
    let pieces = match vevents::<()>(&mut lines, events, &Shared::new(schedule, revisions)) {
        Ok(pieces) => pieces,
        Err(Failure::Unreadable(never)) => match never {},
        // Writing has no error to report, so a panic is a bug: raise it here as it would
        // have been raised without threads.
        Err(Failure::Panicked(panic)) => std::panic::resume_unwind(panic),
    };
    let mut text = lines.finish();
    text.reserve(pieces.iter().map(String::len).sum::<usize>() + 16);
    pieces.iter().for_each(|piece| text.push_str(piece));
    let mut end = Lines::default();
    footer(&mut end);
    text.push_str(end.written());
    text
}

/// A feed as written: its text in pieces, in order. A large feed is never copied into one
/// buffer: the pieces go to the file or stdout one after the other.
#[derive(Debug, Default)]
pub struct Feed {
    pieces: Vec<String>,
}

impl Feed {
    pub fn pieces(&self) -> impl Iterator<Item = &[u8]> {
        self.pieces.iter().map(String::as_bytes)
    }

    pub fn len(&self) -> usize {
        self.pieces.iter().map(String::len).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The whole text, for a feed small enough to hold twice.
    pub fn into_string(self) -> String {
        self.pieces.concat()
    }
}

/// The feed `render_revised` writes, read back as it is written (`verify`): each VEVENT
/// right after it is written, with the descriptions built to write it, and the calendar
/// around the events on its own. The error says what did not read back.
pub fn render_verified(
    schedule: &Schedule,
    events: &[Event],
    revisions: &Revisions,
) -> Result<Feed, String> {
    let mut lines = header(schedule, events);
    // The calendar around the events is read back first, as a reader meets it.
    let mut frame = Lines::with_capacity(lines.written().len() + 32);
    frame.append(lines.written());
    footer(&mut frame);
    verify::frame(frame.written(), events.len())?;
    let pieces =
        match vevents::<verify::Reader>(&mut lines, events, &Shared::new(schedule, revisions)) {
            Ok(pieces) => pieces,
            Err(Failure::Unreadable(problem)) => return Err(problem),
            Err(Failure::Panicked(_)) => return Err("the read-back check failed".to_owned()),
        };
    let mut feed = Feed {
        pieces: Vec::with_capacity(pieces.len() + 2),
    };
    feed.pieces.push(lines.finish());
    feed.pieces.extend(pieces);
    let mut end = Lines::default();
    footer(&mut end);
    feed.pieces.push(end.finish());
    Ok(feed)
}

/// The calendar properties and the VTIMEZONE of the span the events take.
fn header(schedule: &Schedule, events: &[Event]) -> Lines {
    let calendar = &schedule.calendar;
    let mut lines = Lines::default();
    lines.raw("BEGIN", "VCALENDAR");
    lines.raw("VERSION", "2.0");
    lines.raw(
        "PRODID",
        &format!(
            "-//syllabus-ics//syllabus-ics {}//EN",
            env!("CARGO_PKG_VERSION")
        ),
    );
    lines.raw("CALSCALE", "GREGORIAN");
    lines.raw("METHOD", "PUBLISH");
    lines.text("NAME", &calendar.name);
    lines.text("X-WR-CALNAME", &calendar.name);
    if let Some(description) = &calendar.description {
        lines.text("DESCRIPTION", description);
        lines.text("X-WR-CALDESC", description);
    }
    if let Some(url) = &calendar.url {
        lines.raw("URL;VALUE=URI", url);
    }
    lines.raw("X-WR-TIMEZONE", calendar.timezone.name());
    let refresh = duration(calendar.refresh);
    lines.raw("REFRESH-INTERVAL;VALUE=DURATION", &refresh);
    lines.raw("X-PUBLISHED-TTL", &refresh);
    if let (Some(first), Some(last)) = (
        events.iter().map(|e| e.start_utc()).min(),
        events.iter().map(|e| e.end.with_timezone(&Utc)).max(),
    ) {
        for line in vtimezone::lines(calendar.timezone, first, last) {
            lines.line(&line);
        }
    }
    lines
}

fn footer(lines: &mut Lines) {
    lines.raw("END", "VCALENDAR");
}

/// What every VEVENT of a feed reads.
struct Shared<'a> {
    revisions: &'a Revisions,
    /// `;TZID=<zone>`, the parameter of every civil time.
    tzid: String,
}

impl<'a> Shared<'a> {
    fn new(schedule: &'a Schedule, revisions: &'a Revisions) -> Self {
        let tzid = format!(";TZID={}", param(schedule.calendar.timezone.name()));
        Shared { revisions, tzid }
    }
}

/// What is done with each VEVENT right after it is written: nothing, or reading it back.
trait Check: Default {
    type Problem: Send;
    fn written(
        &mut self,
        block: &str,
        event: &Event,
        descriptions: &Descriptions,
    ) -> Result<(), Self::Problem>;
}

impl Check for () {
    type Problem = Infallible;
    fn written(&mut self, _: &str, _: &Event, _: &Descriptions) -> Result<(), Infallible> {
        Ok(())
    }
}

impl Check for verify::Reader {
    type Problem = String;
    fn written(
        &mut self,
        block: &str,
        event: &Event,
        descriptions: &Descriptions,
    ) -> Result<(), String> {
        self.rendered(block, event, descriptions)
    }
}

/// Why the events were not all written.
enum Failure<P> {
    Unreadable(P),
    Panicked(Box<dyn Any + Send>),
}

/// A piece of the feed from a thread, numbered in feed order.
type Piece<P> = (usize, Result<String, P>);

/// Appends the VEVENTs of `events`. Many events are written on every core, in pieces of
/// consecutive events joined in feed order as they come, so the text never depends on the
/// number of cores and at most a few pieces wait in memory besides the feed.
fn vevents<C: Check>(
    lines: &mut Lines,
    events: &[Event],
    shared: &Shared,
) -> Result<Vec<String>, Failure<C::Problem>> {
    let threads = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .min(events.len() / EVENTS_PER_THREAD)
        .max(1);
    if threads == 1 {
        return Writer::<C>::default()
            .write(lines, events, shared)
            .map(|()| Vec::new())
            .map_err(Failure::Unreadable);
    }
    let pieces: Vec<&[Event]> = events.chunks(EVENTS_PER_PIECE).collect();
    let claimed = AtomicUsize::new(0);
    let failed = AtomicUsize::new(usize::MAX);
    let (sender, receiver) = mpsc::channel();
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..threads)
            .map(|_| {
                let (pieces, claimed, failed) = (&pieces, &claimed, &failed);
                let sender = sender.clone();
                scope.spawn(move || write_pieces::<C>(pieces, shared, claimed, failed, sender))
            })
            .collect();
        drop(sender);
        let joined = join_in_order(receiver, pieces.len());
        // Every worker is joined: one left unjoined that panicked would panic the scope.
        let panicked = workers
            .into_iter()
            .fold(None, |first, worker| first.or(worker.join().err()));
        match panicked {
            Some(panic) => Err(Failure::Panicked(panic)),
            None => joined.map_err(Failure::Unreadable),
        }
    })
}

/// A thread's work: claims the next piece in feed order until none is left or an earlier
/// piece failed its check (the pieces after it are not needed), and sends each written.
fn write_pieces<C: Check>(
    pieces: &[&[Event]],
    shared: &Shared,
    claimed: &AtomicUsize,
    failed: &AtomicUsize,
    sender: Sender<Piece<C::Problem>>,
) {
    let mut writer = Writer::<C>::default();
    let mut lines = Lines::default();
    loop {
        let index = claimed.fetch_add(1, Ordering::Relaxed);
        let Some(events) = pieces
            .get(index)
            .filter(|_| index < failed.load(Ordering::Relaxed))
        else {
            return;
        };
        let written = writer.write(&mut lines, events, shared);
        let text = lines.take();
        if written.is_err() {
            failed.fetch_min(index, Ordering::Relaxed);
        }
        if sender.send((index, written.map(|()| text))).is_err() {
            return;
        }
    }
}

/// The pieces in feed order, as they arrive; one that comes early waits for those before
/// it. The failure reported is the first in feed order, so it does not depend on the number
/// of cores either.
fn join_in_order<P>(receiver: Receiver<Piece<P>>, count: usize) -> Result<Vec<String>, P> {
    let mut waiting = BTreeMap::new();
    let mut first_failure: Option<(usize, P)> = None;
    let mut joined = Vec::with_capacity(count);
    for (index, piece) in receiver {
        match piece {
            Ok(text) => {
                waiting.insert(index, text);
            }
            Err(problem) if first_failure.as_ref().is_none_or(|(at, _)| index < *at) => {
                first_failure = Some((index, problem));
            }
            Err(_) => {}
        }
        while let Some(text) = waiting.remove(&joined.len()) {
            joined.push(text);
        }
    }
    match first_failure {
        Some((_, problem)) => Err(problem),
        None => Ok(joined),
    }
}

/// A thread's buffers, reused from event to event, so writing an event allocates only
/// when the text outgrows them.
#[derive(Default)]
struct Writer<C> {
    descriptions: Descriptions,
    check: C,
}

impl<C: Check> Writer<C> {
    /// Appends the VEVENTs of `events`, each checked right after it is written.
    fn write(
        &mut self,
        lines: &mut Lines,
        events: &[Event],
        shared: &Shared,
    ) -> Result<(), C::Problem> {
        for event in events {
            self.descriptions.of(event);
            let start = lines.written().len();
            vevent(lines, event, shared, &self.descriptions);
            self.check
                .written(&lines.written()[start..], event, &self.descriptions)?;
        }
        Ok(())
    }
}

fn vevent(lines: &mut Lines, event: &Event, shared: &Shared, descriptions: &Descriptions) {
    let revision = shared.revisions.of(&event.uid);
    lines.raw("BEGIN", "VEVENT");
    lines.text("UID", &event.uid);
    lines.computed("DTSTAMP", "", |line| push_utc(line, revision.stamp));
    if let Some(modified) = revision.last_modified {
        lines.computed("LAST-MODIFIED", "", |line| push_utc(line, modified));
    }
    date_time(lines, "DTSTART", &shared.tzid, &event.start);
    date_time(lines, "DTEND", &shared.tzid, &event.end);
    lines.text("SUMMARY", &event.summary);
    match event.cancelled {
        Some(CancelledAs::Hide) => lines.raw("STATUS", "CANCELLED"),
        Some(CancelledAs::Show) => {}
        None => lines.raw("STATUS", "CONFIRMED"),
    }
    // A cancelled session never blocks time, whichever way it is shown.
    let transparency = if event.cancelled.is_some() {
        "TRANSPARENT"
    } else {
        "OPAQUE"
    };
    lines.raw("TRANSP", transparency);
    lines.computed("SEQUENCE", "", |line| {
        let _ = write!(line, "{}", revision.sequence);
    });
    if let Some(location) = event.location {
        lines.text("LOCATION", location);
    }
    if let Some(url) = event.join_url() {
        lines.raw("URL;VALUE=URI", url);
        lines.raw("CONFERENCE;VALUE=URI;FEATURE=AUDIO,VIDEO", url);
    }
    lines.text("DESCRIPTION", &descriptions.text);
    lines.text("X-ALT-DESC;FMTTYPE=text/html", &descriptions.html);
    lines.raw("END", "VEVENT");
}

/// A DATE-TIME property in the event's zone. A wall-clock time that happens twice means its
/// first occurrence (RFC 5545 §3.3.5), so the second occurrence is written in UTC instead.
fn date_time(lines: &mut Lines, name: &str, tzid: &str, at: &DateTime<Tz>) {
    match zone::resolve(at.timezone(), at.naive_local()) {
        Resolved::Fold(fold) if fold.later == *at => {
            lines.computed(name, "", |line| push_utc(line, at.with_timezone(&Utc)));
        }
        _ => lines.computed(name, tzid, |line| push_civil(line, at.naive_local())),
    }
}

/// `20240415T170000`: wall-clock time, read with the TZID parameter. Written digit by
/// digit: chrono's `format` parses its pattern on every call, which made dates the largest
/// cost of writing an event.
fn push_civil(line: &mut String, time: NaiveDateTime) {
    let Ok(year @ 0..=9999) = u32::try_from(time.year()) else {
        // chrono's sign and width for the years it writes with more than four digits.
        let _ = write!(line, "{}", time.format("%Y%m%dT%H%M%S"));
        return;
    };
    push_digits(line, year, 4);
    push_digits(line, time.month(), 2);
    push_digits(line, time.day(), 2);
    line.push('T');
    push_digits(line, time.hour(), 2);
    push_digits(line, time.minute(), 2);
    // chrono keeps a leap second in the nanoseconds and writes it as second 60.
    push_digits(line, time.second() + time.nanosecond() / 1_000_000_000, 2);
}

/// `20240101T000000Z`
fn utc(time: DateTime<Utc>) -> String {
    let mut text = String::with_capacity(16);
    push_utc(&mut text, time);
    text
}

fn push_utc(line: &mut String, time: DateTime<Utc>) {
    push_civil(line, time.naive_utc());
    line.push('Z');
}

/// The last `width` decimal digits of `value`, zero-padded.
fn push_digits(line: &mut String, value: u32, width: u32) {
    for place in (0..width).rev() {
        let digit = value / 10u32.pow(place) % 10;
        line.push(char::from_digit(digit, 10).unwrap_or('0'));
    }
}

/// `PT12H`, `PT1H30M`: an RFC 5545 duration of whole minutes.
fn duration(span: TimeDelta) -> String {
    let minutes = span.num_minutes();
    let (hours, minutes) = (minutes / 60, minutes % 60);
    match (hours, minutes) {
        (0, m) => format!("PT{m}M"),
        (h, 0) => format!("PT{h}H"),
        (h, m) => format!("PT{h}H{m}M"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A schedule of `count` sessions, `s0` to `s<count - 1>`: enough for several threads.
    fn schedule(count: usize) -> Schedule {
        let mut yaml = "calendar:\n  id: t\n  name: T\n  timezone: America/Los_Angeles\n  year: 2024\n  zones:\n    PDT: America/Los_Angeles\nsessions:\n".to_owned();
        for number in 0..count {
            let hour = 1 + number % 11;
            yaml.push_str(&format!(
                "  - id: s{number}\n    time: \"APR. 15: {hour}:00pm PDT\"\n    topic: \"Topic; #{number}\"\n    notes: [\"a, b\", \"https://example.org/{number}\"]\n"
            ));
        }
        let source = crate::source::SourceFile::new("schedule.yaml", yaml);
        crate::check(&source).schedule.expect("a valid schedule")
    }

    /// Refuses two events, `s1700` and `s2500`.
    #[derive(Default)]
    struct Refuse;

    impl Check for Refuse {
        type Problem = String;
        fn written(&mut self, _: &str, event: &Event, _: &Descriptions) -> Result<(), String> {
            match event.uid.as_str() {
                "s2500@t" | "s1700@t" => Err(event.uid.clone()),
                _ => Ok(()),
            }
        }
    }

    #[test]
    fn dates_are_written_as_chrono_writes_them() {
        let dates = [
            (1, 1, 1),
            (99, 12, 31),
            (999, 2, 3),
            (2024, 4, 15),
            (9999, 12, 31),
        ];
        let beyond = [(10000, 1, 1), (-1, 6, 30), (-12345, 7, 8)];
        for (year, month, day) in dates.into_iter().chain(beyond) {
            let date = chrono::NaiveDate::from_ymd_opt(year, month, day).expect("a date");
            for (hour, minute, nano) in [(0, 0, 0), (9, 5, 999_999_999), (23, 59, 1_500_000_000)] {
                let time = chrono::NaiveTime::from_hms_nano_opt(hour, minute, 59, nano)
                    .expect("a time, or a leap second");
                let at = date.and_time(time);
                let mut text = String::new();
                push_civil(&mut text, at);
                assert_eq!(text, at.format("%Y%m%dT%H%M%S").to_string());
                assert_eq!(utc(at.and_utc()), at.format("%Y%m%dT%H%M%SZ").to_string());
            }
        }
    }

    #[test]
    fn events_written_on_threads_read_as_if_written_on_one() {
        let schedule = schedule(3000);
        let events = crate::event::events(&schedule);
        let revisions = Revisions::first(DateTime::UNIX_EPOCH);
        let mut alone = header(&schedule, &events);
        let written =
            Writer::<()>::default().write(&mut alone, &events, &Shared::new(&schedule, &revisions));
        assert!(written.is_ok());
        footer(&mut alone);
        let alone = alone.finish();
        assert_eq!(render_revised(&schedule, &events, &revisions), alone);
        assert_eq!(
            render_verified(&schedule, &events, &revisions).map(Feed::into_string),
            Ok(alone)
        );
    }

    /// Panics at the events `Refuse` refuses.
    #[derive(Default)]
    struct Panic;

    impl Check for Panic {
        type Problem = String;
        fn written(&mut self, block: &str, event: &Event, d: &Descriptions) -> Result<(), String> {
            Refuse
                .written(block, event, d)
                .map_err(|uid| panic!("a bug at {uid}"))
        }
    }

    #[test]
    fn a_panic_on_a_thread_is_a_failure_not_a_second_panic() {
        let schedule = schedule(3000);
        let events = crate::event::events(&schedule);
        let revisions = Revisions::first(DateTime::UNIX_EPOCH);
        let shared = Shared::new(&schedule, &revisions);
        let written = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            vevents::<Panic>(&mut Lines::default(), &events, &shared)
        }));
        // On one core the panic is raised where it happens, as it would be without threads.
        let one_core = std::thread::available_parallelism().map_or(true, |n| n.get() == 1);
        match written {
            Ok(Err(Failure::Panicked(_))) => {}
            Err(_) if one_core => {}
            _ => panic!("the panic was not reported as a failure"),
        }
    }

    #[test]
    fn the_first_failure_in_feed_order_is_reported() {
        let schedule = schedule(3000);
        let events = crate::event::events(&schedule);
        let revisions = Revisions::first(DateTime::UNIX_EPOCH);
        let mut lines = Lines::default();
        let failure = vevents::<Refuse>(&mut lines, &events, &Shared::new(&schedule, &revisions));
        let Err(Failure::Unreadable(uid)) = failure else {
            panic!("the refusal was not reported");
        };
        assert_eq!(uid, "s1700@t");
    }
}
