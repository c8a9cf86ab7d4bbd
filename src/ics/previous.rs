//! The feed subscribers have now (`--previous`): read from disk and compared with this
//! build's events, so that each event gets the SEQUENCE, DTSTAMP and LAST-MODIFIED that
//! make clients update their copy, and no event leaves the feed unannounced.
//! Never reads the clock (the build's stamp is passed in) and never writes.
//!
//! The rule, per UID:
//! - time (DTSTART/DTEND with their TZID), STATUS, LOCATION or SUMMARY changed: SEQUENCE
//!   goes up by one, and DTSTAMP and LAST-MODIFIED become the build's stamp;
//! - anything else changed (the description, a reading, a link): SEQUENCE stays, DTSTAMP
//!   and LAST-MODIFIED become the build's stamp, for the clients that compare those;
//! - nothing changed: SEQUENCE, DTSTAMP and LAST-MODIFIED are copied, byte for byte;
//! - new: SEQUENCE 0, DTSTAMP the build's stamp, no LAST-MODIFIED (as without `--previous`);
//! - gone: a `dropped-session` warning.

use std::collections::{HashMap, HashSet};
use std::fs;
use std::path::Path;

use chrono::{DateTime, Utc};

use super::feed::{self, FeedEvent, printable};
use super::{Revision, Revisions};
use crate::diagnostic::Diagnostic;
use crate::error::{Error, FeedRole};
use crate::event::Event;
use crate::limits::FILE_BYTES;
use crate::schedule::Schedule;

/// The events of the feed subscribers have now.
#[derive(Clone, Debug)]
pub struct Previous {
    events: Vec<FeedEvent>,
}

/// Reads and parses the feed at `path`, read as `role` says. Any error stops the command
/// (exit 2): nothing is written.
pub fn read(path: &Path, role: FeedRole) -> Result<Previous, Error> {
    let unreadable = |source| Error::PreviousUnreadable {
        path: path.to_owned(),
        source,
        role,
    };
    let metadata = fs::metadata(path).map_err(unreadable)?;
    if metadata.is_dir() {
        return Err(Error::PreviousDirectory {
            path: path.to_owned(),
            role,
        });
    }
    if metadata.len() > FILE_BYTES {
        return Err(Error::PreviousTooLarge {
            path: path.to_owned(),
            size: metadata.len(),
            role,
        });
    }
    let bytes = fs::read(path).map_err(unreadable)?;
    let text = String::from_utf8(bytes).map_err(|_| Error::PreviousNotUtf8 {
        path: path.to_owned(),
        role,
    })?;
    parse_as(path, &text, role)
}

impl Previous {
    pub(crate) fn events(&self) -> &[FeedEvent] {
        &self.events
    }
}

/// Parses a previous feed already in memory; `path` names it in messages.
pub fn parse(path: &Path, text: &str) -> Result<Previous, Error> {
    parse_as(path, text, FeedRole::Previous)
}

fn parse_as(path: &Path, text: &str, role: FeedRole) -> Result<Previous, Error> {
    let events = feed::events(text).map_err(|problem| Error::PreviousInvalid {
        path: path.to_owned(),
        problem,
        role,
    })?;
    Ok(Previous { events })
}

/// Each event's revision, and a warning for every event that left the feed.
#[derive(Clone, Debug)]
pub struct Revised {
    pub revisions: Revisions,
    pub diagnostics: Vec<Diagnostic>,
}

/// Compares this build's events with the previous feed's; see the module comment for the
/// rule. `events` are all the schedule's events (any left out are reported as dropped);
/// `stamp` is this build's DTSTAMP.
pub fn revise(
    previous: &Previous,
    schedule: &Schedule,
    events: &[Event],
    stamp: DateTime<Utc>,
    page: Option<&str>,
) -> Result<Revised, Error> {
    let current = current(schedule, events, stamp, page)?;
    let before: HashMap<&str, &FeedEvent> = previous
        .events
        .iter()
        .map(|e| (e.uid.as_str(), e))
        .collect();
    let mut revisions = Revisions::first(stamp);
    let mut stale = Vec::new();
    for (rendered, event) in events.iter().zip(&current) {
        let Some(old) = before.get(event.uid.as_str()) else {
            continue;
        };
        let changed = old.content != event.content;
        let revision = if old.significant != event.significant {
            Revision {
                // RFC 5545 SEQUENCE is a signed 32-bit integer; it cannot go higher.
                sequence: old.revision.sequence.saturating_add(1).min(i32::MAX as u32),
                stamp,
                last_modified: Some(stamp),
            }
        } else if changed {
            Revision {
                sequence: old.revision.sequence,
                stamp,
                last_modified: Some(stamp),
            }
        } else {
            old.revision
        };
        if changed && !is_later(stamp, &old.revision) {
            stale.push(event.uid.as_str());
        }
        revisions.insert(rendered.uid.clone(), revision);
    }
    let mut diagnostics: Vec<Diagnostic> = dropped(previous, schedule, &current);
    if let Some(first) = stale.first() {
        diagnostics.push(stale_stamp(stamp, first, stale.len()));
    }
    Ok(Revised {
        revisions,
        diagnostics,
    })
}

