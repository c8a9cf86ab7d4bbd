//! RFC 5545 text: the feed (VCALENDAR, VTIMEZONE, VEVENT) from derived events.
//! Never reads the clock: the DTSTAMP instant is passed in.
//!
//! Lines are written here rather than with the `icalendar` crate's builder because its
//! components stamp every nested component (STANDARD, DAYLIGHT) with the current time and
//! a random UID, which breaks both RFC 5545 and byte-identical output; `icalendar`'s parser
//! is used instead as an independent reader in `verify` and `feed`.

pub mod changes;
pub mod description;
pub(crate) mod feed;
pub(crate) mod line;
pub mod previous;
pub(crate) mod revision;
mod value;
pub mod verify;
mod vevent;
pub(crate) mod vtimezone;

pub use revision::{Revision, Revisions};

/// VTIMEZONE generation, for the benchmarks (`benches/hot_paths.rs`); not a supported API.
#[doc(hidden)]
pub use vtimezone::lines as vtimezone_lines;

use std::any::Any;
use std::collections::HashSet;
use std::convert::Infallible;
use std::panic::{self, AssertUnwindSafe};
use std::sync::{Mutex, PoisonError};

use chrono::{DateTime, Utc};
use rayon::prelude::*;

use crate::event::Event;
use crate::schedule::Schedule;
use description::Descriptions;
use line::{Lines, param};
use value::{duration, utc};
use vevent::vevent;

/// Below this many events they are written on the calling thread: handing them to other
/// threads would cost more than it saves.
const PARALLEL_FROM: usize = 1024;

/// Events written as one piece of the feed: enough that handing a piece over costs little.
const EVENTS_PER_PIECE: usize = 256;

/// What a calendar file is for, and where the page that lists its events lives.
#[derive(Clone, Copy, Debug)]
pub struct Layout<'a> {
    pub scope: Scope,
    /// The published page's address: each event's URL is its own row there.
    pub page: Option<&'a str>,
}

/// A feed to subscribe to, or one appointment to import.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// The calendar's name, description and refresh interval: clients add it as a calendar.
    Feed,
    /// Only what one appointment needs: Outlook opens a file that names a calendar as a new
    /// calendar instead of an event to add.
    Appointment,
}

impl<'a> Layout<'a> {
    /// The subscribable feed, its events linking to the page at `calendar.url`, if any.
    pub fn feed(schedule: &'a Schedule) -> Self {
        Layout {
            scope: Scope::Feed,
            page: schedule.calendar.url.as_deref(),
        }
    }
}

/// The whole feed: calendar properties, one VTIMEZONE per zone used, the events, every
/// event at SEQUENCE 0 and stamped `stamp`.
pub fn render(schedule: &Schedule, events: &[Event], stamp: DateTime<Utc>) -> String {
    render_revised(schedule, events, &Revisions::first(stamp))
}

/// The whole feed, each event with its own SEQUENCE, DTSTAMP and LAST-MODIFIED.
pub fn render_revised(schedule: &Schedule, events: &[Event], revisions: &Revisions) -> String {
    render_laid_out(schedule, events, revisions, Layout::feed(schedule))
}

/// `render_revised`, laid out as `layout` says.
pub(crate) fn render_laid_out(
    schedule: &Schedule,
    events: &[Event],
    revisions: &Revisions,
    layout: Layout,
) -> String {
    let mut lines = header(schedule, events, layout.scope);
    let shared = Shared::new(schedule, revisions, layout);
    let pieces = match vevents::<()>(&mut lines, events, &shared) {
        Ok(pieces) => pieces,
        Err(Failure::Unreadable(never)) => match never {},
        // Writing has no error to report, so a panic is a bug: raise it here as it would
        // have been raised without threads.
        Err(Failure::Panicked(panic)) => panic::resume_unwind(panic),
    };
    let mut text = lines.finish();
    text.reserve(pieces.iter().map(String::len).sum::<usize>() + 16);
    pieces.iter().for_each(|piece| text.push_str(piece));
    let mut end = Lines::default();
    footer(&mut end);
    text.push_str(end.written());
    text
}

