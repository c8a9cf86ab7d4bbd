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

use chrono::{DateTime, NaiveDateTime, TimeDelta, Utc};
use chrono_tz::Tz;

use crate::event::Event;
use crate::schedule::{CancelledAs, Schedule};
use crate::zone::{self, Resolved};
use line::{Lines, param};

/// The whole feed: calendar properties, one VTIMEZONE per zone used, the events, every
/// event at SEQUENCE 0 and stamped `stamp`.
pub fn render(schedule: &Schedule, events: &[Event], stamp: DateTime<Utc>) -> String {
    render_revised(schedule, events, &Revisions::first(stamp))
}

/// The whole feed, each event with its own SEQUENCE, DTSTAMP and LAST-MODIFIED.
pub fn render_revised(schedule: &Schedule, events: &[Event], revisions: &Revisions) -> String {
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
    for event in events {
        vevent(&mut lines, event, schedule, revisions.of(&event.uid));
    }
    lines.raw("END", "VCALENDAR");
    lines.finish()
}

fn vevent(lines: &mut Lines, event: &Event, schedule: &Schedule, revision: Revision) {
    let zone = schedule.calendar.timezone.name();
    let tzid = format!(";TZID={}", param(zone));
    lines.raw("BEGIN", "VEVENT");
    lines.text("UID", &event.uid);
    lines.raw("DTSTAMP", &utc(revision.stamp));
    if let Some(modified) = revision.last_modified {
        lines.raw("LAST-MODIFIED", &utc(modified));
    }
    date_time(lines, "DTSTART", &tzid, &event.start);
    date_time(lines, "DTEND", &tzid, &event.end);
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
    lines.raw("SEQUENCE", &revision.sequence.to_string());
    if let Some(location) = event.location {
        lines.text("LOCATION", location);
    }
    if let Some(url) = event.join_url() {
        lines.raw("URL;VALUE=URI", url);
        lines.raw("CONFERENCE;VALUE=URI;FEATURE=AUDIO,VIDEO", url);
    }
    lines.text("DESCRIPTION", &event.description());
    lines.text("X-ALT-DESC;FMTTYPE=text/html", &event.description_html());
    lines.raw("END", "VEVENT");
}

/// A DATE-TIME property in the event's zone. A wall-clock time that happens twice means its
/// first occurrence (RFC 5545 §3.3.5), so the second occurrence is written in UTC instead.
fn date_time(lines: &mut Lines, name: &str, tzid: &str, at: &DateTime<Tz>) {
    match zone::resolve(at.timezone(), at.naive_local()) {
        Resolved::Fold(fold) if fold.later == *at => {
            lines.raw(name, &utc(at.with_timezone(&Utc)));
        }
        _ => lines.raw(&format!("{name}{tzid}"), &civil(at.naive_local())),
    }
}

/// `20240415T170000`: wall-clock time, read with the TZID parameter.
fn civil(time: NaiveDateTime) -> String {
    time.format("%Y%m%dT%H%M%S").to_string()
}

/// `20240101T000000Z`
fn utc(time: DateTime<Utc>) -> String {
    time.format("%Y%m%dT%H%M%SZ").to_string()
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
