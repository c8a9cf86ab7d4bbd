//! Checks each session: id, topic, time, items, status, overrides.

use std::collections::HashMap;

use chrono::{NaiveDate, TimeDelta};
use rayon::prelude::*;

use super::text::{self, in_session, line, paragraph};
use super::time::{self, Context, Located};
use super::{Findings, at};
use crate::diagnostic::Diagnostic;
use crate::load::{self, Item as ItemDoc, SessionDoc, Spanned};
use crate::published;
use crate::schedule::{Calendar, Item, Session, When};
use crate::source::{SourceFile, Span};

/// The longest a session may last.
const MAX_DURATION: TimeDelta = TimeDelta::hours(24);

/// Whether a session is a TBD topic (no `time`, or `time: TBD`).
pub(crate) fn is_undated(session: &SessionDoc) -> bool {
    match session.time.as_ref().map(|t| &t.value) {
        None => true,
        Some(load::TimeDoc::Text(text)) => published::is_undated(text),
        Some(load::TimeDoc::Halves(_)) => false,
    }
}

/// The sessions as checked: every one that passed its own checks with its index in the
/// file, and, for every session written, the place its diagnostics point at.
#[derive(Default)]
pub(crate) struct Checked {
    pub(crate) kept: Vec<(Session, usize)>,
    pub(crate) places: Vec<Span>,
    /// Sessions written without a date (TBD topics).
    pub(crate) undated: usize,
}

/// Below this many sessions per thread, one thread checks them all: starting threads would
/// cost more than they save.
const SESSIONS_PER_THREAD: usize = 1024;

/// Checks each session. A session's own checks (id, topic, items, the text of its time) do
/// not depend on the others and run on every core; then, in file order, ids are compared
/// and each time is judged against the previous session's date (which decides the year of
/// a date written without one). Diagnostics are pushed in file order, whatever the number of
/// cores.
pub(crate) fn sessions(
    written: Vec<Spanned<SessionDoc>>,
    calendar: &Calendar,
    findings: &mut Findings,
) -> Checked {
    let source = findings.source;
    let total = written.len();
    // Each document is freed as soon as its session is checked, so the documents and the
    // sessions made of them never both take their whole size.
    let owns: Vec<Own> = if total < SESSIONS_PER_THREAD {
        written
            .into_iter()
            .map(|doc| own(&doc, calendar, source))
            .collect()
    } else {
        written
            .into_par_iter()
            .with_min_len(SESSIONS_PER_THREAD)
            .map(|doc| own(&doc, calendar, source))
            .collect()
    };
    let mut checked = Checked {
        kept: Vec::with_capacity(total),
        places: Vec::with_capacity(total),
        undated: 0,
    };
    // The first use of each id: its index and place.
    let mut seen: HashMap<String, Span> = HashMap::new();
    let mut previous: Option<NaiveDate> = None;
    for (index, own) in owns.into_iter().enumerate() {
        checked.places.push(own.place);
        checked.undated += usize::from(own.undated);
        if let Some((key, span)) = &own.key {
            if let Some(first) = seen.get(key) {
                let first_line = findings.source.position(first.start).line;
                findings.push(
                    Diagnostic::error(
                        "duplicate-session",
                        format!("session id `{key}` is used twice"),
                    )
                    .at(*span)
                    .label(format!("first used on line {first_line}"))
                    .session(key.clone())
                    .help("ids must be unique: they become the events' UIDs; rename one of them"),
                );
            } else {
                seen.insert(key.clone(), *span);
            }
        }
        if let Some((session, date)) = judged(own, calendar, previous, findings) {
            if let Some(date) = date {
                previous = Some(date);
            }
            checked.kept.push((session, index));
        }
    }
    checked
}