/// The most bytes the feed of `events` can take, found before rendering it: every text
/// measured as it will be escaped (each `\\`, `;`, `,` and newline takes one more byte),
/// plus folding and a margin for the fixed properties. An upper bound, not a guess: it
/// bounds the memory `build` claims, whatever the schedule repeats per event, and it is
/// close enough to the real size that the documented limits can be reached.
pub fn largest_feed(schedule: &Schedule, events: &[Event]) -> usize {
    let calendar = &schedule.calendar;
    let fixed = 64 * 1024
        + 4 * (calendar.name.len() + calendar.description.as_ref().map_or(0, String::len));
    let most = |buffer: &mut String, event: &Event| {
        buffer.clear();
        description::push_text(event, buffer);
        description::push_html(event, buffer);
        let text = escaped_len(&event.uid)
            + escaped_len(&event.summary)
            + escaped_len(buffer)
            + 3 * event.location.map_or(0, escaped_len);
        // The properties around the text (BEGIN, DTSTAMP, LAST-MODIFIED, DTSTART and DTEND
        // with the longest TZID, STATUS, TRANSP, SEQUENCE, the property names, END) take
        // about 400 octets.
        // Folding adds 3 octets (CRLF and a space) per line of at least 72 octets of text: a
        // line is 75 octets, less at most 3 when a character would be split. Each property
        // starts a line of its own, so round up once per property (at most 32 of them).
        512 + text * 75 / 72 + 32 * 3
    };
    let events = if events.len() < PARALLEL_FROM {
        let mut buffer = String::new();
        events.iter().fold(0usize, |total, event| {
            total.saturating_add(most(&mut buffer, event))
        })
    } else {
        events
            .par_iter()
            .map_init(String::new, most)
            .reduce(|| 0, usize::saturating_add)
    };
    fixed.saturating_add(events)
}

/// The bytes of `text` once escaped as RFC 5545 TEXT (§3.3.11): backslash, semicolon, comma
/// and newline take a backslash each; other bytes are written as they are or dropped.
fn escaped_len(text: &str) -> usize {
    text.len()
        + text
            .bytes()
            .filter(|b| matches!(b, b'\\' | b';' | b',' | b'\n'))
            .count()
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
    layout: Layout,
) -> Result<Feed, String> {
    render_verified_sharing(schedule, events, revisions, layout, &Frames::default())
}

/// The calendars around events (properties, VTIMEZONE) already read back, shared by many
/// small feeds of one schedule: the session files of a site differ in VTIMEZONE only when
/// a zone transition falls between them, so thousands of files share a few dozen.
#[derive(Debug, Default)]
pub struct Frames {
    read: Mutex<HashSet<String>>,
    /// VEVENTs of a feed already read back: the same bytes in another file need no reading.
    events: HashSet<String>,
}

impl Frames {
    /// Frames that know the VEVENTs of `feed`, a feed already read back.
    pub fn knowing(feed: &str) -> Self {
        let events = verify::vevent_blocks(feed)
            .unwrap_or_default()
            .into_iter()
            .map(|block| feed[block].to_owned())
            .collect();
        Frames {
            read: Mutex::default(),
            events,
        }
    }

    /// Whether every VEVENT of `pieces` is one already read back.
    fn all_known(&self, pieces: &[String]) -> bool {
        !self.events.is_empty()
            && pieces.iter().all(|piece| {
                verify::vevent_blocks(piece).is_ok_and(|blocks| {
                    blocks
                        .into_iter()
                        .all(|block| self.events.contains(&piece[block]))
                })
            })
    }

    /// Reads `frame` back unless the same text was read back before.
    fn verify(&self, frame: &str, events: usize) -> Result<(), String> {
        let known = |frames: &Self| {
            frames
                .read
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .contains(frame)
        };
        if known(self) {
            return Ok(());
        }
        panic::catch_unwind(|| verify::frame(frame, events))
            .unwrap_or_else(|_| Err("the read-back check failed".to_owned()))?;
        self.read
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(frame.to_owned());
        Ok(())
    }
}