/// This build's events, read back the same way as a previous feed's, so the two compare
/// property by property: laid out as the feed being built, events linking to `page`.
pub(crate) fn current(
    schedule: &Schedule,
    events: &[Event],
    stamp: DateTime<Utc>,
    page: Option<&str>,
) -> Result<Vec<FeedEvent>, Error> {
    let layout = super::Layout {
        scope: super::Scope::Feed,
        page,
    };
    let fresh = super::render_laid_out(schedule, events, &Revisions::first(stamp), layout);
    let unverified = |problem| Error::Unverified {
        what: "the rendered feed".to_owned(),
        problem,
    };
    let current = feed::events(&fresh).map_err(unverified)?;
    if current.len() != events.len() {
        return Err(unverified(format!(
            "{} events rendered but {} read back",
            events.len(),
            current.len()
        )));
    }
    Ok(current)
}

/// Whether `stamp` is later than everything the old revision says.
fn is_later(stamp: DateTime<Utc>, old: &Revision) -> bool {
    stamp > old.stamp && old.last_modified.is_none_or(|modified| stamp > modified)
}

/// A warning for each event of the previous feed that this build leaves out, with the way
/// to keep it: subscribed calendars drop a vanished event without notice, and calendars
/// that imported it keep it as it was.
fn dropped(previous: &Previous, schedule: &Schedule, current: &[FeedEvent]) -> Vec<Diagnostic> {
    let now: HashSet<&str> = current.iter().map(|e| e.uid.as_str()).collect();
    let calendar_id = schedule.calendar.id.as_str();
    previous
        .events
        .iter()
        .filter(|e| !now.contains(e.uid.as_str()))
        .map(|e| {
            let uid = printable(&e.uid);
            let (session_id, old_calendar) = e.uid.rsplit_once('@').unwrap_or((&e.uid, ""));
            if !old_calendar.is_empty() && old_calendar != calendar_id {
                return Diagnostic::warning(
                    "dropped-session",
                    format!(
                        "`{uid}` is in the previous feed but not in this one, whose `calendar.id` is `{calendar_id}`"
                    ),
                )
                .help(format!(
                    "every UID ends in `calendar.id`: change it back to `{}`, or every event is replaced by a new one",
                    printable(old_calendar)
                ));
            }
            match schedule.sessions.iter().find(|s| s.id == session_id) {
                Some(session) => Diagnostic::warning(
                    "dropped-session",
                    format!(
                        "`{uid}` leaves the feed: session `{}` has no date now",
                        session.id
                    ),
                )
                .session(session.id.as_str())
                .help(
                    "keep its `time:` and mark it `status: cancelled` until it has a new date; a vanished event leaves subscribed calendars without notice",
                ),
                None => Diagnostic::warning(
                    "dropped-session",
                    format!(
                        "`{uid}` is in the previous feed but no session has the id `{}` now",
                        printable(session_id)
                    ),
                )
                .help(
                    "keep the session and mark it `status: cancelled`: a deleted event vanishes from subscribed calendars without notice, and stays in calendars that imported it",
                ),
            }
        })
        .collect()
}

fn stale_stamp(stamp: DateTime<Utc>, first: &str, count: usize) -> Diagnostic {
    let events = if count == 1 {
        format!("`{}`", printable(first))
    } else {
        format!("`{}` and {} more events", printable(first), count - 1)
    };
    Diagnostic::warning(
        "stale-stamp",
        format!(
            "{events} changed, but this build's stamp {} is no later than the previous feed's",
            stamp.format("%Y-%m-%d %H:%M:%S UTC")
        ),
    )
    .help("set `SOURCE_DATE_EPOCH` to the time of the change, e.g. `SOURCE_DATE_EPOCH=$(git log -1 --format=%ct)`; clients that compare LAST-MODIFIED keep their old copy otherwise")
}