/// What a session's own checks found: the session but for its time, which waits for the
/// date of the session before it.
struct Own {
    /// Where the session's time is written, or the session itself without one.
    place: Span,
    undated: bool,
    /// The id as compared for duplicates, and its place.
    key: Option<(String, Span)>,
    /// The problems found, in the order found.
    diagnostics: Vec<Diagnostic>,
    unshown: crate::diagnostic::Tally,
    id: Option<String>,
    topic: Option<String>,
    presenter: Option<String>,
    lists: Option<[Vec<Item>; 4]>,
    reflection: Option<Option<Item>>,
    recording: Option<Option<Item>>,
    cancelled: Option<bool>,
    duration: Option<TimeDelta>,
    /// `duration:` is written; else a range in `time:` (`1-2pm PT`) gives it.
    duration_written: bool,
    location: Option<Option<String>>,
    time: Time,
}

/// A session's time before it is judged.
enum Time {
    /// No time, or `TBD`: a topic without an event.
    Undated,
    /// Could not be read (reported).
    Broken,
    Halves(Vec<Located>),
}

/// A session's own checks.
fn own(doc: &Spanned<SessionDoc>, calendar: &Calendar, source: &SourceFile) -> Own {
    let mut findings = Findings::new(source);
    let findings = &mut findings;
    let fields = &doc.value;
    let place = fields.time.as_ref().map_or_else(|| at(doc), at);
    let key = fields
        .id
        .as_ref()
        .map(|id| (id.value.trim().to_owned(), at(id)));
    let id = match &fields.id {
        Some(id) => text::id(id, findings),
        None => {
            findings.push(
                Diagnostic::error("missing-field", "this session has no `id`")
                    .at(at(doc))
                    .label("session without id")
                    .help("add `id: <slug>`: a short, stable name such as `week-3`; it becomes the event's UID"),
            );
            None
        }
    };
    let name = id.as_deref();
    let topic = match &fields.topic {
        Some(topic) => line(topic, "topic", name, findings),
        None => {
            findings.push(in_session(
                Diagnostic::error("missing-field", "this session has no `topic`")
                    .at(at(doc))
                    .label("session without topic")
                    .help("add `topic: ...`; it is the event's title"),
                name,
            ));
            None
        }
    };
    let presenter = fields
        .presenter
        .as_ref()
        .and_then(|p| line(p, "presenter", name, findings));
    let mut items_ok = true;
    let mut list = |docs: &[Spanned<ItemDoc>], field: &str, findings: &mut Findings| -> Vec<Item> {
        // Sized to the items written: a collected vector grows to four, and a large
        // timetable keeps its lists until the feed is written.
        let mut items = Vec::with_capacity(docs.len());
        for doc in docs {
            let item = item(doc, field, name, findings);
            items_ok &= item.is_some();
            items.extend(item);
        }
        items
    };
    let prepare = list(&fields.prepare, "prepare", findings);
    let additional = list(&fields.additional, "additional", findings);
    let notes = list(&fields.notes, "notes", findings);
    let links = list(&fields.links, "links", findings);
    let reflection = fields
        .reflection
        .as_ref()
        .map(|r| item(r, "reflection", name, findings));
    let recording = fields
        .recording
        .as_ref()
        .map(|r| item(r, "recording", name, findings));
    let cancelled = match &fields.status {
        None => Some(false),
        Some(status) => {
            match status.value.trim() {
                "scheduled" => Some(false),
                "cancelled" | "canceled" => Some(true),
                other => {
                    findings.push(in_session(
                    Diagnostic::error("invalid-value", format!("`status` cannot be `{other}`"))
                        .at(at(status))
                        .label("expected scheduled or cancelled")
                        .help("write `status: cancelled` to cancel a session, or leave `status` out"),
                    name,
                ));
                    None
                }
            }
        }
    };
    let duration_written = fields.duration.is_some();
    let duration = match &fields.duration {
        Some(d) => text::duration(d, "duration", MAX_DURATION, name, findings),
        None => Some(calendar.duration),
    };
    let location = match &fields.location {
        Some(place) if load::is_url(&place.value) => {
            text::url(place, "location", name, findings).map(Some)
        }
        Some(place) => line(place, "location", name, findings).map(Some),
        None => Some(None),
    };
    let undated = is_undated(fields);
    let time = match &fields.time {
        Some(time) => match time::halves(time, name, findings) {
            Some(halves) => Time::Halves(halves),
            None if undated => Time::Undated,
            None => Time::Broken,
        },
        None => Time::Undated,
    };
    let lists = items_ok.then_some([prepare, additional, notes, links]);
    let Findings {
        diagnostics,
        unshown,
        ..
    } = std::mem::replace(findings, Findings::new(source));
    Own {
        place,
        undated,
        key,
        diagnostics,
        unshown,
        id,
        topic,
        presenter,
        lists,
        reflection,
        recording,
        cancelled,
        duration,
        duration_written,
        location,
        time,
    }
}