/// `render_verified`, skipping the calendars around the events that `frames` has read
/// back already; for many feeds of one schedule, one per session.
pub fn render_verified_sharing(
    schedule: &Schedule,
    events: &[Event],
    revisions: &Revisions,
    layout: Layout,
    frames: &Frames,
) -> Result<Feed, String> {
    let mut lines = header(schedule, events, layout.scope);
    // The calendar around the events is read back first, as a reader meets it.
    let mut frame = Lines::with_capacity(lines.written().len() + 32);
    frame.append(lines.written());
    footer(&mut frame);
    frames.verify(frame.written(), events.len())?;
    let shared = Shared::new(schedule, revisions, layout);
    // Events whose bytes were read back in the feed need no second reading; any other is
    // read back as it is written.
    let known = if frames.events.is_empty() {
        None
    } else {
        let mut written = Lines::with_capacity(lines.written().len());
        written.append(lines.written());
        match vevents::<()>(&mut written, events, &shared) {
            Ok(pieces) => {
                let mut all = vec![written.take()];
                all.extend(pieces);
                frames.all_known(&all).then_some(all)
            }
            Err(_) => None,
        }
    };
    let pieces = match known {
        Some(all) => {
            let mut feed = Feed {
                pieces: Vec::with_capacity(all.len() + 1),
            };
            feed.pieces.extend(all);
            let mut end = Lines::default();
            footer(&mut end);
            feed.pieces.push(end.finish());
            return Ok(feed);
        }
        None => match vevents::<verify::Reader>(&mut lines, events, &shared) {
            Ok(pieces) => pieces,
            Err(Failure::Unreadable(problem)) => return Err(problem),
            Err(Failure::Panicked(_)) => return Err("the read-back check failed".to_owned()),
        },
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
fn header(schedule: &Schedule, events: &[Event], scope: Scope) -> Lines {
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
    if scope == Scope::Feed {
        feed_properties(&mut lines, calendar);
    }
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

/// What makes a file a calendar to subscribe to rather than events to import.
fn feed_properties(lines: &mut Lines, calendar: &crate::schedule::Calendar) {
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
}

fn footer(lines: &mut Lines) {
    lines.raw("END", "VCALENDAR");
}

/// What every VEVENT of a feed reads.
struct Shared<'a> {
    revisions: &'a Revisions,
    /// `;TZID=<zone>`, the parameter of every civil time.
    tzid: String,
    /// The page's address up to the fragment, when the page is known.
    page: Option<&'a str>,
}

impl<'a> Shared<'a> {
    fn new(schedule: &'a Schedule, revisions: &'a Revisions, layout: Layout<'a>) -> Self {
        let tzid = format!(";TZID={}", param(schedule.calendar.timezone.name()));
        Shared {
            revisions,
            tzid,
            page: layout.page,
        }
    }
}

/// What is done with each VEVENT right after it is written: nothing, or reading it back.
trait Check: Default + Send {
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

/// Appends the VEVENTs of `events`: a few to `lines`, many in pieces of consecutive events
/// written on every core and returned in feed order, so the text never depends on the
/// number of cores; the failure reported is the first in feed order, for the same reason.
/// A panic while writing or checking is returned, not raised.
fn vevents<C: Check>(
    lines: &mut Lines,
    events: &[Event],
    shared: &Shared,
) -> Result<Vec<String>, Failure<C::Problem>> {
    let pieces = panic::catch_unwind(AssertUnwindSafe(|| {
        if events.len() < PARALLEL_FROM {
            let written = Writer::<C>::default().write(lines, events, shared);
            return vec![written.map(|()| String::new())];
        }
        events
            .par_chunks(EVENTS_PER_PIECE)
            .map_init(
                || (Writer::<C>::default(), Lines::default()),
                |(writer, lines), events| {
                    let written = writer.write(lines, events, shared);
                    let text = lines.take();
                    written.map(|()| text)
                },
            )
            .collect::<Vec<_>>()
    }))
    .map_err(Failure::Panicked)?;
    pieces
        .into_iter()
        .collect::<Result<_, _>>()
        .map_err(Failure::Unreadable)
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

    /// Runs `work` on a pool of `threads` threads, however many cores the machine has.
    fn on_threads<R: Send>(threads: usize, work: impl FnOnce() -> R + Send) -> R {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .expect("a thread pool")
            .install(work)
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
    fn events_written_on_threads_read_as_if_written_on_one() {
        let schedule = schedule(3000);
        let events = crate::event::events(&schedule);
        let revisions = Revisions::first(DateTime::UNIX_EPOCH);
        let mut alone = header(&schedule, &events, Scope::Feed);
        let written = Writer::<()>::default().write(
            &mut alone,
            &events,
            &Shared::new(&schedule, &revisions, Layout::feed(&schedule)),
        );
        assert!(written.is_ok());
        footer(&mut alone);
        let alone = alone.finish();
        on_threads(4, || {
            assert_eq!(render_revised(&schedule, &events, &revisions), alone);
            assert_eq!(
                render_verified(&schedule, &events, &revisions, Layout::feed(&schedule))
                    .map(Feed::into_string),
                Ok(alone.clone())
            );
        });
    }

    #[test]
    fn feeds_sharing_their_frames_are_those_written_alone() {
        let schedule = schedule(50);
        let events = crate::event::events(&schedule);
        let revisions = Revisions::first(DateTime::UNIX_EPOCH);
        let frames = Frames::default();
        for event in &events {
            let one = std::slice::from_ref(event);
            assert_eq!(
                render_verified_sharing(
                    &schedule,
                    one,
                    &revisions,
                    Layout::feed(&schedule),
                    &frames
                )
                .map(Feed::into_string),
                render_verified(&schedule, one, &revisions, Layout::feed(&schedule))
                    .map(Feed::into_string)
            );
        }
        let read_back = frames.read.lock().map(|frames| frames.len());
        assert_eq!(read_back.ok(), Some(1));
    }

    #[test]
    fn an_event_the_feed_read_back_is_written_as_when_read_again_and_others_are_read() {
        let schedule = schedule(50);
        let events = crate::event::events(&schedule);
        let revisions = Revisions::first(DateTime::UNIX_EPOCH);
        let layout = Layout::feed(&schedule);
        let alone = |events: &[Event]| {
            render_verified(&schedule, events, &revisions, layout).map(Feed::into_string)
        };
        // The feed of the first half knows those events only.
        let feed = alone(&events[..25]).expect("a feed");
        let frames = Frames::knowing(&feed);
        assert_eq!(frames.events.len(), 25);
        for (index, event) in events.iter().enumerate() {
            let one = std::slice::from_ref(event);
            let rendered = render_verified_sharing(&schedule, one, &revisions, layout, &frames)
                .map(Feed::into_string);
            assert_eq!(rendered, alone(one));
            let text = rendered.expect("a file");
            let block = verify::vevent_blocks(&text).expect("blocks")[0].clone();
            assert_eq!(frames.events.contains(&text[block]), index < 25);
        }
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
        let shared = Shared::new(&schedule, &revisions, Layout::feed(&schedule));
        let written = panic::catch_unwind(AssertUnwindSafe(|| {
            on_threads(4, || {
                vevents::<Panic>(&mut Lines::default(), &events, &shared)
            })
        }));
        assert!(
            matches!(written, Ok(Err(Failure::Panicked(_)))),
            "the panic was not reported as a failure"
        );
    }

    #[test]
    fn the_first_failure_in_feed_order_is_reported() {
        let schedule = schedule(3000);
        let events = crate::event::events(&schedule);
        let revisions = Revisions::first(DateTime::UNIX_EPOCH);
        let mut lines = Lines::default();
        let failure = on_threads(4, || {
            vevents::<Refuse>(
                &mut lines,
                &events,
                &Shared::new(&schedule, &revisions, Layout::feed(&schedule)),
            )
        });
        let Err(Failure::Unreadable(uid)) = failure else {
            panic!("the refusal was not reported");
        };
        assert_eq!(uid, "s1700@t");
    }
}
