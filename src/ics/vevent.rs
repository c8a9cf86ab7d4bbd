//! One VEVENT: its UID, stamps, times (a time in a repeated hour in UTC, so that every
//! client reads the same instant), status, place and description.

use std::fmt::Write as _;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use super::Shared;
use super::description::Descriptions;
use super::line::Lines;
use super::value::{push_civil, push_utc};
use crate::event::Event;
use crate::schedule::CancelledAs;
use crate::zone::{self, Resolved};

pub(super) fn vevent(
    lines: &mut Lines,
    event: &Event,
    shared: &Shared,
    descriptions: &Descriptions,
) {
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
    // URL is where the event is described: its row of the page when the page is known.
    match shared.page {
        Some(page) => lines.computed("URL;VALUE=URI", "", |line| {
            line.push_str(page.split('#').next().unwrap_or(page));
            line.push_str("#s-");
            line.push_str(&event.session.id);
        }),
        None => {
            if let Some(url) = event.join_url() {
                lines.raw("URL;VALUE=URI", url);
            }
        }
    }
    if let Some(url) = event.join_url() {
        lines.raw("CONFERENCE;VALUE=URI;FEATURE=AUDIO,VIDEO", url);
    }
    lines.text("DESCRIPTION", &descriptions.text);
    lines.text("X-ALT-DESC;FMTTYPE=text/html", &descriptions.html);
    lines.raw("END", "VEVENT");
}

/// A DATE-TIME property in the event's zone. A wall-clock time that happens twice is written
/// in UTC, whichever occurrence it is: RFC 5545 §3.3.5 says a TZID time there means the first,
/// but ical.js, libical and node-ical read the second, and vobject does for some zones.
fn date_time(lines: &mut Lines, name: &str, tzid: &str, at: &DateTime<Tz>) {
    match zone::resolve(at.timezone(), at.naive_local()) {
        Resolved::Fold(_) => {
            lines.computed(name, "", |line| push_utc(line, at.with_timezone(&Utc)));
        }
        _ => lines.computed(name, tzid, |line| push_civil(line, at.naive_local())),
    }
}