/// The session, its time judged against the date of the session before it, and its own
/// date; `None` when it has errors. Its own problems are reported first, as found.
fn judged(
    own: Own,
    calendar: &Calendar,
    previous: Option<NaiveDate>,
    findings: &mut Findings,
) -> Option<(Session, Option<NaiveDate>)> {
    for diagnostic in own.diagnostics {
        findings.push(diagnostic);
    }
    findings.unshown.errors += own.unshown.errors;
    findings.unshown.warnings += own.unshown.warnings;
    let name = own.id.as_deref();
    let mut date = None;
    let when = match own.time {
        Time::Undated => Some(None),
        Time::Broken => None,
        Time::Halves(halves) => {
            let context = Context {
                labels: &calendar.zones,
                year: calendar.year,
                previous,
                session: name,
            };
            let instant = time::judge(&halves, &context, findings);
            date = instant.map(|i| i.date);
            let ranged = instant
                .and_then(|i| i.end)
                .filter(|_| !own.duration_written)
                .zip(instant)
                .map(|(end, i)| end - i.at);
            match (instant, ranged.or(own.duration)) {
                (Some(instant), Some(duration)) => {
                    let start = instant.at.with_timezone(&calendar.timezone);
                    Some(Some(When {
                        start,
                        end: start + duration,
                    }))
                }
                _ => None,
            }
        }
    };
    let [prepare, additional, notes, links] = own.lists?;
    Some((
        Session {
            id: own.id?,
            topic: own.topic?,
            presenter: own.presenter,
            prepare,
            additional,
            reflection: own.reflection.flatten(),
            notes,
            recording: own.recording.flatten(),
            links,
            cancelled: own.cancelled?,
            when: when?,
            location: own.location?,
        },
        date,
    ))
}

/// A reading, note or link. A bare string's place is the item's own place.
fn item(
    doc: &Spanned<ItemDoc>,
    field: &str,
    session: Option<&str>,
    findings: &mut Findings,
) -> Option<Item> {
    let place = |value: &Spanned<String>| load::placed(value, doc);
    let fields = &doc.value;
    if fields.title.is_none() && fields.url.is_none() {
        findings.push(in_session(
            Diagnostic::error(
                "missing-field",
                format!("an item of `{field}` has neither `title` nor `url`"),
            )
            .at(at(doc))
            .label("empty item")
            .help("give the item a `title`, a `url`, or both"),
            session,
        ));
        return None;
    }
    let mut ok = true;
    let title = fields.title.as_ref().and_then(|t| {
        let value = line(&place(t), "title", session, findings);
        ok &= value.is_some();
        value
    });
    let url = fields.url.as_ref().and_then(|u| {
        let value = text::url(&place(u), field, session, findings);
        ok &= value.is_some();
        value
    });
    let note = fields.note.as_ref().and_then(|n| {
        let value = paragraph(&place(n), "note", session, findings);
        ok &= value.is_some();
        value
    });
    ok.then_some(Item { title, url, note })
}
