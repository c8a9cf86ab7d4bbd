//! What subscribers of a published feed will see when this build's feed replaces it: the
//! events added, removed, moved, cancelled, restored, retitled, relocated or otherwise
//! updated. Compares the two feeds as a client reads them (`feed`), never their bytes, and
//! decides nothing about how the changes are shown.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDateTime, Utc};
use chrono_tz::Tz;

use super::feed::FeedEvent;
use super::previous::{self, Previous};
use crate::error::Error;
use crate::event::Event;
use crate::schedule::Schedule;
use crate::zone::{self, Resolved};

/// One event that changes for subscribers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    pub uid: String,
    /// What changed, in the order `Kind` lists them; never empty.
    pub kinds: Vec<Kind>,
    /// The title subscribers will see (the old one for a removed event).
    pub title: String,
    /// The title they see now, when it changes.
    pub old_title: Option<String>,
    /// The start subscribers have now; `None` for an added event, or a start the old feed
    /// writes in a zone this tool does not know.
    pub before: Option<DateTime<Utc>>,
    /// The start they will have; `None` for a removed event.
    pub after: Option<DateTime<Utc>>,
}

/// A kind of change, as a subscriber would name it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    Added,
    Removed,
    Moved,
    Cancelled,
    Restored,
    Retitled,
    /// The meeting link or place changed.
    Relocated,
    /// Only the description changed: readings, notes, links.
    Updated,
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::Added => "added",
            Kind::Removed => "removed",
            Kind::Moved => "moved",
            Kind::Cancelled => "cancelled",
            Kind::Restored => "restored",
            Kind::Retitled => "retitled",
            Kind::Relocated => "relocated",
            Kind::Updated => "updated",
        }
    }
}

/// The changes from `previous` to the feed of `events`, whose URLs link to `page`: this
/// build's events in feed order, then the removed ones in the old feed's order.
pub fn between(
    previous: &Previous,
    schedule: &Schedule,
    events: &[Event],
    page: Option<&str>,
) -> Result<Vec<Change>, Error> {
    let current = previous::current(schedule, events, DateTime::UNIX_EPOCH, page)?;
    let before: HashMap<&str, &FeedEvent> = previous
        .events()
        .iter()
        .map(|e| (e.uid.as_str(), e))
        .collect();
    let mut changes: Vec<Change> = current
        .iter()
        .filter_map(|new| match before.get(new.uid.as_str()) {
            None => Some(Change {
                uid: new.uid.clone(),
                kinds: vec![Kind::Added],
                title: title(new),
                old_title: None,
                before: None,
                after: start(new),
            }),
            Some(old) => changed(old, new),
        })
        .collect();
    let now: HashMap<&str, ()> = current.iter().map(|e| (e.uid.as_str(), ())).collect();
    changes.extend(
        previous
            .events()
            .iter()
            .filter(|old| !now.contains_key(old.uid.as_str()))
            .map(|old| Change {
                uid: old.uid.clone(),
                kinds: vec![Kind::Removed],
                title: title(old),
                old_title: None,
                before: start(old),
                after: None,
            }),
    );
    Ok(changes)
}

/// How an event that is in both feeds changed, if it did.
fn changed(old: &FeedEvent, new: &FeedEvent) -> Option<Change> {
    if old.content == new.content {
        return None;
    }
    let mut kinds = Vec::new();
    const TIMES: [&str; 2] = ["DTSTART", "DTEND"];
    if values(old, &TIMES) != values(new, &TIMES) {
        kinds.push(Kind::Moved);
    }
    match (is_cancelled(old), is_cancelled(new)) {
        (false, true) => kinds.push(Kind::Cancelled),
        (true, false) => kinds.push(Kind::Restored),
        _ => {}
    }
    let (old_title, new_title) = (title(old), title(new));
    let retitled = topic(&old_title) != topic(&new_title);
    if retitled {
        kinds.push(Kind::Retitled);
    }
    // A cancelled event drops its meeting link; that is part of the cancellation.
    if kinds
        .iter()
        .all(|k| !matches!(k, Kind::Cancelled | Kind::Restored))
        && values(old, &["LOCATION"]) != values(new, &["LOCATION"])
    {
        kinds.push(Kind::Relocated);
    }
    if kinds.is_empty() {
        kinds.push(Kind::Updated);
    }
    Some(Change {
        uid: new.uid.clone(),
        kinds,
        title: new_title,
        old_title: retitled.then_some(old_title),
        before: start(old),
        after: start(new),
    })
}

/// The lines of `event` for the properties `names`, in feed order.
fn values<'a>(event: &'a FeedEvent, names: &[&str]) -> Vec<&'a str> {
    event
        .content
        .iter()
        .filter(|line| names.iter().any(|name| property_is(line, name)))
        .map(String::as_str)
        .collect()
}

/// Whether `line` is the property `name` (`NAME:` or `NAME;`).
fn property_is(line: &str, name: &str) -> bool {
    line.strip_prefix(name)
        .is_some_and(|rest| rest.starts_with([':', ';']))
}

/// The value of the first `name` property.
fn value<'a>(event: &'a FeedEvent, name: &str) -> Option<&'a str> {
    values(event, &[name])
        .first()
        .and_then(|line| line.split_once(':'))
        .map(|(_, value)| value)
}

fn title(event: &FeedEvent) -> String {
    value(event, "SUMMARY").unwrap_or_default().to_owned()
}

/// A title without the `Cancelled: ` a cancellation puts in front of it.
fn topic(title: &str) -> &str {
    title.strip_prefix("Cancelled: ").unwrap_or(title)
}

/// Hidden (`STATUS:CANCELLED`) or shown as free time: the feed marks only cancelled events
/// transparent.
fn is_cancelled(event: &FeedEvent) -> bool {
    value(event, "STATUS").is_some_and(|s| s.eq_ignore_ascii_case("CANCELLED"))
        || value(event, "TRANSP").is_some_and(|t| t.eq_ignore_ascii_case("TRANSPARENT"))
}

/// The instant DTSTART names: UTC (`...Z`), or a wall-clock time in a tz database zone
/// (`TZID=America/Los_Angeles`), the first of a repeated hour as RFC 5545 says.
fn start(event: &FeedEvent) -> Option<DateTime<Utc>> {
    let line = values(event, &["DTSTART"]).first().copied()?;
    let (head, text) = line.rsplit_once(':')?;
    if let Some(utc) = text.strip_suffix('Z') {
        let civil = NaiveDateTime::parse_from_str(utc, "%Y%m%dT%H%M%S").ok()?;
        return Some(civil.and_utc());
    }
    let tzid = head
        .split(';')
        .find_map(|param| param.strip_prefix("TZID="))?
        .trim_matches('"');
    let zone: Tz = tzid.parse().ok()?;
    let civil = NaiveDateTime::parse_from_str(text, "%Y%m%dT%H%M%S").ok()?;
    match zone::resolve(zone, civil) {
        Resolved::Unique(at) => Some(at.with_timezone(&Utc)),
        // RFC 5545 §3.3.5: a repeated wall-clock time means its first occurrence.
        Resolved::Fold(fold) => Some(fold.earlier.with_timezone(&Utc)),
        Resolved::Gap(_) => None,
    }
}
